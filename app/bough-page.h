/* bough-page.h: BoughPage, the base of the pages of the main window's
 * content stack; it carries the window's state (client, branch, time) to
 * each page and tells it when to load again.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "bough-client.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_PAGE (bough_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (BoughPage, bough_page, BOUGH, PAGE, AdwBin)

BoughClient  *bough_page_get_client       (BoughPage    *self);
void          bough_page_set_client       (BoughPage    *self,
                                           BoughClient  *client);
const char   *bough_page_get_branch       (BoughPage    *self);
void          bough_page_set_branch       (BoughPage    *self,
                                           const char   *branch);
const char   *bough_page_get_at           (BoughPage    *self);
void          bough_page_set_at           (BoughPage    *self,
                                           const char   *at);
const char   *bough_page_get_title        (BoughPage    *self);
void          bough_page_set_title        (BoughPage    *self,
                                           const char   *title);
const char   *bough_page_get_subtitle     (BoughPage    *self);
void          bough_page_set_subtitle     (BoughPage    *self,
                                           const char   *subtitle);
const char   *bough_page_get_icon_name    (BoughPage    *self);
void          bough_page_set_icon_name    (BoughPage    *self,
                                           const char   *icon_name);
gboolean      bough_page_get_loading      (BoughPage    *self);
void          bough_page_set_loading      (BoughPage    *self,
                                           gboolean      loading);
GCancellable *bough_page_get_cancellable  (BoughPage    *self);
void          bough_page_queue_reload     (BoughPage    *self);
void          bough_page_navigate         (BoughPage    *self,
                                           const char   *argument);
void          bough_page_report_error     (BoughPage    *self,
                                           const GError *error);
void          bough_page_query_async      (BoughPage           *self,
                                           const char          *query,
                                           JsonNode            *variables,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);

G_END_DECLS
