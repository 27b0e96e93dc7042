/* test-gql-result.c: the executor's response tree and its JSON writer (escaping, doubles,
 * integers, insertion order, objects nulled by a non-null field).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-gql-result"

#include "config.h"

#include <math.h>
#include <string.h>

#include "graphql/bough-gql-result.h"

static char *
write_double (double value)
{
  GString *out = g_string_new (NULL);

  bough_gql_write_double (out, value);
  return g_string_free (out, FALSE);
}

/* Doubles are the shortest text that reads back the same, and always valid
 * JSON (json-glib writes 1e20 as `1e+20.0`). */
static void
test_doubles (void)
{
  static const struct { double value; const char *text; } cases[] = {
    { 1e20, "1e+20" },
    { -0.0, "-0.0" },
    { 0.0, "0.0" },
    { 1.5, "1.5" },
    { 1e-7, "1e-07" },
    { 0.1, "0.1" },
    { 3.0, "3.0" },
    { -2.5e-300, "-2.5e-300" },
    { 1.7976931348623157e308, "1.7976931348623157e+308" },
    { 123456789012345680.0, "1.2345678901234568e+17" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = write_double (cases[i].value);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *doc = g_strdup_printf ("[%s]", text);
      g_autoptr(GError) error = NULL;
      JsonNode *n;

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_true (json_parser_load_from_data (parser, doc, -1, &error));
      g_assert_no_error (error);
      n = json_array_get_element (json_node_get_array (json_parser_get_root (parser)), 0);
      g_assert_cmpfloat (json_node_get_double (n), ==, cases[i].value);
      g_assert_cmpint (signbit (json_node_get_double (n)), ==, signbit (cases[i].value));
    }
  /* 1/3 needs 17 digits, and they read back exactly */
  {
    g_autofree char *text = write_double (1.0 / 3.0);

    g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, 1.0 / 3.0);
    g_assert_cmpuint (strlen (text), <=, 19);
  }
  /* not finite: no JSON number exists, null is still valid JSON */
  {
    g_autofree char *inf = write_double (INFINITY);
    g_autofree char *nan = write_double (NAN);

    g_assert_cmpstr (inf, ==, "null");
    g_assert_cmpstr (nan, ==, "null");
  }
}

static void
test_strings (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  bough_gql_write_string (out, "plain");
  g_assert_cmpstr (out->str, ==, "\"plain\"");
  g_string_truncate (out, 0);
  bough_gql_write_string (out, "q\"b\\s/\n\r\t\b\f\x01\x1f é ✓");
  g_assert_cmpstr (out->str, ==, "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f é ✓\"");
  g_string_truncate (out, 0);
  bough_gql_write_string (out, "");
  g_assert_cmpstr (out->str, ==, "\"\"");
}

/* JSON nodes (attribute values, introspection) are written as they are,
 * integers exactly to the limits of gint64. */
static void
test_json (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *text = "{\"b\":[1,-9223372036854775807,9223372036854775807,true,null,\"x\"],\"a\":{},\"c\":[],\"d\":2.5}";

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  bough_gql_json_write (json_parser_get_root (parser), out);
  g_assert_cmpstr (out->str, ==, text);
  g_string_truncate (out, 0);
  bough_gql_json_write (NULL, out);
  g_assert_cmpstr (out->str, ==, "null");
}

static void
test_tree (void)
{
  g_autoptr(BoughGqlTree) tree = bough_gql_tree_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonNode) value = json_node_init_double (json_node_alloc (), 1e20);
  char *hfid[] = { "a", "b\"", NULL };
  BoughGqlObject *root = bough_gql_tree_new_object (tree);
  BoughGqlObject *child = bough_gql_tree_new_object (tree);
  BoughGqlObject *nulled = bough_gql_tree_new_object (tree);
  BoughGqlArray *array = bough_gql_tree_new_array (tree);
  char *owned = g_strdup ("copied");
  const char *copy = bough_gql_tree_strdup (tree, owned);
  char **hfid_copy = bough_gql_tree_strdupv (tree, hfid);

  g_free (owned);
  bough_gql_object_set_string (tree, root, "z", copy);
  bough_gql_object_set_int (tree, root, "a", G_MININT64);
  bough_gql_object_set_boolean (tree, root, "t", TRUE);
  bough_gql_object_set_null (tree, root, "n");
  bough_gql_object_set_string (tree, root, "s", NULL);
  bough_gql_object_set_strv (tree, root, "h", hfid_copy);
  bough_gql_object_set_json (tree, root, "v", value);
  bough_gql_object_set_double (tree, root, "d", 1e21);
  bough_gql_object_set_int (tree, child, "x", 0);
  bough_gql_object_set_string (tree, nulled, "y", "lost");
  bough_gql_object_mark_null (nulled);
  g_assert_true (bough_gql_object_is_null (nulled));
  g_assert_false (bough_gql_object_is_null (child));
  /* a child may sit under several parents */
  bough_gql_array_add_object (tree, array, child);
  bough_gql_array_add_object (tree, array, nulled);
  bough_gql_array_add_object (tree, array, child);
  bough_gql_array_add_string (tree, array, "e");
  bough_gql_array_add_json (tree, array, NULL);
  bough_gql_object_set_array (tree, root, "l", array);
  bough_gql_object_set_object (tree, root, "o", nulled);
  bough_gql_object_set_array (tree, root, "empty", bough_gql_tree_new_array (tree));
  bough_gql_object_set_object (tree, root, "eo", bough_gql_tree_new_object (tree));
  bough_gql_tree_keep (tree, json_node_ref (value), (GDestroyNotify) json_node_unref);

  bough_gql_object_write (root, out);
  g_assert_cmpstr (out->str, ==,
                   "{\"z\":\"copied\",\"a\":-9223372036854775808,\"t\":true,\"n\":null,\"s\":null,"
                   "\"h\":[\"a\",\"b\\\"\"],\"v\":1e+20,\"d\":1e+21,\"l\":[{\"x\":0},null,{\"x\":0},\"e\",null],"
                   "\"o\":null,\"empty\":[],\"eo\":{}}");
}

/* Many small objects spill over several arena blocks. */
static void
test_large (void)
{
  g_autoptr(BoughGqlTree) tree = bough_gql_tree_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  BoughGqlObject *root = bough_gql_tree_new_object (tree);
  BoughGqlArray *array = bough_gql_tree_new_array (tree);
  g_autofree char *big = g_strnfill (200000, 'x');
  JsonArray *parsed;

  for (guint i = 0; i < 20000; i++)
    {
      BoughGqlObject *o = bough_gql_tree_new_object (tree);
      g_autofree char *s = g_strdup_printf ("n%u", i);

      bough_gql_object_set_int (tree, o, "i", i);
      bough_gql_object_set_string (tree, o, "s", bough_gql_tree_strdup (tree, s));
      bough_gql_array_add_object (tree, array, o);
    }
  bough_gql_object_set_array (tree, root, "items", array);
  bough_gql_object_set_string (tree, root, "big", bough_gql_tree_strdup (tree, big));
  bough_gql_object_write (root, out);
  g_assert_true (json_parser_load_from_data (parser, out->str, out->len, &error));
  g_assert_no_error (error);
  parsed = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "items");
  g_assert_cmpuint (json_array_get_length (parsed), ==, 20000);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parsed, 19999), "s"), ==, "n19999");
  g_assert_cmpuint (strlen (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "big")),
                    ==, 200000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gql-result/doubles", test_doubles);
  g_test_add_func ("/gql-result/strings", test_strings);
  g_test_add_func ("/gql-result/json", test_json);
  g_test_add_func ("/gql-result/tree", test_tree);
  g_test_add_func ("/gql-result/large", test_large);
  return g_test_run ();
}
