/* bough-graphql-subscription.h: a `subscription` document of the graphql-ws websocket checked
 * against a branch's generated schema, and the arguments of its `query` field.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bough-graphql-api.h"

G_BEGIN_DECLS

/* What `subscription { query(name, params, interval) }` asks for, or that
 * the subscription is `InfrahubEvent(...)` (@events: the caller runs the
 * start payload with bough_graphql_api_execute_events() as events come). */
typedef struct
{
  char       *name;      /* the stored query (CoreGraphQLQuery) name or id */
  JsonObject *params;    /* its variables, never NULL */
  gint64      interval;  /* seconds between runs, as given (the caller bounds it) */
  gboolean    events;    /* an event subscription: the fields above are unset */
  gboolean    tasks;     /* a task subscription: run again, sent when its answer changes */
} BoughGraphqlSubscription;

BoughGraphqlSubscription *bough_graphql_subscription_prepare (BoughGraphqlApi *api,
                                                              const char      *branch,
                                                              JsonObject      *payload,
                                                              gsize            max_document_bytes,
                                                              JsonArray      **errors);
void                      bough_graphql_subscription_free    (BoughGraphqlSubscription *subscription);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughGraphqlSubscription, bough_graphql_subscription_free)

G_END_DECLS
