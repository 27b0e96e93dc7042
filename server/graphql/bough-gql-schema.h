/* bough-gql-schema.h: the GraphQL type system (types, fields, directives) built from SDL or code.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "bough-gql-ast.h"

G_BEGIN_DECLS

typedef enum
{
  BOUGH_GQL_TYPE_SCALAR,
  BOUGH_GQL_TYPE_OBJECT,
  BOUGH_GQL_TYPE_INTERFACE,
  BOUGH_GQL_TYPE_UNION,
  BOUGH_GQL_TYPE_ENUM,
  BOUGH_GQL_TYPE_INPUT_OBJECT,
  BOUGH_GQL_TYPE_LIST,
  BOUGH_GQL_TYPE_NON_NULL,
} BoughGqlTypeKind;

/* Directive locations, as bits of BoughGqlDirective.locations. */
typedef enum
{
  BOUGH_GQL_LOC_QUERY                  = 1 << 0,
  BOUGH_GQL_LOC_MUTATION               = 1 << 1,
  BOUGH_GQL_LOC_SUBSCRIPTION           = 1 << 2,
  BOUGH_GQL_LOC_FIELD                  = 1 << 3,
  BOUGH_GQL_LOC_FRAGMENT_DEFINITION    = 1 << 4,
  BOUGH_GQL_LOC_FRAGMENT_SPREAD        = 1 << 5,
  BOUGH_GQL_LOC_INLINE_FRAGMENT        = 1 << 6,
  BOUGH_GQL_LOC_VARIABLE_DEFINITION    = 1 << 7,
  BOUGH_GQL_LOC_SCHEMA                 = 1 << 8,
  BOUGH_GQL_LOC_SCALAR                 = 1 << 9,
  BOUGH_GQL_LOC_OBJECT                 = 1 << 10,
  BOUGH_GQL_LOC_FIELD_DEFINITION       = 1 << 11,
  BOUGH_GQL_LOC_ARGUMENT_DEFINITION    = 1 << 12,
  BOUGH_GQL_LOC_INTERFACE              = 1 << 13,
  BOUGH_GQL_LOC_UNION                  = 1 << 14,
  BOUGH_GQL_LOC_ENUM                   = 1 << 15,
  BOUGH_GQL_LOC_ENUM_VALUE             = 1 << 16,
  BOUGH_GQL_LOC_INPUT_OBJECT           = 1 << 17,
  BOUGH_GQL_LOC_INPUT_FIELD_DEFINITION = 1 << 18,
} BoughGqlDirectiveLocation;

#define BOUGH_GQL_N_DIRECTIVE_LOCATIONS 19

typedef struct _BoughGqlType BoughGqlType;
typedef struct _BoughGqlField BoughGqlField;
typedef struct _BoughGqlEnumValue BoughGqlEnumValue;
typedef struct _BoughGqlDirective BoughGqlDirective;
typedef struct _BoughGqlSchema BoughGqlSchema;

/* An object or interface field, an argument, or an input object field (an
 * "input value": then @args is empty and @default_value may be set). */
struct _BoughGqlField
{
  char *name;
  char *description;
  BoughGqlType *type;
  GPtrArray *args;              /* of BoughGqlField, owned */
  char *default_value;          /* a GraphQL literal, as graphql-js prints it; NULL if none */
  gboolean deprecated;
  char *deprecation_reason;
};

struct _BoughGqlEnumValue
{
  char *name;
  char *description;
  gboolean deprecated;
  char *deprecation_reason;
};

/* Types are owned by their schema; wrappers (LIST, NON_NULL) are made once
 * per inner type and cached. A finished schema is immutable apart from that
 * cache, which is locked: threads may share it (take a reference each). */
struct _BoughGqlType
{
  BoughGqlTypeKind kind;
  char *name;                   /* NULL for wrappers */
  char *description;
  char *specified_by_url;
  BoughGqlType *of_type;        /* wrappers */
  GPtrArray *fields;            /* of BoughGqlField, owned: object, interface, input object */
  GHashTable *field_index;      /* name → BoughGqlField */
  GPtrArray *interfaces;        /* of BoughGqlType: object, interface */
  GPtrArray *possible_types;    /* of BoughGqlType: union members; implementations of an interface */
  GPtrArray *enum_values;       /* of BoughGqlEnumValue, owned */
  gboolean one_of;
  BoughGqlType *list_wrapper;
  BoughGqlType *non_null_wrapper;
};

struct _BoughGqlDirective
{
  char *name;
  char *description;
  GPtrArray *args;              /* of BoughGqlField, owned */
  guint locations;              /* BoughGqlDirectiveLocation bits */
  gboolean repeatable;
  /* the locations as declared (indices of the bits), for printing */
  guint8 location_order[BOUGH_GQL_N_DIRECTIVE_LOCATIONS];
  guint n_locations;
};

struct _BoughGqlSchema
{
  gint ref_count;
  char *description;
  GPtrArray *types;             /* of BoughGqlType, owned, in definition order */
  GHashTable *type_index;       /* name → BoughGqlType */
  GPtrArray *wrappers;          /* of BoughGqlType, owned */
  GPtrArray *directives;        /* of BoughGqlDirective, owned */
  GHashTable *directive_index;
  BoughGqlType *query_type;
  BoughGqlType *mutation_type;
  BoughGqlType *subscription_type;
  /* __schema, __type and __typename, which every schema has */
  BoughGqlField *schema_meta_field;
  BoughGqlField *type_meta_field;
  BoughGqlField *typename_meta_field;
  GPtrArray *meta_fields;
  GMutex wrappers_lock;         /* wrappers are made on demand, maybe by validating threads */
  gboolean finished;
};

BoughGqlSchema    *bough_gql_schema_new          (void);
BoughGqlSchema    *bough_gql_schema_new_from_sdl (const char     *sdl,
                                                  gssize          length,
                                                  GError        **error);
BoughGqlSchema    *bough_gql_schema_ref          (BoughGqlSchema *schema);
void               bough_gql_schema_unref        (BoughGqlSchema *schema);
gboolean           bough_gql_schema_finish       (BoughGqlSchema *schema,
                                                  GError        **error);

BoughGqlType      *bough_gql_schema_add_type     (BoughGqlSchema   *schema,
                                                  BoughGqlTypeKind  kind,
                                                  const char       *name,
                                                  const char       *description);
BoughGqlType      *bough_gql_schema_get_type     (BoughGqlSchema   *schema,
                                                  const char       *name);
BoughGqlType      *bough_gql_schema_list_of      (BoughGqlSchema   *schema,
                                                  BoughGqlType     *type);
BoughGqlType      *bough_gql_schema_non_null     (BoughGqlSchema   *schema,
                                                  BoughGqlType     *type);
BoughGqlType      *bough_gql_schema_type_from_ast (BoughGqlSchema     *schema,
                                                   const BoughGqlNode *type_node);
BoughGqlDirective *bough_gql_schema_add_directive (BoughGqlSchema *schema,
                                                   const char     *name,
                                                   const char     *description,
                                                   guint           locations,
                                                   gboolean        repeatable);
BoughGqlDirective *bough_gql_schema_get_directive (BoughGqlSchema *schema,
                                                   const char     *name);
BoughGqlType      *bough_gql_schema_get_root_type (BoughGqlSchema        *schema,
                                                   BoughGqlOperationType  operation);
void               bough_gql_schema_set_root_type (BoughGqlSchema        *schema,
                                                   BoughGqlOperationType  operation,
                                                   BoughGqlType          *type);

BoughGqlField     *bough_gql_type_add_field      (BoughGqlType *type,
                                                  const char   *name,
                                                  BoughGqlType *field_type,
                                                  const char   *description);
BoughGqlField     *bough_gql_type_get_field      (BoughGqlType *type,
                                                  const char   *name);
void               bough_gql_type_add_interface  (BoughGqlType *type,
                                                  BoughGqlType *interface);
void               bough_gql_type_add_member     (BoughGqlType *union_type,
                                                  BoughGqlType *member);
BoughGqlEnumValue *bough_gql_type_add_enum_value (BoughGqlType *type,
                                                  const char   *name,
                                                  const char   *description);
BoughGqlEnumValue *bough_gql_type_get_enum_value (BoughGqlType *type,
                                                  const char   *name);
BoughGqlField     *bough_gql_args_add            (GPtrArray    *args,
                                                  const char   *name,
                                                  BoughGqlType *type,
                                                  const char   *default_value,
                                                  const char   *description);
BoughGqlField     *bough_gql_args_find          (GPtrArray    *args,
                                                  const char   *name);
void               bough_gql_field_set_deprecated (BoughGqlField *field,
                                                   const char    *reason);
void               bough_gql_enum_value_set_deprecated (BoughGqlEnumValue *value,
                                                        const char        *reason);

/* Type predicates (wrappers are looked through where the spec says so) */
BoughGqlType *bough_gql_type_named         (BoughGqlType *type);
BoughGqlType *bough_gql_type_nullable      (BoughGqlType *type);
gboolean      bough_gql_type_is_input      (BoughGqlType *type);
gboolean      bough_gql_type_is_output     (BoughGqlType *type);
gboolean      bough_gql_type_is_leaf       (BoughGqlType *type);
gboolean      bough_gql_type_is_composite  (BoughGqlType *type);
gboolean      bough_gql_type_is_abstract   (BoughGqlType *type);
gboolean      bough_gql_type_is_builtin    (BoughGqlType *type);
gboolean      bough_gql_type_is_possible   (BoughGqlType *abstract_type,
                                            BoughGqlType *object_type);
gboolean      bough_gql_types_overlap      (BoughGqlType *a,
                                            BoughGqlType *b);
gboolean      bough_gql_type_is_subtype    (BoughGqlType *maybe_sub,
                                            BoughGqlType *super);
char         *bough_gql_type_to_string     (BoughGqlType *type);
const char   *bough_gql_directive_location_name (BoughGqlDirectiveLocation location);

char         *bough_gql_schema_print       (BoughGqlSchema *schema);

/* Canonical text of a constant literal coerced to @type, as graphql-js's
 * print(astFromValue(...)) gives it; NULL if @value does not fit @type. */
char         *bough_gql_value_literal_for_type (BoughGqlType       *type,
                                                const BoughGqlNode *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughGqlSchema, bough_gql_schema_unref)

G_END_DECLS
