/* test-json.c: tests of bough_json_check_input() and
 * bough_json_parser_load_input(), the guards run on request bodies before
 * json-glib parses them.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-json"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "bough-error.h"
#include "bough-json.h"

static gboolean
check (const char *text,
       guint       max_depth,
       GError    **error)
{
  return bough_json_check_input (text, strlen (text), max_depth, error);
}

static char *
nested (guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, i % 2 ? "{\"k\":" : "[");
  g_string_append (s, "0");
  for (guint i = n; i > 0; i--)
    g_string_append (s, (i - 1) % 2 ? "}" : "]");
  return g_string_free (s, FALSE);
}

static void
test_within_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *four = nested (4);

  g_assert_true (check ("", 1, &error));
  g_assert_true (check ("42", 0, &error));
  g_assert_true (check ("{\"a\": [1, 2], \"b\": {\"c\": null}}", 2, &error));
  g_assert_true (check (four, 4, &error));
  g_assert_no_error (error);
}

static void
test_too_deep (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *four = nested (4);

  g_assert_false (check (four, 3, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "3 levels"));
  g_clear_error (&error);

  /* Siblings do not add up: only the nesting counts. */
  g_assert_true (check ("[[1], [2], [3], {\"a\": 4}]", 2, &error));
  g_assert_no_error (error);
  g_assert_false (check ("[[1], [[2]]]", 2, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
}

static void
test_strings_ignored (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (check ("{\"a\": \"[[[[{{{{\"}", 1, &error));
  /* An escaped quote does not end the string. */
  g_assert_true (check ("[\"\\\"[[[[\"]", 1, &error));
  g_assert_true (check ("[\"\\\\\"]", 1, &error));
  g_assert_no_error (error);
  /* After an escaped backslash the quote does end it. */
  g_assert_false (check ("[\"\\\\\", [[]]]", 2, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
}

static void
test_guards_parser (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = nested (200000);
  g_autofree char *ok = nested (BOUGH_JSON_MAX_DEPTH);
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* Text deep enough to overflow json-glib's recursion is refused... */
  g_assert_false (check (deep, BOUGH_JSON_MAX_DEPTH, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
  g_clear_error (&error);
  /* ...and what the limit lets through parses. */
  g_assert_true (check (ok, BOUGH_JSON_MAX_DEPTH, &error));
  g_assert_true (json_parser_load_from_data (parser, ok, -1, &error));
  g_assert_no_error (error);
}

static void
test_integers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* The ends of the 64-bit range pass, and so do floats of any size. */
  g_assert_true (check ("[9223372036854775807, -9223372036854775808, 0, -1]", 1, &error));
  g_assert_true (check ("[1e400, 12345678901234567890.5, 1E20, -0.0]", 1, &error));
  g_assert_no_error (error);

  /* json-glib would wrap this one to a negative number. */
  g_assert_false (check ("{\"v\": 12345678901234567890}", 1, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, "12345678901234567890"));
  g_clear_error (&error);
  g_assert_false (check ("[-9223372036854775809]", 1, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
  g_clear_error (&error);

  /* Digits inside strings are text. */
  g_assert_true (check ("{\"12345678901234567890\": \"99999999999999999999\"}", 1, &error));
  g_assert_no_error (error);

  /* The loader applies the same checks and reports parse errors. */
  g_assert_false (bough_json_parser_load_input (parser, "[18446744073709551616]", 22, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
  g_clear_error (&error);
  g_assert_false (bough_json_parser_load_input (parser, "{\"a\": }", 7, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_false (bough_json_parser_load_input (parser, "", 0, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_true (bough_json_parser_load_input (parser, "{\"a\": 9223372036854775807}", 26, &error));
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "a"),
                   ==, G_MAXINT64);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/json/check-depth/within-limit", test_within_limit);
  g_test_add_func ("/json/check-depth/too-deep", test_too_deep);
  g_test_add_func ("/json/check-depth/strings-ignored", test_strings_ignored);
  g_test_add_func ("/json/check-depth/guards-parser", test_guards_parser);
  g_test_add_func ("/json/check-input/integers", test_integers);
  return g_test_run ();
}
