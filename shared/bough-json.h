/* bough-json.h: guards for JSON text from outside (nesting, 64-bit
 * integers), checked before json-glib parses it.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * BOUGH_JSON_MAX_DEPTH:
 *
 * The deepest nesting of arrays and objects that request bodies may have.
 * json-glib parses recursively, so deeper text could exhaust a thread's stack.
 */
#define BOUGH_JSON_MAX_DEPTH 512

gboolean bough_json_check_input       (const char  *data,
                                       gsize        length,
                                       guint        max_depth,
                                       GError     **error);
gboolean bough_json_parser_load_input (JsonParser  *parser,
                                       const char  *data,
                                       gsize        length,
                                       GError     **error);

G_END_DECLS
