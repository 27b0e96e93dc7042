/* bough-object-page.h: BoughObjectPage, one object: its attributes with
 * their properties (source, owner, protection, visibility, change time),
 * its relationships with links to the peers, its node metadata, and the
 * edit and delete actions.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-page-private.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_OBJECT_PAGE (bough_object_page_get_type ())

G_DECLARE_FINAL_TYPE (BoughObjectPage, bough_object_page, BOUGH, OBJECT_PAGE, BoughPage)

BoughObjectPage *bough_object_page_new      (void);
const char      *bough_object_page_get_id   (BoughObjectPage *self);
const char      *bough_object_page_get_kind (BoughObjectPage *self);
char            *bough_object_page_argument (const char      *kind,
                                             const char      *id);

G_END_DECLS
