/* bough-peer-chooser.c: BoughPeerChooser: chosen peers as removable chips
 * and a search popover over the peer kind (its default filter or any
 * value, 20 results, the previous search cancelled).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-object-query.h"
#include "bough-peer-chooser.h"

#define SEARCH_LIMIT 20

struct _BoughPeerChooser
{
  GtkBox          parent_instance;

  BoughClient    *client;
  char           *branch;
  char           *peer_kind;
  gboolean        multiple;
  GPtrArray      *ids;
  GPtrArray      *labels;
  GCancellable   *cancellable;
  gboolean        searching;

  GtkBox         *chips;
  GtkMenuButton  *button;
  GtkSearchEntry *entry;
  GtkListBox     *results;
};

G_DEFINE_FINAL_TYPE (BoughPeerChooser, bough_peer_chooser, GTK_TYPE_BOX)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild_chips (BoughPeerChooser *self);

static void
chip_clicked_cb (GtkButton        *button,
                 BoughPeerChooser *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "peer-id");

  for (guint i = 0; i < self->ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->ids, i), id))
      {
        g_ptr_array_remove_index (self->ids, i);
        g_ptr_array_remove_index (self->labels, i);
        break;
      }
  rebuild_chips (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
rebuild_chips (BoughPeerChooser *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips))) != NULL)
    gtk_box_remove (self->chips, child);
  for (guint i = 0; i < self->ids->len; i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      g_autofree char *tooltip = g_strdup_printf (_("Remove %s"),
                                                  (char *) g_ptr_array_index (self->labels, i));

      gtk_box_append (GTK_BOX (box), gtk_label_new (g_ptr_array_index (self->labels, i)));
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("window-close-symbolic"));
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "small");
      g_object_set_data_full (G_OBJECT (button), "peer-id",
                              g_strdup (g_ptr_array_index (self->ids, i)), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (chip_clicked_cb), self);
      gtk_box_append (self->chips, button);
    }
  if (self->multiple)
    gtk_menu_button_set_label (self->button, _("Add…"));
  else
    gtk_menu_button_set_label (self->button, self->ids->len > 0 ? _("Change…") : _("Choose…"));
}

static void
results_clear (BoughPeerChooser *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BoughPeerChooser) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *list = NULL;
  JsonArray *edges = NULL;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->searching = FALSE;
  results_clear (self);
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data) &&
      json_object_has_member (json_node_get_object (data), "k0"))
    list = json_object_get_object_member (json_node_get_object (data), "k0");
  if (list != NULL && json_object_has_member (list, "edges"))
    edges = json_object_get_array_member (list, "edges");
  if (edges == NULL || json_array_get_length (edges) == 0)
    {
      GtkWidget *label = gtk_label_new (error != NULL ? error->message : _("Nothing found"));

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (self->results, label);
      gtk_list_box_row_set_activatable (gtk_list_box_get_row_at_index (self->results, 0), FALSE);
      return;
    }
  for (guint i = 0; i < json_array_get_length (edges); i++)
    {
      JsonObject *node = bough_object_edge_node (edges, i);
      const char *id = bough_object_get_string (node, "id");
      const char *label = bough_object_get_string (node, "display_label");
      GtkWidget *row;
      GtkWidget *text;

      if (id == NULL)
        continue;
      text = gtk_label_new (label != NULL ? label : id);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), text);
      g_object_set_data_full (G_OBJECT (row), "peer-id", g_strdup (id), g_free);
      g_object_set_data_full (G_OBJECT (row), "peer-label", g_strdup (label != NULL ? label : id),
                              g_free);
      gtk_list_box_append (self->results, row);
    }
}

/**
 * bough_peer_chooser_search:
 * @self: a #BoughPeerChooser
 * @text: what to look for; empty for the first objects of the kind
 *
 * Replaces the results with the peers matching @text, cancelling a
 * search still under way.
 */
void
bough_peer_chooser_search (BoughPeerChooser *self,
                           const char       *text)
{
  g_autofree char *query = NULL;

  g_return_if_fail (BOUGH_IS_PEER_CHOOSER (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->searching = TRUE;
  query = bough_object_query_peers (self->peer_kind, text, SEARCH_LIMIT);
  bough_client_query_async (self->client, self->branch, NULL, query, NULL, self->cancellable,
                            search_done_cb, g_object_ref (self));
}

static void
search_changed_cb (BoughPeerChooser *self)
{
  bough_peer_chooser_search (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
popover_show_cb (BoughPeerChooser *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  bough_peer_chooser_search (self, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
row_activated_cb (GtkListBox       *box,
                  GtkListBoxRow    *row,
                  BoughPeerChooser *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "peer-id");

  if (id == NULL)
    return;
  bough_peer_chooser_add (self, id, g_object_get_data (G_OBJECT (row), "peer-label"));
  gtk_menu_button_popdown (self->button);
}

static void
entry_activate_cb (BoughPeerChooser *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->results, 0);

  /* Enter takes the first result once the results are in */
  if (first != NULL && !self->searching)
    row_activated_cb (self->results, first, self);
}

static void
bough_peer_chooser_dispose (GObject *object)
{
  BoughPeerChooser *self = BOUGH_PEER_CHOOSER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (bough_peer_chooser_parent_class)->dispose (object);
}

static void
bough_peer_chooser_finalize (GObject *object)
{
  BoughPeerChooser *self = BOUGH_PEER_CHOOSER (object);

  g_clear_pointer (&self->ids, g_ptr_array_unref);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_free (self->branch);
  g_free (self->peer_kind);

  G_OBJECT_CLASS (bough_peer_chooser_parent_class)->finalize (object);
}

static void
bough_peer_chooser_class_init (BoughPeerChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bough_peer_chooser_dispose;
  object_class->finalize = bough_peer_chooser_finalize;

  /**
   * BoughPeerChooser::changed:
   *
   * The chosen peers changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bough_peer_chooser_init (BoughPeerChooser *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->ids = g_ptr_array_new_with_free_func (g_free);
  self->labels = g_ptr_array_new_with_free_func (g_free);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);

  self->chips = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->chips));

  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->entry, "placeholder-text", _("Search"), NULL);
  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));
  self->results = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->results, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->results), "boxed-list");
  g_signal_connect (self->results, "row-activated", G_CALLBACK (row_activated_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->results));
  gtk_widget_set_size_request (scrolled, 260, -1);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (popover_show_cb), self);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_popover (self->button, popover);
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->button));
}

/**
 * bough_peer_chooser_new:
 * @client: the API client
 * @branch: (nullable): the branch searched
 * @peer_kind: the relationship's peer kind
 * @multiple: whether several peers may be chosen (else one replaces another)
 *
 * Returns: (transfer floating): a new chooser
 */
BoughPeerChooser *
bough_peer_chooser_new (BoughClient *client,
                        const char  *branch,
                        const char  *peer_kind,
                        gboolean     multiple)
{
  BoughPeerChooser *self;

  g_return_val_if_fail (BOUGH_IS_CLIENT (client), NULL);
  g_return_val_if_fail (peer_kind != NULL, NULL);

  self = g_object_new (BOUGH_TYPE_PEER_CHOOSER, NULL);
  self->client = g_object_ref (client);
  self->branch = g_strdup (branch);
  self->peer_kind = g_strdup (peer_kind);
  self->multiple = multiple;
  rebuild_chips (self);
  return self;
}

void
bough_peer_chooser_add (BoughPeerChooser *self,
                        const char       *id,
                        const char       *label)
{
  g_return_if_fail (BOUGH_IS_PEER_CHOOSER (self));
  g_return_if_fail (id != NULL);

  for (guint i = 0; i < self->ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->ids, i), id))
      return;
  if (!self->multiple)
    {
      g_ptr_array_set_size (self->ids, 0);
      g_ptr_array_set_size (self->labels, 0);
    }
  g_ptr_array_add (self->ids, g_strdup (id));
  g_ptr_array_add (self->labels, g_strdup (label != NULL ? label : id));
  rebuild_chips (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
bough_peer_chooser_clear (BoughPeerChooser *self)
{
  g_return_if_fail (BOUGH_IS_PEER_CHOOSER (self));

  g_ptr_array_set_size (self->ids, 0);
  g_ptr_array_set_size (self->labels, 0);
  rebuild_chips (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * bough_peer_chooser_get_ids:
 * @self: a #BoughPeerChooser
 *
 * Returns: (transfer full): the chosen peers' ids, in the order chosen
 */
char **
bough_peer_chooser_get_ids (BoughPeerChooser *self)
{
  GStrvBuilder *builder;
  char **ids;

  g_return_val_if_fail (BOUGH_IS_PEER_CHOOSER (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->ids->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->ids, i));
  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

/**
 * bough_peer_chooser_get_results:
 * @self: a #BoughPeerChooser
 *
 * Returns: (transfer none): the list of the last search's results
 */
GtkListBox *
bough_peer_chooser_get_results (BoughPeerChooser *self)
{
  g_return_val_if_fail (BOUGH_IS_PEER_CHOOSER (self), NULL);

  return self->results;
}

gboolean
bough_peer_chooser_get_searching (BoughPeerChooser *self)
{
  g_return_val_if_fail (BOUGH_IS_PEER_CHOOSER (self), FALSE);

  return self->searching;
}
