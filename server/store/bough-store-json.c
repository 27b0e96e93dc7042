/* bough-store-json.c: a compact JSON writer and reader for the store's own
 * row texts (attribute packs, hfids, bound arrays). They run for every row
 * read or written, where JsonGenerator and JsonParser (a GObject and a
 * scanner per call) dominated the cost.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bough-store-json.h"

void
_bough_json_append_string (GString    *out,
                           const char *s)
{
  const guchar *plain = (const guchar *) s;

  /* the common case, nothing to escape: one copy */
  while (*plain >= 0x20 && *plain != '"' && *plain != '\\')
    plain++;
  if (*plain == '\0')
    {
      g_string_append_c (out, '"');
      g_string_append_len (out, s, (const char *) plain - s);
      g_string_append_c (out, '"');
      return;
    }
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

void
_bough_json_append (GString  *out,
                    JsonNode *node)
{
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            _bough_json_append_string (out, name);
            g_string_append_c (out, ':');
            _bough_json_append (out, member);
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            _bough_json_append (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);
        if (t == G_TYPE_STRING)
          _bough_json_append_string (out, json_node_get_string (node));
        else if (t == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
        else if (t == G_TYPE_DOUBLE)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            double d = json_node_get_double (node);
            if (d == (double) (gint64) d && d < 1e15 && d > -1e15)
              g_string_append_printf (out, "%" G_GINT64_FORMAT ".0", (gint64) d);
            else
              g_string_append (out, g_ascii_dtostr (buf, sizeof buf, d));
          }
        else
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      }
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/* ---- reader ---- */

typedef struct
{
  const char *p;
  guint       depth;
} Reader;

static void
skip_ws (Reader *r)
{
  while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r')
    r->p++;
}

static gboolean
read_hex4 (Reader   *r,
           gunichar *out)
{
  gunichar v = 0;

  for (guint i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (r->p[i]);
      if (d < 0)
        return FALSE;
      v = v * 16 + d;
    }
  r->p += 4;
  *out = v;
  return TRUE;
}

static char *
read_string (Reader *r)
{
  GString *s;
  const char *start;

  if (*r->p != '"')
    return NULL;
  r->p++;
  start = r->p;
  /* the common case: no escapes */
  while (*r->p && *r->p != '"' && *r->p != '\\')
    r->p++;
  if (*r->p == '"')
    {
      char *out = g_strndup (start, r->p - start);
      r->p++;
      return out;
    }
  s = g_string_new_len (start, r->p - start);
  while (*r->p && *r->p != '"')
    {
      if (*r->p != '\\')
        {
          g_string_append_c (s, *r->p++);
          continue;
        }
      r->p++;
      switch (*r->p)
        {
        case '"': g_string_append_c (s, '"'); r->p++; break;
        case '\\': g_string_append_c (s, '\\'); r->p++; break;
        case '/': g_string_append_c (s, '/'); r->p++; break;
        case 'b': g_string_append_c (s, '\b'); r->p++; break;
        case 'f': g_string_append_c (s, '\f'); r->p++; break;
        case 'n': g_string_append_c (s, '\n'); r->p++; break;
        case 'r': g_string_append_c (s, '\r'); r->p++; break;
        case 't': g_string_append_c (s, '\t'); r->p++; break;
        case 'u':
          {
            gunichar c, lo;
            r->p++;
            if (!read_hex4 (r, &c))
              goto fail;
            if (c >= 0xd800 && c < 0xdc00 && r->p[0] == '\\' && r->p[1] == 'u')
              {
                r->p += 2;
                if (!read_hex4 (r, &lo) || lo < 0xdc00 || lo > 0xdfff)
                  goto fail;
                c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
              }
            g_string_append_unichar (s, c);
          }
          break;
        default:
          goto fail;
        }
    }
  if (*r->p != '"')
    goto fail;
  r->p++;
  return g_string_free (s, FALSE);

fail:
  g_string_free (s, TRUE);
  return NULL;
}

static JsonNode *read_value (Reader *r);

static JsonNode *
read_value (Reader *r)
{
  JsonNode *node;

  skip_ws (r);
  if (++r->depth > 64)
    return NULL;
  switch (*r->p)
    {
    case '{':
      {
        JsonObject *obj = json_object_new ();
        r->p++;
        skip_ws (r);
        if (*r->p == '}')
          r->p++;
        else
          for (;;)
            {
              char *name;
              JsonNode *member;

              skip_ws (r);
              name = read_string (r);
              if (name == NULL)
                goto obj_fail;
              skip_ws (r);
              if (*r->p != ':')
                {
                  g_free (name);
                  goto obj_fail;
                }
              r->p++;
              member = read_value (r);
              if (member == NULL)
                {
                  g_free (name);
                  goto obj_fail;
                }
              json_object_set_member (obj, name, member);
              g_free (name);
              skip_ws (r);
              if (*r->p == ',')
                {
                  r->p++;
                  continue;
                }
              if (*r->p == '}')
                {
                  r->p++;
                  break;
                }
              goto obj_fail;
            }
        node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, obj);
        break;
      obj_fail:
        json_object_unref (obj);
        return NULL;
      }
    case '[':
      {
        JsonArray *array = json_array_new ();
        r->p++;
        skip_ws (r);
        if (*r->p == ']')
          r->p++;
        else
          for (;;)
            {
              JsonNode *e = read_value (r);
              if (e == NULL)
                goto arr_fail;
              json_array_add_element (array, e);
              skip_ws (r);
              if (*r->p == ',')
                {
                  r->p++;
                  continue;
                }
              if (*r->p == ']')
                {
                  r->p++;
                  break;
                }
              goto arr_fail;
            }
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        break;
      arr_fail:
        json_array_unref (array);
        return NULL;
      }
    case '"':
      {
        char *s = read_string (r);
        if (s == NULL)
          return NULL;
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, s);
        g_free (s);
        break;
      }
    case 't':
      if (strncmp (r->p, "true", 4) != 0)
        return NULL;
      r->p += 4;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, TRUE);
      break;
    case 'f':
      if (strncmp (r->p, "false", 5) != 0)
        return NULL;
      r->p += 5;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, FALSE);
      break;
    case 'n':
      if (strncmp (r->p, "null", 4) != 0)
        return NULL;
      r->p += 4;
      node = json_node_new (JSON_NODE_NULL);
      break;
    default:
      {
        const char *start = r->p;
        gboolean is_double = FALSE;

        if (*r->p == '-')
          r->p++;
        if (!g_ascii_isdigit (*r->p))
          return NULL;
        while (g_ascii_isdigit (*r->p) || *r->p == '.' || *r->p == 'e' || *r->p == 'E' ||
               ((*r->p == '+' || *r->p == '-') && (r->p[-1] == 'e' || r->p[-1] == 'E')))
          {
            if (!g_ascii_isdigit (*r->p))
              is_double = TRUE;
            r->p++;
          }
        node = json_node_new (JSON_NODE_VALUE);
        if (is_double)
          json_node_set_double (node, g_ascii_strtod (start, NULL));
        else
          json_node_set_int (node, g_ascii_strtoll (start, NULL, 10));
      }
      break;
    }
  r->depth--;
  return node;
}

/* Parses JSON text; NULL when it is not valid JSON. */
JsonNode *
_bough_json_read (const char *text)
{
  Reader r = { text, 0 };
  JsonNode *node = read_value (&r);

  if (node == NULL)
    return NULL;
  skip_ws (&r);
  if (*r.p != '\0')
    {
      json_node_unref (node);
      return NULL;
    }
  return node;
}

/* ---- pull reader ---- */

void
_bough_json_reader_init (BoughJsonReader *r,
                         const char      *text)
{
  r->p = text != NULL ? text : "";
  r->depth = 0;
}

/* Enters the object at the reader: FALSE when there is none. */
gboolean
_bough_json_reader_enter_object (BoughJsonReader *r)
{
  Reader *rr = (Reader *) r;

  skip_ws (rr);
  if (*rr->p != '{')
    return FALSE;
  rr->p++;
  return TRUE;
}

/* The next member of the object entered: 1 with its name in @name (the
 * reader is then at its value), 0 at the end of the object (then left),
 * -1 on malformed text or a name longer than @size. */
int
_bough_json_reader_next_member (BoughJsonReader *r,
                                char            *name,
                                gsize            size)
{
  Reader *rr = (Reader *) r;
  const char *start;

  skip_ws (rr);
  if (*rr->p == '}')
    {
      rr->p++;
      return 0;
    }
  if (*rr->p == ',')
    {
      rr->p++;
      skip_ws (rr);
    }
  if (*rr->p != '"')
    return -1;
  start = rr->p + 1;
  for (const char *q = start; *q; q++)
    {
      if (*q == '\\')
        break;
      if (*q == '"')
        {
          if ((gsize) (q - start) >= size)
            return -1;
          memcpy (name, start, q - start);
          name[q - start] = '\0';
          rr->p = q + 1;
          goto colon;
        }
    }
  {
    g_autofree char *s = read_string (rr);
    if (s == NULL || g_strlcpy (name, s, size) >= size)
      return -1;
  }
colon:
  skip_ws (rr);
  if (*rr->p != ':')
    return -1;
  rr->p++;
  return 1;
}

/* The value at the reader, as a new node; NULL on malformed text. */
JsonNode *
_bough_json_reader_value (BoughJsonReader *r)
{
  return read_value ((Reader *) r);
}

gboolean
_bough_json_reader_skip (BoughJsonReader *r)
{
  g_autoptr(JsonNode) node = read_value ((Reader *) r);
  return node != NULL;
}

/* A boolean; anything else is read and taken as FALSE. */
gboolean
_bough_json_reader_boolean (BoughJsonReader *r,
                            gboolean        *value)
{
  Reader *rr = (Reader *) r;

  skip_ws (rr);
  if (strncmp (rr->p, "true", 4) == 0)
    {
      rr->p += 4;
      *value = TRUE;
      return TRUE;
    }
  if (strncmp (rr->p, "false", 5) == 0)
    {
      rr->p += 5;
      *value = FALSE;
      return TRUE;
    }
  *value = FALSE;
  return _bough_json_reader_skip (r);
}

/* An integer; anything else is read and taken as 0. */
gboolean
_bough_json_reader_int (BoughJsonReader *r,
                        gint64          *value)
{
  Reader *rr = (Reader *) r;
  g_autoptr(JsonNode) node = NULL;

  skip_ws (rr);
  if (*rr->p == '-' || g_ascii_isdigit (*rr->p))
    {
      char *end;
      gint64 v = g_ascii_strtoll (rr->p, &end, 10);
      if (end != rr->p && *end != '.' && *end != 'e' && *end != 'E')
        {
          rr->p = end;
          *value = v;
          return TRUE;
        }
    }
  node = read_value (rr);
  *value = 0;
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *value = (gint64) json_node_get_double (node);
  return TRUE;
}

/* A string (a new copy) or null (%NULL); anything else is read and taken as
 * null. */
gboolean
_bough_json_reader_string (BoughJsonReader *r,
                           char           **value)
{
  Reader *rr = (Reader *) r;

  *value = NULL;
  skip_ws (rr);
  if (*rr->p == '"')
    {
      *value = read_string (rr);
      return *value != NULL;
    }
  return _bough_json_reader_skip (r);
}

/* A JSON array of strings as a string vector; %NULL for %NULL, malformed
 * text or any element that is not a string. */
char **
_bough_json_read_strv (const char *text)
{
  Reader r = { text, 0 };
  GPtrArray *out;

  if (text == NULL)
    return NULL;
  skip_ws (&r);
  if (*r.p != '[')
    return NULL;
  r.p++;
  out = g_ptr_array_new_with_free_func (g_free);
  skip_ws (&r);
  if (*r.p == ']')
    r.p++;
  else
    for (;;)
      {
        char *s;

        skip_ws (&r);
        s = read_string (&r);
        if (s == NULL)
          goto fail;
        g_ptr_array_add (out, s);
        skip_ws (&r);
        if (*r.p == ',')
          {
            r.p++;
            continue;
          }
        if (*r.p == ']')
          {
            r.p++;
            break;
          }
        goto fail;
      }
  g_ptr_array_add (out, NULL);
  g_ptr_array_set_free_func (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);

fail:
  g_ptr_array_free (out, TRUE);
  return NULL;
}

/* ---- raw slices ---- */

/* The end of the JSON value starting at @p (after whitespace), or NULL when
 * the text is malformed. Strings are skipped escape by escape, containers
 * bracket by bracket: nothing is decoded. */
const char *
_bough_json_raw_skip (const char *p)
{
  guint depth = 0;

  while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
    p++;
  do
    {
      switch (*p)
        {
        case '\0':
          return NULL;
        case '"':
          for (p++; *p != '"'; p++)
            {
              if (*p == '\0')
                return NULL;
              if (*p == '\\' && *++p == '\0')
                return NULL;
            }
          p++;
          break;
        case '{':
        case '[':
          depth++;
          p++;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return NULL;
          depth--;
          p++;
          break;
        default:
          /* literals, numbers, separators and whitespace inside containers */
          if (depth == 0)
            {
              const char *start = p;
              while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' &&
                     *p != '\t' && *p != '\r')
                p++;
              return p > start ? p : NULL;
            }
          p++;
          break;
        }
    }
  while (depth > 0);
  return p;
}

/* The members of the object that @text (@len bytes, or up to its NUL with
 * -1) holds, appended to @out (of BoughJsonRawMember) as slices of @text.
 * FALSE when it is not an object, is malformed, or has a member name with an
 * escape (the caller then parses it). */
gboolean
_bough_json_raw_members (const char *text,
                         gsize       len,
                         GArray     *out)
{
  const char *p = text;
  const char *end = len == (gsize) -1 ? NULL : text + len;

  while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
    p++;
  if (*p != '{')
    return FALSE;
  p++;
  for (;;)
    {
      BoughJsonRawMember m;
      const char *q;

      while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == ',')
        p++;
      if (*p == '}')
        break;
      if (*p != '"')
        return FALSE;
      m.name = ++p;
      for (q = p; *q && *q != '"'; q++)
        if (*q == '\\')
          return FALSE;
      if (*q != '"')
        return FALSE;
      m.name_len = q - p;
      p = q + 1;
      while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
      if (*p != ':')
        return FALSE;
      p++;
      while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
      m.value = p;
      q = _bough_json_raw_skip (p);
      if (q == NULL || (end != NULL && q > end))
        return FALSE;
      m.value_len = q - p;
      p = q;
      g_array_append_val (out, m);
    }
  return end == NULL || p < end;
}

/* The member @name of @members, or NULL. */
const BoughJsonRawMember *
_bough_json_raw_find (GArray     *members,
                      const char *name)
{
  gsize n = strlen (name);

  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      const BoughJsonRawMember *m = &g_array_index (members, BoughJsonRawMember, i);
      if (m->name_len == n && memcmp (m->name, name, n) == 0)
        return m;
    }
  return NULL;
}

/* A stored attributes text (an object of entries) with "updated_at": @stamp
 * added to each entry that has none (the stored form leaves it out when it
 * is the stamp of its row): the text of the same attributes in a row of a
 * later stamp. Members that are not objects are left out, as the writer
 * does. NULL when @text is malformed. */
char *
_bough_json_raw_restamp (const char *text,
                         gint64      stamp)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (BoughJsonRawMember));
  GString *out;
  gboolean first = TRUE;

  if (!_bough_json_raw_members (text, (gsize) -1, members))
    return NULL;
  out = g_string_sized_new (strlen (text) + 16 * members->len);
  g_string_append_c (out, '{');
  for (guint i = 0; i < members->len; i++)
    {
      const BoughJsonRawMember *m = &g_array_index (members, BoughJsonRawMember, i);
      g_autoptr(GArray) inner = g_array_new (FALSE, FALSE, sizeof (BoughJsonRawMember));

      if (m->value[0] != '{' || !_bough_json_raw_members (m->value, m->value_len, inner))
        {
          if (m->value[0] == '{')
            {
              g_string_free (out, TRUE);
              return NULL;
            }
          continue;
        }
      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      g_string_append_c (out, '"');
      g_string_append_len (out, m->name, m->name_len);
      g_string_append (out, "\":");
      if (_bough_json_raw_find (inner, "updated_at") != NULL)
        g_string_append_len (out, m->value, m->value_len);
      else
        {
          /* the entry without its closing brace, then the stamp */
          const char *close = m->value + m->value_len - 1;
          g_string_append_len (out, m->value, close - m->value);
          g_string_append_printf (out, "%s\"updated_at\":%" G_GINT64_FORMAT "}",
                                  inner->len > 0 ? "," : "", stamp);
        }
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}
