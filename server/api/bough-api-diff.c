/* bough-api-diff.c: the legacy diff endpoints under /api/diff that clients still call:
 * GET /api/diff/files (infrahubctl branch report reads it for the files changed in the
 * branch's repositories).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-api"

#include "config.h"

#include "bough-error.h"
#include "bough-api-private.h"

/* The repositories the branch sees: file diffs are theirs. */
static gint64
count_repositories (BoughApi    *self,
                    BoughSchema *schema,
                    const char  *branch,
                    GError     **error)
{
  g_autoptr(BoughQuery) query = NULL;
  g_autoptr(BoughQueryResult) result = NULL;

  if (bough_schema_lookup (schema, "CoreGenericRepository") == NULL)
    return 0;
  query = bough_query_new ("CoreGenericRepository");
  query->branch = g_strdup (branch);
  query->count_only = TRUE;
  result = bough_store_query (self->store, query, error);
  return result != NULL ? result->count : -1;
}

/* GET /api/diff/files?branch=: per repository, the files the branch
 * changed: `{<branch>: {<repository id>: {...}}}`. With no repository
 * there is nothing to list; file diffs of repositories need the git
 * integration, which answers them once it exists. */
static void
files_work (BoughHttpRequest *request,
            gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *branch = _bough_api_get_branch (self, request);
  gint64 repositories;

  if (branch == NULL)
    return;
  schema = _bough_api_get_schema (self, request, branch, FALSE);
  if (schema == NULL)
    return;
  repositories = count_repositories (self, schema, branch, &error);
  if (repositories < 0)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR, "%s", error->message);
      return;
    }
  if (repositories > 0)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_NOT_IMPLEMENTED,
                                      "The files changed in repositories need the git integration, "
                                      "which this server does not have yet");
      return;
    }
  root = json_object_new ();
  json_object_set_object_member (root, branch, json_object_new ());
  node = json_node_init_object (json_node_alloc (), root);
  bough_http_request_reply_json (request, SOUP_STATUS_OK, node);
}

void
_bough_api_diff_register (BoughApi        *self,
                          BoughHttpRouter *router)
{
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/api/diff/files", files_work, self, NULL);
}
