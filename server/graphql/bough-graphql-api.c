/* bough-graphql-api.c: the GraphQL endpoint: parses the request body, finds the branch's
 * generated schema (cached by schema hash), parses, validates, coerces and executes, and shapes
 * the response and its HTTP status.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql-api"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-json.h"
#include "bough-gql-cost.h"
#include "bough-gql-generate.h"
#include "bough-gql-parser.h"
#include "bough-gql-validate.h"
#include "bough-gql-values.h"
#include "bough-graphql-api.h"

/* Generated schemas are few (one per distinct data schema); keep a handful. */
#define MAX_CACHED_SCHEMAS 16
/* Answers of introspection-only requests kept (GraphiQL and clients send
 * the same large introspection query again and again). */
#define MAX_CACHED_INTROSPECTIONS 32

struct _BoughGraphqlApi
{
  gint        ref_count;
  BoughStore *store;
  GMutex      lock;             /* guards cache and limits */
  GHashTable *cache;            /* schema hash → BoughGqlSchema */
  GHashTable *introspections;   /* introspection_key() → GBytes, the answer */
  gint64      max_page_size;
  guint       max_depth;
  gsize       max_document_bytes;
  gint64      default_page_size;
  gint64      max_cost;
  BoughTaskQueue *tasks;        /* nullable: long operations run in the request's thread */
};

/**
 * bough_graphql_api_new:
 * @store: the store to serve
 *
 * Returns: (transfer full): a new endpoint
 */
BoughGraphqlApi *
bough_graphql_api_new (BoughStore *store)
{
  BoughGraphqlApi *api;

  g_return_val_if_fail (store != NULL, NULL);

  api = g_new0 (BoughGraphqlApi, 1);
  api->ref_count = 1;
  api->store = bough_store_ref (store);
  g_mutex_init (&api->lock);
  api->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) bough_gql_schema_unref);
  api->introspections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_bytes_unref);
  api->max_page_size = BOUGH_GRAPHQL_DEFAULT_MAX_PAGE_SIZE;
  api->max_depth = BOUGH_GQL_DEFAULT_MAX_QUERY_DEPTH;
  api->max_document_bytes = BOUGH_GQL_DEFAULT_MAX_BYTES;
  api->default_page_size = BOUGH_GRAPHQL_DEFAULT_PAGE_SIZE;
  api->max_cost = BOUGH_GQL_DEFAULT_MAX_COST;
  return api;
}

/**
 * bough_graphql_api_ref:
 * @api: an endpoint
 *
 * Returns: (transfer full): @api
 */
BoughGraphqlApi *
bough_graphql_api_ref (BoughGraphqlApi *api)
{
  g_return_val_if_fail (api != NULL, NULL);

  g_atomic_int_inc (&api->ref_count);
  return api;
}

/**
 * bough_graphql_api_unref:
 * @api: an endpoint
 */
void
bough_graphql_api_unref (BoughGraphqlApi *api)
{
  g_return_if_fail (api != NULL);

  if (!g_atomic_int_dec_and_test (&api->ref_count))
    return;
  g_hash_table_unref (api->cache);
  g_hash_table_unref (api->introspections);
  g_clear_pointer (&api->tasks, bough_task_queue_unref);
  g_mutex_clear (&api->lock);
  bough_store_unref (api->store);
  g_free (api);
}

/**
 * bough_graphql_api_set_limits:
 * @api: an endpoint
 * @max_page_size: the most nodes a list returns (`limit` is capped), 0 for no cap
 * @max_depth: the deepest nesting of fields, 0 for no limit
 * @max_document_bytes: the largest query document, 0 for no limit
 */
void
bough_graphql_api_set_limits (BoughGraphqlApi *api,
                              gint64           max_page_size,
                              guint            max_depth,
                              gsize            max_document_bytes)
{
  g_return_if_fail (api != NULL);

  g_mutex_lock (&api->lock);
  api->max_page_size = max_page_size;
  api->max_depth = max_depth;
  api->max_document_bytes = max_document_bytes;
  g_mutex_unlock (&api->lock);
}

/**
 * bough_graphql_api_set_cost_limits:
 * @api: an endpoint
 * @default_page_size: the page of a list asked without `limit`, top-level
 *   or nested, 0 for the maximum page size
 * @max_cost: the largest estimated cost of a query (bough_gql_estimate_cost()),
 *   0 for no limit
 *
 * A query whose estimate exceeds @max_cost is refused before it runs, with
 * an error whose `extensions.reason` is `QUERY_COST_EXCEEDED`.
 */
void
bough_graphql_api_set_cost_limits (BoughGraphqlApi *api,
                                   gint64           default_page_size,
                                   gint64           max_cost)
{
  g_return_if_fail (api != NULL);

  g_mutex_lock (&api->lock);
  api->default_page_size = default_page_size;
  api->max_cost = max_cost;
  g_mutex_unlock (&api->lock);
}

/**
 * bough_graphql_api_set_task_queue:
 * @api: an endpoint
 * @queue: (nullable): the task queue long operations go through
 *
 * Without a queue, long operations (merge, rebase, ...) still become tasks
 * but run in the request's thread.
 */
void
bough_graphql_api_set_task_queue (BoughGraphqlApi *api,
                                  BoughTaskQueue  *queue)
{
  g_return_if_fail (api != NULL);

  g_mutex_lock (&api->lock);
  g_clear_pointer (&api->tasks, bough_task_queue_unref);
  api->tasks = queue != NULL ? bough_task_queue_ref (queue) : NULL;
  g_mutex_unlock (&api->lock);
}

/**
 * bough_graphql_api_get_schema:
 * @api: an endpoint
 * @branch: a branch
 * @at: commit stamp, 0 for now
 * @data_schema: (out) (optional) (transfer full): the data schema it was made from
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the generated schema of @branch as of @at
 */
BoughGqlSchema *
bough_graphql_api_get_schema (BoughGraphqlApi  *api,
                              const char       *branch,
                              gint64            at,
                              BoughSchema     **data_schema,
                              GError          **error)
{
  g_autoptr(BoughSchema) schema = NULL;
  BoughGqlSchema *gql;
  const char *hash;

  g_return_val_if_fail (api != NULL, NULL);
  g_return_val_if_fail (branch != NULL, NULL);

  schema = bough_store_get_schema (api->store, branch, at, error);
  if (schema == NULL)
    return NULL;
  hash = bough_schema_get_hash (schema);
  g_mutex_lock (&api->lock);
  gql = g_hash_table_lookup (api->cache, hash);
  if (gql != NULL)
    bough_gql_schema_ref (gql);
  g_mutex_unlock (&api->lock);

  if (gql == NULL)
    {
      /* generated outside the lock: two threads may both build it, the
       * second one's copy is dropped */
      gql = bough_gql_generate (schema, error);
      if (gql == NULL)
        return NULL;
      g_mutex_lock (&api->lock);
      if (g_hash_table_size (api->cache) >= MAX_CACHED_SCHEMAS)
        g_hash_table_remove_all (api->cache);
      if (!g_hash_table_contains (api->cache, hash))
        g_hash_table_insert (api->cache, g_strdup (hash), bough_gql_schema_ref (gql));
      g_mutex_unlock (&api->lock);
    }
  if (data_schema != NULL)
    *data_schema = g_steal_pointer (&schema);
  return gql;
}

/**
 * bough_graphql_api_parse_at:
 * @at: an ISO 8601 time, or a relative one ("10m", "2h", "5s", "1d") before @now
 * @now: the current commit stamp
 * @error: return location for a #GError
 *
 * Returns: the commit stamp @at stands for, or -1 with @error set
 */
gint64
bough_graphql_api_parse_at (const char  *at,
                            gint64       now,
                            GError     **error)
{
  gsize len;
  char *end = NULL;
  gint64 n;

  g_return_val_if_fail (at != NULL, -1);

  len = strlen (at);
  if (len >= 2 && strchr ("smhd", at[len - 1]) != NULL)
    {
      n = g_ascii_strtoll (at, &end, 10);
      if (end == at + len - 1 && n >= 0)
        {
          gint64 unit = at[len - 1] == 's' ? G_USEC_PER_SEC
                        : at[len - 1] == 'm' ? 60 * G_USEC_PER_SEC
                        : at[len - 1] == 'h' ? G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC
                        : G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC;

          return MAX (1, now - n * unit);
        }
    }
  n = bough_store_stamp_from_iso8601 (at, NULL);
  if (n <= 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "Invalid time \"%s\": expected an ISO 8601 time or a relative one such as \"10m\"", at);
      return -1;
    }
  return n;
}

/* The SDK declares every string variable it makes `String!`, even where the
 * argument is GenericScalar or BigInt (sdk-wire-contract §3), and Infrahub
 * accepts that. Such a "used in position" error is dropped when a String
 * flows into a custom scalar; every other validation error stays. */
static gboolean
is_tolerated_position_error (BoughGqlSchema *gql,
                             BoughGqlError  *e)
{
  static const char middle[] = "\" used in position expecting type \"";
  const char *of_type = strstr (e->message, "\" of type \"");
  const char *pos = strstr (e->message, middle);
  g_autofree char *var_type = NULL;
  g_autofree char *loc_type = NULL;
  BoughGqlType *t;

  if (!g_str_has_prefix (e->message, "Variable \"$") || of_type == NULL || pos == NULL || pos < of_type)
    return FALSE;
  of_type += strlen ("\" of type \"");
  var_type = g_strndup (of_type, pos - of_type);
  pos += strlen (middle);
  loc_type = g_strndup (pos, strcspn (pos, "\""));
  if (g_str_has_suffix (loc_type, "!"))
    loc_type[strlen (loc_type) - 1] = '\0';
  if (g_strcmp0 (var_type, "String!") != 0 && (g_strcmp0 (var_type, "String") != 0 || g_str_has_suffix (pos, "!\".")))
    return FALSE;
  t = bough_gql_schema_get_type (gql, loc_type);
  return t != NULL && t->kind == BOUGH_GQL_TYPE_SCALAR && !bough_gql_type_is_builtin (t);
}

static GBytes *
to_bytes (JsonObject *response)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  char *text;
  gsize len;

  json_node_set_object (root, response);
  text = json_to_string (root, FALSE);
  len = strlen (text);
  return g_bytes_new_take (text, len);
}

/* `{"data": null, "errors": [{"message", "extensions": {"code"}}]}` */
static gboolean
fail (guint       *status,
      GBytes     **response,
      guint        code,
      const char  *message,
      GPtrArray   *gql_errors)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *errors = json_array_new ();

  if (gql_errors != NULL && gql_errors->len > 0)
    {
      for (guint i = 0; i < gql_errors->len; i++)
        {
          BoughGqlError *e = g_ptr_array_index (gql_errors, i);
          JsonObject *obj = json_object_new ();
          JsonObject *ext = json_object_new ();

          json_object_set_string_member (obj, "message", e->message);
          if (e->locations != NULL && e->locations->len > 0)
            {
              JsonArray *locs = json_array_new ();

              for (guint j = 0; j < e->locations->len; j++)
                {
                  BoughGqlLocation *l = &g_array_index (e->locations, BoughGqlLocation, j);
                  JsonObject *lo = json_object_new ();

                  json_object_set_int_member (lo, "line", l->line);
                  json_object_set_int_member (lo, "column", l->column);
                  json_array_add_object_element (locs, lo);
                }
              json_object_set_array_member (obj, "locations", locs);
            }
          json_object_set_int_member (ext, "code", code);
          json_object_set_object_member (obj, "extensions", ext);
          json_array_add_object_element (errors, obj);
        }
    }
  else
    {
      JsonObject *obj = json_object_new ();
      JsonObject *ext = json_object_new ();

      json_object_set_string_member (obj, "message", message);
      json_object_set_int_member (ext, "code", code);
      json_object_set_object_member (obj, "extensions", ext);
      json_array_add_object_element (errors, obj);
    }
  json_object_set_null_member (body, "data");
  json_object_set_array_member (body, "errors", errors);
  *status = code;
  *response = to_bytes (body);
  return FALSE;
}

/* A request error of GraphQL itself (syntax, validation, operation choice,
 * variables): the reference answers these with HTTP 200 and `errors`, as
 * GraphQL over HTTP does for a well-formed request; the extension code
 * still says the request was bad. Transport errors use fail() and a 4xx. */
static gboolean
fail_request (guint       *status,
              GBytes     **response,
              const char  *message,
              GPtrArray   *gql_errors)
{
  fail (status, response, 400, message, gql_errors);
  *status = 200;
  return FALSE;
}

typedef struct
{
  BoughStore *store;
  const char *branch;
  gint64      at;
} KindSizeData;

/* The nodes of a kind, for the cost estimate: a count, which reads the
 * kind's index only. */
static gint64
kind_size_cb (const char *kind,
              gpointer    user_data)
{
  KindSizeData *data = user_data;
  g_autoptr(BoughQuery) query = bough_query_new (kind);
  g_autoptr(BoughQueryResult) result = NULL;

  query->branch = g_strdup (data->branch);
  query->at = data->at;
  query->count_only = TRUE;
  result = bough_store_query (data->store, query, NULL);
  return result != NULL ? result->count : -1;
}

/* A query refused by its estimated cost: HTTP 200 like the other request
 * errors of GraphQL, with the reason, the estimate and the budget. */
static gboolean
fail_cost (guint              *status,
           GBytes            **response,
           const BoughGqlCost *cost,
           gint64              budget)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *errors = json_array_new ();
  JsonObject *obj = json_object_new ();
  JsonObject *ext = json_object_new ();
  g_autofree char *message = g_strdup_printf (
    "Query cost %" G_GINT64_FORMAT " exceeds the budget of %" G_GINT64_FORMAT
    ": its lists may return %" G_GINT64_FORMAT " node rows over %u levels of nesting;"
    " ask smaller pages (limit) or nest fewer lists",
    cost->cost, budget, cost->rows, cost->depth);

  json_object_set_string_member (obj, "message", message);
  json_object_set_int_member (ext, "code", 422);
  json_object_set_string_member (ext, "reason", "QUERY_COST_EXCEEDED");
  json_object_set_int_member (ext, "cost", cost->cost);
  json_object_set_int_member (ext, "budget", budget);
  json_object_set_object_member (obj, "extensions", ext);
  json_array_add_object_element (errors, obj);
  json_object_set_null_member (body, "data");
  json_object_set_array_member (body, "errors", errors);
  *status = 200;
  *response = to_bytes (body);
  return FALSE;
}

static gboolean execute_internal (BoughGraphqlApi   *api,
                                  const char        *branch,
                                  const char        *at,
                                  BoughIdentity     *identity,
                                  const char        *account,
                                  const char        *body,
                                  gsize              length,
                                  gint64             events_after,
                                  gint64             events_upto,
                                  guint             *status,
                                  GBytes           **response,
                                  BoughGqlExecStats *stats);

/**
 * bough_graphql_api_execute_full:
 * @api: an endpoint
 * @branch: (nullable): the branch, %NULL for the default branch
 * @at: (nullable): the `at` query parameter (ignored for mutations)
 * @account: (nullable): who writes
 * @body: the request body
 * @length: its length
 * @status: (out): the HTTP status
 * @response: (out) (transfer full): the response body (JSON)
 * @stats: (out caller-allocates) (optional): what the execution cost
 *
 * Like bough_graphql_api_execute() with the account and the cost.
 *
 * Returns: %TRUE when the operation ran (its response may still hold errors)
 */
gboolean
bough_graphql_api_execute_full (BoughGraphqlApi   *api,
                                const char        *branch,
                                const char        *at,
                                const char        *account,
                                const char        *body,
                                gsize              length,
                                guint             *status,
                                GBytes           **response,
                                BoughGqlExecStats *stats)
{
  return execute_internal (api, branch, at, NULL, account, body, length, -1, 0, status, response, stats);
}

/**
 * bough_graphql_api_execute_as:
 * @api: an endpoint
 * @branch: (nullable): the branch, %NULL for the default branch
 * @at: (nullable): the `at` query parameter (ignored for mutations)
 * @identity: who calls: its account id is the author of the changes
 * @body: the request body
 * @length: its length
 * @status: (out): the HTTP status
 * @response: (out) (transfer full): the response body (JSON)
 * @stats: (out caller-allocates) (optional): what the execution cost
 *
 * Like bough_graphql_api_execute_full() for an authenticated caller.
 *
 * Returns: %TRUE when the operation ran (its response may still hold errors)
 */
gboolean
bough_graphql_api_execute_as (BoughGraphqlApi   *api,
                              const char        *branch,
                              const char        *at,
                              BoughIdentity     *identity,
                              const char        *body,
                              gsize              length,
                              guint             *status,
                              GBytes           **response,
                              BoughGqlExecStats *stats)
{
  g_return_val_if_fail (identity != NULL, FALSE);

  return execute_internal (api, branch, at, identity, bough_identity_get_account_id (identity),
                           body, length, -1, 0, status, response, stats);
}

/**
 * bough_graphql_api_execute_events:
 * @api: an endpoint
 * @branch: (nullable): the branch, %NULL for the default branch
 * @identity: (nullable): who subscribed, %NULL for the server itself
 * @body: the subscription's start payload `{query, variables?, operationName?}`
 * @length: its length
 * @after_seq: the last event the subscriber was told of
 * @upto_seq: the last event to tell of now
 * @status: (out): the HTTP status
 * @response: (out) (transfer full): the response body (JSON)
 *
 * Runs an event subscription (`subscription { InfrahubEvent(...) }`) once:
 * its answer lists the events after @after_seq up to @upto_seq that match.
 *
 * Returns: %TRUE when the operation ran (its response may still hold errors)
 */
gboolean
bough_graphql_api_execute_events (BoughGraphqlApi *api,
                                  const char      *branch,
                                  BoughIdentity   *identity,
                                  const char      *body,
                                  gsize            length,
                                  gint64           after_seq,
                                  gint64           upto_seq,
                                  guint           *status,
                                  GBytes         **response)
{
  g_return_val_if_fail (after_seq >= 0, FALSE);

  return execute_internal (api, branch, NULL, identity,
                           identity ? bough_identity_get_account_id (identity) : NULL,
                           body, length, after_seq, upto_seq, status, response, NULL);
}

/* The key of an operation's answer when it reads nothing but the schema
 * (top-level fields `__schema`, `__type` and `__typename` only): that
 * answer depends on the schema, the text, the operation and the variables,
 * not on the data or on who asks. %NULL for any other operation. */
static char *
introspection_key (const BoughGqlNode *operation,
                   BoughSchema        *schema,
                   const char         *query,
                   JsonObject         *variables)
{
  g_autoptr(JsonNode) vars = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *vars_text = NULL;

  if (operation->operation != BOUGH_GQL_QUERY || operation->selection_set == NULL)
    return NULL;
  for (const BoughGqlNode *sel = operation->selection_set->children; sel != NULL; sel = sel->next)
    if (sel->kind != BOUGH_GQL_FIELD ||
        (g_strcmp0 (sel->name, "__schema") != 0 && g_strcmp0 (sel->name, "__type") != 0 &&
         g_strcmp0 (sel->name, "__typename") != 0))
      return NULL;
  json_node_set_object (vars, variables);
  vars_text = json_to_string (vars, FALSE);
  return g_strdup_printf ("%s\n%s\n%s\n%s", bough_schema_get_hash (schema),
                          operation->name ? operation->name : "", vars_text, query);
}

/* @events_after: a subscription's message: the events after it (up to
 * @events_upto); -1 for any other request, which may not be a subscription */
static gboolean
execute_internal (BoughGraphqlApi   *api,
                  const char        *branch,
                  const char        *at,
                  BoughIdentity     *identity,
                  const char        *account,
                  const char        *body,
                  gsize              length,
                  gint64             events_after,
                  gint64             events_upto,
                  guint             *status,
                  GBytes           **response,
                  BoughGqlExecStats *stats)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlSchema) gql = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughGqlDocument) document = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(JsonObject) variables = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *introspection = NULL;
  BoughGqlParseOptions parse_options;
  BoughGqlValidateOptions validate_options;
  BoughGqlLocation location = { 0, 0 };
  BoughGqlExecContext context = { 0, };
  const BoughGqlNode *operation = NULL;
  JsonObject *request;
  JsonNode *root;
  const char *query;
  const char *operation_name = NULL;
  JsonObject *raw_variables = NULL;
  gint64 stamp = 0;
  gint64 max_page;
  gint64 default_page;
  gint64 max_cost;
  guint max_depth;
  gsize max_bytes;
  BoughGqlCost cost = { 0, };

  g_return_val_if_fail (api != NULL, FALSE);
  g_return_val_if_fail (body != NULL || length == 0, FALSE);
  g_return_val_if_fail (status != NULL && response != NULL, FALSE);

  if (branch == NULL)
    branch = BOUGH_DEFAULT_BRANCH;
  g_mutex_lock (&api->lock);
  max_page = api->max_page_size;
  max_depth = api->max_depth;
  max_bytes = api->max_document_bytes;
  default_page = api->default_page_size;
  max_cost = api->max_cost;
  g_mutex_unlock (&api->lock);

  if (!bough_json_parser_load_input (parser, body, length, &error))
    {
      g_autofree char *message = g_strdup_printf ("Invalid JSON body: %s", error->message);

      return fail (status, response, 400, message, NULL);
    }
  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_ARRAY (root))
    return fail (status, response, 400, "Batched requests are not supported", NULL);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (status, response, 400, "The body must be a JSON object", NULL);
  request = json_node_get_object (root);
  if (!json_object_has_member (request, "query") ||
      json_node_get_value_type (json_object_get_member (request, "query")) != G_TYPE_STRING)
    return fail (status, response, 400, "Must provide query string.", NULL);
  query = json_object_get_string_member (request, "query");
  if (json_object_has_member (request, "operationName"))
    {
      JsonNode *n = json_object_get_member (request, "operationName");

      if (json_node_get_value_type (n) == G_TYPE_STRING)
        operation_name = json_node_get_string (n);
      else if (!JSON_NODE_HOLDS_NULL (n))
        return fail (status, response, 400, "operationName must be a string", NULL);
    }
  if (json_object_has_member (request, "variables"))
    {
      JsonNode *n = json_object_get_member (request, "variables");

      if (JSON_NODE_HOLDS_OBJECT (n))
        raw_variables = json_node_get_object (n);
      else if (!JSON_NODE_HOLDS_NULL (n))
        return fail (status, response, 400, "Variables must be an object", NULL);
    }

  if (!bough_store_branch_exists (api->store, branch))
    {
      g_autofree char *m = g_strdup_printf ("Branch: %s not found.", branch);

      return fail (status, response, 400, m, NULL);
    }

  bough_gql_parse_options_init (&parse_options);
  parse_options.max_bytes = max_bytes;
  document = bough_gql_parse (query, -1, &parse_options, &location, &error);
  if (document == NULL)
    {
      g_autoptr(GPtrArray) perr = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_gql_error_free);

      g_ptr_array_add (perr, bough_gql_error_new (error->message, location.line, location.column));
      return fail_request (status, response, NULL, perr);
    }

  for (const BoughGqlNode *def = document->root->children; def != NULL; def = def->next)
    if (def->kind == BOUGH_GQL_OPERATION_DEFINITION &&
        (operation_name == NULL || g_strcmp0 (def->name, operation_name) == 0))
      {
        operation = def;
        break;
      }

  if (at != NULL && *at != '\0' && (operation == NULL || operation->operation != BOUGH_GQL_MUTATION))
    {
      stamp = bough_graphql_api_parse_at (at, bough_store_now (api->store), &error);
      if (stamp < 0)
        return fail (status, response, 400, error->message, NULL);
    }

  gql = bough_graphql_api_get_schema (api, branch, stamp, &schema, &error);
  if (gql == NULL)
    return fail (status, response, 500, error->message, NULL);

  bough_gql_validate_options_init (&validate_options);
  validate_options.max_depth = max_depth;
  errors = bough_gql_validate (gql, document, &validate_options);
  for (guint i = errors ? errors->len : 0; i > 0; i--)
    if (is_tolerated_position_error (gql, g_ptr_array_index (errors, i - 1)))
      g_ptr_array_remove_index (errors, i - 1);
  if (errors != NULL && errors->len > 0)
    return fail_request (status, response, NULL, errors);
  g_clear_pointer (&errors, g_ptr_array_unref);

  if (operation == NULL)
    {
      g_autofree char *m = operation_name ? g_strdup_printf ("Unknown operation named \"%s\".", operation_name)
                                          : g_strdup ("Must provide operation name if query contains multiple operations.");

      return fail_request (status, response, m, NULL);
    }
  if ((operation->operation == BOUGH_GQL_SUBSCRIPTION) != (events_after >= 0))
    return fail_request (status, response, events_after >= 0 ? "Not a subscription"
                                                              : "Subscriptions are served over the websocket only", NULL);
  /* Anonymous access reads only; what it may read is the permissions' call. */
  if (operation->operation == BOUGH_GQL_MUTATION && identity != NULL &&
      bough_identity_is_anonymous (identity))
    return fail (status, response, 401, "Anonymous access is read-only: log in to make changes", NULL);

  variables = bough_gql_coerce_variables (gql, operation, raw_variables, &errors);
  if (variables == NULL)
    return fail_request (status, response, NULL, errors);

  /* RELIABILITY 16: a fan-out over a dense graph is refused before it reads any node */
  bough_gql_estimate_cost (gql, document, operation, variables, default_page, max_page, NULL, NULL, &cost);
  if (max_cost > 0 && cost.cost > max_cost)
    {
      /* past the budget by pages alone: bound each list by the nodes of
       * its kind (a count per kind, asked only now) */
      KindSizeData data = { api->store, branch, stamp };

      bough_gql_estimate_cost (gql, document, operation, variables, default_page, max_page,
                               kind_size_cb, &data, &cost);
    }
  if (max_cost > 0 && cost.cost > max_cost)
    return fail_cost (status, response, &cost, max_cost);

  introspection = introspection_key (operation, schema, query, variables);
  if (introspection != NULL)
    {
      GBytes *known;

      g_mutex_lock (&api->lock);
      known = g_hash_table_lookup (api->introspections, introspection);
      *response = known ? g_bytes_ref (known) : NULL;
      g_mutex_unlock (&api->lock);
      if (*response != NULL)
        {
          *status = 200;
          return TRUE;
        }
    }

  context.store = api->store;
  context.schema = schema;
  context.gql = gql;
  context.branch = branch;
  context.at = stamp;
  context.account = account;
  context.identity = identity;
  context.max_page_size = max_page;
  context.default_page_size = default_page;
  g_mutex_lock (&api->lock);
  context.tasks = api->tasks;
  g_mutex_unlock (&api->lock);
  context.events_after = MAX (events_after, 0);
  context.events_upto = events_upto;
  context.events_limit = max_page;
  *response = bough_gql_execute_to_bytes (&context, document, operation->name, variables, stats);
  *status = 200;
  if (introspection != NULL)
    {
      g_mutex_lock (&api->lock);
      if (g_hash_table_size (api->introspections) >= MAX_CACHED_INTROSPECTIONS)
        g_hash_table_remove_all (api->introspections);
      g_hash_table_replace (api->introspections, g_steal_pointer (&introspection),
                            g_bytes_ref (*response));
      g_mutex_unlock (&api->lock);
    }
  return TRUE;
}

/**
 * bough_graphql_api_execute:
 * @api: an endpoint
 * @branch: (nullable): the branch of the URL, %NULL for the default branch
 * @at: (nullable): the `at` query parameter
 * @body: the request body (`{query, variables?, operationName?}`)
 * @length: its length
 * @status: (out): the HTTP status to answer with
 * @response: (out) (transfer full): the response body, JSON `{data, errors?}`
 *
 * Runs one GraphQL request. May be called from several threads at once.
 * Bad JSON, a batched (array) body, a missing query, an unknown branch and
 * documents that fail to parse or validate get 400 and
 * `{"data": null, "errors": [{"message", "extensions": {"code"}}]}`; errors
 * of fields during execution come with 200 beside the partial data.
 *
 * Returns: %TRUE when the operation ran
 */
gboolean
bough_graphql_api_execute (BoughGraphqlApi *api,
                           const char      *branch,
                           const char      *at,
                           const char      *body,
                           gsize            length,
                           guint           *status,
                           GBytes         **response)
{
  return bough_graphql_api_execute_full (api, branch, at, NULL, body, length, status, response, NULL);
}

/**
 * bough_graphql_api_print_sdl:
 * @api: an endpoint
 * @branch: (nullable): a branch, %NULL for the default branch
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the SDL of the branch's generated schema, for
 *   `GET /schema.graphql`
 */
char *
bough_graphql_api_print_sdl (BoughGraphqlApi  *api,
                             const char       *branch,
                             GError          **error)
{
  g_autoptr(BoughGqlSchema) gql = NULL;

  g_return_val_if_fail (api != NULL, NULL);

  if (branch == NULL)
    branch = BOUGH_DEFAULT_BRANCH;
  if (!bough_store_branch_exists (api->store, branch))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Branch: %s not found.", branch);
      return NULL;
    }
  gql = bough_graphql_api_get_schema (api, branch, 0, NULL, error);
  if (gql == NULL)
    return NULL;
  return bough_gql_schema_print (gql);
}
