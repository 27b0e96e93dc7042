/* bough-http.c: request routing, body size limit and JSON replies of the
 * bough-server HTTP front.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-http"

#include "config.h"

#include <string.h>

#include "bough-http.h"

typedef struct
{
  char             *method;
  char             *path;
  gboolean          prefix;
  BoughHttpHandler  handler;
  gpointer          user_data;
  GDestroyNotify    destroy;
} Route;

struct _BoughHttpRouter
{
  SoupServer *server;
  GPtrArray  *routes;
  goffset     max_body_size;
  gulong      request_started_id;
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

static void
got_headers_cb (SoupServerMessage *msg,
                BoughHttpRouter   *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* Refusing here, from the declared length, spares reading the body at all:
   * libsoup skips the remaining steps once a status is set. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > self->max_body_size)
    reply_too_large (msg, self->max_body_size);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    BoughHttpRouter   *self)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), self);
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

      if (route_matches_method (route, method))
        {
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
 * JSON error body.
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
  self->request_started_id = g_signal_connect (server, "request-started",
                                               G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (server, "/", dispatch_cb, self, NULL);
  return self;
}

void
bough_http_router_free (BoughHttpRouter *self)
{
  if (self == NULL)
    return;

  soup_server_remove_handler (self->server, "/");
  g_clear_signal_handler (&self->request_started_id, self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->routes);
  g_free (self);
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
  Route *route;

  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (handler != NULL);

  route = g_new0 (Route, 1);
  route->method = g_strdup (method);
  route->prefix = g_str_has_suffix (path, "/*");
  route->path = route->prefix ? g_strndup (path, strlen (path) - 1) : g_strdup (path);
  route->handler = handler;
  route->user_data = user_data;
  route->destroy = destroy;
  g_ptr_array_add (self->routes, route);
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
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

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
  bough_http_reply_json (msg, status, root);
}
