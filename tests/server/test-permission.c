/* test-permission.c: the resolution rules of bough-permission.c (reference §3.1): identifiers,
 * wildcards and partial names, most-specific-wins, OR at equal specificity, decision bits per
 * branch, global permissions and their explicit deny, and the cache across threads.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "store-test-common.h"
#include "auth/bough-permission.h"

static BoughPermissions *
set_of (const char * const *identifiers)
{
  BoughPermissions *p = bough_permissions_new ();

  for (guint i = 0; identifiers[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (bough_permissions_add (p, identifiers[i], &error));
      g_assert_no_error (error);
    }
  return p;
}

static void
test_identifiers (void)
{
  g_autoptr(BoughPermissions) p = bough_permissions_new ();
  const char *bad[] = { "", "global", "global:x", "global:x:maybe", "object:*:*:view", "object:*:*:fly:allow_all",
                        "object:a:b:view:allow_all:extra", "role:x:allow_all", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (bough_permissions_add (p, bad[i], &error));
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
    }
  /* nothing added: everything refused */
  g_assert_false (bough_permissions_allows_object (p, "Infra", "Device", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_false (bough_permissions_allows_global (p, "manage_schema", TRUE));
  g_assert_false (bough_permissions_is_super_admin (p));
}

static void
test_wildcards (void)
{
  const char *ids[] = { "object:Infra:*Generic:view:allow_all", "object:Location:Site:any:allow_all", NULL };
  g_autoptr(BoughPermissions) p = set_of (ids);

  g_assert_true (bough_permissions_allows_object (p, "Infra", "InterfaceGeneric", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_true (bough_permissions_allows_object (p, "Infra", "Generic", BOUGH_PERMISSION_VIEW, FALSE));
  g_assert_false (bough_permissions_allows_object (p, "Infra", "Device", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_false (bough_permissions_allows_object (p, "Ipam", "InterfaceGeneric", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_false (bough_permissions_allows_object (p, "Infra", "InterfaceGeneric", BOUGH_PERMISSION_UPDATE, TRUE));
  for (BoughPermissionAction a = BOUGH_PERMISSION_VIEW; a <= BOUGH_PERMISSION_DELETE; a++)
    g_assert_true (bough_permissions_allows_object (p, "Location", "Site", a, TRUE));
  g_assert_false (bough_permissions_allows_object (p, "Location", "Sites", BOUGH_PERMISSION_VIEW, TRUE));
}

static void
test_branches (void)
{
  const char *ids[] = { "object:*:*:view:allow_all", "object:*:*:create:allow_other", "object:*:*:delete:allow_default",
                        NULL };
  g_autoptr(BoughPermissions) p = set_of (ids);

  g_assert_true (bough_permissions_allows_object (p, "A", "B", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_true (bough_permissions_allows_object (p, "A", "B", BOUGH_PERMISSION_VIEW, FALSE));
  g_assert_false (bough_permissions_allows_object (p, "A", "B", BOUGH_PERMISSION_CREATE, TRUE));
  g_assert_true (bough_permissions_allows_object (p, "A", "B", BOUGH_PERMISSION_CREATE, FALSE));
  g_assert_true (bough_permissions_allows_object (p, "A", "B", BOUGH_PERMISSION_DELETE, TRUE));
  g_assert_false (bough_permissions_allows_object (p, "A", "B", BOUGH_PERMISSION_DELETE, FALSE));
  g_assert_false (bough_permissions_allows_object (p, "A", "B", BOUGH_PERMISSION_UPDATE, FALSE));
  g_assert_cmpuint (bough_permissions_object_bits (p, "A", "B", BOUGH_PERMISSION_CREATE), ==, BOUGH_DECISION_ALLOW_OTHER);
}

static void
test_specificity (void)
{
  /* the deny names the kind: more specific than the allow of everything */
  const char *deny_ids[] = { "object:*:*:any:allow_all", "object:Infra:Device:any:deny", NULL };
  /* equally specific (2 each): OR-ed, so the deny does not take away */
  const char *or_ids[] = { "object:Infra:*:any:allow_other", "object:*:Device:any:allow_default", NULL };
  /* a deny as specific as an allow: OR-ed, the allow stays */
  const char *tie_ids[] = { "object:Infra:Device:view:deny", "object:Infra:Device:view:allow_default", NULL };
  /* the more specific allow_other wins over a broad allow_all */
  const char *narrow_ids[] = { "object:*:*:any:allow_all", "object:Infra:Device:update:allow_other", NULL };
  g_autoptr(BoughPermissions) deny = set_of (deny_ids);
  g_autoptr(BoughPermissions) or = set_of (or_ids);
  g_autoptr(BoughPermissions) tie = set_of (tie_ids);
  g_autoptr(BoughPermissions) narrow = set_of (narrow_ids);

  g_assert_false (bough_permissions_allows_object (deny, "Infra", "Device", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_false (bough_permissions_allows_object (deny, "Infra", "Device", BOUGH_PERMISSION_CREATE, FALSE));
  g_assert_true (bough_permissions_allows_object (deny, "Infra", "Site", BOUGH_PERMISSION_CREATE, FALSE));
  g_assert_cmpuint (bough_permissions_object_bits (or, "Infra", "Device", BOUGH_PERMISSION_UPDATE), ==,
                    BOUGH_DECISION_ALLOW_ALL);
  g_assert_true (bough_permissions_allows_object (or, "Infra", "Site", BOUGH_PERMISSION_UPDATE, FALSE));
  g_assert_false (bough_permissions_allows_object (or, "Infra", "Site", BOUGH_PERMISSION_UPDATE, TRUE));
  g_assert_true (bough_permissions_allows_object (tie, "Infra", "Device", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_false (bough_permissions_allows_object (tie, "Infra", "Device", BOUGH_PERMISSION_VIEW, FALSE));
  g_assert_false (bough_permissions_allows_object (narrow, "Infra", "Device", BOUGH_PERMISSION_UPDATE, TRUE));
  g_assert_true (bough_permissions_allows_object (narrow, "Infra", "Device", BOUGH_PERMISSION_UPDATE, FALSE));
  g_assert_true (bough_permissions_allows_object (narrow, "Infra", "Device", BOUGH_PERMISSION_DELETE, TRUE));
}

static void
test_global (void)
{
  const char *admin_ids[] = { "global:super_admin:allow_all", "global:merge_branch:deny", NULL };
  const char *user_ids[] = { "global:manage_schema:allow_all", "global:edit_default_branch:allow_default", NULL };
  const char *denied_ids[] = { "global:super_admin:allow_all", "global:super_admin:deny", NULL };
  g_autoptr(BoughPermissions) admin = set_of (admin_ids);
  g_autoptr(BoughPermissions) user = set_of (user_ids);
  g_autoptr(BoughPermissions) denied = set_of (denied_ids);
  g_autoptr(BoughPermissions) internal = bough_permissions_new_super_admin ();

  g_assert_true (bough_permissions_is_super_admin (admin));
  g_assert_true (bough_permissions_allows_object (admin, "Any", "Thing", BOUGH_PERMISSION_DELETE, TRUE));
  g_assert_true (bough_permissions_allows_global (admin, "manage_accounts", TRUE));
  /* an explicit deny wins, even over super_admin */
  g_assert_false (bough_permissions_allows_global (admin, "merge_branch", TRUE));
  g_assert_false (bough_permissions_is_super_admin (denied));
  g_assert_false (bough_permissions_allows_object (denied, "Any", "Thing", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_true (bough_permissions_allows_global (user, "manage_schema", TRUE));
  g_assert_true (bough_permissions_allows_global (user, "manage_schema", FALSE));
  g_assert_true (bough_permissions_allows_global (user, "edit_default_branch", TRUE));
  g_assert_false (bough_permissions_allows_global (user, "edit_default_branch", FALSE));
  g_assert_false (bough_permissions_allows_global (user, "manage_accounts", TRUE));
  g_assert_false (bough_permissions_allows_object (user, "Any", "Thing", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_true (bough_permissions_is_super_admin (internal));
  g_assert_true (bough_permissions_allows_global (internal, "merge_branch", FALSE));
}

/* ---- from the store, cached ---- */

typedef struct
{
  BoughStore *store;
  const char *account;
  gint        stop;
  gint        mismatches;
} Reader;

static gpointer
reader_thread (gpointer data)
{
  Reader *r = data;

  while (!g_atomic_int_get (&r->stop))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughPermissions) p = bough_permissions_for_account (r->store, r->account, &error);

      if (p == NULL)
        g_atomic_int_inc (&r->mismatches);
    }
  return NULL;
}

static void
test_store_cache (void)
{
  StoreFixture f = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL, *perm = NULL, *role = NULL, *json = NULL, *other = NULL;
  g_autoptr(BoughPermissions) before = NULL;
  g_autoptr(BoughPermissions) after = NULL;
  g_autoptr(BoughPermissions) stranger = NULL;
  g_autoptr(BoughPermissions) unknown = NULL;
  Reader reader = { 0, };
  GThread *thread;

  store_fixture_setup (&f, NULL);
  account = create_node (f.store, NULL, "CoreAccount", "{'name': {'value': 'u1'}, 'password': {'value': 'pw-u1-long'}}");
  other = create_node (f.store, NULL, "CoreAccount", "{'name': {'value': 'u2'}, 'password': {'value': 'pw-u2-long'}}");
  perm = create_node (f.store, NULL, "CoreObjectPermission",
                      "{'namespace': {'value': 'Test'}, 'name': {'value': '*'}, 'action': {'value': 'view'},"
                      " 'decision': {'value': 6}}");
  json = g_strdup_printf ("{'name': {'value': 'r1'}, 'permissions': [{'id': '%s'}]}", perm);
  role = create_node (f.store, NULL, "CoreAccountRole", json);
  g_free (json);
  json = g_strdup_printf ("{'name': {'value': 'g1'}, 'roles': [{'id': '%s'}], 'members': [{'id': '%s'}]}", role, account);
  g_free (create_node (f.store, NULL, "CoreAccountGroup", json));

  before = bough_permissions_for_account (f.store, account, &error);
  g_assert_no_error (error);
  g_assert_true (bough_permissions_allows_object (before, "Test", "Site", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_false (bough_permissions_allows_object (before, "Test", "Site", BOUGH_PERMISSION_UPDATE, FALSE));
  stranger = bough_permissions_for_account (f.store, other, &error);
  g_assert_no_error (error);
  g_assert_false (bough_permissions_allows_object (stranger, "Test", "Site", BOUGH_PERMISSION_VIEW, TRUE));
  /* an id no account has: nothing */
  unknown = bough_permissions_for_account (f.store, "01a2196b-0000-7000-8000-000000000000", &error);
  g_assert_no_error (error);
  g_assert_false (bough_permissions_allows_object (unknown, "Test", "Site", BOUGH_PERMISSION_VIEW, TRUE));

  /* readers on another thread while the permission changes */
  reader.store = f.store;
  reader.account = account;
  thread = g_thread_new ("reader", reader_thread, &reader);
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f.store, NULL, "tester", &error);
    g_autoptr(JsonObject) d = NULL;
    g_autoptr(BoughNode) n = NULL;

    g_free (json);
    json = g_strdup_printf ("{'id': '%s', 'action': {'value': 'any'}, 'decision': {'value': 4}}", perm);
    d = J (json);
    n = bough_txn_update (txn, "CoreObjectPermission", d, &error);
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
    g_assert_no_error (error);
  }
  after = bough_permissions_for_account (f.store, account, &error);
  g_atomic_int_set (&reader.stop, 1);
  g_thread_join (thread);
  g_assert_no_error (error);
  g_assert_cmpint (reader.mismatches, ==, 0);
  g_assert_false (bough_permissions_allows_object (after, "Test", "Site", BOUGH_PERMISSION_VIEW, TRUE));
  g_assert_true (bough_permissions_allows_object (after, "Test", "Site", BOUGH_PERMISSION_UPDATE, FALSE));
  /* the set handed out before is unchanged */
  g_assert_true (bough_permissions_allows_object (before, "Test", "Site", BOUGH_PERMISSION_VIEW, TRUE));
  store_fixture_teardown (&f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/permission/identifiers", test_identifiers);
  g_test_add_func ("/permission/wildcards", test_wildcards);
  g_test_add_func ("/permission/branches", test_branches);
  g_test_add_func ("/permission/specificity", test_specificity);
  g_test_add_func ("/permission/global", test_global);
  g_test_add_func ("/permission/store-cache", test_store_cache);
  return g_test_run ();
}
