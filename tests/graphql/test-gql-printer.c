/* test-gql-printer.c: printing matches graphql-js print() (expected texts produced by graphql-js 16).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-gql-printer"

#include "config.h"

#include "graphql/bough-gql-parser.h"
#include "graphql/bough-gql-printer.h"

static const struct
{
  const char *source;
  const char *printed;
} cases[] = {
  {
    "query Q($a: Int = 1 @d, $b: [String!]!) @op(x: {b: 2, a: [1, 2]}) { alias: f(a: $a, s: \"q\\\"\\\\\\n\\u0001\\u007F\\u0085\", t: \"\"\"  block\n"
    "  with \"quotes\" and \\\"\"\"  \"\"\") @skip(if: true) { ...F @d ... on T @x { g } ... { h } } }",
    "query Q($a: Int = 1 @d, $b: [String!]!) @op(x: {b: 2, a: [1, 2]}) {\n"
    "  alias: f(\n"
    "    a: $a\n"
    "    s: \"q\\\"\\\\\\n\\u0001\\u007F\\u0085\"\n"
    "    t: \"\"\"\n"
    "      block\n"
    "    with \"quotes\" and \\\"\"\"  \n"
    "    \"\"\"\n"
    "  ) @skip(if: true) {\n"
    "    ...F @d\n"
    "    ... on T @x {\n"
    "      g\n"
    "    }\n"
    "    ... {\n"
    "      h\n"
    "    }\n"
    "  }\n"
    "}"
  },
  {
    "fragment F on T @d { veryLongFieldNameNumberOne(argumentOne: \"aaaaaaaaaaaaaaa\", argumentTwo: \"bbbbbbbbbbbbbbbbbbb\", three: 3) }",
    "fragment F on T @d {\n"
    "  veryLongFieldNameNumberOne(\n"
    "    argumentOne: \"aaaaaaaaaaaaaaa\"\n"
    "    argumentTwo: \"bbbbbbbbbbbbbbbbbbb\"\n"
    "    three: 3\n"
    "  )\n"
    "}"
  },
  {
    "{ a(s: \"\"\"ends with quote\" \"\"\") b(s: \"\"\" x\"\"\") c(s: \"\"\"a\n"
    "\n"
    "  b\n"
    "\"\"\") }",
    "{\n"
    "  a(s: \"\"\"ends with quote\" \"\"\")\n"
    "  b(s: \"\"\" x\"\"\")\n"
    "  c(s: \"\"\"\n"
    "  a\n"
    "  \n"
    "  b\n"
    "  \"\"\")\n"
    "}"
  },
  {
    "\"\"\"desc\"\"\"\n"
    "type T implements A & B @d { \"f desc\" f(\"arg\" a: Int = 1, b: Int): [T!]! @deprecated(reason: \"r\") }\n"
    "extend union U @d = A | B\n"
    "directive @d(a: Int) repeatable on FIELD | QUERY",
    "\"\"\"desc\"\"\"\n"
    "type T implements A & B @d {\n"
    "  \"f desc\"\n"
    "  f(\n"
    "    \"arg\"\n"
    "    a: Int = 1\n"
    "    b: Int\n"
    "  ): [T!]! @deprecated(reason: \"r\")\n"
    "}\n"
    "\n"
    "extend union U @d = A | B\n"
    "\n"
    "directive @d(a: Int) repeatable on FIELD | QUERY"
  }
};

static void
test_graphql_js_outputs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughGqlDocument) doc = bough_gql_parse (cases[i].source, -1, NULL, NULL, &error);
      g_autofree char *printed = NULL;
      g_autoptr(BoughGqlDocument) again = NULL;
      g_autofree char *printed2 = NULL;

      g_assert_no_error (error);
      printed = bough_gql_print (doc->root);
      g_assert_cmpstr (printed, ==, cases[i].printed);

      /* printing is a fixed point */
      again = bough_gql_parse (printed, -1, NULL, NULL, &error);
      g_assert_no_error (error);
      printed2 = bough_gql_print (again->root);
      g_assert_cmpstr (printed2, ==, printed);
    }
}

static void
test_strings (void)
{
  static const struct
  {
    const char *value;
    const char *string;
    const char *block;
  } strings[] = {
    { "plain", "\"plain\"", "\"\"\"plain\"\"\"" },
    { "", "\"\"", "\"\"\"\"\"\"" },
    { "two\nlines", "\"two\\nlines\"", "\"\"\"\ntwo\nlines\n\"\"\"" },
    { " leading space", "\" leading space\"", "\"\"\" leading space\"\"\"" },
    { "ends with \"", "\"ends with \\\"\"", "\"\"\"\nends with \"\n\"\"\"" },
    { "has \"\"\" inside", "\"has \\\"\\\"\\\" inside\"", "\"\"\"has \\\"\"\" inside\"\"\"" },
    { "tab\tand\x01", "\"tab\\tand\\u0001\"", NULL },
    { "caf\xc3\xa9 \xc2\x85", "\"caf\xc3\xa9 \\u0085\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autofree char *s = bough_gql_print_string (strings[i].value);

      g_assert_cmpstr (s, ==, strings[i].string);
      if (strings[i].block != NULL)
        {
          g_autofree char *b = bough_gql_print_block_string (strings[i].value, FALSE);

          g_assert_cmpstr (b, ==, strings[i].block);
        }
    }

  g_assert_true (bough_gql_is_printable_as_block_string ("a\nb"));
  g_assert_false (bough_gql_is_printable_as_block_string ("\nleading newline"));
  g_assert_false (bough_gql_is_printable_as_block_string ("trailing\n"));
  g_assert_false (bough_gql_is_printable_as_block_string ("  a\n  b"));
  g_assert_false (bough_gql_is_printable_as_block_string ("cr\r"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gql/printer/graphql-js-outputs", test_graphql_js_outputs);
  g_test_add_func ("/gql/printer/strings", test_strings);

  return g_test_run ();
}
