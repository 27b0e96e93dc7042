/* bough-gql-parser.h: the GraphQL parser (executable and type-system documents) with limits.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-ast.h"

G_BEGIN_DECLS

#define BOUGH_GQL_DEFAULT_MAX_BYTES  (1024 * 1024)
#define BOUGH_GQL_DEFAULT_MAX_TOKENS 20000
#define BOUGH_GQL_DEFAULT_MAX_DEPTH  64
#define BOUGH_GQL_HARD_MAX_DEPTH     2048

/* Limits checked while parsing, so hostile documents are refused before they
 * cost memory or stack. Zero means no limit. */
typedef struct
{
  gsize max_bytes;
  guint max_tokens;
  guint max_depth;              /* nesting of selection sets, values and list types; never above
                                 * BOUGH_GQL_HARD_MAX_DEPTH, to protect the stack */
} BoughGqlParseOptions;

void              bough_gql_parse_options_init (BoughGqlParseOptions *options);

BoughGqlDocument *bough_gql_parse (const char                 *source,
                                   gssize                      length,
                                   const BoughGqlParseOptions *options,
                                   BoughGqlLocation           *error_location,
                                   GError                    **error);

G_END_DECLS
