/* bough-auth-rest.c: POST /api/auth/login, /api/auth/refresh and
 * /api/auth/logout (reference §3), with their httponly cookies.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-auth"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-auth-private.h"

static void
set_cookie (BoughHttpRequest *request,
            const char       *name,
            const char       *value,
            gint64            max_age)
{
  g_autofree char *header = g_strdup_printf ("%s=%s; Path=/; Max-Age=%" G_GINT64_FORMAT
                                             "; HttpOnly; SameSite=Strict",
                                             name, value, max_age);

  bough_http_request_add_response_header (request, "Set-Cookie", header);
}

static void
reply_tokens (BoughHttpRequest *request,
              BoughAuth        *self,
              const char       *access,
              const char       *refresh)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (obj, "access_token", access);
  set_cookie (request, "access_token", access, _bough_auth_get_access_lifetime (self));
  if (refresh != NULL)
    {
      json_object_set_string_member (obj, "refresh_token", refresh);
      set_cookie (request, "refresh_token", refresh, _bough_auth_get_refresh_lifetime (self));
    }
  json_node_set_object (node, obj);
  bough_http_request_reply_json (request, SOUP_STATUS_OK, node);
}

/* A member of the login body that must be a string (NULL otherwise). */
static const char *
body_string (JsonObject *obj,
             const char *name)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
login_work (BoughHttpRequest *request,
            gpointer          user_data)
{
  BoughAuth *self = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *access = NULL;
  GBytes *body = bough_http_request_get_body (request);
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  JsonObject *obj = NULL;
  guint status = 0;

  /* json-glib hands strings out NUL-terminated: "admin\u0000x" would
   * arrive as "admin". A credential holding NUL is refused whole. */
  if (length > 0 && g_strstr_len (data, length, "\\u0000") != NULL)
    {
      bough_http_request_reply_error (request, 422, "username and password must not contain NUL");
      return;
    }
  if (length > 0 && json_parser_load_from_data (parser, data, length, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    obj = json_node_get_object (json_parser_get_root (parser));
  if (obj == NULL)
    {
      bough_http_request_reply_error (request, 422, "The body must be a JSON object with "
                                      "username and password");
      return;
    }
  access = bough_auth_login (self, body_string (obj, "username"), body_string (obj, "password"),
                             bough_http_request_get_remote_host (request), &refresh, &status,
                             &error);
  if (access == NULL)
    {
      if (status == 429)
        {
          const char *digits = strstr (error->message, "in ");

          if (digits != NULL)
            {
              g_autofree char *seconds = g_strndup (digits + 3, strspn (digits + 3, "0123456789"));

              bough_http_request_add_response_header (request, "Retry-After", seconds);
            }
        }
      if (status >= 500)
        {
          g_warning ("login failed: %s", error->message);
          bough_http_request_reply_error (request, status, "The login failed");
        }
      else
        bough_http_request_reply_error (request, status, "%s", error->message);
      return;
    }
  reply_tokens (request, self, access, refresh);
}

static char *
cookie_refresh_token (const char *cookie)
{
  g_auto(GStrv) parts = NULL;

  if (cookie == NULL)
    return NULL;
  parts = g_strsplit (cookie, ";", 64);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (g_str_has_prefix (parts[i], "refresh_token="))
        return g_strdup (parts[i] + strlen ("refresh_token="));
    }
  return NULL;
}

static void
refresh_work (BoughHttpRequest *request,
              gpointer          user_data)
{
  BoughAuth *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *from_cookie = NULL;
  g_autofree char *access = NULL;
  const char *authorization = bough_http_request_get_header (request, "Authorization");
  const char *token = NULL;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    token = authorization + 7;
  else
    token = from_cookie = cookie_refresh_token (bough_http_request_get_header (request, "Cookie"));
  if (token == NULL || *token == '\0')
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNAUTHORIZED,
                                      "A refresh token is required");
      return;
    }
  access = _bough_auth_refresh (self, token, &error);
  if (access == NULL)
    {
      if (error->domain == BOUGH_ERROR && error->code == BOUGH_ERROR_PERMISSION)
        bough_http_request_reply_error (request, SOUP_STATUS_UNAUTHORIZED, "%s", error->message);
      else
        {
          g_warning ("refresh failed: %s", error->message);
          bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                          "The refresh failed");
        }
      return;
    }
  reply_tokens (request, self, access, NULL);
}

static void
logout_work (BoughHttpRequest *request,
             gpointer          user_data)
{
  BoughAuth *self = user_data;
  BoughIdentity *identity = bough_auth_get_request_identity (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) obj = json_object_new ();

  if (identity == NULL || bough_identity_is_anonymous (identity))
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNAUTHORIZED,
                                      "Authentication is required");
      return;
    }
  if (!_bough_auth_logout (self, identity, &error))
    {
      g_warning ("logout failed: %s", error->message);
      bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                      "The logout failed");
      return;
    }
  set_cookie (request, "access_token", "", 0);
  set_cookie (request, "refresh_token", "", 0);
  json_node_set_object (node, obj);
  bough_http_request_reply_json (request, SOUP_STATUS_OK, node);
}

void
_bough_auth_rest_register (BoughAuth       *self,
                           BoughHttpRouter *router)
{
  bough_http_router_add_work (router, SOUP_METHOD_POST, "/api/auth/login", login_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_POST, "/api/auth/refresh", refresh_work, self,
                              NULL);
  bough_http_router_add_work (router, SOUP_METHOD_POST, "/api/auth/logout", logout_work, self,
                              NULL);
}
