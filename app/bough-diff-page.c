/* bough-diff-page.c: BoughDiffPage: the diff of the window's branch against
 * the default branch (DiffTreeSummary and DiffTree) as a tree of nodes
 * (children under their parent node), attributes and relationships with
 * their peers and properties, old and new values side by side; conflicts
 * with a choice of base or branch (ResolveDiffConflict); Refresh
 * (DiffUpdate), Rebase and Merge started as tasks, whose progress and
 * outcome (the server's message when it refuses) show above the tree.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-diff-page.h"
#include "bough-operations.h"
#include "bough-util.h"

/* ---- BoughDiffItem ---- */

struct _BoughDiffItem
{
  GObject            parent_instance;

  BoughDiffItemType  type;
  char              *path;
  char              *title;
  char              *subtitle;
  char              *action;
  char              *old_value;
  char              *new_value;
  char              *conflict_id;
  char              *base_value;
  char              *branch_value;
  char              *selected_branch;
  GListStore        *children;
};

G_DEFINE_FINAL_TYPE (BoughDiffItem, bough_diff_item, G_TYPE_OBJECT)

static void
bough_diff_item_finalize (GObject *object)
{
  BoughDiffItem *self = BOUGH_DIFF_ITEM (object);

  g_free (self->path);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->action);
  g_free (self->old_value);
  g_free (self->new_value);
  g_free (self->conflict_id);
  g_free (self->base_value);
  g_free (self->branch_value);
  g_free (self->selected_branch);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (bough_diff_item_parent_class)->finalize (object);
}

static void
bough_diff_item_class_init (BoughDiffItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bough_diff_item_finalize;
}

static void
bough_diff_item_init (BoughDiffItem *self)
{
}

static BoughDiffItem *
diff_item_new (BoughDiffItemType  type,
               const char        *path,
               const char        *title,
               const char        *subtitle,
               const char        *action)
{
  BoughDiffItem *self = g_object_new (BOUGH_TYPE_DIFF_ITEM, NULL);

  self->type = type;
  self->path = g_strdup (path);
  self->title = g_strdup (title);
  self->subtitle = g_strdup (subtitle);
  self->action = g_strdup (action);
  return self;
}

static void
diff_item_add_child (BoughDiffItem *self,
                     BoughDiffItem *child)
{
  if (self->children == NULL)
    self->children = g_list_store_new (BOUGH_TYPE_DIFF_ITEM);
  g_list_store_append (self->children, child);
}

BoughDiffItemType
bough_diff_item_get_item_type (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), BOUGH_DIFF_ITEM_NODE);
  return self->type;
}

const char *
bough_diff_item_get_title (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), NULL);
  return self->title;
}

const char *
bough_diff_item_get_subtitle (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), NULL);
  return self->subtitle;
}

/**
 * bough_diff_item_get_action:
 * @self: a #BoughDiffItem
 *
 * Returns: `ADDED`, `UPDATED`, `REMOVED` or `UNCHANGED`
 */
const char *
bough_diff_item_get_action (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), NULL);
  return self->action;
}

const char *
bough_diff_item_get_old_value (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), NULL);
  return self->old_value;
}

const char *
bough_diff_item_get_new_value (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), NULL);
  return self->new_value;
}

/**
 * bough_diff_item_get_conflict_id:
 * @self: a #BoughDiffItem
 *
 * Returns: (nullable): the id of the conflict on this element, if any
 */
const char *
bough_diff_item_get_conflict_id (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), NULL);
  return self->conflict_id;
}

/**
 * bough_diff_item_get_selected_branch:
 * @self: a #BoughDiffItem
 *
 * Returns: (nullable): `BASE_BRANCH` or `DIFF_BRANCH` once the conflict is
 *   resolved, %NULL while it is open
 */
const char *
bough_diff_item_get_selected_branch (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), NULL);
  return self->selected_branch;
}

/**
 * bough_diff_item_get_children:
 * @self: a #BoughDiffItem
 *
 * Returns: (transfer none) (nullable): the items under this one
 */
GListModel *
bough_diff_item_get_children (BoughDiffItem *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_ITEM (self), NULL);
  return self->children ? G_LIST_MODEL (self->children) : NULL;
}

/* ---- BoughDiffPage ---- */

struct _BoughDiffPage
{
  BoughPage                parent_instance;

  GListStore              *nodes;
  GtkTreeListModel        *tree;
  char                    *summary;
  guint                    n_conflicts;
  guint                    n_open_conflicts;

  /* The operation (merge, rebase, diff update) started here, and its task. */
  GCancellable            *op_cancellable;
  char                    *op_title;
  char                    *task_id;
  char                    *task_state;
  char                    *task_message;
  BoughClientSubscription *task_sub;
  guint                    task_poll;
  gboolean                 busy;

  GtkLabel                *summary_label;
  GtkRevealer             *task_revealer;
  GtkLabel                *task_label;
  GtkProgressBar          *task_progress;
  GtkStack                *stack;
  AdwStatusPage           *empty_page;
  GtkColumnView           *column_view;
};

G_DEFINE_FINAL_TYPE (BoughDiffPage, bough_diff_page, BOUGH_TYPE_PAGE)

#define CONFLICT_FIELDS \
  "uuid base_branch_action base_branch_value base_branch_label " \
  "diff_branch_action diff_branch_value diff_branch_label selected_branch"
#define PROPERTY_FIELDS \
  "property_type previous_value new_value previous_label new_label status " \
  "conflict { " CONFLICT_FIELDS " }"

static const char diff_query[] =
  "query BoughDiff($branch: String!) {"
  " DiffTreeSummary(branch: $branch) { num_added num_updated num_removed num_conflicts }"
  " DiffTree(branch: $branch) {"
  "  num_untracked_base_changes num_untracked_diff_changes"
  "  nodes { uuid kind label status contains_conflict"
  "   parent { uuid kind relationship_name }"
  "   conflict { " CONFLICT_FIELDS " }"
  "   attributes { name status conflict { " CONFLICT_FIELDS " }"
  "    properties { " PROPERTY_FIELDS " } }"
  "   relationships { name label cardinality status"
  "    elements { peer_id peer_label status conflict { " CONFLICT_FIELDS " }"
  "     properties { " PROPERTY_FIELDS " } } } } } }";

#define TASK_SELECTION \
  "InfrahubTask(ids: $ids, log_limit: 500) { edges { node {" \
  " id title state conclusion progress" \
  " logs { count edges { node { message severity } } } } } }"

static const char task_subscription[] =
  "subscription BoughFollowTask($ids: [String]) { " TASK_SELECTION " }";
static const char task_query[] =
  "query BoughFollowTask($ids: [String]) { " TASK_SELECTION " }";

static void update_actions (BoughDiffPage *self);

/* ---- building the tree ---- */

static guint
jint (JsonObject *object,
      const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return (guint) MAX (json_node_get_int (node), 0);
}

/* What a conflict side shows: its label, its value, or what happened. */
static char *
conflict_side (JsonObject *conflict,
               const char *prefix)
{
  g_autofree char *label_key = g_strconcat (prefix, "_label", NULL);
  g_autofree char *value_key = g_strconcat (prefix, "_value", NULL);
  g_autofree char *action_key = g_strconcat (prefix, "_action", NULL);
  const char *text = bough_jstr (conflict, label_key);

  if (text == NULL)
    text = bough_jstr (conflict, value_key);
  if (g_strcmp0 (bough_jstr (conflict, action_key), "REMOVED") == 0)
    return g_strdup (_("(removed)"));
  return g_strdup (text ? text : _("(empty)"));
}

static void
set_conflict (BoughDiffItem *item,
              JsonObject    *conflict)
{
  if (conflict == NULL || bough_jstr (conflict, "uuid") == NULL)
    return;
  g_free (item->conflict_id);
  item->conflict_id = g_strdup (bough_jstr (conflict, "uuid"));
  g_free (item->base_value);
  item->base_value = conflict_side (conflict, "base_branch");
  g_free (item->branch_value);
  item->branch_value = conflict_side (conflict, "diff_branch");
  g_free (item->selected_branch);
  item->selected_branch = g_strdup (bough_jstr (conflict, "selected_branch"));
}

static const char *
property_title (const char *type)
{
  if (g_strcmp0 (type, "HAS_VALUE") == 0)
    return _("value");
  if (g_strcmp0 (type, "IS_VISIBLE") == 0)
    return _("visible");
  if (g_strcmp0 (type, "IS_PROTECTED") == 0)
    return _("protected");
  if (g_strcmp0 (type, "HAS_OWNER") == 0)
    return _("owner");
  if (g_strcmp0 (type, "HAS_SOURCE") == 0)
    return _("source");
  if (g_strcmp0 (type, "IS_RELATED") == 0)
    return _("peer");
  return type;
}

static void
set_values_from_property (BoughDiffItem *item,
                          JsonObject    *property)
{
  const char *old_value = bough_jstr (property, "previous_label");
  const char *new_value = bough_jstr (property, "new_label");

  if (old_value == NULL)
    old_value = bough_jstr (property, "previous_value");
  if (new_value == NULL)
    new_value = bough_jstr (property, "new_value");
  g_free (item->old_value);
  item->old_value = g_strdup (old_value);
  g_free (item->new_value);
  item->new_value = g_strdup (new_value);
  set_conflict (item, bough_jobj (property, "conflict"));
}

/* Every property but @main_type becomes a child of @item. */
static void
add_properties (BoughDiffItem *item,
                JsonArray     *properties,
                const char    *main_type)
{
  for (guint i = 0; properties != NULL && i < json_array_get_length (properties); i++)
    {
      JsonObject *property = json_array_get_object_element (properties, i);
      const char *type = bough_jstr (property, "property_type");
      g_autoptr(BoughDiffItem) child = NULL;
      g_autofree char *path = NULL;

      if (property == NULL)
        continue;
      if (g_strcmp0 (type, main_type) == 0)
        {
          set_values_from_property (item, property);
          continue;
        }
      path = g_strconcat (item->path, "/", type ? type : "?", NULL);
      child = diff_item_new (BOUGH_DIFF_ITEM_PROPERTY, path, property_title (type), NULL,
                             bough_jstr (property, "status"));
      set_values_from_property (child, property);
      diff_item_add_child (item, child);
    }
}

static BoughDiffItem *
build_node (JsonObject *node)
{
  const char *uuid = bough_jstr (node, "uuid");
  const char *label = bough_jstr (node, "label");
  BoughDiffItem *item;
  JsonArray *attributes = bough_jarr (node, "attributes");
  JsonArray *relationships = bough_jarr (node, "relationships");

  if (label == NULL || label[0] == '\0')
    label = uuid;
  item = diff_item_new (BOUGH_DIFF_ITEM_NODE, uuid, label, bough_jstr (node, "kind"),
                        bough_jstr (node, "status"));
  set_conflict (item, bough_jobj (node, "conflict"));

  for (guint i = 0; attributes != NULL && i < json_array_get_length (attributes); i++)
    {
      JsonObject *attribute = json_array_get_object_element (attributes, i);
      g_autoptr(BoughDiffItem) child = NULL;
      g_autofree char *path = NULL;

      if (attribute == NULL)
        continue;
      path = g_strconcat (uuid, "/", bough_jstr (attribute, "name"), NULL);
      child = diff_item_new (BOUGH_DIFF_ITEM_ATTRIBUTE, path, bough_jstr (attribute, "name"), NULL,
                             bough_jstr (attribute, "status"));
      add_properties (child, bough_jarr (attribute, "properties"), "HAS_VALUE");
      /* A value conflict shows on its attribute. */
      set_conflict (child, bough_jobj (attribute, "conflict"));
      diff_item_add_child (item, child);
    }

  for (guint i = 0; relationships != NULL && i < json_array_get_length (relationships); i++)
    {
      JsonObject *relationship = json_array_get_object_element (relationships, i);
      JsonArray *elements = bough_jarr (relationship, "elements");
      g_autoptr(BoughDiffItem) child = NULL;
      g_autofree char *path = NULL;
      g_autofree char *cardinality = NULL;
      const char *title;

      if (relationship == NULL)
        continue;
      title = bough_jstr (relationship, "label");
      if (title == NULL)
        title = bough_jstr (relationship, "name");
      path = g_strconcat (uuid, "/", bough_jstr (relationship, "name"), NULL);
      cardinality = g_ascii_strdown (bough_jstr (relationship, "cardinality") ?: "", -1);
      child = diff_item_new (BOUGH_DIFF_ITEM_RELATIONSHIP, path, title,
                             g_str_equal (cardinality, "one") ? _("one peer") : _("many peers"),
                             bough_jstr (relationship, "status"));
      for (guint j = 0; elements != NULL && j < json_array_get_length (elements); j++)
        {
          JsonObject *element = json_array_get_object_element (elements, j);
          g_autoptr(BoughDiffItem) peer = NULL;
          g_autofree char *peer_path = NULL;
          const char *peer_title;
          const char *status;

          if (element == NULL)
            continue;
          peer_title = bough_jstr (element, "peer_label");
          if (peer_title == NULL)
            peer_title = bough_jstr (element, "peer_id");
          status = bough_jstr (element, "status");
          peer_path = g_strconcat (path, "/", bough_jstr (element, "peer_id"), NULL);
          peer = diff_item_new (BOUGH_DIFF_ITEM_PEER, peer_path, peer_title, NULL, status);
          if (g_strcmp0 (status, "ADDED") == 0)
            peer->new_value = g_strdup (peer_title);
          else if (g_strcmp0 (status, "REMOVED") == 0)
            peer->old_value = g_strdup (peer_title);
          add_properties (peer, bough_jarr (element, "properties"), NULL);
          set_conflict (peer, bough_jobj (element, "conflict"));
          diff_item_add_child (child, peer);
        }
      diff_item_add_child (item, child);
    }
  return item;
}

static void
count_conflicts (BoughDiffPage *self,
                 GListModel    *model)
{
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BoughDiffItem) item = g_list_model_get_item (model, i);

      if (item->conflict_id != NULL)
        {
          self->n_conflicts++;
          if (item->selected_branch == NULL)
            self->n_open_conflicts++;
        }
      count_conflicts (self, bough_diff_item_get_children (item));
    }
}

/* Nodes go under their parent node when the diff holds it, so that
 * interfaces group under their device. */
static void
build_tree (BoughDiffPage *self,
            JsonObject    *tree)
{
  JsonArray *nodes = bough_jarr (tree, "nodes");
  g_autoptr(GHashTable) items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       g_object_unref);
  g_autoptr(GHashTable) parents = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  g_list_store_remove_all (self->nodes);
  for (guint i = 0; nodes != NULL && i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      const char *parent_id = bough_jstr (bough_jobj (node, "parent"), "uuid");
      BoughDiffItem *item;

      if (node == NULL || bough_jstr (node, "uuid") == NULL ||
          g_hash_table_contains (items, bough_jstr (node, "uuid")))
        continue;
      item = build_node (node);
      g_hash_table_insert (items, item->path, item);
      if (parent_id != NULL)
        g_hash_table_insert (parents, item->path, (gpointer) parent_id);
      g_ptr_array_add (order, item);
    }
  for (guint i = 0; i < order->len; i++)
    {
      BoughDiffItem *item = g_ptr_array_index (order, i);
      const char *parent_id = g_hash_table_lookup (parents, item->path);
      BoughDiffItem *parent = parent_id ? g_hash_table_lookup (items, parent_id) : NULL;
      const char *up = parent_id;

      /* A chain of parents that comes back to the node would hide it. */
      for (guint steps = 0; parent != NULL && up != NULL && steps <= order->len; steps++)
        {
          if (g_str_equal (up, item->path))
            parent = NULL;
          else
            up = g_hash_table_lookup (parents, up);
        }
      if (parent != NULL)
        diff_item_add_child (parent, item);
      else
        g_list_store_append (self->nodes, item);
    }

  self->n_conflicts = 0;
  self->n_open_conflicts = 0;
  count_conflicts (self, G_LIST_MODEL (self->nodes));
}

static void
set_summary (BoughDiffPage *self,
             JsonObject    *summary,
             JsonObject    *tree)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint untracked = jint (tree, "num_untracked_base_changes") +
                    jint (tree, "num_untracked_diff_changes");

  g_string_append_printf (text, _("%u added · %u updated · %u removed"),
                          jint (summary, "num_added"), jint (summary, "num_updated"),
                          jint (summary, "num_removed"));
  if (self->n_conflicts > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "%u conflict (%u open)",
                                           "%u conflicts (%u open)", self->n_conflicts),
                              self->n_conflicts, self->n_open_conflicts);
    }
  if (untracked > 0)
    {
      g_string_append (text, " · ");
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u change since the diff was computed: refresh it",
                                           "%u changes since the diff was computed: refresh it",
                                           untracked),
                              untracked);
    }
  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_label_set_text (self->summary_label, self->summary);
}

static void
show_empty (BoughDiffPage *self,
            const char    *title,
            const char    *description)
{
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
diff_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BoughDiffPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *object;
  JsonObject *tree;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      bough_page_load_cancelled (BOUGH_PAGE (self));
      return;
    }
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
  if (data == NULL)
    {
      g_list_store_remove_all (self->nodes);
      show_empty (self, _("The Diff Could Not Be Loaded"), error->message);
      gtk_label_set_text (self->summary_label, "");
      bough_page_report_error (BOUGH_PAGE (self), error);
      update_actions (self);
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  tree = bough_jobj (object, "DiffTree");
  build_tree (self, tree);
  g_debug ("diff of %s: %u top nodes, %u conflicts (%u open)",
           bough_page_get_branch (BOUGH_PAGE (self)),
           g_list_model_get_n_items (G_LIST_MODEL (self->nodes)), self->n_conflicts,
           self->n_open_conflicts);
  set_summary (self, bough_jobj (object, "DiffTreeSummary"), tree);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->nodes)) == 0)
    show_empty (self, _("No Changes"),
                _("Nothing changed on this branch since it was created or last rebased."));
  else
    gtk_stack_set_visible_child_name (self->stack, "diff");
  update_actions (self);
}

static void
bough_diff_page_reload (BoughPage    *page,
                        GCancellable *cancellable)
{
  BoughDiffPage *self = BOUGH_DIFF_PAGE (page);
  const char *branch = bough_page_get_branch (page);
  g_autoptr(JsonObject) variables = NULL;
  g_autoptr(JsonNode) node = NULL;

  update_actions (self);
  g_debug ("reload the diff of %s", branch ? branch : "(default branch)");
  if (branch == NULL)
    {
      bough_page_set_subtitle (page, NULL);
      g_list_store_remove_all (self->nodes);
      self->n_conflicts = self->n_open_conflicts = 0;
      g_clear_pointer (&self->summary, g_free);
      gtk_label_set_text (self->summary_label, "");
      show_empty (self, _("No Branch Chosen"),
                  _("Choose a branch in the header bar to see its changes against the "
                    "default branch."));
      return;
    }
  bough_page_set_subtitle (page, branch);
  variables = json_object_new ();
  json_object_set_string_member (variables, "branch", branch);
  node = json_node_init_object (json_node_alloc (), variables);
  bough_page_set_loading (page, TRUE);
  bough_client_query_async (bough_page_get_client (page), branch, NULL, diff_query, node,
                            cancellable, diff_loaded_cb, g_object_ref (self));
}

/* ---- the task of an operation ---- */

static gboolean
task_state_is_final (const char *state)
{
  static const char * const final[] = { "COMPLETED", "FAILED", "CANCELLED", "CRASHED", NULL };

  return state != NULL && g_strv_contains (final, state);
}

static void
stop_following (BoughDiffPage *self)
{
  g_clear_handle_id (&self->task_poll, g_source_remove);
  if (self->task_sub != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->task_sub, self);
      bough_client_subscription_stop (self->task_sub);
      g_clear_object (&self->task_sub);
    }
}

static void
set_task_text (BoughDiffPage *self,
               const char    *text,
               const char    *css_class)
{
  g_free (self->task_message);
  self->task_message = g_strdup (text);
  gtk_label_set_text (self->task_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->task_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->task_label), "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->task_label), css_class);
  gtk_revealer_set_reveal_child (self->task_revealer, TRUE);
}

static void
operation_finished (BoughDiffPage *self)
{
  self->busy = FALSE;
  update_actions (self);
}

/* One answer about the task: progress, the last log line, the outcome. */
static void
update_task (BoughDiffPage *self,
             JsonObject    *task)
{
  const char *state = bough_jstr (task, "state");
  const char *title = bough_jstr (task, "title");
  JsonNode *progress = task ? json_object_get_member (task, "progress") : NULL;
  JsonArray *logs = bough_jarr (bough_jobj (task, "logs"), "edges");
  const char *last = NULL;
  const char *last_error = NULL;
  g_autofree char *text = NULL;
  BoughWindow *window;

  if (task == NULL || state == NULL || task_state_is_final (self->task_state))
    return;
  for (guint i = 0; logs != NULL && i < json_array_get_length (logs); i++)
    {
      JsonObject *log = bough_jobj (json_array_get_object_element (logs, i), "node");

      if (bough_jstr (log, "message") == NULL)
        continue;
      last = bough_jstr (log, "message");
      if (g_strcmp0 (bough_jstr (log, "severity"), "error") == 0 ||
          g_strcmp0 (bough_jstr (log, "severity"), "critical") == 0)
        last_error = last;
    }
  if (title == NULL)
    title = self->op_title;
  g_debug ("task %s: %s", self->task_id, state);
  g_free (self->task_state);
  self->task_state = g_strdup (state);

  if (progress != NULL && JSON_NODE_HOLDS_VALUE (progress))
    gtk_progress_bar_set_fraction (self->task_progress,
                                   CLAMP (json_node_get_double (progress), 0.0, 1.0));
  else if (!task_state_is_final (state))
    gtk_progress_bar_pulse (self->task_progress);

  if (!task_state_is_final (state))
    {
      text = g_strdup_printf (_("%s: %s"), title, last ? last : bough_task_state_label (state));
      set_task_text (self, text, NULL);
      return;
    }

  stop_following (self);
  /* Leave the bar's activity mode: its endless animation would starve the
   * idle that reloads the page when drawing is slow. */
  gtk_progress_bar_set_fraction (self->task_progress,
                                 gtk_progress_bar_get_fraction (self->task_progress));
  window = BOUGH_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (self), BOUGH_TYPE_WINDOW));
  if (g_str_equal (state, "COMPLETED"))
    {
      gtk_progress_bar_set_fraction (self->task_progress, 1.0);
      text = g_strdup_printf (_("%s: done"), title);
      set_task_text (self, text, "success");
    }
  else
    {
      const char *why = last_error ? last_error : last;

      text = why ? g_strdup_printf (_("%s failed: %s"), title, why)
                 : g_strdup_printf (_("%s: %s"), title, bough_task_state_label (state));
      set_task_text (self, text, "error");
    }
  /* the page's own bar says it where the operation started; a toast is
   * for a user who has moved on to another page meanwhile */
  if (window != NULL && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    bough_window_show_toast (window, text);
  operation_finished (self);
  bough_page_queue_reload (BOUGH_PAGE (self));
}

static JsonObject *
first_task (JsonNode *data)
{
  JsonObject *object = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  JsonArray *edges = bough_jarr (bough_jobj (object, "InfrahubTask"), "edges");

  if (edges == NULL || json_array_get_length (edges) == 0)
    return NULL;
  return bough_jobj (json_array_get_object_element (edges, 0), "node");
}

static JsonNode *
task_variables (BoughDiffPage *self)
{
  g_autoptr(JsonObject) variables = json_object_new ();
  JsonArray *ids = json_array_new ();

  json_array_add_string_element (ids, self->task_id);
  json_object_set_array_member (variables, "ids", ids);
  return json_node_init_object (json_node_alloc (), variables);
}

static gboolean poll_task_cb (gpointer user_data);

static void
task_polled_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BoughDiffPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->task_id == NULL)
    return;
  if (data != NULL)
    update_task (self, first_task (data));
  /* Polling goes on only when the subscription is gone. */
  if (!task_state_is_final (self->task_state) && self->busy && self->task_sub == NULL &&
      self->task_poll == 0)
    self->task_poll = g_timeout_add (700, poll_task_cb, self);
}

static gboolean
poll_task_cb (gpointer user_data)
{
  BoughDiffPage *self = user_data;
  g_autoptr(JsonNode) variables = task_variables (self);
  BoughClient *client = bough_page_get_client (BOUGH_PAGE (self));

  self->task_poll = 0;
  if (client == NULL)
    return G_SOURCE_REMOVE;
  bough_client_query_async (client, NULL, NULL, task_query, variables, self->op_cancellable,
                            task_polled_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
task_next_cb (BoughClientSubscription *sub,
              JsonNode                *payload,
              BoughDiffPage           *self)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (payload) ? json_node_get_object (payload) : NULL;
  JsonNode *data = object ? json_object_get_member (object, "data") : NULL;

  update_task (self, first_task (data));
}

/* A server without task subscriptions: ask now and then instead. */
static void
task_sub_error_cb (BoughClientSubscription *sub,
                   GError                  *error,
                   BoughDiffPage           *self)
{
  g_debug ("task subscription failed (%s): polling", error->message);
  g_signal_handlers_disconnect_by_data (sub, self);
  g_clear_object (&self->task_sub);
  if (self->task_poll == 0 && !task_state_is_final (self->task_state))
    self->task_poll = g_timeout_add (300, poll_task_cb, self);
}

static void
follow_task (BoughDiffPage *self,
             const char    *task_id)
{
  g_autoptr(JsonNode) variables = NULL;

  stop_following (self);
  g_free (self->task_id);
  self->task_id = g_strdup (task_id);
  g_free (self->task_state);
  self->task_state = g_strdup ("SCHEDULED");
  update_actions (self);
  variables = task_variables (self);
  self->task_sub = bough_client_subscribe (bough_page_get_client (BOUGH_PAGE (self)), NULL,
                                           task_subscription, variables);
  g_signal_connect (self->task_sub, "next", G_CALLBACK (task_next_cb), self);
  g_signal_connect (self->task_sub, "error", G_CALLBACK (task_sub_error_cb), self);
  /* Also ask once: a task that ended before the subscription started. */
  self->task_poll = g_timeout_add (300, poll_task_cb, self);
}

static void
operation_started_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BoughDiffPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *object;
  const char *task_id = NULL;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s failed: %s"), self->op_title, error->message);

      g_free (self->task_state);
      self->task_state = g_strdup ("FAILED");
      set_task_text (self, text, "error");
      bough_page_report_error (BOUGH_PAGE (self), error);
      operation_finished (self);
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  if (object != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_OBJECT (value))
          task_id = bough_jstr (bough_jobj (json_node_get_object (value), "task"), "id");
    }
  if (task_id == NULL)
    {
      /* Done before the answer (a server without tasks). */
      g_autofree char *text = g_strdup_printf (_("%s: done"), self->op_title);

      g_free (self->task_state);
      self->task_state = g_strdup ("COMPLETED");
      set_task_text (self, text, "success");
      operation_finished (self);
      bough_page_queue_reload (BOUGH_PAGE (self));
      return;
    }
  follow_task (self, task_id);
}

static void
start_operation (BoughDiffPage *self,
                 const char    *mutation,
                 const char    *title)
{
  const char *branch = bough_page_get_branch (BOUGH_PAGE (self));
  BoughClient *client = bough_page_get_client (BOUGH_PAGE (self));
  g_autoptr(JsonObject) variables = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (client == NULL || branch == NULL || self->busy)
    return;
  stop_following (self);
  g_cancellable_cancel (self->op_cancellable);
  g_clear_object (&self->op_cancellable);
  self->op_cancellable = g_cancellable_new ();
  g_clear_pointer (&self->task_id, g_free);
  g_free (self->task_state);
  self->task_state = g_strdup ("SCHEDULED");
  g_free (self->op_title);
  self->op_title = g_strdup (title);
  self->busy = TRUE;
  update_actions (self);

  text = g_strdup_printf (_("%s: starting…"), title);
  set_task_text (self, text, NULL);
  gtk_progress_bar_set_fraction (self->task_progress, 0.0);

  variables = json_object_new ();
  json_object_set_string_member (variables, "branch", branch);
  node = json_node_init_object (json_node_alloc (), variables);
  bough_client_query_async (client, NULL, NULL, mutation, node, self->op_cancellable,
                            operation_started_cb, g_object_ref (self));
}

static void
update_actions (BoughDiffPage *self)
{
  gboolean can = bough_page_get_client (BOUGH_PAGE (self)) != NULL &&
                 bough_page_get_branch (BOUGH_PAGE (self)) != NULL &&
                 bough_page_get_at (BOUGH_PAGE (self)) == NULL && !self->busy;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.refresh", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.merge", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.rebase", can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diff.show-task", self->task_id != NULL);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  start_operation (BOUGH_DIFF_PAGE (widget),
                   "mutation BoughDiffUpdate($branch: String!) {"
                   " DiffUpdate(data: {branch: $branch}, wait_until_completion: false)"
                   " { ok task { id } } }",
                   _("Refresh the diff"));
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_autofree char *title = g_strdup_printf (_("Merge of %s"),
                                            bough_page_get_branch (BOUGH_PAGE (widget)));

  start_operation (BOUGH_DIFF_PAGE (widget),
                   "mutation BoughMerge($branch: String!) {"
                   " BranchMerge(data: {name: $branch}, wait_until_completion: false)"
                   " { ok task { id } } }",
                   title);
}

static void
rebase_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_autofree char *title = g_strdup_printf (_("Rebase of %s"),
                                            bough_page_get_branch (BOUGH_PAGE (widget)));

  start_operation (BOUGH_DIFF_PAGE (widget),
                   "mutation BoughRebase($branch: String!) {"
                   " BranchRebase(data: {name: $branch}, wait_until_completion: false)"
                   " { ok task { id } } }",
                   title);
}

static void
show_task_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BoughDiffPage *self = BOUGH_DIFF_PAGE (widget);

  if (self->task_id != NULL)
    gtk_widget_activate_action (widget, "win.navigate", "(ss)", "tasks", self->task_id);
}

static void
dismiss_task_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_revealer_set_reveal_child (BOUGH_DIFF_PAGE (widget)->task_revealer, FALSE);
}

/* ---- conflicts ---- */

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BoughDiffPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  g_debug ("conflict resolved: %s", error ? error->message : "ok");
  if (data == NULL)
    bough_page_report_error (BOUGH_PAGE (self), error);
  bough_page_queue_reload (BOUGH_PAGE (self));
}

/**
 * bough_diff_page_resolve:
 * @self: a #BoughDiffPage
 * @conflict_id: a conflict of the diff shown
 * @selected_branch: `BASE_BRANCH` (keep the default branch's change) or
 *   `DIFF_BRANCH` (keep the branch's)
 *
 * Resolves the conflict on the server, then loads the diff again.
 */
void
bough_diff_page_resolve (BoughDiffPage *self,
                         const char    *conflict_id,
                         const char    *selected_branch)
{
  g_autoptr(JsonObject) variables = NULL;
  g_autoptr(JsonNode) node = NULL;
  BoughClient *client;

  g_return_if_fail (BOUGH_IS_DIFF_PAGE (self));
  g_return_if_fail (conflict_id != NULL);
  g_return_if_fail (g_strcmp0 (selected_branch, "BASE_BRANCH") == 0 ||
                    g_strcmp0 (selected_branch, "DIFF_BRANCH") == 0);

  client = bough_page_get_client (BOUGH_PAGE (self));
  if (client == NULL)
    return;
  variables = json_object_new ();
  json_object_set_string_member (variables, "id", conflict_id);
  json_object_set_string_member (variables, "selected", selected_branch);
  node = json_node_init_object (json_node_alloc (), variables);
  bough_client_query_async (client, bough_page_get_branch (BOUGH_PAGE (self)), NULL,
                            "mutation BoughResolve($id: String!, $selected: ConflictSelection!) {"
                            " ResolveDiffConflict(data: {conflict_id: $id,"
                            " selected_branch: $selected})"
                            " { ok } }",
                            node, self->op_cancellable, resolved_cb, g_object_ref (self));
}

/* ---- the column view ---- */

static BoughDiffItem *
list_item_get_diff_item (GtkListItem *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);

  return row ? gtk_tree_list_row_get_item (row) : NULL;
}

static const char *
action_icon (const char *action)
{
  if (g_strcmp0 (action, "ADDED") == 0)
    return "list-add-symbolic";
  if (g_strcmp0 (action, "REMOVED") == 0)
    return "list-remove-symbolic";
  if (g_strcmp0 (action, "UPDATED") == 0)
    return "document-edit-symbolic";
  return "view-more-horizontal-symbolic";
}

static const char *
action_tooltip (const char *action)
{
  if (g_strcmp0 (action, "ADDED") == 0)
    return _("Added on the branch");
  if (g_strcmp0 (action, "REMOVED") == 0)
    return _("Removed on the branch");
  if (g_strcmp0 (action, "UPDATED") == 0)
    return _("Updated on the branch");
  return _("Unchanged (holds changes)");
}

static void
setup_change_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), gtk_image_new ());
  gtk_box_append (GTK_BOX (box), labels);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_change_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *labels = gtk_widget_get_next_sibling (icon);
  GtkWidget *title = gtk_widget_get_first_child (labels);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autoptr(BoughDiffItem) item = list_item_get_diff_item (list_item);
  static const char * const classes[] = { "success", "error", "warning", "accent", NULL };
  const char *css = NULL;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander),
                                  gtk_list_item_get_item (list_item));
  if (item == NULL)
    return;
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), action_icon (item->action));
  gtk_widget_set_tooltip_text (icon, action_tooltip (item->action));
  for (guint i = 0; classes[i] != NULL; i++)
    gtk_widget_remove_css_class (icon, classes[i]);
  if (g_strcmp0 (item->action, "ADDED") == 0)
    css = "success";
  else if (g_strcmp0 (item->action, "REMOVED") == 0)
    css = "error";
  else if (g_strcmp0 (item->action, "UPDATED") == 0)
    css = "accent";
  if (css != NULL)
    gtk_widget_add_css_class (icon, css);
  gtk_label_set_text (GTK_LABEL (title), item->title ? item->title : "");
  gtk_label_set_text (GTK_LABEL (subtitle), item->subtitle ? item->subtitle : "");
  gtk_widget_set_visible (subtitle, item->subtitle != NULL);
  if (item->conflict_id != NULL && item->selected_branch == NULL)
    gtk_widget_add_css_class (title, "error");
  else
    gtk_widget_remove_css_class (title, "error");
}

static void
setup_value_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_old_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item)
{
  g_autoptr(BoughDiffItem) item = list_item_get_diff_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  gtk_label_set_text (GTK_LABEL (label), item && item->old_value ? item->old_value : "");
}

static void
bind_new_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item)
{
  g_autoptr(BoughDiffItem) item = list_item_get_diff_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  gtk_label_set_text (GTK_LABEL (label), item && item->new_value ? item->new_value : "");
}

static void
choice_clicked_cb (GtkButton     *button,
                   BoughDiffPage *self)
{
  const char *conflict_id = g_object_get_data (G_OBJECT (button), "conflict-id");
  const char *selected = g_object_get_data (G_OBJECT (button), "selected");

  g_debug ("keep %s for conflict %s", selected, conflict_id);
  if (conflict_id != NULL && selected != NULL)
    bough_diff_page_resolve (self, conflict_id, selected);
}

static void
setup_conflict_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   BoughDiffPage            *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *base = gtk_toggle_button_new_with_label (_("Keep Base"));
  GtkWidget *branch = gtk_toggle_button_new_with_label (_("Keep Branch"));

  gtk_widget_add_css_class (choices, "linked");
  gtk_widget_set_valign (choices, GTK_ALIGN_CENTER);
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (branch), GTK_TOGGLE_BUTTON (base));
  g_object_set_data (G_OBJECT (base), "selected", (gpointer) "BASE_BRANCH");
  g_object_set_data (G_OBJECT (branch), "selected", (gpointer) "DIFF_BRANCH");
  gtk_widget_set_name (base, "keep-base");
  gtk_widget_set_name (branch, "keep-branch");
  g_signal_connect (base, "clicked", G_CALLBACK (choice_clicked_cb), self);
  g_signal_connect (branch, "clicked", G_CALLBACK (choice_clicked_cb), self);
  gtk_box_append (GTK_BOX (choices), base);
  gtk_box_append (GTK_BOX (choices), branch);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), choices);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_conflict_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item)
{
  g_autoptr(BoughDiffItem) item = list_item_get_diff_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  GtkWidget *choices = gtk_widget_get_next_sibling (label);
  GtkWidget *base = gtk_widget_get_first_child (choices);
  GtkWidget *branch = gtk_widget_get_next_sibling (base);
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (box, "bough-conflict");
  gtk_widget_remove_css_class (box, "bough-conflict-resolved");
  if (item == NULL || item->conflict_id == NULL)
    {
      gtk_widget_set_visible (box, FALSE);
      return;
    }
  gtk_widget_set_visible (box, TRUE);
  text = g_strdup_printf (_("Base: %s\nBranch: %s"), item->base_value, item->branch_value);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_add_css_class (box, item->selected_branch ? "bough-conflict-resolved"
                                                       : "bough-conflict");
  g_object_set_data_full (G_OBJECT (base), "conflict-id", g_strdup (item->conflict_id), g_free);
  g_object_set_data_full (G_OBJECT (branch), "conflict-id", g_strdup (item->conflict_id), g_free);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (base),
                                g_strcmp0 (item->selected_branch, "BASE_BRANCH") == 0);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (branch),
                                g_strcmp0 (item->selected_branch, "DIFF_BRANCH") == 0);
  if (item->selected_branch == NULL)
    {
      /* A group keeps one button active once one was: none is, now. */
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (base), FALSE);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (branch), FALSE);
    }
}

static void
add_column (BoughDiffPage *self,
            const char    *title,
            GCallback      setup,
            GCallback      bind,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, self);
  g_signal_connect (factory, "bind", bind, self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  GListModel *children = bough_diff_item_get_children (BOUGH_DIFF_ITEM (item));

  return children ? g_object_ref (children) : NULL;
}

/* ---- GObject ---- */

static void
bough_diff_page_dispose (GObject *object)
{
  BoughDiffPage *self = BOUGH_DIFF_PAGE (object);

  stop_following (self);
  if (self->op_cancellable != NULL)
    g_cancellable_cancel (self->op_cancellable);
  g_clear_object (&self->op_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_DIFF_PAGE);
  g_clear_object (&self->tree);
  g_clear_object (&self->nodes);

  G_OBJECT_CLASS (bough_diff_page_parent_class)->dispose (object);
}

static void
bough_diff_page_finalize (GObject *object)
{
  BoughDiffPage *self = BOUGH_DIFF_PAGE (object);

  g_free (self->summary);
  g_free (self->op_title);
  g_free (self->task_id);
  g_free (self->task_state);
  g_free (self->task_message);

  G_OBJECT_CLASS (bough_diff_page_parent_class)->finalize (object);
}

static void
state_changed_cb (BoughDiffPage *self)
{
  update_actions (self);
}

static void
bough_diff_page_class_init (BoughDiffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BoughPageClass *page_class = BOUGH_PAGE_CLASS (klass);

  object_class->dispose = bough_diff_page_dispose;
  object_class->finalize = bough_diff_page_finalize;
  page_class->reload = bough_diff_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bough/Bough/bough-diff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughDiffPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BoughDiffPage, task_revealer);
  gtk_widget_class_bind_template_child (widget_class, BoughDiffPage, task_label);
  gtk_widget_class_bind_template_child (widget_class, BoughDiffPage, task_progress);
  gtk_widget_class_bind_template_child (widget_class, BoughDiffPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BoughDiffPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BoughDiffPage, column_view);

  gtk_widget_class_install_action (widget_class, "diff.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "diff.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "diff.rebase", NULL, rebase_action);
  gtk_widget_class_install_action (widget_class, "diff.show-task", NULL, show_task_action);
  gtk_widget_class_install_action (widget_class, "diff.dismiss-task", NULL, dismiss_task_action);
}

static void
bough_diff_page_init (BoughDiffPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  bough_page_set_title (BOUGH_PAGE (self), _("Branch Diff"));
  bough_page_set_icon_name (BOUGH_PAGE (self), "media-playlist-consecutive-symbolic");

  self->op_cancellable = g_cancellable_new ();
  self->nodes = g_list_store_new (BOUGH_TYPE_DIFF_ITEM);
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (g_object_ref (self->nodes)), FALSE, TRUE,
                                        create_children_cb, NULL, NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->tree)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  add_column (self, _("Change"), G_CALLBACK (setup_change_cb), G_CALLBACK (bind_change_cb), TRUE);
  add_column (self, _("Before"), G_CALLBACK (setup_value_cb), G_CALLBACK (bind_old_cb), TRUE);
  add_column (self, _("After"), G_CALLBACK (setup_value_cb), G_CALLBACK (bind_new_cb), TRUE);
  add_column (self, _("Conflict"), G_CALLBACK (setup_conflict_cb), G_CALLBACK (bind_conflict_cb),
              TRUE);
  g_signal_connect (self, "notify::branch", G_CALLBACK (state_changed_cb), NULL);
  g_signal_connect (self, "notify::at", G_CALLBACK (state_changed_cb), NULL);
  g_signal_connect (self, "notify::client", G_CALLBACK (state_changed_cb), NULL);
  update_actions (self);
}

GtkWidget *
bough_diff_page_new (void)
{
  return g_object_new (BOUGH_TYPE_DIFF_PAGE, NULL);
}

/**
 * bough_diff_page_get_nodes:
 * @self: a #BoughDiffPage
 *
 * Returns: (transfer none): the top nodes of the tree (#BoughDiffItem)
 */
GListModel *
bough_diff_page_get_nodes (BoughDiffPage *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_PAGE (self), NULL);
  return G_LIST_MODEL (self->nodes);
}

static BoughDiffItem *
find_in (GListModel *model,
         const char *path)
{
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BoughDiffItem) item = g_list_model_get_item (model, i);
      BoughDiffItem *found;

      if (g_strcmp0 (item->path, path) == 0)
        return item;
      found = find_in (bough_diff_item_get_children (item), path);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * bough_diff_page_find:
 * @self: a #BoughDiffPage
 * @path: `<node id>`, `<node id>/<attribute or relationship>`,
 *   `<node id>/<relationship>/<peer id>`, or any of them followed by
 *   `/<property type>`
 *
 * Returns: (transfer none) (nullable): the item of the tree at @path
 */
BoughDiffItem *
bough_diff_page_find (BoughDiffPage *self,
                      const char    *path)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_PAGE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);
  return find_in (G_LIST_MODEL (self->nodes), path);
}

guint
bough_diff_page_get_n_conflicts (BoughDiffPage *self,
                                 gboolean       unresolved_only)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_PAGE (self), 0);
  return unresolved_only ? self->n_open_conflicts : self->n_conflicts;
}

const char *
bough_diff_page_get_summary (BoughDiffPage *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_PAGE (self), NULL);
  return self->summary;
}

/**
 * bough_diff_page_get_task_id:
 * @self: a #BoughDiffPage
 *
 * Returns: (nullable): the task of the last merge, rebase or refresh
 */
const char *
bough_diff_page_get_task_id (BoughDiffPage *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_PAGE (self), NULL);
  return self->task_id;
}

const char *
bough_diff_page_get_task_state (BoughDiffPage *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_PAGE (self), NULL);
  return self->task_state;
}

/**
 * bough_diff_page_get_task_message:
 * @self: a #BoughDiffPage
 *
 * Returns: (nullable): what the page says about the last operation
 */
const char *
bough_diff_page_get_task_message (BoughDiffPage *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_PAGE (self), NULL);
  return self->task_message;
}

gboolean
bough_diff_page_get_busy (BoughDiffPage *self)
{
  g_return_val_if_fail (BOUGH_IS_DIFF_PAGE (self), FALSE);
  return self->busy;
}
