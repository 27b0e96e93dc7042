/* bough-json.c: guards for JSON text from outside: a nesting limit checked
 * in one pass before json-glib's recursive parser sees the text.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-json"

#include "config.h"

#include "bough-error.h"
#include "bough-json.h"

/**
 * bough_json_check_depth:
 * @data: (array length=length): JSON text, not necessarily valid
 * @length: the length of @data in bytes
 * @max_depth: the deepest nesting of arrays and objects allowed
 * @error: return location for a %BOUGH_ERROR_LIMIT error
 *
 * Checks that arrays and objects in @data nest no deeper than @max_depth,
 * ignoring brackets inside strings. It does not validate the rest of the
 * syntax: that is the parser's job, which this check keeps within its stack.
 *
 * Returns: %TRUE when the nesting is within @max_depth
 */
gboolean
bough_json_check_depth (const char  *data,
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
        default:
          break;
        }
    }
  return TRUE;
}
