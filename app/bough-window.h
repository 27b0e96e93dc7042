/* bough-window.h: BoughWindow, the main window of the desktop client: the
 * connect page, then the sidebar, the header bar's branch and time
 * selectors, and the content stack of pages.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "bough-application.h"
#include "bough-client.h"
#include "bough-page.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_WINDOW (bough_window_get_type ())

G_DECLARE_FINAL_TYPE (BoughWindow, bough_window, BOUGH, WINDOW, AdwApplicationWindow)

BoughWindow *bough_window_new           (BoughApplication *application);
BoughClient *bough_window_get_client    (BoughWindow      *self);
void         bough_window_set_client    (BoughWindow      *self,
                                         BoughClient      *client);
void         bough_window_open_server   (BoughWindow      *self,
                                         const char       *url,
                                         const char       *token);
const char  *bough_window_get_branch    (BoughWindow      *self);
void         bough_window_set_branch    (BoughWindow      *self,
                                         const char       *branch);
const char  *bough_window_get_at        (BoughWindow      *self);
void         bough_window_set_at        (BoughWindow      *self,
                                         const char       *at);
void         bough_window_add_page      (BoughWindow      *self,
                                         const char       *name,
                                         BoughPage        *page,
                                         gboolean          in_sidebar);
BoughPage   *bough_window_get_page      (BoughWindow      *self,
                                         const char       *name);
void         bough_window_navigate      (BoughWindow      *self,
                                         const char       *page_name,
                                         const char       *argument);
void         bough_window_set_kind_page (BoughWindow      *self,
                                         const char       *page_name);
void         bough_window_report_error  (BoughWindow      *self,
                                         const GError     *error);
void         bough_window_show_toast    (BoughWindow      *self,
                                         const char       *message);

G_END_DECLS
