/* bough-util.h: small helpers shared by the client's views.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *bough_icon_name_for_schema_icon (const char *schema_icon);

G_END_DECLS
