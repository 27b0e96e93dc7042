/* bough-schema-diff.c: compares two snapshots element by element and
 * classifies each change by the update rules of Infrahub (reference §1.6).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-schema"

#include "config.h"

#include <string.h>

#include "bough-schema-private.h"

typedef struct
{
  const char      *property;
  BoughSchemaRule  rule;
} RuleEntry;

/* Properties not listed are "allowed". Attribute kind follows newer
 * Infrahub (migration_required: values are converted) rather than 1.0. */
static const RuleEntry node_rules[] = {
  { "name", BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED },
  { "namespace", BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED },
  { "branch", BOUGH_SCHEMA_RULE_NOT_SUPPORTED },
  { "uniqueness_constraints", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "inherit_from", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "generate_profile", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "hierarchy", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "parent", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "children", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "hierarchical", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
};

static const RuleEntry attribute_rules[] = {
  { "name", BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED },
  { "kind", BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED },
  { "enum", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "choices", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "regex", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "min_length", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "max_length", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "unique", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "optional", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "parameters", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "branch", BOUGH_SCHEMA_RULE_NOT_SUPPORTED },
  /* Where clients show the field: no stored data depends on it. */
  { "display", BOUGH_SCHEMA_RULE_ALLOWED },
};

static const RuleEntry relationship_rules[] = {
  { "peer", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "cardinality", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "min_count", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "max_count", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "optional", BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT },
  { "branch", BOUGH_SCHEMA_RULE_NOT_SUPPORTED },
  { "direction", BOUGH_SCHEMA_RULE_NOT_SUPPORTED },
  { "hierarchical", BOUGH_SCHEMA_RULE_NOT_SUPPORTED },
  { "display", BOUGH_SCHEMA_RULE_ALLOWED },
};

/* Computed or bookkeeping members that are not schema properties. */
static const char *ignored_node_members[] = {
  "id", "state", "hash", "used_by", "attributes", "relationships", "kind", NULL,
};
static const char *ignored_field_members[] = {
  "id", "state", "inherited", NULL,
};

static BoughSchemaRule
lookup_rule (const RuleEntry *rules,
             guint            n_rules,
             const char      *property)
{
  for (guint i = 0; i < n_rules; i++)
    if (g_str_equal (rules[i].property, property))
      return rules[i].rule;
  return BOUGH_SCHEMA_RULE_ALLOWED;
}

/**
 * bough_schema_change_free:
 * @change: (transfer full): a change
 *
 * Frees a change returned by bough_schema_diff().
 */
void
bough_schema_change_free (BoughSchemaChange *change)
{
  if (change == NULL)
    return;
  g_free (change->kind);
  g_free (change->element);
  g_free (change->element_type);
  g_free (change->property);
  g_clear_pointer (&change->old_value, json_node_unref);
  g_clear_pointer (&change->new_value, json_node_unref);
  g_free (change);
}

static BoughSchemaChange *
add_change (GPtrArray               *changes,
            const char              *kind,
            const char              *element,
            const char              *element_type,
            const char              *property,
            BoughSchemaChangeAction  action,
            BoughSchemaRule          rule,
            JsonNode                *old_value,
            JsonNode                *new_value)
{
  BoughSchemaChange *change = g_new0 (BoughSchemaChange, 1);

  change->kind = g_strdup (kind);
  change->element = g_strdup (element);
  change->element_type = g_strdup (element_type);
  change->property = g_strdup (property);
  change->action = action;
  change->rule = rule;
  change->old_value = old_value ? json_node_copy (old_value) : NULL;
  change->new_value = new_value ? json_node_copy (new_value) : NULL;
  g_ptr_array_add (changes, change);
  return change;
}

/* Compares the members of two JSON objects, one change per property. */
static void
diff_objects (GPtrArray       *changes,
              const char      *kind,
              const char      *element,
              const char      *element_type,
              JsonObject      *old_obj,
              JsonObject      *new_obj,
              const RuleEntry *rules,
              guint            n_rules)
{
  const char **ignored = g_str_equal (element_type, "attribute") || g_str_equal (element_type,
                                                                                 "relationship") ?
                         ignored_field_members : ignored_node_members;
  g_autoptr(GList) members = json_object_get_members (new_obj);
  g_autoptr(GList) old_members = json_object_get_members (old_obj);

  for (GList *l = old_members; l != NULL; l = l->next)
    if (!json_object_has_member (new_obj, l->data))
      members = g_list_append (members, l->data);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      JsonNode *o = json_object_get_member (old_obj, member);
      JsonNode *n = json_object_get_member (new_obj, member);

      if (g_strv_contains (ignored, member))
        continue;
      if (o != NULL && n != NULL && json_node_equal (o, n))
        continue;
      if (o == NULL && n != NULL && JSON_NODE_HOLDS_NULL (n))
        continue;
      if (n == NULL && o != NULL && JSON_NODE_HOLDS_NULL (o))
        continue;
      add_change (changes, kind, element, element_type, member, BOUGH_SCHEMA_CHANGE_CHANGED,
                  lookup_rule (rules, n_rules, member), o, n);
    }
}

static gpointer
find_match (GPtrArray  *items,
            const char *id,
            const char *name,
            gsize       id_offset,
            gsize       name_offset,
            GHashTable *used)
{
  if (id != NULL)
    for (guint i = 0; i < items->len; i++)
      {
        gpointer item = g_ptr_array_index (items, i);

        if (!g_hash_table_contains (used, item) &&
            g_strcmp0 (G_STRUCT_MEMBER (char *, item, id_offset), id) == 0)
          return item;
      }
  for (guint i = 0; i < items->len; i++)
    {
      gpointer item = g_ptr_array_index (items, i);

      if (!g_hash_table_contains (used, item) &&
          g_strcmp0 (G_STRUCT_MEMBER (char *, item, name_offset), name) == 0)
        return item;
    }
  return NULL;
}

static void
diff_attributes (GPtrArray       *changes,
                 BoughNodeSchema *old_node,
                 BoughNodeSchema *new_node)
{
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < new_node->attributes->len; i++)
    {
      BoughAttributeSchema *n = g_ptr_array_index (new_node->attributes, i);
      BoughAttributeSchema *o = find_match (old_node->attributes, n->id, n->name,
                                            G_STRUCT_OFFSET (BoughAttributeSchema, id),
                                            G_STRUCT_OFFSET (BoughAttributeSchema, name), used);

      if (o == NULL)
        {
          /* Existing nodes have no value for a new mandatory attribute
           * without default: the load must check there are none. */
          add_change (changes, new_node->kind, n->name, "attribute", NULL,
                      BOUGH_SCHEMA_CHANGE_ADDED,
                      (!n->optional && n->default_value == NULL) ?
                      BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT : BOUGH_SCHEMA_RULE_ALLOWED, NULL, NULL);
          continue;
        }
      g_hash_table_add (used, o);
      {
        g_autoptr(JsonNode) oj = _bough_attribute_schema_to_json (o);
        g_autoptr(JsonNode) nj = _bough_attribute_schema_to_json (n);

        diff_objects (changes, new_node->kind, n->name, "attribute", json_node_get_object (oj),
                      json_node_get_object (nj), attribute_rules, G_N_ELEMENTS (attribute_rules));
      }
    }
  for (guint i = 0; i < old_node->attributes->len; i++)
    {
      BoughAttributeSchema *o = g_ptr_array_index (old_node->attributes, i);

      /* Removing an attribute deletes its values (node.attribute.remove). */
      if (!g_hash_table_contains (used, o))
        add_change (changes, new_node->kind, o->name, "attribute", NULL,
                    BOUGH_SCHEMA_CHANGE_REMOVED,
                    BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED, NULL, NULL);
    }
}

static void
diff_relationships (GPtrArray       *changes,
                    BoughNodeSchema *old_node,
                    BoughNodeSchema *new_node)
{
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < new_node->relationships->len; i++)
    {
      BoughRelationshipSchema *n = g_ptr_array_index (new_node->relationships, i);
      BoughRelationshipSchema *o = find_match (old_node->relationships, n->id, n->name,
                                               G_STRUCT_OFFSET (BoughRelationshipSchema, id),
                                               G_STRUCT_OFFSET (BoughRelationshipSchema,
                                                                name), used);

      if (o == NULL)
        {
          add_change (changes, new_node->kind, n->name, "relationship", NULL,
                      BOUGH_SCHEMA_CHANGE_ADDED,
                      n->optional ? BOUGH_SCHEMA_RULE_ALLOWED : BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT,
                      NULL, NULL);
          continue;
        }
      g_hash_table_add (used, o);
      {
        g_autoptr(JsonNode) oj = _bough_relationship_schema_to_json (o, old_node);
        g_autoptr(JsonNode) nj = _bough_relationship_schema_to_json (n, new_node);

        diff_objects (changes, new_node->kind, n->name, "relationship", json_node_get_object (oj),
                      json_node_get_object (nj), relationship_rules, G_N_ELEMENTS (relationship_rules));
      }
    }
  for (guint i = 0; i < old_node->relationships->len; i++)
    {
      BoughRelationshipSchema *o = g_ptr_array_index (old_node->relationships, i);

      /* Removing a relationship deletes its edges (a migration). */
      if (!g_hash_table_contains (used, o))
        add_change (changes, new_node->kind, o->name, "relationship", NULL,
                    BOUGH_SCHEMA_CHANGE_REMOVED,
                    BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED, NULL, NULL);
    }
}

static void
diff_nodes (GPtrArray       *changes,
            BoughNodeSchema *old_node,
            BoughNodeSchema *new_node)
{
  g_autoptr(JsonNode) oj = bough_node_schema_to_json (old_node);
  g_autoptr(JsonNode) nj = bough_node_schema_to_json (new_node);
  const char *type = new_node->is_generic ? "generic" : "node";

  diff_objects (changes, new_node->kind, NULL, type, json_node_get_object (oj),
                json_node_get_object (nj),
                node_rules, G_N_ELEMENTS (node_rules));
  diff_attributes (changes, old_node, new_node);
  diff_relationships (changes, old_node, new_node);
}

static void
collect_elements (BoughSchema *schema,
                  GPtrArray   *out)
{
  GPtrArray *generics = bough_schema_get_generics (schema);
  GPtrArray *nodes = bough_schema_get_nodes (schema);

  /* Templates, like profiles, are derived from the other elements. */
  for (guint i = 0; i < generics->len; i++)
    if (!((BoughNodeSchema *) g_ptr_array_index (generics, i))->is_template)
      g_ptr_array_add (out, g_ptr_array_index (generics, i));
  for (guint i = 0; i < nodes->len; i++)
    g_ptr_array_add (out, g_ptr_array_index (nodes, i));
}

/**
 * bough_schema_diff:
 * @old_schema: the current snapshot
 * @new_schema: the proposed snapshot
 *
 * Lists every difference between the nodes and generics of two snapshots
 * (profiles and templates are derived and left out). Elements are matched by id first, so
 * a renamed kind, attribute or relationship shows as a change of its name.
 * Each change carries the rule that says how it may be applied: added
 * elements are allowed, except mandatory attributes without a default and
 * mandatory relationships (existing data must be checked); removed nodes,
 * attributes and relationships need a migration (their data is deleted);
 * property changes follow the per-property rules of reference §1.6.
 *
 * Returns: (transfer full) (element-type BoughSchemaChange): the changes
 */
GPtrArray *
bough_schema_diff (BoughSchema *old_schema,
                   BoughSchema *new_schema)
{
  GPtrArray *changes;
  g_autoptr(GPtrArray) old_elems = g_ptr_array_new ();
  g_autoptr(GPtrArray) new_elems = g_ptr_array_new ();
  g_autoptr(GHashTable) used = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (old_schema != NULL, NULL);
  g_return_val_if_fail (new_schema != NULL, NULL);

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_schema_change_free);
  collect_elements (old_schema, old_elems);
  collect_elements (new_schema, new_elems);

  for (guint i = 0; i < new_elems->len; i++)
    {
      BoughNodeSchema *n = g_ptr_array_index (new_elems, i);
      BoughNodeSchema *o = find_match (old_elems, n->id, n->kind,
                                       G_STRUCT_OFFSET (BoughNodeSchema, id),
                                       G_STRUCT_OFFSET (BoughNodeSchema, kind), used);

      if (o == NULL || o->is_generic != n->is_generic)
        {
          add_change (changes, n->kind, NULL, n->is_generic ? "generic" : "node", NULL,
                      BOUGH_SCHEMA_CHANGE_ADDED, BOUGH_SCHEMA_RULE_ALLOWED, NULL, NULL);
          continue;
        }
      g_hash_table_add (used, o);
      if (g_strcmp0 (o->hash, n->hash) == 0)
        continue;
      diff_nodes (changes, o, n);
    }
  for (guint i = 0; i < old_elems->len; i++)
    {
      BoughNodeSchema *o = g_ptr_array_index (old_elems, i);

      if (!g_hash_table_contains (used, o))
        add_change (changes, o->kind, NULL, o->is_generic ? "generic" : "node", NULL,
                    BOUGH_SCHEMA_CHANGE_REMOVED, BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED, NULL, NULL);
    }
  return changes;
}

static JsonObject *
empty_hashable_diff (void)
{
  JsonObject *obj = json_object_new ();

  json_object_set_object_member (obj, "added", json_object_new ());
  json_object_set_object_member (obj, "changed", json_object_new ());
  json_object_set_object_member (obj, "removed", json_object_new ());
  return obj;
}

static JsonObject *
ensure_object (JsonObject *parent,
               const char *member,
               gboolean    hashable)
{
  if (!json_object_has_member (parent, member) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (parent, member)))
    json_object_set_object_member (parent, member,
                                   hashable ? empty_hashable_diff () : json_object_new ());
  return json_object_get_object_member (parent, member);
}

static const char *
action_member (BoughSchemaChangeAction action)
{
  switch (action)
    {
    case BOUGH_SCHEMA_CHANGE_ADDED:
      return "added";
    case BOUGH_SCHEMA_CHANGE_REMOVED:
      return "removed";
    case BOUGH_SCHEMA_CHANGE_CHANGED:
    default:
      return "changed";
    }
}

/**
 * bough_schema_diff_to_json:
 * @changes: (element-type BoughSchemaChange): changes from bough_schema_diff()
 *
 * Returns the changes in the shape of Infrahub's schema diff:
 * `{"added": {kind: {...}}, "changed": {kind: {"added": {}, "changed":
 * {"label": null, "attributes": {"added": {name: null}, "changed": {name:
 * {"added": {}, "changed": {"optional": null}, "removed": {}}}, "removed":
 * {}}, "relationships": {...}}, "removed": {}}}, "removed": {kind: {...}}}`.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
bough_schema_diff_to_json (GPtrArray *changes)
{
  g_autoptr(JsonObject) root = json_object_new ();

  g_return_val_if_fail (changes != NULL, NULL);

  json_object_set_object_member (root, "added", json_object_new ());
  json_object_set_object_member (root, "changed", json_object_new ());
  json_object_set_object_member (root, "removed", json_object_new ());

  for (guint i = 0; i < changes->len; i++)
    {
      BoughSchemaChange *c = g_ptr_array_index (changes, i);
      gboolean is_node = c->element == NULL;
      JsonObject *kind_diff;
      JsonObject *field;

      if (is_node && c->action != BOUGH_SCHEMA_CHANGE_CHANGED)
        {
          ensure_object (json_object_get_object_member (root, action_member (c->action)), c->kind,
                         TRUE);
          continue;
        }
      kind_diff = ensure_object (json_object_get_object_member (root, "changed"), c->kind, TRUE);
      if (is_node)
        {
          json_object_set_null_member (json_object_get_object_member (kind_diff, "changed"),
                                       c->property);
          continue;
        }
      field = ensure_object (json_object_get_object_member (kind_diff, "changed"),
                             g_str_equal (c->element_type,
                                          "attribute") ? "attributes" : "relationships", TRUE);
      if (c->action != BOUGH_SCHEMA_CHANGE_CHANGED)
        json_object_set_null_member (json_object_get_object_member (field,
                                                                    action_member (c->action)),
                                     c->element);
      else
        {
          JsonObject *elem = ensure_object (json_object_get_object_member (field, "changed"),
                                            c->element, TRUE);

          json_object_set_null_member (json_object_get_object_member (elem, "changed"),
                                       c->property);
        }
    }
  return json_node_init_object (json_node_alloc (), root);
}
