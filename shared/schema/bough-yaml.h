/* bough-yaml.h: YAML and JSON text to a json-glib tree with a source map.
 *
 * Schema files arrive as YAML or JSON. Both are read by the same libyaml
 * based parser, which keeps the line and column of every value and every
 * mapping key so that later stages can report errors as file:line:column.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-schema.h"

G_BEGIN_DECLS

typedef struct _BoughYamlDocument BoughYamlDocument;

BoughYamlDocument *bough_yaml_parse                    (const char         *data,
                                                        gssize              length,
                                                        const char         *origin,
                                                        GError            **error);
BoughYamlDocument *bough_yaml_document_ref             (BoughYamlDocument  *self);
void               bough_yaml_document_unref           (BoughYamlDocument  *self);
JsonNode          *bough_yaml_document_get_root        (BoughYamlDocument  *self);
const char        *bough_yaml_document_get_origin      (BoughYamlDocument  *self);
gboolean           bough_yaml_document_get_location    (BoughYamlDocument  *self,
                                                        JsonNode           *node,
                                                        BoughSourceLoc     *loc);
gboolean           bough_yaml_document_get_key_location (BoughYamlDocument *self,
                                                        JsonObject         *object,
                                                        const char         *key,
                                                        BoughSourceLoc     *loc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughYamlDocument, bough_yaml_document_unref)

G_END_DECLS
