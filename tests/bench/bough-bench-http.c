/* bough-bench-http.c: the HTTP side of the benchmark: spawns bough-server
 * serve on loopback port 0 with a temporary data directory, loads the schema
 * through POST /api/schema/load and runs the API workloads with libsoup
 * (synchronous calls, one keep-alive session per client thread).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "bough-error.h"
#include "schema/bough-yaml.h"

#include "bough-bench-http.h"

const guint bough_bench_http_list_sizes[BOUGH_BENCH_HTTP_N_LISTS] = { 250, 1000, 10000 };

/* Time and quantiles */

static double
ms_since (gint64 start_us)
{
  return (double) (g_get_monotonic_time () - start_us) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest rank, as bough-bench.c. */
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

/* Repeated operations stop once they ran MIN_OPS times and the budget is
 * spent, as in bough-bench.c. */
#define MIN_OPS 20

static gboolean
over_budget (BoughBenchHttpRun *run,
             gint64             start_us,
             guint              done)
{
  return done >= MIN_OPS && (g_get_monotonic_time () - start_us) / 1e6 > run->budget;
}

static guint
pick (BoughBenchHttpRun *run,
      guint              i,
      guint              first,
      guint              count)
{
  /* Other picks than bough-bench.c's, which run on the same seed. */
  guint64 r = bough_bench_mix (run->seed ^ ((guint64) run->run << 40) ^
                               (G_GUINT64_CONSTANT (7) << 56) ^ i);

  return first + (guint) (r % count);
}

/* Client: one keep-alive session, used by one thread */

typedef struct
{
  SoupSession *session;
  const char  *base;
} Client;

/* The admin API token of the server this process spawns: random, given to
 * the server as BOUGH_INITIAL_ADMIN_TOKEN and sent with every request. */
static const char *
bench_token (void)
{
  static gsize done = 0;
  static char *token;

  if (g_once_init_enter (&done))
    {
      token = g_uuid_string_random ();
      g_once_init_leave (&done, 1);
    }
  return token;
}

static void
client_init (Client     *client,
             const char *base)
{
  client->session = soup_session_new_with_options ("timeout", 600, "idle-timeout", 600, NULL);
  client->base = base;
}

static void
client_clear (Client *client)
{
  g_clear_object (&client->session);
}

/* POSTs @body (JSON) to @path; returns the body of the answer. */
static GBytes *
client_post (Client      *client,
             const char  *path,
             const char  *body,
             gsize        length,
             guint       *status,
             GError     **error)
{
  g_autofree char *uri = g_strconcat (client->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, uri);
  g_autoptr(GBytes) request = g_bytes_new (body, length);
  GBytes *response;

  if (msg == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "bad URI %s", uri);
      return NULL;
    }
  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  soup_message_headers_append (soup_message_get_request_headers (msg), "X-INFRAHUB-KEY",
                               bench_token ());
  response = soup_session_send_and_read (client->session, msg, NULL, error);
  if (response != NULL)
    *status = soup_message_get_status (msg);
  return response;
}

typedef struct
{
  double  ms;           /* request sent to answer read */
  gint64  statements;   /* from the response's extensions, -1 if absent */
  gsize   bytes;
} CallInfo;

/* Runs a GraphQL document on /graphql/main; returns the `data` object of
 * the answer (a new reference), or NULL with the first error. Only the
 * exchange is timed, not the parsing. */
static JsonObject *
client_graphql (Client      *client,
                const char  *query,
                JsonObject  *variables,
                CallInfo    *info,
                GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) response = NULL;
  g_autofree char *body = NULL;
  JsonObject *root;
  JsonNode *member;
  gsize length;
  guint status = 0;
  gint64 start;
  gsize size;
  const char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, query);
  if (variables != NULL && json_object_get_size (variables) > 0)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, variables);
      json_builder_set_member_name (builder, "variables");
      json_builder_add_value (builder, node);
    }
  json_builder_end_object (builder);
  body_node = json_builder_get_root (builder);
  json_generator_set_root (generator, body_node);
  body = json_generator_to_data (generator, &length);

  start = g_get_monotonic_time ();
  response = client_post (client, "/graphql/main", body, length, &status, error);
  if (info != NULL)
    info->ms = ms_since (start);
  if (response == NULL)
    return NULL;
  data = g_bytes_get_data (response, &size);
  if (info != NULL)
    info->bytes = size;
  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    {
      g_prefix_error (error, "HTTP %u, not JSON: ", status);
      return NULL;
    }
  root = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
         ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  if (root == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "HTTP %u: not a JSON object", status);
      return NULL;
    }
  member = json_object_get_member (root, "errors");
  if (member != NULL && JSON_NODE_HOLDS_ARRAY (member) &&
      json_array_get_length (json_node_get_array (member)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (member), 0);
      const char *message = JSON_NODE_HOLDS_OBJECT (first)
        ? json_object_get_string_member_with_default (json_node_get_object (first), "message", "?")
        : "?";

      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "HTTP %u: GraphQL error: %s",
                   status, message);
      return NULL;
    }
  if (info != NULL)
    {
      JsonNode *ext = json_object_get_member (root, "extensions");

      info->statements = -1;
      if (ext != NULL && JSON_NODE_HOLDS_OBJECT (ext))
        info->statements = json_object_get_int_member_with_default (json_node_get_object (ext),
                                                                    "bough_sql_statements", -1);
    }
  member = json_object_get_member (root, "data");
  if (status != 200 || member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "HTTP %u without data", status);
      return NULL;
    }
  return json_object_ref (json_node_get_object (member));
}

/* The edges of data[@field], or NULL. */
static JsonArray *
edges_of (JsonObject *data,
          const char *field)
{
  JsonObject *list = json_object_get_object_member (data, field);

  if (list == NULL || !json_object_has_member (list, "edges"))
    return NULL;
  return json_object_get_array_member (list, "edges");
}

/* GraphQL text */

/* A string literal: the escapes of GraphQL strings are those of JSON. */
static void
append_string (GString    *text,
               const char *value)
{
  g_string_append_c (text, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (text, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (text, "\\u%04x", c);
      else
        g_string_append_c (text, (char) c);
    }
  g_string_append_c (text, '"');
}

/* What the SDK inlines; other strings go through `$value_..: String!`. */
static gboolean
sdk_inline_string (const char *value)
{
  if (*value == '\0')
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (". /:_-", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* Mutation documents as the SDK writes them: variables for strings it does
 * not inline, one aliased field per object. */
typedef struct
{
  GString    *fields;
  GString    *declarations;
  JsonObject *variables;
  guint       n_variables;
} Document;

static void
document_init (Document *doc)
{
  doc->fields = g_string_new (NULL);
  doc->declarations = g_string_new (NULL);
  doc->variables = json_object_new ();
  doc->n_variables = 0;
}

static void
document_clear (Document *doc)
{
  g_string_free (doc->fields, TRUE);
  g_string_free (doc->declarations, TRUE);
  json_object_unref (doc->variables);
}

static void
document_reset (Document *doc)
{
  document_clear (doc);
  document_init (doc);
}

static char *
document_text (Document *doc)
{
  if (doc->declarations->len == 0)
    return g_strdup_printf ("mutation {\n%s}", doc->fields->str);
  return g_strdup_printf ("mutation (%s) {\n%s}", doc->declarations->str, doc->fields->str);
}

static void
document_string (Document   *doc,
                 const char *value)
{
  char name[32];

  if (sdk_inline_string (value))
    {
      append_string (doc->fields, value);
      return;
    }
  g_snprintf (name, sizeof name, "value_%u", doc->n_variables++);
  g_string_append_printf (doc->declarations, "%s$%s: String!", doc->declarations->len ? ", " : "",
                          name);
  json_object_set_string_member (doc->variables, name, value);
  g_string_append_printf (doc->fields, "$%s", name);
}

/* Appends `alias: <Kind><Operation>(data: {...}) { ok object { id } }` for
 * @obj, its peers given by id from @ids (dataset index → id). */
static gboolean
document_add (Document          *doc,
              const char        *alias,
              const char        *operation,
              BoughBenchObject  *obj,
              const char        *description,
              GPtrArray         *ids,
              GError           **error)
{
  const BoughBenchKind *kind = bough_bench_kind (obj->kind);
  gboolean first = TRUE;

  g_string_append_printf (doc->fields, "  %s: %s%s(data: {", alias, kind->kind, operation);
  for (guint a = 0; a < kind->n_attrs; a++)
    {
      BoughBenchValue *value = &obj->values[a];
      gboolean is_description = g_str_equal (kind->attrs[a].name, "description");

      if (!value->set && !(is_description && description != NULL))
        continue;
      g_string_append_printf (doc->fields, "%s%s: {value: ", first ? "" : ", ",
                              kind->attrs[a].name);
      first = FALSE;
      if (is_description && description != NULL)
        document_string (doc, description);
      else
        switch (kind->attrs[a].type)
          {
          case BOUGH_BENCH_TYPE_TEXT:
            document_string (doc, value->s);
            break;
          case BOUGH_BENCH_TYPE_INT:
            g_string_append_printf (doc->fields, "%" G_GINT64_FORMAT, value->i);
            break;
          case BOUGH_BENCH_TYPE_BOOL:
            g_string_append (doc->fields, value->i ? "true" : "false");
            break;
          default:
            g_assert_not_reached ();
          }
      g_string_append_c (doc->fields, '}');
    }
  for (guint r = 0; r < kind->n_rels; r++)
    {
      if (obj->n_peers[r] == 0)
        continue;
      g_string_append_printf (doc->fields, "%s%s: %s", first ? "" : ", ", kind->rels[r].name,
                              kind->rels[r].many ? "[" : "");
      first = FALSE;
      for (guint p = 0; p < obj->n_peers[r]; p++)
        {
          guint peer = (guint) obj->peers[r][p];
          const char *id = peer < ids->len ? g_ptr_array_index (ids, peer) : NULL;

          if (id == NULL)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s %s: peer %s not loaded",
                           kind->kind, obj->values[0].s, kind->rels[r].name);
              return FALSE;
            }
          g_string_append_printf (doc->fields, "%s{id: \"%s\"}", p > 0 ? ", " : "", id);
        }
      g_string_append (doc->fields, kind->rels[r].many ? "]" : "");
    }
  g_string_append (doc->fields, "}) {\n    ok\n    object {\n      id\n    }\n  }\n");
  return TRUE;
}

/* Sends @doc and stores the id of each alias `o<index>` in @ids. */
static gboolean
document_send (Document   *doc,
               Client     *client,
               const char *operation,
               guint       first,
               guint       end,
               const char *kind,
               GPtrArray  *ids,
               GError    **error)
{
  g_autofree char *text = document_text (doc);
  g_autoptr(JsonObject) data = client_graphql (client, text, doc->variables, NULL, error);
  g_autofree char *field = g_strconcat (kind, operation, NULL);

  if (data == NULL)
    return FALSE;
  for (guint i = first; i < end; i++)
    {
      char alias[32];
      JsonObject *result;
      JsonObject *object;

      g_snprintf (alias, sizeof alias, "o%u", i);
      result = json_object_get_object_member (data, alias);
      object = result ? json_object_get_object_member (result, "object") : NULL;
      if (object == NULL || json_object_get_string_member (object, "id") == NULL)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s: no object id for %s",
                       field, alias);
          return FALSE;
        }
      if (i >= ids->len)
        g_ptr_array_set_size (ids, i + 1);
      g_free (ids->pdata[i]);
      ids->pdata[i] = g_strdup (json_object_get_string_member (object, "id"));
    }
  return TRUE;
}

/* Upserts objects @first to @end - 1 of @ds, @batch per document; a
 * document holds one kind only, so that peers have their ids. */
static gboolean
load_objects (Client            *client,
              BoughBenchDataset *ds,
              guint              first,
              guint              end,
              guint              batch,
              GPtrArray         *ids,
              GError           **error)
{
  BoughBenchObject obj = { 0, };
  Document doc;
  guint start = first;
  BoughBenchKindId kind = BOUGH_BENCH_N_KINDS;
  gboolean ok = TRUE;

  document_init (&doc);
  for (guint i = first; i < end && ok; i++)
    {
      char alias[32];

      bough_bench_dataset_get (ds, i, &obj);
      if (i > start && (obj.kind != kind || i - start >= batch))
        {
          ok = document_send (&doc, client, "Upsert", start, i, bough_bench_kind (kind)->kind,
                              ids, error);
          document_reset (&doc);
          start = i;
        }
      kind = obj.kind;
      g_snprintf (alias, sizeof alias, "o%u", i);
      ok = ok && document_add (&doc, alias, "Upsert", &obj, NULL, ids, error);
    }
  if (ok && end > start)
    ok = document_send (&doc, client, "Upsert", start, end, bough_bench_kind (kind)->kind, ids,
                        error);
  document_clear (&doc);
  bough_bench_object_clear (&obj);
  return ok;
}

/* The server */

typedef struct
{
  GSubprocess *process;
  char        *base;
  char        *database;
} Server;

static void
server_stop (Server *server)
{
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  g_clear_pointer (&server->base, g_free);
  g_clear_pointer (&server->database, g_free);
}

static gboolean
server_start (Server            *server,
              BoughBenchHttpRun *run,
              GError           **error)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *log = g_build_filename (run->data_dir, "server.log", NULL);
  g_autofree char *line = NULL;
  const char *uri;

  /* The 10k list needs pages beyond the default 1,000; the statements
   * counter is off unless asked for. */
  g_subprocess_launcher_setenv (launcher, "BOUGH_BENCH_STATS", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "BOUGH_INITIAL_ADMIN_TOKEN", bench_token (), TRUE);
  g_subprocess_launcher_setenv (launcher, "BOUGH_WEB_MAX_PAGE_SIZE", "100000", TRUE);
  g_subprocess_launcher_setenv (launcher, "BOUGH_WEB_MAX_QUERY_DEPTH", "40", TRUE);
  /* 10k interfaces with their tags (each a default page) are past the
   * default cost budget by pages: a budget that keeps the list's statements
   * independent of its length (no kind counts for the estimate) */
  g_subprocess_launcher_setenv (launcher, "BOUGH_WEB_MAX_QUERY_COST", "1000000000000", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  server->process = g_subprocess_launcher_spawn (launcher, error, run->server_path, "serve",
                                                 "--data-dir", run->data_dir,
                                                 "--listen", "127.0.0.1:0", NULL);
  if (server->process == NULL)
    {
      g_prefix_error (error, "%s: ", run->server_path);
      return FALSE;
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://"))
    {
      g_autofree char *text = NULL;

      g_file_get_contents (log, &text, NULL, NULL);
      if (error != NULL && *error == NULL)
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                     "bough-server did not start: %s", text ? text : "(no output)");
      return FALSE;
    }
  uri = line + strlen ("listening on ");
  server->base = g_strndup (uri, strlen (uri) - (g_str_has_suffix (uri, "/") ? 1 : 0));
  server->database = g_build_filename (run->data_dir, "bough.db", NULL);
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
add_schema_file (JsonArray   *schemas,
                 const char  *data,
                 gssize       length,
                 const char  *origin,
                 GError     **error)
{
  g_autoptr(BoughYamlDocument) doc = bough_yaml_parse (data, length, origin, error);

  if (doc == NULL)
    return FALSE;
  json_array_add_element (schemas, json_node_copy (bough_yaml_document_get_root (doc)));
  return TRUE;
}

static gboolean
add_schema_dir (JsonArray   *schemas,
                const char  *dir,
                GError     **error)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".yml") || g_str_has_suffix (name, ".yaml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *text = NULL;
      gsize length;

      if (!g_file_get_contents (path, &text, &length, error) ||
          !add_schema_file (schemas, text, (gssize) length, path, error))
        return FALSE;
    }
  return TRUE;
}

/* base/ + extensions/location_minimal + the bench schema, in one load. */
static gboolean
load_schema (Client            *client,
             BoughBenchHttpRun *run,
             GError           **error)
{
  g_autoptr(JsonArray) schemas = json_array_new ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GBytes) response = NULL;
  g_autofree char *base = g_build_filename (run->schema_library, "base", NULL);
  g_autofree char *location = g_build_filename (run->schema_library, "extensions",
                                                "location_minimal", NULL);
  g_autofree char *text = NULL;
  gsize length;
  guint status = 0;

  if (!add_schema_dir (schemas, base, error) || !add_schema_dir (schemas, location, error) ||
      !add_schema_file (schemas, bough_bench_schema_yaml, -1, "bench schema", error))
    return FALSE;
  json_object_set_array_member (body, "schemas", g_steal_pointer (&schemas));
  json_node_set_object (root, body);
  text = json_to_string (root, FALSE);
  length = strlen (text);
  response = client_post (client, "/api/schema/load?branch=main", text, length, &status, error);
  if (response == NULL)
    return FALSE;
  if (status != 200)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "schema load: HTTP %u: %.*s", status,
                   (int) MIN (g_bytes_get_size (response), 2000),
                   (const char *) g_bytes_get_data (response, NULL));
      return FALSE;
    }
  return TRUE;
}

/* What tells whether a commit wrote anything: the rows of the commit log
 * and the newest stamp, read from the server's database file. */
static char *
commit_state (const char  *database,
              GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *state = NULL;
  int rc;

  rc = sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "SELECT count(*), max(stamp) FROM commits", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    state = g_strdup_printf ("%" G_GINT64_FORMAT " commits, newest stamp %" G_GINT64_FORMAT,
                             (gint64) sqlite3_column_int64 (stmt, 0),
                             (gint64) sqlite3_column_int64 (stmt, 1));
  else
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s: %s", database,
                 db ? sqlite3_errmsg (db) : "cannot open");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return state;
}

/* Queries */

static void
append_node_header (GString *q)
{
  g_string_append (q, "id hfid display_label __typename");
}

static void
append_attributes (GString          *q,
                   BoughBenchKindId  id)
{
  const BoughBenchKind *kind = bough_bench_kind (id);

  for (guint a = 0; a < kind->n_attrs; a++)
    g_string_append_printf (q, " %s { value }", kind->attrs[a].name);
}

/* The SDK's shape of a list of interfaces, limited to @limit, with the
 * device and, if @tags, the tags. */
static char *
interface_list_query (guint    limit,
                      gboolean tags)
{
  GString *q = g_string_new (NULL);

  g_string_append_printf (q, "query {\n  InterfacePhysical(offset: 0, limit: %u) {\n"
                          "    count\n    edges {\n      node {\n        ", limit);
  append_node_header (q);
  append_attributes (q, BOUGH_BENCH_KIND_INTERFACE);
  g_string_append (q, "\n        device { node { ");
  append_node_header (q);
  g_string_append (q, " } }\n");
  if (tags)
    {
      g_string_append (q, "        tags { edges { node { ");
      append_node_header (q);
      g_string_append (q, " } } }\n");
    }
  g_string_append (q, "      }\n    }\n  }\n}");
  return g_string_free (q, FALSE);
}

/* The introspection query GraphiQL and the code generators send: every
 * type with its fields, arguments, inputs, enums and interfaces, and the
 * directives, with type references unwrapped to eight levels. */
static const char introspection_query[] =
  "query IntrospectionQuery {\n"
  "  __schema {\n"
  "    queryType { name }\n"
  "    mutationType { name }\n"
  "    subscriptionType { name }\n"
  "    types { ...FullType }\n"
  "    directives {\n"
  "      name description locations\n"
  "      args { ...InputValue }\n"
  "    }\n"
  "  }\n"
  "}\n"
  "fragment FullType on __Type {\n"
  "  kind name description\n"
  "  fields(includeDeprecated: true) {\n"
  "    name description\n"
  "    args { ...InputValue }\n"
  "    type { ...TypeRef }\n"
  "    isDeprecated deprecationReason\n"
  "  }\n"
  "  inputFields { ...InputValue }\n"
  "  interfaces { ...TypeRef }\n"
  "  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }\n"
  "  possibleTypes { ...TypeRef }\n"
  "}\n"
  "fragment InputValue on __InputValue {\n"
  "  name description\n"
  "  type { ...TypeRef }\n"
  "  defaultValue\n"
  "}\n"
  "fragment TypeRef on __Type {\n"
  "  kind name\n"
  "  ofType { kind name ofType { kind name ofType { kind name ofType { kind name\n"
  "    ofType { kind name ofType { kind name ofType { kind name ofType { kind name }\n"
  "  } } } } } } }\n"
  "}\n";

/* Workloads */

typedef struct
{
  BoughBenchHttpRun *run;
  Server            *server;
  Client             client;
  GPtrArray         *ids;      /* dataset index → id */
  GPtrArray         *item_ids; /* items dataset index → id */
} Http;

static gboolean
run_load (Http    *http,
          GError **error)
{
  BoughBenchHttpRun *run = http->run;
  guint n = bough_bench_dataset_get_n_objects (run->ds);
  gint64 start = g_get_monotonic_time ();

  g_printerr ("  http: load %u objects, %u upserts per document\n", n, run->batch);
  if (!load_objects (&http->client, run->ds, 0, n, run->batch, http->ids, error))
    return FALSE;
  run->record (run->user_data, "W1.http_load", n / (ms_since (start) / 1000.0));
  return TRUE;
}

/* Runs @query @reps times (at least MIN_OPS within the budget); records
 * p50/p95 and the statements of the requests (the same each time, or the
 * figure says the largest). @check tells the edges expected (0: none). */
static gboolean
repeat_query (Http       *http,
              const char *query,
              const char *field,
              guint       expect_edges,
              guint       reps,
              const char *p50_id,
              const char *p95_id,
              const char *statements_id,
              GError    **error)
{
  BoughBenchHttpRun *run = http->run;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 statements = -1;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < reps && !over_budget (run, start, i); i++)
    {
      CallInfo info = { 0, };
      g_autoptr(JsonObject) data = client_graphql (&http->client, query, NULL, &info, error);
      JsonArray *edges;

      if (data == NULL)
        return FALSE;
      edges = edges_of (data, field);
      if (expect_edges > 0 && (edges == NULL || json_array_get_length (edges) != expect_edges))
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s: %u edges instead of %u",
                       field, edges ? json_array_get_length (edges) : 0, expect_edges);
          return FALSE;
        }
      g_array_append_val (ms, info.ms);
      statements = MAX (statements, info.statements);
    }
  if (p50_id != NULL)
    run->record (run->user_data, p50_id, quantile (ms, 0.5));
  if (p95_id != NULL)
    run->record (run->user_data, p95_id, quantile (ms, 0.95));
  if (statements_id != NULL && statements >= 0)
    run->record (run->user_data, statements_id, (double) statements);
  if (p50_id != NULL)
    run->record_ops (run->user_data, p50_id, reps, ms->len);
  return TRUE;
}

static gboolean
run_lists (Http    *http,
           GError **error)
{
  BoughBenchHttpRun *run = http->run;
  guint n_interfaces = bough_bench_dataset_count_kind (run->ds, BOUGH_BENCH_KIND_INTERFACE);
  static const char * const ids[BOUGH_BENCH_HTTP_N_LISTS][3] = {
    { "W2.list_250_p50", "W2.list_250_p95", "W2.list_250_sql" },
    { "W2.list_1k_p50", "W2.list_1k_p95", "W2.list_1k_sql" },
    { "W2.list_10k_p50", "W2.list_10k_p95", "W2.list_10k_sql" },
  };
  g_autofree char *plain = NULL;

  g_printerr ("  http: lists\n");
  for (guint s = 0; s < BOUGH_BENCH_HTTP_N_LISTS; s++)
    {
      guint limit = bough_bench_http_list_sizes[s];
      g_autofree char *query = interface_list_query (limit, TRUE);

      if (!repeat_query (http, query, "InterfacePhysical", MIN (limit, n_interfaces),
                         limit >= 10000 ? 20 : 50, ids[s][0], ids[s][1], ids[s][2], error))
        return FALSE;
    }
  if (!repeat_query (http, "query {\n  InterfacePhysical {\n    count\n  }\n}",
                     "InterfacePhysical", 0, 50, "W2.count_p50", "W2.count_p95", "W2.count_sql",
                     error))
    return FALSE;
  plain = interface_list_query (10000, FALSE);
  return repeat_query (http, plain, "InterfacePhysical", MIN (10000, n_interfaces), 20,
                       "W2.list_10k_attrs", NULL, "W2.list_10k_attrs_sql", error);
}

static gboolean
run_reads (Http    *http,
           GError **error)
{
  BoughBenchHttpRun *run = http->run;
  BoughBenchDataset *ds = run->ds;
  guint first_device = bough_bench_dataset_first_of (ds, BOUGH_BENCH_KIND_DEVICE);
  guint n_devices = bough_bench_dataset_count_kind (ds, BOUGH_BENCH_KIND_DEVICE);
  guint first_iface = bough_bench_dataset_first_of (ds, BOUGH_BENCH_KIND_INTERFACE);
  guint n_ifaces = bough_bench_dataset_count_kind (ds, BOUGH_BENCH_KIND_INTERFACE);
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 start;
  guint i;

  g_printerr ("  http: reads\n");
  start = g_get_monotonic_time ();
  for (i = 0; i < run->n_reads && !over_budget (run, start, i); i++)
    {
      g_autofree char *name = bough_bench_dataset_name (ds, pick (run, i, first_device,
                                                                  n_devices));
      g_autoptr(GString) q = g_string_new ("query {\n  DcimDevice(hfid: [");
      g_autoptr(JsonObject) data = NULL;
      CallInfo info = { 0, };
      JsonArray *edges;
      JsonObject *node;
      JsonObject *interfaces;
      JsonArray *peers;

      append_string (q, name);
      g_string_append (q, "]) {\n    edges {\n      node {\n        ");
      append_node_header (q);
      append_attributes (q, BOUGH_BENCH_KIND_DEVICE);
      g_string_append (q, "\n        interfaces { edges { node { ");
      append_node_header (q);
      g_string_append (q, " name { value } } } }\n      }\n    }\n  }\n}");
      data = client_graphql (&http->client, q->str, NULL, &info, error);
      if (data == NULL)
        return FALSE;
      edges = edges_of (data, "DcimDevice");
      node = edges && json_array_get_length (edges) == 1
        ? json_object_get_object_member (json_array_get_object_element (edges, 0), "node") : NULL;
      interfaces = node ? json_object_get_object_member (node, "interfaces") : NULL;
      peers = interfaces ? json_object_get_array_member (interfaces, "edges") : NULL;
      if (peers == NULL || json_array_get_length (peers) != BOUGH_BENCH_INTERFACES_PER_DEVICE)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                       "device %s: %u interfaces instead of %u", name,
                       peers ? json_array_get_length (peers) : 0,
                       BOUGH_BENCH_INTERFACES_PER_DEVICE);
          return FALSE;
        }
      g_array_append_val (ms, info.ms);
    }
  run->record (run->user_data, "W3.http_device_p50", quantile (ms, 0.5));
  run->record (run->user_data, "W3.http_device_p99", quantile (ms, 0.99));
  run->record_ops (run->user_data, "W3.http_device_p50", run->n_reads, ms->len);

  g_array_set_size (ms, 0);
  start = g_get_monotonic_time ();
  for (i = 0; i < run->n_reads && !over_budget (run, start, i); i++)
    {
      const char *id = g_ptr_array_index (http->ids, pick (run, i + 1000000, first_iface,
                                                           n_ifaces));
      g_autoptr(GString) q = g_string_new ("query {\n  InterfacePhysical(ids: [");
      g_autoptr(JsonObject) data = NULL;
      CallInfo info = { 0, };
      JsonArray *edges;

      append_string (q, id);
      g_string_append (q, "]) {\n    edges {\n      node {\n        ");
      append_node_header (q);
      append_attributes (q, BOUGH_BENCH_KIND_INTERFACE);
      g_string_append (q, "\n        device { node { ");
      append_node_header (q);
      g_string_append (q, " } }\n      }\n    }\n  }\n}");
      data = client_graphql (&http->client, q->str, NULL, &info, error);
      if (data == NULL)
        return FALSE;
      edges = edges_of (data, "InterfacePhysical");
      if (edges == NULL || json_array_get_length (edges) != 1)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "interface %s not found", id);
          return FALSE;
        }
      g_array_append_val (ms, info.ms);
    }
  run->record (run->user_data, "W3.http_get_id_p50", quantile (ms, 0.5));
  run->record (run->user_data, "W3.http_get_id_p99", quantile (ms, 0.99));
  run->record_ops (run->user_data, "W3.http_get_id_p50", run->n_reads, ms->len);
  return TRUE;
}

static gboolean
run_writes (Http    *http,
            GError **error)
{
  BoughBenchHttpRun *run = http->run;
  BoughBenchDataset *ds = run->ds;
  guint first_device = bough_bench_dataset_first_of (ds, BOUGH_BENCH_KIND_DEVICE);
  guint n_devices = bough_bench_dataset_count_kind (ds, BOUGH_BENCH_KIND_DEVICE);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GPtrArray) scratch = g_ptr_array_new_with_free_func (g_free);
  BoughBenchObject obj = { 0, };
  Document doc;
  gint64 start;
  guint done;
  guint index;
  gboolean ok = FALSE;

  g_printerr ("  http: writes\n");
  start = g_get_monotonic_time ();
  for (done = 0; done < run->n_updates && !over_budget (run, start, done); done++)
    {
      const char *id = g_ptr_array_index (http->ids, pick (run, done + 2000000, first_device,
                                                           n_devices));
      g_autoptr(GString) q = g_string_new ("mutation {\n  DcimDeviceUpdate(data: {id: ");
      g_autoptr(JsonObject) data = NULL;
      g_autofree char *text = g_strdup_printf ("updated over HTTP by run %u, commit %u",
                                               run->run, done);

      append_string (q, id);
      g_string_append (q, ", description: {value: ");
      append_string (q, text);
      g_string_append (q, "}}) {\n    ok\n    object {\n      id\n    }\n  }\n}");
      data = client_graphql (&http->client, q->str, NULL, NULL, error);
      if (data == NULL)
        return FALSE;
    }
  run->record (run->user_data, "W3.http_update", done / (ms_since (start) / 1000.0));
  run->record_ops (run->user_data, "W3.http_update", run->n_updates, done);

  /* The same upsert twice: the first sets a new description, the second
   * must add no commit. */
  index = pick (run, 3000000, first_device, n_devices);
  description = g_strdup_printf ("upserted over HTTP by run %u", run->run);
  bough_bench_dataset_get (ds, index, &obj);
  document_init (&doc);
  if (!document_add (&doc, "o0", "Upsert", &obj, description, http->ids, error))
    goto out;
  before = commit_state (http->server->database, error);
  if (before == NULL || !document_send (&doc, &http->client, "Upsert", 0, 1, "DcimDevice",
                                        scratch, error))
    goto out;
  after = commit_state (http->server->database, error);
  if (after == NULL)
    goto out;
  if (g_str_equal (before, after))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                   "http: the first upsert (a new description) added no commit (%s)", after);
      goto out;
    }
  {
    g_autofree char *text = document_text (&doc);
    g_autoptr(JsonObject) data = NULL;
    CallInfo info = { 0, };

    data = client_graphql (&http->client, text, doc.variables, &info, error);
    if (data == NULL)
      goto out;
    run->record (run->user_data, "W3.http_upsert_twice", info.ms);
  }
  g_free (before);
  before = g_steal_pointer (&after);
  after = commit_state (http->server->database, error);
  if (after == NULL)
    goto out;
  run->noop_upsert = g_str_equal (before, after);
  g_free (run->noop_state);
  run->noop_state = run->noop_upsert ? g_strdup (after)
                                     : g_strdup_printf ("before %s, after %s", before, after);
  ok = TRUE;

out:
  document_clear (&doc);
  bough_bench_object_clear (&obj);
  return ok;
}

typedef struct
{
  Http      *http;
  guint      client;
  gint64     start;
  guint      done;
  GError    *error;
} CreateWorker;

static gpointer
create_thread (gpointer user_data)
{
  CreateWorker *worker = user_data;
  BoughBenchHttpRun *run = worker->http->run;
  BoughBenchDataset *items = run->items;
  guint first = bough_bench_dataset_first_of (items, BOUGH_BENCH_KIND_ITEM);
  guint n = MIN (run->n_creates, bough_bench_dataset_count_kind (items, BOUGH_BENCH_KIND_ITEM));
  BoughBenchObject obj = { 0, };
  Client client;

  /* Each client has its own session, hence its own keep-alive connection. */
  client_init (&client, worker->http->server->base);
  for (guint i = worker->client; i < n; i += run->clients)
    {
      Document doc;
      g_autofree char *text = NULL;
      g_autoptr(JsonObject) data = NULL;

      if (over_budget (run, worker->start, worker->done * run->clients))
        break;
      bough_bench_dataset_get (items, first + i, &obj);
      document_init (&doc);
      if (document_add (&doc, "o0", "Create", &obj, NULL, worker->http->item_ids,
                        &worker->error))
        {
          text = document_text (&doc);
          data = client_graphql (&client, text, doc.variables, NULL, &worker->error);
        }
      document_clear (&doc);
      if (data == NULL)
        break;
      worker->done++;
    }
  bough_bench_object_clear (&obj);
  client_clear (&client);
  return NULL;
}

static gboolean
run_creates (Http    *http,
             GError **error)
{
  BoughBenchHttpRun *run = http->run;
  BoughBenchDataset *items = run->items;
  guint first_group = bough_bench_dataset_first_of (items, BOUGH_BENCH_KIND_GROUP);
  guint n_groups = bough_bench_dataset_count_kind (items, BOUGH_BENCH_KIND_GROUP);
  guint n = MIN (run->n_creates, bough_bench_dataset_count_kind (items, BOUGH_BENCH_KIND_ITEM));
  g_autofree CreateWorker *workers = g_new0 (CreateWorker, run->clients);
  g_autofree GThread **threads = g_new0 (GThread *, run->clients);
  gint64 start;
  guint done = 0;

  g_printerr ("  http: %u creates from %u clients\n", n, run->clients);
  if (!load_objects (&http->client, items, first_group, first_group + n_groups, run->batch,
                     http->item_ids, error))
    return FALSE;
  start = g_get_monotonic_time ();
  for (guint c = 0; c < run->clients; c++)
    {
      workers[c].http = http;
      workers[c].client = c;
      workers[c].start = start;
      threads[c] = g_thread_new ("bench-client", create_thread, &workers[c]);
    }
  for (guint c = 0; c < run->clients; c++)
    {
      g_thread_join (threads[c]);
      done += workers[c].done;
    }
  for (guint c = 0; c < run->clients; c++)
    if (workers[c].error != NULL)
      {
        if (error != NULL && *error == NULL)
          g_propagate_error (error, g_steal_pointer (&workers[c].error));
        g_clear_error (&workers[c].error);
      }
  if (error != NULL && *error != NULL)
    return FALSE;
  run->record (run->user_data, "W1.http_creates", done / (ms_since (start) / 1000.0));
  run->record_ops (run->user_data, "W1.http_creates", n, done);
  return TRUE;
}

static gboolean
run_introspection (Http    *http,
                   GError **error)
{
  BoughBenchHttpRun *run = http->run;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  g_printerr ("  http: introspection\n");
  for (guint i = 0; i < 5; i++)
    {
      CallInfo info = { 0, };
      g_autoptr(JsonObject) data = client_graphql (&http->client, introspection_query, NULL,
                                                   &info, error);
      JsonObject *schema;

      if (data == NULL)
        return FALSE;
      schema = json_object_get_object_member (data, "__schema");
      if (schema == NULL || json_array_get_length (json_object_get_array_member (schema,
                                                                                 "types")) < 10)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "introspection: no types");
          return FALSE;
        }
      g_array_append_val (ms, info.ms);
    }
  run->record (run->user_data, "W2.http_introspection", quantile (ms, 0.5));
  return TRUE;
}

gboolean
bough_bench_http_run (BoughBenchHttpRun *run,
                      GError           **error)
{
  Server server = { 0, };
  Http http = { 0, };
  gboolean ok;

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (run->batch > 0 && run->clients > 0, FALSE);

  http.run = run;
  http.server = &server;
  http.ids = g_ptr_array_new_with_free_func (g_free);
  http.item_ids = g_ptr_array_new_with_free_func (g_free);
  ok = server_start (&server, run, error);
  if (ok)
    {
      client_init (&http.client, server.base);
      ok = load_schema (&http.client, run, error) &&
           run_load (&http, error) &&
           run_lists (&http, error) &&
           run_reads (&http, error) &&
           run_writes (&http, error) &&
           run_creates (&http, error) &&
           run_introspection (&http, error);
      client_clear (&http.client);
    }
  server_stop (&server);
  g_ptr_array_unref (http.ids);
  g_ptr_array_unref (http.item_ids);
  return ok;
}
