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

#include "bough-error.h"
#include "auth/bough-permission.h"
#include "bough-gql-branch.h"
#include "tasks/bough-task-workflows.h"

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
  "ResolveDiffConflict", "TaskState", "TaskNode", "TaskNodes", "Tasks", "TaskLog", "TaskLogNodes",
  "TaskLogEdge", "TaskRelatedNode", "InfrahubTaskCancelInput", "InfrahubTaskCancel",
  NULL
};

static const char * const query_fields[] = {
  "Branch", "InfrahubBranch", "DiffTree", "DiffTreeSummary", "InfrahubTask",
  "InfrahubTaskBranchStatus", NULL
};

static const char * const mutation_fields[] = {
  "BranchCreate", "BranchUpdate", "BranchDelete", "BranchRebase", "BranchMerge",
  "BranchValidate", "DiffUpdate", "ResolveDiffConflict", "InfrahubTaskCancel", NULL
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

/* InfrahubTask, enough to look up the tasks branch operations name. */
static void
add_task_types (Types        *t,
                BoughGqlType *query,
                BoughGqlType *mutation)
{
  static const char * const states[] = {
    "SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CRASHED", "PAUSED",
    "CANCELLING", NULL
  };
  BoughGqlType *type;
  BoughGqlField *f;

  enum_values (add (t, BOUGH_GQL_TYPE_ENUM, "TaskState", NULL), states);
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "TaskRelatedNode", NULL);
  field (type, "id", T (t, "String"));
  field (type, "kind", T (t, "String"));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "TaskLog", NULL);
  field (type, "message", NN (t, T (t, "String")));
  field (type, "severity", NN (t, T (t, "String")));
  field (type, "timestamp", NN (t, T (t, "String")));
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "TaskLogNodes", NULL), "node", T (t, "TaskLog"));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "TaskLogEdge", NULL);
  field (type, "edges", NN (t, LNN (t, T (t, "TaskLogNodes"))));
  field (type, "count", NN (t, T (t, "Int")));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "TaskNode", NULL);
  field (type, "id", NN (t, T (t, "String")));
  field (type, "title", NN (t, T (t, "String")));
  field (type, "conclusion", NN (t, T (t, "String")));
  field (type, "state", T (t, "TaskState"));
  field (type, "progress", T (t, "Float"));
  field (type, "branch", T (t, "String"));
  field (type, "workflow", T (t, "String"));
  field (type, "created_at", NN (t, T (t, "String")));
  field (type, "updated_at", NN (t, T (t, "String")));
  field (type, "start_time", T (t, "String"));
  field (type, "related_node", T (t, "String"));
  field (type, "related_node_kind", T (t, "String"));
  field (type, "parameters", T (t, "GenericScalar"));
  field (type, "tags", L (t, T (t, "String")));
  field (type, "related_nodes", L (t, T (t, "TaskRelatedNode")));
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "TaskNodes", NULL), "node", T (t, "TaskNode"));
  field (type, "logs", T (t, "TaskLogEdge"));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "Tasks", NULL);
  field (type, "edges", NN (t, LNN (t, T (t, "TaskNodes"))));
  field (type, "count", NN (t, T (t, "Int")));
  f = field (query, "InfrahubTask", NN (t, type));
  arg (f, "limit", T (t, "Int"));
  arg (f, "offset", T (t, "Int"));
  arg (f, "related_node__ids", L (t, T (t, "String")));
  arg (f, "branch", T (t, "String"));
  arg (f, "state", L (t, T (t, "TaskState")));
  arg (f, "workflow", L (t, T (t, "String")));
  arg (f, "ids", L (t, T (t, "String")));
  arg (f, "q", T (t, "String"));
  arg (f, "log_limit", T (t, "Int"));
  arg (f, "log_offset", T (t, "Int"));
  f = bough_gql_type_add_field (query, "InfrahubTaskBranchStatus", NN (t, type),
                                "The tasks running on a branch that change its data");
  arg (f, "branch", T (t, "String"));

  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "InfrahubTaskCancelInput", NULL);
  field (type, "id", NN (t, T (t, "String")));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "InfrahubTaskCancel", NULL);
  field (type, "ok", T (t, "Boolean"));
  field (type, "state", T (t, "TaskState"));
  field (type, "task", T (t, "TaskInfo"));
  f = bough_gql_type_add_field (mutation, "InfrahubTaskCancel", type,
                                "Cancels a task: a waiting one at once, a running one at its next safe point "
                                "(a Bough extension)");
  arg (f, "data", NN (t, T (t, "InfrahubTaskCancelInput")));
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
  add_task_types (&t, query, mutation);
}

/* ---- tasks ----
 *
 * Branch operations are tasks of the durable queue (tasks/): merge, rebase,
 * delete and diff updates go through the queue's workers (the request waits
 * for them unless asked not to); create and validate, which are quick, run
 * as tasks in the request's thread. */

static gboolean arg_boolean (JsonObject *obj, const char *key, gboolean fallback);

/* wait_until_completion (default true), or background_execution */
static gboolean
wants_wait (JsonObject *args)
{
  if (arg_boolean (args, "background_execution", FALSE))
    return FALSE;
  return arg_boolean (args, "wait_until_completion", TRUE);
}

/* Runs @task (taken) and, when it was waited for, turns its end into
 * @error. Returns FALSE with @error set on failure; *out_id: its id. */
static gboolean
run_task (const BoughGqlExecContext  *c,
          BoughTask                  *task,
          gboolean                    queued,
          gboolean                    wait,
          char                      **out_id,
          char                      **out_result,
          GError                    **error)
{
  g_autoptr(BoughTask) owned = task;
  g_autoptr(BoughTask) ended = NULL;
  GError *local_error = NULL;

  bough_task_workflows_init ();
  if (queued)
    ended = bough_task_execute (c->tasks, c->store, owned, wait, &local_error);
  else
    ended = bough_task_queue_run_inline (c->tasks, c->store, owned, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *out_id = g_strdup (owned->id);
  if (ended == NULL)
    return TRUE;
  if (out_result != NULL)
    *out_result = g_strdup (ended->result);
  return bough_task_to_error (ended, error);
}

/* ---- values ---- */

static void
set_string_or_null (JsonObject *obj,
                    const char *key,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, key, value);
  else
    json_object_set_null_member (obj, key);
}

static void
set_stamp (JsonObject *obj,
           const char *key,
           gint64      stamp)
{
  g_autofree char *iso = stamp > 0 ? bough_store_stamp_to_iso8601 (stamp) : NULL;

  set_string_or_null (obj, key, iso);
}

static const char *
arg_string (JsonObject *obj,
            const char *key)
{
  JsonNode *n = obj ? json_object_get_member (obj, key) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
arg_boolean (JsonObject *obj,
             const char *key,
             gboolean    fallback)
{
  JsonNode *n = obj ? json_object_get_member (obj, key) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  return json_node_get_boolean (n);
}

static gint64
arg_int (JsonObject *obj,
         const char *key,
         gint64      fallback)
{
  JsonNode *n = obj ? json_object_get_member (obj, key) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  return json_node_get_int (n);
}

static JsonObject *
arg_object (JsonObject *obj,
            const char *key)
{
  JsonNode *n = obj ? json_object_get_member (obj, key) : NULL;

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
arg_array (JsonObject *obj,
           const char *key)
{
  JsonNode *n = obj ? json_object_get_member (obj, key) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static gboolean
strv_array_has (JsonArray  *array,
                const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (n), value) == 0)
        return TRUE;
    }
  return FALSE;
}

static JsonNode *
object_node (JsonObject *obj)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, obj);
  return node;
}

static JsonNode *
array_node (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

/* The `data.name` of a mutation. */
static const char *
data_name (JsonObject  *args,
           GError     **error)
{
  const char *name = arg_string (arg_object (args, "data"), "name");

  if (name == NULL)
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "data.name is required");
  return name;
}

/* ---- branches ---- */

/* Branch's fields; InfrahubBranch's are the same wrapped in {value}. */
static JsonObject *
branch_values (BoughBranch *branch,
               gboolean     wrapped)
{
  JsonObject *obj = json_object_new ();
  JsonObject *plain = wrapped ? json_object_new () : obj;

  json_object_set_string_member (obj, "id", branch->id);
  set_string_or_null (plain, "name", branch->name);
  set_string_or_null (plain, "description", branch->description);
  /* main is its own origin, as in Infrahub */
  set_string_or_null (plain, "origin_branch", branch->origin_branch ? branch->origin_branch : branch->name);
  set_stamp (plain, "branched_from", branch->branched_from);
  set_stamp (obj, "created_at", branch->created_at);
  json_object_set_string_member (plain, "status", bough_branch_status_to_string (branch->status));
  json_object_set_boolean_member (plain, "sync_with_git", branch->sync_with_git);
  json_object_set_boolean_member (plain, "is_default", branch->is_default);
  json_object_set_boolean_member (plain, "is_isolated", TRUE);
  json_object_set_boolean_member (plain, "has_schema_changes", branch->has_schema_changes);
  /* Infrahub's graph layout version has no counterpart here */
  json_object_set_null_member (plain, "graph_version");
  if (wrapped)
    {
      GList *members = json_object_get_members (plain);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonObject *value = json_object_new ();

          json_object_set_member (value, "value", json_node_copy (json_object_get_member (plain, l->data)));
          json_object_set_object_member (obj, l->data, value);
        }
      g_list_free (members);
      json_object_unref (plain);
    }
  return obj;
}

static JsonNode *
resolve_branch_list (const BoughGqlExecContext *c,
                     JsonObject                *args,
                     GError                   **error)
{
  g_autoptr(GPtrArray) branches = bough_store_list_branches (c->store, error);
  const char *name = arg_string (args, "name");
  JsonArray *ids = arg_array (args, "ids");
  JsonArray *out;

  if (branches == NULL)
    return NULL;
  out = json_array_new ();
  for (guint i = 0; i < branches->len; i++)
    {
      BoughBranch *branch = g_ptr_array_index (branches, i);

      if (name != NULL && g_strcmp0 (branch->name, name) != 0)
        continue;
      if (ids != NULL && !strv_array_has (ids, branch->id))
        continue;
      json_array_add_object_element (out, branch_values (branch, FALSE));
    }
  return array_node (out);
}

static JsonNode *
resolve_branch_page (const BoughGqlExecContext *c,
                     JsonObject                *args,
                     GError                   **error)
{
  g_autoptr(GPtrArray) branches = bough_store_list_branches (c->store, error);
  gint64 offset = MAX (0, arg_int (args, "offset", 0));
  gint64 limit = arg_int (args, "limit", -1);
  JsonObject *out;
  JsonArray *edges;

  if (branches == NULL)
    return NULL;
  if (c->max_page_size > 0 && (limit < 0 || limit > c->max_page_size))
    limit = c->max_page_size;
  out = json_object_new ();
  edges = json_array_new ();
  json_object_set_int_member (out, "count", branches->len);
  for (guint i = offset; i < branches->len && (limit < 0 || i < offset + limit); i++)
    {
      JsonObject *edge = json_object_new ();

      json_object_set_object_member (edge, "node", branch_values (g_ptr_array_index (branches, i), TRUE));
      json_array_add_object_element (edges, edge);
    }
  json_object_set_array_member (out, "edges", edges);
  for (guint i = 0; i < branches->len; i++)
    {
      BoughBranch *branch = g_ptr_array_index (branches, i);

      if (branch->is_default)
        json_object_set_object_member (out, "default_branch", branch_values (branch, TRUE));
    }
  return object_node (out);
}

/* {ok, object?, task?, messages?} of a branch mutation. */
static JsonNode *
branch_result (BoughStore  *store,
               const char  *name,
               const char  *task_id,
               GError     **error)
{
  JsonObject *out = json_object_new ();

  json_object_set_boolean_member (out, "ok", TRUE);
  if (name != NULL)
    {
      g_autoptr(BoughBranch) branch = bough_store_get_branch (store, name, error);

      if (branch == NULL)
        {
          json_object_unref (out);
          return NULL;
        }
      json_object_set_object_member (out, "object", branch_values (branch, FALSE));
    }
  if (task_id != NULL)
    {
      JsonObject *task = json_object_new ();

      json_object_set_string_member (task, "id", task_id);
      json_object_set_object_member (out, "task", task);
    }
  return object_node (out);
}

static JsonNode *
resolve_branch_create (const BoughGqlExecContext *c,
                       JsonObject                *args,
                       GError                   **error)
{
  JsonObject *data = arg_object (args, "data");
  const char *branched_from = arg_string (data, "branched_from");
  const char *name = data_name (args, error);
  g_autofree char *task = NULL;
  g_autofree char *title = NULL;
  JsonObject *params;

  if (name == NULL)
    return NULL;
  params = json_object_new ();
  json_object_set_string_member (params, "name", name);
  if (arg_string (data, "description") != NULL)
    json_object_set_string_member (params, "description", arg_string (data, "description"));
  if (arg_string (data, "origin_branch") != NULL)
    json_object_set_string_member (params, "origin_branch", arg_string (data, "origin_branch"));
  json_object_set_boolean_member (params, "sync_with_git", arg_boolean (data, "sync_with_git", FALSE));
  if (branched_from != NULL && branched_from[0] != '\0')
    {
      g_autoptr(GError) local_error = NULL;
      gint64 stamp = bough_store_stamp_from_iso8601 (branched_from, &local_error);

      if (local_error != NULL)
        {
          json_object_unref (params);
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "branched_from: %s", local_error->message);
          return NULL;
        }
      json_object_set_int_member (params, "branched_from", stamp);
    }
  title = g_strdup_printf ("Create branch %s", name);
  /* quick: run in this thread, so that the answer carries the branch */
  if (!run_task (c, bough_task_new_with_params (title, "branch-create", name, c->account, params),
                 FALSE, TRUE, &task, NULL, error))
    return NULL;
  return branch_result (c->store, name, task, error);
}

static JsonNode *
resolve_branch_update (const BoughGqlExecContext *c,
                       JsonObject                *args,
                       GError                   **error)
{
  const char *name = data_name (args, error);
  JsonObject *data = arg_object (args, "data");
  g_autoptr(BoughBranch) branch = NULL;

  if (name == NULL)
    return NULL;
  if (json_object_has_member (data, "description"))
    branch = bough_store_update_branch (c->store, name, arg_string (data, "description"), error);
  else
    branch = bough_store_get_branch (c->store, name, error);
  if (branch == NULL)
    return NULL;
  return branch_result (c->store, name, NULL, error);
}

/* Merge, rebase and delete: a task of the queue, waited for unless asked
 * not to (then the answer names the task at once). */
static JsonNode *
resolve_branch_operation (const BoughGqlExecContext *c,
                          JsonObject                *args,
                          const char                *verb,
                          gboolean                   with_object,
                          GError                   **error)
{
  const char *name = data_name (args, error);
  g_autofree char *title = NULL;
  g_autofree char *workflow = NULL;
  g_autofree char *task = NULL;
  JsonObject *params;

  if (name == NULL)
    return NULL;
  {
    /* an unknown branch is refused before any task is made */
    g_autoptr(BoughBranch) branch = bough_store_get_branch (c->store, name, error);

    if (branch == NULL)
      return NULL;
  }
  title = g_strdup_printf ("%s branch %s", verb, name);
  workflow = g_strdup_printf ("branch-%s", verb);
  for (char *p = workflow; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);
  params = json_object_new ();
  json_object_set_string_member (params, "branch", name);
  if (!run_task (c, bough_task_new_with_params (title, workflow, name, c->account, params),
                 TRUE, wants_wait (args), &task, NULL, error))
    return NULL;
  /* a deleted branch has no object any more; a pending delete still has */
  return branch_result (c->store, with_object || (!wants_wait (args) && c->tasks != NULL) ? name : NULL,
                        task, error);
}

static JsonNode *
resolve_branch_validate (const BoughGqlExecContext *c,
                         JsonObject                *args,
                         GError                   **error)
{
  const char *name = data_name (args, error);
  g_autofree char *title = NULL;
  g_autofree char *task = NULL;
  g_autofree char *result_text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *params;
  JsonObject *result_obj = NULL;
  JsonNode *result;
  JsonArray *list;

  if (name == NULL)
    return NULL;
  title = g_strdup_printf ("Validate branch %s", name);
  params = json_object_new ();
  json_object_set_string_member (params, "branch", name);
  if (!run_task (c, bough_task_new_with_params (title, "branch-validate", name, c->account, params),
                 FALSE, TRUE, &task, &result_text, error))
    return NULL;
  result = branch_result (c->store, name, task, error);
  if (result == NULL)
    return NULL;
  if (result_text != NULL && json_parser_load_from_data (parser, result_text, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    result_obj = json_node_get_object (json_parser_get_root (parser));
  list = json_array_new ();
  if (result_obj != NULL && json_object_has_member (result_obj, "messages"))
    {
      JsonArray *messages = json_object_get_array_member (result_obj, "messages");

      for (guint i = 0; messages != NULL && i < json_array_get_length (messages); i++)
        json_array_add_string_element (list, json_array_get_string_element (messages, i));
    }
  json_object_set_boolean_member (json_node_get_object (result), "ok",
                                  result_obj != NULL && json_object_get_boolean_member (result_obj, "ok"));
  json_object_set_array_member (json_node_get_object (result), "messages", list);
  return result;
}

/* ---- diffs ---- */

static const char *
action_name (BoughDiffAction action)
{
  switch (action)
    {
    case BOUGH_DIFF_ADDED:
      return "ADDED";
    case BOUGH_DIFF_UPDATED:
      return "UPDATED";
    case BOUGH_DIFF_REMOVED:
      return "REMOVED";
    case BOUGH_DIFF_UNCHANGED:
    default:
      return "UNCHANGED";
    }
}

/* The API's values are strings: JSON scalars as their text, objects and
 * lists as JSON. */
static void
set_value_text (JsonObject *obj,
                const char *key,
                JsonNode   *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    json_object_set_null_member (obj, key);
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    json_object_set_string_member (obj, key, json_node_get_string (value));
  else
    {
      g_autofree char *text = json_to_string (value, FALSE);

      json_object_set_string_member (obj, key, text);
    }
}

/* Counts of the children's actions, and the distinct conflicts below (one
 * conflict may show on several elements, e.g. both peers of a
 * cardinality-one relationship). */
typedef struct
{
  guint      added;
  guint      updated;
  guint      removed;
  GPtrArray *conflicts;     /* of BoughDiffConflict*, borrowed, distinct */
} Counts;

static void
count_conflict (Counts            *counts,
                BoughDiffConflict *conflict)
{
  if (conflict == NULL)
    return;
  if (counts->conflicts == NULL)
    counts->conflicts = g_ptr_array_new ();
  if (!g_ptr_array_find (counts->conflicts, conflict, NULL))
    g_ptr_array_add (counts->conflicts, conflict);
}

/* Adds the conflicts of a child's @from to @to, and clears @from. */
static void
counts_take_conflicts (Counts *to,
                       Counts *from)
{
  for (guint i = 0; from->conflicts != NULL && i < from->conflicts->len; i++)
    count_conflict (to, g_ptr_array_index (from->conflicts, i));
  g_clear_pointer (&from->conflicts, g_ptr_array_unref);
}

static guint
num_conflicts (const Counts *counts)
{
  return counts->conflicts != NULL ? counts->conflicts->len : 0;
}

static void
count_action (Counts          *counts,
              BoughDiffAction  action)
{
  if (action == BOUGH_DIFF_ADDED)
    counts->added++;
  else if (action == BOUGH_DIFF_UPDATED)
    counts->updated++;
  else if (action == BOUGH_DIFF_REMOVED)
    counts->removed++;
}

static void
set_counts (JsonObject   *obj,
            const Counts *counts,
            guint         conflicts)
{
  json_object_set_int_member (obj, "num_added", counts->added);
  json_object_set_int_member (obj, "num_updated", counts->updated);
  json_object_set_int_member (obj, "num_removed", counts->removed);
  json_object_set_int_member (obj, "num_conflicts", conflicts);
}

/* Whether the caller may view nodes of @kind on a branch: a diff shows
 * nothing of what a query would hide. */
static gboolean
may_view_kind (const BoughGqlExecContext *c,
               const char                *kind)
{
  BoughNodeSchema *ns;

  if (c->permissions == NULL || kind == NULL)
    return TRUE;
  ns = bough_schema_lookup (c->schema, kind);
  return ns != NULL &&
         bough_permissions_allows_object (c->permissions, ns->namespace_, ns->name,
                                          BOUGH_PERMISSION_VIEW, FALSE);
}

typedef struct
{
  const BoughGqlExecContext *c;
  BoughDiff *diff;
  gint64     now;           /* stamp for changes the store gives no time for */
  /* what the selection asks for: the rest is only counted */
  gboolean   want_attributes;
  gboolean   want_relationships;
  gboolean   want_elements;
  gboolean   want_properties;
  gboolean   want_conflict;
} DiffCtx;

static void
set_changed_at (DiffCtx    *d,
                JsonObject *obj,
                const char *key,
                gint64      stamp)
{
  set_stamp (obj, key, stamp > 0 ? stamp : d->now);
}

static JsonObject *
conflict_values (DiffCtx           *d,
                 BoughDiffConflict *conflict)
{
  JsonObject *obj = json_object_new ();

  json_object_set_string_member (obj, "uuid", conflict->id);
  json_object_set_string_member (obj, "base_branch_action", action_name (conflict->base_action));
  set_value_text (obj, "base_branch_value", conflict->base_value);
  set_changed_at (d, obj, "base_branch_changed_at", conflict->base_changed_at);
  set_string_or_null (obj, "base_branch_label", conflict->base_label);
  json_object_set_string_member (obj, "diff_branch_action", action_name (conflict->diff_action));
  set_value_text (obj, "diff_branch_value", conflict->diff_value);
  set_changed_at (d, obj, "diff_branch_changed_at", conflict->diff_changed_at);
  set_string_or_null (obj, "diff_branch_label", conflict->diff_label);
  if (conflict->selected == BOUGH_DIFF_SIDE_BASE)
    json_object_set_string_member (obj, "selected_branch", "BASE_BRANCH");
  else if (conflict->selected == BOUGH_DIFF_SIDE_DIFF)
    json_object_set_string_member (obj, "selected_branch", "DIFF_BRANCH");
  else
    json_object_set_null_member (obj, "selected_branch");
  json_object_set_boolean_member (obj, "resolvable", !conflict->uniqueness);
  return obj;
}

static void
set_conflict (DiffCtx           *d,
              JsonObject        *obj,
              BoughDiffConflict *conflict)
{
  if (!d->want_conflict)
    return;
  if (conflict != NULL)
    json_object_set_object_member (obj, "conflict", conflict_values (d, conflict));
  else
    json_object_set_null_member (obj, "conflict");
}

/* Properties of an attribute or relationship element: counts them in
 * @counts, and returns their values when they were asked for (else %NULL).
 * A HAS_VALUE conflict is moved to *@value_conflict when given (an
 * attribute shows it on itself, as Infrahub does). */
static JsonArray *
property_values (DiffCtx            *d,
                 GPtrArray          *properties,
                 const char         *path,
                 Counts             *counts,
                 BoughDiffConflict **value_conflict)
{
  JsonArray *out = d->want_properties ? json_array_new () : NULL;

  for (guint i = 0; properties != NULL && i < properties->len; i++)
    {
      BoughDiffProperty *p = g_ptr_array_index (properties, i);
      gboolean moved = value_conflict != NULL && p->conflict != NULL && g_str_equal (p->property_type, "HAS_VALUE");
      JsonObject *obj;
      g_autofree char *ppath = NULL;

      count_action (counts, p->action);
      count_conflict (counts, p->conflict);
      if (moved)
        *value_conflict = p->conflict;
      if (out == NULL)
        continue;
      obj = json_object_new ();
      ppath = g_strdup_printf ("%s/property/%s", path, p->property_type);
      json_object_set_string_member (obj, "property_type", p->property_type);
      set_changed_at (d, obj, "last_changed_at", p->last_changed_at);
      set_value_text (obj, "previous_value", p->previous_value);
      set_value_text (obj, "new_value", p->new_value);
      set_string_or_null (obj, "previous_label", p->previous_label);
      set_string_or_null (obj, "new_label", p->new_label);
      json_object_set_string_member (obj, "status", action_name (p->action));
      json_object_set_string_member (obj, "path_identifier", ppath);
      set_conflict (d, obj, moved ? NULL : p->conflict);
      json_array_add_object_element (out, obj);
    }
  return out;
}

static void
set_array_or_skip (JsonObject *obj,
                   const char *key,
                   JsonArray  *array)
{
  if (array != NULL)
    json_object_set_array_member (obj, key, array);
}

/* An attribute's values (%NULL when attributes were not asked for); adds
 * its action and conflicts to @node_counts. */
static JsonObject *
attribute_values (DiffCtx            *d,
                  BoughDiffAttribute *a,
                  const char         *path,
                  Counts             *node_counts)
{
  g_autofree char *apath = g_strconcat (path, "/", a->name, NULL);
  BoughDiffConflict *value_conflict = NULL;
  Counts counts = { 0, };
  JsonArray *properties = property_values (d, a->properties, apath, &counts, &value_conflict);
  JsonObject *attr = NULL;

  if (d->want_attributes)
    {
      attr = json_object_new ();
      json_object_set_string_member (attr, "name", a->name);
      set_changed_at (d, attr, "last_changed_at", a->last_changed_at);
      json_object_set_string_member (attr, "status", action_name (a->action));
      json_object_set_string_member (attr, "path_identifier", apath);
      set_array_or_skip (attr, "properties", g_steal_pointer (&properties));
      json_object_set_boolean_member (attr, "contains_conflict",
                                      a->contains_conflict || num_conflicts (&counts) > 0);
      set_conflict (d, attr, value_conflict);
      set_counts (attr, &counts, num_conflicts (&counts));
    }
  g_clear_pointer (&properties, json_array_unref);
  count_action (node_counts, a->action);
  counts_take_conflicts (node_counts, &counts);
  return attr;
}

/* A relationship's values (%NULL when relationships were not asked for);
 * adds its action and conflicts to @node_counts. */
static JsonObject *
relationship_values (DiffCtx               *d,
                     BoughDiffRelationship *r,
                     const char            *path,
                     Counts                *node_counts)
{
  JsonArray *elements = d->want_relationships && d->want_elements ? json_array_new () : NULL;
  g_autofree char *rpath = g_strconcat (path, "/", r->name, NULL);
  Counts counts = { 0, };
  JsonObject *rel = NULL;

  for (guint j = 0; r->elements != NULL && j < r->elements->len; j++)
    {
      BoughDiffElement *e = g_ptr_array_index (r->elements, j);
      g_autofree char *epath = NULL;
      Counts ecounts = { 0, };
      JsonArray *properties;

      if (!may_view_kind (d->c, e->peer_kind))
        continue;
      epath = elements ? g_strconcat (rpath, "/", e->peer_id, NULL) : NULL;
      properties = property_values (d, e->properties, epath, &ecounts, NULL);

      count_conflict (&ecounts, e->conflict);
      if (elements != NULL)
        {
          JsonObject *el = json_object_new ();

          set_changed_at (d, el, "last_changed_at", e->last_changed_at);
          json_object_set_string_member (el, "status", action_name (e->action));
          json_object_set_string_member (el, "peer_id", e->peer_id);
          set_string_or_null (el, "peer_label", e->peer_label);
          json_object_set_string_member (el, "path_identifier", epath);
          set_array_or_skip (el, "properties", g_steal_pointer (&properties));
          set_conflict (d, el, e->conflict);
          json_object_set_boolean_member (el, "contains_conflict",
                                          e->contains_conflict || num_conflicts (&ecounts) > 0);
          set_counts (el, &ecounts, num_conflicts (&ecounts));
          json_array_add_object_element (elements, el);
        }
      g_clear_pointer (&properties, json_array_unref);
      count_action (&counts, e->action);
      counts_take_conflicts (&counts, &ecounts);
    }
  if (d->want_relationships)
    {
      rel = json_object_new ();
      json_object_set_string_member (rel, "name", r->name);
      set_string_or_null (rel, "label", r->label);
      set_changed_at (d, rel, "last_changed_at", r->last_changed_at);
      json_object_set_string_member (rel, "cardinality", r->many ? "MANY" : "ONE");
      json_object_set_string_member (rel, "status", action_name (r->action));
      json_object_set_string_member (rel, "path_identifier", rpath);
      set_array_or_skip (rel, "elements", g_steal_pointer (&elements));
      json_object_set_boolean_member (rel, "contains_conflict",
                                      r->contains_conflict || num_conflicts (&counts) > 0);
      set_counts (rel, &counts, num_conflicts (&counts));
    }
  g_clear_pointer (&elements, json_array_unref);
  count_action (node_counts, r->action);
  counts_take_conflicts (node_counts, &counts);
  return rel;
}

static JsonObject *
node_values (DiffCtx       *d,
             BoughDiffNode *node,
             Counts        *node_counts)
{
  JsonObject *obj = json_object_new ();
  JsonArray *attributes = d->want_attributes ? json_array_new () : NULL;
  JsonArray *relationships = d->want_relationships ? json_array_new () : NULL;
  g_autofree char *path = g_strdup_printf ("data/%s", node->uuid);

  memset (node_counts, 0, sizeof (Counts));
  for (guint i = 0; node->attributes != NULL && i < node->attributes->len; i++)
    {
      JsonObject *attr = attribute_values (d, g_ptr_array_index (node->attributes, i), path, node_counts);

      if (attr != NULL)
        json_array_add_object_element (attributes, attr);
    }
  for (guint i = 0; node->relationships != NULL && i < node->relationships->len; i++)
    {
      JsonObject *rel = relationship_values (d, g_ptr_array_index (node->relationships, i), path, node_counts);

      if (rel != NULL)
        json_array_add_object_element (relationships, rel);
    }
  count_conflict (node_counts, node->conflict);

  json_object_set_string_member (obj, "uuid", node->uuid);
  json_object_set_string_member (obj, "kind", node->kind);
  json_object_set_string_member (obj, "label", node->label ? node->label : node->uuid);
  json_object_set_string_member (obj, "status", action_name (node->action));
  json_object_set_string_member (obj, "path_identifier", path);
  set_conflict (d, obj, node->conflict);
  json_object_set_boolean_member (obj, "contains_conflict",
                                  node->contains_conflict || num_conflicts (node_counts) > 0);
  set_stamp (obj, "last_changed_at", node->last_changed_at);
  if (node->parent_uuid != NULL && may_view_kind (d->c, node->parent_kind))
    {
      JsonObject *parent = json_object_new ();

      json_object_set_string_member (parent, "uuid", node->parent_uuid);
      set_string_or_null (parent, "kind", node->parent_kind);
      set_string_or_null (parent, "relationship_name", node->parent_relationship);
      json_object_set_object_member (obj, "parent", parent);
    }
  else
    json_object_set_null_member (obj, "parent");
  set_array_or_skip (obj, "attributes", attributes);
  set_array_or_skip (obj, "relationships", relationships);
  set_counts (obj, node_counts, num_conflicts (node_counts));
  return obj;
}

/* The namespace of @kind: the schema's, else its leading capitalized word. */
static char *
kind_namespace (BoughSchema *schema,
                const char  *kind)
{
  BoughNodeSchema *ns = schema ? bough_schema_lookup (schema, kind) : NULL;
  const char *p;

  if (ns != NULL && ns->namespace_ != NULL)
    return g_strdup (ns->namespace_);
  for (p = kind + 1; *p != '\0' && !g_ascii_isupper (*p); p++)
    ;
  return g_strndup (kind, p - kind);
}

/* includes/excludes of an IncExclFilterOptions (or the status one). */
static gboolean
inc_excl_accepts (JsonObject *options,
                  const char *value)
{
  JsonArray *includes = arg_array (options, "includes");
  JsonArray *excludes = arg_array (options, "excludes");

  if (includes != NULL && !strv_array_has (includes, value))
    return FALSE;
  if (excludes != NULL && strv_array_has (excludes, value))
    return FALSE;
  return TRUE;
}

static gboolean
node_accepted (const BoughGqlExecContext *c,
               JsonObject                *filters,
               BoughDiffNode             *node)
{
  JsonArray *ids = arg_array (filters, "ids");
  JsonObject *namespace = arg_object (filters, "namespace");

  if (filters == NULL)
    return TRUE;
  if (ids != NULL && !strv_array_has (ids, node->uuid))
    return FALSE;
  if (!inc_excl_accepts (arg_object (filters, "kind"), node->kind))
    return FALSE;
  if (!inc_excl_accepts (arg_object (filters, "status"), action_name (node->action)))
    return FALSE;
  if (namespace != NULL)
    {
      g_autofree char *ns = kind_namespace (c->schema, node->kind);

      if (!inc_excl_accepts (namespace, ns))
        return FALSE;
    }
  return TRUE;
}

/* The branch a diff field or mutation names: its `branch` argument, else
 * the endpoint's. */
static const char *
diff_branch_name (const BoughGqlExecContext *c,
                  JsonObject                *args)
{
  const char *branch = arg_string (args, "branch");

  return branch != NULL ? branch : c->branch;
}

static BoughDiff *
compute_diff (const BoughGqlExecContext *c,
              const char                *branch,
              BoughDiffFlags             flags,
              JsonObject                *args,
              GError                   **error)
{
  if (arg_string (args, "proposed_change_id") != NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_UNSUPPORTED,
                   "The diff of a proposed change is not available yet: ask for its branch");
      return NULL;
    }
  return bough_store_diff_branch (c->store, branch, flags, error);
}

/* DiffTree and DiffTreeSummary. The diff is always the branch's now, from
 * its branch point: from_time and to_time are accepted and the times the
 * diff covers are answered; `name` labels the answer. */
static gboolean
wants (GHashTable *selected,
       const char *name)
{
  return selected == NULL || g_hash_table_contains (selected, name);
}

static JsonNode *
resolve_diff (const BoughGqlExecContext *c,
              JsonObject                *args,
              GHashTable                *selected,
              gboolean                   summary,
              GError                   **error)
{
  const char *branch = diff_branch_name (c, args);
  JsonObject *filters = arg_object (args, "filters");
  gboolean parents = summary || arg_boolean (args, "include_parents", TRUE);
  gint64 offset = MAX (0, arg_int (args, "offset", 0));
  gint64 limit = arg_int (args, "limit", -1);
  g_autoptr(BoughDiff) diff = NULL;
  JsonObject *out;
  JsonArray *nodes;
  JsonArray *roots = arg_array (args, "root_node_uuids");
  DiffCtx d;
  Counts total = { 0, };
  Counts visible = { 0, };
  guint visible_conflicts = 0;
  gboolean hidden = FALSE;
  guint unchanged = 0;
  gint64 seen = 0;

  diff = compute_diff (c, branch, parents ? BOUGH_DIFF_INCLUDE_PARENTS : BOUGH_DIFF_FLAGS_NONE, args, error);
  if (diff == NULL)
    return NULL;
  d.c = c;
  d.diff = diff;
  d.now = diff->to_time;
  d.want_attributes = wants (selected, "attributes");
  d.want_relationships = wants (selected, "relationships");
  d.want_elements = wants (selected, "elements");
  d.want_properties = wants (selected, "properties");
  d.want_conflict = wants (selected, "conflict");
  out = json_object_new ();
  nodes = json_array_new ();
  for (guint i = 0; i < diff->nodes->len; i++)
    {
      BoughDiffNode *node = g_ptr_array_index (diff->nodes, i);
      Counts counts;
      JsonObject *values;

      if (!may_view_kind (c, node->kind))
        {
          hidden = TRUE;
          continue;
        }
      count_action (&visible, node->action);
      if (node->contains_conflict)
        visible_conflicts++;
      if (!node_accepted (c, filters, node))
        continue;
      if (roots != NULL && !strv_array_has (roots, node->uuid))
        continue;
      if (node->action == BOUGH_DIFF_UNCHANGED)
        unchanged++;
      count_action (&total, node->action);
      if (summary)
        continue;
      if (seen++ < offset || (limit >= 0 && (gint64) json_array_get_length (nodes) >= limit))
        continue;
      values = node_values (&d, node, &counts);
      g_clear_pointer (&counts.conflicts, g_ptr_array_unref);
      json_array_add_object_element (nodes, values);
    }

  json_object_set_string_member (out, "base_branch", BOUGH_DEFAULT_BRANCH);
  json_object_set_string_member (out, "diff_branch", diff->branch);
  set_stamp (out, "from_time", diff->from_time);
  set_stamp (out, "to_time", diff->to_time);
  set_string_or_null (out, "name", arg_string (args, "name"));
  /* the diff is computed on demand: nothing is left untracked */
  json_object_set_int_member (out, "num_untracked_base_changes", 0);
  json_object_set_int_member (out, "num_untracked_diff_changes", 0);
  if (summary)
    {
      set_counts (out, &total, hidden ? visible_conflicts : diff->num_conflicts);
      json_object_set_int_member (out, "num_unchanged", unchanged);
      json_array_unref (nodes);
    }
  else
    {
      Counts all = { diff->num_added, diff->num_updated, diff->num_removed, NULL };

      /* The whole diff's counts, unless some of it is hidden from the
       * caller: then those of what it may view (conflicts: of its nodes). */
      if (hidden)
        set_counts (out, &visible, visible_conflicts);
      else
        set_counts (out, &all, diff->num_conflicts);
      json_object_set_array_member (out, "nodes", nodes);
    }
  return object_node (out);
}

static JsonNode *
resolve_diff_update (const BoughGqlExecContext *c,
                     JsonObject                *args,
                     GError                   **error)
{
  JsonObject *data = arg_object (args, "data");
  const char *branch = arg_string (data, "branch");
  g_autofree char *title = NULL;
  g_autofree char *task = NULL;
  gboolean wait = wants_wait (args) && arg_boolean (data, "wait_for_completion", TRUE);
  JsonObject *params;
  JsonObject *out;

  if (branch == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "data.branch is required");
      return NULL;
    }
  {
    g_autoptr(BoughBranch) record = bough_store_get_branch (c->store, branch, error);

    if (record == NULL)
      return NULL;
  }
  title = g_strdup_printf ("Update the diff of branch %s", branch);
  params = json_object_new ();
  json_object_set_string_member (params, "branch", branch);
  if (!run_task (c, bough_task_new_with_params (title, "diff-update", branch, c->account, params),
                 TRUE, wait, &task, NULL, error))
    return NULL;
  out = json_object_new ();
  json_object_set_boolean_member (out, "ok", TRUE);
  {
    JsonObject *t = json_object_new ();

    json_object_set_string_member (t, "id", task);
    json_object_set_object_member (out, "task", t);
  }
  return object_node (out);
}

static JsonNode *
resolve_conflict (const BoughGqlExecContext *c,
                  JsonObject                *args,
                  GError                   **error)
{
  JsonObject *data = arg_object (args, "data");
  const char *id = arg_string (data, "conflict_id");
  const char *selected = arg_string (data, "selected_branch");
  JsonObject *out;
  BoughDiffSide side;

  if (id == NULL || selected == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "data.conflict_id and data.selected_branch are required");
      return NULL;
    }
  side = g_str_equal (selected, "BASE_BRANCH") ? BOUGH_DIFF_SIDE_BASE : BOUGH_DIFF_SIDE_DIFF;
  if (!bough_store_resolve_conflict (c->store, id, side, error))
    return NULL;
  out = json_object_new ();
  json_object_set_boolean_member (out, "ok", TRUE);
  return object_node (out);
}

/* ---- tasks ---- */

static char *
time_string (gint64 us)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = g_date_time_add (t, us % G_USEC_PER_SEC);

  return g_date_time_format_iso8601 (exact);
}

static JsonObject *
task_values (BoughStore  *store,
             BoughTask   *task,
             JsonObject  *args,
             GError     **error)
{
  gint64 log_offset = MAX (0, arg_int (args, "log_offset", 0));
  gint64 log_limit = arg_int (args, "log_limit", -1);
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autofree char *created = time_string (task->created_at);
  g_autofree char *updated = time_string (task->updated_at);
  g_autoptr(GPtrArray) logs = NULL;
  gint64 n_logs = 0;
  JsonArray *related = json_array_new ();
  JsonArray *tags = json_array_new ();

  json_object_set_string_member (obj, "id", task->id);
  json_object_set_string_member (obj, "title", task->title);
  json_object_set_string_member (obj, "conclusion", bough_task_conclusion_to_string (task->conclusion));
  json_object_set_string_member (obj, "state", bough_task_state_to_string (task->state));
  if (task->progress >= 0)
    json_object_set_double_member (obj, "progress", task->progress);
  else
    json_object_set_null_member (obj, "progress");
  set_string_or_null (obj, "branch", task->branch);
  set_string_or_null (obj, "workflow", task->workflow);
  set_string_or_null (obj, "parameters", task->parameters);
  json_object_set_string_member (obj, "created_at", created);
  json_object_set_string_member (obj, "updated_at", updated);
  if (task->start_time > 0)
    {
      g_autofree char *start = time_string (task->start_time);

      json_object_set_string_member (obj, "start_time", start);
    }
  else
    json_object_set_null_member (obj, "start_time");
  for (guint i = 0; task->tags != NULL && task->tags[i] != NULL; i++)
    json_array_add_string_element (tags, task->tags[i]);
  json_object_set_array_member (obj, "tags", tags);
  for (guint i = 0; task->related != NULL && i < task->related->len; i++)
    {
      BoughTaskRelated *r = g_ptr_array_index (task->related, i);
      JsonObject *node = json_object_new ();

      json_object_set_string_member (node, "id", r->id);
      json_object_set_string_member (node, "kind", r->kind);
      json_array_add_object_element (related, node);
    }
  if (task->related != NULL && task->related->len > 0)
    {
      BoughTaskRelated *r = g_ptr_array_index (task->related, 0);

      json_object_set_string_member (obj, "related_node", r->id);
      json_object_set_string_member (obj, "related_node_kind", r->kind);
    }
  else
    {
      json_object_set_null_member (obj, "related_node");
      json_object_set_null_member (obj, "related_node_kind");
    }
  json_object_set_array_member (obj, "related_nodes", related);

  logs = bough_store_task_logs (store, task->id, log_offset, log_limit, &n_logs, error);
  if (logs == NULL)
    return NULL;
  {
    JsonObject *out = json_object_new ();
    JsonArray *edges = json_array_new ();

    for (guint i = 0; i < logs->len; i++)
      {
        BoughTaskLog *log = g_ptr_array_index (logs, i);
        JsonObject *edge = json_object_new ();
        JsonObject *node = json_object_new ();
        g_autofree char *when = time_string (log->timestamp);

        json_object_set_string_member (node, "message", log->message);
        json_object_set_string_member (node, "severity", log->severity);
        json_object_set_string_member (node, "timestamp", when);
        json_object_set_object_member (edge, "node", node);
        json_array_add_object_element (edges, edge);
      }
    json_object_set_int_member (out, "count", n_logs);
    json_object_set_array_member (out, "edges", edges);
    json_object_set_object_member (obj, "logs", out);
  }
  return g_steal_pointer (&obj);
}

/* A list argument of strings as a NULL-terminated vector (NULL when absent). */
static char **
arg_strv (JsonObject *args,
          const char *key)
{
  JsonArray *array = arg_array (args, key);
  GPtrArray *out;

  if (array == NULL)
    return NULL;
  out = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *n = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        g_ptr_array_add (out, g_strdup (json_node_get_string (n)));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* InfrahubTask over the task rows, newest first; with @running_only
 * (InfrahubTaskBranchStatus) the ones of the branch waiting or running. */
static JsonNode *
resolve_tasks (const BoughGqlExecContext *c,
               JsonObject                *args,
               gboolean                   running_only,
               GError                   **error)
{
  static const BoughTaskState active[] = {
    BOUGH_TASK_SCHEDULED, BOUGH_TASK_PENDING, BOUGH_TASK_RUNNING, BOUGH_TASK_CANCELLING,
  };
  g_auto(GStrv) ids = arg_strv (args, "ids");
  g_auto(GStrv) workflows = arg_strv (args, "workflow");
  g_auto(GStrv) related = arg_strv (args, "related_node__ids");
  g_auto(GStrv) state_names = arg_strv (args, "state");
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (BoughTaskState));
  g_autoptr(GPtrArray) tasks = NULL;
  BoughTaskFilter filter = { 0, };
  JsonObject *out;
  JsonArray *edges;
  gint64 count = 0;
  gint64 limit = running_only ? -1 : arg_int (args, "limit", 10);

  if (c->max_page_size > 0 && (limit < 0 || limit > c->max_page_size))
    limit = c->max_page_size;
  for (guint i = 0; state_names != NULL && state_names[i] != NULL; i++)
    {
      BoughTaskState state;

      if (bough_task_state_from_string (state_names[i], &state))
        g_array_append_val (states, state);
    }
  if (running_only)
    {
      g_array_set_size (states, 0);
      g_array_append_vals (states, active, G_N_ELEMENTS (active));
    }
  filter.ids = (const char * const *) ids;
  filter.branch = arg_string (args, "branch");
  filter.workflows = (const char * const *) workflows;
  filter.related_ids = (const char * const *) related;
  filter.q = arg_string (args, "q");
  filter.states = (const BoughTaskState *) states->data;
  filter.n_states = states->len;
  if (state_names != NULL && states->len == 0)
    filter.n_states = 0;
  filter.offset = MAX (0, arg_int (args, "offset", 0));
  filter.limit = limit;
  tasks = bough_store_task_list (c->store, &filter, &count, error);
  if (tasks == NULL)
    return NULL;
  out = json_object_new ();
  edges = json_array_new ();
  for (guint i = 0; i < tasks->len; i++)
    {
      JsonObject *node = task_values (c->store, g_ptr_array_index (tasks, i), args, error);
      JsonObject *edge;

      if (node == NULL)
        {
          json_array_unref (edges);
          json_object_unref (out);
          return NULL;
        }
      edge = json_object_new ();
      json_object_set_object_member (edge, "node", node);
      json_array_add_object_element (edges, edge);
    }
  json_object_set_int_member (out, "count", count);
  json_object_set_array_member (out, "edges", edges);
  return object_node (out);
}

/* InfrahubTaskCancel (a Bough extension): a waiting task is cancelled at
 * once, a running one is asked to stop at its next safe point. */
static JsonNode *
resolve_task_cancel (const BoughGqlExecContext *c,
                     JsonObject                *args,
                     GError                   **error)
{
  const char *id = arg_string (arg_object (args, "data"), "id");
  BoughTaskState state;
  JsonObject *out;
  JsonObject *task;

  if (id == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "data.id is required");
      return NULL;
    }
  if (!bough_task_queue_cancel (c->tasks, c->store, id, &state, error))
    return NULL;
  out = json_object_new ();
  json_object_set_boolean_member (out, "ok", TRUE);
  json_object_set_string_member (out, "state", bough_task_state_to_string (state));
  task = json_object_new ();
  json_object_set_string_member (task, "id", id);
  json_object_set_object_member (out, "task", task);
  return object_node (out);
}

JsonNode *
bough_gql_branch_resolve (const BoughGqlExecContext *context,
                          const char                *name,
                          JsonObject                *args,
                          GHashTable                *selected,
                          GError                   **error)
{
  g_return_val_if_fail (context != NULL && name != NULL && args != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_str_equal (name, "Branch"))
    return resolve_branch_list (context, args, error);
  if (g_str_equal (name, "InfrahubBranch"))
    return resolve_branch_page (context, args, error);
  if (g_str_equal (name, "DiffTree"))
    return resolve_diff (context, args, selected, FALSE, error);
  if (g_str_equal (name, "DiffTreeSummary"))
    return resolve_diff (context, args, selected, TRUE, error);
  if (g_str_equal (name, "InfrahubTask"))
    return resolve_tasks (context, args, FALSE, error);
  if (g_str_equal (name, "InfrahubTaskBranchStatus"))
    return resolve_tasks (context, args, TRUE, error);
  if (g_str_equal (name, "InfrahubTaskCancel"))
    return resolve_task_cancel (context, args, error);
  if (g_str_equal (name, "BranchCreate"))
    return resolve_branch_create (context, args, error);
  if (g_str_equal (name, "BranchUpdate"))
    return resolve_branch_update (context, args, error);
  if (g_str_equal (name, "BranchDelete"))
    return resolve_branch_operation (context, args, "Delete", FALSE, error);
  if (g_str_equal (name, "BranchRebase"))
    return resolve_branch_operation (context, args, "Rebase", TRUE, error);
  if (g_str_equal (name, "BranchMerge"))
    return resolve_branch_operation (context, args, "Merge", TRUE, error);
  if (g_str_equal (name, "BranchValidate"))
    return resolve_branch_validate (context, args, error);
  if (g_str_equal (name, "DiffUpdate"))
    return resolve_diff_update (context, args, error);
  if (g_str_equal (name, "ResolveDiffConflict"))
    return resolve_conflict (context, args, error);
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s is not a branch field", name);
  return NULL;
}
