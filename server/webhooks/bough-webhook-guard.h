/* bough-webhook-guard.h: the SSRF guard of outgoing webhooks: which
 * addresses a delivery may connect to (public ones, and those the operator
 * allow-listed in `[webhooks] allow_hosts`).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _BoughWebhookGuard BoughWebhookGuard;

BoughWebhookGuard *bough_webhook_guard_new           (const char        *allow_hosts,
                                                      GError           **error);
void               bough_webhook_guard_free          (BoughWebhookGuard *self);
const char        *bough_webhook_address_class       (GInetAddress      *address);
gboolean           bough_webhook_guard_check_address (BoughWebhookGuard *self,
                                                      const char        *host,
                                                      GInetAddress      *address,
                                                      GError           **error);
gboolean           bough_webhook_guard_check_host    (BoughWebhookGuard *self,
                                                      const char        *host,
                                                      GCancellable      *cancellable,
                                                      GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughWebhookGuard, bough_webhook_guard_free)

G_END_DECLS
