/* test-gql-branch.c: branches, diffs and conflicts through the generated GraphQL API over a
 * real temporary store: Branch, InfrahubBranch, BranchCreate/Update/Delete/Rebase/Merge/
 * Validate, DiffTree and DiffTreeSummary shapes on a small dataset, DiffUpdate,
 * ResolveDiffConflict, and their errors.
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
  char            *site;        /* atl1, on main */
  char            *site2;       /* ord1, on main */
  char            *device;      /* edge1 at atl1, on main */
  char            *device2;     /* edge2 at atl1, on main */
  char            *iface;       /* eth0 of edge1, on main */
} Fixture;

#define STORE(f) ((f)->store.store)

/* Runs a request on @branch; returns the parsed response and sets @status. */
static JsonNode *
run_full_at (Fixture    *f,
             const char *branch,
             const char *at,
             const char *query,
             const char *variables,
             guint      *status)
{
  return gql_test_request (f->api, branch, at, "tester", query, variables, status, NULL);
}

static JsonNode *
run_full (Fixture    *f,
          const char *branch,
          const char *query,
          const char *variables,
          guint      *status)
{
  return run_full_at (f, branch, NULL, query, variables, status);
}

static JsonNode *
run_on (Fixture    *f,
        const char *branch,
        const char *query)
{
  guint status = 0;
  JsonNode *r = run_full (f, branch, query, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return r;
}

static JsonNode *
run (Fixture    *f,
     const char *query)
{
  return run_on (f, NULL, query);
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
  g_assert_false (JSON_NODE_HOLDS_NULL (n));
  return json_node_get_int (n);
}

static gboolean
B (JsonNode   *root,
   const char *path)
{
  JsonNode *n = at_path (root, path);

  g_assert_nonnull (n);
  g_assert_false (JSON_NODE_HOLDS_NULL (n));
  return json_node_get_boolean (n);
}

static gboolean
IS_NULL (JsonNode   *root,
         const char *path)
{
  JsonNode *n = at_path (root, path);

  return n == NULL || JSON_NODE_HOLDS_NULL (n);
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
  if (at_path (r, "errors") != NULL)
    {
      g_autofree char *text = json_to_string (r, FALSE);

      g_error ("unexpected errors: %s", text);
    }
}

/* The response has exactly one error, whose message contains every one of
 * the NULL-terminated strings. */
static void
assert_error (JsonNode *r,
              ...)
{
  g_autofree char *text = json_to_string (r, FALSE);
  const char *message;
  const char *want;
  va_list ap;

  if (at_path (r, "errors") == NULL || LEN (r, "errors") != 1)
    g_error ("expected one error: %s", text);
  message = S (r, "errors.0.message");
  va_start (ap, r);
  while ((want = va_arg (ap, const char *)) != NULL)
    if (strstr (message, want) == NULL)
      g_error ("error \"%s\" does not say \"%s\"", message, want);
  va_end (ap);
}

/* The element of the array at @path whose @key is @value. */
static JsonNode *
find (JsonNode   *root,
      const char *path,
      const char *key,
      const char *value)
{
  JsonNode *n = at_path (root, path);
  JsonArray *a;

  g_assert_nonnull (n);
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);

      if (g_strcmp0 (S (e, key), value) == 0)
        return e;
    }
  return NULL;
}

static void
ok_mutation (Fixture    *f,
             const char *branch,
             const char *query,
             const char *field)
{
  g_autoptr(JsonNode) r = run_on (f, branch, query);
  g_autofree char *path = g_strdup_printf ("data.%s.ok", field);

  assert_no_errors (r);
  g_assert_true (B (r, path));
}

static void
create_branch (Fixture    *f,
               const char *name)
{
  g_autofree char *q = g_strdup_printf ("mutation { BranchCreate(data: {name: \"%s\"}) { ok } }", name);

  ok_mutation (f, NULL, q, "BranchCreate");
}

/* Sets TestSite.description (or another text attribute) on @branch. */
static void
set_attribute (Fixture    *f,
               const char *branch,
               const char *kind,
               const char *id,
               const char *attribute,
               const char *value)
{
  g_autofree char *q = g_strdup_printf ("mutation { %sUpdate(data: {id: \"%s\", %s: {value: \"%s\"}}) { ok } }",
                                        kind, id, attribute, value);
  g_autofree char *field = g_strconcat (kind, "Update", NULL);

  ok_mutation (f, branch, q, field);
}

static char *
create_on (Fixture    *f,
           const char *branch,
           const char *kind,
           const char *data)
{
  g_autofree char *q = g_strdup_printf ("mutation { %sCreate(data: %s) { ok object { id } } }", kind, data);
  g_autofree char *path = g_strdup_printf ("data.%sCreate.object.id", kind);
  g_autoptr(JsonNode) r = run_on (f, branch, q);

  assert_no_errors (r);
  return g_strdup (S (r, path));
}

static guint
count_on (Fixture    *f,
          const char *branch,
          const char *kind)
{
  g_autofree char *q = g_strdup_printf ("{ %s { count } }", kind);
  g_autofree char *path = g_strdup_printf ("data.%s.count", kind);
  g_autoptr(JsonNode) r = run_on (f, branch, q);

  assert_no_errors (r);
  return I (r, path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *json = NULL;

  store_fixture_setup (&f->store, data);
  f->api = bough_graphql_api_new (STORE (f));
  f->site = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'atl1'}, 'description': {'value': 'hub'}}");
  f->site2 = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'ord1'}}");
  json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", f->site);
  f->device = create_node (STORE (f), NULL, "TestDevice", json);
  g_free (json);
  json = g_strdup_printf ("{'name': {'value': 'edge2'}, 'site': {'id': '%s'}}", f->site);
  f->device2 = create_node (STORE (f), NULL, "TestDevice", json);
  g_free (json);
  json = g_strdup_printf ("{'name': {'value': 'eth0'}, 'device': {'id': '%s'}}", f->device);
  f->iface = create_node (STORE (f), NULL, "TestInterface", json);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->api, bough_graphql_api_unref);
  g_free (f->site);
  g_free (f->site2);
  g_free (f->device);
  g_free (f->device2);
  g_free (f->iface);
  store_fixture_teardown (&f->store, data);
}

#define BRANCH_FIELDS "id name description origin_branch branched_from created_at status sync_with_git " \
                      "is_default has_schema_changes graph_version"

static void
test_create_and_list (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(GDateTime) main_from = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autofree char *id = NULL;
  g_autofree char *q = NULL;

  r = run (f, "mutation { BranchCreate(wait_until_completion: true, data: {name: \"feature/a\", description: \"first\","
              " sync_with_git: true}) { ok object { " BRANCH_FIELDS " } task { id } } }");
  assert_no_errors (r);
  g_assert_true (B (r, "data.BranchCreate.ok"));
  g_assert_cmpstr (S (r, "data.BranchCreate.object.name"), ==, "feature/a");
  g_assert_cmpstr (S (r, "data.BranchCreate.object.description"), ==, "first");
  g_assert_cmpstr (S (r, "data.BranchCreate.object.origin_branch"), ==, "main");
  g_assert_cmpstr (S (r, "data.BranchCreate.object.status"), ==, "OPEN");
  g_assert_true (B (r, "data.BranchCreate.object.sync_with_git"));
  g_assert_false (B (r, "data.BranchCreate.object.is_default"));
  g_assert_false (B (r, "data.BranchCreate.object.has_schema_changes"));
  g_assert_true (g_uuid_string_is_valid (S (r, "data.BranchCreate.object.id")));
  g_assert_nonnull (S (r, "data.BranchCreate.task.id"));
  from = g_date_time_new_from_iso8601 (S (r, "data.BranchCreate.object.branched_from"), NULL);
  g_assert_nonnull (from);
  id = g_strdup (S (r, "data.BranchCreate.object.id"));
  json_node_unref (g_steal_pointer (&r));

  r = run (f, "mutation { BranchCreate(background_execution: false, data: {name: \"b2\"}) { ok object { name description sync_with_git } } }");
  assert_no_errors (r);
  g_assert_true (IS_NULL (r, "data.BranchCreate.object.description"));
  g_assert_false (B (r, "data.BranchCreate.object.sync_with_git"));
  json_node_unref (g_steal_pointer (&r));

  /* every branch, from any branch's endpoint, main first */
  r = run_on (f, "b2", "{ Branch { " BRANCH_FIELDS " } }");
  assert_no_errors (r);
  g_assert_cmpuint (LEN (r, "data.Branch"), ==, 3);
  g_assert_cmpstr (S (r, "data.Branch.0.name"), ==, "main");
  g_assert_true (B (r, "data.Branch.0.is_default"));
  g_assert_cmpstr (S (r, "data.Branch.1.name"), ==, "b2");
  g_assert_cmpstr (S (r, "data.Branch.2.name"), ==, "feature/a");
  g_assert_cmpstr (S (r, "data.Branch.2.id"), ==, id);
  g_assert_cmpstr (S (r, "data.Branch.2.description"), ==, "first");
  main_from = g_date_time_new_from_iso8601 (S (r, "data.Branch.0.branched_from"), NULL);
  g_assert_nonnull (main_from);
  g_assert_cmpint (g_date_time_compare (main_from, from), <, 0);
  json_node_unref (g_steal_pointer (&r));

  /* by name and by ids */
  q = g_strdup_printf ("{ byname: Branch(name: \"feature/a\") { id } none: Branch(name: \"zz\") { id }"
                       "  byid: Branch(ids: [\"%s\"]) { name } }", id);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_cmpuint (LEN (r, "data.byname"), ==, 1);
  g_assert_cmpstr (S (r, "data.byname.0.id"), ==, id);
  g_assert_cmpuint (LEN (r, "data.none"), ==, 0);
  g_assert_cmpuint (LEN (r, "data.byid"), ==, 1);
  g_assert_cmpstr (S (r, "data.byid.0.name"), ==, "feature/a");
  json_node_unref (g_steal_pointer (&r));

  /* paginated, values wrapped */
  r = run (f, "{ InfrahubBranch(offset: 1, limit: 1) { count edges { node { id name { value } status { value }"
              "  description { value } is_default { value } } } default_branch { name { value } is_default { value } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.InfrahubBranch.count"), ==, 3);
  g_assert_cmpuint (LEN (r, "data.InfrahubBranch.edges"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubBranch.edges.0.node.name.value"), ==, "b2");
  g_assert_cmpstr (S (r, "data.InfrahubBranch.edges.0.node.status.value"), ==, "OPEN");
  g_assert_true (IS_NULL (r, "data.InfrahubBranch.edges.0.node.description.value"));
  g_assert_false (B (r, "data.InfrahubBranch.edges.0.node.is_default.value"));
  g_assert_cmpstr (S (r, "data.InfrahubBranch.default_branch.name.value"), ==, "main");
  g_assert_true (B (r, "data.InfrahubBranch.default_branch.is_default.value"));
}

static void
test_create_errors (Fixture       *f,
                    gconstpointer  data)
{
  static const char *bad_names[] = { "bad name", "bad~name", "-global-", "ends/", "a..b", "x.lock", "" };
  g_autoptr(JsonNode) r = NULL;

  create_branch (f, "dup");
  r = run (f, "mutation { BranchCreate(data: {name: \"dup\"}) { ok object { name } } }");
  assert_error (r, "BranchCreate", "dup", "already exists", NULL);
  g_assert_true (IS_NULL (r, "data.BranchCreate"));
  json_node_unref (g_steal_pointer (&r));

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autofree char *q = g_strdup_printf ("mutation { BranchCreate(data: {name: \"%s\"}) { ok } }", bad_names[i]);

      r = run (f, q);
      assert_error (r, "BranchCreate", "name", NULL);
      json_node_unref (g_steal_pointer (&r));
    }

  r = run (f, "mutation { BranchCreate(data: {name: \"x\", origin_branch: \"dup\"}) { ok } }");
  assert_error (r, "BranchCreate", "dup", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchCreate(data: {name: \"x\", branched_from: \"not a time\"}) { ok } }");
  assert_error (r, "BranchCreate", "branched_from", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchCreate(data: {name: \"x\", branched_from: \"2999-01-01T00:00:00Z\"}) { ok } }");
  assert_error (r, "BranchCreate", "future", NULL);
  json_node_unref (g_steal_pointer (&r));

  /* nothing was made by the refused ones */
  r = run (f, "{ Branch { name } }");
  assert_no_errors (r);
  g_assert_cmpuint (LEN (r, "data.Branch"), ==, 2);
}

/* A branch created at a past time sees main as it was then. */
static void
test_create_in_the_past (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *q = NULL;
  g_autofree char *before = NULL;

  r = run (f, "{ Branch(name: \"main\") { name } }");
  json_node_unref (g_steal_pointer (&r));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    before = g_date_time_format_iso8601 (now);
  }
  g_usleep (2000);
  g_free (create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'late'}}"));
  q = g_strdup_printf ("mutation { BranchCreate(data: {name: \"past\", branched_from: \"%s\"}) { ok object { branched_from } } }",
                       before);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_cmpuint (count_on (f, "past", "TestSite"), ==, 2);
  g_assert_cmpuint (count_on (f, NULL, "TestSite"), ==, 3);
}

static void
test_update_and_delete (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;

  create_branch (f, "upd");
  r = run (f, "mutation { BranchUpdate(data: {name: \"upd\", description: \"now described\"}) { ok object { description } } }");
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.BranchUpdate.object.description"), ==, "now described");
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "{ Branch(name: \"upd\") { description } }");
  g_assert_cmpstr (S (r, "data.Branch.0.description"), ==, "now described");
  json_node_unref (g_steal_pointer (&r));

  r = run (f, "mutation { BranchUpdate(data: {name: \"nope\", description: \"x\"}) { ok } }");
  assert_error (r, "BranchUpdate", "nope", "not found", NULL);
  json_node_unref (g_steal_pointer (&r));

  g_free (create_on (f, "upd", "TestSite", "{name: {value: \"only-on-upd\"}}"));
  ok_mutation (f, NULL, "mutation { BranchDelete(data: {name: \"upd\"}) { ok } }", "BranchDelete");
  r = run (f, "{ Branch { name } }");
  g_assert_cmpuint (LEN (r, "data.Branch"), ==, 1);
  json_node_unref (g_steal_pointer (&r));
  g_assert_cmpuint (count_on (f, NULL, "TestSite"), ==, 2);

  r = run (f, "mutation { BranchDelete(data: {name: \"upd\"}) { ok } }");
  assert_error (r, "BranchDelete", "upd", "not found", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchDelete(data: {name: \"main\"}) { ok } }");
  assert_error (r, "BranchDelete", "default branch", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchDelete(data: {}) { ok } }");
  assert_error (r, "BranchDelete", "name", NULL);
  json_node_unref (g_steal_pointer (&r));

  /* the endpoint of a deleted branch is gone */
  {
    guint status = 0;

    r = run_full (f, "upd", "{ TestSite { count } }", NULL, &status);
    g_assert_cmpuint (status, >=, 400);
  }
}

static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *added = NULL;

  create_branch (f, "work");
  added = create_on (f, "work", "TestSite", "{name: {value: \"sfo1\"}}");
  set_attribute (f, "work", "TestSite", f->site, "description", "changed");

  g_assert_cmpuint (count_on (f, NULL, "TestSite"), ==, 2);
  g_assert_cmpuint (count_on (f, "work", "TestSite"), ==, 3);

  r = run (f, "mutation { BranchValidate(data: {name: \"work\"}) { ok messages object { name } } }");
  assert_no_errors (r);
  g_assert_true (B (r, "data.BranchValidate.ok"));
  g_assert_cmpuint (LEN (r, "data.BranchValidate.messages"), ==, 0);
  g_assert_cmpstr (S (r, "data.BranchValidate.object.name"), ==, "work");
  json_node_unref (g_steal_pointer (&r));

  r = run (f, "mutation { BranchMerge(data: {name: \"work\"}) { ok object { name status } task { id } } }");
  assert_no_errors (r);
  g_assert_true (B (r, "data.BranchMerge.ok"));
  g_assert_cmpstr (S (r, "data.BranchMerge.object.status"), ==, "MERGED");
  g_assert_nonnull (S (r, "data.BranchMerge.task.id"));
  json_node_unref (g_steal_pointer (&r));

  g_assert_cmpuint (count_on (f, NULL, "TestSite"), ==, 3);
  r = run (f, "{ TestSite(name__value: \"atl1\") { edges { node { description { value } } } } }");
  g_assert_cmpstr (S (r, "data.TestSite.edges.0.node.description.value"), ==, "changed");
  json_node_unref (g_steal_pointer (&r));

  /* merged: read-only, no second merge, still readable and deletable */
  g_assert_cmpuint (count_on (f, "work", "TestSite"), ==, 3);
  r = run_on (f, "work", "mutation { TestSiteCreate(data: {name: {value: \"late\"}}) { ok } }");
  assert_error (r, "work", "MERGED", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchMerge(data: {name: \"work\"}) { ok } }");
  assert_error (r, "BranchMerge", "work", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchRebase(data: {name: \"work\"}) { ok } }");
  assert_error (r, "BranchRebase", "work", NULL);
  json_node_unref (g_steal_pointer (&r));
  ok_mutation (f, NULL, "mutation { BranchDelete(data: {name: \"work\"}) { ok } }", "BranchDelete");

  r = run (f, "mutation { BranchMerge(data: {name: \"main\"}) { ok } }");
  assert_error (r, "BranchMerge", "default branch", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchMerge(data: {name: \"ghost\"}) { ok } }");
  assert_error (r, "BranchMerge", "ghost", "not found", NULL);
}

static void
test_rebase (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;

  create_branch (f, "behind");
  set_attribute (f, "behind", "TestSite", f->site2, "description", "branch value");
  r = run (f, "{ Branch(name: \"behind\") { branched_from } }");
  before = g_date_time_new_from_iso8601 (S (r, "data.Branch.0.branched_from"), NULL);
  json_node_unref (g_steal_pointer (&r));
  g_free (create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'new-on-main'}}"));
  g_assert_cmpuint (count_on (f, "behind", "TestSite"), ==, 2);

  r = run (f, "mutation { BranchRebase(data: {name: \"behind\"}) { ok object { name branched_from } task { id } } }");
  assert_no_errors (r);
  g_assert_true (B (r, "data.BranchRebase.ok"));
  after = g_date_time_new_from_iso8601 (S (r, "data.BranchRebase.object.branched_from"), NULL);
  g_assert_nonnull (after);
  g_assert_cmpint (g_date_time_compare (before, after), <, 0);
  json_node_unref (g_steal_pointer (&r));

  g_assert_cmpuint (count_on (f, "behind", "TestSite"), ==, 3);
  /* the branch kept its own value */
  r = run_on (f, "behind", "{ TestSite(name__value: \"ord1\") { edges { node { description { value } } } } }");
  g_assert_cmpstr (S (r, "data.TestSite.edges.0.node.description.value"), ==, "branch value");
  json_node_unref (g_steal_pointer (&r));

  r = run (f, "mutation { BranchRebase(data: {name: \"main\"}) { ok } }");
  assert_error (r, "BranchRebase", "default branch", NULL);
}

static const char diff_query[] =
  "query($b: String!, $parents: Boolean) { DiffTree(branch: $b, include_parents: $parents) {"
  "  base_branch diff_branch from_time to_time name num_added num_updated num_removed num_conflicts"
  "  nodes { uuid kind label status path_identifier last_changed_at contains_conflict"
  "    num_added num_updated num_removed num_conflicts"
  "    parent { uuid kind relationship_name }"
  "    conflict { uuid base_branch_action diff_branch_action resolvable }"
  "    attributes { name status path_identifier num_added num_updated num_removed contains_conflict"
  "      conflict { uuid base_branch_value diff_branch_value selected_branch }"
  "      properties { property_type previous_value new_value previous_label new_label status last_changed_at"
  "        conflict { uuid } } }"
  "    relationships { name label cardinality status num_added num_updated num_removed num_conflicts contains_conflict"
  "      elements { peer_id peer_label status num_added num_updated num_removed contains_conflict"
  "        conflict { uuid base_branch_action diff_branch_action }"
  "        properties { property_type previous_value new_value status } } } } } }";

static JsonNode *
diff (Fixture    *f,
      const char *branch,
      gboolean    parents)
{
  g_autofree char *vars = g_strdup_printf ("{\"b\": \"%s\", \"parents\": %s}", branch, parents ? "true" : "false");
  guint status = 0;
  JsonNode *r = run_full (f, NULL, diff_query, vars, &status);

  g_assert_cmpuint (status, ==, 200);
  assert_no_errors (r);
  return r;
}

static void
test_diff_attribute (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  JsonNode *node;
  JsonNode *attr;
  JsonNode *prop;

  create_branch (f, "attr");
  r = diff (f, "attr", FALSE);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 0);
  g_assert_cmpint (I (r, "data.DiffTree.num_updated"), ==, 0);
  json_node_unref (g_steal_pointer (&r));

  set_attribute (f, "attr", "TestSite", f->site, "description", "renamed hub");
  r = diff (f, "attr", FALSE);
  g_assert_cmpstr (S (r, "data.DiffTree.base_branch"), ==, "main");
  g_assert_cmpstr (S (r, "data.DiffTree.diff_branch"), ==, "attr");
  from = g_date_time_new_from_iso8601 (S (r, "data.DiffTree.from_time"), NULL);
  to = g_date_time_new_from_iso8601 (S (r, "data.DiffTree.to_time"), NULL);
  g_assert_nonnull (from);
  g_assert_nonnull (to);
  g_assert_cmpint (g_date_time_compare (from, to), <=, 0);
  g_assert_cmpint (I (r, "data.DiffTree.num_added"), ==, 0);
  g_assert_cmpint (I (r, "data.DiffTree.num_updated"), ==, 1);
  g_assert_cmpint (I (r, "data.DiffTree.num_removed"), ==, 0);
  g_assert_cmpint (I (r, "data.DiffTree.num_conflicts"), ==, 0);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 1);

  node = at_path (r, "data.DiffTree.nodes.0");
  g_assert_cmpstr (S (node, "uuid"), ==, f->site);
  g_assert_cmpstr (S (node, "kind"), ==, "TestSite");
  g_assert_cmpstr (S (node, "label"), ==, "atl1");
  g_assert_cmpstr (S (node, "status"), ==, "UPDATED");
  g_assert_false (B (node, "contains_conflict"));
  g_assert_true (IS_NULL (node, "conflict"));
  g_assert_true (IS_NULL (node, "parent"));
  g_assert_nonnull (S (node, "path_identifier"));
  g_assert_nonnull (S (node, "last_changed_at"));
  g_assert_cmpint (I (node, "num_updated"), ==, 1);
  g_assert_cmpint (I (node, "num_added"), ==, 0);
  g_assert_cmpuint (LEN (node, "attributes"), ==, 1);
  g_assert_cmpuint (LEN (node, "relationships"), ==, 0);

  attr = at_path (node, "attributes.0");
  g_assert_cmpstr (S (attr, "name"), ==, "description");
  g_assert_cmpstr (S (attr, "status"), ==, "UPDATED");
  g_assert_cmpint (I (attr, "num_updated"), ==, 1);
  prop = find (attr, "properties", "property_type", "HAS_VALUE");
  g_assert_nonnull (prop);
  g_assert_cmpstr (S (prop, "previous_value"), ==, "hub");
  g_assert_cmpstr (S (prop, "new_value"), ==, "renamed hub");
  g_assert_cmpstr (S (prop, "status"), ==, "UPDATED");
  g_assert_true (IS_NULL (prop, "conflict"));
  json_node_unref (g_steal_pointer (&r));

  /* the counts do not depend on what else is selected */
  r = run (f, "{ DiffTree(branch: \"attr\") { nodes { num_updated num_conflicts contains_conflict"
              "  attributes { num_updated contains_conflict } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.DiffTree.nodes.0.num_updated"), ==, 1);
  g_assert_cmpint (I (r, "data.DiffTree.nodes.0.attributes.0.num_updated"), ==, 1);
  g_assert_false (B (r, "data.DiffTree.nodes.0.contains_conflict"));
  json_node_unref (g_steal_pointer (&r));

  /* set back to the branch point's value: no change left */
  set_attribute (f, "attr", "TestSite", f->site, "description", "hub");
  r = diff (f, "attr", FALSE);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 0);
}

static void
test_diff_nodes (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *added = NULL;
  g_autofree char *q = NULL;
  JsonNode *node;

  create_branch (f, "nodes");
  added = create_on (f, "nodes", "TestSite", "{name: {value: \"sfo1\"}, region: {value: \"us-west\"}}");
  q = g_strdup_printf ("mutation { TestSiteDelete(data: {id: \"%s\"}) { ok } }", f->site2);
  ok_mutation (f, "nodes", q, "TestSiteDelete");

  r = diff (f, "nodes", FALSE);
  g_assert_cmpint (I (r, "data.DiffTree.num_added"), ==, 1);
  g_assert_cmpint (I (r, "data.DiffTree.num_removed"), ==, 1);
  g_assert_cmpint (I (r, "data.DiffTree.num_updated"), ==, 0);

  node = find (r, "data.DiffTree.nodes", "uuid", added);
  g_assert_nonnull (node);
  g_assert_cmpstr (S (node, "status"), ==, "ADDED");
  g_assert_cmpstr (S (node, "label"), ==, "sfo1");
  {
    JsonNode *attr = find (node, "attributes", "name", "region");
    JsonNode *prop;

    g_assert_nonnull (attr);
    g_assert_cmpstr (S (attr, "status"), ==, "ADDED");
    prop = find (attr, "properties", "property_type", "HAS_VALUE");
    g_assert_true (IS_NULL (prop, "previous_value"));
    g_assert_cmpstr (S (prop, "new_value"), ==, "us-west");
  }

  node = find (r, "data.DiffTree.nodes", "uuid", f->site2);
  g_assert_nonnull (node);
  g_assert_cmpstr (S (node, "status"), ==, "REMOVED");
  g_assert_cmpstr (S (node, "label"), ==, "ord1");
  {
    JsonNode *attr = find (node, "attributes", "name", "name");
    JsonNode *prop;

    g_assert_nonnull (attr);
    g_assert_cmpstr (S (attr, "status"), ==, "REMOVED");
    prop = find (attr, "properties", "property_type", "HAS_VALUE");
    g_assert_cmpstr (S (prop, "previous_value"), ==, "ord1");
    g_assert_true (IS_NULL (prop, "new_value"));
  }
}

static void
test_diff_relationships (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *q = NULL;
  JsonNode *node;
  JsonNode *rel;
  JsonNode *el;

  create_branch (f, "rels");
  /* one: edge1 moves from atl1 to ord1 */
  q = g_strdup_printf ("mutation { TestDeviceUpdate(data: {id: \"%s\", site: {id: \"%s\"}}) { ok } }",
                       f->device, f->site2);
  ok_mutation (f, "rels", q, "TestDeviceUpdate");
  g_clear_pointer (&q, g_free);

  r = diff (f, "rels", FALSE);
  node = find (r, "data.DiffTree.nodes", "uuid", f->device);
  g_assert_nonnull (node);
  g_assert_cmpstr (S (node, "status"), ==, "UPDATED");
  rel = find (node, "relationships", "name", "site");
  g_assert_nonnull (rel);
  g_assert_cmpstr (S (rel, "cardinality"), ==, "ONE");
  g_assert_cmpstr (S (rel, "status"), ==, "UPDATED");
  el = find (rel, "elements", "peer_id", f->site2);
  g_assert_nonnull (el);
  g_assert_cmpstr (S (el, "peer_label"), ==, "ord1");
  /* the peers see the change from their side (many) */
  node = find (r, "data.DiffTree.nodes", "uuid", f->site);
  g_assert_nonnull (node);
  rel = find (node, "relationships", "name", "devices");
  g_assert_nonnull (rel);
  g_assert_cmpstr (S (rel, "cardinality"), ==, "MANY");
  el = find (rel, "elements", "peer_id", f->device);
  g_assert_nonnull (el);
  g_assert_cmpstr (S (el, "status"), ==, "REMOVED");
  node = find (r, "data.DiffTree.nodes", "uuid", f->site2);
  g_assert_nonnull (node);
  rel = find (node, "relationships", "name", "devices");
  el = find (rel, "elements", "peer_id", f->device);
  g_assert_nonnull (el);
  g_assert_cmpstr (S (el, "status"), ==, "ADDED");
  g_assert_nonnull (find (el, "properties", "property_type", "IS_RELATED"));
  json_node_unref (g_steal_pointer (&r));

  /* many: edge2 had tag t1 on main; the branch adds t2 and t3 and removes t1 */
  {
    g_autofree char *t1 = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 't1'}}");
    g_autofree char *t2 = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 't2'}}");
    g_autofree char *t3 = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 't3'}}");

    q = g_strdup_printf ("mutation { RelationshipAdd(data: {id: \"%s\", name: \"tags\", nodes: [{id: \"%s\"}]}) { ok } }",
                         f->device2, t1);
    ok_mutation (f, NULL, q, "RelationshipAdd");
    g_clear_pointer (&q, g_free);
    create_branch (f, "rels2");
    q = g_strdup_printf ("mutation { a: RelationshipAdd(data: {id: \"%s\", name: \"tags\", nodes: [{id: \"%s\"}, {id: \"%s\"}]}) { ok }"
                         "  r: RelationshipRemove(data: {id: \"%s\", name: \"tags\", nodes: [{id: \"%s\"}]}) { ok } }",
                         f->device2, t2, t3, f->device2, t1);
    r = run_on (f, "rels2", q);
    assert_no_errors (r);
    json_node_unref (g_steal_pointer (&r));
    g_clear_pointer (&q, g_free);

    r = diff (f, "rels2", FALSE);
    node = find (r, "data.DiffTree.nodes", "uuid", f->device2);
    g_assert_nonnull (node);
    rel = find (node, "relationships", "name", "tags");
    g_assert_nonnull (rel);
    g_assert_cmpstr (S (rel, "cardinality"), ==, "MANY");
    g_assert_cmpuint (LEN (rel, "elements"), ==, 3);
    g_assert_cmpint (I (rel, "num_added"), ==, 2);
    g_assert_cmpint (I (rel, "num_removed"), ==, 1);
    g_assert_cmpstr (S (find (rel, "elements", "peer_id", t1), "status"), ==, "REMOVED");
    g_assert_cmpstr (S (find (rel, "elements", "peer_id", t2), "status"), ==, "ADDED");
    g_assert_cmpstr (S (find (rel, "elements", "peer_id", t3), "status"), ==, "ADDED");
    json_node_unref (g_steal_pointer (&r));

    /* added then removed on the branch: no change left for t3 */
    q = g_strdup_printf ("mutation { RelationshipRemove(data: {id: \"%s\", name: \"tags\", nodes: [{id: \"%s\"}]}) { ok } }",
                         f->device2, t3);
    ok_mutation (f, "rels2", q, "RelationshipRemove");
    r = diff (f, "rels2", FALSE);
    node = find (r, "data.DiffTree.nodes", "uuid", f->device2);
    rel = find (node, "relationships", "name", "tags");
    g_assert_cmpuint (LEN (rel, "elements"), ==, 2);
    g_assert_null (find (rel, "elements", "peer_id", t3));
  }
}

static void
test_diff_parents (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  JsonNode *node;

  create_branch (f, "par");
  set_attribute (f, "par", "TestInterface", f->iface, "name", "eth0-renamed");

  r = diff (f, "par", FALSE);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 1);
  node = at_path (r, "data.DiffTree.nodes.0");
  g_assert_cmpstr (S (node, "uuid"), ==, f->iface);
  g_assert_cmpstr (S (node, "parent.uuid"), ==, f->device);
  g_assert_cmpstr (S (node, "parent.kind"), ==, "TestDevice");
  g_assert_cmpstr (S (node, "parent.relationship_name"), ==, "device");
  json_node_unref (g_steal_pointer (&r));

  r = diff (f, "par", TRUE);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 2);
  node = find (r, "data.DiffTree.nodes", "uuid", f->device);
  g_assert_nonnull (node);
  g_assert_cmpstr (S (node, "status"), ==, "UNCHANGED");
  /* TestDevice has no display label: Infrahub's "Kind(ID: uuid)" */
  {
    g_autofree char *label = g_strdup_printf ("TestDevice(ID: %s)", f->device);
    g_assert_cmpstr (S (node, "label"), ==, label);
  }
  g_assert_cmpuint (LEN (node, "attributes"), ==, 0);
  /* an unchanged parent counts as no change */
  g_assert_cmpint (I (r, "data.DiffTree.num_updated"), ==, 1);
}

/* A node whose schema declares no display label is labelled "Kind(ID:
 * uuid)", as Infrahub does, wherever a label is answered. */
static void
test_display_label_fallback (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *device = g_strdup_printf ("TestDevice(ID: %s)", f->device);

  r = run_on (f, BOUGH_DEFAULT_BRANCH,
              "{ TestDevice { edges { node { display_label } } }"
              "  TestInterface { edges { node { device { node { display_label } } } } } }");
  g_assert_cmpstr (S (r, "data.TestDevice.edges.0.node.display_label"), ==, device);
  g_assert_cmpstr (S (r, "data.TestInterface.edges.0.node.device.node.display_label"), ==, device);
}

static void
test_diff_filters (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *added = NULL;
  g_autofree char *q = NULL;

  create_branch (f, "filt");
  added = create_on (f, "filt", "TestSite", "{name: {value: \"sfo1\"}}");
  set_attribute (f, "filt", "TestSite", f->site, "description", "changed");
  set_attribute (f, "filt", "TestDevice", f->device2, "description", "changed too");

  r = run (f, "{ DiffTree(branch: \"filt\", filters: {kind: {includes: [\"TestSite\"]}}) { nodes { kind } }"
              "  ex: DiffTree(branch: \"filt\", filters: {kind: {excludes: [\"TestSite\"]}}) { nodes { kind } }"
              "  st: DiffTree(branch: \"filt\", filters: {status: {includes: [ADDED]}}) { nodes { uuid status } }"
              "  nst: DiffTree(branch: \"filt\", filters: {status: {excludes: [ADDED]}}) { nodes { uuid } }"
              "  ns: DiffTree(branch: \"filt\", filters: {namespace: {excludes: [\"Test\"]}}) { nodes { uuid } }"
              "  page: DiffTree(branch: \"filt\", limit: 2, offset: 1) { num_added num_updated nodes { uuid } }"
              "  summary: DiffTreeSummary(branch: \"filt\") { base_branch diff_branch from_time to_time"
              "    num_added num_updated num_removed num_conflicts num_unchanged }"
              "  fsummary: DiffTreeSummary(branch: \"filt\", filters: {kind: {includes: [\"TestDevice\"]}}) { num_added num_updated } }");
  assert_no_errors (r);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 2);
  g_assert_cmpstr (S (r, "data.DiffTree.nodes.0.kind"), ==, "TestSite");
  g_assert_cmpstr (S (r, "data.DiffTree.nodes.1.kind"), ==, "TestSite");
  g_assert_cmpuint (LEN (r, "data.ex.nodes"), ==, 1);
  g_assert_cmpstr (S (r, "data.ex.nodes.0.kind"), ==, "TestDevice");
  g_assert_cmpuint (LEN (r, "data.st.nodes"), ==, 1);
  g_assert_cmpstr (S (r, "data.st.nodes.0.uuid"), ==, added);
  g_assert_cmpuint (LEN (r, "data.nst.nodes"), ==, 2);
  g_assert_cmpuint (LEN (r, "data.ns.nodes"), ==, 0);
  g_assert_cmpuint (LEN (r, "data.page.nodes"), ==, 2);
  /* counts are of the whole diff, whatever the page */
  g_assert_cmpint (I (r, "data.page.num_added"), ==, 1);
  g_assert_cmpint (I (r, "data.page.num_updated"), ==, 2);
  g_assert_cmpstr (S (r, "data.summary.base_branch"), ==, "main");
  g_assert_cmpstr (S (r, "data.summary.diff_branch"), ==, "filt");
  g_assert_cmpint (I (r, "data.summary.num_added"), ==, 1);
  g_assert_cmpint (I (r, "data.summary.num_updated"), ==, 2);
  g_assert_cmpint (I (r, "data.summary.num_removed"), ==, 0);
  g_assert_cmpint (I (r, "data.summary.num_conflicts"), ==, 0);
  g_assert_cmpint (I (r, "data.summary.num_unchanged"), ==, 0);
  g_assert_cmpint (I (r, "data.fsummary.num_added"), ==, 0);
  g_assert_cmpint (I (r, "data.fsummary.num_updated"), ==, 1);
  json_node_unref (g_steal_pointer (&r));

  q = g_strdup_printf ("{ DiffTree(branch: \"filt\", filters: {ids: [\"%s\"]}) { nodes { uuid } } }", added);
  r = run (f, q);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 1);
  g_assert_cmpstr (S (r, "data.DiffTree.nodes.0.uuid"), ==, added);
  json_node_unref (g_steal_pointer (&r));

  /* the diff is asked for from the branch's own endpoint too, the branch
   * being the endpoint's when not named */
  r = run_on (f, "filt", "{ DiffTree { diff_branch num_added } }");
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.DiffTree.diff_branch"), ==, "filt");
  g_assert_cmpint (I (r, "data.DiffTree.num_added"), ==, 1);
}

static void
test_diff_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;

  r = run (f, "{ DiffTree(branch: \"ghost\") { num_added } }");
  assert_error (r, "ghost", "not found", NULL);
  g_assert_true (IS_NULL (r, "data.DiffTree"));
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "{ DiffTree(branch: \"main\") { num_added } }");
  assert_error (r, "default branch", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "{ DiffTreeSummary(branch: \"ghost\") { num_added } }");
  assert_error (r, "ghost", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { DiffUpdate(data: {branch: \"ghost\"}) { ok } }");
  assert_error (r, "DiffUpdate", "ghost", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { ResolveDiffConflict(data: {conflict_id: \"nope\", selected_branch: BASE_BRANCH}) { ok } }");
  assert_error (r, "ResolveDiffConflict", "nope", NULL);
  json_node_unref (g_steal_pointer (&r));

  create_branch (f, "du");
  r = run (f, "mutation { DiffUpdate(data: {branch: \"du\", name: \"report\"}) { ok }"
              "  bg: DiffUpdate(wait_until_completion: false, data: {branch: \"du\"}) { ok task { id } } }");
  assert_no_errors (r);
  g_assert_true (B (r, "data.DiffUpdate.ok"));
  g_assert_true (B (r, "data.bg.ok"));
  g_assert_nonnull (S (r, "data.bg.task.id"));
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "{ DiffTree(branch: \"du\", name: \"report\") { name } }");
  g_assert_cmpstr (S (r, "data.DiffTree.name"), ==, "report");
}

static void
test_conflicts (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *conflict = NULL;
  g_autofree char *q = NULL;
  JsonNode *node;
  JsonNode *attr;

  create_branch (f, "both");
  set_attribute (f, "both", "TestSite", f->site, "description", "branch side");
  set_attribute (f, NULL, "TestSite", f->site, "description", "main side");

  r = diff (f, "both", FALSE);
  g_assert_cmpint (I (r, "data.DiffTree.num_conflicts"), ==, 1);
  node = find (r, "data.DiffTree.nodes", "uuid", f->site);
  g_assert_true (B (node, "contains_conflict"));
  g_assert_cmpint (I (node, "num_conflicts"), ==, 1);
  attr = find (node, "attributes", "name", "description");
  g_assert_true (B (attr, "contains_conflict"));
  /* the value's conflict shows on the attribute, as Infrahub does */
  g_assert_false (IS_NULL (attr, "conflict"));
  g_assert_cmpstr (S (attr, "conflict.base_branch_value"), ==, "main side");
  g_assert_cmpstr (S (attr, "conflict.diff_branch_value"), ==, "branch side");
  g_assert_true (IS_NULL (attr, "conflict.selected_branch"));
  conflict = g_strdup (S (attr, "conflict.uuid"));
  json_node_unref (g_steal_pointer (&r));

  r = run (f, "mutation { BranchValidate(data: {name: \"both\"}) { ok messages } }");
  assert_no_errors (r);
  g_assert_false (B (r, "data.BranchValidate.ok"));
  g_assert_cmpuint (LEN (r, "data.BranchValidate.messages"), ==, 1);
  g_assert_nonnull (strstr (S (r, "data.BranchValidate.messages.0"), "description"));
  json_node_unref (g_steal_pointer (&r));

  r = run (f, "mutation { BranchMerge(data: {name: \"both\"}) { ok } }");
  assert_error (r, "BranchMerge", "conflict", "description", NULL);
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "{ TestSite(name__value: \"atl1\") { edges { node { description { value } } } } }");
  g_assert_cmpstr (S (r, "data.TestSite.edges.0.node.description.value"), ==, "main side");
  json_node_unref (g_steal_pointer (&r));

  q = g_strdup_printf ("mutation { ResolveDiffConflict(data: {conflict_id: \"%s\", selected_branch: BASE_BRANCH}) { ok } }",
                       conflict);
  ok_mutation (f, NULL, q, "ResolveDiffConflict");
  r = diff (f, "both", FALSE);
  node = find (r, "data.DiffTree.nodes", "uuid", f->site);
  attr = find (node, "attributes", "name", "description");
  g_assert_cmpstr (S (attr, "conflict.selected_branch"), ==, "BASE_BRANCH");
  json_node_unref (g_steal_pointer (&r));

  r = run (f, "mutation { BranchValidate(data: {name: \"both\"}) { ok messages } }");
  g_assert_true (B (r, "data.BranchValidate.ok"));
  json_node_unref (g_steal_pointer (&r));
  ok_mutation (f, NULL, "mutation { BranchMerge(data: {name: \"both\"}) { ok } }", "BranchMerge");
  /* the base side was chosen: main keeps its value */
  r = run (f, "{ TestSite(name__value: \"atl1\") { edges { node { description { value } } } } }");
  g_assert_cmpstr (S (r, "data.TestSite.edges.0.node.description.value"), ==, "main side");
}

/* A conflict resolved for the branch's side, then merged. */
static void
test_conflict_diff_side (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *q = NULL;
  JsonNode *node;
  JsonNode *attr;

  create_branch (f, "mine");
  set_attribute (f, "mine", "TestSite", f->site2, "description", "branch wins");
  set_attribute (f, NULL, "TestSite", f->site2, "description", "main loses");
  r = diff (f, "mine", FALSE);
  node = find (r, "data.DiffTree.nodes", "uuid", f->site2);
  attr = find (node, "attributes", "name", "description");
  q = g_strdup_printf ("mutation { ResolveDiffConflict(data: {conflict_id: \"%s\", selected_branch: DIFF_BRANCH}) { ok } }",
                       S (attr, "conflict.uuid"));
  json_node_unref (g_steal_pointer (&r));
  ok_mutation (f, NULL, q, "ResolveDiffConflict");
  ok_mutation (f, NULL, "mutation { BranchMerge(data: {name: \"mine\"}) { ok } }", "BranchMerge");
  r = run (f, "{ TestSite(name__value: \"ord1\") { edges { node { description { value } } } } }");
  g_assert_cmpstr (S (r, "data.TestSite.edges.0.node.description.value"), ==, "branch wins");
}

/* Branch operations leave task records that InfrahubTask answers. */
static void
test_tasks (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *q = NULL;
  g_autofree char *q2 = NULL;
  gint64 n_logs;

  create_branch (f, "tasked");
  g_free (create_on (f, "tasked", "TestSite", "{name: {value: \"sfo1\"}}"));
  r = run (f, "mutation { BranchMerge(data: {name: \"tasked\"}) { ok task { id } } }");
  assert_no_errors (r);
  merged = g_strdup (S (r, "data.BranchMerge.task.id"));
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchMerge(data: {name: \"tasked\"}) { ok task { id } } }");
  g_assert_nonnull (at_path (r, "errors"));
  json_node_unref (g_steal_pointer (&r));

  q = g_strdup_printf ("{ InfrahubTask(ids: [\"%s\"]) { count edges { node { id title state conclusion progress"
                       "  workflow branch created_at updated_at } } } }", merged);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.InfrahubTask.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.id"), ==, merged);
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.state"), ==, "COMPLETED");
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.conclusion"), ==, "success");
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.workflow"), ==, "branch-merge");
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.branch"), ==, "tasked");
  g_assert_cmpfloat (json_node_get_double (at_path (r, "data.InfrahubTask.edges.0.node.progress")), ==, 1.0);
  g_assert_nonnull (strstr (S (r, "data.InfrahubTask.edges.0.node.title"), "tasked"));
  json_node_unref (g_steal_pointer (&r));

  /* its progress: one log per step the merge went through, then the outcome */
  q2 = g_strdup_printf ("{ InfrahubTask(ids: [\"%s\"]) { edges { node { logs { count edges { node { message severity timestamp } } } } } } }",
                        merged);
  r = run (f, q2);
  assert_no_errors (r);
  n_logs = I (r, "data.InfrahubTask.edges.0.node.logs.count");
  g_assert_cmpint (n_logs, >=, 2);
  g_assert_cmpuint (LEN (r, "data.InfrahubTask.edges.0.node.logs.edges"), ==, n_logs);
  {
    g_autofree char *last = g_strdup_printf ("data.InfrahubTask.edges.0.node.logs.edges.%d.node.message", (int) n_logs - 1);
    g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (S (r, "data.InfrahubTask.edges.0.node.logs.edges.0.node.timestamp"), NULL);

    g_assert_nonnull (strstr (S (r, last), "done"));
    g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.logs.edges.0.node.severity"), ==, "info");
    g_assert_nonnull (when);
  }
  json_node_unref (g_steal_pointer (&r));

  /* the refused second merge is the newest merge task of the branch */
  r = run (f, "{ InfrahubTask(branch: \"tasked\", workflow: [\"branch-merge\"], limit: 1) { count edges { node { id state conclusion"
              "  logs { edges { node { message severity } } } } } } }");
  assert_no_errors (r);
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.logs.edges.0.node.severity"), ==, "error");
  g_assert_nonnull (strstr (S (r, "data.InfrahubTask.edges.0.node.logs.edges.0.node.message"), "tasked"));
  g_assert_cmpint (I (r, "data.InfrahubTask.count"), ==, 2);
  g_assert_cmpuint (LEN (r, "data.InfrahubTask.edges"), ==, 1);
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.state"), ==, "FAILED");
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.conclusion"), ==, "failure");
  g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.id"), !=, merged);
  json_node_unref (g_steal_pointer (&r));

  /* every operation ended: none runs on the branch */
  r = run (f, "{ InfrahubTaskBranchStatus(branch: \"tasked\") { count edges { node { id } } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.InfrahubTaskBranchStatus.count"), ==, 0);
}

/* A diff of 1,000 changed nodes answers in full through the API (the time
 * is reported, not asserted). */
static void
test_diff_large (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(JsonNode) r = NULL;
  gint64 start;

  create_branch (f, "big");
  txn = bough_store_begin (STORE (f), "big", "tester", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'site-%04u'}, 'region': {'value': 'r%u'}}", i, i % 7);
      g_autoptr(JsonObject) input = J (json);
      g_autoptr(BoughNode) node = bough_txn_create (txn, "TestSite", input, &error);

      g_assert_no_error (error);
    }
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  r = run (f, "{ DiffTree(branch: \"big\") { num_added nodes { uuid label status attributes { name properties { new_value } } } } }");
  g_test_message ("DiffTree of 1,000 added nodes: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.DiffTree.num_added"), ==, 1000);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 1000);
  g_assert_cmpstr (S (r, "data.DiffTree.nodes.999.status"), ==, "ADDED");
  json_node_unref (g_steal_pointer (&r));

  /* what the SDK's get_diff_summary asks for */
  start = g_get_monotonic_time ();
  r = run (f, "{ DiffTree(branch: \"big\") { nodes { uuid kind status label num_added num_updated num_removed"
              "  attributes { name status num_added num_updated num_removed }"
              "  relationships { name status cardinality num_added num_updated num_removed"
              "    elements { status num_added num_updated num_removed } } } } }");
  g_test_message ("DiffTree of 1,000 added nodes as the SDK asks: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  assert_no_errors (r);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 1000);
  g_assert_cmpint (I (r, "data.DiffTree.nodes.0.attributes.0.num_added"), ==, 1);
  json_node_unref (g_steal_pointer (&r));

  start = g_get_monotonic_time ();
  r = run (f, "{ DiffTreeSummary(branch: \"big\") { num_added } }");
  g_test_message ("DiffTreeSummary of 1,000 added nodes: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpint (I (r, "data.DiffTreeSummary.num_added"), ==, 1000);
}

/* A node removed on the branch and changed on main; a cardinality-one
 * relationship set to different peers on both sides; a unique value taken
 * on both sides. */
static void
test_conflict_shapes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *q = NULL;
  g_autofree char *site3 = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'sjc1'}}");
  g_autofree char *unique_id = NULL;
  JsonNode *node;
  JsonNode *rel;
  JsonNode *el;

  create_branch (f, "shapes");
  /* removed on the branch, changed on main */
  q = g_strdup_printf ("mutation { TestSiteDelete(data: {id: \"%s\"}) { ok } }", f->site2);
  ok_mutation (f, "shapes", q, "TestSiteDelete");
  g_clear_pointer (&q, g_free);
  set_attribute (f, NULL, "TestSite", f->site2, "description", "still here");
  /* edge2 moved to sjc1 on the branch, back to atl1's neighbour ord1 on main */
  q = g_strdup_printf ("mutation { TestDeviceUpdate(data: {id: \"%s\", site: {id: \"%s\"}}) { ok } }", f->device2, site3);
  ok_mutation (f, "shapes", q, "TestDeviceUpdate");
  g_clear_pointer (&q, g_free);
  q = g_strdup_printf ("mutation { TestDeviceUpdate(data: {id: \"%s\", site: {id: \"%s\"}}) { ok } }", f->device2, f->site2);
  ok_mutation (f, NULL, q, "TestDeviceUpdate");
  g_clear_pointer (&q, g_free);
  /* the same new name on both sides */
  g_free (create_on (f, "shapes", "TestSite", "{name: {value: \"dup1\"}}"));
  g_free (create_on (f, NULL, "TestSite", "{name: {value: \"dup1\"}}"));

  r = diff (f, "shapes", FALSE);
  g_assert_cmpint (I (r, "data.DiffTree.num_conflicts"), ==, 3);

  /* the node's existence */
  node = find (r, "data.DiffTree.nodes", "uuid", f->site2);
  g_assert_nonnull (node);
  g_assert_cmpstr (S (node, "status"), ==, "REMOVED");
  g_assert_true (B (node, "contains_conflict"));
  g_assert_cmpint (I (node, "num_conflicts"), ==, 1);
  g_assert_cmpstr (S (node, "conflict.base_branch_action"), ==, "UPDATED");
  g_assert_cmpstr (S (node, "conflict.diff_branch_action"), ==, "REMOVED");
  g_assert_true (B (node, "conflict.resolvable"));

  /* one conflict shown on both peers of the cardinality-one relationship,
   * counted once */
  node = find (r, "data.DiffTree.nodes", "uuid", f->device2);
  g_assert_true (B (node, "contains_conflict"));
  g_assert_cmpint (I (node, "num_conflicts"), ==, 1);
  rel = find (node, "relationships", "name", "site");
  g_assert_true (B (rel, "contains_conflict"));
  g_assert_cmpint (I (rel, "num_conflicts"), ==, 1);
  el = find (rel, "elements", "peer_id", site3);
  g_assert_cmpstr (S (el, "status"), ==, "ADDED");
  g_assert_false (IS_NULL (el, "conflict"));
  g_assert_cmpstr (S (el, "conflict.diff_branch_action"), ==, "UPDATED");

  /* uniqueness: on the node added on the branch, not resolvable by a side */
  node = find (r, "data.DiffTree.nodes", "label", "dup1");
  g_assert_nonnull (node);
  g_assert_cmpstr (S (node, "status"), ==, "ADDED");
  g_assert_true (B (node, "contains_conflict"));
  g_assert_false (B (node, "conflict.resolvable"));
  unique_id = g_strdup (S (node, "conflict.uuid"));
  json_node_unref (g_steal_pointer (&r));

  q = g_strdup_printf ("mutation { ResolveDiffConflict(data: {conflict_id: \"%s\", selected_branch: DIFF_BRANCH}) { ok } }",
                       unique_id);
  r = run (f, q);
  assert_error (r, "ResolveDiffConflict", "uniqueness", NULL);
  json_node_unref (g_steal_pointer (&r));
  g_clear_pointer (&q, g_free);

  r = run (f, "mutation { BranchValidate(data: {name: \"shapes\"}) { ok messages } }");
  g_assert_false (B (r, "data.BranchValidate.ok"));
  g_assert_cmpuint (LEN (r, "data.BranchValidate.messages"), >=, 2);
  {
    g_autofree char *all = json_to_string (at_path (r, "data.BranchValidate.messages"), FALSE);

    g_assert_nonnull (strstr (all, "dup1"));
  }
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "mutation { BranchMerge(data: {name: \"shapes\"}) { ok } }");
  assert_error (r, "BranchMerge", "dup1", NULL);
}

static char *
now_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_usleep (2000);
  return g_date_time_format_iso8601 (now);
}

static char *
site_description_at (Fixture    *f,
                     const char *branch,
                     const char *at,
                     const char *name)
{
  g_autofree char *q = g_strdup_printf ("{ TestSite(name__value: \"%s\") { count edges { node { description { value } } } } }",
                                        name);
  guint status = 0;
  g_autoptr(JsonNode) r = run_full_at (f, branch, at, q, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  assert_no_errors (r);
  if (I (r, "data.TestSite.count") == 0)
    return g_strdup ("(absent)");
  return g_strdup (S (r, "data.TestSite.edges.0.node.description.value"));
}

/* Queries at a past time see a branch as it was, across its rebase and
 * merge, and main as it was before the merge. */
static void
test_time_travel (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *t_created = NULL;
  g_autofree char *t_v1 = NULL;
  g_autofree char *t_before_rebase = NULL;
  g_autofree char *t_before_merge = NULL;
  char *v;

  create_branch (f, "tt");
  t_created = now_iso ();
  set_attribute (f, "tt", "TestSite", f->site, "description", "v1");
  t_v1 = now_iso ();
  set_attribute (f, "tt", "TestSite", f->site, "description", "v2");
  g_free (create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'late-main'}}"));
  t_before_rebase = now_iso ();
  ok_mutation (f, NULL, "mutation { BranchRebase(data: {name: \"tt\"}) { ok } }", "BranchRebase");
  set_attribute (f, "tt", "TestSite", f->site, "description", "v3");
  t_before_merge = now_iso ();
  ok_mutation (f, NULL, "mutation { BranchMerge(data: {name: \"tt\"}) { ok } }", "BranchMerge");

#define CHECK(branch, at, name, want) \
  v = site_description_at (f, branch, at, name); \
  g_assert_cmpstr (v, ==, want); \
  g_free (v)

  CHECK ("tt", t_created, "atl1", "hub");
  CHECK ("tt", t_v1, "atl1", "v1");
  CHECK ("tt", t_before_rebase, "atl1", "v2");
  /* before the rebase the branch did not see main's later site */
  CHECK ("tt", t_before_rebase, "late-main", "(absent)");
  CHECK ("tt", t_before_merge, "late-main", NULL);
  CHECK ("tt", t_before_merge, "atl1", "v3");
  CHECK ("tt", NULL, "atl1", "v3");
  /* main before the merge, and after */
  CHECK (NULL, t_before_merge, "atl1", "hub");
  CHECK (NULL, NULL, "atl1", "v3");
#undef CHECK
}

typedef struct
{
  Fixture    *f;
  const char *query;
  const char *field;
  gint       *oks;
} RaceData;

static gpointer
race_thread (gpointer data)
{
  RaceData *rd = data;
  g_autoptr(JsonNode) r = run (rd->f, rd->query);
  g_autofree char *path = g_strdup_printf ("data.%s.ok", rd->field);
  JsonNode *ok = at_path (r, path);

  if (ok != NULL && !JSON_NODE_HOLDS_NULL (ok) && json_node_get_boolean (ok))
    g_atomic_int_inc (rd->oks);
  else
    g_assert_nonnull (at_path (r, "errors"));
  return NULL;
}

/* The same operation from several requests at once: one wins, the others
 * are refused with an error, nothing is done twice. */
static void
race (Fixture    *f,
      const char *query,
      const char *field)
{
  GThread *threads[4];
  gint oks = 0;
  RaceData rd = { f, query, field, &oks };

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("race", race_thread, &rd);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (oks, ==, 1);
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;

  race (f, "mutation { BranchCreate(data: {name: \"racy\"}) { ok } }", "BranchCreate");
  g_free (create_on (f, "racy", "TestSite", "{name: {value: \"sfo1\"}}"));
  race (f, "mutation { BranchMerge(data: {name: \"racy\"}) { ok } }", "BranchMerge");
  g_assert_cmpuint (count_on (f, NULL, "TestSite"), ==, 3);
  race (f, "mutation { BranchDelete(data: {name: \"racy\"}) { ok } }", "BranchDelete");
  r = run (f, "{ Branch { name } }");
  g_assert_cmpuint (LEN (r, "data.Branch"), ==, 1);
}

/* Agnostic data is shared by every branch and never diffed; local data
 * stays in its branch, is never diffed and never merged. */
static void
test_branch_support (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *repo = create_node (STORE (f), NULL, "TestRepo", "{'name': {'value': 'r1'}, 'commit': {'value': 'aaa'}}");
  g_autofree char *tag = NULL;

  create_branch (f, "support");
  tag = create_on (f, "support", "TestTag", "{name: {value: \"shared\"}}");
  g_assert_cmpuint (count_on (f, NULL, "TestTag"), ==, 1);
  set_attribute (f, "support", "TestRepo", repo, "commit", "bbb");
  set_attribute (f, "support", "TestSite", f->site, "description", "aware change");

  r = run_on (f, "support", "{ TestRepo { edges { node { commit { value } } } } }");
  g_assert_cmpstr (S (r, "data.TestRepo.edges.0.node.commit.value"), ==, "bbb");
  json_node_unref (g_steal_pointer (&r));
  r = run (f, "{ TestRepo { edges { node { commit { value } } } } }");
  g_assert_cmpstr (S (r, "data.TestRepo.edges.0.node.commit.value"), ==, "aaa");
  json_node_unref (g_steal_pointer (&r));

  r = diff (f, "support", FALSE);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 1);
  g_assert_cmpstr (S (r, "data.DiffTree.nodes.0.uuid"), ==, f->site);
  json_node_unref (g_steal_pointer (&r));

  ok_mutation (f, NULL, "mutation { BranchMerge(data: {name: \"support\"}) { ok } }", "BranchMerge");
  r = run (f, "{ TestRepo { edges { node { commit { value } } } } }");
  g_assert_cmpstr (S (r, "data.TestRepo.edges.0.node.commit.value"), ==, "aaa");
}

/* A rebase keeps the side chosen for each conflict, and leaves none open. */
static void
test_conflict_rebase (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  char *v;

  create_branch (f, "rb");
  set_attribute (f, "rb", "TestSite", f->site, "description", "branch atl1");
  set_attribute (f, NULL, "TestSite", f->site, "description", "main atl1");
  set_attribute (f, "rb", "TestSite", f->site2, "description", "branch ord1");
  set_attribute (f, NULL, "TestSite", f->site2, "description", "main ord1");

  r = diff (f, "rb", FALSE);
  g_assert_cmpint (I (r, "data.DiffTree.num_conflicts"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *node = find (r, "data.DiffTree.nodes", "uuid", i == 0 ? f->site : f->site2);
      JsonNode *attr = find (node, "attributes", "name", "description");
      g_autofree char *q = g_strdup_printf ("mutation { ResolveDiffConflict(data: {conflict_id: \"%s\", selected_branch: %s}) { ok } }",
                                            S (attr, "conflict.uuid"), i == 0 ? "BASE_BRANCH" : "DIFF_BRANCH");

      ok_mutation (f, NULL, q, "ResolveDiffConflict");
    }
  json_node_unref (g_steal_pointer (&r));

  ok_mutation (f, NULL, "mutation { BranchRebase(data: {name: \"rb\"}) { ok } }", "BranchRebase");
  v = site_description_at (f, "rb", NULL, "atl1");
  g_assert_cmpstr (v, ==, "main atl1");
  g_free (v);
  v = site_description_at (f, "rb", NULL, "ord1");
  g_assert_cmpstr (v, ==, "branch ord1");
  g_free (v);

  r = diff (f, "rb", FALSE);
  g_assert_cmpint (I (r, "data.DiffTree.num_conflicts"), ==, 0);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 1);
  g_assert_cmpstr (S (r, "data.DiffTree.nodes.0.uuid"), ==, f->site2);
}

/* Unknown branches are named in every mutation's error. */
static void
test_unknown_branch (Fixture       *f,
                     gconstpointer  data)
{
  static const char *mutations[] = { "BranchRebase", "BranchMerge", "BranchValidate", "BranchDelete" };

  for (guint i = 0; i < G_N_ELEMENTS (mutations); i++)
    {
      g_autofree char *q = g_strdup_printf ("mutation { %s(data: {name: \"ghost\"}) { ok } }", mutations[i]);
      g_autoptr(JsonNode) r = run (f, q);

      assert_error (r, mutations[i], "ghost", "not found", NULL);
    }
}

/* DiffTree honours from_time and to_time (the branch's changes made within
 * them), and counts the changes made since the last DiffUpdate. */
static void
test_diff_window_untracked (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *mid = NULL;
  g_autofree char *other = NULL;
  g_autofree char *q = NULL;

  create_branch (f, "win");
  set_attribute (f, "win", "TestSite", f->site, "description", "one");
  ok_mutation (f, NULL, "mutation { DiffUpdate(data: {branch: \"win\"}) { ok } }", "DiffUpdate");
  r = run (f, "{ DiffTree(branch: \"win\") { to_time num_untracked_base_changes num_untracked_diff_changes } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.DiffTree.num_untracked_diff_changes"), ==, 0);
  g_assert_cmpint (I (r, "data.DiffTree.num_untracked_base_changes"), ==, 0);
  mid = g_strdup (S (r, "data.DiffTree.to_time"));
  json_node_unref (g_steal_pointer (&r));

  other = create_on (f, "win", "TestSite", "{name: {value: \"win-2\"}}");
  r = run (f, "{ DiffTree(branch: \"win\") { num_untracked_diff_changes nodes { uuid } } }");
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.DiffTree.num_untracked_diff_changes"), ==, 1);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 2);
  json_node_unref (g_steal_pointer (&r));

  q = g_strdup_printf ("{ DiffTree(branch: \"win\", from_time: \"%s\") { from_time nodes { uuid } } }", mid);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_cmpuint (LEN (r, "data.DiffTree.nodes"), ==, 1);
  g_assert_cmpstr (S (r, "data.DiffTree.nodes.0.uuid"), ==, other);
  json_node_unref (g_steal_pointer (&r));
  g_free (q);

  q = g_strdup_printf ("{ DiffTreeSummary(branch: \"win\", to_time: \"%s\") { num_added num_updated } }", mid);
  r = run (f, q);
  assert_no_errors (r);
  g_assert_cmpint (I (r, "data.DiffTreeSummary.num_added"), ==, 0);
  g_assert_cmpint (I (r, "data.DiffTreeSummary.num_updated"), ==, 1);
  json_node_unref (g_steal_pointer (&r));

  r = run (f, "{ DiffTree(branch: \"win\", from_time: \"not a time\") { num_added } }");
  g_assert_nonnull (at_path (r, "errors"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/gql-branch/create-and-list", test_create_and_list);
  ADD ("/gql-branch/diff-window-untracked", test_diff_window_untracked);
  ADD ("/gql-branch/create-errors", test_create_errors);
  ADD ("/gql-branch/create-in-the-past", test_create_in_the_past);
  ADD ("/gql-branch/update-and-delete", test_update_and_delete);
  ADD ("/gql-branch/merge", test_merge);
  ADD ("/gql-branch/rebase", test_rebase);
  ADD ("/gql-branch/unknown-branch", test_unknown_branch);
  ADD ("/gql-branch/tasks", test_tasks);
  ADD ("/gql-branch/time-travel", test_time_travel);
  ADD ("/gql-branch/concurrent", test_concurrent);
  ADD ("/gql-branch/branch-support", test_branch_support);
  ADD ("/gql-branch/diff/attribute", test_diff_attribute);
  ADD ("/gql-branch/diff/nodes", test_diff_nodes);
  ADD ("/gql-branch/diff/relationships", test_diff_relationships);
  ADD ("/gql-branch/diff/parents", test_diff_parents);
  ADD ("/gql-branch/display-label-fallback", test_display_label_fallback);
  ADD ("/gql-branch/diff/filters", test_diff_filters);
  ADD ("/gql-branch/diff/errors", test_diff_errors);
  ADD ("/gql-branch/diff/large", test_diff_large);
  ADD ("/gql-branch/conflicts/base", test_conflicts);
  ADD ("/gql-branch/conflicts/diff", test_conflict_diff_side);
  ADD ("/gql-branch/conflicts/shapes", test_conflict_shapes);
  ADD ("/gql-branch/conflicts/rebase", test_conflict_rebase);
#undef ADD

  return g_test_run ();
}
