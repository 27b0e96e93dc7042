/* test-connect.c: connecting the window to a live server: the form with a
 * password (and the saved server it leaves), the form with an API token
 * (a wrong one first), `bough --server URL` with BOUGH_TOKEN, and "Open
 * local workspace".
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-connect"

#include "config.h"

#include "bough-local-server.h"
#include "bough-secrets.h"
#include "bough-window-private.h"

#include "ui-test-common.h"

static gboolean
window_connected_cb (gpointer user_data)
{
  BoughWindow *window = user_data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (_bough_window_get_main_stack (window)),
                    "main") == 0 &&
         bough_branch_selector_get_default_branch (
           _bough_window_get_branch_selector (window)) != NULL;
}

static gboolean
connect_settled_cb (gpointer user_data)
{
  return !bough_connect_page_get_busy (user_data);
}

static void
test_connect_password (void)
{
  TestServer server;
  BoughWindow *window;
  BoughConnectPage *page;
  BoughClient *client;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) servers = NULL;
  const char *url;
  const char *method;
  const char *username;

  if (!test_server_start (&server, NULL))
    return;
  window = bough_window_new (NULL);
  page = _bough_window_get_connect_page (window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (_bough_window_get_main_stack (window)), ==,
                   "connect");
  g_assert_null (bough_window_get_client (window));

  /* not an address */
  bough_connect_page_fill (page, "not a url", "admin", TEST_SERVER_PASSWORD, NULL);
  bough_connect_page_connect (page);
  g_assert_nonnull (bough_connect_page_get_error (page));
  g_assert_false (bough_connect_page_get_busy (page));

  /* a wrong password */
  bough_connect_page_fill (page, server.url, "admin", "wrong-password", NULL);
  bough_connect_page_connect (page);
  ui_wait_until (connect_settled_cb, page);
  g_assert_nonnull (bough_connect_page_get_error (page));
  g_assert_null (bough_window_get_client (window));

  bough_connect_page_fill (page, server.url, "admin", TEST_SERVER_PASSWORD, NULL);
  ui_screenshot (GTK_WIDGET (window), "connect");
  bough_connect_page_connect (page);
  ui_wait_until (window_connected_cb, window);

  client = bough_window_get_client (window);
  g_assert_nonnull (client);
  g_assert_cmpstr (bough_client_get_username (client), ==, "admin");
  g_assert_cmpstr (bough_client_get_base_url (client), ==, server.url);
  g_assert_null (bough_window_get_branch (window));

  /* the server is saved, without its password */
  settings = g_settings_new (BOUGH_APP_ID);
  servers = g_settings_get_value (settings, "servers");
  g_assert_cmpuint (g_variant_n_children (servers), ==, 1);
  g_variant_get_child (servers, 0, "(&s&s&s)", &url, &method, &username);
  g_assert_cmpstr (url, ==, server.url);
  g_assert_cmpstr (method, ==, "password");
  g_assert_cmpstr (username, ==, "admin");
  {
    g_autofree char *printed = g_variant_print (servers, FALSE);

    g_assert_null (strstr (printed, TEST_SERVER_PASSWORD));
  }
  g_assert_nonnull (gtk_widget_get_first_child (
                      GTK_WIDGET (bough_connect_page_get_saved_list (page))));

  /* disconnecting comes back to the form, the address kept */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL));
  g_assert_null (bough_window_get_client (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (_bough_window_get_main_stack (window)), ==,
                   "connect");
  g_assert_cmpstr (gtk_editable_get_text (_bough_window_get_server_entry (window)), ==, server.url);

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "servers");
  test_server_stop (&server);
}

static void
test_connect_token (void)
{
  TestServer server;
  BoughWindow *window;
  BoughConnectPage *page;

  if (!test_server_start (&server, NULL))
    return;
  window = bough_window_new (NULL);
  page = _bough_window_get_connect_page (window);
  gtk_window_present (GTK_WINDOW (window));

  bough_connect_page_fill (page, server.url, NULL, NULL, "not-the-token");
  bough_connect_page_connect (page);
  ui_wait_until (connect_settled_cb, page);
  g_assert_nonnull (bough_connect_page_get_error (page));
  g_assert_null (bough_window_get_client (window));

  bough_connect_page_fill (page, server.url, NULL, NULL, TEST_SERVER_TOKEN);
  bough_connect_page_connect (page);
  ui_wait_until (window_connected_cb, window);
  g_assert_cmpstr (bough_client_get_token (bough_window_get_client (window)), ==,
                   TEST_SERVER_TOKEN);
  g_assert_cmpstr (bough_branch_selector_get_default_branch (
                     _bough_window_get_branch_selector (window)), ==, "main");

  gtk_window_destroy (GTK_WINDOW (window));
  {
    g_autoptr(GSettings) settings = g_settings_new (BOUGH_APP_ID);

    g_settings_reset (settings, "servers");
  }
  test_server_stop (&server);
}

typedef struct
{
  BoughApplication *application;
  gboolean          checked;
  char             *url;
  char             *token;
} CommandLine;

static gboolean
check_command_line_cb (gpointer user_data)
{
  CommandLine *cl = user_data;
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (cl->application));
  BoughWindow *window;
  BoughClient *client;

  if (active == NULL || !window_connected_cb (active))
    return G_SOURCE_CONTINUE;
  window = BOUGH_WINDOW (active);
  client = bough_window_get_client (window);
  cl->url = g_strdup (bough_client_get_base_url (client));
  cl->token = g_strdup (bough_client_get_token (client));
  cl->checked = TRUE;
  g_application_quit (G_APPLICATION (cl->application));
  return G_SOURCE_REMOVE;
}

/* Runs the application as `bough @args` with @env set, until its window
 * shows the server; returns what the window was connected with. */
static void
run_application (const char * const *args,
                 const char * const *env,
                 CommandLine        *cl)
{
  g_autoptr(BoughApplication) application = bough_application_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status;

  g_ptr_array_add (argv, (gpointer) "bough");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  for (guint i = 0; env[i] != NULL; i += 2)
    g_setenv (env[i], env[i + 1], TRUE);
  /* no other instance to hand the command line to */
  g_application_set_flags (G_APPLICATION (application),
                           g_application_get_flags (G_APPLICATION (application)) |
                           G_APPLICATION_NON_UNIQUE);
  cl->application = application;
  g_timeout_add (50, check_command_line_cb, cl);
  status = g_application_run (G_APPLICATION (application), argv->len - 1, (char **) argv->pdata);
  for (guint i = 0; env[i] != NULL; i += 2)
    g_unsetenv (env[i]);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (cl->checked);
}

static void
test_connect_command_line (void)
{
  TestServer server;
  CommandLine by_option = { 0 };
  CommandLine by_env = { 0 };

  if (!test_server_start (&server, NULL))
    return;

  {
    const char *args[] = { "--server", server.url, NULL };
    const char *env[] = { "BOUGH_TOKEN", TEST_SERVER_TOKEN, NULL };

    run_application (args, env, &by_option);
  }
  g_assert_cmpstr (by_option.url, ==, server.url);
  g_assert_cmpstr (by_option.token, ==, TEST_SERVER_TOKEN);

  {
    const char *args[] = { NULL };
    const char *env[] = { "BOUGH_SERVER_URL", server.url, "BOUGH_TOKEN", TEST_SERVER_TOKEN, NULL };

    run_application (args, env, &by_env);
  }
  g_assert_cmpstr (by_env.url, ==, server.url);
  g_assert_cmpstr (by_env.token, ==, TEST_SERVER_TOKEN);

  g_free (by_option.url);
  g_free (by_option.token);
  g_free (by_env.url);
  g_free (by_env.token);
  test_server_stop (&server);
}

static void
test_connect_local_workspace (void)
{
  BoughWindow *window;
  BoughConnectPage *page;
  BoughLocalServer *local = bough_local_server_get_default ();
  g_autofree char *binary = bough_local_server_find_binary ();
  g_autofree char *dir = bough_local_server_default_dir ();
  g_autofree char *database = g_build_filename (dir, "bough.db", NULL);
  g_autofree char *first_url = NULL;

  if (binary == NULL)
    {
      g_test_skip ("bough-server is not built");
      return;
    }
  window = bough_window_new (NULL);
  page = _bough_window_get_connect_page (window);
  gtk_window_present (GTK_WINDOW (window));

  bough_connect_page_open_local (page);
  ui_wait_until (window_connected_cb, window);
  g_assert_true (bough_local_server_get_running (local));
  g_assert_true (g_str_has_prefix (bough_client_get_base_url (bough_window_get_client (window)),
                                   "http://127.0.0.1:"));
  g_assert_cmpstr (bough_client_get_base_url (bough_window_get_client (window)), ==,
                   bough_local_server_get_url (local));
  g_assert_true (g_file_test (database, G_FILE_TEST_IS_REGULAR));
  first_url = g_strdup (bough_local_server_get_url (local));

  /* the workspace opens again after a restart, with the same token */
  bough_window_set_client (window, NULL);
  bough_local_server_stop (local);
  g_assert_false (bough_local_server_get_running (local));
  bough_connect_page_open_local (page);
  ui_wait_until (window_connected_cb, window);
  g_assert_true (bough_local_server_get_running (local));

  gtk_window_destroy (GTK_WINDOW (window));
  bough_local_server_stop (local);
  g_assert_false (bough_local_server_get_running (local));
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_connect_saved_server (void)
{
  TestServer server;
  BoughWindow *window;
  g_autoptr(GSettings) settings = g_settings_new (BOUGH_APP_ID);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gboolean stored;

  if (!test_server_start (&server, NULL))
    return;

  /* a server saved with its token in the keyring, as the connect page
   * leaves it */
  bough_secret_store_async (server.url, "token", "", TEST_SERVER_TOKEN, NULL, secret_stored_cb,
                            &result);
  ui_wait_until (ui_result_ready_cb, &result);
  stored = bough_secret_store_finish (result, &error);
  g_clear_object (&result);
  if (!stored)
    {
      g_test_message ("keyring: %s", error->message);
      g_test_skip ("no keyring (run under dbus-run-session with gnome-keyring unlocked)");
      test_server_stop (&server);
      return;
    }
  g_settings_set_value (settings, "servers",
                        g_variant_new_parsed ("[(%s, 'token', '')]", server.url));

  /* --server without a token finds it */
  window = bough_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  bough_window_open_server (window, server.url, NULL);
  ui_wait_until (window_connected_cb, window);
  g_assert_cmpstr (bough_client_get_token (bough_window_get_client (window)), ==,
                   TEST_SERVER_TOKEN);
  gtk_window_destroy (GTK_WINDOW (window));

  bough_secret_clear_async (server.url, "token", "", NULL, secret_stored_cb, &result);
  ui_wait_until (ui_result_ready_cb, &result);
  g_assert_true (bough_secret_clear_finish (result, NULL));
  g_clear_object (&result);
  g_settings_reset (settings, "servers");
  test_server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display = ui_test_init (&argc, &argv);

  UI_ADD (display, "/connect/password", test_connect_password);
  UI_ADD (display, "/connect/token", test_connect_token);
  UI_ADD (display, "/connect/command-line", test_connect_command_line);
  UI_ADD (display, "/connect/local-workspace", test_connect_local_workspace);
  UI_ADD (display, "/connect/saved-server", test_connect_saved_server);

  return g_test_run ();
}
