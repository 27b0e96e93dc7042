/* test-store-search.c: value filters (partial and exact, one attribute or
 * any) give the same nodes as a naive evaluation made here, whatever the
 * prefilter on the raw JSON text of the attributes lets through: mixed
 * case, non-ASCII, JSON escapes, needles that span the JSON syntax, numbers,
 * booleans, arrays and objects, nulls, packed attributes, branches, past
 * times and deletions.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "store-test-common.h"
#include "store/bough-store-branch.h"

/* Values with what the JSON text escapes or SQLite folds (or not). */
static const char * const values[] = {
  "say \"hi\" there", "C:\\path\\x", "tab\there", "line\nbreak", "ctl\001x",
  "Ünïcödé ÉCOLE", "école", "Straße", "STRASSE", "emoji 🙂 face", "literal \\u00e9 text",
  "café", "10.0.0.1/24", "12345", "", "MiXeD CaSe", "{\"k\": 1}", "value",
  NULL,
};

static const char * const needles[] = {
  "e", "", "É", "é", "ÉCOLE", "école", "ecole", "ÜNÏ", "ß", "straße", "STRASSE", "🙂",
  "emoji 🙂", "\"hi\"", "\"", "\\", "\\p", "\\u00e9", "u00e9", "\t", "tab\th", "\n",
  "\001", "ctl\001", "mixed case", "MIXED", "10.0.0", "0.0", "123", "2345", "12345",
  "site-1", "SITE-0", "zz-none", "{\"", "\"k\": 1", "value", ":\"", "1", "0", "true",
  "650", "65001", "null",
};

/* The text SQLite's lower() and instr() see for @value (NULL for null). */
static char *
sql_text (JsonNode *value)
{
  GType type;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return NULL;
  /* json_extract() gives an array or object as its minified text */
  if (!JSON_NODE_HOLDS_VALUE (value))
    return json_to_string (value, FALSE);
  type = json_node_get_value_type (value);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (value) ? "1" : "0");
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
  {
    char *s = sqlite3_mprintf ("%!.15g", json_node_get_double (value));
    char *copy = g_strdup (s);

    sqlite3_free (s);
    return copy;
  }
}

/* instr(lower(value), lower(needle)) > 0, or value = needle */
static gboolean
naive_match (JsonNode   *value,
             const char *needle,
             gboolean    partial)
{
  g_autofree char *text = sql_text (value);
  g_autofree char *a = NULL, *b = NULL;

  if (text == NULL)
    return FALSE;
  if (!partial)
    return (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) == G_TYPE_STRING) &&
           g_str_equal (text, needle);
  a = g_ascii_strdown (text, -1);
  b = g_ascii_strdown (needle, -1);
  return strstr (a, b) != NULL;
}

static gboolean
attribute_is_packed (const char *kind,
                     const char *attribute)
{
  return g_str_equal (kind, "TestSite") && g_str_equal (attribute, "contact");
}

static const char * const site_attributes[] = { "name", "description", "region", "contact", NULL };
static const char * const device_attributes[] = { "name", "description", "serial", "status", "asn",
                                                  "enabled", NULL };

/* Every node of @kind seen on @branch at @at, sorted by id. */
static GPtrArray *
all_nodes (BoughStore *store,
           const char *kind,
           const char *branch,
           gint64      at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) query = bough_query_new (kind);
  BoughQueryResult *result;
  GPtrArray *nodes;

  query->branch = g_strdup (branch);
  query->at = at;
  result = bough_store_query (store, query, &error);
  g_assert_no_error (error);
  nodes = g_ptr_array_ref (result->nodes);
  bough_query_result_free (result);
  return nodes;
}

/* @ids, sorted, as one line */
static char *
ids_text (GPtrArray *ids)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "", (const char *) g_ptr_array_index (ids, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static int
compare_str_ptrs (gconstpointer a,
                  gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Checks every needle on every attribute (and "any") of @kind against the
 * naive evaluation over @nodes, partial and exact; returns the matches. */
static guint
check_needles (BoughStore          *store,
               const char          *kind,
               const char * const  *attributes,
               const char          *branch,
               gint64               at,
               const char * const  *needles,
               gsize                n_needles)
{
  g_autoptr(GPtrArray) nodes = all_nodes (store, kind, branch, at);
  guint matched = 0;

  for (guint n = 0; n < n_needles; n++)
    for (gint a = -1; attributes[a < 0 ? 0 : a] != NULL; a++)
      for (gint partial = 0; partial < 2; partial++)
        {
          const char *attribute = a < 0 ? "any" : attributes[a];
          g_autoptr(GError) error = NULL;
          g_autoptr(BoughQuery) query = bough_query_new (kind);
          g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), needles[n]);
          g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *got_text = NULL, *want_text = NULL;
          BoughQueryResult *result;

          if (a >= 0 && (g_str_equal (attribute, "asn") || g_str_equal (attribute, "enabled") ||
                         g_str_equal (attribute, "count") || g_str_equal (attribute, "flag")))
            continue;
          query->branch = g_strdup (branch);
          query->at = at;
          query->partial_match = partial;
          bough_query_add_filter (query, NULL, attribute, BOUGH_FILTER_VALUE, value);
          result = bough_store_query (store, query, &error);
          g_assert_no_error (error);
          g_assert_cmpint (result->count, ==, (gint64) result->nodes->len);
          for (guint i = 0; i < result->nodes->len; i++)
            g_ptr_array_add (got, g_strdup (((BoughNode *) g_ptr_array_index (result->nodes, i))->id));
          bough_query_result_free (result);

          for (guint i = 0; i < nodes->len; i++)
            {
              BoughNode *node = g_ptr_array_index (nodes, i);
              gboolean match = FALSE;

              if (a >= 0)
                match = naive_match (bough_node_get_value (node, attribute), needles[n], partial);
              else
                /* "any" looks at the attributes kept with the node itself */
                for (guint k = 0; attributes[k] != NULL && !match; k++)
                  match = !attribute_is_packed (kind, attributes[k]) &&
                          naive_match (bough_node_get_value (node, attributes[k]), needles[n], partial);
              if (match)
                g_ptr_array_add (want, g_strdup (node->id));
            }
          g_ptr_array_sort (got, compare_str_ptrs);
          g_ptr_array_sort (want, compare_str_ptrs);
          got_text = ids_text (got);
          want_text = ids_text (want);
          if (g_strcmp0 (got_text, want_text) != 0)
            g_test_message ("%s %s__value %s “%s”", kind, attribute, partial ? "contains" : "=", needles[n]);
          g_assert_cmpstr (got_text, ==, want_text);
          matched += want->len;
        }
  return matched;
}

static guint
check_filters (BoughStore          *store,
               const char          *kind,
               const char * const  *attributes,
               const char          *branch,
               gint64               at)
{
  return check_needles (store, kind, attributes, branch, at, needles, G_N_ELEMENTS (needles));
}

static JsonObject *
site_data (const char *name,
           const char *description,
           const char *contact)
{
  JsonObject *data = json_object_new ();
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "value", name);
  json_object_set_object_member (data, "name", entry);
  entry = json_object_new ();
  if (description != NULL)
    json_object_set_string_member (entry, "value", description);
  else
    json_object_set_null_member (entry, "value");
  json_object_set_object_member (data, "description", entry);
  if (contact != NULL)
    {
      entry = json_object_new ();
      json_object_set_string_member (entry, "value", contact);
      json_object_set_object_member (data, "contact", entry);
    }
  return data;
}

static void
write_site (BoughStore *store,
            const char *branch,
            gboolean    update,
            const char *name,
            const char *description,
            const char *contact)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "tester", &error);
  g_autoptr(JsonObject) data = site_data (name, description, contact);
  g_autoptr(BoughNode) node = NULL;

  g_assert_no_error (error);
  if (update)
    {
      g_autoptr(BoughNode) old = bough_store_get_node_by_hfid (store, branch, 0, "TestSite",
                                                               (const char * const[]) { name, NULL }, &error);

      g_assert_no_error (error);
      g_assert_nonnull (old);
      json_object_remove_member (data, "name");
      json_object_set_string_member (data, "id", old->id);
      node = bough_txn_update (txn, "TestSite", data, &error);
    }
  else
    node = bough_txn_create (txn, "TestSite", data, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
}

static void
load_values (StoreFixture *f)
{
  g_autofree char *site = NULL;

  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("site-%u", i);

      write_site (f->store, NULL, FALSE, name, values[i], values[(i + 3) % (G_N_ELEMENTS (values) - 1)]);
    }
  /* a null description, no contact */
  write_site (f->store, NULL, FALSE, "site-null", NULL, NULL);
  site = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'site-of-devices'}}");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'dev%u'}, 'site': {'id': '%s'},"
                                               " 'asn': {'value': %u}, 'enabled': {'value': %s},"
                                               " 'serial': {'value': 'SN%u'}, 'description': {'value': 'Ünï %u'}}",
                                               i, site, 65000 + i, i % 2 ? "true" : "false", i * 111, i);
      g_free (create_node (f->store, NULL, "TestDevice", json));
    }
}

static void
test_values (StoreFixture  *f,
             gconstpointer  data)
{
  load_values (f);
  g_assert_cmpuint (check_filters (f->store, "TestSite", site_attributes, NULL, 0), >, 100);
  g_assert_cmpuint (check_filters (f->store, "TestDevice", device_attributes, NULL, 0), >, 10);
}

/* On a branch (its own versions over main's), at past times of main and
 * of the branch, and after deletions. */
static void
test_branch_and_time (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 before, on_branch;

  load_values (f);
  before = bough_store_now (f->store);
  g_assert_true (bough_store_create_branch (f->store, "feature", &error));
  g_assert_no_error (error);
  /* the branch changes some, main others after the branch point */
  write_site (f->store, "feature", TRUE, "site-0", "Branch ÉCOLE value", NULL);
  write_site (f->store, "feature", TRUE, "site-5", NULL, "branch contact 🙂");
  write_site (f->store, "feature", FALSE, "site-branch", "only on the \"branch\"", NULL);
  on_branch = bough_store_now (f->store);
  write_site (f->store, NULL, TRUE, "site-1", "main changed ß later", NULL);
  write_site (f->store, "feature", TRUE, "site-6", "changed after", NULL);
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "tester", &error);
    g_autoptr(BoughNode) old = bough_store_get_node_by_hfid (f->store, NULL, 0, "TestSite",
                                                             (const char * const[]) { "site-2", NULL }, &error);
    g_autoptr(JsonObject) ref = json_object_new ();

    g_assert_no_error (error);
    json_object_set_string_member (ref, "id", old->id);
    g_assert_true (bough_txn_delete (txn, "TestSite", ref, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
    g_assert_no_error (error);
  }

  g_assert_cmpuint (check_filters (f->store, "TestSite", site_attributes, NULL, 0), >, 100);
  g_assert_cmpuint (check_filters (f->store, "TestSite", site_attributes, "feature", 0), >, 100);
  g_assert_cmpuint (check_filters (f->store, "TestSite", site_attributes, NULL, before), >, 100);
  g_assert_cmpuint (check_filters (f->store, "TestSite", site_attributes, "feature", on_branch), >, 100);

  /* deleting the branch drops its versions */
  g_assert_true (bough_store_delete_branch (f->store, "feature", "tester", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (check_filters (f->store, "TestSite", site_attributes, NULL, 0), >, 100);
}

/* A filter through a relationship (the peers' attributes) too. */
static void
test_peer_filter (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) query = bough_query_new ("TestDevice");
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "OF-DEV");
  BoughQueryResult *result;

  load_values (f);
  query->partial_match = TRUE;
  bough_query_add_filter (query, "site", "name", BOUGH_FILTER_VALUE, value);
  result = bough_store_query (f->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->count, ==, 4);
  bough_query_result_free (result);
}

/* Needles that the raw JSON text of the attributes holds where no value
 * does (they span its syntax) or holds escaped, uppercase non-ASCII (which
 * lower() leaves), and needles of values whose text for SQLite is not
 * their JSON text (reals, booleans) or is (arrays, objects). */
static const char * const edge_needles[] = {
  "\",\"", "value\":", "\":{\"", "{\"value\":\"", "\"}", "},\"", "e\":\"", ":", ",", "{", "}",
  "[", "]", "a\",\"b", "q\"uote", "back\\slash", "\\\\", "\\\"", "\\n", "ÀÉÎ", "àéî", "ÀéÎ",
  "ÉCOLE", "x:{", "X:{\"VALUE", "667", "0.666", "666666666666667", "66666666666666663", "e+20",
  "1.0e+20", "1E+20", "0.1", "0.10000000000000001", "2.5", "-0.5", "12345.0", "12345", "inf", "-",
  "+", ".", "1", "0", "true", "false", "tru", "null", "[1,2]", "[1,", "2]", "{\"k\":[1,\"x\"]}",
  "[\"x\"]", "[]", "{}", "K\":[1", "EDGE-1", "edge-1\"", "%", "_", "100%", "0% S", "E_C", "e%c", "[*]",
  "?", "DEL\177", "\177",
};

/* The value of edge site @i, or NULL past the last one. */
static JsonNode *
edge_value (guint i)
{
  static const char * const strings[] = {
    "a\",\"b", "key value\":x", "q\"uote", "back\\slash", "\"},\"", "ÀÉÎ ÔÛ", "àéî école",
    "x:{\"value\":\"y\"}", "[1,2]", "100% SURE", "snake_case", "glob [*]?", "del\177x",
  };
  static const char * const texts[] = { "[1,2]", "[\"x\"]", "{\"k\":[1,\"x\"]}", "[]", "{}" };
  static const double doubles[] = { 2.0 / 3.0, 1e20, 0.1, 2.5, 12345.0, -0.5 };

  if (i < G_N_ELEMENTS (strings))
    return json_node_init_string (json_node_alloc (), strings[i]);
  i -= G_N_ELEMENTS (strings);
  if (i < G_N_ELEMENTS (texts))
    return json_from_string (texts[i], NULL);
  i -= G_N_ELEMENTS (texts);
  if (i < G_N_ELEMENTS (doubles))
    return json_node_init_double (json_node_alloc (), doubles[i]);
  i -= G_N_ELEMENTS (doubles);
  if (i < 3)
    return i == 0 ? json_node_init_int (json_node_alloc (), 12345)
                  : json_node_init_boolean (json_node_alloc (), i == 1);
  return NULL;
}

/* A kind whose values may be anything JSON holds (JSON), numbers and
 * booleans, next to text. */
static const char blob_schema_yaml[] =
  "version: '1.0'\n"
  "nodes:\n"
  "  - name: Blob\n"
  "    namespace: Test\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "      - name: data\n"
  "        kind: JSON\n"
  "        optional: true\n"
  "      - name: other\n"
  "        kind: JSON\n"
  "        optional: true\n"
  "      - name: count\n"
  "        kind: Number\n"
  "        optional: true\n"
  "      - name: flag\n"
  "        kind: Boolean\n"
  "        optional: true\n";

static const char * const blob_attributes[] = { "name", "data", "other", "count", "flag", NULL };

static void
add_blob_schema (BoughStore *store)
{
  store_test_set_schema (store, NULL, NULL, blob_schema_yaml, "admin");
}

static void
set_value (JsonObject *data,
           const char *attribute,
           JsonNode   *value)
{
  JsonObject *entry = json_object_new ();

  json_object_set_member (entry, "value", value);
  json_object_set_object_member (data, attribute, entry);
}

/* The prefilter on the raw text drops no match: needles that span the
 * JSON syntax or hold what it escapes, uppercase non-ASCII, reals and
 * booleans (whose text for SQLite differs from their JSON text), arrays
 * and objects (whose text for SQLite is their JSON text). */
static void
test_prefilter_edges (StoreFixture  *f,
                      gconstpointer  data)
{
  guint n = 0;

  add_blob_schema (f->store);
  for (JsonNode *value; (value = edge_value (n)) != NULL; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "tester", &error);
      g_autoptr(JsonObject) blob = json_object_new ();
      g_autoptr(BoughNode) node = NULL;
      JsonNode *other = edge_value ((n + 7) % 27);
      g_autofree char *name = g_strdup_printf ("edge-%u", n);

      g_assert_no_error (error);
      set_value (blob, "name", json_node_init_string (json_node_alloc (), name));
      set_value (blob, "data", value);
      set_value (blob, "other", other);
      set_value (blob, "count", json_node_init_int (json_node_alloc (), n % 3 == 0 ? 12345 : 667 + n));
      set_value (blob, "flag", json_node_init_boolean (json_node_alloc (), n % 2));
      node = bough_txn_create (txn, "TestBlob", blob, &error);
      g_assert_no_error (error);
      g_assert_nonnull (node);
      g_assert_true (bough_txn_commit (txn, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (n, ==, 27);
  g_assert_cmpuint (check_needles (f->store, "TestBlob", blob_attributes, NULL, 0, edge_needles,
                                   G_N_ELEMENTS (edge_needles)), >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add ("/store/search/values", StoreFixture, NULL, store_fixture_setup, test_values,
              store_fixture_teardown);
  g_test_add ("/store/search/branch-and-time", StoreFixture, NULL, store_fixture_setup,
              test_branch_and_time, store_fixture_teardown);
  g_test_add ("/store/search/peer-filter", StoreFixture, NULL, store_fixture_setup, test_peer_filter,
              store_fixture_teardown);
  g_test_add ("/store/search/prefilter-edges", StoreFixture, NULL, store_fixture_setup,
              test_prefilter_edges, store_fixture_teardown);
  return g_test_run ();
}
