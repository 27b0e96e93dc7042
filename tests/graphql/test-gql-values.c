/* test-gql-values.c: coercion of request variables and of literals.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-gql-values"

#include "config.h"

#include <json-glib/json-glib.h>

#include "graphql/bough-gql-parser.h"
#include "graphql/bough-gql-schema.h"
#include "graphql/bough-gql-values.h"

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

/* Coerces @variables_json for @query; returns the result as JSON text, or the
 * first error message prefixed with "error: ". */
static char *
coerce (BoughGqlSchema *schema,
        const char     *query,
        const char     *variables_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc = bough_gql_parse (query, -1, NULL, NULL, &error);
  g_autoptr(JsonNode) vars = json_from_string (variables_json, &error);
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(JsonObject) coerced = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  coerced = bough_gql_coerce_variables (schema, doc->root->children, json_node_get_object (vars), &errors);
  if (coerced == NULL)
    {
      g_assert_cmpuint (errors->len, >, 0);
      return g_strconcat ("error: ", ((BoughGqlError *) errors->pdata[0])->message, NULL);
    }
  g_assert_null (errors);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, coerced);
  return json_to_string (node, FALSE);
}

static void
test_coerce (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  static const struct
  {
    const char *query;
    const char *variables;
    const char *expected;
  } cases[] = {
    { "query ($id: ID!) { device(id: $id) { id } }", "{\"id\": 12}", "{\"id\":\"12\"}" },
    { "query ($n: Int = 7, $s: Status) { devices(status: $s) { interfaces(first: $n) { id } } }",
      "{\"s\": \"ACTIVE\"}", "{\"n\":7,\"s\":\"ACTIVE\"}" },
    { "mutation ($d: DeviceInput!) { createDevice(data: $d) { ok } }", "{\"d\": {\"name\": \"x\", \"tags\": \"t\"}}",
      "{\"d\":{\"name\":\"x\",\"status\":\"PLANNED\",\"tags\":[\"t\"]}}" },
    { "query ($p: PageInput = {after: \"a\"}) { devices(page: $p) { id } }", "{}",
      "{\"p\":{\"first\":50,\"after\":\"a\"}}" },
    { "query ($v: JSON) { echo(value: $v) }", "{\"v\": {\"any\": [1, null]}}", "{\"v\":{\"any\":[1,null]}}" },
    { "query ($id: ID!) { device(id: $id) { id } }", "{}",
      "error: Variable \"$id\" of required type \"ID!\" was not provided." },
    { "query ($names: [String!]) { devices(names: $names) { id } }", "{\"names\": [\"a\", null]}",
      "error: Variable \"$names\" got invalid value null at \"names[1]\"; "
      "Expected non-nullable type \"String!\" not to be null." },
    { "query ($s: Status) { devices(status: $s) { id } }", "{\"s\": \"ACTIV\"}",
      "error: Variable \"$s\" got invalid value \"ACTIV\"; Value \"ACTIV\" does not exist in \"Status\" enum. "
      "Did you mean the enum value \"ACTIVE\"?" },
    { "mutation ($d: DeviceInput!) { createDevice(data: $d) { ok } }", "{\"d\": {\"name\": \"x\", \"rackUnits\": 1.5}}",
      "error: Variable \"$d\" got invalid value 1.5 at \"d.rackUnits\"; Int cannot represent non-integer value: 1.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = coerce (schema, cases[i].query, cases[i].variables);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_too_many_errors (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  GString *vars = g_string_new ("{\"l\": [");
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc = bough_gql_parse ("query ($l: [Int]) { echo(list: $l) }", -1, NULL, NULL, &error);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  JsonObject *coerced;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (vars, "%s\"x\"", i ? "," : "");
  g_string_append (vars, "]}");
  json = g_string_free (vars, FALSE);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  coerced = bough_gql_coerce_variables (schema, doc->root->children, json_node_get_object (node), &errors);
  g_assert_null (coerced);
  g_assert_cmpuint (errors->len, ==, BOUGH_GQL_MAX_VARIABLE_ERRORS + 1);
  g_assert_cmpstr (((BoughGqlError *) errors->pdata[errors->len - 1])->message, ==,
                   "Too many errors processing variables, error limit reached. Execution aborted.");
}

static void
test_literals (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc =
    bough_gql_parse ("{ f(a: {name: \"n\", site: 4}, b: [1, $x], c: \"not an int\", d: $missing) }", -1, NULL, NULL,
                     &error);
  BoughGqlNode *args = doc->root->children->selection_set->children->arguments;
  g_autoptr(JsonNode) vars = json_from_string ("{\"x\": 2}", NULL);
  BoughGqlType *input = bough_gql_schema_get_type (schema, "DeviceInput");
  BoughGqlType *ints = bough_gql_schema_list_of (schema, bough_gql_schema_get_type (schema, "Int"));
  g_autoptr(JsonNode) a = bough_gql_value_from_literal (input, args->value, NULL);
  g_autoptr(JsonNode) b = bough_gql_value_from_literal (ints, args->next->value, json_node_get_object (vars));
  g_autoptr(JsonNode) c = bough_gql_value_from_literal (bough_gql_schema_get_type (schema, "Int"),
                                                        args->next->next->value, NULL);
  g_autoptr(JsonNode) d = bough_gql_value_from_literal (ints, args->next->next->next->value, NULL);
  g_autofree char *at = json_to_string (a, FALSE);
  g_autofree char *bt = json_to_string (b, FALSE);

  g_assert_no_error (error);
  g_assert_cmpstr (at, ==, "{\"name\":\"n\",\"status\":\"PLANNED\",\"tags\":[],\"site\":\"4\"}");
  g_assert_cmpstr (bt, ==, "[1,2]");
  g_assert_null (c);
  g_assert_null (d);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gql/values/coerce", test_coerce);
  g_test_add_func ("/gql/values/too-many-errors", test_too_many_errors);
  g_test_add_func ("/gql/values/literals", test_literals);

  return g_test_run ();
}
