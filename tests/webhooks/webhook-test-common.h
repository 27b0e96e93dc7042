/* webhook-test-common.h: the Python webhook receiver of the webhook tests
 * (webhook-receiver.py, started on loopback per test) and reading what it
 * recorded.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

typedef struct
{
  GSubprocess *process;
  guint16      port;
  char        *reference;
} Receiver;

static inline char *
receiver_script (void)
{
  return g_test_build_filename (G_TEST_DIST, "webhooks", "webhook-receiver.py", NULL);
}

/* FALSE (and the test skipped) when python3 is missing. With @cert and
 * @key (PEM files), it serves HTTPS. */
static inline gboolean
receiver_start_full (Receiver   *receiver,
                     const char *secret,
                     const char *cert,
                     const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = receiver_script ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  g_autofree char *reference = NULL;
  const char *argv[8] = { python, script, NULL };
  guint argc = 2;

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return FALSE;
    }
  if (secret != NULL)
    {
      argv[argc++] = "--secret";
      argv[argc++] = secret;
    }
  if (cert != NULL)
    {
      argv[argc++] = "--tls";
      argv[argc++] = cert;
      argv[argc++] = key;
    }
  receiver->process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver->process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "port "));
  receiver->port = (guint16) g_ascii_strtoull (line + 5, NULL, 10);
  g_assert_cmpuint (receiver->port, >, 0);
  reference = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reference);
  receiver->reference = g_strdup (reference + strlen ("reference "));
  return TRUE;
}

static inline gboolean
receiver_start (Receiver   *receiver,
                const char *secret)
{
  return receiver_start_full (receiver, secret, NULL, NULL);
}

static inline void
receiver_stop (Receiver *receiver)
{
  if (receiver->process == NULL)
    return;
  g_subprocess_force_exit (receiver->process);
  g_subprocess_wait (receiver->process, NULL, NULL);
  g_clear_object (&receiver->process);
  g_clear_pointer (&receiver->reference, g_free);
}

static inline char *
receiver_url (Receiver   *receiver,
              const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", receiver->port, path);
}

static inline gboolean
receiver_accept_cb (SoupMessage          *msg,
                    GTlsCertificate      *certificate,
                    GTlsCertificateFlags  errors,
                    gpointer              user_data)
{
  return TRUE;
}

/* The deliveries the receiver got, oldest first; @cert: it serves HTTPS
 * with that (self-signed) certificate. */
static inline JsonArray *
receiver_records_full (Receiver   *receiver,
                       const char *cert)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s://127.0.0.1:%u/records", cert != NULL ? "https" : "http",
                                          receiver->port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data;

  if (cert != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (receiver_accept_cb), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  data = g_bytes_get_data (body, &length);
  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static inline JsonArray *
receiver_records (Receiver *receiver)
{
  return receiver_records_full (receiver, NULL);
}

/* The signature webhook-receiver.py computes for @body, as an independent
 * implementation of the scheme. */
static inline char *
receiver_sign (const char *secret,
               const char *message_id,
               gint64      timestamp,
               const char *body,
               gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = receiver_script ();
  g_autofree char *dir = g_dir_make_tmp ("webhook-vector-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "body", NULL);
  g_file_set_contents (path, body, length, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { python, script, "--sign", secret, message_id, stamp, path, NULL };

    process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
    g_assert_no_error (error);
  }
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  g_unlink (path);
  g_rmdir (dir);
  return g_strdup (g_strstrip (out));
}
