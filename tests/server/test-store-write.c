/* test-store-write.c: creating, updating, upserting and deleting nodes,
 * relationship edits, and every constraint a write must respect.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "store-test-common.h"

typedef struct
{
  StoreFixture base;
  char        *site;      /* TestSite "atl1" */
  char        *site2;     /* TestSite "jfk1" */
  char        *device;    /* TestDevice "edge1" at atl1 */
  char        *intf;      /* TestInterface "eth0" of edge1 */
  char        *tag;       /* TestTag "red" */
} WriteFixture;

static void
write_setup (WriteFixture  *f,
             gconstpointer  data)
{
  g_autofree char *json = NULL;

  store_fixture_setup (&f->base, data);
  f->site = create_node (f->base.store, NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  f->site2 = create_node (f->base.store, NULL, "TestSite", "{'name': {'value': 'jfk1'}}");
  json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", f->site);
  f->device = create_node (f->base.store, NULL, "TestDevice", json);
  g_free (json);
  json = g_strdup_printf ("{'name': {'value': 'eth0'}, 'device': {'id': '%s'}}", f->device);
  f->intf = create_node (f->base.store, NULL, "TestInterface", json);
  f->tag = create_node (f->base.store, NULL, "TestTag", "{'name': {'value': 'red'}}");
}

static void
write_teardown (WriteFixture  *f,
                gconstpointer  data)
{
  g_free (f->site);
  g_free (f->site2);
  g_free (f->device);
  g_free (f->intf);
  g_free (f->tag);
  store_fixture_teardown (&f->base, data);
}

#define STORE(f) ((f)->base.store)

static gint64
count_kind (BoughStore *store,
            const char *branch,
            const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) q = bough_query_new (kind);
  g_autoptr(BoughQueryResult) r = NULL;

  q->branch = g_strdup (branch);
  q->count_only = TRUE;
  r = bough_store_query (store, q, &error);
  g_assert_no_error (error);
  return r->count;
}

static void
test_create (WriteFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughNode) site = bough_store_get_node (STORE (f), NULL, 0, "TestSite", f->site, &error);
  g_autoptr(BoughNode) dev = NULL;
  g_autoptr(BoughNode) intf = NULL;
  JsonObject *attr;

  g_assert_no_error (error);
  g_assert_cmpstr (site->kind, ==, "TestSite");
  g_assert_cmpstr (site->branch, ==, "main");
  g_assert_cmpstr (node_string (site, "name"), ==, "atl1");
  g_assert_cmpstr (site->display_label, ==, "atl1");
  g_assert_nonnull (site->hfid);
  g_assert_cmpstr (site->hfid[0], ==, "atl1");
  g_assert_null (site->hfid[1]);
  /* every attribute present, with its properties */
  g_assert_cmpuint (site->n_attributes, ==, 4);
  g_assert_nonnull (bough_node_get_attribute (site, "description"));
  g_assert_cmpint (bough_node_get_attribute (site, "description")->type, ==, BOUGH_VALUE_NULL);
  g_assert_cmpint (bough_node_get_attribute (site, "name")->type, ==, BOUGH_VALUE_STRING);
  g_assert_cmpstr (bough_node_get_attribute (site, "name")->v.string, ==, "atl1");
  /* the node made on demand is kept */
  g_assert_true (bough_node_get_value (site, "name") == bough_node_get_value (site, "name"));
  g_assert_null (bough_node_get_attribute (site, "nonexistent"));
  g_assert_null (bough_node_get_value (site, "nonexistent"));
  g_assert_true (JSON_NODE_HOLDS_NULL (bough_node_get_value (site, "description")));
  {
    const BoughAttributeValue *name = bough_node_get_attribute (site, "name");
    g_assert_nonnull (name);
    g_assert_false (name->is_default);
    g_assert_false (name->is_protected);
    g_assert_true (name->is_visible);
    g_assert_null (name->source);
    g_assert_cmpint (name->updated_at, ==, site->updated_at);
  }
  /* the public JSON shape */
  {
    g_autoptr(JsonObject) attrs = bough_node_attributes_to_json (site);
    g_assert_cmpuint (json_object_get_size (attrs), ==, 4);
    attr = json_object_get_object_member (attrs, "description");
    g_assert_nonnull (attr);
    g_assert_true (json_object_get_null_member (attr, "value"));
    attr = json_object_get_object_member (attrs, "name");
    g_assert_cmpstr (json_object_get_string_member (attr, "value"), ==, "atl1");
    g_assert_false (json_object_get_boolean_member (attr, "is_default"));
    g_assert_false (json_object_get_boolean_member (attr, "is_protected"));
    g_assert_true (json_object_get_boolean_member (attr, "is_visible"));
    g_assert_true (json_object_get_null_member (attr, "source"));
    g_assert_true (json_object_get_null_member (attr, "owner"));
    g_assert_nonnull (json_object_get_string_member (attr, "updated_at"));
  }

  /* defaults are applied and marked */
  dev = bough_store_get_node (STORE (f), NULL, 0, "TestDevice", f->device, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (node_string (dev, "status"), ==, "active");
  g_assert_true (bough_node_get_attribute (dev, "status")->is_default);
  g_assert_cmpint (bough_node_get_attribute (dev, "enabled")->type, ==, BOUGH_VALUE_BOOLEAN);
  g_assert_true (bough_node_get_attribute (dev, "enabled")->v.boolean);
  g_assert_true (json_node_get_boolean (bough_node_get_value (dev, "enabled")));

  /* an hfid through a relationship */
  intf = bough_store_get_node (STORE (f), NULL, 0, NULL, f->intf, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (intf->kind, ==, "TestInterface");
  g_assert_cmpstr (intf->hfid[0], ==, "edge1");
  g_assert_cmpstr (intf->hfid[1], ==, "eth0");

  /* properties given with the value; a chosen id */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf (
      "{'id': 'a5a1b5a6-2b39-4b4f-9a53-5d2f3e3f7c01',"
      " 'name': {'value': 'ord1', 'is_protected': true, 'source': '%s', 'owner': {'id': '%s'}}}",
      f->tag, f->tag);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (n->id, ==, "a5a1b5a6-2b39-4b4f-9a53-5d2f3e3f7c01");
    g_assert_true (bough_node_get_attribute (n, "name")->is_protected);
    g_assert_cmpstr (bough_node_get_attribute (n, "name")->source, ==, f->tag);
    g_assert_cmpstr (bough_node_get_attribute (n, "name")->owner, ==, f->tag);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autoptr(JsonObject) d = J ("{'id': 'a5a1b5a6-2b39-4b4f-9a53-5d2f3e3f7c01', 'name': {'value': 'x'}}");
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE);
    g_assert_null (n);
  }
}

static void
test_update (WriteFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughNode) before = bough_store_get_node (STORE (f), NULL, 0, "TestDevice", f->device, &error);
  g_autoptr(BoughNode) after = NULL;
  g_autoptr(GPtrArray) history = NULL;
  gint64 stamp;

  g_assert_no_error (error);
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'core router'},"
                                             " 'status': 'planned', 'site': {'id': '%s'}}",
                                             f->device, f->site2);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_no_error (error);
    stamp = bough_txn_get_stamp (txn);
    g_assert_cmpstr (node_string (n, "description"), ==, "core router");
    g_assert_true (bough_txn_commit (txn, &error));
  }
  after = bough_store_get_node (STORE (f), NULL, 0, "TestDevice", f->device, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (node_string (after, "description"), ==, "core router");
  g_assert_cmpstr (node_string (after, "status"), ==, "planned");
  g_assert_false (bough_node_get_attribute (after, "status")->is_default);
  g_assert_cmpstr (node_string (after, "name"), ==, "edge1");
  g_assert_cmpint (after->created_at, ==, before->created_at);
  g_assert_cmpint (after->updated_at, ==, stamp);
  {
    g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
    g_autoptr(JsonObject) rels = NULL;
    JsonObject *peer;
    g_ptr_array_add (nodes, after);
    g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, nodes, "site", &error));
    g_assert_no_error (error);
    rels = bough_node_relationships_to_json (after);
    peer = json_object_get_object_member (rels, "site");
    g_assert_cmpstr (json_object_get_string_member (peer, "id"), ==, f->site2);
    g_assert_cmpstr (bough_node_get_relationship (after, "site")->peers[0].id, ==, f->site2);
  }

  /* reset to the default with is_default */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'status': {'is_default': true}}", f->device);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (node_string (n, "status"), ==, "active");
    g_assert_true (bough_txn_commit (txn, &error));
  }

  /* update by hfid; an unchanged update writes nothing */
  history = bough_store_get_history (STORE (f), NULL, f->device, &error);
  g_assert_no_error (error);
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autoptr(JsonObject) d = J ("{'hfid': ['edge1'], 'description': {'value': 'core router'}}");
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (n->id, ==, f->device);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(GPtrArray) again = bough_store_get_history (STORE (f), NULL, f->device, &error);
    g_autoptr(BoughNode) n = bough_store_get_node (STORE (f), NULL, 0, "TestDevice", f->device, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (again->len, ==, history->len);
    g_assert_cmpint (n->updated_at, <, bough_store_now (STORE (f)) + 1);
  }

  /* unknown node */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autoptr(JsonObject) d = J ("{'hfid': ['nope'], 'description': {'value': 'x'}}");
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_assert_null (n);
  }
}

static BoughNode *
upsert (BoughStore  *store,
        const char  *kind,
        const char  *json,
        gboolean    *created,
        gint64      *now_after)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, NULL, "tester", &error);
  g_autoptr(JsonObject) d = J (json);
  BoughNode *n;

  g_assert_no_error (error);
  n = bough_txn_upsert (txn, kind, d, created, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
  if (now_after)
    *now_after = bough_store_now (store);
  return n;
}

static void
test_upsert (WriteFixture  *f,
             gconstpointer  data)
{
  gboolean created;
  g_autofree char *json = NULL;
  g_autofree char *circuit = NULL;

  /* by id: absent → created with that id, present → updated */
  {
    g_autoptr(BoughNode) n = upsert (STORE (f), "TestSite",
                                     "{'id': '0b6f9a8e-52a4-4c5e-8f43-1f1f0e7d2a10', 'name': {'value': 'lax1'}}",
                                     &created, NULL);
    g_assert_true (created);
    g_assert_cmpstr (n->id, ==, "0b6f9a8e-52a4-4c5e-8f43-1f1f0e7d2a10");
  }
  {
    g_autoptr(BoughNode) n = upsert (STORE (f), "TestSite",
                                     "{'id': '0b6f9a8e-52a4-4c5e-8f43-1f1f0e7d2a10', 'region': {'value': 'west'}}",
                                     &created, NULL);
    g_assert_false (created);
    g_assert_cmpstr (node_string (n, "name"), ==, "lax1");
    g_assert_cmpstr (node_string (n, "region"), ==, "west");
  }

  /* by hfid given */
  {
    g_autoptr(BoughNode) n = upsert (STORE (f), "TestSite", "{'hfid': ['atl1'], 'region': {'value': 'east'}}",
                                     &created, NULL);
    g_assert_false (created);
    g_assert_cmpstr (n->id, ==, f->site);
  }

  /* by hfid given, absent: created; the data's own hfid is still checked */
  {
    g_autoptr(BoughNode) n = upsert (STORE (f), "TestSite", "{'hfid': ['sea1'], 'name': {'value': 'sea1'}}",
                                     &created, NULL);
    g_assert_true (created);
    g_assert_cmpstr (n->hfid[0], ==, "sea1");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autoptr(JsonObject) d = J ("{'hfid': ['nowhere'], 'name': {'value': 'atl1'}}");
    g_autoptr(BoughNode) n = bough_txn_upsert (txn, "TestSite", d, &created, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE);
    g_assert_null (n);
    g_assert_false (created);
  }

  /* by the hfid the data computes (through a relationship) */
  json = g_strdup_printf ("{'name': {'value': 'eth0'}, 'device': {'hfid': ['edge1']}, 'speed': {'value': 1000}}");
  {
    g_autoptr(BoughNode) n = upsert (STORE (f), "TestInterface", json, &created, NULL);
    g_assert_false (created);
    g_assert_cmpstr (n->id, ==, f->intf);
    g_assert_cmpint (json_node_get_int (bough_node_get_value (n, "speed")), ==, 1000);
  }
  g_free (json);
  json = g_strdup_printf ("{'name': {'value': 'eth1'}, 'device': {'id': '%s'}}", f->device);
  {
    g_autoptr(BoughNode) n = upsert (STORE (f), "TestInterface", json, &created, NULL);
    g_assert_true (created);
    g_assert_cmpstr (n->hfid[1], ==, "eth1");
  }

  /* by a uniqueness constraint (no hfid) */
  g_free (json);
  json = g_strdup_printf ("{'provider': {'value': 'acme'}, 'cid': {'value': 'C-1'},"
                          " 'endpoints': [{'id': '%s'}, {'id': '%s'}]}", f->site, f->site2);
  {
    g_autoptr(BoughNode) n = upsert (STORE (f), "TestCircuit", json, &created, NULL);
    g_assert_true (created);
    circuit = g_strdup (n->id);
  }
  {
    g_autoptr(BoughNode) n = upsert (STORE (f), "TestCircuit", json, &created, NULL);
    g_assert_false (created);
    g_assert_cmpstr (n->id, ==, circuit);
  }
  g_assert_cmpint (count_kind (STORE (f), NULL, "TestCircuit"), ==, 1);
}

static void
test_upsert_twice_writes_nothing (WriteFixture  *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
    "{'name': {'value': 'edge2'}, 'site': {'hfid': ['atl1']}, 'serial': {'value': 'AB123'},"
    " 'tags': [{'id': '%s'}], 'asn': {'value': 65001}}", f->tag);
  g_autoptr(BoughNode) first = NULL;
  g_autoptr(BoughNode) second = NULL;
  g_autoptr(GPtrArray) h1 = NULL;
  g_autoptr(GPtrArray) h2 = NULL;
  gboolean created;
  gint64 now1, now2;

  first = upsert (STORE (f), "TestDevice", json, &created, &now1);
  g_assert_true (created);
  h1 = bough_store_get_history (STORE (f), NULL, first->id, &error);
  g_assert_no_error (error);

  second = upsert (STORE (f), "TestDevice", json, &created, &now2);
  g_assert_false (created);
  g_assert_cmpstr (second->id, ==, first->id);
  g_assert_cmpint (second->updated_at, ==, first->updated_at);
  h2 = bough_store_get_history (STORE (f), NULL, first->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (h2->len, ==, h1->len);

  /* the same for a node whose hfid goes through a relationship */
  {
    g_autofree char *ij = g_strdup_printf ("{'name': {'value': 'eth9'}, 'device': {'id': '%s'}}", first->id);
    g_autoptr(BoughNode) a = upsert (STORE (f), "TestInterface", ij, &created, NULL);
    g_autoptr(BoughNode) b = NULL;
    g_autoptr(GPtrArray) ha = bough_store_get_history (STORE (f), NULL, a->id, &error);
    g_autoptr(GPtrArray) hb = NULL;
    g_assert_true (created);
    b = upsert (STORE (f), "TestInterface", ij, &created, NULL);
    g_assert_false (created);
    hb = bough_store_get_history (STORE (f), NULL, a->id, &error);
    g_assert_cmpuint (ha->len, ==, hb->len);
    g_assert_cmpint (a->updated_at, ==, b->updated_at);
  }
}

static void
test_delete (WriteFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* refused: the device needs its site */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s'}", f->site);
    g_autoptr(JsonObject) ref = J (json);
    g_assert_false (bough_txn_delete (txn, "TestSite", ref, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "atl1"));
    g_assert_nonnull (strstr (error->message, "site"));
    g_clear_error (&error);
  }

  /* a device, and its interfaces with it (cascade) */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autoptr(JsonObject) ref = J ("{'hfid': ['edge1']}");
    g_assert_true (bough_txn_delete (txn, "TestDevice", ref, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  g_assert_cmpint (count_kind (STORE (f), NULL, "TestDevice"), ==, 0);
  g_assert_cmpint (count_kind (STORE (f), NULL, "TestInterface"), ==, 0);
  {
    g_autoptr(BoughNode) n = bough_store_get_node (STORE (f), NULL, 0, NULL, f->intf, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  /* no dangling peers: the site has no device left */
  {
    g_autoptr(BoughNode) site = bough_store_get_node (STORE (f), NULL, 0, "TestSite", f->site, &error);
    g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
    g_ptr_array_add (nodes, site);
    g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, nodes, "devices", &error));
    g_assert_nonnull (bough_node_get_relationship (site, "devices"));
    g_assert_cmpuint (bough_node_get_relationship (site, "devices")->n_peers, ==, 0);
  }
  /* now the site may go; the hfid is free again */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s'}", f->site);
    g_autoptr(JsonObject) ref = J (json);
    g_autoptr(JsonObject) d = J ("{'name': {'value': 'atl1'}}");
    g_autoptr(BoughNode) n = NULL;
    g_assert_true (bough_txn_delete (txn, "TestSite", ref, &error));
    g_assert_no_error (error);
    n = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (n->id, !=, f->site);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autoptr(JsonObject) ref = J ("{'hfid': ['edge1']}");
    g_assert_false (bough_txn_delete (txn, "TestDevice", ref, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  }
}

static void
test_relationship_edit (WriteFixture  *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *t2 = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'blue'}}");
  g_autofree char *t3 = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'green'}}");
  g_autofree char *t4 = create_node (STORE (f), NULL, "TestTag", "{'name': {'value': 'black'}}");

  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("[{'id': '%s'}, {'hfid': ['blue'], '_relation__is_protected': true}]",
                                             f->tag);
    g_autoptr(JsonArray) peers = JA (json);
    g_assert_true (bough_txn_relationship_add (txn, f->device, "tags", peers, &error));
    g_assert_no_error (error);
    /* adding again is harmless */
    g_assert_true (bough_txn_relationship_add (txn, f->device, "tags", peers, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughNode) dev = bough_store_get_node (STORE (f), NULL, 0, "TestDevice", f->device, &error);
    g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
    g_autoptr(JsonObject) rels = NULL;
    JsonArray *tags;
    gboolean protected_blue = FALSE;
    g_ptr_array_add (nodes, dev);
    g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, nodes, "tags", &error));
    rels = bough_node_relationships_to_json (dev);
    tags = json_object_get_array_member (rels, "tags");
    g_assert_cmpuint (json_array_get_length (tags), ==, 2);
    for (guint i = 0; i < 2; i++)
      {
        JsonObject *p = json_array_get_object_element (tags, i);
        if (g_str_equal (json_object_get_string_member (p, "id"), t2))
          protected_blue = json_object_get_boolean_member (json_object_get_object_member (p, "properties"),
                                                           "is_protected");
        g_assert_cmpstr (json_object_get_string_member (p, "kind"), ==, "TestTag");
      }
    g_assert_true (protected_blue);
  }

  /* max_count 3 */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("[{'id': '%s'}, {'id': '%s'}]", t3, t4);
    g_autoptr(JsonArray) peers = JA (json);
    g_assert_false (bough_txn_relationship_add (txn, f->device, "tags", peers, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "tags"));
    g_clear_error (&error);
  }

  /* remove */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("[{'id': '%s'}]", f->tag);
    g_autoptr(JsonArray) peers = JA (json);
    g_assert_true (bough_txn_relationship_remove (txn, f->device, "tags", peers, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughNode) dev = bough_store_get_node (STORE (f), NULL, 0, "TestDevice", f->device, &error);
    g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
    const BoughRelationshipValue *tags;
    g_ptr_array_add (nodes, dev);
    g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, nodes, "tags", &error));
    tags = bough_node_get_relationship (dev, "tags");
    g_assert_cmpuint (tags->n_peers, ==, 1);
    g_assert_cmpstr (tags->peers[0].id, ==, t2);
  }

  /* an update replaces the whole set */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'tags': [{'id': '%s'}, {'id': '%s'}]}",
                                             f->device, t3, t4);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
    g_autoptr(BoughQueryResult) r = NULL;
    g_autofree char *ids = g_strdup_printf ("['%s', '%s']", t3, t4);
    g_autoptr(JsonNode) v = JN (ids);
    bough_query_add_filter (q, "tags", NULL, BOUGH_FILTER_IDS, v);
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 1);
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
    g_autoptr(BoughQueryResult) r = NULL;
    g_autofree char *ids = g_strdup_printf ("['%s']", t2);
    g_autoptr(JsonNode) v = JN (ids);
    bough_query_add_filter (q, "tags", NULL, BOUGH_FILTER_IDS, v);
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 0);
  }

  /* a peer's cardinality-one side is respected: eth0 belongs to edge1 */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'name': {'value': 'edge9'}, 'site': {'id': '%s'},"
                                             " 'interfaces': [{'id': '%s'}]}", f->site, f->intf);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestDevice", d, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONSTRAINT);
    g_assert_null (n);
    g_clear_error (&error);
    /* the failed call left nothing: the transaction goes on */
    g_assert_true (bough_txn_commit (txn, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (count_kind (STORE (f), NULL, "TestDevice"), ==, 1);

  /* relationship edits only on cardinality many */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("[{'id': '%s'}]", f->site2);
    g_autoptr(JsonArray) peers = JA (json);
    g_assert_false (bough_txn_relationship_add (txn, f->device, "site", peers, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (bough_txn_relationship_add (txn, f->device, "nope", peers, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
  }
}

static void
test_dependents (WriteFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* unlinking an interface from its device would leave it without its
   * mandatory device */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("[{'id': '%s'}]", f->intf);
    g_autoptr(JsonArray) peers = JA (json);
    g_assert_false (bough_txn_relationship_remove (txn, f->device, "interfaces", peers, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONSTRAINT);
    g_assert_nonnull (strstr (error->message, "device"));
    g_clear_error (&error);
  }
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'interfaces': []}", f->device);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONSTRAINT);
    g_assert_null (n);
    g_clear_error (&error);
  }

  /* renaming the device renames the hfid of its interfaces */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'edge1-new'}}", f->device);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    const char *hfid[] = { "edge1-new", "eth0", NULL };
    const char *old[] = { "edge1", "eth0", NULL };
    g_autoptr(BoughNode) n = bough_store_get_node_by_hfid (STORE (f), NULL, 0, "TestInterface", hfid, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (n->id, ==, f->intf);
    g_assert_cmpstr (n->hfid[0], ==, "edge1-new");
    {
      g_autoptr(BoughNode) gone = bough_store_get_node_by_hfid (STORE (f), NULL, 0, "TestInterface", old, &error);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
      g_assert_null (gone);
      g_clear_error (&error);
    }
  }
  /* the interface's uniqueness (device, name) holds after the rename: the
   * hfid's lookup, kept up to date, enforces it */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'name': {'value': 'eth0'}, 'device': {'id': '%s'}}", f->device);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestInterface", d, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE);
    g_assert_nonnull (strstr (error->message, "device,name__value"));
    g_assert_null (n);
    g_clear_error (&error);
  }
}

typedef struct
{
  const char *kind;
  const char *json;      /* %s = atl1 site id (and second %s = tag id when present) */
  gint        code;
  const char *field;     /* must appear in the message */
  const char *node;      /* must appear in the message */
} Failing;

static void
test_constraints (WriteFixture  *f,
                  gconstpointer  data)
{
  static const Failing cases[] = {
    { "TestDevice", "{'site': {'id': '%s'}}", BOUGH_ERROR_CONSTRAINT, "name", "TestDevice" },
    { "TestDevice", "{'name': {'value': 'x1'}}", BOUGH_ERROR_CONSTRAINT, "site", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': [{'id': '%s'}, {'hfid': ['jfk1']}]}",
      BOUGH_ERROR_CONSTRAINT, "site", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%1$.0s%2$s'}}", BOUGH_ERROR_CONSTRAINT, "site", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '00000000-0000-4000-8000-000000000000'}}",
      BOUGH_ERROR_NOT_FOUND, "site", "x1" },
    { "TestDevice", "{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", BOUGH_ERROR_UNIQUE, "name", "edge1" },
    { "TestSite", "{'name': {'value': 'atl1'}}", BOUGH_ERROR_UNIQUE, "name", "atl1" },
    { "TestInterface", "{'name': {'value': 'eth0'}, 'device': {'hfid': ['edge1']}}", BOUGH_ERROR_UNIQUE,
      "device", "eth0" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'serial': {'value': 'abc'}}",
      BOUGH_ERROR_INVALID, "serial", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'serial': {'value': 'AB'}}",
      BOUGH_ERROR_INVALID, "serial", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'serial': {'value': 'ABCDEFGHIJK'}}",
      BOUGH_ERROR_INVALID, "serial", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'status': {'value': 'broken'}}",
      BOUGH_ERROR_INVALID, "status", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'role': {'value': 'spine'}}",
      BOUGH_ERROR_INVALID, "role", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'asn': {'value': 70000}}",
      BOUGH_ERROR_INVALID, "asn", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'asn': {'value': 'many'}}",
      BOUGH_ERROR_INVALID, "asn", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'enabled': {'value': 'yes'}}",
      BOUGH_ERROR_INVALID, "enabled", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'secret': {'value': 's'}}",
      BOUGH_ERROR_INVALID, "secret", "x1" },
    { "TestDevice", "{'name': {'value': 'x1'}, 'site': {'id': '%s'}, 'colour': {'value': 's'}}",
      BOUGH_ERROR_INVALID, "colour", "x1" },
    { "TestCircuit", "{'provider': {'value': 'p'}, 'cid': {'value': 'c'}, 'endpoints': [{'id': '%s'}]}",
      BOUGH_ERROR_CONSTRAINT, "endpoints", "TestCircuit" },
    { "TestCircuit", "{'provider': {'value': 'p'}, 'cid': {'value': 'c'}}",
      BOUGH_ERROR_CONSTRAINT, "endpoints", "TestCircuit" },
    { "TestEquipment", "{'name': {'value': 'g'}}", BOUGH_ERROR_INVALID, "generic", "TestEquipment" },
  };
  g_autoptr(GError) error = NULL;
  gint64 devices = count_kind (STORE (f), NULL, "TestDevice");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
      g_autofree char *json = g_strdup_printf (cases[i].json, f->site, f->tag);
      g_autoptr(JsonObject) d = J (json);
      g_autoptr(BoughNode) n = NULL;

      g_test_message ("case %u: %s %s", i, cases[i].kind, json);
      n = bough_txn_create (txn, cases[i].kind, d, &error);
      g_assert_null (n);
      g_assert_error (error, BOUGH_ERROR, cases[i].code);
      g_test_message ("  → %s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].field));
      g_assert_nonnull (strstr (error->message, cases[i].node));
      g_clear_error (&error);
      g_assert_true (bough_txn_commit (txn, &error));
      g_assert_no_error (error);
    }

  /* a circuit with two equal constraint values */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'provider': {'value': 'p'}, 'cid': {'value': 'c'},"
                                             " 'endpoints': [{'id': '%s'}, {'id': '%s'}]}", f->site, f->site2);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) a = bough_txn_create (txn, "TestCircuit", d, &error);
    g_autoptr(BoughNode) b = NULL;
    g_assert_no_error (error);
    b = bough_txn_create (txn, "TestCircuit", d, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE);
    g_assert_nonnull (strstr (error->message, "provider__value"));
    g_clear_error (&error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  g_assert_cmpint (count_kind (STORE (f), NULL, "TestCircuit"), ==, 1);

  /* read-only is writable by the server itself */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'secret': {'value': 's3'}}", f->device);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = NULL;
    bough_txn_set_internal (txn, TRUE);
    n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (node_string (n, "secret"), ==, "s3");
    g_assert_true (bough_txn_commit (txn, &error));
  }

  /* a failed update changes nothing */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'changed'},"
                                             " 'asn': {'value': -5}}", f->device);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestDevice", d, &error);
    g_assert_null (n);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughNode) n = bough_store_get_node (STORE (f), NULL, 0, "TestDevice", f->device, &error);
    g_assert_no_error (error);
    g_assert_null (node_string (n, "description"));
  }
  g_assert_cmpint (count_kind (STORE (f), NULL, "TestDevice"), ==, devices);
}

static void
test_failed_call_keeps_txn (WriteFixture  *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
  g_autoptr(JsonObject) good = J ("{'name': {'value': 'sfo1'}}");
  g_autoptr(JsonObject) bad = J ("{'name': {'value': 'atl1'}}");
  g_autoptr(BoughNode) a = bough_txn_create (txn, "TestSite", good, &error);
  g_autoptr(BoughNode) b = NULL;

  g_assert_no_error (error);
  b = bough_txn_create (txn, "TestSite", bad, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE);
  g_clear_error (&error);
  /* the same unique value twice in one transaction */
  b = bough_txn_create (txn, "TestSite", good, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE);
  g_clear_error (&error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_kind (STORE (f), NULL, "TestSite"), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, WriteFixture, NULL, write_setup, func, write_teardown)
  ADD ("/store-write/create", test_create);
  ADD ("/store-write/update", test_update);
  ADD ("/store-write/upsert", test_upsert);
  ADD ("/store-write/upsert-twice-writes-nothing", test_upsert_twice_writes_nothing);
  ADD ("/store-write/delete", test_delete);
  ADD ("/store-write/relationship-edit", test_relationship_edit);
  ADD ("/store-write/dependents", test_dependents);
  ADD ("/store-write/constraints", test_constraints);
  ADD ("/store-write/failed-call-keeps-txn", test_failed_call_keeps_txn);
#undef ADD

  return g_test_run ();
}
