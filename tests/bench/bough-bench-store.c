/* bough-bench-store.c: the store side of the benchmark: loads the schema
 * library through the schema engine, checks the dataset against it, and runs
 * the workloads through the public store API.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "bough-error.h"
#include "schema/bough-schema.h"
#include "store/bough-store.h"

#include "bough-bench-store.h"

#define BENCH_ACCOUNT "bough-bench"

struct _BoughBenchStore
{
  char        *path;
  BoughStore  *store;
  sqlite3     *observer;   /* a second connection: sees whether a commit wrote anything */
  GPtrArray   *ids;        /* dataset index → store id (char*, NULL when not loaded) */
};

static volatile gsize store_sink;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Schema files are loaded in name order, as a repository would list them. */
static gboolean
add_schema_dir (BoughSchemaBuilder *builder,
                const char         *dir,
                GError            **error)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".yml") || g_str_has_suffix (name, ".yaml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (!bough_schema_builder_add_file (builder, path, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
attr_kind_matches (BoughBenchType     type,
                   BoughAttributeKind kind)
{
  switch (kind)
    {
    case BOUGH_ATTRIBUTE_KIND_NUMBER:
    case BOUGH_ATTRIBUTE_KIND_BANDWIDTH:
      return type == BOUGH_BENCH_TYPE_INT;
    case BOUGH_ATTRIBUTE_KIND_BOOLEAN:
    case BOUGH_ATTRIBUTE_KIND_CHECKBOX:
      return type == BOUGH_BENCH_TYPE_BOOL;
    case BOUGH_ATTRIBUTE_KIND_TEXT:
    case BOUGH_ATTRIBUTE_KIND_TEXT_AREA:
    case BOUGH_ATTRIBUTE_KIND_DROPDOWN:
    case BOUGH_ATTRIBUTE_KIND_MAC_ADDRESS:
    case BOUGH_ATTRIBUTE_KIND_EMAIL:
    case BOUGH_ATTRIBUTE_KIND_URL:
      return type == BOUGH_BENCH_TYPE_TEXT;
    case BOUGH_ATTRIBUTE_KIND_ID:
    case BOUGH_ATTRIBUTE_KIND_DATE_TIME:
    case BOUGH_ATTRIBUTE_KIND_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_FILE:
    case BOUGH_ATTRIBUTE_KIND_COLOR:
    case BOUGH_ATTRIBUTE_KIND_NUMBER_POOL:
    case BOUGH_ATTRIBUTE_KIND_IP_HOST:
    case BOUGH_ATTRIBUTE_KIND_IP_NETWORK:
    case BOUGH_ATTRIBUTE_KIND_LIST:
    case BOUGH_ATTRIBUTE_KIND_JSON:
    case BOUGH_ATTRIBUTE_KIND_ANY:
    default:
      return FALSE;
    }
}

/* Checks one kind of the dataset against the schema, with @obj a generated
 * object of that kind; appends problems to @problems. */
static void
check_kind (BoughSchema      *schema,
            BoughBenchKindId  id,
            BoughBenchObject *obj,
            GString          *problems)
{
  const BoughBenchKind *kind = bough_bench_kind (id);
  BoughNodeSchema *node = bough_schema_lookup (schema, kind->kind);

  if (node == NULL || node->is_generic)
    {
      g_string_append_printf (problems, "%s: not a node kind of the schema\n", kind->kind);
      return;
    }

  for (guint a = 0; a < kind->n_attrs; a++)
    {
      BoughAttributeSchema *attr = bough_node_schema_get_attribute (node, kind->attrs[a].name);

      if (attr == NULL)
        g_string_append_printf (problems, "%s.%s: no such attribute\n", kind->kind,
                                kind->attrs[a].name);
      else if (!attr_kind_matches (kind->attrs[a].type, attr->kind))
        g_string_append_printf (problems, "%s.%s: the schema's kind is %s\n", kind->kind,
                                kind->attrs[a].name, bough_attribute_kind_to_string (attr->kind));
    }
  for (guint i = 0; i < node->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);
      gint found = -1;

      for (guint a = 0; a < kind->n_attrs; a++)
        if (g_str_equal (kind->attrs[a].name, attr->name))
          found = (gint) a;
      if (found < 0)
        g_string_append_printf (problems, "%s.%s: attribute missing from the bench's table\n",
                                kind->kind, attr->name);
      else if (!attr->optional && attr->default_value == NULL && !obj->values[found].set)
        g_string_append_printf (problems, "%s.%s: mandatory but not generated\n", kind->kind,
                                attr->name);
    }

  for (guint r = 0; r < kind->n_rels; r++)
    {
      BoughRelationshipSchema *rel = bough_node_schema_get_relationship (node, kind->rels[r].name);

      if (rel == NULL)
        g_string_append_printf (problems, "%s.%s: no such relationship\n", kind->kind,
                                kind->rels[r].name);
      else if ((rel->cardinality == BOUGH_CARDINALITY_MANY) != kind->rels[r].many)
        g_string_append_printf (problems, "%s.%s: wrong cardinality\n", kind->kind,
                                kind->rels[r].name);
      else if (kind->rels[r].peer != NULL &&
               !bough_schema_is_a (schema, kind->rels[r].peer, rel->peer))
        g_string_append_printf (problems, "%s.%s: peer %s is not a %s\n", kind->kind,
                                kind->rels[r].name, kind->rels[r].peer, rel->peer);
    }
  for (guint i = 0; i < node->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);
      gboolean filled = FALSE;

      if (rel->optional || rel->cardinality != BOUGH_CARDINALITY_ONE)
        continue;
      for (guint r = 0; r < kind->n_rels; r++)
        if (g_str_equal (kind->rels[r].name, rel->name))
          filled = obj->n_peers[r] > 0;
      if (!filled)
        g_string_append_printf (problems, "%s.%s: mandatory relationship not generated\n",
                                kind->kind, rel->name);
    }
}

gpointer
bough_bench_store_load_schema (const char *library,
                               GError    **error)
{
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughBenchDataset) devices = bough_bench_dataset_new_devices (0, 1);
  g_autoptr(BoughBenchDataset) items = bough_bench_dataset_new_items (0, 1);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autofree char *base = NULL;
  g_autofree char *location = NULL;
  BoughBenchDataset *sets[] = { devices, items };

  g_return_val_if_fail (library != NULL, NULL);

  core = bough_schema_new_core (error);
  if (core == NULL)
    return NULL;
  builder = bough_schema_builder_new (core);
  base = g_build_filename (library, "base", NULL);
  location = g_build_filename (library, "extensions", "location_minimal", NULL);
  if (!add_schema_dir (builder, base, error) ||
      !add_schema_dir (builder, location, error) ||
      !bough_schema_builder_add_data (builder, bough_bench_schema_yaml, -1, "bench schema", error))
    return NULL;
  schema = bough_schema_builder_build (builder, error);
  if (schema == NULL)
    return NULL;

  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      const BoughBenchKindId *ids;
      guint n_ids;

      ids = bough_bench_dataset_get_kinds (sets[s], &n_ids);
      for (guint k = 0; k < n_ids; k++)
        {
          BoughBenchObject obj = { 0, };

          bough_bench_dataset_get (sets[s], bough_bench_dataset_first_of (sets[s], ids[k]), &obj);
          check_kind (schema, ids[k], &obj, problems);
          bough_bench_object_clear (&obj);
        }
    }
  if (problems->len > 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                   "the bench dataset does not match the schema library:\n%s", problems->str);
      return NULL;
    }
  return g_steal_pointer (&schema);
}

void
bough_bench_store_unref_schema (gpointer schema)
{
  if (schema != NULL)
    bough_schema_unref (schema);
}

guint
bough_bench_store_schema_n_kinds (gpointer schema)
{
  g_return_val_if_fail (schema != NULL, 0);
  return bough_schema_get_nodes (schema)->len + bough_schema_get_generics (schema)->len;
}

/* The observer opens after the store has created the database. */
static gboolean
store_open_observer (BoughBenchStore *self,
                     GError         **error)
{
  if (sqlite3_open_v2 (self->path, &self->observer, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE, "%s: %s", self->path,
                   sqlite3_errmsg (self->observer));
      return FALSE;
    }
  return TRUE;
}

BoughBenchStore *
bough_bench_store_open (const char *path,
                        gpointer    schema,
                        GError    **error)
{
  g_autoptr(BoughBenchStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);

  self = g_new0 (BoughBenchStore, 1);
  self->path = g_strdup (path);
  self->ids = g_ptr_array_new_with_free_func (g_free);
  self->store = bough_store_open (path, error);
  if (self->store == NULL)
    return NULL;
  if (!bough_store_is_initialized (self->store) &&
      !bough_store_initialize (self->store, error))
    return NULL;
  if (!bough_store_set_schema (self->store, BOUGH_DEFAULT_BRANCH, schema, BENCH_ACCOUNT, error) ||
      !store_open_observer (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
bough_bench_store_close (BoughBenchStore *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->observer, sqlite3_close);
  g_clear_pointer (&self->store, bough_store_unref);
}

gboolean
bough_bench_store_reopen (BoughBenchStore *self,
                          GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  bough_bench_store_close (self);
  self->store = bough_store_open (self->path, error);
  return self->store != NULL && store_open_observer (self, error);
}

void
bough_bench_store_free (BoughBenchStore *self)
{
  if (self == NULL)
    return;
  bough_bench_store_close (self);
  g_ptr_array_unref (self->ids);
  g_free (self->path);
  g_free (self);
}

const char *
bough_bench_store_get_driver (BoughBenchStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return bough_store_get_driver_name (self->store);
}

JsonObject *
bough_bench_store_get_pragmas (BoughBenchStore *self)
{
  JsonObject *object = json_object_new ();
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  /* journal_mode is a property of the file and is read back; the others
   * belong to the store's own connections and cannot be read from another
   * one: they are those bough-store-sqlite.c sets (the raw baseline uses the
   * same). */
  if (sqlite3_prepare_v2 (self->observer, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    json_object_set_string_member (object, "journal_mode",
                                   (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  json_object_set_string_member (object, "synchronous", "FULL");
  json_object_set_string_member (object, "foreign_keys", "OFF");
  json_object_set_string_member (object, "temp_store", "MEMORY");
  json_object_set_int_member (object, "cache_size", -32768);
  return object;
}

static void
set_value (JsonObject           *data,
           const BoughBenchAttr *attr,
           BoughBenchValue      *value)
{
  JsonObject *wrapper = json_object_new ();

  switch (attr->type)
    {
    case BOUGH_BENCH_TYPE_TEXT:
      json_object_set_string_member (wrapper, "value", value->s);
      break;
    case BOUGH_BENCH_TYPE_INT:
      json_object_set_int_member (wrapper, "value", value->i);
      break;
    case BOUGH_BENCH_TYPE_BOOL:
      json_object_set_boolean_member (wrapper, "value", value->i != 0);
      break;
    default:
      g_assert_not_reached ();
    }
  json_object_set_object_member (data, attr->name, wrapper);
}

static JsonObject *
peer_ref (const char *id)
{
  JsonObject *ref = json_object_new ();

  json_object_set_string_member (ref, "id", id);
  return ref;
}

/* The hfid of object @obj: (name) or, for interfaces, (device name, name). */
static JsonArray *
object_hfid (BoughBenchDataset *ds,
             BoughBenchObject  *obj)
{
  JsonArray *hfid = json_array_new ();
  const BoughBenchKind *kind = bough_bench_kind (obj->kind);

  if (obj->kind == BOUGH_BENCH_KIND_INTERFACE)
    {
      g_autofree char *device = bough_bench_dataset_name (ds, (guint) obj->peers[0][0]);

      json_array_add_string_element (hfid, device);
    }
  else
    for (guint a = 0; a < kind->n_attrs; a++)
      if (kind->attrs[a].unique)
        {
          json_array_add_string_element (hfid, obj->values[a].s);
          return hfid;
        }
  json_array_add_string_element (hfid, obj->values[0].s);
  return hfid;
}

/* The mutation `data` of object @obj, in the shape of the GraphQL inputs. */
static JsonObject *
object_data (BoughBenchStore   *self,
             BoughBenchDataset *ds,
             BoughBenchObject  *obj,
             gboolean           with_hfid,
             GError           **error)
{
  const BoughBenchKind *kind = bough_bench_kind (obj->kind);
  g_autoptr(JsonObject) data = json_object_new ();

  if (with_hfid)
    json_object_set_array_member (data, "hfid", object_hfid (ds, obj));
  for (guint a = 0; a < kind->n_attrs; a++)
    if (obj->values[a].set)
      set_value (data, &kind->attrs[a], &obj->values[a]);
  for (guint r = 0; r < kind->n_rels; r++)
    {
      if (obj->n_peers[r] == 0)
        continue;
      for (guint p = 0; p < obj->n_peers[r]; p++)
        if (bough_bench_store_get_id (self, (guint) obj->peers[r][p]) == NULL)
          {
            g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                         "%s %s: peer %s not loaded", kind->kind, obj->values[0].s,
                         kind->rels[r].name);
            return NULL;
          }
      if (kind->rels[r].many)
        {
          JsonArray *peers = json_array_new ();

          for (guint p = 0; p < obj->n_peers[r]; p++)
            json_array_add_object_element (peers, peer_ref (bough_bench_store_get_id (self,
                                                            (guint) obj->peers[r][p])));
          json_object_set_array_member (data, kind->rels[r].name, peers);
        }
      else
        json_object_set_object_member (data, kind->rels[r].name,
                                       peer_ref (bough_bench_store_get_id (self,
                                                 (guint) obj->peers[r][0])));
    }
  return g_steal_pointer (&data);
}

const char *
bough_bench_store_get_id (BoughBenchStore *self,
                          guint            index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (index >= self->ids->len)
    return NULL;
  return g_ptr_array_index (self->ids, index);
}

static void
store_set_id (BoughBenchStore *self,
              guint            index,
              const char      *id)
{
  if (index >= self->ids->len)
    g_ptr_array_set_size (self->ids, index + 1);
  g_free (self->ids->pdata[index]);
  self->ids->pdata[index] = g_strdup (id);
}

/* Writes one object in @txn; returns whether it worked. */
static gboolean
store_write_object (BoughBenchStore   *self,
                    BoughTxn          *txn,
                    BoughBenchDataset *ds,
                    BoughBenchObject  *obj,
                    gboolean           upsert,
                    GError           **error)
{
  const BoughBenchKind *kind = bough_bench_kind (obj->kind);
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(BoughNode) node = NULL;
  gboolean created;

  data = object_data (self, ds, obj, upsert, error);
  if (data == NULL)
    return FALSE;
  if (upsert)
    node = bough_txn_upsert (txn, kind->kind, data, &created, error);
  else
    node = bough_txn_create (txn, kind->kind, data, error);
  if (node == NULL)
    return FALSE;
  store_set_id (self, obj->index, node->id);
  return TRUE;
}

gboolean
bough_bench_store_load (BoughBenchStore   *self,
                        BoughBenchDataset *ds,
                        guint              first,
                        guint              n,
                        guint              batch,
                        gboolean           upsert,
                        GError           **error)
{
  BoughBenchObject obj = { 0, };
  guint end = first + n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (ds != NULL, FALSE);
  g_return_val_if_fail (batch > 0, FALSE);
  g_return_val_if_fail (end <= bough_bench_dataset_get_n_objects (ds), FALSE);

  for (guint start = first; start < end; start += batch)
    {
      g_autoptr(BoughTxn) txn = bough_store_begin (self->store, BOUGH_DEFAULT_BRANCH,
                                                   BENCH_ACCOUNT, error);

      if (txn == NULL)
        return FALSE;
      for (guint i = start; i < MIN (start + batch, end); i++)
        {
          bough_bench_dataset_get (ds, i, &obj);
          if (!store_write_object (self, txn, ds, &obj, upsert, error))
            {
              bough_bench_object_clear (&obj);
              return FALSE;
            }
        }
      if (!bough_txn_commit (txn, error))
        {
          bough_bench_object_clear (&obj);
          return FALSE;
        }
    }
  bough_bench_object_clear (&obj);
  return TRUE;
}

static gint64
observe_int (BoughBenchStore *self,
             const char      *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (self->observer, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

char *
bough_bench_store_write_state (BoughBenchStore *self,
                               guint            index,
                               GError         **error)
{
  g_autoptr(GPtrArray) history = NULL;
  gint64 version;
  gint64 commits;
  const char *id;

  g_return_val_if_fail (self != NULL, NULL);

  id = bough_bench_store_get_id (self, index);
  if (id == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "object %u not loaded", index);
      return NULL;
    }
  history = bough_store_get_history (self->store, BOUGH_DEFAULT_BRANCH, id, error);
  if (history == NULL)
    return NULL;
  version = observe_int (self, "PRAGMA data_version");
  if (version < 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE, "PRAGMA data_version: %s",
                   sqlite3_errmsg (self->observer));
      return NULL;
    }
  /* The commit log is the store's own table: counted when it has one. */
  commits = observe_int (self, "SELECT count(*) FROM commits");
  return g_strdup_printf ("data_version %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                          " commit rows, %u history entries", version, commits, history->len);
}

gboolean
bough_bench_store_upsert_one (BoughBenchStore   *self,
                              BoughBenchDataset *ds,
                              guint              index,
                              const char        *description,
                              GError           **error)
{
  BoughBenchObject obj = { 0, };
  g_autoptr(BoughTxn) txn = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (ds != NULL, FALSE);

  bough_bench_dataset_get (ds, index, &obj);
  if (description != NULL)
    bough_bench_object_set_text (&obj, "description", description);
  txn = bough_store_begin (self->store, BOUGH_DEFAULT_BRANCH, BENCH_ACCOUNT, error);
  ok = txn != NULL &&
       store_write_object (self, txn, ds, &obj, TRUE, error) &&
       bough_txn_commit (txn, error);
  bough_bench_object_clear (&obj);
  return ok;
}

static void
touch_node (BoughNode *node)
{
  store_sink += node->n_attributes + strlen (node->id);
  for (guint i = 0; i < node->n_attributes; i++)
    store_sink += node->attributes[i].type != BOUGH_VALUE_NULL;
  for (guint i = 0; i < node->n_relationships; i++)
    store_sink += node->relationships[i].n_peers;
}

gint64
bough_bench_store_list (BoughBenchStore *self,
                        BoughBenchKindId id,
                        gint64           limit,
                        GError         **error)
{
  const BoughBenchKind *kind = bough_bench_kind (id);
  g_autoptr(BoughQuery) query = NULL;
  g_autoptr(BoughQueryResult) result = NULL;

  g_return_val_if_fail (self != NULL, -1);

  query = bough_query_new (kind->kind);
  query->limit = limit;
  result = bough_store_query (self->store, query, error);
  if (result == NULL)
    return -1;
  for (guint r = 0; r < kind->n_rels; r++)
    if (!kind->rels[r].many && kind->rels[r].peer != NULL &&
        !bough_store_fetch_peers (self->store, NULL, 0, result->nodes, kind->rels[r].name, error))
      return -1;
  for (guint i = 0; i < result->nodes->len; i++)
    touch_node (g_ptr_array_index (result->nodes, i));
  return result->nodes->len;
}

gboolean
bough_bench_store_get_by_id (BoughBenchStore *self,
                             BoughBenchKindId kind,
                             const char      *id,
                             GError         **error)
{
  g_autoptr(BoughNode) node = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  node = bough_store_get_node (self->store, BOUGH_DEFAULT_BRANCH, 0,
                               bough_bench_kind (kind)->kind, id, error);
  if (node == NULL)
    return FALSE;
  touch_node (node);
  return TRUE;
}

static BoughNode *
store_get_by_name (BoughBenchStore *self,
                   BoughBenchKindId kind,
                   const char      *name,
                   GError         **error)
{
  const char *hfid[] = { name, NULL };

  return bough_store_get_node_by_hfid (self->store, BOUGH_DEFAULT_BRANCH, 0,
                                       bough_bench_kind (kind)->kind, hfid, error);
}

gboolean
bough_bench_store_get_by_hfid (BoughBenchStore *self,
                               BoughBenchKindId kind,
                               const char      *hfid,
                               GError         **error)
{
  g_autoptr(BoughNode) node = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (hfid != NULL, FALSE);

  node = store_get_by_name (self, kind, hfid, error);
  if (node == NULL)
    return FALSE;
  touch_node (node);
  return TRUE;
}

gint
bough_bench_store_get_device (BoughBenchStore *self,
                              const char      *name,
                              GError         **error)
{
  g_autoptr(BoughNode) device = NULL;
  g_autoptr(BoughQuery) query = NULL;
  g_autoptr(BoughQueryResult) result = NULL;
  g_autoptr(JsonNode) ids = NULL;
  JsonArray *array;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  device = store_get_by_name (self, BOUGH_BENCH_KIND_DEVICE, name, error);
  if (device == NULL)
    return -1;
  touch_node (device);

  array = json_array_new ();
  json_array_add_string_element (array, device->id);
  ids = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (ids, array);
  query = bough_query_new (bough_bench_kind (BOUGH_BENCH_KIND_INTERFACE)->kind);
  bough_query_add_filter (query, "device", NULL, BOUGH_FILTER_IDS, ids);
  result = bough_store_query (self->store, query, error);
  if (result == NULL)
    return -1;
  for (guint i = 0; i < result->nodes->len; i++)
    touch_node (g_ptr_array_index (result->nodes, i));
  return (gint) result->nodes->len;
}

gboolean
bough_bench_store_update_description (BoughBenchStore *self,
                                      BoughBenchKindId kind,
                                      const char      *id,
                                      const char      *description,
                                      GError         **error)
{
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(BoughNode) node = NULL;
  JsonObject *value = json_object_new ();

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  json_object_set_string_member (data, "id", id);
  json_object_set_string_member (value, "value", description);
  json_object_set_object_member (data, "description", value);
  txn = bough_store_begin (self->store, BOUGH_DEFAULT_BRANCH, BENCH_ACCOUNT, error);
  if (txn == NULL)
    return FALSE;
  node = bough_txn_update (txn, bough_bench_kind (kind)->kind, data, error);
  return node != NULL && bough_txn_commit (txn, error);
}

/* Changes @n items of @kind (picked evenly among the first @count loaded
 * from @first) on @branch (NULL: main), @batch per commit: their serial, so
 * that the order keys, change times and closed versions differ. */
static gboolean
store_touch_items (BoughBenchStore  *self,
                   const char       *branch,
                   guint             first,
                   guint             count,
                   guint             n,
                   const char       *tag,
                   GError          **error)
{
  const guint batch = 500;

  for (guint done = 0; done < n;)
    {
      g_autoptr(BoughTxn) txn = bough_store_begin (self->store, branch, BENCH_ACCOUNT, error);

      if (txn == NULL)
        return FALSE;
      for (guint k = 0; k < batch && done < n; k++, done++)
        {
          const char *id = bough_bench_store_get_id (self, first + (guint) ((guint64) done * count / n));
          g_autoptr(JsonObject) data = json_object_new ();
          g_autoptr(BoughNode) node = NULL;
          g_autofree char *serial = g_strdup_printf ("%s-%06u", tag, n - done);
          JsonObject *wrapper = json_object_new ();

          json_object_set_string_member (data, "id", id);
          json_object_set_string_member (wrapper, "value", serial);
          json_object_set_object_member (data, "serial", wrapper);
          node = bough_txn_update (txn, "BenchItem", data, error);
          if (node == NULL)
            return FALSE;
        }
      if (!bough_txn_commit (txn, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
bough_bench_store_order_prepare (BoughBenchStore  *self,
                                 guint             first,
                                 guint             count,
                                 const char       *branch,
                                 gint64           *out_past,
                                 GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (branch != NULL, FALSE);

  *out_past = bough_store_now (self->store);
  /* 1 % of main changed since the past time, the branch changes 0.1 % */
  return store_touch_items (self, NULL, first, count, MAX (count / 100, 1), "m", error) &&
         bough_store_create_branch (self->store, branch, error) &&
         store_touch_items (self, branch, first + 1, count - 1, MAX (count / 1000, 1), "b", error);
}

gint64
bough_bench_store_order_page (BoughBenchStore  *self,
                              const char       *kind,
                              const char       *branch,
                              gint64            at,
                              const char       *order,
                              gint64            offset,
                              gint64            limit,
                              GError          **error)
{
  g_autoptr(BoughQuery) query = NULL;
  g_autoptr(BoughQueryResult) result = NULL;

  g_return_val_if_fail (self != NULL, -1);

  query = bough_query_new (kind);
  query->branch = g_strdup (branch);
  query->at = at;
  query->offset = offset;
  query->limit = limit;
  query->skip_count = TRUE;
  if (order != NULL)
    query->order_by = *order == '\0' ? g_new0 (char *, 1) : g_strsplit (order, "|", -1);
  result = bough_store_query (self->store, query, error);
  if (result == NULL)
    return -1;
  for (guint i = 0; i < result->nodes->len; i++)
    touch_node (g_ptr_array_index (result->nodes, i));
  return result->nodes->len;
}
