/* bough-gql-ast.h: the GraphQL syntax tree, its arena and the error record of the GraphQL core.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One arena per document: every node and string of a parsed document lives in
 * it, so freeing a document is freeing a few large blocks. */
typedef struct _BoughGqlArena BoughGqlArena;

BoughGqlArena *bough_gql_arena_new   (void);
void           bough_gql_arena_free  (BoughGqlArena *arena);
gpointer       bough_gql_arena_alloc (BoughGqlArena *arena,
                                      gsize          size);
char          *bough_gql_arena_strndup (BoughGqlArena *arena,
                                        const char    *str,
                                        gsize          len);
char          *bough_gql_arena_strdup (BoughGqlArena *arena,
                                       const char    *str);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughGqlArena, bough_gql_arena_free)

typedef enum
{
  BOUGH_GQL_DOCUMENT,
  /* executable */
  BOUGH_GQL_OPERATION_DEFINITION,
  BOUGH_GQL_VARIABLE_DEFINITION,
  BOUGH_GQL_SELECTION_SET,
  BOUGH_GQL_FIELD,
  BOUGH_GQL_ARGUMENT,
  BOUGH_GQL_FRAGMENT_SPREAD,
  BOUGH_GQL_INLINE_FRAGMENT,
  BOUGH_GQL_FRAGMENT_DEFINITION,
  /* values */
  BOUGH_GQL_VARIABLE,
  BOUGH_GQL_INT_VALUE,
  BOUGH_GQL_FLOAT_VALUE,
  BOUGH_GQL_STRING_VALUE,
  BOUGH_GQL_BOOLEAN_VALUE,
  BOUGH_GQL_NULL_VALUE,
  BOUGH_GQL_ENUM_VALUE,
  BOUGH_GQL_LIST_VALUE,
  BOUGH_GQL_OBJECT_VALUE,
  BOUGH_GQL_OBJECT_FIELD,
  BOUGH_GQL_DIRECTIVE,
  /* types */
  BOUGH_GQL_NAMED_TYPE,
  BOUGH_GQL_LIST_TYPE,
  BOUGH_GQL_NON_NULL_TYPE,
  /* type system */
  BOUGH_GQL_SCHEMA_DEFINITION,
  BOUGH_GQL_OPERATION_TYPE_DEFINITION,
  BOUGH_GQL_SCALAR_TYPE_DEFINITION,
  BOUGH_GQL_OBJECT_TYPE_DEFINITION,
  BOUGH_GQL_FIELD_DEFINITION,
  BOUGH_GQL_INPUT_VALUE_DEFINITION,
  BOUGH_GQL_INTERFACE_TYPE_DEFINITION,
  BOUGH_GQL_UNION_TYPE_DEFINITION,
  BOUGH_GQL_ENUM_TYPE_DEFINITION,
  BOUGH_GQL_ENUM_VALUE_DEFINITION,
  BOUGH_GQL_INPUT_OBJECT_TYPE_DEFINITION,
  BOUGH_GQL_DIRECTIVE_DEFINITION,
  BOUGH_GQL_SCHEMA_EXTENSION,
  BOUGH_GQL_SCALAR_TYPE_EXTENSION,
  BOUGH_GQL_OBJECT_TYPE_EXTENSION,
  BOUGH_GQL_INTERFACE_TYPE_EXTENSION,
  BOUGH_GQL_UNION_TYPE_EXTENSION,
  BOUGH_GQL_ENUM_TYPE_EXTENSION,
  BOUGH_GQL_INPUT_OBJECT_TYPE_EXTENSION,
} BoughGqlKind;

typedef enum
{
  BOUGH_GQL_QUERY,
  BOUGH_GQL_MUTATION,
  BOUGH_GQL_SUBSCRIPTION,
} BoughGqlOperationType;

typedef struct _BoughGqlNode BoughGqlNode;

/* One node type for every kind keeps the tree walkers short. Lists are
 * singly linked through @next; which members a kind uses:
 *
 * - DOCUMENT: children (definitions)
 * - OPERATION_DEFINITION: operation, name (may be NULL), variables, directives, selection_set
 * - VARIABLE_DEFINITION: name (without $), type, value (default, may be NULL), directives
 * - SELECTION_SET: children (selections)
 * - FIELD: alias (may be NULL), name, arguments, directives, selection_set (may be NULL)
 * - ARGUMENT, OBJECT_FIELD: name, value
 * - FRAGMENT_SPREAD: name, directives
 * - INLINE_FRAGMENT: type (NAMED_TYPE or NULL), directives, selection_set
 * - FRAGMENT_DEFINITION: name, type, directives, selection_set
 * - VARIABLE: name; INT/FLOAT/ENUM_VALUE: text; STRING_VALUE: text (cooked), block
 * - BOOLEAN_VALUE: boolean; LIST_VALUE: children; OBJECT_VALUE: children (OBJECT_FIELD)
 * - DIRECTIVE: name, arguments
 * - NAMED_TYPE: name; LIST_TYPE, NON_NULL_TYPE: type
 * - SCHEMA_DEFINITION/EXTENSION: description, directives, children (OPERATION_TYPE_DEFINITION)
 * - OPERATION_TYPE_DEFINITION: operation, type
 * - SCALAR: description, name, directives
 * - OBJECT/INTERFACE: description, name, interfaces (NAMED_TYPE), directives, children (FIELD_DEFINITION)
 * - FIELD_DEFINITION: description, name, arguments (INPUT_VALUE_DEFINITION), type, directives
 * - INPUT_VALUE_DEFINITION: description, name, type, value (default), directives
 * - UNION: description, name, directives, interfaces (the member NAMED_TYPEs)
 * - ENUM: description, name, directives, children (ENUM_VALUE_DEFINITION)
 * - ENUM_VALUE_DEFINITION: description, name, directives
 * - INPUT_OBJECT: description, name, directives, children (INPUT_VALUE_DEFINITION)
 * - DIRECTIVE_DEFINITION: description, name, arguments, repeatable, locations (NAMED_TYPE nodes
 *   holding the location names)
 */
struct _BoughGqlNode
{
  BoughGqlKind kind;
  BoughGqlOperationType operation;
  guint line;
  guint column;
  guint name_line;              /* where the name token is, for messages about names */
  guint name_column;
  BoughGqlNode *next;
  const char *name;
  const char *alias;
  const char *text;
  BoughGqlNode *description;
  BoughGqlNode *type;
  BoughGqlNode *value;
  BoughGqlNode *selection_set;
  BoughGqlNode *arguments;
  BoughGqlNode *directives;
  BoughGqlNode *variables;
  BoughGqlNode *children;
  BoughGqlNode *interfaces;
  BoughGqlNode *locations;
  guint block : 1;
  guint boolean : 1;
  guint repeatable : 1;
};

typedef struct
{
  guint line;
  guint column;
} BoughGqlLocation;

/* An error of parsing or validation, shaped like a GraphQL response error. */
typedef struct
{
  char *message;
  GArray *locations;            /* of BoughGqlLocation */
} BoughGqlError;

BoughGqlError *bough_gql_error_new      (const char   *message,
                                         guint         line,
                                         guint         column);
void           bough_gql_error_add_location (BoughGqlError *error,
                                             guint          line,
                                             guint          column);
void           bough_gql_error_free     (BoughGqlError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughGqlError, bough_gql_error_free)

typedef struct _BoughGqlDocument BoughGqlDocument;

struct _BoughGqlDocument
{
  BoughGqlArena *arena;
  BoughGqlNode *root;
  guint n_tokens;
};

void bough_gql_document_free (BoughGqlDocument *document);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughGqlDocument, bough_gql_document_free)

BoughGqlNode *bough_gql_node_new     (BoughGqlArena *arena,
                                      BoughGqlKind   kind,
                                      guint          line,
                                      guint          column);
guint         bough_gql_list_length  (const BoughGqlNode *list);
const char   *bough_gql_operation_type_to_string (BoughGqlOperationType operation);
gboolean      bough_gql_node_is_type_definition  (const BoughGqlNode *node);
gboolean      bough_gql_node_is_type_extension   (const BoughGqlNode *node);

G_END_DECLS
