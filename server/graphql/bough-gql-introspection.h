/* bough-gql-introspection.h: executes introspection (__schema, __type, __typename) over a schema.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-gql-ast.h"
#include "bough-gql-schema.h"

G_BEGIN_DECLS

/* The introspection query clients send (graphql-js getIntrospectionQuery with
 * every option on). */
extern const char bough_gql_introspection_query[];

JsonNode *bough_gql_introspect (BoughGqlSchema *schema);

JsonNode *bough_gql_introspection_resolve (BoughGqlSchema     *schema,
                                           const BoughGqlNode *field,
                                           GHashTable         *fragments,
                                           JsonObject         *variables);

JsonNode *bough_gql_introspection_execute (BoughGqlSchema     *schema,
                                           const BoughGqlNode *document,
                                           const char         *operation_name,
                                           JsonObject         *variables,
                                           GError            **error);

JsonNode *bough_gql_value_to_json (const BoughGqlNode *value,
                                   JsonObject         *variables);

gboolean  bough_gql_directives_include (const BoughGqlNode *directives,
                                        JsonObject         *variables);

G_END_DECLS
