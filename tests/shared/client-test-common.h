/* client-test-common.h: a live bough-server run as a separate process for
 * the tests of BoughClient and of the desktop client (tests/ui): found in
 * the build tree, started on a fresh data directory with an admin token and
 * password, stopped with SIGTERM.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "../test-util.h"

#define TEST_SERVER_TOKEN    "bough-client-test-token-0123456789"
#define TEST_SERVER_PASSWORD "client-test-password-1"

typedef struct
{
  GSubprocess *process;
  char        *url;
  char        *dir;
} TestServer;

/* A test that aborts must not leave its server running (and holding the
 * test's output open). */
static inline void
test_server_child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* The built bough-server, or NULL when the build has none. */
static inline char *
test_server_binary (void)
{
  g_autofree char *path = NULL;

  if (g_getenv ("BOUGH_TEST_SERVER_BINARY") != NULL)
    path = g_strdup (g_getenv ("BOUGH_TEST_SERVER_BINARY"));
  else
    path = g_test_build_filename (G_TEST_BUILT, "..", "server", "bough-server", NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;
  return g_steal_pointer (&path);
}

/* Runs the server on @server->dir, listening on @listen, and returns the
 * address it answers on. @first: a new data directory, given the test's
 * admin token and password; @extra_env holds `BOUGH_<SECTION>_<KEY>=value`
 * settings. */
static inline char *
test_server_spawn (TestServer         *server,
                   const char         *binary,
                   const char         *listen,
                   gboolean            first,
                   const char * const *extra_env)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) final_env = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = { binary, "serve", "--data-dir", server->dir, "--listen", listen, NULL };

  /* The outer environment must not leak configuration into the server. */
  for (guint i = 0; env[i] != NULL; i++)
    if (!g_str_has_prefix (env[i], "BOUGH_") || g_str_has_prefix (env[i], "BOUGH_SCHEMA_LIBRARY="))
      g_strv_builder_add (kept, env[i]);
  if (first)
    {
      g_strv_builder_add (kept, "BOUGH_INITIAL_ADMIN_TOKEN=" TEST_SERVER_TOKEN);
      g_strv_builder_add (kept, "BOUGH_INITIAL_ADMIN_PASSWORD=" TEST_SERVER_PASSWORD);
    }
  g_strv_builder_add (kept, "BOUGH_SECURITY_PASSWORD_COST=minimal");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    g_strv_builder_add (kept, extra_env[i]);
  final_env = g_strv_builder_end (kept);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_environ (launcher, final_env);
  g_subprocess_launcher_set_child_setup (launcher, test_server_child_setup, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  return g_strdup (line + strlen ("listening on "));
}

/* Starts a server; @extra_env holds `BOUGH_<SECTION>_<KEY>=value` settings.
 * Returns FALSE (and skips the test) when there is no server binary. */
static inline gboolean
test_server_start (TestServer         *server,
                   const char * const *extra_env)
{
  g_autofree char *binary = test_server_binary ();
  g_autoptr(GError) error = NULL;

  memset (server, 0, sizeof *server);
  if (binary == NULL)
    {
      g_test_skip ("bough-server is not built (expected in <build>/server/bough-server)");
      return FALSE;
    }
  server->dir = g_dir_make_tmp ("bough-client-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->url = test_server_spawn (server, binary, "127.0.0.1:0", TRUE, extra_env);
  return TRUE;
}

static inline void
test_server_stop (TestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->process);
  bough_test_remove_tree (server->dir);
  g_clear_pointer (&server->dir, g_free);
  g_clear_pointer (&server->url, g_free);
}
