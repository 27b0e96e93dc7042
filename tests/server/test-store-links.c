/* test-store-links.c: what the store tells of links themselves: the stable id of a
 * relationship instance, the listing of instances by identifier, the ancestors and descendants
 * of nodes in a hierarchy, and attribute ids.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "hierarchy-test-common.h"

static void
update (BoughStore *store,
        const char *branch,
        const char *kind,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "tester", &error);
  g_autoptr(JsonObject) data = J (json);
  g_autoptr(BoughNode) node = NULL;

  g_assert_no_error (error);
  node = bough_txn_update (txn, kind, data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
}

/* The rel_id of each peer of @relationship of node @id, in peer order. */
static GStrv
link_ids (BoughStore *store,
          const char *branch,
          const char *kind,
          const char *id,
          const char *relationship)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughNode) node = bough_store_get_node (store, branch, 0, kind, id, &error);
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const BoughRelationshipValue *rv;

  g_assert_no_error (error);
  g_ptr_array_add (nodes, node);
  g_assert_true (bough_store_fetch_peers (store, branch, 0, nodes, relationship, &error));
  g_assert_no_error (error);
  rv = bough_node_get_relationship (node, relationship);
  g_assert_nonnull (rv);
  for (guint i = 0; i < rv->n_peers; i++)
    {
      g_assert_true (g_uuid_string_is_valid (rv->peers[i].rel_id));
      g_strv_builder_add (builder, rv->peers[i].rel_id);
    }
  return g_strv_builder_end (builder);
}

static void
test_link_ids (StoreFixture  *f,
               gconstpointer  data)
{
  g_autofree char *site = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  g_autofree char *t1 = create_node (f->store, NULL, "TestTag", "{'name': {'value': 'red'}}");
  g_autofree char *t2 = create_node (f->store, NULL, "TestTag", "{'name': {'value': 'blue'}}");
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'},"
                                           " 'tags': [{'id': '%s'}, {'id': '%s'}]}", site, t1, t2);
  g_autofree char *dev = create_node (f->store, NULL, "TestDevice", json);
  g_autofree char *props = NULL;
  g_autofree char *readd = NULL;
  g_autofree char *drop = NULL;
  g_auto(GStrv) first = link_ids (f->store, NULL, "TestDevice", dev, "tags");
  g_auto(GStrv) again = NULL;
  g_auto(GStrv) changed = NULL;
  g_auto(GStrv) after_drop = NULL;
  g_auto(GStrv) after_readd = NULL;
  g_auto(GStrv) from_tag = NULL;
  g_auto(GStrv) on_branch = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_strv_length (first), ==, 2);
  g_assert_cmpstr (first[0], !=, first[1]);
  /* read again: the same */
  again = link_ids (f->store, NULL, "TestDevice", dev, "tags");
  g_assert_cmpstrv (first, again);
  /* the same link seen from the other end */
  from_tag = link_ids (f->store, NULL, "TestTag", t1, "member_of_groups");
  g_assert_cmpuint (g_strv_length (from_tag), ==, 0);

  /* a property changes: the link keeps its id */
  props = g_strdup_printf ("{'id': '%s', 'tags': [{'id': '%s', '_relation__is_protected': true}, {'id': '%s'}]}",
                           dev, t1, t2);
  update (f->store, NULL, "TestDevice", props);
  changed = link_ids (f->store, NULL, "TestDevice", dev, "tags");
  /* (the rewritten link now comes last: peers are in the order of their links' versions) */
  g_assert_cmpuint (g_strv_length (changed), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) changed, first[0]));
  g_assert_true (g_strv_contains ((const char * const *) changed, first[1]));

  /* removed, then made again: a new id */
  drop = g_strdup_printf ("{'id': '%s', 'tags': [{'id': '%s'}]}", dev, t2);
  update (f->store, NULL, "TestDevice", drop);
  after_drop = link_ids (f->store, NULL, "TestDevice", dev, "tags");
  g_assert_cmpuint (g_strv_length (after_drop), ==, 1);
  g_assert_cmpstr (after_drop[0], ==, first[1]);
  readd = g_strdup_printf ("{'id': '%s', 'tags': [{'id': '%s'}, {'id': '%s'}]}", dev, t2, t1);
  update (f->store, NULL, "TestDevice", readd);
  after_readd = link_ids (f->store, NULL, "TestDevice", dev, "tags");
  g_assert_cmpuint (g_strv_length (after_readd), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) after_readd, first[1]));
  g_assert_false (g_strv_contains ((const char * const *) after_readd, first[0]));

  /* a branch sees main's links with their ids */
  g_assert_true (bough_store_create_branch (f->store, "b1", &error));
  g_assert_no_error (error);
  on_branch = link_ids (f->store, "b1", "TestDevice", dev, "tags");
  g_assert_cmpstrv (after_readd, on_branch);
}

static void
test_list_relationships (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autofree char *site = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  const char *identifiers[] = { NULL, NULL };
  const char *excluded[] = { "Test", NULL };
  BoughNodeSchema *ns;
  g_autoptr(BoughSchema) schema = bough_store_get_schema (f->store, NULL, 0, &error);
  gint64 count = -1;

  ns = bough_schema_lookup (schema, "TestDevice");
  identifiers[0] = bough_node_schema_get_relationship (ns, "site")->identifier;
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'd%u'}, 'site': {'id': '%s'}}", i, site);

      g_ptr_array_add (devices, create_node (f->store, NULL, "TestDevice", json));
    }
  all = bough_store_list_relationships (f->store, NULL, 0, identifiers, NULL, 0, -1, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 5);
  g_assert_cmpuint (all->len, ==, 5);
  ids = link_ids (f->store, NULL, "TestDevice", g_ptr_array_index (devices, 0), "site");
  for (guint i = 0; i < all->len; i++)
    {
      BoughRelationshipInstance *inst = g_ptr_array_index (all, i);

      g_assert_cmpstr (inst->identifier, ==, identifiers[0]);
      g_assert_true ((g_str_equal (inst->src_kind, "TestDevice") && g_str_equal (inst->dst_kind, "TestSite")) ||
                     (g_str_equal (inst->src_kind, "TestSite") && g_str_equal (inst->dst_kind, "TestDevice")));
      /* oldest first: the first device's link, with the id its peer shows */
      if (i == 0)
        g_assert_cmpstr (inst->id, ==, ids[0]);
    }
  page = bough_store_list_relationships (f->store, NULL, 0, identifiers, NULL, 3, 10, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 5);
  g_assert_cmpuint (page->len, ==, 2);
  g_assert_cmpstr (((BoughRelationshipInstance *) g_ptr_array_index (page, 0))->id, ==,
                   ((BoughRelationshipInstance *) g_ptr_array_index (all, 3))->id);
  none = bough_store_list_relationships (f->store, NULL, 0, identifiers, excluded, 0, -1, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);
}

static const char *
peer_name (const BoughRelationshipValue *rv,
           guint                         i)
{
  return rv->peers[i].display_label;
}

static void
test_hierarchy (StoreFixture  *f,
                gconstpointer  data)
{
  g_autofree char *eu = create_node (f->store, NULL, "TestRegion", "{'name': {'value': 'eu'}}");
  g_autofree char *json = g_strdup_printf ("{'name': {'value': 'paris'}, 'parent': {'id': '%s'}}", eu);
  g_autofree char *paris = create_node (f->store, NULL, "TestCity", json);
  g_autofree char *json2 = g_strdup_printf ("{'name': {'value': 'lyon'}, 'parent': {'id': '%s'}}", eu);
  g_autofree char *lyon = create_node (f->store, NULL, "TestCity", json2);
  g_autofree char *json3 = g_strdup_printf ("{'name': {'value': 'p1'}, 'parent': {'id': '%s'}}", paris);
  g_autofree char *p1 = create_node (f->store, NULL, "TestRoom", json3);
  g_autofree char *json4 = g_strdup_printf ("{'name': {'value': 'l1'}, 'parent': {'id': '%s'}}", lyon);
  g_autofree char *l1 = create_node (f->store, NULL, "TestRoom", json4);
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) query = bough_query_new ("TestLocation");
  g_autoptr(BoughQueryResult) result = NULL;
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  const BoughRelationshipValue *rv;
  guint levels = 0;

  result = bough_store_query (f->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->nodes->len, ==, 5);
  for (guint i = 0; i < result->nodes->len; i++)
    {
      BoughNode *n = g_ptr_array_index (result->nodes, i);

      g_hash_table_insert (by_name, n->display_label, n);
    }

  {
    g_autoptr(GPtrArray) one = g_ptr_array_new ();

    g_ptr_array_add (one, g_hash_table_lookup (by_name, "p1"));
    g_assert_true (bough_store_fetch_hierarchy (f->store, NULL, 0, one, BOUGH_HIERARCHY_ANCESTORS,
                                                &levels, &error));
    g_assert_no_error (error);
    /* one statement per level: the city, the region, and the empty level above */
    g_assert_cmpuint (levels, ==, 3);
  }
  g_assert_true (bough_store_fetch_hierarchy (f->store, NULL, 0, result->nodes, BOUGH_HIERARCHY_ANCESTORS,
                                              &levels, &error));
  g_assert_no_error (error);
  /* every parent is among the nodes: one level finds them all */
  g_assert_cmpuint (levels, ==, 1);
  rv = bough_node_get_relationship (g_hash_table_lookup (by_name, "p1"), "ancestors");
  g_assert_nonnull (rv);
  g_assert_cmpuint (rv->n_peers, ==, 2);
  g_assert_cmpstr (peer_name (rv, 0), ==, "paris");
  g_assert_cmpstr (peer_name (rv, 1), ==, "eu");
  g_assert_cmpstr (rv->peers[1].id, ==, eu);
  g_assert_cmpstr (rv->peers[1].kind, ==, "TestRegion");
  g_assert_null (rv->peers[1].rel_id);
  rv = bough_node_get_relationship (g_hash_table_lookup (by_name, "eu"), "ancestors");
  g_assert_cmpuint (rv->n_peers, ==, 0);

  g_assert_true (bough_store_fetch_hierarchy (f->store, NULL, 0, result->nodes, BOUGH_HIERARCHY_DESCENDANTS,
                                              &levels, &error));
  g_assert_no_error (error);
  rv = bough_node_get_relationship (g_hash_table_lookup (by_name, "eu"), "descendants");
  g_assert_cmpuint (rv->n_peers, ==, 4);
  /* level by level: the cities before the rooms */
  g_assert_true (g_str_equal (rv->peers[0].kind, "TestCity") && g_str_equal (rv->peers[1].kind, "TestCity"));
  g_assert_true (g_str_equal (rv->peers[2].kind, "TestRoom") && g_str_equal (rv->peers[3].kind, "TestRoom"));
  rv = bough_node_get_relationship (g_hash_table_lookup (by_name, "lyon"), "descendants");
  g_assert_cmpuint (rv->n_peers, ==, 1);
  g_assert_cmpstr (rv->peers[0].id, ==, l1);
  rv = bough_node_get_relationship (g_hash_table_lookup (by_name, "l1"), "descendants");
  g_assert_cmpuint (rv->n_peers, ==, 0);
  (void) p1;
}

static void
test_attribute_id (void)
{
  g_autofree char *a = bough_store_attribute_id ("0189c6b2-0000-7000-8000-000000000001", "name");
  g_autofree char *b = bough_store_attribute_id ("0189c6b2-0000-7000-8000-000000000001", "name");
  g_autofree char *c = bough_store_attribute_id ("0189c6b2-0000-7000-8000-000000000001", "description");
  g_autofree char *d = bough_store_attribute_id ("0189c6b2-0000-7000-8000-000000000002", "name");

  g_assert_true (g_uuid_string_is_valid (a));
  g_assert_cmpint (a[14], ==, '5');
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (a, !=, d);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/store-links/ids", StoreFixture, NULL, store_fixture_setup, test_link_ids, store_fixture_teardown);
  g_test_add ("/store-links/list", StoreFixture, NULL, store_fixture_setup, test_list_relationships,
              store_fixture_teardown);
  g_test_add ("/store-links/hierarchy", StoreFixture, NULL, hierarchy_fixture_setup, test_hierarchy,
              store_fixture_teardown);
  g_test_add_func ("/store-links/attribute-id", test_attribute_id);

  return g_test_run ();
}
