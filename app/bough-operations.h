/* bough-operations.h: the branch operations views (branch diff, task
 * monitor, activity) added to a window, their shortcuts, and the helpers
 * they share.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-window.h"

G_BEGIN_DECLS

void        bough_operations_register   (BoughWindow *window);
const char *bough_task_state_label      (const char  *state);
gboolean    bough_task_state_is_running (const char  *state);
char       *bough_format_time           (const char  *iso8601);
void        bough_page_load_cancelled   (BoughPage   *page);

G_END_DECLS
