/* bough-http-conn.c: the listener of the HTTP front. libsoup 3.2 has no server-side timeouts
 * and no cap on connections, so connections are accepted here and handed to the SoupServer
 * wrapped in a stream that sees every byte read: per-connection deadlines (headers, stalled
 * body, idle keep-alive), a header size cap answered with 431, a connection cap answered
 * with 503.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-http"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string.h>

#include <gio/gio.h>

#include "bough-http-private.h"

/* RFC 6585; libsoup 3.2 has no name for it. */
#define STATUS_HEADER_FIELDS_TOO_LARGE 431

typedef enum
{
  PHASE_WAITING,   /* before a request's first byte */
  PHASE_HEADERS,   /* reading the request line and headers */
  PHASE_BODY,      /* reading the body */
  PHASE_HANDLING,  /* answering, or taken over (websocket): no deadline */
} Phase;

typedef struct _BoughHttpConn  BoughHttpConn;
typedef struct _BoughHttpInput BoughHttpInput;

struct _BoughHttpFront
{
  SoupServer       *server;
  GSocketService   *service;
  GSocket          *keepalive_pair[2];
  GHashTable       *conns;       /* remote GSocketAddress* → BoughHttpConn* (weak) */
  BoughHttpLimits   limits;
  gulong            started_id;
  gulong            read_id;
  gulong            finished_id;
  gulong            aborted_id;
};

/* ---- the input stream: counts bytes, and fails once aborted ---- */

#define BOUGH_TYPE_HTTP_INPUT (bough_http_input_get_type ())
G_DECLARE_FINAL_TYPE (BoughHttpInput, bough_http_input, BOUGH, HTTP_INPUT, GInputStream)

#define BOUGH_TYPE_HTTP_CONN (bough_http_conn_get_type ())
G_DECLARE_FINAL_TYPE (BoughHttpConn, bough_http_conn, BOUGH, HTTP_CONN, GIOStream)

struct _BoughHttpInput
{
  GInputStream   parent_instance;
  GInputStream  *base;
  BoughHttpConn *conn;   /* owner; not a reference */
};

struct _BoughHttpConn
{
  GIOStream          parent_instance;
  GSocketConnection *base;
  BoughHttpInput    *input;
  BoughHttpFront    *front;     /* NULL once the front is gone */
  GSocketAddress    *remote;
  GCancellable      *abort;     /* cancelled to wake libsoup's reads into an error */
  GBytes            *reply;     /* written on close after an abort, if any */
  GSource           *timer;
  Phase              phase;
  gsize              header_bytes;
  gboolean           first_request;
  gboolean           started_by_abort;
};

static void pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BoughHttpInput, bough_http_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      pollable_iface_init))

G_DEFINE_FINAL_TYPE (BoughHttpConn, bough_http_conn, G_TYPE_IO_STREAM)

static void conn_abort (BoughHttpConn *conn,
                        guint          status,
                        const char    *message);
static void conn_set_phase (BoughHttpConn *conn,
                            Phase          phase);

/* What an aborted connection reads. An error rather than EOF: libsoup
 * answers an EOF inside the headers with a 400 of its own, an error it just
 * drops. But libsoup 3.2 drops a connection only for a request it has
 * started: between requests it would keep the socket open forever (it does
 * so when a client closes an idle keep-alive connection), so there the
 * error comes after an empty line, which starts a request. */
static gssize
conn_aborted_read (BoughHttpConn  *conn,
                   void           *buffer,
                   gsize           count,
                   GError        **error)
{
  if (conn->phase == PHASE_WAITING && !conn->started_by_abort && count >= 2)
    {
      conn->started_by_abort = TRUE;
      memcpy (buffer, "\r\n", 2);
      return 2;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "connection closed by the server's limits");
  return -1;
}

/* Before each read: a client still sending headers past the cap is refused. */
static gboolean
conn_before_read (BoughHttpConn *conn)
{
  if (!g_cancellable_is_cancelled (conn->abort) &&
      conn->front != NULL && conn->phase == PHASE_HEADERS &&
      conn->header_bytes >= conn->front->limits.max_header_size)
    conn_abort (conn, STATUS_HEADER_FIELDS_TOO_LARGE, "request headers larger than the limit");
  return !g_cancellable_is_cancelled (conn->abort);
}

static gssize
conn_after_read (BoughHttpConn  *conn,
                 void           *buffer,
                 gsize           count,
                 gssize          n,
                 GError        **error)
{
  if (n == 0 && conn->phase == PHASE_WAITING)
    {
      /* the client closed between requests */
      conn_abort (conn, 0, NULL);
      return conn_aborted_read (conn, buffer, count, error);
    }
  if (n <= 0 || conn->front == NULL)
    return n;
  switch (conn->phase)
    {
    case PHASE_WAITING:
      conn_set_phase (conn, PHASE_HEADERS);
      conn->header_bytes = n;
      break;
    case PHASE_HEADERS:
      conn->header_bytes += n;
      break;
    case PHASE_BODY:
      /* the body deadline counts from the last byte */
      conn_set_phase (conn, PHASE_BODY);
      break;
    case PHASE_HANDLING:
    default:
      break;
    }
  return n;
}

static gssize
bough_http_input_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  BoughHttpInput *self = BOUGH_HTTP_INPUT (stream);
  gssize n;

  if (!conn_before_read (self->conn))
    return conn_aborted_read (self->conn, buffer, count, error);
  n = g_input_stream_read (self->base, buffer, count, cancellable, error);
  return conn_after_read (self->conn, buffer, count, n, error);
}

static gboolean
bough_http_input_close (GInputStream  *stream,
                        GCancellable  *cancellable,
                        GError       **error)
{
  /* the socket is closed with the connection */
  return TRUE;
}

static gboolean
bough_http_input_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
bough_http_input_is_readable (GPollableInputStream *stream)
{
  BoughHttpInput *self = BOUGH_HTTP_INPUT (stream);

  return g_cancellable_is_cancelled (self->conn->abort) ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
bough_http_input_create_source (GPollableInputStream *stream,
                                GCancellable         *cancellable)
{
  BoughHttpInput *self = BOUGH_HTTP_INPUT (stream);
  g_autoptr(GSource) base_source = NULL;
  g_autoptr(GSource) abort_source = NULL;
  GSource *source;

  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  source = g_pollable_source_new_full (self, base_source, cancellable);
  /* an abort wakes the reader, whose read then fails */
  abort_source = g_cancellable_source_new (self->conn->abort);
  g_source_set_dummy_callback (abort_source);
  g_source_add_child_source (source, abort_source);
  return source;
}

static gssize
bough_http_input_read_nonblocking (GPollableInputStream  *stream,
                                   void                  *buffer,
                                   gsize                  count,
                                   GError               **error)
{
  BoughHttpInput *self = BOUGH_HTTP_INPUT (stream);
  gssize n;

  if (!conn_before_read (self->conn))
    return conn_aborted_read (self->conn, buffer, count, error);
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                count, NULL, error);
  return conn_after_read (self->conn, buffer, count, n, error);
}

static void
pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = bough_http_input_can_poll;
  iface->is_readable = bough_http_input_is_readable;
  iface->create_source = bough_http_input_create_source;
  iface->read_nonblocking = bough_http_input_read_nonblocking;
}

static void
bough_http_input_finalize (GObject *object)
{
  BoughHttpInput *self = BOUGH_HTTP_INPUT (object);

  g_clear_object (&self->base);
  G_OBJECT_CLASS (bough_http_input_parent_class)->finalize (object);
}

static void
bough_http_input_class_init (BoughHttpInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = bough_http_input_finalize;
  stream_class->read_fn = bough_http_input_read;
  stream_class->close_fn = bough_http_input_close;
}

static void
bough_http_input_init (BoughHttpInput *self)
{
}

/* ---- the connection ---- */

static void
conn_forget (BoughHttpConn *conn)
{
  if (conn->timer != NULL)
    {
      g_source_destroy (conn->timer);
      g_clear_pointer (&conn->timer, g_source_unref);
    }
  if (conn->front != NULL)
    {
      g_hash_table_remove (conn->front->conns, conn->remote);
      conn->front = NULL;
    }
}

static gboolean
bough_http_conn_close_fn (GIOStream     *stream,
                          GCancellable  *cancellable,
                          GError       **error)
{
  BoughHttpConn *self = BOUGH_HTTP_CONN (stream);

  conn_forget (self);
  if (self->reply != NULL)
    {
      /* the refusal is written, then the socket closes after a while */
      g_autoptr(GBytes) reply = g_steal_pointer (&self->reply);

      _bough_http_linger (G_IO_STREAM (self->base), reply);
      return TRUE;
    }
  return g_io_stream_close (G_IO_STREAM (self->base), cancellable, error);
}

/* Closing a socket does not block: the async close runs the sync one
 * rather than GIOStream's default, which uses a thread. */
static void
bough_http_conn_close_async (GIOStream           *stream,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, bough_http_conn_close_async);
  if (bough_http_conn_close_fn (stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
bough_http_conn_close_finish (GIOStream     *stream,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GInputStream *
bough_http_conn_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (BOUGH_HTTP_CONN (stream)->input);
}

static GOutputStream *
bough_http_conn_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (G_IO_STREAM (BOUGH_HTTP_CONN (stream)->base));
}

static void
bough_http_conn_finalize (GObject *object)
{
  BoughHttpConn *self = BOUGH_HTTP_CONN (object);

  conn_forget (self);
  if (!g_io_stream_is_closed (G_IO_STREAM (self->base)))
    g_io_stream_close (G_IO_STREAM (self->base), NULL, NULL);
  g_clear_object (&self->input);
  g_clear_object (&self->base);
  g_clear_object (&self->remote);
  g_clear_object (&self->abort);
  g_clear_pointer (&self->reply, g_bytes_unref);
  G_OBJECT_CLASS (bough_http_conn_parent_class)->finalize (object);
}

static void
bough_http_conn_class_init (BoughHttpConnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = bough_http_conn_finalize;
  stream_class->get_input_stream = bough_http_conn_get_input_stream;
  stream_class->get_output_stream = bough_http_conn_get_output_stream;
  stream_class->close_fn = bough_http_conn_close_fn;
  stream_class->close_async = bough_http_conn_close_async;
  stream_class->close_finish = bough_http_conn_close_finish;
}

static void
bough_http_conn_init (BoughHttpConn *self)
{
}

/* Makes libsoup's reads fail, so that it drops the connection itself; @status
 * (0 for none) is answered on close. */
static void
conn_abort (BoughHttpConn *conn,
            guint          status,
            const char    *message)
{
  if (g_cancellable_is_cancelled (conn->abort))
    return;
  if (status != 0)
    conn->reply = _bough_http_raw_reply_new (status, message);
  if (conn->timer != NULL)
    {
      g_source_destroy (conn->timer);
      g_clear_pointer (&conn->timer, g_source_unref);
    }
  g_cancellable_cancel (conn->abort);
}

static gboolean
conn_timeout_cb (gpointer user_data)
{
  BoughHttpConn *conn = user_data;

  switch (conn->phase)
    {
    case PHASE_HEADERS:
      g_debug ("request headers not received in time: disconnecting");
      conn_abort (conn, SOUP_STATUS_REQUEST_TIMEOUT, "request headers not received in time");
      break;
    case PHASE_BODY:
      g_debug ("request body stalled: disconnecting");
      conn_abort (conn, SOUP_STATUS_REQUEST_TIMEOUT, "request body stalled");
      break;
    case PHASE_WAITING:
      if (conn->first_request)
        conn_abort (conn, SOUP_STATUS_REQUEST_TIMEOUT, "no request received in time");
      else
        conn_abort (conn, 0, NULL);
      break;
    case PHASE_HANDLING:
    default:
      break;
    }
  return G_SOURCE_REMOVE;
}

/* Enters @phase and sets its deadline (again, for the body's). */
static void
conn_set_phase (BoughHttpConn *conn,
                Phase          phase)
{
  guint seconds = 0;

  conn->phase = phase;
  if (conn->front == NULL || g_cancellable_is_cancelled (conn->abort))
    return;
  switch (phase)
    {
    case PHASE_WAITING:
      seconds = conn->first_request ? conn->front->limits.header_timeout
                                    : conn->front->limits.idle_timeout;
      break;
    case PHASE_HEADERS:
      seconds = conn->front->limits.header_timeout;
      break;
    case PHASE_BODY:
      seconds = conn->front->limits.body_timeout;
      break;
    case PHASE_HANDLING:
    default:
      break;
    }

  if (seconds == 0)
    {
      if (conn->timer != NULL)
        g_source_set_ready_time (conn->timer, -1);
      return;
    }
  if (conn->timer == NULL)
    {
      conn->timer = g_timeout_source_new_seconds (G_MAXINT32 / 1000);
      g_source_set_callback (conn->timer, conn_timeout_cb, conn, NULL);
      g_source_set_static_name (conn->timer, "[bough] connection deadline");
      g_source_attach (conn->timer, g_main_context_get_thread_default ());
    }
  /* moving the ready time is cheaper than a new source per read */
  g_source_set_ready_time (conn->timer, g_get_monotonic_time () + seconds * G_USEC_PER_SEC);
}

static BoughHttpConn *
conn_for_message (BoughHttpFront    *front,
                  SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_hash_table_lookup (front->conns, remote) : NULL;
}

static void
got_headers_cb (SoupServerMessage *msg,
                BoughHttpFront    *front)
{
  BoughHttpConn *conn = conn_for_message (front, msg);

  if (conn != NULL)
    {
      conn->first_request = FALSE;
      conn_set_phase (conn, PHASE_BODY);
    }
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    BoughHttpFront    *front)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), front);
}

static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 BoughHttpFront    *front)
{
  BoughHttpConn *conn = conn_for_message (front, msg);

  if (conn != NULL)
    conn_set_phase (conn, PHASE_HANDLING);
}

static void
request_done_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 BoughHttpFront    *front)
{
  BoughHttpConn *conn = conn_for_message (front, msg);

  g_signal_handlers_disconnect_by_func (msg, got_headers_cb, front);
  if (conn != NULL)
    {
      conn->first_request = FALSE;
      conn_set_phase (conn, PHASE_WAITING);
    }
}

/* Writes a refusal on a connection never handed to libsoup. */
static void
refuse_connection (GSocketConnection *connection,
                   guint              status,
                   const char        *message)
{
  g_autoptr(GBytes) reply = _bough_http_raw_reply_new (status, message);

  _bough_http_linger (G_IO_STREAM (connection), reply);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  BoughHttpFront *front = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(BoughHttpConn) conn = NULL;

  if (g_hash_table_size (front->conns) >= front->limits.max_connections)
    {
      g_debug ("refusing a connection: %u open", g_hash_table_size (front->conns));
      refuse_connection (connection, SOUP_STATUS_SERVICE_UNAVAILABLE, "too many connections");
      return TRUE;
    }

  local = g_socket_connection_get_local_address (connection, &error);
  if (local != NULL)
    {
      conn = g_object_new (BOUGH_TYPE_HTTP_CONN, NULL);
      conn->remote = g_socket_connection_get_remote_address (connection, &error);
    }
  if (local == NULL || conn->remote == NULL)
    {
      g_debug ("dropping a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY,
                       TRUE, NULL);
  conn->base = g_object_ref (connection);
  conn->abort = g_cancellable_new ();
  conn->input = g_object_new (BOUGH_TYPE_HTTP_INPUT, NULL);
  conn->input->base = g_object_ref (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  conn->input->conn = conn;
  conn->front = front;
  conn->first_request = TRUE;
  g_hash_table_insert (front->conns, conn->remote, conn);
  conn_set_phase (conn, PHASE_WAITING);

  if (!soup_server_accept_iostream (front->server, G_IO_STREAM (conn), local, conn->remote, &error))
    {
      g_debug ("dropping a connection: %s", error->message);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  return TRUE;
}

BoughHttpFront *
_bough_http_front_new (SoupServer *server)
{
  BoughHttpFront *front = g_new0 (BoughHttpFront, 1);

  front->server = g_object_ref (server);
  front->conns = g_hash_table_new (NULL, NULL);
  front->limits.max_connections = 512;
  front->limits.max_header_size = 32 * 1024;
  front->limits.header_timeout = 10;
  front->limits.body_timeout = 30;
  front->limits.idle_timeout = 60;
  front->started_id = g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), front);
  front->read_id = g_signal_connect (server, "request-read", G_CALLBACK (request_read_cb), front);
  front->finished_id = g_signal_connect (server, "request-finished", G_CALLBACK (request_done_cb), front);
  front->aborted_id = g_signal_connect (server, "request-aborted", G_CALLBACK (request_done_cb), front);
  return front;
}

void
_bough_http_front_set_limits (BoughHttpFront        *front,
                              const BoughHttpLimits *limits)
{
  front->limits = *limits;
}

/* Listens on @address; connections are accepted on the thread-default main
 * context. */
gboolean
_bough_http_front_listen (BoughHttpFront  *front,
                          GSocketAddress  *address,
                          guint16         *port,
                          GError         **error)
{
  g_autoptr(GSocketAddress) effective = NULL;
  int fds[2];

  g_return_val_if_fail (front->service == NULL, FALSE);

  /* libsoup 3.2 keeps a connection alive after a response only while the
   * server has a listener of its own: one end of a socket pair, which
   * never becomes readable, stands in for it and accepts nothing. */
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "socketpair: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }
  front->keepalive_pair[0] = g_socket_new_from_fd (fds[0], error);
  if (front->keepalive_pair[0] == NULL)
    {
      close (fds[0]);
      close (fds[1]);
      return FALSE;
    }
  front->keepalive_pair[1] = g_socket_new_from_fd (fds[1], error);
  if (front->keepalive_pair[1] == NULL)
    {
      close (fds[1]);
      return FALSE;
    }
  if (!soup_server_listen_socket (front->server, front->keepalive_pair[0], 0, error))
    return FALSE;

  front->service = g_socket_service_new ();
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (front->service), 128);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (front->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, error))
    return FALSE;
  g_signal_connect (front->service, "incoming", G_CALLBACK (incoming_cb), front);
  g_socket_service_start (front->service);
  if (port != NULL)
    *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  return TRUE;
}

/* Stops accepting; open connections stay with libsoup. */
void
_bough_http_front_stop (BoughHttpFront *front)
{
  if (front->service != NULL)
    {
      g_socket_service_stop (front->service);
      g_socket_listener_close (G_SOCKET_LISTENER (front->service));
      g_signal_handlers_disconnect_by_data (front->service, front);
      g_clear_object (&front->service);
    }
}

guint
_bough_http_front_get_n_connections (BoughHttpFront *front)
{
  return g_hash_table_size (front->conns);
}

void
_bough_http_front_free (BoughHttpFront *front)
{
  GHashTableIter iter;
  BoughHttpConn *conn;

  if (front == NULL)
    return;
  _bough_http_front_stop (front);
  g_hash_table_iter_init (&iter, front->conns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conn))
    {
      g_hash_table_iter_steal (&iter);
      conn->front = NULL;
      if (conn->timer != NULL)
        {
          g_source_destroy (conn->timer);
          g_clear_pointer (&conn->timer, g_source_unref);
        }
    }
  g_hash_table_unref (front->conns);
  g_clear_signal_handler (&front->started_id, front->server);
  g_clear_signal_handler (&front->read_id, front->server);
  g_clear_signal_handler (&front->finished_id, front->server);
  g_clear_signal_handler (&front->aborted_id, front->server);
  /* libsoup's listener keeps its end until the server disconnects */
  g_clear_object (&front->keepalive_pair[0]);
  g_clear_object (&front->keepalive_pair[1]);
  g_clear_object (&front->server);
  g_free (front);
}
