/* bough-webhook-sign.h: Standard Webhooks signing of outgoing deliveries:
 * the signing key of a shared secret, message ids and the `v1,` signature
 * over "{id}.{timestamp}.{body}".
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *bough_webhook_signing_key    (const char   *shared_key);
char   *bough_webhook_new_message_id (void);
char   *bough_webhook_sign           (GBytes       *key,
                                      const char   *message_id,
                                      gint64        timestamp,
                                      const guint8 *body,
                                      gsize         body_length);
char   *bough_webhook_mask_signature (const char   *signature);

G_END_DECLS
