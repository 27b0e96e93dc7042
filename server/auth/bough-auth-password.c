/* bough-auth-password.c: passwords hashed with argon2id (libsodium), and the
 * digests of API tokens.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-auth"

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "bough-error.h"
#include "bough-auth-private.h"

#define ARGON2ID_PREFIX "$argon2id$"
#define TOKEN_DIGEST_PREFIX "sha256:"
/* Longer inputs are refused: argon2 takes any length, but nobody types this. */
#define PASSWORD_MAX_LENGTH 1024

/* The cost of new hashes, process-wide (the store hashes on every write
 * without a handle on the configuration): 0 interactive, 1 moderate, 2
 * sensitive, 3 minimal (tests only). */
static gint password_cost;

void
_bough_auth_set_password_cost (const char *cost)
{
  gint value = 0;

  if (g_strcmp0 (cost, "moderate") == 0)
    value = 1;
  else if (g_strcmp0 (cost, "sensitive") == 0)
    value = 2;
  else if (g_strcmp0 (cost, "minimal") == 0)
    value = 3;
  g_atomic_int_set (&password_cost, value);
}

gboolean
_bough_auth_crypto_init (void)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&done, 1);
    }
  return ok;
}

/**
 * bough_auth_password_is_hash:
 * @text: a stored value
 *
 * Returns: whether @text is an argon2id hash string
 */
gboolean
bough_auth_password_is_hash (const char *text)
{
  return text != NULL && g_str_has_prefix (text, ARGON2ID_PREFIX);
}

/**
 * bough_auth_is_stored_secret:
 * @text: a value
 *
 * Returns: whether @text is already in a stored form (an argon2id hash or a
 *   token digest), which the server's own writes keep as they are
 */
gboolean
bough_auth_is_stored_secret (const char *text)
{
  return bough_auth_password_is_hash (text) ||
         (text != NULL && g_str_has_prefix (text, TOKEN_DIGEST_PREFIX));
}

/**
 * bough_auth_password_hash:
 * @password: a password in clear
 * @error: return location for a #GError
 *
 * Hashes @password with argon2id and a random salt, at libsodium's
 * interactive cost.
 *
 * Returns: (transfer full): the hash string, or %NULL with @error set
 */
char *
bough_auth_password_hash (const char  *password,
                          GError     **error)
{
  char out[crypto_pwhash_STRBYTES];
  unsigned long long ops;
  gsize mem;
  gsize length;

  g_return_val_if_fail (password != NULL, NULL);

  length = strlen (password);
  if (length == 0 || length > PASSWORD_MAX_LENGTH)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "A password must have 1 to %d bytes", PASSWORD_MAX_LENGTH);
      return NULL;
    }
  switch (g_atomic_int_get (&password_cost))
    {
    case 1:
      ops = crypto_pwhash_OPSLIMIT_MODERATE;
      mem = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case 2:
      ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
      mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
      break;
    case 3:
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
      break;
    default:
      ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    }
  if (!_bough_auth_crypto_init () ||
      crypto_pwhash_str_alg (out, password, length, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "Cannot hash the password");
      return NULL;
    }
  return g_strdup (out);
}

/* A hash of a password nobody knows, verified when the account does not
 * exist so that a login takes as long either way. */
static const char *
dummy_hash (void)
{
  static gsize done = 0;
  static char *hash;

  if (g_once_init_enter (&done))
    {
      guint8 random[16];
      g_autofree char *text = NULL;

      randombytes_buf (random, sizeof random);
      text = g_base64_encode (random, sizeof random);
      hash = bough_auth_password_hash (text, NULL);
      g_once_init_leave (&done, 1);
    }
  return hash;
}

/**
 * bough_auth_password_verify:
 * @hash: (nullable): the stored hash; %NULL when there is no account
 * @password: the password given
 *
 * Returns: whether @password matches @hash (always %FALSE for a %NULL or
 *   malformed @hash, after the same work)
 */
gboolean
bough_auth_password_verify (const char *hash,
                            const char *password)
{
  gsize length;
  gboolean real;

  g_return_val_if_fail (password != NULL, FALSE);

  if (!_bough_auth_crypto_init ())
    return FALSE;
  length = strlen (password);
  real = bough_auth_password_is_hash (hash) && length <= PASSWORD_MAX_LENGTH;
  if (!real)
    {
      const char *dummy = dummy_hash ();

      /* the result does not matter: only the time it takes */
      if (dummy != NULL && crypto_pwhash_str_verify (dummy, password, MIN (length, PASSWORD_MAX_LENGTH)) == 0)
        return FALSE;
      return FALSE;
    }
  return crypto_pwhash_str_verify (hash, password, length) == 0;
}

/* The stored form of an API token: its SHA-256. Tokens are random (or
 * chosen by the operator), so a fast digest is enough; the clear value is
 * never stored. */
char *
_bough_auth_token_digest (const char *token)
{
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);

  return g_strconcat (TOKEN_DIGEST_PREFIX, hex, NULL);
}

gboolean
_bough_auth_digest_equal (const char *a,
                          const char *b)
{
  gsize la = a ? strlen (a) : 0;
  gsize lb = b ? strlen (b) : 0;

  if (a == NULL || b == NULL || la != lb)
    return FALSE;
  return sodium_memcmp (a, b, la) == 0;
}

/* A new random secret: @n_bytes of randomness as URL-safe base64 without padding. */
char *
_bough_auth_random_text (gsize n_bytes)
{
  g_autofree guint8 *random = g_malloc (n_bytes);
  char *text;

  _bough_auth_crypto_init ();
  randombytes_buf (random, n_bytes);
  text = g_base64_encode (random, n_bytes);
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  g_strdelimit (text, "=", '\0');
  return text;
}
