/* test-schema-diff.c: bough_schema_diff() classifies each kind of change
 * by its update rule, and bough_schema_diff_to_json() gives Infrahub's shape.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-schema-diff"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "bough-error.h"
#include "schema/bough-schema.h"

static const char base_text[] =
  "generics:\n"
  "  - name: Generic\n"
  "    namespace: Infra\n"
  "    attributes:\n"
  "      - {name: name, kind: Text}\n"
  "nodes:\n"
  "  - name: Site\n"
  "    namespace: Infra\n"
  "    attributes:\n"
  "      - {name: name, kind: Text, unique: true}\n"
  "  - name: Device\n"
  "    namespace: Infra\n"
  "    label: Device\n"
  "    attributes:\n"
  "      - {name: hostname, kind: Text}\n"
  "      - {name: serial, kind: Text, optional: true}\n"
  "      - {name: mtu, kind: Number, optional: true}\n"
  "      - {name: notes, kind: TextArea, optional: true}\n"
  "    relationships:\n"
  "      - {name: site, peer: InfraSite, cardinality: one, optional: true}\n"
  "      - {name: peers, peer: InfraDevice, identifier: device_peers}\n"
  "  - name: Old\n"
  "    namespace: Infra\n";

static BoughSchema *base;

static BoughSchema *
load (BoughSchema *from,
      const char  *text)
{
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (from);
  g_autoptr(GError) error = NULL;
  BoughSchema *schema;

  bough_schema_builder_add_data (builder, text, -1, "diff.yml", &error);
  g_assert_no_error (error);
  schema = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  return schema;
}

/* Applies @text to the base and returns the one change matching the filter. */
static BoughSchemaChange *
find_change (GPtrArray  *changes,
             const char *kind,
             const char *element,
             const char *property)
{
  for (guint i = 0; i < changes->len; i++)
    {
      BoughSchemaChange *c = g_ptr_array_index (changes, i);

      if (g_strcmp0 (c->kind, kind) == 0 && g_strcmp0 (c->element, element) == 0 &&
          g_strcmp0 (c->property, property) == 0)
        return c;
    }
  return NULL;
}

static void
assert_rule (const char              *text,
             const char              *kind,
             const char              *element,
             const char              *property,
             BoughSchemaChangeAction  action,
             BoughSchemaRule          rule)
{
  g_autoptr(BoughSchema) next = load (base, text);
  g_autoptr(GPtrArray) changes = bough_schema_diff (base, next);
  BoughSchemaChange *c = find_change (changes, kind, element, property);

  if (c == NULL)
    g_error ("no change %s.%s.%s for:\n%s", kind, element ? element : "-",
             property ? property : "-", text);
  g_assert_cmpint (c->action, ==, action);
  g_assert_cmpint (c->rule, ==, rule);
}

static void
test_no_change (void)
{
  g_autoptr(BoughSchema) same = load (base, "");
  g_autoptr(GPtrArray) changes = bough_schema_diff (base, same);
  g_autoptr(JsonNode) json = bough_schema_diff_to_json (changes);
  JsonObject *obj = json_node_get_object (json);

  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (obj, "added")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (obj, "changed")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (obj, "removed")), ==, 0);
}

static void
test_node_rules (void)
{
  /* allowed */
  assert_rule ("nodes:\n  - {name: Device, namespace: Infra, label: Box}\n",
               "InfraDevice", NULL, "label", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_ALLOWED);
  assert_rule ("nodes:\n  - {name: Device, namespace: Infra, icon: 'mdi:server'}\n",
               "InfraDevice", NULL, "icon", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_ALLOWED);
  /* validate_constraint */
  assert_rule ("nodes:\n  - {name: Device, namespace: Infra, uniqueness_constraints: [[hostname__value, serial__value]]}\n",
               "InfraDevice", NULL, "uniqueness_constraints", BOUGH_SCHEMA_CHANGE_CHANGED,
               BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT);
  assert_rule ("nodes:\n  - {name: Device, namespace: Infra, inherit_from: [InfraGeneric]}\n",
               "InfraDevice", NULL, "inherit_from", BOUGH_SCHEMA_CHANGE_CHANGED,
               BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT);
  assert_rule ("nodes:\n  - {name: Device, namespace: Infra, generate_profile: false}\n",
               "InfraDevice", NULL, "generate_profile", BOUGH_SCHEMA_CHANGE_CHANGED,
               BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT);
  /* not_supported */
  assert_rule ("nodes:\n  - {name: Device, namespace: Infra, branch: agnostic}\n",
               "InfraDevice", NULL, "branch", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_NOT_SUPPORTED);
  /* added node: allowed; removed node: migration */
  assert_rule ("nodes:\n  - {name: Rack, namespace: Infra}\n",
               "InfraRack", NULL, NULL, BOUGH_SCHEMA_CHANGE_ADDED, BOUGH_SCHEMA_RULE_ALLOWED);
  assert_rule ("nodes:\n  - {name: Old, namespace: Infra, state: absent}\n",
               "InfraOld", NULL, NULL, BOUGH_SCHEMA_CHANGE_REMOVED, BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED);
}

static void
test_node_rename (void)
{
  BoughNodeSchema *old = bough_schema_lookup (base, "InfraOld");
  g_autofree char *text = g_strdup_printf ("nodes:\n  - {name: Legacy, namespace: Infra, id: %s}\n", old->id);

  /* Matched by id: a rename, not a removal plus an addition. */
  assert_rule (text, "InfraLegacy", NULL, "name", BOUGH_SCHEMA_CHANGE_CHANGED,
               BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED);
  {
    g_autoptr(BoughSchema) next = load (base, text);
    g_autoptr(GPtrArray) changes = bough_schema_diff (base, next);

    for (guint i = 0; i < changes->len; i++)
      g_assert_cmpint (((BoughSchemaChange *) g_ptr_array_index (changes, i))->action, ==,
                       BOUGH_SCHEMA_CHANGE_CHANGED);
  }
}

static void
test_attribute_rules (void)
{
  const char *head = "nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n";
  struct
  {
    const char      *attr;
    const char      *element;
    const char      *property;
    BoughSchemaRule  rule;
  } cases[] = {
    { "      - {name: serial, kind: Text, optional: true, label: Serial Number}\n",
      "serial", "label", BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: serial, kind: Text, optional: true, description: The serial}\n",
      "serial", "description", BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: mtu, kind: Number, optional: true, default_value: 1500}\n",
      "mtu", "default_value", BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: serial, kind: Text, optional: true, order_weight: 9000}\n",
      "serial", "order_weight", BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: serial, kind: Text, optional: true, display: extra}\n",
      "serial", "display", BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: serial, kind: Text, optional: false}\n",
      "serial", "optional", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    /* Given again without "optional: true": the default (mandatory) applies. */
    { "      - {name: mtu, kind: Number}\n",
      "mtu", "optional", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: serial, kind: Text, optional: true, unique: true}\n",
      "serial", "unique", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: serial, kind: Text, optional: true, regex: '^[A-Z0-9]+$'}\n",
      "serial", "regex", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: serial, kind: Text, optional: true, max_length: 20}\n",
      "serial", "max_length", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: serial, kind: Text, optional: true, enum: [a, b]}\n",
      "serial", "enum", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: mtu, kind: Number, optional: true, parameters: {max_value: 9216}}\n",
      "mtu", "parameters", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: notes, kind: Text, optional: true}\n",
      "notes", "kind", BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED },
    { "      - {name: serial, kind: Text, optional: true, branch: agnostic}\n",
      "serial", "branch", BOUGH_SCHEMA_RULE_NOT_SUPPORTED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (head, cases[i].attr, NULL);

      assert_rule (text, "InfraDevice", cases[i].element, cases[i].property,
                   BOUGH_SCHEMA_CHANGE_CHANGED,
                   cases[i].rule);
    }
}

static void
test_attribute_add_remove_rename (void)
{
  const char *head = "nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n";
  g_autofree char *optional = g_strconcat (head,
                                           "      - {name: asset, kind: Text, optional: true}\n", NULL);
  g_autofree char *mandatory = g_strconcat (head, "      - {name: asset, kind: Text}\n", NULL);
  g_autofree char *with_default = g_strconcat (head,
                                               "      - {name: asset, kind: Text, default_value: none}\n", NULL);
  g_autofree char *removed = g_strconcat (head,
                                          "      - {name: notes, kind: TextArea, state: absent}\n", NULL);
  g_autofree char *renamed = NULL;
  BoughAttributeSchema *serial = bough_node_schema_get_attribute (bough_schema_lookup (base,
                                                                                       "InfraDevice"), "serial");

  assert_rule (optional, "InfraDevice", "asset", NULL, BOUGH_SCHEMA_CHANGE_ADDED,
               BOUGH_SCHEMA_RULE_ALLOWED);
  /* Existing objects would have no value: the load must check. */
  assert_rule (mandatory, "InfraDevice", "asset", NULL, BOUGH_SCHEMA_CHANGE_ADDED,
               BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT);
  assert_rule (with_default, "InfraDevice", "asset", NULL, BOUGH_SCHEMA_CHANGE_ADDED,
               BOUGH_SCHEMA_RULE_ALLOWED);
  assert_rule (removed, "InfraDevice", "notes", NULL, BOUGH_SCHEMA_CHANGE_REMOVED,
               BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED);
  renamed = g_strdup_printf ("%s      - {name: serial_number, id: %s, kind: Text, optional: true}\n", head, serial->id);
  assert_rule (renamed, "InfraDevice", "serial_number", "name", BOUGH_SCHEMA_CHANGE_CHANGED,
               BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED);
}

static void
test_relationship_rules (void)
{
  const char *head = "nodes:\n  - name: Device\n    namespace: Infra\n    relationships:\n";
  struct
  {
    const char      *rel;
    const char      *element;
    const char      *property;
    BoughSchemaChangeAction action;
    BoughSchemaRule  rule;
  } cases[] = {
    { "      - {name: site, peer: InfraSite, cardinality: one, label: Location}\n",
      "site", "label", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: site, peer: InfraSite, cardinality: one, kind: Attribute}\n",
      "site", "kind", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: site, peer: InfraSite, cardinality: one, on_delete: cascade}\n",
      "site", "on_delete", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: site, peer: InfraSite, cardinality: one, display: extra}\n",
      "site", "display", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: site, peer: InfraSite, cardinality: many}\n",
      "site", "cardinality", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: site, peer: InfraDevice, cardinality: one}\n",
      "site", "peer", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: site, peer: InfraSite, cardinality: one, optional: false}\n",
      "site", "optional", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: peers, peer: InfraDevice, identifier: device_peers, max_count: 4}\n",
      "peers", "max_count", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: site, peer: InfraSite, cardinality: one, branch: local}\n",
      "site", "branch", BOUGH_SCHEMA_CHANGE_CHANGED, BOUGH_SCHEMA_RULE_NOT_SUPPORTED },
    { "      - {name: tags, peer: InfraDevice, optional: true}\n",
      "tags", NULL, BOUGH_SCHEMA_CHANGE_ADDED, BOUGH_SCHEMA_RULE_ALLOWED },
    { "      - {name: home, peer: InfraSite, identifier: device_home, cardinality: one, optional: false}\n",
      "home", NULL, BOUGH_SCHEMA_CHANGE_ADDED, BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
    { "      - {name: peers, peer: InfraDevice, state: absent}\n",
      "peers", NULL, BOUGH_SCHEMA_CHANGE_REMOVED, BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (head, cases[i].rel, NULL);

      assert_rule (text, "InfraDevice", cases[i].element, cases[i].property, cases[i].action,
                   cases[i].rule);
    }
}

static void
test_direction_not_supported (void)
{
  g_autoptr(BoughSchema) one = load (NULL,
    "nodes:\n  - name: Alpha\n    namespace: Infra\n    relationships:\n"
    "      - {name: links, peer: InfraBeta, identifier: a_b}\n"
    "  - name: Beta\n    namespace: Infra\n    relationships:\n"
    "      - {name: links, peer: InfraAlpha, identifier: a_b}\n");
  g_autoptr(BoughSchema) two = load (one,
    "nodes:\n  - name: Alpha\n    namespace: Infra\n    relationships:\n"
    "      - {name: links, peer: InfraBeta, identifier: a_b, direction: outbound}\n"
    "  - name: Beta\n    namespace: Infra\n    relationships:\n"
    "      - {name: links, peer: InfraAlpha, identifier: a_b, direction: inbound}\n");
  g_autoptr(GPtrArray) changes = bough_schema_diff (one, two);
  BoughSchemaChange *c = find_change (changes, "InfraAlpha", "links", "direction");

  g_assert_nonnull (c);
  g_assert_cmpint (c->rule, ==, BOUGH_SCHEMA_RULE_NOT_SUPPORTED);
  g_assert_cmpstr (json_node_get_string (c->old_value), ==, "bidirectional");
  g_assert_cmpstr (json_node_get_string (c->new_value), ==, "outbound");
}

static void
test_to_json (void)
{
  g_autoptr(BoughSchema) next = load (base,
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    label: Box\n"
    "    attributes:\n"
    "      - {name: serial, kind: Text, optional: false}\n"
    "      - {name: asset, kind: Text, optional: true}\n"
    "      - {name: notes, kind: TextArea, state: absent}\n"
    "    relationships:\n"
    "      - {name: peers, peer: InfraDevice, state: absent}\n"
    "  - {name: Rack, namespace: Infra}\n"
    "  - {name: Old, namespace: Infra, state: absent}\n");
  g_autoptr(GPtrArray) changes = bough_schema_diff (base, next);
  g_autoptr(JsonNode) json = bough_schema_diff_to_json (changes);
  JsonObject *root = json_node_get_object (json);
  JsonObject *device, *attrs, *rels;
  g_autofree char *text = json_to_string (json, FALSE);

  g_assert_true (json_object_has_member (json_object_get_object_member (root, "added"),
                                         "InfraRack"));
  g_assert_true (json_object_has_member (json_object_get_object_member (root, "removed"),
                                         "InfraOld"));
  device = json_object_get_object_member (json_object_get_object_member (root, "changed"),
                                          "InfraDevice");
  g_assert_nonnull (device);
  g_assert_true (json_object_has_member (json_object_get_object_member (device, "changed"),
                                         "label"));
  attrs = json_object_get_object_member (json_object_get_object_member (device, "changed"),
                                         "attributes");
  g_assert_true (json_object_has_member (json_object_get_object_member (attrs, "added"), "asset"));
  g_assert_true (json_object_has_member (json_object_get_object_member (attrs, "removed"),
                                         "notes"));
  g_assert_true (json_object_has_member (
    json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (attrs, "changed"),
                                                                  "serial"), "changed"), "optional"));
  rels = json_object_get_object_member (json_object_get_object_member (device, "changed"),
                                        "relationships");
  g_assert_true (json_object_has_member (json_object_get_object_member (rels, "removed"), "peers"));
  g_test_message ("%s", text);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  base = load (NULL, base_text);

  g_test_add_func ("/schema-diff/no-change", test_no_change);
  g_test_add_func ("/schema-diff/node-rules", test_node_rules);
  g_test_add_func ("/schema-diff/node-rename", test_node_rename);
  g_test_add_func ("/schema-diff/attribute-rules", test_attribute_rules);
  g_test_add_func ("/schema-diff/attribute-add-remove-rename", test_attribute_add_remove_rename);
  g_test_add_func ("/schema-diff/relationship-rules", test_relationship_rules);
  g_test_add_func ("/schema-diff/direction", test_direction_not_supported);
  g_test_add_func ("/schema-diff/to-json", test_to_json);

  ret = g_test_run ();
  bough_schema_unref (base);
  return ret;
}
