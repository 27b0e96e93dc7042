/* bough-http.h: the HTTP front of bough-server: a router of (method, path)
 * to handlers on a SoupServer, the pool of worker threads that runs request
 * work, request size limits, and the JSON replies of the API (including its
 * error body).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _BoughHttpRouter  BoughHttpRouter;
typedef struct _BoughHttpRequest BoughHttpRequest;

/**
 * BoughHttpHandler:
 * @msg: the request; the handler sets its response, possibly later after
 *   soup_server_message_pause()
 * @path: the request path
 * @query: (nullable): the decoded query parameters
 * @user_data: the data given to bough_http_router_add()
 *
 * Handles one request routed by a #BoughHttpRouter.
 */
typedef void (*BoughHttpHandler) (SoupServerMessage *msg,
                                  const char        *path,
                                  GHashTable        *query,
                                  gpointer           user_data);

/**
 * BoughHttpWorkFunc:
 * @request: a copy of the request, readable from any thread; the function
 *   sets its reply with bough_http_request_reply_json() or
 *   bough_http_request_reply_error()
 * @user_data: the data given to bough_http_router_add_work()
 *
 * Handles one request on a worker thread of the router's pool. It must not
 * touch the #SoupServerMessage: the router applies the reply on the main
 * context once the function returns.
 */
typedef void (*BoughHttpWorkFunc) (BoughHttpRequest *request,
                                   gpointer          user_data);

/**
 * BoughHttpAuthFunc:
 * @request: the request about to be handled, on its worker thread
 * @user_data: the data given to bough_http_router_set_auth()
 *
 * Returns: %TRUE to go on with the route's work function, %FALSE when the
 *   function has replied (e.g. 401) and the request ends there
 */
typedef gboolean (*BoughHttpAuthFunc) (BoughHttpRequest *request,
                                       gpointer          user_data);

/**
 * BoughHttpWebsocketFunc:
 * @msg: the upgrade request
 * @path: its path
 * @connection: the new websocket connection (take a reference to keep it)
 * @user_data: the data given to bough_http_router_add_websocket()
 *
 * Takes over one websocket connection, on the main context.
 */
typedef void (*BoughHttpWebsocketFunc) (SoupServerMessage       *msg,
                                        const char              *path,
                                        SoupWebsocketConnection *connection,
                                        gpointer                 user_data);

/**
 * BoughHttpTaskFunc:
 * @data: the data given to bough_http_router_run()
 *
 * One half of a task run by bough_http_router_run().
 */
typedef void (*BoughHttpTaskFunc) (gpointer data);

BoughHttpRouter *bough_http_router_new               (SoupServer        *server);
void             bough_http_router_free              (BoughHttpRouter   *self);
void             bough_http_router_add               (BoughHttpRouter   *self,
                                                      const char        *method,
                                                      const char        *path,
                                                      BoughHttpHandler   handler,
                                                      gpointer           user_data,
                                                      GDestroyNotify     destroy);
void             bough_http_router_add_work          (BoughHttpRouter   *self,
                                                      const char        *method,
                                                      const char        *path,
                                                      BoughHttpWorkFunc  work,
                                                      gpointer           user_data,
                                                      GDestroyNotify     destroy);
void             bough_http_router_add_websocket     (BoughHttpRouter   *self,
                                                      const char        *path,
                                                      const char * const *protocols,
                                                      BoughHttpWebsocketFunc func,
                                                      gpointer           user_data,
                                                      GDestroyNotify     destroy);
gboolean         bough_http_router_run               (BoughHttpRouter   *self,
                                                      BoughHttpTaskFunc  work,
                                                      BoughHttpTaskFunc  done,
                                                      gpointer           data);
gboolean         bough_http_router_listen            (BoughHttpRouter   *self,
                                                      GSocketAddress    *address,
                                                      guint16           *port,
                                                      GError           **error);
void             bough_http_router_set_connection_limits (BoughHttpRouter *self,
                                                      guint              max_connections,
                                                      gsize              max_header_size,
                                                      guint              header_timeout,
                                                      guint              body_timeout,
                                                      guint              idle_timeout);
void             bough_http_router_set_auth          (BoughHttpRouter   *self,
                                                      BoughHttpAuthFunc  auth,
                                                      gpointer           user_data);
void             bough_http_router_set_max_body_size (BoughHttpRouter   *self,
                                                      goffset            max_body_size);
void             bough_http_router_set_concurrency   (BoughHttpRouter   *self,
                                                      guint              concurrency);
guint            bough_http_router_get_in_flight     (BoughHttpRouter   *self);
void             bough_http_router_drain             (BoughHttpRouter   *self);

const char      *bough_http_request_get_method       (BoughHttpRequest  *request);
const char      *bough_http_request_get_path         (BoughHttpRequest  *request);
const char      *bough_http_request_get_query        (BoughHttpRequest  *request,
                                                      const char        *name);
char           **bough_http_request_get_query_all    (BoughHttpRequest  *request,
                                                      const char        *name);
const char      *bough_http_request_get_header       (BoughHttpRequest  *request,
                                                      const char        *name);
const char      *bough_http_request_get_remote_host  (BoughHttpRequest  *request);
void             bough_http_request_add_response_header (BoughHttpRequest *request,
                                                      const char        *name,
                                                      const char        *value);
void             bough_http_request_set_auth_data    (BoughHttpRequest  *request,
                                                      gpointer           data,
                                                      GDestroyNotify     destroy);
gpointer         bough_http_request_get_auth_data    (BoughHttpRequest  *request);
GBytes          *bough_http_request_get_body         (BoughHttpRequest  *request);
void             bough_http_request_reply_json       (BoughHttpRequest  *request,
                                                      guint              status,
                                                      JsonNode          *node);
void             bough_http_request_reply_bytes      (BoughHttpRequest  *request,
                                                      guint              status,
                                                      const char        *content_type,
                                                      GBytes            *body);
void             bough_http_request_reply_error      (BoughHttpRequest  *request,
                                                      guint              status,
                                                      const char        *format,
                                                      ...) G_GNUC_PRINTF (3, 4);

void             bough_http_reply_json               (SoupServerMessage *msg,
                                                      guint              status,
                                                      JsonNode          *node);
void             bough_http_reply_error              (SoupServerMessage *msg,
                                                      guint              status,
                                                      const char        *format,
                                                      ...) G_GNUC_PRINTF (3, 4);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughHttpRouter, bough_http_router_free)

G_END_DECLS
