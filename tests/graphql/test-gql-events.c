/* test-gql-events.c: `InfrahubEvent` through the GraphQL endpoint in-process: the event types
 * with their fields and payloads (fragments on the concrete types), the changelog of an
 * update made by a mutation, no event for a mutation that failed, the filters and paging,
 * the limit, and events of kinds the caller may not view left out.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "../server/store-test-common.h"
#include "graphql/bough-graphql-api.h"
#include "gql-test-common.h"

typedef struct
{
  StoreFixture     store;
  BoughGraphqlApi *api;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  store_fixture_setup (&f->store, data);
  f->api = bough_graphql_api_new (f->store.store);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->api, bough_graphql_api_unref);
  store_fixture_teardown (&f->store, data);
}

static JsonNode *
gql (Fixture    *f,
     const char *account,
     const char *query)
{
  guint status = 0;
  JsonNode *r = gql_test_request (f->api, NULL, NULL, account, query, NULL, &status, NULL);

  g_assert_cmpuint (status, ==, 200);
  return r;
}

static void
assert_ok (JsonNode *r)
{
  JsonNode *errors = at_path (r, "errors");

  if (errors != NULL)
    {
      g_autofree char *text = json_to_string (r, TRUE);
      g_error ("unexpected errors: %s", text);
    }
}

static const char *
S (JsonNode   *root,
   const char *path)
{
  JsonNode *n = at_path (root, path);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_string (n) : NULL;
}

static gint64
I (JsonNode   *root,
   const char *path)
{
  JsonNode *n = at_path (root, path);

  g_assert_nonnull (n);
  return json_node_get_int (n);
}

#define EVENT_FIELDS \
  "id event branch account_id occurred_at level has_children parent_id primary_node { id kind } " \
  "related_nodes { id kind } __typename " \
  "... on NodeMutatedEvent { attributes { name action value value_previous kind } " \
  "  relationships { name action peer { id kind } } payload } " \
  "... on BranchCreatedEvent { created_branch payload } " \
  "... on BranchMergedEvent { source_branch } " \
  "... on BranchDeletedEvent { deleted_branch } " \
  "... on GroupEvent { members { id kind } ancestors { id kind } } " \
  "... on StandardEvent { payload } "

static void
test_query (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *site = NULL;
  g_autofree char *dev = NULL;
  g_autofree char *q = NULL;
  g_autofree char *m = NULL;

  r = gql (f, "acct-1", "mutation { TestSiteCreate(data: {name: {value: \"ams\"}}) { ok object { id } } }");
  assert_ok (r);
  site = g_strdup (S (r, "data.TestSiteCreate.object.id"));
  g_clear_pointer (&r, json_node_unref);
  m = g_strdup_printf ("mutation { TestDeviceCreate(data: {name: {value: \"r1\"}, site: {id: \"%s\"}})"
                       " { ok object { id } } }", site);
  r = gql (f, "acct-1", m);
  assert_ok (r);
  dev = g_strdup (S (r, "data.TestDeviceCreate.object.id"));
  g_clear_pointer (&r, json_node_unref);
  g_free (m);
  m = g_strdup_printf ("mutation { TestDeviceUpdate(data: {id: \"%s\", name: {value: \"r2\"}}) { ok } }", dev);
  r = gql (f, "acct-2", m);
  assert_ok (r);
  g_clear_pointer (&r, json_node_unref);

  /* a failed mutation (a duplicate name) leaves no event */
  r = gql (f, "acct-1", "mutation { TestSiteCreate(data: {name: {value: \"ams\"}}) { ok } }");
  g_assert_nonnull (at_path (r, "errors"));
  g_clear_pointer (&r, json_node_unref);

  q = g_strdup ("{ InfrahubEvent(event_type: [\"infrahub.node.created\", \"infrahub.node.updated\"]) {"
                " count edges { node { " EVENT_FIELDS "} } } }");
  r = gql (f, NULL, q);
  assert_ok (r);
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 3);
  /* newest first: the update */
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.__typename"), ==, "NodeMutatedEvent");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.event"), ==, "infrahub.node.updated");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.account_id"), ==, "acct-2");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.branch"), ==, "main");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.primary_node.id"), ==, dev);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.primary_node.kind"), ==, "TestDevice");
  g_assert_cmpint (I (r, "data.InfrahubEvent.edges.0.node.level"), ==, 0);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.attributes.0.name"), ==, "name");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.attributes.0.action"), ==, "UPDATED");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.attributes.0.value"), ==, "r2");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.attributes.0.value_previous"), ==, "r1");
  g_assert_null (at_path (r, "data.InfrahubEvent.edges.0.node.attributes.1"));
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.payload.action"), ==, "updated");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.payload.changelog.attributes.name.value_previous"),
                   ==, "r1");
  /* the device's creation: its site as relationship and related node */
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.event"), ==, "infrahub.node.created");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.relationships.0.name"), ==, "site");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.relationships.0.action"), ==, "ADDED");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.relationships.0.peer.id"), ==, site);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.relationships.0.peer.kind"), ==, "TestSite");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.related_nodes.0.id"), ==, site);
  g_assert_true (g_uuid_string_is_valid (S (r, "data.InfrahubEvent.edges.1.node.id")));
  g_clear_pointer (&r, json_node_unref);
  g_free (q);

  /* filters: primary node, related node, account, ids, order, paging */
  q = g_strdup_printf ("{ InfrahubEvent(primary_node__ids: [\"%s\"]) { count } }", dev);
  r = gql (f, NULL, q);
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 2);
  g_clear_pointer (&r, json_node_unref);
  g_free (q);
  q = g_strdup_printf ("{ InfrahubEvent(related_node__ids: [\"%s\"]) { count edges { node { primary_node { id } } } } }",
                       site);
  r = gql (f, NULL, q);
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.primary_node.id"), ==, dev);
  g_clear_pointer (&r, json_node_unref);
  g_free (q);
  r = gql (f, NULL, "{ InfrahubEvent(account__ids: [\"acct-1\"]) { count } }");
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 2);
  g_clear_pointer (&r, json_node_unref);
  r = gql (f, NULL, "{ InfrahubEvent(limit: 2, order: ASC, event_type: [\"infrahub.node.created\"]) {"
                    " count edges { node { id primary_node { kind } } } } }");
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 2);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.primary_node.kind"), ==, "TestSite");
  q = g_strdup_printf ("{ InfrahubEvent(ids: [\"%s\"]) { count edges { node { primary_node { kind } } } } }",
                       S (r, "data.InfrahubEvent.edges.1.node.id"));
  g_clear_pointer (&r, json_node_unref);
  r = gql (f, NULL, q);
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.primary_node.kind"), ==, "TestDevice");
  g_clear_pointer (&r, json_node_unref);
  r = gql (f, NULL, "{ InfrahubEvent(limit: 1, offset: 1, event_type: [\"infrahub.node.created\"]) {"
                    " count edges { node { primary_node { kind } } } } }");
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 2);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.primary_node.kind"), ==, "TestSite");
  g_assert_null (at_path (r, "data.InfrahubEvent.edges.1"));
  g_clear_pointer (&r, json_node_unref);
  r = gql (f, NULL, "{ InfrahubEvent(since: \"2100-01-01T00:00:00Z\") { count } }");
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 0);
  g_clear_pointer (&r, json_node_unref);
  r = gql (f, NULL, "{ InfrahubEvent(limit: 51) { count } }");
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "can't be above 50"));
}

static void
test_branch_events (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *merged_id = NULL;
  g_autofree char *q = NULL;

  r = gql (f, NULL, "mutation { BranchCreate(data: {name: \"b1\"}) { ok } }");
  assert_ok (r);
  g_clear_pointer (&r, json_node_unref);
  {
    guint status = 0;
    g_autoptr(JsonNode) c = gql_test_request (f->api, "b1", NULL, NULL,
                                              "mutation { TestSiteCreate(data: {name: {value: \"b\"}}) { ok } }",
                                              NULL, &status, NULL);
    assert_ok (c);
  }
  r = gql (f, NULL, "mutation { BranchMerge(data: {name: \"b1\"}) { ok } }");
  assert_ok (r);
  g_clear_pointer (&r, json_node_unref);

  r = gql (f, NULL, "{ InfrahubEvent(event_type: [\"infrahub.branch.created\", \"infrahub.branch.merged\"]) {"
                    " count edges { node { " EVENT_FIELDS "} } } }");
  assert_ok (r);
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 2);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.__typename"), ==, "BranchMergedEvent");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.source_branch"), ==, "b1");
  g_assert_true (json_node_get_boolean (at_path (r, "data.InfrahubEvent.edges.0.node.has_children")));
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.__typename"), ==, "BranchCreatedEvent");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.created_branch"), ==, "b1");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.1.node.payload.branch_name"), ==, "b1");
  merged_id = g_strdup (S (r, "data.InfrahubEvent.edges.0.node.id"));
  g_clear_pointer (&r, json_node_unref);

  q = g_strdup_printf ("{ InfrahubEvent(parent__ids: [\"%s\"]) { count edges { node { level parent_id"
                       " branch primary_node { kind } } } } }", merged_id);
  r = gql (f, NULL, q);
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 1);
  g_assert_cmpint (I (r, "data.InfrahubEvent.edges.0.node.level"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.parent_id"), ==, merged_id);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.branch"), ==, "main");
  g_clear_pointer (&r, json_node_unref);
  r = gql (f, NULL, "{ a: InfrahubEvent(level: 1) { count } b: InfrahubEvent(has_children: true) { count }"
                    " c: InfrahubEvent(branches: [\"b1\"]) { count }"
                    " d: InfrahubEvent(event_type_filter: {branch_merged: {branches: [\"other\"]}},"
                    "    event_type: [\"infrahub.branch.merged\"]) { count }"
                    " e: InfrahubEvent(event_type: [\"infrahub.schema.updated\"]) { edges { node { __typename"
                    "    ... on StandardEvent { payload } } } } }");
  assert_ok (r);
  g_assert_cmpint (I (r, "data.a.count"), ==, 1);
  g_assert_cmpint (I (r, "data.b.count"), ==, 1);
  g_assert_cmpint (I (r, "data.c.count"), ==, 2);   /* created on b1, the site on b1 */
  g_assert_cmpint (I (r, "data.d.count"), ==, 0);
  g_assert_cmpstr (S (r, "data.e.edges.0.node.__typename"), ==, "StandardEvent");
  g_assert_cmpstr (S (r, "data.e.edges.0.node.payload.branch_name"), ==, "main");
}

static void
test_groups (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *site = create_node (f->store.store, NULL, "TestSite", "{'name': {'value': 'ams'}}");
  g_autofree char *group = create_node (f->store.store, NULL, "CoreStandardGroup", "{'name': {'value': 'g'}}");
  g_autofree char *m = g_strdup_printf ("mutation { RelationshipAdd(data: {id: \"%s\", name: \"members\","
                                        " nodes: [{id: \"%s\"}]}) { ok } }", group, site);

  r = gql (f, NULL, m);
  assert_ok (r);
  g_clear_pointer (&r, json_node_unref);
  r = gql (f, NULL, "{ InfrahubEvent(event_type: [\"infrahub.group.member_added\"]) {"
                    " count edges { node { " EVENT_FIELDS "} } } }");
  assert_ok (r);
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.__typename"), ==, "GroupEvent");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.primary_node.id"), ==, group);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.members.0.id"), ==, site);
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.members.0.kind"), ==, "TestSite");
  g_assert_cmpstr (S (r, "data.InfrahubEvent.edges.0.node.related_nodes.0.id"), ==, site);
}

/* A caller who may view Core kinds only does not see the events of Test nodes. */
static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *account = create_node (f->store.store, NULL, "CoreAccount",
                                          "{'name': {'value': 'viewer'}, 'password': {'value': 'pw-viewer'}}");
  g_autofree char *perm = create_node (f->store.store, NULL, "CoreObjectPermission",
                                       "{'namespace': {'value': 'Core'}, 'name': {'value': '*'},"
                                       " 'action': {'value': 'view'}, 'decision': {'value': 6}}");
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'viewers'}, 'permissions': [{'id': '%s'}]}", perm);
  g_autofree char *role = create_node (f->store.store, NULL, "CoreAccountRole", json);
  g_autofree char *gjson = g_strdup_printf ("{'name': {'value': 'viewers'}, 'roles': [{'id': '%s'}],"
                                            " 'members': [{'id': '%s'}]}", role, account);
  g_autofree char *group = create_node (f->store.store, NULL, "CoreAccountGroup", gjson);
  g_autofree char *site = create_node (f->store.store, NULL, "TestSite", "{'name': {'value': 'hidden'}}");
  gint64 all, seen;

  r = gql (f, NULL, "{ InfrahubEvent(limit: 50) { count } }");
  all = I (r, "data.InfrahubEvent.count");
  g_clear_pointer (&r, json_node_unref);
  r = gql (f, account, "{ InfrahubEvent(limit: 50) { count edges { node { primary_node { kind } } } } }");
  assert_ok (r);
  seen = I (r, "data.InfrahubEvent.count");
  g_assert_cmpint (seen, <, all);
  g_assert_cmpint (seen, >, 0);
  for (guint i = 0; i < (guint) MIN (seen, 50); i++)
    {
      g_autofree char *path = g_strdup_printf ("data.InfrahubEvent.edges.%u.node.primary_node.kind", i);
      const char *kind = S (r, path);

      g_assert_true (kind == NULL || g_str_has_prefix (kind, "Core"));
    }
  g_clear_pointer (&r, json_node_unref);
  json = g_strdup_printf ("{ InfrahubEvent(primary_node__ids: [\"%s\"]) { count } }", site);
  r = gql (f, account, json);
  g_assert_cmpint (I (r, "data.InfrahubEvent.count"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/gql-events/query", Fixture, NULL, fixture_setup, test_query, fixture_teardown);
  g_test_add ("/gql-events/branches", Fixture, NULL, fixture_setup, test_branch_events, fixture_teardown);
  g_test_add ("/gql-events/groups", Fixture, NULL, fixture_setup, test_groups, fixture_teardown);
  g_test_add ("/gql-events/permissions", Fixture, NULL, fixture_setup, test_permissions, fixture_teardown);
  return g_test_run ();
}
