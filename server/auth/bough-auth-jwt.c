/* bough-auth-jwt.c: the JWT access and refresh tokens (reference §3.1), HS256
 * signed and checked with libjwt.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-auth"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>

#include "bough-error.h"
#include "bough-auth-private.h"

/* Seconds of clock difference tolerated on nbf/iat. */
#define LEEWAY 30

static void
jwt_cleanup (jwt_t *jwt)
{
  jwt_free (jwt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (jwt_t, jwt_cleanup)

char *
_bough_auth_jwt_encode (const guint8 *key,
                        gsize         key_length,
                        const char   *type,
                        const char   *subject,
                        const char   *session_id,
                        const char   *role,
                        gint64        now,
                        gint64        lifetime)
{
  g_autoptr(jwt_t) jwt = NULL;
  char *raw;
  char *text;

  g_assert (key != NULL && key_length > 0);
  if (jwt_new (&jwt) != 0)
    return NULL;
  if (jwt_set_alg (jwt, JWT_ALG_HS256, key, (int) key_length) != 0 ||
      jwt_add_grant (jwt, "sub", subject) != 0 ||
      jwt_add_grant_int (jwt, "iat", (long) now) != 0 ||
      jwt_add_grant_int (jwt, "nbf", (long) now) != 0 ||
      jwt_add_grant_int (jwt, "exp", (long) (now + lifetime)) != 0 ||
      jwt_add_grant_bool (jwt, "fresh", 0) != 0 ||
      jwt_add_grant (jwt, "type", type) != 0 ||
      jwt_add_grant (jwt, "session_id", session_id) != 0)
    return NULL;
  if (role != NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *json = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "user_claims");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, role);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json = json_to_string (root, FALSE);
      if (jwt_add_grants_json (jwt, json) != 0)
        return NULL;
    }
  raw = jwt_encode_str (jwt);
  if (raw == NULL)
    return NULL;
  /* libjwt allocates with malloc: hand out g_malloc memory */
  text = g_strdup (raw);
  free (raw);
  return text;
}

static gboolean
refuse (GError    **error,
        const char *message)
{
  g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION, message);
  return FALSE;
}

gboolean
_bough_auth_jwt_decode (const guint8 *key,
                        gsize         key_length,
                        const char   *token,
                        const char   *type,
                        gint64        now,
                        char        **subject,
                        char        **session_id,
                        GError      **error)
{
  g_autoptr(jwt_t) jwt = NULL;
  const char *sub;
  const char *sid;
  const char *claimed_type;
  long exp;
  long nbf;

  g_assert (key != NULL && key_length > 0);
  *subject = NULL;
  *session_id = NULL;

  /* Bounded before libjwt sees it: a token is a few hundred bytes. */
  if (token == NULL || strlen (token) > 4096)
    return refuse (error, "Invalid token");
  if (jwt_decode (&jwt, token, key, (int) key_length) != 0 || jwt == NULL)
    return refuse (error, "Invalid token");
  /* The signature checked, be sure it was by the algorithm we sign with
   * (never "none", never another key type). */
  if (jwt_get_alg (jwt) != JWT_ALG_HS256)
    return refuse (error, "Invalid token");

  errno = 0;
  exp = jwt_get_grant_int (jwt, "exp");
  if (errno != 0)
    return refuse (error, "Invalid token");
  errno = 0;
  nbf = jwt_get_grant_int (jwt, "nbf");
  if (errno == 0 && nbf > now + LEEWAY)
    return refuse (error, "Invalid token");
  claimed_type = jwt_get_grant (jwt, "type");
  if (g_strcmp0 (claimed_type, type) != 0)
    return refuse (error, "Invalid token type");
  sub = jwt_get_grant (jwt, "sub");
  sid = jwt_get_grant (jwt, "session_id");
  if (sub == NULL || sid == NULL || !g_uuid_string_is_valid (sub) || !g_uuid_string_is_valid (sid))
    return refuse (error, "Invalid token");
  if (exp <= now)
    return refuse (error, BOUGH_AUTH_EXPIRED_MESSAGE);

  *subject = g_strdup (sub);
  *session_id = g_strdup (sid);
  return TRUE;
}
