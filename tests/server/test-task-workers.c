/* test-task-workers.c: the task queue across processes, with the built
 * bough-server: two `worker` processes sharing 1,000 tasks (none lost, none
 * run twice), a worker killed mid-task and the task taken up again, a task
 * failing until its last attempt, cancellation of a running and a waiting
 * task, and a merge run by a worker process that `serve` then shows.
 *
 * The workers run the test workflows (BOUGH_TEST_WORKFLOWS=1), which
 * append "<start|ran> <task id> <pid>" lines to a file named by the task.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-task-workers"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bough-error.h"
#include "store/bough-store.h"
#include "store/bough-store-task.h"
#include "../test-util.h"

#define TOKEN "tasks-test-token-0123456789abcdef"

static char *server_binary;

typedef struct
{
  char       *dir;
  char       *db;
  char       *runs;       /* the file the test workflows write */
  BoughStore *store;
} Fixture;

static GSubprocessLauncher *
make_launcher (const char * const *extra_env,
               const char         *stderr_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) final_env = NULL;

  for (guint i = 0; env[i] != NULL; i++)
    if (!g_str_has_prefix (env[i], "BOUGH_") || g_str_has_prefix (env[i], "BOUGH_SCHEMA_LIBRARY="))
      g_strv_builder_add (kept, env[i]);
  g_strv_builder_add (kept, "BOUGH_TEST_WORKFLOWS=1");
  g_strv_builder_add (kept, "BOUGH_INITIAL_ADMIN_TOKEN=" TOKEN);
  g_strv_builder_add (kept, "BOUGH_TASKS_POLL_INTERVAL=20");
  g_strv_builder_add (kept, "BOUGH_TASKS_RETRY_BACKOFF=10");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    g_strv_builder_add (kept, extra_env[i]);
  final_env = g_strv_builder_end (kept);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_environ (launcher, final_env);
  /* a file, not a pipe nobody reads: a chatty process must never block */
  g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  return g_steal_pointer (&launcher);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) init = NULL;
  g_autofree char *log = NULL;

  f->dir = g_dir_make_tmp ("bough-tasks-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "bough.db", NULL);
  f->runs = g_build_filename (f->dir, "runs.txt", NULL);
  log = g_build_filename (f->dir, "db-init.log", NULL);
  launcher = make_launcher (NULL, log);
  init = g_subprocess_launcher_spawn (launcher, &error, server_binary, "db", "init", "--data-dir",
                                      f->dir, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (init, NULL, &error));
  g_assert_no_error (error);
  f->store = bough_store_open (f->db, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->store, bough_store_unref);
  bough_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->runs);
}

/* Starts a process (worker or serve) and waits for its first line. */
static GSubprocess *
start_process (Fixture            *f,
               const char * const *extra_env,
               const char         *command,
               char              **out_line)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = g_strdup_printf ("%s/process-%u.log", f->dir, counter++);
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (extra_env, log);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  if (g_str_equal (command, "serve"))
    process = g_subprocess_launcher_spawn (launcher, &error, server_binary, "serve", "--data-dir",
                                           f->dir, "--listen", "127.0.0.1:0", NULL);
  else
    process = g_subprocess_launcher_spawn (launcher, &error, server_binary, command, "--data-dir",
                                           f->dir, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("%s says: %s", command, line);
  if (out_line != NULL)
    *out_line = g_steal_pointer (&line);
  return process;
}

static GSubprocess *
start_worker (Fixture            *f,
              const char * const *extra_env)
{
  g_autofree char *line = NULL;
  GSubprocess *process = start_process (f, extra_env, "worker", &line);

  g_assert_true (g_str_has_prefix (line, "worker running"));
  return process;
}

static void
stop_process (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static char *
insert_task (Fixture    *f,
             const char *workflow,
             const char *params,
             guint       max_attempts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTask) task = bough_task_new (workflow, workflow);

  task->parameters = g_strdup (params);
  task->max_attempts = max_attempts;
  g_assert_true (bough_store_task_insert (f->store, task, &error));
  g_assert_no_error (error);
  return g_strdup (task->id);
}

static char *
run_params (Fixture    *f,
            const char *extra)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, f->runs);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  if (extra != NULL)
    {
      g_autofree char *base = json_to_string (node, FALSE);

      /* "{...}" + ", extra" */
      base[strlen (base) - 1] = '\0';
      return g_strdup_printf ("%s, %s}", base, extra);
    }
  return json_to_string (node, FALSE);
}

static BoughTask *
get_task (Fixture    *f,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  BoughTask *task = bough_store_task_get (f->store, id, &error);

  g_assert_no_error (error);
  return task;
}

/* Waits (polling the store) until the task is in @state. */
static BoughTask *
wait_state (Fixture        *f,
            const char     *id,
            BoughTaskState  state)
{
  for (;;)
    {
      BoughTask *task = get_task (f, id);

      if (task->state == state)
        return task;
      g_assert_false (bough_task_state_is_final (task->state));
      bough_task_free (task);
      g_usleep (10 * 1000);
    }
}

/* The lines of the runs file: "<tag> <id> <pid>" */
static GPtrArray *
read_runs (Fixture *f)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (!g_file_get_contents (f->runs, &text, NULL, NULL))
    return out;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      {
        char **parts = g_strsplit (lines[i], " ", 3);

        g_assert_cmpuint (g_strv_length (parts), ==, 3);
        g_ptr_array_add (out, parts);
      }
  return out;
}

static guint
count_runs (GPtrArray  *runs,
            const char *tag,
            const char *id)
{
  guint n = 0;

  for (guint i = 0; i < runs->len; i++)
    {
      char **parts = g_ptr_array_index (runs, i);

      if (g_str_equal (parts[0], tag) && (id == NULL || g_str_equal (parts[1], id)))
        n++;
    }
  return n;
}

/* Two worker processes drain 1,000 tasks: each ran exactly once. */
static void
test_two_workers (Fixture       *f,
                  gconstpointer  data)
{
  const char * const env[] = { "BOUGH_TASKS_CONCURRENCY=2", NULL };
  g_autoptr(GSubprocess) a = start_worker (f, env);
  g_autoptr(GSubprocess) b = start_worker (f, env);
  g_autofree char *params = run_params (f, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) pids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) runs = NULL;
  gint64 states[BOUGH_TASK_CANCELLING + 1];
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < 1000; i++)
    g_hash_table_add (ids, insert_task (f, "test-noop", params, 1));
  for (;;)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (bough_store_task_count_states (f->store, "test-noop", states, &error));
      g_assert_no_error (error);
      g_assert_cmpint (states[BOUGH_TASK_FAILED] + states[BOUGH_TASK_CRASHED], ==, 0);
      if (states[BOUGH_TASK_COMPLETED] == 1000)
        break;
      g_usleep (20 * 1000);
    }
  stop_process (a);
  stop_process (b);

  runs = read_runs (f);
  g_assert_cmpuint (runs->len, ==, 1000);
  for (guint i = 0; i < runs->len; i++)
    {
      char **parts = g_ptr_array_index (runs, i);

      g_assert_cmpstr (parts[0], ==, "ran");
      g_assert_true (g_hash_table_contains (ids, parts[1]));
      /* never twice */
      g_assert_true (g_hash_table_add (seen, g_strdup (parts[1])));
      g_hash_table_insert (pids, g_strdup (parts[2]),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (pids, parts[2])) + 1));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1000);
  g_hash_table_iter_init (&iter, pids);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_test_message ("worker process %s ran %u tasks", (char *) key, GPOINTER_TO_UINT (value));
}

/* A worker killed mid-task: its lease runs out, another worker takes the
 * task up again and ends it. */
static void
test_worker_killed (Fixture       *f,
                    gconstpointer  data)
{
  const char * const env[] = { "BOUGH_TASKS_CONCURRENCY=1", "BOUGH_TASKS_LEASE=1", NULL };
  g_autoptr(GSubprocess) a = start_worker (f, env);
  g_autoptr(GSubprocess) b = NULL;
  g_autofree char *params = run_params (f, "\"ms\": 2000");
  g_autofree char *id = insert_task (f, "test-sleep", params, 3);
  g_autoptr(BoughTask) done = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GError) error = NULL;
  gboolean restarted = FALSE;
  gint64 n_logs = 0;

  /* running in a */
  for (;;)
    {
      g_autoptr(GPtrArray) r = read_runs (f);

      if (count_runs (r, "start", id) == 1)
        break;
      g_usleep (10 * 1000);
    }
  g_subprocess_force_exit (a);
  g_subprocess_wait (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (a));

  b = start_worker (f, env);
  done = wait_state (f, id, BOUGH_TASK_COMPLETED);
  stop_process (b);
  g_assert_cmpuint (done->attempts, ==, 2);
  g_assert_cmpint (done->conclusion, ==, BOUGH_TASK_CONCLUSION_SUCCESS);
  runs = read_runs (f);
  g_assert_cmpuint (count_runs (runs, "start", id), ==, 2);
  g_assert_cmpuint (count_runs (runs, "ran", id), ==, 1);
  logs = bough_store_task_logs (f->store, id, 0, -1, &n_logs, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < logs->len; i++)
    if (strstr (((BoughTaskLog *) logs->pdata[i])->message, "runs again") != NULL)
      restarted = TRUE;
  g_assert_true (restarted);
}

/* A task that keeps failing ends FAILED after its attempts, its error
 * logged. */
static void
test_failing (Fixture       *f,
              gconstpointer  data)
{
  const char * const env[] = { "BOUGH_TASKS_CONCURRENCY=1", NULL };
  g_autoptr(GSubprocess) worker = start_worker (f, env);
  g_autofree char *params = run_params (f, NULL);
  g_autofree char *id = insert_task (f, "test-fail", params, 3);
  g_autoptr(BoughTask) failed = wait_state (f, id, BOUGH_TASK_FAILED);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_logs = 0;
  BoughTaskLog *last;

  stop_process (worker);
  g_assert_cmpuint (failed->attempts, ==, 3);
  g_assert_cmpint (failed->conclusion, ==, BOUGH_TASK_CONCLUSION_FAILURE);
  g_assert_nonnull (strstr (failed->error_message, "failing on purpose (attempt 3)"));
  runs = read_runs (f);
  g_assert_cmpuint (count_runs (runs, "ran", id), ==, 3);
  logs = bough_store_task_logs (f->store, id, 0, -1, &n_logs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_logs, ==, 3);
  g_assert_nonnull (strstr (((BoughTaskLog *) logs->pdata[0])->message, "Attempt 1 of 3 failed"));
  last = g_ptr_array_index (logs, 2);
  g_assert_cmpstr (last->severity, ==, "error");
  g_assert_nonnull (strstr (last->message, "attempt 3"));
}

/* Cancelling a running task stops it at a safe point; a waiting one never
 * runs. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char * const env[] = { "BOUGH_TASKS_CONCURRENCY=1", NULL };
  g_autoptr(GSubprocess) worker = start_worker (f, env);
  g_autofree char *params = run_params (f, "\"ms\": 600000");
  g_autofree char *running = insert_task (f, "test-sleep", params, 1);
  g_autoptr(BoughTask) waiting = bough_task_new ("later", "test-noop");
  g_autoptr(BoughTask) cancelled = NULL;
  g_autoptr(BoughTask) never = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  BoughTaskState state;

  /* a task of the far future stays SCHEDULED until cancelled */
  waiting->parameters = run_params (f, NULL);
  waiting->not_before = g_get_real_time () + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  g_assert_true (bough_store_task_insert (f->store, waiting, &error));
  g_assert_no_error (error);

  for (;;)
    {
      g_autoptr(GPtrArray) r = read_runs (f);

      if (count_runs (r, "start", running) == 1)
        break;
      g_usleep (10 * 1000);
    }
  g_assert_true (bough_store_task_cancel (f->store, running, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, BOUGH_TASK_CANCELLING);
  cancelled = wait_state (f, running, BOUGH_TASK_CANCELLED);
  g_assert_cmpint (cancelled->conclusion, ==, BOUGH_TASK_CONCLUSION_FAILURE);

  g_assert_true (bough_store_task_cancel (f->store, waiting->id, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, BOUGH_TASK_CANCELLED);
  stop_process (worker);
  never = get_task (f, waiting->id);
  g_assert_cmpint (never->state, ==, BOUGH_TASK_CANCELLED);
  g_assert_cmpuint (never->attempts, ==, 0);
  runs = read_runs (f);
  g_assert_cmpuint (count_runs (runs, "ran", running), ==, 0);
  g_assert_cmpuint (count_runs (runs, "ran", waiting->id), ==, 0);
}

/* ---- serve and a worker process ---- */

static JsonNode *
graphql (SoupSession *session,
         const char  *base,
         const char  *branch,
         const char  *query)
{
  g_autofree char *url = branch ? g_strdup_printf ("%s/graphql/%s", base, branch)
                                : g_strdup_printf ("%s/graphql", base);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  gsize length;
  const char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, query);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  text = json_to_string (request, FALSE);
  body = g_bytes_new (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_message_headers_append (soup_message_get_request_headers (msg), "X-INFRAHUB-KEY", TOKEN);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (answer, &length);
  g_assert_true (json_parser_load_from_data (parser, data, length, &error));
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonNode *
at (JsonNode   *root,
    const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          guint index = atoi (parts[i]);
          JsonArray *array = json_node_get_array (node);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
        }
      else
        node = NULL;
    }
  return node;
}

static const char *
S (JsonNode   *root,
   const char *path)
{
  JsonNode *node = at (root, path);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

static void
assert_no_errors (JsonNode *root)
{
  if (at (root, "errors") != NULL)
    {
      g_autofree char *text = json_to_string (root, TRUE);

      g_error ("unexpected errors: %s", text);
    }
}

/* serve with no embedded workers hands a merge to a worker process; serve
 * then shows the merged data, the task's end and the new schema of the
 * branch-created kinds; a waiting request times out naming the task. */
static void
test_merge_by_worker (Fixture       *f,
                      gconstpointer  data)
{
  const char * const serve_env[] = { "BOUGH_TASKS_CONCURRENCY=0", "BOUGH_TASKS_WAIT_TIMEOUT=1", NULL };
  const char * const worker_env[] = { "BOUGH_TASKS_CONCURRENCY=1", NULL };
  g_autofree char *line = NULL;
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(GSubprocess) worker = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  JsonNode *r = NULL;
  g_autofree char *task = NULL;
  g_autofree char *query = NULL;
  const char *base;

  g_clear_pointer (&f->store, bough_store_unref);
  serve = start_process (f, serve_env, "serve", &line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  base = line + strlen ("listening on ");

  r = graphql (session, base, NULL, "mutation { BranchCreate(data: {name: \"b1\"}) { ok } }");
  assert_no_errors (r);
  json_node_unref (r);
  r = graphql (session, base, "b1", "mutation { BuiltinTagCreate(data: {name: {value: \"from-b1\"}}) { ok } }");
  assert_no_errors (r);
  json_node_unref (r);

  /* nobody runs tasks yet: a waiting merge times out and names its task */
  r = graphql (session, base, NULL, "mutation { BranchMerge(data: {name: \"b1\"}) { ok task { id } } }");
  g_assert_nonnull (at (r, "errors"));
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "did not finish"));
  {
    const char *message = S (r, "errors.0.message");
    const char *start = strstr (message, "Task ") + strlen ("Task ");

    task = g_strndup (start, strcspn (start, " "));
  }
  json_node_unref (r);
  query = g_strdup_printf ("{ InfrahubTask(ids: [\"%s\"]) { count edges { node { state workflow } } } }", task);
  r = graphql (session, base, NULL, query);
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.state"), ==, "PENDING");
  json_node_unref (r);
  r = graphql (session, base, NULL, "{ BuiltinTag(name__value: \"from-b1\") { count } }");
  assert_no_errors (r);
  g_assert_cmpint (json_node_get_int (at (r, "data.BuiltinTag.count")), ==, 0);
  json_node_unref (r);

  /* a worker process runs it */
  worker = start_process (f, worker_env, "worker", NULL);
  for (;;)
    {
      r = graphql (session, base, NULL, query);
      assert_no_errors (r);
      if (g_strcmp0 (S (r, "data.InfrahubTask.edges.0.node.state"), "COMPLETED") == 0)
        break;
      g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.state"), !=, "FAILED");
      json_node_unref (r);
      g_usleep (20 * 1000);
    }
  json_node_unref (r);
  r = graphql (session, base, NULL, "{ BuiltinTag(name__value: \"from-b1\") { count } }");
  assert_no_errors (r);
  g_assert_cmpint (json_node_get_int (at (r, "data.BuiltinTag.count")), ==, 1);
  json_node_unref (r);

  /* not waiting: the answer names the task at once */
  r = graphql (session, base, NULL,
               "mutation { BranchRebase(wait_until_completion: false, data: {name: \"b1\"}) { ok task { id } } }");
  assert_no_errors (r);
  g_assert_nonnull (S (r, "data.BranchRebase.task.id"));
  json_node_unref (r);

  stop_process (worker);
  stop_process (serve);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server_binary = g_test_build_filename (G_TEST_BUILT, "..", "server", "bough-server", NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/task-workers/two-workers", test_two_workers);
  ADD ("/task-workers/worker-killed", test_worker_killed);
  ADD ("/task-workers/failing", test_failing);
  ADD ("/task-workers/cancel", test_cancel);
  ADD ("/task-workers/merge-by-worker", test_merge_by_worker);
#undef ADD

  status = g_test_run ();
  g_free (server_binary);
  return status;
}
