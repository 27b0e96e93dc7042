/* bough-store-events.c: the events of the store (bough-store-events.h):
 * what a transaction notes while it writes, the rows written at its commit,
 * and the events read back with their payloads.
 *
 * A transaction notes each node it creates, updates or deletes and each link
 * it makes or removes, per call: a call that fails drops its notes with its
 * writes. At commit the notes of one node become one event (created then
 * updated is created), written as one row with no changelog; links of
 * groups' members also become group events. Reading an event rebuilds the
 * changelog from the node as of the commit and just before it.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-store-events.h"
#include "bough-store-internal.h"

#define D(txn) ((txn)->store->driver)

static const char * const type_names[BOUGH_EVENT_LAST] = {
  [BOUGH_EVENT_NONE] = NULL,
  [BOUGH_EVENT_NODE_CREATED] = "infrahub.node.created",
  [BOUGH_EVENT_NODE_UPDATED] = "infrahub.node.updated",
  [BOUGH_EVENT_NODE_DELETED] = "infrahub.node.deleted",
  [BOUGH_EVENT_BRANCH_CREATED] = "infrahub.branch.created",
  [BOUGH_EVENT_BRANCH_DELETED] = "infrahub.branch.deleted",
  [BOUGH_EVENT_BRANCH_MERGED] = "infrahub.branch.merged",
  [BOUGH_EVENT_BRANCH_REBASED] = "infrahub.branch.rebased",
  [BOUGH_EVENT_SCHEMA_UPDATED] = "infrahub.schema.updated",
  [BOUGH_EVENT_GROUP_MEMBER_ADDED] = "infrahub.group.member_added",
  [BOUGH_EVENT_GROUP_MEMBER_REMOVED] = "infrahub.group.member_removed",
};

const char *
bough_event_type_to_string (BoughEventType type)
{
  if (type <= BOUGH_EVENT_NONE || type >= BOUGH_EVENT_LAST)
    return "undefined";
  return type_names[type];
}

BoughEventType
bough_event_type_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, BOUGH_EVENT_NONE);

  for (guint i = 1; i < BOUGH_EVENT_LAST; i++)
    if (g_str_equal (type_names[i], name))
      return i;
  return BOUGH_EVENT_NONE;
}

/* ---- ids ---- */

/* The UUID (version 8, RFC 9562) of an event: its stamp in the 52 bits
 * around the version nibble, its seq in the 62 bits after the variant, so
 * that ids need no column and name their row. */
char *
bough_event_id_from_seq (gint64 stamp,
                         gint64 seq)
{
  guint64 s = (guint64) stamp;
  guint64 q = (guint64) seq;

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%012" G_GINT64_MODIFIER "x",
                          (guint) ((s >> 20) & 0xffffffff),
                          (guint) ((s >> 4) & 0xffff),
                          (guint) (0x8000 | ((s & 0xf) << 8)),
                          (guint) (0x8000 | ((q >> 48) & 0x3fff)),
                          (guint64) (q & G_GUINT64_CONSTANT (0xffffffffffff)));
}

/* The seq an event id names, 0 when it names none. */
gint64
bough_event_seq_from_id (const char *id)
{
  guint64 hi, lo;
  char buf[33];
  guint n = 0;

  if (id == NULL || !g_uuid_string_is_valid (id))
    return 0;
  for (const char *p = id; *p != '\0' && n < 32; p++)
    if (*p != '-')
      buf[n++] = g_ascii_tolower (*p);
  buf[n] = '\0';
  if (buf[12] != '8' || (g_ascii_xdigit_value (buf[16]) & 0xc) != 0x8)
    return 0;
  hi = g_ascii_strtoull (buf + 16, NULL, 16);
  lo = hi & G_GUINT64_CONSTANT (0x3fffffffffffffff);
  return lo > G_MAXINT64 ? 0 : (gint64) lo;
}

void
bough_event_free (BoughEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->id);
  g_free (event->branch);
  g_free (event->account_id);
  g_free (event->node_id);
  g_free (event->kind);
  g_free (event->parent_id);
  g_clear_pointer (&event->data, json_object_unref);
  g_clear_pointer (&event->related, json_array_unref);
  g_free (event);
}

BoughEventFilter *
bough_event_filter_new (void)
{
  BoughEventFilter *filter = g_new0 (BoughEventFilter, 1);

  filter->level = -1;
  filter->has_children = -1;
  filter->limit = -1;
  return filter;
}

void
bough_event_filter_free (BoughEventFilter *filter)
{
  if (filter == NULL)
    return;
  g_clear_pointer (&filter->types, g_array_unref);
  g_strfreev (filter->ids);
  g_strfreev (filter->node_ids);
  g_strfreev (filter->related_ids);
  g_strfreev (filter->parent_ids);
  g_strfreev (filter->branches);
  g_strfreev (filter->account_ids);
  g_strfreev (filter->kinds);
  g_strfreev (filter->merged_branches);
  g_strfreev (filter->rebased_branches);
  g_free (filter);
}

/* ---- notes of a transaction ---- */

typedef struct
{
  char        action;     /* 'c', 'u', 'd'; 0: a link note */
  char       *uuid;
  char       *kind;
  const char *rel;        /* link: the relationship's name (the schema's) */
  gboolean    members;    /* link: of a group's members */
  gboolean    group_side; /* link: uuid is the group */
  char       *peer;       /* link */
  gboolean    added;      /* link */
} EvNote;

typedef struct
{
  char       action;      /* 0 until the node's own note; 'x': nothing left to tell */
  char      *uuid;
  char      *kind;
  GString   *related;     /* JSON array text being built, NULL when no link changed */
} EvNode;

typedef struct
{
  BoughEventType type;
  char          *node;
  char          *kind;
  char          *payload;
  char          *related;
  gboolean       parent;  /* the node events of the commit hang under it */
} EvExtra;

struct _BoughTxnEvents
{
  GPtrArray  *pending;    /* EvNote of the running call */
  GHashTable *nodes;      /* uuid → EvNode */
  GPtrArray  *order;      /* EvNode, as first noted */
  GPtrArray  *links;      /* EvNote of groups' members, kept */
  GPtrArray  *extra;      /* EvExtra */
};

static void
ev_note_free (EvNote *n)
{
  if (n == NULL)
    return;
  g_free (n->uuid);
  g_free (n->kind);
  g_free (n->peer);
  g_free (n);
}

static void
ev_node_free (EvNode *n)
{
  g_free (n->uuid);
  g_free (n->kind);
  if (n->related != NULL)
    g_string_free (n->related, TRUE);
  g_free (n);
}

static void
ev_extra_free (EvExtra *e)
{
  g_free (e->node);
  g_free (e->kind);
  g_free (e->payload);
  g_free (e->related);
  g_free (e);
}

static BoughTxnEvents *
txn_events (BoughTxn *txn)
{
  if (txn->events == NULL)
    {
      BoughTxnEvents *ev = g_new0 (BoughTxnEvents, 1);

      ev->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) ev_note_free);
      ev->nodes = g_hash_table_new (g_str_hash, g_str_equal);
      ev->order = g_ptr_array_new_with_free_func ((GDestroyNotify) ev_node_free);
      ev->links = g_ptr_array_new_with_free_func ((GDestroyNotify) ev_note_free);
      ev->extra = g_ptr_array_new_with_free_func ((GDestroyNotify) ev_extra_free);
      txn->events = ev;
    }
  return txn->events;
}

void
_bough_txn_events_free (BoughTxn *txn)
{
  BoughTxnEvents *ev = txn->events;

  if (ev == NULL)
    return;
  g_ptr_array_unref (ev->pending);
  g_hash_table_unref (ev->nodes);
  g_ptr_array_unref (ev->order);
  g_ptr_array_unref (ev->links);
  g_ptr_array_unref (ev->extra);
  g_free (ev);
  txn->events = NULL;
}

static EvNode *
ev_node (BoughTxnEvents *ev,
         const char     *uuid)
{
  EvNode *n = g_hash_table_lookup (ev->nodes, uuid);

  if (n == NULL)
    {
      n = g_new0 (EvNode, 1);
      n->uuid = g_strdup (uuid);
      g_ptr_array_add (ev->order, n);
      g_hash_table_insert (ev->nodes, n->uuid, n);
    }
  return n;
}

static void
fold_action (EvNode     *n,
             char        action,
             const char *kind)
{
  if (n->kind == NULL && kind != NULL)
    n->kind = g_strdup (kind);
  switch (n->action)
    {
    case 0:
      n->action = action;
      break;
    case 'c':
      /* created then deleted in one commit: it was never seen */
      if (action == 'd')
        n->action = 'x';
      break;
    case 'u':
      if (action == 'd')
        n->action = 'd';
      break;
    case 'd':
    case 'x':
      if (action == 'c')
        n->action = 'u';
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
fold_note (BoughTxnEvents *ev,
           EvNote         *note)
{
  EvNode *n = ev_node (ev, note->uuid);

  if (note->action != 0)
    {
      fold_action (n, note->action, note->kind);
      return;
    }
  if (n->related == NULL)
    n->related = g_string_new ("[");
  else
    g_string_append_c (n->related, ',');
  g_string_append_c (n->related, '[');
  _bough_json_append_string (n->related, note->rel);
  g_string_append_c (n->related, ',');
  _bough_json_append_string (n->related, note->peer);
  g_string_append (n->related, note->added ? ",\"added\"]" : ",\"removed\"]");
}

void
_bough_txn_note_node (BoughTxn   *txn,
                      char        action,
                      const char *kind,
                      const char *uuid,
                      gboolean    direct)
{
  BoughTxnEvents *ev;

  if (txn->store->no_events)
    return;
  ev = txn_events (txn);

  if (direct)
    fold_action (ev_node (ev, uuid), action, kind);
  else
    {
      EvNote *note = g_new0 (EvNote, 1);

      note->action = action;
      note->uuid = g_strdup (uuid);
      note->kind = g_strdup (kind);
      g_ptr_array_add (ev->pending, note);
    }
}

void
_bough_txn_note_link (BoughTxn                *txn,
                      const char              *node,
                      BoughRelationshipSchema *rel,
                      const char              *peer,
                      gboolean                 added)
{
  BoughTxnEvents *ev;
  EvNote *note;

  if (txn->store->no_events)
    return;
  ev = txn_events (txn);
  note = g_new0 (EvNote, 1);

  note->uuid = g_strdup (node);
  note->rel = rel->name;
  note->peer = g_strdup (peer);
  note->added = added;
  note->members = g_strcmp0 (rel->identifier, "group_member") == 0;
  note->group_side = note->members && g_str_equal (rel->name, "members");
  g_ptr_array_add (ev->pending, note);
}

/* The end of a call: its notes are kept when it succeeded, dropped with its
 * writes when it failed. */
void
_bough_txn_events_call_end (BoughTxn *txn,
                            gboolean  ok)
{
  BoughTxnEvents *ev = txn->events;

  if (ev == NULL)
    return;
  if (ok)
    for (guint i = 0; i < ev->pending->len; i++)
      {
        EvNote *note = g_ptr_array_index (ev->pending, i);

        fold_note (ev, note);
        if (note->action == 0 && note->members)
          {
            g_ptr_array_add (ev->links, note);
            ev->pending->pdata[i] = NULL;
          }
      }
  g_ptr_array_set_size (ev->pending, 0);
}

void
_bough_txn_add_event_text (BoughTxn       *txn,
                           gint            type,
                           const char     *node,
                           const char     *kind,
                           const char     *payload,
                           const char     *related,
                           gboolean        parent)
{
  BoughTxnEvents *ev;
  EvExtra *e;

  if (txn->store->no_events)
    return;
  ev = txn_events (txn);
  e = g_new0 (EvExtra, 1);

  e->type = type;
  e->node = g_strdup (node);
  e->kind = g_strdup (kind);
  e->payload = g_strdup (payload);
  e->related = g_strdup (related);
  e->parent = parent;
  g_ptr_array_add (ev->extra, e);
}

/**
 * bough_txn_add_event:
 * @txn: a transaction
 * @type: the event's type
 * @node_id: (nullable): its primary node
 * @kind: (nullable): that node's kind
 * @data: (nullable): what to keep with it (a small object)
 *
 * Records an event that the transaction's commit writes with its changes.
 */
void
bough_txn_add_event (BoughTxn       *txn,
                     BoughEventType  type,
                     const char     *node_id,
                     const char     *kind,
                     JsonObject     *data)
{
  g_autofree char *text = NULL;

  g_return_if_fail (txn != NULL);
  g_return_if_fail (type > BOUGH_EVENT_NONE && type < BOUGH_EVENT_LAST);

  if (data != NULL)
    text = _bough_json_object_text (data);
  _bough_txn_add_event_text (txn, type, node_id, kind, text, NULL, FALSE);
  txn->n_writes++;
}

/* ---- writing at commit ---- */

typedef struct
{
  char      *group;
  gboolean   added;
  GPtrArray *members;   /* uuids */
} GroupChange;

static void
group_change_free (GroupChange *g)
{
  g_free (g->group);
  g_ptr_array_unref (g->members);
  g_free (g);
}

/* The kinds of @uuids as the transaction sees them. */
static gboolean
fetch_kinds (BoughTxn    *txn,
             GHashTable  *uuids,
             GHashTable  *out,
             GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, uuids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, key);
  if (ids->len == 0)
    return TRUE;
  if (!D (txn)->fetch_nodes (txn->conn, &txn->view, NULL, ids, rows, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      BoughNodeRow *row = g_ptr_array_index (rows, i);
      g_hash_table_replace (out, g_strdup (row->uuid), g_strdup (row->kind));
    }
  return TRUE;
}

static void
append_ref (GString    *out,
            const char *id,
            const char *kind)
{
  g_string_append (out, "{\"id\":");
  _bough_json_append_string (out, id);
  g_string_append (out, ",\"kind\":");
  if (kind != NULL)
    _bough_json_append_string (out, kind);
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');
}

/* The ancestors of group @uuid (closest first) through its parent links. */
static gboolean
group_ancestors (BoughTxn    *txn,
                 const char  *uuid,
                 const char  *kind,
                 GString     *out,
                 GError     **error)
{
  g_autofree char *current = g_strdup (uuid);
  g_autofree char *current_kind = g_strdup (kind);

  for (guint depth = 0; depth < 64; depth++)
    {
      BoughNodeSchema *ns = current_kind ? bough_schema_lookup (txn->schema, current_kind) : NULL;
      BoughRelationshipSchema *rel = ns ? bough_node_schema_get_relationship (ns, "parent") : NULL;
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();
      g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
      BoughRelRow *link;
      const char *far;

      if (rel == NULL)
        return TRUE;
      g_ptr_array_add (ids, current);
      if (!D (txn)->fetch_rels (txn->conn, &txn->view, rel->identifier, _bough_rel_side (rel), ids, links, error))
        return FALSE;
      if (links->len == 0)
        return TRUE;
      link = g_ptr_array_index (links, 0);
      far = g_str_equal (link->src, current) ? link->dst : link->src;
      g_ptr_array_set_size (ids, 0);
      g_ptr_array_add (ids, (gpointer) far);
      if (!D (txn)->fetch_nodes (txn->conn, &txn->view, NULL, ids, rows, error))
        return FALSE;
      if (rows->len == 0)
        return TRUE;
      if (out->len > 1)
        g_string_append_c (out, ',');
      g_free (current_kind);
      current_kind = g_strdup (((BoughNodeRow *) g_ptr_array_index (rows, 0))->kind);
      append_ref (out, far, current_kind);
      g_free (current);
      current = g_strdup (far);
    }
  return TRUE;
}

static gint64
write_row (BoughTxn        *txn,
           BoughEventType   type,
           const char      *node,
           const char      *kind,
           gint64           parent,
           gboolean         has_children,
           const char      *payload,
           const char      *related,
           GError         **error)
{
  BoughEventRow row = { 0 };

  row.stamp = txn->stamp;
  row.type = type;
  row.branch = txn->branch;
  row.node = (char *) node;
  row.kind = (char *) kind;
  row.parent = parent;
  row.flags = (has_children ? 1 : 0) | ((parent > 0 ? 1 : 0) << 1);
  row.payload = (char *) payload;
  row.related = (char *) related;
  return D (txn)->insert_event (txn->conn, &row, error);
}

static gboolean
write_group_events (BoughTxn    *txn,
                    gint64       parent,
                    GError     **error)
{
  BoughTxnEvents *ev = txn->events;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) group_change_free);
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < ev->links->len; i++)
    {
      EvNote *note = g_ptr_array_index (ev->links, i);
      const char *group = note->group_side ? note->uuid : note->peer;
      const char *member = note->group_side ? note->peer : note->uuid;
      g_autofree char *key = g_strdup_printf ("%c%s", note->added ? '+' : '-', group);
      GroupChange *g = g_hash_table_lookup (index, key);

      if (g == NULL)
        {
          g = g_new0 (GroupChange, 1);
          g->group = g_strdup (group);
          g->added = note->added;
          g->members = g_ptr_array_new ();
          g_ptr_array_add (changes, g);
          g_hash_table_insert (index, g_steal_pointer (&key), g);
        }
      g_ptr_array_add (g->members, (gpointer) member);
      g_hash_table_add (wanted, (gpointer) group);
      g_hash_table_add (wanted, (gpointer) member);
    }
  if (changes->len == 0)
    return TRUE;
  if (!fetch_kinds (txn, wanted, kinds, error))
    return FALSE;
  for (guint i = 0; i < changes->len; i++)
    {
      GroupChange *g = g_ptr_array_index (changes, i);
      const char *gkind = g_hash_table_lookup (kinds, g->group);
      g_autoptr(GString) payload = g_string_new ("{\"members\":[");
      g_autoptr(GString) related = g_string_new ("[");
      g_autoptr(GString) ancestors = g_string_new ("[");

      for (guint k = 0; k < g->members->len; k++)
        {
          const char *m = g_ptr_array_index (g->members, k);
          if (k > 0)
            {
              g_string_append_c (payload, ',');
              g_string_append_c (related, ',');
            }
          append_ref (payload, m, g_hash_table_lookup (kinds, m));
          g_string_append (related, "[\"members\",");
          _bough_json_append_string (related, m);
          g_string_append (related, g->added ? ",\"added\"]" : ",\"removed\"]");
        }
      g_string_append_c (related, ']');
      if (!group_ancestors (txn, g->group, gkind, ancestors, error))
        return FALSE;
      g_string_append (payload, "],\"ancestors\":");
      g_string_append (payload, ancestors->str);
      g_string_append (payload, "]}");
      if (write_row (txn, g->added ? BOUGH_EVENT_GROUP_MEMBER_ADDED : BOUGH_EVENT_GROUP_MEMBER_REMOVED,
                     g->group, gkind, parent, FALSE, payload->str, related->str, error) < 0)
        return FALSE;
    }
  return TRUE;
}

/* Writes the events of the transaction; called by its commit, inside it. */
gboolean
_bough_txn_events_write (BoughTxn  *txn,
                         GError   **error)
{
  BoughTxnEvents *ev = txn->events;
  gint64 parent = 0;
  gboolean any_node = FALSE;

  if (ev == NULL)
    return TRUE;
  /* what a call left pending (writes outside calls, such as a merge's) */
  _bough_txn_events_call_end (txn, TRUE);
  for (guint i = 0; i < ev->order->len && !any_node; i++)
    {
      EvNode *n = g_ptr_array_index (ev->order, i);
      any_node = n->action == 'c' || n->action == 'u' || n->action == 'd';
    }

  for (guint i = 0; i < ev->extra->len; i++)
    {
      EvExtra *e = g_ptr_array_index (ev->extra, i);
      gint64 seq;

      if (!e->parent || parent > 0)
        continue;
      seq = write_row (txn, e->type, e->node, e->kind, 0, any_node || ev->links->len > 0,
                       e->payload, e->related, error);
      if (seq < 0)
        return FALSE;
      parent = seq;
    }
  for (guint i = 0; i < ev->order->len; i++)
    {
      EvNode *n = g_ptr_array_index (ev->order, i);
      BoughEventType type;

      switch (n->action)
        {
        case 'c': type = BOUGH_EVENT_NODE_CREATED; break;
        case 'u': type = BOUGH_EVENT_NODE_UPDATED; break;
        case 'd': type = BOUGH_EVENT_NODE_DELETED; break;
        default: continue;
        }
      if (n->related != NULL)
        g_string_append_c (n->related, ']');
      if (write_row (txn, type, n->uuid, n->kind, parent, FALSE, NULL,
                     n->related ? n->related->str : NULL, error) < 0)
        return FALSE;
    }
  if (!write_group_events (txn, parent, error))
    return FALSE;
  for (guint i = 0; i < ev->extra->len; i++)
    {
      EvExtra *e = g_ptr_array_index (ev->extra, i);

      if (e->parent && parent > 0)
        {
          /* the first parent was written above */
          parent = -1;
          continue;
        }
      if (write_row (txn, e->type, e->node, e->kind, 0, FALSE, e->payload, e->related, error) < 0)
        return FALSE;
    }
  return TRUE;
}

/* An event written outside a transaction (branch creation and deletion). */
gboolean
_bough_store_write_event (BoughStore       *self,
                          BoughDriverConn  *conn,
                          gint64            stamp,
                          gint              type,
                          const char       *branch,
                          JsonObject       *payload,
                          GError          **error)
{
  g_autofree char *text = NULL;
  BoughEventRow row = { 0 };

  if (self->no_events)
    return TRUE;
  text = payload ? _bough_json_object_text (payload) : NULL;
  row.stamp = stamp;
  row.type = type;
  row.branch = (char *) branch;
  row.payload = text;
  return self->driver->insert_event (conn, &row, error) >= 0;
}

/* ---- watches ---- */

typedef struct
{
  guint               id;
  BoughEventWatchFunc func;
  gpointer            user_data;
} Watch;

guint
bough_store_add_event_watch (BoughStore          *self,
                             BoughEventWatchFunc  func,
                             gpointer             user_data)
{
  Watch w;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (func != NULL, 0);

  g_mutex_lock (&self->watch_lock);
  if (self->event_watches == NULL)
    self->event_watches = g_array_new (FALSE, FALSE, sizeof (Watch));
  w.id = ++self->next_watch_id;
  w.func = func;
  w.user_data = user_data;
  g_array_append_val (self->event_watches, w);
  g_mutex_unlock (&self->watch_lock);
  return w.id;
}

void
bough_store_remove_event_watch (BoughStore *self,
                                guint       id)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->watch_lock);
  for (guint i = 0; self->event_watches != NULL && i < self->event_watches->len; i++)
    if (g_array_index (self->event_watches, Watch, i).id == id)
      {
        g_array_remove_index (self->event_watches, i);
        break;
      }
  g_mutex_unlock (&self->watch_lock);
}

/* After a commit that wrote events. The watches run under the lock, so
 * that one removed is never called afterwards; they must be quick. */
void
_bough_store_events_committed (BoughStore      *self,
                               BoughDriverConn *conn)
{
  gint64 last;

  if (self->event_watches == NULL || self->event_watches->len == 0)
    return;
  last = self->driver->last_event (conn, NULL);
  if (last <= 0)
    return;
  g_mutex_lock (&self->watch_lock);
  for (guint i = 0; self->event_watches != NULL && i < self->event_watches->len; i++)
    {
      Watch *w = &g_array_index (self->event_watches, Watch, i);
      w->func (last, w->user_data);
    }
  g_mutex_unlock (&self->watch_lock);
}

gboolean
_bough_txn_has_events (BoughTxn *txn)
{
  BoughTxnEvents *ev = txn->events;

  return ev != NULL && (ev->order->len > 0 || ev->extra->len > 0 || ev->links->len > 0 ||
                        ev->pending->len > 0);
}

/* ---- reading ---- */

gint64
bough_store_last_event_seq (BoughStore  *self,
                            GError     **error)
{
  BoughDriverConn *conn;
  gint64 seq;

  g_return_val_if_fail (self != NULL, -1);

  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return -1;
  seq = self->driver->last_event (conn, error);
  self->driver->reader_release (self->db, conn);
  return seq;
}

static GArray *
seqs_of (char **ids)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; ids[i] != NULL; i++)
    {
      gint64 seq = bough_event_seq_from_id (ids[i]);
      /* an id that names no event matches nothing */
      if (seq == 0)
        seq = -1;
      g_array_append_val (out, seq);
    }
  return out;
}

static BoughEvent *
event_from_row (BoughEventRow *row,
                GHashTable    *parent_stamps)
{
  BoughEvent *e = g_new0 (BoughEvent, 1);

  e->seq = row->seq;
  e->id = bough_event_id_from_seq (row->stamp, row->seq);
  e->type = row->type;
  e->occurred_at = row->stamp;
  e->branch = g_steal_pointer (&row->branch);
  e->account_id = g_steal_pointer (&row->account);
  e->node_id = g_steal_pointer (&row->node);
  e->kind = g_steal_pointer (&row->kind);
  e->parent_seq = row->parent;
  e->level = row->flags >> 1;
  e->has_children = (row->flags & 1) != 0;
  if (row->parent > 0)
    {
      /* a parent is written in the same commit as its children */
      (void) parent_stamps;
      e->parent_id = bough_event_id_from_seq (row->stamp, row->parent);
    }
  if (row->payload != NULL)
    e->data = _bough_json_parse_object (row->payload);
  if (row->related != NULL)
    {
      g_autoptr(JsonNode) node = _bough_json_parse (row->related, NULL);
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        e->related = json_array_ref (json_node_get_array (node));
    }
  return e;
}

/**
 * bough_store_list_events:
 * @self: a store
 * @filter: what to list
 * @out_count: (out) (optional): how many match, ignoring offset and limit
 *   (-1 with skip_count)
 * @error: return location for a #GError
 *
 * Returns: (transfer container): the events (#BoughEvent), newest first
 *   unless @filter asks for ascending order; %NULL on error
 */
GPtrArray *
bough_store_list_events (BoughStore        *self,
                         BoughEventFilter  *filter,
                         gint64            *out_count,
                         GError           **error)
{
  BoughEventQuery q = { 0 };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_event_row_free);
  g_autoptr(GArray) seqs = NULL;
  g_autoptr(GArray) parents = NULL;
  GPtrArray *out;
  BoughDriverConn *conn;
  gint64 count = -1;
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  q.after_seq = filter->after_seq;
  q.upto_seq = filter->upto_seq;
  q.since = filter->since;
  q.until = filter->until;
  q.level = filter->level;
  q.has_children = filter->has_children;
  q.types = filter->types;
  if (filter->ids != NULL)
    q.seqs = seqs = seqs_of (filter->ids);
  if (filter->parent_ids != NULL)
    q.parents = parents = seqs_of (filter->parent_ids);
  q.nodes = filter->node_ids;
  q.related = filter->related_ids;
  q.branches = filter->branches;
  q.accounts = filter->account_ids;
  q.kinds = filter->kinds;
  q.merged = filter->merged_branches;
  q.rebased = filter->rebased_branches;
  q.ascending = filter->ascending;
  q.offset = filter->offset;
  q.limit = filter->limit;
  q.skip_count = filter->skip_count || out_count == NULL;

  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return NULL;
  ok = self->driver->list_events (conn, &q, &count, rows, error);
  self->driver->reader_release (self->db, conn);
  if (!ok)
    return NULL;
  if (out_count != NULL)
    *out_count = count;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_event_free);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (out, event_from_row (g_ptr_array_index (rows, i), NULL));
  return out;
}

/**
 * bough_store_event_meta:
 * @event: an event
 *
 * Returns: (transfer full): its `meta` object (reference §8.2)
 */
JsonObject *
bough_store_event_meta (BoughEvent *event)
{
  JsonObject *meta = json_object_new ();
  JsonObject *context = json_object_new ();
  JsonObject *account = json_object_new ();
  JsonObject *branch = json_object_new ();
  JsonArray *ancestors = json_array_new ();

  g_return_val_if_fail (event != NULL, NULL);

  json_object_set_string_member (meta, "branch", event->branch);
  json_object_set_null_member (meta, "request_id");
  json_object_set_string_member (meta, "account_id", event->account_id);
  json_object_set_null_member (meta, "initiator_id");
  json_object_set_string_member (account, "account_id", event->account_id);
  json_object_set_object_member (context, "account", account);
  json_object_set_string_member (branch, "name", event->branch);
  json_object_set_object_member (context, "branch", branch);
  json_object_set_object_member (meta, "context", context);
  json_object_set_int_member (meta, "level", event->level);
  json_object_set_boolean_member (meta, "has_children", event->has_children);
  json_object_set_string_member (meta, "id", event->id);
  json_object_set_string_member (meta, "parent", event->parent_id);
  if (event->parent_id != NULL)
    {
      JsonObject *p = json_object_new ();
      json_object_set_string_member (p, "id", event->parent_id);
      json_array_add_object_element (ancestors, p);
    }
  json_object_set_array_member (meta, "ancestors", ancestors);
  return meta;
}

static gboolean
json_equal_or_null (JsonNode *a,
                    JsonNode *b)
{
  gboolean an = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean bn = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (an || bn)
    return an == bn;
  return json_node_equal (a, b);
}

static const char *
update_status (JsonNode *now,
               JsonNode *before,
               gboolean  existed)
{
  gboolean nn = now == NULL || JSON_NODE_HOLDS_NULL (now);
  gboolean bn = before == NULL || JSON_NODE_HOLDS_NULL (before);

  if (!existed)
    return nn ? "unchanged" : "added";
  if (json_equal_or_null (now, before))
    return "unchanged";
  if (nn)
    return "removed";
  if (bn)
    return "added";
  return "updated";
}

static JsonNode *
value_or_null (JsonNode *v)
{
  return v ? json_node_copy (v) : json_node_new (JSON_NODE_NULL);
}

static JsonNode *
string_node (const char *s)
{
  JsonNode *n = json_node_new (s ? JSON_NODE_VALUE : JSON_NODE_NULL);

  if (s != NULL)
    json_node_set_string (n, s);
  return n;
}

static JsonNode *
bool_node (gboolean b)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (n, b);
  return n;
}

/* One property of an attribute in the changelog, or none when it did not
 * change. */
static void
add_property (JsonObject *props,
              const char *name,
              const char *value_type,
              JsonNode   *now,
              JsonNode   *before,
              gboolean    existed)
{
  const char *status;
  JsonObject *p;

  if (now == NULL)
    now = json_node_new (JSON_NODE_NULL);
  if (before == NULL)
    before = json_node_new (JSON_NODE_NULL);
  status = update_status (now, before, existed);

  if (g_str_equal (status, "unchanged"))
    {
      json_node_unref (now);
      json_node_unref (before);
      return;
    }
  p = json_object_new ();
  json_object_set_string_member (p, "name", name);
  json_object_set_string_member (p, "value_type", value_type);
  json_object_set_member (p, "value", now);
  json_object_set_member (p, "value_previous", before);
  json_object_set_string_member (p, "value_update_status", status);
  json_object_set_object_member (props, name, p);
}

static BoughNode *
node_at (BoughStore *self,
         BoughEvent *event,
         gint64      at)
{
  g_autoptr(GError) error = NULL;
  BoughNode *node;

  /* a deleted branch took its versions with it: no changelog then */
  node = bough_store_get_node (self, event->branch, at, event->kind, event->node_id, &error);
  return node;
}

static JsonObject *
node_changelog (BoughStore  *self,
                BoughEvent  *event,
                JsonArray   *fields)
{
  g_autoptr(BoughNode) now = NULL;
  g_autoptr(BoughNode) before = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  BoughNodeSchema *ns = NULL;
  JsonObject *changelog = json_object_new ();
  JsonObject *attributes = json_object_new ();
  JsonObject *relationships = json_object_new ();
  BoughNode *any;

  if (event->type != BOUGH_EVENT_NODE_DELETED)
    now = node_at (self, event, event->occurred_at);
  if (event->type != BOUGH_EVENT_NODE_CREATED)
    before = node_at (self, event, event->occurred_at - 1);
  any = now ? now : before;
  if (any != NULL)
    schema = bough_store_get_schema (self, event->branch,
                                     now ? event->occurred_at : event->occurred_at - 1, NULL);
  if (schema != NULL)
    ns = bough_schema_lookup (schema, any->kind);

  json_object_set_string_member (changelog, "node_id", event->node_id);
  json_object_set_string_member (changelog, "node_kind", event->kind);
  json_object_set_string_member (changelog, "display_label", any ? any->display_label : NULL);
  for (guint i = 0; ns != NULL && i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *as = g_ptr_array_index (ns->attributes, i);
      const BoughAttributeValue *a = now ? bough_node_get_attribute (now, as->name) : NULL;
      const BoughAttributeValue *b = before ? bough_node_get_attribute (before, as->name) : NULL;
      JsonNode *va = a ? bough_node_get_value (now, as->name) : NULL;
      JsonNode *vb = b ? bough_node_get_value (before, as->name) : NULL;
      const char *status = update_status (va, vb, before != NULL);
      JsonObject *entry, *props;

      if (now == NULL)
        status = vb == NULL || JSON_NODE_HOLDS_NULL (vb) ? "unchanged" : "removed";
      props = json_object_new ();
      add_property (props, "is_protected", "Boolean",
                    a ? bool_node (a->is_protected) : NULL, b ? bool_node (b->is_protected) : NULL,
                    before != NULL);
      add_property (props, "is_visible", "Boolean",
                    a ? bool_node (a->is_visible) : NULL, b ? bool_node (b->is_visible) : NULL,
                    before != NULL);
      add_property (props, "source", "Id", a ? string_node (a->source) : NULL,
                    b ? string_node (b->source) : NULL, before != NULL);
      add_property (props, "owner", "Id", a ? string_node (a->owner) : NULL,
                    b ? string_node (b->owner) : NULL, before != NULL);
      if (g_str_equal (status, "unchanged") && json_object_get_size (props) == 0 &&
          event->type != BOUGH_EVENT_NODE_CREATED)
        {
          json_object_unref (props);
          continue;
        }
      entry = json_object_new ();
      json_object_set_string_member (entry, "name", as->name);
      json_object_set_string_member (entry, "kind", bough_attribute_kind_to_string (as->kind));
      /* a password hash never leaves the server, here neither: the change shows, not the values */
      if (as->kind == BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD)
        va = vb = NULL;
      json_object_set_member (entry, "value", value_or_null (va));
      json_object_set_member (entry, "value_previous", value_or_null (vb));
      json_object_set_string_member (entry, "value_update_status", status);
      json_object_set_object_member (entry, "properties", props);
      json_object_set_object_member (attributes, as->name, entry);
      if (!g_str_equal (status, "unchanged"))
        json_array_add_string_element (fields, as->name);
    }
  for (guint i = 0; event->related != NULL && i < json_array_get_length (event->related); i++)
    {
      JsonArray *r = json_array_get_array_element (event->related, i);
      const char *name = json_array_get_string_element (r, 0);
      const char *peer_id = json_array_get_string_element (r, 1);
      const char *action = json_array_get_string_element (r, 2);
      BoughRelationshipSchema *rs = ns ? bough_node_schema_get_relationship (ns, name) : NULL;
      g_autoptr(BoughNode) peer = NULL;
      JsonObject *rel, *p;
      JsonArray *peers;

      if (!json_object_has_member (relationships, name))
        {
          rel = json_object_new ();
          json_object_set_string_member (rel, "name", name);
          json_object_set_string_member (rel, "cardinality",
                                         rs && rs->cardinality == BOUGH_CARDINALITY_ONE ? "one" : "many");
          json_object_set_string_member (rel, "peer_kind", rs ? rs->peer : NULL);
          json_object_set_array_member (rel, "peers", json_array_new ());
          json_object_set_object_member (relationships, name, rel);
          json_array_add_string_element (fields, name);
        }
      rel = json_object_get_object_member (relationships, name);
      peers = json_object_get_array_member (rel, "peers");
      peer = bough_store_get_node (self, event->branch,
                                   g_str_equal (action, "added") ? event->occurred_at : event->occurred_at - 1,
                                   NULL, peer_id, NULL);
      p = json_object_new ();
      json_object_set_string_member (p, "peer_id", peer_id);
      json_object_set_string_member (p, "peer_kind", peer ? peer->kind : (rs ? rs->peer : NULL));
      json_object_set_string_member (p, "display_label", peer ? peer->display_label : NULL);
      json_object_set_string_member (p, "peer_status", action);
      json_array_add_object_element (peers, p);
    }
  json_object_set_object_member (changelog, "attributes", attributes);
  json_object_set_object_member (changelog, "relationships", relationships);
  return changelog;
}

/**
 * bough_store_event_payload:
 * @self: a store
 * @event: an event it listed
 * @error: return location for a #GError
 *
 * The event's payload (reference §8.2): for node events `{kind, node_id,
 * action, fields, changelog, display_label}`, the changelog rebuilt from the
 * node's versions as of the event and just before; for the others what was
 * stored with them.
 *
 * Returns: (transfer full): the payload
 */
JsonObject *
bough_store_event_payload (BoughStore  *self,
                           BoughEvent  *event,
                           GError     **error)
{
  JsonObject *payload;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (event != NULL, NULL);

  if (event->type == BOUGH_EVENT_NODE_CREATED || event->type == BOUGH_EVENT_NODE_UPDATED ||
      event->type == BOUGH_EVENT_NODE_DELETED)
    {
      JsonArray *fields = json_array_new ();
      JsonObject *changelog = node_changelog (self, event, fields);
      static const char *actions[] = { "created", "updated", "deleted" };

      payload = json_object_new ();
      json_object_set_string_member (payload, "kind", event->kind);
      json_object_set_string_member (payload, "node_id", event->node_id);
      json_object_set_string_member (payload, "action", actions[event->type - BOUGH_EVENT_NODE_CREATED]);
      json_object_set_array_member (payload, "fields", fields);
      json_object_set_string_member (payload, "display_label",
                                     json_object_get_string_member_with_default (changelog, "display_label",
                                                                                 NULL));
      json_object_set_object_member (payload, "changelog", changelog);
      return payload;
    }
  payload = event->data ? json_object_ref (event->data) : json_object_new ();
  if (event->type == BOUGH_EVENT_GROUP_MEMBER_ADDED || event->type == BOUGH_EVENT_GROUP_MEMBER_REMOVED)
    {
      g_autoptr(JsonObject) copy = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (payload);

      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (payload, l->data)));
      json_object_set_string_member (copy, "kind", event->kind);
      json_object_set_string_member (copy, "node_id", event->node_id);
      json_object_unref (payload);
      return g_steal_pointer (&copy);
    }
  (void) error;
  return payload;
}

/* The payload of a branch event (reference §8.2). */
JsonObject *
_bough_branch_event_payload (const BoughBranch *record,
                             const char        *name)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "branch_name", record ? record->name : name);
  json_object_set_string_member (payload, "branch_id", record ? record->id : NULL);
  json_object_set_boolean_member (payload, "sync_with_git", record ? record->sync_with_git : FALSE);
  json_object_set_null_member (payload, "proposed_change_id");
  return payload;
}

/* A branch event of a merge (@parent: its node events hang under it) or a
 * rebase, written with the transaction. */
gboolean
_bough_txn_branch_event (BoughTxn    *txn,
                         gint         type,
                         const char  *branch,
                         gboolean     parent,
                         GError     **error)
{
  g_autoptr(BoughBranch) record = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autofree char *text = NULL;

  if (!D (txn)->get_branch_record (txn->conn, branch, &record, error) && error != NULL && *error != NULL)
    return FALSE;
  payload = _bough_branch_event_payload (record, branch);
  text = _bough_json_object_text (payload);
  _bough_txn_add_event_text (txn, type, NULL, NULL, text, NULL, parent);
  return TRUE;
}
