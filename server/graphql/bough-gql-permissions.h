/* bough-gql-permissions.h: the one decision the generated API asks about permissions (the
 * `permissions` fields of reference §2.2), answered from the caller's permissions.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "auth/bough-permission.h"
#include "schema/bough-schema.h"

G_BEGIN_DECLS

typedef enum
{
  BOUGH_GQL_ACTION_VIEW,
  BOUGH_GQL_ACTION_CREATE,
  BOUGH_GQL_ACTION_UPDATE,
  BOUGH_GQL_ACTION_DELETE,
  BOUGH_GQL_ACTION_UPDATE_VALUE,
} BoughGqlAction;

/* The values of the BranchRelativePermissionDecision enum. */
typedef enum
{
  BOUGH_GQL_DECISION_DENY,
  BOUGH_GQL_DECISION_ALLOW,
  BOUGH_GQL_DECISION_ALLOW_DEFAULT,
  BOUGH_GQL_DECISION_ALLOW_OTHER,
} BoughGqlDecision;

BoughGqlDecision bough_gql_permission_decide   (BoughPermissions *permissions,
                                                BoughSchema      *schema,
                                                const char       *kind,
                                                BoughGqlAction    action);
const char      *bough_gql_decision_to_string  (BoughGqlDecision  decision);

G_END_DECLS
