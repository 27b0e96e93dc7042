/* api-test-common.h: a BoughServer started in process on a loopback port,
 * a SoupSession to talk to it, and JSON helpers, for the API tests.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bough-server.h"

typedef struct
{
  BoughServer *server;
  SoupSession *session;
  GUri        *base;
} ApiFixture;

typedef struct
{
  guint        status;
  GBytes      *body;
  SoupMessage *msg;
  GError      *error;
  gboolean     done;
} ApiReply;

static inline void
api_reply_clear (ApiReply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_object (&reply->msg);
  g_clear_error (&reply->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ApiReply, api_reply_clear)

/* The admin API token every test server gets (sent by api_send() and the
 * session), and a fast password hash for the tests. */
#define API_TEST_TOKEN "bough-test-admin-token-0123456789"

static void
api_add_token_cb (SoupSession *session,
                  SoupMessage *msg,
                  gpointer     user_data)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  /* tests of authentication set their own credentials, or none */
  if (soup_message_headers_get_one (headers, "X-INFRAHUB-KEY") == NULL &&
      soup_message_headers_get_one (headers, "Authorization") == NULL &&
      soup_message_headers_get_one (headers, "X-Bough-Test-No-Auth") == NULL)
    soup_message_headers_append (headers, "X-INFRAHUB-KEY", API_TEST_TOKEN);
}

/* Starts a server on a fresh data directory; @env holds extra
 * `BOUGH_<SECTION>_<KEY>=value` settings. */
static inline void
api_fixture_start (ApiFixture         *f,
                   const char * const *env)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "bough", NULL);
  g_autofree char *base = NULL;
  g_autoptr(GPtrArray) full_env = g_ptr_array_new ();
  BoughConfig *config;

  /* first, so that a test's own settings win */
  g_ptr_array_add (full_env, (gpointer) "BOUGH_INITIAL_ADMIN_TOKEN=" API_TEST_TOKEN);
  g_ptr_array_add (full_env, (gpointer) "BOUGH_SECURITY_PASSWORD_COST=minimal");
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    g_ptr_array_add (full_env, (gpointer) env[i]);
  g_ptr_array_add (full_env, NULL);
  config = bough_config_load (NULL, dir, "127.0.0.1:0", (const char * const *) full_env->pdata,
                              &error);
  g_assert_no_error (error);
  f->server = bough_server_new (config);
  g_assert_true (bough_server_start (f->server, &error));
  g_assert_no_error (error);

  base = g_strconcat (bough_server_get_uri (f->server), "/", NULL);
  f->base = g_uri_parse (base, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  f->session = soup_session_new_with_options ("max-conns-per-host", 8, NULL);
  g_signal_connect (f->session, "request-queued", G_CALLBACK (api_add_token_cb), NULL);
}

static inline void
api_fixture_stop (ApiFixture *f)
{
  soup_session_abort (f->session);
  g_assert_finalize_object (f->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  bough_server_stop (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->server);
  g_uri_unref (f->base);
}

static void
api_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ApiReply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->status = soup_message_get_status (reply->msg);
  reply->done = TRUE;
}

/* Sends a request without waiting for its reply. */
static inline void
api_send (ApiFixture *f,
          const char *method,
          const char *path,
          const char *body,
          ApiReply   *reply)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (f->base, path, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  reply->msg = soup_message_new_from_uri (method, uri);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (reply->msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, reply->msg, G_PRIORITY_DEFAULT, NULL,
                                    api_sent_cb, reply);
}

static inline void
api_wait (ApiReply *reply)
{
  while (!reply->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reply->error);
}

static inline void
api_request (ApiFixture *f,
             const char *method,
             const char *path,
             const char *body,
             ApiReply   *reply)
{
  api_send (f, method, path, body, reply);
  api_wait (reply);
}

static inline JsonNode *
api_parse (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* Asserts the API error body with @status as code and returns its message. */
static inline char *
api_assert_error (ApiReply *reply,
                  guint     status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *errors;
  JsonObject *first;

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (
                     soup_message_get_response_headers (reply->msg), NULL), ==,
                   "application/json");
  root = api_parse (reply->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "data")));
  errors = json_object_get_array_member (object, "errors");
  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  first = json_array_get_object_element (errors, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (first, "extensions"),
                                               "code"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (first, "message"), !=, "");
  return g_strdup (json_object_get_string_member (first, "message"));
}
