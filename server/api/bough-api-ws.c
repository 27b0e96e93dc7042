/* bough-api-ws.c: GraphQL subscriptions over the websocket on /graphql and /graphql/{branch}
 * (reference §2.1): the legacy Apollo `graphql-ws` protocol, its limits, the subscription
 * `query(name, params, interval)`, which re-runs a stored query on the pool, and
 * `InfrahubEvent(...)`, which sends the new events that match as they are written.
 *
 * Event subscriptions tail the store's events by sequence: a commit of this process
 * wakes them through a store watch, and a tick every second also finds the events other
 * processes sharing the database wrote. Each run lists what came after the last event the
 * subscriber was told of, on the pool.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-api"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-json.h"
#include "bough-api-private.h"
#include "graphql/bough-graphql-subscription.h"
#include "store/bough-store-events.h"

#define GRAPHQL_PREFIX "/graphql/"

/* Close codes of our own (4000-4999 is for applications): the ones
 * graphql-transport-ws uses for the same events. */
#define CLOSE_UNAUTHORIZED  4401  /* a message other than connection_init before it */
#define CLOSE_INIT_TIMEOUT  4408  /* no connection_init in time */
#define CLOSE_TOO_MANY      4503  /* too many websockets (libsoup clients refuse 1013) */

/* How long shutdown waits for in-flight queries, then for the close handshakes. */
#define SHUTDOWN_QUERY_TIMEOUT_USEC (30 * G_USEC_PER_SEC)
#define SHUTDOWN_CLOSE_TIMEOUT_USEC (5 * G_USEC_PER_SEC)

/* Event subscriptions: a wake is seen within one tick; other processes'
 * events within EVENTS_POLL_TICKS ticks. */
#define EVENTS_TICK_MS    100
#define EVENTS_POLL_TICKS 10

typedef struct _WsConn WsConn;

struct _BoughApiWs
{
  BoughApi        *api;
  BoughHttpRouter *router;
  GHashTable      *conns;         /* set of WsConn*, main context only */
  guint            in_flight;     /* query tasks handed to the pool */
  gboolean         closing;
  guint            max_connections;
  guint            max_subscriptions;
  gint64           max_message_size;
  guint            init_timeout;
  guint            keepalive_interval;
  gint64           min_interval;
  gint64           max_interval;
  guint            n_event_subs;  /* event subscriptions alive */
  GSource         *events_tick;   /* while there are some */
  guint            ticks;
  gint             events_woken;  /* atomic: this process wrote events */
  guint            watch_id;
};

struct _WsConn
{
  BoughApiWs              *ws;          /* NULL once the socket closed */
  SoupWebsocketConnection *connection;
  char                    *branch;
  GHashTable              *subs;        /* id → Sub* */
  GSource                 *init_timeout;
  GSource                 *keepalive;
  gulong                   message_id;
  gulong                   closed_id;
  gboolean                 initialized;
  BoughIdentity           *identity;    /* set by connection_init */
};

typedef struct
{
  WsConn     *conn;                     /* NULL once stopped or closed */
  char       *id;
  char       *name;
  char       *params;                   /* the variables as JSON text: each task parses its own */
  gint64      interval;
  GSource    *timer;
  gboolean    running;
  /* event subscriptions */
  BoughApiWs *counted;                  /* the ws whose n_event_subs counts it */
  char       *start;                    /* the start payload, as JSON text */
  gint64      last_seq;                 /* the last event it was told of */
  gboolean    again;                    /* events came while it ran */
  gboolean    tasks;                    /* a task subscription (the same tailing, see events_work) */
  GBytes     *last_answer;              /* task subscriptions: the last answer sent */
} Sub;

/* One run on the pool. The worker only reads what the task owns. */
typedef struct
{
  BoughApiWs *ws;
  Sub        *sub;                      /* a reference */
  char       *branch;
  char       *start;                    /* first run: the start payload to check, as JSON text */
  BoughIdentity *identity;              /* a reference, nullable */
  char       *name;
  char       *params;
  gint64      interval;
  char       *events;                   /* an event run: the start payload */
  gint64      last_seq;                 /* its last event told (out: the last one now) */
  gboolean    tasks;                    /* a task subscription's run */
  /* results */
  JsonArray  *errors;
  GBytes     *response;
} Task;

static void sub_schedule (Sub *sub);
static void sub_run (Sub *sub, JsonNode *start);
static void events_work (Task *task);
static void events_count (BoughApiWs *ws, Sub *sub);

static WsConn *
conn_ref (WsConn *conn)
{
  return g_rc_box_acquire (conn);
}

static void
conn_clear (WsConn *conn)
{
  g_clear_object (&conn->connection);
  g_free (conn->branch);
  g_hash_table_unref (conn->subs);
  g_clear_pointer (&conn->identity, bough_identity_unref);
}

static void
conn_unref (WsConn *conn)
{
  g_rc_box_release_full (conn, (GDestroyNotify) conn_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsConn, conn_unref)

static Sub *
sub_ref (Sub *sub)
{
  return g_rc_box_acquire (sub);
}

static void
sub_clear (Sub *sub)
{
  g_assert (sub->timer == NULL);
  g_free (sub->id);
  g_free (sub->name);
  g_free (sub->params);
  g_free (sub->start);
  g_clear_pointer (&sub->last_answer, g_bytes_unref);
}

static void
sub_unref (Sub *sub)
{
  g_rc_box_release_full (sub, (GDestroyNotify) sub_clear);
}

/* Ends a subscription: no more runs; a run in flight is dropped when it comes back. */
static void
sub_stop (Sub *sub)
{
  if (sub->timer != NULL)
    {
      g_source_destroy (sub->timer);
      g_clear_pointer (&sub->timer, g_source_unref);
    }
  if (sub->counted != NULL)
    {
      sub->counted->n_event_subs--;
      sub->counted = NULL;
    }
  sub->conn = NULL;
}

static void
sub_remove (gpointer data)
{
  Sub *sub = data;

  sub_stop (sub);
  sub_unref (sub);
}

static void
send_text (WsConn     *conn,
           const char *text)
{
  if (conn->connection != NULL &&
      soup_websocket_connection_get_state (conn->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (conn->connection, text);
}

/* {"type": type, "id": id, "payload": payload}, id and payload optional;
 * @payload is JSON text, sent as it is. */
static void
send_message (WsConn     *conn,
              const char *type,
              const char *id,
              const char *payload)
{
  g_autoptr(GString) text = g_string_new ("{\"type\":\"");

  g_string_append (text, type);
  g_string_append_c (text, '"');
  if (id != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), id);
      g_autofree char *quoted = json_to_string (node, FALSE);

      g_string_append_printf (text, ",\"id\":%s", quoted);
    }
  if (payload != NULL)
    g_string_append_printf (text, ",\"payload\":%s", payload);
  g_string_append_c (text, '}');
  send_text (conn, text->str);
}

static char *
message_payload (const char *message)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_string_member (object, "message", message);
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

/* An `error` message for @id: its payload is the list of GraphQL errors. */
static void
send_errors (WsConn     *conn,
             const char *id,
             JsonArray  *errors)
{
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), errors);
  g_autofree char *payload = json_to_string (node, FALSE);

  send_message (conn, "error", id, payload);
}

static void
send_error (WsConn     *conn,
            const char *id,
            const char *format,
            ...) G_GNUC_PRINTF (3, 4);

static void
send_error (WsConn     *conn,
            const char *id,
            const char *format,
            ...)
{
  g_autoptr(JsonArray) errors = json_array_new ();
  JsonObject *error = json_object_new ();
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  json_object_set_string_member (error, "message", message);
  json_array_add_object_element (errors, error);
  send_errors (conn, id, errors);
}

static void
send_connection_error (WsConn     *conn,
                       const char *message)
{
  g_autofree char *payload = message_payload (message);

  send_message (conn, "connection_error", NULL, payload);
}

static void
close_with (WsConn     *conn,
            gushort     code,
            const char *reason)
{
  if (conn->connection != NULL &&
      soup_websocket_connection_get_state (conn->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn->connection, code, reason);
}

static void
task_free (Task *task)
{
  g_clear_pointer (&task->sub, sub_unref);
  g_free (task->branch);
  g_clear_pointer (&task->identity, bough_identity_unref);
  g_free (task->start);
  g_free (task->name);
  g_free (task->params);
  g_free (task->events);
  g_clear_pointer (&task->errors, json_array_unref);
  g_clear_pointer (&task->response, g_bytes_unref);
  g_free (task);
}

static JsonArray *
one_error (const char *message)
{
  JsonArray *errors = json_array_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "message", message);
  json_array_add_object_element (errors, error);
  return errors;
}

/* A run's answer as errors when it has some, else whether it lists events. */
static gboolean
response_has_events (Task *task)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;
  JsonNode *data;
  gsize length;
  const char *text = g_bytes_get_data (task->response, &length);

  if (!json_parser_load_from_data (parser, text, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  body = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (body, "errors"))
    {
      task->errors = json_array_ref (json_object_get_array_member (body, "errors"));
      return FALSE;
    }
  data = json_object_get_member (body, "data");
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return FALSE;
  /* the one root field: its list of events */
  {
    g_autoptr(GList) values = json_object_get_values (json_node_get_object (data));

    for (GList *l = values; l != NULL; l = l->next)
      if (JSON_NODE_HOLDS_ARRAY ((JsonNode *) l->data) &&
          json_array_get_length (json_node_get_array (l->data)) > 0)
        return TRUE;
  }
  return FALSE;
}

/* On a worker thread: the events after the subscription's last one, up
 * to the latest now; no answer when none matches. */
static void
events_work (Task *task)
{
  BoughApi *api = task->ws->api;
  g_autoptr(GError) error = NULL;
  gint64 upto = bough_store_last_event_seq (api->store, &error);
  guint status = 0;

  if (upto < 0)
    {
      task->errors = one_error (error->message);
      return;
    }
  if (task->tasks)
    {
      /* the tasks as they are now: task_done() sends them when they changed */
      bough_graphql_api_execute_events (api->graphql, task->branch, task->identity, task->events,
                                        strlen (task->events), 0, 0, &status, &task->response);
      if (status != SOUP_STATUS_OK)
        {
          g_clear_pointer (&task->response, g_bytes_unref);
          task->errors = one_error ("the subscription could not run");
        }
      else
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          gsize length;
          const char *text = g_bytes_get_data (task->response, &length);

          if (json_parser_load_from_data (parser, text, length, NULL) &&
              JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) &&
              json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "errors"))
            task->errors = json_array_ref (json_object_get_array_member (
                                             json_node_get_object (json_parser_get_root (parser)), "errors"));
        }
      return;
    }
  if (upto <= task->last_seq)
    return;
  bough_graphql_api_execute_events (api->graphql, task->branch, task->identity, task->events,
                                    strlen (task->events), task->last_seq, upto, &status, &task->response);
  task->last_seq = upto;
  if (!response_has_events (task) || status != SOUP_STATUS_OK)
    g_clear_pointer (&task->response, g_bytes_unref);
  if (status != SOUP_STATUS_OK && task->errors == NULL)
    task->errors = one_error ("the subscription could not run");
}

/* On a worker thread: checks the subscription on its first run, then finds
 * the stored query again (it may have been edited) and runs it. */
static void
task_work (gpointer data)
{
  Task *task = data;
  BoughApi *api = task->ws->api;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughApiStoredQuery) query = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) variables = NULL;
  guint status = 0;

  if (task->start != NULL)
    {
      g_autoptr(BoughGraphqlSubscription) subscription = NULL;
      g_autoptr(JsonParser) start = json_parser_new ();
      g_autoptr(JsonNode) params = NULL;

      if (!json_parser_load_from_data (start, task->start, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (start)))
        {
          task->errors = one_error ("A start message needs a payload object");
          return;
        }
      subscription = bough_graphql_subscription_prepare (api->graphql, task->branch,
                                                         json_node_get_object (json_parser_get_root (start)),
                                                         task->ws->max_message_size, &task->errors);
      if (subscription == NULL)
        return;
      if (subscription->events)
        {
          /* it tells of the events written after its start message came
           * (task->last_seq, from handle_start()) */
          task->events = g_strdup (task->start);
          return;
        }
      if (subscription->tasks)
        {
          /* its first answer follows at once (task_done()) */
          task->events = g_strdup (task->start);
          task->tasks = TRUE;
          return;
        }
      if (subscription->interval < task->ws->min_interval ||
          subscription->interval > task->ws->max_interval)
        {
          g_autofree char *m = g_strdup_printf ("interval must be between %" G_GINT64_FORMAT
                                                " and %" G_GINT64_FORMAT " seconds",
                                                task->ws->min_interval, task->ws->max_interval);

          task->errors = one_error (m);
          return;
        }
      params = json_node_init_object (json_node_alloc (), subscription->params);
      task->name = g_strdup (subscription->name);
      task->params = json_to_string (params, FALSE);
      task->interval = subscription->interval;
    }

  if (!bough_store_branch_exists (api->store, task->branch))
    {
      g_autofree char *m = g_strdup_printf ("Branch: %s not found.", task->branch);

      task->errors = one_error (m);
      return;
    }
  if (task->events != NULL)
    {
      events_work (task);
      return;
    }
  query = _bough_api_stored_query_load (api, task->branch, 0, task->name, &error);
  if (query == NULL)
    {
      task->errors = one_error (error->message);
      return;
    }
  if (json_parser_load_from_data (parser, task->params, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    variables = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  else
    variables = json_object_new ();
  if (!_bough_api_stored_query_run (api, task->identity, query, task->branch, NULL, variables, &status,
                                    &task->response, &error))
    {
      task->errors = one_error (error->message);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      /* A transport error of the run: its body is {data: null, errors}. */
      g_autoptr(JsonParser) result = json_parser_new ();
      gsize length;
      const char *text = g_bytes_get_data (task->response, &length);

      if (json_parser_load_from_data (result, text, length, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (result)) &&
          json_object_has_member (json_node_get_object (json_parser_get_root (result)), "errors"))
        task->errors = json_array_ref (json_object_get_array_member (
                                         json_node_get_object (json_parser_get_root (result)), "errors"));
      else
        task->errors = one_error ("the stored query could not run");
      g_clear_pointer (&task->response, g_bytes_unref);
    }
}

/* On the main context: sends the result, then schedules the next run. */
static void
task_done (gpointer data)
{
  Task *task = data;
  Sub *sub = task->sub;
  WsConn *conn = sub->conn;

  task->ws->in_flight--;
  sub->running = FALSE;
  if (conn == NULL)
    {
      /* stopped or closed meanwhile: nothing to say */
      task_free (task);
      return;
    }

  if (task->errors != NULL)
    {
      send_errors (conn, sub->id, task->errors);
      /* The subscription ends with its error. */
      g_hash_table_remove (conn->subs, sub->id);
      task_free (task);
      return;
    }

  if (task->events != NULL)
    {
      if (task->start != NULL)
        {
          /* an event subscription starts: nothing to say until events come;
           * a task subscription tells of the tasks as they are */
          sub->start = g_steal_pointer (&task->events);
          sub->last_seq = task->last_seq;
          sub->tasks = task->tasks;
          events_count (task->ws, sub);
          if (sub->tasks && !task->ws->closing)
            sub_run (sub, NULL);
          task_free (task);
          return;
        }
      sub->last_seq = MAX (sub->last_seq, task->last_seq);
      if (sub->tasks && task->response != NULL)
        {
          if (sub->last_answer != NULL && g_bytes_equal (sub->last_answer, task->response))
            g_clear_pointer (&task->response, g_bytes_unref);
          else
            {
              g_clear_pointer (&sub->last_answer, g_bytes_unref);
              sub->last_answer = g_bytes_ref (task->response);
            }
        }
      if (task->response != NULL)
        {
          gsize length;
          const char *text = g_bytes_get_data (task->response, &length);
          g_autofree char *payload = g_strndup (text, length);

          send_message (conn, "data", sub->id, payload);
        }
      if (sub->again && !task->ws->closing)
        {
          sub->again = FALSE;
          sub_run (sub, NULL);
        }
      task_free (task);
      return;
    }

  if (task->start != NULL)
    {
      sub->name = g_steal_pointer (&task->name);
      sub->params = g_steal_pointer (&task->params);
      sub->interval = task->interval;
    }

  {
    gsize length;
    const char *text = g_bytes_get_data (task->response, &length);
    g_autofree char *payload = g_strndup (text, length);

    send_message (conn, "data", sub->id, payload);
  }
  if (!task->ws->closing)
    sub_schedule (sub);
  task_free (task);
}

/* Hands one run to the pool; @start is the start payload on the first run.
 * The task gets its own copy of everything: json-glib's reference counts
 * are not atomic. */
static void
sub_run (Sub      *sub,
         JsonNode *start)
{
  BoughApiWs *ws = sub->conn->ws;
  Task *task = g_new0 (Task, 1);

  task->ws = ws;
  task->sub = sub_ref (sub);
  task->branch = g_strdup (sub->conn->branch);
  task->identity = sub->conn->identity ? bough_identity_ref (sub->conn->identity) : NULL;
  task->start = start != NULL ? json_to_string (start, FALSE) : NULL;
  task->name = g_strdup (sub->name);
  task->params = g_strdup (sub->params);
  task->interval = sub->interval;
  task->events = g_strdup (sub->start);
  task->last_seq = sub->last_seq;
  task->tasks = sub->tasks;

  if (!bough_http_router_run (ws->router, task_work, task_done, task))
    {
      /* The server is shutting down. */
      task_free (task);
      return;
    }
  sub->running = TRUE;
  ws->in_flight++;
}

/* Runs every event subscription that is not running (one running runs
 * again when it ends). */
static void
events_wake_all (BoughApiWs *ws,
                 gboolean    poll)
{
  GHashTableIter iter;
  WsConn *conn;

  g_hash_table_iter_init (&iter, ws->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    {
      GHashTableIter subs;
      Sub *sub;

      g_hash_table_iter_init (&subs, conn->subs);
      while (g_hash_table_iter_next (&subs, NULL, (gpointer *) &sub))
        {
          if (sub->counted == NULL || sub->conn == NULL || (sub->tasks && !poll))
            continue;
          if (sub->running)
            sub->again = TRUE;
          else
            sub_run (sub, NULL);
        }
    }
}

static gboolean
events_tick_cb (gpointer data)
{
  BoughApiWs *ws = data;
  gboolean woken;

  if (ws->n_event_subs == 0 || ws->closing)
    {
      g_clear_pointer (&ws->events_tick, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  woken = g_atomic_int_compare_and_exchange (&ws->events_woken, 1, 0);
  if (++ws->ticks % EVENTS_POLL_TICKS == 0)
    events_wake_all (ws, TRUE);
  else if (woken)
    events_wake_all (ws, FALSE);
  return G_SOURCE_CONTINUE;
}

/* Called by the store in the committing thread: only a flag. */
static void
events_written_cb (gint64   last_seq,
                   gpointer user_data)
{
  BoughApiWs *ws = user_data;

  g_atomic_int_set (&ws->events_woken, 1);
}

static void
events_count (BoughApiWs *ws,
              Sub        *sub)
{
  g_assert (sub->counted == NULL);
  sub->counted = ws;
  ws->n_event_subs++;
  if (ws->events_tick == NULL)
    {
      ws->events_tick = g_timeout_source_new (EVENTS_TICK_MS);
      g_source_set_callback (ws->events_tick, events_tick_cb, ws, NULL);
      g_source_set_static_name (ws->events_tick, "[bough] event subscriptions");
      g_source_attach (ws->events_tick, g_main_context_get_thread_default ());
    }
}

static gboolean
sub_timer_cb (gpointer data)
{
  Sub *sub = data;

  g_clear_pointer (&sub->timer, g_source_unref);
  if (sub->conn != NULL && !sub->running)
    sub_run (sub, NULL);
  return G_SOURCE_REMOVE;
}

/* The next run comes interval seconds after this one's result, so a slow
 * query never piles up runs. */
static void
sub_schedule (Sub *sub)
{
  g_assert (sub->timer == NULL);
  sub->timer = g_timeout_source_new_seconds (sub->interval);
  g_source_set_callback (sub->timer, sub_timer_cb, sub, NULL);
  g_source_set_static_name (sub->timer, "[bough] subscription interval");
  g_source_attach (sub->timer, g_main_context_get_thread_default ());
}

/* A message's `id`, when it is a string. */
static const char *
message_id (JsonObject *message)
{
  JsonNode *id = json_object_get_member (message, "id");

  if (id == NULL || json_node_get_value_type (id) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (id);
}

static gboolean
keepalive_cb (gpointer data)
{
  WsConn *conn = data;

  send_message (conn, "ka", NULL, NULL);
  return G_SOURCE_CONTINUE;
}

/* A string member of the connection_init payload, its name in any case. */
static const char *
payload_string (JsonObject *payload,
                const char *name)
{
  g_autoptr(GList) members = NULL;

  if (payload == NULL)
    return NULL;
  members = json_object_get_members (payload);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (payload, l->data);

      if (g_ascii_strcasecmp (l->data, name) == 0 && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_value_type (value) == G_TYPE_STRING)
        return json_node_get_string (value);
    }
  return NULL;
}

static void
handle_connection_init (WsConn     *conn,
                        JsonObject *message)
{
  if (conn->initialized)
    {
      send_connection_error (conn, "The connection is already initialised");
      return;
    }

  /* The credentials are in the payload, as HTTP headers would carry them;
   * a refusal closes before anything is acknowledged. */
  if (conn->ws->api->auth != NULL)
    {
      JsonNode *payload = json_object_get_member (message, "payload");
      JsonObject *obj = payload && JSON_NODE_HOLDS_OBJECT (payload) ? json_node_get_object (payload) : NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *cookie = NULL;
      const char *access = payload_string (obj, "access_token");

      if (access != NULL)
        cookie = g_strdup_printf ("access_token=%s", access);
      conn->identity = bough_auth_authenticate (conn->ws->api->auth,
                                                payload_string (obj, "X-INFRAHUB-KEY"),
                                                payload_string (obj, "Authorization"),
                                                cookie, &error);
      if (conn->identity == NULL)
        {
          send_connection_error (conn, error->message);
          close_with (conn, CLOSE_UNAUTHORIZED, "Unauthorized");
          return;
        }
    }

  conn->initialized = TRUE;
  if (conn->init_timeout != NULL)
    {
      g_source_destroy (conn->init_timeout);
      g_clear_pointer (&conn->init_timeout, g_source_unref);
    }
  send_message (conn, "connection_ack", NULL, NULL);
  send_message (conn, "ka", NULL, NULL);
  conn->keepalive = g_timeout_source_new_seconds (conn->ws->keepalive_interval);
  g_source_set_callback (conn->keepalive, keepalive_cb, conn, NULL);
  g_source_set_static_name (conn->keepalive, "[bough] graphql-ws keep-alive");
  g_source_attach (conn->keepalive, g_main_context_get_thread_default ());
}

static void
handle_start (WsConn     *conn,
              JsonObject *message)
{
  const char *id = message_id (message);
  JsonNode *payload = json_object_get_member (message, "payload");
  Sub *sub;

  if (id == NULL)
    {
      send_error (conn, NULL, "A start message needs a string id");
      return;
    }
  if (g_hash_table_contains (conn->subs, id))
    {
      send_error (conn, id, "Subscription id %s is already in use", id);
      return;
    }
  if (g_hash_table_size (conn->subs) >= conn->ws->max_subscriptions)
    {
      send_error (conn, id, "Too many subscriptions on this connection (at most %u)",
                  conn->ws->max_subscriptions);
      return;
    }
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    {
      send_error (conn, id, "A start message needs a payload object {query, variables?, operationName?}");
      return;
    }
  if (conn->ws->closing)
    {
      send_error (conn, id, "The server is shutting down");
      return;
    }

  sub = g_rc_box_new0 (Sub);
  sub->conn = conn;
  sub->id = g_strdup (id);
  /* an event subscription tells of the events written from now on: a
   * client that saw its next message answered knows its start was seen */
  sub->last_seq = MAX (0, bough_store_last_event_seq (conn->ws->api->store, NULL));
  g_hash_table_insert (conn->subs, sub->id, sub);
  sub_run (sub, payload);
  if (!sub->running)
    {
      send_error (conn, id, "The server is shutting down");
      g_hash_table_remove (conn->subs, id);
    }
}

static void
handle_stop (WsConn     *conn,
             JsonObject *message)
{
  const char *id = message_id (message);

  if (id == NULL)
    {
      send_error (conn, NULL, "A stop message needs a string id");
      return;
    }
  /* Stopping an unknown (or already ended) id is not an error: the
   * subscription may have just ended on its own. */
  if (g_hash_table_remove (conn->subs, id))
    send_message (conn, "complete", id, NULL);
}

static void
message_cb (SoupWebsocketConnection *connection,
            gint                     type,
            GBytes                  *bytes,
            gpointer                 user_data)
{
  WsConn *conn = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WsConn) hold = conn_ref (conn);
  JsonObject *message;
  JsonNode *type_node;
  const char *kind;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !bough_json_parser_load_input (parser, data, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      send_connection_error (conn, "Messages must be JSON objects");
      if (!conn->initialized)
        close_with (conn, CLOSE_UNAUTHORIZED, "connection_init expected");
      return;
    }
  message = json_node_get_object (json_parser_get_root (parser));
  type_node = json_object_get_member (message, "type");
  kind = type_node != NULL && json_node_get_value_type (type_node) == G_TYPE_STRING
         ? json_node_get_string (type_node) : "";

  if (g_str_equal (kind, "connection_init"))
    {
      handle_connection_init (conn, message);
      return;
    }
  if (g_str_equal (kind, "connection_terminate"))
    {
      close_with (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return;
    }
  if (!conn->initialized)
    {
      /* Nothing runs before the handshake (RELIABILITY 18). */
      send_connection_error (conn, "connection_init must be the first message");
      close_with (conn, CLOSE_UNAUTHORIZED, "connection_init expected");
      return;
    }
  if (g_str_equal (kind, "start"))
    handle_start (conn, message);
  else if (g_str_equal (kind, "stop"))
    handle_stop (conn, message);
  else
    send_error (conn, message_id (message), "Unknown message type: %s", kind);
}

static void
conn_forget (WsConn *conn)
{
  if (conn->init_timeout != NULL)
    {
      g_source_destroy (conn->init_timeout);
      g_clear_pointer (&conn->init_timeout, g_source_unref);
    }
  if (conn->keepalive != NULL)
    {
      g_source_destroy (conn->keepalive);
      g_clear_pointer (&conn->keepalive, g_source_unref);
    }
  g_hash_table_remove_all (conn->subs);
  g_clear_signal_handler (&conn->message_id, conn->connection);
  g_clear_signal_handler (&conn->closed_id, conn->connection);
  if (conn->ws != NULL)
    {
      BoughApiWs *ws = conn->ws;

      conn->ws = NULL;
      g_hash_table_remove (ws->conns, conn);
    }
}

static void
closed_cb (SoupWebsocketConnection *connection,
           gpointer                 user_data)
{
  conn_forget (user_data);
}

static gboolean
init_timeout_cb (gpointer data)
{
  WsConn *conn = data;

  g_clear_pointer (&conn->init_timeout, g_source_unref);
  send_connection_error (conn, "No connection_init in time");
  close_with (conn, CLOSE_INIT_TIMEOUT, "connection_init timeout");
  return G_SOURCE_REMOVE;
}

static void
websocket_cb (SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  BoughApiWs *ws = user_data;
  WsConn *conn;
  const char *branch = BOUGH_DEFAULT_BRANCH;

  /* The branch is the rest of the path: branch names may contain '/'. */
  if (g_str_has_prefix (path, GRAPHQL_PREFIX) && path[strlen (GRAPHQL_PREFIX)] != '\0')
    branch = path + strlen (GRAPHQL_PREFIX);

  conn = g_rc_box_new0 (WsConn);
  conn->connection = g_object_ref (connection);
  conn->branch = g_strdup (branch);
  conn->subs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, sub_remove);

  if (ws->closing || g_hash_table_size (ws->conns) >= ws->max_connections)
    {
      send_connection_error (conn, ws->closing ? "The server is shutting down"
                                               : "Too many websocket connections");
      close_with (conn, ws->closing ? SOUP_WEBSOCKET_CLOSE_GOING_AWAY : CLOSE_TOO_MANY, NULL);
      conn_unref (conn);
      return;
    }

  conn->ws = ws;
  g_hash_table_add (ws->conns, conn);
  soup_websocket_connection_set_max_incoming_payload_size (connection, ws->max_message_size);
  conn->message_id = g_signal_connect (connection, "message", G_CALLBACK (message_cb), conn);
  conn->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), conn);
  conn->init_timeout = g_timeout_source_new_seconds (ws->init_timeout);
  g_source_set_callback (conn->init_timeout, init_timeout_cb, conn, NULL);
  g_source_set_static_name (conn->init_timeout, "[bough] graphql-ws init timeout");
  g_source_attach (conn->init_timeout, g_main_context_get_thread_default ());
}

BoughApiWs *
_bough_api_ws_new (BoughApi *api)
{
  BoughApiWs *ws = g_new0 (BoughApiWs, 1);
  BoughConfig *config = api->config;

  ws->api = api;
  ws->conns = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) conn_unref, NULL);
  ws->max_connections = bough_config_get_int (config, "websocket", "max_connections");
  ws->max_subscriptions = bough_config_get_int (config, "websocket", "max_subscriptions");
  ws->max_message_size = bough_config_get_int (config, "websocket", "max_message_size");
  ws->init_timeout = bough_config_get_int (config, "websocket", "init_timeout");
  ws->keepalive_interval = bough_config_get_int (config, "websocket", "keepalive_interval");
  ws->min_interval = bough_config_get_int (config, "websocket", "min_interval");
  ws->max_interval = bough_config_get_int (config, "websocket", "max_interval");
  ws->watch_id = bough_store_add_event_watch (api->store, events_written_cb, ws);
  return ws;
}

void
_bough_api_ws_register (BoughApiWs      *ws,
                        BoughHttpRouter *router)
{
  static const char * const protocols[] = { "graphql-ws", NULL };

  ws->router = router;
  bough_http_router_add_websocket (router, "/graphql", protocols, websocket_cb, ws, NULL);
  bough_http_router_add_websocket (router, GRAPHQL_PREFIX "*", protocols, websocket_cb, ws, NULL);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
iterate_until (BoughApiWs *ws,
               gboolean  (*done) (BoughApiWs *ws),
               gint64      timeout_usec)
{
  GMainContext *context = g_main_context_get_thread_default ();
  GSource *tick;
  gint64 deadline = g_get_monotonic_time () + timeout_usec;

  if (done (ws))
    return;
  /* wakes the loop now and then so that the deadline is seen */
  tick = g_timeout_source_new (100);
  g_source_set_callback (tick, tick_cb, NULL, NULL);
  g_source_attach (tick, context);
  while (!done (ws) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
}

static gboolean
no_query_in_flight (BoughApiWs *ws)
{
  return ws->in_flight == 0;
}

static gboolean
no_connection (BoughApiWs *ws)
{
  return g_hash_table_size (ws->conns) == 0;
}

/* Shutdown: no new run starts; the runs in flight finish and their results
 * are sent; then every socket closes with 1001 (going away). Iterates the
 * thread-default main context; call it before draining the router. */
void
_bough_api_ws_shutdown (BoughApiWs *ws)
{
  GHashTableIter iter;
  WsConn *conn;

  if (ws->closing)
    return;
  ws->closing = TRUE;
  if (ws->events_tick != NULL)
    {
      g_source_destroy (ws->events_tick);
      g_clear_pointer (&ws->events_tick, g_source_unref);
    }

  g_hash_table_iter_init (&iter, ws->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    {
      GHashTableIter subs;
      Sub *sub;

      g_hash_table_iter_init (&subs, conn->subs);
      while (g_hash_table_iter_next (&subs, NULL, (gpointer *) &sub))
        if (sub->timer != NULL)
          {
            g_source_destroy (sub->timer);
            g_clear_pointer (&sub->timer, g_source_unref);
          }
    }
  iterate_until (ws, no_query_in_flight, SHUTDOWN_QUERY_TIMEOUT_USEC);

  g_hash_table_iter_init (&iter, ws->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    close_with (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
  iterate_until (ws, no_connection, SHUTDOWN_CLOSE_TIMEOUT_USEC);
}

void
_bough_api_ws_free (BoughApiWs *ws)
{
  GHashTableIter iter;
  WsConn *conn;

  if (ws == NULL)
    return;
  bough_store_remove_event_watch (ws->api->store, ws->watch_id);
  if (ws->events_tick != NULL)
    {
      g_source_destroy (ws->events_tick);
      g_clear_pointer (&ws->events_tick, g_source_unref);
    }
  /* Sockets that did not close in time are dropped. */
  g_hash_table_iter_init (&iter, ws->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    {
      g_hash_table_iter_steal (&iter);
      conn->ws = NULL;
      conn_forget (conn);
      if (conn->connection != NULL &&
          soup_websocket_connection_get_state (conn->connection) != SOUP_WEBSOCKET_STATE_CLOSED)
        g_io_stream_close (soup_websocket_connection_get_io_stream (conn->connection), NULL, NULL);
      conn_unref (conn);
    }
  g_hash_table_unref (ws->conns);
  g_free (ws);
}
