/* bough-gql-branch.h: the branch and diff part of the generated API: the fixed types of
 * reference §2.5/§2.6 (Branch, InfrahubBranch, DiffTree, DiffTreeSummary, the Branch* and
 * Diff* mutations, ResolveDiffConflict) and their resolvers over the store's branch API.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-execute.h"
#include "bough-gql-schema.h"

G_BEGIN_DECLS

/* Adds the branch and diff types, query fields and mutations. Needs the
 * scalars (DateTime) and ContextInput of the generated API already added. */
void                bough_gql_branch_add_types  (BoughGqlSchema *gql,
                                                 BoughGqlType   *query,
                                                 BoughGqlType   *mutation);

/* The type names bough_gql_branch_add_types() adds (NULL-terminated): no
 * kind may produce one of them. */
const char * const *bough_gql_branch_type_names (void);

/* Whether @name is a root field (query or mutation) this part resolves. */
gboolean            bough_gql_branch_is_query_field    (const char *name);
gboolean            bough_gql_branch_is_mutation_field (const char *name);

/* Resolves the root field @name (one of the above) with its coerced
 * @args: returns the plain values of its result (an object, a list of
 * objects, or null), which the executor completes against the selection,
 * or %NULL with @error set. @selected (nullable: everything) holds every
 * field name selected below the field: values of other names may be left
 * out. Mutations write in their own transactions. */
JsonNode           *bough_gql_branch_resolve (const BoughGqlExecContext *context,
                                              const char                *name,
                                              JsonObject                *args,
                                              GHashTable                *selected,
                                              GError                   **error);

G_END_DECLS
