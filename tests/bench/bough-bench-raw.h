/* bough-bench-raw.h: the raw SQLite baseline of the benchmark, what a
 * hand-written application would do: one plain table per kind, prepared
 * statements, one transaction per batch, no history and no branches.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-bench-dataset.h"

G_BEGIN_DECLS

typedef struct _BoughBenchRaw BoughBenchRaw;

BoughBenchRaw *bough_bench_raw_open          (const char        *path,
                                              const char        *synchronous,
                                              GError           **error);
void           bough_bench_raw_free          (BoughBenchRaw     *raw);
/* Closes the database (so that its files can be measured) and opens it
 * again; statements are prepared again on first use. */
void           bough_bench_raw_close         (BoughBenchRaw     *raw);
gboolean       bough_bench_raw_reopen        (BoughBenchRaw     *raw,
                                              GError           **error);
/* Rows changed by this connection so far (sqlite3_total_changes64). */
gint64         bough_bench_raw_total_changes (BoughBenchRaw     *raw);

/* Effective pragmas of the connection, read back from SQLite. */
JsonObject    *bough_bench_raw_get_pragmas   (BoughBenchRaw     *raw);

/* Creates the tables and indexes of the kinds of @ds. */
gboolean       bough_bench_raw_create_tables (BoughBenchRaw     *raw,
                                              BoughBenchDataset *ds,
                                              GError           **error);

/* Writes the objects @first to @first + @n - 1 of @ds, @batch objects per
 * transaction; with @upsert, as INSERT .. ON CONFLICT DO UPDATE on the key
 * of the hfid. */
gboolean       bough_bench_raw_load          (BoughBenchRaw     *raw,
                                              BoughBenchDataset *ds,
                                              guint              first,
                                              guint              n,
                                              guint              batch,
                                              gboolean           upsert,
                                              GError           **error);

/* Upserts object @index of @ds in its own transaction, with @description
 * (nullable: the generated one) as its description; returns the number of
 * rows written (0 when nothing changed) or -1 on error. */
gint           bough_bench_raw_upsert_one    (BoughBenchRaw     *raw,
                                              BoughBenchDataset *ds,
                                              guint              index,
                                              const char        *description,
                                              GError           **error);

/* Lists the first @limit nodes of @kind by name with every attribute and
 * the id and name of each cardinality-one peer; returns the rows read. */
gint64         bough_bench_raw_list          (BoughBenchRaw     *raw,
                                              BoughBenchKindId   kind,
                                              gint64             limit,
                                              GError           **error);

/* Point reads of one node with every attribute; FALSE with an error when
 * it is absent. */
gboolean       bough_bench_raw_get_by_id     (BoughBenchRaw     *raw,
                                              BoughBenchKindId   kind,
                                              const char        *id,
                                              GError           **error);
gboolean       bough_bench_raw_get_by_hfid   (BoughBenchRaw     *raw,
                                              BoughBenchKindId   kind,
                                              const char        *hfid,
                                              GError           **error);

/* A device by name with its interfaces; returns the number of interfaces
 * or -1 on error. */
gint           bough_bench_raw_get_device    (BoughBenchRaw     *raw,
                                              const char        *name,
                                              GError           **error);

/* Sets the description of node @id of @kind in its own transaction. */
gboolean       bough_bench_raw_update_description (BoughBenchRaw *raw,
                                              BoughBenchKindId   kind,
                                              const char        *id,
                                              const char        *description,
                                              GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughBenchRaw, bough_bench_raw_free)

G_END_DECLS
