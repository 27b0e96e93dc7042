/* bough-gql-account.h: the caller's own account in the generated API:
 * InfrahubAccountTokenCreate/Delete and InfrahubAccountSelfUpdate
 * (AccountProfile is completed as a node by the executor).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-gql-execute.h"

G_BEGIN_DECLS

gboolean    bough_gql_account_is_mutation (const char                *name);
JsonObject *bough_gql_account_mutate      (const BoughGqlExecContext *context,
                                           const char                *name,
                                           JsonObject                *args,
                                           GError                   **error);

G_END_DECLS
