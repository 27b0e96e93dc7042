/* bough-kind-graph.h: BoughKindGraph, a drawing of a kind's neighbourhood:
 * the kind, the generics it inherits, the peers of its relationships and,
 * for a generic, the kinds that use it.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gtk/gtk.h>

#include "bough-client.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_KIND_GRAPH (bough_kind_graph_get_type ())

G_DECLARE_FINAL_TYPE (BoughKindGraph, bough_kind_graph, BOUGH, KIND_GRAPH, GtkWidget)

GtkWidget  *bough_kind_graph_new           (void);
void        bough_kind_graph_set_kind      (BoughKindGraph *self,
                                            BoughSchema    *schema,
                                            const char     *kind);
guint       bough_kind_graph_get_n_nodes   (BoughKindGraph *self);
const char *bough_kind_graph_get_kind_at  (BoughKindGraph *self,
                                            double          x,
                                            double          y);
const char *bough_kind_graph_get_node_kind (BoughKindGraph *self,
                                            guint           index);
gboolean    bough_kind_graph_get_node_center (BoughKindGraph *self,
                                              guint           index,
                                              double         *x,
                                              double         *y);

G_END_DECLS
