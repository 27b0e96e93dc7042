/* bough-store-sqlite.c: the SQLite driver of the store. Owns the database
 * layout (tables, indexes, user_version migrations), the connections (one
 * writer, a pool of readers usable from any thread), the prepared statement
 * caches and every SQL statement.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <sqlite3.h>

#include "bough-error.h"
#include "bough-store-driver.h"
#include "bough-store-json.h"

#define MAX_READERS      4
#define MAX_CACHED_STMTS 256
#define BUSY_TIMEOUT_MS  10000

/* The states a worker may take a task from (layout 6). */
#define TASK_READY "state IN ('PENDING', 'SCHEDULED')"

struct _BoughDriverConn
{
  sqlite3    *db;
  BoughDriverDb *owner;
  gboolean    has_commits;  /* the commits table exists (checked once) */
  GHashTable *stmts;   /* SQL text → sqlite3_stmt*; statements stay prepared */
  /* address of a constant SQL text → its statement in stmts: the statements
   * run once per row written are found without hashing their whole text */
  GHashTable *fixed;
};

struct _BoughDriverDb
{
  char            *path;
  BoughDriverConn *writer;
  /* A flag rather than a held mutex, so that a transaction may begin on one
   * thread and finish on another. */
  GMutex           writer_lock;
  GCond            writer_cond;
  gboolean         writer_busy;
  GMutex           pool_lock;
  GCond            pool_cond;
  GPtrArray       *idle_readers;
  guint            n_readers;
  /* Commits of other processes (see foreign_serial in the driver
   * interface): the newest commit stamp this process knows, the stamp of
   * its commit in flight, and how often a newer one was seen. */
  GMutex           stamp_lock;
  gint64           known_stamp;
  gint64           pending_stamp;
  guint64          foreign_serial;
};

/* Bound values of a statement being built. */
typedef enum
{
  BIND_NULL,
  BIND_INT,
  BIND_DOUBLE,
  BIND_TEXT,
  BIND_TEXT_REF,   /* borrowed: outlives the statement's run, not freed */
  BIND_UUID,
} BindType;

typedef struct
{
  BindType  type;
  gint64    i;
  double    d;
  char     *s;
  guint8    u[16];
} Bind;

/* Node ids are stored as 16-byte blobs when they are canonical lowercase
 * UUIDs (what Bough generates), which halves the keys of every index that
 * holds them; any other id is stored as its text, so that it round-trips
 * unchanged. Blobs compare like the lowercase hex text, so the order by id
 * is kept. */
static gboolean
uuid_pack (const char *s,
           gsize       len,
           guint8      out[16])
{
  guint n = 0;

  if (len != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      char c = s[i];
      int v;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (c != '-')
            return FALSE;
          continue;
        }
      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
      else
        return FALSE;
      if (n % 2 == 0)
        out[n / 2] = (guint8) (v << 4);
      else
        out[n / 2] |= (guint8) v;
      n++;
    }
  return TRUE;
}

static void
uuid_unpack (const guint8 *u,
             char          out[37])
{
  static const char hex[] = "0123456789abcdef";
  guint o = 0;

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[o++] = '-';
      out[o++] = hex[u[i] >> 4];
      out[o++] = hex[u[i] & 0xf];
    }
  out[o] = '\0';
}

/* The id in column @col of the current row, as text, in @buf when it is
 * stored as a blob (else the column's own text). */
static const char *
uuid_column_text (sqlite3_stmt *stmt,
                  int           col,
                  char          buf[37])
{
  if (sqlite3_column_type (stmt, col) == SQLITE_BLOB &&
      sqlite3_column_bytes (stmt, col) == 16)
    {
      uuid_unpack (sqlite3_column_blob (stmt, col), buf);
      return buf;
    }
  return (const char *) sqlite3_column_text (stmt, col);
}

static char *
uuid_column_dup (sqlite3_stmt *stmt,
                 int           col)
{
  char buf[37];
  return g_strdup (uuid_column_text (stmt, col, buf));
}

/* SQL bough_uuid(x): the stored form of the id x (for ids in JSON arrays
 * and for the migration of text ids). */
static void
sql_bough_uuid (sqlite3_context  *ctx,
                int               argc,
                sqlite3_value   **argv)
{
  guint8 u[16];

  if (argc == 1 && sqlite3_value_type (argv[0]) == SQLITE_TEXT &&
      uuid_pack ((const char *) sqlite3_value_text (argv[0]),
                 sqlite3_value_bytes (argv[0]), u))
    sqlite3_result_blob (ctx, u, 16, SQLITE_TRANSIENT);
  else
    sqlite3_result_value (ctx, argv[0]);
}

/* bough_ip_part(text, part): of an IP value "address[/prefixlen]", its
 * version (4 or 6), its address as bytes (a blob that sorts by address
 * within a version) or its prefix length; NULL for anything else. The
 * schema orders of IP attributes sort by these. */
static void
sql_bough_ip_part (sqlite3_context  *ctx,
                   int               argc,
                   sqlite3_value   **argv)
{
  char text[64];
  const char *value, *part, *slash;
  guint8 addr[16];
  gboolean v6;
  gint64 len;

  if (argc != 2 || sqlite3_value_type (argv[0]) != SQLITE_TEXT ||
      sqlite3_value_bytes (argv[0]) >= (int) sizeof text)
    return;  /* NULL */
  value = (const char *) sqlite3_value_text (argv[0]);
  part = (const char *) sqlite3_value_text (argv[1]);
  if (part == NULL)
    return;
  g_strlcpy (text, value, sizeof text);
  slash = strchr (text, '/');
  if (slash != NULL)
    text[slash - text] = '\0';
  v6 = strchr (text, ':') != NULL;
  if (inet_pton (v6 ? AF_INET6 : AF_INET, text, addr) != 1)
    return;
  len = v6 ? 128 : 32;
  if (slash != NULL)
    {
      char *end = NULL;
      gint64 l = g_ascii_strtoll (value + (slash - text) + 1, &end, 10);

      if (end == NULL || *end != '\0' || l < 0 || l > len)
        return;
      len = l;
    }
  if (g_str_equal (part, "version"))
    sqlite3_result_int (ctx, v6 ? 6 : 4);
  else if (g_str_equal (part, "binary_address"))
    sqlite3_result_blob (ctx, addr, v6 ? 16 : 4, SQLITE_TRANSIENT);
  else if (g_str_equal (part, "prefixlen"))
    sqlite3_result_int64 (ctx, len);
}

static void
bind_clear (gpointer data)
{
  Bind *b = data;
  if (b->type != BIND_TEXT_REF)
    g_free (b->s);
}

static GArray *
binds_new (void)
{
  /* room for the binds of the usual statement: no regrowth per row */
  GArray *binds = g_array_sized_new (FALSE, TRUE, sizeof (Bind), 16);
  g_array_set_clear_func (binds, bind_clear);
  return binds;
}

static void
bind_text (GArray     *binds,
           const char *s)
{
  Bind b = { s ? BIND_TEXT : BIND_NULL, 0, 0, g_strdup (s) };
  g_array_append_val (binds, b);
}

/* bind_text() of a string the caller keeps until the statement has run:
 * the large texts of the rows written (attributes, lookups) are not
 * copied once more per row. */
static void
bind_text_ref (GArray     *binds,
               const char *s)
{
  Bind b = { s ? BIND_TEXT_REF : BIND_NULL, 0, 0, (char *) s, { 0 } };
  g_array_append_val (binds, b);
}

static void
bind_uuid (GArray     *binds,
           const char *s)
{
  Bind b = { BIND_UUID, 0, 0, NULL, { 0 } };

  if (s == NULL || !uuid_pack (s, strlen (s), b.u))
    {
      bind_text (binds, s);
      return;
    }
  g_array_append_val (binds, b);
}

static void
bind_int (GArray *binds,
          gint64  i)
{
  Bind b = { BIND_INT, i, 0, NULL };
  g_array_append_val (binds, b);
}

/* Appends copies of the binds of @from to @to. */
static void
binds_append (GArray *to,
              GArray *from)
{
  for (guint i = 0; i < from->len; i++)
    {
      Bind b = g_array_index (from, Bind, i);
      if (b.type != BIND_TEXT_REF)
        b.s = g_strdup (b.s);
      g_array_append_val (to, b);
    }
}

static char *
json_to_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);
  _bough_json_append (out, node);
  return g_string_free (out, FALSE);
}

/* Binds a JSON scalar the way json_extract() returns it. */
static void
bind_json_scalar (GArray   *binds,
                  JsonNode *value)
{
  Bind b = { BIND_NULL, 0, 0, NULL };

  if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
    {
      GType t = json_node_get_value_type (value);
      if (t == G_TYPE_STRING)
        {
          b.type = BIND_TEXT;
          b.s = g_strdup (json_node_get_string (value));
        }
      else if (t == G_TYPE_BOOLEAN)
        {
          b.type = BIND_INT;
          b.i = json_node_get_boolean (value) ? 1 : 0;
        }
      else if (t == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (value);
          if (d == (double) (gint64) d)
            {
              b.type = BIND_INT;
              b.i = (gint64) d;
            }
          else
            {
              b.type = BIND_DOUBLE;
              b.d = d;
            }
        }
      else
        {
          b.type = BIND_INT;
          b.i = json_node_get_int (value);
        }
    }
  else if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
    {
      b.type = BIND_TEXT;
      b.s = json_to_text (value);
    }
  g_array_append_val (binds, b);
}

static void
bind_json_array (GArray   *binds,
                 JsonNode *value)
{
  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
    {
      Bind b = { BIND_TEXT, 0, 0, json_to_text (value) };
      g_array_append_val (binds, b);
    }
  else
    {
      g_autoptr(JsonNode) arr = json_node_new (JSON_NODE_ARRAY);
      JsonArray *a = json_array_new ();
      if (value != NULL)
        json_array_add_element (a, json_node_copy (value));
      json_node_take_array (arr, a);
      bind_json_array (binds, arr);
    }
}

static void
bind_strs_json (GArray      *binds,
                const char **strs,
                guint        n)
{
  GString *out = g_string_new ("[");
  Bind b = { BIND_TEXT, 0, 0, NULL };

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      _bough_json_append_string (out, strs[i]);
    }
  g_string_append_c (out, ']');
  b.s = g_string_free (out, FALSE);
  g_array_append_val (binds, b);
}

static void
bind_strv_json (GArray *binds,
                char  **strv)
{
  bind_strs_json (binds, (const char **) strv, strv ? g_strv_length (strv) : 0);
}

/* "col IN (...)": placeholders for short lists (json_each costs an
 * ephemeral table per execution), one bound JSON array for long ones. */
#define MAX_IN_PLACEHOLDERS 16

static void
append_in_full (GString     *sql,
                GArray      *binds,
                const char  *column,
                const char **strs,
                guint        n,
                gboolean     ids)
{
  void (*bind) (GArray *, const char *) = ids ? bind_uuid : bind_text;

  if (n == 1)
    {
      g_string_append_printf (sql, "%s = ?", column);
      bind (binds, strs[0]);
    }
  else if (n > 0 && n <= MAX_IN_PLACEHOLDERS)
    {
      g_string_append_printf (sql, "%s IN (", column);
      for (guint i = 0; i < n; i++)
        {
          g_string_append (sql, i == 0 ? "?" : ", ?");
          bind (binds, strs[i]);
        }
      g_string_append_c (sql, ')');
    }
  else
    {
      g_string_append_printf (sql, ids ? "%s IN (SELECT bough_uuid(value) FROM json_each(?))"
                                       : "%s IN (SELECT value FROM json_each(?))", column);
      bind_strs_json (binds, strs, n);
    }
}

static void
append_in (GString     *sql,
           GArray      *binds,
           const char  *column,
           const char **strs,
           guint        n)
{
  append_in_full (sql, binds, column, strs, n, FALSE);
}

static void
append_in_strv (GString    *sql,
                GArray     *binds,
                const char *column,
                char      **strv)
{
  append_in (sql, binds, column, (const char **) strv, strv ? g_strv_length (strv) : 0);
}

/* the same for node ids */
static void
append_in_ids (GString    *sql,
               GArray     *binds,
               const char *column,
               GPtrArray  *strs)
{
  append_in_full (sql, binds, column, (const char **) strs->pdata, strs->len, TRUE);
}

static gboolean
set_error_from_db (sqlite3     *db,
                   int          rc,
                   GError     **error)
{
  int code = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED
           ? BOUGH_ERROR_CONFLICT : BOUGH_ERROR_STORAGE;
  g_set_error (error, BOUGH_ERROR, code, "SQLite: %s",
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

static void
conn_forget_statements (BoughDriverConn *conn)
{
  g_hash_table_remove_all (conn->fixed);
  g_hash_table_remove_all (conn->stmts);
}

static sqlite3_stmt *
conn_prepare (BoughDriverConn  *conn,
              const char       *sql,
              GError          **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->stmts, sql);
  int rc;

  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_db (conn->db, rc, error);
      g_prefix_error (error, "preparing “%.60s”: ", sql);
      return NULL;
    }
  /* Dynamic query texts vary only with the shape of the query, but keep the
   * cache bounded anyway. */
  if (g_hash_table_size (conn->stmts) >= MAX_CACHED_STMTS)
    conn_forget_statements (conn);
  g_hash_table_insert (conn->stmts, g_strdup (sql), stmt);
  return stmt;
}

/* conn_prepare() for an SQL text that is a string constant (its address
 * names it for the life of the program). */
static sqlite3_stmt *
conn_prepare_fixed (BoughDriverConn  *conn,
                    const char       *sql,
                    GError          **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->fixed, sql);

  if (stmt != NULL)
    return stmt;
  stmt = conn_prepare (conn, sql, error);
  if (stmt != NULL)
    g_hash_table_insert (conn->fixed, (gpointer) sql, stmt);
  return stmt;
}

/* Statements run by each thread (every run goes through stmt_bind() or
 * conn_exec()), for bough_store_get_thread_statements(): per thread, so that
 * a request served by one worker thread counts its own statements only. */
static GPrivate statements_run;

static inline void
count_statement (void)
{
  gsize n = GPOINTER_TO_SIZE (g_private_get (&statements_run));

  g_private_set (&statements_run, GSIZE_TO_POINTER (n + 1));
}

/**
 * bough_store_get_thread_statements:
 *
 * Counts the SQL statements the storage driver ran on the calling thread
 * since the thread started (bound-and-run statements and executed scripts
 * such as BEGIN and COMMIT). A caller takes the difference around a piece of
 * work to know how many statements that work ran; the benchmark reads it
 * per GraphQL request.
 *
 * Returns: the number of statements run by this thread
 */
guint64
bough_store_get_thread_statements (void)
{
  return GPOINTER_TO_SIZE (g_private_get (&statements_run));
}

static gboolean
stmt_bind (BoughDriverConn  *conn,
           sqlite3_stmt     *stmt,
           GArray           *binds,
           GError          **error)
{
  count_statement ();
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  for (guint i = 0; binds != NULL && i < binds->len; i++)
    {
      Bind *b = &g_array_index (binds, Bind, i);
      int rc = SQLITE_OK;
      switch (b->type)
        {
        case BIND_NULL:
          rc = sqlite3_bind_null (stmt, i + 1);
          break;
        case BIND_INT:
          rc = sqlite3_bind_int64 (stmt, i + 1, b->i);
          break;
        case BIND_DOUBLE:
          rc = sqlite3_bind_double (stmt, i + 1, b->d);
          break;
        case BIND_TEXT:
        case BIND_TEXT_REF:
          /* the binds outlive every step of the statement (the callers
           * reset it before they free them) */
          rc = sqlite3_bind_text (stmt, i + 1, b->s, -1, SQLITE_STATIC);
          break;
        case BIND_UUID:
          rc = sqlite3_bind_blob (stmt, i + 1, b->u, 16, SQLITE_STATIC);
          break;
        default:
          g_assert_not_reached ();
        }
      if (rc != SQLITE_OK)
        return set_error_from_db (conn->db, rc, error);
    }
  return TRUE;
}

/* Prepares (cached) and binds. */
static sqlite3_stmt *
conn_statement (BoughDriverConn  *conn,
                const char       *sql,
                GArray           *binds,
                GError          **error)
{
  sqlite3_stmt *stmt = conn_prepare (conn, sql, error);
  if (stmt == NULL)
    return NULL;
  if (!stmt_bind (conn, stmt, binds, error))
    return NULL;
  return stmt;
}

static gboolean
step_done (BoughDriverConn  *conn,
           sqlite3_stmt     *stmt,
           GError          **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

/* conn_run() of a constant SQL text (see conn_prepare_fixed()) */
static gboolean
conn_run_fixed (BoughDriverConn  *conn,
                const char       *sql,
                GArray           *binds,
                GError          **error)
{
  sqlite3_stmt *stmt = conn_prepare_fixed (conn, sql, error);

  return stmt != NULL && stmt_bind (conn, stmt, binds, error) && step_done (conn, stmt, error);
}

/* Runs a statement that returns no rows. */
static gboolean
conn_run (BoughDriverConn  *conn,
          const char       *sql,
          GArray           *binds,
          GError          **error)
{
  sqlite3_stmt *stmt = conn_statement (conn, sql, binds, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
conn_exec (BoughDriverConn  *conn,
           const char       *sql,
           GError          **error)
{
  char *msg = NULL;
  int rc;

  count_statement ();
  rc = sqlite3_exec (conn->db, sql, NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    {
      int code = (rc & 0xff) == SQLITE_BUSY ? BOUGH_ERROR_CONFLICT : BOUGH_ERROR_STORAGE;
      g_set_error (error, BOUGH_ERROR, code, "SQLite: %s", msg ? msg : sqlite3_errstr (rc));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static void
conn_free (BoughDriverConn *conn)
{
  if (conn == NULL)
    return;
  g_hash_table_destroy (conn->fixed);
  g_hash_table_destroy (conn->stmts);
  sqlite3_close_v2 (conn->db);
  g_free (conn);
}

/* Another process holds the database: wait in short steps (SQLite's own
 * busy timeout sleeps up to 100 ms at a time, which makes processes that
 * share a queue take turns slowly), up to BUSY_TIMEOUT_MS in all. */
static int
busy_cb (void *data,
         int   count)
{
  /* 50 µs, 100 µs, ... up to 2 ms a step: the sum of the steps bounds the wait */
  static const gint64 max_step = 2000;
  gint64 step = MIN ((gint64) (count + 1) * 50, max_step);
  gint64 waited;

  if (count < 40)
    waited = (gint64) count * (count + 1) / 2 * 50;
  else
    waited = 41 * 20 * 50 + (gint64) (count - 40) * max_step;
  if (waited >= (gint64) BUSY_TIMEOUT_MS * 1000)
    return 0;
  g_usleep (step);
  return 1;
}

static BoughDriverConn *
conn_open (const char  *path,
           gboolean     writer,
           GError     **error)
{
  BoughDriverConn *conn = g_new0 (BoughDriverConn, 1);
  int rc;

  conn->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) sqlite3_finalize);
  conn->fixed = g_hash_table_new (g_direct_hash, g_direct_equal);
  rc = sqlite3_open_v2 (path, &conn->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_db (conn->db, rc, error);
      g_prefix_error (error, "opening %s: ", path);
      conn_free (conn);
      return NULL;
    }
  sqlite3_busy_handler (conn->db, busy_cb, NULL);
  sqlite3_extended_result_codes (conn->db, 1);
  rc = sqlite3_create_function (conn->db, "bough_uuid", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                NULL, sql_bough_uuid, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (conn->db, "bough_ip_part", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                  NULL, sql_bough_ip_part, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_db (conn->db, rc, error);
      g_prefix_error (error, "opening %s: ", path);
      conn_free (conn);
      return NULL;
    }

  /* WAL lets readers run beside the writer; synchronous=FULL so that a
   * commit that returned is on disk. Reads through a memory map: on a large
   * database the index lookups of a diff or merge no longer copy each page
   * (W5 at L: 0.46 s -> 0.37 s). */
  if ((writer && !conn_exec (conn, "PRAGMA journal_mode=WAL", error)) ||
      !conn_exec (conn,
                  "PRAGMA synchronous=FULL;"
                  "PRAGMA foreign_keys=OFF;"
                  "PRAGMA temp_store=MEMORY;"
                  "PRAGMA cache_size=-32768;"
                  "PRAGMA mmap_size=1073741824;",
                  error) ||
      (!writer && !conn_exec (conn, "PRAGMA query_only=1", error)))
    {
      g_prefix_error (error, "opening %s: ", path);
      conn_free (conn);
      return NULL;
    }
  return conn;
}

static BoughDriverDb *
sqlite_open (const char  *location,
             GError     **error)
{
  BoughDriverDb *db;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  if (g_file_test (location, G_FILE_TEST_IS_DIR))
    path = g_build_filename (location, "bough.db", NULL);
  else
    path = g_strdup (location);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int errsv = errno;
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "Cannot create directory %s: %s", dir, g_strerror (errsv));
      return NULL;
    }

  db = g_new0 (BoughDriverDb, 1);
  db->path = g_steal_pointer (&path);
  g_mutex_init (&db->writer_lock);
  g_cond_init (&db->writer_cond);
  g_mutex_init (&db->pool_lock);
  g_cond_init (&db->pool_cond);
  db->idle_readers = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  g_mutex_init (&db->stamp_lock);
  db->known_stamp = -1;
  db->writer = conn_open (db->path, TRUE, error);
  if (db->writer != NULL)
    db->writer->owner = db;
  if (db->writer == NULL)
    {
      g_mutex_clear (&db->stamp_lock);
      g_ptr_array_unref (db->idle_readers);
      g_mutex_clear (&db->writer_lock);
      g_cond_clear (&db->writer_cond);
      g_mutex_clear (&db->pool_lock);
      g_cond_clear (&db->pool_cond);
      g_free (db->path);
      g_free (db);
      return NULL;
    }
  return db;
}

static void
sqlite_close (BoughDriverDb *db)
{
  if (db == NULL)
    return;
  g_mutex_lock (&db->pool_lock);
  if (db->idle_readers->len != db->n_readers)
    g_critical ("Closing the store while %u read connections are in use",
                db->n_readers - db->idle_readers->len);
  g_ptr_array_unref (db->idle_readers);
  g_mutex_unlock (&db->pool_lock);
  conn_free (db->writer);
  g_mutex_clear (&db->stamp_lock);
  g_mutex_clear (&db->writer_lock);
  g_cond_clear (&db->writer_cond);
  g_mutex_clear (&db->pool_lock);
  g_cond_clear (&db->pool_cond);
  g_free (db->path);
  g_free (db);
}

static BoughDriverConn *sqlite_reader_acquire (BoughDriverDb *db, GError **error);
static void sqlite_reader_release (BoughDriverDb *db, BoughDriverConn *conn);

static BoughDriverConn *
sqlite_writer_acquire (BoughDriverDb *db)
{
  g_mutex_lock (&db->writer_lock);
  while (db->writer_busy)
    g_cond_wait (&db->writer_cond, &db->writer_lock);
  db->writer_busy = TRUE;
  g_mutex_unlock (&db->writer_lock);
  return db->writer;
}

static void
sqlite_writer_release (BoughDriverDb   *db,
                       BoughDriverConn *conn)
{
  g_assert (conn == db->writer);
  g_mutex_lock (&db->writer_lock);
  db->writer_busy = FALSE;
  g_cond_signal (&db->writer_cond);
  g_mutex_unlock (&db->writer_lock);
}

static gint
sqlite_get_version (BoughDriverDb *db)
{
  sqlite3_stmt *stmt;
  gint version = 0;

  /* a reader, so that this works while a transaction holds the writer */
  BoughDriverConn *conn = sqlite_reader_acquire (db, NULL);

  if (conn == NULL)
    return -1;
  stmt = conn_statement (conn, "PRAGMA user_version", NULL, NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  sqlite_reader_release (db, conn);
  return version;
}

/* Layout version 1. Node and relationship versions carry branch, from, to
 * (NULL while open) and status; a node version packs its attributes and
 * their properties in one JSON text (attrs), a link is one row whatever its
 * direction. nodes_kind serves both the open versions (to_stamp IS NULL)
 * and reads at a time. lookups hold the values that must be found by value
 * (hfids, unique attributes, uniqueness constraints), rewritten with each
 * node version and found through a hash of kind, key and value. A branch
 * writes its own versions only; reads overlay them on main's. */
static const char *migration_1 =
  "CREATE TABLE commits ("
  "  stamp INTEGER PRIMARY KEY,"
  "  branch TEXT NOT NULL,"
  "  account TEXT,"
  "  summary TEXT);"
  "CREATE TABLE branches ("
  "  name TEXT PRIMARY KEY,"
  "  branched_from INTEGER NOT NULL,"
  "  is_default INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE schemas ("
  "  id INTEGER PRIMARY KEY,"
  "  branch TEXT NOT NULL,"
  "  from_stamp INTEGER NOT NULL,"
  "  to_stamp INTEGER,"
  "  hash TEXT,"
  "  body TEXT NOT NULL);"
  "CREATE INDEX schemas_branch ON schemas (branch, from_stamp);"
  "CREATE TABLE nodes ("
  "  id INTEGER PRIMARY KEY,"
  "  uuid TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  branch TEXT NOT NULL,"
  "  from_stamp INTEGER NOT NULL,"
  "  to_stamp INTEGER,"
  "  status INTEGER NOT NULL,"
  "  created INTEGER NOT NULL,"
  "  attrs TEXT NOT NULL,"
  "  hfid TEXT,"
  "  label TEXT);"
  "CREATE INDEX nodes_uuid ON nodes (uuid, branch, from_stamp);"
  "CREATE INDEX nodes_kind ON nodes (kind, branch, to_stamp);"
  "CREATE TABLE rels ("
  "  id INTEGER PRIMARY KEY,"
  "  identifier TEXT NOT NULL,"
  "  src TEXT NOT NULL,"
  "  dst TEXT NOT NULL,"
  "  branch TEXT NOT NULL,"
  "  from_stamp INTEGER NOT NULL,"
  "  to_stamp INTEGER,"
  "  status INTEGER NOT NULL,"
  "  props TEXT);"
  "CREATE INDEX rels_src ON rels (src, identifier, branch);"
  "CREATE INDEX rels_dst ON rels (dst, identifier, branch);"
  "CREATE TABLE lookups ("
  "  id INTEGER PRIMARY KEY,"
  "  h INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  value TEXT NOT NULL,"
  "  uuid TEXT NOT NULL,"
  "  branch TEXT NOT NULL,"
  "  from_stamp INTEGER NOT NULL,"
  "  to_stamp INTEGER);"
  "CREATE INDEX lookups_value ON lookups (h);"
  "CREATE INDEX lookups_open ON lookups (uuid, branch) WHERE to_stamp IS NULL;"
  "PRAGMA user_version = 1;";

/* Version 2: nodes_kind carries the status, so that counting the matches of
 * a kind reads the index only; order keys (see set_order in
 * bough-store-driver.h), none recorded yet. */
static const char *migration_2 =
  "DROP INDEX nodes_kind;"
  "CREATE INDEX nodes_kind ON nodes (kind, branch, to_stamp, status);"
  "ALTER TABLE nodes ADD COLUMN okey;"
  "CREATE INDEX nodes_order ON nodes (kind, okey, uuid) WHERE to_stamp IS NULL AND status = 0;"
  "CREATE TABLE orders ("
  "  kind TEXT PRIMARY KEY,"
  "  attribute TEXT NOT NULL);"
  "PRAGMA user_version = 2;";

/* Version 3: node ids (nodes.uuid, rels.src and dst, lookups.uuid) stored
 * through bough_uuid(), as 16-byte blobs; the indexes follow. */
static const char *migration_3 =
  "UPDATE nodes SET uuid = bough_uuid(uuid);"
  "UPDATE rels SET src = bough_uuid(src), dst = bough_uuid(dst);"
  "UPDATE lookups SET uuid = bough_uuid(uuid);"
  "PRAGMA user_version = 3;";

/* Version 4: branch records (id, description, origin, creation, status,
 * sync_with_git) and their earlier branch points (moved by rebases, kept for
 * reads at past times); conflicts recorded by diffs with the side chosen;
 * indexes that find what changed on a branch since a stamp (diff, merge) and
 * the lookups of a branch (delete), so that these cost what changed, not
 * what is stored. The stamps of those indexes are expressions (stamp + 0)
 * that only the statements meant for them name: on plain columns, SQLite
 * would pick them over rels_src and nodes_uuid for the reads of a branch. Their branch is an expression too ((branch || ''))
 * for the same reason. */
#define RANDOM_UUID_SQL "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
static const char *migration_4 =
  "ALTER TABLE branches ADD COLUMN id TEXT;"
  "ALTER TABLE branches ADD COLUMN description TEXT;"
  "ALTER TABLE branches ADD COLUMN origin TEXT;"
  "ALTER TABLE branches ADD COLUMN created_at INTEGER;"
  "ALTER TABLE branches ADD COLUMN status INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE branches ADD COLUMN sync_with_git INTEGER NOT NULL DEFAULT 0;"
  "UPDATE branches SET id = " RANDOM_UUID_SQL ", created_at = branched_from,"
  "  origin = CASE WHEN is_default THEN NULL ELSE 'main' END;"
  "CREATE TABLE branch_points ("
  "  branch TEXT NOT NULL,"
  "  since INTEGER NOT NULL,"
  "  branched_from INTEGER NOT NULL,"
  "  PRIMARY KEY (branch, since));"
  "CREATE TABLE conflicts ("
  "  id TEXT PRIMARY KEY,"
  "  branch TEXT NOT NULL,"
  "  path TEXT NOT NULL,"
  "  base_value TEXT,"
  "  diff_value TEXT,"
  "  selected INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX conflicts_branch ON conflicts (branch);"
  "CREATE INDEX nodes_since ON nodes ((branch || ''), (from_stamp + 0));"
  "CREATE INDEX rels_since ON rels ((branch || ''), (from_stamp + 0));"
  "CREATE INDEX rels_closed ON rels ((branch || ''), (to_stamp + 0)) WHERE to_stamp IS NOT NULL;"
  "CREATE INDEX lookups_branch ON lookups (branch, uuid) WHERE branch <> 'main';"
  "PRAGMA user_version = 4;";

/* Version 5: nodes_closed finds the active versions of a kind closed since a
 * stamp, which with the open versions are those visible at that stamp
 * (query_ordered()): a listing in the past then costs what changed
 * since, not every version of the kind. Only closed active versions enter
 * it, and its terms are expressions that only the statements meant for it
 * name, so that branch reads and writes keep their indexes (see 4). */
static const char *migration_5 =
  "CREATE INDEX nodes_closed ON nodes ((kind || ''), (branch || ''), (to_stamp + 0), from_stamp)"
  "  WHERE to_stamp IS NOT NULL AND status = 0;"
  "PRAGMA user_version = 5;";

/* Version 6: the durable task queue (bough-store-task.h). A task is one row
 * with its state, lease and attempts; tasks_ready finds the next one to
 * claim in queue order, tasks_leased the running ones whose lease ended,
 * tasks_created the listing (newest first). Logs and related nodes are rows
 * of their own. */
static const char *migration_6 =
  "CREATE TABLE tasks ("
  "  id TEXT PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  workflow TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  conclusion TEXT NOT NULL DEFAULT 'unknown',"
  "  progress REAL,"
  "  parameters TEXT,"
  "  branch TEXT,"
  "  account TEXT,"
  "  tags TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  start_time INTEGER,"
  "  end_time INTEGER,"
  "  not_before INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  max_attempts INTEGER NOT NULL DEFAULT 1,"
  "  worker TEXT,"
  "  lease_until INTEGER,"
  "  cancel_requested INTEGER NOT NULL DEFAULT 0,"
  "  error_code INTEGER NOT NULL DEFAULT 0,"
  "  error_message TEXT,"
  "  result TEXT);"
  "CREATE INDEX tasks_ready ON tasks (not_before) WHERE " TASK_READY ";"
  "CREATE INDEX tasks_leased ON tasks (lease_until) WHERE state IN ('RUNNING', 'CANCELLING');"
  "CREATE INDEX tasks_created ON tasks (created_at);"
  "CREATE INDEX tasks_branch ON tasks (branch, state);"
  "CREATE TABLE task_logs ("
  "  id INTEGER PRIMARY KEY,"
  "  task TEXT NOT NULL,"
  "  timestamp INTEGER NOT NULL,"
  "  severity TEXT NOT NULL,"
  "  message TEXT NOT NULL);"
  "CREATE INDEX task_logs_task ON task_logs (task, id);"
  "CREATE TABLE task_nodes ("
  "  task TEXT NOT NULL,"
  "  node TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  PRIMARY KEY (task, node));"
  "CREATE INDEX task_nodes_node ON task_nodes (node);"
  "PRAGMA user_version = 6;";

/* Version 7: events, one compact row each, written in the transaction of
 * the change they tell (bough-store-events.c). A node event keeps its node
 * (as node ids elsewhere, see 3) and kind, not its changelog: that is read
 * back from the versions of its commit. Its account is its commit's.
 * events_node serves primary_node__ids, events_parent the children of a
 * merge (few rows: only events with a parent enter it). Version 6 belongs to
 * the task tables. */
static const char *migration_7 =
  "CREATE TABLE IF NOT EXISTS events ("
  "  id INTEGER PRIMARY KEY,"
  "  stamp INTEGER NOT NULL,"
  "  type INTEGER NOT NULL,"
  "  branch TEXT NOT NULL,"
  "  node,"
  "  kind TEXT,"
  "  parent INTEGER,"
  "  flags INTEGER NOT NULL DEFAULT 0,"
  "  payload TEXT,"
  "  related TEXT);"
  "CREATE INDEX IF NOT EXISTS events_node ON events (node) WHERE node IS NOT NULL;"
  "CREATE INDEX IF NOT EXISTS events_parent ON events (parent) WHERE parent IS NOT NULL;"
  "PRAGMA user_version = 7;";

/* Version 8: the stamp of the last DiffUpdate of each branch, from which
 * the changes a stored diff has not taken in yet are counted. */
static const char *migration_8 =
  "CREATE TABLE diff_updates ("
  "  branch TEXT PRIMARY KEY,"
  "  stamp INTEGER NOT NULL);"
  "PRAGMA user_version = 8;";

/* Version 9: a null order key is x'' (a blob sorts after every number and
 * text, and json_extract() never returns one), so that the order key's
 * index gives nulls last ascending and first descending, as the sorts
 * through json_extract() order them (NULLS LAST / NULLS FIRST).
 * nodes_created walks the open versions of a kind in creation order
 * (created, uuid), both ways: `disable: true` and node_metadata__created_at
 * read only the page they return, as the order key does. */
static const char *migration_9 =
  "UPDATE nodes SET okey = x'' WHERE okey IS NULL AND to_stamp IS NULL AND status = 0"
  "  AND kind IN (SELECT kind FROM orders);"
  "CREATE INDEX IF NOT EXISTS nodes_created ON nodes (kind, created, uuid) WHERE to_stamp IS NULL AND status = 0;"
  "PRAGMA user_version = 9;";

static gboolean
sqlite_migrate (BoughDriverDb  *db,
                GError        **error)
{
  gint version = sqlite_get_version (db);
  gboolean ok = TRUE;

  if (version > BOUGH_STORE_DB_VERSION)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_UNSUPPORTED,
                   "The database %s has layout version %d, newer than this program (%d)",
                   db->path, version, BOUGH_STORE_DB_VERSION);
      return FALSE;
    }
  if (version == BOUGH_STORE_DB_VERSION)
    return TRUE;

  sqlite_writer_acquire (db);
  ok = conn_exec (db->writer, "BEGIN IMMEDIATE", error);
  if (ok && version < 1)
    ok = conn_exec (db->writer, migration_1, error);
  if (ok && version < 2)
    ok = conn_exec (db->writer, migration_2, error);
  if (ok && version < 3)
    ok = conn_exec (db->writer, migration_3, error);
  if (ok && version < 4)
    ok = conn_exec (db->writer, migration_4, error);
  if (ok && version < 5)
    ok = conn_exec (db->writer, migration_5, error);
  if (ok && version < 6)
    ok = conn_exec (db->writer, migration_6, error);
  if (ok && version < 7)
    ok = conn_exec (db->writer, migration_7, error);
  if (ok && version < 8)
    ok = conn_exec (db->writer, migration_8, error);
  if (ok && version < 9)
    ok = conn_exec (db->writer, migration_9, error);
  if (ok)
    ok = conn_exec (db->writer, "COMMIT", error);
  else
    conn_exec (db->writer, "ROLLBACK", NULL);
  /* The statement caches may hold statements prepared against the old layout. */
  conn_forget_statements (db->writer);
  sqlite_writer_release (db, db->writer);
  return ok;
}


static BoughDriverConn *
sqlite_reader_acquire (BoughDriverDb  *db,
                       GError        **error)
{
  BoughDriverConn *conn = NULL;

  g_mutex_lock (&db->pool_lock);
  while (db->idle_readers->len == 0 && db->n_readers >= MAX_READERS)
    g_cond_wait (&db->pool_cond, &db->pool_lock);
  if (db->idle_readers->len > 0)
    conn = g_ptr_array_steal_index_fast (db->idle_readers, db->idle_readers->len - 1);
  else
    db->n_readers++;
  g_mutex_unlock (&db->pool_lock);

  if (conn == NULL)
    {
      conn = conn_open (db->path, FALSE, error);
      if (conn != NULL)
        conn->owner = db;
      if (conn == NULL)
        {
          g_mutex_lock (&db->pool_lock);
          db->n_readers--;
          g_cond_signal (&db->pool_cond);
          g_mutex_unlock (&db->pool_lock);
        }
    }
  return conn;
}

static void
sqlite_reader_release (BoughDriverDb   *db,
                       BoughDriverConn *conn)
{
  /* A reader must not keep a read transaction open between calls. */
  if (!sqlite3_get_autocommit (conn->db))
    conn_exec (conn, "ROLLBACK", NULL);
  g_mutex_lock (&db->pool_lock);
  g_ptr_array_add (db->idle_readers, conn);
  g_cond_signal (&db->pool_cond);
  g_mutex_unlock (&db->pool_lock);
}

static gint64 sqlite_last_stamp (BoughDriverConn *conn, GError **error);

/* Records the newest commit stamp @conn sees: newer than every commit of
 * this process (done or in flight), it is another process's. */
static void
note_stamp (BoughDriverDb *db,
            gint64         stamp)
{
  g_mutex_lock (&db->stamp_lock);
  if (db->known_stamp < 0)
    db->known_stamp = stamp;
  else if (stamp > MAX (db->known_stamp, db->pending_stamp))
    {
      db->known_stamp = stamp;
      db->foreign_serial++;
    }
  g_mutex_unlock (&db->stamp_lock);
}

static gboolean
sqlite_probe_foreign (BoughDriverConn  *conn,
                      GError          **error)
{
  gint64 stamp;

  /* an empty database has no commits table yet */
  if (conn->owner == NULL)
    return TRUE;
  if (!conn->has_commits)
    conn->has_commits = sqlite3_table_column_metadata (conn->db, NULL, "commits", "stamp", NULL, NULL,
                                                       NULL, NULL, NULL) == SQLITE_OK;
  if (!conn->has_commits)
    return TRUE;
  stamp = sqlite_last_stamp (conn, error);
  if (stamp < 0)
    return FALSE;
  note_stamp (conn->owner, stamp);
  return TRUE;
}

static guint64
sqlite_foreign_serial (BoughDriverDb *db,
                       gint64        *known_stamp)
{
  guint64 serial;

  g_mutex_lock (&db->stamp_lock);
  serial = db->foreign_serial;
  *known_stamp = db->known_stamp;
  g_mutex_unlock (&db->stamp_lock);
  return serial;
}

static gboolean
sqlite_begin (BoughDriverConn  *conn,
              GError          **error)
{
  if (!conn_run (conn, "BEGIN IMMEDIATE", NULL, error))
    return FALSE;
  /* the write lock is held: what other processes committed is all there */
  if (!sqlite_probe_foreign (conn, error))
    {
      conn_exec (conn, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_commit (BoughDriverConn  *conn,
               GError          **error)
{
  gboolean ok = conn_run (conn, "COMMIT", NULL, error);

  if (conn->owner != NULL)
    {
      g_mutex_lock (&conn->owner->stamp_lock);
      if (ok)
        conn->owner->known_stamp = MAX (conn->owner->known_stamp, conn->owner->pending_stamp);
      conn->owner->pending_stamp = 0;
      g_mutex_unlock (&conn->owner->stamp_lock);
    }
  return ok;
}

static void
sqlite_rollback (BoughDriverConn *conn)
{
  if (!sqlite3_get_autocommit (conn->db))
    conn_exec (conn, "ROLLBACK", NULL);
  if (conn->owner != NULL)
    {
      g_mutex_lock (&conn->owner->stamp_lock);
      conn->owner->pending_stamp = 0;
      g_mutex_unlock (&conn->owner->stamp_lock);
    }
}

static gboolean
sqlite_savepoint (BoughDriverConn  *conn,
                  GError          **error)
{
  return conn_run (conn, "SAVEPOINT bough_call", NULL, error);
}

static gboolean
sqlite_release_savepoint (BoughDriverConn  *conn,
                          GError          **error)
{
  return conn_run (conn, "RELEASE bough_call", NULL, error);
}

static void
sqlite_rollback_savepoint (BoughDriverConn *conn)
{
  conn_run (conn, "ROLLBACK TO bough_call", NULL, NULL);
  conn_run (conn, "RELEASE bough_call", NULL, NULL);
}

static gint64
sqlite_last_stamp (BoughDriverConn  *conn,
                   GError          **error)
{
  sqlite3_stmt *stmt = conn_statement (conn, "SELECT max(stamp) FROM commits", NULL, error);
  gint64 stamp = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    stamp = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      set_error_from_db (conn->db, rc, error);
      stamp = -1;
    }
  sqlite3_reset (stmt);
  return stamp;
}

static gboolean
sqlite_insert_commit (BoughDriverConn  *conn,
                      gint64            stamp,
                      const char       *branch,
                      const char       *account,
                      const char       *summary,
                      GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  bind_int (binds, stamp);
  bind_text (binds, branch);
  bind_text (binds, account);
  bind_text (binds, summary);
  if (!conn_run (conn,
                 "INSERT INTO commits (stamp, branch, account, summary) VALUES (?, ?, ?, ?)",
                 binds, error))
    return FALSE;
  /* this process's own: readers that see it before the commit returns
   * must not take it for another process's */
  if (conn->owner != NULL)
    {
      g_mutex_lock (&conn->owner->stamp_lock);
      conn->owner->pending_stamp = MAX (conn->owner->pending_stamp, stamp);
      g_mutex_unlock (&conn->owner->stamp_lock);
    }
  return TRUE;
}

static gboolean
sqlite_get_commits (BoughDriverConn  *conn,
                    GArray           *stamps,
                    GHashTable       *out,
                    GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(JsonNode) arr = json_node_new (JSON_NODE_ARRAY);
  JsonArray *a = json_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < stamps->len; i++)
    json_array_add_int_element (a, g_array_index (stamps, gint64, i));
  json_node_take_array (arr, a);
  bind_json_array (binds, arr);
  stmt = conn_statement (conn,
                         "SELECT stamp, account FROM commits"
                         " WHERE stamp IN (SELECT value FROM json_each(?))",
                         binds, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *key = g_new (gint64, 1);
      *key = sqlite3_column_int64 (stmt, 0);
      g_hash_table_insert (out, key, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
sqlite_insert_branch (BoughDriverConn  *conn,
                      const char       *name,
                      gint64            branched_from,
                      gboolean          is_default,
                      GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  bind_text (binds, name);
  bind_int (binds, branched_from);
  bind_int (binds, is_default ? 1 : 0);
  return conn_run (conn,
                   "INSERT INTO branches (name, branched_from, is_default, id, created_at, origin)"
                   " VALUES (?1, ?2, ?3, " RANDOM_UUID_SQL ", ?2, CASE WHEN ?3 THEN NULL ELSE 'main' END)",
                   binds, error);
}

static gboolean
sqlite_get_branch (BoughDriverConn  *conn,
                   const char       *name,
                   gint64           *branched_from,
                   gboolean         *is_default,
                   GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  bind_text (binds, name);
  stmt = conn_statement (conn,
                         "SELECT branched_from, is_default FROM branches WHERE name = ?",
                         binds, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      if (branched_from)
        *branched_from = sqlite3_column_int64 (stmt, 0);
      if (is_default)
        *is_default = sqlite3_column_int (stmt, 1) != 0;
    }
  else if (rc != SQLITE_DONE)
    set_error_from_db (conn->db, rc, error);
  sqlite3_reset (stmt);
  return found;
}

static gboolean
sqlite_insert_schema (BoughDriverConn  *conn,
                      const char       *branch,
                      gint64            stamp,
                      const char       *hash,
                      const char       *body,
                      GError          **error)
{
  g_autoptr(GArray) del = binds_new ();
  g_autoptr(GArray) upd = binds_new ();
  g_autoptr(GArray) ins = binds_new ();

  bind_text (del, branch);
  bind_int (del, stamp);
  bind_int (upd, stamp);
  bind_text (upd, branch);
  bind_text (ins, branch);
  bind_int (ins, stamp);
  bind_text (ins, hash);
  bind_text (ins, body);
  return conn_run (conn,
                   "DELETE FROM schemas WHERE branch = ? AND from_stamp = ? AND to_stamp IS NULL",
                   del, error) &&
         conn_run (conn,
                   "UPDATE schemas SET to_stamp = ? WHERE branch = ? AND to_stamp IS NULL",
                   upd, error) &&
         conn_run (conn,
                   "INSERT INTO schemas (branch, from_stamp, hash, body) VALUES (?, ?, ?, ?)",
                   ins, error);
}

static char *attr_path (const char *attribute, const char *prop);

static gboolean
sqlite_set_order (BoughDriverConn  *conn,
                  const char       *kind,
                  const char       *attribute,
                  GError          **error)
{
  g_autoptr(GArray) upd = binds_new ();
  g_autoptr(GArray) rec = binds_new ();
  g_autofree char *path = attribute != NULL ? attr_path (attribute, "value") : NULL;

  bind_text (upd, path);
  bind_text (upd, kind);
  bind_text (rec, kind);
  if (attribute == NULL)
    return conn_run (conn, "DELETE FROM orders WHERE kind = ?", rec, error);
  bind_text (rec, attribute);
  return conn_run (conn, "UPDATE nodes SET okey = coalesce(json_extract(attrs, ?), x'')"
                         " WHERE kind = ? AND to_stamp IS NULL AND status = 0", upd, error) &&
         conn_run (conn, "INSERT OR REPLACE INTO orders (kind, attribute) VALUES (?, ?)", rec, error);
}

static gboolean
sqlite_get_orders (BoughDriverConn  *conn,
                   GHashTable       *out,
                   GError          **error)
{
  sqlite3_stmt *stmt = conn_statement (conn, "SELECT kind, attribute FROM orders", NULL, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (out, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
sqlite_get_schema (BoughDriverConn  *conn,
                   const char       *branch,
                   gint64            at,
                   char            **body,
                   gint64           *from_stamp,
                   GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  bind_text (binds, branch);
  bind_int (binds, at);
  bind_int (binds, at);
  stmt = conn_statement (conn,
                         "SELECT body, from_stamp FROM schemas WHERE branch = ?"
                         " AND from_stamp <= ? AND (to_stamp IS NULL OR to_stamp > ?)"
                         " ORDER BY from_stamp DESC LIMIT 1",
                         binds, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      *body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (from_stamp)
        *from_stamp = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    set_error_from_db (conn->db, rc, error);
  sqlite3_reset (stmt);
  return found;
}

static gboolean
sqlite_get_schema_stamp (BoughDriverConn  *conn,
                         const char       *branch,
                         gint64            at,
                         gint64           *from_stamp,
                         char            **hash,
                         GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  bind_text (binds, branch);
  bind_int (binds, at);
  bind_int (binds, at);
  stmt = conn_statement (conn,
                         "SELECT from_stamp, hash FROM schemas WHERE branch = ?"
                         " AND from_stamp <= ? AND (to_stamp IS NULL OR to_stamp > ?)"
                         " ORDER BY from_stamp DESC LIMIT 1",
                         binds, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      *from_stamp = sqlite3_column_int64 (stmt, 0);
      *hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    set_error_from_db (conn->db, rc, error);
  sqlite3_reset (stmt);
  return found;
}

/* ---- SQL building for the read views ---- */

static void
append_vis (GString             *sql,
            GArray              *binds,
            const char          *alias,
            const BoughReadView *view,
            gint64               at)
{
  if (view->current)
    g_string_append_printf (sql, "%s.to_stamp IS NULL", alias);
  else
    {
      g_string_append_printf (sql, "%s.from_stamp <= ? AND (%s.to_stamp IS NULL OR %s.to_stamp > ?)",
                              alias, alias, alias);
      bind_int (binds, at);
      bind_int (binds, at);
    }
}

#define NODE_COLS "id, uuid, kind, branch, from_stamp, to_stamp, status, created, attrs, hfid, label, okey"

/* On a branch, main's version @alias is hidden when the branch has a
 * version of its node (active, deleted or a pack) visible at @view->at. */
static void
append_unshadowed (GString             *sql,
                   GArray              *binds,
                   const BoughReadView *view,
                   const char          *alias)
{
  if (view->is_default)
    return;
  g_string_append_printf (sql, " AND NOT EXISTS (SELECT 1 FROM nodes b WHERE b.uuid = %s.uuid AND b.branch = ? AND ",
                          alias);
  bind_text (binds, view->branch);
  append_vis (sql, binds, "b", view, view->at);
  g_string_append (sql, ")");
}

/* On a branch, main's link @alias is hidden when the branch has a version
 * of it (same ends and identifier) visible at @view->at. */
static void
append_rel_unshadowed (GString             *sql,
                       GArray              *binds,
                       const BoughReadView *view,
                       const char          *alias)
{
  if (view->is_default)
    return;
  g_string_append_printf (sql, " AND NOT EXISTS (SELECT 1 FROM rels b WHERE b.src = %s.src"
                               " AND b.identifier = %s.identifier AND b.dst = %s.dst AND b.branch = ? AND ",
                          alias, alias, alias);
  bind_text (binds, view->branch);
  append_vis (sql, binds, "b", view, view->at);
  g_string_append (sql, ")");
}

/* A subquery of the node versions visible in @view (active and deleted),
 * optionally restricted to @kinds. With @by_id the caller selects by uuid:
 * the kind test is then kept off the index ("+n.kind"), otherwise SQLite
 * picks nodes_kind (three equalities) over nodes_uuid and scans the kind. */
static void
append_nodes_source_full (GString             *sql,
                          GArray              *binds,
                          const BoughReadView *view,
                          char               **kinds,
                          gboolean             by_id)
{
  const char *kind_col = by_id ? "+n.kind" : "n.kind";
  /* by id, the branches are told apart on the rows: one seek per id
   * rather than one per branch */
  const char *branch_col = by_id ? "+n.branch" : "n.branch";

  if (view->is_default)
    {
      g_string_append_printf (sql, "(SELECT " NODE_COLS " FROM nodes n WHERE %s IN (?, ?) AND ", branch_col);
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
      bind_text (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "n", view, view->at);
      if (kinds != NULL)
        {
          g_string_append (sql, " AND ");
          append_in_strv (sql, binds, kind_col, kinds);
        }
      g_string_append (sql, ")");
      return;
    }

  g_string_append_printf (sql, "(SELECT " NODE_COLS " FROM nodes n WHERE %s IN (?, ?) AND ", branch_col);
  bind_text (binds, view->branch);
  bind_text (binds, BOUGH_GLOBAL_BRANCH);
  append_vis (sql, binds, "n", view, view->at);
  if (kinds != NULL)
    {
      g_string_append (sql, " AND ");
      append_in_strv (sql, binds, kind_col, kinds);
    }
  g_string_append (sql, " UNION ALL SELECT " NODE_COLS " FROM nodes n WHERE n.branch = ? AND ");
  bind_text (binds, BOUGH_DEFAULT_BRANCH);
  append_vis (sql, binds, "n", view, view->main_at);
  if (kinds != NULL)
    {
      g_string_append (sql, " AND ");
      append_in_strv (sql, binds, kind_col, kinds);
    }
  append_unshadowed (sql, binds, view, "n");
  g_string_append (sql, ")");
}

static void
append_nodes_source (GString             *sql,
                     GArray              *binds,
                     const BoughReadView *view,
                     char               **kinds)
{
  append_nodes_source_full (sql, binds, view, kinds, FALSE);
}

#define REL_COLS "id, identifier, src, dst, branch, from_stamp, to_stamp, status, props"

/* Links are always found from one end (src or dst), whose index then
 * leads: the branch is told apart on the rows ("+r.branch"), one seek per
 * end rather than one per branch. */
static void
append_rels_source (GString             *sql,
                    GArray              *binds,
                    const BoughReadView *view,
                    const char          *identifier)
{
  if (view->is_default)
    {
      g_string_append (sql, "(SELECT " REL_COLS " FROM rels r WHERE r.identifier = ? AND +r.branch IN (?, ?) AND ");
      bind_text (binds, identifier);
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
      bind_text (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "r", view, view->at);
      g_string_append (sql, ")");
      return;
    }

  g_string_append (sql, "(SELECT " REL_COLS " FROM rels r WHERE r.identifier = ? AND +r.branch IN (?, ?) AND ");
  bind_text (binds, identifier);
  bind_text (binds, view->branch);
  bind_text (binds, BOUGH_GLOBAL_BRANCH);
  append_vis (sql, binds, "r", view, view->at);
  g_string_append (sql, " UNION ALL SELECT " REL_COLS " FROM rels r WHERE r.identifier = ? AND r.branch = ? AND ");
  bind_text (binds, identifier);
  bind_text (binds, BOUGH_DEFAULT_BRANCH);
  append_vis (sql, binds, "r", view, view->main_at);
  append_rel_unshadowed (sql, binds, view, "r");
  g_string_append (sql, ")");
}

/* The active links of @identifier seen in a branch view whose @end is one
 * of the ids of the JSON array ?1, as one join per arm: SQLite cannot push a
 * join term into a compound subquery, which then reads every link of the
 * identifier (append_rels_source() suits a constant id). */
static void
append_rels_join (GString             *sql,
                  GArray              *binds,
                  const BoughReadView *view,
                  const char          *identifier,
                  const char          *end)
{
  g_string_append_printf (sql, "SELECT " "r.id, r.identifier, r.src, r.dst, r.branch, r.from_stamp, r.to_stamp,"
                               " r.status, r.props FROM json_each(?1) j CROSS JOIN rels r"
                               " WHERE r.%s = bough_uuid(j.value) AND r.identifier = ? AND +r.branch IN (?, ?)"
                               " AND r.status = 0 AND ", end);
  bind_text (binds, identifier);
  bind_text (binds, view->branch);
  bind_text (binds, BOUGH_GLOBAL_BRANCH);
  append_vis (sql, binds, "r", view, view->at);
  g_string_append_printf (sql, " UNION ALL SELECT r.id, r.identifier, r.src, r.dst, r.branch, r.from_stamp,"
                               " r.to_stamp, r.status, r.props FROM json_each(?1) j CROSS JOIN rels r"
                               " WHERE r.%s = bough_uuid(j.value) AND r.identifier = ? AND r.branch = ?"
                               " AND r.status = 0 AND ", end);
  bind_text (binds, identifier);
  bind_text (binds, BOUGH_DEFAULT_BRANCH);
  append_vis (sql, binds, "r", view, view->main_at);
  append_rel_unshadowed (sql, binds, view, "r");
}

static BoughNodeRow *
node_row_from_stmt (sqlite3_stmt *stmt)
{
  BoughNodeRow *row = g_new0 (BoughNodeRow, 1);
  row->rowid = sqlite3_column_int64 (stmt, 0);
  row->uuid = uuid_column_dup (stmt, 1);
  row->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  row->branch = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  row->from_stamp = sqlite3_column_int64 (stmt, 4);
  row->to_stamp = sqlite3_column_int64 (stmt, 5);
  row->status = sqlite3_column_int (stmt, 6);
  row->created = sqlite3_column_int64 (stmt, 7);
  row->attrs = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  row->hfid = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  row->label = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  return row;
}

static BoughRelRow *
rel_row_from_stmt (sqlite3_stmt *stmt)
{
  BoughRelRow *row = g_new0 (BoughRelRow, 1);
  row->rowid = sqlite3_column_int64 (stmt, 0);
  row->identifier = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  row->src = uuid_column_dup (stmt, 2);
  row->dst = uuid_column_dup (stmt, 3);
  row->branch = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  row->from_stamp = sqlite3_column_int64 (stmt, 5);
  row->to_stamp = sqlite3_column_int64 (stmt, 6);
  row->status = sqlite3_column_int (stmt, 7);
  row->props = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  return row;
}

typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);

static gboolean
collect_rows (BoughDriverConn  *conn,
              const char       *sql,
              GArray           *binds,
              RowFunc           func,
              GPtrArray        *out,
              GError          **error)
{
  sqlite3_stmt *stmt = conn_statement (conn, sql, binds, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, func (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gint64
sqlite_insert_node (BoughDriverConn     *conn,
                    const BoughNodeRow  *row,
                    GError             **error)
{
  g_autoptr(GArray) binds = binds_new ();
  bind_uuid (binds, row->uuid);
  bind_text_ref (binds, row->kind);
  bind_text_ref (binds, row->branch);
  bind_int (binds, row->from_stamp);
  bind_int (binds, row->status);
  bind_int (binds, row->created);
  bind_text_ref (binds, row->attrs);
  bind_text_ref (binds, row->hfid);
  bind_text_ref (binds, row->label);
  if (row->order_attr != NULL && row->status == BOUGH_ROW_ACTIVE &&
      (row->order_value == NULL || !JSON_NODE_HOLDS_VALUE (row->order_value)))
    {
      /* not a scalar given: SQLite's own reading, as set_order does */
      g_autofree char *path = attr_path (row->order_attr, "value");
      bind_text (binds, path);
      if (!conn_run_fixed (conn,
                     "INSERT INTO nodes (uuid, kind, branch, from_stamp, status, created, attrs, hfid, label, okey)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, coalesce(json_extract(?7, ?10), x''))",
                     binds, error))
        return -1;
      return sqlite3_last_insert_rowid (conn->db);
    }
  /* the scalar bound as json_extract() would return it */
  if (row->order_attr != NULL && row->status == BOUGH_ROW_ACTIVE)
    bind_json_scalar (binds, row->order_value);
  else
    bind_text (binds, NULL);
  if (!conn_run_fixed (conn,
                 "INSERT INTO nodes (uuid, kind, branch, from_stamp, status, created, attrs, hfid, label, okey)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                 binds, error))
    return -1;
  return sqlite3_last_insert_rowid (conn->db);
}

/* A version opened in the same commit is replaced, not closed: a version
 * with from == to would be visible at no time at all. */
static gboolean
close_row (BoughDriverConn  *conn,
           const char       *table,
           gint64            rowid,
           gint64            stamp,
           GError          **error)
{
  g_autoptr(GArray) del = binds_new ();
  g_autoptr(GArray) upd = binds_new ();
  gboolean nodes = g_str_equal (table, "nodes");
  const char *del_sql = nodes ? "DELETE FROM nodes WHERE id = ? AND from_stamp = ?"
                              : "DELETE FROM rels WHERE id = ? AND from_stamp = ?";
  const char *upd_sql = nodes ? "UPDATE nodes SET to_stamp = ? WHERE id = ? AND to_stamp IS NULL"
                              : "UPDATE rels SET to_stamp = ? WHERE id = ? AND to_stamp IS NULL";

  g_assert (nodes || g_str_equal (table, "rels"));
  bind_int (del, rowid);
  bind_int (del, stamp);
  bind_int (upd, stamp);
  bind_int (upd, rowid);
  return conn_run_fixed (conn, del_sql, del, error) && conn_run_fixed (conn, upd_sql, upd, error);
}

static gboolean
sqlite_close_node (BoughDriverConn  *conn,
                   gint64            rowid,
                   gint64            stamp,
                   GError          **error)
{
  return close_row (conn, "nodes", rowid, stamp, error);
}

/* Two statements per batch however long: the ids go in as one JSON array. */
static gboolean
sqlite_close_nodes (BoughDriverConn  *conn,
                    const gint64     *rowids,
                    guint             n,
                    gint64            stamp,
                    GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  GString *ids = g_string_sized_new (12 * n + 2);
  Bind b = { BIND_TEXT, 0, 0, NULL };

  if (n == 0)
    {
      g_string_free (ids, TRUE);
      return TRUE;
    }
  g_string_append_c (ids, '[');
  for (guint i = 0; i < n; i++)
    g_string_append_printf (ids, i > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, rowids[i]);
  g_string_append_c (ids, ']');
  b.s = g_string_free (ids, FALSE);
  g_array_append_val (binds, b);
  bind_int (binds, stamp);
  return conn_run_fixed (conn,
                         "DELETE FROM nodes WHERE id IN (SELECT value FROM json_each(?1)) AND from_stamp = ?2",
                         binds, error) &&
         conn_run_fixed (conn,
                         "UPDATE nodes SET to_stamp = ?2 WHERE id IN (SELECT value FROM json_each(?1))"
                         " AND to_stamp IS NULL",
                         binds, error);
}

static gboolean
sqlite_fetch_nodes (BoughDriverConn      *conn,
                    const BoughReadView  *view,
                    char                **kinds,
                    GPtrArray            *uuids,
                    GPtrArray            *out_rows,
                    GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " NODE_COLS " FROM ");
  g_autoptr(GArray) binds = binds_new ();

  if (uuids->len == 0)
    return TRUE;
  append_nodes_source_full (sql, binds, view, kinds, TRUE);
  g_string_append (sql, " v WHERE v.status = 0 AND ");
  append_in_ids (sql, binds, "v.uuid", uuids);
  return collect_rows (conn, sql->str, binds, (RowFunc) node_row_from_stmt, out_rows, error);
}

/* The open version of @uuid on @branch that @sql (a fixed statement over
 * uuid and branch) selects, or NULL. */
static gboolean
fetch_open_version (BoughDriverConn  *conn,
                    const char       *sql,
                    const char       *uuid,
                    const char       *branch,
                    BoughNodeRow    **out_row,
                    GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);

  bind_uuid (binds, uuid);
  bind_text (binds, branch);
  if (!collect_rows (conn, sql, binds, (RowFunc) node_row_from_stmt, rows, error))
    return FALSE;
  *out_row = rows->len > 0 ? g_ptr_array_steal_index (rows, 0) : NULL;
  return TRUE;
}

static gboolean
sqlite_fetch_node_version (BoughDriverConn  *conn,
                           const char       *uuid,
                           const char       *branch,
                           BoughNodeRow    **out_row,
                           GError          **error)
{
  return fetch_open_version (conn,
                             "SELECT " NODE_COLS " FROM nodes WHERE uuid = ? AND branch = ?"
                             " AND to_stamp IS NULL AND status != 2",
                             uuid, branch, out_row, error);
}

/* Pack rows (status 2) hold attributes kept on another branch than their node. */
static gboolean
sqlite_fetch_pack_version (BoughDriverConn  *conn,
                           const char       *uuid,
                           const char       *branch,
                           BoughNodeRow    **out_row,
                           GError          **error)
{
  return fetch_open_version (conn,
                             "SELECT " NODE_COLS " FROM nodes WHERE uuid = ? AND branch = ?"
                             " AND to_stamp IS NULL AND status = 2",
                             uuid, branch, out_row, error);
}

static void append_vis (GString *sql, GArray *binds, const char *alias, const BoughReadView *view,
                        gint64 at);

static gboolean
sqlite_fetch_packs (BoughDriverConn      *conn,
                    const BoughReadView  *view,
                    GPtrArray            *uuids,
                    GPtrArray            *out_rows,
                    GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " NODE_COLS " FROM nodes n WHERE ");
  g_autoptr(GArray) binds = binds_new ();

  if (uuids->len == 0)
    return TRUE;
  append_in_ids (sql, binds, "n.uuid", uuids);
  g_string_append (sql, " AND n.status = 2 AND ((n.branch IN (?, ?) AND ");
  bind_text (binds, view->branch);
  bind_text (binds, BOUGH_GLOBAL_BRANCH);
  append_vis (sql, binds, "n", view, view->at);
  g_string_append_c (sql, ')');
  if (!view->is_default)
    {
      /* the branch attributes of an agnostic node are branch data: a
       * branch sees main's as of its branch point until it writes its own */
      g_string_append (sql, " OR (n.branch = ? AND ");
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
      append_vis (sql, binds, "n", view, view->main_at);
      g_string_append (sql, " AND NOT EXISTS (SELECT 1 FROM nodes b WHERE b.uuid = n.uuid AND b.branch = ?"
                            " AND b.status = 2 AND ");
      bind_text (binds, view->branch);
      append_vis (sql, binds, "b", view, view->at);
      g_string_append (sql, "))");
    }
  g_string_append_c (sql, ')');
  return collect_rows (conn, sql->str, binds, (RowFunc) node_row_from_stmt, out_rows, error);
}

/* Lookups are found through a 64-bit hash of kind, key and value (FNV-1a):
 * an index of small integers instead of long, similar strings. Matches are
 * confirmed on the columns themselves. */
static gint64
lookup_hash (const char *kind,
             const char *key,
             const char *value)
{
  const char *parts[3] = { kind, key, value };
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  for (guint i = 0; i < 3; i++)
    {
      for (const guchar *p = (const guchar *) parts[i]; *p; p++)
        {
          h ^= *p;
          h *= G_GUINT64_CONSTANT (1099511628211);
        }
      h ^= 0xff;
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  return (gint64) h;
}

static gboolean
sqlite_insert_lookups (BoughDriverConn  *conn,
                       const char       *kind,
                       const char       *uuid,
                       const char       *branch,
                       gint64            stamp,
                       GPtrArray        *lookups,
                       GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  for (guint i = 0; i < lookups->len; i++)
    {
      BoughLookup *l = g_ptr_array_index (lookups, i);
      g_array_set_size (binds, 0);
      bind_int (binds, lookup_hash (kind, l->key, l->value));
      bind_text_ref (binds, kind);
      bind_text_ref (binds, l->key);
      bind_text_ref (binds, l->value);
      bind_uuid (binds, uuid);
      bind_text_ref (binds, branch);
      bind_int (binds, stamp);
      if (!conn_run_fixed (conn,
                     "INSERT INTO lookups (h, kind, key, value, uuid, branch, from_stamp)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     binds, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_close_lookups (BoughDriverConn  *conn,
                      const char       *uuid,
                      const char       *branch,
                      gint64            stamp,
                      GError          **error)
{
  g_autoptr(GArray) del = binds_new ();
  g_autoptr(GArray) upd = binds_new ();

  bind_uuid (del, uuid);
  bind_text (del, branch);
  bind_int (del, stamp);
  bind_int (upd, stamp);
  bind_uuid (upd, uuid);
  bind_text (upd, branch);
  return conn_run_fixed (conn,
                   "DELETE FROM lookups WHERE uuid = ? AND branch = ? AND to_stamp IS NULL"
                   " AND from_stamp = ?",
                   del, error) &&
         conn_run_fixed (conn,
                   "UPDATE lookups SET to_stamp = ? WHERE uuid = ? AND branch = ? AND to_stamp IS NULL",
                   upd, error);
}

static gboolean
sqlite_replace_lookups (BoughDriverConn  *conn,
                        const char       *kind,
                        const char       *uuid,
                        const char       *branch,
                        gint64            stamp,
                        GPtrArray        *lookups,
                        GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  guint wanted = lookups != NULL ? lookups->len : 0;
  guint n_open = 0;
  gboolean same = TRUE;
  sqlite3_stmt *stmt;
  int rc;

  bind_uuid (binds, uuid);
  bind_text_ref (binds, branch);
  stmt = conn_statement (conn, "SELECT key, value FROM lookups WHERE uuid = ? AND branch = ? AND to_stamp IS NULL",
                         binds, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);
      gboolean found = FALSE;

      n_open++;
      for (guint i = 0; same && !found && i < wanted; i++)
        {
          BoughLookup *l = g_ptr_array_index (lookups, i);
          found = g_strcmp0 (l->key, key) == 0 && g_strcmp0 (l->value, value) == 0;
        }
      same = same && found;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  /* lookups are distinct by key: as many, each found, is the same set */
  if (same && n_open == wanted)
    return TRUE;
  if (!sqlite_close_lookups (conn, uuid, branch, stamp, error))
    return FALSE;
  return lookups == NULL || sqlite_insert_lookups (conn, kind, uuid, branch, stamp, lookups, error);
}

static gpointer
uuid_from_stmt (sqlite3_stmt *stmt)
{
  return uuid_column_dup (stmt, 0);
}

static gboolean
sqlite_find_lookup (BoughDriverConn      *conn,
                    const BoughReadView  *view,
                    char                **kinds,
                    const char           *key,
                    const char           *value,
                    GPtrArray            *out_uuids,
                    GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT l.uuid FROM lookups l WHERE ");
  g_autoptr(GArray) binds = binds_new ();
  guint start;

  {
    guint n = g_strv_length (kinds);
    g_string_append (sql, n == 0 ? "0" : n == 1 ? "l.h = ?" : "l.h IN (");
    for (guint i = 0; i < n; i++)
      {
        if (n > 1)
          g_string_append (sql, i == 0 ? "?" : ", ?");
        bind_int (binds, lookup_hash (kinds[i], key, value));
      }
    if (n > 1)
      g_string_append_c (sql, ')');
  }
  g_string_append (sql, " AND ");
  append_in_strv (sql, binds, "l.kind", kinds);
  g_string_append (sql, " AND l.key = ? AND l.value = ? AND ");
  bind_text_ref (binds, key);
  bind_text_ref (binds, value);
  if (view->is_default)
    {
      g_string_append (sql, "l.branch IN (?, ?) AND ");
      bind_text_ref (binds, BOUGH_DEFAULT_BRANCH);
      bind_text_ref (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "l", view, view->at);
    }
  else
    {
      /* The lookups of a node are rewritten with each of its versions, so
       * the branch's rows replace main's for every node it has written. */
      g_string_append (sql, "((l.branch IN (?, ?) AND ");
      bind_text_ref (binds, view->branch);
      bind_text_ref (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "l", view, view->at);
      g_string_append (sql, ") OR (l.branch = ? AND ");
      bind_text_ref (binds, BOUGH_DEFAULT_BRANCH);
      append_vis (sql, binds, "l", view, view->main_at);
      g_string_append (sql, " AND NOT EXISTS (SELECT 1 FROM nodes b WHERE b.uuid = l.uuid AND b.branch = ? AND ");
      bind_text_ref (binds, view->branch);
      append_vis (sql, binds, "b", view, view->at);
      g_string_append (sql, ")))");
    }
  /* duplicates (a node's rows on two branches) are dropped here rather than
   * with DISTINCT, which costs a temporary b-tree per execution */
  start = out_uuids->len;
  if (!collect_rows (conn, sql->str, binds, uuid_from_stmt, out_uuids, error))
    return FALSE;
  for (guint i = out_uuids->len; i > start + 1; i--)
    for (guint j = start; j < i - 1; j++)
      if (g_str_equal (g_ptr_array_index (out_uuids, i - 1), g_ptr_array_index (out_uuids, j)))
        {
          g_ptr_array_remove_index (out_uuids, i - 1);
          break;
        }
  return TRUE;
}

static gint64
sqlite_insert_rel (BoughDriverConn    *conn,
                   const BoughRelRow  *row,
                   GError            **error)
{
  g_autoptr(GArray) binds = binds_new ();
  bind_text_ref (binds, row->identifier);
  bind_uuid (binds, row->src);
  bind_uuid (binds, row->dst);
  bind_text_ref (binds, row->branch);
  bind_int (binds, row->from_stamp);
  bind_int (binds, row->status);
  bind_text_ref (binds, row->props);
  if (!conn_run_fixed (conn,
                 "INSERT INTO rels (identifier, src, dst, branch, from_stamp, status, props)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)",
                 binds, error))
    return -1;
  return sqlite3_last_insert_rowid (conn->db);
}

static gboolean
sqlite_close_rel (BoughDriverConn  *conn,
                  gint64            rowid,
                  gint64            stamp,
                  GError          **error)
{
  return close_row (conn, "rels", rowid, stamp, error);
}

static int
compare_rel_rows (const void *a,
                  const void *b)
{
  const BoughRelRow *x = *(BoughRelRow * const *) a;
  const BoughRelRow *y = *(BoughRelRow * const *) b;

  if (x->from_stamp != y->from_stamp)
    return x->from_stamp < y->from_stamp ? -1 : 1;
  return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

static gboolean
sqlite_fetch_rels (BoughDriverConn      *conn,
                   const BoughReadView  *view,
                   const char           *identifier,
                   BoughRelSide          side,
                   GPtrArray            *uuids,
                   GPtrArray            *out_rows,
                   GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " REL_COLS " FROM ");
  g_autoptr(GArray) binds = binds_new ();
  guint first = out_rows->len;

  if (uuids->len == 0)
    return TRUE;
  if (uuids->len > MAX_IN_PLACEHOLDERS)
    {
      /* many (distinct) ids: walk them and seek each from its end, rather
       * than build a temporary index of them for IN */
      static const char *ends[] = { "src", "dst" };

      g_string_truncate (sql, 0);
      bind_strs_json (binds, (const char **) uuids->pdata, uuids->len);
      for (guint e = 0; e < 2; e++)
        {
          if ((e == 0 && side == BOUGH_REL_SIDE_DST) || (e == 1 && side == BOUGH_REL_SIDE_SRC))
            continue;
          if (sql->len > 0)
            g_string_append (sql, " UNION ALL ");
          if (view->is_default)
            {
              g_string_append (sql, "SELECT v.id, v.identifier, v.src, v.dst, v.branch, v.from_stamp,"
                                    " v.to_stamp, v.status, v.props FROM json_each(?1) j CROSS JOIN ");
              append_rels_source (sql, binds, view, identifier);
              g_string_append_printf (sql, " v WHERE v.status = 0 AND v.%s = bough_uuid(j.value)", ends[e]);
            }
          else
            append_rels_join (sql, binds, view, identifier, ends[e]);
        }
      if (!collect_rows (conn, sql->str, binds, (RowFunc) rel_row_from_stmt, out_rows, error))
        return FALSE;
      qsort (out_rows->pdata + first, out_rows->len - first, sizeof (gpointer), compare_rel_rows);
      /* a link with both ends among the ids came once from each (and
       * sorts next to itself) */
      for (guint i = out_rows->len; i > first + 1; i--)
        if (((BoughRelRow *) g_ptr_array_index (out_rows, i - 1))->rowid ==
            ((BoughRelRow *) g_ptr_array_index (out_rows, i - 2))->rowid)
          bough_rel_row_free (g_ptr_array_steal_index (out_rows, i - 1));
      return TRUE;
    }
  append_rels_source (sql, binds, view, identifier);
  g_string_append (sql, " v WHERE v.status = 0 AND ");
  switch (side)
    {
    case BOUGH_REL_SIDE_SRC:
      append_in_ids (sql, binds, "v.src", uuids);
      break;
    case BOUGH_REL_SIDE_DST:
      append_in_ids (sql, binds, "v.dst", uuids);
      break;
    case BOUGH_REL_SIDE_BOTH:
    default:
      g_string_append (sql, "(");
      append_in_ids (sql, binds, "v.src", uuids);
      g_string_append (sql, " OR ");
      append_in_ids (sql, binds, "v.dst", uuids);
      g_string_append (sql, ")");
      break;
    }
  /* many nodes: sorting the rows here is cheaper than a sorter in SQLite */
  if (uuids->len <= MAX_IN_PLACEHOLDERS)
    g_string_append (sql, " ORDER BY v.from_stamp, v.id");
  if (!collect_rows (conn, sql->str, binds, (RowFunc) rel_row_from_stmt, out_rows, error))
    return FALSE;
  if (uuids->len > MAX_IN_PLACEHOLDERS)
    qsort (out_rows->pdata + first, out_rows->len - first, sizeof (gpointer), compare_rel_rows);
  return TRUE;
}

static gboolean
sqlite_list_rels (BoughDriverConn      *conn,
                  const BoughReadView  *view,
                  const char           *identifier,
                  GPtrArray            *out_rows,
                  GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " REL_COLS " FROM ");
  g_autoptr(GArray) binds = binds_new ();

  append_rels_source (sql, binds, view, identifier);
  g_string_append (sql, " v WHERE v.status = 0 ORDER BY v.from_stamp, v.id");
  return collect_rows (conn, sql->str, binds, (RowFunc) rel_row_from_stmt, out_rows, error);
}

static gboolean
sqlite_fetch_rel_version (BoughDriverConn  *conn,
                          const char       *identifier,
                          const char       *a,
                          const char       *b,
                          const char       *branch,
                          BoughRelRow     **out_row,
                          GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_rel_row_free);

  bind_uuid (binds, a);
  bind_text (binds, identifier);
  bind_uuid (binds, b);
  bind_text (binds, branch);
  bind_uuid (binds, b);
  bind_text (binds, identifier);
  bind_uuid (binds, a);
  bind_text (binds, branch);
  if (!collect_rows (conn,
                     "SELECT " REL_COLS " FROM rels WHERE src = ? AND identifier = ? AND dst = ?"
                     " AND branch = ? AND to_stamp IS NULL"
                     " UNION ALL SELECT " REL_COLS " FROM rels WHERE src = ? AND identifier = ?"
                     " AND dst = ? AND branch = ? AND to_stamp IS NULL",
                     binds, (RowFunc) rel_row_from_stmt, rows, error))
    return FALSE;
  *out_row = rows->len > 0 ? g_ptr_array_steal_index (rows, 0) : NULL;
  return TRUE;
}

/* ---- queries ---- */

static char *
attr_path (const char *attribute,
           const char *prop)
{
  return g_strdup_printf ("$.\"%s\".%s", attribute, prop);
}

static gboolean
value_is_string (JsonNode *value)
{
  return value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
         json_node_get_value_type (value) == G_TYPE_STRING;
}

/* json_extract of @path in the attributes of @alias: its own row's, or
 * for a packed attribute those of its pack visible in @view. */
static void
append_json_at (GString             *sql,
                GArray              *binds,
                const char          *alias,
                const BoughReadView *view,
                gboolean             packed,
                const char          *path)
{
  g_string_append (sql, "json_extract(");
  if (packed)
    {
      g_string_append_printf (sql, "(SELECT g.attrs FROM nodes g WHERE g.uuid = %s.uuid"
                                   " AND g.branch IN (?, ?) AND g.status = 2 AND ", alias);
      bind_text (binds, view->branch);
      bind_text (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "g", view, view->at);
      g_string_append (sql, " LIMIT 1)");
    }
  else
    g_string_append_printf (sql, "%s.attrs", alias);
  g_string_append (sql, ", ?)");
  bind_text (binds, path);
}

/* Does @needle (lowered as lower() does) fit in SQLite's text of a real
 * (printf "%!.15g": "0.666666666666667", "1.0e+20", "Inf") or of a
 * boolean ("1", "0")? Loosely: signs, one '.', one 'e' and digits, or a
 * part of "-inf". A partial filter tests that text, which need not be in
 * the attributes' JSON ("0.66666666666666663", "1e+20", "true"). */
static gboolean
needle_may_be_number (const char *needle)
{
  const char *dot = NULL, *e = NULL;

  if (strstr ("-inf", needle) != NULL)
    return TRUE;
  for (const char *p = needle; *p != '\0'; p++)
    {
      if (*p == '.' && dot == NULL && e == NULL)
        dot = p;
      else if (*p == 'e' && e == NULL)
        e = p;
      else if ((*p == '+' || *p == '-') && (p == needle || p[-1] == 'e'))
        continue;
      else if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return TRUE;
}

/* Longer needles get no prefilter: SQLite refuses LIKE patterns of more
 * than 50,000 bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH). */
#define MAX_PREFILTER_NEEDLE 10000

/* "@alias.attrs LIKE ? ESCAPE '\' AND ": a cheap necessary condition, on
 * the raw JSON text of @alias's attributes, for the value test of @value
 * on one of them (partial: its text holds @value as lower() folds it;
 * exact: it is the string @value), put before that test so that SQLite,
 * which tests the terms of a scan in their order, skips most of the
 * json_extract() calls. LIKE folds ASCII only, as lower() does (the store
 * never sets case_sensitive_like), and finds the next possible start with
 * strcspn(): it costs about what reading the text costs, less than
 * instr(lower(..)), which copies it.
 *
 * The needle must be in the text as it is. The store writes strings with
 * '"', '\' and control characters escaped and all else as is (needles
 * with DEL are left out too: JsonGenerator escapes it), so a needle without
 * those is in the text of every string that holds it, and of every array
 * or object: json_extract() gives them as their text, minified as the
 * writer writes it. A number or boolean is tested as SQLite's text of it
 * ("0.666666666666667", "1.0e+20", "1" for true), which its JSON need not
 * hold ("0.66666666666666663", "1e+20", "true"): needles that could be part
 * of that get no prefilter, nor do packed attributes (kept in other rows),
 * empty needles and needles that are not UTF-8 (LIKE reads characters). */
static void
append_text_prefilter (GString    *sql,
                       GArray     *binds,
                       const char *alias,
                       JsonNode   *value,
                       gboolean    partial)
{
  const char *needle = value_is_string (value) ? json_node_get_string (value) : NULL;
  g_autoptr(GString) pattern = NULL;

  if (needle == NULL || *needle == '\0' || strlen (needle) > MAX_PREFILTER_NEEDLE ||
      !g_utf8_validate (needle, -1, NULL))
    return;
  pattern = g_string_new ("%");
  for (const guchar *p = (const guchar *) needle; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f)
        return;
      if (*p == '%' || *p == '_')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  if (partial)
    {
      g_autofree char *lowered = g_ascii_strdown (needle, -1);

      if (needle_may_be_number (lowered))
        return;
    }
  else if (*needle != '[' && *needle != '{')
    {
      /* a string: the needle then its closing quote (an array or object
       * equals its own text); its opening quote would be a poor first
       * character to look for */
      g_string_append_c (pattern, '"');
    }
  g_string_append_c (pattern, '%');
  g_string_append_printf (sql, "%s.attrs LIKE ? ESCAPE '\\' AND ", alias);
  bind_text (binds, pattern->str);
}

/* A condition on the value (or a property) of one attribute of @alias, or
 * of any attribute when @attribute is NULL. Paths and values are bound. */
static void
append_attr_cond (GString                  *sql,
                  GArray                   *binds,
                  const char               *alias,
                  const BoughReadView      *view,
                  gboolean                  packed,
                  BoughFilterOp             op,
                  const char               *attribute,
                  JsonNode                 *value,
                  gboolean                  partial)
{
  g_autofree char *path = NULL;

  if (attribute == NULL)
    {
      /* any attribute: match the value of one of the node's attributes */
      if (op == BOUGH_FILTER_VALUE)
        append_text_prefilter (sql, binds, alias, value, partial);
      g_string_append_printf (sql, "EXISTS (SELECT 1 FROM json_each(%s.attrs) j WHERE ", alias);
      append_attr_cond (sql, binds, "j", view, FALSE, op, "", value, partial);
      g_string_append (sql, ")");
      return;
    }

  if (*attribute == '\0')
    {
      /* inside the "any" form above: j.value is the attribute object */
      switch (op)
        {
        case BOUGH_FILTER_VALUES:
          g_string_append (sql, "json_extract(j.value, '$.value') IN (SELECT value FROM json_each(?))");
          bind_json_array (binds, value);
          return;
        default:
          if (partial && value_is_string (value))
            {
              g_string_append (sql, "instr(lower(json_extract(j.value, '$.value')), lower(?)) > 0");
              bind_json_scalar (binds, value);
            }
          else
            {
              g_string_append (sql, "json_extract(j.value, '$.value') = ?");
              bind_json_scalar (binds, value);
            }
          return;
        }
    }

  switch (op)
    {
    case BOUGH_FILTER_IS_VISIBLE:
      path = attr_path (attribute, "is_visible");
      g_string_append (sql, "coalesce(");
      append_json_at (sql, binds, alias, view, packed, path);
      g_string_append (sql, ", 1) = ?");
      bind_json_scalar (binds, value);
      return;
    case BOUGH_FILTER_IS_PROTECTED:
      path = attr_path (attribute, "is_protected");
      g_string_append (sql, "coalesce(");
      append_json_at (sql, binds, alias, view, packed, path);
      g_string_append (sql, ", 0) = ?");
      bind_json_scalar (binds, value);
      return;
    case BOUGH_FILTER_SOURCE_ID:
    case BOUGH_FILTER_OWNER_ID:
      path = attr_path (attribute, op == BOUGH_FILTER_SOURCE_ID ? "source" : "owner");
      append_json_at (sql, binds, alias, view, packed, path);
      g_string_append (sql, " = ?");
      bind_json_scalar (binds, value);
      return;
    default:
      break;
    }

  path = attr_path (attribute, "value");
  switch (op)
    {
    case BOUGH_FILTER_VALUES:
      append_json_at (sql, binds, alias, view, packed, path);
      g_string_append (sql, " IN (SELECT value FROM json_each(?))");
      bind_json_array (binds, value);
      break;
    case BOUGH_FILTER_ISNULL:
      g_string_append (sql, "(");
      append_json_at (sql, binds, alias, view, packed, path);
      g_string_append (sql, " IS NULL) = ?");
      bind_json_scalar (binds, value);
      break;
    case BOUGH_FILTER_VALUE:
    default:
      if (value == NULL || JSON_NODE_HOLDS_NULL (value))
        {
          append_json_at (sql, binds, alias, view, packed, path);
          g_string_append (sql, " IS NULL");
        }
      else if (partial && value_is_string (value))
        {
          if (!packed)
            append_text_prefilter (sql, binds, alias, value, TRUE);
          g_string_append (sql, "instr(lower(");
          append_json_at (sql, binds, alias, view, packed, path);
          g_string_append (sql, "), lower(?)) > 0");
          bind_json_scalar (binds, value);
        }
      else
        {
          if (!packed)
            append_text_prefilter (sql, binds, alias, value, FALSE);
          append_json_at (sql, binds, alias, view, packed, path);
          g_string_append (sql, " = ?");
          bind_json_scalar (binds, value);
        }
      break;
    }
}

/* v.uuid IN (nodes linked through @identifier to a peer in @peer_set) */
static void
append_rel_in (GString                 *sql,
               GArray                  *binds,
               const BoughReadView     *view,
               const BoughDriverFilter *f,
               void                   (*peer_set) (GString *, GArray *, const BoughReadView *,
                                                   const BoughDriverFilter *),
               gboolean                 negate)
{
  const char *near[2] = { "src", "dst" };
  const char *far[2] = { "dst", "src" };
  guint first = f->side == BOUGH_REL_SIDE_DST ? 1 : 0;
  guint last = f->side == BOUGH_REL_SIDE_SRC ? 0 : 1;

  g_string_append (sql, negate ? "NOT (" : "(");
  for (guint i = first; i <= last; i++)
    {
      if (i != first)
        g_string_append (sql, " OR ");
      g_string_append_printf (sql, "v.uuid IN (SELECT r.%s FROM ", near[i]);
      append_rels_source (sql, binds, view, f->identifier);
      g_string_append (sql, " r WHERE r.status = 0");
      if (peer_set != NULL)
        {
          g_string_append_printf (sql, " AND r.%s IN (", far[i]);
          peer_set (sql, binds, view, f);
          g_string_append (sql, ")");
        }
      g_string_append (sql, ")");
    }
  g_string_append (sql, ")");
}

static void
peer_set_ids (GString                 *sql,
              GArray                  *binds,
              const BoughReadView     *view,
              const BoughDriverFilter *f)
{
  g_string_append (sql, "SELECT bough_uuid(value) FROM json_each(?)");
  bind_json_array (binds, f->value);
}

static void
peer_set_attr (GString                 *sql,
               GArray                  *binds,
               const BoughReadView     *view,
               const BoughDriverFilter *f)
{
  g_string_append (sql, "SELECT p.uuid FROM ");
  append_nodes_source (sql, binds, view, f->peer_kinds);
  g_string_append (sql, " p WHERE p.status = 0 AND ");
  append_attr_cond (sql, binds, "p", view, f->packed, f->op, f->attribute, f->value, f->partial);
}

static void
append_filter (GString                 *sql,
               GArray                  *binds,
               const BoughReadView     *view,
               char                   **kinds,
               const BoughDriverFilter *f)
{
  g_string_append (sql, " AND ");
  switch (f->type)
    {
    case BOUGH_DRIVER_FILTER_ATTR:
    case BOUGH_DRIVER_FILTER_ANY:
      append_attr_cond (sql, binds, "v", view, f->packed, f->op, f->attribute, f->value, f->partial);
      break;
    case BOUGH_DRIVER_FILTER_IDS:
      g_string_append (sql, "v.uuid IN (SELECT bough_uuid(value) FROM json_each(?))");
      bind_json_array (binds, f->value);
      break;
    case BOUGH_DRIVER_FILTER_HFID:
      /* candidates from the hfid lookups, confirmed on the version itself */
      g_string_append (sql, "v.hfid = ? AND v.uuid IN (SELECT l.uuid FROM lookups l WHERE ");
      bind_json_scalar (binds, f->value);
      {
        const char *hfid = json_node_get_string (f->value);
        guint n = kinds != NULL ? g_strv_length (kinds) : 0;
        g_string_append (sql, n == 0 ? "0" : n == 1 ? "l.h = ?" : "l.h IN (");
        for (guint i = 0; i < n; i++)
          {
            if (n > 1)
              g_string_append (sql, i == 0 ? "?" : ", ?");
            bind_int (binds, lookup_hash (kinds[i], "hfid", hfid));
          }
        if (n > 1)
          g_string_append_c (sql, ')');
      }
      g_string_append (sql, " AND l.key = 'hfid')");
      break;
    case BOUGH_DRIVER_FILTER_REL_ATTR:
      append_rel_in (sql, binds, view, f, peer_set_attr, FALSE);
      break;
    case BOUGH_DRIVER_FILTER_REL_IDS:
      append_rel_in (sql, binds, view, f, peer_set_ids, FALSE);
      break;
    case BOUGH_DRIVER_FILTER_REL_ISNULL:
      {
        gboolean isnull = f->value != NULL && JSON_NODE_HOLDS_VALUE (f->value) &&
                          json_node_get_boolean (f->value);
        append_rel_in (sql, binds, view, f, NULL, isnull);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The value of @o's attribute on the peer that the link @o names joins
 * to the listed node v at its @near end, as a scalar subquery (NULL without
 * a visible peer). A branch view is spelt out arm by arm: SQLite does not
 * push the correlation into a compound subquery (append_rels_source()), so
 * it would read every link of the identifier for each node. */
static void
append_peer_value (GString                *sql,
                   GArray                 *binds,
                   const BoughReadView    *view,
                   const BoughDriverOrder *o,
                   const char             *near,
                   const char             *far)
{
  g_autofree char *path = attr_path (o->attribute, "value");

  if (o->property != NULL)
    {
      g_string_append (sql, "(SELECT bough_ip_part(json_extract(p.attrs, ?), ?) FROM rels r CROSS JOIN nodes p WHERE ");
      bind_text (binds, path);
      bind_text (binds, o->property);
    }
  else
    {
      g_string_append (sql, "(SELECT json_extract(p.attrs, ?) FROM rels r CROSS JOIN nodes p WHERE ");
      bind_text (binds, path);
    }
  g_string_append_printf (sql, "r.%s = v.uuid AND r.identifier = ? AND r.status = 0 AND ", near);
  bind_text (binds, o->identifier);
  if (view->is_default)
    {
      g_string_append (sql, "+r.branch IN (?, ?) AND ");
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
      bind_text (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "r", view, view->at);
      g_string_append_printf (sql, " AND p.uuid = r.%s AND +p.branch IN (?, ?) AND ", far);
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
      bind_text (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "p", view, view->at);
    }
  else
    {
      g_string_append (sql, "((+r.branch IN (?, ?) AND ");
      bind_text (binds, view->branch);
      bind_text (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "r", view, view->at);
      g_string_append (sql, ") OR (+r.branch = ? AND ");
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
      append_vis (sql, binds, "r", view, view->main_at);
      append_rel_unshadowed (sql, binds, view, "r");
      g_string_append_printf (sql, ")) AND p.uuid = r.%s AND ((+p.branch IN (?, ?) AND ", far);
      bind_text (binds, view->branch);
      bind_text (binds, BOUGH_GLOBAL_BRANCH);
      append_vis (sql, binds, "p", view, view->at);
      g_string_append (sql, ") OR (+p.branch = ? AND ");
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
      append_vis (sql, binds, "p", view, view->main_at);
      append_unshadowed (sql, binds, view, "p");
      g_string_append (sql, "))");
    }
  g_string_append (sql, " AND p.status = 0 LIMIT 1)");
}

/* The sort key of @o for the node v: its order key (@okey: kept on the
 * open versions of the default branch, with x'' for null so that nulls
 * sort last there too), its creation or version stamp, or a value read
 * from the attributes. */
static void
append_order_key (GString                *sql,
                  GArray                 *binds,
                  const BoughReadView    *view,
                  const BoughDriverOrder *o,
                  gboolean                okey)
{
  g_autofree char *path = NULL;

  if (okey)
    {
      g_assert (o->type == BOUGH_DRIVER_ORDER_ATTR);
      g_string_append (sql, "v.okey");
      return;
    }
  switch (o->type)
    {
    case BOUGH_DRIVER_ORDER_ATTR:
      path = attr_path (o->attribute, "value");
      if (o->property != NULL)
        {
          g_string_append (sql, "bough_ip_part(json_extract(v.attrs, ?), ?)");
          bind_text (binds, path);
          bind_text (binds, o->property);
        }
      else
        {
          g_string_append (sql, "json_extract(v.attrs, ?)");
          bind_text (binds, path);
        }
      break;
    case BOUGH_DRIVER_ORDER_CREATED:
      g_string_append (sql, "v.created");
      break;
    case BOUGH_DRIVER_ORDER_UPDATED:
      g_string_append (sql, "v.from_stamp");
      break;
    case BOUGH_DRIVER_ORDER_REL_ATTR:
      if (o->side == BOUGH_REL_SIDE_SRC)
        append_peer_value (sql, binds, view, o, "src", "dst");
      else if (o->side == BOUGH_REL_SIDE_DST)
        append_peer_value (sql, binds, view, o, "dst", "src");
      else
        {
          g_string_append (sql, "coalesce(");
          append_peer_value (sql, binds, view, o, "src", "dst");
          g_string_append (sql, ", ");
          append_peer_value (sql, binds, view, o, "dst", "src");
          g_string_append (sql, ")");
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The direction of a sort key: nulls after the values ascending, before
 * them descending (a stamp is never null; the order key holds x''). */
static const char *
order_direction (const BoughDriverOrder *o,
                 gboolean                okey,
                 gboolean                reverse)
{
  gboolean nullable = !okey && (o->type == BOUGH_DRIVER_ORDER_ATTR ||
                                o->type == BOUGH_DRIVER_ORDER_REL_ATTR);

  if (o->descending != reverse)
    return nullable ? " DESC NULLS FIRST" : " DESC";
  return nullable ? " NULLS LAST" : "";
}

/* Ties are broken by id, in the direction of the last key (so that one
 * key read from an index in either direction needs no sort). */
static const char *
tie_direction (const BoughDriverQuery *query,
               gboolean                reverse)
{
  guint n = query->orders != NULL ? query->orders->len : 0;
  gboolean desc = n > 0 && ((BoughDriverOrder *) g_ptr_array_index (query->orders, n - 1))->descending;

  return desc != reverse ? " DESC" : "";
}

static guint
n_orders (const BoughDriverQuery *query)
{
  return query->orders != NULL ? query->orders->len : 0;
}

#define NODE_COLS_N "n.id, n.uuid, n.kind, n.branch, n.from_stamp, n.to_stamp, n.status, n.created," \
                    " n.attrs, n.hfid, n.label, n.okey"

/* The rows of the page whose ids and keys the subquery just written into
 * @sql selected (in its columns rid, ruid, k0...): "deferred join", so that
 * the sort carries (keys, id) rather than whole rows. */
static void
append_page_join (GString                *sql,
                  const BoughDriverQuery *query,
                  gboolean                okey,
                  gboolean                reverse)
{
  g_string_append (sql, ") k CROSS JOIN nodes n ON n.id = k.rid ORDER BY ");
  for (guint i = 0; i < n_orders (query); i++)
    g_string_append_printf (sql, "k.k%u%s, ", i,
                            order_direction (g_ptr_array_index (query->orders, i), okey && i == 0, reverse));
  g_string_append_printf (sql, "k.ruid%s", tie_direction (query, reverse));
}

/* A page past the middle of the list is read from its end, in the
 * reverse order: the sort (or the index walk) then passes fewer rows. The
 * count is needed to know; below this offset it is not worth one. */
#define REVERSE_MIN_OFFSET 5000

static gboolean
page_reversed (const BoughDriverQuery *query,
               gint64                  count,
               gint64                 *offset)
{
  gint64 limit = query->limit < 0 ? count : query->limit;

  if (query->offset < REVERSE_MIN_OFFSET || count < 0 || query->limit < 0 ||
      query->offset + limit / 2 <= count / 2)
    return FALSE;
  /* the rows from query->offset on, counted from the end */
  *offset = MAX (count - query->offset - limit, 0);
  return TRUE;
}

/* The rows of query_ordered() as query() lends or returns them,
 * turned round when @reverse. */
static gboolean
run_node_rows (BoughDriverConn         *conn,
               const char              *sql,
               GArray                  *binds,
               const BoughDriverQuery  *query,
               gboolean                 reverse,
               GPtrArray               *out_rows,
               GError                 **error);

/* The branches whose versions the walked arms of query_ordered() read:
 * main and the global branch on the default branch, main alone on another
 * (the global branch's versions are then among the branch's, see
 * append_nodes_source_full()). */
static void
append_main_branches (GString             *sql,
                      GArray              *binds,
                      const BoughReadView *view,
                      const char          *column)
{
  if (view->is_default)
    {
      g_string_append_printf (sql, "%s IN (?, ?)", column);
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
      bind_text (binds, BOUGH_GLOBAL_BRANCH);
    }
  else
    {
      g_string_append_printf (sql, "%s = ?", column);
      bind_text (binds, BOUGH_DEFAULT_BRANCH);
    }
}

/* A listing of one kind in its order (its order key first) or in creation
 * order (created first, through nodes_created, which a closed version
 * never leaves stale), on the default branch as of a past time or on a
 * branch. Main's versions visible at @view->main_at are the open ones
 * opened by then, walked in the order of nodes_order (or nodes_created),
 * and the versions closed since then (few when the time is recent), found
 * through nodes_closed and sorted; on a branch, less those the branch
 * hides (append_unshadowed()), plus the branch's and the global branch's
 * versions visible at @view->at (few: what the branch changed), sorted.
 * SQLite merges the arms and stops at the page, instead of sorting every
 * version of the kind. The order key of a closed version may be stale
 * (set_order() rewrites the open versions only) and a branch's versions
 * are not main's, so those arms read the value from the attributes.
 *
 * The count is main's open versions (from nodes_kind alone), less those
 * opened since @view->main_at (through nodes_since), plus those closed
 * since then and opened by then; on a branch, less main's versions the
 * branch hides (found from the branch's versions of the kind), plus the
 * branch's. It costs what changed too. */
static gboolean
query_ordered (BoughDriverConn         *conn,
               const BoughReadView     *view,
               const BoughDriverQuery  *query,
               const char              *cond,
               GArray                  *cond_binds,
               gboolean                 count_only,
               gint64                  *out_count,
               GPtrArray               *out_rows,
               GError                 **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GArray) binds = binds_new ();
  const BoughDriverOrder *first = g_ptr_array_index (query->orders, 0);
  /* by creation (nodes_created) or by the order key (nodes_order) */
  gboolean created = first->type == BOUGH_DRIVER_ORDER_CREATED;
  g_autofree char *path = created ? NULL : attr_path (first->attribute, "value");
  const char *kind = query->kinds[0];
  gboolean branch = !view->is_default;
  guint n_arms = branch ? 3 : 2;
  gint64 main_at = view->main_at;
  gint64 count = -1;
  gint64 offset = MAX (query->offset, 0);
  gboolean reverse;

  if (out_count != NULL || (!count_only && query->offset >= REVERSE_MIN_OFFSET))
    {
      sqlite3_stmt *stmt;
      int rc;

      g_string_append (sql, "SELECT (SELECT count(*) FROM nodes v WHERE v.kind = ? AND ");
      bind_text (binds, kind);
      append_main_branches (sql, binds, view, "v.branch");
      g_string_append_printf (sql, " AND v.to_stamp IS NULL AND v.status = 0 AND %s)"
                                   " - (SELECT count(*) FROM nodes v WHERE ", cond);
      binds_append (binds, cond_binds);
      append_main_branches (sql, binds, view, "v.branch || ''");
      g_string_append_printf (sql, " AND v.from_stamp + 0 > ? AND v.kind = ? AND v.to_stamp IS NULL"
                                   " AND v.status = 0 AND %s)"
                                   " + (SELECT count(*) FROM nodes v WHERE v.kind || '' = ? AND ", cond);
      bind_int (binds, main_at);
      bind_text (binds, kind);
      binds_append (binds, cond_binds);
      bind_text (binds, kind);
      append_main_branches (sql, binds, view, "v.branch || ''");
      g_string_append_printf (sql, " AND v.to_stamp + 0 > ? AND v.to_stamp IS NOT NULL AND v.status = 0"
                                   " AND v.from_stamp <= ? AND %s)", cond);
      bind_int (binds, main_at);
      bind_int (binds, main_at);
      binds_append (binds, cond_binds);
      if (branch)
        {
          /* main's versions hidden, found from the branch's: one version
           * of a node is visible at a time on each branch */
          g_string_append (sql, " - (SELECT count(*) FROM (SELECT b.uuid AS u FROM nodes b"
                                " WHERE b.kind = ? AND b.branch = ? AND ");
          bind_text (binds, kind);
          bind_text (binds, view->branch);
          append_vis (sql, binds, "b", view, view->at);
          g_string_append (sql, ") s CROSS JOIN nodes v ON v.uuid = s.u AND v.branch = ? AND ");
          bind_text (binds, BOUGH_DEFAULT_BRANCH);
          append_vis (sql, binds, "v", view, main_at);
          g_string_append_printf (sql, " WHERE +v.kind = ? AND v.status = 0 AND %s)"
                                       " + (SELECT count(*) FROM nodes v WHERE v.kind = ? AND v.branch IN (?, ?) AND ",
                                  cond);
          bind_text (binds, kind);
          binds_append (binds, cond_binds);
          bind_text (binds, kind);
          bind_text (binds, view->branch);
          bind_text (binds, BOUGH_GLOBAL_BRANCH);
          append_vis (sql, binds, "v", view, view->at);
          g_string_append_printf (sql, " AND v.status = 0 AND %s)", cond);
          binds_append (binds, cond_binds);
        }
      stmt = conn_statement (conn, sql->str, binds, error);
      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return set_error_from_db (conn->db, rc, error);
      if (out_count != NULL)
        *out_count = count;
    }
  if (count_only)
    return TRUE;
  reverse = page_reversed (query, count, &offset);

  /* the merge orders by result columns: 3 (the order value), the later
   * keys from 4 on, then 2 (uuid) */
  g_string_truncate (sql, 0);
  g_array_set_size (binds, 0);
  g_string_append (sql, "SELECT " NODE_COLS_N " FROM (");
  for (guint arm = 0; arm < n_arms; arm++)
    {
      if (arm == 0)
        g_string_append_printf (sql, "SELECT v.id AS rid, v.uuid AS ruid, v.%s AS k0", created ? "created" : "okey");
      else if (created)
        g_string_append (sql, " UNION ALL SELECT v.id, v.uuid, v.created");
      else
        {
          g_string_append (sql, " UNION ALL SELECT v.id, v.uuid, coalesce(json_extract(v.attrs, ?), x'')");
          bind_text (binds, path);
        }
      for (guint i = 1; i < n_orders (query); i++)
        {
          g_string_append (sql, ", ");
          append_order_key (sql, binds, view, g_ptr_array_index (query->orders, i), FALSE);
          if (arm == 0)
            g_string_append_printf (sql, " AS k%u", i);
        }
      if (arm == 0)
        {
          g_string_append (sql, " FROM nodes v WHERE v.kind = ? AND ");
          bind_text (binds, kind);
          append_main_branches (sql, binds, view, "+v.branch");
          g_string_append_printf (sql, " AND v.to_stamp IS NULL AND v.status = 0 AND v.from_stamp <= ? AND %s",
                                  cond);
          bind_int (binds, main_at);
        }
      else if (arm == 1)
        {
          g_string_append (sql, " FROM nodes v WHERE v.kind || '' = ? AND ");
          bind_text (binds, kind);
          append_main_branches (sql, binds, view, "v.branch || ''");
          g_string_append_printf (sql, " AND v.to_stamp + 0 > ? AND v.to_stamp IS NOT NULL AND v.status = 0"
                                       " AND v.from_stamp <= ? AND %s",
                                  cond);
          bind_int (binds, main_at);
          bind_int (binds, main_at);
        }
      else
        {
          /* through nodes_kind: the partial indexes hold open versions only */
          g_string_append (sql, " FROM nodes v WHERE v.kind = ? AND v.branch IN (?, ?) AND ");
          bind_text (binds, kind);
          bind_text (binds, view->branch);
          bind_text (binds, BOUGH_GLOBAL_BRANCH);
          append_vis (sql, binds, "v", view, view->at);
          g_string_append_printf (sql, " AND v.status = 0 AND %s", cond);
        }
      binds_append (binds, cond_binds);
      if (arm < 2)
        append_unshadowed (sql, binds, view, "v");
    }
  g_string_append_printf (sql, " ORDER BY 3%s",
                          order_direction (g_ptr_array_index (query->orders, 0), TRUE, reverse));
  for (guint i = 1; i < n_orders (query); i++)
    g_string_append_printf (sql, ", %u%s", 3 + i,
                            order_direction (g_ptr_array_index (query->orders, i), FALSE, reverse));
  g_string_append_printf (sql, ", 2%s LIMIT ? OFFSET ?", tie_direction (query, reverse));
  bind_int (binds, query->limit < 0 ? -1 : reverse ? MIN (query->limit, MAX (count - query->offset, 0)) : query->limit);
  bind_int (binds, offset);
  append_page_join (sql, query, TRUE, reverse);
  return run_node_rows (conn, sql->str, binds, query, reverse, out_rows, error);
}

/* Can query_ordered() list @query (one kind, not by ids, not the open
 * versions of now) by walking an index? Creation order can; so can the
 * kind's order key when it holds the first key's attribute. */
static gboolean
ordered_walk (const BoughDriverQuery *query)
{
  const BoughDriverOrder *first = g_ptr_array_index (query->orders, 0);

  return first->type == BOUGH_DRIVER_ORDER_CREATED || query->order_key;
}

static gboolean
sqlite_query (BoughDriverConn         *conn,
              const BoughReadView     *view,
              const BoughDriverQuery  *query,
              gboolean                 count_only,
              gint64                  *out_count,
              GPtrArray               *out_rows,
              GError                 **error)
{
  g_autoptr(GString) where = g_string_new (" v WHERE v.status = 0");
  g_autoptr(GArray) where_binds = binds_new ();
  g_autoptr(GString) from = g_string_new (NULL);
  g_autoptr(GArray) from_binds = binds_new ();
  g_autoptr(GString) sql = NULL;
  g_autoptr(GArray) binds = NULL;
  gboolean by_id = FALSE;
  gboolean walk;
  gboolean okey;
  gboolean reverse;
  gint64 count = -1;
  gint64 offset = MAX (query->offset, 0);
  sqlite3_stmt *stmt;
  int rc;

  /* selected by ids (given, through links, or from lookups): look them up
   * rather than scan the kind */
  for (guint i = 0; query->filters != NULL && i < query->filters->len; i++)
    {
      BoughDriverFilterType type = ((BoughDriverFilter *) g_ptr_array_index (query->filters, i))->type;
      if (type == BOUGH_DRIVER_FILTER_IDS || type == BOUGH_DRIVER_FILTER_HFID ||
          type == BOUGH_DRIVER_FILTER_REL_IDS || type == BOUGH_DRIVER_FILTER_REL_ATTR)
        by_id = TRUE;
    }
  /* a kind listed in its order on the default branch at a past time or
   * on a branch: walked in the order key's or nodes_created's index (see
   * query_ordered()) */
  walk = !by_id && n_orders (query) > 0 && !view->current &&
         query->kinds != NULL && query->kinds[0] != NULL && query->kinds[1] == NULL &&
         ordered_walk (query);
  append_nodes_source_full (from, from_binds, view, query->kinds, by_id);
  for (guint i = 0; query->filters != NULL && i < query->filters->len; i++)
    append_filter (where, where_binds, view, query->kinds, g_ptr_array_index (query->filters, i));

  if (walk)
    return query_ordered (conn, view, query, where->str + strlen (" v WHERE "), where_binds,
                          count_only, out_count, out_rows, error);

  /* count */
  sql = g_string_new ("SELECT count(*) FROM ");
  g_string_append (sql, from->str);
  g_string_append (sql, where->str);
  binds = binds_new ();
  binds_append (binds, from_binds);
  binds_append (binds, where_binds);

  if (out_count != NULL || (!count_only && query->offset >= REVERSE_MIN_OFFSET))
    {
      stmt = conn_statement (conn, sql->str, binds, error);
      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return set_error_from_db (conn->db, rc, error);
      if (out_count != NULL)
        *out_count = count;
    }
  if (count_only)
    return TRUE;
  reverse = page_reversed (query, count, &offset);

  /* the order keys of closed versions are not kept up to date */
  okey = query->order_key && view->current;
  g_string_assign (sql, "SELECT " NODE_COLS_N " FROM (SELECT v.id AS rid, v.uuid AS ruid");
  g_array_set_size (binds, 0);
  for (guint i = 0; i < n_orders (query); i++)
    {
      g_string_append (sql, ", ");
      append_order_key (sql, binds, view, g_ptr_array_index (query->orders, i), okey && i == 0);
      g_string_append_printf (sql, " AS k%u", i);
    }
  g_string_append (sql, " FROM ");
  g_string_append (sql, from->str);
  g_string_append (sql, where->str);
  binds_append (binds, from_binds);
  binds_append (binds, where_binds);
  g_string_append (sql, " ORDER BY ");
  for (guint i = 0; i < n_orders (query); i++)
    g_string_append_printf (sql, "%u%s, ", 3 + i,
                            order_direction (g_ptr_array_index (query->orders, i), okey && i == 0, reverse));
  g_string_append_printf (sql, "v.uuid%s LIMIT ? OFFSET ?", tie_direction (query, reverse));
  bind_int (binds, query->limit < 0 ? -1 : reverse ? MIN (query->limit, MAX (count - query->offset, 0)) : query->limit);
  bind_int (binds, offset);
  append_page_join (sql, query, okey, reverse);
  return run_node_rows (conn, sql->str, binds, query, reverse, out_rows, error);
}

static gboolean
run_node_rows (BoughDriverConn         *conn,
               const char              *sql,
               GArray                  *binds,
               const BoughDriverQuery  *query,
               gboolean                 reverse,
               GPtrArray               *out_rows,
               GError                 **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (reverse)
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_row_free);

      if (!collect_rows (conn, sql, binds, (RowFunc) node_row_from_stmt, rows, error))
        return FALSE;
      for (guint i = rows->len; i > 0; i--)
        {
          if (query->each != NULL)
            query->each (g_ptr_array_index (rows, i - 1), query->each_data);
          else
            g_ptr_array_add (out_rows, g_ptr_array_steal_index_fast (rows, i - 1));
        }
      return TRUE;
    }
  if (query->each == NULL)
    return collect_rows (conn, sql, binds, (RowFunc) node_row_from_stmt, out_rows, error);

  /* rows lent straight from the statement: no copy of each */
  stmt = conn_statement (conn, sql, binds, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BoughNodeRow row = { 0 };
      char uuid_buf[37];
      row.rowid = sqlite3_column_int64 (stmt, 0);
      row.uuid = (char *) uuid_column_text (stmt, 1, uuid_buf);
      row.kind = (char *) sqlite3_column_text (stmt, 2);
      row.branch = (char *) sqlite3_column_text (stmt, 3);
      row.from_stamp = sqlite3_column_int64 (stmt, 4);
      row.to_stamp = sqlite3_column_int64 (stmt, 5);
      row.status = sqlite3_column_int (stmt, 6);
      row.created = sqlite3_column_int64 (stmt, 7);
      row.attrs = (char *) sqlite3_column_text (stmt, 8);
      row.hfid = (char *) sqlite3_column_text (stmt, 9);
      row.label = (char *) sqlite3_column_text (stmt, 10);
      query->each (&row, query->each_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
sqlite_history (BoughDriverConn  *conn,
                const char       *uuid,
                char            **branches,
                GPtrArray        *out_nodes,
                GPtrArray        *out_rels,
                GError          **error)
{
  g_autoptr(GArray) nb = binds_new ();
  g_autoptr(GArray) rb = binds_new ();

  bind_uuid (nb, uuid);
  bind_strv_json (nb, branches);
  bind_uuid (rb, uuid);
  bind_uuid (rb, uuid);
  bind_strv_json (rb, branches);
  return collect_rows (conn,
                       "SELECT " NODE_COLS " FROM nodes WHERE uuid = ?"
                       " AND branch IN (SELECT value FROM json_each(?)) ORDER BY from_stamp, id",
                       nb, (RowFunc) node_row_from_stmt, out_nodes, error) &&
         collect_rows (conn,
                       "SELECT " REL_COLS " FROM rels WHERE (src = ? OR dst = ?)"
                       " AND branch IN (SELECT value FROM json_each(?)) ORDER BY from_stamp, id",
                       rb, (RowFunc) rel_row_from_stmt, out_rels, error);
}

/* ---- branches, diff and merge (layout 4) ---- */

#define BRANCH_COLS \
  "b.id, b.name, b.description, b.origin, b.branched_from, coalesce(b.created_at, b.branched_from)," \
  " b.status, b.sync_with_git, b.is_default," \
  " NOT b.is_default AND EXISTS (SELECT 1 FROM schemas s WHERE s.branch = b.name)"

static gpointer
branch_from_stmt (sqlite3_stmt *stmt)
{
  BoughBranch *b = g_new0 (BoughBranch, 1);
  b->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  b->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  b->description = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  b->origin_branch = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  b->branched_from = sqlite3_column_int64 (stmt, 4);
  b->created_at = sqlite3_column_int64 (stmt, 5);
  b->status = sqlite3_column_int (stmt, 6);
  b->sync_with_git = sqlite3_column_int (stmt, 7) != 0;
  b->is_default = sqlite3_column_int (stmt, 8) != 0;
  b->has_schema_changes = sqlite3_column_int (stmt, 9) != 0;
  return b;
}

static gboolean
sqlite_get_branch_record (BoughDriverConn  *conn,
                          const char       *name,
                          BoughBranch     **out,
                          GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_branch_free);

  *out = NULL;
  bind_text (binds, name);
  if (!collect_rows (conn, "SELECT " BRANCH_COLS " FROM branches b WHERE b.name = ?",
                     binds, branch_from_stmt, rows, error))
    return FALSE;
  if (rows->len == 0)
    return FALSE;
  *out = g_ptr_array_steal_index (rows, 0);
  return TRUE;
}

static gboolean
sqlite_list_branch_records (BoughDriverConn  *conn,
                            GPtrArray        *out,
                            GError          **error)
{
  return collect_rows (conn, "SELECT " BRANCH_COLS " FROM branches b ORDER BY NOT b.is_default, b.name",
                       NULL, branch_from_stmt, out, error);
}

static gboolean
sqlite_insert_branch_record (BoughDriverConn    *conn,
                             const BoughBranch  *branch,
                             GError            **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, branch->name);
  bind_int (binds, branch->branched_from);
  bind_int (binds, branch->is_default ? 1 : 0);
  bind_text (binds, branch->id);
  bind_text (binds, branch->description);
  bind_text (binds, branch->origin_branch);
  bind_int (binds, branch->created_at);
  bind_int (binds, branch->status);
  bind_int (binds, branch->sync_with_git ? 1 : 0);
  return conn_run (conn,
                   "INSERT INTO branches (name, branched_from, is_default, id, description, origin,"
                   " created_at, status, sync_with_git) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   binds, error);
}

static gboolean
sqlite_update_branch_record (BoughDriverConn  *conn,
                             const char       *name,
                             const char       *description,
                             gint              status,
                             GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, description);
  bind_int (binds, status);
  bind_text (binds, name);
  return conn_run (conn,
                   "UPDATE branches SET description = coalesce(?1, description),"
                   " status = CASE WHEN ?2 < 0 THEN status ELSE ?2 END WHERE name = ?3",
                   binds, error);
}

static gboolean
sqlite_set_branch_point (BoughDriverConn  *conn,
                         const char       *name,
                         gint64            since,
                         gint64            branched_from,
                         GError          **error)
{
  g_autoptr(GArray) keep = binds_new ();
  g_autoptr(GArray) upd = binds_new ();

  /* the point that held until @since is kept for the reads before it */
  bind_text (keep, name);
  bind_int (keep, since);
  bind_text (keep, name);
  bind_int (upd, branched_from);
  bind_text (upd, name);
  return conn_run (conn,
                   "INSERT OR REPLACE INTO branch_points (branch, since, branched_from)"
                   " SELECT ?1, ?2, branched_from FROM branches WHERE name = ?3",
                   keep, error) &&
         conn_run (conn, "UPDATE branches SET branched_from = ? WHERE name = ?", upd, error);
}

static gboolean
sqlite_get_branch_points (BoughDriverConn  *conn,
                          const char       *name,
                          GArray           *out,
                          GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  int rc;

  bind_text (binds, name);
  stmt = conn_statement (conn,
                         "SELECT since, branched_from FROM branch_points WHERE branch = ? ORDER BY since",
                         binds, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pair[2] = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };
      g_array_append_vals (out, pair, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
sqlite_delete_branch_rows (BoughDriverConn  *conn,
                           const char       *name,
                           GError          **error)
{
  static const char *sql[] = {
    "DELETE FROM nodes WHERE branch || '' = ?",
    "DELETE FROM rels WHERE branch || '' = ?",
    /* the literal lets SQLite use the partial index lookups_branch */
    "DELETE FROM lookups WHERE branch = ? AND branch <> 'main'",
    "DELETE FROM schemas WHERE branch = ?",
    "DELETE FROM conflicts WHERE branch = ?",
    "DELETE FROM diff_updates WHERE branch = ?",
    "DELETE FROM branch_points WHERE branch = ?",
    "DELETE FROM branches WHERE name = ? AND NOT is_default",
  };
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, name);
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    if (!conn_run (conn, sql[i], binds, error))
      return FALSE;
  return TRUE;
}

/* The node ids @branch changed after @since: versions opened since then
 * (@open_only: still open ones, whatever their age), of nodes (@packs
 * FALSE) or of pack rows (status 2: attributes kept on another branch than
 * their node). */
static gboolean
changed_uuids (BoughDriverConn  *conn,
               const char       *branch,
               gboolean          open_only,
               gint64            since,
               gboolean          packs,
               GHashTable       *out,
               GError          **error)
{
  static const char *queries[2][2] = {
    { "SELECT DISTINCT uuid FROM nodes WHERE branch || '' = ? AND from_stamp + 0 > ? AND status != 2",
      "SELECT DISTINCT uuid FROM nodes WHERE branch || '' = ? AND from_stamp + 0 > ? AND status = 2" },
    { "SELECT DISTINCT uuid FROM nodes WHERE branch || '' = ? AND from_stamp + 0 > ?"
      " AND to_stamp IS NULL AND status != 2",
      "SELECT DISTINCT uuid FROM nodes WHERE branch || '' = ? AND from_stamp + 0 > ?"
      " AND to_stamp IS NULL AND status = 2" },
  };
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  int rc;

  bind_text (binds, branch);
  bind_int (binds, open_only ? 0 : since);
  stmt = conn_statement (conn, queries[open_only ? 1 : 0][packs ? 1 : 0], binds, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (out, uuid_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
sqlite_changed_nodes (BoughDriverConn  *conn,
                      const char       *branch,
                      gboolean          open_only,
                      gint64            since,
                      GHashTable       *out,
                      GError          **error)
{
  return changed_uuids (conn, branch, open_only, since, FALSE, out, error);
}

static gboolean
sqlite_changed_packs (BoughDriverConn  *conn,
                      const char       *branch,
                      gboolean          open_only,
                      gint64            since,
                      GHashTable       *out,
                      GError          **error)
{
  return changed_uuids (conn, branch, open_only, since, TRUE, out, error);
}

/* The versions of @branch visible at @at (0: the open ones) of the nodes
 * @uuids: node rows (@packs FALSE) or pack rows (status 2). */
static gboolean
fetch_versions (BoughDriverConn  *conn,
                const char       *branch,
                gint64            at,
                GPtrArray        *uuids,
                gboolean          packs,
                GPtrArray        *out,
                GError          **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " NODE_COLS " FROM nodes n WHERE ");
  g_autoptr(GArray) binds = binds_new ();

  if (uuids->len == 0)
    return TRUE;
  append_in_ids (sql, binds, "n.uuid", uuids);
  g_string_append (sql, packs ? " AND n.branch = ? AND n.status = 2 AND "
                              : " AND n.branch = ? AND n.status != 2 AND ");
  bind_text (binds, branch);
  if (at <= 0)
    g_string_append (sql, "n.to_stamp IS NULL");
  else
    {
      g_string_append (sql, "n.from_stamp <= ? AND (n.to_stamp IS NULL OR n.to_stamp > ?)");
      bind_int (binds, at);
      bind_int (binds, at);
    }
  return collect_rows (conn, sql->str, binds, (RowFunc) node_row_from_stmt, out, error);
}

static gboolean
sqlite_fetch_pack_versions (BoughDriverConn  *conn,
                            const char       *branch,
                            gint64            at,
                            GPtrArray        *uuids,
                            GPtrArray        *out,
                            GError          **error)
{
  return fetch_versions (conn, branch, at, uuids, TRUE, out, error);
}

static gboolean
sqlite_changed_rels (BoughDriverConn  *conn,
                     const char       *branch,
                     gboolean          open_only,
                     gint64            since,
                     GPtrArray        *out,
                     GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, branch);
  if (open_only)
    return collect_rows (conn, "SELECT " REL_COLS " FROM rels WHERE branch || '' = ? AND from_stamp + 0 > 0"
                               " AND to_stamp IS NULL",
                         binds, (RowFunc) rel_row_from_stmt, out, error);
  bind_int (binds, since);
  return collect_rows (conn, "SELECT " REL_COLS " FROM rels WHERE branch || '' = ?1 AND from_stamp + 0 > ?2"
                             " UNION SELECT " REL_COLS " FROM rels WHERE branch || '' = ?1 AND to_stamp + 0 > ?2"
                             " AND to_stamp IS NOT NULL",
                       binds, (RowFunc) rel_row_from_stmt, out, error);
}

static gboolean
sqlite_fetch_node_versions (BoughDriverConn  *conn,
                            const char       *branch,
                            gint64            at,
                            GPtrArray        *uuids,
                            GPtrArray        *out,
                            GError          **error)
{
  return fetch_versions (conn, branch, at, uuids, FALSE, out, error);
}

static gboolean
sqlite_fetch_rel_versions (BoughDriverConn  *conn,
                           const char       *branch,
                           gint64            at,
                           GPtrArray        *keys,
                           GPtrArray        *out,
                           GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  GString *json = g_string_new ("[");
  Bind b = { BIND_TEXT, 0, 0, NULL, { 0 } };
  const char *vis;

  if (keys->len == 0)
    {
      g_string_free (json, TRUE);
      return TRUE;
    }
  for (guint i = 0; i < keys->len; i++)
    {
      const BoughRelRow *k = g_ptr_array_index (keys, i);
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_c (json, '[');
      _bough_json_append_string (json, k->identifier);
      g_string_append_c (json, ',');
      _bough_json_append_string (json, k->src);
      g_string_append_c (json, ',');
      _bough_json_append_string (json, k->dst);
      g_string_append_c (json, ']');
    }
  g_string_append_c (json, ']');
  b.s = g_string_free (json, FALSE);
  g_array_append_val (binds, b);
  bind_text (binds, branch);
  bind_int (binds, at);
  /* both orientations: a bidirectional link is stored either way */
  vis = "(CASE WHEN ?3 <= 0 THEN r.to_stamp IS NULL"
        " ELSE r.from_stamp <= ?3 AND (r.to_stamp IS NULL OR r.to_stamp > ?3) END)";
  {
    g_autofree char *sql =
      g_strdup_printf ("WITH k AS (SELECT json_extract(value, '$[0]') AS i,"
                       " bough_uuid(json_extract(value, '$[1]')) AS a,"
                       " bough_uuid(json_extract(value, '$[2]')) AS b FROM json_each(?1))"
                       " SELECT " "r.id, r.identifier, r.src, r.dst, r.branch, r.from_stamp, r.to_stamp, r.status, r.props"
                       " FROM k JOIN rels r ON r.src = k.a AND r.identifier = k.i AND r.dst = k.b"
                       " WHERE r.branch = ?2 AND %s"
                       " UNION"
                       " SELECT r.id, r.identifier, r.src, r.dst, r.branch, r.from_stamp, r.to_stamp, r.status, r.props"
                       " FROM k JOIN rels r ON r.src = k.b AND r.identifier = k.i AND r.dst = k.a"
                       " WHERE r.branch = ?2 AND %s", vis, vis);
    return collect_rows (conn, sql, binds, (RowFunc) rel_row_from_stmt, out, error);
  }
}

static gboolean
sqlite_fetch_links_of (BoughDriverConn  *conn,
                       const char       *branch,
                       gint64            at,
                       const char       *identifier,
                       BoughRelSide      side,
                       GPtrArray        *uuids,
                       GPtrArray        *out,
                       GError          **error)
{
  static const char *ends[] = { "src", "dst" };
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GArray) binds = binds_new ();

  if (uuids->len == 0)
    return TRUE;
  bind_strs_json (binds, (const char **) uuids->pdata, uuids->len);
  bind_text (binds, identifier);
  bind_text (binds, branch);
  bind_int (binds, at);
  /* one seek per id from its end (rels_src, rels_dst) */
  for (guint e = 0; e < 2; e++)
    {
      if ((e == 0 && side == BOUGH_REL_SIDE_DST) || (e == 1 && side == BOUGH_REL_SIDE_SRC))
        continue;
      if (sql->len > 0)
        g_string_append (sql, " UNION ");
      g_string_append_printf (sql,
                              "SELECT r.id, r.identifier, r.src, r.dst, r.branch, r.from_stamp, r.to_stamp,"
                              " r.status, r.props FROM json_each(?1) j CROSS JOIN rels r"
                              " WHERE r.%s = bough_uuid(j.value) AND r.identifier = ?2 AND r.branch = ?3 AND"
                              " (CASE WHEN ?4 <= 0 THEN r.to_stamp IS NULL"
                              " ELSE r.from_stamp <= ?4 AND (r.to_stamp IS NULL OR r.to_stamp > ?4) END)",
                              ends[e]);
    }
  return collect_rows (conn, sql->str, binds, (RowFunc) rel_row_from_stmt, out, error);
}

static gpointer
lookup_row_from_stmt (sqlite3_stmt *stmt)
{
  BoughLookupRow *row = g_new0 (BoughLookupRow, 1);
  row->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row->key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  row->value = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  row->uuid = uuid_column_dup (stmt, 3);
  return row;
}

static gboolean
sqlite_fetch_open_lookups (BoughDriverConn  *conn,
                           const char       *branch,
                           GPtrArray        *uuids,
                           GPtrArray        *out,
                           GError          **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT kind, key, value, uuid FROM lookups WHERE ");
  g_autoptr(GArray) binds = binds_new ();

  if (uuids != NULL)
    {
      if (uuids->len == 0)
        return TRUE;
      append_in_ids (sql, binds, "uuid", uuids);
      g_string_append (sql, " AND branch = ? AND to_stamp IS NULL");
      bind_text (binds, branch);
    }
  else
    {
      g_string_append (sql, "branch = ? AND branch <> 'main' AND to_stamp IS NULL");
      bind_text (binds, branch);
    }
  return collect_rows (conn, sql->str, binds, lookup_row_from_stmt, out, error);
}

static gpointer
conflict_row_from_stmt (sqlite3_stmt *stmt)
{
  BoughConflictRow *row = g_new0 (BoughConflictRow, 1);
  row->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row->branch = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  row->path = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  row->base_value = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  row->diff_value = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  row->selected = sqlite3_column_int (stmt, 5);
  return row;
}

static gboolean
sqlite_get_conflicts (BoughDriverConn  *conn,
                      const char       *branch,
                      GPtrArray        *out,
                      GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, branch);
  return collect_rows (conn, "SELECT id, branch, path, base_value, diff_value, selected"
                             " FROM conflicts WHERE branch = ?",
                       binds, conflict_row_from_stmt, out, error);
}

static gboolean
sqlite_get_conflict (BoughDriverConn   *conn,
                     const char        *id,
                     BoughConflictRow **out,
                     GError           **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_conflict_row_free);

  *out = NULL;
  bind_text (binds, id);
  if (!collect_rows (conn, "SELECT id, branch, path, base_value, diff_value, selected"
                           " FROM conflicts WHERE id = ?",
                     binds, conflict_row_from_stmt, rows, error))
    return FALSE;
  if (rows->len > 0)
    *out = g_ptr_array_steal_index (rows, 0);
  return TRUE;
}

static gboolean
sqlite_put_conflict (BoughDriverConn         *conn,
                     const BoughConflictRow  *row,
                     GError                 **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, row->id);
  bind_text (binds, row->branch);
  bind_text (binds, row->path);
  bind_text (binds, row->base_value);
  bind_text (binds, row->diff_value);
  bind_int (binds, row->selected);
  return conn_run (conn,
                   "INSERT OR REPLACE INTO conflicts (id, branch, path, base_value, diff_value, selected)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   binds, error);
}

/* ---- tasks (layout 6) ---- */

#define TASK_COLUMNS \
  "id, title, workflow, state, conclusion, progress, parameters, branch, account, tags," \
  " created_at, updated_at, start_time, end_time, not_before, attempts, max_attempts, worker," \
  " lease_until, cancel_requested, error_code, error_message, result"

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static char **
strv_from_json_text (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) out = g_ptr_array_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonNode *n = json_array_get_element (json_node_get_array (root), i);

      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        g_ptr_array_add (out, g_strdup (json_node_get_string (n)));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

static BoughTask *
task_from_stmt (sqlite3_stmt *stmt)
{
  BoughTask *task = g_new0 (BoughTask, 1);
  g_autofree char *tags = column_dup (stmt, 9);
  BoughTaskState state = BOUGH_TASK_PENDING;
  const char *conclusion = (const char *) sqlite3_column_text (stmt, 4);

  task->id = column_dup (stmt, 0);
  task->title = column_dup (stmt, 1);
  task->workflow = column_dup (stmt, 2);
  bough_task_state_from_string ((const char *) sqlite3_column_text (stmt, 3), &state);
  task->state = state;
  task->conclusion = g_strcmp0 (conclusion, "success") == 0 ? BOUGH_TASK_CONCLUSION_SUCCESS
                   : g_strcmp0 (conclusion, "failure") == 0 ? BOUGH_TASK_CONCLUSION_FAILURE
                   : BOUGH_TASK_CONCLUSION_UNKNOWN;
  task->progress = sqlite3_column_type (stmt, 5) == SQLITE_NULL ? -1 : sqlite3_column_double (stmt, 5);
  task->parameters = column_dup (stmt, 6);
  task->branch = column_dup (stmt, 7);
  task->account = column_dup (stmt, 8);
  task->tags = tags != NULL ? strv_from_json_text (tags) : NULL;
  task->created_at = sqlite3_column_int64 (stmt, 10);
  task->updated_at = sqlite3_column_int64 (stmt, 11);
  task->start_time = sqlite3_column_int64 (stmt, 12);
  task->end_time = sqlite3_column_int64 (stmt, 13);
  task->not_before = sqlite3_column_int64 (stmt, 14);
  task->attempts = sqlite3_column_int (stmt, 15);
  task->max_attempts = sqlite3_column_int (stmt, 16);
  task->worker = column_dup (stmt, 17);
  task->lease_until = sqlite3_column_int64 (stmt, 18);
  task->cancel_requested = sqlite3_column_int (stmt, 19) != 0;
  task->error_code = sqlite3_column_int (stmt, 20);
  task->error_message = column_dup (stmt, 21);
  task->result = column_dup (stmt, 22);
  return task;
}

static gboolean
task_fill_related (BoughDriverConn  *conn,
                   GPtrArray        *tasks,
                   GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GString) sql = g_string_new ("SELECT task, node, kind FROM task_nodes WHERE ");
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  if (tasks->len == 0)
    return TRUE;
  for (guint i = 0; i < tasks->len; i++)
    {
      BoughTask *task = g_ptr_array_index (tasks, i);

      g_hash_table_insert (by_id, task->id, task);
      g_ptr_array_add (ids, task->id);
    }
  append_in (sql, binds, "task", (const char **) ids->pdata, ids->len);
  g_string_append (sql, " ORDER BY rowid");
  stmt = conn_statement (conn, sql->str, binds, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BoughTask *task = g_hash_table_lookup (by_id, sqlite3_column_text (stmt, 0));

      if (task != NULL)
        bough_task_add_related (task, (const char *) sqlite3_column_text (stmt, 1),
                                (const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
sqlite_task_insert (BoughDriverConn  *conn,
                    const BoughTask  *task,
                    GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  Bind progress = { BIND_DOUBLE, 0, task->progress, NULL, { 0 } };

  bind_text (binds, task->id);
  bind_text (binds, task->title);
  bind_text (binds, task->workflow);
  bind_text (binds, bough_task_state_to_string (task->state));
  bind_text (binds, bough_task_conclusion_to_string (task->conclusion));
  if (task->progress >= 0)
    g_array_append_val (binds, progress);
  else
    bind_text (binds, NULL);
  bind_text (binds, task->parameters);
  bind_text (binds, task->branch);
  bind_text (binds, task->account);
  if (task->tags != NULL)
    bind_strv_json (binds, task->tags);
  else
    bind_text (binds, NULL);
  bind_int (binds, task->created_at);
  bind_int (binds, task->updated_at);
  bind_int (binds, task->not_before);
  bind_int (binds, task->max_attempts);
  bind_text (binds, task->worker);
  if (task->worker != NULL)
    {
      bind_int (binds, task->lease_until);
      bind_int (binds, task->start_time);
    }
  else
    {
      bind_text (binds, NULL);
      bind_text (binds, NULL);
    }
  bind_int (binds, task->attempts);
  if (!conn_run (conn,
                 "INSERT INTO tasks (id, title, workflow, state, conclusion, progress, parameters,"
                 " branch, account, tags, created_at, updated_at, not_before, max_attempts,"
                 " worker, lease_until, start_time, attempts)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 binds, error))
    return FALSE;
  for (guint i = 0; task->related != NULL && i < task->related->len; i++)
    {
      BoughTaskRelated *related = g_ptr_array_index (task->related, i);
      g_autoptr(GArray) b = binds_new ();

      bind_text (b, task->id);
      bind_text (b, related->id);
      bind_text (b, related->kind);
      if (!conn_run (conn, "INSERT OR IGNORE INTO task_nodes (task, node, kind) VALUES (?, ?, ?)",
                     b, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
task_rows (BoughDriverConn  *conn,
           const char       *sql,
           GArray           *binds,
           GPtrArray        *out,
           GError          **error)
{
  return collect_rows (conn, sql, binds, (RowFunc) task_from_stmt, out, error);
}

static gboolean
sqlite_task_get (BoughDriverConn  *conn,
                 const char       *id,
                 BoughTask       **out,
                 GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_task_free);

  *out = NULL;
  bind_text (binds, id);
  if (!task_rows (conn, "SELECT " TASK_COLUMNS " FROM tasks WHERE id = ?", binds, rows, error) ||
      !task_fill_related (conn, rows, error))
    return FALSE;
  if (rows->len == 0)
    return FALSE;
  *out = g_ptr_array_steal_index (rows, 0);
  return TRUE;
}

static gboolean
sqlite_task_pick (BoughDriverConn     *conn,
                  const char * const  *workflows,
                  gint64               now,
                  char               **out_id,
                  GError             **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GString) sql = g_string_new ("SELECT id FROM tasks WHERE " TASK_READY " AND not_before <= ?");
  sqlite3_stmt *stmt;
  int rc;

  *out_id = NULL;
  bind_int (binds, now);
  if (workflows != NULL)
    {
      g_string_append (sql, " AND ");
      append_in (sql, binds, "workflow", (const char **) workflows,
                 g_strv_length ((char **) workflows));
    }
  g_string_append (sql, " ORDER BY not_before, rowid LIMIT 1");
  stmt = conn_statement (conn, sql->str, binds, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_id = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gint
changes_or_error (BoughDriverConn  *conn,
                  gboolean          ok)
{
  return ok ? sqlite3_changes (conn->db) : -1;
}

static gint
sqlite_task_set_running (BoughDriverConn  *conn,
                         const char       *id,
                         const char       *worker,
                         gint64            now,
                         gint64            lease_until,
                         GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, worker);
  bind_int (binds, lease_until);
  bind_int (binds, now);
  bind_int (binds, now);
  bind_text (binds, id);
  return changes_or_error (conn, conn_run (conn,
      "UPDATE tasks SET state = 'RUNNING', worker = ?, lease_until = ?, attempts = attempts + 1,"
      " start_time = coalesce (start_time, ?), updated_at = ?"
      " WHERE id = ? AND " TASK_READY, binds, error));
}

static gint
sqlite_task_renew (BoughDriverConn  *conn,
                   const char       *id,
                   const char       *worker,
                   gint64            now,
                   gint64            lease_until,
                   double            progress,
                   gboolean         *cancel_requested,
                   GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  Bind p = { BIND_DOUBLE, 0, progress, NULL, { 0 } };
  sqlite3_stmt *stmt;
  gint changed;
  int rc;

  bind_int (binds, lease_until);
  bind_int (binds, now);
  if (progress >= 0)
    g_array_append_val (binds, p);
  else
    bind_text (binds, NULL);
  bind_text (binds, id);
  bind_text (binds, worker);
  if (!conn_run (conn,
                 "UPDATE tasks SET lease_until = ?, updated_at = ?, progress = coalesce (?, progress)"
                 " WHERE id = ? AND worker = ? AND state IN ('RUNNING', 'CANCELLING')",
                 binds, error))
    return -1;
  changed = sqlite3_changes (conn->db);
  g_array_set_size (binds, 0);
  bind_text (binds, id);
  stmt = conn_statement (conn, "SELECT cancel_requested FROM tasks WHERE id = ?", binds, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  *cancel_requested = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_error_from_db (conn->db, rc, error);
      return -1;
    }
  return changed;
}

static gint
sqlite_task_set_state (BoughDriverConn      *conn,
                       const char           *id,
                       const char           *worker,
                       guint                 from,
                       BoughTaskState        state,
                       BoughTaskConclusion   conclusion,
                       gint                  error_code,
                       const char           *message,
                       const char           *result,
                       gint64                not_before,
                       gint64                now,
                       GError              **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GString) sql = g_string_new (NULL);
  gboolean waiting = state == BOUGH_TASK_SCHEDULED || state == BOUGH_TASK_PENDING;
  gboolean first = TRUE;

  g_string_append (sql, "UPDATE tasks SET state = ?, conclusion = ?, updated_at = ?");
  bind_text (binds, bough_task_state_to_string (state));
  bind_text (binds, bough_task_conclusion_to_string (conclusion));
  bind_int (binds, now);
  if (waiting)
    {
      g_string_append (sql, ", worker = NULL, lease_until = NULL, not_before = ?");
      bind_int (binds, not_before);
    }
  else if (bough_task_state_is_final (state))
    {
      g_string_append (sql, ", lease_until = NULL, end_time = ?");
      bind_int (binds, now);
      if (state == BOUGH_TASK_COMPLETED)
        g_string_append (sql, ", progress = 1");
    }
  if (message != NULL)
    {
      g_string_append (sql, ", error_code = ?, error_message = ?");
      bind_int (binds, error_code);
      bind_text (binds, message);
    }
  if (result != NULL)
    {
      g_string_append (sql, ", result = ?");
      bind_text (binds, result);
    }
  g_string_append (sql, " WHERE id = ?");
  bind_text (binds, id);
  if (worker != NULL)
    {
      g_string_append (sql, " AND worker = ? AND state IN ('RUNNING', 'CANCELLING')");
      bind_text (binds, worker);
    }
  else
    {
      g_string_append (sql, " AND state IN (");
      for (guint s = 0; s <= BOUGH_TASK_CANCELLING; s++)
        if (from & (1u << s))
          {
            g_string_append (sql, first ? "?" : ", ?");
            bind_text (binds, bough_task_state_to_string (s));
            first = FALSE;
          }
      if (first)
        g_string_append (sql, "NULL");
      g_string_append_c (sql, ')');
    }
  return changes_or_error (conn, conn_run (conn, sql->str, binds, error));
}

static gint
sqlite_task_request_cancel (BoughDriverConn  *conn,
                            const char       *id,
                            gint64            now,
                            GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_int (binds, now);
  bind_text (binds, id);
  return changes_or_error (conn, conn_run (conn,
      "UPDATE tasks SET cancel_requested = 1, state = 'CANCELLING', updated_at = ?"
      " WHERE id = ? AND state IN ('RUNNING', 'CANCELLING')", binds, error));
}

static gboolean
sqlite_task_expired (BoughDriverConn  *conn,
                     gint64            now,
                     GPtrArray        *out,
                     GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_int (binds, now);
  return task_rows (conn, "SELECT " TASK_COLUMNS " FROM tasks"
                    " WHERE state IN ('RUNNING', 'CANCELLING') AND lease_until < ?",
                    binds, out, error);
}

static gboolean
sqlite_task_insert_log (BoughDriverConn  *conn,
                        const char       *id,
                        gint64            timestamp,
                        const char       *severity,
                        const char       *message,
                        GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, id);
  bind_int (binds, timestamp);
  bind_text (binds, severity);
  bind_text (binds, message);
  return conn_run (conn, "INSERT INTO task_logs (task, timestamp, severity, message) VALUES (?, ?, ?, ?)",
                   binds, error);
}

static gboolean
sqlite_task_list (BoughDriverConn        *conn,
                  const BoughTaskFilter  *filter,
                  gint64                 *count,
                  GPtrArray              *out,
                  GError                **error)
{
  g_autoptr(GArray) binds = binds_new ();
  g_autoptr(GString) where = g_string_new (" WHERE 1");
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (filter->ids != NULL)
    {
      g_string_append (where, " AND ");
      append_in (where, binds, "id", (const char **) filter->ids,
                 g_strv_length ((char **) filter->ids));
    }
  if (filter->branch != NULL)
    {
      g_string_append (where, " AND branch = ?");
      bind_text (binds, filter->branch);
    }
  if (filter->n_states > 0)
    {
      g_autofree const char **names = g_new0 (const char *, filter->n_states);

      for (guint i = 0; i < filter->n_states; i++)
        names[i] = bough_task_state_to_string (filter->states[i]);
      g_string_append (where, " AND ");
      append_in (where, binds, "state", names, filter->n_states);
    }
  if (filter->workflows != NULL)
    {
      g_string_append (where, " AND ");
      append_in (where, binds, "workflow", (const char **) filter->workflows,
                 g_strv_length ((char **) filter->workflows));
    }
  if (filter->related_ids != NULL)
    {
      g_string_append (where, " AND id IN (SELECT task FROM task_nodes WHERE ");
      append_in (where, binds, "node", (const char **) filter->related_ids,
                 g_strv_length ((char **) filter->related_ids));
      g_string_append_c (where, ')');
    }
  if (filter->q != NULL)
    {
      g_string_append (where, " AND instr (lower (title), lower (?)) > 0");
      bind_text (binds, filter->q);
    }

  sql = g_string_new ("SELECT count(*) FROM tasks");
  g_string_append (sql, where->str);
  stmt = conn_statement (conn, sql->str, binds, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_error_from_db (conn->db, rc, error);

  g_string_assign (sql, "SELECT " TASK_COLUMNS " FROM tasks");
  g_string_append (sql, where->str);
  g_string_append (sql, " ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?");
  bind_int (binds, filter->limit);
  bind_int (binds, MAX (filter->offset, 0));
  return task_rows (conn, sql->str, binds, out, error) && task_fill_related (conn, out, error);
}

static gboolean
sqlite_task_logs (BoughDriverConn  *conn,
                  const char       *id,
                  gint64            offset,
                  gint64            limit,
                  gint64           *count,
                  GPtrArray        *out,
                  GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  int rc;

  bind_text (binds, id);
  stmt = conn_statement (conn, "SELECT count(*) FROM task_logs WHERE task = ?", binds, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *count = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_error_from_db (conn->db, rc, error);
  bind_int (binds, limit);
  bind_int (binds, MAX (offset, 0));
  stmt = conn_statement (conn, "SELECT timestamp, severity, message FROM task_logs WHERE task = ?"
                         " ORDER BY id LIMIT ? OFFSET ?", binds, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BoughTaskLog *log = g_new0 (BoughTaskLog, 1);

      log->timestamp = sqlite3_column_int64 (stmt, 0);
      log->severity = column_dup (stmt, 1);
      log->message = column_dup (stmt, 2);
      g_ptr_array_add (out, log);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
sqlite_task_count_states (BoughDriverConn  *conn,
                          const char       *workflow,
                          gint64           *out,
                          GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  int rc;

  for (guint s = 0; s <= BOUGH_TASK_CANCELLING; s++)
    out[s] = 0;
  bind_text (binds, workflow);
  stmt = conn_statement (conn, "SELECT state, count(*) FROM tasks WHERE ?1 IS NULL OR workflow = ?1"
                         " GROUP BY state", binds, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BoughTaskState state;

      if (bough_task_state_from_string ((const char *) sqlite3_column_text (stmt, 0), &state))
        out[state] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static const BoughTaskDriver sqlite_task_driver = {
  .insert = sqlite_task_insert,
  .get = sqlite_task_get,
  .pick = sqlite_task_pick,
  .set_running = sqlite_task_set_running,
  .renew = sqlite_task_renew,
  .set_state = sqlite_task_set_state,
  .request_cancel = sqlite_task_request_cancel,
  .expired = sqlite_task_expired,
  .insert_log = sqlite_task_insert_log,
  .list = sqlite_task_list,
  .logs = sqlite_task_logs,
  .count_states = sqlite_task_count_states,
};

void
bough_event_row_free (BoughEventRow *row)
{
  if (row == NULL)
    return;
  g_free (row->branch);
  g_free (row->node);
  g_free (row->kind);
  g_free (row->payload);
  g_free (row->related);
  g_free (row->account);
  g_free (row);
}

static gint64
sqlite_insert_event (BoughDriverConn      *conn,
                     const BoughEventRow  *row,
                     GError              **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_int (binds, row->stamp);
  bind_int (binds, row->type);
  bind_text_ref (binds, row->branch);
  if (row->node != NULL)
    bind_uuid (binds, row->node);
  else
    bind_text (binds, NULL);
  bind_text_ref (binds, row->kind);
  if (row->parent > 0)
    bind_int (binds, row->parent);
  else
    bind_text (binds, NULL);
  bind_int (binds, row->flags);
  bind_text_ref (binds, row->payload);
  bind_text_ref (binds, row->related);
  if (!conn_run_fixed (conn,
                       "INSERT INTO events (stamp, type, branch, node, kind, parent, flags, payload, related)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       binds, error))
    return -1;
  return sqlite3_last_insert_rowid (conn->db);
}

static void
bind_ints_json (GArray *binds,
                GArray *values,
                gsize   size)
{
  GString *out = g_string_new ("[");
  Bind b = { BIND_TEXT, 0, 0, NULL };

  for (guint i = 0; i < values->len; i++)
    {
      gint64 v = size == sizeof (gint) ? g_array_index (values, gint, i) : g_array_index (values, gint64, i);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v);
    }
  g_string_append_c (out, ']');
  b.s = g_string_free (out, FALSE);
  g_array_append_val (binds, b);
}

/* The WHERE clause of an event query, and its binds. */
static void
event_where (GString               *sql,
             GArray                *binds,
             const BoughEventQuery *q)
{
  g_string_append (sql, " WHERE e.id > ?");
  bind_int (binds, q->after_seq);
  if (q->upto_seq > 0)
    {
      g_string_append (sql, " AND e.id <= ?");
      bind_int (binds, q->upto_seq);
    }
  if (q->since > 0)
    {
      g_string_append (sql, " AND e.stamp >= ?");
      bind_int (binds, q->since);
    }
  if (q->until > 0)
    {
      g_string_append (sql, " AND e.stamp <= ?");
      bind_int (binds, q->until);
    }
  if (q->level >= 0)
    {
      g_string_append (sql, " AND (e.flags >> 1) = ?");
      bind_int (binds, q->level);
    }
  if (q->has_children >= 0)
    {
      g_string_append (sql, " AND (e.flags & 1) = ?");
      bind_int (binds, q->has_children ? 1 : 0);
    }
  if (q->types != NULL)
    {
      g_string_append (sql, " AND e.type IN (SELECT value FROM json_each(?))");
      bind_ints_json (binds, q->types, sizeof (gint));
    }
  if (q->seqs != NULL)
    {
      g_string_append (sql, " AND e.id IN (SELECT value FROM json_each(?))");
      bind_ints_json (binds, q->seqs, sizeof (gint64));
      if (q->seq_stamps != NULL)
        {
          g_string_append (sql, " AND e.stamp IN (SELECT value FROM json_each(?))");
          bind_ints_json (binds, q->seq_stamps, sizeof (gint64));
        }
    }
  if (q->parents != NULL)
    {
      g_string_append (sql, " AND e.parent IN (SELECT value FROM json_each(?))");
      bind_ints_json (binds, q->parents, sizeof (gint64));
    }
  if (q->nodes != NULL)
    {
      g_string_append (sql, " AND e.node IN (SELECT bough_uuid(value) FROM json_each(?))");
      bind_strv_json (binds, q->nodes);
    }
  if (q->related != NULL)
    {
      /* a group event keeps its members; a node event's peers are the
       * links its commit opened or closed */
      g_string_append (sql, " AND (EXISTS (SELECT 1 FROM json_each(?) j"
                            " WHERE instr(e.related, '\"' || j.value || '\"') > 0)"
                            " OR (e.type BETWEEN 1 AND 3 AND EXISTS (SELECT 1 FROM json_each(?) j, rels r"
                            " WHERE ((r.src = e.node AND r.dst = bough_uuid(j.value))"
                            " OR (r.dst = e.node AND r.src = bough_uuid(j.value)))"
                            " AND (r.from_stamp = e.stamp OR r.to_stamp = e.stamp)"
                            " AND r.branch IN (e.branch, '-global-'))))");
      bind_strv_json (binds, q->related);
      bind_strv_json (binds, q->related);
    }
  if (q->branches != NULL)
    {
      g_string_append (sql, " AND e.branch IN (SELECT value FROM json_each(?))");
      bind_strv_json (binds, q->branches);
    }
  if (q->accounts != NULL)
    {
      g_string_append (sql, " AND c.account IN (SELECT value FROM json_each(?))");
      bind_strv_json (binds, q->accounts);
    }
  if (q->kinds != NULL)
    {
      g_string_append (sql, " AND (e.kind IS NULL OR e.kind IN (SELECT value FROM json_each(?)))");
      bind_strv_json (binds, q->kinds);
    }
  if (q->merged != NULL)
    {
      g_string_append (sql, " AND (e.type <> 6 OR json_extract(e.payload, '$.branch_name')"
                            " IN (SELECT value FROM json_each(?)))");
      bind_strv_json (binds, q->merged);
    }
  if (q->rebased != NULL)
    {
      g_string_append (sql, " AND (e.type <> 7 OR json_extract(e.payload, '$.branch_name')"
                            " IN (SELECT value FROM json_each(?)))");
      bind_strv_json (binds, q->rebased);
    }
}

static gboolean
sqlite_list_events (BoughDriverConn        *conn,
                    const BoughEventQuery  *q,
                    gint64                 *out_count,
                    GPtrArray              *out_rows,
                    GError                **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (out_count != NULL)
    {
      g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM events e"
                                             " LEFT JOIN commits c ON c.stamp = e.stamp");
      g_autoptr(GArray) binds = binds_new ();

      *out_count = -1;
      if (!q->skip_count)
        {
          event_where (sql, binds, q);
          stmt = conn_statement (conn, sql->str, binds, error);
          if (stmt == NULL)
            return FALSE;
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            *out_count = sqlite3_column_int64 (stmt, 0);
          sqlite3_reset (stmt);
          if (rc != SQLITE_ROW)
            return set_error_from_db (conn->db, rc, error);
        }
    }
  if (out_rows != NULL && q->limit != 0)
    {
      g_autoptr(GString) sql = g_string_new ("SELECT e.id, e.stamp, e.type, e.branch, e.node, e.kind,"
                                             " e.parent, e.flags, e.payload, e.related, c.account"
                                             " FROM events e LEFT JOIN commits c ON c.stamp = e.stamp");
      g_autoptr(GArray) binds = binds_new ();

      event_where (sql, binds, q);
      g_string_append (sql, q->ascending ? " ORDER BY e.id ASC" : " ORDER BY e.id DESC");
      g_string_append (sql, " LIMIT ? OFFSET ?");
      bind_int (binds, q->limit < 0 ? -1 : q->limit);
      bind_int (binds, MAX (0, q->offset));
      stmt = conn_statement (conn, sql->str, binds, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          BoughEventRow *row = g_new0 (BoughEventRow, 1);

          row->seq = sqlite3_column_int64 (stmt, 0);
          row->stamp = sqlite3_column_int64 (stmt, 1);
          row->type = sqlite3_column_int (stmt, 2);
          row->branch = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
            row->node = uuid_column_dup (stmt, 4);
          row->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
          row->parent = sqlite3_column_int64 (stmt, 6);
          row->flags = sqlite3_column_int (stmt, 7);
          row->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
          row->related = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
          row->account = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
          g_ptr_array_add (out_rows, row);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return set_error_from_db (conn->db, rc, error);
    }
  return TRUE;
}

static gboolean
sqlite_event_links (BoughDriverConn  *conn,
                    const char       *branch,
                    gint64            stamp,
                    const char       *node,
                    GPtrArray        *out,
                    GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_uuid (binds, node);
  bind_text (binds, branch);
  bind_int (binds, stamp);
  /* one seek from each end (rels_src, rels_dst) */
  return collect_rows (conn,
                       "SELECT r.id, r.identifier, r.src, r.dst, r.branch, r.from_stamp, r.to_stamp,"
                       " r.status, r.props FROM rels r WHERE r.src = ?1 AND r.branch IN (?2, '-global-')"
                       " AND (r.from_stamp = ?3 OR r.to_stamp = ?3)"
                       " UNION "
                       "SELECT r.id, r.identifier, r.src, r.dst, r.branch, r.from_stamp, r.to_stamp,"
                       " r.status, r.props FROM rels r WHERE r.dst = ?1 AND r.branch IN (?2, '-global-')"
                       " AND (r.from_stamp = ?3 OR r.to_stamp = ?3)",
                       binds, (RowFunc) rel_row_from_stmt, out, error);
}

static gint64
sqlite_last_event (BoughDriverConn  *conn,
                   GError          **error)
{
  sqlite3_stmt *stmt = conn_prepare_fixed (conn, "SELECT max(id) FROM events", error);
  gint64 seq = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_error_from_db (conn->db, rc, error);
      return -1;
    }
  return seq;
}

static gboolean
sqlite_prune_conflicts (BoughDriverConn  *conn,
                        const char       *branch,
                        GPtrArray        *keep,
                        GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, branch);
  if (keep == NULL)
    return conn_run (conn, "DELETE FROM conflicts WHERE branch = ?", binds, error);
  bind_strs_json (binds, (const char **) keep->pdata, keep->len);
  return conn_run (conn,
                   "DELETE FROM conflicts WHERE branch = ?1 AND id NOT IN (SELECT value FROM json_each(?2))",
                   binds, error);
}

static gboolean
sqlite_get_diff_update (BoughDriverConn  *conn,
                        const char       *branch,
                        gint64           *out,
                        GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();
  sqlite3_stmt *stmt;
  int rc;

  *out = 0;
  bind_text (binds, branch);
  stmt = conn_statement (conn, "SELECT stamp FROM diff_updates WHERE branch = ?", binds, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_error_from_db (conn->db, rc, error);
  return TRUE;
}

static gboolean
sqlite_set_diff_update (BoughDriverConn  *conn,
                        const char       *branch,
                        gint64            stamp,
                        GError          **error)
{
  g_autoptr(GArray) binds = binds_new ();

  bind_text (binds, branch);
  bind_int (binds, stamp);
  return conn_run (conn, "INSERT OR REPLACE INTO diff_updates (branch, stamp) VALUES (?, ?)", binds, error);
}

static const BoughStoreDriver sqlite_driver = {
  .name = "sqlite",
  .open = sqlite_open,
  .close = sqlite_close,
  .get_version = sqlite_get_version,
  .migrate = sqlite_migrate,
  .writer_acquire = sqlite_writer_acquire,
  .writer_release = sqlite_writer_release,
  .reader_acquire = sqlite_reader_acquire,
  .reader_release = sqlite_reader_release,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .savepoint = sqlite_savepoint,
  .release_savepoint = sqlite_release_savepoint,
  .rollback_savepoint = sqlite_rollback_savepoint,
  .last_stamp = sqlite_last_stamp,
  .insert_commit = sqlite_insert_commit,
  .get_commits = sqlite_get_commits,
  .insert_branch = sqlite_insert_branch,
  .get_branch = sqlite_get_branch,
  .insert_schema = sqlite_insert_schema,
  .get_schema = sqlite_get_schema,
  .get_schema_stamp = sqlite_get_schema_stamp,
  .set_order = sqlite_set_order,
  .get_orders = sqlite_get_orders,
  .insert_node = sqlite_insert_node,
  .close_node = sqlite_close_node,
  .close_nodes = sqlite_close_nodes,
  .fetch_nodes = sqlite_fetch_nodes,
  .fetch_node_version = sqlite_fetch_node_version,
  .fetch_pack_version = sqlite_fetch_pack_version,
  .fetch_packs = sqlite_fetch_packs,
  .insert_lookups = sqlite_insert_lookups,
  .close_lookups = sqlite_close_lookups,
  .replace_lookups = sqlite_replace_lookups,
  .find_lookup = sqlite_find_lookup,
  .insert_rel = sqlite_insert_rel,
  .list_rels = sqlite_list_rels,
  .close_rel = sqlite_close_rel,
  .fetch_rels = sqlite_fetch_rels,
  .fetch_rel_version = sqlite_fetch_rel_version,
  .get_branch_record = sqlite_get_branch_record,
  .list_branch_records = sqlite_list_branch_records,
  .insert_branch_record = sqlite_insert_branch_record,
  .update_branch_record = sqlite_update_branch_record,
  .set_branch_point = sqlite_set_branch_point,
  .get_branch_points = sqlite_get_branch_points,
  .delete_branch_rows = sqlite_delete_branch_rows,
  .changed_nodes = sqlite_changed_nodes,
  .changed_rels = sqlite_changed_rels,
  .fetch_node_versions = sqlite_fetch_node_versions,
  .changed_packs = sqlite_changed_packs,
  .fetch_pack_versions = sqlite_fetch_pack_versions,
  .fetch_rel_versions = sqlite_fetch_rel_versions,
  .fetch_links_of = sqlite_fetch_links_of,
  .fetch_open_lookups = sqlite_fetch_open_lookups,
  .get_conflicts = sqlite_get_conflicts,
  .get_conflict = sqlite_get_conflict,
  .put_conflict = sqlite_put_conflict,
  .prune_conflicts = sqlite_prune_conflicts,
  .get_diff_update = sqlite_get_diff_update,
  .set_diff_update = sqlite_set_diff_update,
  .query = sqlite_query,
  .history = sqlite_history,
  .tasks = &sqlite_task_driver,
  .probe_foreign = sqlite_probe_foreign,
  .foreign_serial = sqlite_foreign_serial,
  .insert_event = sqlite_insert_event,
  .list_events = sqlite_list_events,
  .last_event = sqlite_last_event,
  .event_links = sqlite_event_links,
};

const BoughStoreDriver *
bough_store_sqlite_driver (void)
{
  return &sqlite_driver;
}
