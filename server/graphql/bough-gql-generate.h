/* bough-gql-generate.h: builds the GraphQL schema of the generated API (Infrahub's names and
 * shapes) from a data schema.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-schema.h"
#include "schema/bough-schema.h"

G_BEGIN_DECLS

BoughGqlSchema *bough_gql_generate               (BoughSchema        *schema,
                                                  GError            **error);
const char     *bough_gql_attribute_type_name    (BoughAttributeKind  kind);
gboolean        bough_gql_kind_is_exposed        (BoughNodeSchema    *node);

G_END_DECLS
