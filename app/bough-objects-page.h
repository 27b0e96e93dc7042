/* bough-objects-page.h: BoughObjectsPage, the objects of one kind in a
 * column view (paged on demand, searchable, filtered by attribute,
 * ordered as the server can), opening an object's page or a creation form.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-page-private.h"
#include "bough-window.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_OBJECTS_PAGE (bough_objects_page_get_type ())

G_DECLARE_FINAL_TYPE (BoughObjectsPage, bough_objects_page, BOUGH, OBJECTS_PAGE, BoughPage)

BoughObjectsPage *bough_objects_page_new      (void);
const char       *bough_objects_page_get_kind (BoughObjectsPage *self);

void              bough_objects_register      (BoughWindow      *window);

G_END_DECLS
