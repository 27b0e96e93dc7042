/* bough-operations.c: adds the branch operations views to a window (branch
 * diff, task monitor, activity) with the window-wide shortcuts that reach
 * them and their main actions; the task state names and the time format
 * they share.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-activity-page.h"
#include "bough-diff-page.h"
#include "bough-operations.h"
#include "bough-tasks-page.h"

/**
 * bough_task_state_label:
 * @state: a TaskState (`RUNNING`, `COMPLETED`, ...)
 *
 * Returns: the state as the user reads it
 */
const char *
bough_task_state_label (const char *state)
{
  if (state == NULL)
    return _("Unknown");
  if (g_str_equal (state, "SCHEDULED"))
    return _("Scheduled");
  if (g_str_equal (state, "PENDING"))
    return _("Pending");
  if (g_str_equal (state, "RUNNING"))
    return _("Running");
  if (g_str_equal (state, "COMPLETED"))
    return _("Completed");
  if (g_str_equal (state, "FAILED"))
    return _("Failed");
  if (g_str_equal (state, "CANCELLED"))
    return _("Cancelled");
  if (g_str_equal (state, "CRASHED"))
    return _("Crashed");
  if (g_str_equal (state, "PAUSED"))
    return _("Paused");
  if (g_str_equal (state, "CANCELLING"))
    return _("Cancelling");
  return state;
}

/**
 * bough_task_state_is_running:
 * @state: (nullable): a TaskState
 *
 * Returns: whether a task in @state has not ended (and may be cancelled)
 */
gboolean
bough_task_state_is_running (const char *state)
{
  static const char * const running[] = { "SCHEDULED", "PENDING", "RUNNING", "PAUSED", NULL };

  return state != NULL && g_strv_contains (running, state);
}

/**
 * bough_format_time:
 * @iso8601: (nullable): a time as the server writes it
 *
 * Returns: (transfer full): the time in the local time zone, or the text
 *   unchanged when it is not a time, or an empty string
 */
char *
bough_format_time (const char *iso8601)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso8601 == NULL)
    return g_strdup ("");
  utc = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (utc == NULL)
    return g_strdup (iso8601);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%x %X");
}

/**
 * bough_page_load_cancelled:
 * @page: a #BoughPage whose load was cancelled
 *
 * Clears @page's `loading` when no newer load has started yet. A load is
 * cancelled when another is queued; until that one starts, the header
 * bar's spinner would keep spinning, and under slow drawing its animation
 * keeps the queued reload (an idle) from ever running.
 */
void
bough_page_load_cancelled (BoughPage *page)
{
  GCancellable *current;

  g_return_if_fail (BOUGH_IS_PAGE (page));

  current = bough_page_get_cancellable (page);
  if (current == NULL || g_cancellable_is_cancelled (current))
    bough_page_set_loading (page, FALSE);
}

/* A page action, run only while its page is the one shown. */
static gboolean
page_action_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  const char *page_name;
  const char *action;
  BoughPage *page;

  g_variant_get (args, "(&s&s)", &page_name, &action);
  page = bough_window_get_page (BOUGH_WINDOW (widget), page_name);
  if (page == NULL || !gtk_widget_get_mapped (GTK_WIDGET (page)))
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (page), action, NULL);
}

static void
add_page_shortcut (GtkShortcutController *controller,
                   const char            *accelerator,
                   const char            *page_name)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                            gtk_named_action_new ("win.show-page"));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_string (page_name));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
add_action_shortcut (GtkShortcutController *controller,
                     const char            *accelerator,
                     const char            *page_name,
                     const char            *action)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                            gtk_callback_action_new (page_action_cb, NULL, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new ("(ss)", page_name, action));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

/**
 * bough_operations_register:
 * @window: a #BoughWindow
 *
 * Adds the pages `diff` (argument: none), `tasks` (argument: a task id to
 * select) and `activity` (argument: `<kind>/<id>` of an object, or none
 * for the branch's events) to @window's sidebar, and their shortcuts.
 */
void
bough_operations_register (BoughWindow *window)
{
  g_autoptr(BoughPage) diff = NULL;
  g_autoptr(BoughPage) tasks = NULL;
  g_autoptr(BoughPage) activity = NULL;
  GtkEventController *controller;

  g_return_if_fail (BOUGH_IS_WINDOW (window));

  diff = g_object_ref_sink (BOUGH_PAGE (bough_diff_page_new ()));
  tasks = g_object_ref_sink (BOUGH_PAGE (bough_tasks_page_new ()));
  activity = g_object_ref_sink (BOUGH_PAGE (bough_activity_page_new ()));
  bough_window_add_page (window, "diff", diff, TRUE);
  bough_window_add_page (window, "tasks", tasks, TRUE);
  bough_window_add_page (window, "activity", activity, TRUE);

  /* On the window, so that they work wherever the focus is. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (controller, "bough-operations-shortcuts");
  add_page_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>d", "diff");
  add_page_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>t", "tasks");
  add_page_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>a", "activity");
  add_action_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>u", "diff", "diff.refresh");
  add_action_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>m", "diff", "diff.merge");
  add_action_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>r", "diff",
                       "diff.rebase");
  add_action_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>c", "tasks",
                       "tasks.cancel");
  add_action_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>o", "activity",
                       "activity.older");
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
}
