/* bough-webhook.h: outgoing webhooks as configured in the store
 * (CoreStandardWebhook, CoreCustomWebhook and their CoreKeyValue headers):
 * loading them, the event filters, the delivery body and the HTTP request of
 * one delivery.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>

#include "store/bough-store.h"

G_BEGIN_DECLS

#define BOUGH_WEBHOOK_GENERIC          "CoreWebhook"
#define BOUGH_WEBHOOK_STANDARD_KIND    "CoreStandardWebhook"
#define BOUGH_WEBHOOK_CUSTOM_KIND      "CoreCustomWebhook"
#define BOUGH_WEBHOOK_KEY_VALUE_KIND   "CoreKeyValue"
#define BOUGH_WEBHOOK_ENV_KEY_VALUE_KIND "CoreEnvKeyValue"

typedef enum
{
  BOUGH_WEBHOOK_SCOPE_ALL_BRANCHES,
  BOUGH_WEBHOOK_SCOPE_DEFAULT_BRANCH,
  BOUGH_WEBHOOK_SCOPE_OTHER_BRANCHES,
} BoughWebhookBranchScope;

/**
 * BoughWebhookHeader:
 * @key: the header name
 * @value: the value, or the name of the environment variable holding it
 * @from_env: @value names an environment variable (a CoreEnvKeyValue)
 */
typedef struct
{
  char     *key;
  char     *value;
  gboolean  from_env;
} BoughWebhookHeader;

/**
 * BoughWebhook:
 * @id: the webhook node's id
 * @kind: CoreStandardWebhook or CoreCustomWebhook
 * @name: its name
 * @url: where deliveries go
 * @event_type: an event type, or "all"
 * @branch_scope: which branches' events it takes
 * @node_kind: (nullable): the kind node, artifact, group and validator
 *   events must concern
 * @active: whether it takes events at all
 * @validate_certificates: whether TLS certificates are checked
 * @shared_key: (nullable): the signing secret
 * @transformation: (nullable): id of the CoreTransformPython of a custom
 *   webhook
 * @headers: (element-type BoughWebhookHeader): extra headers, in name order
 * @created_at: commit stamp of the webhook's creation: it takes only
 *   events that came after
 *
 * Immutable once loaded, shared between threads by reference.
 */
typedef struct
{
  char                    *id;
  char                    *kind;
  char                    *name;
  char                    *url;
  char                    *event_type;
  BoughWebhookBranchScope  branch_scope;
  char                    *node_kind;
  gboolean                 active;
  gboolean                 validate_certificates;
  char                    *shared_key;
  char                    *transformation;
  GPtrArray               *headers;
  gint64                   created_at;
  /*< private >*/
  gint                     ref_count;
} BoughWebhook;

BoughWebhook *bough_webhook_new              (const char   *kind,
                                              const char   *url);
void          bough_webhook_add_header       (BoughWebhook *self,
                                              const char   *key,
                                              const char   *value,
                                              gboolean      from_env);
BoughWebhook *bough_webhook_ref              (BoughWebhook *self);
void          bough_webhook_unref            (BoughWebhook *self);
GPtrArray    *bough_webhook_load             (BoughStore   *store,
                                              const char   *id,
                                              GError      **error);
gboolean      bough_webhook_event_has_node_kind (const char *event_type);
gboolean      bough_webhook_matches          (BoughWebhook *self,
                                              const char   *event_type,
                                              const char   *branch,
                                              const char   *node_kind);

/**
 * BoughWebhookEvent:
 * @id: the event's id
 * @event: its type, such as `infrahub.node.created`
 * @occurred_at: when it happened (ISO 8601)
 * @branch: (nullable): its branch; %NULL (or the global branch) for none
 * @account_id: (nullable): who caused it
 * @payload: (nullable): the event's payload (`data` of the delivery)
 *
 * What a delivery needs of an event.
 */
typedef struct
{
  const char *id;
  const char *event;
  const char *occurred_at;
  const char *branch;
  const char *account_id;
  JsonNode   *payload;
} BoughWebhookEvent;

GBytes       *bough_webhook_build_body       (const BoughWebhookEvent *event);

/**
 * BoughWebhookRequestHeader:
 * @name: the header name
 * @value: its value
 * @secret: the value is a secret: logs show it masked
 */
typedef struct
{
  char     *name;
  char     *value;
  gboolean  secret;
} BoughWebhookRequestHeader;

/**
 * BoughWebhookRequest:
 * @url: the target
 * @headers: (element-type BoughWebhookRequestHeader): the headers, in the
 *   order sent
 * @body: the exact body sent (and signed)
 * @validate_certificates: whether TLS certificates are checked
 * @message_id: (nullable): the `webhook-id` when signed
 * @warnings: (element-type utf8): what was left out of the request and why
 *   (a header whose environment variable is unset, a reserved header name)
 */
typedef struct
{
  char      *url;
  GPtrArray *headers;
  GBytes    *body;
  gboolean   validate_certificates;
  char      *message_id;
  GPtrArray *warnings;
} BoughWebhookRequest;

BoughWebhookRequest *bough_webhook_request_new (BoughWebhook *self,
                                                GBytes       *body,
                                                const char   *message_id,
                                                gint64        timestamp);
void          bough_webhook_request_free     (BoughWebhookRequest *request);
const char   *bough_webhook_request_get_header (BoughWebhookRequest *request,
                                                const char          *name);
char         *bough_webhook_request_describe (BoughWebhookRequest *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughWebhook, bough_webhook_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughWebhookRequest, bough_webhook_request_free)

G_END_DECLS
