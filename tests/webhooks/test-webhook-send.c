/* test-webhook-send.c: the delivery body, filters and request of a webhook,
 * and single attempts against webhook-receiver.py on loopback, which checks
 * signatures with its own implementation: statuses, retries, a receiver
 * that is down or slow, SSRF refusals, masking of secrets.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "webhooks/bough-webhook-send.h"
#include "webhooks/bough-webhook-sign.h"
#include "webhooks/bough-webhook.h"

#include "webhook-test-common.h"

#define SECRET "a-shared-key-ü"
#define WHSEC  "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

static JsonNode *
parse (const char *text,
       gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, length, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static GBytes *
sample_body (const char *branch)
{
  g_autoptr(JsonNode) payload = parse ("{\"kind\":\"InfraDevice\",\"node_id\":\"n1\","
                                       "\"data\":{\"name\":\"Zürich ✓\",\"n\":[1,2.5,true,null]}}", -1);
  BoughWebhookEvent event = {
    .id = "0194a4a2-4b6c-7000-8000-000000000001",
    .event = "infrahub.node.created",
    .occurred_at = "2026-11-26T21:00:00.000000Z",
    .branch = branch,
    .account_id = "acc-1",
    .payload = payload,
  };

  return bough_webhook_build_body (&event);
}

static void
test_body_shape (void)
{
  g_autoptr(GBytes) body = sample_body ("main");
  g_autoptr(GBytes) global = sample_body (BOUGH_GLOBAL_BRANCH);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) global_root = NULL;
  g_autoptr(GList) members = NULL;
  static const char * const order[] = { "data", "id", "branch", "account_id", "occured_at", "event" };
  JsonObject *object;
  gsize length;
  const char *text = g_bytes_get_data (body, &length);
  guint i = 0;

  /* compact: no blank outside strings */
  g_assert_null (g_strstr_len (text, length, "\": "));
  g_assert_null (g_strstr_len (text, length, ", "));
  g_assert_null (g_strstr_len (text, length, "\n"));

  root = parse (text, length);
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, order[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (order));
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==,
                   "0194a4a2-4b6c-7000-8000-000000000001");
  g_assert_cmpstr (json_object_get_string_member (object, "branch"), ==, "main");
  g_assert_cmpstr (json_object_get_string_member (object, "account_id"), ==, "acc-1");
  g_assert_cmpstr (json_object_get_string_member (object, "occured_at"), ==,
                   "2026-11-26T21:00:00.000000Z");
  g_assert_cmpstr (json_object_get_string_member (object, "event"), ==, "infrahub.node.created");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (object, "data"), "data"), "name"),
                   ==, "Zürich ✓");

  text = g_bytes_get_data (global, &length);
  global_root = parse (text, length);
  g_assert_true (json_object_get_null_member (json_node_get_object (global_root), "branch"));
}

static void
test_filters (void)
{
  g_autoptr(BoughWebhook) all = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, "http://x");
  g_autoptr(BoughWebhook) created = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, "http://x");
  g_autoptr(BoughWebhook) other = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, "http://x");
  g_autoptr(BoughWebhook) every = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, "http://x");
  g_autoptr(BoughWebhook) kind = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, "http://x");
  g_autoptr(BoughWebhook) inactive = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, "http://x");

  /* defaults: every event of the default branch */
  g_assert_true (bough_webhook_matches (all, "infrahub.node.created", "main", "InfraDevice"));
  g_assert_true (bough_webhook_matches (all, "infrahub.branch.created", NULL, NULL));
  g_assert_true (bough_webhook_matches (all, "infrahub.node.updated", BOUGH_GLOBAL_BRANCH, "X"));
  g_assert_false (bough_webhook_matches (all, "infrahub.node.created", "feature", "InfraDevice"));

  g_free (created->event_type);
  created->event_type = g_strdup ("infrahub.node.created");
  g_assert_true (bough_webhook_matches (created, "infrahub.node.created", "main", "A"));
  g_assert_false (bough_webhook_matches (created, "infrahub.node.updated", "main", "A"));
  g_assert_false (bough_webhook_matches (created, "infrahub.node.created.extra", "main", "A"));

  other->branch_scope = BOUGH_WEBHOOK_SCOPE_OTHER_BRANCHES;
  g_assert_true (bough_webhook_matches (other, "infrahub.node.created", "feature", "A"));
  g_assert_false (bough_webhook_matches (other, "infrahub.node.created", "main", "A"));
  g_assert_false (bough_webhook_matches (other, "infrahub.node.created", NULL, "A"));

  every->branch_scope = BOUGH_WEBHOOK_SCOPE_ALL_BRANCHES;
  g_assert_true (bough_webhook_matches (every, "infrahub.node.created", "feature", "A"));
  g_assert_true (bough_webhook_matches (every, "infrahub.node.created", "main", "A"));

  /* node_kind filters node, artifact, group and validator events only */
  kind->node_kind = g_strdup ("InfraDevice");
  g_assert_true (bough_webhook_matches (kind, "infrahub.node.created", "main", "InfraDevice"));
  g_assert_false (bough_webhook_matches (kind, "infrahub.node.created", "main", "InfraSite"));
  g_assert_false (bough_webhook_matches (kind, "infrahub.node.deleted", "main", NULL));
  g_assert_false (bough_webhook_matches (kind, "infrahub.group.member_added", "main", "CoreStandardGroup"));
  g_assert_true (bough_webhook_matches (kind, "infrahub.artifact.created", "main", "InfraDevice"));
  g_assert_false (bough_webhook_matches (kind, "infrahub.validator.started", "main", "X"));
  g_assert_true (bough_webhook_matches (kind, "infrahub.branch.created", "main", NULL));
  g_assert_true (bough_webhook_matches (kind, "infrahub.schema.updated", "main", NULL));
  g_assert_true (bough_webhook_event_has_node_kind ("infrahub.validator.passed"));
  g_assert_false (bough_webhook_event_has_node_kind ("infrahub.proposed_change.merged"));

  inactive->active = FALSE;
  g_assert_false (bough_webhook_matches (inactive, "infrahub.node.created", "main", "A"));
}

static void
test_request_headers (void)
{
  g_autoptr(BoughWebhook) webhook = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, "https://h.example/x");
  g_autoptr(BoughWebhook) unsigned_hook = bough_webhook_new (BOUGH_WEBHOOK_CUSTOM_KIND, "https://h.example/x");
  g_autoptr(BoughWebhookRequest) request = NULL;
  g_autoptr(BoughWebhookRequest) plain = NULL;
  g_autoptr(GBytes) body = sample_body ("main");
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GBytes) key = bough_webhook_signing_key (SECRET);
  gsize length;
  const guint8 *data = g_bytes_get_data (body, &length);

  g_setenv ("BOUGH_TEST_WEBHOOK_TOKEN", "env-secret-value-123", TRUE);
  g_unsetenv ("BOUGH_TEST_WEBHOOK_UNSET");
  webhook->shared_key = g_strdup (SECRET);
  bough_webhook_add_header (webhook, "X-Team", "netops", FALSE);
  bough_webhook_add_header (webhook, "Authorization", "Bearer static-secret-456", FALSE);
  bough_webhook_add_header (webhook, "X-From-Env", "BOUGH_TEST_WEBHOOK_TOKEN", TRUE);
  bough_webhook_add_header (webhook, "X-Missing", "BOUGH_TEST_WEBHOOK_UNSET", TRUE);
  bough_webhook_add_header (webhook, "webhook-id", "msg_forged", FALSE);
  bough_webhook_add_header (webhook, "Host", "evil.example", FALSE);
  bough_webhook_add_header (webhook, "Bad Name", "x", FALSE);
  bough_webhook_add_header (webhook, "X-Split", "a\r\nInjected: yes", FALSE);
  bough_webhook_add_header (webhook, "Accept", "application/vnd.custom+json", FALSE);

  request = bough_webhook_request_new (webhook, body, "msg_0123456789abcdef0123456789abcdef", 1700000000);
  g_assert_cmpstr (bough_webhook_request_get_header (request, "content-type"), ==, "application/json");
  g_assert_cmpstr (bough_webhook_request_get_header (request, "Accept"), ==, "application/vnd.custom+json");
  g_assert_cmpstr (bough_webhook_request_get_header (request, "X-Team"), ==, "netops");
  g_assert_cmpstr (bough_webhook_request_get_header (request, "X-From-Env"), ==, "env-secret-value-123");
  g_assert_null (bough_webhook_request_get_header (request, "X-Missing"));
  g_assert_null (bough_webhook_request_get_header (request, "Host"));
  g_assert_null (bough_webhook_request_get_header (request, "X-Split"));
  g_assert_cmpstr (bough_webhook_request_get_header (request, "webhook-id"), ==,
                   "msg_0123456789abcdef0123456789abcdef");
  g_assert_cmpstr (bough_webhook_request_get_header (request, "webhook-timestamp"), ==, "1700000000");
  expected = bough_webhook_sign (key, "msg_0123456789abcdef0123456789abcdef", 1700000000, data, length);
  g_assert_cmpstr (bough_webhook_request_get_header (request, "webhook-signature"), ==, expected);
  /* each header left out says why */
  g_assert_cmpuint (request->warnings->len, ==, 5);

  /* the log shows neither the env value, nor a credential, nor the signature */
  text = bough_webhook_request_describe (request);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "POST https://h.example/x\n"));
  g_assert_nonnull (strstr (text, "X-Team: netops\n"));
  g_assert_nonnull (strstr (text, "X-From-Env: ****\n"));
  g_assert_nonnull (strstr (text, "Authorization: ****\n"));
  g_assert_null (strstr (text, "env-secret-value-123"));
  g_assert_null (strstr (text, "static-secret-456"));
  g_assert_null (strstr (text, expected + 10));
  g_assert_null (strstr (text, SECRET));
  g_assert_nonnull (strstr (text, "Zürich ✓"));

  /* without a shared key: no signature headers */
  plain = bough_webhook_request_new (unsigned_hook, body, NULL, 1700000000);
  g_assert_null (bough_webhook_request_get_header (plain, "webhook-signature"));
  g_assert_null (bough_webhook_request_get_header (plain, "webhook-id"));
  g_assert_null (plain->message_id);
}

static void
test_retry_delay (void)
{
  g_assert_cmpint (bough_webhook_retry_delay (1, 10, 600, -1), ==, 10);
  g_assert_cmpint (bough_webhook_retry_delay (2, 10, 600, -1), ==, 20);
  g_assert_cmpint (bough_webhook_retry_delay (3, 10, 600, -1), ==, 40);
  g_assert_cmpint (bough_webhook_retry_delay (7, 10, 600, -1), ==, 600);
  g_assert_cmpint (bough_webhook_retry_delay (60, 10, 600, -1), ==, 600);
  /* Retry-After wins when longer, up to a day */
  g_assert_cmpint (bough_webhook_retry_delay (1, 10, 600, 120), ==, 120);
  g_assert_cmpint (bough_webhook_retry_delay (3, 10, 600, 5), ==, 40);
  g_assert_cmpint (bough_webhook_retry_delay (1, 10, 600, 10 * 86400), ==, 86400);

  g_assert_cmpint (bough_webhook_parse_retry_after ("120", 0), ==, 120);
  g_assert_cmpint (bough_webhook_parse_retry_after (" 7 ", 0), ==, 7);
  g_assert_cmpint (bough_webhook_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 30), ==, 30);
  g_assert_cmpint (bough_webhook_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 30), ==, 0);
  g_assert_cmpint (bough_webhook_parse_retry_after ("soon", 0), ==, -1);
  g_assert_cmpint (bough_webhook_parse_retry_after ("-5", 0), ==, -1);
}

typedef struct
{
  Receiver           receiver;
  BoughWebhookGuard *guard;
} SendFixture;

static void
send_setup (SendFixture   *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->guard = bough_webhook_guard_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  receiver_start (&f->receiver, data);
}

static void
send_teardown (SendFixture   *f,
               gconstpointer  data)
{
  receiver_stop (&f->receiver);
  bough_webhook_guard_free (f->guard);
}

static BoughWebhookResponse *
send_to (SendFixture  *f,
         const char   *path,
         const char   *secret,
         const char   *message_id,
         gint64        timestamp,
         guint         timeout,
         GBytes      **out_body)
{
  g_autofree char *url = receiver_url (&f->receiver, path);
  g_autoptr(BoughWebhook) webhook = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, url);
  g_autoptr(BoughWebhookRequest) request = NULL;
  g_autoptr(GBytes) body = sample_body ("main");

  webhook->shared_key = g_strdup (secret);
  bough_webhook_add_header (webhook, "X-Team", "netops", FALSE);
  request = bough_webhook_request_new (webhook, body, message_id,
                                       timestamp != 0 ? timestamp : g_get_real_time () / G_USEC_PER_SEC);
  if (out_body != NULL)
    *out_body = g_bytes_ref (body);
  return bough_webhook_send (request, f->guard, timeout, NULL);
}

static void
test_send_signed (SendFixture   *f,
                  gconstpointer  data)
{
  g_autoptr(BoughWebhookResponse) response = NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  JsonObject *record;
  JsonObject *headers;

  if (f->receiver.process == NULL)
    return;
  g_test_message ("reference verifier: %s", f->receiver.reference);
  response = send_to (f, "/ok", data, NULL, 0, 10, &body);
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpint (response->outcome, ==, BOUGH_WEBHOOK_OUTCOME_SUCCESS);
  text = bough_webhook_response_describe (response);
  g_assert_true (g_str_has_prefix (text, "HTTP 200 OK\n"));
  g_assert_nonnull (strstr (text, "{\"ok\":true}"));

  records = receiver_records (&f->receiver);
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  record = json_array_get_object_element (records, 0);
  g_assert_true (json_object_get_null_member (record, "error"));
  g_assert_true (json_object_get_boolean_member (record, "verified"));
  /* the exact bytes signed are the bytes received */
  g_assert_cmpstr (json_object_get_string_member (record, "body"), ==,
                   (const char *) g_bytes_get_data (body, NULL));
  headers = json_object_get_object_member (record, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "content-type"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (headers, "accept"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (headers, "x-team"), ==, "netops");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (headers, "webhook-id"), "msg_"));
}

/* A delivery signed at a time outside the tolerance is what a replay looks
 * like: the reference receiver refuses it, and a refusal is not retried. */
static void
test_send_replay_refused (SendFixture   *f,
                          gconstpointer  data)
{
  g_autoptr(BoughWebhookResponse) response = NULL;
  g_autoptr(JsonArray) records = NULL;
  JsonObject *record;

  if (f->receiver.process == NULL)
    return;
  response = send_to (f, "/ok", data, NULL, g_get_real_time () / G_USEC_PER_SEC - 600, 10, NULL);
  g_assert_cmpuint (response->status, ==, 401);
  g_assert_cmpint (response->outcome, ==, BOUGH_WEBHOOK_OUTCOME_FAIL);
  records = receiver_records (&f->receiver);
  record = json_array_get_object_element (records, 0);
  g_assert_false (json_object_get_boolean_member (record, "verified"));
  g_assert_cmpstr (json_object_get_string_member (record, "error"), ==, "timestamp too old");
}

/* Attempts of one delivery carry the same webhook-id, so the receiver can
 * drop the second as a duplicate though its timestamp and signature differ. */
static void
test_send_same_id (SendFixture   *f,
                   gconstpointer  data)
{
  g_autoptr(BoughWebhookResponse) first = NULL;
  g_autoptr(BoughWebhookResponse) second = NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autofree char *id = bough_webhook_new_message_id ();
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (f->receiver.process == NULL)
    return;
  first = send_to (f, "/ok", data, id, now, 10, NULL);
  second = send_to (f, "/ok", data, id, now + 1, 10, NULL);
  g_assert_cmpint (first->outcome, ==, BOUGH_WEBHOOK_OUTCOME_SUCCESS);
  g_assert_cmpint (second->outcome, ==, BOUGH_WEBHOOK_OUTCOME_SUCCESS);
  records = receiver_records (&f->receiver);
  g_assert_cmpuint (json_array_get_length (records), ==, 2);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (records, 0), "duplicate"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (records, 1), "duplicate"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (records, 1), "verified"));
}

static void
test_send_statuses (SendFixture   *f,
                    gconstpointer  data)
{
  static const struct { const char *path; guint status; BoughWebhookOutcome outcome; gint64 retry_after; } cases[] = {
    { "/status/503", 503, BOUGH_WEBHOOK_OUTCOME_RETRY, -1 },
    { "/status/500", 500, BOUGH_WEBHOOK_OUTCOME_RETRY, -1 },
    { "/status/429/7", 429, BOUGH_WEBHOOK_OUTCOME_RETRY, 7 },
    { "/status/404", 404, BOUGH_WEBHOOK_OUTCOME_FAIL, -1 },
    { "/status/400", 400, BOUGH_WEBHOOK_OUTCOME_FAIL, -1 },
    { "/status/410", 410, BOUGH_WEBHOOK_OUTCOME_FAIL, -1 },
    { "/status/204", 204, BOUGH_WEBHOOK_OUTCOME_SUCCESS, -1 },
    /* a redirect is not followed: it could lead past the guard */
    { "/redirect", 302, BOUGH_WEBHOOK_OUTCOME_FAIL, -1 },
  };
  g_autoptr(JsonArray) records = NULL;

  if (f->receiver.process == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BoughWebhookResponse) response = send_to (f, cases[i].path, NULL, NULL, 0, 10, NULL);

      g_test_message ("%s", cases[i].path);
      g_assert_no_error (response->error);
      g_assert_cmpuint (response->status, ==, cases[i].status);
      g_assert_cmpint (response->outcome, ==, cases[i].outcome);
      g_assert_cmpint (response->retry_after, ==, cases[i].retry_after);
    }
  records = receiver_records (&f->receiver);
  g_assert_cmpuint (json_array_get_length (records), ==, G_N_ELEMENTS (cases));
}

static void
test_send_big_answer (SendFixture   *f,
                      gconstpointer  data)
{
  g_autoptr(BoughWebhookResponse) response = NULL;
  g_autofree char *text = NULL;

  if (f->receiver.process == NULL)
    return;
  response = send_to (f, "/big", NULL, NULL, 0, 10, NULL);
  g_assert_cmpint (response->outcome, ==, BOUGH_WEBHOOK_OUTCOME_SUCCESS);
  g_assert_cmpuint (g_bytes_get_size (response->body_head), ==, BOUGH_WEBHOOK_RESPONSE_HEAD);
  text = bough_webhook_response_describe (response);
  g_assert_cmpuint (strlen (text), <, 2 * BOUGH_WEBHOOK_RESPONSE_HEAD);
}

static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
test_send_down (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughWebhookGuard) guard = bough_webhook_guard_new ("127.0.0.1", &error);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/hook", closed_port ());
  g_autoptr(BoughWebhook) webhook = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, url);
  g_autoptr(GBytes) body = sample_body ("main");
  g_autoptr(BoughWebhookRequest) request = bough_webhook_request_new (webhook, body, NULL, 1);
  g_autoptr(BoughWebhookResponse) response = bough_webhook_send (request, guard, 10, NULL);
  g_autofree char *text = bough_webhook_response_describe (response);

  g_assert_cmpint (response->outcome, ==, BOUGH_WEBHOOK_OUTCOME_RETRY);
  g_assert_cmpuint (response->status, ==, 0);
  g_assert_nonnull (response->error);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "no response: "));
}

static void
test_send_slow (SendFixture   *f,
                gconstpointer  data)
{
  g_autoptr(BoughWebhookResponse) response = NULL;

  if (f->receiver.process == NULL)
    return;
  response = send_to (f, "/slow/4", NULL, NULL, 0, 1, NULL);
  g_assert_cmpint (response->outcome, ==, BOUGH_WEBHOOK_OUTCOME_RETRY);
  g_assert_error (response->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (response->error->message, "within 1 s"));
}

static void
test_send_cancelled (SendFixture   *f,
                     gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autoptr(BoughWebhook) webhook = NULL;
  g_autoptr(GBytes) body = sample_body ("main");
  g_autoptr(BoughWebhookRequest) request = NULL;
  g_autoptr(BoughWebhookResponse) response = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (f->receiver.process == NULL)
    return;
  url = receiver_url (&f->receiver, "/ok");
  webhook = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, url);
  request = bough_webhook_request_new (webhook, body, NULL, 1);
  g_cancellable_cancel (cancellable);
  response = bough_webhook_send (request, f->guard, 10, cancellable);
  g_assert_cmpint (response->outcome, ==, BOUGH_WEBHOOK_OUTCOME_CANCELLED);
}

/* Refused targets are never contacted, and never retried. */
static void
test_send_ssrf (SendFixture   *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughWebhookGuard) strict = bough_webhook_guard_new (NULL, &error);
  g_autoptr(GBytes) body = sample_body ("main");
  g_autoptr(JsonArray) records = NULL;
  g_autofree char *loopback = NULL;
  g_autofree char *localhost = NULL;
  g_autofree char *mapped = NULL;
  const char *urls[5];

  if (f->receiver.process == NULL)
    return;
  loopback = receiver_url (&f->receiver, "/ok");
  localhost = g_strdup_printf ("http://localhost:%u/ok", f->receiver.port);
  mapped = g_strdup_printf ("http://[::ffff:127.0.0.1]:%u/ok", f->receiver.port);
  urls[0] = loopback;
  urls[1] = localhost;
  urls[2] = mapped;
  urls[3] = "http://169.254.169.254/latest/meta-data/";
  urls[4] = "http://[fe80::1]:80/";

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(BoughWebhook) webhook = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, urls[i]);
      g_autoptr(BoughWebhookRequest) request = bough_webhook_request_new (webhook, body, NULL, 1);
      g_autoptr(BoughWebhookResponse) response = bough_webhook_send (request, strict, 10, NULL);

      g_test_message ("%s: %s", urls[i], response->error != NULL ? response->error->message : "sent");
      g_assert_cmpint (response->outcome, ==, BOUGH_WEBHOOK_OUTCOME_FAIL);
      g_assert_error (response->error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION);
      g_assert_nonnull (strstr (response->error->message, "allow_hosts"));
    }
  records = receiver_records (&f->receiver);
  g_assert_cmpuint (json_array_get_length (records), ==, 0);
}

/* validate_certificates: a self-signed receiver is refused, and not
 * retried, unless the webhook turns verification off. */
static void
test_send_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(BoughWebhookGuard) guard = bough_webhook_guard_new ("127.0.0.1", &error);
  g_autoptr(BoughWebhook) checked = NULL;
  g_autoptr(BoughWebhook) unchecked = NULL;
  g_autoptr(GBytes) body = sample_body ("main");
  g_autoptr(BoughWebhookRequest) first = NULL;
  g_autoptr(BoughWebhookRequest) second = NULL;
  g_autoptr(BoughWebhookResponse) refused = NULL;
  g_autoptr(BoughWebhookResponse) accepted = NULL;
  g_autoptr(JsonArray) records = NULL;
  Receiver receiver = { 0 };

  if (openssl == NULL || !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no openssl command or no TLS support in GIO");
      return;
    }
  dir = g_dir_make_tmp ("webhook-tls-XXXXXX", &error);
  g_assert_no_error (error);
  cert = g_build_filename (dir, "cert.pem", NULL);
  key = g_build_filename (dir, "key.pem", NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                              "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
                              "-addext", "subjectAltName=IP:127.0.0.1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  if (!receiver_start_full (&receiver, SECRET, cert, key))
    return;

  url = g_strdup_printf ("https://127.0.0.1:%u/ok", receiver.port);
  checked = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, url);
  checked->shared_key = g_strdup (SECRET);
  first = bough_webhook_request_new (checked, body, NULL, g_get_real_time () / G_USEC_PER_SEC);
  refused = bough_webhook_send (first, guard, 10, NULL);
  g_test_message ("%s", refused->error != NULL ? refused->error->message : "sent");
  g_assert_cmpint (refused->outcome, ==, BOUGH_WEBHOOK_OUTCOME_FAIL);
  g_assert_nonnull (refused->error);
  g_assert_true (refused->error->domain == G_TLS_ERROR);

  unchecked = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, url);
  unchecked->shared_key = g_strdup (SECRET);
  unchecked->validate_certificates = FALSE;
  second = bough_webhook_request_new (unchecked, body, NULL, g_get_real_time () / G_USEC_PER_SEC);
  accepted = bough_webhook_send (second, guard, 10, NULL);
  g_assert_no_error (accepted->error);
  g_assert_cmpint (accepted->outcome, ==, BOUGH_WEBHOOK_OUTCOME_SUCCESS);

  records = receiver_records_full (&receiver, cert);
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (records, 0), "verified"));
  receiver_stop (&receiver);
  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

static void
test_send_invalid_url (void)
{
  static const char * const urls[] = { "ftp://example.com/x", "not a url", "", "http:///path" };
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughWebhookGuard) guard = bough_webhook_guard_new (NULL, &error);
  g_autoptr(GBytes) body = sample_body ("main");

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(BoughWebhook) webhook = bough_webhook_new (BOUGH_WEBHOOK_STANDARD_KIND, urls[i]);
      g_autoptr(BoughWebhookRequest) request = bough_webhook_request_new (webhook, body, NULL, 1);
      g_autoptr(BoughWebhookResponse) response = bough_webhook_send (request, guard, 10, NULL);

      g_test_message ("“%s”", urls[i]);
      g_assert_cmpint (response->outcome, ==, BOUGH_WEBHOOK_OUTCOME_FAIL);
      g_assert_error (response->error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/webhooks/body/shape", test_body_shape);
  g_test_add_func ("/webhooks/filters", test_filters);
  g_test_add_func ("/webhooks/request/headers", test_request_headers);
  g_test_add_func ("/webhooks/retry-delay", test_retry_delay);
  g_test_add ("/webhooks/send/signed", SendFixture, SECRET, send_setup, test_send_signed, send_teardown);
  g_test_add ("/webhooks/send/signed-whsec", SendFixture, WHSEC, send_setup, test_send_signed, send_teardown);
  g_test_add ("/webhooks/send/replay-refused", SendFixture, SECRET, send_setup,
              test_send_replay_refused, send_teardown);
  g_test_add ("/webhooks/send/same-id", SendFixture, WHSEC, send_setup, test_send_same_id, send_teardown);
  g_test_add ("/webhooks/send/statuses", SendFixture, NULL, send_setup, test_send_statuses, send_teardown);
  g_test_add ("/webhooks/send/big-answer", SendFixture, NULL, send_setup, test_send_big_answer, send_teardown);
  g_test_add_func ("/webhooks/send/down", test_send_down);
  g_test_add ("/webhooks/send/slow", SendFixture, NULL, send_setup, test_send_slow, send_teardown);
  g_test_add ("/webhooks/send/cancelled", SendFixture, NULL, send_setup, test_send_cancelled, send_teardown);
  g_test_add ("/webhooks/send/ssrf", SendFixture, NULL, send_setup, test_send_ssrf, send_teardown);
  g_test_add_func ("/webhooks/send/invalid-url", test_send_invalid_url);
  g_test_add_func ("/webhooks/send/tls", test_send_tls);

  return g_test_run ();
}
