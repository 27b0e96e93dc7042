/* bough-bench-accounts.c: set-up shared by the in-process GraphQL benches:
 * objects made from JSON, accounts in a group whose role holds the given
 * permissions.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-bench"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "bough-bench-accounts.h"

/* Says what failed, under the program's name, and exits 1. */
void
bough_bench_die (const char *what,
                 GError     *error)
{
  g_printerr ("%s: %s: %s\n", g_get_prgname (), what, error ? error->message : "failed");
  exit (1);
}

/* Creates a @kind from the mutation-shaped @json; returns its id. */
char *
bough_bench_create (BoughTxn   *txn,
                    const char *kind,
                    const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  g_autoptr(BoughNode) created = NULL;

  if (node == NULL)
    bough_bench_die ("bad JSON", error);
  created = bough_txn_create (txn, kind, json_node_get_object (node), &error);
  if (created == NULL)
    bough_bench_die (kind, error);
  return g_strdup (created->id);
}

/* An account @name in a group whose role holds the permissions
 * @perms_json (object permissions name a namespace, the others are
 * global); returns the account's id. */
char *
bough_bench_make_account (BoughStore         *store,
                          const char         *name,
                          const char * const *perms_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, NULL, NULL, &error);
  g_autoptr(GString) ids = g_string_new ("[");
  g_autofree char *json = NULL, *account = NULL, *role = NULL, *group = NULL;

  if (txn == NULL)
    bough_bench_die ("begin", error);
  json = g_strdup_printf ("{\"name\": {\"value\": \"%s\"}, \"password\": {\"value\": \"bench-pw-%s\"}}",
                          name, name);
  account = bough_bench_create (txn, "CoreAccount", json);
  for (guint i = 0; perms_json[i] != NULL; i++)
    {
      g_autofree char *id = bough_bench_create (txn, strstr (perms_json[i], "namespace")
                                                     ? "CoreObjectPermission" : "CoreGlobalPermission",
                                                perms_json[i]);

      g_string_append_printf (ids, "%s{\"id\": \"%s\"}", i > 0 ? ", " : "", id);
    }
  g_string_append (ids, "]");
  g_free (json);
  json = g_strdup_printf ("{\"name\": {\"value\": \"role-%s\"}, \"permissions\": %s}", name, ids->str);
  role = bough_bench_create (txn, "CoreAccountRole", json);
  g_free (json);
  json = g_strdup_printf ("{\"name\": {\"value\": \"group-%s\"}, \"roles\": [{\"id\": \"%s\"}],"
                          " \"members\": [{\"id\": \"%s\"}]}", name, role, account);
  group = bough_bench_create (txn, "CoreAccountGroup", json);
  if (!bough_txn_commit (txn, &error))
    bough_bench_die ("commit", error);
  return g_steal_pointer (&account);
}

/* GCompareFunc of doubles, for medians. */
int
bough_bench_compare_doubles (gconstpointer a,
                             gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}
