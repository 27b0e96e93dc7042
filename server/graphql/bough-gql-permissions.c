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
 * @permissions: the caller's permissions
 * @schema: the schema of the branch
 * @kind: the node or generic kind concerned
 * @action: what the caller would do (%BOUGH_GQL_ACTION_UPDATE_VALUE is an
 *   update of the kind)
 *
 * Decides, for every `permissions` field of the API, whether the caller may
 * do @action on @kind: on every branch (%BOUGH_GQL_DECISION_ALLOW), on the
 * default branch only, on the other branches only, or not at all.
 *
 * Returns: the decision
 */
BoughGqlDecision
bough_gql_permission_decide (BoughPermissions *permissions,
                             BoughSchema      *schema,
                             const char       *kind,
                             BoughGqlAction    action)
{
  static const BoughPermissionAction map[] = {
    [BOUGH_GQL_ACTION_VIEW] = BOUGH_PERMISSION_VIEW,
    [BOUGH_GQL_ACTION_CREATE] = BOUGH_PERMISSION_CREATE,
    [BOUGH_GQL_ACTION_UPDATE] = BOUGH_PERMISSION_UPDATE,
    [BOUGH_GQL_ACTION_DELETE] = BOUGH_PERMISSION_DELETE,
    [BOUGH_GQL_ACTION_UPDATE_VALUE] = BOUGH_PERMISSION_UPDATE,
  };
  BoughNodeSchema *ns;
  guint bits;

  g_return_val_if_fail (permissions != NULL, BOUGH_GQL_DECISION_DENY);
  g_return_val_if_fail (schema != NULL, BOUGH_GQL_DECISION_DENY);
  g_return_val_if_fail (kind != NULL, BOUGH_GQL_DECISION_DENY);
  g_return_val_if_fail (action <= BOUGH_GQL_ACTION_UPDATE_VALUE, BOUGH_GQL_DECISION_DENY);

  ns = bough_schema_lookup (schema, kind);
  if (ns == NULL)
    return BOUGH_GQL_DECISION_DENY;
  bits = bough_permissions_object_bits (permissions, ns->namespace_, ns->name, map[action]);
  /* a write of a branch-agnostic kind changes every branch: it takes the
   * right of the default branch, on any branch */
  if (action != BOUGH_GQL_ACTION_VIEW && ns->branch == BOUGH_BRANCH_SUPPORT_AGNOSTIC)
    bits = (bits & BOUGH_DECISION_ALLOW_DEFAULT) != 0 ? BOUGH_DECISION_ALLOW_ALL : 0;
  switch (bits & BOUGH_DECISION_ALLOW_ALL)
    {
    case BOUGH_DECISION_ALLOW_ALL:
      return BOUGH_GQL_DECISION_ALLOW;
    case BOUGH_DECISION_ALLOW_DEFAULT:
      return BOUGH_GQL_DECISION_ALLOW_DEFAULT;
    case BOUGH_DECISION_ALLOW_OTHER:
      return BOUGH_GQL_DECISION_ALLOW_OTHER;
    default:
      return BOUGH_GQL_DECISION_DENY;
    }
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
