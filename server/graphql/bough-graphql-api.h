/* bough-graphql-api.h: the GraphQL endpoint of the data API as the HTTP layer calls it: request
 * body in, response JSON and HTTP status out, generated schemas cached by schema hash.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-execute.h"
#include "store/bough-store.h"
#include "tasks/bough-task-queue.h"

G_BEGIN_DECLS

#define BOUGH_GRAPHQL_DEFAULT_MAX_PAGE_SIZE 10000
/* the page of a list asked without `limit`, top-level or nested */
#define BOUGH_GRAPHQL_DEFAULT_PAGE_SIZE 1000

typedef struct _BoughGraphqlApi BoughGraphqlApi;

BoughGraphqlApi *bough_graphql_api_new            (BoughStore      *store);
BoughGraphqlApi *bough_graphql_api_ref            (BoughGraphqlApi *api);
void             bough_graphql_api_unref          (BoughGraphqlApi *api);
void             bough_graphql_api_set_limits     (BoughGraphqlApi *api,
                                                   gint64           max_page_size,
                                                   guint            max_depth,
                                                   gsize            max_document_bytes);
void             bough_graphql_api_set_cost_limits (BoughGraphqlApi *api,
                                                   gint64           default_page_size,
                                                   gint64           max_cost);
void             bough_graphql_api_set_task_queue (BoughGraphqlApi *api,
                                                   BoughTaskQueue  *queue);
gboolean         bough_graphql_api_execute        (BoughGraphqlApi *api,
                                                   const char      *branch,
                                                   const char      *at,
                                                   const char      *body,
                                                   gsize            length,
                                                   guint           *status,
                                                   GBytes         **response);
gboolean         bough_graphql_api_execute_full   (BoughGraphqlApi   *api,
                                                   const char        *branch,
                                                   const char        *at,
                                                   const char        *account,
                                                   const char        *body,
                                                   gsize              length,
                                                   guint             *status,
                                                   GBytes           **response,
                                                   BoughGqlExecStats *stats);
gboolean         bough_graphql_api_execute_events (BoughGraphqlApi   *api,
                                                   const char        *branch,
                                                   BoughIdentity     *identity,
                                                   const char        *body,
                                                   gsize              length,
                                                   gint64             after_seq,
                                                   gint64             upto_seq,
                                                   guint             *status,
                                                   GBytes           **response);
gboolean         bough_graphql_api_execute_as     (BoughGraphqlApi   *api,
                                                   const char        *branch,
                                                   const char        *at,
                                                   BoughIdentity     *identity,
                                                   const char        *body,
                                                   gsize              length,
                                                   guint             *status,
                                                   GBytes           **response,
                                                   BoughGqlExecStats *stats);
char            *bough_graphql_api_print_sdl      (BoughGraphqlApi *api,
                                                   const char      *branch,
                                                   GError         **error);
BoughGqlSchema  *bough_graphql_api_get_schema     (BoughGraphqlApi *api,
                                                   const char      *branch,
                                                   gint64           at,
                                                   BoughSchema    **data_schema,
                                                   GError         **error);
gint64           bough_graphql_api_parse_at       (const char      *at,
                                                   gint64           now,
                                                   GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughGraphqlApi, bough_graphql_api_unref)

G_END_DECLS
