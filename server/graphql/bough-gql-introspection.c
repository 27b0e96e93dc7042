/* bough-gql-introspection.c: answers __schema, __type and __typename from a BoughGqlSchema.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-gql-introspection.h"
#include "bough-gql-parser.h"

const char bough_gql_introspection_query[] =
  "query IntrospectionQuery {\n"
  "  __schema {\n"
  "    description\n"
  "    queryType { name }\n"
  "    mutationType { name }\n"
  "    subscriptionType { name }\n"
  "    types { ...FullType }\n"
  "    directives {\n"
  "      name\n"
  "      description\n"
  "      isRepeatable\n"
  "      locations\n"
  "      args(includeDeprecated: true) { ...InputValue }\n"
  "    }\n"
  "  }\n"
  "}\n"
  "fragment FullType on __Type {\n"
  "  kind\n"
  "  name\n"
  "  description\n"
  "  specifiedByURL\n"
  "  isOneOf\n"
  "  fields(includeDeprecated: true) {\n"
  "    name\n"
  "    description\n"
  "    args(includeDeprecated: true) { ...InputValue }\n"
  "    type { ...TypeRef }\n"
  "    isDeprecated\n"
  "    deprecationReason\n"
  "  }\n"
  "  inputFields(includeDeprecated: true) { ...InputValue }\n"
  "  interfaces { ...TypeRef }\n"
  "  enumValues(includeDeprecated: true) {\n"
  "    name\n"
  "    description\n"
  "    isDeprecated\n"
  "    deprecationReason\n"
  "  }\n"
  "  possibleTypes { ...TypeRef }\n"
  "}\n"
  "fragment InputValue on __InputValue {\n"
  "  name\n"
  "  description\n"
  "  type { ...TypeRef }\n"
  "  defaultValue\n"
  "  isDeprecated\n"
  "  deprecationReason\n"
  "}\n"
  "fragment TypeRef on __Type {\n"
  "  kind name ofType { kind name ofType { kind name ofType { kind name ofType {\n"
  "  kind name ofType { kind name ofType { kind name ofType { kind name ofType {\n"
  "  kind name } } } } } } } }\n"
  "}\n";

typedef enum
{
  OBJ_SCHEMA,
  OBJ_TYPE,
  OBJ_FIELD,
  OBJ_INPUT_VALUE,
  OBJ_ENUM_VALUE,
  OBJ_DIRECTIVE,
} ObjKind;

static const char * const obj_type_names[] = {
  "__Schema", "__Type", "__Field", "__InputValue", "__EnumValue", "__Directive",
};

typedef struct
{
  BoughGqlSchema *schema;
  GHashTable *fragments;        /* name → FRAGMENT_DEFINITION node */
  JsonObject *variables;
  guint depth;
} Ctx;

/* Arguments: a literal, or a variable looked up in the request's variables. */
static const BoughGqlNode *
find_argument (const BoughGqlNode *args,
               const char         *name)
{
  for (; args != NULL; args = args->next)
    if (strcmp (args->name, name) == 0)
      return args->value;
  return NULL;
}

static gboolean
arg_boolean (const BoughGqlNode *args,
             const char         *name,
             JsonObject         *variables,
             gboolean            fallback)
{
  const BoughGqlNode *value = find_argument (args, name);

  if (value == NULL)
    return fallback;
  if (value->kind == BOUGH_GQL_BOOLEAN_VALUE)
    return value->boolean;
  if (value->kind == BOUGH_GQL_VARIABLE && variables != NULL &&
      json_object_has_member (variables, value->name))
    {
      JsonNode *v = json_object_get_member (variables, value->name);

      if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_BOOLEAN)
        return json_node_get_boolean (v);
    }
  return fallback;
}

static const char *
arg_string (const BoughGqlNode *args,
            const char         *name,
            JsonObject         *variables)
{
  const BoughGqlNode *value = find_argument (args, name);

  if (value == NULL)
    return NULL;
  if (value->kind == BOUGH_GQL_STRING_VALUE)
    return value->text;
  if (value->kind == BOUGH_GQL_VARIABLE && variables != NULL &&
      json_object_has_member (variables, value->name))
    {
      JsonNode *v = json_object_get_member (variables, value->name);

      if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
        return json_node_get_string (v);
    }
  return NULL;
}

/**
 * bough_gql_directives_include:
 *
 * Whether @skip and @include let a selection through.
 */
gboolean
bough_gql_directives_include (const BoughGqlNode *directives,
                              JsonObject         *variables)
{
  for (const BoughGqlNode *d = directives; d != NULL; d = d->next)
    {
      if (strcmp (d->name, "skip") == 0 && arg_boolean (d->arguments, "if", variables, FALSE))
        return FALSE;
      if (strcmp (d->name, "include") == 0 && !arg_boolean (d->arguments, "if", variables, TRUE))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *key;
  GPtrArray *fields;            /* of const BoughGqlNode FIELD */
} Grouped;

static void
grouped_free (gpointer data)
{
  Grouped *g = data;

  g_ptr_array_unref (g->fields);
  g_free (g);
}

/* CollectFields of the specification, for a concrete introspection type. */
static void
collect_fields (Ctx                *ctx,
                const char         *type_name,
                const BoughGqlNode *selection_set,
                GPtrArray          *groups,
                GHashTable         *by_key,
                GHashTable         *visited)
{
  for (const BoughGqlNode *s = selection_set->children; s != NULL; s = s->next)
    {
      if (!bough_gql_directives_include (s->directives, ctx->variables))
        continue;
      switch (s->kind)
        {
        case BOUGH_GQL_FIELD:
          {
            const char *key = s->alias != NULL ? s->alias : s->name;
            Grouped *g = g_hash_table_lookup (by_key, key);

            if (g == NULL)
              {
                g = g_new0 (Grouped, 1);
                g->key = key;
                g->fields = g_ptr_array_new ();
                g_ptr_array_add (groups, g);
                g_hash_table_insert (by_key, (gpointer) key, g);
              }
            g_ptr_array_add (g->fields, (gpointer) s);
          }
          break;
        case BOUGH_GQL_INLINE_FRAGMENT:
          if (s->type == NULL || strcmp (s->type->name, type_name) == 0)
            collect_fields (ctx, type_name, s->selection_set, groups, by_key, visited);
          break;
        case BOUGH_GQL_FRAGMENT_SPREAD:
          {
            const BoughGqlNode *frag;

            if (g_hash_table_contains (visited, s->name))
              break;
            g_hash_table_add (visited, (gpointer) s->name);
            frag = ctx->fragments ? g_hash_table_lookup (ctx->fragments, s->name) : NULL;
            if (frag != NULL && strcmp (frag->type->name, type_name) == 0)
              collect_fields (ctx, type_name, frag->selection_set, groups, by_key, visited);
          }
          break;
        default:
          break;
        }
    }
}

static JsonNode *complete_object (Ctx *ctx, ObjKind kind, gpointer obj, GPtrArray *fields);

static JsonNode *
null_node (void)
{
  return json_node_new (JSON_NODE_NULL);
}

static JsonNode *
string_node (const char *s)
{
  JsonNode *n;

  if (s == NULL)
    return null_node ();
  n = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (n, s);
  return n;
}

static JsonNode *
bool_node (gboolean b)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (n, b);
  return n;
}

static JsonNode *
object_or_null (Ctx       *ctx,
                ObjKind    kind,
                gpointer   obj,
                GPtrArray *fields)
{
  if (obj == NULL)
    return null_node ();
  return complete_object (ctx, kind, obj, fields);
}

/* A list of objects from a GPtrArray, filtering deprecated ones unless asked. */
static JsonNode *
object_list (Ctx       *ctx,
             ObjKind    kind,
             GPtrArray *items,
             GPtrArray *fields,
             gboolean   include_deprecated)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);
      gboolean deprecated = FALSE;

      if (kind == OBJ_FIELD || kind == OBJ_INPUT_VALUE)
        deprecated = ((BoughGqlField *) item)->deprecated;
      else if (kind == OBJ_ENUM_VALUE)
        deprecated = ((BoughGqlEnumValue *) item)->deprecated;
      if (deprecated && !include_deprecated)
        continue;
      if (kind == OBJ_TYPE && ((BoughGqlType *) item)->name == NULL)
        continue;
      json_array_add_element (array, complete_object (ctx, kind, item, fields));
    }
  json_node_take_array (node, array);
  return node;
}

static const char *
kind_name (BoughGqlTypeKind kind)
{
  static const char * const names[] = {
    "SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT", "LIST", "NON_NULL",
  };

  return names[kind];
}

static JsonNode *
resolve (Ctx                *ctx,
         ObjKind             kind,
         gpointer            obj,
         const BoughGqlNode *field,
         GPtrArray          *fields)
{
  const char *name = field->name;
  JsonObject *vars = ctx->variables;
  gboolean include_deprecated = arg_boolean (field->arguments, "includeDeprecated", vars, FALSE);

  if (strcmp (name, "__typename") == 0)
    return string_node (obj_type_names[kind]);

  switch (kind)
    {
    case OBJ_SCHEMA:
      {
        BoughGqlSchema *schema = obj;

        if (strcmp (name, "description") == 0)
          return string_node (schema->description);
        if (strcmp (name, "types") == 0)
          return object_list (ctx, OBJ_TYPE, schema->types, fields, TRUE);
        if (strcmp (name, "queryType") == 0)
          return object_or_null (ctx, OBJ_TYPE, schema->query_type, fields);
        if (strcmp (name, "mutationType") == 0)
          return object_or_null (ctx, OBJ_TYPE, schema->mutation_type, fields);
        if (strcmp (name, "subscriptionType") == 0)
          return object_or_null (ctx, OBJ_TYPE, schema->subscription_type, fields);
        if (strcmp (name, "directives") == 0)
          return object_list (ctx, OBJ_DIRECTIVE, schema->directives, fields, TRUE);
        break;
      }
    case OBJ_TYPE:
      {
        BoughGqlType *type = obj;
        gboolean has_fields = type->kind == BOUGH_GQL_TYPE_OBJECT || type->kind == BOUGH_GQL_TYPE_INTERFACE;

        if (strcmp (name, "kind") == 0)
          return string_node (kind_name (type->kind));
        if (strcmp (name, "name") == 0)
          return string_node (type->name);
        if (strcmp (name, "description") == 0)
          return string_node (type->description);
        if (strcmp (name, "specifiedByURL") == 0)
          return string_node (type->specified_by_url);
        if (strcmp (name, "fields") == 0)
          return has_fields ? object_list (ctx, OBJ_FIELD, type->fields, fields, include_deprecated)
                            : null_node ();
        if (strcmp (name, "interfaces") == 0)
          return has_fields ? object_list (ctx, OBJ_TYPE, type->interfaces, fields, TRUE) : null_node ();
        if (strcmp (name, "possibleTypes") == 0)
          return bough_gql_type_is_abstract (type)
            ? object_list (ctx, OBJ_TYPE, type->possible_types, fields, TRUE) : null_node ();
        if (strcmp (name, "enumValues") == 0)
          return type->kind == BOUGH_GQL_TYPE_ENUM
            ? object_list (ctx, OBJ_ENUM_VALUE, type->enum_values, fields, include_deprecated)
            : null_node ();
        if (strcmp (name, "inputFields") == 0)
          return type->kind == BOUGH_GQL_TYPE_INPUT_OBJECT
            ? object_list (ctx, OBJ_INPUT_VALUE, type->fields, fields, include_deprecated) : null_node ();
        if (strcmp (name, "ofType") == 0)
          return object_or_null (ctx, OBJ_TYPE, type->of_type, fields);
        if (strcmp (name, "isOneOf") == 0)
          return type->kind == BOUGH_GQL_TYPE_INPUT_OBJECT ? bool_node (type->one_of) : null_node ();
        break;
      }
    case OBJ_FIELD:
    case OBJ_INPUT_VALUE:
      {
        BoughGqlField *f = obj;

        if (strcmp (name, "name") == 0)
          return string_node (f->name);
        if (strcmp (name, "description") == 0)
          return string_node (f->description);
        if (strcmp (name, "args") == 0 && kind == OBJ_FIELD)
          return object_list (ctx, OBJ_INPUT_VALUE, f->args, fields, include_deprecated);
        if (strcmp (name, "type") == 0)
          return complete_object (ctx, OBJ_TYPE, f->type, fields);
        if (strcmp (name, "defaultValue") == 0 && kind == OBJ_INPUT_VALUE)
          return string_node (f->default_value);
        if (strcmp (name, "isDeprecated") == 0)
          return bool_node (f->deprecated);
        if (strcmp (name, "deprecationReason") == 0)
          return string_node (f->deprecated ? f->deprecation_reason : NULL);
        break;
      }
    case OBJ_ENUM_VALUE:
      {
        BoughGqlEnumValue *v = obj;

        if (strcmp (name, "name") == 0)
          return string_node (v->name);
        if (strcmp (name, "description") == 0)
          return string_node (v->description);
        if (strcmp (name, "isDeprecated") == 0)
          return bool_node (v->deprecated);
        if (strcmp (name, "deprecationReason") == 0)
          return string_node (v->deprecated ? v->deprecation_reason : NULL);
        break;
      }
    case OBJ_DIRECTIVE:
      {
        BoughGqlDirective *d = obj;

        if (strcmp (name, "name") == 0)
          return string_node (d->name);
        if (strcmp (name, "description") == 0)
          return string_node (d->description);
        if (strcmp (name, "isRepeatable") == 0)
          return bool_node (d->repeatable);
        if (strcmp (name, "locations") == 0)
          {
            JsonArray *array = json_array_new ();
            JsonNode *node = json_node_new (JSON_NODE_ARRAY);

            for (guint i = 0; i < d->n_locations; i++)
              json_array_add_string_element (array,
                                             bough_gql_directive_location_name (1u << d->location_order[i]));
            json_node_take_array (node, array);
            return node;
          }
        if (strcmp (name, "args") == 0)
          return object_list (ctx, OBJ_INPUT_VALUE, d->args, fields, include_deprecated);
        break;
      }
    default:
      break;
    }
  /* validation rejects unknown fields before execution */
  return null_node ();
}

static JsonNode *
complete_object (Ctx       *ctx,
                 ObjKind    kind,
                 gpointer   obj,
                 GPtrArray *fields)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (grouped_free);
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *result = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  /* The parser bounds the nesting of documents; this bounds it again for
   * callers that turned that limit off. */
  if (ctx->depth >= BOUGH_GQL_HARD_MAX_DEPTH)
    {
      json_object_unref (result);
      json_node_free (node);
      return null_node ();
    }
  ctx->depth++;
  for (guint i = 0; i < fields->len; i++)
    {
      const BoughGqlNode *f = g_ptr_array_index (fields, i);

      if (f->selection_set != NULL)
        collect_fields (ctx, obj_type_names[kind], f->selection_set, groups, by_key, visited);
    }
  for (guint i = 0; i < groups->len; i++)
    {
      Grouped *g = g_ptr_array_index (groups, i);
      const BoughGqlNode *first = g_ptr_array_index (g->fields, 0);

      json_object_set_member (result, g->key, resolve (ctx, kind, obj, first, g->fields));
    }
  ctx->depth--;
  json_node_take_object (node, result);
  return node;
}

/**
 * bough_gql_value_to_json:
 * @value: a value literal
 * @variables: (nullable): the request's variables, for variables inside @value
 *
 * Converts a literal to JSON, without coercion (numbers stay as written:
 * integers as int64 when they fit, others as double). Unknown variables
 * become null.
 *
 * Returns: (transfer full): the value
 */
JsonNode *
bough_gql_value_to_json (const BoughGqlNode *value,
                         JsonObject         *variables)
{
  JsonNode *node;

  g_return_val_if_fail (value != NULL, NULL);

  switch (value->kind)
    {
    case BOUGH_GQL_VARIABLE:
      if (variables != NULL && json_object_has_member (variables, value->name))
        return json_node_copy (json_object_get_member (variables, value->name));
      return json_node_new (JSON_NODE_NULL);
    case BOUGH_GQL_INT_VALUE:
      {
        char *end = NULL;
        gint64 i = g_ascii_strtoll (value->text, &end, 10);

        node = json_node_new (JSON_NODE_VALUE);
        if (end != NULL && *end == '\0' && i != G_MAXINT64 && i != G_MININT64)
          json_node_set_int (node, i);
        else
          json_node_set_double (node, g_ascii_strtod (value->text, NULL));
        return node;
      }
    case BOUGH_GQL_FLOAT_VALUE:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_double (node, g_ascii_strtod (value->text, NULL));
      return node;
    case BOUGH_GQL_STRING_VALUE:
    case BOUGH_GQL_ENUM_VALUE:
      return string_node (value->text);
    case BOUGH_GQL_BOOLEAN_VALUE:
      return bool_node (value->boolean);
    case BOUGH_GQL_NULL_VALUE:
      return null_node ();
    case BOUGH_GQL_LIST_VALUE:
      {
        JsonArray *array = json_array_new ();

        for (const BoughGqlNode *i = value->children; i != NULL; i = i->next)
          json_array_add_element (array, bough_gql_value_to_json (i, variables));
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        return node;
      }
    case BOUGH_GQL_OBJECT_VALUE:
      {
        JsonObject *object = json_object_new ();

        for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
          json_object_set_member (object, f->name, bough_gql_value_to_json (f->value, variables));
        node = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (node, object);
        return node;
      }
    default:
      g_return_val_if_reached (null_node ());
    }
}

/**
 * bough_gql_introspection_resolve:
 * @field: a root field named `__schema` or `__type`
 *
 * Resolves one introspection root field with its selection set; the executor
 * calls this for meta fields of the query root.
 *
 * Returns: (transfer full): the field's value
 */
JsonNode *
bough_gql_introspection_resolve (BoughGqlSchema     *schema,
                                 const BoughGqlNode *field,
                                 GHashTable         *fragments,
                                 JsonObject         *variables)
{
  Ctx ctx = { schema, fragments, variables, 0 };
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (field != NULL && field->kind == BOUGH_GQL_FIELD, NULL);

  g_ptr_array_add (fields, (gpointer) field);
  if (strcmp (field->name, "__schema") == 0)
    return complete_object (&ctx, OBJ_SCHEMA, schema, fields);
  if (strcmp (field->name, "__type") == 0)
    {
      const char *name = arg_string (field->arguments, "name", variables);
      BoughGqlType *type = name ? bough_gql_schema_get_type (schema, name) : NULL;

      return object_or_null (&ctx, OBJ_TYPE, type, fields);
    }
  return null_node ();
}

/**
 * bough_gql_introspection_execute:
 *
 * Executes a query whose root fields are all meta fields (`__schema`,
 * `__type`, `__typename`). The document must have passed validation.
 *
 * Returns: (transfer full) (nullable): the `data` object
 */
JsonNode *
bough_gql_introspection_execute (BoughGqlSchema     *schema,
                                 const BoughGqlNode *document,
                                 const char         *operation_name,
                                 JsonObject         *variables,
                                 GError            **error)
{
  g_autoptr(GHashTable) fragments = g_hash_table_new (g_str_hash, g_str_equal);
  const BoughGqlNode *operation = NULL;
  Ctx ctx = { schema, fragments, variables, 0 };
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (grouped_free);
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) owned_variables = NULL;
  JsonObject *data;
  JsonNode *node;

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (document != NULL, NULL);

  for (const BoughGqlNode *d = document->children; d != NULL; d = d->next)
    {
      if (d->kind == BOUGH_GQL_FRAGMENT_DEFINITION)
        g_hash_table_insert (fragments, (gpointer) d->name, (gpointer) d);
      else if (d->kind == BOUGH_GQL_OPERATION_DEFINITION &&
               (operation_name == NULL || g_strcmp0 (d->name, operation_name) == 0))
        {
          if (operation != NULL && operation_name == NULL)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                           "Must provide operation name if query contains multiple operations.");
              return NULL;
            }
          operation = d;
        }
    }
  if (operation == NULL)
    {
      if (operation_name != NULL)
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Unknown operation named \"%s\".",
                     operation_name);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Must provide an operation.");
      return NULL;
    }

  /* variables the request left out take their defaults */
  if (operation->variables != NULL)
    {
      JsonObject *merged = json_object_new ();

      if (variables != NULL)
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          json_object_iter_init (&iter, variables);
          while (json_object_iter_next (&iter, &name, &value))
            json_object_set_member (merged, name, json_node_copy (value));
        }
      for (const BoughGqlNode *d = operation->variables; d != NULL; d = d->next)
        if (d->value != NULL && !json_object_has_member (merged, d->name))
          json_object_set_member (merged, d->name, bough_gql_value_to_json (d->value, NULL));
      variables = owned_variables = merged;
      ctx.variables = variables;
    }

  {
    BoughGqlType *root = bough_gql_schema_get_root_type (schema, operation->operation);

    if (root == NULL)
      {
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                     "Schema is not configured to execute %s operation.",
                     bough_gql_operation_type_to_string (operation->operation));
        return NULL;
      }
    collect_fields (&ctx, root->name, operation->selection_set, groups, by_key, visited);
    data = json_object_new ();
    for (guint i = 0; i < groups->len; i++)
      {
        Grouped *g = g_ptr_array_index (groups, i);
        const BoughGqlNode *first = g_ptr_array_index (g->fields, 0);
        JsonNode *value;

        if (strcmp (first->name, "__typename") == 0)
          value = string_node (root->name);
        else if (strcmp (first->name, "__schema") == 0 || strcmp (first->name, "__type") == 0)
          {
            Ctx sub = { schema, fragments, variables, 0 };

            if (strcmp (first->name, "__schema") == 0)
              value = complete_object (&sub, OBJ_SCHEMA, schema, g->fields);
            else
              {
                const char *name = arg_string (first->arguments, "name", variables);
                BoughGqlType *type = name ? bough_gql_schema_get_type (schema, name) : NULL;

                value = object_or_null (&sub, OBJ_TYPE, type, g->fields);
              }
          }
        else
          {
            json_object_unref (data);
            g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_UNSUPPORTED,
                         "Field \"%s\" is not an introspection field.", first->name);
            return NULL;
          }
        json_object_set_member (data, g->key, value);
      }
  }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, data);
  return node;
}

/**
 * bough_gql_introspect:
 *
 * Runs the full introspection query over @schema.
 *
 * Returns: (transfer full): `{"__schema": ...}`, the `data` of the response
 */
JsonNode *
bough_gql_introspect (BoughGqlSchema *schema)
{
  g_autoptr(BoughGqlDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *result;

  g_return_val_if_fail (schema != NULL, NULL);

  doc = bough_gql_parse (bough_gql_introspection_query, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  result = bough_gql_introspection_execute (schema, doc->root, NULL, NULL, &error);
  g_assert_no_error (error);
  return result;
}
