/* bough-bench.c: the benchmark program: runs each workload on the store and
 * on the raw SQLite baseline in the same run, keeps the median of the runs,
 * and prints a table (and JSON with --json) with the ratio of the two.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "bough-error.h"

#include "bough-bench-branch.h"
#include "bough-bench-tasks.h"
#include "bough-bench-dataset.h"
#include "bough-bench-http.h"
#include "bough-bench-raw.h"
#include "bough-bench-search.h"
#include "bough-bench-store.h"
#include "../test-util.h"

typedef enum
{
  SIDE_STORE,
  SIDE_RAW,
  N_SIDES
} SideId;

static const char * const side_names[N_SIDES] = { "store", "raw" };

/* The workloads are written once against this table of operations, which
 * the store and the raw baseline both implement. */
typedef struct
{
  gpointer    (*open)        (const char *path, BoughBenchDataset *ds, gpointer user_data,
                              GError **error);
  void        (*free)        (gpointer db);
  void        (*close)       (gpointer db);
  gboolean    (*reopen)      (gpointer db, GError **error);
  gboolean    (*load)        (gpointer db, BoughBenchDataset *ds, guint first, guint n,
                              guint batch, gboolean upsert, GError **error);
  const char *(*id_of)       (gpointer db, BoughBenchDataset *ds, guint index, char buf[37]);
  gint64      (*list)        (gpointer db, BoughBenchKindId kind, gint64 limit, GError **error);
  gboolean    (*get_by_id)   (gpointer db, BoughBenchKindId kind, const char *id,
                              GError **error);
  gboolean    (*get_by_hfid) (gpointer db, BoughBenchKindId kind, const char *hfid,
                              GError **error);
  gint        (*get_device)  (gpointer db, const char *name, GError **error);
  gboolean    (*update)      (gpointer db, BoughBenchKindId kind, const char *id,
                              const char *description, GError **error);
  gboolean    (*upsert_one)  (gpointer db, BoughBenchDataset *ds, guint index,
                              const char *description, GError **error);
  char       *(*write_state) (gpointer db, guint index, GError **error);
  JsonObject *(*pragmas)     (gpointer db);
} SideOps;

typedef struct
{
  const char *id;
  const char *workload;
  char       *title;
  const char *unit;
  gboolean    higher_is_better;
  /* Goals of BENCHMARKS.md on the store's figure; NAN when none. */
  double      goal_min;
  double      goal_max;
  double      goal_max_ratio;
  GArray     *runs[N_SIDES];   /* of double */
  guint       planned;         /* operations per run of a repeated operation, 0 if none */
  guint       done[N_SIDES];   /* operations the last run did within the time budget */
} Figure;

typedef struct
{
  /* options */
  char       *size;
  gint        devices;
  gint        nodes;
  gint        runs;
  gint64      seed;
  gint        batch;
  char       *schema_library;
  char       *json_path;
  char       *workdir_option;
  char       *synchronous;
  gboolean    raw_only;
  gboolean    keep;
  double      budget;
  gboolean    http;
  gboolean    http_only;
  char       *server_path;
  gint        http_batch;
  gint        clients;

  char       *workdir;
  BoughBenchDataset *items;
  BoughBenchDataset *devices_ds;
  gboolean    have_store;
  char       *store_unavailable;
  gpointer    schema;
  guint       schema_kinds;
  char       *store_driver;
  JsonObject *pragmas[N_SIDES];
  GPtrArray  *figures;
  /* W3: did every second upsert write nothing? */
  gboolean    noop_upsert[N_SIDES];
  char       *noop_state[N_SIDES];   /* what stayed the same, for the report */
  gboolean    peak_rss_resettable;
  guint       n_lookups;
  guint       n_list;
  guint       n_device_reads;
  guint       n_updates;
  /* HTTP: did every second upsert add no commit? */
  gboolean    http_noop_upsert;
  char       *http_noop_state;
} Bench;

static const SideOps *side_ops[N_SIDES];

/* Time */

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static double
seconds_since (gint64 start_ns)
{
  return (double) (now_ns () - start_ns) / 1e9;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The value at @quantile of @values (sorted in place), nearest rank. */
static double
quantile (GArray *values,
          double  q)
{
  guint rank;

  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_doubles);
  rank = (guint) ceil (q * values->len);
  return g_array_index (values, double, CLAMP (rank, 1, values->len) - 1);
}

static double
median (GArray *values)
{
  g_autoptr(GArray) copy = NULL;

  if (values->len == 0)
    return NAN;
  copy = g_array_copy (values);
  g_array_sort (copy, compare_doubles);
  if (copy->len % 2 == 1)
    return g_array_index (copy, double, copy->len / 2);
  return (g_array_index (copy, double, copy->len / 2 - 1) +
          g_array_index (copy, double, copy->len / 2)) / 2;
}

/* Memory */

static void
peak_rss_reset (Bench *bench)
{
  FILE *file;

#ifdef __GLIBC__
  /* Give freed heap back first, so that the peak of one side does not start
   * from what the other side left behind. */
  malloc_trim (0);
#endif
  /* "5" resets VmHWM to the current RSS (Linux 4.0+); written in place, as
   * g_file_set_contents() would write a new file and rename it. */
  file = fopen ("/proc/self/clear_refs", "w");
  bench->peak_rss_resettable = file != NULL && fputs ("5", file) >= 0;
  if (file != NULL && fclose (file) != 0)
    bench->peak_rss_resettable = FALSE;
}

static gint64
proc_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

static gint64
directory_bytes (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  gint64 total = 0;

  if (dir == NULL)
    return -1;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_stat (file, &st) == 0 && S_ISREG (st.st_mode))
        total += st.st_size;
    }
  return total;
}

/* Raw side */

static gpointer
raw_open (const char        *path,
          BoughBenchDataset *ds,
          gpointer           user_data,
          GError           **error)
{
  Bench *bench = user_data;
  g_autoptr(BoughBenchRaw) raw = bough_bench_raw_open (path, bench->synchronous, error);

  if (raw == NULL || !bough_bench_raw_create_tables (raw, ds, error))
    return NULL;
  return g_steal_pointer (&raw);
}

static const char *
raw_id_of (gpointer           db,
           BoughBenchDataset *ds,
           guint              index,
           char               buf[37])
{
  bough_bench_dataset_uuid (ds, index, buf);
  return buf;
}

static gboolean
raw_upsert_one (gpointer           db,
                BoughBenchDataset *ds,
                guint              index,
                const char        *description,
                GError           **error)
{
  return bough_bench_raw_upsert_one (db, ds, index, description, error) >= 0;
}

static char *
raw_write_state (gpointer db,
                 guint    index,
                 GError **error)
{
  return g_strdup_printf ("sqlite3_total_changes %" G_GINT64_FORMAT,
                          bough_bench_raw_total_changes (db));
}

static const SideOps raw_side = {
  .open = raw_open,
  .free = (void (*) (gpointer)) bough_bench_raw_free,
  .close = (void (*) (gpointer)) bough_bench_raw_close,
  .reopen = (gboolean (*) (gpointer, GError **)) bough_bench_raw_reopen,
  .load = (gpointer) bough_bench_raw_load,
  .id_of = raw_id_of,
  .list = (gpointer) bough_bench_raw_list,
  .get_by_id = (gpointer) bough_bench_raw_get_by_id,
  .get_by_hfid = (gpointer) bough_bench_raw_get_by_hfid,
  .get_device = (gpointer) bough_bench_raw_get_device,
  .update = (gpointer) bough_bench_raw_update_description,
  .upsert_one = raw_upsert_one,
  .write_state = raw_write_state,
  .pragmas = (gpointer) bough_bench_raw_get_pragmas,
};

/* Store side */

static gpointer
store_open (const char        *path,
            BoughBenchDataset *ds,
            gpointer           user_data,
            GError           **error)
{
  Bench *bench = user_data;

  return bough_bench_store_open (path, bench->schema, error);
}

static const char *
store_id_of (gpointer           db,
             BoughBenchDataset *ds,
             guint              index,
             char               buf[37])
{
  return bough_bench_store_get_id (db, index);
}

static const SideOps store_side = {
  .open = store_open,
  .free = (void (*) (gpointer)) bough_bench_store_free,
  .close = (void (*) (gpointer)) bough_bench_store_close,
  .reopen = (gboolean (*) (gpointer, GError **)) bough_bench_store_reopen,
  .load = (gpointer) bough_bench_store_load,
  .id_of = store_id_of,
  .list = (gpointer) bough_bench_store_list,
  .get_by_id = (gpointer) bough_bench_store_get_by_id,
  .get_by_hfid = (gpointer) bough_bench_store_get_by_hfid,
  .get_device = (gpointer) bough_bench_store_get_device,
  .update = (gpointer) bough_bench_store_update_description,
  .upsert_one = (gpointer) bough_bench_store_upsert_one,
  .write_state = (gpointer) bough_bench_store_write_state,
  .pragmas = (gpointer) bough_bench_store_get_pragmas,
};

/* Figures */

static Figure *
figure_add (Bench      *bench,
            const char *id,
            const char *workload,
            char       *title,
            const char *unit,
            gboolean    higher_is_better)
{
  Figure *figure = g_new0 (Figure, 1);

  figure->id = id;
  figure->workload = workload;
  figure->title = title;
  figure->unit = unit;
  figure->higher_is_better = higher_is_better;
  figure->goal_min = NAN;
  figure->goal_max = NAN;
  figure->goal_max_ratio = NAN;
  for (guint s = 0; s < N_SIDES; s++)
    figure->runs[s] = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (bench->figures, figure);
  return figure;
}

static void
figure_free (Figure *figure)
{
  for (guint s = 0; s < N_SIDES; s++)
    g_array_unref (figure->runs[s]);
  g_free (figure->title);
  g_free (figure);
}

static Figure *
figure_get (Bench      *bench,
            const char *id)
{
  for (guint i = 0; i < bench->figures->len; i++)
    {
      Figure *figure = g_ptr_array_index (bench->figures, i);

      if (g_str_equal (figure->id, id))
        return figure;
    }
  g_assert_not_reached ();
}

static void
record (Bench      *bench,
        const char *id,
        SideId      side,
        double      value)
{
  g_array_append_val (figure_get (bench, id)->runs[side], value);
}

/* Repeated operations stop after the time budget once they have done a
 * few, so that a slow side still finishes; the figure says how many ran. */
#define MIN_OPS 20

static gboolean
over_budget (Bench  *bench,
             gint64  start_ns,
             guint   done)
{
  return done >= MIN_OPS && seconds_since (start_ns) > bench->budget;
}

static void
record_ops (Bench      *bench,
            const char *id,
            SideId      side,
            guint       planned,
            guint       done)
{
  Figure *figure = figure_get (bench, id);

  figure->planned = planned;
  figure->done[side] = done;
}

/* How many times the baseline the store costs: > 1 means slower. */
static GArray *
figure_ratio_runs (Figure *figure)
{
  GArray *ratios = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *store = figure->runs[SIDE_STORE];
  GArray *raw = figure->runs[SIDE_RAW];

  /* Each run's store figure against the baseline of the same run: the
   * machine's load varies between runs more than within one. */
  for (guint r = 0; r < MIN (store->len, raw->len); r++)
    {
      double s = g_array_index (store, double, r);
      double b = g_array_index (raw, double, r);
      double ratio;

      if (!(s > 0) || !(b > 0))
        continue;
      ratio = figure->higher_is_better ? b / s : s / b;
      g_array_append_val (ratios, ratio);
    }
  return ratios;
}

static double
figure_ratio (Figure *figure)
{
  g_autoptr(GArray) ratios = figure_ratio_runs (figure);

  return median (ratios);
}

/* TRUE, FALSE, or -1 when the figure has no goal or no store figure. */
static int
figure_goal_met (Figure *figure)
{
  double store = median (figure->runs[SIDE_STORE]);
  double ratio = figure_ratio (figure);
  gboolean has_goal = !isnan (figure->goal_min) || !isnan (figure->goal_max) ||
                      !isnan (figure->goal_max_ratio);

  if (!has_goal || isnan (store))
    return -1;
  if (!isnan (figure->goal_min) && store < figure->goal_min)
    return FALSE;
  if (!isnan (figure->goal_max) && store >= figure->goal_max)
    return FALSE;
  if (!isnan (figure->goal_max_ratio) && !(ratio <= figure->goal_max_ratio))
    return FALSE;
  return TRUE;
}

static char *
figure_goal_text (Figure *figure)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!isnan (figure->goal_min))
    g_string_append_printf (text, ">= %g %s", figure->goal_min, figure->unit);
  if (!isnan (figure->goal_max))
    g_string_append_printf (text, "%s< %g %s", text->len ? ", " : "", figure->goal_max,
                            figure->unit);
  if (!isnan (figure->goal_max_ratio))
    g_string_append_printf (text, "%s<= %gx raw", text->len ? ", " : "", figure->goal_max_ratio);
  return text->len ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* The HTTP figures: the "store" column holds what the client measured
 * against bough-server; only the load has a raw baseline. */
static void
define_http_figures (Bench *bench)
{
  static const char * const list_ids[BOUGH_BENCH_HTTP_N_LISTS][3] = {
    { "W2.list_250_p50", "W2.list_250_p95", "W2.list_250_sql" },
    { "W2.list_1k_p50", "W2.list_1k_p95", "W2.list_1k_sql" },
    { "W2.list_10k_p50", "W2.list_10k_p95", "W2.list_10k_sql" },
  };
  guint objects = bough_bench_dataset_get_n_objects (bench->devices_ds);
  guint n_ifaces = bough_bench_dataset_count_kind (bench->devices_ds,
                                                   BOUGH_BENCH_KIND_INTERFACE);
  Figure *f;

  f = figure_add (bench, "W1.http_load", "W1",
                  g_strdup_printf ("HTTP: load %s (%u objects), <Kind>Upsert, %d per document",
                                   bench->size, objects, bench->http_batch),
                  "objects/s", TRUE);
  f->goal_min = 20000;
  f->goal_max_ratio = 3;
  figure_add (bench, "W1.http_creates", "W1",
              g_strdup_printf ("HTTP: BenchItemCreate from %d clients (keep-alive), of %u",
                               bench->clients, MIN (2000, (guint) bench->nodes)),
              "creates/s", TRUE);
  for (guint s = 0; s < BOUGH_BENCH_HTTP_N_LISTS; s++)
    {
      guint limit = MIN (bough_bench_http_list_sizes[s], n_ifaces);

      f = figure_add (bench, list_ids[s][0], "W2",
                      g_strdup_printf ("HTTP: list %u interfaces + device + tags, p50", limit),
                      "ms", FALSE);
      if (bough_bench_http_list_sizes[s] == 1000)
        f->goal_max = 50;
      figure_add (bench, list_ids[s][1], "W2",
                  g_strdup_printf ("HTTP: list %u interfaces + device + tags, p95", limit),
                  "ms", FALSE);
      figure_add (bench, list_ids[s][2], "W2",
                  g_strdup_printf ("HTTP: list %u interfaces: SQL statements per request",
                                   limit),
                  "statements", FALSE);
    }
  figure_add (bench, "W2.count_p50", "W2", g_strdup ("HTTP: InterfacePhysical { count }, p50"),
              "ms", FALSE);
  figure_add (bench, "W2.count_p95", "W2", g_strdup ("HTTP: InterfacePhysical { count }, p95"),
              "ms", FALSE);
  figure_add (bench, "W2.count_sql", "W2",
              g_strdup ("HTTP: count: SQL statements per request"), "statements", FALSE);
  f = figure_add (bench, "W2.list_10k_attrs", "W2",
                  g_strdup_printf ("HTTP: list %u nodes, all attributes + device, p50",
                                   MIN (10000, n_ifaces)),
                  "ms", FALSE);
  f->goal_max = 150;
  figure_add (bench, "W2.list_10k_attrs_sql", "W2",
              g_strdup_printf ("HTTP: list %u nodes + device: SQL statements per request",
                               MIN (10000, n_ifaces)),
              "statements", FALSE);
  figure_add (bench, "W2.http_introspection", "W2",
              g_strdup ("HTTP: full introspection query, p50 of 5"), "ms", FALSE);
  f = figure_add (bench, "W3.http_device_p50", "W3",
                  g_strdup_printf ("HTTP: device by hfid + its %u interfaces, p50 of %u",
                                   BOUGH_BENCH_INTERFACES_PER_DEVICE, bench->n_device_reads),
                  "ms", FALSE);
  f->goal_max = 2;
  figure_add (bench, "W3.http_device_p99", "W3",
              g_strdup_printf ("HTTP: device by hfid + its %u interfaces, p99 of %u",
                               BOUGH_BENCH_INTERFACES_PER_DEVICE, bench->n_device_reads),
              "ms", FALSE);
  figure_add (bench, "W3.http_get_id_p50", "W3",
              g_strdup_printf ("HTTP: one interface by id + device, p50 of %u",
                               bench->n_device_reads),
              "ms", FALSE);
  figure_add (bench, "W3.http_get_id_p99", "W3",
              g_strdup_printf ("HTTP: one interface by id + device, p99 of %u",
                               bench->n_device_reads),
              "ms", FALSE);
  figure_add (bench, "W3.http_update", "W3",
              g_strdup_printf ("HTTP: DcimDeviceUpdate of one attribute (%u)", bench->n_updates),
              "commits/s", TRUE);
  figure_add (bench, "W3.http_upsert_twice", "W3",
              g_strdup ("HTTP: same DcimDeviceUpsert twice: the second (adds no commit)"),
              "ms", FALSE);
}

/* The order workload (W2 order at --nodes): one page of 100 BenchItem in
 * each order, on main now, main at a past time and a branch, at the
 * start, the middle and the end of the list. */
static const struct
{
  const char *id;
  const char *order;  /* NULL: the schema's (name); "": creation order */
} order_cases[] = {
  { "schema", NULL },
  { "disable", "" },
  { "name_asc", "name__value" },
  { "name_desc", "name__value__desc" },
  { "serial_asc", "serial__value" },
  { "weight_desc", "weight__value__desc" },
  { "created_desc", "node_metadata__created_at__desc" },
  { "updated_desc", "node_metadata__updated_at__desc" },
  { "group_name", "group__name__value" },
};
static const char * const order_views[] = { "now", "past", "branch" };
static const char * const order_depths[] = { "first", "middle", "last" };
#define ORDER_PAGE 100
#define ORDER_BRANCH "bench-order"

static gint64
order_offset (guint n_items,
              guint depth)
{
  if (depth == 0 || n_items <= ORDER_PAGE)
    return 0;
  return depth == 1 ? n_items / 2 : n_items - ORDER_PAGE;
}

static const char *
order_figure_id (guint c,
                 guint v,
                 guint d)
{
  g_autofree char *id = g_strdup_printf ("W2.order_%s_%s_%s", order_cases[c].id, order_views[v],
                                         order_depths[d]);

  return g_intern_string (id);
}

static void
define_order_figures (Bench *bench)
{
  guint items = bough_bench_dataset_count_kind (bench->items, BOUGH_BENCH_KIND_ITEM);

  for (guint c = 0; c < G_N_ELEMENTS (order_cases); c++)
    for (guint v = 0; v < G_N_ELEMENTS (order_views); v++)
      for (guint d = 0; d < G_N_ELEMENTS (order_depths); d++)
        figure_add (bench, order_figure_id (c, v, d), "W2",
                    g_strdup_printf ("order at %u: %s, %s, page of %d at %" G_GINT64_FORMAT ", p50",
                                     items, order_cases[c].order == NULL ? "schema order_by"
                                     : *order_cases[c].order == '\0' ? "disable (creation)"
                                     : order_cases[c].order, order_views[v], ORDER_PAGE,
                                     order_offset (items, d)),
                    "ms", FALSE);
}

static void
define_figures (Bench *bench)
{
  guint items = bough_bench_dataset_count_kind (bench->items, BOUGH_BENCH_KIND_ITEM);
  guint objects = bough_bench_dataset_get_n_objects (bench->devices_ds);
  Figure *f;

  f = figure_add (bench, "W1.create", "W1",
                  g_strdup_printf ("create %u BenchItem (5 attrs, 1 rel), %d per commit",
                                   items, bench->batch),
                  "nodes/s", TRUE);
  f->goal_min = 20000;
  f->goal_max_ratio = 3;
  f = figure_add (bench, "W1.load", "W1",
                  g_strdup_printf ("load %s (%u objects), upsert by hfid, %d per commit",
                                   bench->size, objects, bench->batch),
                  "objects/s", TRUE);
  f->goal_min = 20000;
  f->goal_max_ratio = 3;
  figure_add (bench, "W1.load_bytes", "W1",
              g_strdup_printf ("bytes on disk per object after the %s load", bench->size),
              "B/object", FALSE);
  figure_add (bench, "W1.load_rss", "W1",
              g_strdup_printf ("peak RSS of the process during the %s load", bench->size),
              "MiB", FALSE);
  figure_add (bench, "W1.load_rss_growth", "W1",
              g_strdup_printf ("peak RSS growth during the %s load", bench->size),
              "MiB", FALSE);
  figure_add (bench, "W1.list", "W1",
              g_strdup_printf ("list %u BenchItem with attributes and group peer, p50",
                               bench->n_list),
              "ms", FALSE);
  figure_add (bench, "W1.get_id", "W1",
              g_strdup_printf ("get a BenchItem by id (%u lookups)",
                               bench->n_lookups),
              "lookups/s", TRUE);
  figure_add (bench, "W1.get_hfid", "W1",
              g_strdup_printf ("get a BenchItem by hfid (%u lookups)",
                               bench->n_lookups),
              "lookups/s", TRUE);
  f = figure_add (bench, "W3.get_p50", "W3",
                  g_strdup_printf ("get a device by hfid with its %u interfaces, p50 of %u",
                                   BOUGH_BENCH_INTERFACES_PER_DEVICE, bench->n_device_reads),
                  "ms", FALSE);
  f->goal_max = 2;
  figure_add (bench, "W3.get_p99", "W3",
              g_strdup_printf ("get a device by hfid with its %u interfaces, p99 of %u",
                               BOUGH_BENCH_INTERFACES_PER_DEVICE, bench->n_device_reads),
              "ms", FALSE);
  figure_add (bench, "W3.update", "W3",
              g_strdup_printf ("update one attribute of a device, 1 commit each (%u)",
                               bench->n_updates),
              "commits/s", TRUE);
  figure_add (bench, "W3.upsert_twice", "W3",
              g_strdup ("same upsert twice: the second (must write nothing)"),
              "ms", FALSE);
  define_order_figures (bench);
  if (bench->http)
    define_http_figures (bench);
}

/* Workloads */

static char *
side_dir (Bench      *bench,
          guint       run,
          SideId      side,
          const char *what)
{
  g_autofree char *name = g_strdup_printf ("run%u-%s-%s", run, side_names[side], what);
  char *dir = g_build_filename (bench->workdir, name, NULL);

  g_mkdir_with_parents (dir, 0700);
  return dir;
}

/* A deterministic pick of @n indexes among @count starting at @first. */
static guint
pick (Bench *bench,
      guint  run,
      guint  i,
      guint  first,
      guint  count)
{
  guint64 r = bough_bench_mix ((guint64) bench->seed ^ ((guint64) run << 40) ^ i);

  return first + (guint) (r % count);
}

/* The order workload on the store's items (see order_cases). */
static gboolean
run_order (Bench            *bench,
           BoughBenchStore  *db,
           guint             first_item,
           guint             n_items,
           GError          **error)
{
  gint64 past = 0;

  g_printerr ("  store: order pages of %u nodes\n", n_items);
  if (!bough_bench_store_order_prepare (db, first_item, n_items, ORDER_BRANCH, &past, error))
    return FALSE;
  for (guint c = 0; c < G_N_ELEMENTS (order_cases); c++)
    for (guint v = 0; v < G_N_ELEMENTS (order_views); v++)
      for (guint d = 0; d < G_N_ELEMENTS (order_depths); d++)
        {
          g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
          gint64 offset = order_offset (n_items, d);
          gint64 want = MIN (ORDER_PAGE, (gint64) n_items - offset);

          for (guint rep = 0; rep < 3; rep++)
            {
              gint64 start = now_ns ();
              gint64 rows = bough_bench_store_order_page (db, "BenchItem", v == 2 ? ORDER_BRANCH : NULL,
                                                          v == 1 ? past : 0, order_cases[c].order,
                                                          offset, ORDER_PAGE, error);
              double t = seconds_since (start) * 1000;

              if (rows < 0)
                return FALSE;
              if (rows != want)
                {
                  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                               "order %s %s: %" G_GINT64_FORMAT " rows instead of %" G_GINT64_FORMAT,
                               order_cases[c].id, order_views[v], rows, want);
                  return FALSE;
                }
              g_array_append_val (ms, t);
            }
          record (bench, order_figure_id (c, v, d), SIDE_STORE, quantile (ms, 0.5));
        }
  return TRUE;
}

static gboolean
run_items (Bench  *bench,
           guint   run,
           SideId  side,
           GError **error)
{
  const SideOps *ops = side_ops[side];
  BoughBenchDataset *ds = bench->items;
  guint first_group = bough_bench_dataset_first_of (ds, BOUGH_BENCH_KIND_GROUP);
  guint n_groups = bough_bench_dataset_count_kind (ds, BOUGH_BENCH_KIND_GROUP);
  guint first_item = bough_bench_dataset_first_of (ds, BOUGH_BENCH_KIND_ITEM);
  guint n_items = bough_bench_dataset_count_kind (ds, BOUGH_BENCH_KIND_ITEM);
  g_autofree char *dir = side_dir (bench, run, side, "items");
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GArray) list_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  gpointer db;
  gint64 start;
  double seconds;
  guint done;
  gboolean ok = FALSE;

  db = ops->open (path, ds, bench, error);
  if (db == NULL)
    return FALSE;
  if (bench->pragmas[side] == NULL)
    bench->pragmas[side] = ops->pragmas (db);
  if (side == SIDE_STORE && bench->store_driver == NULL)
    bench->store_driver = g_strdup (bough_bench_store_get_driver (db));

  g_printerr ("  %s: create %u nodes\n", side_names[side], n_items);
  if (!ops->load (db, ds, first_group, n_groups, bench->batch, FALSE, error))
    goto out;
  start = now_ns ();
  if (!ops->load (db, ds, first_item, n_items, bench->batch, FALSE, error))
    goto out;
  seconds = seconds_since (start);
  record (bench, "W1.create", side, n_items / seconds);

  for (guint rep = 0; rep < 5; rep++)
    {
      gint64 rows;
      double ms;

      start = now_ns ();
      rows = ops->list (db, BOUGH_BENCH_KIND_ITEM, bench->n_list, error);
      ms = seconds_since (start) * 1000;
      if (rows < 0)
        goto out;
      if (rows != bench->n_list)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s: list returned %"
                       G_GINT64_FORMAT " rows instead of %u", side_names[side], rows,
                       bench->n_list);
          goto out;
        }
      g_array_append_val (list_ms, ms);
    }
  record (bench, "W1.list", side, quantile (list_ms, 0.5));

  for (guint i = 0; i < bench->n_lookups; i++)
    {
      char buf[37];

      g_ptr_array_add (keys, g_strdup (ops->id_of (db, ds, pick (bench, run, i, first_item,
                                                                 n_items), buf)));
    }
  start = now_ns ();
  for (done = 0; done < keys->len && !over_budget (bench, start, done); done++)
    if (!ops->get_by_id (db, BOUGH_BENCH_KIND_ITEM, g_ptr_array_index (keys, done), error))
      goto out;
  record (bench, "W1.get_id", side, done / seconds_since (start));
  record_ops (bench, "W1.get_id", side, keys->len, done);

  g_ptr_array_set_size (keys, 0);
  for (guint i = 0; i < bench->n_lookups; i++)
    g_ptr_array_add (keys, bough_bench_dataset_name (ds, pick (bench, run, i, first_item,
                                                               n_items)));
  start = now_ns ();
  for (done = 0; done < keys->len && !over_budget (bench, start, done); done++)
    if (!ops->get_by_hfid (db, BOUGH_BENCH_KIND_ITEM, g_ptr_array_index (keys, done), error))
      goto out;
  record (bench, "W1.get_hfid", side, done / seconds_since (start));
  record_ops (bench, "W1.get_hfid", side, keys->len, done);
  if (side == SIDE_STORE && !run_order (bench, db, first_item, n_items, error))
    goto out;
  ok = TRUE;

out:
  ops->free (db);
  return ok;
}

static gboolean
run_dataset (Bench  *bench,
             guint   run,
             SideId  side,
             GError **error)
{
  const SideOps *ops = side_ops[side];
  BoughBenchDataset *ds = bench->devices_ds;
  guint n_objects = bough_bench_dataset_get_n_objects (ds);
  guint first_device = bough_bench_dataset_first_of (ds, BOUGH_BENCH_KIND_DEVICE);
  guint n_devices = bough_bench_dataset_count_kind (ds, BOUGH_BENCH_KIND_DEVICE);
  g_autofree char *dir = side_dir (bench, run, side, "dataset");
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GArray) read_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *description = NULL;
  gpointer db;
  gint64 start;
  gint64 budget_start;
  guint done;
  g_autofree char *state_before = NULL;
  g_autofree char *state_after = NULL;
  gint64 rss_kb;
  gint64 rss_start_kb;
  double seconds;
  guint upsert_index;
  gboolean ok = FALSE;

  db = ops->open (path, ds, bench, error);
  if (db == NULL)
    return FALSE;

  g_printerr ("  %s: load %u objects\n", side_names[side], n_objects);
  peak_rss_reset (bench);
  rss_start_kb = proc_status_kb ("VmRSS:");
  start = now_ns ();
  if (!ops->load (db, ds, 0, n_objects, bench->batch, TRUE, error))
    goto out;
  seconds = seconds_since (start);
  record (bench, "W1.load", side, n_objects / seconds);
  rss_kb = proc_status_kb ("VmHWM:");
  if (rss_kb > 0 && rss_start_kb > 0)
    {
      record (bench, "W1.load_rss", side, rss_kb / 1024.0);
      record (bench, "W1.load_rss_growth", side, MAX (rss_kb - rss_start_kb, 0) / 1024.0);
    }

  /* Closing checkpoints the WAL into the database file. */
  ops->close (db);
  record (bench, "W1.load_bytes", side, (double) directory_bytes (dir) / n_objects);
  if (!ops->reopen (db, error))
    goto out;

  for (guint i = 0; i < bench->n_device_reads; i++)
    g_ptr_array_add (keys, bough_bench_dataset_name (ds, pick (bench, run, i, first_device,
                                                               n_devices)));
  budget_start = now_ns ();
  for (guint i = 0; i < keys->len && !over_budget (bench, budget_start, i); i++)
    {
      gint n;
      double ms;

      start = now_ns ();
      n = ops->get_device (db, g_ptr_array_index (keys, i), error);
      ms = seconds_since (start) * 1000;
      if (n < 0)
        goto out;
      if (n != BOUGH_BENCH_INTERFACES_PER_DEVICE)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                       "%s: device %s has %d interfaces instead of %d", side_names[side],
                       (const char *) g_ptr_array_index (keys, i), n,
                       BOUGH_BENCH_INTERFACES_PER_DEVICE);
          goto out;
        }
      g_array_append_val (read_ms, ms);
    }
  record (bench, "W3.get_p50", side, quantile (read_ms, 0.5));
  record (bench, "W3.get_p99", side, quantile (read_ms, 0.99));
  record_ops (bench, "W3.get_p50", side, keys->len, read_ms->len);
  record_ops (bench, "W3.get_p99", side, keys->len, read_ms->len);

  g_ptr_array_set_size (keys, 0);
  for (guint i = 0; i < bench->n_updates; i++)
    {
      char buf[37];

      g_ptr_array_add (keys, g_strdup (ops->id_of (db, ds, pick (bench, run, i + 1000000,
                                                                 first_device, n_devices),
                                                   buf)));
    }
  start = now_ns ();
  for (done = 0; done < keys->len && !over_budget (bench, start, done); done++)
    {
      char text[64];

      g_snprintf (text, sizeof text, "updated by run %u, commit %u", run, done);
      if (!ops->update (db, BOUGH_BENCH_KIND_DEVICE, g_ptr_array_index (keys, done), text, error))
        goto out;
    }
  record (bench, "W3.update", side, done / seconds_since (start));
  record_ops (bench, "W3.update", side, keys->len, done);

  /* The same upsert twice: the first changes the description, the second
   * must write nothing at all. */
  upsert_index = pick (bench, run, 2000000, first_device, n_devices);
  description = g_strdup_printf ("upserted by run %u", run);
  state_before = ops->write_state (db, upsert_index, error);
  if (state_before == NULL || !ops->upsert_one (db, ds, upsert_index, description, error))
    goto out;
  state_after = ops->write_state (db, upsert_index, error);
  if (state_after == NULL)
    goto out;
  if (g_str_equal (state_after, state_before))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                   "%s: the first upsert (a new description) wrote nothing (%s)",
                   side_names[side], state_after);
      goto out;
    }
  start = now_ns ();
  if (!ops->upsert_one (db, ds, upsert_index, description, error))
    goto out;
  record (bench, "W3.upsert_twice", side, seconds_since (start) * 1000);
  g_free (state_before);
  state_before = g_steal_pointer (&state_after);
  state_after = ops->write_state (db, upsert_index, error);
  if (state_after == NULL)
    goto out;
  if (!g_str_equal (state_after, state_before))
    {
      bench->noop_upsert[side] = FALSE;
      g_printerr ("  %s: the second identical upsert wrote to the database: before %s, "
                  "after %s\n", side_names[side], state_before, state_after);
    }
  else
    {
      g_free (bench->noop_state[side]);
      bench->noop_state[side] = g_steal_pointer (&state_after);
    }
  ok = TRUE;

out:
  ops->free (db);
  return ok;
}

static void
http_record_cb (gpointer    user_data,
                const char *id,
                double      value)
{
  record (user_data, id, SIDE_STORE, value);
}

static void
http_record_ops_cb (gpointer    user_data,
                    const char *id,
                    guint       planned,
                    guint       done)
{
  record_ops (user_data, id, SIDE_STORE, planned, done);
}

/* The API workloads against a new bough-server, and the raw load of the
 * same dataset in the same run as the baseline of the HTTP load. */
static gboolean
run_http (Bench   *bench,
          guint    run,
          GError **error)
{
  BoughBenchDataset *ds = bench->devices_ds;
  guint n_objects = bough_bench_dataset_get_n_objects (ds);
  g_autofree char *raw_dir = side_dir (bench, run, SIDE_RAW, "http-baseline");
  g_autofree char *raw_path = g_build_filename (raw_dir, "bench.db", NULL);
  g_autofree char *server_dir = side_dir (bench, run, SIDE_STORE, "http");
  BoughBenchHttpRun http = { 0, };
  gpointer db;
  gint64 start;
  gboolean ok;

  g_printerr ("  raw: load %u objects (baseline of the HTTP load)\n", n_objects);
  db = raw_side.open (raw_path, ds, bench, error);
  if (db == NULL)
    return FALSE;
  start = now_ns ();
  ok = raw_side.load (db, ds, 0, n_objects, bench->batch, TRUE, error);
  if (ok)
    record (bench, "W1.http_load", SIDE_RAW, n_objects / seconds_since (start));
  if (bench->pragmas[SIDE_RAW] == NULL)
    bench->pragmas[SIDE_RAW] = raw_side.pragmas (db);
  raw_side.free (db);
  if (!ok)
    return FALSE;

  if (bench->store_driver == NULL)
    bench->store_driver = g_strdup ("sqlite (in bough-server)");
  http.server_path = bench->server_path;
  http.schema_library = bench->schema_library;
  http.data_dir = server_dir;
  http.ds = ds;
  http.items = bench->items;
  http.run = run;
  http.seed = (guint64) bench->seed;
  http.batch = (guint) bench->http_batch;
  http.clients = (guint) bench->clients;
  http.budget = bench->budget;
  http.n_reads = bench->n_device_reads;
  http.n_updates = bench->n_updates;
  http.n_creates = MIN (2000, (guint) bench->nodes);
  http.record = http_record_cb;
  http.record_ops = http_record_ops_cb;
  http.user_data = bench;
  ok = bough_bench_http_run (&http, error);
  if (ok && !http.noop_upsert)
    {
      bench->http_noop_upsert = FALSE;
      g_printerr ("  http: the second identical upsert added a commit: %s\n", http.noop_state);
    }
  if (ok && http.noop_upsert)
    {
      g_free (bench->http_noop_state);
      bench->http_noop_state = g_steal_pointer (&http.noop_state);
    }
  g_free (http.noop_state);
  return ok;
}

/* Report */

static char *
machine_cpu_model (void)
{
  g_autofree char *cpuinfo = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL))
    return g_strdup ("unknown");
  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "model name"))
      {
        const char *colon = strchr (lines[i], ':');

        if (colon != NULL)
          return g_strstrip (g_strdup (colon + 1));
      }
  return g_strdup ("unknown");
}

static gint64
machine_ram_bytes (void)
{
  g_autofree char *meminfo = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL))
    return -1;
  line = strstr (meminfo, "MemTotal:");
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("MemTotal:"), NULL, 10) * 1024;
}

static void
add_double_or_null (JsonBuilder *builder,
                    const char  *member,
                    double       value)
{
  json_builder_set_member_name (builder, member);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, value);
}

static char *
pragmas_text (JsonObject *pragmas)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = NULL;

  if (pragmas == NULL)
    return g_strdup ("-");
  members = json_object_get_members (pragmas);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (pragmas, l->data);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
        g_string_append_printf (text, "%s%s=%" G_GINT64_FORMAT, text->len ? " " : "",
                                (const char *) l->data, json_node_get_int (value));
      else
        g_string_append_printf (text, "%s%s=%s", text->len ? " " : "", (const char *) l->data,
                                json_node_get_string (value));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static JsonNode *
report_json (Bench *bench)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *cpu = machine_cpu_model ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "program");
  json_builder_add_string_value (builder, "bough-bench " PACKAGE_VERSION);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, stamp);
  json_builder_set_member_name (builder, "buildtype");
  json_builder_add_string_value (builder, BOUGH_BENCH_BUILDTYPE);

  json_builder_set_member_name (builder, "machine");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cpu_model");
  json_builder_add_string_value (builder, cpu);
  json_builder_set_member_name (builder, "cores");
  json_builder_add_int_value (builder, g_get_num_processors ());
  json_builder_set_member_name (builder, "ram_bytes");
  json_builder_add_int_value (builder, machine_ram_bytes ());
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sqlite");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, sqlite3_libversion ());
  json_builder_set_member_name (builder, "pragmas");
  json_builder_begin_object (builder);
  for (guint s = 0; s < N_SIDES; s++)
    {
      json_builder_set_member_name (builder, side_names[s]);
      if (bench->pragmas[s] != NULL)
        {
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_node_set_object (node, bench->pragmas[s]);
          json_builder_add_value (builder, node);
        }
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "seed");
  json_builder_add_int_value (builder, bench->seed);
  json_builder_set_member_name (builder, "runs");
  json_builder_add_int_value (builder, bench->runs);
  json_builder_set_member_name (builder, "sizes");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "size");
  json_builder_add_string_value (builder, bench->size);
  json_builder_set_member_name (builder, "devices");
  json_builder_add_int_value (builder, bench->devices);
  json_builder_set_member_name (builder, "interfaces_per_device");
  json_builder_add_int_value (builder, BOUGH_BENCH_INTERFACES_PER_DEVICE);
  json_builder_set_member_name (builder, "objects");
  json_builder_add_int_value (builder, bough_bench_dataset_get_n_objects (bench->devices_ds));
  json_builder_set_member_name (builder, "create_nodes");
  json_builder_add_int_value (builder, bench->nodes);
  json_builder_set_member_name (builder, "batch");
  json_builder_add_int_value (builder, bench->batch);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "store");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "available");
  json_builder_add_boolean_value (builder, bench->have_store);
  if (bench->have_store)
    {
      json_builder_set_member_name (builder, "driver");
      json_builder_add_string_value (builder, bench->store_driver);
      json_builder_set_member_name (builder, "schema_kinds");
      json_builder_add_int_value (builder, bench->schema_kinds);
    }
  else
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, bench->store_unavailable);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "workloads");
  json_builder_begin_array (builder);
  for (guint i = 0; i < bench->figures->len; i++)
    {
      Figure *figure = g_ptr_array_index (bench->figures, i);
      g_autofree char *goal = figure_goal_text (figure);
      int met = figure_goal_met (figure);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, figure->id);
      json_builder_set_member_name (builder, "workload");
      json_builder_add_string_value (builder, figure->workload);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, figure->title);
      json_builder_set_member_name (builder, "unit");
      json_builder_add_string_value (builder, figure->unit);
      json_builder_set_member_name (builder, "better");
      json_builder_add_string_value (builder, figure->higher_is_better ? "higher" : "lower");
      add_double_or_null (builder, "store", median (figure->runs[SIDE_STORE]));
      add_double_or_null (builder, "raw", median (figure->runs[SIDE_RAW]));
      add_double_or_null (builder, "ratio", figure_ratio (figure));
      {
        g_autoptr(GArray) ratios = figure_ratio_runs (figure);

        json_builder_set_member_name (builder, "ratio_runs");
        json_builder_begin_array (builder);
        for (guint r = 0; r < ratios->len; r++)
          json_builder_add_double_value (builder, g_array_index (ratios, double, r));
        json_builder_end_array (builder);
      }
      for (guint s = 0; s < N_SIDES; s++)
        {
          g_autofree char *member = g_strdup_printf ("%s_runs", side_names[s]);

          json_builder_set_member_name (builder, member);
          json_builder_begin_array (builder);
          for (guint r = 0; r < figure->runs[s]->len; r++)
            json_builder_add_double_value (builder, g_array_index (figure->runs[s], double, r));
          json_builder_end_array (builder);
        }
      if (figure->planned > 0)
        {
          json_builder_set_member_name (builder, "operations");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "planned");
          json_builder_add_int_value (builder, figure->planned);
          for (guint s = 0; s < N_SIDES; s++)
            if (figure->runs[s]->len > 0)
              {
                json_builder_set_member_name (builder, side_names[s]);
                json_builder_add_int_value (builder, figure->done[s]);
              }
          json_builder_end_object (builder);
        }
      json_builder_set_member_name (builder, "goal");
      if (goal != NULL)
        json_builder_add_string_value (builder, goal);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "goal_met");
      if (met < 0)
        json_builder_add_null_value (builder);
      else
        json_builder_add_boolean_value (builder, met);
      if (g_str_equal (figure->id, "W3.http_upsert_twice") &&
          figure->runs[SIDE_STORE]->len > 0)
        {
          json_builder_set_member_name (builder, "second_upsert_wrote_nothing");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "store");
          json_builder_add_boolean_value (builder, bench->http_noop_upsert);
          json_builder_set_member_name (builder, "unchanged");
          json_builder_add_string_value (builder, bench->http_noop_state ? bench->http_noop_state
                                                                         : "");
          json_builder_end_object (builder);
        }
      if (g_str_equal (figure->id, "W3.upsert_twice"))
        {
          json_builder_set_member_name (builder, "second_upsert_wrote_nothing");
          json_builder_begin_object (builder);
          for (guint s = 0; s < N_SIDES; s++)
            {
              json_builder_set_member_name (builder, side_names[s]);
              if (figure->runs[s]->len > 0)
                json_builder_add_boolean_value (builder, bench->noop_upsert[s]);
              else
                json_builder_add_null_value (builder);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
format_value (double value)
{
  if (isnan (value))
    return g_strdup ("n/a");
  if (value >= 1000)
    return g_strdup_printf ("%.0f", value);
  if (value >= 10)
    return g_strdup_printf ("%.1f", value);
  return g_strdup_printf ("%.3f", value);
}

static void
report_table (Bench *bench)
{
  g_autofree char *cpu = machine_cpu_model ();

  g_print ("bough-bench %s: size %s (%d devices x %d interfaces, %u objects), create %d nodes, "
           "%d runs (median), seed %" G_GINT64_FORMAT "\n",
           PACKAGE_VERSION, bench->size, bench->devices, BOUGH_BENCH_INTERFACES_PER_DEVICE,
           bough_bench_dataset_get_n_objects (bench->devices_ds), bench->nodes, bench->runs,
           bench->seed);
  g_print ("machine: %s, %u cores, %.1f GiB RAM; SQLite %s; %s build\n", cpu,
           g_get_num_processors (), machine_ram_bytes () / (1024.0 * 1024 * 1024),
           sqlite3_libversion (), BOUGH_BENCH_BUILDTYPE);
  if (!g_str_equal (BOUGH_BENCH_BUILDTYPE, "release"))
    g_print ("note: not a release build (meson setup -Dbuildtype=release): figures are not "
             "representative\n");
  for (guint s = 0; s < N_SIDES; s++)
    {
      g_autofree char *text = pragmas_text (bench->pragmas[s]);

      g_print ("pragmas %-5s: %s\n", side_names[s], text);
    }
  if (bench->have_store)
    g_print ("store: driver %s, schema of %u kinds (core + base/ + location_minimal + bench)\n",
             bench->store_driver, bench->schema_kinds);
  else
    g_print ("store: not measured (%s)\n", bench->store_unavailable);
  if (bench->have_store && !g_str_equal (bench->synchronous, "FULL"))
    g_print ("note: the raw baseline runs with synchronous=%s, the store with FULL\n",
             bench->synchronous);
  g_print ("note: both sides run in this process: peak RSS includes what the process holds "
           "besides the load\n");
  if (!bench->peak_rss_resettable)
    g_print ("note: /proc/self/clear_refs is not writable: peak RSS is the process's peak\n");
  g_print ("\n%-22s %-64s %-10s %10s %10s %9s  %s\n", "workload", "", "unit", "store", "raw",
           "store/raw", "goal");
  for (guint i = 0; i < bench->figures->len; i++)
    {
      Figure *figure = g_ptr_array_index (bench->figures, i);
      g_autofree char *store = format_value (median (figure->runs[SIDE_STORE]));
      g_autofree char *raw = format_value (median (figure->runs[SIDE_RAW]));
      g_autofree char *goal = figure_goal_text (figure);
      double ratio = figure_ratio (figure);
      g_autofree char *ratio_text = isnan (ratio) ? g_strdup ("n/a")
                                                  : g_strdup_printf ("%.2fx", ratio);
      int met = figure_goal_met (figure);

      g_print ("%-22s %-64s %-10s %10s %10s %9s  %s%s\n", figure->id, figure->title,
               figure->unit, store, raw, ratio_text, goal ? goal : "",
               met == TRUE ? " (met)" : met == FALSE ? " (MISSED)" : "");
    }
  for (guint i = 0; i < bench->figures->len; i++)
    {
      Figure *figure = g_ptr_array_index (bench->figures, i);

      for (guint s = 0; s < N_SIDES; s++)
        if (figure->runs[s]->len > 0 && figure->done[s] < figure->planned)
          g_print ("note: %s %s: %u of %u operations within the %g s budget\n", figure->id,
                   side_names[s], figure->done[s], figure->planned, bench->budget);
    }
  for (guint s = 0; s < N_SIDES; s++)
    if (figure_get (bench, "W3.upsert_twice")->runs[s]->len > 0)
      g_print ("W3 %s: the second identical upsert %s%s%s\n", side_names[s],
               bench->noop_upsert[s] ? "wrote nothing (unchanged: " : "WROTE TO THE DATABASE",
               bench->noop_upsert[s] ? bench->noop_state[s] : "",
               bench->noop_upsert[s] ? ")" : "");
  if (bench->http && figure_get (bench, "W3.http_upsert_twice")->runs[SIDE_STORE]->len > 0)
    g_print ("W3 http: the second identical DcimDeviceUpsert %s%s%s\n",
             bench->http_noop_upsert ? "added no commit (unchanged: " : "ADDED A COMMIT",
             bench->http_noop_upsert ? bench->http_noop_state : "",
             bench->http_noop_upsert ? ")" : "");
  if (bench->http)
    g_print ("note: HTTP figures (\"HTTP:\") are in the store column: the client's time "
             "against bough-server on loopback; statements are counted by the server "
             "(BOUGH_BENCH_STATS=1)\n");
}

/* Main */

static gboolean
parse_options (Bench   *bench,
               int     *argc,
               char  ***argv,
               GError **error)
{
  g_autoptr(GOptionContext) context = NULL;
  GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_STRING, &bench->size,
      "Dataset size: S (1,000 devices) or L (10,000 devices)", "S|L" },
    { "devices", 0, 0, G_OPTION_ARG_INT, &bench->devices,
      "Number of devices instead of the size's (48 interfaces each)", "N" },
    { "nodes", 0, 0, G_OPTION_ARG_INT, &bench->nodes,
      "Nodes of the create workload (default 100000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &bench->runs, "Runs of each workload (default 3)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &bench->seed, "Seed of the dataset (default 42)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &bench->batch, "Objects per commit (default 1000)", "N" },
    { "schema-library", 0, 0, G_OPTION_ARG_FILENAME, &bench->schema_library,
      "The schema library (default $BOUGH_SCHEMA_LIBRARY, else the source tree's)", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &bench->json_path,
      "Also write the figures as JSON to FILE", "FILE" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &bench->workdir_option,
      "Directory for the databases (default: a new temporary directory)", "DIR" },
    { "synchronous", 0, 0, G_OPTION_ARG_STRING, &bench->synchronous,
      "PRAGMA synchronous of the raw baseline (default FULL, as the store)", "MODE" },
    { "raw-only", 0, 0, G_OPTION_ARG_NONE, &bench->raw_only,
      "Measure the raw SQLite baseline only", NULL },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &bench->keep, "Keep the databases", NULL },
    { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &bench->budget,
      "Seconds after which a repeated operation stops (default 10)", "S" },
    { "http", 0, 0, G_OPTION_ARG_NONE, &bench->http,
      "Also run the API workloads over HTTP against bough-server", NULL },
    { "http-only", 0, 0, G_OPTION_ARG_NONE, &bench->http_only,
      "Run the API workloads only (and the raw load they compare to)", NULL },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &bench->server_path,
      "The bough-server program (default: the build tree's)", "PATH" },
    { "http-batch", 0, 0, G_OPTION_ARG_INT, &bench->http_batch,
      "Upsert mutations per GraphQL document of the HTTP load (default 50)", "N" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &bench->clients,
      "Concurrent clients of the HTTP creates (default 4)", "N" },
    { NULL }
  };

  context = g_option_context_new ("- measure the Bough store against raw SQLite");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (bench->size == NULL)
    bench->size = g_strdup ("S");
  if (!g_str_equal (bench->size, "S") && !g_str_equal (bench->size, "L"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--size must be S or L, not %s", bench->size);
      return FALSE;
    }
  if (bench->devices == 0)
    bench->devices = g_str_equal (bench->size, "S") ? 1000 : 10000;
  else
    {
      g_free (bench->size);
      bench->size = g_strdup ("custom");
    }
  if (bench->nodes == 0)
    bench->nodes = 100000;
  if (bench->runs == 0)
    bench->runs = 3;
  if (bench->batch == 0)
    bench->batch = 1000;
  if (bench->synchronous == NULL)
    bench->synchronous = g_strdup ("FULL");
  if (bench->budget <= 0)
    bench->budget = 10;
  if (bench->http_only)
    bench->http = TRUE;
  if (bench->http && bench->raw_only)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--http needs the store: not with --raw-only");
      return FALSE;
    }
  if (bench->server_path == NULL)
    bench->server_path = g_strdup (BOUGH_BENCH_SERVER);
  if (bench->http_batch == 0)
    bench->http_batch = 50;
  if (bench->clients == 0)
    bench->clients = 4;
  if (bench->http_batch < 1 || bench->http_batch > 10000 || bench->clients < 1 ||
      bench->clients > 64)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--http-batch must be 1 to 10000 and --clients 1 to 64");
      return FALSE;
    }
  if (bench->devices < 1 || bench->nodes < 1 || bench->runs < 1 || bench->batch < 1 ||
      bench->devices > 1000000 || bench->nodes > 100000000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--devices, --nodes, --runs and --batch must be positive (and sane)");
      return FALSE;
    }
  if (!g_str_equal (bench->synchronous, "OFF") && !g_str_equal (bench->synchronous, "NORMAL") &&
      !g_str_equal (bench->synchronous, "FULL") && !g_str_equal (bench->synchronous, "EXTRA"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--synchronous must be OFF, NORMAL, FULL or EXTRA");
      return FALSE;
    }
  if (bench->schema_library == NULL)
    bench->schema_library = g_strdup (g_getenv ("BOUGH_SCHEMA_LIBRARY"));
  if (bench->schema_library == NULL)
    bench->schema_library = g_strdup (BOUGH_BENCH_SCHEMA_LIBRARY);
  return TRUE;
}

static gboolean
setup_store (Bench   *bench,
             GError **error)
{
  if (bench->raw_only)
    {
      bench->store_unavailable = g_strdup ("--raw-only");
      return TRUE;
    }
  bench->schema = bough_bench_store_load_schema (bench->schema_library, error);
  if (bench->schema == NULL)
    {
      g_prefix_error (error, "schema library %s: ", bench->schema_library);
      return FALSE;
    }
  bench->schema_kinds = bough_bench_store_schema_n_kinds (bench->schema);
  bench->have_store = TRUE;
  side_ops[SIDE_STORE] = &store_side;
  return TRUE;
}

static void
bench_clear (Bench *bench)
{
  g_free (bench->size);
  g_free (bench->schema_library);
  g_free (bench->json_path);
  g_free (bench->workdir_option);
  g_free (bench->synchronous);
  g_free (bench->server_path);
  g_free (bench->http_noop_state);
  g_free (bench->workdir);
  g_clear_pointer (&bench->items, bough_bench_dataset_free);
  g_clear_pointer (&bench->devices_ds, bough_bench_dataset_free);
  g_free (bench->store_unavailable);
  g_clear_pointer (&bench->schema, bough_bench_store_unref_schema);
  g_free (bench->store_driver);
  for (guint s = 0; s < N_SIDES; s++)
    {
      g_clear_pointer (&bench->pragmas[s], json_object_unref);
      g_clear_pointer (&bench->noop_state[s], g_free);
    }
  g_clear_pointer (&bench->figures, g_ptr_array_unref);
}

static gboolean
bench_run (Bench   *bench,
           GError **error)
{
  if (!setup_store (bench, error))
    return FALSE;

  bench->items = bough_bench_dataset_new_items ((guint64) bench->seed, (guint) bench->nodes);
  bench->devices_ds = bough_bench_dataset_new_devices ((guint64) bench->seed,
                                                       (guint) bench->devices);
  bench->n_list = MIN (10000, (guint) bench->nodes);
  bench->n_lookups = MIN (10000, (guint) bench->nodes);
  bench->n_device_reads = MIN (1000, (guint) bench->devices * 20);
  bench->n_updates = MIN (1000, (guint) bench->devices * 20);
  bench->figures = g_ptr_array_new_with_free_func ((GDestroyNotify) figure_free);
  define_figures (bench);

  if (bench->workdir_option != NULL)
    {
      bench->workdir = g_strdup (bench->workdir_option);
      if (g_mkdir_with_parents (bench->workdir, 0700) != 0)
        {
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s",
                       bench->workdir, g_strerror (errno));
          return FALSE;
        }
    }
  else
    {
      bench->workdir = g_dir_make_tmp ("bough-bench-XXXXXX", error);
      if (bench->workdir == NULL)
        return FALSE;
    }

  for (guint s = 0; s < N_SIDES; s++)
    bench->noop_upsert[s] = TRUE;
  bench->http_noop_upsert = TRUE;

  for (guint run = 1; run <= (guint) bench->runs; run++)
    {
      g_printerr ("run %u of %d\n", run, bench->runs);
      /* The dataset first: its peak RSS then starts from a small process. */
      for (guint s = 0; s < N_SIDES && !bench->http_only; s++)
        if (side_ops[s] != NULL && !run_dataset (bench, run, s, error))
          return FALSE;
      for (guint s = 0; s < N_SIDES && !bench->http_only; s++)
        if (side_ops[s] != NULL && !run_items (bench, run, s, error))
          return FALSE;
      if (bench->http && !run_http (bench, run, error))
        return FALSE;
      if (!bench->keep)
        {
          for (guint s = 0; s < N_SIDES; s++)
            {
              g_autofree char *items = side_dir (bench, run, s, "items");
              g_autofree char *dataset = side_dir (bench, run, s, "dataset");
              g_autofree char *http = side_dir (bench, run, s,
                                                s == SIDE_RAW ? "http-baseline" : "http");

              bough_test_remove_tree (items);
              bough_test_remove_tree (dataset);
              bough_test_remove_tree (http);
            }
        }
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0, };
  g_autoptr(GError) error = NULL;
  gboolean ok;
  int status = 0;

  /* the branch workloads have their own options and report */
  if (argc > 1 && g_str_equal (argv[1], "branch"))
    return bough_bench_branch_main (argc - 1, argv + 1);
  /* the task queue, with worker processes */
  if (argc > 1 && g_str_equal (argv[1], "tasks"))
    return bough_bench_tasks_main (argc - 1, argv + 1);
  /* the searches of the client (issue #7), in-process */
  if (argc > 1 && g_str_equal (argv[1], "search"))
    return bough_bench_search_main (argc - 1, argv + 1);

  side_ops[SIDE_RAW] = &raw_side;
  bench.seed = 42;
  if (!parse_options (&bench, &argc, &argv, &error))
    {
      g_printerr ("bough-bench: %s\n", error->message);
      bench_clear (&bench);
      return 2;
    }

  ok = bench_run (&bench, &error);
  if (bench.workdir != NULL && !bench.keep && bench.workdir_option == NULL)
    bough_test_remove_tree (bench.workdir);
  if (!ok)
    {
      g_printerr ("bough-bench: %s\n", error->message);
      bench_clear (&bench);
      return 1;
    }

  report_table (&bench);
  if (bench.json_path != NULL)
    {
      g_autoptr(JsonNode) root = report_json (&bench);
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      if (!json_generator_to_file (generator, bench.json_path, &error))
        {
          g_printerr ("bough-bench: %s: %s\n", bench.json_path, error->message);
          status = 1;
        }
    }
  for (guint s = 0; s < N_SIDES; s++)
    if (side_ops[s] != NULL && !bench.noop_upsert[s])
      status = 1;
  if (bench.http && !bench.http_noop_upsert)
    status = 1;
  bench_clear (&bench);
  return status;
}
