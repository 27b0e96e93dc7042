/* bough-store-branch.c: the branch lifecycle of the store: branch records,
 * branch points over time, the three-way diff of a branch with its conflicts
 * and their recorded resolutions, validation, merge, rebase and delete (see
 * bough-store-branch.h for the semantics).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-store-internal.h"
#include "bough-store-events.h"

#define D(store) ((store)->driver)

/* ids per statement when fetching versions of many nodes or links */
#define BATCH 500

/* diff_compute() for a merge or rebase: what only a reader of the diff
 * needs (the parents of its nodes) is left out */
#define DIFF_FOR_APPLY ((BoughDiffFlags) (1 << 16))

/* ---- small types ---- */

const char *
bough_branch_status_to_string (BoughBranchStatus status)
{
  switch (status)
    {
    case BOUGH_BRANCH_STATUS_OPEN: return "OPEN";
    case BOUGH_BRANCH_STATUS_NEED_REBASE: return "NEED_REBASE";
    case BOUGH_BRANCH_STATUS_NEED_UPGRADE_REBASE: return "NEED_UPGRADE_REBASE";
    case BOUGH_BRANCH_STATUS_DELETING: return "DELETING";
    case BOUGH_BRANCH_STATUS_MERGING: return "MERGING";
    case BOUGH_BRANCH_STATUS_MERGE_FAILED: return "MERGE_FAILED";
    case BOUGH_BRANCH_STATUS_MERGED: return "MERGED";
    default: return "OPEN";
    }
}

const char *
bough_diff_action_to_string (BoughDiffAction action)
{
  switch (action)
    {
    case BOUGH_DIFF_ADDED: return "added";
    case BOUGH_DIFF_UPDATED: return "updated";
    case BOUGH_DIFF_REMOVED: return "removed";
    case BOUGH_DIFF_UNCHANGED:
    default: return "unchanged";
    }
}

/**
 * bough_branch_free:
 * @branch: (nullable): a branch record
 *
 * Frees a branch record.
 */
void
bough_branch_free (BoughBranch *branch)
{
  if (branch == NULL)
    return;
  g_free (branch->id);
  g_free (branch->name);
  g_free (branch->description);
  g_free (branch->origin_branch);
  g_free (branch);
}

void
bough_lookup_row_free (BoughLookupRow *row)
{
  if (row == NULL)
    return;
  g_free (row->kind);
  g_free (row->key);
  g_free (row->value);
  g_free (row->uuid);
  g_free (row);
}

void
bough_conflict_row_free (BoughConflictRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->branch);
  g_free (row->path);
  g_free (row->base_value);
  g_free (row->diff_value);
  g_free (row);
}

static void
conflict_free (BoughDiffConflict *c)
{
  g_free (c->id);
  g_free (c->path);
  g_clear_pointer (&c->base_value, json_node_unref);
  g_free (c->base_label);
  g_clear_pointer (&c->diff_value, json_node_unref);
  g_free (c->diff_label);
  g_free (c);
}

static void
property_free (BoughDiffProperty *p)
{
  g_clear_pointer (&p->previous_value, json_node_unref);
  g_clear_pointer (&p->new_value, json_node_unref);
  g_free (p->previous_label);
  g_free (p->new_label);
  g_free (p);
}

static void
attribute_free (BoughDiffAttribute *a)
{
  g_free (a->name);
  g_ptr_array_unref (a->properties);
  g_free (a);
}

static void
element_free (BoughDiffElement *e)
{
  g_free (e->peer_id);
  g_free (e->peer_kind);
  g_free (e->peer_label);
  g_ptr_array_unref (e->properties);
  g_free (e);
}

static void
relationship_free (BoughDiffRelationship *r)
{
  g_free (r->name);
  g_free (r->label);
  g_ptr_array_unref (r->elements);
  g_free (r);
}

static void
diff_node_free (BoughDiffNode *n)
{
  g_free (n->uuid);
  g_free (n->kind);
  g_free (n->label);
  g_free (n->parent_uuid);
  g_free (n->parent_kind);
  g_free (n->parent_relationship);
  g_ptr_array_unref (n->attributes);
  g_ptr_array_unref (n->relationships);
  g_free (n);
}

/**
 * bough_diff_free:
 * @diff: (nullable): a diff
 *
 * Frees a diff with its nodes and conflicts.
 */
void
bough_diff_free (BoughDiff *diff)
{
  if (diff == NULL)
    return;
  g_free (diff->branch);
  g_ptr_array_unref (diff->nodes);
  g_ptr_array_unref (diff->conflicts);
  g_free (diff);
}

/* ---- branch points and checks used by reads and writes ---- */

/* The branch point of @branch that reads at @at see: the current one, or the
 * one a later rebase replaced. */
gboolean
_bough_store_branch_point_at (BoughStore   *self,
                              const char   *branch,
                              gint64        at,
                              gint64       *branched_from,
                              GError      **error)
{
  GArray *points;

  g_mutex_lock (&self->lock);
  points = g_hash_table_lookup (self->branch_points, branch);
  if (points != NULL)
    g_array_ref (points);
  g_mutex_unlock (&self->lock);

  if (points == NULL)
    {
      BoughDriverConn *conn = D (self)->reader_acquire (self->db, error);
      gboolean ok;

      if (conn == NULL)
        return FALSE;
      points = g_array_new (FALSE, FALSE, sizeof (gint64));
      ok = D (self)->get_branch_points (conn, branch, points, error);
      D (self)->reader_release (self->db, conn);
      if (!ok)
        {
          g_array_unref (points);
          return FALSE;
        }
      g_mutex_lock (&self->lock);
      g_hash_table_replace (self->branch_points, g_strdup (branch), g_array_ref (points));
      g_mutex_unlock (&self->lock);
    }

  /* pairs (since, branched_from): that point held for reads before since */
  for (guint i = 0; i + 1 < points->len; i += 2)
    if (at < g_array_index (points, gint64, i))
      {
        *branched_from = g_array_index (points, gint64, i + 1);
        break;
      }
  g_array_unref (points);
  return TRUE;
}

/* Refuses writes on a branch that is not open; gives its branch point as the
 * transaction holding @conn sees it. */
gboolean
_bough_store_check_writable (BoughStore       *self,
                             BoughDriverConn  *conn,
                             const char       *branch,
                             gint64           *branched_from,
                             GError          **error)
{
  g_autoptr(BoughBranch) record = NULL;
  GError *local_error = NULL;

  if (!D (self)->get_branch_record (conn, branch, &record, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Branch “%s” not found", branch);
      return FALSE;
    }
  if (record->status != BOUGH_BRANCH_STATUS_OPEN)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT,
                   "Branch “%s” is %s: it cannot be written", branch,
                   bough_branch_status_to_string (record->status));
      return FALSE;
    }
  *branched_from = record->branched_from;
  return TRUE;
}

static void
forget_branch (BoughStore *self,
               const char *name)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->branches, name);
  g_hash_table_remove (self->branch_points, name);
  g_hash_table_remove (self->schemas, name);
  g_mutex_unlock (&self->lock);
}

/* ---- branch records ---- */

/**
 * bough_store_branch_create:
 * @self: a store
 * @input: the new branch
 * @account: (nullable): who creates it
 * @error: return location for a #GError
 *
 * Creates a branch of the default branch. Copies nothing: the branch sees
 * main (data and schema) as of its branch point. The name is unique in the
 * database, so concurrent creations of one name make one branch; the others
 * fail with %BOUGH_ERROR_CONFLICT.
 *
 * Returns: (transfer full): the new branch record
 */
BoughBranch *
bough_store_branch_create (BoughStore              *self,
                           const BoughBranchCreate *input,
                           const char              *account,
                           GError                 **error)
{
  g_autoptr(BoughBranch) record = NULL;
  g_autoptr(BoughBranch) existing = NULL;
  BoughDriverConn *conn;
  GError *local_error = NULL;
  gint64 stamp;
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (input != NULL && input->name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_bough_branch_name_is_valid (input->name) || g_str_equal (input->name, BOUGH_GLOBAL_BRANCH))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "“%s” is not a valid branch name", input->name);
      return NULL;
    }
  if (input->origin_branch != NULL && !g_str_equal (input->origin_branch, BOUGH_DEFAULT_BRANCH))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "A branch starts from the default branch “%s”, not “%s”",
                   BOUGH_DEFAULT_BRANCH, input->origin_branch);
      return NULL;
    }

  conn = D (self)->writer_acquire (self->db);
  ok = D (self)->begin (conn, error);
  if (!ok)
    {
      D (self)->writer_release (self->db, conn);
      return NULL;
    }
  stamp = _bough_store_next_stamp (self);
  if (D (self)->get_branch_record (conn, input->name, &existing, &local_error) || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT, "The branch “%s” already exists", input->name);
      ok = FALSE;
    }
  else if (input->branched_from > stamp || input->branched_from < 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "branched_from must not be in the future");
      ok = FALSE;
    }
  else
    {
      g_autofree char *summary = g_strdup_printf ("create branch %s", input->name);

      record = g_new0 (BoughBranch, 1);
      record->id = _bough_uuid_new ();
      record->name = g_strdup (input->name);
      record->description = g_strdup (input->description);
      record->origin_branch = g_strdup (BOUGH_DEFAULT_BRANCH);
      record->branched_from = input->branched_from > 0 ? input->branched_from : stamp;
      record->created_at = stamp;
      record->status = BOUGH_BRANCH_STATUS_OPEN;
      record->sync_with_git = input->sync_with_git;
      g_autoptr(JsonObject) payload = NULL;

      payload = _bough_branch_event_payload (record, NULL);
      ok = D (self)->insert_branch_record (conn, record, error) &&
           D (self)->insert_commit (conn, stamp, input->name, account, summary, error) &&
           _bough_store_write_event (self, conn, stamp, BOUGH_EVENT_BRANCH_CREATED, input->name,
                                     payload, error) &&
           D (self)->commit (conn, error);
      if (ok)
        _bough_store_events_committed (self, conn);
      if (!ok && error != NULL && *error != NULL && (*error)->code == BOUGH_ERROR_STORAGE &&
          strstr ((*error)->message, "UNIQUE") != NULL)
        {
          /* another process created it between our check and insert */
          (*error)->code = BOUGH_ERROR_CONFLICT;
        }
    }
  if (!ok)
    D (self)->rollback (conn);
  D (self)->writer_release (self->db, conn);
  if (!ok)
    return NULL;

  _bough_store_committed (self, stamp, NULL);
  forget_branch (self, input->name);
  return g_steal_pointer (&record);
}

/**
 * bough_store_get_branch:
 * @self: a store
 * @name: a branch name
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the branch record, or %NULL with
 *   %BOUGH_ERROR_NOT_FOUND
 */
BoughBranch *
bough_store_get_branch (BoughStore  *self,
                        const char  *name,
                        GError     **error)
{
  BoughDriverConn *conn;
  BoughBranch *record = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = D (self)->reader_acquire (self->db, error);
  if (conn == NULL)
    return NULL;
  if (!D (self)->get_branch_record (conn, name, &record, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Branch “%s” not found", name);
    }
  D (self)->reader_release (self->db, conn);
  return record;
}

/**
 * bough_store_list_branches:
 * @self: a store
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type BoughBranch): every branch, the
 *   default branch first, then by name
 */
GPtrArray *
bough_store_list_branches (BoughStore  *self,
                           GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_branch_free);
  BoughDriverConn *conn;
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = D (self)->reader_acquire (self->db, error);
  if (conn == NULL)
    return NULL;
  ok = D (self)->list_branch_records (conn, out, error);
  D (self)->reader_release (self->db, conn);
  return ok ? g_steal_pointer (&out) : NULL;
}

/**
 * bough_store_update_branch:
 * @self: a store
 * @name: a branch name
 * @description: (nullable): its new description (%NULL keeps it)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the updated record
 */
BoughBranch *
bough_store_update_branch (BoughStore  *self,
                           const char  *name,
                           const char  *description,
                           GError     **error)
{
  g_autoptr(BoughBranch) record = NULL;
  BoughDriverConn *conn;
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = D (self)->writer_acquire (self->db);
  ok = D (self)->begin (conn, error);
  if (ok && !D (self)->get_branch_record (conn, name, &record, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Branch “%s” not found", name);
      ok = FALSE;
    }
  if (ok)
    {
      g_clear_pointer (&record, bough_branch_free);
      ok = D (self)->update_branch_record (conn, name, description, -1, error) &&
           D (self)->get_branch_record (conn, name, &record, error) &&
           D (self)->commit (conn, error);
    }
  if (!ok)
    D (self)->rollback (conn);
  D (self)->writer_release (self->db, conn);
  return ok ? g_steal_pointer (&record) : NULL;
}

/**
 * bough_store_delete_branch:
 * @self: a store
 * @name: a branch other than the default one
 * @account: (nullable): who deletes it
 * @progress: (nullable) (scope call): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Deletes the branch and every row it owns (versions, links, lookups,
 * schemas, conflicts) in one transaction: a crash leaves the whole branch or
 * nothing of it.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_delete_branch (BoughStore         *self,
                           const char         *name,
                           const char         *account,
                           BoughProgressFunc   progress,
                           gpointer            user_data,
                           GError            **error)
{
  g_autoptr(BoughBranch) record = NULL;
  BoughDriverConn *conn;
  GError *local_error = NULL;
  gint64 stamp = 0;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = D (self)->writer_acquire (self->db);
  ok = D (self)->begin (conn, error);
  if (ok && !D (self)->get_branch_record (conn, name, &record, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Branch “%s” not found", name);
      ok = FALSE;
    }
  if (ok && record->is_default)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "The default branch cannot be deleted");
      ok = FALSE;
    }
  if (ok)
    {
      g_autofree char *summary = g_strdup_printf ("delete branch %s", name);

      if (progress != NULL)
        progress ("delete", 0, 1, user_data);
      g_autoptr(JsonObject) payload = _bough_branch_event_payload (record, name);

      stamp = _bough_store_next_stamp (self);
      ok = D (self)->delete_branch_rows (conn, name, error) &&
           D (self)->insert_commit (conn, stamp, BOUGH_DEFAULT_BRANCH, account, summary, error) &&
           _bough_store_write_event (self, conn, stamp, BOUGH_EVENT_BRANCH_DELETED, name, payload, error) &&
           D (self)->commit (conn, error);
      if (ok)
        _bough_store_events_committed (self, conn);
    }
  if (!ok)
    D (self)->rollback (conn);
  D (self)->writer_release (self->db, conn);
  if (!ok)
    return FALSE;
  _bough_store_committed (self, stamp, NULL);
  forget_branch (self, name);
  if (progress != NULL)
    progress ("done", 1, 1, user_data);
  return TRUE;
}

/* ---- the three-way comparison ---- */

/* One node changed on either side: its version at the branch point on main,
 * now on main, and now on the branch (NULL: not written on the branch). */
typedef struct
{
  char            *uuid;
  BoughNodeSchema *ns;
  BoughNodeRow    *base;
  BoughNodeRow    *main;
  BoughNodeRow    *branch;
  GArray          *r_base;    /* raw attribute entries (BoughJsonRawMember), NULL when absent */
  GArray          *r_main;
  GArray          *r_branch;
  gboolean         parsed;    /* a_* below are set: raw texts that would not scan, or a merge needs them */
  JsonObject      *a_base;    /* parsed attributes, NULL when absent */
  JsonObject      *a_main;
  JsonObject      *a_branch;
  gboolean         base_exists;
  gboolean         main_exists;
  gboolean         branch_exists;  /* what the branch sees */
  gboolean         main_changed;   /* main has a version after the branch point */
  BoughDiffAction  branch_action;
  BoughDiffConflict *conflict;     /* on its existence */
  GHashTable      *prop_conflicts; /* "attr\x1fkey" → BoughDiffConflict* (borrowed) */
  gboolean         pack;           /* the branch attributes of an agnostic node (its packs) */
} NodeTri;

static void
node_tri_free (NodeTri *t)
{
  g_free (t->uuid);
  g_clear_pointer (&t->base, bough_node_row_free);
  g_clear_pointer (&t->main, bough_node_row_free);
  g_clear_pointer (&t->branch, bough_node_row_free);
  g_clear_pointer (&t->r_base, g_array_unref);
  g_clear_pointer (&t->r_main, g_array_unref);
  g_clear_pointer (&t->r_branch, g_array_unref);
  g_clear_pointer (&t->a_base, json_object_unref);
  g_clear_pointer (&t->a_main, json_object_unref);
  g_clear_pointer (&t->a_branch, json_object_unref);
  g_clear_pointer (&t->prop_conflicts, g_hash_table_unref);
  g_free (t);
}

/* One link changed on either side (active rows only for base and main; the
 * branch's row may be a deletion marker). */
typedef struct
{
  char                    *key;
  BoughRelRow             *base;
  BoughRelRow             *main;
  BoughRelRow             *branch;
  gboolean                 branch_changed;
  gboolean                 main_changed;
  BoughDiffConflict       *conflict;       /* on the link itself */
  BoughDiffConflict       *card_conflict;  /* on the peer of a cardinality one relationship */
  gboolean                 local;          /* never merged */
} LinkTri;

static void
link_tri_free (LinkTri *t)
{
  g_free (t->key);
  g_clear_pointer (&t->base, bough_rel_row_free);
  g_clear_pointer (&t->main, bough_rel_row_free);
  g_clear_pointer (&t->branch, bough_rel_row_free);
  g_free (t);
}

typedef struct
{
  BoughStore      *store;
  BoughDriverConn *conn;
  char            *branch;
  char            *branch_id;
  gint64           bf;
  gint64           now;
  BoughSchema     *schema;        /* the branch's */
  GHashTable      *nodes;         /* uuid → NodeTri* */
  GPtrArray       *node_list;
  GPtrArray       *pack_list;     /* NodeTri* of packs (owned) */
  GHashTable      *links;         /* key → LinkTri* */
  GPtrArray       *link_list;
  GHashTable      *info;          /* uuid → BoughNodeRow* (kind and label of any node seen) */
  GHashTable      *stored;        /* conflict id → BoughConflictRow* */
  GPtrArray       *to_record;     /* BoughConflictRow* */
  GHashTable      *dnodes;        /* uuid → BoughDiffNode* (owned by diff) */
  BoughDiff       *diff;
  guint            base_changes;
  GArray          *scratch;       /* BoughJsonRawMember, reused */
  gint64           tracked_at;    /* the branch's last DiffUpdate, 0: none */
  gboolean         own_schema;    /* the branch changed its schema */
  BoughSchema     *merged_schema; /* its schema with main's changes since the branch point, NULL: none */
  GPtrArray       *keep_ids;      /* ids of the conflicts found (borrowed) */
  gboolean         stale;         /* a recorded conflict is no longer found */
} DiffWork;

static void
diff_work_free (DiffWork *dw)
{
  g_free (dw->branch);
  g_free (dw->branch_id);
  g_clear_pointer (&dw->schema, bough_schema_unref);
  g_hash_table_unref (dw->nodes);
  g_ptr_array_unref (dw->node_list);
  g_ptr_array_unref (dw->pack_list);
  g_hash_table_unref (dw->links);
  g_ptr_array_unref (dw->link_list);
  g_hash_table_unref (dw->info);
  g_hash_table_unref (dw->stored);
  g_ptr_array_unref (dw->to_record);
  g_hash_table_unref (dw->dnodes);
  g_clear_pointer (&dw->diff, bough_diff_free);
  g_clear_pointer (&dw->scratch, g_array_unref);
  g_clear_pointer (&dw->keep_ids, g_ptr_array_unref);
  g_clear_pointer (&dw->merged_schema, bough_schema_unref);
  g_free (dw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DiffWork, diff_work_free)

static char *
link_key (const char *identifier,
          const char *a,
          const char *b)
{
  /* a link is one whatever its orientation */
  if (strcmp (a, b) > 0)
    {
      const char *t = a;
      a = b;
      b = t;
    }
  return g_strconcat (identifier, "\x1f", a, "\x1f", b, NULL);
}

static gboolean
fetch_versions_batched (DiffWork    *dw,
                        const char  *branch,
                        gint64       at,
                        GPtrArray   *uuids,
                        GPtrArray   *out,
                        GError     **error)
{
  for (guint i = 0; i < uuids->len; i += BATCH)
    {
      g_autoptr(GPtrArray) part = g_ptr_array_new ();
      for (guint j = i; j < uuids->len && j < i + BATCH; j++)
        g_ptr_array_add (part, g_ptr_array_index (uuids, j));
      if (!D (dw->store)->fetch_node_versions (dw->conn, branch, at, part, out, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
fetch_rel_versions_batched (DiffWork    *dw,
                            const char  *branch,
                            gint64       at,
                            GPtrArray   *keys,
                            GPtrArray   *out,
                            GError     **error)
{
  for (guint i = 0; i < keys->len; i += BATCH)
    {
      g_autoptr(GPtrArray) part = g_ptr_array_new ();
      for (guint j = i; j < keys->len && j < i + BATCH; j++)
        g_ptr_array_add (part, g_ptr_array_index (keys, j));
      if (!D (dw->store)->fetch_rel_versions (dw->conn, branch, at, part, out, error))
        return FALSE;
    }
  return TRUE;
}

/* Remembers kind and label of nodes seen (for labels and parents). */
static void
remember_info (DiffWork           *dw,
               const BoughNodeRow *row,
               gboolean            prefer)
{
  if (row == NULL || row->status != BOUGH_ROW_ACTIVE)
    return;
  if (!prefer && g_hash_table_contains (dw->info, row->uuid))
    return;
  {
    BoughNodeRow *copy = g_new0 (BoughNodeRow, 1);
    char buf[BOUGH_DISPLAY_LABEL_BUF];

    copy->uuid = g_strdup (row->uuid);
    copy->kind = g_strdup (row->kind);
    copy->label = g_strdup (_bough_display_label (row->label, row->kind, row->uuid, buf, sizeof buf));
    g_hash_table_replace (dw->info, copy->uuid, copy);
  }
}

/* Kind and label of nodes not seen yet: as the branch sees them now, else
 * as main does. */
static gboolean
fetch_info (DiffWork   *dw,
            GPtrArray  *uuids,
            GError    **error)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < uuids->len; i++)
    {
      const char *u = g_ptr_array_index (uuids, i);
      if (!g_hash_table_contains (dw->info, u) && g_hash_table_add (seen, (gpointer) u))
        g_ptr_array_add (missing, (gpointer) u);
    }
  if (missing->len == 0)
    return TRUE;
  if (!fetch_versions_batched (dw, dw->branch, 0, missing, rows, error) ||
      !fetch_versions_batched (dw, BOUGH_DEFAULT_BRANCH, 0, missing, rows, error) ||
      !fetch_versions_batched (dw, BOUGH_GLOBAL_BRANCH, 0, missing, rows, error) ||
      !fetch_versions_batched (dw, BOUGH_DEFAULT_BRANCH, dw->bf, missing, rows, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    remember_info (dw, g_ptr_array_index (rows, i), FALSE);
  return TRUE;
}

static const char *
info_label (DiffWork   *dw,
            const char *uuid)
{
  BoughNodeRow *row = uuid != NULL ? g_hash_table_lookup (dw->info, uuid) : NULL;
  return row != NULL ? row->label : NULL;
}

static const char *
info_kind (DiffWork   *dw,
           const char *uuid)
{
  BoughNodeRow *row = uuid != NULL ? g_hash_table_lookup (dw->info, uuid) : NULL;
  return row != NULL ? row->kind : NULL;
}

/* ---- conflicts ---- */

static char *
conflict_id (const char *branch_id,
             const char *path)
{
  g_autofree char *seed = g_strconcat (branch_id, "/", path, NULL);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);

  return g_strdup_printf ("%.8s-%.4s-5%.3s-a%.3s-%.12s", hex, hex + 8, hex + 12, hex + 15, hex + 18);
}

static char *
value_text (JsonNode *value)
{
  return value != NULL ? _bough_json_text (value) : g_strdup ("null");
}

/* Adds a conflict; its side is the one recorded for the same values. Takes
 * the values. */
static BoughDiffConflict *
add_conflict (DiffWork        *dw,
              const char      *path,
              gboolean         uniqueness,
              BoughDiffAction  base_action,
              JsonNode        *base_value,
              const char      *base_label,
              gint64           base_at,
              BoughDiffAction  diff_action,
              JsonNode        *diff_value,
              const char      *diff_label,
              gint64           diff_at)
{
  BoughDiffConflict *c = g_new0 (BoughDiffConflict, 1);
  g_autofree char *base_text = value_text (base_value);
  g_autofree char *diff_text = value_text (diff_value);
  BoughConflictRow *stored;

  c->id = conflict_id (dw->branch_id, path);
  c->path = g_strdup (path);
  c->uniqueness = uniqueness;
  c->base_action = base_action;
  c->base_value = base_value;
  c->base_label = g_strdup (base_label);
  c->base_changed_at = base_at;
  c->diff_action = diff_action;
  c->diff_value = diff_value;
  c->diff_label = g_strdup (diff_label);
  c->diff_changed_at = diff_at;

  stored = g_hash_table_lookup (dw->stored, c->id);
  if (stored != NULL && g_strcmp0 (stored->base_value, base_text) == 0 &&
      g_strcmp0 (stored->diff_value, diff_text) == 0)
    c->selected = uniqueness ? BOUGH_DIFF_SIDE_NONE : stored->selected;
  else
    {
      BoughConflictRow *row = g_new0 (BoughConflictRow, 1);
      row->id = g_strdup (c->id);
      row->branch = g_strdup (dw->branch);
      row->path = g_strdup (path);
      row->base_value = g_steal_pointer (&base_text);
      row->diff_value = g_steal_pointer (&diff_text);
      g_ptr_array_add (dw->to_record, row);
    }
  g_ptr_array_add (dw->diff->conflicts, c);
  return c;
}

/* ---- properties ---- */

typedef struct
{
  const char *type;
  const char *key;
} PropDef;

static const PropDef attr_props[] = {
  { "HAS_VALUE", "value" },
  { "IS_VISIBLE", "is_visible" },
  { "IS_PROTECTED", "is_protected" },
  { "HAS_SOURCE", "source" },
  { "HAS_OWNER", "owner" },
};

static const PropDef link_props[] = {
  { "IS_VISIBLE", "is_visible" },
  { "IS_PROTECTED", "is_protected" },
  { "HAS_SOURCE", "source" },
  { "HAS_OWNER", "owner" },
};

/* The value of property @key of an entry (attribute entry or link
 * properties), defaults filled in; NULL entry: absent (null). */
static JsonNode *
prop_get (JsonObject *entry,
          const char *key,
          gboolean    present)
{
  JsonNode *n = entry != NULL && json_object_has_member (entry, key)
              ? json_object_get_member (entry, key) : NULL;

  if (!present)
    return json_node_new (JSON_NODE_NULL);
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    return json_node_copy (n);
  if (g_str_equal (key, "is_visible"))
    return json_node_init_boolean (json_node_alloc (), TRUE);
  if (g_str_equal (key, "is_protected"))
    return json_node_init_boolean (json_node_alloc (), FALSE);
  return json_node_new (JSON_NODE_NULL);
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (JSON_NODE_HOLDS_NULL (a) || JSON_NODE_HOLDS_NULL (b))
    return JSON_NODE_HOLDS_NULL (a) && JSON_NODE_HOLDS_NULL (b);
  return json_node_equal (a, b);
}

/* prop_get (a, key) equals prop_get (b, key), without copies */
static gboolean
prop_equal_raw (JsonObject *a,
                JsonObject *b,
                const char *key)
{
  JsonNode *x = a != NULL && json_object_has_member (a, key) ? json_object_get_member (a, key) : NULL;
  JsonNode *y = b != NULL && json_object_has_member (b, key) ? json_object_get_member (b, key) : NULL;
  JsonNode *set;

  if (x != NULL && JSON_NODE_HOLDS_NULL (x))
    x = NULL;
  if (y != NULL && JSON_NODE_HOLDS_NULL (y))
    y = NULL;
  if (x != NULL && y != NULL)
    return json_node_equal (x, y);
  if (x == NULL && y == NULL)
    return TRUE;
  set = x != NULL ? x : y;
  if (g_str_equal (key, "is_visible"))
    return JSON_NODE_HOLDS_VALUE (set) && json_node_get_value_type (set) == G_TYPE_BOOLEAN &&
           json_node_get_boolean (set);
  if (g_str_equal (key, "is_protected"))
    return JSON_NODE_HOLDS_VALUE (set) && json_node_get_value_type (set) == G_TYPE_BOOLEAN &&
           !json_node_get_boolean (set);
  return FALSE;
}

static gboolean
entries_same (JsonObject *a,
              JsonObject *b)
{
  if (a == b)
    return TRUE;
  for (guint k = 0; k < G_N_ELEMENTS (attr_props); k++)
    if (!prop_equal_raw (a, b, attr_props[k].key))
      return FALSE;
  return TRUE;
}

static gboolean
is_default_prop (const char *key,
                 JsonNode   *v)
{
  if (JSON_NODE_HOLDS_NULL (v))
    return TRUE;
  if (g_str_equal (key, "is_visible"))
    return json_node_get_boolean (v);
  if (g_str_equal (key, "is_protected"))
    return !json_node_get_boolean (v);
  return FALSE;
}

static JsonObject *
entry_of (JsonObject *attrs,
          const char *name)
{
  if (attrs == NULL || !json_object_has_member (attrs, name))
    return NULL;
  return json_object_get_object_member (attrs, name);
}

static gint64
entry_stamp (JsonObject *entry,
             gint64      fallback)
{
  if (entry != NULL && json_object_has_member (entry, "updated_at"))
    return json_object_get_int_member (entry, "updated_at");
  return fallback;
}

static char *
prop_label (DiffWork   *dw,
            const char *key,
            JsonNode   *v)
{
  /* source and owner name a node: its label */
  if ((g_str_equal (key, "source") || g_str_equal (key, "owner")) &&
      JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
    return g_strdup (info_label (dw, json_node_get_string (v)));
  return NULL;
}

static BoughDiffNode *
get_dnode (DiffWork   *dw,
           const char *uuid,
           const char *kind,
           const char *label)
{
  BoughDiffNode *n = g_hash_table_lookup (dw->dnodes, uuid);
  char buf[BOUGH_DISPLAY_LABEL_BUF];

  if (n != NULL)
    return n;
  n = g_new0 (BoughDiffNode, 1);
  n->uuid = g_strdup (uuid);
  n->kind = g_strdup (kind);
  n->label = g_strdup (kind != NULL ? _bough_display_label (label, kind, uuid, buf, sizeof buf) : label);
  n->action = BOUGH_DIFF_UPDATED;
  n->attributes = g_ptr_array_new_with_free_func ((GDestroyNotify) attribute_free);
  n->relationships = g_ptr_array_new_with_free_func ((GDestroyNotify) relationship_free);
  g_hash_table_insert (dw->dnodes, n->uuid, n);
  g_ptr_array_add (dw->diff->nodes, n);
  return n;
}

static BoughDiffAction
prop_action (JsonNode *before,
             JsonNode *after)
{
  if (JSON_NODE_HOLDS_NULL (before))
    return BOUGH_DIFF_ADDED;
  if (JSON_NODE_HOLDS_NULL (after))
    return BOUGH_DIFF_REMOVED;
  return BOUGH_DIFF_UPDATED;
}

/* ---- raw attribute texts ---- */

static GArray *
raw_attrs (const BoughNodeRow *row)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (BoughJsonRawMember));

  if (row->attrs == NULL || !_bough_json_raw_members (row->attrs, (gsize) -1, a))
    {
      g_array_unref (a);
      return NULL;
    }
  return a;
}

/* Parses the attribute texts of @t (updated_at filled in from each row). */
static void
ensure_parsed (NodeTri *t)
{
  if (t->parsed)
    return;
  t->parsed = TRUE;
  if (t->pack)
    {
      /* no pack on a side: every attribute at its default */
      t->a_base = t->base != NULL ? _bough_row_attrs (NULL, t->base) : json_object_new ();
      t->a_main = t->main != NULL ? _bough_row_attrs (NULL, t->main) : json_object_new ();
      t->a_branch = t->branch != NULL ? _bough_row_attrs (NULL, t->branch) : json_object_new ();
      return;
    }
  /* without the schema: no entry made for each unset attribute (a missing
   * entry reads as the defaults) */
  if (t->base_exists)
    t->a_base = _bough_row_attrs (NULL, t->base);
  if (t->main_exists && t->base_exists && t->main->rowid == t->base->rowid)
    t->a_main = json_object_ref (t->a_base);
  else if (t->main_exists)
    t->a_main = _bough_row_attrs (NULL, t->main);
  if (t->branch != NULL && t->branch_exists)
    t->a_branch = _bough_row_attrs (NULL, t->branch);
}

/* Slices the raw attribute texts of @t; parses them when they do not scan. */
static void
prepare_attrs (NodeTri *t)
{
  gboolean ok = TRUE;

  if (t->pack)
    {
      GArray **slots[] = { &t->r_base, &t->r_main, &t->r_branch };
      BoughNodeRow *rows[] = { t->base, t->main, t->branch };

      for (guint i = 0; i < G_N_ELEMENTS (slots) && ok; i++)
        ok = (*slots[i] = rows[i] != NULL ? raw_attrs (rows[i])
                                          : g_array_new (FALSE, FALSE, sizeof (BoughJsonRawMember))) != NULL;
      if (!ok)
        ensure_parsed (t);
      return;
    }
  if (t->base_exists)
    ok = (t->r_base = raw_attrs (t->base)) != NULL;
  if (ok && t->main_exists && t->base_exists && t->main->rowid == t->base->rowid)
    t->r_main = g_array_ref (t->r_base);
  else if (ok && t->main_exists)
    ok = (t->r_main = raw_attrs (t->main)) != NULL;
  if (ok && t->branch != NULL && t->branch_exists)
    ok = (t->r_branch = raw_attrs (t->branch)) != NULL;
  if (!ok)
    ensure_parsed (t);
}

/* The raw values of the attr_props properties of @entry (NULL when absent
 * or null); FALSE when the entry does not scan. */
static gboolean
raw_props (DiffWork                 *dw,
           const BoughJsonRawMember *entry,
           const char              **values,
           gsize                    *lens)
{
  for (guint k = 0; k < G_N_ELEMENTS (attr_props); k++)
    values[k] = NULL;
  if (entry == NULL)
    return TRUE;
  g_array_set_size (dw->scratch, 0);
  if (!_bough_json_raw_members (entry->value, entry->value_len, dw->scratch))
    return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (attr_props); k++)
    {
      const BoughJsonRawMember *m = _bough_json_raw_find (dw->scratch, attr_props[k].key);
      if (m == NULL || (m->value_len == 4 && memcmp (m->value, "null", 4) == 0))
        continue;
      values[k] = m->value;
      lens[k] = m->value_len;
    }
  return TRUE;
}

/* TRUE when the two raw entries surely have the same properties (as
 * entries_same() would say); FALSE when they differ or a parse must tell. */
static gboolean
raw_entries_same (DiffWork                 *dw,
                  const BoughJsonRawMember *a,
                  const BoughJsonRawMember *b)
{
  const char *va[G_N_ELEMENTS (attr_props)];
  const char *vb[G_N_ELEMENTS (attr_props)];
  gsize la[G_N_ELEMENTS (attr_props)];
  gsize lb[G_N_ELEMENTS (attr_props)];

  if (a == b)
    return TRUE;
  if (!raw_props (dw, a, va, la) || !raw_props (dw, b, vb, lb))
    return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (attr_props); k++)
    {
      const char *set;
      gsize len;

      if (va[k] == NULL && vb[k] == NULL)
        continue;
      if (va[k] != NULL && vb[k] != NULL)
        {
          if (la[k] == lb[k] && memcmp (va[k], vb[k], la[k]) == 0)
            continue;
          return FALSE;
        }
      /* one side unset: equal only when the other holds the default */
      set = va[k] != NULL ? va[k] : vb[k];
      len = va[k] != NULL ? la[k] : lb[k];
      if (g_str_equal (attr_props[k].key, "is_visible") && len == 4 && memcmp (set, "true", 4) == 0)
        continue;
      if (g_str_equal (attr_props[k].key, "is_protected") && len == 5 && memcmp (set, "false", 5) == 0)
        continue;
      return FALSE;
    }
  return TRUE;
}

/* The entry of attribute @name in one of the attribute sets of @t (0: base,
 * 1: main, 2: branch), parsed; NULL when absent. */
static JsonObject *
tri_entry (NodeTri    *t,
           guint       which,
           const char *name)
{
  JsonObject *attrs = which == 0 ? t->a_base : which == 1 ? t->a_main : t->a_branch;
  GArray *raw = which == 0 ? t->r_base : which == 1 ? t->r_main : t->r_branch;
  const BoughJsonRawMember *m;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (t->parsed)
    {
      JsonObject *e = entry_of (attrs, name);
      return e != NULL ? json_object_ref (e) : NULL;
    }
  m = _bough_json_raw_find (raw, name);
  if (m == NULL)
    return NULL;
  text = g_strndup (m->value, m->value_len);
  node = _bough_json_read (text);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* Is @attr compared in @t: a branch attribute kept in the node's row, or
 * for a pack, one kept in the pack of an agnostic node? */
static gboolean
attr_compared (NodeTri              *t,
               BoughAttributeSchema *attr)
{
  if (attr->branch != BOUGH_BRANCH_SUPPORT_AWARE)
    return FALSE;
  return _bough_attr_is_packed (t->ns, attr) == t->pack;
}

static const char *
tri_label (DiffWork *dw,
           NodeTri  *t)
{
  if (t->branch != NULL && t->branch->label != NULL)
    return t->branch->label;
  if (t->base != NULL && t->base->label != NULL)
    return t->base->label;
  return info_label (dw, t->uuid);
}

/* Compares the attributes of one node; fills the diff and the conflicts. */
static void
diff_node_attributes (DiffWork *dw,
                      NodeTri  *t)
{
  BoughDiffNode *dn = NULL;
  gint64 last = 0;

  for (guint i = 0; i < t->ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (t->ns->attributes, i);
      g_autoptr(JsonObject) eb = NULL;
      g_autoptr(JsonObject) en = NULL;
      g_autoptr(JsonObject) em = NULL;
      BoughDiffAttribute *da = NULL;

      if (!attr_compared (t, attr))
        continue;
      /* most attributes of an updated node did not change: compared on the
       * stored bytes, parsed only when they differ */
      if (t->base_exists && t->branch_exists && !t->parsed &&
          raw_entries_same (dw, _bough_json_raw_find (t->r_base, attr->name),
                            _bough_json_raw_find (t->r_branch, attr->name)))
        continue;
      eb = tri_entry (t, 0, attr->name);
      en = tri_entry (t, 2, attr->name);
      em = tri_entry (t, 1, attr->name);
      if (t->base_exists && t->branch_exists && entries_same (eb, en))
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (attr_props); k++)
        {
          const char *key = attr_props[k].key;
          g_autoptr(JsonNode) vb = prop_get (eb, key, t->base_exists);
          g_autoptr(JsonNode) vn = prop_get (en, key, t->branch_exists);
          g_autoptr(JsonNode) vm = prop_get (em, key, t->main_exists);
          BoughDiffProperty *p;
          gboolean main_changed = t->main_changed && !nodes_equal (vb, vm);

          if (main_changed && t->branch == NULL)
            dw->base_changes++;
          if (t->branch == NULL || nodes_equal (vb, vn))
            continue;
          /* a node added or removed lists its set properties only */
          if (t->branch_action != BOUGH_DIFF_UPDATED &&
              is_default_prop (key, t->branch_action == BOUGH_DIFF_ADDED ? vn : vb))
            continue;
          if (dn == NULL)
            dn = get_dnode (dw, t->uuid, t->ns->kind, tri_label (dw, t));
          if (da == NULL)
            {
              da = g_new0 (BoughDiffAttribute, 1);
              da->name = g_strdup (attr->name);
              da->action = t->branch_action;
              da->properties = g_ptr_array_new_with_free_func ((GDestroyNotify) property_free);
              g_ptr_array_add (dn->attributes, da);
            }
          p = g_new0 (BoughDiffProperty, 1);
          p->property_type = attr_props[k].type;
          p->action = t->branch_action == BOUGH_DIFF_UPDATED ? prop_action (vb, vn) : t->branch_action;
          p->previous_label = prop_label (dw, key, vb);
          p->new_label = prop_label (dw, key, vn);
          p->last_changed_at = entry_stamp (en, t->branch->from_stamp);
          da->last_changed_at = MAX (da->last_changed_at, p->last_changed_at);
          last = MAX (last, p->last_changed_at);
          if (main_changed && t->main_exists && t->branch_exists && !nodes_equal (vm, vn))
            {
              g_autofree char *path = g_strdup_printf ("%s/attribute/%s/%s", t->uuid, attr->name, key);
              p->conflict = add_conflict (dw, path, FALSE,
                                          prop_action (vb, vm), json_node_copy (vm),
                                          NULL, entry_stamp (em, t->main != NULL ? t->main->from_stamp : dw->now),
                                          p->action, json_node_copy (vn),
                                          NULL, p->last_changed_at);
              g_free (p->conflict->base_label);
              p->conflict->base_label = prop_label (dw, key, vm);
              g_free (p->conflict->diff_label);
              p->conflict->diff_label = prop_label (dw, key, vn);
              if (t->prop_conflicts == NULL)
                t->prop_conflicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
              g_hash_table_insert (t->prop_conflicts, g_strconcat (attr->name, "\x1f", key, NULL),
                                   p->conflict);
              da->contains_conflict = TRUE;
              dn->contains_conflict = TRUE;
            }
          p->previous_value = g_steal_pointer (&vb);
          p->new_value = g_steal_pointer (&vn);
          g_ptr_array_add (da->properties, p);
        }
    }
  if (dn != NULL)
    {
      dn->action = t->branch_action;
      dn->last_changed_at = MAX (dn->last_changed_at, last);
    }
}

/* ---- building the comparison ---- */

static gboolean
load_stored_conflicts (DiffWork  *dw,
                       GError   **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  if (!D (dw->store)->get_conflicts (dw->conn, dw->branch, rows, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      BoughConflictRow *row = g_ptr_array_index (rows, i);
      g_hash_table_replace (dw->stored, row->id, row);
    }
  return TRUE;
}

static BoughNodeSchema *
lookup_ns (DiffWork   *dw,
           const char *kind)
{
  return kind != NULL ? bough_schema_lookup (dw->schema, kind) : NULL;
}

/* Finds the relationship of @node_kind that a link of @identifier with
 * @node at its src (or dst) end is, or NULL. */
static BoughRelationshipSchema *
rel_for_end (DiffWork   *dw,
             const char *node_kind,
             const char *identifier,
             gboolean    is_src)
{
  BoughNodeSchema *ns = lookup_ns (dw, node_kind);

  for (guint i = 0; ns != NULL && i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, i);
      BoughRelSide side;

      if (g_strcmp0 (rel->identifier, identifier) != 0)
        continue;
      side = _bough_rel_side (rel);
      if (side == BOUGH_REL_SIDE_BOTH || (side == BOUGH_REL_SIDE_SRC) == is_src)
        return rel;
    }
  return NULL;
}

static gboolean link_present (const BoughRelRow *row)
{
  return row != NULL && row->status == BOUGH_ROW_ACTIVE;
}

static gboolean
link_props_equal (const BoughRelRow *a,
                  const BoughRelRow *b)
{
  g_autoptr(JsonObject) pa = NULL;
  g_autoptr(JsonObject) pb = NULL;

  if (link_present (a) != link_present (b))
    return FALSE;
  if (!link_present (a))
    return TRUE;
  if (g_strcmp0 (a->props, b->props) == 0)
    return TRUE;
  pa = a->props != NULL ? _bough_json_parse_object (a->props) : NULL;
  pb = b->props != NULL ? _bough_json_parse_object (b->props) : NULL;
  for (guint k = 0; k < G_N_ELEMENTS (link_props); k++)
    {
      g_autoptr(JsonNode) x = prop_get (pa, link_props[k].key, TRUE);
      g_autoptr(JsonNode) y = prop_get (pb, link_props[k].key, TRUE);
      if (!nodes_equal (x, y))
        return FALSE;
    }
  return TRUE;
}

static JsonNode *
string_node (const char *s)
{
  return s != NULL ? json_node_init_string (json_node_alloc (), s) : json_node_new (JSON_NODE_NULL);
}

/* The element of @rel on node @end for a changed link. */
static BoughDiffElement *
get_element (DiffWork                *dw,
             const char              *end,
             BoughRelationshipSchema *rel,
             const char              *peer,
             BoughDiffAction          action,
             gint64                   changed_at)
{
  BoughDiffNode *dn;
  BoughDiffRelationship *dr = NULL;
  BoughDiffElement *e;
  NodeTri *t = g_hash_table_lookup (dw->nodes, end);

  dn = get_dnode (dw, end, info_kind (dw, end), info_label (dw, end));
  if (t != NULL && t->branch != NULL && t->branch_action != BOUGH_DIFF_UNCHANGED)
    dn->action = t->branch_action;
  for (guint i = 0; i < dn->relationships->len && dr == NULL; i++)
    {
      BoughDiffRelationship *r = g_ptr_array_index (dn->relationships, i);
      if (g_str_equal (r->name, rel->name))
        dr = r;
    }
  if (dr == NULL)
    {
      dr = g_new0 (BoughDiffRelationship, 1);
      dr->name = g_strdup (rel->name);
      dr->label = g_strdup (rel->label);
      dr->many = rel->cardinality == BOUGH_CARDINALITY_MANY;
      dr->action = dn->action == BOUGH_DIFF_UNCHANGED ? BOUGH_DIFF_UPDATED : dn->action;
      dr->elements = g_ptr_array_new_with_free_func ((GDestroyNotify) element_free);
      g_ptr_array_add (dn->relationships, dr);
    }
  e = g_new0 (BoughDiffElement, 1);
  e->peer_id = g_strdup (peer);
  e->peer_kind = g_strdup (info_kind (dw, peer));
  e->peer_label = g_strdup (info_label (dw, peer));
  e->action = action;
  e->last_changed_at = changed_at;
  e->properties = g_ptr_array_new_with_free_func ((GDestroyNotify) property_free);
  g_ptr_array_add (dr->elements, e);
  dr->last_changed_at = MAX (dr->last_changed_at, changed_at);
  dn->last_changed_at = MAX (dn->last_changed_at, changed_at);
  return e;
}

static void
fill_element (DiffWork         *dw,
              BoughDiffElement *e,
              LinkTri          *t,
              const char       *peer)
{
  BoughDiffProperty *p = g_new0 (BoughDiffProperty, 1);
  g_autoptr(JsonObject) pb = NULL;
  g_autoptr(JsonObject) pn = NULL;

  p->property_type = "IS_RELATED";
  p->action = e->action;
  p->previous_value = link_present (t->base) ? string_node (peer) : json_node_new (JSON_NODE_NULL);
  p->new_value = link_present (t->branch) ? string_node (peer) : json_node_new (JSON_NODE_NULL);
  p->previous_label = link_present (t->base) ? g_strdup (info_label (dw, peer)) : NULL;
  p->new_label = link_present (t->branch) ? g_strdup (info_label (dw, peer)) : NULL;
  p->last_changed_at = e->last_changed_at;
  g_ptr_array_add (e->properties, p);

  if (t->base != NULL && t->base->props != NULL)
    pb = _bough_json_parse_object (t->base->props);
  if (t->branch != NULL && t->branch->props != NULL)
    pn = _bough_json_parse_object (t->branch->props);
  for (guint k = 0; k < G_N_ELEMENTS (link_props); k++)
    {
      const char *key = link_props[k].key;
      g_autoptr(JsonNode) vb = prop_get (pb, key, link_present (t->base));
      g_autoptr(JsonNode) vn = prop_get (pn, key, link_present (t->branch));

      if (nodes_equal (vb, vn) ||
          (e->action != BOUGH_DIFF_UPDATED &&
           is_default_prop (key, e->action == BOUGH_DIFF_ADDED ? vn : vb)))
        continue;
      p = g_new0 (BoughDiffProperty, 1);
      p->property_type = link_props[k].type;
      p->action = e->action == BOUGH_DIFF_UPDATED ? prop_action (vb, vn) : e->action;
      p->previous_label = prop_label (dw, key, vb);
      p->new_label = prop_label (dw, key, vn);
      p->previous_value = g_steal_pointer (&vb);
      p->new_value = g_steal_pointer (&vn);
      p->last_changed_at = e->last_changed_at;
      g_ptr_array_add (e->properties, p);
    }
}

static BoughDiffAction
link_action (const BoughRelRow *before,
             const BoughRelRow *after)
{
  if (!link_present (before))
    return BOUGH_DIFF_ADDED;
  if (!link_present (after))
    return BOUGH_DIFF_REMOVED;
  return BOUGH_DIFF_UPDATED;
}

/* A cardinality one relationship of one node whose peer both sides changed. */
typedef struct
{
  char    *end;
  BoughRelationshipSchema *rel;
  char    *branch_peer;   /* NULL: none */
  char    *main_peer;
  gboolean branch_changed;
  gboolean main_changed;
  GPtrArray *links;       /* LinkTri* (borrowed) */
} CardGroup;

static void
card_group_free (CardGroup *g)
{
  g_free (g->end);
  g_free (g->branch_peer);
  g_free (g->main_peer);
  g_ptr_array_unref (g->links);
  g_free (g);
}

static gboolean
diff_links (DiffWork  *dw,
            GError   **error)
{
  g_autoptr(GPtrArray) branch_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
  g_autoptr(GPtrArray) main_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
  g_autoptr(GPtrArray) ends = g_ptr_array_new ();
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) card_group_free);

  if (!D (dw->store)->changed_rels (dw->conn, dw->branch, TRUE, 0, branch_rows, error) ||
      !D (dw->store)->changed_rels (dw->conn, BOUGH_DEFAULT_BRANCH, FALSE, dw->bf, main_rows, error))
    return FALSE;

  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *src = pass == 0 ? branch_rows : main_rows;
      for (guint i = 0; i < src->len; i++)
        {
          BoughRelRow *r = g_ptr_array_index (src, i);
          char *key = link_key (r->identifier, r->src, r->dst);
          LinkTri *t = g_hash_table_lookup (dw->links, key);

          if (t != NULL)
            {
              g_free (key);
              continue;
            }
          t = g_new0 (LinkTri, 1);
          t->key = key;
          g_hash_table_insert (dw->links, t->key, t);
          g_ptr_array_add (dw->link_list, t);
          g_ptr_array_add (keys, r);
        }
    }

  /* the three versions of each link */
  for (guint pass = 0; pass < 3; pass++)
    {
      const char *branch = pass == 2 ? dw->branch : BOUGH_DEFAULT_BRANCH;
      gint64 at = pass == 0 ? dw->bf : 0;

      g_ptr_array_set_size (rows, 0);
      if (!fetch_rel_versions_batched (dw, branch, at, keys, rows, error))
        return FALSE;
      while (rows->len > 0)
        {
          BoughRelRow *r = g_ptr_array_steal_index_fast (rows, rows->len - 1);
          g_autofree char *key = link_key (r->identifier, r->src, r->dst);
          LinkTri *t = g_hash_table_lookup (dw->links, key);
          BoughRelRow **slot = pass == 0 ? &t->base : pass == 1 ? &t->main : &t->branch;

          if (t == NULL || (pass < 2 && r->status != BOUGH_ROW_ACTIVE) || *slot != NULL)
            {
              bough_rel_row_free (r);
              continue;
            }
          *slot = r;
        }
    }

  for (guint i = 0; i < dw->link_list->len; i++)
    {
      LinkTri *t = g_ptr_array_index (dw->link_list, i);
      const BoughRelRow *any = t->branch ? t->branch : t->main ? t->main : t->base;
      if (any == NULL)
        continue;
      g_ptr_array_add (ends, any->src);
      g_ptr_array_add (ends, any->dst);
    }
  if (!fetch_info (dw, ends, error))
    return FALSE;

  for (guint i = 0; i < dw->link_list->len; i++)
    {
      LinkTri *t = g_ptr_array_index (dw->link_list, i);
      const BoughRelRow *any = t->branch ? t->branch : t->main ? t->main : t->base;
      const BoughRelRow *branch_state = t->branch != NULL ? t->branch : t->base;

      if (any == NULL)
        continue;
      t->branch_changed = t->branch != NULL && !link_props_equal (t->base, t->branch);
      t->main_changed = !link_props_equal (t->base, t->main);
      if (t->main_changed && !t->branch_changed)
        dw->base_changes++;

      for (guint end_i = 0; end_i < 2; end_i++)
        {
          const char *end = end_i == 0 ? any->src : any->dst;
          const char *peer = end_i == 0 ? any->dst : any->src;
          BoughRelationshipSchema *rel = rel_for_end (dw, info_kind (dw, end), any->identifier, end_i == 0);

          if (rel == NULL)
            continue;
          if (rel->branch == BOUGH_BRANCH_SUPPORT_LOCAL)
            {
              t->local = TRUE;
              continue;
            }
          if (rel->branch != BOUGH_BRANCH_SUPPORT_AWARE)
            continue;
          if (t->branch_changed)
            {
              BoughDiffElement *e = get_element (dw, end, rel, peer, link_action (t->base, t->branch),
                                                 t->branch->from_stamp);
              fill_element (dw, e, t, peer);
              if (t->main_changed && !link_props_equal (t->main, branch_state))
                {
                  if (t->conflict == NULL)
                    {
                      g_autofree char *path = g_strdup_printf ("%s/relationship/%s/%s", end, rel->name, peer);
                      t->conflict = add_conflict (dw, path, FALSE,
                                                  link_action (t->base, t->main),
                                                  link_present (t->main) ? string_node (peer) : json_node_new (JSON_NODE_NULL),
                                                  link_present (t->main) ? info_label (dw, peer) : NULL,
                                                  t->main ? t->main->from_stamp : dw->bf,
                                                  e->action,
                                                  link_present (t->branch) ? string_node (peer) : json_node_new (JSON_NODE_NULL),
                                                  link_present (t->branch) ? info_label (dw, peer) : NULL,
                                                  t->branch->from_stamp);
                    }
                  e->conflict = t->conflict;
                  e->contains_conflict = TRUE;
                  ((BoughDiffNode *) g_hash_table_lookup (dw->dnodes, end))->contains_conflict = TRUE;
                }
            }
          /* the peer of a cardinality one relationship changed on both sides */
          if (rel->cardinality == BOUGH_CARDINALITY_ONE && (t->branch_changed || t->main_changed))
            {
              g_autofree char *gkey = g_strconcat (end, "\x1f", rel->name, NULL);
              CardGroup *g = g_hash_table_lookup (groups, gkey);

              if (g == NULL)
                {
                  g = g_new0 (CardGroup, 1);
                  g->end = g_strdup (end);
                  g->rel = rel;
                  g->links = g_ptr_array_new ();
                  g_hash_table_insert (groups, g_steal_pointer (&gkey), g);
                }
              g_ptr_array_add (g->links, t);
              if (t->branch_changed)
                g->branch_changed = TRUE;
              if (t->branch_changed && link_present (t->branch))
                {
                  g_free (g->branch_peer);
                  g->branch_peer = g_strdup (peer);
                }
              if (t->main_changed)
                g->main_changed = TRUE;
              if (t->main_changed && link_present (t->main))
                {
                  g_free (g->main_peer);
                  g->main_peer = g_strdup (peer);
                }
            }
        }
    }

  {
    GHashTableIter iter;
    CardGroup *g;

    g_hash_table_iter_init (&iter, groups);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &g))
      {
        g_autofree char *path = NULL;
        BoughDiffConflict *c;
        BoughDiffNode *dn;

        if (!g->branch_changed || !g->main_changed || g_strcmp0 (g->branch_peer, g->main_peer) == 0)
          continue;
        path = g_strdup_printf ("%s/relationship/%s", g->end, g->rel->name);
        c = add_conflict (dw, path, FALSE,
                          g->main_peer ? BOUGH_DIFF_UPDATED : BOUGH_DIFF_REMOVED,
                          string_node (g->main_peer), info_label (dw, g->main_peer), dw->now,
                          g->branch_peer ? BOUGH_DIFF_UPDATED : BOUGH_DIFF_REMOVED,
                          string_node (g->branch_peer), info_label (dw, g->branch_peer), dw->now);
        for (guint i = 0; i < g->links->len; i++)
          ((LinkTri *) g_ptr_array_index (g->links, i))->card_conflict = c;
        dn = g_hash_table_lookup (dw->dnodes, g->end);
        if (dn != NULL)
          {
            dn->contains_conflict = TRUE;
            for (guint i = 0; i < dn->relationships->len; i++)
              {
                BoughDiffRelationship *dr = g_ptr_array_index (dn->relationships, i);
                if (!g_str_equal (dr->name, g->rel->name))
                  continue;
                dr->contains_conflict = TRUE;
                for (guint j = 0; j < dr->elements->len; j++)
                  {
                    BoughDiffElement *e = g_ptr_array_index (dr->elements, j);
                    e->contains_conflict = TRUE;
                    if (e->conflict == NULL)
                      e->conflict = c;
                  }
              }
          }
      }
  }
  return TRUE;
}

/* The generic that declares @attr unique, when the kind has it from one. */
static const char *
generic_of_unique (DiffWork             *dw,
                   BoughAttributeSchema *attr)
{
  BoughNodeSchema *gns;
  BoughAttributeSchema *gattr;

  if (attr == NULL || attr->inherited_from == NULL || *attr->inherited_from == '\0')
    return NULL;
  gns = lookup_ns (dw, attr->inherited_from);
  gattr = gns != NULL ? bough_node_schema_get_attribute (gns, attr->name) : NULL;
  return gattr != NULL && gattr->unique ? gns->kind : NULL;
}

/* The unique attribute whose string value alone is the hfid of @ns (its
 * lookup then stands for the attribute's, see the write path), if any. */
static BoughAttributeSchema *
unique_hfid_attribute (BoughNodeSchema *ns)
{
  g_autofree char *name = NULL;
  BoughAttributeSchema *attr;

  if (ns->human_friendly_id == NULL || ns->human_friendly_id[0] == NULL ||
      ns->human_friendly_id[1] != NULL)
    return NULL;
  name = g_str_has_suffix (ns->human_friendly_id[0], "__value")
       ? g_strndup (ns->human_friendly_id[0], strlen (ns->human_friendly_id[0]) - strlen ("__value"))
       : g_strdup (ns->human_friendly_id[0]);
  attr = bough_node_schema_get_attribute (ns, name);
  return attr != NULL && attr->unique ? attr : NULL;
}

/* The scopes a lookup is matched in, as "scope\x1fkey\x1fvalue": its own
 * kind's, and the generic's when the rule it enforces is declared on a
 * generic the kind inherits (a unique attribute, also when the hfid's
 * lookup stands for it, or a uniqueness constraint): nodes of two kinds of
 * that generic then break it together. */
static void
lookup_scopes (DiffWork             *dw,
               const BoughLookupRow *l,
               GPtrArray            *out)
{
  BoughNodeSchema *ns = lookup_ns (dw, l->kind);

  g_ptr_array_add (out, g_strconcat (l->kind, "\x1f", l->key, "\x1f", l->value, NULL));
  if (ns == NULL)
    return;
  if (g_str_has_prefix (l->key, "a:"))
    {
      const char *generic = generic_of_unique (dw, bough_node_schema_get_attribute (ns, l->key + 2));
      if (generic != NULL)
        g_ptr_array_add (out, g_strconcat (generic, "\x1f", l->key, "\x1f", l->value, NULL));
    }
  else if (g_str_equal (l->key, "hfid"))
    {
      BoughAttributeSchema *attr = unique_hfid_attribute (ns);
      const char *generic = generic_of_unique (dw, attr);
      g_autoptr(JsonNode) parts = generic != NULL ? _bough_json_read (l->value) : NULL;

      if (parts != NULL && JSON_NODE_HOLDS_ARRAY (parts) &&
          json_array_get_length (json_node_get_array (parts)) == 1)
        {
          g_autofree char *value = _bough_json_text (json_array_get_element (json_node_get_array (parts), 0));
          g_ptr_array_add (out, g_strconcat (generic, "\x1f" "a:", attr->name, "\x1f", value, NULL));
        }
    }
  else if (g_str_has_prefix (l->key, "uc:"))
    {
      for (guint g = 0; ns->inherit_from != NULL && ns->inherit_from[g] != NULL; g++)
        {
          BoughNodeSchema *gns = lookup_ns (dw, ns->inherit_from[g]);

          for (guint i = 0; gns != NULL && i < gns->uniqueness_constraints->len; i++)
            {
              g_autofree char *joined = g_strjoinv (",", g_ptr_array_index (gns->uniqueness_constraints, i));
              if (g_str_equal (joined, l->key + 3))
                {
                  g_ptr_array_add (out, g_strconcat (gns->kind, "\x1f", l->key, "\x1f", l->value, NULL));
                  break;
                }
            }
        }
    }
}

/* Uniqueness rules broken only once both sides are combined: a value a node
 * written on the branch holds that a node main changed since the branch
 * point holds too, within one kind or across the kinds of the generic that
 * declares the rule. */
static gboolean
diff_uniqueness (DiffWork   *dw,
                 GHashTable *main_changed,
                 GError    **error)
{
  g_autoptr(GPtrArray) main_ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) main_lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_lookup_row_free);
  g_autoptr(GPtrArray) branch_lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_lookup_row_free);
  g_autoptr(GHashTable) by_value = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, main_changed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      NodeTri *t = g_hash_table_lookup (dw->nodes, key);
      /* a node the branch wrote is judged by its branch version */
      if (t != NULL && t->branch == NULL)
        g_ptr_array_add (main_ids, key);
    }
  if (main_ids->len == 0)
    return TRUE;
  for (guint i = 0; i < main_ids->len; i += BATCH)
    {
      g_autoptr(GPtrArray) part = g_ptr_array_new ();
      for (guint j = i; j < main_ids->len && j < i + BATCH; j++)
        g_ptr_array_add (part, g_ptr_array_index (main_ids, j));
      if (!D (dw->store)->fetch_open_lookups (dw->conn, BOUGH_DEFAULT_BRANCH, part, main_lookups, error))
        return FALSE;
    }
  if (main_lookups->len == 0)
    return TRUE;
  for (guint i = 0; i < main_lookups->len; i++)
    {
      BoughLookupRow *l = g_ptr_array_index (main_lookups, i);
      g_autoptr(GPtrArray) scopes = g_ptr_array_new ();

      lookup_scopes (dw, l, scopes);
      for (guint k = 0; k < scopes->len; k++)
        g_hash_table_insert (by_value, g_ptr_array_index (scopes, k), l);
    }
  if (!D (dw->store)->fetch_open_lookups (dw->conn, dw->branch, NULL, branch_lookups, error))
    return FALSE;
  for (guint i = 0; i < branch_lookups->len; i++)
    {
      BoughLookupRow *l = g_ptr_array_index (branch_lookups, i);
      g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);
      BoughLookupRow *m = NULL;
      const char *scope = NULL;
      g_autofree char *path = NULL;
      BoughDiffConflict *c;
      NodeTri *t;
      g_autoptr(JsonNode) value = NULL;

      lookup_scopes (dw, l, scopes);
      for (guint k = 0; k < scopes->len && m == NULL; k++)
        {
          BoughLookupRow *x = g_hash_table_lookup (by_value, g_ptr_array_index (scopes, k));
          if (x != NULL && !g_str_equal (x->uuid, l->uuid))
            {
              m = x;
              scope = g_ptr_array_index (scopes, k);
            }
        }
      if (m == NULL)
        continue;
      t = g_hash_table_lookup (dw->nodes, l->uuid);
      if (t == NULL || t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE)
        continue;
      {
        /* the scope's key and value name the rule: "unique/<kind or generic>/<key>/<value>" */
        g_auto(GStrv) parts = g_strsplit (scope, "\x1f", 3);
        value = _bough_json_parse (parts[2], NULL);
        path = g_strdup_printf ("unique/%s/%s/%s", parts[0], parts[1], parts[2]);
      }
      c = add_conflict (dw, path, TRUE,
                        BOUGH_DIFF_UPDATED, value ? json_node_copy (value) : NULL,
                        info_label (dw, m->uuid), dw->now,
                        t->branch_action, value ? json_node_copy (value) : NULL,
                        t->branch ? t->branch->label : NULL,
                        t->branch ? t->branch->from_stamp : dw->now);
      {
        BoughDiffNode *dn = get_dnode (dw, t->uuid, t->ns->kind, t->branch ? t->branch->label : NULL);
        if (t->branch_action != BOUGH_DIFF_UNCHANGED)
          dn->action = t->branch_action;
        dn->contains_conflict = TRUE;
        if (dn->conflict == NULL)
          dn->conflict = c;
      }
    }
  return TRUE;
}

/* The parents (peer through a relationship of kind Parent) of the nodes in
 * the diff, as the branch sees them now. */
static gboolean
diff_parents (DiffWork       *dw,
              BoughDiffFlags  flags,
              GError        **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) rels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) parents = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;
  guint n = dw->diff->nodes->len;
  for (guint i = 0; i < n; i++)
    {
      BoughDiffNode *dn = g_ptr_array_index (dw->diff->nodes, i);
      BoughNodeSchema *ns = lookup_ns (dw, dn->kind);
      GPtrArray *ids;

      for (guint k = 0; ns != NULL && k < ns->relationships->len; k++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, k);
          g_autofree char *gkey = NULL;

          if (rel->kind != BOUGH_RELATIONSHIP_KIND_PARENT || rel->cardinality != BOUGH_CARDINALITY_ONE)
            continue;
          gkey = g_strdup_printf ("%d\x1f%s", _bough_rel_side (rel), rel->identifier);
          ids = g_hash_table_lookup (groups, gkey);
          if (ids == NULL)
            {
              ids = g_ptr_array_new ();
              g_hash_table_insert (rels, (gpointer) rel->identifier, rel);
              g_hash_table_insert (groups, g_steal_pointer (&gkey), ids);
            }
          g_ptr_array_add (ids, dn->uuid);
          break;
        }
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *identifier = strchr (key, '\x1f') + 1;
      BoughRelSide side = (BoughRelSide) atoi (key);
      GPtrArray *ids = value;
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      BoughRelationshipSchema *rel = g_hash_table_lookup (rels, identifier);

      /* the branch's links first: they mask main's at the branch point */
      for (guint i = 0; i < ids->len; i += BATCH)
        {
          g_autoptr(GPtrArray) part = g_ptr_array_new ();
          for (guint j = i; j < ids->len && j < i + BATCH; j++)
            g_ptr_array_add (part, g_ptr_array_index (ids, j));
          if (!D (dw->store)->fetch_links_of (dw->conn, dw->branch, 0, identifier, side, part, rows, error) ||
              !D (dw->store)->fetch_links_of (dw->conn, BOUGH_DEFAULT_BRANCH, dw->bf, identifier, side,
                                              part, rows, error))
            return FALSE;
        }
      for (guint i = 0; i < rows->len; i++)
        {
          BoughRelRow *r = g_ptr_array_index (rows, i);
          if (!g_hash_table_add (seen, link_key (r->identifier, r->src, r->dst)) ||
              r->status != BOUGH_ROW_ACTIVE)
            continue;
          for (guint e = 0; e < 2; e++)
            {
              const char *end = e == 0 ? r->src : r->dst;
              const char *peer = e == 0 ? r->dst : r->src;
              BoughDiffNode *dn = g_hash_table_lookup (dw->dnodes, end);

              if (dn == NULL || dn->parent_uuid != NULL ||
                  (side == BOUGH_REL_SIDE_SRC && e != 0) || (side == BOUGH_REL_SIDE_DST && e != 1))
                continue;
              if (rel_for_end (dw, dn->kind, identifier, e == 0) != rel)
                continue;
              dn->parent_uuid = g_strdup (peer);
              dn->parent_relationship = g_strdup (rel->name);
              g_ptr_array_add (parents, dn->parent_uuid);
            }
        }
    }
  if (!fetch_info (dw, parents, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      BoughDiffNode *dn = g_ptr_array_index (dw->diff->nodes, i);
      if (dn->parent_uuid == NULL)
        continue;
      dn->parent_kind = g_strdup (info_kind (dw, dn->parent_uuid));
      if ((flags & BOUGH_DIFF_INCLUDE_PARENTS) && !g_hash_table_contains (dw->dnodes, dn->parent_uuid) &&
          dn->parent_kind != NULL)
        {
          BoughDiffNode *p = get_dnode (dw, dn->parent_uuid, dn->parent_kind, info_label (dw, dn->parent_uuid));
          p->action = BOUGH_DIFF_UNCHANGED;
        }
    }
  return TRUE;
}

static gint
compare_dnodes (gconstpointer a,
                gconstpointer b)
{
  const BoughDiffNode *x = *(BoughDiffNode * const *) a;
  const BoughDiffNode *y = *(BoughDiffNode * const *) b;
  gint c = g_strcmp0 (x->kind, y->kind);
  return c != 0 ? c : g_strcmp0 (x->uuid, y->uuid);
}

/* The packs (branch attributes of agnostic nodes) written on the branch
 * or on main since the branch point: each compared as a node of its own,
 * over those attributes only; an agnostic node exists on every side. */
static gboolean
diff_packs (DiffWork  *dw,
            GError   **error)
{
  g_autoptr(GHashTable) branch_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) main_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  GHashTableIter iter;
  gpointer key;

  if (!D (dw->store)->changed_packs (dw->conn, dw->branch, TRUE, 0, branch_ids, error) ||
      !D (dw->store)->changed_packs (dw->conn, BOUGH_DEFAULT_BRANCH, FALSE, dw->bf, main_ids, error))
    return FALSE;
  g_hash_table_iter_init (&iter, branch_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (all, key);
  g_hash_table_iter_init (&iter, main_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (branch_ids, key))
      g_ptr_array_add (all, key);
  if (all->len == 0)
    return TRUE;
  for (guint i = 0; i < all->len; i++)
    {
      NodeTri *t = g_new0 (NodeTri, 1);
      t->uuid = g_strdup (g_ptr_array_index (all, i));
      t->pack = TRUE;
      g_hash_table_insert (by_uuid, t->uuid, t);
      g_ptr_array_add (dw->pack_list, t);
    }
  for (guint pass = 0; pass < 3; pass++)
    {
      const char *branch = pass == 2 ? dw->branch : BOUGH_DEFAULT_BRANCH;
      gint64 at = pass == 0 ? dw->bf : 0;

      g_ptr_array_set_size (rows, 0);
      for (guint i = 0; i < all->len; i += BATCH)
        {
          g_autoptr(GPtrArray) part = g_ptr_array_new ();
          for (guint j = i; j < all->len && j < i + BATCH; j++)
            g_ptr_array_add (part, g_ptr_array_index (all, j));
          if (!D (dw->store)->fetch_pack_versions (dw->conn, branch, at, part, rows, error))
            return FALSE;
        }
      while (rows->len > 0)
        {
          BoughNodeRow *r = g_ptr_array_steal_index_fast (rows, rows->len - 1);
          NodeTri *t = g_hash_table_lookup (by_uuid, r->uuid);
          BoughNodeRow **slot = t == NULL ? NULL : pass == 0 ? &t->base : pass == 1 ? &t->main : &t->branch;

          if (slot == NULL || *slot != NULL)
            {
              bough_node_row_free (r);
              continue;
            }
          *slot = r;
        }
    }
  if (!fetch_info (dw, all, error))
    return FALSE;
  for (guint i = 0; i < dw->pack_list->len; i++)
    {
      NodeTri *t = g_ptr_array_index (dw->pack_list, i);
      const BoughNodeRow *any = t->branch ? t->branch : t->main ? t->main : t->base;
      BoughDiffNode *dn;

      if (any == NULL)
        continue;
      t->ns = lookup_ns (dw, any->kind);
      if (t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AGNOSTIC)
        {
          t->ns = NULL;
          continue;
        }
      t->base_exists = t->main_exists = t->branch_exists = TRUE;
      t->main_changed = t->main != NULL ? (t->base == NULL || t->main->rowid != t->base->rowid)
                                        : t->base != NULL;
      if (t->branch == NULL)
        {
          if (t->main_changed)
            dw->base_changes++;
          continue;
        }
      t->branch_action = BOUGH_DIFF_UPDATED;
      prepare_attrs (t);
      diff_node_attributes (dw, t);
      dn = g_hash_table_lookup (dw->dnodes, t->uuid);
      if (dn != NULL)
        dn->last_changed_at = MAX (dn->last_changed_at, t->branch->from_stamp);
    }
  return TRUE;
}

/* ---- schemas ---- */

static JsonArray *
array_member (JsonObject *obj,
              const char *name,
              JsonArray  *fallback)
{
  JsonNode *n = obj != NULL && json_object_has_member (obj, name) ? json_object_get_member (obj, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : fallback;
}

static gint
g_strcmp0_ptr (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* @key as held by @ordered (which takes it, or frees it when it has it). */
static char *
ordered_key (GHashTable *ordered,
             GPtrArray  *order,
             char       *key)
{
  char *held = g_hash_table_lookup (ordered, key);

  if (held != NULL)
    {
      g_free (key);
      return held;
    }
  g_hash_table_add (ordered, key);
  g_ptr_array_add (order, key);
  return key;
}

/* The elements of a schema snapshot (bough_schema_to_json()) by key: a
 * node's own properties "<list>\x1f<kind>", its attributes and
 * relationships "<list>\x1f<kind>\x1f<attribute|relationship>\x1f<name>".
 * Keys in order into @order (if not there yet). */
static void
schema_elements (JsonNode   *root,
                 GHashTable *out,
                 GPtrArray  *order,
                 GHashTable *ordered,
                 GHashTable *used_by)
{
  static const char *lists[] = { "generics", "nodes", "profiles", "templates" };
  static const char *parts[] = { "attributes", "relationships" };
  static const char *singular[] = { "attribute", "relationship" };
  JsonObject *obj = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  for (guint l = 0; obj != NULL && l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *arr = array_member (obj, lists[l], NULL);

      for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++)
        {
          JsonObject *node = json_array_get_object_element (arr, i);
          const char *kind = json_object_get_string_member_with_default (node, "kind", NULL);
          JsonObject *own = json_object_new ();
          JsonObjectIter iter;
          const char *name;
          JsonNode *member;
          char *key;

          if (kind == NULL)
            {
              json_object_unref (own);
              continue;
            }
          json_object_iter_init (&iter, node);
          while (json_object_iter_next (&iter, &name, &member))
            {
              /* which kinds use a generic follows from the kinds merged */
              if (g_str_equal (name, "used_by") && JSON_NODE_HOLDS_ARRAY (member))
                {
                  JsonArray *users = json_node_get_array (member);
                  g_hash_table_add (used_by, g_strdup (kind));
                  for (guint u = 0; u < json_array_get_length (users); u++)
                    g_hash_table_add (used_by, g_strconcat (kind, "\x1f",
                                                            json_array_get_string_element (users, u), NULL));
                  continue;
                }
              /* hashes are computed again when the schema is built */
              if (!g_str_equal (name, "attributes") && !g_str_equal (name, "relationships") &&
                  !g_str_equal (name, "hash"))
                json_object_set_member (own, name, json_node_ref (member));
            }
          key = ordered_key (ordered, order, g_strconcat (lists[l], "\x1f", kind, NULL));
          g_hash_table_insert (out, key, json_node_init_object (json_node_alloc (), own));
          json_object_unref (own);
          for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
            {
              JsonArray *elems = array_member (node, parts[p], NULL);

              for (guint j = 0; elems != NULL && j < json_array_get_length (elems); j++)
                {
                  JsonNode *elem = json_array_get_element (elems, j);
                  const char *ename = JSON_NODE_HOLDS_OBJECT (elem)
                                    ? json_object_get_string_member_with_default (json_node_get_object (elem), "name", NULL)
                                    : NULL;
                  char *ekey;

                  if (ename == NULL)
                    continue;
                  ekey = ordered_key (ordered, order,
                                      g_strconcat (lists[l], "\x1f", kind, "\x1f", singular[p], "\x1f", ename, NULL));
                  g_hash_table_insert (out, ekey, json_node_ref (elem));
                }
            }
        }
    }
}

static gboolean
schema_nodes_equal (JsonNode *a,
                    JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static BoughDiffAction
schema_action (JsonNode *before,
               JsonNode *after)
{
  return before == NULL ? BOUGH_DIFF_ADDED : after == NULL ? BOUGH_DIFF_REMOVED : BOUGH_DIFF_UPDATED;
}

/* Three-way merge of the schema, element by element (a kind's own
 * properties, each attribute, each relationship): the side that changed an
 * element since the branch point wins; both changed it differently is a
 * conflict ("schema/<kind>[/<attribute|relationship>/<name>]"), merged with
 * the side chosen (the branch's while open). */
static gboolean
diff_schema (DiffWork  *dw,
             GError   **error)
{
  BoughStore *self = dw->store;
  g_autofree char *own = NULL;
  gint64 own_from = 0, bf_from = 0, now_from = 0;
  g_autofree char *bf_hash = NULL;
  g_autofree char *now_hash = NULL;
  g_autoptr(BoughSchema) base = NULL;
  g_autoptr(BoughSchema) main_now = NULL;
  g_autoptr(JsonNode) jb = NULL, jm = NULL, jn = NULL;
  g_autoptr(GHashTable) eb = NULL, em = NULL, en = NULL;
  g_autoptr(GHashTable) ordered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) used_by = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) unused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) merged_kinds = g_hash_table_new (g_str_hash, g_str_equal);

  dw->own_schema = D (self)->get_schema (dw->conn, dw->branch, G_MAXINT64, &own, &own_from, NULL);
  if (!dw->own_schema)
    return TRUE;
  if (!D (self)->get_schema_stamp (dw->conn, BOUGH_DEFAULT_BRANCH, dw->bf, &bf_from, &bf_hash, NULL) ||
      !D (self)->get_schema_stamp (dw->conn, BOUGH_DEFAULT_BRANCH, G_MAXINT64, &now_from, &now_hash, NULL) ||
      bf_from == now_from)
    return TRUE;
  base = _bough_store_load_schema (self, dw->conn, BOUGH_DEFAULT_BRANCH, MAX (dw->bf, 1), error);
  main_now = _bough_store_current_schema (self, dw->conn, BOUGH_DEFAULT_BRANCH, error);
  if (base == NULL || main_now == NULL)
    return FALSE;
  if (g_strcmp0 (bough_schema_get_hash (main_now), bough_schema_get_hash (dw->schema)) == 0)
    return TRUE;

  jb = bough_schema_to_json (base);
  jm = bough_schema_to_json (main_now);
  jn = bough_schema_to_json (dw->schema);
  eb = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) json_node_unref);
  em = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) json_node_unref);
  en = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) json_node_unref);
  /* the branch's order first, then what main added */
  schema_elements (jn, en, order, ordered, used_by);
  schema_elements (jm, em, order, ordered, used_by);
  schema_elements (jb, eb, order, ordered, unused);

  for (guint i = 0; i < order->len; i++)
    {
      const char *key = g_ptr_array_index (order, i);
      JsonNode *b = g_hash_table_lookup (eb, key);
      JsonNode *m = g_hash_table_lookup (em, key);
      JsonNode *n = g_hash_table_lookup (en, key);
      JsonNode *want;
      g_auto(GStrv) parts = g_strsplit (key, "\x1f", 4);
      g_autofree char *kkey = g_strconcat (parts[0], "\x1f", parts[1], NULL);
      JsonObject *node;

      if (schema_nodes_equal (m, n) || schema_nodes_equal (b, m))
        want = n;
      else if (schema_nodes_equal (b, n))
        want = m;
      else if (g_str_equal (parts[0], "profiles") || g_str_equal (parts[0], "templates"))
        {
          /* a profile or template kind is made from its node kind: it
           * follows the side chosen for the node's element */
          const char *source = g_str_has_prefix (parts[1], "Profile") ? parts[1] + strlen ("Profile")
                             : g_str_has_prefix (parts[1], "Template") ? parts[1] + strlen ("Template")
                             : parts[1];
          g_autofree char *path = parts[2] != NULL
                                ? g_strdup_printf ("schema/%s/%s/%s", source, parts[2], parts[3])
                                : g_strdup_printf ("schema/%s", source);
          BoughDiffSide side = BOUGH_DIFF_SIDE_NONE;

          for (guint c = 0; c < dw->diff->conflicts->len; c++)
            {
              BoughDiffConflict *x = g_ptr_array_index (dw->diff->conflicts, c);
              if (g_str_equal (x->path, path))
                side = x->selected;
            }
          want = side == BOUGH_DIFF_SIDE_BASE ? m : n;
        }
      else
        {
          g_autofree char *path = parts[2] != NULL
                                ? g_strdup_printf ("schema/%s/%s/%s", parts[1], parts[2], parts[3])
                                : g_strdup_printf ("schema/%s", parts[1]);
          BoughDiffConflict *c = add_conflict (dw, path, FALSE,
                                               schema_action (b, m),
                                               m != NULL ? json_node_copy (m) : json_node_new (JSON_NODE_NULL),
                                               parts[1], now_from,
                                               schema_action (b, n),
                                               n != NULL ? json_node_copy (n) : json_node_new (JSON_NODE_NULL),
                                               parts[1], own_from);
          want = c->selected == BOUGH_DIFF_SIDE_BASE ? m : n;
        }
      if (want == NULL)
        continue;
      node = g_hash_table_lookup (kinds, kkey);
      if (parts[2] == NULL)
        {
          JsonArray *list;

          if (node == NULL)
            {
              node = json_object_new ();
              json_object_set_array_member (node, "attributes", json_array_new ());
              json_object_set_array_member (node, "relationships", json_array_new ());
              g_hash_table_insert (kinds, g_strdup (kkey), node);
              g_hash_table_add (merged_kinds, (gpointer) json_object_get_string_member (json_node_get_object (want), "kind"));
              list = array_member (out, parts[0], NULL);
              if (list == NULL)
                {
                  list = json_array_new ();
                  json_object_set_array_member (out, parts[0], list);
                }
              json_array_add_object_element (list, node);
            }
          {
            JsonObjectIter iter;
            const char *name;
            JsonNode *member;

            json_object_iter_init (&iter, json_node_get_object (want));
            while (json_object_iter_next (&iter, &name, &member))
              json_object_set_member (node, name, json_node_copy (member));
          }
        }
      else if (node != NULL)
        json_array_add_element (json_object_get_array_member (node, g_str_equal (parts[2], "attribute")
                                                                   ? "attributes" : "relationships"),
                                json_node_copy (want));
    }
  /* used_by: the users either side has that the merged schema has */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, kinds);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        const char *kind = strchr (key, '\x1f') + 1;
        g_autoptr(GPtrArray) users = g_ptr_array_new ();
        GHashTableIter it;
        gpointer pair;
        JsonArray *arr;

        g_hash_table_iter_init (&it, used_by);
        while (g_hash_table_iter_next (&it, &pair, NULL))
          {
            const char *sep = strchr (pair, '\x1f');
            if (sep != NULL && (gsize) (sep - (const char *) pair) == strlen (kind) && strncmp (pair, kind, sep - (const char *) pair) == 0 &&
                g_hash_table_contains (merged_kinds, sep + 1))
              g_ptr_array_add (users, (gpointer) (sep + 1));
          }
        /* only kinds that list their users (generics) */
        if (!g_hash_table_contains (used_by, kind))
          continue;
        g_ptr_array_sort (users, (GCompareFunc) g_strcmp0_ptr);
        arr = json_array_new ();
        for (guint i = 0; i < users->len; i++)
          json_array_add_string_element (arr, g_ptr_array_index (users, i));
        json_object_set_array_member (value, "used_by", arr);
      }
  }
  root = json_node_init_object (json_node_alloc (), out);
  dw->merged_schema = bough_schema_new_from_json (root, error);
  return dw->merged_schema != NULL;
}

/* The changes made since the last DiffUpdate (all of them without one), on
 * each side, counted per element as the diff compares them. */
static void
count_untracked (DiffWork *dw)
{
  gint64 since = dw->tracked_at;

  for (guint i = 0; i < dw->node_list->len; i++)
    {
      NodeTri *t = g_ptr_array_index (dw->node_list, i);
      gint64 main_at;

      if (t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE)
        continue;
      if (t->branch != NULL && t->branch->from_stamp >= since && g_hash_table_contains (dw->dnodes, t->uuid))
        dw->diff->num_untracked_diff_changes++;
      main_at = t->main != NULL ? t->main->from_stamp : t->base != NULL ? t->base->to_stamp : 0;
      if (t->main_changed && main_at >= since)
        dw->diff->num_untracked_base_changes++;
    }
  for (guint i = 0; i < dw->link_list->len; i++)
    {
      LinkTri *t = g_ptr_array_index (dw->link_list, i);
      gint64 main_at;

      if (t->local)
        continue;
      if (t->branch_changed && t->branch->from_stamp >= since)
        dw->diff->num_untracked_diff_changes++;
      main_at = t->main != NULL ? t->main->from_stamp : t->base != NULL ? t->base->to_stamp : 0;
      if (t->main_changed && main_at >= since)
        dw->diff->num_untracked_base_changes++;
    }
}

/* Which recorded conflicts the diff found again: the others no longer
 * apply and are pruned when the diff is recorded. */
static void
find_stale_conflicts (DiffWork *dw)
{
  g_autoptr(GHashTable) found = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  dw->keep_ids = g_ptr_array_new ();
  for (guint i = 0; i < dw->diff->conflicts->len; i++)
    {
      BoughDiffConflict *c = g_ptr_array_index (dw->diff->conflicts, i);
      if (g_hash_table_add (found, c->id))
        g_ptr_array_add (dw->keep_ids, c->id);
    }
  g_hash_table_iter_init (&iter, dw->stored);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (found, key))
      dw->stale = TRUE;
}

/* Compares @branch with main on @conn (a reader, or the writer inside a
 * transaction), as of the branch point @bf. */
static DiffWork *
diff_compute (BoughStore       *self,
              BoughDriverConn  *conn,
              const BoughBranch *record,
              BoughDiffFlags    flags,
              GError          **error)
{
  g_autoptr(DiffWork) dw = g_new0 (DiffWork, 1);
  g_autoptr(GHashTable) branch_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) main_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);
  GHashTableIter iter;
  gpointer key;

  dw->store = self;
  dw->conn = conn;
  dw->branch = g_strdup (record->name);
  dw->branch_id = g_strdup (record->id);
  dw->bf = record->branched_from;
  dw->now = _bough_store_next_stamp (self);
  dw->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) node_tri_free);
  dw->node_list = g_ptr_array_new ();
  dw->pack_list = g_ptr_array_new_with_free_func ((GDestroyNotify) node_tri_free);
  dw->links = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) link_tri_free);
  dw->link_list = g_ptr_array_new ();
  dw->info = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bough_node_row_free);
  dw->stored = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bough_conflict_row_free);
  dw->to_record = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_conflict_row_free);
  dw->dnodes = g_hash_table_new (g_str_hash, g_str_equal);
  dw->scratch = g_array_new (FALSE, FALSE, sizeof (BoughJsonRawMember));
  dw->diff = g_new0 (BoughDiff, 1);
  dw->diff->branch = g_strdup (record->name);
  dw->diff->from_time = record->branched_from;
  dw->diff->to_time = dw->now;
  dw->diff->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) diff_node_free);
  dw->diff->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_free);

  dw->schema = _bough_store_current_schema (self, conn, record->name, error);
  if (dw->schema == NULL || !load_stored_conflicts (dw, error) ||
      !D (self)->get_diff_update (conn, record->name, &dw->tracked_at, error))
    return NULL;
  dw->diff->updated_at = dw->tracked_at;

  if (!D (self)->changed_nodes (conn, record->name, TRUE, 0, branch_ids, error) ||
      !D (self)->changed_nodes (conn, BOUGH_DEFAULT_BRANCH, FALSE, dw->bf, main_ids, error))
    return NULL;
  g_hash_table_iter_init (&iter, branch_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (all, key);
  g_hash_table_iter_init (&iter, main_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (branch_ids, key))
      g_ptr_array_add (all, key);
  for (guint i = 0; i < all->len; i++)
    {
      NodeTri *t = g_new0 (NodeTri, 1);
      t->uuid = g_strdup (g_ptr_array_index (all, i));
      g_hash_table_insert (dw->nodes, t->uuid, t);
      g_ptr_array_add (dw->node_list, t);
    }

  for (guint pass = 0; pass < 3; pass++)
    {
      const char *branch = pass == 2 ? record->name : BOUGH_DEFAULT_BRANCH;
      gint64 at = pass == 0 ? dw->bf : 0;

      g_ptr_array_set_size (rows, 0);
      if (!fetch_versions_batched (dw, branch, at, all, rows, error))
        return NULL;
      while (rows->len > 0)
        {
          BoughNodeRow *r = g_ptr_array_steal_index_fast (rows, rows->len - 1);
          NodeTri *t = g_hash_table_lookup (dw->nodes, r->uuid);
          BoughNodeRow **slot = pass == 0 ? &t->base : pass == 1 ? &t->main : &t->branch;

          if (t == NULL || *slot != NULL)
            {
              bough_node_row_free (r);
              continue;
            }
          remember_info (dw, r, pass == 2);
          *slot = r;
        }
    }

  for (guint i = 0; i < dw->node_list->len; i++)
    {
      NodeTri *t = g_ptr_array_index (dw->node_list, i);
      const BoughNodeRow *any = t->branch ? t->branch : t->main ? t->main : t->base;

      if (any == NULL)
        continue;
      t->ns = lookup_ns (dw, any->kind);
      t->base_exists = t->base != NULL && t->base->status == BOUGH_ROW_ACTIVE;
      t->main_exists = t->main != NULL && t->main->status == BOUGH_ROW_ACTIVE;
      t->branch_exists = t->branch != NULL ? t->branch->status == BOUGH_ROW_ACTIVE : t->base_exists;
      t->main_changed = t->main != NULL ? (t->base == NULL || t->main->rowid != t->base->rowid)
                                        : t->base != NULL;
      if (t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE)
        continue;
      if (t->branch == NULL)
        {
          /* changed on main only: nothing of it is compared */
          if (t->main_changed)
            dw->base_changes++;
          continue;
        }
      prepare_attrs (t);
      if (!t->base_exists)
        t->branch_action = t->branch_exists ? BOUGH_DIFF_ADDED : BOUGH_DIFF_UNCHANGED;
      else
        t->branch_action = t->branch_exists ? BOUGH_DIFF_UPDATED : BOUGH_DIFF_REMOVED;
    }

  /* labels of sources and owners come from info: fetch them first */
  {
    g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < dw->node_list->len; i++)
      {
        NodeTri *t = g_ptr_array_index (dw->node_list, i);
        const BoughNodeRow *rows[] = { t->base, t->branch, t->main };
        JsonObject *objs[] = { t->a_base, t->a_branch, t->a_main };
        GArray *raws[] = { t->r_base, t->r_branch, t->r_main };
        if (t->branch == NULL || t->ns == NULL)
          continue;
        for (guint o = 0; o < G_N_ELEMENTS (objs); o++)
          {
            JsonObjectIter it;
            const char *name;
            JsonNode *member;

            if (!t->parsed)
              {
                /* most texts name no source or owner at all */
                if (raws[o] == NULL || rows[o] == NULL || rows[o]->attrs == NULL ||
                    (strstr (rows[o]->attrs, "\"source\"") == NULL &&
                     strstr (rows[o]->attrs, "\"owner\"") == NULL))
                  continue;
                for (guint m = 0; m < raws[o]->len; m++)
                  {
                    const BoughJsonRawMember *entry = &g_array_index (raws[o], BoughJsonRawMember, m);
                    const char *values[G_N_ELEMENTS (attr_props)];
                    gsize lens[G_N_ELEMENTS (attr_props)];

                    if (!raw_props (dw, entry, values, lens))
                      continue;
                    for (guint k = 0; k < G_N_ELEMENTS (attr_props); k++)
                      {
                        g_autofree char *text = NULL;
                        g_autoptr(JsonNode) ref = NULL;

                        if (values[k] == NULL || values[k][0] != '"' ||
                            (!g_str_equal (attr_props[k].key, "source") &&
                             !g_str_equal (attr_props[k].key, "owner")))
                          continue;
                        text = g_strndup (values[k], lens[k]);
                        ref = _bough_json_read (text);
                        if (ref != NULL && JSON_NODE_HOLDS_VALUE (ref) &&
                            json_node_get_value_type (ref) == G_TYPE_STRING)
                          g_ptr_array_add (refs, g_strdup (json_node_get_string (ref)));
                      }
                  }
                continue;
              }
            if (objs[o] == NULL)
              continue;
            json_object_iter_init (&it, objs[o]);
            while (json_object_iter_next (&it, &name, &member))
              {
                JsonObject *e = JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
                for (guint k = 0; e != NULL && k < 2; k++)
                  {
                    const char *ref = json_object_get_string_member_with_default (e, k == 0 ? "source" : "owner", NULL);
                    if (ref != NULL)
                      g_ptr_array_add (refs, g_strdup (ref));
                  }
              }
          }
      }
    if (!fetch_info (dw, refs, error))
      return NULL;
  }

  for (guint i = 0; i < dw->node_list->len; i++)
    {
      NodeTri *t = g_ptr_array_index (dw->node_list, i);
      BoughDiffNode *dn;

      if (t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE || t->branch == NULL)
        continue;
      diff_node_attributes (dw, t);
      dn = g_hash_table_lookup (dw->dnodes, t->uuid);
      /* one side removed the node, the other changed it */
      if (t->main_changed && t->branch_action != BOUGH_DIFF_UNCHANGED &&
          ((t->branch_action == BOUGH_DIFF_REMOVED && t->main_exists) ||
           (t->branch_action != BOUGH_DIFF_REMOVED && t->base_exists && !t->main_exists)))
        {
          if (dn == NULL)
            dn = get_dnode (dw, t->uuid, t->ns->kind, t->branch->label ? t->branch->label
                                                     : t->base ? t->base->label : NULL);
          dn->action = t->branch_action;
          t->conflict = add_conflict (dw, t->uuid, FALSE,
                                      t->main_exists ? BOUGH_DIFF_UPDATED : BOUGH_DIFF_REMOVED,
                                      t->main_exists ? string_node (t->uuid) : json_node_new (JSON_NODE_NULL),
                                      t->main_exists ? t->main->label : NULL,
                                      t->main != NULL ? t->main->from_stamp : dw->now,
                                      t->branch_action,
                                      t->branch_exists ? string_node (t->uuid) : json_node_new (JSON_NODE_NULL),
                                      t->branch->label, t->branch->from_stamp);
          dn->conflict = t->conflict;
          dn->contains_conflict = TRUE;
        }
      if (dn != NULL)
        dn->last_changed_at = MAX (dn->last_changed_at, t->branch->from_stamp);
      else if (t->branch_action == BOUGH_DIFF_ADDED || t->branch_action == BOUGH_DIFF_REMOVED)
        {
          dn = get_dnode (dw, t->uuid, t->ns->kind, t->branch->label ? t->branch->label
                                                   : t->base ? t->base->label : NULL);
          dn->action = t->branch_action;
          dn->last_changed_at = t->branch->from_stamp;
        }
    }

  if (!diff_packs (dw, error) || !diff_links (dw, error) || !diff_schema (dw, error))
    return NULL;
  if (!diff_uniqueness (dw, main_ids, error))
    return NULL;
  if (!(flags & DIFF_FOR_APPLY) && !diff_parents (dw, flags, error))
    return NULL;

  for (guint i = 0; i < dw->diff->nodes->len; i++)
    {
      BoughDiffNode *dn = g_ptr_array_index (dw->diff->nodes, i);
      for (guint r = 0; r < dn->relationships->len; r++)
        {
          BoughDiffRelationship *dr = g_ptr_array_index (dn->relationships, r);
          for (guint e = 0; e < dr->elements->len; e++)
            if (((BoughDiffElement *) g_ptr_array_index (dr->elements, e))->contains_conflict)
              dr->contains_conflict = dn->contains_conflict = TRUE;
        }
      switch (dn->action)
        {
        case BOUGH_DIFF_ADDED: dw->diff->num_added++; break;
        case BOUGH_DIFF_REMOVED: dw->diff->num_removed++; break;
        case BOUGH_DIFF_UPDATED: dw->diff->num_updated++; break;
        case BOUGH_DIFF_UNCHANGED:
        default: break;
        }
    }
  g_ptr_array_sort (dw->diff->nodes, compare_dnodes);
  dw->diff->num_conflicts = dw->diff->conflicts->len;
  for (guint i = 0; i < dw->diff->conflicts->len; i++)
    if (((BoughDiffConflict *) g_ptr_array_index (dw->diff->conflicts, i))->selected == BOUGH_DIFF_SIDE_NONE)
      dw->diff->num_open_conflicts++;
  dw->diff->num_base_changes = dw->base_changes;
  count_untracked (dw);
  find_stale_conflicts (dw);
  return g_steal_pointer (&dw);
}

/* Records the conflicts @dw found and prunes those it no longer finds. */
static gboolean
record_conflicts (BoughStore       *self,
                  BoughDriverConn  *conn,
                  DiffWork         *dw,
                  GError          **error)
{
  for (guint i = 0; i < dw->to_record->len; i++)
    if (!D (self)->put_conflict (conn, g_ptr_array_index (dw->to_record, i), error))
      return FALSE;
  if (dw->stale && !D (self)->prune_conflicts (conn, dw->branch, dw->keep_ids, error))
    return FALSE;
  return TRUE;
}

/* The branch record on @conn, or an error. */
static BoughBranch *
branch_record (BoughStore       *self,
               BoughDriverConn  *conn,
               const char       *name,
               GError          **error)
{
  BoughBranch *record = NULL;
  GError *local_error = NULL;

  if (!D (self)->get_branch_record (conn, name, &record, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Branch “%s” not found", name);
      return NULL;
    }
  if (record->is_default)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "The default branch has no diff, merge or rebase");
      bough_branch_free (record);
      return NULL;
    }
  return record;
}

/* Computes the diff of @branch on a reader, then records its conflicts
 * (and, with @mark_update, the time of this DiffUpdate) in a short write. */
static BoughDiff *
diff_and_record (BoughStore      *self,
                 const char      *branch,
                 BoughDiffFlags   flags,
                 gboolean         mark_update,
                 GError         **error)
{
  g_autoptr(BoughBranch) record = NULL;
  g_autoptr(DiffWork) dw = NULL;
  BoughDriverConn *conn;
  gboolean ok;

  conn = D (self)->reader_acquire (self->db, error);
  if (conn == NULL)
    return NULL;
  /* one read transaction: every statement sees the same snapshot */
  if (D (self)->savepoint (conn, error))
    {
      record = branch_record (self, conn, branch, error);
      if (record != NULL)
        dw = diff_compute (self, conn, record, flags, error);
      D (self)->rollback_savepoint (conn);
    }
  D (self)->reader_release (self->db, conn);
  if (dw == NULL)
    return NULL;
  if (dw->to_record->len == 0 && !dw->stale && !mark_update)
    return g_steal_pointer (&dw->diff);

  /* recorded apart from the read, in a short write of their own; a
   * concurrent recording of the same conflicts is harmless */
  conn = D (self)->writer_acquire (self->db);
  ok = D (self)->begin (conn, error) &&
       record_conflicts (self, conn, dw, error) &&
       (!mark_update || D (self)->set_diff_update (conn, branch, dw->now, error)) &&
       D (self)->commit (conn, error);
  if (!ok)
    D (self)->rollback (conn);
  D (self)->writer_release (self->db, conn);
  if (!ok)
    return NULL;
  if (mark_update)
    {
      dw->diff->updated_at = dw->now;
      dw->diff->num_untracked_base_changes = 0;
      dw->diff->num_untracked_diff_changes = 0;
    }
  return g_steal_pointer (&dw->diff);
}

/**
 * bough_store_diff_branch:
 * @self: a store
 * @branch: a branch other than the default one
 * @flags: what to add
 * @error: return location for a #GError
 *
 * Computes the diff of @branch against the default branch now. Its cost
 * grows with the number of elements changed on either side since the branch
 * point. The conflicts found are recorded, so that
 * bough_store_resolve_conflict() knows their ids.
 *
 * Returns: (transfer full): the diff
 */
BoughDiff *
bough_store_diff_branch (BoughStore      *self,
                         const char      *branch,
                         BoughDiffFlags   flags,
                         GError         **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (branch != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return diff_and_record (self, branch, flags, FALSE, error);
}

/* Drops from @diff what the branch changed outside [@from, @to]: properties
 * and elements by their change's stamp, then what is left empty. Nodes in
 * conflict stay while their conflict does. */
static void
diff_window (BoughDiff *diff,
             gint64     from,
             gint64     to)
{
  g_autoptr(GHashTable) parents = g_hash_table_new (g_str_hash, g_str_equal);

#define IN_WINDOW(at) ((at) >= from && (at) <= to)
  for (guint i = diff->nodes->len; i > 0; i--)
    {
      BoughDiffNode *n = g_ptr_array_index (diff->nodes, i - 1);
      gint64 last = 0;

      if (n->action == BOUGH_DIFF_UNCHANGED)
        continue;
      for (guint a = n->attributes->len; a > 0; a--)
        {
          BoughDiffAttribute *da = g_ptr_array_index (n->attributes, a - 1);
          for (guint p = da->properties->len; p > 0; p--)
            {
              BoughDiffProperty *dp = g_ptr_array_index (da->properties, p - 1);
              if (!IN_WINDOW (dp->last_changed_at))
                g_ptr_array_remove_index (da->properties, p - 1);
            }
          if (da->properties->len == 0)
            g_ptr_array_remove_index (n->attributes, a - 1);
          else
            last = MAX (last, da->last_changed_at);
        }
      for (guint r = n->relationships->len; r > 0; r--)
        {
          BoughDiffRelationship *dr = g_ptr_array_index (n->relationships, r - 1);
          for (guint e = dr->elements->len; e > 0; e--)
            {
              BoughDiffElement *de = g_ptr_array_index (dr->elements, e - 1);
              if (!IN_WINDOW (de->last_changed_at))
                g_ptr_array_remove_index (dr->elements, e - 1);
            }
          if (dr->elements->len == 0)
            g_ptr_array_remove_index (n->relationships, r - 1);
          else
            last = MAX (last, dr->last_changed_at);
        }
      if (n->attributes->len == 0 && n->relationships->len == 0 &&
          !IN_WINDOW (n->last_changed_at) && n->conflict == NULL)
        {
          g_ptr_array_remove_index (diff->nodes, i - 1);
          continue;
        }
      if (n->parent_uuid != NULL)
        g_hash_table_add (parents, n->parent_uuid);
    }
  /* parents shown only for grouping go with their last child */
  for (guint i = diff->nodes->len; i > 0; i--)
    {
      BoughDiffNode *n = g_ptr_array_index (diff->nodes, i - 1);
      if (n->action == BOUGH_DIFF_UNCHANGED && !g_hash_table_contains (parents, n->uuid))
        g_ptr_array_remove_index (diff->nodes, i - 1);
    }
#undef IN_WINDOW
  diff->num_added = diff->num_updated = diff->num_removed = 0;
  for (guint i = 0; i < diff->nodes->len; i++)
    switch (((BoughDiffNode *) g_ptr_array_index (diff->nodes, i))->action)
      {
      case BOUGH_DIFF_ADDED: diff->num_added++; break;
      case BOUGH_DIFF_REMOVED: diff->num_removed++; break;
      case BOUGH_DIFF_UPDATED: diff->num_updated++; break;
      case BOUGH_DIFF_UNCHANGED:
      default: break;
      }
  diff->from_time = MAX (diff->from_time, from);
  diff->to_time = MIN (diff->to_time, to);
}

/**
 * bough_store_diff_branch_window:
 * @self: a store
 * @branch: a branch other than the default one
 * @flags: what to add
 * @from_time: the window's start (a commit stamp); 0 or a stamp before the
 *   branch point: the branch point
 * @to_time: the window's end; 0: now
 * @error: return location for a #GError
 *
 * The diff of @branch (as bough_store_diff_branch()) restricted to the
 * changes the branch made between @from_time and @to_time (DiffTree's
 * from_time and to_time). Conflicts, the counts of untracked changes and
 * the values compared are those of the whole diff.
 *
 * Returns: (transfer full): the diff
 */
BoughDiff *
bough_store_diff_branch_window (BoughStore      *self,
                                const char      *branch,
                                BoughDiffFlags   flags,
                                gint64           from_time,
                                gint64           to_time,
                                GError         **error)
{
  BoughDiff *diff;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (branch != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  diff = diff_and_record (self, branch, flags, FALSE, error);
  if (diff != NULL && (from_time > diff->from_time || (to_time > 0 && to_time < diff->to_time)))
    diff_window (diff, MAX (from_time, diff->from_time), to_time > 0 ? to_time : diff->to_time);
  return diff;
}

/**
 * bough_store_update_diff:
 * @self: a store
 * @branch: a branch other than the default one
 * @error: return location for a #GError
 *
 * DiffUpdate: computes the diff of @branch, records its conflicts (and
 * prunes those that no longer apply) and records the time, from which
 * later diffs count their untracked changes.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_update_diff (BoughStore  *self,
                         const char  *branch,
                         GError     **error)
{
  g_autoptr(BoughDiff) diff = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (branch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  diff = diff_and_record (self, branch, BOUGH_DIFF_FLAGS_NONE, TRUE, error);
  return diff != NULL;
}

/**
 * bough_store_resolve_conflict:
 * @self: a store
 * @conflict_id: the id of a conflict of a diff
 * @side: the side kept: base (main) or diff (the branch); NONE reopens it
 * @error: return location for a #GError
 *
 * Stores the side chosen for a conflict (durably). The choice holds while
 * both sides keep the values it was made for. A uniqueness conflict cannot
 * be resolved this way.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_resolve_conflict (BoughStore     *self,
                              const char     *conflict_id,
                              BoughDiffSide   side,
                              GError        **error)
{
  g_autoptr(BoughConflictRow) row = NULL;
  BoughDriverConn *conn;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);
  g_return_val_if_fail (side <= BOUGH_DIFF_SIDE_DIFF, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = D (self)->writer_acquire (self->db);
  ok = D (self)->begin (conn, error) && D (self)->get_conflict (conn, conflict_id, &row, error);
  if (ok && row == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Conflict %s not found", conflict_id);
      ok = FALSE;
    }
  if (ok && g_str_has_prefix (row->path, "unique/"))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "Conflict %s is a uniqueness conflict: change one of the values instead", conflict_id);
      ok = FALSE;
    }
  if (ok)
    {
      row->selected = side;
      ok = D (self)->put_conflict (conn, row, error) && D (self)->commit (conn, error);
    }
  if (!ok)
    D (self)->rollback (conn);
  D (self)->writer_release (self->db, conn);
  return ok;
}

static char *
conflict_message (const BoughDiffConflict *c)
{
  if (c->uniqueness)
    return g_strdup_printf ("Conflict %s: %s: “%s” on the branch and “%s” on %s hold the same value",
                            c->id, c->path, c->diff_label ? c->diff_label : "?",
                            c->base_label ? c->base_label : "?", BOUGH_DEFAULT_BRANCH);
  return g_strdup_printf ("Conflict %s: %s changed on both %s (%s) and the branch (%s)",
                          c->id, c->path, BOUGH_DEFAULT_BRANCH,
                          bough_diff_action_to_string (c->base_action),
                          bough_diff_action_to_string (c->diff_action));
}

static char **
open_conflict_messages (BoughDiff *diff)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new ();

  for (guint i = 0; i < diff->conflicts->len; i++)
    {
      BoughDiffConflict *c = g_ptr_array_index (diff->conflicts, i);
      if (c->selected == BOUGH_DIFF_SIDE_NONE)
        g_ptr_array_add (out, conflict_message (c));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/**
 * bough_store_validate_branch:
 * @self: a store
 * @branch: a branch other than the default one
 * @messages: (out) (optional) (transfer full): one message per open conflict
 * @error: return location for a #GError
 *
 * Checks whether @branch can merge: no open conflict (data or uniqueness).
 *
 * Returns: %TRUE when it can; %FALSE with @messages and @error unset when it
 *   cannot, %FALSE with @error set when the check failed
 */
gboolean
bough_store_validate_branch (BoughStore   *self,
                             const char   *branch,
                             char       ***messages,
                             GError      **error)
{
  g_autoptr(BoughDiff) diff = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (branch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (messages != NULL)
    *messages = NULL;
  diff = bough_store_diff_branch (self, branch, BOUGH_DIFF_FLAGS_NONE, error);
  if (diff == NULL)
    return FALSE;
  if (messages != NULL)
    *messages = open_conflict_messages (diff);
  return diff->num_open_conflicts == 0;
}

/* ---- merge and rebase ---- */

typedef struct
{
  BoughTxn          *txn;
  DiffWork          *dw;
  GHashTable        *lookups;   /* uuid → GPtrArray of BoughLookup*: the branch's open lookups */
  GHashTable        *main_lookups; /* uuid → GPtrArray of BoughLookupRow*: main's, of the nodes merged */
  GArray            *pending_close; /* rowids of main's versions to close (gint64) */
  BoughProgressFunc  progress;
  gpointer           user_data;
} ApplyWork;

static void
report (ApplyWork  *aw,
        const char *step,
        guint       done,
        guint       total)
{
  /* often enough to follow, rarely enough to cost nothing */
  if (aw->progress != NULL && (done == 0 || done == total || done % 1000 == 0))
    aw->progress (step, done, total, aw->user_data);
}

static gboolean
load_branch_lookups (ApplyWork  *aw,
                     GError    **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_lookup_row_free);
  BoughStore *self = aw->txn->store;

  if (!D (self)->fetch_open_lookups (aw->txn->conn, aw->dw->branch, NULL, rows, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      BoughLookupRow *r = g_ptr_array_index (rows, i);
      GPtrArray *list = g_hash_table_lookup (aw->lookups, r->uuid);
      BoughLookup *l = g_new0 (BoughLookup, 1);

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_lookup_free);
          g_hash_table_insert (aw->lookups, g_strdup (r->uuid), list);
        }
      l->key = g_steal_pointer (&r->key);
      l->value = g_steal_pointer (&r->value);
      g_ptr_array_add (list, l);
    }
  return TRUE;
}

/* Writes @row's state (attributes, hfid, label and the lookups @lookups)
 * as a new open version of its node on @target, closing the open one
 * (@open_rowid, 0: none). The attributes are @attrs, or with %NULL @row's
 * own stored text (restamped, not parsed). */
static gboolean
flush_closes (ApplyWork  *aw,
              GError    **error)
{
  BoughTxn *txn = aw->txn;

  if (aw->pending_close == NULL || aw->pending_close->len == 0)
    return TRUE;
  if (!D (txn->store)->close_nodes (txn->conn, (const gint64 *) (gpointer) aw->pending_close->data,
                                    aw->pending_close->len, txn->stamp, error))
    return FALSE;
  g_array_set_size (aw->pending_close, 0);
  return TRUE;
}

/* Main's open lookups of @uuid (read before the merge wrote anything) are
 * @lookups already. */
static gboolean
main_lookups_same (ApplyWork  *aw,
                   const char *uuid,
                   GPtrArray  *lookups)
{
  GPtrArray *have = aw->main_lookups != NULL ? g_hash_table_lookup (aw->main_lookups, uuid) : NULL;
  guint n_have = have != NULL ? have->len : 0;
  guint n_want = lookups != NULL ? lookups->len : 0;

  if (aw->main_lookups == NULL || n_have != n_want)
    return FALSE;
  for (guint i = 0; i < n_want; i++)
    {
      BoughLookup *l = g_ptr_array_index (lookups, i);
      gboolean found = FALSE;

      for (guint j = 0; j < n_have && !found; j++)
        {
          BoughLookupRow *r = g_ptr_array_index (have, j);
          found = g_strcmp0 (r->key, l->key) == 0 && g_strcmp0 (r->value, l->value) == 0;
        }
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_main_lookups (ApplyWork  *aw,
                   GPtrArray  *uuids,
                   GError    **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  BoughTxn *txn = aw->txn;

  for (guint i = 0; i < uuids->len; i += BATCH)
    {
      g_autoptr(GPtrArray) part = g_ptr_array_new ();
      for (guint j = i; j < uuids->len && j < i + BATCH; j++)
        g_ptr_array_add (part, g_ptr_array_index (uuids, j));
      if (!D (txn->store)->fetch_open_lookups (txn->conn, BOUGH_DEFAULT_BRANCH, part, rows, error))
        {
          g_ptr_array_set_free_func (rows, (GDestroyNotify) bough_lookup_row_free);
          return FALSE;
        }
    }
  for (guint i = 0; i < rows->len; i++)
    {
      BoughLookupRow *r = g_ptr_array_index (rows, i);
      GPtrArray *list = g_hash_table_lookup (aw->main_lookups, r->uuid);

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_lookup_row_free);
          g_hash_table_insert (aw->main_lookups, g_strdup (r->uuid), list);
        }
      g_ptr_array_add (list, r);
    }
  return TRUE;
}

static gboolean
write_version (ApplyWork          *aw,
               BoughNodeSchema    *ns,
               const BoughNodeRow *row,
               JsonObject         *attrs,
               gint                status,
               const char         *target,
               gint64              open_rowid,
               GPtrArray          *lookups,
               GError            **error)
{
  BoughTxn *txn = aw->txn;
  BoughStore *self = txn->store;
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) parsed = NULL;
  BoughNodeRow out = { 0 };

  if (attrs == NULL)
    {
      text = _bough_json_raw_restamp (row->attrs, row->from_stamp);
      if (text == NULL)
        attrs = parsed = _bough_row_attrs (NULL, row);
    }
  if (text == NULL)
    text = _bough_stored_attrs_text_part (attrs, txn->stamp, ns, FALSE);

  if (open_rowid > 0 && aw->pending_close != NULL)
    {
      /* closed in batches: the merge writes each node once */
      g_array_append_val (aw->pending_close, open_rowid);
      if (aw->pending_close->len >= BATCH && !flush_closes (aw, error))
        return FALSE;
    }
  else if (open_rowid > 0 && !D (self)->close_node (txn->conn, open_rowid, txn->stamp, error))
    return FALSE;
  out.uuid = row->uuid;
  out.kind = row->kind;
  out.branch = (char *) target;
  out.from_stamp = txn->stamp;
  out.status = status;
  out.created = row->created;
  out.attrs = text;
  out.hfid = row->hfid;
  out.label = row->label;
  out.order_attr = (char *) _bough_store_order_attribute (self, row->kind);
  if (out.order_attr != NULL && attrs == NULL)
    {
      /* only the entry of the order attribute is parsed */
      g_autoptr(GArray) raw = g_array_new (FALSE, FALSE, sizeof (BoughJsonRawMember));
      const BoughJsonRawMember *m = NULL;

      parsed = json_object_new ();
      if (_bough_json_raw_members (row->attrs, (gsize) -1, raw) &&
          (m = _bough_json_raw_find (raw, out.order_attr)) != NULL)
        {
          g_autofree char *entry_text = g_strndup (m->value, m->value_len);
          JsonNode *entry = _bough_json_read (entry_text);
          if (entry != NULL)
            json_object_set_member (parsed, out.order_attr, entry);
        }
      attrs = parsed;
    }
  if (out.order_attr != NULL)
    {
      JsonObject *entry = entry_of (attrs, out.order_attr);
      BoughAttributeSchema *attr = bough_node_schema_get_attribute (ns, out.order_attr);
      out.order_value = entry != NULL && attr != NULL && !_bough_attr_is_packed (ns, attr) &&
                        json_object_has_member (entry, "value")
                      ? json_object_get_member (entry, "value") : NULL;
    }
  if (D (self)->insert_node (txn->conn, &out, error) < 0)
    return FALSE;
  if (status == BOUGH_ROW_ACTIVE && g_str_equal (target, BOUGH_DEFAULT_BRANCH) &&
      main_lookups_same (aw, row->uuid, lookups))
    ;
  else if (!D (self)->replace_lookups (txn->conn, row->kind, row->uuid, target, txn->stamp,
                                       status == BOUGH_ROW_ACTIVE ? lookups : NULL, error))
    return FALSE;
  txn->n_writes++;
  return TRUE;
}

/* Sets the properties in @props ("attr\x1fkey" → JsonNode) through the
 * write path, which recomputes hfid, label and lookups. */
static gboolean
update_props (BoughTxn    *txn,
              NodeTri     *t,
              JsonObject  *props,
              GError     **error)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(BoughNode) node = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_set_string_member (data, "id", t->uuid);
  json_object_iter_init (&iter, props);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (data, name, json_node_ref (member));
  node = bough_txn_update (txn, t->ns->kind, data, error);
  return node != NULL;
}

/* The attributes of @t combined: main's (or the branch's with
 * @onto_branch), with each property the branch changed taken from the
 * branch unless its conflict chose main. Fills @inputs with the properties
 * that differ from the version combined onto, per attribute, as write input. */
static void
combine_attrs (NodeTri    *t,
               gboolean    onto_branch,
               JsonObject *inputs)
{
  ensure_parsed (t);
  for (guint i = 0; i < t->ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (t->ns->attributes, i);
      JsonObject *eb = entry_of (t->a_base, attr->name);
      JsonObject *en = entry_of (t->a_branch, attr->name);
      JsonObject *em = entry_of (t->a_main, attr->name);
      JsonObject *input = NULL;

      if (!attr_compared (t, attr))
        continue;
      /* the branch left it alone: main's value stays (or comes) */
      if (entries_same (eb, en) && (!onto_branch || entries_same (en, em)))
        continue;
      for (guint k = 0; k < G_N_ELEMENTS (attr_props); k++)
        {
          const char *key = attr_props[k].key;
          g_autoptr(JsonNode) vb = prop_get (eb, key, TRUE);
          g_autoptr(JsonNode) vn = prop_get (en, key, TRUE);
          g_autoptr(JsonNode) vm = prop_get (em, key, TRUE);
          g_autofree char *ckey = g_strconcat (attr->name, "\x1f", key, NULL);
          BoughDiffConflict *c = t->prop_conflicts ? g_hash_table_lookup (t->prop_conflicts, ckey) : NULL;
          gboolean take_branch = !nodes_equal (vb, vn) && (c == NULL || c->selected != BOUGH_DIFF_SIDE_BASE);
          JsonNode *want = take_branch ? vn : vm;
          JsonNode *have = onto_branch ? vn : vm;

          if (nodes_equal (want, have))
            continue;
          if (input == NULL)
            {
              input = json_object_new ();
              json_object_set_object_member (inputs, attr->name, input);
            }
          json_object_set_member (input, key, json_node_copy (want));
        }
    }
}

static gboolean
merge_node (ApplyWork  *aw,
            NodeTri    *t,
            GPtrArray  *removed,
            GError    **error)
{
  BoughTxn *txn = aw->txn;
  BoughDiffConflict *c = t->conflict;
  gint64 open_rowid = t->main != NULL ? t->main->rowid : 0;

  if (c != NULL && c->selected == BOUGH_DIFF_SIDE_BASE)
    return TRUE;
  if (!t->branch_exists)
    {
      if (!t->main_exists)
        return TRUE;
      g_ptr_array_add (removed, t);
      return write_version (aw, t->ns, t->main, t->a_main, BOUGH_ROW_DELETED, BOUGH_DEFAULT_BRANCH,
                            open_rowid, NULL, error);
    }
  if (!t->main_changed || !t->main_exists || !t->base_exists)
    return write_version (aw, t->ns, t->branch, t->a_branch, BOUGH_ROW_ACTIVE, BOUGH_DEFAULT_BRANCH,
                          open_rowid, g_hash_table_lookup (aw->lookups, t->uuid), error);

  /* both sides changed the node: property by property */
  {
    g_autoptr(JsonObject) onto_main = json_object_new ();
    g_autoptr(JsonObject) onto_branch = json_object_new ();

    combine_attrs (t, FALSE, onto_main);
    if (json_object_get_size (onto_main) == 0)
      return TRUE;
    combine_attrs (t, TRUE, onto_branch);
    if (json_object_get_size (onto_branch) == 0)
      return write_version (aw, t->ns, t->branch, t->a_branch, BOUGH_ROW_ACTIVE, BOUGH_DEFAULT_BRANCH,
                            open_rowid, g_hash_table_lookup (aw->lookups, t->uuid), error);
    /* the write path reads main's current versions: none left half-closed */
    return flush_closes (aw, error) && update_props (txn, t, onto_main, error);
  }
}

/* Merges the pack of an agnostic node property by property, through the
 * write path: a pack also holds the node's local attributes, which stay on
 * their branch. Packs are few: the cost of the write path is no concern. */
static gboolean
merge_pack (ApplyWork  *aw,
            NodeTri    *t,
            GError    **error)
{
  g_autoptr(JsonObject) onto_main = json_object_new ();

  combine_attrs (t, FALSE, onto_main);
  if (json_object_get_size (onto_main) == 0)
    return TRUE;
  return flush_closes (aw, error) && update_props (aw->txn, t, onto_main, error);
}

static gint
compare_tris (gconstpointer a,
              gconstpointer b)
{
  return strcmp ((*(NodeTri * const *) a)->uuid, (*(NodeTri * const *) b)->uuid);
}

static gboolean
insert_link (BoughTxn          *txn,
             const BoughRelRow *like,
             const char        *target,
             gint               status,
             GError           **error)
{
  BoughRelRow row = *like;

  row.branch = (char *) target;
  row.from_stamp = txn->stamp;
  row.to_stamp = 0;
  row.status = status;
  txn->n_writes++;
  return D (txn->store)->insert_rel (txn->conn, &row, error) >= 0;
}

static gboolean
side_is (BoughDiffConflict *c,
         BoughDiffSide      side)
{
  return c != NULL && c->selected == side;
}

static gboolean
merge_links (ApplyWork  *aw,
             GError    **error)
{
  BoughTxn *txn = aw->txn;
  DiffWork *dw = aw->dw;
  BoughStore *self = txn->store;

  for (guint i = 0; i < dw->link_list->len; i++)
    {
      LinkTri *t = g_ptr_array_index (dw->link_list, i);

      report (aw, "relationships", i, dw->link_list->len);
      if (t->local)
        continue;
      if (!t->branch_changed)
        {
          /* main's new peer of a cardinality one relationship gives way to
           * the branch's */
          if (side_is (t->card_conflict, BOUGH_DIFF_SIDE_DIFF) && link_present (t->main) &&
              t->main_changed)
            {
              if (!D (self)->close_rel (txn->conn, t->main->rowid, txn->stamp, error))
                return FALSE;
              txn->n_writes++;
            }
          continue;
        }
      if (side_is (t->conflict, BOUGH_DIFF_SIDE_BASE) || side_is (t->card_conflict, BOUGH_DIFF_SIDE_BASE))
        continue;
      if (t->main != NULL)
        {
          if (!D (self)->close_rel (txn->conn, t->main->rowid, txn->stamp, error))
            return FALSE;
          txn->n_writes++;
        }
      if (link_present (t->branch) && !insert_link (txn, t->branch, BOUGH_DEFAULT_BRANCH, BOUGH_ROW_ACTIVE, error))
        return FALSE;
    }
  report (aw, "relationships", dw->link_list->len, dw->link_list->len);
  return TRUE;
}

/* Closes main's remaining links of the nodes the merge removed. */
static gboolean
close_links_of (ApplyWork  *aw,
                GPtrArray  *removed,
                GError    **error)
{
  BoughTxn *txn = aw->txn;
  BoughStore *self = txn->store;
  BoughReadView view = { BOUGH_DEFAULT_BRANCH, TRUE, G_MAXINT64, G_MAXINT64, TRUE };

  for (guint i = 0; i < removed->len; i++)
    {
      NodeTri *t = g_ptr_array_index (removed, i);
      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      g_ptr_array_add (ids, t->uuid);
      for (guint k = 0; k < t->ns->relationships->len; k++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (t->ns->relationships, k);
          g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);

          if (rel->branch != BOUGH_BRANCH_SUPPORT_AWARE)
            continue;
          if (!D (self)->fetch_rels (txn->conn, &view, rel->identifier, _bough_rel_side (rel), ids, rows, error))
            return FALSE;
          for (guint j = 0; j < rows->len; j++)
            {
              BoughRelRow *r = g_ptr_array_index (rows, j);
              if (!g_str_equal (r->branch, BOUGH_DEFAULT_BRANCH))
                continue;
              if (!D (self)->close_rel (txn->conn, r->rowid, txn->stamp, error))
                return FALSE;
              txn->n_writes++;
            }
        }
    }
  return TRUE;
}

/* Does @text (an hfid or constraint path, or a display label template)
 * read through relationship @rel? */
static gboolean
reads_through (const char              *text,
               BoughRelationshipSchema *rel)
{
  g_autofree char *prefix = g_strconcat (rel->name, "__", NULL);

  return text != NULL && (strstr (text, prefix) != NULL || g_str_equal (text, rel->name));
}

/* The relationships of @ns whose peers' values feed its derived values
 * (hfid, display label, uniqueness constraints), into @out (borrowed). */
static void
derived_rels (BoughNodeSchema *ns,
              GPtrArray       *out)
{
  for (guint i = 0; i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, i);
      gboolean used = reads_through (ns->display_label, rel);

      for (guint j = 0; !used && ns->human_friendly_id != NULL && ns->human_friendly_id[j] != NULL; j++)
        used = reads_through (ns->human_friendly_id[j], rel);
      for (guint j = 0; !used && ns->display_labels != NULL && ns->display_labels[j] != NULL; j++)
        used = reads_through (ns->display_labels[j], rel);
      for (guint k = 0; !used && k < ns->uniqueness_constraints->len; k++)
        {
          char **paths = g_ptr_array_index (ns->uniqueness_constraints, k);
          for (guint j = 0; !used && paths[j] != NULL; j++)
            used = reads_through (paths[j], rel);
        }
      if (used)
        g_ptr_array_add (out, rel);
    }
}

static void
mark_candidate (GHashTable *candidates,
                GHashTable *marked,
                const char *uuid)
{
  NodeTri *t = g_hash_table_lookup (candidates, uuid);

  /* keyed by the candidate's own copy: @uuid may belong to a row freed soon */
  if (t != NULL)
    g_hash_table_add (marked, t->uuid);
}

/* After a merge wrote its nodes and links: the hfid, display label and
 * lookups of a node read its peers' values, which either side may have
 * changed meanwhile (a branch's version was computed from the branch's
 * peers, a version main wrote from main's). Those of the nodes either side
 * changed whose peer (through a relationship their derived values read) or
 * link changed too are computed again from the merged state, through the
 * write path, which writes a new version only when they differ. */
static gboolean
refresh_derived (ApplyWork  *aw,
                 GError    **error)
{
  DiffWork *dw = aw->dw;
  BoughTxn *txn = aw->txn;
  g_autoptr(GHashTable) touched = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) marked = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) candidates = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < dw->node_list->len; i++)
    {
      NodeTri *t = g_ptr_array_index (dw->node_list, i);
      g_autoptr(GPtrArray) rels = g_ptr_array_new ();
      gboolean exists;

      if (t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE ||
          (t->branch == NULL && !t->main_changed))
        continue;
      g_hash_table_add (touched, t->uuid);
      exists = t->branch != NULL ? t->branch_exists : t->main_exists;
      if (!exists)
        continue;
      derived_rels (t->ns, rels);
      if (rels->len == 0)
        continue;
      g_hash_table_insert (candidates, t->uuid, t);
      for (guint r = 0; r < rels->len; r++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (rels, r);
          g_autofree char *gkey = g_strdup_printf ("%d\x1f%s", _bough_rel_side (rel), rel->identifier);
          GPtrArray *ids = g_hash_table_lookup (groups, gkey);

          if (ids == NULL)
            {
              ids = g_ptr_array_new ();
              g_hash_table_insert (groups, g_steal_pointer (&gkey), ids);
            }
          g_ptr_array_add (ids, t->uuid);
        }
    }
  if (g_hash_table_size (candidates) == 0)
    return TRUE;

  /* a link of a candidate changed on either side */
  for (guint i = 0; i < dw->link_list->len; i++)
    {
      LinkTri *t = g_ptr_array_index (dw->link_list, i);
      const BoughRelRow *any = t->branch ? t->branch : t->main ? t->main : t->base;

      if (any == NULL || t->local || (!t->main_changed && !t->branch_changed))
        continue;
      mark_candidate (candidates, marked, any->src);
      mark_candidate (candidates, marked, any->dst);
    }

  /* a peer changed on either side: the links as merged */
  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *identifier = strchr (key, '\x1f') + 1;
      BoughRelSide side = (BoughRelSide) atoi (key);
      GPtrArray *ids = value;

      for (guint i = 0; i < ids->len; i += BATCH)
        {
          g_autoptr(GPtrArray) part = g_ptr_array_new ();
          g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);

          for (guint j = i; j < ids->len && j < i + BATCH; j++)
            g_ptr_array_add (part, g_ptr_array_index (ids, j));
          if (!D (txn->store)->fetch_links_of (txn->conn, BOUGH_DEFAULT_BRANCH, 0, identifier, side, part,
                                               rows, error))
            return FALSE;
          for (guint j = 0; j < rows->len; j++)
            {
              BoughRelRow *r = g_ptr_array_index (rows, j);
              if (r->status != BOUGH_ROW_ACTIVE)
                continue;
              if (g_hash_table_contains (touched, r->dst))
                mark_candidate (candidates, marked, r->src);
              if (g_hash_table_contains (touched, r->src))
                mark_candidate (candidates, marked, r->dst);
            }
        }
    }

  if (g_hash_table_size (marked) > 0 && !flush_closes (aw, error))
    return FALSE;
  g_hash_table_iter_init (&iter, marked);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      NodeTri *t = g_hash_table_lookup (candidates, key);
      g_autoptr(JsonObject) data = json_object_new ();
      g_autoptr(BoughNode) node = NULL;

      json_object_set_string_member (data, "id", t->uuid);
      node = bough_txn_update (txn, t->ns->kind, data, error);
      if (node == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
count_summary (BoughTxn   *txn,
               const char *what)
{
  g_hash_table_insert (txn->summary, g_strdup (what), GUINT_TO_POINTER (1));
}

/* Begins the transaction of a merge (on main) or a rebase (on the branch)
 * and compares the branch inside it. */
static gboolean
apply_begin (BoughStore         *self,
             const char         *branch,
             gboolean            merge,
             const char         *account,
             BoughProgressFunc   progress,
             gpointer            user_data,
             BoughTxn          **out_txn,
             DiffWork          **out_dw,
             GError            **error)
{
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(BoughBranch) record = NULL;
  DiffWork *dw;

  txn = bough_store_begin (self, merge ? BOUGH_DEFAULT_BRANCH : branch, account, error);
  if (txn == NULL)
    return FALSE;
  bough_txn_set_internal (txn, TRUE);
  record = branch_record (self, txn->conn, branch, error);
  if (record == NULL)
    return FALSE;
  if (record->status != BOUGH_BRANCH_STATUS_OPEN &&
      !(record->status == BOUGH_BRANCH_STATUS_NEED_REBASE && !merge))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT, "Branch “%s” is %s: it cannot be %s",
                   branch, bough_branch_status_to_string (record->status), merge ? "merged" : "rebased");
      return FALSE;
    }
  if (progress != NULL)
    progress ("diff", 0, 0, user_data);
  dw = diff_compute (self, txn->conn, record, DIFF_FOR_APPLY, error);
  if (dw == NULL)
    return FALSE;
  if (!record_conflicts (self, txn->conn, dw, error))
    {
      diff_work_free (dw);
      return FALSE;
    }
  *out_txn = g_steal_pointer (&txn);
  *out_dw = dw;
  return TRUE;
}

/**
 * bough_store_merge_branch:
 * @self: a store
 * @branch: a branch other than the default one, open
 * @account: (nullable): who merges
 * @progress: (nullable) (scope call): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Merges @branch into the default branch in one transaction: for every
 * element the branch changed, its final state (or, for a conflict, the side
 * chosen) is written onto main; main's own changes elsewhere stay. The
 * branch's schema, when it changed, becomes main's. The branch is then
 * %BOUGH_BRANCH_STATUS_MERGED. Refused with %BOUGH_ERROR_CONFLICT, whose
 * message lists them, while a conflict is open (the conflicts found are
 * recorded anyway, so that they can be resolved).
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_merge_branch (BoughStore         *self,
                          const char         *branch,
                          const char         *account,
                          BoughProgressFunc   progress,
                          gpointer            user_data,
                          GError            **error)
{
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(DiffWork) dw = NULL;
  g_autoptr(GHashTable) lookups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) removed = g_ptr_array_new ();
  g_autoptr(GHashTable) main_lookups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GArray) pending_close = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(BoughSchema) new_schema = NULL;
  ApplyWork aw = { 0 };
  gboolean schema_changed = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (branch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!apply_begin (self, branch, TRUE, account, progress, user_data, &txn, &dw, error))
    return FALSE;

  if (dw->diff->num_open_conflicts > 0)
    {
      g_auto(GStrv) messages = open_conflict_messages (dw->diff);
      g_autofree char *list = g_strjoinv ("; ", messages);
      g_autoptr(GError) commit_error = NULL;

      /* keep the conflicts recorded for their resolution */
      if (dw->to_record->len > 0 || dw->stale)
        bough_txn_commit (txn, &commit_error);
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT,
                   "Branch “%s” has %u unresolved conflict%s: %s", branch,
                   dw->diff->num_open_conflicts, dw->diff->num_open_conflicts == 1 ? "" : "s", list);
      return FALSE;
    }

  aw.txn = txn;
  aw.dw = dw;
  aw.lookups = lookups;
  aw.main_lookups = main_lookups;
  aw.pending_close = pending_close;
  aw.progress = progress;
  aw.user_data = user_data;

  /* the branch's schema first (with main's changes since the branch point
   * when both changed it): its kinds are what its rows hold. A branch that
   * never changed its schema leaves main's as it is. */
  {
    BoughSchema *main_schema = txn->schema;
    BoughSchema *want = dw->merged_schema != NULL ? dw->merged_schema : dw->own_schema ? dw->schema : NULL;

    if (want != NULL && g_strcmp0 (bough_schema_get_hash (main_schema), bough_schema_get_hash (want)) != 0)
      {
        g_autoptr(JsonNode) json = bough_schema_to_json (want);
        g_autofree char *body = _bough_json_text (json);

        if (progress != NULL)
          progress ("schema", 0, 1, user_data);
        if (!D (self)->insert_schema (txn->conn, BOUGH_DEFAULT_BRANCH, txn->stamp,
                                      bough_schema_get_hash (want), body, error))
          return FALSE;
        new_schema = bough_schema_ref (want);
        g_clear_pointer (&txn->schema, bough_schema_unref);
        txn->schema = bough_schema_ref (want);
        schema_changed = TRUE;
        txn->n_writes++;
      }
  }

  if (!load_branch_lookups (&aw, error))
    return FALSE;
  {
    g_autoptr(GPtrArray) merged = g_ptr_array_new ();
    g_autoptr(GPtrArray) uuids = g_ptr_array_new ();

    for (guint i = 0; i < dw->node_list->len; i++)
      {
        NodeTri *t = g_ptr_array_index (dw->node_list, i);

        if (t->branch == NULL || t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE)
          continue;
        g_ptr_array_add (merged, t);
      }
    /* in key order: the index pages each write touches are near the last
     * one's, so each is dirtied once */
    g_ptr_array_sort (merged, compare_tris);
    for (guint i = 0; i < merged->len; i++)
      g_ptr_array_add (uuids, ((NodeTri *) g_ptr_array_index (merged, i))->uuid);
    if (!load_main_lookups (&aw, uuids, error))
      return FALSE;
    for (guint i = 0; i < merged->len; i++)
      {
        NodeTri *t = g_ptr_array_index (merged, i);
        guint n_writes = txn->n_writes;

        report (&aw, "nodes", i, merged->len);
        if (!merge_node (&aw, t, removed, error))
          return FALSE;
        /* its event, under the branch's (bough-store-events.c) */
        if (txn->n_writes != n_writes)
          _bough_txn_note_node (txn, !t->branch_exists ? 'd' : !t->main_exists ? 'c' : 'u',
                                t->ns->kind, t->uuid, TRUE);
      }
    for (guint i = 0; i < dw->pack_list->len; i++)
      {
        NodeTri *t = g_ptr_array_index (dw->pack_list, i);

        if (t->branch != NULL && t->ns != NULL && !merge_pack (&aw, t, error))
          return FALSE;
      }
    if (!flush_closes (&aw, error))
      return FALSE;
    report (&aw, "nodes", merged->len, merged->len);
  }
  if (!merge_links (&aw, error) || !close_links_of (&aw, removed, error) ||
      !refresh_derived (&aw, error))
    return FALSE;

  /* a merged branch has no conflicts left to resolve */
  if (!D (self)->update_branch_record (txn->conn, branch, NULL, BOUGH_BRANCH_STATUS_MERGED, error) ||
      !D (self)->prune_conflicts (txn->conn, branch, NULL, error))
    return FALSE;
  {
    g_autofree char *what = g_strdup_printf ("merged branch %s", branch);
    count_summary (txn, what);
    txn->n_writes++;
    if (!_bough_txn_branch_event (txn, BOUGH_EVENT_BRANCH_MERGED, branch, TRUE, error))
      return FALSE;
  }
  if (!bough_txn_commit (txn, error))
    return FALSE;

  if (schema_changed)
    {
      g_mutex_lock (&self->lock);
      g_hash_table_replace (self->schemas, g_strdup (BOUGH_DEFAULT_BRANCH), bough_schema_ref (new_schema));
      g_mutex_unlock (&self->lock);
    }
  forget_branch (self, branch);
  if (progress != NULL)
    progress ("done", 1, 1, user_data);
  return TRUE;
}

/**
 * bough_store_rebase_branch:
 * @self: a store
 * @branch: a branch other than the default one, open (or needing a rebase)
 * @account: (nullable): who rebases
 * @progress: (nullable) (scope call): progress callback
 * @user_data: data for @progress
 * @error: return location for a #GError
 *
 * Moves the branch point of @branch to now, in one transaction. Every
 * element the branch changed keeps the branch's value, except conflicts
 * resolved for main; everything else shows main's current state. Reads of
 * the branch at times before the rebase still see it as it was. Open
 * conflicts do not block a rebase (the branch's side is kept).
 *
 * Returns: %TRUE on success
 */
gboolean
bough_store_rebase_branch (BoughStore         *self,
                           const char         *branch,
                           const char         *account,
                           BoughProgressFunc   progress,
                           gpointer            user_data,
                           GError            **error)
{
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(DiffWork) dw = NULL;
  g_autoptr(GHashTable) lookups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  BoughStore *s = self;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (branch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!apply_begin (self, branch, FALSE, account, progress, user_data, &txn, &dw, error))
    return FALSE;

  /* past the new branch point, no conflict found so far applies */
  if (!D (s)->set_branch_point (txn->conn, branch, txn->stamp, txn->stamp, error) ||
      !D (s)->update_branch_record (txn->conn, branch, NULL, BOUGH_BRANCH_STATUS_OPEN, error) ||
      !D (s)->prune_conflicts (txn->conn, branch, NULL, error))
    return FALSE;
  /* from here on the transaction's reads see main as of now */
  txn->view.main_at = txn->stamp;

  /* main's schema changes come into the branch's own schema */
  if (dw->merged_schema != NULL &&
      g_strcmp0 (bough_schema_get_hash (dw->merged_schema), bough_schema_get_hash (dw->schema)) != 0)
    {
      g_autoptr(JsonNode) json = bough_schema_to_json (dw->merged_schema);
      g_autofree char *body = _bough_json_text (json);

      if (progress != NULL)
        progress ("schema", 0, 1, user_data);
      if (!D (s)->insert_schema (txn->conn, branch, txn->stamp, bough_schema_get_hash (dw->merged_schema),
                                 body, error))
        return FALSE;
      txn->n_writes++;
    }

  for (guint i = 0; i < dw->node_list->len; i++)
    {
      NodeTri *t = g_ptr_array_index (dw->node_list, i);
      gboolean keep;

      if (progress != NULL && (i % 1000) == 0)
        progress ("nodes", i, dw->node_list->len, user_data);
      if (t->branch == NULL || !t->main_changed || t->ns == NULL ||
          t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE)
        continue;
      if (!t->branch_exists)
        keep = t->main_exists && !side_is (t->conflict, BOUGH_DIFF_SIDE_BASE);
      else if (!t->main_exists)
        keep = !t->base_exists || !side_is (t->conflict, BOUGH_DIFF_SIDE_BASE);
      else if (!t->base_exists)
        keep = TRUE;
      else
        {
          g_autoptr(JsonObject) onto_main = json_object_new ();
          g_autoptr(JsonObject) onto_branch = json_object_new ();

          combine_attrs (t, FALSE, onto_main);
          combine_attrs (t, TRUE, onto_branch);
          if (json_object_get_size (onto_main) == 0)
            keep = FALSE;
          else if (json_object_get_size (onto_branch) == 0)
            keep = TRUE;
          else
            {
              if (!update_props (txn, t, onto_branch, error))
                return FALSE;
              continue;
            }
        }
      if (keep)
        continue;
      /* the branch's version gives way to main's */
      if (!D (s)->close_node (txn->conn, t->branch->rowid, txn->stamp, error) ||
          !D (s)->close_lookups (txn->conn, t->uuid, branch, txn->stamp, error))
        return FALSE;
      txn->n_writes++;
    }

  /* packs take main's changes where the branch kept main's value; they
   * stay (they also hold the node's local attributes, which a rebase keeps) */
  for (guint i = 0; i < dw->pack_list->len; i++)
    {
      NodeTri *t = g_ptr_array_index (dw->pack_list, i);
      g_autoptr(JsonObject) onto_branch = NULL;

      if (t->branch == NULL || t->ns == NULL || !t->main_changed)
        continue;
      onto_branch = json_object_new ();
      combine_attrs (t, TRUE, onto_branch);
      if (json_object_get_size (onto_branch) > 0 && !update_props (txn, t, onto_branch, error))
        return FALSE;
    }

  for (guint i = 0; i < dw->link_list->len; i++)
    {
      LinkTri *t = g_ptr_array_index (dw->link_list, i);

      if (t->local || !t->main_changed)
        continue;
      if (t->branch != NULL)
        {
          if (link_props_equal (t->main, t->branch) ||
              side_is (t->conflict, BOUGH_DIFF_SIDE_BASE) || side_is (t->card_conflict, BOUGH_DIFF_SIDE_BASE))
            {
              if (!D (s)->close_rel (txn->conn, t->branch->rowid, txn->stamp, error))
                return FALSE;
              txn->n_writes++;
            }
        }
      else if (t->card_conflict != NULL && !side_is (t->card_conflict, BOUGH_DIFF_SIDE_BASE) &&
               link_present (t->main))
        {
          /* the branch keeps its peer: main's new one is masked */
          if (!insert_link (txn, t->main, branch, BOUGH_ROW_DELETED, error))
            return FALSE;
        }
    }

  {
    g_autofree char *what = g_strdup_printf ("rebased branch %s", branch);
    count_summary (txn, what);
    txn->n_writes++;
    if (!_bough_txn_branch_event (txn, BOUGH_EVENT_BRANCH_REBASED, branch, FALSE, error))
      return FALSE;
  }
  if (!bough_txn_commit (txn, error))
    return FALSE;
  forget_branch (self, branch);
  if (progress != NULL)
    progress ("done", 1, 1, user_data);
  return TRUE;
}
