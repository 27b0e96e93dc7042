/* bough-activity-page.h: BoughActivityPage, the event stream (who changed
 * what, when) of the window's branch or of one object, live over the
 * websocket, paging back in time.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-page-private.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_ACTIVITY_PAGE (bough_activity_page_get_type ())

G_DECLARE_FINAL_TYPE (BoughActivityPage, bough_activity_page, BOUGH, ACTIVITY_PAGE, BoughPage)

GtkWidget  *bough_activity_page_new             (void);
guint       bough_activity_page_get_n_events    (BoughActivityPage *self);
JsonObject *bough_activity_page_get_event       (BoughActivityPage *self,
                                                 guint              index);
const char *bough_activity_page_get_event_title (BoughActivityPage *self,
                                                 guint              index);
char       *bough_activity_page_dup_event_subtitle (BoughActivityPage *self,
                                                    guint              index);
guint       bough_activity_page_get_total       (BoughActivityPage *self);
gboolean    bough_activity_page_get_live        (BoughActivityPage *self);
const char *bough_activity_page_get_object      (BoughActivityPage *self);
void        bough_activity_page_load_older      (BoughActivityPage *self);

G_END_DECLS
