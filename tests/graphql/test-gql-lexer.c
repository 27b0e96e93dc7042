/* test-gql-lexer.c: tokens, literals, escapes, block strings and lexical errors.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-gql-lexer"

#include "config.h"

#include <string.h>

#include "graphql/bough-gql-lexer.h"

typedef struct
{
  BoughGqlArena *arena;
  BoughGqlLexer lexer;
} Lex;

static void
lex_init (Lex        *lex,
          const char *src)
{
  lex->arena = bough_gql_arena_new ();
  bough_gql_lexer_init (&lex->lexer, src, strlen (src), lex->arena);
}

static void
lex_clear (Lex *lex)
{
  bough_gql_lexer_clear (&lex->lexer);
  bough_gql_arena_free (lex->arena);
}

/* Lexes the first token of @src, which must succeed. */
static BoughGqlToken
first_token (Lex        *lex,
             const char *src)
{
  lex_init (lex, src);
  g_assert_true (bough_gql_lexer_advance (&lex->lexer));
  return lex->lexer.token;
}

static void
assert_string (const char *src,
               const char *expected)
{
  Lex lex;
  BoughGqlToken t = first_token (&lex, src);

  g_assert_true (t.kind == BOUGH_GQL_TOKEN_STRING || t.kind == BOUGH_GQL_TOKEN_BLOCK_STRING);
  g_assert_cmpstr (t.value, ==, expected);
  lex_clear (&lex);
}

static void
assert_error (const char *src,
              const char *message,
              guint       line,
              guint       column)
{
  Lex lex;
  gboolean ok = TRUE;

  lex_init (&lex, src);
  for (int i = 0; i < 100 && ok && lex.lexer.token.kind != BOUGH_GQL_TOKEN_EOF; i++)
    ok = bough_gql_lexer_advance (&lex.lexer);
  g_assert_false (ok);
  g_assert_cmpstr (lex.lexer.error_message, ==, message);
  g_assert_cmpuint (lex.lexer.error_line, ==, line);
  g_assert_cmpuint (lex.lexer.error_column, ==, column);
  lex_clear (&lex);
}

static void
test_punctuators (void)
{
  static const BoughGqlTokenKind expected[] = {
    BOUGH_GQL_TOKEN_BANG, BOUGH_GQL_TOKEN_DOLLAR, BOUGH_GQL_TOKEN_AMP, BOUGH_GQL_TOKEN_PAREN_L,
    BOUGH_GQL_TOKEN_PAREN_R, BOUGH_GQL_TOKEN_SPREAD, BOUGH_GQL_TOKEN_COLON, BOUGH_GQL_TOKEN_EQUALS,
    BOUGH_GQL_TOKEN_AT, BOUGH_GQL_TOKEN_BRACKET_L, BOUGH_GQL_TOKEN_BRACKET_R, BOUGH_GQL_TOKEN_BRACE_L,
    BOUGH_GQL_TOKEN_PIPE, BOUGH_GQL_TOKEN_BRACE_R, BOUGH_GQL_TOKEN_NAME, BOUGH_GQL_TOKEN_EOF,
  };
  Lex lex;

  lex_init (&lex, "\xEF\xBB\xBF! $ & ( ) ... : = @ [ ] { | } # comment\n,,, _name9");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (bough_gql_lexer_advance (&lex.lexer));
      g_assert_cmpint (lex.lexer.token.kind, ==, expected[i]);
    }
  g_assert_cmpstr (lex.lexer.token.value, ==, NULL);
  g_assert_cmpuint (lex.lexer.n_tokens, ==, G_N_ELEMENTS (expected) - 1);
  lex_clear (&lex);
}

static void
test_locations (void)
{
  Lex lex;

  /* \r\n and \r both end lines; columns count UTF-16 units as graphql-js does */
  lex_init (&lex, "a\r\n  b\r c \xF0\x9F\x98\x80\"\" d");
  g_assert_true (bough_gql_lexer_advance (&lex.lexer));
  g_assert_cmpuint (lex.lexer.token.line, ==, 1);
  g_assert_true (bough_gql_lexer_advance (&lex.lexer));
  g_assert_cmpuint (lex.lexer.token.line, ==, 2);
  g_assert_cmpuint (lex.lexer.token.column, ==, 3);
  g_assert_true (bough_gql_lexer_advance (&lex.lexer));
  g_assert_cmpuint (lex.lexer.token.line, ==, 3);
  g_assert_cmpuint (lex.lexer.token.column, ==, 2);
  lex_clear (&lex);

  assert_error ("a\n  b \xF0\x9F\x98\x80 ?", "Syntax Error: Unexpected character: U+1F600.", 2, 5);
  assert_error ("a\n  b \xC3\xA9 ?", "Syntax Error: Unexpected character: U+00E9.", 2, 5);
}

static void
test_numbers (void)
{
  Lex lex;
  BoughGqlToken t;

  t = first_token (&lex, "-12");
  g_assert_cmpint (t.kind, ==, BOUGH_GQL_TOKEN_INT);
  g_assert_cmpstr (t.value, ==, "-12");
  lex_clear (&lex);
  t = first_token (&lex, "1.5e-3 ");
  g_assert_cmpint (t.kind, ==, BOUGH_GQL_TOKEN_FLOAT);
  g_assert_cmpstr (t.value, ==, "1.5e-3");
  lex_clear (&lex);
  t = first_token (&lex, "0");
  g_assert_cmpint (t.kind, ==, BOUGH_GQL_TOKEN_INT);
  lex_clear (&lex);

  assert_error ("01", "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 2);
  assert_error ("1.", "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 3);
  assert_error ("1.A", "Syntax Error: Invalid number, expected digit but got: \"A\".", 1, 3);
  assert_error ("-", "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 2);
  assert_error ("1e", "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 3);
  assert_error ("12abc", "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 3);
  assert_error ("1.2.3", "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 4);
}

static void
test_strings (void)
{
  assert_string ("\"simple\"", "simple");
  assert_string ("\"\"", "");
  assert_string ("\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "esc \" \\ / \b \f \n \r \t");
  assert_string ("\"\\u0041\\u00e9\"", "A\xC3\xA9");
  assert_string ("\"\\u{1F600}\"", "\xF0\x9F\x98\x80");
  assert_string ("\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80");
  assert_string ("\"unicode \xE2\x82\xAC\"", "unicode \xE2\x82\xAC");

  assert_error ("\"abc", "Syntax Error: Unterminated string.", 1, 5);
  assert_error ("\"abc\ndef\"", "Syntax Error: Unterminated string.", 1, 5);
  assert_error ("\"\\x\"", "Syntax Error: Invalid character escape sequence: \"\\x\".", 1, 2);
  assert_error ("\"\\u12G4\"", "Syntax Error: Invalid Unicode escape sequence: \"\\u12G4\".", 1, 2);
  assert_error ("\"\\uD83D\"", "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 2);
  assert_error ("\"\\u{110000}\"", "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 2);
  /* U+0000 cannot live in a C string: refused, raw or escaped */
  assert_error ("\"\\u0000\"", "Syntax Error: Invalid Unicode escape sequence: \"\\u0000\".", 1, 2);
  assert_error ("\"\\u{0}\"", "Syntax Error: Invalid Unicode escape sequence: \"\\u{0}\".", 1, 2);
  assert_error ("'a'", "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?", 1, 1);
}

static void
test_block_strings (void)
{
  assert_string ("\"\"\"simple\"\"\"", "simple");
  assert_string ("\"\"\"\n    hello\n      world\n    \"\"\"", "hello\n  world");
  assert_string ("\"\"\"  first\n    second\n\n\"\"\"", "  first\nsecond");
  assert_string ("\"\"\"a \\\"\"\" b\"\"\"", "a \"\"\" b");
  assert_string ("\"\"\"\r\n  x\r  y\r\n\"\"\"", "x\ny");
  assert_string ("\"\"\"no \\n escapes\"\"\"", "no \\n escapes");
  assert_string ("\"\"\"   \n\t\n\"\"\"", "");

  assert_error ("\"\"\"abc\n\ndef", "Syntax Error: Unterminated string.", 3, 4);
}

static void
test_block_string_line_count (void)
{
  Lex lex;

  lex_init (&lex, "\"\"\"a\nb\nc\"\"\" next");
  g_assert_true (bough_gql_lexer_advance (&lex.lexer));
  g_assert_cmpuint (lex.lexer.token.line, ==, 1);
  g_assert_true (bough_gql_lexer_advance (&lex.lexer));
  g_assert_cmpuint (lex.lexer.token.line, ==, 3);
  g_assert_cmpuint (lex.lexer.token.column, ==, 6);
  lex_clear (&lex);
}

static void
test_unexpected (void)
{
  assert_error ("..", "Syntax Error: Unexpected character: \".\".", 1, 1);
  assert_error ("a ?", "Syntax Error: Unexpected character: \"?\".", 1, 3);
  assert_error ("\x01", "Syntax Error: Unexpected character: U+0001.", 1, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gql/lexer/punctuators", test_punctuators);
  g_test_add_func ("/gql/lexer/locations", test_locations);
  g_test_add_func ("/gql/lexer/numbers", test_numbers);
  g_test_add_func ("/gql/lexer/strings", test_strings);
  g_test_add_func ("/gql/lexer/block-strings", test_block_strings);
  g_test_add_func ("/gql/lexer/block-string-lines", test_block_string_line_count);
  g_test_add_func ("/gql/lexer/unexpected", test_unexpected);

  return g_test_run ();
}
