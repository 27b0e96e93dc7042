/* bough-gql-stored.h: analysis of a stored query (CoreGraphQLQuery): the read-only fields that
 * Infrahub fills when the query text is saved.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-gql-schema.h"
#include "schema/bough-schema.h"

G_BEGIN_DECLS

JsonObject *bough_gql_stored_query_analyze (BoughGqlSchema *gql,
                                            BoughSchema    *schema,
                                            const char     *text,
                                            GError        **error);

G_END_DECLS
