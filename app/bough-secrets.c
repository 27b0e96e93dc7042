/* bough-secrets.c: the keyring items of the client: one per saved server
 * and way of signing in (attributes server, kind = password|token,
 * username), through libsecret's password API.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "bough-secrets.h"

static const SecretSchema *
credential_schema (void)
{
  static const SecretSchema schema = {
    BOUGH_APP_ID ".Credential", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/**
 * bough_secret_store_async:
 * @server: the server's address
 * @kind: `password` or `token`
 * @username: (nullable): the account, for a password
 * @secret: the password or token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when stored
 * @user_data: data for @callback
 *
 * Keeps @secret in the default keyring.
 */
void
bough_secret_store_async (const char          *server,
                          const char          *kind,
                          const char          *username,
                          const char          *secret,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *label = g_strdup_printf (_("Bough server %s"), server);

  g_return_if_fail (server != NULL && kind != NULL && secret != NULL);

  secret_password_store (credential_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, callback, user_data,
                         "server", server, "kind", kind, "username", username ? username : "",
                         NULL);
}

gboolean
bough_secret_store_finish (GAsyncResult  *result,
                           GError       **error)
{
  return secret_password_store_finish (result, error);
}

/**
 * bough_secret_lookup_async:
 * @server: the server's address
 * @kind: `password` or `token`
 * @username: (nullable): the account, for a password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the secret
 * @user_data: data for @callback
 *
 * Looks the secret of a saved server up in the keyring.
 */
void
bough_secret_lookup_async (const char          *server,
                           const char          *kind,
                           const char          *username,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (server != NULL && kind != NULL);

  secret_password_lookup (credential_schema (), cancellable, callback, user_data,
                          "server", server, "kind", kind, "username", username ? username : "",
                          NULL);
}

/**
 * bough_secret_lookup_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the secret, %NULL if none is kept
 */
char *
bough_secret_lookup_finish (GAsyncResult  *result,
                            GError       **error)
{
  return secret_password_lookup_finish (result, error);
}

void
bough_secret_clear_async (const char          *server,
                          const char          *kind,
                          const char          *username,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (server != NULL && kind != NULL);

  secret_password_clear (credential_schema (), cancellable, callback, user_data,
                         "server", server, "kind", kind, "username", username ? username : "",
                         NULL);
}

gboolean
bough_secret_clear_finish (GAsyncResult  *result,
                           GError       **error)
{
  return secret_password_clear_finish (result, error);
}
