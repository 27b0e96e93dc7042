/* bough-object-form.h: BoughObjectForm, the window that creates or edits
 * an object: one row per attribute and relationship generated from the
 * kind's schema, checked before sending, with the server's complaints
 * shown next to the field they are about.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "bough-client.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_OBJECT_FORM (bough_object_form_get_type ())

G_DECLARE_FINAL_TYPE (BoughObjectForm, bough_object_form, BOUGH, OBJECT_FORM, AdwWindow)

BoughObjectForm *bough_object_form_new  (GtkWindow       *parent,
                                         BoughClient     *client,
                                         const char      *branch,
                                         BoughSchema     *schema,
                                         const char      *kind,
                                         JsonObject      *node);
void             bough_object_form_save (BoughObjectForm *self);

G_END_DECLS
