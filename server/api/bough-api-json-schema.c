/* bough-api-json-schema.c: the JSON Schema of one kind (GET
 * /api/schema/json_schema/{kind}), describing the data an object file or an
 * editor may give for a node of that kind.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-api"

#include "config.h"

#include "bough-api-private.h"

static JsonObject *
attribute_value_schema (BoughAttributeSchema *attr)
{
  JsonObject *value = json_object_new ();
  const char *type = NULL;
  const char *format = NULL;

  switch (attr->kind)
    {
    case BOUGH_ATTRIBUTE_KIND_NUMBER:
    case BOUGH_ATTRIBUTE_KIND_NUMBER_POOL:
    case BOUGH_ATTRIBUTE_KIND_BANDWIDTH:
      type = "integer";
      break;
    case BOUGH_ATTRIBUTE_KIND_BOOLEAN:
    case BOUGH_ATTRIBUTE_KIND_CHECKBOX:
      type = "boolean";
      break;
    case BOUGH_ATTRIBUTE_KIND_LIST:
      type = "array";
      break;
    case BOUGH_ATTRIBUTE_KIND_JSON:
    case BOUGH_ATTRIBUTE_KIND_ANY:
      break;  /* any JSON value */
    case BOUGH_ATTRIBUTE_KIND_EMAIL:
      type = "string";
      format = "email";
      break;
    case BOUGH_ATTRIBUTE_KIND_URL:
      type = "string";
      format = "uri";
      break;
    case BOUGH_ATTRIBUTE_KIND_DATE_TIME:
      type = "string";
      format = "date-time";
      break;
    case BOUGH_ATTRIBUTE_KIND_ID:
    case BOUGH_ATTRIBUTE_KIND_TEXT:
    case BOUGH_ATTRIBUTE_KIND_TEXT_AREA:
    case BOUGH_ATTRIBUTE_KIND_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_HASHED_PASSWORD:
    case BOUGH_ATTRIBUTE_KIND_FILE:
    case BOUGH_ATTRIBUTE_KIND_MAC_ADDRESS:
    case BOUGH_ATTRIBUTE_KIND_COLOR:
    case BOUGH_ATTRIBUTE_KIND_IP_HOST:
    case BOUGH_ATTRIBUTE_KIND_IP_NETWORK:
    case BOUGH_ATTRIBUTE_KIND_DROPDOWN:
    default:
      type = "string";
      break;
    }

  if (type != NULL)
    json_object_set_string_member (value, "type", type);
  if (format != NULL)
    json_object_set_string_member (value, "format", format);
  if (attr->label != NULL)
    json_object_set_string_member (value, "title", attr->label);
  if (attr->description != NULL)
    json_object_set_string_member (value, "description", attr->description);
  if (attr->default_value != NULL)
    json_object_set_member (value, "default", json_node_copy (attr->default_value));

  if (attr->enum_values != NULL)
    json_object_set_array_member (value, "enum", json_array_ref (attr->enum_values));
  else if (attr->choices != NULL)
    {
      JsonArray *names = json_array_new ();

      for (guint i = 0; i < attr->choices->len; i++)
        json_array_add_string_element (names,
                                       ((BoughDropdownChoice *) g_ptr_array_index (attr->choices,
                                                                                    i))->name);
      json_object_set_array_member (value, "enum", names);
    }

  if (g_strcmp0 (type, "string") == 0)
    {
      if (attr->regex != NULL)
        json_object_set_string_member (value, "pattern", attr->regex);
      if (attr->min_length >= 0)
        json_object_set_int_member (value, "minLength", attr->min_length);
      if (attr->max_length >= 0)
        json_object_set_int_member (value, "maxLength", attr->max_length);
    }
  else if (g_strcmp0 (type, "integer") == 0 && attr->parameters != NULL)
    {
      JsonNode *min = json_object_get_member (attr->parameters, "min_value");
      JsonNode *max = json_object_get_member (attr->parameters, "max_value");

      if (min != NULL && !JSON_NODE_HOLDS_NULL (min))
        json_object_set_member (value, "minimum", json_node_copy (min));
      if (max != NULL && !JSON_NODE_HOLDS_NULL (max))
        json_object_set_member (value, "maximum", json_node_copy (max));
    }

  if (attr->optional && type != NULL)
    {
      /* An optional attribute may also be given as null. */
      JsonArray *types = json_array_new ();

      json_array_add_string_element (types, type);
      json_array_add_string_element (types, "null");
      json_object_set_array_member (value, "type", types);
    }
  return value;
}

/* A peer is named by its id or single-element hfid (a string), its hfid (a
 * list of strings), or an object with id, hfid or data. */
static JsonObject *
peer_reference_schema (void)
{
  JsonObject *reference = json_object_new ();
  JsonArray *any_of = json_array_new ();
  JsonObject *string = json_object_new ();
  JsonObject *list = json_object_new ();
  JsonObject *items = json_object_new ();
  JsonObject *object = json_object_new ();

  json_object_set_string_member (string, "type", "string");
  json_object_set_string_member (items, "type", "string");
  json_object_set_string_member (list, "type", "array");
  json_object_set_object_member (list, "items", items);
  json_object_set_string_member (object, "type", "object");
  json_array_add_object_element (any_of, string);
  json_array_add_object_element (any_of, list);
  json_array_add_object_element (any_of, object);
  json_object_set_array_member (reference, "anyOf", any_of);
  return reference;
}

static JsonObject *
relationship_schema (BoughRelationshipSchema *rel)
{
  JsonObject *value;

  if (rel->cardinality == BOUGH_CARDINALITY_ONE)
    value = peer_reference_schema ();
  else
    {
      value = json_object_new ();
      json_object_set_string_member (value, "type", "array");
      json_object_set_object_member (value, "items", peer_reference_schema ());
      if (rel->min_count > 0)
        json_object_set_int_member (value, "minItems", rel->min_count);
      if (rel->max_count > 0)
        json_object_set_int_member (value, "maxItems", rel->max_count);
    }
  if (rel->label != NULL)
    json_object_set_string_member (value, "title", rel->label);
  if (rel->description != NULL)
    json_object_set_string_member (value, "description", rel->description);
  json_object_set_string_member (value, "x-peer", rel->peer);
  return value;
}

/* Returns the JSON Schema (draft 2020-12) of the data of a node of @node's
 * kind; read-only fields are left out. */
JsonNode *
_bough_api_json_schema_for (BoughNodeSchema *node)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *properties = json_object_new ();
  JsonArray *required = json_array_new ();

  json_object_set_string_member (root, "$schema", "https://json-schema.org/draft/2020-12/schema");
  json_object_set_string_member (root, "title", node->kind);
  if (node->description != NULL)
    json_object_set_string_member (root, "description", node->description);
  json_object_set_string_member (root, "type", "object");

  for (guint i = 0; i < node->attributes->len; i++)
    {
      BoughAttributeSchema *attr = g_ptr_array_index (node->attributes, i);

      if (attr->read_only)
        continue;
      json_object_set_object_member (properties, attr->name, attribute_value_schema (attr));
      if (!attr->optional && attr->default_value == NULL && attr->computed_attribute == NULL)
        json_array_add_string_element (required, attr->name);
    }
  for (guint i = 0; i < node->relationships->len; i++)
    {
      BoughRelationshipSchema *rel = g_ptr_array_index (node->relationships, i);

      if (rel->read_only)
        continue;
      json_object_set_object_member (properties, rel->name, relationship_schema (rel));
      if (!rel->optional)
        json_array_add_string_element (required, rel->name);
    }

  json_object_set_object_member (root, "properties", properties);
  json_object_set_array_member (root, "required", required);
  json_object_set_boolean_member (root, "additionalProperties", FALSE);
  return json_node_init_object (json_node_alloc (), root);
}
