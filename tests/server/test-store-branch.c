/* test-store-branch.c: branch records, the diff of a branch (shapes,
 * conflicts, uniqueness, parents), conflict resolutions, merge, rebase,
 * delete, time travel around them, and concurrent writers (RELIABILITY 8,
 * 9, 10, 12).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "store-test-common.h"

#define S(f) ((f)->store)

static gint64
write1 (BoughStore *store,
        const char *branch,
        const char *op,
        const char *kind,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "alice", &error);
  g_autoptr(JsonObject) d = J (json);
  gint64 stamp;

  g_assert_no_error (error);
  if (g_str_equal (op, "update"))
    {
      g_autoptr(BoughNode) n = bough_txn_update (txn, kind, d, &error);
      g_assert_no_error (error);
    }
  else if (g_str_equal (op, "delete"))
    g_assert_true (bough_txn_delete (txn, kind, d, &error));
  else
    {
      g_autoptr(BoughNode) n = bough_txn_create (txn, kind, d, &error);
      g_assert_no_error (error);
    }
  g_assert_no_error (error);
  stamp = bough_txn_get_stamp (txn);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
  return stamp;
}

static char *
mk (BoughStore *store,
    const char *branch,
    const char *kind,
    const char *fmt,
    ...) G_GNUC_PRINTF (4, 5);

static char *
mk (BoughStore *store,
    const char *branch,
    const char *kind,
    const char *fmt,
    ...)
{
  va_list ap;
  g_autofree char *json = NULL;

  va_start (ap, fmt);
  json = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return create_node (store, branch, kind, json);
}

static void
upd (BoughStore *store,
     const char *branch,
     const char *kind,
     const char *fmt,
     ...) G_GNUC_PRINTF (4, 5);

static void
upd (BoughStore *store,
     const char *branch,
     const char *kind,
     const char *fmt,
     ...)
{
  va_list ap;
  g_autofree char *json = NULL;

  va_start (ap, fmt);
  json = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  write1 (store, branch, "update", kind, json);
}

static void
del (BoughStore *store,
     const char *branch,
     const char *kind,
     const char *id)
{
  g_autofree char *json = g_strdup_printf ("{'id': '%s'}", id);
  write1 (store, branch, "delete", kind, json);
}

static BoughNode *
get (BoughStore *store,
     const char *branch,
     gint64      at,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  BoughNode *n = bough_store_get_node (store, branch, at, NULL, id, &error);

  if (n == NULL)
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  return n;
}

static char *
str_of (BoughStore *store,
        const char *branch,
        gint64      at,
        const char *id,
        const char *attr)
{
  g_autoptr(BoughNode) n = get (store, branch, at, id);
  if (n == NULL)
    return NULL;
  return g_strdup (node_string (n, attr));
}

static void
branch (BoughStore *store,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (bough_store_create_branch (store, name, &error));
  g_assert_no_error (error);
}

static BoughDiff *
diff_of (BoughStore     *store,
         const char     *name,
         BoughDiffFlags  flags)
{
  g_autoptr(GError) error = NULL;
  BoughDiff *d = bough_store_diff_branch (store, name, flags, &error);
  g_assert_no_error (error);
  g_assert_nonnull (d);
  return d;
}

static BoughDiffNode *
dnode (BoughDiff  *d,
       const char *uuid)
{
  for (guint i = 0; i < d->nodes->len; i++)
    {
      BoughDiffNode *n = g_ptr_array_index (d->nodes, i);
      if (g_str_equal (n->uuid, uuid))
        return n;
    }
  return NULL;
}

static BoughDiffAttribute *
dattr (BoughDiffNode *n,
       const char    *name)
{
  for (guint i = 0; n != NULL && i < n->attributes->len; i++)
    {
      BoughDiffAttribute *a = g_ptr_array_index (n->attributes, i);
      if (g_str_equal (a->name, name))
        return a;
    }
  return NULL;
}

static BoughDiffProperty *
dprop (BoughDiffAttribute *a,
       const char         *type)
{
  for (guint i = 0; a != NULL && i < a->properties->len; i++)
    {
      BoughDiffProperty *p = g_ptr_array_index (a->properties, i);
      if (g_str_equal (p->property_type, type))
        return p;
    }
  return NULL;
}

static BoughDiffRelationship *
drel (BoughDiffNode *n,
      const char    *name)
{
  for (guint i = 0; n != NULL && i < n->relationships->len; i++)
    {
      BoughDiffRelationship *r = g_ptr_array_index (n->relationships, i);
      if (g_str_equal (r->name, name))
        return r;
    }
  return NULL;
}

static gboolean
merge (BoughStore  *store,
       const char  *name,
       GError     **error)
{
  return bough_store_merge_branch (store, name, "alice", NULL, NULL, error);
}

static guint
peers_of (BoughStore *store,
          const char *branch_name,
          const char *id,
          const char *rel,
          char      **first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughNode) n = get (store, branch_name, 0, id);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  const BoughRelationshipValue *v;

  g_assert_nonnull (n);
  g_ptr_array_add (nodes, n);
  g_assert_true (bough_store_fetch_peers (store, branch_name, 0, nodes, rel, &error));
  g_assert_no_error (error);
  v = bough_node_get_relationship (n, rel);
  if (first != NULL)
    *first = v != NULL && v->n_peers > 0 ? g_strdup (v->peers[0].id) : NULL;
  return v != NULL ? v->n_peers : 0;
}

/* ---- records ---- */

static void
test_records (StoreFixture  *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BoughBranchCreate in = { 0 };
  g_autoptr(BoughBranch) b = NULL;
  g_autoptr(BoughBranch) got = NULL;
  g_autoptr(BoughBranch) updated = NULL;
  g_autoptr(GPtrArray) all = NULL;
  static const char *bad[] = {
    "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\b", "a..b", "a@{b", "-a", "/a", "a/", "a.",
    "a.lock", "a b", "a\tb", "", "-global-", NULL
  };

  in.name = "feature/one";
  in.description = "first";
  in.sync_with_git = TRUE;
  b = bough_store_branch_create (S (f), &in, "alice", &error);
  g_assert_no_error (error);
  g_assert_nonnull (b);
  g_assert_cmpstr (b->name, ==, "feature/one");
  g_assert_cmpstr (b->description, ==, "first");
  g_assert_cmpstr (b->origin_branch, ==, "main");
  g_assert_true (b->sync_with_git);
  g_assert_false (b->is_default);
  g_assert_false (b->has_schema_changes);
  g_assert_cmpint (b->status, ==, BOUGH_BRANCH_STATUS_OPEN);
  g_assert_cmpint (b->branched_from, ==, b->created_at);

  got = bough_store_get_branch (S (f), "feature/one", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->id, ==, b->id);
  g_assert_cmpstr (got->description, ==, "first");
  g_assert_true (got->sync_with_git);

  /* duplicate */
  g_assert_null (bough_store_branch_create (S (f), &in, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      in.name = bad[i];
      g_assert_null (bough_store_branch_create (S (f), &in, NULL, &error));
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
      g_clear_error (&error);
    }
  in.name = "other";
  in.origin_branch = "feature/one";
  g_assert_null (bough_store_branch_create (S (f), &in, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
  g_clear_error (&error);

  updated = bough_store_update_branch (S (f), "feature/one", "second", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->description, ==, "second");
  g_assert_null (bough_store_update_branch (S (f), "nope", "x", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (bough_store_get_branch (S (f), "nope", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  all = bough_store_list_branches (S (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((BoughBranch *) g_ptr_array_index (all, 0))->name, ==, "main");
  g_assert_true (((BoughBranch *) g_ptr_array_index (all, 0))->is_default);
  g_assert_null (((BoughBranch *) g_ptr_array_index (all, 0))->origin_branch);

  g_assert_false (bough_store_delete_branch (S (f), "main", NULL, NULL, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (bough_store_delete_branch (S (f), "nope", NULL, NULL, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (bough_store_diff_branch (S (f), "main", 0, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
}

/* A branch created at a past stamp sees main as it was then. */
static void
test_create_in_past (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'a'}, 'region': {'value': 'r1'}}");
  gint64 before = bough_store_now (S (f));
  BoughBranchCreate in = { 0 };
  g_autoptr(BoughBranch) b = NULL;
  g_autofree char *r = NULL;

  upd (S (f), NULL, "TestSite", "{'id': '%s', 'region': {'value': 'r2'}}", site);
  in.name = "past";
  in.branched_from = before;
  b = bough_store_branch_create (S (f), &in, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->branched_from, ==, before);
  r = str_of (S (f), "past", 0, site, "region");
  g_assert_cmpstr (r, ==, "r1");
  in.name = "future";
  in.branched_from = bough_store_now (S (f)) + (gint64) G_USEC_PER_SEC * 3600;
  g_assert_null (bough_store_branch_create (S (f), &in, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
}

typedef struct
{
  BoughStore *store;
  const char *name;
  const char *kind;
  const char *json;
  const char *branch;
  gint        ok;
  gint        conflict;
  gint        other;
} RaceData;

static gpointer
create_branch_thread (gpointer user_data)
{
  RaceData *rd = user_data;
  g_autoptr(GError) error = NULL;

  if (bough_store_create_branch (rd->store, rd->name, &error))
    g_atomic_int_inc (&rd->ok);
  else if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT))
    g_atomic_int_inc (&rd->conflict);
  else
    g_atomic_int_inc (&rd->other);
  return NULL;
}

/* RELIABILITY 10: concurrent creations of one name make one branch, also
 * from two store handles (two "processes" on one database). */
static void
test_concurrent_create (StoreFixture  *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughStore) second = bough_store_open (f->path, &error);
  RaceData rd = { 0 };
  RaceData rd2 = { 0 };
  GThread *threads[16];
  g_autoptr(GPtrArray) all = NULL;

  g_assert_no_error (error);
  rd.store = S (f);
  rd.name = "race";
  rd2 = rd;
  rd2.store = second;
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("create", create_branch_thread, i % 2 ? &rd : &rd2);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (rd.ok + rd2.ok, ==, 1);
  g_assert_cmpint (rd.conflict + rd2.conflict, ==, 15);
  g_assert_cmpint (rd.other + rd2.other, ==, 0);
  all = bough_store_list_branches (S (f), &error);
  g_assert_cmpuint (all->len, ==, 2);
}

/* ---- isolation and branch support ---- */

static void
test_isolation (StoreFixture  *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *repo = NULL;
  g_autofree char *v = NULL;
  g_autoptr(BoughNode) on_main = NULL;
  g_autoptr(BoughDiff) d = NULL;

  repo = mk (S (f), NULL, "TestRepo", "{'name': {'value': 'r'}, 'commit': {'value': 'c0'}}");
  branch (S (f), "iso");
  site = mk (S (f), "iso", "TestSite", "{'name': {'value': 'only-branch'}}");
  tag = mk (S (f), "iso", "TestTag", "{'name': {'value': 'shared'}}");
  upd (S (f), "iso", "TestRepo", "{'id': '%s', 'commit': {'value': 'c-branch'}}", repo);

  /* aware: isolated */
  on_main = get (S (f), NULL, 0, site);
  g_assert_null (on_main);
  /* agnostic: shared */
  v = str_of (S (f), NULL, 0, tag, "name");
  g_assert_cmpstr (v, ==, "shared");
  g_clear_pointer (&v, g_free);
  /* local attribute: its branch only */
  v = str_of (S (f), "iso", 0, repo, "commit");
  g_assert_cmpstr (v, ==, "c-branch");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), NULL, 0, repo, "commit");
  g_assert_cmpstr (v, ==, "c0");
  g_clear_pointer (&v, g_free);

  /* only aware data is diffed */
  d = diff_of (S (f), "iso", 0);
  g_assert_cmpuint (d->nodes->len, ==, 1);
  g_assert_nonnull (dnode (d, site));
  g_assert_null (dnode (d, tag));
  g_assert_null (dnode (d, repo));

  /* and merged; the local value stays on its branch */
  g_assert_true (merge (S (f), "iso", &error));
  g_assert_no_error (error);
  v = str_of (S (f), NULL, 0, site, "name");
  g_assert_cmpstr (v, ==, "only-branch");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), NULL, 0, repo, "commit");
  g_assert_cmpstr (v, ==, "c0");
}

/* ---- diff shapes ---- */

static void
test_diff_attribute (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}, 'description': {'value': 'old'}}");
  g_autofree char *owner = mk (S (f), NULL, "TestSite", "{'name': {'value': 'owner-site'}}");
  g_autoptr(BoughDiff) d = NULL;
  BoughDiffNode *n;
  BoughDiffAttribute *a;
  BoughDiffProperty *p;

  branch (S (f), "b");
  upd (S (f), "b", "TestSite",
       "{'id': '%s', 'description': {'value': 'new'}, 'region': {'is_protected': true, 'owner': '%s'}}",
       site, owner);
  d = diff_of (S (f), "b", 0);
  g_assert_cmpuint (d->num_updated, ==, 1);
  g_assert_cmpuint (d->num_added, ==, 0);
  g_assert_cmpuint (d->num_conflicts, ==, 0);
  n = dnode (d, site);
  g_assert_nonnull (n);
  g_assert_cmpint (n->action, ==, BOUGH_DIFF_UPDATED);
  g_assert_cmpstr (n->kind, ==, "TestSite");
  g_assert_cmpstr (n->label, ==, "atl");
  g_assert_cmpint (n->last_changed_at, >, d->from_time);
  g_assert_null (dattr (n, "name"));
  a = dattr (n, "description");
  g_assert_nonnull (a);
  g_assert_cmpuint (a->properties->len, ==, 1);
  p = dprop (a, "HAS_VALUE");
  g_assert_cmpint (p->action, ==, BOUGH_DIFF_UPDATED);
  g_assert_cmpstr (json_node_get_string (p->previous_value), ==, "old");
  g_assert_cmpstr (json_node_get_string (p->new_value), ==, "new");
  g_assert_null (p->conflict);
  a = dattr (n, "region");
  g_assert_nonnull (a);
  g_assert_null (dprop (a, "HAS_VALUE"));
  p = dprop (a, "IS_PROTECTED");
  g_assert_nonnull (p);
  g_assert_false (json_node_get_boolean (p->previous_value));
  g_assert_true (json_node_get_boolean (p->new_value));
  p = dprop (a, "HAS_OWNER");
  g_assert_nonnull (p);
  g_assert_cmpint (p->action, ==, BOUGH_DIFF_ADDED);
  g_assert_cmpstr (json_node_get_string (p->new_value), ==, owner);
  g_assert_cmpstr (p->new_label, ==, "owner-site");
  /* the owner site itself is not in the diff */
  g_assert_null (dnode (d, owner));
  g_assert_cmpuint (d->nodes->len, ==, 1);
}

static void
test_diff_added_removed (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}}");
  g_autofree char *gone = mk (S (f), NULL, "TestSite", "{'name': {'value': 'gone'}, 'region': {'value': 'x'}}");
  g_autofree char *dev = NULL;
  g_autoptr(BoughDiff) d = NULL;
  BoughDiffNode *n;
  BoughDiffRelationship *r;
  BoughDiffElement *e;

  branch (S (f), "b");
  dev = mk (S (f), "b", "TestDevice", "{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", site);
  del (S (f), "b", "TestSite", gone);
  d = diff_of (S (f), "b", 0);
  g_assert_cmpuint (d->num_added, ==, 1);
  g_assert_cmpuint (d->num_removed, ==, 1);

  n = dnode (d, dev);
  g_assert_nonnull (n);
  g_assert_cmpint (n->action, ==, BOUGH_DIFF_ADDED);
  g_assert_cmpint (dattr (n, "name")->action, ==, BOUGH_DIFF_ADDED);
  g_assert_nonnull (dprop (dattr (n, "name"), "HAS_VALUE"));
  /* the default status is set: listed; unset optional attributes are not */
  g_assert_nonnull (dattr (n, "status"));
  g_assert_null (dattr (n, "serial"));
  r = drel (n, "site");
  g_assert_nonnull (r);
  g_assert_false (r->many);
  g_assert_cmpuint (r->elements->len, ==, 1);
  e = g_ptr_array_index (r->elements, 0);
  g_assert_cmpstr (e->peer_id, ==, site);
  g_assert_cmpstr (e->peer_label, ==, "atl");
  g_assert_cmpstr (e->peer_kind, ==, "TestSite");
  g_assert_cmpint (e->action, ==, BOUGH_DIFF_ADDED);
  g_assert_cmpstr (((BoughDiffProperty *) g_ptr_array_index (e->properties, 0))->property_type, ==, "IS_RELATED");

  /* the site sees the new device on its many relationship */
  n = dnode (d, site);
  g_assert_nonnull (n);
  g_assert_cmpint (n->action, ==, BOUGH_DIFF_UPDATED);
  r = drel (n, "devices");
  g_assert_nonnull (r);
  g_assert_true (r->many);
  g_assert_cmpstr (((BoughDiffElement *) g_ptr_array_index (r->elements, 0))->peer_id, ==, dev);

  n = dnode (d, gone);
  g_assert_nonnull (n);
  g_assert_cmpint (n->action, ==, BOUGH_DIFF_REMOVED);
  g_assert_cmpint (dattr (n, "region")->action, ==, BOUGH_DIFF_REMOVED);
  g_assert_true (JSON_NODE_HOLDS_NULL (dprop (dattr (n, "region"), "HAS_VALUE")->new_value));
}

static void
test_diff_parents (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}}");
  g_autofree char *dev = mk (S (f), NULL, "TestDevice", "{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", site);
  g_autofree char *ifc = mk (S (f), NULL, "TestInterface", "{'name': {'value': 'eth0'}, 'device': {'id': '%s'}}", dev);
  g_autofree char *tag = mk (S (f), NULL, "TestTag", "{'name': {'value': 'red'}}");
  g_autoptr(BoughDiff) d = NULL;
  g_autoptr(BoughDiff) d2 = NULL;
  BoughDiffNode *n;
  BoughDiffRelationship *r;

  branch (S (f), "b");
  upd (S (f), "b", "TestInterface", "{'id': '%s', 'speed': {'value': 1000}}", ifc);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughTxn) txn = bough_store_begin (S (f), "b", NULL, &error);
    g_autofree char *peers = g_strdup_printf ("[{'id': '%s'}]", tag);
    g_autoptr(JsonArray) a = JA (peers);
    g_assert_true (bough_txn_relationship_add (txn, dev, "tags", a, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }

  d = diff_of (S (f), "b", 0);
  n = dnode (d, ifc);
  g_assert_nonnull (n);
  g_assert_cmpstr (n->parent_uuid, ==, dev);
  g_assert_cmpstr (n->parent_kind, ==, "TestDevice");
  g_assert_cmpstr (n->parent_relationship, ==, "device");
  g_assert_cmpint (dprop (dattr (n, "speed"), "HAS_VALUE")->action, ==, BOUGH_DIFF_ADDED);
  /* the device changed too (a tag), so it is there as updated */
  n = dnode (d, dev);
  g_assert_nonnull (n);
  g_assert_cmpint (n->action, ==, BOUGH_DIFF_UPDATED);
  r = drel (n, "tags");
  g_assert_nonnull (r);
  g_assert_true (r->many);
  g_assert_cmpuint (r->elements->len, ==, 1);
  g_assert_cmpint (((BoughDiffElement *) g_ptr_array_index (r->elements, 0))->action, ==, BOUGH_DIFF_ADDED);
  g_assert_null (dnode (d, site));

  /* an interface alone: its device is added as an unchanged parent */
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'region': {'value': 'east'}}", site);
  branch (S (f), "c");
  upd (S (f), "c", "TestInterface", "{'id': '%s', 'speed': {'value': 10}}", ifc);
  d2 = diff_of (S (f), "c", BOUGH_DIFF_INCLUDE_PARENTS);
  g_assert_cmpuint (d2->nodes->len, ==, 2);
  n = dnode (d2, dev);
  g_assert_nonnull (n);
  g_assert_cmpint (n->action, ==, BOUGH_DIFF_UNCHANGED);
  g_assert_cmpuint (d2->num_updated, ==, 1);
}

/* ---- conflicts ---- */

static BoughDiffConflict *
only_conflict (BoughDiff *d)
{
  g_assert_cmpuint (d->conflicts->len, ==, 1);
  return g_ptr_array_index (d->conflicts, 0);
}

static void
test_conflict_attribute (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}, 'description': {'value': 'base'}}");
  g_autofree char *other = mk (S (f), NULL, "TestSite", "{'name': {'value': 'other'}}");
  g_autofree char *id = NULL;
  g_autofree char *v = NULL;
  g_auto(GStrv) messages = NULL;
  BoughDiffConflict *c;

  branch (S (f), "b");
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'branch'}}", site);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'description': {'value': 'main'}}", site);
  /* the same change on both sides is no conflict */
  upd (S (f), "b", "TestSite", "{'id': '%s', 'region': {'value': 'same'}}", other);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'region': {'value': 'same'}}", other);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffNode *n = dnode (d, site);
    BoughDiffProperty *p = dprop (dattr (n, "description"), "HAS_VALUE");

    c = only_conflict (d);
    g_assert_true (n->contains_conflict);
    g_assert_true (dattr (n, "description")->contains_conflict);
    g_assert_true (p->conflict == c);
    {
      g_autofree char *path = g_strdup_printf ("%s/attribute/description/value", site);
      g_assert_cmpstr (c->path, ==, path);
    }
    g_assert_cmpstr (json_node_get_string (c->base_value), ==, "main");
    g_assert_cmpstr (json_node_get_string (c->diff_value), ==, "branch");
    g_assert_cmpint (c->base_action, ==, BOUGH_DIFF_UPDATED);
    g_assert_cmpint (c->diff_action, ==, BOUGH_DIFF_UPDATED);
    g_assert_cmpint (c->selected, ==, BOUGH_DIFF_SIDE_NONE);
    g_assert_cmpuint (d->num_open_conflicts, ==, 1);
    g_assert_false (dnode (d, other)->contains_conflict);
    id = g_strdup (c->id);
  }

  g_assert_false (bough_store_validate_branch (S (f), "b", &messages, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (messages), ==, 1);
  g_assert_nonnull (strstr (messages[0], id));

  g_assert_false (merge (S (f), "b", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, id));
  g_clear_error (&error);

  g_assert_false (bough_store_resolve_conflict (S (f), "00000000-0000-5000-a000-000000000000",
                                                BOUGH_DIFF_SIDE_DIFF, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (bough_store_resolve_conflict (S (f), id, BOUGH_DIFF_SIDE_DIFF, &error));
  g_assert_no_error (error);

  /* the choice is durable */
  g_clear_pointer (&f->store, bough_store_unref);
  store_fixture_open (f);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    c = only_conflict (d);
    g_assert_cmpstr (c->id, ==, id);
    g_assert_cmpint (c->selected, ==, BOUGH_DIFF_SIDE_DIFF);
    g_assert_cmpuint (d->num_open_conflicts, ==, 0);
  }
  g_assert_true (bough_store_validate_branch (S (f), "b", NULL, &error));
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
  v = str_of (S (f), NULL, 0, site, "description");
  g_assert_cmpstr (v, ==, "branch");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), NULL, 0, other, "region");
  g_assert_cmpstr (v, ==, "same");
}

static void
test_conflict_base_and_reset (StoreFixture  *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}, 'description': {'value': 'base'}}");
  g_autofree char *v = NULL;
  g_autofree char *id = NULL;

  branch (S (f), "b");
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'branch'}, 'region': {'value': 'r-b'}}", site);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'description': {'value': 'main'}}", site);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    id = g_strdup (only_conflict (d)->id);
  }
  g_assert_true (bough_store_resolve_conflict (S (f), id, BOUGH_DIFF_SIDE_BASE, &error));
  /* main changes again: the choice was for other values, the conflict reopens */
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'description': {'value': 'main2'}}", site);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpstr (only_conflict (d)->id, ==, id);
    g_assert_cmpint (only_conflict (d)->selected, ==, BOUGH_DIFF_SIDE_NONE);
  }
  g_assert_true (bough_store_resolve_conflict (S (f), id, BOUGH_DIFF_SIDE_BASE, &error));
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
  /* main's side kept for the conflict, the branch's other change merged */
  v = str_of (S (f), NULL, 0, site, "description");
  g_assert_cmpstr (v, ==, "main2");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), NULL, 0, site, "region");
  g_assert_cmpstr (v, ==, "r-b");
}

static void
test_conflict_removed (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}}");
  g_autoptr(BoughNode) n = NULL;
  BoughDiffConflict *c;

  branch (S (f), "b");
  del (S (f), "b", "TestSite", site);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'region': {'value': 'x'}}", site);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffNode *dn = dnode (d, site);
    c = only_conflict (d);
    g_assert_cmpstr (c->path, ==, site);
    g_assert_cmpint (c->diff_action, ==, BOUGH_DIFF_REMOVED);
    g_assert_cmpint (c->base_action, ==, BOUGH_DIFF_UPDATED);
    g_assert_true (dn->conflict == c);
    g_assert_cmpint (dn->action, ==, BOUGH_DIFF_REMOVED);
    g_assert_true (bough_store_resolve_conflict (S (f), c->id, BOUGH_DIFF_SIDE_DIFF, &error));
  }
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
  n = get (S (f), NULL, 0, site);
  g_assert_null (n);
}

/* Both sides set another peer of a cardinality one relationship. */
static void
test_conflict_cardinality_one (StoreFixture  *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *s0 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's0'}}");
  g_autofree char *s1 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's1'}}");
  g_autofree char *s2 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's2'}}");
  g_autofree char *dev = mk (S (f), NULL, "TestDevice", "{'name': {'value': 'd'}, 'site': {'id': '%s'}}", s0);
  g_autofree char *peer = NULL;
  BoughDiffConflict *c = NULL;

  branch (S (f), "b");
  upd (S (f), "b", "TestDevice", "{'id': '%s', 'site': {'id': '%s'}}", dev, s1);
  upd (S (f), NULL, "TestDevice", "{'id': '%s', 'site': {'id': '%s'}}", dev, s2);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffRelationship *r = drel (dnode (d, dev), "site");
    g_autofree char *path = g_strdup_printf ("%s/relationship/site", dev);

    g_assert_nonnull (r);
    g_assert_true (r->contains_conflict);
    for (guint i = 0; i < d->conflicts->len; i++)
      if (g_str_equal (((BoughDiffConflict *) g_ptr_array_index (d->conflicts, i))->path, path))
        c = g_ptr_array_index (d->conflicts, i);
    g_assert_nonnull (c);
    g_assert_cmpstr (json_node_get_string (c->base_value), ==, s2);
    g_assert_cmpstr (json_node_get_string (c->diff_value), ==, s1);
    g_assert_cmpstr (c->diff_label, ==, "s1");
    for (guint i = 0; i < d->conflicts->len; i++)
      g_assert_true (bough_store_resolve_conflict (S (f),
                                                   ((BoughDiffConflict *) g_ptr_array_index (d->conflicts, i))->id,
                                                   BOUGH_DIFF_SIDE_DIFF, &error));
  }
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (peers_of (S (f), NULL, dev, "site", &peer), ==, 1);
  g_assert_cmpstr (peer, ==, s1);
}

/* A unique value taken on main after the branch point and on the branch. */
static void
test_conflict_uniqueness (StoreFixture  *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *on_branch = NULL;
  g_autofree char *on_main = NULL;
  g_autofree char *id = NULL;

  branch (S (f), "b");
  on_branch = mk (S (f), "b", "TestSite", "{'name': {'value': 'dup'}}");
  on_main = mk (S (f), NULL, "TestSite", "{'name': {'value': 'dup'}}");
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffConflict *c = NULL;

    g_assert_cmpuint (d->conflicts->len, >=, 1);
    for (guint i = 0; i < d->conflicts->len; i++)
      {
        BoughDiffConflict *x = g_ptr_array_index (d->conflicts, i);
        g_assert_true (x->uniqueness);
        if (g_str_has_prefix (x->path, "unique/TestSite/"))
          c = x;
      }
    g_assert_nonnull (c);
    g_assert_cmpstr (c->diff_label, ==, "dup");
    g_assert_cmpstr (c->base_label, ==, "dup");
    g_assert_true (dnode (d, on_branch)->contains_conflict);
    id = g_strdup (c->id);
  }
  g_assert_false (bough_store_resolve_conflict (S (f), id, BOUGH_DIFF_SIDE_DIFF, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (merge (S (f), "b", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);

  /* renamed on the branch: no conflict left */
  upd (S (f), "b", "TestSite", "{'id': '%s', 'name': {'value': 'dup2'}}", on_branch);
  g_assert_true (bough_store_validate_branch (S (f), "b", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
}

/* ---- uniqueness through generics ---- */

static const char generic_schema_yaml[] =
  "version: '1.0'\n"
  "generics:\n"
  "  - name: Asset\n"
  "    namespace: Gen\n"
  "    human_friendly_id: ['tag__value']\n"
  "    attributes:\n"
  "      - name: tag\n"
  "        kind: Text\n"
  "        unique: true\n"
  "  - name: Slot\n"
  "    namespace: Gen\n"
  "    uniqueness_constraints: [['rack__value', 'position__value']]\n"
  "    attributes:\n"
  "      - name: rack\n"
  "        kind: Text\n"
  "      - name: position\n"
  "        kind: Number\n"
  "nodes:\n"
  "  - name: Server\n"
  "    namespace: Gen\n"
  "    inherit_from: ['GenAsset']\n"
  "  - name: Switch\n"
  "    namespace: Gen\n"
  "    inherit_from: ['GenAsset']\n"
  "    human_friendly_id: ['model__value', 'tag__value']\n"
  "    attributes:\n"
  "      - name: model\n"
  "        kind: Text\n"
  "  - name: Shelf\n"
  "    namespace: Gen\n"
  "    inherit_from: ['GenSlot']\n"
  "  - name: Tray\n"
  "    namespace: Gen\n"
  "    inherit_from: ['GenSlot']\n";

static void
add_schema (BoughStore *store,
            const char *yaml)
{
  store_test_set_schema (store, NULL, NULL, yaml, "admin");
}

static BoughDiffConflict *
conflict_with_prefix (BoughDiff  *d,
                      const char *prefix)
{
  for (guint i = 0; i < d->conflicts->len; i++)
    {
      BoughDiffConflict *c = g_ptr_array_index (d->conflicts, i);
      if (g_str_has_prefix (c->path, prefix))
        return c;
    }
  return NULL;
}

/* A unique attribute or a uniqueness constraint declared on a generic holds
 * across the kinds that inherit it: two nodes of different kinds that only
 * clash once both sides are combined are a uniqueness conflict. */
static void
test_conflict_uniqueness_generic (StoreFixture  *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *shelf = NULL;
  g_autofree char *other = NULL;

  add_schema (S (f), generic_schema_yaml);
  branch (S (f), "b");
  /* the server's hfid lookup stands for its tag, the switch has its own */
  server = mk (S (f), "b", "GenServer", "{'tag': {'value': 'T1'}}");
  g_free (mk (S (f), NULL, "GenSwitch", "{'tag': {'value': 'T1'}, 'model': {'value': 'm'}}"));
  shelf = mk (S (f), "b", "GenShelf", "{'rack': {'value': 'r1'}, 'position': {'value': 1}}");
  g_free (mk (S (f), NULL, "GenTray", "{'rack': {'value': 'r1'}, 'position': {'value': 1}}"));
  /* the same value in kinds that share no rule is no conflict */
  other = mk (S (f), "b", "GenServer", "{'tag': {'value': 'r1'}}");
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffConflict *tag = conflict_with_prefix (d, "unique/GenAsset/a:tag/");
    BoughDiffConflict *slot = conflict_with_prefix (d, "unique/GenSlot/uc:rack__value,position__value/");

    g_assert_nonnull (tag);
    g_assert_true (tag->uniqueness);
    g_assert_cmpstr (json_node_get_string (tag->diff_value), ==, "T1");
    g_assert_nonnull (slot);
    g_assert_cmpuint (d->conflicts->len, ==, 2);
    g_assert_true (dnode (d, server)->contains_conflict);
    g_assert_true (dnode (d, shelf)->contains_conflict);
    g_assert_false (dnode (d, other)->contains_conflict);
  }
  g_assert_false (merge (S (f), "b", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);

  /* changed on the branch: both conflicts go */
  upd (S (f), "b", "GenServer", "{'id': '%s', 'tag': {'value': 'T2'}}", server);
  upd (S (f), "b", "GenShelf", "{'id': '%s', 'position': {'value': 2}}", shelf);
  g_assert_true (bough_store_validate_branch (S (f), "b", NULL, &error));
  g_assert_no_error (error);
}

/* ---- agnostic nodes with branch attributes ---- */

static const char pool_schema_yaml[] =
  "version: '1.0'\n"
  "nodes:\n"
  "  - name: Pool\n"
  "    namespace: Gen\n"
  "    branch: agnostic\n"
  "    human_friendly_id: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "        unique: true\n"
  "      - name: note\n"
  "        kind: Text\n"
  "        optional: true\n"
  "        branch: aware\n"
  "      - name: size\n"
  "        kind: Number\n"
  "        optional: true\n"
  "        branch: aware\n"
  "    relationships:\n"
  "      - name: site\n"
  "        peer: TestSite\n"
  "        cardinality: one\n"
  "        optional: true\n"
  "        branch: aware\n";

static gint64
int_of (BoughStore *store,
        const char *branch_name,
        const char *id,
        const char *attr)
{
  g_autoptr(BoughNode) n = get (store, branch_name, 0, id);
  JsonNode *v = bough_node_get_value (n, attr);

  g_assert_nonnull (v);
  return JSON_NODE_HOLDS_NULL (v) ? -1 : json_node_get_int (v);
}

/* The branch attributes and relationships of an agnostic node are branch
 * data: seen from main until the branch writes its own, diffed, in
 * conflict when both sides change them, merged. */
static void
test_agnostic_branch_attributes (StoreFixture  *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}}");
  g_autofree char *pool = NULL;
  g_autofree char *v = NULL;
  g_autofree char *cid = NULL;
  g_autofree char *peer = NULL;

  add_schema (S (f), pool_schema_yaml);
  pool = mk (S (f), NULL, "GenPool", "{'name': {'value': 'p1'}, 'note': {'value': 'n0'}, 'size': {'value': 1}}");
  branch (S (f), "b");
  v = str_of (S (f), "b", 0, pool, "note");
  g_assert_cmpstr (v, ==, "n0");
  g_clear_pointer (&v, g_free);

  upd (S (f), "b", "GenPool", "{'id': '%s', 'note': {'value': 'nb'}, 'site': {'id': '%s'}}", pool, site);
  upd (S (f), NULL, "GenPool", "{'id': '%s', 'size': {'value': 2}}", pool);
  v = str_of (S (f), NULL, 0, pool, "note");
  g_assert_cmpstr (v, ==, "n0");
  g_clear_pointer (&v, g_free);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffNode *n = dnode (d, pool);
    BoughDiffProperty *p;

    g_assert_nonnull (n);
    g_assert_cmpint (n->action, ==, BOUGH_DIFF_UPDATED);
    g_assert_cmpstr (n->kind, ==, "GenPool");
    p = dprop (dattr (n, "note"), "HAS_VALUE");
    g_assert_nonnull (p);
    g_assert_cmpstr (json_node_get_string (p->previous_value), ==, "n0");
    g_assert_cmpstr (json_node_get_string (p->new_value), ==, "nb");
    g_assert_null (dattr (n, "size"));
    g_assert_null (dattr (n, "name"));
    g_assert_nonnull (drel (n, "site"));
    g_assert_cmpuint (d->conflicts->len, ==, 0);
  }

  /* main changes the note too: a conflict */
  upd (S (f), NULL, "GenPool", "{'id': '%s', 'note': {'value': 'nm'}}", pool);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffConflict *c = only_conflict (d);
    g_autofree char *path = g_strdup_printf ("%s/attribute/note/value", pool);

    g_assert_cmpstr (c->path, ==, path);
    g_assert_cmpstr (json_node_get_string (c->base_value), ==, "nm");
    g_assert_cmpstr (json_node_get_string (c->diff_value), ==, "nb");
    cid = g_strdup (c->id);
  }
  g_assert_false (merge (S (f), "b", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (bough_store_resolve_conflict (S (f), cid, BOUGH_DIFF_SIDE_DIFF, &error));
  g_assert_no_error (error);
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);

  v = str_of (S (f), NULL, 0, pool, "note");
  g_assert_cmpstr (v, ==, "nb");
  g_assert_cmpint (int_of (S (f), NULL, pool, "size"), ==, 2);
  g_assert_cmpuint (peers_of (S (f), NULL, pool, "site", &peer), ==, 1);
  g_assert_cmpstr (peer, ==, site);
}

/* A rebase takes main's changes to the branch attributes of an agnostic
 * node and keeps the branch's own. */
static void
test_agnostic_branch_attributes_rebase (StoreFixture  *f,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pool = NULL;
  g_autofree char *v = NULL;

  add_schema (S (f), pool_schema_yaml);
  pool = mk (S (f), NULL, "GenPool", "{'name': {'value': 'p1'}, 'note': {'value': 'n0'}, 'size': {'value': 1}}");
  branch (S (f), "b");
  upd (S (f), "b", "GenPool", "{'id': '%s', 'note': {'value': 'nb'}}", pool);
  upd (S (f), NULL, "GenPool", "{'id': '%s', 'size': {'value': 5}}", pool);
  g_assert_cmpint (int_of (S (f), "b", pool, "size"), ==, 1);
  g_assert_true (bough_store_rebase_branch (S (f), "b", "alice", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (int_of (S (f), "b", pool, "size"), ==, 5);
  v = str_of (S (f), "b", 0, pool, "note");
  g_assert_cmpstr (v, ==, "nb");
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffNode *n = dnode (d, pool);
    g_assert_nonnull (dattr (n, "note"));
    g_assert_null (dattr (n, "size"));
  }
}

/* Extends the schema of @branch_name (NULL: main) with @yaml. */
static void
extend_schema (BoughStore *store,
               const char *branch_name,
               const char *yaml)
{
  store_test_set_schema (store, branch_name, NULL, yaml, "alice");
}

static const char *
attr_label (BoughStore *store,
            const char *branch_name,
            const char *kind,
            const char *attr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = bough_store_get_schema (store, branch_name, 0, &error);
  BoughNodeSchema *ns;
  static char label[64];

  g_assert_no_error (error);
  ns = bough_schema_lookup (schema, kind);
  g_assert_nonnull (ns);
  g_strlcpy (label, bough_node_schema_get_attribute (ns, attr)->label, sizeof label);
  return label;
}

static gboolean
has_kind (BoughStore *store,
          const char *branch_name,
          const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = bough_store_get_schema (store, branch_name, 0, &error);

  g_assert_no_error (error);
  return bough_schema_lookup (schema, kind) != NULL;
}

#define RACK_YAML "version: '1.0'\nnodes:\n  - name: Rack\n    namespace: Test\n" \
                  "    attributes:\n      - name: name\n        kind: Text\n"
#define SHELF_YAML "version: '1.0'\nnodes:\n  - name: Shelf\n    namespace: Test\n" \
                   "    attributes:\n      - name: name\n        kind: Text\n"
#define REGION_YAML(label) "version: '1.0'\nnodes:\n  - name: Site\n    namespace: Test\n" \
                           "    attributes:\n      - name: region\n        kind: Text\n" \
                           "        optional: true\n        label: '" label "'\n"

/* A rebase brings main's schema changes into a branch that changed its
 * schema too; both changing one element is a conflict. */
static void
test_rebase_schema (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  branch (S (f), "s");
  extend_schema (S (f), "s", RACK_YAML);
  extend_schema (S (f), NULL, SHELF_YAML);
  g_assert_false (has_kind (S (f), "s", "TestShelf"));
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "s", 0);
    g_assert_cmpuint (d->num_conflicts, ==, 0);
  }
  g_assert_true (bough_store_rebase_branch (S (f), "s", "alice", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (has_kind (S (f), "s", "TestShelf"));
  g_assert_true (has_kind (S (f), "s", "TestRack"));
  g_assert_false (has_kind (S (f), NULL, "TestRack"));

  /* both sides relabel one attribute */
  extend_schema (S (f), "s", REGION_YAML ("Region B"));
  extend_schema (S (f), NULL, REGION_YAML ("Region M"));
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "s", 0);
    BoughDiffConflict *c = only_conflict (d);

    g_assert_cmpstr (c->path, ==, "schema/TestSite/attribute/region");
    g_assert_cmpint (c->base_action, ==, BOUGH_DIFF_UPDATED);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (c->base_value), "label"), ==, "Region M");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (c->diff_value), "label"), ==, "Region B");
    g_assert_true (bough_store_resolve_conflict (S (f), c->id, BOUGH_DIFF_SIDE_BASE, &error));
    g_assert_no_error (error);
  }
  g_assert_true (bough_store_rebase_branch (S (f), "s", "alice", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (attr_label (S (f), "s", "TestSite", "region"), ==, "Region M");
  g_assert_true (has_kind (S (f), "s", "TestRack"));
}

/* A merge keeps main's schema changes made since the branch point. */
static void
test_merge_schema_both (StoreFixture  *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  branch (S (f), "s");
  extend_schema (S (f), "s", RACK_YAML);
  extend_schema (S (f), "s", REGION_YAML ("Region B"));
  extend_schema (S (f), NULL, SHELF_YAML);
  extend_schema (S (f), NULL, REGION_YAML ("Region M"));
  g_assert_false (merge (S (f), "s", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "schema/TestSite/attribute/region"));
  g_clear_error (&error);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "s", 0);
    g_assert_true (bough_store_resolve_conflict (S (f), only_conflict (d)->id, BOUGH_DIFF_SIDE_DIFF, &error));
  }
  g_assert_true (merge (S (f), "s", &error));
  g_assert_no_error (error);
  g_assert_true (has_kind (S (f), NULL, "TestRack"));
  g_assert_true (has_kind (S (f), NULL, "TestShelf"));
  g_assert_cmpstr (attr_label (S (f), NULL, "TestSite", "region"), ==, "Region B");
}

/* ---- derived values at merge ---- */

static char *
hfid_of (BoughStore *store,
         const char *id)
{
  g_autoptr(BoughNode) n = get (store, NULL, 0, id);

  g_assert_nonnull (n);
  g_assert_nonnull (n->hfid);
  return g_strjoinv ("/", n->hfid);
}

/* The hfid of a node reads its peer's name: merged, it is computed from the
 * merged state, not copied from either side. */
static void
test_merge_derived (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}}");
  g_autofree char *dev = mk (S (f), NULL, "TestDevice", "{'name': {'value': 'dev1'}, 'site': {'id': '%s'}}", site);
  g_autofree char *other = mk (S (f), NULL, "TestDevice", "{'name': {'value': 'devx'}, 'site': {'id': '%s'}}", site);
  g_autofree char *eth0 = mk (S (f), NULL, "TestInterface", "{'name': {'value': 'eth0'}, 'device': {'id': '%s'}}", dev);
  g_autofree char *xeth = mk (S (f), NULL, "TestInterface", "{'name': {'value': 'x0'}, 'device': {'id': '%s'}}", other);
  g_autofree char *eth9 = NULL;
  g_autofree char *h = NULL;

  branch (S (f), "b");
  /* the branch renames an interface of dev1 and the device devx; main
   * renames dev1 and adds an interface to devx */
  upd (S (f), "b", "TestInterface", "{'id': '%s', 'name': {'value': 'eth1'}}", eth0);
  upd (S (f), "b", "TestDevice", "{'id': '%s', 'name': {'value': 'devy'}}", other);
  upd (S (f), NULL, "TestDevice", "{'id': '%s', 'name': {'value': 'dev2'}}", dev);
  eth9 = mk (S (f), NULL, "TestInterface", "{'name': {'value': 'eth9'}, 'device': {'id': '%s'}}", other);
  h = hfid_of (S (f), eth9);
  g_assert_cmpstr (h, ==, "devx/eth9");
  g_clear_pointer (&h, g_free);

  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
  h = hfid_of (S (f), eth0);
  g_assert_cmpstr (h, ==, "dev2/eth1");
  g_clear_pointer (&h, g_free);
  h = hfid_of (S (f), eth9);
  g_assert_cmpstr (h, ==, "devy/eth9");
  g_clear_pointer (&h, g_free);
  h = hfid_of (S (f), xeth);
  g_assert_cmpstr (h, ==, "devy/x0");
  g_clear_pointer (&h, g_free);

  /* the lookups follow: the new hfid finds the node */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (S (f), NULL, "alice", &error);
    g_autoptr(JsonObject) d = J ("{'hfid': ['dev2', 'eth1'], 'speed': {'value': 10}}");
    g_autoptr(BoughNode) n = NULL;

    g_assert_no_error (error);
    n = bough_txn_update (txn, "TestInterface", d, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (n->id, ==, eth0);
    g_assert_true (bough_txn_commit (txn, &error));
  }
}

/* ---- merge ---- */

static void
test_merge (StoreFixture  *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}, 'description': {'value': 'd0'}}");
  g_autofree char *old = mk (S (f), NULL, "TestSite", "{'name': {'value': 'old'}}");
  g_autofree char *dev = NULL;
  g_autofree char *ifc = NULL;
  g_autofree char *v = NULL;
  g_autofree char *peer = NULL;
  g_autoptr(BoughBranch) rec = NULL;
  gint64 before;
  gint64 after;

  branch (S (f), "b");
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'd-branch'}}", site);
  dev = mk (S (f), "b", "TestDevice", "{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", site);
  ifc = mk (S (f), "b", "TestInterface", "{'name': {'value': 'eth0'}, 'device': {'id': '%s'}}", dev);
  del (S (f), "b", "TestSite", old);
  /* main changes another attribute of the same node meanwhile */
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'region': {'value': 'r-main'}}", site);
  before = bough_store_now (S (f));

  g_assert_true (bough_store_merge_branch (S (f), "b", "alice", NULL, NULL, &error));
  g_assert_no_error (error);
  after = bough_store_now (S (f));

  v = str_of (S (f), NULL, 0, site, "description");
  g_assert_cmpstr (v, ==, "d-branch");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), NULL, 0, site, "region");
  g_assert_cmpstr (v, ==, "r-main");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), NULL, 0, ifc, "name");
  g_assert_cmpstr (v, ==, "eth0");
  g_clear_pointer (&v, g_free);
  g_assert_cmpuint (peers_of (S (f), NULL, ifc, "device", &peer), ==, 1);
  g_assert_cmpstr (peer, ==, dev);
  g_assert_cmpuint (peers_of (S (f), NULL, site, "devices", NULL), ==, 1);
  g_assert_null (get (S (f), NULL, 0, old));
  /* found by hfid on main: the lookups came along */
  {
    const char *hfid[] = { "edge1", "eth0", NULL };
    g_autoptr(BoughNode) n = bough_store_get_node_by_hfid (S (f), NULL, 0, "TestInterface", hfid, &error);
    g_assert_no_error (error);
    g_assert_nonnull (n);
    g_assert_cmpstr (n->id, ==, ifc);
  }

  /* time travel across the merge */
  v = str_of (S (f), NULL, before, site, "description");
  g_assert_cmpstr (v, ==, "d0");
  g_clear_pointer (&v, g_free);
  g_assert_null (get (S (f), NULL, before, dev));
  v = str_of (S (f), NULL, after, old, "name");
  g_assert_null (v);
  v = str_of (S (f), NULL, before, old, "name");
  g_assert_cmpstr (v, ==, "old");
  g_clear_pointer (&v, g_free);

  /* merged: read-only, still readable, no longer mergeable */
  rec = bough_store_get_branch (S (f), "b", &error);
  g_assert_cmpint (rec->status, ==, BOUGH_BRANCH_STATUS_MERGED);
  v = str_of (S (f), "b", 0, site, "description");
  g_assert_cmpstr (v, ==, "d-branch");
  g_clear_pointer (&v, g_free);
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (S (f), "b", NULL, &error);
    g_assert_null (txn);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
    g_clear_error (&error);
  }
  g_assert_false (merge (S (f), "b", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (bough_store_delete_branch (S (f), "b", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
progress_cb (const char *step,
             guint       done,
             guint       total,
             gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (step));
}

/* The branch's schema changes stay on it until the merge. */
static void
test_merge_schema (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) base = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(BoughSchema) extended = NULL;
  g_autoptr(BoughSchema) main_schema = NULL;
  g_autoptr(BoughBranch) rec = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = NULL;
  g_autofree char *v = NULL;

  branch (S (f), "schema");
  base = bough_store_get_schema (S (f), "schema", 0, &error);
  g_assert_no_error (error);
  builder = bough_schema_builder_new (base);
  g_assert_true (bough_schema_builder_add_data (builder,
                 "version: '1.0'\nnodes:\n  - name: Rack\n    namespace: Test\n"
                 "    attributes:\n      - name: name\n        kind: Text\n", -1, "ext", &error));
  extended = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_true (bough_store_set_schema (S (f), "schema", extended, "alice", &error));
  g_assert_no_error (error);
  rec = bough_store_get_branch (S (f), "schema", &error);
  g_assert_true (rec->has_schema_changes);
  id = mk (S (f), "schema", "TestRack", "{'name': {'value': 'r1'}}");
  main_schema = bough_store_get_schema (S (f), NULL, 0, &error);
  g_assert_null (bough_schema_lookup (main_schema, "TestRack"));
  g_clear_pointer (&main_schema, bough_schema_unref);

  g_assert_true (bough_store_merge_branch (S (f), "schema", NULL, progress_cb, steps, &error));
  g_assert_no_error (error);
  main_schema = bough_store_get_schema (S (f), NULL, 0, &error);
  g_assert_nonnull (bough_schema_lookup (main_schema, "TestRack"));
  v = str_of (S (f), NULL, 0, id, "name");
  g_assert_cmpstr (v, ==, "r1");
  g_assert_cmpuint (steps->len, >=, 3);
  g_assert_cmpstr (g_ptr_array_index (steps, 0), ==, "diff");
  g_assert_cmpstr (g_ptr_array_index (steps, steps->len - 1), ==, "done");

  /* The merged branch is read-only for its schema too. */
  g_assert_false (bough_store_set_schema (S (f), "schema", base, "alice", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&main_schema, bough_schema_unref);
  main_schema = bough_store_get_schema (S (f), "schema", 0, &error);
  g_assert_nonnull (bough_schema_lookup (main_schema, "TestRack"));
}

/* ---- rebase ---- */

static void
test_rebase (StoreFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}, 'description': {'value': 'd0'}, 'region': {'value': 'r0'}}");
  g_autofree char *x = mk (S (f), NULL, "TestSite", "{'name': {'value': 'x'}, 'description': {'value': 'x0'}}");
  g_autofree char *added = NULL;
  g_autofree char *v = NULL;
  g_autoptr(BoughBranch) before_rec = NULL;
  g_autoptr(BoughBranch) after_rec = NULL;
  gint64 before;

  branch (S (f), "b");
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'd-branch'}}", site);
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'x-branch'}}", x);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'region': {'value': 'r-main'}}", site);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'description': {'value': 'x-main'}}", x);
  added = mk (S (f), NULL, "TestSite", "{'name': {'value': 'new-on-main'}}");
  before_rec = bough_store_get_branch (S (f), "b", &error);
  before = bough_store_now (S (f));

  g_assert_null (get (S (f), "b", 0, added));
  g_assert_true (bough_store_rebase_branch (S (f), "b", "alice", NULL, NULL, &error));
  g_assert_no_error (error);
  after_rec = bough_store_get_branch (S (f), "b", &error);
  g_assert_cmpint (after_rec->branched_from, >, before_rec->branched_from);
  g_assert_cmpint (after_rec->status, ==, BOUGH_BRANCH_STATUS_OPEN);

  /* the branch keeps its values (the open conflict too) and takes main's */
  v = str_of (S (f), "b", 0, site, "description");
  g_assert_cmpstr (v, ==, "d-branch");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), "b", 0, site, "region");
  g_assert_cmpstr (v, ==, "r-main");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), "b", 0, x, "description");
  g_assert_cmpstr (v, ==, "x-branch");
  g_clear_pointer (&v, g_free);
  v = str_of (S (f), "b", 0, added, "name");
  g_assert_cmpstr (v, ==, "new-on-main");
  g_clear_pointer (&v, g_free);

  /* time travel: the branch before the rebase */
  v = str_of (S (f), "b", before, site, "region");
  g_assert_cmpstr (v, ==, "r0");
  g_clear_pointer (&v, g_free);
  g_assert_null (get (S (f), "b", before, added));

  /* the diff now starts at the rebase: no conflict, only the branch's values */
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    BoughDiffProperty *p;
    g_assert_cmpuint (d->conflicts->len, ==, 0);
    g_assert_cmpuint (d->nodes->len, ==, 2);
    g_assert_null (dattr (dnode (d, site), "region"));
    p = dprop (dattr (dnode (d, x), "description"), "HAS_VALUE");
    g_assert_cmpstr (json_node_get_string (p->previous_value), ==, "x-main");
    g_assert_cmpstr (json_node_get_string (p->new_value), ==, "x-branch");
  }
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
  v = str_of (S (f), NULL, 0, x, "description");
  g_assert_cmpstr (v, ==, "x-branch");
}

/* A conflict resolved for main before a rebase: the branch takes main's value. */
static void
test_rebase_resolution (StoreFixture  *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}, 'description': {'value': 'd0'}}");
  g_autofree char *s1 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's1'}}");
  g_autofree char *s2 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's2'}}");
  g_autofree char *s3 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's3'}}");
  g_autofree char *dev = mk (S (f), NULL, "TestDevice", "{'name': {'value': 'd'}, 'site': {'id': '%s'}}", s1);
  g_autofree char *v = NULL;
  g_autofree char *peer = NULL;

  branch (S (f), "b");
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'branch'}}", site);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'description': {'value': 'main'}}", site);
  upd (S (f), "b", "TestDevice", "{'id': '%s', 'site': {'id': '%s'}}", dev, s2);
  upd (S (f), NULL, "TestDevice", "{'id': '%s', 'site': {'id': '%s'}}", dev, s3);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpuint (d->num_conflicts, >=, 2);
    for (guint i = 0; i < d->conflicts->len; i++)
      {
        BoughDiffConflict *c = g_ptr_array_index (d->conflicts, i);
        /* main's description, the branch's site */
        BoughDiffSide side = strstr (c->path, "/attribute/") ? BOUGH_DIFF_SIDE_BASE : BOUGH_DIFF_SIDE_DIFF;
        g_assert_true (bough_store_resolve_conflict (S (f), c->id, side, &error));
      }
  }
  g_assert_true (bough_store_rebase_branch (S (f), "b", NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  v = str_of (S (f), "b", 0, site, "description");
  g_assert_cmpstr (v, ==, "main");
  g_assert_cmpuint (peers_of (S (f), "b", dev, "site", &peer), ==, 1);
  g_assert_cmpstr (peer, ==, s2);
}

/* ---- delete ---- */

static gint64
count_sql (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_delete (StoreFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}}");
  g_autofree char *dev = NULL;
  g_autofree char *v = NULL;

  branch (S (f), "gone");
  dev = mk (S (f), "gone", "TestDevice", "{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", site);
  upd (S (f), "gone", "TestSite", "{'id': '%s', 'region': {'value': 'x'}}", site);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM nodes WHERE branch = 'gone'"), >, 0);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM rels WHERE branch = 'gone'"), >, 0);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM lookups WHERE branch = 'gone'"), >, 0);

  g_assert_true (bough_store_delete_branch (S (f), "gone", "alice", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (bough_store_get_branch (S (f), "gone", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bough_store_branch_exists (S (f), "gone"));
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM nodes WHERE branch = 'gone'"), ==, 0);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM rels WHERE branch = 'gone'"), ==, 0);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM lookups WHERE branch = 'gone'"), ==, 0);
  v = str_of (S (f), NULL, 0, site, "name");
  g_assert_cmpstr (v, ==, "atl");
  /* the name is free again, and the new branch starts clean */
  branch (S (f), "gone");
  g_assert_null (get (S (f), "gone", 0, dev));
}

/* ---- concurrency ---- */

static gpointer
create_thread (gpointer user_data)
{
  RaceData *rd = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (rd->store, rd->branch, NULL, &error);
  g_autoptr(JsonObject) d = J (rd->json);
  g_autoptr(BoughNode) n = NULL;

  if (txn != NULL)
    n = bough_txn_create (txn, rd->kind, d, &error);
  if (n != NULL && bough_txn_commit (txn, &error))
    g_atomic_int_inc (&rd->ok);
  else if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE))
    g_atomic_int_inc (&rd->conflict);
  else
    g_atomic_int_inc (&rd->other);
  return NULL;
}

static gpointer
update_thread (gpointer user_data)
{
  RaceData *rd = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (rd->store, rd->branch, NULL, &error);
  g_autoptr(JsonObject) d = J (rd->json);
  g_autoptr(BoughNode) n = NULL;

  if (txn != NULL)
    n = bough_txn_update (txn, rd->kind, d, &error);
  if (n != NULL && bough_txn_commit (txn, &error))
    g_atomic_int_inc (&rd->ok);
  else
    g_atomic_int_inc (&rd->other);
  return NULL;
}

/* RELIABILITY 8 and 9 on a branch: 32 creates of one unique hfid make one
 * node; 32 writers of a cardinality one relationship leave one peer. */
static void
test_concurrent_writers (StoreFixture  *f,
                         gconstpointer  data)
{
  RaceData rd = { 0 };
  GThread *threads[32];
  g_autofree char *dev = NULL;
  g_autofree char *peer = NULL;
  char *sites[32] = { NULL };
  RaceData per[32];

  branch (S (f), "b");
  rd.store = S (f);
  rd.branch = "b";
  rd.kind = "TestSite";
  rd.json = "{'name': {'value': 'same'}}";
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("create", create_thread, &rd);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (rd.ok, ==, 1);
  g_assert_cmpint (rd.conflict, ==, 31);
  g_assert_cmpint (rd.other, ==, 0);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM nodes WHERE kind = 'TestSite'"
                                       " AND to_stamp IS NULL AND status = 0"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (sites); i++)
    sites[i] = mk (S (f), "b", "TestSite", "{'name': {'value': 'site%u'}}", i);
  dev = mk (S (f), "b", "TestDevice", "{'name': {'value': 'd'}, 'site': {'id': '%s'}}", sites[0]);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      per[i] = rd;
      per[i].ok = per[i].other = per[i].conflict = 0;
      per[i].kind = "TestDevice";
      per[i].json = g_strdup_printf ("{'id': '%s', 'site': {'id': '%s'}}", dev, sites[i]);
      threads[i] = g_thread_new ("update", update_thread, &per[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (per[i].ok, ==, 1);
      g_free ((char *) per[i].json);
    }
  g_assert_cmpuint (peers_of (S (f), "b", dev, "site", &peer), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (sites); i++)
    g_free (sites[i]);
}

/* RELIABILITY 12: the same upsert twice writes nothing the second time. */
static void
test_upsert_replay (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  gint64 versions, commits;

  branch (S (f), "b");
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(BoughTxn) txn = bough_store_begin (S (f), "b", NULL, &error);
      g_autoptr(JsonObject) d = J ("{'name': {'value': 'up'}, 'region': {'value': 'r'}}");
      g_autoptr(BoughNode) n = NULL;
      gboolean created = FALSE;

      n = bough_txn_upsert (txn, "TestSite", d, &created, &error);
      g_assert_no_error (error);
      g_assert_true (bough_txn_commit (txn, &error));
      if (round == 0)
        {
          g_assert_true (created);
          first = g_strdup (n->id);
          versions = count_sql (f->path, "SELECT count(*) FROM nodes");
          commits = count_sql (f->path, "SELECT count(*) FROM commits");
        }
      else
        {
          g_assert_false (created);
          g_assert_cmpstr (n->id, ==, first);
        }
    }
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM nodes"), ==, versions);
  g_assert_cmpint (count_sql (f->path, "SELECT count(*) FROM commits"), ==, commits);
}

typedef struct
{
  BoughStore *store;
  gint        stop;
  gint        bad;
  char       *site;
} ReaderData;

static gpointer
snapshot_reader (gpointer user_data)
{
  ReaderData *rd = user_data;

  while (!g_atomic_int_get (&rd->stop))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
      g_autoptr(BoughQueryResult) r = NULL;

      q->count_only = TRUE;
      r = bough_store_query (rd->store, q, &error);
      /* all of the branch's 200 devices or none of them */
      if (r == NULL || (r->count != 0 && r->count != 200))
        g_atomic_int_inc (&rd->bad);
    }
  return NULL;
}

/* RELIABILITY 11: reads during a merge see main before or after it, never
 * half of it; a writer waits for the merge and then succeeds. */
static void
test_merge_snapshot_reads (StoreFixture  *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ReaderData rd = { 0 };
  GThread *reader;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}}");

  branch (S (f), "b");
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (S (f), "b", NULL, &error);
    for (guint i = 0; i < 200; i++)
      {
        g_autofree char *json = g_strdup_printf ("{\"name\": {\"value\": \"d%u\"}, \"site\": {\"id\": \"%s\"}}", i, site);
        g_autoptr(JsonObject) d = J (json);
        g_autoptr(BoughNode) n = bough_txn_create (txn, "TestDevice", d, &error);
        g_assert_no_error (error);
      }
    g_assert_true (bough_txn_commit (txn, &error));
  }
  rd.store = S (f);
  reader = g_thread_new ("reader", snapshot_reader, &rd);
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
  g_atomic_int_set (&rd.stop, 1);
  g_thread_join (reader);
  g_assert_cmpint (rd.bad, ==, 0);
}

/* ---- recorded conflicts, DiffUpdate, windows ---- */

static gint64
conflict_rows (StoreFixture *f,
               const char   *branch_name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM conflicts WHERE branch = '%s'", branch_name);
  return count_sql (f->path, sql);
}

/* Recorded conflicts that no longer apply are pruned: by a diff that no
 * longer finds them, by a rebase and by a merge. */
static void
test_conflict_prune (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = mk (S (f), NULL, "TestSite", "{'name': {'value': 'atl'}, 'description': {'value': 'base'}}");

  branch (S (f), "b");
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'branch'}}", site);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'description': {'value': 'main'}}", site);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpuint (d->num_conflicts, ==, 1);
  }
  g_assert_cmpint (conflict_rows (f, "b"), ==, 1);

  /* the branch takes main's value: no conflict, nothing recorded */
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'main'}}", site);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpuint (d->num_conflicts, ==, 0);
  }
  g_assert_cmpint (conflict_rows (f, "b"), ==, 0);

  /* a rebase leaves no conflict of the old branch point */
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'again'}}", site);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpuint (d->num_conflicts, ==, 1);
  }
  g_assert_cmpint (conflict_rows (f, "b"), ==, 1);
  g_assert_true (bough_store_rebase_branch (S (f), "b", "alice", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (conflict_rows (f, "b"), ==, 0);

  /* nor does a merge */
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'description': {'value': 'main2'}}", site);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpuint (d->num_conflicts, ==, 1);
    g_assert_true (bough_store_resolve_conflict (S (f), only_conflict (d)->id, BOUGH_DIFF_SIDE_DIFF, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (conflict_rows (f, "b"), ==, 1);
  g_assert_true (merge (S (f), "b", &error));
  g_assert_no_error (error);
  g_assert_cmpint (conflict_rows (f, "b"), ==, 0);
}

/* The untracked counts are the changes made since the last DiffUpdate. */
static void
test_diff_untracked (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *s1 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's1'}}");
  g_autofree char *s2 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's2'}}");

  branch (S (f), "b");
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'b1'}}", s1);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'description': {'value': 'm1'}}", s2);
  {
    /* never updated: all of it is untracked */
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpint (d->updated_at, ==, 0);
    g_assert_cmpuint (d->num_untracked_diff_changes, ==, 1);
    g_assert_cmpuint (d->num_untracked_base_changes, ==, 1);
  }
  g_assert_true (bough_store_update_diff (S (f), "b", &error));
  g_assert_no_error (error);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpint (d->updated_at, >, 0);
    g_assert_cmpuint (d->num_untracked_diff_changes, ==, 0);
    g_assert_cmpuint (d->num_untracked_base_changes, ==, 0);
    g_assert_cmpuint (d->num_updated, ==, 1);
  }
  upd (S (f), "b", "TestSite", "{'id': '%s', 'description': {'value': 'b2'}}", s2);
  upd (S (f), NULL, "TestSite", "{'id': '%s', 'region': {'value': 'm2'}}", s1);
  {
    g_autoptr(BoughDiff) d = diff_of (S (f), "b", 0);
    g_assert_cmpuint (d->num_untracked_diff_changes, ==, 1);
    g_assert_cmpuint (d->num_untracked_base_changes, ==, 1);
    g_assert_cmpuint (d->num_updated, ==, 2);
  }
  g_assert_false (bough_store_update_diff (S (f), "nope", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
}

/* A window keeps the branch's changes made within it. */
static void
test_diff_window (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *s1 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's1'}}");
  g_autofree char *s2 = mk (S (f), NULL, "TestSite", "{'name': {'value': 's2'}}");
  g_autofree char *j1 = g_strdup_printf ("{'id': '%s', 'description': {'value': 'one'}}", s1);
  g_autofree char *j2 = g_strdup_printf ("{'id': '%s', 'description': {'value': 'two'}}", s2);
  gint64 first, second;

  branch (S (f), "b");
  first = write1 (S (f), "b", "update", "TestSite", j1);
  second = write1 (S (f), "b", "update", "TestSite", j2);
  g_assert_cmpint (first, <, second);
  {
    g_autoptr(BoughDiff) d = bough_store_diff_branch_window (S (f), "b", 0, 0, first, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (d->nodes->len, ==, 1);
    g_assert_nonnull (dnode (d, s1));
    g_assert_cmpuint (d->num_updated, ==, 1);
    g_assert_cmpint (d->to_time, ==, first);
  }
  {
    g_autoptr(BoughDiff) d = bough_store_diff_branch_window (S (f), "b", 0, first + 1, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (d->nodes->len, ==, 1);
    g_assert_nonnull (dnode (d, s2));
    g_assert_cmpint (d->from_time, ==, first + 1);
  }
  {
    g_autoptr(BoughDiff) d = bough_store_diff_branch_window (S (f), "b", 0, 0, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (d->num_updated, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, StoreFixture, NULL, store_fixture_setup, fn, store_fixture_teardown)
  ADD ("/store-branch/records", test_records);
  ADD ("/store-branch/create-in-past", test_create_in_past);
  ADD ("/store-branch/concurrent-create", test_concurrent_create);
  ADD ("/store-branch/isolation", test_isolation);
  ADD ("/store-branch/diff/attribute", test_diff_attribute);
  ADD ("/store-branch/diff/added-removed", test_diff_added_removed);
  ADD ("/store-branch/diff/parents", test_diff_parents);
  ADD ("/store-branch/conflict/attribute", test_conflict_attribute);
  ADD ("/store-branch/conflict/base-and-reset", test_conflict_base_and_reset);
  ADD ("/store-branch/conflict/removed", test_conflict_removed);
  ADD ("/store-branch/conflict/cardinality-one", test_conflict_cardinality_one);
  ADD ("/store-branch/conflict/uniqueness", test_conflict_uniqueness);
  ADD ("/store-branch/conflict/prune", test_conflict_prune);
  ADD ("/store-branch/conflict/uniqueness-generic", test_conflict_uniqueness_generic);
  ADD ("/store-branch/diff/untracked", test_diff_untracked);
  ADD ("/store-branch/diff/window", test_diff_window);
  ADD ("/store-branch/merge", test_merge);
  ADD ("/store-branch/merge-derived", test_merge_derived);
  ADD ("/store-branch/rebase-schema", test_rebase_schema);
  ADD ("/store-branch/merge-schema-both", test_merge_schema_both);
  ADD ("/store-branch/agnostic-branch-attributes", test_agnostic_branch_attributes);
  ADD ("/store-branch/agnostic-branch-attributes-rebase", test_agnostic_branch_attributes_rebase);
  ADD ("/store-branch/merge-schema", test_merge_schema);
  ADD ("/store-branch/merge-snapshot-reads", test_merge_snapshot_reads);
  ADD ("/store-branch/rebase", test_rebase);
  ADD ("/store-branch/rebase-resolution", test_rebase_resolution);
  ADD ("/store-branch/delete", test_delete);
  ADD ("/store-branch/concurrent-writers", test_concurrent_writers);
  ADD ("/store-branch/upsert-replay", test_upsert_replay);
#undef ADD
  return g_test_run ();
}
