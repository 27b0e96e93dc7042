/* test-window.c: BoughWindow: title, status page, about action, settings
 * binding of the server address, the shortcuts window, actions without a
 * server.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>

#include "bough-window-private.h"

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static AdwAboutWindow *
find_about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (item))
        return ADW_ABOUT_WINDOW (item);
    }
  return NULL;
}

static void
test_window_basics (void)
{
  BoughWindow *window = bough_window_new (NULL);
  AdwStatusPage *status_page = _bough_window_get_status_page (window);
  AdwAboutWindow *about;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Bough");
  g_assert_cmpstr (adw_status_page_get_title (status_page), ==, "Connect to a Bough server");

  gtk_window_present (GTK_WINDOW (window));

  g_assert_null (find_about_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.about", NULL));
  about = find_about_window ();
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, BOUGH_APP_ID);

  gtk_window_destroy (GTK_WINDOW (about));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_server_setting (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BOUGH_APP_ID);
  BoughWindow *window = bough_window_new (NULL);
  GtkEditable *entry = _bough_window_get_server_entry (window);
  guint notifies = 0;

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "http://127.0.0.1:8000");

  g_signal_connect (entry, "notify::text", G_CALLBACK (count_cb), &notifies);
  g_settings_set_string (settings, "server-url", "http://bough.example:8000");
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "http://bough.example:8000");

  gtk_editable_set_text (GTK_EDITABLE (entry), "http://10.0.0.1:8000");
  {
    g_autofree char *url = g_settings_get_string (settings, "server-url");

    g_assert_cmpstr (url, ==, "http://10.0.0.1:8000");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_help_overlay (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/org/bough/Bough/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_window_actions (void)
{
  BoughWindow *window = bough_window_new (NULL);

  /* nothing to disconnect from yet */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.disconnect", NULL));
  g_assert_null (bough_window_get_client (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (_bough_window_get_main_stack (window)), ==,
                   "connect");
  /* the shortcuts that need a server do nothing without one */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.choose-branch", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.time-now", NULL));
  g_assert_null (bough_window_get_at (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_no_display (void)
{
  g_test_skip ("no display (run under xvfb-run, as .ci/test-all does)");
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
      g_test_add_func ("/window/basics", test_window_no_display);
      g_test_add_func ("/window/server-setting", test_window_no_display);
      g_test_add_func ("/window/help-overlay", test_window_no_display);
      g_test_add_func ("/window/actions", test_window_no_display);
      return g_test_run ();
    }

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add_func ("/window/basics", test_window_basics);
  g_test_add_func ("/window/server-setting", test_window_server_setting);
  g_test_add_func ("/window/help-overlay", test_window_help_overlay);
  g_test_add_func ("/window/actions", test_window_actions);

  return g_test_run ();
}
