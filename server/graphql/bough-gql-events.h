/* bough-gql-events.h: the events part of the generated API (reference §8.2): the
 * `InfrahubEvent` query with Infrahub's types (the `EventNodeInterface` and one object type
 * per kind of event) and the `InfrahubEvent` subscription (a Bough extension) that the
 * websocket runs for each batch of new events.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-execute.h"
#include "bough-gql-schema.h"

G_BEGIN_DECLS

/* The most events one query returns (Infrahub's bound). */
#define BOUGH_GQL_EVENTS_MAX_LIMIT 50

void                bough_gql_events_add_types  (BoughGqlSchema *gql,
                                                 BoughGqlType   *query,
                                                 BoughGqlType   *subscription);
const char * const *bough_gql_events_type_names (void);
gboolean            bough_gql_events_is_field   (const char     *name);
JsonNode           *bough_gql_events_resolve    (const BoughGqlExecContext *context,
                                                 const char                *name,
                                                 gboolean                   subscription,
                                                 JsonObject                *args,
                                                 GHashTable                *selected,
                                                 GError                   **error);

G_END_DECLS
