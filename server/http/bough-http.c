/* bough-http.c: request routing, the worker pool that runs request work off
 * the main context, body size limit and JSON replies of the bough-server
 * HTTP front.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-http"

#include "config.h"

#include <string.h>

#include "bough-http.h"
#include "bough-http-private.h"

/* How long bough_http_router_drain() waits for replies to be written. */
#define DRAIN_TIMEOUT_USEC (30 * G_USEC_PER_SEC)

/* After refusing an oversize body, how much of it is read and dropped (and
 * for how long) before closing: closing with unread data resets the
 * connection, and the client could lose the refusal. */
#define LINGER_MAX_BYTES       (1024 * 1024)
#define LINGER_TIMEOUT_SECONDS 2

typedef struct
{
  char              *method;
  char              *path;
  gboolean           prefix;
  BoughHttpHandler   handler;
  BoughHttpWorkFunc  work;
  BoughHttpWebsocketFunc websocket;
  gpointer           user_data;
  GDestroyNotify     destroy;
} Route;

struct _BoughHttpRequest
{
  char       *method;
  char       *path;
  GPtrArray  *query;      /* name, value, name, value, ... in request order */
  GHashTable *headers;    /* lower-case name → value */
  GBytes     *body;
  guint       status;
  GBytes     *response;
  char       *content_type; /* NULL for application/json */
  GPtrArray  *response_headers; /* name, value, ...; nullable */
  char       *remote_host;
  gpointer        auth_data;
  GDestroyNotify  auth_destroy;
};

/* One request handed to the pool. Owned by the main context: created by the
 * dispatcher, freed once its reply is written (or its client is gone) and
 * its work has come back. */
typedef struct
{
  BoughHttpRouter   *router;
  const Route       *route;
  SoupServerMessage *msg;
  BoughHttpRequest  *request;
  /* A task of bough_http_router_run() instead of a request: */
  BoughHttpTaskFunc  task_work;
  BoughHttpTaskFunc  task_done;
  gpointer           task_data;
  gulong             finished_id;
  GSource           *deliver_source; /* set by the worker, read after it ran */
  gboolean           delivered;
  gboolean           finished;
} Job;

struct _BoughHttpRouter
{
  SoupServer   *server;
  GMainContext *context;
  GPtrArray    *routes;
  goffset       max_body_size;
  gulong        request_started_id;
  GThreadPool  *pool;
  guint         concurrency;
  GHashTable   *jobs;          /* set of Job*, main context only */
  gboolean      draining;
  char        **websocket_protocols;
  BoughHttpFront *front;
  BoughHttpAuthFunc auth;
  gpointer          auth_user_data;
};

static void
route_free (Route *route)
{
  if (route->destroy != NULL)
    route->destroy (route->user_data);
  g_free (route->method);
  g_free (route->path);
  g_free (route);
}

static gboolean
route_matches_path (const Route *route,
                    const char  *path)
{
  if (route->prefix)
    return g_str_has_prefix (path, route->path);
  return g_str_equal (path, route->path);
}

static gboolean
route_matches_method (const Route *route,
                      const char  *method)
{
  if (g_str_equal (route->method, method))
    return TRUE;
  /* HEAD is GET without a body, which libsoup leaves out by itself. */
  return g_str_equal (method, SOUP_METHOD_HEAD) && g_str_equal (route->method, SOUP_METHOD_GET);
}

static void
reply_too_large (SoupServerMessage *msg,
                 goffset            max_body_size)
{
  bough_http_reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                          "request body larger than the limit of %" G_GOFFSET_FORMAT " bytes",
                          max_body_size);
}

static GBytes *
error_body_new (guint       status,
                const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *data;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "extensions");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, status);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static void
set_response (SoupServerMessage *msg,
              guint              status,
              const char        *content_type,
              GBytes            *body,
              GPtrArray         *headers)
{
  gsize length;
  gconstpointer data = g_bytes_get_data (body, &length);
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);

  for (guint i = 0; headers != NULL && i + 1 < headers->len; i += 2)
    soup_message_headers_append (out, g_ptr_array_index (headers, i),
                                 g_ptr_array_index (headers, i + 1));

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type ? content_type : "application/json",
                                    SOUP_MEMORY_COPY, data, length);
}

static BoughHttpRequest *
request_new (SoupServerMessage *msg,
             const char        *path)
{
  BoughHttpRequest *request = g_new0 (BoughHttpRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->remote_host = g_strdup (soup_server_message_get_remote_host (msg));
  request->path = g_strdup (path);
  request->query = g_ptr_array_new_with_free_func (g_free);
  request->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Parsed here rather than taken from libsoup's table, which keeps only the
   * last of repeated names (the SDK repeats `namespaces`). */
  if (query != NULL)
    {
      GUriParamsIter params;
      char *key;
      char *val;

      g_uri_params_iter_init (&params, query, -1, "&", G_URI_PARAMS_WWW_FORM);
      while (g_uri_params_iter_next (&params, &key, &val, NULL))
        {
          g_ptr_array_add (request->query, key);
          g_ptr_array_add (request->query, val);
        }
    }

  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_replace (request->headers, g_ascii_strdown (name, -1), g_strdup (value));

  if (body != NULL && body->length > 0)
    {
      g_autoptr(GBytes) flat = soup_message_body_flatten (body);

      request->body = g_bytes_ref (flat);
    }
  else
    request->body = g_bytes_new_static ("", 0);

  return request;
}

static void
request_free (BoughHttpRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_ptr_array_unref (request->query);
  g_hash_table_unref (request->headers);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->response, g_bytes_unref);
  g_free (request->content_type);
  g_clear_pointer (&request->response_headers, g_ptr_array_unref);
  g_free (request->remote_host);
  if (request->auth_destroy != NULL && request->auth_data != NULL)
    request->auth_destroy (request->auth_data);
  g_free (request);
}

static void
job_free (Job *job)
{
  if (job->msg != NULL)
    g_clear_signal_handler (&job->finished_id, job->msg);
  if (job->deliver_source != NULL)
    {
      g_source_destroy (job->deliver_source);
      g_source_unref (job->deliver_source);
    }
  g_clear_object (&job->msg);
  g_clear_pointer (&job->request, request_free);
  g_free (job);
}

static void
job_finished_cb (SoupServerMessage *msg,
                 Job               *job)
{
  job->finished = TRUE;
  /* A job whose work has not come back yet is freed on delivery. */
  if (job->delivered)
    g_hash_table_remove (job->router->jobs, job);
}

static gboolean
job_deliver_cb (gpointer user_data)
{
  Job *job = user_data;

  job->delivered = TRUE;
  g_clear_pointer (&job->deliver_source, g_source_unref);

  if (job->task_work != NULL)
    {
      job->task_done (job->task_data);
      g_hash_table_remove (job->router->jobs, job);
      return G_SOURCE_REMOVE;
    }

  if (job->finished)
    {
      /* The client went away meanwhile: nothing to answer. */
      g_hash_table_remove (job->router->jobs, job);
      return G_SOURCE_REMOVE;
    }

  set_response (job->msg, job->request->status, job->request->content_type,
                job->request->response, job->request->response_headers);
  soup_server_message_unpause (job->msg);
  return G_SOURCE_REMOVE;
}

static void
job_run (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  GSource *source;

  if (job->task_work != NULL)
    job->task_work (job->task_data);
  else if (job->router->auth == NULL ||
           job->router->auth (job->request, job->router->auth_user_data))
    job->route->work (job->request, job->route->user_data);
  if (job->request != NULL && job->request->response == NULL)
    bough_http_request_reply_error (job->request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                    "the request was not answered");

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, job_deliver_cb, job, NULL);
  g_source_set_static_name (source, "[bough] deliver reply");
  job->deliver_source = source;
  g_source_attach (source, job->router->context);
}

static void
ensure_pool (BoughHttpRouter *self)
{
  g_autoptr(GError) error = NULL;

  if (self->pool == NULL)
    {
      self->pool = g_thread_pool_new (job_run, self, self->concurrency, TRUE, &error);
      g_assert_no_error (error);
    }
}

/**
 * bough_http_router_run:
 * @self: a #BoughHttpRouter
 * @work: run on a worker thread of the pool, with @data
 * @done: run on the router's main context once @work returned, with @data
 * @data: the task's data, owned by the caller until @done runs
 *
 * Runs work that is not a request (websocket subscriptions) on the router's
 * pool, so that it shares the pool's bound on threads and is waited for by
 * bough_http_router_drain().
 *
 * Returns: %FALSE (and runs nothing) when the router is draining
 */
gboolean
bough_http_router_run (BoughHttpRouter   *self,
                       BoughHttpTaskFunc  work,
                       BoughHttpTaskFunc  done,
                       gpointer           data)
{
  Job *job;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (work != NULL && done != NULL, FALSE);

  if (self->draining)
    return FALSE;
  ensure_pool (self);

  job = g_new0 (Job, 1);
  job->router = self;
  job->task_work = work;
  job->task_done = done;
  job->task_data = data;
  g_hash_table_add (self->jobs, job);
  g_thread_pool_push (self->pool, job, NULL);
  return TRUE;
}

static void
start_job (BoughHttpRouter   *self,
           const Route       *route,
           SoupServerMessage *msg,
           const char        *path)
{
  Job *job;

  if (self->draining)
    {
      g_autoptr(GBytes) body = error_body_new (SOUP_STATUS_SERVICE_UNAVAILABLE,
                                               "the server is shutting down");

      set_response (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL, body, NULL);
      return;
    }

  ensure_pool (self);

  job = g_new0 (Job, 1);
  job->router = self;
  job->route = route;
  job->msg = g_object_ref (msg);
  job->request = request_new (msg, path);
  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (job_finished_cb), job);
  g_hash_table_add (self->jobs, job);

  soup_server_message_pause (msg);
  g_thread_pool_push (self->pool, job, NULL);
}

/* A connection taken over from libsoup to refuse a request before its body:
 * the reply is written, then the rest of the input dropped for a while. */
typedef struct
{
  GIOStream    *stream;
  GCancellable *cancellable;
  GSource      *timeout;
  GBytes       *reply;
  gsize         discarded;
  char          buffer[8192];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  if (refusal->timeout != NULL)
    {
      g_source_destroy (refusal->timeout);
      g_source_unref (refusal->timeout);
    }
  g_clear_object (&refusal->cancellable);
  g_clear_object (&refusal->stream);
  g_clear_pointer (&refusal->reply, g_bytes_unref);
  g_free (refusal);
}

static void
refusal_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  refusal_free (user_data);
}

static void
refusal_close (Refusal *refusal)
{
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, refusal_closed_cb, refusal);
}

static void
refusal_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (refusal->discarded += n) >= LINGER_MAX_BYTES)
    {
      refusal_close (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT, refusal->cancellable, refusal_read_cb, refusal);
}

static gboolean
refusal_timeout_cb (gpointer user_data)
{
  Refusal *refusal = user_data;

  g_cancellable_cancel (refusal->cancellable);
  g_clear_pointer (&refusal->timeout, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
refusal_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_close (refusal);
      return;
    }

  if (G_IS_SOCKET_CONNECTION (refusal->stream))
    g_socket_shutdown (g_socket_connection_get_socket (G_SOCKET_CONNECTION (refusal->stream)),
                       FALSE, TRUE, NULL);

  refusal->timeout = g_timeout_source_new_seconds (LINGER_TIMEOUT_SECONDS);
  g_source_set_callback (refusal->timeout, refusal_timeout_cb, refusal, NULL);
  g_source_attach (refusal->timeout, g_main_context_get_thread_default ());
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_DEFAULT, refusal->cancellable,
                             refusal_read_cb, refusal);
}

/* Answers @status with the API error body and closes the connection without
 * reading the request body: libsoup would otherwise read (and keep) all of
 * it before answering, unless the client asked for 100-continue. */
/* A whole HTTP/1.1 response with the API error body that closes the
 * connection, for replies written past libsoup. */
GBytes *
_bough_http_raw_reply_new (guint       status,
                           const char *message)
{
  g_autoptr(GBytes) body = error_body_new (status, message);
  g_autoptr(GString) reply = g_string_new (NULL);
  gsize length;
  gconstpointer data = g_bytes_get_data (body, &length);

  g_string_append_printf (reply,
                          "HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          status,
                          status == 431 ? "Request Header Fields Too Large"
                                        : soup_status_get_phrase (status),
                          length);
  g_string_append_len (reply, data, length);
  return g_string_free_to_bytes (g_steal_pointer (&reply));
}

/* Writes @reply on @stream (taking it over), then drops what the client
 * still sends for a while before closing. */
void
_bough_http_linger (GIOStream *stream,
                    GBytes    *reply)
{
  Refusal *refusal;
  gsize length;
  gconstpointer data;

  refusal = g_new0 (Refusal, 1);
  refusal->stream = g_object_ref (stream);
  refusal->cancellable = g_cancellable_new ();
  refusal->reply = g_bytes_ref (reply);
  data = g_bytes_get_data (refusal->reply, &length);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream), data, length,
                                   G_PRIORITY_DEFAULT, refusal->cancellable, refusal_written_cb,
                                   refusal);
}

static void
refuse_and_close (SoupServerMessage *msg,
                  guint              status,
                  const char        *message)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GBytes) reply = NULL;

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      g_autoptr(GBytes) body = error_body_new (status, message);

      set_response (msg, status, NULL, body, NULL);
      return;
    }
  reply = _bough_http_raw_reply_new (status, message);
  _bough_http_linger (stream, reply);
}

static void
got_headers_cb (SoupServerMessage *msg,
                BoughHttpRouter   *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *message = NULL;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH ||
      soup_message_headers_get_content_length (headers) <= self->max_body_size)
    return;

  /* Refused from the declared length, before any of the body is read. With
   * 100-continue libsoup answers without reading the body and keeps the
   * connection; otherwise it would read all of it first. */
  if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
    {
      reply_too_large (msg, self->max_body_size);
      return;
    }
  message = g_strdup_printf ("request body larger than the limit of %" G_GOFFSET_FORMAT " bytes",
                             self->max_body_size);
  refuse_and_close (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, message);
}

/* A chunked body declares no length: it is counted as it arrives, so that
 * an endless one is cut off at the limit rather than kept in memory. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              BoughHttpRouter   *self)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *message = NULL;

  if (body == NULL || body->length <= self->max_body_size)
    return;

  g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, self);
  message = g_strdup_printf ("request body larger than the limit of %" G_GOFFSET_FORMAT " bytes",
                             self->max_body_size);
  refuse_and_close (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, message);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    BoughHttpRouter   *self)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), self);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self);
}

static gboolean
is_websocket_request (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  return g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET) &&
         soup_message_headers_header_contains (headers, "Upgrade", "websocket");
}

/* Once the 101 is written, the connection leaves HTTP for the websocket. */
static void
websocket_upgraded_cb (SoupServerMessage *msg,
                       const Route       *route)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(SoupServerMessage) hold = g_object_ref (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  g_signal_handlers_disconnect_by_func (msg, websocket_upgraded_cb, (gpointer) route);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  connection = soup_websocket_connection_new (
    stream, uri, SOUP_WEBSOCKET_CONNECTION_SERVER,
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin"),
    soup_message_headers_get_one (soup_server_message_get_response_headers (msg),
                                  "Sec-WebSocket-Protocol"),
    NULL);
  route->websocket (msg, g_uri_get_path (uri), connection, route->user_data);
}

/* The handshake is answered here rather than by libsoup's websocket
 * handlers, which would also see (and refuse) the plain requests of a path
 * whose work is still running on the pool. */
static void
start_websocket (BoughHttpRouter   *self,
                 const Route       *route,
                 SoupServerMessage *msg)
{
  if (self->draining)
    {
      bough_http_reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "the server is shutting down");
      return;
    }
  /* On failure it sets the error status itself. */
  if (soup_websocket_server_process_handshake (msg, NULL, self->websocket_protocols, NULL, NULL))
    g_signal_connect (msg, "wrote-informational", G_CALLBACK (websocket_upgraded_cb),
                      (gpointer) route);
}

static void
dispatch_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  BoughHttpRouter *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GString) allowed = NULL;

  /* A chunked body has no declared length: check what was read. */
  if (body != NULL && body->length > self->max_body_size)
    {
      reply_too_large (msg, self->max_body_size);
      return;
    }

  for (guint i = 0; i < self->routes->len; i++)
    {
      const Route *route = g_ptr_array_index (self->routes, i);

      if (!route_matches_path (route, path))
        continue;

      if (route->websocket != NULL)
        {
          /* Other requests on the path go on to the other routes. */
          if (is_websocket_request (msg))
            {
              start_websocket (self, route, msg);
              return;
            }
          continue;
        }

      if (route_matches_method (route, method))
        {
          if (route->work != NULL)
            start_job (self, route, msg, path);
          else
            route->handler (msg, path, query, route->user_data);
          return;
        }

      if (allowed == NULL)
        allowed = g_string_new (route->method);
      else if (strstr (allowed->str, route->method) == NULL)
        g_string_append_printf (allowed, ", %s", route->method);
    }

  if (allowed != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", allowed->str);
      bough_http_reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                              "method %s not allowed on %s", method, path);
      return;
    }

  bough_http_reply_error (msg, SOUP_STATUS_NOT_FOUND, "%s not found", path);
}

/**
 * bough_http_router_new:
 * @server: the #SoupServer whose requests to route
 *
 * Creates a router handling every path of @server: requests reach the handler
 * registered for their method and path, an unknown path gets 404, a known path
 * with another method 405, a body over the size limit 413, all with the API's
 * JSON error body. Work added with bough_http_router_add_work() runs on a pool
 * of worker threads; its replies are written from the thread-default main
 * context of the caller.
 *
 * Returns: (transfer full): a new router, to free before @server
 */
BoughHttpRouter *
bough_http_router_new (SoupServer *server)
{
  BoughHttpRouter *self;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);

  self = g_new0 (BoughHttpRouter, 1);
  self->server = g_object_ref (server);
  self->routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_free);
  self->max_body_size = G_MAXINT32;
  self->context = g_main_context_ref_thread_default ();
  self->concurrency = 4;
  self->jobs = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) job_free, NULL);
  self->request_started_id = g_signal_connect (server, "request-started",
                                               G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (server, "/", dispatch_cb, self, NULL);
  self->front = _bough_http_front_new (server);
  return self;
}

void
bough_http_router_free (BoughHttpRouter *self)
{
  if (self == NULL)
    return;

  bough_http_router_drain (self);
  /* Replies still being written when the drain gave up lose their job only;
   * libsoup keeps the message until the connection closes. */
  g_hash_table_unref (self->jobs);
  g_main_context_unref (self->context);
  g_clear_pointer (&self->front, _bough_http_front_free);

  soup_server_remove_handler (self->server, "/");
  g_clear_signal_handler (&self->request_started_id, self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->routes);
  g_strfreev (self->websocket_protocols);
  g_free (self);
}

static Route *
add_route (BoughHttpRouter *self,
           const char      *method,
           const char      *path,
           gpointer         user_data,
           GDestroyNotify   destroy)
{
  Route *route = g_new0 (Route, 1);

  route->method = g_strdup (method);
  route->prefix = g_str_has_suffix (path, "/*");
  route->path = route->prefix ? g_strndup (path, strlen (path) - 1) : g_strdup (path);
  route->user_data = user_data;
  route->destroy = destroy;
  g_ptr_array_add (self->routes, route);
  return route;
}

/**
 * bough_http_router_add:
 * @self: a #BoughHttpRouter
 * @method: an HTTP method such as `GET`
 * @path: an absolute path; a path ending in a slash and an asterisk matches every path under it
 * @handler: the handler
 * @user_data: data for @handler
 * @destroy: (nullable): frees @user_data with the router
 *
 * Routes requests for @method and @path to @handler. The first matching route
 * added wins.
 */
void
bough_http_router_add (BoughHttpRouter  *self,
                       const char       *method,
                       const char       *path,
                       BoughHttpHandler  handler,
                       gpointer          user_data,
                       GDestroyNotify    destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (handler != NULL);

  add_route (self, method, path, user_data, destroy)->handler = handler;
}

/**
 * bough_http_router_add_work:
 * @self: a #BoughHttpRouter
 * @method: an HTTP method such as `GET`
 * @path: an absolute path, as for bough_http_router_add()
 * @work: the function run on a worker thread
 * @user_data: data for @work, which must be safe to use from several threads
 * @destroy: (nullable): frees @user_data with the router
 *
 * Routes requests for @method and @path to @work, run on the router's pool of
 * worker threads so that a slow request never holds up the others: the
 * message is paused, @work runs, and its reply is written and the message
 * unpaused on the main context.
 */
void
bough_http_router_add_work (BoughHttpRouter   *self,
                            const char        *method,
                            const char        *path,
                            BoughHttpWorkFunc  work,
                            gpointer           user_data,
                            GDestroyNotify     destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (work != NULL);

  add_route (self, method, path, user_data, destroy)->work = work;
}

/**
 * bough_http_router_add_websocket:
 * @self: a #BoughHttpRouter
 * @path: an absolute path, as for bough_http_router_add()
 * @protocols: (nullable) (array zero-terminated=1): the sub-protocols accepted
 *   (a client that names none is accepted too)
 * @func: called on the main context with each new websocket connection
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data with the router
 *
 * Accepts websocket upgrades on @path; other requests on @path still reach
 * the routes added for them. The sub-protocols apply to every websocket
 * route of the router.
 */
void
bough_http_router_add_websocket (BoughHttpRouter        *self,
                                 const char             *path,
                                 const char * const     *protocols,
                                 BoughHttpWebsocketFunc  func,
                                 gpointer                user_data,
                                 GDestroyNotify          destroy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (func != NULL);

  add_route (self, SOUP_METHOD_GET, path, user_data, destroy)->websocket = func;
  g_strfreev (self->websocket_protocols);
  self->websocket_protocols = g_strdupv ((char **) protocols);
}

/**
 * bough_http_router_listen:
 * @self: a #BoughHttpRouter
 * @address: the address to listen on (port 0 picks a free one)
 * @port: (out) (optional): the port really bound
 * @error: return location for a #GError
 *
 * Listens on @address and hands each connection to the router's server
 * under the limits of bough_http_router_set_connection_limits(): libsoup
 * 3.2 has no server-side timeouts, so the router keeps the deadlines
 * itself. Use it instead of soup_server_listen().
 *
 * Returns: %TRUE once listening
 */
gboolean
bough_http_router_listen (BoughHttpRouter  *self,
                          GSocketAddress   *address,
                          guint16          *port,
                          GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _bough_http_front_listen (self->front, address, port, error);
}

/**
 * bough_http_router_set_connection_limits:
 * @self: a #BoughHttpRouter
 * @max_connections: open connections at most; one more is answered 503 and closed
 * @max_header_size: the largest request line and headers, in bytes (431 beyond)
 * @header_timeout: seconds to receive a request's headers, from their first
 *   byte (from the connection's opening for its first request); then 408
 * @body_timeout: seconds a request body may stall without a byte; then 408
 * @idle_timeout: seconds an idle keep-alive connection stays open
 *
 * Sets the limits of the connections accepted by bough_http_router_listen();
 * a client past one is disconnected (after the status, when there is one).
 */
void
bough_http_router_set_connection_limits (BoughHttpRouter *self,
                                         guint            max_connections,
                                         gsize            max_header_size,
                                         guint            header_timeout,
                                         guint            body_timeout,
                                         guint            idle_timeout)
{
  BoughHttpLimits limits = {
    max_connections, max_header_size, header_timeout, body_timeout, idle_timeout,
  };

  g_return_if_fail (self != NULL);
  g_return_if_fail (max_connections > 0 && max_header_size > 0);
  g_return_if_fail (header_timeout > 0 && body_timeout > 0 && idle_timeout > 0);

  _bough_http_front_set_limits (self->front, &limits);
}

/**
 * bough_http_router_set_concurrency:
 * @self: a #BoughHttpRouter
 * @concurrency: how many requests may run at once (at least 1)
 *
 * Sets the number of worker threads; call it before the first request.
 */
void
bough_http_router_set_concurrency (BoughHttpRouter *self,
                                   guint            concurrency)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (concurrency > 0);

  self->concurrency = concurrency;
  if (self->pool != NULL)
    g_thread_pool_set_max_threads (self->pool, concurrency, NULL);
}

/**
 * bough_http_router_get_in_flight:
 * @self: a #BoughHttpRouter
 *
 * Returns: the number of requests handed to the pool whose reply is not yet
 *   written
 */
guint
bough_http_router_get_in_flight (BoughHttpRouter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->jobs);
}

static gboolean
drain_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/**
 * bough_http_router_drain:
 * @self: a #BoughHttpRouter
 *
 * Finishes the requests in flight before shutdown: new work is refused with
 * 503, queued and running work completes, and the main context is iterated
 * until their replies are written (or a generous timeout passes). Call it
 * from the thread owning the router's main context, before closing what the
 * work uses.
 */
void
bough_http_router_drain (BoughHttpRouter *self)
{
  GSource *tick;
  gint64 deadline;

  g_return_if_fail (self != NULL);

  self->draining = TRUE;
  if (self->pool != NULL)
    {
      /* Waits for queued and running work; none of it needs this thread. */
      g_thread_pool_free (self->pool, FALSE, TRUE);
      self->pool = NULL;
    }

  if (g_hash_table_size (self->jobs) == 0)
    return;

  /* Wakes the loop now and then so that the deadline is seen. */
  tick = g_timeout_source_new (100);
  g_source_set_callback (tick, drain_tick_cb, NULL, NULL);
  g_source_attach (tick, self->context);

  deadline = g_get_monotonic_time () + DRAIN_TIMEOUT_USEC;
  while (g_hash_table_size (self->jobs) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (self->context, TRUE);

  g_source_destroy (tick);
  g_source_unref (tick);
}

/**
 * bough_http_router_set_max_body_size:
 * @self: a #BoughHttpRouter
 * @max_body_size: the largest request body accepted, in bytes
 *
 * Sets the request body size limit; larger requests get 413.
 */
void
bough_http_router_set_max_body_size (BoughHttpRouter *self,
                                     goffset          max_body_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_body_size >= 0);

  self->max_body_size = max_body_size;
}

/**
 * bough_http_reply_json:
 * @msg: a request
 * @status: the HTTP status
 * @node: the JSON body
 *
 * Sets the response of @msg to @status with @node as an `application/json` body.
 */
void
bough_http_reply_json (SoupServerMessage *msg,
                       guint              status,
                       JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = NULL;
  char *body;
  gsize length;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (node != NULL);

  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  body = json_generator_to_data (generator, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, length);
}

/**
 * bough_http_reply_error:
 * @msg: a request
 * @status: the HTTP status
 * @format: printf format of the message
 * @...: its arguments
 *
 * Replies with the API's error body,
 * `{"data": null, "errors": [{"message": ..., "extensions": {"code": status}}]}`.
 */
void
bough_http_reply_error (SoupServerMessage *msg,
                        guint              status,
                        const char        *format,
                        ...)
{
  g_autoptr(GBytes) body = NULL;
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  body = error_body_new (status, message);
  set_response (msg, status, NULL, body, NULL);
}

const char *
bough_http_request_get_method (BoughHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->method;
}

const char *
bough_http_request_get_path (BoughHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->path;
}

/**
 * bough_http_request_get_query:
 * @request: a request
 * @name: a query parameter name
 *
 * Returns: (nullable): the first value of @name in the query string
 */
const char *
bough_http_request_get_query (BoughHttpRequest *request,
                              const char       *name)
{
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i + 1 < request->query->len; i += 2)
    if (g_str_equal (g_ptr_array_index (request->query, i), name))
      return g_ptr_array_index (request->query, i + 1);
  return NULL;
}

/**
 * bough_http_request_get_query_all:
 * @request: a request
 * @name: a query parameter name
 *
 * Returns: (transfer full): every value of @name in request order (possibly empty)
 */
char **
bough_http_request_get_query_all (BoughHttpRequest *request,
                                  const char       *name)
{
  GPtrArray *values;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  values = g_ptr_array_new ();
  for (guint i = 0; i + 1 < request->query->len; i += 2)
    if (g_str_equal (g_ptr_array_index (request->query, i), name))
      g_ptr_array_add (values, g_strdup (g_ptr_array_index (request->query, i + 1)));
  g_ptr_array_add (values, NULL);
  return (char **) g_ptr_array_free (values, FALSE);
}

/**
 * bough_http_request_get_remote_host:
 * @request: a request
 *
 * Returns: (nullable): the client's address as text
 */
const char *
bough_http_request_get_remote_host (BoughHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->remote_host;
}

/**
 * bough_http_request_add_response_header:
 * @request: a request
 * @name: a header name
 * @value: its value
 *
 * Adds a header to the reply (appended, so repeated names such as
 * Set-Cookie all go out).
 */
void
bough_http_request_add_response_header (BoughHttpRequest *request,
                                        const char       *name,
                                        const char       *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  if (request->response_headers == NULL)
    request->response_headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (request->response_headers, g_strdup (name));
  g_ptr_array_add (request->response_headers, g_strdup (value));
}

/**
 * bough_http_request_set_auth_data:
 * @request: a request
 * @data: (nullable): what the router's authentication hook found (the caller's identity)
 * @destroy: (nullable): frees @data with the request
 *
 * Attaches the result of authentication to the request.
 */
void
bough_http_request_set_auth_data (BoughHttpRequest *request,
                                  gpointer          data,
                                  GDestroyNotify    destroy)
{
  g_return_if_fail (request != NULL);

  if (request->auth_destroy != NULL && request->auth_data != NULL)
    request->auth_destroy (request->auth_data);
  request->auth_data = data;
  request->auth_destroy = destroy;
}

/**
 * bough_http_request_get_auth_data:
 * @request: a request
 *
 * Returns: (nullable) (transfer none): the data of bough_http_request_set_auth_data()
 */
gpointer
bough_http_request_get_auth_data (BoughHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->auth_data;
}

/**
 * bough_http_router_set_auth:
 * @self: a router
 * @auth: (nullable): run on the worker thread before each work function;
 *   returns %FALSE after replying (401) to stop the request there
 * @user_data: for @auth
 *
 * Sets the authentication hook of the work routes. Set it before listening.
 */
void
bough_http_router_set_auth (BoughHttpRouter   *self,
                            BoughHttpAuthFunc  auth,
                            gpointer           user_data)
{
  g_return_if_fail (self != NULL);

  self->auth = auth;
  self->auth_user_data = user_data;
}

/**
 * bough_http_request_get_header:
 * @request: a request
 * @name: a header name (any case)
 *
 * Returns: (nullable): the header's value
 */
const char *
bough_http_request_get_header (BoughHttpRequest *request,
                               const char       *name)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  lower = g_ascii_strdown (name, -1);
  return g_hash_table_lookup (request->headers, lower);
}

/**
 * bough_http_request_get_body:
 * @request: a request
 *
 * Returns: (transfer none): the request body (empty when there was none)
 */
GBytes *
bough_http_request_get_body (BoughHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return request->body;
}

/**
 * bough_http_request_reply_json:
 * @request: a request handed to a #BoughHttpWorkFunc
 * @status: the HTTP status
 * @node: the JSON body
 *
 * Sets the reply of @request; a later call replaces it.
 */
void
bough_http_request_reply_json (BoughHttpRequest *request,
                               guint             status,
                               JsonNode         *node)
{
  g_autoptr(JsonGenerator) generator = NULL;
  char *data;
  gsize length;

  g_return_if_fail (request != NULL);
  g_return_if_fail (node != NULL);

  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);

  g_clear_pointer (&request->response, g_bytes_unref);
  g_clear_pointer (&request->content_type, g_free);
  request->response = g_bytes_new_take (data, length);
  request->status = status;
}

/**
 * bough_http_request_reply_bytes:
 * @request: a request handed to a #BoughHttpWorkFunc
 * @status: the HTTP status
 * @content_type: (nullable): the body's media type, %NULL for `application/json`
 * @body: the body, sent as it is
 *
 * Sets the reply of @request to @body, for work that produces its response
 * text itself (GraphQL results, SDL).
 */
void
bough_http_request_reply_bytes (BoughHttpRequest *request,
                                guint             status,
                                const char       *content_type,
                                GBytes           *body)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (body != NULL);

  g_clear_pointer (&request->response, g_bytes_unref);
  g_free (request->content_type);
  request->content_type = g_strdup (content_type);
  request->response = g_bytes_ref (body);
  request->status = status;
}

/**
 * bough_http_request_reply_error:
 * @request: a request handed to a #BoughHttpWorkFunc
 * @status: the HTTP status
 * @format: printf format of the message
 * @...: its arguments
 *
 * Sets the reply of @request to the API's error body (see
 * bough_http_reply_error()).
 */
void
bough_http_request_reply_error (BoughHttpRequest *request,
                                guint             status,
                                const char       *format,
                                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (request != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_clear_pointer (&request->response, g_bytes_unref);
  g_clear_pointer (&request->content_type, g_free);
  request->response = error_body_new (status, message);
  request->status = status;
}
