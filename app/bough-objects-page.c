/* bough-objects-page.c: BoughObjectsPage: a kind's objects in a column view
 * fed by BoughObjectModel (pages fetched on demand), with columns from the
 * kind's attributes and cardinality-one relationships, a search entry
 * (the kind's default filter or any value), a filter by one attribute,
 * sorting by a column (done by the server: a header click changes the
 * query's order), and the creation form.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bough-object-form.h"
#include "bough-object-model.h"
#include "bough-object-page.h"
#include "bough-object-query.h"
#include "bough-objects-page.h"
#include "bough-objects-private.h"
#include "bough-operations.h"
#include "bough-search-anywhere.h"

/* Metadata columns: their cells show these members of the node_metadata. */
#define METADATA_PREFIX "node_metadata__"

/* ---- sort probes ----
 *
 * GTK 4.8 cannot tell which column a GtkColumnViewSorter sorts by (that is
 * 4.10 API). Each sortable column has a sorter that knows its column (and
 * the column its server order field); comparing two probes with the
 * view's sorter asks the primary column's sorter first, which writes its
 * column into the probes and answers "larger"; the view turns that into
 * "smaller" when the column is sorted descending. Rows are never
 * compared: the server sorts. */

#define BOUGH_TYPE_SORT_PROBE (bough_sort_probe_get_type ())
G_DECLARE_FINAL_TYPE (BoughSortProbe, bough_sort_probe, BOUGH, SORT_PROBE, GObject)

struct _BoughSortProbe
{
  GObject              parent_instance;

  gboolean             first;
  GtkColumnViewColumn *hit;     /* the column whose sorter answered */
};

G_DEFINE_FINAL_TYPE (BoughSortProbe, bough_sort_probe, G_TYPE_OBJECT)

static void
bough_sort_probe_class_init (BoughSortProbeClass *klass)
{
}

static void
bough_sort_probe_init (BoughSortProbe *self)
{
}

static int
column_sort_cb (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  BoughSortProbe *probe_a;
  BoughSortProbe *probe_b;

  if (!BOUGH_IS_SORT_PROBE ((gpointer) a) || !BOUGH_IS_SORT_PROBE ((gpointer) b))
    return GTK_ORDERING_EQUAL;
  probe_a = BOUGH_SORT_PROBE ((gpointer) a);
  probe_b = BOUGH_SORT_PROBE ((gpointer) b);
  probe_a->hit = user_data;
  probe_b->hit = user_data;
  return probe_a->first ? GTK_ORDERING_LARGER : GTK_ORDERING_SMALLER;
}

struct _BoughObjectsPage
{
  BoughPage           parent_instance;

  char               *kind;
  BoughSchema        *schema;
  BoughNodeSchema    *ns;
  char               *columns_for;     /* kind and schema hash of the columns shown */
  BoughObjectModel   *model;
  GtkSingleSelection *selection;
  GPtrArray          *filter_names;    /* of filter_attribute's items after "any": an
                                        * attribute, or a peer's filter (`site__name__value`) */
  GPtrArray          *sort_columns;    /* of GtkColumnViewColumn: order_dropdown's items
                                        * after "default" */
  char               *sort_field;      /* the order field sorted by, NULL for the schema's */
  gboolean            sort_descending;
  GHashTable         *sort_per_kind;   /* kind → "+field" or "-field", for the session */
  guint               syncing;         /* the page itself changes the sort widgets */
  GtkColumnViewColumn *arrow_column;   /* the header last shown sorted */
  BoughSortProbe     *probe_a;
  BoughSortProbe     *probe_b;
  GMenuModel         *header_menu;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *filter_attribute;
  GtkEntry           *filter_value;
  GtkDropDown        *order_dropdown;
  GtkToggleButton    *order_descending;
  GtkStack           *stack;
  AdwStatusPage      *status_page;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;
};

G_DEFINE_FINAL_TYPE (BoughObjectsPage, bough_objects_page, BOUGH_TYPE_PAGE)

/* ---- cells ---- */

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  const char *field = g_object_get_data (G_OBJECT (factory), "field");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* a time has room for a whole local date and time */
  gtk_label_set_width_chars (GTK_LABEL (label),
                             field != NULL && g_str_has_prefix (field, METADATA_PREFIX) ? 18 : 8);
  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              BoughObjectsPage         *self)
{
  BoughObjectItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const char *field = g_object_get_data (G_OBJECT (factory), "field");
  g_autofree char *text = NULL;

  if (!bough_object_item_get_loaded (item))
    {
      /* the page is on its way */
      gtk_label_set_text (GTK_LABEL (label), "…");
      gtk_widget_add_css_class (label, "dim-label");
      return;
    }
  gtk_widget_remove_css_class (label, "dim-label");
  if (field == NULL)
    text = g_strdup (bough_object_item_get_display_label (item));
  else if (g_str_has_prefix (field, METADATA_PREFIX))
    text = bough_format_time (bough_object_get_string (bough_object_item_get_metadata (item),
                                                     field + strlen (METADATA_PREFIX)));
  else if (self->ns != NULL)
    text = bough_object_cell_text (self->ns, bough_object_item_get_node (item), field);
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
}

static const char *
column_order_field (GtkColumnViewColumn *column)
{
  return column != NULL ? g_object_get_data (G_OBJECT (column), "order-field") : NULL;
}

/* A column showing @field (an attribute, a relationship, a metadata
 * member, NULL for the label), sorted by the server's @order_field. */
static void
add_column (BoughObjectsPage *self,
            GtkStringList    *sort_choices,
            const char       *title,
            const char       *field,
            const char       *order_field,
            gboolean          expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_object_set_data_full (G_OBJECT (factory), "field", g_strdup (field), g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), self);
  column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  if (order_field != NULL)
    {
      /* the column owns its sorter: no reference back */
      g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (column_sort_cb, column, NULL);

      g_object_set_data_full (G_OBJECT (column), "order-field", g_strdup (order_field), g_free);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      gtk_column_view_column_set_header_menu (column, self->header_menu);
      g_ptr_array_add (self->sort_columns, g_object_ref (column));
      gtk_string_list_append (sort_choices, title);
    }
  gtk_column_view_append_column (self->column_view, column);
}

static void
remove_columns (BoughObjectsPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  /* a sorted column's removal changes the view's sorter: not the user's
   * doing */
  self->syncing++;
  g_ptr_array_set_size (self->sort_columns, 0);
  g_clear_object (&self->arrow_column);
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
  self->syncing--;
}

static const char *
attribute_title (BoughAttributeSchema *attr)
{
  return attr->label != NULL ? attr->label : attr->name;
}

/* The text filter that finds objects of @peer: its default filter, else
 * its name. */
static char *
peer_value_filter (BoughNodeSchema *peer)
{
  if (peer == NULL)
    return NULL;
  if (peer->default_filter != NULL && g_str_has_suffix (peer->default_filter, "__value"))
    return g_strdup (peer->default_filter);
  if (bough_node_schema_get_attribute (peer, "name") != NULL)
    return g_strdup ("name__value");
  return NULL;
}

/* Columns and the filter choices follow the kind's schema. */
static void
build_columns (BoughObjectsPage *self)
{
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) sort_choices = gtk_string_list_new (NULL);
  g_autofree char *label_order = NULL;
  g_autofree char *key = g_strconcat (self->ns->kind, " ", bough_schema_get_hash (self->schema),
                                      NULL);

  if (g_strcmp0 (key, self->columns_for) == 0)
    return;
  g_free (self->columns_for);
  self->columns_for = g_steal_pointer (&key);

  remove_columns (self);
  gtk_string_list_append (sort_choices, _("Default order"));
  label_order = bough_object_order_field (self->schema, self->ns, NULL);
  add_column (self, sort_choices, _("Label"), NULL, label_order, TRUE);
  g_ptr_array_set_size (self->filter_names, 0);
  gtk_string_list_append (choices, _("Any attribute"));
  for (guint i = 0; i < self->ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (self->ns->attributes, i);

      if (!bough_object_attribute_is_listed (attr))
        continue;
      g_ptr_array_add (self->filter_names, g_strdup (attr->name));
      gtk_string_list_append (choices, attribute_title (attr));
      if (attr->display == BOUGH_FIELD_DISPLAY_DEFAULT)
        {
          g_autofree char *order = bough_object_order_field (self->schema, self->ns, attr->name);

          add_column (self, sort_choices, attribute_title (attr), attr->name, order, FALSE);
        }
    }
  for (guint i = 0; i < self->ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (self->ns->relationships, i);

      const char *title = rel->label != NULL ? rel->label : rel->name;
      g_autofree char *peer_filter = NULL;
      g_autofree char *order = NULL;

      if (rel->cardinality != BOUGH_CARDINALITY_ONE || !bough_object_relationship_is_shown (rel))
        continue;
      order = bough_object_order_field (self->schema, self->ns, rel->name);
      add_column (self, sort_choices, title, rel->name, order, FALSE);
      /* a peer is found by its own default filter, as its list's search does */
      peer_filter = peer_value_filter (bough_schema_lookup (self->schema, rel->peer));
      if (peer_filter != NULL)
        {
          g_ptr_array_add (self->filter_names, g_strconcat (rel->name, "__", peer_filter, NULL));
          gtk_string_list_append (choices, title);
        }
    }
  /* every object has a creation and a last change */
  add_column (self, sort_choices, _("Created"), METADATA_PREFIX "created_at",
              BOUGH_OBJECT_ORDER_CREATED, FALSE);
  add_column (self, sort_choices, _("Updated"), METADATA_PREFIX "updated_at",
              BOUGH_OBJECT_ORDER_UPDATED, FALSE);
  g_signal_handlers_block_matched (self->filter_attribute, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                   self);
  gtk_drop_down_set_model (self->filter_attribute, G_LIST_MODEL (choices));
  gtk_drop_down_set_selected (self->filter_attribute, 0);
  g_signal_handlers_unblock_matched (self->filter_attribute, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
  self->syncing++;
  gtk_drop_down_set_model (self->order_dropdown, G_LIST_MODEL (sort_choices));
  gtk_drop_down_set_selected (self->order_dropdown, 0);
  self->syncing--;
}

/* ---- sorting ---- */

static GtkColumnViewColumn *
find_sort_column (BoughObjectsPage *self,
                  const char       *order_field,
                  guint            *index)
{
  for (guint i = 0; order_field != NULL && i < self->sort_columns->len; i++)
    {
      GtkColumnViewColumn *column = g_ptr_array_index (self->sort_columns, i);

      if (g_strcmp0 (column_order_field (column), order_field) == 0)
        {
          if (index != NULL)
            *index = i;
          return column;
        }
    }
  return NULL;
}

/* The column view's primary sort column, NULL when none is sorted. */
static GtkColumnViewColumn *
probe_view_sort (BoughObjectsPage *self,
                 gboolean         *descending)
{
  GtkOrdering ordering;

  self->probe_a->hit = NULL;
  self->probe_b->hit = NULL;
  ordering = gtk_sorter_compare (gtk_column_view_get_sorter (self->column_view),
                                 self->probe_a, self->probe_b);
  if (ordering == GTK_ORDERING_EQUAL || self->probe_a->hit == NULL)
    return NULL;
  *descending = ordering == GTK_ORDERING_SMALLER;
  return self->probe_a->hit;
}

/* Shows the page's sort in the headers, the dropdown and the direction
 * button; on @chosen's header if it sorts so. */
static void
sync_sort_widgets (BoughObjectsPage    *self,
                   GtkColumnViewColumn *chosen)
{
  GtkColumnViewColumn *column;
  guint index = 0;
  gboolean view_descending = FALSE;
  GtkColumnViewColumn *view_column;

  self->syncing++;
  view_column = probe_view_sort (self, &view_descending);
  /* two columns may sort alike (the label and the attribute naming the
   * objects): keep the one the user sorted */
  if (chosen == NULL && g_strcmp0 (column_order_field (view_column), self->sort_field) == 0)
    chosen = view_column;
  if (chosen != NULL && g_strcmp0 (column_order_field (chosen), self->sort_field) == 0 &&
      g_ptr_array_find (self->sort_columns, chosen, &index))
    column = chosen;
  else
    column = find_sort_column (self, self->sort_field, &index);
  if (column == NULL)
    {
      if (view_column != NULL)
        gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
      gtk_drop_down_set_selected (self->order_dropdown, 0);
    }
  else
    {
      if (view_column != column || view_descending != self->sort_descending)
        gtk_column_view_sort_by_column (self->column_view, column,
                                        self->sort_descending ? GTK_SORT_DESCENDING :
                                                                GTK_SORT_ASCENDING);
      gtk_drop_down_set_selected (self->order_dropdown, index + 1);
    }
  if (self->arrow_column != NULL && self->arrow_column != column)
    {
      g_autoptr(GtkSorter) sorter = g_object_ref (gtk_column_view_column_get_sorter (
        self->arrow_column));

      /* GTK 4.8 leaves the arrow on the header sorted before when
       * sort_by_column() replaces it; setting its sorter again redraws it */
      gtk_column_view_column_set_sorter (self->arrow_column, NULL);
      gtk_column_view_column_set_sorter (self->arrow_column, sorter);
    }
  g_set_object (&self->arrow_column, column);
  gtk_toggle_button_set_active (self->order_descending, column != NULL && self->sort_descending);
  gtk_widget_set_sensitive (GTK_WIDGET (self->order_descending), column != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "objects.default-order", column != NULL);
  self->syncing--;
}

/* Sorts by @order_field (NULL: the schema's order), shown on @chosen's
 * header when given: remembered for the kind, shown, and asked of the
 * server. */
static void
set_sort (BoughObjectsPage    *self,
          GtkColumnViewColumn *chosen,
          const char          *order_field,
          gboolean             descending)
{
  if (order_field != self->sort_field)
    {
      g_free (self->sort_field);
      self->sort_field = g_strdup (order_field);
    }
  self->sort_descending = order_field != NULL && descending;
  if (self->kind != NULL)
    {
      if (order_field == NULL)
        g_hash_table_remove (self->sort_per_kind, self->kind);
      else
        g_hash_table_insert (self->sort_per_kind, g_strdup (self->kind),
                             g_strconcat (descending ? "-" : "+", order_field, NULL));
    }
  sync_sort_widgets (self, chosen);
  if (self->model != NULL)
    {
      BoughObjectOrder key = { self->sort_field, self->sort_descending };
      /* a change reloads the model (emptied, it starts at its first rows) */
      bough_object_model_set_order (self->model, &key, self->sort_field != NULL ? 1 : 0);
    }
}

static void
sorter_changed_cb (BoughObjectsPage *self)
{
  GtkColumnViewColumn *column;
  gboolean descending = FALSE;
  g_autofree char *field = NULL;

  if (self->syncing > 0)
    return;
  column = probe_view_sort (self, &descending);
  field = g_strdup (column_order_field (column));
  set_sort (self, column, field, descending);
}

static void
order_changed_cb (BoughObjectsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->order_dropdown);
  GtkColumnViewColumn *column;

  if (self->syncing > 0)
    return;
  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 ||
      selected > self->sort_columns->len)
    {
      set_sort (self, NULL, NULL, FALSE);
      return;
    }
  column = g_ptr_array_index (self->sort_columns, selected - 1);
  /* another column starts ascending, as a click on its header does */
  set_sort (self, column, column_order_field (column),
            column == self->arrow_column && self->sort_descending);
}

static void
descending_toggled_cb (BoughObjectsPage *self)
{
  g_autofree char *field = NULL;

  if (self->syncing > 0 || self->sort_field == NULL)
    return;
  field = g_strdup (self->sort_field);
  set_sort (self, self->arrow_column, field,
            gtk_toggle_button_get_active (self->order_descending));
}

static void
default_order_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  set_sort (BOUGH_OBJECTS_PAGE (widget), NULL, NULL, FALSE);
}

/* ---- the model ---- */

static void
update_count (BoughObjectsPage *self)
{
  guint count;
  g_autofree char *text = NULL;

  if (self->model == NULL)
    {
      gtk_label_set_text (self->count_label, "");
      return;
    }
  count = bough_object_model_get_count (self->model);
  if (bough_object_model_get_loading (self->model))
    text = g_strdup (_("Loading…"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u object", "%u objects", count), count);
  gtk_label_set_text (self->count_label, text);
  bough_page_set_loading (BOUGH_PAGE (self), bough_object_model_get_loading (self->model));

  if (!bough_object_model_get_loading (self->model))
    {
      if (count > 0)
        gtk_stack_set_visible_child_name (self->stack, "list");
      else if (bough_object_model_get_error (self->model) == NULL)
        {
          adw_status_page_set_icon_name (self->status_page, "edit-find-symbolic");
          adw_status_page_set_title (self->status_page, _("No Objects"));
          adw_status_page_set_description (self->status_page,
                                           _("Nothing matches, or nothing was made yet."));
          gtk_stack_set_visible_child_name (self->stack, "status");
        }
    }
}

static void
model_notify_cb (BoughObjectsPage *self)
{
  gboolean has_metadata = self->model == NULL ||
                          bough_object_model_get_has_metadata (self->model);

  /* a server older than node_metadata has no times to show */
  for (guint i = 0; i < self->sort_columns->len; i++)
    {
      GtkColumnViewColumn *column = g_ptr_array_index (self->sort_columns, i);

      if (g_str_has_prefix (column_order_field (column), METADATA_PREFIX))
        gtk_column_view_column_set_visible (column, has_metadata);
    }
  update_count (self);
}

static void
model_failed_cb (BoughObjectsPage *self,
                 const GError     *error)
{
  if (bough_object_model_get_count (self->model) == 0)
    {
      adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->status_page, _("The Objects Could Not Be Loaded"));
      adw_status_page_set_description (self->status_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "status");
    }
  update_count (self);
  bough_page_report_error (BOUGH_PAGE (self), error);
}

static void
apply_filter (BoughObjectsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->filter_attribute);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_value));

  bough_object_model_clear_filters (self->model);
  gtk_widget_remove_css_class (GTK_WIDGET (self->filter_value), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_value), NULL);
  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || text[0] == '\0')
    {
      /* "any attribute": the value is a search of any value */
      if (text[0] != '\0')
        {
          g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);

          json_node_set_string (value, text);
          bough_object_model_set_filter (self->model, "any__value", value);
        }
      return;
    }
  {
    const char *name = g_ptr_array_index (self->filter_names, selected - 1);
    BoughAttributeSchema *attr = bough_node_schema_get_attribute (self->ns, name);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) value = NULL;
    g_autofree char *argument = NULL;

    if (attr == NULL)
      {
        /* a peer's filter: text, matched in part */
        value = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (value, text);
        bough_object_model_set_filter (self->model, name, value);
        return;
      }
    value = bough_object_value_from_text (attr, text, &error);
    argument = g_strconcat (name, "__value", NULL);

    if (value == NULL)
      {
        gtk_widget_add_css_class (GTK_WIDGET (self->filter_value), "error");
        gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_value), error->message);
        return;
      }
    bough_object_model_set_filter (self->model, argument, value);
  }
}

static void
restart (BoughObjectsPage *self)
{
  if (self->model == NULL)
    return;
  bough_object_model_set_search (self->model,
                                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  apply_filter (self);
  bough_object_model_reload (self->model);
  update_count (self);
}

static void
search_changed_cb (BoughObjectsPage *self)
{
  restart (self);
}

static void
filter_changed_cb (BoughObjectsPage *self)
{
  restart (self);
}

static void
row_activated_cb (BoughObjectsPage *self,
                  guint             position)
{
  g_autoptr(BoughObjectItem) item = NULL;
  g_autofree char *argument = NULL;

  if (self->model == NULL)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (item == NULL || !bough_object_item_get_loaded (item))
    return;
  argument = bough_object_page_argument (bough_object_item_get_kind (item) != NULL ?
                                         bough_object_item_get_kind (item) : self->kind,
                                         bough_object_item_get_id (item));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.navigate", "(ss)", "object", argument);
}

static void
schema_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BoughObjectsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  BoughNodeSchema *ns;

  schema = bough_client_fetch_schema_finish (BOUGH_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
  if (schema == NULL)
    {
      adw_status_page_set_icon_name (self->status_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->status_page, _("The Schema Could Not Be Loaded"));
      adw_status_page_set_description (self->status_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "status");
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  ns = self->kind != NULL ? bough_schema_lookup (schema, self->kind) : NULL;
  if (ns == NULL)
    {
      g_autofree char *description = NULL;

      description = g_strdup_printf (_("The schema of this branch has no kind “%s”."),
                                     self->kind ? self->kind : "");

      /* the kind may not exist on this branch, or not yet at this time */
      if (self->model != NULL)
        g_signal_handlers_disconnect_by_data (self->model, self);
      gtk_single_selection_set_model (self->selection, NULL);
      g_clear_object (&self->model);
      self->ns = NULL;
      update_count (self);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "objects.new", FALSE);
      adw_status_page_set_icon_name (self->status_page, "dialog-question-symbolic");
      adw_status_page_set_title (self->status_page, _("Unknown Kind"));
      adw_status_page_set_description (self->status_page, description);
      gtk_stack_set_visible_child_name (self->stack, "status");
      return;
    }

  g_clear_pointer (&self->schema, bough_schema_unref);
  self->schema = g_steal_pointer (&schema);
  self->ns = ns;
  bough_page_set_title (BOUGH_PAGE (self), ns->label != NULL ? ns->label : ns->kind);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "objects.new",
                                 !ns->is_generic && bough_page_get_at (BOUGH_PAGE (self)) == NULL);
  build_columns (self);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->model);
  self->model = bough_object_model_new (bough_page_get_client (BOUGH_PAGE (self)),
                                        self->schema, self->kind);
  bough_object_model_set_branch (self->model, bough_page_get_branch (BOUGH_PAGE (self)));
  bough_object_model_set_at (self->model, bough_page_get_at (BOUGH_PAGE (self)));
  g_signal_connect_swapped (self->model, "notify::count", G_CALLBACK (model_notify_cb), self);
  g_signal_connect_swapped (self->model, "notify::loading", G_CALLBACK (model_notify_cb), self);
  g_signal_connect_swapped (self->model, "failed", G_CALLBACK (model_failed_cb), self);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  /* the sort survives a new branch or time (and new columns) when the
   * column is still there */
  if (find_sort_column (self, self->sort_field, NULL) == NULL)
    g_clear_pointer (&self->sort_field, g_free);
  sync_sort_widgets (self, NULL);
  {
    BoughObjectOrder key = { self->sort_field, self->sort_descending };

    bough_object_model_set_order (self->model, &key, self->sort_field != NULL ? 1 : 0);
  }
  restart (self);
}

static void
bough_objects_page_reload (BoughPage    *page,
                           GCancellable *cancellable)
{
  BoughObjectsPage *self = BOUGH_OBJECTS_PAGE (page);

  if (self->kind == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "status");
      return;
    }
  bough_page_set_loading (page, TRUE);
  bough_client_fetch_schema_async (bough_page_get_client (page), bough_page_get_branch (page),
                                   bough_page_get_at (page), cancellable, schema_fetched_cb,
                                   g_object_ref (page));
}

static void
bough_objects_page_navigate (BoughPage  *page,
                             const char *argument)
{
  BoughObjectsPage *self = BOUGH_OBJECTS_PAGE (page);

  if (argument == NULL)
    return;
  if (g_strcmp0 (argument, self->kind) == 0)
    {
      /* back to the same kind: fresh objects, same search and filter */
      restart (self);
      return;
    }
  g_free (self->kind);
  self->kind = g_strdup (argument);
  bough_page_set_title (page, argument);
  /* a kind's sort is remembered for the session; else its schema's order */
  {
    const char *saved = g_hash_table_lookup (self->sort_per_kind, argument);

    g_clear_pointer (&self->sort_field, g_free);
    self->sort_field = saved != NULL ? g_strdup (saved + 1) : NULL;
    self->sort_descending = saved != NULL && saved[0] == '-';
  }
  /* a new kind starts unfiltered */
  g_signal_handlers_block_matched (self->search_entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_signal_handlers_unblock_matched (self->search_entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
  gtk_editable_set_text (GTK_EDITABLE (self->filter_value), "");
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->model);
  self->ns = NULL;
  update_count (self);
  bough_page_queue_reload (page);
}

/* ---- creation ---- */

static void
form_saved_cb (BoughObjectForm  *form,
               const char       *kind,
               const char       *id,
               BoughObjectsPage *self)
{
  g_autofree char *argument = bough_object_page_argument (kind, id);

  restart (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.navigate", "(ss)", "object", argument);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BoughObjectsPage *self = BOUGH_OBJECTS_PAGE (widget);
  BoughObjectForm *form;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->schema == NULL || self->ns == NULL || self->ns->is_generic)
    return;
  form = bough_object_form_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                bough_page_get_client (BOUGH_PAGE (self)),
                                bough_page_get_branch (BOUGH_PAGE (self)),
                                self->schema, self->ns->kind, NULL);
  g_signal_connect_object (form, "saved", G_CALLBACK (form_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (form));
}

/* ---- GObject ---- */

static void
bough_objects_page_dispose (GObject *object)
{
  BoughObjectsPage *self = BOUGH_OBJECTS_PAGE (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
      remove_columns (self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_OBJECTS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_pointer (&self->schema, bough_schema_unref);
  g_clear_pointer (&self->filter_names, g_ptr_array_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->columns_for, g_free);
  g_clear_pointer (&self->sort_columns, g_ptr_array_unref);
  g_clear_pointer (&self->sort_field, g_free);
  g_clear_pointer (&self->sort_per_kind, g_hash_table_unref);
  g_clear_object (&self->arrow_column);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);
  g_clear_object (&self->header_menu);

  G_OBJECT_CLASS (bough_objects_page_parent_class)->dispose (object);
}

static void
bough_objects_page_class_init (BoughObjectsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BoughPageClass *page_class = BOUGH_PAGE_CLASS (klass);

  object_class->dispose = bough_objects_page_dispose;
  page_class->reload = bough_objects_page_reload;
  page_class->navigate = bough_objects_page_navigate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bough/Bough/bough-objects-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, filter_attribute);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, filter_value);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, order_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, order_descending);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BoughObjectsPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, order_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, descending_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "objects.new", NULL, new_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "objects.new",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "objects.default-order", NULL,
                                   default_order_action);
}

static void
bough_objects_page_init (BoughObjectsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter_names = g_ptr_array_new_with_free_func (g_free);
  self->sort_columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->sort_per_kind = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->probe_a = g_object_new (BOUGH_TYPE_SORT_PROBE, NULL);
  self->probe_a->first = TRUE;
  self->probe_b = g_object_new (BOUGH_TYPE_SORT_PROBE, NULL);
  {
    GMenu *menu = g_menu_new ();

    /* a sorted column's header offers the way back (right click) */
    g_menu_append (menu, _("Default Order"), "objects.default-order");
    self->header_menu = G_MENU_MODEL (menu);
  }
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (sorter_changed_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "objects.new", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "objects.default-order", FALSE);
  bough_page_set_title (BOUGH_PAGE (self), _("Objects"));
  bough_page_set_icon_name (BOUGH_PAGE (self), "view-list-symbolic");
  gtk_stack_set_visible_child_name (self->stack, "status");
}

BoughObjectsPage *
bough_objects_page_new (void)
{
  return g_object_new (BOUGH_TYPE_OBJECTS_PAGE, NULL);
}

const char *
bough_objects_page_get_kind (BoughObjectsPage *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECTS_PAGE (self), NULL);

  return self->kind;
}

BoughObjectModel *
_bough_objects_page_get_model (BoughObjectsPage *self)
{
  return self->model;
}

GtkColumnView *
_bough_objects_page_get_column_view (BoughObjectsPage *self)
{
  return self->column_view;
}

GtkSearchEntry *
_bough_objects_page_get_search_entry (BoughObjectsPage *self)
{
  return self->search_entry;
}

GtkDropDown *
_bough_objects_page_get_filter_attribute (BoughObjectsPage *self)
{
  return self->filter_attribute;
}

GtkEntry *
_bough_objects_page_get_filter_value (BoughObjectsPage *self)
{
  return self->filter_value;
}

GtkDropDown *
_bough_objects_page_get_order_dropdown (BoughObjectsPage *self)
{
  return self->order_dropdown;
}

GtkToggleButton *
_bough_objects_page_get_order_descending (BoughObjectsPage *self)
{
  return self->order_descending;
}

/* The status page when it is shown in place of the list, else %NULL. */
AdwStatusPage *
_bough_objects_page_get_status_page (BoughObjectsPage *self)
{
  return gtk_stack_get_visible_child (self->stack) == GTK_WIDGET (self->status_page) ?
         self->status_page : NULL;
}

/* Makes the column titled @title sort by @order_field, as if the server
 * took that field for it: a test's way to a field the server refuses. */
void
_bough_objects_page_set_order_field (BoughObjectsPage *self,
                                     const char       *title,
                                     const char       *order_field)
{
  GtkColumnViewColumn *column = _bough_objects_page_find_column (self, title);

  g_return_if_fail (column != NULL && column_order_field (column) != NULL);
  g_object_set_data_full (G_OBJECT (column), "order-field", g_strdup (order_field), g_free);
}

/* The column titled @title, %NULL when none is. */
GtkColumnViewColumn *
_bough_objects_page_find_column (BoughObjectsPage *self,
                                 const char       *title)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  return NULL;
}

/**
 * bough_objects_register:
 * @window: the main window
 *
 * Adds the object views to @window: the list of a kind's objects (which
 * the sidebar's kinds open from now on) and an object's page.
 */
void
bough_objects_register (BoughWindow *window)
{
  g_autoptr(BoughPage) objects = NULL;
  g_autoptr(BoughPage) object = NULL;

  g_return_if_fail (BOUGH_IS_WINDOW (window));

  g_type_ensure (BOUGH_TYPE_SEARCH_ANYWHERE);
  objects = g_object_ref_sink (BOUGH_PAGE (bough_objects_page_new ()));
  object = g_object_ref_sink (BOUGH_PAGE (bough_object_page_new ()));
  bough_window_add_page (window, "objects", objects, FALSE);
  bough_window_add_page (window, "object", object, FALSE);
  bough_window_set_kind_page (window, "objects");
}
