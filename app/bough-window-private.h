/* bough-window-private.h: BoughWindow internals shared with its tests.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-branch-selector.h"
#include "bough-connect-page.h"
#include "bough-sidebar.h"
#include "bough-time-selector.h"
#include "bough-window.h"

G_BEGIN_DECLS

AdwStatusPage       *_bough_window_get_status_page     (BoughWindow *self);
GtkEditable         *_bough_window_get_server_entry    (BoughWindow *self);
BoughConnectPage    *_bough_window_get_connect_page    (BoughWindow *self);
GtkStack            *_bough_window_get_main_stack      (BoughWindow *self);
GtkStack            *_bough_window_get_pages_stack     (BoughWindow *self);
AdwLeaflet          *_bough_window_get_leaflet         (BoughWindow *self);
BoughSidebar        *_bough_window_get_sidebar         (BoughWindow *self);
BoughBranchSelector *_bough_window_get_branch_selector (BoughWindow *self);
BoughTimeSelector   *_bough_window_get_time_selector   (BoughWindow *self);
const char          *_bough_window_get_last_toast      (BoughWindow *self);
guint                _bough_window_get_toast_count     (BoughWindow *self);
const char          *_bough_window_get_banner_text     (BoughWindow *self);

G_END_DECLS
