/* bough-gql-values.c: CoerceVariableValues of the specification (§6.1.2) and literal values,
 * with graphql-js's messages.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <math.h>
#include <string.h>

#include "bough-gql-introspection.h"
#include "bough-gql-parser.h"
#include "bough-gql-printer.h"
#include "bough-gql-private.h"
#include "bough-gql-values.h"

/* inspect() of graphql-js, for JSON values: strings quoted, objects as
 * "{ a: 1 }", nesting beyond two levels elided, long arrays cut at 10. */
static void
inspect_append (GString  *out,
                JsonNode *value,
                guint     depth)
{
  switch (JSON_NODE_TYPE (value))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      return;
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (value);

        if (t == G_TYPE_STRING)
          {
            JsonNode *copy = json_node_copy (value);
            g_autofree char *quoted = json_to_string (copy, FALSE);

            json_node_unref (copy);
            g_string_append (out, quoted);
          }
        else if (t == G_TYPE_BOOLEAN)
          g_string_append (out, json_node_get_boolean (value) ? "true" : "false");
        else if (t == G_TYPE_INT64)
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (value));
        else
          {
            /* JS prints numbers as the shortest text that reads back */
            g_autofree char *text = _bough_gql_number_to_string (json_node_get_double (value));

            g_string_append (out, text);
          }
        return;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (value);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            return;
          }
        if (depth > 2)
          {
            g_string_append (out, "[Array]");
            return;
          }
        g_string_append_c (out, '[');
        for (guint i = 0; i < MIN (n, 10); i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            inspect_append (out, json_array_get_element (array, i), depth + 1);
          }
        if (n == 11)
          g_string_append (out, ", ... 1 more item");
        else if (n > 11)
          g_string_append_printf (out, ", ... %u more items", n - 10);
        g_string_append_c (out, ']');
        return;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (value);
        g_autoptr(GList) members = json_object_get_members (object);

        if (members == NULL)
          {
            g_string_append (out, "{}");
            return;
          }
        if (depth > 2)
          {
            g_string_append (out, "[Object]");
            return;
          }
        g_string_append (out, "{ ");
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append (out, ", ");
            g_string_append_printf (out, "%s: ", (char *) l->data);
            inspect_append (out, json_object_get_member (object, l->data), depth + 1);
          }
        g_string_append (out, " }");
        return;
      }
    default:
      g_string_append (out, "undefined");
    }
}

char *
bough_gql_inspect_json (JsonNode *value)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (value != NULL, NULL);

  inspect_append (out, value, 1);
  return g_string_free (out, FALSE);
}

/* Literals (valueFromAST of graphql-js): the value of a literal of @type,
 * NULL when it does not fit or uses a variable missing from @variables. */
JsonNode *
bough_gql_value_from_literal (BoughGqlType       *type,
                              const BoughGqlNode *value,
                              JsonObject         *variables)
{
  JsonNode *node;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (value->kind == BOUGH_GQL_VARIABLE)
    {
      JsonNode *v;

      if (variables == NULL || !json_object_has_member (variables, value->name))
        return NULL;
      v = json_object_get_member (variables, value->name);
      if (JSON_NODE_HOLDS_NULL (v) && type->kind == BOUGH_GQL_TYPE_NON_NULL)
        return NULL;
      return json_node_copy (v);
    }
  if (type->kind == BOUGH_GQL_TYPE_NON_NULL)
    {
      if (value->kind == BOUGH_GQL_NULL_VALUE)
        return NULL;
      return bough_gql_value_from_literal (type->of_type, value, variables);
    }
  if (value->kind == BOUGH_GQL_NULL_VALUE)
    return json_node_new (JSON_NODE_NULL);

  switch (type->kind)
    {
    case BOUGH_GQL_TYPE_LIST:
      {
        JsonArray *array = json_array_new ();

        if (value->kind != BOUGH_GQL_LIST_VALUE)
          {
            JsonNode *item = bough_gql_value_from_literal (type->of_type, value, variables);

            if (item == NULL)
              {
                json_array_unref (array);
                return NULL;
              }
            json_array_add_element (array, item);
          }
        else
          for (const BoughGqlNode *i = value->children; i != NULL; i = i->next)
            {
              JsonNode *item;

              /* a missing variable inside a list is null, if null may be */
              if (i->kind == BOUGH_GQL_VARIABLE &&
                  (variables == NULL || !json_object_has_member (variables, i->name)))
                {
                  if (type->of_type->kind == BOUGH_GQL_TYPE_NON_NULL)
                    {
                      json_array_unref (array);
                      return NULL;
                    }
                  json_array_add_null_element (array);
                  continue;
                }
              item = bough_gql_value_from_literal (type->of_type, i, variables);
              if (item == NULL)
                {
                  json_array_unref (array);
                  return NULL;
                }
              json_array_add_element (array, item);
            }
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        return node;
      }

    case BOUGH_GQL_TYPE_INPUT_OBJECT:
      {
        JsonObject *object;
        guint given = 0;

        if (value->kind != BOUGH_GQL_OBJECT_VALUE)
          return NULL;
        object = json_object_new ();
        for (guint f = 0; f < type->fields->len; f++)
          {
            BoughGqlField *field = g_ptr_array_index (type->fields, f);
            const BoughGqlNode *field_value = NULL;
            JsonNode *coerced;

            for (const BoughGqlNode *o = value->children; o != NULL; o = o->next)
              if (strcmp (o->name, field->name) == 0)
                field_value = o->value;
            if (field_value == NULL ||
                (field_value->kind == BOUGH_GQL_VARIABLE &&
                 (variables == NULL || !json_object_has_member (variables, field_value->name))))
              {
                JsonNode *def = bough_gql_field_default_json (field);

                if (def != NULL)
                  json_object_set_member (object, field->name, def);
                else if (field->type->kind == BOUGH_GQL_TYPE_NON_NULL)
                  {
                    json_object_unref (object);
                    return NULL;
                  }
                continue;
              }
            coerced = bough_gql_value_from_literal (field->type, field_value, variables);
            if (coerced == NULL)
              {
                json_object_unref (object);
                return NULL;
              }
            json_object_set_member (object, field->name, coerced);
            given++;
          }
        if (type->one_of)
          {
            g_autoptr(GList) members = json_object_get_members (object);

            if (g_list_length (members) != 1 ||
                JSON_NODE_HOLDS_NULL (json_object_get_member (object, members->data)))
              {
                json_object_unref (object);
                return NULL;
              }
          }
        node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, object);
        return node;
      }

    case BOUGH_GQL_TYPE_ENUM:
      if (value->kind != BOUGH_GQL_ENUM_VALUE || bough_gql_type_get_enum_value (type, value->text) == NULL)
        return NULL;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, value->text);
      return node;

    case BOUGH_GQL_TYPE_SCALAR:
      node = json_node_new (JSON_NODE_VALUE);
      if (strcmp (type->name, "Int") == 0)
        {
          gint64 i;

          if (value->kind != BOUGH_GQL_INT_VALUE)
            break;
          i = g_ascii_strtoll (value->text, NULL, 10);
          if (i > G_MAXINT32 || i < G_MININT32)
            break;
          json_node_set_int (node, i);
          return node;
        }
      if (strcmp (type->name, "Float") == 0)
        {
          if (value->kind != BOUGH_GQL_INT_VALUE && value->kind != BOUGH_GQL_FLOAT_VALUE)
            break;
          json_node_set_double (node, g_ascii_strtod (value->text, NULL));
          return node;
        }
      if (strcmp (type->name, "String") == 0 || strcmp (type->name, "ID") == 0)
        {
          if (value->kind != BOUGH_GQL_STRING_VALUE &&
              !(value->kind == BOUGH_GQL_INT_VALUE && type->name[0] == 'I'))
            break;
          json_node_set_string (node, value->text);
          return node;
        }
      if (strcmp (type->name, "Boolean") == 0)
        {
          if (value->kind != BOUGH_GQL_BOOLEAN_VALUE)
            break;
          json_node_set_boolean (node, value->boolean);
          return node;
        }
      /* custom scalars take the literal as it is */
      json_node_unref (node);
      return bough_gql_value_to_json (value, variables);

    default:
      return NULL;
    }
  json_node_unref (node);
  return NULL;
}

/**
 * bough_gql_field_default_json:
 *
 * Returns: (transfer full) (nullable): the default value of an argument or
 * input field as JSON, %NULL if it has none
 */
JsonNode *
bough_gql_field_default_json (BoughGqlField *field)
{
  g_autofree char *text = NULL;
  g_autoptr(BoughGqlDocument) doc = NULL;

  g_return_val_if_fail (field != NULL, NULL);

  if (field->default_value == NULL)
    return NULL;
  /* defaults are kept as the text graphql-js prints; read it back */
  text = g_strdup_printf ("{ f(v: %s) }", field->default_value);
  doc = bough_gql_parse (text, -1, NULL, NULL, NULL);
  if (doc == NULL)
    return NULL;
  return bough_gql_value_from_literal (field->type, doc->root->children->selection_set->children->arguments->value,
                                       NULL);
}

/* Variables (coerceVariableValues and coerceInputValue of graphql-js) */

typedef struct
{
  GPtrArray *errors;
  const BoughGqlNode *definition;
  gboolean aborted;
} Coercion;

static void
add_error (Coercion           *c,
           const BoughGqlNode *at,
           char               *message)
{
  if (c->aborted)
    {
      g_free (message);
      return;
    }
  if (c->errors->len >= BOUGH_GQL_MAX_VARIABLE_ERRORS)
    {
      g_free (message);
      g_ptr_array_add (c->errors,
                       bough_gql_error_new ("Too many errors processing variables, error limit reached. "
                                            "Execution aborted.", 0, 0));
      c->aborted = TRUE;
      return;
    }
  g_ptr_array_add (c->errors, bough_gql_error_new (message, at ? at->line : 0, at ? at->column : 0));
  g_free (message);
}

static void
invalid (Coercion   *c,
         GString    *path,
         JsonNode   *value,
         const char *reason)
{
  g_autofree char *shown = bough_gql_inspect_json (value);
  GString *msg = g_string_new (NULL);

  g_string_append_printf (msg, "Variable \"$%s\" got invalid value %s", c->definition->name, shown);
  if (path->len > 0)
    g_string_append_printf (msg, " at \"%s%s\"", c->definition->name, path->str);
  g_string_append_printf (msg, "; %s", reason);
  add_error (c, c->definition, g_string_free (msg, FALSE));
}

/* Whether @value holds a number that is not finite, at any depth. */
static gboolean
json_not_finite (JsonNode *value)
{
  switch (JSON_NODE_TYPE (value))
    {
    case JSON_NODE_VALUE:
      return json_node_get_value_type (value) == G_TYPE_DOUBLE && !isfinite (json_node_get_double (value));
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (value);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (json_not_finite (json_array_get_element (array, i)))
            return TRUE;
        return FALSE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (value));
        while (json_object_iter_next (&iter, NULL, &member))
          if (json_not_finite (member))
            return TRUE;
        return FALSE;
      }
    default:
      return FALSE;
    }
}

static gboolean
is_integral (JsonNode *value,
             double   *out)
{
  GType t;

  if (!JSON_NODE_HOLDS_VALUE (value))
    return FALSE;
  t = json_node_get_value_type (value);
  if (t == G_TYPE_INT64)
    {
      *out = (double) json_node_get_int (value);
      return TRUE;
    }
  if (t == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (value);

      *out = d;
      return isfinite (d) && floor (d) == d;
    }
  return FALSE;
}

static JsonNode *coerce (Coercion *c, JsonNode *value, BoughGqlType *type, GString *path);

static JsonNode *
coerce_leaf (Coercion     *c,
             JsonNode     *value,
             BoughGqlType *type,
             GString      *path)
{
  g_autofree char *shown = bough_gql_inspect_json (value);
  g_autofree char *reason = NULL;
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  GType t = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;
  double d;

  if (type->kind == BOUGH_GQL_TYPE_ENUM)
    {
      if (t != G_TYPE_STRING)
        {
          const char **names = g_new0 (const char *, type->enum_values->len + 1);
          g_autofree char *hint = NULL;

          for (guint i = 0; i < type->enum_values->len; i++)
            names[i] = ((BoughGqlEnumValue *) g_ptr_array_index (type->enum_values, i))->name;
          hint = _bough_gql_did_you_mean ("the enum value", _bough_gql_suggestion_list (shown, names));
          g_free (names);
          reason = g_strdup_printf ("Enum \"%s\" cannot represent non-string value: %s.%s", type->name, shown, hint);
        }
      else if (bough_gql_type_get_enum_value (type, json_node_get_string (value)) == NULL)
        {
          const char **names = g_new0 (const char *, type->enum_values->len + 1);
          g_autofree char *hint = NULL;

          for (guint i = 0; i < type->enum_values->len; i++)
            names[i] = ((BoughGqlEnumValue *) g_ptr_array_index (type->enum_values, i))->name;
          hint = _bough_gql_did_you_mean ("the enum value",
                                          _bough_gql_suggestion_list (json_node_get_string (value), names));
          g_free (names);
          reason = g_strdup_printf ("Value \"%s\" does not exist in \"%s\" enum.%s", json_node_get_string (value),
                                    type->name, hint);
        }
      else
        {
          json_node_set_string (node, json_node_get_string (value));
          return node;
        }
    }
  else if (strcmp (type->name, "Int") == 0)
    {
      if (!is_integral (value, &d))
        reason = g_strdup_printf ("Int cannot represent non-integer value: %s", shown);
      else if (d > G_MAXINT32 || d < G_MININT32)
        reason = g_strdup_printf ("Int cannot represent non 32-bit signed integer value: %s", shown);
      else
        {
          json_node_set_int (node, (gint64) d);
          return node;
        }
    }
  else if (strcmp (type->name, "Float") == 0)
    {
      if (t == G_TYPE_INT64 || (t == G_TYPE_DOUBLE && isfinite (json_node_get_double (value))))
        {
          json_node_set_double (node, json_node_get_double (value));
          return node;
        }
      reason = g_strdup_printf ("Float cannot represent non numeric value: %s", shown);
    }
  else if (strcmp (type->name, "String") == 0)
    {
      if (t == G_TYPE_STRING)
        {
          json_node_set_string (node, json_node_get_string (value));
          return node;
        }
      reason = g_strdup_printf ("String cannot represent a non string value: %s", shown);
    }
  else if (strcmp (type->name, "Boolean") == 0)
    {
      if (t == G_TYPE_BOOLEAN)
        {
          json_node_set_boolean (node, json_node_get_boolean (value));
          return node;
        }
      reason = g_strdup_printf ("Boolean cannot represent a non boolean value: %s", shown);
    }
  else if (strcmp (type->name, "ID") == 0)
    {
      if (t == G_TYPE_STRING)
        {
          json_node_set_string (node, json_node_get_string (value));
          return node;
        }
      if (is_integral (value, &d))
        {
          g_autofree char *s = _bough_gql_number_to_string (d);

          json_node_set_string (node, s);
          return node;
        }
      reason = g_strdup_printf ("ID cannot represent value: %s", shown);
    }
  else if (json_not_finite (value))
    /* json-glib reads 1e400 as infinity, which JSON cannot write back */
    reason = g_strdup_printf ("%s cannot represent non numeric value: %s", type->name, shown);
  else
    {
      /* custom scalars take any JSON */
      json_node_unref (node);
      return json_node_copy (value);
    }

  json_node_unref (node);
  invalid (c, path, value, reason);
  return NULL;
}

static JsonNode *
coerce (Coercion     *c,
        JsonNode     *value,
        BoughGqlType *type,
        GString      *path)
{
  if (type->kind == BOUGH_GQL_TYPE_NON_NULL)
    {
      if (!JSON_NODE_HOLDS_NULL (value))
        return coerce (c, value, type->of_type, path);
      {
        g_autofree char *t = bough_gql_type_to_string (type);
        g_autofree char *reason = g_strdup_printf ("Expected non-nullable type \"%s\" not to be null.", t);

        invalid (c, path, value, reason);
      }
      return NULL;
    }
  if (JSON_NODE_HOLDS_NULL (value))
    return json_node_new (JSON_NODE_NULL);

  if (type->kind == BOUGH_GQL_TYPE_LIST)
    {
      JsonArray *out;
      JsonNode *node;
      gboolean ok = TRUE;

      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          JsonNode *item = coerce (c, value, type->of_type, path);

          if (item == NULL)
            return NULL;
          out = json_array_new ();
          json_array_add_element (out, item);
        }
      else
        {
          JsonArray *in = json_node_get_array (value);

          out = json_array_new ();
          for (guint i = 0; i < json_array_get_length (in); i++)
            {
              gsize len = path->len;
              JsonNode *item;

              g_string_append_printf (path, "[%u]", i);
              item = coerce (c, json_array_get_element (in, i), type->of_type, path);
              g_string_truncate (path, len);
              if (item == NULL)
                ok = FALSE;
              else
                json_array_add_element (out, item);
            }
        }
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, out);
      if (!ok)
        {
          json_node_unref (node);
          return NULL;
        }
      return node;
    }

  if (type->kind == BOUGH_GQL_TYPE_INPUT_OBJECT)
    {
      JsonObject *in;
      JsonObject *out;
      JsonNode *node;
      gboolean ok = TRUE;
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (value))
        {
          g_autofree char *reason = g_strdup_printf ("Expected type \"%s\" to be an object.", type->name);

          invalid (c, path, value, reason);
          return NULL;
        }
      in = json_node_get_object (value);
      out = json_object_new ();
      for (guint f = 0; f < type->fields->len; f++)
        {
          BoughGqlField *field = g_ptr_array_index (type->fields, f);
          gsize len = path->len;
          JsonNode *coerced;

          if (!json_object_has_member (in, field->name))
            {
              JsonNode *def = bough_gql_field_default_json (field);

              if (def != NULL)
                json_object_set_member (out, field->name, def);
              else if (field->type->kind == BOUGH_GQL_TYPE_NON_NULL)
                {
                  g_autofree char *t = bough_gql_type_to_string (field->type);
                  g_autofree char *reason = g_strdup_printf ("Field \"%s\" of required type \"%s\" was not provided.",
                                                             field->name, t);

                  invalid (c, path, value, reason);
                  ok = FALSE;
                }
              continue;
            }
          g_string_append_printf (path, ".%s", field->name);
          coerced = coerce (c, json_object_get_member (in, field->name), field->type, path);
          g_string_truncate (path, len);
          if (coerced == NULL)
            ok = FALSE;
          else
            json_object_set_member (out, field->name, coerced);
        }
      members = json_object_get_members (in);
      for (GList *l = members; l != NULL; l = l->next)
        if (bough_gql_type_get_field (type, l->data) == NULL)
          {
            g_autofree const char **names = g_new0 (const char *, type->fields->len + 1);
            g_autofree char *hint = NULL;
            g_autofree char *reason = NULL;

            for (guint f = 0; f < type->fields->len; f++)
              names[f] = ((BoughGqlField *) g_ptr_array_index (type->fields, f))->name;
            hint = _bough_gql_did_you_mean (NULL, _bough_gql_suggestion_list (l->data, names));
            reason = g_strdup_printf ("Field \"%s\" is not defined by type \"%s\".%s", (char *) l->data,
                                      type->name, hint);
            invalid (c, path, value, reason);
            ok = FALSE;
          }
      if (type->one_of)
        {
          /* graphql-js counts every field given or defaulted, even one that
           * failed to coerce, and checks the first for null */
          guint n_keys = 0;
          BoughGqlField *first = NULL;

          for (guint f = 0; f < type->fields->len; f++)
            {
              BoughGqlField *field = g_ptr_array_index (type->fields, f);

              if (json_object_has_member (in, field->name) || field->default_value != NULL)
                {
                  if (n_keys++ == 0)
                    first = field;
                }
            }
          if (n_keys != 1)
            {
              g_autofree char *reason = g_strdup_printf ("Exactly one key must be specified for OneOf type \"%s\".",
                                                         type->name);

              invalid (c, path, value, reason);
              ok = FALSE;
            }
          if (first != NULL && json_object_has_member (out, first->name) &&
              JSON_NODE_HOLDS_NULL (json_object_get_member (out, first->name)))
            {
              g_autofree char *reason = g_strdup_printf ("Field \"%s\" must be non-null.", first->name);
              gsize len = path->len;

              g_string_append_printf (path, ".%s", first->name);
              invalid (c, path, json_object_get_member (out, first->name), reason);
              g_string_truncate (path, len);
              ok = FALSE;
            }
        }
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, out);
      if (!ok)
        {
          json_node_unref (node);
          return NULL;
        }
      return node;
    }

  return coerce_leaf (c, value, type, path);
}

/**
 * bough_gql_coerce_variables:
 * @schema: the schema
 * @operation: the (validated) operation to run
 * @inputs: (nullable): the request's `variables`
 * @errors: (out) (transfer full) (element-type BoughGqlError): the errors, set when %NULL is returned
 *
 * Coerces the variables of a request to the types the operation declares,
 * filling in defaults, with graphql-js's messages ("Variable \"$id\" of
 * required type \"ID!\" was not provided.").
 *
 * Returns: (transfer full) (nullable): the coerced variables, %NULL on errors
 */
JsonObject *
bough_gql_coerce_variables (BoughGqlSchema     *schema,
                            const BoughGqlNode *operation,
                            JsonObject         *inputs,
                            GPtrArray         **errors)
{
  Coercion c = { g_ptr_array_new_with_free_func ((GDestroyNotify) bough_gql_error_free), NULL, FALSE };
  JsonObject *out = json_object_new ();
  g_autoptr(GString) path = g_string_new (NULL);

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (operation != NULL && operation->kind == BOUGH_GQL_OPERATION_DEFINITION, NULL);
  g_return_val_if_fail (errors != NULL, NULL);

  for (const BoughGqlNode *def = operation->variables; def != NULL && !c.aborted; def = def->next)
    {
      BoughGqlType *type = bough_gql_schema_type_from_ast (schema, def->type);
      g_autofree char *tstr = NULL;
      JsonNode *value;
      JsonNode *coerced;

      c.definition = def;
      if (type == NULL || !bough_gql_type_is_input (type))
        {
          g_autofree char *printed = bough_gql_print (def->type);

          add_error (&c, def->type,
                     g_strdup_printf ("Variable \"$%s\" expected value of type \"%s\" which cannot be used as an input type.",
                                      def->name, printed));
          continue;
        }
      tstr = bough_gql_type_to_string (type);
      if (inputs == NULL || !json_object_has_member (inputs, def->name))
        {
          if (def->value != NULL)
            {
              JsonNode *v = bough_gql_value_from_literal (type, def->value, NULL);

              if (v != NULL)
                json_object_set_member (out, def->name, v);
            }
          else if (type->kind == BOUGH_GQL_TYPE_NON_NULL)
            add_error (&c, def, g_strdup_printf ("Variable \"$%s\" of required type \"%s\" was not provided.",
                                                 def->name, tstr));
          continue;
        }
      value = json_object_get_member (inputs, def->name);
      if (JSON_NODE_HOLDS_NULL (value) && type->kind == BOUGH_GQL_TYPE_NON_NULL)
        {
          add_error (&c, def, g_strdup_printf ("Variable \"$%s\" of non-null type \"%s\" must not be null.",
                                               def->name, tstr));
          continue;
        }
      g_string_truncate (path, 0);
      coerced = coerce (&c, value, type, path);
      if (coerced != NULL)
        json_object_set_member (out, def->name, coerced);
    }

  if (c.errors->len > 0)
    {
      json_object_unref (out);
      *errors = c.errors;
      return NULL;
    }
  g_ptr_array_unref (c.errors);
  *errors = NULL;
  return out;
}
