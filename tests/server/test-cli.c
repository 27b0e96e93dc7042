/* test-cli.c: the bough-server command line, run as a separate process:
 * usage errors, config show, db init, serve (listening line, /api/info,
 * error bodies, SIGTERM, address in use).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

static char *server_binary;

static GSubprocessLauncher *
make_launcher (const char * const *extra_env)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) final_env = NULL;

  /* The outer environment must not leak configuration into the server. */
  for (guint i = 0; env[i] != NULL; i++)
    if (!g_str_has_prefix (env[i], "BOUGH_") || g_str_has_prefix (env[i], "BOUGH_SCHEMA_LIBRARY="))
      g_strv_builder_add (kept, env[i]);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    g_strv_builder_add (kept, extra_env[i]);
  final_env = g_strv_builder_end (kept);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, final_env);
  return g_steal_pointer (&launcher);
}

/* Runs bough-server with @args to completion; returns its exit status. */
static int
run (const char * const  *extra_env,
     char               **out,
     char               **err,
     const char          *first_arg,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (extra_env);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list args;

  g_ptr_array_add (argv, server_binary);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", stdout_text, stderr_text);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);

  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
make_data_dir (const char *name)
{
  char *dir = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static void
test_cli_version (void)
{
  g_autofree char *out = NULL;
  g_autofree char *expected = g_strdup_printf ("bough-server %s\n", PACKAGE_VERSION);

  g_assert_cmpint (run (NULL, &out, NULL, "--version", NULL), ==, 0);
  g_assert_cmpstr (out, ==, expected);
}

static void
test_cli_usage (void)
{
  static const char * const cases[][3] = {
    { NULL, NULL, NULL },
    { "frobnicate", NULL, NULL },
    { "serve", "--no-such-option", NULL },
    { "serve", "extra", NULL },
    { "db", NULL, NULL },
    { "db", "drop", NULL },
    { "config", "edit", NULL },
    { "-x", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run (NULL, &out, &err, cases[i][0], cases[i][1], cases[i][2], NULL), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, "Usage: bough-server COMMAND"));
    }

  {
    g_autofree char *out = NULL;

    g_assert_cmpint (run (NULL, &out, NULL, "--help", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "db init"));
  }
}

static void
test_cli_config_show (void)
{
  const char * const env[] = {
    "BOUGH_WEB_CONCURRENCY=7",
    "BOUGH_INITIAL_ADMIN_TOKEN=7e7b5d9a-secret-not-shown",
    NULL
  };
  g_autofree char *dir = make_data_dir ("config-show");
  g_autofree char *conf = g_build_filename (dir, "other.conf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected_dir = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_file_set_contents (conf, "[web]\nmax_page_size = 25\n", -1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (run (env, &out, NULL, "config", "show", "--data-dir", dir, "-c", conf, NULL),
                   ==, 0);
  g_assert_null (strstr (out, "secret-not-shown"));
  g_key_file_load_from_data (keyfile, out, -1, G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (keyfile, "web", "concurrency", NULL), ==, 7);
  g_assert_cmpint (g_key_file_get_integer (keyfile, "web", "max_page_size", NULL), ==, 25);
  expected_dir = g_key_file_get_string (keyfile, "main", "data_dir", NULL);
  g_assert_cmpstr (expected_dir, ==, dir);
  g_assert_nonnull (strstr (out, "source: env BOUGH_WEB_CONCURRENCY"));
  g_assert_nonnull (strstr (out, "source: command line --data-dir"));
  g_assert_nonnull (strstr (out, "source: file "));

  /* A bad value: exit 1 with the file and key named. */
  g_file_set_contents (conf, "[web]\nmax_page_size = lots\n", -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (NULL, &out, &err, "config", "show", "-c", conf, NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, conf));
  g_assert_nonnull (strstr (err, "max_page_size"));
  g_clear_pointer (&err, g_free);

  /* A bad environment value stops serve before anything is opened. */
  {
    const char * const bad_env[] = { "BOUGH_MAIN_LISTEN=nowhere", NULL };
    g_autofree char *db = g_build_filename (dir, "bough.db", NULL);

    g_assert_cmpint (run (bad_env, NULL, &err, "serve", "--data-dir", dir, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "BOUGH_MAIN_LISTEN"));
    g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  }
}

static void
test_cli_db_init (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first_err = NULL;
  g_autofree char *second_err = NULL;
  g_autofree char *chosen_dir = NULL;
  g_autofree char *chosen_err = NULL;
  static const char * const chosen_env[] = { "BOUGH_INITIAL_ADMIN_PASSWORD=chosen-password", NULL };

  dir = g_build_filename (g_get_user_data_dir (), "db-init", "nested", NULL);
  db = g_build_filename (dir, "bough.db", NULL);

  g_assert_cmpint (run (NULL, &first, &first_err, "db", "init", "--data-dir", dir, NULL), ==, 0);
  g_assert_nonnull (strstr (first, "initialized"));
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  /* no default password: a generated one, shown once */
  g_assert_nonnull (strstr (first_err, "generated password"));

  g_assert_cmpint (run (NULL, &second, &second_err, "db", "init", "--data-dir", dir, NULL), ==, 0);
  g_assert_nonnull (strstr (second, "already"));
  g_assert_null (strstr (second_err, "generated password"));

  chosen_dir = g_build_filename (g_get_user_data_dir (), "db-init", "chosen", NULL);
  g_assert_cmpint (run (chosen_env, NULL, &chosen_err, "db", "init", "--data-dir", chosen_dir, NULL), ==, 0);
  g_assert_null (strstr (chosen_err, "generated password"));
  g_assert_null (strstr (chosen_err, "chosen-password"));
}

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *base;
} Server;

static void
server_start_with_env (Server             *server,
                       const char         *dir,
                       const char         *listen,
                       const char * const *extra_env)
{
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (extra_env);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = { server_binary, "serve", "--data-dir", dir, "--listen", listen, NULL };

  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  server->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));

  line = g_data_input_stream_read_line_utf8 (server->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("server says: %s", line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (line, ":0"));
  server->base = g_strdup (line + strlen ("listening on "));
}

static void
server_start (Server     *server,
              const char *dir,
              const char *listen)
{
  server_start_with_env (server, dir, listen, NULL);
}

/* Stops the server with @signal_number; returns its exit status and, in
 * @err, what it wrote on stderr. */
static int
server_stop_full (Server  *server,
                  int      signal_number,
                  char   **err)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_subprocess_send_signal (server->process, signal_number);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  status = g_subprocess_get_exit_status (server->process);

  if (err != NULL)
    {
      g_autoptr(GDataInputStream) stream =
        g_data_input_stream_new (g_subprocess_get_stderr_pipe (server->process));
      gsize length;

      *err = g_data_input_stream_read_upto (stream, "", 0, &length, NULL, &error);
      g_assert_no_error (error);
      if (*err == NULL)
        *err = g_strdup ("");
      g_test_message ("server stderr: %s", *err);
    }

  g_clear_object (&server->out);
  g_clear_object (&server->process);
  g_clear_pointer (&server->base, g_free);
  return status;
}

static int
server_stop (Server *server,
             int     signal_number)
{
  return server_stop_full (server, signal_number, NULL);
}

static JsonObject *
get_json (SoupSession *session,
          const char  *method,
          const char  *url,
          guint        expected_status)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                          NULL), ==, "application/json");
  data = g_bytes_get_data (body, &length);
  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_error_body (JsonObject *object,
                   guint       code)
{
  JsonArray *errors = json_object_get_array_member (object, "errors");
  JsonObject *first = json_array_get_object_element (errors, 0);

  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "data")));
  g_assert_nonnull (json_object_get_string_member (first, "message"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (first, "extensions"),
                                               "code"), ==, code);
}

static void
test_cli_serve (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *info_url = NULL;
  g_autofree char *missing_url = NULL;
  g_autofree char *deployment_id = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonObject) wrong = NULL;
  g_autoptr(JsonObject) again = NULL;
  Server server = { 0 };

  dir = make_data_dir ("serve");
  db = g_build_filename (dir, "bough.db", NULL);
  session = soup_session_new ();

  /* First start: the database is created. */
  server_start (&server, dir, "127.0.0.1:0");
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));

  info_url = g_strconcat (server.base, "/api/info", NULL);
  info = get_json (session, "GET", info_url, SOUP_STATUS_OK);
  deployment_id = g_strdup (json_object_get_string_member (info, "deployment_id"));
  g_assert_true (g_uuid_string_is_valid (deployment_id));
  g_assert_cmpstr (json_object_get_string_member (info, "version"), ==, PACKAGE_VERSION);

  missing_url = g_strconcat (server.base, "/api/no-such-endpoint", NULL);
  missing = get_json (session, "GET", missing_url, SOUP_STATUS_NOT_FOUND);
  assert_error_body (missing, SOUP_STATUS_NOT_FOUND);

  wrong = get_json (session, "DELETE", info_url, SOUP_STATUS_METHOD_NOT_ALLOWED);
  assert_error_body (wrong, SOUP_STATUS_METHOD_NOT_ALLOWED);

  soup_session_abort (session);
  g_assert_cmpint (server_stop (&server, SIGTERM), ==, 0);

  /* Second start on the same data: same deployment, SIGINT also exits 0. */
  server_start (&server, dir, "127.0.0.1:0");
  g_clear_pointer (&info_url, g_free);
  info_url = g_strconcat (server.base, "/api/info", NULL);
  again = get_json (session, "GET", info_url, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (again, "deployment_id"), ==, deployment_id);
  soup_session_abort (session);
  g_assert_cmpint (server_stop (&server, SIGINT), ==, 0);
}

static void
test_cli_address_in_use (void)
{
  g_autoptr(GSocketListener) listener = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *err = NULL;

  listener = g_socket_listener_new ();
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);

  dir = make_data_dir ("in-use");
  listen = g_strdup_printf ("127.0.0.1:%u",
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));

  g_assert_cmpint (run (NULL, NULL, &err, "serve", "--data-dir", dir, "--listen", listen, NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "cannot listen on"));
  g_assert_nonnull (strstr (err, listen));
  g_socket_listener_close (listener);
}

static void
test_cli_log_level (void)
{
  const char * const quiet[] = { "BOUGH_LOG_LEVEL=warning", NULL };
  g_autofree char *dir_default = make_data_dir ("log-default");
  g_autofree char *dir_quiet = make_data_dir ("log-quiet");
  g_autofree char *err_default = NULL;
  g_autofree char *err_quiet = NULL;
  Server server = { 0 };

  /* The default level (message) reports the database creation... */
  server_start (&server, dir_default, "127.0.0.1:0");
  g_assert_cmpint (server_stop_full (&server, SIGTERM, &err_default), ==, 0);
  g_assert_nonnull (strstr (err_default, "created the database"));

  /* ...which [log] level=warning leaves out. */
  server_start_with_env (&server, dir_quiet, "127.0.0.1:0", quiet);
  g_assert_cmpint (server_stop_full (&server, SIGTERM, &err_quiet), ==, 0);
  g_assert_null (strstr (err_quiet, "created the database"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server_binary = g_test_build_filename (G_TEST_BUILT, "..", "server", "bough-server", NULL);

  g_test_add_func ("/cli/version", test_cli_version);
  g_test_add_func ("/cli/usage", test_cli_usage);
  g_test_add_func ("/cli/config-show", test_cli_config_show);
  g_test_add_func ("/cli/db-init", test_cli_db_init);
  g_test_add_func ("/cli/serve", test_cli_serve);
  g_test_add_func ("/cli/address-in-use", test_cli_address_in_use);
  g_test_add_func ("/cli/log-level", test_cli_log_level);

  status = g_test_run ();
  g_free (server_binary);
  return status;
}
