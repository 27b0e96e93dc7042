/* bough-object-page.c: BoughObjectPage: one object, asked for with its
 * properties and peers in one query; rows are named (`attribute-<name>`,
 * `relationship-<name>`, `peer-<id>`) so that tests find them.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bough-error.h"
#include "bough-object-form.h"
#include "bough-object-page.h"
#include "bough-object-query.h"
#include "bough-objects-private.h"
#include "bough-window.h"

struct _BoughObjectPage
{
  BoughPage        parent_instance;

  char            *kind;
  char            *id;
  BoughSchema     *schema;
  BoughNodeSchema *ns;
  JsonObject      *node;          /* the object as last fetched */
  JsonObject      *edge;          /* its edge, with node_metadata */
  gboolean         no_metadata;   /* the server refused node_metadata once */
  GCancellable    *delete_cancellable;

  GtkStack        *stack;
  AdwStatusPage   *status_page;
  GtkLabel        *title_label;
  GtkLabel        *subtitle_label;
  GtkBox          *groups_box;
};

G_DEFINE_FINAL_TYPE (BoughObjectPage, bough_object_page, BOUGH_TYPE_PAGE)

/**
 * bough_object_page_argument:
 * @kind: the object's kind
 * @id: its id
 *
 * The argument of `win.navigate` that shows an object: `<kind>/<id>`.
 *
 * Returns: (transfer full): the argument
 */
char *
bough_object_page_argument (const char *kind,
                            const char *id)
{
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_strconcat (kind, "/", id, NULL);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static const char *
lineage_label (JsonObject *object,
               const char *member)
{
  JsonObject *who = get_object (object, member);
  const char *label = get_string (who, "display_label");

  return label != NULL ? label : get_string (who, "id");
}

static void
clear_groups (BoughObjectPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))) != NULL)
    gtk_box_remove (self->groups_box, child);
}

static GtkWidget *
text_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle != NULL ? subtitle : "");
  return row;
}

static void
add_property_row (GtkWidget  *expander,
                  const char *title,
                  const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), text_row (title, value));
}

static const char *
yes_no (JsonObject *object,
        const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return NULL;
  return json_node_get_boolean (node) ? _("Yes") : _("No");
}

static GtkWidget *
attribute_row (BoughObjectPage      *self,
               BoughAttributeSchema *attr)
{
  JsonObject *value = get_object (self->node, attr->name);
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *text = bough_object_cell_text (self->ns, self->node, attr->name);
  g_autofree char *name = g_strconcat ("attribute-", attr->name, NULL);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 attr->label != NULL ? attr->label : attr->name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), text[0] != '\0' ? text : "—");
  if (value != NULL)
    {
      JsonNode *protected = json_object_get_member (value, "is_protected");

      if (protected != NULL && JSON_NODE_HOLDS_VALUE (protected) &&
          json_node_get_boolean (protected))
        {
          GtkWidget *lock = gtk_image_new_from_icon_name ("changes-prevent-symbolic");

          gtk_widget_set_tooltip_text (lock, _("Protected: only its owner may change it"));
          adw_expander_row_add_action (ADW_EXPANDER_ROW (row), lock);
        }
      add_property_row (row, _("Source"), lineage_label (value, "source"));
      add_property_row (row, _("Owner"), lineage_label (value, "owner"));
      add_property_row (row, _("Updated"), get_string (value, "updated_at"));
      add_property_row (row, _("Updated by"), lineage_label (value, "updated_by"));
      add_property_row (row, _("Protected"), yes_no (value, "is_protected"));
      add_property_row (row, _("Visible"), yes_no (value, "is_visible"));
      add_property_row (row, _("Default value"), yes_no (value, "is_default"));
      add_property_row (row, _("From a profile"), yes_no (value, "is_from_profile"));
      add_property_row (row, _("Inherited"), yes_no (value, "is_inherited"));
    }
  return row;
}

static void
append_property (GString    *text,
                 const char *title,
                 const char *value)
{
  if (value != NULL)
    g_string_append_printf (text, "\n%s: %s", title, value);
}

/* A row opening @peer's page. */
static GtkWidget *
peer_row (const char *title,
          JsonObject *peer,
          JsonObject *properties)
{
  const char *id = get_string (peer, "id");
  const char *kind = get_string (peer, "__typename");
  const char *label = get_string (peer, "display_label");
  GtkWidget *row = text_row (title, label != NULL ? label : id);
  g_autofree char *name = g_strconcat ("peer-", id ? id : "", NULL);
  g_autoptr(GString) tooltip = g_string_new (kind);

  gtk_widget_set_name (row, name);
  if (id != NULL && kind != NULL)
    {
      g_autofree char *argument = bough_object_page_argument (kind, id);

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.navigate");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "(ss)", "object", argument);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
    }
  if (properties != NULL)
    {
      append_property (tooltip, _("Protected"), yes_no (properties, "is_protected"));
      append_property (tooltip, _("Source"), lineage_label (properties, "source"));
      append_property (tooltip, _("Owner"), lineage_label (properties, "owner"));
      append_property (tooltip, _("Updated"), get_string (properties, "updated_at"));
    }
  gtk_widget_set_tooltip_text (row, tooltip->str);
  return row;
}

static GtkWidget *
relationship_row (BoughObjectPage         *self,
                  BoughRelationshipSchema *rel)
{
  const char *title = rel->label != NULL ? rel->label : rel->name;
  JsonObject *value = get_object (self->node, rel->name);
  g_autofree char *name = g_strconcat ("relationship-", rel->name, NULL);
  GtkWidget *row;

  if (rel->cardinality == BOUGH_CARDINALITY_ONE)
    {
      JsonObject *peer = get_object (value, "node");

      if (peer == NULL)
        row = text_row (title, "—");
      else
        row = peer_row (title, peer, get_object (value, "properties"));
    }
  else
    {
      JsonNode *edges = value ? json_object_get_member (value, "edges") : NULL;
      gint64 count = value && json_object_has_member (value, "count") ?
                     json_object_get_int_member (value, "count") : 0;
      guint shown = (guint) CLAMP (count, 0, G_MAXUINT);
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u peer",
                                                                "%u peers", shown), shown);

      row = adw_expander_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), count > 0 && count <= 10);
      if (edges != NULL && JSON_NODE_HOLDS_ARRAY (edges))
        {
          JsonArray *array = json_node_get_array (edges);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonObject *edge = json_array_get_object_element (array, i);
              JsonObject *peer = get_object (edge, "node");

              if (peer != NULL)
                adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                          peer_row (get_string (peer, "__typename"), peer,
                                                    get_object (edge, "properties")));
            }
          if (shown > json_array_get_length (array))
            {
              /* the page asks for the first peers only */
              guint more = shown - json_array_get_length (array);
              g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                    "and %u more",
                                                                    "and %u more", more),
                                                       more);

              adw_expander_row_add_row (ADW_EXPANDER_ROW (row), text_row (text, NULL));
            }
        }
    }
  gtk_widget_set_name (row, name);
  return row;
}

static void
show_object (BoughObjectPage *self)
{
  GtkWidget *attributes = adw_preferences_group_new ();
  GtkWidget *relationships = NULL;
  GtkWidget *metadata = adw_preferences_group_new ();
  JsonObject *meta = get_object (self->edge, "node_metadata");
  const char *label = get_string (self->node, "display_label");
  g_autofree char *subtitle = NULL;

  clear_groups (self);
  gtk_label_set_text (self->title_label, label != NULL ? label : self->id);
  subtitle = g_strdup_printf ("%s · %s", self->ns->label ? self->ns->label : self->ns->kind,
                              self->id);
  gtk_label_set_text (self->subtitle_label, subtitle);
  bough_page_set_title (BOUGH_PAGE (self), label != NULL ? label : self->id);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (attributes), _("Attributes"));
  for (guint i = 0; i < self->ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (self->ns->attributes, i);

      if (bough_object_attribute_is_listed (attr))
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (attributes), attribute_row (self, attr));
    }
  gtk_box_append (self->groups_box, attributes);

  for (guint i = 0; i < self->ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (self->ns->relationships, i);

      if (!bough_object_relationship_is_shown (rel))
        continue;
      if (relationships == NULL)
        {
          relationships = adw_preferences_group_new ();
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (relationships),
                                           _("Relationships"));
          gtk_box_append (self->groups_box, relationships);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (relationships),
                                 relationship_row (self, rel));
    }

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (metadata), _("Metadata"));
  gtk_widget_set_name (metadata, "metadata");
  gtk_widget_set_visible (metadata, meta != NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (metadata),
                             text_row (_("Created"), get_string (meta, "created_at")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (metadata),
                             text_row (_("Created by"), lineage_label (meta, "created_by")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (metadata),
                             text_row (_("Updated"), get_string (meta, "updated_at")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (metadata),
                             text_row (_("Updated by"), lineage_label (meta, "updated_by")));
  gtk_box_append (self->groups_box, metadata);

  gtk_stack_set_visible_child_name (self->stack, "detail");
}

static void
show_status (BoughObjectPage *self,
             const char      *icon_name,
             const char      *title,
             const char      *description)
{
  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->stack, "status");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "object.edit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "object.delete", FALSE);
}

static void
detail_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BoughObjectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *list = NULL;
  JsonArray *edges = NULL;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data == NULL && !self->no_metadata &&
      g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_INVALID) &&
      (strstr (error->message, "node_metadata") != NULL ||
       strstr (error->message, "updated_by") != NULL))
    {
      g_autofree char *query = bough_object_query_detail_full (self->ns, self->id, FALSE);

      /* a server older than these fields: ask again without them */
      self->no_metadata = TRUE;
      bough_client_query_async (BOUGH_CLIENT (source), bough_page_get_branch (BOUGH_PAGE (self)),
                                bough_page_get_at (BOUGH_PAGE (self)), query, NULL,
                                bough_page_get_cancellable (BOUGH_PAGE (self)),
                                detail_fetched_cb, g_object_ref (self));
      return;
    }
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
  if (data == NULL)
    {
      show_status (self, "dialog-error-symbolic", _("The Object Could Not Be Loaded"),
                   error->message);
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (data))
    list = get_object (json_node_get_object (data), self->ns->kind);
  if (list != NULL && json_object_has_member (list, "edges"))
    edges = json_object_get_array_member (list, "edges");
  if (edges == NULL || json_array_get_length (edges) == 0)
    {
      show_status (self, "edit-find-symbolic", _("No Such Object"),
                   _("It does not exist on this branch at this time, or it was deleted."));
      return;
    }
  g_clear_pointer (&self->edge, json_object_unref);
  g_clear_pointer (&self->node, json_object_unref);
  self->edge = json_object_ref (json_array_get_object_element (edges, 0));
  self->node = json_object_ref (get_object (self->edge, "node"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "object.edit",
                                 bough_page_get_at (BOUGH_PAGE (self)) == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "object.delete",
                                 bough_page_get_at (BOUGH_PAGE (self)) == NULL);
  show_object (self);
}

static void
schema_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BoughObjectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autofree char *query = NULL;

  schema = bough_client_fetch_schema_finish (BOUGH_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (schema == NULL)
    {
      bough_page_set_loading (BOUGH_PAGE (self), FALSE);
      show_status (self, "dialog-error-symbolic", _("The Schema Could Not Be Loaded"),
                   error->message);
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  g_clear_pointer (&self->schema, bough_schema_unref);
  self->schema = g_steal_pointer (&schema);
  self->ns = bough_schema_lookup (self->schema, self->kind);
  if (self->ns == NULL)
    {
      bough_page_set_loading (BOUGH_PAGE (self), FALSE);
      show_status (self, "dialog-question-symbolic", _("Unknown Kind"), self->kind);
      return;
    }
  query = bough_object_query_detail_full (self->ns, self->id, !self->no_metadata);
  bough_client_query_async (BOUGH_CLIENT (source), bough_page_get_branch (BOUGH_PAGE (self)),
                            bough_page_get_at (BOUGH_PAGE (self)), query, NULL,
                            bough_page_get_cancellable (BOUGH_PAGE (self)),
                            detail_fetched_cb, g_object_ref (self));
}

static void
bough_object_page_reload (BoughPage    *page,
                          GCancellable *cancellable)
{
  BoughObjectPage *self = BOUGH_OBJECT_PAGE (page);

  if (self->kind == NULL || self->id == NULL)
    {
      show_status (self, "text-x-generic-symbolic", _("No Object"), NULL);
      return;
    }
  bough_page_set_loading (page, TRUE);
  bough_client_fetch_schema_async (bough_page_get_client (page), bough_page_get_branch (page),
                                   bough_page_get_at (page), cancellable, schema_fetched_cb,
                                   g_object_ref (page));
}

static void
bough_object_page_navigate (BoughPage  *page,
                            const char *argument)
{
  BoughObjectPage *self = BOUGH_OBJECT_PAGE (page);
  const char *slash;

  if (argument == NULL || (slash = strchr (argument, '/')) == NULL)
    return;
  g_free (self->kind);
  g_free (self->id);
  self->kind = g_strndup (argument, slash - argument);
  self->id = g_strdup (slash + 1);
  bough_page_set_title (page, self->id);
  bough_page_queue_reload (page);
}

/* ---- edit and delete ---- */

static void
form_saved_cb (BoughObjectForm *form,
               const char      *kind,
               const char      *id,
               BoughObjectPage *self)
{
  bough_page_queue_reload (BOUGH_PAGE (self));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BoughObjectPage *self = BOUGH_OBJECT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  BoughObjectForm *form;

  if (self->node == NULL || self->ns == NULL)
    return;
  form = bough_object_form_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                bough_page_get_client (BOUGH_PAGE (self)),
                                bough_page_get_branch (BOUGH_PAGE (self)),
                                self->schema, self->ns->kind, self->node);
  g_signal_connect_object (form, "saved", G_CALLBACK (form_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (form));
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BoughObjectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  GtkRoot *root;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
  if (data == NULL)
    {
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (BOUGH_IS_WINDOW (root))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” was deleted"),
                                                  gtk_label_get_text (self->title_label));

      bough_window_show_toast (BOUGH_WINDOW (root), message);
    }
  show_status (self, "user-trash-symbolic", _("Deleted"), NULL);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.navigate", "(ss)", "objects", self->kind);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BoughObjectPage  *self)
{
  g_autofree char *mutation = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) variables = NULL;

  if (!g_str_equal (response, "delete") || self->ns == NULL || self->id == NULL)
    return;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  variables = json_builder_get_root (builder);
  mutation = bough_object_mutation (self->ns, "Delete");
  g_cancellable_cancel (self->delete_cancellable);
  g_clear_object (&self->delete_cancellable);
  self->delete_cancellable = g_cancellable_new ();
  bough_page_set_loading (BOUGH_PAGE (self), TRUE);
  bough_client_query_async (bough_page_get_client (BOUGH_PAGE (self)),
                            bough_page_get_branch (BOUGH_PAGE (self)), NULL, mutation, variables,
                            self->delete_cancellable, deleted_cb, g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BoughObjectPage *self = BOUGH_OBJECT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (self->node == NULL)
    return;
  heading = g_strdup_printf (_("Delete “%s”?"), gtk_label_get_text (self->title_label));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("The object and its links to other objects are removed "
                                     "from this branch. Its history is kept."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_kind_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BoughObjectPage *self = BOUGH_OBJECT_PAGE (widget);

  if (self->kind != NULL)
    gtk_widget_activate_action (widget, "win.navigate", "(ss)", "objects", self->kind);
}

/* ---- GObject ---- */

static void
bough_object_page_dispose (GObject *object)
{
  BoughObjectPage *self = BOUGH_OBJECT_PAGE (object);

  if (self->delete_cancellable != NULL)
    g_cancellable_cancel (self->delete_cancellable);
  g_clear_object (&self->delete_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_OBJECT_PAGE);
  g_clear_pointer (&self->schema, bough_schema_unref);
  g_clear_pointer (&self->node, json_object_unref);
  g_clear_pointer (&self->edge, json_object_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->id, g_free);

  G_OBJECT_CLASS (bough_object_page_parent_class)->dispose (object);
}

static void
bough_object_page_class_init (BoughObjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BoughPageClass *page_class = BOUGH_PAGE_CLASS (klass);

  object_class->dispose = bough_object_page_dispose;
  page_class->reload = bough_object_page_reload;
  page_class->navigate = bough_object_page_navigate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bough/Bough/bough-object-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughObjectPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectPage, groups_box);

  gtk_widget_class_install_action (widget_class, "object.show-kind", NULL, show_kind_action);
  gtk_widget_class_install_action (widget_class, "object.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "object.delete", NULL, delete_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "object.edit",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, GDK_CONTROL_MASK,
                                       "object.delete", NULL);
}

static void
bough_object_page_init (BoughObjectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  bough_page_set_title (BOUGH_PAGE (self), _("Object"));
  bough_page_set_icon_name (BOUGH_PAGE (self), "text-x-generic-symbolic");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "object.edit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "object.delete", FALSE);
}

BoughObjectPage *
bough_object_page_new (void)
{
  return g_object_new (BOUGH_TYPE_OBJECT_PAGE, NULL);
}

const char *
bough_object_page_get_id (BoughObjectPage *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_PAGE (self), NULL);

  return self->id;
}

const char *
bough_object_page_get_kind (BoughObjectPage *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_PAGE (self), NULL);

  return self->kind;
}

GtkWidget *
_bough_object_page_get_content (BoughObjectPage *self)
{
  return GTK_WIDGET (self->stack);
}

gboolean
_bough_object_page_is_shown (BoughObjectPage *self)
{
  return self->node != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "detail") == 0 &&
         !bough_page_get_loading (BOUGH_PAGE (self));
}

const char *
_bough_object_page_get_title (BoughObjectPage *self)
{
  return gtk_label_get_text (self->title_label);
}
