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
} NodeTri;

static void
node_tri_free (NodeTri *t)
{
  g_free (t->uuid);
  g_clear_pointer (&t->base, bough_node_row_free);
  g_clear_pointer (&t->main, bough_node_row_free);
  g_clear_pointer (&t->branch, bough_node_row_free);
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
  GHashTable      *links;         /* key → LinkTri* */
  GPtrArray       *link_list;
  GHashTable      *info;          /* uuid → BoughNodeRow* (kind and label of any node seen) */
  GHashTable      *stored;        /* conflict id → BoughConflictRow* */
  GPtrArray       *to_record;     /* BoughConflictRow* */
  GHashTable      *dnodes;        /* uuid → BoughDiffNode* (owned by diff) */
  BoughDiff       *diff;
  guint            base_changes;
} DiffWork;

static void
diff_work_free (DiffWork *dw)
{
  g_free (dw->branch);
  g_free (dw->branch_id);
  g_clear_pointer (&dw->schema, bough_schema_unref);
  g_hash_table_unref (dw->nodes);
  g_ptr_array_unref (dw->node_list);
  g_hash_table_unref (dw->links);
  g_ptr_array_unref (dw->link_list);
  g_hash_table_unref (dw->info);
  g_hash_table_unref (dw->stored);
  g_ptr_array_unref (dw->to_record);
  g_hash_table_unref (dw->dnodes);
  g_clear_pointer (&dw->diff, bough_diff_free);
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
    copy->uuid = g_strdup (row->uuid);
    copy->kind = g_strdup (row->kind);
    copy->label = g_strdup (row->label);
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

  if (n != NULL)
    return n;
  n = g_new0 (BoughDiffNode, 1);
  n->uuid = g_strdup (uuid);
  n->kind = g_strdup (kind);
  n->label = g_strdup (label);
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
      JsonObject *eb = entry_of (t->a_base, attr->name);
      JsonObject *en = entry_of (t->a_branch, attr->name);
      JsonObject *em = entry_of (t->a_main, attr->name);
      BoughDiffAttribute *da = NULL;

      if (_bough_attr_is_packed (t->ns, attr) || attr->branch != BOUGH_BRANCH_SUPPORT_AWARE)
        continue;
      /* most attributes of an updated node did not change: no copies for them */
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
            dn = get_dnode (dw, t->uuid, t->ns->kind,
                            t->branch->label != NULL ? t->branch->label : t->base ? t->base->label : NULL);
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
                                          NULL, entry_stamp (em, t->main->from_stamp),
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

/* Uniqueness rules broken only once both sides are combined: a value a node
 * written on the branch holds that a node main changed since the branch
 * point holds too. */
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
      g_hash_table_insert (by_value, g_strconcat (l->kind, "\x1f", l->key, "\x1f", l->value, NULL), l);
    }
  if (!D (dw->store)->fetch_open_lookups (dw->conn, dw->branch, NULL, branch_lookups, error))
    return FALSE;
  for (guint i = 0; i < branch_lookups->len; i++)
    {
      BoughLookupRow *l = g_ptr_array_index (branch_lookups, i);
      g_autofree char *k = g_strconcat (l->kind, "\x1f", l->key, "\x1f", l->value, NULL);
      BoughLookupRow *m = g_hash_table_lookup (by_value, k);
      g_autofree char *path = NULL;
      BoughDiffConflict *c;
      NodeTri *t;
      g_autoptr(JsonNode) value = NULL;

      if (m == NULL || g_str_equal (m->uuid, l->uuid))
        continue;
      t = g_hash_table_lookup (dw->nodes, l->uuid);
      if (t == NULL || t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE)
        continue;
      value = _bough_json_parse (l->value, NULL);
      path = g_strdup_printf ("unique/%s/%s/%s", l->kind, l->key, l->value);
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
  dw->links = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) link_tri_free);
  dw->link_list = g_ptr_array_new ();
  dw->info = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bough_node_row_free);
  dw->stored = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bough_conflict_row_free);
  dw->to_record = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_conflict_row_free);
  dw->dnodes = g_hash_table_new (g_str_hash, g_str_equal);
  dw->diff = g_new0 (BoughDiff, 1);
  dw->diff->branch = g_strdup (record->name);
  dw->diff->from_time = record->branched_from;
  dw->diff->to_time = dw->now;
  dw->diff->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) diff_node_free);
  dw->diff->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_free);

  dw->schema = _bough_store_current_schema (self, conn, record->name, error);
  if (dw->schema == NULL || !load_stored_conflicts (dw, error))
    return NULL;

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
      /* without the schema: no entry made for each unset attribute (a
       * missing entry reads as the defaults) */
      if (t->base_exists)
        t->a_base = _bough_row_attrs (NULL, t->base);
      if (t->main_exists && t->base_exists && t->main->rowid == t->base->rowid)
        t->a_main = json_object_ref (t->a_base);
      else if (t->main_exists)
        t->a_main = _bough_row_attrs (NULL, t->main);
      if (t->branch != NULL && t->branch_exists)
        t->a_branch = _bough_row_attrs (NULL, t->branch);
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
        JsonObject *objs[] = { t->a_base, t->a_branch, t->a_main };
        if (t->branch == NULL || t->ns == NULL)
          continue;
        for (guint o = 0; o < G_N_ELEMENTS (objs); o++)
          {
            JsonObjectIter it;
            const char *name;
            JsonNode *member;
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

  if (!diff_links (dw, error))
    return NULL;
  if (!diff_uniqueness (dw, main_ids, error))
    return NULL;
  if (!diff_parents (dw, flags, error))
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
  return g_steal_pointer (&dw);
}

static gboolean
record_conflicts (BoughStore       *self,
                  BoughDriverConn  *conn,
                  GPtrArray        *rows,
                  GError          **error)
{
  for (guint i = 0; i < rows->len; i++)
    if (!D (self)->put_conflict (conn, g_ptr_array_index (rows, i), error))
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
  g_autoptr(BoughBranch) record = NULL;
  g_autoptr(DiffWork) dw = NULL;
  BoughDriverConn *conn;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (branch != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

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

  if (dw->to_record->len > 0)
    {
      /* recorded apart from the read, in a short write of their own; a
       * concurrent recording of the same conflicts is harmless */
      conn = D (self)->writer_acquire (self->db);
      if (D (self)->begin (conn, error))
        {
          if (record_conflicts (self, conn, dw->to_record, error) && D (self)->commit (conn, error))
            ;
          else
            {
              D (self)->rollback (conn);
              D (self)->writer_release (self->db, conn);
              return NULL;
            }
        }
      else
        {
          D (self)->writer_release (self->db, conn);
          return NULL;
        }
      D (self)->writer_release (self->db, conn);
    }
  return g_steal_pointer (&dw->diff);
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
 * (@open_rowid, 0: none). */
static gboolean
write_version (BoughTxn           *txn,
               BoughNodeSchema    *ns,
               const BoughNodeRow *row,
               JsonObject         *attrs,
               gint                status,
               const char         *target,
               gint64              open_rowid,
               GPtrArray          *lookups,
               GError            **error)
{
  BoughStore *self = txn->store;
  g_autofree char *text = _bough_stored_attrs_text_part (attrs, txn->stamp, ns, FALSE);
  BoughNodeRow out = { 0 };

  if (open_rowid > 0 && !D (self)->close_node (txn->conn, open_rowid, txn->stamp, error))
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
  if (out.order_attr != NULL)
    {
      JsonObject *entry = entry_of (attrs, out.order_attr);
      BoughAttributeSchema *attr = bough_node_schema_get_attribute (ns, out.order_attr);
      out.order_value = entry != NULL && attr != NULL && !_bough_attr_is_packed (ns, attr) &&
                        json_object_has_member (entry, "value")
                      ? json_object_get_member (entry, "value") : NULL;
    }
  if (D (self)->insert_node (txn->conn, &out, error) < 0 ||
      !D (self)->replace_lookups (txn->conn, row->kind, row->uuid, target, txn->stamp,
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
  for (guint i = 0; i < t->ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (t->ns->attributes, i);
      JsonObject *eb = entry_of (t->a_base, attr->name);
      JsonObject *en = entry_of (t->a_branch, attr->name);
      JsonObject *em = entry_of (t->a_main, attr->name);
      JsonObject *input = NULL;

      if (_bough_attr_is_packed (t->ns, attr) || attr->branch != BOUGH_BRANCH_SUPPORT_AWARE)
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
      return write_version (txn, t->ns, t->main, t->a_main, BOUGH_ROW_DELETED, BOUGH_DEFAULT_BRANCH,
                            open_rowid, NULL, error);
    }
  if (!t->main_changed || !t->main_exists || !t->base_exists)
    return write_version (txn, t->ns, t->branch, t->a_branch, BOUGH_ROW_ACTIVE, BOUGH_DEFAULT_BRANCH,
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
      return write_version (txn, t->ns, t->branch, t->a_branch, BOUGH_ROW_ACTIVE, BOUGH_DEFAULT_BRANCH,
                            open_rowid, g_hash_table_lookup (aw->lookups, t->uuid), error);
    return update_props (txn, t, onto_main, error);
  }
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
  dw = diff_compute (self, txn->conn, record, BOUGH_DIFF_FLAGS_NONE, error);
  if (dw == NULL)
    return FALSE;
  if (!record_conflicts (self, txn->conn, dw->to_record, error))
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
      if (dw->to_record->len > 0)
        bough_txn_commit (txn, &commit_error);
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT,
                   "Branch “%s” has %u unresolved conflict%s: %s", branch,
                   dw->diff->num_open_conflicts, dw->diff->num_open_conflicts == 1 ? "" : "s", list);
      return FALSE;
    }

  aw.txn = txn;
  aw.dw = dw;
  aw.lookups = lookups;
  aw.progress = progress;
  aw.user_data = user_data;

  /* the branch's schema first: its kinds are what its rows hold */
  {
    BoughSchema *main_schema = txn->schema;
    if (g_strcmp0 (bough_schema_get_hash (main_schema), bough_schema_get_hash (dw->schema)) != 0)
      {
        g_autoptr(JsonNode) json = bough_schema_to_json (dw->schema);
        g_autofree char *body = _bough_json_text (json);

        if (progress != NULL)
          progress ("schema", 0, 1, user_data);
        if (!D (self)->insert_schema (txn->conn, BOUGH_DEFAULT_BRANCH, txn->stamp,
                                      bough_schema_get_hash (dw->schema), body, error))
          return FALSE;
        new_schema = bough_schema_ref (dw->schema);
        g_clear_pointer (&txn->schema, bough_schema_unref);
        txn->schema = bough_schema_ref (dw->schema);
        schema_changed = TRUE;
        txn->n_writes++;
      }
  }

  if (!load_branch_lookups (&aw, error))
    return FALSE;
  for (guint i = 0; i < dw->node_list->len; i++)
    {
      NodeTri *t = g_ptr_array_index (dw->node_list, i);

      report (&aw, "nodes", i, dw->node_list->len);
      if (t->branch == NULL || t->ns == NULL || t->ns->branch != BOUGH_BRANCH_SUPPORT_AWARE)
        continue;
      {
        guint n_writes = txn->n_writes;

        if (!merge_node (&aw, t, removed, error))
          return FALSE;
        /* its event, under the branch's (bough-store-events.c) */
        if (txn->n_writes != n_writes)
          _bough_txn_note_node (txn, !t->branch_exists ? 'd' : !t->main_exists ? 'c' : 'u',
                                t->ns->kind, t->uuid, TRUE);
      }
    }
  report (&aw, "nodes", dw->node_list->len, dw->node_list->len);
  if (!merge_links (&aw, error) || !close_links_of (&aw, removed, error))
    return FALSE;

  if (!D (self)->update_branch_record (txn->conn, branch, NULL, BOUGH_BRANCH_STATUS_MERGED, error))
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

  if (!D (s)->set_branch_point (txn->conn, branch, txn->stamp, txn->stamp, error) ||
      !D (s)->update_branch_record (txn->conn, branch, NULL, BOUGH_BRANCH_STATUS_OPEN, error))
    return FALSE;
  /* from here on the transaction's reads see main as of now */
  txn->view.main_at = txn->stamp;

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
