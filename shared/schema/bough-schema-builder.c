/* bough-schema-builder.c: declarative, incremental schema loading (parse
 * files onto a working copy of a base snapshot) and the build step that
 * applies defaults, inheritance, hierarchy, automatic relationships and
 * validation in Infrahub's order, producing a new snapshot.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-schema"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "bough-error.h"
#include "bough-schema-private.h"
#include "bough-yaml.h"

/* Fields explicitly given for an element; the build fills the others. One
 * bit per field, shared by the three element types (names reused). */
enum
{
  F_ID = 1 << 0,
  F_NAME = 1 << 1,
  F_NAMESPACE = 1 << 2,
  F_LABEL = 1 << 3,
  F_DESCRIPTION = 1 << 4,
  F_BRANCH = 1 << 5,
  F_ORDER_WEIGHT = 1 << 6,
  F_READ_ONLY = 1 << 7,
  F_OPTIONAL = 1 << 8,
  F_ALLOW_OVERRIDE = 1 << 9,
  F_DEPRECATION = 1 << 10,
  F_KIND = 1 << 11,
  F_UNIQUE = 1 << 12,
  F_DEFAULT_VALUE = 1 << 13,
  F_REGEX = 1 << 14,
  F_MIN_LENGTH = 1 << 15,
  F_MAX_LENGTH = 1 << 16,
  F_ENUM = 1 << 17,
  F_CHOICES = 1 << 18,
  F_PARAMETERS = 1 << 19,
  F_COMPUTED = 1 << 20,
  F_PEER = 1 << 21,
  F_CARDINALITY = 1 << 22,
  F_IDENTIFIER = 1 << 23,
  F_DIRECTION = 1 << 24,
  F_MIN_COUNT = 1 << 25,
  F_MAX_COUNT = 1 << 26,
  F_ON_DELETE = 1 << 27,
  F_HIERARCHICAL = 1 << 28,
  F_COMMON_PARENT = 1 << 29,
  F_COMMON_RELATIVES = 1 << 30,
};

typedef guint64 FieldMask;

/* Past the range of an int enum constant. */
#define F_DISPLAY ((FieldMask) 1 << 31)

/* Fields whose default is not "unset" in Infrahub's models: an element
 * given again in a file takes the file's value or the default for these,
 * as Infrahub's update does; the other fields keep their previous value
 * when the file leaves them out. */
#define ATTR_DEFAULTED (F_READ_ONLY | F_UNIQUE | F_OPTIONAL | F_ALLOW_OVERRIDE | F_DISPLAY)
#define REL_DEFAULTED (F_KIND | F_CARDINALITY | F_MIN_COUNT | F_MAX_COUNT | F_OPTIONAL | F_DIRECTION | \
                       F_ALLOW_OVERRIDE | F_READ_ONLY | F_DISPLAY)

#define N_DOCUMENTATION ((FieldMask) 1 << 32)
#define N_ICON ((FieldMask) 1 << 33)
#define N_INCLUDE_IN_MENU ((FieldMask) 1 << 34)
#define N_MENU_PLACEMENT ((FieldMask) 1 << 35)
#define N_HFID ((FieldMask) 1 << 36)
#define N_DEFAULT_FILTER ((FieldMask) 1 << 37)
#define N_DISPLAY_LABELS ((FieldMask) 1 << 38)
#define N_DISPLAY_LABEL ((FieldMask) 1 << 39)
#define N_ORDER_BY ((FieldMask) 1 << 40)
#define N_UNIQUENESS ((FieldMask) 1 << 41)
#define N_INHERIT_FROM ((FieldMask) 1 << 42)
#define N_HIERARCHY ((FieldMask) 1 << 43)
#define N_PARENT ((FieldMask) 1 << 44)
#define N_CHILDREN ((FieldMask) 1 << 45)
#define N_GENERATE_PROFILE ((FieldMask) 1 << 46)
#define N_GENERATE_TEMPLATE ((FieldMask) 1 << 47)
#define N_USED_BY ((FieldMask) 1 << 48)
#define F_ALL G_MAXUINT64

struct _BoughSchemaBuilder
{
  gboolean    internal;
  GPtrArray  *elements;     /* working BoughNodeSchema*, owning, in load order */
  GHashTable *by_kind;      /* kind -> BoughNodeSchema* */
  GHashTable *masks;        /* element pointer -> FieldMask* ; absent = all set */
  GHashTable *field_locs;   /* element pointer -> GHashTable (field -> BoughSourceLoc*) */
  GPtrArray  *problems;     /* BoughSchemaProblem* */
  guint       n_parse_problems;
  gboolean    built;
};

typedef struct
{
  BoughSchemaBuilder *b;
  BoughYamlDocument  *doc;
  gboolean            json_mode;  /* reading bough_schema_to_json() output */
} Ctx;

/* Problems */

static void
add_problem_valist (BoughSchemaBuilder   *b,
                    const BoughSourceLoc *loc,
                    const char           *kind,
                    const char           *element,
                    const char           *format,
                    va_list               args)
{
  BoughSchemaProblem *p = g_new0 (BoughSchemaProblem, 1);

  if (loc != NULL)
    p->loc = *loc;
  p->kind = g_strdup (kind);
  p->element = g_strdup (element);
  p->message = g_strdup_vprintf (format, args);
  g_ptr_array_add (b->problems, p);
}

static void
add_problem (BoughSchemaBuilder   *b,
             const BoughSourceLoc *loc,
             const char           *kind,
             const char           *element,
             const char           *format,
             ...) G_GNUC_PRINTF (5, 6);

static void
add_problem (BoughSchemaBuilder   *b,
             const BoughSourceLoc *loc,
             const char           *kind,
             const char           *element,
             const char           *format,
             ...)
{
  va_list args;

  va_start (args, format);
  add_problem_valist (b, loc, kind, element, format, args);
  va_end (args);
}

static char *
format_problems (GPtrArray *problems,
                 guint      from)
{
  GString *s = g_string_new (NULL);

  for (guint i = from; i < problems->len; i++)
    {
      BoughSchemaProblem *p = g_ptr_array_index (problems, i);

      if (s->len > 0)
        g_string_append_c (s, '\n');
      g_string_append_printf (s, "%s:%u:%u: ", p->loc.file ? p->loc.file : "<input>",
                              p->loc.line, p->loc.column);
      if (p->kind != NULL && p->element != NULL)
        g_string_append_printf (s, "%s.%s: ", p->kind, p->element);
      else if (p->kind != NULL)
        g_string_append_printf (s, "%s: ", p->kind);
      else if (p->element != NULL)
        g_string_append_printf (s, "%s: ", p->element);
      g_string_append (s, p->message);
    }
  return g_string_free (s, FALSE);
}

/* Masks and field locations */

static FieldMask
get_mask (BoughSchemaBuilder *b,
          gconstpointer       elem)
{
  FieldMask *mask = g_hash_table_lookup (b->masks, elem);

  return mask ? *mask : F_ALL;
}

static void
set_mask (BoughSchemaBuilder *b,
          gconstpointer       elem,
          FieldMask           mask)
{
  FieldMask *m = g_new (FieldMask, 1);

  *m = mask;
  g_hash_table_insert (b->masks, (gpointer) elem, m);
}

static void
set_field_loc (BoughSchemaBuilder   *b,
               gconstpointer         elem,
               const char           *field,
               const BoughSourceLoc *loc)
{
  GHashTable *t = g_hash_table_lookup (b->field_locs, elem);

  if (t == NULL)
    {
      t = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_hash_table_insert (b->field_locs, (gpointer) elem, t);
    }
  g_hash_table_insert (t, (gpointer) g_intern_string (field), g_memdup2 (loc, sizeof *loc));
}

static BoughSourceLoc
field_loc (BoughSchemaBuilder   *b,
           gconstpointer         elem,
           const char           *field,
           const BoughSourceLoc *fallback)
{
  GHashTable *t = g_hash_table_lookup (b->field_locs, elem);
  BoughSourceLoc *loc = t ? g_hash_table_lookup (t, field) : NULL;

  return loc ? *loc : *fallback;
}

static void
copy_field_locs (BoughSchemaBuilder *b,
                 gconstpointer       from,
                 gconstpointer       to)
{
  GHashTable *t = g_hash_table_lookup (b->field_locs, from);
  GHashTableIter iter;
  gpointer k, v;

  if (t == NULL)
    return;
  g_hash_table_iter_init (&iter, t);
  while (g_hash_table_iter_next (&iter, &k, &v))
    set_field_loc (b, to, k, v);
}

static void
forget_element (BoughSchemaBuilder *b,
                gconstpointer       elem)
{
  g_hash_table_remove (b->masks, elem);
  g_hash_table_remove (b->field_locs, elem);
}

static void
forget_node (BoughSchemaBuilder *b,
             BoughNodeSchema    *node)
{
  for (guint i = 0; i < node->attributes->len; i++)
    forget_element (b, g_ptr_array_index (node->attributes, i));
  for (guint i = 0; i < node->relationships->len; i++)
    forget_element (b, g_ptr_array_index (node->relationships, i));
  forget_element (b, node);
}

/* Small helpers */

static gboolean
str_empty (const char *s)
{
  return s == NULL || *s == '\0';
}

static gboolean
strv_empty (char **strv)
{
  return strv == NULL || strv[0] == NULL;
}

static char *
format_label (const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, "_", -1);
  GString *s = g_string_new (NULL);

  /* Python's str.title() per "_"-separated word: first letter of each
   * alphabetic run upper case, the rest lower case. */
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean prev_alpha = FALSE;

      if (i > 0)
        g_string_append_c (s, ' ');
      for (const char *p = words[i]; *p; p++)
        {
          char c = *p;

          if (g_ascii_isalpha (c))
            {
              g_string_append_c (s, prev_alpha ? g_ascii_tolower (c) : g_ascii_toupper (c));
              prev_alpha = TRUE;
            }
          else
            {
              g_string_append_c (s, c);
              prev_alpha = FALSE;
            }
        }
    }
  return g_string_free (s, FALSE);
}

static const char *restricted_namespaces[] = {
  "Account", "Branch", "Builtin", "Core", "Deprecated", "Diff", "Infrahub", "Internal",
  "Lineage", "Schema", "Profile", "Template",
};

/* Namespaces users may not define kinds in. */
static gboolean
namespace_is_restricted (const char *ns)
{
  for (guint i = 0; i < G_N_ELEMENTS (restricted_namespaces); i++)
    if (g_strcmp0 (ns, restricted_namespaces[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Namespaces of system kinds: no profiles, no "profiles" relationship and
 * not implicitly a CoreNode. Builtin kinds (tags, IPAM) are user data. */
static gboolean
namespace_is_system (const char *ns)
{
  return g_strcmp0 (ns, "Builtin") != 0 && namespace_is_restricted (ns);
}

static const char *reserved_names[] = {
  "any", "attribute", "attributes", "attr", "attrs", "relationship", "relationships",
  "rel", "rels", "save", "hfid",
};

static gboolean
name_is_reserved (const char *name,
                  gboolean    is_generic)
{
  for (guint i = 0; i < G_N_ELEMENTS (reserved_names); i++)
    if (g_str_equal (name, reserved_names[i]))
      return TRUE;
  return is_generic && g_str_equal (name, "type");
}

static gboolean
match_class (const char *s,
             gboolean    (*first) (char),
             gboolean    (*rest) (char))
{
  if (s == NULL || *s == '\0' || !first (*s))
    return FALSE;
  for (s++; *s; s++)
    if (!rest (*s))
      return FALSE;
  return TRUE;
}

static gboolean is_upper (char c) { return g_ascii_isupper (c); }
static gboolean is_alnum (char c) { return g_ascii_isalnum (c); }
static gboolean is_lower_digit (char c) { return g_ascii_islower (c) || g_ascii_isdigit (c); }
static gboolean is_name_char (char c) { return g_ascii_islower (c) || g_ascii_isdigit (c) || c == '_'; }

/* ^[A-Z][a-zA-Z0-9]+$ */
static gboolean
valid_node_name (const char *s)
{
  return match_class (s, is_upper, is_alnum) && strlen (s) >= 2;
}

/* ^[A-Z][a-z0-9]+$ */
static gboolean
valid_namespace (const char *s)
{
  return match_class (s, is_upper, is_lower_digit) && strlen (s) >= 2;
}

/* ^[a-z0-9_]+$ without "__": that separates the parts of filter names and
 * hfid paths (`site__name__value`), and GraphQL reserves names starting
 * with it for introspection. */
static gboolean
valid_field_name (const char *s)
{
  return match_class (s, is_name_char, is_name_char) && strstr (s, "__") == NULL;
}

/* JSON readers: each checks the type and records a problem on mismatch. */

static BoughSourceLoc
value_loc (Ctx        *ctx,
           JsonObject *obj,
           const char *key)
{
  BoughSourceLoc loc;

  if (ctx->doc == NULL)
    {
      loc.file = "<json>";
      loc.line = loc.column = 0;
      return loc;
    }
  if (!bough_yaml_document_get_location (ctx->doc, json_object_get_member (obj, key), &loc))
    bough_yaml_document_get_key_location (ctx->doc, obj, key, &loc);
  return loc;
}

static BoughSourceLoc
key_loc (Ctx        *ctx,
         JsonObject *obj,
         const char *key)
{
  BoughSourceLoc loc;

  if (ctx->doc == NULL)
    {
      loc.file = "<json>";
      loc.line = loc.column = 0;
      return loc;
    }
  bough_yaml_document_get_key_location (ctx->doc, obj, key, &loc);
  return loc;
}

static BoughSourceLoc
node_loc (Ctx      *ctx,
          JsonNode *node)
{
  BoughSourceLoc loc;

  if (ctx->doc == NULL)
    {
      loc.file = "<json>";
      loc.line = loc.column = 0;
      return loc;
    }
  bough_yaml_document_get_location (ctx->doc, node, &loc);
  return loc;
}

static const char *
json_type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "a mapping";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "a list";
  switch (json_node_get_value_type (node) == G_TYPE_STRING ? 0 :
          json_node_get_value_type (node) == G_TYPE_BOOLEAN ? 1 : 2)
    {
    case 0:
      return "a string";
    case 1:
      return "a boolean";
    default:
      return "a number";
    }
}

static gboolean
read_string (Ctx         *ctx,
             JsonObject  *obj,
             const char  *key,
             const char  *kind,
             const char  *element,
             char       **out)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (out, g_free);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_free (*out);
      *out = g_strdup (json_node_get_string (node));
      return TRUE;
    }
  {
    BoughSourceLoc loc = value_loc (ctx, obj, key);

    add_problem (ctx->b, &loc, kind, element, "'%s' must be a string, not %s", key,
                 json_type_name (node));
  }
  return FALSE;
}

static gboolean
read_bool (Ctx        *ctx,
           JsonObject *obj,
           const char *key,
           const char *kind,
           const char *element,
           gboolean   *out)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node);
      return TRUE;
    }
  {
    BoughSourceLoc loc = value_loc (ctx, obj, key);

    add_problem (ctx->b, &loc, kind, element, "'%s' must be a boolean, not %s", key,
                 json_type_name (node));
  }
  return FALSE;
}

static gboolean
read_int (Ctx        *ctx,
          JsonObject *obj,
          const char *key,
          const char *kind,
          const char *element,
          gboolean    nullable,
          gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = -1;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      if (*out < 0)
        {
          BoughSourceLoc loc = value_loc (ctx, obj, key);

          add_problem (ctx->b, &loc, kind, element, "'%s' must not be negative", key);
          return FALSE;
        }
      return TRUE;
    }
  {
    BoughSourceLoc loc = value_loc (ctx, obj, key);

    add_problem (ctx->b, &loc, kind, element, "'%s' must be an integer, not %s", key,
                 json_type_name (node));
  }
  return FALSE;
}

static gboolean
read_strv_node (Ctx        *ctx,
                JsonNode   *node,
                const char *key,
                const char *kind,
                const char *element,
                char     ***out)
{
  JsonArray *arr;
  g_autoptr(GPtrArray) items = NULL;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (out, g_strfreev);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      BoughSourceLoc loc = node_loc (ctx, node);

      add_problem (ctx->b, &loc, kind, element, "'%s' must be a list of strings, not %s", key,
                   json_type_name (node));
      return FALSE;
    }
  arr = json_node_get_array (node);
  items = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *item = json_array_get_element (arr, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          BoughSourceLoc loc = node_loc (ctx, item);

          add_problem (ctx->b, &loc, kind, element, "'%s' must be a list of strings; item %u is %s",
                       key, i + 1, json_type_name (item));
          return FALSE;
        }
      g_ptr_array_add (items, g_strdup (json_node_get_string (item)));
    }
  g_ptr_array_add (items, NULL);
  g_strfreev (*out);
  *out = (char **) g_ptr_array_free (g_steal_pointer (&items), FALSE);
  return TRUE;
}

static gboolean
read_strv (Ctx         *ctx,
           JsonObject  *obj,
           const char  *key,
           const char  *kind,
           const char  *element,
           char      ***out)
{
  return read_strv_node (ctx, json_object_get_member (obj, key), key, kind, element, out);
}

static gboolean
check_keys (Ctx         *ctx,
            JsonObject  *obj,
            const char **allowed,
            const char  *kind,
            const char  *element)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  gboolean ok = TRUE;

  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &member, &value))
    {
      if (!g_strv_contains (allowed, member))
        {
          BoughSourceLoc loc = key_loc (ctx, obj, member);

          add_problem (ctx->b, &loc, kind, element, "unknown key '%s'", member);
          ok = FALSE;
        }
    }
  return ok;
}

static gboolean
read_state_absent (Ctx        *ctx,
                   JsonObject *obj,
                   const char *kind,
                   const char *element,
                   gboolean   *absent)
{
  g_autofree char *state = NULL;

  *absent = FALSE;
  if (!json_object_has_member (obj, "state"))
    return TRUE;
  if (!read_string (ctx, obj, "state", kind, element, &state))
    return FALSE;
  if (state == NULL || g_str_equal (state, "present"))
    return TRUE;
  if (g_str_equal (state, "absent"))
    {
      *absent = TRUE;
      return TRUE;
    }
  {
    BoughSourceLoc loc = value_loc (ctx, obj, "state");

    add_problem (ctx->b, &loc, kind, element, "invalid state '%s' (present or absent)", state);
  }
  return FALSE;
}

#define READ_ENUM(ctx, obj, key, kind, element, func, out, choices, bit)                   \
  G_STMT_START {                                                                           \
    g_autofree char *tmp_ = NULL;                                                          \
    if (read_string (ctx, obj, key, kind, element, &tmp_))                                 \
      {                                                                                    \
        if (tmp_ == NULL || !func (tmp_, out))                                             \
          {                                                                                \
            BoughSourceLoc l_ = value_loc (ctx, obj, key);                                 \
            add_problem (ctx->b, &l_, kind, element, "invalid %s '%s' (%s)", key,          \
                         tmp_ ? tmp_ : "null", choices);                                   \
          }                                                                                \
        else                                                                               \
          mask |= (bit);                                                                   \
      }                                                                                    \
  } G_STMT_END

static void
check_description (Ctx        *ctx,
                   JsonObject *obj,
                   const char *kind,
                   const char *element,
                   const char *description)
{
  if (!ctx->json_mode && description != NULL && g_utf8_strlen (description, -1) > 128)
    {
      BoughSourceLoc loc = value_loc (ctx, obj, "description");

      add_problem (ctx->b, &loc, kind, element, "description longer than 128 characters");
    }
}

/* Attributes */

static const char *attribute_keys[] = {
  "id", "state", "name", "kind", "enum", "computed_attribute", "choices", "regex",
  "max_length", "min_length", "label", "description", "read_only", "unique", "optional",
  "branch", "order_weight", "default_value", "inherited", "allow_override", "parameters",
  "deprecation", "display", NULL,
};

static gboolean
read_allow_override (Ctx        *ctx,
                     JsonObject *obj,
                     const char *kind,
                     const char *element,
                     gboolean   *out)
{
  g_autofree char *value = NULL;

  if (!read_string (ctx, obj, "allow_override", kind, element, &value))
    return FALSE;
  if (g_strcmp0 (value, "any") == 0)
    *out = TRUE;
  else if (g_strcmp0 (value, "none") == 0)
    *out = FALSE;
  else
    {
      BoughSourceLoc loc = value_loc (ctx, obj, "allow_override");

      add_problem (ctx->b, &loc, kind, element, "invalid allow_override '%s' (any or none)",
                   value ? value : "null");
      return FALSE;
    }
  return TRUE;
}

static gboolean
valid_color (const char *s)
{
  if (s == NULL || strlen (s) != 7 || s[0] != '#')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

static GPtrArray *
read_choices (Ctx        *ctx,
              JsonObject *obj,
              const char *kind,
              const char *element,
              gboolean   *ok)
{
  JsonNode *node = json_object_get_member (obj, "choices");
  g_autoptr(GPtrArray) choices = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  static const char *choice_keys[] = { "name", "label", "description", "color", NULL };
  JsonArray *arr;

  *ok = TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      BoughSourceLoc loc = node_loc (ctx, node);

      add_problem (ctx->b, &loc, kind, element, "'choices' must be a list, not %s",
                   json_type_name (node));
      *ok = FALSE;
      return NULL;
    }
  arr = json_node_get_array (node);
  choices = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_dropdown_choice_free);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *item = json_array_get_element (arr, i);
      BoughSourceLoc loc = node_loc (ctx, item);
      BoughDropdownChoice *choice;
      JsonObject *c;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          add_problem (ctx->b, &loc, kind, element, "each choice must be a mapping");
          *ok = FALSE;
          continue;
        }
      c = json_node_get_object (item);
      if (!check_keys (ctx, c, choice_keys, kind, element))
        *ok = FALSE;
      choice = g_new0 (BoughDropdownChoice, 1);
      g_ptr_array_add (choices, choice);
      if (!json_object_has_member (c, "name") ||
          !read_string (ctx, c, "name", kind, element, &choice->name) || str_empty (choice->name))
        {
          add_problem (ctx->b, &loc, kind, element, "a choice needs a name");
          *ok = FALSE;
          continue;
        }
      if (g_hash_table_contains (seen, choice->name))
        {
          add_problem (ctx->b, &loc, kind, element, "duplicate choice '%s'", choice->name);
          *ok = FALSE;
        }
      g_hash_table_add (seen, choice->name);
      if (json_object_has_member (c, "label") &&
          !read_string (ctx, c, "label", kind, element, &choice->label))
        *ok = FALSE;
      if (json_object_has_member (c, "description") &&
          !read_string (ctx, c, "description", kind, element, &choice->description))
        *ok = FALSE;
      if (json_object_has_member (c, "color"))
        {
          if (!read_string (ctx, c, "color", kind, element, &choice->color))
            *ok = FALSE;
          else if (choice->color != NULL && !valid_color (choice->color))
            {
              BoughSourceLoc cl = value_loc (ctx, c, "color");

              add_problem (ctx->b, &cl, kind, element,
                           "invalid color '%s' for choice '%s' (#rrggbb)", choice->color, choice->name);
              *ok = FALSE;
            }
        }
    }
  return g_steal_pointer (&choices);
}

/* Attributes and relationships: the opening of their mappings and the
 * fields they share are read by one function each. */

typedef struct
{
  const char  *noun;          /* "attribute" */
  const char  *with_article;  /* "an attribute" */
  const char **keys;          /* the keys allowed in its mapping */
} ElementSyntax;

/* Pointers to the fields an attribute and a relationship both have. */
typedef struct
{
  char               **id;
  char               **label;
  char               **description;
  gboolean            *optional;
  gboolean            *read_only;
  gint64              *order_weight;
  BoughBranchSupport  *branch;
  gboolean            *allow_override;
  char               **deprecation;
  BoughFieldDisplay   *display;
} SharedFields;

/* Checks that @node is a mapping with a name, its keys and its `state`.
 * Returns the mapping and sets @name, or returns %NULL after adding a
 * problem when there is nothing to build an element from. */
static JsonObject *
read_element_head (Ctx                 *ctx,
                   JsonNode            *node,
                   const char          *kind,
                   const ElementSyntax *syntax,
                   char               **name,
                   gboolean            *absent)
{
  BoughSourceLoc loc = node_loc (ctx, node);
  JsonObject *obj;

  *absent = FALSE;
  *name = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      add_problem (ctx->b, &loc, kind, NULL, "%s must be a mapping, not %s",
                   syntax->with_article, json_type_name (node));
      return NULL;
    }
  obj = json_node_get_object (node);
  if (json_object_has_member (obj, "name"))
    read_string (ctx, obj, "name", kind, NULL, name);
  if (*name == NULL)
    {
      add_problem (ctx->b, &loc, kind, NULL, "%s needs a name", syntax->with_article);
      return NULL;
    }

  check_keys (ctx, obj, syntax->keys, kind, *name);
  read_state_absent (ctx, obj, kind, *name, absent);

  if (!ctx->json_mode &&
      (!valid_field_name (*name) || strlen (*name) < 3 || strlen (*name) > 32))
    {
      BoughSourceLoc l = value_loc (ctx, obj, "name");

      add_problem (ctx->b, &l, kind, *name,
                   "invalid %s name (must match ^[a-z0-9_]+$ without “__”, 3 to 32 characters)", syntax->noun);
    }
  return obj;
}

/* Reads the shared fields present in @obj; returns their mask bits. */
static FieldMask
read_shared_fields (Ctx                *ctx,
                    JsonObject         *obj,
                    const char         *kind,
                    const char         *element,
                    const SharedFields *f,
                    gboolean           *inherited)
{
  FieldMask mask = 0;

  *inherited = FALSE;
  if (json_object_has_member (obj, "id") && read_string (ctx, obj, "id", kind, element, f->id))
    mask |= F_ID;
  if (json_object_has_member (obj, "label") &&
      read_string (ctx, obj, "label", kind, element, f->label))
    mask |= F_LABEL;
  if (json_object_has_member (obj, "description") &&
      read_string (ctx, obj, "description", kind, element, f->description))
    {
      mask |= F_DESCRIPTION;
      check_description (ctx, obj, kind, element, *f->description);
    }
  if (json_object_has_member (obj, "optional") &&
      read_bool (ctx, obj, "optional", kind, element, f->optional))
    mask |= F_OPTIONAL;
  if (json_object_has_member (obj, "read_only") &&
      read_bool (ctx, obj, "read_only", kind, element, f->read_only))
    mask |= F_READ_ONLY;
  if (json_object_has_member (obj, "inherited"))
    read_bool (ctx, obj, "inherited", kind, element, inherited);
  if (json_object_has_member (obj, "order_weight") &&
      read_int (ctx, obj, "order_weight", kind, element, FALSE, f->order_weight))
    mask |= F_ORDER_WEIGHT;
  /* null means "unset": the build computes it. */
  if (json_object_has_member (obj, "branch") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "branch")))
    READ_ENUM (ctx, obj, "branch", kind, element, _bough_branch_support_from_string, f->branch,
               "aware, agnostic or local", F_BRANCH);
  if (json_object_has_member (obj, "allow_override") &&
      read_allow_override (ctx, obj, kind, element, f->allow_override))
    mask |= F_ALLOW_OVERRIDE;
  if (json_object_has_member (obj, "deprecation") &&
      read_string (ctx, obj, "deprecation", kind, element, f->deprecation))
    mask |= F_DEPRECATION;
  if (json_object_has_member (obj, "display"))
    READ_ENUM (ctx, obj, "display", kind, element, _bough_field_display_from_string,
               f->display, "default or extra", F_DISPLAY);
  return mask;
}

/* Records where the @keys present in @obj stand, for the checks of the
 * build that report on them. */
static void
record_field_locs (Ctx          *ctx,
                   JsonObject   *obj,
                   gconstpointer elem,
                   const char  **keys,
                   guint         n_keys)
{
  for (guint i = 0; i < n_keys; i++)
    if (json_object_has_member (obj, keys[i]))
      {
        BoughSourceLoc l = value_loc (ctx, obj, keys[i]);

        set_field_loc (ctx->b, elem, keys[i], &l);
      }
}

/* Parses one attribute mapping; returns the attribute and its mask. */
static BoughAttributeSchema *
parse_attribute (Ctx        *ctx,
                 JsonNode   *node,
                 const char *kind,
                 FieldMask  *mask_out,
                 gboolean   *absent,
                 gboolean   *inherited)
{
  static const ElementSyntax syntax = { "attribute", "an attribute", attribute_keys };
  static const char *located[] = { "default_value", "regex", "min_length", "max_length",
                                   "kind", "enum", "choices", "parameters", "name",
                                   "computed_attribute", "read_only", "optional" };
  BoughAttributeSchema *attr;
  JsonObject *obj;
  FieldMask mask;
  const char *element;
  char *name;
  SharedFields shared;

  obj = read_element_head (ctx, node, kind, &syntax, &name, absent);
  if (obj == NULL)
    {
      *inherited = FALSE;
      return NULL;
    }
  attr = _bough_attribute_schema_new ();
  attr->loc = node_loc (ctx, node);
  attr->name = name;
  element = attr->name;
  shared = (SharedFields) {
    &attr->id, &attr->label, &attr->description, &attr->optional, &attr->read_only,
    &attr->order_weight, &attr->branch, &attr->allow_override, &attr->deprecation, &attr->display,
  };
  mask = F_NAME | read_shared_fields (ctx, obj, kind, element, &shared, inherited);

  if (json_object_has_member (obj, "kind"))
    {
      g_autofree char *k = NULL;

      if (read_string (ctx, obj, "kind", kind, element, &k))
        {
          if (k == NULL || !bough_attribute_kind_from_string (k, &attr->kind))
            {
              BoughSourceLoc l = value_loc (ctx, obj, "kind");

              add_problem (ctx->b, &l, kind, element, "unknown attribute kind '%s'",
                           k ? k : "null");
            }
          else
            mask |= F_KIND;
        }
    }

  if (json_object_has_member (obj, "unique") &&
      read_bool (ctx, obj, "unique", kind, element, &attr->unique))
    mask |= F_UNIQUE;
  if (json_object_has_member (obj, "default_value"))
    {
      JsonNode *dv = json_object_get_member (obj, "default_value");

      attr->default_value = JSON_NODE_HOLDS_NULL (dv) ? NULL : json_node_copy (dv);
      mask |= F_DEFAULT_VALUE;
    }
  if (json_object_has_member (obj, "regex") &&
      read_string (ctx, obj, "regex", kind, element, &attr->regex))
    mask |= F_REGEX;
  if (json_object_has_member (obj, "min_length") &&
      read_int (ctx, obj, "min_length", kind, element, TRUE, &attr->min_length))
    mask |= F_MIN_LENGTH;
  if (json_object_has_member (obj, "max_length") &&
      read_int (ctx, obj, "max_length", kind, element, TRUE, &attr->max_length))
    mask |= F_MAX_LENGTH;
  if (json_object_has_member (obj, "enum"))
    {
      JsonNode *e = json_object_get_member (obj, "enum");

      if (JSON_NODE_HOLDS_NULL (e))
        mask |= F_ENUM;
      else if (!JSON_NODE_HOLDS_ARRAY (e))
        {
          BoughSourceLoc l = value_loc (ctx, obj, "enum");

          add_problem (ctx->b, &l, kind, element, "'enum' must be a list, not %s",
                       json_type_name (e));
        }
      else
        {
          JsonArray *arr = json_node_get_array (e);
          gboolean ok = TRUE;

          for (guint i = 0; i < json_array_get_length (arr); i++)
            {
              JsonNode *v = json_array_get_element (arr, i);

              if (!JSON_NODE_HOLDS_VALUE (v))
                {
                  BoughSourceLoc l = node_loc (ctx, v);

                  add_problem (ctx->b, &l, kind, element, "enum values must be scalars");
                  ok = FALSE;
                }
            }
          if (ok)
            {
              attr->enum_values = json_array_ref (arr);
              mask |= F_ENUM;
            }
        }
    }
  if (json_object_has_member (obj, "choices"))
    {
      gboolean ok;

      attr->choices = read_choices (ctx, obj, kind, element, &ok);
      if (ok)
        mask |= F_CHOICES;
    }
  if (json_object_has_member (obj, "parameters"))
    {
      JsonNode *p = json_object_get_member (obj, "parameters");

      if (JSON_NODE_HOLDS_NULL (p))
        mask |= F_PARAMETERS;
      else if (!JSON_NODE_HOLDS_OBJECT (p))
        {
          BoughSourceLoc l = value_loc (ctx, obj, "parameters");

          add_problem (ctx->b, &l, kind, element, "'parameters' must be a mapping, not %s",
                       json_type_name (p));
        }
      else
        {
          attr->parameters = json_object_ref (json_node_get_object (p));
          mask |= F_PARAMETERS;
        }
    }
  if (json_object_has_member (obj, "computed_attribute"))
    {
      JsonNode *c = json_object_get_member (obj, "computed_attribute");

      if (JSON_NODE_HOLDS_NULL (c))
        mask |= F_COMPUTED;
      else if (!JSON_NODE_HOLDS_OBJECT (c))
        {
          BoughSourceLoc l = value_loc (ctx, obj, "computed_attribute");

          add_problem (ctx->b, &l, kind, element, "'computed_attribute' must be a mapping");
        }
      else
        {
          JsonObject *co = json_node_get_object (c);
          const char *ck = json_object_has_member (co, "kind") ?
                           json_object_get_string_member_with_default (co, "kind", NULL) : NULL;

          if (ck == NULL || (!g_str_equal (ck, "Jinja2") && !g_str_equal (ck, "TransformPython") &&
                             !g_str_equal (ck, "User")))
            {
              BoughSourceLoc l = value_loc (ctx, obj, "computed_attribute");

              add_problem (ctx->b, &l, kind, element,
                           "computed_attribute needs a kind of Jinja2, TransformPython or User");
            }
          else if (g_str_equal (ck, "Jinja2") &&
                   json_object_get_string_member_with_default (co, "jinja2_template", NULL) == NULL)
            {
              BoughSourceLoc l = value_loc (ctx, obj, "computed_attribute");

              add_problem (ctx->b, &l, kind, element,
                           "a Jinja2 computed_attribute needs a jinja2_template string");
            }
          else
            {
              attr->computed_attribute = json_node_copy (c);
              mask |= F_COMPUTED;
            }
        }
    }

  /* Locations of the fields that later checks report on. */
  record_field_locs (ctx, obj, attr, located, G_N_ELEMENTS (located));
  *mask_out = mask;
  return attr;
}

/* Relationships */

static const char *relationship_keys[] = {
  "id", "state", "name", "peer", "kind", "label", "description", "identifier", "cardinality",
  "min_count", "max_count", "common_parent", "common_relatives", "order_weight", "optional",
  "branch", "inherited", "direction", "hierarchical", "filters", "on_delete", "allow_override",
  "read_only", "deprecation", "display", NULL,
};

static BoughRelationshipSchema *
parse_relationship (Ctx        *ctx,
                    JsonNode   *node,
                    const char *kind,
                    FieldMask  *mask_out,
                    gboolean   *absent,
                    gboolean   *inherited)
{
  static const ElementSyntax syntax = { "relationship", "a relationship", relationship_keys };
  static const char *located[] = { "peer", "identifier", "cardinality", "min_count", "max_count",
                                   "direction", "optional", "kind", "common_parent", "name" };
  BoughRelationshipSchema *rel;
  JsonObject *obj;
  FieldMask mask;
  const char *element;
  char *name;
  SharedFields shared;

  obj = read_element_head (ctx, node, kind, &syntax, &name, absent);
  if (obj == NULL)
    {
      *inherited = FALSE;
      return NULL;
    }
  rel = _bough_relationship_schema_new ();
  rel->loc = node_loc (ctx, node);
  rel->name = name;
  element = rel->name;
  shared = (SharedFields) {
    &rel->id, &rel->label, &rel->description, &rel->optional, &rel->read_only,
    &rel->order_weight, &rel->branch, &rel->allow_override, &rel->deprecation, &rel->display,
  };
  mask = F_NAME | read_shared_fields (ctx, obj, kind, element, &shared, inherited);

  if (json_object_has_member (obj, "peer") &&
      read_string (ctx, obj, "peer", kind, element, &rel->peer))
    {
      if (rel->peer == NULL || !valid_node_name (rel->peer))
        {
          BoughSourceLoc l = value_loc (ctx, obj, "peer");

          add_problem (ctx->b, &l, kind, element, "invalid peer kind '%s'",
                       rel->peer ? rel->peer : "null");
          g_clear_pointer (&rel->peer, g_free);
        }
      else
        mask |= F_PEER;
    }
  if (json_object_has_member (obj, "kind"))
    {
      READ_ENUM (ctx, obj, "kind", kind, element, _bough_relationship_kind_from_string, &rel->kind,
                 "Generic, Attribute, Component, Parent, Group, Hierarchy, Profile or Template",
                 F_KIND);
    }
  if (json_object_has_member (obj, "cardinality"))
    {
      READ_ENUM (ctx, obj, "cardinality", kind, element, _bough_cardinality_from_string,
                 &rel->cardinality, "one or many", F_CARDINALITY);
    }
  if (json_object_has_member (obj, "direction"))
    {
      READ_ENUM (ctx, obj, "direction", kind, element, _bough_direction_from_string,
                 &rel->direction,
                 "bidirectional, outbound or inbound", F_DIRECTION);
    }
  /* null means "unset": the build computes it. */
  if (json_object_has_member (obj, "on_delete") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (obj, "on_delete")))
    READ_ENUM (ctx, obj, "on_delete", kind, element, _bough_on_delete_from_string,
               &rel->on_delete, "no-action or cascade", F_ON_DELETE);
  if (json_object_has_member (obj, "identifier") &&
      read_string (ctx, obj, "identifier", kind, element, &rel->identifier))
    {
      if (rel->identifier != NULL && (strlen (rel->identifier) > 128 || rel->identifier[0] == '\0'))
        {
          BoughSourceLoc l = value_loc (ctx, obj, "identifier");

          add_problem (ctx->b, &l, kind, element, "identifier must be 1 to 128 characters");
        }
      mask |= F_IDENTIFIER;
    }
  if (json_object_has_member (obj, "min_count") &&
      read_int (ctx, obj, "min_count", kind, element, FALSE, &rel->min_count))
    mask |= F_MIN_COUNT;
  if (json_object_has_member (obj, "max_count") &&
      read_int (ctx, obj, "max_count", kind, element, FALSE, &rel->max_count))
    mask |= F_MAX_COUNT;
  if (json_object_has_member (obj, "hierarchical"))
    {
      JsonNode *h = json_object_get_member (obj, "hierarchical");

      /* Infrahub gives the generic kind of the tree here; older files a boolean. */
      if (JSON_NODE_HOLDS_NULL (h))
        rel->hierarchical = FALSE;
      else if (JSON_NODE_HOLDS_VALUE (h) && json_node_get_value_type (h) == G_TYPE_BOOLEAN)
        rel->hierarchical = json_node_get_boolean (h);
      else if (JSON_NODE_HOLDS_VALUE (h) && json_node_get_value_type (h) == G_TYPE_STRING)
        rel->hierarchical = TRUE;
      else
        {
          BoughSourceLoc l = value_loc (ctx, obj, "hierarchical");

          add_problem (ctx->b, &l, kind, element, "'hierarchical' must be a kind or a boolean");
        }
      mask |= F_HIERARCHICAL;
    }
  if (json_object_has_member (obj, "common_parent") &&
      read_string (ctx, obj, "common_parent", kind, element, &rel->common_parent))
    mask |= F_COMMON_PARENT;
  if (json_object_has_member (obj, "common_relatives") &&
      read_strv (ctx, obj, "common_relatives", kind, element, &rel->common_relatives))
    mask |= F_COMMON_RELATIVES;

  record_field_locs (ctx, obj, rel, located, G_N_ELEMENTS (located));
  *mask_out = mask;
  return rel;
}

/* Merging parsed elements onto the working set */

#define MERGE_STR(field, bit)                           \
  if (mask & (bit))                                     \
    {                                                   \
      g_free (dst->field);                              \
      dst->field = g_strdup (src->field);               \
    }
#define MERGE_VAL(field, bit)                           \
  if (mask & (bit))                                     \
    dst->field = src->field;
#define MERGE_STRV(field, bit)                          \
  if (mask & (bit))                                     \
    {                                                   \
      g_strfreev (dst->field);                          \
      dst->field = g_strdupv (src->field);              \
    }

static void
merge_attribute (BoughAttributeSchema       *dst,
                 const BoughAttributeSchema *src,
                 FieldMask                   mask)
{
  MERGE_STR (name, F_NAME);
  MERGE_VAL (kind, F_KIND);
  MERGE_STR (label, F_LABEL);
  MERGE_STR (description, F_DESCRIPTION);
  MERGE_VAL (optional, F_OPTIONAL);
  MERGE_VAL (unique, F_UNIQUE);
  MERGE_VAL (read_only, F_READ_ONLY);
  if (mask & F_DEFAULT_VALUE)
    {
      g_clear_pointer (&dst->default_value, json_node_unref);
      dst->default_value = src->default_value ? json_node_copy (src->default_value) : NULL;
    }
  MERGE_STR (regex, F_REGEX);
  MERGE_VAL (min_length, F_MIN_LENGTH);
  MERGE_VAL (max_length, F_MAX_LENGTH);
  if (mask & F_ENUM)
    {
      g_clear_pointer (&dst->enum_values, json_array_unref);
      dst->enum_values = src->enum_values ? json_array_ref (src->enum_values) : NULL;
    }
  if (mask & F_CHOICES)
    {
      g_clear_pointer (&dst->choices, g_ptr_array_unref);
      if (src->choices != NULL)
        {
          dst->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_dropdown_choice_free);
          for (guint i = 0; i < src->choices->len; i++)
            g_ptr_array_add (dst->choices,
                             _bough_dropdown_choice_copy (g_ptr_array_index (src->choices, i)));
        }
    }
  if (mask & F_PARAMETERS)
    {
      g_clear_pointer (&dst->parameters, json_object_unref);
      dst->parameters = src->parameters ? json_object_ref (src->parameters) : NULL;
    }
  if (mask & F_COMPUTED)
    {
      g_clear_pointer (&dst->computed_attribute, json_node_unref);
      dst->computed_attribute = src->computed_attribute ? json_node_copy (src->computed_attribute) : NULL;
    }
  MERGE_VAL (order_weight, F_ORDER_WEIGHT);
  MERGE_VAL (branch, F_BRANCH);
  MERGE_VAL (allow_override, F_ALLOW_OVERRIDE);
  MERGE_STR (deprecation, F_DEPRECATION);
  MERGE_VAL (display, F_DISPLAY);
  dst->loc = src->loc;
}

static void
merge_relationship (BoughRelationshipSchema       *dst,
                    const BoughRelationshipSchema *src,
                    FieldMask                      mask)
{
  MERGE_STR (name, F_NAME);
  MERGE_STR (peer, F_PEER);
  MERGE_VAL (kind, F_KIND);
  MERGE_VAL (cardinality, F_CARDINALITY);
  MERGE_VAL (optional, F_OPTIONAL);
  MERGE_STR (identifier, F_IDENTIFIER);
  MERGE_VAL (direction, F_DIRECTION);
  MERGE_VAL (min_count, F_MIN_COUNT);
  MERGE_VAL (max_count, F_MAX_COUNT);
  MERGE_VAL (on_delete, F_ON_DELETE);
  MERGE_VAL (branch, F_BRANCH);
  MERGE_STR (label, F_LABEL);
  MERGE_STR (description, F_DESCRIPTION);
  MERGE_VAL (order_weight, F_ORDER_WEIGHT);
  MERGE_VAL (read_only, F_READ_ONLY);
  MERGE_VAL (hierarchical, F_HIERARCHICAL);
  MERGE_VAL (allow_override, F_ALLOW_OVERRIDE);
  MERGE_STR (deprecation, F_DEPRECATION);
  MERGE_STR (common_parent, F_COMMON_PARENT);
  MERGE_STRV (common_relatives, F_COMMON_RELATIVES);
  MERGE_VAL (display, F_DISPLAY);
  dst->loc = src->loc;
}

static void
merge_node (BoughNodeSchema       *dst,
            const BoughNodeSchema *src,
            FieldMask              mask)
{
  MERGE_STR (name, F_NAME);
  MERGE_STR (namespace_, F_NAMESPACE);
  MERGE_STR (label, F_LABEL);
  MERGE_STR (description, F_DESCRIPTION);
  MERGE_STR (documentation, N_DOCUMENTATION);
  MERGE_STR (icon, N_ICON);
  MERGE_VAL (include_in_menu, N_INCLUDE_IN_MENU);
  MERGE_STR (menu_placement, N_MENU_PLACEMENT);
  MERGE_VAL (branch, F_BRANCH);
  MERGE_STRV (human_friendly_id, N_HFID);
  MERGE_STR (default_filter, N_DEFAULT_FILTER);
  MERGE_STRV (display_labels, N_DISPLAY_LABELS);
  MERGE_STR (display_label, N_DISPLAY_LABEL);
  MERGE_STRV (order_by, N_ORDER_BY);
  if (mask & N_UNIQUENESS)
    {
      g_ptr_array_set_size (dst->uniqueness_constraints, 0);
      for (guint i = 0; i < src->uniqueness_constraints->len; i++)
        g_ptr_array_add (dst->uniqueness_constraints,
                         g_strdupv (g_ptr_array_index (src->uniqueness_constraints, i)));
    }
  if (mask & N_INHERIT_FROM)
    {
      g_strfreev (dst->inherit_from);
      dst->inherit_from = g_strdupv (src->inherit_from);
    }
  MERGE_STR (hierarchy, N_HIERARCHY);
  MERGE_STR (parent, N_PARENT);
  MERGE_STR (children, N_CHILDREN);
  MERGE_VAL (hierarchical, F_HIERARCHICAL);
  MERGE_VAL (generate_profile, N_GENERATE_PROFILE);
  MERGE_VAL (generate_template, N_GENERATE_TEMPLATE);
  dst->loc = src->loc;
  if (dst->namespace_ != NULL && dst->name != NULL)
    {
      g_free (dst->kind);
      dst->kind = g_strconcat (dst->namespace_, dst->name, NULL);
    }
}

static gpointer
find_by_id (GPtrArray  *items,
            const char *id,
            gsize       id_offset)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      const char *item_id = G_STRUCT_MEMBER (char *, item, id_offset);

      if (g_strcmp0 (item_id, id) == 0)
        return item;
    }
  return NULL;
}

typedef gpointer (*ElementParseFunc) (Ctx *ctx, JsonNode *node, const char *kind,
                                      FieldMask *mask, gboolean *absent, gboolean *inherited);
typedef void     (*ElementMergeFunc) (gpointer dst, gconstpointer src, FieldMask mask);
typedef gpointer (*ElementGetFunc)   (BoughNodeSchema *node, const char *name);

/* What applying a list of attributes or of relationships needs to know of
 * its elements. */
typedef struct
{
  const char   *list_key;           /* "attributes" */
  gsize         list_offset;        /* of the GPtrArray in BoughNodeSchema */
  gsize         id_offset;
  gsize         name_offset;
  gsize         loc_offset;
  gsize         inherited_from_offset;
  const char   *duplicate_problem;
  FieldMask     required;           /* what a new element must define */
  const char   *required_problem;
  FieldMask     defaulted;          /* fields a redefinition resets to their defaults */
  ElementParseFunc parse;
  ElementMergeFunc merge;
  ElementGetFunc   get;
  GDestroyNotify   free;
} ElementClass;

static const ElementClass attribute_class = {
  "attributes", G_STRUCT_OFFSET (BoughNodeSchema, attributes),
  G_STRUCT_OFFSET (BoughAttributeSchema, id), G_STRUCT_OFFSET (BoughAttributeSchema, name),
  G_STRUCT_OFFSET (BoughAttributeSchema, loc), G_STRUCT_OFFSET (BoughAttributeSchema, inherited_from),
  "duplicate attribute name", F_KIND, "an attribute needs a kind", ATTR_DEFAULTED,
  (ElementParseFunc) parse_attribute, (ElementMergeFunc) merge_attribute,
  (ElementGetFunc) bough_node_schema_get_attribute,
  (GDestroyNotify) _bough_attribute_schema_free,
};

static const ElementClass relationship_class = {
  "relationships", G_STRUCT_OFFSET (BoughNodeSchema, relationships),
  G_STRUCT_OFFSET (BoughRelationshipSchema, id), G_STRUCT_OFFSET (BoughRelationshipSchema, name),
  G_STRUCT_OFFSET (BoughRelationshipSchema, loc),
  G_STRUCT_OFFSET (BoughRelationshipSchema, inherited_from),
  "duplicate name (already used by an attribute or relationship)", F_PEER,
  "a relationship needs a peer", REL_DEFAULTED,
  (ElementParseFunc) parse_relationship, (ElementMergeFunc) merge_relationship,
  (ElementGetFunc) bough_node_schema_get_relationship,
  (GDestroyNotify) _bough_relationship_schema_free,
};

/* Applies the parsed attributes or relationships (@klass) of one element
 * onto @dst; @seen holds the names already used in it. */
static void
apply_element_list (Ctx                *ctx,
                     BoughNodeSchema    *dst,
                     JsonObject         *obj,
                     const ElementClass *klass,
                     GHashTable         *seen)
{
  BoughSchemaBuilder *b = ctx->b;
  GPtrArray *items = G_STRUCT_MEMBER (GPtrArray *, dst, klass->list_offset);
  JsonNode *list;
  JsonArray *arr;

  if (!json_object_has_member (obj, klass->list_key))
    return;
  list = json_object_get_member (obj, klass->list_key);
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      if (!JSON_NODE_HOLDS_NULL (list))
        {
          BoughSourceLoc loc = value_loc (ctx, obj, klass->list_key);

          add_problem (b, &loc, dst->kind, NULL, "'%s' must be a list", klass->list_key);
        }
      return;
    }

  arr = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      FieldMask mask = 0;
      gboolean absent, inherited;
      gpointer elem, existing;
      const char *name;
      BoughSourceLoc *loc;

      elem = klass->parse (ctx, json_array_get_element (arr, i), dst->kind, &mask, &absent,
                           &inherited);
      if (elem == NULL)
        continue;
      name = G_STRUCT_MEMBER (char *, elem, klass->name_offset);
      loc = G_STRUCT_MEMBER_P (elem, klass->loc_offset);
      if (g_hash_table_contains (seen, name))
        {
          add_problem (b, loc, dst->kind, name, "%s", klass->duplicate_problem);
          forget_element (b, elem);
          klass->free (elem);
          continue;
        }
      g_hash_table_add (seen, (gpointer) g_intern_string (name));

      existing = find_by_id (items, G_STRUCT_MEMBER (char *, elem, klass->id_offset),
                             klass->id_offset);
      if (existing == NULL)
        existing = klass->get (dst, name);

      if (absent)
        {
          if (existing != NULL)
            {
              forget_element (b, existing);
              g_ptr_array_remove (items, existing);
            }
          forget_element (b, elem);
          klass->free (elem);
          continue;
        }

      if (ctx->json_mode && inherited)  /* resolved after loading */
        G_STRUCT_MEMBER (char *, elem, klass->inherited_from_offset) = g_strdup ("");

      if (existing != NULL && !ctx->json_mode)
        {
          klass->merge (existing, elem, mask | klass->defaulted);
          set_mask (b, existing, get_mask (b, existing) | mask);
          copy_field_locs (b, elem, existing);
          /* A local definition replaces an inherited copy. */
          g_clear_pointer (&G_STRUCT_MEMBER (char *, existing, klass->inherited_from_offset),
                           g_free);
          forget_element (b, elem);
          klass->free (elem);
        }
      else
        {
          if (!ctx->json_mode && !(mask & klass->required))
            add_problem (b, loc, dst->kind, name, "%s", klass->required_problem);
          if (!ctx->json_mode)
            set_mask (b, elem, mask);
          g_ptr_array_add (items, elem);
        }
    }
}

/* Applies parsed attributes/relationships of one element onto @dst. */
static void
apply_fields (Ctx             *ctx,
              BoughNodeSchema *dst,
              JsonObject      *obj)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  apply_element_list (ctx, dst, obj, &attribute_class, seen);
  apply_element_list (ctx, dst, obj, &relationship_class, seen);
}

/* Nodes and generics */

static const char *node_keys[] = {
  "id", "state", "name", "namespace", "description", "label", "branch", "default_filter",
  "human_friendly_id", "display_labels", "display_label", "include_in_menu", "menu_placement",
  "icon", "order_by", "uniqueness_constraints", "documentation", "inherit_from", "hierarchy",
  "parent", "children", "generate_profile", "generate_template", "attributes", "relationships",
  NULL,
};

static const char *generic_keys[] = {
  "id", "state", "name", "namespace", "description", "label", "branch", "default_filter",
  "human_friendly_id", "display_labels", "display_label", "include_in_menu", "menu_placement",
  "icon", "order_by", "uniqueness_constraints", "documentation", "hierarchical", "used_by",
  "generate_profile", "generate_template", "attributes", "relationships", NULL,
};

static const char *json_extra_keys[] = { "hash", "used_by", "inherit_from", NULL };

static gboolean
check_node_keys (Ctx        *ctx,
                 JsonObject *obj,
                 gboolean    is_generic,
                 const char *kind)
{
  const char **allowed = is_generic ? generic_keys : node_keys;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  gboolean ok = TRUE;

  json_object_iter_init_ordered (&iter, obj);
  while (json_object_iter_next_ordered (&iter, &member, &value))
    {
      /* load_element checks it against namespace + name. */
      if (g_strv_contains (allowed, member) || g_str_equal (member, "kind"))
        continue;
      if (ctx->json_mode &&
          (g_strv_contains (json_extra_keys, member) || g_strv_contains (node_keys, member)))
        continue;
      {
        BoughSourceLoc loc = key_loc (ctx, obj, member);

        add_problem (ctx->b, &loc, kind, NULL, "unknown key '%s'", member);
        ok = FALSE;
      }
    }
  return ok;
}

static BoughNodeSchema *
parse_node_props (Ctx        *ctx,
                  JsonObject *obj,
                  gboolean    is_generic,
                  const char *kind,
                  FieldMask  *mask_out)
{
  BoughNodeSchema *node = _bough_node_schema_new (is_generic);
  FieldMask mask = 0;

  node->kind = g_strdup (kind);

#define RD_STR(key, field, bit)                                                        \
  if (json_object_has_member (obj, key) && read_string (ctx, obj, key, kind, NULL, &node->field)) \
    mask |= (bit);
#define RD_BOOL(key, field, bit)                                                       \
  if (json_object_has_member (obj, key) && read_bool (ctx, obj, key, kind, NULL, &node->field)) \
    mask |= (bit);
#define RD_STRV(key, field, bit)                                                       \
  if (json_object_has_member (obj, key) && read_strv (ctx, obj, key, kind, NULL, &node->field)) \
    mask |= (bit);

  RD_STR ("id", id, F_ID);
  RD_STR ("label", label, F_LABEL);
  RD_STR ("description", description, F_DESCRIPTION);
  RD_STR ("documentation", documentation, N_DOCUMENTATION);
  RD_STR ("icon", icon, N_ICON);
  RD_BOOL ("include_in_menu", include_in_menu, N_INCLUDE_IN_MENU);
  RD_STR ("menu_placement", menu_placement, N_MENU_PLACEMENT);
  RD_STRV ("human_friendly_id", human_friendly_id, N_HFID);
  RD_STR ("default_filter", default_filter, N_DEFAULT_FILTER);
  RD_STRV ("display_labels", display_labels, N_DISPLAY_LABELS);
  RD_STR ("display_label", display_label, N_DISPLAY_LABEL);
  RD_STRV ("order_by", order_by, N_ORDER_BY);
  RD_STR ("hierarchy", hierarchy, N_HIERARCHY);
  RD_STR ("parent", parent, N_PARENT);
  RD_STR ("children", children, N_CHILDREN);
  RD_BOOL ("hierarchical", hierarchical, F_HIERARCHICAL);
  RD_BOOL ("generate_profile", generate_profile, N_GENERATE_PROFILE);
  RD_BOOL ("generate_template", generate_template, N_GENERATE_TEMPLATE);
  if (ctx->json_mode)
    RD_STRV ("used_by", used_by, N_USED_BY);
  if (json_object_has_member (obj, "inherit_from"))
    {
      if (read_strv (ctx, obj, "inherit_from", kind, NULL, &node->inherit_from))
        mask |= N_INHERIT_FROM;
      if (node->inherit_from == NULL)
        node->inherit_from = g_new0 (char *, 1);
    }
  if (json_object_has_member (obj, "branch"))
    {
      READ_ENUM (ctx, obj, "branch", kind, NULL, _bough_branch_support_from_string, &node->branch,
                 "aware, agnostic or local", F_BRANCH);
    }
  if (json_object_has_member (obj, "uniqueness_constraints"))
    {
      JsonNode *uc = json_object_get_member (obj, "uniqueness_constraints");

      if (JSON_NODE_HOLDS_NULL (uc))
        mask |= N_UNIQUENESS;
      else if (!JSON_NODE_HOLDS_ARRAY (uc))
        {
          BoughSourceLoc loc = value_loc (ctx, obj, "uniqueness_constraints");

          add_problem (ctx->b, &loc, kind, "uniqueness_constraints", "must be a list of lists");
        }
      else
        {
          JsonArray *arr = json_node_get_array (uc);
          gboolean ok = TRUE;

          for (guint i = 0; i < json_array_get_length (arr); i++)
            {
              char **paths = NULL;

              if (!read_strv_node (ctx, json_array_get_element (arr, i), "uniqueness_constraints",
                                   kind, NULL, &paths) || paths == NULL)
                {
                  ok = FALSE;
                  continue;
                }
              g_ptr_array_add (node->uniqueness_constraints, paths);
            }
          if (ok)
            mask |= N_UNIQUENESS;
        }
    }

  {
    static const char *located[] = { "human_friendly_id", "default_filter", "display_labels",
                                     "display_label", "order_by", "uniqueness_constraints",
                                     "inherit_from", "hierarchy", "parent", "children", "branch",
                                     "label", "description" };

    for (guint i = 0; i < G_N_ELEMENTS (located); i++)
      if (json_object_has_member (obj, located[i]))
        {
          BoughSourceLoc l = value_loc (ctx, obj, located[i]);

          set_field_loc (ctx->b, node, located[i], &l);
        }
  }

#undef RD_STR
#undef RD_BOOL
#undef RD_STRV

  *mask_out = mask;
  return node;
}

static void
insert_element (BoughSchemaBuilder *b,
                BoughNodeSchema    *node)
{
  g_ptr_array_add (b->elements, node);
  g_hash_table_insert (b->by_kind, node->kind, node);
}

static void
remove_element (BoughSchemaBuilder *b,
                BoughNodeSchema    *node)
{
  g_hash_table_remove (b->by_kind, node->kind);
  forget_node (b, node);
  g_ptr_array_remove (b->elements, node);
}

static void
load_element (Ctx        *ctx,
              JsonNode   *item,
              gboolean    is_generic,
              GHashTable *kinds_in_file)
{
  BoughSchemaBuilder *b = ctx->b;
  BoughSourceLoc loc = node_loc (ctx, item);
  g_autofree char *name = NULL;
  g_autofree char *ns = NULL;
  g_autofree char *kind = NULL;
  BoughNodeSchema *parsed;
  BoughNodeSchema *existing;
  JsonObject *obj;
  FieldMask mask = 0;
  gboolean absent = FALSE;
  gboolean ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (item))
    {
      add_problem (b, &loc, NULL, NULL, "a %s must be a mapping, not %s",
                   is_generic ? "generic" : "node", json_type_name (item));
      return;
    }
  obj = json_node_get_object (item);

  if (json_object_has_member (obj, "name"))
    ok &= read_string (ctx, obj, "name", NULL, NULL, &name);
  if (json_object_has_member (obj, "namespace"))
    ok &= read_string (ctx, obj, "namespace", NULL, NULL, &ns);
  if (name == NULL || ns == NULL)
    {
      if (ok)
        add_problem (b, &loc, NULL, NULL, "a %s needs a name and a namespace",
                     is_generic ? "generic" : "node");
      return;
    }
  kind = g_strconcat (ns, name, NULL);

  /* The API's elements and `infrahubctl schema export` files repeat the
   * kind; it is the identifier, so it must agree with what it derives from. */
  if (json_object_has_member (obj, "kind"))
    {
      g_autofree char *given = NULL;

      if (read_string (ctx, obj, "kind", kind, NULL, &given) && g_strcmp0 (given, kind) != 0)
        {
          BoughSourceLoc l = value_loc (ctx, obj, "kind");

          add_problem (b, &l, kind, NULL,
                       "kind '%s' does not match namespace '%s' and name '%s' (kind '%s')",
                       given ? given : "null", ns, name, kind);
        }
    }
  check_node_keys (ctx, obj, is_generic, kind);
  read_state_absent (ctx, obj, kind, NULL, &absent);

  if (!ctx->json_mode && (!valid_node_name (name) || strlen (name) > 32))
    {
      BoughSourceLoc l = value_loc (ctx, obj, "name");

      add_problem (b, &l, kind, NULL,
                   "invalid name '%s' (must match ^[A-Z][a-zA-Z0-9]+$, 2 to 32 characters)", name);
    }
  if (!ctx->json_mode && (!valid_namespace (ns) || strlen (ns) < 3 || strlen (ns) > 32))
    {
      BoughSourceLoc l = value_loc (ctx, obj, "namespace");

      add_problem (b, &l, kind, NULL,
                   "invalid namespace '%s' (must match ^[A-Z][a-z0-9]+$, 3 to 32 characters)", ns);
    }
  if (!b->internal && !ctx->json_mode && namespace_is_restricted (ns))
    {
      BoughSourceLoc l = value_loc (ctx, obj, "namespace");

      add_problem (b, &l, kind, NULL, "namespace '%s' is restricted to the built-in schema", ns);
    }

  if (kinds_in_file != NULL)
    {
      if (g_hash_table_contains (kinds_in_file, kind))
        {
          add_problem (b, &loc, kind, NULL, "duplicate kind '%s' in the same file", kind);
          return;
        }
      g_hash_table_add (kinds_in_file, g_strdup (kind));
    }

  parsed = parse_node_props (ctx, obj, is_generic, kind, &mask);
  parsed->namespace_ = g_strdup (ns);
  parsed->name = g_strdup (name);
  parsed->loc = loc;
  mask |= F_NAME | F_NAMESPACE;

  if (parsed->label != NULL && strlen (parsed->label) > 64)
    {
      BoughSourceLoc l = field_loc (b, parsed, "label", &loc);

      add_problem (b, &l, kind, NULL, "label longer than 64 characters");
    }
  if (parsed->description != NULL && strlen (parsed->description) > 128)
    {
      BoughSourceLoc l = field_loc (b, parsed, "description", &loc);

      add_problem (b, &l, kind, NULL, "description longer than 128 characters");
    }

  existing = NULL;
  if (parsed->id != NULL && !ctx->json_mode)
    existing = find_by_id (b->elements, parsed->id, G_STRUCT_OFFSET (BoughNodeSchema, id));
  if (existing == NULL)
    existing = g_hash_table_lookup (b->by_kind, kind);

  if (absent)
    {
      if (existing != NULL)
        remove_element (b, existing);
      forget_node (b, parsed);
      _bough_node_schema_free (parsed);
      return;
    }

  if (existing != NULL && existing->is_generic != is_generic)
    {
      add_problem (b, &loc, kind, NULL, "'%s' is already defined as a %s", kind,
                   existing->is_generic ? "generic" : "node");
      forget_node (b, parsed);
      _bough_node_schema_free (parsed);
      return;
    }

  if (existing != NULL && !ctx->json_mode)
    {
      BoughNodeSchema *clash;

      /* A rename by id must not land on another existing kind. */
      clash = g_hash_table_lookup (b->by_kind, kind);
      if (clash != NULL && clash != existing)
        {
          add_problem (b, &loc, kind, NULL, "cannot rename '%s' to '%s': that kind exists",
                       existing->kind, kind);
          forget_node (b, parsed);
          _bough_node_schema_free (parsed);
          return;
        }
      g_hash_table_remove (b->by_kind, existing->kind);
      /* As for fields: a node given again takes the defaults of these. */
      mask |= F_BRANCH | N_INCLUDE_IN_MENU | N_INHERIT_FROM | N_GENERATE_PROFILE | N_GENERATE_TEMPLATE |
              (is_generic ? F_HIERARCHICAL : 0);
      merge_node (existing, parsed, mask);
      g_hash_table_insert (b->by_kind, existing->kind, existing);
      set_mask (b, existing, get_mask (b, existing) | mask);
      copy_field_locs (b, parsed, existing);
      forget_node (b, parsed);
      _bough_node_schema_free (parsed);
      apply_fields (ctx, existing, obj);
      return;
    }

  if (existing != NULL)
    {
      add_problem (b, &loc, kind, NULL, "duplicate kind '%s'", kind);
      forget_node (b, parsed);
      _bough_node_schema_free (parsed);
      return;
    }

  set_mask (b, parsed, mask);
  insert_element (b, parsed);
  apply_fields (ctx, parsed, obj);
}

static void
load_extension (Ctx      *ctx,
                JsonNode *item)
{
  static const char *ext_keys[] = { "kind", "attributes", "relationships", NULL };
  BoughSchemaBuilder *b = ctx->b;
  BoughSourceLoc loc = node_loc (ctx, item);
  g_autofree char *kind = NULL;
  BoughNodeSchema *existing;
  JsonObject *obj;

  if (!JSON_NODE_HOLDS_OBJECT (item))
    {
      add_problem (b, &loc, NULL, NULL, "an extension must be a mapping");
      return;
    }
  obj = json_node_get_object (item);
  if (!json_object_has_member (obj, "kind") || !read_string (ctx, obj, "kind", NULL, NULL, &kind) ||
      kind == NULL)
    {
      add_problem (b, &loc, NULL, NULL, "an extension needs the kind it extends");
      return;
    }
  check_keys (ctx, obj, ext_keys, kind, NULL);
  existing = g_hash_table_lookup (b->by_kind, kind);
  if (existing == NULL)
    {
      BoughSourceLoc l = value_loc (ctx, obj, "kind");

      add_problem (b, &l, kind, NULL, "cannot extend unknown kind '%s'", kind);
      return;
    }
  apply_fields (ctx, existing, obj);
}

static gboolean
load_root (Ctx      *ctx,
           JsonNode *root)
{
  static const char *root_keys[] = { "version", "generics", "nodes", "extensions", NULL };
  BoughSchemaBuilder *b = ctx->b;
  g_autoptr(GHashTable) kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint start = b->problems->len;
  JsonObject *obj;
  const char *lists[] = { "generics", "nodes" };

  if (JSON_NODE_HOLDS_NULL (root))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      BoughSourceLoc loc = node_loc (ctx, root);

      add_problem (b, &loc, NULL, NULL, "a schema file must be a mapping, not %s",
                   json_type_name (root));
      return FALSE;
    }
  obj = json_node_get_object (root);
  check_keys (ctx, obj, root_keys, NULL, NULL);

  if (json_object_has_member (obj, "version"))
    {
      JsonNode *v = json_object_get_member (obj, "version");

      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) == G_TYPE_BOOLEAN)
        {
          BoughSourceLoc loc = value_loc (ctx, obj, "version");

          add_problem (b, &loc, NULL, NULL, "'version' must be a string");
        }
    }

  /* Generics first so that nodes of the same file can name them. */
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonNode *list;

      if (!json_object_has_member (obj, lists[l]))
        continue;
      list = json_object_get_member (obj, lists[l]);
      if (JSON_NODE_HOLDS_NULL (list))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          BoughSourceLoc loc = value_loc (ctx, obj, lists[l]);

          add_problem (b, &loc, NULL, NULL, "'%s' must be a list", lists[l]);
          continue;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        load_element (ctx, json_array_get_element (json_node_get_array (list), i), l == 0, kinds);
    }

  if (json_object_has_member (obj, "extensions"))
    {
      JsonNode *ext = json_object_get_member (obj, "extensions");

      if (JSON_NODE_HOLDS_OBJECT (ext))
        {
          static const char *ext_root_keys[] = { "nodes", NULL };
          JsonObject *eobj = json_node_get_object (ext);

          check_keys (ctx, eobj, ext_root_keys, NULL, "extensions");
          if (json_object_has_member (eobj, "nodes"))
            {
              JsonNode *list = json_object_get_member (eobj, "nodes");

              if (JSON_NODE_HOLDS_ARRAY (list))
                {
                  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
                    load_extension (ctx, json_array_get_element (json_node_get_array (list), i));
                }
              else if (!JSON_NODE_HOLDS_NULL (list))
                {
                  BoughSourceLoc loc = value_loc (ctx, eobj, "nodes");

                  add_problem (b, &loc, NULL, "extensions", "'nodes' must be a list");
                }
            }
        }
      else if (!JSON_NODE_HOLDS_NULL (ext))
        {
          BoughSourceLoc loc = value_loc (ctx, obj, "extensions");

          add_problem (b, &loc, NULL, NULL, "'extensions' must be a mapping");
        }
    }

  return b->problems->len == start;
}

static const char *
origin_or_default (const char *origin)
{
  return origin ? origin : "<input>";
}

/* Public: builder lifetime and loading */

/**
 * bough_schema_builder_new:
 * @base: (nullable): the snapshot to start from, or %NULL for an empty one
 *
 * Creates a builder holding a working copy of @base. Files added to it are
 * applied declaratively: elements they name are created or updated, elements
 * they do not name stay as they are, `state: absent` removes.
 *
 * Returns: (transfer full): a new builder
 */
BoughSchemaBuilder *
bough_schema_builder_new (BoughSchema *base)
{
  BoughSchemaBuilder *b = g_new0 (BoughSchemaBuilder, 1);

  b->elements = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_node_schema_free);
  b->by_kind = g_hash_table_new (g_str_hash, g_str_equal);
  b->masks = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  b->field_locs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_hash_table_unref);
  b->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_schema_problem_free);

  if (base != NULL)
    {
      GPtrArray *lists[] = { base->generics, base->nodes };

      /* Profiles are regenerated by every build. */
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; i < lists[l]->len; i++)
          {
            BoughNodeSchema *node = g_ptr_array_index (lists[l], i);

            /* Templates, like profiles, are regenerated by every build. */
            if (!node->is_template)
              insert_element (b, _bough_node_schema_copy (node));
          }
    }
  return b;
}

/**
 * bough_schema_builder_free:
 * @self: a builder
 *
 * Frees the builder and its working copy.
 */
void
bough_schema_builder_free (BoughSchemaBuilder *self)
{
  g_return_if_fail (self != NULL);

  g_hash_table_unref (self->masks);
  g_hash_table_unref (self->field_locs);
  g_hash_table_unref (self->by_kind);
  g_ptr_array_unref (self->elements);
  g_ptr_array_unref (self->problems);
  g_free (self);
}

/**
 * bough_schema_builder_set_internal:
 * @self: a builder
 * @internal: whether restricted namespaces (Core, Builtin, ...) may be defined
 *
 * Internal mode is for the built-in core schema only.
 */
void
bough_schema_builder_set_internal (BoughSchemaBuilder *self,
                                   gboolean            internal)
{
  g_return_if_fail (self != NULL);
  self->internal = !!internal;
}

/**
 * bough_schema_builder_get_problems:
 * @self: a builder
 *
 * Every problem found so far by bough_schema_builder_add_data(),
 * bough_schema_builder_add_file() and bough_schema_builder_build().
 *
 * Returns: (transfer none) (element-type BoughSchemaProblem): the problems
 */
GPtrArray *
bough_schema_builder_get_problems (BoughSchemaBuilder *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->problems;
}

/**
 * bough_schema_builder_add_data:
 * @self: a builder
 * @data: YAML or JSON text of a schema file
 * @length: length of @data, or -1 if NUL-terminated
 * @origin: (nullable): file name used in error locations
 * @error: return location for an error
 *
 * Parses one schema file and applies it to the working copy. On error the
 * message lists every problem as `file:line:column: element: problem`.
 *
 * Returns: %TRUE if the file was valid
 */
gboolean
bough_schema_builder_add_data (BoughSchemaBuilder  *self,
                               const char          *data,
                               gssize               length,
                               const char          *origin,
                               GError             **error)
{
  g_autoptr(BoughYamlDocument) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  guint start;
  Ctx ctx = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  start = self->problems->len;
  doc = bough_yaml_parse (data, length, origin, &local_error);
  if (doc == NULL)
    {
      BoughSchemaProblem *p = g_new0 (BoughSchemaProblem, 1);
      const char *msg = local_error->message;
      gsize prefix = strlen (origin_or_default (origin));
      int consumed = 0;

      /* The parser's message is "origin:line:column: problem". */
      p->loc.file = g_intern_string (origin_or_default (origin));
      if (strncmp (msg, p->loc.file, prefix) == 0 &&
          sscanf (msg + prefix, ":%u:%u: %n", &p->loc.line, &p->loc.column,
                  &consumed) == 2 && consumed > 0)
        msg += prefix + consumed;
      p->message = g_strdup (msg);
      g_ptr_array_add (self->problems, p);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  ctx.b = self;
  ctx.doc = doc;
  if (!load_root (&ctx, bough_yaml_document_get_root (doc)))
    {
      g_autofree char *msg = format_problems (self->problems, start);

      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, msg);
      return FALSE;
    }
  return TRUE;
}

/**
 * bough_schema_builder_add_file:
 * @self: a builder
 * @path: a YAML or JSON schema file
 * @error: return location for an error
 *
 * Like bough_schema_builder_add_data() with the contents of @path.
 *
 * Returns: %TRUE if the file was read and valid
 */
gboolean
bough_schema_builder_add_file (BoughSchemaBuilder  *self,
                               const char          *path,
                               GError             **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      BoughSchemaProblem *p = g_new0 (BoughSchemaProblem, 1);

      p->loc.file = g_intern_string (path);
      p->message = g_strdup (local_error->message);
      g_ptr_array_add (self->problems, p);
      g_set_error (error, BOUGH_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ?
                   BOUGH_ERROR_NOT_FOUND : BOUGH_ERROR_FAILED,
                   "%s", local_error->message);
      return FALSE;
    }
  return bough_schema_builder_add_data (self, contents, length, path, error);
}

/* Build: processing in Infrahub's order */

static BoughNodeSchema *
lookup (BoughSchemaBuilder *b,
        const char         *kind)
{
  return kind ? g_hash_table_lookup (b->by_kind, kind) : NULL;
}

static gboolean
is_auto_relationship (const BoughRelationshipSchema *rel)
{
  if (rel->kind == BOUGH_RELATIONSHIP_KIND_GROUP)
    return g_str_equal (rel->name, "member_of_groups") || g_str_equal (rel->name,
                                                                       "subscriber_of_groups");
  if (rel->kind == BOUGH_RELATIONSHIP_KIND_PROFILE)
    return g_str_equal (rel->name, "profiles");
  if (rel->kind == BOUGH_RELATIONSHIP_KIND_HIERARCHY)
    return g_str_equal (rel->name, "parent") || g_str_equal (rel->name, "children");
  if (rel->kind == BOUGH_RELATIONSHIP_KIND_TEMPLATE)
    return g_str_equal (rel->name, "object_template");
  return FALSE;
}

/* Inherited copies and automatic relationships are derived data: drop them
 * so that the build recomputes them from the current generics and kinds. */
static void
strip_generated (BoughSchemaBuilder *b)
{
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = node->attributes->len; i > 0; i--)
        {
          BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i - 1);

          if (attr->inherited_from != NULL)
            {
              forget_element (b, attr);
              g_ptr_array_remove_index (node->attributes, i - 1);
            }
        }
      for (guint i = node->relationships->len; i > 0; i--)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i - 1);

          if (rel->inherited_from != NULL || is_auto_relationship (rel))
            {
              forget_element (b, rel);
              g_ptr_array_remove_index (node->relationships, i - 1);
            }
        }
      g_clear_pointer (&node->used_by, g_strfreev);
    }
}

static void
generate_identifiers (BoughSchemaBuilder *b)
{
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = 0; i < node->relationships->len; i++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);
          const char *a, *c;

          if (rel->identifier != NULL || rel->peer == NULL)
            continue;
          a = node->kind;
          c = rel->peer;
          if (strcmp (a, c) > 0)
            {
              const char *t = a;

              a = c;
              c = t;
            }
          {
            g_autofree char *joined = g_strconcat (a, "__", c, NULL);

            rel->identifier = g_ascii_strdown (joined, -1);
          }
        }
    }
}

static void
process_default_values (BoughSchemaBuilder *b)
{
  /* A mandatory attribute with a default is satisfied by it. */
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = 0; i < node->attributes->len; i++)
        {
          BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);

          if (attr->default_value != NULL && !attr->optional)
            attr->optional = TRUE;
        }
    }
}

static void
process_cardinality_counts (BoughSchemaBuilder *b)
{
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = 0; i < node->relationships->len; i++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);

          if (rel->cardinality != BOUGH_CARDINALITY_ONE)
            continue;
          if (rel->optional)
            {
              rel->min_count = 0;
              rel->max_count = 1;
            }
          else
            {
              if (rel->min_count == 0)
                rel->min_count = 1;
              if (rel->max_count == 0)
                rel->max_count = 1;
            }
        }
    }
}

static BoughBranchSupport
relationship_default_branch (BoughBranchSupport node_branch,
                             BoughBranchSupport peer_branch)
{
  if (node_branch == peer_branch)
    return node_branch;
  if (node_branch == BOUGH_BRANCH_SUPPORT_LOCAL || peer_branch == BOUGH_BRANCH_SUPPORT_LOCAL)
    return BOUGH_BRANCH_SUPPORT_LOCAL;
  return BOUGH_BRANCH_SUPPORT_AWARE;
}

static gboolean
has_local_name (BoughNodeSchema *node,
                const char      *name)
{
  BoughAttributeSchema *attr = bough_node_schema_get_attribute (node, name);
  BoughRelationshipSchema *rel;

  if (attr != NULL)
    return attr->inherited_from == NULL;
  rel = bough_node_schema_get_relationship (node, name);
  return rel != NULL && rel->inherited_from == NULL;
}

static void
inherit_strv_prop (char ***dst,
                   char  **src)
{
  if (!strv_empty (src) && strv_empty (*dst))
    {
      g_strfreev (*dst);
      *dst = g_strdupv (src);
    }
}

static void
inherit_str_prop (char       **dst,
                  const char  *src)
{
  if (!str_empty (src) && str_empty (*dst))
    {
      g_free (*dst);
      *dst = g_strdup (src);
    }
}

static void
inherit_from_generic (BoughSchemaBuilder *b,
                      BoughNodeSchema    *node,
                      BoughNodeSchema    *generic)
{
  BoughSourceLoc inh_loc = field_loc (b, node, "inherit_from", &node->loc);

  /* Node properties the first generic provides when the node has none. */
  inherit_strv_prop (&node->human_friendly_id, generic->human_friendly_id);
  inherit_strv_prop (&node->display_labels, generic->display_labels);
  inherit_str_prop (&node->display_label, generic->display_label);
  inherit_str_prop (&node->default_filter, generic->default_filter);
  inherit_str_prop (&node->menu_placement, generic->menu_placement);
  inherit_str_prop (&node->icon, generic->icon);
  inherit_strv_prop (&node->order_by, generic->order_by);
  if (node->uniqueness_constraints->len == 0)
    for (guint i = 0; i < generic->uniqueness_constraints->len; i++)
      g_ptr_array_add (node->uniqueness_constraints,
                       g_strdupv (g_ptr_array_index (generic->uniqueness_constraints, i)));

  for (guint i = 0; i < generic->attributes->len; i++)
    {
      BoughAttributeSchema *gattr = g_ptr_array_index (generic->attributes, i);
      BoughAttributeSchema *local = bough_node_schema_get_attribute (node, gattr->name);
      BoughAttributeSchema *copy;
      FieldMask gmask = get_mask (b, gattr);

      if (local != NULL && local->inherited_from == NULL)
        {
          if (!gattr->allow_override)
            add_problem (b, &local->loc, node->kind, local->name,
                         "attribute inherited from %s cannot be overridden", generic->kind);
          else if (local->kind != gattr->kind)
            add_problem (b, &local->loc, node->kind, local->name,
                         "must be of the same kind as in %s (%s, not %s)", generic->kind,
                         bough_attribute_kind_to_string (gattr->kind),
                         bough_attribute_kind_to_string (local->kind));
          continue;
        }
      if (has_local_name (node, gattr->name) || local != NULL)
        continue;

      copy = _bough_attribute_schema_copy (gattr);
      g_free (copy->inherited_from);
      copy->inherited_from = g_strdup (generic->kind);
      /* A branch the generic did not set explicitly follows the node. */
      if (!(gmask & F_BRANCH) || gmask == F_ALL)
        {
          if (gmask != F_ALL || gattr->branch == generic->branch)
            gmask &= ~(FieldMask) F_BRANCH;
        }
      set_mask (b, copy, gmask);
      copy_field_locs (b, gattr, copy);
      g_ptr_array_add (node->attributes, copy);
    }

  for (guint i = 0; i < generic->relationships->len; i++)
    {
      BoughRelationshipSchema *grel = g_ptr_array_index (generic->relationships, i);
      BoughRelationshipSchema *local = bough_node_schema_get_relationship (node, grel->name);
      BoughRelationshipSchema *copy;
      FieldMask gmask = get_mask (b, grel);

      if (local != NULL && local->inherited_from == NULL)
        {
          if (!grel->allow_override)
            add_problem (b, &local->loc, node->kind, local->name,
                         "relationship inherited from %s cannot be overridden", generic->kind);
          continue;
        }
      if (bough_node_schema_get_attribute (node, grel->name) != NULL || local != NULL)
        {
          if (bough_node_schema_get_attribute (node, grel->name) != NULL)
            add_problem (b, &inh_loc, node->kind, grel->name,
                         "name used by an attribute and by a relationship inherited from %s",
                         generic->kind);
          continue;
        }

      copy = _bough_relationship_schema_copy (grel);
      g_free (copy->inherited_from);
      copy->inherited_from = g_strdup (generic->kind);
      if (gmask == F_ALL)
        {
          BoughNodeSchema *peer = lookup (b, grel->peer);

          if (peer != NULL &&
              grel->branch == relationship_default_branch (generic->branch, peer->branch))
            gmask &= ~(FieldMask) F_BRANCH;
        }
      set_mask (b, copy, gmask);
      copy_field_locs (b, grel, copy);
      g_ptr_array_add (node->relationships, copy);
    }
}

static void
add_used_by (GHashTable *used_by,
             const char *generic,
             const char *kind)
{
  GPtrArray *list = g_hash_table_lookup (used_by, generic);

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (used_by, (gpointer) generic, list);
    }
  if (!g_ptr_array_find_with_equal_func (list, kind, g_str_equal, NULL))
    g_ptr_array_add (list, (gpointer) kind);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_by_kind_ptr (gconstpointer a,
                     gconstpointer b)
{
  return strcmp ((*(BoughNodeSchema * const *) a)->kind, (*(BoughNodeSchema * const *) b)->kind);
}

static void
process_inheritance (BoughSchemaBuilder *b)
{
  g_autoptr(GHashTable) used_by = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);

  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);
      BoughSourceLoc loc = field_loc (b, node, "inherit_from", &node->loc);
      const char *hierarchical = NULL;

      if (node->is_generic)
        continue;
      if (!strv_empty (node->inherit_from) || !namespace_is_system (node->namespace_))
        add_used_by (used_by, "CoreNode", node->kind);
      if (g_strv_contains ((const char * const *) node->inherit_from, "BuiltinIPPrefix") &&
          g_strv_contains ((const char * const *) node->inherit_from, "BuiltinIPAddress"))
        add_problem (b, &loc, node->kind, "inherit_from",
                     "cannot inherit from both BuiltinIPPrefix and BuiltinIPAddress");

      for (guint i = 0; node->inherit_from[i] != NULL; i++)
        {
          const char *gkind = node->inherit_from[i];
          BoughNodeSchema *generic = lookup (b, gkind);

          for (guint j = 0; j < i; j++)
            if (g_str_equal (node->inherit_from[j], gkind))
              {
                add_problem (b, &loc, node->kind, "inherit_from", "'%s' is listed twice", gkind);
                generic = NULL;
                gkind = NULL;
                break;
              }
          if (gkind == NULL)
            continue;
          if (generic == NULL)
            {
              add_problem (b, &loc, node->kind, "inherit_from", "unknown generic '%s'", gkind);
              continue;
            }
          if (!generic->is_generic)
            {
              add_problem (b, &loc, node->kind, "inherit_from",
                           "'%s' is a node; only generics can be inherited", gkind);
              continue;
            }
          if (generic->hierarchical)
            {
              if (hierarchical != NULL)
                add_problem (b, &loc, node->kind, "inherit_from",
                             "only one hierarchical generic is allowed ('%s' and '%s')",
                             hierarchical, gkind);
              else
                hierarchical = generic->kind;
            }
          add_used_by (used_by, generic->kind, node->kind);
          inherit_from_generic (b, node, generic);
        }

      if (hierarchical != NULL && node->hierarchy == NULL)
        node->hierarchy = g_strdup (hierarchical);
    }

  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *generic = g_ptr_array_index (b->elements, n);
      GPtrArray *list;

      if (!generic->is_generic)
        continue;
      g_clear_pointer (&generic->used_by, g_strfreev);
      list = g_hash_table_lookup (used_by, generic->kind);
      generic->used_by = g_new0 (char *, (list ? list->len : 0) + 1);
      if (list != NULL)
        {
          g_ptr_array_sort (list, compare_strings);
          for (guint i = 0; i < list->len; i++)
            generic->used_by[i] = g_strdup (g_ptr_array_index (list, i));
        }
    }
}

static void
process_hierarchy (BoughSchemaBuilder *b)
{
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);
      BoughNodeSchema *tree;

      if (node->is_generic)
        continue;
      if (node->hierarchy == NULL && node->parent == NULL && node->children == NULL)
        continue;
      if (str_empty (node->hierarchy))
        {
          if (!str_empty (node->parent) || !str_empty (node->children))
            {
              BoughSourceLoc loc = field_loc (b, node, node->parent ? "parent" : "children",
                                              &node->loc);

              add_problem (b, &loc, node->kind, "hierarchy",
                           "parent or children needs a hierarchical generic in hierarchy or inherit_from");
            }
          continue;
        }
      tree = lookup (b, node->hierarchy);
      if (tree == NULL || !tree->is_generic || !tree->hierarchical)
        {
          BoughSourceLoc loc = field_loc (b, node, "hierarchy", &node->loc);

          add_problem (b, &loc, node->kind, "hierarchy", "'%s' is not a hierarchical generic",
                       node->hierarchy);
          continue;
        }
      if (!g_strv_contains ((const char * const *) node->inherit_from, node->hierarchy))
        {
          guint len = g_strv_length (node->inherit_from);

          node->inherit_from = g_renew (char *, node->inherit_from, len + 2);
          node->inherit_from[len] = g_strdup (node->hierarchy);
          node->inherit_from[len + 1] = NULL;
          inherit_from_generic (b, node, tree);
          if (tree->used_by != NULL &&
              !g_strv_contains ((const char * const *) tree->used_by, node->kind))
            {
              guint ulen = g_strv_length (tree->used_by);

              tree->used_by = g_renew (char *, tree->used_by, ulen + 2);
              tree->used_by[ulen] = g_strdup (node->kind);
              tree->used_by[ulen + 1] = NULL;
              qsort (tree->used_by, ulen + 1, sizeof (char *), compare_strings);
            }
        }
      if (node->parent == NULL)
        node->parent = g_strdup (node->hierarchy);
      else if (*node->parent != '\0' && lookup (b, node->parent) == NULL)
        {
          BoughSourceLoc loc = field_loc (b, node, "parent", &node->loc);

          add_problem (b, &loc, node->kind, "parent", "unknown kind '%s'", node->parent);
        }
      if (node->children == NULL)
        node->children = g_strdup (node->hierarchy);
      else if (*node->children != '\0' && lookup (b, node->children) == NULL)
        {
          BoughSourceLoc loc = field_loc (b, node, "children", &node->loc);

          add_problem (b, &loc, node->kind, "children", "unknown kind '%s'", node->children);
        }
    }
}

static void
process_branch_support (BoughSchemaBuilder *b)
{
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = 0; i < node->attributes->len; i++)
        {
          BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);
          FieldMask mask = get_mask (b, attr);

          if (!(mask & F_BRANCH))
            {
              attr->branch = node->branch;
              set_mask (b, attr, mask | F_BRANCH);
            }
        }
      for (guint i = 0; i < node->relationships->len; i++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);
          FieldMask mask = get_mask (b, rel);
          BoughNodeSchema *peer = lookup (b, rel->peer);

          if (!(mask & F_BRANCH) && peer != NULL)
            {
              rel->branch = relationship_default_branch (node->branch, peer->branch);
              set_mask (b, rel, mask | F_BRANCH);
            }
        }
    }
}

/* Validation */

enum
{
  P_ATTR_PROP = 1 << 0,
  P_ATTR_NOPROP = 1 << 1,
  P_REL_ONE = 1 << 2,
  P_REL_ONE_OPTIONAL = 1 << 3,
  P_REL_MANY = 1 << 4,
  P_REL_ATTR = 1 << 5,
  P_REL_NOATTR = 1 << 6,
};

static gboolean
attribute_property_allowed (BoughAttributeSchema *attr,
                            const char           *prop)
{
  if (g_str_equal (prop, "value"))
    return TRUE;
  switch (attr->kind)
    {
    case BOUGH_ATTRIBUTE_KIND_IP_NETWORK:
      if (g_str_equal (prop, "prefixlen"))
        return TRUE;
      G_GNUC_FALLTHROUGH;
    case BOUGH_ATTRIBUTE_KIND_IP_HOST:
      return g_str_equal (prop, "version") || g_str_equal (prop, "binary_address");
    default:
      return FALSE;
    }
}

/* Resolves `attr`, `attr__prop`, `rel` or `rel__attr__prop` on @node. On
 * failure returns a newly allocated explanation. */
static char *
check_path (BoughSchemaBuilder       *b,
            BoughNodeSchema          *node,
            const char               *path,
            guint                     allowed,
            BoughAttributeSchema    **attr_out,
            BoughRelationshipSchema **rel_out)
{
  g_auto(GStrv) parts = g_strsplit (path, "__", -1);
  guint n = g_strv_length (parts);
  BoughAttributeSchema *attr;
  BoughRelationshipSchema *rel;
  BoughNodeSchema *peer;

  if (attr_out)
    *attr_out = NULL;
  if (rel_out)
    *rel_out = NULL;

  if (n == 0 || *parts[0] == '\0')
    return g_strdup_printf ("empty path '%s'", path);

  attr = bough_node_schema_get_attribute (node, parts[0]);
  if (attr != NULL)
    {
      if (!(allowed & (P_ATTR_PROP | P_ATTR_NOPROP)))
        return g_strdup_printf ("'%s': only relationships are allowed here", path);
      if (n == 1)
        {
          if (!(allowed & P_ATTR_NOPROP))
            return g_strdup_printf ("'%s' must name a property of the attribute, e.g. %s__value",
                                    path, parts[0]);
        }
      else if (n == 2)
        {
          if (!attribute_property_allowed (attr, parts[1]))
            return g_strdup_printf ("'%s': '%s' is not a property of attribute %s (use value)",
                                    path, parts[1], parts[0]);
        }
      else
        return g_strdup_printf ("'%s': too many parts for an attribute path", path);
      if (attr_out)
        *attr_out = attr;
      return NULL;
    }

  rel = bough_node_schema_get_relationship (node, parts[0]);
  if (rel == NULL)
    return g_strdup_printf ("'%s': %s has no attribute or relationship '%s'", path, node->kind,
                            parts[0]);
  if (rel_out)
    *rel_out = rel;
  if (!(allowed & (P_REL_ONE | P_REL_MANY)))
    return g_strdup_printf ("'%s': relationships are not allowed here, only attributes", path);
  if (rel->cardinality == BOUGH_CARDINALITY_ONE)
    {
      if (!(allowed & P_REL_ONE))
        return g_strdup_printf ("'%s': relationship %s must be of cardinality many", path,
                                rel->name);
      if (rel->optional && !(allowed & P_REL_ONE_OPTIONAL) &&
          !g_str_equal (rel->name, "ip_namespace"))
        return g_strdup_printf ("'%s': relationship %s must be mandatory (optional: false)", path,
                                rel->name);
    }
  else if (!(allowed & P_REL_MANY))
    return g_strdup_printf ("'%s': relationship %s must be of cardinality one", path, rel->name);

  if (n == 1)
    {
      if (!(allowed & P_REL_NOATTR))
        return g_strdup_printf ("'%s' must name an attribute of the related node, e.g. %s__name__value",
                                path, rel->name);
      return NULL;
    }
  if (!(allowed & P_REL_ATTR))
    return g_strdup_printf ("'%s': only the relationship itself is allowed here, not attributes of the peer",
                            path);
  if (n != 3)
    return g_strdup_printf ("'%s' must be relationship__attribute__property", path);
  peer = lookup (b, rel->peer);
  if (peer == NULL)
    return NULL;  /* reported as an unknown peer */
  attr = bough_node_schema_get_attribute (peer, parts[1]);
  if (attr == NULL)
    return g_strdup_printf ("'%s': peer %s has no attribute '%s'", path, peer->kind, parts[1]);
  if (!attribute_property_allowed (attr, parts[2]))
    return g_strdup_printf ("'%s': '%s' is not a property of attribute %s", path, parts[2],
                            parts[1]);
  if (attr_out)
    *attr_out = attr;
  return NULL;
}

static void
validate_path_list (BoughSchemaBuilder *b,
                    BoughNodeSchema    *node,
                    char              **paths,
                    const char         *field,
                    guint               allowed)
{
  BoughSourceLoc loc = field_loc (b, node, field, &node->loc);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      g_autofree char *problem = check_path (b, node, paths[i], allowed, NULL, NULL);

      if (problem != NULL)
        add_problem (b, &loc, node->kind, field, "%s", problem);
    }
}

static gboolean
compile_regex (BoughSchemaBuilder   *b,
               BoughNodeSchema      *node,
               BoughAttributeSchema *attr,
               const char           *pattern,
               const char           *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &error);

  if (regex == NULL)
    {
      BoughSourceLoc loc = field_loc (b, attr, field, &attr->loc);

      add_problem (b, &loc, node->kind, attr->name, "invalid regex '%s': %s", pattern,
                   error->message);
      return FALSE;
    }
  g_clear_pointer (&attr->compiled_regex, g_regex_unref);
  attr->compiled_regex = g_steal_pointer (&regex);
  return TRUE;
}

static void
validate_attribute (BoughSchemaBuilder   *b,
                    BoughNodeSchema      *node,
                    BoughAttributeSchema *attr)
{
  const char *regex = attr->regex;
  gint64 min_length = attr->min_length;
  gint64 max_length = attr->max_length;

  if (attr->parameters != NULL)
    {
      JsonObject *p = attr->parameters;

      if (json_object_has_member (p, "regex"))
        {
          JsonNode *r = json_object_get_member (p, "regex");

          if (JSON_NODE_HOLDS_VALUE (r) && json_node_get_value_type (r) == G_TYPE_STRING)
            regex = json_node_get_string (r);
        }
      if (json_object_has_member (p, "min_length") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (p, "min_length")))
        min_length = json_object_get_int_member (p, "min_length");
      if (json_object_has_member (p, "max_length") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (p, "max_length")))
        max_length = json_object_get_int_member (p, "max_length");
      if (json_object_has_member (p, "min_value") && json_object_has_member (p, "max_value") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (p, "min_value")) &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (p, "max_value")) &&
          json_object_get_int_member (p, "min_value") > json_object_get_int_member (p, "max_value"))
        {
          BoughSourceLoc loc = field_loc (b, attr, "parameters", &attr->loc);

          add_problem (b, &loc, node->kind, attr->name, "min_value is greater than max_value");
        }
    }

  if (regex != NULL)
    compile_regex (b, node, attr, regex, attr->regex ? "regex" : "parameters");
  else
    g_clear_pointer (&attr->compiled_regex, g_regex_unref);

  if (min_length >= 0 && max_length >= 0 && min_length > max_length)
    {
      BoughSourceLoc loc = field_loc (b, attr, "min_length", &attr->loc);

      add_problem (b, &loc, node->kind, attr->name, "min_length (%" G_GINT64_FORMAT
                   ") is greater than max_length (%" G_GINT64_FORMAT ")", min_length, max_length);
    }

  if (attr->kind == BOUGH_ATTRIBUTE_KIND_DROPDOWN &&
      (attr->choices == NULL || attr->choices->len == 0))
    {
      BoughSourceLoc loc = field_loc (b, attr, "kind", &attr->loc);

      add_problem (b, &loc, node->kind, attr->name, "a Dropdown attribute needs choices");
    }


  if (attr->default_value != NULL && attr->inherited_from == NULL)
    {
      g_autofree char *problem = NULL;

      if (!_bough_attribute_check_value (attr, attr->default_value, &problem))
        {
          BoughSourceLoc loc = field_loc (b, attr, "default_value", &attr->loc);

          add_problem (b, &loc, node->kind, attr->name, "invalid default_value: %s", problem);
        }
    }
}


/* Variables of a Jinja2 template that look like schema paths (a__b...):
 * identifiers inside {{ }} and {% %} blocks, outside string literals and
 * not attribute accesses (".format"). */
static GPtrArray *
jinja2_path_variables (const char *template)
{
  GPtrArray *vars = g_ptr_array_new_with_free_func (g_free);
  const char *p = template;

  while ((p = strchr (p, '{')) != NULL)
    {
      const char *end;
      char close;

      if (p[1] != '{' && p[1] != '%')
        {
          p++;
          continue;
        }
      close = p[1] == '{' ? '}' : '%';
      p += 2;
      end = p;
      while (*end && !(end[0] == close && end[1] == '}'))
        end++;
      for (const char *q = p; q < end;)
        {
          if (*q == '\'' || *q == '"')
            {
              char quote = *q++;

              while (q < end && *q != quote)
                q += (*q == '\\' && q + 1 < end) ? 2 : 1;
              if (q < end)
                q++;
            }
          else if (g_ascii_isalpha (*q) || *q == '_')
            {
              const char *start = q;
              gboolean attribute_access = start > p && start[-1] == '.';

              while (q < end && (g_ascii_isalnum (*q) || *q == '_'))
                q++;
              if (!attribute_access)
                {
                  g_autofree char *ident = g_strndup (start, q - start);

                  if (strstr (ident, "__") != NULL &&
                      !g_ptr_array_find_with_equal_func (vars, ident, g_str_equal, NULL))
                    g_ptr_array_add (vars, g_steal_pointer (&ident));
                }
            }
          else
            q++;
        }
      p = *end ? end + 2 : end;
    }
  return vars;
}

static void
validate_computed_attribute (BoughSchemaBuilder   *b,
                             BoughNodeSchema      *node,
                             BoughAttributeSchema *attr)
{
  JsonObject *computed;
  const char *kind;
  BoughSourceLoc loc;

  if (attr->computed_attribute == NULL || !JSON_NODE_HOLDS_OBJECT (attr->computed_attribute))
    return;
  computed = json_node_get_object (attr->computed_attribute);
  kind = json_object_get_string_member_with_default (computed, "kind", "User");
  if (g_str_equal (kind, "User"))
    return;
  loc = field_loc (b, attr, "computed_attribute", &attr->loc);

  if (!attr->read_only)
    add_problem (b, &loc, node->kind, attr->name, "a computed attribute must be read_only");
  if (attr->kind != BOUGH_ATTRIBUTE_KIND_TEXT && attr->kind != BOUGH_ATTRIBUTE_KIND_URL)
    add_problem (b, &loc, node->kind, attr->name,
                 "only Text and URL attributes can be computed, not %s",
                 bough_attribute_kind_to_string (attr->kind));

  if (g_str_equal (kind, "Jinja2"))
    {
      const char *template = json_object_get_string_member_with_default (computed,
                                                                         "jinja2_template", NULL);
      g_autoptr(GPtrArray) vars = NULL;

      if (template == NULL)
        return;
      vars = jinja2_path_variables (template);
      for (guint i = 0; i < vars->len; i++)
        {
          const char *path = g_ptr_array_index (vars, i);
          BoughAttributeSchema *target = NULL;
          BoughRelationshipSchema *rel = NULL;
          g_autofree char *problem = check_path (b, node, path,
                                                 P_ATTR_PROP | P_REL_ONE | P_REL_ONE_OPTIONAL | P_REL_ATTR,
                                                 &target, &rel);

          if (problem != NULL)
            add_problem (b, &loc, node->kind, attr->name, "template variable %s", problem);
          else if (rel == NULL && target == attr)
            add_problem (b, &loc, node->kind, attr->name,
                         "template variable '%s' refers to the attribute itself",
                         path);
        }
    }
  else if (g_str_equal (kind, "TransformPython") && !attr->optional)
    add_problem (b, &loc, node->kind, attr->name,
                 "a TransformPython computed attribute cannot be mandatory");
}

static void
validate_names (BoughSchemaBuilder *b,
                BoughNodeSchema    *node)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  /* Fields of built-in kinds were checked when the core was built, in
   * internal mode; fields added to them by this load are checked. */
  gboolean user_kind = !b->internal && !namespace_is_restricted (node->namespace_);

  for (guint i = 0; i < node->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);

      if (g_hash_table_contains (seen, attr->name))
        add_problem (b, &attr->loc, node->kind, attr->name, "duplicate attribute name");
      g_hash_table_add (seen, attr->name);
      if (!b->internal && (user_kind || g_hash_table_contains (b->masks, attr)) &&
          attr->inherited_from == NULL && name_is_reserved (attr->name, node->is_generic))
        {
          BoughSourceLoc loc = field_loc (b, attr, "name", &attr->loc);

          add_problem (b, &loc, node->kind, attr->name, "'%s' is a reserved name", attr->name);
        }
    }
  for (guint i = 0; i < node->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);

      if (g_hash_table_contains (seen, rel->name))
        add_problem (b, &rel->loc, node->kind, rel->name,
                     "duplicate name (already used by an attribute or relationship)");
      g_hash_table_add (seen, rel->name);
      if (!b->internal && (user_kind || g_hash_table_contains (b->masks, rel)) &&
          rel->inherited_from == NULL && name_is_reserved (rel->name, node->is_generic))
        {
          BoughSourceLoc loc = field_loc (b, rel, "name", &rel->loc);

          add_problem (b, &loc, node->kind, rel->name, "'%s' is a reserved name", rel->name);
        }
    }
}

static void
validate_relationship (BoughSchemaBuilder      *b,
                       BoughNodeSchema         *node,
                       BoughRelationshipSchema *rel)
{
  if (rel->peer == NULL)
    return;
  if (lookup (b, rel->peer) == NULL)
    {
      BoughSourceLoc loc = field_loc (b, rel, "peer", &rel->loc);

      add_problem (b, &loc, node->kind, rel->name, "unknown peer '%s'", rel->peer);
    }
  if (rel->cardinality == BOUGH_CARDINALITY_ONE)
    {
      if (!rel->optional && (rel->min_count != 1 || rel->max_count != 1))
        {
          BoughSourceLoc loc = field_loc (b, rel, "min_count", &rel->loc);

          add_problem (b, &loc, node->kind, rel->name,
                       "cardinality one but min_count or max_count is not 1");
        }
    }
  else
    {
      if (rel->max_count != 0 && rel->min_count > rel->max_count)
        {
          BoughSourceLoc loc = field_loc (b, rel, "min_count", &rel->loc);

          add_problem (b, &loc, node->kind, rel->name, "min_count is greater than max_count");
        }
      if (rel->max_count == 1)
        {
          BoughSourceLoc loc = field_loc (b, rel, "max_count", &rel->loc);

          add_problem (b, &loc, node->kind, rel->name,
                       "max_count must be 0 or more than 1 when cardinality is many");
        }
    }
  if (rel->kind == BOUGH_RELATIONSHIP_KIND_PARENT && rel->inherited_from == NULL)
    {
      if (rel->cardinality != BOUGH_CARDINALITY_ONE)
        {
          BoughSourceLoc loc = field_loc (b, rel, "cardinality", &rel->loc);

          add_problem (b, &loc, node->kind, rel->name,
                       "a Parent relationship must have cardinality one");
        }
      if (rel->optional)
        {
          BoughSourceLoc loc = field_loc (b, rel, "optional", &rel->loc);

          add_problem (b, &loc, node->kind, rel->name,
                       "a Parent relationship must be mandatory (optional: false)");
        }
    }
  if (rel->common_parent != NULL)
    {
      BoughNodeSchema *peer = lookup (b, rel->peer);
      BoughRelationshipSchema *cp = NULL;

      if (peer != NULL)
        cp = bough_node_schema_get_relationship (peer, rel->common_parent);

      if (peer != NULL && (cp == NULL || cp->kind != BOUGH_RELATIONSHIP_KIND_PARENT))
        {
          BoughSourceLoc loc = field_loc (b, rel, "common_parent", &rel->loc);

          add_problem (b, &loc, node->kind, rel->name,
                       "common_parent '%s' is not a Parent relationship of %s", rel->common_parent, peer->kind);
        }
    }
}

static void
validate_identifiers (BoughSchemaBuilder *b)
{
  /* identifier -> kind -> GPtrArray of relationships */
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_hash_table_unref);
  GHashTableIter iter;
  gpointer key, value;

  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = 0; i < node->relationships->len; i++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);
          GHashTable *kinds;
          GPtrArray *rels;

          if (rel->identifier == NULL)
            continue;
          kinds = g_hash_table_lookup (by_id, rel->identifier);
          if (kinds == NULL)
            {
              kinds = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) g_ptr_array_unref);
              g_hash_table_insert (by_id, rel->identifier, kinds);
            }
          rels = g_hash_table_lookup (kinds, node->kind);
          if (rels == NULL)
            {
              rels = g_ptr_array_new ();
              g_hash_table_insert (kinds, node->kind, rels);
            }
          g_ptr_array_add (rels, rel);
        }
    }

  g_hash_table_iter_init (&iter, by_id);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *identifier = key;
      GHashTable *kinds = value;
      GHashTableIter kiter;
      gpointer kkey, kvalue;

      g_hash_table_iter_init (&kiter, kinds);
      while (g_hash_table_iter_next (&kiter, &kkey, &kvalue))
        {
          const char *kind = kkey;
          GPtrArray *rels = kvalue;

          if (rels->len == 2)
            {
              BoughRelationshipSchema *r0 = g_ptr_array_index (rels, 0);
              BoughRelationshipSchema *r1 = g_ptr_array_index (rels, 1);
              gboolean pair = (r0->direction == BOUGH_DIRECTION_INBOUND &&
                               r1->direction == BOUGH_DIRECTION_OUTBOUND) ||
                              (r0->direction == BOUGH_DIRECTION_OUTBOUND &&
                               r1->direction == BOUGH_DIRECTION_INBOUND);

              if (!pair)
                {
                  BoughSourceLoc loc = field_loc (b, r1, "identifier", &r1->loc);

                  add_problem (b, &loc, kind, r1->name,
                               "identifier '%s' is also used by %s; the same identifier twice on one kind "
                               "needs one inbound and one outbound relationship", identifier, r0->name);
                  continue;
                }
              for (guint i = 0; i < 2; i++)
                {
                  BoughRelationshipSchema *r = g_ptr_array_index (rels, i);
                  GPtrArray *peer_rels = g_hash_table_lookup (kinds, r->peer);

                  if (peer_rels != NULL && peer_rels->len == 1 && g_strcmp0 (r->peer, kind) != 0 &&
                      ((BoughRelationshipSchema *) g_ptr_array_index (peer_rels, 0))->direction ==
                      BOUGH_DIRECTION_BIDIRECTIONAL)
                    {
                      BoughSourceLoc loc = field_loc (b, r, "direction", &r->loc);

                      add_problem (b, &loc, kind, r->name,
                                   "direction %s is incompatible with the bidirectional relationship of %s "
                                   "(identifier '%s')", _bough_direction_to_string (r->direction),
                                   r->peer, identifier);
                    }
                }
            }
          else if (rels->len > 2)
            {
              BoughRelationshipSchema *r = g_ptr_array_index (rels, rels->len - 1);
              BoughSourceLoc loc = field_loc (b, r, "identifier", &r->loc);

              add_problem (b, &loc, kind, r->name,
                           "identifier '%s' is used by %u relationships of %s "
                           "(at most an inbound and an outbound one)", identifier, rels->len, kind);
            }
          else if (g_hash_table_size (kinds) > 1)
            {
              BoughRelationshipSchema *r = g_ptr_array_index (rels, 0);
              GPtrArray *peer_rels = g_hash_table_lookup (kinds, r->peer);

              if (peer_rels != NULL && peer_rels->len == 1 && g_strcmp0 (r->peer, kind) != 0)
                {
                  BoughRelationshipSchema *p = g_ptr_array_index (peer_rels, 0);
                  gboolean ok = (r->direction == BOUGH_DIRECTION_BIDIRECTIONAL &&
                                 p->direction == BOUGH_DIRECTION_BIDIRECTIONAL) ||
                                (r->direction == BOUGH_DIRECTION_INBOUND &&
                                 p->direction == BOUGH_DIRECTION_OUTBOUND) ||
                                (r->direction == BOUGH_DIRECTION_OUTBOUND &&
                                 p->direction == BOUGH_DIRECTION_INBOUND);

                  if (!ok)
                    {
                      BoughSourceLoc loc = field_loc (b, r, "direction", &r->loc);

                      add_problem (b, &loc, kind, r->name,
                                   "direction %s is incompatible with %s.%s (%s) for identifier '%s'",
                                   _bough_direction_to_string (r->direction), r->peer,
                                   p->name, _bough_direction_to_string (p->direction), identifier);
                    }
                }
            }
        }
    }
}

static void
sync_unique_attributes (BoughSchemaBuilder *b,
                        BoughNodeSchema    *node)
{
  g_autoptr(GHashTable) in_constraints = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) to_add = g_ptr_array_new ();

  for (guint i = 0; i < node->uniqueness_constraints->len; i++)
    {
      char **paths = g_ptr_array_index (node->uniqueness_constraints, i);
      BoughAttributeSchema *attr = NULL;
      BoughRelationshipSchema *rel = NULL;
      g_auto(GStrv) parts = NULL;
      g_autofree char *problem = NULL;

      if (g_strv_length (paths) != 1)
        continue;
      problem = check_path (b, node, paths[0], P_ATTR_PROP, &attr, &rel);
      parts = g_strsplit (paths[0], "__", -1);
      if (problem == NULL && attr != NULL && rel == NULL && g_strv_length (parts) == 2 &&
          g_str_equal (parts[1], "value"))
        {
          g_hash_table_add (in_constraints, attr->name);
          attr->unique = TRUE;
        }
    }
  for (guint i = 0; i < node->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);

      if (attr->unique && !g_hash_table_contains (in_constraints, attr->name))
        g_ptr_array_add (to_add, attr->name);
    }
  g_ptr_array_sort (to_add, compare_strings);
  for (guint i = 0; i < to_add->len; i++)
    {
      char **c = g_new0 (char *, 2);

      c[0] = g_strconcat (g_ptr_array_index (to_add, i), "__value", NULL);
      g_ptr_array_add (node->uniqueness_constraints, c);
    }
}

static BoughNodeSchema *
order_lookup_cb (const char *kind,
                 gpointer    user_data)
{
  return lookup (user_data, kind);
}

/* order_by takes exactly what the store sorts by (see
 * bough_node_schema_parse_order()): a path with an optional direction,
 * or node_metadata__created_at / __updated_at. */
static void
validate_order_by (BoughSchemaBuilder *b,
                   BoughNodeSchema    *node)
{
  BoughSourceLoc loc = field_loc (b, node, "order_by", &node->loc);

  for (guint i = 0; node->order_by != NULL && node->order_by[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      BoughOrderKey key;

      if (!bough_node_schema_parse_order (node, node->order_by[i], order_lookup_cb, b, &key, &error))
        add_problem (b, &loc, node->kind, "order_by", "%s", error->message);
    }
}

static void
validate_node_paths (BoughSchemaBuilder *b,
                     BoughNodeSchema    *node)
{
  BoughSourceLoc uloc = field_loc (b, node, "uniqueness_constraints", &node->loc);

  for (guint i = 0; i < node->uniqueness_constraints->len; i++)
    {
      char **paths = g_ptr_array_index (node->uniqueness_constraints, i);

      for (guint j = 0; paths[j] != NULL; j++)
        {
          g_autofree char *problem = check_path (b, node, paths[j],
                                                 P_ATTR_PROP | P_REL_ONE | P_REL_NOATTR,
                                                 NULL, NULL);

          if (problem != NULL)
            add_problem (b, &uloc, node->kind, "uniqueness_constraints", "%s", problem);
        }
    }
  validate_path_list (b, node, node->display_labels, "display_labels", P_ATTR_PROP | P_ATTR_NOPROP);
  if (node->display_label != NULL && strstr (node->display_label, "{{") == NULL &&
      strstr (node->display_label, "{%") == NULL)
    {
      char *one[] = { node->display_label, NULL };

      validate_path_list (b, node, one, "display_label",
                          P_ATTR_PROP | P_REL_ONE | P_REL_ONE_OPTIONAL | P_REL_ATTR);
    }
  validate_order_by (b, node);
  if (node->default_filter != NULL)
    {
      char *one[] = { node->default_filter, NULL };

      validate_path_list (b, node, one, "default_filter", P_ATTR_PROP | P_ATTR_NOPROP);
    }
  validate_path_list (b, node, node->human_friendly_id, "human_friendly_id",
                      P_ATTR_PROP | P_REL_ONE | P_REL_ATTR);
}

/* Parent/Component links form a dependency graph that must be acyclic. */
static gboolean
find_cycle (GHashTable *graph,
            const char *kind,
            GHashTable *state,
            GPtrArray  *stack)
{
  GPtrArray *edges = g_hash_table_lookup (graph, kind);
  int s = GPOINTER_TO_INT (g_hash_table_lookup (state, kind));

  if (s == 2)
    return FALSE;
  if (s == 1)
    {
      g_ptr_array_add (stack, (gpointer) kind);
      return TRUE;
    }
  g_hash_table_insert (state, (gpointer) kind, GINT_TO_POINTER (1));
  g_ptr_array_add (stack, (gpointer) kind);
  for (guint i = 0; edges != NULL && i < edges->len; i++)
    if (find_cycle (graph, g_ptr_array_index (edges, i), state, stack))
      return TRUE;
  g_ptr_array_remove_index (stack, stack->len - 1);
  g_hash_table_insert (state, (gpointer) kind, GINT_TO_POINTER (2));
  return FALSE;
}

static void
add_edge (GHashTable *graph,
          const char *from,
          const char *to)
{
  GPtrArray *edges = g_hash_table_lookup (graph, from);

  if (edges == NULL)
    {
      edges = g_ptr_array_new ();
      g_hash_table_insert (graph, (gpointer) from, edges);
    }
  if (!g_ptr_array_find_with_equal_func (edges, to, g_str_equal, NULL))
    g_ptr_array_add (edges, (gpointer) to);
}

static void
validate_parent_component (BoughSchemaBuilder *b)
{
  g_autoptr(GHashTable) graph = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) state = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();

  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);
      BoughRelationshipSchema *first_parent = NULL;

      g_ptr_array_add (kinds, node->kind);
      for (guint i = 0; i < node->relationships->len; i++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);

          if (rel->peer == NULL)
            continue;
          if (rel->kind == BOUGH_RELATIONSHIP_KIND_PARENT)
            {
              add_edge (graph, rel->peer, node->kind);
              if (first_parent != NULL)
                add_problem (b, &rel->loc, node->kind, rel->name,
                             "only one Parent relationship is allowed (%s is one too)", first_parent->name);
              else
                first_parent = rel;
            }
          else if (rel->kind == BOUGH_RELATIONSHIP_KIND_COMPONENT)
            add_edge (graph, node->kind, rel->peer);
        }
    }

  g_ptr_array_sort (kinds, compare_strings);
  for (guint i = 0; i < kinds->len; i++)
    {
      g_autoptr(GPtrArray) stack = g_ptr_array_new ();

      if (find_cycle (graph, g_ptr_array_index (kinds, i), state, stack))
        {
          const char *again = g_ptr_array_index (stack, stack->len - 1);
          g_autoptr(GString) s = g_string_new (NULL);
          gboolean started = FALSE;
          BoughNodeSchema *node;

          for (guint j = 0; j < stack->len; j++)
            {
              const char *k = g_ptr_array_index (stack, j);

              if (!started && g_str_equal (k, again))
                started = TRUE;
              if (!started)
                continue;
              if (s->len > 0)
                g_string_append (s, " -> ");
              g_string_append (s, k);
            }
          node = lookup (b, again);
          add_problem (b, node ? &node->loc : NULL, again, NULL,
                       "Parent/Component relationships form a cycle: %s", s->str);
          break;
        }
    }
}

static void
validate_required_relationships (BoughSchemaBuilder *b)
{
  /* peer kind -> kinds requiring it */
  g_autoptr(GHashTable) required_by = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             (GDestroyNotify) g_hash_table_unref);

  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = 0; i < node->relationships->len; i++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);
          GHashTable *mine = g_hash_table_lookup (required_by, node->kind);
          GHashTable *set;

          if (rel->optional || rel->peer == NULL)
            continue;
          if (mine != NULL && g_hash_table_contains (mine, rel->peer) &&
              !g_str_equal (rel->peer, node->kind))
            {
              add_problem (b, &rel->loc, node->kind, rel->name,
                           "%s and %s cannot both have mandatory relationships to one another",
                           node->kind, rel->peer);
              continue;
            }
          set = g_hash_table_lookup (required_by, rel->peer);
          if (set == NULL)
            {
              set = g_hash_table_new (g_str_hash, g_str_equal);
              g_hash_table_insert (required_by, rel->peer, set);
            }
          g_hash_table_add (set, node->kind);
        }
    }
}

static void
validate_all (BoughSchemaBuilder *b)
{
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      validate_names (b, node);
      for (guint i = 0; i < node->attributes->len; i++)
        {
          validate_attribute (b, node, g_ptr_array_index (node->attributes, i));
          /* On nodes: inherited copies are checked in each node's context. */
          if (!node->is_generic)
            validate_computed_attribute (b, node, g_ptr_array_index (node->attributes, i));
        }
      for (guint i = 0; i < node->relationships->len; i++)
        validate_relationship (b, node, g_ptr_array_index (node->relationships, i));
    }
  validate_identifiers (b);
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      sync_unique_attributes (b, node);
      validate_node_paths (b, node);
    }
  validate_parent_component (b);
  validate_required_relationships (b);
}

/* Post-validation processing */

static BoughRelationshipSchema *
auto_relationship (const char            *owner_kind,
                   const char            *name,
                   const char            *identifier,
                   const char            *peer,
                   BoughRelationshipKind  kind,
                   BoughCardinality       cardinality,
                   BoughDirection         direction)
{
  BoughRelationshipSchema *rel = _bough_relationship_schema_new ();

  rel->id = _bough_schema_make_id (owner_kind, "relationship", name);
  rel->name = g_strdup (name);
  rel->identifier = g_strdup (identifier);
  rel->peer = g_strdup (peer);
  rel->kind = kind;
  rel->cardinality = cardinality;
  rel->direction = direction;
  rel->optional = TRUE;
  rel->branch = BOUGH_BRANCH_SUPPORT_AWARE;
  if (cardinality == BOUGH_CARDINALITY_ONE)
    rel->max_count = 1;
  return rel;
}

static void
add_groups (BoughSchemaBuilder *b,
            GPtrArray          *elements)
{
  if (lookup (b, "CoreGroup") == NULL)
    return;

  for (guint n = 0; n < elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (elements, n);

      if (!node->is_generic &&
          g_strv_contains ((const char * const *) node->inherit_from, "CoreGroup"))
        continue;
      if (g_str_equal (node->kind, "CoreGroup") || g_str_equal (node->kind, "LineageOwner") ||
          g_str_equal (node->kind, "LineageSource"))
        continue;
      if (bough_node_schema_get_relationship (node, "member_of_groups") == NULL &&
          bough_node_schema_get_attribute (node, "member_of_groups") == NULL)
        g_ptr_array_add (node->relationships,
                         auto_relationship (node->kind, "member_of_groups", "group_member",
                                            "CoreGroup",
                                            BOUGH_RELATIONSHIP_KIND_GROUP, BOUGH_CARDINALITY_MANY,
                                            BOUGH_DIRECTION_BIDIRECTIONAL));
      if (bough_node_schema_get_relationship (node, "subscriber_of_groups") == NULL &&
          bough_node_schema_get_attribute (node, "subscriber_of_groups") == NULL)
        g_ptr_array_add (node->relationships,
                         auto_relationship (node->kind, "subscriber_of_groups", "group_subscriber",
                                            "CoreGroup",
                                            BOUGH_RELATIONSHIP_KIND_GROUP, BOUGH_CARDINALITY_MANY,
                                            BOUGH_DIRECTION_BIDIRECTIONAL));
    }
}

static void
add_hierarchy (BoughSchemaBuilder *b)
{
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);
      const char *parent = NULL;
      const char *children = NULL;
      gboolean read_only;

      if (node->is_generic)
        {
          if (!node->hierarchical)
            continue;
          parent = children = node->kind;
          read_only = g_str_equal (node->kind, "BuiltinIPPrefix");
        }
      else
        {
          parent = node->parent;
          children = node->children;
          read_only = g_strv_contains ((const char * const *) node->inherit_from,
                                       "BuiltinIPPrefix");
        }

      if (!str_empty (parent) && lookup (b, parent) != NULL &&
          bough_node_schema_get_relationship (node, "parent") == NULL &&
          bough_node_schema_get_attribute (node, "parent") == NULL)
        {
          BoughRelationshipSchema *rel = auto_relationship (node->kind, "parent", "parent__child",
                                                            parent,
                                                            BOUGH_RELATIONSHIP_KIND_HIERARCHY,
                                                            BOUGH_CARDINALITY_ONE,
                                                            BOUGH_DIRECTION_OUTBOUND);
          rel->hierarchical = TRUE;
          rel->read_only = read_only;
          g_ptr_array_add (node->relationships, rel);
        }
      if (!str_empty (children) && lookup (b, children) != NULL &&
          bough_node_schema_get_relationship (node, "children") == NULL &&
          bough_node_schema_get_attribute (node, "children") == NULL)
        {
          BoughRelationshipSchema *rel = auto_relationship (node->kind, "children",
                                                            "parent__child", children,
                                                            BOUGH_RELATIONSHIP_KIND_HIERARCHY,
                                                            BOUGH_CARDINALITY_MANY,
                                                            BOUGH_DIRECTION_INBOUND);
          rel->hierarchical = TRUE;
          rel->read_only = read_only;
          g_ptr_array_add (node->relationships, rel);
        }
    }
}

static void
add_profile_relationships (BoughSchemaBuilder *b)
{
  if (lookup (b, "CoreProfile") == NULL)
    return;
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      if (namespace_is_system (node->namespace_))
        continue;
      if (bough_node_schema_get_relationship (node, "profiles") != NULL ||
          bough_node_schema_get_attribute (node, "profiles") != NULL)
        continue;
      g_ptr_array_add (node->relationships,
                       auto_relationship (node->kind, "profiles", "node__profile", "CoreProfile",
                                          BOUGH_RELATIONSHIP_KIND_PROFILE, BOUGH_CARDINALITY_MANY,
                                          BOUGH_DIRECTION_BIDIRECTIONAL));
    }
}

static void
process_fields (BoughSchemaBuilder *b,
                BoughNodeSchema    *node)
{
  gint64 weight = 0;

  if (node->label == NULL)
    node->label = format_label (node->name);
  if (node->id == NULL)
    node->id = _bough_schema_make_id (node->kind, NULL, NULL);

  for (guint i = 0; i < node->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);

      weight += 1000;
      if (attr->order_weight == 0)
        attr->order_weight = weight;
      if (attr->label == NULL)
        attr->label = format_label (attr->name);
      if (attr->id == NULL)
        attr->id = _bough_schema_make_id (node->kind, "attribute", attr->name);
      for (guint c = 0; attr->choices != NULL && c < attr->choices->len; c++)
        {
          BoughDropdownChoice *choice = g_ptr_array_index (attr->choices, c);

          if (choice->label == NULL)
            choice->label = format_label (choice->name);
        }
    }
  for (guint i = 0; i < node->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);

      weight += 1000;
      if (rel->order_weight == 0)
        rel->order_weight = weight;
      if (rel->label == NULL)
        rel->label = format_label (rel->name);
      if (rel->id == NULL)
        rel->id = _bough_schema_make_id (node->kind, "relationship", rel->name);
      if (!(get_mask (b, rel) & F_ON_DELETE))
        rel->on_delete = rel->kind == BOUGH_RELATIONSHIP_KIND_COMPONENT ?
                         BOUGH_ON_DELETE_CASCADE : BOUGH_ON_DELETE_NO_ACTION;
    }
}

static gboolean
constraint_present (GPtrArray  *constraints,
                    char      **candidate)
{
  for (guint i = 0; i < constraints->len; i++)
    {
      char **c = g_ptr_array_index (constraints, i);
      guint j;

      for (j = 0; c[j] != NULL && candidate[j] != NULL; j++)
        if (!g_str_equal (c[j], candidate[j]))
          break;
      if (c[j] == NULL && candidate[j] == NULL)
        return TRUE;
    }
  return FALSE;
}

/* As newer Infrahub: without an hfid, the first unique attribute (else the
 * first single-attribute uniqueness constraint) gives one; then the hfid,
 * relationship paths reduced to the relationship, is a uniqueness
 * constraint unless already listed. */
static void
process_human_friendly_id (BoughSchemaBuilder *b,
                           BoughNodeSchema    *node)
{
  g_autoptr(GPtrArray) constraint = NULL;

  if (strv_empty (node->human_friendly_id))
    {
      BoughAttributeSchema *unique = NULL;

      for (guint i = 0; i < node->attributes->len && unique == NULL; i++)
        {
          BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);

          if (attr->unique)
            unique = attr;
        }
      if (unique != NULL)
        {
          g_strfreev (node->human_friendly_id);
          node->human_friendly_id = g_new0 (char *, 2);
          node->human_friendly_id[0] = g_strconcat (unique->name, "__value", NULL);
        }
      else
        for (guint i = 0; i < node->uniqueness_constraints->len; i++)
          {
            char **paths = g_ptr_array_index (node->uniqueness_constraints, i);
            BoughAttributeSchema *attr = NULL;
            BoughRelationshipSchema *rel = NULL;
            g_autofree char *problem = NULL;

            if (g_strv_length (paths) != 1 || !g_str_has_suffix (paths[0], "__value"))
              continue;
            problem = check_path (b, node, paths[0], P_ATTR_PROP, &attr, &rel);
            if (problem == NULL && attr != NULL && rel == NULL)
              {
                g_strfreev (node->human_friendly_id);
                node->human_friendly_id = g_new0 (char *, 2);
                node->human_friendly_id[0] = g_strdup (paths[0]);
                break;
              }
          }
    }

  if (strv_empty (node->human_friendly_id))
    return;

  constraint = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; node->human_friendly_id[i] != NULL; i++)
    {
      const char *path = node->human_friendly_id[i];
      BoughAttributeSchema *attr = NULL;
      BoughRelationshipSchema *rel = NULL;
      g_autofree char *problem = check_path (b, node, path, P_ATTR_PROP | P_REL_ONE | P_REL_ATTR,
                                             &attr, &rel);

      if (problem != NULL)
        continue;
      if (rel != NULL)
        {
          if (!g_ptr_array_find_with_equal_func (constraint, rel->name, g_str_equal, NULL))
            g_ptr_array_add (constraint, g_strdup (rel->name));
        }
      else
        g_ptr_array_add (constraint, g_strdup (path));
    }
  if (constraint->len == 0)
    return;
  g_ptr_array_add (constraint, NULL);
  if (!constraint_present (node->uniqueness_constraints, (char **) constraint->pdata))
    {
      g_ptr_array_set_free_func (constraint, NULL);
      g_ptr_array_add (node->uniqueness_constraints,
                       g_ptr_array_free (g_steal_pointer (&constraint), FALSE));
    }
  /* A single-attribute constraint makes the attribute unique; do it now so
   * that the next build does not change the snapshot. */
  sync_unique_attributes (b, node);
}

static BoughNodeSchema *
generate_profile (BoughSchemaBuilder *b,
                  BoughNodeSchema    *node,
                  BoughNodeSchema    *core_profile)
{
  BoughNodeSchema *profile = _bough_node_schema_new (FALSE);
  const char *inherit[] = { "LineageSource", "CoreProfile", "CoreNode" };
  g_autoptr(GPtrArray) inh = g_ptr_array_new ();
  BoughRelationshipSchema *rel;

  profile->is_profile = TRUE;
  profile->namespace_ = g_strdup ("Profile");
  profile->name = g_strdup (node->kind);
  profile->kind = g_strconcat ("Profile", node->kind, NULL);
  profile->id = _bough_schema_make_id (profile->kind, NULL, NULL);
  profile->label = g_strdup_printf ("Profile %s", node->label);
  profile->description = g_strdup_printf ("Profile for %s", node->kind);
  profile->branch = node->branch;
  profile->include_in_menu = FALSE;
  profile->generate_profile = FALSE;
  profile->display_labels = g_strsplit ("profile_name__value", ",", -1);
  profile->human_friendly_id = g_strsplit ("profile_name__value", ",", -1);
  profile->default_filter = g_strdup ("profile_name__value");
  profile->loc = node->loc;
  for (guint i = 0; i < G_N_ELEMENTS (inherit); i++)
    if (lookup (b, inherit[i]) != NULL)
      g_ptr_array_add (inh, g_strdup (inherit[i]));
  g_ptr_array_add (inh, NULL);
  g_strfreev (profile->inherit_from);
  profile->inherit_from = (char **) g_ptr_array_free (g_steal_pointer (&inh), FALSE);

  for (guint i = 0; i < core_profile->attributes->len; i++)
    {
      BoughAttributeSchema *attr = _bough_attribute_schema_copy (g_ptr_array_index (core_profile->attributes, i));

      g_clear_pointer (&attr->id, g_free);
      attr->id = _bough_schema_make_id (profile->kind, "attribute", attr->name);
      g_clear_pointer (&attr->inherited_from, g_free);
      attr->branch = node->branch;
      g_ptr_array_add (profile->attributes, attr);
    }
  for (guint i = 0; i < node->attributes->len; i++)
    {
      BoughAttributeSchema *src = g_ptr_array_index (node->attributes, i);
      BoughAttributeSchema *attr;

      if (src->read_only || !src->optional ||
          bough_node_schema_get_attribute (profile, src->name) != NULL)
        continue;
      attr = _bough_attribute_schema_copy (src);
      g_clear_pointer (&attr->id, g_free);
      attr->id = _bough_schema_make_id (profile->kind, "attribute", attr->name);
      g_clear_pointer (&attr->inherited_from, g_free);
      g_clear_pointer (&attr->default_value, json_node_unref);
      attr->unique = FALSE;
      attr->optional = TRUE;
      attr->read_only = FALSE;
      g_ptr_array_add (profile->attributes, attr);
    }

  rel = auto_relationship (profile->kind, "related_nodes", "node__profile", node->kind,
                           BOUGH_RELATIONSHIP_KIND_PROFILE, BOUGH_CARDINALITY_MANY,
                           BOUGH_DIRECTION_BIDIRECTIONAL);
  g_ptr_array_add (profile->relationships, rel);
  return profile;
}


/* Object templates (Infrahub 1.1+): a Template<Kind> for each kind with
 * generate_template, plus component templates for what its Parent and
 * Component relationships need. */

static char *
python_title (const char *text)
{
  GString *s = g_string_new (NULL);
  gboolean prev_alpha = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isalpha (*p))
        {
          g_string_append_c (s, prev_alpha ? g_ascii_tolower (*p) : g_ascii_toupper (*p));
          prev_alpha = TRUE;
        }
      else
        {
          g_string_append_c (s, *p);
          prev_alpha = FALSE;
        }
    }
  return g_string_free (s, FALSE);
}

static gboolean
skip_for_templates (const BoughRelationshipSchema *rel)
{
  return g_strcmp0 (rel->peer, "CoreGroup") == 0 || g_strcmp0 (rel->peer, "CoreProfile") == 0;
}

static void
identify_templates (BoughSchemaBuilder *b,
                    BoughNodeSchema    *node,
                    GPtrArray          *need,
                    guint               depth)
{
  if (depth > 256 || g_ptr_array_find (need, node, NULL))
    return;
  g_ptr_array_add (need, node);

  if (!node->is_generic)
    for (guint i = 0; node->inherit_from[i] != NULL; i++)
      {
        BoughNodeSchema *generic = lookup (b, node->inherit_from[i]);

        if (generic != NULL && !g_ptr_array_find (need, generic, NULL))
          g_ptr_array_add (need, generic);
      }

  for (guint i = 0; i < node->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);
      BoughNodeSchema *peer;

      if (skip_for_templates (rel) ||
          (rel->kind == BOUGH_RELATIONSHIP_KIND_PARENT && node->generate_template) ||
          (rel->kind != BOUGH_RELATIONSHIP_KIND_PARENT &&
           rel->kind != BOUGH_RELATIONSHIP_KIND_COMPONENT))
        continue;
      peer = lookup (b, rel->peer);
      if (peer == NULL || g_ptr_array_find (need, peer, NULL))
        continue;
      /* Any node implementing a generic peer may be the component. */
      if (peer->is_generic && !strv_empty (peer->used_by))
        {
          gboolean known = FALSE;

          for (guint u = 0; peer->used_by[u] != NULL && !known; u++)
            {
              BoughNodeSchema *impl = lookup (b, peer->used_by[u]);

              known = impl != NULL && g_ptr_array_find (need, impl, NULL);
            }
          if (rel->kind != BOUGH_RELATIONSHIP_KIND_PARENT || !known)
            for (guint u = 0; peer->used_by[u] != NULL; u++)
              {
                BoughNodeSchema *impl = lookup (b, peer->used_by[u]);

                if (impl != NULL)
                  identify_templates (b, impl, need, depth + 1);
              }
        }
      identify_templates (b, peer, need, depth + 1);
    }
}

static gboolean
in_need (GPtrArray  *need,
         const char *kind)
{
  for (guint i = 0; i < need->len; i++)
    if (g_str_equal (((BoughNodeSchema *) g_ptr_array_index (need, i))->kind, kind))
      return TRUE;
  return FALSE;
}

static void
strv_append (char     ***strv,
             const char *value)
{
  guint len = *strv ? g_strv_length (*strv) : 0;

  *strv = g_renew (char *, *strv, len + 2);
  (*strv)[len] = g_strdup (value);
  (*strv)[len + 1] = NULL;
}

static BoughNodeSchema *
generate_template (BoughSchemaBuilder *b,
                   BoughNodeSchema    *node,
                   GPtrArray          *need)
{
  gboolean autogen = !node->generate_template;
  BoughNodeSchema *core = lookup (b,
                                  autogen ? "CoreObjectComponentTemplate" : "CoreObjectTemplate");
  BoughNodeSchema *t = _bough_node_schema_new (node->is_generic);
  BoughAttributeSchema *core_name;
  BoughAttributeSchema *name_attr;

  if (core == NULL)
    core = lookup (b, "CoreObjectTemplate");
  t->is_template = TRUE;
  t->namespace_ = g_strdup ("Template");
  t->name = g_strdup (node->kind);
  t->kind = g_strconcat ("Template", node->kind, NULL);
  t->id = _bough_schema_make_id (t->kind, NULL, NULL);
  t->branch = node->branch;
  t->include_in_menu = FALSE;
  t->generate_profile = FALSE;
  t->display_labels = g_strsplit ("template_name__value", ",", -1);
  t->human_friendly_id = g_strsplit ("template_name__value", ",", -1);
  t->loc = node->loc;

  core_name = core ? bough_node_schema_get_attribute (core, "template_name") : NULL;
  if (core_name != NULL)
    {
      name_attr = _bough_attribute_schema_copy (core_name);
      g_clear_pointer (&name_attr->inherited_from, g_free);
    }
  else
    {
      name_attr = _bough_attribute_schema_new ();
      name_attr->name = g_strdup ("template_name");
    }
  g_free (name_attr->id);
  name_attr->id = _bough_schema_make_id (t->kind, "attribute", "template_name");
  name_attr->branch = node->branch;
  g_ptr_array_add (t->attributes, name_attr);

  if (node->is_generic)
    {
      t->label = g_strdup_printf ("Generic object template %s", node->label);
      t->description = g_strdup_printf ("Generic object template for generic %s", node->kind);
      t->used_by = g_new0 (char *, 1);
      for (guint i = 0; node->used_by != NULL && node->used_by[i] != NULL; i++)
        if (in_need (need, node->used_by[i]))
          {
            g_autofree char *kind = g_strconcat ("Template", node->used_by[i], NULL);

            strv_append (&t->used_by, kind);
          }
    }
  else
    {
      const char *bases[] = { "LineageSource", "CoreNode", core ? core->kind : NULL };
      char **uc = g_new0 (char *, 2);

      t->label = g_strdup_printf ("Object template %s", node->label);
      t->description = g_strdup_printf ("Object template for %s", node->kind);
      uc[0] = g_strdup ("template_name__value");
      g_ptr_array_add (t->uniqueness_constraints, uc);
      for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
        if (bases[i] != NULL && lookup (b, bases[i]) != NULL)
          strv_append (&t->inherit_from, bases[i]);
      for (guint i = 0; node->inherit_from[i] != NULL; i++)
        if (in_need (need, node->inherit_from[i]))
          {
            g_autofree char *kind = g_strconcat ("Template", node->inherit_from[i], NULL);

            strv_append (&t->inherit_from, kind);
          }
      g_ptr_array_add (t->relationships,
                       auto_relationship (t->kind, "related_nodes", "node__objecttemplate",
                                          node->kind,
                                          BOUGH_RELATIONSHIP_KIND_TEMPLATE, BOUGH_CARDINALITY_MANY,
                                          BOUGH_DIRECTION_BIDIRECTIONAL));
    }

  for (guint i = 0; i < node->attributes->len; i++)
    {
      BoughAttributeSchema *src = g_ptr_array_index (node->attributes, i);
      BoughAttributeSchema *attr;

      if (src->unique || src->read_only || bough_node_schema_get_attribute (t, src->name) != NULL)
        continue;
      attr = _bough_attribute_schema_copy (src);
      g_free (attr->id);
      attr->id = _bough_schema_make_id (t->kind, "attribute", attr->name);
      attr->optional = autogen ? src->optional : TRUE;
      g_ptr_array_add (t->attributes, attr);
    }
  return t;
}

static void
add_template_relationships (BoughSchemaBuilder *b,
                            BoughNodeSchema    *node,
                            BoughNodeSchema    *t,
                            GHashTable         *templates)
{
  gboolean autogen = !node->generate_template;

  for (guint i = 0; i < node->relationships->len; i++)
    {
      BoughRelationshipSchema *src = g_ptr_array_index (node->relationships, i);
      gboolean structural = src->kind == BOUGH_RELATIONSHIP_KIND_COMPONENT ||
                            src->kind == BOUGH_RELATIONSHIP_KIND_PARENT;
      g_autofree char *peer = NULL;
      g_autofree char *label = NULL;
      BoughRelationshipSchema *rel;

      if (skip_for_templates (src) ||
          (!structural && src->kind != BOUGH_RELATIONSHIP_KIND_ATTRIBUTE &&
           src->kind != BOUGH_RELATIONSHIP_KIND_GENERIC))
        continue;
      peer = structural ? g_strconcat ("Template", src->peer, NULL) : g_strdup (src->peer);
      /* A structural link whose peer has no template would dangle. */
      if (structural && !g_hash_table_contains (templates, peer))
        continue;
      if (bough_node_schema_get_relationship (t, src->name) != NULL ||
          bough_node_schema_get_attribute (t, src->name) != NULL)
        continue;

      rel = _bough_relationship_schema_new ();
      rel->id = _bough_schema_make_id (t->kind, "relationship", src->name);
      rel->name = g_strdup (src->name);
      rel->peer = g_steal_pointer (&peer);
      rel->kind = src->kind;
      rel->optional = autogen ? src->optional : src->kind != BOUGH_RELATIONSHIP_KIND_PARENT;
      rel->cardinality = src->cardinality;
      rel->direction = src->direction;
      rel->branch = src->branch;
      rel->identifier = g_strconcat ("template_", src->identifier, NULL);
      rel->min_count = src->min_count;
      rel->max_count = src->max_count;
      if (structural)
        {
          g_autofree char *text = g_strconcat (src->name, " template", NULL);

          label = python_title (text);
        }
      else
        label = python_title (src->name);
      rel->label = g_steal_pointer (&label);
      rel->inherited_from = g_strdup (src->inherited_from);
      rel->on_delete = src->kind == BOUGH_RELATIONSHIP_KIND_COMPONENT ?
                       BOUGH_ON_DELETE_CASCADE : BOUGH_ON_DELETE_NO_ACTION;
      g_ptr_array_add (t->relationships, rel);

      if (!t->is_generic && src->kind == BOUGH_RELATIONSHIP_KIND_PARENT)
        {
          g_autofree char *parent_hfid = g_strconcat (src->name, "__template_name__value", NULL);

          if (!g_strv_contains ((const char * const *) t->human_friendly_id, parent_hfid))
            {
              guint len = g_strv_length (t->human_friendly_id);
              char **hfid = g_new0 (char *, len + 2);

              hfid[0] = g_strdup (parent_hfid);
              for (guint j = 0; j < len; j++)
                hfid[j + 1] = g_strdup (t->human_friendly_id[j]);
              g_strfreev (t->human_friendly_id);
              t->human_friendly_id = hfid;
              strv_append ((char ***) &t->uniqueness_constraints->pdata[0], src->name);
            }
        }
    }
}

static void
merge_used_by (BoughNodeSchema *generic,
               GPtrArray       *kinds)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  char **strv;

  for (guint i = 0; generic->used_by != NULL && generic->used_by[i] != NULL; i++)
    g_ptr_array_add (list, generic->used_by[i]);
  for (guint i = 0; i < kinds->len; i++)
    if (!g_ptr_array_find_with_equal_func (list, g_ptr_array_index (kinds, i), g_str_equal, NULL))
      g_ptr_array_add (list, g_ptr_array_index (kinds, i));
  g_ptr_array_sort (list, compare_strings);
  strv = g_new0 (char *, list->len + 1);
  for (guint i = 0; i < list->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (list, i));
  g_strfreev (generic->used_by);
  generic->used_by = strv;
}

/* Returns the generated templates; adds object_template relationships. */
static GPtrArray *
generate_templates (BoughSchemaBuilder *b)
{
  GPtrArray *templates = g_ptr_array_new ();
  g_autoptr(GPtrArray) need = g_ptr_array_new ();
  g_autoptr(GHashTable) by_kind = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  BoughNodeSchema *core_template = lookup (b, "CoreObjectTemplate");

  if (core_template == NULL)
    return templates;

  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      if (node->generate_template && !namespace_is_system (node->namespace_))
        identify_templates (b, node, need, 0);
    }
  g_ptr_array_sort (need, compare_by_kind_ptr);

  for (guint i = 0; i < need->len; i++)
    {
      BoughNodeSchema *t = generate_template (b, g_ptr_array_index (need, i), need);

      g_ptr_array_add (templates, t);
      g_hash_table_insert (by_kind, t->kind, t);
      g_ptr_array_add (kinds, t->kind);
    }
  for (guint i = 0; i < need->len; i++)
    add_template_relationships (b, g_ptr_array_index (need, i), g_ptr_array_index (templates, i),
                                by_kind);

  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);
      g_autofree char *tkind = g_strconcat ("Template", node->kind, NULL);
      BoughRelationshipSchema *rel;

      if (!node->generate_template || namespace_is_system (node->namespace_) ||
          !g_hash_table_contains (by_kind, tkind) ||
          bough_node_schema_get_relationship (node, "object_template") != NULL ||
          bough_node_schema_get_attribute (node, "object_template") != NULL)
        continue;
      rel = auto_relationship (node->kind, "object_template", "node__objecttemplate", tkind,
                               BOUGH_RELATIONSHIP_KIND_TEMPLATE, BOUGH_CARDINALITY_ONE,
                               BOUGH_DIRECTION_BIDIRECTIONAL);
      rel->order_weight = 1;
      g_ptr_array_add (node->relationships, rel);
    }

  if (kinds->len > 0)
    {
      BoughNodeSchema *core_node = lookup (b, "CoreNode");

      g_strfreev (core_template->used_by);
      core_template->used_by = NULL;
      merge_used_by (core_template, kinds);
      if (core_node != NULL && core_node->is_generic)
        merge_used_by (core_node, kinds);
    }
  return templates;
}

static int
compare_attr_weight (gconstpointer a,
                     gconstpointer b)
{
  const BoughAttributeSchema *x = *(BoughAttributeSchema * const *) a;
  const BoughAttributeSchema *y = *(BoughAttributeSchema * const *) b;

  return x->order_weight < y->order_weight ? -1 : x->order_weight > y->order_weight;
}

static int
compare_rel_weight (gconstpointer a,
                    gconstpointer b)
{
  const BoughRelationshipSchema *x = *(BoughRelationshipSchema * const *) a;
  const BoughRelationshipSchema *y = *(BoughRelationshipSchema * const *) b;

  return x->order_weight < y->order_weight ? -1 : x->order_weight > y->order_weight;
}

static void
sort_fields (BoughNodeSchema *node)
{
  /* g_ptr_array_sort is not stable; weights may tie, so sort by weight with
   * the original position as tie-breaker by a stable insertion sort. */
  for (guint i = 1; i < node->attributes->len; i++)
    for (guint j = i; j > 0 &&
         compare_attr_weight (&node->attributes->pdata[j - 1],
                              &node->attributes->pdata[j]) > 0; j--)
      {
        gpointer t = node->attributes->pdata[j];

        node->attributes->pdata[j] = node->attributes->pdata[j - 1];
        node->attributes->pdata[j - 1] = t;
      }
  for (guint i = 1; i < node->relationships->len; i++)
    for (guint j = i; j > 0 &&
         compare_rel_weight (&node->relationships->pdata[j - 1],
                             &node->relationships->pdata[j]) > 0; j--)
      {
        gpointer t = node->relationships->pdata[j];

        node->relationships->pdata[j] = node->relationships->pdata[j - 1];
        node->relationships->pdata[j - 1] = t;
      }
}

/**
 * bough_schema_builder_build:
 * @self: a builder
 * @error: return location for a %BOUGH_ERROR_SCHEMA error
 *
 * Processes the working set (identifiers, defaults, cardinality counts,
 * inheritance, hierarchy, branch support, validation, groups, hierarchy
 * relationships, weights, labels, hfid, profiles) and returns it as a new
 * immutable snapshot. The error message lists every problem found, including
 * those of files added earlier, one per line.
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL on error
 */
BoughSchema *
bough_schema_builder_build (BoughSchemaBuilder  *self,
                            GError             **error)
{
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  BoughNodeSchema *core_profile;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  strip_generated (self);
  /* Ids, weights and labels of the elements' own fields first, so that the
   * inherited copies carry the generic's values on every build alike. */
  for (guint n = 0; n < self->elements->len; n++)
    process_fields (self, g_ptr_array_index (self->elements, n));
  generate_identifiers (self);
  process_default_values (self);
  process_cardinality_counts (self);
  process_inheritance (self);
  process_hierarchy (self);
  process_branch_support (self);
  validate_all (self);

  if (self->problems->len > 0)
    {
      g_autofree char *msg = format_problems (self->problems, 0);

      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, msg);
      return NULL;
    }

  add_profile_relationships (self);
  add_groups (self, self->elements);
  add_hierarchy (self);
  for (guint n = 0; n < self->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (self->elements, n);

      process_fields (self, node);
      process_human_friendly_id (self, node);
    }

  profiles = g_ptr_array_new ();
  core_profile = lookup (self, "CoreProfile");
  if (core_profile != NULL)
    {
      for (guint n = 0; n < self->elements->len; n++)
        {
          BoughNodeSchema *node = g_ptr_array_index (self->elements, n);

          if (namespace_is_system (node->namespace_) || !node->generate_profile ||
              node == core_profile)
            continue;
          g_ptr_array_add (profiles, generate_profile (self, node, core_profile));
        }
      add_groups (self, profiles);
      for (guint n = 0; n < profiles->len; n++)
        process_fields (self, g_ptr_array_index (profiles, n));

      /* CoreProfile and CoreNode list the profiles among their users. */
      if (profiles->len > 0)
        {
          const char *gens[] = { "CoreProfile", "CoreNode" };

          for (guint g = 0; g < G_N_ELEMENTS (gens); g++)
            {
              BoughNodeSchema *generic = lookup (self, gens[g]);
              g_autoptr(GPtrArray) list = g_ptr_array_new ();

              if (generic == NULL || !generic->is_generic)
                continue;
              for (guint i = 0; generic->used_by != NULL && generic->used_by[i] != NULL; i++)
                g_ptr_array_add (list, generic->used_by[i]);
              for (guint i = 0; i < profiles->len; i++)
                g_ptr_array_add (list, ((BoughNodeSchema *) g_ptr_array_index (profiles, i))->kind);
              g_ptr_array_sort (list, compare_strings);
              {
                char **strv = g_new0 (char *, list->len + 1);

                for (guint i = 0; i < list->len; i++)
                  strv[i] = g_strdup (g_ptr_array_index (list, i));
                g_strfreev (generic->used_by);
                generic->used_by = strv;
              }
            }
        }
    }

  templates = generate_templates (self);
  add_groups (self, templates);
  for (guint n = 0; n < templates->len; n++)
    process_fields (self, g_ptr_array_index (templates, n));

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_node_schema_free);
  for (guint n = 0; n < self->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (self->elements, n);

      sort_fields (node);
      g_ptr_array_add (out, _bough_node_schema_copy (node));
    }
  for (guint n = 0; n < templates->len; n++)
    {
      BoughNodeSchema *t = g_ptr_array_index (templates, n);

      sort_fields (t);
      g_ptr_array_add (out, t);
    }
  for (guint n = 0; n < profiles->len; n++)
    {
      BoughNodeSchema *profile = g_ptr_array_index (profiles, n);

      sort_fields (profile);
      g_ptr_array_add (out, profile);
    }

  self->built = TRUE;
  {
    BoughSchema *schema = _bough_schema_new_take (out);

    return schema;
  }
}

/* Core schema and JSON round trip */

GResource *bough_core_schema_get_resource (void);

/**
 * bough_schema_new_core:
 * @error: return location for an error
 *
 * Builds the built-in core snapshot from every `.yml` file under the
 * resource path /org/bough/schema/core, in name order, in internal mode.
 *
 * Returns: (transfer full) (nullable): the core snapshot, or %NULL on error
 */
BoughSchema *
bough_schema_new_core (GError **error)
{
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_auto(GStrv) children = NULL;
  GResource *resource;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  resource = bough_core_schema_get_resource ();
  children = g_resource_enumerate_children (resource, "/org/bough/schema/core", 0, error);
  if (children == NULL)
    return NULL;
  n = g_strv_length (children);
  qsort (children, n, sizeof (char *), compare_strings);

  builder = bough_schema_builder_new (NULL);
  bough_schema_builder_set_internal (builder, TRUE);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *origin = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize size;
      const char *data;

      if (!g_str_has_suffix (children[i], ".yml"))
        continue;
      path = g_strconcat ("/org/bough/schema/core/", children[i], NULL);
      origin = g_strconcat ("resource://", path, NULL);
      bytes = g_resource_lookup_data (resource, path, 0, error);
      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &size);
      if (!bough_schema_builder_add_data (builder, data, size, origin, error))
        return NULL;
    }
  return bough_schema_builder_build (builder, error);
}

static gboolean
load_json_list (Ctx        *ctx,
                JsonObject *root,
                const char *member,
                gboolean    is_generic,
                gboolean    is_profile,
                gboolean    is_template)
{
  JsonNode *list;
  JsonArray *arr;

  if (!json_object_has_member (root, member))
    return TRUE;
  list = json_object_get_member (root, member);
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      add_problem (ctx->b, NULL, NULL, NULL, "'%s' must be a list", member);
      return FALSE;
    }
  arr = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *item = json_array_get_element (arr, i);
      guint before = ctx->b->elements->len;

      load_element (ctx, item, is_generic, NULL);
      if (ctx->b->elements->len > before)
        {
          BoughNodeSchema *node = g_ptr_array_index (ctx->b->elements, ctx->b->elements->len - 1);

          node->is_profile = is_profile;
          /* Templates of generics are generics of the Template namespace. */
          node->is_template = is_template || (is_generic &&
                                              g_strcmp0 (node->namespace_, "Template") == 0);
        }
    }
  return TRUE;
}

static void
resolve_inherited_from (BoughSchemaBuilder *b)
{
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = 0; i < node->attributes->len; i++)
        {
          BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);

          if (attr->inherited_from == NULL)
            continue;
          g_clear_pointer (&attr->inherited_from, g_free);
          for (guint g = 0; node->inherit_from[g] != NULL; g++)
            {
              BoughNodeSchema *generic = lookup (b, node->inherit_from[g]);

              if (generic != NULL && bough_node_schema_get_attribute (generic, attr->name) != NULL)
                {
                  attr->inherited_from = g_strdup (generic->kind);
                  break;
                }
            }
          if (attr->inherited_from == NULL)
            attr->inherited_from = g_strdup (node->inherit_from[0] ? node->inherit_from[0] : node->kind);
        }
      for (guint i = 0; i < node->relationships->len; i++)
        {
          BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);

          if (rel->inherited_from == NULL)
            continue;
          g_clear_pointer (&rel->inherited_from, g_free);
          for (guint g = 0; node->inherit_from[g] != NULL; g++)
            {
              BoughNodeSchema *generic = lookup (b, node->inherit_from[g]);

              if (generic != NULL &&
                  bough_node_schema_get_relationship (generic, rel->name) != NULL)
                {
                  rel->inherited_from = g_strdup (generic->kind);
                  break;
                }
            }
          if (rel->inherited_from == NULL)
            rel->inherited_from = g_strdup (node->inherit_from[0] ? node->inherit_from[0] : node->kind);
        }
    }
}

/**
 * bough_schema_new_from_json:
 * @root: a JSON object as bough_schema_to_json() returns it
 * @error: return location for an error
 *
 * Reads a snapshot back from its JSON form without processing it again, so
 * that the result has the same hash as the snapshot that was written.
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL on error
 */
BoughSchema *
bough_schema_new_from_json (JsonNode  *root,
                            GError   **error)
{
  g_autoptr(BoughSchemaBuilder) b = NULL;
  g_autoptr(GPtrArray) out = NULL;
  JsonObject *obj;
  Ctx ctx = { 0 };

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                           "a schema snapshot must be a JSON object");
      return NULL;
    }
  obj = json_node_get_object (root);

  b = bough_schema_builder_new (NULL);
  b->internal = TRUE;
  ctx.b = b;
  ctx.json_mode = TRUE;
  load_json_list (&ctx, obj, "generics", TRUE, FALSE, FALSE);
  load_json_list (&ctx, obj, "nodes", FALSE, FALSE, FALSE);
  load_json_list (&ctx, obj, "profiles", FALSE, TRUE, FALSE);
  load_json_list (&ctx, obj, "templates", FALSE, FALSE, TRUE);

  if (b->problems->len > 0)
    {
      g_autofree char *msg = format_problems (b->problems, 0);

      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, msg);
      return NULL;
    }

  resolve_inherited_from (b);
  for (guint n = 0; n < b->elements->len; n++)
    {
      BoughNodeSchema *node = g_ptr_array_index (b->elements, n);

      for (guint i = 0; i < node->attributes->len; i++)
        {
          BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);
          const char *regex = attr->regex;

          if (regex == NULL && attr->parameters != NULL)
            regex = json_object_get_string_member_with_default (attr->parameters, "regex", NULL);
          if (regex != NULL)
            attr->compiled_regex = g_regex_new (regex, G_REGEX_OPTIMIZE, 0, NULL);
        }
    }

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_node_schema_free);
  for (guint n = 0; n < b->elements->len; n++)
    g_ptr_array_add (out, _bough_node_schema_copy (g_ptr_array_index (b->elements, n)));
  return _bough_schema_new_take (out);
}
