/* bough-kind-graph.c: BoughKindGraph: lays out a kind's neighbourhood (its
 * generics above, the peers of its relationships around it, the kinds using
 * a generic below), draws it with GtkSnapshot (edges through cairo, nodes as
 * rounded boxes with Pango labels), and reports a click on a node with the
 * ::kind-activated signal.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "bough-kind-graph.h"

typedef enum
{
  ROLE_CENTER,
  ROLE_GENERIC,
  ROLE_PEER,
  ROLE_USER,
} Role;

typedef struct
{
  char            *kind;
  Role             role;
  graphene_rect_t  rect;     /* set by the layout */
} GraphNode;

typedef struct
{
  guint  from;
  guint  to;
  char  *label;
  gboolean inherits;
} GraphEdge;

struct _BoughKindGraph
{
  GtkWidget  parent_instance;

  GArray    *nodes;   /* of GraphNode */
  GArray    *edges;   /* of GraphEdge */
  int        laid_out_width;
  int        laid_out_height;
};

G_DEFINE_FINAL_TYPE (BoughKindGraph, bough_kind_graph, GTK_TYPE_WIDGET)

enum {
  SIGNAL_KIND_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define NODE_HEIGHT 30.0
#define NODE_PAD    12.0
#define MAX_PEERS   16

static void
node_clear (GraphNode *node)
{
  g_free (node->kind);
}

static void
edge_clear (GraphEdge *edge)
{
  g_free (edge->label);
}

static guint
add_node (BoughKindGraph *self,
          const char     *kind,
          Role            role)
{
  GraphNode node = { 0 };

  for (guint i = 0; i < self->nodes->len; i++)
    if (g_str_equal (g_array_index (self->nodes, GraphNode, i).kind, kind))
      return i;
  node.kind = g_strdup (kind);
  node.role = role;
  g_array_append_val (self->nodes, node);
  return self->nodes->len - 1;
}

static void
add_edge (BoughKindGraph *self,
          guint           from,
          guint           to,
          const char     *label,
          gboolean        inherits)
{
  GraphEdge edge = { from, to, g_strdup (label), inherits };

  for (guint i = 0; i < self->edges->len; i++)
    {
      GraphEdge *e = &g_array_index (self->edges, GraphEdge, i);

      /* Several relationships to one peer share an edge and list their names. */
      if (e->from == from && e->to == to && e->inherits == inherits)
        {
          if (label != NULL)
            {
              char *joined = e->label ? g_strconcat (e->label, ", ", label, NULL)
                                      : g_strdup (label);

              g_free (e->label);
              e->label = joined;
            }
          g_free (edge.label);
          return;
        }
    }
  g_array_append_val (self->edges, edge);
}

static double
text_width (BoughKindGraph *self,
            const char     *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* Generics on a row above, users of a generic on a row below, peers on an
 * ellipse around the centre. */
static void
layout_nodes (BoughKindGraph *self,
              int             width,
              int             height)
{
  double cx = width / 2.0;
  double cy = height / 2.0;
  guint n_generics = 0, n_users = 0, n_peers = 0;
  guint i_generic = 0, i_user = 0, i_peer = 0;

  for (guint i = 0; i < self->nodes->len; i++)
    {
      Role role = g_array_index (self->nodes, GraphNode, i).role;

      n_generics += role == ROLE_GENERIC;
      n_users += role == ROLE_USER;
      n_peers += role == ROLE_PEER;
    }
  for (guint i = 0; i < self->nodes->len; i++)
    {
      GraphNode *node = &g_array_index (self->nodes, GraphNode, i);
      double w = text_width (self, node->kind) + 2 * NODE_PAD;
      double x = cx;
      double y = cy;

      switch (node->role)
        {
        case ROLE_CENTER:
          break;
        case ROLE_GENERIC:
          x = width * (i_generic + 1.0) / (n_generics + 1.0);
          y = NODE_HEIGHT;
          i_generic++;
          break;
        case ROLE_USER:
          x = width * (i_user + 1.0) / (n_users + 1.0);
          y = height - NODE_HEIGHT;
          i_user++;
          break;
        case ROLE_PEER:
        default:
          {
            /* Spread over the left and right sides, away from the rows. */
            double angle = (n_peers == 1) ? 0.0
                                          : -G_PI / 2.0 + 2.0 * G_PI * (i_peer + 0.5) / n_peers;
            double rx = MAX (width / 2.0 - w / 2.0 - 8.0, 40.0);
            double ry = MAX (height / 2.0 - NODE_HEIGHT * 2.0, 20.0);

            x = cx + rx * cos (angle);
            y = cy + ry * sin (angle);
            i_peer++;
          }
        }
      x = CLAMP (x, w / 2.0 + 2.0, MAX (width - w / 2.0 - 2.0, w / 2.0 + 2.0));
      y = CLAMP (y, NODE_HEIGHT / 2.0 + 2.0,
                 MAX (height - NODE_HEIGHT / 2.0 - 2.0, NODE_HEIGHT / 2.0 + 2.0));
      graphene_rect_init (&node->rect, x - w / 2.0, y - NODE_HEIGHT / 2.0, w, NODE_HEIGHT);
    }
  self->laid_out_width = width;
  self->laid_out_height = height;
}

static void
ensure_layout (BoughKindGraph *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (width != self->laid_out_width || height != self->laid_out_height)
    layout_nodes (self, width, height);
}

static void
bough_kind_graph_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  BoughKindGraph *self = BOUGH_KIND_GRAPH (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  GdkRGBA accent = { 0.21, 0.52, 0.89, 1.0 };
  GdkRGBA generic_color = { 0.57, 0.25, 0.67, 1.0 };
  GdkRGBA background = { 1.0, 1.0, 1.0, 1.0 };
  cairo_t *cr;

  if (self->nodes->len == 0 || width <= 0 || height <= 0)
    return;
  ensure_layout (self);
  gtk_style_context_get_color (style, &fg);
  gtk_style_context_lookup_color (style, "accent_bg_color", &accent);
  gtk_style_context_lookup_color (style, "view_bg_color", &background);

  /* Edges, with the names of the relationships they stand for. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < self->edges->len; i++)
    {
      GraphEdge *edge = &g_array_index (self->edges, GraphEdge, i);
      GraphNode *from = &g_array_index (self->nodes, GraphNode, edge->from);
      GraphNode *to = &g_array_index (self->nodes, GraphNode, edge->to);
      graphene_point_t a, b;

      graphene_rect_get_center (&from->rect, &a);
      graphene_rect_get_center (&to->rect, &b);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.45);
      if (edge->inherits)
        {
          static const double dash[] = { 5.0, 4.0 };

          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
        }
      else
        cairo_set_dash (cr, NULL, 0, 0);
      if (edge->from == edge->to)
        {
          /* A relationship to its own kind: a loop above the box. */
          cairo_new_sub_path (cr);
          cairo_arc (cr, from->rect.origin.x + from->rect.size.width - 6, from->rect.origin.y, 12,
                     G_PI, 2.5 * G_PI);
        }
      else
        {
          cairo_move_to (cr, a.x, a.y);
          cairo_line_to (cr, b.x, b.y);
        }
      cairo_stroke (cr);
      if (edge->label != NULL && edge->from != edge->to)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, edge->label);
          PangoAttrList *attrs = pango_attr_list_new ();
          int lw, lh;

          pango_attr_list_insert (attrs, pango_attr_scale_new (0.8));
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
          pango_layout_get_pixel_size (layout, &lw, &lh);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.75);
          cairo_move_to (cr, (a.x + b.x) / 2.0 - lw / 2.0, (a.y + b.y) / 2.0 - lh - 1);
          pango_cairo_show_layout (cr, layout);
        }
    }
  cairo_destroy (cr);

  /* Nodes. */
  for (guint i = 0; i < self->nodes->len; i++)
    {
      GraphNode *node = &g_array_index (self->nodes, GraphNode, i);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, node->kind);
      GskRoundedRect outline;
      GdkRGBA fill = node->role == ROLE_GENERIC ? generic_color : accent;
      GdkRGBA border[4];
      float widths[4] = { 1, 1, 1, 1 };
      int lw, lh;

      fill.alpha = node->role == ROLE_CENTER ? 1.0 : 0.18;
      for (guint j = 0; j < 4; j++)
        border[j] = node->role == ROLE_GENERIC ? generic_color : accent;
      gsk_rounded_rect_init_from_rect (&outline, &node->rect, 8);
      /* Opaque under the tint: edges end at the box, not across its text. */
      gtk_snapshot_push_rounded_clip (snapshot, &outline);
      gtk_snapshot_append_color (snapshot, &background, &node->rect);
      gtk_snapshot_append_color (snapshot, &fill, &node->rect);
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_append_border (snapshot, &outline, widths, border);

      if (node->role == ROLE_CENTER)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
          pango_layout_set_attributes (layout, attrs);
          pango_attr_list_unref (attrs);
        }
      pango_layout_get_pixel_size (layout, &lw, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (node->rect.origin.x +
                                                    (node->rect.size.width - lw) / 2.0,
                                                    node->rect.origin.y +
                                                    (NODE_HEIGHT - lh) / 2.0));
      if (node->role == ROLE_CENTER)
        {
          GdkRGBA white = { 1, 1, 1, 1 };

          gtk_snapshot_append_layout (snapshot, layout, &white);
        }
      else
        gtk_snapshot_append_layout (snapshot, layout, &fg);
      gtk_snapshot_restore (snapshot);
    }
}

static void
bough_kind_graph_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 560;
    }
  else
    {
      *minimum = 200;
      *natural = 300;
    }
}

static void
bough_kind_graph_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  layout_nodes (BOUGH_KIND_GRAPH (widget), width, height);
}

/**
 * bough_kind_graph_get_kind_at:
 * @self: a #BoughKindGraph
 * @x: a point of the widget
 * @y: a point of the widget
 *
 * Returns: (nullable): the kind of the node drawn at (@x, @y)
 */
const char *
bough_kind_graph_get_kind_at (BoughKindGraph *self,
                              double          x,
                              double          y)
{
  g_return_val_if_fail (BOUGH_IS_KIND_GRAPH (self), NULL);

  ensure_layout (self);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      GraphNode *node = &g_array_index (self->nodes, GraphNode, i);

      if (graphene_rect_contains_point (&node->rect, &GRAPHENE_POINT_INIT (x, y)))
        return node->kind;
    }
  return NULL;
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            BoughKindGraph  *self)
{
  const char *kind = bough_kind_graph_get_kind_at (self, x, y);

  if (kind != NULL && self->nodes->len > 0 &&
      g_strcmp0 (kind, g_array_index (self->nodes, GraphNode, 0).kind) != 0)
    {
      g_autofree char *copy = g_strdup (kind);

      g_signal_emit (self, signals[SIGNAL_KIND_ACTIVATED], 0, copy);
    }
}

static void
bough_kind_graph_finalize (GObject *object)
{
  BoughKindGraph *self = BOUGH_KIND_GRAPH (object);

  g_array_unref (self->nodes);
  g_array_unref (self->edges);

  G_OBJECT_CLASS (bough_kind_graph_parent_class)->finalize (object);
}

static void
bough_kind_graph_class_init (BoughKindGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bough_kind_graph_finalize;
  widget_class->snapshot = bough_kind_graph_snapshot;
  widget_class->measure = bough_kind_graph_measure;
  widget_class->size_allocate = bough_kind_graph_size_allocate;

  /**
   * BoughKindGraph::kind-activated:
   * @self: the graph
   * @kind: the kind of the node clicked
   *
   * Emitted when a node other than the centre is clicked.
   */
  signals[SIGNAL_KIND_ACTIVATED] =
    g_signal_new ("kind-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "boughkindgraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bough_kind_graph_init (BoughKindGraph *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->nodes = g_array_new (FALSE, TRUE, sizeof (GraphNode));
  g_array_set_clear_func (self->nodes, (GDestroyNotify) node_clear);
  self->edges = g_array_new (FALSE, TRUE, sizeof (GraphEdge));
  g_array_set_clear_func (self->edges, (GDestroyNotify) edge_clear);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
bough_kind_graph_new (void)
{
  return g_object_new (BOUGH_TYPE_KIND_GRAPH, NULL);
}

/**
 * bough_kind_graph_set_kind:
 * @self: a #BoughKindGraph
 * @schema: (nullable): the schema
 * @kind: (nullable): the kind at the centre
 *
 * Draws the neighbourhood of @kind in @schema (nothing when either is %NULL).
 */
void
bough_kind_graph_set_kind (BoughKindGraph *self,
                           BoughSchema    *schema,
                           const char     *kind)
{
  BoughNodeSchema *node;
  guint center;
  guint peers = 0;
  g_autofree char *description = NULL;

  g_return_if_fail (BOUGH_IS_KIND_GRAPH (self));

  g_array_set_size (self->edges, 0);
  g_array_set_size (self->nodes, 0);
  self->laid_out_width = self->laid_out_height = -1;
  node = (schema != NULL && kind != NULL) ? bough_schema_lookup (schema, kind) : NULL;
  if (node != NULL)
    {
      center = add_node (self, node->kind, ROLE_CENTER);
      for (guint i = 0; node->inherit_from != NULL && node->inherit_from[i] != NULL; i++)
        add_edge (self, center, add_node (self, node->inherit_from[i], ROLE_GENERIC), NULL, TRUE);
      for (guint i = 0; i < node->relationships->len; i++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);
          guint before = self->nodes->len;
          guint peer;

          /* Groups and profiles link every kind: they say nothing here. */
          if (rel->kind == BOUGH_RELATIONSHIP_KIND_GROUP ||
              rel->kind == BOUGH_RELATIONSHIP_KIND_PROFILE ||
              rel->kind == BOUGH_RELATIONSHIP_KIND_TEMPLATE)
            continue;
          if (peers >= MAX_PEERS && !g_str_equal (rel->peer, node->kind))
            continue;
          peer = add_node (self, rel->peer, ROLE_PEER);
          if (self->nodes->len > before)
            peers++;
          add_edge (self, center, peer, rel->name, FALSE);
        }
      for (guint i = 0; node->is_generic && node->used_by != NULL && node->used_by[i] != NULL &&
                        i < MAX_PEERS; i++)
        add_edge (self, add_node (self, node->used_by[i], ROLE_USER), center, NULL, TRUE);
      description = g_strdup_printf (_("%s and the %u kinds around it"), node->kind,
                                     self->nodes->len - 1);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description ? description : _("No kind"), -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
bough_kind_graph_get_n_nodes (BoughKindGraph *self)
{
  g_return_val_if_fail (BOUGH_IS_KIND_GRAPH (self), 0);

  return self->nodes->len;
}

/**
 * bough_kind_graph_get_node_kind:
 * @self: a #BoughKindGraph
 * @index: a node, 0 being the centre
 *
 * Returns: (nullable): the kind of the node
 */
const char *
bough_kind_graph_get_node_kind (BoughKindGraph *self,
                                guint           index)
{
  g_return_val_if_fail (BOUGH_IS_KIND_GRAPH (self), NULL);

  if (index >= self->nodes->len)
    return NULL;
  return g_array_index (self->nodes, GraphNode, index).kind;
}

/**
 * bough_kind_graph_get_node_center:
 * @self: a #BoughKindGraph
 * @index: a node
 * @x: (out): where its centre is drawn
 * @y: (out): where its centre is drawn
 *
 * Returns: whether there is such a node
 */
gboolean
bough_kind_graph_get_node_center (BoughKindGraph *self,
                                  guint           index,
                                  double         *x,
                                  double         *y)
{
  graphene_point_t p;

  g_return_val_if_fail (BOUGH_IS_KIND_GRAPH (self), FALSE);

  if (index >= self->nodes->len)
    return FALSE;
  ensure_layout (self);
  graphene_rect_get_center (&g_array_index (self->nodes, GraphNode, index).rect, &p);
  *x = p.x;
  *y = p.y;
  return TRUE;
}
