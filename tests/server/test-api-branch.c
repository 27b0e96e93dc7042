/* test-api-branch.c: branches over HTTP: /graphql/{branch} isolating data until merged,
 * REST endpoints with ?branch= on a created, merged and deleted branch, and
 * GET /api/diff/files.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "api-test-common.h"

/* POSTs a GraphQL body to @path; returns the parsed reply, which must have
 * no errors. */
static JsonNode *
graphql_ok (ApiFixture *f,
            const char *path,
            const char *body)
{
  g_auto(ApiReply) reply = { 0 };
  JsonNode *root;

  api_request (f, "POST", path, body, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  root = api_parse (reply.body);
  if (json_object_has_member (json_node_get_object (root), "errors"))
    g_error ("unexpected errors: %.*s", (int) g_bytes_get_size (reply.body),
             (const char *) g_bytes_get_data (reply.body, NULL));
  return root;
}

static gint64
tag_count (ApiFixture *f,
           const char *path)
{
  g_autoptr(JsonNode) root = graphql_ok (f, path, "{\"query\": \"{ BuiltinTag { count } }\"}");
  JsonObject *data = json_object_get_object_member (json_node_get_object (root), "data");

  return json_object_get_int_member (json_object_get_object_member (data, "BuiltinTag"), "count");
}

static guint
get_status (ApiFixture *f,
            const char *path)
{
  g_auto(ApiReply) reply = { 0 };

  api_request (f, "GET", path, NULL, &reply);
  return reply.status;
}

static void
test_branch_endpoints (void)
{
  static const char * const rest[] = {
    "api/schema?branch=feature%2Fx", "api/schema/summary?branch=feature%2Fx",
    "api/schema/BuiltinTag?branch=feature%2Fx", "api/schema/json_schema/BuiltinTag?branch=feature%2Fx",
    "api/menu?branch=feature%2Fx", "api/diff/files?branch=feature%2Fx",
  };
  ApiFixture f = { 0 };

  api_fixture_start (&f, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
    g_assert_cmpuint (get_status (&f, rest[i]), ==, 400);

  json_node_unref (graphql_ok (&f, "graphql", "{\"query\": \"mutation { BranchCreate(data: {name: \\\"feature/x\\\"}) { ok } }\"}"));
  for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
    g_assert_cmpuint (get_status (&f, rest[i]), ==, 200);

  json_node_unref (graphql_ok (&f, "graphql/feature/x",
                               "{\"query\": \"mutation { BuiltinTagCreate(data: {name: {value: \\\"t\\\"}}) { ok } }\"}"));
  g_assert_cmpint (tag_count (&f, "graphql/feature/x"), ==, 1);
  g_assert_cmpint (tag_count (&f, "graphql"), ==, 0);
  g_assert_cmpint (tag_count (&f, "graphql/main"), ==, 0);

  json_node_unref (graphql_ok (&f, "graphql", "{\"query\": \"mutation { BranchMerge(data: {name: \\\"feature/x\\\"}) { ok } }\"}"));
  g_assert_cmpint (tag_count (&f, "graphql"), ==, 1);
  /* a merged branch stays readable */
  g_assert_cmpint (tag_count (&f, "graphql/feature/x"), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
    g_assert_cmpuint (get_status (&f, rest[i]), ==, 200);

  json_node_unref (graphql_ok (&f, "graphql", "{\"query\": \"mutation { BranchDelete(data: {name: \\\"feature/x\\\"}) { ok } }\"}"));
  for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
    g_assert_cmpuint (get_status (&f, rest[i]), ==, 400);
  {
    g_auto(ApiReply) reply = { 0 };

    api_request (&f, "POST", "graphql/feature/x", "{\"query\": \"{ BuiltinTag { count } }\"}", &reply);
    g_assert_cmpuint (reply.status, >=, 400);
  }
  api_fixture_stop (&f);
}

static void
test_diff_files (void)
{
  ApiFixture f = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;

  api_fixture_start (&f, NULL);
  json_node_unref (graphql_ok (&f, "graphql", "{\"query\": \"mutation { BranchCreate(data: {name: \\\"b\\\"}) { ok } }\"}"));
  {
    g_auto(ApiReply) reply = { 0 };
    JsonObject *files;

    api_request (&f, "GET", "api/diff/files?branch=b", NULL, &reply);
    g_assert_cmpuint (reply.status, ==, 200);
    root = api_parse (reply.body);
    files = json_object_get_object_member (json_node_get_object (root), "b");
    g_assert_nonnull (files);
    g_assert_cmpuint (json_object_get_size (files), ==, 0);
  }
  {
    g_auto(ApiReply) reply = { 0 };

    api_request (&f, "GET", "api/diff/files?branch=nope", NULL, &reply);
    g_free (api_assert_error (&reply, 400));
  }
  /* with a repository the files need the git integration */
  json_node_unref (graphql_ok (&f, "graphql/b",
                               "{\"query\": \"mutation { CoreRepositoryCreate(data: {name: {value: \\\"r\\\"},"
                               " location: {value: \\\"https://example.invalid/r.git\\\"}}) { ok } }\"}"));
  {
    g_auto(ApiReply) reply = { 0 };

    api_request (&f, "GET", "api/diff/files?branch=b", NULL, &reply);
    message = api_assert_error (&reply, 501);
    g_assert_nonnull (strstr (message, "git"));
  }
  api_fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/api-branch/endpoints", test_branch_endpoints);
  g_test_add_func ("/api-branch/diff-files", test_diff_files);

  return g_test_run ();
}
