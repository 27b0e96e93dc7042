/* bough-object-query.c: GraphQL text for the object views, value
 * conversions and the mapping of server errors to fields.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bough-error.h"
#include "bough-object-query.h"

/* Who set a value or made a change, as the detail page shows it. */
#define LINEAGE "{ id display_label __typename }"
#define ATTRIBUTE_PROPERTIES \
  "id value is_default is_inherited is_from_profile is_protected is_visible updated_at " \
  "source " LINEAGE " owner " LINEAGE
/* newer servers only (Bough has them; Infrahub 1.0 does not) */
#define ATTRIBUTE_METADATA " updated_by " LINEAGE
#define RELATIONSHIP_PROPERTIES \
  "properties { is_protected is_visible updated_at source " LINEAGE " owner " LINEAGE " }"
#define NODE_METADATA \
  "node_metadata { created_at created_by " LINEAGE " updated_at updated_by " LINEAGE " }"
#define PEER "node { id hfid display_label __typename }"

/* How many peers of a many relationship the detail page shows. */
#define DETAIL_PEERS_LIMIT 100

/**
 * bough_object_attribute_is_listed:
 * @attr: an attribute schema
 *
 * Whether views show @attr: a hashed password has nothing to show and no
 * filter may probe it.
 *
 * Returns: %TRUE if the attribute has a column, a filter and a detail row
 */
gboolean
bough_object_attribute_is_listed (BoughAttributeSchema *attr)
{
  g_return_val_if_fail (attr != NULL, FALSE);

  return attr->kind != BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD;
}

/**
 * bough_object_attribute_is_editable:
 * @attr: an attribute schema
 *
 * Whether forms have a row for @attr: read-only and computed attributes
 * are not part of the mutations' input.
 *
 * Returns: %TRUE if a form sets the attribute
 */
gboolean
bough_object_attribute_is_editable (BoughAttributeSchema *attr)
{
  g_return_val_if_fail (attr != NULL, FALSE);

  return !attr->read_only && attr->computed_attribute == NULL &&
         attr->kind != BOUGH_ATTRIBUTE_KIND_ID;
}

/**
 * bough_object_relationship_is_shown:
 * @rel: a relationship schema
 *
 * Whether the detail page lists @rel's peers: groups and profiles are
 * handled by their own views.
 *
 * Returns: %TRUE if the relationship has a section
 */
gboolean
bough_object_relationship_is_shown (BoughRelationshipSchema *rel)
{
  g_return_val_if_fail (rel != NULL, FALSE);

  return rel->kind != BOUGH_RELATIONSHIP_KIND_GROUP &&
         rel->kind != BOUGH_RELATIONSHIP_KIND_PROFILE;
}

/**
 * bough_object_relationship_is_editable:
 * @rel: a relationship schema
 *
 * Returns: %TRUE if a form sets @rel's peers
 */
gboolean
bough_object_relationship_is_editable (BoughRelationshipSchema *rel)
{
  g_return_val_if_fail (rel != NULL, FALSE);

  /* a tree node sets its parent; its children follow from theirs */
  return bough_object_relationship_is_shown (rel) && !rel->read_only &&
         rel->kind != BOUGH_RELATIONSHIP_KIND_TEMPLATE &&
         !(rel->kind == BOUGH_RELATIONSHIP_KIND_HIERARCHY &&
           rel->cardinality == BOUGH_CARDINALITY_MANY);
}

/**
 * bough_object_append_literal:
 * @out: where to write
 * @value: a JSON scalar or array of scalars
 *
 * Writes @value as a GraphQL literal. JSON's string escapes are valid in
 * GraphQL strings, so a scalar prints as JSON does.
 */
void
bough_object_append_literal (GString  *out,
                             JsonNode *value)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (value != NULL);

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          bough_object_append_literal (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *object = json_node_get_object (value);
      g_autoptr(GList) members = json_object_get_members (object);

      g_string_append_c (out, '{');
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_string_append_printf (out, "%s%s: ", l == members ? "" : ", ", (char *) l->data);
          bough_object_append_literal (out, json_object_get_member (object, l->data));
        }
      g_string_append_c (out, '}');
    }
  else
    {
      g_autofree char *text = json_to_string (value, FALSE);

      g_string_append (out, text);
    }
}

static void
append_attribute_fields (GString         *out,
                         BoughNodeSchema *ns,
                         gboolean         detail,
                         gboolean         metadata)
{
  for (guint i = 0; i < ns->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (ns->attributes, i);

      if (!bough_object_attribute_is_listed (attr))
        continue;
      g_string_append_printf (out, " %s { %s%s }", attr->name,
                              detail ? ATTRIBUTE_PROPERTIES : "value",
                              detail && metadata ? ATTRIBUTE_METADATA : "");
    }
}

/* The attribute of @ns that @path (`<attr>__value`) names, else %NULL. */
static char *
value_path_attribute (BoughNodeSchema *ns,
                      const char      *path)
{
  g_autofree char *name = NULL;
  BoughAttributeSchema *attr;

  if (path == NULL || !g_str_has_suffix (path, "__value"))
    return NULL;
  name = g_strndup (path, strlen (path) - strlen ("__value"));
  /* a peer's attribute (`site__name__value`) is no attribute of @ns */
  if (name[0] == '\0' || strstr (name, "__") != NULL)
    return NULL;
  attr = bough_node_schema_get_attribute (ns, name);
  if (attr == NULL || !bough_object_attribute_is_listed (attr))
    return NULL;
  return g_steal_pointer (&name);
}

/* The first `<attr>__value` of @ns in a display label: a path, or the
 * variables of a Jinja2 template. */
static char *
display_label_attribute (BoughNodeSchema *ns,
                         const char      *label)
{
  const char *p = label;

  if (label == NULL)
    return NULL;
  while (*p != '\0')
    {
      const char *start;
      g_autofree char *word = NULL;
      char *name;

      if (!g_ascii_isalnum (*p) && *p != '_')
        {
          p++;
          continue;
        }
      start = p;
      while (g_ascii_isalnum (*p) || *p == '_')
        p++;
      word = g_strndup (start, p - start);
      name = value_path_attribute (ns, word);
      if (name != NULL)
        return name;
    }
  return NULL;
}

/**
 * bough_object_naming_attribute:
 * @ns: a kind's schema
 *
 * The attribute that names @ns's objects, by which a column showing them
 * sorts: the first element of the human-friendly id when it is
 * `<attr>__value`, else the first attribute of the display label, else
 * the first attribute of the schema's order_by.
 *
 * Returns: (transfer full) (nullable): the attribute's name, %NULL when
 *   none names the objects
 */
char *
bough_object_naming_attribute (BoughNodeSchema *ns)
{
  char *name = NULL;

  g_return_val_if_fail (ns != NULL, NULL);

  if (ns->human_friendly_id != NULL && ns->human_friendly_id[0] != NULL)
    name = value_path_attribute (ns, ns->human_friendly_id[0]);
  if (name == NULL && ns->display_labels != NULL && ns->display_labels[0] != NULL)
    name = display_label_attribute (ns, ns->display_labels[0]);
  if (name == NULL)
    name = display_label_attribute (ns, ns->display_label);
  if (name == NULL && ns->order_by != NULL && ns->order_by[0] != NULL)
    {
      BoughOrderKey key;

      /* order_by's own grammar: a direction may follow (name__value__desc) */
      if (bough_node_schema_parse_order (ns, ns->order_by[0], NULL, NULL, &key, NULL) &&
          key.target == BOUGH_ORDER_VALUE && g_strcmp0 (key.property, "value") == 0 &&
          bough_object_attribute_is_listed (key.attribute))
        name = g_strdup (key.attribute->name);
    }
  return name;
}

/**
 * bough_object_order_field:
 * @schema: the schema @ns belongs to
 * @ns: a kind's schema
 * @field: (nullable): a column of @ns's list: an attribute, a
 *   cardinality-one relationship, or %NULL for the objects' labels
 *
 * The order field (`order: {by: [{field: ...}]}`) that sorts @ns's objects
 * by @field's column: `<attr>__value`; for a relationship, the peer's
 * naming attribute (bough_object_naming_attribute()),
 * `<rel>__<attr>__value`; for the labels, @ns's own naming attribute.
 * Passwords do not sort: their order would tell something of them.
 *
 * Returns: (transfer full) (nullable): the order field, %NULL when the
 *   column does not sort
 */
char *
bough_object_order_field (BoughSchema     *schema,
                          BoughNodeSchema *ns,
                          const char      *field)
{
  BoughAttributeSchema *attr;
  BoughRelationshipSchema *rel;
  BoughNodeSchema *peer;
  g_autofree char *name = NULL;

  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (ns != NULL, NULL);

  if (field == NULL)
    {
      name = bough_object_naming_attribute (ns);
      if (name == NULL)
        return NULL;
      return bough_object_order_field (schema, ns, name);
    }
  attr = bough_node_schema_get_attribute (ns, field);
  if (attr != NULL)
    {
      if (!bough_object_attribute_is_listed (attr) ||
          attr->kind == BOUGH_ATTRIBUTE_KIND_PASSWORD)
        return NULL;
      return g_strconcat (attr->name, "__value", NULL);
    }
  rel = bough_node_schema_get_relationship (ns, field);
  if (rel == NULL || rel->cardinality != BOUGH_CARDINALITY_ONE)
    return NULL;
  peer = bough_schema_lookup (schema, rel->peer);
  if (peer == NULL)
    return NULL;
  name = bough_object_naming_attribute (peer);
  if (name == NULL ||
      bough_node_schema_get_attribute (peer, name)->kind == BOUGH_ATTRIBUTE_KIND_PASSWORD)
    return NULL;
  return g_strconcat (rel->name, "__", name, "__value", NULL);
}

/**
 * bough_object_query_list:
 * @ns: the kind's schema
 * @list: what to ask
 *
 * A query of one page of @ns's objects: each with its id, display label,
 * attribute values and cardinality-one peers (the list's columns), and
 * its creation and last change when @list asks for the metadata.
 *
 * Returns: (transfer full): the query text
 */
char *
bough_object_query_list (BoughNodeSchema            *ns,
                         const BoughObjectListQuery *list)
{
  GString *out;
  gboolean partial = FALSE;

  g_return_val_if_fail (ns != NULL, NULL);
  g_return_val_if_fail (list != NULL, NULL);
  g_return_val_if_fail (list->n_order == 0 || list->order != NULL, NULL);
  for (guint i = 0; i < list->n_order; i++)
    g_return_val_if_fail (list->order[i].field != NULL, NULL);

  out = g_string_new ("query BoughObjectList { ");
  g_string_append_printf (out, "%s(offset: %" G_GINT64_FORMAT ", limit: %" G_GINT64_FORMAT,
                          ns->kind, list->offset, list->limit);
  if (list->n_order > 0)
    {
      g_string_append (out, ", order: {by: [");
      for (guint i = 0; i < list->n_order; i++)
        {
          g_autoptr(JsonNode) field = json_node_new (JSON_NODE_VALUE);

          json_node_set_string (field, list->order[i].field);
          g_string_append (out, i > 0 ? ", {field: " : "{field: ");
          bough_object_append_literal (out, field);
          g_string_append (out, list->order[i].descending ? ", direction: DESC}" :
                                                            ", direction: ASC}");
        }
      g_string_append (out, "]}");
    }
  if (list->filters != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (list->filters);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (list->filters, l->data);

          g_string_append_printf (out, ", %s: ", (char *) l->data);
          bough_object_append_literal (out, value);
          /* a text value filter matches substrings, as a search does */
          if (g_str_has_suffix (l->data, "__value") && JSON_NODE_HOLDS_VALUE (value) &&
              json_node_get_value_type (value) == G_TYPE_STRING)
            partial = TRUE;
        }
    }
  if (list->search != NULL && list->search[0] != '\0')
    {
      g_autoptr(JsonNode) text = json_node_new (JSON_NODE_VALUE);
      const char *filter = "any__value";

      if (ns->default_filter != NULL && g_str_has_suffix (ns->default_filter, "__value"))
        filter = ns->default_filter;
      json_node_set_string (text, list->search);
      g_string_append_printf (out, ", %s: ", filter);
      bough_object_append_literal (out, text);
      partial = TRUE;
    }
  if (partial)
    g_string_append (out, ", partial_match: true");
  g_string_append (out, ") {");
  if (list->with_count)
    g_string_append (out, " count");
  g_string_append (out, " edges {");
  if (list->with_metadata)
    g_string_append (out, " node_metadata { created_at updated_at }");
  g_string_append (out, " node { id hfid display_label __typename");
  append_attribute_fields (out, ns, FALSE, FALSE);
  for (guint i = 0; i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, i);

      if (rel->cardinality == BOUGH_CARDINALITY_ONE && bough_object_relationship_is_shown (rel))
        g_string_append_printf (out, " %s { " PEER " }", rel->name);
    }
  g_string_append (out, " } } } }");
  return g_string_free (out, FALSE);
}

/**
 * bough_object_query_detail:
 * @ns: the kind's schema
 * @id: the object's id
 *
 * bough_object_query_detail_full() with the metadata.
 *
 * Returns: (transfer full): the query text
 */
char *
bough_object_query_detail (BoughNodeSchema *ns,
                           const char      *id)
{
  return bough_object_query_detail_full (ns, id, TRUE);
}

/**
 * bough_object_query_detail_full:
 * @ns: the kind's schema
 * @id: the object's id
 * @metadata: whether to ask for `node_metadata` and the attributes'
 *   `updated_by`, which older servers lack
 *
 * A query of one object with everything the detail page shows: attribute
 * values with their properties, peers with the relationship properties,
 * and the node's metadata.
 *
 * Returns: (transfer full): the query text
 */
char *
bough_object_query_detail_full (BoughNodeSchema *ns,
                                const char      *id,
                                gboolean         metadata)
{
  g_autoptr(JsonNode) id_node = json_node_new (JSON_NODE_VALUE);
  GString *out;

  g_return_val_if_fail (ns != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  json_node_set_string (id_node, id);
  out = g_string_new ("query BoughObjectDetail { ");
  g_string_append_printf (out, "%s(ids: [", ns->kind);
  bough_object_append_literal (out, id_node);
  g_string_append_printf (out, "]) { edges { %s node { id hfid display_label __typename",
                          metadata ? NODE_METADATA : "");
  append_attribute_fields (out, ns, TRUE, metadata);
  for (guint i = 0; i < ns->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (ns->relationships, i);

      if (!bough_object_relationship_is_shown (rel))
        continue;
      if (rel->cardinality == BOUGH_CARDINALITY_ONE)
        g_string_append_printf (out, " %s { " PEER " " RELATIONSHIP_PROPERTIES " }", rel->name);
      else
        g_string_append_printf (out, " %s(limit: %d) { count edges { " PEER " "
                                RELATIONSHIP_PROPERTIES " } }", rel->name, DETAIL_PEERS_LIMIT);
    }
  g_string_append (out, " } } } }");
  return g_string_free (out, FALSE);
}

/**
 * bough_object_query_labels:
 * @kinds: (element-type utf8): kinds
 * @ids_per_kind: (element-type GStrv): for each kind, the ids to label
 *
 * One query asking the display label of objects of several kinds; the
 * answer for `kinds[i]` is under the alias `k<i>`.
 *
 * Returns: (transfer full): the query text
 */
char *
bough_object_query_labels (GPtrArray *kinds,
                           GPtrArray *ids_per_kind)
{
  GString *out;

  g_return_val_if_fail (kinds != NULL, NULL);
  g_return_val_if_fail (ids_per_kind != NULL && ids_per_kind->len == kinds->len, NULL);

  out = g_string_new ("query BoughObjectLabels {");
  for (guint i = 0; i < kinds->len; i++)
    {
      char **ids = g_ptr_array_index (ids_per_kind, i);
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint j = 0; ids[j] != NULL; j++)
        json_array_add_string_element (array, ids[j]);
      json_node_set_array (node, array);
      g_string_append_printf (out, " k%u: %s(ids: ", i, (char *) g_ptr_array_index (kinds, i));
      bough_object_append_literal (out, node);
      g_string_append (out, ") { edges { node { id display_label __typename } } }");
    }
  g_string_append (out, " }");
  return g_string_free (out, FALSE);
}

/**
 * bough_object_query_search_any:
 * @kinds: (element-type utf8): kinds to search
 * @text: what to find
 * @limit: most objects per kind
 *
 * One query matching @text against any attribute value of each of @kinds
 * (`any__value` with `partial_match`); the answer for `kinds[i]` is under
 * the alias `k<i>`. For servers without `InfrahubSearchAnywhere`.
 *
 * Returns: (transfer full): the query text
 */
char *
bough_object_query_search_any (GPtrArray  *kinds,
                               const char *text,
                               gint64      limit)
{
  g_autoptr(JsonNode) text_node = json_node_new (JSON_NODE_VALUE);
  GString *out;

  g_return_val_if_fail (kinds != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  json_node_set_string (text_node, text);
  out = g_string_new ("query BoughSearchAny {");
  for (guint i = 0; i < kinds->len; i++)
    {
      g_string_append_printf (out, " k%u: %s(limit: %" G_GINT64_FORMAT ", partial_match: true",
                              i, (char *) g_ptr_array_index (kinds, i), limit);
      g_string_append (out, ", any__value: ");
      bough_object_append_literal (out, text_node);
      g_string_append (out, ") { count edges { node { id display_label __typename } } }");
    }
  g_string_append (out, " }");
  return g_string_free (out, FALSE);
}

/**
 * bough_object_query_peers:
 * @kind: the peer kind
 * @text: (nullable): what to find, %NULL or empty for the first objects
 * @limit: most objects
 *
 * A query of the objects a peer chooser offers, under the alias `k0`.
 *
 * Returns: (transfer full): the query text
 */
char *
bough_object_query_peers (const char *kind,
                          const char *text,
                          gint64      limit)
{
  g_autoptr(GPtrArray) kinds = NULL;

  g_return_val_if_fail (kind != NULL, NULL);

  if (text != NULL && text[0] != '\0')
    {
      kinds = g_ptr_array_new ();
      g_ptr_array_add (kinds, (gpointer) kind);
      return bough_object_query_search_any (kinds, text, limit);
    }
  return g_strdup_printf ("query BoughPeers { k0: %s(limit: %" G_GINT64_FORMAT ") { count edges { "
                          "node { id display_label __typename } } } }", kind, limit);
}

/**
 * bough_object_query_search_anywhere:
 *
 * The query of the server's own search across kinds; variables `q` and
 * `limit`.
 *
 * Returns: the query text
 */
const char *
bough_object_query_search_anywhere (void)
{
  return "query BoughSearchAnywhere($q: String!, $limit: Int) { "
         "InfrahubSearchAnywhere(q: $q, limit: $limit, partial_match: true) { "
         "count edges { node { id kind } } } }";
}

/**
 * bough_object_mutation:
 * @ns: the kind's schema
 * @operation: "Create", "Update" or "Delete"
 *
 * A mutation of one object taking its input as the variable `data`.
 *
 * Returns: (transfer full): the mutation text
 */
char *
bough_object_mutation (BoughNodeSchema *ns,
                       const char      *operation)
{
  g_return_val_if_fail (ns != NULL, NULL);
  g_return_val_if_fail (operation != NULL, NULL);

  if (g_str_equal (operation, "Delete"))
    return g_strdup_printf ("mutation BoughObjectDelete($data: DeleteInput!) { "
                            "%sDelete(data: $data) { ok } }", ns->kind);
  return g_strdup_printf ("mutation BoughObject%s($data: %s%sInput!) { "
                          "%s%s(data: $data) { ok object { id hfid display_label } } }",
                          operation, ns->kind, operation, ns->kind, operation);
}

/**
 * bough_object_mutation_update:
 * @ns: the kind's schema
 * @link_operations: (nullable) (array zero-terminated=1): "Add" or
 *   "Remove" for each change of a many relationship's peers
 *
 * An update of one object (variable `data`) followed, in the same request,
 * by `RelationshipAdd` / `RelationshipRemove` mutations taking the
 * variables `l0`, `l1`... (GraphQL runs mutations in order). Adding and
 * removing single peers leaves the peers the form never loaded alone,
 * where setting the relationship in the update would replace them all.
 *
 * Returns: (transfer full): the mutation text
 */
char *
bough_object_mutation_update (BoughNodeSchema    *ns,
                              const char * const *link_operations)
{
  GString *out;
  guint n;

  g_return_val_if_fail (ns != NULL, NULL);

  n = link_operations != NULL ? g_strv_length ((char **) link_operations) : 0;
  out = g_string_new ("mutation BoughObjectUpdate($data: ");
  g_string_append_printf (out, "%sUpdateInput!", ns->kind);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, ", $l%u: RelationshipNodesInput!", i);
  g_string_append_printf (out, ") { %sUpdate(data: $data) { ok object { id hfid display_label } }",
                          ns->kind);
  for (guint i = 0; i < n; i++)
    {
      g_return_val_if_fail (g_str_equal (link_operations[i], "Add") ||
                            g_str_equal (link_operations[i], "Remove"), NULL);
      g_string_append_printf (out, " l%u: Relationship%s(data: $l%u) { ok }",
                              i, link_operations[i], i);
    }
  g_string_append (out, " }");
  return g_string_free (out, FALSE);
}

/**
 * bough_object_value_from_text:
 * @attr: the attribute
 * @text: what the user typed
 * @error: return location for a %BOUGH_ERROR_INVALID error
 *
 * The typed value for @attr of @text: an integer for numbers, a boolean
 * for checkboxes, parsed JSON for JSON, lists and any, else the text.
 *
 * Returns: (transfer full) (nullable): the value, %NULL on error
 */
JsonNode *
bough_object_value_from_text (BoughAttributeSchema  *attr,
                              const char            *text,
                              GError               **error)
{
  JsonNode *node;

  g_return_val_if_fail (attr != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  switch (attr->kind)
    {
    case BOUGH_ATTRIBUTE_KIND_NUMBER:
    case BOUGH_ATTRIBUTE_KIND_NUMBER_POOL:
    case BOUGH_ATTRIBUTE_KIND_BANDWIDTH:
      {
        gint64 number;
        g_autofree char *stripped = g_strstrip (g_strdup (text));

        if (!g_ascii_string_to_signed (stripped, 10, G_MININT64, G_MAXINT64, &number, NULL))
          {
            g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                         _("“%s” is not a whole number"), text);
            return NULL;
          }
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_int (node, number);
        return node;
      }
    case BOUGH_ATTRIBUTE_KIND_BOOLEAN:
    case BOUGH_ATTRIBUTE_KIND_CHECKBOX:
      if (g_ascii_strcasecmp (text, "true") != 0 && g_ascii_strcasecmp (text, "false") != 0)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                       _("“%s” is neither true nor false"), text);
          return NULL;
        }
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, g_ascii_strcasecmp (text, "true") == 0);
      return node;
    case BOUGH_ATTRIBUTE_KIND_JSON:
    case BOUGH_ATTRIBUTE_KIND_LIST:
    case BOUGH_ATTRIBUTE_KIND_ANY:
      {
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GError) local_error = NULL;

        if (!json_parser_load_from_data (parser, text, -1, &local_error) ||
            json_parser_get_root (parser) == NULL)
          {
            g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, _("Not valid JSON: %s"),
                         local_error ? local_error->message : "empty");
            return NULL;
          }
        if (attr->kind == BOUGH_ATTRIBUTE_KIND_LIST &&
            !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
          {
            g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, _("A list must be a JSON array"));
            return NULL;
          }
        return json_node_copy (json_parser_get_root (parser));
      }
    default:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text);
      return node;
    }
}

/**
 * bough_object_value_to_text:
 * @value: (nullable): a value from the server
 *
 * The text a cell or an entry shows for @value: strings as they are,
 * null as nothing, everything else as JSON.
 *
 * Returns: (transfer full): the text
 */
char *
bough_object_value_to_text (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  return json_to_string (value, FALSE);
}

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_get_object (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/**
 * bough_object_cell_text:
 * @ns: the kind's schema
 * @node: an object as a list query returns it
 * @field: an attribute or cardinality-one relationship name
 *
 * The text of @node's cell in @field's column: the value, the dropdown
 * choice's label, or the peer's display label.
 *
 * Returns: (transfer full): the text
 */
char *
bough_object_cell_text (BoughNodeSchema *ns,
                        JsonObject      *node,
                        const char      *field)
{
  BoughAttributeSchema *attr;
  JsonObject *member;

  g_return_val_if_fail (ns != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  member = object_get_object (node, field);
  if (member == NULL)
    return g_strdup ("");
  attr = bough_node_schema_get_attribute (ns, field);
  if (attr != NULL)
    {
      JsonNode *value = json_object_get_member (member, "value");

      if (attr->kind == BOUGH_ATTRIBUTE_KIND_PASSWORD && value != NULL &&
          !JSON_NODE_HOLDS_NULL (value))
        return g_strdup ("••••••••");
      if (attr->choices != NULL && object_get_string (member, "value") != NULL)
        {
          const char *name = object_get_string (member, "value");

          for (guint i = 0; i < attr->choices->len; i++)
            {
              BoughDropdownChoice *choice = g_ptr_array_index (attr->choices, i);

              if (g_str_equal (choice->name, name))
                return g_strdup (choice->label != NULL ? choice->label : choice->name);
            }
        }
      return bough_object_value_to_text (value);
    }
  member = object_get_object (member, "node");
  if (member == NULL)
    return g_strdup ("");
  if (object_get_string (member, "display_label") != NULL)
    return g_strdup (object_get_string (member, "display_label"));
  return g_strdup (object_get_string (member, "id"));
}

/* Whether @word names an attribute or relationship of @ns. */
static gboolean
is_field (BoughNodeSchema *ns,
          const char      *word)
{
  return bough_node_schema_get_attribute (ns, word) != NULL ||
         bough_node_schema_get_relationship (ns, word) != NULL;
}

/**
 * bough_object_error_field:
 * @ns: the kind the mutation was about
 * @graphql_error: one error object of the reply
 *
 * The attribute or relationship of @ns that @graphql_error is about, so
 * that a form shows it next to that field: the field the server names
 * (`extensions.field` or the error's path), else the field the message
 * names (Bough words them as `<Kind> “<name>”: <field>: <problem>` or
 * `attribute '<field>' (<kind>): ...`; a uniqueness constraint over
 * several fields names them joined by commas, the first is given).
 *
 * Returns: (transfer full) (nullable): the field's name, %NULL when none
 */
char *
bough_object_error_field (BoughNodeSchema *ns,
                          JsonObject      *graphql_error)
{
  g_autofree char *message_copy = NULL;
  const char *message;
  JsonNode *ext;
  JsonNode *path;
  const char *p;

  g_return_val_if_fail (ns != NULL, NULL);
  g_return_val_if_fail (graphql_error != NULL, NULL);

  ext = json_object_get_member (graphql_error, "extensions");
  if (ext != NULL && JSON_NODE_HOLDS_OBJECT (ext))
    {
      const char *field = object_get_string (json_node_get_object (ext), "field");

      if (field != NULL && is_field (ns, field))
        return g_strdup (field);
    }
  path = json_object_get_member (graphql_error, "path");
  if (path != NULL && JSON_NODE_HOLDS_ARRAY (path))
    {
      JsonArray *array = json_node_get_array (path);

      for (guint i = json_array_get_length (array); i > 0; i--)
        {
          JsonNode *element = json_array_get_element (array, i - 1);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING &&
              is_field (ns, json_node_get_string (element)))
            return g_strdup (json_node_get_string (element));
        }
    }

  message = object_get_string (graphql_error, "message");
  if (message == NULL)
    return NULL;

  /* attribute 'name' */
  p = strstr (message, "attribute '");
  if (p != NULL)
    {
      const char *start = p + strlen ("attribute '");
      const char *end = strchr (start, '\'');

      if (end != NULL)
        {
          g_autofree char *word = g_strndup (start, end - start);

          if (is_field (ns, word))
            return g_steal_pointer (&word);
        }
    }

  /* ": name: " or ": a,b: " */
  message_copy = g_strdup (message);
  for (char *s = strstr (message_copy, ": "); s != NULL; s = strstr (s + 1, ": "))
    {
      char *start = s + 2;
      char *end = strstr (start, ": ");
      g_auto(GStrv) words = NULL;

      if (end == NULL)
        break;
      *end = '\0';
      words = g_strsplit (start, ",", -1);
      *end = ':';
      for (guint i = 0; words[i] != NULL; i++)
        {
          /* a constraint path such as name__value names the attribute first */
          char *sep = strstr (words[i], "__");

          if (sep != NULL)
            *sep = '\0';
          g_strstrip (words[i]);
          if (is_field (ns, words[i]))
            return g_strdup (words[i]);
        }
    }
  return NULL;
}

/**
 * bough_object_error_message:
 * @graphql_error: one error object of a reply
 *
 * The part of the error's message worth showing next to a field: Bough
 * prefixes it with the object and the field, which the form already shows.
 *
 * Returns: (transfer full): the message
 */
char *
bough_object_error_message (JsonObject *graphql_error)
{
  const char *message;
  const char *last;

  g_return_val_if_fail (graphql_error != NULL, NULL);

  message = object_get_string (graphql_error, "message");
  if (message == NULL)
    return g_strdup ("");
  last = g_strrstr (message, ": ");
  if (last != NULL && last[2] != '\0' && strstr (message, "attribute '") == NULL)
    return g_strdup (last + 2);
  if (strstr (message, "attribute '") != NULL)
    {
      const char *value = strstr (message, "): ");

      if (value != NULL)
        return g_strdup (value + 3);
    }
  return g_strdup (message);
}

/**
 * bough_object_get_string:
 * @object: (nullable): a JSON object
 * @member: a member name
 *
 * Returns: (nullable): @object's string @member, %NULL when @object is
 *   %NULL or the member is absent or not a string
 */
const char *
bough_object_get_string (JsonObject *object,
                         const char *member)
{
  g_return_val_if_fail (member != NULL, NULL);

  return object_get_string (object, member);
}

/**
 * bough_object_edge_node:
 * @edges: the `edges` of a list
 * @index: an edge
 *
 * Returns: (nullable): the `node` of edge @index, %NULL if it has none
 */
JsonObject *
bough_object_edge_node (JsonArray *edges,
                        guint      index)
{
  JsonNode *edge;

  g_return_val_if_fail (edges != NULL, NULL);

  if (index >= json_array_get_length (edges))
    return NULL;
  edge = json_array_get_element (edges, index);
  if (!JSON_NODE_HOLDS_OBJECT (edge))
    return NULL;
  return object_get_object (json_node_get_object (edge), "node");
}
