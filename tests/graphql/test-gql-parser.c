/* test-gql-parser.c: the AST the parser builds, its errors and its limits (RELIABILITY 14/15).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-gql-parser"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "graphql/bough-gql-parser.h"
#include "graphql/bough-gql-printer.h"

static BoughGqlDocument *
parse_ok (const char *source)
{
  g_autoptr(GError) error = NULL;
  BoughGqlDocument *doc = bough_gql_parse (source, -1, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static void
assert_parse_error (const char *source,
                    gssize      length,
                    const BoughGqlParseOptions *options,
                    int         code,
                    const char *message,
                    guint       line,
                    guint       column)
{
  g_autoptr(GError) error = NULL;
  BoughGqlLocation loc;
  g_autoptr(BoughGqlDocument) doc = bough_gql_parse (source, length, options, &loc, &error);

  g_assert_null (doc);
  g_assert_error (error, BOUGH_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpuint (loc.line, ==, line);
  g_assert_cmpuint (loc.column, ==, column);
}

static void
test_operation_shape (void)
{
  g_autoptr(BoughGqlDocument) doc =
    parse_ok ("query Get($id: ID! = \"x\" @v, $n: [Int]) @op {\n"
              "  alias: device(id: $id, n: [1, 2.5, \"s\", true, null, RED, {a: $n}]) @skip(if: false) {\n"
              "    ...Frag @d\n"
              "    ... on Device { name }\n"
              "    ... @include(if: true) { id }\n"
              "  }\n"
              "}\n"
              "fragment Frag on Device { id }\n");
  BoughGqlNode *op = doc->root->children;
  BoughGqlNode *var;
  BoughGqlNode *field;
  BoughGqlNode *arg;
  BoughGqlNode *sel;

  g_assert_cmpint (op->kind, ==, BOUGH_GQL_OPERATION_DEFINITION);
  g_assert_cmpint (op->operation, ==, BOUGH_GQL_QUERY);
  g_assert_cmpstr (op->name, ==, "Get");
  g_assert_cmpuint (op->name_line, ==, 1);
  g_assert_cmpuint (op->name_column, ==, 7);
  g_assert_cmpuint (bough_gql_list_length (op->variables), ==, 2);
  g_assert_cmpstr (op->directives->name, ==, "op");

  var = op->variables;
  g_assert_cmpstr (var->name, ==, "id");
  g_assert_cmpint (var->type->kind, ==, BOUGH_GQL_NON_NULL_TYPE);
  g_assert_cmpstr (var->type->type->name, ==, "ID");
  g_assert_cmpint (var->value->kind, ==, BOUGH_GQL_STRING_VALUE);
  g_assert_cmpstr (var->directives->name, ==, "v");
  g_assert_cmpint (var->next->type->kind, ==, BOUGH_GQL_LIST_TYPE);

  field = op->selection_set->children;
  g_assert_cmpint (field->kind, ==, BOUGH_GQL_FIELD);
  g_assert_cmpstr (field->alias, ==, "alias");
  g_assert_cmpstr (field->name, ==, "device");
  g_assert_cmpuint (field->line, ==, 2);
  g_assert_cmpuint (field->column, ==, 3);
  arg = field->arguments->next;
  g_assert_cmpstr (arg->name, ==, "n");
  g_assert_cmpuint (bough_gql_list_length (arg->value->children), ==, 7);
  {
    static const BoughGqlKind kinds[] = {
      BOUGH_GQL_INT_VALUE, BOUGH_GQL_FLOAT_VALUE, BOUGH_GQL_STRING_VALUE, BOUGH_GQL_BOOLEAN_VALUE,
      BOUGH_GQL_NULL_VALUE, BOUGH_GQL_ENUM_VALUE, BOUGH_GQL_OBJECT_VALUE,
    };
    guint i = 0;

    for (BoughGqlNode *item = arg->value->children; item != NULL; item = item->next)
      g_assert_cmpint (item->kind, ==, kinds[i++]);
  }

  sel = field->selection_set->children;
  g_assert_cmpint (sel->kind, ==, BOUGH_GQL_FRAGMENT_SPREAD);
  g_assert_cmpstr (sel->name, ==, "Frag");
  sel = sel->next;
  g_assert_cmpint (sel->kind, ==, BOUGH_GQL_INLINE_FRAGMENT);
  g_assert_cmpstr (sel->type->name, ==, "Device");
  sel = sel->next;
  g_assert_cmpint (sel->kind, ==, BOUGH_GQL_INLINE_FRAGMENT);
  g_assert_null (sel->type);

  g_assert_cmpint (op->next->kind, ==, BOUGH_GQL_FRAGMENT_DEFINITION);
  g_assert_cmpstr (op->next->type->name, ==, "Device");
}

static void
test_sdl_shape (void)
{
  g_autoptr(BoughGqlDocument) doc =
    parse_ok ("\"\"\"T\"\"\" type T implements A & B @x { f(a: Int = 1): [T!]! @deprecated }\n"
              "union U = | X | Y\n"
              "directive @d repeatable on FIELD | QUERY\n"
              "extend enum E { V }\n");
  BoughGqlNode *t = doc->root->children;

  g_assert_cmpint (t->kind, ==, BOUGH_GQL_OBJECT_TYPE_DEFINITION);
  g_assert_cmpstr (t->description->text, ==, "T");
  g_assert_cmpuint (bough_gql_list_length (t->interfaces), ==, 2);
  g_assert_cmpstr (t->children->name, ==, "f");
  g_assert_cmpstr (t->children->arguments->value->text, ==, "1");
  g_assert_cmpint (t->next->kind, ==, BOUGH_GQL_UNION_TYPE_DEFINITION);
  g_assert_cmpuint (bough_gql_list_length (t->next->interfaces), ==, 2);
  g_assert_true (t->next->next->repeatable);
  g_assert_cmpuint (bough_gql_list_length (t->next->next->locations), ==, 2);
  g_assert_cmpint (t->next->next->next->kind, ==, BOUGH_GQL_ENUM_TYPE_EXTENSION);
}

static void
test_syntax_errors (void)
{
  assert_parse_error ("", -1, NULL, BOUGH_ERROR_PARSE, "Syntax Error: Unexpected <EOF>.", 1, 1);
  assert_parse_error ("{ a", -1, NULL, BOUGH_ERROR_PARSE, "Syntax Error: Expected Name, found <EOF>.", 1, 4);
  assert_parse_error ("query\n  Q(", -1, NULL, BOUGH_ERROR_PARSE, "Syntax Error: Expected \"$\", found <EOF>.", 2, 5);
  assert_parse_error ("fragment on on T { a }", -1, NULL, BOUGH_ERROR_PARSE,
                      "Syntax Error: Unexpected Name \"on\".", 1, 10);
  assert_parse_error ("query ($a: Int = $b) { a }", -1, NULL, BOUGH_ERROR_PARSE,
                      "Syntax Error: Unexpected variable \"$b\" in constant value.", 1, 18);
  assert_parse_error ("{ a(b: \"x) }", -1, NULL, BOUGH_ERROR_PARSE, "Syntax Error: Unterminated string.", 1, 13);
  /* invalid UTF-8 is refused with where it starts */
  assert_parse_error ("{ a }\n{ \xff }", -1, NULL, BOUGH_ERROR_PARSE, NULL, 2, 3);
  /* a NUL byte inside the given length is a character like any other */
  assert_parse_error ("{ a \0 }", 7, NULL, BOUGH_ERROR_PARSE, "Syntax Error: Unexpected character: U+0000.", 1, 5);
  /* but not inside strings, which must stay C strings */
  assert_parse_error ("{ a(s: \"x\0\") }", 14, NULL, BOUGH_ERROR_PARSE,
                      "Syntax Error: Invalid character within String: U+0000.", 1, 10);
  assert_parse_error ("{ a(s: \"\"\"x\n\0\"\"\") }", 19, NULL, BOUGH_ERROR_PARSE,
                      "Syntax Error: Invalid character within String: U+0000.", 2, 1);
}

static char *
nested (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "{ a ");
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "} ");
  return g_string_free (s, FALSE);
}

static void
test_limit_depth (void)
{
  g_autofree char *deep = nested (10000);
  g_autofree char *ok = nested (BOUGH_GQL_DEFAULT_MAX_DEPTH);
  g_autofree char *lists = NULL;
  BoughGqlParseOptions options;
  GString *s;

  bough_gql_parse_options_init (&options);
  options.max_tokens = 0;
  assert_parse_error (deep, -1, &options, BOUGH_ERROR_LIMIT,
                      "Syntax Error: Document nesting is deeper than 64 levels. Parsing aborted.", 1, 259);
  g_clear_pointer (&ok, g_free);
  ok = nested (BOUGH_GQL_DEFAULT_MAX_DEPTH - 1);
  bough_gql_document_free (parse_ok (ok));

  /* no depth limit configured: the hard cap still protects the stack */
  options.max_depth = 0;
  options.max_bytes = 0;
  assert_parse_error (deep, -1, &options, BOUGH_ERROR_LIMIT, NULL, 1, 4 * BOUGH_GQL_HARD_MAX_DEPTH + 3);

  /* nested list values and list types count too */
  s = g_string_new ("{ a(x: ");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (s, '[');
  lists = g_string_free (s, FALSE);
  bough_gql_parse_options_init (&options);
  assert_parse_error (lists, -1, &options, BOUGH_ERROR_LIMIT, NULL, 1, 8 + 63);
  assert_parse_error ("query ($a: [[[[[[[[[[Int]]]]]]]]]]) { a }", -1,
                      &(BoughGqlParseOptions) { 0, 0, 5 }, BOUGH_ERROR_LIMIT, NULL, 1, 18);
}

static void
test_limit_tokens (void)
{
  GString *s = g_string_new ("{");
  g_autofree char *aliases = NULL;
  g_autofree char *directives = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc = NULL;
  BoughGqlParseOptions options;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (s, " a%u: f", i);
  g_string_append (s, " }");
  aliases = g_string_free (s, FALSE);
  /* token 20001 is the colon of alias 6666 */
  assert_parse_error (aliases, -1, NULL, BOUGH_ERROR_LIMIT,
                      "Syntax Error: Document contains more than 20000 tokens. Parsing aborted.", 1,
                      strstr (aliases, " a6666:") - aliases + 7);

  /* raise the limit and the same document parses */
  bough_gql_parse_options_init (&options);
  options.max_tokens = 40000;
  doc = bough_gql_parse (aliases, -1, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bough_gql_list_length (doc->root->children->selection_set->children), ==, 10000);
  g_assert_cmpuint (doc->n_tokens, ==, 30002);

  s = g_string_new ("{ a");
  for (guint i = 0; i < 1000; i++)
    g_string_append (s, " @skip(if: false)");
  g_string_append (s, " }");
  directives = g_string_free (s, FALSE);
  /* 1k directives are 7k tokens: within the default limit, refused by a lower one */
  bough_gql_document_free (parse_ok (directives));
  options.max_tokens = 5000;
  assert_parse_error (directives, -1, &options, BOUGH_ERROR_LIMIT, NULL, 1, 5 + 17 * 714);
}

static void
test_limit_bytes (void)
{
  gsize n = 1024 * 1024;
  g_autofree char *big = g_malloc (n + 16);
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughGqlDocument) doc = NULL;
  BoughGqlParseOptions options;

  memcpy (big, "{ a(s: \"", 8);
  memset (big + 8, 'x', n);
  memcpy (big + 8 + n, "\") }", 5);
  assert_parse_error (big, -1, NULL, BOUGH_ERROR_LIMIT, NULL, 0, 0);

  bough_gql_parse_options_init (&options);
  options.max_bytes = 2 * n;
  doc = bough_gql_parse (big, -1, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (doc->root->children->selection_set->children->arguments->value->text), ==, n);
}

/* RELIABILITY 14: mutated documents never crash the parser, and every
 * failure comes with a message and a location inside the document. */
static void
test_mutations (void)
{
  static const char *seeds[] = {
    "query Q($a: [Int!]! = [1], $b: In = {x: \"y\"}) @d { f(a: $a) { ... on T { g } ...F } }",
    "fragment F on T @x { a: b(c: \"\"\"block\n  text\"\"\", d: -1.5e3) { e } }",
    "type T implements A & B { f(\"d\" a: Int = 1): [T!] @deprecated(reason: \"r\") }\nunion U = A | B",
    "subscription { s(x: {a: [true, false, null, ENUM]}) { __typename } }",
  };
  static const char alphabet[] = "{}()[]:!$@=|&.\"\\ \n#,aZ_09-e\xc3\xa9";
  GRand *rand = g_rand_new_with_seed (14);
  guint failures = 0;

  for (guint i = 0; i < 1000; i++)
    {
      const char *seed = seeds[i % G_N_ELEMENTS (seeds)];
      GString *s = g_string_new (seed);
      guint edits = 1 + g_rand_int_range (rand, 0, 8);
      g_autoptr(GError) error = NULL;
      BoughGqlLocation loc;
      BoughGqlDocument *doc;

      for (guint e = 0; e < edits; e++)
        {
          guint pos = g_rand_int_range (rand, 0, s->len + 1);

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              g_string_insert_c (s, pos, alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]);
              break;
            case 1:
              if (pos < s->len)
                g_string_erase (s, pos, 1);
              break;
            default:
              if (pos < s->len)
                s->str[pos] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
              break;
            }
        }

      doc = bough_gql_parse (s->str, s->len, NULL, &loc, &error);
      if (doc == NULL)
        {
          failures++;
          g_assert_nonnull (error);
          g_assert_true (g_str_has_prefix (error->message, "Syntax Error: "));
          g_assert_cmpuint (loc.line, >=, 1);
          g_assert_cmpuint (loc.column, >=, 1);
        }
      else
        {
          /* whatever parses prints and parses again to the same text */
          g_autofree char *printed = bough_gql_print (doc->root);
          g_autoptr(BoughGqlDocument) again = parse_ok (printed);
          g_autofree char *printed2 = bough_gql_print (again->root);

          g_assert_cmpstr (printed, ==, printed2);
          bough_gql_document_free (doc);
        }
      g_string_free (s, TRUE);
    }
  /* most mutations break the document: the test exercises the error paths */
  g_assert_cmpuint (failures, >, 500);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gql/parser/operation-shape", test_operation_shape);
  g_test_add_func ("/gql/parser/sdl-shape", test_sdl_shape);
  g_test_add_func ("/gql/parser/syntax-errors", test_syntax_errors);
  g_test_add_func ("/gql/parser/limit-depth", test_limit_depth);
  g_test_add_func ("/gql/parser/limit-tokens", test_limit_tokens);
  g_test_add_func ("/gql/parser/limit-bytes", test_limit_bytes);
  g_test_add_func ("/gql/parser/mutations", test_mutations);

  return g_test_run ();
}
