/* bough-bench-authz.c: the cost of permission checks (issue #5): a W2-like list of 10,000 nodes
 * with a relationship each, read through the GraphQL API in-process as a super administrator
 * and as an account holding object permissions (most-specific-wins over several rules, a deny,
 * peers to filter). Prints p50 ms of each and their ratio, as text or JSON (--json).
 *
 * Usage: bough-bench-authz [--nodes N] [--reps R] [--json]
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench-authz"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "auth/bough-permission.h"
#include "graphql/bough-graphql-api.h"
#include "store/bough-store.h"

#include "bough-bench-accounts.h"

static const char schema_yaml[] =
  "version: '1.0'\n"
  "nodes:\n"
  "  - name: Site\n"
  "    namespace: Bench\n"
  "    human_friendly_id: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "        unique: true\n"
  "  - name: Port\n"
  "    namespace: Bench\n"
  "    order_by: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "      - name: description\n"
  "        kind: Text\n"
  "        optional: true\n"
  "      - name: speed\n"
  "        kind: Number\n"
  "        optional: true\n"
  "    relationships:\n"
  "      - name: site\n"
  "        peer: BenchSite\n"
  "        cardinality: one\n"
  "        optional: true\n"
  "  - name: Secret\n"
  "    namespace: Bench\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n";

/* p50 ms of @reps runs of @query as @account; checks the edges listed. */
static double
measure (BoughGraphqlApi *api,
         const char      *account,
         const char      *query,
         guint            reps,
         guint            expect)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) wrapper = json_node_init_object (json_node_alloc (), request);

  json_object_set_string_member (request, "query", query);
  body = json_to_string (wrapper, FALSE);
  for (guint i = 0; i < reps; i++)
    {
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      guint status = 0;
      gint64 start = g_get_monotonic_time ();
      double elapsed;
      gsize len;
      const char *text;
      JsonObject *data;

      bough_graphql_api_execute_full (api, NULL, NULL, account, body, strlen (body), &status, &response, NULL);
      elapsed = (g_get_monotonic_time () - start) / 1000.0;
      text = g_bytes_get_data (response, &len);
      root = json_from_string (text, &error);
      if (root == NULL || status != 200)
        bough_bench_die ("query", error);
      data = json_object_get_object_member (json_node_get_object (root), "data");
      if (data == NULL ||
          json_array_get_length (json_object_get_array_member (json_object_get_object_member (data, "BenchPort"),
                                                               "edges")) != expect)
        {
          g_printerr ("bough-bench-authz: unexpected answer: %.200s\n", text);
          exit (1);
        }
      g_array_append_val (ms, elapsed);
    }
  g_array_sort (ms, bough_bench_compare_doubles);
  return g_array_index (ms, double, ms->len / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("- cost of permission checks");
  gint n_nodes = 10000, reps = 10;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "nodes", 0, 0, G_OPTION_ARG_INT, &n_nodes, "Nodes listed (10000)", "N" },
    { "reps", 0, 0, G_OPTION_ARG_INT, &reps, "Runs of each query (10)", "R" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL },
  };
  g_autofree char *dir = NULL, *path = NULL, *admin = NULL, *user = NULL, *query = NULL;
  g_autoptr(BoughStore) store = NULL;
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(BoughGraphqlApi) api = NULL;
  const char *admin_perms[] = { "{\"action\": {\"value\": \"super_admin\"}, \"decision\": {\"value\": 6}}", NULL };
  /* several rules to resolve per kind, a more specific deny, peers of a
   * kind seen and of one not */
  const char *user_perms[] = {
    "{\"namespace\": {\"value\": \"*\"}, \"name\": {\"value\": \"*\"}, \"action\": {\"value\": \"any\"}, \"decision\": {\"value\": 4}}",
    "{\"namespace\": {\"value\": \"Bench\"}, \"name\": {\"value\": \"*\"}, \"action\": {\"value\": \"view\"}, \"decision\": {\"value\": 6}}",
    "{\"namespace\": {\"value\": \"Bench\"}, \"name\": {\"value\": \"Po*\"}, \"action\": {\"value\": \"update\"}, \"decision\": {\"value\": 2}}",
    "{\"namespace\": {\"value\": \"Bench\"}, \"name\": {\"value\": \"Secret\"}, \"action\": {\"value\": \"view\"}, \"decision\": {\"value\": 1}}",
    "{\"action\": {\"value\": \"manage_schema\"}, \"decision\": {\"value\": 6}}",
    NULL,
  };
  double t_admin, t_user;
  gint64 start;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    bough_bench_die ("options", error);
  n_nodes = MAX (1, n_nodes);
  reps = MAX (1, reps);

  dir = g_dir_make_tmp ("bough-bench-authz-XXXXXX", &error);
  if (dir == NULL)
    bough_bench_die ("temporary directory", error);
  path = g_build_filename (dir, "bough.db", NULL);
  store = bough_store_open (path, &error);
  if (store == NULL || !bough_store_initialize (store, &error))
    bough_bench_die ("store", error);
  core = bough_store_get_schema (store, NULL, 0, &error);
  builder = bough_schema_builder_new (core);
  if (!bough_schema_builder_add_data (builder, schema_yaml, -1, "bench schema", &error) ||
      (schema = bough_schema_builder_build (builder, &error)) == NULL ||
      !bough_store_set_schema (store, NULL, schema, NULL, &error))
    bough_bench_die ("schema", error);

  start = g_get_monotonic_time ();
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (store, NULL, NULL, &error);
    g_autofree char *site = NULL, *secret = NULL;

    if (txn == NULL)
      bough_bench_die ("begin", error);
    site = bough_bench_create (txn, "BenchSite", "{\"name\": {\"value\": \"site-1\"}}");
    secret = bough_bench_create (txn, "BenchSecret", "{\"name\": {\"value\": \"hidden\"}}");
    for (gint i = 0; i < n_nodes; i++)
      {
        g_autofree char *data = g_strdup_printf ("{\"name\": {\"value\": \"port-%06d\"}, \"description\": {\"value\": \"d%d\"},"
                                                 " \"speed\": {\"value\": %d}, \"site\": {\"id\": \"%s\"}}",
                                                 i, i, 1000 * (i % 10), site);

        g_free (bough_bench_create (txn, "BenchPort", data));
      }
    if (!bough_txn_commit (txn, &error))
      bough_bench_die ("commit", error);
  }
  if (!json)
    g_printerr ("loaded %d nodes in %.0f ms\n", n_nodes, (g_get_monotonic_time () - start) / 1000.0);
  admin = bough_bench_make_account (store, "bench-admin", admin_perms);
  user = bough_bench_make_account (store, "bench-user", user_perms);

  api = bough_graphql_api_new (store);
  query = g_strdup_printf ("query { BenchPort(limit: %d) { count edges { node { id display_label"
                           " name { value } description { value } speed { value }"
                           " site { node { id display_label } } } } } }", n_nodes);
  /* warm both (schema generation, caches) before measuring */
  measure (api, admin, query, 1, (guint) n_nodes);
  measure (api, user, query, 1, (guint) n_nodes);
  /* interleaved, so that a busy moment of the machine weighs on both */
  {
    g_autoptr(GArray) a = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) u = g_array_new (FALSE, FALSE, sizeof (double));

    for (gint i = 0; i < reps; i++)
      {
        double x = measure (api, admin, query, 1, (guint) n_nodes);
        double y = measure (api, user, query, 1, (guint) n_nodes);

        g_array_append_val (a, x);
        g_array_append_val (u, y);
      }
    g_array_sort (a, bough_bench_compare_doubles);
    g_array_sort (u, bough_bench_compare_doubles);
    t_admin = g_array_index (a, double, a->len / 2);
    t_user = g_array_index (u, double, u->len / 2);
  }

  if (json)
    g_print ("{\"nodes\": %d, \"reps\": %d, \"admin_p50_ms\": %.2f, \"user_p50_ms\": %.2f, \"ratio\": %.3f}\n",
             n_nodes, reps, t_admin, t_user, t_user / t_admin);
  else
    g_print ("W2-like list of %d nodes with a peer each, p50 of %d runs:\n"
             "  super administrator:          %8.2f ms\n"
             "  account with object perms:    %8.2f ms\n"
             "  ratio user/admin:             %8.3f\n",
             n_nodes, reps, t_admin, t_user, t_user / t_admin);

  g_clear_pointer (&api, bough_graphql_api_unref);
  g_clear_pointer (&store, bough_store_unref);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
  return 0;
}
