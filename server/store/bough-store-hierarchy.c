/* bough-store-hierarchy.c: reads over the links themselves: the ancestors and descendants of
 * nodes in a hierarchy (the `parent__child` links of hierarchical kinds) walked level by level
 * for all nodes at once, and the listing of relationship instances by identifier (the API's
 * `Relationship` query).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-store-internal.h"

/* The identifier of the links between a node of a hierarchy and its parent
 * (schema builder: the automatic parent/children relationships). */
#define HIERARCHY_IDENTIFIER "parent__child"
/* A tree deeper than this is taken as a cycle in the data. */
#define MAX_LEVELS 128

/* The slot @name of @node, emptied. */
static BoughRelationshipValue *
pseudo_slot (BoughNode  *node,
             const char *name)
{
  BoughRelationshipValue *value = NULL;

  for (guint i = 0; i < node->n_relationships && value == NULL; i++)
    if (strcmp (node->relationships[i].name, name) == 0)
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
  value->name = name;
  value->many = TRUE;
  return value;
}

static void
peer_from_row (BoughPeer          *peer,
               const BoughNodeRow *row)
{
  char buf[BOUGH_DISPLAY_LABEL_BUF];
  const char *label;

  peer->kind = g_intern_string (row->kind);
  label = _bough_display_label (row->label, row->kind, row->uuid, buf, sizeof buf);
  peer->strings = _bough_pack_strings (row->uuid, label, row->hfid,
                                       &peer->id, &peer->display_label, &peer->hfid);
  if (peer->strings == NULL)
    {
      peer->id = g_strdup (row->uuid);
      peer->display_label = g_strdup (label);
      peer->hfid = _bough_strv_from_json (row->hfid);
    }
  peer->updated_at = row->from_stamp;
  peer->is_visible = TRUE;
}

/**
 * bough_store_fetch_hierarchy:
 * @self: a store
 * @branch: (nullable): branch, %NULL for the default branch
 * @at: commit stamp, 0 for now
 * @nodes: (element-type BoughNode): nodes of hierarchical kinds
 * @walk: ancestors or descendants
 * @out_levels: (out) (optional): the number of levels read
 * @error: return location for a #GError
 *
 * Fills the pseudo-relationship "ancestors" or "descendants" of every node
 * of @nodes (see bough_node_get_relationship()) with the nodes reached
 * through the parent links of their hierarchy: ancestors closest first,
 * descendants level by level. The walk reads one statement per level for
 * all the nodes at once, then their rows in one statement: its cost grows
 * with the depth of the trees, not with the number of nodes. A tree deeper
 * than 128 levels is refused as a cycle.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_fetch_hierarchy (BoughStore          *self,
                             const char          *branch,
                             gint64               at,
                             GPtrArray           *nodes,
                             BoughHierarchyWalk   walk,
                             guint               *out_levels,
                             GError             **error)
{
  g_autoptr(GHashTable) next = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
  g_autoptr(GPtrArray) frontier = g_ptr_array_new ();
  g_autoptr(GPtrArray) reached = g_ptr_array_new ();
  g_autoptr(GHashTable) reached_set = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  g_autoptr(GHashTable) row_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  const char *name = walk == BOUGH_HIERARCHY_ANCESTORS ? "ancestors" : "descendants";
  /* a child is the source of its link to its parent */
  BoughRelSide side = walk == BOUGH_HIERARCHY_ANCESTORS ? BOUGH_REL_SIDE_SRC : BOUGH_REL_SIDE_DST;
  guint levels = 0;
  BoughReadCtx r;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (nodes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_levels != NULL)
    *out_levels = 0;
  if (nodes->len == 0)
    return TRUE;
  if (!_bough_read_ctx_begin (&r, self, branch, at, FALSE, error))
    return FALSE;

  for (guint i = 0; i < nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (nodes, i);

      if (g_hash_table_add (seen, node->id))
        g_ptr_array_add (frontier, node->id);
    }
  /* the adjacency of every node reached, one level per statement */
  while (frontier->len > 0)
    {
      guint first = links->len;
      g_autoptr(GPtrArray) following = g_ptr_array_new ();

      if (levels++ >= MAX_LEVELS)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONSTRAINT,
                       "The hierarchy is deeper than %d levels: its parent links make a cycle",
                       MAX_LEVELS);
          _bough_read_ctx_end (&r);
          return FALSE;
        }
      if (!self->driver->fetch_rels (r.conn, &r.view, HIERARCHY_IDENTIFIER, side, frontier, links, error))
        {
          _bough_read_ctx_end (&r);
          return FALSE;
        }
      for (guint i = first; i < links->len; i++)
        {
          BoughRelRow *link = g_ptr_array_index (links, i);
          const char *near = side == BOUGH_REL_SIDE_SRC ? link->src : link->dst;
          const char *far = side == BOUGH_REL_SIDE_SRC ? link->dst : link->src;
          GPtrArray *list = g_hash_table_lookup (next, near);

          if (g_str_equal (near, far))
            continue;
          if (list == NULL)
            {
              list = g_ptr_array_new ();
              g_hash_table_insert (next, (gpointer) near, list);
            }
          g_ptr_array_add (list, (gpointer) far);
          if (g_hash_table_add (seen, (gpointer) far))
            g_ptr_array_add (following, (gpointer) far);
          if (g_hash_table_add (reached_set, (gpointer) far))
            g_ptr_array_add (reached, (gpointer) far);
        }
      g_ptr_array_set_size (frontier, 0);
      g_ptr_array_extend_and_steal (frontier, g_steal_pointer (&following));
    }

  if (reached->len > 0 && !self->driver->fetch_nodes (r.conn, &r.view, NULL, reached, rows, error))
    {
      _bough_read_ctx_end (&r);
      return FALSE;
    }
  _bough_read_ctx_end (&r);
  for (guint i = 0; i < rows->len; i++)
    {
      BoughNodeRow *row = g_ptr_array_index (rows, i);

      g_hash_table_insert (row_by_id, row->uuid, row);
    }

  /* each node's own walk over the adjacency, in memory */
  for (guint i = 0; i < nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (nodes, i);
      g_autoptr(GHashTable) mine = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) order = g_ptr_array_new ();
      BoughRelationshipValue *value;
      guint n = 0;

      g_hash_table_add (mine, node->id);
      g_ptr_array_add (order, node->id);
      for (guint k = 0; k < order->len; k++)
        {
          GPtrArray *list = g_hash_table_lookup (next, g_ptr_array_index (order, k));

          for (guint j = 0; list != NULL && j < list->len; j++)
            if (g_hash_table_add (mine, g_ptr_array_index (list, j)))
              g_ptr_array_add (order, g_ptr_array_index (list, j));
        }
      value = pseudo_slot (node, name);
      if (order->len > 1)
        value->peers = g_new0 (BoughPeer, order->len - 1);
      for (guint k = 1; k < order->len; k++)
        {
          BoughNodeRow *row = g_hash_table_lookup (row_by_id, g_ptr_array_index (order, k));

          /* a node deleted (or not visible) ends its branch of the walk */
          if (row != NULL)
            peer_from_row (&value->peers[n++], row);
        }
      value->n_peers = n;
    }
  if (out_levels != NULL)
    *out_levels = levels;
  return TRUE;
}

/**
 * bough_relationship_instance_free:
 * @instance: (transfer full): an instance
 */
void
bough_relationship_instance_free (BoughRelationshipInstance *instance)
{
  if (instance == NULL)
    return;
  g_free (instance->id);
  g_free (instance->identifier);
  g_free (instance->src_id);
  g_free (instance->dst_id);
  g_free (instance);
}

/**
 * bough_store_list_relationships:
 * @self: a store
 * @branch: (nullable): branch, %NULL for the default branch
 * @at: commit stamp, 0 for now
 * @identifiers: relationship identifiers (such as `builtintag__infradevice`)
 * @excluded_namespaces: (nullable): links with a node of one of these
 *   namespaces at either end are left out; `Internal` always is
 * @offset: instances to skip
 * @limit: instances to return, -1 for all
 * @out_count: (out) (optional): the number of instances, ignoring @offset and @limit
 * @error: return location for a #GError
 *
 * Lists the relationship instances (links) of @identifiers visible on
 * @branch at @at, identifier by identifier, oldest first: links made later
 * come after, so offset paging is stable while links are added. It reads
 * every link of the identifiers (there is no index by identifier alone).
 *
 * Returns: (transfer full) (element-type BoughRelationshipInstance): the
 *   page of instances, or %NULL with @error set
 */
GPtrArray *
bough_store_list_relationships (BoughStore          *self,
                                const char          *branch,
                                gint64               at,
                                const char * const  *identifiers,
                                const char * const  *excluded_namespaces,
                                gint64               offset,
                                gint64               limit,
                                gint64              *out_count,
                                GError             **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GHashTable) uuid_set = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  g_autoptr(GHashTable) kind_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_relationship_instance_free);
  gint64 count = 0;
  BoughReadCtx r;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (identifiers != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_bough_read_ctx_begin (&r, self, branch, at, TRUE, error))
    return NULL;
  for (guint i = 0; identifiers[i] != NULL; i++)
    {
      gboolean repeated = FALSE;

      for (guint j = 0; j < i; j++)
        repeated = repeated || g_str_equal (identifiers[i], identifiers[j]);
      if (!repeated && !self->driver->list_rels (r.conn, &r.view, identifiers[i], links, error))
        goto fail;
    }
  for (guint i = 0; i < links->len; i++)
    {
      BoughRelRow *link = g_ptr_array_index (links, i);

      if (g_hash_table_add (uuid_set, link->src))
        g_ptr_array_add (uuids, link->src);
      if (g_hash_table_add (uuid_set, link->dst))
        g_ptr_array_add (uuids, link->dst);
    }
  if (uuids->len > 0 && !self->driver->fetch_nodes (r.conn, &r.view, NULL, uuids, rows, error))
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    {
      BoughNodeRow *row = g_ptr_array_index (rows, i);
      BoughNodeSchema *ns = bough_schema_lookup (r.schema, row->kind);
      const char *namespace_ = ns != NULL ? ns->namespace_ : NULL;

      /* a node of a kind the schema lost, or of an excluded namespace,
       * hides its links */
      if (namespace_ == NULL || g_str_equal (namespace_, "Internal"))
        continue;
      if (excluded_namespaces != NULL && g_strv_contains (excluded_namespaces, namespace_))
        continue;
      g_hash_table_insert (kind_of, row->uuid, (gpointer) g_intern_string (row->kind));
    }
  for (guint i = 0; i < links->len; i++)
    {
      BoughRelRow *link = g_ptr_array_index (links, i);
      const char *src_kind = g_hash_table_lookup (kind_of, link->src);
      const char *dst_kind = g_hash_table_lookup (kind_of, link->dst);
      BoughRelationshipInstance *instance;

      if (src_kind == NULL || dst_kind == NULL)
        continue;
      count++;
      if (count <= offset || (limit >= 0 && count > offset + limit))
        continue;
      instance = g_new0 (BoughRelationshipInstance, 1);
      instance->id = _bough_link_id (link);
      instance->identifier = g_strdup (link->identifier);
      instance->src_id = g_strdup (link->src);
      instance->src_kind = src_kind;
      instance->dst_id = g_strdup (link->dst);
      instance->dst_kind = dst_kind;
      g_ptr_array_add (out, instance);
    }
  _bough_read_ctx_end (&r);
  if (out_count != NULL)
    *out_count = count;
  return g_steal_pointer (&out);

fail:
  _bough_read_ctx_end (&r);
  return NULL;
}
