/* test-gql-introspection.c: __schema, __type and __typename executed over a schema.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-gql-introspection"

#include "config.h"

#include <json-glib/json-glib.h>

#include "bough-error.h"
#include "graphql/bough-gql-introspection.h"
#include "graphql/bough-gql-parser.h"
#include "graphql/bough-gql-schema.h"
#include "graphql/bough-gql-validate.h"

static BoughGqlSchema *
load_test_schema (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "graphql", "test-schema.graphql", NULL);
  g_autofree char *sdl = NULL;
  g_autoptr(GError) error = NULL;
  BoughGqlSchema *schema;

  g_assert_true (g_file_get_contents (path, &sdl, NULL, &error));
  schema = bough_gql_schema_new_from_sdl (sdl, -1, &error);
  g_assert_no_error (error);
  return schema;
}

/* Validates then executes @query; returns the data as compact JSON. */
static char *
run (BoughGqlSchema *schema,
     const char     *query,
     const char     *variables_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc = bough_gql_parse (query, -1, NULL, NULL, &error);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(JsonNode) vars = NULL;
  g_autoptr(JsonNode) data = NULL;

  g_assert_no_error (error);
  errors = bough_gql_validate (schema, doc, NULL);
  g_assert_cmpuint (errors->len, ==, 0);
  if (variables_json != NULL)
    {
      vars = json_from_string (variables_json, &error);
      g_assert_no_error (error);
    }
  data = bough_gql_introspection_execute (schema, doc->root, NULL, vars ? json_node_get_object (vars) : NULL,
                                          &error);
  g_assert_no_error (error);
  return json_to_string (data, FALSE);
}

static void
test_typename_and_type (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  g_autofree char *a = run (schema, "{ __typename t: __typename }", NULL);
  g_autofree char *b = run (schema, "{ __type(name: \"Location\") { kind name fields { name type { kind ofType { name } } } } }",
                            NULL);
  g_autofree char *c = run (schema, "query ($n: String!) { __type(name: $n) { name } }", "{\"n\": \"Nope\"}");

  g_assert_cmpstr (a, ==, "{\"__typename\":\"Query\",\"t\":\"Query\"}");
  g_assert_cmpstr (b, ==,
                   "{\"__type\":{\"kind\":\"OBJECT\",\"name\":\"Location\",\"fields\":["
                   "{\"name\":\"latitude\",\"type\":{\"kind\":\"NON_NULL\",\"ofType\":{\"name\":\"Float\"}}},"
                   "{\"name\":\"longitude\",\"type\":{\"kind\":\"NON_NULL\",\"ofType\":{\"name\":\"Float\"}}}]}}");
  g_assert_cmpstr (c, ==, "{\"__type\":null}");
}

static void
test_deprecation_and_directives (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  g_autofree char *hidden = run (schema, "{ __type(name: \"Status\") { enumValues { name } } }", NULL);
  g_autofree char *shown = run (schema,
                                "query ($all: Boolean = true) { __type(name: \"Status\") {"
                                " enumValues(includeDeprecated: $all) { name isDeprecated deprecationReason } } }",
                                NULL);
  g_autofree char *skipped = run (schema,
                                  "query ($s: Boolean!) { __schema { queryType { name @skip(if: $s) kind } } }",
                                  "{\"s\": true}");

  g_assert_cmpstr (hidden, ==,
                   "{\"__type\":{\"enumValues\":[{\"name\":\"ACTIVE\"},{\"name\":\"PLANNED\"}]}}");
  g_assert_cmpstr (shown, ==,
                   "{\"__type\":{\"enumValues\":["
                   "{\"name\":\"ACTIVE\",\"isDeprecated\":false,\"deprecationReason\":null},"
                   "{\"name\":\"PLANNED\",\"isDeprecated\":false,\"deprecationReason\":null},"
                   "{\"name\":\"MAINTENANCE\",\"isDeprecated\":true,\"deprecationReason\":\"Use PLANNED.\"},"
                   "{\"name\":\"DECOMMISSIONED\",\"isDeprecated\":true,\"deprecationReason\":\"No longer supported\"}]}}");
  g_assert_cmpstr (skipped, ==, "{\"__schema\":{\"queryType\":{\"kind\":\"OBJECT\"}}}");
}

static void
test_fragments_merge (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  g_autofree char *data = run (schema,
                               "{ __type(name: \"SearchResult\") { ...A ... on __Type { possibleTypes { name } } } }\n"
                               "fragment A on __Type { kind possibleTypes { kind } }", NULL);

  g_assert_cmpstr (data, ==,
                   "{\"__type\":{\"kind\":\"UNION\",\"possibleTypes\":["
                   "{\"kind\":\"OBJECT\",\"name\":\"Device\"},{\"kind\":\"OBJECT\",\"name\":\"Site\"},"
                   "{\"kind\":\"OBJECT\",\"name\":\"Circuit\"}]}}");
}

static void
test_full_query (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  g_autoptr(JsonNode) result = bough_gql_introspect (schema);
  JsonObject *s = json_object_get_object_member (json_node_get_object (result), "__schema");
  JsonArray *types = json_object_get_array_member (s, "types");
  JsonArray *directives = json_object_get_array_member (s, "directives");
  gboolean found_input = FALSE;

  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (s, "queryType"), "name"),
                   ==, "Query");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (s, "subscriptionType"), "name"),
                   ==, "Subscription");
  g_assert_cmpuint (json_array_get_length (directives), ==, 7);
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonObject *t = json_array_get_object_element (types, i);

      if (g_strcmp0 (json_object_get_string_member (t, "name"), "PageInput") == 0)
        {
          JsonObject *first = json_array_get_object_element (json_object_get_array_member (t, "inputFields"), 0);

          g_assert_cmpstr (json_object_get_string_member (first, "defaultValue"), ==, "50");
          g_assert_true (json_object_get_null_member (t, "fields"));
          g_assert_false (json_object_get_boolean_member (t, "isOneOf"));
          found_input = TRUE;
        }
    }
  g_assert_true (found_input);

  /* the query Bough runs is itself valid against any schema */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughGqlDocument) doc = bough_gql_parse (bough_gql_introspection_query, -1, NULL, NULL, &error);
    g_autoptr(GPtrArray) errors = bough_gql_validate (schema, doc, NULL);

    g_assert_no_error (error);
    g_assert_cmpuint (errors->len, ==, 0);
  }
}

static void
test_not_introspection (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc = bough_gql_parse ("{ now }", -1, NULL, NULL, &error);
  g_autoptr(JsonNode) data = bough_gql_introspection_execute (schema, doc->root, NULL, NULL, &error);

  g_assert_null (data);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  data = bough_gql_introspection_execute (schema, doc->root, "Other", NULL, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
}

static void
test_value_to_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc =
    bough_gql_parse ("{ f(a: [1, -2.5, \"s\", true, null, RED, {x: $v, y: $missing}, 99999999999999999999]) }", -1,
                     NULL, NULL, &error);
  g_autoptr(JsonNode) vars = json_from_string ("{\"v\": [1, 2]}", NULL);
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  value = bough_gql_value_to_json (doc->root->children->selection_set->children->arguments->value,
                                   json_node_get_object (vars));
  /* an integer too big for int64 becomes a double (printed apart: json-glib
   * 1.6 writes 1e+20 as the invalid "1e+20.0") */
  g_assert_cmpfloat (json_array_get_double_element (json_node_get_array (value), 7), ==, 1e20);
  json_array_remove_element (json_node_get_array (value), 7);
  text = json_to_string (value, FALSE);
  g_assert_cmpstr (text, ==, "[1,-2.5,\"s\",true,null,\"RED\",{\"x\":[1,2],\"y\":null}]");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gql/introspection/typename-and-type", test_typename_and_type);
  g_test_add_func ("/gql/introspection/deprecation-and-directives", test_deprecation_and_directives);
  g_test_add_func ("/gql/introspection/fragments-merge", test_fragments_merge);
  g_test_add_func ("/gql/introspection/full-query", test_full_query);
  g_test_add_func ("/gql/introspection/not-introspection", test_not_introspection);
  g_test_add_func ("/gql/introspection/value-to-json", test_value_to_json);

  return g_test_run ();
}
