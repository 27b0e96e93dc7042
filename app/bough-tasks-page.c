/* bough-tasks-page.c: BoughTasksPage: the task monitor. The last tasks
 * (InfrahubTask: state, conclusion, progress, workflow, branch, times, logs)
 * in a column view with a filter, kept current by the InfrahubTask
 * subscription (a poll when the server has none); the chosen task's logs
 * below, and a Cancel button for a task that has not ended
 * (InfrahubTaskCancel).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bough-operations.h"
#include "bough-tasks-page.h"
#include "bough-util.h"

/* ---- BoughTaskItem ---- */

struct _BoughTaskItem
{
  GObject    parent_instance;

  char      *id;
  char      *title;
  char      *state;
  char      *conclusion;
  char      *workflow;
  char      *branch;
  char      *created_at;
  char      *start_time;
  char      *updated_at;
  double     progress;      /* < 0: unknown */
  GPtrArray *logs;          /* of char*: message, severity, timestamp, ... */
};

G_DEFINE_FINAL_TYPE (BoughTaskItem, bough_task_item, G_TYPE_OBJECT)

static void
bough_task_item_finalize (GObject *object)
{
  BoughTaskItem *self = BOUGH_TASK_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->state);
  g_free (self->conclusion);
  g_free (self->workflow);
  g_free (self->branch);
  g_free (self->created_at);
  g_free (self->start_time);
  g_free (self->updated_at);
  g_ptr_array_unref (self->logs);

  G_OBJECT_CLASS (bough_task_item_parent_class)->finalize (object);
}

static void
bough_task_item_class_init (BoughTaskItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bough_task_item_finalize;
}

static void
bough_task_item_init (BoughTaskItem *self)
{
  self->logs = g_ptr_array_new_with_free_func (g_free);
  self->progress = -1;
}

static BoughTaskItem *
task_item_new (JsonObject *node)
{
  BoughTaskItem *self = g_object_new (BOUGH_TYPE_TASK_ITEM, NULL);
  JsonNode *progress = json_object_get_member (node, "progress");
  JsonArray *logs = bough_jarr (bough_jobj (node, "logs"), "edges");

  self->id = g_strdup (bough_jstr (node, "id"));
  self->title = g_strdup (bough_jstr (node, "title"));
  self->state = g_strdup (bough_jstr (node, "state"));
  self->conclusion = g_strdup (bough_jstr (node, "conclusion"));
  self->workflow = g_strdup (bough_jstr (node, "workflow"));
  self->branch = g_strdup (bough_jstr (node, "branch"));
  self->created_at = g_strdup (bough_jstr (node, "created_at"));
  self->start_time = g_strdup (bough_jstr (node, "start_time"));
  self->updated_at = g_strdup (bough_jstr (node, "updated_at"));
  if (progress != NULL && JSON_NODE_HOLDS_VALUE (progress))
    self->progress = CLAMP (json_node_get_double (progress), 0.0, 1.0);
  for (guint i = 0; logs != NULL && i < json_array_get_length (logs); i++)
    {
      JsonObject *log = bough_jobj (json_array_get_object_element (logs, i), "node");

      if (log == NULL)
        continue;
      g_ptr_array_add (self->logs, g_strdup (bough_jstr (log, "message") ?: ""));
      g_ptr_array_add (self->logs, g_strdup (bough_jstr (log, "severity") ?: "info"));
      g_ptr_array_add (self->logs, g_strdup (bough_jstr (log, "timestamp")));
    }
  return self;
}

const char *
bough_task_item_get_id (BoughTaskItem *self)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), NULL);
  return self->id;
}

const char *
bough_task_item_get_title (BoughTaskItem *self)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), NULL);
  return self->title;
}

const char *
bough_task_item_get_state (BoughTaskItem *self)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), NULL);
  return self->state;
}

const char *
bough_task_item_get_conclusion (BoughTaskItem *self)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), NULL);
  return self->conclusion;
}

const char *
bough_task_item_get_workflow (BoughTaskItem *self)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), NULL);
  return self->workflow;
}

const char *
bough_task_item_get_branch (BoughTaskItem *self)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), NULL);
  return self->branch;
}

/**
 * bough_task_item_get_progress:
 * @self: a #BoughTaskItem
 *
 * Returns: how far the task went, 0 to 1, or -1 when the server does not say
 */
double
bough_task_item_get_progress (BoughTaskItem *self)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), -1);
  return self->progress;
}

guint
bough_task_item_get_n_logs (BoughTaskItem *self)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), 0);
  return self->logs->len / 3;
}

/**
 * bough_task_item_get_log:
 * @self: a #BoughTaskItem
 * @index: a log line, from the first
 * @severity: (out) (optional): its severity
 *
 * Returns: the message of the log line
 */
const char *
bough_task_item_get_log (BoughTaskItem  *self,
                         guint           index,
                         const char    **severity)
{
  g_return_val_if_fail (BOUGH_IS_TASK_ITEM (self), NULL);
  g_return_val_if_fail (index < self->logs->len / 3, NULL);

  if (severity != NULL)
    *severity = g_ptr_array_index (self->logs, index * 3 + 1);
  return g_ptr_array_index (self->logs, index * 3);
}

/* ---- BoughTasksPage ---- */

struct _BoughTasksPage
{
  BoughPage                parent_instance;

  GListStore              *tasks;
  GtkCustomFilter         *filter;
  GtkSingleSelection      *selection;
  char                    *selected_id;
  char                    *pending_select;
  BoughClientSubscription *sub;
  guint                    poll_source;
  guint                    updates;
  gboolean                 live;
  gboolean                 updating;

  GtkSearchEntry          *search_entry;
  GtkToggleButton         *running_toggle;
  GtkWidget               *live_icon;
  GtkStack                *stack;
  GtkColumnView           *column_view;
  GtkLabel                *detail_title;
  GtkLabel                *detail_subtitle;
  GtkListBox              *log_list;
};

G_DEFINE_FINAL_TYPE (BoughTasksPage, bough_tasks_page, BOUGH_TYPE_PAGE)

#define TASKS_SELECTION \
  "InfrahubTask(limit: 100, log_limit: 500) { count edges { node {" \
  " id title state conclusion progress workflow branch created_at updated_at start_time" \
  " logs { count edges { node { message severity timestamp } } } } } }"

static const char tasks_query[] = "query BoughTasks { " TASKS_SELECTION " }";
static const char tasks_subscription[] = "subscription BoughTasks { " TASKS_SELECTION " }";

static void show_selected (BoughTasksPage *self);

static void
set_live (BoughTasksPage *self,
          gboolean        live)
{
  self->live = live;
  gtk_widget_set_visible (self->live_icon, live);
}

static void
stop_updates (BoughTasksPage *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (self->sub != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sub, self);
      bough_client_subscription_stop (self->sub);
      g_clear_object (&self->sub);
    }
  set_live (self, FALSE);
}

static void
apply_tasks (BoughTasksPage *self,
             JsonNode       *data)
{
  JsonObject *object = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  JsonArray *edges = bough_jarr (bough_jobj (object, "InfrahubTask"), "edges");
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *keep = g_strdup (self->selected_id);

  if (edges == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (edges); i++)
    {
      JsonObject *node = bough_jobj (json_array_get_object_element (edges, i), "node");

      if (node != NULL && bough_jstr (node, "id") != NULL)
        g_ptr_array_add (items, task_item_new (node));
    }
  /* The selection follows the task, not its position. */
  self->updating = TRUE;
  g_list_store_splice (self->tasks, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tasks)),
                       items->pdata, items->len);
  self->updating = FALSE;
  self->updates++;
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "tasks" : "empty");
  if (self->pending_select != NULL && bough_tasks_page_select (self, self->pending_select))
    g_clear_pointer (&self->pending_select, g_free);
  else if (keep == NULL || !bough_tasks_page_select (self, keep))
    show_selected (self);
}

static void
tasks_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BoughTasksPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      bough_page_load_cancelled (BOUGH_PAGE (self));
      return;
    }
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
  if (data == NULL)
    {
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  apply_tasks (self, data);
}

static gboolean
poll_cb (gpointer user_data)
{
  BoughTasksPage *self = user_data;
  BoughClient *client = bough_page_get_client (BOUGH_PAGE (self));
  GCancellable *cancellable = bough_page_get_cancellable (BOUGH_PAGE (self));

  if (client == NULL || cancellable == NULL || g_cancellable_is_cancelled (cancellable))
    {
      self->poll_source = 0;
      return G_SOURCE_REMOVE;
    }
  bough_client_query_async (client, NULL, NULL, tasks_query, NULL, cancellable, tasks_loaded_cb,
                            g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
sub_next_cb (BoughClientSubscription *sub,
             JsonNode                *payload,
             BoughTasksPage          *self)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (payload) ? json_node_get_object (payload) : NULL;

  set_live (self, TRUE);
  apply_tasks (self, object ? json_object_get_member (object, "data") : NULL);
}

static void
sub_error_cb (BoughClientSubscription *sub,
              GError                  *error,
              BoughTasksPage          *self)
{
  g_debug ("task subscription failed (%s): polling", error->message);
  g_signal_handlers_disconnect_by_data (sub, self);
  g_clear_object (&self->sub);
  set_live (self, FALSE);
  if (self->poll_source == 0)
    self->poll_source = g_timeout_add_seconds (2, poll_cb, self);
}

static void
bough_tasks_page_reload (BoughPage    *page,
                         GCancellable *cancellable)
{
  BoughTasksPage *self = BOUGH_TASKS_PAGE (page);
  BoughClient *client = bough_page_get_client (page);

  stop_updates (self);
  bough_page_set_loading (page, TRUE);
  bough_client_query_async (client, NULL, NULL, tasks_query, NULL, cancellable, tasks_loaded_cb,
                            g_object_ref (self));
  self->sub = bough_client_subscribe (client, NULL, tasks_subscription, NULL);
  g_signal_connect (self->sub, "next", G_CALLBACK (sub_next_cb), self);
  g_signal_connect (self->sub, "error", G_CALLBACK (sub_error_cb), self);
}

static void
bough_tasks_page_navigate (BoughPage  *page,
                           const char *argument)
{
  BoughTasksPage *self = BOUGH_TASKS_PAGE (page);

  if (argument == NULL || bough_tasks_page_select (self, argument))
    return;
  /* Not listed yet: chosen when the next answer has it. */
  g_free (self->pending_select);
  self->pending_select = g_strdup (argument);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->running_toggle, FALSE);
}

/* ---- the chosen task ---- */

static GtkWidget *
log_row (const char *message,
         const char *severity,
         const char *timestamp)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *level = gtk_label_new (severity);
  GtkWidget *text = gtk_label_new (message);
  g_autofree char *when = bough_format_time (timestamp);

  gtk_label_set_text (GTK_LABEL (time), when);
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "numeric");
  gtk_label_set_width_chars (GTK_LABEL (level), 8);
  gtk_label_set_xalign (GTK_LABEL (level), 0);
  if (g_strcmp0 (severity, "error") == 0 || g_strcmp0 (severity, "critical") == 0)
    gtk_widget_add_css_class (level, "error");
  else if (g_strcmp0 (severity, "warning") == 0)
    gtk_widget_add_css_class (level, "warning");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), time);
  gtk_box_append (GTK_BOX (box), level);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  return box;
}

static void
show_selected (BoughTasksPage *self)
{
  BoughTaskItem *item = gtk_single_selection_get_selected_item (self->selection);
  GtkWidget *child;
  g_autoptr(GString) text = NULL;

  if (self->updating)
    return;
  g_free (self->selected_id);
  self->selected_id = item ? g_strdup (item->id) : NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->log_list))) != NULL)
    gtk_list_box_remove (self->log_list, child);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tasks.cancel",
                                 item != NULL && bough_task_state_is_running (item->state));
  if (item == NULL)
    {
      gtk_label_set_text (self->detail_title, _("No task chosen"));
      gtk_label_set_text (self->detail_subtitle, "");
      return;
    }
  gtk_label_set_text (self->detail_title, item->title ? item->title : item->id);
  text = g_string_new (bough_task_state_label (item->state));
  if (item->conclusion != NULL && g_strcmp0 (item->conclusion, "unknown") != 0)
    g_string_append_printf (text, " (%s)", item->conclusion);
  if (item->workflow != NULL)
    g_string_append_printf (text, " · %s", item->workflow);
  if (item->branch != NULL)
    g_string_append_printf (text, " · %s", item->branch);
  if (item->created_at != NULL)
    {
      g_autofree char *when = bough_format_time (item->created_at);

      g_string_append (text, " · ");
      g_string_append_printf (text, _("created %s"), when);
    }
  if (item->start_time != NULL)
    {
      g_autofree char *when = bough_format_time (item->start_time);

      g_string_append (text, " · ");
      g_string_append_printf (text, _("started %s"), when);
    }
  if (item->updated_at != NULL)
    {
      g_autofree char *when = bough_format_time (item->updated_at);

      g_string_append (text, " · ");
      g_string_append_printf (text, _("updated %s"), when);
    }
  g_string_append_printf (text, "\n%s", item->id);
  gtk_label_set_text (self->detail_subtitle, text->str);
  for (guint i = 0; i + 2 < item->logs->len; i += 3)
    gtk_list_box_append (self->log_list, log_row (g_ptr_array_index (item->logs, i),
                                                  g_ptr_array_index (item->logs, i + 1),
                                                  g_ptr_array_index (item->logs, i + 2)));
  if (item->logs->len == 0)
    {
      GtkWidget *none = gtk_label_new (_("No log lines yet"));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_widget_set_margin_top (none, 12);
      gtk_widget_set_margin_bottom (none, 12);
      gtk_list_box_append (self->log_list, none);
    }
}

static void
cancelled_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BoughTasksPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  BoughWindow *window;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (data == NULL)
    {
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  window = BOUGH_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (self), BOUGH_TYPE_WINDOW));
  if (window != NULL)
    bough_window_show_toast (window, _("Cancellation asked for"));
  /* Without a subscription, look again now. */
  if (self->sub == NULL && bough_page_get_client (BOUGH_PAGE (self)) != NULL)
    bough_client_query_async (BOUGH_CLIENT (source), NULL, NULL, tasks_query, NULL,
                              bough_page_get_cancellable (BOUGH_PAGE (self)), tasks_loaded_cb,
                              g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BoughTasksPage *self = BOUGH_TASKS_PAGE (widget);
  BoughTaskItem *item = gtk_single_selection_get_selected_item (self->selection);
  BoughClient *client = bough_page_get_client (BOUGH_PAGE (self));
  g_autoptr(JsonObject) variables = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (item == NULL || client == NULL || !bough_task_state_is_running (item->state))
    return;
  variables = json_object_new ();
  json_object_set_string_member (variables, "id", item->id);
  node = json_node_init_object (json_node_alloc (), variables);
  bough_client_query_async (client, NULL, NULL,
                            "mutation BoughCancelTask($id: String!) {"
                            " InfrahubTaskCancel(data: {id: $id}) { ok state } }",
                            node, NULL, cancelled_cb, g_object_ref (self));
}

/* ---- the list ---- */

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  BoughTasksPage *self = user_data;
  BoughTaskItem *task = item;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *joined = NULL;
  g_autofree char *haystack = NULL;
  g_autofree char *needle = NULL;

  if (gtk_toggle_button_get_active (self->running_toggle) &&
      !bough_task_state_is_running (task->state) && g_strcmp0 (task->state, "CANCELLING") != 0)
    return FALSE;
  if (search == NULL || search[0] == '\0')
    return TRUE;
  joined = g_strjoin (" ", task->title ? task->title : "", task->workflow ? task->workflow : "",
                      task->branch ? task->branch : "", bough_task_state_label (task->state),
                      task->id, NULL);
  haystack = g_utf8_casefold (joined, -1);
  needle = g_utf8_casefold (search, -1);
  return strstr (haystack, needle) != NULL;
}

static int
sort_cb (gconstpointer a,
         gconstpointer b,
         gpointer      user_data)
{
  const BoughTaskItem *ta = a;
  const BoughTaskItem *tb = b;

  /* Newest first; ISO 8601 UTC times sort as text. */
  return -g_strcmp0 (ta->created_at, tb->created_at);
}

static void
search_changed_cb (BoughTasksPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

typedef enum
{
  COLUMN_TITLE,
  COLUMN_STATE,
  COLUMN_WORKFLOW,
  COLUMN_BRANCH,
  COLUMN_CREATED,
  COLUMN_UPDATED,
} Column;

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  BoughTaskItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "accent");
  switch (column)
    {
    case COLUMN_TITLE:
      text = g_strdup (item->title ? item->title : item->id);
      break;
    case COLUMN_STATE:
      text = g_strdup (bough_task_state_label (item->state));
      if (g_strcmp0 (item->state, "COMPLETED") == 0)
        gtk_widget_add_css_class (label, "success");
      else if (g_strcmp0 (item->state, "FAILED") == 0 || g_strcmp0 (item->state, "CRASHED") == 0)
        gtk_widget_add_css_class (label, "error");
      else if (bough_task_state_is_running (item->state))
        gtk_widget_add_css_class (label, "accent");
      break;
    case COLUMN_WORKFLOW:
      text = g_strdup (item->workflow);
      break;
    case COLUMN_BRANCH:
      text = g_strdup (item->branch);
      break;
    case COLUMN_CREATED:
      text = bough_format_time (item->created_at);
      break;
    case COLUMN_UPDATED:
      text = bough_format_time (item->updated_at);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
}

static void
setup_progress_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item)
{
  GtkWidget *bar = gtk_progress_bar_new ();

  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (bar), TRUE);
  gtk_list_item_set_child (list_item, bar);
}

static void
bind_progress_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item)
{
  BoughTaskItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *bar = gtk_list_item_get_child (list_item);
  double fraction = item->progress;
  g_autofree char *text = NULL;

  if (fraction < 0)
    fraction = g_strcmp0 (item->state, "COMPLETED") == 0 ? 1.0 : 0.0;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), fraction);
  text = g_strdup_printf ("%.0f %%", fraction * 100);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (bar), text);
}

static void
add_column (BoughTasksPage *self,
            const char     *title,
            int             column_id,
            gboolean        expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  if (column_id < 0)
    {
      g_signal_connect (factory, "setup", G_CALLBACK (setup_progress_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_progress_cb), NULL);
    }
  else
    {
      g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column_id));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);
    }
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  /* a bar's natural width would take the room the titles need */
  if (column_id < 0)
    gtk_column_view_column_set_fixed_width (column, 96);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

/* ---- GObject ---- */

static void
bough_tasks_page_unmap (GtkWidget *widget)
{
  BoughTasksPage *self = BOUGH_TASKS_PAGE (widget);
  gboolean had_updates = self->sub != NULL || self->poll_source != 0;

  /* Nobody looks: no live updates until shown again. */
  stop_updates (self);
  GTK_WIDGET_CLASS (bough_tasks_page_parent_class)->unmap (widget);
  if (had_updates)
    bough_page_queue_reload (BOUGH_PAGE (self));
}

static void
bough_tasks_page_dispose (GObject *object)
{
  BoughTasksPage *self = BOUGH_TASKS_PAGE (object);

  stop_updates (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_TASKS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_object (&self->tasks);

  G_OBJECT_CLASS (bough_tasks_page_parent_class)->dispose (object);
}

static void
bough_tasks_page_finalize (GObject *object)
{
  BoughTasksPage *self = BOUGH_TASKS_PAGE (object);

  g_free (self->selected_id);
  g_free (self->pending_select);

  G_OBJECT_CLASS (bough_tasks_page_parent_class)->finalize (object);
}

static void
bough_tasks_page_class_init (BoughTasksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BoughPageClass *page_class = BOUGH_PAGE_CLASS (klass);

  object_class->dispose = bough_tasks_page_dispose;
  object_class->finalize = bough_tasks_page_finalize;
  widget_class->unmap = bough_tasks_page_unmap;
  page_class->reload = bough_tasks_page_reload;
  page_class->navigate = bough_tasks_page_navigate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bough/Bough/bough-tasks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughTasksPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BoughTasksPage, running_toggle);
  gtk_widget_class_bind_template_child (widget_class, BoughTasksPage, live_icon);
  gtk_widget_class_bind_template_child (widget_class, BoughTasksPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BoughTasksPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BoughTasksPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, BoughTasksPage, detail_subtitle);
  gtk_widget_class_bind_template_child (widget_class, BoughTasksPage, log_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "tasks.cancel", NULL, cancel_action);
}

static void
bough_tasks_page_init (BoughTasksPage *self)
{
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GtkCustomSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));
  bough_page_set_title (BOUGH_PAGE (self), _("Tasks"));
  bough_page_set_icon_name (BOUGH_PAGE (self), "system-run-symbolic");

  self->tasks = g_list_store_new (BOUGH_TYPE_TASK_ITEM);
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->tasks)),
                                        GTK_FILTER (g_object_ref (self->filter)));
  /* Not incremental: a few hundred tasks at most, and a task chosen by id
   * must be found in the selection right after an update. */
  sorter = gtk_custom_sorter_new (sort_cb, NULL, NULL);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered), GTK_SORTER (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (show_selected),
                            self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  add_column (self, _("Task"), COLUMN_TITLE, TRUE);
  add_column (self, _("State"), COLUMN_STATE, FALSE);
  add_column (self, _("Progress"), -1, FALSE);
  add_column (self, _("Workflow"), COLUMN_WORKFLOW, FALSE);
  add_column (self, _("Branch"), COLUMN_BRANCH, FALSE);
  add_column (self, _("Created"), COLUMN_CREATED, FALSE);
  add_column (self, _("Updated"), COLUMN_UPDATED, FALSE);
  set_live (self, FALSE);
  show_selected (self);
}

GtkWidget *
bough_tasks_page_new (void)
{
  return g_object_new (BOUGH_TYPE_TASKS_PAGE, NULL);
}

/**
 * bough_tasks_page_get_tasks:
 * @self: a #BoughTasksPage
 *
 * Returns: (transfer none): every task listed (#BoughTaskItem), unfiltered
 */
GListModel *
bough_tasks_page_get_tasks (BoughTasksPage *self)
{
  g_return_val_if_fail (BOUGH_IS_TASKS_PAGE (self), NULL);
  return G_LIST_MODEL (self->tasks);
}

/**
 * bough_tasks_page_find:
 * @self: a #BoughTasksPage
 * @id: a task id
 *
 * Returns: (transfer none) (nullable): the task listed with @id
 */
BoughTaskItem *
bough_tasks_page_find (BoughTasksPage *self,
                       const char     *id)
{
  g_return_val_if_fail (BOUGH_IS_TASKS_PAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->tasks)); i++)
    {
      g_autoptr(BoughTaskItem) item = g_list_model_get_item (G_LIST_MODEL (self->tasks), i);

      if (g_strcmp0 (item->id, id) == 0)
        return item;
    }
  return NULL;
}

/**
 * bough_tasks_page_get_selected:
 * @self: a #BoughTasksPage
 *
 * Returns: (transfer none) (nullable): the task whose logs are shown
 */
BoughTaskItem *
bough_tasks_page_get_selected (BoughTasksPage *self)
{
  g_return_val_if_fail (BOUGH_IS_TASKS_PAGE (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

/**
 * bough_tasks_page_select:
 * @self: a #BoughTasksPage
 * @id: a task id
 *
 * Shows the task @id and its logs, if it is listed (the filter allowing).
 *
 * Returns: whether it is
 */
gboolean
bough_tasks_page_select (BoughTasksPage *self,
                         const char     *id)
{
  GListModel *model;

  g_return_val_if_fail (BOUGH_IS_TASKS_PAGE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  model = G_LIST_MODEL (self->selection);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BoughTaskItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (item->id, id) == 0)
        {
          if (gtk_single_selection_get_selected (self->selection) == i)
            show_selected (self);
          else
            gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * bough_tasks_page_get_updates:
 * @self: a #BoughTasksPage
 *
 * Returns: how many answers (queried or pushed) the list was built from
 */
guint
bough_tasks_page_get_updates (BoughTasksPage *self)
{
  g_return_val_if_fail (BOUGH_IS_TASKS_PAGE (self), 0);
  return self->updates;
}

/**
 * bough_tasks_page_get_live:
 * @self: a #BoughTasksPage
 *
 * Returns: whether the subscription has pushed the tasks and still runs
 */
gboolean
bough_tasks_page_get_live (BoughTasksPage *self)
{
  g_return_val_if_fail (BOUGH_IS_TASKS_PAGE (self), FALSE);
  return self->live;
}

/**
 * bough_tasks_page_get_log_list:
 * @self: a #BoughTasksPage
 *
 * Returns: (transfer none): the list box of the chosen task's logs
 */
GtkWidget *
bough_tasks_page_get_log_list (BoughTasksPage *self)
{
  g_return_val_if_fail (BOUGH_IS_TASKS_PAGE (self), NULL);
  return GTK_WIDGET (self->log_list);
}
