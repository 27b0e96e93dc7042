/* test-http.c: the HTTP front: routing, 404/405/413 with the API error body,
 * JSON replies.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-http"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "http/bough-http.h"

typedef struct
{
  SoupServer      *server;
  BoughHttpRouter *router;
  SoupSession     *session;
  GUri            *base;
  guint            hits;
} Fixture;

typedef struct
{
  guint       status;
  GBytes     *body;
  SoupMessage *msg;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_object (&reply->msg);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reply, reply_clear)

static void
hello_cb (SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();

  fixture->hits++;
  json_object_set_string_member (object, "path", path);
  json_object_set_string_member (object, "name",
                                 query != NULL ? g_hash_table_lookup (query, "name") : NULL);
  json_node_set_object (node, object);
  bough_http_reply_json (msg, SOUP_STATUS_OK, node);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *base = NULL;
  GSList *listeners;

  fixture->server = soup_server_new (NULL, NULL);
  fixture->router = bough_http_router_new (fixture->server);
  bough_http_router_set_max_body_size (fixture->router, 64);
  bough_http_router_add (fixture->router, "GET", "/api/hello", hello_cb, fixture, NULL);
  bough_http_router_add (fixture->router, "POST", "/api/hello", hello_cb, fixture, NULL);
  bough_http_router_add (fixture->router, "GET", "/api/files/*", hello_cb, fixture, NULL);

  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  /* Not soup_server_get_uris(): it leaks in libsoup 3.2. */
  listeners = soup_server_get_listeners (fixture->server);
  address = g_socket_get_local_address (listeners->data, &error);
  g_assert_no_error (error);
  g_slist_free (listeners);
  base = g_strdup_printf ("http://127.0.0.1:%u/",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  fixture->base = g_uri_parse (base, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);

  fixture->session = soup_session_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  soup_session_abort (fixture->session);
  g_assert_finalize_object (fixture->session);
  /* Let the server see the closed connections before disconnecting it. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&fixture->router, bough_http_router_free);
  soup_server_disconnect (fixture->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->server);
  g_uri_unref (fixture->base);
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} Pending;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;

  pending->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                     &pending->error);
  pending->done = TRUE;
}

static void
request (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *body,
         gboolean    chunked,
         Reply      *reply)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (fixture->base, path, G_URI_FLAGS_NONE, NULL);
  Pending pending = { 0 };

  reply->msg = soup_message_new_from_uri (method, uri);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

      soup_message_set_request_body_from_bytes (reply->msg, "application/json", bytes);
      if (chunked)
        soup_message_headers_set_encoding (soup_message_get_request_headers (reply->msg),
                                           SOUP_ENCODING_CHUNKED);
    }

  soup_session_send_and_read_async (fixture->session, reply->msg, G_PRIORITY_DEFAULT, NULL,
                                    sent_cb, &pending);
  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (pending.error);
  reply->status = soup_message_get_status (reply->msg);
  reply->body = pending.body;
}

static JsonObject *
parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Asserts the reference error body: {"data": null, "errors": [{"message",
 * "extensions": {"code"}}]} with the HTTP status as code. */
static void
assert_error_body (Reply *reply,
                   guint  status)
{
  g_autoptr(JsonObject) object = NULL;
  JsonArray *errors;
  JsonObject *first;
  const char *content_type;

  g_assert_cmpuint (reply->status, ==, status);
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (reply->msg), NULL);
  g_assert_cmpstr (content_type, ==, "application/json");

  object = parse_object (reply->body);
  g_assert_true (json_object_has_member (object, "data"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "data")));
  errors = json_object_get_array_member (object, "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  first = json_array_get_object_element (errors, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "message"), !=, "");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (first, "extensions"),
                                               "code"), ==, status);
}

static void
test_http_route (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_auto(Reply) prefixed = { 0 };
  g_auto(Reply) head = { 0 };
  g_autoptr(JsonObject) object = NULL;

  request (fixture, "GET", "/api/hello?name=bough", NULL, FALSE, &reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
  object = parse_object (reply.body);
  g_assert_cmpstr (json_object_get_string_member (object, "path"), ==, "/api/hello");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "bough");
  g_clear_pointer (&object, json_object_unref);

  request (fixture, "GET", "/api/files/a/b.txt", NULL, FALSE, &prefixed);
  g_assert_cmpuint (prefixed.status, ==, SOUP_STATUS_OK);
  object = parse_object (prefixed.body);
  g_assert_cmpstr (json_object_get_string_member (object, "path"), ==, "/api/files/a/b.txt");

  request (fixture, "HEAD", "/api/hello", NULL, FALSE, &head);
  g_assert_cmpuint (head.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (fixture->hits, ==, 3);
}

static void
test_http_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  const char * const paths[] = { "/", "/api", "/api/hello/extra", "/api/files", "/nope" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(Reply) reply = { 0 };

      request (fixture, "GET", paths[i], NULL, FALSE, &reply);
      assert_error_body (&reply, SOUP_STATUS_NOT_FOUND);
    }
  g_assert_cmpuint (fixture->hits, ==, 0);
}

static void
test_http_wrong_method (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(Reply) reply = { 0 };
  g_auto(Reply) prefixed = { 0 };
  const char *allow;

  request (fixture, "DELETE", "/api/hello", NULL, FALSE, &reply);
  assert_error_body (&reply, SOUP_STATUS_METHOD_NOT_ALLOWED);
  allow = soup_message_headers_get_one (soup_message_get_response_headers (reply.msg), "Allow");
  g_assert_cmpstr (allow, ==, "GET, POST");

  request (fixture, "PUT", "/api/files/x", "{}", FALSE, &prefixed);
  assert_error_body (&prefixed, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpuint (fixture->hits, ==, 0);
}

static void
test_http_body_limit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Reply) small = { 0 };
  g_auto(Reply) large = { 0 };
  g_auto(Reply) chunked = { 0 };
  g_autofree char *body = g_strnfill (65, 'x');

  request (fixture, "POST", "/api/hello", "{\"fits\": true}", FALSE, &small);
  g_assert_cmpuint (small.status, ==, SOUP_STATUS_OK);

  request (fixture, "POST", "/api/hello", body, FALSE, &large);
  assert_error_body (&large, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  request (fixture, "POST", "/api/hello", body, TRUE, &chunked);
  assert_error_body (&chunked, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);

  /* Only the request that fits reached the handler. */
  g_assert_cmpuint (fixture->hits, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/http/route", Fixture, NULL, fixture_setup, test_http_route, fixture_teardown);
  g_test_add ("/http/not-found", Fixture, NULL, fixture_setup, test_http_not_found, fixture_teardown);
  g_test_add ("/http/wrong-method", Fixture, NULL, fixture_setup, test_http_wrong_method,
              fixture_teardown);
  g_test_add ("/http/body-limit", Fixture, NULL, fixture_setup, test_http_body_limit,
              fixture_teardown);

  return g_test_run ();
}
