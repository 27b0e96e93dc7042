/* test-operations.c: the branch diff, task monitor and activity pages
 * against a live server: a branch with a change that conflicts with one on
 * the default branch, its diff (tree, values side by side, counts), a
 * merge refused with the server's message, the conflict resolved from the
 * page, the merge followed to its end; the merge task with its logs in the
 * task monitor, updated live; the events in the activity page, live, per
 * object and paged back. Screenshots: diff, tasks, activity.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-operations"

#include "config.h"

#include <string.h>

#include "bough-activity-page.h"
#include "bough-diff-page.h"
#include "bough-tasks-page.h"
#include "bough-window-private.h"

#include "ui-test-common.h"

/* Runs @query with the admin token and returns its data (asserting no error). */
static JsonNode *
gql (TestServer *server,
     const char *branch,
     const char *query)
{
  g_autoptr(BoughClient) client = bough_client_new (server->url);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  JsonNode *data;

  bough_client_set_token (client, TEST_SERVER_TOKEN);
  bough_client_query_async (client, branch, NULL, query, NULL, NULL, ui_rest_done_cb, &result);
  ui_wait_until (ui_result_ready_cb, &result);
  data = bough_client_query_finish (client, result, NULL, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_nonnull (data);
  return data;
}

static char *
gql_string (TestServer *server,
            const char *branch,
            const char *query,
            const char *path)
{
  g_autoptr(JsonNode) data = gql (server, branch, query);
  g_autoptr(JsonPath) json_path = json_path_new ();
  g_autoptr(JsonNode) found = NULL;
  JsonArray *array;

  g_assert_true (json_path_compile (json_path, path, NULL));
  found = json_path_match (json_path, data);
  array = json_node_get_array (found);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  return g_strdup (json_array_get_string_element (array, 0));
}

static GtkWidget *
find_visible_named (GtkWidget  *widget,
                    const char *name)
{
  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_visible_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  BoughDiffPage *page;
  const char    *path;
  const char    *selected;
} DiffWait;

static gboolean
diff_conflict_cb (gpointer user_data)
{
  DiffWait *wait = user_data;
  BoughDiffItem *item;

  if (bough_page_get_loading (BOUGH_PAGE (wait->page)))
    return FALSE;
  item = bough_diff_page_find (wait->page, wait->path);
  return item != NULL && bough_diff_item_get_conflict_id (item) != NULL &&
         g_strcmp0 (bough_diff_item_get_selected_branch (item), wait->selected) == 0;
}

static gboolean
diff_idle_cb (gpointer user_data)
{
  BoughDiffPage *page = user_data;
  const char *state = bough_diff_page_get_task_state (page);

  return !bough_diff_page_get_busy (page) && state != NULL &&
         (g_str_equal (state, "COMPLETED") || g_str_equal (state, "FAILED") ||
          g_str_equal (state, "CANCELLED") || g_str_equal (state, "CRASHED"));
}

typedef struct
{
  BoughTasksPage *page;
  const char     *id;
  const char     *state;
  guint           min_updates;
} TaskWait;

static gboolean
task_listed_cb (gpointer user_data)
{
  TaskWait *wait = user_data;
  BoughTaskItem *item = bough_tasks_page_find (wait->page, wait->id);

  return item != NULL && bough_tasks_page_get_updates (wait->page) >= wait->min_updates &&
         (wait->state == NULL || g_strcmp0 (bough_task_item_get_state (item), wait->state) == 0);
}

static gboolean
tasks_live_cb (gpointer user_data)
{
  return bough_tasks_page_get_live (user_data);
}

typedef struct
{
  BoughActivityPage *page;
  guint              n_events;
  const char        *title_part;
  const char        *subtitle_part;
} ActivityWait;

static gboolean
activity_cb (gpointer user_data)
{
  ActivityWait *wait = user_data;
  g_autofree char *subtitle = NULL;

  if (bough_page_get_loading (BOUGH_PAGE (wait->page)) ||
      bough_activity_page_get_n_events (wait->page) < wait->n_events)
    return FALSE;
  if (wait->title_part != NULL &&
      strstr (bough_activity_page_get_event_title (wait->page, 0), wait->title_part) == NULL)
    return FALSE;
  if (wait->subtitle_part == NULL)
    return TRUE;
  subtitle = bough_activity_page_dup_event_subtitle (wait->page, 0);
  return strstr (subtitle, wait->subtitle_part) != NULL;
}

static gboolean
activity_live_cb (gpointer user_data)
{
  return bough_activity_page_get_live (user_data) &&
         !bough_page_get_loading (BOUGH_PAGE (user_data));
}

typedef struct
{
  BoughActivityPage *page;
  const char        *newest_id;
} PastWait;

static gboolean
activity_past_cb (gpointer user_data)
{
  PastWait *wait = user_data;

  return !bough_activity_page_get_live (wait->page) &&
         !bough_page_get_loading (BOUGH_PAGE (wait->page)) &&
         bough_activity_page_get_n_events (wait->page) > 0 &&
         g_strcmp0 (json_object_get_string_member (bough_activity_page_get_event (wait->page, 0),
                                                   "id"),
                    wait->newest_id) != 0;
}

static void
test_operations_diff_merge_tasks_activity (void)
{
  TestServer server;
  BoughWindow *window;
  BoughDiffPage *diff;
  BoughTasksPage *tasks;
  BoughActivityPage *activity;
  BoughDiffItem *item;
  GtkWidget *button;
  DiffWait diff_wait;
  TaskWait task_wait;
  ActivityWait activity_wait;
  g_autofree char *device = NULL;
  g_autofree char *path = NULL;
  g_autofree char *merge_task = NULL;
  g_autofree char *object = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  BoughTaskItem *task;
  gboolean merge_log = FALSE;
  guint toasts;
  guint updates;
  guint n;

  if (!test_server_start (&server, NULL))
    return;
  ui_load_schema (&server);
  device = gql_string (&server, NULL,
                       "mutation { TestingDeviceCreate(data: {name: {value: \"r1\"},"
                       " height: {value: 2}}) { ok object { id } } }",
                       "$.TestingDeviceCreate.object.id");
  g_clear_pointer (&ignored, json_node_unref);
  ignored = gql (&server, NULL, "mutation { BranchCreate(data: {name: \"feature-1\"}) { ok } }");

  /* the same attribute changed on both sides: a conflict */
  {
    g_autofree char *on_branch = g_strdup_printf (
      "mutation { TestingDeviceUpdate(data: {id: \"%s\", height: {value: 5},"
      " serial: {value: \"ABC123\"}}) { ok } }", device);
    g_autofree char *on_main = g_strdup_printf (
      "mutation { TestingDeviceUpdate(data: {id: \"%s\", height: {value: 7}}) { ok } }", device);

    g_clear_pointer (&ignored, json_node_unref);
    ignored = gql (&server, "feature-1", on_branch);
    g_clear_pointer (&ignored, json_node_unref);
    ignored = gql (&server, NULL, on_main);
    g_clear_pointer (&ignored, json_node_unref);
    ignored = gql (&server, "feature-1",
                   "mutation { TestingSiteCreate(data: {name: {value: \"paris\"}}) { ok } }");
  }

  window = ui_open_window (&server);
  diff = BOUGH_DIFF_PAGE (bough_window_get_page (window, "diff"));
  tasks = BOUGH_TASKS_PAGE (bough_window_get_page (window, "tasks"));
  activity = BOUGH_ACTIVITY_PAGE (bough_window_get_page (window, "activity"));
  g_assert_nonnull (diff);
  g_assert_nonnull (tasks);
  g_assert_nonnull (activity);

  /* the diff page follows the window's branch */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "diff"));
  g_assert_false (gtk_widget_is_sensitive (find_visible_named (GTK_WIDGET (diff), "diff-merge")));
  bough_window_set_branch (window, "feature-1");
  path = g_strdup_printf ("%s/height", device);
  diff_wait.page = diff;
  diff_wait.path = path;
  diff_wait.selected = NULL;
  ui_wait_until (diff_conflict_cb, &diff_wait);

  item = bough_diff_page_find (diff, device);
  g_assert_nonnull (item);
  g_assert_cmpstr (bough_diff_item_get_action (item), ==, "UPDATED");
  g_assert_cmpstr (bough_diff_item_get_subtitle (item), ==, "TestingDevice");
  item = bough_diff_page_find (diff, path);
  g_assert_cmpstr (bough_diff_item_get_old_value (item), ==, "2");
  g_assert_cmpstr (bough_diff_item_get_new_value (item), ==, "5");
  {
    g_autofree char *serial = g_strdup_printf ("%s/serial", device);

    item = bough_diff_page_find (diff, serial);
    g_assert_nonnull (item);
    g_assert_null (bough_diff_item_get_old_value (item));
    g_assert_cmpstr (bough_diff_item_get_new_value (item), ==, "ABC123");
    g_assert_null (bough_diff_item_get_conflict_id (item));
  }
  g_assert_cmpuint (g_list_model_get_n_items (bough_diff_page_get_nodes (diff)), ==, 2);
  g_assert_cmpuint (bough_diff_page_get_n_conflicts (diff, TRUE), ==, 1);
  g_assert_nonnull (strstr (bough_diff_page_get_summary (diff), "1 added"));
  g_assert_nonnull (strstr (bough_diff_page_get_summary (diff), "1 updated"));
  g_assert_true (gtk_widget_is_sensitive (find_visible_named (GTK_WIDGET (diff), "diff-merge")));

  /* merging with the conflict open: the task fails with the server's message,
   * said in the page's bar; no toast repeats it while the page is shown */
  toasts = _bough_window_get_toast_count (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (diff), "diff.merge", NULL));
  g_assert_true (bough_diff_page_get_busy (diff));
  ui_wait_until (diff_idle_cb, diff);
  g_assert_cmpstr (bough_diff_page_get_task_state (diff), ==, "FAILED");
  g_assert_nonnull (strstr (bough_diff_page_get_task_message (diff), "conflict"));
  g_assert_cmpuint (_bough_window_get_toast_count (window), ==, toasts);
  g_assert_nonnull (bough_diff_page_get_task_id (diff));
  ui_screenshot (GTK_WIDGET (window), "diff-conflict");

  /* resolve from the page: keep the branch's value */
  ui_wait_until (diff_conflict_cb, &diff_wait);
  g_test_message ("conflict shown");
  button = find_visible_named (GTK_WIDGET (diff), "keep-branch");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  diff_wait.selected = "DIFF_BRANCH";
  ui_wait_until (diff_conflict_cb, &diff_wait);
  g_test_message ("conflict resolved");
  g_assert_cmpuint (bough_diff_page_get_n_conflicts (diff, TRUE), ==, 0);
  g_assert_cmpuint (bough_diff_page_get_n_conflicts (diff, FALSE), ==, 1);
  ui_screenshot (GTK_WIDGET (window), "diff");

  /* merge, followed to its end where it was started */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (diff), "diff.merge", NULL));
  ui_wait_until (diff_idle_cb, diff);
  g_assert_cmpstr (bough_diff_page_get_task_state (diff), ==, "COMPLETED");
  merge_task = g_strdup (bough_diff_page_get_task_id (diff));
  {
    g_autoptr(JsonNode) data = gql (&server, NULL, "query { TestingDevice { edges {"
                                    " node { height { value } } } } }");
    g_autoptr(JsonPath) json_path = json_path_new ();
    g_autoptr(JsonNode) found = NULL;

    g_assert_true (json_path_compile (json_path, "$.TestingDevice.edges[0].node.height.value",
                                      NULL));
    found = json_path_match (json_path, data);
    g_assert_cmpint (json_array_get_int_element (json_node_get_array (found), 0), ==, 5);
  }

  /* the task monitor: "Show in Tasks" selects the merge task with its logs */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (diff), "diff.show-task", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (_bough_window_get_pages_stack (window)), ==,
                   "tasks");
  task_wait.page = tasks;
  task_wait.id = merge_task;
  task_wait.state = "COMPLETED";
  task_wait.min_updates = 1;
  ui_wait_until (task_listed_cb, &task_wait);
  ui_wait_until (tasks_live_cb, tasks);
  task = bough_tasks_page_get_selected (tasks);
  g_assert_nonnull (task);
  g_assert_cmpstr (bough_task_item_get_id (task), ==, merge_task);
  g_assert_cmpstr (bough_task_item_get_workflow (task), ==, "branch-merge");
  g_assert_cmpstr (bough_task_item_get_branch (task), ==, "feature-1");
  g_assert_cmpfloat (bough_task_item_get_progress (task), ==, 1.0);
  g_assert_cmpuint (bough_task_item_get_n_logs (task), >, 0);
  for (guint i = 0; i < bough_task_item_get_n_logs (task); i++)
    if (strstr (bough_task_item_get_log (task, i, NULL), "done") != NULL)
      merge_log = TRUE;
  g_assert_true (merge_log);
  g_assert_nonnull (gtk_widget_get_first_child (bough_tasks_page_get_log_list (tasks)));
  /* an ended task cannot be cancelled */
  g_assert_false (gtk_widget_is_sensitive (find_visible_named (GTK_WIDGET (tasks), "task-cancel")));

  /* a new task shows up without reloading: pushed by the subscription */
  updates = bough_tasks_page_get_updates (tasks);
  {
    g_autofree char *created = gql_string (&server, NULL,
                                           "mutation { BranchCreate(data: {name: \"feature-2\"})"
                                           " { ok task { id } } }",
                                           "$.BranchCreate.task.id");

    task_wait.id = created;
    task_wait.state = "COMPLETED";
    task_wait.min_updates = updates + 1;
    ui_wait_until (task_listed_cb, &task_wait);
    /* the chosen task stays chosen */
    g_assert_cmpstr (bough_task_item_get_id (bough_tasks_page_get_selected (tasks)), ==,
                     merge_task);
  }
  ui_screenshot (GTK_WIDGET (window), "tasks");

  /* the activity of the default view: every branch, with who did it */
  bough_window_set_branch (window, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                             "activity"));
  activity_wait.page = activity;
  activity_wait.n_events = 3;
  activity_wait.title_part = NULL;
  activity_wait.subtitle_part = "Administrator";
  ui_wait_until (activity_cb, &activity_wait);
  ui_wait_until (activity_live_cb, activity);
  n = bough_activity_page_get_n_events (activity);
  g_assert_cmpuint (bough_activity_page_get_total (activity), ==, n);
  {
    gboolean updated = FALSE;

    for (guint i = 0; i < n; i++)
      {
        JsonObject *event = bough_activity_page_get_event (activity, i);

        if (g_strcmp0 (json_object_get_string_member (event, "event"),
                       "infrahub.node.updated") == 0 &&
            strstr (bough_activity_page_get_event_title (activity, i), "TestingDevice") != NULL)
          updated = TRUE;
      }
    g_assert_true (updated);
  }

  /* live: a new object's event arrives on top */
  g_clear_pointer (&ignored, json_node_unref);
  ignored = gql (&server, NULL,
                 "mutation { TestingSiteCreate(data: {name: {value: \"lyon\"}}) { ok } }");
  activity_wait.n_events = n + 1;
  activity_wait.title_part = "created";
  activity_wait.subtitle_part = NULL;
  ui_wait_until (activity_cb, &activity_wait);
  g_assert_cmpstr (json_object_get_string_member (bough_activity_page_get_event (activity, 0),
                                                  "event"), ==, "infrahub.node.created");
  g_assert_cmpuint (bough_activity_page_get_total (activity), ==, n + 1);
  ui_screenshot (GTK_WIDGET (window), "activity");

  /* viewing the past: the events up to then, nothing live */
  {
    JsonObject *newest = bough_activity_page_get_event (activity, 0);
    JsonObject *before = bough_activity_page_get_event (activity, 1);
    g_autofree char *newest_id = g_strdup (json_object_get_string_member (newest, "id"));
    g_autofree char *at = g_strdup (json_object_get_string_member (before, "occurred_at"));
    PastWait past = { activity, newest_id };

    bough_window_set_at (window, at);
    ui_wait_until (activity_past_cb, &past);
    for (guint i = 0; i < bough_activity_page_get_n_events (activity); i++)
      g_assert_cmpstr (json_object_get_string_member (bough_activity_page_get_event (activity, i),
                                                      "occurred_at"), <=, at);
    bough_window_set_at (window, NULL);
  }

  /* one object's events */
  object = g_strdup_printf ("TestingDevice/%s", device);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.navigate", "(ss)",
                                             "activity", object));
  activity_wait.n_events = 2;
  activity_wait.title_part = "TestingDevice";
  ui_wait_until (activity_cb, &activity_wait);
  g_assert_cmpstr (bough_activity_page_get_object (activity), ==, object);
  for (guint i = 0; i < bough_activity_page_get_n_events (activity); i++)
    {
      JsonObject *event = bough_activity_page_get_event (activity, i);
      JsonObject *primary = json_object_get_object_member (event, "primary_node");

      g_assert_cmpstr (json_object_get_string_member (primary, "id"), ==, device);
    }

  /* paging back: more events than a page */
  {
    g_autoptr(GString) many = g_string_new ("mutation {");

    for (guint i = 0; i < 55; i++)
      g_string_append_printf (many,
                              " s%u: TestingSiteCreate(data: {name: {value: \"site-%u\"}}) { ok }",
                              i, i);
    g_string_append (many, " }");
    g_clear_pointer (&ignored, json_node_unref);
    ignored = gql (&server, NULL, many->str);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (activity), "activity.branch-scope", NULL));
  activity_wait.n_events = 50;
  activity_wait.title_part = NULL;
  ui_wait_until (activity_cb, &activity_wait);
  g_assert_null (bough_activity_page_get_object (activity));
  g_assert_cmpuint (bough_activity_page_get_n_events (activity), ==, 50);
  n = bough_activity_page_get_total (activity);
  g_assert_cmpuint (n, >, 55);
  bough_activity_page_load_older (activity);
  activity_wait.n_events = MIN (n, 100);
  ui_wait_until (activity_cb, &activity_wait);
  g_assert_cmpuint (bough_activity_page_get_n_events (activity), ==, MIN (n, 100));

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

static const char parents_schema[] =
  "{\"schemas\": [{\"version\": \"1.0\", \"nodes\": ["
  " {\"name\": \"Router\", \"namespace\": \"Lab\", \"display_labels\": [\"name__value\"],"
  "  \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\", \"unique\": true}],"
  "  \"relationships\": [{\"name\": \"interfaces\", \"peer\": \"LabPort\","
  "                       \"cardinality\": \"many\","
  "                       \"kind\": \"Component\", \"optional\": true}]},"
  " {\"name\": \"Port\", \"namespace\": \"Lab\", \"display_labels\": [\"name__value\"],"
  "  \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\"},"
  "                   {\"name\": \"mtu\", \"kind\": \"Number\", \"optional\": true}],"
  "  \"relationships\": [{\"name\": \"router\", \"peer\": \"LabRouter\", \"cardinality\": \"one\","
  "                       \"kind\": \"Parent\", \"optional\": false}]}]}]}";

static gboolean
diff_has_cb (gpointer user_data)
{
  DiffWait *wait = user_data;

  return !bough_page_get_loading (BOUGH_PAGE (wait->page)) &&
         bough_diff_page_find (wait->page, wait->path) != NULL;
}

static void
test_operations_diff_parents_refresh_rebase (void)
{
  TestServer server;
  BoughWindow *window;
  BoughDiffPage *diff;
  BoughDiffItem *router_item;
  BoughDiffItem *item;
  GListModel *children;
  DiffWait diff_wait;
  g_autofree char *router = NULL;
  g_autofree char *port = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  gboolean port_under_router = FALSE;

  if (!test_server_start (&server, NULL))
    return;
  {
    g_autoptr(BoughClient) client = bough_client_new (server.url);
    g_autoptr(JsonNode) body = json_from_string (parents_schema, NULL);
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
  }
  router = gql_string (&server, NULL,
                       "mutation { LabRouterCreate(data: {name: {value: \"edge1\"}})"
                       " { object { id } } }",
                       "$.LabRouterCreate.object.id");
  {
    g_autofree char *create = g_strdup_printf (
      "mutation { LabPortCreate(data: {name: {value: \"eth0\"}, mtu: {value: 1500},"
      " router: {id: \"%s\"}}) { object { id } } }", router);

    port = gql_string (&server, NULL, create, "$.LabPortCreate.object.id");
  }
  ignored = gql (&server, NULL, "mutation { BranchCreate(data: {name: \"jumbo\"}) { ok } }");
  {
    g_autofree char *update = g_strdup_printf (
      "mutation { LabPortUpdate(data: {id: \"%s\", mtu: {value: 9000}}) { ok } }", port);

    g_clear_pointer (&ignored, json_node_unref);
    ignored = gql (&server, "jumbo", update);
  }

  window = ui_open_window (&server);
  g_test_message ("window open");
  diff = BOUGH_DIFF_PAGE (bough_window_get_page (window, "diff"));
  bough_window_set_branch (window, "jumbo");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "diff"));
  path = g_strdup_printf ("%s/mtu", port);
  diff_wait.page = diff;
  diff_wait.path = path;
  diff_wait.selected = NULL;
  ui_wait_until (diff_has_cb, &diff_wait);
  g_test_message ("diff shown");

  /* the port groups under its router, which did not change itself */
  g_assert_cmpuint (g_list_model_get_n_items (bough_diff_page_get_nodes (diff)), ==, 1);
  router_item = g_list_model_get_item (bough_diff_page_get_nodes (diff), 0);
  g_object_unref (router_item);   /* the page keeps it */
  g_assert_cmpstr (bough_diff_item_get_title (router_item), ==, "edge1");
  g_assert_cmpstr (bough_diff_item_get_action (router_item), ==, "UNCHANGED");
  children = bough_diff_item_get_children (router_item);
  g_assert_nonnull (children);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(BoughDiffItem) child = g_list_model_get_item (children, i);

      if (bough_diff_item_get_item_type (child) == BOUGH_DIFF_ITEM_NODE &&
          g_strcmp0 (bough_diff_item_get_title (child), "eth0") == 0)
        port_under_router = TRUE;
    }
  g_assert_true (port_under_router);
  item = bough_diff_page_find (diff, path);
  g_assert_cmpstr (bough_diff_item_get_old_value (item), ==, "1500");
  g_assert_cmpstr (bough_diff_item_get_new_value (item), ==, "9000");

  /* refresh and rebase run as tasks followed by the page */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (diff), "diff.refresh", NULL));
  ui_wait_until (diff_idle_cb, diff);
  g_test_message ("diff refreshed");
  g_assert_cmpstr (bough_diff_page_get_task_state (diff), ==, "COMPLETED");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (diff), "diff.rebase", NULL));
  ui_wait_until (diff_idle_cb, diff);
  g_test_message ("branch rebased");
  g_assert_cmpstr (bough_diff_page_get_task_state (diff), ==, "COMPLETED");
  g_assert_nonnull (strstr (bough_diff_page_get_task_message (diff), "jumbo"));
  /* the branch's change survives the rebase */
  ui_wait_until (diff_has_cb, &diff_wait);

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

static gboolean
task_cancellable_cb (gpointer user_data)
{
  TaskWait *wait = user_data;
  BoughTaskItem *item = bough_tasks_page_get_selected (wait->page);

  return item != NULL && g_strcmp0 (bough_task_item_get_id (item), wait->id) == 0 &&
         gtk_widget_is_sensitive (find_visible_named (GTK_WIDGET (wait->page), "task-cancel"));
}

/* With no task workers the merge waits in the queue: cancelled from the
 * task monitor, the diff page that started it sees it end. */
static void
test_operations_cancel_task (void)
{
  const char * const env[] = { "BOUGH_TASKS_CONCURRENCY=0", NULL };
  TestServer server;
  BoughWindow *window;
  BoughDiffPage *diff;
  BoughTasksPage *tasks;
  TaskWait task_wait;
  g_autoptr(JsonNode) ignored = NULL;
  g_autofree char *merge_task = NULL;

  if (!test_server_start (&server, env))
    return;
  ui_load_schema (&server);
  ignored = gql (&server, NULL, "mutation { BranchCreate(data: {name: \"slow\"}) { ok } }");
  window = ui_open_window (&server);
  diff = BOUGH_DIFF_PAGE (bough_window_get_page (window, "diff"));
  tasks = BOUGH_TASKS_PAGE (bough_window_get_page (window, "tasks"));
  bough_window_set_branch (window, "slow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "diff"));
  ui_spin (100);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (diff), "diff.merge", NULL));
  while (bough_diff_page_get_task_id (diff) == NULL)
    g_main_context_iteration (NULL, TRUE);
  merge_task = g_strdup (bough_diff_page_get_task_id (diff));
  g_assert_true (bough_diff_page_get_busy (diff));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (diff), "diff.show-task", NULL));
  task_wait.page = tasks;
  task_wait.id = merge_task;
  task_wait.state = NULL;
  task_wait.min_updates = 1;
  ui_wait_until (task_listed_cb, &task_wait);
  g_test_message ("merge task %s listed", merge_task);
  ui_wait_until (task_cancellable_cb, &task_wait);
  g_test_message ("merge task %s may be cancelled", merge_task);
  g_assert_true (bough_diff_page_get_busy (diff));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tasks), "tasks.cancel", NULL));
  task_wait.state = "CANCELLED";
  ui_wait_until (task_listed_cb, &task_wait);
  g_test_message ("merge task %s cancelled", merge_task);
  ui_wait_until (diff_idle_cb, diff);
  g_assert_cmpstr (bough_diff_page_get_task_state (diff), ==, "CANCELLED");
  g_assert_false (gtk_widget_is_sensitive (find_visible_named (GTK_WIDGET (tasks), "task-cancel")));

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

static void
test_operations_no_branch_and_shortcuts (void)
{
  TestServer server;
  BoughWindow *window;
  BoughDiffPage *diff;
  GtkEventController *shortcuts = NULL;
  g_autoptr(GListModel) controllers = NULL;

  if (!test_server_start (&server, NULL))
    return;
  window = ui_open_window (&server);
  diff = BOUGH_DIFF_PAGE (bough_window_get_page (window, "diff"));

  /* on the default branch there is nothing to diff or merge */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "diff"));
  ui_spin (200);
  g_assert_cmpuint (g_list_model_get_n_items (bough_diff_page_get_nodes (diff)), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (find_visible_named (GTK_WIDGET (diff), "diff-merge")));
  g_assert_false (gtk_widget_is_sensitive (find_visible_named (GTK_WIDGET (diff), "diff-refresh")));

  /* the pages' shortcuts live on the window, so they work wherever the focus is */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "bough-operations-shortcuts") == 0)
        shortcuts = controller;
    }
  g_assert_nonnull (shortcuts);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shortcuts)), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (shortcuts), i);
      GtkShortcutTrigger *trigger_object = gtk_shortcut_get_trigger (shortcut);
      g_autofree char *trigger = gtk_shortcut_trigger_to_string (trigger_object);

      g_assert_nonnull (strstr (trigger, "<Control>"));
    }

  /* the shortcuts window lists them */
  {
    const char *overlay = "/org/bough/Bough/gtk/help-overlay.ui";
    g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (overlay);
    g_autoptr(GBytes) bytes = g_resources_lookup_data (overlay, 0, NULL);

    g_assert_nonnull (gtk_builder_get_object (builder, "help_overlay"));
    g_assert_nonnull (strstr (g_bytes_get_data (bytes, NULL), "Merge the branch"));
    g_assert_nonnull (strstr (g_bytes_get_data (bytes, NULL), "Cancel the chosen task"));
    gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  test_server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display = ui_test_init (&argc, &argv);

  UI_ADD (display, "/operations/diff-merge-tasks-activity",
          test_operations_diff_merge_tasks_activity);
  UI_ADD (display, "/operations/diff-parents-refresh-rebase",
          test_operations_diff_parents_refresh_rebase);
  UI_ADD (display, "/operations/cancel-task", test_operations_cancel_task);
  UI_ADD (display, "/operations/no-branch-and-shortcuts", test_operations_no_branch_and_shortcuts);

  return g_test_run ();
}
