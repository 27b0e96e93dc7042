/* bough-store-read.c: the read side of the store: nodes by id and hfid,
 * queries with filters, order and paging, relationship peers of many nodes
 * in one batch, and the history of a node.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-store-internal.h"

void
_bough_read_ctx_end (BoughReadCtx *ctx)
{
  if (ctx->conn != NULL)
    ctx->store->driver->reader_release (ctx->store->db, ctx->conn);
  ctx->conn = NULL;
  g_clear_pointer (&ctx->schema, bough_schema_unref);
}

gboolean
_bough_read_ctx_begin (BoughReadCtx *ctx,
                       BoughStore   *store,
                       const char   *branch,
                       gint64        at,
                       gboolean      with_schema,
                       GError      **error)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->store = store;
  /* before the view: the branch point may have moved in another process */
  _bough_store_sync (store, TRUE);
  if (!_bough_store_make_view (store, branch, at, &ctx->view, error))
    return FALSE;
  ctx->conn = store->driver->reader_acquire (store->db, error);
  if (ctx->conn == NULL)
    return FALSE;
  if (!with_schema)
    return TRUE;
  if (at <= 0)
    ctx->schema = _bough_store_current_schema (store, ctx->conn, ctx->view.branch, error);
  else
    ctx->schema = _bough_store_load_schema (store, ctx->conn, ctx->view.branch, at, error);
  if (ctx->schema == NULL)
    {
      _bough_read_ctx_end (ctx);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_kind (BoughSchema  *schema,
            const char   *kind,
            GError      **error)
{
  if (kind != NULL && bough_schema_lookup (schema, kind) == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Unknown kind “%s”", kind);
      return FALSE;
    }
  return TRUE;
}

/**
 * bough_store_get_node:
 * @self: a store
 * @branch: (nullable): branch, %NULL for the default branch
 * @at: commit stamp, 0 for now
 * @kind: (nullable): a node kind or generic the node must be, or %NULL for any
 * @id: the node's id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the node, or %NULL with %BOUGH_ERROR_NOT_FOUND
 */
BoughNode *
bough_store_get_node (BoughStore  *self,
                      const char  *branch,
                      gint64       at,
                      const char  *kind,
                      const char  *id,
                      GError     **error)
{
  BoughReadCtx ctx;
  g_auto(GStrv) kinds = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  BoughNode *node = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_bough_read_ctx_begin (&ctx, self, branch, at, TRUE, error))
    return NULL;
  if (!check_kind (ctx.schema, kind, error))
    goto out;
  if (kind != NULL)
    kinds = _bough_schema_kinds (ctx.schema, kind);
  g_ptr_array_add (ids, (gpointer) id);
  if (!self->driver->fetch_nodes (ctx.conn, &ctx.view, kinds, ids, rows, error))
    goto out;
  if (rows->len == 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "%s %s not found",
                   kind ? kind : "Node", id);
      goto out;
    }
  if (!_bough_store_merge_packs (self, ctx.conn, ctx.schema, &ctx.view, rows, error))
    goto out;
  node = _bough_node_from_row (ctx.schema, g_ptr_array_index (rows, 0), ctx.view.branch);

out:
  _bough_read_ctx_end (&ctx);
  return node;
}

/**
 * bough_store_get_node_by_hfid:
 * @self: a store
 * @branch: (nullable): branch, %NULL for the default branch
 * @at: commit stamp, 0 for now
 * @kind: a node kind or generic
 * @hfid: the human-friendly id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the node, or %NULL with %BOUGH_ERROR_NOT_FOUND
 */
BoughNode *
bough_store_get_node_by_hfid (BoughStore         *self,
                              const char         *branch,
                              gint64              at,
                              const char         *kind,
                              const char * const *hfid,
                              GError            **error)
{
  BoughReadCtx ctx;
  g_auto(GStrv) kinds = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  BoughNode *node = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (hfid != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_bough_read_ctx_begin (&ctx, self, branch, at, TRUE, error))
    return NULL;
  if (!check_kind (ctx.schema, kind, error))
    goto out;
  kinds = _bough_schema_kinds (ctx.schema, kind);
  value = _bough_strv_json (hfid);
  if (!self->driver->find_lookup (ctx.conn, &ctx.view, kinds, "hfid", value, uuids, error))
    goto out;
  if (!self->driver->fetch_nodes (ctx.conn, &ctx.view, kinds, uuids, rows, error))
    goto out;
  if (rows->len == 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "%s with hfid %s not found", kind, value);
      goto out;
    }
  if (!_bough_store_merge_packs (self, ctx.conn, ctx.schema, &ctx.view, rows, error))
    goto out;
  node = _bough_node_from_row (ctx.schema, g_ptr_array_index (rows, 0), ctx.view.branch);

out:
  _bough_read_ctx_end (&ctx);
  return node;
}

/* ---- queries ---- */

static const char *
filter_op_name (BoughFilterOp op)
{
  switch (op)
    {
    case BOUGH_FILTER_VALUE: return "value";
    case BOUGH_FILTER_VALUES: return "values";
    case BOUGH_FILTER_ISNULL: return "isnull";
    case BOUGH_FILTER_IDS: return "ids";
    case BOUGH_FILTER_HFID: return "hfid";
    case BOUGH_FILTER_IS_VISIBLE: return "is_visible";
    case BOUGH_FILTER_IS_PROTECTED: return "is_protected";
    case BOUGH_FILTER_SOURCE_ID: return "source__id";
    case BOUGH_FILTER_OWNER_ID: return "owner__id";
    default: return "?";
    }
}

static gboolean
value_is_scalar (JsonNode *value)
{
  return value != NULL && (JSON_NODE_HOLDS_VALUE (value) || JSON_NODE_HOLDS_NULL (value));
}

static gboolean
value_is_boolean (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         json_node_get_value_type (value) == G_TYPE_BOOLEAN;
}

static gboolean
value_is_string_array (JsonNode *value)
{
  JsonArray *array;

  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    return FALSE;
  array = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        return FALSE;
    }
  return TRUE;
}

static gboolean
value_is_scalar_array (JsonNode *value)
{
  JsonArray *array;

  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    return FALSE;
  array = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!value_is_scalar (json_array_get_element (array, i)))
      return FALSE;
  return TRUE;
}

/* Checks an attribute filter (of the node or of a peer) and its value. */
static gboolean
check_attr_filter (BoughNodeSchema  *ns,
                   const char       *path,
                   const char       *attribute,
                   BoughFilterOp     op,
                   JsonNode         *value,
                   gboolean          top_level,
                   GError          **error)
{
  gboolean is_any = g_strcmp0 (attribute, "any") == 0;

  if (attribute == NULL || (!is_any && bough_node_schema_get_attribute (ns, attribute) == NULL))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Unknown filter “%s” on %s",
                   path, ns->kind);
      return FALSE;
    }
  switch (op)
    {
    case BOUGH_FILTER_VALUE:
      if (!value_is_scalar (value))
        goto bad_value;
      return TRUE;
    case BOUGH_FILTER_VALUES:
      if (!value_is_scalar_array (value))
        goto bad_value;
      return TRUE;
    case BOUGH_FILTER_ISNULL:
      if (is_any || !top_level)
        goto bad_filter;
      if (!value_is_boolean (value))
        goto bad_value;
      return TRUE;
    case BOUGH_FILTER_IS_VISIBLE:
    case BOUGH_FILTER_IS_PROTECTED:
      if (is_any)
        goto bad_filter;
      if (!value_is_boolean (value))
        goto bad_value;
      return TRUE;
    case BOUGH_FILTER_SOURCE_ID:
    case BOUGH_FILTER_OWNER_ID:
      if (is_any)
        goto bad_filter;
      if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
          json_node_get_value_type (value) != G_TYPE_STRING)
        goto bad_value;
      return TRUE;
    default:
      goto bad_filter;
    }

bad_filter:
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Unknown filter “%s__%s” on %s",
               path, filter_op_name (op), ns->kind);
  return FALSE;
bad_value:
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Invalid value for filter “%s__%s” on %s",
               path, filter_op_name (op), ns->kind);
  return FALSE;
}

static BoughDriverFilter *
translate_filter (BoughSchema      *schema,
                  BoughNodeSchema  *ns,
                  BoughFilter      *f,
                  gboolean          partial,
                  GError          **error)
{
  g_autoptr(BoughDriverFilter) df = g_new0 (BoughDriverFilter, 1);

  df->partial = partial;
  df->op = f->op;
  df->value = f->value != NULL ? json_node_copy (f->value) : json_node_new (JSON_NODE_NULL);

  if (f->relationship == NULL)
    {
      if (f->op == BOUGH_FILTER_IDS)
        {
          if (f->attribute != NULL || !value_is_string_array (f->value))
            goto bad_value;
          df->type = BOUGH_DRIVER_FILTER_IDS;
          return g_steal_pointer (&df);
        }
      if (f->op == BOUGH_FILTER_HFID)
        {
          if (f->attribute != NULL || f->value == NULL || !value_is_scalar_array (f->value))
            goto bad_value;
          df->type = BOUGH_DRIVER_FILTER_HFID;
          json_node_unref (df->value);
          df->value = json_node_new (JSON_NODE_VALUE);
          {
            g_autofree char *text = _bough_json_text (f->value);
            g_auto(GStrv) strs = _bough_strv_from_json (text);
            g_autofree char *canon = _bough_strv_json ((const char * const *) strs);
            json_node_set_string (df->value, canon);
          }
          return g_steal_pointer (&df);
        }
      if (!check_attr_filter (ns, f->attribute ? f->attribute : "", f->attribute, f->op,
                              f->value, TRUE, error))
        return NULL;
      if (g_str_equal (f->attribute, "any"))
        df->type = BOUGH_DRIVER_FILTER_ANY;
      else
        {
          df->type = BOUGH_DRIVER_FILTER_ATTR;
          df->attribute = g_strdup (f->attribute);
          df->packed = _bough_attr_is_packed (ns, bough_node_schema_get_attribute (ns, f->attribute));
        }
      return g_steal_pointer (&df);
    }
  else
    {
      BoughRelationshipSchema *rel = bough_node_schema_get_relationship (ns, f->relationship);
      BoughNodeSchema *peer;

      if (rel == NULL)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Unknown filter “%s__%s” on %s",
                       f->relationship, f->attribute ? f->attribute : filter_op_name (f->op), ns->kind);
          return NULL;
        }
      peer = bough_schema_lookup (schema, rel->peer);
      df->identifier = g_strdup (rel->identifier);
      df->side = _bough_rel_side (rel);
      if (f->attribute == NULL && f->op == BOUGH_FILTER_IDS)
        {
          if (!value_is_string_array (f->value))
            goto bad_value;
          df->type = BOUGH_DRIVER_FILTER_REL_IDS;
          return g_steal_pointer (&df);
        }
      if (f->attribute == NULL && f->op == BOUGH_FILTER_ISNULL)
        {
          if (!value_is_boolean (f->value))
            goto bad_value;
          df->type = BOUGH_DRIVER_FILTER_REL_ISNULL;
          return g_steal_pointer (&df);
        }
      if (peer == NULL)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Unknown peer kind %s", rel->peer);
          return NULL;
        }
      {
        g_autofree char *path = g_strdup_printf ("%s__%s", f->relationship,
                                                 f->attribute ? f->attribute : "");
        if (!check_attr_filter (peer, path, f->attribute, f->op, f->value, FALSE, error))
          return NULL;
      }
      if (f->op != BOUGH_FILTER_VALUE && f->op != BOUGH_FILTER_VALUES &&
          f->op != BOUGH_FILTER_IS_VISIBLE && f->op != BOUGH_FILTER_IS_PROTECTED &&
          f->op != BOUGH_FILTER_SOURCE_ID && f->op != BOUGH_FILTER_OWNER_ID)
        goto bad_value;
      df->type = BOUGH_DRIVER_FILTER_REL_ATTR;
      df->attribute = g_str_equal (f->attribute, "any") ? NULL : g_strdup (f->attribute);
      df->packed = df->attribute != NULL &&
                   _bough_attr_is_packed (peer, bough_node_schema_get_attribute (peer, f->attribute));
      df->peer_kinds = _bough_schema_kinds (schema, rel->peer);
      return g_steal_pointer (&df);
    }

bad_value:
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Invalid filter “%s%s%s__%s” on %s",
               f->relationship ? f->relationship : "", f->relationship && f->attribute ? "__" : "",
               f->attribute ? f->attribute : "", filter_op_name (f->op), ns->kind);
  return NULL;
}

static BoughNodeSchema *
lookup_kind (const char *kind,
             gpointer    user_data)
{
  return bough_schema_lookup (user_data, kind);
}

/* One entry of an order (see bough_node_schema_parse_order()) as the
 * driver sorts by it. Through a generic, an entry the generic does not
 * define is accepted when every kind listed defines it alike. */
static BoughDriverOrder *
translate_order (BoughSchema      *schema,
                 BoughNodeSchema  *ns,
                 char            **kinds,
                 const char       *entry,
                 GError          **error)
{
  g_autoptr(GError) local = NULL;
  BoughDriverOrder *order;
  BoughOrderKey key;

  if (!bough_node_schema_parse_order (ns, entry, lookup_kind, schema, &key, &local))
    {
      BoughOrderKey first = { 0 };

      if (!ns->is_generic || kinds == NULL || kinds[0] == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      for (guint i = 0; kinds[i] != NULL; i++)
        {
          BoughNodeSchema *kns = bough_schema_lookup (schema, kinds[i]);

          if (kns == NULL || !bough_node_schema_parse_order (kns, entry, lookup_kind, schema, &key, NULL) ||
              (i > 0 && (key.target != first.target ||
                         g_strcmp0 (key.attribute->name, first.attribute->name) != 0 ||
                         g_strcmp0 (key.property, first.property) != 0 ||
                         (key.relationship != NULL &&
                          (g_strcmp0 (key.relationship->identifier, first.relationship->identifier) != 0 ||
                           _bough_rel_side (key.relationship) != _bough_rel_side (first.relationship))))))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          if (i == 0)
            first = key;
        }
      key = first;
    }

  order = g_new0 (BoughDriverOrder, 1);
  order->descending = key.descending;
  if (key.property != NULL && !g_str_equal (key.property, "value"))
    order->property = g_strdup (key.property);
  switch (key.target)
    {
    case BOUGH_ORDER_VALUE:
      order->type = BOUGH_DRIVER_ORDER_ATTR;
      order->attribute = g_strdup (key.attribute->name);
      break;
    case BOUGH_ORDER_PEER_VALUE:
      order->type = BOUGH_DRIVER_ORDER_REL_ATTR;
      order->attribute = g_strdup (key.attribute->name);
      order->identifier = g_strdup (key.relationship->identifier);
      order->side = _bough_rel_side (key.relationship);
      order->peer_kinds = _bough_schema_kinds (schema, key.relationship->peer);
      break;
    case BOUGH_ORDER_CREATED_AT:
      order->type = BOUGH_DRIVER_ORDER_CREATED;
      break;
    case BOUGH_ORDER_UPDATED_AT:
      order->type = BOUGH_DRIVER_ORDER_UPDATED;
      break;
    default:
      g_assert_not_reached ();
    }
  return order;
}

typedef struct
{
  BoughSchema *schema;
  const char  *branch;
  GPtrArray   *nodes;
} EachNode;

static void
node_from_lent_row (const BoughNodeRow *row,
                    gpointer            user_data)
{
  EachNode *each = user_data;
  g_ptr_array_add (each->nodes, _bough_node_from_row (each->schema, row, each->branch));
}

/**
 * bough_store_query:
 * @self: a store
 * @query: what to list
 * @error: return location for a #GError
 *
 * Lists the nodes of a kind (or of every kind implementing a generic) that
 * match every filter, in the requested order (ties broken by id).
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
BoughQueryResult *
bough_store_query (BoughStore  *self,
                   BoughQuery  *query,
                   GError     **error)
{
  BoughReadCtx ctx;
  BoughNodeSchema *ns;
  BoughDriverQuery dq = { 0 };
  g_autoptr(GPtrArray) filters = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_driver_filter_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_driver_order_free);
  g_auto(GStrv) kinds = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  EachNode each = { 0 };
  BoughQueryResult *result = NULL;
  gint64 count = 0;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_bough_read_ctx_begin (&ctx, self, query->branch, query->at, TRUE, error))
    return NULL;
  ns = bough_schema_lookup (ctx.schema, query->kind);
  if (ns == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Unknown kind “%s”", query->kind);
      goto out;
    }

  for (guint i = 0; query->filters != NULL && i < query->filters->len; i++)
    {
      BoughDriverFilter *df = translate_filter (ctx.schema, ns, g_ptr_array_index (query->filters, i),
                                                query->partial_match, error);
      if (df == NULL)
        goto out;
      g_ptr_array_add (filters, df);
    }

  kinds = _bough_schema_kinds (ctx.schema, query->kind);
  if (query->order_by != NULL)
    {
      for (guint i = 0; query->order_by[i] != NULL; i++)
        {
          BoughDriverOrder *o = translate_order (ctx.schema, ns, kinds, query->order_by[i], error);

          if (o == NULL)
            goto out;
          g_ptr_array_add (orders, o);
        }
    }
  else if (ns->order_by != NULL)
    {
      /* the schema's order, validated when loaded: an entry a schema stored
       * by an older version may hold that the store cannot sort by is
       * skipped rather than failing every listing */
      for (guint i = 0; ns->order_by[i] != NULL; i++)
        {
          BoughDriverOrder *o = translate_order (ctx.schema, ns, kinds, ns->order_by[i], NULL);

          if (o != NULL)
            g_ptr_array_add (orders, o);
        }
    }

  if (orders->len == 0)
    {
      /* no order (`disable: true`, or none in the schema): the creation
       * order, which nodes_created walks; the ids are time-ordered too, so
       * that this is their order within a commit */
      BoughDriverOrder *o = g_new0 (BoughDriverOrder, 1);

      o->type = BOUGH_DRIVER_ORDER_CREATED;
      g_ptr_array_add (orders, o);
    }
  dq.kinds = kinds;
  dq.filters = filters;
  dq.orders = orders;
  dq.offset = query->offset;
  dq.limit = query->limit;
  /* the kind's order key holds the first value to sort by for main's open
   * versions (read now, walked with the versions closed since a past time,
   * or under a branch's own versions); the key is the attribute of the
   * view's schema, so a branch that orders the kind otherwise does not
   * walk main's key */
  if (orders->len > 0)
    {
      BoughDriverOrder *o = g_ptr_array_index (orders, 0);

      dq.order_key = kinds[0] != NULL && kinds[1] == NULL &&
                     o->type == BOUGH_DRIVER_ORDER_ATTR && o->property == NULL &&
                     _bough_store_has_order_key (self, kinds[0], o->attribute);
    }
  nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_unref);
  {
    gboolean packs = FALSE;
    for (guint i = 0; kinds[i] != NULL && !packs; i++)
      packs = _bough_node_schema_has_packs (bough_schema_lookup (ctx.schema, kinds[i]));
    if (!packs)
      {
        /* nodes made from the rows the driver lends: no row copies */
        each.schema = ctx.schema;
        each.branch = ctx.view.branch;
        each.nodes = nodes;
        dq.each = node_from_lent_row;
        dq.each_data = &each;
      }
  }
  if (!self->driver->query (ctx.conn, &ctx.view, &dq, query->count_only,
                            query->skip_count && !query->count_only ? NULL : &count, rows, error))
    goto out;
  if (!_bough_store_merge_packs (self, ctx.conn, ctx.schema, &ctx.view, rows, error))
    goto out;
  if (query->skip_count && !query->count_only)
    count = -1;

  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (nodes, _bough_node_from_row (ctx.schema, g_ptr_array_index (rows, i),
                                                  ctx.view.branch));
  result = g_new0 (BoughQueryResult, 1);
  result->count = count;
  result->nodes = g_steal_pointer (&nodes);

out:
  _bough_read_ctx_end (&ctx);
  return result;
}

/* ---- peers ---- */

typedef struct
{
  char         *identifier;
  BoughRelSide  side;
  GPtrArray    *uuids;   /* borrowed from the nodes */
} PeerGroup;

static void
peer_group_free (PeerGroup *group)
{
  g_free (group->identifier);
  g_ptr_array_unref (group->uuids);
  g_free (group);
}

/* Fills the peer @peer_id (read as @row) through @link. */
static void
peer_fill (BoughPeer          *peer,
           const char         *peer_id,
           const BoughNodeRow *row,
           const BoughRelRow  *link)
{
  BoughJsonReader r;
  char key[32];
  char buf[BOUGH_DISPLAY_LABEL_BUF];
  const char *label;

  peer->kind = g_intern_string (row->kind);
  label = _bough_display_label (row->label, row->kind, peer_id, buf, sizeof buf);
  peer->strings = _bough_pack_strings (peer_id, label, row->hfid,
                                       &peer->id, &peer->display_label, &peer->hfid);
  if (peer->strings == NULL)
    {
      peer->id = g_strdup (peer_id);
      peer->display_label = g_strdup (label);
      peer->hfid = _bough_strv_from_json (row->hfid);
    }
  peer->updated_at = link->from_stamp;
  peer->is_visible = TRUE;
  if (link->props == NULL)
    {
      peer->rel_id = _bough_link_id (link);
      return;
    }
  /* the stored properties: only those that differ from the defaults, and
   * the link's id */
  _bough_json_reader_init (&r, link->props);
  if (!_bough_json_reader_enter_object (&r))
    {
      peer->rel_id = _bough_link_id (link);
      return;
    }
  while (_bough_json_reader_next_member (&r, key, sizeof key) > 0)
    {
      gboolean ok, b;

      if (strcmp (key, "is_visible") == 0)
        {
          ok = _bough_json_reader_boolean (&r, &b);
          peer->is_visible = b;
        }
      else if (strcmp (key, "is_protected") == 0)
        {
          ok = _bough_json_reader_boolean (&r, &b);
          peer->is_protected = b;
        }
      else if (strcmp (key, "source") == 0)
        {
          g_clear_pointer (&peer->source, g_free);
          ok = _bough_json_reader_string (&r, &peer->source);
        }
      else if (strcmp (key, "owner") == 0)
        {
          g_clear_pointer (&peer->owner, g_free);
          ok = _bough_json_reader_string (&r, &peer->owner);
        }
      else if (strcmp (key, "id") == 0)
        {
          g_clear_pointer (&peer->rel_id, g_free);
          ok = _bough_json_reader_string (&r, &peer->rel_id);
        }
      else
        ok = _bough_json_reader_skip (&r);
      if (!ok)
        break;
    }
  if (peer->rel_id == NULL)
    peer->rel_id = _bough_link_id (link);
}

/* The slot of @rel in @node, emptied (a relationship filled again is
 * replaced). */
static BoughRelationshipValue *
node_rel_slot (BoughNode               *node,
               BoughRelationshipSchema *rel)
{
  BoughRelationshipValue *value = NULL;

  for (guint i = 0; i < node->n_relationships && value == NULL; i++)
    if (strcmp (node->relationships[i].name, rel->name) == 0)
      value = &node->relationships[i];
  if (value != NULL)
    _bough_relationship_value_clear (value);
  else
    {
      node->relationships = g_renew (BoughRelationshipValue, node->relationships,
                                     node->n_relationships + 1);
      value = &node->relationships[node->n_relationships++];
      memset (value, 0, sizeof *value);
    }
  value->name = rel->name;
  value->many = rel->cardinality != BOUGH_CARDINALITY_ONE;
  return value;
}

/* Fills node->relationships[@relationship] of every node with two
 * statements per distinct relationship identifier, whatever the count. */
gboolean
_bough_store_fill_peers (BoughStore          *self,
                         BoughDriverConn     *conn,
                         BoughSchema         *schema,
                         const BoughReadView *view,
                         GPtrArray           *nodes,
                         const char          *relationship,
                         GError             **error)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_group_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
  g_autoptr(GPtrArray) peer_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  g_autoptr(GHashTable) peers_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) index_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) peer_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) peer_list = g_ptr_array_new ();
  g_autofree guint *node_group = g_new (guint, nodes->len);
  g_autofree guint *node_first = g_new (guint, nodes->len);  /* first index of its id */
  g_autofree BoughRelationshipSchema **node_rel = g_new (BoughRelationshipSchema *, nodes->len);
  /* (node index, link) pairs, then bucketed per node */
  g_autoptr(GArray) pair_node = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) pair_link = g_ptr_array_new ();
  g_autofree guint *start = g_new0 (guint, nodes->len + 1);
  g_autofree BoughRelRow **bucket = NULL;
  const char *last_kind = NULL;
  BoughRelationshipSchema *last_rel = NULL;
  guint last_group = 0;

  /* nodes mostly share their kind: look the schema up once per run */
  for (guint i = 0; i < nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (nodes, i);
      PeerGroup *group = NULL;

      if (last_kind == NULL || node->kind != last_kind)
        {
          BoughNodeSchema *ns = bough_schema_lookup (schema, node->kind);
          BoughRelationshipSchema *rel = ns ? bough_node_schema_get_relationship (ns, relationship) : NULL;

          if (rel == NULL)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "%s has no relationship “%s”",
                           node->kind, relationship);
              return FALSE;
            }
          if (rel != last_rel)
            {
              guint g;
              for (g = 0; g < groups->len; g++)
                {
                  PeerGroup *other = g_ptr_array_index (groups, g);
                  if (g_str_equal (other->identifier, rel->identifier) && other->side == _bough_rel_side (rel))
                    break;
                }
              if (g == groups->len)
                {
                  group = g_new0 (PeerGroup, 1);
                  group->identifier = g_strdup (rel->identifier);
                  group->side = _bough_rel_side (rel);
                  group->uuids = g_ptr_array_new ();
                  g_ptr_array_add (groups, group);
                }
              last_group = g;
            }
          last_kind = node->kind;
          last_rel = rel;
        }
      node_rel[i] = last_rel;
      node_group[i] = last_group;
      {
        guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (index_by_id, node->id));
        node_first[i] = seen > 0 ? seen - 1 : i;
        if (seen == 0)
          {
            g_hash_table_insert (index_by_id, node->id, GUINT_TO_POINTER (i + 1));
            g_ptr_array_add (((PeerGroup *) g_ptr_array_index (groups, last_group))->uuids, node->id);
          }
      }
    }

  for (guint g = 0; g < groups->len; g++)
    {
      PeerGroup *group = g_ptr_array_index (groups, g);
      guint first = links->len;

      if (!self->driver->fetch_rels (conn, view, group->identifier, group->side, group->uuids,
                                     links, error))
        return FALSE;
      for (guint i = first; i < links->len; i++)
        {
          BoughRelRow *link = g_ptr_array_index (links, i);
          const char *ends[2][2] = { { link->src, link->dst }, { link->dst, link->src } };
          for (guint e = 0; e < 2; e++)
            {
              const char *near = ends[e][0];
              const char *far = ends[e][1];
              guint idx;

              if (e == 0 && group->side == BOUGH_REL_SIDE_DST)
                continue;
              if (e == 1 && group->side == BOUGH_REL_SIDE_SRC)
                continue;
              idx = GPOINTER_TO_UINT (g_hash_table_lookup (index_by_id, near));
              if (idx == 0 || node_group[idx - 1] != g)
                continue;
              idx--;
              g_array_append_val (pair_node, idx);
              g_ptr_array_add (pair_link, link);
              start[idx + 1]++;
              if (!g_hash_table_contains (peer_ids, far))
                {
                  g_hash_table_add (peer_ids, (gpointer) far);
                  g_ptr_array_add (peer_list, (gpointer) far);
                }
              if (g_str_equal (near, far))
                break;
            }
        }
    }

  if (!self->driver->fetch_nodes (conn, view, NULL, peer_list, peer_rows, error))
    return FALSE;
  for (guint i = 0; i < peer_rows->len; i++)
    {
      BoughNodeRow *row = g_ptr_array_index (peer_rows, i);
      g_hash_table_insert (peers_by_id, row->uuid, row);
    }

  /* the links of each node, in the order read (a counting sort) */
  for (guint i = 0; i < nodes->len; i++)
    start[i + 1] += start[i];
  bucket = g_new (BoughRelRow *, MAX (pair_link->len, 1));
  {
    g_autofree guint *fill = g_memdup2 (start, sizeof (guint) * (nodes->len + 1));
    for (guint k = 0; k < pair_link->len; k++)
      bucket[fill[g_array_index (pair_node, guint, k)]++] = g_ptr_array_index (pair_link, k);
  }

  for (guint i = 0; i < nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (nodes, i);
      BoughRelationshipSchema *rel = node_rel[i];
      guint idx = node_first[i];
      guint n_links = start[idx + 1] - start[idx];
      BoughRelationshipValue *value;

      /* the node may hold a schema's names other than @schema's: keep it
       * alive as long as the names of this relationship */
      if (node->schema != schema)
        {
          node->kind = g_intern_string (node->kind);
          for (guint k = 0; k < node->n_attributes; k++)
            node->attributes[k].name = g_intern_string (node->attributes[k].name);
          for (guint k = 0; k < node->n_relationships; k++)
            node->relationships[k].name = g_intern_string (node->relationships[k].name);
          g_clear_pointer ((BoughSchema **) &node->schema, bough_schema_unref);
          node->schema = bough_schema_ref (schema);
        }
      value = node_rel_slot (node, rel);
      if (n_links > 0)
        value->peers = g_new0 (BoughPeer, value->many ? n_links : 1);
      for (guint j = 0; j < n_links; j++)
        {
          BoughRelRow *link = bucket[start[idx] + j];
          const char *far;
          BoughNodeRow *peer;

          if (g_str_equal (link->src, node->id) && g_str_equal (link->dst, node->id))
            far = node->id;
          else if (g_str_equal (link->src, node->id))
            far = link->dst;
          else
            far = link->src;
          peer = g_hash_table_lookup (peers_by_id, far);
          if (peer == NULL)
            continue;
          peer_fill (&value->peers[value->n_peers++], far, peer, link);
          if (!value->many)
            break;
        }
    }
  return TRUE;
}

/**
 * bough_store_fetch_peers:
 * @self: a store
 * @branch: (nullable): branch, %NULL for the default branch
 * @at: commit stamp, 0 for now
 * @nodes: (element-type BoughNode): nodes read from the store
 * @relationship: the relationship name to fill
 * @error: return location for a #GError
 *
 * Fills `relationships[relationship]` of every node in @nodes, with a number
 * of statements that does not depend on the number of nodes.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_fetch_peers (BoughStore  *self,
                         const char  *branch,
                         gint64       at,
                         GPtrArray   *nodes,
                         const char  *relationship,
                         GError     **error)
{
  BoughReadCtx ctx;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (nodes != NULL, FALSE);
  g_return_val_if_fail (relationship != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (nodes->len == 0)
    return TRUE;
  if (!_bough_read_ctx_begin (&ctx, self, branch, at, TRUE, error))
    return FALSE;
  ok = _bough_store_fill_peers (self, ctx.conn, ctx.schema, &ctx.view, nodes, relationship, error);
  _bough_read_ctx_end (&ctx);
  return ok;
}

/* ---- history ---- */

static gboolean
visible_at (gint64 from,
            gint64 to,
            gint64 at)
{
  return from <= at && (to == 0 || to > at);
}

static gint
compare_stamps (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * bough_store_get_history:
 * @self: a store
 * @branch: (nullable): branch, %NULL for the default branch
 * @id: a node id
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type BoughHistoryEntry): every change of
 *   the node and of its relationships seen from @branch, oldest first
 */
GPtrArray *
bough_store_get_history (BoughStore  *self,
                         const char  *branch,
                         const char  *id,
                         GError     **error)
{
  BoughReadCtx ctx;
  g_autoptr(GPtrArray) node_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  g_autoptr(GPtrArray) rel_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
  g_autoptr(GArray) stamps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) entries = NULL;
  const char *branches[4] = { NULL, BOUGH_DEFAULT_BRANCH, BOUGH_GLOBAL_BRANCH, NULL };
  gboolean seen = FALSE;
  gint64 prev = -1;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_bough_read_ctx_begin (&ctx, self, branch, 0, TRUE, error))
    return NULL;
  branches[0] = ctx.view.branch;
  if (!self->driver->history (ctx.conn, id, (char **) branches, node_rows, rel_rows, error))
    goto fail;

  for (guint i = node_rows->len; i > 0; i--)
    if (((BoughNodeRow *) g_ptr_array_index (node_rows, i - 1))->status == BOUGH_ROW_PACK)
      g_ptr_array_remove_index (node_rows, i - 1);

  /* on a branch, main's changes after the branch point are not its history */
  if (!ctx.view.is_default)
    {
      for (guint i = node_rows->len; i > 0; i--)
        {
          BoughNodeRow *r = g_ptr_array_index (node_rows, i - 1);
          if (g_str_equal (r->branch, BOUGH_DEFAULT_BRANCH) && r->from_stamp > ctx.view.main_at)
            g_ptr_array_remove_index (node_rows, i - 1);
        }
      for (guint i = rel_rows->len; i > 0; i--)
        {
          BoughRelRow *r = g_ptr_array_index (rel_rows, i - 1);
          if (g_str_equal (r->branch, BOUGH_DEFAULT_BRANCH) && r->from_stamp > ctx.view.main_at)
            g_ptr_array_remove_index (rel_rows, i - 1);
        }
    }
  if (node_rows->len == 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Node %s not found", id);
      goto fail;
    }

  for (guint i = 0; i < node_rows->len; i++)
    {
      BoughNodeRow *r = g_ptr_array_index (node_rows, i);
      g_array_append_val (stamps, r->from_stamp);
    }
  for (guint i = 0; i < rel_rows->len; i++)
    {
      BoughRelRow *r = g_ptr_array_index (rel_rows, i);
      g_array_append_val (stamps, r->from_stamp);
      if (r->to_stamp > 0 && (ctx.view.is_default || !g_str_equal (r->branch, BOUGH_DEFAULT_BRANCH) ||
                              r->to_stamp <= ctx.view.main_at))
        g_array_append_val (stamps, r->to_stamp);
    }
  g_array_sort (stamps, compare_stamps);
  if (!self->driver->get_commits (ctx.conn, stamps, accounts, error))
    goto fail;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_history_entry_free);
  for (guint s = 0; s < stamps->len; s++)
    {
      gint64 at = g_array_index (stamps, gint64, s);
      gint64 main_at = ctx.view.is_default ? at : MIN (at, ctx.view.main_at);
      BoughNodeRow *version = NULL;
      BoughHistoryEntry *entry;
      BoughNodeSchema *ns;
      JsonObject *rels;
      const char *written_branch = NULL;

      if (at == prev)
        continue;
      prev = at;

      /* the node's version at this stamp: the branch's over main's */
      for (guint i = 0; i < node_rows->len; i++)
        {
          BoughNodeRow *r = g_ptr_array_index (node_rows, i);
          gboolean main_row = g_str_equal (r->branch, BOUGH_DEFAULT_BRANCH) && !ctx.view.is_default;
          if (!visible_at (r->from_stamp, r->to_stamp, main_row ? main_at : at))
            continue;
          if (version == NULL || !main_row)
            version = r;
          if (r->from_stamp == at)
            written_branch = r->branch;
        }
      if (version == NULL)
        continue;

      entry = g_new0 (BoughHistoryEntry, 1);
      entry->stamp = at;
      entry->account = g_strdup (g_hash_table_lookup (accounts, &at));
      entry->branch = g_strdup (written_branch ? written_branch : version->branch);
      if (version->status == BOUGH_ROW_DELETED)
        entry->action = g_strdup ("deleted");
      else if (!seen)
        entry->action = g_strdup ("created");
      else
        entry->action = g_strdup ("updated");
      seen = TRUE;

      ns = bough_schema_lookup (ctx.schema, version->kind);
      entry->data = json_object_new ();
      json_object_set_string_member (entry->data, "id", version->uuid);
      json_object_set_string_member (entry->data, "kind", version->kind);
      {
        g_autoptr(BoughNode) n = _bough_node_from_row (ctx.schema, version, ctx.view.branch);
        json_object_set_object_member (entry->data, "attributes", bough_node_attributes_to_json (n));
      }
      rels = json_object_new ();
      for (guint k = 0; ns != NULL && k < ns->relationships->len; k++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, k);
          BoughRelSide side = _bough_rel_side (rel);
          JsonArray *peers = json_array_new ();

          for (guint i = 0; i < rel_rows->len; i++)
            {
              BoughRelRow *r = g_ptr_array_index (rel_rows, i);
              gboolean main_row = g_str_equal (r->branch, BOUGH_DEFAULT_BRANCH) && !ctx.view.is_default;
              const char *far;

              if (!g_str_equal (r->identifier, rel->identifier) || r->status != BOUGH_ROW_ACTIVE ||
                  !visible_at (r->from_stamp, r->to_stamp, main_row ? main_at : at))
                continue;
              if (main_row)
                {
                  /* masked by a version of the branch at this time? */
                  gboolean masked = FALSE;
                  for (guint j = 0; j < rel_rows->len && !masked; j++)
                    {
                      BoughRelRow *b = g_ptr_array_index (rel_rows, j);
                      masked = g_str_equal (b->branch, ctx.view.branch) &&
                               g_str_equal (b->identifier, r->identifier) &&
                               g_str_equal (b->src, r->src) && g_str_equal (b->dst, r->dst) &&
                               visible_at (b->from_stamp, b->to_stamp, at);
                    }
                  if (masked)
                    continue;
                }
              if (g_str_equal (r->src, id) && side != BOUGH_REL_SIDE_DST)
                far = r->dst;
              else if (g_str_equal (r->dst, id) && side != BOUGH_REL_SIDE_SRC)
                far = r->src;
              else
                continue;
              json_array_add_string_element (peers, far);
            }
          if (rel->cardinality == BOUGH_CARDINALITY_ONE)
            {
              if (json_array_get_length (peers) > 0)
                json_object_set_string_member (rels, rel->name, json_array_get_string_element (peers, 0));
              else
                json_object_set_null_member (rels, rel->name);
              json_array_unref (peers);
            }
          else
            json_object_set_array_member (rels, rel->name, peers);
        }
      json_object_set_object_member (entry->data, "relationships", rels);
      g_ptr_array_add (entries, entry);
      if (version->status == BOUGH_ROW_DELETED)
        seen = FALSE;
    }

  _bough_read_ctx_end (&ctx);
  return g_steal_pointer (&entries);

fail:
  _bough_read_ctx_end (&ctx);
  return NULL;
}

/**
 * bough_store_get_commit_accounts:
 * @self: a store
 * @stamps: (element-type gint64): commit stamps
 * @accounts: (element-type gint64 utf8): filled with stamp (a g_malloc'd
 *   gint64*, freed by the table) → account id (g_malloc'd, may be %NULL)
 *   for the stamps that are commits
 * @error: return location for a #GError
 *
 * Reads who made each commit of @stamps, in one query: node_metadata's
 * created_by and updated_by.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_get_commit_accounts (BoughStore  *self,
                                 GArray      *stamps,
                                 GHashTable  *accounts,
                                 GError     **error)
{
  BoughDriverConn *conn;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (stamps != NULL, FALSE);
  g_return_val_if_fail (accounts != NULL, FALSE);

  if (stamps->len == 0)
    return TRUE;
  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return FALSE;
  ok = self->driver->get_commits (conn, stamps, accounts, error);
  self->driver->reader_release (self->db, conn);
  return ok;
}
