/* test-schema-library.c: the public schema library (real input) loads: base,
 * then every extension and experimental module on its dependency closure.
 * Built a second time in tests/graphql with BOUGH_TEST_GRAPHQL, where every
 * schema that loads must also give a valid generated GraphQL API.
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
#ifdef BOUGH_TEST_GRAPHQL
#include "graphql/bough-gql-generate.h"
#endif

static const char *library_dir;
static BoughSchema *core_schema;
static BoughSchema *base_schema;
static JsonObject *metadata;
static BoughYamlDocument *metadata_doc;

/* Modules the upstream library ships in a state Infrahub itself rejects:
 * they name kinds that no module defines (renamed long ago), or use a path
 * through a peer that lacks the attribute. The test checks that they are
 * rejected for exactly that reason. */
static const struct
{
  const char *module;
  const char *expected;
} broken_modules[] = {
  { "experimental/circuit_service", "cannot extend unknown kind 'CircuitEndpoint'" },
  { "experimental/modules_routing_engine", "peer DcimPhysicalDevice has no attribute 'name'" },
  { "experimental/security", "unknown generic 'InfraGenericDevice'" },
  { "experimental/topology", "unknown peer 'InfraIPAddress'" },
};

/* kind -> module defining it (extensions and experimental) */
static GHashTable *kind_module;
/* module -> GPtrArray of kinds it refers to */
static GHashTable *module_refs;
/* module -> GPtrArray of kinds it defines */
static GHashTable *module_defs;

static guint
broken_modules_len (void)
{
  return G_N_ELEMENTS (broken_modules);
}

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

static void
scan_node_list (JsonObject *root,
                const char *member,
                GPtrArray  *defs,
                GPtrArray  *refs)
{
  JsonArray *arr;

  if (!json_object_has_member (root, member))
    return;
  arr = json_object_get_array_member (root, member);
  for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++)
    {
      JsonObject *node = json_array_get_object_element (arr, i);

      if (json_object_has_member (node, "namespace") && json_object_has_member (node, "name"))
        g_ptr_array_add (defs, g_strconcat (json_object_get_string_member (node, "namespace"),
                                            json_object_get_string_member (node, "name"), NULL));
      if (json_object_has_member (node, "kind"))
        g_ptr_array_add (refs, g_strdup (json_object_get_string_member (node, "kind")));
      if (json_object_has_member (node, "inherit_from"))
        {
          JsonArray *inh = json_object_get_array_member (node, "inherit_from");

          for (guint j = 0; j < json_array_get_length (inh); j++)
            g_ptr_array_add (refs, g_strdup (json_array_get_string_element (inh, j)));
        }
      if (json_object_has_member (node, "relationships"))
        {
          JsonArray *rels = json_object_get_array_member (node, "relationships");

          for (guint j = 0; j < json_array_get_length (rels); j++)
            {
              JsonObject *rel = json_array_get_object_element (rels, j);

              if (json_object_has_member (rel, "peer"))
                g_ptr_array_add (refs, g_strdup (json_object_get_string_member (rel, "peer")));
            }
        }
    }
}

/* Indexes which module defines and refers to which kinds. */
static void
scan_module (const char *module)
{
  g_autoptr(GPtrArray) files = module_files (module);
  GPtrArray *defs = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *refs = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughYamlDocument) doc = NULL;
      JsonObject *root;

      g_file_get_contents (g_ptr_array_index (files, i), &text, NULL, &error);
      g_assert_no_error (error);
      doc = bough_yaml_parse (text, -1, g_ptr_array_index (files, i), &error);
      g_assert_no_error (error);
      root = json_node_get_object (bough_yaml_document_get_root (doc));
      scan_node_list (root, "generics", defs, refs);
      scan_node_list (root, "nodes", defs, refs);
      if (json_object_has_member (root, "extensions"))
        scan_node_list (json_object_get_object_member (root, "extensions"), "nodes", defs, refs);
    }
  for (guint i = 0; i < defs->len; i++)
    if (!g_hash_table_contains (kind_module, g_ptr_array_index (defs, i)))
      g_hash_table_insert (kind_module, g_strdup (g_ptr_array_index (defs, i)), g_strdup (module));
  g_hash_table_insert (module_refs, g_strdup (module), refs);
  g_hash_table_insert (module_defs, g_strdup (module), defs);
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
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (roots, g_strdup (module));
  /* The upstream .metadata.yml omits some dependencies (extensions/routing
   * uses IpamVRF of extensions/vrf, for instance): add the modules that
   * define kinds the closure refers to but nothing loaded defines. */
  for (gboolean changed = TRUE; changed;)
    {
      changed = FALSE;
      g_ptr_array_set_size (order, 0);
      for (guint i = 0; i < roots->len; i++)
        collect_closure (g_ptr_array_index (roots, i), order, 0);
      for (guint i = 0; i < order->len && !changed; i++)
        {
          GPtrArray *refs = g_hash_table_lookup (module_refs, g_ptr_array_index (order, i));

          for (guint j = 0; refs != NULL && j < refs->len && !changed; j++)
            {
              const char *kind = g_ptr_array_index (refs, j);
              const char *provider = g_hash_table_lookup (kind_module, kind);
              gboolean defined = bough_schema_lookup (base_schema, kind) != NULL;

              for (guint k = 0; k < order->len && !defined; k++)
                {
                  GPtrArray *defs = g_hash_table_lookup (module_defs, g_ptr_array_index (order, k));

                  defined = defs != NULL && g_ptr_array_find_with_equal_func (defs, kind,
                                                                              g_str_equal, NULL);
                }
              if (!defined && provider != NULL)
                {
                  g_test_message ("%s refers to %s: adding %s", module, kind, provider);
                  g_ptr_array_insert (roots, 0, g_strdup (provider));
                  changed = TRUE;
                }
            }
        }
    }

  for (guint i = 0; i < broken_modules_len (); i++)
    if (g_str_equal (module, broken_modules[i].module))
      {
        for (guint j = 0; j < order->len; j++)
          {
            g_autoptr(GPtrArray) files = module_files (g_ptr_array_index (order, j));

            for (guint f = 0; f < files->len; f++)
              bough_schema_builder_add_file (builder, g_ptr_array_index (files, f), NULL);
          }
        schema = bough_schema_builder_build (builder, &error);
        g_assert_null (schema);
        g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
        g_assert_nonnull (strstr (error->message, broken_modules[i].expected));
        return;
      }

  for (guint i = 0; i < order->len; i++)
    add_module (builder, g_ptr_array_index (order, i));
  schema = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (schema);
  g_assert_cmpuint (bough_schema_get_nodes (schema)->len, >=,
                    bough_schema_get_nodes (base_schema)->len);
  g_assert_cmpstr (bough_schema_get_hash (schema), !=, bough_schema_get_hash (base_schema));
  /* Stable: a rebuild and a JSON round trip keep the hash. */
  {
    g_autoptr(BoughSchemaBuilder) rebuild = bough_schema_builder_new (schema);
    g_autoptr(BoughSchema) rebuilt = bough_schema_builder_build (rebuild, &error);
    g_autoptr(JsonNode) json = bough_schema_to_json (schema);
    g_autoptr(BoughSchema) back = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (bough_schema_get_hash (rebuilt), ==, bough_schema_get_hash (schema));
    back = bough_schema_new_from_json (json, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (bough_schema_get_hash (back), ==, bough_schema_get_hash (schema));
  }
#ifdef BOUGH_TEST_GRAPHQL
  {
    g_autoptr(BoughGqlSchema) gql = bough_gql_generate (schema, &error);

    g_assert_no_error (error);
    g_assert_nonnull (gql);
  }
#endif
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

  /* Rebuilding the snapshot and reading it back from JSON change nothing. */
  {
    g_autoptr(BoughSchemaBuilder) rebuild = bough_schema_builder_new (base_schema);
    g_autoptr(BoughSchema) rebuilt = bough_schema_builder_build (rebuild, &error);
    g_autoptr(JsonNode) json = NULL;
    g_autoptr(BoughSchema) back = NULL;
    g_autoptr(GPtrArray) changes = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (bough_schema_get_hash (rebuilt), ==, bough_schema_get_hash (base_schema));
    json = bough_schema_to_json (base_schema);
    back = bough_schema_new_from_json (json, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (bough_schema_get_hash (back), ==, bough_schema_get_hash (base_schema));
    changes = bough_schema_diff (base_schema, back);
    g_assert_cmpuint (changes->len, ==, 0);
  }

  device = bough_schema_lookup (base_schema, "DcimDevice");
  g_assert_nonnull (device);
  g_assert_true (bough_schema_is_a (base_schema, "DcimDevice", "DcimGenericDevice"));
  g_assert_nonnull (bough_node_schema_get_attribute (device, "name"));
  g_assert_cmpstr (bough_node_schema_get_attribute (device, "name")->inherited_from, ==,
                   "DcimGenericDevice");
  interface = bough_schema_lookup (base_schema, "DcimInterface");
  g_assert_nonnull (interface);
  g_assert_true (interface->is_generic);
  g_assert_cmpstr (bough_node_schema_get_relationship (interface, "device")->identifier, ==,
                   "device__interface");
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
  kind_module = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  module_refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  module_defs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < modules->len; i++)
    scan_module (g_ptr_array_index (modules, i));
  for (guint i = 0; i < modules->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/schema-library/%s",
                                               (char *) g_ptr_array_index (modules, i));

      g_test_add_data_func (path, g_ptr_array_index (modules, i), test_module);
    }

  ret = g_test_run ();

  g_hash_table_unref (kind_module);
  g_hash_table_unref (module_refs);
  g_hash_table_unref (module_defs);
  bough_yaml_document_unref (metadata_doc);
  bough_schema_unref (base_schema);
  bough_schema_unref (core_schema);
  return ret;
}
