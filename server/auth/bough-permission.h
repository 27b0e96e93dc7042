/* bough-permission.h: authorization. The permissions of an account (reference §3.1: its
 * groups' roles' global and object permissions, decision bits, wildcards, most-specific-wins)
 * resolved from the store, cached per account, and the decisions every path asks for.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "auth/bough-auth.h"
#include "store/bough-store.h"

G_BEGIN_DECLS

/* The account id of an anonymous caller: the permissions of the anonymous
 * role (bough_permissions_for_account()). A %NULL account is the server
 * itself (internal calls and tests): a super administrator. */
#define BOUGH_ACCOUNT_ANONYMOUS "-anonymous-"

/* Names of the roles and groups db init creates (reference §3.1). */
#define BOUGH_ROLE_SUPER_ADMIN    "Super Administrator"
#define BOUGH_GROUP_SUPER_ADMINS  "Super Administrators"
#define BOUGH_ROLE_GENERAL_ACCESS "General Access"
#define BOUGH_GROUP_USERS         "Infrahub Users"
#define BOUGH_ROLE_ANONYMOUS      "Anonymous Access"

/* Decision bits of a permission. */
typedef enum
{
  BOUGH_DECISION_DENY          = 1,
  BOUGH_DECISION_ALLOW_DEFAULT = 2,
  BOUGH_DECISION_ALLOW_OTHER   = 4,
  BOUGH_DECISION_ALLOW_ALL     = 6,
} BoughDecision;

typedef enum
{
  BOUGH_PERMISSION_VIEW,
  BOUGH_PERMISSION_CREATE,
  BOUGH_PERMISSION_UPDATE,
  BOUGH_PERMISSION_DELETE,
} BoughPermissionAction;

typedef struct _BoughPermissions BoughPermissions;

BoughPermissions *bough_permissions_new             (void);
BoughPermissions *bough_permissions_new_super_admin (void);
BoughPermissions *bough_permissions_ref             (BoughPermissions      *self);
void              bough_permissions_unref           (BoughPermissions      *self);
gboolean          bough_permissions_add             (BoughPermissions      *self,
                                                     const char            *identifier,
                                                     GError               **error);
void              bough_permissions_add_object      (BoughPermissions      *self,
                                                     const char            *namespace_,
                                                     const char            *name,
                                                     const char            *action,
                                                     guint                  decision);
void              bough_permissions_add_global      (BoughPermissions      *self,
                                                     const char            *action,
                                                     guint                  decision);
gboolean          bough_permissions_is_super_admin  (BoughPermissions      *self);
guint             bough_permissions_object_bits     (BoughPermissions      *self,
                                                     const char            *namespace_,
                                                     const char            *name,
                                                     BoughPermissionAction  action);
gboolean          bough_permissions_allows_object   (BoughPermissions      *self,
                                                     const char            *namespace_,
                                                     const char            *name,
                                                     BoughPermissionAction  action,
                                                     gboolean               default_branch);
gboolean          bough_permissions_allows_global   (BoughPermissions      *self,
                                                     const char            *action,
                                                     gboolean               default_branch);

BoughPermissions *bough_permissions_for_account     (BoughStore            *store,
                                                     const char            *account,
                                                     GError               **error);
BoughPermissions *bough_permissions_for_identity    (BoughStore            *store,
                                                     BoughIdentity         *identity,
                                                     GError               **error);
gboolean          bough_permissions_init_defaults   (BoughStore            *store,
                                                     const char            *admin_account,
                                                     GError               **error);
const char       *bough_permission_action_to_string (BoughPermissionAction  action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughPermissions, bough_permissions_unref)

G_END_DECLS
