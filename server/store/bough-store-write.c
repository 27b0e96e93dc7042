/* bough-store-write.c: the write side of the store: transactions and commit
 * stamps, create/update/upsert/delete of nodes and relationship edits, with
 * validation (mandatory, types, read-only, uniqueness, cardinality, counts,
 * peer kinds), derived values (hfid, display label, lookups), cascades and
 * the branch overlay rules of writes.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "auth/bough-auth.h"
#include "bough-store-internal.h"

#define D(txn) ((txn)->store->driver)


/* ---- work on one node ---- */

static gboolean ensure_savepoint (BoughTxn *txn, GError **error);

static BoughNodeRow *
node_row_copy (const BoughNodeRow *row)
{
  BoughNodeRow *copy = g_memdup2 (row, sizeof *row);
  copy->uuid = g_strdup (row->uuid);
  copy->kind = g_strdup (row->kind);
  copy->branch = g_strdup (row->branch);
  copy->attrs = g_strdup (row->attrs);
  copy->hfid = g_strdup (row->hfid);
  copy->label = g_strdup (row->label);
  return copy;
}

typedef struct
{
  char       *id;
  JsonObject *props;   /* stored link properties (non-default ones) */
} PeerInput;

static void
peer_input_free (PeerInput *p)
{
  g_free (p->id);
  g_clear_pointer (&p->props, json_object_unref);
  g_free (p);
}

typedef struct
{
  BoughRelationshipSchema *rel;
  GPtrArray               *peers;      /* of PeerInput*, resolved, distinct */
  GHashTable              *rows;       /* peer id → BoughNodeRow* (owned) */
} RelInput;

static void
rel_input_free (RelInput *r)
{
  g_ptr_array_unref (r->peers);
  g_hash_table_unref (r->rows);
  g_free (r);
}

typedef struct
{
  BoughTxn        *txn;
  BoughNodeSchema *ns;
  char            *uuid;
  const char      *target;      /* branch the node's versions go to */
  BoughNodeRow    *current;     /* visible version before the change; NULL when new */
  JsonObject      *attrs;       /* the new stored attributes */
  GHashTable      *rels;        /* name → RelInput*, relationships given in the data */
  GHashTable      *fetched;     /* name → BoughNodeRow* or NULL: current card-one peers */
  char            *hfid;        /* JSON text */
  char            *label;
  GPtrArray       *lookups;     /* of BoughLookup* */
  gboolean         changed;     /* attributes changed */
  gboolean         given_id;    /* the caller chose the id */
  JsonObject      *data;        /* the input, borrowed while preparing */
  gboolean         searched;    /* hfid and constraint lookups known free (upsert) */
  char            *free_hfid;   /* an hfid known free (upsert by hfid) */
  gboolean         rels_checked; /* peers' cardinality-one sides already checked */
} NodeWork;

static void
node_work_free (NodeWork *w)
{
  if (w == NULL)
    return;
  g_free (w->uuid);
  g_clear_pointer (&w->current, bough_node_row_free);
  g_clear_pointer (&w->attrs, json_object_unref);
  g_clear_pointer (&w->rels, g_hash_table_unref);
  g_clear_pointer (&w->fetched, g_hash_table_unref);
  g_free (w->hfid);
  g_free (w->free_hfid);
  g_free (w->label);
  g_clear_pointer (&w->lookups, g_ptr_array_unref);
  g_free (w);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NodeWork, node_work_free)

static const char *
target_branch (BoughTxn        *txn,
               BoughBranchSupport support)
{
  return support == BOUGH_BRANCH_SUPPORT_AGNOSTIC ? BOUGH_GLOBAL_BRANCH : txn->branch;
}

static NodeWork *
node_work_new (BoughTxn        *txn,
               BoughNodeSchema *ns)
{
  NodeWork *w = g_new0 (NodeWork, 1);

  w->txn = txn;
  w->ns = ns;
  w->target = target_branch (txn, ns->branch);
  w->rels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) rel_input_free);
  w->lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_lookup_free);
  return w;
}

/* "TestDevice “edge1”" or "TestDevice 5d0c…": how errors name a node */
static char *
node_desc (NodeWork *w)
{
  JsonObject *name = NULL;

  if (w->current != NULL && w->current->hfid != NULL)
    {
      g_auto(GStrv) parts = _bough_strv_from_json (w->current->hfid);
      g_autofree char *joined = g_strjoinv ("/", parts);
      return g_strdup_printf ("%s “%s” (%s)", w->ns->kind, joined, w->uuid);
    }
  if (w->attrs != NULL && json_object_has_member (w->attrs, "name"))
    name = json_object_get_object_member (w->attrs, "name");
  else if (w->data != NULL && json_object_has_member (w->data, "name") &&
           JSON_NODE_HOLDS_OBJECT (json_object_get_member (w->data, "name")))
    name = json_object_get_object_member (w->data, "name");
  if (name != NULL && json_object_has_member (name, "value") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (name, "value")))
    {
      g_autofree char *value = _bough_json_scalar_to_string (json_object_get_member (name, "value"));
      if (value != NULL)
        return g_strdup_printf ("%s “%s”", w->ns->kind, value);
    }
  return g_strdup_printf ("%s %s", w->ns->kind, w->uuid ? w->uuid : "(new)");
}

static gboolean
fail (NodeWork    *w,
      GError     **error,
      gint         code,
      const char  *field,
      const char  *format,
      ...) G_GNUC_PRINTF (5, 6);

static gboolean
fail (NodeWork    *w,
      GError     **error,
      gint         code,
      const char  *field,
      const char  *format,
      ...)
{
  g_autofree char *desc = node_desc (w);
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (field != NULL)
    g_set_error (error, BOUGH_ERROR, code, "%s: %s: %s", desc, field, msg);
  else
    g_set_error (error, BOUGH_ERROR, code, "%s: %s", desc, msg);
  return FALSE;
}

/* ---- attribute input ---- */

static const char *attr_input_keys[] = {
  "value", "is_default", "is_protected", "is_visible", "source", "owner", NULL
};

static gboolean
is_attr_input_object (JsonNode *in)
{
  JsonObject *obj;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (in))
    return FALSE;
  obj = json_node_get_object (in);
  members = json_object_get_members (obj);
  if (members == NULL)
    return TRUE;
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (attr_input_keys, l->data))
      return FALSE;
  return TRUE;
}

/* An id given for source/owner: "uuid" or {"id": "uuid"} or null. */
static gboolean
parse_id_ref (JsonNode  *in,
              char     **id)
{
  *id = NULL;
  if (in == NULL || JSON_NODE_HOLDS_NULL (in))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (in) && json_node_get_value_type (in) == G_TYPE_STRING)
    {
      *id = g_strdup (json_node_get_string (in));
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (in))
    {
      JsonObject *obj = json_node_get_object (in);
      JsonNode *idn = json_object_has_member (obj, "id") ? json_object_get_member (obj, "id") : NULL;
      if (idn != NULL && JSON_NODE_HOLDS_VALUE (idn) && json_node_get_value_type (idn) == G_TYPE_STRING)
        {
          *id = g_strdup (json_node_get_string (idn));
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
get_bool_input (JsonObject *obj,
                const char *key,
                gboolean   *value)
{
  JsonNode *n;

  if (!json_object_has_member (obj, key))
    return TRUE;
  n = json_object_get_member (obj, key);
  if (JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (n);
  return TRUE;
}

static gboolean
entries_equal (JsonObject *a,
               JsonObject *b)
{
  static const char *keys[] = { "value", "is_default", "is_protected", "is_visible", "source", "owner", NULL };

  if (a == NULL || b == NULL)
    return a == b;
  for (guint i = 0; keys[i]; i++)
    {
      JsonNode *x = json_object_has_member (a, keys[i]) ? json_object_get_member (a, keys[i]) : NULL;
      JsonNode *y = json_object_has_member (b, keys[i]) ? json_object_get_member (b, keys[i]) : NULL;
      if (x == NULL || y == NULL)
        {
          if (x != y)
            return FALSE;
          continue;
        }
      if (!json_node_equal (x, y))
        return FALSE;
    }
  return TRUE;
}

/* Applies the input of one attribute to its stored entry (a new object). */
static gboolean
apply_attr_input (NodeWork              *w,
                  BoughAttributeSchema  *attr,
                  JsonNode              *in,
                  JsonObject            *old,
                  JsonObject           **out,
                  GError               **error)
{
  g_autoptr(JsonObject) entry = json_object_new ();
  JsonNode *value = NULL;
  gboolean has_value = FALSE;
  gboolean reset = FALSE;
  gboolean is_protected, is_visible;

  if (old != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, old);
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (entry, name, json_node_copy (member));
    }

  if (is_attr_input_object (in))
    {
      JsonObject *obj = json_node_get_object (in);

      if (json_object_has_member (obj, "value"))
        {
          value = json_object_get_member (obj, "value");
          has_value = TRUE;
        }
      if (!get_bool_input (obj, "is_default", &reset))
        return fail (w, error, BOUGH_ERROR_INVALID, attr->name, "is_default must be a boolean");
      /* a new entry (no @old) is empty: nothing to read back or remove */
      is_protected = old != NULL && json_object_get_boolean_member_with_default (entry, "is_protected", FALSE);
      is_visible = old == NULL || json_object_get_boolean_member_with_default (entry, "is_visible", TRUE);
      if (!get_bool_input (obj, "is_protected", &is_protected) ||
          !get_bool_input (obj, "is_visible", &is_visible))
        return fail (w, error, BOUGH_ERROR_INVALID, attr->name,
                     "is_protected and is_visible must be booleans");
      if (old != NULL)
        {
          json_object_remove_member (entry, "is_protected");
          json_object_remove_member (entry, "is_visible");
        }
      if (is_protected)
        json_object_set_boolean_member (entry, "is_protected", TRUE);
      if (!is_visible)
        json_object_set_boolean_member (entry, "is_visible", FALSE);
      for (guint i = 0; i < 2; i++)
        {
          const char *key = i == 0 ? "source" : "owner";
          g_autofree char *id = NULL;
          if (!json_object_has_member (obj, key))
            continue;
          if (!parse_id_ref (json_object_get_member (obj, key), &id))
            return fail (w, error, BOUGH_ERROR_INVALID, attr->name, "%s must be an id", key);
          if (old != NULL)
            json_object_remove_member (entry, key);
          if (id != NULL)
            json_object_set_string_member (entry, key, id);
        }
    }
  else
    {
      value = in;
      has_value = TRUE;
    }

  if (attr->read_only && !w->txn->internal && (has_value || reset))
    return fail (w, error, BOUGH_ERROR_INVALID, attr->name, "the attribute is read-only");

  if (reset && attr->default_value != NULL)
    {
      json_object_set_member (entry, "value", json_node_copy (attr->default_value));
      json_object_set_boolean_member (entry, "is_default", TRUE);
    }
  else if (has_value)
    {
      if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
        {
          g_autoptr(GError) local_error = NULL;
          if (!bough_attribute_validate_value (attr, value, &local_error))
            return fail (w, error,
                         local_error->domain == BOUGH_ERROR ? local_error->code : BOUGH_ERROR_INVALID,
                         NULL, "%s", local_error->message);
        }
      if (attr->kind == BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD && value != NULL &&
          JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
          !(w->txn->internal && bough_auth_is_stored_secret (json_node_get_string (value))))
        {
          /* Every write path stores the hash, never the password given. */
          g_autoptr(GError) local_error = NULL;
          g_autofree char *hash = bough_auth_password_hash (json_node_get_string (value),
                                                            &local_error);

          if (hash == NULL)
            return fail (w, error, BOUGH_ERROR_INVALID, attr->name, "%s", local_error->message);
          json_object_set_string_member (entry, "value", hash);
        }
      else
        json_object_set_member (entry, "value",
                                value != NULL ? json_node_copy (value) : json_node_new (JSON_NODE_NULL));
      if (old != NULL)
        json_object_remove_member (entry, "is_default");
    }
  else if (reset)
    {
      json_object_set_null_member (entry, "value");
      json_object_remove_member (entry, "is_default");
    }

  if (old != NULL && entries_equal (old, entry))
    {
      *out = json_object_ref (old);
      return TRUE;
    }
  json_object_set_int_member (entry, "updated_at", w->txn->stamp);
  *out = g_steal_pointer (&entry);
  return TRUE;
}

static gboolean
entry_value_is_null (JsonObject *entry)
{
  JsonNode *v;

  if (entry == NULL || !json_object_has_member (entry, "value"))
    return TRUE;
  v = json_object_get_member (entry, "value");
  return v == NULL || JSON_NODE_HOLDS_NULL (v);
}

/* ---- relationship input ---- */

static gboolean
parse_peer_input (NodeWork                 *w,
                  BoughRelationshipSchema  *rel,
                  JsonNode                 *in,
                  PeerInput               **out,
                  char                   ***hfid,
                  GError                  **error)
{
  PeerInput *p = g_new0 (PeerInput, 1);
  JsonObject *obj;
  g_autoptr(GList) members = NULL;

  *out = NULL;
  *hfid = NULL;
  p->props = json_object_new ();
  if (JSON_NODE_HOLDS_VALUE (in) && json_node_get_value_type (in) == G_TYPE_STRING)
    {
      p->id = g_strdup (json_node_get_string (in));
      *out = p;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (in))
    {
      peer_input_free (p);
      return fail (w, error, BOUGH_ERROR_INVALID, rel->name, "a peer must be {\"id\": …} or {\"hfid\": […]}");
    }
  obj = json_node_get_object (in);
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *v = json_object_get_member (obj, key);

      if (g_str_equal (key, "id"))
        {
          if (!JSON_NODE_HOLDS_NULL (v) &&
              (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING))
            goto bad;
          if (!JSON_NODE_HOLDS_NULL (v))
            p->id = g_strdup (json_node_get_string (v));
        }
      else if (g_str_equal (key, "hfid"))
        {
          if (JSON_NODE_HOLDS_NULL (v))
            continue;
          if (!JSON_NODE_HOLDS_ARRAY (v))
            goto bad;
          {
            g_autofree char *text = _bough_json_text (v);
            *hfid = _bough_strv_from_json (text);
          }
        }
      else if (g_str_equal (key, "_relation__is_protected") || g_str_equal (key, "_relation__is_visible"))
        {
          if (JSON_NODE_HOLDS_NULL (v))
            continue;
          if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_BOOLEAN)
            goto bad;
          if (g_str_equal (key, "_relation__is_protected") && json_node_get_boolean (v))
            json_object_set_boolean_member (p->props, "is_protected", TRUE);
          if (g_str_equal (key, "_relation__is_visible") && !json_node_get_boolean (v))
            json_object_set_boolean_member (p->props, "is_visible", FALSE);
        }
      else if (g_str_equal (key, "_relation__source") || g_str_equal (key, "_relation__owner"))
        {
          g_autofree char *id = NULL;
          if (!parse_id_ref (v, &id))
            goto bad;
          if (id != NULL)
            json_object_set_string_member (p->props, key + strlen ("_relation__"), id);
        }
      else if (g_str_equal (key, "from_pool"))
        {
          peer_input_free (p);
          g_clear_pointer (hfid, g_strfreev);
          return fail (w, error, BOUGH_ERROR_UNSUPPORTED, rel->name, "allocation from a pool is not supported here");
        }
      /* other keys (kind, __typename, display_label) describe the peer: ignored */
    }
  if (p->id == NULL && *hfid == NULL)
    goto bad;
  *out = p;
  return TRUE;

bad:
  peer_input_free (p);
  g_clear_pointer (hfid, g_strfreev);
  return fail (w, error, BOUGH_ERROR_INVALID, rel->name, "a peer must be {\"id\": …} or {\"hfid\": […]}");
}

/* Resolves the peers given for @rel into a RelInput (ids, rows, kind checked). */
static RelInput *
resolve_rel_input (NodeWork                 *w,
                   BoughRelationshipSchema  *rel,
                   JsonNode                 *in,
                   GError                  **error)
{
  BoughTxn *txn = w->txn;
  RelInput *r = g_new0 (RelInput, 1);
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  g_autoptr(GHashTable) seen = NULL;
  g_auto(GStrv) peer_kinds = NULL;

  r->rel = rel;
  r->peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_input_free);
  r->rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bough_node_row_free);

  if (in == NULL || JSON_NODE_HOLDS_NULL (in))
    ;
  else if (JSON_NODE_HOLDS_ARRAY (in))
    {
      JsonArray *array = json_node_get_array (in);
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (items, json_array_get_element (array, i));
    }
  else
    g_ptr_array_add (items, in);

  if (rel->cardinality == BOUGH_CARDINALITY_ONE && items->len > 1)
    {
      fail (w, error, BOUGH_ERROR_CONSTRAINT, rel->name,
            "the relationship has cardinality one but %u peers were given", items->len);
      goto error;
    }

  for (guint i = 0; i < items->len; i++)
    {
      PeerInput *p = NULL;
      g_auto(GStrv) hfid = NULL;

      if (!parse_peer_input (w, rel, g_ptr_array_index (items, i), &p, &hfid, error))
        goto error;
      if (p->id == NULL)
        {
          g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *value = _bough_strv_json ((const char * const *) hfid);

          g_autofree char *cache_key = g_strconcat (rel->peer, "\x1f", value, NULL);
          const char *cached = g_hash_table_lookup (txn->hfid_ids, cache_key);

          if (cached != NULL)
            g_ptr_array_add (found, g_strdup (cached));
          else
            {
              if (peer_kinds == NULL)
                peer_kinds = _bough_schema_kinds (txn->schema, rel->peer);
              if (!D (txn)->find_lookup (txn->conn, &txn->view, peer_kinds, "hfid", value, found, error))
                {
                  peer_input_free (p);
                  goto error;
                }
              if (found->len == 1)
                g_hash_table_insert (txn->hfid_ids, g_steal_pointer (&cache_key),
                                     g_strdup (g_ptr_array_index (found, 0)));
            }
          if (found->len != 1)
            {
              peer_input_free (p);
              fail (w, error, found->len == 0 ? BOUGH_ERROR_NOT_FOUND : BOUGH_ERROR_CONSTRAINT,
                    rel->name, "%s %s with hfid %s", found->len == 0 ? "no" : "several", rel->peer, value);
              goto error;
            }
          p->id = g_strdup (g_ptr_array_index (found, 0));
        }
      /* one peer needs no table to be distinct (cardinality one, the
       * usual case) */
      if (items->len > 1 && seen == NULL)
        seen = g_hash_table_new (g_str_hash, g_str_equal);
      if (seen != NULL && g_hash_table_contains (seen, p->id))
        {
          peer_input_free (p);
          continue;
        }
      g_ptr_array_add (r->peers, p);
      if (seen != NULL)
        g_hash_table_add (seen, p->id);
      g_ptr_array_add (ids, p->id);
    }

  /* peers already read by this transaction (bulk loads name the same
   * device for each of its interfaces) */
  for (guint i = ids->len; i > 0; i--)
    {
      BoughNodeRow *cached = g_hash_table_lookup (txn->peer_rows, g_ptr_array_index (ids, i - 1));
      if (cached != NULL)
        {
          BoughNodeRow *copy = node_row_copy (cached);
          g_hash_table_insert (r->rows, copy->uuid, copy);
          g_ptr_array_remove_index_fast (ids, i - 1);
        }
    }
  if (!D (txn)->fetch_nodes (txn->conn, &txn->view, NULL, ids, rows, error))
    goto error;
  while (rows->len > 0)
    {
      BoughNodeRow *row = g_ptr_array_steal_index_fast (rows, rows->len - 1);
      g_hash_table_insert (txn->peer_rows, g_strdup (row->uuid), node_row_copy (row));
      g_hash_table_insert (r->rows, row->uuid, row);
    }
  for (guint i = 0; i < r->peers->len; i++)
    {
      PeerInput *p = g_ptr_array_index (r->peers, i);
      BoughNodeRow *row = g_hash_table_lookup (r->rows, p->id);
      if (row == NULL)
        {
          fail (w, error, BOUGH_ERROR_NOT_FOUND, rel->name, "peer %s not found", p->id);
          goto error;
        }
      if (!bough_schema_is_a (txn->schema, row->kind, rel->peer))
        {
          fail (w, error, BOUGH_ERROR_CONSTRAINT, rel->name,
                "peer %s is a %s, not a %s", p->id, row->kind, rel->peer);
          goto error;
        }
    }
  return r;

error:
  rel_input_free (r);
  return NULL;
}

static gboolean
check_rel_count (NodeWork                 *w,
                 BoughRelationshipSchema  *rel,
                 guint                     n,
                 GError                  **error)
{
  if (n == 0 && !rel->optional)
    return fail (w, error, BOUGH_ERROR_CONSTRAINT, rel->name, "the relationship is mandatory");
  if (rel->cardinality == BOUGH_CARDINALITY_MANY)
    {
      if (rel->max_count > 0 && n > (guint64) rel->max_count)
        return fail (w, error, BOUGH_ERROR_CONSTRAINT, rel->name,
                     "at most %" G_GINT64_FORMAT " peers allowed, %u given", rel->max_count, n);
      if (rel->min_count > 0 && n < (guint64) rel->min_count && (n > 0 || !rel->optional))
        return fail (w, error, BOUGH_ERROR_CONSTRAINT, rel->name,
                     "at least %" G_GINT64_FORMAT " peers required, %u given", rel->min_count, n);
    }
  return TRUE;
}

/* The relationship of @peer_kind that is the other end of @rel. */
static BoughRelationshipSchema *
reverse_rel (BoughSchema              *schema,
             const char               *peer_kind,
             BoughRelationshipSchema  *rel)
{
  BoughNodeSchema *pns = bough_schema_lookup (schema, peer_kind);

  for (guint i = 0; pns != NULL && i < pns->relationships->len; i++)
    {
      BoughRelationshipSchema *r = g_ptr_array_index (pns->relationships, i);
      if (r == rel || g_strcmp0 (r->identifier, rel->identifier) != 0)
        continue;
      if ((rel->direction == BOUGH_DIRECTION_OUTBOUND && r->direction != BOUGH_DIRECTION_INBOUND) ||
          (rel->direction == BOUGH_DIRECTION_INBOUND && r->direction != BOUGH_DIRECTION_OUTBOUND) ||
          (rel->direction == BOUGH_DIRECTION_BIDIRECTIONAL && r->direction != BOUGH_DIRECTION_BIDIRECTIONAL))
        continue;
      return r;
    }
  return NULL;
}

static const char *
link_far (const BoughRelRow *link,
          const char        *near)
{
  if (g_str_equal (link->src, near))
    return link->dst;
  return link->src;
}

/* Current visible links of one node through @rel. */
static GPtrArray *
current_links (BoughTxn                 *txn,
               const char               *uuid,
               BoughRelationshipSchema  *rel,
               GError                  **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);

  g_ptr_array_add (ids, (gpointer) uuid);
  if (!D (txn)->fetch_rels (txn->conn, &txn->view, rel->identifier, _bough_rel_side (rel), ids,
                            links, error))
    return NULL;
  return g_steal_pointer (&links);
}

/* ---- derived values ---- */

/* The current card-one peer of @relname (rows of the given input first). */
static BoughNodeRow *
work_peer_row (NodeWork    *w,
               const char  *relname,
               GError     **error)
{
  RelInput *r = g_hash_table_lookup (w->rels, relname);
  BoughRelationshipSchema *rel;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (r != NULL)
    {
      if (r->peers->len == 0)
        return NULL;
      return g_hash_table_lookup (r->rows, ((PeerInput *) g_ptr_array_index (r->peers, 0))->id);
    }
  if (w->current == NULL)
    return NULL;
  /* made on first use: most nodes written never need it */
  if (w->fetched == NULL)
    w->fetched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) bough_node_row_free);
  if (g_hash_table_contains (w->fetched, relname))
    return g_hash_table_lookup (w->fetched, relname);

  rel = bough_node_schema_get_relationship (w->ns, relname);
  if (rel == NULL)
    return NULL;
  links = current_links (w->txn, w->uuid, rel, error);
  if (links == NULL)
    return NULL;
  ids = g_ptr_array_new ();
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  if (links->len > 0)
    g_ptr_array_add (ids, (gpointer) link_far (g_ptr_array_index (links, 0), w->uuid));
  if (!D (w->txn)->fetch_nodes (w->txn->conn, &w->txn->view, NULL, ids, rows, error))
    return NULL;
  g_hash_table_insert (w->fetched, g_strdup (relname),
                       rows->len > 0 ? g_ptr_array_steal_index (rows, 0) : NULL);
  return g_hash_table_lookup (w->fetched, relname);
}

/* Value of a path: "attr__value", "rel__attr__value", "rel" (the peer id),
 * "attr". Returns a new node or NULL. */
static JsonNode *
path_value (NodeWork    *w,
            const char  *path,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (path, "__", -1);
  guint n = g_strv_length (parts);
  JsonObject *entry;

  if ((n == 1 || n == 2) && json_object_has_member (w->attrs, parts[0]))
    {
      if (n == 2 && !g_str_equal (parts[1], "value"))
        return NULL;
      entry = json_object_get_object_member (w->attrs, parts[0]);
      if (entry_value_is_null (entry))
        return NULL;
      return json_node_copy (json_object_get_member (entry, "value"));
    }
  if (n == 1 || n == 3)
    {
      BoughNodeRow *peer;
      JsonObject *attrs;

      if (bough_node_schema_get_relationship (w->ns, parts[0]) == NULL)
        return NULL;
      peer = work_peer_row (w, parts[0], error);
      if (peer == NULL)
        return NULL;
      if (n == 1)
        {
          JsonNode *id = json_node_new (JSON_NODE_VALUE);
          json_node_set_string (id, peer->uuid);
          return id;
        }
      if (!g_str_equal (parts[2], "value"))
        return NULL;
      attrs = g_hash_table_lookup (w->txn->peer_attrs, peer->uuid);
      if (attrs == NULL)
        {
          attrs = _bough_json_parse_object (peer->attrs);
          g_hash_table_insert (w->txn->peer_attrs, g_strdup (peer->uuid), attrs);
        }
      if (!json_object_has_member (attrs, parts[1]))
        return NULL;
      entry = json_object_get_object_member (attrs, parts[1]);
      if (entry_value_is_null (entry))
        return NULL;
      return json_node_copy (json_object_get_member (entry, "value"));
    }
  return NULL;
}

static char *
render_label (NodeWork    *w,
              const char  *template,
              GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = template;

  if (strstr (template, "{{") == NULL)
    {
      g_autoptr(JsonNode) v = path_value (w, template, error);
      return _bough_json_scalar_to_string (v);
    }
  /* the simple form of the Jinja2 templates: {{ path }} substitutions */
  while (*p)
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) v = NULL;
      g_autofree char *s = NULL;

      if (open == NULL || (close = strstr (open, "}}")) == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      path = g_strstrip (g_strndup (open + 2, close - open - 2));
      v = path_value (w, path, error);
      s = _bough_json_scalar_to_string (v);
      if (s != NULL)
        g_string_append (out, s);
      p = close + 2;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
add_lookup (NodeWork   *w,
            const char *key,
            char       *value)
{
  BoughLookup *l = g_new0 (BoughLookup, 1);
  l->key = g_strdup (key);
  l->value = value;
  g_ptr_array_add (w->lookups, l);
}

/* A constraint that another lookup of the node already enforces (the
 * hfid itself, or one unique attribute) gets no lookup of its own: the
 * schema engine derives such constraints from the hfid. */
static gboolean
constraint_is_redundant (BoughNodeSchema  *ns,
                         char            **paths)
{
  if (ns->human_friendly_id != NULL &&
      g_strv_equal ((const char * const *) paths, (const char * const *) ns->human_friendly_id))
    return TRUE;
  if (paths[0] != NULL && paths[1] == NULL && g_str_has_suffix (paths[0], "__value"))
    {
      g_autofree char *name = g_strndup (paths[0], strlen (paths[0]) - strlen ("__value"));
      BoughAttributeSchema *attr = bough_node_schema_get_attribute (ns, name);
      return attr != NULL && attr->unique;
    }
  return FALSE;
}

/* The unique attribute whose value alone is the hfid of @ns, if any. */
static BoughAttributeSchema *
hfid_attribute (BoughNodeSchema *ns)
{
  const char *path;
  gsize len;

  if (ns->human_friendly_id == NULL || ns->human_friendly_id[0] == NULL ||
      ns->human_friendly_id[1] != NULL)
    return NULL;
  path = ns->human_friendly_id[0];
  len = strlen (path);
  if (g_str_has_suffix (path, "__value"))
    len -= strlen ("__value");
  /* compared in place: this runs for every node written */
  for (guint i = 0; i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (ns->attributes, i);
      if (strncmp (attr->name, path, len) == 0 && attr->name[len] == '\0')
        return attr->unique ? attr : NULL;
    }
  return NULL;
}

/* Does the hfid of @ns follow from the values of @paths (each hfid path is
 * one of them, or goes through a cardinality-one relationship that is one
 * of them)? Then two nodes equal on @paths have the same hfid, and the
 * hfid's lookup, when the hfid is complete, enforces the constraint. */
static gboolean
hfid_follows_from (BoughNodeSchema  *ns,
                   char            **paths)
{
  if (ns->human_friendly_id == NULL || ns->human_friendly_id[0] == NULL)
    return FALSE;
  for (guint i = 0; ns->human_friendly_id[i] != NULL; i++)
    {
      const char *h = ns->human_friendly_id[i];
      g_auto(GStrv) parts = g_strsplit (h, "__", 2);
      BoughRelationshipSchema *rel = bough_node_schema_get_relationship (ns, parts[0]);
      gboolean found = FALSE;

      for (guint j = 0; paths[j] != NULL && !found; j++)
        {
          g_auto(GStrv) p = g_strsplit (paths[j], "__", 2);
          if (g_str_equal (paths[j], h))
            found = TRUE;
          else if (rel != NULL && rel->cardinality == BOUGH_CARDINALITY_ONE && p[1] == NULL &&
                   g_str_equal (p[0], parts[0]))
            found = TRUE;
          else if (rel == NULL && g_str_equal (p[0], parts[0]) &&
                   (p[1] == NULL || g_str_equal (p[1], "value")) &&
                   (parts[1] == NULL || g_str_equal (parts[1], "value")))
            found = TRUE;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static gboolean
entry_value_is_string (JsonObject *entry)
{
  JsonNode *value = json_object_get_member (entry, "value");
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING;
}

static gboolean
compute_derived (NodeWork  *w,
                 GError   **error)
{
  BoughNodeSchema *ns = w->ns;
  BoughAttributeSchema *hfid_attr = hfid_attribute (ns);
  GError *local_error = NULL;

  g_clear_pointer (&w->hfid, g_free);
  g_clear_pointer (&w->label, g_free);
  g_ptr_array_set_size (w->lookups, 0);

  for (guint i = 0; i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (ns->attributes, i);
      JsonObject *entry;
      g_autofree char *key = NULL;

      if (!attr->unique || !json_object_has_member (w->attrs, attr->name))
        continue;
      entry = json_object_get_object_member (w->attrs, attr->name);
      if (entry_value_is_null (entry))
        continue;
      /* a string that is the whole hfid: the hfid's lookup (["v"] for
       * "v") enforces the same uniqueness, one row and index entry less */
      if (attr == hfid_attr && entry_value_is_string (entry))
        continue;
      key = g_strconcat ("a:", attr->name, NULL);
      add_lookup (w, key, _bough_json_text (json_object_get_member (entry, "value")));
    }

  /* the hfid first: a complete one may stand for constraints */
  if (ns->human_friendly_id != NULL && ns->human_friendly_id[0] != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) parts = NULL;
      gboolean complete = TRUE;

      for (guint j = 0; ns->human_friendly_id[j] != NULL && complete; j++)
        {
          g_autoptr(JsonNode) v = path_value (w, ns->human_friendly_id[j], &local_error);
          g_autofree char *s = NULL;
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          s = _bough_json_scalar_to_string (v);
          if (s == NULL)
            complete = FALSE;
          else
            g_strv_builder_add (builder, s);
        }
      parts = g_strv_builder_end (builder);
      if (complete)
        w->hfid = _bough_strv_json ((const char * const *) parts);
    }

  for (guint i = 0; ns->uniqueness_constraints != NULL && i < ns->uniqueness_constraints->len; i++)
    {
      char **paths = g_ptr_array_index (ns->uniqueness_constraints, i);
      g_autoptr(JsonNode) values = NULL;
      JsonArray *array;
      gboolean complete = TRUE;
      g_autofree char *joined = NULL;

      if (constraint_is_redundant (ns, paths))
        continue;
      /* enforced by the hfid's lookup: one row and two index entries less
       * per node */
      if (w->hfid != NULL && hfid_follows_from (ns, paths))
        continue;
      values = json_node_new (JSON_NODE_ARRAY);
      array = json_array_new ();
      joined = g_strjoinv (",", paths);

      json_node_take_array (values, array);
      for (guint j = 0; paths[j] != NULL && complete; j++)
        {
          JsonNode *v = path_value (w, paths[j], &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          if (v == NULL)
            complete = FALSE;
          else
            json_array_add_element (array, v);
        }
      if (complete)
        {
          g_autofree char *key = g_strconcat ("uc:", joined, NULL);
          add_lookup (w, key, _bough_json_text (values));
        }
    }

  if (w->hfid != NULL)
    add_lookup (w, "hfid", g_strdup (w->hfid));

  if (ns->display_label != NULL && *ns->display_label)
    w->label = render_label (w, ns->display_label, &local_error);
  else if (ns->display_labels != NULL && ns->display_labels[0] != NULL)
    {
      g_autoptr(GString) label = g_string_new (NULL);
      for (guint j = 0; ns->display_labels[j] != NULL && local_error == NULL; j++)
        {
          g_autofree char *s = render_label (w, ns->display_labels[j], &local_error);
          if (s == NULL)
            continue;
          if (label->len > 0)
            g_string_append_c (label, ' ');
          g_string_append (label, s);
        }
      w->label = g_string_free (g_steal_pointer (&label), FALSE);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static char *
lookup_field (BoughNodeSchema *ns,
              const char      *key)
{
  if (g_str_has_prefix (key, "a:"))
    return g_strdup (key + 2);
  if (g_str_has_prefix (key, "uc:"))
    return g_strdup (key + 3);
  if (g_str_equal (key, "hfid") && ns->human_friendly_id != NULL)
    {
      g_autofree char *paths = g_strjoinv (",", ns->human_friendly_id);
      return g_strdup_printf ("hfid (%s)", paths);
    }
  return g_strdup (key);
}

static gboolean
check_unique (NodeWork  *w,
              GError   **error)
{
  BoughTxn *txn = w->txn;
  char *kinds[2] = { w->ns->kind, NULL };

  for (guint i = 0; i < w->lookups->len; i++)
    {
      BoughLookup *l = g_ptr_array_index (w->lookups, i);
      g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

      if (w->searched && !g_str_has_prefix (l->key, "a:"))
        continue;
      if (w->free_hfid != NULL && g_str_equal (l->key, "hfid") && g_str_equal (l->value, w->free_hfid))
        continue;
      if (!D (txn)->find_lookup (txn->conn, &txn->view, kinds, l->key, l->value, found, error))
        return FALSE;
      for (guint j = 0; j < found->len; j++)
        {
          const char *other = g_ptr_array_index (found, j);
          BoughAttributeSchema *hfid_attr;
          if (w->uuid != NULL && g_str_equal (other, w->uuid))
            continue;
          hfid_attr = g_str_equal (l->key, "hfid") ? hfid_attribute (w->ns) : NULL;
          if (hfid_attr != NULL && json_object_has_member (w->attrs, hfid_attr->name))
            {
              /* the hfid's lookup standing for the unique attribute */
              JsonObject *entry = json_object_get_object_member (w->attrs, hfid_attr->name);
              g_autofree char *value = _bough_json_text (json_object_get_member (entry, "value"));
              return fail (w, error, BOUGH_ERROR_UNIQUE, hfid_attr->name,
                           "the value %s is already used by %s", value, other);
            }
          if (g_str_equal (l->key, "hfid"))
            {
              /* the hfid's lookup standing for a constraint: name it */
              for (guint k = 0; w->ns->uniqueness_constraints != NULL &&
                                k < w->ns->uniqueness_constraints->len; k++)
                {
                  char **paths = g_ptr_array_index (w->ns->uniqueness_constraints, k);
                  if (!constraint_is_redundant (w->ns, paths) && hfid_follows_from (w->ns, paths))
                    {
                      g_autofree char *field = g_strjoinv (",", paths);
                      return fail (w, error, BOUGH_ERROR_UNIQUE, field,
                                   "the value %s is already used by %s", l->value, other);
                    }
                }
            }
          {
            g_autofree char *field = lookup_field (w->ns, l->key);
            return fail (w, error, BOUGH_ERROR_UNIQUE, field,
                         "the value %s is already used by %s", l->value, other);
          }
        }
    }
  return TRUE;
}

/* ---- writing rows ---- */

/* Counted per call; folded into the commit summary when the call succeeds. */
static void
count_change (BoughTxn   *txn,
              const char *action,
              const char *kind,
              const char *uuid)
{
  g_ptr_array_add (txn->pending, g_strconcat (action, " ", kind, NULL));
  /* and its event (bough-store-events.c) */
  _bough_txn_note_node (txn, action[0], kind, uuid, FALSE);
}

static gboolean
entry_prop_equal (JsonObject *a,
                  JsonObject *b,
                  const char *key)
{
  JsonNode *x = a != NULL && json_object_has_member (a, key) ? json_object_get_member (a, key) : NULL;
  JsonNode *y = b != NULL && json_object_has_member (b, key) ? json_object_get_member (b, key) : NULL;

  if (x != NULL && JSON_NODE_HOLDS_NULL (x))
    x = NULL;
  if (y != NULL && JSON_NODE_HOLDS_NULL (y))
    y = NULL;
  if (x == NULL || y == NULL)
    return x == y;
  return json_node_equal (x, y);
}

/* Writes the node's pack (its attributes kept on another branch, see
 * bough-store-driver.h) when it changed. */
static gboolean
write_pack (NodeWork  *w,
            GError   **error)
{
  BoughTxn *txn = w->txn;
  const char *target = w->ns->branch == BOUGH_BRANCH_SUPPORT_AGNOSTIC ? txn->branch : BOUGH_GLOBAL_BRANCH;
  g_autoptr(BoughNodeRow) open = NULL;
  g_autofree char *text = _bough_stored_attrs_text_part (w->attrs, txn->stamp, w->ns, TRUE);
  BoughNodeRow row = { 0 };

  if (!D (txn)->fetch_pack_version (txn->conn, w->uuid, target, &open, error))
    return FALSE;
  if (open != NULL)
    {
      g_autoptr(JsonObject) old = _bough_row_attrs (NULL, open);
      gboolean same = TRUE;
      static const char *keys[] = { "value", "is_default", "is_protected", "is_visible", "source", "owner", NULL };

      for (guint i = 0; i < w->ns->attributes->len && same; i++)
        {
          BoughAttributeSchema *attr = g_ptr_array_index (w->ns->attributes, i);
          JsonObject *a, *b;

          if (!_bough_attr_is_packed (w->ns, attr))
            continue;
          a = json_object_has_member (old, attr->name) ? json_object_get_object_member (old, attr->name) : NULL;
          b = json_object_has_member (w->attrs, attr->name) ? json_object_get_object_member (w->attrs, attr->name) : NULL;
          for (guint k = 0; keys[k] != NULL && same; k++)
            same = entry_prop_equal (a, b, keys[k]);
        }
      if (same)
        return TRUE;
      if (!D (txn)->close_node (txn->conn, open->rowid, txn->stamp, error))
        return FALSE;
    }
  else if (g_str_equal (text, "{}"))
    return TRUE;

  row.uuid = w->uuid;
  row.kind = w->ns->kind;
  row.branch = (char *) target;
  row.from_stamp = txn->stamp;
  row.status = BOUGH_ROW_PACK;
  row.created = w->current != NULL ? w->current->created : txn->stamp;
  row.attrs = text;
  return D (txn)->insert_node (txn->conn, &row, error) >= 0;
}

/* Writes a new version of the node (active with the new attributes, or a
 * deletion marker) on its target branch, with its lookups. */
static gboolean
write_node_version (NodeWork      *w,
                    BoughRowStatus status,
                    GError       **error)
{
  BoughTxn *txn = w->txn;
  BoughNodeRow row = { 0 };
  g_autofree char *attrs = _bough_stored_attrs_text_part (w->attrs, txn->stamp, w->ns, FALSE);
  gboolean fresh = w->current == NULL && !w->given_id;

  txn->call_wrote = TRUE;
  /* an id made for this node just now is in no cache */
  if (!fresh)
    {
      g_hash_table_remove (txn->peer_rows, w->uuid);
      g_hash_table_remove (txn->peer_attrs, w->uuid);
    }
  if (w->current != NULL &&
      (status != BOUGH_ROW_ACTIVE || g_strcmp0 (w->current->hfid, w->hfid) != 0))
    g_hash_table_remove_all (txn->hfid_ids);

  if (w->current != NULL && g_str_equal (w->current->branch, w->target))
    {
      if (!D (txn)->close_node (txn->conn, w->current->rowid, txn->stamp, error))
        return FALSE;
    }
  else if (!fresh)
    {
      /* a deletion marker or a version hidden behind another branch's */
      g_autoptr(BoughNodeRow) open = NULL;
      if (!D (txn)->fetch_node_version (txn->conn, w->uuid, w->target, &open, error))
        return FALSE;
      if (open != NULL && !D (txn)->close_node (txn->conn, open->rowid, txn->stamp, error))
        return FALSE;
    }

  row.uuid = w->uuid;
  row.kind = w->ns->kind;
  row.branch = (char *) w->target;
  row.from_stamp = txn->stamp;
  row.status = status;
  row.created = w->current != NULL ? w->current->created : txn->stamp;
  row.attrs = attrs;
  row.hfid = status == BOUGH_ROW_ACTIVE ? w->hfid : (w->current ? w->current->hfid : NULL);
  row.label = status == BOUGH_ROW_ACTIVE ? w->label : (w->current ? w->current->label : NULL);
  row.order_attr = (char *) _bough_store_order_attribute (txn->store, w->ns->kind);
  if (row.order_attr != NULL)
    {
      /* the value as the row stores it (a packed attribute is not in the
       * row: the driver then reads the row, as everywhere else) */
      BoughAttributeSchema *attr = bough_node_schema_get_attribute (w->ns, row.order_attr);
      JsonObject *entry = attr != NULL && !_bough_attr_is_packed (w->ns, attr) &&
                          json_object_has_member (w->attrs, row.order_attr)
                        ? json_object_get_object_member (w->attrs, row.order_attr) : NULL;
      row.order_value = entry != NULL && json_object_has_member (entry, "value")
                      ? json_object_get_member (entry, "value") : NULL;
    }
  if (D (txn)->insert_node (txn->conn, &row, error) < 0)
    return FALSE;
  if (!fresh)
    {
      if (!D (txn)->replace_lookups (txn->conn, w->ns->kind, w->uuid, w->target, txn->stamp,
                                     status == BOUGH_ROW_ACTIVE ? w->lookups : NULL, error))
        return FALSE;
    }
  else if (status == BOUGH_ROW_ACTIVE &&
           !D (txn)->insert_lookups (txn->conn, w->ns->kind, w->uuid, w->target, txn->stamp, w->lookups, error))
    return FALSE;
  if (status == BOUGH_ROW_ACTIVE && _bough_node_schema_has_packs (w->ns) && !write_pack (w, error))
    return FALSE;
  txn->n_writes++;
  return TRUE;
}

static const char *
rel_target (BoughTxn                *txn,
            BoughRelationshipSchema *rel)
{
  return target_branch (txn, rel->branch);
}

/* Makes a link with @props; @link_id is the id of the link it rewrites
 * (properties changed), NULL for a new link, which gets a new id. The id
 * is kept among the stored properties ("id"), so that a link keeps it
 * while its properties change and a link made again gets another. */
static gboolean
add_link_with_id (BoughTxn                 *txn,
                  BoughRelationshipSchema  *rel,
                  const char               *node,
                  const char               *peer,
                  JsonObject               *props,
                  const char               *link_id,
                  GError                  **error)
{
  BoughRelRow row = { 0 };
  g_autoptr(BoughRelRow) open = NULL;
  g_autofree char *props_text = NULL;
  g_autofree char *new_id = NULL;
  g_autoptr(JsonObject) stored = json_object_new ();
  const char *target = rel_target (txn, rel);

  txn->call_wrote = TRUE;
  /* a deletion marker of this link on the branch is closed first */
  if (!txn->view.is_default || g_str_equal (target, BOUGH_GLOBAL_BRANCH))
    {
      if (!D (txn)->fetch_rel_version (txn->conn, rel->identifier, node, peer, target, &open, error))
        return FALSE;
      if (open != NULL && !D (txn)->close_rel (txn->conn, open->rowid, txn->stamp, error))
        return FALSE;
    }

  if (props != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (props);

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "id"))
          json_object_set_member (stored, l->data, json_node_copy (json_object_get_member (props, l->data)));
    }
  if (link_id == NULL)
    link_id = new_id = _bough_uuid_new ();
  json_object_set_string_member (stored, "id", link_id);
  props_text = _bough_json_object_text (stored);
  row.identifier = rel->identifier;
  if (rel->direction == BOUGH_DIRECTION_INBOUND)
    {
      row.src = (char *) peer;
      row.dst = (char *) node;
    }
  else
    {
      row.src = (char *) node;
      row.dst = (char *) peer;
    }
  row.branch = (char *) target;
  row.from_stamp = txn->stamp;
  row.status = BOUGH_ROW_ACTIVE;
  row.props = props_text;
  if (D (txn)->insert_rel (txn->conn, &row, error) < 0)
    return FALSE;
  txn->n_writes++;
  /* a link rewritten for its properties is no new peer */
  if (new_id != NULL)
    _bough_txn_note_link (txn, node, rel, peer, TRUE);
  return TRUE;
}

static gboolean
add_link (BoughTxn                 *txn,
          BoughRelationshipSchema  *rel,
          const char               *node,
          const char               *peer,
          JsonObject               *props,
          GError                  **error)
{
  return add_link_with_id (txn, rel, node, peer, props, NULL, error);
}

/* @node: (nullable): the end the change is made from, noted for its event;
 * NULL when the link is only rewritten */
static gboolean
remove_link (BoughTxn                 *txn,
             BoughRelationshipSchema  *rel,
             const BoughRelRow        *link,
             const char               *node,
             GError                  **error)
{
  const char *target = rel_target (txn, rel);

  txn->call_wrote = TRUE;
  txn->n_writes++;
  if (node != NULL)
    _bough_txn_note_link (txn, node, rel, link_far (link, node), FALSE);
  if (g_str_equal (link->branch, target))
    return D (txn)->close_rel (txn->conn, link->rowid, txn->stamp, error);
  else
    {
      /* a link seen from main: masked on the branch by a deletion marker */
      BoughRelRow row = *link;
      row.branch = (char *) target;
      row.from_stamp = txn->stamp;
      row.status = BOUGH_ROW_DELETED;
      return D (txn)->insert_rel (txn->conn, &row, error) >= 0;
    }
}

/* Refuses a new link when the peer's side has cardinality one and already
 * has another peer. */
static gboolean
check_reverse_one (NodeWork                 *w,
                   BoughRelationshipSchema  *rel,
                   GPtrArray                *new_peers,
                   GHashTable               *rows,
                   GError                  **error)
{
  BoughTxn *txn = w->txn;

  for (guint i = 0; i < new_peers->len; i++)
    {
      const char *peer = g_ptr_array_index (new_peers, i);
      BoughNodeRow *prow = g_hash_table_lookup (rows, peer);
      BoughRelationshipSchema *rev = prow ? reverse_rel (txn->schema, prow->kind, rel) : NULL;
      g_autoptr(GPtrArray) links = NULL;

      if (rev == NULL || rev->cardinality != BOUGH_CARDINALITY_ONE)
        continue;
      links = current_links (txn, peer, rev, error);
      if (links == NULL)
        return FALSE;
      for (guint j = 0; j < links->len; j++)
        {
          const char *other = link_far (g_ptr_array_index (links, j), peer);
          if (!g_str_equal (other, w->uuid))
            return fail (w, error, BOUGH_ERROR_CONSTRAINT, rel->name,
                         "%s %s already has a peer in its cardinality-one relationship “%s” (%s)",
                         prow->kind, peer, rev->name, other);
        }
    }
  return TRUE;
}

/* Refuses to unlink peers whose side of the link is mandatory and of
 * cardinality one: they would be left without it. */
static gboolean
check_reverse_mandatory (NodeWork                 *w,
                         BoughRelationshipSchema  *rel,
                         GPtrArray                *removed,
                         GError                  **error)
{
  BoughTxn *txn = w->txn;
  g_autoptr(GPtrArray) rows = NULL;

  if (removed->len == 0)
    return TRUE;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  if (!D (txn)->fetch_nodes (txn->conn, &txn->view, NULL, removed, rows, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      BoughNodeRow *peer = g_ptr_array_index (rows, i);
      BoughRelationshipSchema *rev = reverse_rel (txn->schema, peer->kind, rel);

      if (rev != NULL && rev->cardinality == BOUGH_CARDINALITY_ONE && !rev->optional)
        return fail (w, error, BOUGH_ERROR_CONSTRAINT, rel->name,
                     "cannot unlink %s %s: “%s” is mandatory for it", peer->kind, peer->uuid, rev->name);
    }
  return TRUE;
}

/* Sets the peers of @rel to exactly those of @r. */
static gboolean
write_rel_set (NodeWork   *w,
               RelInput   *r,
               gboolean    is_new,
               GError    **error)
{
  BoughTxn *txn = w->txn;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GHashTable) existing = NULL;
  g_autoptr(GHashTable) wanted = NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  if (is_new)
    {
      /* no links yet: every peer is added, nothing else to compare */
      for (guint i = 0; i < r->peers->len; i++)
        g_ptr_array_add (added, ((PeerInput *) g_ptr_array_index (r->peers, i))->id);
      if (!w->rels_checked && !check_reverse_one (w, r->rel, added, r->rows, error))
        return FALSE;
      for (guint i = 0; i < r->peers->len; i++)
        {
          PeerInput *p = g_ptr_array_index (r->peers, i);
          if (!add_link (txn, r->rel, w->uuid, p->id, p->props, error))
            return FALSE;
        }
      return TRUE;
    }
  if ((links = current_links (txn, w->uuid, r->rel, error)) == NULL)
    return FALSE;
  existing = g_hash_table_new (g_str_hash, g_str_equal);
  wanted = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < links->len; i++)
    {
      BoughRelRow *link = g_ptr_array_index (links, i);
      g_hash_table_insert (existing, (gpointer) link_far (link, w->uuid), link);
    }
  for (guint i = 0; i < r->peers->len; i++)
    {
      PeerInput *p = g_ptr_array_index (r->peers, i);
      g_hash_table_insert (wanted, p->id, p);
      if (!g_hash_table_contains (existing, p->id))
        g_ptr_array_add (added, p->id);
    }
  if (!w->rels_checked && !check_reverse_one (w, r->rel, added, r->rows, error))
    return FALSE;
  {
    g_autoptr(GPtrArray) removed = g_ptr_array_new ();
    for (guint i = 0; i < links->len; i++)
      {
        const char *far = link_far (g_ptr_array_index (links, i), w->uuid);
        if (!g_hash_table_contains (wanted, far))
          g_ptr_array_add (removed, (gpointer) far);
      }
    if (!check_reverse_mandatory (w, r->rel, removed, error))
      return FALSE;
  }

  for (guint i = 0; i < links->len; i++)
    {
      BoughRelRow *link = g_ptr_array_index (links, i);
      const char *far = link_far (link, w->uuid);
      PeerInput *p = g_hash_table_lookup (wanted, far);
      g_autoptr(JsonObject) old_props = NULL;
      g_autofree char *link_id = NULL;

      if (p != NULL)
        {
          /* kept: rewritten only when its properties change (its id is
           * not one of them) */
          g_autofree char *a = NULL;
          g_autofree char *b = NULL;
          old_props = _bough_json_parse_object (link->props);
          json_object_remove_member (old_props, "id");
          a = _bough_json_object_text (old_props);
          b = _bough_json_object_text (p->props);
          if (g_str_equal (a, b))
            continue;
          link_id = _bough_link_id (link);
        }
      if (!remove_link (txn, r->rel, link, p == NULL ? w->uuid : NULL, error))
        return FALSE;
      if (p != NULL && !add_link_with_id (txn, r->rel, w->uuid, far, p->props, link_id, error))
        return FALSE;
    }
  for (guint i = 0; i < r->peers->len; i++)
    {
      PeerInput *p = g_ptr_array_index (r->peers, i);
      if (!g_hash_table_contains (existing, p->id) &&
          !add_link (txn, r->rel, w->uuid, p->id, p->props, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- create / update ---- */


/* Parses @data into @w: attributes (merged over the current ones for an
 * update) and the relationships given. @lenient skips the checks of a
 * complete node (used to find the node of an upsert). */
static gboolean
prepare (NodeWork    *w,
         JsonObject  *data,
         gboolean     lenient,
         GError     **error)
{
  BoughNodeSchema *ns = w->ns;
  g_autoptr(JsonObject) old = w->current ? _bough_row_attrs (ns, w->current) : NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  /* the input of each attribute and relationship, by its index in the
   * schema: found in one pass over the (few) members given instead of a
   * lookup in @data per attribute and relationship of the kind */
  g_autofree JsonNode **attr_in = g_new0 (JsonNode *, ns->attributes->len + 1);
  g_autofree JsonNode **rel_in = g_new0 (JsonNode *, ns->relationships->len + 1);

  w->attrs = json_object_new ();
  w->data = data;

  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &key, &member))
    {
      gboolean known = FALSE;

      if (g_str_equal (key, "id") || g_str_equal (key, "hfid") || g_str_equal (key, "kind") ||
          g_str_equal (key, "__typename"))
        continue;
      for (guint i = 0; i < ns->attributes->len; i++)
        if (g_str_equal (((BoughAttributeSchema *) g_ptr_array_index (ns->attributes, i))->name, key))
          {
            attr_in[i] = member;
            known = TRUE;
            break;
          }
      for (guint i = 0; i < ns->relationships->len; i++)
        if (g_str_equal (((BoughRelationshipSchema *) g_ptr_array_index (ns->relationships, i))->name, key))
          {
            rel_in[i] = member;
            known = TRUE;
            break;
          }
      if (!known)
        return fail (w, error, BOUGH_ERROR_INVALID, key, "%s has no such attribute or relationship", ns->kind);
    }

  for (guint i = 0; i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (ns->attributes, i);
      JsonObject *prev = old && json_object_has_member (old, attr->name)
                       ? json_object_get_object_member (old, attr->name) : NULL;
      JsonObject *entry = NULL;

      if (attr_in[i] != NULL)
        {
          if (!apply_attr_input (w, attr, attr_in[i], prev, &entry, error))
            return FALSE;
          if (!lenient && entry_value_is_null (entry) && !attr->optional)
            {
              json_object_unref (entry);
              return fail (w, error, BOUGH_ERROR_CONSTRAINT, attr->name, "the attribute is mandatory");
            }
          if (entry != prev)
            w->changed = TRUE;
        }
      else if (prev != NULL)
        entry = json_object_ref (prev);
      else if (attr->default_value != NULL && !JSON_NODE_HOLDS_NULL (attr->default_value))
        {
          entry = json_object_new ();
          json_object_set_member (entry, "value", json_node_copy (attr->default_value));
          json_object_set_boolean_member (entry, "is_default", TRUE);
          json_object_set_int_member (entry, "updated_at", w->txn->stamp);
          w->changed = TRUE;
        }
      else
        {
          if (!lenient && !attr->optional && w->current == NULL)
            return fail (w, error, BOUGH_ERROR_CONSTRAINT, attr->name, "the attribute is mandatory");
          /* an attribute left null gets no entry: absent is null (the
           * stored form drops it anyway, and reads put it back) */
          w->changed = TRUE;
          continue;
        }
      json_object_set_object_member (w->attrs, attr->name, entry);
    }

  for (guint i = 0; i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, i);
      RelInput *r;

      if (rel_in[i] == NULL)
        {
          if (!lenient && w->current == NULL && !check_rel_count (w, rel, 0, error))
            return FALSE;
          continue;
        }
      if (rel->read_only && !w->txn->internal)
        return fail (w, error, BOUGH_ERROR_INVALID, rel->name, "the relationship is read-only");
      r = resolve_rel_input (w, rel, rel_in[i], error);
      if (r == NULL)
        return FALSE;
      g_hash_table_insert (w->rels, rel->name, r);
      if (!lenient && !check_rel_count (w, rel, r->peers->len, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
rels_change (NodeWork  *w,
             GError   **error)
{
  GHashTableIter iter;
  RelInput *r;

  g_hash_table_iter_init (&iter, w->rels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
    if (!write_rel_set (w, r, w->current == NULL && !w->given_id, error))
      return FALSE;
  return TRUE;
}

/* Does a relationship given in the data feed a uniqueness constraint? */
static gboolean
rels_feed_constraints (NodeWork *w)
{
  BoughNodeSchema *ns = w->ns;

  for (guint i = 0; ns->uniqueness_constraints != NULL && i < ns->uniqueness_constraints->len; i++)
    {
      char **paths = g_ptr_array_index (ns->uniqueness_constraints, i);
      for (guint j = 0; paths[j] != NULL; j++)
        {
          g_auto(GStrv) parts = g_strsplit (paths[j], "__", 2);
          if (g_hash_table_contains (w->rels, parts[0]))
            return TRUE;
        }
    }
  return FALSE;
}

static gboolean
lookup_sets_equal (GPtrArray *a,
                   GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      BoughLookup *x = g_ptr_array_index (a, i);
      BoughLookup *y = g_ptr_array_index (b, i);
      if (!g_str_equal (x->key, y->key) || !g_str_equal (x->value, y->value))
        return FALSE;
    }
  return TRUE;
}

static BoughNode *
finish_node (NodeWork *w)
{
  BoughNodeRow row = { 0 };

  row.uuid = w->uuid;
  row.kind = w->ns->kind;
  row.branch = (char *) w->target;
  row.from_stamp = w->current != NULL && !w->changed ? w->current->from_stamp : w->txn->stamp;
  row.created = w->current != NULL ? w->current->created : w->txn->stamp;
  row.hfid = w->hfid;
  row.label = w->label;
  return _bough_node_from_parts (w->txn->schema, &row, w->attrs, w->txn->view.branch);
}

static BoughNodeSchema *
node_kind (BoughTxn    *txn,
           const char  *kind,
           GError     **error)
{
  BoughNodeSchema *ns = bough_schema_lookup (txn->schema, kind);

  if (ns == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Unknown kind “%s”", kind);
      return NULL;
    }
  if (ns->is_generic)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "%s is a generic: nodes have a node kind", kind);
      return NULL;
    }
  return ns;
}

static BoughNode *
do_create (BoughTxn         *txn,
           BoughNodeSchema  *ns,
           JsonObject       *data,
           NodeWork         *prepared,
           char             *free_hfid,
           GError          **error)
{
  g_autoptr(NodeWork) w = prepared;
  JsonNode *idn = json_object_has_member (data, "id") ? json_object_get_member (data, "id") : NULL;

  if (w == NULL)
    {
      w = node_work_new (txn, ns);
      w->free_hfid = g_steal_pointer (&free_hfid);
      if (idn != NULL && !JSON_NODE_HOLDS_NULL (idn))
        {
          if (!JSON_NODE_HOLDS_VALUE (idn) || json_node_get_value_type (idn) != G_TYPE_STRING ||
              !g_uuid_string_is_valid (json_node_get_string (idn)))
            {
              fail (w, error, BOUGH_ERROR_INVALID, "id", "the id must be a UUID");
              return NULL;
            }
          w->uuid = g_strdup (json_node_get_string (idn));
          w->given_id = TRUE;
        }
      else
        w->uuid = _bough_uuid_new ();
      if (!prepare (w, data, FALSE, error))
        return NULL;
    }
  g_free (free_hfid);

  if (w->given_id)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
      g_ptr_array_add (ids, w->uuid);
      if (!D (txn)->fetch_nodes (txn->conn, &txn->view, NULL, ids, rows, error))
        return NULL;
      if (rows->len > 0)
        {
          fail (w, error, BOUGH_ERROR_UNIQUE, "id", "a node with this id already exists");
          return NULL;
        }
    }

  if ((!w->searched && !compute_derived (w, error)) || !check_unique (w, error))
    return NULL;
  /* every check before the first write: see call_begin() */
  {
    GHashTableIter iter;
    RelInput *r;
    g_hash_table_iter_init (&iter, w->rels);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &r))
      {
        g_autoptr(GPtrArray) ids = g_ptr_array_new ();
        for (guint i = 0; i < r->peers->len; i++)
          g_ptr_array_add (ids, ((PeerInput *) g_ptr_array_index (r->peers, i))->id);
        if (!check_reverse_one (w, r->rel, ids, r->rows, error))
          return NULL;
      }
    w->rels_checked = TRUE;
  }
  if (!write_node_version (w, BOUGH_ROW_ACTIVE, error) || !rels_change (w, error))
    return NULL;
  count_change (txn, "created", ns->kind, w->uuid);
  return finish_node (w);
}

/* Does a path of @ns ("rel__attr__value") read one of @changed (attribute
 * names) through relationship @relname? */
static gboolean
paths_use_rel (BoughNodeSchema *ns,
               const char      *relname,
               GPtrArray       *changed)
{
  for (guint c = 0; c < changed->len; c++)
    {
      g_autofree char *prefix = g_strconcat (relname, "__", (const char *) g_ptr_array_index (changed, c),
                                             "__", NULL);

      for (guint i = 0; ns->human_friendly_id != NULL && ns->human_friendly_id[i] != NULL; i++)
        if (g_str_has_prefix (ns->human_friendly_id[i], prefix))
          return TRUE;
      for (guint i = 0; ns->display_labels != NULL && ns->display_labels[i] != NULL; i++)
        if (g_str_has_prefix (ns->display_labels[i], prefix))
          return TRUE;
      if (ns->display_label != NULL && strstr (ns->display_label, prefix) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* After @w changed its attributes, peers whose hfid or display label are
 * computed through their link to it are computed again. */
static gboolean
refresh_dependents (NodeWork  *w,
                    GError   **error)
{
  BoughTxn *txn = w->txn;
  g_autoptr(JsonObject) old = _bough_row_attrs (w->ns, w->current);
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  g_autoptr(GList) names = json_object_get_members (w->attrs);

  /* the attributes whose value changed */
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *a = json_object_get_object_member (w->attrs, l->data);
      JsonObject *b = json_object_has_member (old, l->data) ? json_object_get_object_member (old, l->data) : NULL;
      JsonNode *va = a != NULL && json_object_has_member (a, "value") ? json_object_get_member (a, "value") : NULL;
      JsonNode *vb = b != NULL && json_object_has_member (b, "value") ? json_object_get_member (b, "value") : NULL;
      if ((va == NULL) != (vb == NULL) || (va != NULL && !json_node_equal (va, vb)))
        g_ptr_array_add (changed, l->data);
    }
  if (changed->len == 0)
    return TRUE;

  for (guint k = 0; k < w->ns->relationships->len; k++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (w->ns->relationships, k);
      g_autoptr(GPtrArray) impl = bough_schema_get_implementors (txn->schema, rel->peer);
      g_autoptr(GPtrArray) links = NULL;
      g_autoptr(GPtrArray) ids = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      gboolean needed = FALSE;

      for (guint i = 0; impl != NULL && i < impl->len && !needed; i++)
        {
          BoughNodeSchema *pns = g_ptr_array_index (impl, i);
          BoughRelationshipSchema *rev = pns->is_generic ? NULL : reverse_rel (txn->schema, pns->kind, rel);
          needed = rev != NULL && paths_use_rel (pns, rev->name, changed);
        }
      if (!needed)
        continue;

      if ((links = current_links (txn, w->uuid, rel, error)) == NULL)
        return FALSE;
      ids = g_ptr_array_new ();
      rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
      for (guint i = 0; i < links->len; i++)
        g_ptr_array_add (ids, (gpointer) link_far (g_ptr_array_index (links, i), w->uuid));
      if (!D (txn)->fetch_nodes (txn->conn, &txn->view, NULL, ids, rows, error))
        return FALSE;
      while (rows->len > 0)
        {
          BoughNodeRow *peer = g_ptr_array_steal_index_fast (rows, rows->len - 1);
          BoughNodeSchema *pns = bough_schema_lookup (txn->schema, peer->kind);
          BoughRelationshipSchema *rev = pns ? reverse_rel (txn->schema, peer->kind, rel) : NULL;
          g_autoptr(NodeWork) pw = NULL;

          if (rev == NULL || !paths_use_rel (pns, rev->name, changed))
            {
              bough_node_row_free (peer);
              continue;
            }
          pw = node_work_new (txn, pns);
          pw->uuid = g_strdup (peer->uuid);
          pw->current = peer;
          pw->attrs = _bough_row_attrs (pns, peer);
          if (!compute_derived (pw, error))
            return FALSE;
          if (g_strcmp0 (pw->hfid, peer->hfid) == 0 && g_strcmp0 (pw->label, peer->label) == 0)
            continue;
          if (!check_unique (pw, error) || !write_node_version (pw, BOUGH_ROW_ACTIVE, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* takes @current */
static BoughNode *
do_update (BoughTxn         *txn,
           BoughNodeSchema  *ns,
           BoughNodeRow     *current,
           JsonObject       *data,
           GError          **error)
{
  g_autoptr(NodeWork) w = node_work_new (txn, ns);
  gboolean derived_changed;
  gboolean lookups_changed;
  guint n_before;

  w->uuid = g_strdup (current->uuid);
  w->current = current;
  if (!ensure_savepoint (txn, error))
    return NULL;
  if (!prepare (w, data, FALSE, error))
    return NULL;
  if (!compute_derived (w, error))
    return NULL;
  derived_changed = g_strcmp0 (w->hfid, current->hfid) != 0 || g_strcmp0 (w->label, current->label) != 0;
  lookups_changed = derived_changed || w->changed;
  if (!lookups_changed && rels_feed_constraints (w))
    {
      /* the lookups as they are, from the current attributes and peers */
      g_autoptr(NodeWork) before = node_work_new (txn, ns);
      before->uuid = g_strdup (current->uuid);
      before->current = node_row_copy (current);
      before->attrs = _bough_row_attrs (ns, current);
      if (!compute_derived (before, error))
        return NULL;
      lookups_changed = !lookup_sets_equal (before->lookups, w->lookups);
    }
  if (lookups_changed && !check_unique (w, error))
    return NULL;
  if ((w->changed || lookups_changed) && !write_node_version (w, BOUGH_ROW_ACTIVE, error))
    return NULL;
  if (w->changed && !refresh_dependents (w, error))
    return NULL;
  n_before = txn->n_writes;
  if (!rels_change (w, error))
    return NULL;
  if (w->changed || lookups_changed || txn->n_writes != n_before)
    count_change (txn, "updated", ns->kind, w->uuid);
  return finish_node (w);
}

/* ---- finding nodes ---- */

/* The visible node of @kind named by @ref ({"id"} or {"hfid"}); NULL with
 * no error when it does not exist. */
static BoughNodeRow *
find_by_ref_full (BoughTxn    *txn,
                  const char  *kind,
                  JsonObject  *ref,
                  char       **free_hfid,
                  GError     **error)
{
  g_auto(GStrv) kinds = _bough_schema_kinds (txn->schema, kind);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  JsonNode *idn = json_object_has_member (ref, "id") ? json_object_get_member (ref, "id") : NULL;
  JsonNode *hfidn = json_object_has_member (ref, "hfid") ? json_object_get_member (ref, "hfid") : NULL;

  if (idn != NULL && !JSON_NODE_HOLDS_NULL (idn))
    {
      if (!JSON_NODE_HOLDS_VALUE (idn) || json_node_get_value_type (idn) != G_TYPE_STRING)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "%s: id must be a string", kind);
          return NULL;
        }
      g_ptr_array_add (ids, g_strdup (json_node_get_string (idn)));
    }
  else if (hfidn != NULL && JSON_NODE_HOLDS_ARRAY (hfidn))
    {
      g_autofree char *text = _bough_json_text (hfidn);
      g_auto(GStrv) parts = _bough_strv_from_json (text);
      g_autofree char *value = _bough_strv_json ((const char * const *) parts);
      if (!D (txn)->find_lookup (txn->conn, &txn->view, kinds, "hfid", value, ids, error))
        return NULL;
      /* nothing has this hfid: a create that follows need not look again */
      if (ids->len == 0 && free_hfid != NULL)
        *free_hfid = g_steal_pointer (&value);
    }
  else
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "%s: an id or an hfid is required", kind);
      return NULL;
    }
  if (ids->len == 0)
    return NULL;
  if (!D (txn)->fetch_nodes (txn->conn, &txn->view, kinds, ids, rows, error))
    return NULL;
  if (rows->len == 0)
    return NULL;
  if (!_bough_store_merge_packs (txn->store, txn->conn, txn->schema, &txn->view, rows, error))
    return NULL;
  return g_ptr_array_steal_index (rows, 0);
}

static BoughNodeRow *
find_by_ref (BoughTxn    *txn,
             const char  *kind,
             JsonObject  *ref,
             GError     **error)
{
  return find_by_ref_full (txn, kind, ref, NULL, error);
}

static char *
ref_desc (const char *kind,
          JsonObject *ref)
{
  JsonNode *n = json_object_has_member (ref, "id") ? json_object_get_member (ref, "id")
              : json_object_has_member (ref, "hfid") ? json_object_get_member (ref, "hfid") : NULL;
  g_autofree char *text = n ? _bough_json_text (n) : g_strdup ("?");
  return g_strdup_printf ("%s %s", kind, text);
}

static BoughNodeRow *
require_by_ref (BoughTxn    *txn,
                const char  *kind,
                JsonObject  *ref,
                GError     **error)
{
  GError *local_error = NULL;
  BoughNodeRow *row = find_by_ref (txn, kind, ref, &local_error);

  if (row == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        {
          g_autofree char *desc = ref_desc (kind, ref);
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "%s not found", desc);
        }
    }
  return row;
}

/* ---- calls: one savepoint each ---- */

/* A call opens its savepoint only when it may fail after writing (update,
 * delete, relationship edits); a create checks everything before its first
 * write, so only a storage error can interrupt it, and that breaks the
 * transaction instead. */
static gboolean
call_begin (BoughTxn  *txn,
            guint     *n_writes,
            GError   **error)
{
  if (txn->broken)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "An earlier write of this transaction failed half-way; the transaction must be dropped");
      return FALSE;
    }
  *n_writes = txn->n_writes;
  g_ptr_array_set_size (txn->pending, 0);
  _bough_txn_events_call_end (txn, FALSE);
  txn->sp_open = FALSE;
  txn->call_wrote = FALSE;
  return TRUE;
}

static gboolean
ensure_savepoint (BoughTxn  *txn,
                  GError   **error)
{
  if (txn->sp_open)
    return TRUE;
  if (!D (txn)->savepoint (txn->conn, error))
    return FALSE;
  txn->sp_open = TRUE;
  return TRUE;
}

static gboolean
call_end (BoughTxn  *txn,
          gboolean   ok,
          guint      n_writes,
          GError   **error)
{
  if (ok && txn->sp_open && !D (txn)->release_savepoint (txn->conn, error))
    ok = FALSE;
  if (!ok)
    {
      /* a failed call leaves nothing behind: the transaction goes on */
      if (txn->sp_open)
        D (txn)->rollback_savepoint (txn->conn);
      else if (txn->call_wrote)
        txn->broken = TRUE;
      txn->sp_open = FALSE;
      g_hash_table_remove_all (txn->peer_rows);
      g_hash_table_remove_all (txn->peer_attrs);
      g_hash_table_remove_all (txn->hfid_ids);
      txn->n_writes = n_writes;
      g_ptr_array_set_size (txn->pending, 0);
      _bough_txn_events_call_end (txn, FALSE);
      return FALSE;
    }
  _bough_txn_events_call_end (txn, TRUE);
  for (guint i = 0; i < txn->pending->len; i++)
    {
      char *key = g_ptr_array_index (txn->pending, i);
      gpointer orig, n;

      /* counted under the key already there, or under the pending one
       * taken over: no copy per call */
      if (g_hash_table_steal_extended (txn->summary, key, &orig, &n))
        g_hash_table_insert (txn->summary, orig, GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
      else
        {
          g_hash_table_insert (txn->summary, key, GUINT_TO_POINTER (1));
          txn->pending->pdata[i] = NULL;
        }
    }
  g_ptr_array_set_size (txn->pending, 0);
  txn->sp_open = FALSE;
  return TRUE;
}

#define CHECK_TXN(txn, val)                                   \
  G_STMT_START {                                              \
    g_return_val_if_fail ((txn) != NULL, (val));              \
    g_return_val_if_fail (!(txn)->done, (val));               \
    g_return_val_if_fail (error == NULL || *error == NULL, (val)); \
  } G_STMT_END

/**
 * bough_txn_create:
 * @txn: a transaction
 * @kind: a node kind
 * @data: the mutation input (`{"name": {"value": …}, "site": {"id": …}, …}`);
 *   an "id" may be given
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new node, or %NULL with @error set and
 *   nothing written
 */
BoughNode *
bough_txn_create (BoughTxn    *txn,
                  const char  *kind,
                  JsonObject  *data,
                  GError     **error)
{
  BoughNodeSchema *ns;
  BoughNode *node = NULL;
  guint n;

  CHECK_TXN (txn, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if ((ns = node_kind (txn, kind, error)) == NULL)
    return NULL;
  if (!call_begin (txn, &n, error))
    return NULL;
  node = do_create (txn, ns, data, NULL, NULL, error);
  if (!call_end (txn, node != NULL, n, node != NULL ? error : NULL))
    g_clear_pointer (&node, bough_node_unref);
  return node;
}

/**
 * bough_txn_update:
 * @txn: a transaction
 * @kind: the node's kind (or a generic it implements)
 * @data: the mutation input with "id" or "hfid"; a many relationship given
 *   replaces the whole peer set
 * @error: return location for a #GError
 *
 * An update that changes nothing writes nothing.
 *
 * Returns: (transfer full): the node after the update
 */
BoughNode *
bough_txn_update (BoughTxn    *txn,
                  const char  *kind,
                  JsonObject  *data,
                  GError     **error)
{
  BoughNodeRow *row;
  BoughNode *node = NULL;
  guint n;

  CHECK_TXN (txn, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (bough_schema_lookup (txn->schema, kind) == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Unknown kind “%s”", kind);
      return NULL;
    }
  if (!call_begin (txn, &n, error))
    return NULL;
  row = require_by_ref (txn, kind, data, error);
  if (row != NULL)
    node = do_update (txn, bough_schema_lookup (txn->schema, row->kind), row, data, error);
  if (!call_end (txn, node != NULL, n, node != NULL ? error : NULL))
    g_clear_pointer (&node, bough_node_unref);
  return node;
}

/* Checks that a leniently prepared node is complete enough to be created. */
static gboolean
check_complete (NodeWork  *w,
                GError   **error)
{
  BoughNodeSchema *ns = w->ns;

  for (guint i = 0; i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (ns->attributes, i);
      JsonObject *entry = json_object_has_member (w->attrs, attr->name)
                        ? json_object_get_object_member (w->attrs, attr->name) : NULL;
      if (!attr->optional && entry_value_is_null (entry))
        return fail (w, error, BOUGH_ERROR_CONSTRAINT, attr->name, "the attribute is mandatory");
    }
  for (guint i = 0; i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, i);
      RelInput *r = g_hash_table_lookup (w->rels, rel->name);
      if (!check_rel_count (w, rel, r ? r->peers->len : 0, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * bough_txn_upsert:
 * @txn: a transaction
 * @kind: a node kind
 * @data: the mutation input
 * @created: (out) (optional): whether the node was created
 * @error: return location for a #GError
 *
 * Updates the node named by "id" or "hfid" in @data, else the node with the
 * same hfid or uniqueness constraint values, else creates it. Upserting the
 * same data twice writes nothing the second time.
 *
 * Returns: (transfer full): the node
 */
BoughNode *
bough_txn_upsert (BoughTxn    *txn,
                  const char  *kind,
                  JsonObject  *data,
                  gboolean    *created,
                  GError     **error)
{
  BoughNodeSchema *ns;
  BoughNode *node = NULL;
  BoughNodeRow *row = NULL;
  g_autoptr(NodeWork) w = NULL;
  GError *local_error = NULL;
  JsonNode *idn, *hfidn;
  g_autofree char *free_hfid = NULL;
  guint n;

  CHECK_TXN (txn, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (created)
    *created = FALSE;
  if ((ns = node_kind (txn, kind, error)) == NULL)
    return NULL;
  if (!call_begin (txn, &n, error))
    return NULL;

  idn = json_object_has_member (data, "id") ? json_object_get_member (data, "id") : NULL;
  hfidn = json_object_has_member (data, "hfid") ? json_object_get_member (data, "hfid") : NULL;
  if ((idn != NULL && !JSON_NODE_HOLDS_NULL (idn)) || (hfidn != NULL && JSON_NODE_HOLDS_ARRAY (hfidn)))
    row = find_by_ref_full (txn, kind, data, &free_hfid, &local_error);
  else
    {
      /* find it by the values that identify it: hfid, then constraints */
      w = node_work_new (txn, ns);
      w->uuid = _bough_uuid_new ();
      if (prepare (w, data, TRUE, &local_error) && compute_derived (w, &local_error))
        {
          char *kinds[2] = { ns->kind, NULL };
          gboolean all_free = TRUE;
          for (guint pass = 0; pass < 2 && row == NULL && local_error == NULL; pass++)
            for (guint i = 0; i < w->lookups->len && row == NULL && local_error == NULL; i++)
              {
                BoughLookup *l = g_ptr_array_index (w->lookups, i);
                g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
                g_autoptr(JsonObject) ref = NULL;

                if ((pass == 0) != g_str_equal (l->key, "hfid") ||
                    (pass == 1 && !g_str_has_prefix (l->key, "uc:")))
                  continue;
                if (!D (txn)->find_lookup (txn->conn, &txn->view, kinds, l->key, l->value, found,
                                           &local_error) || found->len == 0)
                  continue;
                all_free = FALSE;
                ref = json_object_new ();
                json_object_set_string_member (ref, "id", g_ptr_array_index (found, 0));
                row = find_by_ref (txn, kind, ref, &local_error);
              }
          /* what was searched for is free: creating need not look again */
          w->searched = all_free && local_error == NULL;
        }
    }

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (row != NULL)
    node = do_update (txn, bough_schema_lookup (txn->schema, row->kind), row, data, error);
  else if (w != NULL)
    {
      if (check_complete (w, error))
        {
          node = do_create (txn, ns, data, g_steal_pointer (&w), NULL, error);
          if (node != NULL && created)
            *created = TRUE;
        }
    }
  else
    {
      node = do_create (txn, ns, data, NULL, g_steal_pointer (&free_hfid), error);
      if (node != NULL && created)
        *created = TRUE;
    }

  if (!call_end (txn, node != NULL, n, node != NULL ? error : NULL))
    {
      g_clear_pointer (&node, bough_node_unref);
      if (created)
        *created = FALSE;
    }
  return node;
}

/* ---- delete ---- */

static gboolean
linked_rows (BoughTxn                 *txn,
             const char               *uuid,
             BoughRelationshipSchema  *rel,
             GPtrArray               **out_links,
             GPtrArray               **out_rows,
             GError                  **error)
{
  g_autoptr(GPtrArray) links = current_links (txn, uuid, rel, error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);

  if (links == NULL)
    return FALSE;
  for (guint i = 0; i < links->len; i++)
    g_ptr_array_add (ids, (gpointer) link_far (g_ptr_array_index (links, i), uuid));
  if (!D (txn)->fetch_nodes (txn->conn, &txn->view, NULL, ids, rows, error))
    return FALSE;
  if (out_links)
    *out_links = g_steal_pointer (&links);
  *out_rows = g_steal_pointer (&rows);
  return TRUE;
}

static gboolean
do_delete (BoughTxn      *txn,
           BoughNodeRow  *first,
           GError       **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);

  g_ptr_array_add (order, first);
  if (!ensure_savepoint (txn, error))
    return FALSE;
  g_hash_table_add (set, first->uuid);

  /* the nodes deleted with it (on_delete: cascade), transitively */
  for (guint i = 0; i < order->len; i++)
    {
      BoughNodeRow *row = g_ptr_array_index (order, i);
      BoughNodeSchema *ns = bough_schema_lookup (txn->schema, row->kind);

      for (guint k = 0; ns != NULL && k < ns->relationships->len; k++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, k);
          g_autoptr(GPtrArray) rows = NULL;

          if (rel->on_delete != BOUGH_ON_DELETE_CASCADE)
            continue;
          if (!linked_rows (txn, row->uuid, rel, NULL, &rows, error))
            return FALSE;
          while (rows->len > 0)
            {
              BoughNodeRow *peer = g_ptr_array_steal_index (rows, 0);
              if (g_hash_table_contains (set, peer->uuid))
                {
                  bough_node_row_free (peer);
                  continue;
                }
              g_hash_table_add (set, peer->uuid);
              g_ptr_array_add (order, peer);
            }
        }
    }

  /* no node left behind without the peer its mandatory relationship needs */
  for (guint i = 0; i < order->len; i++)
    {
      BoughNodeRow *row = g_ptr_array_index (order, i);
      BoughNodeSchema *ns = bough_schema_lookup (txn->schema, row->kind);

      for (guint k = 0; ns != NULL && k < ns->relationships->len; k++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, k);
          g_autoptr(GPtrArray) rows = NULL;

          if (!linked_rows (txn, row->uuid, rel, NULL, &rows, error))
            return FALSE;
          for (guint j = 0; j < rows->len; j++)
            {
              BoughNodeRow *peer = g_ptr_array_index (rows, j);
              BoughRelationshipSchema *rev = reverse_rel (txn->schema, peer->kind, rel);

              if (g_hash_table_contains (set, peer->uuid) || rev == NULL ||
                  rev->cardinality != BOUGH_CARDINALITY_ONE || rev->optional)
                continue;
              {
                g_autoptr(NodeWork) w = node_work_new (txn, ns);
                w->uuid = g_strdup (row->uuid);
                w->current = node_row_copy (row);
                return fail (w, error, BOUGH_ERROR_CONSTRAINT, rel->name,
                             "cannot delete: it is the mandatory “%s” of %s %s",
                             rev->name, peer->kind, peer->uuid);
              }
            }
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      BoughNodeRow *row = g_ptr_array_index (order, i);
      BoughNodeSchema *ns = bough_schema_lookup (txn->schema, row->kind);
      g_autoptr(NodeWork) w = NULL;

      if (ns == NULL)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, "%s %s: its kind is not in the schema",
                       row->kind, row->uuid);
          return FALSE;
        }
      w = node_work_new (txn, ns);
      w->uuid = g_strdup (row->uuid);
      w->current = node_row_copy (row);
      w->attrs = _bough_row_attrs (ns, row);
      if (!write_node_version (w, BOUGH_ROW_DELETED, error))
        return FALSE;
      for (guint k = 0; k < ns->relationships->len; k++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, k);
          g_autoptr(GPtrArray) links = current_links (txn, row->uuid, rel, error);
          if (links == NULL)
            return FALSE;
          for (guint j = 0; j < links->len; j++)
            if (!remove_link (txn, rel, g_ptr_array_index (links, j), row->uuid, error))
              return FALSE;
        }
      count_change (txn, "deleted", row->kind, row->uuid);
    }
  return TRUE;
}

/**
 * bough_txn_delete:
 * @txn: a transaction
 * @kind: the node's kind (or a generic it implements)
 * @ref: {"id": …} or {"hfid": […]}
 * @error: return location for a #GError
 *
 * Deletes the node, the nodes its cascading relationships reach, and every
 * link of those nodes. Refused when another node would lose the peer of a
 * mandatory cardinality-one relationship.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_txn_delete (BoughTxn    *txn,
                  const char  *kind,
                  JsonObject  *ref,
                  GError     **error)
{
  BoughNodeRow *row;
  gboolean ok = FALSE;
  guint n;

  CHECK_TXN (txn, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (ref != NULL, FALSE);

  if (bough_schema_lookup (txn->schema, kind) == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Unknown kind “%s”", kind);
      return FALSE;
    }
  if (!call_begin (txn, &n, error))
    return FALSE;
  row = require_by_ref (txn, kind, ref, error);
  if (row != NULL)
    ok = do_delete (txn, row, error);
  return call_end (txn, ok, n, ok ? error : NULL);
}

/* ---- relationship edits ---- */

static gboolean
rel_edit (BoughTxn    *txn,
          const char  *node_id,
          const char  *relationship,
          JsonArray   *peers,
          gboolean     add,
          GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  g_autoptr(NodeWork) w = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GHashTable) existing = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  g_autoptr(JsonNode) input = json_node_new (JSON_NODE_ARRAY);
  BoughNodeSchema *ns;
  BoughRelationshipSchema *rel;
  RelInput *r;
  guint count;

  if (!ensure_savepoint (txn, error))
    return FALSE;
  g_ptr_array_add (ids, (gpointer) node_id);
  if (!D (txn)->fetch_nodes (txn->conn, &txn->view, NULL, ids, rows, error))
    return FALSE;
  if (rows->len == 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Node %s not found", node_id);
      return FALSE;
    }
  ns = bough_schema_lookup (txn->schema, ((BoughNodeRow *) g_ptr_array_index (rows, 0))->kind);
  if (ns == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, "Node %s: its kind is not in the schema", node_id);
      return FALSE;
    }
  w = node_work_new (txn, ns);
  w->uuid = g_strdup (node_id);
  w->current = g_ptr_array_steal_index (rows, 0);
  w->attrs = _bough_row_attrs (ns, w->current);

  rel = bough_node_schema_get_relationship (ns, relationship);
  if (rel == NULL)
    return fail (w, error, BOUGH_ERROR_INVALID, relationship, "%s has no such relationship", ns->kind);
  if (rel->cardinality != BOUGH_CARDINALITY_MANY)
    return fail (w, error, BOUGH_ERROR_INVALID, relationship,
                 "peers are added and removed only on relationships of cardinality many");
  if (rel->read_only && !txn->internal)
    return fail (w, error, BOUGH_ERROR_INVALID, relationship, "the relationship is read-only");

  json_node_set_array (input, peers);
  r = resolve_rel_input (w, rel, input, error);
  if (r == NULL)
    return FALSE;
  g_hash_table_insert (w->rels, rel->name, r);
  links = current_links (txn, node_id, rel, error);
  if (links == NULL)
    return FALSE;
  for (guint i = 0; i < links->len; i++)
    {
      BoughRelRow *link = g_ptr_array_index (links, i);
      g_hash_table_insert (existing, (gpointer) link_far (link, node_id), link);
    }

  count = links->len;
  if (add)
    {
      for (guint i = 0; i < r->peers->len; i++)
        {
          PeerInput *p = g_ptr_array_index (r->peers, i);
          if (!g_hash_table_contains (existing, p->id))
            g_ptr_array_add (added, p->id);
        }
      count += added->len;
      if (!check_rel_count (w, rel, count, error) ||
          !check_reverse_one (w, rel, added, r->rows, error))
        return FALSE;
      for (guint i = 0; i < r->peers->len; i++)
        {
          PeerInput *p = g_ptr_array_index (r->peers, i);
          if (!g_hash_table_contains (existing, p->id) &&
              !add_link (txn, rel, node_id, p->id, p->props, error))
            return FALSE;
        }
    }
  else
    {
      g_autoptr(GPtrArray) removed = g_ptr_array_new ();
      for (guint i = 0; i < r->peers->len; i++)
        {
          PeerInput *p = g_ptr_array_index (r->peers, i);
          if (g_hash_table_contains (existing, p->id))
            {
              count--;
              g_ptr_array_add (removed, p->id);
            }
        }
      if (!check_rel_count (w, rel, count, error) ||
          !check_reverse_mandatory (w, rel, removed, error))
        return FALSE;
      for (guint i = 0; i < r->peers->len; i++)
        {
          PeerInput *p = g_ptr_array_index (r->peers, i);
          BoughRelRow *link = g_hash_table_lookup (existing, p->id);
          if (link != NULL && !remove_link (txn, rel, link, node_id, error))
            return FALSE;
        }
    }
  count_change (txn, "updated", ns->kind, node_id);
  return TRUE;
}

/**
 * bough_txn_relationship_add:
 * @txn: a transaction
 * @node_id: the node
 * @relationship: a relationship of cardinality many of the node
 * @peers: peers as {"id"} or {"hfid"} (with optional _relation__ properties)
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
bough_txn_relationship_add (BoughTxn    *txn,
                            const char  *node_id,
                            const char  *relationship,
                            JsonArray   *peers,
                            GError     **error)
{
  gboolean ok;
  guint n;

  CHECK_TXN (txn, FALSE);
  g_return_val_if_fail (node_id != NULL, FALSE);
  g_return_val_if_fail (relationship != NULL, FALSE);
  g_return_val_if_fail (peers != NULL, FALSE);

  if (!call_begin (txn, &n, error))
    return FALSE;
  ok = rel_edit (txn, node_id, relationship, peers, TRUE, error);
  return call_end (txn, ok, n, ok ? error : NULL);
}

/**
 * bough_txn_relationship_remove:
 * @txn: a transaction
 * @node_id: the node
 * @relationship: a relationship of cardinality many of the node
 * @peers: peers as {"id"} or {"hfid"}
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
bough_txn_relationship_remove (BoughTxn    *txn,
                               const char  *node_id,
                               const char  *relationship,
                               JsonArray   *peers,
                               GError     **error)
{
  gboolean ok;
  guint n;

  CHECK_TXN (txn, FALSE);
  g_return_val_if_fail (node_id != NULL, FALSE);
  g_return_val_if_fail (relationship != NULL, FALSE);
  g_return_val_if_fail (peers != NULL, FALSE);

  if (!call_begin (txn, &n, error))
    return FALSE;
  ok = rel_edit (txn, node_id, relationship, peers, FALSE, error);
  return call_end (txn, ok, n, ok ? error : NULL);
}

/* ---- transactions ---- */

/**
 * bough_store_begin:
 * @self: a store
 * @branch: (nullable): the branch written, %NULL for the default branch
 * @account: (nullable): who commits
 * @error: return location for a #GError
 *
 * Starts the one write transaction of the store (others wait for it). Its
 * writes get one commit stamp. A transaction may move between threads but
 * must not be used by two at once.
 *
 * Returns: (transfer full): the transaction
 */
BoughTxn *
bough_store_begin (BoughStore  *self,
                   const char  *branch,
                   const char  *account,
                   GError     **error)
{
  BoughTxn *txn;
  BoughReadView view;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (branch == NULL)
    branch = BOUGH_DEFAULT_BRANCH;
  if (!_bough_store_make_view (self, branch, 0, &view, error))
    return NULL;

  txn = g_new0 (BoughTxn, 1);
  txn->store = bough_store_ref (self);
  txn->branch = g_strdup (view.branch);
  txn->account = g_strdup (account);
  txn->view = view;
  txn->view.branch = txn->branch;
  txn->summary = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  txn->pending = g_ptr_array_new_with_free_func (g_free);
  txn->peer_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) bough_node_row_free);
  txn->hfid_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  txn->peer_attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) json_object_unref);
  txn->conn = self->driver->writer_acquire (self->db);
  if (!self->driver->begin (txn->conn, error))
    {
      self->driver->writer_release (self->db, txn->conn);
      txn->conn = NULL;
      txn->done = TRUE;
      bough_txn_free (txn);
      return NULL;
    }
  /* the branch as it is now that this transaction holds the writer: it may
   * have been merged, deleted or rebased meanwhile */
  if (!view.is_default)
    {
      gint64 bf = 0;
      if (!_bough_store_check_writable (self, txn->conn, txn->branch, &bf, error))
        {
          bough_txn_free (txn);
          return NULL;
        }
      txn->view.main_at = bf;
    }
  txn->schema = _bough_store_current_schema (self, txn->conn, txn->branch, error);
  if (txn->schema == NULL)
    {
      bough_txn_free (txn);
      return NULL;
    }
  txn->stamp = _bough_store_next_stamp (self);
  return txn;
}

gint64
bough_txn_get_stamp (BoughTxn *txn)
{
  g_return_val_if_fail (txn != NULL, 0);
  return txn->stamp;
}

/**
 * bough_txn_set_internal:
 * @txn: a transaction
 * @internal: whether the server itself writes
 *
 * Lets the transaction write read-only attributes and relationships
 * (computed values); user-facing paths never set it.
 */
void
bough_txn_set_internal (BoughTxn *txn,
                        gboolean  internal)
{
  g_return_if_fail (txn != NULL);
  txn->internal = !!internal;
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
txn_summary (BoughTxn *txn)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key_ptr;

  g_hash_table_iter_init (&iter, txn->summary);
  while (g_hash_table_iter_next (&iter, &key_ptr, NULL))
    g_ptr_array_add (keys, key_ptr);
  g_ptr_array_sort (keys, compare_strings);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const char *space = strchr (key, ' ');
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (txn->summary, key));
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_len (out, key, space - key);
      g_string_append_printf (out, " %u%s", n, space);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * bough_txn_commit:
 * @txn: a transaction
 * @error: return location for a #GError
 *
 * Commits; when it returns %TRUE the writes are on disk. A transaction that
 * wrote nothing records no commit.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_txn_commit (BoughTxn  *txn,
                  GError   **error)
{
  BoughStore *self;
  gboolean ok = TRUE;

  CHECK_TXN (txn, FALSE);

  self = txn->store;
  if (txn->broken)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "A write of this transaction failed half-way; it was rolled back");
      ok = FALSE;
    }
  else if (txn->n_writes > 0)
    {
      g_autofree char *summary = txn_summary (txn);
      ok = _bough_txn_events_write (txn, error) &&
           self->driver->insert_commit (txn->conn, txn->stamp, txn->branch, txn->account, summary, error);
    }
  if (ok)
    ok = self->driver->commit (txn->conn, error);
  if (!ok)
    self->driver->rollback (txn->conn);
  else if (txn->n_writes > 0)
    {
      _bough_store_committed (self, txn->stamp, txn->summary);
      if (_bough_txn_has_events (txn))
        _bough_store_events_committed (self, txn->conn);
    }
  txn->done = TRUE;
  self->driver->writer_release (self->db, txn->conn);
  txn->conn = NULL;
  return ok;
}

/**
 * bough_txn_free:
 * @txn: a transaction
 *
 * Frees the transaction, rolling it back when it was not committed.
 */
void
bough_txn_free (BoughTxn *txn)
{
  if (txn == NULL)
    return;
  if (!txn->done && txn->conn != NULL)
    {
      txn->store->driver->rollback (txn->conn);
      txn->store->driver->writer_release (txn->store->db, txn->conn);
    }
  g_clear_pointer (&txn->schema, bough_schema_unref);
  g_hash_table_unref (txn->summary);
  g_ptr_array_unref (txn->pending);
  g_hash_table_unref (txn->peer_rows);
  g_hash_table_unref (txn->hfid_ids);
  g_hash_table_unref (txn->peer_attrs);
  _bough_txn_events_free (txn);
  g_free (txn->branch);
  g_free (txn->account);
  bough_store_unref (txn->store);
  g_free (txn);
}
