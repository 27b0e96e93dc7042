/* bough-webhooks.h: outgoing webhooks in a running process: the delivery
 * workflow registered with the task queue and the event dispatcher.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-config.h"
#include "store/bough-store.h"
#include "tasks/bough-task-queue.h"

G_BEGIN_DECLS

typedef struct _BoughWebhooks BoughWebhooks;

BoughWebhooks *bough_webhooks_start (BoughConfig    *config,
                                     BoughStore     *store,
                                     BoughTaskQueue *queue,
                                     GError        **error);
void           bough_webhooks_stop  (BoughWebhooks  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughWebhooks, bough_webhooks_stop)

G_END_DECLS
