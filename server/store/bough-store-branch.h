/* bough-store-branch.h: the branch lifecycle of the store: branch records
 * (list, get, create, update, delete), the diff of a branch against the
 * default branch with its conflicts, durable conflict resolutions,
 * validation, merge and rebase. Included by bough-store.h.
 *
 * Semantics (reference §4):
 * - Every branch starts from the default branch ("main") and merges back into
 *   it. Creating a branch copies nothing; the branch sees main as of its
 *   branch point (branched_from) under its own versions.
 * - Only branch-aware data is diffed and merged. Agnostic data is shared by
 *   every branch; local data stays in its branch, is never diffed or merged
 *   and is kept by a rebase.
 * - The diff is a three-way comparison of each element (an attribute
 *   property, a relationship peer and its properties, a node's existence)
 *   between its value at the branch point on main, its value now on main and
 *   its value now on the branch. Its cost grows with the number of elements
 *   changed on either side since the branch point, never with the size of
 *   the database.
 * - A conflict is an element both sides changed to different values, or a
 *   uniqueness rule (unique attribute, uniqueness constraint, hfid) that only
 *   breaks once both sides are combined. A conflict is resolved by choosing
 *   the base (main) or the diff (branch) side; the choice is stored and holds
 *   while both sides keep the values it was made for.
 * - Merge writes the branch's final state onto main in one transaction (all or
 *   nothing, also under kill -9) and is refused while a conflict is open.
 *   After a merge the branch is %BOUGH_BRANCH_STATUS_MERGED: read-only, still
 *   readable (its reads are what they were), deletable (the newer Infrahub's
 *   terminal MERGED state). Schema changes made on the branch are carried over
 *   by the merge.
 * - Rebase moves the branch point to now in one transaction: the branch keeps
 *   its own values (and, for conflicts, the side chosen), takes main's changes
 *   everywhere else, and its internal history restarts at the rebase.
 * - Delete removes every row of the branch in one transaction.
 * - Time travel: reads of a branch at a past time see the branch as it was,
 *   across rebases (the store keeps each branch point with the time it took
 *   effect) and merges.
 * - Merge, rebase and delete hold the single write transaction of the store:
 *   other writers (on the branch or on main) wait for it, readers keep
 *   reading the last committed state (snapshot reads). A write transaction
 *   begun on a merged branch, or on a branch that is not open, fails with
 *   %BOUGH_ERROR_CONFLICT.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _BoughStore BoughStore;

/**
 * BoughBranchStatus:
 * @BOUGH_BRANCH_STATUS_OPEN: reads and writes allowed
 * @BOUGH_BRANCH_STATUS_NEED_REBASE: only rebase and delete allowed
 * @BOUGH_BRANCH_STATUS_NEED_UPGRADE_REBASE: idem, after a layout upgrade
 * @BOUGH_BRANCH_STATUS_DELETING: being deleted
 * @BOUGH_BRANCH_STATUS_MERGING: being merged (never visible outside the merge
 *   transaction in this store, kept for the API's enum)
 * @BOUGH_BRANCH_STATUS_MERGE_FAILED: a merge failed
 * @BOUGH_BRANCH_STATUS_MERGED: merged into main; read-only, terminal
 *
 * The status of a branch, as Infrahub's `BranchStatus`.
 */
typedef enum
{
  BOUGH_BRANCH_STATUS_OPEN,
  BOUGH_BRANCH_STATUS_NEED_REBASE,
  BOUGH_BRANCH_STATUS_NEED_UPGRADE_REBASE,
  BOUGH_BRANCH_STATUS_DELETING,
  BOUGH_BRANCH_STATUS_MERGING,
  BOUGH_BRANCH_STATUS_MERGE_FAILED,
  BOUGH_BRANCH_STATUS_MERGED,
} BoughBranchStatus;

const char *bough_branch_status_to_string (BoughBranchStatus status);

/**
 * BoughBranch:
 * @id: a stable UUID of the branch record
 * @name: its name (a git ref name)
 * @description: (nullable): free text
 * @origin_branch: the branch it started from ("main"; %NULL for main itself)
 * @branched_from: commit stamp of its branch point (moved by rebase); for
 *   main, the store's creation
 * @created_at: commit stamp of its creation
 * @status: its status
 * @sync_with_git: also a branch in read-write repositories
 * @is_default: it is the default branch
 * @has_schema_changes: its schema differs from main's (changed on the branch)
 *
 * A branch record. Stamps print with bough_store_stamp_to_iso8601().
 */
typedef struct
{
  char              *id;
  char              *name;
  char              *description;
  char              *origin_branch;
  gint64             branched_from;
  gint64             created_at;
  BoughBranchStatus  status;
  gboolean           sync_with_git;
  gboolean           is_default;
  gboolean           has_schema_changes;
} BoughBranch;

void bough_branch_free (BoughBranch *branch);

/**
 * BoughBranchCreate:
 * @name: the new branch's name: git ref rules (`/` allowed; no `~ ^ : ? * [ \`,
 *   `..`, `@{`, spaces or control characters; no leading `-` or `/`; no
 *   trailing `/`, `.` or `.lock`), not `-global-`
 * @description: (nullable): free text
 * @origin_branch: (nullable): must be %NULL or the default branch
 * @branched_from: commit stamp of the branch point, 0 for now; a past stamp
 *   is allowed (the branch then sees main as it was then)
 * @sync_with_git: also create it in read-write repositories
 *
 * What bough_store_branch_create() needs.
 */
typedef struct
{
  const char *name;
  const char *description;
  const char *origin_branch;
  gint64      branched_from;
  gboolean    sync_with_git;
} BoughBranchCreate;

/**
 * BoughProgressFunc:
 * @step: what runs now ("diff", "validate", "nodes", "relationships",
 *   "schema", "delete", "done")
 * @done: units of @step done
 * @total: units of @step in all (0 when unknown)
 * @user_data: the data given with the callback
 *
 * Reports the progress of a long branch operation. Called from the thread
 * running the operation, inside its transaction: it must not call the store.
 */
typedef void (*BoughProgressFunc) (const char *step,
                                   guint       done,
                                   guint       total,
                                   gpointer    user_data);

/* Branch records. get and update fail with BOUGH_ERROR_NOT_FOUND for an
 * unknown branch; create with BOUGH_ERROR_INVALID for a bad name and
 * BOUGH_ERROR_CONFLICT for an existing one (unique in the database, also
 * under concurrent creation); list returns BoughBranch*, main first, then by
 * name; delete refuses main and removes every row of the branch in one
 * transaction. */
BoughBranch *bough_store_branch_create    (BoughStore              *self,
                                           const BoughBranchCreate *input,
                                           const char              *account,
                                           GError                 **error);
BoughBranch *bough_store_get_branch       (BoughStore              *self,
                                           const char              *name,
                                           GError                 **error);
GPtrArray   *bough_store_list_branches    (BoughStore              *self,
                                           GError                 **error);
BoughBranch *bough_store_update_branch    (BoughStore              *self,
                                           const char              *name,
                                           const char              *description,
                                           GError                 **error);
gboolean     bough_store_delete_branch    (BoughStore              *self,
                                           const char              *name,
                                           const char              *account,
                                           BoughProgressFunc        progress,
                                           gpointer                 user_data,
                                           GError                 **error);

/**
 * BoughDiffAction:
 * @BOUGH_DIFF_UNCHANGED: not changed (a parent shown for grouping)
 * @BOUGH_DIFF_ADDED: exists on this side only
 * @BOUGH_DIFF_UPDATED: changed
 * @BOUGH_DIFF_REMOVED: removed on this side
 *
 * The status of a diff element ("added", "updated", "removed", "unchanged"
 * in the API).
 */
typedef enum
{
  BOUGH_DIFF_UNCHANGED,
  BOUGH_DIFF_ADDED,
  BOUGH_DIFF_UPDATED,
  BOUGH_DIFF_REMOVED,
} BoughDiffAction;

const char *bough_diff_action_to_string (BoughDiffAction action);

/**
 * BoughDiffSide:
 * @BOUGH_DIFF_SIDE_NONE: not chosen
 * @BOUGH_DIFF_SIDE_BASE: the default branch's side ("base")
 * @BOUGH_DIFF_SIDE_DIFF: the branch's side ("diff")
 *
 * A side of a conflict (`selected_branch` in the API).
 */
typedef enum
{
  BOUGH_DIFF_SIDE_NONE,
  BOUGH_DIFF_SIDE_BASE,
  BOUGH_DIFF_SIDE_DIFF,
} BoughDiffSide;

/**
 * BoughDiffConflict:
 * @id: the conflict's id (stable while the conflict lasts; what
 *   bough_store_resolve_conflict() takes)
 * @path: the element in conflict: `<node uuid>/attribute/<name>/<property>`,
 *   `<node uuid>/relationship/<name>/<peer uuid>[/<property>]`,
 *   `<node uuid>` for the node's existence, or
 *   `unique/<kind>/<key>/<value>` for a uniqueness conflict
 * @uniqueness: a uniqueness conflict: @base_label and @diff_label name the
 *   node on main and the node on the branch, both values are the shared
 *   value. It cannot be resolved by choosing a side
 *   (bough_store_resolve_conflict() refuses it): it goes away when either
 *   side changes its value or removes its node
 * @base_action: what main did to the element
 * @base_value: (nullable): main's value now
 * @base_label: (nullable): its label (a peer's display label, the node's)
 * @base_changed_at: commit stamp of main's change
 * @diff_action: what the branch did to the element
 * @diff_value: (nullable): the branch's value now
 * @diff_label: (nullable): its label
 * @diff_changed_at: commit stamp of the branch's change
 * @selected: the side chosen, %BOUGH_DIFF_SIDE_NONE while open
 *
 * A conflict (Infrahub's ConflictDetails).
 */
typedef struct
{
  char            *id;
  char            *path;
  gboolean         uniqueness;
  BoughDiffAction  base_action;
  JsonNode        *base_value;
  char            *base_label;
  gint64           base_changed_at;
  BoughDiffAction  diff_action;
  JsonNode        *diff_value;
  char            *diff_label;
  gint64           diff_changed_at;
  BoughDiffSide    selected;
} BoughDiffConflict;

/**
 * BoughDiffProperty:
 * @property_type: "HAS_VALUE", "IS_VISIBLE", "IS_PROTECTED", "HAS_SOURCE",
 *   "HAS_OWNER" or, for relationship elements, "IS_RELATED"
 * @action: what the branch did to it
 * @previous_value: (nullable): value at the branch point (main's)
 * @new_value: (nullable): value on the branch now
 * @previous_label: (nullable): label of the previous value (the node a
 *   source, owner or peer id names)
 * @new_label: (nullable): label of the new value
 * @last_changed_at: commit stamp of the branch's change
 * @conflict: (nullable): borrowed from the diff's conflicts
 */
typedef struct
{
  const char        *property_type;
  BoughDiffAction    action;
  JsonNode          *previous_value;
  JsonNode          *new_value;
  char              *previous_label;
  char              *new_label;
  gint64             last_changed_at;
  BoughDiffConflict *conflict;
} BoughDiffProperty;

/**
 * BoughDiffAttribute:
 * @name: the attribute
 * @action: added (node added), removed (node removed) or updated
 * @last_changed_at: latest change of its properties
 * @contains_conflict: a property is in conflict
 * @properties: of BoughDiffProperty*, the changed properties only
 */
typedef struct
{
  char        *name;
  BoughDiffAction action;
  gint64       last_changed_at;
  gboolean     contains_conflict;
  GPtrArray   *properties;
} BoughDiffAttribute;

/**
 * BoughDiffElement:
 * @peer_id: the peer's UUID
 * @peer_kind: (nullable): its kind
 * @peer_label: (nullable): its display label
 * @action: the link added, removed or updated (its properties)
 * @last_changed_at: commit stamp of the branch's change
 * @contains_conflict: the element or one of its properties is in conflict
 * @conflict: (nullable): conflict on the link itself (e.g. one side removed
 *   it, the other changed it; or both set a different peer of a cardinality
 *   one relationship); borrowed
 * @properties: of BoughDiffProperty*: "IS_RELATED" (the peer id) and the
 *   link's changed properties
 */
typedef struct
{
  char              *peer_id;
  char              *peer_kind;
  char              *peer_label;
  BoughDiffAction    action;
  gint64             last_changed_at;
  gboolean           contains_conflict;
  BoughDiffConflict *conflict;
  GPtrArray         *properties;
} BoughDiffElement;

/**
 * BoughDiffRelationship:
 * @name: the relationship
 * @label: (nullable): its label in the schema
 * @many: cardinality many
 * @action: updated, or added/removed with the node
 * @last_changed_at: latest change of its elements
 * @contains_conflict: an element is in conflict
 * @elements: of BoughDiffElement*
 */
typedef struct
{
  char        *name;
  char        *label;
  gboolean     many;
  BoughDiffAction action;
  gint64       last_changed_at;
  gboolean     contains_conflict;
  GPtrArray   *elements;
} BoughDiffRelationship;

/**
 * BoughDiffNode:
 * @uuid: the node
 * @kind: its kind
 * @label: (nullable): its display label (the branch's, else main's)
 * @action: added, removed, updated, or unchanged when only shown as a parent
 * @last_changed_at: latest change on the branch
 * @parent_uuid: (nullable): the node it belongs to (its peer through a
 *   relationship of kind Parent, e.g. an interface's device)
 * @parent_kind: (nullable): the parent's kind
 * @parent_relationship: (nullable): the relationship leading to the parent
 * @contains_conflict: the node or one of its elements is in conflict
 * @conflict: (nullable): conflict on the node's existence; borrowed
 * @attributes: of BoughDiffAttribute*
 * @relationships: of BoughDiffRelationship*
 */
typedef struct
{
  char              *uuid;
  char              *kind;
  char              *label;
  BoughDiffAction    action;
  gint64             last_changed_at;
  char              *parent_uuid;
  char              *parent_kind;
  char              *parent_relationship;
  gboolean           contains_conflict;
  BoughDiffConflict *conflict;
  GPtrArray         *attributes;
  GPtrArray         *relationships;
} BoughDiffNode;

/**
 * BoughDiff:
 * @branch: the branch diffed
 * @from_time: its branch point
 * @to_time: the stamp the diff was computed at
 * @num_added: nodes added on the branch
 * @num_updated: nodes updated on the branch
 * @num_removed: nodes removed on the branch
 * @num_conflicts: conflicts (open and resolved)
 * @num_open_conflicts: conflicts still open
 * @num_base_changes: elements changed on main since the branch point
 * @updated_at: stamp of the branch's last DiffUpdate
 *   (bough_store_update_diff()), 0 when none
 * @num_untracked_base_changes: elements main changed since @updated_at
 *   (since the branch point when never updated)
 * @num_untracked_diff_changes: elements the branch changed since
 *   @updated_at (idem)
 * @nodes: of BoughDiffNode*, changed nodes (and their unchanged parents with
 *   %BOUGH_DIFF_INCLUDE_PARENTS), ordered by kind then uuid
 * @conflicts: of BoughDiffConflict*, every conflict (owned here)
 *
 * The diff of a branch against the default branch (DiffTree).
 */
typedef struct
{
  char      *branch;
  gint64     from_time;
  gint64     to_time;
  guint      num_added;
  guint      num_updated;
  guint      num_removed;
  guint      num_conflicts;
  guint      num_open_conflicts;
  guint      num_base_changes;
  gint64     updated_at;
  guint      num_untracked_base_changes;
  guint      num_untracked_diff_changes;
  GPtrArray *nodes;
  GPtrArray *conflicts;
} BoughDiff;

void bough_diff_free (BoughDiff *diff);

/**
 * BoughDiffFlags:
 * @BOUGH_DIFF_FLAGS_NONE: changed nodes only
 * @BOUGH_DIFF_INCLUDE_PARENTS: add the parents of changed nodes, unchanged
 *   ones with %BOUGH_DIFF_UNCHANGED, so that a client can group
 */
typedef enum
{
  BOUGH_DIFF_FLAGS_NONE      = 0,
  BOUGH_DIFF_INCLUDE_PARENTS = 1 << 0,
} BoughDiffFlags;

/* bough_store_diff_branch(): the diff of @branch now (DiffTree); records the
 * conflicts it finds so that their ids can be resolved later.
 * bough_store_resolve_conflict(): stores the side chosen for a conflict of
 * any branch (ResolveDiffConflict); NOT_FOUND for an unknown id.
 * bough_store_validate_branch(): TRUE when the branch can merge; otherwise
 * FALSE with @messages (one per open conflict) and no error, or with @error
 * set when the store failed (BranchValidate).
 * bough_store_merge_branch(): refuses with BOUGH_ERROR_CONFLICT, whose
 * message lists the open conflicts, or merges in one transaction.
 * bough_store_rebase_branch(): moves the branch point to now.
 * bough_store_diff_branch_window(): the diff restricted to the branch's
 * changes made between @from_time and @to_time (0: the branch point, now).
 * bough_store_update_diff(): DiffUpdate: computes the diff (recording and
 * pruning its conflicts) and records when, for the untracked counts.
 * Recorded conflicts that no longer apply are pruned by each diff, merge,
 * rebase and delete. */
BoughDiff   *bough_store_diff_branch      (BoughStore              *self,
                                           const char              *branch,
                                           BoughDiffFlags           flags,
                                           GError                 **error);
BoughDiff   *bough_store_diff_branch_window (BoughStore            *self,
                                             const char            *branch,
                                             BoughDiffFlags         flags,
                                             gint64                 from_time,
                                             gint64                 to_time,
                                             GError               **error);
gboolean     bough_store_update_diff      (BoughStore              *self,
                                           const char              *branch,
                                           GError                 **error);
gboolean     bough_store_resolve_conflict (BoughStore              *self,
                                           const char              *conflict_id,
                                           BoughDiffSide            side,
                                           GError                 **error);
gboolean     bough_store_validate_branch  (BoughStore              *self,
                                           const char              *branch,
                                           char                  ***messages,
                                           GError                 **error);
gboolean     bough_store_merge_branch     (BoughStore              *self,
                                           const char              *branch,
                                           const char              *account,
                                           BoughProgressFunc        progress,
                                           gpointer                 user_data,
                                           GError                 **error);
gboolean     bough_store_rebase_branch    (BoughStore              *self,
                                           const char              *branch,
                                           const char              *account,
                                           BoughProgressFunc        progress,
                                           gpointer                 user_data,
                                           GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughBranch, bough_branch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughDiff, bough_diff_free)

G_END_DECLS
