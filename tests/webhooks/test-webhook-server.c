/* test-webhook-server.c: webhooks end to end in a running server: made and
 * changed through GraphQL like any data, deliveries signed and checked by
 * webhook-receiver.py, their tasks and logs (secrets masked) seen through
 * InfrahubTask, and an API that a receiver that is down or slow does not
 * hold up.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "../server/api-test-common.h"
#include "webhook-test-common.h"

#define SECRET "whsec_c2VydmVyLXRlc3Qtc2VjcmV0LWtleQ=="

typedef struct
{
  ApiFixture api;
  Receiver   receiver;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char * const env[] = {
    "BOUGH_WEBHOOKS_ALLOW_HOSTS=127.0.0.1",
    "BOUGH_WEBHOOKS_RETRY_DELAY=1",
    "BOUGH_WEBHOOKS_MAX_RETRY_DELAY=2",
    "BOUGH_WEBHOOKS_MAX_ATTEMPTS=3",
    "BOUGH_WEBHOOKS_TIMEOUT=20",
    "BOUGH_WEBHOOKS_POLL_INTERVAL=1",
    "BOUGH_TASKS_POLL_INTERVAL=50",
    NULL
  };

  if (!receiver_start (&f->receiver, SECRET))
    return;
  api_fixture_start (&f->api, env);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->api.server != NULL)
    api_fixture_stop (&f->api);
  receiver_stop (&f->receiver);
}

static JsonNode *
gql (Fixture    *f,
     const char *query)
{
  g_auto(ApiReply) reply = { 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  JsonNode *result;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, query);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  api_request (&f->api, "POST", "graphql", body, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  result = api_parse (reply.body);
  if (json_object_has_member (json_node_get_object (result), "errors"))
    {
      g_autofree char *text = json_to_string (result, TRUE);

      g_error ("GraphQL errors: %s", text);
    }
  return result;
}

/* A member by dotted path, numbers indexing arrays. */
static JsonNode *
at (JsonNode   *root,
    const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          guint64 index = g_ascii_strtoull (parts[i], NULL, 10);
          JsonArray *array = json_node_get_array (node);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
        }
      else
        node = NULL;
    }
  return node;
}

static const char *
S (JsonNode   *root,
   const char *path)
{
  JsonNode *node = at (root, path);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
}

static char *
create_webhook (Fixture    *f,
                const char *name,
                const char *url,
                const char *extra)
{
  g_autofree char *query = g_strdup_printf (
    "mutation { CoreStandardWebhookCreate(data: {name: {value: \"%s\"}, url: {value: \"%s\"},"
    " shared_key: {value: \"" SECRET "\"}, event_type: {value: \"infrahub.node.created\"}%s%s})"
    " { ok object { id } } }", name, url, extra != NULL ? ", " : "", extra != NULL ? extra : "");
  g_autoptr(JsonNode) r = gql (f, query);

  return g_strdup (S (r, "data.CoreStandardWebhookCreate.object.id"));
}

static char *
create_tag (Fixture    *f,
            const char *name)
{
  g_autofree char *query = g_strdup_printf (
    "mutation { BuiltinTagCreate(data: {name: {value: \"%s\"}}) { ok object { id } } }", name);
  g_autoptr(JsonNode) r = gql (f, query);

  return g_strdup (S (r, "data.BuiltinTagCreate.object.id"));
}

static void
pause_a_little (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_usleep (20 * 1000);
}

/* The receiver's records for @path once it has @count of them. */
static JsonArray *
wait_records (Fixture    *f,
              const char *path,
              guint       count)
{
  for (;;)
    {
      g_autoptr(JsonArray) records = receiver_records (&f->receiver);
      g_autoptr(JsonArray) matching = json_array_new ();

      for (guint i = 0; i < json_array_get_length (records); i++)
        {
          JsonObject *record = json_array_get_object_element (records, i);

          if (path == NULL || g_str_equal (json_object_get_string_member (record, "path"), path))
            json_array_add_object_element (matching, json_object_ref (record));
        }
      if (json_array_get_length (matching) >= count)
        return g_steal_pointer (&matching);
      pause_a_little ();
    }
}

/* The webhook's delivery tasks as InfrahubTask shows them, once one of them
 * is in @state. */
static JsonNode *
wait_task (Fixture    *f,
           const char *webhook_id,
           const char *state)
{
  g_autofree char *query = g_strdup_printf (
    "{ InfrahubTask(workflow: [\"webhook-send\"], related_node__ids: [\"%s\"]) { count edges { node {"
    " id title state conclusion workflow parameters related_nodes { id kind }"
    " logs { count edges { node { message severity } } } } } } }", webhook_id);

  for (;;)
    {
      g_autoptr(JsonNode) r = gql (f, query);
      JsonArray *edges = json_node_get_array (at (r, "data.InfrahubTask.edges"));

      for (guint i = 0; i < json_array_get_length (edges); i++)
        {
          JsonNode *edge = json_array_get_element (edges, i);

          if (g_strcmp0 (S (edge, "node.state"), state) == 0)
            return json_node_copy (edge);
        }
      pause_a_little ();
    }
}

static char *
task_logs (JsonNode *edge)
{
  JsonArray *logs = json_node_get_array (at (edge, "node.logs.edges"));
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (logs); i++)
    g_string_append_printf (text, "[%s] %s\n",
                            S (json_array_get_element (logs, i), "node.severity"),
                            S (json_array_get_element (logs, i), "node.message"));
  return g_string_free (text, FALSE);
}

static void
test_end_to_end (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *hook = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *logs = NULL;
  g_autofree char *view = NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) task = NULL;
  JsonObject *record;

  if (f->api.server == NULL)
    return;
  url = receiver_url (&f->receiver, "/ok");
  hook = create_webhook (f, "e2e", url, NULL);
  g_assert_nonnull (hook);
  tag = create_tag (f, "blue");

  records = wait_records (f, "/ok", 1);
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  record = json_array_get_object_element (records, 0);
  g_test_message ("reference verifier: %s", f->receiver.reference);
  g_assert_true (json_object_get_boolean_member (record, "verified"));
  body = json_from_string (json_object_get_string_member (record, "body"), NULL);
  g_assert_cmpstr (S (body, "event"), ==, "infrahub.node.created");
  g_assert_cmpstr (S (body, "data.kind"), ==, "BuiltinTag");
  g_assert_cmpstr (S (body, "data.node_id"), ==, tag);
  g_assert_cmpstr (S (body, "branch"), ==, "main");
  g_assert_nonnull (S (body, "occured_at"));
  g_assert_nonnull (S (body, "id"));

  task = wait_task (f, hook, "COMPLETED");
  g_assert_cmpstr (S (task, "node.workflow"), ==, "webhook-send");
  logs = task_logs (task);
  g_test_message ("%s", logs);
  g_assert_nonnull (strstr (logs, "HTTP 200"));
  g_assert_nonnull (strstr (logs, "webhook-signature: v1,"));
  /* neither the key nor the signature is in the task's view */
  view = json_to_string (task, FALSE);
  g_assert_null (strstr (view, SECRET));
  g_assert_null (strstr (view, "c2VydmVyLXRlc3Qtc2VjcmV0LWtleQ"));
  g_assert_null (strstr (view, S (json_object_get_member (record, "headers"), "webhook-signature") + 10));
}

/* Changes to a webhook apply to the next events; a deleted one gets none. */
static void
test_update_delete (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *probe_url = NULL;
  g_autofree char *hook = NULL;
  g_autofree char *probe = NULL;
  g_autofree char *query = NULL;
  g_autoptr(JsonArray) records = NULL;

  if (f->api.server == NULL)
    return;
  first = receiver_url (&f->receiver, "/first");
  second = receiver_url (&f->receiver, "/second");
  probe_url = receiver_url (&f->receiver, "/probe");
  hook = create_webhook (f, "moving", first, NULL);
  g_free (create_tag (f, "t1"));
  g_clear_pointer (&records, json_array_unref);
  records = wait_records (f, "/first", 1);

  query = g_strdup_printf ("mutation { CoreStandardWebhookUpdate(data: {id: \"%s\", url: {value: \"%s\"}}) { ok } }",
                           hook, second);
  json_node_unref (gql (f, query));
  g_free (create_tag (f, "t2"));
  g_clear_pointer (&records, json_array_unref);
  records = wait_records (f, "/second", 1);
  g_assert_cmpuint (json_array_get_length (records), ==, 1);

  g_free (query);
  query = g_strdup_printf ("mutation { CoreStandardWebhookDelete(data: {id: \"%s\"}) { ok } }", hook);
  json_node_unref (gql (f, query));
  /* a probe made after the deletion: once it has the next tag, the deleted
   * webhook would have had it too */
  probe = create_webhook (f, "probe", probe_url, NULL);
  g_free (create_tag (f, "t3"));
  g_clear_pointer (&records, json_array_unref);
  records = wait_records (f, "/probe", 1);
  {
    g_autoptr(JsonArray) all = receiver_records (&f->receiver);
    guint first_count = 0, second_count = 0;

    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        const char *path = json_object_get_string_member (json_array_get_object_element (all, i), "path");

        first_count += g_str_equal (path, "/first");
        second_count += g_str_equal (path, "/second");
      }
    g_assert_cmpuint (first_count, ==, 1);
    g_assert_cmpuint (second_count, ==, 1);
  }
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

/* A receiver that is down: writes keep answering, the delivery is tried
 * max_attempts times and ends FAILED with the errors logged. */
static void
test_receiver_down (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/hook", closed_port ());
  g_autofree char *hook = NULL;
  g_autofree char *logs = NULL;
  g_autoptr(JsonNode) task = NULL;

  if (f->api.server == NULL)
    return;
  hook = create_webhook (f, "down", url, NULL);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("down-%u", i);

      g_free (create_tag (f, name));
    }
  task = wait_task (f, hook, "FAILED");
  g_assert_cmpstr (S (task, "node.conclusion"), ==, "failure");
  logs = task_logs (task);
  g_test_message ("%s", logs);
  g_assert_nonnull (strstr (logs, "attempt 1 of 3"));
  g_assert_nonnull (strstr (logs, "attempt 2 of 3"));
  g_assert_nonnull (strstr (logs, "attempt 3 of 3"));
  g_assert_nonnull (strstr (logs, "no response: "));
  g_assert_nonnull (strstr (logs, "no success after 3 attempts"));
}

/* While a delivery waits on a slow receiver, the API answers. */
static void
test_slow_receiver (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *hook = NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(JsonNode) running = NULL;
  g_autoptr(JsonNode) count = NULL;

  if (f->api.server == NULL)
    return;
  url = receiver_url (&f->receiver, "/slow/6");
  hook = create_webhook (f, "slow", url, NULL);
  g_free (create_tag (f, "slow-1"));
  /* the receiver has the request and sits on it */
  records = wait_records (f, "/slow/6", 1);
  running = wait_task (f, hook, "RUNNING");
  /* writes and reads go on meanwhile */
  g_free (create_tag (f, "slow-2"));
  count = gql (f, "{ BuiltinTag { count } }");
  g_assert_cmpint (json_node_get_int (at (count, "data.BuiltinTag.count")), ==, 2);
  {
    g_autofree char *query = g_strdup_printf ("{ InfrahubTask(ids: [\"%s\"]) { edges { node { state } } } }",
                                              S (running, "node.id"));
    g_autoptr(JsonNode) r = gql (f, query);

    /* still waiting on the receiver when the API answered */
    g_assert_cmpstr (S (r, "data.InfrahubTask.edges.0.node.state"), ==, "RUNNING");
  }
  json_node_unref (wait_task (f, hook, "COMPLETED"));
}

/* The guard applies to URLs set through the API. */
static void
test_ssrf (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *hook = NULL;
  g_autofree char *logs = NULL;
  g_autoptr(JsonNode) task = NULL;

  if (f->api.server == NULL)
    return;
  hook = create_webhook (f, "metadata", "http://169.254.169.254/latest/meta-data/", NULL);
  g_free (create_tag (f, "ssrf"));
  task = wait_task (f, hook, "FAILED");
  logs = task_logs (task);
  g_test_message ("%s", logs);
  g_assert_nonnull (strstr (logs, "cloud metadata"));
  g_assert_nonnull (strstr (logs, "attempt 1 of 3"));
  g_assert_null (strstr (logs, "attempt 2 of 3"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/webhooks/server/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("end-to-end", test_end_to_end);
  ADD ("update-delete", test_update_delete);
  ADD ("receiver-down", test_receiver_down);
  ADD ("slow-receiver", test_slow_receiver);
  ADD ("ssrf", test_ssrf);
#undef ADD

  return g_test_run ();
}
