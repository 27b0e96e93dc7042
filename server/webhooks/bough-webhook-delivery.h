/* bough-webhook-delivery.h: webhook deliveries as durable tasks: the
 * dispatcher that follows the event table and enqueues one delivery task per
 * matching webhook and event, and the run of one delivery task.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-config.h"
#include "store/bough-store.h"
#include "store/bough-store-events.h"
#include "store/bough-store-task.h"
#include "bough-webhook-guard.h"
#include "bough-webhook-send.h"
#include "bough-webhook.h"

G_BEGIN_DECLS

/* The workflow of delivery tasks. */
#define BOUGH_WEBHOOK_WORKFLOW "webhook-send"

/**
 * BoughWebhookSettings:
 * @guard: the SSRF guard
 * @timeout: seconds one attempt may take
 * @max_attempts: attempts of one delivery
 * @retry_delay: seconds before the second attempt, doubled after
 * @max_retry_delay: longest wait between attempts
 * @poll_interval: seconds between looks for other processes' events
 */
typedef struct
{
  BoughWebhookGuard *guard;
  guint              timeout;
  guint              max_attempts;
  gint64             retry_delay;
  gint64             max_retry_delay;
  gint64             poll_interval;
} BoughWebhookSettings;

BoughWebhookSettings *bough_webhook_settings_new_from_config (BoughConfig  *config,
                                                              GError      **error);
void                  bough_webhook_settings_free   (BoughWebhookSettings *settings);

char                 *bough_webhook_delivery_id     (const char   *webhook_id,
                                                     const char   *event_id);

/**
 * BoughWebhookLogFunc:
 * @severity: "info", "warning" or "error"
 * @message: the log line
 * @user_data: the data given with the function
 *
 * Receives the log of a delivery (the task's log).
 */
typedef void (*BoughWebhookLogFunc) (const char *severity,
                                     const char *message,
                                     gpointer    user_data);

BoughWebhookOutcome   bough_webhook_deliver         (BoughStore                 *store,
                                                     const BoughWebhookSettings *settings,
                                                     const char                 *parameters,
                                                     guint                       attempt,
                                                     BoughWebhookLogFunc         log_func,
                                                     gpointer                    user_data,
                                                     GCancellable               *cancellable,
                                                     gint64                     *retry_in,
                                                     GError                    **error);

typedef struct _BoughWebhookDispatcher BoughWebhookDispatcher;

BoughWebhookDispatcher *bough_webhook_dispatcher_new    (BoughStore             *store,
                                                         BoughWebhookSettings   *settings,
                                                         const char             *cursor_path);
void                    bough_webhook_dispatcher_free   (BoughWebhookDispatcher *self);
gboolean                bough_webhook_dispatcher_start  (BoughWebhookDispatcher *self,
                                                         GError                **error);
void                    bough_webhook_dispatcher_stop   (BoughWebhookDispatcher *self);
gboolean                bough_webhook_dispatcher_run_once (BoughWebhookDispatcher *self,
                                                         guint                  *enqueued,
                                                         GError                **error);
gint64                  bough_webhook_dispatcher_get_cursor (BoughWebhookDispatcher *self);
void                    bough_webhook_dispatcher_set_submit_func (BoughWebhookDispatcher *self,
                                                         gboolean (*func) (BoughTask  *task,
                                                                           gpointer    user_data,
                                                                           GError    **error),
                                                         gpointer                user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughWebhookSettings, bough_webhook_settings_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughWebhookDispatcher, bough_webhook_dispatcher_free)

G_END_DECLS
