/* test-store-order.c: listing nodes in a query-time order: every kind of
 * key (attribute values of each type, a peer's attribute, creation and
 * change times), both directions, nulls, ties, several keys, generics, a
 * branch and a past time, and paging that neither skips nor repeats. Each
 * listing is compared with a sort done here from the nodes' own values.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "store-test-common.h"

#define N_DEVICES 24

typedef struct
{
  StoreFixture base;
  char        *sites[4];
  char        *devices[N_DEVICES];
  gint64       t_mid;  /* after the creations, before the updates */
} OrderFixture;

#define STORE(f) ((f)->base.store)

/* asn values whose text order differs from their number order */
static const gint64 asns[] = { 5, 40, 300, 2000, 9, 65000, 70 };

static void
update_node (BoughStore *store,
             const char *branch,
             const char *kind,
             const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "tester", &error);
  g_autoptr(JsonObject) d = J (json);
  g_autoptr(BoughNode) n = NULL;

  g_assert_no_error (error);
  n = bough_txn_update (txn, kind, d, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
}

static void
order_setup (OrderFixture  *f,
             gconstpointer  data)
{
  static const char *site_names[] = { "atl1", "jfk1", "lax1", "ord1" };
  static const char *regions[] = { "'east'", "'west'", "null", "'east'" };

  store_fixture_setup (&f->base, data);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': '%s'}, 'region': {'value': %s}}",
                                               site_names[i], regions[i]);
      f->sites[i] = create_node (STORE (f), NULL, "TestSite", json);
    }
  /* made in an order unlike their names' */
  for (guint k = 0; k < N_DEVICES; k++)
    {
      guint i = (k * 7) % N_DEVICES;
      g_autofree char *asn = i % 6 == 0 ? g_strdup ("null") : g_strdup_printf ("%" G_GINT64_FORMAT, asns[(i * 5) % 7]);
      g_autofree char *serial = i % 5 == 0 ? g_strdup ("null") : g_strdup_printf ("'SN%u'", i % 4);
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'd%02u'}, 'asn': {'value': %s},"
                                               " 'serial': {'value': %s}, 'site': {'id': '%s'}}",
                                               i, asn, serial, f->sites[i % 4]);
      f->devices[i] = create_node (STORE (f), NULL, "TestDevice", json);
    }
  g_free (create_node (STORE (f), NULL, "TestAppliance", "{'name': {'value': 'fw1'}}"));
  g_free (create_node (STORE (f), NULL, "TestAppliance", "{'name': {'value': 'zz9'}}"));
  f->t_mid = bough_store_now (STORE (f));
  /* changes after t_mid: values, change times, a moved peer */
  for (guint i = 0; i < N_DEVICES; i += 5)
    {
      g_autofree char *json = g_strdup_printf ("{'id': '%s', 'asn': {'value': %u}, 'site': {'id': '%s'}}",
                                               f->devices[i], 100 + i, f->sites[(i + 1) % 4]);
      update_node (STORE (f), NULL, "TestDevice", json);
    }
}

static void
order_teardown (OrderFixture  *f,
                gconstpointer  data)
{
  for (guint i = 0; i < 4; i++)
    g_free (f->sites[i]);
  for (guint i = 0; i < N_DEVICES; i++)
    g_free (f->devices[i]);
  store_fixture_teardown (&f->base, data);
}

/* A device as the test sorts it. */
typedef struct
{
  char    *id;
  char    *name;
  gboolean has_asn;
  gint64   asn;
  char    *serial;
  char    *site_name;
  char    *region;
  gint64   created;
  gint64   updated;
} Dev;

static void
dev_free (Dev *d)
{
  g_free (d->id);
  g_free (d->name);
  g_free (d->serial);
  g_free (d->site_name);
  g_free (d->region);
  g_free (d);
}

static char *
string_or_null (BoughNode  *n,
                const char *attribute)
{
  JsonNode *v = bough_node_get_value (n, attribute);

  return v == NULL || JSON_NODE_HOLDS_NULL (v) ? NULL : g_strdup (json_node_get_string (v));
}

static GPtrArray *
run_query (BoughStore *store,
           const char *kind,
           const char *branch,
           gint64      at,
           const char *order,
           gint64      offset,
           gint64      limit,
           gint64     *count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) q = bough_query_new (kind);
  BoughQueryResult *r;
  GPtrArray *nodes;

  q->branch = g_strdup (branch);
  q->at = at;
  q->order_by = order != NULL ? g_strsplit (order, "|", -1) : NULL;
  if (order != NULL && *order == '\0')
    {
      g_strfreev (q->order_by);
      q->order_by = g_new0 (char *, 1);
    }
  q->offset = offset;
  q->limit = limit;
  r = bough_store_query (store, q, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  if (count != NULL)
    *count = r->count;
  nodes = g_steal_pointer (&r->nodes);
  bough_query_result_free (r);
  return nodes;
}

/* Every device visible in the view, with its site's name and region read
 * in the same view. */
static GPtrArray *
load_devices (BoughStore *store,
              const char *branch,
              gint64      at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = run_query (store, "TestDevice", branch, at, "", 0, -1, NULL);
  g_autoptr(GPtrArray) sites = run_query (store, "TestSite", branch, at, "", 0, -1, NULL);
  g_autoptr(GHashTable) site_of = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *devs = g_ptr_array_new_with_free_func ((GDestroyNotify) dev_free);

  for (guint i = 0; i < sites->len; i++)
    {
      BoughNode *s = g_ptr_array_index (sites, i);
      g_hash_table_insert (site_of, s->id, s);
    }
  g_assert_true (bough_store_fetch_peers (store, branch, at, nodes, "site", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < nodes->len; i++)
    {
      BoughNode *n = g_ptr_array_index (nodes, i);
      const BoughRelationshipValue *rel = bough_node_get_relationship (n, "site");
      JsonNode *asn = bough_node_get_value (n, "asn");
      Dev *d = g_new0 (Dev, 1);

      d->id = g_strdup (n->id);
      d->name = string_or_null (n, "name");
      d->has_asn = asn != NULL && !JSON_NODE_HOLDS_NULL (asn);
      d->asn = d->has_asn ? json_node_get_int (asn) : 0;
      d->serial = string_or_null (n, "serial");
      d->created = n->created_at;
      d->updated = n->updated_at;
      if (rel != NULL && rel->n_peers > 0)
        {
          BoughNode *s = g_hash_table_lookup (site_of, rel->peers[0].id);

          g_assert_nonnull (s);
          d->site_name = string_or_null (s, "name");
          d->region = string_or_null (s, "region");
        }
      g_ptr_array_add (devs, d);
    }
  return devs;
}

/* Nulls after every value (before them when descending). */
static int
cmp_str (const char *a,
         const char *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL) - (b == NULL);
  return strcmp (a, b);
}

static int
cmp_int (gint64 a,
         gint64 b)
{
  return a < b ? -1 : a > b;
}

static int
compare_devs (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Dev *x = *(const Dev * const *) a;
  const Dev *y = *(const Dev * const *) b;
  char **entries = user_data;
  gboolean last_desc = FALSE;

  for (guint i = 0; entries[i] != NULL; i++)
    {
      const char *e = entries[i];
      gboolean desc = g_str_has_suffix (e, "__desc");
      int c;

      last_desc = desc;
      if (g_str_has_prefix (e, "name__value"))
        c = cmp_str (x->name, y->name);
      else if (g_str_has_prefix (e, "serial__value"))
        c = cmp_str (x->serial, y->serial);
      else if (g_str_has_prefix (e, "asn__value"))
        c = x->has_asn && y->has_asn ? cmp_int (x->asn, y->asn) : (!x->has_asn) - (!y->has_asn);
      else if (g_str_has_prefix (e, "site__region__value"))
        c = cmp_str (x->region, y->region);
      else if (g_str_has_prefix (e, "site__name__value"))
        c = cmp_str (x->site_name, y->site_name);
      else if (g_str_has_prefix (e, "node_metadata__created_at"))
        c = cmp_int (x->created, y->created);
      else if (g_str_has_prefix (e, "node_metadata__updated_at"))
        c = cmp_int (x->updated, y->updated);
      else
        g_assert_not_reached ();
      if (c != 0)
        return desc ? -c : c;
    }
  return last_desc ? -strcmp (x->id, y->id) : strcmp (x->id, y->id);
}

static int
compare_strp (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static const char *orders[] = {
  "name__value", "name__value__desc", "name__value__asc",
  "asn__value", "asn__value__desc",
  "serial__value", "serial__value__desc",
  "serial__value|asn__value__desc", "serial__value__desc|name__value",
  "site__region__value", "site__region__value__desc", "site__region__value|asn__value",
  "site__name__value__desc|serial__value",
  "node_metadata__created_at", "node_metadata__created_at__desc",
  "node_metadata__updated_at", "node_metadata__updated_at__desc",
  "node_metadata__updated_at__desc|name__value",
};

/* Each order of orders[] in the view gives the order sorted here, whole
 * and page by page. */
static void
check_orders (BoughStore *store,
              const char *branch,
              gint64      at)
{
  g_autoptr(GPtrArray) devs = load_devices (store, branch, at);

  g_assert_cmpuint (devs->len, >, 10);
  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_auto(GStrv) entries = g_strsplit (orders[o], "|", -1);
      g_autoptr(GPtrArray) all = NULL;
      g_autoptr(GString) paged = g_string_new (NULL);
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autoptr(GString) got = g_string_new (NULL);
      gint64 count = 0;

      g_test_message ("%s at %" G_GINT64_FORMAT ": %s", branch ? branch : "main", at, orders[o]);
      g_ptr_array_sort_with_data (devs, compare_devs, entries);
      for (guint i = 0; i < devs->len; i++)
        g_string_append_printf (expected, "%s ", ((Dev *) g_ptr_array_index (devs, i))->name);
      all = run_query (store, "TestDevice", branch, at, orders[o], 0, -1, &count);
      g_assert_cmpint (count, ==, devs->len);
      for (guint i = 0; i < all->len; i++)
        g_string_append_printf (got, "%s ", node_string (g_ptr_array_index (all, i), "name"));
      g_assert_cmpstr (got->str, ==, expected->str);
      /* pages of 5: none skipped, none repeated */
      for (gint64 offset = 0; offset < (gint64) devs->len + 5; offset += 5)
        {
          g_autoptr(GPtrArray) page = run_query (store, "TestDevice", branch, at, orders[o], offset, 5, &count);

          g_assert_cmpint (count, ==, devs->len);
          for (guint i = 0; i < page->len; i++)
            g_string_append_printf (paged, "%s ", node_string (g_ptr_array_index (page, i), "name"));
        }
      g_assert_cmpstr (paged->str, ==, expected->str);
    }
}

/* The walks of the indexes (creation order, the order key, the schema's
 * order) see the same versions as a plain sort, which reads the view as
 * a whole: check_orders() takes its devices from a walk. */
static void
check_walks (BoughStore *store,
             const char *branch,
             gint64      at)
{
  static const char *walks[] = { "", "node_metadata__created_at__desc", "name__value", "name__value__desc", NULL };
  g_autoptr(GPtrArray) plain = run_query (store, "TestDevice", branch, at, "serial__value", 0, -1, NULL);
  g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < plain->len; i++)
    g_ptr_array_add (want, g_strdup_printf ("%s/%" G_GINT64_FORMAT,
                                            ((BoughNode *) g_ptr_array_index (plain, i))->id,
                                            ((BoughNode *) g_ptr_array_index (plain, i))->updated_at));
  g_ptr_array_sort (want, compare_strp);
  for (guint w = 0; w < G_N_ELEMENTS (walks); w++)
    {
      g_autoptr(GPtrArray) got = run_query (store, "TestDevice", branch, at, walks[w], 0, -1, NULL);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < got->len; i++)
        g_ptr_array_add (ids, g_strdup_printf ("%s/%" G_GINT64_FORMAT,
                                               ((BoughNode *) g_ptr_array_index (got, i))->id,
                                               ((BoughNode *) g_ptr_array_index (got, i))->updated_at));
      g_ptr_array_sort (ids, compare_strp);
      g_assert_cmpuint (ids->len, ==, want->len);
      for (guint i = 0; i < ids->len; i++)
        g_assert_cmpstr (g_ptr_array_index (ids, i), ==, g_ptr_array_index (want, i));
    }
}

/* The names of the devices in @branch at @at, in the schema's order. */
static char *
device_names (BoughStore *store,
              const char *branch,
              gint64      at)
{
  g_autoptr(GPtrArray) nodes = run_query (store, "TestDevice", branch, at, NULL, 0, -1, NULL);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < nodes->len; i++)
    g_string_append_printf (out, "%s ", node_string (g_ptr_array_index (nodes, i), "name"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_orders_main (OrderFixture  *f,
                  gconstpointer  data)
{
  check_orders (STORE (f), NULL, 0);
}

/* At a past time: the order key of the open versions is not the value
 * then, and the versions closed since are merged in. */
static void
test_orders_past (OrderFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) then = load_devices (STORE (f), NULL, f->t_mid);

  /* the values then, not now */
  for (guint i = 0; i < then->len; i++)
    g_assert_true (((Dev *) g_ptr_array_index (then, i))->asn < 100 ||
                   ((Dev *) g_ptr_array_index (then, i))->asn >= 300);
  check_orders (STORE (f), NULL, f->t_mid);
  check_walks (STORE (f), NULL, f->t_mid);
}

static void
delete_node (BoughStore *store,
             const char *branch,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "tester", &error);
  g_autofree char *json = g_strdup_printf ("{'id': '%s'}", id);
  g_autoptr(JsonObject) ref = J (json);

  g_assert_no_error (error);
  g_assert_true (bough_txn_delete (txn, "TestDevice", ref, &error));
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
}

/* A branch: its own values (names too, so that its nodes move in the
 * order key's order), nodes made and deleted there, overlaid on main's;
 * then main changed, made and deleted nodes after the branch point; now
 * and at a past time of the branch. */
static void
test_orders_branch (OrderFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *names_then = NULL;
  g_autofree char *names_now = NULL;
  g_autofree char *names_main = NULL;
  gint64 t_branch;

  g_assert_true (bough_store_create_branch (STORE (f), "feature", &error));
  g_assert_no_error (error);
  for (guint i = 1; i < N_DEVICES; i += 4)
    {
      g_autofree char *json = g_strdup_printf ("{'id': '%s', 'asn': {'value': %u}, 'serial': {'value': 'BR%u'},"
                                               " 'site': {'id': '%s'}}", f->devices[i], 7 + i, i % 3,
                                               f->sites[2]);
      update_node (STORE (f), "feature", "TestDevice", json);
    }
  /* moved to either end of the name order on the branch */
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'a-br5'}}", f->devices[5]);
    update_node (STORE (f), "feature", "TestDevice", json);
  }
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'zz-br8'}}", f->devices[8]);
    update_node (STORE (f), "feature", "TestDevice", json);
  }
  t_branch = bough_store_now (STORE (f));
  {
    g_autofree char *json = g_strdup_printf ("{'name': {'value': 'b00'}, 'site': {'id': '%s'}}", f->sites[1]);
    g_free (create_node (STORE (f), "feature", "TestDevice", json));
  }
  delete_node (STORE (f), "feature", f->devices[2]);
  /* main moves on: the branch does not see it */
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'asn': {'value': 1}}", f->devices[3]);
    update_node (STORE (f), NULL, "TestDevice", json);
  }
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'a-main6'}}", f->devices[6]);
    update_node (STORE (f), NULL, "TestDevice", json);
  }
  {
    /* changed on both: the branch keeps its own */
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'a-main8'}}", f->devices[8]);
    update_node (STORE (f), NULL, "TestDevice", json);
  }
  delete_node (STORE (f), NULL, f->devices[10]);
  {
    g_autofree char *json = g_strdup_printf ("{'name': {'value': 'a-main-new'}, 'site': {'id': '%s'}}", f->sites[0]);
    g_free (create_node (STORE (f), NULL, "TestDevice", json));
  }

  names_now = device_names (STORE (f), "feature", 0);
  g_assert_cmpstr (names_now, ==,
                   "a-br5 b00 d00 d01 d03 d04 d06 d07 d09 d10 d11 d12 d13 d14 d15 d16 d17 d18 d19 d20 d21 d22 d23 "
                   "zz-br8 ");
  names_then = device_names (STORE (f), "feature", t_branch);
  g_assert_cmpstr (names_then, ==,
                   "a-br5 d00 d01 d02 d03 d04 d06 d07 d09 d10 d11 d12 d13 d14 d15 d16 d17 d18 d19 d20 d21 d22 d23 "
                   "zz-br8 ");
  names_main = device_names (STORE (f), NULL, 0);
  g_assert_cmpstr (names_main, ==,
                   "a-main-new a-main6 a-main8 d00 d01 d02 d03 d04 d05 d07 d09 d11 d12 d13 d14 d15 d16 d17 d18 d19 "
                   "d20 d21 d22 d23 ");
  check_walks (STORE (f), "feature", 0);
  check_walks (STORE (f), "feature", t_branch);
  check_orders (STORE (f), "feature", 0);
  check_orders (STORE (f), "feature", t_branch);
  check_orders (STORE (f), NULL, 0);
}

/* Through a generic: its own attributes, or one every kind has; not one
 * that only some kinds have. */
static void
test_orders_generic (OrderFixture  *f,
                     gconstpointer  data)
{
  static const char *bad[] = {
    "asn__value", "vendor__value", "site__name__value", "bogus__value", "name", "name__is_protected",
    "name__value__up", "devices__name__value", "node_metadata__deleted_at", "node_metadata",
    "site__site__name__value",
  };
  g_autoptr(GPtrArray) nodes = NULL;
  gint64 count = 0;

  nodes = run_query (STORE (f), "TestEquipment", NULL, 0, "name__value__desc", 0, -1, &count);
  g_assert_cmpint (count, ==, N_DEVICES + 2);
  g_assert_cmpuint (nodes->len, ==, N_DEVICES + 2);
  g_assert_cmpstr (node_string (g_ptr_array_index (nodes, 0), "name"), ==, "zz9");
  g_assert_cmpstr (node_string (g_ptr_array_index (nodes, N_DEVICES + 1), "name"), ==, "d00");
  for (guint i = 1; i < nodes->len; i++)
    g_assert_cmpint (strcmp (node_string (g_ptr_array_index (nodes, i - 1), "name"),
                             node_string (g_ptr_array_index (nodes, i), "name")), >, 0);
  g_clear_pointer (&nodes, g_ptr_array_unref);
  nodes = run_query (STORE (f), "TestEquipment", NULL, 0, "node_metadata__created_at__desc", 0, 1, NULL);
  g_assert_cmpstr (node_string (g_ptr_array_index (nodes, 0), "name"), ==, "zz9");
  g_clear_pointer (&nodes, g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *kinds[] = { "TestEquipment", "TestDevice" };

      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(BoughQuery) q = bough_query_new (kinds[k]);
          g_autoptr(BoughQueryResult) r = NULL;

          /* on the node itself, asn and site are fine */
          if (k == 1 && (g_str_equal (bad[i], "asn__value") || g_str_equal (bad[i], "site__name__value")))
            continue;
          g_test_message ("bad order %s on %s", bad[i], kinds[k]);
          q->order_by = g_strsplit (bad[i], "|", -1);
          r = bough_store_query (STORE (f), q, &error);
          g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
          g_assert_null (r);
        }
    }
}

static char *
joined_names (GPtrArray  *nodes,
              const char *attribute)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < nodes->len; i++)
    {
      JsonNode *v = bough_node_get_value (g_ptr_array_index (nodes, i), attribute);

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                              JSON_NODE_HOLDS_NULL (v) ? "-" : json_node_get_string (v));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The schema's order_by in the newer grammar: a direction (the order key
 * read backwards, nulls first), a peer's attribute, the parts of an IP
 * value; now and at a past time. */
static void
test_schema_orders (OrderFixture  *f,
                    gconstpointer  data)
{
  static const char *prefixes[] = {
    "10.0.0.0/16", "9.0.0.0/8", "2001:db8::/32", "10.0.0.0/8", "192.168.0.0/24", "10.0.0.0/24",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) core = bough_schema_new_core (&error);
  g_autoptr(GString) yaml = g_string_new (test_schema_yaml);
  gint64 before;

  g_assert_no_error (error);
  g_assert_cmpuint (g_string_replace (yaml, "    display_label: '{{ name__value }}'\n    order_by: ['name__value']\n",
                                      "    display_label: '{{ name__value }}'\n"
                                      "    order_by: ['region__value__desc', 'name__value']\n", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (yaml, "    uniqueness_constraints: [['device', 'name__value']]\n"
                                            "    order_by: ['name__value']\n",
                                      "    uniqueness_constraints: [['device', 'name__value']]\n"
                                      "    order_by: ['device__name__value__desc', 'name__value']\n", 1), ==, 1);
  g_string_append (yaml,
                   "  - name: Prefix\n"
                   "    namespace: Test\n"
                   "    order_by: [prefix__version, prefix__binary_address, prefix__prefixlen]\n"
                   "    attributes:\n"
                   "      - name: prefix\n"
                   "        kind: IPNetwork\n");
  store_test_set_schema (STORE (f), NULL, core, yaml->str, "admin");

  {
    g_autoptr(GPtrArray) sites = run_query (STORE (f), "TestSite", NULL, 0, NULL, 0, -1, NULL);
    g_autofree char *got = joined_names (sites, "name");
    g_assert_cmpstr (got, ==, "lax1 jfk1 atl1 ord1");
  }
  {
    g_autoptr(GPtrArray) page = run_query (STORE (f), "TestSite", NULL, 0, NULL, 1, 2, NULL);
    g_autofree char *got = joined_names (page, "name");
    g_assert_cmpstr (got, ==, "jfk1 atl1");
  }
  before = bough_store_now (STORE (f));
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'region': {'value': 'zzz'}}", f->sites[3]);
    update_node (STORE (f), NULL, "TestSite", json);
  }
  {
    g_autoptr(GPtrArray) now = run_query (STORE (f), "TestSite", NULL, 0, NULL, 0, -1, NULL);
    g_autoptr(GPtrArray) then = run_query (STORE (f), "TestSite", NULL, before, NULL, 0, -1, NULL);
    g_autofree char *got_now = joined_names (now, "name");
    g_autofree char *got_then = joined_names (then, "name");
    g_assert_cmpstr (got_now, ==, "lax1 ord1 jfk1 atl1");
    g_assert_cmpstr (got_then, ==, "lax1 jfk1 atl1 ord1");
  }
  /* on a branch, nulls in the order key (region): nodes that move, one
   * made there, main's change after the branch point unseen; now and at
   * a past time of the branch, both ways */
  g_assert_true (bough_store_create_branch (STORE (f), "sites", &error));
  g_assert_no_error (error);
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'region': {'value': null}}", f->sites[0]);
    update_node (STORE (f), "sites", "TestSite", json);
  }
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'region': {'value': 'aaa'}}", f->sites[2]);
    update_node (STORE (f), "sites", "TestSite", json);
  }
  before = bough_store_now (STORE (f));
  g_free (create_node (STORE (f), "sites", "TestSite", "{'name': {'value': 'new1'}}"));
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'region': {'value': 'zzzz'}}", f->sites[1]);
    update_node (STORE (f), NULL, "TestSite", json);
  }
  {
    static const struct { const char *branch; gboolean past; const char *order; const char *want; } cases[] = {
      { "sites", FALSE, NULL, "atl1 new1 ord1 jfk1 lax1" },
      { "sites", TRUE, NULL, "atl1 ord1 jfk1 lax1" },
      { "sites", FALSE, "region__value|name__value", "lax1 jfk1 ord1 atl1 new1" },
      { "sites", FALSE, "region__value__desc|name__value__desc", "new1 atl1 ord1 jfk1 lax1" },
      { "sites", TRUE, "region__value", "lax1 jfk1 ord1 atl1" },
      { NULL, FALSE, NULL, "lax1 jfk1 ord1 atl1" },
    };

    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        gint64 at = cases[c].past ? before : 0;
        gint64 count = 0;
        g_autoptr(GPtrArray) all = run_query (STORE (f), "TestSite", cases[c].branch, at, cases[c].order, 0, -1, &count);
        g_autoptr(GPtrArray) tail = run_query (STORE (f), "TestSite", cases[c].branch, at, cases[c].order, 2, 2, NULL);
        g_autofree char *got = joined_names (all, "name");
        g_autofree char *got_tail = joined_names (tail, "name");
        g_auto(GStrv) want = g_strsplit (cases[c].want, " ", -1);
        g_autofree char *want_tail = g_strjoin (" ", want[2], want[3], NULL);

        g_test_message ("sites on %s%s: %s", cases[c].branch ? cases[c].branch : "main",
                        cases[c].past ? " in the past" : "", cases[c].order ? cases[c].order : "(schema)");
        g_assert_cmpstr (got, ==, cases[c].want);
        g_assert_cmpint (count, ==, g_strv_length (want));
        g_assert_cmpstr (got_tail, ==, want_tail);
      }
  }

  /* interfaces by their device's name, descending, then their own */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'eth%u'}, 'device': {'id': '%s'}}",
                                               2 - i, f->devices[i * 5]);
      g_free (create_node (STORE (f), NULL, "TestInterface", json));
      g_free (json);
      json = g_strdup_printf ("{'name': {'value': 'eth%u'}, 'device': {'id': '%s'}}", 5 + i, f->devices[i * 5]);
      g_free (create_node (STORE (f), NULL, "TestInterface", json));
    }
  {
    g_autoptr(GPtrArray) ifs = run_query (STORE (f), "TestInterface", NULL, 0, NULL, 0, -1, NULL);
    g_autofree char *got = joined_names (ifs, "name");
    g_assert_cmpstr (got, ==, "eth0 eth7 eth1 eth6 eth2 eth5");
  }

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autofree char *json = g_strdup_printf ("{'prefix': {'value': '%s'}}", prefixes[i]);
      g_free (create_node (STORE (f), NULL, "TestPrefix", json));
    }
  {
    g_autoptr(GPtrArray) all = run_query (STORE (f), "TestPrefix", NULL, 0, NULL, 0, -1, NULL);
    g_autoptr(GPtrArray) desc = run_query (STORE (f), "TestPrefix", NULL, 0,
                                           "prefix__version__desc|prefix__binary_address__desc|prefix__prefixlen__desc",
                                           0, -1, NULL);
    g_autofree char *got = joined_names (all, "prefix");
    g_autofree char *got_desc = joined_names (desc, "prefix");
    g_assert_cmpstr (got, ==, "9.0.0.0/8 10.0.0.0/8 10.0.0.0/16 10.0.0.0/24 192.168.0.0/24 2001:db8::/32");
    g_assert_cmpstr (got_desc, ==, "2001:db8::/32 192.168.0.0/24 10.0.0.0/24 10.0.0.0/16 10.0.0.0/8 9.0.0.0/8");
  }
}

/* Pages past the middle of a long list are read from its end: the same
 * rows as a slice of the whole listing, for every kind of key, now, at
 * a past time and on a branch, and a last page cut short. */
static void
test_deep_pages (OrderFixture  *f,
                 gconstpointer  data)
{
  static const char *deep_orders[] = {
    NULL, "", "name__value__desc", "asn__value", "asn__value__desc|name__value",
    "node_metadata__created_at__desc", "site__region__value|name__value__desc",
  };
  static const gint64 offsets[] = { 4990, 5000, 5111, 5180, 5195, 5224, 5300 };
  const guint n = 5200;
  g_autoptr(GError) error = NULL;
  gint64 past;

  {
    g_autoptr(BoughTxn) txn = bough_store_begin (STORE (f), NULL, "tester", &error);

    g_assert_no_error (error);
    for (guint k = 0; k < n; k++)
      {
        guint i = (k * 7919) % n;
        g_autofree char *json = g_strdup_printf ("{'name': {'value': 'x%05u'}, 'asn': {'value': %s},"
                                                 " 'site': {'id': '%s'}}", i,
                                                 i % 10 == 0 ? "null" : i % 3 == 0 ? "7" : "9", f->sites[i % 4]);
        g_autoptr(JsonObject) d = J (json);
        g_autoptr(BoughNode) node = bough_txn_create (txn, "TestDevice", d, &error);

        g_assert_no_error (error);
      }
    g_assert_true (bough_txn_commit (txn, &error));
  }
  past = bough_store_now (STORE (f));
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'a-renamed'}}", f->devices[7]);
    update_node (STORE (f), NULL, "TestDevice", json);
  }

  /* a branch that moved nodes to either end, deleted one and made one;
   * then main deleted one and moved one */
  g_assert_true (bough_store_create_branch (STORE (f), "deep", &error));
  g_assert_no_error (error);
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'a-br1'}}", f->devices[1]);
    update_node (STORE (f), "deep", "TestDevice", json);
  }
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'zz-br2'}, 'asn': {'value': null}}",
                                             f->devices[2]);
    update_node (STORE (f), "deep", "TestDevice", json);
  }
  delete_node (STORE (f), "deep", f->devices[3]);
  {
    g_autofree char *json = g_strdup_printf ("{'name': {'value': 'b-new'}, 'site': {'id': '%s'}}", f->sites[0]);
    g_free (create_node (STORE (f), "deep", "TestDevice", json));
  }
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'name': {'value': 'zzzz'}}", f->devices[4]);
    update_node (STORE (f), NULL, "TestDevice", json);
  }
  delete_node (STORE (f), NULL, f->devices[5]);

  for (guint v = 0; v < 3; v++)
    for (guint o = 0; o < G_N_ELEMENTS (deep_orders); o++)
      {
        gint64 at = v == 1 ? past : 0;
        const char *branch = v == 2 ? "deep" : NULL;
        gint64 total = 0;
        g_autoptr(GPtrArray) all = run_query (STORE (f), "TestDevice", branch, at, deep_orders[o], 0, -1, &total);

        g_test_message ("deep pages of %s on %s at %" G_GINT64_FORMAT, deep_orders[o] ? deep_orders[o] : "(schema)",
                        branch ? branch : "main", at);
        g_assert_cmpint (total, ==, n + N_DEVICES - (v == 0 ? 1 : 0));
        g_assert_cmpint (all->len, ==, total);
        for (guint k = 0; k < G_N_ELEMENTS (offsets); k++)
          for (guint with_count = 0; with_count < 2; with_count++)
            {
              g_autoptr(GError) err = NULL;
              g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
              g_autoptr(BoughQueryResult) r = NULL;

              q->at = at;
              q->branch = g_strdup (branch);
              q->order_by = deep_orders[o] == NULL ? NULL
                            : *deep_orders[o] == '\0' ? g_new0 (char *, 1) : g_strsplit (deep_orders[o], "|", -1);
              q->offset = offsets[k];
              q->limit = 100;
              q->skip_count = !with_count;
              r = bough_store_query (STORE (f), q, &err);
              g_assert_no_error (err);
              g_assert_cmpuint (r->nodes->len, ==, CLAMP (total - offsets[k], 0, 100));
              for (guint i = 0; i < r->nodes->len; i++)
                g_assert_cmpstr (((BoughNode *) g_ptr_array_index (r->nodes, i))->id, ==,
                                 ((BoughNode *) g_ptr_array_index (all, offsets[k] + i))->id);
            }
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) g_test_add (path, OrderFixture, NULL, order_setup, fn, order_teardown)
  ADD ("/store-order/main", test_orders_main);
  ADD ("/store-order/past", test_orders_past);
  ADD ("/store-order/branch", test_orders_branch);
  ADD ("/store-order/generic", test_orders_generic);
  ADD ("/store-order/schema", test_schema_orders);
  ADD ("/store-order/deep-pages", test_deep_pages);
#undef ADD

  return g_test_run ();
}
