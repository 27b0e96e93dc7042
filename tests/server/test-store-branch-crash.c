/* test-store-branch-crash.c: RELIABILITY 1 and 2 for branches: a child
 * process merges, rebases or deletes a large branch and is killed with
 * SIGKILL at random moments (seeded); after each kill the database passes
 * PRAGMA integrity_check, opens without any recovery step, and holds exactly
 * the state before the operation or the state after it (compared through a
 * canonical hash), with a branch record that agrees.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store-test-common.h"

#define N_DEVICES 1500
#define N_SITES   200
#define N_KILLS   12

typedef struct
{
  char  *dir;
  char  *template_path;
  char  *pre;        /* canonical state before */
  char  *post;       /* after */
  gint64 run_us;     /* duration of one whole run of the child */
} CrashFixture;

/* ---- the child ---- */

static int
child_main (const char *op,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughStore) store = bough_store_open (path, &error);
  gboolean ok = FALSE;

  if (store == NULL)
    g_error ("child: %s", error->message);
  if (g_str_equal (op, "merge"))
    ok = bough_store_merge_branch (store, "big", "crash", NULL, NULL, &error);
  else if (g_str_equal (op, "rebase"))
    ok = bough_store_rebase_branch (store, "big", "crash", NULL, NULL, &error);
  else if (g_str_equal (op, "delete"))
    ok = bough_store_delete_branch (store, "big", "crash", NULL, NULL, &error);
  if (!ok)
    g_error ("child %s: %s", op, error ? error->message : "unknown operation");
  return 0;
}

/* ---- canonical states ---- */

/* The attributes text without the stamps a run chooses. */
static void
append_attrs (GString    *out,
              const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *clean = NULL;
  JsonObject *attrs;
  g_autoptr(GList) names = NULL;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    {
      g_string_append (out, text ? text : "-");
      return;
    }
  attrs = json_node_get_object (json_parser_get_root (parser));
  names = json_object_get_members (attrs);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *m = json_object_get_member (attrs, l->data);
      if (JSON_NODE_HOLDS_OBJECT (m))
        json_object_remove_member (json_node_get_object (m), "updated_at");
    }
  json_generator_set_root (gen, json_parser_get_root (parser));
  clean = json_generator_to_data (gen, NULL);
  g_string_append (out, clean);
}

static void
dump (sqlite3    *db,
      const char *sql,
      const char *branch,
      int         attrs_col,
      GString    *out)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, branch, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *t = (const char *) sqlite3_column_text (stmt, c);
          if (c == attrs_col)
            append_attrs (out, t);
          else
            g_string_append (out, t ? t : "-");
          g_string_append_c (out, '|');
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* A hash of what the branch @branch holds (open versions, links, lookups). */
static char *
canonical (sqlite3    *db,
           const char *branch)
{
  g_autoptr(GString) out = g_string_new (NULL);

  dump (db, "SELECT hex(uuid), kind, status, attrs, hfid, label FROM nodes"
            " WHERE branch = ? AND to_stamp IS NULL ORDER BY uuid, status", branch, 3, out);
  dump (db, "SELECT identifier, hex(src), hex(dst), status, props FROM rels"
            " WHERE branch = ? AND to_stamp IS NULL ORDER BY identifier, src, dst, status", branch, -1, out);
  dump (db, "SELECT kind, key, value, hex(uuid) FROM lookups"
            " WHERE branch = ? AND to_stamp IS NULL ORDER BY kind, key, value, uuid", branch, -1, out);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, out->str, out->len);
}

static gint64
int_of (sqlite3    *db,
        const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static char *
text_of (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *s = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    s = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return s;
}

/* The state an operation is judged on: main for a merge, the branch for a
 * rebase, the branch's rows for a delete. */
static char *
state_of (const char *path,
          const char *op)
{
  sqlite3 *db = NULL;
  char *state;
  g_autofree char *check = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  check = text_of (db, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
  if (g_str_equal (op, "merge"))
    {
      g_autofree char *main_state = canonical (db, "main");
      gint64 status = int_of (db, "SELECT status FROM branches WHERE name = 'big'");
      state = g_strdup_printf ("%s/%" G_GINT64_FORMAT, main_state, status);
    }
  else if (g_str_equal (op, "rebase"))
    {
      g_autofree char *branch_state = canonical (db, "big");
      gint64 points = int_of (db, "SELECT count(*) FROM branch_points WHERE branch = 'big'");
      state = g_strdup_printf ("%s/%" G_GINT64_FORMAT, branch_state, points);
    }
  else
    state = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                             int_of (db, "SELECT count(*) FROM nodes WHERE branch = 'big'"),
                             int_of (db, "SELECT count(*) FROM rels WHERE branch = 'big'"),
                             int_of (db, "SELECT count(*) FROM lookups WHERE branch = 'big'"),
                             int_of (db, "SELECT count(*) FROM branches WHERE name = 'big'"));
  sqlite3_close (db);
  return state;
}

/* ---- the database ---- */

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_assert_true (g_file_get_contents (from, &data, &len, &error));
  g_assert_true (g_file_set_contents (to, data, len, &error));
  g_assert_no_error (error);
}

static void
build_template (CrashFixture *f)
{
  StoreFixture sf = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sites = g_ptr_array_new_with_free_func (g_free);

  store_fixture_setup (&sf, NULL);
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (sf.store, NULL, "setup", &error);
    for (guint i = 0; i < N_SITES; i++)
      {
        g_autofree char *json = g_strdup_printf ("{'name': {'value': 'site%u'}}", i);
        g_autoptr(JsonObject) d = J (json);
        g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", d, &error);
        g_assert_no_error (error);
        g_ptr_array_add (sites, g_strdup (n->id));
      }
    g_assert_true (bough_txn_commit (txn, &error));
  }
  g_assert_true (bough_store_create_branch (sf.store, "big", &error));
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (sf.store, "big", "setup", &error);
    for (guint i = 0; i < N_DEVICES; i++)
      {
        g_autofree char *json = g_strdup_printf ("{'name': {'value': 'dev%u'}, 'site': {'id': '%s'}}", i,
                                                 (char *) g_ptr_array_index (sites, i % N_SITES));
        g_autoptr(JsonObject) d = J (json);
        g_autoptr(BoughNode) n = bough_txn_create (txn, "TestDevice", d, &error);
        g_assert_no_error (error);
      }
    /* the branch and main both change some sites, other attributes */
    for (guint i = 0; i < N_SITES; i += 2)
      {
        g_autofree char *json = g_strdup_printf ("{'id': '%s', 'region': {'value': 'branch%u'}}",
                                                 (char *) g_ptr_array_index (sites, i), i);
        g_autoptr(JsonObject) d = J (json);
        g_autoptr(BoughNode) n = bough_txn_update (txn, "TestSite", d, &error);
        g_assert_no_error (error);
      }
    g_assert_true (bough_txn_commit (txn, &error));
  }
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (sf.store, NULL, "setup", &error);
    for (guint i = 0; i < N_SITES; i += 4)
      {
        g_autofree char *json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'main%u'}}",
                                                 (char *) g_ptr_array_index (sites, i), i);
        g_autoptr(JsonObject) d = J (json);
        g_autoptr(BoughNode) n = bough_txn_update (txn, "TestSite", d, &error);
        g_assert_no_error (error);
      }
    g_assert_true (bough_txn_commit (txn, &error));
  }
  /* closing the last connection checkpoints the WAL into the file */
  g_clear_pointer (&sf.store, bough_store_unref);
  f->dir = g_steal_pointer (&sf.dir);
  f->template_path = g_build_filename (f->dir, "template.db", NULL);
  g_assert_cmpint (g_rename (sf.path, f->template_path), ==, 0);
  g_free (sf.path);
}

static GPid
spawn_child (const char *op,
             const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  const char *argv[] = { self, "--child", op, path, NULL };
  GPid pid;

  g_assert_no_error (error);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static int
wait_child (GPid pid)
{
  int status = 0;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return status;
}

static void
run_op (gconstpointer data)
{
  const char *op = data;
  CrashFixture f = { 0 };
  g_autofree char *work = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260426);
  guint n_pre = 0, n_post = 0;
  gint64 start;

  build_template (&f);
  work = g_build_filename (f.dir, "bough.db", NULL);
  f.pre = state_of (f.template_path, op);

  /* the whole run, for the state after and its duration */
  copy_file (f.template_path, work);
  start = g_get_monotonic_time ();
  g_assert_cmpint (wait_child (spawn_child (op, work)), ==, 0);
  f.run_us = g_get_monotonic_time () - start;
  f.post = state_of (work, op);
  g_assert_cmpstr (f.pre, !=, f.post);
  g_test_message ("%s: a whole run takes %" G_GINT64_FORMAT " ms", op, f.run_us / 1000);

  for (guint i = 0; i < N_KILLS; i++)
    {
      gint64 delay = g_rand_int_range (rand, 0, (gint32) MAX (f.run_us * 11 / 10, 2));
      g_autofree char *state = NULL;
      GPid pid;

      copy_file (f.template_path, work);
      pid = spawn_child (op, work);
      g_usleep (delay);
      kill (pid, SIGKILL);
      wait_child (pid);

      state = state_of (work, op);
      if (g_strcmp0 (state, f.pre) == 0)
        n_pre++;
      else if (g_strcmp0 (state, f.post) == 0)
        n_post++;
      else
        g_error ("%s killed after %" G_GINT64_FORMAT " µs: neither the state before nor after", op, delay);

      /* the store opens as it is, with no recovery step, and agrees */
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(BoughStore) store = bough_store_open (work, &error);
        g_autoptr(BoughBranch) b = NULL;

        g_assert_no_error (error);
        b = bough_store_get_branch (store, "big", &error);
        if (g_str_equal (op, "delete") && g_strcmp0 (state, f.post) == 0)
          g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
        else
          {
            g_assert_no_error (error);
            if (g_str_equal (op, "merge"))
              g_assert_cmpint (b->status, ==, g_strcmp0 (state, f.post) == 0 ? BOUGH_BRANCH_STATUS_MERGED
                                                                            : BOUGH_BRANCH_STATUS_OPEN);
          }
      }
    }
  g_test_message ("%s: %u kills left the state before, %u the state after", op, n_pre, n_post);
  g_assert_cmpuint (n_pre + n_post, ==, N_KILLS);

  bough_test_remove_tree (f.dir);
  g_free (f.dir);
  g_free (f.template_path);
  g_free (f.pre);
  g_free (f.post);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return child_main (argv[2], argv[3]);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_data_func ("/store-branch-crash/merge", "merge", run_op);
  g_test_add_data_func ("/store-branch-crash/rebase", "rebase", run_op);
  g_test_add_data_func ("/store-branch-crash/delete", "delete", run_op);
  return g_test_run ();
}
