/* bough-json.c: guards for JSON text from outside, checked in one pass
 * before json-glib parses it: a nesting limit (its parser is recursive) and
 * integers that fit in 64 bits (it wraps larger ones silently).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-json"

#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "bough-error.h"
#include "bough-json.h"

/* Checks the number token at @data (at most @length bytes); sets @token_len
 * to its length. Integers (no fraction, no exponent) must fit in gint64. */
static gboolean
check_number (const char  *data,
              gsize        length,
              gsize       *token_len,
              GError     **error)
{
  gboolean integer = TRUE;
  gsize n = 0;

  while (n < length && (g_ascii_isdigit (data[n]) || data[n] == '-' || data[n] == '+' ||
                        data[n] == '.' || data[n] == 'e' || data[n] == 'E'))
    {
      if (data[n] == '.' || data[n] == 'e' || data[n] == 'E')
        integer = FALSE;
      n++;
    }
  *token_len = n;
  if (integer && n > 0)
    {
      g_autofree char *text = g_strndup (data, n);
      char *end = NULL;

      errno = 0;
      g_ascii_strtoll (text, &end, 10);
      if (errno == ERANGE)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT,
                       "the JSON integer %s does not fit in 64 bits "
                       "(from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ")",
                       text, G_MININT64, G_MAXINT64);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * bough_json_check_input:
 * @data: (array length=length): JSON text, not necessarily valid
 * @length: the length of @data in bytes
 * @max_depth: the deepest nesting of arrays and objects allowed
 * @error: return location for a %BOUGH_ERROR_LIMIT error
 *
 * Checks what json-glib would get wrong in @data: arrays and objects nested
 * deeper than @max_depth (its recursive parser could exhaust the stack), and
 * integers outside the 64-bit signed range (it wraps or rounds them without
 * a word). Brackets and digits inside strings are ignored. It does not
 * validate the rest of the syntax: that is the parser's job.
 *
 * Returns: %TRUE when @data is within both limits
 */
gboolean
bough_json_check_input (const char  *data,
                        gsize        length,
                        guint        max_depth,
                        GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;
  gsize i;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT,
                           "JSON nesting is deeper than %u levels", max_depth);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case '-':
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
          {
            gsize n;

            if (!check_number (data + i, length - i, &n, error))
              return FALSE;
            i += n - 1;
          }
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/**
 * bough_json_parser_load_input:
 * @parser: the parser to load
 * @data: (array length=length): JSON text from outside
 * @length: the length of @data in bytes
 * @error: return location for a %BOUGH_ERROR_LIMIT or %BOUGH_ERROR_PARSE error
 *
 * Loads @data into @parser after bough_json_check_input() with
 * %BOUGH_JSON_MAX_DEPTH: the one way request bodies and messages are parsed.
 * Empty text is a %BOUGH_ERROR_PARSE error.
 *
 * Returns: %TRUE when @parser holds @data
 */
gboolean
bough_json_parser_load_input (JsonParser  *parser,
                              const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!bough_json_check_input (data, length, BOUGH_JSON_MAX_DEPTH, error))
    return FALSE;
  if (length == 0)
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PARSE, "empty JSON text");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_PARSE, local->message);
      return FALSE;
    }
  return TRUE;
}
