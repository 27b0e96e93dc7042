/* bough-gql-generate.c: the generated GraphQL schema of the data API: per kind the query field
 * with its filters, the Paginated/Edged/NestedPaginated/NestedEdged types, attribute types,
 * mutations and their inputs, and the fixed fields (InfrahubInfo, Branch, ...), with Infrahub's
 * names so that its clients work unchanged.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-gql-generate"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-gql-branch.h"
#include "bough-gql-events.h"
#include "bough-gql-generate.h"

typedef struct
{
  BoughSchema    *schema;
  BoughGqlSchema *gql;
  BoughGqlType   *query;
  BoughGqlType   *mutation;
  GPtrArray      *kinds;         /* of BoughNodeSchema*, every exposed kind */
  BoughGqlType   *subscription;
} Gen;

static BoughGqlType *
T (Gen        *g,
   const char *name)
{
  BoughGqlType *type = bough_gql_schema_get_type (g->gql, name);

  g_assert (type != NULL);
  return type;
}

static BoughGqlType *
NN (Gen          *g,
    BoughGqlType *type)
{
  return bough_gql_schema_non_null (g->gql, type);
}

static BoughGqlType *
L (Gen          *g,
   BoughGqlType *type)
{
  return bough_gql_schema_list_of (g->gql, type);
}

static BoughGqlType *
obj (Gen        *g,
     const char *name,
     const char *description)
{
  return bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_OBJECT, name, description);
}

static BoughGqlType *
input (Gen        *g,
       const char *name)
{
  return bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_INPUT_OBJECT, name, NULL);
}

static void
field (BoughGqlType *type,
       const char   *name,
       BoughGqlType *field_type)
{
  bough_gql_type_add_field (type, name, field_type, NULL);
}

/**
 * bough_gql_kind_is_exposed:
 * @node: a node, generic, profile or template schema
 *
 * Returns: whether the kind gets a query field and types in the generated API
 */
gboolean
bough_gql_kind_is_exposed (BoughNodeSchema *node)
{
  g_return_val_if_fail (node != NULL, FALSE);

  return node->kind != NULL && node->kind[0] != '\0';
}

/**
 * bough_gql_attribute_type_name:
 * @kind: an attribute kind
 *
 * Returns: the name of the GraphQL object type of attributes of @kind
 */
const char *
bough_gql_attribute_type_name (BoughAttributeKind kind)
{
  switch (kind)
    {
    case BOUGH_ATTRIBUTE_KIND_NUMBER:
    case BOUGH_ATTRIBUTE_KIND_NUMBER_POOL:
    case BOUGH_ATTRIBUTE_KIND_BANDWIDTH:
      return "NumberAttribute";
    case BOUGH_ATTRIBUTE_KIND_BOOLEAN:
    case BOUGH_ATTRIBUTE_KIND_CHECKBOX:
      return "CheckboxAttribute";
    case BOUGH_ATTRIBUTE_KIND_DROPDOWN:
      return "Dropdown";
    case BOUGH_ATTRIBUTE_KIND_IP_HOST:
      return "IPHost";
    case BOUGH_ATTRIBUTE_KIND_IP_NETWORK:
      return "IPNetwork";
    case BOUGH_ATTRIBUTE_KIND_MAC_ADDRESS:
      return "MacAddress";
    case BOUGH_ATTRIBUTE_KIND_LIST:
      return "ListAttribute";
    case BOUGH_ATTRIBUTE_KIND_JSON:
      return "JSONAttribute";
    case BOUGH_ATTRIBUTE_KIND_ANY:
      return "AnyAttribute";
    case BOUGH_ATTRIBUTE_KIND_ID:
    case BOUGH_ATTRIBUTE_KIND_TEXT:
    case BOUGH_ATTRIBUTE_KIND_TEXT_AREA:
    case BOUGH_ATTRIBUTE_KIND_DATE_TIME:
    case BOUGH_ATTRIBUTE_KIND_EMAIL:
    case BOUGH_ATTRIBUTE_KIND_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_URL:
    case BOUGH_ATTRIBUTE_KIND_FILE:
    case BOUGH_ATTRIBUTE_KIND_COLOR:
    default:
      return "TextAttribute";
    }
}

/* The input type prefix of an attribute kind (TextAttributeCreate, ...). */
static const char *
attribute_input_prefix (BoughAttributeKind kind)
{
  switch (kind)
    {
    case BOUGH_ATTRIBUTE_KIND_NUMBER:
    case BOUGH_ATTRIBUTE_KIND_NUMBER_POOL:
    case BOUGH_ATTRIBUTE_KIND_BANDWIDTH:
      return "NumberAttribute";
    case BOUGH_ATTRIBUTE_KIND_BOOLEAN:
    case BOUGH_ATTRIBUTE_KIND_CHECKBOX:
      return "CheckboxAttribute";
    case BOUGH_ATTRIBUTE_KIND_LIST:
      return "ListAttribute";
    case BOUGH_ATTRIBUTE_KIND_JSON:
      return "JSONAttribute";
    case BOUGH_ATTRIBUTE_KIND_ANY:
      return "AnyAttribute";
    default:
      return "TextAttribute";
    }
}

/* The scalar of an attribute's value, in filters and inputs. */
static BoughGqlType *
value_scalar (Gen                *g,
              BoughAttributeKind  kind)
{
  switch (kind)
    {
    case BOUGH_ATTRIBUTE_KIND_NUMBER:
    case BOUGH_ATTRIBUTE_KIND_NUMBER_POOL:
    case BOUGH_ATTRIBUTE_KIND_BANDWIDTH:
      return T (g, "BigInt");
    case BOUGH_ATTRIBUTE_KIND_BOOLEAN:
    case BOUGH_ATTRIBUTE_KIND_CHECKBOX:
      return T (g, "Boolean");
    case BOUGH_ATTRIBUTE_KIND_LIST:
    case BOUGH_ATTRIBUTE_KIND_JSON:
    case BOUGH_ATTRIBUTE_KIND_ANY:
      return T (g, "GenericScalar");
    default:
      return T (g, "String");
    }
}

/* The type of a `source` or `owner` property: the lineage generic when the
 * schema has it, else CoreNode. */
static BoughGqlType *
lineage_type (Gen        *g,
              const char *generic)
{
  BoughGqlType *t = bough_gql_schema_get_type (g->gql, generic);

  return t != NULL ? t : T (g, "CoreNode");
}

static void
add_fixed_types (Gen *g)
{
  BoughGqlType *t;
  BoughGqlType *iface;
  static const BoughAttributeKind attr_kinds[] = {
    BOUGH_ATTRIBUTE_KIND_TEXT, BOUGH_ATTRIBUTE_KIND_NUMBER, BOUGH_ATTRIBUTE_KIND_CHECKBOX,
    BOUGH_ATTRIBUTE_KIND_DROPDOWN, BOUGH_ATTRIBUTE_KIND_IP_HOST, BOUGH_ATTRIBUTE_KIND_IP_NETWORK,
    BOUGH_ATTRIBUTE_KIND_MAC_ADDRESS, BOUGH_ATTRIBUTE_KIND_LIST, BOUGH_ATTRIBUTE_KIND_JSON,
    BOUGH_ATTRIBUTE_KIND_ANY,
  };
  static const BoughAttributeKind input_kinds[] = {
    BOUGH_ATTRIBUTE_KIND_TEXT, BOUGH_ATTRIBUTE_KIND_NUMBER, BOUGH_ATTRIBUTE_KIND_CHECKBOX,
    BOUGH_ATTRIBUTE_KIND_LIST, BOUGH_ATTRIBUTE_KIND_JSON, BOUGH_ATTRIBUTE_KIND_ANY,
  };

  bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_SCALAR, "DateTime",
                             "A date and time, as an ISO 8601 string.");
  bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_SCALAR, "BigInt",
                             "An integer of up to 64 bits.");
  bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_SCALAR, "GenericScalar",
                             "Any JSON value.");

  t = bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_ENUM, "OrderDirection", NULL);
  bough_gql_type_add_enum_value (t, "ASC", NULL);
  bough_gql_type_add_enum_value (t, "DESC", NULL);
  t = input (g, "InfrahubNodeMetadataOrder");
  field (t, "created_at", T (g, "OrderDirection"));
  field (t, "updated_at", T (g, "OrderDirection"));
  t = input (g, "OrderByEntry");
  field (t, "field", NN (g, T (g, "String")));
  bough_gql_type_add_field (t, "direction", T (g, "OrderDirection"), NULL)->default_value = g_strdup ("ASC");
  t = input (g, "OrderInput");
  field (t, "disable", T (g, "Boolean"));
  field (t, "by", L (g, NN (g, T (g, "OrderByEntry"))));
  field (t, "node_metadata", T (g, "InfrahubNodeMetadataOrder"));

  /* CoreNode: every node implements it, whether or not the data schema
   * declares the generic */
  if (bough_schema_lookup (g->schema, "CoreNode") == NULL)
    {
      iface = bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_INTERFACE, "CoreNode", NULL);
      field (iface, "id", NN (g, T (g, "String")));
      field (iface, "hfid", L (g, T (g, "String")));
      field (iface, "display_label", T (g, "String"));
    }

  /* permissions (reference §2.2): decided by bough_gql_permission_decide() */
  t = bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_ENUM, "BranchRelativePermissionDecision", NULL);
  bough_gql_type_add_enum_value (t, "DENY", NULL);
  bough_gql_type_add_enum_value (t, "ALLOW", NULL);
  bough_gql_type_add_enum_value (t, "ALLOW_DEFAULT", NULL);
  bough_gql_type_add_enum_value (t, "ALLOW_OTHER", NULL);
  t = obj (g, "ObjectPermission", NULL);
  field (t, "kind", NN (g, T (g, "String")));
  field (t, "view", T (g, "BranchRelativePermissionDecision"));
  field (t, "create", T (g, "BranchRelativePermissionDecision"));
  field (t, "update", T (g, "BranchRelativePermissionDecision"));
  field (t, "delete", T (g, "BranchRelativePermissionDecision"));
  t = obj (g, "ObjectPermissionNode", NULL);
  field (t, "node", T (g, "ObjectPermission"));
  t = obj (g, "PaginatedObjectPermission", NULL);
  field (t, "count", NN (g, T (g, "Int")));
  field (t, "edges", NN (g, L (g, NN (g, T (g, "ObjectPermissionNode")))));
  t = obj (g, "AttributePermission", NULL);
  field (t, "update_value", T (g, "BranchRelativePermissionDecision"));

  /* metadata of nodes and links (the SDK's include_metadata); the accounts
   * are null until the store records them */
  t = obj (g, "InfrahubNodeMetadata", NULL);
  field (t, "created_at", T (g, "DateTime"));
  field (t, "created_by", lineage_type (g, "CoreGenericAccount"));
  field (t, "updated_at", T (g, "DateTime"));
  field (t, "updated_by", lineage_type (g, "CoreGenericAccount"));
  t = obj (g, "InfrahubRelationshipMetadata", NULL);
  field (t, "updated_at", T (g, "DateTime"));
  field (t, "updated_by", lineage_type (g, "CoreGenericAccount"));

  t = obj (g, "RelationshipProperty", NULL);
  field (t, "is_visible", T (g, "Boolean"));
  field (t, "is_protected", T (g, "Boolean"));
  field (t, "updated_at", T (g, "DateTime"));
  field (t, "source", lineage_type (g, "LineageSource"));
  field (t, "owner", lineage_type (g, "LineageOwner"));

  iface = bough_gql_schema_add_type (g->gql, BOUGH_GQL_TYPE_INTERFACE, "AttributeInterface", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (attr_kinds); i++)
    {
      BoughAttributeKind k = attr_kinds[i];
      BoughGqlType *types[2] = { iface, NULL };

      types[1] = obj (g, bough_gql_attribute_type_name (k), NULL);
      bough_gql_type_add_interface (types[1], iface);
      for (guint j = (i == 0 ? 0 : 1); j < 2; j++)
        {
          BoughGqlType *a = types[j];

          field (a, "id", T (g, "String"));
          field (a, "is_default", T (g, "Boolean"));
          field (a, "is_inherited", T (g, "Boolean"));
          field (a, "is_from_profile", T (g, "Boolean"));
          field (a, "is_protected", T (g, "Boolean"));
          field (a, "is_visible", T (g, "Boolean"));
          field (a, "updated_at", T (g, "DateTime"));
          field (a, "updated_by", lineage_type (g, "CoreGenericAccount"));
          field (a, "source", lineage_type (g, "LineageSource"));
          field (a, "owner", lineage_type (g, "LineageOwner"));
          field (a, "permissions", T (g, "AttributePermission"));
        }
      switch (k)
        {
        case BOUGH_ATTRIBUTE_KIND_DROPDOWN:
          field (types[1], "value", T (g, "String"));
          field (types[1], "label", T (g, "String"));
          field (types[1], "color", T (g, "String"));
          field (types[1], "description", T (g, "String"));
          break;
        case BOUGH_ATTRIBUTE_KIND_IP_HOST:
        case BOUGH_ATTRIBUTE_KIND_IP_NETWORK:
          field (types[1], "value", T (g, "String"));
          field (types[1], "prefixlen", T (g, "Int"));
          field (types[1], "version", T (g, "Int"));
          if (k == BOUGH_ATTRIBUTE_KIND_IP_HOST)
            field (types[1], "ip", T (g, "String"));
          break;
        default:
          field (types[1], "value", value_scalar (g, k));
          break;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (input_kinds); i++)
    for (guint upd = 0; upd < 2; upd++)
      {
        g_autofree char *name = g_strconcat (attribute_input_prefix (input_kinds[i]),
                                             upd ? "Update" : "Create", NULL);

        t = input (g, name);
        field (t, "value", value_scalar (g, input_kinds[i]));
        if (upd)
          field (t, "is_default", T (g, "Boolean"));
        field (t, "is_visible", T (g, "Boolean"));
        field (t, "is_protected", T (g, "Boolean"));
        field (t, "source", T (g, "String"));
        field (t, "owner", T (g, "String"));
      }

  t = input (g, "GenericPoolInput");
  field (t, "id", NN (g, T (g, "String")));
  field (t, "identifier", T (g, "String"));
  field (t, "data", T (g, "GenericScalar"));
  t = input (g, "RelatedNodeInput");
  field (t, "id", T (g, "String"));
  field (t, "from_pool", T (g, "GenericPoolInput"));
  field (t, "hfid", L (g, T (g, "String")));
  field (t, "kind", T (g, "String"));
  field (t, "_relation__is_visible", T (g, "Boolean"));
  field (t, "_relation__is_protected", T (g, "Boolean"));
  field (t, "_relation__owner", T (g, "String"));
  field (t, "_relation__source", T (g, "String"));

  t = input (g, "DeleteInput");
  field (t, "id", T (g, "String"));
  field (t, "hfid", L (g, T (g, "String")));

  t = input (g, "RelationshipNodesInput");
  field (t, "id", NN (g, T (g, "String")));
  field (t, "name", NN (g, T (g, "String")));
  field (t, "nodes", NN (g, L (g, T (g, "RelatedNodeInput"))));

  t = input (g, "ContextAccountInput");
  field (t, "id", NN (g, T (g, "String")));
  t = input (g, "ContextInput");
  field (t, "account", T (g, "ContextAccountInput"));
}

/* Adds the filters of a kind's attributes to @args; @prefix is "" at top
 * level or "rel__" through a relationship. */
static void
add_attribute_filters (Gen             *g,
                       GPtrArray       *args,
                       BoughNodeSchema *ns,
                       const char      *prefix,
                       gboolean         with_properties)
{
  for (guint i = 0; i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *a = g_ptr_array_index (ns->attributes, i);
      BoughGqlType *scalar = value_scalar (g, a->kind);
      g_autofree char *base = g_strconcat (prefix, a->name, NULL);
      g_autofree char *value = g_strconcat (base, "__value", NULL);
      g_autofree char *values = g_strconcat (base, "__values", NULL);

      /* no filter may probe a password hash */
      if (a->kind == BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD)
        continue;
      bough_gql_args_add (args, value, scalar, NULL, NULL);
      bough_gql_args_add (args, values, L (g, scalar), NULL, NULL);
      if (with_properties)
        {
          g_autofree char *isnull = g_strconcat (base, "__isnull", NULL);
          g_autofree char *visible = g_strconcat (base, "__is_visible", NULL);
          g_autofree char *protected = g_strconcat (base, "__is_protected", NULL);
          g_autofree char *source = g_strconcat (base, "__source__id", NULL);
          g_autofree char *owner = g_strconcat (base, "__owner__id", NULL);

          bough_gql_args_add (args, isnull, T (g, "Boolean"), NULL, NULL);
          bough_gql_args_add (args, visible, T (g, "Boolean"), NULL, NULL);
          bough_gql_args_add (args, protected, T (g, "Boolean"), NULL, NULL);
          bough_gql_args_add (args, source, T (g, "ID"), NULL, NULL);
          bough_gql_args_add (args, owner, T (g, "ID"), NULL, NULL);
        }
    }
}

/* The top-level filters of a kind: reference §2.3. */
static void
add_kind_filters (Gen             *g,
                  GPtrArray       *args,
                  BoughNodeSchema *ns)
{
  bough_gql_args_add (args, "offset", T (g, "Int"), NULL, NULL);
  bough_gql_args_add (args, "limit", T (g, "Int"), NULL, NULL);
  bough_gql_args_add (args, "order", T (g, "OrderInput"), NULL, NULL);
  bough_gql_args_add (args, "ids", L (g, T (g, "ID")), NULL, NULL);
  if (ns->human_friendly_id != NULL)
    bough_gql_args_add (args, "hfid", L (g, T (g, "String")), NULL, NULL);
  bough_gql_args_add (args, "partial_match", T (g, "Boolean"), NULL, NULL);
  bough_gql_args_add (args, "any__value", T (g, "String"), NULL, NULL);
  bough_gql_args_add (args, "any__values", L (g, T (g, "String")), NULL, NULL);
  add_attribute_filters (g, args, ns, "", TRUE);
  for (guint i = 0; i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *r = g_ptr_array_index (ns->relationships, i);
      BoughNodeSchema *peer = bough_schema_lookup (g->schema, r->peer);
      g_autofree char *ids = g_strconcat (r->name, "__ids", NULL);
      g_autofree char *isnull = g_strconcat (r->name, "__isnull", NULL);
      g_autofree char *prefix = g_strconcat (r->name, "__", NULL);

      if (peer == NULL || g_strcmp0 (peer->namespace_, "Internal") == 0)
        continue;
      bough_gql_args_add (args, ids, L (g, T (g, "ID")), NULL, NULL);
      bough_gql_args_add (args, isnull, T (g, "Boolean"), NULL, NULL);
      add_attribute_filters (g, args, peer, prefix, FALSE);
    }
}

/* Declares the per-kind types before any field refers to them. */
static void
declare_kind (Gen             *g,
              BoughNodeSchema *ns)
{
  g_autofree char *paginated = g_strconcat ("Paginated", ns->kind, NULL);
  g_autofree char *edged = g_strconcat ("Edged", ns->kind, NULL);
  g_autofree char *npaginated = g_strconcat ("NestedPaginated", ns->kind, NULL);
  g_autofree char *nedged = g_strconcat ("NestedEdged", ns->kind, NULL);

  if (bough_gql_schema_get_type (g->gql, ns->kind) == NULL)
    bough_gql_schema_add_type (g->gql, ns->is_generic ? BOUGH_GQL_TYPE_INTERFACE : BOUGH_GQL_TYPE_OBJECT,
                               ns->kind, ns->description);
  obj (g, paginated, NULL);
  obj (g, edged, NULL);
  obj (g, npaginated, NULL);
  obj (g, nedged, NULL);
}

/* The generic of the hierarchy @ns belongs to (or is), NULL when none. */
static BoughNodeSchema *
hierarchy_of (Gen             *g,
              BoughNodeSchema *ns)
{
  BoughNodeSchema *tree;

  if (ns->is_generic)
    return ns->hierarchical ? ns : NULL;
  if (ns->hierarchy == NULL || ns->hierarchy[0] == '\0')
    return NULL;
  tree = bough_schema_lookup (g->schema, ns->hierarchy);
  return tree != NULL && bough_gql_kind_is_exposed (tree) ? tree : NULL;
}

/* A field listing nodes of @peer under a node (NestedPaginated<peer>) with
 * the filters of a nested list. */
static BoughGqlField *
add_nested_list (Gen             *g,
                 BoughGqlType    *t,
                 const char      *name,
                 BoughNodeSchema *peer,
                 const char      *description)
{
  g_autofree char *pname = g_strconcat ("NestedPaginated", peer->kind, NULL);
  BoughGqlField *f = bough_gql_type_add_field (t, name, NN (g, T (g, pname)), description);

  bough_gql_args_add (f->args, "offset", T (g, "Int"), NULL, NULL);
  bough_gql_args_add (f->args, "limit", T (g, "Int"), NULL, NULL);
  bough_gql_args_add (f->args, "ids", L (g, T (g, "ID")), NULL, NULL);
  if (peer->human_friendly_id != NULL)
    bough_gql_args_add (f->args, "hfid", L (g, T (g, "String")), NULL, NULL);
  bough_gql_args_add (f->args, "partial_match", T (g, "Boolean"), NULL, NULL);
  add_attribute_filters (g, f->args, peer, "", TRUE);
  return f;
}

static void
fill_kind (Gen             *g,
           BoughNodeSchema *ns)
{
  BoughNodeSchema *tree = hierarchy_of (g, ns);
  BoughGqlType *t = T (g, ns->kind);
  g_autofree char *paginated = g_strconcat ("Paginated", ns->kind, NULL);
  g_autofree char *edged = g_strconcat ("Edged", ns->kind, NULL);
  g_autofree char *npaginated = g_strconcat ("NestedPaginated", ns->kind, NULL);
  g_autofree char *nedged = g_strconcat ("NestedEdged", ns->kind, NULL);
  BoughGqlType *pt = T (g, paginated);
  BoughGqlType *et = T (g, edged);
  BoughGqlType *npt = T (g, npaginated);
  BoughGqlType *net = T (g, nedged);
  BoughGqlField *f;

  field (et, "node", t);
  field (et, "node_metadata", T (g, "InfrahubNodeMetadata"));
  field (pt, "count", NN (g, T (g, "Int")));
  field (pt, "edges", NN (g, L (g, NN (g, et))));
  field (pt, "permissions", T (g, "PaginatedObjectPermission"));
  field (net, "node", t);
  field (net, "properties", T (g, "RelationshipProperty"));
  field (net, "node_metadata", T (g, "InfrahubNodeMetadata"));
  field (net, "relationship_metadata", T (g, "InfrahubRelationshipMetadata"));
  field (npt, "count", NN (g, T (g, "Int")));
  field (npt, "edges", NN (g, L (g, NN (g, net))));

  if (!ns->is_generic)
    {
      BoughGqlType *core = T (g, "CoreNode");

      for (char **i = ns->inherit_from; i != NULL && *i != NULL; i++)
        {
          BoughGqlType *iface = bough_gql_schema_get_type (g->gql, *i);

          if (iface != NULL && iface->kind == BOUGH_GQL_TYPE_INTERFACE && iface != core)
            bough_gql_type_add_interface (t, iface);
        }
      if (t != core)
        bough_gql_type_add_interface (t, core);
    }

  field (t, "id", NN (g, T (g, "String")));
  field (t, "hfid", L (g, T (g, "String")));
  field (t, "display_label", T (g, "String"));
  if (g_strcmp0 (ns->kind, "CoreNode") == 0)
    return;
  field (t, "_updated_at", T (g, "DateTime"));
  for (guint i = 0; i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *a = g_ptr_array_index (ns->attributes, i);

      if (bough_gql_type_get_field (t, a->name) != NULL)
        continue;
      f = bough_gql_type_add_field (t, a->name, T (g, bough_gql_attribute_type_name (a->kind)),
                                    a->description);
      if (a->deprecation != NULL)
        bough_gql_field_set_deprecated (f, a->deprecation);
    }
  for (guint i = 0; i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *r = g_ptr_array_index (ns->relationships, i);
      BoughNodeSchema *peer = bough_schema_lookup (g->schema, r->peer);
      g_autofree char *pname = NULL;

      if (peer == NULL || bough_gql_type_get_field (t, r->name) != NULL)
        continue;
      /* parent and children are typed by the tree's generic, as on the
       * generic's interface, which a node's own field must match */
      if (r->kind == BOUGH_RELATIONSHIP_KIND_HIERARCHY && tree != NULL)
        peer = tree;
      if (r->cardinality == BOUGH_CARDINALITY_ONE)
        {
          pname = g_strconcat ("NestedEdged", peer->kind, NULL);
          f = bough_gql_type_add_field (t, r->name, T (g, pname), r->description);
        }
      else
        {
          f = add_nested_list (g, t, r->name, peer, r->description);
          if (tree != NULL)
            bough_gql_args_add (f->args, "include_descendants", T (g, "Boolean"), NULL, NULL);
        }
      if (r->deprecation != NULL)
        bough_gql_field_set_deprecated (f, r->deprecation);
    }
  /* the walks of a hierarchy, beside its parent and children links; a
   * root kind (no parent) and a leaf kind (no children) still have the
   * fields of the tree's interface, always empty */
  if (tree != NULL)
    {
      g_autofree char *edged = g_strconcat ("NestedEdged", tree->kind, NULL);

      if (bough_gql_type_get_field (t, "parent") == NULL)
        field (t, "parent", T (g, edged));
      for (guint i = 0; i < 3; i++)
        {
          static const char *lists[] = { "children", "ancestors", "descendants" };

          if (bough_gql_type_get_field (t, lists[i]) != NULL)
            continue;
          f = add_nested_list (g, t, lists[i], tree, NULL);
          if (i == 0)
            bough_gql_args_add (f->args, "include_descendants", T (g, "Boolean"), NULL, NULL);
        }
    }
}

static void
add_query_field (Gen             *g,
                 BoughNodeSchema *ns)
{
  g_autofree char *paginated = g_strconcat ("Paginated", ns->kind, NULL);
  BoughGqlField *f = bough_gql_type_add_field (g->query, ns->kind, NN (g, T (g, paginated)),
                                               ns->description);

  add_kind_filters (g, f->args, ns);
}

static BoughGqlType *
kind_input (Gen             *g,
            BoughNodeSchema *ns,
            const char      *suffix)
{
  g_autofree char *name = g_strconcat (ns->kind, suffix, "Input", NULL);
  gboolean create = g_str_equal (suffix, "Create");
  gboolean update = g_str_equal (suffix, "Update");
  BoughGqlType *t = input (g, name);

  field (t, "id", T (g, "String"));
  if (!create)
    field (t, "hfid", L (g, T (g, "String")));
  for (guint i = 0; i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *a = g_ptr_array_index (ns->attributes, i);
      g_autofree char *tname = g_strconcat (attribute_input_prefix (a->kind),
                                            update ? "Update" : "Create", NULL);
      BoughGqlType *at = T (g, tname);

      if (a->read_only)
        continue;
      if (create && !a->optional && a->default_value == NULL)
        at = NN (g, at);
      field (t, a->name, at);
    }
  for (guint i = 0; i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *r = g_ptr_array_index (ns->relationships, i);

      if (r->read_only)
        continue;
      if (r->cardinality == BOUGH_CARDINALITY_ONE)
        field (t, r->name, T (g, "RelatedNodeInput"));
      else
        field (t, r->name, L (g, T (g, "RelatedNodeInput")));
    }
  return t;
}

static void
add_mutations (Gen             *g,
               BoughNodeSchema *ns)
{
  static const char *ops[] = { "Create", "Update", "Upsert", "Delete" };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autofree char *name = g_strconcat (ns->kind, ops[i], NULL);
      BoughGqlType *result = obj (g, name, NULL);
      BoughGqlType *data;
      BoughGqlField *f;

      field (result, "ok", T (g, "Boolean"));
      if (i < 3)
        field (result, "object", T (g, ns->kind));
      data = i < 3 ? kind_input (g, ns, ops[i]) : T (g, "DeleteInput");
      f = bough_gql_type_add_field (g->mutation, name, result, NULL);
      bough_gql_args_add (f->args, "data", NN (g, data), NULL, NULL);
      bough_gql_args_add (f->args, "context", T (g, "ContextInput"), NULL, NULL);
    }
}

/* The caller's own account (reference §2.5/§2.6; resolvers in
 * bough-gql-account.c). */
static void
add_account_fields (Gen *g)
{
  BoughGqlType *t;
  BoughGqlType *token;
  BoughGqlField *f;

  field (g->query, "AccountProfile", lineage_type (g, "CoreGenericAccount"));

  t = obj (g, "ValueType", NULL);
  field (t, "value", NN (g, T (g, "String")));
  token = obj (g, "InfrahubAccountTokenType", NULL);
  field (token, "id", T (g, "String"));
  field (token, "token", T (g, "ValueType"));

  t = input (g, "InfrahubAccountTokenCreateInput");
  field (t, "name", T (g, "String"));
  field (t, "expiration", T (g, "String"));
  t = obj (g, "InfrahubAccountTokenCreate", NULL);
  field (t, "ok", T (g, "Boolean"));
  field (t, "object", token);
  f = bough_gql_type_add_field (g->mutation, "InfrahubAccountTokenCreate", t, NULL);
  bough_gql_args_add (f->args, "data", NN (g, T (g, "InfrahubAccountTokenCreateInput")), NULL, NULL);

  t = input (g, "InfrahubAccountTokenDeleteInput");
  field (t, "id", T (g, "String"));
  t = obj (g, "InfrahubAccountTokenDelete", NULL);
  field (t, "ok", T (g, "Boolean"));
  f = bough_gql_type_add_field (g->mutation, "InfrahubAccountTokenDelete", t, NULL);
  bough_gql_args_add (f->args, "data", NN (g, T (g, "InfrahubAccountTokenDeleteInput")), NULL, NULL);

  t = input (g, "InfrahubAccountUpdateSelfInput");
  field (t, "password", T (g, "String"));
  field (t, "description", T (g, "String"));
  t = obj (g, "InfrahubAccountSelfUpdate", NULL);
  field (t, "ok", T (g, "Boolean"));
  f = bough_gql_type_add_field (g->mutation, "InfrahubAccountSelfUpdate", t, NULL);
  bough_gql_args_add (f->args, "data", NN (g, T (g, "InfrahubAccountUpdateSelfInput")), NULL, NULL);
}

static void
add_fixed_fields (Gen *g)
{
  BoughGqlType *t;
  BoughGqlField *f;

  t = obj (g, "Info", NULL);
  field (t, "deployment_id", NN (g, T (g, "String")));
  field (t, "version", NN (g, T (g, "String")));
  field (g->query, "InfrahubInfo", NN (g, t));

  t = obj (g, "StatusSummary", NULL);
  field (t, "schema_hash_synced", NN (g, T (g, "Boolean")));
  t = obj (g, "Status", NULL);
  field (t, "summary", NN (g, T (g, "StatusSummary")));
  field (g->query, "InfrahubStatus", NN (g, t));

  bough_gql_branch_add_types (g->gql, g->query, g->mutation);
  bough_gql_events_add_types (g->gql, g->query, g->subscription);

  t = obj (g, "SearchResult", NULL);
  field (t, "id", NN (g, T (g, "String")));
  field (t, "kind", NN (g, T (g, "String")));
  t = obj (g, "NodeEdge", NULL);
  field (t, "node", NN (g, T (g, "SearchResult")));
  t = obj (g, "NodeEdges", NULL);
  field (t, "count", NN (g, T (g, "Int")));
  field (t, "edges", NN (g, L (g, NN (g, T (g, "NodeEdge")))));
  f = bough_gql_type_add_field (g->query, "InfrahubSearchAnywhere", T (g, "NodeEdges"), NULL);
  bough_gql_args_add (f->args, "q", NN (g, T (g, "String")), NULL, NULL);
  bough_gql_args_add (f->args, "limit", T (g, "Int"), "10", NULL);
  bough_gql_args_add (f->args, "partial_match", T (g, "Boolean"), "true", NULL);

  /* relationship instances by identifier (reference §2.5) */
  t = obj (g, "RelationshipPeer", NULL);
  field (t, "id", NN (g, T (g, "String")));
  field (t, "kind", NN (g, T (g, "String")));
  t = obj (g, "RelationshipInstance", NULL);
  field (t, "id", NN (g, T (g, "String")));
  field (t, "identifier", NN (g, T (g, "String")));
  field (t, "peers", NN (g, L (g, NN (g, T (g, "RelationshipPeer")))));
  t = obj (g, "RelationshipNode", NULL);
  field (t, "node", NN (g, T (g, "RelationshipInstance")));
  t = obj (g, "Relationships", NULL);
  field (t, "count", NN (g, T (g, "Int")));
  field (t, "edges", NN (g, L (g, NN (g, T (g, "RelationshipNode")))));
  f = bough_gql_type_add_field (g->query, "Relationship", NN (g, t), NULL);
  bough_gql_args_add (f->args, "ids", NN (g, L (g, NN (g, T (g, "String")))), NULL, NULL);
  bough_gql_args_add (f->args, "limit", T (g, "Int"), NULL, NULL);
  bough_gql_args_add (f->args, "offset", T (g, "Int"), NULL, NULL);
  bough_gql_args_add (f->args, "excluded_namespaces", L (g, T (g, "String")), NULL, NULL);

  t = obj (g, "RelationshipAdd", NULL);
  field (t, "ok", T (g, "Boolean"));
  f = bough_gql_type_add_field (g->mutation, "RelationshipAdd", t, NULL);
  bough_gql_args_add (f->args, "data", NN (g, T (g, "RelationshipNodesInput")), NULL, NULL);
  bough_gql_args_add (f->args, "context", T (g, "ContextInput"), NULL, NULL);
  t = obj (g, "RelationshipRemove", NULL);
  field (t, "ok", T (g, "Boolean"));
  f = bough_gql_type_add_field (g->mutation, "RelationshipRemove", t, NULL);
  bough_gql_args_add (f->args, "data", NN (g, T (g, "RelationshipNodesInput")), NULL, NULL);
  bough_gql_args_add (f->args, "context", T (g, "ContextInput"), NULL, NULL);

  add_account_fields (g);

  /* The only subscription (reference §2.1): served over the graphql-ws
   * websocket, which re-runs the stored query every interval seconds. */
  f = bough_gql_type_add_field (g->subscription, "query", T (g, "GenericScalar"), NULL);
  bough_gql_args_add (f->args, "name", NN (g, T (g, "String")), NULL, NULL);
  bough_gql_args_add (f->args, "params", T (g, "GenericScalar"), NULL, NULL);
  bough_gql_args_add (f->args, "interval", T (g, "Int"), "10", NULL);
}

static void
collect_kinds (Gen *g)
{
  /* the schema's own arrays (transfer none) */
  GPtrArray *lists[4] = {
    bough_schema_get_generics (g->schema),
    bough_schema_get_nodes (g->schema),
    bough_schema_get_profiles (g->schema),
    bough_schema_get_templates (g->schema),
  };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      for (guint i = 0; lists[l] != NULL && i < lists[l]->len; i++)
        {
          BoughNodeSchema *ns = g_ptr_array_index (lists[l], i);

          if (bough_gql_kind_is_exposed (ns) && !g_ptr_array_find (g->kinds, ns, NULL))
            g_ptr_array_add (g->kinds, ns);
        }
    }
}

/* Names of the fixed types of the API and of GraphQL itself: no kind may
 * produce one of them. */
static const char *reserved_names[] = {
  "Query", "Mutation", "Subscription", "String", "Int", "Float", "Boolean", "ID", "DateTime",
  "BigInt", "GenericScalar", "OrderDirection", "InfrahubNodeMetadataOrder", "OrderByEntry", "OrderInput",
  "RelationshipProperty", "AttributeInterface", "TextAttribute", "NumberAttribute",
  "CheckboxAttribute", "Dropdown", "IPHost", "IPNetwork", "MacAddress", "ListAttribute",
  "JSONAttribute", "AnyAttribute", "TextAttributeCreate", "TextAttributeUpdate",
  "NumberAttributeCreate", "NumberAttributeUpdate", "CheckboxAttributeCreate",
  "CheckboxAttributeUpdate", "ListAttributeCreate", "ListAttributeUpdate",
  "JSONAttributeCreate", "JSONAttributeUpdate", "AnyAttributeCreate", "AnyAttributeUpdate",
  "GenericPoolInput", "RelatedNodeInput", "DeleteInput", "RelationshipNodesInput",
  "ContextAccountInput", "ContextInput", "Info", "StatusSummary", "Status", "SearchResult", "NodeEdge", "NodeEdges", "RelationshipAdd", "RelationshipRemove",
  "BranchRelativePermissionDecision", "ObjectPermission", "ObjectPermissionNode",
  "PaginatedObjectPermission", "AttributePermission", "InfrahubNodeMetadata",
  "InfrahubRelationshipMetadata", "RelationshipPeer", "RelationshipInstance", "RelationshipNode",
  "Relationships", "ValueType", "InfrahubAccountTokenType", "InfrahubAccountTokenCreateInput",
  "InfrahubAccountTokenCreate", "InfrahubAccountTokenDeleteInput", "InfrahubAccountTokenDelete",
  "InfrahubAccountUpdateSelfInput", "InfrahubAccountSelfUpdate",
  NULL
};

/* Every type name the kinds produce must be new: a clash would make two
 * types of one name. */
static gboolean
check_names (Gen     *g,
             GError **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char *prefixes[] = { "", "Paginated", "Edged", "NestedPaginated", "NestedEdged" };
  static const char *suffixes[] = { "Create", "Update", "Upsert", "Delete", "CreateInput",
                                    "UpdateInput", "UpsertInput" };

  for (guint i = 0; reserved_names[i] != NULL; i++)
    g_hash_table_add (names, g_strdup (reserved_names[i]));
  for (const char * const *n = bough_gql_branch_type_names (); *n != NULL; n++)
    g_hash_table_add (names, g_strdup (*n));
  for (const char * const *n = bough_gql_events_type_names (); *n != NULL; n++)
    g_hash_table_add (names, g_strdup (*n));
  for (guint i = 0; i < g->kinds->len; i++)
    {
      BoughNodeSchema *ns = g_ptr_array_index (g->kinds, i);

      for (guint j = 0; j < G_N_ELEMENTS (prefixes) + G_N_ELEMENTS (suffixes); j++)
        {
          g_autofree char *name = NULL;

          if (j >= G_N_ELEMENTS (prefixes) && ns->is_generic)
            break;
          if (j == 0 && g_str_equal (ns->kind, "CoreNode"))
            continue;
          name = j < G_N_ELEMENTS (prefixes)
                 ? g_strconcat (prefixes[j], ns->kind, NULL)
                 : g_strconcat (ns->kind, suffixes[j - G_N_ELEMENTS (prefixes)], NULL);
          if (g_str_has_prefix (name, "__") || !g_hash_table_add (names, g_steal_pointer (&name)))
            {
              g_autofree char *again = j < G_N_ELEMENTS (prefixes)
                                       ? g_strconcat (prefixes[j], ns->kind, NULL)
                                       : g_strconcat (ns->kind, suffixes[j - G_N_ELEMENTS (prefixes)], NULL);

              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_SCHEMA,
                           "Kind %s makes the GraphQL type %s, which another kind or the API already has",
                           ns->kind, again);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/**
 * bough_gql_generate:
 * @schema: a data schema
 * @error: return location for a #GError
 *
 * Builds the GraphQL schema of the data API for @schema (reference §2.2 to
 * §2.6): types and names are Infrahub's.
 *
 * Returns: (transfer full): a finished schema, or %NULL with @error set
 */
BoughGqlSchema *
bough_gql_generate (BoughSchema  *schema,
                    GError      **error)
{
  g_autoptr(BoughGqlSchema) gql = bough_gql_schema_new ();
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  Gen g = { schema, gql, NULL, NULL, kinds, NULL };

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g.query = obj (&g, "Query", NULL);
  g.mutation = obj (&g, "Mutation", NULL);
  g.subscription = obj (&g, "Subscription", NULL);
  bough_gql_schema_set_root_type (gql, BOUGH_GQL_QUERY, g.query);
  bough_gql_schema_set_root_type (gql, BOUGH_GQL_MUTATION, g.mutation);
  bough_gql_schema_set_root_type (gql, BOUGH_GQL_SUBSCRIPTION, g.subscription);

  collect_kinds (&g);
  if (!check_names (&g, error))
    return NULL;
  /* generics first, so nodes find their interfaces */
  for (guint i = 0; i < kinds->len; i++)
    declare_kind (&g, g_ptr_array_index (kinds, i));
  add_fixed_types (&g);
  for (guint i = 0; i < kinds->len; i++)
    fill_kind (&g, g_ptr_array_index (kinds, i));
  for (guint i = 0; i < kinds->len; i++)
    {
      BoughNodeSchema *ns = g_ptr_array_index (kinds, i);

      add_query_field (&g, ns);
      if (!ns->is_generic)
        add_mutations (&g, ns);
    }
  add_fixed_fields (&g);

  if (!bough_gql_schema_finish (gql, error))
    return NULL;
  return g_steal_pointer (&gql);
}
