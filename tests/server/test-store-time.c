/* test-store-time.c: reads as of a time, history, and the branch overlay
 * (a branch sees main as of its branch point, its writes stay its own,
 * branch-agnostic kinds are shared).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "store-test-common.h"

#define STORE(f) ((f)->store)

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

static BoughNode *
get_at (BoughStore *store,
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

static gint64
count_at (BoughStore *store,
          const char *branch,
          gint64      at,
          const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) q = bough_query_new (kind);
  g_autoptr(BoughQueryResult) r = NULL;

  q->branch = g_strdup (branch);
  q->at = at;
  r = bough_store_query (store, q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->nodes->len, ==, r->count);
  return r->count;
}

static const char *
site_of (BoughStore *store,
         const char *branch,
         gint64      at,
         BoughNode  *device)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  const BoughRelationshipValue *site;

  g_ptr_array_add (nodes, device);
  g_assert_true (bough_store_fetch_peers (store, branch, at, nodes, "site", &error));
  g_assert_no_error (error);
  site = bough_node_get_relationship (device, "site");
  g_assert_nonnull (site);
  if (site->n_peers == 0)
    return NULL;
  return site->peers[0].display_label;
}

static void
test_read_at (StoreFixture  *f,
              gconstpointer  data)
{
  g_autofree char *atl1 = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  g_autofree char *jfk1 = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'jfk1'}}");
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", atl1);
  g_autofree char *dev = create_node (STORE (f), NULL, "TestDevice", json);
  gint64 t0, t1, t2, t3;

  t0 = bough_store_now (STORE (f));
  g_free (json);
  json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'v2'}, 'site': {'id': '%s'}}", dev, jfk1);
  t1 = write1 (STORE (f), NULL, "update", "TestDevice", json);
  g_free (json);
  json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'v3'}}", dev);
  t2 = write1 (STORE (f), NULL, "update", "TestDevice", json);
  g_free (json);
  json = g_strdup_printf ("{'id': '%s'}", dev);
  t3 = write1 (STORE (f), NULL, "delete", "TestDevice", json);
  g_assert_cmpint (t0, <, t1);

  {
    g_autoptr(BoughNode) n = get_at (STORE (f), NULL, t0, dev);
    g_assert_nonnull (n);
    g_assert_null (node_string (n, "description"));
    g_assert_cmpstr (site_of (STORE (f), NULL, t0, n), ==, "atl1");
  }
  {
    g_autoptr(BoughNode) n = get_at (STORE (f), NULL, t1, dev);
    g_assert_cmpstr (node_string (n, "description"), ==, "v2");
    g_assert_cmpstr (site_of (STORE (f), NULL, t1, n), ==, "jfk1");
  }
  {
    g_autoptr(BoughNode) n = get_at (STORE (f), NULL, t3 - 1, dev);
    g_assert_cmpstr (node_string (n, "description"), ==, "v3");
    g_assert_cmpint (n->updated_at, ==, t2);
  }
  {
    g_autoptr(BoughNode) n = get_at (STORE (f), NULL, t3, dev);
    g_assert_null (n);
  }
  {
    g_autoptr(BoughNode) n = get_at (STORE (f), NULL, 0, dev);
    g_assert_null (n);
  }
  {
    g_autoptr(BoughNode) n = get_at (STORE (f), NULL, 1, dev);
    g_assert_null (n);
  }
  g_assert_cmpint (count_at (STORE (f), NULL, t2, "TestDevice"), ==, 1);
  g_assert_cmpint (count_at (STORE (f), NULL, t3, "TestDevice"), ==, 0);
  g_assert_cmpint (count_at (STORE (f), NULL, 0, "TestDevice"), ==, 0);

  /* a filter as of a time */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
    g_autoptr(JsonNode) v = JN ("'atl1'");
    g_autoptr(BoughQueryResult) r = NULL;
    bough_query_add_filter (q, "site", "name", BOUGH_FILTER_VALUE, v);
    q->at = t0;
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 1);
    q->at = t1;
    g_clear_pointer (&r, bough_query_result_free);
    r = bough_store_query (STORE (f), q, &error);
    g_assert_cmpint (r->count, ==, 0);
  }
}

static void
test_history (StoreFixture  *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tag = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'red'}}");
  g_autofree char *site = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", site);
  g_autofree char *dev = create_node (STORE (f), NULL, "TestDevice", json);
  g_autoptr(GPtrArray) h = NULL;
  BoughHistoryEntry *e;

  g_free (json);
  json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'v2'}}", dev);
  write1 (STORE (f), NULL, "update", "TestDevice", json);
  g_free (json);
  json = g_strdup_printf ("{'id': '%s', 'tags': [{'id': '%s'}]}", dev, tag);
  write1 (STORE (f), NULL, "update", "TestDevice", json);
  g_free (json);
  json = g_strdup_printf ("{'id': '%s'}", dev);
  write1 (STORE (f), NULL, "delete", "TestDevice", json);

  h = bough_store_get_history (STORE (f), NULL, dev, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (h->len, ==, 4);
  e = g_ptr_array_index (h, 0);
  g_assert_cmpstr (e->action, ==, "created");
  g_assert_cmpstr (e->account, ==, "tester");
  g_assert_cmpstr (e->branch, ==, "main");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (e->data, "relationships"), "site"),
                   ==, site);
  e = g_ptr_array_index (h, 1);
  g_assert_cmpstr (e->action, ==, "updated");
  g_assert_cmpstr (e->account, ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (e->data, "attributes"),
                                                    "description"), "value"), ==, "v2");
  e = g_ptr_array_index (h, 2);
  g_assert_cmpstr (e->action, ==, "updated");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (e->data, "relationships"), "tags")), ==, 1);
  e = g_ptr_array_index (h, 3);
  g_assert_cmpstr (e->action, ==, "deleted");
  for (guint i = 1; i < h->len; i++)
    g_assert_cmpint (((BoughHistoryEntry *) g_ptr_array_index (h, i))->stamp, >,
                     ((BoughHistoryEntry *) g_ptr_array_index (h, i - 1))->stamp);

  {
    g_autoptr(GPtrArray) none = bough_store_get_history (STORE (f), NULL, "00000000-0000-4000-8000-000000000000",
                                                         &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_assert_null (none);
  }
}

static void
test_branch_overlay (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *atl1 = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", atl1);
  g_autofree char *dev = create_node (STORE (f), NULL, "TestDevice", json);
  g_autofree char *jfk1 = NULL;
  g_autofree char *ord1 = NULL;
  g_autofree char *lax1 = NULL;
  gint64 before_branch_change;

  g_assert_true (bough_store_create_branch (STORE (f), "b1", &error));
  g_assert_no_error (error);

  /* main after the branch point: invisible on the branch */
  jfk1 = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'jfk1'}}");
  /* the branch's own node: invisible on main */
  ord1 = create_node (STORE (f), "b1", "TestSite", "{'name': {'value': 'ord1'}}");
  g_assert_cmpint (count_at (STORE (f), NULL, 0, "TestSite"), ==, 2);
  g_assert_cmpint (count_at (STORE (f), "b1", 0, "TestSite"), ==, 2);
  {
    g_autoptr(BoughNode) n = get_at (STORE (f), "b1", 0, jfk1);
    g_assert_null (n);
  }
  {
    g_autoptr(BoughNode) n = get_at (STORE (f), NULL, 0, ord1);
    g_assert_null (n);
  }
  {
    g_autoptr(BoughNode) n = get_at (STORE (f), "b1", 0, ord1);
    g_assert_nonnull (n);
    g_assert_cmpstr (n->branch, ==, "b1");
  }

  /* an update on the branch of a node of main */
  before_branch_change = bough_store_now (STORE (f));
  g_free (json);
  json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'edge1-b'}, 'site': {'id': '%s'}}", dev, ord1);
  write1 (STORE (f), "b1", "update", "TestDevice", json);
  {
    g_autoptr(BoughNode) m = get_at (STORE (f), NULL, 0, dev);
    g_autoptr(BoughNode) b = get_at (STORE (f), "b1", 0, dev);
    g_autoptr(BoughNode) old = get_at (STORE (f), "b1", before_branch_change, dev);
    g_assert_cmpstr (node_string (m, "name"), ==, "edge1");
    g_assert_cmpstr (site_of (STORE (f), NULL, 0, m), ==, "atl1");
    g_assert_cmpstr (node_string (b, "name"), ==, "edge1-b");
    g_assert_cmpstr (site_of (STORE (f), "b1", 0, b), ==, "ord1");
    g_assert_cmpstr (node_string (old, "name"), ==, "edge1");
    g_assert_cmpstr (site_of (STORE (f), "b1", before_branch_change, old), ==, "atl1");
  }
  /* lookups follow the overlay */
  {
    const char *old_name[] = { "edge1", NULL };
    const char *new_name[] = { "edge1-b", NULL };
    g_autoptr(BoughNode) a = bough_store_get_node_by_hfid (STORE (f), "b1", 0, "TestDevice", new_name, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (a->id, ==, dev);
    {
      g_autoptr(BoughNode) b = bough_store_get_node_by_hfid (STORE (f), "b1", 0, "TestDevice", old_name, &error);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
    {
      g_autoptr(BoughNode) c = bough_store_get_node_by_hfid (STORE (f), NULL, 0, "TestDevice", old_name, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (c->id, ==, dev);
    }
    {
      g_autoptr(BoughNode) d = bough_store_get_node_by_hfid (STORE (f), NULL, 0, "TestDevice", new_name, &error);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
      g_clear_error (&error);
    }
  }
  /* filters see the branch's values */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
    g_autoptr(JsonNode) v = JN ("'ord1'");
    g_autoptr(BoughQueryResult) r = NULL;
    bough_query_add_filter (q, "site", "name", BOUGH_FILTER_VALUE, v);
    q->branch = g_strdup ("b1");
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 1);
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(JsonNode) v = JN ("true");
    g_autoptr(BoughQueryResult) r = NULL;
    bough_query_add_filter (q, "devices", NULL, BOUGH_FILTER_ISNULL, v);
    q->branch = g_strdup ("b1");
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 1);
    g_assert_cmpstr (node_string (g_ptr_array_index (r->nodes, 0), "name"), ==, "atl1");
  }

  /* uniqueness is checked against what the branch sees */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), "b1", NULL, &error);
    g_autoptr(JsonObject) d = J ("{'name': {'value': 'atl1'}}");
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE);
    g_clear_error (&error);
  }
  lax1 = create_node (STORE (f), "b1", "TestSite", "{'name': {'value': 'jfk1'}}");
  g_assert_nonnull (lax1);

  /* a delete on the branch */
  g_free (json);
  json = g_strdup_printf ("{'id': '%s'}", dev);
  write1 (STORE (f), "b1", "delete", "TestDevice", json);
  g_assert_cmpint (count_at (STORE (f), "b1", 0, "TestDevice"), ==, 0);
  g_assert_cmpint (count_at (STORE (f), NULL, 0, "TestDevice"), ==, 1);
  {
    g_autoptr(BoughNode) m = get_at (STORE (f), NULL, 0, dev);
    g_assert_cmpstr (site_of (STORE (f), NULL, 0, m), ==, "atl1");
  }
  /* main's history does not show the branch's changes */
  {
    g_autoptr(GPtrArray) hm = bough_store_get_history (STORE (f), NULL, dev, &error);
    g_autoptr(GPtrArray) hb = NULL;
    g_assert_no_error (error);
    g_assert_cmpuint (hm->len, ==, 1);
    hb = bough_store_get_history (STORE (f), "b1", dev, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (hb->len, ==, 3);
    g_assert_cmpstr (((BoughHistoryEntry *) g_ptr_array_index (hb, 2))->action, ==, "deleted");
    g_assert_cmpstr (((BoughHistoryEntry *) g_ptr_array_index (hb, 2))->branch, ==, "b1");
  }
  /* recreated on the branch with the same id */
  g_free (json);
  json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'edge1-c'}, 'site': {'id': '%s'}}", dev, atl1);
  write1 (STORE (f), "b1", "create", "TestDevice", json);
  {
    g_autoptr(BoughNode) b = get_at (STORE (f), "b1", 0, dev);
    g_assert_cmpstr (node_string (b, "name"), ==, "edge1-c");
    g_assert_cmpint (count_at (STORE (f), "b1", 0, "TestDevice"), ==, 1);
  }
}

static void
test_branch_links (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *atl1 = create_node (STORE (f), NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  g_autofree char *red = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'red'}}");
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'},"
                                           " 'tags': [{'id': '%s'}]}", atl1, red);
  g_autofree char *dev = create_node (STORE (f), NULL, "TestDevice", json);
  g_autofree char *blue = NULL;

  g_assert_true (bough_store_create_branch (STORE (f), "b2", &error));

  /* branch-agnostic kinds: one copy, visible on every branch */
  blue = create_node (STORE (f), "b2", "TestTag", "{'name': {'value': 'blue'}}");
  g_assert_cmpint (count_at (STORE (f), NULL, 0, "TestTag"), ==, 2);
  g_assert_cmpint (count_at (STORE (f), "b2", 0, "TestTag"), ==, 2);
  g_free (json);
  json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'navy'}}", blue);
  write1 (STORE (f), NULL, "update", "TestTag", json);
  {
    g_autoptr(BoughNode) b = get_at (STORE (f), "b2", 0, blue);
    g_assert_cmpstr (node_string (b, "name"), ==, "navy");
  }

  /* a link removed and another added on the branch */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), "b2", NULL, &error);
    g_autofree char *rm = g_strdup_printf ("[{'id': '%s'}]", red);
    g_autofree char *add = g_strdup_printf ("[{'id': '%s'}]", blue);
    g_autoptr(JsonArray) prm = JA (rm);
    g_autoptr(JsonArray) padd = JA (add);
    g_assert_true (bough_txn_relationship_remove (txn, dev, "tags", prm, &error));
    g_assert_true (bough_txn_relationship_add (txn, dev, "tags", padd, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  for (guint pass = 0; pass < 2; pass++)
    {
      const char *branch = pass == 0 ? NULL : "b2";
      g_autoptr(BoughNode) n = get_at (STORE (f), branch, 0, dev);
      g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
      const BoughRelationshipValue *tags;
      g_ptr_array_add (nodes, n);
      g_assert_true (bough_store_fetch_peers (STORE (f), branch, 0, nodes, "tags", &error));
      tags = bough_node_get_relationship (n, "tags");
      g_assert_cmpuint (tags->n_peers, ==, 1);
      g_assert_cmpstr (tags->peers[0].id, ==, pass == 0 ? red : blue);
    }
  /* and added back on the branch */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), "b2", NULL, &error);
    g_autofree char *add = g_strdup_printf ("[{'id': '%s'}]", red);
    g_autoptr(JsonArray) padd = JA (add);
    g_assert_true (bough_txn_relationship_add (txn, dev, "tags", padd, &error));
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
    g_autofree char *ids = g_strdup_printf ("['%s']", red);
    g_autoptr(JsonNode) v = JN (ids);
    g_autoptr(BoughQueryResult) r = NULL;
    bough_query_add_filter (q, "tags", NULL, BOUGH_FILTER_IDS, v);
    q->branch = g_strdup ("b2");
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 1);
  }
}

static void
test_attribute_branch_support (StoreFixture  *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = create_node (STORE (f), NULL, "TestSite",
                                       "{'name': {'value': 'atl1'}, 'contact': {'value': 'ann'}}");
  g_autofree char *repo = create_node (STORE (f), NULL, "TestRepo",
                                       "{'name': {'value': 'infra'}, 'commit': {'value': 'c-main'}}");
  g_autofree char *json = NULL;

  g_assert_true (bough_store_create_branch (STORE (f), "b3", &error));

  /* an agnostic attribute of a branch-aware node: one value on every branch */
  json = g_strdup_printf ("{'id': '%s', 'region': {'value': 'south'}, 'contact': {'value': 'bob'}}", site);
  write1 (STORE (f), "b3", "update", "TestSite", json);
  {
    g_autoptr(BoughNode) m = get_at (STORE (f), NULL, 0, site);
    g_autoptr(BoughNode) b = get_at (STORE (f), "b3", 0, site);
    g_assert_cmpstr (node_string (m, "contact"), ==, "bob");
    g_assert_null (node_string (m, "region"));
    g_assert_cmpstr (node_string (b, "contact"), ==, "bob");
    g_assert_cmpstr (node_string (b, "region"), ==, "south");
  }
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
      g_autoptr(JsonNode) v = JN ("'bob'");
      g_autoptr(BoughQueryResult) r = NULL;
      bough_query_add_filter (q, NULL, "contact", BOUGH_FILTER_VALUE, v);
      q->branch = g_strdup (pass == 0 ? NULL : "b3");
      r = bough_store_query (STORE (f), q, &error);
      g_assert_no_error (error);
      g_assert_cmpint (r->count, ==, 1);
    }

  /* a branch-local attribute of an agnostic node: its own value per branch */
  g_free (json);
  json = g_strdup_printf ("{'id': '%s', 'commit': {'value': 'c-b3'}}", repo);
  write1 (STORE (f), "b3", "update", "TestRepo", json);
  {
    g_autoptr(BoughNode) m = get_at (STORE (f), NULL, 0, repo);
    g_autoptr(BoughNode) b = get_at (STORE (f), "b3", 0, repo);
    g_assert_cmpstr (node_string (m, "commit"), ==, "c-main");
    g_assert_cmpstr (node_string (b, "commit"), ==, "c-b3");
    g_assert_cmpstr (node_string (b, "name"), ==, "infra");
  }
  /* the same value again writes nothing */
  {
    g_autoptr(GPtrArray) h1 = bough_store_get_history (STORE (f), "b3", repo, &error);
    g_autoptr(GPtrArray) h2 = NULL;
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), "b3", NULL, &error);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestRepo", d, &error);
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
    h2 = bough_store_get_history (STORE (f), "b3", repo, &error);
    g_assert_cmpuint (h1->len, ==, h2->len);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store-time/read-at", test_read_at);
  ADD ("/store-time/history", test_history);
  ADD ("/store-time/branch-overlay", test_branch_overlay);
  ADD ("/store-time/branch-links", test_branch_links);
  ADD ("/store-time/attribute-branch-support", test_attribute_branch_support);
#undef ADD

  return g_test_run ();
}
