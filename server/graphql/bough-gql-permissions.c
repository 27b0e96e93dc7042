/* bough-gql-permissions.c: the permission decisions the generated API shows (`permissions` of
 * Paginated types and of attributes).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-gql-permissions"

#include "config.h"

#include "bough-gql-permissions.h"

/**
 * bough_gql_permission_decide:
 * @account: (nullable): the account asking, %NULL when anonymous
 * @branch: the branch the request runs on
 * @kind: the node kind concerned
 * @attribute: (nullable): the attribute concerned (for %BOUGH_GQL_ACTION_UPDATE_VALUE)
 * @action: what the account would do
 *
 * Decides whether @account may do @action on @kind (or on its @attribute)
 * on @branch. Every permission answer of the API comes from here, so that
 * accounts and roles (issue #5) replace this one function.
 *
 * Bough has no accounts yet: every request may read and write everything,
 * so every decision is %BOUGH_GQL_DECISION_ALLOW, whatever the account,
 * branch, kind or action.
 *
 * Returns: the decision
 */
BoughGqlDecision
bough_gql_permission_decide (const char     *account,
                             const char     *branch,
                             const char     *kind,
                             const char     *attribute,
                             BoughGqlAction  action)
{
  g_return_val_if_fail (kind != NULL, BOUGH_GQL_DECISION_DENY);

  (void) account;
  (void) branch;
  (void) attribute;
  (void) action;
  return BOUGH_GQL_DECISION_ALLOW;
}

/**
 * bough_gql_decision_to_string:
 * @decision: a decision
 *
 * Returns: its name in the BranchRelativePermissionDecision enum
 */
const char *
bough_gql_decision_to_string (BoughGqlDecision decision)
{
  switch (decision)
    {
    case BOUGH_GQL_DECISION_ALLOW:
      return "ALLOW";
    case BOUGH_GQL_DECISION_ALLOW_DEFAULT:
      return "ALLOW_DEFAULT";
    case BOUGH_GQL_DECISION_ALLOW_OTHER:
      return "ALLOW_OTHER";
    case BOUGH_GQL_DECISION_DENY:
    default:
      return "DENY";
    }
}
