/* bough-client.c: BoughClient over SoupSession: authentication (API token,
 * or login with a refresh of the access token on expiry), GraphQL and REST
 * requests, schema fetching with a cache revalidated by hash, graphql-ws
 * subscriptions sharing one websocket per branch (reconnected when it
 * drops), and the mapping of transport, HTTP and GraphQL failures onto
 * BOUGH_ERROR codes.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-client"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "bough-client.h"
#include "bough-client-private.h"
#include "bough-error.h"

/* An `at` this far in the past is settled whatever the clocks of client and
 * server say. */
#define SCHEMA_SETTLE_USEC (60 * G_USEC_PER_SEC)

/* Tries to open a dropped websocket again, over about a minute, before its
 * subscriptions fail. */
#define WS_RETRY_ATTEMPTS 12

typedef struct _WsConn WsConn;

/**
 * BoughClient:
 *
 * A connection to one Bough (or Infrahub) server.
 *
 * The client authenticates with an API token (bough_client_set_token(), sent
 * as `X-INFRAHUB-KEY`) or with a username and password
 * (bough_client_login_async()), in which case it keeps the access and refresh
 * tokens, sends `Authorization: Bearer <access>`, and when the server answers
 * 401 it refreshes the access token once through `/api/auth/refresh` and
 * retries the request once.
 *
 * Every request is asynchronous and takes a #GCancellable. Failures are
 * errors of the %BOUGH_ERROR domain:
 *
 * - %BOUGH_ERROR_NETWORK: the server cannot be reached, or answered 502/503/504;
 * - %BOUGH_ERROR_UNAUTHENTICATED: 401, a wrong password or token, or a session
 *   that could not be refreshed;
 * - %BOUGH_ERROR_PERMISSION: 403, or a GraphQL error with `extensions.code` 403;
 * - %BOUGH_ERROR_NOT_FOUND: 404, or a GraphQL error saying something is not found;
 * - %BOUGH_ERROR_INVALID: 400/422 or any other GraphQL error (validation);
 * - %BOUGH_ERROR_LIMIT: 413/429; %BOUGH_ERROR_CONFLICT: 409;
 * - %BOUGH_ERROR_FAILED: anything else (500, a reply that is not JSON).
 *
 * Cancellation gives %G_IO_ERROR_CANCELLED, untouched.
 *
 * The client keeps the schemas it fetched, revalidated by their hash (see
 * bough_client_fetch_schema_async()), and runs all its subscriptions over
 * one websocket per branch (see #BoughClientSubscription).
 */
struct _BoughClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;      /* without a trailing slash */
  char        *token;         /* API token, or NULL */
  char        *username;      /* after a login */
  char        *access_token;  /* after a login */
  char        *refresh_token; /* after a login */
  gboolean     authenticated;
  guint        next_subscription;
  GHashTable  *schemas;       /* "branch\nat" → SchemaEntry* */
  guint64      schema_tick;
  GTimeSpan    schema_settle; /* how long before a time's schema is settled */
  GPtrArray   *conns;         /* WsConn*: the websockets of the subscriptions */
  guint        n_websockets;  /* websockets opened so far */
  GHashTable  *requests;      /* path → number of HTTP requests sent to it */
  guint        ws_retries;    /* tries to connect again before giving up */
};

G_DEFINE_FINAL_TYPE (BoughClient, bough_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_USERNAME,
  PROP_AUTHENTICATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- helpers ---- */

static char *
build_url (BoughClient *self,
           const char  *path,
           const char  *branch,
           const char  *at)
{
  GString *url = g_string_new (self->base_url);
  gboolean has_query;

  if (path[0] != '/')
    g_string_append_c (url, '/');
  g_string_append (url, path);
  has_query = strchr (path, '?') != NULL;
  if (branch != NULL && branch[0] != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (branch, NULL, FALSE);

      g_string_append_printf (url, "%cbranch=%s", has_query ? '&' : '?', escaped);
      has_query = TRUE;
    }
  if (at != NULL && at[0] != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (at, NULL, FALSE);

      g_string_append_printf (url, "%cat=%s", has_query ? '&' : '?', escaped);
    }
  return g_string_free (url, FALSE);
}

static void
set_authenticated (BoughClient *self,
                   gboolean     authenticated)
{
  authenticated = !!authenticated;
  if (self->authenticated == authenticated)
    return;
  self->authenticated = authenticated;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHENTICATED]);
}

static void
add_credentials (BoughClient *self,
                 SoupMessage *msg)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_remove (headers, "X-INFRAHUB-KEY");
  soup_message_headers_remove (headers, "Authorization");
  if (self->token != NULL)
    soup_message_headers_replace (headers, "X-INFRAHUB-KEY", self->token);
  else if (self->access_token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->access_token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
    }
}

/* The message of the API error body `{"errors": [{"message"}]}`, if any. */
static char *
error_body_message (JsonNode *root)
{
  JsonObject *object;
  JsonNode *errors;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  errors = json_object_get_member (object, "errors");
  if (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors) &&
      json_array_get_length (json_node_get_array (errors)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (errors), 0);

      if (JSON_NODE_HOLDS_OBJECT (first) &&
          json_object_has_member (json_node_get_object (first), "message"))
        return g_strdup (json_object_get_string_member_with_default (json_node_get_object (first),
                                                                     "message", NULL));
    }
  if (json_object_has_member (object, "detail"))
    return g_strdup (json_object_get_string_member_with_default (object, "detail", NULL));
  return NULL;
}

static int
status_to_code (guint status)
{
  switch (status)
    {
    case 401:
      return BOUGH_ERROR_UNAUTHENTICATED;
    case 403:
      return BOUGH_ERROR_PERMISSION;
    case 404:
      return BOUGH_ERROR_NOT_FOUND;
    case 400:
    case 422:
      return BOUGH_ERROR_INVALID;
    case 409:
      return BOUGH_ERROR_CONFLICT;
    case 413:
    case 429:
      return BOUGH_ERROR_LIMIT;
    case 502:
    case 503:
    case 504:
      return BOUGH_ERROR_NETWORK;
    default:
      return BOUGH_ERROR_FAILED;
    }
}

/* Transport failures: everything but cancellation means the server is
 * unreachable from here. */
static GError *
transport_error (BoughClient *self,
                 GError      *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  return g_error_new (BOUGH_ERROR, BOUGH_ERROR_NETWORK, "Cannot reach %s: %s",
                      self->base_url, error->message);
}

static JsonNode *
parse_json (GBytes  *bytes,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                           "The server sent an empty reply");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

/* ---- one HTTP request, with one refresh-and-retry on 401 ---- */

typedef struct
{
  char        *method;
  char        *url;
  GBytes      *body;         /* nullable */
  SoupMessage *msg;
  gboolean     retried;
  gboolean     anonymous;    /* login and refresh carry their own credentials */
  char        *bearer;       /* Authorization of an anonymous request */
  guint        status;
  JsonNode    *error_body;   /* the JSON body of a failed reply */
} Request;

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->url);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_object (&request->msg);
  g_free (request->bearer);
  g_clear_pointer (&request->error_body, json_node_unref);
  g_free (request);
}

static void request_sent_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
request_send (GTask *task)
{
  BoughClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  g_clear_object (&request->msg);
  request->msg = soup_message_new (request->method, request->url);
  if (g_str_has_prefix (request->url, self->base_url))
    {
      const char *path = request->url + strlen (self->base_url);
      char *key = g_strndup (path, strcspn (path, "?"));
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, key));

      g_hash_table_replace (self->requests, key, GUINT_TO_POINTER (count + 1));
    }
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                               "Not a valid server address: %s", request->url);
      g_object_unref (task);
      return;
    }
  headers = soup_message_get_request_headers (request->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (request->msg, "application/json", request->body);
  if (request->anonymous)
    {
      if (request->bearer != NULL)
        {
          g_autofree char *value = g_strconcat ("Bearer ", request->bearer, NULL);

          soup_message_headers_replace (headers, "Authorization", value);
        }
    }
  else
    add_credentials (self, request->msg);

  soup_session_send_and_read_async (self->session, request->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), request_sent_cb, task);
}

static void refresh_done_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static void request_start_full (BoughClient         *self,
                                const char          *method,
                                const char          *url,
                                GBytes              *body,
                                gboolean             anonymous,
                                const char          *bearer,
                                GCancellable        *cancellable,
                                gpointer             source_tag,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);

static void
request_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  BoughClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, transport_error (self, error));
      g_object_unref (task);
      return;
    }
  status = soup_message_get_status (request->msg);
  request->status = status;

  /* An expired access token: refresh it once, then send again. */
  if (status == SOUP_STATUS_UNAUTHORIZED && !request->anonymous && !request->retried &&
      self->token == NULL && self->refresh_token != NULL)
    {
      g_autofree char *url = build_url (self, "/api/auth/refresh", NULL, NULL);

      request->retried = TRUE;
      request_start_full (self, "POST", url, NULL, TRUE, self->refresh_token,
                          g_task_get_cancellable (task), refresh_done_cb,
                          refresh_done_cb, task);
      return;
    }

  root = parse_json (bytes, NULL);
  if (status < 200 || status >= 300)
    {
      g_autofree char *message = error_body_message (root);

      if (status == SOUP_STATUS_UNAUTHORIZED && !request->anonymous)
        {
          /* The credentials are no good any more: forget a dead session. */
          if (self->token == NULL)
            {
              g_clear_pointer (&self->access_token, g_free);
              g_clear_pointer (&self->refresh_token, g_free);
            }
          set_authenticated (self, self->token != NULL);
        }
      /* Kept for query_done_cb(), which may run from the return. */
      request->error_body = g_steal_pointer (&root);
      g_task_return_new_error (task, BOUGH_ERROR, status_to_code (status), "%s (HTTP %u)",
                               message ? message : soup_status_get_phrase (status), status);
      g_object_unref (task);
      return;
    }
  if (root == NULL)
    {
      g_task_return_new_error (task, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                               "The server's reply to %s is not JSON", request->url);
      g_object_unref (task);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
  g_object_unref (task);
}

static void
request_start_full (BoughClient         *self,
                    const char          *method,
                    const char          *url,
                    GBytes              *body,
                    gboolean             anonymous,
                    const char          *bearer,
                    GCancellable        *cancellable,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->body = body ? g_bytes_ref (body) : NULL;
  request->anonymous = anonymous;
  request->bearer = g_strdup (bearer);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request_send (task);
}

static JsonNode *
request_finish (GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BoughClient *self = BOUGH_CLIENT (source);
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = request_finish (result, &error);
  const char *access = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    access = json_object_get_string_member_with_default (json_node_get_object (root),
                                                         "access_token", NULL);
  if (access == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_NETWORK))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      g_clear_pointer (&self->access_token, g_free);
      g_clear_pointer (&self->refresh_token, g_free);
      set_authenticated (self, self->token != NULL);
      g_task_return_new_error (task, BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED,
                               "The session has expired; sign in again (%s)",
                               error ? error->message : "no access token in the reply");
      g_object_unref (task);
      return;
    }
  g_free (self->access_token);
  self->access_token = g_strdup (access);
  request_send (task);
}

static GBytes *
node_to_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = NULL;
  char *text;
  gsize length;

  if (node == NULL)
    return NULL;
  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/* ---- GObject ---- */

static void ws_conn_destroy (WsConn *conn);
static void ws_conn_unref (WsConn *conn);
static void schema_entry_free (gpointer data);
static void schema_cache_drop (BoughClient *self);

static void
bough_client_dispose (GObject *object)
{
  BoughClient *self = BOUGH_CLIENT (object);

  /* Subscriptions hold the client: only lingering sockets are left. */
  while (self->conns->len > 0)
    ws_conn_destroy (g_ptr_array_index (self->conns, 0));

  G_OBJECT_CLASS (bough_client_parent_class)->dispose (object);
}

static void
bough_client_finalize (GObject *object)
{
  BoughClient *self = BOUGH_CLIENT (object);

  g_ptr_array_unref (self->conns);
  g_hash_table_unref (self->schemas);
  g_hash_table_unref (self->requests);
  g_clear_object (&self->session);
  g_free (self->base_url);
  g_free (self->token);
  g_free (self->username);
  g_free (self->access_token);
  g_free (self->refresh_token);

  G_OBJECT_CLASS (bough_client_parent_class)->finalize (object);
}

static void
bough_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BoughClient *self = BOUGH_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_AUTHENTICATED:
      g_value_set_boolean (value, self->authenticated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BoughClient *self = BOUGH_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize length = url ? strlen (url) : 0;

        while (length > 0 && url[length - 1] == '/')
          length--;
        self->base_url = g_strndup (url ? url : "", length);
      }
      break;
    case PROP_TOKEN:
      bough_client_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_client_class_init (BoughClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bough_client_dispose;
  object_class->finalize = bough_client_finalize;
  object_class->get_property = bough_client_get_property;
  object_class->set_property = bough_client_set_property;

  /**
   * BoughClient:base-url:
   *
   * The server's address, such as `http://127.0.0.1:8000`.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * BoughClient:token:
   *
   * The API token sent as `X-INFRAHUB-KEY`, or %NULL.
   */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * BoughClient:username:
   *
   * The account signed in with bough_client_login_async(), or %NULL.
   */
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * BoughClient:authenticated:
   *
   * Whether the client holds credentials: an API token or a live session.
   * It turns %FALSE when the server refuses them and a refresh fails.
   */
  properties[PROP_AUTHENTICATED] =
    g_param_spec_boolean ("authenticated", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bough_client_init (BoughClient *self)
{
  self->session = soup_session_new_with_options ("user-agent", "bough/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 6,
                                                 NULL);
  self->schema_settle = SCHEMA_SETTLE_USEC;
  self->ws_retries = WS_RETRY_ATTEMPTS;
  self->schemas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, schema_entry_free);
  self->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) ws_conn_unref);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * bough_client_new:
 * @base_url: the server's address, such as `http://127.0.0.1:8000`
 *
 * Creates a client of the server at @base_url, without credentials.
 *
 * Returns: (transfer full): a new #BoughClient
 */
BoughClient *
bough_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (BOUGH_TYPE_CLIENT, "base-url", base_url, NULL);
}

/**
 * bough_client_get_base_url:
 * @self: a #BoughClient
 *
 * Returns: the server's address, without a trailing slash
 */
const char *
bough_client_get_base_url (BoughClient *self)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * bough_client_get_token:
 * @self: a #BoughClient
 *
 * Returns: (nullable): the API token, if one is set
 */
const char *
bough_client_get_token (BoughClient *self)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), NULL);

  return self->token;
}

/**
 * bough_client_set_token:
 * @self: a #BoughClient
 * @token: (nullable): an API token, or %NULL to send none
 *
 * Sets the API token sent as `X-INFRAHUB-KEY` with every request. A token
 * takes precedence over a session opened by bough_client_login_async().
 */
void
bough_client_set_token (BoughClient *self,
                        const char  *token)
{
  g_return_if_fail (BOUGH_IS_CLIENT (self));

  if (token != NULL && token[0] == '\0')
    token = NULL;
  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  /* Another account may see another server: nothing cached carries over. */
  schema_cache_drop (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
  set_authenticated (self, self->token != NULL || self->access_token != NULL);
}

/**
 * bough_client_get_username:
 * @self: a #BoughClient
 *
 * Returns: (nullable): the account of the session opened by
 *   bough_client_login_async()
 */
const char *
bough_client_get_username (BoughClient *self)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), NULL);

  return self->username;
}

/**
 * bough_client_get_authenticated:
 * @self: a #BoughClient
 *
 * Returns: whether the client holds credentials (see #BoughClient:authenticated)
 */
gboolean
bough_client_get_authenticated (BoughClient *self)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), FALSE);

  return self->authenticated;
}

/* ---- login ---- */

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BoughClient *self = BOUGH_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = request_finish (result, &error);
  JsonObject *object;
  const char *access = NULL;
  const char *refresh = NULL;

  if (root == NULL)
    {
      /* A refused login is a matter of credentials, whatever the status. */
      if (error->domain == BOUGH_ERROR &&
          (error->code == BOUGH_ERROR_PERMISSION || error->code == BOUGH_ERROR_INVALID))
        error->code = BOUGH_ERROR_UNAUTHENTICATED;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (object != NULL)
    {
      access = json_object_get_string_member_with_default (object, "access_token", NULL);
      refresh = json_object_get_string_member_with_default (object, "refresh_token", NULL);
    }
  if (access == NULL)
    {
      g_task_return_new_error (task, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                               "The server's login reply holds no access token");
      return;
    }
  g_free (self->access_token);
  self->access_token = g_strdup (access);
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (refresh);
  g_free (self->username);
  self->username = g_strdup (g_task_get_task_data (task));
  schema_cache_drop (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
  set_authenticated (self, TRUE);
  g_task_return_boolean (task, TRUE);
}

/**
 * bough_client_login_async:
 * @self: a #BoughClient
 * @username: the account name
 * @password: its password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the login is done
 * @user_data: data for @callback
 *
 * Signs in with `POST /api/auth/login`. On success the client sends the
 * access token with every request and refreshes it when it expires. A wrong
 * password fails with %BOUGH_ERROR_UNAUTHENTICATED.
 */
void
bough_client_login_async (BoughClient         *self,
                          const char          *username,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (BOUGH_IS_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bough_client_login_async);
  g_task_set_task_data (task, g_strdup (username), g_free);

  json_object_set_string_member (object, "username", username);
  json_object_set_string_member (object, "password", password);
  node = json_node_init_object (json_node_alloc (), object);
  body = node_to_bytes (node);
  url = build_url (self, "/api/auth/login", NULL, NULL);
  request_start_full (self, "POST", url, body, TRUE, NULL, cancellable,
                      bough_client_login_async, login_done_cb, g_steal_pointer (&task));
}

/**
 * bough_client_login_finish:
 * @self: a #BoughClient
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: whether the client is now signed in
 */
gboolean
bough_client_login_finish (BoughClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bough_client_login_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * bough_client_logout:
 * @self: a #BoughClient
 *
 * Forgets the session of bough_client_login_async() and tells the server to
 * drop it (`POST /api/auth/logout`, not waited for). An API token is kept.
 */
void
bough_client_logout (BoughClient *self)
{
  g_return_if_fail (BOUGH_IS_CLIENT (self));

  if (self->refresh_token != NULL)
    {
      g_autofree char *url = build_url (self, "/api/auth/logout", NULL, NULL);

      request_start_full (self, "POST", url, NULL, TRUE, self->refresh_token, NULL,
                          bough_client_logout, NULL, NULL);
    }
  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->refresh_token, g_free);
  schema_cache_drop (self);
  if (self->username != NULL)
    {
      g_clear_pointer (&self->username, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
    }
  set_authenticated (self, self->token != NULL);
}

/* ---- GraphQL ---- */

typedef struct
{
  JsonNode  *data;
  JsonArray *errors;
} QueryResult;

static void
query_result_free (QueryResult *qr)
{
  g_clear_pointer (&qr->data, json_node_unref);
  g_clear_pointer (&qr->errors, json_array_unref);
  g_free (qr);
}

static gboolean
message_says_not_found (const char *message)
{
  g_autofree char *lower = g_utf8_strdown (message, -1);

  return strstr (lower, "not found") != NULL || strstr (lower, "unable to find") != NULL ||
         strstr (lower, "unknown branch") != NULL || strstr (lower, "does not exist") != NULL;
}

/* The BOUGH_ERROR code of one GraphQL error. */
static int
graphql_error_code (JsonObject *graphql_error)
{
  JsonNode *ext = json_object_get_member (graphql_error, "extensions");
  const char *message = json_object_get_string_member_with_default (graphql_error, "message", "");

  if (ext != NULL && JSON_NODE_HOLDS_OBJECT (ext))
    {
      JsonObject *eo = json_node_get_object (ext);
      JsonNode *code = json_object_get_member (eo, "code");

      if (code != NULL && JSON_NODE_HOLDS_VALUE (code) &&
          json_node_get_value_type (code) == G_TYPE_INT64)
        {
          gint64 status = json_node_get_int (code);

          if (status == 422 &&
              g_strcmp0 (json_object_get_string_member_with_default (eo, "reason", NULL),
                         "QUERY_COST_EXCEEDED") == 0)
            return BOUGH_ERROR_LIMIT;
          /* Refusals first; the server marks an unknown branch 400. */
          if (status == 401 || status == 403 || status == 404)
            return status_to_code ((guint) status);
          if (message_says_not_found (message))
            return BOUGH_ERROR_NOT_FOUND;
          if (status != 200 && status_to_code ((guint) status) != BOUGH_ERROR_FAILED)
            return status_to_code ((guint) status);
        }
    }
  if (message_says_not_found (message))
    return BOUGH_ERROR_NOT_FOUND;
  return BOUGH_ERROR_INVALID;
}

static void
query_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = request_finish (result, &error);
  QueryResult *qr = g_task_get_task_data (task);
  JsonObject *object;
  JsonNode *errors;
  JsonNode *data;

  if (root == NULL)
    {
      Request *request = g_task_get_task_data (G_TASK (result));

      /* A GraphQL error body with a 4xx status (an unknown branch) is
       * reported like one with 200; authentication failures are not. */
      if (request->error_body == NULL || JSON_NODE_HOLDS_OBJECT (request->error_body) == FALSE ||
          request->status == SOUP_STATUS_UNAUTHORIZED || request->status >= 500 ||
          !json_object_has_member (json_node_get_object (request->error_body), "errors"))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      root = json_node_ref (request->error_body);
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                               "The GraphQL reply is not an object");
      return;
    }
  object = json_node_get_object (root);
  errors = json_object_get_member (object, "errors");
  data = json_object_get_member (object, "data");
  if (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors) &&
      json_array_get_length (json_node_get_array (errors)) > 0)
    {
      JsonArray *array = json_node_get_array (errors);
      JsonNode *first = json_array_get_element (array, 0);
      JsonObject *fo = JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
      const char *message = NULL;

      if (fo != NULL)
        message = json_object_get_string_member_with_default (fo, "message", NULL);

      qr->errors = json_array_ref (array);
      g_task_return_new_error (task, BOUGH_ERROR, fo ? graphql_error_code (fo) : BOUGH_ERROR_FAILED,
                               "%s", message ? message : "The server reported an error");
      return;
    }
  if (data == NULL || JSON_NODE_HOLDS_NULL (data))
    {
      g_task_return_new_error (task, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                               "The GraphQL reply holds no data");
      return;
    }
  g_task_return_pointer (task, json_node_ref (data), (GDestroyNotify) json_node_unref);
}

/**
 * bough_client_query_async:
 * @self: a #BoughClient
 * @branch: (nullable): the branch, %NULL for the default branch
 * @at: (nullable): a time to read the data at (ISO 8601, or relative like
 *   `10m`), %NULL for now; ignored by the server for mutations
 * @query: a GraphQL document (query or mutation)
 * @variables: (nullable): a JSON object node of variables
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the reply
 * @user_data: data for @callback
 *
 * Runs @query with `POST /graphql/{branch}?at=...`.
 */
void
bough_client_query_async (BoughClient         *self,
                          const char          *branch,
                          const char          *at,
                          const char          *query,
                          JsonNode            *variables,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (BOUGH_IS_CLIENT (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (variables == NULL || JSON_NODE_HOLDS_OBJECT (variables));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bough_client_query_async);
  g_task_set_task_data (task, g_new0 (QueryResult, 1), (GDestroyNotify) query_result_free);

  json_object_set_string_member (object, "query", query);
  if (variables != NULL)
    json_object_set_member (object, "variables", json_node_copy (variables));
  node = json_node_init_object (json_node_alloc (), object);
  body = node_to_bytes (node);
  if (branch != NULL && branch[0] != '\0')
    {
      /* A branch name may hold slashes, which stay path separators. */
      g_autofree char *escaped = g_uri_escape_string (branch, "/", FALSE);

      path = g_strconcat ("/graphql/", escaped, NULL);
    }
  else
    path = g_strdup ("/graphql");
  url = build_url (self, path, NULL, at);
  request_start_full (self, "POST", url, body, FALSE, NULL, cancellable,
                      bough_client_query_async, query_done_cb, g_steal_pointer (&task));
}

/**
 * bough_client_query_finish:
 * @self: a #BoughClient
 * @result: the result given to the callback
 * @errors: (out) (optional) (nullable) (transfer full): the GraphQL errors
 *   (`{message, locations?, path?, extensions?}` objects) when the server
 *   reported some, else %NULL
 * @error: return location for a #GError
 *
 * When the server reports GraphQL errors, @error describes the first (its
 * code from `extensions.code`: 403 gives %BOUGH_ERROR_PERMISSION; a message
 * about something missing gives %BOUGH_ERROR_NOT_FOUND; otherwise
 * %BOUGH_ERROR_INVALID) and @errors holds all of them, so that a form can
 * place each at its field (bough_client_graphql_error_get_field()).
 *
 * Returns: (transfer full) (nullable): the `data` member of the reply
 */
JsonNode *
bough_client_query_finish (BoughClient   *self,
                           GAsyncResult  *result,
                           JsonArray    **errors,
                           GError       **error)
{
  QueryResult *qr;

  g_return_val_if_fail (BOUGH_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bough_client_query_async, NULL);

  qr = g_task_get_task_data (G_TASK (result));
  if (errors != NULL)
    *errors = qr->errors ? json_array_ref (qr->errors) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bough_client_graphql_error_get_field:
 * @graphql_error: one object of the errors of bough_client_query_finish()
 *
 * The field a GraphQL error is about: `extensions.field` when the server
 * names it, else the last name of the error's `path` (for a mutation, the
 * input field when the path goes below the mutation's own field).
 *
 * Returns: (nullable): the field's name, owned by @graphql_error
 */
const char *
bough_client_graphql_error_get_field (JsonObject *graphql_error)
{
  JsonNode *ext;
  JsonNode *path;

  g_return_val_if_fail (graphql_error != NULL, NULL);

  ext = json_object_get_member (graphql_error, "extensions");
  if (ext != NULL && JSON_NODE_HOLDS_OBJECT (ext))
    {
      const char *field = json_object_get_string_member_with_default (json_node_get_object (ext),
                                                                      "field", NULL);
      if (field != NULL)
        return field;
    }
  path = json_object_get_member (graphql_error, "path");
  if (path != NULL && JSON_NODE_HOLDS_ARRAY (path))
    {
      JsonArray *array = json_node_get_array (path);
      guint length = json_array_get_length (array);

      for (guint i = length; i > 1; i--)
        {
          JsonNode *element = json_array_get_element (array, i - 1);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING)
            return json_node_get_string (element);
        }
    }
  return NULL;
}

/* ---- REST ---- */

static void
rest_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *root = request_finish (result, &error);

  if (root == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

/**
 * bough_client_rest_async:
 * @self: a #BoughClient
 * @method: `GET` or `POST`
 * @path: the path under the server, such as `/api/menu` (it may hold a query)
 * @branch: (nullable): added as the `branch` query parameter
 * @at: (nullable): added as the `at` query parameter
 * @body: (nullable): a JSON body to send
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the reply
 * @user_data: data for @callback
 *
 * Calls a REST endpoint such as `/api/schema`, `/api/menu`, `/api/info` or
 * `/api/config`.
 */
void
bough_client_rest_async (BoughClient         *self,
                         const char          *method,
                         const char          *path,
                         const char          *branch,
                         const char          *at,
                         JsonNode            *body,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (BOUGH_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bough_client_rest_async);
  bytes = node_to_bytes (body);
  url = build_url (self, path, branch, at);
  request_start_full (self, method, url, bytes, FALSE, NULL, cancellable,
                      bough_client_rest_async, rest_done_cb, g_steal_pointer (&task));
}

/**
 * bough_client_rest_finish:
 * @self: a #BoughClient
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the JSON reply
 */
JsonNode *
bough_client_rest_finish (BoughClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bough_client_rest_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- schema, with its cache ---- */

/* A few branches and times: the pages of one window look at one or two. */
#define SCHEMA_CACHE_SIZE 8

typedef struct _SchemaFetch SchemaFetch;

typedef struct
{
  char        *branch;    /* "" for the default branch */
  char        *at;        /* "" for now */
  BoughSchema *schema;    /* nullable until first fetched */
  char        *hash;      /* the `main` hash of @schema, nullable */
  gboolean     settled;   /* at a past time: never revalidated */
  guint64      used;      /* for the eviction of the least recently used */
  SchemaFetch *fetch;     /* the request in flight, owned by it */
} SchemaEntry;

/* One request shared by every caller asking for the same entry meanwhile.
 * It belongs to itself: it ends with its last callback, whatever the
 * callers do, so a cancelled caller leaves it running for the others. */
struct _SchemaFetch
{
  BoughClient *client;
  SchemaEntry *entry;     /* NULL once the cache dropped the entry */
  char        *branch;
  char        *at;
  GPtrArray   *waiters;   /* GTask* of the callers still waiting */
};

/* The task data of a caller's task while it waits on a fetch. */
typedef struct
{
  SchemaFetch *fetch;
  GSource     *cancelled; /* nullable */
} SchemaWaiter;

static void
schema_waiter_free (SchemaWaiter *waiter)
{
  if (waiter->cancelled != NULL)
    {
      g_source_destroy (waiter->cancelled);
      g_source_unref (waiter->cancelled);
    }
  g_free (waiter);
}

static void
schema_entry_free (gpointer data)
{
  SchemaEntry *entry = data;

  /* The fetch goes on for its callers but caches nothing any more. */
  if (entry->fetch != NULL)
    entry->fetch->entry = NULL;
  g_free (entry->branch);
  g_free (entry->at);
  g_clear_pointer (&entry->schema, bough_schema_unref);
  g_free (entry->hash);
  g_free (entry);
}

static char *
schema_key (const char *branch,
            const char *at)
{
  return g_strconcat (branch ? branch : "", "\n", at ? at : "", NULL);
}

/* Whether @at names a fixed time well in the past: the schema as of then
 * cannot change. Relative times ("10m") move with the clock. */
static gboolean
schema_at_is_settled (BoughClient *self,
                      const char  *at)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (at == NULL || at[0] == '\0')
    return FALSE;
  utc = g_time_zone_new_utc ();
  when = g_date_time_new_from_iso8601 (at, utc);
  if (when == NULL)
    return FALSE;
  now = g_date_time_new_now_utc ();
  return g_date_time_difference (now, when) > self->schema_settle;
}

static void
schema_cache_drop (BoughClient *self)
{
  g_hash_table_remove_all (self->schemas);
}

static void
schema_cache_evict (BoughClient *self)
{
  while (g_hash_table_size (self->schemas) > SCHEMA_CACHE_SIZE)
    {
      GHashTableIter iter;
      SchemaEntry *entry;
      const char *key;
      const char *oldest = NULL;
      guint64 oldest_used = G_MAXUINT64;

      g_hash_table_iter_init (&iter, self->schemas);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &entry))
        if (entry->fetch == NULL && entry->used < oldest_used)
          {
            oldest = key;
            oldest_used = entry->used;
          }
      /* every entry is being fetched: the cache shrinks when they are done */
      if (oldest == NULL)
        return;
      g_hash_table_remove (self->schemas, oldest);
    }
}

/* Gives @schema (or @error) to every caller still waiting, then frees @fetch. */
static void
schema_fetch_finish (SchemaFetch  *fetch,
                     BoughSchema  *schema,
                     const char   *hash,
                     const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&fetch->waiters);

  if (fetch->entry != NULL)
    {
      SchemaEntry *entry = fetch->entry;

      entry->fetch = NULL;
      if (schema != NULL && schema != entry->schema)
        {
          g_clear_pointer (&entry->schema, bough_schema_unref);
          entry->schema = bough_schema_ref (schema);
          g_free (entry->hash);
          entry->hash = g_strdup (hash);
        }
      schema_cache_evict (fetch->client);
    }
  /* No cancellation from now on: a callback may cancel another caller. */
  for (guint i = 0; i < waiters->len; i++)
    g_task_set_task_data (g_ptr_array_index (waiters, i), NULL, NULL);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (schema != NULL)
        g_task_return_pointer (task, bough_schema_ref (schema), (GDestroyNotify) bough_schema_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
  g_object_unref (fetch->client);
  g_free (fetch->branch);
  g_free (fetch->at);
  g_free (fetch);
}

static void
schema_parse_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  BoughSchema *schema = bough_schema_new_from_json (task_data, &error);

  if (schema == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, schema, (GDestroyNotify) bough_schema_unref);
}

static void
schema_parsed_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SchemaFetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = g_task_propagate_pointer (G_TASK (result), &error);
  JsonNode *root = g_task_get_task_data (G_TASK (result));
  const char *hash = NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    hash = json_object_get_string_member_with_default (json_node_get_object (root), "main", NULL);
  schema_fetch_finish (fetch, schema, hash, error);
}

static void
schema_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SchemaFetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *root = bough_client_rest_finish (BOUGH_CLIENT (source), result, &error);
  GTask *parse;

  if (root == NULL)
    {
      schema_fetch_finish (fetch, NULL, NULL, error);
      return;
    }
  /* A big schema takes a while to build: not on the caller's thread. The
   * thread may drop the task after its callback ran: it holds no client. */
  parse = g_task_new (NULL, NULL, schema_parsed_cb, fetch);
  g_task_set_source_tag (parse, schema_fetched_cb);
  g_task_set_task_data (parse, root, (GDestroyNotify) json_node_unref);
  g_task_run_in_thread (parse, schema_parse_thread);
  g_object_unref (parse);
}

static void
schema_fetch_full (SchemaFetch *fetch)
{
  bough_client_rest_async (fetch->client, "GET", "/api/schema", fetch->branch, fetch->at, NULL,
                           NULL, schema_fetched_cb, fetch);
}

static void
schema_summary_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SchemaFetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bough_client_rest_finish (BOUGH_CLIENT (source), result, &error);
  SchemaEntry *entry = fetch->entry;
  const char *hash = NULL;

  if (root == NULL)
    {
      /* A server without the summary still serves the whole schema; one
       * that refuses us or cannot be reached would refuse that too. */
      if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_NETWORK) ||
          g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED) ||
          g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION))
        schema_fetch_finish (fetch, NULL, NULL, error);
      else
        schema_fetch_full (fetch);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (root))
    hash = json_object_get_string_member_with_default (json_node_get_object (root), "main", NULL);
  if (entry != NULL && entry->schema != NULL && hash != NULL && g_strcmp0 (hash, entry->hash) == 0)
    {
      g_autoptr(BoughSchema) schema = bough_schema_ref (entry->schema);

      schema_fetch_finish (fetch, schema, hash, NULL);
      return;
    }
  schema_fetch_full (fetch);
}

/* A caller gave up: it gets its cancellation now; the fetch goes on. */
static gboolean
schema_waiter_cancelled_cb (GCancellable *cancellable,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  SchemaWaiter *waiter = g_task_get_task_data (task);

  g_assert (waiter != NULL);
  g_ptr_array_remove_fast (waiter->fetch->waiters, task);
  g_task_set_task_data (task, NULL, NULL);
  g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
schema_fetch_add_waiter (SchemaFetch *fetch,
                         GTask       *task)
{
  SchemaWaiter *waiter = g_new0 (SchemaWaiter, 1);
  GCancellable *cancellable = g_task_get_cancellable (task);

  waiter->fetch = fetch;
  if (cancellable != NULL)
    {
      waiter->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancelled, G_SOURCE_FUNC (schema_waiter_cancelled_cb), task,
                             NULL);
      g_source_set_static_name (waiter->cancelled, "[bough] schema fetch cancelled");
      g_source_attach (waiter->cancelled, g_task_get_context (task));
    }
  g_task_set_task_data (task, waiter, (GDestroyNotify) schema_waiter_free);
  /* the array owns the task until it is returned */
  g_ptr_array_add (fetch->waiters, task);
}

/**
 * bough_client_fetch_schema_async:
 * @self: a #BoughClient
 * @branch: (nullable): the branch, %NULL for the default branch
 * @at: (nullable): a time, %NULL for now
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the schema
 * @user_data: data for @callback
 *
 * Gets the schema of @branch as of @at (`GET /api/schema`) as a #BoughSchema
 * (nodes, generics with their attributes, relationships and inheritance).
 *
 * The client keeps the last few schemas it fetched, by branch and time, so
 * that pages loading at once do not each download and parse the whole
 * schema:
 *
 * - a schema of now (or of a relative or future time) is revalidated on
 *   every call with `GET /api/schema/summary`, whose `main` hash is compared
 *   with the cached one: only a changed schema is downloaded again;
 * - a schema as of an absolute time more than a minute in the past is
 *   settled history and served from the cache without asking the server;
 * - calls for the same branch and time while a fetch is under way wait for
 *   that fetch instead of making their own; cancelling one of them ends
 *   only that call.
 *
 * The cache is emptied when the credentials change (sign-in, sign-out, a
 * new token); bough_client_invalidate_schema() empties it on demand. The
 * schema returned may be shared with other callers: do not change it.
 */
void
bough_client_fetch_schema_async (BoughClient         *self,
                                 const char          *branch,
                                 const char          *at,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  SchemaEntry *entry;
  SchemaFetch *fetch;

  g_return_if_fail (BOUGH_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bough_client_fetch_schema_async);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (branch == NULL)
    branch = "";
  if (at == NULL)
    at = "";
  key = schema_key (branch, at);
  entry = g_hash_table_lookup (self->schemas, key);
  if (entry == NULL)
    {
      entry = g_new0 (SchemaEntry, 1);
      entry->branch = g_strdup (branch);
      entry->at = g_strdup (at);
      entry->settled = schema_at_is_settled (self, at);
      g_hash_table_insert (self->schemas, g_steal_pointer (&key), entry);
    }
  entry->used = ++self->schema_tick;

  if (entry->schema != NULL && entry->settled)
    {
      g_task_return_pointer (task, bough_schema_ref (entry->schema),
                             (GDestroyNotify) bough_schema_unref);
      return;
    }
  if (entry->fetch != NULL)
    {
      schema_fetch_add_waiter (entry->fetch, g_steal_pointer (&task));
      return;
    }

  fetch = g_new0 (SchemaFetch, 1);
  fetch->client = g_object_ref (self);
  fetch->entry = entry;
  fetch->branch = g_strdup (branch);
  fetch->at = g_strdup (at);
  fetch->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  entry->fetch = fetch;
  schema_fetch_add_waiter (fetch, g_steal_pointer (&task));
  if (entry->schema != NULL && entry->hash != NULL)
    bough_client_rest_async (self, "GET", "/api/schema/summary", branch, at, NULL, NULL,
                             schema_summary_cb, fetch);
  else
    schema_fetch_full (fetch);
}

/**
 * bough_client_fetch_schema_finish:
 * @self: a #BoughClient
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the schema
 */
BoughSchema *
bough_client_fetch_schema_finish (BoughClient   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bough_client_fetch_schema_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bough_client_invalidate_schema:
 * @self: a #BoughClient
 * @branch: (nullable): a branch, or %NULL for every branch
 *
 * Forgets the cached schemas of @branch (at every time), so that the next
 * bough_client_fetch_schema_async() downloads it again. Revalidation finds
 * changes by itself; this is for what it cannot see, such as a past time of
 * a branch that was rebased since. A fetch under way still answers its
 * callers.
 */
void
bough_client_invalidate_schema (BoughClient *self,
                                const char  *branch)
{
  GHashTableIter iter;
  SchemaEntry *entry;

  g_return_if_fail (BOUGH_IS_CLIENT (self));

  if (branch == NULL)
    {
      schema_cache_drop (self);
      return;
    }
  g_hash_table_iter_init (&iter, self->schemas);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (g_str_equal (entry->branch, branch))
      g_hash_table_iter_remove (&iter);
}

/* ---- subscriptions ---- */

/**
 * BoughClientSubscription:
 *
 * One GraphQL subscription made by bough_client_subscribe().
 *
 * The subscriptions of a client share one websocket per branch (the server
 * binds a socket to the branch of its address), speaking the `graphql-ws`
 * protocol: `connection_init` with the client's credentials, then a `start`
 * per subscription, each with its own id, `data`, `error` and `complete`
 * for one id, and `stop` to end one. The socket opens with the first
 * subscription and closes a few seconds after the last one ends.
 *
 * It emits #BoughClientSubscription::next for each result,
 * #BoughClientSubscription::error once if it fails (refused credentials,
 * its own error from the server, a connection lost for good) and
 * #BoughClientSubscription::complete once when the server ends it or after
 * bough_client_subscription_stop(). After ::error or ::complete it is no
 * longer active and emits nothing more.
 *
 * When an open socket drops (the server restarts, the network goes away),
 * the client connects again, waiting longer after each failed try, and
 * starts every live subscription again; they fail with
 * %BOUGH_ERROR_NETWORK only when the server stays away (about a minute).
 */
struct _BoughClientSubscription
{
  GObject      parent_instance;

  BoughClient *client;
  WsConn      *conn;      /* the socket it runs on; NULL once it ended */
  char        *query;
  JsonNode    *variables;
  char        *id;
  gboolean     active;
  gboolean     started;   /* `start` sent on the current socket */
};

/* A graphql-ws socket shared by the subscriptions of one branch. It belongs
 * to the client's list while it serves (or lingers); callbacks in flight
 * hold references. */
struct _WsConn
{
  BoughClient             *client;     /* NULL once closed for good */
  char                    *url;
  GHashTable              *subs;       /* id → BoughClientSubscription*, not owned */
  GCancellable            *cancellable;
  SoupWebsocketConnection *ws;
  gulong                   message_id;
  gulong                   closed_id;
  guint                    timer;      /* connect again, or close after the last subscription */
  guint                    attempts;   /* failed reconnections in a row */
  gboolean                 acked;      /* connection_ack received on this socket */
  gboolean                 was_open;   /* acknowledged once: a drop is retried */
  gboolean                 refreshed;  /* the access token was refreshed for this try */
  char                    *refusal;    /* the connection_error of this try */
};

/* How many subscriptions share one socket: the server's default limit. */
#define WS_MAX_SUBSCRIPTIONS 10
/* How long a socket stays open after its last subscription ends, so that a
 * page that reloads does not reconnect. */
#define WS_LINGER_MS 3000
/* Reconnection: 250 ms, then twice as long each time, at most 8 s
 * (WS_RETRY_ATTEMPTS tries). */
#define WS_RETRY_FIRST_MS 250
#define WS_RETRY_MAX_MS   8000

G_DEFINE_FINAL_TYPE (BoughClientSubscription, bough_client_subscription, G_TYPE_OBJECT)

enum {
  SUB_PROP_0,
  SUB_PROP_ACTIVE,
  SUB_N_PROPS
};

static GParamSpec *sub_properties[SUB_N_PROPS];

enum {
  SIGNAL_NEXT,
  SIGNAL_ERROR,
  SIGNAL_COMPLETE,
  N_SIGNALS
};

static guint sub_signals[N_SIGNALS];

static void ws_conn_connect (WsConn *conn);

static WsConn *
ws_conn_ref (WsConn *conn)
{
  return g_rc_box_acquire (conn);
}

static void
ws_conn_clear (WsConn *conn)
{
  g_assert (conn->ws == NULL);
  g_assert (conn->timer == 0);
  g_free (conn->url);
  g_free (conn->refusal);
  g_hash_table_unref (conn->subs);
  g_clear_object (&conn->cancellable);
}

static void
ws_conn_unref (WsConn *conn)
{
  g_rc_box_release_full (conn, (GDestroyNotify) ws_conn_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsConn, ws_conn_unref)

static gboolean
release_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

/* Lets go of the socket (closing it if it is open). */
static void
ws_conn_close_socket (WsConn *conn)
{
  GHashTableIter iter;
  BoughClientSubscription *sub;

  if (conn->ws == NULL)
    return;
  g_clear_signal_handler (&conn->message_id, conn->ws);
  g_clear_signal_handler (&conn->closed_id, conn->ws);
  if (soup_websocket_connection_get_state (conn->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  conn->acked = FALSE;
  /* the next socket starts them again */
  g_hash_table_iter_init (&iter, conn->subs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sub))
    sub->started = FALSE;
  /* This may run inside one of the connection's own signals: it must
   * outlive the emission. */
  g_idle_add_full (G_PRIORITY_DEFAULT, release_cb, g_steal_pointer (&conn->ws), g_object_unref);
}

/* Closes @conn for good and takes it off its client's list. Its
 * subscriptions must have left it. */
static void
ws_conn_destroy (WsConn *conn)
{
  BoughClient *client = conn->client;

  if (client == NULL)
    return;
  conn->client = NULL;
  g_cancellable_cancel (conn->cancellable);
  g_clear_handle_id (&conn->timer, g_source_remove);
  ws_conn_close_socket (conn);
  /* the list's reference goes last */
  g_ptr_array_remove (client->conns, conn);
}

static void
ws_conn_send (WsConn     *conn,
              const char *type,
              const char *id,
              JsonNode   *payload)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  if (conn->ws == NULL ||
      soup_websocket_connection_get_state (conn->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  json_object_set_string_member (object, "type", type);
  if (id != NULL)
    json_object_set_string_member (object, "id", id);
  if (payload != NULL)
    json_object_set_member (object, "payload", json_node_ref (payload));
  node = json_node_init_object (json_node_alloc (), object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  soup_websocket_connection_send_text (conn->ws, text);
}

static void
subscription_start (BoughClientSubscription *self)
{
  g_autoptr(JsonObject) start = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  g_assert (self->conn != NULL && self->conn->acked);
  json_object_set_string_member (start, "query", self->query);
  if (self->variables != NULL)
    json_object_set_member (start, "variables", json_node_copy (self->variables));
  node = json_node_init_object (json_node_alloc (), start);
  self->started = TRUE;
  ws_conn_send (self->conn, "start", self->id, node);
}

static gboolean
ws_conn_linger_cb (gpointer user_data)
{
  WsConn *conn = user_data;

  conn->timer = 0;
  ws_conn_destroy (conn);
  return G_SOURCE_REMOVE;
}

/* Takes @self off its socket; tells the server when @stop. */
static void
subscription_detach (BoughClientSubscription *self,
                     gboolean                 stop)
{
  WsConn *conn = self->conn;

  if (conn == NULL)
    return;
  self->conn = NULL;
  if (stop && self->started && conn->acked)
    ws_conn_send (conn, "stop", self->id, NULL);
  self->started = FALSE;
  g_hash_table_remove (conn->subs, self->id);
  if (g_hash_table_size (conn->subs) == 0 && conn->client != NULL)
    {
      /* An open socket waits a little for the next subscription; one that
       * is still connecting (or waiting to) is not needed any more. */
      g_clear_handle_id (&conn->timer, g_source_remove);
      if (conn->acked)
        conn->timer = g_timeout_add (WS_LINGER_MS, ws_conn_linger_cb, conn);
      else
        ws_conn_destroy (conn);
    }
}

/* Ends the subscription with @error (NULL: completed); keeps @self alive
 * through the emission. @stop: the server still runs it. */
static void
subscription_end (BoughClientSubscription *self,
                  const GError            *error,
                  gboolean                 stop)
{
  g_autoptr(BoughClientSubscription) hold = g_object_ref (self);

  if (!self->active)
    return;
  self->active = FALSE;
  subscription_detach (self, stop);
  g_object_notify_by_pspec (G_OBJECT (self), sub_properties[SUB_PROP_ACTIVE]);
  if (error != NULL)
    g_signal_emit (self, sub_signals[SIGNAL_ERROR], 0, error);
  else
    g_signal_emit (self, sub_signals[SIGNAL_COMPLETE], 0);
}

/* The subscriptions of @conn, each held. */
static GPtrArray *
ws_conn_list_subs (WsConn *conn)
{
  GPtrArray *subs = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  BoughClientSubscription *sub;

  g_hash_table_iter_init (&iter, conn->subs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sub))
    g_ptr_array_add (subs, g_object_ref (sub));
  return subs;
}

/* The socket cannot serve: every subscription on it fails with @error. */
static void
ws_conn_fail (WsConn       *conn,
              const GError *error)
{
  g_autoptr(WsConn) hold = ws_conn_ref (conn);
  g_autoptr(GPtrArray) subs = ws_conn_list_subs (conn);

  /* Off the list first: a handler that subscribes again gets a new socket. */
  ws_conn_destroy (conn);
  for (guint i = 0; i < subs->len; i++)
    subscription_end (g_ptr_array_index (subs, i), error, FALSE);
}

static gboolean
ws_conn_retry_cb (gpointer user_data)
{
  WsConn *conn = user_data;

  conn->timer = 0;
  ws_conn_connect (conn);
  return G_SOURCE_REMOVE;
}

/* The socket that served dropped, or a try to open it again failed: try
 * again later, unless the server stayed away too long. */
static void
ws_conn_retry (WsConn       *conn,
               const GError *error)
{
  guint delay;

  ws_conn_close_socket (conn);
  if (g_hash_table_size (conn->subs) == 0)
    {
      ws_conn_destroy (conn);
      return;
    }
  if (conn->attempts >= conn->client->ws_retries)
    {
      ws_conn_fail (conn, error);
      return;
    }
  delay = MIN ((guint) WS_RETRY_FIRST_MS << MIN (conn->attempts, 16u), (guint) WS_RETRY_MAX_MS);
  conn->attempts++;
  g_debug ("subscriptions on %s: connecting again in %u ms (%s)", conn->url, delay,
           error->message);
  g_clear_handle_id (&conn->timer, g_source_remove);
  conn->timer = g_timeout_add (delay, ws_conn_retry_cb, conn);
}

static char *
payload_message (JsonNode *payload)
{
  JsonNode *first = payload;

  if (payload == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (payload) && json_array_get_length (json_node_get_array (payload)) > 0)
    first = json_array_get_element (json_node_get_array (payload), 0);
  if (first != NULL && JSON_NODE_HOLDS_OBJECT (first))
    return g_strdup (json_object_get_string_member_with_default (json_node_get_object (first),
                                                                 "message", NULL));
  return NULL;
}

static void
ws_conn_refresh_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(WsConn) conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = request_finish (result, &error);
  const char *access = NULL;

  if (conn->client == NULL)
    return;
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    access = json_object_get_string_member_with_default (json_node_get_object (root),
                                                         "access_token", NULL);
  if (access == NULL)
    {
      g_autoptr(GError) end = g_error_new (BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED,
                                           "The session has expired; sign in again");

      ws_conn_fail (conn, end);
      return;
    }
  g_free (conn->client->access_token);
  conn->client->access_token = g_strdup (access);
  ws_conn_connect (conn);
}

static void
ws_conn_message_cb (SoupWebsocketConnection *ws,
                    int                      type,
                    GBytes                  *message,
                    gpointer                 user_data)
{
  g_autoptr(WsConn) conn = ws_conn_ref (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(BoughClientSubscription) sub = NULL;
  BoughClient *client = conn->client;
  JsonObject *object;
  const char *kind;
  const char *id;
  JsonNode *payload;

  if (type != SOUP_WEBSOCKET_DATA_TEXT || client == NULL)
    return;
  root = parse_json (message, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  kind = json_object_get_string_member_with_default (object, "type", "");
  id = json_object_get_string_member_with_default (object, "id", NULL);
  payload = json_object_get_member (object, "payload");

  if (g_str_equal (kind, "connection_ack"))
    {
      g_autoptr(GPtrArray) subs = ws_conn_list_subs (conn);

      conn->acked = TRUE;
      conn->was_open = TRUE;
      conn->attempts = 0;
      conn->refreshed = FALSE;
      for (guint i = 0; i < subs->len; i++)
        {
          BoughClientSubscription *each = g_ptr_array_index (subs, i);

          if (each->conn == conn && !each->started)
            subscription_start (each);
        }
      return;
    }
  if (g_str_equal (kind, "connection_error"))
    {
      g_autofree char *text = payload_message (payload);

      /* Once acknowledged, the socket still serves: the server says so of
       * a message it did not understand. */
      if (conn->acked)
        {
          g_debug ("subscriptions on %s: %s", conn->url, text ? text : "connection error");
          return;
        }
      /* An expired access token: refresh once and connect again. */
      if (!conn->refreshed && client->token == NULL && client->refresh_token != NULL)
        {
          g_autofree char *url = build_url (client, "/api/auth/refresh", NULL, NULL);

          conn->refreshed = TRUE;
          ws_conn_close_socket (conn);
          request_start_full (client, "POST", url, NULL, TRUE, client->refresh_token,
                              conn->cancellable, NULL, ws_conn_refresh_cb, ws_conn_ref (conn));
          return;
        }
      /* The close that follows says why: refused credentials (4401) or
       * not (see ws_conn_closed_cb()). */
      g_free (conn->refusal);
      conn->refusal = g_strdup (text ? text : "The server refused the connection");
      return;
    }
  if (id == NULL || (sub = g_hash_table_lookup (conn->subs, id)) == NULL)
    return;
  g_object_ref (sub);
  if (g_str_equal (kind, "data") || g_str_equal (kind, "next"))
    {
      if (payload != NULL)
        g_signal_emit (sub, sub_signals[SIGNAL_NEXT], 0, payload);
    }
  else if (g_str_equal (kind, "error"))
    {
      g_autofree char *text = payload_message (payload);
      JsonNode *first = payload;
      int code = BOUGH_ERROR_INVALID;

      if (payload != NULL && JSON_NODE_HOLDS_ARRAY (payload) &&
          json_array_get_length (json_node_get_array (payload)) > 0)
        first = json_array_get_element (json_node_get_array (payload), 0);
      if (first != NULL && JSON_NODE_HOLDS_OBJECT (first))
        code = graphql_error_code (json_node_get_object (first));
      error = g_error_new (BOUGH_ERROR, code, "%s", text ? text : "The subscription failed");
      subscription_end (sub, error, FALSE);
    }
  else if (g_str_equal (kind, "complete"))
    subscription_end (sub, NULL, FALSE);
}

static void
ws_conn_closed_cb (SoupWebsocketConnection *ws,
                   gpointer                 user_data)
{
  g_autoptr(WsConn) conn = ws_conn_ref (user_data);
  g_autoptr(GError) error = NULL;
  gushort code = soup_websocket_connection_get_close_code (ws);

  if (conn->client == NULL)
    return;
  if (code == 4401)
    {
      error = g_error_new (BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED, "%s",
                           conn->refusal ? conn->refusal
                                         : "The server refused the credentials of the subscription");
      ws_conn_close_socket (conn);
      ws_conn_fail (conn, error);
      return;
    }
  /* Any other refusal (too many sockets, a server shutting down) is the
   * server's state, not ours. */
  if (conn->refusal != NULL)
    error = g_error_new (BOUGH_ERROR, BOUGH_ERROR_NETWORK, "%s (%u)", conn->refusal, code);
  else
    error = g_error_new (BOUGH_ERROR, BOUGH_ERROR_NETWORK, "The connection to %s was closed (%u)",
                         conn->client->base_url, code);
  if (conn->was_open)
    ws_conn_retry (conn, error);
  else
    {
      ws_conn_close_socket (conn);
      ws_conn_fail (conn, error);
    }
}

static void
ws_conn_connected_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(WsConn) conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) init = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  SoupWebsocketConnection *ws;
  BoughClient *client = conn->client;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (ws == NULL)
    {
      g_autoptr(GError) mapped = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client == NULL)
        return;
      mapped = transport_error (client, error);
      if (conn->was_open)
        ws_conn_retry (conn, mapped);
      else
        ws_conn_fail (conn, mapped);
      return;
    }
  if (client == NULL)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (ws);
      return;
    }
  conn->ws = ws;
  client->n_websockets++;
  conn->message_id = g_signal_connect (ws, "message", G_CALLBACK (ws_conn_message_cb), conn);
  conn->closed_id = g_signal_connect (ws, "closed", G_CALLBACK (ws_conn_closed_cb), conn);

  /* The credentials go in connection_init's payload, as headers would. */
  if (client->token != NULL)
    json_object_set_string_member (init, "X-INFRAHUB-KEY", client->token);
  else if (client->access_token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", client->access_token, NULL);

      json_object_set_string_member (init, "Authorization", bearer);
    }
  node = json_node_init_object (json_node_alloc (), init);
  ws_conn_send (conn, "connection_init", NULL, node);
}

static void
ws_conn_connect (WsConn *conn)
{
  static const char * const protocols[] = { "graphql-ws", NULL };
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", conn->url);

  g_assert (conn->ws == NULL);
  g_clear_pointer (&conn->refusal, g_free);
  if (msg == NULL)
    {
      g_autoptr(GError) error = g_error_new (BOUGH_ERROR, BOUGH_ERROR_INVALID,
                                             "Not a valid server address: %s", conn->url);

      ws_conn_fail (conn, error);
      return;
    }
  soup_session_websocket_connect_async (conn->client->session, msg, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, conn->cancellable,
                                        ws_conn_connected_cb, ws_conn_ref (conn));
}

/* A socket to @url with room for one more subscription, opening one if
 * needed (from the main loop: the caller connects its signals first). */
static WsConn *
ws_conn_get (BoughClient *self,
             const char  *url)
{
  WsConn *conn;

  for (guint i = 0; i < self->conns->len; i++)
    {
      conn = g_ptr_array_index (self->conns, i);
      if (g_str_equal (conn->url, url) &&
          g_hash_table_size (conn->subs) < WS_MAX_SUBSCRIPTIONS &&
          conn->client != NULL)
        {
          /* no longer lingering */
          if (conn->acked)
            g_clear_handle_id (&conn->timer, g_source_remove);
          return conn;
        }
    }
  conn = g_rc_box_new0 (WsConn);
  conn->client = self;
  conn->url = g_strdup (url);
  conn->subs = g_hash_table_new (g_str_hash, g_str_equal);
  conn->cancellable = g_cancellable_new ();
  g_ptr_array_add (self->conns, conn);
  conn->timer = g_idle_add (ws_conn_retry_cb, conn);
  return conn;
}

static void
bough_client_subscription_dispose (GObject *object)
{
  BoughClientSubscription *self = BOUGH_CLIENT_SUBSCRIPTION (object);

  self->active = FALSE;
  subscription_detach (self, TRUE);

  G_OBJECT_CLASS (bough_client_subscription_parent_class)->dispose (object);
}

static void
bough_client_subscription_finalize (GObject *object)
{
  BoughClientSubscription *self = BOUGH_CLIENT_SUBSCRIPTION (object);

  g_clear_object (&self->client);
  g_free (self->query);
  g_free (self->id);
  g_clear_pointer (&self->variables, json_node_unref);

  G_OBJECT_CLASS (bough_client_subscription_parent_class)->finalize (object);
}

static void
bough_client_subscription_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BoughClientSubscription *self = BOUGH_CLIENT_SUBSCRIPTION (object);

  switch (prop_id)
    {
    case SUB_PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_client_subscription_class_init (BoughClientSubscriptionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bough_client_subscription_dispose;
  object_class->finalize = bough_client_subscription_finalize;
  object_class->get_property = bough_client_subscription_get_property;

  /**
   * BoughClientSubscription:active:
   *
   * Whether the subscription still runs (neither failed, completed nor stopped).
   */
  sub_properties[SUB_PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, SUB_N_PROPS, sub_properties);

  /**
   * BoughClientSubscription::next:
   * @self: the subscription
   * @payload: the result, `{data, errors?}`
   *
   * Emitted for each result the server pushes.
   */
  sub_signals[SIGNAL_NEXT] =
    g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE);
  /**
   * BoughClientSubscription::error:
   * @self: the subscription
   * @error: what went wrong, of the %BOUGH_ERROR domain
   *
   * Emitted once when the subscription fails; it is then no longer active.
   */
  sub_signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  /**
   * BoughClientSubscription::complete:
   * @self: the subscription
   *
   * Emitted once when the subscription ends without an error.
   */
  sub_signals[SIGNAL_COMPLETE] =
    g_signal_new ("complete", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
bough_client_subscription_init (BoughClientSubscription *self)
{
}

/**
 * bough_client_subscribe:
 * @self: a #BoughClient
 * @branch: (nullable): the branch, %NULL for the default branch
 * @query: a GraphQL subscription document
 * @variables: (nullable): a JSON object node of variables
 *
 * Starts a subscription on the client's websocket of @branch
 * (`ws(s)://…/graphql/{branch}`), opening it if it is not open. Connect to
 * its signals right away: everything it emits comes from the main loop.
 * Unref it (or call bough_client_subscription_stop()) to end it.
 *
 * Returns: (transfer full): the subscription
 */
BoughClientSubscription *
bough_client_subscribe (BoughClient *self,
                        const char  *branch,
                        const char  *query,
                        JsonNode    *variables)
{
  BoughClientSubscription *sub;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ws_url = NULL;

  g_return_val_if_fail (BOUGH_IS_CLIENT (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (variables == NULL || JSON_NODE_HOLDS_OBJECT (variables), NULL);

  if (branch != NULL && branch[0] != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (branch, "/", FALSE);

      path = g_strconcat ("/graphql/", escaped, NULL);
    }
  else
    path = g_strdup ("/graphql");
  url = build_url (self, path, NULL, NULL);
  if (g_str_has_prefix (url, "https:"))
    ws_url = g_strconcat ("wss:", url + strlen ("https:"), NULL);
  else if (g_str_has_prefix (url, "http:"))
    ws_url = g_strconcat ("ws:", url + strlen ("http:"), NULL);
  else
    ws_url = g_strdup (url);

  sub = g_object_new (BOUGH_TYPE_CLIENT_SUBSCRIPTION, NULL);
  sub->client = g_object_ref (self);
  sub->query = g_strdup (query);
  sub->variables = variables ? json_node_copy (variables) : NULL;
  sub->id = g_strdup_printf ("%u", ++self->next_subscription);
  sub->active = TRUE;
  sub->conn = ws_conn_get (self, ws_url);
  g_hash_table_insert (sub->conn->subs, sub->id, sub);
  if (sub->conn->acked)
    subscription_start (sub);
  return sub;
}

/**
 * bough_client_subscription_get_client:
 * @self: a #BoughClientSubscription
 *
 * Returns: (transfer none): the client that made it
 */
BoughClient *
bough_client_subscription_get_client (BoughClientSubscription *self)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT_SUBSCRIPTION (self), NULL);

  return self->client;
}

/**
 * bough_client_subscription_get_active:
 * @self: a #BoughClientSubscription
 *
 * Returns: whether the subscription still runs
 */
gboolean
bough_client_subscription_get_active (BoughClientSubscription *self)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT_SUBSCRIPTION (self), FALSE);

  return self->active;
}

/**
 * bough_client_subscription_stop:
 * @self: a #BoughClientSubscription
 *
 * Ends the subscription: sends `stop` for it to the server (the websocket
 * stays open for the client's other subscriptions) and emits
 * #BoughClientSubscription::complete if it was active.
 */
void
bough_client_subscription_stop (BoughClientSubscription *self)
{
  g_return_if_fail (BOUGH_IS_CLIENT_SUBSCRIPTION (self));

  subscription_end (self, NULL, TRUE);
}

/* ---- private accessors, for the tests ---- */

guint
_bough_client_get_request_count (BoughClient *self,
                                 const char  *path)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), 0);
  g_return_val_if_fail (path != NULL, 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, path));
}

void
_bough_client_set_schema_settle_time (BoughClient *self,
                                      GTimeSpan    settle)
{
  g_return_if_fail (BOUGH_IS_CLIENT (self));
  g_return_if_fail (settle >= 0);

  self->schema_settle = settle;
}

void
_bough_client_set_websocket_retries (BoughClient *self,
                                     guint        retries)
{
  g_return_if_fail (BOUGH_IS_CLIENT (self));

  self->ws_retries = retries;
}

guint
_bough_client_get_websocket_count (BoughClient *self)
{
  g_return_val_if_fail (BOUGH_IS_CLIENT (self), 0);

  return self->n_websockets;
}

guint
_bough_client_get_open_websockets (BoughClient *self)
{
  guint n = 0;

  g_return_val_if_fail (BOUGH_IS_CLIENT (self), 0);

  for (guint i = 0; i < self->conns->len; i++)
    if (((WsConn *) g_ptr_array_index (self->conns, i))->ws != NULL)
      n++;
  return n;
}
