/* bough-webhook.c: outgoing webhooks as configured in the store, their
 * filters (reference §8.3), the delivery body and request.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-webhooks"

#include "config.h"

#include <string.h>

#include "bough-error.h"

#include "bough-webhook-sign.h"
#include "bough-webhook.h"

static void
header_free (BoughWebhookHeader *header)
{
  g_free (header->key);
  g_free (header->value);
  g_free (header);
}

BoughWebhook *
bough_webhook_ref (BoughWebhook *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bough_webhook_unref (BoughWebhook *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->name);
  g_free (self->url);
  g_free (self->event_type);
  g_free (self->node_kind);
  if (self->shared_key != NULL)
    memset (self->shared_key, 0, strlen (self->shared_key));
  g_free (self->shared_key);
  g_free (self->transformation);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_free (self);
}

static const char *
string_attribute (BoughNode  *node,
                  const char *name)
{
  const BoughAttributeValue *attr = bough_node_get_attribute (node, name);

  if (attr == NULL || attr->type != BOUGH_VALUE_STRING)
    return NULL;
  return attr->v.string;
}

static gboolean
boolean_attribute (BoughNode  *node,
                   const char *name,
                   gboolean    unset)
{
  const BoughAttributeValue *attr = bough_node_get_attribute (node, name);

  if (attr == NULL || attr->type != BOUGH_VALUE_BOOLEAN)
    return unset;
  return attr->v.boolean;
}

static int
compare_headers (gconstpointer a,
                 gconstpointer b)
{
  const BoughWebhookHeader *ha = *(BoughWebhookHeader * const *) a;
  const BoughWebhookHeader *hb = *(BoughWebhookHeader * const *) b;

  return g_ascii_strcasecmp (ha->key, hb->key);
}

/**
 * bough_webhook_new:
 * @kind: CoreStandardWebhook or CoreCustomWebhook
 * @url: where deliveries go
 *
 * A webhook with the schema's defaults (every event type, default branch,
 * active, certificates checked), no key and no headers; its fields may be
 * set before it is shared.
 *
 * Returns: (transfer full): the webhook
 */
BoughWebhook *
bough_webhook_new (const char *kind,
                   const char *url)
{
  BoughWebhook *self;

  g_return_val_if_fail (kind != NULL, NULL);

  self = g_new0 (BoughWebhook, 1);
  self->ref_count = 1;
  self->kind = g_strdup (kind);
  self->url = g_strdup (url);
  self->event_type = g_strdup ("all");
  self->branch_scope = BOUGH_WEBHOOK_SCOPE_DEFAULT_BRANCH;
  self->active = TRUE;
  self->validate_certificates = TRUE;
  self->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) header_free);
  return self;
}

/**
 * bough_webhook_add_header:
 * @self: a webhook being set up
 * @key: the header name
 * @value: its value, or the environment variable holding it
 * @from_env: whether @value names an environment variable
 */
void
bough_webhook_add_header (BoughWebhook *self,
                          const char   *key,
                          const char   *value,
                          gboolean      from_env)
{
  BoughWebhookHeader *header;

  g_return_if_fail (self != NULL);
  g_return_if_fail (key != NULL);

  header = g_new0 (BoughWebhookHeader, 1);
  header->key = g_strdup (key);
  header->value = g_strdup (value != NULL ? value : "");
  header->from_env = from_env;
  g_ptr_array_add (self->headers, header);
  g_ptr_array_sort (self->headers, compare_headers);
}

static BoughWebhook *
webhook_from_node (BoughNode  *node,
                   GHashTable *key_values)
{
  BoughWebhook *self = bough_webhook_new (node->kind, string_attribute (node, "url"));
  const BoughRelationshipValue *headers;
  const BoughRelationshipValue *transformation;
  const char *scope;
  const char *text;

  self->id = g_strdup (node->id);
  self->created_at = node->created_at;
  self->name = g_strdup (string_attribute (node, "name"));
  text = string_attribute (node, "event_type");
  g_free (self->event_type);
  self->event_type = g_strdup (text != NULL && text[0] != '\0' ? text : "all");
  scope = string_attribute (node, "branch_scope");
  if (g_strcmp0 (scope, "all_branches") == 0)
    self->branch_scope = BOUGH_WEBHOOK_SCOPE_ALL_BRANCHES;
  else if (g_strcmp0 (scope, "other_branches") == 0)
    self->branch_scope = BOUGH_WEBHOOK_SCOPE_OTHER_BRANCHES;
  else
    self->branch_scope = BOUGH_WEBHOOK_SCOPE_DEFAULT_BRANCH;
  text = string_attribute (node, "node_kind");
  self->node_kind = text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;
  self->active = boolean_attribute (node, "active", TRUE);
  /* the schema's default: Infrahub reads an unset value as FALSE, which
   * would turn verification off for anyone who never set it */
  self->validate_certificates = boolean_attribute (node, "validate_certificates", TRUE);
  text = string_attribute (node, "shared_key");
  self->shared_key = text != NULL && text[0] != '\0' ? g_strdup (text) : NULL;

  transformation = bough_node_get_relationship (node, "transformation");
  if (transformation != NULL && transformation->n_peers > 0)
    self->transformation = g_strdup (transformation->peers[0].id);

  headers = bough_node_get_relationship (node, "headers");
  for (guint i = 0; headers != NULL && i < headers->n_peers; i++)
    {
      BoughNode *peer = g_hash_table_lookup (key_values, headers->peers[i].id);
      const char *key;

      if (peer == NULL)
        continue;
      key = string_attribute (peer, "key");
      if (key == NULL || key[0] == '\0')
        continue;
      bough_webhook_add_header (self, key, string_attribute (peer, "value"),
                                g_str_equal (peer->kind, BOUGH_WEBHOOK_ENV_KEY_VALUE_KIND));
    }

  return self;
}

/**
 * bough_webhook_load:
 * @store: the store
 * @id: (nullable): one webhook's id, %NULL for every webhook
 * @error: return location for a #GError
 *
 * Reads the webhooks (active or not) with their headers, in a number of
 * statements that does not depend on how many there are. A store whose
 * schema has no webhooks has none.
 *
 * Returns: (transfer full) (element-type BoughWebhook): the webhooks, or
 *   %NULL with @error set
 */
GPtrArray *
bough_webhook_load (BoughStore  *store,
                    const char  *id,
                    GError     **error)
{
  g_autoptr(GPtrArray) webhooks = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_webhook_unref);
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(BoughQuery) query = NULL;
  g_autoptr(BoughQueryResult) result = NULL;
  g_autoptr(GPtrArray) custom = NULL;
  g_autoptr(GHashTable) key_values = NULL;
  g_autoptr(BoughQueryResult) kv_result = NULL;
  g_autoptr(JsonArray) kv_ids = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  schema = bough_store_get_schema (store, NULL, 0, error);
  if (schema == NULL)
    return NULL;
  if (bough_schema_lookup (schema, BOUGH_WEBHOOK_GENERIC) == NULL)
    return g_steal_pointer (&webhooks);

  query = bough_query_new (BOUGH_WEBHOOK_GENERIC);
  query->skip_count = TRUE;
  if (id != NULL)
    {
      g_autoptr(JsonNode) ids = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonArray) array = json_array_new ();

      json_array_add_string_element (array, id);
      json_node_set_array (ids, array);
      bough_query_add_filter (query, NULL, NULL, BOUGH_FILTER_IDS, ids);
    }
  result = bough_store_query (store, query, error);
  if (result == NULL)
    return NULL;
  if (result->nodes->len == 0)
    return g_steal_pointer (&webhooks);

  if (!bough_store_fetch_peers (store, NULL, 0, result->nodes, "headers", error))
    return NULL;
  custom = g_ptr_array_new ();
  for (guint i = 0; i < result->nodes->len; i++)
    {
      BoughNode *node = g_ptr_array_index (result->nodes, i);

      if (g_str_equal (node->kind, BOUGH_WEBHOOK_CUSTOM_KIND))
        g_ptr_array_add (custom, node);
    }
  if (custom->len > 0 &&
      !bough_store_fetch_peers (store, NULL, 0, custom, "transformation", error))
    return NULL;

  key_values = g_hash_table_new (g_str_hash, g_str_equal);
  kv_ids = json_array_new ();
  for (guint i = 0; i < result->nodes->len; i++)
    {
      const BoughRelationshipValue *headers =
        bough_node_get_relationship (g_ptr_array_index (result->nodes, i), "headers");

      for (guint j = 0; headers != NULL && j < headers->n_peers; j++)
        json_array_add_string_element (kv_ids, headers->peers[j].id);
    }
  if (json_array_get_length (kv_ids) > 0)
    {
      g_autoptr(BoughQuery) kv_query = bough_query_new (BOUGH_WEBHOOK_KEY_VALUE_KIND);
      g_autoptr(JsonNode) ids = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (ids, kv_ids);
      bough_query_add_filter (kv_query, NULL, NULL, BOUGH_FILTER_IDS, ids);
      kv_query->skip_count = TRUE;
      kv_result = bough_store_query (store, kv_query, error);
      if (kv_result == NULL)
        return NULL;
      for (guint i = 0; i < kv_result->nodes->len; i++)
        {
          BoughNode *node = g_ptr_array_index (kv_result->nodes, i);

          g_hash_table_insert (key_values, node->id, node);
        }
    }

  for (guint i = 0; i < result->nodes->len; i++)
    g_ptr_array_add (webhooks, webhook_from_node (g_ptr_array_index (result->nodes, i), key_values));
  return g_steal_pointer (&webhooks);
}

/**
 * bough_webhook_event_has_node_kind:
 * @event_type: an event type
 *
 * Returns: whether a webhook's node_kind filters events of @event_type
 *   (node, artifact, group and validator events)
 */
gboolean
bough_webhook_event_has_node_kind (const char *event_type)
{
  g_return_val_if_fail (event_type != NULL, FALSE);

  return g_str_has_prefix (event_type, "infrahub.node.") ||
         g_str_has_prefix (event_type, "infrahub.artifact.") ||
         g_str_has_prefix (event_type, "infrahub.group.") ||
         g_str_has_prefix (event_type, "infrahub.validator.");
}

/**
 * bough_webhook_matches:
 * @self: a webhook
 * @event_type: the event's type
 * @branch: (nullable): the event's branch; %NULL or the global branch for
 *   events of no branch, which count as the default branch's
 * @node_kind: (nullable): the kind the event concerns
 *
 * Whether @self takes the event: it is active, its event type is "all" or
 * @event_type, the branch is in its scope, and, when it names a node kind
 * and the event is one that concerns a node, @node_kind is that kind.
 *
 * Returns: %TRUE when the event is to be delivered to @self
 */
gboolean
bough_webhook_matches (BoughWebhook *self,
                       const char   *event_type,
                       const char   *branch,
                       const char   *node_kind)
{
  gboolean on_default;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (event_type != NULL, FALSE);

  if (!self->active)
    return FALSE;
  if (!g_str_equal (self->event_type, "all") && !g_str_equal (self->event_type, event_type))
    return FALSE;

  on_default = branch == NULL || g_str_equal (branch, BOUGH_DEFAULT_BRANCH) ||
               g_str_equal (branch, BOUGH_GLOBAL_BRANCH);
  if (self->branch_scope == BOUGH_WEBHOOK_SCOPE_DEFAULT_BRANCH && !on_default)
    return FALSE;
  if (self->branch_scope == BOUGH_WEBHOOK_SCOPE_OTHER_BRANCHES && on_default)
    return FALSE;

  if (self->node_kind != NULL && bough_webhook_event_has_node_kind (event_type) &&
      g_strcmp0 (self->node_kind, node_kind) != 0)
    return FALSE;
  return TRUE;
}

/**
 * bough_webhook_build_body:
 * @event: the event
 *
 * The body of a delivery (reference §8.3): compact JSON
 * `{"data", "id", "branch", "account_id", "occured_at", "event"}`, with
 * the reference's spelling of `occured_at`.
 *
 * Returns: (transfer full): the body
 */
GBytes *
bough_webhook_build_body (const BoughWebhookEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  char *text;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (event->id != NULL, NULL);
  g_return_val_if_fail (event->event != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  if (event->payload != NULL)
    json_builder_add_value (builder, json_node_copy (event->payload));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, event->id);
  json_builder_set_member_name (builder, "branch");
  if (event->branch != NULL && !g_str_equal (event->branch, BOUGH_GLOBAL_BRANCH))
    json_builder_add_string_value (builder, event->branch);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "account_id");
  if (event->account_id != NULL)
    json_builder_add_string_value (builder, event->account_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "occured_at");
  json_builder_add_string_value (builder, event->occurred_at != NULL ? event->occurred_at : "");
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event->event);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, FALSE);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

static void
request_header_free (BoughWebhookRequestHeader *header)
{
  g_free (header->name);
  if (header->value != NULL)
    memset (header->value, 0, strlen (header->value));
  g_free (header->value);
  g_free (header);
}

static void
request_set_header (BoughWebhookRequest *request,
                    const char          *name,
                    const char          *value,
                    gboolean             secret)
{
  BoughWebhookRequestHeader *header;

  for (guint i = 0; i < request->headers->len; i++)
    {
      header = g_ptr_array_index (request->headers, i);
      if (g_ascii_strcasecmp (header->name, name) == 0)
        {
          g_ptr_array_remove_index (request->headers, i);
          break;
        }
    }
  header = g_new0 (BoughWebhookRequestHeader, 1);
  header->name = g_strdup (name);
  header->value = g_strdup (value);
  header->secret = secret;
  g_ptr_array_add (request->headers, header);
}

static gboolean
is_token (const char *name)
{
  if (name[0] == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_field_value (const char *value)
{
  for (const guchar *p = (const guchar *) value; *p != '\0'; p++)
    if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* Headers the transport or the signature owns. */
static gboolean
is_reserved_header (const char *name)
{
  static const char * const reserved[] = {
    "host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer",
    "keep-alive", "proxy-connection", "webhook-id", "webhook-timestamp", "webhook-signature",
  };

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_ascii_strcasecmp (name, reserved[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Static values under these names are credentials all the same. */
static gboolean
is_secret_name (const char *name)
{
  static const char * const words[] = { "auth", "token", "key", "secret", "password", "cookie",
                                        "session", "signature", "credential" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * bough_webhook_request_new:
 * @self: a webhook
 * @body: the body to send
 * @message_id: (nullable): the delivery's `webhook-id` (the same on every
 *   attempt of one delivery); a new one when %NULL
 * @timestamp: the attempt's `webhook-timestamp`, Unix seconds
 *
 * Builds the request of one attempt: `Accept` and `Content-Type`
 * application/json, the webhook's headers (environment variable values read
 * now from the server's environment), and when the webhook has a shared key
 * the Standard Webhooks headers signing @body.
 *
 * Returns: (transfer full): the request
 */
BoughWebhookRequest *
bough_webhook_request_new (BoughWebhook *self,
                           GBytes       *body,
                           const char   *message_id,
                           gint64        timestamp)
{
  BoughWebhookRequest *request;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  request = g_new0 (BoughWebhookRequest, 1);
  request->url = g_strdup (self->url);
  request->body = g_bytes_ref (body);
  request->validate_certificates = self->validate_certificates;
  request->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) request_header_free);
  request->warnings = g_ptr_array_new_with_free_func (g_free);

  request_set_header (request, "Accept", "application/json", FALSE);
  request_set_header (request, "Content-Type", "application/json", FALSE);

  for (guint i = 0; i < self->headers->len; i++)
    {
      BoughWebhookHeader *header = g_ptr_array_index (self->headers, i);
      const char *value = header->value;

      if (!is_token (header->key))
        {
          g_ptr_array_add (request->warnings,
                           g_strdup_printf ("header “%s” left out: not a valid header name",
                                            header->key));
          continue;
        }
      if (is_reserved_header (header->key))
        {
          g_ptr_array_add (request->warnings,
                           g_strdup_printf ("header “%s” left out: it is set by the delivery itself",
                                            header->key));
          continue;
        }
      if (header->from_env)
        {
          value = g_getenv (header->value);
          if (value == NULL)
            {
              g_ptr_array_add (request->warnings,
                               g_strdup_printf ("header “%s” left out: the environment variable "
                                                "%s is not set", header->key, header->value));
              continue;
            }
        }
      if (!is_field_value (value))
        {
          g_ptr_array_add (request->warnings,
                           g_strdup_printf ("header “%s” left out: its value holds control characters",
                                            header->key));
          continue;
        }
      request_set_header (request, header->key, value,
                          header->from_env || is_secret_name (header->key));
    }

  if (self->shared_key != NULL)
    {
      g_autoptr(GBytes) key = bough_webhook_signing_key (self->shared_key);
      g_autofree char *stamp = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);
      g_autofree char *signature = NULL;
      gsize length;
      const guint8 *data = g_bytes_get_data (body, &length);

      request->message_id = message_id != NULL ? g_strdup (message_id) : bough_webhook_new_message_id ();
      signature = bough_webhook_sign (key, request->message_id, timestamp, data, length);
      request_set_header (request, "webhook-id", request->message_id, FALSE);
      request_set_header (request, "webhook-timestamp", stamp, FALSE);
      request_set_header (request, "webhook-signature", signature, TRUE);
    }

  return request;
}

void
bough_webhook_request_free (BoughWebhookRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->url);
  g_clear_pointer (&request->headers, g_ptr_array_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->message_id);
  g_clear_pointer (&request->warnings, g_ptr_array_unref);
  g_free (request);
}

/**
 * bough_webhook_request_get_header:
 * @request: a request
 * @name: a header name (any case)
 *
 * Returns: (nullable): the header's value
 */
const char *
bough_webhook_request_get_header (BoughWebhookRequest *request,
                                  const char          *name)
{
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < request->headers->len; i++)
    {
      BoughWebhookRequestHeader *header = g_ptr_array_index (request->headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

/**
 * bough_webhook_request_describe:
 * @request: a request
 *
 * The request as a log shows it: `POST <url>`, one line per header with
 * secret values masked, a blank line and the body.
 *
 * Returns: (transfer full): the text
 */
char *
bough_webhook_request_describe (BoughWebhookRequest *request)
{
  GString *text;
  gsize length;
  const char *body;

  g_return_val_if_fail (request != NULL, NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, "POST %s\n", request->url);
  for (guint i = 0; i < request->headers->len; i++)
    {
      BoughWebhookRequestHeader *header = g_ptr_array_index (request->headers, i);

      if (!header->secret)
        g_string_append_printf (text, "%s: %s\n", header->name, header->value);
      else if (g_ascii_strcasecmp (header->name, "webhook-signature") == 0)
        {
          g_autofree char *masked = bough_webhook_mask_signature (header->value);

          g_string_append_printf (text, "%s: %s\n", header->name, masked);
        }
      else
        g_string_append_printf (text, "%s: ****\n", header->name);
    }
  g_string_append_c (text, '\n');
  body = g_bytes_get_data (request->body, &length);
  if (g_utf8_validate (body, length, NULL))
    g_string_append_len (text, body, length);
  else
    g_string_append_printf (text, "(%" G_GSIZE_FORMAT " bytes of binary data)", length);
  return g_string_free (text, FALSE);
}
