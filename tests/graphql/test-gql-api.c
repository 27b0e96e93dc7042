/* test-gql-api.c: the generated GraphQL API over a real temporary store: the schema's names
 * and shapes, the queries and mutations the official SDK sends, errors with paths, and the
 * number of store calls per request (no query per node).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "../server/store-test-common.h"
#include "graphql/bough-gql-generate.h"
#include "graphql/bough-gql-introspection.h"
#include "graphql/bough-gql-validate.h"
#include "graphql/bough-graphql-api.h"
#include "gql-test-common.h"

typedef struct
{
  StoreFixture     store;
  BoughGraphqlApi *api;
  char            *site;        /* ids of nodes made by the setup */
  char            *site2;
  char            *device;
  char            *tag;
  char            *tag2;
  char            *group;
} ApiFixture;

#define STORE(f) ((f)->store.store)

/* Runs a request; returns the parsed response and sets @status. */
static JsonNode *
run_full (ApiFixture        *f,
          const char        *branch,
          const char        *at,
          const char        *query,
          const char        *variables,
          guint             *status,
          BoughGqlExecStats *stats)
{
  return gql_test_request (f->api, branch, at, "tester", query, variables, status, stats);
}

static JsonNode *
run (ApiFixture *f,
     const char *query)
{
  guint status = 0;
  JsonNode *r = run_full (f, NULL, NULL, query, NULL, &status, NULL);

  g_assert_cmpuint (status, ==, 200);
  return r;
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

static void
assert_no_errors (JsonNode *r)
{
  JsonNode *e = at_path (r, "errors");

  if (e != NULL)
    {
      g_autofree char *text = json_to_string (r, FALSE);

      g_error ("unexpected errors: %s", text);
    }
}

static void
api_setup (ApiFixture    *f,
           gconstpointer  data)
{
  g_autofree char *json = NULL;

  store_fixture_setup (&f->store, data);
  f->api = bough_graphql_api_new (STORE (f));
  f->site = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'atl1'}, 'region': {'value': 'us'}}");
  f->site2 = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'ord1'}, 'region': {'value': 'us'}}");
  f->tag = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'red'}}");
  f->tag2 = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'blue'}}");
  json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'}, 'asn': {'value': 65001},"
                          " 'role': {'value': 'edge'}, 'tags': [{'id': '%s', '_relation__is_protected': true}, {'id': '%s'}]}",
                          f->site, f->tag, f->tag2);
  f->device = create_node (STORE (f), NULL, "TestDevice", json);
}

static void
api_teardown (ApiFixture    *f,
              gconstpointer  data)
{
  g_clear_pointer (&f->api, bough_graphql_api_unref);
  g_free (f->site);
  g_free (f->site2);
  g_free (f->device);
  g_free (f->tag);
  g_free (f->tag2);
  g_free (f->group);
  store_fixture_teardown (&f->store, data);
}

static void
test_generate (ApiFixture    *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughGqlSchema) gql = bough_graphql_api_get_schema (f->api, BOUGH_DEFAULT_BRANCH, 0, &schema, &error);
  g_autoptr(BoughGqlSchema) again = NULL;
  g_autofree char *sdl = NULL;
  BoughGqlType *t;
  BoughGqlField *fd;

  g_assert_no_error (error);
  g_assert_nonnull (gql);
  /* cached by schema hash */
  again = bough_graphql_api_get_schema (f->api, BOUGH_DEFAULT_BRANCH, 0, NULL, &error);
  g_assert_true (again == gql);

  t = bough_gql_schema_get_type (gql, "TestDevice");
  g_assert_nonnull (t);
  g_assert_cmpint (t->kind, ==, BOUGH_GQL_TYPE_OBJECT);
  g_assert_nonnull (bough_gql_type_get_field (t, "hfid"));
  g_assert_nonnull (bough_gql_type_get_field (t, "display_label"));
  g_assert_cmpstr (bough_gql_type_named (bough_gql_type_get_field (t, "name")->type)->name, ==, "TextAttribute");
  g_assert_cmpstr (bough_gql_type_named (bough_gql_type_get_field (t, "asn")->type)->name, ==, "NumberAttribute");
  g_assert_cmpstr (bough_gql_type_named (bough_gql_type_get_field (t, "enabled")->type)->name, ==, "CheckboxAttribute");
  g_assert_cmpstr (bough_gql_type_named (bough_gql_type_get_field (t, "role")->type)->name, ==, "Dropdown");
  g_assert_cmpstr (bough_gql_type_named (bough_gql_type_get_field (t, "site")->type)->name, ==, "NestedEdgedTestSite");
  g_assert_cmpstr (bough_gql_type_named (bough_gql_type_get_field (t, "tags")->type)->name, ==, "NestedPaginatedTestTag");
  g_assert_nonnull (bough_gql_type_get_field (t, "member_of_groups"));
  g_assert_true (bough_gql_type_is_possible (bough_gql_schema_get_type (gql, "TestEquipment"), t));
  g_assert_true (bough_gql_type_is_possible (bough_gql_schema_get_type (gql, "CoreNode"), t));
  g_assert_cmpint (bough_gql_schema_get_type (gql, "TestEquipment")->kind, ==, BOUGH_GQL_TYPE_INTERFACE);

  fd = bough_gql_type_get_field (gql->query_type, "TestDevice");
  g_assert_cmpstr (bough_gql_type_named (fd->type)->name, ==, "PaginatedTestDevice");
  for (guint i = 0; i < 14; i++)
    {
      static const char *args[] = { "offset", "limit", "ids", "hfid", "partial_match", "any__value",
                                    "name__value", "name__values", "name__isnull", "name__is_protected",
                                    "name__source__id", "site__ids", "site__name__value", "tags__name__values" };

      if (bough_gql_args_find (fd->args, args[i]) == NULL)
        g_error ("TestDevice has no argument %s", args[i]);
    }
  g_assert_nonnull (bough_gql_type_get_field (gql->mutation_type, "TestDeviceCreate"));
  g_assert_nonnull (bough_gql_type_get_field (gql->mutation_type, "TestDeviceUpsert"));
  g_assert_nonnull (bough_gql_type_get_field (gql->mutation_type, "RelationshipAdd"));
  g_assert_null (bough_gql_type_get_field (gql->mutation_type, "TestEquipmentCreate"));
  g_assert_nonnull (bough_gql_type_get_field (gql->query_type, "InfrahubInfo"));
  t = bough_gql_schema_get_type (gql, "TestDeviceCreateInput");
  g_assert_nonnull (t);
  /* mandatory without a default: required; read-only: absent */
  g_assert_cmpint (bough_gql_type_get_field (t, "name")->type->kind, ==, BOUGH_GQL_TYPE_NON_NULL);
  g_assert_cmpint (bough_gql_type_get_field (t, "status")->type->kind, !=, BOUGH_GQL_TYPE_NON_NULL);
  g_assert_null (bough_gql_type_get_field (t, "secret"));
  g_assert_cmpstr (bough_gql_type_named (bough_gql_type_get_field (t, "tags")->type)->name, ==, "RelatedNodeInput");

  sdl = bough_graphql_api_print_sdl (f->api, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (sdl, "type PaginatedTestDevice {"));
  g_assert_nonnull (strstr (sdl, "interface TestEquipment"));
}


/* What the SDK's get(id=), get(hfid=) and all() send. */
static void
test_query_get (ApiFixture    *f,
                gconstpointer  data)
{
  g_autofree char *q1 = g_strdup_printf (
    "query Get_TestDevice ($offset: Int!, $limit: Int!) {\n"
    "  TestDevice(ids: [\"%s\"], offset: $offset, limit: $limit) {\n"
    "    count\n"
    "    edges { node { id hfid display_label __typename name { value } asn { value }"
    "      role { value label } enabled { value } status { value is_default }"
    "      site { node { id hfid display_label __typename } } } }\n"
    "  }\n"
    "}", f->device);
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(JsonNode) r2 = NULL;
  g_autoptr(JsonNode) r3 = NULL;
  guint status;

  r = run_full (f, BOUGH_DEFAULT_BRANCH, NULL, q1, "{'offset': 0, 'limit': 50}", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.id"), ==, f->device);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.__typename"), ==, "TestDevice");
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.hfid.0"), ==, "edge1");
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.name.value"), ==, "edge1");
  g_assert_cmpint (I (r, "data.TestDevice.edges.0.node.asn.value"), ==, 65001);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.role.value"), ==, "edge");
  g_assert_true (json_node_get_boolean (at_path (r, "data.TestDevice.edges.0.node.enabled.value")));
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.status.value"), ==, "active");
  g_assert_true (json_node_get_boolean (at_path (r, "data.TestDevice.edges.0.node.status.is_default")));
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.id"), ==, f->site);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.display_label"), ==, "atl1");
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.__typename"), ==, "TestSite");

  /* by hfid, numbers inline (SDK 1.23) */
  r2 = run (f, "{ TestDevice(hfid: [\"edge1\"], offset: 0, limit: 50) { count edges { node { id } } } }");
  assert_no_errors (r2);
  g_assert_cmpstr (S (r2, "data.TestDevice.edges.0.node.id"), ==, f->device);
  /* count without arguments; unknown hfid: nothing */
  r3 = run (f, "query Count_TestSite { TestSite { count } a: TestDevice(hfid: [\"nope\"]) { count edges { node { id } } } }");
  assert_no_errors (r3);
  g_assert_cmpint (I (r3, "data.TestSite.count"), ==, 2);
  g_assert_cmpint (I (r3, "data.a.count"), ==, 0);
  g_assert_cmpuint (LEN (r3, "data.a.edges"), ==, 0);
}

static void
test_query_pagination (ApiFixture    *f,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(JsonNode) r2 = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'x%u'}}", i);
      g_autofree char *id = create_node (STORE (f), NULL, "TestTag", json);
    }
  r = run (f, "{ TestTag(offset: 1, limit: 3) { count edges { node { name { value } } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestTag.count"), ==, 7);
  g_assert_cmpuint (LEN (r, "data.TestTag.edges"), ==, 3);

  /* the page size is capped */
  bough_graphql_api_set_limits (f->api, 4, BOUGH_GQL_DEFAULT_MAX_QUERY_DEPTH, 0);
  r2 = run (f, "{ TestTag(limit: 100) { count edges { node { id } } } }");
  assert_no_errors (r2);
  g_assert_cmpint (I (r2, "data.TestTag.count"), ==, 7);
  g_assert_cmpuint (LEN (r2, "data.TestTag.edges"), ==, 4);
}

static void
test_query_filters (ApiFixture    *f,
                    gconstpointer  data)
{
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'core1'}, 'site': {'id': '%s'}, 'role': {'value': 'core'}}", f->site2);
  g_autofree char *dev2 = create_node (STORE (f), NULL, "TestDevice", json);
  g_autofree char *q_ids = g_strdup_printf ("{ TestDevice(site__ids: [\"%s\"]) { count edges { node { id } } } }", f->site2);
  g_autoptr(JsonNode) r = NULL;

  r = run (f, "{ TestDevice(site__name__value: \"atl1\") { count edges { node { name { value } } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.name.value"), ==, "edge1");
  json_node_unref (r);

  r = run (f, q_ids);
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.id"), ==, dev2);
  json_node_unref (r);

  r = run (f, "{ TestDevice(name__values: [\"core1\", \"edge1\"]) { count } "
              "  b: TestDevice(role__value: \"core\") { count } "
              "  c: TestDevice(name__value: \"dge\", partial_match: true) { count } "
              "  d: TestDevice(asn__isnull: true) { count } "
              "  e: TestDevice(tags__name__value: \"red\") { count } "
              "  f: TestSite(any__value: \"ord1\") { count } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 2);
  g_assert_cmpint (I (r, "data.b.count"), ==, 1);
  g_assert_cmpint (I (r, "data.c.count"), ==, 1);
  g_assert_cmpint (I (r, "data.d.count"), ==, 1);
  g_assert_cmpint (I (r, "data.e.count"), ==, 1);
  g_assert_cmpint (I (r, "data.f.count"), ==, 1);
  json_node_unref (r);

  r = run (f, "{ a: TestSite(any__values: [\"ord1\", \"atl1\"]) { count }"
              "  b: TestDevice(name__is_protected: false) { count }"
              "  c: TestDevice(tags__isnull: true) { count }"
              "  d: TestDevice(name__isnull: false, role__values: [\"edge\"]) { count } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.a.count"), ==, 2);
  g_assert_cmpint (I (r, "data.b.count"), ==, 2);
  g_assert_cmpint (I (r, "data.c.count"), ==, 1);
  g_assert_cmpint (I (r, "data.d.count"), ==, 1);
  json_node_unref (r);

  /* what RelationshipManager.fetch() sends; a contradictory order is refused */
  r = run (f, "{ a: TestDevice(order: { disable: true, node_metadata: null }) { count } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.a.count"), ==, 2);
  json_node_unref (r);
  r = run (f, "{ b: TestTag(order: { node_metadata: { created_at: DESC, updated_at: ASC } }) { count } }");
  /* a non-null root field failed: data is null, as the specification says */
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data")));
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "mutually exclusive"));
  g_assert_cmpstr (S (r, "errors.0.path.0"), ==, "b");
  json_node_unref (r);

  /* a generic lists every implementing kind, with the concrete __typename */
  g_free (create_node (STORE (f), NULL, "TestAppliance", "{'name': {'value': 'fw1'}}"));
  r = run (f, "{ TestEquipment { count edges { node { __typename name { value } ...on TestDevice { asn { value } } } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestEquipment.count"), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *tp = g_strdup_printf ("data.TestEquipment.edges.%u.node.__typename", i);
      g_autofree char *ap = g_strdup_printf ("data.TestEquipment.edges.%u.node.asn", i);

      if (g_strcmp0 (S (r, tp), "TestAppliance") == 0)
        g_assert_null (at_path (r, ap));
      else
        g_assert_cmpstr (S (r, tp), ==, "TestDevice");
    }
}

static void
test_query_nested (ApiFixture    *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;

  r = run (f, "{ TestDevice { edges { node {"
              "  site { node { name { value } region { value } } properties { is_protected is_visible updated_at } }"
              "  tags { count edges { node { id name { value } } properties { is_protected } } }"
              "  red: tags(name__value: \"red\") { count edges { node { display_label } } }"
              "  one: tags(limit: 1, offset: 1) { count edges { node { id } } }"
              "  member_of_groups { count edges { node { id } } }"
              "} } } }");
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.name.value"), ==, "atl1");
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.region.value"), ==, "us");
  g_assert_false (json_node_get_boolean (at_path (r, "data.TestDevice.edges.0.node.site.properties.is_protected")));
  g_assert_nonnull (S (r, "data.TestDevice.edges.0.node.site.properties.updated_at"));
  g_assert_cmpint (I (r, "data.TestDevice.edges.0.node.tags.count"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *np = g_strdup_printf ("data.TestDevice.edges.0.node.tags.edges.%u.node.name.value", i);
      g_autofree char *pp = g_strdup_printf ("data.TestDevice.edges.0.node.tags.edges.%u.properties.is_protected", i);

      g_assert_cmpint (json_node_get_boolean (at_path (r, pp)), ==, g_strcmp0 (S (r, np), "red") == 0);
    }
  g_assert_cmpint (I (r, "data.TestDevice.edges.0.node.red.count"), ==, 1);
  g_assert_cmpuint (LEN (r, "data.TestDevice.edges.0.node.red.edges"), ==, 1);
  g_assert_cmpint (I (r, "data.TestDevice.edges.0.node.one.count"), ==, 2);
  g_assert_cmpuint (LEN (r, "data.TestDevice.edges.0.node.one.edges"), ==, 1);
  g_assert_cmpint (I (r, "data.TestDevice.edges.0.node.member_of_groups.count"), ==, 0);
}

static void
test_mutations (ApiFixture    *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *q = NULL;
  g_autofree char *id = NULL;
  guint status;

  /* create, the way save() sends it: a variable for an odd string, a
   * trailing comma in lists */
  q = g_strdup_printf ("mutation ($value_1: String!) { TestDeviceCreate(data: {"
                       " name: { value: \"spine1\" } description: { value: $value_1 }"
                       " site: { id: \"%s\" } tags: [ { hfid: [\"red\"] }, ] }) { ok object { id name { value } description { value } tags { count } } } }",
                       f->site);
  r = run_full (f, BOUGH_DEFAULT_BRANCH, NULL, q, "{'value_1': 'a text, with (odd) chars'}", &status, NULL);
  assert_no_errors (r);
  g_assert_true (json_node_get_boolean (at_path (r, "data.TestDeviceCreate.ok")));
  id = g_strdup (S (r, "data.TestDeviceCreate.object.id"));
  g_assert_nonnull (id);
  g_assert_cmpstr (S (r, "data.TestDeviceCreate.object.description.value"), ==, "a text, with (odd) chars");
  g_assert_cmpint (I (r, "data.TestDeviceCreate.object.tags.count"), ==, 1);
  json_node_unref (r);
  g_free (q);

  /* update */
  q = g_strdup_printf ("mutation { TestDeviceUpdate(data: { id: \"%s\", asn: { value: 64512 } }) { ok object { asn { value } } } }", id);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestDeviceUpdate.object.asn.value"), ==, 64512);
  json_node_unref (r);
  g_free (q);

  /* upsert twice by hfid from the payload: the second one changes nothing */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) u = run (f, "mutation { TestTagUpsert(data: { name: { value: \"green\" } }) { ok object { id _updated_at } } }");
      static char *first_id, *first_stamp;

      assert_no_errors (u);
      if (i == 0)
        {
          first_id = g_strdup (S (u, "data.TestTagUpsert.object.id"));
          first_stamp = g_strdup (S (u, "data.TestTagUpsert.object._updated_at"));
        }
      else
        {
          g_assert_cmpstr (S (u, "data.TestTagUpsert.object.id"), ==, first_id);
          g_assert_cmpstr (S (u, "data.TestTagUpsert.object._updated_at"), ==, first_stamp);
          g_clear_pointer (&first_id, g_free);
          g_clear_pointer (&first_stamp, g_free);
        }
    }
  r = run (f, "{ TestTag(name__value: \"green\") { count } }");
  g_assert_cmpint (I (r, "data.TestTag.count"), ==, 1);
  json_node_unref (r);

  /* relationship add / remove */
  q = g_strdup_printf ("mutation { RelationshipAdd(data: { id: \"%s\", name: \"tags\", nodes: [{ id: \"%s\" }] }) { ok } }", id, f->tag2);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_true (json_node_get_boolean (at_path (r, "data.RelationshipAdd.ok")));
  json_node_unref (r);
  g_free (q);
  q = g_strdup_printf ("{ TestDevice(ids: [\"%s\"]) { edges { node { tags { count } } } } }", id);
  r = run (f, q);
  g_assert_cmpint (I (r, "data.TestDevice.edges.0.node.tags.count"), ==, 2);
  json_node_unref (r);
  g_free (q);
  q = g_strdup_printf ("mutation { RelationshipRemove(data: { id: \"%s\", name: \"tags\", nodes: [{ id: \"%s\" },] }) { ok } }", id, f->tag);
  r = run (f, q);
  assert_no_errors (r);
  json_node_unref (r);
  g_free (q);
  q = g_strdup_printf ("{ TestDevice(ids: [\"%s\"]) { edges { node { tags { edges { node { id } } } } } } }", id);
  r = run (f, q);
  g_assert_cmpuint (LEN (r, "data.TestDevice.edges.0.node.tags.edges"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.tags.edges.0.node.id"), ==, f->tag2);
  json_node_unref (r);
  g_free (q);

  /* delete */
  q = g_strdup_printf ("mutation { TestDeviceDelete(data: { id: \"%s\" }) { ok } }", id);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_true (json_node_get_boolean (at_path (r, "data.TestDeviceDelete.ok")));
  json_node_unref (r);
  r = run (f, "{ TestDevice(name__value: \"spine1\") { count } }");
  g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 0);
}

/* Data mutations whose answers their successors cannot change (`ok`,
 * `object { id }`: what the SDK asks) share one transaction, each write
 * staying atomic and seeing the earlier ones; a field asking for more is
 * answered before the next field writes. */
static void
test_mutation_batch (ApiFixture    *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(JsonNode) counts = NULL;
  BoughGqlExecStats stats;
  JsonArray *errors;
  guint status = 0;

  r = run_full (f, NULL, NULL,
                "mutation {"
                " a: TestTagCreate(data: {name: {value: \"cyan\"}}) { ok object { id } }"
                " b: TestTagCreate(data: {name: {value: \"red\"}}) { ok }"
                " c: TestTagCreate(data: {name: {value: \"magenta\"}}) { ok object { id __typename } }"
                " d: TestTagDelete(data: {hfid: [\"magenta\"]}) { ok }"
                " e: TestTagUpdate(data: {hfid: [\"cyan\"], name: {value: \"teal\"}}) { ok object { id } }"
                " f: TestTagUpdate(data: {hfid: [\"teal\"], name: {value: \"navy\"}}) { object { name { value } } }"
                " g: TestTagUpdate(data: {hfid: [\"navy\"], name: {value: \"olive\"}}) { ok }"
                " __typename }",
                NULL, &status, &stats);
  g_assert_cmpuint (status, ==, 200);
  /* a to e in one, f alone (it reads its node back before g writes), g. */
  g_assert_cmpuint (stats.transactions, ==, 3);

  /* b broke the uniqueness of the name: its error, nothing written. */
  errors = json_object_get_array_member (json_node_get_object (r), "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     json_array_get_object_element (errors, 0), "path"), 0), ==, "b");
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.b")));
  /* the field it is about, for forms (a Bough extension) */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_array_get_object_element (errors, 0), "extensions"), "field"), ==, "name");

  /* The others went through, each seeing the writes before it; c answers
   * with what it created although d deleted it since. */
  g_assert_true (json_node_get_boolean (at_path (r, "data.a.ok")));
  g_assert_nonnull (S (r, "data.c.object.id"));
  g_assert_cmpstr (S (r, "data.c.object.__typename"), ==, "TestTag");
  g_assert_true (json_node_get_boolean (at_path (r, "data.d.ok")));
  g_assert_cmpstr (S (r, "data.e.object.id"), ==, S (r, "data.a.object.id"));
  g_assert_cmpstr (S (r, "data.f.object.name.value"), ==, "navy");
  g_assert_true (json_node_get_boolean (at_path (r, "data.g.ok")));
  g_assert_cmpstr (S (r, "data.__typename"), ==, "Mutation");

  counts = run (f, "{ red: TestTag(name__value: \"red\") { count }"
                   " magenta: TestTag(name__value: \"magenta\") { count }"
                   " olive: TestTag(name__value: \"olive\") { count } }");
  assert_no_errors (counts);
  g_assert_cmpint (I (counts, "data.red.count"), ==, 1);
  g_assert_cmpint (I (counts, "data.magenta.count"), ==, 0);
  g_assert_cmpint (I (counts, "data.olive.count"), ==, 1);
}

static void
test_errors (ApiFixture    *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonNode) r = NULL;
  guint status = 0;
  const char *text;

  /* transport errors: 400 with the error shape; GraphQL errors (syntax,
   * validation, variables) are answered with 200 and `errors` */
  {
    static const char *bodies[] = { "{not json", "[{\"query\": \"{ __typename }\"}]", "{\"variables\": {}}", "" };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autoptr(GBytes) resp = NULL;
        g_autoptr(JsonParser) parser = json_parser_new ();
        JsonNode *root;

        g_assert_false (bough_graphql_api_execute (f->api, NULL, NULL, bodies[i], strlen (bodies[i]), &status, &resp));
        g_assert_cmpuint (status, ==, 400);
        g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (resp, NULL), g_bytes_get_size (resp), NULL));
        root = json_parser_get_root (parser);
        g_assert_true (JSON_NODE_HOLDS_NULL (at_path (root, "data")));
        g_assert_nonnull (S (root, "errors.0.message"));
        g_assert_cmpint (I (root, "errors.0.extensions.code"), ==, 400);
      }
  }

  /* JSON nested deeper than json-glib's recursion could take */
  {
    g_autoptr(GString) deep = g_string_new ("{\"query\": \"{ __typename }\", \"variables\": {\"v\": ");
    g_autoptr(GBytes) resp = NULL;

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, ']');
    g_string_append (deep, "}}");
    g_assert_false (bough_graphql_api_execute (f->api, NULL, NULL, deep->str, deep->len, &status, &resp));
    g_assert_cmpuint (status, ==, 400);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (resp, NULL), g_bytes_get_size (resp), "nesting is deeper"));
  }

  /* unknown branch */
  r = run_full (f, "nope", NULL, "{ InfrahubInfo { version } }", NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "Branch: nope"));
  json_node_unref (r);

  /* unknown field, with its location */
  r = run_full (f, NULL, NULL, "{\n  TestDevice { count nope } }", NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "nope"));
  g_assert_cmpint (I (r, "errors.0.locations.0.line"), ==, 2);
  json_node_unref (r);

  /* wrong variable type */
  r = run_full (f, NULL, NULL, "query ($l: Int!) { TestDevice(limit: $l) { count } }", "{'l': 'ten'}", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "$l"));
  json_node_unref (r);

  /* constraint violation: an error with the path naming the mutation,
   * nothing written, the other root fields still run */
  r = run_full (f, NULL, NULL,
                "mutation { a: TestTagCreate(data: { name: { value: \"pink\" } }) { ok }"
                " b: TestTagCreate(data: { name: { value: \"red\" } }) { ok object { id } } }", NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_node_get_boolean (at_path (r, "data.a.ok")));
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.b")));
  g_assert_cmpstr (S (r, "errors.0.path.0"), ==, "b");
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "TestTagCreate"));
  g_assert_cmpint (I (r, "errors.0.locations.0.line"), ==, 1);
  json_node_unref (r);
  r = run (f, "{ TestTag(name__value: \"red\") { count } pink: TestTag(name__value: \"pink\") { count } }");
  g_assert_cmpint (I (r, "data.TestTag.count"), ==, 1);
  g_assert_cmpint (I (r, "data.pink.count"), ==, 1);
  json_node_unref (r);

  /* a missing mandatory relationship: refused by the store, nothing written */
  r = run_full (f, NULL, NULL, "mutation { TestDeviceCreate(data: { name: { value: \"lost\" } }) { ok } }",
                NULL, &status, NULL);
  g_assert_nonnull (S (r, "errors.0.message"));
  g_assert_nonnull (S (r, "errors.0.extensions.field"));
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.TestDeviceCreate")));
  json_node_unref (r);
  r = run (f, "{ TestDevice(name__value: \"lost\") { count } }");
  g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 0);
  json_node_unref (r);

  /* what the SDK sends for a pool: valid GraphQL, refused with a clear message */
  r = run_full (f, NULL, NULL, "mutation { TestInterfaceCreate(data: { name: { value: \"eth9\" },"
                " device: { from_pool: { id: \"p1\" } } }) { ok } }", NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "pool"));
  g_assert_cmpstr (S (r, "errors.0.path.0"), ==, "TestInterfaceCreate");

  (void) response;
  (void) text;
}

/* The store calls of a request do not grow with the number of nodes. */
static void
test_no_n_plus_one (ApiFixture    *f,
                    gconstpointer  data)
{
  const char *query = "{ TestDevice { count edges { node { id name { value }"
                      " site { node { id name { value } } properties { is_protected } }"
                      " tags { count edges { node { name { value } } } }"
                      " interfaces { edges { node { id } } } } } } }";
  BoughGqlExecStats few = { 0, }, many = { 0, };
  guint status;
  JsonNode *r;

  r = run_full (f, NULL, NULL, query, NULL, &status, &few);
  assert_no_errors (r);
  json_node_unref (r);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'd%u'}, 'site': {'id': '%s'},"
                                               " 'tags': [{'id': '%s'}, {'id': '%s'}]}",
                                               i, i % 2 ? f->site : f->site2, f->tag, f->tag2);
      g_autofree char *id = create_node (STORE (f), NULL, "TestDevice", json);
    }
  r = run_full (f, NULL, NULL, query, NULL, &status, &many);
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 21);
  g_assert_cmpuint (LEN (r, "data.TestDevice.edges"), ==, 21);
  json_node_unref (r);
  g_assert_cmpuint (few.store_queries, ==, many.store_queries);
  g_assert_cmpuint (few.peer_fetches, ==, many.peer_fetches);
  /* one list query, one query for site peers, one for tag peers */
  g_assert_cmpuint (many.store_queries, ==, 3);
  g_assert_cmpuint (many.peer_fetches, ==, 3);
}

static void
test_fixed_fields (ApiFixture    *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *q = NULL;

  r = run (f, "{ InfrahubInfo { version deployment_id } InfrahubStatus { summary { schema_hash_synced } }"
              "  Branch { id name is_default sync_with_git has_schema_changes status branched_from }"
              "  b: Branch(name: \"other\") { name } }");
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.InfrahubInfo.version"), ==, PACKAGE_VERSION);
  g_assert_true (json_node_get_boolean (at_path (r, "data.InfrahubStatus.summary.schema_hash_synced")));
  g_assert_cmpuint (LEN (r, "data.Branch"), ==, 1);
  g_assert_cmpstr (S (r, "data.Branch.0.name"), ==, "main");
  g_assert_true (json_node_get_boolean (at_path (r, "data.Branch.0.is_default")));
  g_assert_cmpstr (S (r, "data.Branch.0.status"), ==, "OPEN");
  g_assert_cmpuint (LEN (r, "data.b"), ==, 0);
  {
    /* branched_from is an ISO 8601 time, as the SDK requires */
    g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (S (r, "data.Branch.0.branched_from"), NULL);

    g_assert_nonnull (when);
  }
  json_node_unref (g_steal_pointer (&r));

  /* on another branch, both it and the default branch are listed, with
   * their own creation times */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GDateTime) main_time = NULL;
    g_autoptr(GDateTime) other_time = NULL;
    gint64 stamp = 0;
    gboolean is_default = TRUE;

    g_assert_true (bough_store_create_branch (STORE (f), "other", &error));
    g_assert_no_error (error);
    g_assert_true (bough_store_get_branch_info (STORE (f), "other", &stamp, &is_default, &error));
    g_assert_no_error (error);
    g_assert_cmpint (stamp, >, 0);
    g_assert_false (is_default);
    g_assert_false (bough_store_get_branch_info (STORE (f), "absent", &stamp, &is_default, &error));
    g_assert_no_error (error);

    r = run_full (f, "other", NULL, "{ Branch { name is_default origin_branch branched_from } }", NULL, NULL, NULL);
    assert_no_errors (r);
    g_assert_cmpuint (LEN (r, "data.Branch"), ==, 2);
    g_assert_cmpstr (S (r, "data.Branch.1.name"), ==, "other");
    g_assert_false (json_node_get_boolean (at_path (r, "data.Branch.1.is_default")));
    g_assert_cmpstr (S (r, "data.Branch.1.origin_branch"), ==, "main");
    main_time = g_date_time_new_from_iso8601 (S (r, "data.Branch.0.branched_from"), NULL);
    other_time = g_date_time_new_from_iso8601 (S (r, "data.Branch.1.branched_from"), NULL);
    g_assert_nonnull (main_time);
    g_assert_nonnull (other_time);
    g_assert_cmpint (g_date_time_compare (main_time, other_time), <, 0);
    json_node_unref (g_steal_pointer (&r));

    /* asked for by name, it is found from the default branch too */
    r = run (f, "{ Branch(name: \"other\") { name is_default } none: Branch(name: \"absent\") { name } }");
    assert_no_errors (r);
    g_assert_cmpuint (LEN (r, "data.Branch"), ==, 1);
    g_assert_cmpstr (S (r, "data.Branch.0.name"), ==, "other");
    g_assert_cmpuint (LEN (r, "data.none"), ==, 0);
    json_node_unref (g_steal_pointer (&r));
  }

  q = g_strdup_printf ("{ InfrahubSearchAnywhere(q: \"%s\") { count edges { node { id kind } } } }", f->device);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.InfrahubSearchAnywhere.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubSearchAnywhere.edges.0.node.kind"), ==, "TestDevice");
  json_node_unref (g_steal_pointer (&r));

  /* by value, substrings by default */
  r = run (f, "{ InfrahubSearchAnywhere(q: \"edge\") { count edges { node { id kind } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.InfrahubSearchAnywhere.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubSearchAnywhere.edges.0.node.id"), ==, f->device);
}

/* InfrahubSearchAnywhere with a string given as a variable: its count,
 * and the number of edges in @edges. */
static gint64
search_count (ApiFixture *f,
              const char *branch,
              const char *at,
              const char *q,
              const char *more_args,
              guint      *edges)
{
  g_autoptr(JsonObject) vars = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *variables = NULL, *query = NULL;
  guint status = 0;

  json_object_set_string_member (vars, "q", q);
  root = json_node_init_object (json_node_alloc (), vars);
  variables = json_to_string (root, FALSE);
  query = g_strdup_printf ("query ($q: String!) { InfrahubSearchAnywhere(q: $q%s) { count edges { node { id kind } } } }",
                           more_args);
  r = run_full (f, branch, at, query, variables, &status, NULL);
  assert_no_errors (r);
  if (edges != NULL)
    *edges = LEN (r, "data.InfrahubSearchAnywhere.edges");
  return I (r, "data.InfrahubSearchAnywhere.count");
}

static void
make_search_site (ApiFixture *f,
                  const char *branch,
                  const char *name,
                  const char *description)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), branch, "tester", &error);
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(BoughNode) node = NULL;
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "value", name);
  json_object_set_object_member (data, "name", entry);
  entry = json_object_new ();
  json_object_set_string_member (entry, "value", description);
  json_object_set_object_member (data, "description", entry);
  node = bough_txn_create (txn, "TestSite", data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
}

/* Search anywhere finds values (case folded as before: ASCII only), hfids
 * and names, with JSON escapes and non-ASCII text, exactly or not, on a
 * branch and at a past time, counted in full whatever the limit. */
static void
test_search_anywhere_values (ApiFixture    *f,
                             gconstpointer  data)
{
  static const char * const descriptions[] = {
    "say \"hi\" srch", "C:\\path\\srch", "Ünïcödé ÉCOLE srch", "école srch", "Straße srch",
    "emoji 🙂 srch", "literal \\u00e9 srch", "MiXeD CaSe srch",
  };
  static const struct { const char *q; gint64 count; } cases[] = {
    { "srch", 8 },           /* every site, by name and description */
    { "SRCH-3", 1 },         /* a name (the hfid), another case */
    { "srch-", 8 },          /* names only */
    { "ÉCOLE", 1 },          /* non-ASCII is not folded by lower() */
    { "école", 1 },
    { "écolE", 1 },
    { "ÉCOLE SRCH", 1 },
    { "straße", 1 },
    { "STRASSE", 0 },
    { "🙂 srch", 1 },
    { "\"hi\"", 1 },
    { "\\path\\", 1 },
    { "\\u00e9", 1 },
    { "u00e9 SRCH", 1 },
    { "mixed case", 1 },
    { "no-such-srch", 0 },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *past = NULL;
  guint edges = 0;

  for (guint i = 0; i < G_N_ELEMENTS (descriptions); i++)
    {
      g_autofree char *name = g_strdup_printf ("srch-%u", i);

      make_search_site (f, NULL, name, descriptions[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("search “%s”", cases[i].q);
      g_assert_cmpint (search_count (f, NULL, NULL, cases[i].q, "", NULL), ==, cases[i].count);
    }
  /* exact: whole values only, case and all */
  g_assert_cmpint (search_count (f, NULL, NULL, "srch-3", ", partial_match: false", NULL), ==, 1);
  g_assert_cmpint (search_count (f, NULL, NULL, "SRCH-3", ", partial_match: false", NULL), ==, 0);
  g_assert_cmpint (search_count (f, NULL, NULL, "école srch", ", partial_match: false", NULL), ==, 1);
  g_assert_cmpint (search_count (f, NULL, NULL, "école", ", partial_match: false", NULL), ==, 0);
  /* the count is every match, the edges the page */
  g_assert_cmpint (search_count (f, NULL, NULL, "srch", ", limit: 3", &edges), ==, 8);
  g_assert_cmpuint (edges, ==, 3);

  /* a branch sees its own values; main keeps its own; a past time sees
   * the values of then */
  g_usleep (20000);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    past = g_date_time_format_iso8601 (now);
  }
  g_usleep (20000);
  g_assert_true (bough_store_create_branch (STORE (f), "srch-branch", &error));
  g_assert_no_error (error);
  make_search_site (f, "srch-branch", "srch-on-branch", "Branch ÉCOLE only");
  make_search_site (f, NULL, "srch-later", "added later to main");
  g_assert_cmpint (search_count (f, "srch-branch", NULL, "branch écolE", "", NULL), ==, 0);
  g_assert_cmpint (search_count (f, "srch-branch", NULL, "branch ÉCOLE", "", NULL), ==, 1);
  g_assert_cmpint (search_count (f, NULL, NULL, "branch ÉCOLE", "", NULL), ==, 0);
  g_assert_cmpint (search_count (f, NULL, NULL, "ADDED LATER", "", NULL), ==, 1);
  g_assert_cmpint (search_count (f, NULL, past, "ADDED LATER", "", NULL), ==, 0);
  g_assert_cmpint (search_count (f, NULL, past, "srch", "", NULL), ==, 8);
  g_assert_cmpint (search_count (f, NULL, NULL, "srch", "", NULL), ==, 9);
  /* the branch: main as of its branch point, and its own site */
  g_assert_cmpint (search_count (f, "srch-branch", NULL, "srch", "", NULL), ==, 9);
}

typedef struct
{
  ApiFixture *f;
  guint       failures;
} ThreadData;

static gpointer
reader_thread (gpointer data)
{
  ThreadData *td = data;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) response = NULL;
      const char *body = "{\"query\": \"{ TestDevice { count edges { node { name { value } site { node { name { value } } } } } } }\"}";
      guint status = 0;
      g_autoptr(JsonParser) parser = json_parser_new ();

      bough_graphql_api_execute (td->f->api, NULL, NULL, body, strlen (body), &status, &response);
      if (status != 200 ||
          !json_parser_load_from_data (parser, g_bytes_get_data (response, NULL), g_bytes_get_size (response), NULL) ||
          g_strcmp0 (S (json_parser_get_root (parser), "data.TestDevice.edges.0.node.site.node.name.value"), "atl1") != 0)
        td->failures++;
    }
  return NULL;
}

/* The entry point is called from the HTTP worker threads at once. */
static void
test_threads (ApiFixture    *f,
              gconstpointer  data)
{
  ThreadData td[4];
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      td[i].f = f;
      td[i].failures = 0;
      threads[i] = g_thread_new ("reader", reader_thread, &td[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (td[i].failures, ==, 0);
    }
}

static void
test_limits (ApiFixture    *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  guint status;

  bough_graphql_api_set_limits (f->api, 100, 4, 0);
  r = run_full (f, NULL, NULL, "{ TestDevice { edges { node { site { node { devices { edges { node { id } } } } } } } } }",
                NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (S (r, "errors.0.message"));
  json_node_unref (r);
  bough_graphql_api_set_limits (f->api, 100, 0, 32);
  r = run_full (f, NULL, NULL, "{ TestDevice { count edges { node { id name { value } } } } }", NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data")));
}

static void
test_time_travel (ApiFixture    *f,
                  gconstpointer  data)
{
  gint64 before = bough_store_now (STORE (f));
  g_autofree char *at = bough_store_stamp_to_iso8601 (before);
  g_autofree char *q = g_strdup_printf ("mutation { TestSiteUpdate(data: { id: \"%s\", region: { value: \"eu\" } }) { ok } }", f->site);
  g_autofree char *read = g_strdup_printf ("{ TestSite(ids: [\"%s\"]) { edges { node { region { value } } } } }", f->site);
  g_autoptr(JsonNode) r = NULL;
  guint status;

  r = run (f, q);
  assert_no_errors (r);
  json_node_unref (r);
  r = run (f, read);
  g_assert_cmpstr (S (r, "data.TestSite.edges.0.node.region.value"), ==, "eu");
  json_node_unref (r);
  r = run_full (f, NULL, at, read, NULL, &status, NULL);
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.TestSite.edges.0.node.region.value"), ==, "us");
  json_node_unref (r);
  r = run_full (f, NULL, "not a time", read, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 400);
}

static void
test_introspection (ApiFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;

  r = run (f, bough_gql_introspection_query);
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.__schema.queryType.name"), ==, "Query");
  g_assert_cmpstr (S (r, "data.__schema.mutationType.name"), ==, "Mutation");
  g_assert_cmpuint (LEN (r, "data.__schema.types"), >, 50);
}

static GBytes *
answer (ApiFixture *f,
        const char *query)
{
  g_autofree char *body = g_strdup_printf ("{\"query\": \"%s\"}", query);
  GBytes *response = NULL;
  guint status = 0;

  bough_graphql_api_execute_full (f->api, NULL, NULL, "tester", body, strlen (body), &status, &response, NULL);
  g_assert_cmpuint (status, ==, 200);
  return response;
}

/* Introspection-only answers are kept per schema: the same bytes again,
 * until the schema changes; answers that read data are not kept. */
static void
test_introspection_cache (ApiFixture    *f,
                          gconstpointer  data)
{
  const char *meta = "{ __type(name: \\\"TestCached\\\") { name } }";
  g_autoptr(GBytes) first = answer (f, meta);
  g_autoptr(GBytes) again = answer (f, meta);
  g_autoptr(GBytes) data1 = answer (f, "{ TestTag { count } }");
  g_autoptr(GBytes) data2 = answer (f, "{ TestTag { count } }");
  g_autoptr(GBytes) after = NULL;
  g_autoptr(BoughSchema) base = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(BoughSchema) extended = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_bytes_get_data (first, NULL) == g_bytes_get_data (again, NULL));
  g_assert_nonnull (strstr (g_bytes_get_data (first, NULL), "\"__type\":null"));
  g_assert_false (g_bytes_get_data (data1, NULL) == g_bytes_get_data (data2, NULL));

  base = bough_store_get_schema (STORE (f), NULL, 0, &error);
  g_assert_no_error (error);
  builder = bough_schema_builder_new (base);
  g_assert_true (bough_schema_builder_add_data (builder,
                 "version: '1.0'\nnodes:\n  - name: Cached\n    namespace: Test\n"
                 "    attributes:\n      - name: name\n        kind: Text\n", -1, "ext", &error));
  extended = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_true (bough_store_set_schema (STORE (f), NULL, extended, "tester", &error));
  g_assert_no_error (error);
  after = answer (f, meta);
  g_assert_nonnull (strstr (g_bytes_get_data (after, NULL), "\"name\":\"TestCached\""));
}

/* The SDK's property=True shape: attribute and link properties with their
 * source and owner, loaded for all nodes at once. */
static void
test_properties (ApiFixture    *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *account = create_node (STORE (f), NULL, "CoreAccount",
                                          "{'name': {'value': 'bot'}, 'password': {'value': 'secret-pw'}}");
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'mia1', 'is_protected': true, 'source': '%s', 'owner': '%s'}}",
                                           account, account);
  g_autofree char *site = create_node (STORE (f), NULL, "TestSite", json);
  g_autofree char *dev_json = g_strdup_printf ("{'name': {'value': 'mia-edge'}, 'site': {'id': '%s', '_relation__source': '%s'}}",
                                               site, account);
  g_autofree char *dev = create_node (STORE (f), NULL, "TestDevice", dev_json);
  g_autofree char *q = g_strdup_printf (
    "{ TestDevice(ids: [\"%s\"]) { edges { node {"
    "  name { value is_default is_from_profile is_protected source { id display_label __typename } owner { id __typename } }"
    "  site { node { id name { value is_protected source { id __typename } owner { id } } }"
    "         properties { is_protected source { id display_label __typename } owner { id } } }"
    "} } } }", dev);
  BoughGqlExecStats stats;
  guint status;

  r = run_full (f, NULL, NULL, q, NULL, &status, &stats);
  assert_no_errors (r);
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.TestDevice.edges.0.node.name.source")));
  g_assert_false (json_node_get_boolean (at_path (r, "data.TestDevice.edges.0.node.name.is_protected")));
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.name.value"), ==, "mia1");
  g_assert_true (json_node_get_boolean (at_path (r, "data.TestDevice.edges.0.node.site.node.name.is_protected")));
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.name.source.id"), ==, account);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.name.source.__typename"), ==, "CoreAccount");
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.node.name.owner.id"), ==, account);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.properties.source.id"), ==, account);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.site.properties.source.__typename"), ==, "CoreAccount");
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.TestDevice.edges.0.node.site.properties.owner")));
}

/* Groups: members of any kind (peer CoreNode) and member_of_groups. */
static void
test_groups (ApiFixture    *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *q = g_strdup_printf (
    "mutation { CoreStandardGroupUpsert(data: { name: { value: \"g1\" }, members: [{ id: \"%s\" }, { id: \"%s\" },] })"
    " { ok object { id } } }", f->device, f->site);

  r = run (f, q);
  assert_no_errors (r);
  f->group = g_strdup (S (r, "data.CoreStandardGroupUpsert.object.id"));
  json_node_unref (r);

  r = run (f, "{ TestDevice { edges { node { member_of_groups { count edges { node { id display_label __typename } } } } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.TestDevice.edges.0.node.member_of_groups.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.member_of_groups.edges.0.node.id"), ==, f->group);
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.member_of_groups.edges.0.node.__typename"), ==, "CoreStandardGroup");
  json_node_unref (r);

  /* what infrahubctl's generator and the tracking use: the generic by name, members of mixed kinds */
  r = run (f, "{ CoreGroup(name__value: \"g1\") { count edges { node { __typename name { value }"
              "  members { count edges { node { id __typename ...on TestDevice { name { value } } } } } } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.CoreGroup.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.CoreGroup.edges.0.node.__typename"), ==, "CoreStandardGroup");
  g_assert_cmpint (I (r, "data.CoreGroup.edges.0.node.members.count"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *tp = g_strdup_printf ("data.CoreGroup.edges.0.node.members.edges.%u.node.__typename", i);
      g_autofree char *np = g_strdup_printf ("data.CoreGroup.edges.0.node.members.edges.%u.node.name.value", i);

      if (g_strcmp0 (S (r, tp), "TestDevice") == 0)
        g_assert_cmpstr (S (r, np), ==, "edge1");
      else
        g_assert_cmpstr (S (r, tp), ==, "TestSite");
    }
}

/* The SDK declares every odd string variable `String!`, whatever the
 * field's scalar: such variables may flow into custom scalars. */
static void
test_string_variables (ApiFixture    *f,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  guint status;

  r = run_full (f, NULL, NULL,
                "mutation ($value_a: String!) { TestSiteUpdate(data: { hfid: [\"atl1\"], description: { value: $value_a } }) { ok object { description { value } } } }",
                "{'value_a': 'line one; two'}", &status, NULL);
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.TestSiteUpdate.object.description.value"), ==, "line one; two");
  json_node_unref (r);
  r = run_full (f, NULL, NULL, "query ($v: String!) { TestDevice(asn__value: $v) { count } }",
                "{'v': '65001'}", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  json_node_unref (r);
  /* a wrong built-in type still fails */
  r = run_full (f, NULL, NULL, "query ($v: String!) { TestDevice(limit: $v) { count } }",
                "{'v': '1'}", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* The raw response text of a request body written by hand (json-glib would
 * write 1e20 as the invalid `1e+20.0`). */
static char *
run_body (ApiFixture *f,
          const char *body,
          guint      *status)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *text;

  bough_graphql_api_execute_full (f->api, NULL, NULL, "tester", body, strlen (body), status, &response, NULL);
  text = g_bytes_get_data (response, &len);
  g_assert_true (json_parser_load_from_data (parser, text, len, &error));
  g_assert_no_error (error);
  return g_strndup (text, len);
}

/* Integers of Number attributes come back exactly, beyond 2^53 too; numbers
 * JSON cannot hold (1e400 reads as infinity) are refused as input. */
static void
test_numbers (ApiFixture    *f,
              gconstpointer  data)
{
  static const char *exact[] = { "9007199254740993", "-9223372036854775807", "9223372036854775807" };
  guint status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"query\": \"mutation ($v: BigInt) { TestInterfaceCreate(data: {"
                                               " name: { value: \\\"n%u\\\" }, device: { id: \\\"%s\\\" },"
                                               " speed: { value: $v } }) { ok object { speed { value } } } }\","
                                               " \"variables\": {\"v\": %s}}", i, f->device, exact[i]);
      g_autofree char *text = run_body (f, body, &status);
      g_autofree char *want = g_strdup_printf ("\"speed\":{\"value\":%s}", exact[i]);

      g_assert_cmpuint (status, ==, 200);
      g_assert_nonnull (strstr (text, want));
    }
  {
    g_autofree char *body = g_strdup_printf ("{\"query\": \"mutation { TestInterfaceCreate(data: {"
                                             " name: { value: \\\"big\\\" }, device: { id: \\\"%s\\\" },"
                                             " speed: { value: 1e400 } }) { ok } }\"}", f->device);
    g_autofree char *text = run_body (f, body, &status);

    g_assert_nonnull (strstr (text, "BigInt cannot represent non numeric value: 1e400"));
  }
  {
    g_autofree char *body = g_strdup_printf ("{\"query\": \"mutation ($v: BigInt) { TestInterfaceCreate(data: {"
                                             " name: { value: \\\"big\\\" }, device: { id: \\\"%s\\\" },"
                                             " speed: { value: $v } }) { ok } }\", \"variables\": {\"v\": [1, -1e400]}}",
                                             f->device);
    g_autofree char *text = run_body (f, body, &status);

    /* the message shows the value as graphql-js would: -Infinity */
    g_assert_nonnull (strstr (text, "BigInt cannot represent non numeric value: [1, -Infinity]"));
    g_assert_null (strstr (text, "\"ok\":true"));
  }
  {
    g_autofree char *body = g_strdup ("{\"query\": \"{ TestDevice(limit: 1e400) { count } }\"}");
    g_autofree char *text = run_body (f, body, &status);

    g_assert_nonnull (strstr (text, "cannot represent"));
  }
}

/* -m perf: the time to list 10,000 nodes with attributes and one relationship
 * (reported, not asserted). */
static void
test_perf_list (ApiFixture    *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(GTimer) timer = NULL;
  const char *query = "{ TestDevice(limit: 10000) { count edges { node { id display_label name { value } asn { value }"
                      " site { node { id display_label __typename } } } } } }";
  BoughGqlExecStats stats;
  guint status;

  if (!g_test_perf ())
    {
      g_test_skip ("performance test: run with -m perf");
      return;
    }
  txn = bough_store_begin (STORE (f), NULL, "tester", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'p%05u'}, 'asn': {'value': %u}, 'site': {'id': '%s'}}",
                                               i, 1 + i % 60000, i % 2 ? f->site : f->site2);
      g_autoptr(JsonObject) d = J (json);
      g_autoptr(BoughNode) n = bough_txn_create (txn, "TestDevice", d, &error);

      g_assert_no_error (error);
    }
  g_assert_true (bough_txn_commit (txn, &error));
  bough_graphql_api_set_limits (f->api, 20000, BOUGH_GQL_DEFAULT_MAX_QUERY_DEPTH, 0);
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
    g_autoptr(BoughQueryResult) res = NULL;

    timer = g_timer_new ();
    q->limit = 10000;
    res = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_test_message ("store query alone: %.1f ms", g_timer_elapsed (timer, NULL) * 1000);
    g_timer_start (timer);
    g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, res->nodes, "site", &error));
    g_test_message ("fetch peers alone: %.1f ms", g_timer_elapsed (timer, NULL) * 1000);
    g_clear_pointer (&timer, g_timer_destroy);
  }
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(JsonNode) r = NULL;

      g_autoptr(GBytes) response = NULL;
      g_autofree char *body = g_strdup_printf ("{\"query\": \"%s\"}", query);

      timer = g_timer_new ();
      bough_graphql_api_execute_full (f->api, NULL, NULL, NULL, body, strlen (body), &status, &response, &stats);
      g_test_message ("list 10,000 nodes: %.1f ms, %zu bytes (%u store queries, %u peer fetches)",
                      g_timer_elapsed (timer, NULL) * 1000, g_bytes_get_size (response),
                      stats.store_queries, stats.peer_fetches);
      g_clear_pointer (&timer, g_timer_destroy);
      g_assert_cmpuint (status, ==, 200);
      if (round < 2)
        continue;
      r = run_full (f, NULL, NULL, query, NULL, &status, &stats);
      g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 10001);
      g_assert_cmpuint (LEN (r, "data.TestDevice.edges"), ==, 10000);
    }
}

/* A kind whose name is one of the API's types is refused, not merged. */
/* The names of the nodes of the list at @path (edges[].node.name.value). */
static char *
list_names (JsonNode   *r,
            const char *path)
{
  g_autoptr(GString) out = g_string_new (NULL);
  JsonArray *edges = json_node_get_array (at_path (r, path));

  for (guint i = 0; i < json_array_get_length (edges); i++)
    {
      JsonObject *e = json_array_get_object_element (edges, i);
      JsonObject *node = json_object_get_object_member (e, "node");
      JsonObject *name = json_object_get_object_member (node, "name");

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, json_object_get_string_member (name, "value"));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* `order: {by: [{field, direction}]}` as infrahub-sdk 1.22+ sends it, the
 * deprecated `node_metadata` form, `disable`, and the errors of an order
 * that cannot be kept (nothing else happens then). */
static void
test_query_order (ApiFixture    *f,
                  gconstpointer  data)
{
  static const struct
  {
    const char *order;
    const char *names;
  } cases[] = {
    { "{by: [{field: \"name__value\", direction: DESC}]}", "edge1 c1 b1 a1" },
    { "{by: [{field: \"name__value\"}]}", "a1 b1 c1 edge1" },
    /* numbers by number, nulls last ascending and first descending */
    { "{by: [{field: \"asn__value\", direction: ASC}]}", "b1 a1 edge1 c1" },
    { "{by: [{field: \"asn__value\", direction: DESC}]}", "c1 edge1 a1 b1" },
    /* through a relationship of cardinality one, then a second key */
    { "{by: [{field: \"site__name__value\"}, {field: \"name__value\"}]}", "c1 edge1 a1 b1" },
    { "{by: [{field: \"site__name__value\", direction: DESC}, {field: \"name__value\", direction: DESC}]}",
      "b1 a1 edge1 c1" },
    { "{by: [{field: \"node_metadata__created_at\", direction: DESC}]}", "a1 c1 b1 edge1" },
    { "{by: [{field: \"node_metadata__created_at\"}]}", "edge1 b1 c1 a1" },
    { "{node_metadata: {created_at: DESC}}", "a1 c1 b1 edge1" },
    { "{disable: true}", "edge1 b1 c1 a1" },
    { "{by: []}", "a1 b1 c1 edge1" },  /* empty: the schema's order_by (name) */
  };
  static const struct
  {
    const char *order;
    const char *message;
  } bad[] = {
    { "{by: [{field: \"bogus__value\"}]}", "bogus" },
    { "{by: [{field: \"name__is_protected\"}]}", "name__value" },
    { "{by: [{field: \"tags__name__value\"}]}", "cardinality many" },
    { "{by: [{field: \"site__devices__name__value\"}]}", "site" },
    { "{by: [{field: \"name__value__desc\"}]}", "direction" },
    { "{by: [{field: \"node_metadata__deleted_at\"}]}", "node_metadata" },
    { "{by: [{field: \"name__value\"}], node_metadata: {updated_at: ASC}}", "mutually exclusive" },
    { "{node_metadata: {created_at: ASC, updated_at: DESC}}", "mutually exclusive" },
    { "{disable: true, by: [{field: \"name__value\"}]}", "disable" },
  };
  g_autofree char *b1 = NULL;
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{'name': {'value': 'b1'}, 'site': {'id': '%s'}, 'asn': {'value': 10}}", f->site2);
  b1 = create_node (STORE (f), NULL, "TestDevice", json);
  g_free (json);
  json = g_strdup_printf ("{'name': {'value': 'c1'}, 'site': {'id': '%s'}}", f->site);
  g_free (create_node (STORE (f), NULL, "TestDevice", json));
  g_free (json);
  json = g_strdup_printf ("{'name': {'value': 'a1'}, 'site': {'id': '%s'}, 'asn': {'value': 30}}", f->site2);
  g_free (create_node (STORE (f), NULL, "TestDevice", json));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *q = g_strdup_printf ("{ TestDevice(order: %s) { count edges { node { name { value } } } } }",
                                            cases[i].order);
      g_autoptr(JsonNode) r = run (f, q);
      g_autofree char *got = NULL;

      g_test_message ("order %s", cases[i].order);
      assert_no_errors (r);
      got = list_names (r, "data.TestDevice.edges");
      g_assert_cmpstr (got, ==, cases[i].names);
    }

  /* paging through an order; the order given as a variable */
  {
    g_autoptr(JsonNode) r = run (f, "{ TestDevice(order: {by: [{field: \"asn__value\"}]}, offset: 1, limit: 2)"
                                    " { count edges { node { name { value } } } } }");
    g_autofree char *got = NULL;
    guint status = 0;
    g_autoptr(JsonNode) v = NULL;
    g_autofree char *got_v = NULL;

    assert_no_errors (r);
    g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 4);
    got = list_names (r, "data.TestDevice.edges");
    g_assert_cmpstr (got, ==, "a1 edge1");
    v = run_full (f, NULL, NULL, "query ($o: OrderInput) { TestDevice(order: $o) { edges { node { name { value } } } } }",
                  "{'o': {'by': [{'field': 'asn__value', 'direction': 'DESC'}]}}", &status, NULL);
    assert_no_errors (v);
    got_v = list_names (v, "data.TestDevice.edges");
    g_assert_cmpstr (got_v, ==, "c1 edge1 a1 b1");
  }

  /* the time of the latest change */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *upd = g_strdup_printf ("{'id': '%s', 'asn': {'value': 11}}", b1);
    g_autoptr(JsonObject) d = J (upd);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_autoptr(JsonNode) r = NULL;
    g_autofree char *got = NULL;

    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
    r = run (f, "{ TestDevice(order: {by: [{field: \"node_metadata__updated_at\", direction: DESC}]})"
                " { edges { node { name { value } } } } }");
    assert_no_errors (r);
    got = list_names (r, "data.TestDevice.edges");
    g_assert_cmpstr (got, ==, "b1 a1 c1 edge1");
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *q = g_strdup_printf ("{ TestDevice(order: %s) { count } }", bad[i].order);
      g_autoptr(JsonNode) r = run (f, q);

      g_test_message ("bad order %s", bad[i].order);
      g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data")));
      g_assert_nonnull (strstr (S (r, "errors.0.message"), bad[i].message));
      g_assert_cmpstr (S (r, "errors.0.path.0"), ==, "TestDevice");
    }
  /* the input's shape is checked like any input's */
  {
    g_autoptr(JsonNode) r = run (f, "{ TestDevice(order: {by: [{direction: DESC}]}) { count } }");
    g_assert_nonnull (at_path (r, "errors.0.message"));
  }
}

static void
test_generate_clash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) core = bough_schema_new_core (&error);
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughGqlSchema) gql = NULL;

  g_assert_no_error (error);
  builder = bough_schema_builder_new (core);
  g_assert_true (bough_schema_builder_add_data (builder,
                                                "version: '1.0'\n"
                                                "nodes:\n"
                                                "  - name: Edge\n"
                                                "    namespace: Node\n"
                                                "    attributes:\n"
                                                "      - name: name\n"
                                                "        kind: Text\n", -1, "clash", &error));
  g_assert_no_error (error);
  schema = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  gql = bough_gql_generate (schema, &error);
  g_assert_null (gql);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "NodeEdge"));
}

/* A stored query: its text is parsed and validated on save and the read-only
 * fields derived from it; a broken text is refused and nothing is written. */
static void
test_stored_query (ApiFixture    *f,
                   gconstpointer  data)
{
  static const char *save =
    "mutation ($q: String!) { CoreGraphQLQueryCreate(data: { name: { value: \"devices\" }, query: { value: $q } })"
    " { ok object { id variables { value } operations { value } models { value } depth { value } height { value } } } }";
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *id = NULL;
  g_autofree char *q = NULL;
  JsonNode *v;

  r = run_full (f, NULL, NULL, save,
                "{'q': 'query devices($name: String!, $limit: Int = 5) { TestDevice(name__value: $name, limit: $limit)"
                " { count edges { node { name { value } site { node { id } } tags { edges { node { ...tag } } } } } } }"
                " fragment tag on TestTag { name { value } }'}", NULL, NULL);
  assert_no_errors (r);
  id = g_strdup (S (r, "data.CoreGraphQLQueryCreate.object.id"));
  g_assert_nonnull (id);
  g_assert_cmpuint (LEN (r, "data.CoreGraphQLQueryCreate.object.variables.value"), ==, 2);
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.variables.value.0.name"), ==, "name");
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.variables.value.0.kind"), ==, "String!");
  v = at_path (r, "data.CoreGraphQLQueryCreate.object.variables.value.0.required");
  g_assert_true (json_node_get_boolean (v));
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.variables.value.1.kind"), ==, "Int");
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.variables.value.1.default_value"), ==, "5");
  g_assert_cmpuint (LEN (r, "data.CoreGraphQLQueryCreate.object.operations.value"), ==, 1);
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.operations.value.0.name"), ==, "devices");
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.operations.value.0.operation"), ==, "query");
  g_assert_cmpuint (LEN (r, "data.CoreGraphQLQueryCreate.object.models.value"), ==, 3);
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.models.value.0"), ==, "TestDevice");
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.models.value.1"), ==, "TestSite");
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryCreate.object.models.value.2"), ==, "TestTag");
  g_assert_cmpint (I (r, "data.CoreGraphQLQueryCreate.object.depth.value"), ==, 8);
  g_assert_cmpint (I (r, "data.CoreGraphQLQueryCreate.object.height.value"), ==, 14);
  json_node_unref (g_steal_pointer (&r));

  /* an update of the text recomputes the fields */
  q = g_strdup_printf ("mutation ($q: String!) { CoreGraphQLQueryUpdate(data: { id: \"%s\", query: { value: $q } })"
                       " { ok object { variables { value } models { value } depth { value } } } }", id);
  r = run_full (f, NULL, NULL, q, "{'q': '{ TestTag { count } }'}", NULL, NULL);
  assert_no_errors (r);
  g_assert_cmpuint (LEN (r, "data.CoreGraphQLQueryUpdate.object.variables.value"), ==, 0);
  g_assert_cmpstr (S (r, "data.CoreGraphQLQueryUpdate.object.models.value.0"), ==, "TestTag");
  g_assert_cmpint (I (r, "data.CoreGraphQLQueryUpdate.object.depth.value"), ==, 2);
  json_node_unref (g_steal_pointer (&r));

  /* a text that does not parse: refused with the parser's message */
  r = run_full (f, NULL, NULL, q, "{'q': '{ TestTag { count '}", NULL, NULL);
  g_assert_nonnull (at_path (r, "errors.0.message"));
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "Syntax Error"));
  json_node_unref (g_steal_pointer (&r));

  /* a text that does not validate: refused with the validation message */
  r = run_full (f, NULL, NULL, save, "{'q': '{ TestTag { nosuchfield } }'}", NULL, NULL);
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "nosuchfield"));
  json_node_unref (g_steal_pointer (&r));

  /* neither wrote anything */
  r = run (f, "{ CoreGraphQLQuery { count edges { node { depth { value } models { value } } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.CoreGraphQLQuery.count"), ==, 1);
  g_assert_cmpint (I (r, "data.CoreGraphQLQuery.edges.0.node.depth.value"), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, ApiFixture, NULL, api_setup, fn, api_teardown)
  ADD ("/gql-api/generate", test_generate);
  g_test_add_func ("/gql-api/generate-clash", test_generate_clash);
  ADD ("/gql-api/query/get", test_query_get);
  ADD ("/gql-api/query/pagination", test_query_pagination);
  ADD ("/gql-api/query/filters", test_query_filters);
  ADD ("/gql-api/query/order", test_query_order);
  ADD ("/gql-api/query/nested", test_query_nested);
  ADD ("/gql-api/mutations", test_mutations);
  ADD ("/gql-api/mutation-batch", test_mutation_batch);
  ADD ("/gql-api/errors", test_errors);
  ADD ("/gql-api/no-n-plus-one", test_no_n_plus_one);
  ADD ("/gql-api/fixed-fields", test_fixed_fields);
  ADD ("/gql-api/search-anywhere-values", test_search_anywhere_values);
  ADD ("/gql-api/time-travel", test_time_travel);
  ADD ("/gql-api/introspection", test_introspection);
  ADD ("/gql-api/introspection-cache", test_introspection_cache);
  ADD ("/gql-api/properties", test_properties);
  ADD ("/gql-api/groups", test_groups);
  ADD ("/gql-api/stored-query", test_stored_query);
  ADD ("/gql-api/string-variables", test_string_variables);
  ADD ("/gql-api/threads", test_threads);
  ADD ("/gql-api/limits", test_limits);
  ADD ("/gql-api/perf/list-10k", test_perf_list);
  ADD ("/gql-api/numbers", test_numbers);
#undef ADD

  return g_test_run ();
}
