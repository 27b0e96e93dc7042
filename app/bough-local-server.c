/* bough-local-server.c: BoughLocalServer: finds bough-server (next to the
 * client, in the build tree, in PATH), starts `bough-server serve` on a
 * workspace under the user's data directory on a free loopback port, waits
 * for its `listening on` line, keeps the workspace's admin token in the
 * keyring, and stops the server when the application quits.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bough-error.h"
#include "bough-local-server.h"
#include "bough-secrets.h"

struct _BoughLocalServer
{
  GObject           parent_instance;

  GSubprocess      *process;
  GDataInputStream *out;
  char             *data_dir;
  char             *token;
  char             *url;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (BoughLocalServer, bough_local_server, G_TYPE_OBJECT)

static void
bough_local_server_dispose (GObject *object)
{
  BoughLocalServer *self = BOUGH_LOCAL_SERVER (object);

  bough_local_server_stop (self);

  G_OBJECT_CLASS (bough_local_server_parent_class)->dispose (object);
}

static void
bough_local_server_finalize (GObject *object)
{
  BoughLocalServer *self = BOUGH_LOCAL_SERVER (object);

  g_free (self->data_dir);
  g_free (self->token);
  g_free (self->url);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bough_local_server_parent_class)->finalize (object);
}

static void
bough_local_server_class_init (BoughLocalServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bough_local_server_dispose;
  object_class->finalize = bough_local_server_finalize;
}

static void
bough_local_server_init (BoughLocalServer *self)
{
}

/**
 * bough_local_server_get_default:
 *
 * Returns: (transfer none): the local server of this process (one at most)
 */
BoughLocalServer *
bough_local_server_get_default (void)
{
  static BoughLocalServer *instance;

  if (instance == NULL)
    instance = g_object_new (BOUGH_TYPE_LOCAL_SERVER, NULL);
  return instance;
}

/**
 * bough_local_server_find_binary:
 *
 * Finds bough-server: `$BOUGH_SERVER_BINARY`, then next to the running
 * program, then in the build tree (`app/bough` or `tests/ui/test-*` beside
 * `server/bough-server`), then in `PATH`.
 *
 * Returns: (transfer full) (nullable): its path
 */
char *
bough_local_server_find_binary (void)
{
  g_autofree char *self_path = NULL;
  g_autofree char *dir = NULL;
  const char *env = g_getenv ("BOUGH_SERVER_BINARY");
  const char * const relative[] = {
    "bough-server",
    "../server/bough-server",
    "../../server/bough-server",
  };

  if (env != NULL && env[0] != '\0')
    return g_file_test (env, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (env) : NULL;

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL)
    {
      dir = g_path_get_dirname (self_path);
      for (guint i = 0; i < G_N_ELEMENTS (relative); i++)
        {
          g_autofree char *candidate = g_build_filename (dir, relative[i], NULL);
          g_autofree char *canonical = g_canonicalize_filename (candidate, NULL);

          if (g_file_test (canonical, G_FILE_TEST_IS_EXECUTABLE) &&
              !g_file_test (canonical, G_FILE_TEST_IS_DIR))
            return g_steal_pointer (&canonical);
        }
    }
  return g_find_program_in_path ("bough-server");
}

/**
 * bough_local_server_default_dir:
 *
 * Returns: (transfer full): `<user data dir>/bough/workspace`
 */
char *
bough_local_server_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "bough", "workspace", NULL);
}

#ifdef __linux__
/* The private server must not outlive a client that crashed. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}
#endif

static char *
new_token (void)
{
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();
  g_autofree char *joined = g_strconcat ("bough-local-", a, b, NULL);
  GString *token = g_string_new (NULL);

  for (const char *p = joined; *p != '\0'; p++)
    if (*p != '-' || p < joined + strlen ("bough-local"))
      g_string_append_c (token, *p);
  return g_string_free (token, FALSE);
}

static char *
secret_server_name (const char *data_dir)
{
  return g_strconcat ("local-workspace:", data_dir, NULL);
}

/* Where the token goes when there is no keyring (a bare session): a file
 * only the user can read, in the workspace itself. */
static char *
token_file (const char *data_dir)
{
  return g_build_filename (data_dir, "client-token", NULL);
}

/* What the server prints after its first line (log lines, if its
 * configuration sends them to stdout) goes to our debug log, so that a
 * full pipe never blocks it. */
static void
drain_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BoughLocalServer) self = user_data;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                   NULL);
  if (line == NULL || self->out != G_DATA_INPUT_STREAM (source))
    return;
  g_debug ("local server: %s", line);
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_LOW, self->cancellable, drain_cb,
                                       g_object_ref (self));
}

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BoughLocalServer *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(BoughClient) client = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                   &error);
  if (line == NULL)
    {
      bough_local_server_stop (self);
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                                 _("The local server stopped before it was ready; "
                                   "its messages are in the log"));
      return;
    }
  if (!g_str_has_prefix (line, "listening on "))
    {
      /* Not the line we wait for: keep reading. */
      g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (source), G_PRIORITY_DEFAULT,
                                           g_task_get_cancellable (task), line_read_cb,
                                           g_steal_pointer (&task));
      return;
    }
  g_free (self->url);
  self->url = g_strdup (g_strstrip (line + strlen ("listening on ")));
  g_message ("local workspace %s at %s", self->data_dir, self->url);
  client = bough_client_new (self->url);
  bough_client_set_token (client, self->token);
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_LOW, self->cancellable, drain_cb,
                                       g_object_ref (self));
  g_task_return_pointer (task, g_steal_pointer (&client), g_object_unref);
}

static void
process_exited_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BoughLocalServer) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  if (self->process == G_SUBPROCESS (source))
    {
      g_message ("the local server stopped");
      g_clear_object (&self->out);
      g_clear_object (&self->process);
      g_clear_pointer (&self->url, g_free);
    }
}

static void
spawn (GTask *task)
{
  BoughLocalServer *self = g_task_get_source_object (task);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = bough_local_server_find_binary ();
  const char *argv[] = { NULL, "serve", "--data-dir", self->data_dir, "--listen", "127.0.0.1:0",
                         NULL };

  if (binary == NULL)
    {
      g_task_return_new_error (task, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND,
                               _("bough-server was not found: install it next to the "
                                 "client or in PATH"));
      g_object_unref (task);
      return;
    }
  argv[0] = binary;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Only at the workspace's first start does this create the admin token. */
  g_subprocess_launcher_setenv (launcher, "BOUGH_INITIAL_ADMIN_TOKEN", self->token, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "BOUGH_MAIN_DATA_DIR");
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
#endif
  self->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (self->process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  g_subprocess_wait_async (self->process, NULL, process_exited_cb, g_object_ref (self));
  self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                       line_read_cb, task);
}

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  BoughLocalServer *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!bough_secret_store_finish (result, &error))
    {
      g_autofree char *path = token_file (self->data_dir);

      g_message ("no keyring (%s): the workspace token goes in %s", error->message, path);
      g_clear_error (&error);
      if (!g_file_set_contents_full (path, self->token, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
    }
  spawn (task);
}

static void
token_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  BoughLocalServer *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = bough_secret_lookup_finish (result, &error);
  g_autofree char *path = token_file (self->data_dir);
  g_autofree char *secret_name = NULL;

  if (token == NULL && g_file_get_contents (path, &token, NULL, NULL))
    g_strstrip (token);
  if (token != NULL && token[0] != '\0')
    {
      g_free (self->token);
      self->token = g_steal_pointer (&token);
      spawn (task);
      return;
    }
  g_free (self->token);
  self->token = new_token ();
  secret_name = secret_server_name (self->data_dir);
  bough_secret_store_async (secret_name, "token", NULL, self->token, g_task_get_cancellable (task),
                            token_stored_cb, task);
}

/**
 * bough_local_server_start_async:
 * @self: a #BoughLocalServer
 * @data_dir: (nullable): the workspace, %NULL for bough_local_server_default_dir()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server listens
 * @user_data: data for @callback
 *
 * Starts the private server (if it does not run yet) and gives a client of
 * it holding the workspace's admin token.
 */
void
bough_local_server_start_async (BoughLocalServer    *self,
                                const char          *data_dir,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = data_dir ? g_strdup (data_dir) : bough_local_server_default_dir ();
  g_autofree char *secret_name = NULL;

  g_return_if_fail (BOUGH_IS_LOCAL_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bough_local_server_start_async);

  if (self->process != NULL && self->url != NULL && g_strcmp0 (self->data_dir, dir) == 0)
    {
      BoughClient *client = bough_client_new (self->url);

      bough_client_set_token (client, self->token);
      g_task_return_pointer (task, client, g_object_unref);
      g_object_unref (task);
      return;
    }
  bough_local_server_stop (self);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot create the workspace %s: %s"), dir, g_strerror (saved));
      g_object_unref (task);
      return;
    }
  g_free (self->data_dir);
  self->data_dir = g_steal_pointer (&dir);
  secret_name = secret_server_name (self->data_dir);
  bough_secret_lookup_async (secret_name, "token", NULL, cancellable, token_found_cb, task);
}

/**
 * bough_local_server_start_finish:
 * @self: a #BoughLocalServer
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a client of the local server
 */
BoughClient *
bough_local_server_start_finish (BoughLocalServer  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (BOUGH_IS_LOCAL_SERVER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * bough_local_server_get_url:
 * @self: a #BoughLocalServer
 *
 * Returns: (nullable): the address of the running server
 */
const char *
bough_local_server_get_url (BoughLocalServer *self)
{
  g_return_val_if_fail (BOUGH_IS_LOCAL_SERVER (self), NULL);

  return self->url;
}

gboolean
bough_local_server_get_running (BoughLocalServer *self)
{
  g_return_val_if_fail (BOUGH_IS_LOCAL_SERVER (self), FALSE);

  return self->process != NULL;
}

/**
 * bough_local_server_stop:
 * @self: a #BoughLocalServer
 *
 * Stops the server (SIGTERM, then waits for it to exit), if it runs.
 */
void
bough_local_server_stop (BoughLocalServer *self)
{
  g_autoptr(GSubprocess) process = NULL;

  g_return_if_fail (BOUGH_IS_LOCAL_SERVER (self));

  if (self->process == NULL)
    return;
  process = g_steal_pointer (&self->process);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->out);
  g_clear_pointer (&self->url, g_free);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}
