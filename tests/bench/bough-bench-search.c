/* bough-bench-search.c: the searches of the desktop client (issue #7) at
 * 100,000 objects of one kind: a page of a partial `name__value` filter, a
 * partial filter on another attribute, an exact filter, and
 * `InfrahubSearchAnywhere` as a super administrator and as an account that
 * may not view one kind. Runs in-process through the GraphQL API on a
 * temporary store; every answer's count is checked against a count made
 * here from the generated values. Prints p50/p95 ms, as text or JSON.
 *
 * Usage: bough-bench search [--nodes N] [--reps R] [--json FILE]
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "graphql/bough-graphql-api.h"
#include "store/bough-store.h"

#include "bough-bench-accounts.h"

#include "bough-bench-search.h"

static const char schema_yaml[] =
  "version: '1.0'\n"
  "nodes:\n"
  "  - name: Widget\n"
  "    namespace: Bench\n"
  "    human_friendly_id: ['name__value']\n"
  "    order_by: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "        unique: true\n"
  "      - name: description\n"
  "        kind: Text\n"
  "        optional: true\n"
  "      - name: serial\n"
  "        kind: Text\n"
  "        optional: true\n"
  "      - name: weight\n"
  "        kind: Number\n"
  "        optional: true\n"
  "  - name: Rack\n"
  "    namespace: Bench\n"
  "    human_friendly_id: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "        unique: true\n"
  "  - name: Secret\n"
  "    namespace: Bench\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n";

#define N_RACKS 1000
#define N_SECRETS 100

typedef struct
{
  const char *id;
  const char *title;
  double      p50;
  double      p95;
  gint64      count;
} Figure;

/* Runs @query @reps times as @account (after one warm-up run) and keeps
 * p50/p95; the answer's `count` under @field must be @expect. */
static void
measure (BoughGraphqlApi *api,
         const char      *account,
         const char      *field,
         const char      *query,
         guint            reps,
         gint64           expect,
         Figure          *out)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) wrapper = json_node_init_object (json_node_alloc (), request);

  json_object_set_string_member (request, "query", query);
  body = json_to_string (wrapper, FALSE);
  for (guint i = 0; i <= reps; i++)
    {
      g_autoptr(GBytes) response = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      guint status = 0;
      gint64 start = g_get_monotonic_time ();
      double elapsed;
      gsize len;
      const char *text;
      JsonObject *data, *result;

      bough_graphql_api_execute_full (api, NULL, NULL, account, body, strlen (body), &status, &response, NULL);
      elapsed = (g_get_monotonic_time () - start) / 1000.0;
      text = g_bytes_get_data (response, &len);
      root = json_from_string (text, &error);
      if (root == NULL || status != 200)
        bough_bench_die ("query", error);
      data = json_object_get_object_member (json_node_get_object (root), "data");
      result = data != NULL ? json_object_get_object_member (data, field) : NULL;
      if (result == NULL || json_object_get_int_member (result, "count") != expect)
        {
          g_printerr ("bough-bench search: %s: expected a count of %" G_GINT64_FORMAT ", got %.300s\n",
                      out->id, expect, text);
          exit (1);
        }
      if (i > 0)
        g_array_append_val (ms, elapsed);
    }
  g_array_sort (ms, bough_bench_compare_doubles);
  out->p50 = g_array_index (ms, double, ms->len / 2);
  out->p95 = g_array_index (ms, double, MIN (ms->len - 1, (ms->len * 95) / 100));
  out->count = expect;
}

/* The secrets share the names of a few widgets, among them matches of the
 * searches, which an account that may not view them must not see. */
static gint
secret_number (gint n_nodes,
               gint i)
{
  return i < 5 ? n_nodes / 10 - 1 - i : i * 7;
}

static char *
widget_name (gint i)
{
  return g_strdup_printf ("w%05d", i);
}

static char *
widget_description (gint i)
{
  return g_strdup_printf ("Widget %d in Rack R%03d", i, i % N_RACKS);
}

/* Naive counts of the generated values that contain @needle, ASCII case
 * folded as SQLite's lower() does. */
static gint64
count_matches (gint         n,
               char      *(*value) (gint),
               const char  *needle)
{
  g_autofree char *folded = g_ascii_strdown (needle, -1);
  gint64 count = 0;

  for (gint i = 0; i < n; i++)
    {
      g_autofree char *v = value (i);
      g_autofree char *f = g_ascii_strdown (v, -1);

      count += strstr (f, folded) != NULL;
    }
  return count;
}

int
bough_bench_search_main (int   argc,
                         char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) options = g_option_context_new ("- searches at 100,000 objects");
  gint n_nodes = 100000, reps = 10;
  char *json_path = NULL;
  gboolean keep = FALSE;
  GOptionEntry entries[] = {
    { "nodes", 0, 0, G_OPTION_ARG_INT, &n_nodes, "Objects of the searched kind (100000)", "N" },
    { "reps", 0, 0, G_OPTION_ARG_INT, &reps, "Runs of each query (10)", "R" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "Write the figures as JSON to FILE", "FILE" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the database and print its path", NULL },
    { NULL },
  };
  g_autofree char *dir = NULL, *path = NULL, *admin = NULL, *user = NULL;
  g_autofree char *needle = NULL;
  g_autoptr(BoughStore) store = NULL;
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(BoughGraphqlApi) api = NULL;
  const char *admin_perms[] = { "{\"action\": {\"value\": \"super_admin\"}, \"decision\": {\"value\": 6}}", NULL };
  /* may view everything but BenchSecret */
  const char *user_perms[] = {
    "{\"namespace\": {\"value\": \"*\"}, \"name\": {\"value\": \"*\"}, \"action\": {\"value\": \"view\"},"
    " \"decision\": {\"value\": 6}}",
    "{\"namespace\": {\"value\": \"Bench\"}, \"name\": {\"value\": \"Secret\"}, \"action\": {\"value\": \"view\"},"
    " \"decision\": {\"value\": 1}}",
    NULL,
  };
  Figure figures[10] = { { 0 } };
  guint n_figures = 0;
  gint64 start, widgets_w0999, secrets_w0999;
  double load_s;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    bough_bench_die ("options", error);
  n_nodes = MAX (100, n_nodes);
  reps = MAX (1, reps);

  dir = g_dir_make_tmp ("bough-bench-search-XXXXXX", &error);
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
  for (gint first = 0; first < n_nodes; first += 1000)
    {
      g_autoptr(BoughTxn) txn = bough_store_begin (store, NULL, NULL, &error);

      if (txn == NULL)
        bough_bench_die ("begin", error);
      if (first == 0)
        {
          for (gint i = 0; i < N_RACKS; i++)
            {
              g_autofree char *data = g_strdup_printf ("{\"name\": {\"value\": \"R%03d\"}}", i);

              g_free (bough_bench_create (txn, "BenchRack", data));
            }
          for (gint i = 0; i < N_SECRETS; i++)
            {
              g_autofree char *data = g_strdup_printf ("{\"name\": {\"value\": \"secret-w%05d\"}}",
                                                   secret_number (n_nodes, i));

              g_free (bough_bench_create (txn, "BenchSecret", data));
            }
        }
      for (gint i = first; i < MIN (n_nodes, first + 1000); i++)
        {
          g_autofree char *name = widget_name (i);
          g_autofree char *description = widget_description (i);
          g_autofree char *data = g_strdup_printf ("{\"name\": {\"value\": \"%s\"}, \"description\": {\"value\": \"%s\"},"
                                                   " \"serial\": {\"value\": \"SN-%08X\"},"
                                                   " \"weight\": {\"value\": %d}}",
                                                   name, description, (guint) i * 2654435761u, i % 977);

          g_free (bough_bench_create (txn, "BenchWidget", data));
        }
      if (!bough_txn_commit (txn, &error))
        bough_bench_die ("commit", error);
    }
  load_s = (g_get_monotonic_time () - start) / 1e6;
  admin = bough_bench_make_account (store, "bench-admin", admin_perms);
  user = bough_bench_make_account (store, "bench-user", user_perms);
  api = bough_graphql_api_new (store);

  /* "w0999" for 100,000 widgets: w09990 to w09999 */
  needle = widget_name (n_nodes / 10 - 1);
  needle[strlen (needle) - 1] = '\0';
  widgets_w0999 = count_matches (n_nodes, widget_name, needle);
  secrets_w0999 = 0;
  for (gint i = 0; i < N_SECRETS; i++)
    {
      g_autofree char *s = g_strdup_printf ("secret-w%05d", secret_number (n_nodes, i));

      secrets_w0999 += strstr (s, needle) != NULL;
    }

  {
    g_autofree char *q = g_strdup_printf ("{ BenchWidget(name__value: \"%s\", partial_match: true, limit: 50)"
                                          " { count edges { node { id name { value } description { value } } } } }",
                                          needle);
    Figure *f = &figures[n_figures++];

    f->id = "search.filter_partial_name";
    f->title = "partial name__value filter, page of 50";
    measure (api, admin, "BenchWidget", q, reps, widgets_w0999, f);
  }
  {
    const char *rack = "rack r042";
    g_autofree char *q = g_strdup_printf ("{ BenchWidget(description__value: \"%s\", partial_match: true, limit: 50)"
                                          " { count edges { node { id name { value } } } } }", rack);
    Figure *f = &figures[n_figures++];

    f->id = "search.filter_partial_description";
    f->title = "partial description__value (mixed case), page of 50";
    measure (api, admin, "BenchWidget", q, reps, count_matches (n_nodes, widget_description, rack), f);
  }
  {
    g_autofree char *name = widget_name (n_nodes / 2);
    g_autofree char *q = g_strdup_printf ("{ BenchWidget(name__value: \"%s\") { count edges { node { id } } } }", name);
    Figure *f = &figures[n_figures++];

    f->id = "search.filter_exact_name";
    f->title = "exact name__value filter";
    measure (api, admin, "BenchWidget", q, reps, 1, f);
  }
  {
    g_autofree char *q = g_strdup_printf ("{ InfrahubSearchAnywhere(q: \"%s\") { count edges { node { id kind } } } }",
                                          needle);
    Figure *f = &figures[n_figures++];

    f->id = "search.anywhere_admin";
    f->title = "InfrahubSearchAnywhere, super administrator";
    measure (api, admin, "InfrahubSearchAnywhere", q, reps, widgets_w0999 + secrets_w0999, f);
    f = &figures[n_figures++];
    f->id = "search.anywhere_user";
    f->title = "InfrahubSearchAnywhere, one kind not viewable";
    measure (api, user, "InfrahubSearchAnywhere", q, reps, widgets_w0999, f);
  }
  {
    /* every widget's description holds it: the count is the whole kind */
    const char *q = "{ InfrahubSearchAnywhere(q: \"widget \") { count edges { node { id kind } } } }";
    Figure *f = &figures[n_figures++];

    f->id = "search.anywhere_broad_admin";
    f->title = "InfrahubSearchAnywhere, every widget matches";
    measure (api, admin, "InfrahubSearchAnywhere", q, reps, n_nodes, f);
    f = &figures[n_figures++];
    f->id = "search.anywhere_broad_user";
    f->title = "InfrahubSearchAnywhere, every widget, kind hidden";
    measure (api, user, "InfrahubSearchAnywhere", q, reps, n_nodes, f);
  }
  {
    Figure *f = &figures[n_figures++];

    f->id = "search.anywhere_none";
    f->title = "InfrahubSearchAnywhere, no match";
    measure (api, admin, "InfrahubSearchAnywhere",
             "{ InfrahubSearchAnywhere(q: \"no-such-thing\") { count edges { node { id kind } } } }",
             reps, 0, f);
  }

  g_print ("bough-bench search: %d objects of BenchWidget (+ %d racks, %d secrets), loaded in %.1f s"
           " (%.0f objects/s), p50/p95 of %d runs\n",
           n_nodes, N_RACKS, N_SECRETS, load_s, (n_nodes + N_RACKS + N_SECRETS) / load_s, reps);
  for (guint i = 0; i < n_figures; i++)
    g_print ("  %-36s %-52s %9.2f ms %9.2f ms  (count %" G_GINT64_FORMAT ")\n",
             figures[i].id, figures[i].title, figures[i].p50, figures[i].p95, figures[i].count);
  if (json_path != NULL)
    {
      g_autoptr(JsonBuilder) jb = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (jb);
      json_builder_set_member_name (jb, "nodes");
      json_builder_add_int_value (jb, n_nodes);
      json_builder_set_member_name (jb, "reps");
      json_builder_add_int_value (jb, reps);
      json_builder_set_member_name (jb, "sqlite");
      json_builder_add_string_value (jb, sqlite3_libversion ());
      json_builder_set_member_name (jb, "load_objects_per_s");
      json_builder_add_double_value (jb, (n_nodes + N_RACKS + N_SECRETS) / load_s);
      json_builder_set_member_name (jb, "figures");
      json_builder_begin_array (jb);
      for (guint i = 0; i < n_figures; i++)
        {
          json_builder_begin_object (jb);
          json_builder_set_member_name (jb, "id");
          json_builder_add_string_value (jb, figures[i].id);
          json_builder_set_member_name (jb, "title");
          json_builder_add_string_value (jb, figures[i].title);
          json_builder_set_member_name (jb, "p50_ms");
          json_builder_add_double_value (jb, figures[i].p50);
          json_builder_set_member_name (jb, "p95_ms");
          json_builder_add_double_value (jb, figures[i].p95);
          json_builder_set_member_name (jb, "count");
          json_builder_add_int_value (jb, figures[i].count);
          json_builder_end_object (jb);
        }
      json_builder_end_array (jb);
      json_builder_end_object (jb);
      root = json_builder_get_root (jb);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      if (!json_generator_to_file (generator, json_path, &error))
        bough_bench_die (json_path, error);
    }

  g_clear_pointer (&api, bough_graphql_api_unref);
  g_clear_pointer (&store, bough_store_unref);
  if (keep)
    g_print ("database kept: %s\n", path);
  else
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (path);
      g_rmdir (dir);
    }
  g_free (json_path);
  return 0;
}
