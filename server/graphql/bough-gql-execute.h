/* bough-gql-execute.h: executes a validated operation of the generated API over the store, with
 * batched resolution (one store query per list field, one peer fetch per relationship field).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-gql-ast.h"
#include "auth/bough-permission.h"
#include "bough-gql-schema.h"
#include "schema/bough-schema.h"
#include "auth/bough-auth.h"
#include "store/bough-store.h"

G_BEGIN_DECLS

/* What one execution cost, for limits and for tests that prove there is no
 * query per node. */
typedef struct
{
  guint store_queries;          /* bough_store_query and bough_store_get_node calls */
  guint peer_fetches;           /* bough_store_fetch_peers calls */
  guint transactions;           /* write transactions begun */
  guint hierarchy_walks;        /* bough_store_fetch_hierarchy calls */
  guint64 node_rows;            /* nodes the store queries returned (0 for a count alone) */
} BoughGqlExecStats;

typedef struct
{
  BoughStore     *store;
  BoughSchema    *schema;
  BoughGqlSchema *gql;
  const char     *branch;       /* never NULL */
  gint64          at;           /* 0 = now; ignored by mutations */
  const char     *account;      /* nullable: the account id of identity, the changes' author */
  BoughIdentity  *identity;     /* nullable (C callers without a request) */
  BoughPermissions *permissions; /* nullable: resolved from identity, else from account */
  gint64          max_page_size; /* limit cap; 0 = no cap */
  gint64          default_page_size; /* lists without limit; 0 = max_page_size */
  struct _BoughTaskQueue *tasks; /* nullable: long operations then run in the calling thread */
  gint64          events_after; /* subscriptions: the events after this seq (bough-gql-events.h) */
  gint64          events_upto;  /* subscriptions: and up to this seq, 0 = no bound */
  gint64          events_limit; /* subscriptions: at most this many events, 0 = all */
} BoughGqlExecContext;

GBytes     *bough_gql_execute_to_bytes (const BoughGqlExecContext *context,
                                        const BoughGqlDocument    *document,
                                        const char                *operation_name,
                                        JsonObject                *variables,
                                        BoughGqlExecStats         *stats);
JsonObject *bough_gql_execute (const BoughGqlExecContext *context,
                               const BoughGqlDocument    *document,
                               const char                *operation_name,
                               JsonObject                *variables,
                               BoughGqlExecStats         *stats);

G_END_DECLS
