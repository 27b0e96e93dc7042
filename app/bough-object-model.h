/* bough-object-model.h: BoughObjectModel, a GListModel of the objects of a
 * kind that fetches pages on demand (limit/offset, `count` for its length)
 * so that a list of 100,000 objects costs only the pages looked at; and
 * BoughObjectItem, one of its objects (a placeholder until its page has
 * arrived).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bough-client.h"
#include "bough-object-query.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_OBJECT_ITEM (bough_object_item_get_type ())

G_DECLARE_FINAL_TYPE (BoughObjectItem, bough_object_item, BOUGH, OBJECT_ITEM, GObject)

BoughObjectItem *bough_object_item_new               (JsonObject      *node);
gboolean         bough_object_item_get_loaded        (BoughObjectItem *self);
const char      *bough_object_item_get_id            (BoughObjectItem *self);
const char      *bough_object_item_get_kind          (BoughObjectItem *self);
const char      *bough_object_item_get_display_label (BoughObjectItem *self);
JsonObject      *bough_object_item_get_node          (BoughObjectItem *self);
JsonObject      *bough_object_item_get_metadata      (BoughObjectItem *self);

#define BOUGH_TYPE_OBJECT_MODEL (bough_object_model_get_type ())

G_DECLARE_FINAL_TYPE (BoughObjectModel, bough_object_model, BOUGH, OBJECT_MODEL, GObject)

BoughObjectModel *bough_object_model_new               (BoughClient      *client,
                                                        BoughSchema      *schema,
                                                        const char       *kind);
BoughSchema      *bough_object_model_get_schema        (BoughObjectModel *self);
const char       *bough_object_model_get_kind          (BoughObjectModel *self);
void              bough_object_model_set_branch        (BoughObjectModel *self,
                                                        const char       *branch);
void              bough_object_model_set_at            (BoughObjectModel *self,
                                                        const char       *at);
void              bough_object_model_set_search        (BoughObjectModel *self,
                                                        const char       *search);
void              bough_object_model_set_filter        (BoughObjectModel *self,
                                                        const char       *argument,
                                                        JsonNode         *value);
void              bough_object_model_clear_filters     (BoughObjectModel *self);
void              bough_object_model_set_order         (BoughObjectModel       *self,
                                                        const BoughObjectOrder *order,
                                                        guint                   n_order);
guint             bough_object_model_get_n_order       (BoughObjectModel *self);
const BoughObjectOrder *bough_object_model_get_order   (BoughObjectModel *self,
                                                        guint             index);
gboolean          bough_object_model_get_has_metadata  (BoughObjectModel *self);
guint             bough_object_model_get_page_size     (BoughObjectModel *self);
void              bough_object_model_set_page_size     (BoughObjectModel *self,
                                                        guint             page_size);
void              bough_object_model_reload            (BoughObjectModel *self);
gboolean          bough_object_model_get_loading       (BoughObjectModel *self);
guint             bough_object_model_get_count         (BoughObjectModel *self);
guint             bough_object_model_get_pages_fetched (BoughObjectModel *self);
guint             bough_object_model_get_pages_cancelled (BoughObjectModel *self);
const GError     *bough_object_model_get_error         (BoughObjectModel *self);

G_END_DECLS
