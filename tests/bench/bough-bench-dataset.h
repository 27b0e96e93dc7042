/* bough-bench-dataset.h: the benchmark's kinds and its deterministic dataset
 * generator (schema library base/ plus extensions/location_minimal, and a
 * small bench schema for the create workload).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BOUGH_BENCH_INTERFACES_PER_DEVICE 48
#define BOUGH_BENCH_MAX_ATTRS 10
#define BOUGH_BENCH_MAX_RELS  6

typedef enum
{
  BOUGH_BENCH_TYPE_TEXT,
  BOUGH_BENCH_TYPE_INT,
  BOUGH_BENCH_TYPE_BOOL,
} BoughBenchType;

typedef struct
{
  const char     *name;
  BoughBenchType  type;
  gboolean        unique;
} BoughBenchAttr;

typedef struct
{
  const char *name;
  const char *peer;       /* a kind of the dataset, or NULL when the peer is not in it */
  gboolean    many;
} BoughBenchRel;

/* One kind as the raw baseline stores it and the generator fills it: every
 * attribute of the real kind (one column each), its cardinality-one
 * relationships (one foreign-key column each) and the many relationships the
 * dataset populates (one link table each). */
typedef struct
{
  const char           *kind;
  const char           *table;
  const BoughBenchAttr *attrs;
  guint                 n_attrs;
  const BoughBenchRel  *rels;
  guint                 n_rels;
  const char           *unique_rel;   /* nullable: uniqueness constraint (unique_rel, name) */
} BoughBenchKind;

typedef enum
{
  BOUGH_BENCH_KIND_TAG,
  BOUGH_BENCH_KIND_MANUFACTURER,
  BOUGH_BENCH_KIND_PLATFORM,
  BOUGH_BENCH_KIND_DEVICE_TYPE,
  BOUGH_BENCH_KIND_COUNTRY,
  BOUGH_BENCH_KIND_METRO,
  BOUGH_BENCH_KIND_SITE,
  BOUGH_BENCH_KIND_RACK,
  BOUGH_BENCH_KIND_DEVICE,
  BOUGH_BENCH_KIND_INTERFACE,
  BOUGH_BENCH_KIND_GROUP,       /* bench schema */
  BOUGH_BENCH_KIND_ITEM,        /* bench schema: 5 attributes, 1 relationship */
  BOUGH_BENCH_N_KINDS
} BoughBenchKindId;

/* Kinds of the S/L dataset, in load order (peers first). */
#define BOUGH_BENCH_N_DATASET_KINDS (BOUGH_BENCH_KIND_INTERFACE + 1)

const BoughBenchKind *bough_bench_kind (BoughBenchKindId id);

/* The YAML of the bench schema (BenchGroup, BenchItem). */
extern const char bough_bench_schema_yaml[];

typedef struct
{
  gboolean  set;
  gint64    i;        /* INT and BOOL */
  char     *s;        /* TEXT, owned by the object */
} BoughBenchValue;

/* One generated object: attribute values in the order of its kind's attrs,
 * and for each relationship either one peer (an object index, -1 for none)
 * or up to BOUGH_BENCH_MAX_PEERS peers. */
#define BOUGH_BENCH_MAX_PEERS 4

typedef struct
{
  BoughBenchKindId kind;
  guint            index;   /* global index in the dataset */
  BoughBenchValue  values[BOUGH_BENCH_MAX_ATTRS];
  gint64           peers[BOUGH_BENCH_MAX_RELS][BOUGH_BENCH_MAX_PEERS];
  guint            n_peers[BOUGH_BENCH_MAX_RELS];
} BoughBenchObject;

void bough_bench_object_clear    (BoughBenchObject *obj);
/* Sets text attribute @name of @obj to @value; FALSE if its kind has none. */
gboolean bough_bench_object_set_text (BoughBenchObject *obj,
                                      const char       *name,
                                      const char       *value);

typedef struct _BoughBenchDataset BoughBenchDataset;

/* A dataset of @devices devices with 48 interfaces each plus the objects
 * they need, or (kind GROUP/ITEM) @items bench items in @groups groups.
 * Objects are computed on demand from (seed, index), so even L costs no
 * memory. Object indexes are global and objects of a kind are contiguous. */
BoughBenchDataset *bough_bench_dataset_new_devices (guint64 seed,
                                                    guint   devices);
BoughBenchDataset *bough_bench_dataset_new_items   (guint64 seed,
                                                    guint   items);
void               bough_bench_dataset_free        (BoughBenchDataset *ds);

guint              bough_bench_dataset_get_n_objects (BoughBenchDataset *ds);
guint              bough_bench_dataset_count_kind  (BoughBenchDataset *ds,
                                                    BoughBenchKindId   kind);
guint              bough_bench_dataset_first_of    (BoughBenchDataset *ds,
                                                    BoughBenchKindId   kind);
const BoughBenchKindId *bough_bench_dataset_get_kinds (BoughBenchDataset *ds,
                                                    guint             *n_kinds);

/* Fills @obj (cleared first) with object @index. */
void               bough_bench_dataset_get         (BoughBenchDataset *ds,
                                                    guint              index,
                                                    BoughBenchObject  *obj);

/* A deterministic UUID (version 4 layout) for object @index. */
void               bough_bench_dataset_uuid        (BoughBenchDataset *ds,
                                                    guint              index,
                                                    char               out[37]);

/* The value of the unique attribute that makes the hfid of object @index
 * (name, or shortname for locations), newly allocated. Interfaces have no
 * unique attribute: their hfid is (device name, this name). */
char              *bough_bench_dataset_name        (BoughBenchDataset *ds,
                                                    guint              index);

/* A deterministic pseudo-random generator for workloads (splitmix64). */
guint64            bough_bench_mix                 (guint64 x);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughBenchDataset, bough_bench_dataset_free)

G_END_DECLS
