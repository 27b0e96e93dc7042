/* bough-gql-account.c: the account mutations of the generated API, run as
 * the caller's identity: API tokens of one's own account and one's own
 * password and description. Their answers are plain values the executor
 * completes like the other fixed fields.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include "bough-error.h"
#include "bough-gql-account.h"

static const char * const mutations[] = {
  "InfrahubAccountTokenCreate", "InfrahubAccountTokenDelete", "InfrahubAccountSelfUpdate", NULL
};

gboolean
bough_gql_account_is_mutation (const char *name)
{
  return name != NULL && g_strv_contains (mutations, name);
}

/* A string member of @data, NULL when absent or null; FALSE when of another type. */
static gboolean
get_string (JsonObject  *data,
            const char  *name,
            const char **out,
            GError     **error)
{
  JsonNode *node = data ? json_object_get_member (data, name) : NULL;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "%s must be a string", name);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

JsonObject *
bough_gql_account_mutate (const BoughGqlExecContext  *context,
                          const char                 *name,
                          JsonObject                 *args,
                          GError                    **error)
{
  g_autoptr(JsonObject) values = json_object_new ();
  JsonNode *data_node = args ? json_object_get_member (args, "data") : NULL;
  JsonObject *data = data_node && JSON_NODE_HOLDS_OBJECT (data_node) ? json_node_get_object (data_node) : NULL;

  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (bough_gql_account_is_mutation (name), NULL);

  /* Accounts live outside branches, but a write names the default one. */
  if (g_str_equal (name, "InfrahubAccountTokenCreate"))
    {
      const char *token_name;
      const char *expiration;
      g_autofree char *id = NULL;
      g_autofree char *token = NULL;
      JsonObject *object;
      JsonObject *value;

      if (!get_string (data, "name", &token_name, error) ||
          !get_string (data, "expiration", &expiration, error))
        return NULL;
      token = bough_auth_token_create (context->store, context->identity, token_name, expiration,
                                       &id, error);
      if (token == NULL)
        return NULL;
      object = json_object_new ();
      value = json_object_new ();
      json_object_set_string_member (value, "value", token);
      json_object_set_string_member (object, "id", id);
      json_object_set_object_member (object, "token", value);
      json_object_set_object_member (values, "object", object);
    }
  else if (g_str_equal (name, "InfrahubAccountTokenDelete"))
    {
      const char *id;

      if (!get_string (data, "id", &id, error))
        return NULL;
      if (!bough_auth_token_delete (context->store, context->identity, id, error))
        return NULL;
    }
  else
    {
      const char *password;
      const char *description;

      if (!get_string (data, "password", &password, error) ||
          !get_string (data, "description", &description, error))
        return NULL;
      if (!bough_auth_update_self (context->store, context->identity, password, description, error))
        return NULL;
    }
  json_object_set_boolean_member (values, "ok", TRUE);
  return g_steal_pointer (&values);
}
