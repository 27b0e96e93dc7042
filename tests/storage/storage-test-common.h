/* storage-test-common.h: what the object storage tests share: temporary
 * directories, and an S3-compatible server for the S3 driver: the one
 * BOUGH_TEST_S3_ENDPOINT names, else s3rver (npm) installed into the build
 * tree and started on loopback by the test itself.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "../test-util.h"

/* s3rver accepts any signature but knows this key pair only. */
#define S3_TEST_ACCESS_KEY "S3RVER"
#define S3_TEST_SECRET_KEY "S3RVER"
#define S3_TEST_BUCKET     "bough-test"

typedef struct
{
  GSubprocess *process;   /* NULL when the endpoint came from the environment */
  char        *endpoint;  /* NULL: unavailable, see skip_reason */
  char        *bucket;
  char        *access_key;
  char        *secret_key;
  char        *data_dir;
  char        *skip_reason;
} S3TestServer;

/* Starts (or finds) the S3 server; on failure endpoint is NULL and
 * skip_reason says why. */
static inline void
s3_test_server_start (S3TestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *node = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *install = NULL;
  g_autofree char *log = NULL;
  g_autofree char *run = NULL;
  g_autofree char *line = NULL;
  const char *env_endpoint = g_getenv ("BOUGH_TEST_S3_ENDPOINT");
  int status = 0;

  memset (server, 0, sizeof *server);
  if (env_endpoint != NULL && env_endpoint[0] != '\0')
    {
      const char *bucket = g_getenv ("BOUGH_TEST_S3_BUCKET");
      const char *access_key = g_getenv ("BOUGH_TEST_S3_ACCESS_KEY");
      const char *secret_key = g_getenv ("BOUGH_TEST_S3_SECRET_KEY");

      server->endpoint = g_strdup (env_endpoint);
      server->bucket = g_strdup (bucket != NULL ? bucket : S3_TEST_BUCKET);
      server->access_key = g_strdup (access_key != NULL ? access_key : S3_TEST_ACCESS_KEY);
      server->secret_key = g_strdup (secret_key != NULL ? secret_key : S3_TEST_SECRET_KEY);
      return;
    }

  node = g_find_program_in_path ("node");
  if (node == NULL)
    {
      server->skip_reason = g_strdup ("node is not installed and BOUGH_TEST_S3_ENDPOINT is unset: "
                                      "no S3 server to test against");
      return;
    }
  if (g_getenv ("G_TEST_BUILDDIR") == NULL || g_getenv ("G_TEST_SRCDIR") == NULL)
    {
      server->skip_reason = g_strdup ("G_TEST_BUILDDIR/G_TEST_SRCDIR unset: run through meson test");
      return;
    }
  prefix = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "storage", "s3rver-node", NULL);
  install = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "storage", "s3rver", "install.sh", NULL);
  log = g_strconcat (prefix, ".install.log", NULL);
  {
    g_autofree char *command = g_strdup_printf ("sh '%s' '%s' > '%s' 2>&1", install, prefix, log);
    const char *argv[] = { "sh", "-c", command, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                       &status, &error) ||
        !g_spawn_check_wait_status (status, NULL))
      {
        server->skip_reason = g_strdup_printf ("s3rver could not be installed with npm (offline?); "
                                               "see %s", log);
        return;
      }
  }

  server->data_dir = g_dir_make_tmp ("bough-s3rver-XXXXXX", &error);
  g_assert_no_error (error);
  run = g_build_filename (prefix, "run.mjs", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  server->process = g_subprocess_launcher_spawn (launcher, &error, node, run, server->data_dir,
                                                 S3_TEST_BUCKET, NULL);
  if (server->process == NULL)
    {
      server->skip_reason = g_strdup_printf ("cannot start s3rver: %s", error->message);
      return;
    }
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      server->skip_reason = g_strdup_printf ("s3rver did not start (%s)",
                                             line != NULL ? line : "no output");
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
      return;
    }
  server->endpoint = g_strdup (line + strlen ("listening on "));
  server->bucket = g_strdup (S3_TEST_BUCKET);
  server->access_key = g_strdup (S3_TEST_ACCESS_KEY);
  server->secret_key = g_strdup (S3_TEST_SECRET_KEY);
}

static inline void
s3_test_server_stop (S3TestServer *server)
{
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  if (server->data_dir != NULL)
    bough_test_remove_tree (server->data_dir);
  g_clear_pointer (&server->endpoint, g_free);
  g_clear_pointer (&server->bucket, g_free);
  g_clear_pointer (&server->access_key, g_free);
  g_clear_pointer (&server->secret_key, g_free);
  g_clear_pointer (&server->data_dir, g_free);
  g_clear_pointer (&server->skip_reason, g_free);
}
