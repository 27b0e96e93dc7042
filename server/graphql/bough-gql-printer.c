/* bough-gql-printer.c: canonical GraphQL text from an AST, the same bytes as graphql-js's print().
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <string.h>

#include "bough-gql-printer.h"

/* graphql-js builds the text bottom-up from strings with a handful of
 * combinators (join, wrap, block, indent); the same shape here makes the
 * output byte-identical, including its line-length rule for arguments. Every
 * helper takes ownership of the strings it is given. */

#define MAX_LINE_LENGTH 80

static gsize
utf16_length (const char *s)
{
  gsize n = 0;

  for (; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;

      if ((c & 0xC0) == 0x80)
        continue;
      n += c >= 0xF0 ? 2 : 1;
    }
  return n;
}

static inline gboolean
empty (const char *s)
{
  return s == NULL || s[0] == '\0';
}

/* join() of graphql-js: drops empty parts; consumes @parts. */
static char *
join (GPtrArray  *parts,
      const char *sep)
{
  GString *out = g_string_new (NULL);
  gboolean first = TRUE;

  for (guint i = 0; i < parts->len; i++)
    {
      const char *part = g_ptr_array_index (parts, i);

      if (empty (part))
        continue;
      if (!first)
        g_string_append (out, sep);
      g_string_append (out, part);
      first = FALSE;
    }
  g_ptr_array_unref (parts);
  return g_string_free (out, FALSE);
}

static GPtrArray *
parts_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

/* Consumes @s. */
static char *
wrap (const char *start,
      char       *s,
      const char *end)
{
  char *ret;

  if (empty (s))
    {
      g_free (s);
      return g_strdup ("");
    }
  ret = g_strconcat (start, s, end, NULL);
  g_free (s);
  return ret;
}

static char *
replace_newlines (char       *s,
                  const char *with)
{
  GString *out = g_string_new (NULL);

  for (const char *c = s; *c != '\0'; c++)
    {
      if (*c == '\n')
        g_string_append (out, with);
      else
        g_string_append_c (out, *c);
    }
  g_free (s);
  return g_string_free (out, FALSE);
}

static char *
indent (char *s)
{
  return wrap ("  ", replace_newlines (s, "\n  "), "");
}

static char *
block (GPtrArray *parts)
{
  return wrap ("{\n", indent (join (parts, "\n")), "\n}");
}

static char *print_node (const BoughGqlNode *node);

static GPtrArray *
print_list (const BoughGqlNode *list)
{
  GPtrArray *parts = parts_new ();

  for (; list != NULL; list = list->next)
    g_ptr_array_add (parts, print_node (list));
  return parts;
}

static char *
join_list (const BoughGqlNode *list,
           const char         *sep)
{
  return join (print_list (list), sep);
}

static gboolean
has_multiline_items (const BoughGqlNode *list,
                     char              **joined_out)
{
  GPtrArray *parts = print_list (list);
  gboolean multiline = FALSE;

  for (guint i = 0; i < parts->len; i++)
    if (strchr (g_ptr_array_index (parts, i), '\n') != NULL)
      multiline = TRUE;
  *joined_out = join (parts, multiline ? "\n" : ", ");
  return multiline;
}

static char *
print_arg_defs (const BoughGqlNode *args)
{
  char *joined;

  if (has_multiline_items (args, &joined))
    return wrap ("(\n", indent (joined), "\n)");
  return wrap ("(", joined, ")");
}

static GPtrArray *
parts_of (char *first,
          ...)
{
  GPtrArray *parts = parts_new ();
  va_list args;

  va_start (args, first);
  for (char *s = first; s != (char *) -1; s = va_arg (args, char *))
    g_ptr_array_add (parts, s);
  va_end (args);
  return parts;
}

#define PARTS(...) parts_of (__VA_ARGS__, (char *) -1)

static char *
description (const BoughGqlNode *node)
{
  return wrap ("", node->description != NULL ? print_node (node->description) : NULL, "\n");
}

static char *
concat_take (char *a,
             char *b)
{
  char *ret = g_strconcat (a, b, NULL);

  g_free (a);
  g_free (b);
  return ret;
}

gboolean
bough_gql_is_printable_as_block_string (const char *value)
{
  gboolean is_empty_line = TRUE;
  gboolean has_indent = FALSE;
  gboolean has_common_indent = TRUE;
  gboolean seen_non_empty_line = FALSE;
  gsize len;

  g_return_val_if_fail (value != NULL, FALSE);

  len = strlen (value);
  if (len == 0)
    return TRUE;
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) value[i];

      switch (c)
        {
        case 0x00: case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: case 0x06: case 0x07:
        case 0x08: case 0x0B: case 0x0C: case 0x0E: case 0x0F:
          return FALSE;
        case 0x0D:
          return FALSE;
        case 0x0A:
          if (is_empty_line && !seen_non_empty_line)
            return FALSE;
          seen_non_empty_line = TRUE;
          is_empty_line = TRUE;
          has_indent = FALSE;
          break;
        case 0x09:
        case 0x20:
          has_indent = has_indent || is_empty_line;
          break;
        default:
          has_common_indent = has_common_indent && has_indent;
          is_empty_line = FALSE;
        }
    }
  if (is_empty_line)
    return FALSE;
  if (has_common_indent && seen_non_empty_line)
    return FALSE;
  return TRUE;
}

char *
bough_gql_print_string (const char *value)
{
  GString *out = g_string_new ("\"");

  g_return_val_if_fail (value != NULL, NULL);

  for (const guchar *c = (const guchar *) value; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          if (*c < 0x20 || *c == 0x7F)
            g_string_append_printf (out, "\\u%04X", *c);
          else if (*c == 0xC2 && c[1] >= 0x80 && c[1] <= 0x9F)
            {
              /* C1 controls U+0080..U+009F, escaped by graphql-js too */
              g_string_append_printf (out, "\\u%04X", c[1]);
              c++;
            }
          else
            g_string_append_c (out, *c);
        }
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static inline gboolean
is_white_space (char c)
{
  return c == ' ' || c == '\t';
}

char *
bough_gql_print_block_string (const char *value,
                              gboolean    minimize)
{
  GString *escaped = g_string_new (NULL);
  GString *out;
  gboolean single_line = TRUE;
  gboolean force_leading_newline;
  gboolean has_trailing_triple_quotes;
  gboolean has_trailing_quote;
  gboolean has_trailing_slash;
  gboolean force_trailing_newline;
  gboolean multiple_lines;
  gboolean skip_leading_newline;
  gsize vlen;

  g_return_val_if_fail (value != NULL, NULL);

  vlen = strlen (value);
  for (gsize i = 0; i < vlen; i++)
    {
      if (strncmp (value + i, "\"\"\"", 3) == 0)
        {
          g_string_append (escaped, "\\\"\"\"");
          i += 2;
        }
      else
        g_string_append_c (escaped, value[i]);
    }

  /* Lines after the first: all empty or starting with white space? */
  force_leading_newline = FALSE;
  {
    gboolean all = TRUE;
    gboolean several = FALSE;

    for (gsize i = 0; i < escaped->len; i++)
      {
        char c = escaped->str[i];

        if (c == '\n' || c == '\r')
          {
            gsize next = i + 1;

            if (c == '\r' && next < escaped->len && escaped->str[next] == '\n')
              {
                next++;
                i++;
              }
            several = TRUE;
            if (next < escaped->len && escaped->str[next] != '\n' && escaped->str[next] != '\r' &&
                !is_white_space (escaped->str[next]))
              all = FALSE;
          }
      }
    single_line = !several;
    force_leading_newline = several && all;
  }

  has_trailing_triple_quotes = g_str_has_suffix (escaped->str, "\\\"\"\"");
  has_trailing_quote = vlen > 0 && value[vlen - 1] == '"' && !has_trailing_triple_quotes;
  has_trailing_slash = vlen > 0 && value[vlen - 1] == '\\';
  force_trailing_newline = has_trailing_quote || has_trailing_slash;
  multiple_lines = !minimize &&
                   (!single_line || utf16_length (value) > 70 || force_trailing_newline ||
                    force_leading_newline || has_trailing_triple_quotes);
  skip_leading_newline = single_line && vlen > 0 && is_white_space (value[0]);

  out = g_string_new ("\"\"\"");
  if ((multiple_lines && !skip_leading_newline) || force_leading_newline)
    g_string_append_c (out, '\n');
  g_string_append_len (out, escaped->str, escaped->len);
  if (multiple_lines || force_trailing_newline)
    g_string_append_c (out, '\n');
  g_string_append (out, "\"\"\"");
  g_string_free (escaped, TRUE);
  return g_string_free (out, FALSE);
}

static char *
print_node (const BoughGqlNode *node)
{
  switch (node->kind)
    {
    case BOUGH_GQL_DOCUMENT:
      return join_list (node->children, "\n\n");

    case BOUGH_GQL_OPERATION_DEFINITION:
      {
        char *var_defs = wrap ("(", join_list (node->variables, ", "), ")");
        char *name_part = join (PARTS (g_strdup (node->name), var_defs), "");
        char *prefix = join (PARTS (g_strdup (bough_gql_operation_type_to_string (node->operation)),
                                    name_part, join_list (node->directives, " ")), " ");
        char *sel = print_node (node->selection_set);

        if (strcmp (prefix, "query") == 0)
          {
            g_free (prefix);
            return sel;
          }
        return concat_take (concat_take (prefix, g_strdup (" ")), sel);
      }

    case BOUGH_GQL_VARIABLE_DEFINITION:
      {
        char *ret = concat_take (g_strconcat ("$", node->name, ": ", NULL), print_node (node->type));

        ret = concat_take (ret, wrap (" = ", node->value ? print_node (node->value) : NULL, ""));
        return concat_take (ret, wrap (" ", join_list (node->directives, " "), ""));
      }

    case BOUGH_GQL_SELECTION_SET:
      return block (print_list (node->children));

    case BOUGH_GQL_FIELD:
      {
        char *prefix = concat_take (wrap ("", g_strdup (node->alias), ": "), g_strdup (node->name));
        char *args = join_list (node->arguments, ", ");
        char *line = g_strconcat (prefix, empty (args) ? "" : "(", args, empty (args) ? "" : ")", NULL);

        g_free (args);
        if (utf16_length (line) > MAX_LINE_LENGTH)
          {
            g_free (line);
            line = concat_take (g_strdup (prefix),
                                wrap ("(\n", indent (join_list (node->arguments, "\n")), "\n)"));
          }
        g_free (prefix);
        return join (PARTS (line, join_list (node->directives, " "),
                            node->selection_set ? print_node (node->selection_set) : NULL), " ");
      }

    case BOUGH_GQL_ARGUMENT:
    case BOUGH_GQL_OBJECT_FIELD:
      return concat_take (g_strconcat (node->name, ": ", NULL), print_node (node->value));

    case BOUGH_GQL_FRAGMENT_SPREAD:
      return concat_take (g_strconcat ("...", node->name, NULL),
                          wrap (" ", join_list (node->directives, " "), ""));

    case BOUGH_GQL_INLINE_FRAGMENT:
      return join (PARTS (g_strdup ("..."),
                          wrap ("on ", node->type ? print_node (node->type) : NULL, ""),
                          join_list (node->directives, " "),
                          print_node (node->selection_set)), " ");

    case BOUGH_GQL_FRAGMENT_DEFINITION:
      {
        char *dirs = wrap ("", join_list (node->directives, " "), " ");
        char *ret = g_strconcat ("fragment ", node->name, " on ", node->type->name, " ", dirs, NULL);

        g_free (dirs);
        return concat_take (ret, print_node (node->selection_set));
      }

    case BOUGH_GQL_VARIABLE:
      return g_strconcat ("$", node->name, NULL);
    case BOUGH_GQL_INT_VALUE:
    case BOUGH_GQL_FLOAT_VALUE:
    case BOUGH_GQL_ENUM_VALUE:
      return g_strdup (node->text);
    case BOUGH_GQL_STRING_VALUE:
      return node->block ? bough_gql_print_block_string (node->text, FALSE)
                         : bough_gql_print_string (node->text);
    case BOUGH_GQL_BOOLEAN_VALUE:
      return g_strdup (node->boolean ? "true" : "false");
    case BOUGH_GQL_NULL_VALUE:
      return g_strdup ("null");
    case BOUGH_GQL_LIST_VALUE:
      return concat_take (concat_take (g_strdup ("["), join_list (node->children, ", ")), g_strdup ("]"));
    case BOUGH_GQL_OBJECT_VALUE:
      return concat_take (concat_take (g_strdup ("{"), join_list (node->children, ", ")), g_strdup ("}"));

    case BOUGH_GQL_DIRECTIVE:
      return concat_take (g_strconcat ("@", node->name, NULL),
                          wrap ("(", join_list (node->arguments, ", "), ")"));

    case BOUGH_GQL_NAMED_TYPE:
      return g_strdup (node->name);
    case BOUGH_GQL_LIST_TYPE:
      return concat_take (concat_take (g_strdup ("["), print_node (node->type)), g_strdup ("]"));
    case BOUGH_GQL_NON_NULL_TYPE:
      return concat_take (print_node (node->type), g_strdup ("!"));

    case BOUGH_GQL_SCHEMA_DEFINITION:
      return concat_take (description (node),
                          join (PARTS (g_strdup ("schema"), join_list (node->directives, " "),
                                       block (print_list (node->children))), " "));
    case BOUGH_GQL_OPERATION_TYPE_DEFINITION:
      return g_strconcat (bough_gql_operation_type_to_string (node->operation), ": ",
                          node->type->name, NULL);
    case BOUGH_GQL_SCALAR_TYPE_DEFINITION:
      return concat_take (description (node),
                          join (PARTS (g_strdup ("scalar"), g_strdup (node->name),
                                       join_list (node->directives, " ")), " "));
    case BOUGH_GQL_OBJECT_TYPE_DEFINITION:
    case BOUGH_GQL_INTERFACE_TYPE_DEFINITION:
      return concat_take (description (node),
                          join (PARTS (g_strdup (node->kind == BOUGH_GQL_OBJECT_TYPE_DEFINITION
                                                 ? "type" : "interface"),
                                       g_strdup (node->name),
                                       wrap ("implements ", join_list (node->interfaces, " & "), ""),
                                       join_list (node->directives, " "),
                                       block (print_list (node->children))), " "));
    case BOUGH_GQL_FIELD_DEFINITION:
      {
        char *ret = concat_take (description (node), g_strdup (node->name));

        ret = concat_take (ret, print_arg_defs (node->arguments));
        ret = concat_take (ret, g_strdup (": "));
        ret = concat_take (ret, print_node (node->type));
        return concat_take (ret, wrap (" ", join_list (node->directives, " "), ""));
      }
    case BOUGH_GQL_INPUT_VALUE_DEFINITION:
      return concat_take (description (node),
                          join (PARTS (concat_take (g_strconcat (node->name, ": ", NULL),
                                                    print_node (node->type)),
                                       wrap ("= ", node->value ? print_node (node->value) : NULL, ""),
                                       join_list (node->directives, " ")), " "));
    case BOUGH_GQL_UNION_TYPE_DEFINITION:
      return concat_take (description (node),
                          join (PARTS (g_strdup ("union"), g_strdup (node->name),
                                       join_list (node->directives, " "),
                                       wrap ("= ", join_list (node->interfaces, " | "), "")), " "));
    case BOUGH_GQL_ENUM_TYPE_DEFINITION:
      return concat_take (description (node),
                          join (PARTS (g_strdup ("enum"), g_strdup (node->name),
                                       join_list (node->directives, " "),
                                       block (print_list (node->children))), " "));
    case BOUGH_GQL_ENUM_VALUE_DEFINITION:
      return concat_take (description (node),
                          join (PARTS (g_strdup (node->name), join_list (node->directives, " ")), " "));
    case BOUGH_GQL_INPUT_OBJECT_TYPE_DEFINITION:
      return concat_take (description (node),
                          join (PARTS (g_strdup ("input"), g_strdup (node->name),
                                       join_list (node->directives, " "),
                                       block (print_list (node->children))), " "));
    case BOUGH_GQL_DIRECTIVE_DEFINITION:
      {
        char *ret = concat_take (description (node), g_strconcat ("directive @", node->name, NULL));

        ret = concat_take (ret, print_arg_defs (node->arguments));
        if (node->repeatable)
          ret = concat_take (ret, g_strdup (" repeatable"));
        ret = concat_take (ret, g_strdup (" on "));
        return concat_take (ret, join_list (node->locations, " | "));
      }
    case BOUGH_GQL_SCHEMA_EXTENSION:
      return join (PARTS (g_strdup ("extend schema"), join_list (node->directives, " "),
                          block (print_list (node->children))), " ");
    case BOUGH_GQL_SCALAR_TYPE_EXTENSION:
      return join (PARTS (g_strdup ("extend scalar"), g_strdup (node->name),
                          join_list (node->directives, " ")), " ");
    case BOUGH_GQL_OBJECT_TYPE_EXTENSION:
    case BOUGH_GQL_INTERFACE_TYPE_EXTENSION:
      return join (PARTS (g_strdup (node->kind == BOUGH_GQL_OBJECT_TYPE_EXTENSION
                                    ? "extend type" : "extend interface"),
                          g_strdup (node->name),
                          wrap ("implements ", join_list (node->interfaces, " & "), ""),
                          join_list (node->directives, " "),
                          block (print_list (node->children))), " ");
    case BOUGH_GQL_UNION_TYPE_EXTENSION:
      return join (PARTS (g_strdup ("extend union"), g_strdup (node->name),
                          join_list (node->directives, " "),
                          wrap ("= ", join_list (node->interfaces, " | "), "")), " ");
    case BOUGH_GQL_ENUM_TYPE_EXTENSION:
      return join (PARTS (g_strdup ("extend enum"), g_strdup (node->name),
                          join_list (node->directives, " "),
                          block (print_list (node->children))), " ");
    case BOUGH_GQL_INPUT_OBJECT_TYPE_EXTENSION:
      return join (PARTS (g_strdup ("extend input"), g_strdup (node->name),
                          join_list (node->directives, " "),
                          block (print_list (node->children))), " ");
    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

/**
 * bough_gql_print:
 * @node: a node, usually a %BOUGH_GQL_DOCUMENT
 *
 * Prints @node as graphql-js's print() does.
 *
 * Returns: (transfer full): the text
 */
char *
bough_gql_print (const BoughGqlNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return print_node (node);
}
