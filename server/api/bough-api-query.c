/* bough-api-query.c: `/api/query/{name_or_id}` (GET and POST): runs a stored CoreGraphQLQuery on
 * a branch, with its variables from the body (POST) or the query string (GET).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-api"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-json.h"
#include "bough-api-private.h"
#include "graphql/bough-gql-parser.h"
#include "graphql/bough-gql-printer.h"

#define QUERY_PREFIX "/api/query/"

/* Finds the stored query by id, then by name (its hfid). */
static BoughNode *
find_query (BoughApi   *self,
            const char *branch,
            gint64      at,
            const char *name_or_id,
            GError    **error)
{
  const char *hfid[] = { name_or_id, NULL };
  g_autoptr(GError) local_error = NULL;
  BoughNode *node;

  node = bough_store_get_node (self->store, branch, at, "CoreGraphQLQuery", name_or_id, &local_error);
  if (node != NULL)
    return node;
  if (!g_error_matches (local_error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return bough_store_get_node_by_hfid (self->store, branch, at, "CoreGraphQLQuery", hfid, error);
}

void
_bough_api_stored_query_free (BoughApiStoredQuery *query)
{
  g_clear_pointer (&query->document, bough_gql_document_free);
  g_clear_pointer (&query->node, bough_node_unref);
  g_free (query);
}

/* Finds the stored query @name_or_id (its id, or its name) on @branch as of
 * @at and parses its text. Fails with BOUGH_ERROR_NOT_FOUND when there is no
 * such query, BOUGH_ERROR_INVALID when its text is missing or does not
 * parse; the messages are the ones to show. Used by /api/query and by the
 * `query` subscription of the websocket. */
BoughApiStoredQuery *
_bough_api_stored_query_load (BoughApi    *self,
                              const char  *branch,
                              gint64       at,
                              const char  *name_or_id,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  BoughApiStoredQuery *query;
  const BoughAttributeValue *text;
  g_autoptr(BoughNode) node = NULL;
  BoughGqlDocument *document;

  node = find_query (self, branch, at, name_or_id, &local_error);
  if (node == NULL)
    {
      if (g_error_matches (local_error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND))
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "GraphQL query %s not found",
                     name_or_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  text = bough_node_get_attribute (node, "query");
  if (text == NULL || text->type != BOUGH_VALUE_STRING)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "GraphQL query %s has no query text",
                   name_or_id);
      return NULL;
    }
  document = bough_gql_parse (text->v.string, -1, NULL, NULL, &local_error);
  if (document == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "GraphQL query %s does not parse: %s",
                   name_or_id, local_error->message);
      return NULL;
    }

  query = g_new0 (BoughApiStoredQuery, 1);
  query->text = text->v.string;
  query->node = g_steal_pointer (&node);
  query->document = document;
  return query;
}

/* A query-string value as the variable's declared scalar type wants it. */
static JsonNode *
coerce_text (const BoughGqlNode *type,
             const char         *name,
             const char         *text,
             GError            **error)
{
  const char *scalar;

  while (type->kind == BOUGH_GQL_NON_NULL_TYPE || type->kind == BOUGH_GQL_LIST_TYPE)
    type = type->type;
  scalar = type->name;
  if (g_strcmp0 (scalar, "Int") == 0)
    {
      gint64 value;

      if (!g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXINT32, &value, NULL))
        goto bad;
      return json_node_init_int (json_node_alloc (), value);
    }
  if (g_strcmp0 (scalar, "Float") == 0)
    {
      char *end = NULL;
      double value = g_ascii_strtod (text, &end);

      if (*text == '\0' || end == NULL || *end != '\0')
        goto bad;
      return json_node_init_double (json_node_alloc (), value);
    }
  if (g_strcmp0 (scalar, "Boolean") == 0)
    {
      if (g_ascii_strcasecmp (text, "true") == 0)
        return json_node_init_boolean (json_node_alloc (), TRUE);
      if (g_ascii_strcasecmp (text, "false") == 0)
        return json_node_init_boolean (json_node_alloc (), FALSE);
      goto bad;
    }
  return json_node_init_string (json_node_alloc (), text);

bad:
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
               "Variable '$%s' got invalid value '%s'; %s cannot represent it", name, text, scalar);
  return NULL;
}

/* The operation of a stored query to run: the one named by @name, or the
 * only one. A text with several operations needs a name, as in a GraphQL
 * request. */
static const BoughGqlNode *
choose_operation (const BoughGqlNode  *root,
                  const char          *name,
                  GError             **error)
{
  const BoughGqlNode *found = NULL;
  guint n = 0;

  for (const BoughGqlNode *def = root->children; def != NULL; def = def->next)
    {
      if (def->kind != BOUGH_GQL_OPERATION_DEFINITION)
        continue;
      n++;
      if (found == NULL && (name == NULL || g_strcmp0 (def->name, name) == 0))
        found = def;
    }
  if (name != NULL && found == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Unknown operation named \"%s\".", name);
      return NULL;
    }
  if (name == NULL && n > 1)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "Must provide operation name if query contains multiple operations "
                   "(the operation_name query parameter).");
      return NULL;
    }
  if (found == NULL)
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Must provide an operation.");
  return found;
}

/* Takes the variables the operation declares from the query string. */
static gboolean
variables_from_query (BoughHttpRequest   *request,
                      const BoughGqlNode *def,
                      JsonObject         *variables,
                      GError            **error)
{
    {
      for (const BoughGqlNode *var = def->variables; var != NULL; var = var->next)
        {
          const BoughGqlNode *type = var->type;
          JsonNode *value;

          if (json_object_has_member (variables, var->name))
            continue;
          if (type->kind == BOUGH_GQL_NON_NULL_TYPE)
            type = type->type;
          if (type->kind == BOUGH_GQL_LIST_TYPE)
            {
              g_auto(GStrv) texts = bough_http_request_get_query_all (request, var->name);
              JsonArray *array;

              if (texts == NULL || texts[0] == NULL)
                continue;
              array = json_array_new ();
              for (guint i = 0; texts[i] != NULL; i++)
                {
                  value = coerce_text (type->type, var->name, texts[i], error);
                  if (value == NULL)
                    {
                      json_array_unref (array);
                      return FALSE;
                    }
                  json_array_add_element (array, value);
                }
              json_object_set_array_member (variables, var->name, array);
            }
          else
            {
              const char *text = bough_http_request_get_query (request, var->name);

              if (text == NULL)
                continue;
              value = coerce_text (type, var->name, text, error);
              if (value == NULL)
                return FALSE;
              json_object_set_member (variables, var->name, value);
            }
        }
    }
  return TRUE;
}

/* Names the first required variable of @def that has no value, graphql-js's way. */
static char *
missing_variable (const BoughGqlNode *def,
                  JsonObject         *variables)
{
    {
      for (const BoughGqlNode *var = def->variables; var != NULL; var = var->next)
        if (var->type->kind == BOUGH_GQL_NON_NULL_TYPE && var->value == NULL
            && (!json_object_has_member (variables, var->name)
                || JSON_NODE_HOLDS_NULL (json_object_get_member (variables, var->name))))
          {
            g_autofree char *type = bough_gql_print (var->type);

            return g_strdup_printf ("Variable '$%s' of required type '%s' was not provided.",
                                    var->name, type);
          }
    }
  return NULL;
}

/* Runs the operation @operation_name (NULL: the only one) of @query with
 * @variables on @branch (as of @at_text, the `at` text of the request, or
 * NULL for now): the GraphQL response and its HTTP status. Fails with
 * BOUGH_ERROR_INVALID, running nothing, when the operation is unknown, not
 * named among several, or a required variable of it has no value. */
gboolean
_bough_api_stored_query_run_operation (BoughApi             *self,
                                       BoughIdentity        *identity,
                                       BoughApiStoredQuery  *query,
                                       const char           *operation_name,
                                       const char           *branch,
                                       const char           *at_text,
                                       JsonObject           *variables,
                                       guint                *status,
                                       GBytes              **response,
                                       GError              **error)
{
  g_autoptr(JsonObject) request_body = NULL;
  g_autoptr(JsonNode) request_root = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *body = NULL;
  const BoughGqlNode *operation;

  operation = choose_operation (query->document->root, operation_name, error);
  if (operation == NULL)
    return FALSE;
  missing = missing_variable (operation, variables);
  if (missing != NULL)
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, missing);
      return FALSE;
    }

  request_body = json_object_new ();
  json_object_set_string_member (request_body, "query", query->text);
  json_object_set_object_member (request_body, "variables", json_object_ref (variables));
  if (operation->name != NULL)
    json_object_set_string_member (request_body, "operationName", operation->name);
  request_root = json_node_init_object (json_node_alloc (), request_body);
  body = json_to_string (request_root, FALSE);
  if (identity != NULL)
    bough_graphql_api_execute_as (self->graphql, branch, at_text, identity, body, strlen (body),
                                  status, response, NULL);
  else
    bough_graphql_api_execute (self->graphql, branch, at_text, body, strlen (body), status,
                               response);
  return TRUE;
}

/* _bough_api_stored_query_run_operation() of the only operation. */
gboolean
_bough_api_stored_query_run (BoughApi             *self,
                             BoughIdentity        *identity,
                             BoughApiStoredQuery  *query,
                             const char           *branch,
                             const char           *at_text,
                             JsonObject           *variables,
                             guint                *status,
                             GBytes              **response,
                             GError              **error)
{
  return _bough_api_stored_query_run_operation (self, identity, query, NULL, branch, at_text, variables,
                                                status, response, error);
}

/* GraphQL errors of the run, in the REST error shape with @status as code. */
static void
reply_graphql_errors (BoughHttpRequest *request,
                      guint             status,
                      JsonObject       *response)
{
  JsonArray *errors = json_object_get_array_member (response, "errors");
  JsonArray *out = json_array_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body = json_object_new ();

  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonNode *copy = json_node_copy (json_array_get_element (errors, i));
      JsonObject *error = json_node_get_object (copy);
      JsonObject *extensions = json_object_new ();

      json_object_set_int_member (extensions, "code", status);
      json_object_set_object_member (error, "extensions", extensions);
      json_array_add_element (out, copy);
    }
  json_object_set_null_member (body, "data");
  json_object_set_array_member (body, "errors", out);
  root = json_node_init_object (json_node_alloc (), body);
  json_object_unref (body);
  bough_http_request_reply_json (request, status, root);
}

static void
query_work (BoughHttpRequest *request,
            gpointer          user_data)
{
  BoughApi *self = user_data;
  /* libsoup hands over the path already percent-decoded */
  const char *name = bough_http_request_get_path (request) + strlen (QUERY_PREFIX);
  const char *at_text = bough_http_request_get_query (request, "at");
  const char *update_group = bough_http_request_get_query (request, "update_group");
  /* the SDK's query_gql_query(params=...) sends its parameters in the query string */
  const char *operation_name = bough_http_request_get_query (request, "operation_name");
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughApiStoredQuery) query = NULL;
  g_autoptr(JsonObject) variables = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) response = NULL;
  const char *branch;
  guint status = 0;
  gint64 at = 0;

  if (*name == '\0')
    {
      bough_http_request_reply_error (request, SOUP_STATUS_NOT_FOUND, "No query name or id given");
      return;
    }
  if (update_group != NULL && g_ascii_strcasecmp (update_group, "true") == 0)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_NOT_IMPLEMENTED,
                                      "update_group is not supported yet: Bough does not record "
                                      "query results in a CoreGraphQLQueryGroup");
      return;
    }
  branch = _bough_api_get_branch (self, request);
  if (branch == NULL)
    return;
  if (at_text != NULL && at_text[0] != '\0')
    {
      at = bough_graphql_api_parse_at (at_text, bough_store_now (self->store), &error);
      if (at < 0)
        {
          bough_http_request_reply_error (request, SOUP_STATUS_BAD_REQUEST, "invalid 'at' time: %s",
                                          error->message);
          return;
        }
    }

  query = _bough_api_stored_query_load (self, branch, at, name, &error);
  if (query == NULL)
    {
      guint code = g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND) ? SOUP_STATUS_NOT_FOUND
                   : g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_INVALID) ? SOUP_STATUS_UNPROCESSABLE_ENTITY
                   : SOUP_STATUS_INTERNAL_SERVER_ERROR;

      bough_http_request_reply_error (request, code, "%s", error->message);
      return;
    }

  if (g_strcmp0 (bough_http_request_get_method (request), SOUP_METHOD_POST) == 0)
    {
      GBytes *bytes = bough_http_request_get_body (request);
      gsize length = 0;
      const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;
      JsonNode *root;

      if (length > 0)
        {
          if (!bough_json_parser_load_input (parser, data, length, &error))
            {
              bough_http_request_reply_error (request, SOUP_STATUS_BAD_REQUEST, "Invalid JSON body: %s",
                                              error->message);
              return;
            }
          root = json_parser_get_root (parser);
          if (!JSON_NODE_HOLDS_OBJECT (root)
              || (json_object_has_member (json_node_get_object (root), "variables")
                  && !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "variables"))
                  && !JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (root), "variables"))))
            {
              bough_http_request_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                                              "The body must be an object with an object 'variables'");
              return;
            }
          if (json_object_has_member (json_node_get_object (root), "variables")
              && JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "variables")))
            variables = json_object_ref (json_object_get_object_member (json_node_get_object (root), "variables"));
          /* the body may name the operation too, as a GraphQL request does */
          if (operation_name == NULL && json_object_has_member (json_node_get_object (root), "operationName")
              && json_node_get_value_type (json_object_get_member (json_node_get_object (root), "operationName")) == G_TYPE_STRING)
            operation_name = json_object_get_string_member (json_node_get_object (root), "operationName");
        }
      if (variables == NULL)
        variables = json_object_new ();
    }
  else
    {
      const BoughGqlNode *operation = choose_operation (query->document->root, operation_name, &error);

      variables = json_object_new ();
      if (operation == NULL || !variables_from_query (request, operation, variables, &error))
        {
          bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "%s", error->message);
          return;
        }
    }
  if (!_bough_api_stored_query_run_operation (self, bough_auth_get_request_identity (request),
                                              query, operation_name, branch, at_text, variables,
                                              &status, &response, &error))
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "%s", error->message);
      return;
    }
  if (status == SOUP_STATUS_OK)
    {
      g_autoptr(JsonParser) result_parser = json_parser_new ();
      gsize length = 0;
      const char *data = g_bytes_get_data (response, &length);
      JsonObject *result;

      if (json_parser_load_from_data (result_parser, data, length, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (result_parser)))
        {
          result = json_node_get_object (json_parser_get_root (result_parser));
          /* A run that produced no data at all (a query no longer valid for
           * the schema, wrong variable types) is the caller's problem. */
          if (json_object_has_member (result, "errors")
              && JSON_NODE_HOLDS_NULL (json_object_get_member (result, "data")))
            {
              reply_graphql_errors (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, result);
              return;
            }
        }
    }
  bough_http_request_reply_bytes (request, status, NULL, response);
}

void
_bough_api_query_register (BoughApi        *self,
                           BoughHttpRouter *router)
{
  bough_http_router_add_work (router, SOUP_METHOD_GET, QUERY_PREFIX "*", query_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_POST, QUERY_PREFIX "*", query_work, self, NULL);
}
