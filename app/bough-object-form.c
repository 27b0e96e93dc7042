/* bough-object-form.c: BoughObjectForm: a boxed list with one row per
 * editable attribute (entry, number, switch, choice, text area, date-time)
 * and relationship (peer chooser), each followed by a row holding its
 * error. Saving checks required fields and the schema's constraints, sends
 * <Kind>Create or <Kind>Update with the fields set or changed, and places
 * each GraphQL error at the field it names (a toast otherwise).
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
#include "bough-object-query.h"
#include "bough-objects-private.h"
#include "bough-peer-chooser.h"

typedef enum
{
  INPUT_ENTRY,
  INPUT_SWITCH,
  INPUT_COMBO,
  INPUT_TEXT,
  INPUT_PEERS,
} InputType;

typedef struct
{
  BoughAttributeSchema    *attr;      /* one of attr and rel */
  BoughRelationshipSchema *rel;
  InputType                type;
  GtkWidget               *row;
  GtkWidget               *input;
  GtkWidget               *error_row;
  GtkWidget               *error_label;
  GPtrArray               *choices;   /* INPUT_COMBO: value of each item, NULL for none */
  JsonNode                *initial;   /* attribute value at opening, or NULL */
  char                    *initial_ids; /* relationship peers at opening, joined */
} Field;

struct _BoughObjectForm
{
  AdwWindow        parent_instance;

  BoughClient     *client;
  char            *branch;
  BoughSchema     *schema;
  BoughNodeSchema *ns;
  char            *id;              /* NULL when creating */
  GPtrArray       *fields;          /* of Field */
  GCancellable    *cancellable;
  gboolean         busy;
  char            *last_toast;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *title;
  GtkWidget       *save_button;
  GtkWidget       *spinner;
  GtkListBox      *list;
};

G_DEFINE_FINAL_TYPE (BoughObjectForm, bough_object_form, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
field_free (gpointer data)
{
  Field *f = data;

  g_clear_pointer (&f->choices, g_ptr_array_unref);
  g_clear_pointer (&f->initial, json_node_unref);
  g_free (f->initial_ids);
  g_free (f);
}

static const char *
field_name (Field *f)
{
  return f->attr != NULL ? f->attr->name : f->rel->name;
}

static gboolean
attribute_required (BoughAttributeSchema *attr)
{
  return !attr->optional && attr->default_value == NULL;
}

static char *
field_title (Field *f)
{
  const char *label;
  gboolean required;

  if (f->attr != NULL)
    {
      label = f->attr->label != NULL ? f->attr->label : f->attr->name;
      required = attribute_required (f->attr);
    }
  else
    {
      label = f->rel->label != NULL ? f->rel->label : f->rel->name;
      required = !f->rel->optional;
    }
  /* the star marks what must be filled in */
  return required ? g_strconcat (label, " *", NULL) : g_strdup (label);
}

static void
show_toast (BoughObjectForm *self,
            const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
}

static void
set_field_error (Field      *f,
                 const char *message)
{
  g_autofree char *shown = NULL;

  /* the server's messages start in lower case, as parts of a sentence */
  if (message != NULL && message[0] != '\0')
    {
      const char *rest = g_utf8_next_char (message);
      char first[7] = { 0 };

      g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (message)), first);
      shown = g_strconcat (first, rest, NULL);
    }
  gtk_widget_set_visible (f->error_row, message != NULL);
  gtk_label_set_text (GTK_LABEL (f->error_label), shown != NULL ? shown : "");
  if (message != NULL)
    gtk_widget_add_css_class (f->row, "error");
  else
    gtk_widget_remove_css_class (f->row, "error");
}

/* The object whose signal says @f's value changed. */
static GObject *
change_source (Field *f)
{
  if (f->type == INPUT_TEXT)
    return G_OBJECT (gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->input)));
  return G_OBJECT (f->input);
}

static void
input_changed_cb (Field *f)
{
  /* what the error was about is being fixed */
  set_field_error (f, NULL);
}

/* ---- building the rows ---- */

static JsonNode *
initial_value (JsonObject *node,
               const char *name)
{
  JsonNode *member = node ? json_object_get_member (node, name) : NULL;
  JsonNode *value;

  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    return NULL;
  value = json_object_get_member (json_node_get_object (member), "value");
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return NULL;
  return json_node_copy (value);
}

static void
add_field_rows (BoughObjectForm *self,
                Field           *f)
{
  g_autofree char *row_name = g_strconcat ("field-", field_name (f), NULL);
  const char *description = f->attr ? f->attr->description : f->rel->description;

  gtk_widget_set_name (f->row, row_name);
  if (description != NULL)
    gtk_widget_set_tooltip_text (f->row, description);
  gtk_list_box_append (self->list, f->row);

  f->error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (f->error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (f->error_label), TRUE);
  gtk_widget_set_margin_start (f->error_label, 12);
  gtk_widget_set_margin_end (f->error_label, 12);
  gtk_widget_set_margin_top (f->error_label, 6);
  gtk_widget_set_margin_bottom (f->error_label, 6);
  gtk_widget_add_css_class (f->error_label, "error");
  gtk_widget_add_css_class (f->error_label, "caption");
  f->error_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (f->error_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (f->error_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (f->error_row), f->error_label);
  gtk_widget_set_visible (f->error_row, FALSE);
  gtk_list_box_append (self->list, f->error_row);
  g_ptr_array_add (self->fields, f);

  switch (f->type)
    {
    case INPUT_SWITCH:
      g_signal_connect_swapped (f->input, "notify::active", G_CALLBACK (input_changed_cb), f);
      break;
    case INPUT_COMBO:
      g_signal_connect_swapped (f->input, "notify::selected", G_CALLBACK (input_changed_cb), f);
      break;
    default:
      g_signal_connect_swapped (change_source (f), "changed", G_CALLBACK (input_changed_cb), f);
      break;
    }
}

static void
add_attribute (BoughObjectForm      *self,
               BoughAttributeSchema *attr,
               JsonObject           *node)
{
  Field *f = g_new0 (Field, 1);
  g_autofree char *title = NULL;
  JsonNode *shown;

  f->attr = attr;
  f->initial = node != NULL ? initial_value (node, attr->name) : NULL;
  /* a new object starts from the schema's default */
  shown = f->initial != NULL ? f->initial : (node == NULL ? attr->default_value : NULL);
  title = field_title (f);

  if (attr->kind == BOUGH_ATTRIBUTE_KIND_BOOLEAN || attr->kind == BOUGH_ATTRIBUTE_KIND_CHECKBOX)
    {
      f->type = INPUT_SWITCH;
      f->row = adw_action_row_new ();
      f->input = gtk_switch_new ();
      gtk_widget_set_valign (f->input, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (f->input),
                             shown != NULL && JSON_NODE_HOLDS_VALUE (shown) &&
                             json_node_get_value_type (shown) == G_TYPE_BOOLEAN &&
                             json_node_get_boolean (shown));
      adw_action_row_add_suffix (ADW_ACTION_ROW (f->row), f->input);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (f->row), f->input);
    }
  else if (attr->choices != NULL || attr->enum_values != NULL)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      g_autofree char *current = shown ? bough_object_value_to_text (shown) : NULL;
      guint selected = 0;

      f->type = INPUT_COMBO;
      f->choices = g_ptr_array_new_with_free_func (g_free);
      if (!attribute_required (attr) || shown == NULL)
        {
          gtk_string_list_append (labels, _("None"));
          g_ptr_array_add (f->choices, NULL);
        }
      if (attr->choices != NULL)
        for (guint i = 0; i < attr->choices->len; i++)
          {
            BoughDropdownChoice *choice = g_ptr_array_index (attr->choices, i);

            if (g_strcmp0 (current, choice->name) == 0)
              selected = f->choices->len;
            gtk_string_list_append (labels, choice->label ? choice->label : choice->name);
            g_ptr_array_add (f->choices, g_strdup (choice->name));
          }
      else
        for (guint i = 0; i < json_array_get_length (attr->enum_values); i++)
          {
            JsonNode *item = json_array_get_element (attr->enum_values, i);
            g_autofree char *text = bough_object_value_to_text (item);

            if (g_strcmp0 (current, text) == 0)
              selected = f->choices->len;
            gtk_string_list_append (labels, text);
            g_ptr_array_add (f->choices, g_steal_pointer (&text));
          }
      f->row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (f->row), G_LIST_MODEL (labels));
      adw_combo_row_set_selected (ADW_COMBO_ROW (f->row), selected);
      f->input = f->row;
    }
  else if (attr->kind == BOUGH_ATTRIBUTE_KIND_TEXT_AREA ||
           attr->kind == BOUGH_ATTRIBUTE_KIND_JSON ||
           attr->kind == BOUGH_ATTRIBUTE_KIND_LIST || attr->kind == BOUGH_ATTRIBUTE_KIND_ANY)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *label = gtk_label_new (title);
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      g_autofree char *text = NULL;

      f->type = INPUT_TEXT;
      if (shown != NULL)
        {
          if (attr->kind == BOUGH_ATTRIBUTE_KIND_TEXT_AREA)
            text = bough_object_value_to_text (shown);
          else
            text = json_to_string (shown, TRUE);
        }
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      f->input = gtk_text_view_new ();
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (f->input), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_monospace (GTK_TEXT_VIEW (f->input),
                                   attr->kind != BOUGH_ATTRIBUTE_KIND_TEXT_AREA);
      gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (f->input), FALSE);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->input)),
                                text ? text : "", -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (f->input), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), f->input);
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 80);
      gtk_widget_add_css_class (scrolled, "card");
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), scrolled);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 8);
      gtk_widget_set_margin_bottom (box, 8);
      f->row = gtk_list_box_row_new ();
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (f->row), FALSE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (f->row), box);
    }
  else
    {
      g_autofree char *text = shown ? bough_object_value_to_text (shown) : NULL;

      f->type = INPUT_ENTRY;
      if (attr->kind == BOUGH_ATTRIBUTE_KIND_PASSWORD)
        f->row = adw_password_entry_row_new ();
      else
        f->row = adw_entry_row_new ();
      if (attr->kind == BOUGH_ATTRIBUTE_KIND_NUMBER || attr->kind == BOUGH_ATTRIBUTE_KIND_BANDWIDTH)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->row), GTK_INPUT_PURPOSE_NUMBER);
      else if (attr->kind == BOUGH_ATTRIBUTE_KIND_EMAIL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->row), GTK_INPUT_PURPOSE_EMAIL);
      else if (attr->kind == BOUGH_ATTRIBUTE_KIND_URL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (f->row), GTK_INPUT_PURPOSE_URL);
      gtk_editable_set_text (GTK_EDITABLE (f->row), text ? text : "");
      f->input = f->row;
    }
  if (ADW_IS_PREFERENCES_ROW (f->row))
    {
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->row), FALSE);
      if (attr->kind == BOUGH_ATTRIBUTE_KIND_DATE_TIME)
        {
          /* the format the server takes */
          g_autofree char *with_hint = g_strdup_printf ("%s (%s)", title,
                                                        _("YYYY-MM-DDTHH:MM:SSZ"));

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->row), with_hint);
        }
      else
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->row), title);
    }
  add_field_rows (self, f);
}

static void
add_relationship (BoughObjectForm         *self,
                  BoughRelationshipSchema *rel,
                  JsonObject              *node)
{
  Field *f = g_new0 (Field, 1);
  g_autofree char *title = NULL;
  JsonNode *member = node ? json_object_get_member (node, rel->name) : NULL;
  BoughPeerChooser *chooser;

  f->rel = rel;
  f->type = INPUT_PEERS;
  title = field_title (f);
  chooser = bough_peer_chooser_new (self->client, self->branch, rel->peer,
                                    rel->cardinality == BOUGH_CARDINALITY_MANY);
  f->input = GTK_WIDGET (chooser);
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *value = json_node_get_object (member);

      if (rel->cardinality == BOUGH_CARDINALITY_ONE)
        {
          JsonNode *peer = json_object_get_member (value, "node");

          if (peer != NULL && JSON_NODE_HOLDS_OBJECT (peer) &&
              bough_object_get_string (json_node_get_object (peer), "id") != NULL)
            bough_peer_chooser_add (chooser,
                                    bough_object_get_string (json_node_get_object (peer), "id"),
                                    bough_object_get_string (json_node_get_object (peer),
                                                             "display_label"));
        }
      else if (json_object_has_member (value, "edges"))
        {
          JsonArray *edges = json_object_get_array_member (value, "edges");

          for (guint i = 0; i < json_array_get_length (edges); i++)
            {
              JsonObject *peer = bough_object_edge_node (edges, i);

              if (bough_object_get_string (peer, "id") != NULL)
                bough_peer_chooser_add (chooser, bough_object_get_string (peer, "id"),
                                        bough_object_get_string (peer, "display_label"));
            }
        }
    }
  {
    g_auto(GStrv) ids = bough_peer_chooser_get_ids (chooser);

    f->initial_ids = g_strjoinv ("\n", ids);
  }
  f->row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->row), rel->peer);
  adw_action_row_add_suffix (ADW_ACTION_ROW (f->row), f->input);
  add_field_rows (self, f);
}

/* ---- saving ---- */

static Field *
find_field (BoughObjectForm *self,
            const char      *name)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field_name (f), name))
        return f;
    }
  return NULL;
}

static char *
input_text (Field *f)
{
  if (f->type == INPUT_TEXT)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->input));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->input)));
}

/* The value the user gave @f's attribute: NULL (and no error) when none. */
static JsonNode *
attribute_value (Field   *f,
                 GError **error)
{
  g_autofree char *text = NULL;
  JsonNode *value;

  switch (f->type)
    {
    case INPUT_SWITCH:
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (value, gtk_switch_get_active (GTK_SWITCH (f->input)));
      return value;
    case INPUT_COMBO:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (f->input));
        const char *name = selected < f->choices->len ? g_ptr_array_index (f->choices,
                                                                           selected) : NULL;

        if (name == NULL)
          return NULL;
        if (f->attr->enum_values != NULL)
          return bough_object_value_from_text (f->attr, name, error);
        value = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (value, name);
        return value;
      }
    default:
      text = input_text (f);
      if (text[0] == '\0')
        return NULL;
      value = bough_object_value_from_text (f->attr, text, error);
      if (value != NULL && f->attr->kind == BOUGH_ATTRIBUTE_KIND_DATE_TIME)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (text, NULL);

          if (when == NULL)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                           _("Not a date and time with a time zone, such as 2026-01-31T12:00:00Z"));
              g_clear_pointer (&value, json_node_unref);
            }
        }
      return value;
    }
}

static gboolean
same_value (JsonNode *a,
            JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

/* The message of bough_attribute_validate_value() without the attribute
 * and value it starts with, which the form shows anyway. */
static const char *
problem_of (const GError *error)
{
  const char *p = strstr (error->message, "): ");

  return p != NULL ? p + 3 : error->message;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BoughObjectForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) errors = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *field = NULL;
  const char *id = self->id;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, &errors, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_widget_set_sensitive (self->save_button, TRUE);
  gtk_spinner_stop (GTK_SPINNER (self->spinner));

  if (errors != NULL && json_array_get_length (errors) > 0)
    {
      for (guint i = 0; i < json_array_get_length (errors); i++)
        {
          JsonObject *graphql_error = json_array_get_object_element (errors, i);
          g_autofree char *name = graphql_error ? bough_object_error_field (self->ns,
                                                                            graphql_error) : NULL;
          Field *f = name ? find_field (self, name) : NULL;

          if (graphql_error == NULL)
            continue;
          if (f != NULL)
            {
              g_autofree char *message = bough_object_error_message (graphql_error);

              set_field_error (f, message);
              gtk_widget_grab_focus (f->input);
            }
          else if (bough_object_get_string (graphql_error, "message") != NULL)
            show_toast (self, bough_object_get_string (graphql_error, "message"));
          else
            show_toast (self, _("The server refused the change"));
        }
      return;
    }
  if (data == NULL)
    {
      show_toast (self, error != NULL ? error->message : _("The server refused the change"));
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (data))
    {
      g_autofree char *member = g_strconcat (self->ns->kind, self->id ? "Update" : "Create", NULL);
      JsonNode *answer = json_object_get_member (json_node_get_object (data), member);

      if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) &&
          json_object_has_member (json_node_get_object (answer), "object"))
        {
          JsonNode *object = json_object_get_member (json_node_get_object (answer), "object");

          if (JSON_NODE_HOLDS_OBJECT (object) &&
              bough_object_get_string (json_node_get_object (object), "id") != NULL)
            id = bough_object_get_string (json_node_get_object (object), "id");
        }
    }
  if (id == NULL)
    {
      show_toast (self, _("The server did not say which object it saved"));
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, self->ns->kind, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static JsonObject *
link_input (const char  *id,
            const char  *name,
            GPtrArray   *peer_ids)
{
  JsonObject *input = json_object_new ();
  JsonArray *nodes = json_array_new ();

  json_object_set_string_member (input, "id", id);
  json_object_set_string_member (input, "name", name);
  for (guint i = 0; i < peer_ids->len; i++)
    {
      JsonObject *peer = json_object_new ();

      json_object_set_string_member (peer, "id", g_ptr_array_index (peer_ids, i));
      json_array_add_object_element (nodes, peer);
    }
  json_object_set_array_member (input, "nodes", nodes);
  return input;
}

/* The peers of @f's many relationship the user added and removed, as
 * RelationshipAdd/Remove inputs: an object's page loads only its first
 * peers, and setting the relationship would drop the others. */
static void
add_link_changes (const char    *id,
                  Field         *f,
                  char         **ids,
                  GPtrArray     *links,
                  GStrvBuilder  *link_ops)
{
  g_auto(GStrv) initial = g_strsplit (f->initial_ids, "\n", -1);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  g_autoptr(GPtrArray) removed = g_ptr_array_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) initial, ids[i]))
      g_ptr_array_add (added, ids[i]);
  for (guint i = 0; initial[i] != NULL; i++)
    if (initial[i][0] != '\0' && !g_strv_contains ((const char * const *) ids, initial[i]))
      g_ptr_array_add (removed, initial[i]);
  if (added->len > 0)
    {
      g_ptr_array_add (links, link_input (id, f->rel->name, added));
      g_strv_builder_add (link_ops, "Add");
    }
  if (removed->len > 0)
    {
      g_ptr_array_add (links, link_input (id, f->rel->name, removed));
      g_strv_builder_add (link_ops, "Remove");
    }
}

/**
 * bough_object_form_save:
 * @self: a #BoughObjectForm
 *
 * Checks the fields and, when they pass, sends the creation or the change;
 * the form closes after #BoughObjectForm::saved, or shows what went wrong.
 */
void
bough_object_form_save (BoughObjectForm *self)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonObject) variables = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *mutation = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GStrvBuilder) link_ops = g_strv_builder_new ();
  g_auto(GStrv) operations = NULL;
  Field *first_bad = NULL;

  g_return_if_fail (BOUGH_IS_OBJECT_FORM (self));

  if (self->busy)
    return;
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = g_ptr_array_index (self->fields, i);
      g_autoptr(GError) error = NULL;
      const char *problem = NULL;

      set_field_error (f, NULL);
      if (f->attr != NULL)
        {
          g_autoptr(JsonNode) value = attribute_value (f, &error);
          g_autoptr(GError) invalid = NULL;

          if (error != NULL)
            problem = error->message;
          else if (value == NULL && attribute_required (f->attr))
            problem = _("This field is required");
          else if (value != NULL && !bough_attribute_validate_value (f->attr, value, &invalid))
            problem = problem_of (invalid);
          else if (self->id == NULL ? value != NULL : !same_value (value, f->initial))
            {
              JsonObject *input = json_object_new ();

              /* null empties an optional value */
              if (value != NULL)
                json_object_set_member (input, "value", json_node_ref (value));
              else
                json_object_set_null_member (input, "value");
              json_object_set_object_member (data, f->attr->name, input);
            }
          if (problem != NULL)
            {
              set_field_error (f, problem);
              if (first_bad == NULL)
                first_bad = f;
            }
        }
      else
        {
          g_auto(GStrv) ids = bough_peer_chooser_get_ids (BOUGH_PEER_CHOOSER (f->input));
          g_autofree char *joined = g_strjoinv ("\n", ids);

          if (ids[0] == NULL && !f->rel->optional)
            {
              set_field_error (f, _("This field is required"));
              if (first_bad == NULL)
                first_bad = f;
              continue;
            }
          if (g_str_equal (joined, f->initial_ids))
            continue;
          if (f->rel->cardinality == BOUGH_CARDINALITY_ONE)
            {
              if (ids[0] == NULL)
                json_object_set_null_member (data, f->rel->name);
              else
                {
                  JsonObject *peer = json_object_new ();

                  json_object_set_string_member (peer, "id", ids[0]);
                  json_object_set_object_member (data, f->rel->name, peer);
                }
            }
          else if (self->id != NULL)
            add_link_changes (self->id, f, ids, links, link_ops);
          else
            {
              JsonArray *peers = json_array_new ();

              for (guint j = 0; ids[j] != NULL; j++)
                {
                  JsonObject *peer = json_object_new ();

                  json_object_set_string_member (peer, "id", ids[j]);
                  json_array_add_object_element (peers, peer);
                }
              json_object_set_array_member (data, f->rel->name, peers);
            }
        }
    }
  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (first_bad->input);
      return;
    }
  if (self->id != NULL)
    {
      if (json_object_get_size (data) == 0 && links->len == 0)
        {
          /* nothing changed: nothing to send */
          g_signal_emit (self, signals[SAVED], 0, self->ns->kind, self->id);
          gtk_window_destroy (GTK_WINDOW (self));
          return;
        }
      json_object_set_string_member (data, "id", self->id);
    }
  json_object_set_object_member (variables, "data", json_object_ref (data));
  for (guint i = 0; i < links->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("l%u", i);

      JsonObject *link = g_ptr_array_index (links, i);

      json_object_set_object_member (variables, name, json_object_ref (link));
    }
  root = json_node_init_object (json_node_alloc (), variables);
  operations = g_strv_builder_end (link_ops);
  if (self->id != NULL)
    mutation = bough_object_mutation_update (self->ns, (const char * const *) operations);
  else
    mutation = bough_object_mutation (self->ns, "Create");

  self->busy = TRUE;
  gtk_widget_set_sensitive (self->save_button, FALSE);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  bough_client_query_async (self->client, self->branch, NULL, mutation, root, self->cancellable,
                            saved_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  bough_object_form_save (BOUGH_OBJECT_FORM (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_destroy (GTK_WINDOW (widget));
}

/* ---- GObject ---- */

static void
bough_object_form_dispose (GObject *object)
{
  BoughObjectForm *self = BOUGH_OBJECT_FORM (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  /* the rows outlive the fields: they go with the window's content */
  for (guint i = 0; self->fields != NULL && i < self->fields->len; i++)
    {
      Field *f = g_ptr_array_index (self->fields, i);

      g_signal_handlers_disconnect_by_data (change_source (f), f);
    }
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->schema, bough_schema_unref);

  G_OBJECT_CLASS (bough_object_form_parent_class)->dispose (object);
}

static void
bough_object_form_finalize (GObject *object)
{
  BoughObjectForm *self = BOUGH_OBJECT_FORM (object);

  g_free (self->branch);
  g_free (self->id);
  g_free (self->last_toast);

  G_OBJECT_CLASS (bough_object_form_parent_class)->finalize (object);
}

static void
bough_object_form_class_init (BoughObjectFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bough_object_form_dispose;
  object_class->finalize = bough_object_form_finalize;

  /**
   * BoughObjectForm::saved:
   * @kind: the object's kind
   * @id: its id
   *
   * The server took the creation or change; the form closes next.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                 G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "form.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "form.cancel", NULL);
}

static void
bough_object_form_init (BoughObjectForm *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  self->fields = g_ptr_array_new_with_free_func (field_free);

  self->title = ADW_WINDOW_TITLE (adw_window_title_new (NULL, NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "form.cancel");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->save_button), "form.save");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  self->spinner = gtk_spinner_new ();
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  gtk_box_append (GTK_BOX (box), header);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_margin_start (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->list), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->list), 18);
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_START);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 640);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, box);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
}

/**
 * bough_object_form_new:
 * @parent: (nullable): the window it belongs to
 * @client: the API client
 * @branch: (nullable): the branch changed
 * @schema: that branch's schema
 * @kind: the kind of the object
 * @node: (nullable): the object as the detail query returned it, to edit
 *   it; %NULL to create one
 *
 * Returns: (transfer none): the form, a toplevel window not yet shown
 */
BoughObjectForm *
bough_object_form_new (GtkWindow   *parent,
                       BoughClient *client,
                       const char  *branch,
                       BoughSchema *schema,
                       const char  *kind,
                       JsonObject  *node)
{
  BoughObjectForm *self;
  g_autofree char *title = NULL;
  const char *label;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BOUGH_IS_CLIENT (client), NULL);
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  self = g_object_new (BOUGH_TYPE_OBJECT_FORM,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->client = g_object_ref (client);
  self->branch = g_strdup (branch);
  self->schema = bough_schema_ref (schema);
  self->ns = bough_schema_lookup (schema, kind);
  g_return_val_if_fail (self->ns != NULL, self);
  if (node != NULL)
    self->id = g_strdup (bough_object_get_string (node, "id"));

  label = self->ns->label != NULL ? self->ns->label : self->ns->kind;
  if (self->id == NULL)
    title = g_strdup_printf (_("New %s"), label);
  else
    title = g_strdup_printf (_("Edit %s"), bough_object_get_string (node, "display_label") != NULL ?
                             bough_object_get_string (node, "display_label") : self->id);
  adw_window_title_set_title (self->title, title);
  adw_window_title_set_subtitle (self->title, branch != NULL ? branch : "");
  gtk_window_set_title (GTK_WINDOW (self), title);

  for (guint i = 0; i < self->ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (self->ns->attributes, i);

      if (bough_object_attribute_is_listed (attr) && bough_object_attribute_is_editable (attr))
        add_attribute (self, attr, node);
    }
  for (guint i = 0; i < self->ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (self->ns->relationships, i);

      if (bough_object_relationship_is_editable (rel))
        add_relationship (self, rel, node);
    }
  return self;
}

GtkWidget *
_bough_object_form_get_input (BoughObjectForm *self,
                              const char      *name)
{
  Field *f = find_field (self, name);

  return f != NULL ? f->input : NULL;
}

const char *
_bough_object_form_get_error (BoughObjectForm *self,
                              const char      *name)
{
  Field *f = find_field (self, name);

  if (f == NULL || !gtk_widget_get_visible (f->error_row))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (f->error_label));
}

const char *
_bough_object_form_get_last_toast (BoughObjectForm *self)
{
  return self->last_toast;
}

gboolean
_bough_object_form_get_busy (BoughObjectForm *self)
{
  return self->busy;
}
