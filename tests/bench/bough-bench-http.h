/* bough-bench-http.h: the HTTP side of the benchmark: the real bough-server
 * spawned on loopback with a temporary data directory, driven with libsoup
 * the way the official SDK drives Infrahub (GraphQL upserts batched with
 * aliases, list queries, point reads, updates, concurrent creates,
 * introspection).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-bench-dataset.h"

G_BEGIN_DECLS

/* The list sizes of W2. */
#define BOUGH_BENCH_HTTP_N_LISTS 3
extern const guint bough_bench_http_list_sizes[BOUGH_BENCH_HTTP_N_LISTS];

typedef void (*BoughBenchHttpRecord)    (gpointer    user_data,
                                         const char *figure,
                                         double      value);
typedef void (*BoughBenchHttpRecordOps) (gpointer    user_data,
                                         const char *figure,
                                         guint       planned,
                                         guint       done);

typedef struct
{
  const char        *server_path;
  const char        *schema_library;
  const char        *data_dir;        /* the server's (new, empty) data directory */
  BoughBenchDataset *ds;              /* devices dataset */
  BoughBenchDataset *items;           /* items of the concurrent creates */
  guint              run;
  guint64            seed;
  guint              batch;           /* mutation fields per document */
  guint              clients;         /* concurrent clients of the creates */
  double             budget;          /* seconds, see bough-bench.c */
  guint              n_reads;         /* device reads, id reads */
  guint              n_updates;
  guint              n_creates;
  BoughBenchHttpRecord    record;
  BoughBenchHttpRecordOps record_ops;
  gpointer           user_data;

  /* out: whether the second identical upsert wrote nothing, and what stayed */
  gboolean           noop_upsert;
  char              *noop_state;
  /* out: kinds sent with a schema patch (see bough-bench-http.c), "" if none */
  char              *schema_patched;
} BoughBenchHttpRun;

/* Runs every HTTP workload once against a new server; figures go through
 * @run->record with the ids of bough-bench.c (W1.http_load, W2.*, ...). */
gboolean bough_bench_http_run (BoughBenchHttpRun *run,
                               GError           **error);

G_END_DECLS
