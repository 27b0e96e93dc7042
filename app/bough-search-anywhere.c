/* bough-search-anywhere.c: BoughSearchAnywhere: a button and its popover
 * (search entry, results). A search asks InfrahubSearchAnywhere for ids
 * and kinds, then the labels of all results in one query; a server
 * without it gets `any__value` queries of a few kinds each, three in
 * flight at most. A new search cancels the previous one.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-error.h"
#include "bough-object-page.h"
#include "bough-object-query.h"
#include "bough-objects-private.h"
#include "bough-search-anywhere.h"
#include "bough-window.h"

#define MAX_RESULTS        20
#define KINDS_PER_QUERY    8
#define PER_KIND_LIMIT     5
#define MAX_QUERIES_FLYING 3

typedef struct
{
  char *id;
  char *kind;
  char *label;
} Result;

struct _BoughSearchAnywhere
{
  GtkWidget       parent_instance;

  GtkMenuButton  *button;
  GtkSearchEntry *entry;
  GtkListBox     *results_box;
  GtkLabel       *status_label;

  GCancellable   *cancellable;
  GPtrArray      *results;        /* of Result */
  GHashTable     *seen;           /* ids in results */
  char           *text;
  gboolean        searching;
  gboolean        force_fallback;
  gboolean        used_fallback;

  /* the fallback's state */
  BoughSchema    *schema;
  GPtrArray      *kinds;          /* kinds still to search */
  guint           flying;
};

G_DEFINE_FINAL_TYPE (BoughSearchAnywhere, bough_search_anywhere, GTK_TYPE_WIDGET)

static void
result_free (gpointer data)
{
  Result *r = data;

  g_free (r->id);
  g_free (r->kind);
  g_free (r->label);
  g_free (r);
}

static void
add_result (BoughSearchAnywhere *self,
            const char          *id,
            const char          *kind,
            const char          *label)
{
  Result *r;

  if (id == NULL || kind == NULL || self->results->len >= MAX_RESULTS ||
      g_hash_table_contains (self->seen, id))
    return;
  r = g_new0 (Result, 1);
  r->id = g_strdup (id);
  r->kind = g_strdup (kind);
  r->label = g_strdup (label != NULL ? label : id);
  g_hash_table_add (self->seen, g_strdup (id));
  g_ptr_array_add (self->results, r);
}

static void
clear_rows (BoughSearchAnywhere *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_box))) != NULL)
    gtk_list_box_remove (self->results_box, child);
}

static void
finish (BoughSearchAnywhere *self,
        const char          *problem)
{
  self->searching = FALSE;
  clear_rows (self);
  for (guint i = 0; i < self->results->len; i++)
    {
      Result *r = g_ptr_array_index (self->results, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *argument = bough_object_page_argument (r->kind, r->id);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), r->label);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), r->kind);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.navigate");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "(ss)", "object", argument);
      gtk_list_box_append (self->results_box, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->results_box), self->results->len > 0);
  if (problem != NULL)
    gtk_label_set_text (self->status_label, problem);
  else if (self->results->len == 0)
    gtk_label_set_text (self->status_label, _("Nothing found"));
  else
    gtk_label_set_text (self->status_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label),
                          gtk_label_get_text (self->status_label)[0] != '\0');
}

/* ---- the fallback: any__value per kind ---- */

static void launch_batches (BoughSearchAnywhere *self);

static void
batch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BoughSearchAnywhere) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->flying--;
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    {
      /* aliases k0..kN in the order asked */
      for (guint i = 0;; i++)
        {
          g_autofree char *alias = g_strdup_printf ("k%u", i);
          JsonNode *list = json_object_get_member (json_node_get_object (data), alias);
          JsonArray *edges;

          if (list == NULL)
            break;
          if (!JSON_NODE_HOLDS_OBJECT (list) ||
              !json_object_has_member (json_node_get_object (list), "edges"))
            continue;
          edges = json_object_get_array_member (json_node_get_object (list), "edges");
          for (guint j = 0; j < json_array_get_length (edges); j++)
            {
              JsonObject *node = bough_object_edge_node (edges, j);

              add_result (self, bough_object_get_string (node, "id"),
                          bough_object_get_string (node, "__typename"),
                          bough_object_get_string (node, "display_label"));
            }
        }
    }
  launch_batches (self);
}

static void
launch_batches (BoughSearchAnywhere *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BoughClient *client = NULL;

  if (BOUGH_IS_WINDOW (root))
    client = bough_window_get_client (BOUGH_WINDOW (root));
  if (client == NULL)
    {
      finish (self, _("Not connected"));
      return;
    }
  while (self->flying < MAX_QUERIES_FLYING && self->kinds->len > 0 &&
         self->results->len < MAX_RESULTS)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *query = NULL;

      while (batch->len < KINDS_PER_QUERY && self->kinds->len > 0)
        g_ptr_array_add (batch, g_ptr_array_steal_index (self->kinds, 0));
      query = bough_object_query_search_any (batch, self->text, PER_KIND_LIMIT);
      self->flying++;
      bough_client_query_async (client, bough_window_get_branch (BOUGH_WINDOW (root)),
                                bough_window_get_at (BOUGH_WINDOW (root)), query, NULL,
                                self->cancellable, batch_done_cb, g_object_ref (self));
    }
  if (self->flying == 0)
    finish (self, NULL);
}

static void
fallback_schema_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BoughSearchAnywhere) self = user_data;
  g_autoptr(GError) error = NULL;
  BoughSchema *schema;
  GPtrArray *nodes;

  schema = bough_client_fetch_schema_finish (BOUGH_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (schema == NULL)
    {
      finish (self, error->message);
      return;
    }
  g_clear_pointer (&self->schema, bough_schema_unref);
  self->schema = schema;
  g_ptr_array_set_size (self->kinds, 0);
  nodes = bough_schema_get_nodes (schema);
  /* the kinds of the menu first: what the operator models */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < nodes->len; i++)
      {
        BoughNodeSchema *ns = g_ptr_array_index (nodes, i);

        if (ns->is_profile || ns->is_template || ns->include_in_menu != (pass == 0))
          continue;
        g_ptr_array_add (self->kinds, g_strdup (ns->kind));
      }
  launch_batches (self);
}

static void
start_fallback (BoughSearchAnywhere *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  self->used_fallback = TRUE;
  if (!BOUGH_IS_WINDOW (root) || bough_window_get_client (BOUGH_WINDOW (root)) == NULL)
    {
      finish (self, _("Not connected"));
      return;
    }
  bough_client_fetch_schema_async (bough_window_get_client (BOUGH_WINDOW (root)),
                                   bough_window_get_branch (BOUGH_WINDOW (root)),
                                   bough_window_get_at (BOUGH_WINDOW (root)), self->cancellable,
                                   fallback_schema_cb, g_object_ref (self));
}

/* ---- the server's search ---- */

static void
labels_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BoughSearchAnywhere) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    {
      g_autoptr(GList) members = json_object_get_members (json_node_get_object (data));

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *list = json_object_get_member (json_node_get_object (data), l->data);
          JsonArray *edges;

          if (!JSON_NODE_HOLDS_OBJECT (list) ||
              !json_object_has_member (json_node_get_object (list), "edges"))
            continue;
          edges = json_object_get_array_member (json_node_get_object (list), "edges");
          for (guint j = 0; j < json_array_get_length (edges); j++)
            {
              JsonObject *node = bough_object_edge_node (edges, j);
              const char *id = bough_object_get_string (node, "id");
              const char *label = bough_object_get_string (node, "display_label");

              if (id != NULL && label != NULL)
                g_hash_table_insert (labels, (gpointer) id, (gpointer) label);
            }
        }
      for (guint i = 0; i < self->results->len; i++)
        {
          Result *r = g_ptr_array_index (self->results, i);
          const char *label = g_hash_table_lookup (labels, r->id);

          if (label != NULL)
            {
              g_free (r->label);
              r->label = g_strdup (label);
            }
        }
    }
  /* without labels the ids still lead to the objects */
  finish (self, NULL);
}

static void
anywhere_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BoughSearchAnywhere) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) errors = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GHashTable) by_kind = NULL;
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *query = NULL;
  JsonNode *answer = NULL;
  JsonArray *edges;
  GtkRoot *root;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, &errors, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    answer = json_object_get_member (json_node_get_object (data), "InfrahubSearchAnywhere");
  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer) ||
      !json_object_has_member (json_node_get_object (answer), "edges"))
    {
      /* a server without the query refuses it while validating */
      if (error != NULL && !g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION) &&
          error->domain == BOUGH_ERROR)
        start_fallback (self);
      else
        finish (self, error != NULL ? error->message : _("The search failed"));
      return;
    }
  edges = json_object_get_array_member (json_node_get_object (answer), "edges");
  by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                   (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < json_array_get_length (edges); i++)
    {
      JsonObject *node = bough_object_edge_node (edges, i);

      add_result (self, bough_object_get_string (node, "id"),
                  bough_object_get_string (node, "kind"), NULL);
    }
  if (self->results->len == 0)
    {
      finish (self, NULL);
      return;
    }
  kinds = g_ptr_array_new ();
  ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < self->results->len; i++)
    {
      Result *r = g_ptr_array_index (self->results, i);
      GPtrArray *list = g_hash_table_lookup (by_kind, r->kind);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (by_kind, r->kind, list);
          g_ptr_array_add (kinds, r->kind);
        }
      g_ptr_array_add (list, r->id);
    }
  for (guint i = 0; i < kinds->len; i++)
    {
      GPtrArray *list = g_hash_table_lookup (by_kind, g_ptr_array_index (kinds, i));
      GStrvBuilder *builder = g_strv_builder_new ();

      for (guint j = 0; j < list->len; j++)
        g_strv_builder_add (builder, g_ptr_array_index (list, j));
      g_ptr_array_add (ids, g_strv_builder_end (builder));
      g_strv_builder_unref (builder);
    }
  query = bough_object_query_labels (kinds, ids);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!BOUGH_IS_WINDOW (root))
    {
      finish (self, NULL);
      return;
    }
  bough_client_query_async (BOUGH_CLIENT (source), bough_window_get_branch (BOUGH_WINDOW (root)),
                            bough_window_get_at (BOUGH_WINDOW (root)), query, NULL,
                            self->cancellable, labels_done_cb, g_object_ref (self));
}

/**
 * bough_search_anywhere_search:
 * @self: a #BoughSearchAnywhere
 * @text: what to find
 *
 * Starts a search in the window's client, branch and time, cancelling the
 * one under way.
 */
void
bough_search_anywhere_search (BoughSearchAnywhere *self,
                              const char          *text)
{
  GtkRoot *root;
  BoughClient *client;
  g_autoptr(JsonObject) variables = json_object_new ();
  g_autoptr(JsonNode) root_node = NULL;

  g_return_if_fail (BOUGH_IS_SEARCH_ANYWHERE (self));
  g_return_if_fail (text != NULL);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_ptr_array_set_size (self->results, 0);
  g_hash_table_remove_all (self->seen);
  g_ptr_array_set_size (self->kinds, 0);
  self->flying = 0;
  self->used_fallback = FALSE;
  g_free (self->text);
  self->text = g_strstrip (g_strdup (text));
  if (self->text[0] == '\0')
    {
      self->searching = FALSE;
      clear_rows (self);
      gtk_widget_set_visible (GTK_WIDGET (self->results_box), FALSE);
      gtk_label_set_text (self->status_label, _("Find objects of any kind by any value"));
      gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
      return;
    }

  self->searching = TRUE;
  gtk_label_set_text (self->status_label, _("Searching…"));
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  client = BOUGH_IS_WINDOW (root) ? bough_window_get_client (BOUGH_WINDOW (root)) : NULL;
  if (client == NULL)
    {
      finish (self, _("Not connected"));
      return;
    }
  if (self->force_fallback)
    {
      start_fallback (self);
      return;
    }
  json_object_set_string_member (variables, "q", self->text);
  json_object_set_int_member (variables, "limit", MAX_RESULTS);
  root_node = json_node_init_object (json_node_alloc (), variables);
  bough_client_query_async (client, bough_window_get_branch (BOUGH_WINDOW (root)),
                            bough_window_get_at (BOUGH_WINDOW (root)),
                            bough_object_query_search_anywhere (), root_node, self->cancellable,
                            anywhere_done_cb, g_object_ref (self));
}

static void
search_changed_cb (BoughSearchAnywhere *self)
{
  bough_search_anywhere_search (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
entry_activate_cb (BoughSearchAnywhere *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->results_box, 0);

  /* Enter opens the first result once the results are in */
  if (first != NULL && !self->searching)
    g_signal_emit_by_name (first, "activate");
}

static void
row_activated_cb (BoughSearchAnywhere *self)
{
  gtk_menu_button_popdown (self->button);
}

static void
popover_show_cb (BoughSearchAnywhere *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

/**
 * bough_search_anywhere_popup:
 * @self: a #BoughSearchAnywhere
 *
 * Opens the search popover with the entry focused.
 */
void
bough_search_anywhere_popup (BoughSearchAnywhere *self)
{
  g_return_if_fail (BOUGH_IS_SEARCH_ANYWHERE (self));

  gtk_menu_button_popup (self->button);
}

static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (!BOUGH_IS_WINDOW (root) || bough_window_get_client (BOUGH_WINDOW (root)) == NULL)
    return FALSE;
  bough_search_anywhere_popup (BOUGH_SEARCH_ANYWHERE (widget));
  return TRUE;
}

static void
bough_search_anywhere_dispose (GObject *object)
{
  BoughSearchAnywhere *self = BOUGH_SEARCH_ANYWHERE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->button != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->button));
  self->button = NULL;

  G_OBJECT_CLASS (bough_search_anywhere_parent_class)->dispose (object);
}

static void
bough_search_anywhere_finalize (GObject *object)
{
  BoughSearchAnywhere *self = BOUGH_SEARCH_ANYWHERE (object);

  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->kinds, g_ptr_array_unref);
  g_clear_pointer (&self->schema, bough_schema_unref);
  g_free (self->text);

  G_OBJECT_CLASS (bough_search_anywhere_parent_class)->finalize (object);
}

static void
bough_search_anywhere_class_init (BoughSearchAnywhereClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bough_search_anywhere_dispose;
  object_class->finalize = bough_search_anywhere_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bough_search_anywhere_init (BoughSearchAnywhere *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcut *shortcut;

  self->results = g_ptr_array_new_with_free_func (result_free);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->kinds = g_ptr_array_new_with_free_func (g_free);

  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->entry, "placeholder-text", _("Search anywhere"), NULL);
  gtk_widget_set_size_request (GTK_WIDGET (self->entry), 320, -1);
  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));

  self->status_label = GTK_LABEL (gtk_label_new (_("Find objects of any kind by any value")));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_label));

  self->results_box = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->results_box, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->results_box), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->results_box), FALSE);
  g_signal_connect_swapped (self->results_box, "row-activated", G_CALLBACK (row_activated_cb),
                            self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->results_box));
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (popover_show_cb), self);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->button, "system-search-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), _("Search Anywhere (Ctrl+K)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search Anywhere"), -1);
  gtk_menu_button_set_popover (self->button, popover);
  gtk_widget_set_parent (GTK_WIDGET (self->button), GTK_WIDGET (self));

  /* Ctrl+K works wherever the focus is in the window */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_k, GDK_CONTROL_MASK),
                               gtk_callback_action_new (shortcut_cb, NULL, NULL));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
bough_search_anywhere_new (void)
{
  return g_object_new (BOUGH_TYPE_SEARCH_ANYWHERE, NULL);
}

gboolean
bough_search_anywhere_get_searching (BoughSearchAnywhere *self)
{
  g_return_val_if_fail (BOUGH_IS_SEARCH_ANYWHERE (self), FALSE);

  return self->searching;
}

/**
 * bough_search_anywhere_get_results:
 * @self: a #BoughSearchAnywhere
 *
 * Returns: (transfer none): the rows of the last search's results
 */
GtkListBox *
bough_search_anywhere_get_results (BoughSearchAnywhere *self)
{
  g_return_val_if_fail (BOUGH_IS_SEARCH_ANYWHERE (self), NULL);

  return self->results_box;
}

void
_bough_search_anywhere_set_force_fallback (BoughSearchAnywhere *self,
                                           gboolean             force_fallback)
{
  self->force_fallback = force_fallback;
}

gboolean
_bough_search_anywhere_get_used_fallback (BoughSearchAnywhere *self)
{
  return self->used_fallback;
}
