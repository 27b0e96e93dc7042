/* hierarchy-test-common.h: a small location tree (a hierarchical generic and three levels of
 * kinds, and a kind that nests in itself) added to the store tests' schema, for the tests of hierarchies and links.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "store-test-common.h"

static const char hierarchy_schema_yaml[] =
  "version: '1.0'\n"
  "generics:\n"
  "  - name: Location\n"
  "    namespace: Test\n"
  "    hierarchical: true\n"
  "    human_friendly_id: ['name__value']\n"
  "    display_label: '{{ name__value }}'\n"
  "    order_by: ['name__value']\n"
  "    attributes:\n"
  "      - name: name\n"
  "        kind: Text\n"
  "        unique: true\n"
  "    relationships:\n"
  "      - name: tags\n"
  "        peer: TestTag\n"
  "        cardinality: many\n"
  "        optional: true\n"
  "        identifier: testlocation__tags\n"
  "nodes:\n"
  "  - name: Region\n"
  "    namespace: Test\n"
  "    inherit_from: ['TestLocation']\n"
  "    parent: ''\n"
  "    children: TestCity\n"
  "  - name: City\n"
  "    namespace: Test\n"
  "    inherit_from: ['TestLocation']\n"
  "    parent: TestRegion\n"
  "    children: TestRoom\n"
  "  - name: Room\n"
  "    namespace: Test\n"
  "    inherit_from: ['TestLocation']\n"
  "    parent: TestCity\n"
  "    children: ''\n"
  "  - name: Zone\n"
  "    namespace: Test\n"
  "    inherit_from: ['TestLocation']\n"
  "    parent: TestZone\n"
  "    children: TestZone\n";

/* The store fixture with the test schema and the location tree. */
static inline void
hierarchy_fixture_setup (StoreFixture  *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;

  store_fixture_setup (f, data);
  core = bough_store_get_schema (f->store, NULL, 0, &error);
  g_assert_no_error (error);
  builder = bough_schema_builder_new (core);
  if (!bough_schema_builder_add_data (builder, hierarchy_schema_yaml, -1, "hierarchy schema", &error))
    g_error ("hierarchy schema: %s", error->message);
  schema = bough_schema_builder_build (builder, &error);
  if (schema == NULL)
    g_error ("hierarchy schema: %s", error->message);
  g_assert_true (bough_store_set_schema (f->store, NULL, schema, "admin", &error));
  g_assert_no_error (error);
}
