/* bough-api-private.h: what the files of the REST API share.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-api.h"
#include "graphql/bough-graphql-api.h"

G_BEGIN_DECLS

struct _BoughApi
{
  BoughStore      *store;
  BoughConfig     *config;
  BoughGraphqlApi *graphql;
  char        *deployment_id;
  /* Schema loads read, build and store in one step: one at a time. */
  GMutex       schema_lock;
};

const char  *_bough_api_get_branch          (BoughApi         *self,
                                             BoughHttpRequest *request);
BoughSchema *_bough_api_get_schema          (BoughApi         *self,
                                             BoughHttpRequest *request,
                                             const char       *branch,
                                             gboolean          with_at);
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

G_END_DECLS
