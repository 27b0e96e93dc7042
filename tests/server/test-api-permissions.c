/* test-api-permissions.c: permissions on the HTTP paths, as a logged-in account that may only
 * view, and not the Core kinds: schema load and check need manage_schema, the menu lists only
 * what it may view, GraphQL mutations over HTTP are refused with code 403, stored queries and
 * websocket subscriptions run with the caller's permissions; the admin of db init may do all of
 * it. Anonymous callers get the anonymous role.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "api-test-common.h"

/* Sends @body to @path with a bearer token (or the admin token when NULL). */
static void
request_as (ApiFixture *f,
            const char *token,
            const char *method,
            const char *path,
            const char *body,
            ApiReply   *reply)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (f->base, path, G_URI_FLAGS_NONE, NULL);

  reply->msg = soup_message_new_from_uri (method, uri);
  if (token != NULL)
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_append (soup_message_get_request_headers (reply->msg), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (reply->msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, reply->msg, G_PRIORITY_DEFAULT, NULL, api_sent_cb, reply);
  api_wait (reply);
}

/* Runs a GraphQL document as @token; returns the parsed reply. */
static JsonNode *
graphql_as (ApiFixture *f,
            const char *token,
            const char *query)
{
  g_auto(ApiReply) reply = { 0 };
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "query", query);
  text = json_to_string (body, FALSE);
  request_as (f, token, "POST", "graphql", text, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  return api_parse (reply.body);
}

/* The value at a dotted path such as "data.CoreAccount.count". */
static JsonNode *
api_json_path (JsonNode   *root,
               const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *n = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_assert_nonnull (n);
      if (JSON_NODE_HOLDS_ARRAY (n))
        n = json_array_get_element (json_node_get_array (n), (guint) g_ascii_strtoull (parts[i], NULL, 10));
      else
        n = json_object_get_member (json_node_get_object (n), parts[i]);
    }
  g_assert_nonnull (n);
  return n;
}

static const char *
data_string (JsonNode   *root,
             const char *field,
             const char *member)
{
  JsonObject *data = json_object_get_object_member (json_node_get_object (root), "data");
  JsonObject *object = json_object_get_object_member (data, field);

  g_assert_false (json_object_has_member (json_node_get_object (root), "errors"));
  return json_object_get_string_member (json_object_get_object_member (object, "object"), member);
}

static void
count_menu_entries (JsonArray *items,
                    guint     *core,
                    guint     *all)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *kind = json_object_has_member (item, "identifier")
                         ? json_object_get_string_member (item, "identifier") : NULL;

      (*all)++;
      if (kind != NULL && g_str_has_prefix (kind, "Core"))
        (*core)++;
      if (json_object_has_member (item, "children"))
        count_menu_entries (json_object_get_array_member (item, "children"), core, all);
    }
}

static void
menu_counts (ApiFixture *f,
             const char *token,
             guint      *core,
             guint      *all)
{
  g_auto(ApiReply) reply = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *sections;

  request_as (f, token, "GET", "api/menu", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  root = api_parse (reply.body);
  sections = json_object_get_object_member (json_node_get_object (root), "sections");
  *core = *all = 0;
  count_menu_entries (json_object_get_array_member (sections, "object"), core, all);
  count_menu_entries (json_object_get_array_member (sections, "internal"), core, all);
}

/* ---- a graphql-ws client, enough for one subscription ---- */

typedef struct
{
  SoupWebsocketConnection *ws;
  GQueue                   messages;    /* of JsonObject* */
  GError                  *error;
} WsClient;

static void
ws_message_cb (SoupWebsocketConnection *ws,
               gint                     type,
               GBytes                  *message,
               gpointer                 user_data)
{
  WsClient *client = user_data;
  g_autoptr(JsonNode) root = api_parse (message);

  g_queue_push_tail (&client->messages, json_object_ref (json_node_get_object (root)));
}

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WsClient *client = user_data;

  client->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &client->error);
}

/* The next message of @type, keep-alives skipped. */
static JsonObject *
ws_expect (WsClient   *client,
           const char *type)
{
  for (;;)
    {
      JsonObject *message;

      while (g_queue_is_empty (&client->messages))
        g_main_context_iteration (NULL, TRUE);
      message = g_queue_pop_head (&client->messages);
      if (g_strcmp0 (json_object_get_string_member (message, "type"), "ka") == 0)
        {
          json_object_unref (message);
          continue;
        }
      g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, type);
      return message;
    }
}

/* Subscribes to the stored query @name with @init_payload's credentials;
 * returns CoreAccount.count of its first result. */
static gint64
ws_first_count (ApiFixture *f,
                const char *init_payload,
                const char *name)
{
  static char *protocols[] = { (char *) "graphql-ws", NULL };
  g_autoptr(GUri) http = g_uri_parse_relative (f->base, "graphql", G_URI_FLAGS_NONE, NULL);
  g_autofree char *text = g_uri_to_string (http);
  g_autofree char *uri = g_strconcat ("ws", text + strlen ("http"), NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *init = g_strdup_printf ("{\"type\": \"connection_init\", \"payload\": %s}", init_payload);
  g_autofree char *start = g_strdup_printf ("{\"type\": \"start\", \"id\": \"1\", \"payload\": {\"query\":"
                                            " \"subscription { query(name: \\\"%s\\\", interval: 60) }\"}}", name);
  g_autoptr(JsonObject) ack = NULL;
  g_autoptr(JsonObject) data = NULL;
  WsClient client = { 0, };
  JsonObject *payload;
  gint64 count;

  soup_message_headers_append (soup_message_get_request_headers (msg), "X-Bough-Test-No-Auth", "1");
  soup_session_websocket_connect_async (f->session, msg, NULL, protocols, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected_cb, &client);
  while (client.ws == NULL && client.error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (client.error);
  g_signal_connect (client.ws, "message", G_CALLBACK (ws_message_cb), &client);
  soup_websocket_connection_send_text (client.ws, init);
  ack = ws_expect (&client, "connection_ack");
  soup_websocket_connection_send_text (client.ws, start);
  data = ws_expect (&client, "data");
  payload = json_object_get_object_member (data, "payload");
  g_assert_false (json_object_has_member (payload, "errors"));
  count = json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (payload, "data"),
                                                                     "CoreAccount"), "count");
  g_signal_handlers_disconnect_by_data (client.ws, &client);
  soup_websocket_connection_close (client.ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (client.ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&client.ws);
  g_queue_clear_full (&client.messages, (GDestroyNotify) json_object_unref);
  return count;
}

static void
test_viewer (void)
{
  ApiFixture f = { 0 };
  g_autoptr(JsonNode) view = NULL, deny = NULL, role = NULL, account = NULL, group = NULL, query = NULL;
  g_autoptr(JsonNode) mutation = NULL, login_root = NULL, listed = NULL, admin_listed = NULL;
  g_auto(ApiReply) login = { 0 };
  g_auto(ApiReply) load = { 0 };
  g_auto(ApiReply) check = { 0 };
  g_auto(ApiReply) admin_check = { 0 };
  g_auto(ApiReply) stored = { 0 };
  g_auto(ApiReply) admin_stored = { 0 };
  g_autofree char *q = NULL, *message = NULL;
  g_autoptr(JsonNode) stored_root = NULL, admin_stored_root = NULL;
  const char *token;
  guint core = 0, all = 0, admin_core = 0, admin_all = 0;
  const char *schema = "{\"schemas\": [{\"version\": \"1.0\", \"nodes\": [{\"name\": \"Widget\", \"namespace\": \"Demo\","
                       " \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\"}]}]}]}";

  api_fixture_start (&f, NULL);
  /* db init: the default roles, and the admin among the super administrators */
  {
    g_autoptr(JsonNode) defaults = graphql_as (&f, NULL,
      "{ CoreAccountRole { count edges { node { name { value } } } }"
      "  CoreAccountGroup(name__value: \"Super Administrators\") { edges { node { members { edges { node { ...on CoreAccount { name { value } } } } } } } } }");
    JsonArray *roles = json_node_get_array (api_json_path (defaults, "data.CoreAccountRole.edges"));
    g_autoptr(GString) names = g_string_new ("");

    for (guint i = 0; i < json_array_get_length (roles); i++)
      g_string_append_printf (names, "%s;", json_node_get_string (
        api_json_path (json_array_get_element (roles, i), "node.name.value")));
    g_assert_nonnull (strstr (names->str, "Super Administrator;"));
    g_assert_nonnull (strstr (names->str, "General Access;"));
    g_assert_nonnull (strstr (names->str, "Anonymous Access;"));
    g_assert_cmpstr (json_node_get_string (api_json_path (defaults,
                       "data.CoreAccountGroup.edges.0.node.members.edges.0.node.name.value")), ==, "admin");
  }
  /* as the admin: a role that may view all but the Core kinds */
  view = graphql_as (&f, NULL, "mutation { CoreObjectPermissionUpsert(data: { namespace: { value: \"*\" }, name: { value: \"*\" },"
                               " action: { value: \"view\" }, decision: { value: 6 } }) { ok object { id } } }");
  deny = graphql_as (&f, NULL, "mutation { CoreObjectPermissionCreate(data: { namespace: { value: \"Core\" }, name: { value: \"*\" },"
                               " action: { value: \"any\" }, decision: { value: 1 } }) { ok object { id } } }");
  q = g_strdup_printf ("mutation { CoreAccountRoleCreate(data: { name: { value: \"viewer\" }, permissions: [{ id: \"%s\" }, { id: \"%s\" }] })"
                       " { ok object { id } } }",
                       data_string (view, "CoreObjectPermissionUpsert", "id"), data_string (deny, "CoreObjectPermissionCreate", "id"));
  role = graphql_as (&f, NULL, q);
  account = graphql_as (&f, NULL, "mutation { CoreAccountCreate(data: { name: { value: \"viewer\" }, password: { value: \"viewer-password-1\" } })"
                                  " { ok object { id } } }");
  g_free (q);
  q = g_strdup_printf ("mutation { CoreAccountGroupCreate(data: { name: { value: \"viewers\" }, roles: [{ id: \"%s\" }],"
                       " members: [{ id: \"%s\" }] }) { ok object { id } } }",
                       data_string (role, "CoreAccountRoleCreate", "id"), data_string (account, "CoreAccountCreate", "id"));
  group = graphql_as (&f, NULL, q);
  g_assert_nonnull (data_string (group, "CoreAccountGroupCreate", "id"));
  query = graphql_as (&f, NULL, "mutation { CoreGraphQLQueryCreate(data: { name: { value: \"accounts\" },"
                                " query: { value: \"query { CoreAccount { count } }\" } }) { ok object { id } } }");
  g_assert_nonnull (data_string (query, "CoreGraphQLQueryCreate", "id"));

  request_as (&f, NULL, "POST", "api/auth/login", "{\"username\": \"viewer\", \"password\": \"viewer-password-1\"}", &login);
  g_assert_cmpuint (login.status, ==, 200);
  login_root = api_parse (login.body);
  token = json_object_get_string_member (json_node_get_object (login_root), "access_token");
  g_assert_nonnull (token);

  /* schema load and check: manage_schema */
  request_as (&f, token, "POST", "api/schema/load", schema, &load);
  message = api_assert_error (&load, 403);
  g_assert_nonnull (strstr (message, "manage_schema"));
  request_as (&f, token, "POST", "api/schema/check", schema, &check);
  g_free (api_assert_error (&check, 403));
  request_as (&f, NULL, "POST", "api/schema/check", schema, &admin_check);
  g_assert_cmpuint (admin_check.status, ==, 202);

  /* GraphQL over HTTP: reads filtered, writes refused */
  listed = graphql_as (&f, token, "{ CoreAccount { count } BuiltinTag { count } }");
  admin_listed = graphql_as (&f, NULL, "{ CoreAccount { count } }");
  g_assert_cmpint (json_node_get_int (api_json_path (listed, "data.CoreAccount.count")), ==, 0);
  g_assert_cmpint (json_node_get_int (api_json_path (admin_listed, "data.CoreAccount.count")), >=, 2);
  mutation = graphql_as (&f, token, "mutation { BuiltinTagCreate(data: { name: { value: \"nope\" } }) { ok } }");
  g_assert_cmpint (json_node_get_int (api_json_path (mutation, "errors.0.extensions.code")), ==, 403);

  /* stored queries run as their caller */
  request_as (&f, token, "GET", "api/query/accounts", NULL, &stored);
  request_as (&f, NULL, "GET", "api/query/accounts", NULL, &admin_stored);
  g_assert_cmpuint (stored.status, ==, 200);
  g_assert_cmpuint (admin_stored.status, ==, 200);
  stored_root = api_parse (stored.body);
  admin_stored_root = api_parse (admin_stored.body);
  g_assert_cmpint (json_node_get_int (api_json_path (stored_root, "data.CoreAccount.count")), ==, 0);
  g_assert_cmpint (json_node_get_int (api_json_path (admin_stored_root, "data.CoreAccount.count")), >=, 2);

  /* subscriptions run their stored query as the socket's account */
  {
    g_autofree char *viewer_init = g_strdup_printf ("{\"Authorization\": \"Bearer %s\"}", token);

    g_assert_cmpint (ws_first_count (&f, viewer_init, "accounts"), ==, 0);
    g_assert_cmpint (ws_first_count (&f, "{\"X-INFRAHUB-KEY\": \"" API_TEST_TOKEN "\"}", "accounts"), >=, 2);
  }

  /* the menu: no Core entries for the viewer */
  menu_counts (&f, NULL, &admin_core, &admin_all);
  menu_counts (&f, token, &core, &all);
  g_assert_cmpuint (admin_core, >, 0);
  g_assert_cmpuint (core, ==, 0);
  g_assert_cmpuint (all, >, 0);
  g_assert_cmpuint (all, <, admin_all);

  api_fixture_stop (&f);
}

/* With anonymous access on, a caller without credentials reads with the
 * anonymous role (view only) and writes nothing. */
static void
test_anonymous (void)
{
  ApiFixture f = { 0 };
  const char *env[] = { "BOUGH_MAIN_ALLOW_ANONYMOUS_ACCESS=true", NULL };
  g_autoptr(JsonNode) created = NULL;
  g_auto(ApiReply) read = { 0 };
  g_auto(ApiReply) write = { 0 };
  g_auto(ApiReply) load = { 0 };
  g_autoptr(JsonNode) read_root = NULL;
  g_autoptr(JsonNode) write_root = NULL;
  g_autoptr(JsonNode) after = NULL;

  api_fixture_start (&f, env);
  created = graphql_as (&f, NULL, "mutation { BuiltinTagCreate(data: { name: { value: \"seen\" } }) { ok object { id } } }");
  g_assert_nonnull (data_string (created, "BuiltinTagCreate", "id"));
  {
    g_autoptr(GUri) uri = g_uri_parse_relative (f.base, "graphql", G_URI_FLAGS_NONE, NULL);
    const char *body = "{\"query\": \"{ BuiltinTag { count } }\"}";
    g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

    read.msg = soup_message_new_from_uri ("POST", uri);
    soup_message_headers_append (soup_message_get_request_headers (read.msg), "X-Bough-Test-No-Auth", "1");
    soup_message_set_request_body_from_bytes (read.msg, "application/json", bytes);
    soup_session_send_and_read_async (f.session, read.msg, G_PRIORITY_DEFAULT, NULL, api_sent_cb, &read);
    api_wait (&read);
  }
  {
    g_autoptr(GUri) uri = g_uri_parse_relative (f.base, "graphql", G_URI_FLAGS_NONE, NULL);
    const char *body = "{\"query\": \"mutation { BuiltinTagCreate(data: { name: { value: \\\"anon\\\" } }) { ok } }\"}";
    g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

    write.msg = soup_message_new_from_uri ("POST", uri);
    soup_message_headers_append (soup_message_get_request_headers (write.msg), "X-Bough-Test-No-Auth", "1");
    soup_message_set_request_body_from_bytes (write.msg, "application/json", bytes);
    soup_session_send_and_read_async (f.session, write.msg, G_PRIORITY_DEFAULT, NULL, api_sent_cb, &write);
    api_wait (&write);
  }
  {
    g_autoptr(GUri) uri = g_uri_parse_relative (f.base, "api/schema/load", G_URI_FLAGS_NONE, NULL);
    const char *body = "{\"schemas\": []}";
    g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

    load.msg = soup_message_new_from_uri ("POST", uri);
    soup_message_headers_append (soup_message_get_request_headers (load.msg), "X-Bough-Test-No-Auth", "1");
    soup_message_set_request_body_from_bytes (load.msg, "application/json", bytes);
    soup_session_send_and_read_async (f.session, load.msg, G_PRIORITY_DEFAULT, NULL, api_sent_cb, &load);
    api_wait (&load);
  }
  g_assert_cmpuint (read.status, ==, 200);
  read_root = api_parse (read.body);
  g_assert_cmpint (json_node_get_int (api_json_path (read_root, "data.BuiltinTag.count")), ==, 1);
  /* refused by authentication (401: log in to write) or by the anonymous
   * role (403) */
  write_root = api_parse (write.body);
  if (write.status == 200)
    g_assert_cmpint (json_node_get_int (api_json_path (write_root, "errors.0.extensions.code")), ==, 403);
  else
    g_assert_cmpint (json_node_get_int (api_json_path (write_root, "errors.0.extensions.code")), ==, 401);
  g_assert_true (load.status == 401 || load.status == 403);
  g_free (api_assert_error (&load, load.status));
  after = graphql_as (&f, NULL, "{ BuiltinTag(name__value: \"anon\") { count } }");
  g_assert_cmpint (json_node_get_int (api_json_path (after, "data.BuiltinTag.count")), ==, 0);
  api_fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/api/permissions/viewer", test_viewer);
  g_test_add_func ("/api/permissions/anonymous", test_anonymous);
  return g_test_run ();
}
