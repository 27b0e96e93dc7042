/* test-http-pool.c: request work on the worker pool of a running server:
 * slow requests run side by side and do not hold up others, shutdown
 * finishes a request in flight before closing the store, and the error
 * replies (404, 405, 413, 503) keep the API's shape.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-http-pool"

#include "config.h"

#include "api-test-common.h"

/* A liveness guard only: the work below waits this long at most for its peer
 * before giving up, so a broken pool fails the test instead of hanging it. */
#define PEER_WAIT_USEC (20 * G_USEC_PER_SEC)

typedef struct
{
  GMutex      lock;
  GCond       cond;
  guint       arrived;
  gboolean    started;
  gboolean    release;
  BoughStore *store;
} Gate;

static void
gate_init (Gate *gate)
{
  g_mutex_init (&gate->lock);
  g_cond_init (&gate->cond);
}

static void
gate_clear (Gate *gate)
{
  g_mutex_clear (&gate->lock);
  g_cond_clear (&gate->cond);
}

static void
reply_met (BoughHttpRequest *request,
           gboolean          met)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_boolean_member (object, "met", met);
  node = json_node_init_object (json_node_alloc (), object);
  bough_http_request_reply_json (request, SOUP_STATUS_OK, node);
}

/* Each request waits for the other: both answer met=true only if the two ran
 * at the same time. */
static void
rendezvous_work (BoughHttpRequest *request,
                 gpointer          user_data)
{
  Gate *gate = user_data;
  gint64 deadline = g_get_monotonic_time () + PEER_WAIT_USEC;
  gboolean met = TRUE;

  g_mutex_lock (&gate->lock);
  gate->arrived++;
  g_cond_broadcast (&gate->cond);
  while (gate->arrived < 2 && met)
    met = g_cond_wait_until (&gate->cond, &gate->lock, deadline);
  met = gate->arrived >= 2;
  g_mutex_unlock (&gate->lock);

  reply_met (request, met);
}

/* Blocks until the test releases it. */
static void
blocked_work (BoughHttpRequest *request,
              gpointer          user_data)
{
  Gate *gate = user_data;
  gint64 deadline = g_get_monotonic_time () + PEER_WAIT_USEC;
  gboolean released = TRUE;

  g_mutex_lock (&gate->lock);
  gate->started = TRUE;
  g_cond_broadcast (&gate->cond);
  /* The test's main thread may be asleep in its main context. */
  g_main_context_wakeup (NULL);
  while (!gate->release && released)
    released = g_cond_wait_until (&gate->cond, &gate->lock, deadline);
  released = gate->release;
  g_mutex_unlock (&gate->lock);

  reply_met (request, released);
}

/* Signals its start, lets shutdown begin, then uses the store: this fails if
 * the store were closed under it. */
static void
in_flight_work (BoughHttpRequest *request,
                gpointer          user_data)
{
  Gate *gate = user_data;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  g_mutex_lock (&gate->lock);
  gate->started = TRUE;
  g_cond_broadcast (&gate->cond);
  /* The test's main thread may be asleep in its main context. */
  g_main_context_wakeup (NULL);
  g_mutex_unlock (&gate->lock);

  g_usleep (G_USEC_PER_SEC / 5);
  schema = bough_store_get_schema (gate->store, NULL, 0, &error);
  if (schema == NULL)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR, "%s",
                                      error->message);
      return;
    }
  json_object_set_string_member (object, "hash", bough_schema_get_hash (schema));
  node = json_node_init_object (json_node_alloc (), object);
  bough_http_request_reply_json (request, SOUP_STATUS_OK, node);
}

static gboolean
reply_met_value (ApiReply *reply)
{
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (reply->status, ==, SOUP_STATUS_OK);
  root = api_parse (reply->body);
  return json_object_get_boolean_member (json_node_get_object (root), "met");
}

static void
test_pool_concurrent (void)
{
  static const char * const env[] = { "BOUGH_WEB_CONCURRENCY=2", NULL };
  ApiFixture f = { 0 };
  Gate gate = { 0 };
  g_auto(ApiReply) first = { 0 };
  g_auto(ApiReply) second = { 0 };

  gate_init (&gate);
  api_fixture_start (&f, env);
  bough_http_router_add_work (bough_server_get_router (f.server), "GET", "/test/rendezvous",
                              rendezvous_work, &gate, NULL);

  api_send (&f, "GET", "/test/rendezvous", NULL, &first);
  api_send (&f, "GET", "/test/rendezvous", NULL, &second);
  api_wait (&first);
  api_wait (&second);

  g_assert_true (reply_met_value (&first));
  g_assert_true (reply_met_value (&second));

  api_fixture_stop (&f);
  gate_clear (&gate);
}

static void
test_pool_slow_does_not_block (void)
{
  static const char * const env[] = { "BOUGH_WEB_CONCURRENCY=2", NULL };
  ApiFixture f = { 0 };
  Gate gate = { 0 };
  g_auto(ApiReply) slow = { 0 };
  g_auto(ApiReply) info = { 0 };

  gate_init (&gate);
  api_fixture_start (&f, env);
  bough_http_router_add_work (bough_server_get_router (f.server), "GET", "/test/blocked",
                              blocked_work, &gate, NULL);

  api_send (&f, "GET", "/test/blocked", NULL, &slow);
  while (!g_atomic_int_get (&gate.started))
    g_main_context_iteration (NULL, TRUE);

  /* Answered while the slow request still holds its worker. */
  api_request (&f, "GET", "/api/info", NULL, &info);
  g_assert_cmpuint (info.status, ==, SOUP_STATUS_OK);
  g_assert_false (slow.done);
  g_assert_cmpuint (bough_http_router_get_in_flight (bough_server_get_router (f.server)), ==, 1);

  g_mutex_lock (&gate.lock);
  gate.release = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.lock);
  api_wait (&slow);
  g_assert_true (reply_met_value (&slow));

  api_fixture_stop (&f);
  gate_clear (&gate);
}

static void
test_pool_shutdown_in_flight (void)
{
  ApiFixture f = { 0 };
  Gate gate = { 0 };
  g_auto(ApiReply) reply = { 0 };
  g_autoptr(JsonNode) root = NULL;

  gate_init (&gate);
  api_fixture_start (&f, NULL);
  gate.store = bough_server_get_store (f.server);
  bough_http_router_add_work (bough_server_get_router (f.server), "GET", "/test/in-flight",
                              in_flight_work, &gate, NULL);

  api_send (&f, "GET", "/test/in-flight", NULL, &reply);
  while (!g_atomic_int_get (&gate.started))
    g_main_context_iteration (NULL, TRUE);

  /* Returns only once the request in flight is answered. */
  bough_server_stop (f.server);
  g_assert_null (bough_server_get_store (f.server));
  api_wait (&reply);
  g_assert_cmpuint (reply.status, ==, SOUP_STATUS_OK);
  root = api_parse (reply.body);
  g_assert_cmpuint (strlen (json_object_get_string_member (json_node_get_object (root), "hash")),
                    ==, 64);

  api_fixture_stop (&f);
  gate_clear (&gate);
}

static void
test_pool_draining_refuses (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) reply = { 0 };
  g_autofree char *message = NULL;

  api_fixture_start (&f, NULL);
  bough_http_router_drain (bough_server_get_router (f.server));

  api_request (&f, "GET", "/api/info", NULL, &reply);
  message = api_assert_error (&reply, SOUP_STATUS_SERVICE_UNAVAILABLE);
  g_assert_nonnull (strstr (message, "shutting down"));

  api_fixture_stop (&f);
}

static void
test_pool_errors (void)
{
  static const char * const env[] = { "BOUGH_WEB_MAX_BODY_SIZE=1024", NULL };
  ApiFixture f = { 0 };
  g_auto(ApiReply) not_found = { 0 };
  g_auto(ApiReply) api_not_found = { 0 };
  g_auto(ApiReply) wrong_method = { 0 };
  g_auto(ApiReply) too_large = { 0 };
  g_auto(ApiReply) fits = { 0 };
  g_autofree char *big = NULL;
  g_autofree char *message = NULL;
  g_autofree char *m1 = NULL;
  g_autofree char *m2 = NULL;
  g_autofree char *m3 = NULL;

  api_fixture_start (&f, env);

  api_request (&f, "GET", "/nowhere", NULL, &not_found);
  m1 = api_assert_error (&not_found, SOUP_STATUS_NOT_FOUND);
  api_request (&f, "GET", "/api/nothing/here", NULL, &api_not_found);
  m2 = api_assert_error (&api_not_found, SOUP_STATUS_NOT_FOUND);

  api_request (&f, "DELETE", "/api/schema/load", NULL, &wrong_method);
  m3 = api_assert_error (&wrong_method, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_nonnull (strstr (soup_message_headers_get_one (
                              soup_message_get_response_headers (wrong_method.msg), "Allow"),
                            "POST"));

  /* Over the limit: refused from Content-Length, the schema is unchanged. */
  big = g_strdup_printf ("{\"schemas\": [], \"pad\": \"%0*d\"}", 2000, 0);
  api_request (&f, "POST", "/api/schema/load", big, &too_large);
  message = api_assert_error (&too_large, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  g_assert_nonnull (strstr (message, "1024"));

  api_request (&f, "POST", "/api/schema/check", "{\"schemas\": []}", &fits);
  g_assert_cmpuint (fits.status, ==, SOUP_STATUS_ACCEPTED);

  api_fixture_stop (&f);
}

typedef struct
{
  guint16      port;
  const char  *request;
  gsize        length;
  char        *response;
  gboolean     done;
} RawExchange;

/* Sends a request that never ends and reads the answer. Runs on its own
 * thread while the test's main context serves. */
static gpointer
raw_exchange_thread (gpointer data)
{
  RawExchange *exchange = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", exchange->port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             exchange->request, exchange->length, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Read until the end of the JSON body of the answer. */
  while (strchr (response->str, '}') == NULL || !g_str_has_suffix (response->str, "}"))
    {
      n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)), buffer,
                               sizeof buffer, NULL, &error);
      g_assert_no_error (error);
      if (n == 0)
        break;
      g_string_append_len (response, buffer, n);
    }

  exchange->response = g_strdup (response->str);
  g_atomic_int_set (&exchange->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

static char *
raw_exchange (ApiFixture *f,
              const char *request,
              gsize       length)
{
  RawExchange exchange = { 0 };
  GThread *thread;

  exchange.port = g_uri_get_port (f->base);
  exchange.request = request;
  exchange.length = length;
  thread = g_thread_new ("raw-client", raw_exchange_thread, &exchange);
  while (!g_atomic_int_get (&exchange.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  return exchange.response;
}

static void
test_pool_refuse_before_body (void)
{
  static const char * const env[] = { "BOUGH_WEB_MAX_BODY_SIZE=1024", NULL };
  static const char declared[] =
    "POST /api/schema/load HTTP/1.1\r\n"
    "Host: 127.0.0.1\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 1000000000\r\n"
    "\r\n";
  ApiFixture f = { 0 };
  g_autoptr(GString) chunked = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  api_fixture_start (&f, env);

  /* Only the headers of a huge body: refused from Content-Length without
   * waiting for (or buffering) the body. */
  first = raw_exchange (&f, declared, sizeof declared - 1);
  g_assert_true (g_str_has_prefix (first, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (first, "\"code\":413"));

  /* A chunked body with no end in sight: cut off once over the limit. */
  g_string_append (chunked,
                   "POST /api/schema/load HTTP/1.1\r\n"
                   "Host: 127.0.0.1\r\n"
                   "Content-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n"
                   "\r\n");
  for (guint i = 0; i < 16; i++)
    {
      g_string_append (chunked, "100\r\n");
      for (guint j = 0; j < 256; j++)
        g_string_append_c (chunked, ' ');
      g_string_append (chunked, "\r\n");
    }
  second = raw_exchange (&f, chunked->str, chunked->len);
  g_assert_true (g_str_has_prefix (second, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (second, "\"code\":413"));

  api_fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/http-pool/concurrent", test_pool_concurrent);
  g_test_add_func ("/http-pool/slow-does-not-block", test_pool_slow_does_not_block);
  g_test_add_func ("/http-pool/shutdown-in-flight", test_pool_shutdown_in_flight);
  g_test_add_func ("/http-pool/draining-refuses", test_pool_draining_refuses);
  g_test_add_func ("/http-pool/errors", test_pool_errors);
  g_test_add_func ("/http-pool/refuse-before-body", test_pool_refuse_before_body);

  return g_test_run ();
}
