/* bough-auth-identity.c: BoughIdentity, who a request acts as.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-auth"

#include "config.h"

#include "bough-auth.h"

struct _BoughIdentity
{
  gatomicrefcount  ref_count;
  char            *account_id;
  char            *account_name;
  char            *session_id;
  BoughAuthMethod  method;
};

static BoughIdentity *
identity_new (const char      *account_id,
              const char      *account_name,
              const char      *session_id,
              BoughAuthMethod  method)
{
  BoughIdentity *identity = g_new0 (BoughIdentity, 1);

  g_atomic_ref_count_init (&identity->ref_count);
  identity->account_id = g_strdup (account_id);
  identity->account_name = g_strdup (account_name);
  identity->session_id = g_strdup (session_id);
  identity->method = method;
  return identity;
}

/**
 * bough_identity_new:
 * @account_id: the UUID of the account node
 * @account_name: the account's name
 * @method: how it authenticated (not anonymous nor internal)
 *
 * Returns: (transfer full): a new identity of an account
 */
BoughIdentity *
bough_identity_new (const char      *account_id,
                    const char      *account_name,
                    BoughAuthMethod  method)
{
  g_return_val_if_fail (account_id != NULL, NULL);
  g_return_val_if_fail (account_name != NULL, NULL);
  g_return_val_if_fail (method != BOUGH_AUTH_METHOD_ANONYMOUS &&
                        method != BOUGH_AUTH_METHOD_INTERNAL, NULL);

  return identity_new (account_id, account_name, NULL, method);
}

/* An identity of a JWT, which belongs to a login session. */
BoughIdentity *
_bough_identity_new_session (const char *account_id,
                             const char *account_name,
                             const char *session_id)
{
  g_assert (account_id != NULL);
  g_assert (session_id != NULL);
  return identity_new (account_id, account_name, session_id, BOUGH_AUTH_METHOD_JWT);
}

/**
 * bough_identity_new_anonymous:
 *
 * Returns: (transfer full): the identity of a request without credentials
 *   when anonymous access is on
 */
BoughIdentity *
bough_identity_new_anonymous (void)
{
  return identity_new (NULL, "anonymous", NULL, BOUGH_AUTH_METHOD_ANONYMOUS);
}

/**
 * bough_identity_new_internal:
 *
 * Returns: (transfer full): the identity of the server itself (db init,
 *   tasks), which no request can take
 */
BoughIdentity *
bough_identity_new_internal (void)
{
  return identity_new (NULL, "internal", NULL, BOUGH_AUTH_METHOD_INTERNAL);
}

BoughIdentity *
bough_identity_ref (BoughIdentity *identity)
{
  g_return_val_if_fail (identity != NULL, NULL);
  g_atomic_ref_count_inc (&identity->ref_count);
  return identity;
}

void
bough_identity_unref (BoughIdentity *identity)
{
  g_return_if_fail (identity != NULL);
  if (!g_atomic_ref_count_dec (&identity->ref_count))
    return;
  g_free (identity->account_id);
  g_free (identity->account_name);
  g_free (identity->session_id);
  g_free (identity);
}

const char *
bough_identity_get_account_id (const BoughIdentity *identity)
{
  g_return_val_if_fail (identity != NULL, NULL);
  return identity->account_id;
}

const char *
bough_identity_get_account_name (const BoughIdentity *identity)
{
  g_return_val_if_fail (identity != NULL, NULL);
  return identity->account_name;
}

gboolean
bough_identity_is_anonymous (const BoughIdentity *identity)
{
  g_return_val_if_fail (identity != NULL, FALSE);
  return identity->method == BOUGH_AUTH_METHOD_ANONYMOUS;
}

gboolean
bough_identity_is_internal (const BoughIdentity *identity)
{
  g_return_val_if_fail (identity != NULL, FALSE);
  return identity->method == BOUGH_AUTH_METHOD_INTERNAL;
}

BoughAuthMethod
bough_identity_get_method (const BoughIdentity *identity)
{
  g_return_val_if_fail (identity != NULL, BOUGH_AUTH_METHOD_ANONYMOUS);
  return identity->method;
}

const char *
bough_identity_get_session_id (const BoughIdentity *identity)
{
  g_return_val_if_fail (identity != NULL, NULL);
  return identity->session_id;
}

const char *
bough_auth_method_to_string (BoughAuthMethod method)
{
  switch (method)
    {
    case BOUGH_AUTH_METHOD_PASSWORD:
      return "password";
    case BOUGH_AUTH_METHOD_JWT:
      return "jwt";
    case BOUGH_AUTH_METHOD_TOKEN:
      return "token";
    case BOUGH_AUTH_METHOD_INTERNAL:
      return "internal";
    case BOUGH_AUTH_METHOD_ANONYMOUS:
    default:
      return "anonymous";
    }
}
