/* objects-test-common.h: what the tests of the object views share: a live
 * server with a small test schema (sites, widgets with a unique name, a
 * regex-checked code, a number, a boolean, a dropdown, a site and tags;
 * regions holding cities, a hierarchy)
 * and thousands of widgets loaded through the API, plus waiting helpers.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bough-client.h"
#include "../shared/client-test-common.h"

static const char objects_test_schema[] =
  "{\"schemas\": [{\"version\": \"1.0\","
  " \"generics\": [{\"name\": \"Place\", \"namespace\": \"Testing\", \"hierarchical\": true,"
  "   \"display_labels\": [\"name__value\"], \"human_friendly_id\": [\"name__value\"],"
  "   \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\", \"unique\": true}]}],"
  " \"nodes\": ["
  "  {\"name\": \"Region\", \"namespace\": \"Testing\", \"inherit_from\": [\"TestingPlace\"],"
  "   \"parent\": \"\", \"children\": \"TestingCity\"},"
  "  {\"name\": \"City\", \"namespace\": \"Testing\", \"inherit_from\": [\"TestingPlace\"],"
  "   \"parent\": \"TestingRegion\", \"children\": \"\"},"
  "  {\"name\": \"Site\", \"namespace\": \"Testing\", \"default_filter\": \"name__value\","
  "   \"display_labels\": [\"name__value\"], \"human_friendly_id\": [\"name__value\"],"
  "   \"order_by\": [\"name__value\"],"
  "   \"attributes\": [{\"name\": \"name\", \"kind\": \"Text\", \"unique\": true},"
  "                    {\"name\": \"city\", \"kind\": \"Text\", \"optional\": true}]},"
  "  {\"name\": \"Widget\", \"namespace\": \"Testing\", \"default_filter\": \"name__value\","
  "   \"display_labels\": [\"name__value\"], \"human_friendly_id\": [\"name__value\"],"
  "   \"order_by\": [\"name__value\"],"
  "   \"attributes\": ["
  "     {\"name\": \"name\", \"kind\": \"Text\", \"unique\": true},"
  "     {\"name\": \"code\", \"kind\": \"Text\", \"optional\": true,"
  "      \"regex\": \"^[A-Z]{3}-[0-9]+$\"},"
  "     {\"name\": \"size\", \"kind\": \"Number\", \"optional\": true},"
  "     {\"name\": \"enabled\", \"kind\": \"Boolean\", \"default_value\": false,"
  "      \"optional\": true},"
  "     {\"name\": \"status\", \"kind\": \"Dropdown\", \"optional\": true,"
  "      \"choices\": [{\"name\": \"active\", \"label\": \"Active\"},"
  "                   {\"name\": \"retired\", \"label\": \"Retired\"}]},"
  "     {\"name\": \"notes\", \"kind\": \"TextArea\", \"optional\": true}],"
  "   \"relationships\": ["
  "     {\"name\": \"site\", \"peer\": \"TestingSite\", \"cardinality\": \"one\","
  "      \"optional\": true, \"kind\": \"Attribute\"},"
  "     {\"name\": \"tags\", \"peer\": \"BuiltinTag\", \"cardinality\": \"many\","
  "      \"optional\": true}]}]}]}";

typedef struct
{
  GAsyncResult *result;
} ObjectsWait;

static inline void
objects_wait_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ObjectsWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static inline GAsyncResult *
objects_wait_result (ObjectsWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

/* Iterates the main context until @done says so. */
static inline void
objects_wait_until (gboolean (*done) (gpointer),
                    gpointer   data)
{
  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
}

static inline JsonNode *
objects_query (BoughClient *client,
               const char  *query,
               JsonNode    *variables)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) errors = NULL;
  ObjectsWait wait = { NULL };
  JsonNode *data;

  bough_client_query_async (client, NULL, NULL, query, variables, NULL, objects_wait_cb, &wait);
  data = bough_client_query_finish (client, objects_wait_result (&wait), &errors, &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_null (errors);
  g_assert_nonnull (data);
  return data;
}

/* edges[0].node of the list @kind in the answer @data. */
static inline JsonObject *
objects_first_node (JsonNode   *data,
                    const char *kind)
{
  JsonObject *list = json_object_get_object_member (json_node_get_object (data), kind);
  JsonArray *edges = json_object_get_array_member (list, "edges");

  g_assert_cmpuint (json_array_get_length (edges), >, 0);
  return json_object_get_object_member (json_array_get_object_element (edges, 0), "node");
}

/* The id of the object a mutation under the alias @alias made. */
static inline const char *
objects_made_id (JsonNode   *data,
                 const char *alias)
{
  JsonObject *answer = json_object_get_object_member (json_node_get_object (data), alias);

  return json_object_get_string_member (json_object_get_object_member (answer, "object"), "id");
}

static inline void
objects_load_schema (BoughClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = json_from_string (objects_test_schema, &error);
  g_autoptr(JsonNode) reply = NULL;
  ObjectsWait wait = { NULL };

  g_assert_no_error (error);
  bough_client_rest_async (client, "POST", "/api/schema/load", NULL, NULL, body, NULL,
                           objects_wait_cb, &wait);
  reply = bough_client_rest_finish (client, objects_wait_result (&wait), &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
}

static inline BoughSchema *
objects_fetch_schema (BoughClient *client)
{
  g_autoptr(GError) error = NULL;
  ObjectsWait wait = { NULL };
  BoughSchema *schema;

  bough_client_fetch_schema_async (client, NULL, NULL, NULL, objects_wait_cb, &wait);
  schema = bough_client_fetch_schema_finish (client, objects_wait_result (&wait), &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (schema);
  return schema;
}

/* Creates sites site-0..site-(n_sites-1) and widgets w00000..: widget i
 * has size i, is enabled when i is even, sits on site i % n_sites. Many
 * creations per request (aliases) keep this quick. Returns the sites' ids. */
static inline GPtrArray *
objects_load_data (BoughClient *client,
                   guint        n_sites,
                   guint        n_widgets)
{
  GPtrArray *site_ids = g_ptr_array_new_with_free_func (g_free);
  GString *q = g_string_new ("mutation {");

  for (guint i = 0; i < n_sites; i++)
    g_string_append_printf (q, " s%u: TestingSiteCreate(data: {name: {value: \"site-%u\"},"
                            " city: {value: \"City %u\"}}) { object { id } }", i, i, i);
  g_string_append (q, " }");
  {
    g_autoptr(JsonNode) data = objects_query (client, q->str, NULL);
    JsonObject *root = json_node_get_object (data);

    for (guint i = 0; i < n_sites; i++)
      {
        g_autofree char *alias = g_strdup_printf ("s%u", i);
        JsonObject *object = json_object_get_object_member (json_object_get_object_member (root,
                                                                                           alias),
                                                            "object");

        g_ptr_array_add (site_ids, g_strdup (json_object_get_string_member (object, "id")));
      }
  }

  /* made from the last name to the first: creation order is the reverse
   * of the schema's order (by name) */
  for (guint start = 0; start < n_widgets; start += 250)
    {
      g_autoptr(JsonNode) data = NULL;

      g_string_assign (q, "mutation {");
      for (guint k = start; k < MIN (start + 250, n_widgets); k++)
        {
          guint i = n_widgets - 1 - k;

          g_string_append_printf (q, " w%u: TestingWidgetCreate(data: {name: {value: \"w%05u\"},"
                                  " size: {value: %u}, enabled: {value: %s},"
                                  " site: {id: \"%s\"}}) { ok }",
                                  i, i, i, i % 2 == 0 ? "true" : "false",
                                  (char *) g_ptr_array_index (site_ids, i % n_sites));
        }
      g_string_append (q, " }");
      data = objects_query (client, q->str, NULL);
    }
  g_string_free (q, TRUE);
  return site_ids;
}
