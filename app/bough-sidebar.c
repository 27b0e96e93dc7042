/* bough-sidebar.c: BoughSidebar: the list of views (pages the window adds)
 * and the tree of the schema's menu (GET /api/menu, or namespaces and kinds
 * from GET /api/schema when the server has no menu), with a search that
 * flattens the tree; choosing a kind activates `win.open-kind`.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bough-error.h"
#include "bough-sidebar.h"
#include "bough-util.h"

/* ---- one entry of the menu ---- */

#define BOUGH_TYPE_MENU_ITEM (bough_menu_item_get_type ())
G_DECLARE_FINAL_TYPE (BoughMenuItem, bough_menu_item, BOUGH, MENU_ITEM, GObject)

struct _BoughMenuItem
{
  GObject     parent_instance;
  char       *label;
  char       *kind;       /* NULL for a group such as a namespace */
  char       *icon_name;
  char       *description;
  GListStore *children;   /* NULL when none */
};

G_DEFINE_FINAL_TYPE (BoughMenuItem, bough_menu_item, G_TYPE_OBJECT)

static void
bough_menu_item_finalize (GObject *object)
{
  BoughMenuItem *self = BOUGH_MENU_ITEM (object);

  g_free (self->label);
  g_free (self->kind);
  g_free (self->icon_name);
  g_free (self->description);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (bough_menu_item_parent_class)->finalize (object);
}

static void
bough_menu_item_class_init (BoughMenuItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bough_menu_item_finalize;
}

static void
bough_menu_item_init (BoughMenuItem *self)
{
}

static BoughMenuItem *
menu_item_new (const char *label,
               const char *kind,
               const char *icon_name,
               const char *description)
{
  BoughMenuItem *item = g_object_new (BOUGH_TYPE_MENU_ITEM, NULL);

  item->label = g_strdup (label);
  item->kind = g_strdup (kind);
  item->icon_name = g_strdup (icon_name);
  item->description = g_strdup (description);
  return item;
}

static void
menu_item_add_child (BoughMenuItem *parent,
                     BoughMenuItem *child)
{
  if (parent->children == NULL)
    parent->children = g_list_store_new (BOUGH_TYPE_MENU_ITEM);
  g_list_store_append (parent->children, child);
}

/* ---- the sidebar ---- */

struct _BoughSidebar
{
  BoughPage           parent_instance;

  GListStore         *roots;      /* of BoughMenuItem */
  GListStore         *flat;       /* every item with a kind, for the search */
  GtkTreeListModel   *tree;
  GtkCustomFilter    *filter;
  char               *search;

  GtkSearchEntry     *search_entry;
  GtkListBox         *pages_list;
  GtkStack           *menu_stack;
  GtkListView        *menu_view;
  AdwStatusPage      *empty_page;
};

G_DEFINE_FINAL_TYPE (BoughSidebar, bough_sidebar, BOUGH_TYPE_PAGE)

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  BoughMenuItem *menu_item = item;

  return menu_item->children ? g_object_ref (G_LIST_MODEL (menu_item->children)) : NULL;
}

static void
flatten (GListStore *flat,
         GListModel *items)
{
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(BoughMenuItem) item = g_list_model_get_item (items, i);

      if (item->kind != NULL)
        g_list_store_append (flat, item);
      if (item->children != NULL)
        flatten (flat, G_LIST_MODEL (item->children));
    }
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  BoughSidebar *self = user_data;
  BoughMenuItem *menu_item;
  g_autofree char *label = NULL;
  g_autofree char *kind = NULL;

  if (GTK_IS_TREE_LIST_ROW (item))
    return TRUE;
  menu_item = item;
  if (self->search == NULL)
    return TRUE;
  label = g_utf8_casefold (menu_item->label ? menu_item->label : "", -1);
  kind = g_utf8_casefold (menu_item->kind ? menu_item->kind : "", -1);
  return strstr (label, self->search) != NULL || strstr (kind, self->search) != NULL;
}

static void
update_model (BoughSidebar *self)
{
  g_autoptr(GtkSingleSelection) selection = NULL;
  GListModel *model;

  /* Searching shows the matching kinds flat; otherwise the tree. */
  if (self->search != NULL)
    model = G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->flat)),
                                                     g_object_ref (GTK_FILTER (self->filter))));
  else
    model = g_object_ref (G_LIST_MODEL (self->tree));
  selection = gtk_single_selection_new (model);
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->menu_view, GTK_SELECTION_MODEL (selection));
  gtk_stack_set_visible_child_name (self->menu_stack,
                                    g_list_model_get_n_items (model) > 0 ? "menu" : "empty");
}

static void
search_changed_cb (BoughSidebar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_clear_pointer (&self->search, g_free);
  if (text[0] != '\0')
    self->search = g_utf8_casefold (text, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_model (self);
}

static BoughMenuItem *
item_at (BoughSidebar *self,
         guint         position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->menu_view));
  g_autoptr(GObject) object = g_list_model_get_item (model, position);

  if (GTK_IS_TREE_LIST_ROW (object))
    return BOUGH_MENU_ITEM (gtk_tree_list_row_get_item (GTK_TREE_LIST_ROW (object)));
  return object ? g_object_ref (BOUGH_MENU_ITEM (object)) : NULL;
}

static void
menu_activate_cb (BoughSidebar *self,
                  guint         position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->menu_view));
  g_autoptr(GObject) object = g_list_model_get_item (model, position);
  g_autoptr(BoughMenuItem) item = item_at (self, position);

  if (item == NULL)
    return;
  if (item->kind != NULL)
    {
      gtk_list_box_unselect_all (self->pages_list);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.open-kind", "s", item->kind);
    }
  else if (GTK_IS_TREE_LIST_ROW (object))
    gtk_tree_list_row_set_expanded (GTK_TREE_LIST_ROW (object),
                                    !gtk_tree_list_row_get_expanded (GTK_TREE_LIST_ROW (object)));
}

static void
search_activate_cb (BoughSidebar *self)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->menu_view));

  /* Enter opens the first match. */
  if (self->search != NULL && model != NULL && g_list_model_get_n_items (model) > 0)
    menu_activate_cb (self, 0);
}

static void
page_row_activated_cb (BoughSidebar  *self,
                       GtkListBoxRow *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "bough-page-name");
  GtkSelectionModel *menu = gtk_list_view_get_model (self->menu_view);

  gtk_selection_model_unselect_all (menu);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", name);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (image);
  GObject *object = gtk_list_item_get_item (list_item);
  BoughMenuItem *item;

  if (GTK_IS_TREE_LIST_ROW (object))
    {
      gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), GTK_TREE_LIST_ROW (object));
      item = gtk_tree_list_row_get_item (GTK_TREE_LIST_ROW (object));
      g_object_unref (item);
    }
  else
    {
      gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), NULL);
      item = BOUGH_MENU_ITEM (object);
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (image), item->icon_name);
  gtk_label_set_text (GTK_LABEL (label), item->label);
  gtk_widget_set_tooltip_text (box, item->description ? item->description : item->kind);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), NULL);
}

/* ---- loading ---- */

static BoughMenuItem *
item_from_json (JsonObject *object)
{
  const char *label = json_object_get_string_member_with_default (object, "label", NULL);
  const char *kind = json_object_get_string_member_with_default (object, "kind", NULL);
  const char *icon = json_object_get_string_member_with_default (object, "icon", NULL);
  const char *description =
    json_object_get_string_member_with_default (object, "description", NULL);
  JsonNode *children = json_object_get_member (object, "children");
  BoughMenuItem *item;

  item = menu_item_new (label ? label : kind, kind, bough_icon_name_for_schema_icon (icon),
                        description);
  if (children != NULL && JSON_NODE_HOLDS_ARRAY (children))
    {
      JsonArray *array = json_node_get_array (children);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *child = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (child))
            {
              g_autoptr(BoughMenuItem) child_item = item_from_json (json_node_get_object (child));

              menu_item_add_child (item, child_item);
            }
        }
    }
  return item;
}

static void
add_section (GListStore *roots,
             JsonArray  *items,
             const char *group_label,
             const char *group_icon)
{
  g_autoptr(BoughMenuItem) group = NULL;

  if (items == NULL || json_array_get_length (items) == 0)
    return;
  if (group_label != NULL)
    group = menu_item_new (group_label, NULL, group_icon, NULL);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      g_autoptr(BoughMenuItem) item = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = item_from_json (json_node_get_object (node));
      if (group != NULL)
        menu_item_add_child (group, item);
      else
        g_list_store_append (roots, item);
    }
  if (group != NULL)
    g_list_store_append (roots, group);
}

static void
set_roots (BoughSidebar *self,
           GListStore   *roots)
{
  g_list_store_remove_all (self->roots);
  g_list_store_remove_all (self->flat);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (roots)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (roots), i);

      g_list_store_append (self->roots, item);
    }
  flatten (self->flat, G_LIST_MODEL (self->roots));
  update_model (self);
}

static int
compare_nodes (gconstpointer a,
               gconstpointer b)
{
  const BoughNodeSchema *na = *(BoughNodeSchema * const *) a;
  const BoughNodeSchema *nb = *(BoughNodeSchema * const *) b;

  return g_strcmp0 (na->kind, nb->kind);
}

/* Without a menu: one group per namespace, its nodes and generics inside. */
static void
schema_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BoughSidebar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(GListStore) roots = g_list_store_new (BOUGH_TYPE_MENU_ITEM);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *lists[2];

  schema = bough_client_fetch_schema_finish (BOUGH_CLIENT (source), result, &error);
  if (schema == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bough_page_set_loading (BOUGH_PAGE (self), FALSE);
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  lists[0] = bough_schema_get_nodes (schema);
  lists[1] = bough_schema_get_generics (schema);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    g_ptr_array_extend (all, lists[l], NULL, NULL);
  g_ptr_array_sort (all, compare_nodes);
  for (guint i = 0; i < all->len; i++)
    {
      BoughNodeSchema *node = g_ptr_array_index (all, i);
      BoughMenuItem *group = g_hash_table_lookup (groups, node->namespace_);
      g_autoptr(BoughMenuItem) item = NULL;

      if (node->is_profile || node->is_template)
        continue;
      if (group == NULL)
        {
          g_autoptr(BoughMenuItem) created = menu_item_new (node->namespace_, NULL,
                                                            "folder-symbolic", NULL);

          group = created;
          g_list_store_append (roots, created);
          g_hash_table_insert (groups, node->namespace_, group);
        }
      item = menu_item_new (node->label ? node->label : node->name, node->kind,
                            bough_icon_name_for_schema_icon (node->icon), node->description);
      menu_item_add_child (group, item);
    }
  set_roots (self, roots);
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
}

static void
menu_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BoughSidebar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GListStore) roots = g_list_store_new (BOUGH_TYPE_MENU_ITEM);
  JsonObject *sections;

  root = bough_client_rest_finish (BOUGH_CLIENT (source), result, &error);
  if (root == NULL)
    {
      if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND))
        {
          BoughPage *page = BOUGH_PAGE (self);

          bough_client_fetch_schema_async (BOUGH_CLIENT (source), bough_page_get_branch (page),
                                           bough_page_get_at (page),
                                           bough_page_get_cancellable (page),
                                           schema_fetched_cb, g_object_ref (self));
          return;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bough_page_set_loading (BOUGH_PAGE (self), FALSE);
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  sections = JSON_NODE_HOLDS_OBJECT (root) ?
    json_object_get_object_member (json_node_get_object (root), "sections") : NULL;
  if (sections != NULL)
    {
      JsonNode *objects = json_object_get_member (sections, "object");
      JsonNode *internal = json_object_get_member (sections, "internal");

      if (objects != NULL && JSON_NODE_HOLDS_ARRAY (objects))
        add_section (roots, json_node_get_array (objects), NULL, NULL);
      if (internal != NULL && JSON_NODE_HOLDS_ARRAY (internal))
        add_section (roots, json_node_get_array (internal), _("Administration"),
                     "emblem-system-symbolic");
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    add_section (roots, json_node_get_array (root), NULL, NULL);
  set_roots (self, roots);
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
}

static void
bough_sidebar_reload (BoughPage    *page,
                      GCancellable *cancellable)
{
  bough_page_set_loading (page, TRUE);
  bough_client_rest_async (bough_page_get_client (page), "GET", "/api/menu",
                           bough_page_get_branch (page), bough_page_get_at (page), NULL,
                           cancellable, menu_fetched_cb, g_object_ref (page));
}

static void
bough_sidebar_dispose (GObject *object)
{
  BoughSidebar *self = BOUGH_SIDEBAR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_SIDEBAR);
  g_clear_object (&self->tree);
  g_clear_object (&self->roots);
  g_clear_object (&self->flat);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (bough_sidebar_parent_class)->dispose (object);
}

static void
bough_sidebar_class_init (BoughSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BoughPageClass *page_class = BOUGH_PAGE_CLASS (klass);

  object_class->dispose = bough_sidebar_dispose;
  page_class->reload = bough_sidebar_reload;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bough/Bough/bough-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BoughSidebar, pages_list);
  gtk_widget_class_bind_template_child (widget_class, BoughSidebar, menu_stack);
  gtk_widget_class_bind_template_child (widget_class, BoughSidebar, menu_view);
  gtk_widget_class_bind_template_child (widget_class, BoughSidebar, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, page_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, menu_activate_cb);
}

static void
bough_sidebar_init (BoughSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->roots = g_list_store_new (BOUGH_TYPE_MENU_ITEM);
  self->flat = g_list_store_new (BOUGH_TYPE_MENU_ITEM);
  self->tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (self->roots)), FALSE, FALSE,
                                        create_children_cb, NULL, NULL);
  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  gtk_list_view_set_factory (self->menu_view, factory);
  update_model (self);
}

/**
 * bough_sidebar_add_page:
 * @self: a #BoughSidebar
 * @name: the page's name
 * @page: the page, whose title and icon the row shows
 *
 * Adds a row that shows the page.
 */
void
bough_sidebar_add_page (BoughSidebar *self,
                        const char   *name,
                        BoughPage    *page)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *image;
  GtkWidget *label;

  g_return_if_fail (BOUGH_IS_SIDEBAR (self));
  g_return_if_fail (BOUGH_IS_PAGE (page));

  row = gtk_list_box_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  image = gtk_image_new ();
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  g_object_bind_property (page, "icon-name", image, "icon-name", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "title", label, "label", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "bough-page-name", g_strdup (name), g_free);
  gtk_list_box_append (self->pages_list, row);
}

/**
 * bough_sidebar_select_page:
 * @self: a #BoughSidebar
 * @name: (nullable): the page shown
 *
 * Marks the row of the page shown, if it has one.
 */
void
bough_sidebar_select_page (BoughSidebar *self,
                           const char   *name)
{
  g_return_if_fail (BOUGH_IS_SIDEBAR (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->pages_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) &&
        g_strcmp0 (g_object_get_data (G_OBJECT (row), "bough-page-name"), name) == 0)
      {
        gtk_list_box_select_row (self->pages_list, GTK_LIST_BOX_ROW (row));
        return;
      }
}

void
bough_sidebar_focus_search (BoughSidebar *self)
{
  g_return_if_fail (BOUGH_IS_SIDEBAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * bough_sidebar_set_search:
 * @self: a #BoughSidebar
 * @text: what to look for in the kinds' names and labels
 *
 * Searches the menu as typing in its search entry does.
 */
void
bough_sidebar_set_search (BoughSidebar *self,
                          const char   *text)
{
  g_return_if_fail (BOUGH_IS_SIDEBAR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  /* The entry reports a change after a delay; the model follows now. */
  search_changed_cb (self);
}

/**
 * bough_sidebar_get_menu:
 * @self: a #BoughSidebar
 *
 * Returns: (transfer none): the model the menu's list view shows (tree rows,
 *   or matching items while searching)
 */
GListModel *
bough_sidebar_get_menu (BoughSidebar *self)
{
  g_return_val_if_fail (BOUGH_IS_SIDEBAR (self), NULL);

  return G_LIST_MODEL (gtk_list_view_get_model (self->menu_view));
}

/**
 * bough_sidebar_activate_kind:
 * @self: a #BoughSidebar
 * @kind: a kind
 *
 * Activates the row of @kind as a click would, if the menu shows it.
 *
 * Returns: whether a row of @kind was found
 */
gboolean
bough_sidebar_activate_kind (BoughSidebar *self,
                             const char   *kind)
{
  GListModel *model;

  g_return_val_if_fail (BOUGH_IS_SIDEBAR (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  model = G_LIST_MODEL (gtk_list_view_get_model (self->menu_view));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BoughMenuItem) item = item_at (self, i);

      if (item != NULL && g_strcmp0 (item->kind, kind) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), i, TRUE);
          menu_activate_cb (self, i);
          return TRUE;
        }
    }
  return FALSE;
}
