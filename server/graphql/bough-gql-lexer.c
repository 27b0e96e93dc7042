/* bough-gql-lexer.c: turns GraphQL source text into tokens, with graphql-js's error messages.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <string.h>

#include "bough-gql-lexer.h"

void
bough_gql_lexer_init (BoughGqlLexer *lexer,
                      const char    *source,
                      gsize          length,
                      BoughGqlArena *arena)
{
  g_return_if_fail (lexer != NULL);
  g_return_if_fail (source != NULL || length == 0);
  g_return_if_fail (arena != NULL);

  memset (lexer, 0, sizeof *lexer);
  lexer->source = source != NULL ? source : "";
  lexer->length = length;
  lexer->arena = arena;
  lexer->line = 1;
  lexer->column = 1;
  lexer->token.kind = BOUGH_GQL_TOKEN_SOF;
  lexer->token.line = 1;
  lexer->token.column = 1;
}

void
bough_gql_lexer_clear (BoughGqlLexer *lexer)
{
  g_return_if_fail (lexer != NULL);

  g_clear_pointer (&lexer->error_message, g_free);
}

static inline int
peek_byte (BoughGqlLexer *lexer,
           gsize          pos)
{
  return pos < lexer->length ? (guchar) lexer->source[pos] : -1;
}

/* Strings are NUL-terminated C strings all the way to the store, so U+0000
 * is refused inside string literals, raw or escaped (graphql-js accepts it). */

/* Decodes the code point at @pos (the source is valid UTF-8), -1 at the end. */
static gunichar
code_point_at (BoughGqlLexer *lexer,
               gsize          pos,
               gsize         *size)
{
  const guchar *s = (const guchar *) lexer->source + pos;
  gsize avail = lexer->length - pos;

  if (pos >= lexer->length)
    {
      *size = 0;
      return (gunichar) -1;
    }
  if (s[0] < 0x80)
    {
      *size = 1;
      return s[0];
    }
  if ((s[0] & 0xE0) == 0xC0 && avail >= 2)
    {
      *size = 2;
      return ((s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    }
  if ((s[0] & 0xF0) == 0xE0 && avail >= 3)
    {
      *size = 3;
      return ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
  if (avail >= 4)
    {
      *size = 4;
      return ((s[0] & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
  *size = 1;
  return s[0];
}

/* graphql-js counts columns in UTF-16 code units: one per BMP code point, two
 * for a supplementary one. Continuation bytes count nothing. */
static guint
utf16_units (const char *s,
             gsize       len)
{
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];

      if ((c & 0xC0) == 0x80)
        continue;
      n += c >= 0xF0 ? 2 : 1;
    }
  return n;
}

void
bough_gql_lexer_location (BoughGqlLexer *lexer,
                          gsize          pos,
                          guint         *line,
                          guint         *column)
{
  g_return_if_fail (lexer != NULL);

  if (pos >= lexer->line_start && pos <= lexer->length)
    {
      gboolean cached = lexer->column_pos >= lexer->line_start && pos >= lexer->column_pos;
      gsize from = cached ? lexer->column_pos : lexer->line_start;

      /* only valid while @pos is on the line the lexer is on */
      if (memchr (lexer->source + from, '\n', pos - from) == NULL &&
          memchr (lexer->source + from, '\r', pos - from) == NULL)
        {
          *line = lexer->line;
          if (cached)
            *column = lexer->column + utf16_units (lexer->source + from, pos - from);
          else
            *column = 1 + utf16_units (lexer->source + from, pos - from);
          return;
        }
    }

  /* Another line: rare (only errors point elsewhere), so scan from the start. */
  {
    guint l = 1;
    gsize ls = 0;

    for (gsize i = 0; i < pos && i < lexer->length; i++)
      {
        char c = lexer->source[i];

        if (c == '\n' || (c == '\r' && (i + 1 >= lexer->length || lexer->source[i + 1] != '\n')))
          {
            l++;
            ls = i + 1;
          }
      }
    *line = l;
    *column = 1 + utf16_units (lexer->source + ls, pos - ls);
  }
}

static char *
describe_code_point (BoughGqlLexer *lexer,
                     gsize          pos)
{
  gsize size;
  gunichar c = code_point_at (lexer, pos, &size);

  if (pos >= lexer->length)
    return g_strdup ("<EOF>");
  if (c >= 0x20 && c <= 0x7E)
    return c == '"' ? g_strdup ("'\"'") : g_strdup_printf ("\"%c\"", (char) c);
  return g_strdup_printf ("U+%04X", c);
}

static gboolean
lexer_error (BoughGqlLexer *lexer,
             gsize          pos,
             const char    *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
lexer_error (BoughGqlLexer *lexer,
             gsize          pos,
             const char    *format,
             ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  g_free (lexer->error_message);
  lexer->error_message = g_strconcat ("Syntax Error: ", msg, NULL);
  bough_gql_lexer_location (lexer, pos, &lexer->error_line, &lexer->error_column);
  return FALSE;
}

static inline gboolean
is_name_start (int c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static inline gboolean
is_name_continue (int c)
{
  return is_name_start (c) || (c >= '0' && c <= '9');
}

static inline gboolean
is_digit (int c)
{
  return c >= '0' && c <= '9';
}

static void
newline (BoughGqlLexer *lexer,
         gsize          next_line_start)
{
  lexer->line++;
  lexer->line_start = next_line_start;
}

static void
set_token (BoughGqlLexer     *lexer,
           BoughGqlTokenKind  kind,
           gsize              start,
           gsize              end,
           const char        *value)
{
  BoughGqlToken *t = &lexer->token;

  t->kind = kind;
  t->start = start;
  t->end = end;
  bough_gql_lexer_location (lexer, start, &t->line, &t->column);
  lexer->column_pos = start;
  lexer->column = t->column;
  t->value = value;
  lexer->pos = end;
}

static gboolean
read_digits (BoughGqlLexer *lexer,
             gsize         *pos)
{
  if (!is_digit (peek_byte (lexer, *pos)))
    {
      g_autofree char *desc = describe_code_point (lexer, *pos);

      return lexer_error (lexer, *pos, "Invalid number, expected digit but got: %s.", desc);
    }
  while (is_digit (peek_byte (lexer, *pos)))
    (*pos)++;
  return TRUE;
}

static gboolean
read_number (BoughGqlLexer *lexer,
             gsize          start)
{
  gsize pos = start;
  gboolean is_float = FALSE;
  int c = peek_byte (lexer, pos);

  if (c == '-')
    c = peek_byte (lexer, ++pos);

  if (c == '0')
    {
      c = peek_byte (lexer, ++pos);
      if (is_digit (c))
        {
          g_autofree char *desc = describe_code_point (lexer, pos);

          return lexer_error (lexer, pos, "Invalid number, unexpected digit after 0: %s.", desc);
        }
    }
  else
    {
      if (!read_digits (lexer, &pos))
        return FALSE;
      c = peek_byte (lexer, pos);
    }

  if (c == '.')
    {
      is_float = TRUE;
      pos++;
      if (!read_digits (lexer, &pos))
        return FALSE;
      c = peek_byte (lexer, pos);
    }

  if (c == 'E' || c == 'e')
    {
      is_float = TRUE;
      c = peek_byte (lexer, ++pos);
      if (c == '+' || c == '-')
        pos++;
      if (!read_digits (lexer, &pos))
        return FALSE;
      c = peek_byte (lexer, pos);
    }

  /* Numbers cannot be followed by . or a name start. */
  if (c == '.' || is_name_start (c))
    {
      g_autofree char *desc = describe_code_point (lexer, pos);

      return lexer_error (lexer, pos, "Invalid number, expected digit but got: %s.", desc);
    }

  set_token (lexer, is_float ? BOUGH_GQL_TOKEN_FLOAT : BOUGH_GQL_TOKEN_INT, start, pos,
             bough_gql_arena_strndup (lexer->arena, lexer->source + start, pos - start));
  return TRUE;
}

static int
hex_value (int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int
read_hex4 (BoughGqlLexer *lexer,
           gsize          pos)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (peek_byte (lexer, pos + i));

      if (h < 0)
        return -1;
      v = (v << 4) | h;
    }
  return v;
}

static inline gboolean
is_scalar_value (gint64 c)
{
  return (c >= 0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0x10FFFF);
}

/* The bytes of the escape for the message: graphql-js slices UTF-16 units,
 * escapes are ASCII except for what follows, so slicing code points is close
 * enough and always valid UTF-8. */
static char *
slice_chars (BoughGqlLexer *lexer,
             gsize          pos,
             guint          n_chars)
{
  gsize end = pos;

  for (guint i = 0; i < n_chars && end < lexer->length; i++)
    {
      gsize size;

      code_point_at (lexer, end, &size);
      end += size;
    }
  return g_strndup (lexer->source + pos, end - pos);
}

static gboolean
read_escaped_unicode (BoughGqlLexer *lexer,
                      gsize          pos,
                      GString       *out,
                      gsize         *size)
{
  if (peek_byte (lexer, pos + 2) == '{')
    {
      gint64 point = 0;
      guint n = 3;

      while (n < 12)
        {
          int c = peek_byte (lexer, pos + n++);
          int h;

          if (c == '}')
            {
              if (n < 5 || !is_scalar_value (point) || point == 0)
                break;
              g_string_append_unichar (out, (gunichar) point);
              *size = n;
              return TRUE;
            }
          h = hex_value (c);
          if (h < 0)
            break;
          point = (point << 4) | h;
          if (point > 0x7FFFFFFF)
            break;
        }
      {
        g_autofree char *s = slice_chars (lexer, pos, n);

        return lexer_error (lexer, pos, "Invalid Unicode escape sequence: \"%s\".", s);
      }
    }
  else
    {
      int code = read_hex4 (lexer, pos + 2);

      if (code > 0 && is_scalar_value (code))
        {
          g_string_append_unichar (out, (gunichar) code);
          *size = 6;
          return TRUE;
        }
      if (code >= 0xD800 && code <= 0xDBFF &&
          peek_byte (lexer, pos + 6) == '\\' && peek_byte (lexer, pos + 7) == 'u')
        {
          int trail = read_hex4 (lexer, pos + 8);

          if (trail >= 0xDC00 && trail <= 0xDFFF)
            {
              gunichar c = 0x10000 + ((code - 0xD800) << 10) + (trail - 0xDC00);

              g_string_append_unichar (out, c);
              *size = 12;
              return TRUE;
            }
        }
      {
        g_autofree char *s = slice_chars (lexer, pos, 6);

        return lexer_error (lexer, pos, "Invalid Unicode escape sequence: \"%s\".", s);
      }
    }
}

static gboolean
read_string (BoughGqlLexer *lexer,
             gsize          start)
{
  gsize pos = start + 1;
  gsize chunk = pos;
  g_autoptr(GString) value = g_string_new (NULL);

  while (pos < lexer->length)
    {
      int c = peek_byte (lexer, pos);

      if (c == '"')
        {
          g_string_append_len (value, lexer->source + chunk, pos - chunk);
          set_token (lexer, BOUGH_GQL_TOKEN_STRING, start, pos + 1,
                     bough_gql_arena_strndup (lexer->arena, value->str, value->len));
          return TRUE;
        }

      if (c == '\\')
        {
          gsize size = 2;
          int e = peek_byte (lexer, pos + 1);

          g_string_append_len (value, lexer->source + chunk, pos - chunk);
          switch (e)
            {
            case '"': g_string_append_c (value, '"'); break;
            case '\\': g_string_append_c (value, '\\'); break;
            case '/': g_string_append_c (value, '/'); break;
            case 'b': g_string_append_c (value, '\b'); break;
            case 'f': g_string_append_c (value, '\f'); break;
            case 'n': g_string_append_c (value, '\n'); break;
            case 'r': g_string_append_c (value, '\r'); break;
            case 't': g_string_append_c (value, '\t'); break;
            case 'u':
              if (!read_escaped_unicode (lexer, pos, value, &size))
                return FALSE;
              break;
            default:
              {
                g_autofree char *s = slice_chars (lexer, pos, 2);

                return lexer_error (lexer, pos, "Invalid character escape sequence: \"%s\".", s);
              }
            }
          pos += size;
          chunk = pos;
          continue;
        }

      if (c == '\n' || c == '\r')
        break;

      if (c == 0)
        return lexer_error (lexer, pos, "Invalid character within String: U+0000.");

      /* Any other code point is a source character: the whole document was
       * checked to be valid UTF-8, so no lone surrogate can appear here. */
      {
        gsize size;

        code_point_at (lexer, pos, &size);
        pos += size;
      }
    }

  return lexer_error (lexer, pos, "Unterminated string.");
}

static gsize
leading_whitespace (const char *line,
                    gsize       len)
{
  gsize i = 0;

  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  return i;
}

/* The specification's BlockStringValue(): drop the common indentation of all
 * lines but the first, then the leading and trailing blank lines. */
static char *
dedent_block_string (BoughGqlArena *arena,
                     GPtrArray     *lines)
{
  gsize common = G_MAXSIZE;
  gint first = -1;
  gint last = -1;
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      GString *line = g_ptr_array_index (lines, i);
      gsize indent = leading_whitespace (line->str, line->len);

      if (indent == line->len)
        continue;
      if (first < 0)
        first = i;
      last = i;
      if (i != 0 && indent < common)
        common = indent;
    }

  if (first < 0)
    first = 0;
  for (gint i = first; i <= last; i++)
    {
      GString *line = g_ptr_array_index (lines, i);

      if (i > first)
        g_string_append_c (out, '\n');
      if (i == 0)
        g_string_append_len (out, line->str, line->len);
      else if (common < line->len)
        g_string_append_len (out, line->str + common, line->len - common);
    }
  return bough_gql_arena_strndup (arena, out->str, out->len);
}

static void
free_gstring (gpointer data)
{
  g_string_free (data, TRUE);
}

static gboolean
read_block_string (BoughGqlLexer *lexer,
                   gsize          start)
{
  gsize pos = start + 3;
  guint start_line = lexer->line;
  gsize start_line_start = lexer->line_start;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (free_gstring);
  GString *current = g_string_new (NULL);
  gsize chunk = pos;

  g_ptr_array_add (lines, current);

  while (pos < lexer->length)
    {
      int c = peek_byte (lexer, pos);

      if (c == '"' && peek_byte (lexer, pos + 1) == '"' && peek_byte (lexer, pos + 2) == '"')
        {
          char *value;
          guint end_line = lexer->line;
          gsize end_line_start = lexer->line_start;

          g_string_append_len (current, lexer->source + chunk, pos - chunk);
          value = dedent_block_string (lexer->arena, lines);
          /* The token starts on the line where it opened. */
          lexer->line = start_line;
          lexer->line_start = start_line_start;
          set_token (lexer, BOUGH_GQL_TOKEN_BLOCK_STRING, start, pos + 3, value);
          lexer->line = end_line;
          lexer->line_start = end_line_start;
          return TRUE;
        }

      if (c == '\\' && peek_byte (lexer, pos + 1) == '"' &&
          peek_byte (lexer, pos + 2) == '"' && peek_byte (lexer, pos + 3) == '"')
        {
          g_string_append_len (current, lexer->source + chunk, pos - chunk);
          g_string_append (current, "\"\"\"");
          pos += 4;
          chunk = pos;
          continue;
        }

      if (c == '\n' || c == '\r')
        {
          g_string_append_len (current, lexer->source + chunk, pos - chunk);
          current = g_string_new (NULL);
          g_ptr_array_add (lines, current);
          pos += (c == '\r' && peek_byte (lexer, pos + 1) == '\n') ? 2 : 1;
          chunk = pos;
          newline (lexer, pos);
          continue;
        }

      if (c == 0)
        return lexer_error (lexer, pos, "Invalid character within String: U+0000.");

      {
        gsize size;

        code_point_at (lexer, pos, &size);
        pos += size;
      }
    }

  return lexer_error (lexer, pos, "Unterminated string.");
}

static gboolean
read_next_token (BoughGqlLexer *lexer)
{
  gsize pos = lexer->pos;

  while (pos < lexer->length)
    {
      int c = peek_byte (lexer, pos);

      switch (c)
        {
        case 0xEF:
          /* U+FEFF, the byte order mark, is ignored like white space. */
          if (peek_byte (lexer, pos + 1) == 0xBB && peek_byte (lexer, pos + 2) == 0xBF)
            {
              pos += 3;
              continue;
            }
          break;
        case '\t':
        case ' ':
        case ',':
          pos++;
          continue;
        case '\n':
          pos++;
          newline (lexer, pos);
          continue;
        case '\r':
          pos += peek_byte (lexer, pos + 1) == '\n' ? 2 : 1;
          newline (lexer, pos);
          continue;
        case '#':
          while (pos < lexer->length && lexer->source[pos] != '\n' && lexer->source[pos] != '\r')
            pos++;
          continue;
        case '!':
          set_token (lexer, BOUGH_GQL_TOKEN_BANG, pos, pos + 1, NULL);
          return TRUE;
        case '$':
          set_token (lexer, BOUGH_GQL_TOKEN_DOLLAR, pos, pos + 1, NULL);
          return TRUE;
        case '&':
          set_token (lexer, BOUGH_GQL_TOKEN_AMP, pos, pos + 1, NULL);
          return TRUE;
        case '(':
          set_token (lexer, BOUGH_GQL_TOKEN_PAREN_L, pos, pos + 1, NULL);
          return TRUE;
        case ')':
          set_token (lexer, BOUGH_GQL_TOKEN_PAREN_R, pos, pos + 1, NULL);
          return TRUE;
        case '.':
          if (peek_byte (lexer, pos + 1) == '.' && peek_byte (lexer, pos + 2) == '.')
            {
              set_token (lexer, BOUGH_GQL_TOKEN_SPREAD, pos, pos + 3, NULL);
              return TRUE;
            }
          break;
        case ':':
          set_token (lexer, BOUGH_GQL_TOKEN_COLON, pos, pos + 1, NULL);
          return TRUE;
        case '=':
          set_token (lexer, BOUGH_GQL_TOKEN_EQUALS, pos, pos + 1, NULL);
          return TRUE;
        case '@':
          set_token (lexer, BOUGH_GQL_TOKEN_AT, pos, pos + 1, NULL);
          return TRUE;
        case '[':
          set_token (lexer, BOUGH_GQL_TOKEN_BRACKET_L, pos, pos + 1, NULL);
          return TRUE;
        case ']':
          set_token (lexer, BOUGH_GQL_TOKEN_BRACKET_R, pos, pos + 1, NULL);
          return TRUE;
        case '{':
          set_token (lexer, BOUGH_GQL_TOKEN_BRACE_L, pos, pos + 1, NULL);
          return TRUE;
        case '|':
          set_token (lexer, BOUGH_GQL_TOKEN_PIPE, pos, pos + 1, NULL);
          return TRUE;
        case '}':
          set_token (lexer, BOUGH_GQL_TOKEN_BRACE_R, pos, pos + 1, NULL);
          return TRUE;
        case '"':
          if (peek_byte (lexer, pos + 1) == '"' && peek_byte (lexer, pos + 2) == '"')
            return read_block_string (lexer, pos);
          return read_string (lexer, pos);
        default:
          break;
        }

      if (is_digit (c) || c == '-')
        return read_number (lexer, pos);

      if (is_name_start (c))
        {
          gsize end = pos + 1;

          while (is_name_continue (peek_byte (lexer, end)))
            end++;
          set_token (lexer, BOUGH_GQL_TOKEN_NAME, pos, end,
                     bough_gql_arena_strndup (lexer->arena, lexer->source + pos, end - pos));
          return TRUE;
        }

      if (c == '\'')
        return lexer_error (lexer, pos,
                            "Unexpected single quote character ('), did you mean to use a double quote (\")?");
      {
        g_autofree char *desc = describe_code_point (lexer, pos);

        return lexer_error (lexer, pos, "Unexpected character: %s.", desc);
      }
    }

  set_token (lexer, BOUGH_GQL_TOKEN_EOF, lexer->length, lexer->length, NULL);
  return TRUE;
}

/**
 * bough_gql_lexer_advance:
 *
 * Reads the next token into lexer->token, skipping ignored tokens. Returns
 * %FALSE with error_message set on a lexical error.
 */
gboolean
bough_gql_lexer_advance (BoughGqlLexer *lexer)
{
  g_return_val_if_fail (lexer != NULL, FALSE);

  if (lexer->token.kind == BOUGH_GQL_TOKEN_EOF)
    return TRUE;
  if (!read_next_token (lexer))
    return FALSE;
  if (lexer->token.kind != BOUGH_GQL_TOKEN_EOF)
    lexer->n_tokens++;
  return TRUE;
}

gboolean
bough_gql_lexer_lookahead (BoughGqlLexer *lexer,
                           BoughGqlToken *out)
{
  BoughGqlLexer saved;
  gboolean ok;

  g_return_val_if_fail (lexer != NULL, FALSE);

  if (lexer->token.kind == BOUGH_GQL_TOKEN_EOF)
    {
      *out = lexer->token;
      return TRUE;
    }

  saved = *lexer;
  ok = read_next_token (lexer);
  *out = lexer->token;
  if (!ok)
    return FALSE;
  saved.error_message = lexer->error_message;
  *lexer = saved;
  return TRUE;
}

const char *
bough_gql_token_kind_to_string (BoughGqlTokenKind kind)
{
  static const char *names[] = {
    "<SOF>", "<EOF>", "!", "$", "&", "(", ")", "...", ":", "=", "@", "[", "]", "{", "|", "}",
    "Name", "Int", "Float", "String", "BlockString",
  };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), "?");
  return names[kind];
}

static gboolean
is_punctuator (BoughGqlTokenKind kind)
{
  return kind >= BOUGH_GQL_TOKEN_BANG && kind <= BOUGH_GQL_TOKEN_BRACE_R;
}

/* Describes a kind the way graphql-js does: punctuators in quotes. */
char *
bough_gql_token_kind_describe (BoughGqlTokenKind kind)
{
  if (is_punctuator (kind))
    return g_strdup_printf ("\"%s\"", bough_gql_token_kind_to_string (kind));
  return g_strdup (bough_gql_token_kind_to_string (kind));
}

char *
bough_gql_token_describe (const BoughGqlToken *token)
{
  g_autofree char *kind = NULL;

  g_return_val_if_fail (token != NULL, NULL);

  kind = bough_gql_token_kind_describe (token->kind);
  if (token->value != NULL)
    return g_strdup_printf ("%s \"%s\"", kind, token->value);
  return g_steal_pointer (&kind);
}
