/* bough-gql-cost.h: an estimate, before execution, of how many node rows an operation of the
 * generated API may read (RELIABILITY 16: a fan-out query over a dense graph is refused).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-gql-ast.h"
#include "bough-gql-schema.h"

G_BEGIN_DECLS

/* The default budget: rows x depth. */
#define BOUGH_GQL_DEFAULT_MAX_COST 10000000

typedef struct
{
  gint64 rows;    /* node rows the lists may return, page sizes multiplied down the nesting */
  guint  depth;   /* the deepest nesting of lists */
  gint64 cost;    /* rows x depth (saturated) */
} BoughGqlCost;

/* The number of nodes of @kind (a node kind or a generic), -1 if unknown. */
typedef gint64 (*BoughGqlKindSize) (const char *kind,
                                    gpointer    user_data);

void bough_gql_estimate_cost (BoughGqlSchema         *gql,
                              const BoughGqlDocument *document,
                              const BoughGqlNode     *operation,
                              JsonObject             *variables,
                              gint64                  default_page_size,
                              gint64                  max_page_size,
                              BoughGqlKindSize        kind_size,
                              gpointer                user_data,
                              BoughGqlCost           *cost);

G_END_DECLS
