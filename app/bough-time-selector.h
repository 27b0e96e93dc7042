/* bough-time-selector.h: BoughTimeSelector, the header bar's time menu:
 * view the data now or as it was at a past time.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BOUGH_TYPE_TIME_SELECTOR (bough_time_selector_get_type ())

G_DECLARE_FINAL_TYPE (BoughTimeSelector, bough_time_selector, BOUGH, TIME_SELECTOR, AdwBin)

const char *bough_time_selector_get_at (BoughTimeSelector *self);
void        bough_time_selector_set_at (BoughTimeSelector *self,
                                        const char        *at);
void        bough_time_selector_popup  (BoughTimeSelector *self);
gboolean    bough_time_selector_apply  (BoughTimeSelector *self,
                                        const char        *text);
char       *bough_time_parse           (const char        *text);

G_END_DECLS
