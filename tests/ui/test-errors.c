/* test-errors.c: errors as the window shows them: a server that went away
 * (a toast and a bar offering to retry), refused credentials (a bar
 * leading back to the connect page).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-errors"

#include "config.h"

#include "bough-window-private.h"

#include "ui-test-common.h"

typedef struct
{
  BoughWindow *window;
  guint        toasts;
} ToastWait;

static gboolean
new_toast_cb (gpointer user_data)
{
  ToastWait *wait = user_data;

  return _bough_window_get_toast_count (wait->window) > wait->toasts;
}

static void
test_errors_server_down (void)
{
  TestServer server;
  BoughWindow *window;
  ToastWait wait;

  if (!test_server_start (&server, NULL))
    return;
  window = ui_open_window (&server);
  g_assert_null (_bough_window_get_banner_text (window));

  test_server_stop (&server);
  wait.window = window;
  wait.toasts = _bough_window_get_toast_count (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  ui_wait_until (new_toast_cb, &wait);

  g_assert_cmpstr (_bough_window_get_last_toast (window), ==, "The server is not answering");
  g_assert_nonnull (_bough_window_get_banner_text (window));
  g_assert_nonnull (strstr (_bough_window_get_banner_text (window), "Cannot reach the server"));
  /* still the main view, nothing lost */
  g_assert_nonnull (bough_window_get_client (window));
  ui_screenshot_full (GTK_WIDGET (window), "server-down", TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_errors_unauthenticated (void)
{
  TestServer server;
  BoughWindow *window;
  ToastWait wait;
  GtkWidget *banner_button;

  if (!test_server_start (&server, NULL))
    return;
  window = bough_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  wait.window = window;
  wait.toasts = 0;
  bough_window_open_server (window, server.url, "not-the-token");
  ui_wait_until (new_toast_cb, &wait);

  g_assert_cmpstr (_bough_window_get_last_toast (window), ==, "Signed out by the server");
  g_assert_nonnull (_bough_window_get_banner_text (window));

  /* the bar's button leads back to the connect page, address filled in */
  banner_button = ui_find_named (GTK_WIDGET (window), "banner-button");
  g_assert_nonnull (banner_button);
  g_signal_emit_by_name (banner_button, "clicked");
  g_assert_null (bough_window_get_client (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (_bough_window_get_main_stack (window)), ==,
                   "connect");
  g_assert_cmpstr (gtk_editable_get_text (_bough_window_get_server_entry (window)), ==, server.url);

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display = ui_test_init (&argc, &argv);

  UI_ADD (display, "/errors/server-down", test_errors_server_down);
  UI_ADD (display, "/errors/unauthenticated", test_errors_unauthenticated);

  return g_test_run ();
}
