/* bough-auth.h: authentication (reference §3.1): who is calling. The identity
 * of a request (API token, JWT access token, refresh session, anonymous or
 * the server itself), passwords (argon2id), JWTs (HS256), API tokens and
 * refresh sessions, and the authenticator every API path asks. Permissions
 * (what an identity may do) live in bough-permission*.c.
 *
 * Where the identity travels:
 * - REST and GraphQL handlers on the worker pool: bough_auth_get_request_identity()
 *   returns the identity the router's authentication hook attached to the
 *   request (never NULL on an authenticated route). The hook
 *   (bough_http_router_set_auth(), installed by bough_auth_install()) runs on
 *   the worker thread before each work function and answers 401 itself.
 * - Websockets: the graphql-ws connection_init payload carries the same
 *   credentials (keys "X-INFRAHUB-KEY", "Authorization" or "access_token").
 * - GraphQL execution: BoughGqlExecContext.identity (and .account, the account
 *   id as the change's author, NULL for anonymous/internal).
 * - The store: the account id is the commit's `account` column (history,
 *   node_metadata created_by/updated_by).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-config.h"
#include "http/bough-http.h"
#include "store/bough-store.h"

G_BEGIN_DECLS

/* The name of the account created by `db init`. */
#define BOUGH_AUTH_ADMIN_ACCOUNT "admin"
/* The error message the SDK looks for to refresh its access token. */
#define BOUGH_AUTH_EXPIRED_MESSAGE "Expired Signature"

typedef enum
{
  BOUGH_AUTH_METHOD_ANONYMOUS,
  BOUGH_AUTH_METHOD_PASSWORD,   /* a login with username and password */
  BOUGH_AUTH_METHOD_JWT,        /* Authorization: Bearer / cookie access_token */
  BOUGH_AUTH_METHOD_TOKEN,      /* X-INFRAHUB-KEY */
  BOUGH_AUTH_METHOD_INTERNAL,   /* the server itself: db init, tasks */
} BoughAuthMethod;

/* Immutable and refcounted: share it across threads freely. */
typedef struct _BoughIdentity BoughIdentity;

BoughIdentity   *bough_identity_new            (const char      *account_id,
                                                const char      *account_name,
                                                BoughAuthMethod  method);
BoughIdentity   *bough_identity_new_anonymous  (void);
BoughIdentity   *bough_identity_new_internal   (void);
BoughIdentity   *bough_identity_ref            (BoughIdentity   *identity);
void             bough_identity_unref          (BoughIdentity   *identity);
/* NULL for anonymous and internal identities */
const char      *bough_identity_get_account_id   (const BoughIdentity *identity);
/* "anonymous" / "internal" for those */
const char      *bough_identity_get_account_name (const BoughIdentity *identity);
gboolean         bough_identity_is_anonymous     (const BoughIdentity *identity);
gboolean         bough_identity_is_internal      (const BoughIdentity *identity);
BoughAuthMethod  bough_identity_get_method       (const BoughIdentity *identity);
/* the refresh session a JWT belongs to; NULL otherwise */
const char      *bough_identity_get_session_id   (const BoughIdentity *identity);
const char      *bough_auth_method_to_string     (BoughAuthMethod      method);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughIdentity, bough_identity_unref)

/* The authenticator: one per server, thread safe. */
typedef struct _BoughAuth BoughAuth;

BoughAuth       *bough_auth_new                (BoughStore      *store,
                                                BoughConfig     *config,
                                                GError         **error);
void             bough_auth_free               (BoughAuth       *self);
gboolean         bough_auth_get_allow_anonymous (BoughAuth      *self);

/* Authenticates from the three credentials a request may carry (each
 * nullable: the X-INFRAHUB-KEY header, the Authorization header, the Cookie
 * header). No credential gives the anonymous identity when anonymous access
 * is on. A refusal is NULL with BOUGH_ERROR_PERMISSION (reply 401); an expired
 * access token's message is BOUGH_AUTH_EXPIRED_MESSAGE. */
BoughIdentity   *bough_auth_authenticate       (BoughAuth       *self,
                                                const char      *api_key,
                                                const char      *authorization,
                                                const char      *cookie,
                                                GError         **error);
BoughIdentity   *bough_auth_authenticate_request (BoughAuth        *self,
                                                  BoughHttpRequest *request,
                                                  GError          **error);
/* Makes @router authenticate every work route but the public ones. */
void             bough_auth_install            (BoughAuth        *self,
                                                BoughHttpRouter  *router);
/* The identity attached to a request by the router's hook; NULL on public
 * routes (/api/auth/login, /api/info, /api/config). */
BoughIdentity   *bough_auth_get_request_identity (BoughHttpRequest *request);

/* Passwords (argon2id) */
char            *bough_auth_password_hash      (const char      *password,
                                                GError         **error);
gboolean         bough_auth_password_verify    (const char      *hash,
                                                const char      *password);
gboolean         bough_auth_password_is_hash   (const char      *text);
gboolean         bough_auth_is_stored_secret   (const char      *text);

/* A password login from @client (an address, for throttling): the access
 * token, and the refresh token of the new session; NULL with @status (401,
 * 422, 429) and @error when refused. */
char            *bough_auth_login              (BoughAuth       *self,
                                                const char      *username,
                                                const char      *password,
                                                const char      *client,
                                                char           **refresh_token,
                                                guint           *status,
                                                GError         **error);

/* API tokens of the calling account (GraphQL InfrahubAccountTokenCreate/Delete). */
char            *bough_auth_token_create       (BoughStore          *store,
                                                const BoughIdentity *identity,
                                                const char          *name,
                                                const char          *expiration,
                                                char               **token_id,
                                                GError             **error);
gboolean         bough_auth_token_delete       (BoughStore          *store,
                                                const BoughIdentity *identity,
                                                const char          *token_id,
                                                GError             **error);
/* InfrahubAccountSelfUpdate: either may be NULL, not both */
gboolean         bough_auth_update_self        (BoughStore          *store,
                                                const BoughIdentity *identity,
                                                const char          *password,
                                                const char          *description,
                                                GError             **error);

/* `db init` and first start: the admin account, its password
 * (initial.admin_password, or generated and returned in @generated_password)
 * and API token (initial.admin_token). Does nothing to an existing admin
 * except adding the configured token when it is missing. */
gboolean         bough_auth_bootstrap          (BoughStore      *store,
                                                BoughConfig     *config,
                                                char           **generated_password,
                                                GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughAuth, bough_auth_free)

G_END_DECLS
