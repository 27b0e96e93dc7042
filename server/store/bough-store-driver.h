/* bough-store-driver.h: the storage driver interface of the store. Every SQL
 * statement lives behind it; the semantic rules (validation, constraints,
 * hfid, cascades) stay in bough-store.c so that each driver (SQLite now,
 * PostgreSQL later) only stores and finds row versions.
 *
 * Operations are batched: nodes and relationship rows are fetched for many
 * ids at once, and a whole query is one statement.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-store.h"
#include "bough-store-task.h"

G_BEGIN_DECLS

/* The version of the database layout, kept in the database. Node ids cross
 * this interface as text; how a driver stores them is its own business (the
 * SQLite driver packs UUIDs into 16-byte blobs since version 3). */
#define BOUGH_STORE_DB_VERSION 9

typedef struct _BoughDriverDb   BoughDriverDb;
typedef struct _BoughDriverConn BoughDriverConn;

/*
 * BoughReadView: which row versions a read sees.
 * Rows of @branch visible at @at, overlaid on rows of the default branch
 * visible at @main_at (= min (@at, branched_from)), plus rows of the global
 * branch visible at @at. On the default branch @main_at == @at and only one
 * arm is used. @current is set when @at is "now" on the default branch, so the
 * driver may use the open versions only.
 */
typedef struct
{
  const char *branch;
  gboolean    is_default;
  gint64      at;
  gint64      main_at;
  gboolean    current;
} BoughReadView;

typedef enum
{
  BOUGH_ROW_ACTIVE  = 0,
  BOUGH_ROW_DELETED = 1,
  BOUGH_ROW_PACK    = 2,  /* attributes kept on another branch than their node */
} BoughRowStatus;

typedef struct
{
  gint64  rowid;
  char   *uuid;
  char   *kind;
  char   *branch;
  gint64  from_stamp;
  gint64  to_stamp;     /* 0 while open */
  gint    status;
  gint64  created;
  char   *attrs;        /* JSON object text */
  char   *hfid;         /* JSON array text or NULL */
  char   *label;        /* display label or NULL */
  char   *order_attr;   /* written only: the attribute kept as the order key */
  JsonNode *order_value;/* written only, borrowed: its value when known (NULL: read it from attrs) */
} BoughNodeRow;

typedef struct
{
  gint64  rowid;
  char   *identifier;
  char   *src;
  char   *dst;
  char   *branch;
  gint64  from_stamp;
  gint64  to_stamp;
  gint    status;
  char   *props;        /* JSON object text or NULL */
} BoughRelRow;

void bough_node_row_free (BoughNodeRow *row);
void bough_rel_row_free  (BoughRelRow  *row);

typedef struct
{
  char *key;    /* "hfid", "a:<attribute>", "uc:<paths>" */
  char *value;  /* canonical JSON text */
} BoughLookup;

void bough_lookup_free (BoughLookup *lookup);

/* An open lookup as stored, with its node. */
typedef struct
{
  char *kind;
  char *key;
  char *value;
  char *uuid;
} BoughLookupRow;

void bough_lookup_row_free (BoughLookupRow *row);

/* A conflict recorded by a diff, with the side chosen for it (a
 * BoughDiffSide) and the values it was chosen for. */
typedef struct
{
  char *id;
  char *branch;
  char *path;
  char *base_value;
  char *diff_value;
  gint  selected;
} BoughConflictRow;

void bough_conflict_row_free (BoughConflictRow *row);

/* An event row (layout 7): compact, one per event. A node event keeps no
 * changelog: it is rebuilt when read from the versions its commit wrote
 * (bough-store-events.c); @related holds only the links it changed. */
typedef struct
{
  gint64  seq;          /* rowid, the order of events */
  gint64  stamp;        /* the commit's stamp */
  gint    type;         /* a BoughEventType */
  char   *branch;
  char   *node;         /* nullable: the primary node */
  char   *kind;         /* nullable: its kind */
  gint64  parent;       /* seq of the parent event, 0 for none */
  gint    flags;        /* bit 0: has children; bits 1..: level */
  char   *payload;      /* nullable: JSON object text */
  char   *related;      /* nullable: JSON array text */
  char   *account;      /* read only: the commit's account */
} BoughEventRow;

void bough_event_row_free (BoughEventRow *row);

typedef struct
{
  gint64   after_seq;   /* seq > after_seq */
  gint64   upto_seq;    /* seq <= upto_seq (0: any) */
  gint64   since;       /* stamp >= since (0: any) */
  gint64   until;       /* stamp <= until (0: any) */
  gint     level;       /* -1: any */
  gint     has_children;/* -1: any */
  GArray  *types;       /* of gint, nullable */
  GArray  *seqs;        /* of gint64, nullable */
  GArray  *seq_stamps;  /* of gint64, nullable: with seqs, the stamps their ids name */
  GArray  *parents;     /* of gint64, nullable */
  char   **nodes;       /* nullable */
  char   **related;     /* nullable: ids among related */
  char   **branches;    /* nullable */
  char   **accounts;    /* nullable */
  char   **kinds;       /* nullable: events of a node of another kind are left out */
  char   **merged;      /* nullable: branch.merged events only of these branches */
  char   **rebased;     /* nullable: branch.rebased events only of these branches */
  gboolean ascending;
  gint64   offset;
  gint64   limit;       /* -1: all */
  gboolean skip_count;
} BoughEventQuery;

/* Which column(s) hold the node a relationship is read from. */
typedef enum
{
  BOUGH_REL_SIDE_SRC,   /* outbound: node is src, peer is dst */
  BOUGH_REL_SIDE_DST,   /* inbound: node is dst, peer is src */
  BOUGH_REL_SIDE_BOTH,  /* bidirectional: either */
} BoughRelSide;

typedef enum
{
  BOUGH_DRIVER_FILTER_ATTR,      /* attribute of the node itself */
  BOUGH_DRIVER_FILTER_ANY,       /* any attribute */
  BOUGH_DRIVER_FILTER_IDS,
  BOUGH_DRIVER_FILTER_HFID,
  BOUGH_DRIVER_FILTER_REL_ATTR,  /* attribute (or any) of a peer */
  BOUGH_DRIVER_FILTER_REL_IDS,
  BOUGH_DRIVER_FILTER_REL_ISNULL,
} BoughDriverFilterType;

typedef struct
{
  BoughDriverFilterType  type;
  BoughFilterOp          op;         /* for ATTR, ANY and REL_ATTR */
  char                  *attribute;  /* NULL for "any" */
  char                  *identifier; /* REL_* */
  BoughRelSide           side;       /* REL_* */
  char                 **peer_kinds; /* REL_ATTR: kinds the peer may have */
  JsonNode              *value;
  gboolean               partial;
  gboolean               packed;     /* the attribute lives in the node's pack rows */
} BoughDriverFilter;

void bough_driver_filter_free (BoughDriverFilter *filter);

/* A row lent for the call only (its strings are the driver's). */
typedef void (*BoughNodeRowFunc) (const BoughNodeRow *row,
                                  gpointer            user_data);

/* One key of a listing's order. Nulls sort after every value in
 * ascending order (before them in descending order). */
typedef enum
{
  BOUGH_DRIVER_ORDER_ATTR,      /* the value of an own attribute */
  BOUGH_DRIVER_ORDER_CREATED,   /* the node's creation stamp (created) */
  BOUGH_DRIVER_ORDER_UPDATED,   /* the version's stamp (from_stamp) */
  BOUGH_DRIVER_ORDER_REL_ATTR,  /* the value of an attribute of the one peer of a link */
} BoughDriverOrderType;

typedef struct
{
  BoughDriverOrderType  type;
  char                 *attribute;   /* ATTR, REL_ATTR */
  char                 *property;    /* ATTR, REL_ATTR: NULL for the value, or of an IP value
                                      * "version", "binary_address", "prefixlen" */
  char                 *identifier;  /* REL_ATTR: the link's identifier */
  BoughRelSide          side;        /* REL_ATTR: the listed node's end of the link */
  char                **peer_kinds;  /* REL_ATTR: kinds the peer may have */
  gboolean              descending;
} BoughDriverOrder;

void bough_driver_order_free (BoughDriverOrder *order);

typedef struct
{
  char      **kinds;      /* node kinds to list */
  GPtrArray  *filters;    /* of BoughDriverFilter* */
  GPtrArray  *orders;     /* of BoughDriverOrder*, applied in turn; ties by uuid
                           * (empty or NULL: by uuid alone, the creation order) */
  gint64      offset;
  gint64      limit;      /* -1: all */
  gboolean    order_key;  /* orders[0] is an ATTR held in the order key of the (one) kind */
  BoughNodeRowFunc each;  /* when set, rows are lent to it, not added to out_rows */
  gpointer    each_data;
} BoughDriverQuery;

typedef struct
{
  const char *name;

  BoughDriverDb   *(*open)            (const char *location, GError **error);
  void             (*close)           (BoughDriverDb *db);

  /* user_version of the database; 0 when empty */
  gint             (*get_version)     (BoughDriverDb *db);
  /* create or migrate the tables up to BOUGH_STORE_DB_VERSION */
  gboolean         (*migrate)         (BoughDriverDb *db, GError **error);

  /* One writer at a time (blocks); readers from any thread. */
  BoughDriverConn *(*writer_acquire)  (BoughDriverDb *db);
  void             (*writer_release)  (BoughDriverDb *db, BoughDriverConn *conn);
  BoughDriverConn *(*reader_acquire)  (BoughDriverDb *db, GError **error);
  void             (*reader_release)  (BoughDriverDb *db, BoughDriverConn *conn);

  gboolean (*begin)             (BoughDriverConn *conn, GError **error);
  gboolean (*commit)            (BoughDriverConn *conn, GError **error);
  void     (*rollback)          (BoughDriverConn *conn);
  gboolean (*savepoint)         (BoughDriverConn *conn, GError **error);
  gboolean (*release_savepoint) (BoughDriverConn *conn, GError **error);
  void     (*rollback_savepoint)(BoughDriverConn *conn);

  gint64   (*last_stamp)        (BoughDriverConn *conn, GError **error);
  gboolean (*insert_commit)     (BoughDriverConn *conn, gint64 stamp, const char *branch,
                                 const char *account, const char *summary, GError **error);
  /* accounts of many commits: stamp (as gint64*) → account (may be NULL) */
  gboolean (*get_commits)       (BoughDriverConn *conn, GArray *stamps, GHashTable *out,
                                 GError **error);

  gboolean (*insert_branch)     (BoughDriverConn *conn, const char *name, gint64 branched_from,
                                 gboolean is_default, GError **error);
  /* FALSE with no error when absent */
  gboolean (*get_branch)        (BoughDriverConn *conn, const char *name, gint64 *branched_from,
                                 gboolean *is_default, GError **error);

  gboolean (*insert_schema)     (BoughDriverConn *conn, const char *branch, gint64 stamp,
                                 const char *hash, const char *body, GError **error);
  /* the version of @branch visible at @at; FALSE with no error when none */
  gboolean (*get_schema)        (BoughDriverConn *conn, const char *branch, gint64 at,
                                 char **body, gint64 *from_stamp, GError **error);
  /* the same version's stamp and hash (NULL when none was stored), without its body */
  gboolean (*get_schema_stamp)  (BoughDriverConn *conn, const char *branch, gint64 at,
                                 gint64 *from_stamp, char **hash, GError **error);
  /* Order keys: each node version keeps the value of one attribute (its
   * row's @order_attr, the first attribute of its kind's order on the
   * default branch) in an indexed key, so that listing a kind in that order
   * reads only the page it returns. set_order recomputes the keys of the
   * open versions of @kind for @attribute (NULL: none) and records it;
   * get_orders gives the recorded kind → attribute. */
  gboolean (*set_order)         (BoughDriverConn *conn, const char *kind, const char *attribute,
                                 GError **error);
  gboolean (*get_orders)        (BoughDriverConn *conn, GHashTable *out, GError **error);

  gint64   (*insert_node)       (BoughDriverConn *conn, const BoughNodeRow *row, GError **error);
  /* close an open version at @stamp (a version opened at @stamp is removed) */
  gboolean (*close_node)        (BoughDriverConn *conn, gint64 rowid, gint64 stamp, GError **error);
  /* close_node() of @n versions at once (a merge closes thousands) */
  gboolean (*close_nodes)       (BoughDriverConn *conn, const gint64 *rowids, guint n, gint64 stamp,
                                 GError **error);
  /* visible, active nodes among @uuids (strings), optionally restricted to @kinds */
  gboolean (*fetch_nodes)       (BoughDriverConn *conn, const BoughReadView *view,
                                 char **kinds, GPtrArray *uuids, GPtrArray *out_rows,
                                 GError **error);
  /* the open version (active or deleted) of one node on exactly @branch */
  gboolean (*fetch_node_version)(BoughDriverConn *conn, const char *uuid, const char *branch,
                                 BoughNodeRow **out_row, GError **error);
  /* Pack rows (status BOUGH_ROW_PACK) hold the attributes whose branch
   * support differs from their node's: agnostic attributes of a node of a
   * branch on -global-, branch attributes of an agnostic node on a branch.
   * The open pack of one node on exactly @branch: */
  gboolean (*fetch_pack_version)(BoughDriverConn *conn, const char *uuid, const char *branch,
                                 BoughNodeRow **out_row, GError **error);
  /* the packs of @uuids visible in @view (on its branch or -global-) */
  gboolean (*fetch_packs)       (BoughDriverConn *conn, const BoughReadView *view,
                                 GPtrArray *uuids, GPtrArray *out_rows, GError **error);

  gboolean (*insert_lookups)    (BoughDriverConn *conn, const char *kind, const char *uuid,
                                 const char *branch, gint64 stamp, GPtrArray *lookups,
                                 GError **error);
  gboolean (*close_lookups)     (BoughDriverConn *conn, const char *uuid, const char *branch,
                                 gint64 stamp, GError **error);
  /* the open lookups of @uuid on exactly @branch become @lookups (NULL:
   * none) as of @stamp; left as they are when they hold the same keys and
   * values already, so that a write that changes no looked-up value writes
   * no lookup */
  gboolean (*replace_lookups)   (BoughDriverConn *conn, const char *kind, const char *uuid,
                                 const char *branch, gint64 stamp, GPtrArray *lookups,
                                 GError **error);
  /* uuids of visible nodes of @kinds having lookup @key = @value */
  gboolean (*find_lookup)       (BoughDriverConn *conn, const BoughReadView *view,
                                 char **kinds, const char *key, const char *value,
                                 GPtrArray *out_uuids, GError **error);

  gint64   (*insert_rel)        (BoughDriverConn *conn, const BoughRelRow *row, GError **error);
  gboolean (*close_rel)         (BoughDriverConn *conn, gint64 rowid, gint64 stamp, GError **error);
  /* visible active links of @identifier touching @uuids (distinct) on @side;
   * rows as stored, in the order of (from_stamp, rowid) */
  gboolean (*fetch_rels)        (BoughDriverConn *conn, const BoughReadView *view,
                                 const char *identifier, BoughRelSide side, GPtrArray *uuids,
                                 GPtrArray *out_rows, GError **error);
  /* every visible active link of @identifier, in the order of
   * (from_stamp, rowid); reads all the links of the identifier */
  gboolean (*list_rels)         (BoughDriverConn *conn, const BoughReadView *view,
                                 const char *identifier, GPtrArray *out_rows, GError **error);
  /* the open version of one link on exactly @branch, either orientation */
  gboolean (*fetch_rel_version) (BoughDriverConn *conn, const char *identifier, const char *a,
                                 const char *b, const char *branch, BoughRelRow **out_row,
                                 GError **error);

  /* Branch records (layout 4). get: FALSE with no error when absent. */
  gboolean (*get_branch_record) (BoughDriverConn *conn, const char *name, BoughBranch **out,
                                 GError **error);
  gboolean (*list_branch_records)(BoughDriverConn *conn, GPtrArray *out, GError **error);
  gboolean (*insert_branch_record)(BoughDriverConn *conn, const BoughBranch *branch, GError **error);
  /* @description NULL: kept; @status < 0: kept */
  gboolean (*update_branch_record)(BoughDriverConn *conn, const char *name, const char *description,
                                 gint status, GError **error);
  /* moves the branch point of @name to @branched_from as of @since */
  gboolean (*set_branch_point)  (BoughDriverConn *conn, const char *name, gint64 since,
                                 gint64 branched_from, GError **error);
  /* the earlier branch points of @name: pairs of gint64 (since, branched_from), oldest first */
  gboolean (*get_branch_points) (BoughDriverConn *conn, const char *name, GArray *out, GError **error);
  /* every row of @name: versions, links, lookups, schemas, conflicts, the record */
  gboolean (*delete_branch_rows)(BoughDriverConn *conn, const char *name, GError **error);
  /* uuids (a set of strings) of the nodes with a version on exactly @branch:
   * an open one with @open_only, else one opened after @since (packs aside) */
  gboolean (*changed_nodes)     (BoughDriverConn *conn, const char *branch, gboolean open_only,
                                 gint64 since, GHashTable *out, GError **error);
  /* links of exactly @branch: the open versions with @open_only, else the
   * versions opened or closed after @since */
  gboolean (*changed_rels)      (BoughDriverConn *conn, const char *branch, gboolean open_only,
                                 gint64 since, GPtrArray *out, GError **error);
  /* the versions (active or deleted, no packs) of @uuids on exactly @branch
   * visible at @at (0: the open ones) */
  gboolean (*fetch_node_versions)(BoughDriverConn *conn, const char *branch, gint64 at,
                                 GPtrArray *uuids, GPtrArray *out, GError **error);
  /* changed_nodes() and fetch_node_versions() of packs (status
   * BOUGH_ROW_PACK): the branch attributes of agnostic nodes */
  gboolean (*changed_packs)     (BoughDriverConn *conn, const char *branch, gboolean open_only,
                                 gint64 since, GHashTable *out, GError **error);
  gboolean (*fetch_pack_versions)(BoughDriverConn *conn, const char *branch, gint64 at,
                                 GPtrArray *uuids, GPtrArray *out, GError **error);
  /* the same for links named by @keys (BoughRelRow with identifier, src, dst) */
  gboolean (*fetch_rel_versions)(BoughDriverConn *conn, const char *branch, gint64 at,
                                 GPtrArray *keys, GPtrArray *out, GError **error);
  /* links (active or deleted) of @identifier touching @uuids on @side, on
   * exactly @branch, visible at @at (0: the open ones) */
  gboolean (*fetch_links_of)    (BoughDriverConn *conn, const char *branch, gint64 at,
                                 const char *identifier, BoughRelSide side, GPtrArray *uuids,
                                 GPtrArray *out, GError **error);
  /* the open lookups (BoughLookupRow) on exactly @branch, of @uuids (NULL: all) */
  gboolean (*fetch_open_lookups)(BoughDriverConn *conn, const char *branch, GPtrArray *uuids,
                                 GPtrArray *out, GError **error);
  /* recorded conflicts: of @branch (BoughConflictRow), one by id */
  gboolean (*get_conflicts)     (BoughDriverConn *conn, const char *branch, GPtrArray *out,
                                 GError **error);
  gboolean (*get_conflict)      (BoughDriverConn *conn, const char *id, BoughConflictRow **out,
                                 GError **error);
  gboolean (*put_conflict)      (BoughDriverConn *conn, const BoughConflictRow *row, GError **error);
  /* removes the recorded conflicts of @branch whose id is not in @keep
   * (strings; NULL: removes them all) */
  gboolean (*prune_conflicts)   (BoughDriverConn *conn, const char *branch, GPtrArray *keep,
                                 GError **error);
  /* the stamp of the last DiffUpdate of @branch (layout 6); 0 when none */
  gboolean (*get_diff_update)   (BoughDriverConn *conn, const char *branch, gint64 *out,
                                 GError **error);
  gboolean (*set_diff_update)   (BoughDriverConn *conn, const char *branch, gint64 stamp,
                                 GError **error);

  gboolean (*query)             (BoughDriverConn *conn, const BoughReadView *view,
                                 const BoughDriverQuery *query, gboolean count_only,
                                 gint64 *out_count, GPtrArray *out_rows, GError **error);

  /* events (layout 7): insert returns the seq, -1 on error */
  gint64   (*insert_event)      (BoughDriverConn *conn, const BoughEventRow *row, GError **error);
  gboolean (*list_events)       (BoughDriverConn *conn, const BoughEventQuery *query,
                                 gint64 *out_count, GPtrArray *out_rows, GError **error);
  /* the seq of the latest event, 0 when none */
  gint64   (*last_event)        (BoughDriverConn *conn, GError **error);
  /* the link versions (either end @node) on @branch or the global branch
   * opened or closed at @stamp: what a node event's commit changed */
  gboolean (*event_links)       (BoughDriverConn *conn, const char *branch, gint64 stamp,
                                 const char *node, GPtrArray *out_rows, GError **error);

  /* every version on @branches of the node and of its links */
  gboolean (*history)           (BoughDriverConn *conn, const char *uuid, char **branches,
                                 GPtrArray *out_nodes, GPtrArray *out_rels, GError **error);

  /* Tasks (layout 6; semantics in bough-store-task.c). The writes run in
   * the caller's transaction; those that change one task return the
   * number of rows changed, -1 on error. */
  const struct _BoughTaskDriver *tasks;

  /* Commits of other processes sharing the database: probe_foreign looks
   * (on any connection not in a transaction; begin does it too) whether
   * a commit newer than this process's own exists, and foreign_serial
   * counts how often one was seen, so that the store drops its caches. */
  gboolean (*probe_foreign)     (BoughDriverConn *conn, GError **error);
  guint64  (*foreign_serial)    (BoughDriverDb *db, gint64 *known_stamp);
} BoughStoreDriver;

typedef struct _BoughTaskDriver
{
  gboolean (*insert)            (BoughDriverConn *conn, const BoughTask *task, GError **error);
  /* FALSE with no error when absent; related nodes filled */
  gboolean (*get)               (BoughDriverConn *conn, const char *id, BoughTask **out,
                                 GError **error);
  /* the id of the oldest ready task (NULL when none) */
  gboolean (*pick)              (BoughDriverConn *conn, const char * const *workflows, gint64 now,
                                 char **out_id, GError **error);
  gint     (*set_running)       (BoughDriverConn *conn, const char *id, const char *worker,
                                 gint64 now, gint64 lease_until, GError **error);
  /* renews the lease of a running task held by @worker; @progress < 0: kept */
  gint     (*renew)             (BoughDriverConn *conn, const char *id, const char *worker,
                                 gint64 now, gint64 lease_until, double progress,
                                 gboolean *cancel_requested, GError **error);
  /* sets the state of a task held by @worker (NULL: of one in any of
   * @from, a mask of 1 << BoughTaskState), its conclusion, error and
   * result; SCHEDULED/PENDING ones let go of their worker and lease */
  gint     (*set_state)         (BoughDriverConn *conn, const char *id, const char *worker,
                                 guint from, BoughTaskState state, BoughTaskConclusion conclusion,
                                 gint error_code, const char *message, const char *result,
                                 gint64 not_before, gint64 now, GError **error);
  gint     (*request_cancel)    (BoughDriverConn *conn, const char *id, gint64 now, GError **error);
  /* running or cancelling tasks whose lease ended before @now (BoughTask*) */
  gboolean (*expired)           (BoughDriverConn *conn, gint64 now, GPtrArray *out, GError **error);
  gboolean (*insert_log)        (BoughDriverConn *conn, const char *id, gint64 timestamp,
                                 const char *severity, const char *message, GError **error);
  gboolean (*list)              (BoughDriverConn *conn, const BoughTaskFilter *filter,
                                 gint64 *count, GPtrArray *out, GError **error);
  gboolean (*logs)              (BoughDriverConn *conn, const char *id, gint64 offset,
                                 gint64 limit, gint64 *count, GPtrArray *out, GError **error);
  gboolean (*count_states)      (BoughDriverConn *conn, const char *workflow, gint64 *out,
                                 GError **error);
} BoughTaskDriver;

const BoughStoreDriver *bough_store_sqlite_driver (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughNodeRow, bough_node_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughRelRow, bough_rel_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughDriverFilter, bough_driver_filter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughLookupRow, bough_lookup_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughConflictRow, bough_conflict_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughEventRow, bough_event_row_free)

G_END_DECLS
