/* bough-client.c: BoughClient over SoupSession: authentication (API token,
 * or login with a refresh of the access token on expiry), GraphQL and REST
 * requests, schema fetching, graphql-ws subscriptions, and the mapping of
 * transport, HTTP and GraphQL failures onto BOUGH_ERROR codes.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-client"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "bough-client.h"
#include "bough-error.h"

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

static void
bough_client_finalize (GObject *object)
{
  BoughClient *self = BOUGH_CLIENT (object);

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

/* ---- schema ---- */

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
schema_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *root = bough_client_rest_finish (BOUGH_CLIENT (source), result, &error);

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A big schema takes a while to build: not on the caller's thread. */
  g_task_set_task_data (task, root, (GDestroyNotify) json_node_unref);
  g_task_run_in_thread (task, schema_parse_thread);
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
 * Fetches `GET /api/schema` and builds a #BoughSchema of it (nodes,
 * generics with their attributes, relationships and inheritance).
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

  g_return_if_fail (BOUGH_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bough_client_fetch_schema_async);
  bough_client_rest_async (self, "GET", "/api/schema", branch, at, NULL, cancellable,
                           schema_fetched_cb, g_steal_pointer (&task));
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

/* ---- subscriptions ---- */

/**
 * BoughClientSubscription:
 *
 * One GraphQL subscription over a websocket speaking the `graphql-ws`
 * protocol (`connection_init` with the client's credentials, `start`,
 * `data`, `error`, `complete`, `stop`), made by bough_client_subscribe().
 *
 * It emits #BoughClientSubscription::next for each result,
 * #BoughClientSubscription::error once if it fails (refused credentials,
 * a server error, a lost connection) and #BoughClientSubscription::complete
 * once when the server ends it or after bough_client_subscription_stop().
 * After ::error or ::complete it is no longer active and emits nothing more.
 */
struct _BoughClientSubscription
{
  GObject                  parent_instance;

  BoughClient             *client;
  char                    *url;
  char                    *query;
  JsonNode                *variables;
  char                    *id;
  GCancellable            *cancellable;
  SoupWebsocketConnection *ws;
  gulong                   message_id;
  gulong                   closed_id;
  gboolean                 active;
  gboolean                 started;
  gboolean                 refreshed;
};

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

static void subscription_connect (BoughClientSubscription *self);

static gboolean
release_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

static void
subscription_close (BoughClientSubscription *self)
{
  if (self->ws == NULL)
    return;
  g_clear_signal_handler (&self->message_id, self->ws);
  g_clear_signal_handler (&self->closed_id, self->ws);
  if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  /* This may run inside one of the connection's own signals: it must
   * outlive the emission. */
  g_idle_add_full (G_PRIORITY_DEFAULT, release_cb, g_steal_pointer (&self->ws), g_object_unref);
}

/* Ends the subscription with @error (NULL: completed); keeps @self alive
 * through the emission. */
static void
subscription_end (BoughClientSubscription *self,
                  const GError            *error)
{
  g_autoptr(BoughClientSubscription) hold = g_object_ref (self);

  if (!self->active)
    return;
  self->active = FALSE;
  g_cancellable_cancel (self->cancellable);
  subscription_close (self);
  g_object_notify_by_pspec (G_OBJECT (self), sub_properties[SUB_PROP_ACTIVE]);
  if (error != NULL)
    g_signal_emit (self, sub_signals[SIGNAL_ERROR], 0, error);
  else
    g_signal_emit (self, sub_signals[SIGNAL_COMPLETE], 0);
}

static void
subscription_send (BoughClientSubscription *self,
                   const char              *type,
                   JsonNode                *payload)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_object_set_string_member (object, "type", type);
  if (g_strcmp0 (type, "connection_init") != 0)
    json_object_set_string_member (object, "id", self->id);
  if (payload != NULL)
    json_object_set_member (object, "payload", json_node_ref (payload));
  node = json_node_init_object (json_node_alloc (), object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  soup_websocket_connection_send_text (self->ws, text);
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
subscription_refresh_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(BoughClientSubscription) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = request_finish (result, &error);
  const char *access = NULL;

  if (!self->active)
    return;
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    access = json_object_get_string_member_with_default (json_node_get_object (root),
                                                         "access_token", NULL);
  if (access == NULL)
    {
      g_autoptr(GError) end = g_error_new (BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED,
                                           "The session has expired; sign in again");

      subscription_end (self, end);
      return;
    }
  g_free (self->client->access_token);
  self->client->access_token = g_strdup (access);
  subscription_connect (self);
}

static void
subscription_message_cb (SoupWebsocketConnection *ws,
                         int                      type,
                         GBytes                  *message,
                         gpointer                 user_data)
{
  BoughClientSubscription *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *kind;
  const char *id;
  JsonNode *payload;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
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
      g_autoptr(JsonObject) start = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (start, "query", self->query);
      if (self->variables != NULL)
        json_object_set_member (start, "variables", json_node_copy (self->variables));
      node = json_node_init_object (json_node_alloc (), start);
      self->started = TRUE;
      subscription_send (self, "start", node);
    }
  else if (g_str_equal (kind, "connection_error"))
    {
      g_autofree char *text = payload_message (payload);
      BoughClient *client = self->client;

      /* An expired access token: refresh once and connect again. */
      if (!self->started && !self->refreshed && client->token == NULL &&
          client->refresh_token != NULL)
        {
          g_autofree char *url = build_url (client, "/api/auth/refresh", NULL, NULL);

          self->refreshed = TRUE;
          subscription_close (self);
          request_start_full (client, "POST", url, NULL, TRUE, client->refresh_token,
                              self->cancellable, NULL, subscription_refresh_cb,
                              g_object_ref (self));
          return;
        }
      error = g_error_new (BOUGH_ERROR,
                           self->started ? BOUGH_ERROR_FAILED : BOUGH_ERROR_UNAUTHENTICATED,
                           "%s", text ? text : "The server refused the connection");
      subscription_end (self, error);
    }
  else if (g_strcmp0 (id, self->id) != 0)
    return;
  else if (g_str_equal (kind, "data") || g_str_equal (kind, "next"))
    {
      if (payload != NULL)
        g_signal_emit (self, sub_signals[SIGNAL_NEXT], 0, payload);
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
      subscription_end (self, error);
    }
  else if (g_str_equal (kind, "complete"))
    subscription_end (self, NULL);
}

static void
subscription_closed_cb (SoupWebsocketConnection *ws,
                        gpointer                 user_data)
{
  BoughClientSubscription *self = user_data;
  g_autoptr(GError) error = NULL;
  gushort code = soup_websocket_connection_get_close_code (ws);

  if (code == 4401)
    error = g_error_new (BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED,
                         "The server refused the credentials of the subscription");
  else
    error = g_error_new (BOUGH_ERROR, BOUGH_ERROR_NETWORK,
                         "The connection to %s was closed (%u)",
                         self->client->base_url, code);
  subscription_end (self, error);
}

static void
subscription_connected_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(BoughClientSubscription) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) init = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  SoupWebsocketConnection *ws;
  BoughClient *client = self->client;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (ws == NULL)
    {
      g_autoptr(GError) mapped = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->active)
        return;
      mapped = transport_error (client, error);
      subscription_end (self, mapped);
      return;
    }
  if (!self->active)
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (ws);
      return;
    }
  self->ws = ws;
  self->message_id = g_signal_connect (ws, "message", G_CALLBACK (subscription_message_cb), self);
  self->closed_id = g_signal_connect (ws, "closed", G_CALLBACK (subscription_closed_cb), self);

  /* The credentials go in connection_init's payload, as headers would. */
  if (client->token != NULL)
    json_object_set_string_member (init, "X-INFRAHUB-KEY", client->token);
  else if (client->access_token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", client->access_token, NULL);

      json_object_set_string_member (init, "Authorization", bearer);
    }
  node = json_node_init_object (json_node_alloc (), init);
  subscription_send (self, "connection_init", node);
}

static void
subscription_connect (BoughClientSubscription *self)
{
  static const char * const protocols[] = { "graphql-ws", NULL };
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", self->url);

  if (msg == NULL)
    {
      g_autoptr(GError) error = g_error_new (BOUGH_ERROR, BOUGH_ERROR_INVALID,
                                             "Not a valid server address: %s", self->url);

      subscription_end (self, error);
      return;
    }
  soup_session_websocket_connect_async (self->client->session, msg, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, self->cancellable,
                                        subscription_connected_cb, g_object_ref (self));
}

static void
bough_client_subscription_dispose (GObject *object)
{
  BoughClientSubscription *self = BOUGH_CLIENT_SUBSCRIPTION (object);

  self->active = FALSE;
  g_cancellable_cancel (self->cancellable);
  subscription_close (self);

  G_OBJECT_CLASS (bough_client_subscription_parent_class)->dispose (object);
}

static void
bough_client_subscription_finalize (GObject *object)
{
  BoughClientSubscription *self = BOUGH_CLIENT_SUBSCRIPTION (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_free (self->url);
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
  self->cancellable = g_cancellable_new ();
}

/**
 * bough_client_subscribe:
 * @self: a #BoughClient
 * @branch: (nullable): the branch, %NULL for the default branch
 * @query: a GraphQL subscription document
 * @variables: (nullable): a JSON object node of variables
 *
 * Starts a subscription on `ws(s)://…/graphql/{branch}`. Connect to its
 * signals right away: the connection is made from the main loop. Unref it
 * (or call bough_client_subscription_stop()) to end it.
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

  sub = g_object_new (BOUGH_TYPE_CLIENT_SUBSCRIPTION, NULL);
  sub->client = g_object_ref (self);
  if (g_str_has_prefix (url, "https:"))
    sub->url = g_strconcat ("wss:", url + strlen ("https:"), NULL);
  else if (g_str_has_prefix (url, "http:"))
    sub->url = g_strconcat ("ws:", url + strlen ("http:"), NULL);
  else
    sub->url = g_strdup (url);
  sub->query = g_strdup (query);
  sub->variables = variables ? json_node_copy (variables) : NULL;
  sub->id = g_strdup_printf ("%u", ++self->next_subscription);
  sub->active = TRUE;
  subscription_connect (sub);
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
 * Ends the subscription: sends `stop` to the server, closes the connection
 * and emits #BoughClientSubscription::complete if it was active.
 */
void
bough_client_subscription_stop (BoughClientSubscription *self)
{
  g_return_if_fail (BOUGH_IS_CLIENT_SUBSCRIPTION (self));

  if (self->ws != NULL && self->started &&
      soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    subscription_send (self, "stop", NULL);
  subscription_end (self, NULL);
}
