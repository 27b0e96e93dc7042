/* bough-gql-printer.h: prints a GraphQL AST back to text, as graphql-js's print() does.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-ast.h"

G_BEGIN_DECLS

char *bough_gql_print              (const BoughGqlNode *node);
char *bough_gql_print_string       (const char         *value);
char *bough_gql_print_block_string (const char         *value,
                                    gboolean            minimize);
gboolean bough_gql_is_printable_as_block_string (const char *value);

G_END_DECLS
