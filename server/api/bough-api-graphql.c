/* bough-api-graphql.c: the GraphQL routes: POST /graphql, POST /graphql/{branch}
 * and GET /schema.graphql, handing the work to the GraphQL API on the pool.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-api"

#include "config.h"

#include <string.h>

#include "bough-api-private.h"

#define GRAPHQL_PREFIX "/graphql/"

/* BOUGH_BENCH_STATS=1 in the server's environment (read when the routes are
 * registered) adds `"extensions": {"bough_sql_statements": N}` to every
 * GraphQL response: the SQL statements the request ran on its worker thread.
 * It is for tests/bench (bough-bench --http) and costs one copy of the
 * response, so it is off otherwise. */
static gboolean bench_stats;

/* Appends the extensions member to the response object. */
static GBytes *
add_statements (GBytes  *response,
                guint64  statements)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (response, &length);
  gsize end = length;
  GString *text;

  while (end > 0 && g_ascii_isspace (data[end - 1]))
    end--;
  if (end < 2 || data[0] != '{' || data[end - 1] != '}')
    return g_bytes_ref (response);
  text = g_string_sized_new (end + 64);
  g_string_append_len (text, data, end - 1);
  g_string_append_printf (text, "%s\"extensions\":{\"bough_sql_statements\":%" G_GUINT64_FORMAT
                          "}}", end > 2 ? "," : "", statements);
  return g_string_free_to_bytes (text);
}

static void
reply_graphql (BoughHttpRequest *request,
               BoughApi         *self,
               const char       *branch)
{
  g_autoptr(GBytes) response = NULL;
  GBytes *body = bough_http_request_get_body (request);
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;
  guint status = 0;
  guint64 statements = bench_stats ? bough_store_get_thread_statements () : 0;

  BoughIdentity *identity = bough_auth_get_request_identity (request);

  if (identity != NULL)
    bough_graphql_api_execute_as (self->graphql, branch, bough_http_request_get_query (request, "at"),
                                  identity, data ? data : "", length, &status, &response, NULL);
  else
    bough_graphql_api_execute (self->graphql, branch, bough_http_request_get_query (request, "at"),
                               data ? data : "", length, &status, &response);
  if (bench_stats)
    {
      g_autoptr(GBytes) counted = add_statements (response,
                                                  bough_store_get_thread_statements () -
                                                  statements);

      bough_http_request_reply_bytes (request, status, NULL, counted);
      return;
    }
  bough_http_request_reply_bytes (request, status, NULL, response);
}

static void
graphql_work (BoughHttpRequest *request,
              gpointer          user_data)
{
  reply_graphql (request, user_data, BOUGH_DEFAULT_BRANCH);
}

/* The branch is the rest of the path: branch names may contain '/'. */
static void
graphql_branch_work (BoughHttpRequest *request,
                     gpointer          user_data)
{
  const char *branch = bough_http_request_get_path (request) + strlen (GRAPHQL_PREFIX);

  if (*branch == '\0')
    branch = BOUGH_DEFAULT_BRANCH;
  reply_graphql (request, user_data, branch);
}

static void
sdl_work (BoughHttpRequest *request,
          gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *branch = _bough_api_get_branch (self, request);
  g_autoptr(GBytes) body = NULL;
  char *sdl;

  if (branch == NULL)
    return;
  sdl = bough_graphql_api_print_sdl (self->graphql, branch, &error);
  if (sdl == NULL)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_BAD_REQUEST, "%s", error->message);
      return;
    }
  /* reply_bytes() takes its own reference */
  body = g_bytes_new_take (sdl, strlen (sdl));
  bough_http_request_reply_bytes (request, SOUP_STATUS_OK, "text/plain; charset=utf-8", body);
}

void
_bough_api_graphql_register (BoughApi        *self,
                             BoughHttpRouter *router)
{
  bench_stats = g_strcmp0 (g_getenv ("BOUGH_BENCH_STATS"), "1") == 0;
  bough_http_router_add_work (router, SOUP_METHOD_POST, "/graphql", graphql_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_POST, GRAPHQL_PREFIX "*",
                              graphql_branch_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/schema.graphql", sdl_work, self, NULL);
}
