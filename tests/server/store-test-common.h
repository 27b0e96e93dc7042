/* store-test-common.h: the fixture of the store tests: a temporary data
 * directory, an initialized store with a small test schema, and helpers to
 * build mutation inputs.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bough-error.h"
#include "store/bough-store.h"
#include "../test-util.h"

static const char test_schema_yaml[] =
  "version: '1.0'\n"
  "generics:\n"
  "  - name: Equipment\n"
  "    namespace: Test\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "      - name: description\n"
  "        kind: Text\n"
  "        optional: true\n"
  "nodes:\n"
  "  - name: Site\n"
  "    namespace: Test\n"
  "    human_friendly_id: ['name__value']\n"
  "    display_label: '{{ name__value }}'\n"
  "    order_by: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "        unique: true\n"
  "      - name: description\n"
  "        kind: Text\n"
  "        optional: true\n"
  "      - name: region\n"
  "        kind: Text\n"
  "        optional: true\n"
  "      - name: contact\n"
  "        kind: Text\n"
  "        optional: true\n"
  "        branch: agnostic\n"
  "    relationships:\n"
  "      - name: devices\n"
  "        peer: TestDevice\n"
  "        cardinality: many\n"
  "        optional: true\n"
  "  - name: Device\n"
  "    namespace: Test\n"
  "    inherit_from: ['TestEquipment']\n"
  "    human_friendly_id: ['name__value']\n"
  "    order_by: ['name__value']\n"
  "    attributes:\n"
  "      - name: serial\n"
  "        kind: Text\n"
  "        optional: true\n"
  "        regex: '^[A-Z0-9]+$'\n"
  "        min_length: 3\n"
  "        max_length: 10\n"
  "      - name: status\n"
  "        kind: Text\n"
  "        enum: ['active', 'planned']\n"
  "        default_value: 'active'\n"
  "      - name: role\n"
  "        kind: Dropdown\n"
  "        optional: true\n"
  "        choices:\n"
  "          - name: core\n"
  "          - name: edge\n"
  "      - name: asn\n"
  "        kind: Number\n"
  "        optional: true\n"
  "        parameters:\n"
  "          min_value: 1\n"
  "          max_value: 65535\n"
  "      - name: secret\n"
  "        kind: Text\n"
  "        optional: true\n"
  "        read_only: true\n"
  "      - name: enabled\n"
  "        kind: Boolean\n"
  "        default_value: true\n"
  "    relationships:\n"
  "      - name: site\n"
  "        peer: TestSite\n"
  "        cardinality: one\n"
  "        optional: false\n"
  "        kind: Attribute\n"
  "      - name: interfaces\n"
  "        peer: TestInterface\n"
  "        cardinality: many\n"
  "        optional: true\n"
  "        kind: Component\n"
  "        on_delete: cascade\n"
  "      - name: tags\n"
  "        peer: TestTag\n"
  "        cardinality: many\n"
  "        optional: true\n"
  "        max_count: 3\n"
  "  - name: Appliance\n"
  "    namespace: Test\n"
  "    inherit_from: ['TestEquipment']\n"
  "    attributes:\n"
  "      - name: vendor\n"
  "        kind: Text\n"
  "        optional: true\n"
  "  - name: Interface\n"
  "    namespace: Test\n"
  "    human_friendly_id: ['device__name__value', 'name__value']\n"
  "    uniqueness_constraints: [['device', 'name__value']]\n"
  "    order_by: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "      - name: speed\n"
  "        kind: Number\n"
  "        optional: true\n"
  "    relationships:\n"
  "      - name: device\n"
  "        peer: TestDevice\n"
  "        cardinality: one\n"
  "        optional: false\n"
  "        kind: Parent\n"
  "  - name: Tag\n"
  "    namespace: Test\n"
  "    branch: agnostic\n"
  "    human_friendly_id: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "        unique: true\n"
  "  - name: Repo\n"
  "    namespace: Test\n"
  "    branch: agnostic\n"
  "    human_friendly_id: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "        unique: true\n"
  "      - name: commit\n"
  "        kind: Text\n"
  "        optional: true\n"
  "        branch: local\n"
  "  - name: Circuit\n"
  "    namespace: Test\n"
  "    uniqueness_constraints: [['provider__value', 'cid__value']]\n"
  "    attributes:\n"
  "      - name: provider\n"
  "        kind: Text\n"
  "      - name: cid\n"
  "        kind: Text\n"
  "    relationships:\n"
  "      - name: endpoints\n"
  "        peer: TestSite\n"
  "        cardinality: many\n"
  "        optional: false\n"
  "        min_count: 2\n"
  "        max_count: 2\n";

typedef struct
{
  char       *dir;
  char       *path;
  BoughStore *store;
} StoreFixture;

/* @base with the kinds of @yaml added. */
static inline BoughSchema *
test_schema_build_from (BoughSchema *base,
                        const char  *yaml)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (base);
  BoughSchema *schema;

  if (!bough_schema_builder_add_data (builder, yaml, -1, "test schema", &error))
    g_error ("test schema: %s", error->message);
  schema = bough_schema_builder_build (builder, &error);
  if (schema == NULL)
    g_error ("test schema: %s", error->message);
  return schema;
}

static inline BoughSchema *
test_schema_build (BoughSchema *base)
{
  return test_schema_build_from (base, test_schema_yaml);
}

/* Sets on @branch (%NULL: main) @base (%NULL: the branch's schema now)
 * with the kinds of @yaml added, as @account. */
static inline void
store_test_set_schema (BoughStore  *store,
                       const char  *branch,
                       BoughSchema *base,
                       const char  *yaml,
                       const char  *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) current = NULL;
  g_autoptr(BoughSchema) schema = NULL;

  if (base == NULL)
    {
      current = bough_store_get_schema (store, branch, 0, &error);
      g_assert_no_error (error);
      base = current;
    }
  schema = test_schema_build_from (base, yaml);
  g_assert_true (bough_store_set_schema (store, branch, schema, account, &error));
  g_assert_no_error (error);
}

static inline void
store_fixture_open (StoreFixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = bough_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static inline void
store_fixture_setup (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(BoughSchema) schema = NULL;

  f->dir = g_dir_make_tmp ("bough-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "bough.db", NULL);
  store_fixture_open (f);
  g_assert_true (bough_store_initialize (f->store, &error));
  g_assert_no_error (error);
  core = bough_store_get_schema (f->store, NULL, 0, &error);
  g_assert_no_error (error);
  schema = test_schema_build (core);
  g_assert_true (bough_store_set_schema (f->store, NULL, schema, "admin", &error));
  g_assert_no_error (error);
}

static inline void
store_fixture_teardown (StoreFixture  *f,
                        gconstpointer  data)
{
  g_clear_pointer (&f->store, bough_store_unref);
  bough_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Parses a JSON object literal (single quotes allowed for readability). */
static inline JsonObject *
J (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *fixed = g_strdup (text);

  for (char *p = fixed; *p; p++)
    if (*p == '\'')
      *p = '"';
  if (!json_parser_load_from_data (parser, fixed, -1, &error))
    g_error ("bad JSON in test: %s: %s", text, error->message);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static inline JsonArray *
JA (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *fixed = g_strdup (text);

  for (char *p = fixed; *p; p++)
    if (*p == '\'')
      *p = '"';
  if (!json_parser_load_from_data (parser, fixed, -1, &error))
    g_error ("bad JSON in test: %s: %s", text, error->message);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static inline JsonNode *
JN (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *fixed = g_strdup (text);

  for (char *p = fixed; *p; p++)
    if (*p == '\'')
      *p = '"';
  if (!json_parser_load_from_data (parser, fixed, -1, &error))
    g_error ("bad JSON in test: %s: %s", text, error->message);
  return json_node_copy (json_parser_get_root (parser));
}

/* Creates a node in its own transaction; returns its id. */
static inline char *
create_node (BoughStore *store,
             const char *branch,
             const char *kind,
             const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "tester", &error);
  g_autoptr(JsonObject) data = J (json);
  g_autoptr(BoughNode) node = NULL;

  g_assert_no_error (error);
  node = bough_txn_create (txn, kind, data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
  return g_strdup (node->id);
}

static inline const char *
node_string (BoughNode  *node,
             const char *attribute)
{
  JsonNode *v = bough_node_get_value (node, attribute);
  g_assert_nonnull (v);
  if (JSON_NODE_HOLDS_NULL (v))
    return NULL;
  return json_node_get_string (v);
}
