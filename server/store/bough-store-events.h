/* bough-store-events.h: durable events (reference §8.2), written by the
 * store in the transaction of the change they tell, so that an
 * acknowledged change always has its events and a rolled-back one none.
 *
 * An event is one compact row. Node events keep no changelog: it is rebuilt
 * when asked for (bough_store_event_payload()) from the versions the commit
 * wrote, which are never rewritten. Events are numbered by a sequence that
 * grows with every commit, which lets a reader tail them
 * (bough_store_add_event_watch() within the process, polling
 * bough_store_last_event_seq() across processes sharing the database).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-store.h"

G_BEGIN_DECLS

/**
 * BoughEventType:
 *
 * The event types the store writes; bough_event_type_to_string() gives their
 * Infrahub names (`infrahub.node.created`, ...). The numbers are stored.
 */
typedef enum
{
  BOUGH_EVENT_NONE = 0,
  BOUGH_EVENT_NODE_CREATED = 1,
  BOUGH_EVENT_NODE_UPDATED = 2,
  BOUGH_EVENT_NODE_DELETED = 3,
  BOUGH_EVENT_BRANCH_CREATED = 4,
  BOUGH_EVENT_BRANCH_DELETED = 5,
  BOUGH_EVENT_BRANCH_MERGED = 6,
  BOUGH_EVENT_BRANCH_REBASED = 7,
  BOUGH_EVENT_SCHEMA_UPDATED = 8,
  BOUGH_EVENT_GROUP_MEMBER_ADDED = 9,
  BOUGH_EVENT_GROUP_MEMBER_REMOVED = 10,
  BOUGH_EVENT_LAST
} BoughEventType;

const char     *bough_event_type_to_string   (BoughEventType type);
BoughEventType  bough_event_type_from_string (const char    *name);

/**
 * BoughEvent:
 * @seq: its place in the sequence of events
 * @id: its UUID (derived from @occurred_at and @seq)
 * @type: its type
 * @occurred_at: the stamp of its commit
 * @branch: the branch it happened on
 * @account_id: (nullable): who committed
 * @node_id: (nullable): the primary node
 * @kind: (nullable): its kind
 * @parent_seq: the seq of its parent event, 0 for none
 * @parent_id: (nullable): the UUID of its parent event
 * @level: 0 for a root event, 1 for its children
 * @has_children: other events hang under it
 * @data: (nullable): what was stored with it (branch, schema and group
 *   events); see bough_store_event_payload() for the full payload
 * @related: (nullable): links it changed, `[[name, peer id, "added"|"removed"], ...]`
 */
typedef struct
{
  gint64          seq;
  char           *id;
  BoughEventType  type;
  gint64          occurred_at;
  char           *branch;
  char           *account_id;
  char           *node_id;
  char           *kind;
  gint64          parent_seq;
  char           *parent_id;
  gint            level;
  gboolean        has_children;
  JsonObject     *data;
  JsonArray      *related;
} BoughEvent;

void bough_event_free (BoughEvent *event);

/**
 * BoughEventFilter:
 *
 * What bough_store_list_events() returns. Every set member narrows it.
 */
typedef struct
{
  gint64          after_seq;
  gint64          upto_seq;     /* 0: no bound */
  gint64          since;
  gint64          until;
  gint            level;        /* -1: any */
  gint            has_children; /* -1: any */
  GArray         *types;        /* of gint (BoughEventType) */
  char          **ids;
  char          **node_ids;
  char          **related_ids;
  char          **parent_ids;
  char          **branches;
  char          **account_ids;
  char          **kinds;        /* nullable: node kinds allowed; other node events are left out */
  char          **merged_branches;  /* nullable: branch.merged events of these branches only */
  char          **rebased_branches; /* nullable: branch.rebased events of these branches only */
  gboolean        ascending;
  gint64          offset;
  gint64          limit;        /* -1: all */
  gboolean        skip_count;
} BoughEventFilter;

BoughEventFilter *bough_event_filter_new  (void);
void              bough_event_filter_free (BoughEventFilter *filter);

GPtrArray  *bough_store_list_events     (BoughStore        *self,
                                         BoughEventFilter  *filter,
                                         gint64            *out_count,
                                         GError           **error);
JsonObject *bough_store_event_payload   (BoughStore        *self,
                                         BoughEvent        *event,
                                         GError           **error);
JsonObject *bough_store_event_meta      (BoughEvent        *event);
gint64      bough_store_last_event_seq  (BoughStore        *self,
                                         GError           **error);
char       *bough_event_id_from_seq     (gint64             stamp,
                                         gint64             seq);
gint64      bough_event_seq_from_id     (const char        *id);

/* Events written by this process: @func runs in the committing thread,
 * with the seq of the latest event, after every commit that wrote some. */
typedef void (*BoughEventWatchFunc) (gint64   last_seq,
                                     gpointer user_data);

guint       bough_store_add_event_watch    (BoughStore          *self,
                                            BoughEventWatchFunc  func,
                                            gpointer             user_data);
void        bough_store_remove_event_watch (BoughStore          *self,
                                            guint                id);

/* Events of other changes (for the server's own operations); written at
 * commit with the transaction's writes, if it commits. */
void        bough_txn_add_event            (BoughTxn            *txn,
                                            BoughEventType       type,
                                            const char          *node_id,
                                            const char          *kind,
                                            JsonObject          *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughEvent, bough_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughEventFilter, bough_event_filter_free)

G_END_DECLS
