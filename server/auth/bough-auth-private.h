/* bough-auth-private.h: what the files of server/auth/ share.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-auth.h"

G_BEGIN_DECLS

#define BOUGH_AUTH_TOKEN_KIND   "InternalAccountToken"
#define BOUGH_AUTH_SESSION_KIND "InternalRefreshToken"
#define BOUGH_AUTH_ACCOUNT_KIND "CoreGenericAccount"

gboolean       _bough_auth_crypto_init     (void);
char          *_bough_auth_token_digest    (const char   *token);
gboolean       _bough_auth_digest_equal    (const char   *a,
                                            const char   *b);
char          *_bough_auth_random_text     (gsize         n_bytes);
BoughIdentity *_bough_identity_new_session (const char   *account_id,
                                            const char   *account_name,
                                            const char   *session_id);
char          *_bough_auth_jwt_encode      (const guint8 *key,
                                            gsize         key_length,
                                            const char   *type,
                                            const char   *subject,
                                            const char   *session_id,
                                            const char   *role,
                                            gint64        now,
                                            gint64        lifetime);
gboolean       _bough_auth_jwt_decode      (const guint8 *key,
                                            gsize         key_length,
                                            const char   *token,
                                            const char   *type,
                                            gint64        now,
                                            char        **subject,
                                            char        **session_id,
                                            GError      **error);
void           _bough_auth_set_password_cost (const char *cost);
char          *_bough_auth_refresh         (BoughAuth    *self,
                                            const char   *refresh_token,
                                            GError      **error);
gboolean       _bough_auth_logout          (BoughAuth           *self,
                                            const BoughIdentity *identity,
                                            GError             **error);
gint64         _bough_auth_get_access_lifetime  (BoughAuth *self);
gint64         _bough_auth_get_refresh_lifetime (BoughAuth *self);
void           _bough_auth_rest_register   (BoughAuth        *self,
                                            BoughHttpRouter  *router);

G_END_DECLS
