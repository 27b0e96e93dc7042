/* test-auth.c: authentication units: argon2id passwords, HS256 JWTs, the
 * store hashing passwords on write, db init's admin and token, the
 * authenticator's refusals and the login throttle.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bough-error.h"
#include "bough-server.h"
#include "auth/bough-auth-private.h"
#include "api-test-common.h"

#define KEY "test-signing-key-0123456789"
#define TOKEN "test-admin-token-0123456789"
#define PASSWORD "correct horse battery staple"

typedef struct
{
  char        *dir;
  BoughConfig *config;
  BoughStore  *store;
  BoughAuth   *auth;
} Fixture;

static void
fixture_start (Fixture            *f,
               const char * const *extra_env)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) env = g_ptr_array_new ();

  f->dir = g_dir_make_tmp ("bough-auth-XXXXXX", &error);
  g_assert_no_error (error);
  g_ptr_array_add (env, (gpointer) "BOUGH_SECURITY_PASSWORD_COST=minimal");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    g_ptr_array_add (env, (gpointer) extra_env[i]);
  g_ptr_array_add (env, NULL);
  f->config = bough_config_load (NULL, f->dir, "127.0.0.1:0", (const char * const *) env->pdata, &error);
  g_assert_no_error (error);
  f->store = bough_server_open_store (f->config, NULL, &error);
  g_assert_no_error (error);
  f->auth = bough_auth_new (f->store, f->config, &error);
  g_assert_no_error (error);
}

static void
fixture_stop (Fixture *f)
{
  g_clear_pointer (&f->auth, bough_auth_free);
  g_clear_pointer (&f->store, bough_store_unref);
  g_clear_pointer (&f->config, bough_config_free);
  g_free (f->dir);
}

static const char * const admin_env[] = {
  "BOUGH_INITIAL_ADMIN_TOKEN=" TOKEN, "BOUGH_INITIAL_ADMIN_PASSWORD=" PASSWORD, NULL
};

static void
test_auth_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;

  _bough_auth_set_password_cost ("minimal");
  one = bough_auth_password_hash ("s3cret", &error);
  g_assert_no_error (error);
  two = bough_auth_password_hash ("s3cret", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (one, "$argon2id$"));
  /* salted: the same password never gives the same hash */
  g_assert_cmpstr (one, !=, two);
  g_assert_true (bough_auth_password_verify (one, "s3cret"));
  g_assert_true (bough_auth_password_verify (two, "s3cret"));
  g_assert_false (bough_auth_password_verify (one, "s3cret "));
  g_assert_false (bough_auth_password_verify (one, ""));
  g_assert_false (bough_auth_password_verify (NULL, "s3cret"));
  g_assert_false (bough_auth_password_verify ("s3cret", "s3cret"));
  g_assert_null (bough_auth_password_hash ("", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
}

static void
test_auth_jwt (void)
{
  const char *sub = "01a21971-ce0d-70ce-af19-45b9ac2df686";
  const char *sid = "01a21971-cea3-707b-bbca-af6c24fcf048";
  g_autofree char *token = _bough_auth_jwt_encode ((const guint8 *) KEY, strlen (KEY), "access", sub,
                                                   sid, "admin", 1000000, 3600);
  g_autofree char *got_sub = NULL;
  g_autofree char *got_sid = NULL;
  g_autofree char *tampered = NULL;
  g_autoptr(GError) error = NULL;
  char *dot;

  g_assert_nonnull (token);
  g_assert_true (_bough_auth_jwt_decode ((const guint8 *) KEY, strlen (KEY), token, "access",
                                         1000010, &got_sub, &got_sid, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (got_sub, ==, sub);
  g_assert_cmpstr (got_sid, ==, sid);
  g_clear_pointer (&got_sub, g_free);
  g_clear_pointer (&got_sid, g_free);

  /* after its lifetime: the message the SDK refreshes on */
  g_assert_false (_bough_auth_jwt_decode ((const guint8 *) KEY, strlen (KEY), token, "access",
                                          1000000 + 3600, &got_sub, &got_sid, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_assert_cmpstr (error->message, ==, BOUGH_AUTH_EXPIRED_MESSAGE);
  g_clear_error (&error);

  /* another key, another type, a changed payload, nonsense */
  g_assert_false (_bough_auth_jwt_decode ((const guint8 *) "another-key-0123456789", 21, token,
                                          "access", 1000010, &got_sub, &got_sid, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (_bough_auth_jwt_decode ((const guint8 *) KEY, strlen (KEY), token, "refresh",
                                          1000010, &got_sub, &got_sid, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);
  tampered = g_strdup (token);
  dot = strchr (tampered, '.');
  dot[3] = dot[3] == 'A' ? 'B' : 'A';
  g_assert_false (_bough_auth_jwt_decode ((const guint8 *) KEY, strlen (KEY), tampered, "access",
                                          1000010, &got_sub, &got_sid, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (_bough_auth_jwt_decode ((const guint8 *) KEY, strlen (KEY), "a.b.c", "access",
                                          1000010, &got_sub, &got_sid, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_assert_null (got_sub);
}

static void
test_auth_bootstrap_and_token (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughIdentity) identity = NULL;
  g_autoptr(BoughIdentity) again = NULL;
  g_autoptr(BoughQueryResult) accounts = NULL;
  g_autoptr(BoughQueryResult) tokens = NULL;
  g_autofree char *generated = NULL;
  BoughQuery *query;
  BoughNode *admin;
  const BoughAttributeValue *password;

  fixture_start (&f, admin_env);
  /* opening twice adds nothing */
  g_assert_true (bough_auth_bootstrap (f.store, f.config, &generated, &error));
  g_assert_no_error (error);
  g_assert_null (generated);
  query = bough_query_new ("CoreAccount");
  accounts = bough_store_query (f.store, query, &error);
  bough_query_free (query);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->nodes->len, ==, 1);
  query = bough_query_new ("InternalAccountToken");
  tokens = bough_store_query (f.store, query, &error);
  bough_query_free (query);
  g_assert_cmpuint (tokens->nodes->len, ==, 1);

  /* stored hashed, never as given */
  admin = g_ptr_array_index (accounts->nodes, 0);
  password = bough_node_get_attribute (admin, "password");
  g_assert_cmpint (password->type, ==, BOUGH_VALUE_STRING);
  g_assert_true (g_str_has_prefix (password->v.string, "$argon2id$"));
  g_assert_true (bough_auth_password_verify (password->v.string, PASSWORD));
  g_assert_null (strstr (bough_node_get_attribute (g_ptr_array_index (tokens->nodes, 0), "token")->v.string,
                         TOKEN));

  identity = bough_auth_authenticate (f.auth, TOKEN, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bough_identity_get_account_name (identity), ==, "admin");
  g_assert_cmpstr (bough_identity_get_account_id (identity), ==, admin->id);
  g_assert_cmpint (bough_identity_get_method (identity), ==, BOUGH_AUTH_METHOD_TOKEN);
  g_assert_false (bough_identity_is_anonymous (identity));

  g_assert_null (bough_auth_authenticate (f.auth, TOKEN "x", NULL, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);
  /* no credentials and anonymous access off (the default) */
  g_assert_false (bough_auth_get_allow_anonymous (f.auth));
  g_assert_null (bough_auth_authenticate (f.auth, NULL, NULL, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (bough_auth_authenticate (f.auth, NULL, "Basic YWRtaW46eA==", NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);

  /* a token created for the account works until deleted */
  {
    g_autofree char *id = NULL;
    g_autofree char *token = bough_auth_token_create (f.store, identity, "ci", NULL, &id, &error);

    g_assert_no_error (error);
    again = bough_auth_authenticate (f.auth, token, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (bough_identity_get_account_id (again), ==, admin->id);
    g_assert_true (bough_auth_token_delete (f.store, identity, id, &error));
    g_assert_no_error (error);
    g_assert_null (bough_auth_authenticate (f.auth, token, NULL, NULL, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
    g_clear_error (&error);
    /* expirations in the past are refused */
    g_assert_null (bough_auth_token_create (f.store, identity, "old", "2001-01-01T00:00:00Z", NULL, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
  }
  fixture_stop (&f);
}

static void
test_auth_generated_password (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *access = NULL;
  g_autoptr(BoughStore) other = NULL;
  g_autoptr(BoughConfig) config = NULL;
  g_autofree char *dir = NULL;
  static const char * const env[] = { "BOUGH_SECURITY_PASSWORD_COST=minimal", NULL };
  guint status = 0;

  /* open_store printed it; bootstrap a second data directory to see it */
  fixture_start (&f, NULL);
  dir = g_dir_make_tmp ("bough-auth-XXXXXX", &error);
  config = bough_config_load (NULL, dir, "127.0.0.1:0", env, &error);
  g_assert_no_error (error);
  other = bough_store_open (bough_config_get_database_path (config), &error);
  g_assert_no_error (error);
  g_assert_true (bough_store_initialize (other, &error));
  g_assert_true (bough_auth_bootstrap (other, config, &generated, &error));
  g_assert_no_error (error);
  g_assert_nonnull (generated);
  g_assert_cmpuint (strlen (generated), >=, 16);
  g_assert_cmpstr (generated, !=, "infrahub");

  {
    g_autoptr(BoughAuth) auth = bough_auth_new (other, config, &error);

    g_assert_no_error (error);
    access = bough_auth_login (auth, "admin", generated, "127.0.0.1", &refresh, &status, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (access);
    g_assert_nonnull (refresh);
    {
      g_autofree char *none = NULL;

      g_clear_error (&error);
      g_assert_null (bough_auth_login (auth, "admin", "infrahub", "127.0.0.1", &none, &status, &error));
      g_assert_cmpuint (status, ==, 401);
      g_assert_null (none);
    }
  }
  fixture_stop (&f);
}

static void
test_auth_login_session (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *access = NULL;
  g_autofree char *header = NULL;
  g_autofree char *cookie = NULL;
  g_autoptr(BoughIdentity) identity = NULL;
  g_autoptr(BoughIdentity) from_cookie = NULL;
  guint status = 0;

  fixture_start (&f, admin_env);
  access = bough_auth_login (f.auth, "admin", PASSWORD, "10.0.0.1", &refresh, &status, &error);
  g_assert_no_error (error);
  header = g_strconcat ("Bearer ", access, NULL);
  identity = bough_auth_authenticate (f.auth, NULL, header, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bough_identity_get_method (identity), ==, BOUGH_AUTH_METHOD_JWT);
  g_assert_nonnull (bough_identity_get_session_id (identity));
  cookie = g_strconcat ("theme=dark; access_token=", access, NULL);
  from_cookie = bough_auth_authenticate (f.auth, NULL, NULL, cookie, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bough_identity_get_session_id (from_cookie), ==,
                   bough_identity_get_session_id (identity));

  /* logging out ends the session: its access token stops */
  g_assert_true (_bough_auth_logout (f.auth, identity, &error));
  g_assert_no_error (error);
  g_assert_null (bough_auth_authenticate (f.auth, NULL, header, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (_bough_auth_refresh (f.auth, refresh, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  fixture_stop (&f);
}

static void
test_auth_throttle (void)
{
  static const char * const env[] = {
    "BOUGH_INITIAL_ADMIN_PASSWORD=" PASSWORD, "BOUGH_SECURITY_LOGIN_MAX_FAILURES=3", NULL
  };
  Fixture f = { 0 };
  g_autofree char *refresh = NULL;
  guint status = 0;

  fixture_start (&f, env);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (bough_auth_login (f.auth, "admin", "wrong", "10.0.0.2", &refresh, &status, &error));
      g_assert_cmpuint (status, ==, 401);
    }
  /* the right password now waits too, per account (from another address)... */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (bough_auth_login (f.auth, "admin", PASSWORD, "10.0.0.3", &refresh, &status, &error));
    g_assert_cmpuint (status, ==, 429);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
  }
  /* ...and per address (for another account) */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (bough_auth_login (f.auth, "someone", "x", "10.0.0.2", &refresh, &status, &error));
    g_assert_cmpuint (status, ==, 429);
  }
  /* others are not slowed */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (bough_auth_login (f.auth, "someone", "x", "10.0.0.4", &refresh, &status, &error));
    g_assert_cmpuint (status, ==, 401);
  }
  fixture_stop (&f);
}

static void
test_auth_anonymous (void)
{
  static const char * const env[] = { "BOUGH_MAIN_ALLOW_ANONYMOUS_ACCESS=true", NULL };
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughIdentity) identity = NULL;

  fixture_start (&f, env);
  identity = bough_auth_authenticate (f.auth, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bough_identity_is_anonymous (identity));
  g_assert_null (bough_identity_get_account_id (identity));
  /* wrong credentials are still refused, never taken as anonymous */
  g_assert_null (bough_auth_authenticate (f.auth, "nope", NULL, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
  fixture_stop (&f);
}

static void
test_auth_secret_key (void)
{
  Fixture f = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  GStatBuf st;

  fixture_start (&f, NULL);
  path = g_build_filename (f.dir, "secret_key", NULL);
  g_assert_true (g_file_get_contents (path, &first, NULL, NULL));
  g_assert_cmpuint (strlen (first), >=, 32);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  /* kept across restarts */
  g_clear_pointer (&f.auth, bough_auth_free);
  f.auth = bough_auth_new (f.store, f.config, NULL);
  g_assert_nonnull (f.auth);
  g_assert_true (g_file_get_contents (path, &second, NULL, NULL));
  g_assert_cmpstr (first, ==, second);
  fixture_stop (&f);
}

/* Sends @body to @path with @header: @value only (no test token). */
static void
send_as (ApiFixture *f,
         const char *path,
         const char *body,
         const char *header,
         const char *value,
         ApiReply   *reply)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (f->base, path, G_URI_FLAGS_NONE, NULL);
  SoupMessageHeaders *headers;

  reply->msg = soup_message_new_from_uri (body ? "POST" : "GET", uri);
  headers = soup_message_get_request_headers (reply->msg);
  soup_message_headers_append (headers, "X-Bough-Test-No-Auth", "1");
  if (header != NULL)
    soup_message_headers_append (headers, header, value);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (reply->msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, reply->msg, G_PRIORITY_DEFAULT, NULL,
                                    api_sent_cb, reply);
  api_wait (reply);
}

static void
test_auth_http (void)
{
  static const char * const env[] = { "BOUGH_INITIAL_ADMIN_PASSWORD=" PASSWORD, NULL };
  ApiFixture f = { 0 };
  const char *query = "{\"query\": \"{ AccountProfile { name { value } } }\"}";

  api_fixture_start (&f, env);
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *message = NULL;

    send_as (&f, "graphql/main", query, NULL, NULL, &reply);
    message = api_assert_error (&reply, 401);
    g_assert_cmpstr (message, ==, "Authentication is required");
  }
  {
    g_auto(ApiReply) reply = { 0 };

    send_as (&f, "api/info", NULL, NULL, NULL, &reply);
    g_assert_cmpuint (reply.status, ==, 200);
  }
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *message = NULL;

    send_as (&f, "api/schema", NULL, "X-INFRAHUB-KEY", "wrong", &reply);
    message = api_assert_error (&reply, 401);
  }
  {
    g_auto(ApiReply) login = { 0 };
    g_auto(ApiReply) reply = { 0 };
    g_autoptr(JsonNode) root = NULL;
    g_autofree char *cookie = NULL;
    const char *set_cookie;

    send_as (&f, "api/auth/login", "{\"username\": \"admin\", \"password\": \"" PASSWORD "\"}",
             NULL, NULL, &login);
    g_assert_cmpuint (login.status, ==, 200);
    set_cookie = soup_message_headers_get_list (soup_message_get_response_headers (login.msg),
                                                "Set-Cookie");
    g_assert_nonnull (strstr (set_cookie, "HttpOnly"));
    root = api_parse (login.body);
    cookie = g_strconcat ("access_token=",
                          json_object_get_string_member (json_node_get_object (root), "access_token"),
                          NULL);
    /* the cookie alone authenticates, as for the web UI */
    send_as (&f, "graphql/main", query, "Cookie", cookie, &reply);
    g_assert_cmpuint (reply.status, ==, 200);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (reply.body, NULL), g_bytes_get_size (reply.body),
                                    "\"admin\""));
  }
  api_fixture_stop (&f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/auth/password", test_auth_password);
  g_test_add_func ("/auth/jwt", test_auth_jwt);
  g_test_add_func ("/auth/bootstrap-and-token", test_auth_bootstrap_and_token);
  g_test_add_func ("/auth/generated-password", test_auth_generated_password);
  g_test_add_func ("/auth/login-session", test_auth_login_session);
  g_test_add_func ("/auth/throttle", test_auth_throttle);
  g_test_add_func ("/auth/anonymous", test_auth_anonymous);
  g_test_add_func ("/auth/secret-key", test_auth_secret_key);
  g_test_add_func ("/auth/http", test_auth_http);

  return g_test_run ();
}
