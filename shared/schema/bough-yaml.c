/* bough-yaml.c: YAML and JSON text to a json-glib tree with a source map.
 *
 * Plain scalars are resolved with the YAML 1.2 core schema; quoted and block
 * scalars stay strings. Aliases are expanded into copies (json-glib nodes
 * have one parent), with a cap on the total size so that alias bombs fail.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-schema"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <yaml.h>

#include "bough-error.h"
#include "bough-yaml.h"

#define MAX_DEPTH 512
#define MAX_NODES (1024 * 1024)

struct _BoughYamlDocument
{
  gatomicrefcount  ref_count;
  const char      *origin;
  JsonNode        *root;
  GHashTable      *locs;      /* JsonNode* -> BoughSourceLoc* */
  GHashTable      *key_locs;  /* JsonObject* -> GHashTable (key -> BoughSourceLoc*) */
};

typedef struct
{
  BoughYamlDocument *doc;
  yaml_parser_t      parser;
  GHashTable        *anchors;  /* name -> JsonNode* (owned, template for copies) */
  guint              n_nodes;
  GError            *error;
} ParseState;

static void
doc_free (BoughYamlDocument *self)
{
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->locs, g_hash_table_unref);
  g_clear_pointer (&self->key_locs, g_hash_table_unref);
  g_free (self);
}

/**
 * bough_yaml_document_ref:
 * @self: a parsed document
 *
 * Returns: (transfer full): @self
 */
BoughYamlDocument *
bough_yaml_document_ref (BoughYamlDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * bough_yaml_document_unref:
 * @self: (transfer full): a parsed document
 *
 * Drops a reference; the last one frees the tree and its source map.
 */
void
bough_yaml_document_unref (BoughYamlDocument *self)
{
  g_return_if_fail (self != NULL);
  if (g_atomic_ref_count_dec (&self->ref_count))
    doc_free (self);
}

/**
 * bough_yaml_document_get_root:
 * @self: a parsed document
 *
 * Returns: (transfer none): the root value; a null node for an empty input
 */
JsonNode *
bough_yaml_document_get_root (BoughYamlDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->root;
}

/**
 * bough_yaml_document_get_origin:
 * @self: a parsed document
 *
 * Returns: the interned origin given to bough_yaml_parse()
 */
const char *
bough_yaml_document_get_origin (BoughYamlDocument *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->origin;
}

/**
 * bough_yaml_document_get_location:
 * @self: a parsed document
 * @node: (nullable): a value of the document's tree
 * @loc: (out): where the value starts
 *
 * A copy made for an alias is located at the alias.
 *
 * Returns: %TRUE if @node belongs to the tree; otherwise @loc has the
 *   origin and line 0
 */
gboolean
bough_yaml_document_get_location (BoughYamlDocument *self,
                                  JsonNode          *node,
                                  BoughSourceLoc    *loc)
{
  BoughSourceLoc *found;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (loc != NULL, FALSE);

  found = node ? g_hash_table_lookup (self->locs, node) : NULL;
  if (found == NULL)
    {
      loc->file = self->origin;
      loc->line = 0;
      loc->column = 0;
      return FALSE;
    }
  *loc = *found;
  return TRUE;
}

/**
 * bough_yaml_document_get_key_location:
 * @self: a parsed document
 * @object: (nullable): a mapping of the document's tree
 * @key: a key of @object
 * @loc: (out): where the key starts
 *
 * Returns: %TRUE if the key was found; otherwise @loc has the origin and
 *   line 0
 */
gboolean
bough_yaml_document_get_key_location (BoughYamlDocument *self,
                                      JsonObject        *object,
                                      const char        *key,
                                      BoughSourceLoc    *loc)
{
  GHashTable *keys;
  BoughSourceLoc *found = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (loc != NULL, FALSE);

  keys = object ? g_hash_table_lookup (self->key_locs, object) : NULL;
  if (keys != NULL && key != NULL)
    found = g_hash_table_lookup (keys, key);
  if (found == NULL)
    {
      loc->file = self->origin;
      loc->line = 0;
      loc->column = 0;
      return FALSE;
    }
  *loc = *found;
  return TRUE;
}

static BoughSourceLoc *
loc_new (ParseState       *st,
         const yaml_mark_t *mark)
{
  BoughSourceLoc *loc = g_new (BoughSourceLoc, 1);

  loc->file = st->doc->origin;
  loc->line = mark->line + 1;
  loc->column = mark->column + 1;
  return loc;
}

static void
set_error_at (ParseState        *st,
              const yaml_mark_t *mark,
              const char        *format,
              ...) G_GNUC_PRINTF (3, 4);

static void
set_error_at (ParseState        *st,
              const yaml_mark_t *mark,
              const char        *format,
              ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  if (st->error != NULL)
    return;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (&st->error, BOUGH_ERROR, BOUGH_ERROR_PARSE, "%s:%u:%u: %s",
               st->doc->origin, (guint) mark->line + 1, (guint) mark->column + 1, msg);
}

static gboolean
next_event (ParseState   *st,
            yaml_event_t *event)
{
  if (!yaml_parser_parse (&st->parser, event))
    {
      const yaml_parser_t *p = &st->parser;

      if (st->error != NULL)
        return FALSE;
      if (p->context != NULL)
        g_set_error (&st->error, BOUGH_ERROR, BOUGH_ERROR_PARSE, "%s:%u:%u: %s %s",
                     st->doc->origin, (guint) p->problem_mark.line + 1,
                     (guint) p->problem_mark.column + 1,
                     p->problem ? p->problem : "invalid YAML", p->context);
      else
        g_set_error (&st->error, BOUGH_ERROR, BOUGH_ERROR_PARSE, "%s:%u:%u: %s",
                     st->doc->origin, (guint) p->problem_mark.line + 1,
                     (guint) p->problem_mark.column + 1,
                     p->problem ? p->problem : "invalid YAML");
      return FALSE;
    }
  return TRUE;
}

static gboolean
all_match (const char *s,
           const char *set)
{
  if (*s == '\0')
    return FALSE;
  for (; *s; s++)
    if (strchr (set, *s) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
parse_int (const char *text,
           gint64     *out)
{
  const char *p = text;
  gboolean neg = FALSE;
  guint base = 10;
  guint64 value;
  char *end = NULL;

  if (*p == '-' || *p == '+')
    {
      neg = *p == '-';
      p++;
    }

  if (g_str_has_prefix (p, "0o") && text == p)
    {
      base = 8;
      p += 2;
      if (!all_match (p, "01234567"))
        return FALSE;
    }
  else if (g_str_has_prefix (p, "0x") && text == p)
    {
      base = 16;
      p += 2;
      if (!all_match (p, "0123456789abcdefABCDEF"))
        return FALSE;
    }
  else if (!all_match (p, "0123456789"))
    return FALSE;

  errno = 0;
  value = g_ascii_strtoull (p, &end, base);
  if (errno != 0 || end == NULL || *end != '\0')
    return FALSE;
  if (neg)
    {
      if (value > (guint64) G_MAXINT64 + 1)
        return FALSE;
      *out = value == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) value;
    }
  else
    {
      if (value > (guint64) G_MAXINT64)
        return FALSE;
      *out = (gint64) value;
    }
  return TRUE;
}

static gboolean
parse_float (const char *text,
             double     *out)
{
  const char *p = text;
  gboolean neg = FALSE;
  gboolean digits = FALSE;

  if (*p == '-' || *p == '+')
    {
      neg = *p == '-';
      p++;
    }

  if (g_str_equal (p, ".inf") || g_str_equal (p, ".Inf") || g_str_equal (p, ".INF"))
    {
      *out = neg ? -INFINITY : INFINITY;
      return TRUE;
    }
  if (p == text && (g_str_equal (p, ".nan") || g_str_equal (p, ".NaN") || g_str_equal (p, ".NAN")))
    {
      *out = NAN;
      return TRUE;
    }

  /* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
  while (g_ascii_isdigit (*p))
    {
      p++;
      digits = TRUE;
    }
  if (*p == '.')
    {
      gboolean frac = FALSE;

      p++;
      while (g_ascii_isdigit (*p))
        {
          p++;
          frac = TRUE;
        }
      if (!digits && !frac)
        return FALSE;
      digits = TRUE;
    }
  if (!digits)
    return FALSE;
  if (*p == 'e' || *p == 'E')
    {
      p++;
      if (*p == '-' || *p == '+')
        p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if (*p != '\0')
    return FALSE;

  *out = g_ascii_strtod (text, NULL);
  return TRUE;
}

static gboolean
is_null_text (const char *text)
{
  return *text == '\0' || g_str_equal (text, "~") || g_str_equal (text, "null") ||
         g_str_equal (text, "Null") || g_str_equal (text, "NULL");
}

static gboolean
bool_text (const char *text,
           gboolean   *out)
{
  if (g_str_equal (text, "true") || g_str_equal (text, "True") || g_str_equal (text, "TRUE"))
    {
      *out = TRUE;
      return TRUE;
    }
  if (g_str_equal (text, "false") || g_str_equal (text, "False") || g_str_equal (text, "FALSE"))
    {
      *out = FALSE;
      return TRUE;
    }
  return FALSE;
}

#define TAG_PREFIX "tag:yaml.org,2002:"

static JsonNode *
resolve_scalar (ParseState   *st,
                yaml_event_t *event)
{
  const char *text = (const char *) event->data.scalar.value;
  const char *tag = (const char *) event->data.scalar.tag;
  gboolean plain = event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
  JsonNode *node;
  gint64 ival;
  double dval;
  gboolean bval;

  if (strlen (text) != event->data.scalar.length)
    {
      set_error_at (st, &event->start_mark, "NUL character in scalar");
      return NULL;
    }

  if (tag != NULL && !g_str_equal (tag, "!"))
    {
      if (!g_str_has_prefix (tag, TAG_PREFIX))
        {
          set_error_at (st, &event->start_mark, "unsupported tag %s", tag);
          return NULL;
        }
      tag += strlen (TAG_PREFIX);
      if (g_str_equal (tag, "str"))
        return json_node_init_string (json_node_alloc (), text);
      if (g_str_equal (tag, "null") && is_null_text (text))
        return json_node_init_null (json_node_alloc ());
      if (g_str_equal (tag, "bool") && bool_text (text, &bval))
        return json_node_init_boolean (json_node_alloc (), bval);
      if (g_str_equal (tag, "int") && parse_int (text, &ival))
        return json_node_init_int (json_node_alloc (), ival);
      if (g_str_equal (tag, "float") && parse_int (text, &ival))
        return json_node_init_double (json_node_alloc (), (double) ival);
      if (g_str_equal (tag, "float") && parse_float (text, &dval))
        return json_node_init_double (json_node_alloc (), dval);
      set_error_at (st, &event->start_mark, "value '%s' does not match tag !!%s", text, tag);
      return NULL;
    }

  if (!plain || tag != NULL)
    return json_node_init_string (json_node_alloc (), text);

  node = json_node_alloc ();
  if (is_null_text (text))
    json_node_init_null (node);
  else if (bool_text (text, &bval))
    json_node_init_boolean (node, bval);
  else if (parse_int (text, &ival))
    json_node_init_int (node, ival);
  else if (parse_float (text, &dval))
    json_node_init_double (node, dval);
  else
    json_node_init_string (node, text);
  return node;
}

/* Deep copy for an alias, carrying the source map along. */
static JsonNode *
copy_with_locs (ParseState     *st,
                JsonNode       *src,
                BoughSourceLoc *alias_loc)
{
  JsonNode *copy;
  BoughSourceLoc *loc;

  if (++st->n_nodes > MAX_NODES)
    return NULL;

  switch (JSON_NODE_TYPE (src))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *src_obj = json_node_get_object (src);
        g_autoptr(JsonObject) obj = json_object_new ();
        GHashTable *src_keys = g_hash_table_lookup (st->doc->key_locs, src_obj);
        GHashTable *keys = NULL;
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;

        if (src_keys != NULL)
          {
            GHashTableIter kiter;
            gpointer k, v;

            keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
            g_hash_table_iter_init (&kiter, src_keys);
            while (g_hash_table_iter_next (&kiter, &k, &v))
              g_hash_table_insert (keys, g_strdup (k), g_memdup2 (v, sizeof (BoughSourceLoc)));
            g_hash_table_insert (st->doc->key_locs, obj, keys);
          }

        json_object_iter_init_ordered (&iter, src_obj);
        while (json_object_iter_next_ordered (&iter, &member, &value))
          {
            JsonNode *child = copy_with_locs (st, value, NULL);

            if (child == NULL)
              {
                g_hash_table_remove (st->doc->key_locs, obj);
                return NULL;
              }
            json_object_set_member (obj, member, child);
          }
        copy = json_node_init_object (json_node_alloc (), obj);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *src_arr = json_node_get_array (src);
        g_autoptr(JsonArray) arr = json_array_sized_new (json_array_get_length (src_arr));

        for (guint i = 0; i < json_array_get_length (src_arr); i++)
          {
            JsonNode *child = copy_with_locs (st, json_array_get_element (src_arr, i), NULL);

            if (child == NULL)
              return NULL;
            json_array_add_element (arr, child);
          }
        copy = json_node_init_array (json_node_alloc (), arr);
      }
      break;

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      copy = json_node_copy (src);
      break;
    }

  if (alias_loc != NULL)
    loc = g_memdup2 (alias_loc, sizeof *loc);
  else if ((loc = g_hash_table_lookup (st->doc->locs, src)) != NULL)
    loc = g_memdup2 (loc, sizeof *loc);
  if (loc != NULL)
    g_hash_table_insert (st->doc->locs, copy, loc);
  return copy;
}

static JsonNode *parse_node (ParseState   *st,
                             yaml_event_t *event,
                             guint         depth);

static void
register_anchor (ParseState    *st,
                 const yaml_char_t *anchor,
                 JsonNode      *node)
{
  if (anchor == NULL)
    return;
  /* The anchored node stays in the tree; keep our own reference to it. A
   * later anchor of the same name replaces it, as YAML says. */
  g_hash_table_insert (st->anchors, g_strdup ((const char *) anchor), json_node_ref (node));
}

static JsonNode *
parse_mapping (ParseState   *st,
               yaml_event_t *start,
               guint         depth)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(GPtrArray) merges = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonNode *node;

  g_hash_table_insert (st->doc->key_locs, obj, keys);

  for (;;)
    {
      yaml_event_t key_event;
      yaml_event_t value_event;
      g_autofree char *key = NULL;
      yaml_mark_t key_mark;
      JsonNode *value;
      gboolean is_merge;

      if (!next_event (st, &key_event))
        goto fail;
      if (key_event.type == YAML_MAPPING_END_EVENT)
        {
          yaml_event_delete (&key_event);
          break;
        }
      key_mark = key_event.start_mark;
      if (key_event.type != YAML_SCALAR_EVENT)
        {
          set_error_at (st, &key_mark, "mapping keys must be scalars");
          yaml_event_delete (&key_event);
          goto fail;
        }
      key = g_strdup ((const char *) key_event.data.scalar.value);
      is_merge = g_str_equal (key, "<<") &&
                 key_event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
      yaml_event_delete (&key_event);

      if (!is_merge && json_object_has_member (obj, key))
        {
          BoughSourceLoc *first = g_hash_table_lookup (keys, key);

          set_error_at (st, &key_mark, "duplicate key '%s' (first defined at line %u)",
                        key, first ? first->line : 0);
          goto fail;
        }

      if (!next_event (st, &value_event))
        goto fail;
      value = parse_node (st, &value_event, depth + 1);
      yaml_event_delete (&value_event);
      if (value == NULL)
        goto fail;

      if (is_merge)
        {
          /* "<<: *base" or "<<: [*a, *b]" merge keys: explicit keys win. */
          if (JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *arr = json_node_get_array (value);

              for (guint i = 0; i < json_array_get_length (arr); i++)
                {
                  JsonNode *item = json_array_get_element (arr, i);

                  if (!JSON_NODE_HOLDS_OBJECT (item))
                    {
                      set_error_at (st, &key_mark, "merge key '<<' needs mappings");
                      json_node_unref (value);
                      goto fail;
                    }
                  g_ptr_array_add (merges, json_node_ref (item));
                }
              json_node_unref (value);
            }
          else if (JSON_NODE_HOLDS_OBJECT (value))
            g_ptr_array_add (merges, value);
          else
            {
              set_error_at (st, &key_mark, "merge key '<<' needs a mapping");
              json_node_unref (value);
              goto fail;
            }
          continue;
        }

      g_hash_table_insert (keys, g_strdup (key), loc_new (st, &key_mark));
      json_object_set_member (obj, key, value);
    }

  for (guint i = 0; i < merges->len; i++)
    {
      JsonObject *src = json_node_get_object (g_ptr_array_index (merges, i));
      GHashTable *src_keys = g_hash_table_lookup (st->doc->key_locs, src);
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, src);
      while (json_object_iter_next_ordered (&iter, &member, &value))
        {
          BoughSourceLoc *kloc;
          JsonNode *copy;

          if (json_object_has_member (obj, member))
            continue;
          copy = copy_with_locs (st, value, NULL);
          if (copy == NULL)
            {
              set_error_at (st, &start->start_mark, "document too large after alias expansion");
              goto fail;
            }
          json_object_set_member (obj, member, copy);
          kloc = src_keys ? g_hash_table_lookup (src_keys, member) : NULL;
          if (kloc != NULL)
            g_hash_table_insert (keys, g_strdup (member), g_memdup2 (kloc, sizeof *kloc));
        }
    }

  node = json_node_init_object (json_node_alloc (), obj);
  return node;

fail:
  g_hash_table_remove (st->doc->key_locs, obj);
  return NULL;
}

static JsonNode *
parse_sequence (ParseState *st,
                guint       depth)
{
  g_autoptr(JsonArray) arr = json_array_new ();

  for (;;)
    {
      yaml_event_t event;
      JsonNode *child;

      if (!next_event (st, &event))
        return NULL;
      if (event.type == YAML_SEQUENCE_END_EVENT)
        {
          yaml_event_delete (&event);
          break;
        }
      child = parse_node (st, &event, depth + 1);
      yaml_event_delete (&event);
      if (child == NULL)
        return NULL;
      json_array_add_element (arr, child);
    }

  return json_node_init_array (json_node_alloc (), arr);
}

static JsonNode *
parse_node (ParseState   *st,
            yaml_event_t *event,
            guint         depth)
{
  JsonNode *node = NULL;
  const yaml_char_t *anchor = NULL;

  if (depth > MAX_DEPTH)
    {
      set_error_at (st, &event->start_mark, "nesting deeper than %d levels", MAX_DEPTH);
      return NULL;
    }
  if (++st->n_nodes > MAX_NODES)
    {
      set_error_at (st, &event->start_mark, "document too large");
      return NULL;
    }

  switch (event->type)
    {
    case YAML_SCALAR_EVENT:
      anchor = event->data.scalar.anchor;
      node = resolve_scalar (st, event);
      break;

    case YAML_SEQUENCE_START_EVENT:
      anchor = event->data.sequence_start.anchor;
      node = parse_sequence (st, depth);
      break;

    case YAML_MAPPING_START_EVENT:
      anchor = event->data.mapping_start.anchor;
      node = parse_mapping (st, event, depth);
      break;

    case YAML_ALIAS_EVENT:
      {
        const char *name = (const char *) event->data.alias.anchor;
        JsonNode *target = g_hash_table_lookup (st->anchors, name);
        g_autofree BoughSourceLoc *loc = NULL;

        if (target == NULL)
          {
            set_error_at (st, &event->start_mark, "unknown anchor '%s'", name);
            return NULL;
          }
        loc = loc_new (st, &event->start_mark);
        node = copy_with_locs (st, target, loc);
        if (node == NULL)
          set_error_at (st, &event->start_mark, "document too large after alias expansion");
        return node;
      }

    case YAML_NO_EVENT:
    case YAML_STREAM_START_EVENT:
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
    default:
      set_error_at (st, &event->start_mark, "unexpected YAML event");
      return NULL;
    }

  if (node == NULL)
    return NULL;

  g_hash_table_insert (st->doc->locs, node, loc_new (st, &event->start_mark));
  register_anchor (st, anchor, node);
  return node;
}

static gboolean
node_is_empty (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/**
 * bough_yaml_parse:
 * @data: the text, YAML or JSON
 * @length: length of @data in bytes, or -1 if NUL-terminated
 * @origin: (nullable): file name or other origin used in locations
 * @error: return location for a %BOUGH_ERROR_PARSE error
 *
 * Parses @data into a json-glib tree. Several documents are allowed only
 * when all but one are empty; an empty input gives a null root.
 *
 * Returns: (transfer full) (nullable): the document, or %NULL on error
 */
BoughYamlDocument *
bough_yaml_parse (const char  *data,
                  gssize       length,
                  const char  *origin,
                  GError     **error)
{
  g_autoptr(BoughYamlDocument) doc = NULL;
  ParseState st = { 0 };
  gboolean done = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);

  doc = g_new0 (BoughYamlDocument, 1);
  g_atomic_ref_count_init (&doc->ref_count);
  doc->origin = g_intern_string (origin ? origin : "<input>");
  doc->locs = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  doc->key_locs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);

  st.doc = doc;
  st.anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) json_node_unref);
  yaml_parser_initialize (&st.parser);
  yaml_parser_set_input_string (&st.parser, (const unsigned char *) (data ? data : ""),
                                (size_t) length);

  while (!done)
    {
      yaml_event_t event;

      if (!next_event (&st, &event))
        break;

      switch (event.type)
        {
        case YAML_STREAM_END_EVENT:
          done = TRUE;
          ok = TRUE;
          break;

        case YAML_DOCUMENT_START_EVENT:
          {
            yaml_event_t root_event;
            yaml_mark_t doc_mark = event.start_mark;
            JsonNode *root;

            /* Anchors do not cross documents. */
            g_hash_table_remove_all (st.anchors);
            if (!next_event (&st, &root_event))
              {
                done = TRUE;
                break;
              }
            root = parse_node (&st, &root_event, 0);
            yaml_event_delete (&root_event);
            if (root == NULL)
              {
                done = TRUE;
                break;
              }
            if (!node_is_empty (root) && !node_is_empty (doc->root))
              {
                set_error_at (&st, &doc_mark,
                              "several non-empty documents in one file; only one is allowed");
                json_node_unref (root);
                done = TRUE;
                break;
              }
            if (node_is_empty (doc->root))
              {
                g_clear_pointer (&doc->root, json_node_unref);
                doc->root = root;
              }
            else
              json_node_unref (root);
          }
          break;

        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_NO_EVENT:
        case YAML_ALIAS_EVENT:
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_MAPPING_END_EVENT:
        default:
          break;
        }
      yaml_event_delete (&event);
    }

  yaml_parser_delete (&st.parser);
  g_hash_table_unref (st.anchors);

  if (!ok)
    {
      if (st.error == NULL)
        g_set_error (&st.error, BOUGH_ERROR, BOUGH_ERROR_PARSE, "%s: invalid YAML", doc->origin);
      g_propagate_error (error, st.error);
      return NULL;
    }

  if (doc->root == NULL)
    doc->root = json_node_init_null (json_node_alloc ());

  return g_steal_pointer (&doc);
}
