/* test-schema-library.c: the public schema library (real input) loads: base,
 * then every extension and experimental module on its dependency closure.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-schema-library"

#include "config.h"

#include <glib.h>

#include "bough-error.h"
#include "schema/bough-schema.h"
#include "schema/bough-yaml.h"

static const char *library_dir;
static BoughSchema *core_schema;
static BoughSchema *base_schema;
static JsonObject *metadata;
static BoughYamlDocument *metadata_doc;

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Schema files of one module directory, sorted. */
static GPtrArray *
module_files (const char *module)
{
  g_autofree char *dir_path = g_build_filename (library_dir, module, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".yml") || g_str_has_suffix (name, ".yaml"))
      g_ptr_array_add (files, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (files, compare_strings);
  return files;
}

static void
add_module (BoughSchemaBuilder *builder,
            const char         *module)
{
  g_autoptr(GPtrArray) files = module_files (module);

  g_assert_cmpuint (files->len, >, 0);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GError) error = NULL;

      bough_schema_builder_add_file (builder, g_ptr_array_index (files, i), &error);
      g_assert_no_error (error);
    }
}

/* Dependencies first, each once; "base" is already in base_schema. */
static void
collect_closure (const char *module,
                 GPtrArray  *order,
                 guint       depth)
{
  JsonObject *entry;

  g_assert_cmpuint (depth, <, 32);
  if (g_str_equal (module, "base") || g_str_has_prefix (module, "base/"))
    return;
  if (g_ptr_array_find_with_equal_func (order, module, g_str_equal, NULL))
    return;
  entry = json_object_has_member (metadata, module) ?
          json_object_get_object_member (metadata, module) : NULL;
  if (entry != NULL && json_object_has_member (entry, "dependencies"))
    {
      JsonArray *deps = json_object_get_array_member (entry, "dependencies");

      for (guint i = 0; i < json_array_get_length (deps); i++)
        collect_closure (json_array_get_string_element (deps, i), order, depth + 1);
    }
  g_ptr_array_add (order, g_strdup (module));
}

static void
test_module (gconstpointer data)
{
  const char *module = data;
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (base_schema);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  collect_closure (module, order, 0);
  for (guint i = 0; i < order->len; i++)
    add_module (builder, g_ptr_array_index (order, i));
  schema = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (schema);
  g_assert_cmpuint (bough_schema_get_nodes (schema)->len, >=, bough_schema_get_nodes (base_schema)->len);
  g_assert_cmpstr (bough_schema_get_hash (schema), !=, bough_schema_get_hash (base_schema));
}

static void
test_base (void)
{
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (core_schema);
  g_autoptr(BoughSchema) again = NULL;
  g_autoptr(GError) error = NULL;
  BoughNodeSchema *device;
  BoughNodeSchema *interface;

  /* Loading the same files twice gives the same snapshot. */
  add_module (builder, "base");
  again = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bough_schema_get_hash (again), ==, bough_schema_get_hash (base_schema));

  device = bough_schema_lookup (base_schema, "DcimDevice");
  g_assert_nonnull (device);
  g_assert_true (bough_schema_is_a (base_schema, "DcimDevice", "DcimGenericDevice"));
  g_assert_nonnull (bough_node_schema_get_attribute (device, "name"));
  g_assert_cmpstr (bough_node_schema_get_attribute (device, "name")->inherited_from, ==, "DcimGenericDevice");
  interface = bough_schema_lookup (base_schema, "DcimInterface");
  g_assert_nonnull (interface);
  g_assert_true (interface->is_generic);
  g_assert_cmpstr (bough_node_schema_get_relationship (interface, "device")->identifier, ==, "device__interface");
}

static void
test_skipped (void)
{
  g_test_skip ("BOUGH_SCHEMA_LIBRARY is not set or not a directory: schema library tests skipped");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) modules = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *metadata_path = NULL;
  g_autofree char *metadata_text = NULL;
  const char *sections[] = { "extensions", "experimental" };
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  library_dir = g_getenv ("BOUGH_SCHEMA_LIBRARY");
  if (library_dir == NULL || !g_file_test (library_dir, G_FILE_TEST_IS_DIR))
    {
      g_test_add_func ("/schema-library/skipped", test_skipped);
      return g_test_run ();
    }

  core_schema = bough_schema_new_core (&error);
  g_assert_no_error (error);
  if (bough_schema_lookup (core_schema, "BuiltinTag") == NULL)
    {
      /* The full core schema is not in this tree yet: use the fixture. */
      g_autoptr(BoughSchemaBuilder) b = bough_schema_builder_new (core_schema);
      g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "core-fixture.yml", NULL);

      bough_schema_builder_set_internal (b, TRUE);
      bough_schema_builder_add_file (b, fixture, &error);
      g_assert_no_error (error);
      bough_schema_unref (core_schema);
      core_schema = bough_schema_builder_build (b, &error);
      g_assert_no_error (error);
    }

  {
    g_autoptr(BoughSchemaBuilder) b = bough_schema_builder_new (core_schema);
    g_autoptr(GPtrArray) files = module_files ("base");

    for (guint i = 0; i < files->len; i++)
      {
        bough_schema_builder_add_file (b, g_ptr_array_index (files, i), &error);
        g_assert_no_error (error);
      }
    base_schema = bough_schema_builder_build (b, &error);
    g_assert_no_error (error);
  }

  metadata_path = g_build_filename (library_dir, ".metadata.yml", NULL);
  g_file_get_contents (metadata_path, &metadata_text, NULL, &error);
  g_assert_no_error (error);
  metadata_doc = bough_yaml_parse (metadata_text, -1, metadata_path, &error);
  g_assert_no_error (error);
  metadata = json_node_get_object (bough_yaml_document_get_root (metadata_doc));

  g_test_add_func ("/schema-library/base", test_base);
  for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
    {
      g_autofree char *dir_path = g_build_filename (library_dir, sections[s], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (modules, g_strdup_printf ("%s/%s", sections[s], name));
    }
  g_ptr_array_sort (modules, compare_strings);
  for (guint i = 0; i < modules->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/schema-library/%s", (char *) g_ptr_array_index (modules, i));

      g_test_add_data_func (path, g_ptr_array_index (modules, i), test_module);
    }

  ret = g_test_run ();

  bough_yaml_document_unref (metadata_doc);
  bough_schema_unref (base_schema);
  bough_schema_unref (core_schema);
  return ret;
}
