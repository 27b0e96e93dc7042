/* gql-test-common.h: what the tests of the generated API share: a request
 * through the GraphQL endpoint in-process, and the value at a dotted path
 * of its response. Include after ../server/store-test-common.h.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "graphql/bough-graphql-api.h"

/* Runs @query with @variables (JSON text for JN(), or NULL) on @branch at
 * @at (both nullable) as @account; returns the parsed response and sets
 * @status to the HTTP status. */
static G_GNUC_UNUSED JsonNode *
gql_test_request (BoughGraphqlApi   *api,
                  const char        *branch,
                  const char        *at,
                  const char        *account,
                  const char        *query,
                  const char        *variables,
                  guint             *status,
                  BoughGqlExecStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  guint st = 0;
  gsize len;
  const char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, query);
  if (variables != NULL)
    {
      json_builder_set_member_name (builder, "variables");
      json_builder_add_value (builder, JN (variables));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, NULL);
  bough_graphql_api_execute_full (api, branch, at, account, body, strlen (body), &st, &response, stats);
  text = g_bytes_get_data (response, &len);
  if (g_test_verbose ())
    g_test_message ("%s as %s: %s\n=> %.*s", branch ? branch : "main", account ? account : "internal",
                    query, (int) len, text);
  g_assert_true (json_parser_load_from_data (parser, text, len, &error));
  g_assert_no_error (error);
  if (status != NULL)
    *status = st;
  return json_node_copy (json_parser_get_root (parser));
}

/* The value at a dotted path ("data.TestDevice.edges.0.node.id"), or NULL. */
static G_GNUC_UNUSED JsonNode *
at_path (JsonNode   *root,
         const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *n = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (n == NULL)
        return NULL;
      if (JSON_NODE_HOLDS_ARRAY (n))
        {
          JsonArray *a = json_node_get_array (n);
          guint idx = atoi (parts[i]);

          n = idx < json_array_get_length (a) ? json_array_get_element (a, idx) : NULL;
        }
      else if (JSON_NODE_HOLDS_OBJECT (n))
        n = json_object_get_member (json_node_get_object (n), parts[i]);
      else
        return NULL;
    }
  return n;
}
