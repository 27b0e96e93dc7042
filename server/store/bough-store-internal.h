/* bough-store-internal.h: the store's structures and helpers shared by its
 * files (bough-store.c, bough-store-write.c, bough-store-read.c); not for its
 * users.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-store.h"
#include "bough-store-driver.h"
#include "bough-store-json.h"

G_BEGIN_DECLS

struct _BoughStore
{
  gint                    ref_count;
  const BoughStoreDriver *driver;
  BoughDriverDb          *db;
  GMutex                  lock;        /* the fields below */
  gint64                  last_stamp;  /* latest committed stamp */
  GHashTable             *schemas;     /* branch → current BoughSchema */
  GHashTable             *branches;    /* non-default branch → gint64 branched_from */
  GHashTable             *orders;      /* kind → attribute kept as its order key */
  GHashTable             *branch_points; /* branch → GArray of its earlier points (see driver) */
  guint64                 open_serial; /* change serial of every kind not changed since opening */
  GHashTable             *kind_serials; /* kind → guint64*: change serial of its latest commit */
  /* "branch\nfrom_stamp\nhash" of a stored schema version → its parsed
   * BoughSchema, for reads at past times (a few entries) */
  GHashTable             *past_schemas;
  GMutex                  watch_lock;  /* the fields below */
  GArray                 *event_watches; /* of the Watch of bough-store-events.c */
  guint                   next_watch_id;
  gboolean                no_events;   /* BOUGH_BENCH_NO_EVENTS=1: the benchmark's baseline */
  guint64                 foreign_seen; /* the driver's foreign_serial the caches are of */
  GPtrArray              *retired;     /* order tables replaced after another process's change */
};

typedef struct _BoughTxnEvents BoughTxnEvents;

struct _BoughTxn
{
  BoughStore      *store;
  BoughDriverConn *conn;
  char            *branch;
  char            *account;
  gint64           stamp;
  BoughSchema     *schema;
  BoughReadView    view;
  gboolean         internal;
  gboolean         done;
  gboolean         sp_open;     /* the running call opened its savepoint */
  gboolean         call_wrote;  /* the running call wrote something */
  gboolean         broken;      /* a write failed with no savepoint to undo it */
  GHashTable      *summary;     /* "created Kind" → count */
  GPtrArray       *pending;     /* changes of the running call */
  GHashTable      *peer_rows;   /* uuid → BoughNodeRow: peers read by this transaction */
  GHashTable      *hfid_ids;    /* "kind\x1fhfid" → uuid: peers found by hfid */
  GHashTable      *peer_attrs;  /* uuid → parsed stored attributes of those peers */
  guint            n_writes;
  BoughTxnEvents  *events;      /* notes for the events, NULL until one */
};

char       *_bough_json_text              (JsonNode     *node);
char       *_bough_json_object_text       (JsonObject   *object);
JsonNode   *_bough_json_parse             (const char   *text,
                                           GError      **error);
JsonObject *_bough_json_parse_object      (const char   *text);
char       *_bough_json_scalar_to_string  (JsonNode     *value);
char       *_bough_strv_json              (const char * const *strv);
char      **_bough_strv_from_json         (const char   *text);

char       *_bough_uuid_new               (void);
gint64      _bough_store_next_stamp       (BoughStore   *self);
void        _bough_store_sync             (BoughStore   *self,
                                           gboolean      probe);
void        _bough_store_committed        (BoughStore   *self,
                                           gint64        stamp,
                                           GHashTable   *summary);
const char *_bough_store_order_attribute  (BoughStore   *self,
                                           const char   *kind);
gboolean    _bough_store_has_order_key    (BoughStore   *self,
                                           const char   *kind,
                                           const char   *attribute);
gboolean    _bough_store_get_branch       (BoughStore   *self,
                                           const char   *name,
                                           gint64       *branched_from,
                                           gboolean     *is_default,
                                           GError      **error);
gboolean    _bough_store_make_view        (BoughStore   *self,
                                           const char   *branch,
                                           gint64        at,
                                           BoughReadView *view,
                                           GError      **error);
BoughSchema *_bough_store_load_schema     (BoughStore   *self,
                                           BoughDriverConn *conn,
                                           const char   *branch,
                                           gint64        at,
                                           GError      **error);
BoughSchema *_bough_store_current_schema  (BoughStore   *self,
                                           BoughDriverConn *conn,
                                           const char   *branch,
                                           GError      **error);

/* One read: the view of a branch at a time, a reader connection and, when
 * asked for, the schema of that view. */
typedef struct
{
  BoughStore      *store;
  BoughDriverConn *conn;
  BoughSchema     *schema;      /* NULL unless asked for */
  BoughReadView    view;
} BoughReadCtx;

gboolean    _bough_read_ctx_begin         (BoughReadCtx *ctx,
                                           BoughStore   *store,
                                           const char   *branch,
                                           gint64        at,
                                           gboolean      with_schema,
                                           GError      **error);
void        _bough_read_ctx_end           (BoughReadCtx *ctx);

char      **_bough_schema_kinds           (BoughSchema  *schema,
                                           const char   *kind);
BoughBranchSupport _bough_node_schema_branch (BoughNodeSchema *ns);
BoughRelSide _bough_rel_side              (BoughRelationshipSchema *rel);
JsonObject *_bough_row_attrs              (BoughNodeSchema *ns,
                                           const BoughNodeRow *row);
char       *_bough_stored_attrs_text      (JsonObject   *attrs,
                                           gint64        stamp);
char       *_bough_stored_attrs_text_part (JsonObject   *attrs,
                                           gint64        stamp,
                                           BoughNodeSchema *ns,
                                           gboolean      packed);
gboolean    _bough_attr_is_packed         (BoughNodeSchema *ns,
                                           BoughAttributeSchema *attr);
gboolean    _bough_node_schema_has_packs  (BoughNodeSchema *ns);
gboolean    _bough_store_merge_packs      (BoughStore   *self,
                                           BoughDriverConn *conn,
                                           BoughSchema  *schema,
                                           const BoughReadView *view,
                                           GPtrArray    *rows,
                                           GError      **error);
BoughNode  *_bough_node_from_parts        (BoughSchema  *schema,
                                           const BoughNodeRow *row,
                                           JsonObject   *stored,
                                           const char   *branch);
BoughNode  *_bough_node_from_row          (BoughSchema  *schema,
                                           const BoughNodeRow *row,
                                           const char   *branch);
void        _bough_relationship_value_clear (BoughRelationshipValue *rel);
/* room for "Kind(ID: uuid)": a kind is at most two 32-byte names */
#define BOUGH_DISPLAY_LABEL_BUF 128
const char *_bough_display_label           (const char   *label,
                                           const char   *kind,
                                           const char   *uuid,
                                           char         *buf,
                                           gsize         size);
gpointer    _bough_pack_strings           (const char   *id,
                                           const char   *label,
                                           const char   *hfid_json,
                                           char        **out_id,
                                           char        **out_label,
                                           char       ***out_hfid);

/* bough-store-events.c */
void        _bough_txn_note_node          (BoughTxn     *txn,
                                           char          action,
                                           const char   *kind,
                                           const char   *uuid,
                                           gboolean      direct);
void        _bough_txn_note_link          (BoughTxn     *txn,
                                           const char   *node,
                                           BoughRelationshipSchema *rel,
                                           const char   *peer,
                                           gboolean      added);
void        _bough_txn_events_call_end    (BoughTxn     *txn,
                                           gboolean      ok);
void        _bough_txn_add_event_text     (BoughTxn     *txn,
                                           gint          type,
                                           const char   *node,
                                           const char   *kind,
                                           const char   *payload,
                                           const char   *related,
                                           gboolean      parent);
gboolean    _bough_txn_events_write       (BoughTxn     *txn,
                                           GError      **error);
gboolean    _bough_txn_has_events         (BoughTxn     *txn);
void        _bough_txn_events_free        (BoughTxn     *txn);
gboolean    _bough_store_write_event      (BoughStore   *self,
                                           BoughDriverConn *conn,
                                           gint64        stamp,
                                           gint          type,
                                           const char   *branch,
                                           JsonObject   *payload,
                                           GError      **error);
void        _bough_store_events_committed (BoughStore   *self,
                                           BoughDriverConn *conn);
JsonObject *_bough_branch_event_payload   (const BoughBranch *record,
                                           const char   *name);
gboolean    _bough_txn_branch_event       (BoughTxn     *txn,
                                           gint          type,
                                           const char   *branch,
                                           gboolean      parent,
                                           GError      **error);

/* bough-store-branch.c */
gboolean    _bough_branch_name_is_valid   (const char   *name);
gboolean    _bough_store_branch_point_at  (BoughStore   *self,
                                           const char   *branch,
                                           gint64        at,
                                           gint64       *branched_from,
                                           GError      **error);
gboolean    _bough_store_check_writable   (BoughStore   *self,
                                           BoughDriverConn *conn,
                                           const char   *branch,
                                           gint64       *branched_from,
                                           GError      **error);
/* bough-store-ids.c */
char       *_bough_uuid_from_text         (const char   *text);
char       *_bough_link_id                (const BoughRelRow *link);

/* bough-store-read.c */
gboolean    _bough_store_fill_peers       (BoughStore   *self,
                                           BoughDriverConn *conn,
                                           BoughSchema  *schema,
                                           const BoughReadView *view,
                                           GPtrArray    *nodes,
                                           const char   *relationship,
                                           GError      **error);

G_END_DECLS
