/* bough-webhook-send.h: one HTTP attempt of a webhook delivery (libsoup,
 * behind the SSRF guard, with a deadline), what came back, and whether and
 * when to try again.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

#include "bough-webhook-guard.h"
#include "bough-webhook.h"

G_BEGIN_DECLS

/* Bytes of a response body kept for the delivery's log. */
#define BOUGH_WEBHOOK_RESPONSE_HEAD 1024

/**
 * BoughWebhookOutcome:
 * @BOUGH_WEBHOOK_OUTCOME_SUCCESS: the receiver answered 2xx
 * @BOUGH_WEBHOOK_OUTCOME_RETRY: a network error, a timeout, 5xx or 429: a
 *   later attempt may succeed
 * @BOUGH_WEBHOOK_OUTCOME_FAIL: anything else (another status, a refused
 *   address, a certificate error, an invalid URL): retrying cannot help
 * @BOUGH_WEBHOOK_OUTCOME_CANCELLED: the attempt was cancelled
 */
typedef enum
{
  BOUGH_WEBHOOK_OUTCOME_SUCCESS,
  BOUGH_WEBHOOK_OUTCOME_RETRY,
  BOUGH_WEBHOOK_OUTCOME_FAIL,
  BOUGH_WEBHOOK_OUTCOME_CANCELLED,
} BoughWebhookOutcome;

/**
 * BoughWebhookResponse:
 * @outcome: what the attempt means for the delivery
 * @status: the HTTP status, 0 when no response came
 * @reason: (nullable): its reason phrase
 * @headers: (nullable): the response headers as `Name: value` lines
 * @body_head: (nullable): the first %BOUGH_WEBHOOK_RESPONSE_HEAD bytes of
 *   the body
 * @retry_after: seconds the receiver asked to wait (`Retry-After`), -1 if
 *   it did not
 * @error: (nullable): why no usable response came
 */
typedef struct
{
  BoughWebhookOutcome  outcome;
  guint                status;
  char                *reason;
  char                *headers;
  GBytes              *body_head;
  gint64               retry_after;
  GError              *error;
} BoughWebhookResponse;

BoughWebhookResponse *bough_webhook_send          (BoughWebhookRequest  *request,
                                                   BoughWebhookGuard    *guard,
                                                   guint                 timeout,
                                                   GCancellable         *cancellable);
void                  bough_webhook_response_free (BoughWebhookResponse *response);
char                 *bough_webhook_response_describe (BoughWebhookResponse *response);
gint64                bough_webhook_parse_retry_after (const char       *value,
                                                   gint64                now);
gint64                bough_webhook_retry_delay   (guint                 attempt,
                                                   gint64                initial,
                                                   gint64                maximum,
                                                   gint64                retry_after);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughWebhookResponse, bough_webhook_response_free)

G_END_DECLS
