/* bough-schema-page.h: BoughSchemaPage, the schema browser.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-kind-graph.h"
#include "bough-page-private.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_SCHEMA_PAGE (bough_schema_page_get_type ())

G_DECLARE_FINAL_TYPE (BoughSchemaPage, bough_schema_page, BOUGH, SCHEMA_PAGE, BoughPage)

GtkWidget      *bough_schema_page_new        (void);
BoughSchema    *bough_schema_page_get_schema (BoughSchemaPage *self);
const char     *bough_schema_page_get_kind   (BoughSchemaPage *self);
void            bough_schema_page_show_kind  (BoughSchemaPage *self,
                                              const char      *kind);
BoughKindGraph *bough_schema_page_get_graph  (BoughSchemaPage *self);
GtkWidget      *bough_schema_page_get_detail (BoughSchemaPage *self);
GListModel     *bough_schema_page_get_kinds  (BoughSchemaPage *self);

G_END_DECLS
