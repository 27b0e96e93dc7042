/* bough-bench-store.h: the store side of the benchmark: the real schema
 * library loaded through the schema engine, and the workloads through the
 * public store API (server/store/bough-store.h).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-bench-dataset.h"

G_BEGIN_DECLS

typedef struct _BoughBenchStore BoughBenchStore;

/* Loads core + base/ + extensions/location_minimal of @library plus the
 * bench schema once, and checks that every kind, attribute and relationship
 * the dataset uses exists there as the dataset describes it (mandatory
 * attributes without default and mandatory relationships all filled).
 * Returns the schema as an opaque pointer (a BoughSchema). */
gpointer          bough_bench_store_load_schema  (const char        *library,
                                                  GError           **error);
void              bough_bench_store_unref_schema (gpointer           schema);
/* Kinds in the loaded schema (for the report). */
guint             bough_bench_store_schema_n_kinds (gpointer         schema);

BoughBenchStore  *bough_bench_store_open        (const char        *path,
                                                 gpointer           schema,
                                                 GError           **error);
void              bough_bench_store_free        (BoughBenchStore   *store);
/* Closes the database (so that its files can be measured) and opens it
 * again, keeping the ids loaded so far. */
void              bough_bench_store_close       (BoughBenchStore   *store);
gboolean          bough_bench_store_reopen      (BoughBenchStore   *store,
                                                 GError           **error);
const char       *bough_bench_store_get_driver  (BoughBenchStore   *store);
/* What the store's connection uses, read back where SQLite allows it. */
JsonObject       *bough_bench_store_get_pragmas (BoughBenchStore   *store);

/* As bough_bench_raw_load(), through bough_txn_create() or, with @upsert,
 * bough_txn_upsert() by hfid. Keeps the ids the store gives. */
gboolean          bough_bench_store_load        (BoughBenchStore   *store,
                                                 BoughBenchDataset *ds,
                                                 guint              first,
                                                 guint              n,
                                                 guint              batch,
                                                 gboolean           upsert,
                                                 GError           **error);
/* The store id of dataset object @index (loaded before). */
const char       *bough_bench_store_get_id      (BoughBenchStore   *store,
                                                 guint              index);

/* Upserts object @index by hfid in its own transaction, with @description
 * (nullable: the generated one) as its description. */
gboolean          bough_bench_store_upsert_one  (BoughBenchStore   *store,
                                                 BoughBenchDataset *ds,
                                                 guint              index,
                                                 const char        *description,
                                                 GError           **error);
/* What tells whether something was written: PRAGMA data_version of a
 * second connection (it changes when another connection commits), the rows
 * of the store's commit log and the length of the history of object @index,
 * as text; %NULL on error. */
char             *bough_bench_store_write_state (BoughBenchStore   *store,
                                                 guint              index,
                                                 GError           **error);

gint64            bough_bench_store_list        (BoughBenchStore   *store,
                                                 BoughBenchKindId   kind,
                                                 gint64             limit,
                                                 GError           **error);
/* For the order workload: records the present as *@out_past, then
 * changes 1 % of the @count items loaded from @first on main and 0.1 %
 * of them on a new @branch. */
gboolean          bough_bench_store_order_prepare (BoughBenchStore *store,
                                                 guint              first,
                                                 guint              count,
                                                 const char        *branch,
                                                 gint64            *out_past,
                                                 GError           **error);
/* One page of @kind in @order ("a|b__desc"; "" the creation order, NULL
 * the schema's), on @branch (nullable) at @at (0: now); the rows read. */
gint64            bough_bench_store_order_page  (BoughBenchStore   *store,
                                                 const char        *kind,
                                                 const char        *branch,
                                                 gint64             at,
                                                 const char        *order,
                                                 gint64             offset,
                                                 gint64             limit,
                                                 GError           **error);
gboolean          bough_bench_store_get_by_id   (BoughBenchStore   *store,
                                                 BoughBenchKindId   kind,
                                                 const char        *id,
                                                 GError           **error);
gboolean          bough_bench_store_get_by_hfid (BoughBenchStore   *store,
                                                 BoughBenchKindId   kind,
                                                 const char        *hfid,
                                                 GError           **error);
gint              bough_bench_store_get_device  (BoughBenchStore   *store,
                                                 const char        *name,
                                                 GError           **error);
gboolean          bough_bench_store_update_description (BoughBenchStore *store,
                                                 BoughBenchKindId   kind,
                                                 const char        *id,
                                                 const char        *description,
                                                 GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughBenchStore, bough_bench_store_free)

G_END_DECLS
