/* bough-branch-selector.c: BoughBranchSelector: a menu button naming the
 * window's branch; its popover lists the branches (GraphQL `Branch`),
 * switches to one, creates one (`BranchCreate`) and deletes one after a
 * confirmation (`BranchDelete`).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-branch-selector.h"
#include "bough-window.h"

struct _BoughBranchSelector
{
  AdwBin         parent_instance;

  BoughClient   *client;
  char          *branch;
  char          *default_branch;
  GPtrArray     *branches;       /* names, in the server's order */
  GCancellable  *cancellable;      /* of the listing */
  GCancellable  *ops_cancellable;  /* of creations and deletions, until disposed */
  gboolean       loading;

  GtkMenuButton *button;
  GtkPopover    *popover;
  GtkListBox    *list;
  GtkEntry      *create_entry;
  GtkButton     *create_button;
};

G_DEFINE_FINAL_TYPE (BoughBranchSelector, bough_branch_selector, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_BRANCH,
  PROP_DEFAULT_BRANCH,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char branches_query[] =
  "query { Branch { name description is_default branched_from } }";

static void
report (BoughBranchSelector *self,
        const GError        *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (BOUGH_IS_WINDOW (root))
    bough_window_report_error (BOUGH_WINDOW (root), error);
  else
    g_debug ("branch selector outside a window: %s", error->message);
}

static void
set_loading (BoughBranchSelector *self,
             gboolean             loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
update_label (BoughBranchSelector *self)
{
  const char *shown = self->branch ? self->branch : self->default_branch;
  g_autofree char *tooltip = NULL;

  gtk_menu_button_set_label (self->button, shown ? shown : _("Branch"));
  tooltip = g_strdup_printf (_("Branch: %s (Ctrl+B)"), shown ? shown : "—");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

static void delete_clicked_cb (GtkButton           *button,
                               BoughBranchSelector *self);

static void
rebuild (BoughBranchSelector *self,
         JsonArray           *branches)
{
  const char *current = self->branch ? self->branch : self->default_branch;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->branches, 0);

  for (guint i = 0; i < json_array_get_length (branches); i++)
    {
      JsonObject *branch = json_array_get_object_element (branches, i);
      const char *name = json_object_get_string_member_with_default (branch, "name", NULL);
      const char *description =
        json_object_get_string_member_with_default (branch, "description", NULL);
      gboolean is_default =
        json_object_get_boolean_member_with_default (branch, "is_default", FALSE);
      GtkWidget *row;
      GtkWidget *box;
      GtkWidget *check;
      GtkWidget *labels;
      GtkWidget *label;

      if (name == NULL)
        continue;
      g_ptr_array_add (self->branches, g_strdup (name));
      row = gtk_list_box_row_new ();
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      check = gtk_image_new_from_icon_name ("object-select-symbolic");
      gtk_widget_set_opacity (check, g_strcmp0 (name, current) == 0 ? 1.0 : 0.0);
      labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_set_hexpand (labels, TRUE);
      label = gtk_label_new (name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (labels), label);
      if (is_default || (description != NULL && description[0] != '\0'))
        {
          GtkWidget *sub = gtk_label_new (is_default ? _("Default branch") : description);

          gtk_label_set_xalign (GTK_LABEL (sub), 0);
          gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
          gtk_widget_add_css_class (sub, "caption");
          gtk_widget_add_css_class (sub, "dim-label");
          gtk_box_append (GTK_BOX (labels), sub);
        }
      gtk_box_append (GTK_BOX (box), check);
      gtk_box_append (GTK_BOX (box), labels);
      if (!is_default)
        {
          GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
          g_autofree char *tip = g_strdup_printf (_("Delete Branch “%s”"), name);

          gtk_widget_add_css_class (remove, "flat");
          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (remove, tip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          tip, -1);
          g_object_set_data_full (G_OBJECT (remove), "branch", g_strdup (name), g_free);
          g_signal_connect (remove, "clicked", G_CALLBACK (delete_clicked_cb), self);
          gtk_box_append (GTK_BOX (box), remove);
        }
      else if (g_strcmp0 (self->default_branch, name) != 0)
        {
          g_free (self->default_branch);
          self->default_branch = g_strdup (name);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_BRANCH]);
        }
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "branch", g_strdup (name), g_free);
      gtk_list_box_append (self->list, row);
    }
  update_label (self);
}

static void
branches_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BoughBranchSelector) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data =
    bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  JsonArray *branches;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_loading (self, FALSE);
  if (data == NULL)
    {
      report (self, error);
      return;
    }
  branches = json_object_get_array_member (json_node_get_object (data), "Branch");
  if (branches == NULL)
    return;
  rebuild (self, branches);
  /* The branch shown was deleted elsewhere: back to the default one. */
  if (self->branch != NULL && !g_ptr_array_find_with_equal_func (self->branches, self->branch,
                                                                 g_str_equal, NULL))
    bough_branch_selector_set_branch (self, NULL);
}

/**
 * bough_branch_selector_reload:
 * @self: a #BoughBranchSelector
 *
 * Lists the branches again.
 */
void
bough_branch_selector_reload (BoughBranchSelector *self)
{
  g_return_if_fail (BOUGH_IS_BRANCH_SELECTOR (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  bough_client_query_async (self->client, NULL, NULL, branches_query, NULL, self->cancellable,
                            branches_loaded_cb, g_object_ref (self));
}

static void
row_activated_cb (GtkListBox          *list,
                  GtkListBoxRow       *row,
                  BoughBranchSelector *self)
{
  const char *name = g_object_get_data (G_OBJECT (row), "branch");

  gtk_popover_popdown (self->popover);
  /* The default branch is the window's NULL branch. */
  bough_branch_selector_set_branch (self,
                                    g_strcmp0 (name, self->default_branch) == 0 ? NULL : name);
}

/* ---- create ---- */

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BoughBranchSelector) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data =
    bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  JsonObject *created;
  const char *name;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), TRUE);
  if (data == NULL)
    {
      set_loading (self, FALSE);
      report (self, error);
      return;
    }
  created = json_object_get_object_member (json_node_get_object (data), "BranchCreate");
  created = created ? json_object_get_object_member (created, "object") : NULL;
  name = created ? json_object_get_string_member_with_default (created, "name", NULL) : NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->create_entry), "");
  if (name != NULL)
    bough_branch_selector_set_branch (self, name);
  bough_branch_selector_reload (self);
}

/**
 * bough_branch_selector_create:
 * @self: a #BoughBranchSelector
 * @name: the new branch's name
 *
 * Creates a branch from the default one and switches to it.
 */
void
bough_branch_selector_create (BoughBranchSelector *self,
                              const char          *name)
{
  g_autoptr(JsonNode) variables = NULL;
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_if_fail (BOUGH_IS_BRANCH_SELECTOR (self));
  g_return_if_fail (name != NULL);

  if (self->client == NULL || name[0] == '\0')
    return;
  json_object_set_string_member (object, "name", name);
  variables = json_node_init_object (json_node_alloc (), object);
  set_loading (self, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
  bough_client_query_async (self->client, NULL, NULL,
                            "mutation ($name: String!) { BranchCreate(data: { name: $name }) "
                            "{ ok object { name } } }",
                            variables, self->ops_cancellable, created_cb, g_object_ref (self));
}

static void
create_activated_cb (BoughBranchSelector *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->create_entry));
  g_autofree char *name = g_strstrip (g_strdup (text));

  if (name[0] == '\0')
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->create_entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->create_entry), "error");
  bough_branch_selector_create (self, name);
}

/* ---- delete ---- */

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BoughBranchSelector) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data =
    bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data == NULL)
    {
      set_loading (self, FALSE);
      report (self, error);
      return;
    }
  bough_branch_selector_reload (self);
}

/**
 * bough_branch_selector_delete:
 * @self: a #BoughBranchSelector
 * @name: a branch that is not the default one
 *
 * Deletes the branch (without asking); if the window shows it, it shows
 * the default branch instead.
 */
void
bough_branch_selector_delete (BoughBranchSelector *self,
                              const char          *name)
{
  g_autoptr(JsonNode) variables = NULL;
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_if_fail (BOUGH_IS_BRANCH_SELECTOR (self));
  g_return_if_fail (name != NULL);

  if (self->client == NULL)
    return;
  if (g_strcmp0 (self->branch, name) == 0)
    bough_branch_selector_set_branch (self, NULL);
  json_object_set_string_member (object, "name", name);
  variables = json_node_init_object (json_node_alloc (), object);
  set_loading (self, TRUE);
  bough_client_query_async (self->client, NULL, NULL,
                            "mutation ($name: String!) { BranchDelete(data: { name: $name }) "
                            "{ ok } }",
                            variables, self->ops_cancellable, deleted_cb, g_object_ref (self));
}

static void
delete_response_cb (AdwMessageDialog    *dialog,
                    const char          *response,
                    BoughBranchSelector *self)
{
  if (g_str_equal (response, "delete"))
    bough_branch_selector_delete (self, g_object_get_data (G_OBJECT (dialog), "branch"));
}

static void
delete_clicked_cb (GtkButton           *button,
                   BoughBranchSelector *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "branch");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = g_strdup_printf (_("Delete Branch “%s”?"), name);
  GtkWidget *dialog;

  gtk_popover_popdown (self->popover);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("The branch and every change made on it are deleted. "
                                     "This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "branch", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

/* A closed window stops what it asked for; pending callbacks hold a
 * reference, so dispose would come too late. */
static void
bough_branch_selector_unroot (GtkWidget *widget)
{
  BoughBranchSelector *self = BOUGH_BRANCH_SELECTOR (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->ops_cancellable);
  g_clear_object (&self->ops_cancellable);
  self->ops_cancellable = g_cancellable_new ();
  set_loading (self, FALSE);

  GTK_WIDGET_CLASS (bough_branch_selector_parent_class)->unroot (widget);
}

static void
bough_branch_selector_dispose (GObject *object)
{
  BoughBranchSelector *self = BOUGH_BRANCH_SELECTOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->ops_cancellable);
  g_clear_object (&self->ops_cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (bough_branch_selector_parent_class)->dispose (object);
}

static void
bough_branch_selector_finalize (GObject *object)
{
  BoughBranchSelector *self = BOUGH_BRANCH_SELECTOR (object);

  g_free (self->branch);
  g_free (self->default_branch);
  g_ptr_array_unref (self->branches);

  G_OBJECT_CLASS (bough_branch_selector_parent_class)->finalize (object);
}

static void
bough_branch_selector_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BoughBranchSelector *self = BOUGH_BRANCH_SELECTOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_BRANCH:
      g_value_set_string (value, self->branch);
      break;
    case PROP_DEFAULT_BRANCH:
      g_value_set_string (value, self->default_branch);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_branch_selector_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BoughBranchSelector *self = BOUGH_BRANCH_SELECTOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bough_branch_selector_set_client (self, g_value_get_object (value));
      break;
    case PROP_BRANCH:
      bough_branch_selector_set_branch (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_branch_selector_class_init (BoughBranchSelectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bough_branch_selector_dispose;
  object_class->finalize = bough_branch_selector_finalize;
  object_class->get_property = bough_branch_selector_get_property;
  object_class->set_property = bough_branch_selector_set_property;
  GTK_WIDGET_CLASS (klass)->unroot = bough_branch_selector_unroot;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BOUGH_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BRANCH] =
    g_param_spec_string ("branch", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFAULT_BRANCH] =
    g_param_spec_string ("default-branch", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bough_branch_selector_init (BoughBranchSelector *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Branches"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *create_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->branches = g_ptr_array_new_with_free_func (g_free);
  self->ops_cancellable = g_cancellable_new ();

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));

  self->create_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->create_entry, _("New branch name"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->create_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("New branch name"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->create_entry), TRUE);
  g_signal_connect_swapped (self->create_entry, "activate", G_CALLBACK (create_activated_cb), self);
  self->create_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("C_reate")));
  gtk_widget_add_css_class (GTK_WIDGET (self->create_button), "suggested-action");
  g_signal_connect_swapped (self->create_button, "clicked", G_CALLBACK (create_activated_cb), self);
  gtk_box_append (GTK_BOX (create_box), GTK_WIDGET (self->create_entry));
  gtk_box_append (GTK_BOX (create_box), GTK_WIDGET (self->create_button));
  gtk_box_append (GTK_BOX (box), create_box);

  self->popover = GTK_POPOVER (gtk_popover_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->popover), 280, -1);
  gtk_popover_set_child (self->popover, box);
  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_popover (self->button, GTK_WIDGET (self->popover));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->button));
  update_label (self);
}

BoughClient *
bough_branch_selector_get_client (BoughBranchSelector *self)
{
  g_return_val_if_fail (BOUGH_IS_BRANCH_SELECTOR (self), NULL);

  return self->client;
}

void
bough_branch_selector_set_client (BoughBranchSelector *self,
                                  BoughClient         *client)
{
  g_return_if_fail (BOUGH_IS_BRANCH_SELECTOR (self));
  g_return_if_fail (client == NULL || BOUGH_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_clear_pointer (&self->default_branch, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_BRANCH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  update_label (self);
  bough_branch_selector_reload (self);
}

/**
 * bough_branch_selector_get_branch:
 * @self: a #BoughBranchSelector
 *
 * Returns: (nullable): the chosen branch, %NULL for the default one
 */
const char *
bough_branch_selector_get_branch (BoughBranchSelector *self)
{
  g_return_val_if_fail (BOUGH_IS_BRANCH_SELECTOR (self), NULL);

  return self->branch;
}

void
bough_branch_selector_set_branch (BoughBranchSelector *self,
                                  const char          *branch)
{
  g_return_if_fail (BOUGH_IS_BRANCH_SELECTOR (self));

  if (branch != NULL && branch[0] == '\0')
    branch = NULL;
  if (g_strcmp0 (self->branch, branch) == 0)
    return;
  g_free (self->branch);
  self->branch = g_strdup (branch);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRANCH]);
  update_label (self);
  /* Move the check mark. */
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      const char *name = g_object_get_data (G_OBJECT (row), "branch");
      const char *current = self->branch ? self->branch : self->default_branch;

      gtk_widget_set_opacity (gtk_widget_get_first_child (box),
                              g_strcmp0 (name, current) == 0 ? 1.0 : 0.0);
    }
}

/**
 * bough_branch_selector_get_default_branch:
 * @self: a #BoughBranchSelector
 *
 * Returns: (nullable): the server's default branch, once listed
 */
const char *
bough_branch_selector_get_default_branch (BoughBranchSelector *self)
{
  g_return_val_if_fail (BOUGH_IS_BRANCH_SELECTOR (self), NULL);

  return self->default_branch;
}

/**
 * bough_branch_selector_dup_branches:
 * @self: a #BoughBranchSelector
 *
 * Returns: (transfer full): the names of the branches listed
 */
GStrv
bough_branch_selector_dup_branches (BoughBranchSelector *self)
{
  GStrvBuilder *builder;
  GStrv result;

  g_return_val_if_fail (BOUGH_IS_BRANCH_SELECTOR (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->branches->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->branches, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

gboolean
bough_branch_selector_get_loading (BoughBranchSelector *self)
{
  g_return_val_if_fail (BOUGH_IS_BRANCH_SELECTOR (self), FALSE);

  return self->loading;
}

/**
 * bough_branch_selector_popup:
 * @self: a #BoughBranchSelector
 * @create: whether to go straight to the new branch's name
 *
 * Opens the branch menu.
 */
void
bough_branch_selector_popup (BoughBranchSelector *self,
                             gboolean             create)
{
  g_return_if_fail (BOUGH_IS_BRANCH_SELECTOR (self));

  gtk_menu_button_popup (self->button);
  if (create)
    gtk_widget_grab_focus (GTK_WIDGET (self->create_entry));
}
