/* test-api-query.c: stored queries over HTTP: `/api/query/{name_or_id}` with GET and POST
 * against a running server.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "api-test-common.h"

/* Runs a GraphQL request that must succeed; returns the id at data.<field>.object.id. */
static char *
graphql_create (ApiFixture *f,
                const char *body,
                const char *field)
{
  g_auto(ApiReply) reply = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  api_request (f, "POST", "graphql", body, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  root = api_parse (reply.body);
  object = json_node_get_object (root);
  if (json_object_has_member (object, "errors"))
    g_error ("unexpected errors: %.*s", (int) g_bytes_get_size (reply.body),
             (const char *) g_bytes_get_data (reply.body, NULL));
  object = json_object_get_object_member (json_object_get_object_member (object, "data"), field);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (object, "object"), "id"));
}

/* data.BuiltinTag.count of a stored query's successful reply. */
static gint64
tag_count (ApiReply *reply)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (reply->status != 200)
    g_test_message ("%.*s", (int) g_bytes_get_size (reply->body), (const char *) g_bytes_get_data (reply->body, NULL));
  g_assert_cmpuint (reply->status, ==, 200);
  root = api_parse (reply->body);
  object = json_node_get_object (root);
  g_assert_false (json_object_has_member (object, "errors"));
  object = json_object_get_object_member (json_object_get_object_member (object, "data"), "BuiltinTag");
  return json_object_get_int_member (object, "count");
}

static void
setup_query (ApiFixture *f,
             char      **query_id)
{
  g_free (graphql_create (f, "{\"query\": \"mutation($n: String!) { BuiltinTagCreate(data: {name: {value: $n}})"
                             " { ok object { id } } }\", \"variables\": {\"n\": \"red\"}}", "BuiltinTagCreate"));
  g_free (graphql_create (f, "{\"query\": \"mutation($n: String!) { BuiltinTagCreate(data: {name: {value: $n}})"
                             " { ok object { id } } }\", \"variables\": {\"n\": \"blue\"}}", "BuiltinTagCreate"));
  *query_id = graphql_create (f,
    "{\"query\": \"mutation($q: String!) { CoreGraphQLQueryCreate(data: {name: {value: \\\"tags\\\"},"
    " query: {value: $q}}) { ok object { id } } }\", \"variables\": {\"q\":"
    " \"query tags($name: String!, $limit: Int, $partial: Boolean = false) { BuiltinTag(name__value: $name,"
    " limit: $limit, partial_match: $partial) { count edges { node { name { value } } } } }\"}}",
    "CoreGraphQLQueryCreate");
}

static void
test_query_run (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) post = { 0 };
  g_auto(ApiReply) get = { 0 };
  g_auto(ApiReply) by_id = { 0 };
  g_auto(ApiReply) encoded = { 0 };
  g_auto(ApiReply) no_body = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  api_fixture_start (&f, NULL);
  setup_query (&f, &id);

  api_request (&f, "POST", "api/query/tags", "{\"variables\": {\"name\": \"red\"}}", &post);
  g_assert_cmpint (tag_count (&post), ==, 1);

  /* GET: the query string, coerced to the declared Int and Boolean */
  api_request (&f, "GET", "api/query/tags?branch=main&name=re&limit=5&partial=true", NULL, &get);
  g_assert_cmpint (tag_count (&get), ==, 1);

  /* a name that needs escaping in the path */
  g_free (graphql_create (&f,
    "{\"query\": \"mutation($q: String!) { CoreGraphQLQueryCreate(data: {name: {value: \\\"my tags\\\"},"
    " query: {value: $q}}) { ok object { id } } }\", \"variables\": {\"q\":"
    " \"query ($name: String!) { BuiltinTag(name__value: $name) { count } }\"}}",
    "CoreGraphQLQueryCreate"));
  {
    /* soup_message_new() keeps the escape; api_request() would decode it */
    g_autofree char *base = g_uri_to_string (f.base);
    g_autofree char *uri = g_strconcat (base, "api/query/my%20tags?name=red", NULL);

    encoded.msg = soup_message_new ("GET", uri);
    soup_session_send_and_read_async (f.session, encoded.msg, G_PRIORITY_DEFAULT, NULL, api_sent_cb, &encoded);
    api_wait (&encoded);
  }
  g_assert_cmpint (tag_count (&encoded), ==, 1);

  path = g_strdup_printf ("api/query/%s?name=blue", id);
  api_request (&f, "GET", path, NULL, &by_id);
  g_assert_cmpint (tag_count (&by_id), ==, 1);

  /* POST without a body still runs, and then misses the variable */
  api_request (&f, "POST", "api/query/tags", NULL, &no_body);
  g_assert_cmpuint (no_body.status, ==, 422);

  api_fixture_stop (&f);
}

static void
test_query_errors (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) unknown = { 0 };
  g_auto(ApiReply) missing = { 0 };
  g_auto(ApiReply) bad_int = { 0 };
  g_auto(ApiReply) bad_json = { 0 };
  g_auto(ApiReply) bad_type = { 0 };
  g_auto(ApiReply) branch = { 0 };
  g_auto(ApiReply) group = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL, *m5 = NULL, *m6 = NULL, *m7 = NULL;

  api_fixture_start (&f, NULL);
  setup_query (&f, &id);

  api_request (&f, "GET", "api/query/nope?name=red", NULL, &unknown);
  m1 = api_assert_error (&unknown, 404);
  g_assert_nonnull (strstr (m1, "nope"));

  api_request (&f, "GET", "api/query/tags", NULL, &missing);
  m2 = api_assert_error (&missing, 422);
  g_assert_nonnull (strstr (m2, "$name"));

  api_request (&f, "GET", "api/query/tags?name=red&limit=many", NULL, &bad_int);
  m3 = api_assert_error (&bad_int, 422);
  g_assert_nonnull (strstr (m3, "$limit"));

  api_request (&f, "POST", "api/query/tags", "{\"variables\": ", &bad_json);
  m4 = api_assert_error (&bad_json, 400);

  /* a POSTed value of the wrong type: the executor's verdict, in the API's error shape */
  api_request (&f, "POST", "api/query/tags", "{\"variables\": {\"name\": \"red\", \"limit\": \"x\"}}", &bad_type);
  m5 = api_assert_error (&bad_type, 422);
  g_assert_nonnull (strstr (m5, "$limit"));

  api_request (&f, "GET", "api/query/tags?name=red&branch=nope", NULL, &branch);
  m6 = api_assert_error (&branch, 400);

  api_request (&f, "GET", "api/query/tags?name=red&update_group=true", NULL, &group);
  m7 = api_assert_error (&group, 501);
  g_assert_nonnull (strstr (m7, "update_group"));

  api_fixture_stop (&f);
}

/* A stored text with several operations runs the one named by the
 * operation_name parameter (the SDK's params=) or the body's operationName;
 * without a name it is refused, with an unknown one too. */
static void
test_query_operations (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) by_param = { 0 };
  g_auto(ApiReply) by_body = { 0 };
  g_auto(ApiReply) other = { 0 };
  g_auto(ApiReply) unnamed = { 0 };
  g_auto(ApiReply) unknown = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  g_autofree char *m1 = NULL, *m2 = NULL;

  api_fixture_start (&f, NULL);
  setup_query (&f, &id);
  g_free (graphql_create (&f,
    "{\"query\": \"mutation($q: String!) { CoreGraphQLQueryCreate(data: {name: {value: \\\"two\\\"},"
    " query: {value: $q}}) { ok object { id } } }\", \"variables\": {\"q\":"
    " \"query one($name: String!) { BuiltinTag(name__value: $name) { count } }"
    " query all { BuiltinTag { count } }\"}}",
    "CoreGraphQLQueryCreate"));

  api_request (&f, "GET", "api/query/two?operation_name=one&name=red", NULL, &by_param);
  g_assert_cmpint (tag_count (&by_param), ==, 1);
  /* the other operation declares no variable: none is required */
  api_request (&f, "GET", "api/query/two?operation_name=all", NULL, &other);
  g_assert_cmpint (tag_count (&other), ==, 2);
  api_request (&f, "POST", "api/query/two", "{\"operationName\": \"all\", \"variables\": {}}", &by_body);
  g_assert_cmpint (tag_count (&by_body), ==, 2);

  api_request (&f, "GET", "api/query/two?name=red", NULL, &unnamed);
  m1 = api_assert_error (&unnamed, 422);
  g_assert_nonnull (strstr (m1, "operation_name"));
  api_request (&f, "GET", "api/query/two?operation_name=nope", NULL, &unknown);
  m2 = api_assert_error (&unknown, 422);
  g_assert_nonnull (strstr (m2, "nope"));

  api_fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/api-query/run", test_query_run);
  g_test_add_func ("/api-query/errors", test_query_errors);
  g_test_add_func ("/api-query/operations", test_query_operations);

  return g_test_run ();
}
