/* bough-gql-values.h: coercion of request variables and literals to the types of a schema.
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

#define BOUGH_GQL_MAX_VARIABLE_ERRORS 50

JsonObject *bough_gql_coerce_variables (BoughGqlSchema     *schema,
                                        const BoughGqlNode *operation,
                                        JsonObject         *inputs,
                                        GPtrArray         **errors);

JsonNode   *bough_gql_value_from_literal (BoughGqlType       *type,
                                          const BoughGqlNode *value,
                                          JsonObject         *variables);

JsonNode   *bough_gql_field_default_json (BoughGqlField *field);

char       *bough_gql_inspect_json (JsonNode *value);

G_END_DECLS
