/* bough-window.h: BoughWindow, the main window of the desktop client.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "bough-application.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_WINDOW (bough_window_get_type ())

G_DECLARE_FINAL_TYPE (BoughWindow, bough_window, BOUGH, WINDOW, AdwApplicationWindow)

BoughWindow *bough_window_new (BoughApplication *application);

G_END_DECLS
