/* bough-gql-branch.c: the branch and diff part of the generated API (reference §2.5, §2.6,
 * §4.4): the types and fields Infrahub's clients use for branches (Branch, InfrahubBranch,
 * BranchCreate/Update/Delete/Rebase/Merge/Validate), diffs (DiffTree, DiffTreeSummary,
 * DiffUpdate) and conflicts (ResolveDiffConflict), with Infrahub's names and shapes.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-gql-branch"

#include "config.h"

#include <string.h>

#include "bough-gql-branch.h"

/* ---- types ---- */

static const char * const type_names[] = {
  "BranchStatus", "Branch", "RequiredStringValueField", "NonRequiredStringValueField",
  "NonRequiredIntValueField", "NonRequiredBooleanValueField", "StatusField", "InfrahubBranch",
  "InfrahubBranchEdge", "InfrahubBranchType", "TaskInfo", "BranchCreateInput",
  "BranchNameInput", "BranchUpdateInput", "BranchCreate", "BranchUpdate", "BranchDelete",
  "BranchRebase", "BranchMerge", "BranchValidate", "DiffAction", "RelationshipCardinality",
  "ConflictSelection", "ConflictDetails", "DiffProperty", "DiffAttribute",
  "DiffSingleRelationship", "DiffRelationship", "DiffNodeParent", "DiffNode", "DiffTree",
  "DiffTreeSummary", "IncExclFilterOptions", "IncExclFilterStatusOptions",
  "DiffTreeQueryFilters", "DiffUpdateInput", "DiffUpdate", "ResolveDiffConflictInput",
  "ResolveDiffConflict",
  NULL
};

static const char * const query_fields[] = {
  "Branch", "InfrahubBranch", "DiffTree", "DiffTreeSummary", NULL
};

static const char * const mutation_fields[] = {
  "BranchCreate", "BranchUpdate", "BranchDelete", "BranchRebase", "BranchMerge",
  "BranchValidate", "DiffUpdate", "ResolveDiffConflict", NULL
};

const char * const *
bough_gql_branch_type_names (void)
{
  return type_names;
}

static gboolean
in_list (const char * const *list,
         const char         *name)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strcmp (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
bough_gql_branch_is_query_field (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return in_list (query_fields, name);
}

gboolean
bough_gql_branch_is_mutation_field (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return in_list (mutation_fields, name);
}

typedef struct
{
  BoughGqlSchema *gql;
} Types;

static BoughGqlType *
T (Types      *t,
   const char *name)
{
  BoughGqlType *type = bough_gql_schema_get_type (t->gql, name);

  g_assert (type != NULL);
  return type;
}

static BoughGqlType *
NN (Types        *t,
    BoughGqlType *type)
{
  return bough_gql_schema_non_null (t->gql, type);
}

static BoughGqlType *
L (Types        *t,
   BoughGqlType *type)
{
  return bough_gql_schema_list_of (t->gql, type);
}

/* [type!] */
static BoughGqlType *
LNN (Types        *t,
     BoughGqlType *type)
{
  return L (t, NN (t, type));
}

static BoughGqlType *
add (Types            *t,
     BoughGqlTypeKind  kind,
     const char       *name,
     const char       *description)
{
  return bough_gql_schema_add_type (t->gql, kind, name, description);
}

static BoughGqlField *
field (BoughGqlType *type,
       const char   *name,
       BoughGqlType *field_type)
{
  return bough_gql_type_add_field (type, name, field_type, NULL);
}

static void
arg (BoughGqlField *f,
     const char    *name,
     BoughGqlType  *type)
{
  bough_gql_args_add (f->args, name, type, NULL, NULL);
}

static void
enum_values (BoughGqlType       *type,
             const char * const *values)
{
  for (guint i = 0; values[i] != NULL; i++)
    bough_gql_type_add_enum_value (type, values[i], NULL);
}

static void
add_branch_types (Types        *t,
                  BoughGqlType *query)
{
  static const char * const statuses[] = {
    "OPEN", "NEED_REBASE", "NEED_UPGRADE_REBASE", "DELETING", "MERGING", "MERGE_FAILED",
    "MERGED", NULL
  };
  BoughGqlType *type;
  BoughGqlType *branch;
  BoughGqlField *f;

  enum_values (add (t, BOUGH_GQL_TYPE_ENUM, "BranchStatus", NULL), statuses);

  branch = add (t, BOUGH_GQL_TYPE_OBJECT, "Branch", "Branch");
  field (branch, "id", NN (t, T (t, "String")));
  field (branch, "name", NN (t, T (t, "String")));
  field (branch, "description", T (t, "String"));
  field (branch, "origin_branch", T (t, "String"));
  field (branch, "branched_from", T (t, "String"));
  field (branch, "status", NN (t, T (t, "BranchStatus")));
  field (branch, "graph_version", T (t, "Int"));
  field (branch, "created_at", T (t, "String"));
  field (branch, "sync_with_git", T (t, "Boolean"));
  field (branch, "is_default", T (t, "Boolean"));
  f = field (branch, "is_isolated", T (t, "Boolean"));
  bough_gql_field_set_deprecated (f, "non isolated mode is not supported anymore");
  field (branch, "has_schema_changes", T (t, "Boolean"));
  f = bough_gql_type_add_field (query, "Branch", NN (t, LNN (t, branch)),
                                "Retrieve information about active branches.");
  arg (f, "ids", L (t, T (t, "ID")));
  arg (f, "name", T (t, "String"));

  /* InfrahubBranch: the paginated list, its values wrapped in {value} */
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "RequiredStringValueField", NULL), "value", NN (t, T (t, "String")));
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "NonRequiredStringValueField", NULL), "value", T (t, "String"));
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "NonRequiredIntValueField", NULL), "value", T (t, "Int"));
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "NonRequiredBooleanValueField", NULL), "value", T (t, "Boolean"));
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "StatusField", NULL), "value", NN (t, T (t, "BranchStatus")));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "InfrahubBranch", "InfrahubBranch");
  field (type, "id", NN (t, T (t, "String")));
  field (type, "name", NN (t, T (t, "RequiredStringValueField")));
  field (type, "description", T (t, "NonRequiredStringValueField"));
  field (type, "origin_branch", T (t, "NonRequiredStringValueField"));
  field (type, "branched_from", T (t, "NonRequiredStringValueField"));
  field (type, "status", NN (t, T (t, "StatusField")));
  field (type, "graph_version", T (t, "NonRequiredIntValueField"));
  field (type, "created_at", T (t, "String"));
  field (type, "sync_with_git", T (t, "NonRequiredBooleanValueField"));
  field (type, "is_default", T (t, "NonRequiredBooleanValueField"));
  f = field (type, "is_isolated", T (t, "NonRequiredBooleanValueField"));
  bough_gql_field_set_deprecated (f, "non isolated mode is not supported anymore");
  field (type, "has_schema_changes", T (t, "NonRequiredBooleanValueField"));
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "InfrahubBranchEdge", NULL), "node", NN (t, type));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "InfrahubBranchType", NULL);
  bough_gql_type_add_field (type, "count", T (t, "Int"), "Total number of items");
  field (type, "edges", NN (t, LNN (t, T (t, "InfrahubBranchEdge"))));
  bough_gql_type_add_field (type, "default_branch", NN (t, T (t, "InfrahubBranch")),
                            "The default branch, whatever the pagination.");
  f = bough_gql_type_add_field (query, "InfrahubBranch", NN (t, type),
                                "Retrieve paginated information about active branches.");
  arg (f, "offset", T (t, "Int"));
  arg (f, "limit", T (t, "Int"));
}

static void
add_branch_mutations (Types        *t,
                      BoughGqlType *mutation)
{
  /* result type, its fields beyond ok, and the input type */
  static const struct
  {
    const char *name;
    gboolean    object;
    gboolean    task;
    gboolean    messages;
    const char *input;
  } mutations[] = {
    { "BranchCreate", TRUE, TRUE, FALSE, "BranchCreateInput" },
    { "BranchUpdate", TRUE, FALSE, FALSE, "BranchUpdateInput" },
    { "BranchDelete", FALSE, TRUE, FALSE, "BranchNameInput" },
    { "BranchRebase", TRUE, TRUE, FALSE, "BranchNameInput" },
    { "BranchMerge", TRUE, TRUE, FALSE, "BranchNameInput" },
    { "BranchValidate", TRUE, TRUE, TRUE, "BranchNameInput" },
  };
  BoughGqlType *type;

  field (add (t, BOUGH_GQL_TYPE_OBJECT, "TaskInfo", NULL), "id", T (t, "String"));

  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "BranchCreateInput", NULL);
  field (type, "id", T (t, "String"));
  field (type, "name", NN (t, T (t, "String")));
  field (type, "description", T (t, "String"));
  field (type, "origin_branch", T (t, "String"));
  field (type, "branched_from", T (t, "String"));
  field (type, "sync_with_git", T (t, "Boolean"));
  field (type, "is_isolated", T (t, "Boolean"));
  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "BranchNameInput", NULL);
  field (type, "name", T (t, "String"));
  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "BranchUpdateInput", NULL);
  field (type, "name", NN (t, T (t, "String")));
  field (type, "description", T (t, "String"));
  field (type, "is_isolated", T (t, "Boolean"));

  for (guint i = 0; i < G_N_ELEMENTS (mutations); i++)
    {
      BoughGqlField *f;

      type = add (t, BOUGH_GQL_TYPE_OBJECT, mutations[i].name, NULL);
      field (type, "ok", T (t, "Boolean"));
      if (mutations[i].messages)
        field (type, "messages", L (t, T (t, "String")));
      if (mutations[i].object)
        field (type, "object", T (t, "Branch"));
      if (mutations[i].task)
        field (type, "task", T (t, "TaskInfo"));
      f = field (mutation, mutations[i].name, type);
      arg (f, "data", NN (t, T (t, mutations[i].input)));
      arg (f, "context", T (t, "ContextInput"));
      /* Accepted for the SDK's sake: the work is done before the answer. */
      if (g_str_equal (mutations[i].name, "BranchCreate"))
        arg (f, "background_execution", T (t, "Boolean"));
      if (g_str_equal (mutations[i].name, "BranchUpdate"))
        continue;
      arg (f, "wait_until_completion", T (t, "Boolean"));
    }
}

/* A type carrying num_added/num_updated/num_removed/num_conflicts. */
static BoughGqlType *
counted (Types      *t,
         const char *name)
{
  BoughGqlType *type = add (t, BOUGH_GQL_TYPE_OBJECT, name, NULL);

  field (type, "num_added", NN (t, T (t, "Int")));
  field (type, "num_updated", NN (t, T (t, "Int")));
  field (type, "num_removed", NN (t, T (t, "Int")));
  field (type, "num_conflicts", NN (t, T (t, "Int")));
  return type;
}

static void
diff_filter_args (Types         *t,
                  BoughGqlField *f)
{
  arg (f, "name", T (t, "String"));
  arg (f, "branch", T (t, "String"));
  arg (f, "from_time", T (t, "DateTime"));
  arg (f, "to_time", T (t, "DateTime"));
  arg (f, "filters", T (t, "DiffTreeQueryFilters"));
}

static void
add_diff_types (Types        *t,
                BoughGqlType *query,
                BoughGqlType *mutation)
{
  static const char * const actions[] = { "ADDED", "REMOVED", "UPDATED", "UNCHANGED", NULL };
  static const char * const cardinalities[] = { "ONE", "MANY", NULL };
  static const char * const selections[] = { "BASE_BRANCH", "DIFF_BRANCH", NULL };
  BoughGqlType *action;
  BoughGqlType *type;
  BoughGqlField *f;

  action = add (t, BOUGH_GQL_TYPE_ENUM, "DiffAction", NULL);
  enum_values (action, actions);
  enum_values (add (t, BOUGH_GQL_TYPE_ENUM, "RelationshipCardinality", NULL), cardinalities);
  enum_values (add (t, BOUGH_GQL_TYPE_ENUM, "ConflictSelection", NULL), selections);

  type = add (t, BOUGH_GQL_TYPE_OBJECT, "ConflictDetails", NULL);
  field (type, "uuid", NN (t, T (t, "String")));
  field (type, "base_branch_action", NN (t, action));
  field (type, "base_branch_value", T (t, "String"));
  field (type, "base_branch_changed_at", NN (t, T (t, "DateTime")));
  field (type, "base_branch_label", T (t, "String"));
  field (type, "diff_branch_action", NN (t, action));
  field (type, "diff_branch_value", T (t, "String"));
  field (type, "diff_branch_changed_at", NN (t, T (t, "DateTime")));
  field (type, "diff_branch_label", T (t, "String"));
  field (type, "selected_branch", T (t, "ConflictSelection"));
  field (type, "resolvable", T (t, "Boolean"));

  type = add (t, BOUGH_GQL_TYPE_OBJECT, "DiffProperty", NULL);
  field (type, "property_type", NN (t, T (t, "String")));
  field (type, "last_changed_at", NN (t, T (t, "DateTime")));
  field (type, "previous_value", T (t, "String"));
  field (type, "new_value", T (t, "String"));
  field (type, "previous_label", T (t, "String"));
  field (type, "new_label", T (t, "String"));
  field (type, "status", NN (t, action));
  field (type, "path_identifier", NN (t, T (t, "String")));
  field (type, "conflict", T (t, "ConflictDetails"));

  type = counted (t, "DiffAttribute");
  field (type, "name", NN (t, T (t, "String")));
  field (type, "last_changed_at", NN (t, T (t, "DateTime")));
  field (type, "status", NN (t, action));
  field (type, "path_identifier", NN (t, T (t, "String")));
  field (type, "properties", LNN (t, T (t, "DiffProperty")));
  field (type, "contains_conflict", NN (t, T (t, "Boolean")));
  field (type, "conflict", T (t, "ConflictDetails"));

  type = counted (t, "DiffSingleRelationship");
  field (type, "last_changed_at", T (t, "DateTime"));
  field (type, "status", NN (t, action));
  field (type, "peer_id", NN (t, T (t, "String")));
  field (type, "peer_label", T (t, "String"));
  field (type, "path_identifier", NN (t, T (t, "String")));
  field (type, "contains_conflict", NN (t, T (t, "Boolean")));
  field (type, "conflict", T (t, "ConflictDetails"));
  field (type, "properties", LNN (t, T (t, "DiffProperty")));

  type = counted (t, "DiffRelationship");
  field (type, "name", NN (t, T (t, "String")));
  field (type, "label", T (t, "String"));
  field (type, "last_changed_at", T (t, "DateTime"));
  field (type, "cardinality", NN (t, T (t, "RelationshipCardinality")));
  field (type, "status", NN (t, action));
  field (type, "path_identifier", NN (t, T (t, "String")));
  field (type, "elements", NN (t, LNN (t, T (t, "DiffSingleRelationship"))));
  field (type, "contains_conflict", NN (t, T (t, "Boolean")));

  type = add (t, BOUGH_GQL_TYPE_OBJECT, "DiffNodeParent", NULL);
  field (type, "uuid", NN (t, T (t, "String")));
  field (type, "kind", T (t, "String"));
  field (type, "relationship_name", T (t, "String"));

  type = counted (t, "DiffNode");
  field (type, "uuid", NN (t, T (t, "String")));
  field (type, "kind", NN (t, T (t, "String")));
  field (type, "label", NN (t, T (t, "String")));
  field (type, "status", NN (t, action));
  field (type, "path_identifier", NN (t, T (t, "String")));
  field (type, "conflict", T (t, "ConflictDetails"));
  field (type, "contains_conflict", NN (t, T (t, "Boolean")));
  field (type, "last_changed_at", T (t, "DateTime"));
  field (type, "parent", T (t, "DiffNodeParent"));
  field (type, "attributes", NN (t, LNN (t, T (t, "DiffAttribute"))));
  field (type, "relationships", NN (t, LNN (t, T (t, "DiffRelationship"))));

  type = counted (t, "DiffTree");
  field (type, "base_branch", NN (t, T (t, "String")));
  field (type, "diff_branch", NN (t, T (t, "String")));
  field (type, "from_time", NN (t, T (t, "DateTime")));
  field (type, "to_time", NN (t, T (t, "DateTime")));
  field (type, "num_untracked_base_changes", T (t, "Int"));
  field (type, "num_untracked_diff_changes", T (t, "Int"));
  field (type, "name", T (t, "String"));
  field (type, "nodes", LNN (t, T (t, "DiffNode")));

  type = counted (t, "DiffTreeSummary");
  field (type, "base_branch", NN (t, T (t, "String")));
  field (type, "diff_branch", NN (t, T (t, "String")));
  field (type, "from_time", NN (t, T (t, "DateTime")));
  field (type, "to_time", NN (t, T (t, "DateTime")));
  field (type, "num_unchanged", NN (t, T (t, "Int")));
  field (type, "num_untracked_base_changes", T (t, "Int"));
  field (type, "num_untracked_diff_changes", T (t, "Int"));

  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "IncExclFilterOptions", NULL);
  field (type, "includes", L (t, T (t, "String")));
  field (type, "excludes", L (t, T (t, "String")));
  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "IncExclFilterStatusOptions", NULL);
  field (type, "includes", L (t, action));
  field (type, "excludes", L (t, action));
  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "DiffTreeQueryFilters", NULL);
  field (type, "ids", L (t, T (t, "String")));
  field (type, "status", T (t, "IncExclFilterStatusOptions"));
  field (type, "kind", T (t, "IncExclFilterOptions"));
  field (type, "namespace", T (t, "IncExclFilterOptions"));

  f = field (query, "DiffTree", T (t, "DiffTree"));
  diff_filter_args (t, f);
  arg (f, "root_node_uuids", L (t, T (t, "String")));
  arg (f, "include_parents", T (t, "Boolean"));
  arg (f, "limit", T (t, "Int"));
  arg (f, "offset", T (t, "Int"));
  arg (f, "proposed_change_id", T (t, "String"));
  f = field (query, "DiffTreeSummary", T (t, "DiffTreeSummary"));
  diff_filter_args (t, f);
  arg (f, "proposed_change_id", T (t, "String"));

  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "DiffUpdateInput", NULL);
  field (type, "branch", NN (t, T (t, "String")));
  field (type, "name", T (t, "String"));
  field (type, "from_time", T (t, "DateTime"));
  field (type, "to_time", T (t, "DateTime"));
  field (type, "wait_for_completion", T (t, "Boolean"));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "DiffUpdate", NULL);
  field (type, "ok", T (t, "Boolean"));
  field (type, "task", T (t, "TaskInfo"));
  f = field (mutation, "DiffUpdate", type);
  arg (f, "data", NN (t, T (t, "DiffUpdateInput")));
  arg (f, "context", T (t, "ContextInput"));
  arg (f, "wait_until_completion", T (t, "Boolean"));

  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "ResolveDiffConflictInput", NULL);
  field (type, "conflict_id", NN (t, T (t, "String")));
  field (type, "selected_branch", NN (t, T (t, "ConflictSelection")));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "ResolveDiffConflict", NULL);
  field (type, "ok", T (t, "Boolean"));
  f = field (mutation, "ResolveDiffConflict", type);
  arg (f, "data", NN (t, T (t, "ResolveDiffConflictInput")));
  arg (f, "context", T (t, "ContextInput"));
}

void
bough_gql_branch_add_types (BoughGqlSchema *gql,
                            BoughGqlType   *query,
                            BoughGqlType   *mutation)
{
  Types t = { gql };

  g_return_if_fail (gql != NULL && query != NULL && mutation != NULL);

  add_branch_types (&t, query);
  add_branch_mutations (&t, mutation);
  add_diff_types (&t, query, mutation);
}
