/* test-schema.c: the schema builder and snapshot: validation errors with
 * their locations, defaults, inheritance, identifiers, hfid and uniqueness
 * rules, automatic relationships, declarative loading (absent, extensions,
 * renames), field display, keys of exported files, hashes and the JSON
 * round trip.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-schema"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "bough-error.h"
#include "schema/bough-schema.h"

/* A small built-in layer: the kinds the automatic rules look for. */
static const char mini_core[] =
  "generics:\n"
  "  - {name: Node, namespace: Core}\n"
  "  - {name: Source, namespace: Lineage}\n"
  "  - {name: Owner, namespace: Lineage}\n"
  "  - name: Group\n"
  "    namespace: Core\n"
  "    hierarchical: true\n"
  "    attributes:\n"
  "      - {name: name, kind: Text, unique: true}\n"
  "    relationships:\n"
  "      - {name: members, peer: CoreNode, identifier: group_member}\n"
  "      - {name: subscribers, peer: CoreNode, identifier: group_subscriber}\n"
  "  - name: Profile\n"
  "    namespace: Core\n"
  "    attributes:\n"
  "      - {name: profile_name, kind: Text, unique: true}\n"
  "      - {name: profile_priority, kind: Number, default_value: 1000, optional: true}\n"
  "  - name: ObjectTemplate\n"
  "    namespace: Core\n"
  "    attributes:\n"
  "      - {name: template_name, kind: Text, unique: true}\n"
  "  - name: ObjectComponentTemplate\n"
  "    namespace: Core\n"
  "    attributes:\n"
  "      - {name: template_name, kind: Text}\n"
  "nodes:\n"
  "  - name: StandardGroup\n"
  "    namespace: Core\n"
  "    inherit_from: [CoreGroup]\n"
  "  - name: Tag\n"
  "    namespace: Builtin\n"
  "    attributes:\n"
  "      - {name: name, kind: Text, unique: true}\n";

static BoughSchema *core;

static BoughSchema *
build_from (BoughSchema *base,
            const char  *text)
{
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (base);
  g_autoptr(GError) error = NULL;
  BoughSchema *schema;

  bough_schema_builder_add_data (builder, text, -1, "t.yml", &error);
  g_assert_no_error (error);
  schema = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (schema);
  return schema;
}

/* Loads @text on top of the mini core and asserts that loading or building
 * fails with a line "t.yml:@line:@column: @element: ...@fragment...". */
static void
assert_problem (const char *text,
                guint       line,
                guint       column,
                const char *element,
                const char *fragment)
{
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (core);
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = NULL;
  g_autofree char *prefix = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean found = FALSE;
  GPtrArray *problems;

  if (bough_schema_builder_add_data (builder, text, -1, "t.yml", &error))
    schema = bough_schema_builder_build (builder, &error);
  if (schema != NULL)
    g_error ("expected '%s' at %u:%u, but the schema was accepted", fragment, line, column);
  g_assert_nonnull (error);
  g_assert_true (error->domain == BOUGH_ERROR);
  g_assert_true (error->code == BOUGH_ERROR_SCHEMA || error->code == BOUGH_ERROR_PARSE);

  if (*element != '\0')
    prefix = g_strdup_printf ("t.yml:%u:%u: %s: ", line, column, element);
  else
    prefix = g_strdup_printf ("t.yml:%u:%u: ", line, column);
  lines = g_strsplit (error->message, "\n", -1);
  for (guint i = 0; lines[i] != NULL && !found; i++)
    found = g_str_has_prefix (lines[i], prefix) && strstr (lines[i] + strlen (prefix),
                                                           fragment) != NULL;
  if (!found)
    g_error ("expected a line '%s...%s...' in:\n%s", prefix, fragment, error->message);

  /* The same problems are available in structured form. */
  problems = bough_schema_builder_get_problems (builder);
  g_assert_cmpuint (problems->len, >=, 1);
  found = FALSE;
  for (guint i = 0; i < problems->len && !found; i++)
    {
      BoughSchemaProblem *p = g_ptr_array_index (problems, i);

      found = p->loc.line == line && p->loc.column == column && strstr (p->message,
                                                                        fragment) != NULL;
    }
  g_assert_true (found);
}

/* Validation errors */

static void
test_error_names (void)
{
  assert_problem ("nodes:\n  - name: device\n    namespace: Infra\n",
                  2, 11, "Infradevice", "invalid name 'device'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: INFRA\n",
                  3, 16, "INFRADevice", "invalid namespace 'INFRA'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Ab\n",
                  3, 16, "AbDevice", "invalid namespace 'Ab'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Core\n",
                  3, 16, "CoreDevice", "restricted");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    attributes:\n      - {name: save, kind: Text}\n",
                  5, 16, "InfraDevice.save", "reserved name");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    attributes:\n      - {name: ab, kind: Text}\n",
                  5, 16, "InfraDevice.ab", "invalid attribute name");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - {name: Tags, peer: BuiltinTag}\n",
                  5, 16, "InfraDevice.Tags", "invalid relationship name");
  {
    g_autofree char *long_text = g_strnfill (129, 'x');
    g_autofree char *text = g_strdup_printf ("nodes:\n  - name: Device\n    namespace: Infra\n"
                                             "    attributes:\n      - name: serial\n        kind: Text\n"
                                             "        description: %s\n", long_text);

    assert_problem (text, 7, 22, "InfraDevice.serial", "description longer than 128 characters");
  }
  assert_problem ("generics:\n  - name: Thing\n    namespace: Infra\n"
                  "    attributes:\n      - {name: type, kind: Text}\n",
                  5, 16, "InfraThing.type", "reserved name");
  assert_problem ("extensions:\n  nodes:\n    - kind: BuiltinTag\n"
                  "      attributes:\n        - {name: rels, kind: Text, optional: true}\n",
                  5, 18, "BuiltinTag.rels", "reserved name");
}

static void
test_error_kinds_and_enums (void)
{
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    attributes:\n      - name: hostname\n        kind: Strng\n",
                  6, 15, "InfraDevice.hostname", "unknown attribute kind 'Strng'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    attributes:\n      - name: hostname\n        optional: true\n",
                  5, 9, "InfraDevice.hostname", "needs a kind");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    branch: sometimes\n",
                  4, 13, "InfraDevice", "invalid branch 'sometimes'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - {name: tags, peer: BuiltinTag, cardinality: few}\n",
                  5, 53, "InfraDevice.tags", "invalid cardinality 'few'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - {name: tags, peer: BuiltinTag, kind: Child}\n",
                  5, 46, "InfraDevice.tags", "invalid kind 'Child'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - {name: tags, peer: BuiltinTag, direction: up}\n",
                  5, 51, "InfraDevice.tags", "invalid direction 'up'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - {name: tags, peer: BuiltinTag, on_delete: explode}\n",
                  5, 51, "InfraDevice.tags", "invalid on_delete 'explode'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    include_in_menu: maybe\n",
                  4, 22, "InfraDevice", "'include_in_menu' must be a boolean");
}

static void
test_error_unknown_keys (void)
{
  assert_problem ("version: '1.0'\nmodels: []\n", 2, 1, "", "unknown key 'models'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    colour: red\n",
                  4, 5, "InfraDevice", "unknown key 'colour'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    attributes:\n      - name: hostname\n        kind: Text\n        nullable: true\n",
                  7, 9, "InfraDevice.hostname", "unknown key 'nullable'");
  assert_problem ("generics:\n  - name: Thing\n    namespace: Infra\n    inherit_from: [CoreNode]\n",
                  4, 5, "InfraThing", "unknown key 'inherit_from'");
}

static void
test_error_display (void)
{
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    attributes:\n      - name: hostname\n        kind: Text\n"
                  "        display: hidden\n",
                  7, 18, "InfraDevice.hostname", "invalid display 'hidden' (default or extra)");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - {name: tags, peer: BuiltinTag, display: main}\n",
                  5, 49, "InfraDevice.tags", "invalid display 'main'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    attributes:\n      - {name: serial, kind: Text, display: 3}\n",
                  5, 45, "InfraDevice.serial", "'display' must be a string, not a number");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    attributes:\n      - {name: serial, kind: Text, display: null}\n",
                  5, 45, "InfraDevice.serial", "invalid display 'null'");
  /* Extensions parse their fields the same way. */
  assert_problem ("extensions:\n  nodes:\n    - kind: BuiltinTag\n      attributes:\n"
                  "        - {name: color, kind: Color, optional: true, display: wide}\n",
                  5, 63, "BuiltinTag.color", "invalid display 'wide'");
}

static void
test_error_element_kind (void)
{
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    kind: InfraBox\n",
                  4, 11, "InfraDevice",
                  "kind 'InfraBox' does not match namespace 'Infra' and name 'Device' "
                  "(kind 'InfraDevice')");
  assert_problem ("generics:\n  - {name: Box, namespace: Infra, kind: InfraThing}\n",
                  2, 41, "InfraBox", "kind 'InfraThing' does not match");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    kind: [InfraDevice]\n",
                  4, 11, "InfraDevice", "'kind' must be a string, not a list");
}

static void
test_error_duplicates (void)
{
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n  - name: Device\n    namespace: Infra\n",
                  4, 5, "InfraDevice", "duplicate kind");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - {name: hostname, kind: Text}\n      - {name: hostname, kind: Text}\n",
                  6, 9, "InfraDevice.hostname", "duplicate attribute name");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - {name: tags, kind: Text}\n    relationships:\n"
                  "      - {name: tags, peer: BuiltinTag}\n",
                  7, 9, "InfraDevice.tags", "duplicate name");
  assert_problem ("generics:\n  - name: Device\n    namespace: Infra\nnodes:\n"
                  "  - name: Device\n    namespace: Infra\n",
                  5, 5, "InfraDevice", "duplicate kind");
  assert_problem ("nodes:\n  - name: Group\n    namespace: Core\n",
                  2, 5, "CoreGroup", "already defined as a generic");
}

static void
test_error_references (void)
{
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - name: site\n        peer: InfraSite\n",
                  6, 15, "InfraDevice.site", "unknown peer 'InfraSite'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    inherit_from: [InfraMissing]\n",
                  4, 19, "InfraDevice.inherit_from", "unknown generic 'InfraMissing'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    inherit_from: [BuiltinTag]\n",
                  4, 19, "InfraDevice.inherit_from", "'BuiltinTag' is a node");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    hierarchy: BuiltinTag\n",
                  4, 16, "InfraDevice.hierarchy", "not a hierarchical generic");
  assert_problem ("extensions:\n  nodes:\n    - kind: InfraNothing\n      attributes: []\n",
                  3, 13, "InfraNothing", "cannot extend unknown kind");
}

static void
test_error_paths (void)
{
  static const char site[] =
    "nodes:\n"
    "  - name: Site\n"
    "    namespace: Infra\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "  - name: Device\n"
    "    namespace: Infra\n";
  g_autofree char *hfid_unknown = g_strconcat (site, "    human_friendly_id: [nme__value]\n"
                                               "    attributes:\n      - {name: name, kind: Text}\n", NULL);
  g_autofree char *hfid_optional = g_strconcat (site, "    human_friendly_id: [site__name__value]\n"
                                                "    relationships:\n"
                                                "      - {name: site, peer: InfraSite, cardinality: one}\n", NULL);
  g_autofree char *hfid_many = g_strconcat (site, "    human_friendly_id: [sites__name__value]\n"
                                            "    relationships:\n"
                                            "      - {name: sites, peer: InfraSite, cardinality: many}\n", NULL);
  g_autofree char *hfid_peer_attr = g_strconcat (site,
                                                 "    human_friendly_id: [site__label__value]\n"
                                                 "    relationships:\n"
                                                 "      - {name: site, peer: InfraSite, cardinality: one, optional: false}\n",
                                                 NULL);
  g_autofree char *order_prop = g_strconcat (site, "    order_by: [name__colour]\n"
                                             "    attributes:\n      - {name: name, kind: Text}\n", NULL);
  g_autofree char *display = g_strconcat (site, "    display_labels: [hostname__value]\n"
                                          "    attributes:\n      - {name: name, kind: Text}\n", NULL);
  g_autofree char *filter = g_strconcat (site, "    default_filter: serial__value\n"
                                         "    attributes:\n      - {name: name, kind: Text}\n", NULL);
  g_autofree char *uniq = g_strconcat (site, "    uniqueness_constraints: [[name__value, rack]]\n"
                                       "    attributes:\n      - {name: name, kind: Text}\n", NULL);
  g_autofree char *uniq_optional = g_strconcat (site,
                                                "    uniqueness_constraints: [[name__value, site]]\n"
                                                "    attributes:\n      - {name: name, kind: Text}\n"
                                                "    relationships:\n"
                                                "      - {name: site, peer: InfraSite, cardinality: one}\n", NULL);

  assert_problem (hfid_unknown, 8, 24, "InfraDevice.human_friendly_id",
                  "no attribute or relationship 'nme'");
  assert_problem (hfid_optional, 8, 24, "InfraDevice.human_friendly_id", "must be mandatory");
  assert_problem (hfid_many, 8, 24, "InfraDevice.human_friendly_id", "must be of cardinality one");
  assert_problem (hfid_peer_attr, 8, 24, "InfraDevice.human_friendly_id",
                  "peer InfraSite has no attribute 'label'");
  assert_problem (order_prop, 8, 15, "InfraDevice.order_by", "orders by its value (name__value)");
  assert_problem (display, 8, 21, "InfraDevice.display_labels",
                  "no attribute or relationship 'hostname'");
  assert_problem (filter, 8, 21, "InfraDevice.default_filter",
                  "no attribute or relationship 'serial'");
  assert_problem (uniq, 8, 29, "InfraDevice.uniqueness_constraints",
                  "no attribute or relationship 'rack'");
  assert_problem (uniq_optional, 8, 29, "InfraDevice.uniqueness_constraints", "must be mandatory");
}

/* order_by takes what the store sorts by: paths with a direction,
 * node_metadata times, a peer's attribute through a relationship of
 * cardinality one, the parts of IP values; nothing else. */
static void
test_order_by_grammar (void)
{
  static const char head[] =
    "nodes:\n"
    "  - name: Site\n"
    "    namespace: Infra\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    order_by: [%s]\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "      - {name: address, kind: IPHost, optional: true}\n"
    "      - {name: prefix, kind: IPNetwork, optional: true}\n"
    "    relationships:\n"
    "      - {name: site, peer: InfraSite, cardinality: one}\n"
    "      - {name: sites, peer: InfraSite, cardinality: many, identifier: device_sites}\n";
  static const char *good[] = {
    "name__value", "name__value__asc", "name__value__desc", "node_metadata__created_at",
    "node_metadata__created_at__desc", "node_metadata__updated_at__asc",
    "site__name__value, name__value__desc", "site__name__value__desc",
    "prefix__version, prefix__binary_address, prefix__prefixlen__desc", "address__binary_address",
  };
  static const struct
  {
    const char *entry;
    const char *fragment;
  } bad[] = {
    { "name", "orders by its value" },
    { "name__value__sideways", "orders by its value" },
    { "name__is_protected", "orders by its value" },
    { "address__prefixlen", "orders by its value" },
    { "node_metadata__deleted_at", "node_metadata__created_at" },
    { "node_metadata", "node_metadata__created_at" },
    { "sites__name__value", "cardinality many" },
    { "site__label__value", "peer InfraSite has no attribute" },
    { "site__name__value__x__desc", "one attribute value of its peer" },
    { "site", "one attribute value of its peer" },
    { "rack__value", "no attribute or relationship" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = g_strdup_printf (head, good[i]);
      g_autoptr(BoughSchema) schema = build_from (core, text);
      BoughNodeSchema *device = bough_schema_lookup (schema, "InfraDevice");

      g_assert_nonnull (device->order_by);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf (head, bad[i].entry);

      g_test_message ("order_by %s", bad[i].entry);
      assert_problem (text, 8, 15, "InfraDevice.order_by", bad[i].fragment);
    }
}

static void
test_error_relationships (void)
{
  assert_problem ("nodes:\n  - name: Rack\n    namespace: Infra\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - name: rack\n        peer: InfraRack\n        kind: Parent\n"
                  "        optional: false\n        cardinality: many\n",
                  11, 22, "InfraDevice.rack", "Parent relationship must have cardinality one");
  assert_problem ("nodes:\n  - name: Rack\n    namespace: Infra\n  - name: Device\n    namespace: Infra\n"
                  "    relationships:\n      - name: rack\n        peer: InfraRack\n        kind: Parent\n"
                  "        optional: true\n        cardinality: one\n",
                  10, 19, "InfraDevice.rack", "Parent relationship must be mandatory");
  /* Parent and Component links that loop. */
  assert_problem ("nodes:\n"
                  "  - name: Card\n    namespace: Infra\n"
                  "  - name: Rack\n    namespace: Infra\n    relationships:\n"
                  "      - {name: devices, peer: InfraDevice, kind: Component}\n"
                  "      - {name: card, peer: InfraCard, kind: Parent, cardinality: one, optional: false}\n"
                  "  - name: Device\n    namespace: Infra\n    relationships:\n"
                  "      - {name: cards, peer: InfraCard, kind: Component}\n",
                  2, 5, "InfraCard", "form a cycle: InfraCard -> InfraRack -> InfraDevice -> InfraCard");
  /* Same identifier twice on one kind without an inbound/outbound pair. */
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    relationships:\n"
                  "      - {name: uplinks, peer: InfraDevice, identifier: device__link}\n"
                  "      - name: downlinks\n        peer: InfraDevice\n        identifier: device__link\n",
                  8, 21, "InfraDevice.downlinks", "needs one inbound and one outbound");
  /* An outbound/inbound pair against a bidirectional peer. */
  assert_problem ("nodes:\n  - name: Site\n    namespace: Infra\n    relationships:\n"
                  "      - {name: devices, peer: InfraDevice, identifier: site__device}\n"
                  "  - name: Device\n    namespace: Infra\n    relationships:\n"
                  "      - name: site\n        peer: InfraSite\n        cardinality: one\n"
                  "        identifier: site__device\n        direction: outbound\n",
                  13, 20, "InfraDevice.site", "incompatible");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    relationships:\n"
                  "      - name: tags\n        peer: BuiltinTag\n        cardinality: one\n"
                  "        optional: false\n        min_count: 2\n",
                  9, 20, "InfraDevice.tags", "min_count or max_count is not 1");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    relationships:\n"
                  "      - {name: tags, peer: BuiltinTag, min_count: 5, max_count: 3}\n",
                  5, 51, "InfraDevice.tags", "min_count is greater than max_count");
  assert_problem ("nodes:\n  - name: Site\n    namespace: Infra\n    relationships:\n"
                  "      - {name: devices, peer: InfraDevice, optional: false}\n"
                  "  - name: Device\n    namespace: Infra\n    relationships:\n"
                  "      - {name: site, peer: InfraSite, optional: false, cardinality: one}\n",
                  9, 9, "InfraDevice.site", "cannot both have mandatory relationships");
}

static void
test_error_attributes (void)
{
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - name: status\n        kind: Dropdown\n",
                  6, 15, "InfraDevice.status", "needs choices");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - name: mtu\n        kind: Number\n        default_value: large\n",
                  7, 24, "InfraDevice.mtu", "invalid default_value: is not an integer");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - name: level\n        kind: Text\n        enum: [low, high]\n        default_value: mid\n",
                  8, 24, "InfraDevice.level", "not one of the enum values");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - name: status\n        kind: Dropdown\n        default_value: gone\n"
                  "        choices: [{name: active}]\n",
                  7, 24, "InfraDevice.status", "not one of the choices");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - name: code\n        kind: Text\n        regex: '[a-z'\n",
                  7, 16, "InfraDevice.code", "invalid regex");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - name: code\n        kind: Text\n        min_length: 10\n        max_length: 2\n",
                  7, 21, "InfraDevice.code", "min_length (10) is greater than max_length (2)");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - name: status\n        kind: Dropdown\n        choices:\n"
                  "          - {name: up, color: blue}\n",
                  8, 31, "InfraDevice.status", "invalid color 'blue'");
  assert_problem ("nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n"
                  "      - name: size\n        kind: Number\n        parameters: {min_value: 9, max_value: 1}\n",
                  7, 21, "InfraDevice.size", "min_value is greater than max_value");
}

static void
test_error_computed (void)
{
  static const char head[] =
    "nodes:\n"
    "  - name: Site\n"
    "    namespace: Infra\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    relationships:\n"
    "      - {name: site, peer: InfraSite, cardinality: one}\n"
    "      - {name: sites, peer: InfraSite, identifier: device_sites}\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "      - name: fqdn\n";
  g_autofree char *not_read_only = g_strconcat (head,
    "        kind: Text\n        computed_attribute: {kind: Jinja2, jinja2_template: '{{ name__value }}'}\n", NULL);
  g_autofree char *wrong_kind = g_strconcat (head,
    "        kind: Number\n        read_only: true\n        optional: true\n"
    "        computed_attribute: {kind: Jinja2, jinja2_template: '{{ name__value }}'}\n", NULL);
  g_autofree char *bad_variable = g_strconcat (head,
    "        kind: Text\n        read_only: true\n"
    "        computed_attribute: {kind: Jinja2, jinja2_template: \"{{ name__value }}.{{ sites__name__value }}\"}\n",
    NULL);
  g_autofree char *itself = g_strconcat (head,
    "        kind: Text\n        read_only: true\n"
    "        computed_attribute: {kind: Jinja2, jinja2_template: '{{ fqdn__value|upper }}'}\n", NULL);
  g_autofree char *python_mandatory = g_strconcat (head,
    "        kind: Text\n        read_only: true\n"
    "        computed_attribute: {kind: TransformPython, transform: fqdn}\n", NULL);
  g_autofree char *mixed = g_strconcat (head,
    "        kind: Text\n        read_only: true\n"
    "        computed_attribute:\n"
    "          kind: Jinja2\n"
    "          jinja2_template: \"{{ name__value }}.{{ site__name__value }}{{ '{:02d}'.format(x__y) if 0 }}\"\n",
    NULL);
  g_autoptr(BoughSchema) schema = NULL;

  assert_problem (not_read_only, 15, 29, "InfraDevice.fqdn", "must be read_only");
  assert_problem (wrong_kind, 17, 29, "InfraDevice.fqdn",
                  "only Text and URL attributes can be computed");
  assert_problem (bad_variable, 16, 29, "InfraDevice.fqdn",
                  "relationship sites must be of cardinality one");
  assert_problem (itself, 16, 29, "InfraDevice.fqdn", "refers to the attribute itself");
  assert_problem (python_mandatory, 16, 29, "InfraDevice.fqdn", "cannot be mandatory");
  /* Paths through optional cardinality-one relationships are fine. */
  g_assert_null (strstr (mixed, "x__y__"));
  {
    g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (core);
    g_autoptr(GError) error = NULL;

    bough_schema_builder_add_data (builder, mixed, -1, "t.yml", &error);
    g_assert_no_error (error);
    schema = bough_schema_builder_build (builder, &error);
    /* x__y is no path of InfraDevice: reported, the rest is accepted. */
    g_assert_null (schema);
    g_assert_nonnull (strstr (error->message, "'x__y'"));
    g_assert_null (strstr (error->message, "site__name__value"));
  }
}

static void
test_error_inheritance (void)
{
  assert_problem ("generics:\n  - name: Thing\n    namespace: Infra\n    attributes:\n"
                  "      - {name: name, kind: Text, allow_override: none}\n"
                  "nodes:\n  - name: Device\n    namespace: Infra\n    inherit_from: [InfraThing]\n"
                  "    attributes:\n      - {name: name, kind: Text, optional: true}\n",
                  11, 9, "InfraDevice.name", "cannot be overridden");
  assert_problem ("generics:\n  - name: Thing\n    namespace: Infra\n    attributes:\n"
                  "      - {name: name, kind: Text}\n"
                  "nodes:\n  - name: Device\n    namespace: Infra\n    inherit_from: [InfraThing]\n"
                  "    attributes:\n      - {name: name, kind: Number}\n",
                  11, 9, "InfraDevice.name", "must be of the same kind as in InfraThing");
  assert_problem ("generics:\n"
                  "  - {name: TreeA, namespace: Infra, hierarchical: true}\n"
                  "  - {name: TreeB, namespace: Infra, hierarchical: true}\n"
                  "nodes:\n  - name: Device\n    namespace: Infra\n    inherit_from: [InfraTreeA, InfraTreeB]\n",
                  7, 19, "InfraDevice.inherit_from", "only one hierarchical generic");
  assert_problem ("generics:\n"
                  "  - {name: IPPrefix, namespace: Builtin}\n",
                  2, 33, "BuiltinIPPrefix", "namespace 'Builtin' is restricted");
  /* A kind is a prefix or an address, not both. */
  {
    g_autoptr(BoughSchemaBuilder) ip = bough_schema_builder_new (core);
    g_autoptr(BoughSchemaBuilder) user = NULL;
    g_autoptr(BoughSchema) ip_core = NULL;
    g_autoptr(BoughSchema) schema = NULL;
    g_autoptr(GError) error = NULL;

    bough_schema_builder_set_internal (ip, TRUE);
    bough_schema_builder_add_data (ip, "generics:\n  - {name: IPPrefix, namespace: Builtin}\n"
                                   "  - {name: IPAddress, namespace: Builtin}\n", -1, "ip.yml", &error);
    g_assert_no_error (error);
    ip_core = bough_schema_builder_build (ip, &error);
    g_assert_no_error (error);
    user = bough_schema_builder_new (ip_core);
    bough_schema_builder_add_data (user, "nodes:\n  - name: Both\n    namespace: Ipam\n"
                                   "    inherit_from: [BuiltinIPPrefix, BuiltinIPAddress]\n", -1, "t.yml", &error);
    g_assert_no_error (error);
    schema = bough_schema_builder_build (user, &error);
    g_assert_null (schema);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
    g_assert_true (g_str_has_prefix (error->message,
                                     "t.yml:4:19: IpamBoth.inherit_from: cannot inherit from both"));
  }
}

static void
test_error_parse (void)
{
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (core);
  g_autoptr(GError) error = NULL;

  g_assert_false (bough_schema_builder_add_file (builder, "/nonexistent/schema.yml", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (bough_schema_builder_add_data (builder, "nodes:\n  - name: [\n", -1, "t.yml",
                                                 &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "t.yml:3:1: "));
  g_clear_error (&error);
  {
    GPtrArray *problems = bough_schema_builder_get_problems (builder);
    BoughSchemaProblem *p = g_ptr_array_index (problems, problems->len - 1);

    g_assert_cmpstr (p->loc.file, ==, "t.yml");
    g_assert_cmpuint (p->loc.line, ==, 3);
    g_assert_cmpuint (p->loc.column, ==, 1);
    g_assert_false (g_str_has_prefix (p->message, "t.yml"));
  }

  g_assert_false (bough_schema_builder_add_data (builder, "- a\n- b\n", -1, "t.yml", &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
  g_assert_true (g_str_has_prefix (error->message, "t.yml:1:1: must be a mapping") ||
                 strstr (error->message, "must be a mapping") != NULL);
}

static void
test_all_problems_listed (void)
{
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (core);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(BoughSchema) schema = NULL;

  bough_schema_builder_add_data (builder,
                                 "nodes:\n  - name: Device\n    namespace: Infra\n"
                                 "    attributes:\n"
                                 "      - {name: mtu, kind: Number, default_value: big}\n"
                                 "      - {name: status, kind: Dropdown}\n"
                                 "    relationships:\n"
                                 "      - {name: site, peer: InfraSite}\n",
                                 -1, "t.yml", &error);
  g_assert_no_error (error);
  schema = bough_schema_builder_build (builder, &error);
  g_assert_null (schema);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpuint (bough_schema_builder_get_problems (builder)->len, ==, 3);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (lines[i], "t.yml:"));
}

/* Processing */

static void
test_defaults (void)
{
  g_autoptr(BoughSchema) schema = build_from (core,
    "nodes:\n"
    "  - name: NetworkDevice\n"
    "    namespace: Infra\n"
    "    branch: agnostic\n"
    "    attributes:\n"
    "      - {name: host_name, kind: Text}\n"
    "      - {name: mtu, kind: Number, default_value: 1500}\n"
    "      - {name: note, kind: Text, optional: true, order_weight: 500}\n"
    "    relationships:\n"
    "      - {name: tags, peer: BuiltinTag}\n"
    "      - {name: parts, peer: InfraPart, kind: Component}\n"
    "      - {name: spare, peer: InfraPart, cardinality: one, identifier: spare_part}\n"
    "  - name: Part\n"
    "    namespace: Infra\n"
    "    branch: local\n"
    "    relationships:\n"
    "      - {name: device, peer: InfraNetworkDevice, kind: Parent, cardinality: one, optional: false}\n");
  BoughNodeSchema *node = bough_schema_lookup (schema, "InfraNetworkDevice");
  BoughAttributeSchema *host_name, *mtu, *note;
  BoughRelationshipSchema *tags, *parts, *spare, *device;

  g_assert_nonnull (node);
  g_assert_cmpstr (node->kind, ==, "InfraNetworkDevice");
  g_assert_cmpstr (node->label, ==, "Networkdevice");
  g_assert_true (node->include_in_menu);
  g_assert_true (node->generate_profile);
  g_assert_nonnull (node->id);

  host_name = bough_node_schema_get_attribute (node, "host_name");
  mtu = bough_node_schema_get_attribute (node, "mtu");
  note = bough_node_schema_get_attribute (node, "note");
  g_assert_cmpstr (host_name->label, ==, "Host Name");
  g_assert_false (host_name->optional);
  g_assert_cmpint (host_name->order_weight, ==, 1000);
  g_assert_cmpint (mtu->order_weight, ==, 2000);
  g_assert_cmpint (note->order_weight, ==, 500);
  /* Sorted by order weight. */
  g_assert_true (g_ptr_array_index (node->attributes, 0) == note);
  /* A default value satisfies a mandatory attribute. */
  g_assert_true (mtu->optional);
  g_assert_cmpint (host_name->branch, ==, BOUGH_BRANCH_SUPPORT_AGNOSTIC);

  tags = bough_node_schema_get_relationship (node, "tags");
  parts = bough_node_schema_get_relationship (node, "parts");
  spare = bough_node_schema_get_relationship (node, "spare");
  g_assert_true (tags->optional);
  g_assert_cmpint (tags->cardinality, ==, BOUGH_CARDINALITY_MANY);
  g_assert_cmpint (tags->kind, ==, BOUGH_RELATIONSHIP_KIND_GENERIC);
  g_assert_cmpint (tags->direction, ==, BOUGH_DIRECTION_BIDIRECTIONAL);
  g_assert_cmpstr (tags->label, ==, "Tags");
  g_assert_cmpint (tags->order_weight, ==, 4000);
  /* Identifier: the two kinds sorted, joined by "__", lower case. */
  g_assert_cmpstr (tags->identifier, ==, "builtintag__infranetworkdevice");
  g_assert_cmpstr (parts->identifier, ==, "infranetworkdevice__infrapart");
  g_assert_cmpstr (spare->identifier, ==, "spare_part");
  /* Branch: agnostic+aware peer -> aware; agnostic+local -> local. */
  g_assert_cmpint (tags->branch, ==, BOUGH_BRANCH_SUPPORT_AWARE);
  g_assert_cmpint (parts->branch, ==, BOUGH_BRANCH_SUPPORT_LOCAL);
  g_assert_cmpint (parts->on_delete, ==, BOUGH_ON_DELETE_CASCADE);
  g_assert_cmpint (tags->on_delete, ==, BOUGH_ON_DELETE_NO_ACTION);
  /* Cardinality one: counts 0..1 when optional, 1..1 when mandatory. */
  g_assert_cmpint (spare->min_count, ==, 0);
  g_assert_cmpint (spare->max_count, ==, 1);
  device = bough_node_schema_get_relationship (bough_schema_lookup (schema, "InfraPart"), "device");
  g_assert_cmpint (device->min_count, ==, 1);
  g_assert_cmpint (device->max_count, ==, 1);
  g_assert_cmpstr (device->identifier, ==, "infranetworkdevice__infrapart");

  /* Automatic relationships: groups and profiles exist in the mini core. */
  g_assert_nonnull (bough_node_schema_get_relationship (node, "member_of_groups"));
  g_assert_cmpstr (bough_node_schema_get_relationship (node, "member_of_groups")->peer, ==,
                   "CoreGroup");
  g_assert_cmpint (bough_node_schema_get_relationship (node, "subscriber_of_groups")->kind, ==,
                   BOUGH_RELATIONSHIP_KIND_GROUP);
  g_assert_cmpint (bough_node_schema_get_relationship (node, "profiles")->kind, ==,
                   BOUGH_RELATIONSHIP_KIND_PROFILE);
  g_assert_null (bough_node_schema_get_relationship (bough_schema_lookup (schema, "CoreGroup"),
                                                     "member_of_groups"));
}

/* `display`: parsed, defaulted, inherited, served, and reset to its default
 * when an element is given again without it (as the other defaulted fields). */
static void
test_display (void)
{
  g_autoptr(BoughSchema) schema = build_from (core,
    "generics:\n"
    "  - name: Generic\n"
    "    namespace: Infra\n"
    "    attributes:\n"
    "      - {name: notes, kind: TextArea, optional: true, display: extra}\n"
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    inherit_from: [InfraGeneric]\n"
    "    attributes:\n"
    "      - {name: name, kind: Text, display: default}\n"
    "      - {name: serial, kind: Text, optional: true, display: extra}\n"
    "      - {name: asset, kind: Text, optional: true}\n"
    "    relationships:\n"
    "      - {name: tags, peer: BuiltinTag, display: extra}\n"
    "      - {name: peers, peer: InfraDevice, identifier: device_peer}\n");
  g_autoptr(BoughSchema) again = NULL;
  g_autoptr(JsonNode) json = NULL;
  BoughNodeSchema *device = bough_schema_lookup (schema, "InfraDevice");
  JsonArray *attributes, *relationships;

  g_assert_cmpint (bough_node_schema_get_attribute (device, "name")->display, ==,
                   BOUGH_FIELD_DISPLAY_DEFAULT);
  g_assert_cmpint (bough_node_schema_get_attribute (device, "serial")->display, ==,
                   BOUGH_FIELD_DISPLAY_EXTRA);
  g_assert_cmpint (bough_node_schema_get_attribute (device, "asset")->display, ==,
                   BOUGH_FIELD_DISPLAY_DEFAULT);
  g_assert_cmpint (bough_node_schema_get_attribute (device, "notes")->display, ==,
                   BOUGH_FIELD_DISPLAY_EXTRA);
  g_assert_cmpint (bough_node_schema_get_relationship (device, "tags")->display, ==,
                   BOUGH_FIELD_DISPLAY_EXTRA);
  g_assert_cmpint (bough_node_schema_get_relationship (device, "peers")->display, ==,
                   BOUGH_FIELD_DISPLAY_DEFAULT);
  /* Automatic relationships have the default. */
  g_assert_cmpint (bough_node_schema_get_relationship (device, "member_of_groups")->display, ==,
                   BOUGH_FIELD_DISPLAY_DEFAULT);

  /* Every field of the JSON form carries it, as Infrahub's API does. */
  json = bough_node_schema_to_json (device);
  attributes = json_object_get_array_member (json_node_get_object (json), "attributes");
  relationships = json_object_get_array_member (json_node_get_object (json), "relationships");
  for (guint i = 0; i < json_array_get_length (attributes); i++)
    {
      JsonObject *attr = json_array_get_object_element (attributes, i);
      const char *name = json_object_get_string_member (attr, "name");
      gboolean extra = g_str_equal (name, "serial") || g_str_equal (name, "notes");

      g_assert_cmpstr (json_object_get_string_member_with_default (attr, "display", NULL), ==,
                       extra ? "extra" : "default");
    }
  for (guint i = 0; i < json_array_get_length (relationships); i++)
    {
      JsonObject *rel = json_array_get_object_element (relationships, i);
      const char *name = json_object_get_string_member (rel, "name");

      g_assert_cmpstr (json_object_get_string_member_with_default (rel, "display", NULL), ==,
                       g_str_equal (name, "tags") ? "extra" : "default");
    }

  /* Given again without display, a field takes the default again. */
  again = build_from (schema,
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    inherit_from: [InfraGeneric]\n"
    "    attributes:\n"
    "      - {name: serial, kind: Text, optional: true}\n"
    "      - {name: asset, kind: Text, optional: true, display: extra}\n"
    "    relationships:\n"
    "      - {name: tags, peer: BuiltinTag}\n");
  device = bough_schema_lookup (again, "InfraDevice");
  g_assert_cmpint (bough_node_schema_get_attribute (device, "serial")->display, ==,
                   BOUGH_FIELD_DISPLAY_DEFAULT);
  g_assert_cmpint (bough_node_schema_get_attribute (device, "asset")->display, ==,
                   BOUGH_FIELD_DISPLAY_EXTRA);
  g_assert_cmpint (bough_node_schema_get_relationship (device, "tags")->display, ==,
                   BOUGH_FIELD_DISPLAY_DEFAULT);
  g_assert_cmpstr (bough_schema_get_hash (schema), !=, bough_schema_get_hash (again));
}

/* Files written by `infrahubctl schema export` repeat each element's kind
 * and every field's display: they load, and say the same as without them. */
static void
test_export_keys (void)
{
  g_autoptr(BoughSchema) plain = build_from (core,
    "generics:\n"
    "  - name: Generic\n"
    "    namespace: Infra\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    inherit_from: [InfraGeneric]\n"
    "    relationships:\n"
    "      - {name: tags, peer: BuiltinTag}\n"
    "extensions:\n"
    "  nodes:\n"
    "    - kind: BuiltinTag\n"
    "      attributes:\n"
    "        - {name: color, kind: Color, optional: true}\n");
  g_autoptr(BoughSchema) exported = build_from (core,
    "generics:\n"
    "  - name: Generic\n"
    "    namespace: Infra\n"
    "    kind: InfraGeneric\n"
    "    attributes:\n"
    "      - {name: name, kind: Text, display: default}\n"
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    kind: InfraDevice\n"
    "    inherit_from: [InfraGeneric]\n"
    "    relationships:\n"
    "      - {name: tags, peer: BuiltinTag, display: default}\n"
    "extensions:\n"
    "  nodes:\n"
    "    - kind: BuiltinTag\n"
    "      attributes:\n"
    "        - {name: color, kind: Color, optional: true, display: default}\n");
  g_autoptr(BoughSchema) reloaded = NULL;

  g_assert_nonnull (bough_schema_lookup (exported, "InfraDevice"));
  g_assert_cmpstr (bough_schema_get_hash (plain), ==, bough_schema_get_hash (exported));

  /* Loading the export onto the schema it came from changes nothing. */
  reloaded = build_from (plain,
    "nodes:\n"
    "  - {name: Device, namespace: Infra, kind: InfraDevice, inherit_from: [InfraGeneric],"
    " relationships: [{name: tags, peer: BuiltinTag, display: default}]}\n");
  g_assert_cmpstr (bough_schema_get_hash (plain), ==, bough_schema_get_hash (reloaded));
}

static void
test_no_automatic_relationships_without_core (void)
{
  g_autoptr(BoughSchema) schema = build_from (NULL,
    "nodes:\n  - name: Device\n    namespace: Infra\n    attributes:\n      - {name: name, kind: Text}\n");
  BoughNodeSchema *node = bough_schema_lookup (schema, "InfraDevice");

  g_assert_cmpuint (node->relationships->len, ==, 0);
  g_assert_cmpuint (bough_schema_get_profiles (schema)->len, ==, 0);
}

static void
test_inheritance (void)
{
  g_autoptr(BoughSchema) schema = build_from (core,
    "generics:\n"
    "  - name: GenericDevice\n"
    "    namespace: Infra\n"
    "    human_friendly_id: [name__value]\n"
    "    order_by: [name__value]\n"
    "    icon: mdi:server\n"
    "    attributes:\n"
    "      - {name: name, kind: Text, unique: true}\n"
    "      - {name: description, kind: Text, optional: true}\n"
    "    relationships:\n"
    "      - {name: tags, peer: BuiltinTag}\n"
    "  - name: Endpoint\n"
    "    namespace: Infra\n"
    "    icon: mdi:plug\n"
    "    attributes:\n"
    "      - {name: port, kind: Number, optional: true}\n"
    "nodes:\n"
    "  - name: Router\n"
    "    namespace: Infra\n"
    "    inherit_from: [InfraGenericDevice, InfraEndpoint]\n"
    "    attributes:\n"
    "      - {name: description, kind: Text, optional: true, label: Notes}\n"
    "      - {name: asn, kind: Number, optional: true}\n"
    "  - name: Switch\n"
    "    namespace: Infra\n"
    "    icon: mdi:switch\n"
    "    inherit_from: [InfraGenericDevice]\n");
  BoughNodeSchema *router = bough_schema_lookup (schema, "InfraRouter");
  BoughNodeSchema *sw = bough_schema_lookup (schema, "InfraSwitch");
  BoughNodeSchema *generic = bough_schema_lookup (schema, "InfraGenericDevice");
  BoughAttributeSchema *name = bough_node_schema_get_attribute (router, "name");
  BoughAttributeSchema *description = bough_node_schema_get_attribute (router, "description");
  g_autoptr(GPtrArray) impl = NULL;

  g_assert_nonnull (name);
  g_assert_cmpstr (name->inherited_from, ==, "InfraGenericDevice");
  g_assert_true (name->unique);
  /* A local definition wins over the generic's. */
  g_assert_null (description->inherited_from);
  g_assert_cmpstr (description->label, ==, "Notes");
  g_assert_cmpstr (bough_node_schema_get_attribute (router, "port")->inherited_from, ==,
                   "InfraEndpoint");
  g_assert_cmpstr (bough_node_schema_get_relationship (router, "tags")->inherited_from, ==,
                   "InfraGenericDevice");
  /* The identifier of an inherited relationship is the generic's. */
  g_assert_cmpstr (bough_node_schema_get_relationship (router, "tags")->identifier, ==,
                   "builtintag__infragenericdevice");
  /* Node properties come from the first generic when unset. */
  g_assert_cmpstr (router->human_friendly_id[0], ==, "name__value");
  g_assert_cmpstr (router->icon, ==, "mdi:server");
  g_assert_cmpstr (sw->icon, ==, "mdi:switch");
  g_assert_cmpstr (router->order_by[0], ==, "name__value");

  g_assert_cmpuint (g_strv_length (generic->used_by), ==, 2);
  g_assert_cmpstr (generic->used_by[0], ==, "InfraRouter");
  g_assert_cmpstr (generic->used_by[1], ==, "InfraSwitch");
  g_assert_true (bough_schema_is_a (schema, "InfraRouter", "InfraEndpoint"));
  g_assert_true (bough_schema_is_a (schema, "InfraRouter", "InfraRouter"));
  g_assert_false (bough_schema_is_a (schema, "InfraSwitch", "InfraEndpoint"));
  g_assert_true (bough_schema_is_a (schema, "InfraSwitch", "CoreNode"));
  impl = bough_schema_get_implementors (schema, "InfraGenericDevice");
  g_assert_cmpuint (impl->len, ==, 2);
  g_assert_true (g_ptr_array_index (impl, 0) == router);
  g_clear_pointer (&impl, g_ptr_array_unref);
  impl = bough_schema_get_implementors (schema, "InfraSwitch");
  g_assert_cmpuint (impl->len, ==, 1);
  g_clear_pointer (&impl, g_ptr_array_unref);
  impl = bough_schema_get_implementors (schema, "InfraNothing");
  g_assert_cmpuint (impl->len, ==, 0);
}

static void
test_hierarchy (void)
{
  g_autoptr(BoughSchema) schema = build_from (core,
    "generics:\n"
    "  - name: Generic\n"
    "    namespace: Location\n"
    "    hierarchical: true\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "nodes:\n"
    "  - name: Region\n"
    "    namespace: Location\n"
    "    inherit_from: [LocationGeneric]\n"
    "    parent: ''\n"
    "    children: LocationSite\n"
    "  - name: Site\n"
    "    namespace: Location\n"
    "    inherit_from: [LocationGeneric]\n"
    "    parent: LocationRegion\n"
    "    children: ''\n"
    "  - name: Room\n"
    "    namespace: Location\n"
    "    hierarchy: LocationGeneric\n");
  BoughNodeSchema *region = bough_schema_lookup (schema, "LocationRegion");
  BoughNodeSchema *site = bough_schema_lookup (schema, "LocationSite");
  BoughNodeSchema *generic = bough_schema_lookup (schema, "LocationGeneric");
  BoughRelationshipSchema *rel;

  g_assert_cmpstr (region->hierarchy, ==, "LocationGeneric");
  g_assert_null (bough_node_schema_get_relationship (region, "parent"));
  rel = bough_node_schema_get_relationship (region, "children");
  g_assert_nonnull (rel);
  g_assert_cmpstr (rel->peer, ==, "LocationSite");
  g_assert_cmpint (rel->kind, ==, BOUGH_RELATIONSHIP_KIND_HIERARCHY);
  g_assert_cmpint (rel->direction, ==, BOUGH_DIRECTION_INBOUND);
  g_assert_true (rel->hierarchical);
  rel = bough_node_schema_get_relationship (site, "parent");
  g_assert_cmpstr (rel->peer, ==, "LocationRegion");
  g_assert_cmpint (rel->cardinality, ==, BOUGH_CARDINALITY_ONE);
  g_assert_cmpstr (rel->identifier, ==, "parent__child");
  g_assert_null (bough_node_schema_get_relationship (site, "children"));
  /* "hierarchy" alone: the generic is inherited, parent and children
   * default to it. */
  {
    BoughNodeSchema *room = bough_schema_lookup (schema, "LocationRoom");

    g_assert_true (g_strv_contains ((const char * const *) room->inherit_from, "LocationGeneric"));
    g_assert_cmpstr (bough_node_schema_get_attribute (room, "name")->inherited_from, ==,
                     "LocationGeneric");
    g_assert_cmpstr (room->parent, ==, "LocationGeneric");
    g_assert_cmpstr (bough_node_schema_get_relationship (room, "children")->peer, ==,
                     "LocationGeneric");
    g_assert_true (g_strv_contains ((const char * const *) generic->used_by, "LocationRoom"));
  }
  /* The hierarchical generic itself links to itself. */
  g_assert_cmpstr (bough_node_schema_get_relationship (generic, "parent")->peer, ==,
                   "LocationGeneric");
  g_assert_cmpstr (bough_node_schema_get_relationship (generic, "children")->peer, ==,
                   "LocationGeneric");
}

static void
test_hfid_uniqueness (void)
{
  g_autoptr(BoughSchema) schema = build_from (core,
    "nodes:\n"
    "  - name: Site\n"
    "    namespace: Infra\n"
    "    attributes:\n"
    "      - {name: name, kind: Text, unique: true}\n"
    "  - name: Rack\n"
    "    namespace: Infra\n"
    "    human_friendly_id: [site__name__value, name__value]\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "    relationships:\n"
    "      - {name: site, peer: InfraSite, cardinality: one, optional: false}\n"
    "  - name: Port\n"
    "    namespace: Infra\n"
    "    uniqueness_constraints: [[number__value]]\n"
    "    attributes:\n"
    "      - {name: number, kind: Number}\n"
    "  - name: Cable\n"
    "    namespace: Infra\n"
    "    human_friendly_id: [label__value]\n"
    "    uniqueness_constraints: [[label__value, color__value]]\n"
    "    attributes:\n"
    "      - {name: label, kind: Text}\n"
    "      - {name: color, kind: Text}\n");
  BoughNodeSchema *site = bough_schema_lookup (schema, "InfraSite");
  BoughNodeSchema *rack = bough_schema_lookup (schema, "InfraRack");
  BoughNodeSchema *port = bough_schema_lookup (schema, "InfraPort");
  BoughNodeSchema *cable = bough_schema_lookup (schema, "InfraCable");
  char **c;

  /* unique attribute -> uniqueness constraint and hfid */
  g_assert_cmpuint (site->uniqueness_constraints->len, ==, 1);
  c = g_ptr_array_index (site->uniqueness_constraints, 0);
  g_assert_cmpstr (c[0], ==, "name__value");
  g_assert_cmpstr (site->human_friendly_id[0], ==, "name__value");
  g_assert_null (site->human_friendly_id[1]);
  /* hfid -> constraint; relationship paths become the relationship name */
  g_assert_cmpuint (rack->uniqueness_constraints->len, ==, 1);
  c = g_ptr_array_index (rack->uniqueness_constraints, 0);
  g_assert_cmpuint (g_strv_length (c), ==, 2);
  g_assert_cmpstr (c[0], ==, "site");
  g_assert_cmpstr (c[1], ==, "name__value");
  /* single-attribute constraint -> the attribute is unique, and the hfid */
  g_assert_true (bough_node_schema_get_attribute (port, "number")->unique);
  g_assert_cmpstr (port->human_friendly_id[0], ==, "number__value");
  /* an explicit constraint is kept, and the hfid is added as another one
   * (newer Infrahub), which makes its single attribute unique */
  g_assert_cmpuint (cable->uniqueness_constraints->len, ==, 2);
  c = g_ptr_array_index (cable->uniqueness_constraints, 0);
  g_assert_cmpuint (g_strv_length (c), ==, 2);
  c = g_ptr_array_index (cable->uniqueness_constraints, 1);
  g_assert_cmpstr (c[0], ==, "label__value");
  g_assert_null (c[1]);
  g_assert_true (bough_node_schema_get_attribute (cable, "label")->unique);
  g_assert_false (bough_node_schema_get_attribute (cable, "color")->unique);
  /* and nothing changes on the next build */
  {
    g_autoptr(BoughSchema) again = build_from (schema, "");

    g_assert_cmpstr (bough_schema_get_hash (again), ==, bough_schema_get_hash (schema));
  }
}

static void
test_profiles (void)
{
  g_autoptr(BoughSchema) schema = build_from (core,
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    attributes:\n"
    "      - {name: name, kind: Text, unique: true}\n"
    "      - {name: description, kind: Text, optional: true}\n"
    "      - {name: serial, kind: Text, optional: true, read_only: true}\n"
    "  - name: Quiet\n"
    "    namespace: Infra\n"
    "    generate_profile: false\n");
  BoughNodeSchema *profile = bough_schema_lookup (schema, "ProfileInfraDevice");
  BoughRelationshipSchema *rel;

  g_assert_nonnull (profile);
  g_assert_true (profile->is_profile);
  g_assert_null (bough_schema_lookup (schema, "ProfileInfraQuiet"));
  g_assert_cmpuint (bough_schema_get_profiles (schema)->len, ==, 2);
  g_assert_nonnull (bough_node_schema_get_attribute (profile, "profile_name"));
  g_assert_nonnull (bough_node_schema_get_attribute (profile, "profile_priority"));
  g_assert_true (bough_node_schema_get_attribute (profile, "description")->optional);
  /* Mandatory and read-only attributes are not part of a profile. */
  g_assert_null (bough_node_schema_get_attribute (profile, "name"));
  g_assert_null (bough_node_schema_get_attribute (profile, "serial"));
  rel = bough_node_schema_get_relationship (profile, "related_nodes");
  g_assert_cmpstr (rel->peer, ==, "InfraDevice");
  g_assert_true (g_strv_contains ((const char * const *) profile->inherit_from, "CoreProfile"));
  g_assert_true (bough_schema_is_a (schema, "ProfileInfraDevice", "CoreProfile"));
  /* Builtin kinds are user data: they get profiles and are CoreNodes; Core
   * kinds do not. */
  g_assert_nonnull (bough_schema_lookup (schema, "ProfileBuiltinTag"));
  g_assert_true (bough_schema_is_a (schema, "BuiltinTag", "CoreNode"));
  g_assert_nonnull (bough_node_schema_get_relationship (bough_schema_lookup (schema, "BuiltinTag"),
                                                        "profiles"));
  g_assert_null (bough_schema_lookup (schema, "ProfileCoreStandardGroup"));
  g_assert_null (bough_node_schema_get_relationship (bough_schema_lookup (schema,
                                                                          "CoreStandardGroup"), "profiles"));
  g_assert_true (bough_schema_is_a (schema, "CoreStandardGroup", "CoreNode"));
}

static void
test_templates (void)
{
  g_autoptr(BoughSchema) schema = build_from (core,
    "generics:\n"
    "  - name: Interface\n"
    "    namespace: Infra\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "    relationships:\n"
    "      - {name: device, peer: InfraDevice, kind: Parent, cardinality: one, optional: false,\n"
    "         identifier: device__interface}\n"
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    generate_template: true\n"
    "    attributes:\n"
    "      - {name: name, kind: Text, unique: true}\n"
    "      - {name: role, kind: Text, optional: true}\n"
    "    relationships:\n"
    "      - {name: interfaces, peer: InfraInterface, kind: Component, identifier: device__interface}\n"
    "      - {name: primary_tag, peer: BuiltinTag, kind: Attribute, cardinality: one}\n"
    "  - name: Port\n"
    "    namespace: Infra\n"
    "    inherit_from: [InfraInterface]\n");
  BoughNodeSchema *device = bough_schema_lookup (schema, "InfraDevice");
  BoughNodeSchema *tdevice = bough_schema_lookup (schema, "TemplateInfraDevice");
  BoughNodeSchema *tinterface = bough_schema_lookup (schema, "TemplateInfraInterface");
  BoughNodeSchema *tport = bough_schema_lookup (schema, "TemplateInfraPort");
  BoughRelationshipSchema *rel;
  char **uc;

  g_assert_nonnull (tdevice);
  g_assert_true (tdevice->is_template);
  g_assert_false (tdevice->is_generic);
  g_assert_nonnull (tinterface);
  g_assert_true (tinterface->is_generic && tinterface->is_template);
  g_assert_nonnull (tport);
  g_assert_null (bough_schema_lookup (schema, "TemplateBuiltinTag"));
  g_assert_cmpuint (bough_schema_get_templates (schema)->len, ==, 2);

  /* The template of the requested kind: optional copies, no unique ones. */
  g_assert_nonnull (bough_node_schema_get_attribute (tdevice, "template_name"));
  g_assert_null (bough_node_schema_get_attribute (tdevice, "name"));
  g_assert_true (bough_node_schema_get_attribute (tdevice, "role")->optional);
  rel = bough_node_schema_get_relationship (tdevice, "interfaces");
  g_assert_cmpstr (rel->peer, ==, "TemplateInfraInterface");
  g_assert_cmpstr (rel->identifier, ==, "template_device__interface");
  g_assert_cmpstr (rel->label, ==, "Interfaces Template");
  g_assert_cmpstr (bough_node_schema_get_relationship (tdevice, "primary_tag")->peer, ==,
                   "BuiltinTag");
  g_assert_cmpstr (bough_node_schema_get_relationship (tdevice, "related_nodes")->peer, ==,
                   "InfraDevice");
  g_assert_true (g_strv_contains ((const char * const *) tdevice->inherit_from,
                                  "CoreObjectTemplate"));

  /* Component templates keep the mandatory flags and link to their parent. */
  g_assert_true (g_strv_contains ((const char * const *) tport->inherit_from,
                                  "CoreObjectComponentTemplate"));
  g_assert_true (g_strv_contains ((const char * const *) tport->inherit_from,
                                  "TemplateInfraInterface"));
  g_assert_false (bough_node_schema_get_attribute (tport, "name")->optional);
  rel = bough_node_schema_get_relationship (tport, "device");
  g_assert_cmpstr (rel->peer, ==, "TemplateInfraDevice");
  g_assert_cmpint (rel->kind, ==, BOUGH_RELATIONSHIP_KIND_PARENT);
  g_assert_cmpstr (tport->human_friendly_id[0], ==, "device__template_name__value");
  uc = g_ptr_array_index (tport->uniqueness_constraints, 0);
  g_assert_cmpstr (uc[0], ==, "template_name__value");
  g_assert_cmpstr (uc[1], ==, "device");
  g_assert_cmpstr (tinterface->used_by[0], ==, "TemplateInfraPort");

  rel = bough_node_schema_get_relationship (device, "object_template");
  g_assert_nonnull (rel);
  g_assert_cmpstr (rel->peer, ==, "TemplateInfraDevice");
  g_assert_cmpint (rel->cardinality, ==, BOUGH_CARDINALITY_ONE);
  g_assert_null (bough_node_schema_get_relationship (bough_schema_lookup (schema, "InfraPort"),
                                                     "object_template"));
  g_assert_true (bough_schema_is_a (schema, "TemplateInfraDevice", "CoreObjectTemplate"));

  /* Round trip and rebuild keep everything. */
  {
    g_autoptr(JsonNode) json = bough_schema_to_json (schema);
    g_autoptr(GError) error = NULL;
    g_autoptr(BoughSchema) back = bough_schema_new_from_json (json, &error);
    g_autoptr(BoughSchema) rebuilt = build_from (schema, "");

    g_assert_no_error (error);
    g_assert_cmpstr (bough_schema_get_hash (back), ==, bough_schema_get_hash (schema));
    g_assert_true (bough_schema_lookup (back, "TemplateInfraInterface")->is_template);
    g_assert_cmpuint (bough_schema_get_templates (back)->len, ==, 2);
    g_assert_cmpstr (bough_schema_get_hash (rebuilt), ==, bough_schema_get_hash (schema));
  }
}

/* Declarative loading */

static void
test_incremental (void)
{
  g_autoptr(BoughSchema) first = build_from (core,
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    label: Device\n"
    "    attributes:\n"
    "      - {name: name, kind: Text}\n"
    "      - {name: serial, kind: Text, optional: true}\n"
    "      - {name: legacy, kind: Text, optional: true}\n"
    "  - name: Old\n"
    "    namespace: Infra\n");
  g_autoptr(BoughSchema) second = NULL;
  g_autoptr(BoughSchema) third = NULL;
  g_autofree char *rename_text = NULL;
  BoughNodeSchema *device;
  BoughAttributeSchema *serial;
  char *serial_id;

  /* Missing elements stay; present ones are updated field by field;
   * state: absent removes; extensions add to existing kinds. */
  second = build_from (first,
    "nodes:\n"
    "  - name: Device\n"
    "    namespace: Infra\n"
    "    description: Updated\n"
    "    attributes:\n"
    "      - {name: legacy, kind: Text, state: absent}\n"
    "      - {name: serial, kind: Text, optional: true, label: Serial Number}\n"
    "  - name: Old\n"
    "    namespace: Infra\n"
    "    state: absent\n"
    "extensions:\n"
    "  nodes:\n"
    "    - kind: BuiltinTag\n"
    "      attributes:\n"
    "        - {name: color, kind: Color, optional: true}\n");
  device = bough_schema_lookup (second, "InfraDevice");
  g_assert_cmpstr (device->label, ==, "Device");
  g_assert_cmpstr (device->description, ==, "Updated");
  g_assert_nonnull (bough_node_schema_get_attribute (device, "name"));
  g_assert_null (bough_node_schema_get_attribute (device, "legacy"));
  serial = bough_node_schema_get_attribute (device, "serial");
  g_assert_cmpstr (serial->label, ==, "Serial Number");
  g_assert_null (bough_schema_lookup (second, "InfraOld"));
  g_assert_nonnull (bough_node_schema_get_attribute (bough_schema_lookup (second, "BuiltinTag"),
                                                     "color"));
  /* Ids are kept across loads. */
  g_assert_cmpstr (serial->id, ==,
                   bough_node_schema_get_attribute (bough_schema_lookup (first, "InfraDevice"),
                                                    "serial")->id);

  /* Renames: an attribute and a node found by their id. */
  serial_id = serial->id;
  rename_text = g_strdup_printf ("nodes:\n"
                                 "  - name: Appliance\n"
                                 "    namespace: Infra\n"
                                 "    id: %s\n"
                                 "    attributes:\n"
                                 "      - {name: serial_number, id: %s, kind: Text, optional: true}\n",
                                 device->id, serial_id);
  third = build_from (second, rename_text);
  g_assert_null (bough_schema_lookup (third, "InfraDevice"));
  device = bough_schema_lookup (third, "InfraAppliance");
  g_assert_nonnull (device);
  g_assert_null (bough_node_schema_get_attribute (device, "serial"));
  g_assert_cmpstr (bough_node_schema_get_attribute (device, "serial_number")->id, ==, serial_id);
  g_assert_cmpstr (bough_node_schema_get_attribute (device, "serial_number")->label, ==,
                   "Serial Number");
  g_assert_nonnull (bough_node_schema_get_attribute (device, "name"));
}

static void
test_core_restricted_internal (void)
{
  g_autoptr(BoughSchemaBuilder) builder = bough_schema_builder_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = NULL;

  bough_schema_builder_set_internal (builder, TRUE);
  bough_schema_builder_add_data (builder, "nodes:\n  - {name: Thing, namespace: Core}\n", -1,
                                 "core.yml", &error);
  g_assert_no_error (error);
  schema = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bough_schema_lookup (schema, "CoreThing"));
}

static void
test_new_core (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = bough_schema_new_core (&error);

  g_assert_no_error (error);
  g_assert_nonnull (schema);
  g_assert_nonnull (bough_schema_lookup (schema, "LineageOwner"));
  g_assert_nonnull (bough_schema_lookup (schema, "CoreNode"));
}

/* Hashes and JSON */

static const char hash_text[] =
  "generics:\n"
  "  - name: Generic\n"
  "    namespace: Infra\n"
  "    attributes:\n"
  "      - {name: name, kind: Text, unique: true}\n"
  "nodes:\n"
  "  - name: Device\n"
  "    namespace: Infra\n"
  "    inherit_from: [InfraGeneric]\n"
  "    attributes:\n"
  "      - name: status\n"
  "        kind: Dropdown\n"
  "        choices: [{name: up, color: '#00ff00'}, {name: down}]\n"
  "        default_value: up\n"
  "      - {name: mtu, kind: Number, parameters: {min_value: 64}, enum: [1500, 9000], default_value: 1500}\n"
  "      - {name: code, kind: Text, regex: '^[A-Z]+$', min_length: 1, max_length: 8, optional: true, display: extra}\n"
  "      - name: fqdn\n"
  "        kind: Text\n"
  "        read_only: true\n"
  "        computed_attribute: {kind: Jinja2, jinja2_template: '{{ name__value }}.example.net'}\n"
  "    relationships:\n"
  "      - {name: tags, peer: BuiltinTag, kind: Attribute, direction: outbound, common_relatives: [tags]}\n"
  "      - {name: peers, peer: InfraDevice, identifier: device_peer, max_count: 4, display: extra}\n"
  "  - name: VeryLongNodeNameForProfiles\n"
  "    namespace: Infrastructure\n"
  "    attributes:\n"
  "      - {name: note, kind: Text, optional: true}\n";

static void
test_hash_stability (void)
{
  g_autoptr(BoughSchema) a = build_from (core, hash_text);
  g_autoptr(BoughSchema) b = build_from (core, hash_text);
  g_autoptr(BoughSchema) c = NULL;
  g_autoptr(BoughSchema) d = NULL;
  BoughNodeSchema *na, *nc;

  g_assert_cmpuint (strlen (bough_schema_get_hash (a)), ==, 64);
  g_assert_cmpstr (bough_schema_get_hash (a), ==, bough_schema_get_hash (b));
  g_assert_cmpstr (bough_schema_lookup (a, "InfraDevice")->hash, ==,
                   bough_schema_lookup (b, "InfraDevice")->hash);

  /* One changed label changes that element's hash and the main hash only. */
  c = build_from (a,
                  "nodes:\n  - {name: Device, namespace: Infra, label: Box, inherit_from: [InfraGeneric]}\n");
  na = bough_schema_lookup (a, "InfraDevice");
  nc = bough_schema_lookup (c, "InfraDevice");
  g_assert_cmpstr (bough_schema_get_hash (a), !=, bough_schema_get_hash (c));
  g_assert_cmpstr (na->hash, !=, nc->hash);
  g_assert_cmpstr (bough_schema_lookup (a, "InfraGeneric")->hash, ==,
                   bough_schema_lookup (c, "InfraGeneric")->hash);

  /* Rebuilding a snapshot without changes keeps its hash. */
  d = build_from (a, "");
  g_assert_cmpstr (bough_schema_get_hash (a), ==, bough_schema_get_hash (d));
}

static void
test_json_round_trip (void)
{
  g_autoptr(BoughSchema) a = build_from (core, hash_text);
  g_autoptr(JsonNode) json = bough_schema_to_json (a);
  g_autoptr(BoughSchema) b = NULL;
  g_autoptr(JsonNode) json2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  JsonObject *root = json_node_get_object (json);
  JsonObject *device = NULL;
  JsonArray *nodes = json_object_get_array_member (root, "nodes");
  BoughNodeSchema *node;
  BoughAttributeSchema *fqdn;

  g_assert_cmpstr (json_object_get_string_member (root, "main"), ==, bough_schema_get_hash (a));
  g_assert_true (json_object_has_member (root, "generics"));
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (nodes, i),
                                                    "kind"), "InfraDevice"))
      device = json_array_get_object_element (nodes, i);
  g_assert_nonnull (device);
  g_assert_cmpstr (json_object_get_string_member (device, "namespace"), ==, "Infra");
  g_assert_true (json_object_has_member (device, "id"));
  g_assert_true (json_object_has_member (device, "hash"));
  g_assert_true (json_object_has_member (device, "inherit_from"));
  g_assert_true (json_object_has_member (device, "uniqueness_constraints"));

  /* Through text, as the store persists it. */
  text = json_to_string (json, FALSE);
  parsed = json_from_string (text, &error);
  g_assert_no_error (error);
  b = bough_schema_new_from_json (parsed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bough_schema_get_hash (a), ==, bough_schema_get_hash (b));
  json2 = bough_schema_to_json (b);
  text2 = json_to_string (json2, FALSE);
  g_assert_cmpstr (text, ==, text2);

  node = bough_schema_lookup (b, "InfraDevice");
  g_assert_cmpstr (bough_node_schema_get_attribute (node, "name")->inherited_from, ==,
                   "InfraGeneric");
  fqdn = bough_node_schema_get_attribute (node, "fqdn");
  g_assert_nonnull (fqdn->computed_attribute);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (fqdn->computed_attribute),
                                                  "kind"), ==,
                   "Jinja2");
  g_assert_nonnull (bough_node_schema_get_attribute (node, "code")->compiled_regex);
  g_assert_cmpint (bough_node_schema_get_attribute (node, "code")->display, ==,
                   BOUGH_FIELD_DISPLAY_EXTRA);
  g_assert_cmpint (bough_node_schema_get_attribute (node, "status")->display, ==,
                   BOUGH_FIELD_DISPLAY_DEFAULT);
  g_assert_cmpint (bough_node_schema_get_relationship (node, "peers")->display, ==,
                   BOUGH_FIELD_DISPLAY_EXTRA);
  g_assert_cmpuint (bough_node_schema_get_attribute (node, "status")->choices->len, ==, 2);
  g_assert_cmpint (bough_node_schema_get_relationship (node, "tags")->direction, ==,
                   BOUGH_DIRECTION_OUTBOUND);
  g_assert_cmpuint (bough_schema_get_profiles (b)->len, ==, bough_schema_get_profiles (a)->len);
  /* Profile names are kinds and may be longer than user names. */
  g_assert_nonnull (bough_schema_lookup (b, "ProfileInfrastructureVeryLongNodeNameForProfiles"));

  /* A snapshot read back can be the base of a new load. */
  {
    g_autoptr(BoughSchema) c = build_from (b,
                                           "nodes:\n  - {name: Device, namespace: Infra, label: Box, inherit_from: [InfraGeneric]}\n");
    g_autoptr(BoughSchema) d = build_from (a,
                                           "nodes:\n  - {name: Device, namespace: Infra, label: Box, inherit_from: [InfraGeneric]}\n");

    g_assert_cmpstr (bough_schema_get_hash (c), ==, bough_schema_get_hash (d));
  }
}

static void
test_json_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bad = json_from_string ("{\"nodes\": [{\"name\": \"x\", \"namespace\": \"Infra\","
                                              " \"attributes\": [{\"name\": \"a1\", \"kind\": \"Nope\"}]}]}",
                                              &error);
  g_autoptr(JsonNode) array = json_from_string ("[]", &error);
  g_autoptr(BoughSchema) schema = NULL;

  g_assert_no_error (error);
  schema = bough_schema_new_from_json (bad, &error);
  g_assert_null (schema);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "unknown attribute kind 'Nope'"));
  g_clear_error (&error);
  schema = bough_schema_new_from_json (array, &error);
  g_assert_null (schema);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  builder = bough_schema_builder_new (NULL);
  bough_schema_builder_set_internal (builder, TRUE);
  bough_schema_builder_add_data (builder, mini_core, -1, "mini-core.yml", &error);
  g_assert_no_error (error);
  core = bough_schema_builder_build (builder, &error);
  g_assert_no_error (error);

  g_test_add_func ("/schema/error/names", test_error_names);
  g_test_add_func ("/schema/error/kinds-and-enums", test_error_kinds_and_enums);
  g_test_add_func ("/schema/error/unknown-keys", test_error_unknown_keys);
  g_test_add_func ("/schema/error/display", test_error_display);
  g_test_add_func ("/schema/error/element-kind", test_error_element_kind);
  g_test_add_func ("/schema/error/duplicates", test_error_duplicates);
  g_test_add_func ("/schema/error/references", test_error_references);
  g_test_add_func ("/schema/error/paths", test_error_paths);
  g_test_add_func ("/schema/error/order-by", test_order_by_grammar);
  g_test_add_func ("/schema/error/relationships", test_error_relationships);
  g_test_add_func ("/schema/error/attributes", test_error_attributes);
  g_test_add_func ("/schema/error/computed", test_error_computed);
  g_test_add_func ("/schema/error/inheritance", test_error_inheritance);
  g_test_add_func ("/schema/error/parse", test_error_parse);
  g_test_add_func ("/schema/error/all-listed", test_all_problems_listed);
  g_test_add_func ("/schema/defaults", test_defaults);
  g_test_add_func ("/schema/display", test_display);
  g_test_add_func ("/schema/export-keys", test_export_keys);
  g_test_add_func ("/schema/no-automatic-relationships",
                   test_no_automatic_relationships_without_core);
  g_test_add_func ("/schema/inheritance", test_inheritance);
  g_test_add_func ("/schema/hierarchy", test_hierarchy);
  g_test_add_func ("/schema/hfid-uniqueness", test_hfid_uniqueness);
  g_test_add_func ("/schema/profiles", test_profiles);
  g_test_add_func ("/schema/templates", test_templates);
  g_test_add_func ("/schema/incremental", test_incremental);
  g_test_add_func ("/schema/internal", test_core_restricted_internal);
  g_test_add_func ("/schema/new-core", test_new_core);
  g_test_add_func ("/schema/hash-stability", test_hash_stability);
  g_test_add_func ("/schema/json-round-trip", test_json_round_trip);
  g_test_add_func ("/schema/json-invalid", test_json_invalid);

  ret = g_test_run ();
  bough_schema_unref (core);
  return ret;
}
