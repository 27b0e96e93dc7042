/* test-bench-smoke.c: runs bough-bench on a tiny dataset (with the HTTP
 * workloads against bough-server) and checks its JSON report: it parses,
 * names the machine, SQLite and the pragmas, and has every workload with a
 * positive figure on each side it measured.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "../test-util.h"

static const char *bench_path;

static const char * const workloads[] = {
  "W1.create", "W1.load", "W1.load_bytes", "W1.load_rss", "W1.list", "W1.get_id",
  "W1.get_hfid", "W3.get_p50", "W3.get_p99", "W3.update", "W3.upsert_twice",
};

/* Measured over HTTP only (no raw figure), except W1.http_load. */
static const char * const http_workloads[] = {
  "W1.http_load", "W1.http_creates", "W2.list_250_p50", "W2.list_250_p95", "W2.list_250_sql",
  "W2.list_1k_p50", "W2.list_1k_p95", "W2.list_1k_sql", "W2.list_10k_p50", "W2.list_10k_p95",
  "W2.list_10k_sql", "W2.count_p50", "W2.count_p95", "W2.count_sql", "W2.list_10k_attrs",
  "W2.list_10k_attrs_sql", "W2.http_introspection", "W3.http_device_p50", "W3.http_device_p99",
  "W3.http_get_id_p50", "W3.http_get_id_p99", "W3.http_update", "W3.http_upsert_twice",
};

static int
run_bench (const char * const *args,
           char              **out,
           char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) bench_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static JsonObject *
find_workload (JsonArray  *array,
               const char *id)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *workload = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (workload, "id"), id) == 0)
        return workload;
    }
  return NULL;
}

static void
assert_positive (JsonObject *workload,
                 const char *member)
{
  JsonNode *node = json_object_get_member (workload, member);
  double value;

  g_assert_nonnull (node);
  g_assert_false (JSON_NODE_HOLDS_NULL (node));
  value = json_node_get_double (node);
  if (!(value > 0))
    g_error ("%s: %s is %g, not positive", json_object_get_string_member (workload, "id"),
             member, value);
}

static void
test_smoke (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("bough-bench-smoke-XXXXXX", &error);
  g_autofree char *json_path = NULL;
  g_autofree char *db_dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonObject *machine;
  JsonObject *pragmas;
  JsonObject *sizes;
  JsonArray *list;
  gboolean store;
  int status;

  g_assert_no_error (error);
  json_path = g_build_filename (tmp, "bench.json", NULL);
  db_dir = g_build_filename (tmp, "db", NULL);
  {
    const char * const args[] = {
      "--devices", "5", "--nodes", "500", "--runs", "1", "--json", json_path,
      "--dir", db_dir, "--http", "--budget", "2", NULL
    };

    status = run_bench (args, &out, &err);
  }
  if (status != 0)
    g_error ("bough-bench exited with %d:\n%s\n%s", status, out, err);
  g_assert_nonnull (strstr (out, "W1.create"));

  json_parser_load_from_file (parser, json_path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_nonnull (root);

  machine = json_object_get_object_member (root, "machine");
  g_assert_nonnull (machine);
  g_assert_cmpstr (json_object_get_string_member (machine, "cpu_model"), !=, "");
  g_assert_cmpint (json_object_get_int_member (machine, "cores"), >, 0);
  g_assert_cmpint (json_object_get_int_member (machine, "ram_bytes"), >, 0);
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (root, "sqlite"),
                                                   "version"));
  pragmas = json_object_get_object_member (json_object_get_object_member (root, "sqlite"),
                                           "pragmas");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (pragmas, "raw"),
                                                  "journal_mode"), ==, "wal");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (pragmas, "raw"),
                                                  "synchronous"), ==, "FULL");
  g_assert_cmpint (json_object_get_int_member (root, "seed"), ==, 42);
  sizes = json_object_get_object_member (root, "sizes");
  g_assert_cmpint (json_object_get_int_member (sizes, "devices"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (sizes, "create_nodes"), ==, 500);
  /* 5 devices x 48 interfaces, the devices and what they need. */
  g_assert_cmpint (json_object_get_int_member (sizes, "objects"), >, 5 * 49);

  store = json_object_get_boolean_member (json_object_get_object_member (root, "store"),
                                          "available");
  if (!store)
    g_test_message ("store not measured: %s",
                    json_object_get_string_member (json_object_get_object_member (root, "store"),
                                                   "reason"));

  list = json_object_get_array_member (root, "workloads");
  g_assert_nonnull (list);
  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    {
      JsonObject *workload = find_workload (list, workloads[i]);

      if (workload == NULL)
        g_error ("workload %s missing from the report", workloads[i]);
      assert_positive (workload, "raw");
      if (store)
        {
          assert_positive (workload, "store");
          assert_positive (workload, "ratio");
        }
    }
  {
    /* The growth of a tiny load may round to nothing, but must be there. */
    JsonObject *growth = find_workload (list, "W1.load_rss_growth");

    g_assert_nonnull (growth);
    g_assert_cmpfloat (json_object_get_double_member (growth, "raw"), >=, 0);
    if (store)
      g_assert_cmpfloat (json_object_get_double_member (growth, "store"), >=, 0);
  }
  {
    JsonObject *upsert = find_workload (list, "W3.upsert_twice");
    JsonObject *nothing = json_object_get_object_member (upsert, "second_upsert_wrote_nothing");

    g_assert_true (json_object_get_boolean_member (nothing, "raw"));
    if (store)
      g_assert_true (json_object_get_boolean_member (nothing, "store"));
  }
  if (store)
    {
      JsonObject *upsert = find_workload (list, "W3.http_upsert_twice");
      JsonObject *nothing;

      for (guint i = 0; i < G_N_ELEMENTS (http_workloads); i++)
        {
          JsonObject *workload = find_workload (list, http_workloads[i]);

          if (workload == NULL)
            g_error ("workload %s missing from the report", http_workloads[i]);
          assert_positive (workload, "store");
        }
      assert_positive (find_workload (list, "W1.http_load"), "raw");
      nothing = json_object_get_object_member (upsert, "second_upsert_wrote_nothing");
      g_assert_nonnull (nothing);
      g_assert_true (json_object_get_boolean_member (nothing, "store"));
      g_assert_nonnull (strstr (json_object_get_string_member (nothing, "unchanged"),
                                "commits"));
      /* The statements of a list do not depend on its length. */
      g_assert_cmpfloat (json_object_get_double_member (find_workload (list, "W2.list_250_sql"),
                                                        "store"), ==,
                         json_object_get_double_member (find_workload (list, "W2.list_10k_sql"),
                                                        "store"));
      g_assert_nonnull (strstr (out, "W2.list_10k_attrs"));
    }

  bough_test_remove_tree (tmp);
}

static void
test_bad_option (void)
{
  const char * const args[] = { "--size", "XL", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_bench (args, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--size must be S or L"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (argc < 2)
    {
      g_printerr ("usage: %s PATH-OF-bough-bench\n", argv[0]);
      return 1;
    }
  bench_path = argv[1];

  g_test_add_func ("/bench/smoke", test_smoke);
  g_test_add_func ("/bench/bad-option", test_bad_option);
  return g_test_run ();
}
