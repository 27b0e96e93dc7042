/* bough-schema.h: the data schema model (nodes, generics, attributes,
 * relationships), its builder and its diff.
 *
 * A #BoughSchema is an immutable, reference-counted snapshot: once built it is
 * never modified, so any thread may read it. Loading a schema file produces a
 * new snapshot through a #BoughSchemaBuilder that starts from an existing one
 * (loading is declarative and incremental, as in Infrahub).
 *
 * The structures below are public and read-only: fields may be read directly,
 * never written outside the schema engine.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  BOUGH_BRANCH_SUPPORT_AWARE,
  BOUGH_BRANCH_SUPPORT_AGNOSTIC,
  BOUGH_BRANCH_SUPPORT_LOCAL,
} BoughBranchSupport;

typedef enum
{
  BOUGH_ATTRIBUTE_KIND_ID,
  BOUGH_ATTRIBUTE_KIND_TEXT,
  BOUGH_ATTRIBUTE_KIND_TEXT_AREA,
  BOUGH_ATTRIBUTE_KIND_DATE_TIME,
  BOUGH_ATTRIBUTE_KIND_EMAIL,
  BOUGH_ATTRIBUTE_KIND_PASSWORD,
  BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD,
  BOUGH_ATTRIBUTE_KIND_URL,
  BOUGH_ATTRIBUTE_KIND_FILE,
  BOUGH_ATTRIBUTE_KIND_MAC_ADDRESS,
  BOUGH_ATTRIBUTE_KIND_COLOR,
  BOUGH_ATTRIBUTE_KIND_NUMBER,
  BOUGH_ATTRIBUTE_KIND_NUMBER_POOL,
  BOUGH_ATTRIBUTE_KIND_BANDWIDTH,
  BOUGH_ATTRIBUTE_KIND_IP_HOST,
  BOUGH_ATTRIBUTE_KIND_IP_NETWORK,
  BOUGH_ATTRIBUTE_KIND_BOOLEAN,
  BOUGH_ATTRIBUTE_KIND_CHECKBOX,
  BOUGH_ATTRIBUTE_KIND_DROPDOWN,
  BOUGH_ATTRIBUTE_KIND_LIST,
  BOUGH_ATTRIBUTE_KIND_JSON,
  BOUGH_ATTRIBUTE_KIND_ANY,
} BoughAttributeKind;

typedef enum
{
  BOUGH_CARDINALITY_MANY,
  BOUGH_CARDINALITY_ONE,
} BoughCardinality;

typedef enum
{
  BOUGH_RELATIONSHIP_KIND_GENERIC,
  BOUGH_RELATIONSHIP_KIND_ATTRIBUTE,
  BOUGH_RELATIONSHIP_KIND_COMPONENT,
  BOUGH_RELATIONSHIP_KIND_PARENT,
  BOUGH_RELATIONSHIP_KIND_GROUP,
  BOUGH_RELATIONSHIP_KIND_HIERARCHY,
  BOUGH_RELATIONSHIP_KIND_PROFILE,
  BOUGH_RELATIONSHIP_KIND_TEMPLATE,
} BoughRelationshipKind;

typedef enum
{
  BOUGH_DIRECTION_BIDIRECTIONAL,
  BOUGH_DIRECTION_OUTBOUND,
  BOUGH_DIRECTION_INBOUND,
} BoughDirection;

typedef enum
{
  BOUGH_ON_DELETE_NO_ACTION,
  BOUGH_ON_DELETE_CASCADE,
} BoughOnDelete;

/**
 * BoughFieldDisplay:
 * @BOUGH_FIELD_DISPLAY_DEFAULT: shown in the main view of a node ("default")
 * @BOUGH_FIELD_DISPLAY_EXTRA: shown in a secondary, expanded section ("extra")
 *
 * Where a client shows an attribute or a relationship: the `display` field
 * of Infrahub's schema. It changes no data, so changing it is always allowed.
 */
typedef enum
{
  BOUGH_FIELD_DISPLAY_DEFAULT,
  BOUGH_FIELD_DISPLAY_EXTRA,
} BoughFieldDisplay;

/**
 * BoughSourceLoc:
 * @file: (nullable): file name (or origin such as "request body")
 * @line: 1-based line, 0 if unknown
 * @column: 1-based column, 0 if unknown
 *
 * Where an element of a schema was defined; used in error messages.
 * @file is an interned string.
 */
typedef struct
{
  const char *file;
  guint       line;
  guint       column;
} BoughSourceLoc;

typedef struct
{
  char *name;
  char *label;
  char *description;
  char *color;
} BoughDropdownChoice;

typedef struct _BoughAttributeSchema    BoughAttributeSchema;
typedef struct _BoughRelationshipSchema BoughRelationshipSchema;
typedef struct _BoughNodeSchema         BoughNodeSchema;
typedef struct _BoughSchema             BoughSchema;
typedef struct _BoughSchemaBuilder      BoughSchemaBuilder;

struct _BoughAttributeSchema
{
  char               *id;              /* stable UUID of the element */
  char               *name;
  BoughAttributeKind  kind;
  char               *label;
  char               *description;
  gboolean            optional;
  gboolean            unique;
  gboolean            read_only;
  JsonNode           *default_value;   /* nullable */
  char               *regex;           /* nullable; also parameters.regex */
  GRegex             *compiled_regex;  /* nullable, compiled from @regex */
  gint64              min_length;      /* -1 when unset */
  gint64              max_length;      /* -1 when unset */
  JsonArray          *enum_values;     /* nullable */
  GPtrArray          *choices;         /* of BoughDropdownChoice*, Dropdown only, else NULL */
  JsonObject         *parameters;      /* nullable: Number min_value/max_value/excluded_values, ... */
  gint64              order_weight;
  BoughBranchSupport  branch;
  gboolean            allow_override;  /* allow_override: any */
  char               *inherited_from;  /* nullable: the generic it came from */
  char               *deprecation;     /* nullable */
  BoughSourceLoc      loc;
  JsonNode           *computed_attribute; /* nullable: {kind: Jinja2|TransformPython|User, ...} */
  BoughFieldDisplay   display;
};

struct _BoughRelationshipSchema
{
  char                  *id;
  char                  *name;
  char                  *peer;             /* kind of a node or generic */
  BoughRelationshipKind  kind;
  BoughCardinality       cardinality;
  gboolean               optional;
  char                  *identifier;       /* defaulted per the naming rule */
  BoughDirection         direction;
  gint64                 min_count;        /* 0 = unbounded */
  gint64                 max_count;        /* 0 = unbounded */
  BoughOnDelete          on_delete;
  BoughBranchSupport     branch;
  char                  *label;
  char                  *description;
  gint64                 order_weight;
  gboolean               read_only;
  gboolean               hierarchical;     /* the parent/children link of a tree */
  gboolean               allow_override;
  char                  *inherited_from;   /* nullable */
  char                  *deprecation;      /* nullable */
  BoughSourceLoc         loc;
  char                  *common_parent;    /* nullable: relationship name the peers must share */
  char                 **common_relatives; /* nullable: relationship names the peers must share */
  BoughFieldDisplay      display;
};

struct _BoughNodeSchema
{
  gboolean            is_generic;
  char               *id;
  char               *namespace_;
  char               *name;
  char               *kind;               /* namespace + name */
  char               *label;
  char               *description;
  char               *documentation;
  char               *icon;
  gboolean            include_in_menu;
  char               *menu_placement;
  BoughBranchSupport  branch;
  char              **human_friendly_id;  /* nullable, e.g. {"device__name__value", "name__value"} */
  char               *default_filter;     /* nullable */
  char              **display_labels;     /* nullable, deprecated form */
  char               *display_label;      /* nullable: a path or a Jinja2 template */
  char              **order_by;           /* nullable */
  GPtrArray          *uniqueness_constraints; /* of char** (GStrv); never NULL */
  char              **inherit_from;       /* node: generics it inherits; never NULL */
  char               *hierarchy;          /* nullable: generic kind of the tree the node belongs to */
  char               *parent;             /* nullable */
  char               *children;           /* nullable */
  gboolean            hierarchical;       /* generic only */
  char              **used_by;            /* generic only: nodes inheriting it (computed) */
  gboolean            generate_profile;
  gboolean            generate_template;
  GPtrArray          *attributes;         /* of BoughAttributeSchema*, sorted by order_weight */
  GPtrArray          *relationships;      /* of BoughRelationshipSchema*, sorted by order_weight */
  char               *hash;               /* stable hash of this element */
  BoughSourceLoc      loc;
  gboolean            is_profile;         /* a generated Profile<Kind> node */
  gboolean            is_template;        /* a generated Template<Kind> node or generic */
};

/**
 * BoughSchemaProblem:
 * @loc: where the faulty element or value was defined
 * @kind: (nullable): the node or generic kind concerned
 * @element: (nullable): attribute or relationship name, or a node property such as "human_friendly_id"
 * @message: what is wrong
 *
 * One problem found while loading or building a schema.
 */
typedef struct
{
  BoughSourceLoc  loc;
  char           *kind;
  char           *element;
  char           *message;
} BoughSchemaProblem;

/**
 * BoughSchemaRule:
 *
 * How a change of a schema property may be applied (reference §1.6).
 */
typedef enum
{
  BOUGH_SCHEMA_RULE_ALLOWED,
  BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED,
  BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT,
  BOUGH_SCHEMA_RULE_NOT_SUPPORTED,
} BoughSchemaRule;

typedef enum
{
  BOUGH_SCHEMA_CHANGE_ADDED,
  BOUGH_SCHEMA_CHANGE_CHANGED,
  BOUGH_SCHEMA_CHANGE_REMOVED,
} BoughSchemaChangeAction;

/**
 * BoughSchemaChange:
 * @kind: the node or generic kind
 * @element: (nullable): attribute or relationship name, NULL for the node itself
 * @element_type: "node", "generic", "attribute" or "relationship"
 * @property: (nullable): the property that changed (e.g. "kind", "optional"), NULL for add/remove
 * @action: added, changed or removed
 * @rule: how the change may be applied
 * @old_value: (nullable): previous value of @property
 * @new_value: (nullable): new value of @property
 */
typedef struct
{
  char                    *kind;
  char                    *element;
  char                    *element_type;
  char                    *property;
  BoughSchemaChangeAction  action;
  BoughSchemaRule          rule;
  JsonNode                *old_value;
  JsonNode                *new_value;
} BoughSchemaChange;

/* Snapshots */
BoughSchema            *bough_schema_ref                 (BoughSchema        *self);
void                    bough_schema_unref               (BoughSchema        *self);
BoughSchema            *bough_schema_new_core            (GError            **error);
const char             *bough_schema_get_hash            (BoughSchema        *self);
BoughNodeSchema        *bough_schema_lookup              (BoughSchema        *self,
                                                          const char         *kind);
GPtrArray              *bough_schema_get_nodes           (BoughSchema        *self);
GPtrArray              *bough_schema_get_generics        (BoughSchema        *self);
GPtrArray              *bough_schema_get_profiles        (BoughSchema        *self);
GPtrArray              *bough_schema_get_templates       (BoughSchema        *self);
gboolean                bough_schema_is_a                (BoughSchema        *self,
                                                          const char         *kind,
                                                          const char         *kind_or_generic);
GPtrArray              *bough_schema_get_implementors    (BoughSchema        *self,
                                                          const char         *kind_or_generic);
JsonNode               *bough_schema_to_json             (BoughSchema        *self);
JsonNode               *bough_node_schema_to_json        (BoughNodeSchema    *node);
BoughSchema            *bough_schema_new_from_json       (JsonNode           *root,
                                                          GError            **error);

BoughAttributeSchema   *bough_node_schema_get_attribute  (BoughNodeSchema    *node,
                                                          const char         *name);
BoughRelationshipSchema *bough_node_schema_get_relationship (BoughNodeSchema *node,
                                                          const char         *name);

/**
 * BoughOrderTarget:
 * @BOUGH_ORDER_VALUE: the value of an attribute of the node
 * @BOUGH_ORDER_PEER_VALUE: the value of an attribute of the peer of a
 *   relationship of cardinality one (no peer sorts as null)
 * @BOUGH_ORDER_CREATED_AT: the node's creation time
 * @BOUGH_ORDER_UPDATED_AT: the time of the node's current version
 *
 * What one entry of an order sorts by.
 */
typedef enum
{
  BOUGH_ORDER_VALUE,
  BOUGH_ORDER_PEER_VALUE,
  BOUGH_ORDER_CREATED_AT,
  BOUGH_ORDER_UPDATED_AT,
} BoughOrderTarget;

/**
 * BoughOrderKey:
 * @target: what the entry sorts by
 * @relationship: (nullable): the relationship, for %BOUGH_ORDER_PEER_VALUE
 * @attribute: (nullable): the attribute (of the node, or of the peer)
 * @property: (nullable): what of the attribute sorts: `value`, or for IP
 *   attributes `version`, `binary_address` (and `prefixlen` for IPNetwork)
 * @descending: the entry ends in `__desc`
 *
 * One parsed entry of an order (see bough_node_schema_parse_order()); the
 * schemas are borrowed.
 */
typedef struct
{
  BoughOrderTarget          target;
  BoughRelationshipSchema  *relationship;
  BoughAttributeSchema     *attribute;
  const char               *property;
  gboolean                  descending;
} BoughOrderKey;

/**
 * BoughNodeSchemaLookupFunc:
 * @kind: a kind
 * @user_data: the data given with the function
 *
 * Returns: (transfer none) (nullable): the node or generic of @kind
 */
typedef BoughNodeSchema *(*BoughNodeSchemaLookupFunc) (const char *kind,
                                                       gpointer    user_data);

gboolean                bough_node_schema_parse_order    (BoughNodeSchema    *node,
                                                          const char         *entry,
                                                          BoughNodeSchemaLookupFunc lookup,
                                                          gpointer            user_data,
                                                          BoughOrderKey      *out,
                                                          GError            **error);

const char             *bough_attribute_kind_to_string   (BoughAttributeKind  kind);
gboolean                bough_attribute_kind_from_string (const char         *str,
                                                          BoughAttributeKind *kind);
gboolean                bough_attribute_validate_value   (BoughAttributeSchema *attr,
                                                          JsonNode           *value,
                                                          GError            **error);

/* Building */
BoughSchemaBuilder     *bough_schema_builder_new         (BoughSchema        *base);
void                    bough_schema_builder_free        (BoughSchemaBuilder *self);
void                    bough_schema_builder_set_internal (BoughSchemaBuilder *self,
                                                          gboolean            internal);
gboolean                bough_schema_builder_add_file    (BoughSchemaBuilder *self,
                                                          const char         *path,
                                                          GError            **error);
gboolean                bough_schema_builder_add_data    (BoughSchemaBuilder *self,
                                                          const char         *data,
                                                          gssize              length,
                                                          const char         *origin,
                                                          GError            **error);
BoughSchema            *bough_schema_builder_build       (BoughSchemaBuilder *self,
                                                          GError            **error);
GPtrArray              *bough_schema_builder_get_problems (BoughSchemaBuilder *self);

/* Diff between two snapshots */
GPtrArray              *bough_schema_diff                (BoughSchema        *old_schema,
                                                          BoughSchema        *new_schema);
JsonNode               *bough_schema_diff_to_json        (GPtrArray          *changes);
void                    bough_schema_change_free         (BoughSchemaChange  *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughSchema, bough_schema_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughSchemaBuilder, bough_schema_builder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughSchemaChange, bough_schema_change_free)

G_END_DECLS
