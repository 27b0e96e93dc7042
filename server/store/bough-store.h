/* bough-store.h: the versioned, branch-aware store of nodes, attributes and
 * relationships, and of the schema itself.
 *
 * Semantics live here (validation, constraints, hfid, cascades, branch overlay
 * rules); SQL lives only in the drivers behind bough-store-driver.h (SQLite now,
 * PostgreSQL later, held to the same tests).
 *
 * Every stored fact is a row version with branch, from, to and status. Time is
 * one strictly increasing commit stamp per transaction (microseconds since the
 * Unix epoch, monotonic even if the wall clock steps back).
 *
 * Threads: reads may run from any thread at once. There is one write
 * transaction at a time: bough_store_begin() waits for the open one, so a
 * thread holding a transaction must not begin another one, create a branch
 * or set a schema before it commits or frees it. A call of a transaction
 * that fails leaves nothing behind and the transaction goes on; only a
 * storage error in the middle of a write breaks the transaction (its later
 * calls and its commit then fail with %BOUGH_ERROR_STORAGE).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "schema/bough-schema.h"
#include "bough-store-branch.h"

G_BEGIN_DECLS

#define BOUGH_DEFAULT_BRANCH "main"
#define BOUGH_GLOBAL_BRANCH  "-global-"

typedef struct _BoughStore BoughStore;
typedef struct _BoughTxn   BoughTxn;

/**
 * BoughValueType:
 * @BOUGH_VALUE_NULL: no value
 * @BOUGH_VALUE_BOOLEAN: `v.boolean`
 * @BOUGH_VALUE_INT: `v.integer`
 * @BOUGH_VALUE_DOUBLE: `v.number`
 * @BOUGH_VALUE_STRING: `v.string`
 * @BOUGH_VALUE_JSON: `v.json`, an array or an object
 *
 * The type of an attribute's value, kept as a tagged scalar: reads make no
 * JSON node for it unless asked (bough_node_get_value()).
 */
typedef enum
{
  BOUGH_VALUE_NULL,
  BOUGH_VALUE_BOOLEAN,
  BOUGH_VALUE_INT,
  BOUGH_VALUE_DOUBLE,
  BOUGH_VALUE_STRING,
  BOUGH_VALUE_JSON,
} BoughValueType;

/**
 * BoughAttributeValue:
 * @name: the attribute's name (the schema's string, valid while the node lives)
 * @type: the type of the value
 * @v: the value, as told by @type
 * @source: (nullable): id of the node the value comes from
 * @owner: (nullable): id of the node that owns the value
 * @updated_at: commit stamp of the value's latest change
 * @is_default: the value is the schema's default
 * @is_protected: the value is protected
 * @is_visible: the value is visible
 *
 * One attribute of a node with its properties, in the compact form reads
 * return: no JSON objects, the stamp unformatted (see
 * bough_node_attributes_to_json() for the public JSON shape).
 */
typedef struct
{
  const char     *name;
  BoughValueType  type;
  union
  {
    gboolean  boolean;
    gint64    integer;
    double    number;
    char     *string;
    JsonNode *json;
  } v;
  char           *source;
  char           *owner;
  gint64          updated_at;
  guint           is_default : 1;
  guint           is_protected : 1;
  guint           is_visible : 1;
  /*< private >*/
  JsonNode       *node;
} BoughAttributeValue;

/**
 * BoughPeer:
 * @id: UUID of the peer
 * @kind: its node kind (an interned string)
 * @display_label: (nullable): the peer's display label
 * @hfid: (nullable): the peer's human-friendly id
 * @source: (nullable): property of the link: id of its source
 * @owner: (nullable): property of the link: id of its owner
 * @updated_at: commit stamp of the link
 * @is_visible: property of the link
 * @is_protected: property of the link
 * @rel_id: (nullable): the stable id of the link (the relationship
 *   instance): given when the link is made, kept while its properties
 *   change, new when it is removed and made again; %NULL for the peers of
 *   bough_store_fetch_hierarchy(), which are not links
 */
typedef struct
{
  char       *id;
  const char *kind;
  char       *display_label;
  char      **hfid;
  char       *source;
  char       *owner;
  gint64      updated_at;
  guint       is_visible : 1;
  guint       is_protected : 1;
  char       *rel_id;
  /*< private >*/
  gpointer    strings;
} BoughPeer;

/**
 * BoughRelationshipValue:
 * @name: the relationship's name (the schema's string)
 * @many: the relationship has cardinality many
 * @n_peers: number of peers (at most 1 when not @many)
 * @peers: the peers
 */
typedef struct
{
  const char *name;
  gboolean    many;
  guint       n_peers;
  BoughPeer  *peers;
} BoughRelationshipValue;

/**
 * BoughNode:
 * @id: UUID of the node
 * @kind: its node kind (an interned string)
 * @branch: branch the node was read on (an interned string)
 * @n_attributes: number of attributes
 * @attributes: every attribute of the kind, in the schema's order; see
 *   bough_node_get_attribute()
 * @n_relationships: number of relationships filled
 * @relationships: (nullable): the relationships filled by reads that ask for
 *   them (see bough_store_fetch_peers()), in the order they were filled;
 *   see bough_node_get_relationship()
 * @created_at: commit stamp of the node's creation
 * @updated_at: commit stamp of its latest change
 * @hfid: (nullable): the human-friendly id, when the kind has one
 * @display_label: (nullable): the rendered display label
 */
typedef struct
{
  char                   *id;
  const char             *kind;
  const char             *branch;
  guint                   n_attributes;
  BoughAttributeValue    *attributes;
  guint                   n_relationships;
  BoughRelationshipValue *relationships;
  gint64                  created_at;
  gint64                  updated_at;
  char                  **hfid;
  char                   *display_label;
  /*< private >*/
  gint                    ref_count;
  gpointer                schema;
  gpointer                strings;
} BoughNode;

BoughNode  *bough_node_ref                   (BoughNode  *node);
void        bough_node_unref                 (BoughNode  *node);
const BoughAttributeValue *
            bough_node_get_attribute         (BoughNode  *node,
                                              const char *attribute);
JsonNode   *bough_node_get_value             (BoughNode  *node,
                                              const char *attribute);
const BoughRelationshipValue *
            bough_node_get_relationship      (BoughNode  *node,
                                              const char *relationship);
JsonObject *bough_node_attribute_to_json     (const BoughAttributeValue *attr);
JsonObject *bough_node_attributes_to_json    (BoughNode  *node);
JsonNode   *bough_node_relationship_to_json  (const BoughRelationshipValue *rel);
JsonObject *bough_node_relationships_to_json (BoughNode  *node);

/**
 * BoughFilterOp:
 *
 * Filters of reference §2.3. A filter names a path: `name`, `site__name` (a
 * peer's attribute through a relationship), or the special `any` (any
 * attribute), `ids`, `hfid`.
 */
typedef enum
{
  BOUGH_FILTER_VALUE,       /* path__value: equality (substring with partial_match) */
  BOUGH_FILTER_VALUES,      /* path__values: IN */
  BOUGH_FILTER_ISNULL,      /* path__isnull: value is null / relationship has no peer */
  BOUGH_FILTER_IDS,         /* ids: [..] at top level, rel__ids through a relationship */
  BOUGH_FILTER_HFID,        /* hfid: [..] */
  BOUGH_FILTER_IS_VISIBLE,  /* attr__is_visible */
  BOUGH_FILTER_IS_PROTECTED,/* attr__is_protected */
  BOUGH_FILTER_SOURCE_ID,   /* attr__source__id */
  BOUGH_FILTER_OWNER_ID,    /* attr__owner__id */
} BoughFilterOp;

typedef struct
{
  char          *relationship;  /* nullable: filter on the peers of this relationship */
  char          *attribute;     /* nullable for IDS/HFID; "any" for any attribute */
  BoughFilterOp  op;
  JsonNode      *value;         /* scalar, array (VALUES, IDS, HFID) or boolean (ISNULL) */
} BoughFilter;

/**
 * BoughQuery:
 * @kind: a node kind or a generic (lists every node inheriting it)
 * @branch: (nullable): branch to read, %NULL for the default branch
 * @at: commit stamp to read as of (0 = now)
 * @filters: of BoughFilter*, combined with AND (nullable)
 * @partial_match: value filters on strings match substrings
 * @order_by: (nullable): the order, entries applied in turn (see
 *   bough_node_schema_parse_order()): "name__value", "site__name__value",
 *   "node_metadata__created_at", each optionally ending in "__asc" or
 *   "__desc"; nulls sort last ascending, first descending; ties by id (in
 *   the direction of the last entry). %NULL = the schema's order_by; empty =
 *   the creation order
 * @offset: rows to skip
 * @limit: rows to return, -1 for all
 * @count_only: do not materialize the nodes
 * @skip_count: do not count the matches (count is then -1); saves a pass
 *   over the matches when only a page is wanted
 */
typedef struct
{
  char       *kind;
  char       *branch;
  gint64      at;
  GPtrArray  *filters;
  gboolean    partial_match;
  char      **order_by;
  gint64      offset;
  gint64      limit;
  gboolean    count_only;
  gboolean    skip_count;
} BoughQuery;

BoughQuery *bough_query_new          (const char   *kind);
void        bough_query_free         (BoughQuery   *query);
void        bough_query_add_filter   (BoughQuery   *query,
                                      const char   *relationship,
                                      const char   *attribute,
                                      BoughFilterOp op,
                                      JsonNode     *value);

typedef struct
{
  gint64     count;   /* total matches, ignoring offset/limit */
  GPtrArray *nodes;   /* of BoughNode*, empty when count_only */
} BoughQueryResult;

void bough_query_result_free (BoughQueryResult *result);

/**
 * BoughHistoryEntry:
 * @stamp: commit stamp
 * @branch: branch written
 * @account: (nullable): who committed
 * @action: "created", "updated" or "deleted"
 * @data: the node's attributes and relationships as of that commit
 */
typedef struct
{
  gint64      stamp;
  char       *branch;
  char       *account;
  char       *action;
  JsonObject *data;
} BoughHistoryEntry;

void bough_history_entry_free (BoughHistoryEntry *entry);

/* Opening */
BoughStore  *bough_store_open            (const char   *location,
                                          GError      **error);
BoughStore  *bough_store_ref             (BoughStore   *self);
void         bough_store_unref           (BoughStore   *self);
gboolean     bough_store_initialize      (BoughStore   *self,
                                          GError      **error);
gboolean     bough_store_is_initialized  (BoughStore   *self);
const char  *bough_store_get_driver_name (BoughStore   *self);
/* Statistics: SQL statements the driver ran on the calling thread. */
guint64      bough_store_get_thread_statements (void);

/* Changes: see bough_store_get_change_serial() */
guint64      bough_store_get_change_serial (BoughStore *self,
                                          const char   *kind);

/* Time */
gint64       bough_store_now             (BoughStore   *self);
gint64       bough_store_stamp_from_iso8601 (const char *text,
                                          GError      **error);
char        *bough_store_stamp_to_iso8601 (gint64       stamp);

/* Branches (the lifecycle, diff, merge and rebase: bough-store-branch.h) */
gboolean     bough_store_create_branch   (BoughStore   *self,
                                          const char   *name,
                                          GError      **error);
gboolean     bough_store_branch_exists   (BoughStore   *self,
                                          const char   *name);
gboolean     bough_store_get_branch_info (BoughStore   *self,
                                          const char   *name,
                                          gint64       *branched_from,
                                          gboolean     *is_default,
                                          GError      **error);

/* Schema, stored versioned per branch */
BoughSchema *bough_store_get_schema      (BoughStore   *self,
                                          const char   *branch,
                                          gint64        at,
                                          GError      **error);
gboolean     bough_store_set_schema      (BoughStore   *self,
                                          const char   *branch,
                                          BoughSchema  *schema,
                                          const char   *account,
                                          GError      **error);

/* Writes: one transaction = one commit stamp */
BoughTxn    *bough_store_begin           (BoughStore   *self,
                                          const char   *branch,
                                          const char   *account,
                                          GError      **error);
BoughNode   *bough_txn_create            (BoughTxn     *txn,
                                          const char   *kind,
                                          JsonObject   *data,
                                          GError      **error);
BoughNode   *bough_txn_update            (BoughTxn     *txn,
                                          const char   *kind,
                                          JsonObject   *data,
                                          GError      **error);
BoughNode   *bough_txn_upsert            (BoughTxn     *txn,
                                          const char   *kind,
                                          JsonObject   *data,
                                          gboolean     *created,
                                          GError      **error);
gboolean     bough_txn_delete            (BoughTxn     *txn,
                                          const char   *kind,
                                          JsonObject   *ref,
                                          GError      **error);
gboolean     bough_txn_relationship_add  (BoughTxn     *txn,
                                          const char   *node_id,
                                          const char   *relationship,
                                          JsonArray    *peers,
                                          GError      **error);
gboolean     bough_txn_relationship_remove (BoughTxn   *txn,
                                          const char   *node_id,
                                          const char   *relationship,
                                          JsonArray    *peers,
                                          GError      **error);
gint64       bough_txn_get_stamp         (BoughTxn     *txn);
void         bough_txn_set_internal      (BoughTxn     *txn,
                                          gboolean      internal);
gboolean     bough_txn_commit            (BoughTxn     *txn,
                                          GError      **error);
void         bough_txn_free              (BoughTxn     *txn);

/* Reads */
BoughNode   *bough_store_get_node        (BoughStore   *self,
                                          const char   *branch,
                                          gint64        at,
                                          const char   *kind,
                                          const char   *id,
                                          GError      **error);
BoughNode   *bough_store_get_node_by_hfid (BoughStore  *self,
                                          const char   *branch,
                                          gint64        at,
                                          const char   *kind,
                                          const char * const *hfid,
                                          GError      **error);
BoughQueryResult *bough_store_query      (BoughStore   *self,
                                          BoughQuery   *query,
                                          GError      **error);
gboolean     bough_store_fetch_peers     (BoughStore   *self,
                                          const char   *branch,
                                          gint64        at,
                                          GPtrArray    *nodes,
                                          const char   *relationship,
                                          GError      **error);
GPtrArray   *bough_store_get_history     (BoughStore   *self,
                                          const char   *branch,
                                          const char   *id,
                                          GError      **error);
gboolean     bough_store_get_commit_accounts (BoughStore *self,
                                          GArray       *stamps,
                                          GHashTable   *accounts,
                                          GError      **error);

/* Identity of the parts of a node (bough-store-ids.c) */
char        *bough_store_attribute_id    (const char   *node_id,
                                          const char   *attribute);

/* Hierarchies and relationship instances (bough-store-hierarchy.c) */

/**
 * BoughHierarchyWalk:
 * @BOUGH_HIERARCHY_ANCESTORS: the parent, its parent, ... (closest first)
 * @BOUGH_HIERARCHY_DESCENDANTS: the children, their children, ... (level by level)
 */
typedef enum
{
  BOUGH_HIERARCHY_ANCESTORS,
  BOUGH_HIERARCHY_DESCENDANTS,
} BoughHierarchyWalk;

gboolean     bough_store_fetch_hierarchy (BoughStore   *self,
                                          const char   *branch,
                                          gint64        at,
                                          GPtrArray    *nodes,
                                          BoughHierarchyWalk walk,
                                          guint        *out_levels,
                                          GError      **error);

/**
 * BoughRelationshipInstance:
 * @id: the stable id of the link (see #BoughPeer's rel_id)
 * @identifier: the relationship identifier
 * @src_id: id of the node at its source end
 * @src_kind: its kind (an interned string)
 * @dst_id: id of the node at its destination end
 * @dst_kind: its kind (an interned string)
 */
typedef struct
{
  char       *id;
  char       *identifier;
  char       *src_id;
  const char *src_kind;
  char       *dst_id;
  const char *dst_kind;
} BoughRelationshipInstance;

void         bough_relationship_instance_free (BoughRelationshipInstance *instance);
GPtrArray   *bough_store_list_relationships (BoughStore  *self,
                                          const char   *branch,
                                          gint64        at,
                                          const char * const *identifiers,
                                          const char * const *excluded_namespaces,
                                          gint64        offset,
                                          gint64        limit,
                                          gint64       *out_count,
                                          GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughStore, bough_store_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughTxn, bough_txn_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughNode, bough_node_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughQuery, bough_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughQueryResult, bough_query_result_free)

G_END_DECLS
