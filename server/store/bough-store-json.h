/* bough-store-json.h: the store's compact JSON writer and reader.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void        _bough_json_append_string     (GString      *out,
                                           const char   *s);
void        _bough_json_append            (GString      *out,
                                           JsonNode     *node);
JsonNode   *_bough_json_read              (const char   *text);

G_END_DECLS
