/* test-yaml.c: the YAML/JSON parser: scalar resolution, anchors, JSON
 * input, documents, errors with line and column, duplicate keys.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-yaml"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "bough-error.h"
#include "schema/bough-yaml.h"

static BoughYamlDocument *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  BoughYamlDocument *doc = bough_yaml_parse (text, -1, "test.yml", &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static void
assert_parse_error (const char *text,
                    const char *expected_prefix,
                    const char *expected_fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughYamlDocument) doc = bough_yaml_parse (text, -1, "bad.yml", &error);

  g_assert_null (doc);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PARSE);
  if (!g_str_has_prefix (error->message, expected_prefix))
    g_error ("message '%s' does not start with '%s'", error->message, expected_prefix);
  if (expected_fragment != NULL && strstr (error->message, expected_fragment) == NULL)
    g_error ("message '%s' does not contain '%s'", error->message, expected_fragment);
}

static JsonObject *
root_object (BoughYamlDocument *doc)
{
  JsonNode *root = bough_yaml_document_get_root (doc);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

static void
test_scalars (void)
{
  g_autoptr(BoughYamlDocument) doc = parse_ok (
    "a: 12\n"
    "b: -7\n"
    "c: 0x1F\n"
    "d: 0o17\n"
    "e: 1.5\n"
    "f: 1e3\n"
    "g: true\n"
    "h: False\n"
    "i: null\n"
    "j: ~\n"
    "k:\n"
    "l: hello\n"
    "m: '12'\n"
    "n: \"true\"\n"
    "o: yes\n"
    "p: 1.0.0\n"
    "q: .inf\n"
    "r: !!str 42\n"
    "s: |\n"
    "  line one\n"
    "  line two\n"
    "t: 99999999999999999999\n");
  JsonObject *obj = root_object (doc);

  g_assert_cmpint (json_object_get_int_member (obj, "a"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (obj, "b"), ==, -7);
  g_assert_cmpint (json_object_get_int_member (obj, "c"), ==, 31);
  g_assert_cmpint (json_object_get_int_member (obj, "d"), ==, 15);
  g_assert_cmpfloat (json_object_get_double_member (obj, "e"), ==, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (obj, "f"), ==, 1000.0);
  g_assert_true (json_object_get_boolean_member (obj, "g"));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (obj, "h")), ==,
                   G_TYPE_BOOLEAN);
  g_assert_false (json_object_get_boolean_member (obj, "h"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "i")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "j")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "k")));
  g_assert_cmpstr (json_object_get_string_member (obj, "l"), ==, "hello");
  /* Quoted scalars stay strings; YAML 1.1 booleans (yes/no) are strings. */
  g_assert_cmpstr (json_object_get_string_member (obj, "m"), ==, "12");
  g_assert_cmpstr (json_object_get_string_member (obj, "n"), ==, "true");
  g_assert_cmpstr (json_object_get_string_member (obj, "o"), ==, "yes");
  g_assert_cmpstr (json_object_get_string_member (obj, "p"), ==, "1.0.0");
  g_assert_true (isinf (json_object_get_double_member (obj, "q")));
  g_assert_cmpstr (json_object_get_string_member (obj, "r"), ==, "42");
  g_assert_cmpstr (json_object_get_string_member (obj, "s"), ==, "line one\nline two\n");
  /* Too large for an int64: a float, not a wrapped integer. */
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (obj, "t")), ==, G_TYPE_DOUBLE);
}

static void
test_anchors (void)
{
  g_autoptr(BoughYamlDocument) doc = parse_ok (
    "base: &b\n"
    "  kind: Text\n"
    "  optional: true\n"
    "copy: *b\n"
    "merged:\n"
    "  <<: *b\n"
    "  optional: false\n"
    "list: [&x 5, *x]\n");
  JsonObject *obj = root_object (doc);
  JsonObject *copy = json_object_get_object_member (obj, "copy");
  JsonObject *merged = json_object_get_object_member (obj, "merged");
  JsonArray *list = json_object_get_array_member (obj, "list");
  BoughSourceLoc loc;

  g_assert_cmpstr (json_object_get_string_member (copy, "kind"), ==, "Text");
  g_assert_true (json_object_get_boolean_member (copy, "optional"));
  /* The copy is a distinct tree located at the alias. */
  g_assert_true (json_object_get_object_member (obj, "base") != copy);
  g_assert_true (bough_yaml_document_get_location (doc, json_object_get_member (obj, "copy"),
                                                   &loc));
  g_assert_cmpuint (loc.line, ==, 4);
  g_assert_cmpuint (loc.column, ==, 7);
  /* Merge keys: explicit keys win over merged ones. */
  g_assert_cmpstr (json_object_get_string_member (merged, "kind"), ==, "Text");
  g_assert_false (json_object_get_boolean_member (merged, "optional"));
  g_assert_cmpint (json_array_get_int_element (list, 1), ==, 5);

  assert_parse_error ("a: *nothing\n", "bad.yml:1:4:", "unknown anchor 'nothing'");
}

static void
test_alias_bomb (void)
{
  GString *s = g_string_new ("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");

  for (guint i = 1; i < 10; i++)
    g_string_append_printf (s,
                            "a%u: &a%u [*a%u, *a%u, *a%u, *a%u, *a%u, *a%u, *a%u, *a%u, *a%u, *a%u]\n",
                            i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
  assert_parse_error (s->str, "bad.yml:", "too large");
  g_string_free (s, TRUE);
}

static void
test_json_input (void)
{
  g_autoptr(BoughYamlDocument) doc = parse_ok (
    "{\"version\": \"1.0\",\n"
    " \"nodes\": [{\"name\": \"Device\", \"count\": 3, \"ratio\": 0.5,\n"
    "            \"on\": true, \"none\": null, \"text\": \"12\"}]}\n");
  JsonObject *obj = root_object (doc);
  JsonObject *node = json_array_get_object_element (json_object_get_array_member (obj, "nodes"), 0);
  BoughSourceLoc loc;

  g_assert_cmpstr (json_object_get_string_member (obj, "version"), ==, "1.0");
  g_assert_cmpint (json_object_get_int_member (node, "count"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (node, "ratio"), ==, 0.5);
  g_assert_true (json_object_get_boolean_member (node, "on"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (node, "none")));
  g_assert_cmpstr (json_object_get_string_member (node, "text"), ==, "12");

  g_assert_true (bough_yaml_document_get_location (doc, json_object_get_member (node, "count"),
                                                   &loc));
  g_assert_cmpstr (loc.file, ==, "test.yml");
  g_assert_cmpuint (loc.line, ==, 2);
  g_assert_cmpuint (loc.column, ==, 40);
}

static void
test_locations (void)
{
  g_autoptr(BoughYamlDocument) doc = parse_ok (
    "---\n"
    "nodes:\n"
    "  - name: Device\n"
    "    attributes:\n"
    "      - name: hostname\n"
    "        kind: Text\n");
  JsonObject *obj = root_object (doc);
  JsonArray *nodes = json_object_get_array_member (obj, "nodes");
  JsonObject *node = json_array_get_object_element (nodes, 0);
  JsonArray *attrs = json_object_get_array_member (node, "attributes");
  BoughSourceLoc loc;

  g_assert_true (bough_yaml_document_get_location (doc, json_array_get_element (nodes, 0), &loc));
  g_assert_cmpuint (loc.line, ==, 3);
  g_assert_cmpuint (loc.column, ==, 5);
  g_assert_true (bough_yaml_document_get_location (doc, json_array_get_element (attrs, 0), &loc));
  g_assert_cmpuint (loc.line, ==, 5);
  g_assert_cmpuint (loc.column, ==, 9);
  g_assert_true (bough_yaml_document_get_key_location (doc,
                                                       json_array_get_object_element (attrs, 0),
                                                       "kind", &loc));
  g_assert_cmpuint (loc.line, ==, 6);
  g_assert_cmpuint (loc.column, ==, 9);
  g_assert_false (bough_yaml_document_get_key_location (doc, node, "missing", &loc));
  g_assert_cmpuint (loc.line, ==, 0);
}

static void
test_documents (void)
{
  g_autoptr(BoughYamlDocument) empty = parse_ok ("");
  g_autoptr(BoughYamlDocument) comments = parse_ok ("# only a comment\n");
  g_autoptr(BoughYamlDocument) several = parse_ok ("---\n---\nname: x\n---\n...\n");

  g_assert_true (JSON_NODE_HOLDS_NULL (bough_yaml_document_get_root (empty)));
  g_assert_true (JSON_NODE_HOLDS_NULL (bough_yaml_document_get_root (comments)));
  g_assert_cmpstr (json_object_get_string_member (root_object (several), "name"), ==, "x");

  assert_parse_error ("---\na: 1\n---\nb: 2\n", "bad.yml:3:1:", "several non-empty documents");
}

static void
test_errors (void)
{
  assert_parse_error ("nodes:\n  - name: x\n   kind: y\n", "bad.yml:3:", NULL);
  assert_parse_error ("a: [1, 2\n", "bad.yml:", NULL);
  assert_parse_error ("a: 'unterminated\n", "bad.yml:", "quoted scalar");
  assert_parse_error ("{\"a\": 1,, }", "bad.yml:1:", NULL);
  assert_parse_error ("a: !custom 1\n", "bad.yml:1:4:", "unsupported tag");
  assert_parse_error ("a: !!int abc\n", "bad.yml:1:4:", "does not match tag");
  assert_parse_error ("? [a, b]\n: 1\n", "bad.yml:1:3:", "mapping keys must be scalars");
}

static void
test_duplicate_keys (void)
{
  assert_parse_error ("name: a\nkind: Text\nname: b\n", "bad.yml:3:1:", "duplicate key 'name'");
  assert_parse_error ("nodes:\n  - name: a\n    label: x\n    label: y\n", "bad.yml:4:5:",
                      "duplicate key 'label' (first defined at line 3)");
  assert_parse_error ("{\"a\": 1, \"a\": 2}", "bad.yml:1:10:", "duplicate key 'a'");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/yaml/scalars", test_scalars);
  g_test_add_func ("/yaml/anchors", test_anchors);
  g_test_add_func ("/yaml/alias-bomb", test_alias_bomb);
  g_test_add_func ("/yaml/json-input", test_json_input);
  g_test_add_func ("/yaml/locations", test_locations);
  g_test_add_func ("/yaml/documents", test_documents);
  g_test_add_func ("/yaml/errors", test_errors);
  g_test_add_func ("/yaml/duplicate-keys", test_duplicate_keys);

  return g_test_run ();
}
