/* bough-webhook-sign.c: Standard Webhooks signing of outgoing deliveries.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-webhooks"

#include "config.h"

#include <string.h>

#include "bough-webhook-sign.h"

#define SECRET_PREFIX "whsec_"

static gboolean
is_base64 (const char *text)
{
  gsize len = strlen (text);
  gsize padding = 0;

  if (len == 0 || len % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          /* padding only at the end, at most two */
          if (len - i > 2)
            return FALSE;
          padding++;
          continue;
        }
      if (padding > 0)
        return FALSE;
      if (!g_ascii_isalnum (c) && c != '+' && c != '/')
        return FALSE;
    }
  return TRUE;
}

/**
 * bough_webhook_signing_key:
 * @shared_key: the webhook's shared key
 *
 * The HMAC key of @shared_key. A Standard Webhooks secret (`whsec_` then
 * base64) stands for the bytes it encodes, as the Standard Webhooks
 * libraries read it; any other text is used as its UTF-8 bytes, as Infrahub
 * does, so receivers written for Infrahub verify Bough's deliveries.
 *
 * Returns: (transfer full): the key bytes
 */
GBytes *
bough_webhook_signing_key (const char *shared_key)
{
  g_return_val_if_fail (shared_key != NULL, NULL);

  if (g_str_has_prefix (shared_key, SECRET_PREFIX) &&
      is_base64 (shared_key + strlen (SECRET_PREFIX)))
    {
      gsize len = 0;
      guchar *data = g_base64_decode (shared_key + strlen (SECRET_PREFIX), &len);

      if (len > 0)
        return g_bytes_new_take (data, len);
      g_free (data);
    }

  return g_bytes_new (shared_key, strlen (shared_key));
}

/**
 * bough_webhook_new_message_id:
 *
 * A new delivery id: `msg_` and a random UUID's 32 hex digits.
 *
 * Returns: (transfer full): the id
 */
char *
bough_webhook_new_message_id (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  GString *id = g_string_new ("msg_");

  for (const char *p = uuid; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (id, *p);
  return g_string_free (id, FALSE);
}

/**
 * bough_webhook_sign:
 * @key: the signing key (bough_webhook_signing_key())
 * @message_id: the `webhook-id` header
 * @timestamp: the `webhook-timestamp` header, Unix seconds
 * @body: (array length=body_length): the exact body sent
 * @body_length: its length
 *
 * The `webhook-signature` header: `v1,` and the base64 of
 * HMAC-SHA256(@key, "{id}.{timestamp}.{body}").
 *
 * Returns: (transfer full): the signature header value
 */
char *
bough_webhook_sign (GBytes       *key,
                    const char   *message_id,
                    gint64        timestamp,
                    const guint8 *body,
                    gsize         body_length)
{
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *encoded = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize key_len;
  const guint8 *key_data;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (message_id != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_length == 0, NULL);

  key_data = g_bytes_get_data (key, &key_len);
  /* GHmac wants a non-NULL key even when it is empty */
  hmac = g_hmac_new (G_CHECKSUM_SHA256, key_len > 0 ? key_data : (const guint8 *) "", key_len);
  prefix = g_strdup_printf ("%s.%" G_GINT64_FORMAT ".", message_id, timestamp);
  g_hmac_update (hmac, (const guint8 *) prefix, strlen (prefix));
  if (body_length > 0)
    g_hmac_update (hmac, body, body_length);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_assert (digest_len == sizeof digest);

  encoded = g_base64_encode (digest, digest_len);
  return g_strconcat ("v1,", encoded, NULL);
}

/**
 * bough_webhook_mask_signature:
 * @signature: a `webhook-signature` value
 *
 * What logs show of a signature: its version and first characters, enough
 * to compare with what a receiver got, not enough to replay the delivery.
 *
 * Returns: (transfer full): the masked signature
 */
char *
bough_webhook_mask_signature (const char *signature)
{
  const char *comma;

  g_return_val_if_fail (signature != NULL, NULL);

  comma = strchr (signature, ',');
  if (comma == NULL)
    return g_strdup ("****");
  return g_strdup_printf ("%.*s%.6s…", (int) (comma - signature + 1), signature, comma + 1);
}
