/* test-http-limits.c: the connection limits of the HTTP front, driven by raw sockets against a
 * running server: slow headers, stalled bodies, idle keep-alive connections, oversize headers
 * and chunked bodies, the connection cap, and normal requests served meanwhile.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "api-test-common.h"

/* Generous: nothing here is timed, this only stops a broken test. */
#define WAIT_SECONDS 60

typedef struct
{
  GSocketConnection *connection;
  GString           *received;
  char               buffer[4096];
  gboolean           eof;
  gboolean           reading;
  GError            *error;
  GSource           *drip;
  gsize              dripped;
} Raw;

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("no answer in %d seconds", WAIT_SECONDS);
  return G_SOURCE_REMOVE;
}

static void raw_read (Raw *raw);

static void
raw_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Raw *raw = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  raw->reading = FALSE;
  if (n < 0)
    {
      /* a reset after the reply counts as the end */
      raw->eof = TRUE;
      raw->error = g_steal_pointer (&error);
      return;
    }
  if (n == 0)
    {
      raw->eof = TRUE;
      return;
    }
  g_string_append_len (raw->received, raw->buffer, n);
  raw_read (raw);
}

static void
raw_read (Raw *raw)
{
  raw->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (raw->connection)),
                             raw->buffer, sizeof raw->buffer, G_PRIORITY_DEFAULT, NULL,
                             raw_read_cb, raw);
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Raw *raw = user_data;

  raw->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result,
                                                            &raw->error);
}

static void
raw_connect (ApiFixture *f,
             Raw        *raw)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, NULL);

  memset (raw, 0, sizeof *raw);
  raw->received = g_string_new (NULL);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", g_uri_get_port (f->base), NULL,
                                         connected_cb, raw);
  while (raw->connection == NULL && raw->error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_assert_no_error (raw->error);
  raw_read (raw);
}

static void
raw_free (Raw *raw)
{
  if (raw->drip != NULL)
    {
      g_source_destroy (raw->drip);
      g_source_unref (raw->drip);
    }
  g_io_stream_close (G_IO_STREAM (raw->connection), NULL, NULL);
  while (raw->reading)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&raw->connection);
  g_string_free (raw->received, TRUE);
  g_clear_error (&raw->error);
}

/* Writes without blocking the loop the server runs on. */
static void
raw_write (Raw        *raw,
           const char *data,
           gsize       length)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (raw->connection));

  while (length > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out), data,
                                                             length, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_main_context_iteration (NULL, FALSE);
          continue;
        }
      if (n < 0)
        return;   /* the server closed: what it answered is read anyway */
      data += n;
      length -= n;
    }
}

static void
raw_write_text (Raw        *raw,
                const char *text)
{
  raw_write (raw, text, strlen (text));
}

static void
raw_wait_eof (Raw *raw)
{
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, NULL);

  while (!raw->eof)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

/* Waits until what was received holds @text. */
static void
raw_wait_for (Raw        *raw,
              const char *text)
{
  guint timeout = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, NULL);

  while (strstr (raw->received->str, text) == NULL)
    {
      g_assert_false (raw->eof);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timeout);
}

static void
assert_status (Raw  *raw,
               guint status)
{
  g_autofree char *line = g_strdup_printf ("HTTP/1.1 %u ", status);

  if (!g_str_has_prefix (raw->received->str, line))
    g_test_message ("received (%s): %s", raw->error ? raw->error->message : "no error",
                    raw->received->str);
  g_assert_true (g_str_has_prefix (raw->received->str, line));
}

static void
assert_served (ApiFixture *f)
{
  g_auto(ApiReply) reply = { 0 };

  api_request (f, "GET", "api/info", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
}

/* One more byte of a header line that never ends. */
static gboolean
drip_cb (gpointer user_data)
{
  Raw *raw = user_data;

  if (raw->eof)
    return G_SOURCE_CONTINUE;
  raw_write_text (raw, "a");
  raw->dripped++;
  return G_SOURCE_CONTINUE;
}

static void
test_slow_headers (void)
{
  static const char * const env[] = { "BOUGH_WEB_HEADER_TIMEOUT=1", NULL };
  ApiFixture f = { 0 };
  Raw slow;
  Raw stalled;

  api_fixture_start (&f, env);

  /* slowloris: headers a byte at a time */
  raw_connect (&f, &slow);
  raw_write_text (&slow, "GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
  slow.drip = g_timeout_source_new (50);
  g_source_set_callback (slow.drip, drip_cb, &slow, NULL);
  g_source_attach (slow.drip, NULL);

  /* headers begun, then nothing */
  raw_connect (&f, &stalled);
  raw_write_text (&stalled, "GET /api/info HTTP/1.1\r\nHost: local");

  /* others are served meanwhile */
  assert_served (&f);

  raw_wait_eof (&slow);
  assert_status (&slow, 408);
  g_assert_null (strstr (slow.received->str, "deployment_id"));
  raw_wait_eof (&stalled);
  assert_status (&stalled, 408);

  assert_served (&f);
  raw_free (&stalled);
  raw_free (&slow);
  api_fixture_stop (&f);
}

static void
test_stalled_body (void)
{
  static const char * const env[] = { "BOUGH_WEB_BODY_TIMEOUT=1", NULL };
  ApiFixture f = { 0 };
  Raw raw;

  api_fixture_start (&f, env);
  raw_connect (&f, &raw);
  raw_write_text (&raw, "POST /graphql HTTP/1.1\r\nHost: localhost\r\n"
                        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\": ");
  assert_served (&f);
  raw_wait_eof (&raw);
  assert_status (&raw, 408);
  raw_free (&raw);
  api_fixture_stop (&f);
}

static void
test_idle (void)
{
  static const char * const env[] = { "BOUGH_WEB_IDLE_TIMEOUT=1", NULL };
  ApiFixture f = { 0 };
  Raw raw;

  api_fixture_start (&f, env);
  raw_connect (&f, &raw);
  raw_write_text (&raw, "GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n");
  raw_wait_for (&raw, "deployment_id");
  assert_status (&raw, 200);
  /* kept alive for a second request */
  g_assert_null (strstr (raw.received->str, "Connection: close"));
  g_string_truncate (raw.received, 0);
  raw_write_text (&raw, "GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n");
  raw_wait_for (&raw, "deployment_id");
  assert_status (&raw, 200);

  /* then closed once idle, with nothing more said */
  g_string_truncate (raw.received, 0);
  raw_wait_eof (&raw);
  g_assert_cmpstr (raw.received->str, ==, "");
  raw_free (&raw);
  api_fixture_stop (&f);
}

static void
test_oversize_headers (void)
{
  ApiFixture f = { 0 };
  Raw raw;
  g_autofree char *big = g_strnfill (100 * 1024, 'x');

  api_fixture_start (&f, NULL);
  raw_connect (&f, &raw);
  raw_write_text (&raw, "GET /api/info HTTP/1.1\r\nHost: localhost\r\nX-Big: ");
  raw_write_text (&raw, big);
  raw_write_text (&raw, "\r\n\r\n");
  raw_wait_eof (&raw);
  assert_status (&raw, 431);
  g_assert_null (strstr (raw.received->str, "deployment_id"));

  assert_served (&f);
  raw_free (&raw);
  api_fixture_stop (&f);
}

static void
test_oversize_chunked (void)
{
  static const char * const env[] = { "BOUGH_WEB_MAX_BODY_SIZE=4096", NULL };
  ApiFixture f = { 0 };
  Raw raw;
  g_autofree char *chunk = g_strnfill (1024, ' ');
  guint timeout;

  api_fixture_start (&f, env);
  raw_connect (&f, &raw);
  raw_write_text (&raw, "POST /graphql HTTP/1.1\r\nHost: localhost\r\n"
                        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
  /* a body that never ends: the refusal cannot wait for all of it */
  timeout = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, NULL);
  while (!raw.eof && strstr (raw.received->str, "\r\n\r\n") == NULL)
    {
      raw_write_text (&raw, "400\r\n");
      raw_write_text (&raw, chunk);
      raw_write_text (&raw, "\r\n");
      g_main_context_iteration (NULL, FALSE);
    }
  g_source_remove (timeout);
  raw_wait_eof (&raw);
  assert_status (&raw, 413);
  g_assert_nonnull (strstr (raw.received->str, "larger than the limit"));

  assert_served (&f);
  raw_free (&raw);
  api_fixture_stop (&f);
}

static void
test_connection_cap (void)
{
  static const char * const env[] = { "BOUGH_WEB_MAX_CONNECTIONS=2", NULL };
  ApiFixture f = { 0 };
  Raw first;
  Raw second;
  Raw third;

  api_fixture_start (&f, env);
  raw_connect (&f, &first);
  raw_connect (&f, &second);
  /* both are served */
  raw_write_text (&first, "GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n");
  raw_wait_for (&first, "deployment_id");
  raw_write_text (&second, "GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n");
  raw_wait_for (&second, "deployment_id");

  raw_connect (&f, &third);
  raw_write_text (&third, "GET /api/info HTTP/1.1\r\nHost: localhost\r\n\r\n");
  raw_wait_eof (&third);
  assert_status (&third, 503);

  /* a place freed is taken again */
  raw_free (&first);
  {
    Raw again;
    gboolean served = FALSE;

    /* the server notices the close when it reads the EOF: retry until then */
    while (!served)
      {
        raw_connect (&f, &again);
        raw_write_text (&again, "GET /api/info HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        raw_wait_eof (&again);
        served = g_str_has_prefix (again.received->str, "HTTP/1.1 200 ");
        if (!served)
          assert_status (&again, 503);
        raw_free (&again);
      }
  }

  raw_free (&third);
  raw_free (&second);
  api_fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/http-limits/slow-headers", test_slow_headers);
  g_test_add_func ("/http-limits/stalled-body", test_stalled_body);
  g_test_add_func ("/http-limits/idle", test_idle);
  g_test_add_func ("/http-limits/oversize-headers", test_oversize_headers);
  g_test_add_func ("/http-limits/oversize-chunked", test_oversize_chunked);
  g_test_add_func ("/http-limits/connection-cap", test_connection_cap);

  return g_test_run ();
}
