/* bough-schema-private.h: internals shared by the schema engine's files
 * (element constructors, copies, JSON forms, enum names, hashing).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-schema.h"

G_BEGIN_DECLS

struct _BoughSchema
{
  gatomicrefcount  ref_count;
  GHashTable      *by_kind;   /* kind -> BoughNodeSchema* (borrowed from the arrays) */
  GPtrArray       *nodes;     /* sorted by kind, owning */
  GPtrArray       *generics;  /* sorted by kind, owning */
  GPtrArray       *profiles;  /* sorted by kind, owning */
  GPtrArray       *templates; /* node templates, sorted by kind, owning (generic ones are in generics) */
  char            *hash;
};

BoughAttributeSchema    *_bough_attribute_schema_new      (void);
BoughAttributeSchema    *_bough_attribute_schema_copy     (const BoughAttributeSchema    *attr);
void                     _bough_attribute_schema_free     (BoughAttributeSchema          *attr);
BoughRelationshipSchema *_bough_relationship_schema_new   (void);
BoughRelationshipSchema *_bough_relationship_schema_copy  (const BoughRelationshipSchema *rel);
void                     _bough_relationship_schema_free  (BoughRelationshipSchema       *rel);
BoughNodeSchema         *_bough_node_schema_new           (gboolean                       is_generic);
BoughNodeSchema         *_bough_node_schema_copy          (const BoughNodeSchema         *node);
void                     _bough_node_schema_free          (BoughNodeSchema               *node);
BoughDropdownChoice     *_bough_dropdown_choice_copy      (const BoughDropdownChoice     *choice);
void                     _bough_dropdown_choice_free      (BoughDropdownChoice           *choice);
void                     _bough_schema_problem_free       (BoughSchemaProblem            *problem);

/* Takes ownership of every element of @elements (nodes, generics, profiles);
 * computes element hashes and the main hash. */
BoughSchema             *_bough_schema_new_take           (GPtrArray                     *elements);

JsonNode                *_bough_attribute_schema_to_json  (const BoughAttributeSchema    *attr);
JsonNode                *_bough_relationship_schema_to_json (const BoughRelationshipSchema *rel,
                                                           const BoughNodeSchema         *owner);
char                    *_bough_json_canonical            (JsonNode                      *node);
char                    *_bough_schema_make_id            (const char                    *kind,
                                                           const char                    *element_type,
                                                           const char                    *name);

const char              *_bough_branch_support_to_string  (BoughBranchSupport             branch);
gboolean                 _bough_branch_support_from_string (const char                   *str,
                                                           BoughBranchSupport            *out);
const char              *_bough_cardinality_to_string     (BoughCardinality               cardinality);
gboolean                 _bough_cardinality_from_string   (const char                    *str,
                                                           BoughCardinality              *out);
const char              *_bough_relationship_kind_to_string (BoughRelationshipKind        kind);
gboolean                 _bough_relationship_kind_from_string (const char                *str,
                                                           BoughRelationshipKind         *out);
const char              *_bough_direction_to_string       (BoughDirection                 direction);
gboolean                 _bough_direction_from_string     (const char                    *str,
                                                           BoughDirection                *out);
const char              *_bough_on_delete_to_string       (BoughOnDelete                  on_delete);
gboolean                 _bough_on_delete_from_string     (const char                    *str,
                                                           BoughOnDelete                 *out);
const char              *_bough_field_display_to_string   (BoughFieldDisplay              display);
gboolean                 _bough_field_display_from_string (const char                    *str,
                                                           BoughFieldDisplay             *out);

/* Value checks shared by the builder (default values) and the store. */
gboolean                 _bough_attribute_check_value     (BoughAttributeSchema          *attr,
                                                           JsonNode                      *value,
                                                           char                         **problem);

G_END_DECLS
