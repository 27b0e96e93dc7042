/* test-gql-validate.c: the type system built from SDL and in code, validation rules and limits.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-gql-validate"

#include "config.h"

#include <string.h>

#include "bough-error.h"
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

static GPtrArray *
validate_text (BoughGqlSchema                *schema,
               const char                    *text,
               const BoughGqlParseOptions    *parse_options,
               const BoughGqlValidateOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc = bough_gql_parse (text, -1, parse_options, NULL, &error);

  g_assert_no_error (error);
  return bough_gql_validate (schema, doc, options);
}

static void
assert_single_error (BoughGqlSchema *schema,
                     const char     *text,
                     const char     *message,
                     guint           line,
                     guint           column)
{
  g_autoptr(GPtrArray) errors = validate_text (schema, text, NULL, NULL);
  BoughGqlError *e;

  g_assert_cmpuint (errors->len, ==, 1);
  e = errors->pdata[0];
  g_assert_cmpstr (e->message, ==, message);
  g_assert_cmpuint (e->locations->len, >=, 1);
  g_assert_cmpuint (g_array_index (e->locations, BoughGqlLocation, 0).line, ==, line);
  g_assert_cmpuint (g_array_index (e->locations, BoughGqlLocation, 0).column, ==, column);
}

static void
test_schema_from_sdl (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  BoughGqlType *device = bough_gql_schema_get_type (schema, "Device");
  BoughGqlType *node = bough_gql_schema_get_type (schema, "Node");
  BoughGqlField *interfaces;
  BoughGqlField *serial;
  BoughGqlType *input;
  g_autofree char *type = NULL;

  g_assert_nonnull (device);
  g_assert_cmpint (device->kind, ==, BOUGH_GQL_TYPE_OBJECT);
  g_assert_cmpuint (device->interfaces->len, ==, 3);
  g_assert_true (bough_gql_type_is_possible (node, device));
  g_assert_true (schema->query_type == bough_gql_schema_get_type (schema, "Query"));

  interfaces = bough_gql_type_get_field (device, "interfaces");
  type = bough_gql_type_to_string (interfaces->type);
  g_assert_cmpstr (type, ==, "[Interface!]!");
  g_assert_cmpstr (bough_gql_args_find (interfaces->args, "first")->default_value, ==, "10");

  serial = bough_gql_type_get_field (device, "serial");
  g_assert_true (serial->deprecated);
  g_assert_cmpstr (serial->deprecation_reason, ==, "Use `serialNumber`.");

  input = bough_gql_schema_get_type (schema, "DeviceInput");
  g_assert_cmpstr (bough_gql_type_get_field (input, "status")->default_value, ==, "PLANNED");
  g_assert_cmpstr (bough_gql_type_get_field (input, "tags")->default_value, ==, "[]");
  g_assert_true (bough_gql_schema_get_type (schema, "DeviceRef")->one_of);
  g_assert_cmpstr (bough_gql_schema_get_type (schema, "DateTime")->specified_by_url, ==,
                   "https://www.rfc-editor.org/rfc/rfc3339");
  g_assert_nonnull (bough_gql_schema_get_type (schema, "__Schema"));
  g_assert_nonnull (bough_gql_schema_get_directive (schema, "deprecated"));
}

/* What bough_gql_schema_print() writes builds the same schema again. */
static void
test_schema_print_round_trip (void)
{
  static const char * const files[] = { "test-schema.graphql", "test-schema-edges.graphql" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "graphql", files[i], NULL);
      g_autofree char *sdl = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughGqlSchema) schema = NULL;
      g_autoptr(BoughGqlSchema) again = NULL;
      g_autofree char *printed = NULL;
      g_autofree char *printed2 = NULL;

      g_assert_true (g_file_get_contents (path, &sdl, NULL, &error));
      schema = bough_gql_schema_new_from_sdl (sdl, -1, &error);
      g_assert_no_error (error);
      printed = bough_gql_schema_print (schema);
      again = bough_gql_schema_new_from_sdl (printed, -1, &error);
      g_assert_no_error (error);
      printed2 = bough_gql_schema_print (again);
      g_assert_cmpstr (printed, ==, printed2);
      g_assert_cmpuint (again->types->len, ==, schema->types->len);
    }
}

static void
test_schema_errors (void)
{
  static const struct
  {
    const char *sdl;
    const char *message;
  } cases[] = {
    { "type Query { a: Nope }", "Unknown type: \"Nope\"." },
    { "type Query { a: Int }\ntype Query { b: Int }", "There can be only one type named \"Query\"." },
    { "type Query { a: Int a: String }", "Field \"Query.a\" can only be defined once." },
    { "type Query { a: Int }\nunion U = Query | Int", "Union type U can only include Object types, it cannot include Int." },
    { "type Q { a: Int }", "Query root type must be provided." },
    { "type Query { a(x: Int = \"s\"): Int }", "Default value \"s\" of \"x\" does not fit its type." },
    { "type Query { a: Int }\nextend type Nope { b: Int }", "Cannot extend type \"Nope\" because it is not defined." },
    { "{ a }", "The schema must contain type definitions only (line 1)." },
    /* what assertValidSchema would refuse */
    { "type Query { a: Int }\ntype E", "Type E must define one or more fields." },
    { "type Query { a: In }\ninput In { x: Int }", "The type of Query.a must be Output Type but got: In." },
    { "type Query { a(x: Query): Int }", "The type of Query.a(x:) must be Input Type but got: Query." },
    { "type Query { a: Int }\ninput In { x: Query }", "The type of In.x must be Input Type but got: Query." },
    { "interface I { x: Int! }\ntype Query implements I { a: Int }",
      "Interface field I.x expected but Query does not provide it." },
    { "interface I { x: Int! }\ntype Query implements I { x: Int }",
      "Interface field I.x expects type Int! but Query.x is type Int." },
    { "interface I { x(a: Int): Int }\ntype Query implements I { x: Int }",
      "Interface field argument I.x(a:) expected but Query.x does not provide it." },
    { "interface J { y: Int }\ninterface I implements J { y: Int }\ntype Query implements I { y: Int }",
      "Type Query must implement J because it is implemented by I." },
    { "type Query { a: Int }\nenum E", "Enum type E must define one or more values." },
    { "type Query { a: Int }\nunion U", "Union type U must define one or more member types." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughGqlSchema) schema = bough_gql_schema_new_from_sdl (cases[i].sdl, -1, &error);

      g_assert_null (schema);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughGqlSchema) schema = bough_gql_schema_new_from_sdl ("type Query {", -1, &error);

    g_assert_null (schema);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PARSE);
    g_assert_cmpstr (error->message, ==, "1:13: Syntax Error: Expected Name, found <EOF>.");
  }
}

/* The next step builds the schema from the data schema in code: the same
 * validation must work on such a schema. */
static void
test_programmatic_schema (void)
{
  g_autoptr(BoughGqlSchema) schema = bough_gql_schema_new ();
  g_autoptr(GError) error = NULL;
  BoughGqlType *string = bough_gql_schema_get_type (schema, "String");
  BoughGqlType *node = bough_gql_schema_add_type (schema, BOUGH_GQL_TYPE_INTERFACE, "CoreNode", NULL);
  BoughGqlType *tag = bough_gql_schema_add_type (schema, BOUGH_GQL_TYPE_OBJECT, "BuiltinTag", "A tag.");
  BoughGqlType *query = bough_gql_schema_add_type (schema, BOUGH_GQL_TYPE_OBJECT, "Query", NULL);
  BoughGqlField *field;
  g_autofree char *sdl = NULL;

  bough_gql_type_add_field (node, "id", bough_gql_schema_non_null (schema, string), NULL);
  bough_gql_type_add_field (tag, "id", bough_gql_schema_non_null (schema, string), NULL);
  field = bough_gql_type_add_field (tag, "name", string, "The name.");
  bough_gql_field_set_deprecated (field, NULL);
  bough_gql_type_add_interface (tag, node);
  field = bough_gql_type_add_field (query, "BuiltinTag",
                                    bough_gql_schema_list_of (schema, bough_gql_schema_non_null (schema, tag)),
                                    NULL);
  bough_gql_args_add (field->args, "name__value", string, "\"x\"", NULL);
  bough_gql_schema_set_root_type (schema, BOUGH_GQL_QUERY, query);
  g_assert_true (bough_gql_schema_finish (schema, &error));
  g_assert_no_error (error);
  g_assert_true (bough_gql_type_is_possible (node, tag));

  {
    g_autoptr(GPtrArray) errors = validate_text (schema, "{ BuiltinTag(name__value: \"red\") { id name } }",
                                                 NULL, NULL);

    g_assert_cmpuint (errors->len, ==, 0);
  }
  assert_single_error (schema, "{ BuiltinTag { nme } }",
                       "Cannot query field \"nme\" on type \"BuiltinTag\". Did you mean \"name\"?", 1, 16);

  sdl = bough_gql_schema_print (schema);
  g_assert_cmpstr (sdl, ==,
                   "interface CoreNode {\n  id: String!\n}\n\n"
                   "\"\"\"A tag.\"\"\"\ntype BuiltinTag implements CoreNode {\n  id: String!\n\n"
                   "  \"\"\"The name.\"\"\"\n  name: String @deprecated\n}\n\n"
                   "type Query {\n  BuiltinTag(name__value: String = \"x\"): [BuiltinTag!]\n}\n");
}

static void
test_rules (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  g_autoptr(GPtrArray) ok = validate_text (schema,
                                           "query Q($id: ID!) { device(id: $id) { ...D } }\n"
                                           "fragment D on Device { name status }", NULL, NULL);

  g_assert_cmpuint (ok->len, ==, 0);
  assert_single_error (schema, "{ device { nope } }",
                       "Cannot query field \"nope\" on type \"Device\". Did you mean \"name\"?", 1, 12);
  assert_single_error (schema, "{ site { name } }",
                       "Field \"site\" argument \"id\" of type \"ID!\" is required, but it was not provided.", 1, 3);
  assert_single_error (schema, "query ($s: String) { site(id: $s) { name } }",
                       "Variable \"$s\" of type \"String\" used in position expecting type \"ID!\".", 1, 8);
  assert_single_error (schema, "{ device { ...A } }\nfragment A on Device { ...B }\nfragment B on Device { ...A }",
                       "Cannot spread fragment \"A\" within itself via \"B\".", 2, 24);
}

static char *
fragment_fan_out (guint levels)
{
  GString *s = g_string_new ("{ device { ...F0 } }\n");

  for (guint i = 0; i < levels; i++)
    g_string_append_printf (s, "fragment F%u on Device { peer { ...F%u } site { devices { ...F%u } } }\n",
                            i, i + 1, i + 1);
  g_string_append_printf (s, "fragment F%u on Device { name }\n", levels);
  return g_string_free (s, FALSE);
}

/* RELIABILITY 15 at the validation level: refused with a clear message,
 * quickly, before any execution. */
static void
test_limits (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  BoughGqlValidateOptions options;
  BoughGqlParseOptions parse_options;
  g_autofree char *fan = fragment_fan_out (30);
  g_autoptr(GPtrArray) errors = NULL;
  GString *s;
  g_autofree char *dups = NULL;
  g_autofree char *aliases = NULL;

  bough_gql_validate_options_init (&options);
  options.max_depth = 0;
  errors = validate_text (schema, fan, NULL, &options);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_true (g_str_has_prefix (((BoughGqlError *) errors->pdata[0])->message,
                                   "Operation \"(anonymous)\" selects "));
  g_assert_nonnull (strstr (((BoughGqlError *) errors->pdata[0])->message, "more than the limit of 20000."));
  g_clear_pointer (&errors, g_ptr_array_unref);

  bough_gql_validate_options_init (&options);
  errors = validate_text (schema, "{ device { peer { peer { peer { name } } } } }", NULL, &options);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_pointer (&errors, g_ptr_array_unref);
  options.max_depth = 3;
  errors = validate_text (schema, "{ device { peer { peer { peer { name } } } } }", NULL, &options);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpstr (((BoughGqlError *) errors->pdata[0])->message, ==,
                   "Operation \"(anonymous)\" is nested 5 levels deep, more than the limit of 3.");
  g_clear_pointer (&errors, g_ptr_array_unref);

  bough_gql_parse_options_init (&parse_options);
  parse_options.max_tokens = 0;

  /* 10k duplicate fields: the quadratic merge check gives up with a message */
  s = g_string_new ("{ now");
  for (guint i = 0; i < 10000; i++)
    g_string_append (s, " now");
  g_string_append (s, " }");
  dups = g_string_free (s, FALSE);
  errors = validate_text (schema, dups, &parse_options, NULL);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpstr (((BoughGqlError *) errors->pdata[0])->message, ==,
                   "The document is too complex to validate (overlapping fields). Validation aborted.");
  g_clear_pointer (&errors, g_ptr_array_unref);

  /* 10k aliases: valid, but more fields than the limit */
  s = g_string_new ("{");
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (s, " a%u: now", i);
  g_string_append (s, " }");
  aliases = g_string_free (s, FALSE);
  bough_gql_validate_options_init (&options);
  options.max_fields = 1000;
  errors = validate_text (schema, aliases, &parse_options, &options);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpstr (((BoughGqlError *) errors->pdata[0])->message, ==,
                   "Operation \"(anonymous)\" selects 10000 fields, more than the limit of 1000.");
  g_clear_pointer (&errors, g_ptr_array_unref);

  /* introspection of the whole schema, many times over through aliases */
  errors = validate_text (schema, "{ a: __schema { queryType { name } } ...F }\n"
                          "fragment F on Query { b: __schema { queryType { name } } c: __schema { types { name } } }\n",
                          NULL, NULL);
  g_assert_cmpuint (errors->len, ==, 0);
  g_clear_pointer (&errors, g_ptr_array_unref);
  errors = validate_text (schema, "{ a: __schema { queryType { name } } ...F ...G }\n"
                          "fragment F on Query { b: __schema { queryType { name } } c: __schema { types { name } } }\n"
                          "fragment G on Query { ...F }\n", NULL, NULL);
  g_assert_cmpuint (errors->len, ==, 1);
  g_assert_cmpstr (((BoughGqlError *) errors->pdata[0])->message, ==,
                   "Operation \"(anonymous)\" selects __schema 5 times, more than the limit of 4.");
  g_clear_pointer (&errors, g_ptr_array_unref);

  /* the error list is bounded too */
  s = g_string_new ("{");
  for (guint i = 0; i < 300; i++)
    g_string_append_printf (s, " nope%u", i);
  g_string_append (s, " }");
  {
    g_autofree char *many = g_string_free (s, FALSE);

    errors = validate_text (schema, many, NULL, NULL);
    g_assert_cmpuint (errors->len, ==, BOUGH_GQL_DEFAULT_MAX_ERRORS + 1);
    g_assert_cmpstr (((BoughGqlError *) errors->pdata[BOUGH_GQL_DEFAULT_MAX_ERRORS])->message, ==,
                     "Too many validation errors, error limit reached. Validation aborted.");
  }
}

static gpointer
validate_thread (gpointer data)
{
  BoughGqlSchema *schema = data;

  for (guint i = 0; i < 200; i++)
    {
      /* new list and non-null wrappers are made on demand, in any thread */
      g_autofree char *query = g_strdup_printf ("query ($a: [[[Int!]!]%s], $b: [DeviceInput!]) "
                                                "{ echo(matrix: $a) devices(names: [\"x\"]) { id } }",
                                                i % 2 ? "!" : "");
      g_autoptr(GPtrArray) errors = validate_text (schema, query, NULL, NULL);

      g_assert_cmpuint (errors->len, ==, 2);
    }
  return NULL;
}

/* A schema is shared by the worker threads of the server. */
static void
test_threads (void)
{
  g_autoptr(BoughGqlSchema) schema = load_test_schema ();
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("validate", validate_thread, bough_gql_schema_ref (schema));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_thread_join (threads[i]);
      bough_gql_schema_unref (schema);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gql/schema/from-sdl", test_schema_from_sdl);
  g_test_add_func ("/gql/schema/print-round-trip", test_schema_print_round_trip);
  g_test_add_func ("/gql/schema/errors", test_schema_errors);
  g_test_add_func ("/gql/schema/programmatic", test_programmatic_schema);
  g_test_add_func ("/gql/validate/rules", test_rules);
  g_test_add_func ("/gql/validate/limits", test_limits);
  g_test_add_func ("/gql/validate/threads", test_threads);

  return g_test_run ();
}
