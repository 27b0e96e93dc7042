/* bough-bench-raw.c: the raw SQLite baseline: tables, prepared statements and
 * the workloads written the way a hand-written application would write them.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <sqlite3.h>

#include "bough-error.h"

#include "bough-bench-raw.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _BoughBenchRaw
{
  sqlite3      *db;
  char         *path;
  char         *synchronous;
  /* Prepared once per kind, on first use. */
  sqlite3_stmt *insert[BOUGH_BENCH_N_KINDS];
  sqlite3_stmt *upsert[BOUGH_BENCH_N_KINDS];
  sqlite3_stmt *link[BOUGH_BENCH_N_KINDS][BOUGH_BENCH_MAX_RELS];
  sqlite3_stmt *by_id[BOUGH_BENCH_N_KINDS];
  sqlite3_stmt *by_hfid[BOUGH_BENCH_N_KINDS];
  sqlite3_stmt *list[BOUGH_BENCH_N_KINDS];
  sqlite3_stmt *update_description[BOUGH_BENCH_N_KINDS];
  sqlite3_stmt *interfaces_of_device;
  sqlite3_stmt *begin;
  sqlite3_stmt *commit;
};

/* Reading a value costs what an application pays to use it; the sink keeps
 * the compiler from dropping those reads. */
static volatile gsize raw_sink;

static gboolean
raw_fail (BoughBenchRaw *raw,
          GError       **error,
          const char    *what)
{
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE, "raw SQLite: %s: %s",
               what, sqlite3_errmsg (raw->db));
  return FALSE;
}

static gboolean
raw_exec (BoughBenchRaw *raw,
          const char    *sql,
          GError       **error)
{
  char *message = NULL;

  if (sqlite3_exec (raw->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE, "raw SQLite: %s: %s", sql,
                   message ? message : sqlite3_errmsg (raw->db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
raw_prepare (BoughBenchRaw *raw,
             sqlite3_stmt **slot,
             const char    *sql,
             GError       **error)
{
  if (*slot == NULL &&
      sqlite3_prepare_v3 (raw->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
    {
      raw_fail (raw, error, sql);
      return NULL;
    }
  return *slot;
}

static gboolean
raw_step_done (BoughBenchRaw *raw,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return raw_fail (raw, error, sqlite3_sql (stmt));
  return TRUE;
}

static gboolean
raw_begin (BoughBenchRaw *raw,
           GError       **error)
{
  if (!raw_prepare (raw, &raw->begin, "BEGIN IMMEDIATE", error))
    return FALSE;
  return raw_step_done (raw, raw->begin, error);
}

static gboolean
raw_commit (BoughBenchRaw *raw,
            GError       **error)
{
  if (!raw_prepare (raw, &raw->commit, "COMMIT", error))
    return FALSE;
  return raw_step_done (raw, raw->commit, error);
}

static void
raw_rollback (BoughBenchRaw *raw)
{
  if (!sqlite3_get_autocommit (raw->db))
    sqlite3_exec (raw->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
raw_open_db (BoughBenchRaw *raw,
             GError       **error)
{
  g_autofree char *pragmas = NULL;

  if (sqlite3_open_v2 (raw->path, &raw->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
      != SQLITE_OK)
    return raw_fail (raw, error, raw->path);
  /* The pragmas of the store's SQLite driver (WAL, synchronous as
   * configured, foreign keys off, temp_store in memory, a 32 MiB cache), so
   * that the ratio measures the layout and the code, not the settings. */
  pragmas = g_strdup_printf ("PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; "
                             "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY; "
                             "PRAGMA cache_size=-32768; PRAGMA busy_timeout=5000;",
                             raw->synchronous);
  return raw_exec (raw, pragmas, error);
}

BoughBenchRaw *
bough_bench_raw_open (const char *path,
                      const char *synchronous,
                      GError    **error)
{
  g_autoptr(BoughBenchRaw) raw = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (synchronous != NULL, NULL);

  raw = g_new0 (BoughBenchRaw, 1);
  raw->path = g_strdup (path);
  raw->synchronous = g_strdup (synchronous);
  if (!raw_open_db (raw, error))
    return NULL;
  return g_steal_pointer (&raw);
}

void
bough_bench_raw_close (BoughBenchRaw *raw)
{
  g_return_if_fail (raw != NULL);

  for (guint k = 0; k < BOUGH_BENCH_N_KINDS; k++)
    {
      g_clear_pointer (&raw->insert[k], sqlite3_finalize);
      g_clear_pointer (&raw->upsert[k], sqlite3_finalize);
      g_clear_pointer (&raw->by_id[k], sqlite3_finalize);
      g_clear_pointer (&raw->by_hfid[k], sqlite3_finalize);
      g_clear_pointer (&raw->list[k], sqlite3_finalize);
      g_clear_pointer (&raw->update_description[k], sqlite3_finalize);
      for (guint r = 0; r < BOUGH_BENCH_MAX_RELS; r++)
        g_clear_pointer (&raw->link[k][r], sqlite3_finalize);
    }
  g_clear_pointer (&raw->interfaces_of_device, sqlite3_finalize);
  g_clear_pointer (&raw->begin, sqlite3_finalize);
  g_clear_pointer (&raw->commit, sqlite3_finalize);
  g_clear_pointer (&raw->db, sqlite3_close);
}

gboolean
bough_bench_raw_reopen (BoughBenchRaw *raw,
                        GError       **error)
{
  g_return_val_if_fail (raw != NULL, FALSE);

  bough_bench_raw_close (raw);
  return raw_open_db (raw, error);
}

gint64
bough_bench_raw_total_changes (BoughBenchRaw *raw)
{
  g_return_val_if_fail (raw != NULL, -1);
  return sqlite3_total_changes64 (raw->db);
}

void
bough_bench_raw_free (BoughBenchRaw *raw)
{
  if (raw == NULL)
    return;
  bough_bench_raw_close (raw);
  g_free (raw->path);
  g_free (raw->synchronous);
  g_free (raw);
}

static const char * const reported_pragmas[] = {
  "journal_mode", "synchronous", "foreign_keys", "temp_store", "cache_size", "page_size",
  "busy_timeout",
};

JsonObject *
bough_bench_raw_get_pragmas (BoughBenchRaw *raw)
{
  JsonObject *object;

  g_return_val_if_fail (raw != NULL, NULL);

  object = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (reported_pragmas); i++)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA %s", reported_pragmas[i]);
      g_autoptr(sqlite3_stmt) stmt = NULL;

      if (sqlite3_prepare_v2 (raw->db, sql, -1, &stmt, NULL) != SQLITE_OK ||
          sqlite3_step (stmt) != SQLITE_ROW)
        continue;
      if (sqlite3_column_type (stmt, 0) == SQLITE_INTEGER)
        {
          gint64 value = sqlite3_column_int64 (stmt, 0);

          /* synchronous reads back as a number: print its name. */
          if (g_str_equal (reported_pragmas[i], "synchronous"))
            {
              static const char * const names[] = { "OFF", "NORMAL", "FULL", "EXTRA" };

              json_object_set_string_member (object, reported_pragmas[i],
                                             value >= 0 && value < 4 ? names[value] : "?");
            }
          else if (g_str_equal (reported_pragmas[i], "foreign_keys"))
            json_object_set_string_member (object, reported_pragmas[i], value ? "ON" : "OFF");
          else if (g_str_equal (reported_pragmas[i], "temp_store"))
            {
              static const char * const names[] = { "DEFAULT", "FILE", "MEMORY" };

              json_object_set_string_member (object, reported_pragmas[i],
                                             value >= 0 && value < 3 ? names[value] : "?");
            }
          else
            json_object_set_int_member (object, reported_pragmas[i], value);
        }
      else
        json_object_set_string_member (object, reported_pragmas[i],
                                       (const char *) sqlite3_column_text (stmt, 0));
    }
  return object;
}

static const BoughBenchKind *
raw_kind_by_name (const char *name)
{
  for (guint k = 0; k < BOUGH_BENCH_N_KINDS; k++)
    if (g_str_equal (bough_bench_kind (k)->kind, name))
      return bough_bench_kind (k);
  return NULL;
}

/* The attribute that names a node in its hfid: its unique attribute. */
static gint
kind_unique_attr (const BoughBenchKind *kind)
{
  for (guint a = 0; a < kind->n_attrs; a++)
    if (kind->attrs[a].unique)
      return (gint) a;
  return -1;
}

static const char *
sql_type (BoughBenchType type)
{
  return type == BOUGH_BENCH_TYPE_TEXT ? "TEXT" : "INTEGER";
}

gboolean
bough_bench_raw_create_tables (BoughBenchRaw     *raw,
                               BoughBenchDataset *ds,
                               GError           **error)
{
  g_autoptr(GString) sql = g_string_new ("BEGIN;\n");
  const BoughBenchKindId *ids;
  guint n_ids;

  g_return_val_if_fail (raw != NULL, FALSE);
  g_return_val_if_fail (ds != NULL, FALSE);

  ids = bough_bench_dataset_get_kinds (ds, &n_ids);
  for (guint i = 0; i < n_ids; i++)
    {
      const BoughBenchKind *kind = bough_bench_kind (ids[i]);

      g_string_append_printf (sql, "CREATE TABLE %s (\n  id TEXT PRIMARY KEY", kind->table);
      for (guint a = 0; a < kind->n_attrs; a++)
        g_string_append_printf (sql, ",\n  %s %s%s%s", kind->attrs[a].name,
                                sql_type (kind->attrs[a].type),
                                a == 0 ? " NOT NULL" : "",
                                kind->attrs[a].unique ? " UNIQUE" : "");
      for (guint r = 0; r < kind->n_rels; r++)
        {
          const BoughBenchKind *peer;

          if (kind->rels[r].many)
            continue;
          peer = kind->rels[r].peer ? raw_kind_by_name (kind->rels[r].peer) : NULL;
          g_string_append_printf (sql, ",\n  %s_id TEXT", kind->rels[r].name);
          if (peer != NULL)
            g_string_append_printf (sql, " REFERENCES %s (id)", peer->table);
        }
      if (kind->unique_rel != NULL)
        g_string_append_printf (sql, ",\n  UNIQUE (%s_id, name)", kind->unique_rel);
      g_string_append (sql, "\n);\n");

      for (guint r = 0; r < kind->n_rels; r++)
        {
          const BoughBenchKind *peer;

          if (!kind->rels[r].many)
            continue;
          peer = raw_kind_by_name (kind->rels[r].peer);
          g_assert (peer != NULL);
          g_string_append_printf (sql,
                                  "CREATE TABLE %s_%s (\n"
                                  "  src_id TEXT NOT NULL REFERENCES %s (id),\n"
                                  "  dst_id TEXT NOT NULL REFERENCES %s (id),\n"
                                  "  PRIMARY KEY (src_id, dst_id)\n"
                                  ") WITHOUT ROWID;\n",
                                  kind->table, kind->rels[r].name, kind->table, peer->table);
        }
    }
  g_string_append (sql, "COMMIT;");
  return raw_exec (raw, sql->str, error);
}

/* INSERT of a kind's row, or its upsert on the key of its hfid. */
static sqlite3_stmt *
raw_write_stmt (BoughBenchRaw        *raw,
                BoughBenchKindId      id,
                gboolean              upsert,
                GError              **error)
{
  const BoughBenchKind *kind = bough_bench_kind (id);
  g_autoptr(GString) sql = NULL;
  g_autoptr(GString) cols = NULL;
  g_autoptr(GStrvBuilder) names = NULL;
  g_auto(GStrv) columns = NULL;
  sqlite3_stmt **slot = upsert ? &raw->upsert[id] : &raw->insert[id];
  gint unique;

  if (*slot != NULL)
    return *slot;

  names = g_strv_builder_new ();
  for (guint a = 0; a < kind->n_attrs; a++)
    g_strv_builder_add (names, kind->attrs[a].name);
  for (guint r = 0; r < kind->n_rels; r++)
    if (!kind->rels[r].many)
      {
        g_autofree char *column = g_strdup_printf ("%s_id", kind->rels[r].name);

        g_strv_builder_add (names, column);
      }
  columns = g_strv_builder_end (names);

  cols = g_string_new ("id");
  for (guint c = 0; columns[c] != NULL; c++)
    g_string_append_printf (cols, ", %s", columns[c]);
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "INSERT INTO %s (%s) VALUES (?", kind->table, cols->str);
  for (guint c = 0; columns[c] != NULL; c++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");

  if (upsert)
    {
      unique = kind_unique_attr (kind);
      if (unique >= 0)
        g_string_append_printf (sql, " ON CONFLICT (%s) DO UPDATE SET ", kind->attrs[unique].name);
      else
        g_string_append_printf (sql, " ON CONFLICT (%s_id, name) DO UPDATE SET ",
                                kind->unique_rel);
      for (guint c = 0; columns[c] != NULL; c++)
        g_string_append_printf (sql, "%s%s = excluded.%s", c ? ", " : "", columns[c], columns[c]);
      /* Write nothing when nothing changed. */
      g_string_append (sql, " WHERE ");
      for (guint c = 0; columns[c] != NULL; c++)
        g_string_append_printf (sql, "%s%s IS NOT excluded.%s", c ? " OR " : "", columns[c],
                                columns[c]);
    }
  return raw_prepare (raw, slot, sql->str, error);
}

static sqlite3_stmt *
raw_link_stmt (BoughBenchRaw   *raw,
               BoughBenchKindId id,
               guint            rel,
               GError         **error)
{
  const BoughBenchKind *kind = bough_bench_kind (id);
  g_autofree char *sql = NULL;

  if (raw->link[id][rel] != NULL)
    return raw->link[id][rel];
  sql = g_strdup_printf ("INSERT OR IGNORE INTO %s_%s (src_id, dst_id) VALUES (?, ?)",
                         kind->table, kind->rels[rel].name);
  return raw_prepare (raw, &raw->link[id][rel], sql, error);
}

/* Writes one object; returns the rows written, -1 on error. */
static gint
raw_write_object (BoughBenchRaw     *raw,
                  BoughBenchDataset *ds,
                  BoughBenchObject  *obj,
                  gboolean           upsert,
                  GError           **error)
{
  const BoughBenchKind *kind = bough_bench_kind (obj->kind);
  sqlite3_stmt *stmt;
  char uuid[37];
  char peer_uuids[BOUGH_BENCH_MAX_RELS][37];
  gint changes;
  int param = 1;

  stmt = raw_write_stmt (raw, obj->kind, upsert, error);
  if (stmt == NULL)
    return -1;

  bough_bench_dataset_uuid (ds, obj->index, uuid);
  sqlite3_bind_text (stmt, param++, uuid, -1, SQLITE_STATIC);
  for (guint a = 0; a < kind->n_attrs; a++, param++)
    {
      BoughBenchValue *value = &obj->values[a];

      if (!value->set)
        sqlite3_bind_null (stmt, param);
      else if (kind->attrs[a].type == BOUGH_BENCH_TYPE_TEXT)
        sqlite3_bind_text (stmt, param, value->s, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, param, value->i);
    }
  for (guint r = 0; r < kind->n_rels; r++)
    {
      if (kind->rels[r].many)
        continue;
      if (obj->n_peers[r] == 0)
        sqlite3_bind_null (stmt, param++);
      else
        {
          bough_bench_dataset_uuid (ds, (guint) obj->peers[r][0], peer_uuids[r]);
          sqlite3_bind_text (stmt, param++, peer_uuids[r], -1, SQLITE_STATIC);
        }
    }
  if (!raw_step_done (raw, stmt, error))
    return -1;
  changes = sqlite3_changes (raw->db);

  for (guint r = 0; r < kind->n_rels; r++)
    {
      if (!kind->rels[r].many)
        continue;
      for (guint p = 0; p < obj->n_peers[r]; p++)
        {
          char peer_uuid[37];

          stmt = raw_link_stmt (raw, obj->kind, r, error);
          if (stmt == NULL)
            return -1;
          bough_bench_dataset_uuid (ds, (guint) obj->peers[r][p], peer_uuid);
          sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, peer_uuid, -1, SQLITE_STATIC);
          if (!raw_step_done (raw, stmt, error))
            return -1;
          changes += sqlite3_changes (raw->db);
        }
    }
  return changes;
}

gboolean
bough_bench_raw_load (BoughBenchRaw     *raw,
                      BoughBenchDataset *ds,
                      guint              first,
                      guint              n,
                      guint              batch,
                      gboolean           upsert,
                      GError           **error)
{
  BoughBenchObject obj = { 0, };
  guint end = first + n;

  g_return_val_if_fail (raw != NULL, FALSE);
  g_return_val_if_fail (ds != NULL, FALSE);
  g_return_val_if_fail (batch > 0, FALSE);
  g_return_val_if_fail (end <= bough_bench_dataset_get_n_objects (ds), FALSE);

  for (guint start = first; start < end; start += batch)
    {
      if (!raw_begin (raw, error))
        return FALSE;
      for (guint i = start; i < MIN (start + batch, end); i++)
        {
          bough_bench_dataset_get (ds, i, &obj);
          if (raw_write_object (raw, ds, &obj, upsert, error) < 0)
            {
              bough_bench_object_clear (&obj);
              raw_rollback (raw);
              return FALSE;
            }
        }
      if (!raw_commit (raw, error))
        {
          bough_bench_object_clear (&obj);
          raw_rollback (raw);
          return FALSE;
        }
    }
  bough_bench_object_clear (&obj);
  return TRUE;
}

gint
bough_bench_raw_upsert_one (BoughBenchRaw     *raw,
                            BoughBenchDataset *ds,
                            guint              index,
                            const char        *description,
                            GError           **error)
{
  BoughBenchObject obj = { 0, };
  gint changes;

  g_return_val_if_fail (raw != NULL, -1);
  g_return_val_if_fail (ds != NULL, -1);

  bough_bench_dataset_get (ds, index, &obj);
  if (description != NULL)
    bough_bench_object_set_text (&obj, "description", description);
  if (!raw_begin (raw, error))
    {
      bough_bench_object_clear (&obj);
      return -1;
    }
  changes = raw_write_object (raw, ds, &obj, TRUE, error);
  bough_bench_object_clear (&obj);
  if (changes < 0 || !raw_commit (raw, error))
    {
      raw_rollback (raw);
      return -1;
    }
  return changes;
}

static void
raw_read_row (sqlite3_stmt *stmt)
{
  int n = sqlite3_column_count (stmt);
  gsize sum = 0;

  for (int c = 0; c < n; c++)
    {
      if (sqlite3_column_type (stmt, c) == SQLITE_TEXT)
        {
          sum += (gsize) sqlite3_column_text (stmt, c)[0];
          sum += (gsize) sqlite3_column_bytes (stmt, c);
        }
      else
        sum += (gsize) sqlite3_column_int64 (stmt, c);
    }
  raw_sink += sum;
}

static char *
kind_select_columns (const BoughBenchKind *kind,
                     const char           *alias)
{
  g_autoptr(GString) cols = g_string_new (NULL);

  g_string_append_printf (cols, "%s.id", alias);
  for (guint a = 0; a < kind->n_attrs; a++)
    g_string_append_printf (cols, ", %s.%s", alias, kind->attrs[a].name);
  for (guint r = 0; r < kind->n_rels; r++)
    if (!kind->rels[r].many)
      g_string_append_printf (cols, ", %s.%s_id", alias, kind->rels[r].name);
  return g_string_free (g_steal_pointer (&cols), FALSE);
}

gint64
bough_bench_raw_list (BoughBenchRaw     *raw,
                      BoughBenchKindId   id,
                      gint64             limit,
                      GError           **error)
{
  const BoughBenchKind *kind = bough_bench_kind (id);
  sqlite3_stmt *stmt = raw->list[id];
  gint64 rows = 0;
  int rc;

  g_return_val_if_fail (raw != NULL, -1);

  if (stmt == NULL)
    {
      g_autofree char *cols = kind_select_columns (kind, "n");
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(GString) joins = g_string_new (NULL);

      g_string_append_printf (sql, "SELECT %s", cols);
      for (guint r = 0; r < kind->n_rels; r++)
        {
          const BoughBenchKind *peer;

          if (kind->rels[r].many || kind->rels[r].peer == NULL)
            continue;
          peer = raw_kind_by_name (kind->rels[r].peer);
          g_string_append_printf (sql, ", p%u.%s", r, peer->attrs[0].name);
          g_string_append_printf (joins, " LEFT JOIN %s p%u ON p%u.id = n.%s_id",
                                  peer->table, r, r, kind->rels[r].name);
        }
      g_string_append_printf (sql, " FROM %s n%s ORDER BY n.name LIMIT ?",
                              kind->table, joins->str);
      stmt = raw_prepare (raw, &raw->list[id], sql->str, error);
      if (stmt == NULL)
        return -1;
    }

  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      raw_read_row (stmt);
      rows++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      raw_fail (raw, error, "list");
      return -1;
    }
  return rows;
}

static gboolean
raw_get_one (BoughBenchRaw    *raw,
             sqlite3_stmt    **slot,
             BoughBenchKindId  id,
             const char       *column,
             const char       *value,
             char            **id_out,
             GError          **error)
{
  const BoughBenchKind *kind = bough_bench_kind (id);
  sqlite3_stmt *stmt = *slot;
  int rc;

  if (stmt == NULL)
    {
      g_autofree char *cols = kind_select_columns (kind, "n");
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s n WHERE n.%s = ?", cols,
                                              kind->table, column);

      stmt = raw_prepare (raw, slot, sql, error);
      if (stmt == NULL)
        return FALSE;
    }
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      raw_read_row (stmt);
      if (id_out != NULL)
        *id_out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "raw SQLite: no %s with %s %s",
                   kind->kind, column, value);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return raw_fail (raw, error, "get");
  return TRUE;
}

gboolean
bough_bench_raw_get_by_id (BoughBenchRaw   *raw,
                           BoughBenchKindId kind,
                           const char      *id,
                           GError         **error)
{
  g_return_val_if_fail (raw != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return raw_get_one (raw, &raw->by_id[kind], kind, "id", id, NULL, error);
}

gboolean
bough_bench_raw_get_by_hfid (BoughBenchRaw   *raw,
                             BoughBenchKindId kind,
                             const char      *hfid,
                             GError         **error)
{
  gint unique = kind_unique_attr (bough_bench_kind (kind));

  g_return_val_if_fail (raw != NULL, FALSE);
  g_return_val_if_fail (hfid != NULL, FALSE);
  g_return_val_if_fail (unique >= 0, FALSE);

  return raw_get_one (raw, &raw->by_hfid[kind], kind,
                      bough_bench_kind (kind)->attrs[unique].name, hfid, NULL, error);
}

gint
bough_bench_raw_get_device (BoughBenchRaw *raw,
                            const char    *name,
                            GError       **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *device_id = NULL;
  gint n = 0;
  int rc;

  g_return_val_if_fail (raw != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  if (!raw_get_one (raw, &raw->by_hfid[BOUGH_BENCH_KIND_DEVICE], BOUGH_BENCH_KIND_DEVICE,
                    "name", name, &device_id, error))
    return -1;

  stmt = raw->interfaces_of_device;
  if (stmt == NULL)
    {
      const BoughBenchKind *kind = bough_bench_kind (BOUGH_BENCH_KIND_INTERFACE);
      g_autofree char *cols = kind_select_columns (kind, "n");
      g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s n WHERE n.device_id = ? "
                                              "ORDER BY n.name", cols, kind->table);

      stmt = raw_prepare (raw, &raw->interfaces_of_device, sql, error);
      if (stmt == NULL)
        return -1;
    }
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      raw_read_row (stmt);
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      raw_fail (raw, error, "interfaces");
      return -1;
    }
  return n;
}

gboolean
bough_bench_raw_update_description (BoughBenchRaw   *raw,
                                    BoughBenchKindId id,
                                    const char      *node_id,
                                    const char      *description,
                                    GError         **error)
{
  sqlite3_stmt *stmt = raw->update_description[id];

  g_return_val_if_fail (raw != NULL, FALSE);
  g_return_val_if_fail (node_id != NULL, FALSE);

  if (stmt == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE %s SET description = ? WHERE id = ?",
                                              bough_bench_kind (id)->table);

      stmt = raw_prepare (raw, &raw->update_description[id], sql, error);
      if (stmt == NULL)
        return FALSE;
    }
  if (!raw_begin (raw, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, description, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, node_id, -1, SQLITE_STATIC);
  if (!raw_step_done (raw, stmt, error) || sqlite3_changes (raw->db) != 1 ||
      !raw_commit (raw, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "raw SQLite: no node %s", node_id);
      raw_rollback (raw);
      return FALSE;
    }
  return TRUE;
}
