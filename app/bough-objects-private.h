/* bough-objects-private.h: internals of the object views that their tests
 * reach: the widgets a user would act on, and state to wait for.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "bough-object-form.h"
#include "bough-object-model.h"
#include "bough-object-page.h"
#include "bough-objects-page.h"
#include "bough-search-anywhere.h"

G_BEGIN_DECLS

BoughObjectModel *_bough_objects_page_get_model            (BoughObjectsPage    *self);
GtkColumnView    *_bough_objects_page_get_column_view      (BoughObjectsPage    *self);
GtkSearchEntry   *_bough_objects_page_get_search_entry     (BoughObjectsPage    *self);
GtkDropDown      *_bough_objects_page_get_filter_attribute (BoughObjectsPage    *self);
GtkEntry         *_bough_objects_page_get_filter_value     (BoughObjectsPage    *self);
GtkDropDown      *_bough_objects_page_get_order_dropdown   (BoughObjectsPage    *self);
GtkToggleButton  *_bough_objects_page_get_order_descending (BoughObjectsPage    *self);
GtkColumnViewColumn *_bough_objects_page_find_column       (BoughObjectsPage    *self,
                                                            const char          *title);
AdwStatusPage    *_bough_objects_page_get_status_page     (BoughObjectsPage    *self);
void              _bough_objects_page_set_order_field     (BoughObjectsPage    *self,
                                                            const char          *title,
                                                            const char          *order_field);

GtkWidget        *_bough_object_page_get_content           (BoughObjectPage     *self);
gboolean          _bough_object_page_is_shown              (BoughObjectPage     *self);
const char       *_bough_object_page_get_title             (BoughObjectPage     *self);

GtkWidget        *_bough_object_form_get_input             (BoughObjectForm     *self,
                                                            const char          *name);
const char       *_bough_object_form_get_error             (BoughObjectForm     *self,
                                                            const char          *name);
const char       *_bough_object_form_get_last_toast        (BoughObjectForm     *self);
gboolean          _bough_object_form_get_busy              (BoughObjectForm     *self);

void              _bough_search_anywhere_set_force_fallback (BoughSearchAnywhere *self,
                                                             gboolean             force_fallback);
gboolean          _bough_search_anywhere_get_used_fallback  (BoughSearchAnywhere *self);

G_END_DECLS
