/* bough-sidebar.h: BoughSidebar, the window's sidebar: its views (pages)
 * and the schema's menu of kinds.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-page-private.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_SIDEBAR (bough_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (BoughSidebar, bough_sidebar, BOUGH, SIDEBAR, BoughPage)

void        bough_sidebar_add_page      (BoughSidebar *self,
                                         const char   *name,
                                         BoughPage    *page);
void        bough_sidebar_select_page   (BoughSidebar *self,
                                         const char   *name);
void        bough_sidebar_focus_search  (BoughSidebar *self);
void        bough_sidebar_set_search    (BoughSidebar *self,
                                         const char   *text);
GListModel *bough_sidebar_get_menu      (BoughSidebar *self);
gboolean    bough_sidebar_activate_kind (BoughSidebar *self,
                                         const char   *kind);

G_END_DECLS
