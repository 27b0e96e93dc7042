/* bough-gql-execute.c: execution of the generated API. Lists of nodes are resolved field by
 * field for all nodes at once: one store query per list field, one peer fetch per
 * relationship field and one query for the peers' own fields, whatever the number of nodes.
 * Mutations run each in their own store transaction.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-gql-execute"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-gql-account.h"
#include "bough-gql-branch.h"
#include "bough-gql-events.h"
#include "bough-gql-execute.h"
#include "bough-gql-introspection.h"
#include "bough-gql-permissions.h"
#include "bough-gql-result.h"
#include "bough-gql-stored.h"
#include "bough-gql-values.h"

typedef struct _Path Path;
struct _Path
{
  const Path *prev;
  const char *key;              /* NULL for an index */
  gint        index;
};

typedef struct
{
  const BoughGqlExecContext *c;
  BoughGqlSchema            *gql;
  JsonObject                *variables;
  GHashTable                *fragments;
  JsonArray                 *errors;
  BoughGqlExecStats         *stats;
  gint64                     at;
  GHashTable                *sub_cache;  /* SubKey → Fields*: sub-selections per item */
  BoughGqlTree              *tree;       /* the response; holds the store results it borrows from */
  BoughTxn                  *txn;        /* the mutation's open transaction, or NULL */
  GArray                    *pending;    /* of PendingWrite: written in txn, not completed yet */
  BoughPermissions          *perms;      /* what the caller may do */
  gboolean                   see_all;    /* the caller may view every kind */
  gboolean                   default_branch; /* the request runs on the default branch */
  GHashTable                *view_memo;  /* kind → GINT_TO_POINTER (1 + may view) */
  GHashTable                *commit_accounts; /* stamp → account id (nullable), lazily */
  GHashTable                *account_names;   /* account id → name, lazily */
  gboolean                   subscription;    /* a subscription's message (bough-gql-events.c) */
} Exec;

/* A data mutation field written in the operation's transaction, completed
 * once that transaction commits. */
typedef struct
{
  BoughGqlField *def;
  GPtrArray     *group;       /* the field's nodes, owned by the operation's Fields */
  const char    *key;         /* its response key, idem */
  char          *kind;
  char          *id;          /* the node written; NULL for deletes and relationship changes */
  gboolean       failed;      /* its error is reported already */
} PendingWrite;

/* A response key and the field nodes merged under it. */
typedef struct
{
  GPtrArray  *keys;             /* of const char*, in order */
  GHashTable *groups;           /* key → GPtrArray of const BoughGqlNode* */
} Fields;

static void
fields_init (Fields *f)
{
  f->keys = g_ptr_array_new ();
  f->groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
}

static void
fields_clear (Fields *f)
{
  g_clear_pointer (&f->keys, g_ptr_array_unref);
  g_clear_pointer (&f->groups, g_hash_table_unref);
}

static const BoughGqlNode *
fields_first (Fields     *f,
              const char *key)
{
  GPtrArray *group = g_hash_table_lookup (f->groups, key);

  return g_ptr_array_index (group, 0);
}

static JsonNode *
path_to_json (const Path *path)
{
  JsonArray *array = json_array_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new ();
  JsonNode *node;

  for (const Path *p = path; p != NULL; p = p->prev)
    g_ptr_array_insert (items, 0, (gpointer) p);
  for (guint i = 0; i < items->len; i++)
    {
      const Path *p = g_ptr_array_index (items, i);

      if (p->key != NULL)
        json_array_add_string_element (array, p->key);
      else
        json_array_add_int_element (array, p->index);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

static void
add_error (Exec               *ex,
           const BoughGqlNode *at,
           const Path         *path,
           const char         *message)
{
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "message", message);
  if (at != NULL)
    {
      JsonArray *locations = json_array_new ();
      JsonObject *loc = json_object_new ();

      json_object_set_int_member (loc, "line", at->line);
      json_object_set_int_member (loc, "column", at->column);
      json_array_add_object_element (locations, loc);
      json_object_set_array_member (error, "locations", locations);
    }
  if (path != NULL)
    json_object_set_member (error, "path", path_to_json (path));
  json_array_add_object_element (ex->errors, error);
}

/* A data mutation's error: when it is about one input field, a Bough
 * extension names it in `extensions.field` so that a form can show it next
 * to that field. */
static void
add_input_error (Exec               *ex,
                 const BoughGqlNode *at,
                 const Path         *path,
                 const char         *message,
                 const GError       *cause)
{
  const char *field = bough_error_get_field (cause);
  JsonObject *error, *extensions;

  add_error (ex, at, path, message);
  if (field == NULL)
    return;
  error = json_array_get_object_element (ex->errors, json_array_get_length (ex->errors) - 1);
  extensions = json_object_new ();
  json_object_set_string_member (extensions, "field", field);
  json_object_set_object_member (error, "extensions", extensions);
}

/* A refusal: the error carries `extensions.code` 403, as Infrahub's do. */
static void
add_denied (Exec               *ex,
            const BoughGqlNode *at,
            const Path         *path,
            const char         *message)
{
  JsonObject *error, *extensions = json_object_new ();

  add_error (ex, at, path, message);
  error = json_array_get_object_element (ex->errors, json_array_get_length (ex->errors) - 1);
  json_object_set_int_member (extensions, "code", 403);
  json_object_set_object_member (error, "extensions", extensions);
}

/* ---- permissions ---- */

/* Whether the caller may do @action on nodes of the node kind @kind here.
 * Writes of branch-agnostic kinds change every branch: they need the
 * rights of the default branch. */
static gboolean
may (Exec                  *ex,
     const char            *kind,
     BoughPermissionAction  action)
{
  BoughNodeSchema *ns = bough_schema_lookup (ex->c->schema, kind);
  gboolean on_default = ex->default_branch;

  if (ns == NULL)
    return FALSE;
  if (action != BOUGH_PERMISSION_VIEW && ns->branch == BOUGH_BRANCH_SUPPORT_AGNOSTIC)
    on_default = TRUE;
  return bough_permissions_allows_object (ex->perms, ns->namespace_, ns->name, action, on_default);
}

static gboolean
may_view (Exec       *ex,
          const char *kind)
{
  gpointer known;
  gboolean yes;

  if (ex->see_all)
    return TRUE;
  known = g_hash_table_lookup (ex->view_memo, kind);
  if (known != NULL)
    return GPOINTER_TO_INT (known) - 1;
  yes = may (ex, kind, BOUGH_PERMISSION_VIEW);
  g_hash_table_insert (ex->view_memo, g_strdup (kind), GINT_TO_POINTER (1 + yes));
  return yes;
}

typedef enum
{
  SEE_NONE,
  SEE_SOME,
  SEE_ALL,
} Seen;

/* How many of the node kinds behind @kind (a node or a generic) the caller
 * may view. */
static Seen
kind_visibility (Exec       *ex,
                 const char *kind)
{
  g_autoptr(GPtrArray) impl = NULL;
  guint n = 0;

  if (ex->see_all)
    return SEE_ALL;
  impl = bough_schema_get_implementors (ex->c->schema, kind);
  for (guint i = 0; i < impl->len; i++)
    n += may_view (ex, ((BoughNodeSchema *) g_ptr_array_index (impl, i))->kind);
  return n == 0 ? SEE_NONE : n == impl->len ? SEE_ALL : SEE_SOME;
}

/* A non-null field of @obj resolved to null: per the specification the null
 * goes up to the object itself, which its parent then shows as null. */
static void
null_field (Exec           *ex,
            BoughGqlObject *obj,
            const char     *key,
            gboolean        non_null)
{
  bough_gql_object_set_null (ex->tree, obj, key);
  if (non_null)
    bough_gql_object_mark_null (obj);
}

/* Places a completed object under @key: it is written as null if a non-null
 * field of it was null. */
static void
place_object (Exec           *ex,
              BoughGqlObject *parent,
              const char     *key,
              BoughGqlObject *obj)
{
  bough_gql_object_set_object (ex->tree, parent, key, obj);
}

static gboolean
fragment_applies (Exec         *ex,
                  BoughGqlType *object_type,
                  const char   *condition)
{
  BoughGqlType *cond;

  if (condition == NULL)
    return TRUE;
  cond = bough_gql_schema_get_type (ex->gql, condition);
  if (cond == NULL)
    return FALSE;
  if (cond == object_type)
    return TRUE;
  if (bough_gql_type_is_abstract (cond))
    {
      if (object_type->kind == BOUGH_GQL_TYPE_OBJECT)
        return bough_gql_type_is_possible (cond, object_type);
      /* an interface type standing for mixed kinds: keep what it implements */
      return g_ptr_array_find (object_type->interfaces, cond, NULL);
    }
  return FALSE;
}

static void
collect (Exec               *ex,
         BoughGqlType       *object_type,
         const BoughGqlNode *selection_set,
         Fields             *out,
         GHashTable         *visited)
{
  if (selection_set == NULL)
    return;
  for (const BoughGqlNode *sel = selection_set->children; sel != NULL; sel = sel->next)
    {
      if (!bough_gql_directives_include (sel->directives, ex->variables))
        continue;
      if (sel->kind == BOUGH_GQL_FIELD)
        {
          const char *key = sel->alias ? sel->alias : sel->name;
          GPtrArray *group = g_hash_table_lookup (out->groups, key);

          if (group == NULL)
            {
              group = g_ptr_array_new ();
              g_hash_table_insert (out->groups, (gpointer) key, group);
              g_ptr_array_add (out->keys, (gpointer) key);
            }
          g_ptr_array_add (group, (gpointer) sel);
        }
      else if (sel->kind == BOUGH_GQL_INLINE_FRAGMENT)
        {
          if (fragment_applies (ex, object_type, sel->type ? sel->type->name : NULL))
            collect (ex, object_type, sel->selection_set, out, visited);
        }
      else if (sel->kind == BOUGH_GQL_FRAGMENT_SPREAD)
        {
          const BoughGqlNode *frag;

          if (g_hash_table_contains (visited, sel->name))
            continue;
          g_hash_table_add (visited, (gpointer) sel->name);
          frag = g_hash_table_lookup (ex->fragments, sel->name);
          if (frag != NULL && fragment_applies (ex, object_type, frag->type->name))
            collect (ex, object_type, frag->selection_set, out, visited);
        }
    }
}

/* The merged sub-selections of @field_nodes for @object_type. */
static void
collect_sub (Exec         *ex,
             BoughGqlType *object_type,
             GPtrArray    *field_nodes,
             Fields       *out)
{
  g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);

  fields_init (out);
  for (guint i = 0; i < field_nodes->len; i++)
    {
      const BoughGqlNode *f = g_ptr_array_index (field_nodes, i);

      collect (ex, object_type, f->selection_set, out, visited);
    }
}

static void
fields_free (gpointer data)
{
  Fields *f = data;

  fields_clear (f);
  g_free (f);
}

/* The key of a cached sub-selection: an object type and the field nodes
 * merged under one response key, compared by address (AST nodes live as
 * long as the execution). */
typedef struct
{
  gconstpointer  type;
  guint          n;
  gconstpointer *nodes;
} SubKey;

static guint
sub_key_hash (gconstpointer data)
{
  const SubKey *k = data;
  guint h = g_direct_hash (k->type);

  for (guint i = 0; i < k->n; i++)
    h = h * 31 + g_direct_hash (k->nodes[i]);
  return h;
}

static gboolean
sub_key_equal (gconstpointer a,
               gconstpointer b)
{
  const SubKey *x = a, *y = b;

  return x->type == y->type && x->n == y->n && memcmp (x->nodes, y->nodes, sizeof (gpointer) * x->n) == 0;
}

/* collect_sub() once per execution for a type and a set of field nodes:
 * items of a list share it. */
static Fields *
collect_cached (Exec         *ex,
                BoughGqlType *object_type,
                GPtrArray    *field_nodes)
{
  SubKey key = { object_type, field_nodes->len, (gconstpointer *) field_nodes->pdata };
  Fields *f = g_hash_table_lookup (ex->sub_cache, &key);

  if (f == NULL)
    {
      SubKey *copy = g_malloc (sizeof (SubKey) + sizeof (gpointer) * MAX (key.n, 1));

      copy->type = key.type;
      copy->n = key.n;
      copy->nodes = (gconstpointer *) (copy + 1);
      if (key.n > 0)
        memcpy (copy->nodes, key.nodes, sizeof (gpointer) * key.n);
      f = g_new0 (Fields, 1);
      collect_sub (ex, object_type, field_nodes, f);
      g_hash_table_insert (ex->sub_cache, copy, f);
    }
  return f;
}

/* Coerced arguments of @field as declared by @def. */
static JsonObject *
arguments (Exec               *ex,
           BoughGqlField      *def,
           const BoughGqlNode *field)
{
  JsonObject *args = json_object_new ();

  if (def == NULL)
    return args;
  for (guint i = 0; i < def->args->len; i++)
    {
      BoughGqlField *a = g_ptr_array_index (def->args, i);
      const BoughGqlNode *given = NULL;
      JsonNode *value = NULL;

      for (const BoughGqlNode *n = field->arguments; n != NULL; n = n->next)
        if (strcmp (n->name, a->name) == 0)
          given = n;
      if (given != NULL && !(given->value->kind == BOUGH_GQL_VARIABLE &&
                             (ex->variables == NULL || !json_object_has_member (ex->variables, given->value->name))))
        value = bough_gql_value_from_literal (a->type, given->value, ex->variables);
      else
        value = bough_gql_field_default_json (a);
      if (value != NULL)
        json_object_set_member (args, a->name, value);
    }
  return args;
}

/* The ISO 8601 text of @stamp in the response's arena, %NULL for none. */
static const char *
stamp_string (Exec   *ex,
              gint64  stamp)
{
  g_autofree char *s = NULL;

  if (stamp <= 0)
    return NULL;
  s = bough_store_stamp_to_iso8601 (stamp);
  return bough_gql_tree_strdup (ex->tree, s);
}

/* ---- filters ---- */

static const char *filter_suffixes[] = {
  "__values", "__value", "__isnull", "__is_visible", "__is_protected", "__source__id",
  "__owner__id", "__ids", NULL
};
static const BoughFilterOp filter_ops[] = {
  BOUGH_FILTER_VALUES, BOUGH_FILTER_VALUE, BOUGH_FILTER_ISNULL, BOUGH_FILTER_IS_VISIBLE,
  BOUGH_FILTER_IS_PROTECTED, BOUGH_FILTER_SOURCE_ID, BOUGH_FILTER_OWNER_ID, BOUGH_FILTER_IDS,
};

/* The direction of an order entry: ASC unless given as DESC. */
static gboolean
order_is_desc (JsonNode *direction)
{
  return direction != NULL && JSON_NODE_HOLDS_VALUE (direction) &&
         json_node_get_value_type (direction) == G_TYPE_STRING &&
         g_str_equal (json_node_get_string (direction), "DESC");
}

/* `order: {disable, by, node_metadata}` as the store's order (see
 * BoughQuery.order_by), in *@out_order: %NULL (left as it is) for the
 * schema's order_by, empty for `disable: true` (creation order), else the
 * entries of `by` (or the one of the deprecated `node_metadata`) with
 * their direction. A query-time order replaces the schema's; the store
 * checks the fields against the kind. */
static gboolean
order_from_args (JsonObject   *args,
                 char       ***out_order,
                 GError      **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  JsonObject *order;
  JsonNode *by, *meta, *disable;
  gboolean has_by, has_meta = FALSE;

  *out_order = NULL;
  if (!json_object_has_member (args, "order") || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (args, "order")))
    return TRUE;
  order = json_object_get_object_member (args, "order");
  by = json_object_get_member (order, "by");
  meta = json_object_get_member (order, "node_metadata");
  disable = json_object_get_member (order, "disable");
  has_by = by != NULL && JSON_NODE_HOLDS_ARRAY (by);
  if (meta != NULL && JSON_NODE_HOLDS_OBJECT (meta))
    {
      JsonObject *m = json_node_get_object (meta);
      JsonNode *created = json_object_get_member (m, "created_at");
      JsonNode *updated = json_object_get_member (m, "updated_at");
      gboolean has_created = created != NULL && !JSON_NODE_HOLDS_NULL (created);
      gboolean has_updated = updated != NULL && !JSON_NODE_HOLDS_NULL (updated);

      if (has_created && has_updated)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                       "order: node_metadata.created_at and node_metadata.updated_at are mutually exclusive");
          return FALSE;
        }
      if (has_created || has_updated)
        {
          has_meta = TRUE;
          g_ptr_array_add (entries, g_strconcat (has_created ? "node_metadata__created_at"
                                                                 : "node_metadata__updated_at",
                                                     order_is_desc (has_created ? created : updated)
                                                     ? "__desc" : NULL, NULL));
        }
    }
  if (has_by && has_meta)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "order: 'by' and 'node_metadata' are mutually exclusive; use 'by'");
      return FALSE;
    }
  if (disable != NULL && JSON_NODE_HOLDS_VALUE (disable) && json_node_get_boolean (disable))
    {
      if (has_by || has_meta)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                       "order: 'disable' cannot be combined with '%s'", has_by ? "by" : "node_metadata");
          return FALSE;
        }
      *out_order = g_new0 (char *, 1);
      return TRUE;
    }
  if (has_by)
    {
      JsonArray *list = json_node_get_array (by);
      guint n = json_array_get_length (list);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *e = json_array_get_element (list, i);
          JsonObject *entry = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
          JsonNode *field = entry != NULL ? json_object_get_member (entry, "field") : NULL;
          const char *name;
          const char *end;

          if (field == NULL || !JSON_NODE_HOLDS_VALUE (field) ||
              json_node_get_value_type (field) != G_TYPE_STRING)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "order: every entry of 'by' needs a field");
              return FALSE;
            }
          name = json_node_get_string (field);
          /* the direction is the entry's own, not a suffix of the field */
          if ((end = g_strrstr (name, "__")) != NULL &&
              (g_str_equal (end, "__asc") || g_str_equal (end, "__desc")))
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                           "order: unknown field “%s” (give the direction as 'direction')", name);
              return FALSE;
            }
          g_ptr_array_add (entries, g_strconcat (name, order_is_desc (json_object_get_member (entry, "direction"))
                                                           ? "__desc" : NULL, NULL));
        }
      if (n == 0)
        return TRUE;
    }
  else if (!has_meta)
    return TRUE;
  g_ptr_array_add (entries, NULL);
  g_ptr_array_set_free_func (entries, NULL);
  *out_order = (char **) g_ptr_array_free (g_steal_pointer (&entries), FALSE);
  return TRUE;
}

/* The page a list returns: @limit as asked (-1: not asked), the default
 * page size when not asked, never more than the maximum. Top-level and
 * nested lists alike. */
static gint64
page_size (Exec   *ex,
           gint64  limit)
{
  gint64 max = ex->c->max_page_size;
  gint64 def = ex->c->default_page_size > 0 ? ex->c->default_page_size : max;

  if (limit < 0)
    limit = def > 0 ? def : -1;
  if (max > 0 && (limit < 0 || limit > max))
    limit = max;
  return limit;
}

/* Whether the caller may view some peer of @ns's relationship @name. */
static gboolean
peers_visible (Exec            *ex,
               BoughNodeSchema *ns,
               const char      *name)
{
  BoughRelationshipSchema *rs = bough_node_schema_get_relationship (ns, name);

  if (ex->see_all || rs == NULL)
    return TRUE;
  return kind_visibility (ex, rs->peer) != SEE_NONE;
}

/* Turns the filter arguments of a list field into @query's filters. */
static void
apply_filters (Exec            *ex,
               BoughNodeSchema *ns,
               JsonObject      *args,
               BoughQuery      *query)
{
  g_autoptr(GList) members = json_object_get_members (args);
  gboolean no_match = FALSE;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (args, name);

      if (JSON_NODE_HOLDS_NULL (value))
        continue;
      if (g_str_equal (name, "offset"))
        query->offset = MAX (0, json_node_get_int (value));
      else if (g_str_equal (name, "limit"))
        query->limit = MAX (0, json_node_get_int (value));
      else if (g_str_equal (name, "partial_match"))
        query->partial_match = json_node_get_boolean (value);
      else if (g_str_equal (name, "order"))
        continue;
      else if (g_str_equal (name, "include_descendants"))
        continue;
      else if (g_str_equal (name, "ids"))
        bough_query_add_filter (query, NULL, NULL, BOUGH_FILTER_IDS, value);
      else if (g_str_equal (name, "hfid"))
        bough_query_add_filter (query, NULL, NULL, BOUGH_FILTER_HFID, value);
      else
        {
          for (guint i = 0; filter_suffixes[i] != NULL; i++)
            {
              g_autofree char *prefix = NULL;
              char *sep;

              if (!g_str_has_suffix (name, filter_suffixes[i]))
                continue;
              prefix = g_strndup (name, strlen (name) - strlen (filter_suffixes[i]));
              sep = strstr (prefix, "__");
              if (sep != NULL)
                *sep = '\0';
              if (sep == NULL && (bough_node_schema_get_attribute (ns, prefix) != NULL || g_str_equal (prefix, "any")))
                bough_query_add_filter (query, NULL, prefix, filter_ops[i], value);
              else if (!peers_visible (ex, ns, prefix))
                {
                  /* peers the caller may not view filter as if there were
                   * none: no oracle on what they hold */
                  if (filter_ops[i] != BOUGH_FILTER_ISNULL || !json_node_get_boolean (value))
                    no_match = TRUE;
                }
              else
                bough_query_add_filter (query, prefix, sep != NULL ? sep + 2 : NULL, filter_ops[i], value);
              break;
            }
        }
    }
  if (no_match)
    {
      g_autoptr(JsonNode) none = json_node_new (JSON_NODE_ARRAY);

      json_node_take_array (none, json_array_new ());
      bough_query_add_filter (query, NULL, NULL, BOUGH_FILTER_IDS, none);
    }
  query->limit = page_size (ex, query->limit);
}

static BoughQueryResult *
run_query (Exec        *ex,
           BoughQuery  *query,
           GError     **error)
{
  BoughQueryResult *result;

  g_free (query->branch);
  query->branch = g_strdup (ex->c->branch);
  query->at = ex->at;
  ex->stats->store_queries++;
  result = bough_store_query (ex->c->store, query, error);
  if (result != NULL)
    ex->stats->node_rows += result->nodes->len;
  return result;
}

/* run_query() that returns only the nodes the caller may view, counted as
 * if the others did not exist (RELIABILITY 20, 21). A list of a generic
 * whose kinds are partly visible is read whole and paged here. */
static BoughQueryResult *
run_visible_query (Exec        *ex,
                   BoughQuery  *query,
                   GError     **error)
{
  BoughQueryResult *result;
  GPtrArray *visible;
  gint64 offset, limit;
  gboolean count_only;

  switch (kind_visibility (ex, query->kind))
    {
    case SEE_ALL:
      return run_query (ex, query, error);
    case SEE_NONE:
      result = g_new0 (BoughQueryResult, 1);
      result->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_unref);
      return result;
    case SEE_SOME:
    default:
      break;
    }
  offset = query->offset;
  limit = query->limit;
  count_only = query->count_only;
  query->offset = 0;
  query->limit = -1;
  query->count_only = FALSE;
  query->skip_count = TRUE;
  result = run_query (ex, query, error);
  if (result == NULL)
    return NULL;
  visible = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_unref);
  for (guint i = 0; i < result->nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (result->nodes, i);

      if (may_view (ex, node->kind))
        g_ptr_array_add (visible, bough_node_ref (node));
    }
  result->count = visible->len;
  if (count_only || offset >= (gint64) visible->len)
    g_ptr_array_set_size (visible, 0);
  else
    {
      if (offset > 0)
        g_ptr_array_remove_range (visible, 0, (guint) offset);
      if (limit >= 0 && limit < (gint64) visible->len)
        g_ptr_array_set_size (visible, (guint) limit);
    }
  g_ptr_array_unref (result->nodes);
  result->nodes = visible;
  return result;
}

/* ---- nodes ---- */

static void complete_nodes (Exec *ex, GPtrArray *nodes, BoughGqlType *static_type,
                            GPtrArray *field_nodes, const Path * const *paths,
                            BoughGqlObject **out);

/* The kind `source` and `owner` properties point to. */
static const char *
lineage_kind (Exec       *ex,
              const char *property)
{
  const char *generic = g_str_equal (property, "source") ? "LineageSource" : "LineageOwner";

  return bough_schema_lookup (ex->c->schema, generic) != NULL ? generic : "CoreNode";
}

/* Loads the nodes named by @ids (of @kind) in one query and completes
 * @field_nodes for each: id → BoughGqlObject (both owned by the tree). */
static GHashTable *
load_refs (Exec               *ex,
           const char         *kind,
           GHashTable         *ids,
           GPtrArray          *field_nodes,
           const Path         *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughQuery) query = bough_query_new (kind);
  BoughQueryResult *result = NULL;
  GHashTable *out = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    json_array_add_string_element (array, key);
  json_node_take_array (node, array);
  bough_query_add_filter (query, NULL, NULL, BOUGH_FILTER_IDS, node);
  json_node_unref (node);
  query->limit = -1;
  query->skip_count = TRUE;
  if (g_hash_table_size (ids) == 0)
    return out;
  /* a source or owner the caller may not view is null, as if unset */
  result = run_visible_query (ex, query, &error);
  if (result == NULL)
    {
      add_error (ex, g_ptr_array_index (field_nodes, 0), path, error->message);
      return out;
    }
  bough_gql_tree_keep (ex->tree, result, (GDestroyNotify) bough_query_result_free);
  if (result->nodes->len > 0)
    {
      g_autofree BoughGqlObject **objs = g_new0 (BoughGqlObject *, result->nodes->len);

      g_autofree const Path **paths = g_new0 (const Path *, result->nodes->len);

      /* referenced nodes are shared by the items that name them: errors
       * inside them carry the path of the property */
      for (guint i = 0; i < result->nodes->len; i++)
        {
          objs[i] = bough_gql_tree_new_object (ex->tree);
          paths[i] = path;
        }
      complete_nodes (ex, result->nodes, bough_gql_schema_get_type (ex->gql, kind), field_nodes,
                      paths, objs);
      for (guint i = 0; i < result->nodes->len; i++)
        g_hash_table_insert (out, ((BoughNode *) g_ptr_array_index (result->nodes, i))->id, objs[i]);
    }
  return out;
}

static void
set_ref (Exec           *ex,
         BoughGqlObject *obj,
         const char     *key,
         GHashTable     *refs,
         const char     *id)
{
  BoughGqlObject *ref = (refs != NULL && id != NULL) ? g_hash_table_lookup (refs, id) : NULL;

  if (ref != NULL)
    place_object (ex, obj, key, ref);
  else
    bough_gql_object_set_null (ex->tree, obj, key);
}

/* For each `source`/`owner` key of @sub, the referenced nodes of every item
 * loaded at once: key → (id → BoughGqlObject). @get_id gives an item's id. */
typedef const char *(*RefGetter) (gconstpointer item, const char *property);

static GHashTable *
load_property_refs (Exec         *ex,
                    Fields       *sub,
                    gconstpointer items,
                    gsize         item_size,
                    guint         n_items,
                    RefGetter     get_id,
                    const Path   *path)
{
  GHashTable *by_key = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_hash_table_unref);

  for (guint k = 0; k < sub->keys->len; k++)
    {
      const char *skey = g_ptr_array_index (sub->keys, k);
      const char *name = fields_first (sub, skey)->name;
      g_autoptr(GHashTable) ids = NULL;
      Path here = { path, skey, 0 };

      if (!g_str_equal (name, "source") && !g_str_equal (name, "owner"))
        continue;
      ids = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < n_items; i++)
        {
          const char *id = get_id ((const char *) items + i * item_size, name);

          if (id != NULL)
            g_hash_table_add (ids, (gpointer) id);
        }
      g_hash_table_insert (by_key, (gpointer) skey,
                           load_refs (ex, lineage_kind (ex, name), ids, g_hash_table_lookup (sub->groups, skey), &here));
    }
  return by_key;
}

static const char *
attribute_ref (gconstpointer item,
               const char   *property)
{
  const BoughAttributeValue *av = *(const BoughAttributeValue * const *) item;

  if (av == NULL)
    return NULL;
  return g_str_equal (property, "source") ? av->source : av->owner;
}

static const char *
peer_ref (gconstpointer item,
          const char   *property)
{
  const BoughPeer *peer = *(const BoughPeer * const *) item;

  if (peer == NULL)
    return NULL;
  return g_str_equal (property, "source") ? peer->source : peer->owner;
}

/* The value of @av written from the store's compact form (it lives as long
 * as the tree holds the node): no JSON node is made for it. */
static void
set_attribute_value (Exec                      *ex,
                     BoughGqlObject            *obj,
                     const char                *key,
                     const BoughAttributeValue *av)
{
  switch (av->type)
    {
    case BOUGH_VALUE_BOOLEAN:
      bough_gql_object_set_boolean (ex->tree, obj, key, av->v.boolean);
      break;
    case BOUGH_VALUE_INT:
      bough_gql_object_set_int (ex->tree, obj, key, av->v.integer);
      break;
    case BOUGH_VALUE_DOUBLE:
      bough_gql_object_set_double (ex->tree, obj, key, av->v.number);
      break;
    case BOUGH_VALUE_STRING:
      bough_gql_object_set_string (ex->tree, obj, key, av->v.string);
      break;
    case BOUGH_VALUE_JSON:
      bough_gql_object_set_json (ex->tree, obj, key, av->v.json);
      break;
    case BOUGH_VALUE_NULL:
    default:
      bough_gql_object_set_null (ex->tree, obj, key);
      break;
    }
}

static void
complete_attribute (Exec                      *ex,
                    BoughNode                 *node,
                    const BoughAttributeValue *av,
                    BoughAttributeSchema      *as,
                    BoughGqlType              *type,
                    Fields                    *subp,
                    GHashTable                *refs,
                    BoughGqlObject            *parent,
                    const char                *key)
{
  Fields sub = *subp;
  BoughGqlTree *tree = ex->tree;
  BoughGqlObject *obj;

  if (av == NULL)
    {
      bough_gql_object_set_null (tree, parent, key);
      return;
    }
  obj = bough_gql_tree_new_object (tree);
  for (guint k = 0; k < sub.keys->len; k++)
    {
      const char *skey = g_ptr_array_index (sub.keys, k);
      const char *name = fields_first (&sub, skey)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (tree, obj, skey, type->name);
      else if (g_str_equal (name, "value"))
        {
          /* a password hash never leaves the server */
          if (as->kind == BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD)
            bough_gql_object_set_null (tree, obj, skey);
          else
            set_attribute_value (ex, obj, skey, av);
        }
      else if (g_str_equal (name, "id"))
        {
          g_autofree char *id = bough_store_attribute_id (node->id, as->name);

          bough_gql_object_set_string (tree, obj, skey, bough_gql_tree_strdup (tree, id));
        }
      else if (g_str_equal (name, "updated_by"))
        bough_gql_object_set_null (tree, obj, skey);
      else if (g_str_equal (name, "permissions"))
        {
          BoughGqlType *ptype = bough_gql_schema_get_type (ex->gql, "AttributePermission");
          Fields psub = *collect_cached (ex, ptype, g_hash_table_lookup (sub.groups, skey));
          BoughGqlObject *pobj = bough_gql_tree_new_object (tree);

          for (guint q = 0; q < psub.keys->len; q++)
            {
              const char *pkey = g_ptr_array_index (psub.keys, q);
              const char *pname = fields_first (&psub, pkey)->name;

              if (g_str_equal (pname, "__typename"))
                bough_gql_object_set_string (tree, pobj, pkey, ptype->name);
              else if (g_str_equal (pname, "update_value"))
                bough_gql_object_set_string (tree, pobj, pkey, bough_gql_decision_to_string (
                  bough_gql_permission_decide (ex->perms, ex->c->schema, node->kind,
                                               BOUGH_GQL_ACTION_UPDATE_VALUE)));
              else
                bough_gql_object_set_null (tree, pobj, pkey);
            }
          bough_gql_object_set_object (tree, obj, skey, pobj);
        }
      else if (g_str_equal (name, "is_default"))
        bough_gql_object_set_boolean (tree, obj, skey, av->is_default);
      else if (g_str_equal (name, "is_protected"))
        bough_gql_object_set_boolean (tree, obj, skey, av->is_protected);
      else if (g_str_equal (name, "is_visible"))
        bough_gql_object_set_boolean (tree, obj, skey, av->is_visible);
      else if (g_str_equal (name, "is_inherited") || g_str_equal (name, "is_from_profile"))
        bough_gql_object_set_boolean (tree, obj, skey, FALSE);
      else if (g_str_equal (name, "updated_at"))
        bough_gql_object_set_string (tree, obj, skey, stamp_string (ex, av->updated_at));
      else if (g_str_equal (name, "source") || g_str_equal (name, "owner"))
        set_ref (ex, obj, skey, g_hash_table_lookup (refs, skey), g_str_equal (name, "source") ? av->source : av->owner);
      else if (g_str_equal (name, "label") || g_str_equal (name, "color") || g_str_equal (name, "description"))
        {
          const char *found = NULL;

          for (guint c = 0; as->choices != NULL && av->type == BOUGH_VALUE_STRING && c < as->choices->len; c++)
            {
              BoughDropdownChoice *choice = g_ptr_array_index (as->choices, c);

              if (g_strcmp0 (choice->name, av->v.string) == 0)
                found = g_str_equal (name, "label") ? choice->label
                        : g_str_equal (name, "color") ? choice->color : choice->description;
            }
          bough_gql_object_set_string (tree, obj, skey, found);
        }
      else if (g_str_equal (name, "prefixlen") || g_str_equal (name, "version") || g_str_equal (name, "ip"))
        {
          const char *s = av->type == BOUGH_VALUE_STRING ? av->v.string : NULL;
          const char *slash = s ? strchr (s, '/') : NULL;

          if (s == NULL)
            bough_gql_object_set_null (tree, obj, skey);
          else if (g_str_equal (name, "ip"))
            {
              g_autofree char *ip = slash ? g_strndup (s, slash - s) : NULL;

              bough_gql_object_set_string (tree, obj, skey, ip ? bough_gql_tree_strdup (tree, ip) : s);
            }
          else if (g_str_equal (name, "version"))
            bough_gql_object_set_int (tree, obj, skey, strchr (s, ':') ? 6 : 4);
          else if (slash != NULL)
            bough_gql_object_set_int (tree, obj, skey, g_ascii_strtoll (slash + 1, NULL, 10));
          else
            bough_gql_object_set_int (tree, obj, skey, strchr (s, ':') ? 128 : 32);
        }
      else
        bough_gql_object_set_null (tree, obj, skey);
    }
  bough_gql_object_set_object (tree, parent, key, obj);
}

/* Whether a selection asks only what a BoughPeer carries. */
static gboolean
selection_is_simple (Exec               *ex,
                     const BoughGqlNode *selection_set,
                     guint               depth)
{
  if (selection_set == NULL)
    return TRUE;
  if (depth > 16)
    return FALSE;
  for (const BoughGqlNode *sel = selection_set->children; sel != NULL; sel = sel->next)
    {
      if (sel->kind == BOUGH_GQL_FIELD)
        {
          if (strcmp (sel->name, "id") != 0 && strcmp (sel->name, "hfid") != 0 &&
              strcmp (sel->name, "display_label") != 0 && strcmp (sel->name, "__typename") != 0)
            return FALSE;
        }
      else if (sel->kind == BOUGH_GQL_INLINE_FRAGMENT)
        {
          if (!selection_is_simple (ex, sel->selection_set, depth + 1))
            return FALSE;
        }
      else if (sel->kind == BOUGH_GQL_FRAGMENT_SPREAD)
        {
          const BoughGqlNode *frag = g_hash_table_lookup (ex->fragments, sel->name);

          if (frag == NULL || !selection_is_simple (ex, frag->selection_set, depth + 1))
            return FALSE;
        }
    }
  return TRUE;
}

/* A peer's strings are copied: fetching the same relationship again (an
 * alias) replaces the peers of the nodes. */
static BoughGqlObject *
peer_object (Exec            *ex,
             const BoughPeer *peer,
             GPtrArray       *field_nodes)
{
  BoughGqlType *type = bough_gql_schema_get_type (ex->gql, peer->kind);
  BoughGqlObject *obj = bough_gql_tree_new_object (ex->tree);
  Fields sub = *collect_cached (ex, type, field_nodes);

  for (guint k = 0; k < sub.keys->len; k++)
    {
      const char *skey = g_ptr_array_index (sub.keys, k);
      const char *name = fields_first (&sub, skey)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, obj, skey, peer->kind);
      else if (g_str_equal (name, "id"))
        bough_gql_object_set_string (ex->tree, obj, skey, bough_gql_tree_strdup (ex->tree, peer->id));
      else if (g_str_equal (name, "hfid"))
        bough_gql_object_set_strv (ex->tree, obj, skey, bough_gql_tree_strdupv (ex->tree, peer->hfid));
      else if (g_str_equal (name, "display_label"))
        bough_gql_object_set_string (ex->tree, obj, skey, bough_gql_tree_strdup (ex->tree, peer->display_label));
    }
  return obj;
}

static BoughGqlObject *
properties_object (Exec            *ex,
                   const BoughPeer *peer,
                   GPtrArray       *field_nodes,
                   GHashTable      *refs)
{
  BoughGqlObject *obj = bough_gql_tree_new_object (ex->tree);
  Fields sub = *collect_cached (ex, bough_gql_schema_get_type (ex->gql, "RelationshipProperty"), field_nodes);

  for (guint k = 0; k < sub.keys->len; k++)
    {
      const char *skey = g_ptr_array_index (sub.keys, k);
      const char *name = fields_first (&sub, skey)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, obj, skey, "RelationshipProperty");
      else if (g_str_equal (name, "is_visible"))
        bough_gql_object_set_boolean (ex->tree, obj, skey, peer->is_visible);
      else if (g_str_equal (name, "is_protected"))
        bough_gql_object_set_boolean (ex->tree, obj, skey, peer->is_protected);
      else if (g_str_equal (name, "updated_at"))
        bough_gql_object_set_string (ex->tree, obj, skey, stamp_string (ex, peer->updated_at));
      else if (g_str_equal (name, "source") || g_str_equal (name, "owner"))
        set_ref (ex, obj, skey, refs ? g_hash_table_lookup (refs, skey) : NULL,
                 g_str_equal (name, "source") ? peer->source : peer->owner);
    }
  return obj;
}

/* The account that made commit @stamp (NULL: the server itself), read once
 * per stamp of the response. */
static const char *
commit_account (Exec   *ex,
                gint64  stamp)
{
  gpointer found = NULL;

  if (ex->commit_accounts == NULL)
    ex->commit_accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  if (!g_hash_table_lookup_extended (ex->commit_accounts, &stamp, NULL, &found))
    {
      g_autoptr(GArray) stamps = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GError) error = NULL;

      g_array_append_val (stamps, stamp);
      ex->stats->store_queries++;
      if (!bough_store_get_commit_accounts (ex->c->store, stamps, ex->commit_accounts, &error))
        g_debug ("cannot read the account of commit %" G_GINT64_FORMAT ": %s", stamp, error->message);
      if (!g_hash_table_lookup_extended (ex->commit_accounts, &stamp, NULL, &found))
        {
          gint64 *key = g_new (gint64, 1);

          *key = stamp;
          g_hash_table_insert (ex->commit_accounts, key, NULL);
          found = NULL;
        }
    }
  return found;
}

/* Reads the authors of the commits that made @nodes, in one query, so that
 * a page's node_metadata costs no query per node. */
static void
prefetch_commit_accounts (Exec      *ex,
                          GPtrArray *nodes)
{
  g_autoptr(GArray) stamps = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GError) error = NULL;

  if (ex->commit_accounts == NULL)
    ex->commit_accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (nodes, i);
      gint64 *both[2] = { &node->created_at, &node->updated_at };

      for (guint j = 0; j < 2; j++)
        if (*both[j] > 0 && !g_hash_table_contains (ex->commit_accounts, both[j]) &&
            g_hash_table_add (wanted, both[j]))
          g_array_append_val (stamps, *both[j]);
    }
  if (stamps->len == 0)
    return;
  ex->stats->store_queries++;
  if (!bough_store_get_commit_accounts (ex->c->store, stamps, ex->commit_accounts, &error))
    {
      g_debug ("cannot read the accounts of commits: %s", error->message);
      return;
    }
  /* stamps without a commit row answer null, not a query each */
  for (guint i = 0; i < stamps->len; i++)
    if (!g_hash_table_contains (ex->commit_accounts, &g_array_index (stamps, gint64, i)))
      g_hash_table_insert (ex->commit_accounts, g_memdup2 (&g_array_index (stamps, gint64, i), sizeof (gint64)),
                           NULL);
}

/* created_by / updated_by: the account as a related node {id, display_label,
 * __typename}, null for the server's own changes. */
static BoughGqlObject *
account_object (Exec       *ex,
                const char *account_id,
                GPtrArray  *field_nodes)
{
  BoughGqlType *type = bough_gql_schema_get_type (ex->gql, "CoreGenericAccount");
  BoughGqlObject *obj;
  const char *label = NULL;
  Fields sub;

  if (account_id == NULL || type == NULL)
    return NULL;
  if (ex->account_names == NULL)
    ex->account_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_hash_table_lookup_extended (ex->account_names, account_id, NULL, (gpointer *) &label))
    {
      g_autoptr(BoughNode) node = NULL;

      ex->stats->store_queries++;
      node = bough_store_get_node (ex->c->store, BOUGH_DEFAULT_BRANCH, 0, "CoreAccount", account_id, NULL);
      label = node && node->display_label ? node->display_label : NULL;
      g_hash_table_insert (ex->account_names, g_strdup (account_id), g_strdup (label));
      label = g_hash_table_lookup (ex->account_names, account_id);
    }
  obj = bough_gql_tree_new_object (ex->tree);
  collect_sub (ex, type, field_nodes, &sub);
  for (guint k = 0; k < sub.keys->len; k++)
    {
      const char *skey = g_ptr_array_index (sub.keys, k);
      const char *name = fields_first (&sub, skey)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, obj, skey, "CoreAccount");
      else if (g_str_equal (name, "id"))
        bough_gql_object_set_string (ex->tree, obj, skey, bough_gql_tree_strdup (ex->tree, account_id));
      else if (g_str_equal (name, "display_label"))
        bough_gql_object_set_string (ex->tree, obj, skey,
                                     label ? bough_gql_tree_strdup (ex->tree, label) : NULL);
      else
        bough_gql_object_set_null (ex->tree, obj, skey);
    }
  fields_clear (&sub);
  return obj;
}

/* `node_metadata` of a node: its creation and latest change, and the
 * accounts that made them. */
static BoughGqlObject *
metadata_object (Exec       *ex,
                 const char *type_name,
                 GPtrArray  *field_nodes,
                 gint64      created_at,
                 gint64      updated_at)
{
  BoughGqlType *type = bough_gql_schema_get_type (ex->gql, type_name);
  BoughGqlObject *obj = bough_gql_tree_new_object (ex->tree);
  Fields sub = *collect_cached (ex, type, field_nodes);

  for (guint k = 0; k < sub.keys->len; k++)
    {
      const char *skey = g_ptr_array_index (sub.keys, k);
      const char *name = fields_first (&sub, skey)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, obj, skey, type->name);
      else if (g_str_equal (name, "created_at"))
        bough_gql_object_set_string (ex->tree, obj, skey, stamp_string (ex, created_at));
      else if (g_str_equal (name, "updated_at"))
        bough_gql_object_set_string (ex->tree, obj, skey, stamp_string (ex, updated_at));
      else if (g_str_equal (name, "created_by") || g_str_equal (name, "updated_by"))
        {
          gint64 stamp = g_str_equal (name, "created_by") ? created_at : updated_at;
          BoughGqlObject *account = stamp > 0
            ? account_object (ex, commit_account (ex, stamp), g_hash_table_lookup (sub.groups, skey))
            : NULL;

          if (account != NULL)
            bough_gql_object_set_object (ex->tree, obj, skey, account);
          else
            bough_gql_object_set_null (ex->tree, obj, skey);
        }
      else
        bough_gql_object_set_null (ex->tree, obj, skey);
    }
  return obj;
}

/* Fills @obj, an edge of type @type_name (NestedEdged<Peer>) for @peer, with
 * the selected __typename, node, properties and metadata. @loaded maps peer
 * ids to their fully resolved objects when the selection needed them,
 * @peer_nodes to the peers' nodes when they were read. */
static void
fill_edge (Exec            *ex,
           BoughGqlObject  *obj,
           Fields          *fields,
           const char      *type_name,
           const BoughPeer *peer,
           GHashTable      *loaded,
           GHashTable      *peer_nodes,
           GHashTable      *prop_refs)
{
  for (guint k = 0; k < fields->keys->len; k++)
    {
      const char *skey = g_ptr_array_index (fields->keys, k);
      GPtrArray *group = g_hash_table_lookup (fields->groups, skey);
      const char *name = ((const BoughGqlNode *) g_ptr_array_index (group, 0))->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, obj, skey, type_name);
      else if (g_str_equal (name, "node"))
        {
          BoughGqlObject *po = loaded ? g_hash_table_lookup (loaded, peer->id) : NULL;

          if (po != NULL)
            place_object (ex, obj, skey, po);
          else if (loaded != NULL)
            bough_gql_object_set_null (ex->tree, obj, skey);
          else
            bough_gql_object_set_object (ex->tree, obj, skey, peer_object (ex, peer, group));
        }
      else if (g_str_equal (name, "properties"))
        bough_gql_object_set_object (ex->tree, obj, skey, properties_object (ex, peer, group, prop_refs));
      else if (g_str_equal (name, "node_metadata"))
        {
          BoughNode *pn = peer_nodes ? g_hash_table_lookup (peer_nodes, peer->id) : NULL;

          if (pn != NULL)
            bough_gql_object_set_object (ex->tree, obj, skey,
                                         metadata_object (ex, "InfrahubNodeMetadata", group,
                                                          pn->created_at, pn->updated_at));
          else
            bough_gql_object_set_null (ex->tree, obj, skey);
        }
      else if (g_str_equal (name, "relationship_metadata"))
        bough_gql_object_set_object (ex->tree, obj, skey,
                                     metadata_object (ex, "InfrahubRelationshipMetadata", group,
                                                      0, peer->updated_at));
    }
}

/* Where the peers of a relationship field come from. */
typedef enum
{
  FETCH_PEERS,        /* the relationship's links */
  FETCH_ANCESTORS,    /* the hierarchy, walked up */
  FETCH_DESCENDANTS,  /* the hierarchy, walked down */
  FETCH_NONE,         /* a field of the tree's interface the kind has no link for: empty */
} FetchMode;

/* A field failed for every node of a batch: one error per node, each with
 * the node's own path, as if each had been resolved alone. */
static void
batch_failed (Exec                *ex,
              GPtrArray           *nodes,
              const BoughGqlNode  *first,
              BoughGqlField       *def,
              const char          *key,
              const Path * const  *item_paths,
              BoughGqlObject     **out,
              const char          *message)
{
  for (guint i = 0; i < nodes->len; i++)
    {
      Path here = { item_paths[i], key, 0 };

      add_error (ex, first, &here, message);
      null_field (ex, out[i], key, def->type->kind == BOUGH_GQL_TYPE_NON_NULL);
    }
}

/* The generic of the hierarchy nodes of @kind belong to, NULL when none. */
static const char *
tree_kind (Exec       *ex,
           const char *kind)
{
  BoughNodeSchema *ns = bough_schema_lookup (ex->c->schema, kind);

  if (ns == NULL)
    return NULL;
  if (ns->is_generic)
    return ns->hierarchical ? ns->kind : NULL;
  return ns->hierarchy != NULL && ns->hierarchy[0] != '\0' ? ns->hierarchy : NULL;
}

/* `include_descendants`: adds to lists[i] the peers (through @rs) of every
 * descendant of nodes[i] that it does not have itself: one hierarchy walk,
 * one query for the descendants and one peer fetch, for all nodes. */
static gboolean
add_descendant_peers (Exec                     *ex,
                      GPtrArray                *nodes,
                      BoughRelationshipSchema  *rs,
                      GPtrArray               **lists,
                      GError                  **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) with_rel = g_ptr_array_new ();
  const char *tree = tree_kind (ex, ((BoughNode *) g_ptr_array_index (nodes, 0))->kind);
  g_autoptr(BoughQuery) query = NULL;
  BoughQueryResult *result;
  JsonArray *ids = json_array_new ();
  JsonNode *ids_node;

  if (tree == NULL)
    {
      json_array_unref (ids);
      return TRUE;
    }
  ex->stats->hierarchy_walks++;
  if (!bough_store_fetch_hierarchy (ex->c->store, ex->c->branch, ex->at, nodes, BOUGH_HIERARCHY_DESCENDANTS,
                                    NULL, error))
    {
      json_array_unref (ids);
      return FALSE;
    }
  for (guint i = 0; i < nodes->len; i++)
    {
      const BoughRelationshipValue *d = bough_node_get_relationship (g_ptr_array_index (nodes, i), "descendants");

      for (guint p = 0; d != NULL && p < d->n_peers; p++)
        if (g_hash_table_add (seen, d->peers[p].id))
          json_array_add_string_element (ids, d->peers[p].id);
    }
  if (json_array_get_length (ids) == 0)
    {
      json_array_unref (ids);
      return TRUE;
    }
  query = bough_query_new (tree);
  ids_node = json_node_init_array (json_node_alloc (), ids);
  json_array_unref (ids);
  bough_query_add_filter (query, NULL, NULL, BOUGH_FILTER_IDS, ids_node);
  json_node_unref (ids_node);
  query->limit = -1;
  query->skip_count = TRUE;
  result = run_query (ex, query, error);
  if (result == NULL)
    return FALSE;
  bough_gql_tree_keep (ex->tree, result, (GDestroyNotify) bough_query_result_free);
  for (guint i = 0; i < result->nodes->len; i++)
    {
      BoughNode *dn = g_ptr_array_index (result->nodes, i);
      BoughNodeSchema *dns = bough_schema_lookup (ex->c->schema, dn->kind);

      if (dns != NULL && bough_node_schema_get_relationship (dns, rs->name) != NULL)
        {
          g_ptr_array_add (with_rel, dn);
          g_hash_table_insert (by_id, dn->id, dn);
        }
    }
  if (with_rel->len > 0)
    {
      ex->stats->peer_fetches++;
      if (!bough_store_fetch_peers (ex->c->store, ex->c->branch, ex->at, with_rel, rs->name, error))
        return FALSE;
    }
  for (guint i = 0; i < nodes->len; i++)
    {
      const BoughRelationshipValue *d = bough_node_get_relationship (g_ptr_array_index (nodes, i), "descendants");
      g_autoptr(GHashTable) have = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint p = 0; p < lists[i]->len; p++)
        g_hash_table_add (have, ((BoughPeer *) g_ptr_array_index (lists[i], p))->id);
      for (guint p = 0; d != NULL && p < d->n_peers; p++)
        {
          BoughNode *dn = g_hash_table_lookup (by_id, d->peers[p].id);
          const BoughRelationshipValue *rv = dn ? bough_node_get_relationship (dn, rs->name) : NULL;

          for (guint q = 0; rv != NULL && q < rv->n_peers; q++)
            if (g_hash_table_add (have, rv->peers[q].id))
              g_ptr_array_add (lists[i], &rv->peers[q]);
        }
    }
  return TRUE;
}

/* Resolves relationship @rs of every node in @nodes (all of one kind) under
 * the response key @key: one peer fetch (or hierarchy walk), and one query
 * for the peers when their own fields, metadata or filters are asked for.
 * @item_paths are the nodes' own paths. */
static void
complete_relationship (Exec                    *ex,
                       GPtrArray               *nodes,
                       BoughRelationshipSchema *rs,
                       FetchMode                mode,
                       BoughGqlField           *def,
                       GPtrArray               *field_nodes,
                       const char              *key,
                       const Path * const      *item_paths,
                       BoughGqlObject         **out)
{
  g_autoptr(GError) error = NULL;
  const BoughGqlNode *first = g_ptr_array_index (field_nodes, 0);
  BoughGqlType *wrapper = bough_gql_type_named (def->type);
  gboolean many = rs->cardinality == BOUGH_CARDINALITY_MANY;
  g_autoptr(JsonObject) args = arguments (ex, def, first);
  BoughNodeSchema *peer_ns = bough_schema_lookup (ex->c->schema, rs->peer);
  BoughGqlType *peer_type = bough_gql_schema_get_type (ex->gql, rs->peer);
  BoughGqlType *edge_type = many ? bough_gql_type_named (bough_gql_type_get_field (wrapper, "edges")->type) : wrapper;
  g_autoptr(GPtrArray) edge_nodes = g_ptr_array_new ();     /* fields "edges" (many) */
  g_autoptr(GPtrArray) node_fields = g_ptr_array_new ();    /* fields "node" */
  g_autoptr(GPtrArray) prop_fields = g_ptr_array_new ();    /* fields "properties" */
  g_autoptr(GHashTable) loaded = NULL;                      /* peer id → BoughGqlObject */
  g_autoptr(GHashTable) peer_nodes = NULL;                  /* peer id → BoughNode */
  g_autoptr(GHashTable) matching = NULL;                    /* peer ids passing the filters */
  g_autoptr(GHashTable) prop_refs = NULL;                   /* source/owner of the links */
  g_autofree GPtrArray **lists = g_new0 (GPtrArray *, nodes->len + 1);
  gboolean filtered = FALSE, want_meta = FALSE, include_descendants = FALSE;
  gint64 offset = 0, limit = -1;
  const char *slot = mode == FETCH_ANCESTORS ? "ancestors" : mode == FETCH_DESCENDANTS ? "descendants" : rs->name;
  gboolean ok = TRUE;
  Fields top;

  /* what is asked below the wrapper */
  collect_sub (ex, wrapper, field_nodes, &top);
  {
    Fields edges;

    if (many)
      {
        for (guint k = 0; k < top.keys->len; k++)
          {
            const char *skey = g_ptr_array_index (top.keys, k);

            if (g_str_equal (fields_first (&top, skey)->name, "edges"))
              g_ptr_array_extend (edge_nodes, g_hash_table_lookup (top.groups, skey), NULL, NULL);
          }
        collect_sub (ex, edge_type, edge_nodes, &edges);
      }
    else
      edges = top;
    for (guint k = 0; k < edges.keys->len; k++)
      {
        const char *skey = g_ptr_array_index (edges.keys, k);
        GPtrArray *group = g_hash_table_lookup (edges.groups, skey);
        const char *name = fields_first (&edges, skey)->name;

        if (g_str_equal (name, "node"))
          g_ptr_array_extend (node_fields, group, NULL, NULL);
        else if (g_str_equal (name, "properties"))
          g_ptr_array_extend (prop_fields, group, NULL, NULL);
        else if (g_str_equal (name, "node_metadata"))
          want_meta = TRUE;
      }
    if (many)
      fields_clear (&edges);
  }
  if (many)
    {
      /* filters of the nested list: one query over the peers of all parents */
      g_autoptr(GList) members = json_object_get_members (args);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;
          JsonNode *value = json_object_get_member (args, name);

          if (JSON_NODE_HOLDS_NULL (value))
            continue;
          if (g_str_equal (name, "offset"))
            offset = MAX (0, json_node_get_int (value));
          else if (g_str_equal (name, "limit"))
            limit = MAX (0, json_node_get_int (value));
          else if (g_str_equal (name, "include_descendants"))
            include_descendants = json_node_get_boolean (value);
          else if (!g_str_equal (name, "partial_match"))
            filtered = TRUE;
        }
      limit = page_size (ex, limit);
    }

  switch (mode)
    {
    case FETCH_PEERS:
      ex->stats->peer_fetches++;
      ok = bough_store_fetch_peers (ex->c->store, ex->c->branch, ex->at, nodes, rs->name, &error);
      break;
    case FETCH_ANCESTORS:
    case FETCH_DESCENDANTS:
      ex->stats->hierarchy_walks++;
      ok = bough_store_fetch_hierarchy (ex->c->store, ex->c->branch, ex->at, nodes,
                                        mode == FETCH_ANCESTORS ? BOUGH_HIERARCHY_ANCESTORS
                                                                : BOUGH_HIERARCHY_DESCENDANTS,
                                        NULL, &error);
      break;
    case FETCH_NONE:
    default:
      break;
    }
  for (guint i = 0; ok && i < nodes->len; i++)
    {
      const BoughRelationshipValue *rv = mode == FETCH_NONE ? NULL
                                         : bough_node_get_relationship (g_ptr_array_index (nodes, i), slot);

      lists[i] = g_ptr_array_new ();
      for (guint p = 0; rv != NULL && p < rv->n_peers; p++)
        g_ptr_array_add (lists[i], &rv->peers[p]);
    }
  if (ok && include_descendants && mode == FETCH_PEERS)
    ok = add_descendant_peers (ex, nodes, rs, lists, &error);
  /* peers the caller may not view are not there for it */
  for (guint i = 0; ok && !ex->see_all && i < nodes->len; i++)
    for (guint p = lists[i]->len; p > 0; p--)
      if (!may_view (ex, ((const BoughPeer *) g_ptr_array_index (lists[i], p - 1))->kind))
        g_ptr_array_remove_index (lists[i], p - 1);
  if (!ok)
    {
      batch_failed (ex, nodes, first, def, key, item_paths, out, error->message);
      goto out;
    }

  {
    gboolean simple = TRUE;

    for (guint i = 0; i < node_fields->len; i++)
      simple = simple && selection_is_simple (ex, ((const BoughGqlNode *) g_ptr_array_index (node_fields, i))->selection_set, 0);
    if ((!simple && node_fields->len > 0) || filtered || want_meta)
      {
        g_autoptr(BoughQuery) query = bough_query_new (rs->peer);
        g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
        BoughQueryResult *result = NULL;
        JsonArray *id_array = json_array_new ();
        JsonNode *id_node = json_node_new (JSON_NODE_ARRAY);

        for (guint i = 0; i < nodes->len; i++)
          for (guint p = 0; p < lists[i]->len; p++)
            {
              const BoughPeer *peer = g_ptr_array_index (lists[i], p);

              if (g_hash_table_add (ids, peer->id))
                json_array_add_string_element (id_array, peer->id);
            }
        json_node_take_array (id_node, id_array);
        bough_query_add_filter (query, NULL, NULL, BOUGH_FILTER_IDS, id_node);
        json_node_unref (id_node);
        if (filtered && peer_ns != NULL)
          {
            json_object_remove_member (args, "offset");
            json_object_remove_member (args, "limit");
            apply_filters (ex, peer_ns, args, query);
          }
        query->limit = -1;
        query->skip_count = TRUE;
        if (g_hash_table_size (ids) > 0)
          {
            result = run_query (ex, query, &error);
            if (result == NULL)
              {
                batch_failed (ex, nodes, first, def, key, item_paths, out, error->message);
                goto out;
              }
            bough_gql_tree_keep (ex->tree, result, (GDestroyNotify) bough_query_result_free);
          }
        matching = g_hash_table_new (g_str_hash, g_str_equal);
        peer_nodes = g_hash_table_new (g_str_hash, g_str_equal);
        for (guint i = 0; result != NULL && i < result->nodes->len; i++)
          {
            BoughNode *pn = g_ptr_array_index (result->nodes, i);

            g_hash_table_add (matching, pn->id);
            g_hash_table_insert (peer_nodes, pn->id, pn);
          }
        if (!simple)
          loaded = g_hash_table_new (g_str_hash, g_str_equal);
        if (!simple && result != NULL && result->nodes->len > 0)
          {
            guint n = result->nodes->len;
            g_autofree BoughGqlObject **objs = g_new0 (BoughGqlObject *, n);
            g_autofree const Path **paths = g_new0 (const Path *, n);
            /* each peer's path is that of its first place in the response */
            g_autofree Path *places = g_new0 (Path, 4 * n);
            g_autoptr(GHashTable) place_of = g_hash_table_new (g_str_hash, g_str_equal);
            guint used = 0;

            for (guint i = 0; i < nodes->len; i++)
              {
                gint64 count = 0;

                for (guint p = 0; p < lists[i]->len; p++)
                  {
                    const BoughPeer *peer = g_ptr_array_index (lists[i], p);
                    Path *pl;

                    if (filtered && !g_hash_table_contains (matching, peer->id))
                      continue;
                    count++;
                    if (many && (count <= offset || (limit >= 0 && count > offset + limit)))
                      continue;
                    if (!many && count > 1)
                      break;
                    if (g_hash_table_contains (place_of, peer->id) || used + 4 > 4 * n)
                      continue;
                    pl = &places[used];
                    pl[0] = (Path) { item_paths[i], key, 0 };
                    if (many)
                      {
                        pl[1] = (Path) { &pl[0], "edges", 0 };
                        pl[2] = (Path) { &pl[1], NULL, (gint) (count - offset - 1) };
                        pl[3] = (Path) { &pl[2], "node", 0 };
                        g_hash_table_insert (place_of, peer->id, &pl[3]);
                      }
                    else
                      {
                        pl[1] = (Path) { &pl[0], "node", 0 };
                        g_hash_table_insert (place_of, peer->id, &pl[1]);
                      }
                    used += 4;
                  }
              }
            for (guint i = 0; i < n; i++)
              {
                BoughNode *pn = g_ptr_array_index (result->nodes, i);
                const Path *pp = g_hash_table_lookup (place_of, pn->id);

                objs[i] = bough_gql_tree_new_object (ex->tree);
                paths[i] = pp != NULL ? pp : item_paths[0];
              }
            complete_nodes (ex, result->nodes, peer_type, node_fields, paths, objs);
            for (guint i = 0; i < n; i++)
              g_hash_table_insert (loaded, ((BoughNode *) g_ptr_array_index (result->nodes, i))->id, objs[i]);
          }
        if (!filtered)
          g_clear_pointer (&matching, g_hash_table_unref);
      }
  }

  if (prop_fields->len > 0)
    {
      g_autoptr(GPtrArray) peers = g_ptr_array_new ();
      Path key_path = { item_paths[0], key, 0 };
      Path prop_path = { &key_path, "properties", 0 };
      Fields psub;

      for (guint i = 0; i < nodes->len; i++)
        g_ptr_array_extend (peers, lists[i], NULL, NULL);
      collect_sub (ex, bough_gql_schema_get_type (ex->gql, "RelationshipProperty"), prop_fields, &psub);
      prop_refs = load_property_refs (ex, &psub, peers->pdata, sizeof (gpointer), peers->len, peer_ref, &prop_path);
      fields_clear (&psub);
    }

  for (guint i = 0; i < nodes->len; i++)
    {
      BoughGqlObject *wobj;
      BoughGqlArray *edges_array = NULL;
      gint64 count = 0;

      if (!many)
        {
          const BoughPeer *peer = lists[i]->len > 0 ? g_ptr_array_index (lists[i], 0) : NULL;

          if (peer == NULL)
            {
              bough_gql_object_set_null (ex->tree, out[i], key);
              continue;
            }
          wobj = bough_gql_tree_new_object (ex->tree);
          fill_edge (ex, wobj, &top, wrapper->name, peer, loaded, peer_nodes, prop_refs);
          bough_gql_object_set_object (ex->tree, out[i], key, wobj);
          continue;
        }

      wobj = bough_gql_tree_new_object (ex->tree);
      edges_array = bough_gql_tree_new_array (ex->tree);
      for (guint p = 0; p < lists[i]->len; p++)
        {
          const BoughPeer *peer = g_ptr_array_index (lists[i], p);
          BoughGqlObject *eobj;
          Fields edges;

          if (matching != NULL && !g_hash_table_contains (matching, peer->id))
            continue;
          count++;
          if (count <= offset || (limit >= 0 && count > offset + limit))
            continue;
          eobj = bough_gql_tree_new_object (ex->tree);
          edges = *collect_cached (ex, edge_type, edge_nodes);
          fill_edge (ex, eobj, &edges, edge_type->name, peer, loaded, peer_nodes, prop_refs);
          bough_gql_array_add_object (ex->tree, edges_array, eobj);
        }
      for (guint k = 0; k < top.keys->len; k++)
        {
          const char *skey = g_ptr_array_index (top.keys, k);
          const char *name = fields_first (&top, skey)->name;

          if (g_str_equal (name, "__typename"))
            bough_gql_object_set_string (ex->tree, wobj, skey, wrapper->name);
          else if (g_str_equal (name, "count"))
            bough_gql_object_set_int (ex->tree, wobj, skey, count);
          else if (g_str_equal (name, "edges"))
            bough_gql_object_set_array (ex->tree, wobj, skey, edges_array);
        }
      bough_gql_object_set_object (ex->tree, out[i], key, wobj);
    }

out:
  for (guint i = 0; i < nodes->len; i++)
    g_clear_pointer (&lists[i], g_ptr_array_unref);
  fields_clear (&top);
}

/* A field of the hierarchy a kind may lack a link for: ancestors and
 * descendants are walks; parent and children of a root or leaf kind are
 * always empty. Fills @rs as the pseudo-relationship; FALSE when @name is
 * not such a field of @ns. */
static gboolean
tree_field (Exec                    *ex,
            BoughNodeSchema         *ns,
            const char              *name,
            BoughRelationshipSchema *rs,
            FetchMode               *mode)
{
  const char *tree = tree_kind (ex, ns->kind);

  if (tree == NULL)
    return FALSE;
  memset (rs, 0, sizeof *rs);
  rs->peer = (char *) tree;
  rs->cardinality = BOUGH_CARDINALITY_MANY;
  if (g_str_equal (name, "ancestors") || g_str_equal (name, "descendants"))
    {
      rs->name = (char *) (name[0] == 'a' ? "ancestors" : "descendants");
      *mode = name[0] == 'a' ? FETCH_ANCESTORS : FETCH_DESCENDANTS;
      return TRUE;
    }
  if ((g_str_equal (name, "parent") || g_str_equal (name, "children")) &&
      bough_node_schema_get_relationship (ns, name) == NULL)
    {
      rs->name = (char *) (name[0] == 'p' ? "parent" : "children");
      rs->cardinality = name[0] == 'p' ? BOUGH_CARDINALITY_ONE : BOUGH_CARDINALITY_MANY;
      *mode = FETCH_NONE;
      return TRUE;
    }
  return FALSE;
}

/* Fills out[i] with the selection of @field_nodes for nodes[i], whose own
 * path is paths[i]: fields are resolved for all nodes of a kind at once. */
static void
complete_nodes (Exec               *ex,
                GPtrArray          *nodes,
                BoughGqlType       *static_type,
                GPtrArray          *field_nodes,
                const Path * const *paths,
                BoughGqlObject    **out)
{
  g_autoptr(GHashTable) by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_array_unref);
  const char *last_kind = NULL;
  GArray *last_idx = NULL;
  GHashTableIter iter;
  gpointer k, v;

  for (guint i = 0; i < nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (nodes, i);
      GArray *idx = node->kind == last_kind ? last_idx : g_hash_table_lookup (by_kind, node->kind);

      if (idx == NULL)
        {
          idx = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_kind, (gpointer) node->kind, idx);
        }
      g_array_append_val (idx, i);
      /* a listing is mostly of one kind */
      last_kind = node->kind;
      last_idx = idx;
    }

  g_hash_table_iter_init (&iter, by_kind);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      const char *kind = k;
      GArray *idx = v;
      BoughNodeSchema *ns = bough_schema_lookup (ex->c->schema, kind);
      BoughGqlType *otype = bough_gql_schema_get_type (ex->gql, kind);
      g_autoptr(GPtrArray) group_nodes = g_ptr_array_new ();
      g_autofree BoughGqlObject **group_out = g_new0 (BoughGqlObject *, idx->len);
      g_autofree const Path **group_paths = g_new0 (const Path *, idx->len);
      Fields sub;

      if (otype == NULL || ns == NULL)
        otype = static_type;
      for (guint j = 0; j < idx->len; j++)
        {
          guint i = g_array_index (idx, guint, j);

          g_ptr_array_add (group_nodes, g_ptr_array_index (nodes, i));
          group_out[j] = out[i];
          group_paths[j] = paths[i];
        }
      collect_sub (ex, otype, field_nodes, &sub);
      for (guint f = 0; f < sub.keys->len; f++)
        {
          const char *key = g_ptr_array_index (sub.keys, f);
          GPtrArray *group = g_hash_table_lookup (sub.groups, key);
          const BoughGqlNode *first = g_ptr_array_index (group, 0);
          const char *name = first->name;
          BoughGqlField *def = bough_gql_type_get_field (otype, name);
          BoughAttributeSchema *as = ns ? bough_node_schema_get_attribute (ns, name) : NULL;
          BoughRelationshipSchema *rs = ns ? bough_node_schema_get_relationship (ns, name) : NULL;
          BoughRelationshipSchema pseudo;
          FetchMode mode = FETCH_PEERS;

          if (g_str_equal (name, "__typename"))
            {
              /* interned: a peer fetch may move the node to another schema */
              const char *typename = g_intern_string (kind);

              for (guint j = 0; j < idx->len; j++)
                bough_gql_object_set_string (ex->tree, group_out[j], key, typename);
            }
          else if (g_str_equal (name, "id") || g_str_equal (name, "hfid") ||
                   g_str_equal (name, "display_label") || g_str_equal (name, "_updated_at"))
            {
              for (guint j = 0; j < idx->len; j++)
                {
                  BoughNode *node = g_ptr_array_index (group_nodes, j);

                  if (name[0] == 'i')
                    bough_gql_object_set_string (ex->tree, group_out[j], key, node->id);
                  else if (name[0] == 'h')
                    bough_gql_object_set_strv (ex->tree, group_out[j], key, node->hfid);
                  else if (name[0] == 'd')
                    bough_gql_object_set_string (ex->tree, group_out[j], key, node->display_label);
                  else
                    bough_gql_object_set_string (ex->tree, group_out[j], key, stamp_string (ex, node->updated_at));
                }
            }
          else if (as != NULL && def != NULL)
            {
              BoughGqlType *atype = bough_gql_type_named (def->type);
              g_autofree const BoughAttributeValue **avs = g_new0 (const BoughAttributeValue *, idx->len + 1);
              g_autoptr(GHashTable) refs = NULL;
              Path attr_path = { group_paths[0], key, 0 };
              Fields asub;

              for (guint j = 0; j < idx->len; j++)
                avs[j] = bough_node_get_attribute (g_ptr_array_index (group_nodes, j), as->name);
              collect_sub (ex, atype, group, &asub);
              refs = load_property_refs (ex, &asub, avs, sizeof (avs[0]), idx->len, attribute_ref, &attr_path);
              for (guint j = 0; j < idx->len; j++)
                complete_attribute (ex, g_ptr_array_index (group_nodes, j), avs[j], as, atype, &asub, refs,
                                    group_out[j], key);
              fields_clear (&asub);
            }
          else if (def != NULL && ns != NULL && tree_field (ex, ns, name, &pseudo, &mode))
            complete_relationship (ex, group_nodes, &pseudo, mode, def, group, key, group_paths, group_out);
          else if (rs != NULL && def != NULL)
            complete_relationship (ex, group_nodes, rs, FETCH_PEERS, def, group, key, group_paths, group_out);
          else
            {
              for (guint j = 0; j < idx->len; j++)
                bough_gql_object_set_null (ex->tree, group_out[j], key);
            }
        }
      fields_clear (&sub);
    }
}

/* ---- root fields ---- */

/* `permissions` of a list: `{count edges {node {kind view create update
 * delete}}}`, one node for the kind listed, every decision from
 * bough_gql_permission_decide(). */
static BoughGqlObject *
permissions_object (Exec       *ex,
                    const char *kind,
                    GPtrArray  *field_nodes)
{
  BoughGqlType *ptype = bough_gql_schema_get_type (ex->gql, "PaginatedObjectPermission");
  BoughGqlType *etype = bough_gql_schema_get_type (ex->gql, "ObjectPermissionNode");
  BoughGqlType *otype = bough_gql_schema_get_type (ex->gql, "ObjectPermission");
  static const char *actions[] = { "view", "create", "update", "delete" };
  static const BoughGqlAction codes[] = { BOUGH_GQL_ACTION_VIEW, BOUGH_GQL_ACTION_CREATE,
                                          BOUGH_GQL_ACTION_UPDATE, BOUGH_GQL_ACTION_DELETE };
  BoughGqlObject *out = bough_gql_tree_new_object (ex->tree);
  Fields top = *collect_cached (ex, ptype, field_nodes);

  for (guint k = 0; k < top.keys->len; k++)
    {
      const char *key = g_ptr_array_index (top.keys, k);
      const char *name = fields_first (&top, key)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, out, key, ptype->name);
      else if (g_str_equal (name, "count"))
        bough_gql_object_set_int (ex->tree, out, key, 1);
      else if (g_str_equal (name, "edges"))
        {
          BoughGqlArray *array = bough_gql_tree_new_array (ex->tree);
          BoughGqlObject *edge = bough_gql_tree_new_object (ex->tree);
          Fields esub = *collect_cached (ex, etype, g_hash_table_lookup (top.groups, key));

          for (guint e = 0; e < esub.keys->len; e++)
            {
              const char *ekey = g_ptr_array_index (esub.keys, e);
              const char *ename = fields_first (&esub, ekey)->name;

              if (g_str_equal (ename, "__typename"))
                bough_gql_object_set_string (ex->tree, edge, ekey, etype->name);
              else if (g_str_equal (ename, "node"))
                {
                  BoughGqlObject *node = bough_gql_tree_new_object (ex->tree);
                  Fields nsub = *collect_cached (ex, otype, g_hash_table_lookup (esub.groups, ekey));

                  for (guint q = 0; q < nsub.keys->len; q++)
                    {
                      const char *nkey = g_ptr_array_index (nsub.keys, q);
                      const char *nname = fields_first (&nsub, nkey)->name;

                      if (g_str_equal (nname, "__typename"))
                        bough_gql_object_set_string (ex->tree, node, nkey, otype->name);
                      else if (g_str_equal (nname, "kind"))
                        bough_gql_object_set_string (ex->tree, node, nkey, g_intern_string (kind));
                      for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
                        if (g_str_equal (nname, actions[a]))
                          bough_gql_object_set_string (ex->tree, node, nkey, bough_gql_decision_to_string (
                            bough_gql_permission_decide (ex->perms, ex->c->schema, kind, codes[a])));
                    }
                  bough_gql_object_set_object (ex->tree, edge, ekey, node);
                }
            }
          bough_gql_array_add_object (ex->tree, array, edge);
          bough_gql_object_set_array (ex->tree, out, key, array);
        }
    }
  return out;
}

/* `<Kind>(filters) { count edges { node { ... } } }` */
static BoughGqlObject *
resolve_kind_list (Exec               *ex,
                   BoughNodeSchema    *ns,
                   BoughGqlField      *def,
                   GPtrArray          *field_nodes,
                   const Path         *path)
{
  g_autoptr(GError) error = NULL;
  const BoughGqlNode *first = g_ptr_array_index (field_nodes, 0);
  g_autoptr(JsonObject) args = arguments (ex, def, first);
  g_autoptr(BoughQuery) query = bough_query_new (ns->kind);
  BoughQueryResult *result = NULL;
  BoughGqlType *ptype = bough_gql_type_named (def->type);
  BoughGqlType *etype = bough_gql_type_named (bough_gql_type_get_field (ptype, "edges")->type);
  g_autoptr(GPtrArray) edge_fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) node_fields = g_ptr_array_new ();
  g_autofree BoughGqlObject **objs = NULL;
  gboolean want_count = FALSE;
  BoughGqlObject *out = bough_gql_tree_new_object (ex->tree);
  Fields top, edges;

  collect_sub (ex, ptype, field_nodes, &top);
  for (guint k = 0; k < top.keys->len; k++)
    {
      const char *key = g_ptr_array_index (top.keys, k);
      const char *name = fields_first (&top, key)->name;

      if (g_str_equal (name, "count"))
        want_count = TRUE;
      else if (g_str_equal (name, "edges"))
        g_ptr_array_extend (edge_fields, g_hash_table_lookup (top.groups, key), NULL, NULL);
    }
  collect_sub (ex, etype, edge_fields, &edges);
  for (guint k = 0; k < edges.keys->len; k++)
    {
      const char *key = g_ptr_array_index (edges.keys, k);

      if (g_str_equal (fields_first (&edges, key)->name, "node"))
        g_ptr_array_extend (node_fields, g_hash_table_lookup (edges.groups, key), NULL, NULL);
    }

  query->limit = -1;
  apply_filters (ex, ns, args, query);
  query->count_only = edge_fields->len == 0;
  query->skip_count = !want_count;
  {
    char **order_by = NULL;

    if (!order_from_args (args, &order_by, &error))
      result = NULL;
    else
      {
        /* `disable: true` lists in creation order: the ids are
         * time-ordered, so a node made while a client pages through a
         * list lands after the pages it has read */
        if (order_by != NULL)
          {
            g_strfreev (query->order_by);
            query->order_by = order_by;
          }
        result = run_visible_query (ex, query, &error);
      }
  }
  if (result == NULL)
    {
      add_error (ex, first, path, error->message);
      fields_clear (&top);
      fields_clear (&edges);
      return NULL;
    }
  bough_gql_tree_keep (ex->tree, result, (GDestroyNotify) bough_query_result_free);

  objs = g_new0 (BoughGqlObject *, result->nodes->len + 1);
  for (guint i = 0; i < result->nodes->len; i++)
    objs[i] = bough_gql_tree_new_object (ex->tree);
  if (node_fields->len > 0 && result->nodes->len > 0)
    {
      guint n = result->nodes->len;
      Path edges_path = { path, "edges", 0 };
      /* each node's own path: [<field>, "edges", i, "node"] */
      g_autofree Path *places = g_new0 (Path, 2 * n);
      g_autofree const Path **paths = g_new0 (const Path *, n);

      for (guint i = 0; i < n; i++)
        {
          places[2 * i] = (Path) { &edges_path, NULL, (gint) i };
          places[2 * i + 1] = (Path) { &places[2 * i], "node", 0 };
          paths[i] = &places[2 * i + 1];
        }
      complete_nodes (ex, result->nodes, bough_gql_schema_get_type (ex->gql, ns->kind), node_fields,
                      paths, objs);
    }

  for (guint k = 0; k < top.keys->len; k++)
    {
      const char *key = g_ptr_array_index (top.keys, k);
      const char *name = fields_first (&top, key)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, out, key, ptype->name);
      else if (g_str_equal (name, "count"))
        bough_gql_object_set_int (ex->tree, out, key, result->count);
      else if (g_str_equal (name, "permissions"))
        bough_gql_object_set_object (ex->tree, out, key,
                                     permissions_object (ex, ns->kind, g_hash_table_lookup (top.groups, key)));
      else if (g_str_equal (name, "edges"))
        {
          BoughGqlArray *array = bough_gql_tree_new_array (ex->tree);

          for (guint i = 0; i < result->nodes->len; i++)
            {
              BoughGqlObject *edge = bough_gql_tree_new_object (ex->tree);

              for (guint e = 0; e < edges.keys->len; e++)
                {
                  const char *ekey = g_ptr_array_index (edges.keys, e);
                  const char *ename = fields_first (&edges, ekey)->name;

                  if (g_str_equal (ename, "__typename"))
                    bough_gql_object_set_string (ex->tree, edge, ekey, etype->name);
                  else if (g_str_equal (ename, "node"))
                    place_object (ex, edge, ekey, objs[i]);
                  else if (g_str_equal (ename, "node_metadata"))
                    {
                      BoughNode *node = g_ptr_array_index (result->nodes, i);

                      if (i == 0)
                        prefetch_commit_accounts (ex, result->nodes);
                      bough_gql_object_set_object (ex->tree, edge, ekey,
                                                   metadata_object (ex, "InfrahubNodeMetadata",
                                                                    g_hash_table_lookup (edges.groups, ekey),
                                                                    node->created_at, node->updated_at));
                    }
                }
              bough_gql_array_add_object (ex->tree, array, edge);
            }
          bough_gql_object_set_array (ex->tree, out, key, array);
        }
    }
  fields_clear (&top);
  fields_clear (&edges);
  return out;
}

/* Completes a plain object from fixed values: @values maps field names to
 * JSON (held by the response from here on). */
static BoughGqlArray *fixed_array (Exec *ex, BoughGqlType *type, GPtrArray *field_nodes,
                                    JsonArray *values);
static void set_root (Exec *ex, BoughGqlObject *data, gboolean *data_null, BoughGqlField *def,
                      const char *key, BoughGqlObject *value);

static BoughGqlObject *
fixed_object (Exec         *ex,
              BoughGqlType *type,
              GPtrArray    *field_nodes,
              JsonObject   *values)
{
  BoughGqlObject *out = bough_gql_tree_new_object (ex->tree);
  Fields sub;

  /* an interface's value names its object type (bough-gql-events.c) */
  if (bough_gql_type_is_abstract (type) && json_object_has_member (values, "__typename"))
    {
      BoughGqlType *concrete = bough_gql_schema_get_type (ex->gql,
                                                          json_object_get_string_member (values, "__typename"));
      if (concrete != NULL)
        type = concrete;
    }
  bough_gql_tree_keep (ex->tree, json_object_ref (values), (GDestroyNotify) json_object_unref);
  collect_sub (ex, type, field_nodes, &sub);
  for (guint k = 0; k < sub.keys->len; k++)
    {
      const char *key = g_ptr_array_index (sub.keys, k);
      const char *name = fields_first (&sub, key)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, out, key, type->name);
      else if (json_object_has_member (values, name))
        {
          JsonNode *v = json_object_get_member (values, name);
          BoughGqlField *def = bough_gql_type_get_field (type, name);
          BoughGqlType *ft = def ? bough_gql_type_named (def->type) : NULL;

          if (ft != NULL && JSON_NODE_HOLDS_OBJECT (v) && !bough_gql_type_is_leaf (ft))
            bough_gql_object_set_object (ex->tree, out, key,
                                         fixed_object (ex, ft, g_hash_table_lookup (sub.groups, key),
                                                       json_node_get_object (v)));
          else if (ft != NULL && JSON_NODE_HOLDS_ARRAY (v) && !bough_gql_type_is_leaf (ft))
            bough_gql_object_set_array (ex->tree, out, key,
                                        fixed_array (ex, ft, g_hash_table_lookup (sub.groups, key),
                                                     json_node_get_array (v)));
          else
            bough_gql_object_set_json (ex->tree, out, key, v);
        }
      else
        bough_gql_object_set_null (ex->tree, out, key);
    }
  fields_clear (&sub);
  return out;
}

/* The caller's own account, completed as a node of its kind. */
static BoughGqlObject *
resolve_account_profile (Exec          *ex,
                         BoughGqlField *def,
                         GPtrArray     *field_nodes,
                         const Path    *path)
{
  const char *id = ex->c->identity ? bough_identity_get_account_id (ex->c->identity) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  BoughGqlObject *obj;
  BoughNode *node;

  if (id == NULL)
    {
      add_error (ex, g_ptr_array_index (field_nodes, 0), path,
                 "AccountProfile needs an authenticated account");
      return NULL;
    }
  ex->stats->store_queries++;
  node = bough_store_get_node (ex->c->store, ex->c->branch, 0, "CoreAccount", id, &error);
  if (node == NULL)
    {
      add_error (ex, g_ptr_array_index (field_nodes, 0), path, error->message);
      return NULL;
    }
  bough_gql_tree_keep (ex->tree, node, (GDestroyNotify) bough_node_unref);
  g_ptr_array_add (nodes, node);
  obj = bough_gql_tree_new_object (ex->tree);
  {
    const Path *paths[1] = { path };

    complete_nodes (ex, nodes, bough_gql_type_named (def->type), field_nodes, paths, &obj);
  }
  return obj;
}

/* Completes a list of plain objects (or nulls) from fixed values. */
static BoughGqlArray *
fixed_array (Exec         *ex,
             BoughGqlType *type,
             GPtrArray    *field_nodes,
             JsonArray    *values)
{
  BoughGqlArray *out = bough_gql_tree_new_array (ex->tree);

  bough_gql_tree_keep (ex->tree, json_array_ref (values), (GDestroyNotify) json_array_unref);
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *v = json_array_get_element (values, i);

      if (JSON_NODE_HOLDS_OBJECT (v))
        bough_gql_array_add_object (ex->tree, out, fixed_object (ex, type, field_nodes, json_node_get_object (v)));
      else
        bough_gql_array_add_json (ex->tree, out, v);
    }
  return out;
}

/* Adds every field name selected anywhere below @selection_set to @names
 * (fragments expanded, directives ignored): a superset that lets a fixed
 * resolver skip building what nothing asks for. */
static void
selected_names (Exec               *ex,
                const BoughGqlNode *selection_set,
                GHashTable         *names,
                GHashTable         *visited)
{
  if (selection_set == NULL)
    return;
  for (const BoughGqlNode *sel = selection_set->children; sel != NULL; sel = sel->next)
    {
      if (sel->kind == BOUGH_GQL_FIELD)
        {
          g_hash_table_add (names, (gpointer) sel->name);
          selected_names (ex, sel->selection_set, names, visited);
        }
      else if (sel->kind == BOUGH_GQL_INLINE_FRAGMENT)
        selected_names (ex, sel->selection_set, names, visited);
      else if (sel->kind == BOUGH_GQL_FRAGMENT_SPREAD && !g_hash_table_contains (visited, sel->name))
        {
          const BoughGqlNode *frag = g_hash_table_lookup (ex->fragments, sel->name);

          g_hash_table_add (visited, (gpointer) sel->name);
          if (frag != NULL)
            selected_names (ex, frag->selection_set, names, visited);
        }
    }
}

/* A field of bough-gql-branch.c: resolved to plain values, then completed
 * against the selection. */
/* Why the caller may not run the branch mutation @name, or %NULL. Merging
 * writes onto the default branch: it takes `merge_branch`. The others
 * (create, update, delete, rebase, validate, diffs and their conflicts)
 * take the right to change data outside the default branch, on some kind. */
static char *
branch_mutation_refusal (Exec       *ex,
                         const char *name)
{
  static const BoughPermissionAction writes[] = {
    BOUGH_PERMISSION_CREATE, BOUGH_PERMISSION_UPDATE, BOUGH_PERMISSION_DELETE,
  };
  GPtrArray *nodes;

  if (g_str_equal (name, "BranchMerge"))
    return bough_permissions_allows_global (ex->perms, "merge_branch", TRUE)
           ? NULL : g_strdup ("You do not have the permission global:merge_branch:allow_all");
  nodes = bough_schema_get_nodes (ex->c->schema);
  for (guint i = 0; i < nodes->len; i++)
    {
      BoughNodeSchema *ns = g_ptr_array_index (nodes, i);

      if (ns->branch != BOUGH_BRANCH_SUPPORT_AWARE)
        continue;
      for (guint a = 0; a < G_N_ELEMENTS (writes); a++)
        if (bough_permissions_allows_object (ex->perms, ns->namespace_, ns->name, writes[a], FALSE))
          return NULL;
    }
  return g_strdup ("You do not have the permission to change data on a branch "
                   "(object:<namespace>:<name>:<create|update|delete>:allow_other)");
}

static void
resolve_branch_field (Exec           *ex,
                      BoughGqlObject *data,
                      gboolean       *data_null,
                      BoughGqlField  *def,
                      const char     *key,
                      GPtrArray      *field_nodes,
                      const Path     *path,
                      gboolean        mutation)
{
  g_autoptr(GError) error = NULL;
  const BoughGqlNode *first = g_ptr_array_index (field_nodes, 0);
  g_autoptr(JsonObject) args = arguments (ex, def, first);
  BoughGqlType *type = bough_gql_type_named (def->type);
  JsonNode *value;

  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < field_nodes->len; i++)
    selected_names (ex, ((const BoughGqlNode *) g_ptr_array_index (field_nodes, i))->selection_set, names, visited);
  if (mutation)
    {
      g_autofree char *refusal = branch_mutation_refusal (ex, def->name);

      if (refusal != NULL)
        {
          g_autofree char *m = g_strdup_printf ("%s: %s", def->name, refusal);

          add_denied (ex, first, path, m);
          set_root (ex, data, data_null, def, key, NULL);
          return;
        }
      ex->stats->transactions++;
    }
  {
    /* the branch fields decide what the caller may see with the request's
     * resolved permissions */
    BoughGqlExecContext c = *ex->c;

    c.permissions = ex->perms;
    if (bough_gql_events_is_field (def->name))
      value = bough_gql_events_resolve (&c, def->name, ex->subscription,
                                        args, names, &error);
    else
      value = bough_gql_branch_resolve (&c, def->name, args, names, &error);
  }
  if (value == NULL)
    {
      g_autofree char *m = mutation ? g_strdup_printf ("%s: %s", def->name, error->message)
                                    : g_strdup (error->message);

      add_error (ex, first, path, m);
      set_root (ex, data, data_null, def, key, NULL);
      return;
    }
  bough_gql_tree_keep (ex->tree, value, (GDestroyNotify) json_node_unref);
  if (JSON_NODE_HOLDS_OBJECT (value))
    set_root (ex, data, data_null, def, key, fixed_object (ex, type, field_nodes, json_node_get_object (value)));
  else if (JSON_NODE_HOLDS_ARRAY (value))
    bough_gql_object_set_array (ex->tree, data, key, fixed_array (ex, type, field_nodes, json_node_get_array (value)));
  else
    set_root (ex, data, data_null, def, key, NULL);
}

static BoughGqlObject *
resolve_search (Exec       *ex,
                GPtrArray  *field_nodes,
                JsonObject *args,
                const Path *path)
{
  g_autoptr(GError) error = NULL;
  const char *q = json_object_get_string_member (args, "q");
  gint64 limit = json_object_has_member (args, "limit") && !json_object_get_null_member (args, "limit")
                 ? json_object_get_int_member (args, "limit") : 10;
  g_autoptr(JsonObject) values = json_object_new ();
  JsonArray *edges = json_array_new ();
  gint64 count = 0;

  if (g_uuid_string_is_valid (q))
    {
      g_autoptr(BoughNode) node = NULL;

      ex->stats->store_queries++;
      node = bough_store_get_node (ex->c->store, ex->c->branch, ex->at, NULL, q, &error);
      if (node != NULL && may_view (ex, node->kind))
        {
          JsonObject *edge = json_object_new ();
          JsonObject *n = json_object_new ();

          json_object_set_string_member (n, "id", node->id);
          json_object_set_string_member (n, "kind", node->kind);
          json_object_set_object_member (edge, "node", n);
          json_array_add_object_element (edges, edge);
          count = 1;
        }
      g_clear_error (&error);
    }
  else if (bough_schema_lookup (ex->c->schema, "CoreNode") != NULL)
    {
      g_autoptr(BoughQuery) query = bough_query_new ("CoreNode");
      g_autoptr(BoughQueryResult) result = NULL;
      JsonNode *value = json_node_init_string (json_node_alloc (), q);

      bough_query_add_filter (query, NULL, "any", BOUGH_FILTER_VALUE, value);
      json_node_unref (value);
      query->partial_match = !json_object_has_member (args, "partial_match") ||
                             json_object_get_boolean_member (args, "partial_match");
      query->limit = MAX (0, limit);
      result = run_visible_query (ex, query, &error);
      if (result == NULL)
        {
          add_error (ex, g_ptr_array_index (field_nodes, 0), path, error->message);
          json_array_unref (edges);
          return NULL;
        }
      count = result->count;
      for (guint i = 0; i < result->nodes->len; i++)
        {
          BoughNode *node = g_ptr_array_index (result->nodes, i);
          JsonObject *edge = json_object_new ();
          JsonObject *n = json_object_new ();

          json_object_set_string_member (n, "id", node->id);
          json_object_set_string_member (n, "kind", node->kind);
          json_object_set_object_member (edge, "node", n);
          json_array_add_object_element (edges, edge);
        }
    }
  json_object_set_int_member (values, "count", count);
  json_object_set_array_member (values, "edges", edges);
  {
    /* edges is a list of objects: complete each against NodeEdge */
    BoughGqlType *type = bough_gql_schema_get_type (ex->gql, "NodeEdges");
    BoughGqlType *edge_type = bough_gql_schema_get_type (ex->gql, "NodeEdge");
    BoughGqlObject *out = bough_gql_tree_new_object (ex->tree);
    Fields sub;

    collect_sub (ex, type, field_nodes, &sub);
    for (guint k = 0; k < sub.keys->len; k++)
      {
        const char *key = g_ptr_array_index (sub.keys, k);
        const char *name = fields_first (&sub, key)->name;

        if (g_str_equal (name, "__typename"))
          bough_gql_object_set_string (ex->tree, out, key, type->name);
        else if (g_str_equal (name, "count"))
          bough_gql_object_set_int (ex->tree, out, key, count);
        else if (g_str_equal (name, "edges"))
          {
            BoughGqlArray *array = bough_gql_tree_new_array (ex->tree);

            for (guint i = 0; i < json_array_get_length (edges); i++)
              bough_gql_array_add_object (ex->tree, array,
                                          fixed_object (ex, edge_type, g_hash_table_lookup (sub.groups, key),
                                                        json_array_get_object_element (edges, i)));
            bough_gql_object_set_array (ex->tree, out, key, array);
          }
      }
    fields_clear (&sub);
    return out;
  }
}

static char **
string_list (JsonObject *args,
             const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (!json_object_has_member (args, name) || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (args, name)))
    return g_strv_builder_end (builder);
  array = json_object_get_array_member (args, name);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (json_node_get_value_type (item) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (item));
    }
  return g_strv_builder_end (builder);
}

/* `Relationship(ids, limit, offset, excluded_namespaces)`: the relationship
 * instances of the identifiers in @ids (as Infrahub, `ids` names
 * identifiers), each with its stable id and the nodes at its two ends. */
static BoughGqlObject *
resolve_relationships (Exec       *ex,
                       GPtrArray  *field_nodes,
                       JsonObject *args,
                       const Path *path)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) identifiers = string_list (args, "ids");
  g_auto(GStrv) excluded = string_list (args, "excluded_namespaces");
  BoughGqlType *type = bough_gql_schema_get_type (ex->gql, "Relationships");
  BoughGqlType *edge_type = bough_gql_schema_get_type (ex->gql, "RelationshipNode");
  BoughGqlType *inst_type = bough_gql_schema_get_type (ex->gql, "RelationshipInstance");
  BoughGqlType *peer_type = bough_gql_schema_get_type (ex->gql, "RelationshipPeer");
  gint64 offset = 0, limit = -1, count = 0;
  GPtrArray *instances;
  BoughGqlObject *out;
  Fields top;

  if (json_object_has_member (args, "offset") && !json_object_get_null_member (args, "offset"))
    offset = MAX (0, json_object_get_int_member (args, "offset"));
  if (json_object_has_member (args, "limit") && !json_object_get_null_member (args, "limit"))
    limit = MAX (0, json_object_get_int_member (args, "limit"));
  limit = page_size (ex, limit);
  ex->stats->store_queries++;
  /* Links with an end the caller may not view are not there for it, in the
   * count and the paging too: then every link is read and filtered here. */
  instances = bough_store_list_relationships (ex->c->store, ex->c->branch, ex->at,
                                              (const char * const *) identifiers,
                                              (const char * const *) excluded,
                                              ex->see_all ? offset : 0, ex->see_all ? limit : -1,
                                              &count, &error);
  if (instances == NULL)
    {
      add_error (ex, g_ptr_array_index (field_nodes, 0), path, error->message);
      return NULL;
    }
  bough_gql_tree_keep (ex->tree, instances, (GDestroyNotify) g_ptr_array_unref);
  if (!ex->see_all)
    {
      for (guint i = instances->len; i > 0; i--)
        {
          BoughRelationshipInstance *inst = g_ptr_array_index (instances, i - 1);

          if (!may_view (ex, inst->src_kind) || !may_view (ex, inst->dst_kind))
            g_ptr_array_remove_index (instances, i - 1);
        }
      count = instances->len;
      g_ptr_array_remove_range (instances, 0, MIN ((guint64) offset, (guint64) instances->len));
      if (limit >= 0 && instances->len > (guint64) limit)
        g_ptr_array_set_size (instances, limit);
    }
  out = bough_gql_tree_new_object (ex->tree);
  top = *collect_cached (ex, type, field_nodes);
  for (guint k = 0; k < top.keys->len; k++)
    {
      const char *key = g_ptr_array_index (top.keys, k);
      const char *name = fields_first (&top, key)->name;
      Fields esub, isub, psub;
      BoughGqlArray *array;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, out, key, type->name);
      else if (g_str_equal (name, "count"))
        bough_gql_object_set_int (ex->tree, out, key, count);
      if (!g_str_equal (name, "edges"))
        continue;
      esub = *collect_cached (ex, edge_type, g_hash_table_lookup (top.groups, key));
      array = bough_gql_tree_new_array (ex->tree);
      for (guint i = 0; i < instances->len; i++)
        {
          BoughRelationshipInstance *inst = g_ptr_array_index (instances, i);
          BoughGqlObject *edge = bough_gql_tree_new_object (ex->tree);

          for (guint e = 0; e < esub.keys->len; e++)
            {
              const char *ekey = g_ptr_array_index (esub.keys, e);
              const char *ename = fields_first (&esub, ekey)->name;
              BoughGqlObject *node;

              if (g_str_equal (ename, "__typename"))
                bough_gql_object_set_string (ex->tree, edge, ekey, edge_type->name);
              if (!g_str_equal (ename, "node"))
                continue;
              node = bough_gql_tree_new_object (ex->tree);
              isub = *collect_cached (ex, inst_type, g_hash_table_lookup (esub.groups, ekey));
              for (guint q = 0; q < isub.keys->len; q++)
                {
                  const char *ikey = g_ptr_array_index (isub.keys, q);
                  const char *iname = fields_first (&isub, ikey)->name;

                  if (g_str_equal (iname, "__typename"))
                    bough_gql_object_set_string (ex->tree, node, ikey, inst_type->name);
                  else if (g_str_equal (iname, "id"))
                    bough_gql_object_set_string (ex->tree, node, ikey, inst->id);
                  else if (g_str_equal (iname, "identifier"))
                    bough_gql_object_set_string (ex->tree, node, ikey, inst->identifier);
                  else if (g_str_equal (iname, "peers"))
                    {
                      BoughGqlArray *peers = bough_gql_tree_new_array (ex->tree);

                      psub = *collect_cached (ex, peer_type, g_hash_table_lookup (isub.groups, ikey));
                      for (guint end = 0; end < 2; end++)
                        {
                          BoughGqlObject *peer = bough_gql_tree_new_object (ex->tree);

                          for (guint r = 0; r < psub.keys->len; r++)
                            {
                              const char *pkey = g_ptr_array_index (psub.keys, r);
                              const char *pname = fields_first (&psub, pkey)->name;

                              if (g_str_equal (pname, "__typename"))
                                bough_gql_object_set_string (ex->tree, peer, pkey, peer_type->name);
                              else if (g_str_equal (pname, "id"))
                                bough_gql_object_set_string (ex->tree, peer, pkey, end == 0 ? inst->src_id : inst->dst_id);
                              else if (g_str_equal (pname, "kind"))
                                bough_gql_object_set_string (ex->tree, peer, pkey, end == 0 ? inst->src_kind : inst->dst_kind);
                            }
                          bough_gql_array_add_object (ex->tree, peers, peer);
                        }
                      bough_gql_object_set_array (ex->tree, node, ikey, peers);
                    }
                }
              bough_gql_object_set_object (ex->tree, edge, ekey, node);
            }
          bough_gql_array_add_object (ex->tree, array, edge);
        }
      bough_gql_object_set_array (ex->tree, out, key, array);
    }
  return out;
}

/* TRUE when the selection of a payload's `object` asks for nothing but `id`
 * and `__typename`, which a write fixes for good. */
static gboolean
object_selection_is_id (Exec         *ex,
                        BoughGqlType *object_type,
                        GPtrArray    *field_nodes)
{
  gboolean only = TRUE;
  Fields sub;

  collect_sub (ex, object_type, field_nodes, &sub);
  for (guint k = 0; k < sub.keys->len && only; k++)
    {
      const char *name = fields_first (&sub, g_ptr_array_index (sub.keys, k))->name;

      only = g_str_equal (name, "id") || g_str_equal (name, "__typename");
    }
  fields_clear (&sub);
  return only;
}

/* TRUE when a mutation field's result is known as soon as it wrote: it
 * selects `ok`, `__typename` and `object { id __typename }` only (what the
 * SDK asks). Such a field may share its transaction with the fields after
 * it: their writes cannot change what it answers. */
static gboolean
result_is_write_stable (Exec          *ex,
                        BoughGqlField *def,
                        GPtrArray     *field_nodes)
{
  BoughGqlType *payload = bough_gql_type_named (def->type);
  gboolean stable = TRUE;
  Fields sub;

  collect_sub (ex, payload, field_nodes, &sub);
  for (guint k = 0; k < sub.keys->len && stable; k++)
    {
      const char *key = g_ptr_array_index (sub.keys, k);
      const char *name = fields_first (&sub, key)->name;

      if (g_str_equal (name, "object"))
        stable = object_selection_is_id (ex, bough_gql_type_named (bough_gql_type_get_field (payload, name)->type),
                                         g_hash_table_lookup (sub.groups, key));
      else
        stable = g_str_equal (name, "ok") || g_str_equal (name, "__typename");
    }
  fields_clear (&sub);
  return stable;
}

/* Reads back a node written by a mutation and completes its `object`
 * (without reading when only its id is asked for). */
static BoughGqlObject *
complete_written (Exec         *ex,
                  const char   *kind,
                  const char   *id,
                  BoughGqlType *result_type,
                  GPtrArray    *field_nodes,
                  gboolean      ok,
                  const Path   *path)
{
  BoughGqlObject *out = bough_gql_tree_new_object (ex->tree);
  Fields sub;

  collect_sub (ex, result_type, field_nodes, &sub);
  for (guint k = 0; k < sub.keys->len; k++)
    {
      const char *key = g_ptr_array_index (sub.keys, k);
      GPtrArray *group = g_hash_table_lookup (sub.groups, key);
      const char *name = fields_first (&sub, key)->name;

      if (g_str_equal (name, "__typename"))
        bough_gql_object_set_string (ex->tree, out, key, result_type->name);
      else if (g_str_equal (name, "ok"))
        bough_gql_object_set_boolean (ex->tree, out, key, ok);
      else if (g_str_equal (name, "object") && id != NULL &&
               object_selection_is_id (ex, bough_gql_type_named (bough_gql_type_get_field (result_type, name)->type),
                                       group))
        {
          BoughGqlType *object_type = bough_gql_type_named (bough_gql_type_get_field (result_type, name)->type);
          BoughGqlObject *obj = bough_gql_tree_new_object (ex->tree);
          Fields idf;

          collect_sub (ex, object_type, group, &idf);
          for (guint j = 0; j < idf.keys->len; j++)
            {
              const char *id_key = g_ptr_array_index (idf.keys, j);

              bough_gql_object_set_string (ex->tree, obj, id_key,
                                           g_str_equal (fields_first (&idf, id_key)->name, "id")
                                           ? id : g_intern_string (kind));
            }
          fields_clear (&idf);
          place_object (ex, out, key, obj);
        }
      else if (g_str_equal (name, "object") && id != NULL)
        {
          g_autoptr(GError) error = NULL;
          BoughNode *node = NULL;
          Path here = { path, key, 0 };

          ex->stats->store_queries++;
          node = bough_store_get_node (ex->c->store, ex->c->branch, 0, kind, id, &error);
          if (node == NULL)
            {
              add_error (ex, g_ptr_array_index (group, 0), &here, error->message);
              bough_gql_object_set_null (ex->tree, out, key);
            }
          else
            {
              g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
              BoughGqlObject *obj = bough_gql_tree_new_object (ex->tree);
              BoughGqlField *def = bough_gql_type_get_field (result_type, "object");

              bough_gql_tree_keep (ex->tree, node, (GDestroyNotify) bough_node_unref);
              g_ptr_array_add (nodes, node);
              const Path *paths[1] = { &here };

              complete_nodes (ex, nodes, bough_gql_type_named (def->type), group, paths, &obj);
              place_object (ex, out, key, obj);
            }
        }
      else
        bough_gql_object_set_null (ex->tree, out, key);
    }
  fields_clear (&sub);
  return out;
}

/* A stored query's text is parsed and validated on save, and the read-only
 * fields Infrahub derives from it are written by the server alongside it; a
 * text that does not parse or validate is refused before anything is written. */
static JsonObject *
stored_query_data (Exec        *ex,
                   BoughTxn    *txn,
                   JsonObject  *data,
                   JsonObject **merged,
                   GError     **error)
{
  g_autoptr(JsonObject) info = NULL;
  JsonObject *query;
  const char *text;
  GList *members;

  if (!json_object_has_member (data, "query")
      || JSON_NODE_TYPE (json_object_get_member (data, "query")) != JSON_NODE_OBJECT)
    return data;
  query = json_object_get_object_member (data, "query");
  if (!json_object_has_member (query, "value")
      || JSON_NODE_TYPE (json_object_get_member (query, "value")) != JSON_NODE_VALUE)
    return data;
  text = json_object_get_string_member (query, "value");
  if (text == NULL)
    return data;
  info = bough_gql_stored_query_analyze (ex->c->gql, ex->c->schema, text, error);
  if (info == NULL)
    return NULL;
  *merged = json_object_new ();
  members = json_object_get_members (data);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (*merged, l->data, json_node_copy (json_object_get_member (data, l->data)));
  g_list_free (members);
  members = json_object_get_members (info);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (*merged, l->data, json_node_copy (json_object_get_member (info, l->data)));
  g_list_free (members);
  bough_txn_set_internal (txn, TRUE);
  return *merged;
}

typedef enum
{
  MUTATION_CREATE,
  MUTATION_UPDATE,
  MUTATION_UPSERT,
  MUTATION_DELETE,
  MUTATION_OTHER,
} MutationOp;

/* Splits `<Kind><Op>` when Kind is a kind of the schema. */
static MutationOp
split_mutation_name (Exec        *ex,
                     const char  *name,
                     char       **kind)
{
  static const char *suffixes[] = { "Create", "Update", "Upsert", "Delete" };

  for (guint op = 0; op < G_N_ELEMENTS (suffixes); op++)
    if (g_str_has_suffix (name, suffixes[op]))
      {
        g_autofree char *k = g_strndup (name, strlen (name) - strlen (suffixes[op]));

        if (bough_schema_lookup (ex->c->schema, k) == NULL)
          break;
        if (kind != NULL)
          *kind = g_steal_pointer (&k);
        return (MutationOp) op;
      }
  return MUTATION_OTHER;
}

/* The data mutations: <Kind>Create/Update/Upsert/Delete of a schema kind and
 * RelationshipAdd/Remove. */
static gboolean
is_data_mutation (Exec       *ex,
                  const char *name)
{
  return g_str_equal (name, "RelationshipAdd") || g_str_equal (name, "RelationshipRemove") ||
         split_mutation_name (ex, name, NULL) != MUTATION_OTHER;
}

/* Adds the ids of the peers @value names (`{id}` or a list of them). */
static void
collect_peer_ids (JsonNode  *value,
                  GPtrArray *ids)
{
  if (value == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_peer_ids (json_array_get_element (array, i), ids);
    }
  else if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *o = json_node_get_object (value);

      if (json_object_has_member (o, "id") && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "id")) &&
          json_node_get_value_type (json_object_get_member (o, "id")) == G_TYPE_STRING)
        g_ptr_array_add (ids, (gpointer) json_object_get_string_member (o, "id"));
    }
}

/* The first peer id of a write the caller may not view, or %NULL: the
 * `nodes` of RelationshipAdd/Remove, the relationships of a create,
 * update or upsert. */
static char *
hidden_peer (Exec            *ex,
             BoughNodeSchema *ns,
             const char      *name,
             JsonObject      *data)
{
  g_autoptr(GPtrArray) ids = NULL;

  if (ex->see_all)
    return NULL;
  ids = g_ptr_array_new ();
  if (g_str_equal (name, "RelationshipAdd") || g_str_equal (name, "RelationshipRemove"))
    collect_peer_ids (json_object_get_member (data, "nodes"), ids);
  else
    for (guint r = 0; r < ns->relationships->len; r++)
      {
        BoughRelationshipSchema *rs = g_ptr_array_index (ns->relationships, r);

        if (!json_object_has_member (data, rs->name))
          continue;
        /* peers given by hfid too: a kind wholly hidden is refused */
        if (kind_visibility (ex, rs->peer) == SEE_NONE &&
            !JSON_NODE_HOLDS_NULL (json_object_get_member (data, rs->name)))
          return g_strdup (rs->name);
        collect_peer_ids (json_object_get_member (data, rs->name), ids);
      }
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autoptr(BoughNode) peer = bough_store_get_node (ex->c->store, ex->c->branch, 0, NULL, id, NULL);

      /* unknown and hidden alike, so that the answer tells neither */
      if (peer == NULL || !may_view (ex, peer->kind))
        return g_strdup (id);
    }
  return NULL;
}

/* Why the caller may not run the data mutation @name on @data, or %NULL
 * when it may. Checked before anything is written: a refusal writes
 * nothing. */
static char *
mutation_refusal (Exec       *ex,
                  const char *name,
                  JsonObject *data)
{
  g_autofree char *kind = NULL;
  BoughPermissionAction actions[2];
  guint n = 0;
  BoughNodeSchema *ns;
  const char *global = NULL;

  if (g_str_equal (name, "RelationshipAdd") || g_str_equal (name, "RelationshipRemove"))
    {
      const char *id = json_object_has_member (data, "id") ? json_object_get_string_member (data, "id") : NULL;
      g_autoptr(BoughNode) node = NULL;

      if (id != NULL)
        node = bough_store_get_node (ex->c->store, ex->c->branch, 0, NULL, id, NULL);
      /* unknown and hidden alike, so that the answer tells neither (the
       * server itself gets the store's own message) */
      if (!ex->see_all && (node == NULL || !may_view (ex, node->kind)))
        return g_strdup_printf ("Unable to find the node %s, or you do not have the permission to view it",
                                id != NULL ? id : "");
      if (node == NULL)
        return NULL;
      kind = g_strdup (node->kind);
      actions[n++] = BOUGH_PERMISSION_UPDATE;
    }
  else
    switch (split_mutation_name (ex, name, &kind))
      {
      case MUTATION_CREATE:
        actions[n++] = BOUGH_PERMISSION_CREATE;
        break;
      case MUTATION_UPDATE:
        actions[n++] = BOUGH_PERMISSION_UPDATE;
        break;
      case MUTATION_UPSERT:
        /* whether it creates is known only once written */
        actions[n++] = BOUGH_PERMISSION_CREATE;
        actions[n++] = BOUGH_PERMISSION_UPDATE;
        break;
      case MUTATION_DELETE:
        actions[n++] = BOUGH_PERMISSION_DELETE;
        break;
      case MUTATION_OTHER:
      default:
        return NULL;
      }
  ns = bough_schema_lookup (ex->c->schema, kind);
  if (ns == NULL)
    return NULL;
  {
    g_autofree char *hidden = hidden_peer (ex, ns, name, data);

    /* linking to a node one may not view would tell it exists */
    if (hidden != NULL)
      return g_strdup_printf ("You may not link to %s: it is unknown or you do not have the permission to view it",
                              hidden);
  }
  for (guint i = 0; i < n; i++)
    if (!may (ex, kind, actions[i]))
      {
        gboolean on_default = ex->default_branch || ns->branch == BOUGH_BRANCH_SUPPORT_AGNOSTIC;

        return g_strdup_printf ("You do not have the permission object:%s:%s:%s:%s",
                                ns->namespace_, ns->name, bough_permission_action_to_string (actions[i]),
                                on_default ? "allow_default" : "allow_other");
      }
  /* Infrahub's global:edit_default_branch: a change made on the default
   * branch takes it besides the object permission. */
  if (ex->default_branch && !bough_permissions_allows_global (ex->perms, "edit_default_branch", TRUE))
    return g_strdup ("You do not have the permission global:edit_default_branch:allow_all");
  if (bough_schema_is_a (ex->c->schema, kind, "CoreGenericAccount") ||
      g_str_equal (kind, "InternalAccountToken") || g_str_equal (kind, "InternalRefreshToken"))
    global = "manage_accounts";
  else if (g_str_equal (kind, "CoreAccountGroup") || g_str_equal (kind, "CoreAccountRole") ||
           bough_schema_is_a (ex->c->schema, kind, "CoreBasePermission"))
    global = "manage_permissions";
  if (global != NULL && !bough_permissions_allows_global (ex->perms, global, TRUE))
    return g_strdup_printf ("You do not have the permission global:%s:allow_all", global);
  return NULL;
}

/* Writes one data mutation field in the operation's transaction (begun by
 * the first one). Each write is atomic: a field that fails leaves nothing
 * behind and the others go on. Its result is completed by
 * flush_mutations(). */
static void
write_mutation (Exec          *ex,
                BoughGqlField *def,
                GPtrArray     *field_nodes,
                const char    *key)
{
  g_autoptr(GError) error = NULL;
  const BoughGqlNode *first = g_ptr_array_index (field_nodes, 0);
  g_autoptr(JsonObject) args = arguments (ex, def, first);
  JsonObject *data = json_object_has_member (args, "data") ? json_object_get_object_member (args, "data") : NULL;
  const char *name = def->name;
  g_autoptr(BoughNode) written = NULL;
  g_autoptr(JsonObject) stored = NULL;
  PendingWrite w = { def, field_nodes, key, NULL, NULL, TRUE };
  gboolean ok = FALSE;

  if (data == NULL)
    goto done;
  {
    g_autofree char *refusal = mutation_refusal (ex, name, data);

    if (refusal != NULL)
      {
        g_autofree char *message = g_strdup_printf ("%s: %s", name, refusal);
        Path path = { NULL, key, 0 };

        add_denied (ex, first, &path, message);
        g_array_append_val (ex->pending, w);
        return;
      }
  }
  if (ex->txn == NULL)
    {
      ex->stats->transactions++;
      ex->txn = bough_store_begin (ex->c->store, ex->c->branch, ex->c->account, &error);
      if (ex->txn == NULL)
        goto done;
    }

  if (g_str_equal (name, "RelationshipAdd") || g_str_equal (name, "RelationshipRemove"))
    {
      const char *id = json_object_get_string_member (data, "id");
      const char *rel = json_object_get_string_member (data, "name");
      JsonArray *peers = json_object_get_array_member (data, "nodes");

      ok = g_str_equal (name, "RelationshipAdd")
           ? bough_txn_relationship_add (ex->txn, id, rel, peers, &error)
           : bough_txn_relationship_remove (ex->txn, id, rel, peers, &error);
    }
  else
    {
      MutationOp op = split_mutation_name (ex, name, &w.kind);

      g_assert (op != MUTATION_OTHER);
      if (op != MUTATION_DELETE && g_str_equal (w.kind, "CoreGraphQLQuery"))
        {
          data = stored_query_data (ex, ex->txn, data, &stored, &error);
          if (data == NULL)
            goto done;
        }
      switch (op)
        {
        case MUTATION_CREATE:
          written = bough_txn_create (ex->txn, w.kind, data, &error);
          break;
        case MUTATION_UPDATE:
          written = bough_txn_update (ex->txn, w.kind, data, &error);
          break;
        case MUTATION_UPSERT:
          {
            gboolean created = FALSE;

            written = bough_txn_upsert (ex->txn, w.kind, data, &created, &error);
          }
          break;
        case MUTATION_DELETE:
        case MUTATION_OTHER:
        default:
          ok = bough_txn_delete (ex->txn, w.kind, data, &error);
          break;
        }
      /* The server's own fields of a stored query are for that write only. */
      if (stored != NULL)
        bough_txn_set_internal (ex->txn, FALSE);
      if (op != MUTATION_DELETE)
        ok = written != NULL;
      if (written != NULL)
        w.id = g_strdup (written->id);
    }

done:
  w.failed = !ok;
  if (!ok && error != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", name, error->message);
      Path path = { NULL, key, 0 };

      add_input_error (ex, first, &path, message, error);
    }
  g_array_append_val (ex->pending, w);
}

static void set_root (Exec           *ex,
                      BoughGqlObject *data,
                      gboolean       *data_null,
                      BoughGqlField  *def,
                      const char     *key,
                      BoughGqlObject *value);

/* Commits the operation's transaction and completes the fields written in
 * it, in their order. One commit for a run of data mutations is what makes
 * a batch of creates fast (one sync to disk, not one per object); their
 * results are read after it. A failed commit fails every field of the run. */
static void
flush_mutations (Exec           *ex,
                 BoughGqlObject *data,
                 gboolean       *data_null)
{
  g_autoptr(GError) error = NULL;
  gboolean committed = TRUE;

  if (ex->txn != NULL)
    {
      committed = bough_txn_commit (ex->txn, &error);
      g_clear_pointer (&ex->txn, bough_txn_free);
    }
  for (guint i = 0; i < ex->pending->len; i++)
    {
      PendingWrite *w = &g_array_index (ex->pending, PendingWrite, i);
      BoughGqlObject *value = NULL;
      Path path = { NULL, w->key, 0 };

      if (!w->failed && !committed)
        {
          g_autofree char *message = g_strdup_printf ("%s: %s", w->def->name, error->message);

          add_input_error (ex, g_ptr_array_index (w->group, 0), &path, message, error);
        }
      else if (!w->failed)
        value = complete_written (ex, w->kind, w->id, bough_gql_type_named (w->def->type), w->group,
                                  TRUE, &path);
      set_root (ex, data, data_null, w->def, w->key, value);
      g_free (w->kind);
      /* The response may borrow it. */
      if (w->id != NULL)
        bough_gql_tree_keep (ex->tree, w->id, g_free);
    }
  g_array_set_size (ex->pending, 0);
}

static void
set_root (Exec               *ex,
          BoughGqlObject     *data,
          gboolean           *data_null,
          BoughGqlField      *def,
          const char         *key,
          BoughGqlObject     *value)
{
  if (value == NULL)
    {
      if (def != NULL && def->type->kind == BOUGH_GQL_TYPE_NON_NULL)
        *data_null = TRUE;
      bough_gql_object_set_null (ex->tree, data, key);
      return;
    }
  bough_gql_object_set_object (ex->tree, data, key, value);
}

/* Runs the operation into @ex->tree; returns the `data` object, %NULL when
 * it is null. */
static BoughGqlObject *
execute (Exec                   *ex,
         const BoughGqlDocument *document,
         const char             *operation_name)
{
  const BoughGqlNode *operation = NULL;
  BoughGqlObject *data = bough_gql_tree_new_object (ex->tree);
  gboolean data_null = FALSE;
  BoughGqlType *root;
  Fields fields;

  for (const BoughGqlNode *def = document->root->children; def != NULL; def = def->next)
    {
      if (def->kind == BOUGH_GQL_FRAGMENT_DEFINITION)
        g_hash_table_insert (ex->fragments, (gpointer) def->name, (gpointer) def);
      else if (def->kind == BOUGH_GQL_OPERATION_DEFINITION &&
               (operation_name == NULL || g_strcmp0 (def->name, operation_name) == 0) && operation == NULL)
        operation = def;
    }
  if (operation == NULL)
    {
      g_autofree char *m = operation_name ? g_strdup_printf ("Unknown operation named \"%s\".", operation_name)
                                          : g_strdup ("Must provide an operation.");

      add_error (ex, NULL, NULL, m);
      return NULL;
    }
  if (operation->operation == BOUGH_GQL_MUTATION)
    ex->at = 0;
  ex->subscription = operation->operation == BOUGH_GQL_SUBSCRIPTION;

  root = bough_gql_schema_get_root_type (ex->gql, operation->operation);
  fields_init (&fields);
  {
    g_autoptr(GHashTable) visited = g_hash_table_new (g_str_hash, g_str_equal);

    collect (ex, root, operation->selection_set, &fields, visited);
  }
  for (guint k = 0; k < fields.keys->len; k++)
    {
      const char *key = g_ptr_array_index (fields.keys, k);
      GPtrArray *group = g_hash_table_lookup (fields.groups, key);
      const BoughGqlNode *first = g_ptr_array_index (group, 0);
      const char *name = first->name;
      BoughGqlField *def = bough_gql_type_get_field (root, name);
      Path path = { NULL, key, 0 };
      BoughNodeSchema *ns;

      if (operation->operation == BOUGH_GQL_MUTATION && def != NULL && is_data_mutation (ex, name))
        {
          /* A field whose answer later writes could change is answered
           * before they run, in a transaction of its own. */
          gboolean stable = result_is_write_stable (ex, def, group);

          if (!stable)
            flush_mutations (ex, data, &data_null);
          write_mutation (ex, def, group, key);
          if (!stable)
            flush_mutations (ex, data, &data_null);
          continue;
        }
      /* Anything else sees the data mutations committed before it, and
       * keeps its place in the response. */
      flush_mutations (ex, data, &data_null);
      if (g_str_equal (name, "__typename"))
        {
          bough_gql_object_set_string (ex->tree, data, key, root->name);
          continue;
        }
      if (g_str_equal (name, "__schema") || g_str_equal (name, "__type"))
        {
          JsonNode *meta = bough_gql_introspection_resolve (ex->gql, first, ex->fragments, ex->variables);

          bough_gql_tree_keep (ex->tree, meta, (GDestroyNotify) json_node_unref);
          bough_gql_object_set_json (ex->tree, data, key, meta);
          continue;
        }
      if (def == NULL)
        {
          g_autofree char *m = g_strdup_printf ("Cannot query field \"%s\" on type \"%s\".", name, root->name);

          add_error (ex, first, &path, m);
          bough_gql_object_set_null (ex->tree, data, key);
          continue;
        }
      if (operation->operation == BOUGH_GQL_MUTATION && bough_gql_branch_is_mutation_field (name))
        {
          resolve_branch_field (ex, data, &data_null, def, key, group, &path, TRUE);
          continue;
        }
      ns = bough_schema_lookup (ex->c->schema, name);
      if (bough_gql_branch_is_query_field (name) || bough_gql_events_is_field (name))
        resolve_branch_field (ex, data, &data_null, def, key, group, &path, FALSE);
      else if (ns != NULL)
        set_root (ex, data, &data_null, def, key, resolve_kind_list (ex, ns, def, group, &path));
      else if (g_str_equal (name, "InfrahubInfo"))
        {
          g_autoptr(JsonObject) values = json_object_new ();

          json_object_set_string_member (values, "version", PACKAGE_VERSION);
          json_object_set_string_member (values, "deployment_id", bough_schema_get_hash (ex->c->schema));
          set_root (ex, data, &data_null, def, key,
                    fixed_object (ex, bough_gql_type_named (def->type), group, values));
        }
      else if (g_str_equal (name, "InfrahubStatus"))
        {
          g_autoptr(JsonObject) values = json_object_new ();
          JsonObject *summary = json_object_new ();

          json_object_set_boolean_member (summary, "schema_hash_synced", TRUE);
          json_object_set_object_member (values, "summary", summary);
          set_root (ex, data, &data_null, def, key,
                    fixed_object (ex, bough_gql_type_named (def->type), group, values));
        }
      else if (g_str_equal (name, "InfrahubSearchAnywhere"))
        {
          g_autoptr(JsonObject) args = arguments (ex, def, first);

          set_root (ex, data, &data_null, def, key, resolve_search (ex, group, args, &path));
        }
      else if (g_str_equal (name, "Relationship"))
        {
          g_autoptr(JsonObject) args = arguments (ex, def, first);

          set_root (ex, data, &data_null, def, key, resolve_relationships (ex, group, args, &path));
        }
      else if (g_str_equal (name, "AccountProfile"))
        set_root (ex, data, &data_null, def, key, resolve_account_profile (ex, def, group, &path));
      else if (bough_gql_account_is_mutation (name))
        {
          g_autoptr(JsonObject) args = arguments (ex, def, first);
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonObject) values = bough_gql_account_mutate (ex->c, name, args, &error);

          if (values == NULL)
            add_error (ex, first, &path, error->message);
          set_root (ex, data, &data_null, def, key,
                    values ? fixed_object (ex, bough_gql_type_named (def->type), group, values) : NULL);
        }
      else
        {
          g_autofree char *m = g_strdup_printf ("Field \"%s\" is not implemented.", name);

          add_error (ex, first, &path, m);
          set_root (ex, data, &data_null, def, key, NULL);
        }
    }
  flush_mutations (ex, data, &data_null);
  fields_clear (&fields);
  return data_null ? NULL : data;
}

/**
 * bough_gql_execute_to_bytes:
 * @context: store, schemas, branch and limits of the request
 * @document: a parsed document that passed bough_gql_validate()
 * @operation_name: (nullable): the operation to run
 * @variables: (nullable): the coerced variables
 * @stats: (nullable) (out caller-allocates): what the execution cost
 *
 * Runs one operation of @document. Errors of fields go to `errors` with
 * their path and location; the other fields are still resolved.
 *
 * Returns: (transfer full): the response `{data, errors?}` as JSON text
 */
GBytes *
bough_gql_execute_to_bytes (const BoughGqlExecContext *context,
                            const BoughGqlDocument    *document,
                            const char                *operation_name,
                            JsonObject                *variables,
                            BoughGqlExecStats         *stats)
{
  g_autoptr(GHashTable) fragments = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonObject) empty = json_object_new ();
  g_autoptr(JsonArray) errors = json_array_new ();
  g_autoptr(BoughGqlTree) tree = bough_gql_tree_new ();
  BoughGqlExecStats local_stats = { 0, };
  BoughGqlObject *data;
  GString *out;
  Exec ex;

  g_return_val_if_fail (context != NULL && context->store != NULL && context->gql != NULL, NULL);
  g_return_val_if_fail (document != NULL, NULL);

  memset (stats ? stats : &local_stats, 0, sizeof (BoughGqlExecStats));
  ex.c = context;
  ex.gql = context->gql;
  ex.variables = variables ? variables : empty;
  ex.fragments = fragments;
  ex.errors = errors;
  ex.stats = stats ? stats : &local_stats;
  ex.at = context->at;
  ex.sub_cache = g_hash_table_new_full (sub_key_hash, sub_key_equal, g_free, fields_free);
  ex.tree = tree;
  ex.txn = NULL;
  ex.pending = g_array_new (FALSE, FALSE, sizeof (PendingWrite));
  ex.perms = context->permissions != NULL ? bough_permissions_ref (context->permissions) : NULL;
  if (ex.perms == NULL)
    {
      g_autoptr(GError) error = NULL;

      ex.perms = context->identity != NULL
                 ? bough_permissions_for_identity (context->store, context->identity, &error)
                 : bough_permissions_for_account (context->store, context->account, &error);
      if (ex.perms == NULL)
        {
          /* fail closed: nothing visible, nothing written */
          g_warning ("Cannot read the permissions of %s: %s", context->account, error->message);
          ex.perms = bough_permissions_new ();
        }
    }
  ex.see_all = bough_permissions_is_super_admin (ex.perms);
  if (!bough_store_get_branch_info (context->store, context->branch, NULL, &ex.default_branch, NULL))
    ex.default_branch = g_str_equal (context->branch, BOUGH_DEFAULT_BRANCH);
  ex.view_memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ex.commit_accounts = NULL;
  ex.account_names = NULL;

  data = execute (&ex, document, operation_name);
  g_hash_table_unref (ex.view_memo);
  bough_permissions_unref (ex.perms);
  g_hash_table_unref (ex.sub_cache);
  g_clear_pointer (&ex.commit_accounts, g_hash_table_unref);
  g_clear_pointer (&ex.account_names, g_hash_table_unref);
  g_assert (ex.txn == NULL && ex.pending->len == 0);
  g_array_unref (ex.pending);

  out = g_string_sized_new (4096);
  g_string_append (out, "{\"data\":");
  if (data != NULL)
    bough_gql_object_write (data, out);
  else
    g_string_append (out, "null");
  if (json_array_get_length (errors) > 0)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, errors);
      g_string_append (out, ",\"errors\":");
      bough_gql_json_write (node, out);
    }
  g_string_append_c (out, '}');
  return g_string_free_to_bytes (out);
}

/**
 * bough_gql_execute:
 * @context: store, schemas, branch and limits of the request
 * @document: a parsed document that passed bough_gql_validate()
 * @operation_name: (nullable): the operation to run
 * @variables: (nullable): the coerced variables
 * @stats: (nullable) (out caller-allocates): what the execution cost
 *
 * bough_gql_execute_to_bytes() for callers that want the response as JSON
 * objects.
 *
 * Returns: (transfer full): the response object `{data, errors?}`
 */
JsonObject *
bough_gql_execute (const BoughGqlExecContext *context,
                   const BoughGqlDocument    *document,
                   const char                *operation_name,
                   JsonObject                *variables,
                   BoughGqlExecStats         *stats)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *text;

  g_return_val_if_fail (context != NULL && context->store != NULL && context->gql != NULL, NULL);
  g_return_val_if_fail (document != NULL, NULL);

  bytes = bough_gql_execute_to_bytes (context, document, operation_name, variables, stats);
  text = g_bytes_get_data (bytes, &len);
  if (!json_parser_load_from_data (parser, text, len, &error))
    g_error ("executor wrote invalid JSON: %s", error->message);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}
