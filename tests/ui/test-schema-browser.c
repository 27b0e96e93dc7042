/* test-schema-browser.c: the sidebar's menu of kinds and the schema
 * browser against a live server: the menu lists the loaded kinds, a kind
 * opens in the browser with its attributes, relationships, inheritance and
 * neighbourhood, and a relationship's peer (a link, or a node of the
 * drawing) opens the peer.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-schema-browser"

#include "config.h"

#include "bough-schema-page.h"
#include "bough-window-private.h"

#include "ui-test-common.h"

typedef struct
{
  BoughSchemaPage *page;
  const char      *kind;
} KindShown;

static gboolean
kind_shown_cb (gpointer user_data)
{
  KindShown *shown = user_data;

  return !bough_page_get_loading (BOUGH_PAGE (shown->page)) &&
         bough_schema_page_get_schema (shown->page) != NULL &&
         g_strcmp0 (bough_schema_page_get_kind (shown->page), shown->kind) == 0 &&
         bough_schema_page_get_graph (shown->page) != NULL;
}

static void
test_schema_browser_menu_and_kind (void)
{
  TestServer server;
  BoughWindow *window;
  BoughSidebar *sidebar;
  BoughSchemaPage *page;
  BoughKindGraph *graph;
  GtkWidget *detail;
  GtkWidget *peer;
  KindShown shown;
  guint n_before;
  gboolean has_site = FALSE, has_endpoint = FALSE;

  if (!test_server_start (&server, NULL))
    return;
  ui_load_schema (&server);
  window = ui_open_window (&server);
  sidebar = _bough_window_get_sidebar (window);
  page = BOUGH_SCHEMA_PAGE (bough_window_get_page (window, "schema"));
  /* the sidebar's kinds open the objects page; this test is about the browser */
  bough_window_set_kind_page (window, "schema");

  /* the menu holds the loaded kinds; the search narrows it to matches */
  n_before = g_list_model_get_n_items (bough_sidebar_get_menu (sidebar));
  g_assert_cmpuint (n_before, >, 2);
  ui_screenshot (GTK_WIDGET (window), "sidebar");
  bough_sidebar_set_search (sidebar, "testingsi");
  g_assert_cmpuint (g_list_model_get_n_items (bough_sidebar_get_menu (sidebar)), ==, 1);
  g_assert_false (bough_sidebar_activate_kind (sidebar, "TestingDevice"));
  bough_sidebar_set_search (sidebar, "");
  g_assert_cmpuint (g_list_model_get_n_items (bough_sidebar_get_menu (sidebar)), ==, n_before);
  g_assert_true (bough_sidebar_activate_kind (sidebar, "TestingDevice"));

  /* a kind from the menu opens in the browser */
  g_assert_true (gtk_stack_get_visible_child (_bough_window_get_pages_stack (window)) ==
                 GTK_WIDGET (page));
  shown.page = page;
  shown.kind = "TestingDevice";
  ui_wait_until (kind_shown_cb, &shown);
  g_assert_cmpstr (bough_page_get_subtitle (BOUGH_PAGE (page)), ==, "TestingDevice");
  g_assert_cmpstr (bough_page_get_title (BOUGH_PAGE (page)), ==, "Schema");
  detail = bough_schema_page_get_detail (page);
  g_assert_nonnull (ui_find_named (detail, "serial"));
  g_assert_nonnull (ui_find_named (detail, "height"));
  g_assert_nonnull (ui_find_named (detail, "label"));   /* inherited from the generic */
  g_assert_nonnull (ui_find_named (detail, "site"));

  /* the neighbourhood: the kind, its generic, its peer */
  graph = bough_schema_page_get_graph (page);
  g_assert_cmpstr (bough_kind_graph_get_node_kind (graph, 0), ==, "TestingDevice");
  for (guint i = 1; i < bough_kind_graph_get_n_nodes (graph); i++)
    {
      has_site |= g_strcmp0 (bough_kind_graph_get_node_kind (graph, i), "TestingSite") == 0;
      has_endpoint |= g_strcmp0 (bough_kind_graph_get_node_kind (graph, i), "TestingEndpoint") == 0;
    }
  g_assert_true (has_site);
  g_assert_true (has_endpoint);
  ui_screenshot (GTK_WIDGET (window), "schema-browser");

  /* jump to the peer of "site" */
  peer = ui_find_named (detail, "peer-site");
  g_assert_nonnull (peer);
  g_signal_emit_by_name (peer, "clicked");
  shown.kind = "TestingSite";
  ui_wait_until (kind_shown_cb, &shown);
  g_assert_nonnull (ui_find_named (bough_schema_page_get_detail (page), "devices"));
  g_assert_null (ui_find_named (bough_schema_page_get_detail (page), "serial"));

  /* and back through the drawing: a click on the TestingDevice node */
  graph = bough_schema_page_get_graph (page);
  for (guint i = 1; i < bough_kind_graph_get_n_nodes (graph); i++)
    if (g_strcmp0 (bough_kind_graph_get_node_kind (graph, i), "TestingDevice") == 0)
      {
        double x, y;

        ui_spin (200);
        g_assert_true (bough_kind_graph_get_node_center (graph, i, &x, &y));
        g_assert_cmpstr (bough_kind_graph_get_kind_at (graph, x, y), ==, "TestingDevice");
        g_signal_emit_by_name (graph, "kind-activated", bough_kind_graph_get_kind_at (graph, x, y));
        break;
      }
  shown.kind = "TestingDevice";
  ui_wait_until (kind_shown_cb, &shown);

  /* the generic lists the nodes that use it */
  bough_window_navigate (window, "schema", "TestingEndpoint");
  shown.kind = "TestingEndpoint";
  ui_wait_until (kind_shown_cb, &shown);
  g_assert_cmpuint (bough_kind_graph_get_n_nodes (bough_schema_page_get_graph (page)), >=, 2);

  /* Ctrl+F's action goes to the sidebar's search */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

static gboolean
folded_cb (gpointer user_data)
{
  return adw_leaflet_get_folded (_bough_window_get_leaflet (user_data));
}

/* A narrow window shows one side at a time: choosing a kind shows the
 * content, Back the sidebar. */
static void
test_schema_browser_narrow (void)
{
  TestServer server;
  BoughWindow *window;
  BoughSchemaPage *page;
  AdwLeaflet *leaflet;
  KindShown shown;

  if (!test_server_start (&server, NULL))
    return;
  ui_load_schema (&server);
  window = ui_open_window (&server);
  /* the sidebar's kinds open the objects page; this test is about the browser */
  bough_window_set_kind_page (window, "schema");
  page = BOUGH_SCHEMA_PAGE (bough_window_get_page (window, "schema"));
  leaflet = _bough_window_get_leaflet (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 700);
  ui_wait_until (folded_cb, window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) ==
                 gtk_widget_get_ancestor (GTK_WIDGET (_bough_window_get_sidebar (window)),
                                          GTK_TYPE_BOX));
  g_assert_true (bough_sidebar_activate_kind (_bough_window_get_sidebar (window), "TestingSite"));
  shown.page = page;
  shown.kind = "TestingSite";
  ui_wait_until (kind_shown_cb, &shown);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) ==
                 gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_BOX));
  ui_screenshot (GTK_WIDGET (window), "narrow");

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display = ui_test_init (&argc, &argv);

  UI_ADD (display, "/schema-browser/menu-and-kind", test_schema_browser_menu_and_kind);
  UI_ADD (display, "/schema-browser/narrow", test_schema_browser_narrow);

  return g_test_run ();
}
