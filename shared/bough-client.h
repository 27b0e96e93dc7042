/* bough-client.h: BoughClient, the HTTP API client of Bough (and of any
 * server speaking Infrahub's API): GraphQL, REST, graphql-ws subscriptions
 * and authentication, all asynchronous and cancellable. It caches the
 * schemas it fetched (revalidated by hash) and multiplexes all its
 * subscriptions over one websocket per branch; see bough-client.c.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "schema/bough-schema.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_CLIENT (bough_client_get_type ())

G_DECLARE_FINAL_TYPE (BoughClient, bough_client, BOUGH, CLIENT, GObject)

#define BOUGH_TYPE_CLIENT_SUBSCRIPTION (bough_client_subscription_get_type ())

G_DECLARE_FINAL_TYPE (BoughClientSubscription, bough_client_subscription,
                      BOUGH, CLIENT_SUBSCRIPTION, GObject)

BoughClient *bough_client_new                  (const char           *base_url);
const char  *bough_client_get_base_url         (BoughClient          *self);
const char  *bough_client_get_token            (BoughClient          *self);
void         bough_client_set_token            (BoughClient          *self,
                                                const char           *token);
const char  *bough_client_get_username         (BoughClient          *self);
gboolean     bough_client_get_authenticated    (BoughClient          *self);

void         bough_client_login_async          (BoughClient          *self,
                                                const char           *username,
                                                const char           *password,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean     bough_client_login_finish         (BoughClient          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void         bough_client_logout               (BoughClient          *self);

void         bough_client_query_async          (BoughClient          *self,
                                                const char           *branch,
                                                const char           *at,
                                                const char           *query,
                                                JsonNode             *variables,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
JsonNode    *bough_client_query_finish         (BoughClient          *self,
                                                GAsyncResult         *result,
                                                JsonArray           **errors,
                                                GError              **error);

void         bough_client_rest_async           (BoughClient          *self,
                                                const char           *method,
                                                const char           *path,
                                                const char           *branch,
                                                const char           *at,
                                                JsonNode             *body,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
JsonNode    *bough_client_rest_finish          (BoughClient          *self,
                                                GAsyncResult         *result,
                                                GError              **error);

void         bough_client_fetch_schema_async   (BoughClient          *self,
                                                const char           *branch,
                                                const char           *at,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
BoughSchema *bough_client_fetch_schema_finish  (BoughClient          *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void         bough_client_invalidate_schema    (BoughClient          *self,
                                                const char           *branch);

BoughClientSubscription *bough_client_subscribe (BoughClient         *self,
                                                 const char          *branch,
                                                 const char          *query,
                                                 JsonNode            *variables);

BoughClient *bough_client_subscription_get_client (BoughClientSubscription *self);
gboolean     bough_client_subscription_get_active (BoughClientSubscription *self);
void         bough_client_subscription_stop       (BoughClientSubscription *self);

const char  *bough_client_graphql_error_get_field (JsonObject           *graphql_error);

G_END_DECLS
