/* bough-gql-validate.h: validation of executable documents against a schema (specification §5).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-ast.h"
#include "bough-gql-schema.h"

G_BEGIN_DECLS

#define BOUGH_GQL_DEFAULT_MAX_ERRORS      100
#define BOUGH_GQL_DEFAULT_MAX_QUERY_DEPTH 32
#define BOUGH_GQL_DEFAULT_MAX_FIELDS      20000
#define BOUGH_GQL_DEFAULT_MAX_SCHEMA_SELECTIONS 4

/* Limits of a valid operation, measured with fragments expanded. Zero means
 * no limit. */
typedef struct
{
  guint max_errors;
  guint max_depth;              /* nesting of fields */
  guint max_fields;             /* field selections in total: bounds alias and fragment fan-out */
  guint max_schema_selections;  /* __schema selections: each costs as much as the schema is big */
} BoughGqlValidateOptions;

void       bough_gql_validate_options_init (BoughGqlValidateOptions *options);

GPtrArray *bough_gql_validate (BoughGqlSchema                *schema,
                               const BoughGqlDocument        *document,
                               const BoughGqlValidateOptions *options);

G_END_DECLS
