/* bough-api-schema.c: the schema endpoints of the REST API: read the schema
 * of a branch (whole, summary, one kind), and load or check schema files,
 * refusing changes the update rules or the existing data do not allow.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-api"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-json.h"

#include "bough-api-private.h"
#include "tasks/bough-task-queue.h"

/* Members the SDK's models give a non-null default: a null there fails their
 * validation, so an unset value is sent as the default instead. */
static const char * const non_null_lists[] = {
  "inherit_from", "used_by", "attributes", "relationships",
};

static void
fix_element (JsonObject *element)
{
  for (guint i = 0; i < G_N_ELEMENTS (non_null_lists); i++)
    {
      JsonNode *value = json_object_get_member (element, non_null_lists[i]);

      if (value != NULL && JSON_NODE_HOLDS_NULL (value))
        json_object_set_array_member (element, non_null_lists[i], json_array_new ());
    }
}

static gboolean
namespace_wanted (const BoughNodeSchema *node,
                  char                 **namespaces)
{
  return namespaces == NULL || namespaces[0] == NULL ||
         g_strv_contains ((const char * const *) namespaces, node->namespace_);
}

static JsonArray *
elements_to_json (GPtrArray  *elements,
                  char      **namespaces)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < elements->len; i++)
    {
      BoughNodeSchema *node = g_ptr_array_index (elements, i);
      JsonNode *json;

      if (!namespace_wanted (node, namespaces))
        continue;
      json = bough_node_schema_to_json (node);
      fix_element (json_node_get_object (json));
      json_array_add_element (array, json);
    }
  return array;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static JsonArray *
namespaces_to_json (BoughSchema *schema)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GPtrArray *lists[] = {
    bough_schema_get_nodes (schema), bough_schema_get_generics (schema),
    bough_schema_get_profiles (schema), bough_schema_get_templates (schema),
  };
  JsonArray *array = json_array_new ();

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        BoughNodeSchema *node = g_ptr_array_index (lists[l], i);

        if (g_hash_table_add (seen, node->namespace_))
          g_ptr_array_add (names, node->namespace_);
      }

  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    {
      JsonObject *ns = json_object_new ();
      const char *name = g_ptr_array_index (names, i);

      json_object_set_string_member (ns, "name", name);
      json_object_set_boolean_member (ns, "user_editable",
                                      !_bough_api_namespace_is_restricted (name));
      json_array_add_object_element (array, ns);
    }
  return array;
}

static void
reply_object (BoughHttpRequest *request,
              guint             status,
              JsonObject       *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  bough_http_request_reply_json (request, status, node);
}

/* GET /api/schema?branch=&namespaces=: the shape the SDK parses. */
static void
schema_work (BoughHttpRequest *request,
             gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_auto(GStrv) namespaces = bough_http_request_get_query_all (request, "namespaces");
  const char *branch;

  branch = _bough_api_get_branch (self, request);
  if (branch == NULL)
    return;
  schema = _bough_api_get_schema (self, request, branch, TRUE);
  if (schema == NULL)
    return;

  json_object_set_string_member (root, "main", bough_schema_get_hash (schema));
  json_object_set_array_member (root, "nodes",
                                elements_to_json (bough_schema_get_nodes (schema), namespaces));
  json_object_set_array_member (root, "generics",
                                elements_to_json (bough_schema_get_generics (schema), namespaces));
  json_object_set_array_member (root, "profiles",
                                elements_to_json (bough_schema_get_profiles (schema), namespaces));
  json_object_set_array_member (root, "templates",
                                elements_to_json (bough_schema_get_templates (schema), namespaces));
  json_object_set_array_member (root, "namespaces", namespaces_to_json (schema));
  reply_object (request, SOUP_STATUS_OK, root);
}

static JsonObject *
hashes_to_json (GPtrArray *elements)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < elements->len; i++)
    {
      BoughNodeSchema *node = g_ptr_array_index (elements, i);

      json_object_set_string_member (object, node->kind, node->hash);
    }
  return object;
}

/* GET /api/schema/summary: the hash of the whole schema and of each element. */
static void
summary_work (BoughHttpRequest *request,
              gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  const char *branch;

  branch = _bough_api_get_branch (self, request);
  if (branch == NULL)
    return;
  schema = _bough_api_get_schema (self, request, branch, TRUE);
  if (schema == NULL)
    return;

  json_object_set_string_member (root, "main", bough_schema_get_hash (schema));
  json_object_set_object_member (root, "nodes", hashes_to_json (bough_schema_get_nodes (schema)));
  json_object_set_object_member (root, "generics",
                                 hashes_to_json (bough_schema_get_generics (schema)));
  json_object_set_object_member (root, "profiles",
                                 hashes_to_json (bough_schema_get_profiles (schema)));
  json_object_set_object_member (root, "templates",
                                 hashes_to_json (bough_schema_get_templates (schema)));
  reply_object (request, SOUP_STATUS_OK, root);
}

/* GET /api/schema/{kind}: one node, generic, profile or template. */
static void
kind_work (BoughHttpRequest *request,
           gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(JsonNode) json = NULL;
  const char *kind = bough_http_request_get_path (request) + strlen ("/api/schema/");
  BoughNodeSchema *node;
  const char *branch;

  branch = _bough_api_get_branch (self, request);
  if (branch == NULL)
    return;
  schema = _bough_api_get_schema (self, request, branch, TRUE);
  if (schema == NULL)
    return;

  node = kind[0] != '\0' && strchr (kind, '/') == NULL ? bough_schema_lookup (schema, kind) : NULL;
  if (node == NULL)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_NOT_FOUND,
                                      "Unable to find the schema '%s' in the registry", kind);
      return;
    }

  json = bough_node_schema_to_json (node);
  fix_element (json_node_get_object (json));
  bough_http_request_reply_json (request, SOUP_STATUS_OK, json);
}

/* GET /api/schema/json_schema/{kind}: the JSON Schema of a kind's data. */
static void
json_schema_work (BoughHttpRequest *request,
                  gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(JsonNode) json = NULL;
  const char *kind = bough_http_request_get_path (request) + strlen ("/api/schema/json_schema/");
  BoughNodeSchema *node;
  const char *branch;

  branch = _bough_api_get_branch (self, request);
  if (branch == NULL)
    return;
  schema = _bough_api_get_schema (self, request, branch, TRUE);
  if (schema == NULL)
    return;

  node = kind[0] != '\0' && strchr (kind, '/') == NULL ? bough_schema_lookup (schema, kind) : NULL;
  if (node == NULL)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_NOT_FOUND,
                                      "Unable to find the schema '%s' in the registry", kind);
      return;
    }

  json = _bough_api_json_schema_for (node);
  bough_http_request_reply_json (request, SOUP_STATUS_OK, json);
}

/* Load and check */

typedef struct
{
  BoughApi    *api;
  const char  *branch;
  BoughSchema *old_schema;
  BoughSchema *new_schema;
  GHashTable  *counts;    /* kind → node count on the branch, cached */
  GPtrArray   *problems;  /* of char* */
  GError      *error;     /* a storage failure, not a refusal */
} Check;

static void
check_clear (Check *check)
{
  g_clear_pointer (&check->counts, g_hash_table_unref);
  g_clear_pointer (&check->problems, g_ptr_array_unref);
  g_clear_error (&check->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Check, check_clear)

/* Nodes of @kind on the branch, or -1 after a storage failure. A kind the
 * stored schema does not know has none. */
static gint64
count_nodes (Check      *check,
             const char *kind)
{
  g_autoptr(BoughQuery) query = NULL;
  g_autoptr(BoughQueryResult) result = NULL;
  gpointer cached;

  if (g_hash_table_lookup_extended (check->counts, kind, NULL, &cached))
    return GPOINTER_TO_SIZE (cached);
  if (bough_schema_lookup (check->old_schema, kind) == NULL)
    return 0;

  query = bough_query_new (kind);
  query->branch = g_strdup (check->branch);
  query->count_only = TRUE;
  result = bough_store_query (check->api->store, query, check->error ? NULL : &check->error);
  if (result == NULL)
    return -1;
  g_hash_table_insert (check->counts, g_strdup (kind), GSIZE_TO_POINTER (result->count));
  return result->count;
}

static BoughQueryResult *
read_nodes (Check      *check,
            const char *kind)
{
  g_autoptr(BoughQuery) query = bough_query_new (kind);

  query->branch = g_strdup (check->branch);
  return bough_store_query (check->api->store, query, check->error ? NULL : &check->error);
}

static void
add_problem (Check      *check,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (Check      *check,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (check->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static const char *
element_path (const BoughSchemaChange *change,
              char                   **out)
{
  *out = change->element ? g_strdup_printf ("%s.%s", change->kind, change->element)
                         : g_strdup (change->kind);
  return *out;
}

/* Checks every stored value of an attribute against its new definition:
 * mandatory, kind, enum, regex, lengths, and uniqueness. */
static void
check_attribute_values (Check                   *check,
                        const BoughSchemaChange *change,
                        BoughAttributeSchema    *attr)
{
  g_autoptr(BoughQueryResult) result = read_nodes (check, change->kind);
  g_autoptr(GHashTable) seen = NULL;
  guint bad = 0;
  g_autofree char *first = NULL;

  if (result == NULL)
    return;
  if (attr->unique)
    seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < result->nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (result->nodes, i);
      JsonNode *value = bough_node_get_value (node, attr->name);
      g_autoptr(GError) error = NULL;
      g_autofree char *reason = NULL;

      if (value == NULL || JSON_NODE_HOLDS_NULL (value))
        {
          if (!attr->optional)
            reason = g_strdup ("has no value and the attribute becomes mandatory");
        }
      else if (!bough_attribute_validate_value (attr, value, &error))
        reason = g_strdup (error->message);
      else if (seen != NULL)
        {
          g_autoptr(JsonGenerator) generator = json_generator_new ();
          g_autofree char *text = NULL;

          json_generator_set_root (generator, value);
          text = json_generator_to_data (generator, NULL);
          if (!g_hash_table_add (seen, g_steal_pointer (&text)))
            reason = g_strdup ("shares its value with another node and the attribute "
                               "becomes unique");
        }

      if (reason != NULL)
        {
          if (bad++ == 0)
            first = g_strdup_printf ("node %s %s", node->id, reason);
        }
    }

  if (bad > 0)
    add_problem (check, "%s.%s: changing '%s' would break %u existing node%s (%s)",
                 change->kind, attr->name, change->property, bad, bad == 1 ? "" : "s", first);
}

/* Checks the stored peers of a relationship against its new definition:
 * mandatory, cardinality, counts and peer kind. */
static void
check_relationship_peers (Check                   *check,
                          const BoughSchemaChange *change,
                          BoughRelationshipSchema *rel)
{
  g_autoptr(BoughQueryResult) result = read_nodes (check, change->kind);
  g_autofree char *first = NULL;
  guint bad = 0;

  if (result == NULL)
    return;
  if (!bough_store_fetch_peers (check->api->store, check->branch, 0, result->nodes, rel->name,
                                check->error ? NULL : &check->error))
    return;

  for (guint i = 0; i < result->nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (result->nodes, i);
      const BoughRelationshipValue *peers = bough_node_get_relationship (node, rel->name);
      g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
      g_autofree char *reason = NULL;
      guint n;

      for (guint j = 0; peers != NULL && j < peers->n_peers; j++)
        g_ptr_array_add (kinds, (gpointer) peers->peers[j].kind);
      n = kinds->len;

      if (n == 0 && !rel->optional)
        reason = g_strdup ("has no peer and the relationship becomes mandatory");
      else if (n > 1 && rel->cardinality == BOUGH_CARDINALITY_ONE)
        reason = g_strdup_printf ("has %u peers and the cardinality becomes one", n);
      else if (rel->min_count > 0 && n > 0 && n < rel->min_count)
        reason = g_strdup_printf ("has %u peers, fewer than min_count", n);
      else if (rel->max_count > 0 && n > rel->max_count)
        reason = g_strdup_printf ("has %u peers, more than max_count", n);
      else
        for (guint j = 0; j < n && reason == NULL; j++)
          if (!bough_schema_is_a (check->new_schema, g_ptr_array_index (kinds, j), rel->peer))
            reason = g_strdup_printf ("has a peer of kind %s, not a %s",
                                      (const char *) g_ptr_array_index (kinds, j), rel->peer);

      if (reason != NULL && bad++ == 0)
        first = g_strdup_printf ("node %s %s", node->id, reason);
    }

  if (bad > 0)
    add_problem (check, "%s.%s: changing '%s' would break %u existing node%s (%s)",
                 change->kind, rel->name, change->property, bad, bad == 1 ? "" : "s", first);
}

/* Decides whether one change may be applied to the branch as it is now. */
static void
check_change (Check                   *check,
              const BoughSchemaChange *change)
{
  g_autofree char *path = NULL;
  BoughNodeSchema *node;
  gint64 count;

  if (change->rule == BOUGH_SCHEMA_RULE_NOT_SUPPORTED &&
      change->action == BOUGH_SCHEMA_CHANGE_CHANGED)
    {
      add_problem (check, "%s: changing '%s' is not supported", element_path (change, &path),
                   change->property);
      return;
    }

  count = count_nodes (check, change->kind);
  if (count <= 0)
    return;  /* nothing stored to break (or a storage error, reported later) */

  node = bough_schema_lookup (check->new_schema, change->kind);

  if (change->element == NULL)
    {
      if (change->action == BOUGH_SCHEMA_CHANGE_REMOVED)
        add_problem (check, "%s: cannot remove a kind that has %" G_GINT64_FORMAT
                     " node%s on branch %s; delete them first", change->kind, count,
                     count == 1 ? "" : "s", check->branch);
      else if (change->action == BOUGH_SCHEMA_CHANGE_CHANGED &&
               change->rule != BOUGH_SCHEMA_RULE_ALLOWED)
        add_problem (check, "%s: changing '%s' of a kind that has %" G_GINT64_FORMAT
                     " node%s is not supported yet (its data would need %s)",
                     change->kind, change->property, count, count == 1 ? "" : "s",
                     change->rule == BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED ?
                     "a migration" : "validation");
      return;
    }

  if (node == NULL)
    return;

  if (g_str_equal (change->element_type, "attribute"))
    {
      BoughAttributeSchema *attr = bough_node_schema_get_attribute (node, change->element);

      if (change->action == BOUGH_SCHEMA_CHANGE_ADDED && attr != NULL)
        {
          if (!attr->optional && attr->default_value == NULL && attr->computed_attribute == NULL)
            add_problem (check, "%s: the new attribute '%s' is mandatory and has no "
                         "default_value, but %" G_GINT64_FORMAT " existing node%s would have no "
                         "value; make it optional or give it a default_value",
                         change->kind, change->element, count, count == 1 ? "" : "s");
        }
      else if (change->action == BOUGH_SCHEMA_CHANGE_CHANGED && attr != NULL)
        {
          if (change->rule == BOUGH_SCHEMA_RULE_MIGRATION_REQUIRED)
            add_problem (check, "%s.%s: changing '%s' of an attribute with stored values is "
                         "not supported yet (it needs a data migration)",
                         change->kind, change->element, change->property);
          else if (change->rule == BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT)
            check_attribute_values (check, change, attr);
        }
    }
  else if (g_str_equal (change->element_type, "relationship"))
    {
      BoughRelationshipSchema *rel = bough_node_schema_get_relationship (node, change->element);

      if (rel != NULL && change->rule == BOUGH_SCHEMA_RULE_VALIDATE_CONSTRAINT &&
          change->action != BOUGH_SCHEMA_CHANGE_REMOVED)
        check_relationship_peers (check, change, rel);
      else if (rel != NULL && change->action == BOUGH_SCHEMA_CHANGE_ADDED && !rel->optional)
        add_problem (check, "%s: the new relationship '%s' is mandatory, but %" G_GINT64_FORMAT
                     " existing node%s have no peer; make it optional first",
                     change->kind, change->element, count, count == 1 ? "" : "s");
    }
}

static char *
join_problems (GPtrArray *problems)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      if (i > 0)
        g_string_append (text, "; ");
      g_string_append (text, g_ptr_array_index (problems, i));
    }
  return g_string_free (text, FALSE);
}

/* Parses the body `{"schemas": [<schema file>, ...]}` and builds the new
 * snapshot from @base; replies 422 and returns NULL when it cannot. */
static BoughSchema *
build_from_request (BoughHttpRequest *request,
                    BoughSchema      *base)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body = bough_http_request_get_body (request);
  JsonNode *root;
  JsonNode *schemas;
  JsonArray *array;
  BoughSchema *schema;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  if (!bough_json_parser_load_input (parser, data, length, &error))
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                      "the body is not valid JSON%s%s",
                                      error ? ": " : "", error ? error->message : "");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (schemas = json_object_get_member (json_node_get_object (root), "schemas")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (schemas))
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                      "the body must be an object with a 'schemas' list");
      return NULL;
    }
  array = json_node_get_array (schemas);

  builder = bough_schema_builder_new (base);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *file = json_array_get_element (array, i);
      g_autoptr(JsonGenerator) generator = NULL;
      g_autofree char *text = NULL;
      g_autofree char *origin = g_strdup_printf ("schemas[%u]", i);

      if (!JSON_NODE_HOLDS_OBJECT (file))
        {
          bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                          "%s: a schema must be an object", origin);
          return NULL;
        }
      /* JSON is YAML: the builder reads it as a schema file, with its checks
       * and its locations. */
      generator = json_generator_new ();
      json_generator_set_root (generator, file);
      text = json_generator_to_data (generator, NULL);
      if (!bough_schema_builder_add_data (builder, text, -1, origin, &error))
        {
          bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "%s",
                                          error->message);
          return NULL;
        }
    }

  schema = bough_schema_builder_build (builder, &error);
  if (schema == NULL)
    bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "%s",
                                    error->message);
  return schema;
}

/* Shared by load and check: builds, diffs and checks the change; on a
 * refusal replies and returns NULL, else returns the changes. */
static GPtrArray *
prepare_change (BoughApi          *self,
                BoughHttpRequest  *request,
                const char        *branch,
                BoughSchema      **old_out,
                BoughSchema      **new_out)
{
  g_autoptr(BoughSchema) old_schema = NULL;
  g_autoptr(BoughSchema) new_schema = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_auto(Check) check = { 0 };

  old_schema = _bough_api_get_schema (self, request, branch, FALSE);
  if (old_schema == NULL)
    return NULL;
  new_schema = build_from_request (request, old_schema);
  if (new_schema == NULL)
    return NULL;

  changes = bough_schema_diff (old_schema, new_schema);

  check.api = self;
  check.branch = branch;
  check.old_schema = old_schema;
  check.new_schema = new_schema;
  check.counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  check.problems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < changes->len; i++)
    check_change (&check, g_ptr_array_index (changes, i));

  if (check.error != NULL)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                      "cannot check the change against the data: %s",
                                      check.error->message);
      return NULL;
    }
  if (check.problems->len > 0)
    {
      g_autofree char *text = join_problems (check.problems);

      bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                      "schema change refused: %s", text);
      return NULL;
    }

  *old_out = g_steal_pointer (&old_schema);
  *new_out = g_steal_pointer (&new_schema);
  return g_steal_pointer (&changes);
}

/* Gives the nodes stored before an attribute with a default_value was added
 * that default, as Infrahub's node.attribute.add migration does, in one
 * transaction after the schema is stored. */
static gboolean
migrate_added_defaults (BoughApi     *self,
                        const char   *account,
                        const char   *branch,
                        GPtrArray    *changes,
                        BoughSchema  *new_schema,
                        BoughTaskRun *run,
                        GError      **error)
{
  g_autoptr(BoughTxn) txn = NULL;
  guint n_updated = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      BoughSchemaChange *change = g_ptr_array_index (changes, i);
      g_autoptr(BoughQuery) query = NULL;
      g_autoptr(BoughQueryResult) result = NULL;
      BoughNodeSchema *node;
      BoughAttributeSchema *attr;

      if (change->action != BOUGH_SCHEMA_CHANGE_ADDED || change->element == NULL ||
          !g_str_equal (change->element_type, "attribute"))
        continue;
      /* the schema is stored: the rest of the task is the migrations */
      bough_task_run_set_progress (run, 0.5 + 0.5 * i / changes->len);
      node = bough_schema_lookup (new_schema, change->kind);
      attr = node ? bough_node_schema_get_attribute (node, change->element) : NULL;
      if (attr == NULL || attr->default_value == NULL || node->is_generic)
        continue;

      query = bough_query_new (change->kind);
      query->branch = g_strdup (branch);
      result = bough_store_query (self->store, query, error);
      if (result == NULL)
        return FALSE;

      for (guint j = 0; j < result->nodes->len; j++)
        {
          BoughNode *stored = g_ptr_array_index (result->nodes, j);
          JsonNode *value = bough_node_get_value (stored, attr->name);
          g_autoptr(JsonObject) data = NULL;
          g_autoptr(JsonObject) reset = NULL;
          g_autoptr(BoughNode) updated = NULL;

          if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
            continue;
          if (txn == NULL)
            {
              txn = bough_store_begin (self->store, branch, account, error);
              if (txn == NULL)
                return FALSE;
              bough_txn_set_internal (txn, TRUE);
            }
          data = json_object_new ();
          reset = json_object_new ();
          json_object_set_string_member (data, "id", stored->id);
          json_object_set_boolean_member (reset, "is_default", TRUE);
          json_object_set_object_member (data, attr->name, g_steal_pointer (&reset));
          updated = bough_txn_update (txn, stored->kind, data, error);
          if (updated == NULL)
            return FALSE;
          n_updated++;
        }
    }

  if (txn != NULL)
    {
      g_autofree char *message = g_strdup_printf ("gave the defaults of new attributes to %u node(s)",
                                                  n_updated);

      if (!bough_txn_commit (txn, error))
        return FALSE;
      bough_task_run_log (run, "info", message);
    }
  return TRUE;
}

/* What the schema-load task stores (the request's part is done before). */
typedef struct
{
  BoughApi    *self;
  const char  *branch;
  const char  *account;
  GPtrArray   *changes;
  BoughSchema *new_schema;
  gboolean     stored;
} SchemaLoad;

static gboolean
schema_load_run (BoughTaskRun  *run,
                 GError       **error)
{
  SchemaLoad *load = bough_task_run_get_user_data (run);
  g_autofree char *message = g_strdup_printf ("%u change(s) to the schema of %s", load->changes->len,
                                              load->branch);

  bough_task_run_log (run, "info", message);
  if (!bough_store_set_schema (load->self->store, load->branch, load->new_schema, load->account, error))
    return FALSE;
  load->stored = TRUE;
  bough_task_run_set_progress (run, 0.5);
  return migrate_added_defaults (load->self, load->account, load->branch, load->changes,
                                 load->new_schema, run, error);
}

/* POST /api/schema/load?branch= */
static void
load_work (BoughHttpRequest *request,
           gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(BoughSchema) old_schema = NULL;
  g_autoptr(BoughSchema) new_schema = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  BoughIdentity *identity = bough_auth_get_request_identity (request);
  const char *account = identity ? bough_identity_get_account_id (identity) : NULL;
  const char *branch;
  gboolean updated;

  branch = _bough_api_get_branch (self, request);
  if (branch == NULL)
    return;
  if (!_bough_api_require_global (self, request, branch, "manage_schema"))
    return;

  locker = g_mutex_locker_new (&self->schema_lock);
  changes = prepare_change (self, request, branch, &old_schema, &new_schema);
  if (changes == NULL)
    return;

  updated = g_strcmp0 (bough_schema_get_hash (old_schema), bough_schema_get_hash (new_schema)) != 0;
  if (updated)
    {
      /* storing and migrating are a task (state, progress, logs), run in
       * this thread: the answer needs its outcome */
      SchemaLoad load = { self, branch, account, changes, new_schema, FALSE };
      g_autofree char *title = g_strdup_printf ("Load the schema of branch %s", branch);
      g_autoptr(BoughTask) task = bough_task_new (title, "schema-load");
      g_autoptr(BoughTask) ended = NULL;

      task->branch = g_strdup (branch);
      task->account = g_strdup (account);
      ended = bough_task_queue_run_func (self->tasks, self->store, task, schema_load_run, &load, &error);
      if (ended != NULL)
        bough_task_to_error (ended, &error);
      if (error != NULL && !load.stored)
        {
          bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                          "cannot store the schema: %s", error->message);
          return;
        }
      if (error != NULL)
        {
          bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                          "the schema is stored, but giving existing nodes the "
                                          "default of a new attribute failed: %s", error->message);
          return;
        }
    }

  root = json_object_new ();
  json_object_set_string_member (root, "hash", bough_schema_get_hash (new_schema));
  json_object_set_string_member (root, "previous_hash", bough_schema_get_hash (old_schema));
  json_object_set_member (root, "diff", bough_schema_diff_to_json (changes));
  json_object_set_boolean_member (root, "schema_updated", updated);
  json_object_set_array_member (root, "warnings", json_array_new ());
  reply_object (request, SOUP_STATUS_OK, root);
}

/* POST /api/schema/check?branch=: the diff a load would apply, nothing stored. */
static void
check_work (BoughHttpRequest *request,
            gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(BoughSchema) old_schema = NULL;
  g_autoptr(BoughSchema) new_schema = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(JsonObject) root = NULL;
  const char *branch;

  branch = _bough_api_get_branch (self, request);
  if (branch == NULL)
    return;
  if (!_bough_api_require_global (self, request, branch, "manage_schema"))
    return;

  changes = prepare_change (self, request, branch, &old_schema, &new_schema);
  if (changes == NULL)
    return;

  root = json_object_new ();
  json_object_set_member (root, "diff", bough_schema_diff_to_json (changes));
  reply_object (request, SOUP_STATUS_ACCEPTED, root);
}

void
_bough_api_schema_register (BoughApi        *self,
                            BoughHttpRouter *router)
{
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/api/schema", schema_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/api/schema/summary", summary_work,
                              self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_POST, "/api/schema/load", load_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_POST, "/api/schema/check", check_work, self,
                              NULL);
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/api/schema/json_schema/*",
                              json_schema_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/api/schema/*", kind_work, self, NULL);
}
