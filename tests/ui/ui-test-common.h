/* ui-test-common.h: helpers of the UI tests: start-up with or without a
 * display, waiting on the main loop for a condition, a live server
 * (client-test-common.h), screenshots of a window rendered in process
 * (without its toasts, unless asked), and finding widgets by name.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "../shared/client-test-common.h"

typedef gboolean (*UiCondition) (gpointer user_data);

/* Runs the main loop until @condition holds; a test that never gets there
 * ends by meson's timeout. */
static inline void
ui_wait_until (UiCondition condition,
               gpointer    user_data)
{
  while (!condition (user_data))
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
ui_true_after_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
ui_flag_cb (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* Lets the main loop run for @ms milliseconds (animations, redraws). */
static inline void
ui_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, ui_true_after_cb, &done);
  ui_wait_until (ui_flag_cb, &done);
}

/* The toasts shown in @widget and below (libadwaita's toast widgets tell
 * their toast through a "toast" property). */
static void
ui_collect_toasts (GtkWidget *widget,
                   GPtrArray *toasts)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget") &&
      g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "toast") != NULL)
    {
      AdwToast *toast = NULL;

      g_object_get (widget, "toast", &toast, NULL);
      if (toast != NULL)
        g_ptr_array_add (toasts, toast);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    ui_collect_toasts (child, toasts);
}

/* Dismisses the toasts of @widget's window, and those queued behind them,
 * and waits until they are gone: a screenshot shows the view, not a
 * message covering it. */
static inline void
ui_dismiss_toasts (GtkWidget *widget)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  g_autoptr(GPtrArray) dismissed = g_ptr_array_new_with_free_func (g_object_unref);

  /* a toast shows and hides with animations: some rounds until none is
   * left */
  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);

      ui_collect_toasts (root, shown);
      if (shown->len == 0)
        return;
      /* libadwaita 1.2 crashes when a toast is dismissed while it is still
       * coming in: its animation ends first */
      ui_spin (600);
      g_ptr_array_set_size (shown, 0);
      ui_collect_toasts (root, shown);
      for (guint i = 0; i < shown->len; i++)
        {
          AdwToast *toast = g_ptr_array_index (shown, i);

          if (!g_ptr_array_find (dismissed, toast, NULL))
            {
              adw_toast_dismiss (toast);
              g_ptr_array_add (dismissed, g_object_ref (toast));
            }
        }
      ui_spin (400);
    }
  g_assert_not_reached ();
}

static inline void ui_screenshot_full (GtkWidget  *widget,
                                       const char *name,
                                       gboolean    keep_toasts);

/* Renders @widget's window as it is on screen, without its toasts, into
 * <build>/tests/ui/screenshots/@name.png. */
static inline void
ui_screenshot (GtkWidget  *widget,
               const char *name)
{
  ui_screenshot_full (widget, name, FALSE);
}

/* The same, keeping the toasts shown when @keep_toasts (a screenshot of an
 * error told by a toast). */
static inline void
ui_screenshot_full (GtkWidget  *widget,
                    const char *name,
                    gboolean    keep_toasts)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width;
  int height;

  if (!keep_toasts)
    ui_dismiss_toasts (widget);
  ui_spin (400);
  gtk_test_widget_wait_for_draw (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    g_test_message ("mapped %d visible %d drawable %d %dx%d",
                    gtk_widget_get_mapped (widget), gtk_widget_get_visible (widget),
                    gtk_widget_is_drawable (widget), width, height);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  dir = g_test_build_filename (G_TEST_BUILT, "ui", "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The first descendant of @widget called @name (gtk_widget_set_name). */
static inline GtkWidget *
ui_find_named (GtkWidget  *widget,
               const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the test can open windows; if not, every test is a skip. */
static inline gboolean
ui_test_init (int    *argc,
              char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
      return FALSE;
    }
  gtk_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  return TRUE;
}

static void
ui_no_display (gconstpointer data)
{
  g_test_skip ("no display (run under xvfb-run and dbus-run-session, as .ci/test-all does)");
}

#define UI_ADD(display, path, func) \
  G_STMT_START { \
    if (display) \
      g_test_add_func (path, func); \
    else \
      g_test_add_data_func (path, NULL, ui_no_display); \
  } G_STMT_END

/* Loads a small schema (a generic, two nodes and a relationship) into the
 * server with its admin token. */
static const char ui_test_schema[] =
  "{\"schemas\": [{\"version\": \"1.0\","
  " \"generics\": [{\"name\": \"Endpoint\", \"namespace\": \"Testing\","
  "   \"attributes\": [{\"name\": \"label\", \"kind\": \"Text\", \"optional\": true}]}],"
  " \"nodes\": ["
  "  {\"name\": \"Site\", \"namespace\": \"Testing\", \"icon\": \"mdi:map-marker\","
  "   \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\", \"unique\": true}],"
  "   \"relationships\": [{\"name\": \"devices\", \"peer\": \"TestingDevice\","
  "                        \"cardinality\": \"many\", \"optional\": true}]},"
  "  {\"name\": \"Device\", \"namespace\": \"Testing\", \"icon\": \"mdi:server\","
  "   \"inherit_from\": [\"TestingEndpoint\"],"
  "   \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\", \"unique\": true},"
  "                    {\"name\": \"height\", \"kind\": \"Number\", \"default_value\": 1,"
  "                     \"optional\": true},"
  "                    {\"name\": \"serial\", \"kind\": \"Text\", \"optional\": true,"
  "                     \"max_length\": 32, \"regex\": \"^[A-Z0-9]+$\"}],"
  "   \"relationships\": [{\"name\": \"site\", \"peer\": \"TestingSite\", \"cardinality\": \"one\","
  "                        \"optional\": true}]}]}]}";

static void
ui_rest_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
ui_result_ready_cb (gpointer user_data)
{
  return *(GAsyncResult **) user_data != NULL;
}

static inline void
ui_load_schema (TestServer *server)
{
  g_autoptr(BoughClient) client = bough_client_new (server->url);
  g_autoptr(JsonNode) body = json_from_string (ui_test_schema, NULL);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  bough_client_set_token (client, TEST_SERVER_TOKEN);
  bough_client_rest_async (client, "POST", "/api/schema/load", NULL, NULL, body, NULL,
                           ui_rest_done_cb, &result);
  ui_wait_until (ui_result_ready_cb, &result);
  reply = bough_client_rest_finish (client, result, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

#ifdef BOUGH_TYPE_WINDOW
static gboolean
ui_window_ready_cb (gpointer user_data)
{
  BoughWindow *window = user_data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (_bough_window_get_main_stack (window)),
                    "main") == 0 &&
         bough_branch_selector_get_default_branch (
           _bough_window_get_branch_selector (window)) != NULL &&
         !bough_page_get_loading (BOUGH_PAGE (_bough_window_get_sidebar (window))) &&
         g_list_model_get_n_items (bough_sidebar_get_menu (_bough_window_get_sidebar (window))) > 0;
}

/* A window open on @server with its admin token, once the branches and the
 * sidebar have loaded. */
static inline BoughWindow *
ui_open_window (TestServer *server)
{
  BoughWindow *window = bough_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  bough_window_open_server (window, server->url, TEST_SERVER_TOKEN);
  ui_wait_until (ui_window_ready_cb, window);
  return window;
}
#endif
