/* bough-window-private.h: BoughWindow internals shared with its tests.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-window.h"

G_BEGIN_DECLS

AdwStatusPage *_bough_window_get_status_page  (BoughWindow *self);
GtkEntry      *_bough_window_get_server_entry (BoughWindow *self);

G_END_DECLS
