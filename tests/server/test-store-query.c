/* test-store-query.c: listing nodes with every filter, generic listings,
 * order, paging, counts, peers of many nodes, and hostile input.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store-test-common.h"

typedef struct
{
  StoreFixture base;
  char        *atl1, *jfk1, *lax1, *sfo1;
  char        *edge1, *edge2, *core1;
  char        *red;
} QueryFixture;

#define STORE(f) ((f)->base.store)

static char *
mk (BoughStore *store,
    const char *kind,
    const char *format,
    ...) G_GNUC_PRINTF (3, 4);

static char *
mk (BoughStore *store,
    const char *kind,
    const char *format,
    ...)
{
  g_autofree char *json = NULL;
  va_list args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);
  return create_node (store, NULL, kind, json);
}

static void
query_setup (QueryFixture  *f,
             gconstpointer  data)
{
  store_fixture_setup (&f->base, data);
  f->red = mk (STORE (f), "TestTag", "{'name': {'value': 'red'}}");
  f->atl1 = mk (STORE (f), "TestSite", "{'name': {'value': 'atl1'}, 'region': {'value': 'east'}}");
  f->jfk1 = mk (STORE (f), "TestSite", "{'name': {'value': 'jfk1'}, 'region': {'value': 'east'},"
                " 'description': {'value': 'queens', 'is_protected': true, 'source': '%s', 'owner': '%s',"
                " 'is_visible': false}}", f->red, f->red);
  f->lax1 = mk (STORE (f), "TestSite", "{'name': {'value': 'lax1'}, 'region': {'value': 'west'}}");
  f->sfo1 = mk (STORE (f), "TestSite", "{'name': {'value': 'sfo1'}}");
  f->edge1 = mk (STORE (f), "TestDevice", "{'name': {'value': 'edge1'}, 'site': {'id': '%s'}, 'asn': {'value': 65001},"
                 " 'tags': [{'id': '%s'}]}", f->atl1, f->red);
  f->edge2 = mk (STORE (f), "TestDevice", "{'name': {'value': 'edge2'}, 'site': {'id': '%s'}, 'asn': {'value': 65002},"
                 " 'enabled': {'value': false}}", f->atl1);
  f->core1 = mk (STORE (f), "TestDevice", "{'name': {'value': 'core1'}, 'site': {'id': '%s'}}", f->jfk1);
  g_free (mk (STORE (f), "TestAppliance", "{'name': {'value': 'fw1'}, 'vendor': {'value': 'acme'}}"));
  for (guint i = 0; i < 3; i++)
    {
      g_free (mk (STORE (f), "TestInterface", "{'name': {'value': 'eth%u'}, 'device': {'id': '%s'}}", i, f->edge1));
      g_free (mk (STORE (f), "TestInterface", "{'name': {'value': 'eth%u'}, 'device': {'id': '%s'}}", i, f->core1));
    }
}

static void
query_teardown (QueryFixture  *f,
                gconstpointer  data)
{
  g_free (f->atl1);
  g_free (f->jfk1);
  g_free (f->lax1);
  g_free (f->sfo1);
  g_free (f->edge1);
  g_free (f->edge2);
  g_free (f->core1);
  g_free (f->red);
  store_fixture_teardown (&f->base, data);
}

/* Runs a one-filter query and returns the names of the result, in order,
 * joined by spaces. */
static char *
names (BoughStore    *store,
       BoughQuery    *q)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQueryResult) r = bough_store_query (store, q, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (r);
  for (guint i = 0; i < r->nodes->len; i++)
    {
      BoughNode *n = g_ptr_array_index (r->nodes, i);
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, node_string (n, "name"));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
filter1 (BoughStore    *store,
         const char    *kind,
         const char    *rel,
         const char    *attr,
         BoughFilterOp  op,
         const char    *value,
         gboolean       partial)
{
  g_autoptr(BoughQuery) q = bough_query_new (kind);
  g_autoptr(JsonNode) v = JN (value);

  bough_query_add_filter (q, rel, attr, op, v);
  q->partial_match = partial;
  return names (store, q);
}

#define CHECK(expected, expr)               \
  G_STMT_START {                            \
    g_autofree char *got_ = (expr);         \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

static void
test_attribute_filters (QueryFixture  *f,
                        gconstpointer  data)
{
  BoughStore *s = STORE (f);
  g_autofree char *ids = g_strdup_printf ("['%s', '%s']", f->lax1, f->sfo1);
  g_autofree char *src = g_strdup_printf ("'%s'", f->red);

  CHECK ("atl1 jfk1", filter1 (s, "TestSite", NULL, "region", BOUGH_FILTER_VALUE, "'east'", FALSE));
  CHECK ("", filter1 (s, "TestSite", NULL, "region", BOUGH_FILTER_VALUE, "'eas'", FALSE));
  CHECK ("atl1 jfk1", filter1 (s, "TestSite", NULL, "region", BOUGH_FILTER_VALUE, "'EAS'", TRUE));
  CHECK ("jfk1 sfo1", filter1 (s, "TestSite", NULL, "name", BOUGH_FILTER_VALUE, "'f'", TRUE));
  CHECK ("atl1 jfk1 lax1", filter1 (s, "TestSite", NULL, "region", BOUGH_FILTER_VALUES, "['east', 'west']", FALSE));
  CHECK ("sfo1", filter1 (s, "TestSite", NULL, "region", BOUGH_FILTER_ISNULL, "true", FALSE));
  CHECK ("atl1 jfk1 lax1", filter1 (s, "TestSite", NULL, "region", BOUGH_FILTER_ISNULL, "false", FALSE));
  CHECK ("lax1 sfo1", filter1 (s, "TestSite", NULL, NULL, BOUGH_FILTER_IDS, ids, FALSE));
  CHECK ("lax1", filter1 (s, "TestSite", NULL, NULL, BOUGH_FILTER_HFID, "['lax1']", FALSE));
  CHECK ("lax1", filter1 (s, "TestSite", NULL, "any", BOUGH_FILTER_VALUE, "'west'", FALSE));
  CHECK ("jfk1", filter1 (s, "TestSite", NULL, "any", BOUGH_FILTER_VALUE, "'quee'", TRUE));
  CHECK ("jfk1 lax1", filter1 (s, "TestSite", NULL, "any", BOUGH_FILTER_VALUES, "['queens', 'lax1']", FALSE));
  CHECK ("jfk1", filter1 (s, "TestSite", NULL, "description", BOUGH_FILTER_IS_PROTECTED, "true", FALSE));
  CHECK ("atl1 lax1 sfo1", filter1 (s, "TestSite", NULL, "description", BOUGH_FILTER_IS_PROTECTED, "false", FALSE));
  CHECK ("jfk1", filter1 (s, "TestSite", NULL, "description", BOUGH_FILTER_IS_VISIBLE, "false", FALSE));
  CHECK ("atl1 lax1 sfo1", filter1 (s, "TestSite", NULL, "description", BOUGH_FILTER_IS_VISIBLE, "true", FALSE));
  CHECK ("jfk1", filter1 (s, "TestSite", NULL, "description", BOUGH_FILTER_SOURCE_ID, src, FALSE));
  CHECK ("jfk1", filter1 (s, "TestSite", NULL, "description", BOUGH_FILTER_OWNER_ID, src, FALSE));
  /* numbers and booleans */
  CHECK ("edge2", filter1 (s, "TestDevice", NULL, "asn", BOUGH_FILTER_VALUE, "65002", FALSE));
  CHECK ("edge1 edge2", filter1 (s, "TestDevice", NULL, "asn", BOUGH_FILTER_VALUES, "[65001, 65002]", FALSE));
  CHECK ("edge2", filter1 (s, "TestDevice", NULL, "enabled", BOUGH_FILTER_VALUE, "false", FALSE));
  CHECK ("core1 edge1", filter1 (s, "TestDevice", NULL, "enabled", BOUGH_FILTER_VALUE, "true", FALSE));
  /* several filters: AND */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(JsonNode) east = JN ("'east'");
    g_autoptr(JsonNode) name = JN ("'jfk1'");
    bough_query_add_filter (q, NULL, "region", BOUGH_FILTER_VALUE, east);
    bough_query_add_filter (q, NULL, "name", BOUGH_FILTER_VALUE, name);
    CHECK ("jfk1", names (s, q));
  }
}

static void
test_relationship_filters (QueryFixture  *f,
                           gconstpointer  data)
{
  BoughStore *s = STORE (f);
  g_autofree char *ids = g_strdup_printf ("['%s']", f->jfk1);
  g_autofree char *tag_ids = g_strdup_printf ("['%s']", f->red);

  CHECK ("edge1 edge2", filter1 (s, "TestDevice", "site", "name", BOUGH_FILTER_VALUE, "'atl1'", FALSE));
  CHECK ("core1 edge1 edge2", filter1 (s, "TestDevice", "site", "region", BOUGH_FILTER_VALUE, "'east'", FALSE));
  CHECK ("core1", filter1 (s, "TestDevice", "site", "name", BOUGH_FILTER_VALUES, "['jfk1', 'lax1']", FALSE));
  CHECK ("core1", filter1 (s, "TestDevice", "site", "name", BOUGH_FILTER_VALUE, "'JF'", TRUE));
  CHECK ("core1", filter1 (s, "TestDevice", "site", NULL, BOUGH_FILTER_IDS, ids, FALSE));
  CHECK ("edge1", filter1 (s, "TestDevice", "tags", NULL, BOUGH_FILTER_IDS, tag_ids, FALSE));
  CHECK ("edge1", filter1 (s, "TestDevice", "tags", "name", BOUGH_FILTER_VALUE, "'red'", FALSE));
  CHECK ("core1 edge2", filter1 (s, "TestDevice", "tags", NULL, BOUGH_FILTER_ISNULL, "true", FALSE));
  CHECK ("edge1", filter1 (s, "TestDevice", "tags", NULL, BOUGH_FILTER_ISNULL, "false", FALSE));
  /* from the other side of the same link */
  CHECK ("lax1 sfo1", filter1 (s, "TestSite", "devices", NULL, BOUGH_FILTER_ISNULL, "true", FALSE));
  CHECK ("atl1", filter1 (s, "TestSite", "devices", "name", BOUGH_FILTER_VALUE, "'edge2'", FALSE));
  CHECK ("eth0 eth1 eth2", filter1 (s, "TestInterface", "device", "name", BOUGH_FILTER_VALUE, "'core1'", FALSE));
  CHECK ("jfk1", filter1 (s, "TestSite", "devices", "any", BOUGH_FILTER_VALUE, "'core1'", FALSE));
}

static void
test_generic_listing (QueryFixture  *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) q = bough_query_new ("TestEquipment");
  g_autoptr(BoughQueryResult) r = NULL;
  gboolean seen_appliance = FALSE;

  r = bough_store_query (STORE (f), q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->count, ==, 4);
  g_assert_cmpuint (r->nodes->len, ==, 4);
  for (guint i = 0; i < r->nodes->len; i++)
    {
      BoughNode *n = g_ptr_array_index (r->nodes, i);
      if (g_str_equal (n->kind, "TestAppliance"))
        {
          seen_appliance = TRUE;
          g_assert_cmpstr (node_string (n, "vendor"), ==, "acme");
        }
    }
  g_assert_true (seen_appliance);

  CHECK ("fw1", filter1 (STORE (f), "TestEquipment", NULL, "name", BOUGH_FILTER_VALUE, "'fw1'", FALSE));
  /* an attribute of one implementor only is not a filter of the generic */
  {
    g_autoptr(BoughQuery) q2 = bough_query_new ("TestEquipment");
    g_autoptr(JsonNode) v = JN ("'acme'");
    g_autoptr(BoughQueryResult) r2 = NULL;
    bough_query_add_filter (q2, NULL, "vendor", BOUGH_FILTER_VALUE, v);
    r2 = bough_store_query (STORE (f), q2, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
    g_assert_null (r2);
  }
}

static void
test_order_paging_count (QueryFixture  *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* the schema's order_by */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    CHECK ("atl1 jfk1 lax1 sfo1", names (STORE (f), q));
  }
  /* an explicit order, ties broken by id (stable), nulls last */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    q->order_by = g_strsplit ("region__value", ",", -1);
    first = names (STORE (f), q);
    second = names (STORE (f), q);
    g_assert_cmpstr (first, ==, second);
    g_assert_true (g_str_has_suffix (first, " lax1 sfo1"));
  }
  /* paging: count ignores offset and limit */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(BoughQueryResult) r = NULL;
    q->offset = 1;
    q->limit = 2;
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 4);
    g_assert_cmpuint (r->nodes->len, ==, 2);
    g_assert_cmpstr (node_string (g_ptr_array_index (r->nodes, 0), "name"), ==, "jfk1");
    g_assert_cmpstr (node_string (g_ptr_array_index (r->nodes, 1), "name"), ==, "lax1");
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    q->offset = 10;
    CHECK ("", names (STORE (f), q));
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(BoughQueryResult) r = NULL;
    q->limit = 1;
    q->skip_count = TRUE;
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, -1);
    g_assert_cmpuint (r->nodes->len, ==, 1);
  }
  /* count only */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestInterface");
    g_autoptr(BoughQueryResult) r = NULL;
    q->count_only = TRUE;
    r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 6);
    g_assert_cmpuint (r->nodes->len, ==, 0);
  }
}

static void
test_batch_peers (QueryFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
  g_autoptr(BoughQueryResult) r = bough_store_query (STORE (f), q, &error);

  g_assert_no_error (error);
  g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, r->nodes, "interfaces", &error));
  g_assert_no_error (error);
  g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, r->nodes, "site", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < r->nodes->len; i++)
    {
      BoughNode *n = g_ptr_array_index (r->nodes, i);
      const BoughRelationshipValue *intfs = bough_node_get_relationship (n, "interfaces");
      const BoughRelationshipValue *site = bough_node_get_relationship (n, "site");
      const char *name = node_string (n, "name");

      g_assert_nonnull (intfs);
      g_assert_true (intfs->many);
      g_assert_nonnull (site);
      g_assert_false (site->many);
      g_assert_cmpuint (site->n_peers, ==, 1);
      g_assert_cmpuint (n->n_relationships, ==, 2);
      if (g_str_equal (name, "edge2"))
        {
          g_assert_cmpuint (intfs->n_peers, ==, 0);
          g_assert_cmpstr (site->peers[0].id, ==, f->atl1);
          g_assert_cmpstr (site->peers[0].display_label, ==, "atl1");
        }
      else
        {
          g_autoptr(JsonObject) rels = bough_node_relationships_to_json (n);
          JsonArray *intfs_json = json_object_get_array_member (rels, "interfaces");

          g_assert_cmpuint (intfs->n_peers, ==, 3);
          g_assert_cmpuint (json_array_get_length (intfs_json), ==, 3);
          for (guint j = 0; j < 3; j++)
            {
              JsonObject *p = json_array_get_object_element (intfs_json, j);
              JsonArray *hfid = json_object_get_array_member (p, "hfid");
              g_assert_cmpstr (intfs->peers[j].kind, ==, "TestInterface");
              g_assert_cmpstr (intfs->peers[j].hfid[0], ==, name);
              g_assert_true (intfs->peers[j].is_visible);
              g_assert_cmpstr (json_object_get_string_member (p, "kind"), ==, "TestInterface");
              g_assert_cmpstr (json_array_get_string_element (hfid, 0), ==, name);
              g_assert_nonnull (json_object_get_object_member (p, "properties"));
              g_assert_true (json_object_get_boolean_member (json_object_get_object_member (p, "properties"),
                                                             "is_visible"));
            }
        }
    }

  /* the other direction, many nodes at once */
  {
    g_autoptr(BoughQuery) qi = bough_query_new ("TestInterface");
    g_autoptr(BoughQueryResult) ri = bough_store_query (STORE (f), qi, &error);
    g_assert_no_error (error);
    g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, ri->nodes, "device", &error));
    for (guint i = 0; i < ri->nodes->len; i++)
      {
        BoughNode *n = g_ptr_array_index (ri->nodes, i);
        const BoughRelationshipValue *dev = bough_node_get_relationship (n, "device");
        g_assert_nonnull (dev);
        g_assert_cmpuint (dev->n_peers, ==, 1);
        g_assert_cmpstr (dev->peers[0].id, ==, n->hfid[0][0] == 'e' ? f->edge1 : f->core1);
      }
  }

  g_assert_false (bough_store_fetch_peers (STORE (f), NULL, 0, r->nodes, "nope", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
}

static void
test_hostile_input (QueryFixture  *f,
                    gconstpointer  data)
{
  static const char *values[] = {
    "\"x' OR '1'='1\"", "\"atl1'; DROP TABLE nodes; --\"", "\"%\"", "\"_\"", "\"\\\"\"", "\"$.name.value\"",
  };
  static const char *names_bad[] = {
    "name; DROP TABLE nodes", "name' OR '1'='1", "name\"", "$.name", "", "name.value", "nodes.attrs",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
      g_autoptr(JsonNode) v = json_from_string (values[i], NULL);
      g_autoptr(BoughQueryResult) r = NULL;

      bough_query_add_filter (q, NULL, "name", BOUGH_FILTER_VALUE, v);
      bough_query_add_filter (q, NULL, "any", BOUGH_FILTER_VALUE, v);
      bough_query_add_filter (q, "devices", "name", BOUGH_FILTER_VALUE, v);
      r = bough_store_query (STORE (f), q, &error);
      g_assert_no_error (error);
      g_assert_cmpint (r->count, ==, 0);

      {
        g_autoptr(BoughQuery) qp = bough_query_new ("TestSite");
        g_autoptr(BoughQueryResult) rp = NULL;
        bough_query_add_filter (qp, NULL, "name", BOUGH_FILTER_VALUE, v);
        qp->partial_match = TRUE;
        rp = bough_store_query (STORE (f), qp, &error);
        g_assert_no_error (error);
        g_assert_cmpint (rp->count, ==, 0);
      }
    }

  for (guint i = 0; i < G_N_ELEMENTS (names_bad); i++)
    {
      g_autoptr(JsonNode) v = JN ("'atl1'");
      for (guint as_rel = 0; as_rel < 3; as_rel++)
        {
          g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
          g_autoptr(BoughQueryResult) r = NULL;
          g_test_message ("bad name %u “%s” as %u", i, names_bad[i], as_rel);
          if (as_rel == 2 && *names_bad[i] == '\0')
            continue;
          if (as_rel == 0)
            bough_query_add_filter (q, NULL, names_bad[i], BOUGH_FILTER_VALUE, v);
          else if (as_rel == 1)
            bough_query_add_filter (q, names_bad[i], "name", BOUGH_FILTER_VALUE, v);
          else
            q->order_by = g_strsplit (names_bad[i], "|", -1);
          r = bough_store_query (STORE (f), q, &error);
          g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
          g_assert_null (r);
          g_clear_error (&error);
        }
    }

  /* a value with quotes can be stored and found back exactly */
  {
    g_autofree char *id = create_node (STORE (f), NULL, "TestSite",
                                       "{'name': {'value': 'o\\u0027hare; DROP TABLE nodes'}}");
    CHECK ("o'hare; DROP TABLE nodes",
           filter1 (STORE (f), "TestSite", NULL, "name", BOUGH_FILTER_VALUE, "'o\\u0027hare; DROP TABLE nodes'", FALSE));
    g_assert_nonnull (id);
  }

  /* wrong value shapes, unknown kinds */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(JsonNode) v = JN ("'east'");
    g_autoptr(BoughQueryResult) r = NULL;
    bough_query_add_filter (q, NULL, "region", BOUGH_FILTER_VALUES, v);
    r = bough_store_query (STORE (f), q, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(JsonNode) v = JN ("{'a': 1}");
    g_autoptr(BoughQueryResult) r = NULL;
    bough_query_add_filter (q, NULL, "region", BOUGH_FILTER_VALUE, v);
    r = bough_store_query (STORE (f), q, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("Nodes; DROP TABLE nodes");
    g_autoptr(BoughQueryResult) r = bough_store_query (STORE (f), q, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(BoughQueryResult) r = NULL;
    q->branch = g_strdup ("main' OR '1'='1");
    r = bough_store_query (STORE (f), q, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* everything is still there */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(BoughQueryResult) r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 5);
  }
}

/* Sets the test schema with TestSite ordered by @order_by. */
static void
set_site_order (BoughStore *store,
                const char *order_by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) core = bough_schema_new_core (&error);
  g_autofree char *line = g_strdup_printf ("    order_by: ['%s']\n    attributes:\n      - name: name\n"
                                           "        kind: Text\n        unique: true\n", order_by);
  g_autoptr(GString) yaml = g_string_new (test_schema_yaml);

  g_assert_no_error (error);
  /* the first order_by of the test schema is TestSite's */
  g_assert_cmpuint (g_string_replace (yaml, "    order_by: ['name__value']\n    attributes:\n"
                                            "      - name: name\n        kind: Text\n        unique: true\n",
                                      line, 1), ==, 1);
  store_test_set_schema (store, NULL, core, yaml->str, "admin");
}

/* The order kept with each version follows the schema's order and the
 * writes, and gives what sorting by the stored values gives. */
static void
test_order_key (QueryFixture  *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *by_region = NULL;

  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    q->order_by = g_strsplit ("region__value", ",", -1);
    by_region = names (STORE (f), q);
    g_assert_true (g_str_has_suffix (by_region, " sfo1"));
  }
  set_site_order (STORE (f), "region__value");
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    CHECK (by_region, names (STORE (f), q));
  }
  /* a version written since keeps its key */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'region': {'value': 'central'}}", f->lax1);
    g_autoptr(JsonObject) d = J (json);
    g_autoptr(BoughNode) n = bough_txn_update (txn, "TestSite", d, &error);
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(BoughQuery) explicit = bough_query_new ("TestSite");
    g_autofree char *got = NULL;
    explicit->order_by = g_strsplit ("region__value", ",", -1);
    got = names (STORE (f), q);
    g_assert_cmpstr (got, ==, "lax1 atl1 jfk1 sfo1");
    CHECK (got, names (STORE (f), explicit));
  }
  /* paging through the order */
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    q->offset = 1;
    q->limit = 1;
    CHECK ("atl1", names (STORE (f), q));
  }
  set_site_order (STORE (f), "name__value");
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    CHECK ("atl1 jfk1 lax1 sfo1", names (STORE (f), q));
  }
}

/* Peers of more nodes than a statement spells out one by one: both ends,
 * each node with its own peers, in the order the links were made. */
static void
test_many_peers (QueryFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 40; i++)
    g_free (mk (STORE (f), "TestInterface", "{'name': {'value': 'x%02u'}, 'device': {'id': '%s'}}", i,
                i % 2 == 0 ? f->edge2 : f->core1));
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestInterface");
    g_autoptr(BoughQueryResult) r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->nodes->len, ==, 46);
    g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, r->nodes, "device", &error));
    g_assert_no_error (error);
    for (guint i = 0; i < r->nodes->len; i++)
      {
        BoughNode *n = g_ptr_array_index (r->nodes, i);
        const BoughRelationshipValue *dev = bough_node_get_relationship (n, "device");
        const char *name = node_string (n, "name");
        g_assert_nonnull (dev);
        g_assert_cmpuint (dev->n_peers, ==, 1);
        if (name[0] == 'x')
          g_assert_cmpstr (dev->peers[0].id, ==, atoi (name + 1) % 2 == 0 ? f->edge2 : f->core1);
        else
          g_assert_cmpstr (dev->peers[0].id, ==, n->hfid[0][0] == 'e' ? f->edge1 : f->core1);
      }
  }
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
    g_autoptr(BoughQueryResult) r = bough_store_query (STORE (f), q, &error);
    g_assert_no_error (error);
    g_assert_true (bough_store_fetch_peers (STORE (f), NULL, 0, r->nodes, "interfaces", &error));
    g_assert_no_error (error);
    for (guint i = 0; i < r->nodes->len; i++)
      {
        BoughNode *n = g_ptr_array_index (r->nodes, i);
        const BoughRelationshipValue *intfs = bough_node_get_relationship (n, "interfaces");
        const char *name = node_string (n, "name");
        guint expected = g_str_equal (name, "edge2") ? 20 : g_str_equal (name, "core1") ? 23 :
                         g_str_equal (name, "edge1") ? 3 : 0;
        g_assert_cmpuint (intfs->n_peers, ==, expected);
        /* in the order made */
        if (g_str_equal (name, "edge2"))
          for (guint j = 1; j < intfs->n_peers; j++)
            g_assert_cmpint (intfs->peers[j - 1].updated_at, <=, intfs->peers[j].updated_at);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, QueryFixture, NULL, query_setup, func, query_teardown)
  ADD ("/store-query/attribute-filters", test_attribute_filters);
  ADD ("/store-query/relationship-filters", test_relationship_filters);
  ADD ("/store-query/generic-listing", test_generic_listing);
  ADD ("/store-query/order-paging-count", test_order_paging_count);
  ADD ("/store-query/order-key", test_order_key);
  ADD ("/store-query/batch-peers", test_batch_peers);
  ADD ("/store-query/many-peers", test_many_peers);
  ADD ("/store-query/hostile-input", test_hostile_input);
#undef ADD

  return g_test_run ();
}
