/* test-gql-gaps.c: the parts of the generated API beyond plain lists: hierarchies (parent,
 * children, ancestors, descendants, include_descendants, parent__ids), attribute ids,
 * relationship instances and their ids, node metadata, permissions, exact error paths inside
 * lists, the cost limit, page sizes and offset paging under inserts.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "../server/hierarchy-test-common.h"
#include "graphql/bough-gql-validate.h"
#include "graphql/bough-graphql-api.h"
#include "gql-test-common.h"

typedef struct
{
  StoreFixture     store;
  BoughGraphqlApi *api;
  char            *eu;          /* region eu > cities paris, lyon > rooms p1 (paris), l1 (lyon) */
  char            *paris;
  char            *lyon;
  char            *p1;
  char            *l1;
} GapsFixture;

#define STORE(f) ((f)->store.store)

static JsonNode *
run_full (GapsFixture       *f,
          const char        *query,
          const char        *variables,
          BoughGqlExecStats *stats)
{
  guint status = 0;
  JsonNode *r = gql_test_request (f->api, NULL, NULL, "tester", query, variables, &status, stats);

  g_assert_cmpuint (status, ==, 200);
  return r;
}

static JsonNode *
run (GapsFixture *f,
     const char  *query)
{
  return run_full (f, query, NULL, NULL);
}

static const char *
S (JsonNode   *root,
   const char *path)
{
  JsonNode *n = at_path (root, path);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  g_assert_true (json_node_get_value_type (n) == G_TYPE_STRING);
  return json_node_get_string (n);
}

static gint64
I (JsonNode   *root,
   const char *path)
{
  JsonNode *n = at_path (root, path);

  g_assert_nonnull (n);
  return json_node_get_int (n);
}

static guint
LEN (JsonNode   *root,
     const char *path)
{
  JsonNode *n = at_path (root, path);

  g_assert_nonnull (n);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (n));
  return json_array_get_length (json_node_get_array (n));
}

static gboolean
IS_NULL (JsonNode   *root,
         const char *path)
{
  JsonNode *n = at_path (root, path);

  return n != NULL && JSON_NODE_HOLDS_NULL (n);
}

static void
assert_no_errors (JsonNode *r)
{
  if (at_path (r, "errors") != NULL)
    {
      g_autofree char *text = json_to_string (r, FALSE);

      g_error ("unexpected errors: %s", text);
    }
}

/* The ids at <path>.<i>.<leaf> for every i, as a set. */
static GHashTable *
id_set (JsonNode   *root,
        const char *list,
        const char *leaf)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = LEN (root, list);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *p = g_strdup_printf ("%s.%u.%s", list, i, leaf);

      g_hash_table_add (set, g_strdup (S (root, p)));
    }
  return set;
}

static char *
create_child (GapsFixture *f,
              const char  *kind,
              const char  *name,
              const char  *parent)
{
  g_autofree char *json = g_strdup_printf ("{'name': {'value': '%s'}, 'parent': {'id': '%s'}}", name, parent);

  return create_node (STORE (f), NULL, kind, json);
}

static void
gaps_setup (GapsFixture   *f,
            gconstpointer  data)
{
  hierarchy_fixture_setup (&f->store, data);
  f->api = bough_graphql_api_new (STORE (f));
  f->eu = create_node (STORE (f), NULL, "TestRegion", "{'name': {'value': 'eu'}}");
  f->paris = create_child (f, "TestCity", "paris", f->eu);
  f->lyon = create_child (f, "TestCity", "lyon", f->eu);
  f->p1 = create_child (f, "TestRoom", "p1", f->paris);
  f->l1 = create_child (f, "TestRoom", "l1", f->lyon);
}

static void
gaps_teardown (GapsFixture   *f,
               gconstpointer  data)
{
  g_clear_pointer (&f->api, bough_graphql_api_unref);
  g_free (f->eu);
  g_free (f->paris);
  g_free (f->lyon);
  g_free (f->p1);
  g_free (f->l1);
  store_fixture_teardown (&f->store, data);
}

static void
test_hierarchy (GapsFixture   *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autoptr(JsonNode) r3 = NULL;
  g_autoptr(JsonNode) r4 = NULL;
  g_autoptr(GHashTable) desc = NULL;
  g_autofree char *q_ids = NULL;
  BoughGqlExecStats stats = { 0, };

  /* the SDK's shape: hierarchy fields wrapped in ...on <hierarchy> */
  r = run_full (f, "{ TestCity(order: {disable: true}) { count edges { node { name { value }"
                   "  parent { node { ...on TestLocation { id __typename name { value } } } }"
                   "  children { count edges { node { ...on TestLocation { id __typename } } } }"
                   "  ancestors { count edges { node { id __typename display_label } } }"
                   "  descendants { count edges { node { id } } } } } } }", NULL, &stats);
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestCity.count"), ==, 2);
  /* creation order: paris, then lyon */
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.name.value"), ==, "paris");
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.parent.node.id"), ==, f->eu);
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.parent.node.__typename"), ==, "TestRegion");
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.parent.node.name.value"), ==, "eu");
  g_assert_cmpint (I (r, "data.TestCity.edges.0.node.children.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.children.edges.0.node.id"), ==, f->p1);
  g_assert_cmpint (I (r, "data.TestCity.edges.0.node.ancestors.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.ancestors.edges.0.node.display_label"), ==, "eu");
  g_assert_cmpint (I (r, "data.TestCity.edges.1.node.descendants.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestCity.edges.1.node.descendants.edges.0.node.id"), ==, f->l1);
  /* one walk per field, whatever the number of cities */
  g_assert_cmpuint (stats.hierarchy_walks, ==, 2);

  /* the root kind has no parent, the leaf kind no children: empty, not errors */
  r2 = run (f, "{ TestRegion { edges { node { parent { node { id } } children { count }"
               "  descendants(name__value: \"p1\") { count edges { node { id } } }"
               "  all: descendants(offset: 1, limit: 2) { count edges { node { id } } } } } }"
               "  TestRoom { edges { node { children { count edges { node { id } } }"
               "  ancestors(limit: 1) { count edges { node { id } } } } } } }");
  assert_no_errors (r2);
  g_assert_true (IS_NULL (r2, "data.TestRegion.edges.0.node.parent"));
  g_assert_cmpint (I (r2, "data.TestRegion.edges.0.node.children.count"), ==, 2);
  g_assert_cmpint (I (r2, "data.TestRegion.edges.0.node.descendants.count"), ==, 1);
  g_assert_cmpstr (S (r2, "data.TestRegion.edges.0.node.descendants.edges.0.node.id"), ==, f->p1);
  g_assert_cmpint (I (r2, "data.TestRegion.edges.0.node.all.count"), ==, 4);
  g_assert_cmpuint (LEN (r2, "data.TestRegion.edges.0.node.all.edges"), ==, 2);
  g_assert_cmpint (I (r2, "data.TestRoom.edges.0.node.children.count"), ==, 0);
  g_assert_cmpint (I (r2, "data.TestRoom.edges.0.node.ancestors.count"), ==, 2);
  g_assert_cmpuint (LEN (r2, "data.TestRoom.edges.0.node.ancestors.edges"), ==, 1);

  /* descendants through the generic's interface: the whole tree */
  r3 = run (f, "{ TestLocation(name__value: \"eu\") { edges { node { ...on TestLocation {"
               "  descendants { count edges { node { id } } } } } } } }");
  assert_no_errors (r3);
  g_assert_cmpint (I (r3, "data.TestLocation.edges.0.node.descendants.count"), ==, 4);
  desc = id_set (r3, "data.TestLocation.edges.0.node.descendants.edges", "node.id");
  g_assert_true (g_hash_table_contains (desc, f->paris) && g_hash_table_contains (desc, f->l1));

  /* parent__ids */
  q_ids = g_strdup_printf ("{ TestRoom(parent__ids: [\"%s\"]) { count edges { node { id } } } }", f->lyon);
  r4 = run (f, q_ids);
  assert_no_errors (r4);
  g_assert_cmpint (I (r4, "data.TestRoom.count"), ==, 1);
  g_assert_cmpstr (S (r4, "data.TestRoom.edges.0.node.id"), ==, f->l1);
}

static void
test_include_descendants (GapsFixture   *f,
                          gconstpointer  data)
{
  g_autofree char *red = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'red'}}");
  g_autofree char *blue = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'blue'}}");
  g_autofree char *green = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'green'}}");
  g_autofree char *m1 = g_strdup_printf ("mutation { a: TestRoomUpdate(data: {id: \"%s\", tags: [{id: \"%s\"}, {id: \"%s\"}]}) { ok }"
                                         " b: TestCityUpdate(data: {id: \"%s\", tags: [{id: \"%s\"}]}) { ok }"
                                         " c: TestRegionUpdate(data: {id: \"%s\", tags: [{id: \"%s\"}]}) { ok } }",
                                         f->p1, red, blue, f->lyon, blue, f->eu, green);
  g_autoptr(JsonNode) w = run (f, m1);
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(GHashTable) tags = NULL;

  assert_no_errors (w);
  r = run (f, "{ TestRegion { edges { node { own: tags { count }"
              "  all: tags(include_descendants: true) { count edges { node { id name { value } } } }"
              "  some: tags(include_descendants: true, name__value: \"blue\") { count } } } }"
              "  TestCity(name__value: \"paris\") { edges { node { tags(include_descendants: true) { count } } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestRegion.edges.0.node.own.count"), ==, 1);
  /* green of the region, red and blue of p1, blue of lyon once */
  g_assert_cmpint (I (r, "data.TestRegion.edges.0.node.all.count"), ==, 3);
  tags = id_set (r, "data.TestRegion.edges.0.node.all.edges", "node.id");
  g_assert_true (g_hash_table_contains (tags, red) && g_hash_table_contains (tags, blue) &&
                 g_hash_table_contains (tags, green));
  g_assert_cmpint (I (r, "data.TestRegion.edges.0.node.some.count"), ==, 1);
  g_assert_cmpint (I (r, "data.TestCity.edges.0.node.tags.count"), ==, 2);
}

static void
test_attribute_ids (GapsFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) r = run (f, "{ TestCity(order: {disable: true}) { edges { node { id name { id value } } } } }");
  g_autoptr(JsonNode) w = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autofree char *m = g_strdup_printf ("mutation { TestCityUpdate(data: {id: \"%s\", name: {value: \"paris2\"}}) { ok } }",
                                        f->paris);
  g_autofree char *expected = bough_store_attribute_id (f->paris, "name");
  const char *id0;

  assert_no_errors (r);
  id0 = S (r, "data.TestCity.edges.0.node.name.id");
  g_assert_true (g_uuid_string_is_valid (id0));
  g_assert_cmpstr (id0, ==, expected);
  g_assert_cmpstr (id0, !=, S (r, "data.TestCity.edges.1.node.name.id"));
  g_assert_cmpstr (id0, !=, S (r, "data.TestCity.edges.0.node.id"));
  /* a new value keeps the attribute's id */
  w = run (f, m);
  assert_no_errors (w);
  r2 = run (f, "{ TestCity(order: {disable: true}) { edges { node { name { id value } } } } }");
  g_assert_cmpstr (S (r2, "data.TestCity.edges.0.node.name.value"), ==, "paris2");
  g_assert_cmpstr (S (r2, "data.TestCity.edges.0.node.name.id"), ==, id0);
}

static void
test_relationship_instances (GapsFixture   *f,
                             gconstpointer  data)
{
  g_autofree char *red = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'red'}}");
  g_autofree char *m1 = g_strdup_printf ("mutation { TestCityUpdate(data: {id: \"%s\", tags: [{id: \"%s\"}]}) { ok } }",
                                         f->paris, red);
  g_autofree char *m2 = g_strdup_printf ("mutation { TestCityUpdate(data: {id: \"%s\", tags: [{id: \"%s\", _relation__is_protected: true}]}) { ok } }",
                                         f->paris, red);
  g_autofree char *m3 = g_strdup_printf ("mutation { RelationshipRemove(data: {id: \"%s\", name: \"tags\", nodes: [{id: \"%s\"}]}) { ok }"
                                         " RelationshipAdd(data: {id: \"%s\", name: \"tags\", nodes: [{id: \"%s\"}]}) { ok } }",
                                         f->paris, red, f->paris, red);
  const char *q = "{ Relationship(ids: [\"testlocation__tags\"]) { count edges { node { id identifier peers { id kind } } } } }";
  g_autoptr(JsonNode) w1 = run (f, m1);
  g_autoptr(JsonNode) r1 = run (f, q);
  g_autoptr(JsonNode) w2 = run (f, m2);
  g_autoptr(JsonNode) r2 = run (f, q);
  g_autoptr(JsonNode) w3 = run (f, m3);
  g_autoptr(JsonNode) r3 = run (f, q);
  g_autoptr(JsonNode) tree = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autofree char *id1 = NULL;
  gboolean city_first;

  assert_no_errors (w1);
  assert_no_errors (r1);
  g_assert_cmpint (I (r1, "data.Relationship.count"), ==, 1);
  id1 = g_strdup (S (r1, "data.Relationship.edges.0.node.id"));
  g_assert_true (g_uuid_string_is_valid (id1));
  g_assert_cmpstr (S (r1, "data.Relationship.edges.0.node.identifier"), ==, "testlocation__tags");
  g_assert_cmpuint (LEN (r1, "data.Relationship.edges.0.node.peers"), ==, 2);
  city_first = g_strcmp0 (S (r1, "data.Relationship.edges.0.node.peers.0.kind"), "TestCity") == 0;
  g_assert_cmpstr (S (r1, city_first ? "data.Relationship.edges.0.node.peers.0.id" : "data.Relationship.edges.0.node.peers.1.id"),
                   ==, f->paris);
  g_assert_cmpstr (S (r1, city_first ? "data.Relationship.edges.0.node.peers.1.kind" : "data.Relationship.edges.0.node.peers.0.kind"),
                   ==, "TestTag");
  /* a property changes: same instance */
  assert_no_errors (w2);
  g_assert_cmpstr (S (r2, "data.Relationship.edges.0.node.id"), ==, id1);
  /* removed and added again: a new instance */
  assert_no_errors (w3);
  g_assert_cmpint (I (r3, "data.Relationship.count"), ==, 1);
  g_assert_cmpstr (S (r3, "data.Relationship.edges.0.node.id"), !=, id1);

  /* the hierarchy's links, paged; an excluded namespace hides them */
  tree = run (f, "{ Relationship(ids: [\"parent__child\"], limit: 2, offset: 1) { count edges { node { id } } } }");
  assert_no_errors (tree);
  g_assert_cmpint (I (tree, "data.Relationship.count"), ==, 4);
  g_assert_cmpuint (LEN (tree, "data.Relationship.edges"), ==, 2);
  none = run (f, "{ Relationship(ids: [\"parent__child\"], excluded_namespaces: [\"Test\"]) { count edges { node { id } } } }");
  assert_no_errors (none);
  g_assert_cmpint (I (none, "data.Relationship.count"), ==, 0);
}

static void
test_metadata_permissions (GapsFixture   *f,
                           gconstpointer  data)
{
  const char *q = "{ TestCity(name__value: \"paris\") { permissions { count edges { node { kind view create update delete } } }"
                  "  edges { node_metadata { created_at created_by { id } updated_at updated_by { id } }"
                  "  node { _updated_at name { value updated_at updated_by { id } permissions { update_value } }"
                  "  parent { node_metadata { created_at updated_at } relationship_metadata { updated_at updated_by { id } }"
                  "  node { id } } } } } }";
  g_autoptr(JsonNode) r = run (f, q);
  g_autoptr(JsonNode) w = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *m2 = NULL;

  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestCity.permissions.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestCity.permissions.edges.0.node.kind"), ==, "TestCity");
  g_assert_cmpstr (S (r, "data.TestCity.permissions.edges.0.node.view"), ==, "ALLOW");
  g_assert_cmpstr (S (r, "data.TestCity.permissions.edges.0.node.delete"), ==, "ALLOW");
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.name.permissions.update_value"), ==, "ALLOW");
  created = g_strdup (S (r, "data.TestCity.edges.0.node_metadata.created_at"));
  updated = g_strdup (S (r, "data.TestCity.edges.0.node_metadata.updated_at"));
  g_assert_nonnull (created);
  g_assert_cmpstr (created, ==, updated);
  g_assert_cmpstr (updated, ==, S (r, "data.TestCity.edges.0.node._updated_at"));
  /* the account the change was written as (the test's "tester") */
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node_metadata.created_by.id"), ==, "tester");
  g_assert_true (IS_NULL (r, "data.TestCity.edges.0.node.name.updated_by"));
  g_assert_nonnull (S (r, "data.TestCity.edges.0.node.parent.node_metadata.created_at"));
  g_assert_nonnull (S (r, "data.TestCity.edges.0.node.parent.relationship_metadata.updated_at"));
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.parent.relationship_metadata.updated_by.id"), ==,
                   "tester");

  /* a change moves updated_at, not created_at */
  m2 = g_strdup_printf ("mutation { TestCityUpdate(data: {id: \"%s\", name: {value: \"paris-2\"}}) { ok } }", f->paris);
  w = run (f, m2);
  assert_no_errors (w);
  r2 = run (f, "{ TestCity(name__value: \"paris-2\") { edges { node_metadata { created_at updated_at } } } }");
  assert_no_errors (r2);
  g_assert_cmpstr (S (r2, "data.TestCity.edges.0.node_metadata.created_at"), ==, created);
  g_assert_cmpstr (S (r2, "data.TestCity.edges.0.node_metadata.updated_at"), !=, updated);
}

/* A field failing for one node of a list reports that node's own path. */
static void
test_error_paths (GapsFixture   *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
  g_autofree char *deepest = NULL;
  g_autofree char *q = NULL;
  g_autoptr(JsonNode) r = NULL;
  JsonArray *errors;
  JsonArray *path;
  char *prev = NULL;

  /* a chain of zones deeper than a hierarchy walk goes */
  g_assert_no_error (error);
  for (guint i = 0; i < 140; i++)
    {
      g_autofree char *json = prev ? g_strdup_printf ("{'name': {'value': 'zone%03u'}, 'parent': {'id': '%s'}}", i, prev)
                                   : g_strdup_printf ("{'name': {'value': 'zone%03u'}}", i);
      g_autoptr(JsonObject) input = J (json);
      g_autoptr(BoughNode) node = bough_txn_create (txn, "TestZone", input, &error);

      g_assert_no_error (error);
      g_free (prev);
      prev = g_strdup (node->id);
    }
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
  deepest = prev;

  /* ordered by name: eu, l1, lyon, p1, paris, zone139 */
  q = g_strdup_printf ("{ TestLocation(ids: [\"%s\", \"%s\", \"%s\", \"%s\", \"%s\", \"%s\"]) {"
                       " edges { node { name { value } ancestors { count } } } } }",
                       f->eu, f->paris, f->lyon, f->p1, f->l1, deepest);
  r = run (f, q);
  g_assert_cmpstr (S (r, "data.TestLocation.edges.4.node.name.value"), ==, "paris");
  g_assert_cmpint (I (r, "data.TestLocation.edges.4.node.ancestors.count"), ==, 1);
  /* ancestors is non-null: the failing node is null, its neighbours are whole */
  g_assert_true (IS_NULL (r, "data.TestLocation.edges.5.node"));
  errors = json_node_get_array (at_path (r, "errors"));
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "message"),
                            "deeper than"));
  path = json_object_get_array_member (json_array_get_object_element (errors, 0), "path");
  g_assert_cmpuint (json_array_get_length (path), ==, 5);
  g_assert_cmpstr (json_array_get_string_element (path, 0), ==, "TestLocation");
  g_assert_cmpstr (json_array_get_string_element (path, 1), ==, "edges");
  g_assert_cmpint (json_array_get_int_element (path, 2), ==, 5);
  g_assert_cmpstr (json_array_get_string_element (path, 3), ==, "node");
  g_assert_cmpstr (json_array_get_string_element (path, 4), ==, "ancestors");
}

static void
test_cost (GapsFixture   *f,
           gconstpointer  data)
{
  /* three nested lists over a denser graph (30 tags): past a budget of 1000
   * (5 locations, 5 x 5 descendants, 25 x 30 tags: 780 rows over 3 levels) */
  const char *fanout = "{ TestLocation(limit: 1000) { edges { node { descendants(limit: 1000) { edges { node {"
                       " ...on TestLocation { tags(limit: 1000) { edges { node { id } } } } } } } } } } }";
  const char *small = "{ TestLocation(limit: 2) { edges { node { descendants(limit: 2) { edges { node { id } } } } } } }";
  BoughGqlExecStats stats = { 0, };
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) count = NULL;
  g_autoptr(JsonNode) authors = NULL;
  JsonObject *error;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 't%u'}}", i);
      g_autofree char *id = create_node (STORE (f), NULL, "TestTag", json);
    }
  bough_graphql_api_set_cost_limits (f->api, 100, 1000);
  refused = run_full (f, fanout, NULL, &stats);
  g_assert_true (IS_NULL (refused, "data"));
  error = json_array_get_object_element (json_node_get_array (at_path (refused, "errors")), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (error, "extensions"), "reason"), ==,
                   "QUERY_COST_EXCEEDED");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (error, "extensions"), "cost"), ==,
                   780 * 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (error, "extensions"), "budget"), ==,
                   1000);
  /* refused before any node was read */
  g_assert_cmpuint (stats.store_queries, ==, 0);
  g_assert_cmpuint (stats.peer_fetches, ==, 0);

  ok = run_full (f, small, NULL, &stats);
  assert_no_errors (ok);
  g_assert_cmpuint (LEN (ok, "data.TestLocation.edges"), ==, 2);

  /* a count reads no node rows */
  count = run_full (f, "{ TestLocation { count } }", NULL, &stats);
  assert_no_errors (count);
  g_assert_cmpint (I (count, "data.TestLocation.count"), ==, 5);
  g_assert_cmpuint (stats.store_queries, ==, 1);
  g_assert_cmpuint (stats.node_rows, ==, 0);

  /* the authors of a page: one query for the commits, one per account,
   * none per node */
  authors = run_full (f, "{ TestLocation { edges { node_metadata { created_by { id } updated_by { id } } } } }",
                      NULL, &stats);
  assert_no_errors (authors);
  g_assert_cmpuint (LEN (authors, "data.TestLocation.edges"), ==, 5);
  g_assert_cmpstr (S (authors, "data.TestLocation.edges.4.node_metadata.updated_by.id"), ==, "tester");
  g_assert_cmpuint (stats.store_queries, ==, 3);
}

static void
test_page_sizes (GapsFixture   *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;

  bough_graphql_api_set_limits (f->api, 3, BOUGH_GQL_DEFAULT_MAX_QUERY_DEPTH, 0);
  bough_graphql_api_set_cost_limits (f->api, 2, 0);
  r = run (f, "{ a: TestLocation { count edges { node { id } } }"
              "  b: TestLocation(limit: 100) { count edges { node { id } } }"
              "  c: TestRegion { edges { node { descendants { count edges { node { id } } }"
              "     big: descendants(limit: 50) { edges { node { id } } } } } } }");
  assert_no_errors (r);
  /* the default page without limit, the maximum with a bigger one; counts are whole */
  g_assert_cmpint (I (r, "data.a.count"), ==, 5);
  g_assert_cmpuint (LEN (r, "data.a.edges"), ==, 2);
  g_assert_cmpuint (LEN (r, "data.b.edges"), ==, 3);
  /* nested lists too */
  g_assert_cmpint (I (r, "data.c.edges.0.node.descendants.count"), ==, 4);
  g_assert_cmpuint (LEN (r, "data.c.edges.0.node.descendants.edges"), ==, 2);
  g_assert_cmpuint (LEN (r, "data.c.edges.0.node.big.edges"), ==, 3);
}

/* Pages read while nodes are made: no node that existed is seen twice or
 * missed, in the default order of a kind without order_by and with
 * `order: {disable: true}` on one with it. */
static void
test_stable_paging (GapsFixture   *f,
                    gconstpointer  data)
{
  for (guint round = 0; round < 2; round++)
    {
      const char *kind = round == 0 ? "TestTag" : "TestSite";
      const char *order = round == 0 ? "" : ", order: {disable: true}";
      g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      guint made = 0;

      for (guint i = 0; i < 7; i++)
        {
          g_autofree char *json = g_strdup_printf ("{'name': {'value': 'm%u'}}", 7 - i);

          g_hash_table_add (existing, create_node (STORE (f), NULL, kind, json));
        }
      for (guint page = 0; page < 5; page++)
        {
          g_autofree char *q = g_strdup_printf ("{ %s(offset: %u, limit: 2%s) { edges { node { id } } } }",
                                                kind, page * 2, order);
          g_autoptr(JsonNode) r = run (f, q);
          g_autofree char *list = g_strdup_printf ("data.%s.edges", kind);
          guint n;

          assert_no_errors (r);
          n = LEN (r, list);
          for (guint i = 0; i < n; i++)
            {
              g_autofree char *p = g_strdup_printf ("%s.%u.node.id", list, i);
              const char *id = S (r, p);

              if (g_hash_table_contains (existing, id))
                g_assert_true (g_hash_table_add (seen, g_strdup (id)));
            }
          /* a node made between pages, whose name sorts first */
          {
            g_autofree char *json = g_strdup_printf ("{'name': {'value': 'a%u'}}", made++);
            g_autofree char *id = create_node (STORE (f), NULL, kind, json);
          }
        }
      g_assert_cmpuint (g_hash_table_size (seen), ==, 7);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, GapsFixture, NULL, gaps_setup, fn, gaps_teardown)
  ADD ("/gql-gaps/hierarchy", test_hierarchy);
  ADD ("/gql-gaps/include-descendants", test_include_descendants);
  ADD ("/gql-gaps/attribute-ids", test_attribute_ids);
  ADD ("/gql-gaps/relationship-instances", test_relationship_instances);
  ADD ("/gql-gaps/metadata-permissions", test_metadata_permissions);
  ADD ("/gql-gaps/error-paths", test_error_paths);
  ADD ("/gql-gaps/cost", test_cost);
  ADD ("/gql-gaps/page-sizes", test_page_sizes);
  ADD ("/gql-gaps/stable-paging", test_stable_paging);
#undef ADD

  return g_test_run ();
}
