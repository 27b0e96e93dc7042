/* test-store.c: opening, initializing and reopening the store, commit
 * stamps, branches, the schema stored per branch, durability.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store-test-common.h"
#include "store/bough-store-driver.h"
#include "store/bough-store-task.h"

static void
test_open_initialize (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bough-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sub", "bough.db", NULL);
  g_autoptr(BoughStore) store = NULL;
  g_autoptr(BoughSchema) schema = NULL;

  store = bough_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bough_store_get_driver_name (store), ==, "sqlite");
  g_assert_false (bough_store_is_initialized (store));
  g_assert_false (bough_store_branch_exists (store, BOUGH_DEFAULT_BRANCH));

  g_assert_true (bough_store_initialize (store, &error));
  g_assert_no_error (error);
  g_assert_true (bough_store_is_initialized (store));
  g_assert_true (bough_store_branch_exists (store, BOUGH_DEFAULT_BRANCH));
  /* initializing twice is harmless */
  g_assert_true (bough_store_initialize (store, &error));
  g_assert_no_error (error);

  schema = bough_store_get_schema (store, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bough_schema_lookup (schema, "LineageOwner"));
  g_clear_pointer (&store, bough_store_unref);

  /* reopened: still initialized, same schema */
  store = bough_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (bough_store_is_initialized (store));
  {
    g_autoptr(BoughSchema) again = bough_store_get_schema (store, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (bough_schema_get_hash (again), ==, bough_schema_get_hash (schema));
  }
  g_clear_pointer (&store, bough_store_unref);

  /* a directory stands for DIR/bough.db */
  {
    g_autofree char *sub = g_build_filename (dir, "sub", NULL);
    store = bough_store_open (sub, &error);
    g_assert_no_error (error);
    g_assert_true (bough_store_is_initialized (store));
    g_clear_pointer (&store, bough_store_unref);
  }

  {
    g_autofree char *sub = g_build_filename (dir, "sub", NULL);
    bough_test_remove_tree (sub);
    bough_test_remove_tree (dir);
  }
}

static void
test_newer_layout_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bough-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bough.db", NULL);
  g_autoptr(BoughStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = bough_store_open (path, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNSUPPORTED);
  g_assert_null (store);
  bough_test_remove_tree (dir);
}

static gint64
count_rows (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_layout_version (StoreFixture  *f,
                     gconstpointer  data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, BOUGH_STORE_DB_VERSION);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  /* the test schema orders sites and devices by name: their order keys */
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                   " AND name = 'nodes_order'"), ==, 1);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders WHERE kind = 'TestSite'"
                                   " AND attribute = 'name'"), ==, 1);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders WHERE kind = 'TestDevice'"
                                   " AND attribute = 'name'"), ==, 1);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders WHERE kind = 'TestTag'"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM pragma_index_info('nodes_kind')"), ==, 4);
  sqlite3_close (db);
}

/* Layouts before version 3 kept node ids as text. */
#define ID_AS_TEXT(col) \
  "lower(substr(hex(" col "), 1, 8) || '-' || substr(hex(" col "), 9, 4) || '-' ||" \
  " substr(hex(" col "), 13, 4) || '-' || substr(hex(" col "), 17, 4) || '-' ||" \
  " substr(hex(" col "), 21, 12))"
/* back from layout 9 to 8: null order keys were NULL */
#define UNDO_V9 "UPDATE nodes SET okey = NULL WHERE okey = x''; DROP INDEX nodes_created;"
/* back from layout 8 to 7: no DiffUpdate stamps */
#define UNDO_V8 UNDO_V9 "DROP TABLE diff_updates;"
/* back from layout 7 to 6: no events */
#define UNDO_V7 UNDO_V8 "DROP TABLE events;"
/* back from layout 6 to 5: no task tables */
#define UNDO_V6 UNDO_V7 "DROP TABLE tasks; DROP TABLE task_logs; DROP TABLE task_nodes;"
/* back from layout 5 to 4: no index of closed versions */
#define UNDO_V5 UNDO_V6 "DROP INDEX nodes_closed;"
/* back from layout 4 to 3: no branch records, points, conflicts or change indexes */
#define UNDO_V4 UNDO_V5 \
  "DROP TABLE branch_points; DROP TABLE conflicts;" \
  "DROP INDEX nodes_since; DROP INDEX rels_since; DROP INDEX rels_closed; DROP INDEX lookups_branch;" \
  "ALTER TABLE branches DROP COLUMN id; ALTER TABLE branches DROP COLUMN description;" \
  "ALTER TABLE branches DROP COLUMN origin; ALTER TABLE branches DROP COLUMN created_at;" \
  "ALTER TABLE branches DROP COLUMN status; ALTER TABLE branches DROP COLUMN sync_with_git;"

#define IDS_TO_TEXT \
  "UPDATE nodes SET uuid = " ID_AS_TEXT ("uuid") ";" \
  "UPDATE rels SET src = " ID_AS_TEXT ("src") ", dst = " ID_AS_TEXT ("dst") ";" \
  "UPDATE lookups SET uuid = " ID_AS_TEXT ("uuid") ";"

/* The names of the TestSites listed at @at (0: now) with @name_filter
 * (NULL: none), from @offset, up to @limit; the count in @count. */
static char *
site_names_at (BoughStore *store,
               gint64      at,
               const char *name_filter,
               gint64      offset,
               gint64      limit,
               gint64     *count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
  g_autoptr(BoughQueryResult) r = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  if (name_filter != NULL)
    {
      g_autoptr(JsonNode) v = json_node_init_string (json_node_alloc (), name_filter);
      bough_query_add_filter (q, NULL, "name", BOUGH_FILTER_VALUE, v);
    }
  q->at = at;
  q->offset = offset;
  q->limit = limit;
  r = bough_store_query (store, q, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < r->nodes->len; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? " " : "",
                            node_string (g_ptr_array_index (r->nodes, i), "name"));
  *count = r->count;
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
update_site (BoughStore *store,
             const char *id,
             const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, NULL, "tester", &error);
  g_autoptr(JsonObject) data = J (json);
  g_autoptr(BoughNode) node = NULL;

  json_object_set_string_member (data, "id", id);
  node = bough_txn_update (txn, "TestSite", data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
}

/* Checks the sites listed at @past and now after past_sites_setup(). */
static void
check_past_sites (BoughStore *store,
                  gint64      past)
{
  g_autofree char *all_then = NULL;
  g_autofree char *all_now = NULL;
  g_autofree char *page = NULL;
  g_autofree char *one = NULL;
  g_autofree char *gone = NULL;
  gint64 count = 0;

  /* as of @past: the versions open then, some closed since, in name order */
  all_then = site_names_at (store, past, NULL, 0, -1, &count);
  g_assert_cmpstr (all_then, ==, "bos1 den1 fra1 sea1");
  g_assert_cmpint (count, ==, 4);
  page = site_names_at (store, past, NULL, 1, 2, &count);
  g_assert_cmpstr (page, ==, "den1 fra1");
  g_assert_cmpint (count, ==, 4);
  one = site_names_at (store, past, "den1", 0, -1, &count);
  g_assert_cmpstr (one, ==, "den1");
  g_assert_cmpint (count, ==, 1);
  gone = site_names_at (store, past, "ams1", 0, -1, &count);
  g_assert_cmpstr (gone, ==, "");
  g_assert_cmpint (count, ==, 0);
  all_now = site_names_at (store, 0, NULL, 0, -1, &count);
  g_assert_cmpstr (all_now, ==, "ams1 bos1 chi1 sea1");
  g_assert_cmpint (count, ==, 4);
}

/* Sites bos1, den1, fra1, sea1 as of the stamp returned; then den1 renamed
 * ams1, fra1 deleted, chi1 created, bos1's description changed. */
static gint64
past_sites_setup (BoughStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bos = create_node (store, NULL, "TestSite", "{'name': {'value': 'bos1'}}");
  g_autofree char *sea = create_node (store, NULL, "TestSite", "{'name': {'value': 'sea1'}}");
  g_autofree char *fra = create_node (store, NULL, "TestSite", "{'name': {'value': 'fra1'}}");
  g_autofree char *den = create_node (store, NULL, "TestSite", "{'name': {'value': 'den1'}}");
  g_autofree char *chi = NULL;
  gint64 past;

  update_site (store, sea, "{'description': {'value': 'west'}}");
  past = bough_store_now (store);
  update_site (store, den, "{'name': {'value': 'ams1'}}");
  update_site (store, bos, "{'description': {'value': 'east'}}");
  chi = create_node (store, NULL, "TestSite", "{'name': {'value': 'chi1'}}");
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (store, NULL, "tester", &error);
    g_autoptr(JsonObject) ref = json_object_new ();

    json_object_set_string_member (ref, "id", fra);
    g_assert_true (bough_txn_delete (txn, "TestSite", ref, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
    g_assert_no_error (error);
  }
  return past;
}

/* A kind listed in its order at a past time walks the open versions and
 * those closed since (layout 5): the same nodes, order and count as the
 * versions visible then. */
static void
test_list_past (StoreFixture  *f,
                gconstpointer  data)
{
  gint64 past = past_sites_setup (f->store);

  check_past_sites (f->store, past);
}

/* The TestSites found by hfid [@name] at @at (0: now). */
static guint
sites_by_hfid (BoughStore *store,
               gint64      at,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
  g_autoptr(BoughQueryResult) r = NULL;
  g_autoptr(JsonNode) v = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (v, json_array_new ());
  json_array_add_string_element (json_node_get_array (v), name);
  bough_query_add_filter (q, NULL, NULL, BOUGH_FILTER_HFID, v);
  q->at = at;
  r = bough_store_query (store, q, &error);
  g_assert_no_error (error);
  return r->nodes->len;
}

/* A write that changes no looked-up value (hfid, unique attributes) keeps
 * the node's lookups as they are; one that does replaces them, and finds
 * by value as of each time still work. */
static void
test_lookups_kept (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  gint64 before_rename;
  gint64 n_rows;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  n_rows = count_rows (db, "SELECT count(*) FROM lookups");
  g_assert_cmpint (n_rows, >, 0);
  update_site (f->store, id, "{'description': {'value': 'south'}}");
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM lookups"), ==, n_rows);
  before_rename = bough_store_now (f->store);
  update_site (f->store, id, "{'name': {'value': 'atl2'}}");
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM lookups"), >, n_rows);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM lookups WHERE to_stamp IS NULL"), ==, n_rows);
  sqlite3_close (db);

  g_assert_cmpuint (sites_by_hfid (f->store, before_rename, "atl1"), ==, 1);
  g_assert_cmpuint (sites_by_hfid (f->store, before_rename, "atl2"), ==, 0);
  g_assert_cmpuint (sites_by_hfid (f->store, 0, "atl1"), ==, 0);
  g_assert_cmpuint (sites_by_hfid (f->store, 0, "atl2"), ==, 1);

  /* the kept lookup of the unique name still refuses a second atl2 */
  update_site (f->store, id, "{'description': {'value': 'south east'}}");
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "tester", &error);
    g_autoptr(JsonObject) d = J ("{'name': {'value': 'atl2'}}");
    g_autoptr(BoughNode) node = NULL;

    g_assert_no_error (error);
    node = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_null (node);
    g_assert_nonnull (error);
  }
}

/* A database of layout version 8 gets x'' for its null order keys, which
 * then sort last as the values read from the attributes do. */
static void
test_migrate_v8 (StoreFixture  *f,
                 gconstpointer  data)
{
  sqlite3 *db = NULL;

  g_free (create_node (f->store, NULL, "TestSite", "{'name': {'value': 'atl1'}}"));
  g_free (create_node (f->store, NULL, "TestSite", "{'name': {'value': 'jfk1'}}"));
  g_clear_pointer (&f->store, bough_store_unref);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes WHERE okey = x''"), ==, 0);
  /* as if written by layout 8 with no name */
  g_assert_cmpint (sqlite3_exec (db, UNDO_V9 "UPDATE nodes SET okey = NULL WHERE okey = 'jfk1';"
                                 "PRAGMA user_version = 8;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store_fixture_open (f);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "PRAGMA user_version"), ==, BOUGH_STORE_DB_VERSION);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes WHERE kind = 'TestSite' AND okey = x''"), ==, 1);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes WHERE kind = 'TestSite' AND okey IS NULL"
                                   " AND to_stamp IS NULL AND status = 0"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                   " AND name = 'nodes_created'"), ==, 1);
  sqlite3_close (db);
}

/* A database of layout version 7 gets the table of DiffUpdate stamps when
 * opened; its branches have none until their next DiffUpdate. */
static void
test_migrate_v7 (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughDiff) diff = NULL;
  sqlite3 *db = NULL;

  g_assert_true (bough_store_create_branch (f->store, "feature/x", &error));
  g_assert_no_error (error);
  g_free (create_node (f->store, "feature/x", "TestSite", "{'name': {'value': 'atl1'}}"));
  g_clear_pointer (&f->store, bough_store_unref);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, UNDO_V8 "PRAGMA user_version = 7;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store_fixture_open (f);
  diff = bough_store_diff_branch (f->store, "feature/x", BOUGH_DIFF_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (diff->updated_at, ==, 0);
  g_assert_cmpuint (diff->num_untracked_diff_changes, ==, 1);
  g_assert_true (bough_store_update_diff (f->store, "feature/x", &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "PRAGMA user_version"), ==, BOUGH_STORE_DB_VERSION);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM diff_updates WHERE branch = 'feature/x'"), ==, 1);
  sqlite3_close (db);
}

/* A database of layout version 5 gets the task tables when opened, keeps
 * its data, and the queue works on it. */
static void
test_migrate_v5 (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  g_autoptr(BoughTask) task = bough_task_new ("Noop", "noop");
  g_autoptr(BoughTask) claimed = NULL;
  g_autoptr(BoughNode) node = NULL;
  sqlite3 *db = NULL;

  g_clear_pointer (&f->store, bough_store_unref);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, UNDO_V6 "PRAGMA user_version = 5;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM sqlite_master WHERE name = 'tasks'"), ==, 0);
  sqlite3_close (db);

  store_fixture_open (f);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "PRAGMA user_version"), ==, BOUGH_STORE_DB_VERSION);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                   " ('tasks', 'task_logs', 'task_nodes', 'tasks_ready', 'tasks_leased')"), ==, 5);
  sqlite3_close (db);
  node = bough_store_get_node (f->store, NULL, 0, "TestSite", id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (bough_store_task_insert (f->store, task, &error));
  g_assert_no_error (error);
  claimed = bough_store_task_claim (f->store, "w1", NULL, g_get_real_time (), G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claimed);
  g_assert_cmpstr (claimed->id, ==, task->id);
}

/* A database of layout version 4 gets the index of closed versions when
 * opened, and lists the past the same. */
static void
test_migrate_v4 (StoreFixture  *f,
                 gconstpointer  data)
{
  gint64 past = past_sites_setup (f->store);
  sqlite3 *db = NULL;

  g_clear_pointer (&f->store, bough_store_unref);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, UNDO_V5 "PRAGMA user_version = 4;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM sqlite_master WHERE name = 'nodes_closed'"), ==, 0);
  sqlite3_close (db);

  store_fixture_open (f);
  check_past_sites (f->store, past);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "PRAGMA user_version"), ==, BOUGH_STORE_DB_VERSION);
  /* the closed active versions (sea1, den1, bos1 and fra1 before its
   * deletion), and only those */
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes INDEXED BY nodes_closed"
                                   " WHERE kind || '' = 'TestSite' AND branch || '' = 'main'"
                                   " AND to_stamp + 0 > 0 AND to_stamp IS NOT NULL AND status = 0"), ==, 4);
  sqlite3_close (db);
}

/* A database of layout version 3 is migrated when opened: its branches get
 * records (id, creation, status) and their data stays where it was. */
static void
test_migrate_v3 (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughBranch) record = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *id = NULL;
  sqlite3 *db = NULL;

  g_assert_true (bough_store_create_branch (f->store, "feature/x", &error));
  g_assert_no_error (error);
  id = create_node (f->store, "feature/x", "TestSite", "{'name': {'value': 'atl1'}}");
  g_clear_pointer (&f->store, bough_store_unref);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, UNDO_V4 "PRAGMA user_version = 3;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store_fixture_open (f);
  record = bough_store_get_branch (f->store, "feature/x", &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpuint (strlen (record->id), ==, 36);
  g_assert_cmpint (record->created_at, ==, record->branched_from);
  g_assert_cmpint (record->status, ==, BOUGH_BRANCH_STATUS_OPEN);
  g_assert_cmpstr (record->origin_branch, ==, "main");
  g_assert_false (record->is_default);
  all = bough_store_list_branches (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_true (((BoughBranch *) g_ptr_array_index (all, 0))->is_default);
  {
    g_autoptr(BoughNode) n = bough_store_get_node (f->store, "feature/x", 0, "TestSite", id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (node_string (n, "name"), ==, "atl1");
  }
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "PRAGMA user_version"), ==, BOUGH_STORE_DB_VERSION);
  sqlite3_close (db);
}

/* A database of layout version 1 is migrated when opened, and its data
 * stays readable. */
static void
test_migrate_v1 (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  sqlite3 *db = NULL;

  id = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  g_clear_pointer (&f->store, bough_store_unref);

  /* back to version 1's layout */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, UNDO_V4
                                     "DROP INDEX nodes_kind;"
                                     "CREATE INDEX nodes_kind ON nodes (kind, branch, to_stamp);"
                                     "DROP INDEX nodes_order;"
                                     "ALTER TABLE nodes DROP COLUMN okey;"
                                     "DROP TABLE orders;"
                                     IDS_TO_TEXT
                                     "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM pragma_index_info('nodes_kind')"), ==, 3);
  sqlite3_close (db);

  store_fixture_open (f);
  {
    g_autoptr(BoughNode) n = bough_store_get_node (f->store, NULL, 0, "TestSite", id, &error);
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(BoughQueryResult) r = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (node_string (n, "name"), ==, "atl1");
    q->count_only = TRUE;
    r = bough_store_query (f->store, q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 1);
  }
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "PRAGMA user_version"), ==, BOUGH_STORE_DB_VERSION);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM pragma_index_info('nodes_kind')"), ==, 4);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes WHERE typeof(uuid) != 'blob'"), ==, 0);
  /* no order key is trusted before the schema is set again */
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders"), ==, 0);
  sqlite3_close (db);

  /* then the keys of the existing versions are filled */
  {
    g_autoptr(BoughSchema) schema = bough_store_get_schema (f->store, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_true (bough_store_set_schema (f->store, NULL, schema, "admin", &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM orders"), >, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes WHERE kind = 'TestSite'"
                                   " AND okey = 'atl1' AND to_stamp IS NULL"), ==, 1);
  sqlite3_close (db);
}

/* A database of layout version 2 (text ids) is migrated when opened: its
 * ids become blobs, and nodes, links and lookups are still found by id. */
static void
test_migrate_v2 (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site = NULL;
  g_autofree char *device = NULL;
  sqlite3 *db = NULL;

  site = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'atl1'}}");
  {
    g_autofree char *json = g_strdup_printf ("{'name': {'value': 'edge1'}, 'site': {'id': '%s'}}", site);
    device = create_node (f->store, NULL, "TestDevice", json);
  }
  g_clear_pointer (&f->store, bough_store_unref);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes WHERE typeof(uuid) = 'blob'"), >=, 2);
  g_assert_cmpint (sqlite3_exec (db, UNDO_V4 IDS_TO_TEXT "PRAGMA user_version = 2;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes WHERE typeof(uuid) = 'blob'"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM rels WHERE typeof(src) = 'text'"), >=, 1);
  sqlite3_close (db);

  store_fixture_open (f);
  {
    g_autoptr(BoughNode) n = bough_store_get_node (f->store, NULL, 0, "TestDevice", device, &error);
    g_autoptr(BoughQuery) q = bough_query_new ("TestDevice");
    g_autoptr(BoughQueryResult) r = NULL;
    g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
    const BoughRelationshipValue *rel;
    const char *hfid[] = { "edge1", NULL };
    g_autoptr(BoughNode) by_hfid = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (n);
    g_assert_cmpstr (n->id, ==, device);
    g_assert_cmpstr (node_string (n, "name"), ==, "edge1");

    /* the link, from its device end */
    g_ptr_array_add (nodes, n);
    g_assert_true (bough_store_fetch_peers (f->store, NULL, 0, nodes, "site", &error));
    g_assert_no_error (error);
    rel = bough_node_get_relationship (n, "site");
    g_assert_nonnull (rel);
    g_assert_cmpuint (rel->n_peers, ==, 1);
    g_assert_cmpstr (rel->peers[0].id, ==, site);

    /* the lookups */
    by_hfid = bough_store_get_node_by_hfid (f->store, NULL, 0, "TestDevice", hfid, &error);
    g_assert_no_error (error);
    g_assert_nonnull (by_hfid);
    g_assert_cmpstr (by_hfid->id, ==, device);

    /* a filter on the link's far end */
    {
      g_autofree char *ids = g_strdup_printf ("['%s']", site);
      g_autoptr(JsonNode) value = JN (ids);
      bough_query_add_filter (q, "site", NULL, BOUGH_FILTER_IDS, value);
    }
    r = bough_store_query (f->store, q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 1);
    g_assert_cmpuint (r->nodes->len, ==, 1);
    g_assert_cmpstr (((BoughNode *) g_ptr_array_index (r->nodes, 0))->id, ==, device);
  }
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (count_rows (db, "PRAGMA user_version"), ==, BOUGH_STORE_DB_VERSION);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM nodes WHERE typeof(uuid) != 'blob'"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM rels WHERE typeof(src) != 'blob'"
                                   " OR typeof(dst) != 'blob'"), ==, 0);
  g_assert_cmpint (count_rows (db, "SELECT count(*) FROM lookups WHERE typeof(uuid) != 'blob'"), ==, 0);
  sqlite3_close (db);
}

static void
test_stamps (StoreFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 before = bough_store_now (f->store);
  gint64 s1, s2;

  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "a", &error);
    g_autoptr(JsonObject) d = J ("{'name': {'value': 'one'}}");
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_no_error (error);
    s1 = bough_txn_get_stamp (txn);
    g_assert_true (bough_txn_commit (txn, &error));
    g_assert_cmpint (n->created_at, ==, s1);
  }
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "a", &error);
    g_autoptr(JsonObject) d = J ("{'name': {'value': 'two'}}");
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_no_error (error);
    s2 = bough_txn_get_stamp (txn);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  g_assert_cmpint (s1, >, 0);
  g_assert_cmpint (s2, >, s1);
  g_assert_cmpint (bough_store_now (f->store), >=, s2);
  g_assert_cmpint (before, <=, s2);
}

static void
test_clock_steps_back (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 future = g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC;
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  /* a commit recorded an hour ahead: as if the wall clock went back since */
  g_clear_pointer (&f->store, bough_store_unref);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO commits (stamp, branch, account, summary)"
                         " VALUES (%" G_GINT64_FORMAT ", 'main', NULL, 'future')", future);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store_fixture_open (f);

  g_assert_cmpint (bough_store_now (f->store), >=, future);
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "a", &error);
    g_autoptr(JsonObject) d = J ("{'name': {'value': 'later'}}");
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_no_error (error);
    g_assert_cmpint (bough_txn_get_stamp (txn), >, future);
    g_assert_true (bough_txn_commit (txn, &error));
  }
}

static void
test_iso8601 (void)
{
  g_autoptr(GError) error = NULL;
  gint64 stamp = bough_store_stamp_from_iso8601 ("2024-05-01T10:20:30.123456Z", &error);
  g_autofree char *text = NULL;
  gint64 rel;

  g_assert_no_error (error);
  g_assert_cmpint (stamp, ==, G_GINT64_CONSTANT (1714558830123456));
  text = bough_store_stamp_to_iso8601 (stamp);
  g_assert_cmpstr (text, ==, "2024-05-01T10:20:30.123456Z");

  rel = bough_store_stamp_from_iso8601 ("10m", &error);
  g_assert_no_error (error);
  g_assert_cmpint (rel, <=, g_get_real_time () - 600 * G_USEC_PER_SEC + G_USEC_PER_SEC);
  g_assert_cmpint (rel, >, g_get_real_time () - 700 * G_USEC_PER_SEC);

  g_assert_cmpint (bough_store_stamp_from_iso8601 ("yesterday", &error), ==, 0);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
}

static void
test_branches (StoreFixture  *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bough_store_branch_exists (f->store, "feature/x"));
  g_assert_true (bough_store_create_branch (f->store, "feature/x", &error));
  g_assert_no_error (error);
  g_assert_true (bough_store_branch_exists (f->store, "feature/x"));

  g_assert_false (bough_store_create_branch (f->store, "feature/x", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);

  for (guint i = 0; i < 4; i++)
    {
      const char *bad[] = { "-global-", "a~b", "with space", "x..y" };
      g_assert_false (bough_store_create_branch (f->store, bad[i], &error));
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
      g_clear_error (&error);
    }

  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, "nope", NULL, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_assert_null (txn);
  }

  /* reopened: the branch is still there */
  g_clear_pointer (&f->store, bough_store_unref);
  store_fixture_open (f);
  g_assert_true (bough_store_branch_exists (f->store, "feature/x"));
}

static void
test_schema_per_branch (StoreFixture  *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) main_schema = bough_store_get_schema (f->store, NULL, 0, &error);
  g_autoptr(BoughSchema) extended = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  gint64 before_change;

  g_assert_no_error (error);
  g_assert_nonnull (bough_schema_lookup (main_schema, "TestDevice"));
  g_assert_true (bough_store_create_branch (f->store, "schema-change", &error));
  g_assert_no_error (error);

  /* the branch sees main's schema until it gets its own */
  {
    g_autoptr(BoughSchema) s = bough_store_get_schema (f->store, "schema-change", 0, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (bough_schema_get_hash (s), ==, bough_schema_get_hash (main_schema));
  }

  builder = bough_schema_builder_new (main_schema);
  g_assert_true (bough_schema_builder_add_data (builder,
      "nodes:\n"
      "  - name: Rack\n"
      "    namespace: Test\n"
      "    attributes:\n"
      "      - name: name\n"
      "        kind: Text\n", -1, "rack", &error));
  g_assert_no_error (error);
  extended = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);

  before_change = bough_store_now (f->store);
  g_assert_true (bough_store_set_schema (f->store, "schema-change", extended, "admin", &error));
  g_assert_no_error (error);

  {
    g_autoptr(BoughSchema) b = bough_store_get_schema (f->store, "schema-change", 0, &error);
    g_autoptr(BoughSchema) m = NULL;
    g_autoptr(BoughSchema) old = NULL;
    g_assert_no_error (error);
    m = bough_store_get_schema (f->store, NULL, 0, &error);
    g_assert_no_error (error);
    old = bough_store_get_schema (f->store, "schema-change", before_change, &error);
    g_assert_no_error (error);
    g_assert_nonnull (bough_schema_lookup (b, "TestRack"));
    g_assert_null (bough_schema_lookup (m, "TestRack"));
    g_assert_null (bough_schema_lookup (old, "TestRack"));
  }

  /* and after reopening (no cache) */
  g_clear_pointer (&f->store, bough_store_unref);
  store_fixture_open (f);
  {
    g_autoptr(BoughSchema) b = bough_store_get_schema (f->store, "schema-change", 0, &error);
    g_autoptr(BoughSchema) m = NULL;
    g_assert_no_error (error);
    m = bough_store_get_schema (f->store, NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_nonnull (bough_schema_lookup (b, "TestRack"));
    g_assert_null (bough_schema_lookup (m, "TestRack"));
  }

  /* writing a kind the branch does not know fails */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, NULL, &error);
    g_autoptr(JsonObject) d = J ("{'name': {'value': 'r1'}}");
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestRack", d, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_assert_null (n);
    g_clear_error (&error);
  }

  {
    g_autoptr(BoughSchema) s = bough_store_get_schema (f->store, "missing", 0, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_assert_null (s);
  }
}

static void
test_durability (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'kept'}}");
  g_autofree char *lost = NULL;

  /* an uncommitted transaction leaves nothing */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "a", &error);
    g_autoptr(JsonObject) d = J ("{'name': {'value': 'lost'}}");
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", d, &error);
    g_assert_no_error (error);
    lost = g_strdup (n->id);
    /* freed without commit */
  }

  g_clear_pointer (&f->store, bough_store_unref);
  store_fixture_open (f);
  {
    g_autoptr(BoughNode) n = bough_store_get_node (f->store, NULL, 0, "TestSite", kept, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (node_string (n, "name"), ==, "kept");
  }
  {
    g_autoptr(BoughNode) n = bough_store_get_node (f->store, NULL, 0, "TestSite", lost, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
    g_assert_null (n);
  }
}

typedef struct
{
  BoughStore *store;
  const char *id;
  guint       ok;
} ReaderData;

static gpointer
reader_thread (gpointer user_data)
{
  ReaderData *rd = user_data;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughNode) n = bough_store_get_node (rd->store, NULL, 0, "TestSite", rd->id, &error);
      if (n != NULL && g_strcmp0 (node_string (n, "name"), "shared") == 0)
        g_atomic_int_inc (&rd->ok);
    }
  return NULL;
}

static void
test_threaded_reads (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autofree char *id = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'shared'}}");
  ReaderData rd = { f->store, id, 0 };
  GThread *threads[6];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("reader", reader_thread, &rd);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (rd.ok, ==, 50 * G_N_ELEMENTS (threads));
}

/* The other thread of /store/thread-statements: its count starts at zero
 * and grows with its own reads only. */
static gpointer
counting_reader_thread (gpointer user_data)
{
  ReaderData *rd = user_data;
  guint64 before = bough_store_get_thread_statements ();
  g_autoptr(BoughNode) n = bough_store_get_node (rd->store, NULL, 0, "TestSite", rd->id, NULL);

  g_assert_cmpuint (before, ==, 0);
  g_assert_nonnull (n);
  g_assert_cmpuint (bough_store_get_thread_statements (), >, 0);
  return GSIZE_TO_POINTER ((gsize) bough_store_get_thread_statements ());
}

static void
test_thread_statements (StoreFixture  *f,
                        gconstpointer  data)
{
  guint64 start = bough_store_get_thread_statements ();
  g_autofree char *id = create_node (f->store, NULL, "TestSite", "{'name': {'value': 'counted'}}");
  guint64 created = bough_store_get_thread_statements ();
  ReaderData rd = { f->store, id, 0 };
  g_autoptr(BoughNode) n = NULL;
  GThread *thread;
  gsize other;

  /* at least BEGIN, an insert and COMMIT */
  g_assert_cmpuint (created - start, >=, 3);
  thread = g_thread_new ("counting-reader", counting_reader_thread, &rd);
  other = GPOINTER_TO_SIZE (g_thread_join (thread));
  g_assert_cmpuint (other, >, 0);
  g_assert_cmpuint (bough_store_get_thread_statements (), ==, created);

  n = bough_store_get_node (f->store, NULL, 0, "TestSite", id, NULL);
  g_assert_nonnull (n);
  g_assert_cmpuint (bough_store_get_thread_statements (), >, created);
}

static char *self_path;

/* The child of /store/killed-after-commit: commits one node, then dies by
 * SIGKILL without closing anything. */
static int
child_write_and_die (const char *path)
{
  g_autoptr(GError) error = NULL;
  BoughStore *store = bough_store_open (path, &error);
  BoughTxn *txn;
  JsonObject *d = J ("{'name': {'value': 'survivor'}}");
  BoughNode *n;

  if (store == NULL)
    return 2;
  txn = bough_store_begin (store, NULL, "child", &error);
  n = txn ? bough_txn_create (txn, "TestSite", d, &error) : NULL;
  if (n == NULL || !bough_txn_commit (txn, &error))
    return 3;
  /* an uncommitted write right after, lost with the process */
  txn = bough_store_begin (store, NULL, "child", &error);
  json_object_unref (d);
  d = J ("{'name': {'value': 'in-flight'}}");
  if (txn == NULL || bough_txn_create (txn, "TestSite", d, &error) == NULL)
    return 4;
  kill (getpid (), SIGKILL);
  return 5;
}

static void
test_killed_after_commit (StoreFixture  *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { self_path, "--child-write", f->path, NULL };
  gint status = 0;

  g_clear_pointer (&f->store, bough_store_unref);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  store_fixture_open (f);
  {
    g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
    g_autoptr(BoughQueryResult) r = bough_store_query (f->store, q, &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->count, ==, 1);
    g_assert_cmpstr (node_string (g_ptr_array_index (r->nodes, 0), "name"), ==, "survivor");
  }
}

typedef struct
{
  BoughStore *store;
  guint       index;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *wd = user_data;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughTxn) txn = bough_store_begin (wd->store, NULL, "w", &error);
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 'w%u-%u'}}", wd->index, i);
      g_autoptr(JsonObject) d = J (json);
      gboolean created = FALSE;
      g_autoptr(BoughNode) n = NULL;

      g_assert_no_error (error);
      n = bough_txn_upsert (txn, "TestSite", d, &created, &error);
      g_assert_no_error (error);
      g_assert_true (created);
      g_assert_true (bough_txn_commit (txn, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_threaded_writes (StoreFixture  *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WriterData wd[4];
  GThread *threads[4];
  g_autoptr(BoughQuery) q = bough_query_new ("TestSite");
  g_autoptr(BoughQueryResult) r = NULL;

  for (guint i = 0; i < 4; i++)
    {
      wd[i].store = f->store;
      wd[i].index = i;
      threads[i] = g_thread_new ("writer", writer_thread, &wd[i]);
    }
  for (guint i = 0; i < 4; i++)
    g_thread_join (threads[i]);
  q->count_only = TRUE;
  r = bough_store_query (f->store, q, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->count, ==, 80);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--child-write"))
    return child_write_and_die (argv[2]);
  self_path = g_canonicalize_filename (argv[0], NULL);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/open-initialize", test_open_initialize);
  g_test_add_func ("/store/newer-layout-refused", test_newer_layout_refused);
  g_test_add_func ("/store/iso8601", test_iso8601);
  g_test_add ("/store/layout-version", StoreFixture, NULL,
              store_fixture_setup, test_layout_version, store_fixture_teardown);
  g_test_add ("/store/migrate-v1", StoreFixture, NULL,
              store_fixture_setup, test_migrate_v1, store_fixture_teardown);
  g_test_add ("/store/list-past", StoreFixture, NULL,
              store_fixture_setup, test_list_past, store_fixture_teardown);
  g_test_add ("/store/lookups-kept", StoreFixture, NULL,
              store_fixture_setup, test_lookups_kept, store_fixture_teardown);
  g_test_add ("/store/migrate-v8", StoreFixture, NULL,
              store_fixture_setup, test_migrate_v8, store_fixture_teardown);
  g_test_add ("/store/migrate-v7", StoreFixture, NULL,
              store_fixture_setup, test_migrate_v7, store_fixture_teardown);
  g_test_add ("/store/migrate-v5", StoreFixture, NULL,
              store_fixture_setup, test_migrate_v5, store_fixture_teardown);
  g_test_add ("/store/migrate-v4", StoreFixture, NULL,
              store_fixture_setup, test_migrate_v4, store_fixture_teardown);
  g_test_add ("/store/migrate-v3", StoreFixture, NULL,
              store_fixture_setup, test_migrate_v3, store_fixture_teardown);
  g_test_add ("/store/migrate-v2", StoreFixture, NULL,
              store_fixture_setup, test_migrate_v2, store_fixture_teardown);
  g_test_add ("/store/stamps", StoreFixture, NULL,
              store_fixture_setup, test_stamps, store_fixture_teardown);
  g_test_add ("/store/clock-steps-back", StoreFixture, NULL,
              store_fixture_setup, test_clock_steps_back, store_fixture_teardown);
  g_test_add ("/store/branches", StoreFixture, NULL,
              store_fixture_setup, test_branches, store_fixture_teardown);
  g_test_add ("/store/schema-per-branch", StoreFixture, NULL,
              store_fixture_setup, test_schema_per_branch, store_fixture_teardown);
  g_test_add ("/store/durability", StoreFixture, NULL,
              store_fixture_setup, test_durability, store_fixture_teardown);
  g_test_add ("/store/killed-after-commit", StoreFixture, NULL,
              store_fixture_setup, test_killed_after_commit, store_fixture_teardown);
  g_test_add ("/store/threaded-writes", StoreFixture, NULL,
              store_fixture_setup, test_threaded_writes, store_fixture_teardown);
  g_test_add ("/store/threaded-reads", StoreFixture, NULL,
              store_fixture_setup, test_threaded_reads, store_fixture_teardown);
  g_test_add ("/store/thread-statements", StoreFixture, NULL,
              store_fixture_setup, test_thread_statements, store_fixture_teardown);

  return g_test_run ();
}
