/* bough-gql-schema.c: the GraphQL type system: built-ins, construction from code or SDL, printing.
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

#include "bough-error.h"
#include "bough-gql-parser.h"
#include "bough-gql-printer.h"
#include "bough-gql-private.h"
#include "bough-gql-schema.h"

#define DEFAULT_DEPRECATION_REASON "No longer supported"

/* The introspection types of the October 2021 specification (plus isOneOf of
 * input objects), written in SDL and built by the same code as user schemas. */
static const char introspection_sdl[] =
  "\"\"\"The whole schema as a client sees it.\"\"\"\n"
  "type __Schema {\n"
  "  description: String\n"
  "  \"\"\"Every type the schema knows, built-ins included.\"\"\"\n"
  "  types: [__Type!]!\n"
  "  \"\"\"The root type of queries.\"\"\"\n"
  "  queryType: __Type!\n"
  "  \"\"\"The root type of mutations, if any.\"\"\"\n"
  "  mutationType: __Type\n"
  "  \"\"\"The root type of subscriptions, if any.\"\"\"\n"
  "  subscriptionType: __Type\n"
  "  \"\"\"The directives the schema accepts.\"\"\"\n"
  "  directives: [__Directive!]!\n"
  "}\n"
  "\"\"\"A named type or a wrapper (list, non-null) around one.\"\"\"\n"
  "type __Type {\n"
  "  kind: __TypeKind!\n"
  "  name: String\n"
  "  description: String\n"
  "  specifiedByURL: String\n"
  "  fields(includeDeprecated: Boolean = false): [__Field!]\n"
  "  interfaces: [__Type!]\n"
  "  possibleTypes: [__Type!]\n"
  "  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]\n"
  "  inputFields(includeDeprecated: Boolean = false): [__InputValue!]\n"
  "  ofType: __Type\n"
  "  isOneOf: Boolean\n"
  "}\n"
  "\"\"\"The kinds of __Type.\"\"\"\n"
  "enum __TypeKind {\n"
  "  \"\"\"A leaf with a serialized form.\"\"\"\n"
  "  SCALAR\n"
  "  \"\"\"A type with fields.\"\"\"\n"
  "  OBJECT\n"
  "  \"\"\"An abstract type with fields, implemented by objects and interfaces.\"\"\"\n"
  "  INTERFACE\n"
  "  \"\"\"An abstract type, one of a set of objects.\"\"\"\n"
  "  UNION\n"
  "  \"\"\"A leaf with a closed set of values.\"\"\"\n"
  "  ENUM\n"
  "  \"\"\"An input with fields.\"\"\"\n"
  "  INPUT_OBJECT\n"
  "  \"\"\"A list of another type.\"\"\"\n"
  "  LIST\n"
  "  \"\"\"Another type that cannot be null.\"\"\"\n"
  "  NON_NULL\n"
  "}\n"
  "\"\"\"A field of an object or interface.\"\"\"\n"
  "type __Field {\n"
  "  name: String!\n"
  "  description: String\n"
  "  args(includeDeprecated: Boolean = false): [__InputValue!]!\n"
  "  type: __Type!\n"
  "  isDeprecated: Boolean!\n"
  "  deprecationReason: String\n"
  "}\n"
  "\"\"\"An argument or an input object field.\"\"\"\n"
  "type __InputValue {\n"
  "  name: String!\n"
  "  description: String\n"
  "  type: __Type!\n"
  "  \"\"\"The default value as a GraphQL literal.\"\"\"\n"
  "  defaultValue: String\n"
  "  isDeprecated: Boolean!\n"
  "  deprecationReason: String\n"
  "}\n"
  "\"\"\"A value of an enum.\"\"\"\n"
  "type __EnumValue {\n"
  "  name: String!\n"
  "  description: String\n"
  "  isDeprecated: Boolean!\n"
  "  deprecationReason: String\n"
  "}\n"
  "\"\"\"A directive the schema accepts.\"\"\"\n"
  "type __Directive {\n"
  "  name: String!\n"
  "  description: String\n"
  "  isRepeatable: Boolean!\n"
  "  locations: [__DirectiveLocation!]!\n"
  "  args(includeDeprecated: Boolean = false): [__InputValue!]!\n"
  "}\n"
  "\"\"\"Where a directive may appear.\"\"\"\n"
  "enum __DirectiveLocation {\n"
  "  QUERY\n  MUTATION\n  SUBSCRIPTION\n  FIELD\n  FRAGMENT_DEFINITION\n  FRAGMENT_SPREAD\n"
  "  INLINE_FRAGMENT\n  VARIABLE_DEFINITION\n  SCHEMA\n  SCALAR\n  OBJECT\n  FIELD_DEFINITION\n"
  "  ARGUMENT_DEFINITION\n  INTERFACE\n  UNION\n  ENUM\n  ENUM_VALUE\n  INPUT_OBJECT\n"
  "  INPUT_FIELD_DEFINITION\n"
  "}\n";

static const char * const location_names[BOUGH_GQL_N_DIRECTIVE_LOCATIONS] = {
  "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD",
  "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
  "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
  "INPUT_FIELD_DEFINITION",
};

const char *
bough_gql_directive_location_name (BoughGqlDirectiveLocation location)
{
  for (guint i = 0; i < BOUGH_GQL_N_DIRECTIVE_LOCATIONS; i++)
    if (location == (1u << i))
      return location_names[i];
  g_return_val_if_reached (NULL);
}

static guint
location_from_name (const char *name)
{
  for (guint i = 0; i < BOUGH_GQL_N_DIRECTIVE_LOCATIONS; i++)
    if (strcmp (name, location_names[i]) == 0)
      return 1u << i;
  return 0;
}

static void
field_free (gpointer data)
{
  BoughGqlField *field = data;

  g_free (field->name);
  g_free (field->description);
  g_clear_pointer (&field->args, g_ptr_array_unref);
  g_free (field->default_value);
  g_free (field->deprecation_reason);
  g_free (field);
}

static void
enum_value_free (gpointer data)
{
  BoughGqlEnumValue *value = data;

  g_free (value->name);
  g_free (value->description);
  g_free (value->deprecation_reason);
  g_free (value);
}

static void
type_free (gpointer data)
{
  BoughGqlType *type = data;

  g_free (type->name);
  g_free (type->description);
  g_free (type->specified_by_url);
  g_clear_pointer (&type->fields, g_ptr_array_unref);
  g_clear_pointer (&type->field_index, g_hash_table_unref);
  g_clear_pointer (&type->interfaces, g_ptr_array_unref);
  g_clear_pointer (&type->possible_types, g_ptr_array_unref);
  g_clear_pointer (&type->enum_values, g_ptr_array_unref);
  g_free (type);
}

static void
directive_free (gpointer data)
{
  BoughGqlDirective *directive = data;

  g_free (directive->name);
  g_free (directive->description);
  g_ptr_array_unref (directive->args);
  g_free (directive);
}

static GPtrArray *
args_new (void)
{
  return g_ptr_array_new_with_free_func (field_free);
}

BoughGqlField *
bough_gql_args_add (GPtrArray    *args,
                    const char   *name,
                    BoughGqlType *type,
                    const char   *default_value,
                    const char   *description)
{
  BoughGqlField *arg;

  g_return_val_if_fail (args != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);

  arg = g_new0 (BoughGqlField, 1);
  arg->name = g_strdup (name);
  arg->type = type;
  arg->default_value = g_strdup (default_value);
  arg->description = g_strdup (description);
  arg->args = args_new ();
  g_ptr_array_add (args, arg);
  return arg;
}

BoughGqlField *
bough_gql_args_find (GPtrArray  *args,
                     const char *name)
{
  g_return_val_if_fail (args != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < args->len; i++)
    {
      BoughGqlField *arg = g_ptr_array_index (args, i);

      if (strcmp (arg->name, name) == 0)
        return arg;
    }
  return NULL;
}

BoughGqlType *
bough_gql_schema_add_type (BoughGqlSchema   *schema,
                           BoughGqlTypeKind  kind,
                           const char       *name,
                           const char       *description)
{
  BoughGqlType *type;

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (kind != BOUGH_GQL_TYPE_LIST && kind != BOUGH_GQL_TYPE_NON_NULL, NULL);
  g_return_val_if_fail (g_hash_table_lookup (schema->type_index, name) == NULL, NULL);

  type = g_new0 (BoughGqlType, 1);
  type->kind = kind;
  type->name = g_strdup (name);
  type->description = g_strdup (description);
  type->fields = args_new ();
  type->field_index = g_hash_table_new (g_str_hash, g_str_equal);
  type->interfaces = g_ptr_array_new ();
  type->possible_types = g_ptr_array_new ();
  type->enum_values = g_ptr_array_new_with_free_func (enum_value_free);
  g_ptr_array_add (schema->types, type);
  g_hash_table_insert (schema->type_index, type->name, type);
  return type;
}

BoughGqlType *
bough_gql_schema_get_type (BoughGqlSchema *schema,
                           const char     *name)
{
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (schema->type_index, name);
}

static BoughGqlType *
wrapper_new (BoughGqlSchema   *schema,
             BoughGqlTypeKind  kind,
             BoughGqlType     *inner)
{
  BoughGqlType *type = g_new0 (BoughGqlType, 1);

  type->kind = kind;
  type->of_type = inner;
  g_ptr_array_add (schema->wrappers, type);
  return type;
}

static BoughGqlType *
cached_wrapper (BoughGqlSchema    *schema,
                BoughGqlType     **slot,
                BoughGqlTypeKind   kind,
                BoughGqlType      *inner)
{
  BoughGqlType *wrapper = g_atomic_pointer_get (slot);

  if (wrapper != NULL)
    return wrapper;
  g_mutex_lock (&schema->wrappers_lock);
  wrapper = *slot;
  if (wrapper == NULL)
    {
      wrapper = wrapper_new (schema, kind, inner);
      g_atomic_pointer_set (slot, wrapper);
    }
  g_mutex_unlock (&schema->wrappers_lock);
  return wrapper;
}

BoughGqlType *
bough_gql_schema_list_of (BoughGqlSchema *schema,
                          BoughGqlType   *type)
{
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);

  return cached_wrapper (schema, &type->list_wrapper, BOUGH_GQL_TYPE_LIST, type);
}

BoughGqlType *
bough_gql_schema_non_null (BoughGqlSchema *schema,
                           BoughGqlType   *type)
{
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (type->kind != BOUGH_GQL_TYPE_NON_NULL, type);

  return cached_wrapper (schema, &type->non_null_wrapper, BOUGH_GQL_TYPE_NON_NULL, type);
}

/**
 * bough_gql_schema_type_from_ast:
 *
 * Returns: (transfer none) (nullable): the type a type reference names, or
 * %NULL if its named type is unknown.
 */
BoughGqlType *
bough_gql_schema_type_from_ast (BoughGqlSchema     *schema,
                                const BoughGqlNode *type_node)
{
  BoughGqlType *inner;

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (type_node != NULL, NULL);

  switch (type_node->kind)
    {
    case BOUGH_GQL_NAMED_TYPE:
      return bough_gql_schema_get_type (schema, type_node->name);
    case BOUGH_GQL_LIST_TYPE:
      inner = bough_gql_schema_type_from_ast (schema, type_node->type);
      return inner ? bough_gql_schema_list_of (schema, inner) : NULL;
    case BOUGH_GQL_NON_NULL_TYPE:
      inner = bough_gql_schema_type_from_ast (schema, type_node->type);
      return inner ? bough_gql_schema_non_null (schema, inner) : NULL;
    default:
      g_return_val_if_reached (NULL);
    }
}

BoughGqlDirective *
bough_gql_schema_add_directive (BoughGqlSchema *schema,
                                const char     *name,
                                const char     *description,
                                guint           locations,
                                gboolean        repeatable)
{
  BoughGqlDirective *directive;

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  directive = g_new0 (BoughGqlDirective, 1);
  directive->name = g_strdup (name);
  directive->description = g_strdup (description);
  directive->locations = locations;
  directive->repeatable = repeatable;
  directive->args = args_new ();
  for (guint i = 0; i < BOUGH_GQL_N_DIRECTIVE_LOCATIONS; i++)
    if (locations & (1u << i))
      directive->location_order[directive->n_locations++] = i;
  g_ptr_array_add (schema->directives, directive);
  g_hash_table_insert (schema->directive_index, directive->name, directive);
  return directive;
}

BoughGqlDirective *
bough_gql_schema_get_directive (BoughGqlSchema *schema,
                                const char     *name)
{
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (schema->directive_index, name);
}

BoughGqlType *
bough_gql_schema_get_root_type (BoughGqlSchema        *schema,
                                BoughGqlOperationType  operation)
{
  g_return_val_if_fail (schema != NULL, NULL);

  switch (operation)
    {
    case BOUGH_GQL_QUERY:
      return schema->query_type;
    case BOUGH_GQL_MUTATION:
      return schema->mutation_type;
    case BOUGH_GQL_SUBSCRIPTION:
      return schema->subscription_type;
    default:
      return NULL;
    }
}

static void set_root (BoughGqlSchema *schema, BoughGqlOperationType operation, BoughGqlType *type);

void
bough_gql_schema_set_root_type (BoughGqlSchema        *schema,
                                BoughGqlOperationType  operation,
                                BoughGqlType          *type)
{
  g_return_if_fail (schema != NULL);
  g_return_if_fail (type == NULL || type->kind == BOUGH_GQL_TYPE_OBJECT);
  g_return_if_fail (operation <= BOUGH_GQL_SUBSCRIPTION);

  set_root (schema, operation, type);
}

BoughGqlField *
bough_gql_type_add_field (BoughGqlType *type,
                          const char   *name,
                          BoughGqlType *field_type,
                          const char   *description)
{
  BoughGqlField *field;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (type->kind == BOUGH_GQL_TYPE_OBJECT || type->kind == BOUGH_GQL_TYPE_INTERFACE ||
                        type->kind == BOUGH_GQL_TYPE_INPUT_OBJECT, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  field = bough_gql_args_add (type->fields, name, field_type, NULL, description);
  g_hash_table_insert (type->field_index, field->name, field);
  return field;
}

BoughGqlField *
bough_gql_type_get_field (BoughGqlType *type,
                          const char   *name)
{
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (type->field_index == NULL)
    return NULL;
  return g_hash_table_lookup (type->field_index, name);
}

void
bough_gql_type_add_interface (BoughGqlType *type,
                              BoughGqlType *interface)
{
  g_return_if_fail (type != NULL);
  g_return_if_fail (interface != NULL && interface->kind == BOUGH_GQL_TYPE_INTERFACE);

  g_ptr_array_add (type->interfaces, interface);
}

void
bough_gql_type_add_member (BoughGqlType *union_type,
                           BoughGqlType *member)
{
  g_return_if_fail (union_type != NULL && union_type->kind == BOUGH_GQL_TYPE_UNION);
  g_return_if_fail (member != NULL);

  g_ptr_array_add (union_type->possible_types, member);
}

BoughGqlEnumValue *
bough_gql_type_add_enum_value (BoughGqlType *type,
                               const char   *name,
                               const char   *description)
{
  BoughGqlEnumValue *value;

  g_return_val_if_fail (type != NULL && type->kind == BOUGH_GQL_TYPE_ENUM, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  value = g_new0 (BoughGqlEnumValue, 1);
  value->name = g_strdup (name);
  value->description = g_strdup (description);
  g_ptr_array_add (type->enum_values, value);
  return value;
}

BoughGqlEnumValue *
bough_gql_type_get_enum_value (BoughGqlType *type,
                               const char   *name)
{
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (type->enum_values == NULL)
    return NULL;
  for (guint i = 0; i < type->enum_values->len; i++)
    {
      BoughGqlEnumValue *value = g_ptr_array_index (type->enum_values, i);

      if (strcmp (value->name, name) == 0)
        return value;
    }
  return NULL;
}

void
bough_gql_field_set_deprecated (BoughGqlField *field,
                                const char    *reason)
{
  g_return_if_fail (field != NULL);

  field->deprecated = TRUE;
  g_free (field->deprecation_reason);
  field->deprecation_reason = g_strdup (reason != NULL ? reason : DEFAULT_DEPRECATION_REASON);
}

void
bough_gql_enum_value_set_deprecated (BoughGqlEnumValue *value,
                                     const char        *reason)
{
  g_return_if_fail (value != NULL);

  value->deprecated = TRUE;
  g_free (value->deprecation_reason);
  value->deprecation_reason = g_strdup (reason != NULL ? reason : DEFAULT_DEPRECATION_REASON);
}

/* Predicates */

BoughGqlType *
bough_gql_type_named (BoughGqlType *type)
{
  while (type != NULL && type->of_type != NULL)
    type = type->of_type;
  return type;
}

BoughGqlType *
bough_gql_type_nullable (BoughGqlType *type)
{
  if (type != NULL && type->kind == BOUGH_GQL_TYPE_NON_NULL)
    return type->of_type;
  return type;
}

gboolean
bough_gql_type_is_input (BoughGqlType *type)
{
  BoughGqlType *named = bough_gql_type_named (type);

  return named != NULL && (named->kind == BOUGH_GQL_TYPE_SCALAR || named->kind == BOUGH_GQL_TYPE_ENUM ||
                           named->kind == BOUGH_GQL_TYPE_INPUT_OBJECT);
}

gboolean
bough_gql_type_is_output (BoughGqlType *type)
{
  BoughGqlType *named = bough_gql_type_named (type);

  return named != NULL && named->kind != BOUGH_GQL_TYPE_INPUT_OBJECT;
}

gboolean
bough_gql_type_is_leaf (BoughGqlType *type)
{
  return type != NULL && (type->kind == BOUGH_GQL_TYPE_SCALAR || type->kind == BOUGH_GQL_TYPE_ENUM);
}

gboolean
bough_gql_type_is_composite (BoughGqlType *type)
{
  return type != NULL && (type->kind == BOUGH_GQL_TYPE_OBJECT || type->kind == BOUGH_GQL_TYPE_INTERFACE ||
                          type->kind == BOUGH_GQL_TYPE_UNION);
}

gboolean
bough_gql_type_is_abstract (BoughGqlType *type)
{
  return type != NULL && (type->kind == BOUGH_GQL_TYPE_INTERFACE || type->kind == BOUGH_GQL_TYPE_UNION);
}

gboolean
bough_gql_type_is_builtin (BoughGqlType *type)
{
  static const char * const scalars[] = { "String", "Int", "Float", "Boolean", "ID" };

  g_return_val_if_fail (type != NULL, FALSE);

  if (type->name == NULL)
    return FALSE;
  if (g_str_has_prefix (type->name, "__"))
    return TRUE;
  if (type->kind != BOUGH_GQL_TYPE_SCALAR)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
    if (strcmp (type->name, scalars[i]) == 0)
      return TRUE;
  return FALSE;
}

gboolean
bough_gql_type_is_possible (BoughGqlType *abstract_type,
                            BoughGqlType *object_type)
{
  g_return_val_if_fail (abstract_type != NULL, FALSE);
  g_return_val_if_fail (object_type != NULL, FALSE);

  if (abstract_type == object_type)
    return TRUE;
  if (!bough_gql_type_is_abstract (abstract_type))
    return FALSE;
  for (guint i = 0; i < abstract_type->possible_types->len; i++)
    if (g_ptr_array_index (abstract_type->possible_types, i) == object_type)
      return TRUE;
  return FALSE;
}

/* Whether some object type can be both @a and @b (doTypesOverlap). */
gboolean
bough_gql_types_overlap (BoughGqlType *a,
                         BoughGqlType *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a == b)
    return TRUE;
  if (bough_gql_type_is_abstract (a))
    {
      if (bough_gql_type_is_abstract (b))
        {
          for (guint i = 0; i < a->possible_types->len; i++)
            if (bough_gql_type_is_possible (b, g_ptr_array_index (a->possible_types, i)))
              return TRUE;
          return FALSE;
        }
      return bough_gql_type_is_possible (a, b);
    }
  if (bough_gql_type_is_abstract (b))
    return bough_gql_type_is_possible (b, a);
  return FALSE;
}

static gboolean
implements (BoughGqlType *type,
            BoughGqlType *interface)
{
  for (guint i = 0; i < type->interfaces->len; i++)
    if (g_ptr_array_index (type->interfaces, i) == interface)
      return TRUE;
  return FALSE;
}

/* isTypeSubTypeOf of graphql-js: may a value of @maybe_sub be used where
 * @super is expected? */
gboolean
bough_gql_type_is_subtype (BoughGqlType *maybe_sub,
                           BoughGqlType *super)
{
  g_return_val_if_fail (maybe_sub != NULL && super != NULL, FALSE);

  if (maybe_sub == super)
    return TRUE;
  if (super->kind == BOUGH_GQL_TYPE_NON_NULL)
    return maybe_sub->kind == BOUGH_GQL_TYPE_NON_NULL &&
           bough_gql_type_is_subtype (maybe_sub->of_type, super->of_type);
  if (maybe_sub->kind == BOUGH_GQL_TYPE_NON_NULL)
    return bough_gql_type_is_subtype (maybe_sub->of_type, super);
  if (super->kind == BOUGH_GQL_TYPE_LIST)
    return maybe_sub->kind == BOUGH_GQL_TYPE_LIST &&
           bough_gql_type_is_subtype (maybe_sub->of_type, super->of_type);
  if (maybe_sub->kind == BOUGH_GQL_TYPE_LIST)
    return FALSE;
  if (bough_gql_type_is_abstract (super) &&
      (maybe_sub->kind == BOUGH_GQL_TYPE_INTERFACE || maybe_sub->kind == BOUGH_GQL_TYPE_OBJECT))
    {
      if (super->kind == BOUGH_GQL_TYPE_INTERFACE)
        return implements (maybe_sub, super);
      return bough_gql_type_is_possible (super, maybe_sub);
    }
  return FALSE;
}

char *
bough_gql_type_to_string (BoughGqlType *type)
{
  g_return_val_if_fail (type != NULL, NULL);

  switch (type->kind)
    {
    case BOUGH_GQL_TYPE_LIST:
      {
        g_autofree char *inner = bough_gql_type_to_string (type->of_type);

        return g_strdup_printf ("[%s]", inner);
      }
    case BOUGH_GQL_TYPE_NON_NULL:
      {
        g_autofree char *inner = bough_gql_type_to_string (type->of_type);

        return g_strdup_printf ("%s!", inner);
      }
    default:
      return g_strdup (type->name);
    }
}

/* Default values */

/* The text JS's Number.prototype.toString() gives: the shortest digits that
 * read back as the same double, positional between 1e-7 and 1e21. */
char *
_bough_gql_number_to_string (double value)
{
  char buf[64];
  char digits[32];
  int n_digits = 0;
  int exponent;
  GString *out;
  char *e;

  if (value == 0)
    return g_strdup ("0");
  /* json-glib reads 1e400 in a request as infinity */
  if (isnan (value))
    return g_strdup ("NaN");
  if (isinf (value))
    return g_strdup (value < 0 ? "-Infinity" : "Infinity");
  for (int precision = 0; precision <= 17; precision++)
    {
      char fmt[16];

      g_snprintf (fmt, sizeof fmt, "%%.%de", precision);
      g_ascii_formatd (buf, sizeof buf, fmt, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  e = strchr (buf, 'e');
  exponent = atoi (e + 1);
  for (char *c = buf; c < e; c++)
    if (g_ascii_isdigit (*c))
      digits[n_digits++] = *c;
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';

  out = g_string_new (value < 0 ? "-" : "");
  {
    int n = exponent + 1;

    if (n_digits <= n && n <= 21)
      {
        g_string_append (out, digits);
        for (int i = n_digits; i < n; i++)
          g_string_append_c (out, '0');
      }
    else if (0 < n && n <= 21)
      {
        g_string_append_len (out, digits, n);
        g_string_append_c (out, '.');
        g_string_append (out, digits + n);
      }
    else if (-6 < n && n <= 0)
      {
        g_string_append (out, "0.");
        for (int i = 0; i < -n; i++)
          g_string_append_c (out, '0');
        g_string_append (out, digits);
      }
    else
      {
        g_string_append_c (out, digits[0]);
        if (n_digits > 1)
          {
            g_string_append_c (out, '.');
            g_string_append (out, digits + 1);
          }
        g_string_append_printf (out, "e%c%d", n - 1 >= 0 ? '+' : '-', ABS (n - 1));
      }
  }
  return g_string_free (out, FALSE);
}

static gboolean
is_integer_text (const char *s)
{
  if (*s == '-')
    s++;
  if (*s == '\0')
    return FALSE;
  if (s[0] == '0' && s[1] != '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

char *
bough_gql_value_literal_for_type (BoughGqlType       *type,
                                  const BoughGqlNode *value)
{
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  if (type->kind == BOUGH_GQL_TYPE_NON_NULL)
    {
      if (value->kind == BOUGH_GQL_NULL_VALUE)
        return NULL;
      return bough_gql_value_literal_for_type (type->of_type, value);
    }
  if (value->kind == BOUGH_GQL_NULL_VALUE)
    return g_strdup ("null");
  if (value->kind == BOUGH_GQL_VARIABLE)
    return NULL;

  switch (type->kind)
    {
    case BOUGH_GQL_TYPE_LIST:
      {
        GString *out = g_string_new ("[");

        if (value->kind != BOUGH_GQL_LIST_VALUE)
          {
            char *item = bough_gql_value_literal_for_type (type->of_type, value);

            if (item == NULL)
              {
                g_string_free (out, TRUE);
                return NULL;
              }
            g_string_append (out, item);
            g_free (item);
          }
        else
          for (const BoughGqlNode *v = value->children; v != NULL; v = v->next)
            {
              char *item = bough_gql_value_literal_for_type (type->of_type, v);

              if (item == NULL)
                {
                  g_string_free (out, TRUE);
                  return NULL;
                }
              if (v != value->children)
                g_string_append (out, ", ");
              g_string_append (out, item);
              g_free (item);
            }
        g_string_append_c (out, ']');
        return g_string_free (out, FALSE);
      }

    case BOUGH_GQL_TYPE_INPUT_OBJECT:
      {
        GString *out;
        gboolean first = TRUE;

        if (value->kind != BOUGH_GQL_OBJECT_VALUE)
          return NULL;
        out = g_string_new ("{");
        for (guint i = 0; i < type->fields->len; i++)
          {
            BoughGqlField *field = g_ptr_array_index (type->fields, i);
            const BoughGqlNode *given = NULL;
            char *text;

            for (const BoughGqlNode *f = value->children; f != NULL; f = f->next)
              if (strcmp (f->name, field->name) == 0)
                given = f->value;
            if (given != NULL)
              text = bough_gql_value_literal_for_type (field->type, given);
            else if (field->default_value != NULL)
              text = g_strdup (field->default_value);
            else
              continue;
            if (text == NULL)
              {
                g_string_free (out, TRUE);
                return NULL;
              }
            g_string_append_printf (out, "%s%s: %s", first ? "" : ", ", field->name, text);
            g_free (text);
            first = FALSE;
          }
        g_string_append_c (out, '}');
        return g_string_free (out, FALSE);
      }

    case BOUGH_GQL_TYPE_ENUM:
      if (value->kind != BOUGH_GQL_ENUM_VALUE || bough_gql_type_get_enum_value (type, value->text) == NULL)
        return NULL;
      return g_strdup (value->text);

    case BOUGH_GQL_TYPE_SCALAR:
      if (strcmp (type->name, "Int") == 0 || strcmp (type->name, "Float") == 0)
        {
          if (value->kind == BOUGH_GQL_INT_VALUE && strcmp (type->name, "Int") == 0)
            return _bough_gql_number_to_string (g_ascii_strtod (value->text, NULL));
          if (value->kind == BOUGH_GQL_INT_VALUE || value->kind == BOUGH_GQL_FLOAT_VALUE)
            return _bough_gql_number_to_string (g_ascii_strtod (value->text, NULL));
          return NULL;
        }
      if (strcmp (type->name, "Boolean") == 0)
        return value->kind == BOUGH_GQL_BOOLEAN_VALUE ? g_strdup (value->boolean ? "true" : "false") : NULL;
      if (strcmp (type->name, "String") == 0)
        return value->kind == BOUGH_GQL_STRING_VALUE ? bough_gql_print_string (value->text) : NULL;
      if (strcmp (type->name, "ID") == 0)
        {
          if (value->kind == BOUGH_GQL_INT_VALUE)
            return g_strdup (value->text);
          if (value->kind != BOUGH_GQL_STRING_VALUE)
            return NULL;
          return is_integer_text (value->text) ? g_strdup (value->text)
                                                : bough_gql_print_string (value->text);
        }
      /* custom scalars keep their literal */
      if (value->kind == BOUGH_GQL_STRING_VALUE && value->block)
        return bough_gql_print_string (value->text);
      return bough_gql_print (value);

    default:
      return NULL;
    }
}

/* Construction from SDL */

typedef struct
{
  BoughGqlField *field;
  BoughGqlType *type;
  const BoughGqlNode *value;
} PendingDefault;

typedef struct
{
  BoughGqlSchema *schema;
  GArray *pending;              /* of PendingDefault */
  GError **error;
} Builder;

static const char *
deprecation_of (const BoughGqlNode *directives,
                gboolean           *deprecated)
{
  *deprecated = FALSE;
  for (const BoughGqlNode *d = directives; d != NULL; d = d->next)
    if (strcmp (d->name, "deprecated") == 0)
      {
        *deprecated = TRUE;
        for (const BoughGqlNode *a = d->arguments; a != NULL; a = a->next)
          if (strcmp (a->name, "reason") == 0 && a->value->kind == BOUGH_GQL_STRING_VALUE)
            return a->value->text;
        return NULL;
      }
  return NULL;
}

static const char *
description_of (const BoughGqlNode *node)
{
  return node->description != NULL ? node->description->text : NULL;
}

static BoughGqlType *
resolve_type (Builder            *b,
              const BoughGqlNode *type_node)
{
  BoughGqlType *type = bough_gql_schema_type_from_ast (b->schema, type_node);

  if (type == NULL && (b->error == NULL || *b->error == NULL))
    {
      const BoughGqlNode *named = type_node;

      while (named->type != NULL)
        named = named->type;
      g_set_error (b->error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, "Unknown type: \"%s\".", named->name);
    }
  return type;
}

static gboolean
add_input_values (Builder            *b,
                  GPtrArray          *args,
                  GHashTable         *index,
                  const BoughGqlNode *defs)
{
  for (const BoughGqlNode *d = defs; d != NULL; d = d->next)
    {
      BoughGqlType *type = resolve_type (b, d->type);
      BoughGqlField *arg;
      gboolean deprecated;
      const char *reason;

      if (type == NULL)
        return FALSE;
      arg = bough_gql_args_add (args, d->name, type, NULL, description_of (d));
      if (index != NULL)
        g_hash_table_insert (index, arg->name, arg);
      reason = deprecation_of (d->directives, &deprecated);
      if (deprecated)
        bough_gql_field_set_deprecated (arg, reason);
      if (d->value != NULL)
        {
          PendingDefault pd = { arg, type, d->value };

          g_array_append_val (b->pending, pd);
        }
    }
  return TRUE;
}

static gboolean
add_fields (Builder            *b,
            BoughGqlType       *type,
            const BoughGqlNode *defs)
{
  for (const BoughGqlNode *d = defs; d != NULL; d = d->next)
    {
      BoughGqlType *field_type = resolve_type (b, d->type);
      BoughGqlField *field;
      gboolean deprecated;
      const char *reason;

      if (field_type == NULL)
        return FALSE;
      if (bough_gql_type_get_field (type, d->name) != NULL)
        {
          g_set_error (b->error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                       "Field \"%s.%s\" can only be defined once.", type->name, d->name);
          return FALSE;
        }
      field = bough_gql_type_add_field (type, d->name, field_type, description_of (d));
      reason = deprecation_of (d->directives, &deprecated);
      if (deprecated)
        bough_gql_field_set_deprecated (field, reason);
      if (!add_input_values (b, field->args, NULL, d->arguments))
        return FALSE;
    }
  return TRUE;
}

static gboolean
fill_type (Builder            *b,
           BoughGqlType       *type,
           const BoughGqlNode *def)
{
  for (const BoughGqlNode *i = def->interfaces; i != NULL; i = i->next)
    {
      BoughGqlType *member = bough_gql_schema_get_type (b->schema, i->name);

      if (member == NULL)
        {
          g_set_error (b->error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, "Unknown type: \"%s\".", i->name);
          return FALSE;
        }
      if (type->kind == BOUGH_GQL_TYPE_UNION)
        {
          if (member->kind != BOUGH_GQL_TYPE_OBJECT)
            {
              g_set_error (b->error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                           "Union type %s can only include Object types, it cannot include %s.",
                           type->name, member->name);
              return FALSE;
            }
          bough_gql_type_add_member (type, member);
        }
      else
        {
          if (member->kind != BOUGH_GQL_TYPE_INTERFACE)
            {
              g_set_error (b->error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                           "Type %s must only implement Interface types, it cannot implement %s.",
                           type->name, member->name);
              return FALSE;
            }
          bough_gql_type_add_interface (type, member);
        }
    }

  switch (type->kind)
    {
    case BOUGH_GQL_TYPE_OBJECT:
    case BOUGH_GQL_TYPE_INTERFACE:
      return add_fields (b, type, def->children);
    case BOUGH_GQL_TYPE_INPUT_OBJECT:
      for (const BoughGqlNode *d = def->directives; d != NULL; d = d->next)
        if (strcmp (d->name, "oneOf") == 0)
          type->one_of = TRUE;
      return add_input_values (b, type->fields, type->field_index, def->children);
    case BOUGH_GQL_TYPE_ENUM:
      for (const BoughGqlNode *v = def->children; v != NULL; v = v->next)
        {
          BoughGqlEnumValue *value = bough_gql_type_add_enum_value (type, v->name, description_of (v));
          gboolean deprecated;
          const char *reason = deprecation_of (v->directives, &deprecated);

          if (deprecated)
            bough_gql_enum_value_set_deprecated (value, reason);
        }
      return TRUE;
    case BOUGH_GQL_TYPE_SCALAR:
      for (const BoughGqlNode *d = def->directives; d != NULL; d = d->next)
        if (strcmp (d->name, "specifiedBy") == 0)
          for (const BoughGqlNode *a = d->arguments; a != NULL; a = a->next)
            if (strcmp (a->name, "url") == 0 && a->value->kind == BOUGH_GQL_STRING_VALUE)
              {
                g_free (type->specified_by_url);
                type->specified_by_url = g_strdup (a->value->text);
              }
      return TRUE;
    default:
      return TRUE;
    }
}

static BoughGqlTypeKind
kind_of_definition (BoughGqlKind kind)
{
  switch (kind)
    {
    case BOUGH_GQL_SCALAR_TYPE_DEFINITION:
    case BOUGH_GQL_SCALAR_TYPE_EXTENSION:
      return BOUGH_GQL_TYPE_SCALAR;
    case BOUGH_GQL_OBJECT_TYPE_DEFINITION:
    case BOUGH_GQL_OBJECT_TYPE_EXTENSION:
      return BOUGH_GQL_TYPE_OBJECT;
    case BOUGH_GQL_INTERFACE_TYPE_DEFINITION:
    case BOUGH_GQL_INTERFACE_TYPE_EXTENSION:
      return BOUGH_GQL_TYPE_INTERFACE;
    case BOUGH_GQL_UNION_TYPE_DEFINITION:
    case BOUGH_GQL_UNION_TYPE_EXTENSION:
      return BOUGH_GQL_TYPE_UNION;
    case BOUGH_GQL_ENUM_TYPE_DEFINITION:
    case BOUGH_GQL_ENUM_TYPE_EXTENSION:
      return BOUGH_GQL_TYPE_ENUM;
    default:
      return BOUGH_GQL_TYPE_INPUT_OBJECT;
    }
}

static void
set_root (BoughGqlSchema        *schema,
          BoughGqlOperationType  operation,
          BoughGqlType          *type)
{
  switch (operation)
    {
    case BOUGH_GQL_QUERY:
      schema->query_type = type;
      break;
    case BOUGH_GQL_MUTATION:
      schema->mutation_type = type;
      break;
    case BOUGH_GQL_SUBSCRIPTION:
      schema->subscription_type = type;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Adds the definitions of @document to @schema. */
static gboolean
build_from_document (BoughGqlSchema     *schema,
                     const BoughGqlNode *document,
                     gboolean            set_default_roots,
                     GError            **error)
{
  Builder b = { schema, g_array_new (FALSE, FALSE, sizeof (PendingDefault)), error };
  gboolean ok = FALSE;
  gboolean has_schema_def = FALSE;

  /* Pass 1: every named type, so references may point forward. */
  for (const BoughGqlNode *d = document->children; d != NULL; d = d->next)
    {
      if (!bough_gql_node_is_type_definition (d))
        {
          if (d->kind == BOUGH_GQL_OPERATION_DEFINITION || d->kind == BOUGH_GQL_FRAGMENT_DEFINITION)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                           "The schema must contain type definitions only (line %u).", d->line);
              goto out;
            }
          continue;
        }
      if (bough_gql_schema_get_type (schema, d->name) != NULL)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                       "There can be only one type named \"%s\".", d->name);
          goto out;
        }
      bough_gql_schema_add_type (schema, kind_of_definition (d->kind), d->name, description_of (d));
    }

  /* Pass 2: directives, then the contents of types and their extensions. */
  for (const BoughGqlNode *d = document->children; d != NULL; d = d->next)
    if (d->kind == BOUGH_GQL_DIRECTIVE_DEFINITION)
      {
        BoughGqlDirective *directive;
        guint locations = 0;

        if (bough_gql_schema_get_directive (schema, d->name) != NULL)
          {
            g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                         "There can be only one directive named \"@%s\".", d->name);
            goto out;
          }
        for (const BoughGqlNode *l = d->locations; l != NULL; l = l->next)
          locations |= location_from_name (l->name);
        directive = bough_gql_schema_add_directive (schema, d->name, description_of (d), locations,
                                                    d->repeatable);
        directive->n_locations = 0;
        for (const BoughGqlNode *l = d->locations; l != NULL; l = l->next)
          {
            guint bit = g_bit_nth_lsf (location_from_name (l->name), -1);

            if (directive->n_locations < BOUGH_GQL_N_DIRECTIVE_LOCATIONS)
              directive->location_order[directive->n_locations++] = bit;
          }
        if (!add_input_values (&b, directive->args, NULL, d->arguments))
          goto out;
      }

  for (const BoughGqlNode *d = document->children; d != NULL; d = d->next)
    {
      if (bough_gql_node_is_type_definition (d) || bough_gql_node_is_type_extension (d))
        {
          BoughGqlType *type = bough_gql_schema_get_type (schema, d->name);

          if (type == NULL || type->kind != kind_of_definition (d->kind))
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                           "Cannot extend type \"%s\" because it is not defined.", d->name);
              goto out;
            }
          if (!fill_type (&b, type, d))
            goto out;
        }
      else if (d->kind == BOUGH_GQL_SCHEMA_DEFINITION || d->kind == BOUGH_GQL_SCHEMA_EXTENSION)
        {
          if (d->kind == BOUGH_GQL_SCHEMA_DEFINITION)
            {
              if (has_schema_def)
                {
                  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                               "Must provide only one schema definition.");
                  goto out;
                }
              has_schema_def = TRUE;
              g_free (schema->description);
              schema->description = g_strdup (description_of (d));
            }
          for (const BoughGqlNode *o = d->children; o != NULL; o = o->next)
            {
              BoughGqlType *root = bough_gql_schema_get_type (schema, o->type->name);

              if (root == NULL || root->kind != BOUGH_GQL_TYPE_OBJECT)
                {
                  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                               "%s root type must be Object type, it cannot be %s.",
                               bough_gql_operation_type_to_string (o->operation), o->type->name);
                  goto out;
                }
              set_root (schema, o->operation, root);
            }
        }
    }

  if (set_default_roots && !has_schema_def)
    {
      static const char * const names[] = { "Query", "Mutation", "Subscription" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          BoughGqlType *root = bough_gql_schema_get_type (schema, names[i]);

          if (root != NULL && root->kind == BOUGH_GQL_TYPE_OBJECT &&
              bough_gql_schema_get_root_type (schema, i) == NULL)
            set_root (schema, i, root);
        }
    }

  /* Defaults last: input objects they mention are complete by now. An
   * object default includes the defaults of fields it leaves out, which may
   * be defined further down: repeat until nothing changes (defaults cannot
   * be cyclic, so this ends within as many passes as there are defaults). */
  for (guint pass = 0; pass <= b.pending->len; pass++)
    {
      gboolean changed = FALSE;

      for (guint i = 0; i < b.pending->len; i++)
        {
          PendingDefault *pd = &g_array_index (b.pending, PendingDefault, i);
          char *text = bough_gql_value_literal_for_type (pd->type, pd->value);

          if (text == NULL)
            {
              g_autofree char *printed = bough_gql_print (pd->value);

              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                           "Default value %s of \"%s\" does not fit its type.", printed, pd->field->name);
              goto out;
            }
          if (g_strcmp0 (text, pd->field->default_value) != 0)
            {
              g_free (pd->field->default_value);
              pd->field->default_value = text;
              changed = TRUE;
            }
          else
            g_free (text);
        }
      if (!changed)
        break;
    }
  ok = TRUE;

out:
  g_array_unref (b.pending);
  return ok;
}

/**
 * bough_gql_schema_new:
 *
 * Creates a schema holding the built-in scalars, the specified directives
 * (@include, @skip, @deprecated, @specifiedBy, @oneOf) and the introspection
 * types. Add types, then call bough_gql_schema_finish().
 *
 * Returns: (transfer full): a new schema
 */
BoughGqlSchema *
bough_gql_schema_new (void)
{
  BoughGqlSchema *schema = g_new0 (BoughGqlSchema, 1);
  g_autoptr(BoughGqlDocument) doc = NULL;
  BoughGqlType *boolean;
  BoughGqlType *string;
  BoughGqlDirective *d;
  g_autoptr(GError) error = NULL;

  schema->ref_count = 1;
  g_mutex_init (&schema->wrappers_lock);
  schema->types = g_ptr_array_new_with_free_func (type_free);
  schema->type_index = g_hash_table_new (g_str_hash, g_str_equal);
  schema->wrappers = g_ptr_array_new_with_free_func (type_free);
  schema->directives = g_ptr_array_new_with_free_func (directive_free);
  schema->directive_index = g_hash_table_new (g_str_hash, g_str_equal);

  string = bough_gql_schema_add_type (schema, BOUGH_GQL_TYPE_SCALAR, "String",
                                      "Text, as UTF-8 on the wire.");
  bough_gql_schema_add_type (schema, BOUGH_GQL_TYPE_SCALAR, "Int",
                             "A signed 32-bit integer.");
  bough_gql_schema_add_type (schema, BOUGH_GQL_TYPE_SCALAR, "Float",
                             "A double-precision floating point number.");
  boolean = bough_gql_schema_add_type (schema, BOUGH_GQL_TYPE_SCALAR, "Boolean",
                                       "true or false.");
  bough_gql_schema_add_type (schema, BOUGH_GQL_TYPE_SCALAR, "ID",
                             "An opaque identifier, written as a string or an integer.");

  d = bough_gql_schema_add_directive (schema, "include",
                                      "Includes this field or fragment only when `if` is true.",
                                      BOUGH_GQL_LOC_FIELD | BOUGH_GQL_LOC_FRAGMENT_SPREAD |
                                      BOUGH_GQL_LOC_INLINE_FRAGMENT, FALSE);
  bough_gql_args_add (d->args, "if", bough_gql_schema_non_null (schema, boolean), NULL,
                      "Included when true.");
  d = bough_gql_schema_add_directive (schema, "skip",
                                      "Skips this field or fragment when `if` is true.",
                                      BOUGH_GQL_LOC_FIELD | BOUGH_GQL_LOC_FRAGMENT_SPREAD |
                                      BOUGH_GQL_LOC_INLINE_FRAGMENT, FALSE);
  bough_gql_args_add (d->args, "if", bough_gql_schema_non_null (schema, boolean), NULL,
                      "Skipped when true.");
  d = bough_gql_schema_add_directive (schema, "deprecated",
                                      "Marks an element of the schema as no longer supported.",
                                      BOUGH_GQL_LOC_FIELD_DEFINITION | BOUGH_GQL_LOC_ARGUMENT_DEFINITION |
                                      BOUGH_GQL_LOC_INPUT_FIELD_DEFINITION | BOUGH_GQL_LOC_ENUM_VALUE,
                                      FALSE);
  bough_gql_args_add (d->args, "reason", string, "\"" DEFAULT_DEPRECATION_REASON "\"",
                      "Why, and what to use instead (Markdown).");
  d = bough_gql_schema_add_directive (schema, "specifiedBy",
                                      "Links a custom scalar to the specification of its format.",
                                      BOUGH_GQL_LOC_SCALAR, FALSE);
  bough_gql_args_add (d->args, "url", bough_gql_schema_non_null (schema, string), NULL,
                      "The URL of the specification.");
  bough_gql_schema_add_directive (schema, "oneOf",
                                  "Exactly one field of this input object must be given.",
                                  BOUGH_GQL_LOC_INPUT_OBJECT, FALSE);

  doc = bough_gql_parse (introspection_sdl, -1, NULL, NULL, &error);
  g_assert_no_error (error);
  if (!build_from_document (schema, doc->root, FALSE, &error))
    g_error ("introspection types: %s", error->message);

  schema->meta_fields = args_new ();
  schema->schema_meta_field =
    bough_gql_args_add (schema->meta_fields, "__schema",
                        bough_gql_schema_non_null (schema, bough_gql_schema_get_type (schema, "__Schema")),
                        NULL, "Access the current type schema of this server.");
  schema->type_meta_field =
    bough_gql_args_add (schema->meta_fields, "__type", bough_gql_schema_get_type (schema, "__Type"),
                        NULL, "Request the type information of a single type.");
  bough_gql_args_add (schema->type_meta_field->args, "name", bough_gql_schema_non_null (schema, string),
                      NULL, NULL);
  schema->typename_meta_field =
    bough_gql_args_add (schema->meta_fields, "__typename", bough_gql_schema_non_null (schema, string),
                        NULL, "The name of the current Object type at runtime.");

  return schema;
}

static gboolean
schema_error (GError    **error,
              const char *format,
              ...) G_GNUC_PRINTF (2, 3);

static gboolean
schema_error (GError    **error,
              const char *format,
              ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, msg);
  return FALSE;
}

static gboolean
check_args_are_input (BoughGqlType  *type,
                      BoughGqlField *field,
                      GError       **error)
{
  for (guint a = 0; a < field->args->len; a++)
    {
      BoughGqlField *arg = g_ptr_array_index (field->args, a);

      if (!bough_gql_type_is_input (arg->type))
        {
          g_autofree char *t = bough_gql_type_to_string (arg->type);

          return schema_error (error, "The type of %s.%s(%s:) must be Input Type but got: %s.",
                               type->name, field->name, arg->name, t);
        }
    }
  return TRUE;
}

/* Does @type provide each field of @iface with a compatible type (graphql-js
 * validateTypeImplementsInterface)? */
static gboolean
check_implementation (BoughGqlType  *type,
                      BoughGqlType  *iface,
                      GError       **error)
{
  for (guint f = 0; f < iface->fields->len; f++)
    {
      BoughGqlField *want = g_ptr_array_index (iface->fields, f);
      BoughGqlField *have = bough_gql_type_get_field (type, want->name);

      if (have == NULL)
        return schema_error (error, "Interface field %s.%s expected but %s does not provide it.",
                             iface->name, want->name, type->name);
      if (!bough_gql_type_is_subtype (have->type, want->type))
        {
          g_autofree char *wt = bough_gql_type_to_string (want->type);
          g_autofree char *ht = bough_gql_type_to_string (have->type);

          return schema_error (error, "Interface field %s.%s expects type %s but %s.%s is type %s.",
                               iface->name, want->name, wt, type->name, have->name, ht);
        }
      for (guint a = 0; a < want->args->len; a++)
        {
          BoughGqlField *want_arg = g_ptr_array_index (want->args, a);
          BoughGqlField *have_arg = bough_gql_args_find (have->args, want_arg->name);

          if (have_arg == NULL)
            return schema_error (error, "Interface field argument %s.%s(%s:) expected but %s.%s does not provide it.",
                                 iface->name, want->name, want_arg->name, type->name, have->name);
          if (have_arg->type != want_arg->type)
            {
              g_autofree char *wt = bough_gql_type_to_string (want_arg->type);
              g_autofree char *ht = bough_gql_type_to_string (have_arg->type);

              return schema_error (error, "Interface field argument %s.%s(%s:) expects type %s but %s.%s(%s:) is type %s.",
                                   iface->name, want->name, want_arg->name, wt, type->name, have->name,
                                   have_arg->name, ht);
            }
        }
    }
  /* interfaces of interfaces must be declared too */
  for (guint i = 0; i < iface->interfaces->len; i++)
    {
      BoughGqlType *transitive = g_ptr_array_index (iface->interfaces, i);

      if (!implements (type, transitive))
        return schema_error (error, "Type %s must implement %s because it is implemented by %s.",
                             type->name, transitive->name, iface->name);
    }
  return TRUE;
}

/* The checks of graphql-js's assertValidSchema that catch mistakes of a
 * schema generator: empty types, wrong kinds of types, broken interfaces. */
static gboolean
check_type (BoughGqlType  *type,
            GError       **error)
{
  switch (type->kind)
    {
    case BOUGH_GQL_TYPE_OBJECT:
    case BOUGH_GQL_TYPE_INTERFACE:
      if (type->fields->len == 0)
        return schema_error (error, "Type %s must define one or more fields.", type->name);
      for (guint f = 0; f < type->fields->len; f++)
        {
          BoughGqlField *field = g_ptr_array_index (type->fields, f);

          if (!bough_gql_type_is_output (field->type))
            {
              g_autofree char *t = bough_gql_type_to_string (field->type);

              return schema_error (error, "The type of %s.%s must be Output Type but got: %s.",
                                   type->name, field->name, t);
            }
          if (!check_args_are_input (type, field, error))
            return FALSE;
        }
      for (guint i = 0; i < type->interfaces->len; i++)
        {
          BoughGqlType *iface = g_ptr_array_index (type->interfaces, i);

          if (iface == type)
            return schema_error (error, "Type %s cannot implement itself because it would create a circular reference.",
                                 type->name);
          if (!check_implementation (type, iface, error))
            return FALSE;
        }
      return TRUE;
    case BOUGH_GQL_TYPE_UNION:
      if (type->possible_types->len == 0)
        return schema_error (error, "Union type %s must define one or more member types.", type->name);
      return TRUE;
    case BOUGH_GQL_TYPE_ENUM:
      if (type->enum_values->len == 0)
        return schema_error (error, "Enum type %s must define one or more values.", type->name);
      return TRUE;
    case BOUGH_GQL_TYPE_INPUT_OBJECT:
      if (type->fields->len == 0)
        return schema_error (error, "Input Object type %s must define one or more fields.", type->name);
      for (guint f = 0; f < type->fields->len; f++)
        {
          BoughGqlField *field = g_ptr_array_index (type->fields, f);

          if (!bough_gql_type_is_input (field->type))
            {
              g_autofree char *t = bough_gql_type_to_string (field->type);

              return schema_error (error, "The type of %s.%s must be Input Type but got: %s.",
                                   type->name, field->name, t);
            }
        }
      return TRUE;
    default:
      return TRUE;
    }
}

/**
 * bough_gql_schema_finish:
 *
 * Computes what the built schema needs for validation and introspection
 * (implementations of interfaces) and checks it as graphql-js's
 * assertValidSchema() would for what a generator can get wrong: a query
 * type, no empty types, input and output types where they belong, and
 * interfaces implemented with compatible fields.
 */
gboolean
bough_gql_schema_finish (BoughGqlSchema *schema,
                         GError        **error)
{
  g_return_val_if_fail (schema != NULL, FALSE);

  for (guint i = 0; i < schema->types->len; i++)
    {
      BoughGqlType *type = g_ptr_array_index (schema->types, i);

      if (type->kind == BOUGH_GQL_TYPE_INTERFACE)
        g_ptr_array_set_size (type->possible_types, 0);
    }
  for (guint i = 0; i < schema->types->len; i++)
    {
      BoughGqlType *type = g_ptr_array_index (schema->types, i);

      if (type->kind != BOUGH_GQL_TYPE_OBJECT && type->kind != BOUGH_GQL_TYPE_INTERFACE)
        continue;
      for (guint j = 0; j < type->interfaces->len; j++)
        {
          BoughGqlType *iface = g_ptr_array_index (type->interfaces, j);

          /* possible types of an interface are objects; interfaces that
           * implement it are found through their own interfaces list */
          if (type->kind == BOUGH_GQL_TYPE_OBJECT)
            g_ptr_array_add (iface->possible_types, type);
        }
    }

  if (schema->query_type == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA, "Query root type must be provided.");
      return FALSE;
    }
  for (guint i = 0; i < schema->types->len; i++)
    if (!check_type (g_ptr_array_index (schema->types, i), error))
      return FALSE;
  schema->finished = TRUE;
  return TRUE;
}

/**
 * bough_gql_schema_new_from_sdl:
 * @sdl: a type-system document
 * @length: its length, or -1
 * @error: return location for a %BOUGH_ERROR_PARSE or %BOUGH_ERROR_SCHEMA error
 *
 * Builds a schema from SDL as graphql-js's buildSchema() does; the root
 * types default to Query, Mutation and Subscription.
 *
 * Returns: (transfer full) (nullable): the schema
 */
BoughGqlSchema *
bough_gql_schema_new_from_sdl (const char *sdl,
                               gssize      length,
                               GError    **error)
{
  BoughGqlParseOptions options;
  g_autoptr(BoughGqlDocument) doc = NULL;
  g_autoptr(BoughGqlSchema) schema = NULL;
  BoughGqlLocation loc;

  g_return_val_if_fail (sdl != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* a schema is trusted input, often large */
  options.max_bytes = 0;
  options.max_tokens = 0;
  options.max_depth = 0;
  doc = bough_gql_parse (sdl, length, &options, &loc, error);
  if (doc == NULL)
    {
      if (error != NULL && *error != NULL && loc.line > 0)
        g_prefix_error (error, "%u:%u: ", loc.line, loc.column);
      return NULL;
    }

  schema = bough_gql_schema_new ();
  if (!build_from_document (schema, doc->root, TRUE, error) || !bough_gql_schema_finish (schema, error))
    return NULL;
  return g_steal_pointer (&schema);
}

BoughGqlSchema *
bough_gql_schema_ref (BoughGqlSchema *schema)
{
  g_return_val_if_fail (schema != NULL, NULL);

  g_atomic_int_inc (&schema->ref_count);
  return schema;
}

void
bough_gql_schema_unref (BoughGqlSchema *schema)
{
  g_return_if_fail (schema != NULL);

  if (!g_atomic_int_dec_and_test (&schema->ref_count))
    return;
  g_free (schema->description);
  g_hash_table_unref (schema->type_index);
  g_hash_table_unref (schema->directive_index);
  g_ptr_array_unref (schema->directives);
  g_ptr_array_unref (schema->meta_fields);
  g_ptr_array_unref (schema->wrappers);
  g_ptr_array_unref (schema->types);
  g_mutex_clear (&schema->wrappers_lock);
  g_free (schema);
}

/* Printing (printSchema of graphql-js) */

static void
print_description (GString    *out,
                   const char *description,
                   const char *indentation,
                   gboolean    first_in_block)
{
  g_autofree char *block = NULL;

  if (description == NULL)
    return;
  block = bough_gql_is_printable_as_block_string (description)
    ? bough_gql_print_block_string (description, FALSE)
    : bough_gql_print_string (description);
  if (indentation[0] != '\0' && !first_in_block)
    g_string_append_printf (out, "\n%s", indentation);
  else
    g_string_append (out, indentation);
  for (const char *c = block; *c != '\0'; c++)
    {
      g_string_append_c (out, *c);
      if (*c == '\n')
        g_string_append (out, indentation);
    }
  g_string_append_c (out, '\n');
}

static void
print_deprecated (GString    *out,
                  gboolean    deprecated,
                  const char *reason)
{
  if (!deprecated)
    return;
  if (reason != NULL && strcmp (reason, DEFAULT_DEPRECATION_REASON) != 0)
    {
      g_autofree char *s = bough_gql_print_string (reason);

      g_string_append_printf (out, " @deprecated(reason: %s)", s);
    }
  else
    g_string_append (out, " @deprecated");
}

static void
print_input_value (GString       *out,
                   BoughGqlField *arg)
{
  g_autofree char *type = bough_gql_type_to_string (arg->type);

  g_string_append_printf (out, "%s: %s", arg->name, type);
  if (arg->default_value != NULL)
    g_string_append_printf (out, " = %s", arg->default_value);
  print_deprecated (out, arg->deprecated, arg->deprecation_reason);
}

static void
print_args (GString    *out,
            GPtrArray  *args,
            const char *indentation)
{
  gboolean described = FALSE;
  g_autofree char *inner = g_strconcat ("  ", indentation, NULL);

  if (args->len == 0)
    return;
  for (guint i = 0; i < args->len; i++)
    if (((BoughGqlField *) g_ptr_array_index (args, i))->description != NULL)
      described = TRUE;
  if (!described)
    {
      g_string_append_c (out, '(');
      for (guint i = 0; i < args->len; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          print_input_value (out, g_ptr_array_index (args, i));
        }
      g_string_append_c (out, ')');
      return;
    }
  g_string_append (out, "(\n");
  for (guint i = 0; i < args->len; i++)
    {
      BoughGqlField *arg = g_ptr_array_index (args, i);

      if (i > 0)
        g_string_append_c (out, '\n');
      print_description (out, arg->description, inner, i == 0);
      g_string_append (out, inner);
      print_input_value (out, arg);
    }
  g_string_append_printf (out, "\n%s)", indentation);
}

static void
print_fields (GString      *out,
              BoughGqlType *type)
{
  if (type->fields->len == 0)
    return;
  g_string_append (out, " {\n");
  for (guint i = 0; i < type->fields->len; i++)
    {
      BoughGqlField *field = g_ptr_array_index (type->fields, i);

      if (i > 0)
        g_string_append_c (out, '\n');
      print_description (out, field->description, "  ", i == 0);
      if (type->kind == BOUGH_GQL_TYPE_INPUT_OBJECT)
        {
          g_string_append (out, "  ");
          print_input_value (out, field);
        }
      else
        {
          g_autofree char *ftype = bough_gql_type_to_string (field->type);

          g_string_append_printf (out, "  %s", field->name);
          print_args (out, field->args, "  ");
          g_string_append_printf (out, ": %s", ftype);
          print_deprecated (out, field->deprecated, field->deprecation_reason);
        }
    }
  g_string_append (out, "\n}");
}

static void
print_interfaces (GString      *out,
                  BoughGqlType *type)
{
  for (guint i = 0; i < type->interfaces->len; i++)
    g_string_append_printf (out, "%s%s", i == 0 ? " implements " : " & ",
                            ((BoughGqlType *) g_ptr_array_index (type->interfaces, i))->name);
}

static void
print_type (GString      *out,
            BoughGqlType *type)
{
  print_description (out, type->description, "", TRUE);
  switch (type->kind)
    {
    case BOUGH_GQL_TYPE_SCALAR:
      g_string_append_printf (out, "scalar %s", type->name);
      if (type->specified_by_url != NULL)
        {
          g_autofree char *url = bough_gql_print_string (type->specified_by_url);

          g_string_append_printf (out, " @specifiedBy(url: %s)", url);
        }
      break;
    case BOUGH_GQL_TYPE_OBJECT:
    case BOUGH_GQL_TYPE_INTERFACE:
      g_string_append_printf (out, "%s %s", type->kind == BOUGH_GQL_TYPE_OBJECT ? "type" : "interface",
                              type->name);
      print_interfaces (out, type);
      print_fields (out, type);
      break;
    case BOUGH_GQL_TYPE_UNION:
      g_string_append_printf (out, "union %s", type->name);
      for (guint i = 0; i < type->possible_types->len; i++)
        g_string_append_printf (out, "%s%s", i == 0 ? " = " : " | ",
                                ((BoughGqlType *) g_ptr_array_index (type->possible_types, i))->name);
      break;
    case BOUGH_GQL_TYPE_ENUM:
      g_string_append_printf (out, "enum %s", type->name);
      if (type->enum_values->len > 0)
        {
          g_string_append (out, " {\n");
          for (guint i = 0; i < type->enum_values->len; i++)
            {
              BoughGqlEnumValue *value = g_ptr_array_index (type->enum_values, i);

              if (i > 0)
                g_string_append_c (out, '\n');
              print_description (out, value->description, "  ", i == 0);
              g_string_append_printf (out, "  %s", value->name);
              print_deprecated (out, value->deprecated, value->deprecation_reason);
            }
          g_string_append (out, "\n}");
        }
      break;
    case BOUGH_GQL_TYPE_INPUT_OBJECT:
      g_string_append_printf (out, "input %s%s", type->name, type->one_of ? " @oneOf" : "");
      print_fields (out, type);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_specified_directive (const char *name)
{
  return strcmp (name, "include") == 0 || strcmp (name, "skip") == 0 ||
         strcmp (name, "deprecated") == 0 || strcmp (name, "specifiedBy") == 0 ||
         strcmp (name, "oneOf") == 0;
}

/**
 * bough_gql_schema_print:
 *
 * Prints the schema's SDL as graphql-js's printSchema() does, built-ins left
 * out, with a final newline (what `/schema.graphql` serves).
 *
 * Returns: (transfer full): the SDL
 */
char *
bough_gql_schema_print (BoughGqlSchema *schema)
{
  GString *out = g_string_new (NULL);
  gboolean common_names;

  g_return_val_if_fail (schema != NULL, NULL);

  common_names = (schema->query_type == NULL || strcmp (schema->query_type->name, "Query") == 0) &&
                 (schema->mutation_type == NULL || strcmp (schema->mutation_type->name, "Mutation") == 0) &&
                 (schema->subscription_type == NULL ||
                  strcmp (schema->subscription_type->name, "Subscription") == 0);
  if (schema->description != NULL || !common_names)
    {
      print_description (out, schema->description, "", TRUE);
      g_string_append (out, "schema {\n");
      if (schema->query_type != NULL)
        g_string_append_printf (out, "  query: %s\n", schema->query_type->name);
      if (schema->mutation_type != NULL)
        g_string_append_printf (out, "  mutation: %s\n", schema->mutation_type->name);
      if (schema->subscription_type != NULL)
        g_string_append_printf (out, "  subscription: %s\n", schema->subscription_type->name);
      g_string_append (out, "}");
    }

  for (guint i = 0; i < schema->directives->len; i++)
    {
      BoughGqlDirective *directive = g_ptr_array_index (schema->directives, i);
      gboolean first = TRUE;

      if (is_specified_directive (directive->name))
        continue;
      if (out->len > 0)
        g_string_append (out, "\n\n");
      print_description (out, directive->description, "", TRUE);
      g_string_append_printf (out, "directive @%s", directive->name);
      print_args (out, directive->args, "");
      if (directive->repeatable)
        g_string_append (out, " repeatable");
      g_string_append (out, " on ");
      for (guint l = 0; l < directive->n_locations; l++)
        {
          g_string_append_printf (out, "%s%s", first ? "" : " | ",
                                  location_names[directive->location_order[l]]);
          first = FALSE;
        }
    }

  for (guint i = 0; i < schema->types->len; i++)
    {
      BoughGqlType *type = g_ptr_array_index (schema->types, i);

      if (bough_gql_type_is_builtin (type))
        continue;
      if (out->len > 0)
        g_string_append (out, "\n\n");
      print_type (out, type);
    }
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}
