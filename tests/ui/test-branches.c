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

#include "bough-page-private.h"
#include "bough-window-private.h"

#include "ui-test-common.h"

/* A page as later views write them: counts the tags it sees on the
 * window's branch and time, through bough_page_query_async(). */
#define TEST_TYPE_TAG_PAGE (test_tag_page_get_type ())
G_DECLARE_FINAL_TYPE (TestTagPage, test_tag_page, TEST, TAG_PAGE, BoughPage)

struct _TestTagPage
{
  BoughPage parent_instance;
  guint     reloads;
  gint64    tags;       /* -1 while loading */
};

G_DEFINE_FINAL_TYPE (TestTagPage, test_tag_page, BOUGH_TYPE_PAGE)

static void
tags_counted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TestTagPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_assert_no_error (error);
  self->tags = json_object_get_int_member (
                 json_object_get_object_member (json_node_get_object (data), "BuiltinTag"),
                 "count");
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
}

static void
test_tag_page_reload (BoughPage    *page,
                      GCancellable *cancellable)
{
  TestTagPage *self = TEST_TAG_PAGE (page);

  g_assert_true (cancellable == bough_page_get_cancellable (page));
  self->reloads++;
  self->tags = -1;
  bough_page_set_loading (page, TRUE);
  bough_page_query_async (page, "query { BuiltinTag { count } }", NULL, tags_counted_cb,
                          g_object_ref (self));
}

static void
test_tag_page_class_init (TestTagPageClass *klass)
{
  BOUGH_PAGE_CLASS (klass)->reload = test_tag_page_reload;
}

static void
test_tag_page_init (TestTagPage *self)
{
  self->tags = -1;
  bough_page_set_title (BOUGH_PAGE (self), "Tags");
}

static gboolean
tags_counted_ready_cb (gpointer user_data)
{
  return TEST_TAG_PAGE (user_data)->tags >= 0;
}

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
  parsed = bough_time_parse ("2026-11-26");
  g_assert_nonnull (parsed);
  g_clear_pointer (&parsed, g_free);
  parsed = bough_time_parse ("2026-11-26 10:30");
  g_assert_nonnull (parsed);
  g_clear_pointer (&parsed, g_free);
  parsed = bough_time_parse ("2h");
  g_assert_nonnull (parsed);
  g_assert_true (g_str_has_suffix (parsed, "Z"));

  g_assert_false (bough_time_selector_apply (selector, "not a time"));
  g_assert_false (bough_time_selector_apply (selector, "2026-13-40 10:00"));
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

static void
query_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_branches_page_state (void)
{
  TestServer server;
  BoughWindow *window;
  TestTagPage *page;
  g_autoptr(BoughClient) client = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) before = NULL;
  g_autofree char *at = NULL;
  GAsyncResult *result = NULL;

  if (!test_server_start (&server, NULL))
    return;
  /* a branch holding one tag */
  client = bough_client_new (server.url);
  bough_client_set_token (client, TEST_SERVER_TOKEN);
  bough_client_query_async (client, NULL, NULL,
                            "mutation { BranchCreate(data: { name: \"tagged\" }) { ok } }",
                            NULL, NULL, query_done_cb, &result);
  ui_wait_until (ui_result_ready_cb, &result);
  data = bough_client_query_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_clear_pointer (&data, json_node_unref);
  before = g_date_time_new_now_utc ();
  at = g_date_time_format (before, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  bough_client_query_async (client, "tagged", NULL,
                            "mutation { BuiltinTagCreate(data: { name: { value: \"red\" } }) { ok } }",
                            NULL, NULL, query_done_cb, &result);
  ui_wait_until (ui_result_ready_cb, &result);
  data = bough_client_query_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  window = ui_open_window (&server);
  page = g_object_new (TEST_TYPE_TAG_PAGE, NULL);
  bough_window_add_page (window, "tags", BOUGH_PAGE (page), TRUE);
  g_assert_true (bough_page_get_client (BOUGH_PAGE (page)) == bough_window_get_client (window));
  /* hidden: nothing loads */
  ui_spin (100);
  g_assert_cmpuint (page->reloads, ==, 0);

  bough_window_navigate (window, "tags", NULL);
  ui_wait_until (tags_counted_ready_cb, page);
  g_assert_cmpint (page->tags, ==, 0);
  g_assert_cmpuint (page->reloads, ==, 1);

  /* the branch reaches the page, which loads again */
  page->tags = -1;
  bough_window_set_branch (window, "tagged");
  ui_wait_until (tags_counted_ready_cb, page);
  g_assert_cmpint (page->tags, ==, 1);
  g_assert_cmpuint (page->reloads, ==, 2);

  /* and the time: before the tag */
  page->tags = -1;
  bough_window_set_at (window, at);
  ui_wait_until (tags_counted_ready_cb, page);
  g_assert_cmpint (page->tags, ==, 0);
  g_assert_cmpuint (page->reloads, ==, 3);

  /* two changes at once make one reload */
  page->tags = -1;
  bough_window_set_at (window, NULL);
  bough_window_set_branch (window, NULL);
  bough_window_set_branch (window, "tagged");
  ui_wait_until (tags_counted_ready_cb, page);
  g_assert_cmpint (page->tags, ==, 1);
  g_assert_cmpuint (page->reloads, ==, 4);

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
  UI_ADD (display, "/branches/page-state", test_branches_page_state);

  return g_test_run ();
}
