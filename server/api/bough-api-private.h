/* bough-api-private.h: what the files of the REST API share.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-api.h"
#include "auth/bough-permission.h"
#include "graphql/bough-gql-ast.h"
#include "graphql/bough-graphql-api.h"

G_BEGIN_DECLS

typedef struct _BoughApiWs BoughApiWs;

struct _BoughApi
{
  BoughStore      *store;
  BoughConfig     *config;
  BoughGraphqlApi *graphql;
  BoughApiWs      *ws;
  BoughAuth       *auth;  /* borrowed; NULL: no authentication (the caller's choice) */
  BoughTaskQueue  *tasks; /* nullable: schema loads then run as tasks without heartbeats */
  char        *deployment_id;
  /* Schema loads read, build and store in one step: one at a time. */
  GMutex       schema_lock;
};

/* A stored CoreGraphQLQuery, found and parsed. */
typedef struct
{
  BoughNode        *node;
  const char       *text;      /* owned by node */
  BoughGqlDocument *document;
} BoughApiStoredQuery;

const char  *_bough_api_get_branch          (BoughApi         *self,
                                             BoughHttpRequest *request);
BoughSchema *_bough_api_get_schema          (BoughApi         *self,
                                             BoughHttpRequest *request,
                                             const char       *branch,
                                             gboolean          with_at);
BoughPermissions *_bough_api_request_permissions (BoughApi         *self,
                                                BoughHttpRequest *request);
gboolean     _bough_api_require_global      (BoughApi         *self,
                                             BoughHttpRequest *request,
                                             const char       *branch,
                                             const char       *action);
gboolean     _bough_api_namespace_is_restricted (const char   *ns);
JsonNode    *_bough_api_json_schema_for     (BoughNodeSchema  *node);
void         _bough_api_schema_register     (BoughApi         *self,
                                             BoughHttpRouter  *router);
void         _bough_api_graphql_register    (BoughApi         *self,
                                             BoughHttpRouter  *router);
void         _bough_api_query_register      (BoughApi         *self,
                                             BoughHttpRouter  *router);
void         _bough_api_diff_register       (BoughApi         *self,
                                             BoughHttpRouter  *router);
BoughApiStoredQuery *_bough_api_stored_query_load (BoughApi     *self,
                                                   const char   *branch,
                                                   gint64        at,
                                                   const char   *name_or_id,
                                                   GError      **error);
gboolean     _bough_api_stored_query_run    (BoughApi             *self,
                                             BoughIdentity        *identity,
                                             BoughApiStoredQuery  *query,
                                             const char           *branch,
                                             const char           *at_text,
                                             JsonObject           *variables,
                                             guint                *status,
                                             GBytes              **response,
                                             GError              **error);
gboolean     _bough_api_stored_query_run_operation (BoughApi             *self,
                                             BoughIdentity        *identity,
                                             BoughApiStoredQuery  *query,
                                             const char           *operation_name,
                                             const char           *branch,
                                             const char           *at_text,
                                             JsonObject           *variables,
                                             guint                *status,
                                             GBytes              **response,
                                             GError              **error);
void         _bough_api_stored_query_free   (BoughApiStoredQuery *query);
BoughApiWs  *_bough_api_ws_new              (BoughApi         *api);
void         _bough_api_ws_register         (BoughApiWs       *ws,
                                             BoughHttpRouter  *router);
void         _bough_api_ws_shutdown         (BoughApiWs       *ws);
void         _bough_api_ws_free             (BoughApiWs       *ws);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughApiStoredQuery, _bough_api_stored_query_free)

G_END_DECLS
