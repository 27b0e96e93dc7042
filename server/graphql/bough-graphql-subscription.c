/* bough-graphql-subscription.c: checks the document of a graphql-ws `start` (parse, validation
 * against the branch's generated schema, operation choice, variables) and evaluates the
 * arguments of its single `query` field.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql-api"

#include "config.h"

#include <string.h>

#include "bough-gql-parser.h"
#include "bough-gql-validate.h"
#include "bough-gql-values.h"
#include "bough-graphql-subscription.h"

void
bough_graphql_subscription_free (BoughGraphqlSubscription *subscription)
{
  if (subscription == NULL)
    return;
  g_free (subscription->name);
  g_clear_pointer (&subscription->params, json_object_unref);
  g_free (subscription);
}

static JsonArray *
error_array (const char *message,
             guint       line,
             guint       column)
{
  JsonArray *errors = json_array_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "message", message);
  if (line > 0)
    {
      JsonArray *locations = json_array_new ();
      JsonObject *location = json_object_new ();

      json_object_set_int_member (location, "line", line);
      json_object_set_int_member (location, "column", column);
      json_array_add_object_element (locations, location);
      json_object_set_array_member (error, "locations", locations);
    }
  json_array_add_object_element (errors, error);
  return errors;
}

static JsonArray *
gql_errors_to_json (GPtrArray *gql_errors)
{
  JsonArray *errors = json_array_new ();

  for (guint i = 0; i < gql_errors->len; i++)
    {
      BoughGqlError *e = g_ptr_array_index (gql_errors, i);
      JsonObject *error = json_object_new ();

      json_object_set_string_member (error, "message", e->message);
      if (e->locations != NULL && e->locations->len > 0)
        {
          JsonArray *locations = json_array_new ();

          for (guint j = 0; j < e->locations->len; j++)
            {
              BoughGqlLocation *l = &g_array_index (e->locations, BoughGqlLocation, j);
              JsonObject *location = json_object_new ();

              json_object_set_int_member (location, "line", l->line);
              json_object_set_int_member (location, "column", l->column);
              json_array_add_object_element (locations, location);
            }
          json_object_set_array_member (error, "locations", locations);
        }
      json_array_add_object_element (errors, error);
    }
  return errors;
}

/* The one root field; validation has checked that a subscription selects
 * exactly one, but it may sit in a fragment. */
static const BoughGqlNode *
root_field (const BoughGqlDocument *document,
            const BoughGqlNode     *selection_set)
{
  for (const BoughGqlNode *sel = selection_set->children; sel != NULL; sel = sel->next)
    {
      const BoughGqlNode *found = NULL;

      if (sel->kind == BOUGH_GQL_FIELD && !g_str_has_prefix (sel->name, "__"))
        return sel;
      if (sel->kind == BOUGH_GQL_INLINE_FRAGMENT)
        found = root_field (document, sel->selection_set);
      else if (sel->kind == BOUGH_GQL_FRAGMENT_SPREAD)
        for (const BoughGqlNode *def = document->root->children; def != NULL; def = def->next)
          if (def->kind == BOUGH_GQL_FRAGMENT_DEFINITION && g_strcmp0 (def->name, sel->name) == 0)
            found = root_field (document, def->selection_set);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* An argument's value: the literal (variables resolved), else its default. */
static JsonNode *
argument_value (BoughGqlField      *field,
                const BoughGqlNode *node,
                const char         *name,
                JsonObject         *variables)
{
  BoughGqlField *arg = bough_gql_args_find (field->args, name);

  g_assert (arg != NULL);
  for (const BoughGqlNode *a = node->arguments; a != NULL; a = a->next)
    if (g_strcmp0 (a->name, name) == 0)
      {
        if (a->value->kind == BOUGH_GQL_VARIABLE && !json_object_has_member (variables, a->value->name))
          break;
        return bough_gql_value_from_literal (arg->type, a->value, variables);
      }
  return bough_gql_field_default_json (arg);
}

/**
 * bough_graphql_subscription_prepare:
 * @api: an endpoint
 * @branch: the branch of the websocket's URL
 * @payload: the `start` message's payload, `{query, variables?, operationName?}`
 * @max_document_bytes: the longest document accepted, 0 for no limit
 * @errors: (out) (transfer full): the GraphQL errors `[{message, locations?}]` on failure
 *
 * Parses and validates the subscription document like any other request
 * on @branch, and evaluates the arguments of its `query` field. Runs
 * nothing: the caller runs the stored query. Safe from any thread.
 *
 * Returns: (transfer full) (nullable): the subscription, or %NULL with @errors set
 */
BoughGraphqlSubscription *
bough_graphql_subscription_prepare (BoughGraphqlApi *api,
                                    const char      *branch,
                                    JsonObject      *payload,
                                    gsize            max_document_bytes,
                                    JsonArray      **errors)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlSchema) gql = NULL;
  g_autoptr(BoughGqlDocument) document = NULL;
  g_autoptr(GPtrArray) gql_errors = NULL;
  g_autoptr(JsonObject) variables = NULL;
  g_autoptr(JsonNode) name = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(JsonNode) interval = NULL;
  g_autoptr(BoughGraphqlSubscription) subscription = NULL;
  BoughGqlParseOptions parse_options;
  BoughGqlValidateOptions validate_options;
  BoughGqlLocation location = { 0, 0 };
  const BoughGqlNode *operation = NULL;
  const BoughGqlNode *field_node;
  BoughGqlField *field;
  const char *operation_name = NULL;
  JsonObject *raw_variables = NULL;
  JsonNode *member;

  g_return_val_if_fail (api != NULL, NULL);
  g_return_val_if_fail (branch != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (errors != NULL, NULL);

  member = json_object_get_member (payload, "query");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    {
      *errors = error_array ("Must provide query string.", 0, 0);
      return NULL;
    }
  member = json_object_get_member (payload, "operationName");
  if (member != NULL && json_node_get_value_type (member) == G_TYPE_STRING)
    operation_name = json_node_get_string (member);
  else if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      *errors = error_array ("operationName must be a string", 0, 0);
      return NULL;
    }
  member = json_object_get_member (payload, "variables");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    raw_variables = json_node_get_object (member);
  else if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      *errors = error_array ("Variables must be an object", 0, 0);
      return NULL;
    }

  bough_gql_parse_options_init (&parse_options);
  parse_options.max_bytes = max_document_bytes;
  document = bough_gql_parse (json_object_get_string_member (payload, "query"), -1,
                              &parse_options, &location, &error);
  if (document == NULL)
    {
      *errors = error_array (error->message, location.line, location.column);
      return NULL;
    }

  gql = bough_graphql_api_get_schema (api, branch, 0, NULL, &error);
  if (gql == NULL)
    {
      *errors = error_array (error->message, 0, 0);
      return NULL;
    }
  bough_gql_validate_options_init (&validate_options);
  gql_errors = bough_gql_validate (gql, document, &validate_options);
  if (gql_errors != NULL && gql_errors->len > 0)
    {
      *errors = gql_errors_to_json (gql_errors);
      return NULL;
    }
  g_clear_pointer (&gql_errors, g_ptr_array_unref);

  for (const BoughGqlNode *def = document->root->children; def != NULL; def = def->next)
    if (def->kind == BOUGH_GQL_OPERATION_DEFINITION &&
        (operation_name == NULL || g_strcmp0 (def->name, operation_name) == 0))
      {
        operation = def;
        break;
      }
  if (operation == NULL)
    {
      g_autofree char *m = operation_name ? g_strdup_printf ("Unknown operation named \"%s\".", operation_name)
                                          : g_strdup ("Must provide operation name if query contains multiple operations.");

      *errors = error_array (m, 0, 0);
      return NULL;
    }
  if (operation->operation != BOUGH_GQL_SUBSCRIPTION)
    {
      *errors = error_array ("Only subscription operations are served over the websocket; "
                             "send queries and mutations with POST",
                             operation->line, operation->column);
      return NULL;
    }

  variables = bough_gql_coerce_variables (gql, operation, raw_variables, &gql_errors);
  if (variables == NULL)
    {
      *errors = gql_errors_to_json (gql_errors);
      return NULL;
    }

  field_node = root_field (document, operation->selection_set);
  field = field_node != NULL ? bough_gql_type_get_field (gql->subscription_type, field_node->name) : NULL;
  if (field == NULL)
    {
      *errors = error_array ("The subscription selects no field", operation->line, operation->column);
      return NULL;
    }
  if (g_str_equal (field->name, "InfrahubEvent") || g_str_equal (field->name, "InfrahubTask"))
    {
      subscription = g_new0 (BoughGraphqlSubscription, 1);
      subscription->params = json_object_new ();
      subscription->events = g_str_equal (field->name, "InfrahubEvent");
      subscription->tasks = !subscription->events;
      return g_steal_pointer (&subscription);
    }
  name = argument_value (field, field_node, "name", variables);
  params = argument_value (field, field_node, "params", variables);
  interval = argument_value (field, field_node, "interval", variables);
  if (name == NULL || json_node_get_value_type (name) != G_TYPE_STRING)
    {
      *errors = error_array ("Argument \"name\" of field \"query\" must be a string",
                             field_node->line, field_node->column);
      return NULL;
    }
  if (params != NULL && !JSON_NODE_HOLDS_OBJECT (params) && !JSON_NODE_HOLDS_NULL (params))
    {
      *errors = error_array ("Argument \"params\" of field \"query\" must be an object of the "
                             "stored query's variables", field_node->line, field_node->column);
      return NULL;
    }
  if (interval == NULL || json_node_get_value_type (interval) != G_TYPE_INT64)
    {
      *errors = error_array ("Argument \"interval\" of field \"query\" must be an integer",
                             field_node->line, field_node->column);
      return NULL;
    }

  subscription = g_new0 (BoughGraphqlSubscription, 1);
  subscription->name = g_strdup (json_node_get_string (name));
  subscription->params = params != NULL && JSON_NODE_HOLDS_OBJECT (params)
                         ? json_object_ref (json_node_get_object (params))
                         : json_object_new ();
  subscription->interval = json_node_get_int (interval);
  return g_steal_pointer (&subscription);
}
