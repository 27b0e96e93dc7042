/* test-client.c: BoughClient against a live bough-server: API token, login,
 * refresh of an expired access token, GraphQL on a branch and at a time,
 * REST, the schema and its cache, errors of each kind, cancellation,
 * subscriptions sharing one websocket, and their resumption when the
 * server restarts.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-client"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "bough-client.h"
#include "bough-client-private.h"
#include "bough-error.h"

#include "client-test-common.h"

typedef struct
{
  TestServer   server;
  BoughClient *client;
} Fixture;

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static void
fixture_start (Fixture            *f,
               const char * const *env)
{
  if (!test_server_start (&f->server, env))
    return;
  f->client = bough_client_new (f->server.url);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_start (f, NULL);
}

static void
fixture_setup_short_tokens (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const env[] = { "BOUGH_SECURITY_ACCESS_TOKEN_LIFETIME=1", NULL };

  fixture_start (f, env);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->client != NULL)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_assert_finalize_object (f->client);
    }
  test_server_stop (&f->server);
}

/* Runs @query; returns its data or NULL with @error and @errors set. */
static JsonNode *
query_full (BoughClient  *client,
            const char   *branch,
            const char   *at,
            const char   *query,
            JsonNode     *variables,
            JsonArray   **errors,
            GError      **error)
{
  Wait wait = { NULL };
  JsonNode *data;

  bough_client_query_async (client, branch, at, query, variables, NULL, wait_cb, &wait);
  data = bough_client_query_finish (client, wait_result (&wait), errors, error);
  g_object_unref (wait.result);
  return data;
}

static JsonNode *
query_ok (BoughClient *client,
          const char  *branch,
          const char  *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) errors = NULL;
  JsonNode *data = query_full (client, branch, NULL, query, NULL, &errors, &error);

  g_assert_no_error (error);
  g_assert_null (errors);
  g_assert_nonnull (data);
  return data;
}

static void
query_fails (BoughClient *client,
             const char  *branch,
             const char  *query,
             int          code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = query_full (client, branch, NULL, query, NULL, NULL, &error);

  g_assert_null (data);
  g_assert_error (error, BOUGH_ERROR, code);
}

static JsonNode *
rest (BoughClient  *client,
      const char   *method,
      const char   *path,
      const char   *branch,
      const char   *body,
      GError      **error)
{
  Wait wait = { NULL };
  g_autoptr(JsonNode) node = body ? json_from_string (body, NULL) : NULL;
  JsonNode *reply;

  bough_client_rest_async (client, method, path, branch, NULL, node, NULL, wait_cb, &wait);
  reply = bough_client_rest_finish (client, wait_result (&wait), error);
  g_object_unref (wait.result);
  return reply;
}

static gboolean
login (BoughClient  *client,
       const char   *username,
       const char   *password,
       GError      **error)
{
  Wait wait = { NULL };
  gboolean ok;

  bough_client_login_async (client, username, password, NULL, wait_cb, &wait);
  ok = bough_client_login_finish (client, wait_result (&wait), error);
  g_object_unref (wait.result);
  return ok;
}

static const char *
default_branch_name (JsonNode *data)
{
  JsonArray *branches = json_object_get_array_member (json_node_get_object (data), "Branch");

  for (guint i = 0; i < json_array_get_length (branches); i++)
    {
      JsonObject *branch = json_array_get_object_element (branches, i);

      if (json_object_get_boolean_member (branch, "is_default"))
        return json_object_get_string_member (branch, "name");
    }
  return NULL;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_client_token (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  guint notifies = 0;

  if (f->client == NULL)
    return;

  g_assert_false (bough_client_get_authenticated (f->client));
  g_signal_connect (f->client, "notify::authenticated", G_CALLBACK (count_cb), &notifies);
  /* without credentials the server refuses (anonymous access is off) */
  query_fails (f->client, NULL, "{ Branch { name } }", BOUGH_ERROR_UNAUTHENTICATED);

  bough_client_set_token (f->client, "not-the-token");
  g_assert_cmpuint (notifies, ==, 1);
  query_fails (f->client, NULL, "{ Branch { name } }", BOUGH_ERROR_UNAUTHENTICATED);

  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  g_assert_cmpstr (bough_client_get_token (f->client), ==, TEST_SERVER_TOKEN);
  g_assert_true (bough_client_get_authenticated (f->client));
  reply = query_ok (f->client, NULL, "{ Branch { name is_default } }");
  g_assert_cmpstr (default_branch_name (reply), ==, "main");
  g_assert_cmpuint (notifies, ==, 1);
}

static void
test_client_login (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;

  if (f->client == NULL)
    return;

  g_assert_false (login (f->client, "admin", "wrong-password", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED);
  g_assert_false (bough_client_get_authenticated (f->client));
  g_clear_error (&error);

  g_assert_true (login (f->client, "admin", TEST_SERVER_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_true (bough_client_get_authenticated (f->client));
  g_assert_cmpstr (bough_client_get_username (f->client), ==, "admin");
  g_assert_null (bough_client_get_token (f->client));

  reply = query_ok (f->client, NULL, "{ AccountProfile { name { value } } }");
  {
    JsonObject *profile = json_object_get_object_member (json_node_get_object (reply),
                                                         "AccountProfile");
    JsonObject *name = json_object_get_object_member (profile, "name");

    g_assert_cmpstr (json_object_get_string_member (name, "value"), ==, "admin");
  }

  bough_client_logout (f->client);
  g_assert_false (bough_client_get_authenticated (f->client));
  g_assert_null (bough_client_get_username (f->client));
  query_fails (f->client, NULL, "{ Branch { name } }", BOUGH_ERROR_UNAUTHENTICATED);
}

static void
test_client_refresh (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;

  if (f->client == NULL)
    return;

  g_assert_true (login (f->client, "admin", TEST_SERVER_PASSWORD, &error));
  g_assert_no_error (error);
  first = query_ok (f->client, NULL, "{ Branch { name is_default } }");
  g_assert_cmpstr (default_branch_name (first), ==, "main");

  /* The access token lives one second: after two, only a refresh lets the
   * next request through. */
  g_usleep (2100 * G_TIME_SPAN_MILLISECOND);
  second = query_ok (f->client, NULL, "{ Branch { name is_default } }");
  g_assert_cmpstr (default_branch_name (second), ==, "main");
  g_assert_true (bough_client_get_authenticated (f->client));
}

static void
test_client_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) errors = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(BoughClient) viewer = NULL;
  g_autoptr(BoughClient) nowhere = NULL;
  JsonObject *first;

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);

  /* a malformed document: a validation error with its location */
  reply = query_full (f->client, NULL, NULL, "{ Branch { name ", NULL, &errors, &error);
  g_assert_null (reply);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
  g_assert_nonnull (errors);
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  first = json_array_get_object_element (errors, 0);
  g_assert_true (json_object_has_member (first, "locations"));
  g_clear_error (&error);
  g_clear_pointer (&errors, json_array_unref);

  /* a value the schema refuses (a second tag of the same unique name):
   * the error names its path */
  reply = query_ok (f->client, NULL,
                    "mutation { BuiltinTagCreate(data: { name: { value: \"dup\" } }) { ok } }");
  g_clear_pointer (&reply, json_node_unref);
  reply = query_full (f->client, NULL, NULL,
                      "mutation { BuiltinTagCreate(data: { name: { value: \"dup\" } }) { ok } }",
                      NULL, &errors, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_true (error->domain == BOUGH_ERROR);
  g_assert_nonnull (errors);
  first = json_array_get_object_element (errors, 0);
  g_assert_true (json_object_has_member (first, "path"));
  g_clear_error (&error);
  g_clear_pointer (&errors, json_array_unref);

  /* an unknown branch: not found, though the server answers 400 */
  reply = query_full (f->client, "no-such-branch", NULL, "{ Branch { name } }", NULL, &errors,
                      &error);
  g_assert_null (reply);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_assert_nonnull (errors);
  g_clear_error (&error);
  g_clear_pointer (&errors, json_array_unref);

  /* an unknown REST path */
  reply = rest (f->client, "GET", "/api/no-such-thing", NULL, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* permission denied: an account that belongs to no group may not write */
  reply = query_ok (f->client, NULL,
                    "mutation { CoreAccountCreate(data: { name: { value: \"nobody\" },"
                    " password: { value: \"nobody-password-1\" } }) { ok } }");
  g_clear_pointer (&reply, json_node_unref);
  viewer = bough_client_new (f->server.url);
  g_assert_true (login (viewer, "nobody", "nobody-password-1", &error));
  g_assert_no_error (error);
  reply = query_full (viewer, NULL, NULL,
                      "mutation { BuiltinTagCreate(data: { name: { value: \"red\" } }) { ok } }",
                      NULL, &errors, &error);
  g_assert_null (reply);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_assert_nonnull (errors);
  g_clear_error (&error);
  g_clear_pointer (&errors, json_array_unref);
  reply = rest (viewer, "POST", "/api/schema/load", NULL, "{\"schemas\": []}", &error);
  g_assert_null (reply);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);

  /* a server that is not there */
  {
    g_autoptr(GSocketListener) listener = g_socket_listener_new ();
    guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
    g_autofree char *url = NULL;

    g_assert_no_error (error);
    g_socket_listener_close (listener);
    url = g_strdup_printf ("http://127.0.0.1:%u", port);
    nowhere = bough_client_new (url);
  }
  query_fails (nowhere, NULL, "{ Branch { name } }", BOUGH_ERROR_NETWORK);
  reply = rest (nowhere, "GET", "/api/info", NULL, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NETWORK);
}

static void
test_client_error_field (void)
{
  g_autoptr(JsonNode) deep =
    json_from_string ("{\"message\": \"m\", \"path\": [\"InfraDeviceCreate\", \"data\", \"name\"]}",
                      NULL);
  g_autoptr(JsonNode) listed =
    json_from_string ("{\"message\": \"m\", \"path\": [\"Branch\", 0, \"name\", 3]}", NULL);
  g_autoptr(JsonNode) named =
    json_from_string ("{\"message\": \"m\", \"path\": [\"A\", \"b\"],"
                      " \"extensions\": {\"field\": \"serial\"}}", NULL);
  g_autoptr(JsonNode) top =
    json_from_string ("{\"message\": \"m\", \"path\": [\"InfraDeviceCreate\"]}", NULL);
  g_autoptr(JsonNode) none = json_from_string ("{\"message\": \"m\"}", NULL);

#define FIELD(node) bough_client_graphql_error_get_field (json_node_get_object (node))
  g_assert_cmpstr (FIELD (deep), ==, "name");
  g_assert_cmpstr (FIELD (listed), ==, "name");
  g_assert_cmpstr (FIELD (named), ==, "serial");
  g_assert_null (FIELD (top));
  g_assert_null (FIELD (none));
#undef FIELD
}

static void
test_client_branch_and_time (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) on_branch = NULL;
  g_autoptr(JsonNode) on_main = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) now = NULL;
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) variables = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) stamp = NULL;
  g_autofree char *at = NULL;

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);

  info = rest (f->client, "GET", "/api/info", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (info), "version"));

  variables = json_from_string ("{\"name\": \"feature/one\"}", NULL);
  created = query_full (f->client, NULL, NULL,
                        "mutation ($name: String!) { BranchCreate(data: { name: $name }) { ok } }",
                        variables, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);

  /* a tag made on the branch (its name holds a slash) */
  stamp = g_date_time_new_now_utc ();
  at = g_date_time_format_iso8601 (stamp);
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  g_clear_pointer (&created, json_node_unref);
  created = query_ok (f->client, "feature/one",
                      "mutation { BuiltinTagCreate(data: { name: { value: \"blue\" } }) { ok } }");
  on_branch = query_ok (f->client, "feature/one", "{ BuiltinTag { count } }");
  on_main = query_ok (f->client, NULL, "{ BuiltinTag { count } }");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (on_branch), "BuiltinTag"), "count"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (on_main), "BuiltinTag"), "count"), ==, 0);

  /* the branch as it was before the tag */
  before = query_full (f->client, "feature/one", at, "{ BuiltinTag { count } }", NULL, NULL,
                      &error);
  g_assert_no_error (error);
  now = query_full (f->client, "feature/one", NULL, "{ BuiltinTag { count } }", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (before), "BuiltinTag"), "count"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (now), "BuiltinTag"), "count"), ==, 1);
}

static const char test_schema[] =
  "{\"schemas\": [{\"version\": \"1.0\","
  " \"generics\": [{\"name\": \"Endpoint\", \"namespace\": \"Testing\","
  "   \"attributes\": [{\"name\": \"label\", \"kind\": \"Text\", \"optional\": true}]}],"
  " \"nodes\": ["
  "  {\"name\": \"Site\", \"namespace\": \"Testing\", \"icon\": \"mdi:map-marker\","
  "   \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\", \"unique\": true}]},"
  "  {\"name\": \"Device\", \"namespace\": \"Testing\", \"inherit_from\": [\"TestingEndpoint\"],"
  "   \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\", \"unique\": true},"
  "                    {\"name\": \"height\", \"kind\": \"Number\", \"default_value\": 1}],"
  "   \"relationships\": [{\"name\": \"site\", \"peer\": \"TestingSite\", \"cardinality\": \"one\","
  "                        \"optional\": true}]}]}]}";

static void
test_client_schema (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) loaded = NULL;
  g_autoptr(JsonNode) menu = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  BoughNodeSchema *device;
  BoughRelationshipSchema *site;
  BoughAttributeSchema *label;
  Wait wait = { NULL };

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);

  loaded = rest (f->client, "POST", "/api/schema/load", NULL, test_schema, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  bough_client_fetch_schema_async (f->client, NULL, NULL, NULL, wait_cb, &wait);
  schema = bough_client_fetch_schema_finish (f->client, wait_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (schema);

  device = bough_schema_lookup (schema, "TestingDevice");
  g_assert_nonnull (device);
  g_assert_true (g_strv_contains ((const char * const *) device->inherit_from, "TestingEndpoint"));
  site = bough_node_schema_get_relationship (device, "site");
  g_assert_nonnull (site);
  g_assert_cmpstr (site->peer, ==, "TestingSite");
  g_assert_cmpint (site->cardinality, ==, BOUGH_CARDINALITY_ONE);
  label = bough_node_schema_get_attribute (device, "label");
  g_assert_nonnull (label);
  g_assert_cmpstr (label->inherited_from, ==, "TestingEndpoint");
  g_assert_true (bough_schema_lookup (schema, "TestingEndpoint")->is_generic);

  menu = rest (f->client, "GET", "/api/menu", "main", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (menu), "sections"));
}

static void
test_client_cancel (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  Wait wait = { NULL };

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);

  bough_client_query_async (f->client, NULL, NULL, "{ Branch { name } }", NULL, cancellable,
                            wait_cb, &wait);
  g_cancellable_cancel (cancellable);
  reply = bough_client_query_finish (f->client, wait_result (&wait), NULL, &error);
  g_clear_object (&wait.result);
  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* cancelled before it starts */
  bough_client_fetch_schema_async (f->client, NULL, NULL, cancellable, wait_cb, &wait);
  g_assert_null (bough_client_fetch_schema_finish (f->client, wait_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The test schema with one more node: a change another client makes. */
static const char test_schema_more[] =
  "{\"schemas\": [{\"version\": \"1.0\","
  " \"nodes\": [{\"name\": \"Rack\", \"namespace\": \"Testing\","
  "   \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\", \"unique\": true}]}]}]}";

static BoughSchema *
fetch_schema (BoughClient  *client,
              const char   *branch,
              const char   *at,
              GError      **error)
{
  Wait wait = { NULL };
  BoughSchema *schema;

  bough_client_fetch_schema_async (client, branch, at, NULL, wait_cb, &wait);
  schema = bough_client_fetch_schema_finish (client, wait_result (&wait), error);
  g_object_unref (wait.result);
  return schema;
}

#define N_FULL(client) _bough_client_get_request_count (client, "/api/schema")
#define N_SUMMARY(client) _bough_client_get_request_count (client, "/api/schema/summary")

static void
test_client_schema_cache (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) loaded = NULL;
  g_autoptr(BoughSchema) first = NULL;
  g_autoptr(BoughSchema) second = NULL;
  g_autoptr(BoughSchema) third = NULL;
  g_autoptr(BoughSchema) fourth = NULL;
  g_autoptr(BoughSchema) past = NULL;
  g_autoptr(BoughSchema) past_again = NULL;
  g_autoptr(BoughSchema) reloaded = NULL;
  g_autoptr(BoughClient) other = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *at = NULL;

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  loaded = rest (f->client, "POST", "/api/schema/load", NULL, test_schema, &error);
  g_assert_no_error (error);
  g_clear_pointer (&loaded, json_node_unref);
  /* a time with this schema, settled at once for the test (a minute
   * otherwise) */
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  now = g_date_time_new_now_utc ();
  at = g_date_time_format_iso8601 (now);
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  _bough_client_set_schema_settle_time (f->client, 0);

  /* nothing cached: the whole schema */
  first = fetch_schema (f->client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bough_schema_lookup (first, "TestingDevice"));
  g_assert_cmpuint (N_FULL (f->client), ==, 1);
  g_assert_cmpuint (N_SUMMARY (f->client), ==, 0);

  /* unchanged: one summary request, and the schema already built */
  second = fetch_schema (f->client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (second == first);
  g_assert_cmpuint (N_FULL (f->client), ==, 1);
  g_assert_cmpuint (N_SUMMARY (f->client), ==, 1);

  /* the default branch by its name is cached apart, and shares nothing */
  third = fetch_schema (f->client, "main", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (N_FULL (f->client), ==, 2);
  g_clear_pointer (&third, bough_schema_unref);

  /* another client changes the schema: the next fetch sees it */
  other = bough_client_new (f->server.url);
  bough_client_set_token (other, TEST_SERVER_TOKEN);
  loaded = rest (other, "POST", "/api/schema/load", NULL, test_schema_more, &error);
  g_assert_no_error (error);
  g_clear_pointer (&loaded, json_node_unref);
  third = fetch_schema (f->client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (third != first);
  g_assert_nonnull (bough_schema_lookup (third, "TestingRack"));
  g_assert_null (bough_schema_lookup (first, "TestingRack"));
  g_assert_cmpuint (N_SUMMARY (f->client), ==, 2);
  g_assert_cmpuint (N_FULL (f->client), ==, 3);

  /* a schema as of a settled past time is never asked for again */
  past = fetch_schema (f->client, NULL, at, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bough_schema_lookup (past, "TestingDevice"));
  g_assert_null (bough_schema_lookup (past, "TestingRack"));
  g_assert_cmpuint (N_FULL (f->client), ==, 4);
  past_again = fetch_schema (f->client, NULL, at, &error);
  g_assert_no_error (error);
  g_assert_true (past_again == past);
  g_assert_cmpuint (N_FULL (f->client), ==, 4);
  g_assert_cmpuint (N_SUMMARY (f->client), ==, 2);

  /* forced: downloaded again */
  bough_client_invalidate_schema (f->client, "no-such-branch");
  fourth = fetch_schema (f->client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fourth == third);
  g_assert_cmpuint (N_SUMMARY (f->client), ==, 3);
  bough_client_invalidate_schema (f->client, "");
  reloaded = fetch_schema (f->client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (reloaded != third);
  g_assert_nonnull (bough_schema_lookup (reloaded, "TestingRack"));
  g_assert_cmpuint (N_FULL (f->client), ==, 5);
  g_clear_pointer (&reloaded, bough_schema_unref);

  /* new credentials: nothing cached is trusted */
  bough_client_set_token (f->client, NULL);
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  reloaded = fetch_schema (f->client, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (N_FULL (f->client), ==, 6);
  g_clear_pointer (&reloaded, bough_schema_unref);
  g_clear_pointer (&past_again, bough_schema_unref);
  past_again = fetch_schema (f->client, NULL, at, &error);
  g_assert_no_error (error);
  g_assert_true (past_again != past);
  g_assert_cmpuint (N_FULL (f->client), ==, 7);
}

#define N_CONCURRENT 5

static void
test_client_schema_shared (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) loaded = NULL;
  g_autoptr(BoughSchema) cached = NULL;
  GCancellable *cancellables[N_CONCURRENT];
  Wait waits[N_CONCURRENT];
  BoughSchema *schemas[N_CONCURRENT];

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  loaded = rest (f->client, "POST", "/api/schema/load", NULL, test_schema, &error);
  g_assert_no_error (error);

  /* the window opens: every page asks at once, one request serves them */
  memset (waits, 0, sizeof waits);
  for (guint i = 0; i < N_CONCURRENT; i++)
    bough_client_fetch_schema_async (f->client, NULL, NULL, NULL, wait_cb, &waits[i]);
  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      schemas[i] = bough_client_fetch_schema_finish (f->client, wait_result (&waits[i]), &error);
      g_assert_no_error (error);
      g_assert_nonnull (schemas[i]);
      g_assert_true (schemas[i] == schemas[0]);
      g_clear_object (&waits[i].result);
    }
  g_assert_cmpuint (N_FULL (f->client), ==, 1);
  g_assert_cmpuint (N_SUMMARY (f->client), ==, 0);
  cached = bough_schema_ref (schemas[0]);
  for (guint i = 0; i < N_CONCURRENT; i++)
    bough_schema_unref (schemas[i]);

  /* the callers that gave up get their cancellation at once; the others
   * (after the first, who started the request, gave up) their schema */
  for (guint round = 0; round < 2; round++)
    {
      memset (waits, 0, sizeof waits);
      if (round == 1)
        bough_client_invalidate_schema (f->client, NULL);
      for (guint i = 0; i < N_CONCURRENT; i++)
        {
          cancellables[i] = g_cancellable_new ();
          bough_client_fetch_schema_async (f->client, NULL, NULL, cancellables[i], wait_cb,
                                           &waits[i]);
        }
      g_cancellable_cancel (cancellables[0]);
      g_cancellable_cancel (cancellables[3]);
      for (guint i = 0; i < N_CONCURRENT; i++)
        {
          BoughSchema *schema = bough_client_fetch_schema_finish (f->client,
                                                                  wait_result (&waits[i]), &error);

          if (i == 0 || i == 3)
            {
              g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
              g_assert_null (schema);
              g_clear_error (&error);
            }
          else
            {
              g_assert_no_error (error);
              g_assert_nonnull (bough_schema_lookup (schema, "TestingDevice"));
              /* revalidated (round 0) or fetched again (round 1) */
              if (round == 0)
                g_assert_true (schema == cached);
              else
                g_assert_true (schema != cached);
              bough_schema_unref (schema);
            }
          g_clear_object (&waits[i].result);
          g_clear_object (&cancellables[i]);
        }
      if (round == 0)
        {
          g_assert_cmpuint (N_SUMMARY (f->client), ==, 1);
          g_assert_cmpuint (N_FULL (f->client), ==, 1);
        }
      else
        {
          g_assert_cmpuint (N_SUMMARY (f->client), ==, 1);
          g_assert_cmpuint (N_FULL (f->client), ==, 2);
        }
    }

  /* all of them gave up: the request still ends, and fills the cache */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(BoughSchema) later = NULL;
    Wait wait = { NULL };

    bough_client_invalidate_schema (f->client, NULL);
    bough_client_fetch_schema_async (f->client, "main", NULL, cancellable, wait_cb, &wait);
    g_cancellable_cancel (cancellable);
    g_assert_null (bough_client_fetch_schema_finish (f->client, wait_result (&wait), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&wait.result);
    later = fetch_schema (f->client, "main", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (N_FULL (f->client), ==, 3);
  }
}

typedef struct
{
  guint   next;
  guint   complete;
  GError *error;
  gint64  last_count;
} SubState;

static void
sub_next_cb (BoughClientSubscription *sub,
             JsonNode                *payload,
             SubState                *state)
{
  /* the stored query's own result, as the server pushes it */
  JsonObject *data = json_object_get_object_member (json_node_get_object (payload), "data");

  state->next++;
  state->last_count = json_object_get_int_member (
                        json_object_get_object_member (data, "BuiltinTag"), "count");
}

static void
sub_error_cb (BoughClientSubscription *sub,
              const GError            *error,
              SubState                *state)
{
  g_assert_null (state->error);
  state->error = g_error_copy (error);
}

static void
sub_complete_cb (BoughClientSubscription *sub,
                 SubState                *state)
{
  state->complete++;
}

static BoughClientSubscription *
subscribe (BoughClient *client,
           SubState    *state)
{
  BoughClientSubscription *sub =
    bough_client_subscribe (client, NULL,
                            "subscription { query(name: \"tag_count\", interval: 1) }", NULL);

  g_signal_connect (sub, "next", G_CALLBACK (sub_next_cb), state);
  g_signal_connect (sub, "error", G_CALLBACK (sub_error_cb), state);
  g_signal_connect (sub, "complete", G_CALLBACK (sub_complete_cb), state);
  return sub;
}

static void
test_client_subscription (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BoughClientSubscription) sub = NULL;
  g_autoptr(BoughClientSubscription) refused = NULL;
  g_autoptr(BoughClient) stranger = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  SubState state = { 0 };
  SubState refused_state = { 0 };

  if (f->client == NULL)
    return;
  g_assert_true (login (f->client, "admin", TEST_SERVER_PASSWORD, &error));
  g_assert_no_error (error);

  reply = query_ok (f->client, NULL,
                    "mutation { CoreGraphQLQueryCreate(data: { name: { value: \"tag_count\" },"
                    " query: { value: \"query { BuiltinTag { count } }\" } }) { ok } }");
  g_clear_pointer (&reply, json_node_unref);

  sub = subscribe (f->client, &state);
  g_assert_true (bough_client_subscription_get_active (sub));
  g_assert_true (bough_client_subscription_get_client (sub) == f->client);
  while (state.next < 1 && state.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_assert_cmpint (state.last_count, ==, 0);

  /* the next run sees a change */
  reply = query_ok (f->client, NULL,
                    "mutation { BuiltinTagCreate(data: { name: { value: \"green\" } }) { ok } }");
  while (state.last_count != 1 && state.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.next, >=, 2);

  bough_client_subscription_stop (sub);
  g_assert_false (bough_client_subscription_get_active (sub));
  g_assert_cmpuint (state.complete, ==, 1);
  bough_client_subscription_stop (sub);
  g_assert_cmpuint (state.complete, ==, 1);

  /* credentials the server refuses */
  stranger = bough_client_new (f->server.url);
  bough_client_set_token (stranger, "not-the-token");
  refused = subscribe (stranger, &refused_state);
  while (refused_state.error == NULL && refused_state.complete == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (refused_state.error, BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED);
  g_assert_cmpuint (refused_state.next, ==, 0);
  g_assert_false (bough_client_subscription_get_active (refused));

  g_clear_error (&state.error);
  g_clear_error (&refused_state.error);
  g_clear_object (&sub);
  g_clear_object (&refused);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_client_subscription_refresh (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(BoughClientSubscription) sub = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  SubState state = { 0 };

  if (f->client == NULL)
    return;
  g_assert_true (login (f->client, "admin", TEST_SERVER_PASSWORD, &error));
  g_assert_no_error (error);
  reply = query_ok (f->client, NULL,
                    "mutation { CoreGraphQLQueryCreate(data: { name: { value: \"tag_count\" },"
                    " query: { value: \"query { BuiltinTag { count } }\" } }) { ok } }");

  /* the access token has expired when the websocket opens: the client
   * refreshes it and connects again */
  g_usleep (2100 * G_TIME_SPAN_MILLISECOND);
  sub = subscribe (f->client, &state);
  while (state.next < 1 && state.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_assert_cmpint (state.last_count, ==, 0);
  bough_client_subscription_stop (sub);
  g_assert_cmpuint (state.complete, ==, 1);
  g_clear_object (&sub);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
create_tag_count_query (BoughClient *client)
{
  g_autoptr(JsonNode) reply = NULL;

  reply = query_ok (client, NULL,
                    "mutation { CoreGraphQLQueryCreate(data: { name: { value: \"tag_count\" },"
                    " query: { value: \"query { BuiltinTag { count } }\" } }) { ok } }");
}

static void
create_tag (BoughClient *client,
            const char  *name)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) variables = NULL;

  json_object_set_string_member (object, "name", name);
  variables = json_node_init_object (json_node_alloc (), object);
  reply = query_full (client, NULL, NULL,
                      "mutation ($name: String!) { BuiltinTagCreate(data: { name: { value: $name } })"
                      " { ok } }", variables, NULL, NULL);
  g_assert_nonnull (reply);
}

static void
test_client_subscription_shared (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(BoughClientSubscription) a = NULL;
  g_autoptr(BoughClientSubscription) b = NULL;
  g_autoptr(BoughClientSubscription) broken = NULL;
  g_autoptr(BoughClientSubscription) late = NULL;
  SubState sa = { 0 };
  SubState sb = { 0 };
  SubState sbroken = { 0 };
  SubState slate = { 0 };
  guint a_next;

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  create_tag_count_query (f->client);

  a = subscribe (f->client, &sa);
  b = subscribe (f->client, &sb);
  /* a stored query that does not exist: the server refuses this one only */
  broken = bough_client_subscribe (f->client, NULL,
                                   "subscription { query(name: \"no_such_query\", interval: 1) }",
                                   NULL);
  g_signal_connect (broken, "next", G_CALLBACK (sub_next_cb), &sbroken);
  g_signal_connect (broken, "error", G_CALLBACK (sub_error_cb), &sbroken);
  g_signal_connect (broken, "complete", G_CALLBACK (sub_complete_cb), &sbroken);
  while ((sa.next < 1 || sb.next < 1 || sbroken.error == NULL) &&
         sa.error == NULL && sb.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (sa.error);
  g_assert_no_error (sb.error);
  g_assert_nonnull (sbroken.error);
  g_assert_true (sbroken.error->domain == BOUGH_ERROR);
  g_assert_cmpuint (sbroken.next, ==, 0);
  g_assert_false (bough_client_subscription_get_active (broken));
  g_assert_true (bough_client_subscription_get_active (a));
  g_assert_true (bough_client_subscription_get_active (b));
  /* one socket for the three */
  g_assert_cmpuint (_bough_client_get_websocket_count (f->client), ==, 1);
  g_assert_cmpuint (_bough_client_get_open_websockets (f->client), ==, 1);

  /* the end of one leaves the other running on the same socket */
  bough_client_subscription_stop (a);
  g_assert_cmpuint (sa.complete, ==, 1);
  a_next = sa.next;
  create_tag (f->client, "green");
  while (sb.last_count != 1 && sb.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (sb.error);
  g_assert_cmpuint (sb.complete, ==, 0);
  g_assert_true (bough_client_subscription_get_active (b));
  g_assert_cmpuint (sa.next, ==, a_next);
  g_assert_cmpuint (_bough_client_get_websocket_count (f->client), ==, 1);

  /* dropping the last reference ends one too */
  g_clear_object (&b);
  g_assert_cmpuint (sb.complete, ==, 0);

  /* a subscription made while the socket lingers takes it over */
  late = subscribe (f->client, &slate);
  while (slate.next < 1 && slate.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (slate.error);
  g_assert_cmpint (slate.last_count, ==, 1);
  g_assert_cmpuint (_bough_client_get_websocket_count (f->client), ==, 1);

  g_clear_error (&sbroken.error);
  g_clear_object (&a);
  g_clear_object (&broken);
  g_clear_object (&late);

  /* the socket closes a little after the last subscription ended */
  while (_bough_client_get_open_websockets (f->client) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (_bough_client_get_websocket_count (f->client), ==, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Stops the server (@graceful: with SIGTERM, else as a crash would) and
 * starts it again on the same address and data. */
static void
server_restart (TestServer *server,
                gboolean    graceful)
{
  g_autofree char *binary = test_server_binary ();
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  if (graceful)
    g_subprocess_send_signal (server->process, SIGTERM);
  else
    g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);

  url = test_server_spawn (server, binary, server->url + strlen ("http://"), FALSE, NULL);
  g_assert_cmpstr (url, ==, server->url);
}

static void
test_client_subscription_resume (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(BoughClientSubscription) a = NULL;
  g_autoptr(BoughClientSubscription) b = NULL;
  SubState sa = { 0 };
  SubState sb = { 0 };

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  create_tag_count_query (f->client);

  a = subscribe (f->client, &sa);
  b = subscribe (f->client, &sb);
  while ((sa.next < 1 || sb.next < 1) && sa.error == NULL && sb.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (sa.error);
  g_assert_no_error (sb.error);
  g_assert_cmpint (sa.last_count, ==, 0);
  g_assert_cmpuint (_bough_client_get_websocket_count (f->client), ==, 1);

  /* the server crashes, or stops, and comes back: both carry on, on a new
   * socket each time */
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *tag = g_strdup_printf ("after-restart-%u", round);

      server_restart (&f->server, round == 1);
      create_tag (f->client, tag);
      while ((sa.last_count != round + 1 || sb.last_count != round + 1) &&
             sa.error == NULL && sb.error == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_no_error (sa.error);
      g_assert_no_error (sb.error);
      g_assert_true (bough_client_subscription_get_active (a));
      g_assert_true (bough_client_subscription_get_active (b));
      g_assert_cmpuint (sa.complete + sb.complete, ==, 0);
      g_assert_cmpuint (_bough_client_get_websocket_count (f->client), ==, round + 2);
      g_assert_cmpuint (_bough_client_get_open_websockets (f->client), ==, 1);
    }

  g_clear_object (&a);
  g_clear_object (&b);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_client_subscription_server_gone (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(BoughClientSubscription) a = NULL;
  g_autoptr(BoughClientSubscription) b = NULL;
  g_autoptr(GError) error = NULL;
  SubState sa = { 0 };
  SubState sb = { 0 };

  if (f->client == NULL)
    return;
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  create_tag_count_query (f->client);
  /* two tries instead of a minute of them */
  _bough_client_set_websocket_retries (f->client, 2);

  a = subscribe (f->client, &sa);
  b = subscribe (f->client, &sb);
  while ((sa.next < 1 || sb.next < 1) && sa.error == NULL && sb.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (sa.error);
  g_assert_no_error (sb.error);

  /* the server goes away for good: both fail, as the network is gone */
  g_subprocess_force_exit (f->server.process);
  g_subprocess_wait (f->server.process, NULL, &error);
  g_assert_no_error (error);
  while (sa.error == NULL || sb.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (sa.error, BOUGH_ERROR, BOUGH_ERROR_NETWORK);
  g_assert_error (sb.error, BOUGH_ERROR, BOUGH_ERROR_NETWORK);
  g_assert_false (bough_client_subscription_get_active (a));
  g_assert_false (bough_client_subscription_get_active (b));
  g_assert_cmpuint (sa.complete + sb.complete, ==, 0);
  g_assert_cmpuint (_bough_client_get_open_websockets (f->client), ==, 0);

  g_clear_error (&sa.error);
  g_clear_error (&sb.error);
  g_clear_object (&a);
  g_clear_object (&b);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/error-field", test_client_error_field);
#define ADD(path, func, setup) \
  g_test_add (path, Fixture, NULL, setup, func, fixture_teardown)
  ADD ("/client/token", test_client_token, fixture_setup);
  ADD ("/client/login", test_client_login, fixture_setup);
  ADD ("/client/refresh", test_client_refresh, fixture_setup_short_tokens);
  ADD ("/client/errors", test_client_errors, fixture_setup);
  ADD ("/client/branch-and-time", test_client_branch_and_time, fixture_setup);
  ADD ("/client/schema", test_client_schema, fixture_setup);
  ADD ("/client/cancel", test_client_cancel, fixture_setup);
  ADD ("/client/schema-cache", test_client_schema_cache, fixture_setup);
  ADD ("/client/schema-shared", test_client_schema_shared, fixture_setup);
  ADD ("/client/subscription", test_client_subscription, fixture_setup);
  ADD ("/client/subscription-refresh", test_client_subscription_refresh,
       fixture_setup_short_tokens);
  ADD ("/client/subscription-shared", test_client_subscription_shared, fixture_setup);
  ADD ("/client/subscription-resume", test_client_subscription_resume, fixture_setup);
  ADD ("/client/subscription-server-gone", test_client_subscription_server_gone,
       fixture_setup);
#undef ADD

  return g_test_run ();
}
