/* bough-bench-tasks.c: `bough-bench tasks`: tasks per second through the
 * durable queue, drained by 1 and by 2 `bough-server worker` processes
 * (test-noop tasks, BOUGH_TEST_WORKFLOWS=1), and the rate of enqueueing
 * them from this process.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <signal.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bough-bench-tasks.h"
#include "store/bough-store.h"
#include "store/bough-store-task.h"
#include "../test-util.h"

typedef struct
{
  int    tasks;
  int    runs;
  int    concurrency;
  char  *server;
  char  *json_path;
  char  *processes;
} TBench;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len == 0 ? 0 : g_array_index (values, double, values->len / 2);
}

static GSubprocessLauncher *
launcher_new (TBench     *b,
              const char *dir)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *log = g_build_filename (dir, "processes.log", NULL);
  g_autofree char *concurrency = g_strdup_printf ("%d", b->concurrency);

  g_subprocess_launcher_setenv (launcher, "BOUGH_TEST_WORKFLOWS", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "BOUGH_TASKS_CONCURRENCY", concurrency, TRUE);
  g_subprocess_launcher_setenv (launcher, "BOUGH_TASKS_POLL_INTERVAL", "10", TRUE);
  g_subprocess_launcher_setenv (launcher, "BOUGH_LOG_LEVEL", "warning", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  return launcher;
}

/* One run: @n_processes workers drain b->tasks noop tasks; returns tasks/s,
 * and in @enqueue_rate the tasks/s of inserting them. */
static gboolean
run_once (TBench  *b,
          int      n_processes,
          double  *drain_rate,
          double  *enqueue_rate,
          GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("bough-bench-tasks-XXXXXX", error);
  g_autofree char *db = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) init = NULL;
  g_autoptr(BoughStore) store = NULL;
  g_autoptr(GPtrArray) workers = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 states[BOUGH_TASK_CANCELLING + 1];
  gint64 start;
  gboolean ok = TRUE;

  if (dir == NULL)
    return FALSE;
  db = g_build_filename (dir, "bough.db", NULL);
  launcher = launcher_new (b, dir);
  init = g_subprocess_launcher_spawn (launcher, error, b->server, "db", "init", "--data-dir", dir, NULL);
  if (init == NULL || !g_subprocess_wait_check (init, NULL, error))
    return FALSE;
  store = bough_store_open (db, error);
  if (store == NULL)
    return FALSE;

  start = g_get_monotonic_time ();
  for (int i = 0; i < b->tasks && ok; i++)
    {
      g_autoptr(BoughTask) task = bough_task_new ("noop", "test-noop");

      ok = bough_store_task_insert (store, task, error);
    }
  if (!ok)
    return FALSE;
  *enqueue_rate = b->tasks / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  for (int i = 0; i < n_processes; i++)
    {
      GSubprocess *worker = g_subprocess_launcher_spawn (launcher, error, b->server, "worker",
                                                         "--data-dir", dir, NULL);
      g_autoptr(GDataInputStream) out = NULL;
      g_autofree char *line = NULL;

      if (worker == NULL)
        return FALSE;
      g_ptr_array_add (workers, worker);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (worker));
      line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);
      if (line == NULL)
        return FALSE;
    }
  /* from the moment every worker is up: they poll every 10 ms */
  start = g_get_monotonic_time ();
  for (;;)
    {
      if (!bough_store_task_count_states (store, "test-noop", states, error))
        return FALSE;
      if (states[BOUGH_TASK_COMPLETED] + states[BOUGH_TASK_FAILED] + states[BOUGH_TASK_CRASHED] >= b->tasks)
        break;
      g_usleep (2 * 1000);
    }
  *drain_rate = b->tasks / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  if (states[BOUGH_TASK_COMPLETED] != b->tasks)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%" G_GINT64_FORMAT " of %d tasks completed",
                   states[BOUGH_TASK_COMPLETED], b->tasks);
      ok = FALSE;
    }
  for (guint i = 0; i < workers->len; i++)
    {
      GSubprocess *worker = g_ptr_array_index (workers, i);

      g_subprocess_send_signal (worker, SIGTERM);
      g_subprocess_wait (worker, NULL, NULL);
    }
  g_clear_pointer (&store, bough_store_unref);
  bough_test_remove_tree (dir);
  return ok;
}

int
bough_bench_tasks_main (int   argc,
                        char *argv[])
{
  TBench b = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) counts = NULL;
  GOptionEntry entries[] = {
    { "tasks", 0, 0, G_OPTION_ARG_INT, &b.tasks, "Tasks per run (default 5000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &b.runs, "Runs of each figure (default 3; the median is shown)", "N" },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &b.concurrency, "Worker threads per process (default 1)", "N" },
    { "processes", 0, 0, G_OPTION_ARG_STRING, &b.processes, "Worker process counts (default 1,2)", "LIST" },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &b.server, "The bough-server to run", "PATH" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &b.json_path, "Also write the figures as JSON", "FILE" },
    { NULL }
  };

  context = g_option_context_new ("- tasks per second through the durable task queue");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bough-bench tasks: %s\n", error->message);
      return 2;
    }
  if (b.tasks <= 0)
    b.tasks = 5000;
  if (b.runs <= 0)
    b.runs = 3;
  if (b.concurrency <= 0)
    b.concurrency = 1;
  if (b.server == NULL)
    b.server = g_strdup (BOUGH_BENCH_SERVER);
  counts = g_strsplit (b.processes != NULL ? b.processes : "1,2", ",", -1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tasks");
  json_builder_add_int_value (builder, b.tasks);
  json_builder_set_member_name (builder, "threads_per_process");
  json_builder_add_int_value (builder, b.concurrency);
  json_builder_set_member_name (builder, "figures");
  json_builder_begin_array (builder);
  g_print ("%-34s %12s %12s\n", "workload (median of runs)", "tasks/s", "enqueue/s");
  for (guint c = 0; counts[c] != NULL; c++)
    {
      int n = atoi (counts[c]);
      g_autoptr(GArray) drains = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) enqueues = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *name = NULL;

      if (n <= 0)
        continue;
      for (int r = 0; r < b.runs; r++)
        {
          double drain = 0, enqueue = 0;

          if (!run_once (&b, n, &drain, &enqueue, &error))
            {
              g_printerr ("bough-bench tasks: %s\n", error->message);
              return 1;
            }
          g_array_append_val (drains, drain);
          g_array_append_val (enqueues, enqueue);
        }
      name = g_strdup_printf ("tasks.noop_%d_process%s", n, n > 1 ? "es" : "");
      g_print ("%-34s %12.0f %12.0f\n", name, median (drains), median (enqueues));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "processes");
      json_builder_add_int_value (builder, n);
      json_builder_set_member_name (builder, "tasks_per_second");
      json_builder_add_double_value (builder, median (drains));
      json_builder_set_member_name (builder, "enqueue_per_second");
      json_builder_add_double_value (builder, median (enqueues));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (b.json_path != NULL)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      g_autofree char *text = json_to_string (root, TRUE);

      if (!g_file_set_contents (b.json_path, text, -1, &error))
        {
          g_printerr ("bough-bench tasks: %s\n", error->message);
          return 1;
        }
    }
  g_free (b.server);
  g_free (b.json_path);
  g_free (b.processes);
  return 0;
}
