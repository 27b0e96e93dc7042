/* fuzz-gql-parser.c: libFuzzer target for the GraphQL parser, printer and validator; with
 * BOUGH_FUZZ_DRIVER it is a plain test that runs the corpus files through the same entry point.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "fuzz-gql-parser"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "graphql/bough-gql-introspection.h"
#include "graphql/bough-gql-parser.h"
#include "graphql/bough-gql-printer.h"
#include "graphql/bough-gql-schema.h"
#include "graphql/bough-gql-validate.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char fuzz_schema[] =
  "interface Node { id: ID! }\n"
  "type Item implements Node { id: ID! name(lang: String = \"en\"): String tags: [String!]! next: Item }\n"
  "type Other implements Node { id: ID! size: Int }\n"
  "union Any = Item | Other\n"
  "enum Color { RED GREEN }\n"
  "input Filter { name: String color: Color = RED inner: Filter }\n"
  "type Query { node(id: ID!): Node items(filter: Filter, first: Int = 10): [Item] any: [Any] }\n"
  "type Mutation { touch(id: ID!): Item }\n"
  "type Subscription { changed: Item }\n";

static BoughGqlSchema *
get_schema (void)
{
  static BoughGqlSchema *schema;

  if (schema == NULL)
    {
      g_autoptr(GError) error = NULL;

      schema = bough_gql_schema_new_from_sdl (fuzz_schema, -1, &error);
      g_assert_no_error (error);
    }
  return schema;
}

/* Whatever the input: no crash, an error with a location when it does not
 * parse, and a printed form that parses back to itself when it does. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc = NULL;
  BoughGqlLocation loc;

  doc = bough_gql_parse ((const char *) data, size, NULL, &loc, &error);
  if (doc == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (loc.line > 0 || error->domain != 0);
      return 0;
    }

  {
    g_autofree char *printed = bough_gql_print (doc->root);
    g_autoptr(BoughGqlDocument) again = NULL;
    g_autofree char *printed2 = NULL;
    g_autoptr(GPtrArray) errors = NULL;
    BoughGqlParseOptions options;
    gboolean executable = FALSE;
    gboolean type_system = FALSE;

    /* printing may add bytes and tokens, never nesting */
    bough_gql_parse_options_init (&options);
    options.max_bytes = 0;
    options.max_tokens = 0;
    /* The grammar itself is ambiguous when a type without fields is
     * followed by a shorthand query ("type T" then "{ a: b }" reads back as
     * "type T { a: b }"), in graphql-js as here: documents mixing type-system
     * and executable definitions need not round-trip. */
    for (const BoughGqlNode *d = doc->root->children; d != NULL; d = d->next)
      {
        if (d->kind == BOUGH_GQL_OPERATION_DEFINITION || d->kind == BOUGH_GQL_FRAGMENT_DEFINITION)
          executable = TRUE;
        else
          type_system = TRUE;
      }
    again = bough_gql_parse (printed, -1, &options, NULL, &error);
    if (executable && type_system)
      g_clear_error (&error);
    else
      {
        g_assert_no_error (error);
        printed2 = bough_gql_print (again->root);
        g_assert_cmpstr (printed, ==, printed2);
      }

    errors = bough_gql_validate (get_schema (), doc, NULL);
    for (guint i = 0; i < errors->len; i++)
      g_assert_nonnull (((BoughGqlError *) errors->pdata[i])->message);

    /* a valid document may be executed: introspection is, the rest of the
     * root fields is refused cleanly */
    if (errors->len == 0)
      {
        g_autoptr(JsonNode) data = NULL;

        data = bough_gql_introspection_execute (get_schema (), doc->root, NULL, NULL, &error);
        g_assert_true ((data == NULL) != (error == NULL));
        g_clear_error (&error);
      }
  }
  return 0;
}

#ifdef BOUGH_FUZZ_DRIVER
static void
run_file (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &len, &error));
  g_assert_no_error (error);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) d = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  dir = g_test_build_filename (G_TEST_DIST, "graphql", "corpus", NULL);
  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (paths->len, >, 0);
  for (guint i = 0; i < paths->len; i++)
    {
      g_autofree char *base = g_path_get_basename (paths->pdata[i]);
      g_autofree char *test = g_strdup_printf ("/gql/fuzz-corpus/%s", base);

      g_test_add_data_func (test, paths->pdata[i], run_file);
    }
  ret = g_test_run ();
  bough_gql_schema_unref (get_schema ());
  return ret;
}
#endif
