/* test-gql-api-sdl.c: writes the SDL of the generated API for the core schema plus the store
 * tests' schema and its location tree, so that the graphql-js oracle can check it (buildSchema, introspection,
 * buildClientSchema) and validate the SDK's documents against it.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include "../server/hierarchy-test-common.h"
#include "graphql/bough-gql-generate.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughGqlSchema) gql = NULL;
  g_autofree char *sdl = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: %s OUTPUT.graphql\n", argv[0]);
      return 2;
    }
  core = bough_schema_new_core (&error);
  if (core == NULL)
    g_error ("core schema: %s", error->message);
  {
    g_autoptr(BoughSchema) base = test_schema_build (core);
    g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (base);

    if (!bough_schema_builder_add_data (builder, hierarchy_schema_yaml, -1, "hierarchy schema", &error))
      g_error ("hierarchy schema: %s", error->message);
    schema = bough_schema_builder_build (builder, &error);
    if (schema == NULL)
      g_error ("hierarchy schema: %s", error->message);
  }
  gql = bough_gql_generate (schema, &error);
  if (gql == NULL)
    g_error ("generate: %s", error->message);
  sdl = bough_gql_schema_print (gql);
  if (!g_file_set_contents (argv[1], sdl, -1, &error))
    g_error ("%s: %s", argv[1], error->message);
  return 0;
}
