/* bough-util.h: small helpers shared by the client's views.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *bough_icon_name_for_schema_icon (const char *schema_icon);

const char *bough_jstr (JsonObject *object,
                        const char *member);
JsonObject *bough_jobj (JsonObject *object,
                        const char *member);
JsonArray  *bough_jarr (JsonObject *object,
                        const char *member);

G_END_DECLS
