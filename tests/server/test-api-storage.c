/* test-api-storage.c: the object storage endpoints: uploads of content and
 * of multipart files, reads, 404 and the other errors in the API's shape,
 * size limits, authentication, path traversal through the URL and links
 * planted in the storage directory (RELIABILITY 25), the [storage] settings,
 * uploads surviving kill -9 of the server;
 * with BOUGH_TEST_S3_ENDPOINT, the same through the S3 driver.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-api-storage"

#include "config.h"

#include <signal.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bough-error.h"
#include "bough-config.h"

#include "api-test-common.h"

#define HELLO_SHA256 "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define HELLO_MD5    "5d41402abc4b2a76b9719d911017c592"

/* Sends @body (nullable) with @content_type; @no_auth sends no credentials. */
static void
send_bytes (ApiFixture *f,
            const char *method,
            const char *path,
            const char *content_type,
            GBytes     *body,
            gboolean    no_auth,
            ApiReply   *reply)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (f->base, path, G_URI_FLAGS_ENCODED, NULL);

  g_assert_nonnull (uri);
  reply->msg = soup_message_new_from_uri (method, uri);
  if (no_auth)
    soup_message_headers_append (soup_message_get_request_headers (reply->msg),
                                 "X-Bough-Test-No-Auth", "1");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (reply->msg, content_type, body);
  soup_session_send_and_read_async (f->session, reply->msg, G_PRIORITY_DEFAULT, NULL,
                                    api_sent_cb, reply);
  api_wait (reply);
}

static void
send_text (ApiFixture *f,
           const char *method,
           const char *path,
           const char *body,
           gboolean    no_auth,
           ApiReply   *reply)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  send_bytes (f, method, path, "application/json", bytes, no_auth, reply);
}

/* Sends a multipart/form-data body with @file as the part named @field. */
static void
send_multipart (ApiFixture *f,
                const char *field,
                GBytes     *file,
                gboolean    no_auth,
                ApiReply   *reply)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (f->base, "api/storage/upload/file", G_URI_FLAGS_NONE, NULL);
  g_autoptr(SoupMultipart) multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  g_autofree char *address = g_uri_to_string (uri);

  soup_multipart_append_form_string (multipart, "note", "not the file");
  soup_multipart_append_form_file (multipart, field, "blob.bin", "application/octet-stream", file);
  reply->msg = soup_message_new_from_multipart (address, multipart);
  if (no_auth)
    soup_message_headers_append (soup_message_get_request_headers (reply->msg),
                                 "X-Bough-Test-No-Auth", "1");
  soup_session_send_and_read_async (f->session, reply->msg, G_PRIORITY_DEFAULT, NULL,
                                    api_sent_cb, reply);
  api_wait (reply);
}

/* Asserts an upload answer and returns its identifier. */
static char *
assert_uploaded (ApiReply *reply,
                 GBytes   *content)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  g_autofree char *md5 = g_compute_checksum_for_bytes (G_CHECKSUM_MD5, content);
  JsonObject *object;

  g_assert_cmpuint (reply->status, ==, 200);
  root = api_parse (reply->body);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "identifier"), ==, sha256);
  g_assert_cmpstr (json_object_get_string_member (object, "checksum"), ==, md5);
  return g_strdup (json_object_get_string_member (object, "identifier"));
}

static void
assert_object (ApiFixture *f,
               const char *identifier,
               GBytes     *content,
               const char *content_type)
{
  g_auto(ApiReply) reply = { 0 };
  g_autofree char *path = g_strconcat ("api/storage/object/", identifier, NULL);
  SoupMessageHeaders *headers;

  send_text (f, "GET", path, NULL, FALSE, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (g_bytes_equal (reply.body, content));
  headers = soup_message_get_response_headers (reply.msg);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==, content_type);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Content-Type-Options"), ==, "nosniff");
}

static void
test_upload_content (void)
{
  ApiFixture f = { 0 };
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) unicode = g_bytes_new_static ("h\xc3\xa9llo \xe2\x9c\x93\n", 11);

  api_fixture_start (&f, NULL);
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *identifier = NULL;

    send_text (&f, "POST", "api/storage/upload/content", "{\"content\": \"hello\"}", FALSE, &reply);
    identifier = assert_uploaded (&reply, hello);
    g_assert_cmpstr (identifier, ==, HELLO_SHA256);
    assert_object (&f, identifier, hello, "text/plain; charset=utf-8");
  }
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *identifier = NULL;

    /* JSON escapes arrive as the bytes they stand for */
    send_text (&f, "POST", "api/storage/upload/content", "{\"content\": \"h\\u00e9llo \\u2713\\n\"}",
               FALSE, &reply);
    identifier = assert_uploaded (&reply, unicode);
    assert_object (&f, identifier, unicode, "text/plain; charset=utf-8");
  }
  {
    /* HEAD: the headers without the body */
    g_auto(ApiReply) reply = { 0 };

    send_text (&f, "HEAD", "api/storage/object/" HELLO_SHA256, NULL, FALSE, &reply);
    g_assert_cmpuint (reply.status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (reply.body), ==, 0);
  }
  api_fixture_stop (&f);
}

static void
test_upload_file (void)
{
  ApiFixture f = { 0 };
  guint8 every[256];
  g_autoptr(GBytes) binary = NULL;

  for (guint i = 0; i < sizeof every; i++)
    every[i] = 255 - i;
  binary = g_bytes_new (every, sizeof every);

  api_fixture_start (&f, NULL);
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *identifier = NULL;

    send_multipart (&f, "file", binary, FALSE, &reply);
    identifier = assert_uploaded (&reply, binary);
    assert_object (&f, identifier, binary, "application/octet-stream");
  }
  {
    /* no part named file */
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *message = NULL;

    send_multipart (&f, "upload", binary, FALSE, &reply);
    message = api_assert_error (&reply, 422);
    g_assert_nonnull (strstr (message, "'file'"));
  }
  {
    /* not multipart at all */
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *message = NULL;

    send_text (&f, "POST", "api/storage/upload/file", "{\"content\": \"hello\"}", FALSE, &reply);
    message = api_assert_error (&reply, 415);
  }
  {
    /* a multipart body that is not one */
    g_auto(ApiReply) reply = { 0 };
    g_autoptr(GBytes) garbage = g_bytes_new_static ("no boundary here", 16);
    g_autofree char *message = NULL;

    send_bytes (&f, "POST", "api/storage/upload/file", "multipart/form-data; boundary=zzz", garbage,
                FALSE, &reply);
    message = api_assert_error (&reply, 422);
  }
  api_fixture_stop (&f);
}

static void
test_errors (void)
{
  ApiFixture f = { 0 };
  static const char * const bad_bodies[] = {
    "", "not json", "[]", "{}", "{\"content\": 5}", "{\"content\": null}", "{\"content\": [\"a\"]}",
  };

  api_fixture_start (&f, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_auto(ApiReply) reply = { 0 };
      g_autofree char *message = NULL;

      send_text (&f, "POST", "api/storage/upload/content", bad_bodies[i], FALSE, &reply);
      message = api_assert_error (&reply, 422);
    }
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *message = NULL;

    send_text (&f, "GET", "api/storage/object/" HELLO_SHA256, NULL, FALSE, &reply);
    message = api_assert_error (&reply, 404);
    g_assert_nonnull (strstr (message, HELLO_SHA256));
  }
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *message = NULL;

    send_text (&f, "GET", "api/storage/object/hello.txt", NULL, FALSE, &reply);
    message = api_assert_error (&reply, 400);
  }
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *message = NULL;

    send_text (&f, "PUT", "api/storage/upload/content", "{\"content\": \"x\"}", FALSE, &reply);
    message = api_assert_error (&reply, 405);
  }
  api_fixture_stop (&f);
}

static void
test_limits (void)
{
  static const char * const env[] = {
    "BOUGH_STORAGE_MAX_OBJECT_SIZE=1k", "BOUGH_WEB_MAX_BODY_SIZE=4k", NULL,
  };
  ApiFixture f = { 0 };
  g_autofree char *at_limit = g_strnfill (1024, 'a');
  g_autofree char *over_limit = g_strnfill (1025, 'a');
  g_autofree char *over_body = g_strnfill (5000, 'b');

  api_fixture_start (&f, env);
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *body = g_strdup_printf ("{\"content\": \"%s\"}", at_limit);
    g_autoptr(GBytes) content = g_bytes_new (at_limit, 1024);
    g_autofree char *identifier = NULL;

    send_text (&f, "POST", "api/storage/upload/content", body, FALSE, &reply);
    identifier = assert_uploaded (&reply, content);
  }
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *body = g_strdup_printf ("{\"content\": \"%s\"}", over_limit);
    g_autofree char *message = NULL;
    g_autofree char *over_id = g_compute_checksum_for_string (G_CHECKSUM_SHA256, over_limit, -1);
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "bough", "storage",
                                              NULL);
    g_auto(ApiReply) read = { 0 };
    g_autofree char *read_path = g_strconcat ("api/storage/object/", over_id, NULL);

    send_text (&f, "POST", "api/storage/upload/content", body, FALSE, &reply);
    message = api_assert_error (&reply, 413);
    g_assert_nonnull (strstr (message, "1024"));
    /* nothing was stored */
    send_text (&f, "GET", read_path, NULL, FALSE, &read);
    g_assert_cmpuint (read.status, ==, 404);
  }
  {
    g_auto(ApiReply) reply = { 0 };
    g_autoptr(GBytes) file = g_bytes_new (over_limit, 1025);
    g_autofree char *message = NULL;

    send_multipart (&f, "file", file, FALSE, &reply);
    message = api_assert_error (&reply, 413);
  }
  {
    /* over web.max_body_size: refused from the declared length by the HTTP layer */
    g_auto(ApiReply) reply = { 0 };
    g_autoptr(GUri) uri = g_uri_parse_relative (f.base, "api/storage/upload/content", G_URI_FLAGS_NONE, NULL);
    g_autoptr(GBytes) bytes = g_bytes_new (over_body, strlen (over_body));
    g_autofree char *message = NULL;

    reply.msg = soup_message_new_from_uri ("POST", uri);
    soup_message_set_request_body_from_bytes (reply.msg, "application/json", bytes);
    soup_session_send_and_read_async (f.session, reply.msg, G_PRIORITY_DEFAULT, NULL,
                                      api_sent_cb, &reply);
    api_wait (&reply);
    message = api_assert_error (&reply, 413);
  }
  api_fixture_stop (&f);
}

static void
test_auth (void)
{
  static const char * const closed[] = { NULL };
  static const char * const anonymous[] = { "BOUGH_MAIN_ALLOW_ANONYMOUS_ACCESS=true", NULL };
  const char * const *envs[] = { closed, anonymous };
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);

  for (guint e = 0; e < G_N_ELEMENTS (envs); e++)
    {
      ApiFixture f = { 0 };

      api_fixture_start (&f, envs[e]);
      {
        g_auto(ApiReply) reply = { 0 };
        g_autofree char *identifier = NULL;

        send_text (&f, "POST", "api/storage/upload/content", "{\"content\": \"hello\"}", FALSE, &reply);
        identifier = assert_uploaded (&reply, hello);
      }
      {
        /* uploads need credentials, anonymous access or not */
        g_auto(ApiReply) reply = { 0 };
        g_auto(ApiReply) file = { 0 };
        g_autofree char *message = NULL;
        g_autofree char *file_message = NULL;

        send_text (&f, "POST", "api/storage/upload/content", "{\"content\": \"anon\"}", TRUE, &reply);
        message = api_assert_error (&reply, 401);
        send_multipart (&f, "file", hello, TRUE, &file);
        file_message = api_assert_error (&file, 401);
      }
      {
        /* reads as the other reads: anonymous only when allowed */
        g_auto(ApiReply) reply = { 0 };

        send_text (&f, "GET", "api/storage/object/" HELLO_SHA256, NULL, TRUE, &reply);
        if (e == 0)
          g_free (api_assert_error (&reply, 401));
        else
          {
            g_assert_cmpuint (reply.status, ==, 200);
            g_assert_true (g_bytes_equal (reply.body, hello));
          }
      }
      {
        /* a bad token is refused everywhere */
        g_auto(ApiReply) reply = { 0 };
        g_autoptr(GUri) uri = g_uri_parse_relative (f.base, "api/storage/object/" HELLO_SHA256,
                                                    G_URI_FLAGS_NONE, NULL);

        reply.msg = soup_message_new_from_uri ("GET", uri);
        soup_message_headers_append (soup_message_get_request_headers (reply.msg), "X-INFRAHUB-KEY",
                                     "not-a-token");
        soup_session_send_and_read_async (f.session, reply.msg, G_PRIORITY_DEFAULT, NULL,
                                          api_sent_cb, &reply);
        api_wait (&reply);
        g_free (api_assert_error (&reply, 401));
      }
      api_fixture_stop (&f);
    }
}

/* RELIABILITY 25: no URL reaches outside the storage. */
static void
test_traversal (void)
{
  ApiFixture f = { 0 };
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "bough", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *storage = NULL;
  g_autofree char *shard = NULL;
  g_autofree char *planted = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const paths[] = {
    "api/storage/object/..%2Fsecret.txt",
    "api/storage/object/..%2F..%2Fsecret.txt",
    "api/storage/object/%2e%2e%2fsecret.txt",
    "api/storage/object/%2E%2E/secret.txt",
    "api/storage/object/..%252F..%252Fsecret.txt",
    "api/storage/object/../secret.txt",
    "api/storage/object/../../secret.txt",
    "api/storage/object//etc/passwd",
    "api/storage/object/%2Fetc%2Fpasswd",
    "api/storage/object/%00",
    "api/storage/object/" HELLO_SHA256 "%00",
    "api/storage/object/" HELLO_SHA256 "%00/../../secret.txt",
    "api/storage/object/" HELLO_SHA256 "/..%2F..%2Fsecret.txt",
    "api/storage/object/2c/" HELLO_SHA256,
    "api/storage/object/storage/2c/" HELLO_SHA256,
    "api/storage/object/secret.txt",
    "api/storage/object/bough.db",
  };

  api_fixture_start (&f, NULL);
  secret = g_build_filename (data_dir, "secret.txt", NULL);
  g_file_set_contents (secret, "top secret", -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(ApiReply) reply = { 0 };
      g_autoptr(GUri) uri = g_uri_build (G_URI_FLAGS_ENCODED, "http", NULL, g_uri_get_host (f.base),
                                         g_uri_get_port (f.base), "/", NULL, NULL);
      g_autofree char *base = g_uri_to_string (uri);
      g_autofree char *raw = g_strconcat (base, paths[i], NULL);
      gsize length;
      const char *data;

      /* built by hand: GUri would resolve the dot segments itself */
      reply.msg = soup_message_new ("GET", raw);
      if (reply.msg == NULL)
        {
          g_test_message ("%s: not a URL libsoup sends", paths[i]);
          continue;
        }
      soup_session_send_and_read_async (f.session, reply.msg, G_PRIORITY_DEFAULT, NULL,
                                        api_sent_cb, &reply);
      api_wait (&reply);
      g_test_message ("%s: %u", paths[i], reply.status);
      g_assert_cmpuint (reply.status, !=, 200);
      g_assert_true (reply.status == 400 || reply.status == 404);
      data = g_bytes_get_data (reply.body, &length);
      g_assert_null (data != NULL ? g_strstr_len (data, length, "top secret") : NULL);
      g_assert_null (data != NULL ? g_strstr_len (data, length, "SQLite") : NULL);
    }

  /* a link planted in the storage directory is never followed */
  storage = g_build_filename (data_dir, "storage", NULL);
  shard = g_build_filename (storage, "2c", NULL);
  g_assert_cmpint (g_mkdir_with_parents (shard, 0700), ==, 0);
  planted = g_build_filename (shard, HELLO_SHA256, NULL);
  g_assert_cmpint (symlink (secret, planted), ==, 0);
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *message = NULL;

    /* refused, and logged for the operator */
    g_test_expect_message ("bough-api", G_LOG_LEVEL_WARNING, "*symbolic link*");
    send_text (&f, "GET", "api/storage/object/" HELLO_SHA256, NULL, FALSE, &reply);
    g_test_assert_expected_messages ();
    message = api_assert_error (&reply, 500);
    g_assert_null (strstr (message, "top secret"));
  }
  {
    /* an upload of that object replaces the link, not the file it names */
    g_auto(ApiReply) reply = { 0 };
    g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
    g_autofree char *identifier = NULL;
    g_autofree char *after = NULL;

    send_text (&f, "POST", "api/storage/upload/content", "{\"content\": \"hello\"}", FALSE, &reply);
    identifier = assert_uploaded (&reply, hello);
    assert_object (&f, identifier, hello, "text/plain; charset=utf-8");
    g_file_get_contents (secret, &after, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (after, ==, "top secret");
  }
  api_fixture_stop (&f);
}

static void
test_settings (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "bough-settings", NULL);
  static const char * const s3_env[] = {
    "BOUGH_STORAGE_DRIVER=s3", "BOUGH_STORAGE_S3_ENDPOINT=https://s3.eu-west-1.amazonaws.com",
    "BOUGH_STORAGE_S3_BUCKET=bough-objects", "BOUGH_STORAGE_S3_ACCESS_KEY=AKIAVISIBLEKEY",
    "BOUGH_STORAGE_S3_SECRET_KEY=do-not-print-me-42", "BOUGH_STORAGE_S3_PREFIX=bough/", NULL,
  };
  static const char * const missing_env[] = {
    "BOUGH_STORAGE_DRIVER=s3", "BOUGH_STORAGE_S3_BUCKET=b", "BOUGH_STORAGE_S3_ACCESS_KEY=a",
    "BOUGH_STORAGE_S3_SECRET_KEY=s", NULL,
  };
  static const char * const bad_prefix_env[] = {
    "BOUGH_STORAGE_DRIVER=s3", "BOUGH_STORAGE_S3_ENDPOINT=http://127.0.0.1:1", "BOUGH_STORAGE_S3_BUCKET=b",
    "BOUGH_STORAGE_S3_ACCESS_KEY=a", "BOUGH_STORAGE_S3_SECRET_KEY=s", "BOUGH_STORAGE_S3_PREFIX=../x/", NULL,
  };
  static const char * const bad_driver_env[] = { "BOUGH_STORAGE_DRIVER=gcs", NULL };

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughConfig) config = bough_config_load (NULL, dir, NULL, s3_env, &error);
    g_autofree char *shown = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (bough_config_get_string (config, "storage", "driver"), ==, "s3");
    g_assert_cmpstr (bough_config_get_string (config, "storage", "s3_region"), ==, "us-east-1");
    g_assert_cmpint (bough_config_get_int (config, "storage", "max_object_size"), ==, 10485760);
    shown = bough_config_to_data (config, NULL);
    g_assert_null (strstr (shown, "do-not-print-me-42"));
    g_assert_nonnull (strstr (shown, "s3_secret_key="));
    g_assert_nonnull (strstr (shown, "value hidden"));
    g_assert_nonnull (strstr (shown, "AKIAVISIBLEKEY"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughConfig) config = bough_config_load (NULL, dir, NULL, missing_env, &error);

    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
    g_assert_null (config);
    g_assert_nonnull (strstr (error->message, "s3_endpoint"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughConfig) config = bough_config_load (NULL, dir, NULL, bad_prefix_env, &error);

    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
    g_assert_null (config);
    g_assert_nonnull (strstr (error->message, "s3_prefix"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughConfig) config = bough_config_load (NULL, dir, NULL, bad_driver_env, &error);

    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
    g_assert_null (config);
    g_assert_nonnull (strstr (error->message, "BOUGH_STORAGE_DRIVER"));
  }
}

/* The endpoints over the S3 driver, when CI provides a server. */
static void
test_s3_driver (void)
{
  const char *endpoint = g_getenv ("BOUGH_TEST_S3_ENDPOINT");
  const char *bucket = g_getenv ("BOUGH_TEST_S3_BUCKET");
  g_autofree char *endpoint_env = NULL;
  g_autofree char *bucket_env = NULL;
  g_autofree char *prefix_env = NULL;
  const char *env[8];
  ApiFixture f = { 0 };
  g_autoptr(GBytes) content = NULL;
  g_autofree char *text = NULL;

  if (endpoint == NULL || endpoint[0] == '\0')
    {
      g_test_skip ("BOUGH_TEST_S3_ENDPOINT is unset (the storage suite starts its own s3rver)");
      return;
    }
  endpoint_env = g_strconcat ("BOUGH_STORAGE_S3_ENDPOINT=", endpoint, NULL);
  bucket_env = g_strconcat ("BOUGH_STORAGE_S3_BUCKET=", bucket != NULL ? bucket : "bough-test", NULL);
  prefix_env = g_strdup_printf ("BOUGH_STORAGE_S3_PREFIX=api%08x/", g_random_int ());
  env[0] = "BOUGH_STORAGE_DRIVER=s3";
  env[1] = endpoint_env;
  env[2] = bucket_env;
  env[3] = "BOUGH_STORAGE_S3_ACCESS_KEY=S3RVER";
  env[4] = "BOUGH_STORAGE_S3_SECRET_KEY=S3RVER";
  env[5] = "BOUGH_STORAGE_S3_USE_PATH_STYLE=true";
  env[6] = prefix_env;
  env[7] = NULL;

  text = g_strdup_printf ("through s3 %u", g_random_int ());
  content = g_bytes_new (text, strlen (text));
  api_fixture_start (&f, env);
  {
    g_auto(ApiReply) reply = { 0 };
    g_autofree char *body = g_strdup_printf ("{\"content\": \"%s\"}", text);
    g_autofree char *identifier = NULL;

    send_text (&f, "POST", "api/storage/upload/content", body, FALSE, &reply);
    identifier = assert_uploaded (&reply, content);
    assert_object (&f, identifier, content, "text/plain; charset=utf-8");
  }
  {
    g_auto(ApiReply) reply = { 0 };

    send_text (&f, "GET", "api/storage/object/" HELLO_SHA256, NULL, FALSE, &reply);
    g_free (api_assert_error (&reply, 404));
  }
  api_fixture_stop (&f);
}

/* Starts the built bough-server on @dir; returns its address. */
static GSubprocess *
spawn_server (const char  *dir,
              char       **address)
{
  g_autofree char *binary = g_test_build_filename (G_TEST_BUILT, "..", "server", "bough-server", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "BOUGH_INITIAL_ADMIN_TOKEN", API_TEST_TOKEN, TRUE);
  g_subprocess_launcher_setenv (launcher, "BOUGH_SECURITY_PASSWORD_COST", "minimal", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "serve", "--data-dir", dir,
                                         "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  *address = g_strdup (line + strlen ("listening on "));
  return process;
}

static GBytes *
sync_request (SoupSession *session,
              const char  *method,
              const char  *url,
              const char  *body,
              guint       *status)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  soup_message_headers_append (soup_message_get_request_headers (msg), "X-INFRAHUB-KEY", API_TEST_TOKEN);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return answer;
}

/* An upload the server answered survives kill -9 of the server. */
static void
test_killed_server (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "bough-killed", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) identifiers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autofree char *address = NULL;
  g_autofree char *address2 = NULL;
  const guint n = 20;

  first = spawn_server (dir, &address);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *url = g_strconcat (address, "/api/storage/upload/content", NULL);
      g_autofree char *body = g_strdup_printf ("{\"content\": \"object %u before the crash\"}", i);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonNode) root = NULL;
      guint status;

      answer = sync_request (session, "POST", url, body, &status);
      g_assert_cmpuint (status, ==, 200);
      root = api_parse (answer);
      g_ptr_array_add (identifiers, g_strdup (json_object_get_string_member (json_node_get_object (root),
                                                                             "identifier")));
    }
  g_subprocess_force_exit (first);
  g_subprocess_wait (first, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (first));
  soup_session_abort (session);

  second = spawn_server (dir, &address2);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *url = g_strconcat (address2, "/api/storage/object/",
                                          (char *) g_ptr_array_index (identifiers, i), NULL);
      g_autofree char *expected = g_strdup_printf ("object %u before the crash", i);
      g_autoptr(GBytes) answer = NULL;
      guint status;

      answer = sync_request (session, "GET", url, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpmem (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), expected, strlen (expected));
    }
  g_subprocess_send_signal (second, SIGTERM);
  g_subprocess_wait (second, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/api-storage/upload-content", test_upload_content);
  g_test_add_func ("/api-storage/upload-file", test_upload_file);
  g_test_add_func ("/api-storage/errors", test_errors);
  g_test_add_func ("/api-storage/limits", test_limits);
  g_test_add_func ("/api-storage/auth", test_auth);
  g_test_add_func ("/api-storage/traversal", test_traversal);
  g_test_add_func ("/api-storage/settings", test_settings);
  g_test_add_func ("/api-storage/s3-driver", test_s3_driver);
  g_test_add_func ("/api-storage/killed-server", test_killed_server);

  return g_test_run ();
}
