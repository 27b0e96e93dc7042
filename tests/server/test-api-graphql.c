/* test-api-graphql.c: the GraphQL routes of the HTTP API (/graphql,
 * /graphql/{branch}, /schema.graphql) against a running server.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "api-test-common.h"

/* Returns data.<field> of a successful GraphQL reply. */
static JsonObject *
graphql_data (ApiReply   *reply,
              const char *field,
              JsonNode  **root_out)
{
  JsonObject *root;

  g_assert_cmpuint (reply->status, ==, 200);
  *root_out = api_parse (reply->body);
  root = json_node_get_object (*root_out);
  g_assert_false (json_object_has_member (root, "errors"));
  return json_object_get_object_member (json_object_get_object_member (root, "data"), field);
}

static void
test_graphql_create_and_read (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) created = { 0 };
  g_auto(ApiReply) listed = { 0 };
  g_auto(ApiReply) on_main = { 0 };
  g_autoptr(JsonNode) root1 = NULL;
  g_autoptr(JsonNode) root2 = NULL;
  g_autoptr(JsonNode) root3 = NULL;
  JsonObject *result;
  JsonArray *edges;
  const char *id;

  api_fixture_start (&f, NULL);

  api_request (&f, "POST", "graphql",
               "{\"query\": \"mutation($n: String!) { BuiltinTagCreate(data: {name: {value: $n}})"
               " { ok object { id display_label } } }\", \"variables\": {\"n\": \"red\"}}",
               &created);
  result = graphql_data (&created, "BuiltinTagCreate", &root1);
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  id = json_object_get_string_member (json_object_get_object_member (result, "object"), "id");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result, "object"),
                                                  "display_label"), ==, "red");

  /* The branch in the path; the SDK always sends it. */
  api_request (&f, "POST", "graphql/main",
               "{\"query\": \"{ BuiltinTag(name__value: \\\"red\\\") { count edges { node { id"
               " name { value } } } } }\"}", &listed);
  result = graphql_data (&listed, "BuiltinTag", &root2);
  g_assert_cmpint (json_object_get_int_member (result, "count"), ==, 1);
  edges = json_object_get_array_member (result, "edges");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (edges, 0), "node"),
                     "id"), ==, id);

  api_request (&f, "POST", "graphql", "{\"query\": \"{ BuiltinTag { count } }\"}", &on_main);
  result = graphql_data (&on_main, "BuiltinTag", &root3);
  g_assert_cmpint (json_object_get_int_member (result, "count"), ==, 1);

  api_fixture_stop (&f);
}

static void
test_graphql_errors (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) batched = { 0 };
  g_auto(ApiReply) broken = { 0 };
  g_auto(ApiReply) branch = { 0 };
  g_auto(ApiReply) method = { 0 };
  g_auto(ApiReply) count = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  g_autofree char *message2 = NULL;
  g_autofree char *message3 = NULL;
  JsonObject *result;

  api_fixture_start (&f, NULL);

  api_request (&f, "POST", "graphql", "[{\"query\": \"{ __typename }\"}]", &batched);
  message = api_assert_error (&batched, 400);

  api_request (&f, "POST", "graphql", "{\"query\": \"mutation { BuiltinTagCreate(data: {",
               &broken);
  message2 = api_assert_error (&broken, 400);

  api_request (&f, "POST", "graphql/no-such-branch", "{\"query\": \"{ BuiltinTag { count } }\"}",
               &branch);
  message3 = api_assert_error (&branch, 400);
  g_assert_nonnull (strstr (message3, "no-such-branch"));

  api_request (&f, "GET", "graphql", NULL, &method);
  g_assert_cmpuint (method.status, ==, 405);

  /* None of the bad requests wrote anything. */
  api_request (&f, "POST", "graphql", "{\"query\": \"{ BuiltinTag { count } }\"}", &count);
  result = graphql_data (&count, "BuiltinTag", &root);
  g_assert_cmpint (json_object_get_int_member (result, "count"), ==, 0);

  api_fixture_stop (&f);
}

static void
test_graphql_sdl (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) sdl = { 0 };
  g_auto(ApiReply) bad = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  api_fixture_start (&f, NULL);

  api_request (&f, "GET", "schema.graphql", NULL, &sdl);
  g_assert_cmpuint (sdl.status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (
                                     soup_message_get_response_headers (sdl.msg), NULL),
                                   "text/plain"));
  text = g_strndup (g_bytes_get_data (sdl.body, NULL), g_bytes_get_size (sdl.body));
  g_assert_nonnull (strstr (text, "type Query {"));
  g_assert_nonnull (strstr (text, "BuiltinTagCreate("));

  api_request (&f, "GET", "schema.graphql?branch=nope", NULL, &bad);
  message = api_assert_error (&bad, 400);

  api_fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/api-graphql/create-and-read", test_graphql_create_and_read);
  g_test_add_func ("/api-graphql/errors", test_graphql_errors);
  g_test_add_func ("/api-graphql/sdl", test_graphql_sdl);

  return g_test_run ();
}
