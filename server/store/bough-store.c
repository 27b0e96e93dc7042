/* bough-store.c: the semantic layer of the versioned store: opening and
 * initializing, commit stamps, branches, the schema per branch, and the
 * public value types (nodes, queries, history entries). Writes live in
 * bough-store-write.c, reads in bough-store-read.c; SQL only in the drivers.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <string.h>
#include <time.h>

#include "bough-error.h"
#include "bough-store-internal.h"
#include "bough-store-events.h"

/* ---- value types ---- */

BoughNode *
bough_node_ref (BoughNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_atomic_int_inc (&node->ref_count);
  return node;
}

static void
attribute_value_reset (BoughAttributeValue *attr)
{
  if (attr->type == BOUGH_VALUE_STRING)
    g_free (attr->v.string);
  else if (attr->type == BOUGH_VALUE_JSON)
    json_node_unref (attr->v.json);
  attr->type = BOUGH_VALUE_NULL;
  memset (&attr->v, 0, sizeof attr->v);
  g_clear_pointer (&attr->node, json_node_unref);
}

static void
attribute_value_clear (BoughAttributeValue *attr)
{
  attribute_value_reset (attr);
  g_clear_pointer (&attr->source, g_free);
  g_clear_pointer (&attr->owner, g_free);
}

/* Takes the value of @node (NULL: null) into @attr. */
static void
attribute_value_set_node (BoughAttributeValue *attr,
                          JsonNode            *node)
{
  attribute_value_reset (attr);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return;
  if (JSON_NODE_HOLDS_VALUE (node))
    switch (json_node_get_value_type (node))
      {
      case G_TYPE_BOOLEAN:
        attr->type = BOUGH_VALUE_BOOLEAN;
        attr->v.boolean = json_node_get_boolean (node);
        return;
      case G_TYPE_INT64:
        attr->type = BOUGH_VALUE_INT;
        attr->v.integer = json_node_get_int (node);
        return;
      case G_TYPE_DOUBLE:
        attr->type = BOUGH_VALUE_DOUBLE;
        attr->v.number = json_node_get_double (node);
        return;
      case G_TYPE_STRING:
        attr->type = BOUGH_VALUE_STRING;
        attr->v.string = g_strdup (json_node_get_string (node));
        return;
      default:
        break;
      }
  attr->type = BOUGH_VALUE_JSON;
  attr->v.json = json_node_copy (node);
}

static JsonNode *
attribute_value_to_node (const BoughAttributeValue *attr)
{
  JsonNode *node;

  switch (attr->type)
    {
    case BOUGH_VALUE_BOOLEAN:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, attr->v.boolean);
      return node;
    case BOUGH_VALUE_INT:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, attr->v.integer);
      return node;
    case BOUGH_VALUE_DOUBLE:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, attr->v.number);
      return node;
    case BOUGH_VALUE_STRING:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, attr->v.string);
      return node;
    case BOUGH_VALUE_JSON:
      return json_node_copy (attr->v.json);
    case BOUGH_VALUE_NULL:
    default:
      return json_node_new (JSON_NODE_NULL);
    }
}

/* The display label of a node: the one rendered from its schema's
 * display_label(s), else "Kind(ID: uuid)", Infrahub's label of a node whose
 * schema declares none. @buf (of @size bytes) holds the latter. */
const char *
_bough_display_label (const char *label,
                      const char *kind,
                      const char *uuid,
                      char       *buf,
                      gsize       size)
{
  if (label != NULL)
    return label;
  g_snprintf (buf, size, "%s(ID: %s)", kind, uuid);
  return buf;
}

/* One block for an id, a label and an hfid that live and die together
 * (a listing makes one per node and per peer): the hfid's vector first,
 * then the strings. NULL when the hfid is not an array of plain strings;
 * the caller then copies them one by one. */
gpointer
_bough_pack_strings (const char   *id,
                     const char   *label,
                     const char   *hfid_json,
                     char        **out_id,
                     char        **out_label,
                     char       ***out_hfid)
{
  const char *starts[8];
  gsize lens[8];
  guint n = 0;
  gsize size;
  char **vector;
  char *p;

  if (hfid_json != NULL)
    {
      const char *q = hfid_json;

      if (strchr (hfid_json, '\\') != NULL || *q++ != '[')
        return NULL;
      while (*q != ']')
        {
          const char *end;
          if (n == G_N_ELEMENTS (starts) || *q != '"' || (end = strchr (q + 1, '"')) == NULL)
            return NULL;
          starts[n] = q + 1;
          lens[n++] = end - (q + 1);
          q = end + 1;
          if (*q == ',')
            q++;
          else if (*q != ']')
            return NULL;
        }
      if (q[1] != '\0')
        return NULL;
    }
  size = (hfid_json != NULL ? (n + 1) * sizeof (char *) : 0) + strlen (id) + 1 +
         (label != NULL ? strlen (label) + 1 : 0);
  for (guint i = 0; i < n; i++)
    size += lens[i] + 1;
  vector = g_malloc (size);
  p = hfid_json != NULL ? (char *) (vector + n + 1) : (char *) vector;
  *out_id = p;
  p = g_stpcpy (p, id) + 1;
  *out_label = NULL;
  if (label != NULL)
    {
      *out_label = p;
      p = g_stpcpy (p, label) + 1;
    }
  *out_hfid = NULL;
  if (hfid_json != NULL)
    {
      for (guint i = 0; i < n; i++)
        {
          vector[i] = p;
          memcpy (p, starts[i], lens[i]);
          p[lens[i]] = '\0';
          p += lens[i] + 1;
        }
      vector[n] = NULL;
      *out_hfid = vector;
    }
  return vector;
}

static void
peer_clear (BoughPeer *peer)
{
  if (peer->strings != NULL)
    g_free (peer->strings);
  else
    {
      g_free (peer->id);
      g_free (peer->display_label);
      g_strfreev (peer->hfid);
    }
  g_free (peer->source);
  g_free (peer->owner);
  g_free (peer->rel_id);
}

void
_bough_relationship_value_clear (BoughRelationshipValue *rel)
{
  for (guint i = 0; i < rel->n_peers; i++)
    peer_clear (&rel->peers[i]);
  g_clear_pointer (&rel->peers, g_free);
  rel->n_peers = 0;
}

void
bough_node_unref (BoughNode *node)
{
  g_return_if_fail (node != NULL);
  if (!g_atomic_int_dec_and_test (&node->ref_count))
    return;
  if (node->strings != NULL)
    g_free (node->strings);
  else
    {
      g_free (node->id);
      g_strfreev (node->hfid);
      g_free (node->display_label);
    }
  for (guint i = 0; i < node->n_attributes; i++)
    attribute_value_clear (&node->attributes[i]);
  g_free (node->attributes);
  for (guint i = 0; i < node->n_relationships; i++)
    _bough_relationship_value_clear (&node->relationships[i]);
  g_free (node->relationships);
  g_clear_pointer ((BoughSchema **) &node->schema, bough_schema_unref);
  g_free (node);
}

/**
 * bough_node_get_attribute:
 * @node: a node
 * @attribute: an attribute name
 *
 * Returns: (transfer none) (nullable): the attribute with its properties,
 *   %NULL when the kind has no such attribute
 */
const BoughAttributeValue *
bough_node_get_attribute (BoughNode  *node,
                          const char *attribute)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (attribute != NULL, NULL);

  /* names are the schema's strings: most callers pass those very pointers */
  for (guint i = 0; i < node->n_attributes; i++)
    if (node->attributes[i].name == attribute)
      return &node->attributes[i];
  for (guint i = 0; i < node->n_attributes; i++)
    if (strcmp (node->attributes[i].name, attribute) == 0)
      return &node->attributes[i];
  return NULL;
}

static JsonNode *
shared_null (void)
{
  static JsonNode *null_node;

  if (g_once_init_enter (&null_node))
    {
      JsonNode *n = json_node_new (JSON_NODE_NULL);
      json_node_seal (n);
      g_once_init_leave (&null_node, n);
    }
  return null_node;
}

/**
 * bough_node_get_value:
 * @node: a node
 * @attribute: an attribute name
 *
 * Returns: (transfer none) (nullable): the value of @attribute (a null node
 *   when the value is null), %NULL when the node has no such attribute
 */
JsonNode *
bough_node_get_value (BoughNode  *node,
                      const char *attribute)
{
  BoughAttributeValue *attr;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (attribute != NULL, NULL);

  attr = (BoughAttributeValue *) bough_node_get_attribute (node, attribute);
  if (attr == NULL)
    return NULL;
  if (attr->type == BOUGH_VALUE_NULL)
    return shared_null ();
  if (g_atomic_pointer_get (&attr->node) == NULL)
    {
      /* made once, whichever thread asks first */
      JsonNode *made = attribute_value_to_node (attr);
      json_node_seal (made);
      if (!g_atomic_pointer_compare_and_exchange (&attr->node, NULL, made))
        json_node_unref (made);
    }
  return g_atomic_pointer_get (&attr->node);
}

/**
 * bough_node_get_relationship:
 * @node: a node
 * @relationship: a relationship name
 *
 * Returns: (transfer none) (nullable): the peers of @relationship, %NULL
 *   when they were not fetched
 */
const BoughRelationshipValue *
bough_node_get_relationship (BoughNode  *node,
                             const char *relationship)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (relationship != NULL, NULL);

  for (guint i = 0; i < node->n_relationships; i++)
    if (strcmp (node->relationships[i].name, relationship) == 0)
      return &node->relationships[i];
  return NULL;
}

/* The same few stamps recur over the attributes of a read: format each once. */
static void
set_stamp_member (JsonObject *obj,
                  const char *name,
                  gint64      stamp)
{
  static __thread gint64 last_stamp = -1;
  static __thread char last_iso[40];

  if (stamp <= 0)
    {
      json_object_set_null_member (obj, name);
      return;
    }
  if (stamp != last_stamp)
    {
      g_autofree char *iso = bough_store_stamp_to_iso8601 (stamp);
      g_strlcpy (last_iso, iso ? iso : "", sizeof last_iso);
      last_stamp = stamp;
    }
  json_object_set_string_member (obj, name, last_iso);
}

static void
set_nullable_string (JsonObject *obj,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, name, value);
  else
    json_object_set_null_member (obj, name);
}

/**
 * bough_node_attribute_to_json:
 * @attr: an attribute of a node
 *
 * Returns: (transfer full): @attr in the public JSON shape: {"value",
 *   "is_default", "is_protected", "is_visible", "source", "owner",
 *   "updated_at"} with updated_at in ISO 8601 (null when unknown)
 */
JsonObject *
bough_node_attribute_to_json (const BoughAttributeValue *attr)
{
  JsonObject *entry;

  g_return_val_if_fail (attr != NULL, NULL);

  entry = json_object_new ();
  json_object_set_member (entry, "value", attribute_value_to_node (attr));
  json_object_set_boolean_member (entry, "is_default", attr->is_default);
  json_object_set_boolean_member (entry, "is_protected", attr->is_protected);
  json_object_set_boolean_member (entry, "is_visible", attr->is_visible);
  set_nullable_string (entry, "source", attr->source);
  set_nullable_string (entry, "owner", attr->owner);
  set_stamp_member (entry, "updated_at", attr->updated_at);
  return entry;
}

/**
 * bough_node_attributes_to_json:
 * @node: a node
 *
 * Returns: (transfer full): name → bough_node_attribute_to_json() of every
 *   attribute of the node
 */
JsonObject *
bough_node_attributes_to_json (BoughNode *node)
{
  JsonObject *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = json_object_new ();
  for (guint i = 0; i < node->n_attributes; i++)
    json_object_set_object_member (out, node->attributes[i].name,
                                   bough_node_attribute_to_json (&node->attributes[i]));
  return out;
}

static JsonNode *
peer_to_json (const BoughPeer *peer)
{
  JsonObject *obj = json_object_new ();
  JsonObject *props = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (obj, "id", peer->id);
  json_object_set_string_member (obj, "kind", peer->kind);
  set_nullable_string (obj, "display_label", peer->display_label);
  if (peer->hfid != NULL)
    {
      JsonArray *hfid = json_array_new ();
      for (guint i = 0; peer->hfid[i] != NULL; i++)
        json_array_add_string_element (hfid, peer->hfid[i]);
      json_object_set_array_member (obj, "hfid", hfid);
    }
  else
    json_object_set_null_member (obj, "hfid");
  json_object_set_boolean_member (props, "is_visible", peer->is_visible);
  json_object_set_boolean_member (props, "is_protected", peer->is_protected);
  set_nullable_string (props, "source", peer->source);
  set_nullable_string (props, "owner", peer->owner);
  set_stamp_member (props, "updated_at", peer->updated_at);
  json_object_set_object_member (obj, "properties", props);
  json_node_take_object (node, obj);
  return node;
}

/**
 * bough_node_relationship_to_json:
 * @rel: a relationship of a node
 *
 * Returns: (transfer full): for cardinality one, null or {"id", "kind",
 *   "display_label", "hfid", "properties": {"is_visible", "is_protected",
 *   "source", "owner", "updated_at"}}; for many, an array of those
 */
JsonNode *
bough_node_relationship_to_json (const BoughRelationshipValue *rel)
{
  JsonArray *array;
  JsonNode *node;

  g_return_val_if_fail (rel != NULL, NULL);

  if (!rel->many)
    return rel->n_peers > 0 ? peer_to_json (&rel->peers[0]) : json_node_new (JSON_NODE_NULL);
  array = json_array_new ();
  for (guint i = 0; i < rel->n_peers; i++)
    json_array_add_element (array, peer_to_json (&rel->peers[i]));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/**
 * bough_node_relationships_to_json:
 * @node: a node
 *
 * Returns: (transfer full): name → bough_node_relationship_to_json() of
 *   every relationship filled
 */
JsonObject *
bough_node_relationships_to_json (BoughNode *node)
{
  JsonObject *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = json_object_new ();
  for (guint i = 0; i < node->n_relationships; i++)
    json_object_set_member (out, node->relationships[i].name,
                            bough_node_relationship_to_json (&node->relationships[i]));
  return out;
}

BoughQuery *
bough_query_new (const char *kind)
{
  BoughQuery *query;

  g_return_val_if_fail (kind != NULL, NULL);

  query = g_new0 (BoughQuery, 1);
  query->kind = g_strdup (kind);
  query->limit = -1;
  return query;
}

static void
filter_free (BoughFilter *filter)
{
  g_free (filter->relationship);
  g_free (filter->attribute);
  g_clear_pointer (&filter->value, json_node_unref);
  g_free (filter);
}

void
bough_query_free (BoughQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->kind);
  g_free (query->branch);
  g_clear_pointer (&query->filters, g_ptr_array_unref);
  g_strfreev (query->order_by);
  g_free (query);
}

/**
 * bough_query_add_filter:
 * @query: a query
 * @relationship: (nullable): filter on the peers of this relationship
 * @attribute: (nullable): attribute name, "any", or %NULL for ids/hfid/isnull
 *   of a relationship
 * @op: the filter
 * @value: (transfer none): the value (copied)
 */
void
bough_query_add_filter (BoughQuery    *query,
                        const char    *relationship,
                        const char    *attribute,
                        BoughFilterOp  op,
                        JsonNode      *value)
{
  BoughFilter *filter;

  g_return_if_fail (query != NULL);

  if (query->filters == NULL)
    query->filters = g_ptr_array_new_with_free_func ((GDestroyNotify) filter_free);
  filter = g_new0 (BoughFilter, 1);
  filter->relationship = g_strdup (relationship);
  filter->attribute = g_strdup (attribute);
  filter->op = op;
  filter->value = value != NULL ? json_node_copy (value) : NULL;
  g_ptr_array_add (query->filters, filter);
}

void
bough_query_result_free (BoughQueryResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->nodes, g_ptr_array_unref);
  g_free (result);
}

void
bough_history_entry_free (BoughHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->branch);
  g_free (entry->account);
  g_free (entry->action);
  g_clear_pointer (&entry->data, json_object_unref);
  g_free (entry);
}

void
bough_node_row_free (BoughNodeRow *row)
{
  if (row == NULL)
    return;
  g_free (row->uuid);
  g_free (row->kind);
  g_free (row->branch);
  g_free (row->attrs);
  g_free (row->hfid);
  g_free (row->label);
  g_free (row->order_attr);
  g_free (row);
}

void
bough_rel_row_free (BoughRelRow *row)
{
  if (row == NULL)
    return;
  g_free (row->identifier);
  g_free (row->src);
  g_free (row->dst);
  g_free (row->branch);
  g_free (row->props);
  g_free (row);
}

void
bough_lookup_free (BoughLookup *lookup)
{
  if (lookup == NULL)
    return;
  g_free (lookup->key);
  g_free (lookup->value);
  g_free (lookup);
}

void
bough_driver_filter_free (BoughDriverFilter *filter)
{
  if (filter == NULL)
    return;
  g_free (filter->attribute);
  g_free (filter->identifier);
  g_strfreev (filter->peer_kinds);
  g_clear_pointer (&filter->value, json_node_unref);
  g_free (filter);
}

void
bough_driver_order_free (BoughDriverOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->attribute);
  g_free (order->property);
  g_free (order->identifier);
  g_strfreev (order->peer_kinds);
  g_free (order);
}

/* ---- JSON helpers ---- */

char *
_bough_json_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);
  _bough_json_append (out, node);
  return g_string_free (out, FALSE);
}

char *
_bough_json_object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return _bough_json_text (node);
}

JsonNode *
_bough_json_parse (const char  *text,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root = _bough_json_read (text);

  if (root != NULL)
    return root;
  /* not ours: let json-glib say what is wrong */
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_copy (root) : json_node_new (JSON_NODE_NULL);
}

JsonObject *
_bough_json_parse_object (const char *text)
{
  g_autoptr(JsonNode) node = NULL;

  if (text == NULL)
    return json_object_new ();
  node = _bough_json_read (text);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

/* hfid parts and lookup values are text; numbers and booleans are printed */
char *
_bough_json_scalar_to_string (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (value))
    {
      GType t = json_node_get_value_type (value);
      if (t == G_TYPE_STRING)
        return g_strdup (json_node_get_string (value));
      if (t == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (value) ? "true" : "false");
      if (t == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (value);
          if (d == (double) (gint64) d)
            return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) d);
          return g_strdup_printf ("%.17g", d);
        }
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
    }
  return _bough_json_text (value);
}

char *
_bough_strv_json (const char * const *strv)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      _bough_json_append_string (out, strv[i]);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

char **
_bough_strv_from_json (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  char **strv;

  if (text == NULL)
    return NULL;
  /* hfids are arrays of strings: read them without a tree */
  strv = _bough_json_read_strv (text);
  if (strv != NULL)
    return strv;
  node = _bough_json_parse (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *s = _bough_json_scalar_to_string (json_array_get_element (array, i));
      g_strv_builder_add (builder, s ? s : "");
    }
  return g_strv_builder_end (builder);
}

/* ---- ids ---- */

/* A version 7 UUID (RFC 9562): a millisecond time prefix, then a counter
 * and random bits. New nodes then land at the end of the id indexes
 * instead of on a random page of each, which keeps bulk loads fast. */
char *
_bough_uuid_new (void)
{
  static GMutex lock;
  static gint64 last_ms;
  static guint32 seq;
  guint8 b[16];
  gint64 ms = g_get_real_time () / 1000;
  guint32 counter;

  g_mutex_lock (&lock);
  if (ms <= last_ms)
    {
      ms = last_ms;
      seq++;
      if (seq > 0xfff)
        {
          /* more than 4096 ids in one millisecond: borrow the next one */
          ms = ++last_ms;
          seq = 0;
        }
    }
  else
    {
      last_ms = ms;
      seq = g_random_int_range (0, 0x400);
    }
  counter = seq;
  g_mutex_unlock (&lock);

  for (guint i = 0; i < 6; i++)
    b[i] = (ms >> (8 * (5 - i))) & 0xff;
  b[6] = 0x70 | ((counter >> 8) & 0x0f);
  b[7] = counter & 0xff;
  for (guint i = 8; i < 16; i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (b + i, &r, 4);
    }
  b[8] = 0x80 | (b[8] & 0x3f);
  {
    /* written out by hand: printf is a visible cost of bulk creates */
    static const char hex[] = "0123456789abcdef";
    char *out = g_malloc (37);
    char *p = out;

    for (guint i = 0; i < 16; i++)
      {
        if (i == 4 || i == 6 || i == 8 || i == 10)
          *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 0x0f];
      }
    *p = '\0';
    return out;
  }
}

/* ---- time ---- */

/**
 * bough_store_stamp_to_iso8601:
 * @stamp: a commit stamp (microseconds since the epoch)
 *
 * Returns: (transfer full): the stamp as UTC ISO 8601 with microseconds
 */
char *
bough_store_stamp_to_iso8601 (gint64 stamp)
{
  /* gmtime_r rather than GDateTime: this runs for every attribute read */
  time_t secs = (time_t) (stamp >= 0 ? stamp / G_USEC_PER_SEC : (stamp - G_USEC_PER_SEC + 1) / G_USEC_PER_SEC);
  gint64 usec = stamp - (gint64) secs * G_USEC_PER_SEC;
  struct tm tm;

  if (gmtime_r (&secs, &tm) == NULL)
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06" G_GINT64_FORMAT "Z",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
}

/**
 * bough_store_stamp_from_iso8601:
 * @text: an ISO 8601 date and time (UTC when no offset is given), or a
 *   relative time such as "10m", "2h", "5s", "1d" (that long ago)
 * @error: return location for a #GError
 *
 * Returns: the commit stamp (microseconds since the epoch), or 0 with @error set
 */
gint64
bough_store_stamp_from_iso8601 (const char  *text,
                                GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, 0);

  len = strlen (text);
  if (len >= 2 && strchr ("smhd", text[len - 1]) != NULL)
    {
      char *end = NULL;
      guint64 n = g_ascii_strtoull (text, &end, 10);
      if (end == text + len - 1 && g_ascii_isdigit (text[0]))
        {
          gint64 unit = text[len - 1] == 's' ? 1 : text[len - 1] == 'm' ? 60
                      : text[len - 1] == 'h' ? 3600 : 86400;
          if (n > (guint64) (G_MAXINT64 / G_USEC_PER_SEC / unit))
            n = G_MAXINT64 / G_USEC_PER_SEC / unit;
          return MAX (1, g_get_real_time () - (gint64) n * unit * G_USEC_PER_SEC);
        }
    }

  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "“%s” is not an ISO 8601 time nor a relative time like “10m”", text);
      return 0;
    }
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

gint64
bough_store_now (BoughStore *self)
{
  gint64 now;

  g_return_val_if_fail (self != NULL, 0);

  now = g_get_real_time ();
  g_mutex_lock (&self->lock);
  now = MAX (now, self->last_stamp);
  g_mutex_unlock (&self->lock);
  return now;
}

static guint64 next_change_serial (void);

static gboolean
same_orders (GHashTable *a,
             GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

/* Drops what the caches hold when another process committed since they
 * were filled (schemas, branch points, order keys, change serials: a
 * permissions cache keyed on them then reloads). With @probe, looks at the
 * database first; without, uses what the last look (or write) saw. */
void
_bough_store_sync (BoughStore *self,
                   gboolean    probe)
{
  BoughDriverConn *conn = NULL;
  g_autoptr(GHashTable) orders = NULL;
  gint64 known = 0;
  guint64 serial;

  if (probe)
    {
      conn = self->driver->reader_acquire (self->db, NULL);
      if (conn != NULL)
        self->driver->probe_foreign (conn, NULL);
    }
  serial = self->driver->foreign_serial (self->db, &known);
  g_mutex_lock (&self->lock);
  /* later stamps follow every commit seen, whoever made it */
  self->last_stamp = MAX (self->last_stamp, known);
  if (serial == self->foreign_seen)
    {
      g_mutex_unlock (&self->lock);
      if (conn != NULL)
        self->driver->reader_release (self->db, conn);
      return;
    }
  g_mutex_unlock (&self->lock);

  /* order keys may have moved with a schema change */
  if (conn != NULL)
    {
      orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (!self->driver->get_orders (conn, orders, NULL))
        g_clear_pointer (&orders, g_hash_table_unref);
      self->driver->reader_release (self->db, conn);
    }
  g_mutex_lock (&self->lock);
  self->foreign_seen = serial;
  self->last_stamp = MAX (self->last_stamp, known);
  g_hash_table_remove_all (self->schemas);
  g_hash_table_remove_all (self->branches);
  g_hash_table_remove_all (self->branch_points);
  g_hash_table_remove_all (self->kind_serials);
  self->open_serial = next_change_serial ();
  if (orders != NULL && !same_orders (self->orders, orders))
    {
      /* _bough_store_order_attribute() lent its strings: the old table
       * lives on with the store (this happens with schema changes only) */
      g_ptr_array_add (self->retired, self->orders);
      self->orders = g_steal_pointer (&orders);
    }
  g_mutex_unlock (&self->lock);
  g_debug ("Another process committed up to %" G_GINT64_FORMAT ": caches dropped", known);
}

/* Called with the writer held: the next stamp, strictly after every
 * committed one even when the wall clock stepped back, in this process
 * or another (the driver's begin saw the newest). */
gint64
_bough_store_next_stamp (BoughStore *self)
{
  gint64 stamp = g_get_real_time ();

  _bough_store_sync (self, FALSE);
  g_mutex_lock (&self->lock);
  stamp = MAX (stamp, self->last_stamp + 1);
  g_mutex_unlock (&self->lock);
  return stamp;
}

/* Change serials come from one counter for the whole process, so that a
 * serial is never seen twice, even by a cache that outlives a store. */
static guint64
next_change_serial (void)
{
  static guint64 counter = 0;
  static GMutex lock;
  guint64 serial;

  g_mutex_lock (&lock);
  serial = ++counter;
  g_mutex_unlock (&lock);
  return serial;
}

/* @summary: (nullable): "<action> <Kind>" → count, the kinds the commit
 * changed; %NULL for commits of no node (schema, branches) */
void
_bough_store_committed (BoughStore *self,
                        gint64      stamp,
                        GHashTable *summary)
{
  guint64 serial;
  GHashTableIter iter;
  gpointer key;

  if (summary == NULL)
    {
      g_mutex_lock (&self->lock);
      self->last_stamp = MAX (self->last_stamp, stamp);
      g_mutex_unlock (&self->lock);
      return;
    }
  serial = next_change_serial ();
  g_mutex_lock (&self->lock);
  self->last_stamp = MAX (self->last_stamp, stamp);
  g_hash_table_iter_init (&iter, summary);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *kind = strchr (key, ' ');
      guint64 *value;

      if (kind == NULL)
        continue;
      kind++;
      value = g_hash_table_lookup (self->kind_serials, kind);
      if (value == NULL)
        {
          value = g_new (guint64, 1);
          g_hash_table_insert (self->kind_serials, g_strdup (kind), value);
        }
      *value = serial;
    }
  g_mutex_unlock (&self->lock);
}

/**
 * bough_store_get_change_serial:
 * @self: a store
 * @kind: a node kind
 *
 * A number that changes whenever a commit of this process changes a node
 * of @kind (created, updated, its links changed, deleted), and for every
 * kind when another process sharing the database committed (seen by the
 * latest read). Serials come
 * from one counter for the whole process and only grow, so a cache keyed
 * on them (such as the permissions of accounts) knows it is stale without
 * hooks.
 *
 * Returns: the change serial of @kind
 */
guint64
bough_store_get_change_serial (BoughStore *self,
                               const char *kind)
{
  guint64 *value;
  guint64 serial;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (kind != NULL, 0);

  /* what the last look at the database saw (every read looks): no query
   * per kind asked */
  _bough_store_sync (self, FALSE);
  g_mutex_lock (&self->lock);
  value = g_hash_table_lookup (self->kind_serials, kind);
  serial = value != NULL ? *value : self->open_serial;
  g_mutex_unlock (&self->lock);
  return serial;
}

/* ---- opening ---- */

/**
 * bough_store_open:
 * @location: the database file (a directory means DIR/bough.db); created
 *   when absent
 * @error: return location for a #GError
 *
 * Opens the store. An empty database must then be initialized with
 * bough_store_initialize(); an older layout is migrated.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
BoughStore *
bough_store_open (const char  *location,
                  GError     **error)
{
  g_autoptr(BoughStore) self = NULL;
  BoughDriverConn *conn;
  gint version;

  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (BoughStore, 1);
  self->ref_count = 1;
  g_mutex_init (&self->lock);
  g_mutex_init (&self->watch_lock);
  /* the benchmarks measure what events cost against a store that writes none */
  self->no_events = g_strcmp0 (g_getenv ("BOUGH_BENCH_NO_EVENTS"), "1") == 0;
  self->schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) bough_schema_unref);
  self->branches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->branch_points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_array_unref);
  self->orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  self->kind_serials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->open_serial = next_change_serial ();
  self->past_schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) bough_schema_unref);
  self->driver = bough_store_sqlite_driver ();
  self->db = self->driver->open (location, error);
  if (self->db == NULL)
    return NULL;

  version = self->driver->get_version (self->db);
  if (version > 0 && !self->driver->migrate (self->db, error))
    return NULL;

  if (version > 0)
    {
      gboolean ok;

      conn = self->driver->writer_acquire (self->db);
      self->last_stamp = self->driver->last_stamp (conn, error);
      ok = self->last_stamp >= 0 && self->driver->get_orders (conn, self->orders, error);
      self->driver->writer_release (self->db, conn);
      if (!ok)
        return NULL;
    }
  return g_steal_pointer (&self);
}

BoughStore *
bough_store_ref (BoughStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bough_store_unref (BoughStore *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  if (self->db != NULL)
    self->driver->close (self->db);
  g_hash_table_destroy (self->schemas);
  g_hash_table_destroy (self->branches);
  g_hash_table_destroy (self->branch_points);
  g_hash_table_destroy (self->orders);
  g_ptr_array_unref (self->retired);
  g_hash_table_destroy (self->kind_serials);
  g_hash_table_destroy (self->past_schemas);
  g_clear_pointer (&self->event_watches, g_array_unref);
  g_mutex_clear (&self->watch_lock);
  g_mutex_clear (&self->lock);
  g_free (self);
}

const char *
bough_store_get_driver_name (BoughStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->driver->name;
}

gboolean
bough_store_is_initialized (BoughStore *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->driver->get_version (self->db) >= 1 &&
         bough_store_branch_exists (self, BOUGH_DEFAULT_BRANCH);
}

/* The attribute a kind keeps as its order key: the first entry of its
 * order, when that is an own attribute value (either direction: the index
 * is read backwards for __desc). */
static const char *
order_key_attribute (BoughNodeSchema *ns)
{
  BoughOrderKey key;

  if (ns->order_by == NULL || ns->order_by[0] == NULL ||
      !bough_node_schema_parse_order (ns, ns->order_by[0], NULL, NULL, &key, NULL) ||
      key.target != BOUGH_ORDER_VALUE || !g_str_equal (key.property, "value"))
    return NULL;
  return key.attribute->name;
}

/* Brings the order keys in line with the default branch's @schema; the
 * kinds changed go to @changes (kind → attribute or NULL), for
 * apply_orders() once committed. */
static gboolean
sync_orders (BoughStore       *self,
             BoughDriverConn  *conn,
             BoughSchema      *schema,
             GHashTable       *changes,
             GError          **error)
{
  GPtrArray *nodes = bough_schema_get_nodes (schema);

  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      BoughNodeSchema *ns = g_ptr_array_index (nodes, i);
      const char *attribute;
      gboolean same;

      if (ns->is_generic)
        continue;
      attribute = order_key_attribute (ns);
      g_mutex_lock (&self->lock);
      same = g_strcmp0 (g_hash_table_lookup (self->orders, ns->kind), attribute) == 0;
      g_mutex_unlock (&self->lock);
      if (same)
        continue;
      if (!self->driver->set_order (conn, ns->kind, attribute, error))
        return FALSE;
      g_hash_table_insert (changes, g_strdup (ns->kind), g_strdup (attribute));
    }
  return TRUE;
}

static void
apply_orders (BoughStore *self,
              GHashTable *changes)
{
  GHashTableIter iter;
  gpointer kind, attribute;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &kind, &attribute))
    {
      if (attribute != NULL)
        g_hash_table_insert (self->orders, g_strdup (kind), g_strdup (attribute));
      else
        g_hash_table_remove (self->orders, kind);
    }
  g_mutex_unlock (&self->lock);
}

/* The attribute kept as the order key of @kind's versions: for writes,
 * which the writer lock keeps apart from apply_orders(). */
const char *
_bough_store_order_attribute (BoughStore *self,
                              const char *kind)
{
  const char *attribute;

  g_mutex_lock (&self->lock);
  attribute = g_hash_table_lookup (self->orders, kind);
  g_mutex_unlock (&self->lock);
  return attribute;
}

/* Does @kind keep @attribute as its order key? */
gboolean
_bough_store_has_order_key (BoughStore *self,
                            const char *kind,
                            const char *attribute)
{
  gboolean has;

  g_mutex_lock (&self->lock);
  has = g_strcmp0 (g_hash_table_lookup (self->orders, kind), attribute) == 0;
  g_mutex_unlock (&self->lock);
  return has && attribute != NULL;
}

/**
 * bough_store_initialize:
 * @self: a store
 * @error: return location for a #GError
 *
 * Creates the tables, the default branch and stores the core schema as its
 * first schema. Does nothing on an initialized store.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_initialize (BoughStore  *self,
                        GError     **error)
{
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GHashTable) changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  BoughDriverConn *conn;
  gboolean found;
  gint64 stamp;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->driver->migrate (self->db, error))
    return FALSE;
  if (bough_store_is_initialized (self))
    return TRUE;

  core = bough_schema_new_core (error);
  if (core == NULL)
    {
      g_prefix_error (error, "Loading the core schema: ");
      return FALSE;
    }
  json = bough_schema_to_json (core);
  body = _bough_json_text (json);

  conn = self->driver->writer_acquire (self->db);
  ok = self->driver->begin (conn, error);
  if (ok)
    {
      GError *local_error = NULL;
      found = self->driver->get_branch (conn, BOUGH_DEFAULT_BRANCH, NULL, NULL, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          ok = FALSE;
        }
      else if (!found)
        {
          stamp = _bough_store_next_stamp (self);
          ok = self->driver->insert_branch (conn, BOUGH_DEFAULT_BRANCH, stamp, TRUE, error) &&
               self->driver->insert_schema (conn, BOUGH_DEFAULT_BRANCH, stamp,
                                            bough_schema_get_hash (core), body, error) &&
               sync_orders (self, conn, core, changes, error) &&
               self->driver->insert_commit (conn, stamp, BOUGH_DEFAULT_BRANCH, NULL,
                                            "initialize", error) &&
               self->driver->commit (conn, error);
          if (ok)
            {
              _bough_store_committed (self, stamp, NULL);
              apply_orders (self, changes);
            }
        }
      else
        ok = self->driver->commit (conn, error);
      if (!ok)
        self->driver->rollback (conn);
    }
  self->driver->writer_release (self->db, conn);
  return ok;
}

/* ---- branches ---- */

gboolean
_bough_branch_name_is_valid (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 250 || name[0] == '-' || name[0] == '/' || name[len - 1] == '/' ||
      name[len - 1] == '.' || g_str_has_suffix (name, ".lock") || strstr (name, "..") != NULL ||
      strstr (name, "//") != NULL || strstr (name, "@{") != NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || strchr (" ~^:?*[\\", *p) != NULL)
      return FALSE;
  return TRUE;
}

/**
 * bough_store_create_branch:
 * @self: a store
 * @name: the new branch (a valid git ref name)
 * @error: return location for a #GError
 *
 * Creates a branch of the default branch as of now. Copies nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_create_branch (BoughStore  *self,
                           const char  *name,
                           GError     **error)
{
  BoughBranchCreate input = { 0 };
  g_autoptr(BoughBranch) branch = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  input.name = name;
  branch = bough_store_branch_create (self, &input, NULL, error);
  return branch != NULL;
}

/* Finds a branch; FALSE with no error when it does not exist. */
gboolean
_bough_store_get_branch (BoughStore  *self,
                         const char  *name,
                         gint64      *branched_from,
                         gboolean    *is_default,
                         GError     **error)
{
  BoughDriverConn *conn;
  gint64 *cached;
  gboolean found;

  if (g_str_equal (name, BOUGH_DEFAULT_BRANCH))
    {
      *branched_from = 0;
      *is_default = TRUE;
      return TRUE;
    }

  g_mutex_lock (&self->lock);
  cached = g_hash_table_lookup (self->branches, name);
  if (cached != NULL)
    *branched_from = *cached;
  g_mutex_unlock (&self->lock);
  if (cached != NULL)
    {
      *is_default = FALSE;
      return TRUE;
    }

  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return FALSE;
  found = self->driver->get_branch (conn, name, branched_from, is_default, error);
  self->driver->reader_release (self->db, conn);
  if (found && !*is_default)
    {
      g_mutex_lock (&self->lock);
      g_hash_table_insert (self->branches, g_strdup (name), g_memdup2 (branched_from, sizeof (gint64)));
      g_mutex_unlock (&self->lock);
    }
  return found;
}

gboolean
bough_store_branch_exists (BoughStore *self,
                           const char *name)
{
  gint64 bf;
  gboolean is_default;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_str_equal (name, BOUGH_DEFAULT_BRANCH))
    {
      BoughDriverConn *conn;
      gboolean found;

      /* get_version() takes a reader of its own: asked while holding one,
       * as many threads as readers would each wait for another forever. */
      if (self->driver->get_version (self->db) < 1)
        return FALSE;
      conn = self->driver->reader_acquire (self->db, NULL);
      if (conn == NULL)
        return FALSE;
      found = self->driver->get_branch (conn, name, &bf, &is_default, NULL);
      self->driver->reader_release (self->db, conn);
      return found;
    }
  return _bough_store_get_branch (self, name, &bf, &is_default, NULL);
}

/**
 * bough_store_get_branch_info:
 * @self: a store
 * @name: a branch name
 * @branched_from: (out) (optional): when the branch was created, as a stamp
 *   (bough_store_stamp_to_iso8601() prints it)
 * @is_default: (out) (optional): whether it is the default branch
 * @error: return location for an error
 *
 * Reads what the store records about a branch, for APIs that describe
 * branches. The default branch's creation time is that of the store.
 *
 * Returns: %TRUE when the branch exists; %FALSE with @error unset when it
 *   does not, or with @error set when the store failed
 */
gboolean
bough_store_get_branch_info (BoughStore  *self,
                             const char  *name,
                             gint64      *branched_from,
                             gboolean    *is_default,
                             GError     **error)
{
  BoughDriverConn *conn;
  gint64 bf = 0;
  gboolean def = FALSE;
  gboolean found;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* get_version() before the reader: see bough_store_branch_exists() */
  found = self->driver->get_version (self->db) >= 1;
  if (found)
    {
      conn = self->driver->reader_acquire (self->db, error);
      if (conn == NULL)
        return FALSE;
      found = self->driver->get_branch (conn, name, &bf, &def, error);
      self->driver->reader_release (self->db, conn);
    }
  if (branched_from != NULL)
    *branched_from = found ? bf : 0;
  if (is_default != NULL)
    *is_default = found && def;
  return found;
}

/* Fills @view for reading @branch (NULL = default) at @at (0 = now). */
gboolean
_bough_store_make_view (BoughStore     *self,
                        const char     *branch,
                        gint64          at,
                        BoughReadView  *view,
                        GError        **error)
{
  gint64 bf = 0;
  gboolean is_default = TRUE;
  GError *local_error = NULL;

  if (branch == NULL)
    branch = BOUGH_DEFAULT_BRANCH;
  if (!_bough_store_get_branch (self, branch, &bf, &is_default, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Branch “%s” not found", branch);
      return FALSE;
    }
  view->branch = is_default ? BOUGH_DEFAULT_BRANCH : branch;
  view->is_default = is_default;
  view->at = at > 0 ? at : G_MAXINT64;
  /* a read in the past sees the branch point of that time (rebases move it) */
  if (!is_default && at > 0 && !_bough_store_branch_point_at (self, branch, at, &bf, error))
    return FALSE;
  view->main_at = is_default ? view->at : MIN (view->at, bf);
  view->current = is_default && at <= 0;
  return TRUE;
}

/* ---- schema ---- */

static BoughSchema *
schema_from_body (const char  *body,
                  GError     **error)
{
  g_autoptr(JsonNode) node = _bough_json_parse (body, error);
  if (node == NULL)
    return NULL;
  return bough_schema_new_from_json (node, error);
}

/* Loads the schema of @branch at @at on @conn (no cache). */
BoughSchema *
_bough_store_load_schema (BoughStore       *self,
                          BoughDriverConn  *conn,
                          const char       *branch,
                          gint64            at,
                          GError          **error)
{
  g_autofree char *body = NULL;
  GError *local_error = NULL;
  gint64 bf = 0;
  gboolean is_default = TRUE;
  gint64 when = at > 0 ? at : G_MAXINT64;

  if (!self->driver->get_branch (conn, branch, &bf, &is_default, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Branch “%s” not found", branch);
      return NULL;
    }
  if (at > 0)
    {
      /* a version stored once never changes: parsed once for every read at
       * a time it covers (the parse dwarfs most reads) */
      const char *holder = branch;
      gint64 holder_at = when;
      gint64 from = 0;
      g_autofree char *hash = NULL;
      g_autofree char *key = NULL;
      BoughSchema *schema;

      if (!self->driver->get_schema_stamp (conn, branch, when, &from, &hash, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return NULL;
            }
          holder = BOUGH_DEFAULT_BRANCH;
          holder_at = MIN (when, bf);
          if (!is_default &&
              !self->driver->get_schema_stamp (conn, holder, holder_at, &from, &hash, &local_error) &&
              local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return NULL;
            }
        }
      if (hash != NULL)
        {
          key = g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%s", holder, from, hash);
          g_mutex_lock (&self->lock);
          schema = g_hash_table_lookup (self->past_schemas, key);
          if (schema != NULL)
            bough_schema_ref (schema);
          g_mutex_unlock (&self->lock);
          if (schema != NULL)
            return schema;
          if (self->driver->get_schema (conn, holder, holder_at, &body, NULL, &local_error))
            {
              schema = schema_from_body (body, error);
              if (schema == NULL)
                return NULL;
              g_mutex_lock (&self->lock);
              if (g_hash_table_size (self->past_schemas) >= 8)
                g_hash_table_remove_all (self->past_schemas);
              g_hash_table_replace (self->past_schemas, g_steal_pointer (&key), bough_schema_ref (schema));
              g_mutex_unlock (&self->lock);
              return schema;
            }
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return NULL;
            }
        }
    }
  if (!self->driver->get_schema (conn, branch, when, &body, NULL, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      /* a branch without its own schema sees main's as of its branch point */
      if (!is_default &&
          !self->driver->get_schema (conn, BOUGH_DEFAULT_BRANCH, MIN (when, bf), &body, NULL, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return NULL;
            }
        }
      if (body == NULL)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND,
                       "No schema on branch “%s” at that time", branch);
          return NULL;
        }
    }
  return schema_from_body (body, error);
}

/* The current schema of @branch on the connection the caller holds. */
BoughSchema *
_bough_store_current_schema (BoughStore       *self,
                             BoughDriverConn  *conn,
                             const char       *branch,
                             GError          **error)
{
  BoughSchema *schema;

  g_mutex_lock (&self->lock);
  schema = g_hash_table_lookup (self->schemas, branch);
  if (schema != NULL)
    bough_schema_ref (schema);
  g_mutex_unlock (&self->lock);
  if (schema != NULL)
    return schema;

  /* a branch without a schema of its own shares main's when main's has not
   * changed since the branch point: no parse per new branch */
  if (!g_str_equal (branch, BOUGH_DEFAULT_BRANCH))
    {
      g_autofree char *own = NULL;
      g_autofree char *at_bf = NULL;
      g_autofree char *now = NULL;
      gint64 bf = 0, bf_from = 0, now_from = 0;
      gboolean is_default = FALSE;

      if (self->driver->get_branch (conn, branch, &bf, &is_default, NULL) && !is_default &&
          !self->driver->get_schema (conn, branch, G_MAXINT64, &own, NULL, NULL) &&
          self->driver->get_schema (conn, BOUGH_DEFAULT_BRANCH, bf, &at_bf, &bf_from, NULL) &&
          self->driver->get_schema (conn, BOUGH_DEFAULT_BRANCH, G_MAXINT64, &now, &now_from, NULL) &&
          bf_from == now_from)
        schema = _bough_store_current_schema (self, conn, BOUGH_DEFAULT_BRANCH, NULL);
    }
  if (schema == NULL)
    schema = _bough_store_load_schema (self, conn, branch, 0, error);
  if (schema != NULL)
    {
      g_mutex_lock (&self->lock);
      g_hash_table_replace (self->schemas, g_strdup (branch), bough_schema_ref (schema));
      g_mutex_unlock (&self->lock);
    }
  return schema;
}

/**
 * bough_store_get_schema:
 * @self: a store
 * @branch: (nullable): a branch, %NULL for the default branch
 * @at: a commit stamp, 0 for now
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the schema of @branch as of @at
 */
BoughSchema *
bough_store_get_schema (BoughStore  *self,
                        const char  *branch,
                        gint64       at,
                        GError     **error)
{
  BoughDriverConn *conn;
  BoughSchema *schema;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (branch == NULL)
    branch = BOUGH_DEFAULT_BRANCH;
  _bough_store_sync (self, TRUE);
  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return NULL;
  if (at <= 0)
    schema = _bough_store_current_schema (self, conn, branch, error);
  else
    schema = _bough_store_load_schema (self, conn, branch, at, error);
  self->driver->reader_release (self->db, conn);
  return schema;
}

/**
 * bough_store_set_schema:
 * @self: a store
 * @branch: (nullable): a branch, %NULL for the default branch
 * @schema: the new schema of @branch
 * @account: (nullable): who commits
 * @error: return location for a #GError
 *
 * Stores a new version of the schema of @branch (one commit). Data is not
 * migrated here.
 *
 * Returns: %TRUE on success
 */
static gboolean
schema_event (BoughStore       *self,
              BoughDriverConn  *conn,
              gint64            stamp,
              const char       *branch,
              BoughSchema      *schema,
              GError          **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();

  json_object_set_string_member (payload, "branch_name", branch);
  json_object_set_string_member (payload, "schema_hash", bough_schema_get_hash (schema));
  return _bough_store_write_event (self, conn, stamp, BOUGH_EVENT_SCHEMA_UPDATED, branch, payload, error);
}

gboolean
bough_store_set_schema (BoughStore   *self,
                        const char   *branch,
                        BoughSchema  *schema,
                        const char   *account,
                        GError      **error)
{
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GHashTable) changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  BoughDriverConn *conn;
  gboolean ok;
  gint64 stamp;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (schema != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (branch == NULL)
    branch = BOUGH_DEFAULT_BRANCH;
  json = bough_schema_to_json (schema);
  body = _bough_json_text (json);

  conn = self->driver->writer_acquire (self->db);
  ok = self->driver->begin (conn, error);
  if (ok)
    {
      gint64 branched_from;

      /* A merged (read-only) or deleting branch takes no schema either. */
      if (!_bough_store_check_writable (self, conn, branch, &branched_from, error))
        ok = FALSE;
      else
        {
          stamp = _bough_store_next_stamp (self);
          ok = self->driver->insert_schema (conn, branch, stamp, bough_schema_get_hash (schema),
                                            body, error) &&
               (!g_str_equal (branch, BOUGH_DEFAULT_BRANCH) ||
                sync_orders (self, conn, schema, changes, error)) &&
               self->driver->insert_commit (conn, stamp, branch, account, "schema update", error) &&
               schema_event (self, conn, stamp, branch, schema, error) &&
               self->driver->commit (conn, error);
          if (ok)
            {
              _bough_store_committed (self, stamp, NULL);
              _bough_store_events_committed (self, conn);
              apply_orders (self, changes);
              g_mutex_lock (&self->lock);
              g_hash_table_replace (self->schemas, g_strdup (branch), bough_schema_ref (schema));
              g_mutex_unlock (&self->lock);
            }
        }
      if (!ok)
        self->driver->rollback (conn);
    }
  self->driver->writer_release (self->db, conn);
  return ok;
}

/* ---- schema helpers for the semantic layer ---- */

/* The node kinds that are @kind or implement it (generics excluded). */
char **
_bough_schema_kinds (BoughSchema *schema,
                     const char  *kind)
{
  g_autoptr(GPtrArray) impl = bough_schema_get_implementors (schema, kind);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; impl != NULL && i < impl->len; i++)
    {
      BoughNodeSchema *ns = g_ptr_array_index (impl, i);
      if (!ns->is_generic)
        g_strv_builder_add (builder, ns->kind);
    }
  return g_strv_builder_end (builder);
}

BoughBranchSupport
_bough_node_schema_branch (BoughNodeSchema *ns)
{
  return ns != NULL ? ns->branch : BOUGH_BRANCH_SUPPORT_AWARE;
}

BoughRelSide
_bough_rel_side (BoughRelationshipSchema *rel)
{
  switch (rel->direction)
    {
    case BOUGH_DIRECTION_OUTBOUND:
      return BOUGH_REL_SIDE_SRC;
    case BOUGH_DIRECTION_INBOUND:
      return BOUGH_REL_SIDE_DST;
    case BOUGH_DIRECTION_BIDIRECTIONAL:
    default:
      return BOUGH_REL_SIDE_BOTH;
    }
}

/* The stored attributes of a version, with what the compact form leaves
 * out put back (see _bough_stored_attrs_text()): an entry for every
 * attribute of the kind and its updated_at. */
JsonObject *
_bough_row_attrs (BoughNodeSchema    *ns,
                  const BoughNodeRow *row)
{
  JsonObject *attrs = _bough_json_parse_object (row->attrs);
  g_autoptr(GList) members = NULL;

  if (ns != NULL)
    for (guint i = 0; i < ns->attributes->len; i++)
      {
        BoughAttributeSchema *attr = g_ptr_array_index (ns->attributes, i);
        if (!json_object_has_member (attrs, attr->name))
          {
            JsonObject *entry = json_object_new ();
            json_object_set_null_member (entry, "value");
            json_object_set_object_member (attrs, attr->name, entry);
          }
      }
  members = json_object_get_members (attrs);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (attrs, l->data);
      if (JSON_NODE_HOLDS_OBJECT (member) &&
          !json_object_has_member (json_node_get_object (member), "updated_at"))
        json_object_set_int_member (json_node_get_object (member), "updated_at", row->from_stamp);
    }
  return attrs;
}

/* The compact stored form of @attrs for a version written at @stamp:
 * updated_at is left out when it is @stamp, and an attribute that is null
 * with nothing else set since @stamp is left out entirely. */
/* Is @attr kept apart from its node (its branch support differs)? */
gboolean
_bough_attr_is_packed (BoughNodeSchema      *ns,
                       BoughAttributeSchema *attr)
{
  return (ns->branch == BOUGH_BRANCH_SUPPORT_AGNOSTIC) != (attr->branch == BOUGH_BRANCH_SUPPORT_AGNOSTIC);
}

static gboolean
name_is_packed (BoughNodeSchema *ns,
                const char      *name)
{
  BoughAttributeSchema *attr = ns != NULL ? bough_node_schema_get_attribute (ns, name) : NULL;
  return attr != NULL && _bough_attr_is_packed (ns, attr);
}

gboolean
_bough_node_schema_has_packs (BoughNodeSchema *ns)
{
  for (guint i = 0; ns != NULL && i < ns->attributes->len; i++)
    if (_bough_attr_is_packed (ns, g_ptr_array_index (ns->attributes, i)))
      return TRUE;
  return FALSE;
}

char *
_bough_stored_attrs_text (JsonObject *attrs,
                          gint64      stamp)
{
  return _bough_stored_attrs_text_part (attrs, stamp, NULL, FALSE);
}

/* With @ns: only the attributes kept with the node (@packed FALSE) or only
 * those of its pack (@packed TRUE). */
char *
_bough_stored_attrs_text_part (JsonObject      *attrs,
                               gint64           stamp,
                               BoughNodeSchema *ns,
                               gboolean         packed)
{
  GString *out = g_string_new ("{");
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  gboolean first = TRUE;

  json_object_iter_init (&iter, attrs);
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonObjectIter inner;
      const char *key;
      JsonNode *value;
      JsonObject *entry;
      gboolean first_key = TRUE;
      gboolean keep = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        continue;
      if (ns != NULL && name_is_packed (ns, name) != packed)
        continue;
      entry = json_node_get_object (member);
      json_object_iter_init (&inner, entry);
      while (json_object_iter_next (&inner, &key, &value))
        {
          if (g_str_equal (key, "updated_at"))
            keep |= json_node_get_int (value) != stamp;
          else if (g_str_equal (key, "value"))
            keep |= !JSON_NODE_HOLDS_NULL (value);
          else
            keep = TRUE;
        }
      if (!keep)
        continue;
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      _bough_json_append_string (out, name);
      g_string_append (out, ":{");
      json_object_iter_init (&inner, entry);
      while (json_object_iter_next (&inner, &key, &value))
        {
          if (g_str_equal (key, "updated_at") && json_node_get_int (value) == stamp)
            continue;
          if (!first_key)
            g_string_append_c (out, ',');
          first_key = FALSE;
          _bough_json_append_string (out, key);
          g_string_append_c (out, ':');
          _bough_json_append (out, value);
        }
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* A node with every attribute of @ns (or none without it) at its defaults. */
static BoughNode *
node_new (BoughSchema        *schema,
          BoughNodeSchema    *ns,
          const BoughNodeRow *row,
          const char         *branch)
{
  BoughNode *node = g_new0 (BoughNode, 1);
  char buf[BOUGH_DISPLAY_LABEL_BUF];
  const char *label = _bough_display_label (row->label, row->kind, row->uuid, buf, sizeof buf);

  node->ref_count = 1;
  node->strings = _bough_pack_strings (row->uuid, label, row->hfid,
                                       &node->id, &node->display_label, &node->hfid);
  if (node->strings == NULL)
    {
      node->id = g_strdup (row->uuid);
      node->display_label = g_strdup (label);
      node->hfid = _bough_strv_from_json (row->hfid);
    }
  node->kind = ns != NULL ? ns->kind : g_intern_string (row->kind);
  node->branch = g_intern_string (branch);
  node->created_at = row->created;
  node->updated_at = row->from_stamp;
  if (ns != NULL)
    {
      /* the names and the kind are the schema's strings */
      node->schema = bough_schema_ref (schema);
      node->n_attributes = ns->attributes->len;
      node->attributes = g_new0 (BoughAttributeValue, node->n_attributes);
      for (guint i = 0; i < node->n_attributes; i++)
        {
          BoughAttributeSchema *attr = g_ptr_array_index (ns->attributes, i);
          node->attributes[i].name = attr->name;
          node->attributes[i].updated_at = row->from_stamp;
          node->attributes[i].is_visible = TRUE;
        }
    }
  return node;
}

/* The slot of attribute @name: the schema's order is the likely one, so
 * try @hint first. Without a schema, unknown names get a new slot. */
static BoughAttributeValue *
node_attr_slot (BoughNode  *node,
                gboolean    has_schema,
                const char *name,
                guint      *hint,
                gint64      stamp)
{
  BoughAttributeValue *attr;

  if (*hint < node->n_attributes && strcmp (node->attributes[*hint].name, name) == 0)
    return &node->attributes[(*hint)++];
  for (guint i = 0; i < node->n_attributes; i++)
    if (strcmp (node->attributes[i].name, name) == 0)
      {
        *hint = i + 1;
        return &node->attributes[i];
      }
  if (has_schema)
    return NULL;
  node->attributes = g_renew (BoughAttributeValue, node->attributes, node->n_attributes + 1);
  attr = &node->attributes[node->n_attributes++];
  memset (attr, 0, sizeof *attr);
  attr->name = g_intern_string (name);
  attr->updated_at = stamp;
  attr->is_visible = TRUE;
  return attr;
}

static void
attr_from_entry (BoughAttributeValue *attr,
                 JsonObject          *entry)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  json_object_iter_init (&iter, entry);
  while (json_object_iter_next (&iter, &key, &member))
    {
      gboolean is_null = JSON_NODE_HOLDS_NULL (member);

      if (g_str_equal (key, "value"))
        attribute_value_set_node (attr, member);
      else if (g_str_equal (key, "is_default"))
        attr->is_default = !is_null && json_node_get_boolean (member);
      else if (g_str_equal (key, "is_protected"))
        attr->is_protected = !is_null && json_node_get_boolean (member);
      else if (g_str_equal (key, "is_visible"))
        attr->is_visible = is_null || json_node_get_boolean (member);
      else if (g_str_equal (key, "source") || g_str_equal (key, "owner"))
        {
          char **slot = key[0] == 's' ? &attr->source : &attr->owner;
          g_free (*slot);
          *slot = JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING
                ? g_strdup (json_node_get_string (member)) : NULL;
        }
      else if (g_str_equal (key, "updated_at") && JSON_NODE_HOLDS_VALUE (member))
        attr->updated_at = json_node_get_int (member);
    }
}

/* A node from a row and its stored attributes as a JSON object (see
 * _bough_row_attrs()): the write path, which has them parsed already. */
BoughNode *
_bough_node_from_parts (BoughSchema        *schema,
                        const BoughNodeRow *row,
                        JsonObject         *stored,
                        const char         *branch)
{
  BoughNodeSchema *ns = schema != NULL ? bough_schema_lookup (schema, row->kind) : NULL;
  BoughNode *node = node_new (schema, ns, row, branch);
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint hint = 0;

  json_object_iter_init (&iter, stored);
  while (json_object_iter_next (&iter, &name, &member))
    {
      BoughAttributeValue *attr;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        continue;
      attr = node_attr_slot (node, ns != NULL, name, &hint, row->from_stamp);
      if (attr != NULL)
        attr_from_entry (attr, json_node_get_object (member));
    }
  return node;
}

/* Reads a stored value into @attr: scalars straight into the tagged
 * value, only arrays and objects as JSON nodes. */
static gboolean
read_attr_value (BoughJsonReader     *r,
                 BoughAttributeValue *attr)
{
  const char *p;

  attribute_value_reset (attr);
  while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
    r->p++;
  p = r->p;
  if (*p == '"')
    {
      attr->type = BOUGH_VALUE_STRING;
      return _bough_json_reader_string (r, &attr->v.string) && attr->v.string != NULL;
    }
  if (*p == 't' || *p == 'f')
    {
      attr->type = BOUGH_VALUE_BOOLEAN;
      return _bough_json_reader_boolean (r, &attr->v.boolean);
    }
  if (*p == 'n')
    return _bough_json_reader_skip (r);
  if (*p == '-' || g_ascii_isdigit (*p))
    {
      const char *q = p + 1;
      while (g_ascii_isdigit (*q))
        q++;
      if (*q != '.' && *q != 'e' && *q != 'E')
        {
          attr->type = BOUGH_VALUE_INT;
          return _bough_json_reader_int (r, &attr->v.integer);
        }
    }
  {
    g_autoptr(JsonNode) node = _bough_json_reader_value (r);
    if (node == NULL)
      return FALSE;
    attribute_value_set_node (attr, node);
    return TRUE;
  }
}

/* Reads one stored attribute entry into @attr (NULL: skip it). */
static gboolean
read_attr_entry (BoughJsonReader     *r,
                 BoughAttributeValue *attr)
{
  char key[32];
  int more;

  if (attr == NULL)
    return _bough_json_reader_skip (r);
  if (!_bough_json_reader_enter_object (r))
    return _bough_json_reader_skip (r);
  while ((more = _bough_json_reader_next_member (r, key, sizeof key)) > 0)
    {
      gboolean ok, b;

      if (strcmp (key, "value") == 0)
        ok = read_attr_value (r, attr);
      else if (strcmp (key, "is_default") == 0)
        {
          ok = _bough_json_reader_boolean (r, &b);
          attr->is_default = b;
        }
      else if (strcmp (key, "is_protected") == 0)
        {
          ok = _bough_json_reader_boolean (r, &b);
          attr->is_protected = b;
        }
      else if (strcmp (key, "is_visible") == 0)
        {
          /* only false is ever stored */
          ok = _bough_json_reader_boolean (r, &b);
          attr->is_visible = b;
        }
      else if (strcmp (key, "source") == 0)
        {
          g_clear_pointer (&attr->source, g_free);
          ok = _bough_json_reader_string (r, &attr->source);
        }
      else if (strcmp (key, "owner") == 0)
        {
          g_clear_pointer (&attr->owner, g_free);
          ok = _bough_json_reader_string (r, &attr->owner);
        }
      else if (strcmp (key, "updated_at") == 0)
        ok = _bough_json_reader_int (r, &attr->updated_at);
      else
        ok = _bough_json_reader_skip (r);
      if (!ok)
        return FALSE;
    }
  return more == 0;
}

static void node_read_attrs (BoughNode          *node,
                             BoughNodeSchema    *ns,
                             const BoughNodeRow *row);

/* A node from a row, its attribute text decoded straight into the node. */
BoughNode *
_bough_node_from_row (BoughSchema        *schema,
                      const BoughNodeRow *row,
                      const char         *branch)
{
  BoughNodeSchema *ns = schema != NULL ? bough_schema_lookup (schema, row->kind) : NULL;
  BoughNode *node = node_new (schema, ns, row, branch);

  node_read_attrs (node, ns, row);
  return node;
}

static void
node_read_attrs (BoughNode          *node,
                 BoughNodeSchema    *ns,
                 const BoughNodeRow *row)
{
  BoughJsonReader r;
  char name[256];
  guint hint = 0;
  int more;

  _bough_json_reader_init (&r, row->attrs);
  if (!_bough_json_reader_enter_object (&r))
    return;
  while ((more = _bough_json_reader_next_member (&r, name, sizeof name)) > 0)
    {
      BoughAttributeValue *attr = node_attr_slot (node, ns != NULL, name, &hint, row->from_stamp);
      if (!read_attr_entry (&r, attr))
        break;
    }
  if (more != 0)
    g_warning ("Malformed attributes of node %s", node->id);
}

/* Puts the attributes kept in pack rows back into @rows (of any kinds),
 * with one statement for all of them; rows of kinds without packs cost
 * nothing. */
gboolean
_bough_store_merge_packs (BoughStore          *self,
                          BoughDriverConn     *conn,
                          BoughSchema         *schema,
                          const BoughReadView *view,
                          GPtrArray           *rows,
                          GError             **error)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GPtrArray) packs = NULL;
  g_autoptr(GHashTable) by_uuid = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < rows->len; i++)
    {
      BoughNodeRow *row = g_ptr_array_index (rows, i);
      if (row->status == BOUGH_ROW_ACTIVE &&
          _bough_node_schema_has_packs (bough_schema_lookup (schema, row->kind)))
        {
          g_ptr_array_add (uuids, row->uuid);
          g_hash_table_insert (by_uuid, row->uuid, row);
        }
    }
  if (uuids->len == 0)
    return TRUE;
  packs = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  if (!self->driver->fetch_packs (conn, view, uuids, packs, error))
    return FALSE;
  for (guint i = 0; i < packs->len; i++)
    {
      BoughNodeRow *pack = g_ptr_array_index (packs, i);
      BoughNodeRow *row = g_hash_table_lookup (by_uuid, pack->uuid);
      g_autoptr(JsonObject) attrs = NULL;
      g_autoptr(JsonObject) extra = NULL;
      g_autoptr(GList) names = NULL;

      if (row == NULL)
        continue;
      /* the row's and the pack's implicit updated_at differ: spell both out */
      attrs = _bough_row_attrs (NULL, row);
      extra = _bough_row_attrs (NULL, pack);
      names = json_object_get_members (extra);
      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (attrs, l->data, json_node_copy (json_object_get_member (extra, l->data)));
      g_free (row->attrs);
      row->attrs = _bough_json_object_text (attrs);
    }
  return TRUE;
}
