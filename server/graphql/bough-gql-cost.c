/* bough-gql-cost.c: the cost estimate of an operation of the generated API, from its document
 * alone: every list (top-level kinds, nested relationships, hierarchy walks, Relationship)
 * returns at most its page (its `limit`, else the default page size, never more than the
 * maximum) and never more than the nodes of its kind, once per item of the list around it. A
 * list whose edges are not asked (a count) reads no node rows.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-gql-cost"

#include "config.h"

#include <string.h>

#include "bough-gql-cost.h"

#define SATURATED (G_MAXINT64 / 4)
/* fragments nest at most this deep in a walk (validation refuses cycles) */
#define MAX_FRAGMENT_NESTING 64

typedef struct
{
  BoughGqlSchema         *gql;
  const BoughGqlDocument *document;
  JsonObject             *variables;
  gint64                  default_page;
  gint64                  max_page;
  BoughGqlKindSize        kind_size;
  gpointer                user_data;
  GHashTable             *sizes;    /* kind → gint64* */
  gint64                  rows;
  guint                   depth;
} Walk;

static gint64
saturating_mul (gint64 a,
                gint64 b)
{
  if (a <= 0 || b <= 0)
    return 0;
  if (a > SATURATED / b)
    return SATURATED;
  return a * b;
}

static const BoughGqlNode *
find_fragment (Walk       *w,
               const char *name)
{
  for (const BoughGqlNode *def = w->document->root->children; def != NULL; def = def->next)
    if (def->kind == BOUGH_GQL_FRAGMENT_DEFINITION && g_strcmp0 (def->name, name) == 0)
      return def;
  return NULL;
}

/* Whether a type is a list of nodes the estimate counts. */
static gboolean
is_list (BoughGqlType *type)
{
  return g_str_has_prefix (type->name, "Paginated") || g_str_has_prefix (type->name, "NestedPaginated") ||
         g_str_equal (type->name, "Relationships") || g_str_equal (type->name, "NodeEdges");
}

/* The nodes of the kind a list type lists, -1 when unknown. */
static gint64
list_kind_size (Walk         *w,
                BoughGqlType *list)
{
  const char *kind = NULL;
  gint64 *size;

  if (w->kind_size == NULL)
    return -1;
  if (g_str_has_prefix (list->name, "NestedPaginated"))
    kind = list->name + strlen ("NestedPaginated");
  else if (g_str_has_prefix (list->name, "Paginated"))
    kind = list->name + strlen ("Paginated");
  if (kind == NULL || *kind == '\0')
    return -1;
  size = g_hash_table_lookup (w->sizes, kind);
  if (size == NULL)
    {
      size = g_new (gint64, 1);
      *size = w->kind_size (kind, w->user_data);
      g_hash_table_insert (w->sizes, g_strdup (kind), size);
    }
  return *size;
}

/* The page a list field returns at most. */
static gint64
field_page (Walk               *w,
            const BoughGqlNode *field,
            BoughGqlType       *list)
{
  gint64 size = list_kind_size (w, list);

  gint64 page = -1;

  for (const BoughGqlNode *arg = field->arguments; arg != NULL; arg = arg->next)
    {
      const BoughGqlNode *value = arg->value;

      if (g_strcmp0 (arg->name, "limit") != 0 || value == NULL)
        continue;
      if (value->kind == BOUGH_GQL_INT_VALUE)
        page = g_ascii_strtoll (value->text, NULL, 10);
      else if (value->kind == BOUGH_GQL_VARIABLE && w->variables != NULL &&
               json_object_has_member (w->variables, value->name) &&
               json_node_get_value_type (json_object_get_member (w->variables, value->name)) == G_TYPE_INT64)
        page = json_object_get_int_member (w->variables, value->name);
    }
  if (page < 0)
    page = w->default_page > 0 ? w->default_page : w->max_page;
  if (w->max_page > 0 && (page < 0 || page > w->max_page))
    page = w->max_page;
  if (page < 0)
    page = SATURATED;
  /* a list never holds more nodes than its kind has */
  return size >= 0 ? MIN (page, size) : page;
}

/* Whether @selection_set asks for `edges` (through fragments too). */
static gboolean
asks_edges (Walk               *w,
            const BoughGqlNode *selection_set,
            guint               nesting)
{
  if (selection_set == NULL || nesting > MAX_FRAGMENT_NESTING)
    return FALSE;
  for (const BoughGqlNode *sel = selection_set->children; sel != NULL; sel = sel->next)
    {
      if (sel->kind == BOUGH_GQL_FIELD && g_strcmp0 (sel->name, "edges") == 0)
        return TRUE;
      if (sel->kind == BOUGH_GQL_INLINE_FRAGMENT && asks_edges (w, sel->selection_set, nesting + 1))
        return TRUE;
      if (sel->kind == BOUGH_GQL_FRAGMENT_SPREAD)
        {
          const BoughGqlNode *frag = find_fragment (w, sel->name);

          if (frag != NULL && asks_edges (w, frag->selection_set, nesting + 1))
            return TRUE;
        }
    }
  return FALSE;
}

/* @in_list: @type is a list's wrapper, whose `edges` are the rows already
 * counted for the list. */
static void
walk (Walk               *w,
      BoughGqlType       *type,
      const BoughGqlNode *selection_set,
      gint64              multiplier,
      guint               depth,
      guint               nesting,
      gboolean            in_list)
{
  if (selection_set == NULL || type == NULL || nesting > MAX_FRAGMENT_NESTING)
    return;
  for (const BoughGqlNode *sel = selection_set->children; sel != NULL; sel = sel->next)
    {
      if (sel->kind == BOUGH_GQL_FIELD)
        {
          BoughGqlField *def = bough_gql_type_get_field (type, sel->name);
          BoughGqlType *named;

          if (def == NULL || sel->selection_set == NULL)
            continue;
          named = bough_gql_type_named (def->type);
          if (in_list && g_strcmp0 (sel->name, "edges") == 0)
            walk (w, named, sel->selection_set, multiplier, depth, nesting, FALSE);
          else if (is_list (named) && asks_edges (w, sel->selection_set, 0))
            {
              gint64 rows = saturating_mul (multiplier, field_page (w, sel, named));

              w->rows = MIN (SATURATED, w->rows + rows);
              w->depth = MAX (w->depth, depth + 1);
              walk (w, named, sel->selection_set, rows, depth + 1, nesting, TRUE);
            }
          else if (g_str_has_prefix (named->name, "NestedEdged"))
            {
              /* one peer per item */
              w->rows = MIN (SATURATED, w->rows + multiplier);
              w->depth = MAX (w->depth, depth + 1);
              walk (w, named, sel->selection_set, multiplier, depth + 1, nesting, FALSE);
            }
          else
            walk (w, named, sel->selection_set, multiplier, depth, nesting, is_list (named));
        }
      else if (sel->kind == BOUGH_GQL_INLINE_FRAGMENT)
        {
          BoughGqlType *cond = sel->type ? bough_gql_schema_get_type (w->gql, sel->type->name) : type;

          walk (w, cond, sel->selection_set, multiplier, depth, nesting + 1, in_list);
        }
      else if (sel->kind == BOUGH_GQL_FRAGMENT_SPREAD)
        {
          const BoughGqlNode *frag = find_fragment (w, sel->name);

          if (frag != NULL)
            walk (w, bough_gql_schema_get_type (w->gql, frag->type->name), frag->selection_set,
                  multiplier, depth, nesting + 1, in_list);
        }
    }
}

/**
 * bough_gql_estimate_cost:
 * @gql: the generated schema
 * @document: a validated document
 * @operation: the operation of @document to run
 * @variables: (nullable): its coerced variables
 * @default_page_size: the page of a list without `limit` (0: @max_page_size)
 * @max_page_size: the largest page (0: none)
 * @kind_size: (nullable) (scope call): the number of nodes of a kind
 * @user_data: data for @kind_size
 * @cost: (out caller-allocates): the estimate
 *
 * Estimates, before running it, how many node rows @operation may read:
 * each list returns at most its page, and no more than the nodes of its
 * kind (@kind_size, asked once per kind), once per item of the list it is
 * nested in, so the rows multiply down the nesting; a list whose edges are
 * not asked (only its count) reads none. The cost is those rows times the
 * deepest nesting of lists, so that deep fan-outs weigh more than wide
 * flat pages. It is an upper bound: lists are often shorter than a page.
 */
void
bough_gql_estimate_cost (BoughGqlSchema         *gql,
                         const BoughGqlDocument *document,
                         const BoughGqlNode     *operation,
                         JsonObject             *variables,
                         gint64                  default_page_size,
                         gint64                  max_page_size,
                         BoughGqlKindSize        kind_size,
                         gpointer                user_data,
                         BoughGqlCost           *cost)
{
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Walk w = { gql, document, variables, default_page_size, max_page_size, kind_size, user_data, sizes, 0, 0 };

  g_return_if_fail (gql != NULL && document != NULL && operation != NULL && cost != NULL);

  walk (&w, bough_gql_schema_get_root_type (gql, operation->operation), operation->selection_set, 1, 0, 0, FALSE);
  cost->rows = w.rows;
  cost->depth = w.depth;
  cost->cost = saturating_mul (w.rows, MAX (w.depth, 1));
}
