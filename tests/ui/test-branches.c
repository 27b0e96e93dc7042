/* test-branches.c: the header bar's branch and time selectors against a
 * live server: the branches listed, creating one switches the window and
 * every page to it, switching back, deleting it; viewing the data at a past
 * time and back to now.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-branches"

#include "config.h"

#include "bough-window-private.h"

#include "ui-test-common.h"

typedef struct
{
  BoughBranchSelector *selector;
  const char          *name;
  gboolean             present;
} BranchListed;

static gboolean
branch_listed_cb (gpointer user_data)
{
  BranchListed *listed = user_data;
  g_auto(GStrv) branches = NULL;

  if (bough_branch_selector_get_loading (listed->selector))
    return FALSE;
  branches = bough_branch_selector_dup_branches (listed->selector);
  return g_strv_contains ((const char * const *) branches, listed->name) == listed->present;
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_branches_create_switch_delete (void)
{
  TestServer server;
  BoughWindow *window;
  BoughBranchSelector *selector;
  BoughPage *page;
  BranchListed listed;
  guint page_notifies = 0;
  g_auto(GStrv) branches = NULL;

  if (!test_server_start (&server, NULL))
    return;
  window = ui_open_window (&server);
  selector = _bough_window_get_branch_selector (window);
  page = bough_window_get_page (window, "schema");
  g_signal_connect (page, "notify::branch", G_CALLBACK (count_cb), &page_notifies);

  branches = bough_branch_selector_dup_branches (selector);
  g_assert_cmpstr (branches[0], ==, "main");
  g_assert_null (branches[1]);
  g_assert_cmpstr (bough_branch_selector_get_default_branch (selector), ==, "main");

  /* create: the window and its pages move to the new branch */
  bough_branch_selector_create (selector, "feature-1");
  listed.selector = selector;
  listed.name = "feature-1";
  listed.present = TRUE;
  ui_wait_until (branch_listed_cb, &listed);
  g_assert_cmpstr (bough_window_get_branch (window), ==, "feature-1");
  g_assert_cmpstr (bough_page_get_branch (page), ==, "feature-1");
  g_assert_cmpstr (bough_page_get_branch (BOUGH_PAGE (_bough_window_get_sidebar (window))), ==,
                   "feature-1");
  g_assert_cmpuint (page_notifies, ==, 1);
  ui_screenshot (GTK_WIDGET (window), "branch");

  /* a name the server refuses: an error toast, the branch unchanged */
  {
    guint toasts = _bough_window_get_toast_count (window);

    bough_branch_selector_create (selector, "feature-1");
    while (_bough_window_get_toast_count (window) == toasts)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpstr (bough_window_get_branch (window), ==, "feature-1");
  }

  /* switch back to the default branch */
  bough_window_set_branch (window, NULL);
  g_assert_null (bough_branch_selector_get_branch (selector));
  g_assert_null (bough_page_get_branch (page));
  g_assert_cmpuint (page_notifies, ==, 2);

  /* and over again, then delete the branch shown */
  bough_branch_selector_set_branch (selector, "feature-1");
  g_assert_cmpstr (bough_window_get_branch (window), ==, "feature-1");
  bough_branch_selector_delete (selector, "feature-1");
  g_assert_null (bough_window_get_branch (window));
  listed.present = FALSE;
  ui_wait_until (branch_listed_cb, &listed);

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

static void
test_branches_time (void)
{
  TestServer server;
  BoughWindow *window;
  BoughTimeSelector *selector;
  BoughPage *page;
  g_autofree char *parsed = NULL;

  if (!test_server_start (&server, NULL))
    return;
  window = ui_open_window (&server);
  selector = _bough_window_get_time_selector (window);
  page = bough_window_get_page (window, "schema");

  g_assert_null (bough_time_parse ("yesterday-ish"));
  g_assert_null (bough_time_parse (""));
  parsed = bough_time_parse ("2026-11-26T10:00:00+02:00");
  g_assert_cmpstr (parsed, ==, "2026-11-26T08:00:00Z");
  g_clear_pointer (&parsed, g_free);
  parsed = bough_time_parse ("2h");
  g_assert_nonnull (parsed);
  g_assert_true (g_str_has_suffix (parsed, "Z"));

  g_assert_false (bough_time_selector_apply (selector, "not a time"));
  g_assert_null (bough_window_get_at (window));

  g_assert_true (bough_time_selector_apply (selector, "2026-11-26T08:00:00Z"));
  g_assert_cmpstr (bough_window_get_at (window), ==, "2026-11-26T08:00:00Z");
  g_assert_cmpstr (bough_page_get_at (page), ==, "2026-11-26T08:00:00Z");
  ui_screenshot (GTK_WIDGET (window), "past-time");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.time-now", NULL));
  g_assert_null (bough_window_get_at (window));
  g_assert_null (bough_time_selector_get_at (selector));
  g_assert_null (bough_page_get_at (page));

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display = ui_test_init (&argc, &argv);

  UI_ADD (display, "/branches/create-switch-delete", test_branches_create_switch_delete);
  UI_ADD (display, "/branches/time", test_branches_time);

  return g_test_run ();
}
