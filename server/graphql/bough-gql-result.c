/* bough-gql-result.c: the executor's response tree and its JSON writer. A response of
 * thousands of nodes is thousands of small objects: they live in one arena freed at once,
 * members are a singly linked list in insertion order (GraphQL response keys are unique
 * per selection once merged), and the text is written straight into one GString.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-gql-result"

#include "config.h"

#include <math.h>
#include <string.h>

#include "bough-gql-result.h"

#define BLOCK_SIZE (64 * 1024)

typedef enum
{
  ITEM_NULL,
  ITEM_BOOLEAN,
  ITEM_INT,
  ITEM_DOUBLE,
  ITEM_STRING,
  ITEM_STRV,
  ITEM_JSON,
  ITEM_OBJECT,
  ITEM_ARRAY,
} ItemKind;

typedef struct _Member Member;
struct _Member
{
  Member     *next;
  const char *key;              /* NULL in arrays */
  ItemKind    kind;
  union
  {
    gboolean        b;
    gint64          i;
    double          d;
    const char     *s;
    char          **strv;
    JsonNode       *json;
    BoughGqlObject *obj;
    BoughGqlArray  *array;
  } v;
};

struct _BoughGqlObject
{
  Member   *first;
  Member   *last;
  gboolean  nulled;
};

struct _BoughGqlArray
{
  Member *first;
  Member *last;
};

typedef struct _Block Block;
struct _Block
{
  Block *next;
  gsize  used;
  gsize  size;
  /* data follows, 16-byte aligned by the header's size */
  gint64 align_pad;
};

typedef struct
{
  gpointer       data;
  GDestroyNotify destroy;
} Kept;

struct _BoughGqlTree
{
  Block  *blocks;
  GArray *kept;                 /* of Kept */
};

static gpointer
arena_alloc (BoughGqlTree *tree,
             gsize         size)
{
  Block *b = tree->blocks;
  gpointer p;

  size = (size + 7) & ~(gsize) 7;
  if (b == NULL || b->used + size > b->size)
    {
      gsize n = MAX (BLOCK_SIZE, size);

      b = g_malloc (sizeof (Block) + n);
      b->next = tree->blocks;
      b->used = 0;
      b->size = n;
      tree->blocks = b;
    }
  p = (char *) (b + 1) + b->used;
  b->used += size;
  return p;
}

BoughGqlTree *
bough_gql_tree_new (void)
{
  BoughGqlTree *tree = g_new0 (BoughGqlTree, 1);

  tree->kept = g_array_new (FALSE, FALSE, sizeof (Kept));
  return tree;
}

void
bough_gql_tree_free (BoughGqlTree *tree)
{
  if (tree == NULL)
    return;
  for (guint i = tree->kept->len; i > 0; i--)
    {
      Kept *k = &g_array_index (tree->kept, Kept, i - 1);

      k->destroy (k->data);
    }
  g_array_unref (tree->kept);
  while (tree->blocks != NULL)
    {
      Block *b = tree->blocks;

      tree->blocks = b->next;
      g_free (b);
    }
  g_free (tree);
}

/* Holds @data (borrowed strings and nodes point into it) until the tree is
 * freed; returns @data. */
gpointer
bough_gql_tree_keep (BoughGqlTree   *tree,
                     gpointer        data,
                     GDestroyNotify  destroy)
{
  Kept k = { data, destroy };

  g_return_val_if_fail (tree != NULL && destroy != NULL, data);

  if (data != NULL)
    g_array_append_val (tree->kept, k);
  return data;
}

const char *
bough_gql_tree_strdup (BoughGqlTree *tree,
                       const char   *s)
{
  gsize len;
  char *copy;

  if (s == NULL)
    return NULL;
  len = strlen (s) + 1;
  copy = arena_alloc (tree, len);
  memcpy (copy, s, len);
  return copy;
}

/* A copy of @strv in the arena (%NULL for %NULL). */
char **
bough_gql_tree_strdupv (BoughGqlTree *tree,
                        char        **strv)
{
  char **copy;
  guint n;

  if (strv == NULL)
    return NULL;
  n = g_strv_length (strv);
  copy = arena_alloc (tree, sizeof (char *) * (n + 1));
  for (guint i = 0; i < n; i++)
    copy[i] = (char *) bough_gql_tree_strdup (tree, strv[i]);
  copy[n] = NULL;
  return copy;
}

BoughGqlObject *
bough_gql_tree_new_object (BoughGqlTree *tree)
{
  BoughGqlObject *obj = arena_alloc (tree, sizeof (BoughGqlObject));

  obj->first = obj->last = NULL;
  obj->nulled = FALSE;
  return obj;
}

BoughGqlArray *
bough_gql_tree_new_array (BoughGqlTree *tree)
{
  BoughGqlArray *array = arena_alloc (tree, sizeof (BoughGqlArray));

  array->first = array->last = NULL;
  return array;
}

static Member *
append (BoughGqlTree  *tree,
        Member       **first,
        Member       **last,
        const char    *key,
        ItemKind       kind)
{
  Member *m = arena_alloc (tree, sizeof (Member));

  m->next = NULL;
  m->key = key;
  m->kind = kind;
  if (*last != NULL)
    (*last)->next = m;
  else
    *first = m;
  *last = m;
  return m;
}

#define OBJ_APPEND(tree, obj, key, kind) append ((tree), &(obj)->first, &(obj)->last, (key), (kind))

void
bough_gql_object_set_null (BoughGqlTree   *tree,
                           BoughGqlObject *obj,
                           const char     *key)
{
  OBJ_APPEND (tree, obj, key, ITEM_NULL);
}

void
bough_gql_object_set_boolean (BoughGqlTree   *tree,
                              BoughGqlObject *obj,
                              const char     *key,
                              gboolean        value)
{
  OBJ_APPEND (tree, obj, key, ITEM_BOOLEAN)->v.b = value;
}

void
bough_gql_object_set_int (BoughGqlTree   *tree,
                          BoughGqlObject *obj,
                          const char     *key,
                          gint64          value)
{
  OBJ_APPEND (tree, obj, key, ITEM_INT)->v.i = value;
}

void
bough_gql_object_set_double (BoughGqlTree   *tree,
                             BoughGqlObject *obj,
                             const char     *key,
                             double          value)
{
  OBJ_APPEND (tree, obj, key, ITEM_DOUBLE)->v.d = value;
}

/* @value is borrowed; %NULL sets null. */
void
bough_gql_object_set_string (BoughGqlTree   *tree,
                             BoughGqlObject *obj,
                             const char     *key,
                             const char     *value)
{
  if (value == NULL)
    OBJ_APPEND (tree, obj, key, ITEM_NULL);
  else
    OBJ_APPEND (tree, obj, key, ITEM_STRING)->v.s = value;
}

/* @value is borrowed; %NULL sets null. */
void
bough_gql_object_set_strv (BoughGqlTree   *tree,
                           BoughGqlObject *obj,
                           const char     *key,
                           char          **value)
{
  if (value == NULL)
    OBJ_APPEND (tree, obj, key, ITEM_NULL);
  else
    OBJ_APPEND (tree, obj, key, ITEM_STRV)->v.strv = value;
}

/* @value is borrowed; %NULL sets null. */
void
bough_gql_object_set_json (BoughGqlTree   *tree,
                           BoughGqlObject *obj,
                           const char     *key,
                           JsonNode       *value)
{
  if (value == NULL)
    OBJ_APPEND (tree, obj, key, ITEM_NULL);
  else
    OBJ_APPEND (tree, obj, key, ITEM_JSON)->v.json = value;
}

/* @value may be placed under several parents; it is written as null if a
 * non-null field of it was null (bough_gql_object_mark_null()). */
void
bough_gql_object_set_object (BoughGqlTree   *tree,
                             BoughGqlObject *obj,
                             const char     *key,
                             BoughGqlObject *value)
{
  if (value == NULL)
    OBJ_APPEND (tree, obj, key, ITEM_NULL);
  else
    OBJ_APPEND (tree, obj, key, ITEM_OBJECT)->v.obj = value;
}

void
bough_gql_object_set_array (BoughGqlTree   *tree,
                            BoughGqlObject *obj,
                            const char     *key,
                            BoughGqlArray  *value)
{
  if (value == NULL)
    OBJ_APPEND (tree, obj, key, ITEM_NULL);
  else
    OBJ_APPEND (tree, obj, key, ITEM_ARRAY)->v.array = value;
}

void
bough_gql_object_mark_null (BoughGqlObject *obj)
{
  g_return_if_fail (obj != NULL);

  obj->nulled = TRUE;
}

gboolean
bough_gql_object_is_null (const BoughGqlObject *obj)
{
  g_return_val_if_fail (obj != NULL, TRUE);

  return obj->nulled;
}

void
bough_gql_array_add_object (BoughGqlTree   *tree,
                            BoughGqlArray  *array,
                            BoughGqlObject *value)
{
  OBJ_APPEND (tree, array, NULL, value ? ITEM_OBJECT : ITEM_NULL)->v.obj = value;
}

void
bough_gql_array_add_string (BoughGqlTree  *tree,
                            BoughGqlArray *array,
                            const char    *value)
{
  OBJ_APPEND (tree, array, NULL, value ? ITEM_STRING : ITEM_NULL)->v.s = value;
}

void
bough_gql_array_add_json (BoughGqlTree  *tree,
                          BoughGqlArray *array,
                          JsonNode      *value)
{
  OBJ_APPEND (tree, array, NULL, value ? ITEM_JSON : ITEM_NULL)->v.json = value;
}

/* ---- writing ---- */

/* Appends without the call and checks of g_string_append_len(): a response
 * is hundreds of thousands of short pieces. */
static inline void
put (GString    *out,
     const char *s,
     gsize       n)
{
  if (G_UNLIKELY (out->len + n >= out->allocated_len))
    {
      gsize len = out->len;

      g_string_set_size (out, len + n);
      out->len = len;
    }
  memcpy (out->str + out->len, s, n);
  out->len += n;
  out->str[out->len] = '\0';
}

static inline void
put_c (GString *out,
       char     c)
{
  if (G_UNLIKELY (out->len + 1 >= out->allocated_len))
    {
      g_string_append_c (out, c);
      return;
    }
  out->str[out->len++] = c;
  out->str[out->len] = '\0';
}

#define PUT_LITERAL(out, lit) put ((out), (lit), sizeof (lit) - 1)

/* A JSON string: `"` and `\` escaped, control characters as their short
 * escape or \u00XX; everything else (valid UTF-8 from the store) as is. */
void
bough_gql_write_string (GString    *out,
                        const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = s;
  const char *p;

  put_c (out, '"');
  for (p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      char esc;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      if (p > run)
        put (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"': esc = '"'; break;
        case '\\': esc = '\\'; break;
        case '\b': esc = 'b'; break;
        case '\f': esc = 'f'; break;
        case '\n': esc = 'n'; break;
        case '\r': esc = 'r'; break;
        case '\t': esc = 't'; break;
        default: esc = 0; break;
        }
      if (esc != 0)
        {
          char two[2] = { '\\', esc };

          put (out, two, 2);
        }
      else
        {
          char six[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

          put (out, six, 6);
        }
    }
  if (p > run)
    put (out, run, p - run);
  put_c (out, '"');
}

/* The shortest %g text that reads back as @value, with `.0` added when it
 * would read as an integer (so a Float stays a float for clients). The
 * result is always a valid JSON number: `1e+20`, `-0.0`, `1e-07`. Values
 * that are not finite cannot be written in JSON and come out as null;
 * inputs refuse them (JSON and GraphQL literals). */
void
bough_gql_write_double (GString *out,
                        double   value)
{
  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean integral = TRUE;

  if (!isfinite (value))
    {
      PUT_LITERAL (out, "null");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  for (const char *p = buf; *p != '\0'; p++)
    if (*p != '-' && !g_ascii_isdigit (*p))
      integral = FALSE;
  g_string_append (out, buf);
  if (integral)
    PUT_LITERAL (out, ".0");
}

static void
write_int (GString *out,
           gint64   value)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 u = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    {
      *--p = '0' + (char) (u % 10);
      u /= 10;
    }
  while (u != 0);
  if (value < 0)
    *--p = '-';
  put (out, p, buf + sizeof buf - p);
}

void
bough_gql_json_write (JsonNode *node,
                      GString  *out)
{
  g_return_if_fail (out != NULL);

  if (node == NULL)
    {
      PUT_LITERAL (out, "null");
      return;
    }
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        put_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              put_c (out, ',');
            first = FALSE;
            bough_gql_write_string (out, name);
            put_c (out, ':');
            bough_gql_json_write (member, out);
          }
        put_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        put_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              put_c (out, ',');
            bough_gql_json_write (json_array_get_element (array, i), out);
          }
        put_c (out, ']');
      }
      break;
    case JSON_NODE_NULL:
      PUT_LITERAL (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          write_int (out, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          bough_gql_write_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          if (json_node_get_boolean (node))
            PUT_LITERAL (out, "true");
          else
            PUT_LITERAL (out, "false");
          break;
        case G_TYPE_STRING:
          bough_gql_write_string (out, json_node_get_string (node));
          break;
        default:
          PUT_LITERAL (out, "null");
          break;
        }
      break;
    default:
      PUT_LITERAL (out, "null");
      break;
    }
}

static void write_members (const Member *first, gboolean keys, GString *out);

static void
write_item (const Member *m,
            GString      *out)
{
  switch (m->kind)
    {
    case ITEM_NULL:
      PUT_LITERAL (out, "null");
      break;
    case ITEM_BOOLEAN:
      if (m->v.b)
        PUT_LITERAL (out, "true");
      else
        PUT_LITERAL (out, "false");
      break;
    case ITEM_INT:
      write_int (out, m->v.i);
      break;
    case ITEM_DOUBLE:
      bough_gql_write_double (out, m->v.d);
      break;
    case ITEM_STRING:
      bough_gql_write_string (out, m->v.s);
      break;
    case ITEM_STRV:
      put_c (out, '[');
      for (char **s = m->v.strv; *s != NULL; s++)
        {
          if (s != m->v.strv)
            put_c (out, ',');
          bough_gql_write_string (out, *s);
        }
      put_c (out, ']');
      break;
    case ITEM_JSON:
      bough_gql_json_write (m->v.json, out);
      break;
    case ITEM_OBJECT:
      bough_gql_object_write (m->v.obj, out);
      break;
    case ITEM_ARRAY:
      put_c (out, '[');
      write_members (m->v.array->first, FALSE, out);
      put_c (out, ']');
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
write_members (const Member *first,
               gboolean      keys,
               GString      *out)
{
  for (const Member *m = first; m != NULL; m = m->next)
    {
      if (m != first)
        put_c (out, ',');
      if (keys)
        {
          bough_gql_write_string (out, m->key);
          put_c (out, ':');
        }
      write_item (m, out);
    }
}

/* Appends @obj as JSON to @out (null if it was marked null). */
void
bough_gql_object_write (const BoughGqlObject *obj,
                        GString              *out)
{
  g_return_if_fail (obj != NULL && out != NULL);

  if (obj->nulled)
    {
      PUT_LITERAL (out, "null");
      return;
    }
  put_c (out, '{');
  write_members (obj->first, TRUE, out);
  put_c (out, '}');
}
