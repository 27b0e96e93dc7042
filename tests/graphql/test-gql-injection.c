/* test-gql-injection.c: a seeded property test pushing hostile text (random
 * Unicode, quotes, comments, SQL keywords, very long strings, broken UUIDs)
 * through every place a caller controls in the GraphQL API in-process:
 * filters, hfids, ids, order, branch names, attribute values, stored query
 * names, search, DiffTree filters, and schema identifiers. Each case must get
 * a normal answer or a clear error without SQL text, leave the database
 * passing PRAGMA integrity_check and leave a canary set of nodes unchanged.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-gql-injection"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "../server/store-test-common.h"
#include "graphql/bough-graphql-api.h"
#include "gql-test-common.h"

#define BRANCH "br1"
#define CASES_PER_TARGET 24

typedef struct
{
  StoreFixture     store;
  BoughGraphqlApi *api;
  sqlite3         *db;          /* a second, read-only connection for the checks */
  char            *canary;      /* the canary sites as the API shows them */
  char            *tag;         /* a tag the update cases rewrite */
  guint            cases;
  guint            answered;    /* cases answered without errors */
} World;

static World world;

static const char *fragments[] = {
  "'", "\"", ";", "--", "/*", "*/", "%", "_", "\\", "' OR 1=1 --", "\"; DROP TABLE nodes; --",
  "'); DELETE FROM nodes; --", "\" OR \"\"=\"", "$.\"name\"", "') UNION SELECT sql FROM sqlite_master --",
  "\\'", "%%", "*", "?", "?1", ":name", "@x", "$x", "\x1f", "\t", "\n", "\r", "\x01", "\x7f",
  "00000000-0000-0000-0000-00000000000g", "ffffffff-ffff-ffff-ffff-ffffffffffff'", "{{", "}}",
  "__value", "name__value", "../", "`", "[", "]", "NULL", "null", "\xc2\xa0", "\xe2\x80\xae",
  "\xef\xbb\xbf", "\xf0\x9f\x92\xa3", "\xe5\x90\x8d",
};

/* Random hostile text: fragments, random code points (never NUL nor a
 * surrogate) and ASCII, sometimes very long; always holds at least one
 * character no identifier allows. */
static char *
hostile (void)
{
  GString *s = g_string_new (NULL);
  guint parts = g_test_rand_int_range (1, 8);

  g_string_append (s, fragments[g_test_rand_int_range (0, G_N_ELEMENTS (fragments))]);
  for (guint i = 0; i < parts; i++)
    {
      switch (g_test_rand_int_range (0, 4))
        {
        case 0:
          g_string_append (s, fragments[g_test_rand_int_range (0, G_N_ELEMENTS (fragments))]);
          break;
        case 1:
          {
            gunichar c;
            char buf[8];

            do
              c = g_test_rand_int_range (1, 0x10FFFF);
            while ((c >= 0xD800 && c <= 0xDFFF) || !g_unichar_validate (c));
            g_string_append_len (s, buf, g_unichar_to_utf8 (c, buf));
          }
          break;
        case 2:
          g_string_append_c (s, (char) g_test_rand_int_range (1, 128));
          break;
        default:
          g_string_append (s, "abc");
          break;
        }
    }
  if (g_test_rand_int_range (0, 16) == 0)
    {
      guint n = g_test_rand_int_range (1000, 20000);

      for (guint i = 0; i < n; i++)
        g_string_append_c (s, "';\"%_\\-x"[i % 8]);
    }
  else if (g_test_rand_int_range (0, 4) == 0)
    g_string_prepend (s, g_test_rand_bit () ? "' OR 1=1 -- " : "\"; DROP TABLE nodes; --");
  return g_string_free (s, FALSE);
}

/* Runs @query on @branch with @variables (owned); returns the parsed response. */
static JsonNode *
request (const char *branch,
         const char *query,
         JsonObject *variables,
         guint      *status)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gsize len;
  const char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, query);
  if (variables != NULL)
    {
      JsonNode *v = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (v, variables);
      json_builder_set_member_name (builder, "variables");
      json_builder_add_value (builder, v);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, NULL);
  bough_graphql_api_execute_full (world.api, branch, NULL, NULL, body, strlen (body), status, &response, NULL);
  g_assert_nonnull (response);
  text = g_bytes_get_data (response, &len);
  if (!json_parser_load_from_data (parser, text, len, &error))
    g_error ("response is not JSON (%s): %.*s", error->message, (int) MIN (len, 2000), text);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
vars1 (const char *name,
       const char *value)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, name, value);
  return o;
}

static const char *leak_markers[] = {
  "sqlite", "sql logic", "syntax error", "no such table", "no such column", "no such function",
  "unrecognized token", "json_extract", "json_each", "from nodes", "from rels", "from lookups",
  "malformed json", "bad json path", "bound parameter", "incomplete input",
};

/* Each error has a message, none of which shows SQL or SQLite; a marker the
 * hostile text itself holds is not checked, as messages may quote it. */
static void
assert_clean_errors (JsonNode   *r,
                     const char *hostile_text,
                     const char *what)
{
  JsonNode *errors = at_path (r, "errors");
  g_autofree char *h = g_ascii_strdown (hostile_text, -1);
  JsonArray *a;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (r));
  if (errors == NULL)
    return;
  g_assert_true (JSON_NODE_HOLDS_ARRAY (errors));
  a = json_node_get_array (errors);
  g_assert_cmpuint (json_array_get_length (a), >, 0);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *m = at_path (json_array_get_element (a, i), "message");
      g_autofree char *lower = NULL;

      g_assert_nonnull (m);
      g_assert_true (JSON_NODE_HOLDS_VALUE (m));
      lower = g_ascii_strdown (json_node_get_string (m), -1);
      for (guint k = 0; k < G_N_ELEMENTS (leak_markers); k++)
        if (strstr (h, leak_markers[k]) == NULL && strstr (lower, leak_markers[k]) != NULL)
          g_error ("%s: error leaks SQL (%s): %s", what, leak_markers[k], json_node_get_string (m));
    }
}

static gboolean
has_errors (JsonNode *r)
{
  return at_path (r, "errors") != NULL;
}

static char *
canary_state (void)
{
  guint status = 0;
  g_autoptr(JsonNode) r = request (NULL, "{ TestSite(order: { disable: true }) { count edges { node { id "
                                         "name { value } description { value } region { value } } } } }",
                                   NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  g_assert_false (has_errors (r));
  return json_to_string (r, FALSE);
}

static void
assert_database_sound (const char *what)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (world.db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    g_error ("%s: integrity_check: %s", what, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
}

static void
assert_canary (const char *what)
{
  g_autofree char *now = canary_state ();

  if (g_strcmp0 (now, world.canary) != 0)
    g_error ("%s: canary changed:\n%s\n=>\n%s", what, world.canary, now);
}

/* One hostile call: @query on @branch with the variables, answered without
 * a server fault or SQL in its errors; then the checks. Returns the response. */
static JsonNode *
hostile_call (const char *what,
              const char *branch,
              const char *query,
              JsonObject *variables,
              const char *text,
              gboolean    canary)
{
  guint status = 0;
  JsonNode *r;

  world.cases++;
  if (g_test_verbose ())
    g_test_message ("%s: %.200s", what, text);
  r = request (branch, query, variables, &status);
  if (status >= 500)
    {
      g_autofree char *s = json_to_string (r, FALSE);

      g_error ("%s: status %u: %.2000s", what, status, s);
    }
  g_assert_true (at_path (r, "data") != NULL || has_errors (r));
  if (!has_errors (r))
    world.answered++;
  else if (g_test_verbose ())
    g_test_message ("=> %.300s", json_node_get_string (at_path (r, "errors.0.message")));
  assert_clean_errors (r, text, what);
  assert_database_sound (what);
  if (canary)
    assert_canary (what);
  return r;
}

/* ---- the targets ---- */

static const char *filter_queries[] = {
  "query ($h: String!) { TestSite(name__value: $h) { count edges { node { id } } } }",
  "query ($h: String!) { TestSite(description__value: $h) { count edges { node { id } } } }",
  "query ($h: String!) { TestSite(name__values: [$h, \"atl\"]) { count edges { node { id } } } }",
  "query ($h: String!) { TestSite(any__value: $h) { count } }",
  "query ($h: String!) { TestSite(any__value: $h, partial_match: true) { count } }",
  "query ($h: String!) { TestSite(name__value: $h, partial_match: true) { count edges { node { id } } } }",
  "query ($h: String!) { TestSite(hfid: [$h]) { count edges { node { id } } } }",
  "query ($h: ID!) { TestSite(ids: [$h]) { count edges { node { id } } } }",
  "query ($h: String!) { TestDevice(site__name__value: $h) { count } }",
  "query ($h: String!) { TestDevice(serial__value: $h, status__value: $h) { count } }",
  "query ($h: String!) { TestSite(name__value: $h) { edges { node { devices(name__value: $h) { count } } } } }",
  "query ($h: String!) { InfrahubSearchAnywhere(q: $h) { count edges { node { id kind } } } }",
  "query ($h: String!) { CoreGraphQLQuery(name__value: $h) { count } }",
};

/* Reads with a hostile filter: every canary site must be absent from the
 * answer unless its value really matches (they never do: their names hold
 * no hostile character). */
static void
test_filters (void)
{
  for (guint q = 0; q < G_N_ELEMENTS (filter_queries); q++)
    for (guint i = 0; i < CASES_PER_TARGET; i++)
      {
        g_autofree char *h = hostile ();
        g_autoptr(JsonNode) r = NULL;
        JsonNode *count;

        r = hostile_call (filter_queries[q], NULL, filter_queries[q], vars1 ("h", h), h, FALSE);
        count = at_path (r, "data.TestSite.count");
        /* `' OR 1=1 --` matching every site would be the injection itself;
         * the list filter also holds "atl", which matches exactly one */
        if (count != NULL && q != 3 && q != 4)
          g_assert_cmpint (json_node_get_int (count), ==, q == 2 ? 1 : 0);
      }
  assert_canary ("filters");
}

/* LIKE and GLOB wildcards, escapes and quotes match only themselves. */
static void
test_wildcards (void)
{
  static const struct
  {
    const char *field;
    const char *text;
    gint64      count;
  } cases[] = {
    { "name__value", "%", 0 },
    { "name__value", "_", 0 },
    { "name__value", "*", 0 },
    { "name__value", "' OR 1=1 --", 0 },
    { "description__value", "%", 1 },          /* atl's description holds each of these */
    { "description__value", "_", 1 },
    { "description__value", "\\", 1 },
    { "description__value", "-- /*", 1 },
    { "description__value", "%%", 0 },
    { "description__value", "a%", 0 },
    { "any__value", "%", 1 },
    { "any__value", "_", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *q = g_strdup_printf ("query ($h: String!) { TestSite(%s: $h, partial_match: true) { count } }",
                                            cases[i].field);
      g_autoptr(JsonNode) r = hostile_call (q, NULL, q, vars1 ("h", cases[i].text), cases[i].text, FALSE);

      g_assert_false (has_errors (r));
      g_assert_cmpint (json_node_get_int (at_path (r, "data.TestSite.count")), ==, cases[i].count);
    }
}

static void
test_order (void)
{
  for (guint i = 0; i < CASES_PER_TARGET; i++)
    {
      g_autofree char *h = hostile ();
      JsonObject *v = json_object_new ();
      JsonObject *order = json_object_new ();
      JsonObject *meta = json_object_new ();
      g_autoptr(JsonNode) r = NULL;

      json_object_set_string_member (meta, g_test_rand_bit () ? "created_at" : "updated_at", h);
      json_object_set_object_member (order, "node_metadata", meta);
      json_object_set_object_member (v, "o", order);
      r = hostile_call ("order", NULL, "query ($o: OrderInput) { TestSite(order: $o) { count } }", v, h, FALSE);
      /* an enum never takes free text */
      g_assert_true (has_errors (r));
    }
}

/* Hostile branch names: created or refused, and never a way to reach main. */
static void
test_branches (void)
{
  for (guint i = 0; i < CASES_PER_TARGET; i++)
    {
      g_autofree char *h = hostile ();
      g_autoptr(JsonNode) created = NULL;
      g_autoptr(JsonNode) read = NULL;
      g_autoptr(JsonNode) diff = NULL;

      created = hostile_call ("BranchCreate", NULL,
                              "mutation ($h: String!) { BranchCreate(background_execution: false,"
                              " data: { name: $h, description: $h }) { ok object { name } } }",
                              vars1 ("h", h), h, TRUE);
      if (!has_errors (created))
        g_assert_cmpstr (json_node_get_string (at_path (created, "data.BranchCreate.object.name")), ==, h);
      read = hostile_call ("branch argument", h, "{ TestSite { count } }", NULL, h, TRUE);
      if (has_errors (created))
        g_assert_true (has_errors (read));
      diff = hostile_call ("DiffTree branch", NULL,
                           "query ($h: String!) { DiffTree(branch: $h) { num_added nodes { uuid } }"
                           " DiffTreeSummary(branch: $h) { num_added } }",
                           vars1 ("h", h), h, TRUE);
      g_clear_pointer (&read, json_node_unref);
      read = hostile_call ("Branch filter", NULL,
                           "query ($h: String!) { Branch(name: $h) { name } }", vars1 ("h", h), h, TRUE);
    }
}

static void
test_diff_filters (void)
{
  static const char *queries[] = {
    "query ($h: String!) { DiffTree(branch: \"" BRANCH "\", filters: {kind: {includes: [$h]}}) { nodes { uuid } } }",
    "query ($h: String!) { DiffTree(branch: \"" BRANCH "\", filters: {kind: {excludes: [$h]}}) { nodes { uuid } } }",
    "query ($h: String!) { DiffTree(branch: \"" BRANCH "\", filters: {namespace: {includes: [$h]}}) { nodes { uuid } } }",
    "query ($h: String!) { DiffTree(branch: \"" BRANCH "\", filters: {namespace: {excludes: [$h]}}) { nodes { uuid } } }",
    "query ($h: String!) { DiffTree(branch: \"" BRANCH "\", filters: {ids: [$h]}) { nodes { uuid } } }",
    "query ($h: String!) { DiffTree(branch: \"" BRANCH "\", name: $h) { nodes { uuid } } }",
  };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    for (guint i = 0; i < CASES_PER_TARGET / 2; i++)
      {
        g_autofree char *h = hostile ();
        g_autoptr(JsonNode) r = hostile_call (queries[q], NULL, queries[q], vars1 ("h", h), h, TRUE);
      }
}

/* Attribute values are data: stored verbatim and read back verbatim. */
static void
test_values (void)
{
  for (guint i = 0; i < CASES_PER_TARGET * 2; i++)
    {
      g_autofree char *h = hostile ();
      g_autoptr(JsonNode) r = NULL;
      g_autoptr(JsonNode) back = NULL;
      const char *id;
      JsonObject *v;

      switch (i % 3)
        {
        case 0:
          r = hostile_call ("create", NULL,
                            "mutation ($h: String!) { TestTagCreate(data: { name: { value: $h } })"
                            " { ok object { id name { value } } } }",
                            vars1 ("h", h), h, TRUE);
          id = has_errors (r) ? NULL : json_node_get_string (at_path (r, "data.TestTagCreate.object.id"));
          break;
        case 1:
          v = vars1 ("h", h);
          json_object_set_string_member (v, "id", world.tag);
          r = hostile_call ("update", NULL,
                            "mutation ($h: String!, $id: String!) { TestTagUpdate(data: { id: $id,"
                            " name: { value: $h } }) { ok object { id } } }",
                            v, h, TRUE);
          id = has_errors (r) ? NULL : world.tag;
          break;
        default:
          r = hostile_call ("upsert", NULL,
                            "mutation ($h: String!) { TestTagUpsert(data: { hfid: [$h], name: { value: $h } })"
                            " { ok object { id } } }",
                            vars1 ("h", h), h, TRUE);
          id = has_errors (r) ? NULL : json_node_get_string (at_path (r, "data.TestTagUpsert.object.id"));
          break;
        }
      if (id == NULL)
        continue;
      v = vars1 ("id", id);
      json_object_set_string_member (v, "h", h);
      back = hostile_call ("read back", NULL,
                           "query ($id: ID!, $h: String!) { a: TestTag(ids: [$id]) { edges { node { name { value } } } }"
                           " b: TestTag(name__value: $h) { count } }",
                           v, h, TRUE);
      g_assert_cmpstr (json_node_get_string (at_path (back, "data.a.edges.0.node.name.value")), ==, h);
    }
}

/* The same values as filters once they are stored: found exactly. */
static void
test_stored_values_filter (void)
{
  for (guint i = 0; i < CASES_PER_TARGET; i++)
    {
      g_autofree char *raw = hostile ();
      g_autoptr(JsonNode) created = NULL;
      g_autoptr(JsonNode) found = NULL;
      /* each test path replays the same random sequence: keep these values apart from test_values' */
      g_autofree char *h = g_strconcat ("flt", raw, NULL);

      created = hostile_call ("create for filter", NULL,
                              "mutation ($h: String!) { TestTagCreate(data: { name: { value: $h } }) { ok } }",
                              vars1 ("h", h), h, TRUE);
      if (has_errors (created))
        continue;
      found = hostile_call ("filter stored", NULL,
                            "query ($h: String!) { TestTag(name__value: $h) { count } "
                            "h: TestTag(hfid: [$h]) { count } }",
                            vars1 ("h", h), h, TRUE);
      g_assert_false (has_errors (found));
      g_assert_cmpint (json_node_get_int (at_path (found, "data.TestTag.count")), ==, 1);
      g_assert_cmpint (json_node_get_int (at_path (found, "data.h.count")), ==, 1);
    }
}

/* Hostile ids on the canary's kind: refused, the canary untouched. */
static void
test_ids (void)
{
  static const char *queries[] = {
    "mutation ($h: String!) { TestSiteUpdate(data: { id: $h, description: { value: \"x\" } }) { ok } }",
    "mutation ($h: String!) { TestSiteDelete(data: { id: $h }) { ok } }",
    "mutation ($h: String!) { TestSiteUpdate(data: { hfid: [$h], description: { value: \"x\" } }) { ok } }",
    "mutation ($h: String!) { TestSiteDelete(data: { hfid: [$h] }) { ok } }",
    "query ($h: ID!) { node: TestSite(ids: [$h, $h]) { count } }",
  };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    for (guint i = 0; i < CASES_PER_TARGET / 2; i++)
      {
        g_autofree char *h = hostile ();
        g_autoptr(JsonNode) r = hostile_call (queries[q], NULL, queries[q], vars1 ("h", h), h, TRUE);

        if (q < 4)
          g_assert_true (has_errors (r));
      }
}

static void
test_stored_query_names (void)
{
  for (guint i = 0; i < CASES_PER_TARGET; i++)
    {
      g_autofree char *h = hostile ();
      g_autoptr(JsonNode) r = NULL;
      g_autoptr(JsonNode) found = NULL;

      r = hostile_call ("stored query", NULL,
                        "mutation ($h: String!) { CoreGraphQLQueryCreate(data: { name: { value: $h },"
                        " query: { value: \"query { TestSite { count } }\" } }) { ok } }",
                        vars1 ("h", h), h, TRUE);
      if (has_errors (r))
        continue;
      found = hostile_call ("stored query read", NULL,
                            "query ($h: String!) { CoreGraphQLQuery(name__value: $h) { count } }",
                            vars1 ("h", h), h, TRUE);
      g_assert_cmpint (json_node_get_int (at_path (found, "data.CoreGraphQLQuery.count")), ==, 1);
    }
}

/* Schema identifiers never reach SQL: a hostile kind, namespace or
 * attribute name is refused by the schema builder. */
static void
test_schema_identifiers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) core = bough_store_get_schema (world.store.store, NULL, 0, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < CASES_PER_TARGET * 2; i++)
    {
      g_autofree char *raw = hostile ();
      /* hostile () may draw only [a-z0-9_] (say "__value"): valid as a name */
      g_autofree char *h = g_strdup_printf ("%s%c", raw, "'\";-%/ \\("[g_test_rand_int_range (0, 9)]);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (core);
      g_autoptr(BoughSchema) schema = NULL;
      g_autofree char *text = NULL;
      guint where = i % 4;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "version");
      json_builder_add_string_value (b, "1.0");
      json_builder_set_member_name (b, "nodes");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, where == 0 ? h : "Thing");
      json_builder_set_member_name (b, "namespace");
      json_builder_add_string_value (b, where == 1 ? h : "Evil");
      json_builder_set_member_name (b, "attributes");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, where == 2 ? h : "label");
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, "Text");
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "relationships");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, where == 3 ? h : "site");
      json_builder_set_member_name (b, "peer");
      json_builder_add_string_value (b, "TestSite");
      json_builder_set_member_name (b, "cardinality");
      json_builder_add_string_value (b, "one");
      json_builder_set_member_name (b, "optional");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);

      world.cases++;
      if (bough_schema_builder_add_data (builder, text, -1, "hostile", &error))
        schema = bough_schema_builder_build (builder, &error);
      if (schema != NULL)
        g_error ("schema with hostile identifier (%u) accepted: %s", where, h);
      /* YAML itself refuses some control characters before the schema rules do */
      g_assert_nonnull (error);
      g_assert_true (error->domain == BOUGH_ERROR);
      g_assert_true (error->code == BOUGH_ERROR_SCHEMA || error->code == BOUGH_ERROR_PARSE);
      g_clear_error (&error);
    }
  /* only name characters, but "__" would make `__value9` a reserved GraphQL
   * name and `site__name__value` ambiguous between an attribute and a peer's */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (core);
      g_autoptr(BoughSchema) schema = NULL;
      g_autofree char *text = g_strdup_printf ("version: '1.0'\nnodes:\n  - name: Thing\n    namespace: Evil\n"
                                               "    attributes:\n      - name: %s\n        kind: Text\n"
                                               "    relationships:\n      - name: site\n        peer: TestSite\n"
                                               "        cardinality: one\n        optional: true\n",
                                               i == 0 ? "__value9" : "site__name");

      world.cases++;
      if (bough_schema_builder_add_data (builder, text, -1, "double underscore", &error))
        schema = bough_schema_builder_build (builder, &error);
      g_assert_null (schema);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
      g_clear_error (&error);
    }
  assert_database_sound ("schema");
  assert_canary ("schema");
}

/* ---- setup ---- */

static void
world_setup (void)
{
  g_autoptr(JsonNode) r = NULL;
  guint status = 0;

  store_fixture_setup (&world.store, NULL);
  world.api = bough_graphql_api_new (world.store.store);
  g_free (create_node (world.store.store, NULL, "TestSite",
                       "{'name': {'value': 'atl'}, 'description': {'value': 'canary \\\\ % _ -- /*'}}"));
  g_free (create_node (world.store.store, NULL, "TestSite",
                       "{'name': {'value': 'ord'}, 'region': {'value': 'us'}}"));
  g_free (create_node (world.store.store, NULL, "TestSite", "{'name': {'value': 'jfk'}}"));
  world.tag = create_node (world.store.store, NULL, "TestTag", "{'name': {'value': 'victim'}}");
  r = request (NULL, "mutation { BranchCreate(background_execution: false, data: { name: \"" BRANCH "\" })"
                     " { ok } }", NULL, &status);
  g_assert_false (has_errors (r));
  g_free (create_node (world.store.store, BRANCH, "TestSite", "{'name': {'value': 'bos'}}"));
  g_assert_cmpint (sqlite3_open_v2 (world.store.path, &world.db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  world.canary = canary_state ();
  g_assert_nonnull (strstr (world.canary, "\"count\":3"));
}

static void
world_teardown (void)
{
  g_test_message ("%u hostile cases, %u answered without errors", world.cases, world.answered);
  sqlite3_close (world.db);
  g_clear_pointer (&world.api, bough_graphql_api_unref);
  g_free (world.canary);
  g_free (world.tag);
  store_fixture_teardown (&world.store, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* g_test prints "# random seed: R02S..." in its TAP output; --seed replays a run */
  world_setup ();

  g_test_add_func ("/injection/filters", test_filters);
  g_test_add_func ("/injection/wildcards", test_wildcards);
  g_test_add_func ("/injection/order", test_order);
  g_test_add_func ("/injection/ids", test_ids);
  g_test_add_func ("/injection/values", test_values);
  g_test_add_func ("/injection/values-as-filters", test_stored_values_filter);
  g_test_add_func ("/injection/stored-query-names", test_stored_query_names);
  g_test_add_func ("/injection/branches", test_branches);
  g_test_add_func ("/injection/diff-filters", test_diff_filters);
  g_test_add_func ("/injection/schema-identifiers", test_schema_identifiers);

  status = g_test_run ();
  world_teardown ();
  return status;
}
