/* bough-schema.c: the immutable schema snapshot: element lifetimes, lookup,
 * inheritance queries, the JSON form served by GET /api/schema, and hashes.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-schema"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-schema-private.h"

/* Element lifetimes */

BoughAttributeSchema *
_bough_attribute_schema_new (void)
{
  BoughAttributeSchema *attr = g_new0 (BoughAttributeSchema, 1);

  attr->kind = BOUGH_ATTRIBUTE_KIND_TEXT;
  attr->min_length = -1;
  attr->max_length = -1;
  attr->branch = BOUGH_BRANCH_SUPPORT_AWARE;
  attr->allow_override = TRUE;
  return attr;
}

BoughDropdownChoice *
_bough_dropdown_choice_copy (const BoughDropdownChoice *choice)
{
  BoughDropdownChoice *copy = g_new0 (BoughDropdownChoice, 1);

  copy->name = g_strdup (choice->name);
  copy->label = g_strdup (choice->label);
  copy->description = g_strdup (choice->description);
  copy->color = g_strdup (choice->color);
  return copy;
}

void
_bough_dropdown_choice_free (BoughDropdownChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->name);
  g_free (choice->label);
  g_free (choice->description);
  g_free (choice->color);
  g_free (choice);
}

BoughAttributeSchema *
_bough_attribute_schema_copy (const BoughAttributeSchema *attr)
{
  BoughAttributeSchema *copy = g_new0 (BoughAttributeSchema, 1);

  *copy = *attr;
  copy->id = g_strdup (attr->id);
  copy->name = g_strdup (attr->name);
  copy->label = g_strdup (attr->label);
  copy->description = g_strdup (attr->description);
  copy->default_value = attr->default_value ? json_node_copy (attr->default_value) : NULL;
  copy->regex = g_strdup (attr->regex);
  copy->compiled_regex = attr->compiled_regex ? g_regex_ref (attr->compiled_regex) : NULL;
  copy->enum_values = attr->enum_values ? json_array_ref (attr->enum_values) : NULL;
  copy->choices = NULL;
  if (attr->choices != NULL)
    {
      copy->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_dropdown_choice_free);
      for (guint i = 0; i < attr->choices->len; i++)
        g_ptr_array_add (copy->choices,
                         _bough_dropdown_choice_copy (g_ptr_array_index (attr->choices, i)));
    }
  copy->parameters = attr->parameters ? json_object_ref (attr->parameters) : NULL;
  copy->inherited_from = g_strdup (attr->inherited_from);
  copy->deprecation = g_strdup (attr->deprecation);
  copy->computed_attribute = attr->computed_attribute ? json_node_copy (attr->computed_attribute) : NULL;
  return copy;
}

void
_bough_attribute_schema_free (BoughAttributeSchema *attr)
{
  if (attr == NULL)
    return;
  g_free (attr->id);
  g_free (attr->name);
  g_free (attr->label);
  g_free (attr->description);
  g_clear_pointer (&attr->default_value, json_node_unref);
  g_free (attr->regex);
  g_clear_pointer (&attr->compiled_regex, g_regex_unref);
  g_clear_pointer (&attr->enum_values, json_array_unref);
  g_clear_pointer (&attr->choices, g_ptr_array_unref);
  g_clear_pointer (&attr->parameters, json_object_unref);
  g_free (attr->inherited_from);
  g_free (attr->deprecation);
  g_clear_pointer (&attr->computed_attribute, json_node_unref);
  g_free (attr);
}

BoughRelationshipSchema *
_bough_relationship_schema_new (void)
{
  BoughRelationshipSchema *rel = g_new0 (BoughRelationshipSchema, 1);

  rel->kind = BOUGH_RELATIONSHIP_KIND_GENERIC;
  rel->cardinality = BOUGH_CARDINALITY_MANY;
  rel->optional = TRUE;
  rel->direction = BOUGH_DIRECTION_BIDIRECTIONAL;
  rel->on_delete = BOUGH_ON_DELETE_NO_ACTION;
  rel->branch = BOUGH_BRANCH_SUPPORT_AWARE;
  rel->allow_override = TRUE;
  return rel;
}

BoughRelationshipSchema *
_bough_relationship_schema_copy (const BoughRelationshipSchema *rel)
{
  BoughRelationshipSchema *copy = g_new0 (BoughRelationshipSchema, 1);

  *copy = *rel;
  copy->id = g_strdup (rel->id);
  copy->name = g_strdup (rel->name);
  copy->peer = g_strdup (rel->peer);
  copy->identifier = g_strdup (rel->identifier);
  copy->label = g_strdup (rel->label);
  copy->description = g_strdup (rel->description);
  copy->inherited_from = g_strdup (rel->inherited_from);
  copy->deprecation = g_strdup (rel->deprecation);
  copy->common_parent = g_strdup (rel->common_parent);
  copy->common_relatives = g_strdupv (rel->common_relatives);
  return copy;
}

void
_bough_relationship_schema_free (BoughRelationshipSchema *rel)
{
  if (rel == NULL)
    return;
  g_free (rel->id);
  g_free (rel->name);
  g_free (rel->peer);
  g_free (rel->identifier);
  g_free (rel->label);
  g_free (rel->description);
  g_free (rel->inherited_from);
  g_free (rel->deprecation);
  g_free (rel->common_parent);
  g_strfreev (rel->common_relatives);
  g_free (rel);
}

BoughNodeSchema *
_bough_node_schema_new (gboolean is_generic)
{
  BoughNodeSchema *node = g_new0 (BoughNodeSchema, 1);

  node->is_generic = is_generic;
  node->include_in_menu = TRUE;
  node->branch = BOUGH_BRANCH_SUPPORT_AWARE;
  node->generate_profile = TRUE;
  node->uniqueness_constraints = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  node->inherit_from = g_new0 (char *, 1);
  node->attributes = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_attribute_schema_free);
  node->relationships = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_relationship_schema_free);
  return node;
}

BoughNodeSchema *
_bough_node_schema_copy (const BoughNodeSchema *node)
{
  BoughNodeSchema *copy = g_new0 (BoughNodeSchema, 1);

  *copy = *node;
  copy->id = g_strdup (node->id);
  copy->namespace_ = g_strdup (node->namespace_);
  copy->name = g_strdup (node->name);
  copy->kind = g_strdup (node->kind);
  copy->label = g_strdup (node->label);
  copy->description = g_strdup (node->description);
  copy->documentation = g_strdup (node->documentation);
  copy->icon = g_strdup (node->icon);
  copy->menu_placement = g_strdup (node->menu_placement);
  copy->human_friendly_id = g_strdupv (node->human_friendly_id);
  copy->default_filter = g_strdup (node->default_filter);
  copy->display_labels = g_strdupv (node->display_labels);
  copy->display_label = g_strdup (node->display_label);
  copy->order_by = g_strdupv (node->order_by);
  copy->uniqueness_constraints = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < node->uniqueness_constraints->len; i++)
    g_ptr_array_add (copy->uniqueness_constraints,
                     g_strdupv (g_ptr_array_index (node->uniqueness_constraints, i)));
  copy->inherit_from = g_strdupv (node->inherit_from);
  copy->hierarchy = g_strdup (node->hierarchy);
  copy->parent = g_strdup (node->parent);
  copy->children = g_strdup (node->children);
  copy->used_by = g_strdupv (node->used_by);
  copy->attributes = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_attribute_schema_free);
  for (guint i = 0; i < node->attributes->len; i++)
    g_ptr_array_add (copy->attributes,
                     _bough_attribute_schema_copy (g_ptr_array_index (node->attributes, i)));
  copy->relationships = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_relationship_schema_free);
  for (guint i = 0; i < node->relationships->len; i++)
    g_ptr_array_add (copy->relationships,
                     _bough_relationship_schema_copy (g_ptr_array_index (node->relationships, i)));
  copy->hash = g_strdup (node->hash);
  return copy;
}

void
_bough_node_schema_free (BoughNodeSchema *node)
{
  if (node == NULL)
    return;
  g_free (node->id);
  g_free (node->namespace_);
  g_free (node->name);
  g_free (node->kind);
  g_free (node->label);
  g_free (node->description);
  g_free (node->documentation);
  g_free (node->icon);
  g_free (node->menu_placement);
  g_strfreev (node->human_friendly_id);
  g_free (node->default_filter);
  g_strfreev (node->display_labels);
  g_free (node->display_label);
  g_strfreev (node->order_by);
  g_clear_pointer (&node->uniqueness_constraints, g_ptr_array_unref);
  g_strfreev (node->inherit_from);
  g_free (node->hierarchy);
  g_free (node->parent);
  g_free (node->children);
  g_strfreev (node->used_by);
  g_clear_pointer (&node->attributes, g_ptr_array_unref);
  g_clear_pointer (&node->relationships, g_ptr_array_unref);
  g_free (node->hash);
  g_free (node);
}

void
_bough_schema_problem_free (BoughSchemaProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->kind);
  g_free (problem->element);
  g_free (problem->message);
  g_free (problem);
}

/* Enum names (the strings of Infrahub's wire format) */

static const char *attribute_kind_names[] = {
  [BOUGH_ATTRIBUTE_KIND_ID] = "ID",
  [BOUGH_ATTRIBUTE_KIND_TEXT] = "Text",
  [BOUGH_ATTRIBUTE_KIND_TEXT_AREA] = "TextArea",
  [BOUGH_ATTRIBUTE_KIND_DATE_TIME] = "DateTime",
  [BOUGH_ATTRIBUTE_KIND_EMAIL] = "Email",
  [BOUGH_ATTRIBUTE_KIND_PASSWORD] = "Password",
  [BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD] = "HashedPassword",
  [BOUGH_ATTRIBUTE_KIND_URL] = "URL",
  [BOUGH_ATTRIBUTE_KIND_FILE] = "File",
  [BOUGH_ATTRIBUTE_KIND_MAC_ADDRESS] = "MacAddress",
  [BOUGH_ATTRIBUTE_KIND_COLOR] = "Color",
  [BOUGH_ATTRIBUTE_KIND_NUMBER] = "Number",
  [BOUGH_ATTRIBUTE_KIND_NUMBER_POOL] = "NumberPool",
  [BOUGH_ATTRIBUTE_KIND_BANDWIDTH] = "Bandwidth",
  [BOUGH_ATTRIBUTE_KIND_IP_HOST] = "IPHost",
  [BOUGH_ATTRIBUTE_KIND_IP_NETWORK] = "IPNetwork",
  [BOUGH_ATTRIBUTE_KIND_BOOLEAN] = "Boolean",
  [BOUGH_ATTRIBUTE_KIND_CHECKBOX] = "Checkbox",
  [BOUGH_ATTRIBUTE_KIND_DROPDOWN] = "Dropdown",
  [BOUGH_ATTRIBUTE_KIND_LIST] = "List",
  [BOUGH_ATTRIBUTE_KIND_JSON] = "JSON",
  [BOUGH_ATTRIBUTE_KIND_ANY] = "Any",
};

/**
 * bough_attribute_kind_to_string:
 * @kind: an attribute kind
 *
 * Returns: the name of @kind in schema files, e.g. "IPHost"
 */
const char *
bough_attribute_kind_to_string (BoughAttributeKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (attribute_kind_names), NULL);
  return attribute_kind_names[kind];
}

/**
 * bough_attribute_kind_from_string:
 * @str: a kind name such as "Text"
 * @kind: (out): the kind
 *
 * Returns: %TRUE if @str names an attribute kind
 */
gboolean
bough_attribute_kind_from_string (const char         *str,
                                  BoughAttributeKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (attribute_kind_names); i++)
    if (g_str_equal (str, attribute_kind_names[i]))
      {
        *kind = (BoughAttributeKind) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
enum_from_string (const char  *str,
                  const char **names,
                  guint        n_names,
                  int         *out)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (str, names[i]))
      {
        *out = (int) i;
        return TRUE;
      }
  return FALSE;
}

static const char *branch_names[] = { "aware", "agnostic", "local" };
static const char *cardinality_names[] = { "many", "one" };
static const char *rel_kind_names[] = {
  "Generic", "Attribute", "Component", "Parent", "Group", "Hierarchy", "Profile", "Template",
};
static const char *direction_names[] = { "bidirectional", "outbound", "inbound" };
static const char *on_delete_names[] = { "no-action", "cascade" };
static const char *field_display_names[] = { "default", "extra" };

#define DEFINE_ENUM_STRINGS(func, Type, names)                                 \
  const char *                                                                 \
  _bough_##func##_to_string (Type value)                                       \
  {                                                                            \
    g_assert ((guint) value < G_N_ELEMENTS (names));                           \
    return names[value];                                                       \
  }                                                                            \
  gboolean                                                                     \
  _bough_##func##_from_string (const char *str,                                \
                               Type       *out)                                \
  {                                                                            \
    int v;                                                                     \
    if (!enum_from_string (str, names, G_N_ELEMENTS (names), &v))              \
      return FALSE;                                                            \
    *out = (Type) v;                                                           \
    return TRUE;                                                               \
  }

DEFINE_ENUM_STRINGS (branch_support, BoughBranchSupport, branch_names)
DEFINE_ENUM_STRINGS (cardinality, BoughCardinality, cardinality_names)
DEFINE_ENUM_STRINGS (relationship_kind, BoughRelationshipKind, rel_kind_names)
DEFINE_ENUM_STRINGS (direction, BoughDirection, direction_names)
DEFINE_ENUM_STRINGS (on_delete, BoughOnDelete, on_delete_names)
DEFINE_ENUM_STRINGS (field_display, BoughFieldDisplay, field_display_names)

/* Ids and hashes */

char *
_bough_schema_make_id (const char *kind,
                       const char *element_type,
                       const char *name)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  /* Deterministic ids (name-based, UUID version 5 layout) so that loading the
   * same files twice yields the same snapshot and the same hash. */
  g_checksum_update (sum, (const guchar *) "bough-schema-id", -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) kind, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) (element_type ? element_type : ""), -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
  g_checksum_update (sum, (const guchar *) (name ? name : ""), -1);
  g_checksum_get_digest (sum, digest, &len);

  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static JsonNode *
canonical_copy (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *src = json_node_get_object (node);
        g_autoptr(JsonObject) obj = json_object_new ();
        g_autoptr(GList) members = json_object_get_members (src);

        members = g_list_sort (members, (GCompareFunc) strcmp);
        for (GList *l = members; l != NULL; l = l->next)
          json_object_set_member (obj, l->data,
                                  canonical_copy (json_object_get_member (src, l->data)));
        return json_node_init_object (json_node_alloc (), obj);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *src = json_node_get_array (node);
        g_autoptr(JsonArray) arr = json_array_sized_new (json_array_get_length (src));

        for (guint i = 0; i < json_array_get_length (src); i++)
          json_array_add_element (arr, canonical_copy (json_array_get_element (src, i)));
        return json_node_init_array (json_node_alloc (), arr);
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

char *
_bough_json_canonical (JsonNode *node)
{
  g_autoptr(JsonNode) copy = canonical_copy (node);

  return json_to_string (copy, FALSE);
}

/* JSON form */

static JsonNode *
strv_node (char **strv)
{
  g_autoptr(JsonArray) arr = NULL;

  if (strv == NULL)
    return json_node_init_null (json_node_alloc ());
  arr = json_array_new ();
  for (guint i = 0; strv[i] != NULL; i++)
    json_array_add_string_element (arr, strv[i]);
  return json_node_init_array (json_node_alloc (), arr);
}

static void
set_string_or_null (JsonObject *obj,
                    const char *member,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, member, value);
  else
    json_object_set_null_member (obj, member);
}

static void
set_int_or_null (JsonObject *obj,
                 const char *member,
                 gint64      value)
{
  if (value >= 0)
    json_object_set_int_member (obj, member, value);
  else
    json_object_set_null_member (obj, member);
}

static void
ensure_member (JsonObject *obj,
               const char *member,
               JsonNode   *value)
{
  if (!json_object_has_member (obj, member))
    json_object_set_member (obj, member, value);
  else
    json_node_unref (value);
}

static JsonNode *
int_or_null_node (gint64 value)
{
  return value >= 0 ? json_node_init_int (json_node_alloc (),
                                          value) : json_node_init_null (json_node_alloc ());
}

/* Newer Infrahub always gives an object with the parameters of the kind
 * (unset ones null), Text-like legacy fields folded in. */
static JsonObject *
parameters_to_json (const BoughAttributeSchema *attr)
{
  JsonObject *params = json_object_new ();

  if (attr->parameters != NULL)
    {
      /* In member order: JsonObjectIter follows the hash table. */
      g_autoptr(GList) members = json_object_get_members (attr->parameters);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (params, l->data,
                                json_node_copy (json_object_get_member (attr->parameters,
                                                                        l->data)));
    }

  switch (attr->kind)
    {
    case BOUGH_ATTRIBUTE_KIND_TEXT:
    case BOUGH_ATTRIBUTE_KIND_TEXT_AREA:
      ensure_member (params, "regex",
                     attr->regex ? json_node_init_string (json_node_alloc (), attr->regex)
                                                  : json_node_init_null (json_node_alloc ()));
      ensure_member (params, "min_length", int_or_null_node (attr->min_length));
      ensure_member (params, "max_length", int_or_null_node (attr->max_length));
      break;
    case BOUGH_ATTRIBUTE_KIND_NUMBER:
      ensure_member (params, "min_value", json_node_init_null (json_node_alloc ()));
      ensure_member (params, "max_value", json_node_init_null (json_node_alloc ()));
      ensure_member (params, "excluded_values", json_node_init_null (json_node_alloc ()));
      break;
    default:
      break;
    }
  return params;
}

JsonNode *
_bough_attribute_schema_to_json (const BoughAttributeSchema *attr)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  set_string_or_null (obj, "id", attr->id);
  json_object_set_string_member (obj, "state", "present");
  json_object_set_string_member (obj, "name", attr->name);
  json_object_set_string_member (obj, "kind", bough_attribute_kind_to_string (attr->kind));
  if (attr->enum_values != NULL)
    json_object_set_array_member (obj, "enum", json_array_ref (attr->enum_values));
  else
    json_object_set_null_member (obj, "enum");
  if (attr->computed_attribute != NULL)
    json_object_set_member (obj, "computed_attribute", json_node_copy (attr->computed_attribute));
  else
    json_object_set_null_member (obj, "computed_attribute");
  if (attr->choices != NULL)
    {
      JsonArray *arr = json_array_new ();

      for (guint i = 0; i < attr->choices->len; i++)
        {
          BoughDropdownChoice *choice = g_ptr_array_index (attr->choices, i);
          JsonObject *c = json_object_new ();

          json_object_set_string_member (c, "name", choice->name);
          set_string_or_null (c, "label", choice->label);
          set_string_or_null (c, "description", choice->description);
          set_string_or_null (c, "color", choice->color);
          json_array_add_object_element (arr, c);
        }
      json_object_set_array_member (obj, "choices", arr);
    }
  else
    json_object_set_null_member (obj, "choices");
  set_string_or_null (obj, "regex", attr->regex);
  set_int_or_null (obj, "max_length", attr->max_length);
  set_int_or_null (obj, "min_length", attr->min_length);
  set_string_or_null (obj, "label", attr->label);
  set_string_or_null (obj, "description", attr->description);
  json_object_set_boolean_member (obj, "read_only", attr->read_only);
  json_object_set_boolean_member (obj, "unique", attr->unique);
  json_object_set_boolean_member (obj, "optional", attr->optional);
  json_object_set_string_member (obj, "branch", _bough_branch_support_to_string (attr->branch));
  json_object_set_int_member (obj, "order_weight", attr->order_weight);
  if (attr->default_value != NULL)
    json_object_set_member (obj, "default_value", json_node_copy (attr->default_value));
  else
    json_object_set_null_member (obj, "default_value");
  json_object_set_boolean_member (obj, "inherited", attr->inherited_from != NULL);
  json_object_set_string_member (obj, "allow_override", attr->allow_override ? "any" : "none");
  json_object_set_object_member (obj, "parameters", parameters_to_json (attr));
  set_string_or_null (obj, "deprecation", attr->deprecation);
  json_object_set_string_member (obj, "display", _bough_field_display_to_string (attr->display));

  return json_node_init_object (json_node_alloc (), obj);
}

JsonNode *
_bough_relationship_schema_to_json (const BoughRelationshipSchema *rel,
                                    const BoughNodeSchema         *owner)
{
  g_autoptr(JsonObject) obj = json_object_new ();

  set_string_or_null (obj, "id", rel->id);
  json_object_set_string_member (obj, "state", "present");
  json_object_set_string_member (obj, "name", rel->name);
  json_object_set_string_member (obj, "peer", rel->peer);
  json_object_set_string_member (obj, "kind", _bough_relationship_kind_to_string (rel->kind));
  set_string_or_null (obj, "label", rel->label);
  set_string_or_null (obj, "description", rel->description);
  set_string_or_null (obj, "identifier", rel->identifier);
  json_object_set_string_member (obj, "cardinality",
                                 _bough_cardinality_to_string (rel->cardinality));
  json_object_set_int_member (obj, "min_count", rel->min_count);
  json_object_set_int_member (obj, "max_count", rel->max_count);
  set_string_or_null (obj, "common_parent", rel->common_parent);
  json_object_set_member (obj, "common_relatives", strv_node (rel->common_relatives));
  json_object_set_int_member (obj, "order_weight", rel->order_weight);
  json_object_set_boolean_member (obj, "optional", rel->optional);
  json_object_set_string_member (obj, "branch", _bough_branch_support_to_string (rel->branch));
  json_object_set_boolean_member (obj, "inherited", rel->inherited_from != NULL);
  json_object_set_string_member (obj, "direction", _bough_direction_to_string (rel->direction));
  /* Infrahub gives the kind of the tree's generic here, not a boolean. */
  if (rel->hierarchical)
    {
      const char *tree = NULL;

      if (owner != NULL)
        tree = owner->is_generic ? owner->kind : owner->hierarchy;
      set_string_or_null (obj, "hierarchical", tree ? tree : rel->peer);
    }
  else
    json_object_set_null_member (obj, "hierarchical");
  json_object_set_string_member (obj, "on_delete", _bough_on_delete_to_string (rel->on_delete));
  json_object_set_string_member (obj, "allow_override", rel->allow_override ? "any" : "none");
  json_object_set_boolean_member (obj, "read_only", rel->read_only);
  set_string_or_null (obj, "deprecation", rel->deprecation);
  json_object_set_string_member (obj, "display", _bough_field_display_to_string (rel->display));

  return json_node_init_object (json_node_alloc (), obj);
}

static JsonNode *
node_to_json_internal (const BoughNodeSchema *node,
                       gboolean               with_hash)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  JsonArray *arr;

  set_string_or_null (obj, "id", node->id);
  json_object_set_string_member (obj, "state", "present");
  json_object_set_string_member (obj, "name", node->name);
  json_object_set_string_member (obj, "namespace", node->namespace_);
  set_string_or_null (obj, "description", node->description);
  set_string_or_null (obj, "label", node->label);
  json_object_set_string_member (obj, "branch", _bough_branch_support_to_string (node->branch));
  set_string_or_null (obj, "default_filter", node->default_filter);
  json_object_set_member (obj, "human_friendly_id", strv_node (node->human_friendly_id));
  set_string_or_null (obj, "display_label", node->display_label);
  json_object_set_member (obj, "display_labels", strv_node (node->display_labels));
  json_object_set_boolean_member (obj, "include_in_menu", node->include_in_menu);
  set_string_or_null (obj, "menu_placement", node->menu_placement);
  set_string_or_null (obj, "icon", node->icon);
  json_object_set_member (obj, "order_by", strv_node (node->order_by));
  if (node->uniqueness_constraints->len > 0)
    {
      arr = json_array_new ();
      for (guint i = 0; i < node->uniqueness_constraints->len; i++)
        json_array_add_element (arr,
                                strv_node (g_ptr_array_index (node->uniqueness_constraints, i)));
      json_object_set_array_member (obj, "uniqueness_constraints", arr);
    }
  else
    json_object_set_null_member (obj, "uniqueness_constraints");
  set_string_or_null (obj, "documentation", node->documentation);

  if (node->is_generic)
    {
      json_object_set_boolean_member (obj, "hierarchical", node->hierarchical);
      json_object_set_boolean_member (obj, "generate_profile", node->generate_profile);
      json_object_set_boolean_member (obj, "generate_template", node->generate_template);
      json_object_set_member (obj, "used_by", strv_node (node->used_by));
    }
  else
    {
      json_object_set_member (obj, "inherit_from", strv_node (node->inherit_from));
      if (!node->is_profile && !node->is_template)
        {
          json_object_set_boolean_member (obj, "generate_profile", node->generate_profile);
          json_object_set_boolean_member (obj, "generate_template", node->generate_template);
          set_string_or_null (obj, "hierarchy", node->hierarchy);
          set_string_or_null (obj, "parent", node->parent);
          set_string_or_null (obj, "children", node->children);
        }
    }

  arr = json_array_new ();
  for (guint i = 0; i < node->attributes->len; i++)
    json_array_add_element (arr,
                            _bough_attribute_schema_to_json (g_ptr_array_index (node->attributes,
                                                                                i)));
  json_object_set_array_member (obj, "attributes", arr);

  arr = json_array_new ();
  for (guint i = 0; i < node->relationships->len; i++)
    json_array_add_element (arr,
                            _bough_relationship_schema_to_json (g_ptr_array_index (node->relationships, i),
                                                                     node));
  json_object_set_array_member (obj, "relationships", arr);

  json_object_set_string_member (obj, "kind", node->kind);
  if (with_hash)
    set_string_or_null (obj, "hash", node->hash);

  return json_node_init_object (json_node_alloc (), obj);
}

/**
 * bough_node_schema_to_json:
 * @node: a node, generic or profile schema of a snapshot
 *
 * Returns the element in the shape of Infrahub's `GET /api/schema`.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
bough_node_schema_to_json (BoughNodeSchema *node)
{
  g_return_val_if_fail (node != NULL, NULL);
  return node_to_json_internal (node, TRUE);
}

static char *
compute_node_hash (const BoughNodeSchema *node)
{
  g_autoptr(JsonNode) json = node_to_json_internal (node, FALSE);
  g_autofree char *text = _bough_json_canonical (json);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* Snapshots */

static int
compare_by_kind (gconstpointer a,
                 gconstpointer b)
{
  const BoughNodeSchema *na = *(BoughNodeSchema * const *) a;
  const BoughNodeSchema *nb = *(BoughNodeSchema * const *) b;

  return strcmp (na->kind, nb->kind);
}

BoughSchema *
_bough_schema_new_take (GPtrArray *elements)
{
  BoughSchema *self = g_new0 (BoughSchema, 1);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) all = NULL;

  g_atomic_ref_count_init (&self->ref_count);
  self->by_kind = g_hash_table_new (g_str_hash, g_str_equal);
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_node_schema_free);
  self->generics = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_node_schema_free);
  self->profiles = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_node_schema_free);
  self->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) _bough_node_schema_free);

  for (guint i = 0; i < elements->len; i++)
    {
      BoughNodeSchema *node = g_ptr_array_index (elements, i);

      g_assert (!g_hash_table_contains (self->by_kind, node->kind));
      g_free (node->hash);
      node->hash = compute_node_hash (node);
      g_hash_table_insert (self->by_kind, node->kind, node);
      if (node->is_generic)
        g_ptr_array_add (self->generics, node);
      else if (node->is_profile)
        g_ptr_array_add (self->profiles, node);
      else if (node->is_template)
        g_ptr_array_add (self->templates, node);
      else
        g_ptr_array_add (self->nodes, node);
    }
  /* Ownership moved to the three arrays. */
  g_ptr_array_set_free_func (elements, NULL);

  g_ptr_array_sort (self->nodes, compare_by_kind);
  g_ptr_array_sort (self->generics, compare_by_kind);
  g_ptr_array_sort (self->profiles, compare_by_kind);
  g_ptr_array_sort (self->templates, compare_by_kind);

  all = g_ptr_array_new ();
  g_ptr_array_extend (all, self->nodes, NULL, NULL);
  g_ptr_array_extend (all, self->generics, NULL, NULL);
  g_ptr_array_extend (all, self->profiles, NULL, NULL);
  g_ptr_array_extend (all, self->templates, NULL, NULL);
  g_ptr_array_sort (all, compare_by_kind);
  for (guint i = 0; i < all->len; i++)
    {
      BoughNodeSchema *node = g_ptr_array_index (all, i);

      g_checksum_update (sum, (const guchar *) node->kind, -1);
      g_checksum_update (sum, (const guchar *) ":", 1);
      g_checksum_update (sum, (const guchar *) node->hash, -1);
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  self->hash = g_strdup (g_checksum_get_string (sum));

  return self;
}

/**
 * bough_schema_ref:
 * @self: a schema snapshot
 *
 * Returns: (transfer full): @self
 */
BoughSchema *
bough_schema_ref (BoughSchema *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * bough_schema_unref:
 * @self: (transfer full): a schema snapshot
 *
 * Drops a reference; the last one frees the snapshot.
 */
void
bough_schema_unref (BoughSchema *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_hash_table_unref (self->by_kind);
  g_ptr_array_unref (self->nodes);
  g_ptr_array_unref (self->generics);
  g_ptr_array_unref (self->profiles);
  g_ptr_array_unref (self->templates);
  g_free (self->hash);
  g_free (self);
}

/**
 * bough_schema_get_hash:
 * @self: a schema snapshot
 *
 * The hash covers every node, generic and profile (SHA-256 over the sorted
 * kinds and element hashes; each element hash is the SHA-256 of its canonical
 * JSON form).
 *
 * Returns: the hex SHA-256 of the whole snapshot
 */
const char *
bough_schema_get_hash (BoughSchema *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->hash;
}

/**
 * bough_schema_lookup:
 * @self: a schema snapshot
 * @kind: a node, generic or profile kind
 *
 * Returns: (transfer none) (nullable): the element, or %NULL if unknown
 */
BoughNodeSchema *
bough_schema_lookup (BoughSchema *self,
                     const char  *kind)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  return g_hash_table_lookup (self->by_kind, kind);
}

/**
 * bough_schema_get_nodes:
 * @self: a schema snapshot
 *
 * Returns: (transfer none) (element-type BoughNodeSchema): the nodes sorted by kind
 */
GPtrArray *
bough_schema_get_nodes (BoughSchema *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->nodes;
}

/**
 * bough_schema_get_generics:
 * @self: a schema snapshot
 *
 * Returns: (transfer none) (element-type BoughNodeSchema): the generics sorted by kind
 */
GPtrArray *
bough_schema_get_generics (BoughSchema *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->generics;
}

/**
 * bough_schema_get_profiles:
 * @self: a schema snapshot
 *
 * The generated `Profile<Kind>` nodes (only present when the snapshot has
 * the `CoreProfile` generic).
 *
 * Returns: (transfer none) (element-type BoughNodeSchema): the profiles sorted by kind
 */
GPtrArray *
bough_schema_get_profiles (BoughSchema *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->profiles;
}

/**
 * bough_schema_get_templates:
 * @self: a schema snapshot
 *
 * The generated `Template<Kind>` nodes of object templates (only present
 * when the snapshot has `CoreObjectTemplate`). Templates of generics are
 * generics and listed by bough_schema_get_generics(), with `is_template` set.
 *
 * Returns: (transfer none) (element-type BoughNodeSchema): the node templates sorted by kind
 */
GPtrArray *
bough_schema_get_templates (BoughSchema *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->templates;
}

/**
 * bough_schema_is_a:
 * @self: a schema snapshot
 * @kind: a kind
 * @kind_or_generic: another kind
 *
 * Returns: %TRUE if @kind is @kind_or_generic or inherits it
 */
gboolean
bough_schema_is_a (BoughSchema *self,
                   const char  *kind,
                   const char  *kind_or_generic)
{
  BoughNodeSchema *node;
  BoughNodeSchema *generic;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (kind_or_generic != NULL, FALSE);

  node = g_hash_table_lookup (self->by_kind, kind);
  if (node == NULL)
    return FALSE;
  if (g_str_equal (kind, kind_or_generic))
    return TRUE;
  if (!node->is_generic &&
      g_strv_contains ((const char * const *) node->inherit_from, kind_or_generic))
    return TRUE;
  generic = g_hash_table_lookup (self->by_kind, kind_or_generic);
  if (generic != NULL && generic->is_generic && generic->used_by != NULL)
    return g_strv_contains ((const char * const *) generic->used_by, kind);
  return FALSE;
}

/**
 * bough_schema_get_implementors:
 * @self: a schema snapshot
 * @kind_or_generic: a node or generic kind
 *
 * Returns: (transfer container) (element-type BoughNodeSchema): the node
 *   itself, or the nodes (and profiles) that inherit the generic, sorted by
 *   kind; empty when the kind is unknown
 */
GPtrArray *
bough_schema_get_implementors (BoughSchema *self,
                               const char  *kind_or_generic)
{
  GPtrArray *result;
  BoughNodeSchema *node;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kind_or_generic != NULL, NULL);

  result = g_ptr_array_new ();
  node = g_hash_table_lookup (self->by_kind, kind_or_generic);
  if (node == NULL)
    return result;
  if (!node->is_generic)
    {
      g_ptr_array_add (result, node);
      return result;
    }
  for (guint i = 0; node->used_by != NULL && node->used_by[i] != NULL; i++)
    {
      BoughNodeSchema *impl = g_hash_table_lookup (self->by_kind, node->used_by[i]);

      if (impl != NULL && !impl->is_generic)
        g_ptr_array_add (result, impl);
    }
  g_ptr_array_sort (result, compare_by_kind);
  return result;
}

/**
 * bough_schema_to_json:
 * @self: a schema snapshot
 *
 * Returns the snapshot as `{"main": hash, "nodes": [...], "generics": [...],
 * "profiles": [...], "templates": [...]}`, each element as bough_node_schema_to_json() gives it.
 * bough_schema_new_from_json() reads it back.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
bough_schema_to_json (BoughSchema *self)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  GPtrArray *lists[] = { self ? self->nodes : NULL, self ? self->generics : NULL,
                         self ? self->profiles : NULL, self ? self->templates : NULL };
  const char *names[] = { "nodes", "generics", "profiles", "templates" };

  g_return_val_if_fail (self != NULL, NULL);

  json_object_set_string_member (obj, "main", self->hash);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *arr = json_array_new ();

      for (guint i = 0; i < lists[l]->len; i++)
        json_array_add_element (arr, bough_node_schema_to_json (g_ptr_array_index (lists[l], i)));
      json_object_set_array_member (obj, names[l], arr);
    }
  return json_node_init_object (json_node_alloc (), obj);
}

/**
 * bough_node_schema_get_attribute:
 * @node: a node schema
 * @name: an attribute name
 *
 * Returns: (transfer none) (nullable): the attribute, or %NULL
 */
BoughAttributeSchema *
bough_node_schema_get_attribute (BoughNodeSchema *node,
                                 const char      *name)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < node->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);

      if (g_str_equal (attr->name, name))
        return attr;
    }
  return NULL;
}

/* The property of @attr an order may name (interned), %NULL for none. */
static const char *
order_property (BoughAttributeSchema *attr,
                const char           *prop)
{
  static const char *ip[] = { "version", "binary_address", "prefixlen" };

  if (g_str_equal (prop, "value"))
    return "value";
  if (attr->kind != BOUGH_ATTRIBUTE_KIND_IP_HOST && attr->kind != BOUGH_ATTRIBUTE_KIND_IP_NETWORK)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (ip); i++)
    if (g_str_equal (prop, ip[i]) && (i < 2 || attr->kind == BOUGH_ATTRIBUTE_KIND_IP_NETWORK))
      return ip[i];
  return NULL;
}

/**
 * bough_node_schema_parse_order:
 * @node: a node or generic schema
 * @entry: one entry of an order, e.g. `name__value`, `name__value__desc`,
 *   `site__name__value`, `node_metadata__created_at__desc`
 * @lookup: (scope call): finds the peer of a relationship
 * @user_data: data for @lookup
 * @out: (out caller-allocates): the parsed entry
 * @error: return location for a #GError
 *
 * Parses one entry of an order (a schema's `order_by` or a query's order):
 * `ATTRIBUTE__value`, `RELATIONSHIP__ATTRIBUTE__value` through a
 * relationship of cardinality one, `node_metadata__created_at` or
 * `node_metadata__updated_at`, each optionally followed by `__asc` or
 * `__desc`. An IP attribute (IPHost, IPNetwork) also sorts by `version`
 * and `binary_address`, an IPNetwork by `prefixlen`. This is exactly what
 * the store can sort by.
 *
 * Returns: %TRUE when @entry is a valid order of @node
 */
gboolean
bough_node_schema_parse_order (BoughNodeSchema           *node,
                               const char                *entry,
                               BoughNodeSchemaLookupFunc  lookup,
                               gpointer                   user_data,
                               BoughOrderKey             *out,
                               GError                   **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *path = NULL;
  guint n;
  BoughAttributeSchema *attr;
  BoughRelationshipSchema *rel;
  BoughNodeSchema *peer;

  g_return_val_if_fail (node != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (out, 0, sizeof *out);
  parts = g_strsplit (entry, "__", -1);
  n = g_strv_length (parts);
  if (n > 1 && (g_str_equal (parts[n - 1], "asc") || g_str_equal (parts[n - 1], "desc")))
    {
      out->descending = g_str_equal (parts[n - 1], "desc");
      g_clear_pointer (&parts[n - 1], g_free);
      n--;
    }
  /* the messages name the path, without its direction */
  path = g_strjoinv ("__", parts);
  entry = path;
  if (n == 0 || *parts[0] == '\0')
    goto bad;
  if (g_str_equal (parts[0], "node_metadata") &&
      bough_node_schema_get_attribute (node, parts[0]) == NULL &&
      bough_node_schema_get_relationship (node, parts[0]) == NULL)
    {
      if (n == 2 && g_str_equal (parts[1], "created_at"))
        out->target = BOUGH_ORDER_CREATED_AT;
      else if (n == 2 && g_str_equal (parts[1], "updated_at"))
        out->target = BOUGH_ORDER_UPDATED_AT;
      else
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                       "Cannot order %s by “%s”: node_metadata orders are "
                       "node_metadata__created_at and node_metadata__updated_at",
                       node->kind, entry);
          return FALSE;
        }
      return TRUE;
    }
  attr = bough_node_schema_get_attribute (node, parts[0]);
  if (attr != NULL)
    {
      if (n != 2 || (out->property = order_property (attr, parts[1])) == NULL)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                       "Cannot order %s by “%s”: an attribute orders by its value (%s__value)",
                       node->kind, entry, parts[0]);
          return FALSE;
        }
      out->target = BOUGH_ORDER_VALUE;
      out->attribute = attr;
      return TRUE;
    }
  rel = bough_node_schema_get_relationship (node, parts[0]);
  if (rel == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "Cannot order %s by “%s”: no attribute or relationship “%s”",
                   node->kind, entry, parts[0]);
      return FALSE;
    }
  if (rel->cardinality != BOUGH_CARDINALITY_ONE)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "Cannot order %s by “%s”: relationship %s has cardinality many",
                   node->kind, entry, rel->name);
      return FALSE;
    }
  if (n != 3)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "Cannot order %s by “%s”: a relationship orders by one attribute value of "
                   "its peer (%s__ATTRIBUTE__value)",
                   node->kind, entry, rel->name);
      return FALSE;
    }
  peer = lookup != NULL ? lookup (rel->peer, user_data) : NULL;
  attr = peer != NULL ? bough_node_schema_get_attribute (peer, parts[1]) : NULL;
  if (attr == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "Cannot order %s by “%s”: peer %s has no attribute '%s'",
                   node->kind, entry, rel->peer, parts[1]);
      return FALSE;
    }
  if ((out->property = order_property (attr, parts[2])) == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "Cannot order %s by “%s”: an attribute orders by its value (%s__%s__value)",
                   node->kind, entry, rel->name, parts[1]);
      return FALSE;
    }
  out->target = BOUGH_ORDER_PEER_VALUE;
  out->relationship = rel;
  out->attribute = attr;
  return TRUE;

bad:
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Cannot order %s by “%s”",
               node->kind, entry);
  return FALSE;
}

/**
 * bough_node_schema_get_relationship:
 * @node: a node schema
 * @name: a relationship name
 *
 * Returns: (transfer none) (nullable): the relationship, or %NULL
 */
BoughRelationshipSchema *
bough_node_schema_get_relationship (BoughNodeSchema *node,
                                    const char      *name)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < node->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);

      if (g_str_equal (rel->name, name))
        return rel;
    }
  return NULL;
}
