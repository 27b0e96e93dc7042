/* gql-tool.c: runs Bough's GraphQL core over files and prints JSON for the graphql-js oracle.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 *
 * gql-tool parse FILE...            parse and print each document
 * gql-tool check SCHEMA FILE...     parse, print and validate each document against SCHEMA (SDL)
 * gql-tool introspect SCHEMA        the introspection result of SCHEMA
 * gql-tool print-schema SCHEMA      the SDL of SCHEMA as Bough prints it
 * gql-tool coerce SCHEMA CASES      coerce the variables of each {query, variables} of the JSON array CASES
 */
#define G_LOG_DOMAIN "gql-tool"

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>

#include "graphql/bough-gql-parser.h"
#include "graphql/bough-gql-printer.h"
#ifdef GQL_TOOL_FULL
#include "graphql/bough-gql-schema.h"
#include "graphql/bough-gql-validate.h"
#include "graphql/bough-gql-introspection.h"
#include "graphql/bough-gql-values.h"
#endif

static void
add_error (JsonBuilder *b,
           const char  *message,
           guint        line,
           guint        column)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "locations");
  json_builder_begin_array (b);
  if (line > 0)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, line);
      json_builder_set_member_name (b, "column");
      json_builder_add_int_value (b, column);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

#ifdef GQL_TOOL_FULL
static BoughGqlSchema *
load_schema (const char *path)
{
  g_autofree char *sdl = NULL;
  g_autoptr(GError) error = NULL;
  BoughGqlSchema *schema;

  if (!g_file_get_contents (path, &sdl, NULL, &error) ||
      (schema = bough_gql_schema_new_from_sdl (sdl, -1, &error)) == NULL)
    {
      g_printerr ("%s: %s\n", path, error->message);
      exit (2);
    }
  return schema;
}
#endif

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  int first_file = 2;
#ifdef GQL_TOOL_FULL
  g_autoptr(BoughGqlSchema) schema = NULL;
#endif

  setlocale (LC_ALL, "");
  if (argc < 2)
    {
      g_printerr ("usage: gql-tool parse|check|introspect|print-schema ...\n");
      return 2;
    }

#ifdef GQL_TOOL_FULL
  if (g_str_equal (argv[1], "introspect") || g_str_equal (argv[1], "print-schema"))
    {
      if (argc != 3)
        return 2;
      schema = load_schema (argv[2]);
      if (g_str_equal (argv[1], "introspect"))
        {
          g_autoptr(JsonNode) result = bough_gql_introspect (schema);
          g_autofree char *text = json_to_string (result, TRUE);

          g_print ("%s\n", text);
        }
      else
        {
          g_autofree char *sdl = bough_gql_schema_print (schema);

          g_print ("%s", sdl);
        }
      return 0;
    }
  if (g_str_equal (argv[1], "coerce"))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *cases;

      if (argc != 4)
        return 2;
      schema = load_schema (argv[2]);
      if (!json_parser_load_from_file (parser, argv[3], &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      cases = json_node_get_array (json_parser_get_root (parser));
      json_builder_begin_array (b);
      for (guint i = 0; i < json_array_get_length (cases); i++)
        {
          JsonObject *one = json_array_get_object_element (cases, i);
          g_autoptr(BoughGqlDocument) doc = bough_gql_parse (json_object_get_string_member (one, "query"), -1,
                                                             NULL, NULL, &error);
          g_autoptr(GPtrArray) errors = NULL;
          JsonObject *vars = json_object_get_object_member (one, "variables");
          g_autoptr(JsonObject) coerced = NULL;

          g_assert_no_error (error);
          coerced = bough_gql_coerce_variables (schema, doc->root->children, vars, &errors);
          json_builder_begin_object (b);
          if (coerced != NULL)
            {
              JsonNode *node = json_node_new (JSON_NODE_OBJECT);

              json_node_set_object (node, coerced);
              json_builder_set_member_name (b, "coerced");
              json_builder_add_value (b, node);
            }
          json_builder_set_member_name (b, "errors");
          json_builder_begin_array (b);
          for (guint e = 0; errors != NULL && e < errors->len; e++)
            {
              BoughGqlError *err = g_ptr_array_index (errors, e);
              BoughGqlLocation *l = err->locations->len ? &g_array_index (err->locations, BoughGqlLocation, 0) : NULL;

              add_error (b, err->message, l ? l->line : 0, l ? l->column : 0);
            }
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      print_json (b);
      return 0;
    }
  if (g_str_equal (argv[1], "check"))
    {
      if (argc < 3)
        return 2;
      schema = load_schema (argv[2]);
      first_file = 3;
    }
  else
#endif
  if (!g_str_equal (argv[1], "parse"))
    {
      g_printerr ("unknown command %s\n", argv[1]);
      return 2;
    }

  json_builder_begin_array (b);
  for (int i = first_file; i < argc; i++)
    {
      g_autofree char *text = NULL;
      gsize len;
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughGqlDocument) doc = NULL;
      BoughGqlLocation loc;

      if (!g_file_get_contents (argv[i], &text, &len, &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, argv[i]);
      doc = bough_gql_parse (text, len, NULL, &loc, &error);
      json_builder_set_member_name (b, "syntax");
      json_builder_add_boolean_value (b, doc == NULL);
      json_builder_set_member_name (b, "errors");
      json_builder_begin_array (b);
      if (doc == NULL)
        add_error (b, error->message, loc.line, loc.column);
#ifdef GQL_TOOL_FULL
      else if (schema != NULL)
        {
          g_autoptr(GPtrArray) errors = bough_gql_validate (schema, doc, NULL);

          for (guint e = 0; e < errors->len; e++)
            {
              BoughGqlError *err = g_ptr_array_index (errors, e);

              json_builder_begin_object (b);
              json_builder_set_member_name (b, "message");
              json_builder_add_string_value (b, err->message);
              json_builder_set_member_name (b, "locations");
              json_builder_begin_array (b);
              for (guint l = 0; l < err->locations->len; l++)
                {
                  BoughGqlLocation *el = &g_array_index (err->locations, BoughGqlLocation, l);

                  json_builder_begin_object (b);
                  json_builder_set_member_name (b, "line");
                  json_builder_add_int_value (b, el->line);
                  json_builder_set_member_name (b, "column");
                  json_builder_add_int_value (b, el->column);
                  json_builder_end_object (b);
                }
              json_builder_end_array (b);
              json_builder_end_object (b);
            }
        }
#endif
      json_builder_end_array (b);
      if (doc != NULL)
        {
          g_autofree char *printed = bough_gql_print (doc->root);

          json_builder_set_member_name (b, "printed");
          json_builder_add_string_value (b, printed);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  print_json (b);
  return 0;
}
