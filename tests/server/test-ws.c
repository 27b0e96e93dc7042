/* test-ws.c: GraphQL subscriptions over the graphql-ws websocket against a running server:
 * handshake, stored queries pushed on an interval, stop, the limits and errors, branch paths
 * and shutdown; event subscriptions pushed as events are written, by this process or by
 * another one sharing the database.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "api-test-common.h"
#include "store/bough-store.h"

/* Generous: nothing here is timed, this only stops a broken test. */
#define WAIT_SECONDS 60

typedef struct
{
  SoupWebsocketConnection *ws;
  GQueue                   messages;    /* of JsonObject* */
  gboolean                 closed;
  gushort                  close_code;
  GError                  *error;
} Client;

static void
client_message_cb (SoupWebsocketConnection *ws,
                   gint                     type,
                   GBytes                  *bytes,
                   gpointer                 user_data)
{
  Client *client = user_data;
  g_autoptr(JsonNode) root = api_parse (bytes);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_queue_push_tail (&client->messages, json_object_ref (json_node_get_object (root)));
}

static void
client_closed_cb (SoupWebsocketConnection *ws,
                  gpointer                 user_data)
{
  Client *client = user_data;

  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (ws);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("no answer in %d seconds", WAIT_SECONDS);
  return G_SOURCE_REMOVE;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Client *client = user_data;

  client->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &client->error);
  client->closed = client->ws == NULL;
}

static void
client_connect (ApiFixture *f,
                Client     *client,
                const char *path)
{
  static char *protocols[] = { (char *) "graphql-ws", NULL };
  g_autoptr(GUri) http = g_uri_parse_relative (f->base, path, G_URI_FLAGS_NONE, NULL);
  g_autofree char *text = g_uri_to_string (http);
  g_autofree char *uri = g_strconcat ("ws", text + strlen ("http"), NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, NULL);

  memset (client, 0, sizeof *client);
  soup_session_websocket_connect_async (f->session, msg, NULL, protocols, G_PRIORITY_DEFAULT,
                                        NULL, connected_cb, client);
  while (client->ws == NULL && client->error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_assert_no_error (client->error);
  g_assert_cmpstr (soup_websocket_connection_get_protocol (client->ws), ==, "graphql-ws");
  g_signal_connect (client->ws, "message", G_CALLBACK (client_message_cb), client);
  g_signal_connect (client->ws, "closed", G_CALLBACK (client_closed_cb), client);
}

static void
client_free (Client *client)
{
  if (client->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->ws, client);
      if (soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      while (soup_websocket_connection_get_state (client->ws) != SOUP_WEBSOCKET_STATE_CLOSED)
        g_main_context_iteration (NULL, TRUE);
      g_clear_object (&client->ws);
    }
  g_queue_clear_full (&client->messages, (GDestroyNotify) json_object_unref);
  g_clear_error (&client->error);
}

static void
client_send (Client     *client,
             const char *text)
{
  soup_websocket_connection_send_text (client->ws, text);
}

/* The next message that is not a keep-alive. */
static JsonObject *
client_next (Client *client)
{
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, NULL);
  JsonObject *message = NULL;

  while (message == NULL)
    {
      while (g_queue_is_empty (&client->messages))
        {
          g_assert_false (client->closed);
          g_main_context_iteration (NULL, TRUE);
        }
      message = g_queue_pop_head (&client->messages);
      if (g_strcmp0 (json_object_get_string_member (message, "type"), "ka") == 0)
        g_clear_pointer (&message, json_object_unref);
    }
  g_source_remove (timeout);
  return message;
}

/* The next message, which must be of @type (and for @id, when given). */
static JsonObject *
client_expect (Client     *client,
               const char *type,
               const char *id)
{
  JsonObject *message = client_next (client);

  g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, type);
  if (id != NULL)
    g_assert_cmpstr (json_object_get_string_member (message, "id"), ==, id);
  return message;
}

/* Waits for the socket to close; returns its close code. */
static gushort
client_wait_closed (Client *client)
{
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, NULL);

  while (!client->closed)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  return client->close_code;
}

static void
client_init (Client *client)
{
  g_autoptr(JsonObject) ack = NULL;

  client_send (client, "{\"type\": \"connection_init\", \"payload\": "
               "{\"X-INFRAHUB-KEY\": \"" API_TEST_TOKEN "\"}}");
  ack = client_expect (client, "connection_ack", NULL);
}

/* The first error message of an `error` message's payload. */
static const char *
error_message (JsonObject *message)
{
  JsonArray *errors = json_object_get_array_member (message, "payload");

  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "message");
}

static void
graphql_ok (ApiFixture *f,
            const char *path,
            const char *body)
{
  g_auto(ApiReply) reply = { 0 };
  g_autoptr(JsonNode) root = NULL;

  api_request (f, "POST", path, body, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  root = api_parse (reply.body);
  if (json_object_has_member (json_node_get_object (root), "errors"))
    g_error ("unexpected errors: %.*s", (int) g_bytes_get_size (reply.body),
             (const char *) g_bytes_get_data (reply.body, NULL));
}

static void
add_tag (ApiFixture *f,
         const char *path,
         const char *name)
{
  g_autofree char *body = g_strdup_printf (
    "{\"query\": \"mutation($n: String!) { BuiltinTagCreate(data: {name: {value: $n}})"
    " { ok } }\", \"variables\": {\"n\": \"%s\"}}", name);

  graphql_ok (f, path, body);
}

static void
setup (ApiFixture *f)
{
  api_fixture_start (f, NULL);
  add_tag (f, "graphql", "red");
  graphql_ok (f, "graphql",
    "{\"query\": \"mutation($q: String!) { CoreGraphQLQueryCreate(data: {name: {value: \\\"tags\\\"},"
    " query: {value: $q}}) { ok } }\", \"variables\": {\"q\":"
    " \"query tags($prefix: String) { BuiltinTag(name__value: $prefix, partial_match: true)"
    " { count edges { node { name { value } } } } }\"}}");
}

static gint64
data_count (JsonObject *message)
{
  JsonObject *payload = json_object_get_object_member (message, "payload");

  g_assert_false (json_object_has_member (payload, "errors"));
  return json_object_get_int_member (
    json_object_get_object_member (json_object_get_object_member (payload, "data"), "BuiltinTag"),
    "count");
}

#define START(id, params, interval) \
  "{\"type\": \"start\", \"id\": \"" id "\", \"payload\": {\"query\": " \
  "\"subscription($p: GenericScalar) { query(name: \\\"tags\\\", params: $p, interval: " interval ") }\", " \
  "\"variables\": {\"p\": " params "}}}"

static void
test_ws_subscribe (void)
{
  ApiFixture f = { 0 };
  Client client;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) complete = NULL;

  setup (&f);
  client_connect (&f, &client, "graphql");
  client_init (&client);

  client_send (&client, START ("1", "{\"prefix\": \"\"}", "1"));
  first = client_expect (&client, "data", "1");
  g_assert_cmpint (data_count (first), ==, 1);

  /* the data change shows in a later push */
  add_tag (&f, "graphql", "blue");
  for (;;)
    {
      g_clear_pointer (&second, json_object_unref);
      second = client_expect (&client, "data", "1");
      if (data_count (second) == 2)
        break;
      g_assert_cmpint (data_count (second), ==, 1);
    }

  /* plain POST on the same path still works meanwhile, and the SDL shows the subscription */
  graphql_ok (&f, "graphql", "{\"query\": \"{ BuiltinTag { count } }\"}");
  {
    g_auto(ApiReply) sdl = { 0 };
    g_autofree char *text = NULL;

    api_request (&f, "GET", "schema.graphql", NULL, &sdl);
    g_assert_cmpuint (sdl.status, ==, 200);
    text = g_strndup (g_bytes_get_data (sdl.body, NULL), g_bytes_get_size (sdl.body));
    g_assert_nonnull (strstr (text, "type Subscription {"));
    g_assert_nonnull (strstr (text, "query(name: String!, params: GenericScalar, interval: Int = 10): GenericScalar"));
  }

  client_send (&client, "{\"type\": \"stop\", \"id\": \"1\"}");
  /* a push may have been on its way before the stop */
  for (;;)
    {
      g_clear_pointer (&complete, json_object_unref);
      complete = client_next (&client);
      if (g_strcmp0 (json_object_get_string_member (complete, "type"), "complete") == 0)
        break;
      g_assert_cmpstr (json_object_get_string_member (complete, "type"), ==, "data");
    }
  g_assert_cmpstr (json_object_get_string_member (complete, "id"), ==, "1");

  client_send (&client, "{\"type\": \"connection_terminate\"}");
  g_assert_cmpint (client_wait_closed (&client), ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  client_free (&client);
  api_fixture_stop (&f);
}

/* connection_init without credentials, or with wrong ones, is refused
 * before anything is acknowledged. */
static void
test_ws_unauthenticated (void)
{
  static const char * const inits[] = {
    "{\"type\": \"connection_init\", \"payload\": {}}",
    "{\"type\": \"connection_init\"}",
    "{\"type\": \"connection_init\", \"payload\": {\"X-INFRAHUB-KEY\": \"wrong\"}}",
    "{\"type\": \"connection_init\", \"payload\": {\"Authorization\": \"Bearer a.b.c\"}}",
  };
  ApiFixture f = { 0 };

  setup (&f);
  for (guint i = 0; i < G_N_ELEMENTS (inits); i++)
    {
      Client client;
      g_autoptr(JsonObject) error = NULL;

      client_connect (&f, &client, "graphql");
      client_send (&client, inits[i]);
      error = client_expect (&client, "connection_error", NULL);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (error, "payload"),
                                                      "message"), !=, "");
      g_assert_cmpint (client_wait_closed (&client), ==, 4401);
      g_assert_true (g_queue_is_empty (&client.messages));
      client_free (&client);
    }
  api_fixture_stop (&f);
}

static void
test_ws_before_init (void)
{
  ApiFixture f = { 0 };
  Client client;
  g_autoptr(JsonObject) error = NULL;

  setup (&f);
  client_connect (&f, &client, "graphql");
  client_send (&client, START ("1", "{}", "1"));
  error = client_expect (&client, "connection_error", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (error, "payload"),
                                                  "message"), !=, "");
  g_assert_cmpint (client_wait_closed (&client), ==, 4401);
  g_assert_true (g_queue_is_empty (&client.messages));
  client_free (&client);
  api_fixture_stop (&f);
}

static void
test_ws_cap (void)
{
  ApiFixture f = { 0 };
  static const char * const env[] = { "BOUGH_WEBSOCKET_MAX_SUBSCRIPTIONS=2", NULL };
  Client client;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) duplicate = NULL;
  g_autoptr(JsonObject) again = NULL;

  api_fixture_start (&f, env);
  add_tag (&f, "graphql", "red");
  graphql_ok (&f, "graphql",
    "{\"query\": \"mutation($q: String!) { CoreGraphQLQueryCreate(data: {name: {value: \\\"tags\\\"},"
    " query: {value: $q}}) { ok } }\", \"variables\": {\"q\": \"query tags($prefix: String)"
    " { BuiltinTag(name__value: $prefix, partial_match: true) { count } }\"}}");
  client_connect (&f, &client, "graphql");
  client_init (&client);

  /* long intervals: each pushes once */
  client_send (&client, START ("a", "{}", "3600"));
  a = client_expect (&client, "data", "a");
  client_send (&client, START ("a", "{}", "3600"));
  duplicate = client_expect (&client, "error", "a");
  g_assert_nonnull (strstr (error_message (duplicate), "already in use"));
  client_send (&client, START ("b", "{}", "3600"));
  b = client_expect (&client, "data", "b");
  client_send (&client, START ("c", "{}", "3600"));
  refused = client_expect (&client, "error", "c");
  g_assert_nonnull (strstr (error_message (refused), "Too many subscriptions"));

  /* the connection stays, and a stopped subscription frees its place */
  client_send (&client, "{\"type\": \"stop\", \"id\": \"a\"}");
  g_clear_pointer (&a, json_object_unref);
  a = client_expect (&client, "complete", "a");
  client_send (&client, START ("c", "{}", "3600"));
  again = client_expect (&client, "data", "c");

  client_free (&client);
  api_fixture_stop (&f);
}

static void
test_ws_errors (void)
{
  ApiFixture f = { 0 };
  Client client;
  g_autoptr(JsonObject) bad_json = NULL;
  g_autoptr(JsonObject) unknown_type = NULL;
  g_autoptr(JsonObject) unknown_query = NULL;
  g_autoptr(JsonObject) invalid = NULL;
  g_autoptr(JsonObject) interval = NULL;
  g_autoptr(JsonObject) query_op = NULL;
  g_autoptr(JsonObject) ok = NULL;
  JsonArray *locations;

  setup (&f);
  client_connect (&f, &client, "graphql");
  client_init (&client);

  client_send (&client, "{not json");
  bad_json = client_expect (&client, "connection_error", NULL);

  client_send (&client, "{\"type\": \"subscribe\", \"id\": \"9\"}");
  unknown_type = client_expect (&client, "error", "9");
  g_assert_nonnull (strstr (error_message (unknown_type), "Unknown message type"));

  client_send (&client, "{\"type\": \"start\", \"id\": \"u\", \"payload\": {\"query\":"
                        " \"subscription { query(name: \\\"nope\\\") }\"}}");
  unknown_query = client_expect (&client, "error", "u");
  g_assert_cmpstr (error_message (unknown_query), ==, "GraphQL query nope not found");

  client_send (&client, "{\"type\": \"start\", \"id\": \"v\", \"payload\": {\"query\":"
                        " \"subscription { query(nam: \\\"tags\\\") }\"}}");
  invalid = client_expect (&client, "error", "v");
  locations = json_object_get_array_member (
    json_array_get_object_element (json_object_get_array_member (invalid, "payload"), 0), "locations");
  g_assert_cmpuint (json_array_get_length (locations), >=, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (locations, 0), "line"), ==, 1);

  client_send (&client, "{\"type\": \"start\", \"id\": \"w\", \"payload\": {\"query\":"
                        " \"subscription { query(name: \\\"tags\\\", interval: 0) }\"}}");
  interval = client_expect (&client, "error", "w");
  g_assert_nonnull (strstr (error_message (interval), "interval"));

  client_send (&client, "{\"type\": \"start\", \"id\": \"x\", \"payload\": {\"query\":"
                        " \"{ BuiltinTag { count } }\"}}");
  query_op = client_expect (&client, "error", "x");

  /* none of these closed the connection */
  client_send (&client, START ("y", "{}", "3600"));
  ok = client_expect (&client, "data", "y");
  g_assert_cmpint (data_count (ok), ==, 1);

  client_free (&client);
  api_fixture_stop (&f);
}

static void
test_ws_branch (void)
{
  ApiFixture f = { 0 };
  g_autoptr(GError) error = NULL;
  Client client;
  Client unknown;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) refused = NULL;

  setup (&f);
  g_assert_true (bough_store_create_branch (bough_server_get_store (f.server), "feature/x", &error));
  g_assert_no_error (error);
  add_tag (&f, "graphql/feature/x", "green");

  client_connect (&f, &client, "graphql/feature/x");
  client_init (&client);
  client_send (&client, START ("1", "{}", "3600"));
  data = client_expect (&client, "data", "1");
  g_assert_cmpint (data_count (data), ==, 2);

  client_connect (&f, &unknown, "graphql/nope");
  client_init (&unknown);
  client_send (&unknown, START ("1", "{}", "3600"));
  refused = client_expect (&unknown, "error", "1");
  g_assert_nonnull (strstr (error_message (refused), "nope"));

  client_free (&unknown);
  client_free (&client);
  api_fixture_stop (&f);
}

static void
test_ws_shutdown (void)
{
  ApiFixture f = { 0 };
  Client client;
  g_autoptr(JsonObject) first = NULL;

  setup (&f);
  client_connect (&f, &client, "graphql");
  client_init (&client);
  client_send (&client, START ("1", "{}", "1"));
  first = client_expect (&client, "data", "1");

  bough_server_stop (f.server);
  g_assert_cmpint (client_wait_closed (&client), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  client_free (&client);
  api_fixture_stop (&f);
}

static void
test_ws_init_timeout (void)
{
  ApiFixture f = { 0 };
  static const char * const env[] = { "BOUGH_WEBSOCKET_INIT_TIMEOUT=1", NULL };
  Client client;
  g_autoptr(JsonObject) error = NULL;

  api_fixture_start (&f, env);
  client_connect (&f, &client, "graphql");
  error = client_expect (&client, "connection_error", NULL);
  g_assert_cmpint (client_wait_closed (&client), ==, 4408);
  client_free (&client);
  api_fixture_stop (&f);
}

static void
test_ws_limits (void)
{
  ApiFixture f = { 0 };
  static const char * const env[] = {
    "BOUGH_WEBSOCKET_MAX_CONNECTIONS=1", "BOUGH_WEBSOCKET_MAX_MESSAGE_SIZE=256", NULL
  };
  Client first;
  Client second;
  g_autoptr(JsonObject) refused = NULL;
  g_autofree char *big = NULL;

  api_fixture_start (&f, env);
  client_connect (&f, &first, "graphql");
  client_init (&first);

  client_connect (&f, &second, "graphql");
  refused = client_expect (&second, "connection_error", NULL);
  g_assert_cmpint (client_wait_closed (&second), ==, 4503);

  /* a message over the size limit drops the socket (libsoup sends 1009 on
   * its way out, which the client may not read before the reset) */
  big = g_strdup_printf ("{\"type\": \"start\", \"id\": \"%0500d\"}", 1);
  client_send (&first, big);
  client_wait_closed (&first);
  g_assert_true (first.close_code == 0 || first.close_code == SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  for (GList *l = first.messages.head; l != NULL; l = l->next)
    g_assert_cmpstr (json_object_get_string_member (l->data, "type"), ==, "ka");

  client_free (&second);
  client_free (&first);
  api_fixture_stop (&f);
}

#define EVENTS_START(id, args) \
  "{\"type\": \"start\", \"id\": \"" id "\", \"payload\": {\"query\": " \
  "\"subscription { InfrahubEvent" args " { id event branch __typename primary_node { id kind }" \
  " ... on NodeMutatedEvent { attributes { name value action } } } }\"}}"

/* Sends @start, then makes sure the server has taken it: it answers the
 * same id again with an error, after having handled the first one. */
static void
events_subscribe (Client     *client,
                  const char *start,
                  const char *id)
{
  g_autoptr(JsonObject) dup = NULL;

  client_send (client, start);
  client_send (client, start);
  dup = client_expect (client, "error", id);
  g_assert_nonnull (strstr (error_message (dup), "already in use"));
}

/* The events of a `data` message of an event subscription. */
static JsonArray *
events_of (JsonObject *message)
{
  JsonObject *payload = json_object_get_object_member (message, "payload");

  g_assert_false (json_object_has_member (payload, "errors"));
  return json_object_get_array_member (json_object_get_object_member (payload, "data"), "InfrahubEvent");
}

static void
test_ws_events (void)
{
  ApiFixture f = { 0 };
  Client client;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) more = NULL;
  JsonArray *events;
  JsonObject *e;

  setup (&f);
  client_connect (&f, &client, "graphql");
  client_init (&client);
  events_subscribe (&client, EVENTS_START ("ev", "(event_type: [\\\"infrahub.node.created\\\"])"), "ev");

  /* an event that does not match, then one that does */
  graphql_ok (&f, "graphql", "{\"query\": \"mutation { BranchCreate(data: {name: \\\"b1\\\"}) { ok } }\"}");
  add_tag (&f, "graphql", "green");
  data = client_expect (&client, "data", "ev");
  events = events_of (data);
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  e = json_array_get_object_element (events, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "event"), ==, "infrahub.node.created");
  g_assert_cmpstr (json_object_get_string_member (e, "__typename"), ==, "NodeMutatedEvent");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (e, "primary_node"), "kind"),
                   ==, "BuiltinTag");
  {
    JsonArray *attrs = json_object_get_array_member (e, "attributes");
    gboolean named = FALSE;

    for (guint i = 0; i < json_array_get_length (attrs); i++)
      {
        JsonObject *a = json_array_get_object_element (attrs, i);
        if (g_str_equal (json_object_get_string_member (a, "name"), "name"))
          {
            g_assert_cmpstr (json_object_get_string_member (a, "value"), ==, "green");
            g_assert_cmpstr (json_object_get_string_member (a, "action"), ==, "ADDED");
            named = TRUE;
          }
      }
    g_assert_true (named);
  }

  /* the next one comes in its own message, the earlier ones are not sent again */
  add_tag (&f, "graphql", "yellow");
  more = client_expect (&client, "data", "ev");
  events = events_of (more);
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  e = json_array_get_object_element (events, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "branch"), ==, "main");

  client_send (&client, "{\"type\": \"stop\", \"id\": \"ev\"}");
  g_clear_pointer (&data, json_object_unref);
  data = client_expect (&client, "complete", "ev");

  /* a query on an event subscription's own field is refused over POST */
  {
    g_auto(ApiReply) reply = { 0 };

    g_autofree char *text = NULL;

    api_request (&f, "POST", "graphql",
                 "{\"query\": \"subscription { InfrahubEvent { id } }\"}", &reply);
    text = g_strndup (g_bytes_get_data (reply.body, NULL), g_bytes_get_size (reply.body));
    g_assert_nonnull (strstr (text, "served over the websocket only"));
  }
  client_free (&client);
  api_fixture_stop (&f);
}

/* Task subscriptions: the tasks as they are, then again when they change. */
static void
test_ws_tasks (void)
{
  ApiFixture f = { 0 };
  Client client;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) next = NULL;
  gint64 before;

  setup (&f);
  client_connect (&f, &client, "graphql");
  client_init (&client);
  client_send (&client, "{\"type\": \"start\", \"id\": \"t\", \"payload\": {\"query\": "
               "\"subscription { InfrahubTask(workflow: [\\\"branch-create\\\"]) { count edges { node { workflow state } } } }\"}}");
  first = client_expect (&client, "data", "t");
  before = json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (
             json_object_get_object_member (first, "payload"), "data"), "InfrahubTask"), "count");

  graphql_ok (&f, "graphql", "{\"query\": \"mutation { BranchCreate(data: {name: \\\"t1\\\"}) { ok } }\"}");
  next = client_expect (&client, "data", "t");
  {
    JsonObject *tasks = json_object_get_object_member (json_object_get_object_member (
                          json_object_get_object_member (next, "payload"), "data"), "InfrahubTask");

    g_assert_cmpint (json_object_get_int_member (tasks, "count"), ==, before + 1);
  }
  client_free (&client);
  api_fixture_stop (&f);
}

/* The writer process of test_ws_events_other_process(): creates a tag
 * through its own store on the database @path. */
static int
write_tag (const char *path,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughStore) store = bough_store_open (path, &error);
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(JsonObject) data = json_object_new ();
  JsonObject *value = json_object_new ();
  g_autoptr(BoughNode) node = NULL;

  g_assert_no_error (error);
  txn = bough_store_begin (store, NULL, "other-process", &error);
  g_assert_no_error (error);
  json_object_set_string_member (value, "value", name);
  json_object_set_object_member (data, "name", value);
  node = bough_txn_create (txn, "BuiltinTag", data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
  return 0;
}

static const char *self_path;

static void
test_ws_events_other_process (void)
{
  ApiFixture f = { 0 };
  Client client;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) writer = NULL;
  JsonArray *events;
  JsonObject *e;
  const char *db;

  setup (&f);
  db = bough_config_get_database_path (bough_server_get_config (f.server));
  client_connect (&f, &client, "graphql");
  client_init (&client);
  events_subscribe (&client, EVENTS_START ("other", "(primary_node__ids: [], event_type: [])"), "other");
  g_clear_pointer (&data, json_object_unref);
  client_send (&client, "{\"type\": \"stop\", \"id\": \"other\"}");
  data = client_expect (&client, "complete", "other");
  events_subscribe (&client, EVENTS_START ("other", ""), "other");

  writer = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_path, "--write-tag", db, "from-afar", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (writer, NULL, &error));
  g_assert_no_error (error);

  g_clear_pointer (&data, json_object_unref);
  data = client_expect (&client, "data", "other");
  events = events_of (data);
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  e = json_array_get_object_element (events, 0);
  g_assert_cmpstr (json_object_get_string_member (e, "event"), ==, "infrahub.node.created");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (e, "primary_node"), "kind"),
                   ==, "BuiltinTag");
  client_free (&client);
  api_fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--write-tag"))
    return write_tag (argv[2], argv[3]);
  self_path = argv[0];
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ws/subscribe", test_ws_subscribe);
  g_test_add_func ("/ws/before-init", test_ws_before_init);
  g_test_add_func ("/ws/unauthenticated", test_ws_unauthenticated);
  g_test_add_func ("/ws/cap", test_ws_cap);
  g_test_add_func ("/ws/errors", test_ws_errors);
  g_test_add_func ("/ws/branch", test_ws_branch);
  g_test_add_func ("/ws/shutdown", test_ws_shutdown);
  g_test_add_func ("/ws/init-timeout", test_ws_init_timeout);
  g_test_add_func ("/ws/limits", test_ws_limits);
  g_test_add_func ("/ws/events", test_ws_events);
  g_test_add_func ("/ws/events-other-process", test_ws_events_other_process);
  g_test_add_func ("/ws/tasks", test_ws_tasks);

  return g_test_run ();
}
