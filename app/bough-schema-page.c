/* bough-schema-page.c: BoughSchemaPage: the schema of the window's branch
 * and time (GET /api/schema): a filterable list of every node and generic,
 * and for the chosen kind its description, inheritance (links), a drawing
 * of its neighbourhood, its attributes (kind, optional, unique, default,
 * constraints) and its relationships (peer as a link, cardinality, kind).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-schema-page.h"
#include "bough-util.h"

struct _BoughSchemaPage
{
  BoughPage           parent_instance;

  BoughSchema        *schema;
  char               *kind;          /* shown, or asked for before the schema came */
  GtkStringList      *kinds;
  GtkStringFilter    *filter;
  GtkSingleSelection *selection;
  BoughKindGraph     *graph;

  AdwFlap            *flap;
  GtkToggleButton    *kinds_button;
  GtkSearchEntry     *search_entry;
  GtkListView        *kinds_view;
  GtkStack           *detail_stack;
  AdwStatusPage      *empty_page;
  GtkBox             *detail_box;
};

G_DEFINE_FINAL_TYPE (BoughSchemaPage, bough_schema_page, BOUGH_TYPE_PAGE)

static void show_kind (BoughSchemaPage *self,
                       const char      *kind);

/* ---- the detail of one kind ---- */

static GtkWidget *
kind_link (const char *kind)
{
  GtkWidget *button = gtk_button_new_with_label (kind);
  g_autofree char *tooltip = g_strdup_printf (_("Show %s"), kind);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.navigate");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", "schema", kind);
  return button;
}

static GtkWidget *
links_group (const char         *title,
             const char * const *kinds)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *flow = gtk_flow_box_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 6);
  for (guint i = 0; kinds[i] != NULL; i++)
    gtk_flow_box_append (GTK_FLOW_BOX (flow), kind_link (kinds[i]));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), flow);
  return group;
}

static char *
json_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = NULL;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup_printf ("“%s”", json_node_get_string (node));
  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static const char *
relationship_kind_name (BoughRelationshipKind kind)
{
  switch (kind)
    {
    case BOUGH_RELATIONSHIP_KIND_ATTRIBUTE: return "Attribute";
    case BOUGH_RELATIONSHIP_KIND_COMPONENT: return "Component";
    case BOUGH_RELATIONSHIP_KIND_PARENT: return "Parent";
    case BOUGH_RELATIONSHIP_KIND_GROUP: return "Group";
    case BOUGH_RELATIONSHIP_KIND_HIERARCHY: return "Hierarchy";
    case BOUGH_RELATIONSHIP_KIND_PROFILE: return "Profile";
    case BOUGH_RELATIONSHIP_KIND_TEMPLATE: return "Template";
    case BOUGH_RELATIONSHIP_KIND_GENERIC:
    default: return "Generic";
    }
}

static GtkWidget *
attribute_row (BoughAttributeSchema *attr)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  GtkWidget *kind_label;

  if (attr->label != NULL && g_strcmp0 (attr->label, attr->name) != 0)
    title = g_strdup_printf ("%s (%s)", attr->name, attr->label);
  else
    title = g_strdup (attr->name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  g_ptr_array_add (parts, g_strdup (attr->optional ? _("optional") : _("mandatory")));
  if (attr->unique)
    g_ptr_array_add (parts, g_strdup (_("unique")));
  if (attr->read_only)
    g_ptr_array_add (parts, g_strdup (_("read-only")));
  if (attr->default_value != NULL && !JSON_NODE_HOLDS_NULL (attr->default_value))
    {
      g_autofree char *text = json_text (attr->default_value);

      g_ptr_array_add (parts, g_strdup_printf (_("default %s"), text));
    }
  if (attr->min_length >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("at least %d characters"),
                                             (int) MIN (attr->min_length, G_MAXINT)));
  if (attr->max_length >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("at most %d characters"),
                                             (int) MIN (attr->max_length, G_MAXINT)));
  if (attr->regex != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("matches %s"), attr->regex));
  if (attr->enum_values != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), attr->enum_values);
      g_autofree char *text = json_text (node);

      g_ptr_array_add (parts, g_strdup_printf (_("one of %s"), text));
    }
  if (attr->choices != NULL && attr->choices->len > 0)
    {
      GString *names = g_string_new (NULL);

      for (guint i = 0; i < attr->choices->len; i++)
        {
          BoughDropdownChoice *choice = g_ptr_array_index (attr->choices, i);

          g_string_append_printf (names, "%s%s", i ? ", " : "", choice->name);
        }
      g_ptr_array_add (parts, g_strdup_printf (_("choices %s"), names->str));
      g_string_free (names, TRUE);
    }
  if (attr->parameters != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (attr->parameters);

      /* regex and lengths are shown above; nulls say nothing */
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (attr->parameters, l->data);
          g_autofree char *text = NULL;

          if (JSON_NODE_HOLDS_NULL (value) || g_str_equal (l->data, "regex") ||
              g_str_equal (l->data, "min_length") || g_str_equal (l->data, "max_length"))
            continue;
          text = json_text (value);
          g_ptr_array_add (parts, g_strdup_printf ("%s %s", (const char *) l->data, text));
        }
    }
  if (attr->inherited_from != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("from %s"), attr->inherited_from));
  if (attr->description != NULL)
    g_ptr_array_add (parts, g_strdup (attr->description));
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  kind_label = gtk_label_new (bough_attribute_kind_to_string (attr->kind));
  gtk_widget_add_css_class (kind_label, "dim-label");
  gtk_widget_add_css_class (kind_label, "monospace");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), kind_label);
  gtk_widget_set_name (row, attr->name);
  return row;
}

static GtkWidget *
relationship_row (BoughRelationshipSchema *rel)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  g_autofree char *peer_name = NULL;
  GtkWidget *peer;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rel->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_ptr_array_add (parts, g_strdup (rel->cardinality == BOUGH_CARDINALITY_ONE ?
                                    _("cardinality one") : _("cardinality many")));
  g_ptr_array_add (parts, g_strdup_printf (_("kind %s"), relationship_kind_name (rel->kind)));
  g_ptr_array_add (parts, g_strdup (rel->optional ? _("optional") : _("mandatory")));
  if (rel->min_count > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("at least %d peers"),
                                             (int) MIN (rel->min_count, G_MAXINT)));
  if (rel->max_count > 0)
    g_ptr_array_add (parts, g_strdup_printf (_("at most %d peers"),
                                             (int) MIN (rel->max_count, G_MAXINT)));
  if (rel->read_only)
    g_ptr_array_add (parts, g_strdup (_("read-only")));
  if (rel->identifier != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("identifier %s"), rel->identifier));
  if (rel->inherited_from != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("from %s"), rel->inherited_from));
  if (rel->description != NULL)
    g_ptr_array_add (parts, g_strdup (rel->description));
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  peer = kind_link (rel->peer);
  peer_name = g_strconcat ("peer-", rel->name, NULL);
  gtk_widget_set_name (peer, peer_name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), peer);
  gtk_widget_set_name (row, rel->name);
  return row;
}

static void
graph_kind_activated_cb (BoughKindGraph  *graph,
                         const char      *kind,
                         BoughSchemaPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.navigate", "(ss)", "schema", kind);
}

static void
clear_detail (BoughSchemaPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  self->graph = NULL;
}

static void
build_detail (BoughSchemaPage *self,
              BoughNodeSchema *node)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name (bough_icon_name_for_schema_icon (node->icon));
  GtkWidget *title = gtk_label_new (node->kind);
  g_autofree char *facts = NULL;
  GtkWidget *subtitle;
  GtkWidget *graph_frame;
  GtkWidget *group;

  clear_detail (self);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 48);
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_selectable (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "title-1");
  facts = g_strdup_printf ("%s · %s %s · %s", node->label ? node->label : node->name,
                           _("namespace"), node->namespace_,
                           node->is_generic ? _("generic") : _("node"));
  subtitle = gtk_label_new (facts);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (titles), title);
  gtk_box_append (GTK_BOX (titles), subtitle);
  if (node->description != NULL)
    {
      GtkWidget *description = gtk_label_new (node->description);

      gtk_label_set_xalign (GTK_LABEL (description), 0);
      gtk_label_set_wrap (GTK_LABEL (description), TRUE);
      gtk_box_append (GTK_BOX (titles), description);
    }
  gtk_box_append (GTK_BOX (header), icon);
  gtk_box_append (GTK_BOX (header), titles);
  gtk_box_append (self->detail_box, header);

  if (node->inherit_from != NULL && node->inherit_from[0] != NULL)
    gtk_box_append (self->detail_box,
                    links_group (_("Inherits From"), (const char * const *) node->inherit_from));
  if (node->is_generic && node->used_by != NULL && node->used_by[0] != NULL)
    gtk_box_append (self->detail_box,
                    links_group (_("Used By"), (const char * const *) node->used_by));
  if (node->hierarchy != NULL)
    {
      const char *hierarchy[] = { node->hierarchy, NULL };

      gtk_box_append (self->detail_box, links_group (_("Hierarchy"), hierarchy));
    }

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Neighbourhood"));
  self->graph = BOUGH_KIND_GRAPH (bough_kind_graph_new ());
  bough_kind_graph_set_kind (self->graph, self->schema, node->kind);
  g_signal_connect (self->graph, "kind-activated", G_CALLBACK (graph_kind_activated_cb), self);
  graph_frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (graph_frame), GTK_WIDGET (self->graph));
  gtk_widget_add_css_class (graph_frame, "view");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), graph_frame);
  gtk_box_append (self->detail_box, group);

  group = adw_preferences_group_new ();
  {
    g_autofree char *heading = g_strdup_printf (_("Attributes (%u)"), node->attributes->len);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), heading);
  }
  for (guint i = 0; i < node->attributes->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               attribute_row (g_ptr_array_index (node->attributes, i)));
  gtk_widget_set_name (group, "attributes");
  gtk_box_append (self->detail_box, group);

  group = adw_preferences_group_new ();
  {
    g_autofree char *heading = g_strdup_printf (_("Relationships (%u)"), node->relationships->len);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), heading);
  }
  for (guint i = 0; i < node->relationships->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               relationship_row (g_ptr_array_index (node->relationships, i)));
  gtk_widget_set_name (group, "relationships");
  gtk_box_append (self->detail_box, group);

  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

/* ---- the list of kinds ---- */

static void
select_in_list (BoughSchemaPage *self,
                const char      *kind)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), kind))
        {
          if (gtk_single_selection_get_selected (self->selection) != i)
            gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->kinds_view), "list.scroll-to-item", "u", i);
          return;
        }
    }
}

static void
show_kind (BoughSchemaPage *self,
           const char      *kind)
{
  BoughNodeSchema *node;

  if (kind != self->kind)
    {
      g_free (self->kind);
      self->kind = g_strdup (kind);
    }
  if (self->schema == NULL)
    return;
  node = kind ? bough_schema_lookup (self->schema, kind) : NULL;
  if (node == NULL)
    {
      clear_detail (self);
      bough_page_set_subtitle (BOUGH_PAGE (self), NULL);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }
  bough_page_set_subtitle (BOUGH_PAGE (self), node->kind);
  build_detail (self, node);
  select_in_list (self, node->kind);
}

static void
selection_changed_cb (BoughSchemaPage *self)
{
  GtkStringObject *item = gtk_single_selection_get_selected_item (self->selection);

  if (item != NULL && g_strcmp0 (gtk_string_object_get_string (item), self->kind) != 0)
    show_kind (self, gtk_string_object_get_string (item));
  /* Narrow: the list covered the kind; a choice uncovers it. */
  if (item != NULL && adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
search_changed_cb (BoughSchemaPage *self)
{
  gtk_string_filter_set_search (self->filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *tag = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (tag, "caption");
  gtk_widget_add_css_class (tag, "dim-label");
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), tag);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         BoughSchemaPage          *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (image);
  GtkWidget *tag = gtk_widget_get_next_sibling (label);
  const char *kind = gtk_string_object_get_string (gtk_list_item_get_item (list_item));
  BoughNodeSchema *node = self->schema ? bough_schema_lookup (self->schema, kind) : NULL;

  gtk_image_set_from_icon_name (GTK_IMAGE (image),
                                bough_icon_name_for_schema_icon (node ? node->icon : NULL));
  gtk_label_set_text (GTK_LABEL (label), kind);
  gtk_label_set_text (GTK_LABEL (tag), node && node->is_generic ? _("generic") : "");
}

/* ---- loading ---- */

static int
compare_kinds (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 ((*(BoughNodeSchema * const *) a)->kind, (*(BoughNodeSchema * const *) b)->kind);
}

static void
schema_fetched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BoughSchemaPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kinds = NULL;
  g_autofree char *wanted = NULL;

  schema = bough_client_fetch_schema_finish (BOUGH_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
  if (schema == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("The Schema Could Not Be Loaded"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      bough_page_report_error (BOUGH_PAGE (self), error);
      return;
    }
  adw_status_page_set_title (self->empty_page, _("Choose a Kind"));
  adw_status_page_set_description (self->empty_page,
                                   _("Its attributes, relationships and inheritance show here."));

  g_clear_pointer (&self->schema, bough_schema_unref);
  self->schema = g_steal_pointer (&schema);
  g_ptr_array_extend (all, bough_schema_get_nodes (self->schema), NULL, NULL);
  g_ptr_array_extend (all, bough_schema_get_generics (self->schema), NULL, NULL);
  g_ptr_array_sort (all, compare_kinds);
  for (guint i = 0; i < all->len; i++)
    {
      BoughNodeSchema *node = g_ptr_array_index (all, i);

      if (!node->is_profile && !node->is_template)
        g_strv_builder_add (builder, node->kind);
    }
  kinds = g_strv_builder_end (builder);

  wanted = g_strdup (self->kind);
  g_clear_pointer (&self->kind, g_free);
  gtk_string_list_splice (self->kinds, 0, g_list_model_get_n_items (G_LIST_MODEL (self->kinds)),
                          (const char * const *) kinds);
  g_clear_pointer (&self->kind, g_free);
  if (wanted != NULL)
    show_kind (self, wanted);
  else
    {
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      clear_detail (self);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
    }
}

static void
bough_schema_page_reload (BoughPage    *page,
                          GCancellable *cancellable)
{
  bough_page_set_loading (page, TRUE);
  bough_client_fetch_schema_async (bough_page_get_client (page), bough_page_get_branch (page),
                                   bough_page_get_at (page), cancellable, schema_fetched_cb,
                                   g_object_ref (page));
}

static void
bough_schema_page_navigate (BoughPage  *page,
                            const char *argument)
{
  BoughSchemaPage *self = BOUGH_SCHEMA_PAGE (page);

  /* A kind hidden by the filter must still be found in the list. */
  if (argument != NULL && self->schema != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  show_kind (self, argument);
}

static void
bough_schema_page_dispose (GObject *object)
{
  BoughSchemaPage *self = BOUGH_SCHEMA_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_SCHEMA_PAGE);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->schema, bough_schema_unref);
  g_clear_pointer (&self->kind, g_free);

  G_OBJECT_CLASS (bough_schema_page_parent_class)->dispose (object);
}

static void
bough_schema_page_class_init (BoughSchemaPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BoughPageClass *page_class = BOUGH_PAGE_CLASS (klass);

  object_class->dispose = bough_schema_page_dispose;
  page_class->reload = bough_schema_page_reload;
  page_class->navigate = bough_schema_page_navigate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bough/Bough/bough-schema-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughSchemaPage, kinds_button);
  gtk_widget_class_bind_template_child (widget_class, BoughSchemaPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BoughSchemaPage, kinds_view);
  gtk_widget_class_bind_template_child (widget_class, BoughSchemaPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, BoughSchemaPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BoughSchemaPage, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
}

static void
bough_schema_page_init (BoughSchemaPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not a template child: AdwBin owns it, and disposing it twice fails. */
  self->flap = ADW_FLAP (adw_bin_get_child (ADW_BIN (self)));
  g_object_bind_property (self->flap, "reveal-flap", self->kinds_button, "active",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  bough_page_set_title (BOUGH_PAGE (self), _("Schema"));
  bough_page_set_icon_name (BOUGH_PAGE (self), "view-grid-symbolic");

  self->kinds = gtk_string_list_new (NULL);
  self->filter = gtk_string_filter_new (gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                                     "string"));
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->kinds), GTK_FILTER (self->filter));
  gtk_filter_list_model_set_incremental (filtered, FALSE);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb),
                            self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  gtk_list_view_set_factory (self->kinds_view, factory);
  gtk_list_view_set_model (self->kinds_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
bough_schema_page_new (void)
{
  return g_object_new (BOUGH_TYPE_SCHEMA_PAGE, NULL);
}

/**
 * bough_schema_page_get_schema:
 * @self: a #BoughSchemaPage
 *
 * Returns: (transfer none) (nullable): the schema shown
 */
BoughSchema *
bough_schema_page_get_schema (BoughSchemaPage *self)
{
  g_return_val_if_fail (BOUGH_IS_SCHEMA_PAGE (self), NULL);

  return self->schema;
}

/**
 * bough_schema_page_get_kind:
 * @self: a #BoughSchemaPage
 *
 * Returns: (nullable): the kind shown
 */
const char *
bough_schema_page_get_kind (BoughSchemaPage *self)
{
  g_return_val_if_fail (BOUGH_IS_SCHEMA_PAGE (self), NULL);

  return self->kind;
}

void
bough_schema_page_show_kind (BoughSchemaPage *self,
                             const char      *kind)
{
  g_return_if_fail (BOUGH_IS_SCHEMA_PAGE (self));

  bough_schema_page_navigate (BOUGH_PAGE (self), kind);
}

/**
 * bough_schema_page_get_graph:
 * @self: a #BoughSchemaPage
 *
 * Returns: (transfer none) (nullable): the drawing of the kind shown
 */
BoughKindGraph *
bough_schema_page_get_graph (BoughSchemaPage *self)
{
  g_return_val_if_fail (BOUGH_IS_SCHEMA_PAGE (self), NULL);

  return self->graph;
}

/**
 * bough_schema_page_get_detail:
 * @self: a #BoughSchemaPage
 *
 * Returns: (transfer none): the box holding the kind's detail
 */
GtkWidget *
bough_schema_page_get_detail (BoughSchemaPage *self)
{
  g_return_val_if_fail (BOUGH_IS_SCHEMA_PAGE (self), NULL);

  return GTK_WIDGET (self->detail_box);
}

/**
 * bough_schema_page_get_kinds:
 * @self: a #BoughSchemaPage
 *
 * Returns: (transfer none): the kinds listed (after the filter)
 */
GListModel *
bough_schema_page_get_kinds (BoughSchemaPage *self)
{
  g_return_val_if_fail (BOUGH_IS_SCHEMA_PAGE (self), NULL);

  return G_LIST_MODEL (self->selection);
}
