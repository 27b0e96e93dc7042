/* bough-search-anywhere.h: BoughSearchAnywhere, the header bar's search
 * across kinds (Ctrl+K): the server's InfrahubSearchAnywhere, or any
 * value of each kind when the server lacks it; a result opens the
 * object's page.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BOUGH_TYPE_SEARCH_ANYWHERE (bough_search_anywhere_get_type ())

G_DECLARE_FINAL_TYPE (BoughSearchAnywhere, bough_search_anywhere, BOUGH, SEARCH_ANYWHERE, GtkWidget)

GtkWidget  *bough_search_anywhere_new           (void);
void        bough_search_anywhere_popup         (BoughSearchAnywhere *self);
void        bough_search_anywhere_search        (BoughSearchAnywhere *self,
                                                 const char          *text);
gboolean    bough_search_anywhere_get_searching (BoughSearchAnywhere *self);
GtkListBox *bough_search_anywhere_get_results   (BoughSearchAnywhere *self);

G_END_DECLS
