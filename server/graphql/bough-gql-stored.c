/* bough-gql-stored.c: parses and validates the text of a stored query (CoreGraphQLQuery) and
 * derives its read-only fields: variables, operations, models, depth and height.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-gql-parser.h"
#include "bough-gql-printer.h"
#include "bough-gql-stored.h"
#include "bough-gql-validate.h"

typedef struct
{
  BoughGqlSchema *gql;
  BoughSchema *schema;
  GHashTable *fragments;        /* name -> FRAGMENT_DEFINITION */
  GHashTable *models;           /* set of kinds */
  guint depth;
  guint height;
} Walk;

/* The generated API names list types after their kind; a field whose type is
 * one of them (or a node type itself) reads that kind. */
static void
note_model (Walk       *w,
            const char *type_name)
{
  static const char *prefixes[] = { "NestedPaginated", "NestedEdged", "Paginated", "Edged", "" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (type_name, prefixes[i]))
      {
        const char *kind = type_name + strlen (prefixes[i]);

        if (*kind != '\0' && bough_schema_lookup (w->schema, kind) != NULL)
          {
            g_hash_table_add (w->models, g_strdup (kind));
            return;
          }
      }
}

static void
walk_selections (Walk               *w,
                 BoughGqlType       *type,
                 const BoughGqlNode *selection_set,
                 guint               depth)
{
  if (selection_set == NULL)
    return;
  for (const BoughGqlNode *sel = selection_set->children; sel != NULL; sel = sel->next)
    {
      if (sel->kind == BOUGH_GQL_FIELD)
        {
          BoughGqlField *def = type != NULL && type->fields != NULL
                               ? bough_gql_type_get_field (type, sel->name) : NULL;
          BoughGqlType *named = def != NULL ? bough_gql_type_named (def->type) : NULL;

          w->height++;
          w->depth = MAX (w->depth, depth);
          if (named != NULL && named->name != NULL)
            note_model (w, named->name);
          walk_selections (w, named, sel->selection_set, depth + 1);
        }
      else if (sel->kind == BOUGH_GQL_INLINE_FRAGMENT)
        {
          BoughGqlType *cond = sel->type != NULL
                               ? bough_gql_schema_get_type (w->gql, sel->type->name) : type;

          walk_selections (w, cond, sel->selection_set, depth);
        }
      else if (sel->kind == BOUGH_GQL_FRAGMENT_SPREAD)
        {
          const BoughGqlNode *frag = g_hash_table_lookup (w->fragments, sel->name);

          /* Validation has proved fragments known and acyclic. */
          if (frag != NULL)
            walk_selections (w, bough_gql_schema_get_type (w->gql, frag->type->name),
                             frag->selection_set, depth);
        }
    }
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static JsonNode *
value_of (JsonNode *node)
{
  JsonObject *obj = json_object_new ();

  JsonNode *out = json_node_new (JSON_NODE_OBJECT);

  json_object_set_member (obj, "value", node);
  json_node_take_object (out, obj);
  return out;
}

static JsonNode *
string_node (const char *s)
{
  return s != NULL ? json_node_init_string (json_node_alloc (), s) : json_node_init_null (json_node_alloc ());
}

/**
 * bough_gql_stored_query_analyze:
 * @gql: the generated API the query will run against
 * @schema: the data schema @gql was generated from
 * @text: the query text
 * @error: return location for a #GError
 *
 * Parses and validates @text like a request would be, and derives the
 * read-only fields of a CoreGraphQLQuery: `variables` (`[{name, kind,
 * required, default_value}]`, kind being the declared type as written),
 * `operations` (`[{name, operation}]`), `models` (the kinds the query reads,
 * sorted), `depth` (the deepest field nesting) and `height` (the number of
 * field selections), each as `{value: ...}` ready to merge into mutation data.
 *
 * Returns: (transfer full) (nullable): the fields, or %NULL with @error set
 *   (%BOUGH_ERROR_PARSE or %BOUGH_ERROR_LIMIT for a syntax error,
 *   %%BOUGH_ERROR_INVALID for a validation error) naming the problem
 */
JsonObject *
bough_gql_stored_query_analyze (BoughGqlSchema *gql,
                                BoughSchema    *schema,
                                const char     *text,
                                GError        **error)
{
  g_autoptr(BoughGqlDocument) document = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GHashTable) fragments = NULL;
  g_autoptr(GHashTable) models = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  BoughGqlParseOptions parse_options;
  BoughGqlValidateOptions validate_options;
  BoughGqlLocation location = { 0, };
  g_autoptr(GError) local_error = NULL;
  JsonArray *variables, *operations, *model_list;
  JsonObject *out;
  Walk w = { 0, };
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (gql != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bough_gql_parse_options_init (&parse_options);
  document = bough_gql_parse (text, -1, &parse_options, &location, &local_error);
  if (document == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code, "%s (line %u, column %u)",
                   local_error->message, location.line, location.column);
      return NULL;
    }
  bough_gql_validate_options_init (&validate_options);
  errors = bough_gql_validate (gql, document, &validate_options);
  if (errors != NULL && errors->len > 0)
    {
      BoughGqlError *first = g_ptr_array_index (errors, 0);

      g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, first->message);
      return NULL;
    }

  fragments = g_hash_table_new (g_str_hash, g_str_equal);
  for (const BoughGqlNode *def = document->root->children; def != NULL; def = def->next)
    if (def->kind == BOUGH_GQL_FRAGMENT_DEFINITION)
      g_hash_table_insert (fragments, (gpointer) def->name, (gpointer) def);
  models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w.gql = gql;
  w.schema = schema;
  w.fragments = fragments;
  w.models = models;

  variables = json_array_new ();
  operations = json_array_new ();
  for (const BoughGqlNode *def = document->root->children; def != NULL; def = def->next)
    {
      JsonObject *op;

      if (def->kind != BOUGH_GQL_OPERATION_DEFINITION)
        continue;
      op = json_object_new ();
      json_object_set_member (op, "name", string_node (def->name));
      json_object_set_string_member (op, "operation", bough_gql_operation_type_to_string (def->operation));
      json_array_add_object_element (operations, op);
      for (const BoughGqlNode *var = def->variables; var != NULL; var = var->next)
        {
          JsonObject *v = json_object_new ();
          g_autofree char *kind = bough_gql_print (var->type);
          g_autofree char *default_value = var->value != NULL ? bough_gql_print (var->value) : NULL;

          json_object_set_string_member (v, "name", var->name);
          json_object_set_string_member (v, "kind", kind);
          json_object_set_boolean_member (v, "required",
                                          var->type->kind == BOUGH_GQL_NON_NULL_TYPE && var->value == NULL);
          json_object_set_member (v, "default_value", string_node (default_value));
          json_array_add_object_element (variables, v);
        }
      walk_selections (&w, bough_gql_schema_get_root_type (gql, def->operation), def->selection_set, 1);
    }

  sorted = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, models);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (sorted, key);
  g_ptr_array_sort (sorted, compare_strings);
  model_list = json_array_new ();
  for (guint i = 0; i < sorted->len; i++)
    json_array_add_string_element (model_list, g_ptr_array_index (sorted, i));

  out = json_object_new ();
  json_object_set_member (out, "variables", value_of (json_node_init_array (json_node_alloc (), variables)));
  json_object_set_member (out, "operations", value_of (json_node_init_array (json_node_alloc (), operations)));
  json_object_set_member (out, "models", value_of (json_node_init_array (json_node_alloc (), model_list)));
  json_object_set_member (out, "depth", value_of (json_node_init_int (json_node_alloc (), w.depth)));
  json_object_set_member (out, "height", value_of (json_node_init_int (json_node_alloc (), w.height)));
  json_array_unref (variables);
  json_array_unref (operations);
  json_array_unref (model_list);
  return out;
}
