/* bough-gql-validate.c: the validation rules of the specification (§5), with graphql-js's messages.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "bough-gql-printer.h"
#include "bough-gql-private.h"
#include "bough-gql-validate.h"

/* Overlapping-field checks can be quadratic; this bounds their work so a
 * hostile document is refused instead of burning a worker. */
#define MAX_CONFLICT_CHECKS 2000000

typedef struct
{
  const BoughGqlNode *node;     /* a VARIABLE */
  BoughGqlType *type;           /* the type expected where it is used; NULL if unknown */
  gboolean has_location_default;
  BoughGqlType *parent_input_type;
} Usage;

typedef struct
{
  BoughGqlType *parent_type;
  const BoughGqlNode *node;
  BoughGqlField *def;
} FieldInfo;

typedef struct
{
  const char *response_name;
  GPtrArray *fields;            /* of FieldInfo, owned */
} FieldGroup;

typedef struct
{
  GPtrArray *groups;            /* of FieldGroup, owned, in order */
  GHashTable *index;            /* response name → FieldGroup */
  GPtrArray *fragment_names;    /* of const char *, in order, unique */
} FieldMap;

typedef struct _Conflict Conflict;

struct _Conflict
{
  const char *response_name;
  char *reason;                 /* set for a direct reason */
  GPtrArray *sub;               /* of Conflict, set for subfield reasons */
  GPtrArray *fields1;           /* of const BoughGqlNode */
  GPtrArray *fields2;
};

typedef struct
{
  BoughGqlSchema *schema;
  const BoughGqlNode *document;
  const BoughGqlValidateOptions *options;
  GPtrArray *errors;
  gboolean aborted;
  GHashTable *fragments;        /* name → first FRAGMENT_DEFINITION */
  GHashTable *usages;           /* definition → GArray of Usage */
  GHashTable *spreads;          /* selection set → GPtrArray of FRAGMENT_SPREAD nodes */
  GHashTable *field_maps;       /* selection set → FieldMap */
  GHashTable *compared_field_fragment;   /* "%p|name" → GINT (mutually exclusive + 1) */
  GHashTable *compared_fragments;        /* "a|b" → GINT (mutually exclusive + 1) */
  GHashTable *document_types;   /* names of types defined in the document */
  GHashTable *document_directives;  /* name → DIRECTIVE_DEFINITION in the document */
  guint conflict_checks;
  GArray *current_usages;
  const BoughGqlNode *current_var_defs;
} V;

/* Reporting */

static void
report_error (V             *v,
              BoughGqlError *error)
{
  guint max = v->options->max_errors;

  if (v->aborted)
    {
      bough_gql_error_free (error);
      return;
    }
  if (max > 0 && v->errors->len >= max)
    {
      bough_gql_error_free (error);
      g_ptr_array_add (v->errors,
                       bough_gql_error_new ("Too many validation errors, error limit reached. "
                                            "Validation aborted.", 0, 0));
      v->aborted = TRUE;
      return;
    }
  g_ptr_array_add (v->errors, error);
}

/* Locations come as (line, column) pairs ended by a 0 line. */
static void
report (V          *v,
        char       *message,
        guint       line,
        ...)
{
  BoughGqlError *error = bough_gql_error_new (message, 0, 0);
  va_list args;

  va_start (args, line);
  while (line != 0)
    {
      guint column = va_arg (args, guint);

      bough_gql_error_add_location (error, line, column);
      line = va_arg (args, guint);
    }
  va_end (args);
  g_free (message);
  report_error (v, error);
}

#define LOC(n) (n)->line, (n)->column
#define NAME_LOC(n) (n)->name_line, (n)->name_column

/* Suggestions, as graphql-js makes them */

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static int
natural_compare (const char *a,
                 const char *b)
{
  gsize ai = 0, bi = 0;
  gsize al = strlen (a), bl = strlen (b);

  while (ai < al && bi < bl)
    {
      guchar ac = a[ai], bc = b[bi];

      if (is_digit (ac) && is_digit (bc))
        {
          guint64 an = 0, bn = 0;

          do
            {
              ++ai;
              an = an * 10 + ac - '0';
              ac = ai < al ? a[ai] : 0;
            }
          while (is_digit (ac) && an > 0);
          do
            {
              ++bi;
              bn = bn * 10 + bc - '0';
              bc = bi < bl ? b[bi] : 0;
            }
          while (is_digit (bc) && bn > 0);
          if (an != bn)
            return an < bn ? -1 : 1;
        }
      else
        {
          if (ac != bc)
            return ac < bc ? -1 : 1;
          ++ai;
          ++bi;
        }
    }
  return (int) al - (int) bl;
}

/* Damerau-Levenshtein distance over lower-cased input, -1 above @threshold. */
static int
lexical_distance (const char *input,
                  const char *option,
                  int         threshold)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree int *rows = NULL;
  int al, bl;

  if (strcmp (input, option) == 0)
    return 0;
  a = g_ascii_strdown (option, -1);
  b = g_ascii_strdown (input, -1);
  if (strcmp (a, b) == 0)
    return 1;
  if (strlen (a) < strlen (b))
    {
      char *tmp = a;

      a = b;
      b = tmp;
    }
  al = strlen (a);
  bl = strlen (b);
  if (al - bl > threshold)
    return -1;
  rows = g_new0 (int, 3 * (bl + 1));
#define ROW(i) (rows + ((i) % 3) * (bl + 1))
  for (int j = 0; j <= bl; j++)
    ROW (0)[j] = j;
  for (int i = 1; i <= al; i++)
    {
      int *up = ROW (i - 1);
      int *cur = ROW (i);
      int smallest = cur[0] = i;

      for (int j = 1; j <= bl; j++)
        {
          int cost = a[i - 1] == b[j - 1] ? 0 : 1;
          int cell = MIN (MIN (up[j] + 1, cur[j - 1] + 1), up[j - 1] + cost);

          if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
            cell = MIN (cell, ROW (i - 2)[j - 2] + 1);
          if (cell < smallest)
            smallest = cell;
          cur[j] = cell;
        }
      if (smallest > threshold)
        return -1;
    }
  {
    int distance = ROW (al)[bl];

    return distance <= threshold ? distance : -1;
  }
#undef ROW
}

typedef struct
{
  const char *name;
  int distance;
} Suggestion;

static int
suggestion_compare (gconstpointer pa,
                    gconstpointer pb)
{
  const Suggestion *a = pa, *b = pb;

  if (a->distance != b->distance)
    return a->distance - b->distance;
  return natural_compare (a->name, b->name);
}

/* suggestionList(): @options is a NULL-terminated array of names. */
GPtrArray *
_bough_gql_suggestion_list (const char  *input,
                 const char **options)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Suggestion));
  GPtrArray *ret = g_ptr_array_new ();
  int threshold = (int) (strlen (input) * 0.4) + 1;

  for (guint i = 0; options[i] != NULL; i++)
    {
      int d = lexical_distance (input, options[i], threshold);
      gboolean dup = FALSE;

      if (d < 0)
        continue;
      for (guint j = 0; j < found->len; j++)
        if (strcmp (g_array_index (found, Suggestion, j).name, options[i]) == 0)
          dup = TRUE;
      if (!dup)
        {
          Suggestion s = { options[i], d };

          g_array_append_val (found, s);
        }
    }
  g_array_sort (found, suggestion_compare);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (ret, (gpointer) g_array_index (found, Suggestion, i).name);
  return ret;
}

/* didYouMean(): consumes @suggestions. */
char *
_bough_gql_did_you_mean (const char *sub_message,
              GPtrArray  *suggestions)
{
  GString *out;
  guint n = MIN (suggestions->len, 5);

  if (suggestions->len == 0)
    {
      g_ptr_array_unref (suggestions);
      return g_strdup ("");
    }
  out = g_string_new (" Did you mean ");
  if (sub_message != NULL)
    g_string_append_printf (out, "%s ", sub_message);
  if (suggestions->len == 1)
    g_string_append_printf (out, "\"%s\"?", (char *) suggestions->pdata[0]);
  else if (suggestions->len == 2)
    g_string_append_printf (out, "\"%s\" or \"%s\"?", (char *) suggestions->pdata[0],
                            (char *) suggestions->pdata[1]);
  else
    {
      for (guint i = 0; i + 1 < n; i++)
        g_string_append_printf (out, "\"%s\", ", (char *) suggestions->pdata[i]);
      g_string_append_printf (out, "or \"%s\"?", (char *) suggestions->pdata[n - 1]);
    }
  g_ptr_array_unref (suggestions);
  return g_string_free (out, FALSE);
}

/* Array.prototype.sort of V8 for short arrays: the first run (reversed if
 * descending), then binary insertion. graphql-js sorts type suggestions with
 * a comparison that is not a total order, so only the same algorithm gives
 * the same message. */
static void
v8_sort (GPtrArray        *array,
         GCompareDataFunc  compare,
         gpointer          data)
{
  gpointer *a = array->pdata;
  guint n = array->len;
  guint run = 2;
  gboolean descending;

  if (n < 2)
    return;
  descending = compare (a[1], a[0], data) < 0;
  for (guint i = 2; i < n; i++)
    {
      int order = compare (a[i], a[i - 1], data);

      if (descending ? order >= 0 : order < 0)
        break;
      run++;
    }
  if (descending)
    for (guint i = 0, j = run - 1; i < j; i++, j--)
      {
        gpointer tmp = a[i];

        a[i] = a[j];
        a[j] = tmp;
      }
  for (guint start = run; start < n; start++)
    {
      gpointer pivot = a[start];
      guint left = 0, right = start;

      while (left < right)
        {
          guint mid = left + ((right - left) >> 1);

          if (compare (pivot, a[mid], data) < 0)
            right = mid;
          else
            left = mid + 1;
        }
      memmove (a + left + 1, a + left, (start - left) * sizeof (gpointer));
      a[left] = pivot;
    }
}

static int
compare_suggested_types (gconstpointer pa,
                         gconstpointer pb,
                         gpointer      data)
{
  BoughGqlType *a = (BoughGqlType *) pa;
  BoughGqlType *b = (BoughGqlType *) pb;
  GHashTable *count = data;
  int diff = GPOINTER_TO_INT (g_hash_table_lookup (count, b)) - GPOINTER_TO_INT (g_hash_table_lookup (count, a));

  if (diff != 0)
    return diff;
  if (a->kind == BOUGH_GQL_TYPE_INTERFACE && bough_gql_type_is_subtype (b, a))
    return -1;
  if (b->kind == BOUGH_GQL_TYPE_INTERFACE && bough_gql_type_is_subtype (a, b))
    return 1;
  return natural_compare (a->name, b->name);
}

static const char **
names_of_fields (GPtrArray *fields)
{
  const char **names = g_new0 (const char *, fields->len + 1);

  for (guint i = 0; i < fields->len; i++)
    names[i] = ((BoughGqlField *) g_ptr_array_index (fields, i))->name;
  return names;
}

/* Helpers */

static BoughGqlType *
type_from_ast (V                  *v,
               const BoughGqlNode *type_node)
{
  return bough_gql_schema_type_from_ast (v->schema, type_node);
}

static char *
type_str (BoughGqlType *type)
{
  return bough_gql_type_to_string (type);
}

static BoughGqlField *
field_def (V                  *v,
           BoughGqlType       *parent,
           const BoughGqlNode *field)
{
  if (parent == NULL)
    return NULL;
  if (parent == v->schema->query_type)
    {
      if (strcmp (field->name, "__schema") == 0)
        return v->schema->schema_meta_field;
      if (strcmp (field->name, "__type") == 0)
        return v->schema->type_meta_field;
    }
  if (strcmp (field->name, "__typename") == 0 && bough_gql_type_is_composite (parent))
    return v->schema->typename_meta_field;
  if (parent->kind == BOUGH_GQL_TYPE_OBJECT || parent->kind == BOUGH_GQL_TYPE_INTERFACE)
    return bough_gql_type_get_field (parent, field->name);
  return NULL;
}

static GPtrArray *
fragment_spreads (V                  *v,
                  const BoughGqlNode *selection_set)
{
  GPtrArray *spreads = g_hash_table_lookup (v->spreads, selection_set);
  g_autoptr(GPtrArray) stack = NULL;

  if (spreads != NULL)
    return spreads;
  spreads = g_ptr_array_new ();
  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, (gpointer) selection_set);
  /* a stack, as graphql-js walks it, so cycles are reported in its order */
  while (stack->len > 0)
    {
      const BoughGqlNode *set = g_ptr_array_steal_index (stack, stack->len - 1);

      for (const BoughGqlNode *s = set->children; s != NULL; s = s->next)
        {
          if (s->kind == BOUGH_GQL_FRAGMENT_SPREAD)
            g_ptr_array_add (spreads, (gpointer) s);
          else if (s->selection_set != NULL)
            g_ptr_array_add (stack, (gpointer) s->selection_set);
        }
    }
  g_hash_table_insert (v->spreads, (gpointer) selection_set, spreads);
  return spreads;
}

/* The fragments an operation uses, directly or not, in graphql-js's order. */
static GPtrArray *
referenced_fragments (V                  *v,
                      const BoughGqlNode *operation)
{
  GPtrArray *fragments = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, (gpointer) operation->selection_set);
  while (stack->len > 0)
    {
      const BoughGqlNode *set = g_ptr_array_steal_index (stack, stack->len - 1);
      GPtrArray *spreads = fragment_spreads (v, set);

      for (guint i = 0; i < spreads->len; i++)
        {
          const BoughGqlNode *spread = g_ptr_array_index (spreads, i);
          const BoughGqlNode *fragment;

          if (g_hash_table_contains (seen, spread->name))
            continue;
          g_hash_table_add (seen, (gpointer) spread->name);
          fragment = g_hash_table_lookup (v->fragments, spread->name);
          if (fragment != NULL)
            {
              g_ptr_array_add (fragments, (gpointer) fragment);
              g_ptr_array_add (stack, (gpointer) fragment->selection_set);
            }
        }
    }
  return fragments;
}

/* Values */

static gboolean
is_required_input (BoughGqlField *field)
{
  return field->type->kind == BOUGH_GQL_TYPE_NON_NULL && field->default_value == NULL;
}

/* Whether @value holds a number literal too large for a double, at any depth. */
static gboolean
literal_not_finite (const BoughGqlNode *value)
{
  if (value->kind == BOUGH_GQL_INT_VALUE || value->kind == BOUGH_GQL_FLOAT_VALUE)
    return !isfinite (g_ascii_strtod (value->text, NULL));
  if (value->kind == BOUGH_GQL_LIST_VALUE || value->kind == BOUGH_GQL_OBJECT_VALUE)
    for (const BoughGqlNode *c = value->children; c != NULL; c = c->next)
      if (literal_not_finite (c->kind == BOUGH_GQL_OBJECT_FIELD ? c->value : c))
        return TRUE;
  return FALSE;
}

static void
check_leaf_value (V                  *v,
                  const BoughGqlNode *value,
                  BoughGqlType       *location_type)
{
  BoughGqlType *type;
  g_autofree char *printed = NULL;
  g_autofree char *tstr = NULL;

  if (location_type == NULL)
    return;
  type = bough_gql_type_named (location_type);
  printed = bough_gql_print (value);
  if (!bough_gql_type_is_leaf (type))
    {
      tstr = type_str (location_type);
      report (v, g_strdup_printf ("Expected value of type \"%s\", found %s.", tstr, printed),
              LOC (value), 0);
      return;
    }

  if (type->kind == BOUGH_GQL_TYPE_ENUM)
    {
      const char **names;

      if (value->kind == BOUGH_GQL_ENUM_VALUE && bough_gql_type_get_enum_value (type, value->text) != NULL)
        return;
      names = g_new0 (const char *, type->enum_values->len + 1);
      for (guint i = 0; i < type->enum_values->len; i++)
        names[i] = ((BoughGqlEnumValue *) g_ptr_array_index (type->enum_values, i))->name;
      {
        g_autofree char *hint = _bough_gql_did_you_mean ("the enum value", _bough_gql_suggestion_list (printed, names));

        if (value->kind != BOUGH_GQL_ENUM_VALUE)
          report (v, g_strdup_printf ("Enum \"%s\" cannot represent non-enum value: %s.%s", type->name,
                                      printed, hint), LOC (value), 0);
        else
          report (v, g_strdup_printf ("Value \"%s\" does not exist in \"%s\" enum.%s", printed,
                                      type->name, hint), LOC (value), 0);
      }
      g_free (names);
      return;
    }

  if (strcmp (type->name, "Int") == 0)
    {
      if (value->kind != BOUGH_GQL_INT_VALUE)
        report (v, g_strdup_printf ("Int cannot represent non-integer value: %s", printed), LOC (value), 0);
      else
        {
          double d = g_ascii_strtod (value->text, NULL);

          if (d > 2147483647.0 || d < -2147483648.0)
            report (v, g_strdup_printf ("Int cannot represent non 32-bit signed integer value: %s",
                                        value->text), LOC (value), 0);
        }
    }
  else if (strcmp (type->name, "Float") == 0)
    {
      if (value->kind != BOUGH_GQL_INT_VALUE && value->kind != BOUGH_GQL_FLOAT_VALUE)
        report (v, g_strdup_printf ("Float cannot represent non numeric value: %s", printed), LOC (value), 0);
      else if (!isfinite (g_ascii_strtod (value->text, NULL)))
        report (v, g_strdup_printf ("Float cannot represent non numeric value: %s", printed), LOC (value), 0);
    }
  else if (strcmp (type->name, "String") == 0)
    {
      if (value->kind != BOUGH_GQL_STRING_VALUE)
        report (v, g_strdup_printf ("String cannot represent a non string value: %s", printed),
                LOC (value), 0);
    }
  else if (strcmp (type->name, "Boolean") == 0)
    {
      if (value->kind != BOUGH_GQL_BOOLEAN_VALUE)
        report (v, g_strdup_printf ("Boolean cannot represent a non boolean value: %s", printed),
                LOC (value), 0);
    }
  else if (strcmp (type->name, "ID") == 0)
    {
      if (value->kind != BOUGH_GQL_STRING_VALUE && value->kind != BOUGH_GQL_INT_VALUE)
        report (v, g_strdup_printf ("ID cannot represent a non-string and non-integer value: %s", printed),
                LOC (value), 0);
    }
  /* custom scalars take any literal but a number JSON cannot hold (1e400
   * reads as infinity) */
  else if (literal_not_finite (value))
    report (v, g_strdup_printf ("%s cannot represent non numeric value: %s", type->name, printed), LOC (value), 0);
}

static void
record_usages_only (V                  *v,
                    const BoughGqlNode *value,
                    BoughGqlType       *type,
                    gboolean            has_default,
                    BoughGqlType       *parent_input_type);

static void
check_unique_input_fields (V                  *v,
                           const BoughGqlNode *object)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (const BoughGqlNode *f = object->children; f != NULL; f = f->next)
    {
      const BoughGqlNode *first = g_hash_table_lookup (seen, f->name);

      if (first != NULL)
        report (v, g_strdup_printf ("There can be only one input field named \"%s\".", f->name),
                LOC (first), LOC (f), 0);
      else
        g_hash_table_insert (seen, (gpointer) f->name, (gpointer) f);
    }
}

/* UniqueInputFieldNames where no type is known, so that ValuesOfCorrectType
 * does not descend. */
static void
check_unique_input_fields_deep (V                  *v,
                                const BoughGqlNode *value)
{
  if (value->kind == BOUGH_GQL_OBJECT_VALUE)
    {
      check_unique_input_fields (v, value);
      for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
        check_unique_input_fields_deep (v, f->value);
    }
  else if (value->kind == BOUGH_GQL_LIST_VALUE)
    for (const BoughGqlNode *i = value->children; i != NULL; i = i->next)
      check_unique_input_fields_deep (v, i);
}

static void
check_one_of (V                  *v,
              const BoughGqlNode *value,
              BoughGqlType       *type)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  const BoughGqlNode *field = NULL;

  /* the last field of a name wins, as in graphql-js's keyMap */
  for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
    {
      g_hash_table_add (keys, (gpointer) f->name);
      field = f;
    }
  if (g_hash_table_size (keys) != 1)
    {
      report (v, g_strdup_printf ("OneOf Input Object \"%s\" must specify exactly one key.", type->name),
              LOC (value), 0);
      return;
    }
  if (field->value->kind == BOUGH_GQL_NULL_VALUE)
    {
      report (v, g_strdup_printf ("Field \"%s.%s\" must be non-null.", type->name, field->name), LOC (value), 0);
      return;
    }
  if (field->value->kind == BOUGH_GQL_VARIABLE)
    for (const BoughGqlNode *d = v->current_var_defs; d != NULL; d = d->next)
      if (strcmp (d->name, field->value->name) == 0)
        {
          if (d->type->kind != BOUGH_GQL_NON_NULL_TYPE)
            report (v, g_strdup_printf ("Variable \"%s\" must be non-nullable to be used for OneOf Input Object \"%s\".",
                                        d->name, type->name), LOC (value), 0);
          break;
        }
}

/* ValuesOfCorrectType, UniqueInputFieldNames and variable usages; @type is the
 * expected type (NULL when unknown), as TypeInfo would give it. */
static void
check_value (V                  *v,
             const BoughGqlNode *value,
             BoughGqlType       *type,
             gboolean            has_default,
             BoughGqlType       *parent_input_type)
{
  switch (value->kind)
    {
    case BOUGH_GQL_VARIABLE:
      record_usages_only (v, value, type, has_default, parent_input_type);
      return;

    case BOUGH_GQL_LIST_VALUE:
      {
        BoughGqlType *nullable = bough_gql_type_nullable (type);
        BoughGqlType *item_type = nullable != NULL && nullable->kind == BOUGH_GQL_TYPE_LIST
                                  ? nullable->of_type : nullable;

        if (nullable == NULL || nullable->kind != BOUGH_GQL_TYPE_LIST)
          {
            check_leaf_value (v, value, item_type);
            check_unique_input_fields_deep (v, value);
            for (const BoughGqlNode *item = value->children; item != NULL; item = item->next)
              record_usages_only (v, item, item_type, FALSE, parent_input_type);
            return;
          }
        for (const BoughGqlNode *item = value->children; item != NULL; item = item->next)
          check_value (v, item, item_type, FALSE, parent_input_type);
        return;
      }

    case BOUGH_GQL_OBJECT_VALUE:
      {
        BoughGqlType *named = bough_gql_type_named (type);

        if (named == NULL || named->kind != BOUGH_GQL_TYPE_INPUT_OBJECT)
          {
            check_leaf_value (v, value, type);
            check_unique_input_fields_deep (v, value);
            for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
              record_usages_only (v, f->value, NULL, FALSE, NULL);
            return;
          }

        for (guint i = 0; i < named->fields->len; i++)
          {
            BoughGqlField *fdef = g_ptr_array_index (named->fields, i);
            gboolean given = FALSE;

            for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
              if (strcmp (f->name, fdef->name) == 0)
                given = TRUE;
            if (!given && is_required_input (fdef))
              {
                g_autofree char *t = type_str (fdef->type);

                report (v, g_strdup_printf ("Field \"%s.%s\" of required type \"%s\" was not provided.",
                                            named->name, fdef->name, t), LOC (value), 0);
              }
          }
        if (named->one_of)
          check_one_of (v, value, named);

        check_unique_input_fields (v, value);
        for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
          {
            BoughGqlField *fdef = bough_gql_type_get_field (named, f->name);

            if (fdef == NULL)
              {
                g_autofree const char **names = names_of_fields (named->fields);
                g_autofree char *hint = _bough_gql_did_you_mean (NULL, _bough_gql_suggestion_list (f->name, names));

                report (v, g_strdup_printf ("Field \"%s\" is not defined by type \"%s\".%s", f->name,
                                            named->name, hint), LOC (f), 0);
              }
            check_value (v, f->value, fdef ? fdef->type : NULL, fdef && fdef->default_value != NULL, type);
          }
        return;
      }

    case BOUGH_GQL_NULL_VALUE:
      if (type != NULL && type->kind == BOUGH_GQL_TYPE_NON_NULL)
        {
          g_autofree char *t = type_str (type);

          report (v, g_strdup_printf ("Expected value of type \"%s\", found null.", t), LOC (value), 0);
        }
      return;

    default:
      check_leaf_value (v, value, type);
      return;
    }
}

/* Variables inside values that ValuesOfCorrectType does not descend into
 * still count as usages (TypeInfo gives them the item or no type). */
static void
record_usages_only (V                  *v,
                    const BoughGqlNode *value,
                    BoughGqlType       *type,
                    gboolean            has_default,
                    BoughGqlType       *parent_input_type)
{
  if (value->kind == BOUGH_GQL_VARIABLE)
    {
      Usage u = { value, type, has_default, parent_input_type };

      if (v->current_usages != NULL)
        g_array_append_val (v->current_usages, u);
      return;
    }
  if (value->kind == BOUGH_GQL_LIST_VALUE)
    {
      BoughGqlType *nullable = bough_gql_type_nullable (type);
      BoughGqlType *item = nullable && nullable->kind == BOUGH_GQL_TYPE_LIST ? nullable->of_type : nullable;

      for (const BoughGqlNode *i = value->children; i != NULL; i = i->next)
        record_usages_only (v, i, item, FALSE, parent_input_type);
    }
  else if (value->kind == BOUGH_GQL_OBJECT_VALUE)
    {
      BoughGqlType *named = bough_gql_type_named (type);

      for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
        {
          BoughGqlField *fdef = named && named->kind == BOUGH_GQL_TYPE_INPUT_OBJECT
                                ? bough_gql_type_get_field (named, f->name) : NULL;

          record_usages_only (v, f->value, fdef ? fdef->type : NULL, fdef && fdef->default_value, type);
        }
    }
}

/* Arguments of a field or directive: known, unique, typed, required. */
static void
check_arguments (V                  *v,
                 const BoughGqlNode *args,
                 GPtrArray          *defs,
                 const char         *owner_kind,
                 const char         *owner_name)
{
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);

  for (const BoughGqlNode *a = args; a != NULL; a = a->next)
    {
      BoughGqlField *def = defs ? bough_gql_args_find (defs, a->name) : NULL;

      if (defs != NULL && def == NULL)
        {
          g_autofree const char **names = names_of_fields (defs);
          g_autofree char *hint = _bough_gql_did_you_mean (NULL, _bough_gql_suggestion_list (a->name, names));

          if (strcmp (owner_kind, "directive") == 0)
            report (v, g_strdup_printf ("Unknown argument \"%s\" on directive \"@%s\".%s", a->name,
                                        owner_name, hint), LOC (a), 0);
          else
            report (v, g_strdup_printf ("Unknown argument \"%s\" on field \"%s\".%s", a->name, owner_name,
                                        hint), LOC (a), 0);
        }

      if (!g_hash_table_contains (done, a->name))
        {
          BoughGqlError *error = NULL;

          g_hash_table_add (done, (gpointer) a->name);
          for (const BoughGqlNode *b = a->next; b != NULL; b = b->next)
            if (strcmp (a->name, b->name) == 0)
              {
                if (error == NULL)
                  {
                    g_autofree char *msg = g_strdup_printf ("There can be only one argument named \"%s\".",
                                                            a->name);

                    error = bough_gql_error_new (msg, LOC (a));
                  }
                bough_gql_error_add_location (error, LOC (b));
              }
          if (error != NULL)
            report_error (v, error);
        }

      check_value (v, a->value, def ? def->type : NULL, def && def->default_value != NULL, NULL);
    }
}

static void
check_required_arguments (V                  *v,
                          const BoughGqlNode *node,
                          const BoughGqlNode *args,
                          GPtrArray          *defs,
                          gboolean            is_directive,
                          const char         *owner_name)
{
  for (guint i = 0; defs != NULL && i < defs->len; i++)
    {
      BoughGqlField *def = g_ptr_array_index (defs, i);
      gboolean given = FALSE;

      for (const BoughGqlNode *a = args; a != NULL; a = a->next)
        if (strcmp (a->name, def->name) == 0)
          given = TRUE;
      if (!given && is_required_input (def))
        {
          g_autofree char *t = type_str (def->type);

          report (v, g_strdup_printf ("%s \"%s%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
                                      is_directive ? "Directive" : "Field", is_directive ? "@" : "",
                                      owner_name, def->name, t), LOC (node), 0);
        }
    }
}

/* A directive defined in the document itself (SDL sent as a query). */
static void
check_document_directive (V                  *v,
                          const BoughGqlNode *d,
                          const BoughGqlNode *def,
                          guint               location,
                          GHashTable         *seen)
{
  gboolean allowed = FALSE;

  for (const BoughGqlNode *l = def->locations; l != NULL; l = l->next)
    if (location != 0 && strcmp (l->name, bough_gql_directive_location_name (location)) == 0)
      allowed = TRUE;
  if (location != 0 && !allowed)
    report (v, g_strdup_printf ("Directive \"@%s\" may not be used on %s.", d->name,
                                bough_gql_directive_location_name (location)), LOC (d), 0);
  if (!def->repeatable)
    {
      const BoughGqlNode *first = g_hash_table_lookup (seen, d->name);

      if (first != NULL)
        report (v, g_strdup_printf ("The directive \"@%s\" can only be used once at this location.",
                                    d->name), LOC (first), LOC (d), 0);
      else
        g_hash_table_insert (seen, (gpointer) d->name, (gpointer) d);
    }
  for (const BoughGqlNode *a = d->arguments; a != NULL; a = a->next)
    {
      gboolean known = FALSE;

      for (const BoughGqlNode *ad = def->arguments; ad != NULL; ad = ad->next)
        if (strcmp (ad->name, a->name) == 0)
          known = TRUE;
      if (!known)
        {
          g_autoptr(GPtrArray) names = g_ptr_array_new ();
          g_autofree char *hint = NULL;

          for (const BoughGqlNode *ad = def->arguments; ad != NULL; ad = ad->next)
            g_ptr_array_add (names, (gpointer) ad->name);
          g_ptr_array_add (names, NULL);
          hint = _bough_gql_did_you_mean (NULL, _bough_gql_suggestion_list (a->name, (const char **) names->pdata));
          report (v, g_strdup_printf ("Unknown argument \"%s\" on directive \"@%s\".%s", a->name, d->name,
                                      hint), LOC (a), 0);
        }
    }
  check_arguments (v, d->arguments, NULL, "directive", d->name);
  for (const BoughGqlNode *ad = def->arguments; ad != NULL; ad = ad->next)
    {
      gboolean given = FALSE;

      for (const BoughGqlNode *a = d->arguments; a != NULL; a = a->next)
        if (strcmp (a->name, ad->name) == 0)
          given = TRUE;
      if (!given && ad->type->kind == BOUGH_GQL_NON_NULL_TYPE && ad->value == NULL)
        {
          g_autofree char *t = bough_gql_print (ad->type);

          report (v, g_strdup_printf ("Directive \"@%s\" argument \"%s\" of type \"%s\" is required, but it was not provided.",
                                      d->name, ad->name, t), LOC (d), 0);
        }
    }
}

static void
check_directives (V                  *v,
                  const BoughGqlNode *directives,
                  guint               location)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (const BoughGqlNode *d = directives; d != NULL; d = d->next)
    {
      BoughGqlDirective *def = bough_gql_schema_get_directive (v->schema, d->name);

      if (def == NULL)
        {
          const BoughGqlNode *ddef = g_hash_table_lookup (v->document_directives, d->name);

          if (ddef == NULL)
            {
              report (v, g_strdup_printf ("Unknown directive \"@%s\".", d->name), LOC (d), 0);
              check_arguments (v, d->arguments, NULL, "directive", d->name);
            }
          else
            check_document_directive (v, d, ddef, location, seen);
          continue;
        }
      if (location != 0 && (def->locations & location) == 0)
        report (v, g_strdup_printf ("Directive \"@%s\" may not be used on %s.", d->name,
                                    bough_gql_directive_location_name (location)), LOC (d), 0);
      if (!def->repeatable)
        {
          const BoughGqlNode *first = g_hash_table_lookup (seen, d->name);

          if (first != NULL)
            report (v, g_strdup_printf ("The directive \"@%s\" can only be used once at this location.",
                                        d->name), LOC (first), LOC (d), 0);
          else
            g_hash_table_insert (seen, (gpointer) d->name, (gpointer) d);
        }
      check_arguments (v, d->arguments, def->args, "directive", d->name);
      check_required_arguments (v, d, d->arguments, def->args, TRUE, d->name);
    }
}

static void
check_known_type (V                  *v,
                  const BoughGqlNode *named,
                  gboolean            in_sdl)
{
  static const char * const standard[] = {
    "String", "Int", "Float", "Boolean", "ID", "__Schema", "__Directive", "__DirectiveLocation",
    "__Type", "__Field", "__InputValue", "__EnumValue", "__TypeKind",
  };
  g_autoptr(GPtrArray) names = NULL;
  GHashTableIter iter;
  gpointer key;

  if (bough_gql_schema_get_type (v->schema, named->name) != NULL ||
      g_hash_table_contains (v->document_types, named->name))
    return;
  names = g_ptr_array_new ();
  if (in_sdl)
    {
      for (guint i = 0; i < G_N_ELEMENTS (standard); i++)
        {
          if (strcmp (named->name, standard[i]) == 0)
            return;
          g_ptr_array_add (names, (gpointer) standard[i]);
        }
    }
  for (guint i = 0; i < v->schema->types->len; i++)
    g_ptr_array_add (names, ((BoughGqlType *) g_ptr_array_index (v->schema->types, i))->name);
  g_hash_table_iter_init (&iter, v->document_types);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_add (names, NULL);
  {
    g_autofree char *hint = _bough_gql_did_you_mean (NULL, _bough_gql_suggestion_list (named->name, (const char **) names->pdata));

    report (v, g_strdup_printf ("Unknown type \"%s\".%s", named->name, hint), LOC (named), 0);
  }
}

static const BoughGqlNode *
named_of (const BoughGqlNode *type_node)
{
  while (type_node->kind != BOUGH_GQL_NAMED_TYPE)
    type_node = type_node->type;
  return type_node;
}

/* Overlapping fields can be merged */

static void
field_group_free (gpointer data)
{
  FieldGroup *g = data;

  g_ptr_array_unref (g->fields);
  g_free (g);
}

static void
field_map_free (gpointer data)
{
  FieldMap *m = data;

  g_ptr_array_unref (m->groups);
  g_hash_table_unref (m->index);
  g_ptr_array_unref (m->fragment_names);
  g_free (m);
}

static void
collect_fields_and_fragment_names (V                  *v,
                                   BoughGqlType       *parent_type,
                                   const BoughGqlNode *selection_set,
                                   FieldMap           *map,
                                   GHashTable         *fragment_seen)
{
  for (const BoughGqlNode *s = selection_set->children; s != NULL; s = s->next)
    {
      switch (s->kind)
        {
        case BOUGH_GQL_FIELD:
          {
            const char *key = s->alias != NULL ? s->alias : s->name;
            FieldGroup *g = g_hash_table_lookup (map->index, key);
            FieldInfo *info = g_new0 (FieldInfo, 1);

            if (g == NULL)
              {
                g = g_new0 (FieldGroup, 1);
                g->response_name = key;
                g->fields = g_ptr_array_new_with_free_func (g_free);
                g_ptr_array_add (map->groups, g);
                g_hash_table_insert (map->index, (gpointer) key, g);
              }
            info->parent_type = parent_type;
            info->node = s;
            if (parent_type != NULL && (parent_type->kind == BOUGH_GQL_TYPE_OBJECT ||
                                        parent_type->kind == BOUGH_GQL_TYPE_INTERFACE))
              info->def = bough_gql_type_get_field (parent_type, s->name);
            g_ptr_array_add (g->fields, info);
          }
          break;
        case BOUGH_GQL_FRAGMENT_SPREAD:
          if (!g_hash_table_contains (fragment_seen, s->name))
            {
              g_hash_table_add (fragment_seen, (gpointer) s->name);
              g_ptr_array_add (map->fragment_names, (gpointer) s->name);
            }
          break;
        case BOUGH_GQL_INLINE_FRAGMENT:
          collect_fields_and_fragment_names (v, s->type ? type_from_ast (v, s->type) : parent_type,
                                             s->selection_set, map, fragment_seen);
          break;
        default:
          break;
        }
    }
}

static FieldMap *
fields_and_fragment_names (V                  *v,
                           BoughGqlType       *parent_type,
                           const BoughGqlNode *selection_set)
{
  FieldMap *map = g_hash_table_lookup (v->field_maps, selection_set);
  g_autoptr(GHashTable) seen = NULL;

  if (map != NULL)
    return map;
  map = g_new0 (FieldMap, 1);
  map->groups = g_ptr_array_new_with_free_func (field_group_free);
  map->index = g_hash_table_new (g_str_hash, g_str_equal);
  map->fragment_names = g_ptr_array_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  collect_fields_and_fragment_names (v, parent_type, selection_set, map, seen);
  g_hash_table_insert (v->field_maps, (gpointer) selection_set, map);
  return map;
}

static FieldMap *
referenced_fields (V                  *v,
                   const BoughGqlNode *fragment)
{
  FieldMap *cached = g_hash_table_lookup (v->field_maps, fragment->selection_set);

  if (cached != NULL)
    return cached;
  return fields_and_fragment_names (v, type_from_ast (v, fragment->type), fragment->selection_set);
}

static void
conflict_free (gpointer data)
{
  Conflict *c = data;

  g_free (c->reason);
  g_clear_pointer (&c->sub, g_ptr_array_unref);
  g_ptr_array_unref (c->fields1);
  g_ptr_array_unref (c->fields2);
  g_free (c);
}

static Conflict *
conflict_new (const char         *response_name,
              char               *reason,
              const BoughGqlNode *node1,
              const BoughGqlNode *node2)
{
  Conflict *c = g_new0 (Conflict, 1);

  c->response_name = response_name;
  c->reason = reason;
  c->fields1 = g_ptr_array_new ();
  c->fields2 = g_ptr_array_new ();
  g_ptr_array_add (c->fields1, (gpointer) node1);
  g_ptr_array_add (c->fields2, (gpointer) node2);
  return c;
}

static void
append_sorted_value (GString            *out,
                     const BoughGqlNode *value)
{
  if (value->kind == BOUGH_GQL_OBJECT_VALUE)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();

      for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
        g_ptr_array_add (fields, (gpointer) f);
      /* insertion sort: stable, and object literals are small */
      for (guint i = 1; i < fields->len; i++)
        for (guint j = i; j > 0 &&
             natural_compare (((BoughGqlNode *) fields->pdata[j - 1])->name,
                              ((BoughGqlNode *) fields->pdata[j])->name) > 0; j--)
          {
            gpointer tmp = fields->pdata[j];

            fields->pdata[j] = fields->pdata[j - 1];
            fields->pdata[j - 1] = tmp;
          }
      g_string_append_c (out, '{');
      for (guint i = 0; i < fields->len; i++)
        {
          const BoughGqlNode *f = fields->pdata[i];

          g_string_append_printf (out, "%s%s: ", i ? ", " : "", f->name);
          append_sorted_value (out, f->value);
        }
      g_string_append_c (out, '}');
    }
  else if (value->kind == BOUGH_GQL_LIST_VALUE)
    {
      g_string_append_c (out, '[');
      for (const BoughGqlNode *i = value->children; i != NULL; i = i->next)
        {
          if (i != value->children)
            g_string_append (out, ", ");
          append_sorted_value (out, i);
        }
      g_string_append_c (out, ']');
    }
  else
    {
      g_autofree char *s = bough_gql_print (value);

      g_string_append (out, s);
    }
}

static char *
stringify_value (const BoughGqlNode *value)
{
  GString *out = g_string_new (NULL);

  append_sorted_value (out, value);
  return g_string_free (out, FALSE);
}

static gboolean
same_arguments (const BoughGqlNode *f1,
                const BoughGqlNode *f2)
{
  if (f1->arguments == NULL)
    return f2->arguments == NULL;
  if (f2->arguments == NULL)
    return FALSE;
  if (bough_gql_list_length (f1->arguments) != bough_gql_list_length (f2->arguments))
    return FALSE;
  for (const BoughGqlNode *a = f1->arguments; a != NULL; a = a->next)
    {
      const BoughGqlNode *match = NULL;
      g_autofree char *s1 = NULL;
      g_autofree char *s2 = NULL;

      /* the last argument of that name wins, as in a JS Map */
      for (const BoughGqlNode *b = f2->arguments; b != NULL; b = b->next)
        if (strcmp (a->name, b->name) == 0)
          match = b;
      if (match == NULL)
        return FALSE;
      s1 = stringify_value (a->value);
      s2 = stringify_value (match->value);
      if (strcmp (s1, s2) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
types_conflict (BoughGqlType *t1,
                BoughGqlType *t2)
{
  if (t1->kind == BOUGH_GQL_TYPE_LIST)
    return t2->kind == BOUGH_GQL_TYPE_LIST ? types_conflict (t1->of_type, t2->of_type) : TRUE;
  if (t2->kind == BOUGH_GQL_TYPE_LIST)
    return TRUE;
  if (t1->kind == BOUGH_GQL_TYPE_NON_NULL)
    return t2->kind == BOUGH_GQL_TYPE_NON_NULL ? types_conflict (t1->of_type, t2->of_type) : TRUE;
  if (t2->kind == BOUGH_GQL_TYPE_NON_NULL)
    return TRUE;
  if (bough_gql_type_is_leaf (t1) || bough_gql_type_is_leaf (t2))
    return t1 != t2;
  return FALSE;
}

static void collect_between (V *v, GPtrArray *conflicts, gboolean mutex, FieldMap *m1, FieldMap *m2);
static void collect_between_fields_and_fragment (V *v, GPtrArray *conflicts, gboolean mutex,
                                                 FieldMap *map, const char *fragment_name);
static void collect_between_fragments (V *v, GPtrArray *conflicts, gboolean mutex,
                                       const char *name1, const char *name2);

static GPtrArray *
conflicts_between_sub_selection_sets (V                  *v,
                                      gboolean            mutex,
                                      BoughGqlType       *type1,
                                      const BoughGqlNode *set1,
                                      BoughGqlType       *type2,
                                      const BoughGqlNode *set2)
{
  GPtrArray *conflicts = g_ptr_array_new_with_free_func (conflict_free);
  FieldMap *m1 = fields_and_fragment_names (v, type1, set1);
  FieldMap *m2 = fields_and_fragment_names (v, type2, set2);

  collect_between (v, conflicts, mutex, m1, m2);
  for (guint i = 0; i < m2->fragment_names->len; i++)
    collect_between_fields_and_fragment (v, conflicts, mutex, m1, m2->fragment_names->pdata[i]);
  for (guint i = 0; i < m1->fragment_names->len; i++)
    collect_between_fields_and_fragment (v, conflicts, mutex, m2, m1->fragment_names->pdata[i]);
  for (guint i = 0; i < m1->fragment_names->len; i++)
    for (guint j = 0; j < m2->fragment_names->len; j++)
      collect_between_fragments (v, conflicts, mutex, m1->fragment_names->pdata[i],
                                 m2->fragment_names->pdata[j]);
  return conflicts;
}

static Conflict *
find_conflict (V          *v,
               gboolean    parent_mutex,
               const char *response_name,
               FieldInfo  *f1,
               FieldInfo  *f2)
{
  gboolean mutex;
  BoughGqlType *t1 = f1->def ? f1->def->type : NULL;
  BoughGqlType *t2 = f2->def ? f2->def->type : NULL;

  if (++v->conflict_checks > MAX_CONFLICT_CHECKS)
    return NULL;

  mutex = parent_mutex ||
          (f1->parent_type != f2->parent_type && f1->parent_type != NULL && f2->parent_type != NULL &&
           f1->parent_type->kind == BOUGH_GQL_TYPE_OBJECT && f2->parent_type->kind == BOUGH_GQL_TYPE_OBJECT);

  if (!mutex)
    {
      if (strcmp (f1->node->name, f2->node->name) != 0)
        return conflict_new (response_name,
                             g_strdup_printf ("\"%s\" and \"%s\" are different fields", f1->node->name,
                                              f2->node->name), f1->node, f2->node);
      if (!same_arguments (f1->node, f2->node))
        return conflict_new (response_name, g_strdup ("they have differing arguments"), f1->node, f2->node);
    }

  if (t1 != NULL && t2 != NULL && types_conflict (t1, t2))
    {
      g_autofree char *s1 = type_str (t1);
      g_autofree char *s2 = type_str (t2);

      return conflict_new (response_name,
                           g_strdup_printf ("they return conflicting types \"%s\" and \"%s\"", s1, s2),
                           f1->node, f2->node);
    }

  if (f1->node->selection_set != NULL && f2->node->selection_set != NULL)
    {
      GPtrArray *sub = conflicts_between_sub_selection_sets (v, mutex, bough_gql_type_named (t1),
                                                             f1->node->selection_set,
                                                             bough_gql_type_named (t2),
                                                             f2->node->selection_set);
      Conflict *c;

      if (sub->len == 0)
        {
          g_ptr_array_unref (sub);
          return NULL;
        }
      c = conflict_new (response_name, NULL, f1->node, f2->node);
      c->sub = sub;
      for (guint i = 0; i < sub->len; i++)
        {
          Conflict *s = sub->pdata[i];

          g_ptr_array_extend (c->fields1, s->fields1, NULL, NULL);
          g_ptr_array_extend (c->fields2, s->fields2, NULL, NULL);
        }
      return c;
    }
  return NULL;
}

static void
collect_within (V         *v,
                GPtrArray *conflicts,
                FieldMap  *map)
{
  for (guint g = 0; g < map->groups->len; g++)
    {
      FieldGroup *group = map->groups->pdata[g];

      for (guint i = 0; i < group->fields->len; i++)
        for (guint j = i + 1; j < group->fields->len; j++)
          {
            Conflict *c = find_conflict (v, FALSE, group->response_name, group->fields->pdata[i],
                                         group->fields->pdata[j]);

            if (c != NULL)
              g_ptr_array_add (conflicts, c);
          }
    }
}

static void
collect_between (V         *v,
                 GPtrArray *conflicts,
                 gboolean   mutex,
                 FieldMap  *m1,
                 FieldMap  *m2)
{
  for (guint g = 0; g < m1->groups->len; g++)
    {
      FieldGroup *g1 = m1->groups->pdata[g];
      FieldGroup *g2 = g_hash_table_lookup (m2->index, g1->response_name);

      if (g2 == NULL)
        continue;
      for (guint i = 0; i < g1->fields->len; i++)
        for (guint j = 0; j < g2->fields->len; j++)
          {
            Conflict *c = find_conflict (v, mutex, g1->response_name, g1->fields->pdata[i],
                                         g2->fields->pdata[j]);

            if (c != NULL)
              g_ptr_array_add (conflicts, c);
          }
    }
}

/* PairSet of graphql-js: a pair compared as not mutually exclusive covers
 * the exclusive case too. */
static gboolean
pair_set_has_add (GHashTable *set,
                  char       *key,
                  gboolean    mutex)
{
  gpointer stored;

  if (g_hash_table_lookup_extended (set, key, NULL, &stored))
    {
      gboolean stored_mutex = GPOINTER_TO_INT (stored) - 1;

      if (mutex || stored_mutex == mutex)
        {
          g_free (key);
          return TRUE;
        }
    }
  g_hash_table_replace (set, key, GINT_TO_POINTER (mutex + 1));
  return FALSE;
}

static void
collect_between_fields_and_fragment (V          *v,
                                     GPtrArray  *conflicts,
                                     gboolean    mutex,
                                     FieldMap   *map,
                                     const char *fragment_name)
{
  const BoughGqlNode *fragment;
  FieldMap *map2;

  if (pair_set_has_add (v->compared_field_fragment, g_strdup_printf ("%p|%s", (void *) map, fragment_name),
                        mutex))
    return;
  fragment = g_hash_table_lookup (v->fragments, fragment_name);
  if (fragment == NULL)
    return;
  map2 = referenced_fields (v, fragment);
  if (map == map2)
    return;
  collect_between (v, conflicts, mutex, map, map2);
  for (guint i = 0; i < map2->fragment_names->len; i++)
    collect_between_fields_and_fragment (v, conflicts, mutex, map, map2->fragment_names->pdata[i]);
}

static void
collect_between_fragments (V          *v,
                           GPtrArray  *conflicts,
                           gboolean    mutex,
                           const char *name1,
                           const char *name2)
{
  const BoughGqlNode *frag1;
  const BoughGqlNode *frag2;
  FieldMap *m1;
  FieldMap *m2;

  if (strcmp (name1, name2) == 0)
    return;
  if (pair_set_has_add (v->compared_fragments,
                        strcmp (name1, name2) < 0 ? g_strdup_printf ("%s|%s", name1, name2)
                                                  : g_strdup_printf ("%s|%s", name2, name1), mutex))
    return;
  frag1 = g_hash_table_lookup (v->fragments, name1);
  frag2 = g_hash_table_lookup (v->fragments, name2);
  if (frag1 == NULL || frag2 == NULL)
    return;
  m1 = referenced_fields (v, frag1);
  m2 = referenced_fields (v, frag2);
  collect_between (v, conflicts, mutex, m1, m2);
  for (guint i = 0; i < m2->fragment_names->len; i++)
    collect_between_fragments (v, conflicts, mutex, name1, m2->fragment_names->pdata[i]);
  for (guint i = 0; i < m1->fragment_names->len; i++)
    collect_between_fragments (v, conflicts, mutex, m1->fragment_names->pdata[i], name2);
}

static void
append_reason (GString  *out,
               Conflict *c)
{
  if (c->sub == NULL)
    {
      g_string_append (out, c->reason);
      return;
    }
  for (guint i = 0; i < c->sub->len; i++)
    {
      Conflict *s = c->sub->pdata[i];

      if (i > 0)
        g_string_append (out, " and ");
      g_string_append_printf (out, "subfields \"%s\" conflict because ", s->response_name);
      append_reason (out, s);
    }
}

static void
check_overlapping (V                  *v,
                   BoughGqlType       *parent_type,
                   const BoughGqlNode *selection_set)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (conflict_free);
  FieldMap *map = fields_and_fragment_names (v, parent_type, selection_set);

  collect_within (v, conflicts, map);
  for (guint i = 0; i < map->fragment_names->len; i++)
    {
      collect_between_fields_and_fragment (v, conflicts, FALSE, map, map->fragment_names->pdata[i]);
      for (guint j = i + 1; j < map->fragment_names->len; j++)
        collect_between_fragments (v, conflicts, FALSE, map->fragment_names->pdata[i],
                                   map->fragment_names->pdata[j]);
    }

  for (guint i = 0; i < conflicts->len; i++)
    {
      Conflict *c = conflicts->pdata[i];
      GString *msg = g_string_new (NULL);
      BoughGqlError *error;

      g_string_append_printf (msg, "Fields \"%s\" conflict because ", c->response_name);
      append_reason (msg, c);
      g_string_append (msg, ". Use different aliases on the fields to fetch both if this was intentional.");
      error = bough_gql_error_new (msg->str, 0, 0);
      g_string_free (msg, TRUE);
      for (guint j = 0; j < c->fields1->len; j++)
        bough_gql_error_add_location (error, LOC ((BoughGqlNode *) c->fields1->pdata[j]));
      for (guint j = 0; j < c->fields2->len; j++)
        bough_gql_error_add_location (error, LOC ((BoughGqlNode *) c->fields2->pdata[j]));
      report_error (v, error);
    }
}

/* MaxIntrospectionDepth of graphql-js: introspection lists (fields,
 * interfaces, possibleTypes, inputFields) nested 3 deep are refused, since
 * they grow with the size of the schema at every level. */
static gboolean
introspection_too_deep (V                  *v,
                        const BoughGqlNode *node,
                        GHashTable         *visiting,
                        guint               depth,
                        guint              *budget)
{
  if (*budget == 0)
    return TRUE;
  (*budget)--;

  if (node->kind == BOUGH_GQL_FRAGMENT_SPREAD)
    {
      const BoughGqlNode *fragment = g_hash_table_lookup (v->fragments, node->name);
      gboolean ret;

      if (fragment == NULL || g_hash_table_contains (visiting, node->name))
        return FALSE;
      g_hash_table_add (visiting, (gpointer) node->name);
      ret = introspection_too_deep (v, fragment, visiting, depth, budget);
      g_hash_table_remove (visiting, node->name);
      return ret;
    }
  if (node->kind == BOUGH_GQL_FIELD &&
      (strcmp (node->name, "fields") == 0 || strcmp (node->name, "interfaces") == 0 ||
       strcmp (node->name, "possibleTypes") == 0 || strcmp (node->name, "inputFields") == 0))
    {
      if (++depth >= 3)
        return TRUE;
    }
  if (node->selection_set != NULL)
    for (const BoughGqlNode *c = node->selection_set->children; c != NULL; c = c->next)
      if (introspection_too_deep (v, c, visiting, depth, budget))
        return TRUE;
  return FALSE;
}

/* The typed walk over selections */

static void
walk_selection_set (V                  *v,
                    BoughGqlType       *parent_type,
                    const BoughGqlNode *selection_set)
{
  check_overlapping (v, parent_type, selection_set);

  for (const BoughGqlNode *s = selection_set->children; s != NULL && !v->aborted; s = s->next)
    {
      switch (s->kind)
        {
        case BOUGH_GQL_FIELD:
          {
            BoughGqlField *def = field_def (v, parent_type, s);
            BoughGqlType *named = def ? bough_gql_type_named (def->type) : NULL;

            if (strcmp (s->name, "__schema") == 0 || strcmp (s->name, "__type") == 0)
              {
                g_autoptr(GHashTable) visiting = g_hash_table_new (g_str_hash, g_str_equal);
                /* graphql-js walks fragments without memo; a budget keeps
                 * a fan-out of spreads from costing exponential time */
                guint budget = 100000;

                if (introspection_too_deep (v, s, visiting, 0, &budget))
                  report (v, g_strdup ("Maximum introspection depth exceeded"), LOC (s), 0);
              }

            if (parent_type != NULL && def == NULL)
              {
                g_autoptr(GPtrArray) types = g_ptr_array_new ();
                g_autofree char *hint = NULL;

                /* suggest types of an abstract parent that have the field */
                if (bough_gql_type_is_abstract (parent_type))
                  {
                    g_autoptr(GHashTable) count = g_hash_table_new (NULL, NULL);

                    for (guint i = 0; i < parent_type->possible_types->len; i++)
                      {
                        BoughGqlType *pt = parent_type->possible_types->pdata[i];

                        if (bough_gql_type_get_field (pt, s->name) == NULL)
                          continue;
                        if (!g_hash_table_contains (count, pt))
                          g_ptr_array_add (types, pt);
                        g_hash_table_insert (count, pt, GINT_TO_POINTER (1));
                        for (guint j = 0; j < pt->interfaces->len; j++)
                          {
                            BoughGqlType *it = pt->interfaces->pdata[j];

                            if (bough_gql_type_get_field (it, s->name) == NULL)
                              continue;
                            if (!g_hash_table_contains (count, it))
                              g_ptr_array_add (types, it);
                            g_hash_table_insert (count, it,
                                                 GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (count, it)) + 1));
                          }
                      }
                    /* by usage count, super types first, then by name: that
                     * order is not transitive, so sort exactly as V8 does */
                    v8_sort (types, compare_suggested_types, count);
                  }
                {
                  GPtrArray *names = g_ptr_array_new ();

                  for (guint i = 0; i < types->len; i++)
                    g_ptr_array_add (names, ((BoughGqlType *) types->pdata[i])->name);
                  hint = _bough_gql_did_you_mean ("to use an inline fragment on", names);
                }
                if (hint[0] == '\0' && (parent_type->kind == BOUGH_GQL_TYPE_OBJECT ||
                                        parent_type->kind == BOUGH_GQL_TYPE_INTERFACE))
                  {
                    g_autofree const char **fnames = names_of_fields (parent_type->fields);

                    g_free (hint);
                    hint = _bough_gql_did_you_mean (NULL, _bough_gql_suggestion_list (s->name, fnames));
                  }
                report (v, g_strdup_printf ("Cannot query field \"%s\" on type \"%s\".%s", s->name,
                                            parent_type->name, hint), LOC (s), 0);
              }

            if (def != NULL)
              {
                g_autofree char *t = type_str (def->type);

                if (bough_gql_type_is_leaf (named) && s->selection_set != NULL)
                  report (v, g_strdup_printf ("Field \"%s\" must not have a selection since type \"%s\" has no subfields.",
                                              s->name, t), LOC (s->selection_set), 0);
                else if (!bough_gql_type_is_leaf (named) && s->selection_set == NULL)
                  report (v, g_strdup_printf ("Field \"%s\" of type \"%s\" must have a selection of subfields. Did you mean \"%s { ... }\"?",
                                              s->name, t, s->name), LOC (s), 0);
              }

            {
              g_autofree char *owner = parent_type && def ? g_strdup_printf ("%s.%s", parent_type->name, def->name)
                                                          : NULL;

              check_arguments (v, s->arguments, def ? def->args : NULL, "field", owner);
            }
            check_directives (v, s->directives, BOUGH_GQL_LOC_FIELD);
            if (s->selection_set != NULL)
              walk_selection_set (v, bough_gql_type_is_composite (named) ? named : NULL, s->selection_set);
            if (def != NULL)
              check_required_arguments (v, s, s->arguments, def->args, FALSE, def->name);
          }
          break;

        case BOUGH_GQL_INLINE_FRAGMENT:
          {
            BoughGqlType *frag_type = parent_type;

            if (s->type != NULL)
              {
                check_known_type (v, s->type, FALSE);
                frag_type = type_from_ast (v, s->type);
                if (frag_type != NULL && !bough_gql_type_is_composite (frag_type))
                  {
                    report (v, g_strdup_printf ("Fragment cannot condition on non composite type \"%s\".",
                                                s->type->name), LOC (s->type), 0);
                  }
              }
            if (bough_gql_type_is_composite (frag_type) && bough_gql_type_is_composite (parent_type) &&
                !bough_gql_types_overlap (frag_type, parent_type))
              report (v, g_strdup_printf ("Fragment cannot be spread here as objects of type \"%s\" can never be of type \"%s\".",
                                          parent_type->name, frag_type->name), LOC (s), 0);
            check_directives (v, s->directives, BOUGH_GQL_LOC_INLINE_FRAGMENT);
            walk_selection_set (v, bough_gql_type_is_composite (frag_type) ? frag_type : NULL, s->selection_set);
          }
          break;

        case BOUGH_GQL_FRAGMENT_SPREAD:
          {
            const BoughGqlNode *fragment = g_hash_table_lookup (v->fragments, s->name);

            if (fragment == NULL)
              report (v, g_strdup_printf ("Unknown fragment \"%s\".", s->name), NAME_LOC (s), 0);
            else
              {
                BoughGqlType *frag_type = type_from_ast (v, fragment->type);

                if (bough_gql_type_is_composite (frag_type) && bough_gql_type_is_composite (parent_type) &&
                    !bough_gql_types_overlap (frag_type, parent_type))
                  report (v, g_strdup_printf ("Fragment \"%s\" cannot be spread here as objects of type \"%s\" can never be of type \"%s\".",
                                              s->name, parent_type->name, frag_type->name), LOC (s), 0);
              }
            check_directives (v, s->directives, BOUGH_GQL_LOC_FRAGMENT_SPREAD);
          }
          break;

        default:
          break;
        }
    }
}

static GArray *
usages_for (V                  *v,
            const BoughGqlNode *definition)
{
  GArray *usages = g_hash_table_lookup (v->usages, definition);

  if (usages == NULL)
    {
      usages = g_array_new (FALSE, FALSE, sizeof (Usage));
      g_hash_table_insert (v->usages, (gpointer) definition, usages);
    }
  return usages;
}

static void
walk_operation (V                  *v,
                const BoughGqlNode *op)
{
  BoughGqlType *root = bough_gql_schema_get_root_type (v->schema, op->operation);
  static const guint op_locations[] = {
    BOUGH_GQL_LOC_QUERY, BOUGH_GQL_LOC_MUTATION, BOUGH_GQL_LOC_SUBSCRIPTION,
  };

  /* default values and directives of variable definitions are not usages */
  v->current_usages = NULL;
  v->current_var_defs = op->variables;
  for (const BoughGqlNode *def = op->variables; def != NULL; def = def->next)
    {
      BoughGqlType *type = type_from_ast (v, def->type);

      check_known_type (v, named_of (def->type), FALSE);
      if (type != NULL && !bough_gql_type_is_input (type))
        {
          g_autofree char *printed = bough_gql_print (def->type);

          report (v, g_strdup_printf ("Variable \"$%s\" cannot be non-input type \"%s\".", def->name, printed),
                  LOC (def->type), 0);
        }
      if (def->value != NULL)
        check_value (v, def->value, type && bough_gql_type_is_input (type) ? type : NULL, FALSE, NULL);
      check_directives (v, def->directives, BOUGH_GQL_LOC_VARIABLE_DEFINITION);
    }

  v->current_usages = usages_for (v, op);
  check_directives (v, op->directives, op_locations[op->operation]);
  walk_selection_set (v, root, op->selection_set);
  v->current_usages = NULL;
}

static void
walk_fragment (V                  *v,
               const BoughGqlNode *fragment)
{
  BoughGqlType *type;

  check_known_type (v, fragment->type, FALSE);
  type = type_from_ast (v, fragment->type);
  if (type != NULL && !bough_gql_type_is_composite (type))
    report (v, g_strdup_printf ("Fragment \"%s\" cannot condition on non composite type \"%s\".",
                                fragment->name, fragment->type->name), LOC (fragment->type), 0);
  v->current_usages = usages_for (v, fragment);
  check_directives (v, fragment->directives, BOUGH_GQL_LOC_FRAGMENT_DEFINITION);
  walk_selection_set (v, bough_gql_type_is_composite (type) ? type : NULL, fragment->selection_set);
  v->current_usages = NULL;
}

/* Type-system definitions sent in an executable document: they are not
 * executable, but graphql-js still checks their names and directives. */
static void
walk_input_values (V                  *v,
                   const BoughGqlNode *values,
                   guint               location)
{
  for (const BoughGqlNode *iv = values; iv != NULL; iv = iv->next)
    {
      check_known_type (v, named_of (iv->type), TRUE);
      check_directives (v, iv->directives, location);
    }
}

static void
walk_type_system (V                  *v,
                  const BoughGqlNode *d)
{
  guint location = 0;

  switch (d->kind)
    {
    case BOUGH_GQL_SCHEMA_DEFINITION:
    case BOUGH_GQL_SCHEMA_EXTENSION:
      location = BOUGH_GQL_LOC_SCHEMA;
      break;
    case BOUGH_GQL_SCALAR_TYPE_DEFINITION:
    case BOUGH_GQL_SCALAR_TYPE_EXTENSION:
      location = BOUGH_GQL_LOC_SCALAR;
      break;
    case BOUGH_GQL_OBJECT_TYPE_DEFINITION:
    case BOUGH_GQL_OBJECT_TYPE_EXTENSION:
      location = BOUGH_GQL_LOC_OBJECT;
      break;
    case BOUGH_GQL_INTERFACE_TYPE_DEFINITION:
    case BOUGH_GQL_INTERFACE_TYPE_EXTENSION:
      location = BOUGH_GQL_LOC_INTERFACE;
      break;
    case BOUGH_GQL_UNION_TYPE_DEFINITION:
    case BOUGH_GQL_UNION_TYPE_EXTENSION:
      location = BOUGH_GQL_LOC_UNION;
      break;
    case BOUGH_GQL_ENUM_TYPE_DEFINITION:
    case BOUGH_GQL_ENUM_TYPE_EXTENSION:
      location = BOUGH_GQL_LOC_ENUM;
      break;
    case BOUGH_GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case BOUGH_GQL_INPUT_OBJECT_TYPE_EXTENSION:
      location = BOUGH_GQL_LOC_INPUT_OBJECT;
      break;
    default:
      break;
    }
  if (location != 0)
    check_directives (v, d->directives, location);

  switch (d->kind)
    {
    case BOUGH_GQL_SCHEMA_DEFINITION:
    case BOUGH_GQL_SCHEMA_EXTENSION:
      for (const BoughGqlNode *o = d->children; o != NULL; o = o->next)
        check_known_type (v, o->type, TRUE);
      break;
    case BOUGH_GQL_OBJECT_TYPE_DEFINITION:
    case BOUGH_GQL_OBJECT_TYPE_EXTENSION:
    case BOUGH_GQL_INTERFACE_TYPE_DEFINITION:
    case BOUGH_GQL_INTERFACE_TYPE_EXTENSION:
      for (const BoughGqlNode *i = d->interfaces; i != NULL; i = i->next)
        check_known_type (v, i, TRUE);
      for (const BoughGqlNode *f = d->children; f != NULL; f = f->next)
        {
          walk_input_values (v, f->arguments, BOUGH_GQL_LOC_ARGUMENT_DEFINITION);
          check_known_type (v, named_of (f->type), TRUE);
          check_directives (v, f->directives, BOUGH_GQL_LOC_FIELD_DEFINITION);
        }
      break;
    case BOUGH_GQL_UNION_TYPE_DEFINITION:
    case BOUGH_GQL_UNION_TYPE_EXTENSION:
      for (const BoughGqlNode *i = d->interfaces; i != NULL; i = i->next)
        check_known_type (v, i, TRUE);
      break;
    case BOUGH_GQL_ENUM_TYPE_DEFINITION:
    case BOUGH_GQL_ENUM_TYPE_EXTENSION:
      for (const BoughGqlNode *e = d->children; e != NULL; e = e->next)
        check_directives (v, e->directives, BOUGH_GQL_LOC_ENUM_VALUE);
      break;
    case BOUGH_GQL_INPUT_OBJECT_TYPE_DEFINITION:
    case BOUGH_GQL_INPUT_OBJECT_TYPE_EXTENSION:
      walk_input_values (v, d->children, BOUGH_GQL_LOC_INPUT_FIELD_DEFINITION);
      break;
    case BOUGH_GQL_DIRECTIVE_DEFINITION:
      walk_input_values (v, d->arguments, BOUGH_GQL_LOC_ARGUMENT_DEFINITION);
      break;
    default:
      break;
    }
}

/* Document-level rules */

static void
check_fragment_cycles (V                  *v,
                       const BoughGqlNode *fragment,
                       GHashTable         *visited,
                       GPtrArray          *path,
                       GHashTable         *index_by_name)
{
  GPtrArray *spreads;

  if (g_hash_table_contains (visited, fragment->name))
    return;
  g_hash_table_add (visited, (gpointer) fragment->name);
  spreads = fragment_spreads (v, fragment->selection_set);
  if (spreads->len == 0)
    return;
  g_hash_table_insert (index_by_name, (gpointer) fragment->name, GUINT_TO_POINTER (path->len + 1));
  for (guint i = 0; i < spreads->len; i++)
    {
      const BoughGqlNode *spread = spreads->pdata[i];
      guint cycle_index = GPOINTER_TO_UINT (g_hash_table_lookup (index_by_name, spread->name));

      g_ptr_array_add (path, (gpointer) spread);
      if (cycle_index == 0)
        {
          const BoughGqlNode *next = g_hash_table_lookup (v->fragments, spread->name);

          if (next != NULL)
            check_fragment_cycles (v, next, visited, path, index_by_name);
        }
      else
        {
          GString *msg = g_string_new (NULL);
          BoughGqlError *error;

          g_string_append_printf (msg, "Cannot spread fragment \"%s\" within itself", spread->name);
          for (guint j = cycle_index - 1; j + 1 < path->len; j++)
            g_string_append_printf (msg, "%s\"%s\"", j == cycle_index - 1 ? " via " : ", ",
                                    ((BoughGqlNode *) path->pdata[j])->name);
          g_string_append_c (msg, '.');
          error = bough_gql_error_new (msg->str, 0, 0);
          g_string_free (msg, TRUE);
          for (guint j = cycle_index - 1; j < path->len; j++)
            bough_gql_error_add_location (error, LOC ((BoughGqlNode *) path->pdata[j]));
          report_error (v, error);
        }
      g_ptr_array_set_size (path, path->len - 1);
    }
  g_hash_table_remove (index_by_name, fragment->name);
}

static gboolean
allowed_variable_usage (BoughGqlType       *var_type,
                        const BoughGqlNode *var_default,
                        BoughGqlType       *location_type,
                        gboolean            location_has_default)
{
  if (location_type->kind == BOUGH_GQL_TYPE_NON_NULL && var_type->kind != BOUGH_GQL_TYPE_NON_NULL)
    {
      gboolean non_null_default = var_default != NULL && var_default->kind != BOUGH_GQL_NULL_VALUE;

      if (!non_null_default && !location_has_default)
        return FALSE;
      return bough_gql_type_is_subtype (var_type, location_type->of_type);
    }
  return bough_gql_type_is_subtype (var_type, location_type);
}

/* CollectFields for the single-root-field rule of subscriptions. */
static void
collect_root_fields (V                  *v,
                     BoughGqlType       *type,
                     const BoughGqlNode *selection_set,
                     GPtrArray          *keys,
                     GHashTable         *groups,
                     GHashTable         *visited)
{
  for (const BoughGqlNode *s = selection_set->children; s != NULL; s = s->next)
    {
      gboolean include = TRUE;

      for (const BoughGqlNode *d = s->directives; d != NULL; d = d->next)
        for (const BoughGqlNode *a = d->arguments; a != NULL; a = a->next)
          if (strcmp (a->name, "if") == 0 && a->value->kind == BOUGH_GQL_BOOLEAN_VALUE &&
              ((strcmp (d->name, "skip") == 0 && a->value->boolean) ||
               (strcmp (d->name, "include") == 0 && !a->value->boolean)))
            include = FALSE;
      if (!include)
        continue;
      if (s->kind == BOUGH_GQL_FIELD)
        {
          const char *key = s->alias ? s->alias : s->name;
          GPtrArray *list = g_hash_table_lookup (groups, key);

          if (list == NULL)
            {
              list = g_ptr_array_new ();
              g_hash_table_insert (groups, (gpointer) key, list);
              g_ptr_array_add (keys, (gpointer) key);
            }
          g_ptr_array_add (list, (gpointer) s);
        }
      else
        {
          const BoughGqlNode *type_cond = NULL;
          const BoughGqlNode *set = s->selection_set;

          if (s->kind == BOUGH_GQL_FRAGMENT_SPREAD)
            {
              const BoughGqlNode *fragment;

              if (g_hash_table_contains (visited, s->name))
                continue;
              g_hash_table_add (visited, (gpointer) s->name);
              fragment = g_hash_table_lookup (v->fragments, s->name);
              if (fragment == NULL)
                continue;
              type_cond = fragment->type;
              set = fragment->selection_set;
            }
          else
            type_cond = s->type;
          if (type_cond != NULL)
            {
              BoughGqlType *cond = type_from_ast (v, type_cond);

              if (cond == NULL || (cond != type && !(bough_gql_type_is_abstract (cond) &&
                                                     bough_gql_type_is_possible (cond, type))))
                continue;
            }
          collect_root_fields (v, type, set, keys, groups, visited);
        }
    }
}

static void
check_subscription (V                  *v,
                    const BoughGqlNode *op)
{
  BoughGqlType *root = v->schema->subscription_type;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *prefix = op->name ? g_strdup_printf ("Subscription \"%s\"", op->name)
                                     : g_strdup ("Anonymous Subscription");

  if (root == NULL)
    return;
  collect_root_fields (v, root, op->selection_set, keys, groups, visited);
  if (keys->len > 1)
    {
      g_autofree char *msg = g_strdup_printf ("%s must select only one top level field.", prefix);
      BoughGqlError *error = bough_gql_error_new (msg, 0, 0);

      for (guint i = 1; i < keys->len; i++)
        {
          GPtrArray *list = g_hash_table_lookup (groups, keys->pdata[i]);

          for (guint j = 0; j < list->len; j++)
            bough_gql_error_add_location (error, LOC ((BoughGqlNode *) list->pdata[j]));
        }
      report_error (v, error);
    }
  for (guint i = 0; i < keys->len; i++)
    {
      GPtrArray *list = g_hash_table_lookup (groups, keys->pdata[i]);
      const BoughGqlNode *first = list->pdata[0];

      if (g_str_has_prefix (first->name, "__"))
        {
          g_autofree char *msg = g_strdup_printf ("%s must not select an introspection top level field.",
                                                  prefix);
          BoughGqlError *error = bough_gql_error_new (msg, 0, 0);

          for (guint j = 0; j < list->len; j++)
            bough_gql_error_add_location (error, LOC ((BoughGqlNode *) list->pdata[j]));
          report_error (v, error);
        }
    }
}

static void
check_variables (V                  *v,
                 const BoughGqlNode *op)
{
  g_autoptr(GPtrArray) fragments = referenced_fragments (v, op);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (Usage));
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *own = usages_for (v, op);

  g_array_append_vals (all, own->data, own->len);
  for (guint i = 0; i < fragments->len; i++)
    {
      GArray *u = usages_for (v, fragments->pdata[i]);

      g_array_append_vals (all, u->data, u->len);
    }

  /* UniqueVariableNames */
  for (const BoughGqlNode *d = op->variables; d != NULL; d = d->next)
    {
      BoughGqlError *error = NULL;

      if (g_hash_table_contains (done, d->name))
        continue;
      g_hash_table_add (done, (gpointer) d->name);
      for (const BoughGqlNode *e = d->next; e != NULL; e = e->next)
        if (strcmp (d->name, e->name) == 0)
          {
            if (error == NULL)
              {
                g_autofree char *msg = g_strdup_printf ("There can be only one variable named \"$%s\".",
                                                        d->name);

                error = bough_gql_error_new (msg, NAME_LOC (d));
              }
            bough_gql_error_add_location (error, NAME_LOC (e));
          }
      if (error != NULL)
        report_error (v, error);
    }

  for (guint i = 0; i < all->len; i++)
    {
      Usage *u = &g_array_index (all, Usage, i);
      const BoughGqlNode *def = NULL;

      g_hash_table_add (used, (gpointer) u->node->name);
      /* the last definition of a name wins, as in graphql-js's map */
      for (const BoughGqlNode *d = op->variables; d != NULL; d = d->next)
        if (strcmp (d->name, u->node->name) == 0)
          def = d;
      if (def == NULL)
        {
          if (op->name != NULL)
            report (v, g_strdup_printf ("Variable \"$%s\" is not defined by operation \"%s\".", u->node->name,
                                        op->name), LOC (u->node), LOC (op), 0);
          else
            report (v, g_strdup_printf ("Variable \"$%s\" is not defined.", u->node->name),
                    LOC (u->node), LOC (op), 0);
          continue;
        }
      if (u->type != NULL)
        {
          BoughGqlType *var_type = type_from_ast (v, def->type);

          if (var_type != NULL && !allowed_variable_usage (var_type, def->value, u->type,
                                                           u->has_location_default))
            {
              g_autofree char *vt = type_str (var_type);
              g_autofree char *lt = type_str (u->type);

              report (v, g_strdup_printf ("Variable \"$%s\" of type \"%s\" used in position expecting type \"%s\".",
                                          u->node->name, vt, lt), LOC (def), LOC (u->node), 0);
            }
          if (var_type != NULL && u->parent_input_type != NULL &&
              u->parent_input_type->kind == BOUGH_GQL_TYPE_INPUT_OBJECT && u->parent_input_type->one_of &&
              var_type->kind != BOUGH_GQL_TYPE_NON_NULL)
            {
              g_autofree char *vt = type_str (var_type);

              report (v, g_strdup_printf ("Variable \"$%s\" is of type \"%s\" but must be non-nullable to be used for OneOf Input Object \"%s\".",
                                          u->node->name, vt, u->parent_input_type->name),
                      LOC (def), LOC (u->node), 0);
            }
        }
    }

  for (const BoughGqlNode *d = op->variables; d != NULL; d = d->next)
    if (!g_hash_table_contains (used, d->name))
      {
        if (op->name != NULL)
          report (v, g_strdup_printf ("Variable \"$%s\" is never used in operation \"%s\".", d->name, op->name),
                  LOC (d), 0);
        else
          report (v, g_strdup_printf ("Variable \"$%s\" is never used.", d->name), LOC (d), 0);
      }
}

/* Limits: depth and number of fields, fragments expanded (memoized per
 * fragment, so a fan-out of spreads is measured without being walked). */
typedef struct
{
  guint depth;
  guint64 fields;
  guint64 schemas;              /* __schema selections: each costs the size of the schema */
} Cost;

static Cost
measure (V                  *v,
         const BoughGqlNode *selection_set,
         GHashTable         *memo,
         GHashTable         *active)
{
  Cost total = { 0, 0, 0 };

  for (const BoughGqlNode *s = selection_set->children; s != NULL; s = s->next)
    {
      Cost c = { 0, 0, 0 };

      if (s->kind == BOUGH_GQL_FIELD)
        {
          if (s->selection_set != NULL)
            c = measure (v, s->selection_set, memo, active);
          c.depth += 1;
          c.fields += 1;
          if (strcmp (s->name, "__schema") == 0)
            c.schemas += 1;
        }
      else if (s->kind == BOUGH_GQL_INLINE_FRAGMENT)
        c = measure (v, s->selection_set, memo, active);
      else if (s->kind == BOUGH_GQL_FRAGMENT_SPREAD)
        {
          const BoughGqlNode *fragment = g_hash_table_lookup (v->fragments, s->name);
          Cost *cached = g_hash_table_lookup (memo, s->name);

          if (cached != NULL)
            c = *cached;
          else if (fragment != NULL && !g_hash_table_contains (active, s->name))
            {
              g_hash_table_add (active, (gpointer) s->name);
              c = measure (v, fragment->selection_set, memo, active);
              g_hash_table_remove (active, s->name);
              cached = g_new (Cost, 1);
              *cached = c;
              g_hash_table_insert (memo, (gpointer) s->name, cached);
            }
        }
      total.depth = MAX (total.depth, c.depth);
      total.fields = MIN (total.fields + c.fields, G_MAXUINT64 / 2);
      total.schemas = MIN (total.schemas + c.schemas, G_MAXUINT64 / 2);
    }
  return total;
}

static void
check_limits (V                  *v,
              const BoughGqlNode *op)
{
  g_autoptr(GHashTable) memo = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) active = g_hash_table_new (g_str_hash, g_str_equal);
  Cost cost = measure (v, op->selection_set, memo, active);
  const char *name = op->name ? op->name : "(anonymous)";

  if (v->options->max_depth > 0 && cost.depth > v->options->max_depth)
    report (v, g_strdup_printf ("Operation \"%s\" is nested %u levels deep, more than the limit of %u.",
                                name, cost.depth, v->options->max_depth), LOC (op), 0);
  if (v->options->max_fields > 0 && cost.fields > v->options->max_fields)
    report (v, g_strdup_printf ("Operation \"%s\" selects %" G_GUINT64_FORMAT " fields, more than the limit of %u.",
                                name, cost.fields, v->options->max_fields), LOC (op), 0);
  if (v->options->max_schema_selections > 0 && cost.schemas > v->options->max_schema_selections)
    report (v, g_strdup_printf ("Operation \"%s\" selects __schema %" G_GUINT64_FORMAT " times, more than the limit of %u.",
                                name, cost.schemas, v->options->max_schema_selections), LOC (op), 0);
}

/* Errors in document order, as a client reading them expects (graphql-js
 * reports them as it walks the document); errors without a location last. */
static int
compare_errors (gconstpointer pa,
                gconstpointer pb)
{
  const BoughGqlError *a = *(const BoughGqlError **) pa;
  const BoughGqlError *b = *(const BoughGqlError **) pb;
  const BoughGqlLocation *la = a->locations->len ? &g_array_index (a->locations, BoughGqlLocation, 0) : NULL;
  const BoughGqlLocation *lb = b->locations->len ? &g_array_index (b->locations, BoughGqlLocation, 0) : NULL;

  if (la == NULL || lb == NULL)
    return (la == NULL) - (lb == NULL);
  if (la->line != lb->line)
    return la->line < lb->line ? -1 : 1;
  if (la->column != lb->column)
    return la->column < lb->column ? -1 : 1;
  return 0;
}

void
bough_gql_validate_options_init (BoughGqlValidateOptions *options)
{
  g_return_if_fail (options != NULL);

  options->max_errors = BOUGH_GQL_DEFAULT_MAX_ERRORS;
  options->max_depth = BOUGH_GQL_DEFAULT_MAX_QUERY_DEPTH;
  options->max_fields = BOUGH_GQL_DEFAULT_MAX_FIELDS;
  options->max_schema_selections = BOUGH_GQL_DEFAULT_MAX_SCHEMA_SELECTIONS;
}

/**
 * bough_gql_validate:
 * @schema: a finished schema
 * @document: a parsed executable document
 * @options: (nullable): limits; %NULL for the defaults
 *
 * Checks @document against @schema with the rules of the specification's
 * section 5 (graphql-js's specifiedRules and messages) and the limits.
 *
 * Returns: (transfer full) (element-type BoughGqlError): the errors, empty if valid
 */
GPtrArray *
bough_gql_validate (BoughGqlSchema                *schema,
                    const BoughGqlDocument        *document,
                    const BoughGqlValidateOptions *options)
{
  BoughGqlValidateOptions defaults;
  V v = { 0 };
  guint n_operations = 0;
  g_autoptr(GHashTable) op_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) used_fragments = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (document != NULL && document->root != NULL, NULL);

  if (options == NULL)
    {
      bough_gql_validate_options_init (&defaults);
      options = &defaults;
    }
  v.schema = schema;
  v.document = document->root;
  v.options = options;
  v.errors = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_gql_error_free);
  v.fragments = g_hash_table_new (g_str_hash, g_str_equal);
  v.usages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  v.spreads = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  v.field_maps = g_hash_table_new_full (NULL, NULL, NULL, field_map_free);
  v.compared_field_fragment = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  v.compared_fragments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  v.document_types = g_hash_table_new (g_str_hash, g_str_equal);
  v.document_directives = g_hash_table_new (g_str_hash, g_str_equal);

  /* ExecutableDefinitions, operation names, fragment names */
  for (const BoughGqlNode *d = v.document->children; d != NULL; d = d->next)
    {
      if (d->kind == BOUGH_GQL_OPERATION_DEFINITION)
        {
          n_operations++;
          if (d->name != NULL)
            {
              const BoughGqlNode *first = g_hash_table_lookup (op_names, d->name);

              if (first != NULL)
                report (&v, g_strdup_printf ("There can be only one operation named \"%s\".", d->name),
                        NAME_LOC (first), NAME_LOC (d), 0);
              else
                g_hash_table_insert (op_names, (gpointer) d->name, (gpointer) d);
            }
        }
      else if (d->kind == BOUGH_GQL_FRAGMENT_DEFINITION)
        {
          const BoughGqlNode *first = g_hash_table_lookup (v.fragments, d->name);

          if (first != NULL)
            report (&v, g_strdup_printf ("There can be only one fragment named \"%s\".", d->name),
                    NAME_LOC (first), NAME_LOC (d), 0);
          else
            g_hash_table_insert (v.fragments, (gpointer) d->name, (gpointer) d);
        }
      else
        {
          g_autofree char *what = d->kind == BOUGH_GQL_SCHEMA_DEFINITION || d->kind == BOUGH_GQL_SCHEMA_EXTENSION
                                  ? g_strdup ("schema") : g_strdup_printf ("\"%s\"", d->name);

          report (&v, g_strdup_printf ("The %s definition is not executable.", what), LOC (d), 0);
          if (bough_gql_node_is_type_definition (d))
            g_hash_table_insert (v.document_types, (gpointer) d->name, (gpointer) d);
          else if (d->kind == BOUGH_GQL_DIRECTIVE_DEFINITION)
            g_hash_table_insert (v.document_directives, (gpointer) d->name, (gpointer) d);
        }
    }

  for (const BoughGqlNode *d = v.document->children; d != NULL && !v.aborted; d = d->next)
    {
      if (d->kind == BOUGH_GQL_OPERATION_DEFINITION)
        {
          if (d->name == NULL && n_operations > 1)
            report (&v, g_strdup ("This anonymous operation must be the only defined operation."), LOC (d), 0);
          if (d->operation == BOUGH_GQL_SUBSCRIPTION)
            check_subscription (&v, d);
          walk_operation (&v, d);
        }
      else if (d->kind == BOUGH_GQL_FRAGMENT_DEFINITION)
        walk_fragment (&v, d);
      else
        walk_type_system (&v, d);
    }

  if (!v.aborted)
    {
      g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) path = g_ptr_array_new ();
      g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);

      for (const BoughGqlNode *d = v.document->children; d != NULL; d = d->next)
        if (d->kind == BOUGH_GQL_FRAGMENT_DEFINITION)
          check_fragment_cycles (&v, d, visited, path, index);
    }

  for (const BoughGqlNode *d = v.document->children; d != NULL && !v.aborted; d = d->next)
    if (d->kind == BOUGH_GQL_OPERATION_DEFINITION)
      {
        g_autoptr(GPtrArray) fragments = referenced_fragments (&v, d);

        for (guint i = 0; i < fragments->len; i++)
          g_hash_table_add (used_fragments, (gpointer) ((BoughGqlNode *) fragments->pdata[i])->name);
        check_variables (&v, d);
      }

  for (const BoughGqlNode *d = v.document->children; d != NULL && !v.aborted; d = d->next)
    if (d->kind == BOUGH_GQL_FRAGMENT_DEFINITION && !g_hash_table_contains (used_fragments, d->name))
      report (&v, g_strdup_printf ("Fragment \"%s\" is never used.", d->name), LOC (d), 0);

  if (v.conflict_checks > MAX_CONFLICT_CHECKS && !v.aborted)
    report (&v, g_strdup ("The document is too complex to validate (overlapping fields). Validation aborted."),
            0);

  /* limits only matter for documents that are otherwise valid */
  if (v.errors->len == 0)
    for (const BoughGqlNode *d = v.document->children; d != NULL; d = d->next)
      if (d->kind == BOUGH_GQL_OPERATION_DEFINITION)
        check_limits (&v, d);

  /* a stable sort: the rules' order stays among errors at one place */
  if (v.aborted)
    {
      BoughGqlError *last = g_ptr_array_steal_index (v.errors, v.errors->len - 1);

      g_ptr_array_sort (v.errors, compare_errors);
      g_ptr_array_add (v.errors, last);
    }
  else
    g_ptr_array_sort (v.errors, compare_errors);

  g_hash_table_unref (v.fragments);
  g_hash_table_unref (v.usages);
  g_hash_table_unref (v.spreads);
  g_hash_table_unref (v.field_maps);
  g_hash_table_unref (v.compared_field_fragment);
  g_hash_table_unref (v.compared_fragments);
  g_hash_table_unref (v.document_types);
  g_hash_table_unref (v.document_directives);
  return v.errors;
}
