/* bough-bench-branch.c: the branch workloads of bough-bench (BENCHMARKS.md
 * W4, W5, W6, W9, W10), at the store level and in-process, run by
 * `bough-bench branch`: branch creation and idle branches, diff of 10 / 1k /
 * 10k changes at two database sizes, merge (with 0 and 100 resolved
 * conflicts) and rebase, reads as of 1,000 commits back, and concurrent
 * upserting writers.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bough-bench-branch.h"
#include "bough-bench-dataset.h"
#include "bough-bench-store.h"
#include "store/bough-store.h"

#define IFACE "InterfacePhysical"

typedef struct
{
  char       *name;      /* "W5 diff 1k S" */
  char       *unit;
  GArray     *values;    /* double, one per run */
  double      goal;      /* <= goal is met; 0: none */
} BFigure;

typedef struct
{
  int         runs;
  int         devices[2];
  char       *json_path;
  char       *library;
  char       *dir;
  gint64      seed;
  char       *only;      /* comma-separated workloads to run (w4,w5,w6,w9,w10) */
  char       *keep;      /* directory keeping the loaded databases between runs, or NULL */
  GPtrArray  *figures;
} BBench;

static gboolean
wanted (BBench     *b,
        const char *w)
{
  g_auto(GStrv) parts = NULL;

  if (b->only == NULL)
    return TRUE;
  parts = g_strsplit (b->only, ",", -1);
  return g_strv_contains ((const char * const *) parts, w);
}

static void
bfigure_free (BFigure *f)
{
  g_free (f->name);
  g_free (f->unit);
  g_array_unref (f->values);
  g_free (f);
}

static void
put (BBench     *b,
     const char *name,
     const char *unit,
     double      goal,
     double      value)
{
  BFigure *f = NULL;

  for (guint i = 0; i < b->figures->len && f == NULL; i++)
    if (g_str_equal (((BFigure *) g_ptr_array_index (b->figures, i))->name, name))
      f = g_ptr_array_index (b->figures, i);
  if (f == NULL)
    {
      f = g_new0 (BFigure, 1);
      f->name = g_strdup (name);
      f->unit = g_strdup (unit);
      f->goal = goal;
      f->values = g_array_new (FALSE, FALSE, sizeof (double));
      g_ptr_array_add (b->figures, f);
    }
  g_array_append_val (f->values, value);
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
med (GArray *values)
{
  g_autoptr(GArray) copy = g_array_copy (values);

  if (copy->len == 0)
    return 0;
  g_array_sort (copy, cmp_double);
  return g_array_index (copy, double, copy->len / 2);
}

static double
median_of (BBench     *b,
           const char *name)
{
  for (guint i = 0; i < b->figures->len; i++)
    {
      BFigure *f = g_ptr_array_index (b->figures, i);
      if (g_str_equal (f->name, name))
        return med (f->values);
    }
  return 0;
}

static gint64
now_us (void)
{
  return g_get_monotonic_time ();
}

static gint64
status_kb (const char *key)
{
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  p = strstr (text, key);
  return p != NULL ? g_ascii_strtoll (p + strlen (key) + 1, NULL, 10) : -1;
}

static void
peak_reset (void)
{
  /* VmHWM restarts from the current RSS */
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gint64 n = 0;

  if (g_stat (path, &st) == 0)
    n += st.st_size;
  if (g_stat (wal, &st) == 0)
    n += st.st_size;
  return n;
}

static void
die_on (GError *error,
        const char *what)
{
  if (error != NULL)
    g_error ("bough-bench branch: %s: %s", what, error->message);
}

/* ---- the database ---- */

static char *
build_db (BBench *b,
          int     devices,
          gpointer schema)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("%s/main-%d-%" G_GINT64_FORMAT ".db",
                                           b->keep != NULL ? b->keep : b->dir, devices, b->seed);
  g_autoptr(BoughBenchDataset) ds = NULL;
  g_autoptr(BoughBenchStore) store = NULL;
  gint64 t0 = now_us ();

  /* a kept database is used as it is (migrated by the store when its
   * layout is older) */
  if (b->keep != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("  kept database %s\n", path);
      return g_steal_pointer (&path);
    }
  ds = bough_bench_dataset_new_devices ((guint64) b->seed, (guint) devices);
  store = bough_bench_store_open (path, schema, &error);
  die_on (error, "open");
  if (!bough_bench_store_load (store, ds, 0, bough_bench_dataset_get_n_objects (ds), 1000, FALSE, &error))
    die_on (error, "load");
  g_printerr ("  loaded %u objects (%d devices) in %.1f s\n",
              bough_bench_dataset_get_n_objects (ds), devices, (now_us () - t0) / 1e6);
  return g_steal_pointer (&path);
}

static char *
copy_db (BBench     *b,
         const char *from,
         const char *tag)
{
  g_autofree char *data = NULL;
  gsize len;
  char *to = g_strdup_printf ("%s/%s.db", b->dir, tag);
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  if (!g_file_get_contents (from, &data, &len, NULL) || !g_file_set_contents (to, data, len, NULL))
    g_error ("copying %s", from);
  return to;
}

static GPtrArray *
interface_ids (BoughStore *store,
               guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) q = bough_query_new (IFACE);
  g_autoptr(BoughQueryResult) r = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  q->limit = n;
  q->skip_count = TRUE;
  r = bough_store_query (store, q, &error);
  die_on (error, "list interfaces");
  for (guint i = 0; i < r->nodes->len; i++)
    g_ptr_array_add (ids, g_strdup (((BoughNode *) g_ptr_array_index (r->nodes, i))->id));
  return ids;
}

/* Sets the description of ids[first..first+n) on @branch, 1,000 per commit. */
static void
describe (BoughStore *store,
          const char *branch,
          GPtrArray  *ids,
          guint       first,
          guint       n,
          const char *text)
{
  g_autoptr(GError) error = NULL;

  for (guint i = first; i < first + n; i += 1000)
    {
      g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "bench", &error);
      die_on (error, "begin");
      for (guint j = i; j < first + n && j < i + 1000; j++)
        {
          g_autoptr(JsonObject) d = json_object_new ();
          g_autoptr(JsonObject) a = json_object_new ();
          g_autoptr(BoughNode) node = NULL;
          g_autofree char *v = g_strdup_printf ("%s %u", text, j);

          json_object_set_string_member (d, "id", g_ptr_array_index (ids, j));
          json_object_set_string_member (a, "value", v);
          json_object_set_object_member (d, "description", g_steal_pointer (&a));
          node = bough_txn_update (txn, IFACE, d, &error);
          die_on (error, "update");
        }
      bough_txn_commit (txn, &error);
      die_on (error, "commit");
    }
}

/* ---- W4 ---- */

static void
w4 (BBench     *b,
    const char *db,
    const char *size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = copy_db (b, db, "w4");
  g_autoptr(BoughStore) store = bough_store_open (path, &error);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 bytes0, rss0;
  g_autofree char *n1 = g_strdup_printf ("W4 create branch (%s)", size);
  g_autofree char *n2 = g_strdup_printf ("W4 disk per idle branch (%s)", size);
  g_autofree char *n3 = g_strdup_printf ("W4 memory per idle branch (%s)", size);
  g_autofree char *n4 = g_strdup_printf ("W4 first read on a new branch (%s)", size);

  die_on (error, "open");
  bytes0 = file_size (path);
  rss0 = status_kb ("VmRSS:");
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("idle/%u", i);
      gint64 t0 = now_us ();
      double ms;

      if (!bough_store_create_branch (store, name, &error))
        die_on (error, "create branch");
      ms = (now_us () - t0) / 1000.0;
      g_array_append_val (times, ms);
    }
  put (b, n1, "ms", 5, med (times));
  put (b, n2, "bytes", 10240, (double) (file_size (path) - bytes0) / 1000);
  put (b, n3, "bytes", 10240, (double) (status_kb ("VmRSS:") - rss0) * 1024 / 1000);
  {
    g_autoptr(GPtrArray) ids = interface_ids (store, 1);
    gint64 t0 = now_us ();
    g_autoptr(BoughNode) n = bough_store_get_node (store, "idle/999", 0, IFACE,
                                                   g_ptr_array_index (ids, 0), &error);
    die_on (error, "read");
    put (b, n4, "ms", 0, (now_us () - t0) / 1000.0);
  }
  g_clear_pointer (&store, bough_store_unref);
  g_unlink (path);
}

/* ---- W5, W6 ---- */

static const guint change_counts[] = { 10, 1000, 10000 };
static const char *change_names[] = { "10", "1k", "10k" };

static void
w5_w6 (BBench     *b,
       const char *db,
       const char *size,
       gboolean    merges)
{
  g_autoptr(GError) error = NULL;

  for (guint c = 0; c < G_N_ELEMENTS (change_counts); c++)
    {
      guint n = change_counts[c];
      g_autofree char *path = copy_db (b, db, "w5");
      g_autoptr(BoughStore) store = bough_store_open (path, &error);
      g_autoptr(GPtrArray) ids = NULL;
      g_autoptr(BoughDiff) d = NULL;
      g_autofree char *name = g_strdup_printf ("W5 diff %s changes (%s)", change_names[c], size);
      gint64 t0;
      double s;

      die_on (error, "open");
      ids = interface_ids (store, n + n / 10 + 200);
      if (ids->len < n + n / 10 + 100)
        {
          g_printerr ("  %s: only %u interfaces, skipped\n", name, ids->len);
          continue;
        }
      bough_store_create_branch (store, "work", &error);
      die_on (error, "branch");
      describe (store, "work", ids, 0, n, "branch");
      /* main moves on elsewhere meanwhile */
      describe (store, NULL, ids, n, MAX (n / 10, 1), "main");

      t0 = now_us ();
      d = bough_store_diff_branch (store, "work", BOUGH_DIFF_INCLUDE_PARENTS, &error);
      die_on (error, "diff");
      s = (now_us () - t0) / 1e6;
      if (d->num_updated != n)
        g_error ("%s: %u nodes updated in the diff, not %u", name, d->num_updated, n);
      put (b, name, "s", n == 10000 ? 1 : 0, s);

      if (merges && n == 10000)
        {
          g_autofree char *mname = g_strdup_printf ("W6 merge 10k changes (%s)", size);
          g_autofree char *rss = g_strdup_printf ("W6 merge peak RSS growth (%s)", size);
          g_autofree char *rname = g_strdup_printf ("W6 rebase 10k changes (%s)", size);
          g_autofree char *sqlmem = g_strdup_printf ("W6 merge SQLite memory high-water (%s)", size);

          /* rebase first (main moved: its changes come in), then merge */
          peak_reset ();
          t0 = now_us ();
          if (!bough_store_rebase_branch (store, "work", "bench", NULL, NULL, &error))
            die_on (error, "rebase");
          put (b, rname, "s", 2, (now_us () - t0) / 1e6);
          describe (store, NULL, ids, n + n / 10, 50, "main again");
          {
            gint64 rss0 = status_kb ("VmRSS:");
            sqlite3_int64 cur = 0, hi = 0;
            sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &cur, &hi, 1);
            peak_reset ();
            t0 = now_us ();
            if (!bough_store_merge_branch (store, "work", "bench", NULL, NULL, &error))
              die_on (error, "merge");
            put (b, mname, "s", 2, (now_us () - t0) / 1e6);
            put (b, rss, "MB", 0, (status_kb ("VmHWM:") - rss0) / 1024.0);
            /* the part of it SQLite holds (page caches of every connection) */
            sqlite3_status64 (SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0);
            put (b, sqlmem, "MB", 0, hi / 1048576.0);
          }
        }
      g_clear_pointer (&store, bough_store_unref);
      g_unlink (path);
    }
}

/* W6 with 100 conflicts resolved (the branch's side) */
static void
w6_conflicts (BBench     *b,
              const char *db,
              const char *size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = copy_db (b, db, "w6");
  g_autoptr(BoughStore) store = bough_store_open (path, &error);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(BoughDiff) d = NULL;
  g_autofree char *name = g_strdup_printf ("W6 merge 10k changes, 100 conflicts resolved (%s)", size);
  gint64 t0;

  die_on (error, "open");
  ids = interface_ids (store, 10000);
  if (ids->len < 10000)
    return;
  bough_store_create_branch (store, "work", &error);
  describe (store, "work", ids, 0, 10000, "branch");
  describe (store, NULL, ids, 0, 100, "main");
  d = bough_store_diff_branch (store, "work", 0, &error);
  die_on (error, "diff");
  if (d->num_conflicts != 100)
    g_error ("%s: %u conflicts, not 100", name, d->num_conflicts);
  for (guint i = 0; i < d->conflicts->len; i++)
    if (!bough_store_resolve_conflict (store, ((BoughDiffConflict *) g_ptr_array_index (d->conflicts, i))->id,
                                       BOUGH_DIFF_SIDE_DIFF, &error))
      die_on (error, "resolve");
  t0 = now_us ();
  if (!bough_store_merge_branch (store, "work", "bench", NULL, NULL, &error))
    die_on (error, "merge");
  put (b, name, "s", 2, (now_us () - t0) / 1e6);
  g_clear_pointer (&store, bough_store_unref);
  g_unlink (path);
}

/* ---- W9 ---- */

static void
w9 (BBench     *b,
    const char *db,
    const char *size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = copy_db (b, db, "w9");
  g_autoptr(BoughStore) store = bough_store_open (path, &error);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GArray) now_t = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) past_t = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *n1 = g_strdup_printf ("W9 list 1k interfaces now (%s)", size);
  g_autofree char *n2 = g_strdup_printf ("W9 list 1k interfaces 1,000 commits back (%s)", size);
  g_autofree char *n3 = g_strdup_printf ("W9 ratio past/now (%s)", size);
  gint64 at;

  die_on (error, "open");
  ids = interface_ids (store, 1000);
  at = bough_store_now (store);
  for (guint i = 0; i < 1000; i++)
    describe (store, NULL, ids, i % ids->len, 1, "w9");
  for (guint r = 0; r < 7; r++)
    for (guint past = 0; past < 2; past++)
      {
        g_autoptr(BoughQuery) q = bough_query_new (IFACE);
        g_autoptr(BoughQueryResult) res = NULL;
        g_autoptr(GPtrArray) nodes = NULL;
        gint64 t0 = now_us ();
        double ms;

        q->limit = 1000;
        q->at = past ? at : 0;
        res = bough_store_query (store, q, &error);
        die_on (error, "list");
        nodes = g_ptr_array_ref (res->nodes);
        if (!bough_store_fetch_peers (store, NULL, q->at, nodes, "device", &error))
          die_on (error, "peers");
        ms = (now_us () - t0) / 1000.0;
        g_array_append_val (past ? past_t : now_t, ms);
      }
  put (b, n1, "ms", 0, med (now_t));
  put (b, n2, "ms", 0, med (past_t));
  put (b, n3, "ratio", 1.5, med (past_t) / med (now_t));
  g_clear_pointer (&store, bough_store_unref);
  g_unlink (path);
}

/* ---- W10 ---- */

typedef struct
{
  BoughStore *store;
  guint       seed;
  gint        done;
  gint        failed;
} W10Thread;

static gpointer
w10_thread (gpointer data)
{
  W10Thread *t = data;
  GRand *rand = g_rand_new_with_seed (t->seed);

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughTxn) txn = bough_store_begin (t->store, "w10", "bench", &error);
      g_autoptr(JsonObject) d = json_object_new ();
      g_autoptr(JsonObject) a = json_object_new ();
      g_autoptr(BoughNode) node = NULL;
      g_autofree char *tag = g_strdup_printf ("w10-tag-%u", g_rand_int_range (rand, 0, 300));
      gboolean created;

      json_object_set_string_member (a, "value", tag);
      json_object_set_object_member (d, "name", g_steal_pointer (&a));
      if (txn != NULL)
        node = bough_txn_upsert (txn, "BuiltinTag", d, &created, &error);
      if (node != NULL && bough_txn_commit (txn, &error))
        g_atomic_int_inc (&t->done);
      else
        g_atomic_int_inc (&t->failed);
    }
  g_rand_free (rand);
  return NULL;
}

static void
w10 (BBench     *b,
     const char *db,
     const char *size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = copy_db (b, db, "w10");
  g_autoptr(BoughStore) store = bough_store_open (path, &error);
  W10Thread threads[16];
  GThread *th[16];
  gint64 t0;
  gint done = 0, failed = 0;
  g_autofree char *n1 = g_strdup_printf ("W10 16 writers upserting on one branch (%s)", size);
  g_autofree char *n2 = g_strdup_printf ("W10 duplicates (%s)", size);

  die_on (error, "open");
  bough_store_create_branch (store, "w10", &error);
  die_on (error, "branch");
  t0 = now_us ();
  for (guint i = 0; i < 16; i++)
    {
      threads[i] = (W10Thread) { store, i + 1, 0, 0 };
      th[i] = g_thread_new ("w10", w10_thread, &threads[i]);
    }
  for (guint i = 0; i < 16; i++)
    {
      g_thread_join (th[i]);
      done += threads[i].done;
      failed += threads[i].failed;
    }
  put (b, n1, "upserts/s", 0, done / ((now_us () - t0) / 1e6));
  {
    g_autoptr(BoughQuery) q = bough_query_new ("BuiltinTag");
    g_autoptr(BoughQueryResult) r = NULL;
    g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
    guint dups = 0;

    q->branch = g_strdup ("w10");
    r = bough_store_query (store, q, &error);
    die_on (error, "list tags");
    for (guint i = 0; i < r->nodes->len; i++)
      {
        BoughNode *n = g_ptr_array_index (r->nodes, i);
        const BoughAttributeValue *v = bough_node_get_attribute (n, "name");
        if (v != NULL && v->type == BOUGH_VALUE_STRING && !g_hash_table_add (names, v->v.string))
          dups++;
      }
    put (b, n2, "count", 0.5, dups + failed);
  }
  g_clear_pointer (&store, bough_store_unref);
  g_unlink (path);
}

/* ---- report ---- */

static void
report (BBench *b)
{
  g_print ("\n%-58s %12s %-9s %10s %s\n", "workload", "median", "unit", "goal", "met");
  for (guint i = 0; i < b->figures->len; i++)
    {
      BFigure *f = g_ptr_array_index (b->figures, i);
      double m = med (f->values);
      char goal[32] = "";

      if (f->goal > 0)
        g_snprintf (goal, sizeof goal, "<= %g", f->goal);
      g_print ("%-58s %12.3f %-9s %10s %s\n", f->name, m, f->unit, goal,
               f->goal > 0 ? (m <= f->goal ? "yes" : "NO") : "");
    }
}

static void
write_json (BBench *b)
{
  g_autoptr(JsonBuilder) jb = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "program");
  json_builder_add_string_value (jb, "bough-bench branch");
  json_builder_set_member_name (jb, "sqlite_version");
  json_builder_add_string_value (jb, sqlite3_libversion ());
  json_builder_set_member_name (jb, "pragmas");
  json_builder_add_string_value (jb, "journal_mode=WAL synchronous=FULL cache_size=-32768");
  json_builder_set_member_name (jb, "runs");
  json_builder_add_int_value (jb, b->runs);
  json_builder_set_member_name (jb, "devices");
  json_builder_begin_array (jb);
  json_builder_add_int_value (jb, b->devices[0]);
  json_builder_add_int_value (jb, b->devices[1]);
  json_builder_end_array (jb);
  json_builder_set_member_name (jb, "figures");
  json_builder_begin_array (jb);
  for (guint i = 0; i < b->figures->len; i++)
    {
      BFigure *f = g_ptr_array_index (b->figures, i);
      json_builder_begin_object (jb);
      json_builder_set_member_name (jb, "name");
      json_builder_add_string_value (jb, f->name);
      json_builder_set_member_name (jb, "unit");
      json_builder_add_string_value (jb, f->unit);
      json_builder_set_member_name (jb, "median");
      json_builder_add_double_value (jb, med (f->values));
      json_builder_set_member_name (jb, "goal");
      if (f->goal > 0)
        json_builder_add_double_value (jb, f->goal);
      else
        json_builder_add_null_value (jb);
      json_builder_set_member_name (jb, "values");
      json_builder_begin_array (jb);
      for (guint k = 0; k < f->values->len; k++)
        json_builder_add_double_value (jb, g_array_index (f->values, double, k));
      json_builder_end_array (jb);
      json_builder_end_object (jb);
    }
  json_builder_end_array (jb);
  json_builder_end_object (jb);
  root = json_builder_get_root (jb);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  if (!json_generator_to_file (gen, b->json_path, &error))
    g_printerr ("bough-bench branch: %s: %s\n", b->json_path, error->message);
}

int
bough_bench_branch_main (int   argc,
                         char *argv[])
{
  BBench b = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  gpointer schema;
  char *dbs[2] = { NULL, NULL };
  const char *sizes[2] = { "S", "L" };
  GOptionEntry entries[] = {
    { "devices", 0, 0, G_OPTION_ARG_INT, &b.devices[0], "Devices of the small database (default 1000)", "N" },
    { "devices-large", 0, 0, G_OPTION_ARG_INT, &b.devices[1], "Devices of the large one (default 10000, 0: skip)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &b.runs, "Runs of each workload (default 3)", "N" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &b.json_path, "Also write the figures as JSON", "FILE" },
    { "schema-library", 0, 0, G_OPTION_ARG_FILENAME, &b.library, "The schema library", "DIR" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &b.only, "Workloads to run (default all)", "w4,w5,w6,w9,w10" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &b.keep, "Keep the loaded databases in DIR and reuse them", "DIR" },
    { NULL }
  };

  b.devices[1] = -1;
  b.seed = 42;
  context = g_option_context_new ("- branch workloads W4 W5 W6 W9 W10 of the Bough store");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bough-bench branch: %s\n", error->message);
      return 2;
    }
  if (b.devices[0] <= 0)
    b.devices[0] = 1000;
  if (b.devices[1] < 0)
    b.devices[1] = 10000;
  if (b.runs <= 0)
    b.runs = 3;
  if (b.library == NULL)
    b.library = g_strdup (g_getenv ("BOUGH_SCHEMA_LIBRARY"));
  if (b.library == NULL)
    b.library = g_strdup (BOUGH_BENCH_SCHEMA_LIBRARY);
  b.figures = g_ptr_array_new_with_free_func ((GDestroyNotify) bfigure_free);
  b.dir = g_dir_make_tmp ("bough-bench-branch-XXXXXX", &error);
  die_on (error, "temporary directory");
  schema = bough_bench_store_load_schema (b.library, &error);
  die_on (error, "schema library");

  for (guint s = 0; s < 2; s++)
    {
      if (b.devices[s] == 0)
        continue;
      g_printerr ("database %s: %d devices\n", sizes[s], b.devices[s]);
      dbs[s] = build_db (&b, b.devices[s], schema);
    }
  for (int run = 1; run <= b.runs; run++)
    for (guint s = 0; s < 2; s++)
      {
        if (dbs[s] == NULL)
          continue;
        g_printerr ("run %d of %d, %s\n", run, b.runs, sizes[s]);
        if (wanted (&b, "w4"))
          w4 (&b, dbs[s], sizes[s]);
        if (wanted (&b, "w5") || wanted (&b, "w6"))
          w5_w6 (&b, dbs[s], sizes[s], wanted (&b, "w6"));
        if (wanted (&b, "w6"))
          w6_conflicts (&b, dbs[s], sizes[s]);
        if (wanted (&b, "w9"))
          w9 (&b, dbs[s], sizes[s]);
        if (wanted (&b, "w10"))
          w10 (&b, dbs[s], sizes[s]);
      }
  if (dbs[0] != NULL && dbs[1] != NULL)
    for (guint c = 0; c < G_N_ELEMENTS (change_counts); c++)
      {
        g_autofree char *ns = g_strdup_printf ("W5 diff %s changes (S)", change_names[c]);
        g_autofree char *nl = g_strdup_printf ("W5 diff %s changes (L)", change_names[c]);
        g_autofree char *nr = g_strdup_printf ("W5 diff %s changes: ratio L/S", change_names[c]);
        double vs = median_of (&b, ns), vl = median_of (&b, nl);
        if (vs > 0 && vl > 0)
          put (&b, nr, "ratio", 1.2, vl / vs);
      }
  report (&b);
  if (b.json_path != NULL)
    write_json (&b);

  for (guint s = 0; s < 2; s++)
    if (dbs[s] != NULL && b.keep == NULL)
      {
        g_autofree char *wal = g_strconcat (dbs[s], "-wal", NULL);
        g_autofree char *shm = g_strconcat (dbs[s], "-shm", NULL);
        g_unlink (dbs[s]);
        g_unlink (wal);
        g_unlink (shm);
      }
  for (guint s = 0; s < 2; s++)
    g_free (dbs[s]);
  g_rmdir (b.dir);
  bough_bench_store_unref_schema (schema);
  g_ptr_array_unref (b.figures);
  g_free (b.dir);
  g_free (b.json_path);
  g_free (b.library);
  g_free (b.only);
  g_free (b.keep);
  return 0;
}
