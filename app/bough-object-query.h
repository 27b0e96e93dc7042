/* bough-object-query.h: the GraphQL text the object views send, generated
 * from a kind's schema (lists with filters and paging, one object with its
 * properties and peers, create/update/delete, search anywhere), the
 * conversions between typed values and the text of entries, and the
 * mapping of a server error to the field it is about.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "schema/bough-schema.h"

G_BEGIN_DECLS

/* Order fields of every node's metadata (`order: {by: [...]}`). */
#define BOUGH_OBJECT_ORDER_CREATED "node_metadata__created_at"
#define BOUGH_OBJECT_ORDER_UPDATED "node_metadata__updated_at"

/**
 * BoughObjectOrder:
 * @field: an order field: `<attr>__value`, `<rel>__<attr>__value` of a
 *   cardinality-one relationship, %BOUGH_OBJECT_ORDER_CREATED or
 *   %BOUGH_OBJECT_ORDER_UPDATED
 * @descending: whether the largest comes first
 *
 * One key of a list's order.
 */
typedef struct
{
  const char *field;
  gboolean    descending;
} BoughObjectOrder;

/**
 * BoughObjectListQuery:
 * @filters: argument name (`name__value`, `site__ids`...) to value
 * @search: (nullable): free text matched through the kind's default filter
 *   or `any__value`, with `partial_match`
 * @order: (array length=n_order) (nullable): the keys the server sorts by
 *   (`order: {by: [...]}`), ties by id; none for the schema's order_by
 * @n_order: the number of keys in @order
 * @offset: first object
 * @limit: page size
 * @with_count: whether to ask for `count`
 * @with_metadata: whether to ask for each edge's `node_metadata` (created
 *   and updated times), which older servers lack
 *
 * What a list of objects asks the server for.
 */
typedef struct
{
  JsonObject             *filters;
  const char             *search;
  const BoughObjectOrder *order;
  guint                   n_order;
  gint64                  offset;
  gint64                  limit;
  gboolean                with_count;
  gboolean                with_metadata;
} BoughObjectListQuery;

gboolean   bough_object_attribute_is_listed   (BoughAttributeSchema    *attr);
gboolean   bough_object_attribute_is_editable (BoughAttributeSchema    *attr);
gboolean   bough_object_relationship_is_shown (BoughRelationshipSchema *rel);
gboolean   bough_object_relationship_is_editable (BoughRelationshipSchema *rel);

char      *bough_object_naming_attribute      (BoughNodeSchema            *ns);
char      *bough_object_order_field           (BoughSchema                *schema,
                                               BoughNodeSchema            *ns,
                                               const char                 *field);
char      *bough_object_query_list            (BoughNodeSchema            *ns,
                                               const BoughObjectListQuery *list);
char      *bough_object_query_detail          (BoughNodeSchema            *ns,
                                               const char                 *id);
char      *bough_object_query_detail_full     (BoughNodeSchema            *ns,
                                               const char                 *id,
                                               gboolean                    metadata);
char      *bough_object_query_labels          (GPtrArray                  *kinds,
                                               GPtrArray                  *ids_per_kind);
char      *bough_object_query_search_any      (GPtrArray                  *kinds,
                                               const char                 *text,
                                               gint64                      limit);
char      *bough_object_query_peers           (const char                 *kind,
                                               const char                 *text,
                                               gint64                      limit);
const char *bough_object_query_search_anywhere (void);
char      *bough_object_mutation              (BoughNodeSchema            *ns,
                                               const char                 *operation);
char      *bough_object_mutation_update       (BoughNodeSchema            *ns,
                                               const char * const         *link_operations);

void       bough_object_append_literal        (GString                    *out,
                                               JsonNode                   *value);
JsonNode  *bough_object_value_from_text       (BoughAttributeSchema       *attr,
                                               const char                 *text,
                                               GError                    **error);
char      *bough_object_value_to_text         (JsonNode                   *value);
char      *bough_object_cell_text             (BoughNodeSchema            *ns,
                                               JsonObject                 *node,
                                               const char                 *field);
char      *bough_object_error_field           (BoughNodeSchema            *ns,
                                               JsonObject                 *graphql_error);
char      *bough_object_error_message         (JsonObject                 *graphql_error);
const char *bough_object_get_string           (JsonObject                 *object,
                                               const char                 *member);
JsonObject *bough_object_edge_node            (JsonArray                  *edges,
                                               guint                       index);

G_END_DECLS
