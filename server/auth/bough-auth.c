/* bough-auth.c: the authenticator: the signing key, the lookups of accounts,
 * API tokens and login sessions in the store, password logins with their
 * throttle, and the router hook that authenticates every request.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-auth"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bough-error.h"
#include "bough-auth-private.h"

#define KEY_FILE_NAME "secret_key"
#define MAX_USERNAME_LENGTH 256
/* The throttle forgets a key this long after its last failure. */
#define THROTTLE_MEMORY (G_USEC_PER_SEC * (gint64) 3600)
#define THROTTLE_MAX_DELAY 900
#define THROTTLE_MAX_KEYS 100000

typedef struct
{
  guint  failures;
  gint64 last;        /* monotonic µs of the latest failure */
} Failure;

struct _BoughAuth
{
  BoughStore *store;
  guint8     *key;
  gsize       key_length;
  gint64      access_lifetime;
  gint64      refresh_lifetime;
  gboolean    allow_anonymous;
  guint       max_failures;
  GMutex      lock;
  GHashTable *failures;  /* "u:<name>" / "a:<address>" → Failure* */
};

/* ---- the signing key ---- */

static gboolean
load_key (BoughAuth    *self,
          BoughConfig  *config,
          GError      **error)
{
  const char *configured = bough_config_get_string (config, "security", "secret_key");
  const char *data_dir;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (configured != NULL && *configured != '\0')
    {
      if (strlen (configured) < 16)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                       "security.secret_key must have at least 16 characters");
          return FALSE;
        }
      self->key_length = strlen (configured);
      self->key = g_memdup2 (configured, self->key_length);
      return TRUE;
    }

  /* Never a fixed default: a key of our own, kept beside the database so
   * tokens survive restarts, readable by the server's user only. */
  data_dir = bough_config_get_data_dir (config);
  path = g_build_filename (data_dir, KEY_FILE_NAME, NULL);
  if (!g_file_get_contents (path, &contents, &length, NULL))
    {
      g_autofree char *fresh = _bough_auth_random_text (48);

      if (g_mkdir_with_parents (data_dir, 0700) != 0 ||
          !g_file_set_contents_full (path, fresh, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        {
          g_prefix_error (error, "cannot write the secret key %s: ", path);
          return FALSE;
        }
      g_free (contents);
      contents = g_steal_pointer (&fresh);
      length = strlen (contents);
    }
  g_strstrip (contents);
  length = strlen (contents);
  if (length < 16)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG, "the secret key in %s is too short", path);
      return FALSE;
    }
  self->key_length = length;
  self->key = (guint8 *) g_steal_pointer (&contents);
  return TRUE;
}

/**
 * bough_auth_new:
 * @store: the store holding the accounts
 * @config: the configuration (security.*, main.allow_anonymous_access)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the authenticator, or %NULL with @error set
 *   (the signing key cannot be read or written)
 */
BoughAuth *
bough_auth_new (BoughStore   *store,
                BoughConfig  *config,
                GError      **error)
{
  g_autoptr(BoughAuth) self = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_bough_auth_crypto_init ())
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "libsodium cannot start");
      return NULL;
    }
  self = g_new0 (BoughAuth, 1);
  self->store = bough_store_ref (store);
  g_mutex_init (&self->lock);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->access_lifetime = bough_config_get_int (config, "security", "access_token_lifetime");
  self->refresh_lifetime = bough_config_get_int (config, "security", "refresh_token_lifetime");
  self->max_failures = (guint) bough_config_get_int (config, "security", "login_max_failures");
  self->allow_anonymous = g_strcmp0 (bough_config_get_string (config, "main",
                                                              "allow_anonymous_access"), "true") == 0;
  _bough_auth_set_password_cost (bough_config_get_string (config, "security", "password_cost"));
  if (!load_key (self, config, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
bough_auth_free (BoughAuth *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->store, bough_store_unref);
  if (self->key != NULL)
    memset (self->key, 0, self->key_length);
  g_free (self->key);
  g_mutex_clear (&self->lock);
  g_hash_table_unref (self->failures);
  g_free (self);
}

gboolean
bough_auth_get_allow_anonymous (BoughAuth *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->allow_anonymous;
}

/* ---- store lookups ---- */

static const char *
node_string (BoughNode  *node,
             const char *attribute)
{
  const BoughAttributeValue *av = bough_node_get_attribute (node, attribute);

  return av != NULL && av->type == BOUGH_VALUE_STRING ? av->v.string : NULL;
}

/* The first node of @kind whose @attribute equals @value (or whose id is
 * @value when @attribute is NULL). */
static BoughNode *
find_node (BoughStore  *store,
           const char  *kind,
           const char  *attribute,
           const char  *value,
           GError     **error)
{
  g_autoptr(BoughQueryResult) result = NULL;
  BoughQuery *query = bough_query_new (kind);
  g_autoptr(JsonNode) node = NULL;
  BoughNode *found = NULL;

  if (attribute != NULL)
    {
      node = json_node_init_string (json_node_alloc (), value);
      bough_query_add_filter (query, NULL, attribute, BOUGH_FILTER_VALUE, node);
    }
  else
    {
      JsonArray *ids = json_array_new ();

      json_array_add_string_element (ids, value);
      node = json_node_init_array (json_node_alloc (), ids);
      json_array_unref (ids);
      bough_query_add_filter (query, NULL, NULL, BOUGH_FILTER_IDS, node);
    }
  query->limit = 1;
  query->skip_count = TRUE;
  result = bough_store_query (store, query, error);
  bough_query_free (query);
  if (result == NULL)
    return NULL;
  if (result->nodes->len > 0)
    found = bough_node_ref (g_ptr_array_index (result->nodes, 0));
  return found;
}

static gboolean
account_is_active (BoughNode *account)
{
  const char *status = node_string (account, "status");

  return status == NULL || g_str_equal (status, "active");
}

/* The account @id, when it exists and may log in. */
static BoughNode *
get_active_account (BoughAuth   *self,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BoughNode) account = NULL;

  if (id == NULL || !g_uuid_string_is_valid (id))
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION, "Invalid token");
      return NULL;
    }
  account = find_node (self->store, BOUGH_AUTH_ACCOUNT_KIND, NULL, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (account == NULL || !account_is_active (account))
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION,
                           "The account does not exist or is inactive");
      return NULL;
    }
  return g_steal_pointer (&account);
}

static gint64
now_seconds (BoughAuth *self)
{
  return bough_store_now (self->store) / G_USEC_PER_SEC;
}

static gboolean
expired (BoughAuth  *self,
         const char *expiration)
{
  gint64 stamp;

  if (expiration == NULL)
    return FALSE;
  stamp = bough_store_stamp_from_iso8601 (expiration, NULL);
  /* an unreadable expiration is treated as past */
  return stamp <= 0 || stamp <= bough_store_now (self->store);
}

static char *
peer_id (BoughStore *store,
         BoughNode  *node,
         const char *relationship)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  const BoughRelationshipValue *rel;

  g_ptr_array_add (nodes, node);
  if (!bough_store_fetch_peers (store, BOUGH_DEFAULT_BRANCH, 0, nodes, relationship, NULL))
    return NULL;
  rel = bough_node_get_relationship (node, relationship);
  if (rel == NULL || rel->n_peers == 0)
    return NULL;
  return g_strdup (rel->peers[0].id);
}

/* ---- authentication ---- */

static BoughIdentity *
authenticate_token (BoughAuth   *self,
                    const char  *token,
                    GError     **error)
{
  g_autofree char *digest = NULL;
  g_autofree char *account_id = NULL;
  g_autoptr(BoughNode) node = NULL;
  g_autoptr(BoughNode) account = NULL;
  g_autoptr(GError) local_error = NULL;

  if (strlen (token) > 1024)
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION, "Invalid token");
      return NULL;
    }
  digest = _bough_auth_token_digest (token);
  node = find_node (self->store, BOUGH_AUTH_TOKEN_KIND, "token", digest, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* The lookup is by digest through an index; the comparison that decides
   * is constant-time all the same. */
  if (node == NULL || !_bough_auth_digest_equal (node_string (node, "token"), digest))
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION, "Invalid token");
      return NULL;
    }
  if (expired (self, node_string (node, "expiration")))
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION, "The token has expired");
      return NULL;
    }
  account_id = peer_id (self->store, node, "account");
  account = get_active_account (self, account_id, error);
  if (account == NULL)
    return NULL;
  return bough_identity_new (account->id, node_string (account, "name"), BOUGH_AUTH_METHOD_TOKEN);
}

static BoughIdentity *
authenticate_jwt (BoughAuth   *self,
                  const char  *token,
                  GError     **error)
{
  g_autofree char *subject = NULL;
  g_autofree char *session_id = NULL;
  g_autoptr(BoughNode) session = NULL;
  g_autoptr(BoughNode) account = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!_bough_auth_jwt_decode (self->key, self->key_length, token, "access", now_seconds (self),
                               &subject, &session_id, error))
    return NULL;
  /* A logout deletes the session: its access tokens stop at once. */
  session = find_node (self->store, BOUGH_AUTH_SESSION_KIND, NULL, session_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (session == NULL || expired (self, node_string (session, "expiration")))
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION, "The session has ended");
      return NULL;
    }
  account = get_active_account (self, subject, error);
  if (account == NULL)
    return NULL;
  return _bough_identity_new_session (account->id, node_string (account, "name"), session_id);
}

/* The value of cookie @name in a Cookie header. */
static char *
cookie_value (const char *cookie,
              const char *name)
{
  g_auto(GStrv) parts = NULL;
  gsize name_length = strlen (name);

  if (cookie == NULL)
    return NULL;
  parts = g_strsplit (cookie, ";", 64);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];

      while (*part == ' ' || *part == '\t')
        part++;
      if (strncmp (part, name, name_length) == 0 && part[name_length] == '=')
        return g_strstrip (g_strdup (part + name_length + 1));
    }
  return NULL;
}

/* The token of an `Authorization: Bearer <token>` header. */
static const char *
bearer_token (const char *authorization)
{
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;
  authorization += 7;
  while (*authorization == ' ')
    authorization++;
  return *authorization != '\0' ? authorization : NULL;
}

BoughIdentity *
bough_auth_authenticate (BoughAuth   *self,
                         const char  *api_key,
                         const char  *authorization,
                         const char  *cookie,
                         GError     **error)
{
  g_autofree char *from_cookie = NULL;
  const char *jwt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (api_key != NULL && *api_key != '\0')
    return authenticate_token (self, api_key, error);
  if (authorization != NULL && *authorization != '\0')
    {
      jwt = bearer_token (authorization);
      if (jwt == NULL)
        {
          g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION,
                               "Unsupported authorization scheme: use Bearer");
          return NULL;
        }
      return authenticate_jwt (self, jwt, error);
    }
  from_cookie = cookie_value (cookie, "access_token");
  if (from_cookie != NULL && *from_cookie != '\0')
    return authenticate_jwt (self, from_cookie, error);
  if (self->allow_anonymous)
    return bough_identity_new_anonymous ();
  g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION, "Authentication is required");
  return NULL;
}

BoughIdentity *
bough_auth_authenticate_request (BoughAuth         *self,
                                 BoughHttpRequest  *request,
                                 GError           **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (request != NULL, NULL);

  return bough_auth_authenticate (self,
                                  bough_http_request_get_header (request, "X-INFRAHUB-KEY"),
                                  bough_http_request_get_header (request, "Authorization"),
                                  bough_http_request_get_header (request, "Cookie"),
                                  error);
}

BoughIdentity *
bough_auth_get_request_identity (BoughHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);
  return bough_http_request_get_auth_data (request);
}

/* Routes anyone may call: logging in and what the SDK or a UI reads
 * before it has credentials. The refresh route checks its own token. */
static gboolean
is_public (const char *path)
{
  static const char * const paths[] = {
    "/api/auth/login", "/api/auth/refresh", "/api/info", "/api/config", NULL
  };

  return g_strv_contains (paths, path);
}

/* Anonymous access is read-only: reads, GraphQL (which refuses its
 * mutations), stored queries and schema checks, which change nothing. */
static gboolean
anonymous_may (BoughHttpRequest *request)
{
  const char *method = bough_http_request_get_method (request);
  const char *path = bough_http_request_get_path (request);

  if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
    return TRUE;
  return g_str_equal (path, "/graphql") || g_str_has_prefix (path, "/graphql/") ||
         g_str_has_prefix (path, "/api/query/") || g_str_equal (path, "/api/schema/check");
}

static gboolean
auth_hook_cb (BoughHttpRequest *request,
              gpointer          user_data)
{
  BoughAuth *self = user_data;
  g_autoptr(GError) error = NULL;
  BoughIdentity *identity;

  if (is_public (bough_http_request_get_path (request)))
    return TRUE;
  identity = bough_auth_authenticate_request (self, request, &error);
  if (identity == NULL)
    {
      if (error->domain == BOUGH_ERROR && error->code == BOUGH_ERROR_PERMISSION)
        bough_http_request_reply_error (request, SOUP_STATUS_UNAUTHORIZED, "%s", error->message);
      else
        {
          g_warning ("authentication failed: %s", error->message);
          bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                          "Authentication is unavailable");
        }
      return FALSE;
    }
  if (bough_identity_is_anonymous (identity) && !anonymous_may (request))
    {
      bough_identity_unref (identity);
      bough_http_request_reply_error (request, SOUP_STATUS_UNAUTHORIZED,
                                      "Anonymous access is read-only: log in to make changes");
      return FALSE;
    }
  bough_http_request_set_auth_data (request, identity, (GDestroyNotify) bough_identity_unref);
  return TRUE;
}

void
bough_auth_install (BoughAuth       *self,
                    BoughHttpRouter *router)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (router != NULL);

  bough_http_router_set_auth (router, auth_hook_cb, self);
  _bough_auth_rest_register (self, router);
}

/* ---- logins, sessions, throttle ---- */

/* Seconds @key must still wait before its next attempt. */
static gint64
throttle_wait (BoughAuth  *self,
               const char *key,
               gint64      now)
{
  Failure *f = g_hash_table_lookup (self->failures, key);
  gint64 delay;
  gint64 remaining;

  if (f == NULL || f->failures < self->max_failures)
    return 0;
  delay = (gint64) 1 << MIN (f->failures - self->max_failures, 10);
  delay = MIN (delay, THROTTLE_MAX_DELAY);
  remaining = f->last + delay * G_USEC_PER_SEC - now;
  return remaining > 0 ? (remaining + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;
}

static void
throttle_fail (BoughAuth  *self,
               const char *key,
               gint64      now)
{
  Failure *f = g_hash_table_lookup (self->failures, key);

  if (f == NULL)
    {
      if (g_hash_table_size (self->failures) >= THROTTLE_MAX_KEYS)
        {
          GHashTableIter iter;
          Failure *old;

          g_hash_table_iter_init (&iter, self->failures);
          while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &old))
            if (old->last < now - THROTTLE_MEMORY)
              g_hash_table_iter_remove (&iter);
        }
      f = g_new0 (Failure, 1);
      g_hash_table_insert (self->failures, g_strdup (key), f);
    }
  f->failures++;
  f->last = now;
}

static char *
session_create (BoughAuth   *self,
                const char  *account_id,
                GError     **error)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonObject) peer = json_object_new ();
  g_autofree char *expiration = NULL;
  g_autoptr(BoughNode) node = NULL;
  BoughTxn *txn;
  char *id;

  expiration = bough_store_stamp_to_iso8601 (bough_store_now (self->store) +
                                             self->refresh_lifetime * G_USEC_PER_SEC);
  json_object_set_string_member (data, "expiration", expiration);
  json_object_set_string_member (peer, "id", account_id);
  json_object_set_object_member (data, "account", json_object_ref (peer));
  txn = bough_store_begin (self->store, BOUGH_DEFAULT_BRANCH, account_id, error);
  if (txn == NULL)
    return NULL;
  bough_txn_set_internal (txn, TRUE);
  node = bough_txn_create (txn, BOUGH_AUTH_SESSION_KIND, data, error);
  if (node == NULL || !bough_txn_commit (txn, error))
    {
      bough_txn_free (txn);
      return NULL;
    }
  id = g_strdup (node->id);
  bough_txn_free (txn);
  return id;
}

static gboolean
delete_node (BoughStore  *store,
             const char  *kind,
             const char  *id,
             const char  *account_id,
             GError     **error)
{
  g_autoptr(JsonObject) ref = json_object_new ();
  BoughTxn *txn;
  gboolean ok;

  json_object_set_string_member (ref, "id", id);
  txn = bough_store_begin (store, BOUGH_DEFAULT_BRANCH, account_id, error);
  if (txn == NULL)
    return FALSE;
  bough_txn_set_internal (txn, TRUE);
  ok = bough_txn_delete (txn, kind, ref, error) && bough_txn_commit (txn, error);
  bough_txn_free (txn);
  return ok;
}

char *
bough_auth_login (BoughAuth   *self,
                  const char  *username,
                  const char  *password,
                  const char  *client,
                  char       **refresh_token,
                  guint       *status,
                  GError     **error)
{
  g_autofree char *user_key = NULL;
  g_autofree char *address_key = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *session_id = NULL;
  g_autoptr(BoughNode) account = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 wait;
  gboolean ok;
  char *access;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (refresh_token != NULL, NULL);
  g_return_val_if_fail (status != NULL, NULL);

  *refresh_token = NULL;
  if (username == NULL || password == NULL || *username == '\0' || *password == '\0')
    {
      *status = 422;
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                           "username and password are required");
      return NULL;
    }
  folded = g_utf8_validate (username, -1, NULL) ? g_utf8_casefold (username, -1) : g_strdup ("?");
  user_key = g_strconcat ("u:", folded, NULL);
  address_key = g_strconcat ("a:", client ? client : "-", NULL);

  /* Refused at once, without hashing or sleeping: the worker is free. */
  g_mutex_lock (&self->lock);
  wait = MAX (throttle_wait (self, user_key, now), throttle_wait (self, address_key, now));
  g_mutex_unlock (&self->lock);
  if (wait > 0)
    {
      *status = 429;
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT,
                   "Too many failed logins: retry in %" G_GINT64_FORMAT " s", wait);
      return NULL;
    }

  if (strlen (username) <= MAX_USERNAME_LENGTH && g_utf8_validate (username, -1, NULL))
    account = find_node (self->store, BOUGH_AUTH_ACCOUNT_KIND, "name", username, &local_error);
  if (local_error != NULL)
    {
      *status = 500;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* Verified even without an account, so that both take as long. */
  ok = bough_auth_password_verify (account ? node_string (account, "password") : NULL, password);
  ok = ok && account != NULL && account_is_active (account);

  g_mutex_lock (&self->lock);
  if (ok)
    {
      g_hash_table_remove (self->failures, user_key);
      g_hash_table_remove (self->failures, address_key);
    }
  else
    {
      throttle_fail (self, user_key, now);
      throttle_fail (self, address_key, now);
    }
  g_mutex_unlock (&self->lock);

  if (!ok)
    {
      *status = 401;
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION,
                           "Invalid username and password");
      return NULL;
    }

  session_id = session_create (self, account->id, error);
  if (session_id == NULL)
    {
      *status = 500;
      return NULL;
    }
  access = _bough_auth_jwt_encode (self->key, self->key_length, "access", account->id, session_id,
                                   node_string (account, "role"), now_seconds (self),
                                   self->access_lifetime);
  *refresh_token = _bough_auth_jwt_encode (self->key, self->key_length, "refresh", account->id,
                                           session_id, NULL, now_seconds (self),
                                           self->refresh_lifetime);
  if (access == NULL || *refresh_token == NULL)
    {
      g_free (access);
      g_clear_pointer (refresh_token, g_free);
      *status = 500;
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "Cannot sign the tokens");
      return NULL;
    }
  *status = 200;
  return access;
}

/* A new access token for the session of @refresh_token. */
char *
_bough_auth_refresh (BoughAuth   *self,
                     const char  *refresh_token,
                     GError     **error)
{
  g_autofree char *subject = NULL;
  g_autofree char *session_id = NULL;
  g_autoptr(BoughNode) session = NULL;
  g_autoptr(BoughNode) account = NULL;
  g_autoptr(GError) local_error = NULL;
  char *access;

  if (!_bough_auth_jwt_decode (self->key, self->key_length, refresh_token, "refresh",
                               now_seconds (self), &subject, &session_id, error))
    return NULL;
  session = find_node (self->store, BOUGH_AUTH_SESSION_KIND, NULL, session_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (session == NULL || expired (self, node_string (session, "expiration")))
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION, "The session has ended");
      return NULL;
    }
  account = get_active_account (self, subject, error);
  if (account == NULL)
    return NULL;
  access = _bough_auth_jwt_encode (self->key, self->key_length, "access", account->id, session_id,
                                   node_string (account, "role"), now_seconds (self),
                                   self->access_lifetime);
  if (access == NULL)
    g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "Cannot sign the token");
  return access;
}

gboolean
_bough_auth_logout (BoughAuth           *self,
                    const BoughIdentity *identity,
                    GError             **error)
{
  const char *session_id = bough_identity_get_session_id (identity);

  if (session_id == NULL)
    return TRUE;
  return delete_node (self->store, BOUGH_AUTH_SESSION_KIND, session_id,
                      bough_identity_get_account_id (identity), error);
}

gint64
_bough_auth_get_access_lifetime (BoughAuth *self)
{
  return self->access_lifetime;
}

gint64
_bough_auth_get_refresh_lifetime (BoughAuth *self)
{
  return self->refresh_lifetime;
}

/* ---- API tokens and passwords of the calling account ---- */

static gboolean
require_account (const BoughIdentity  *identity,
                 GError              **error)
{
  if (identity == NULL || bough_identity_get_account_id (identity) == NULL)
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION,
                           "This needs an authenticated account");
      return FALSE;
    }
  return TRUE;
}

static char *
create_token (BoughStore  *store,
              const char  *account_id,
              const char  *author,
              const char  *token,
              const char  *name,
              const char  *expiration,
              char       **token_id,
              GError     **error)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonObject) peer = json_object_new ();
  g_autofree char *digest = _bough_auth_token_digest (token);
  g_autoptr(BoughNode) node = NULL;
  BoughTxn *txn;

  json_object_set_string_member (data, "token", digest);
  if (name != NULL)
    json_object_set_string_member (data, "name", name);
  if (expiration != NULL)
    json_object_set_string_member (data, "expiration", expiration);
  json_object_set_string_member (peer, "id", account_id);
  json_object_set_object_member (data, "account", json_object_ref (peer));
  txn = bough_store_begin (store, BOUGH_DEFAULT_BRANCH, author, error);
  if (txn == NULL)
    return NULL;
  bough_txn_set_internal (txn, TRUE);
  node = bough_txn_create (txn, BOUGH_AUTH_TOKEN_KIND, data, error);
  if (node == NULL || !bough_txn_commit (txn, error))
    {
      bough_txn_free (txn);
      return NULL;
    }
  bough_txn_free (txn);
  if (token_id != NULL)
    *token_id = g_strdup (node->id);
  return g_strdup (token);
}

char *
bough_auth_token_create (BoughStore           *store,
                         const BoughIdentity  *identity,
                         const char           *name,
                         const char           *expiration,
                         char                **token_id,
                         GError              **error)
{
  g_autofree char *token = NULL;
  const char *account_id;

  g_return_val_if_fail (store != NULL, NULL);

  if (!require_account (identity, error))
    return NULL;
  if (expiration != NULL)
    {
      gint64 stamp = bough_store_stamp_from_iso8601 (expiration, NULL);

      if (stamp <= 0)
        {
          g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                               "expiration must be an ISO 8601 date and time");
          return NULL;
        }
      if (stamp <= bough_store_now (store))
        {
          g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                               "expiration must be in the future");
          return NULL;
        }
    }
  if (name != NULL && strlen (name) > 256)
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "name is too long");
      return NULL;
    }
  /* 256 bits of randomness: no guessing, and the digest need not be slow. */
  token = _bough_auth_random_text (32);
  account_id = bough_identity_get_account_id (identity);
  return create_token (store, account_id, account_id, token, name, expiration, token_id,
                       error);
}

gboolean
bough_auth_token_delete (BoughStore           *store,
                         const BoughIdentity  *identity,
                         const char           *token_id,
                         GError              **error)
{
  g_autoptr(BoughNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = NULL;

  g_return_val_if_fail (store != NULL, FALSE);

  if (!require_account (identity, error))
    return FALSE;
  if (token_id != NULL && g_uuid_string_is_valid (token_id))
    node = find_node (store, BOUGH_AUTH_TOKEN_KIND, NULL, token_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (node != NULL)
    owner = peer_id (store, node, "account");
  /* Someone else's token is "not found", like a missing one. */
  if (node == NULL || g_strcmp0 (owner, bough_identity_get_account_id (identity)) != 0)
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Unable to find the token");
      return FALSE;
    }
  return delete_node (store, BOUGH_AUTH_TOKEN_KIND, token_id,
                      bough_identity_get_account_id (identity), error);
}

gboolean
bough_auth_update_self (BoughStore           *store,
                        const BoughIdentity  *identity,
                        const char           *password,
                        const char           *description,
                        GError              **error)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(BoughNode) node = NULL;
  BoughTxn *txn;
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);

  if (!require_account (identity, error))
    return FALSE;
  if (password == NULL && description == NULL)
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                           "Give a password or a description to update");
      return FALSE;
    }
  if (password != NULL && *password == '\0')
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "The password is empty");
      return FALSE;
    }
  json_object_set_string_member (data, "id", bough_identity_get_account_id (identity));
  /* The store hashes HashedPassword values on every write. */
  if (password != NULL)
    json_object_set_string_member (data, "password", password);
  if (description != NULL)
    json_object_set_string_member (data, "description", description);
  txn = bough_store_begin (store, BOUGH_DEFAULT_BRANCH, bough_identity_get_account_id (identity),
                           error);
  if (txn == NULL)
    return FALSE;
  node = bough_txn_update (txn, "CoreAccount", data, error);
  ok = node != NULL && bough_txn_commit (txn, error);
  bough_txn_free (txn);
  return ok;
}

/* ---- db init ---- */

gboolean
bough_auth_bootstrap (BoughStore   *store,
                      BoughConfig  *config,
                      char        **generated_password,
                      GError      **error)
{
  g_autoptr(BoughNode) admin = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *admin_id = NULL;
  const char *token;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (generated_password != NULL)
    *generated_password = NULL;
  _bough_auth_set_password_cost (bough_config_get_string (config, "security", "password_cost"));

  admin = find_node (store, "CoreAccount", "name", BOUGH_AUTH_ADMIN_ACCOUNT, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (admin == NULL)
    {
      g_autoptr(JsonObject) data = json_object_new ();
      const char *password = bough_config_get_string (config, "initial", "admin_password");
      BoughTxn *txn;

      if (password == NULL || *password == '\0')
        password = generated = _bough_auth_random_text (18);
      json_object_set_string_member (data, "name", BOUGH_AUTH_ADMIN_ACCOUNT);
      json_object_set_string_member (data, "label", "Administrator");
      json_object_set_string_member (data, "password", password);
      json_object_set_string_member (data, "role", "admin");
      json_object_set_string_member (data, "account_type", "User");
      txn = bough_store_begin (store, BOUGH_DEFAULT_BRANCH, NULL, error);
      if (txn == NULL)
        return FALSE;
      bough_txn_set_internal (txn, TRUE);
      admin = bough_txn_create (txn, "CoreAccount", data, error);
      if (admin == NULL || !bough_txn_commit (txn, error))
        {
          bough_txn_free (txn);
          return FALSE;
        }
      bough_txn_free (txn);
    }
  admin_id = g_strdup (admin->id);

  token = bough_config_get_string (config, "initial", "admin_token");
  if (token != NULL && *token != '\0')
    {
      g_autofree char *digest = _bough_auth_token_digest (token);
      g_autoptr(BoughNode) existing = find_node (store, BOUGH_AUTH_TOKEN_KIND, "token", digest,
                                                 &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (existing == NULL)
        {
          g_autofree char *created = create_token (store, admin_id, NULL, token, "initial admin token",
                                                   NULL, NULL, error);
          if (created == NULL)
            return FALSE;
        }
    }
  if (generated_password != NULL)
    *generated_password = g_steal_pointer (&generated);
  return TRUE;
}
