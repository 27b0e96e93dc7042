/* test-gql-permissions.c: authorization through the GraphQL API in-process: the permission
 * matrix (roles view-only, branch-only, default-branch, deny, super admin × kinds × actions ×
 * branches, each cell checking the allowed and the refused outcome), filtered reads (nested
 * peers, generics, counts, search, filters on unreadable peers), the `permissions` fields,
 * the cache following role changes, and the default roles of db init.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "../server/hierarchy-test-common.h"
#include "auth/bough-permission.h"
#include "graphql/bough-graphql-api.h"
#include "gql-test-common.h"

#define BRANCH "br1"
#define STORE(w) ((w)->store.store)

typedef enum
{
  ROLE_VIEW,            /* object:*:*:view:allow_all */
  ROLE_BRANCH,          /* + object:*:*:any:allow_other */
  ROLE_DEFAULT,         /* + object:*:*:any:allow_default, global:edit_default_branch */
  ROLE_DENY,            /* object:*:*:any:allow_all, object:Test:*:any:deny */
  ROLE_SUPER,           /* global:super_admin */
  N_ROLES
} Role;

static const char *role_names[] = { "view", "branch", "default", "deny", "super" };
static const char *role_perms[][5] = {
  { "object:*:*:view:allow_all", NULL },
  { "object:*:*:view:allow_all", "object:*:*:any:allow_other", NULL },
  { "object:*:*:view:allow_all", "object:*:*:any:allow_default", "global:edit_default_branch:allow_all", NULL },
  { "object:*:*:any:allow_all", "object:Test:*:any:deny", NULL },
  { "global:super_admin:allow_all", NULL },
};

typedef enum
{
  ACT_VIEW,
  ACT_CREATE,
  ACT_UPDATE,
  ACT_DELETE,
  ACT_UPSERT,
  ACT_REL_ADD,
  ACT_REL_REMOVE,
  N_ACTS
} Act;

static const char *act_names[] = { "view", "create", "update", "delete", "upsert", "relationship-add",
                                   "relationship-remove" };

/* TestTag is branch-agnostic: its writes change every branch. */
static const char *kinds[] = { "TestSite", "TestTag", "TestDevice" };

typedef struct
{
  StoreFixture     store;
  BoughGraphqlApi *api;
  char            *accounts[N_ROLES];
  char            *site;
  char            *tag;
  char            *device;
  guint            serial;
  GHashTable      *perms;       /* identifier → id: permissions are unique */
} World;

static World world;

typedef struct
{
  Role        role;
  const char *kind;
  Act         act;
  const char *branch;
} Cell;

/* ---- helpers ---- */

static JsonNode *
gql (const char *branch,
     const char *account,
     const char *query)
{
  guint status = 0;
  JsonNode *r = gql_test_request (world.api, branch, NULL, account, query, NULL, &status, NULL);

  g_assert_cmpuint (status, ==, 200);
  return r;
}

static gint64
I (JsonNode   *root,
   const char *path)
{
  JsonNode *n = at_path (root, path);

  g_assert_nonnull (n);
  return json_node_get_int (n);
}

static const char *
S (JsonNode   *root,
   const char *path)
{
  JsonNode *n = at_path (root, path);

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_string (n) : NULL;
}

static void
assert_ok (JsonNode *r)
{
  JsonNode *errors = at_path (r, "errors");

  if (errors != NULL)
    {
      g_autofree char *text = json_to_string (r, FALSE);

      g_error ("unexpected errors: %s", text);
    }
}

/* The response is one refusal: code 403, and data null for that field. */
static void
assert_denied (JsonNode   *r,
               const char *field)
{
  g_autofree char *path = g_strdup_printf ("data.%s", field);
  JsonNode *value = at_path (r, path);

  g_assert_nonnull (at_path (r, "errors.0.message"));
  g_assert_cmpint (I (r, "errors.0.extensions.code"), ==, 403);
  g_assert_true (value == NULL || JSON_NODE_HOLDS_NULL (value));
}

/* Number of nodes of @kind named @name, as the server itself sees them. */
static gint64
count_named (const char *branch,
             const char *kind,
             const char *name)
{
  g_autofree char *q = g_strdup_printf ("{ %s(name__value: \"%s\") { count } }", kind, name);
  g_autoptr(JsonNode) r = gql (branch, NULL, q);
  g_autofree char *path = g_strdup_printf ("data.%s.count", kind);

  assert_ok (r);
  return I (r, path);
}

static char *
create_as_admin (const char *branch,
                 const char *kind,
                 const char *name)
{
  g_autofree char *json = NULL;

  if (g_str_equal (kind, "TestDevice"))
    json = g_strdup_printf ("{'name': {'value': '%s'}, 'site': {'id': '%s'}}", name, world.site);
  else
    json = g_strdup_printf ("{'name': {'value': '%s'}}", name);
  return create_node (STORE (&world), branch, kind, json);
}

static char *
create_nodef (const char *kind,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

/* create_node() on the default branch with a formatted JSON literal. */
static char *
create_nodef (const char *kind,
              const char *format,
              ...)
{
  g_autofree char *json = NULL;
  va_list args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);
  return create_node (STORE (&world), NULL, kind, json);
}

/* The data of a create or upsert of @kind named @name, GraphQL syntax. */
static char *
create_data (const char *kind,
             const char *name)
{
  if (g_str_equal (kind, "TestDevice"))
    return g_strdup_printf ("{ name: { value: \"%s\" }, site: { id: \"%s\" } }", name, world.site);
  return g_strdup_printf ("{ name: { value: \"%s\" } }", name);
}

static char *
new_name (const char *what)
{
  return g_strdup_printf ("%s-%u", what, ++world.serial);
}

/* ---- the rules, written out independently of the implementation ---- */

static gboolean
agnostic (const char *kind)
{
  return g_str_equal (kind, "TestTag");
}

static gboolean
expected (Role        role,
          const char *kind,
          Act         act,
          const char *branch)
{
  /* writes of an agnostic kind count as writes of the default branch */
  gboolean on_default = branch == NULL || agnostic (kind);

  switch (role)
    {
    case ROLE_SUPER:
      return TRUE;
    case ROLE_DENY:
      return FALSE;           /* the deny of Test:* is more specific */
    case ROLE_VIEW:
      return act == ACT_VIEW;
    case ROLE_BRANCH:
      return act == ACT_VIEW || !on_default;
    case ROLE_DEFAULT:
      return act == ACT_VIEW || on_default;
    case N_ROLES:
    default:
      g_assert_not_reached ();
    }
}

/* ---- one cell ---- */

/* Runs @cell's action as @role; asserts it has the effect when @allow and
 * is refused with nothing written otherwise. */
static void
run_cell (const Cell *cell,
          Role        role,
          gboolean    allow)
{
  const char *account = world.accounts[role];
  const char *kind = cell->kind;
  const char *branch = cell->branch;
  g_autoptr(JsonNode) r = NULL;
  g_autofree char *q = NULL;
  g_autofree char *field = NULL;
  g_autofree char *name = new_name (role_names[role]);

  switch (cell->act)
    {
    case ACT_VIEW:
      {
        g_autofree char *seen = create_as_admin (branch, kind, name);
        g_autofree char *count_path = g_strdup_printf ("data.%s.count", kind);
        g_autofree char *edges_path = g_strdup_printf ("data.%s.edges.0", kind);

        q = g_strdup_printf ("{ %s(name__value: \"%s\") { count edges { node { id } } } }", kind, name);
        r = gql (branch, account, q);
        assert_ok (r);
        if (allow)
          {
            g_autofree char *id_path = g_strdup_printf ("data.%s.edges.0.node.id", kind);

            g_assert_cmpint (I (r, count_path), ==, 1);
            g_assert_cmpstr (S (r, id_path), ==, seen);
          }
        else
          {
            g_assert_cmpint (I (r, count_path), ==, 0);
            g_assert_null (at_path (r, edges_path));
          }
      }
      break;
    case ACT_CREATE:
    case ACT_UPSERT:
      {
        g_autofree char *data = create_data (kind, name);
        const char *op = cell->act == ACT_CREATE ? "Create" : "Upsert";

        field = g_strconcat (kind, op, NULL);
        q = g_strdup_printf ("mutation { %s(data: %s) { ok object { id } } }", field, data);
        r = gql (branch, account, q);
        if (allow)
          assert_ok (r);
        else
          assert_denied (r, field);
        g_assert_cmpint (count_named (branch, kind, name), ==, allow ? 1 : 0);
      }
      break;
    case ACT_UPDATE:
      {
        g_autofree char *id = create_as_admin (branch, kind, name);
        g_autofree char *renamed = g_strconcat (name, "-renamed", NULL);

        field = g_strconcat (kind, "Update", NULL);
        q = g_strdup_printf ("mutation { %s(data: { id: \"%s\", name: { value: \"%s\" } }) { ok } }",
                             field, id, renamed);
        r = gql (branch, account, q);
        if (allow)
          assert_ok (r);
        else
          assert_denied (r, field);
        g_assert_cmpint (count_named (branch, kind, renamed), ==, allow ? 1 : 0);
        g_assert_cmpint (count_named (branch, kind, name), ==, allow ? 0 : 1);
      }
      break;
    case ACT_DELETE:
      {
        g_autofree char *id = create_as_admin (branch, kind, name);

        field = g_strconcat (kind, "Delete", NULL);
        q = g_strdup_printf ("mutation { %s(data: { id: \"%s\" }) { ok } }", field, id);
        r = gql (branch, account, q);
        if (allow)
          assert_ok (r);
        else
          assert_denied (r, field);
        g_assert_cmpint (count_named (branch, kind, name), ==, allow ? 0 : 1);
      }
      break;
    case ACT_REL_ADD:
    case ACT_REL_REMOVE:
      {
        g_autofree char *tag = create_as_admin (branch, "TestTag", name);
        /* a device of its own: tags take at most 3 peers */
        g_autofree char *dev_name = g_strconcat (name, "-dev", NULL);
        g_autofree char *device = create_as_admin (branch, "TestDevice", dev_name);
        g_autofree char *check = NULL;
        g_autoptr(JsonNode) after = NULL;
        gint64 expected_count;

        field = g_strdup (cell->act == ACT_REL_ADD ? "RelationshipAdd" : "RelationshipRemove");
        if (cell->act == ACT_REL_REMOVE)
          {
            g_autofree char *add = g_strdup_printf (
              "mutation { RelationshipAdd(data: { id: \"%s\", name: \"tags\", nodes: [{ id: \"%s\" }] }) { ok } }",
              device, tag);
            g_autoptr(JsonNode) added = gql (branch, NULL, add);

            assert_ok (added);
          }
        q = g_strdup_printf ("mutation { %s(data: { id: \"%s\", name: \"tags\", nodes: [{ id: \"%s\" }] }) { ok } }",
                             field, device, tag);
        r = gql (branch, account, q);
        if (allow)
          assert_ok (r);
        else
          assert_denied (r, field);
        check = g_strdup_printf ("{ TestDevice(ids: [\"%s\"]) { edges { node { tags(ids: [\"%s\"]) { count } } } } }",
                                 device, tag);
        after = gql (branch, NULL, check);
        assert_ok (after);
        /* linked after an allowed add or a refused remove */
        expected_count = (cell->act == ACT_REL_ADD) == allow ? 1 : 0;
        g_assert_cmpint (I (after, "data.TestDevice.edges.0.node.tags.count"), ==, expected_count);
      }
      break;
    case N_ACTS:
    default:
      g_assert_not_reached ();
    }
}

static void
test_cell (gconstpointer data)
{
  const Cell *cell = data;
  gboolean allow = expected (cell->role, cell->kind, cell->act, cell->branch);
  Role other = ROLE_SUPER;

  run_cell (cell, cell->role, allow);
  /* the other outcome of the same cell, from a role that gets it */
  if (allow)
    {
      for (Role r = 0; r < N_ROLES; r++)
        if (!expected (r, cell->kind, cell->act, cell->branch))
          {
            other = r;
            break;
          }
    }
  g_assert_cmpint (expected (other, cell->kind, cell->act, cell->branch), !=, allow);
  run_cell (cell, other, !allow);
}

/* ---- reads ---- */

/* A role that may view devices but not tags or sites. */
static char *
account_with (const char * const *identifiers)
{
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) perms = g_string_new ("[");
  g_autofree char *name = new_name ("acct");
  g_autofree char *account = NULL, *role = NULL, *json = NULL;

  account = create_nodef ("CoreAccount", "{'name': {'value': '%s'}, 'password': {'value': 'pw-%s'}}", name, name);
  for (guint i = 0; identifiers[i] != NULL; i++)
    {
      g_auto(GStrv) p = g_strsplit (identifiers[i], ":", -1);
      char *perm = g_hash_table_lookup (world.perms, identifiers[i]);
      guint decision = g_str_equal (p[g_strv_length (p) - 1], "deny") ? 1
                       : g_str_equal (p[g_strv_length (p) - 1], "allow_default") ? 2
                       : g_str_equal (p[g_strv_length (p) - 1], "allow_other") ? 4 : 6;

      if (perm != NULL)
        {
          g_string_append_printf (perms, "%s{'id': '%s'}", i > 0 ? ", " : "", perm);
          continue;
        }
      if (g_str_equal (p[0], "global"))
        json = g_strdup_printf ("{'action': {'value': '%s'}, 'decision': {'value': %u}}", p[1], decision);
      else
        json = g_strdup_printf ("{'namespace': {'value': '%s'}, 'name': {'value': '%s'}, 'action': {'value': '%s'},"
                                " 'decision': {'value': %u}}", p[1], p[2], p[3], decision);
      perm = create_node (STORE (&world), NULL, g_str_equal (p[0], "global") ? "CoreGlobalPermission"
                                                                             : "CoreObjectPermission", json);
      g_clear_pointer (&json, g_free);
      g_hash_table_insert (world.perms, g_strdup (identifiers[i]), perm);
      g_string_append_printf (perms, "%s{'id': '%s'}", i > 0 ? ", " : "", perm);
    }
  g_string_append (perms, "]");
  json = g_strdup_printf ("{'name': {'value': 'role-%s'}, 'permissions': %s}", name, perms->str);
  role = create_node (STORE (&world), NULL, "CoreAccountRole", json);
  g_free (json);
  json = g_strdup_printf ("{'name': {'value': 'group-%s'}, 'roles': [{'id': '%s'}], 'members': [{'id': '%s'}]}",
                          name, role, account);
  g_free (create_node (STORE (&world), NULL, "CoreAccountGroup", json));
  return g_steal_pointer (&account);
}

static void
test_nested_filtered (void)
{
  const char *ids[] = { "object:Test:Device:view:allow_all", "object:Core:*:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autofree char *q = g_strdup_printf (
    "{ TestDevice(ids: [\"%s\"]) { count edges { node { id site { node { id } } tags { count edges { node { id } } } } } } }",
    world.device);
  g_autoptr(JsonNode) admin = gql (NULL, NULL, q);
  g_autoptr(JsonNode) r = gql (NULL, account, q);

  assert_ok (admin);
  g_assert_cmpint (I (admin, "data.TestDevice.edges.0.node.tags.count"), >=, 1);
  g_assert_nonnull (S (admin, "data.TestDevice.edges.0.node.site.node.id"));
  assert_ok (r);
  g_assert_cmpint (I (r, "data.TestDevice.count"), ==, 1);
  g_assert_cmpint (I (r, "data.TestDevice.edges.0.node.tags.count"), ==, 0);
  g_assert_null (at_path (r, "data.TestDevice.edges.0.node.tags.edges.0"));
  /* as for a device without a site */
  g_assert_nonnull (at_path (r, "data.TestDevice.edges.0.node.site"));
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.TestDevice.edges.0.node.site")));
  /* nor through a list of its own */
  json_node_unref (r);
  r = gql (NULL, account, "{ TestSite { count edges { node { id } } } TestTag { count } }");
  assert_ok (r);
  g_assert_cmpint (I (r, "data.TestSite.count"), ==, 0);
  g_assert_cmpint (I (r, "data.TestTag.count"), ==, 0);
}

/* RELIABILITY 21: a filter through peers one may not read answers as if
 * they did not exist, whether the value matches or not. */
static void
test_filter_no_oracle (void)
{
  const char *ids[] = { "object:Test:Device:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autoptr(JsonNode) hit = gql (NULL, account, "{ TestDevice(tags__name__value: \"red\") { count } }");
  g_autoptr(JsonNode) miss = gql (NULL, account, "{ TestDevice(tags__name__value: \"no-such-tag\") { count } }");
  g_autoptr(JsonNode) site_hit = gql (NULL, account, "{ TestDevice(site__name__value: \"atl1\") { count } }");
  g_autoptr(JsonNode) admin = gql (NULL, NULL, "{ TestDevice(tags__name__value: \"red\") { count } }");

  assert_ok (admin);
  g_assert_cmpint (I (admin, "data.TestDevice.count"), ==, 1);
  assert_ok (hit);
  assert_ok (miss);
  assert_ok (site_hit);
  g_assert_cmpint (I (hit, "data.TestDevice.count"), ==, I (miss, "data.TestDevice.count"));
  g_assert_cmpint (I (site_hit, "data.TestDevice.count"), ==, 0);
}

/* A generic lists and counts only the kinds one may view, pages included. */
static void
test_generic_partial (void)
{
  const char *ids[] = { "object:Test:Appliance:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autoptr(JsonNode) admin = NULL;
  g_autoptr(JsonNode) r = NULL;
  g_autoptr(JsonNode) page = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = new_name ("appliance");

      g_free (create_nodef ("TestAppliance", "{'name': {'value': '%s'}}", name));
    }
  admin = gql (NULL, NULL, "{ TestEquipment { count } }");
  r = gql (NULL, account, "{ TestEquipment { count edges { node { __typename } } } }");
  page = gql (NULL, account, "{ TestEquipment(offset: 1, limit: 1) { count edges { node { __typename } } } }");
  assert_ok (admin);
  assert_ok (r);
  assert_ok (page);
  g_assert_cmpint (I (r, "data.TestEquipment.count"), ==, 3);
  g_assert_cmpint (I (admin, "data.TestEquipment.count"), >, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("data.TestEquipment.edges.%u.node.__typename", i);

      g_assert_cmpstr (S (r, path), ==, "TestAppliance");
    }
  g_assert_cmpint (I (page, "data.TestEquipment.count"), ==, 3);
  g_assert_nonnull (at_path (page, "data.TestEquipment.edges.0"));
  g_assert_null (at_path (page, "data.TestEquipment.edges.1"));
}

static void
test_search_and_relationships (void)
{
  const char *ids[] = { "object:Test:Site:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autofree char *by_id = g_strdup_printf ("{ InfrahubSearchAnywhere(q: \"%s\") { count edges { node { id } } } }",
                                            world.device);
  g_autoptr(JsonNode) r = gql (NULL, account, by_id);
  g_autoptr(JsonNode) a = gql (NULL, NULL, by_id);
  g_autoptr(JsonNode) text = gql (NULL, account, "{ InfrahubSearchAnywhere(q: \"edge-seed\") { count } }");
  g_autoptr(JsonNode) text_admin = gql (NULL, NULL, "{ InfrahubSearchAnywhere(q: \"edge-seed\") { count } }");

  assert_ok (r);
  assert_ok (a);
  g_assert_cmpint (I (a, "data.InfrahubSearchAnywhere.count"), ==, 1);
  g_assert_cmpint (I (r, "data.InfrahubSearchAnywhere.count"), ==, 0);
  assert_ok (text);
  assert_ok (text_admin);
  g_assert_cmpint (I (text_admin, "data.InfrahubSearchAnywhere.count"), >=, 1);
  g_assert_cmpint (I (text, "data.InfrahubSearchAnywhere.count"), ==, 0);
}

/* Relationship(ids): links to a kind the caller may not view are left out
 * of the page and of the count, whatever the page. */
static void
test_relationship_count (void)
{
  const char *ids[] = { "object:Test:Site:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autofree char *name = new_name ("rel-device");
  g_autofree char *extra = create_as_admin (NULL, "TestDevice", name);
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = bough_store_get_schema (STORE (&world), NULL, 0, &error);
  BoughRelationshipSchema *rel = bough_node_schema_get_relationship (bough_schema_lookup (schema, "TestDevice"),
                                                                     "site");
  g_autofree char *q = g_strdup_printf ("{ Relationship(ids: [\"%s\"], limit: 1) { count edges { node { id } } } }",
                                        rel->identifier);
  g_autoptr(JsonNode) admin = gql (NULL, NULL, q);
  g_autoptr(JsonNode) viewer = gql (NULL, account, q);

  assert_ok (admin);
  assert_ok (viewer);
  g_assert_cmpint (I (admin, "data.Relationship.count"), >=, 2);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (at_path (admin, "data.Relationship.edges"))), ==, 1);
  g_assert_cmpint (I (viewer, "data.Relationship.count"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (at_path (viewer, "data.Relationship.edges"))), ==, 0);
}

static void
test_permissions_fields (void)
{
  g_autoptr(JsonNode) view = gql (NULL, world.accounts[ROLE_VIEW],
                                  "{ TestSite { permissions { edges { node { kind view create update delete } } } } }");
  g_autoptr(JsonNode) branch = gql (NULL, world.accounts[ROLE_BRANCH],
                                    "{ TestSite { permissions { edges { node { view create } } } "
                                    "edges { node { name { permissions { update_value } } } } } }");
  g_autoptr(JsonNode) deny = gql (NULL, world.accounts[ROLE_DENY],
                                  "{ TestSite { permissions { edges { node { view delete } } } } }");

  assert_ok (view);
  g_assert_cmpstr (S (view, "data.TestSite.permissions.edges.0.node.kind"), ==, "TestSite");
  g_assert_cmpstr (S (view, "data.TestSite.permissions.edges.0.node.view"), ==, "ALLOW");
  g_assert_cmpstr (S (view, "data.TestSite.permissions.edges.0.node.create"), ==, "DENY");
  assert_ok (branch);
  g_assert_cmpstr (S (branch, "data.TestSite.permissions.edges.0.node.create"), ==, "ALLOW_OTHER");
  g_assert_cmpstr (S (branch, "data.TestSite.edges.0.node.name.permissions.update_value"), ==, "ALLOW_OTHER");
  assert_ok (deny);
  g_assert_cmpstr (S (deny, "data.TestSite.permissions.edges.0.node.view"), ==, "DENY");
  g_assert_cmpstr (S (deny, "data.TestSite.permissions.edges.0.node.delete"), ==, "DENY");
  /* writes of an agnostic kind take the right of the default branch */
  {
    g_autoptr(JsonNode) tag_branch = gql (BRANCH, world.accounts[ROLE_BRANCH],
                                          "{ TestTag { permissions { edges { node { view create } } } } }");
    g_autoptr(JsonNode) tag_default = gql (BRANCH, world.accounts[ROLE_DEFAULT],
                                           "{ TestTag { permissions { edges { node { create } } } } }");

    assert_ok (tag_branch);
    assert_ok (tag_default);
    g_assert_cmpstr (S (tag_branch, "data.TestTag.permissions.edges.0.node.view"), ==, "ALLOW");
    g_assert_cmpstr (S (tag_branch, "data.TestTag.permissions.edges.0.node.create"), ==, "DENY");
    g_assert_cmpstr (S (tag_default, "data.TestTag.permissions.edges.0.node.create"), ==, "ALLOW");
  }
}

/* Links to nodes one may not view are refused like links to unknown ones:
 * no oracle, nothing written. */
static void
test_hidden_peers (void)
{
  const char *ids[] = { "object:Test:Device:any:allow_all", "object:Test:Site:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autofree char *name = new_name ("linker");
  g_autofree char *device = create_as_admin (NULL, "TestDevice", name);
  g_autofree char *add = g_strdup_printf (
    "mutation { RelationshipAdd(data: { id: \"%s\", name: \"tags\", nodes: [{ id: \"%s\" }] }) { ok } }",
    device, world.tag);
  g_autofree char *add_unknown = g_strdup_printf (
    "mutation { RelationshipAdd(data: { id: \"%s\", name: \"tags\", nodes: [{ id: \"%s\" }] }) { ok } }",
    device, "01a2196b-0000-7000-8000-00000000abcd");
  g_autofree char *create = g_strdup_printf (
    "mutation { TestDeviceCreate(data: { name: { value: \"%s-2\" }, site: { id: \"%s\" }, tags: [{ id: \"%s\" }] }) { ok } }",
    name, world.site, world.tag);
  g_autofree char *by_hfid = g_strdup_printf (
    "mutation { TestDeviceCreate(data: { name: { value: \"%s-3\" }, site: { id: \"%s\" }, tags: [{ hfid: [\"red\"] }] }) { ok } }",
    name, world.site);
  g_autofree char *check = g_strdup_printf ("{ TestDevice(ids: [\"%s\"]) { edges { node { tags { count } } } } }", device);
  g_autofree char *created_name = g_strdup_printf ("%s-2", name);
  g_autofree char *hfid_name = g_strdup_printf ("%s-3", name);
  g_autoptr(JsonNode) r1 = gql (NULL, account, add);
  g_autoptr(JsonNode) r2 = gql (NULL, account, add_unknown);
  g_autoptr(JsonNode) r3 = gql (NULL, account, create);
  g_autoptr(JsonNode) r4 = gql (NULL, account, by_hfid);
  g_autoptr(JsonNode) after = gql (NULL, NULL, check);
  g_autofree char *m1 = NULL, *m2 = NULL;

  assert_denied (r1, "RelationshipAdd");
  assert_denied (r2, "RelationshipAdd");
  /* the same answer but for the id echoed */
  m1 = g_strdup (S (r1, "errors.0.message"));
  m2 = g_strdup (S (r2, "errors.0.message"));
  g_assert_nonnull (strstr (m1, world.tag));
  g_assert_nonnull (strstr (m2, "01a2196b-0000-7000-8000-00000000abcd"));
  g_assert_cmpuint (strlen (m1), ==, strlen (m2));
  assert_denied (r3, "TestDeviceCreate");
  /* on a node one may not view, or on no node: the same refusal */
  {
    g_autofree char *on_tag = g_strdup_printf (
      "mutation { RelationshipAdd(data: { id: \"%s\", name: \"tags\", nodes: [] }) { ok } }", world.tag);
    g_autofree char *on_nothing = g_strdup_printf (
      "mutation { RelationshipAdd(data: { id: \"%s\", name: \"tags\", nodes: [] }) { ok } }",
      "01a2196b-0000-7000-8000-00000000abce");
    g_autoptr(JsonNode) t1 = gql (NULL, account, on_tag);
    g_autoptr(JsonNode) t2 = gql (NULL, account, on_nothing);

    assert_denied (t1, "RelationshipAdd");
    assert_denied (t2, "RelationshipAdd");
    g_assert_cmpuint (strlen (S (t1, "errors.0.message")), ==, strlen (S (t2, "errors.0.message")));
    g_assert_null (strstr (S (t1, "errors.0.message"), "Tag"));
  }
  assert_denied (r4, "TestDeviceCreate");
  assert_ok (after);
  g_assert_cmpint (I (after, "data.TestDevice.edges.0.node.tags.count"), ==, 0);
  g_assert_cmpint (count_named (NULL, "TestDevice", created_name), ==, 0);
  g_assert_cmpint (count_named (NULL, "TestDevice", hfid_name), ==, 0);
}

/* The source and owner of a value are nodes too: hidden when their kind is. */
static void
test_hidden_properties (void)
{
  const char *ids[] = { "object:Test:*:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autofree char *name = new_name ("sourced");
  g_autofree char *site = create_nodef ("TestSite", "{'name': {'value': '%s', 'source': '%s', 'owner': '%s'}}",
                                        name, account, account);
  g_autofree char *q = g_strdup_printf ("{ TestSite(ids: [\"%s\"]) { edges { node { name { value source { id } owner { id } } } } } }",
                                        site);
  g_autoptr(JsonNode) admin = gql (NULL, NULL, q);
  g_autoptr(JsonNode) r = gql (NULL, account, q);

  assert_ok (admin);
  assert_ok (r);
  g_assert_cmpstr (S (admin, "data.TestSite.edges.0.node.name.source.id"), ==, account);
  g_assert_cmpstr (S (r, "data.TestSite.edges.0.node.name.value"), ==, name);
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.TestSite.edges.0.node.name.source")));
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.TestSite.edges.0.node.name.owner")));
}

/* Stored queries are objects too: writing one needs the right on
 * CoreGraphQLQuery, and nothing is stored when refused. */
static void
test_stored_query_write (void)
{
  const char *q = "mutation { CoreGraphQLQueryCreate(data: { name: { value: \"%s\" },"
                  " query: { value: \"query { TestSite { count } }\" } }) { ok } }";
  g_autofree char *name_view = new_name ("stored");
  g_autofree char *name_branch = new_name ("stored");
  g_autofree char *q_view = g_strdup_printf (q, name_view);
  g_autofree char *q_branch = g_strdup_printf (q, name_branch);
  g_autoptr(JsonNode) view = gql (NULL, world.accounts[ROLE_VIEW], q_view);
  g_autoptr(JsonNode) branch = gql (BRANCH, world.accounts[ROLE_BRANCH], q_branch);

  assert_denied (view, "CoreGraphQLQueryCreate");
  g_assert_cmpint (count_named (NULL, "CoreGraphQLQuery", name_view), ==, 0);
  assert_ok (branch);
  g_assert_cmpint (count_named (BRANCH, "CoreGraphQLQuery", name_branch), ==, 1);
}

/* Hierarchy fields leave out the levels one may not view. */
static void
test_hierarchy (void)
{
  const char *ids[] = { "object:Test:City:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autofree char *region = create_nodef ("TestRegion", "{'name': {'value': 'eu'}}");
  g_autofree char *city = create_nodef ("TestCity", "{'name': {'value': 'paris'}, 'parent': {'id': '%s'}}", region);
  g_autofree char *room = create_nodef ("TestRoom", "{'name': {'value': 'p1'}, 'parent': {'id': '%s'}}", city);
  const char *q = "{ TestCity { count edges { node { id"
                  "  parent { node { id } }"
                  "  children { count edges { node { id } } }"
                  "  ancestors { count edges { node { id } } }"
                  "  descendants { count edges { node { id } } } } } }"
                  "  TestLocation { count } }";
  g_autoptr(JsonNode) admin = gql (NULL, NULL, q);
  g_autoptr(JsonNode) r = gql (NULL, account, q);

  assert_ok (admin);
  g_assert_cmpstr (S (admin, "data.TestCity.edges.0.node.parent.node.id"), ==, region);
  g_assert_cmpint (I (admin, "data.TestCity.edges.0.node.children.count"), ==, 1);
  g_assert_cmpint (I (admin, "data.TestCity.edges.0.node.ancestors.count"), ==, 1);
  g_assert_cmpint (I (admin, "data.TestCity.edges.0.node.descendants.count"), ==, 1);
  g_assert_cmpint (I (admin, "data.TestLocation.count"), ==, 3);
  assert_ok (r);
  g_assert_cmpint (I (r, "data.TestCity.count"), ==, 1);
  g_assert_cmpstr (S (r, "data.TestCity.edges.0.node.id"), ==, city);
  g_assert_true (JSON_NODE_HOLDS_NULL (at_path (r, "data.TestCity.edges.0.node.parent")));
  g_assert_cmpint (I (r, "data.TestCity.edges.0.node.children.count"), ==, 0);
  g_assert_cmpint (I (r, "data.TestCity.edges.0.node.ancestors.count"), ==, 0);
  g_assert_cmpint (I (r, "data.TestCity.edges.0.node.descendants.count"), ==, 0);
  g_assert_cmpint (I (r, "data.TestLocation.count"), ==, 1);
  g_assert_nonnull (room);
}

/* Account kinds need manage_accounts, roles and permissions
 * manage_permissions, whatever the object permissions say: no escalation. */
/* Branch mutations: merging writes onto the default branch and takes
 * global:merge_branch; the rest of a branch's life takes the right to
 * change data on branches. */
static void
test_branch_mutations (void)
{
  const char *merger_ids[] = { "object:*:*:any:allow_other", "global:merge_branch:allow_all", NULL };
  g_autofree char *merger = account_with (merger_ids);
  g_autofree char *name = new_name ("perm-branch");
  g_autofree char *create = g_strdup_printf ("mutation { BranchCreate(data: { name: \"%s\" }) { ok } }", name);
  g_autofree char *merge = g_strdup_printf ("mutation { BranchMerge(data: { name: \"%s\" }) { ok } }", name);
  g_autofree char *q = g_strdup_printf ("{ Branch(name: \"%s\") { name } }", name);
  g_autoptr(JsonNode) r = NULL;

  /* view-only: no branch of its own */
  r = gql (NULL, world.accounts[ROLE_VIEW], create);
  assert_denied (r, "BranchCreate");
  g_clear_pointer (&r, json_node_unref);
  r = gql (NULL, NULL, q);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (at_path (r, "data.Branch"))), ==, 0);
  g_clear_pointer (&r, json_node_unref);

  /* branch-only: creates it, may not merge it */
  r = gql (NULL, world.accounts[ROLE_BRANCH], create);
  assert_ok (r);
  g_clear_pointer (&r, json_node_unref);
  r = gql (NULL, world.accounts[ROLE_BRANCH], merge);
  assert_denied (r, "BranchMerge");
  g_assert_nonnull (strstr (S (r, "errors.0.message"), "merge_branch"));
  g_clear_pointer (&r, json_node_unref);
  r = gql (NULL, world.accounts[ROLE_VIEW], merge);
  assert_denied (r, "BranchMerge");
  g_clear_pointer (&r, json_node_unref);

  /* with merge_branch it merges */
  r = gql (NULL, merger, merge);
  assert_ok (r);
  g_assert_true (json_node_get_boolean (at_path (r, "data.BranchMerge.ok")));
}

/* A diff shows nothing of the kinds the caller may not view: neither their
 * nodes nor the counts. */
static void
test_diff_filtered (void)
{
  g_autofree char *name = new_name ("perm-diff");
  g_autofree char *create = g_strdup_printf ("mutation { BranchCreate(data: { name: \"%s\" }) { ok } }", name);
  g_autofree char *site = new_name ("diff-site");
  g_autofree char *q = g_strdup_printf ("{ DiffTree(branch: \"%s\") { num_added nodes { kind label } } }", name);
  g_autoptr(JsonNode) made = gql (NULL, NULL, create);
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) as_super = NULL;
  g_autoptr(JsonNode) as_deny = NULL;
  g_autoptr(JsonNode) update = NULL;
  g_autofree char *update_q = NULL;
  JsonArray *nodes;

  assert_ok (made);
  id = create_as_admin (name, "TestSite", site);
  update_q = g_strdup_printf ("mutation { DiffUpdate(data: { branch: \"%s\" }) { ok } }", name);
  update = gql (NULL, NULL, update_q);
  assert_ok (update);
  as_super = gql (name, world.accounts[ROLE_SUPER], q);
  assert_ok (as_super);
  nodes = json_node_get_array (at_path (as_super, "data.DiffTree.nodes"));
  g_assert_cmpuint (json_array_get_length (nodes), ==, 1);
  g_assert_cmpstr (S (as_super, "data.DiffTree.nodes.0.kind"), ==, "TestSite");
  g_assert_cmpint (I (as_super, "data.DiffTree.num_added"), ==, 1);

  /* the deny role may not view Test kinds */
  as_deny = gql (name, world.accounts[ROLE_DENY], q);
  assert_ok (as_deny);
  nodes = json_node_get_array (at_path (as_deny, "data.DiffTree.nodes"));
  g_assert_cmpuint (json_array_get_length (nodes), ==, 0);
  g_assert_cmpint (I (as_deny, "data.DiffTree.num_added"), ==, 0);
}

/* A change on the default branch takes global:edit_default_branch besides
 * the object permission; on another branch the object permission does. */
static void
test_edit_default_branch (void)
{
  const char *ids[] = { "object:*:*:any:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autofree char *name = new_name ("edb-site");
  g_autofree char *q = g_strdup_printf ("mutation { TestSiteCreate(data: { name: { value: \"%s\" } }) { ok } }", name);
  g_autoptr(JsonNode) on_main = gql (NULL, account, q);
  g_autoptr(JsonNode) on_branch = gql (BRANCH, account, q);

  assert_denied (on_main, "TestSiteCreate");
  g_assert_nonnull (strstr (S (on_main, "errors.0.message"), "edit_default_branch"));
  g_assert_cmpint (count_named (NULL, "TestSite", name), ==, 0);
  assert_ok (on_branch);
  g_assert_cmpint (count_named (BRANCH, "TestSite", name), ==, 1);
}

static void
test_no_escalation (void)
{
  const char *ids[] = { "object:*:*:any:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autoptr(JsonNode) role = gql (NULL, account,
                                  "mutation { CoreAccountRoleCreate(data: { name: { value: \"mine\" } }) { ok } }");
  g_autoptr(JsonNode) perm = gql (NULL, account,
                                  "mutation { CoreGlobalPermissionCreate(data: { action: { value: \"super_admin\" } }) { ok } }");
  g_autoptr(JsonNode) acct = gql (NULL, account,
                                  "mutation { CoreAccountCreate(data: { name: { value: \"sneaky\" }, password: { value: \"x-pw-1234\" } }) { ok } }");

  assert_denied (role, "CoreAccountRoleCreate");
  assert_denied (perm, "CoreGlobalPermissionCreate");
  assert_denied (acct, "CoreAccountCreate");
  g_assert_cmpint (count_named (NULL, "CoreAccountRole", "mine"), ==, 0);
  g_assert_cmpint (count_named (NULL, "CoreAccount", "sneaky"), ==, 0);
}

/* A mutation refused in a batch writes nothing of its own and the others
 * still run; the permission cache follows role changes at once. */
static void
test_cache_follows_changes (void)
{
  const char *ids[] = { "object:Test:Site:view:allow_all", NULL };
  g_autofree char *account = account_with (ids);
  g_autoptr(JsonNode) before = gql (NULL, account, "{ TestTag { count } }");
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) removed = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autofree char *perm = NULL, *q = NULL, *group_q = NULL;
  const char *group;

  assert_ok (before);
  g_assert_cmpint (I (before, "data.TestTag.count"), ==, 0);
  /* give the account's role view on tags */
  group_q = g_strdup_printf ("{ CoreAccountGroup(members__ids: [\"%s\"]) { edges { node { id roles { edges { node { id } } } } } } }",
                             account);
  found = gql (NULL, NULL, group_q);
  assert_ok (found);
  group = S (found, "data.CoreAccountGroup.edges.0.node.id");
  g_assert_nonnull (group);
  perm = create_nodef ("CoreObjectPermission",
                       "{'namespace': {'value': 'Test'}, 'name': {'value': 'Tag'}, 'action': {'value': 'view'},"
                       " 'decision': {'value': 6}, 'roles': [{'id': '%s'}]}",
                       S (found, "data.CoreAccountGroup.edges.0.node.roles.edges.0.node.id"));
  after = gql (NULL, account, "{ TestTag { count } }");
  assert_ok (after);
  g_assert_cmpint (I (after, "data.TestTag.count"), >, 0);
  /* out of the group: nothing at all */
  q = g_strdup_printf ("mutation { RelationshipRemove(data: { id: \"%s\", name: \"members\", nodes: [{ id: \"%s\" }] }) { ok } }",
                       group, account);
  g_free (perm);
  perm = NULL;
  {
    g_autoptr(JsonNode) out = gql (NULL, NULL, q);

    assert_ok (out);
  }
  removed = gql (NULL, account, "{ TestTag { count } TestSite { count } }");
  assert_ok (removed);
  g_assert_cmpint (I (removed, "data.TestTag.count"), ==, 0);
  g_assert_cmpint (I (removed, "data.TestSite.count"), ==, 0);
}

/* The default roles and groups of db init, and the anonymous role. */
static void
test_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *admin = create_node (STORE (&world), NULL, "CoreAccount",
                                        "{'name': {'value': 'admin'}, 'password': {'value': 'pw-admin-123'}}");
  g_autofree char *user = create_node (STORE (&world), NULL, "CoreAccount",
                                       "{'name': {'value': 'user1'}, 'password': {'value': 'pw-user-123'}}");
  g_autoptr(BoughPermissions) admin_perms = NULL;
  g_autoptr(BoughPermissions) user_perms = NULL;
  g_autoptr(BoughPermissions) anonymous = NULL;
  g_autoptr(JsonNode) roles = NULL;
  g_autoptr(JsonNode) joined = NULL;
  g_autofree char *join = NULL;

  g_assert_true (bough_permissions_init_defaults (STORE (&world), admin, &error));
  g_assert_no_error (error);
  /* again: nothing more */
  g_assert_true (bough_permissions_init_defaults (STORE (&world), admin, &error));
  g_assert_no_error (error);
  roles = gql (NULL, NULL, "{ CoreAccountRole(name__value: \"" BOUGH_ROLE_SUPER_ADMIN "\") { count } "
                           "CoreAccountGroup(name__value: \"" BOUGH_GROUP_USERS "\") { count edges { node { id } } } }");
  assert_ok (roles);
  g_assert_cmpint (I (roles, "data.CoreAccountRole.count"), ==, 1);
  g_assert_cmpint (I (roles, "data.CoreAccountGroup.count"), ==, 1);
  join = g_strdup_printf ("mutation { RelationshipAdd(data: { id: \"%s\", name: \"members\", nodes: [{ id: \"%s\" }] }) { ok } }",
                          S (roles, "data.CoreAccountGroup.edges.0.node.id"), user);
  joined = gql (NULL, NULL, join);
  assert_ok (joined);

  admin_perms = bough_permissions_for_account (STORE (&world), admin, &error);
  g_assert_no_error (error);
  g_assert_true (bough_permissions_is_super_admin (admin_perms));
  user_perms = bough_permissions_for_account (STORE (&world), user, &error);
  g_assert_no_error (error);
  g_assert_false (bough_permissions_is_super_admin (user_perms));
  g_assert_true (bough_permissions_allows_object (user_perms, "Test", "Site", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_false (bough_permissions_allows_object (user_perms, "Test", "Site", BOUGH_PERMISSION_CREATE, TRUE));
  g_assert_true (bough_permissions_allows_object (user_perms, "Test", "Site", BOUGH_PERMISSION_CREATE, FALSE));
  g_assert_true (bough_permissions_allows_global (user_perms, "manage_schema", TRUE));
  g_assert_false (bough_permissions_allows_global (user_perms, "manage_accounts", TRUE));
  anonymous = bough_permissions_for_account (STORE (&world), BOUGH_ACCOUNT_ANONYMOUS, &error);
  g_assert_no_error (error);
  g_assert_true (bough_permissions_allows_object (anonymous, "Test", "Site", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_false (bough_permissions_allows_object (anonymous, "Test", "Site", BOUGH_PERMISSION_UPDATE, FALSE));
  g_assert_false (bough_permissions_allows_global (anonymous, "manage_schema", TRUE));
  /* and through the API */
  {
    g_autoptr(JsonNode) read = gql (NULL, BOUGH_ACCOUNT_ANONYMOUS, "{ TestSite { count } }");
    g_autoptr(JsonNode) write = gql (BRANCH, BOUGH_ACCOUNT_ANONYMOUS,
                                     "mutation { TestSiteCreate(data: { name: { value: \"anon-site\" } }) { ok } }");

    assert_ok (read);
    g_assert_cmpint (I (read, "data.TestSite.count"), >, 0);
    assert_denied (write, "TestSiteCreate");
    g_assert_cmpint (count_named (BRANCH, "TestSite", "anon-site"), ==, 0);
  }
}

/* ---- setup ---- */

static void
world_setup (void)
{
  g_autoptr(GError) error = NULL;

  world.perms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  hierarchy_fixture_setup (&world.store, NULL);
  world.api = bough_graphql_api_new (STORE (&world));
  world.site = create_node (STORE (&world), NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  world.tag = create_node (STORE (&world), NULL, "TestTag", "{'name': {'value': 'red'}}");
  world.device = create_nodef ("TestDevice", "{'name': {'value': 'edge-seed'}, 'site': {'id': '%s'}, 'tags': [{'id': '%s'}]}",
                               world.site, world.tag);
  for (Role r = 0; r < N_ROLES; r++)
    world.accounts[r] = account_with (role_perms[r]);
  g_assert_true (bough_store_create_branch (STORE (&world), BRANCH, &error));
  g_assert_no_error (error);
}

static void
world_teardown (void)
{
  g_clear_pointer (&world.api, bough_graphql_api_unref);
  for (Role r = 0; r < N_ROLES; r++)
    g_free (world.accounts[r]);
  g_free (world.site);
  g_free (world.tag);
  g_free (world.device);
  g_hash_table_unref (world.perms);
  store_fixture_teardown (&world.store, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  world_setup ();

  for (Role r = 0; r < N_ROLES; r++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      for (Act a = 0; a < N_ACTS; a++)
        for (guint b = 0; b < 2; b++)
          {
            Cell *cell;
            g_autofree char *path = NULL;

            /* relationships are changed on devices (their tags) */
            if ((a == ACT_REL_ADD || a == ACT_REL_REMOVE) && !g_str_equal (kinds[k], "TestDevice"))
              continue;
            cell = g_new0 (Cell, 1);
            cell->role = r;
            cell->kind = kinds[k];
            cell->act = a;
            cell->branch = b == 0 ? NULL : BRANCH;
            g_ptr_array_add (cells, cell);
            path = g_strdup_printf ("/permissions/matrix/%s/%s/%s/%s", role_names[r], kinds[k], act_names[a],
                                    b == 0 ? "default" : "other");
            g_test_add_data_func (path, cell, test_cell);
          }
  g_test_add_func ("/permissions/read/nested", test_nested_filtered);
  g_test_add_func ("/permissions/read/filter-no-oracle", test_filter_no_oracle);
  g_test_add_func ("/permissions/read/generic", test_generic_partial);
  g_test_add_func ("/permissions/read/search", test_search_and_relationships);
  g_test_add_func ("/permissions/read/relationship-count", test_relationship_count);
  g_test_add_func ("/permissions/read/properties", test_hidden_properties);
  g_test_add_func ("/permissions/read/hierarchy", test_hierarchy);
  g_test_add_func ("/permissions/fields", test_permissions_fields);
  g_test_add_func ("/permissions/write/no-escalation", test_no_escalation);
  g_test_add_func ("/permissions/write/branches", test_branch_mutations);
  g_test_add_func ("/permissions/write/edit-default-branch", test_edit_default_branch);
  g_test_add_func ("/permissions/read/diff", test_diff_filtered);
  g_test_add_func ("/permissions/write/hidden-peers", test_hidden_peers);
  g_test_add_func ("/permissions/write/stored-query", test_stored_query_write);
  g_test_add_func ("/permissions/cache", test_cache_follows_changes);
  g_test_add_func ("/permissions/defaults", test_defaults);

  status = g_test_run ();
  world_teardown ();
  return status;
}
