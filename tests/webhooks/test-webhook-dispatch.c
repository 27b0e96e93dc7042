/* test-webhook-dispatch.c: webhook deliveries as tasks: the dispatcher
 * following the event table (filters, exactly one task per webhook and
 * event across restarts and several dispatchers), and delivery tasks run
 * against webhook-receiver.py: signed bodies, logs with secrets masked,
 * retries with backoff through the queue's not_before, refusals.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include "store/bough-store-task.h"
#include "webhooks/bough-webhook-delivery.h"

#include "../server/store-test-common.h"
#include "webhook-test-common.h"

#define SECRET "dispatch-secret"

typedef struct
{
  StoreFixture            sf;
  Receiver                receiver;
  BoughWebhookDispatcher *dispatcher;
  char                   *cursor_path;
} Fixture;

static BoughWebhookSettings *
settings_new (void)
{
  g_autoptr(GError) error = NULL;
  BoughWebhookSettings *settings = g_new0 (BoughWebhookSettings, 1);

  settings->guard = bough_webhook_guard_new ("127.0.0.1", &error);
  g_assert_no_error (error);
  settings->timeout = 10;
  settings->max_attempts = 3;
  settings->retry_delay = 10;
  settings->max_retry_delay = 60;
  settings->poll_interval = 1;
  return settings;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  store_fixture_setup (&f->sf, data);
  f->cursor_path = g_build_filename (f->sf.dir, "webhook-cursor", NULL);
  f->dispatcher = bough_webhook_dispatcher_new (f->sf.store, settings_new (), f->cursor_path);
  /* as a server does when it starts: deliveries begin with the events to come */
  g_assert_true (bough_webhook_dispatcher_run_once (f->dispatcher, NULL, NULL));
  receiver_start (&f->receiver, SECRET);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  receiver_stop (&f->receiver);
  g_clear_pointer (&f->dispatcher, bough_webhook_dispatcher_free);
  g_free (f->cursor_path);
  store_fixture_teardown (&f->sf, data);
}

static char *
make_node (Fixture    *f,
             const char *branch,
             const char *kind,
             const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (f->sf.store, branch, "tester", &error);
  g_autoptr(JsonObject) data = J (json);
  g_autoptr(BoughNode) node = NULL;

  g_assert_no_error (error);
  node = bough_txn_create (txn, kind, data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
  return g_strdup (node->id);
}

static char *
create_webhook (Fixture    *f,
                const char *kind,
                const char *name,
                const char *path,
                const char *extra)
{
  g_autofree char *url = receiver_url (&f->receiver, path);
  /* a standard webhook must have a key */
  const char *key = g_str_equal (kind, BOUGH_WEBHOOK_STANDARD_KIND) &&
                    (extra == NULL || strstr (extra, "shared_key") == NULL)
                    ? ", 'shared_key': {'value': '" SECRET "'}" : "";
  g_autofree char *json = g_strdup_printf ("{'name': {'value': '%s'}, 'url': {'value': '%s'}%s%s%s}",
                                           name, url, key, extra != NULL ? ", " : "",
                                           extra != NULL ? extra : "");

  return make_node (f, NULL, kind, json);
}

static char *
create_site (Fixture    *f,
             const char *branch,
             const char *name)
{
  g_autofree char *json = g_strdup_printf ("{'name': {'value': '%s'}}", name);

  return make_node (f, branch, "TestSite", json);
}

static GPtrArray *
delivery_tasks (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  const char *workflows[] = { BOUGH_WEBHOOK_WORKFLOW, NULL };
  BoughTaskFilter filter = { .workflows = workflows, .limit = -1 };
  GPtrArray *tasks = bough_store_task_list (f->sf.store, &filter, NULL, &error);

  g_assert_no_error (error);
  return tasks;
}

static JsonObject *
task_parameters (BoughTask *task)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, task->parameters, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Deliveries enqueued for @webhook_id, leaving out the events of the
 * webhooks and headers the tests create (Core kinds). */
static guint
count_for (Fixture    *f,
           const char *webhook_id)
{
  g_autoptr(GPtrArray) tasks = delivery_tasks (f);
  guint count = 0;

  for (guint i = 0; i < tasks->len; i++)
    {
      BoughTask *task = g_ptr_array_index (tasks, i);
      g_autoptr(JsonObject) params = task_parameters (task);
      gboolean core = FALSE;

      for (guint j = 0; task->related != NULL && j < task->related->len; j++)
        {
          BoughTaskRelated *related = g_ptr_array_index (task->related, j);

          if (!g_str_equal (related->id, webhook_id) && g_str_has_prefix (related->kind, "Core"))
            core = TRUE;
        }
      if (!core && g_str_equal (json_object_get_string_member (params, "webhook_id"), webhook_id))
        count++;
    }
  return count;
}

static guint
dispatch (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  guint enqueued = 0;

  g_assert_true (bough_webhook_dispatcher_run_once (f->dispatcher, &enqueued, &error));
  g_assert_no_error (error);
  return enqueued;
}

typedef struct
{
  BoughStore *store;
  const char *id;
} LogTarget;

static void
task_log_cb (const char *severity,
             const char *message,
             gpointer    user_data)
{
  LogTarget *target = user_data;
  g_autoptr(GError) error = NULL;

  bough_store_task_log (target->store, target->id, severity, message, &error);
  g_assert_no_error (error);
}

/* The queue's side, as a worker does it: claims the ready delivery tasks
 * as of @now and records how each attempt ended. Returns how many ran. */
static guint
run_tasks (Fixture *f,
           gint64   now)
{
  const char *workflows[] = { BOUGH_WEBHOOK_WORKFLOW, NULL };
  g_autoptr(BoughWebhookSettings) settings = settings_new ();
  guint ran = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) failure = NULL;
      g_autoptr(BoughTask) task = bough_store_task_claim (f->sf.store, "test-worker", workflows,
                                                          now, 60 * G_USEC_PER_SEC, &error);
      LogTarget target = { f->sf.store, NULL };
      BoughWebhookOutcome outcome;
      gint64 retry_in = 0;

      g_assert_no_error (error);
      if (task == NULL)
        break;
      target.id = task->id;
      outcome = bough_webhook_deliver (f->sf.store, settings, task->parameters, task->attempts,
                                       task_log_cb, &target, NULL, &retry_in, &failure);
      if (outcome == BOUGH_WEBHOOK_OUTCOME_SUCCESS)
        {
          g_assert_no_error (failure);
          bough_store_task_finish (f->sf.store, task->id, "test-worker", BOUGH_TASK_COMPLETED, 0,
                                   NULL, NULL, &error);
        }
      else if (outcome == BOUGH_WEBHOOK_OUTCOME_RETRY)
        {
          g_assert_nonnull (failure);
          g_assert_cmpint (retry_in, >, 0);
          bough_store_task_retry (f->sf.store, task->id, "test-worker",
                                  now + retry_in * G_USEC_PER_SEC, failure->message, &error);
        }
      else
        {
          g_assert_nonnull (failure);
          bough_store_task_finish (f->sf.store, task->id, "test-worker", BOUGH_TASK_FAILED,
                                   failure->code, failure->message, NULL, &error);
        }
      g_assert_no_error (error);
      ran++;
    }
  return ran;
}

static char *
task_log_text (Fixture    *f,
               const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = bough_store_task_logs (f->sf.store, id, 0, -1, NULL, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < logs->len; i++)
    {
      BoughTaskLog *log = g_ptr_array_index (logs, i);

      g_string_append_printf (text, "[%s] %s\n", log->severity, log->message);
    }
  return g_string_free (text, FALSE);
}

static BoughTask *
only_task (Fixture *f)
{
  g_autoptr(GPtrArray) tasks = delivery_tasks (f);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (tasks->len, ==, 1);
  return bough_store_task_get (f->sf.store, ((BoughTask *) g_ptr_array_index (tasks, 0))->id, &error);
}

static void
test_signed_delivery (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *kv_static = NULL;
  g_autofree char *kv_env = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *hook = NULL;
  g_autofree char *site = NULL;
  g_autofree char *logs = NULL;
  g_autoptr(BoughTask) task = NULL;
  g_autoptr(JsonArray) records = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) params = NULL;
  JsonObject *record;
  JsonObject *headers;
  JsonObject *object;
  JsonObject *payload;

  if (f->receiver.process == NULL)
    return;
  g_setenv ("BOUGH_TEST_HOOK_TOKEN", "token-from-env-789", TRUE);
  kv_static = make_node (f, NULL, "CoreStaticKeyValue",
                           "{'name': {'value': 'team'}, 'key': {'value': 'X-Team'}, 'value': {'value': 'netops'}}");
  kv_env = make_node (f, NULL, "CoreEnvKeyValue",
                        "{'name': {'value': 'token'}, 'key': {'value': 'X-Token'},"
                        " 'value': {'value': 'BOUGH_TEST_HOOK_TOKEN'}}");
  extra = g_strdup_printf ("'shared_key': {'value': '" SECRET "'},"
                           " 'event_type': {'value': 'infrahub.node.created'},"
                           " 'headers': [{'id': '%s'}, {'id': '%s'}]", kv_static, kv_env);
  hook = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "signed", "/ok", extra);
  /* the webhook's own creation and its headers' came before it took events */
  g_assert_cmpuint (dispatch (f), ==, 0);

  site = create_site (f, NULL, "paris");
  g_assert_cmpuint (dispatch (f), ==, 1);
  g_assert_cmpuint (dispatch (f), ==, 0);
  task = only_task (f);
  g_assert_cmpstr (task->workflow, ==, BOUGH_WEBHOOK_WORKFLOW);
  g_assert_cmpuint (task->max_attempts, ==, 3);
  params = task_parameters (task);
  g_assert_cmpstr (json_object_get_string_member (params, "webhook_id"), ==, hook);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (params, "message_id"), "msg_"));
  /* the task names no secret */
  g_assert_null (strstr (task->parameters, SECRET));

  g_assert_cmpuint (run_tasks (f, g_get_real_time ()), ==, 1);
  g_clear_pointer (&task, bough_task_free);
  task = only_task (f);
  g_assert_cmpint (task->state, ==, BOUGH_TASK_COMPLETED);

  records = receiver_records (&f->receiver);
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  record = json_array_get_object_element (records, 0);
  g_assert_true (json_object_get_boolean_member (record, "verified"));
  headers = json_object_get_object_member (record, "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "x-team"), ==, "netops");
  g_assert_cmpstr (json_object_get_string_member (headers, "x-token"), ==, "token-from-env-789");
  g_assert_cmpstr (json_object_get_string_member (headers, "webhook-id"), ==,
                   json_object_get_string_member (params, "message_id"));
  body = json_from_string (json_object_get_string_member (record, "body"), NULL);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "event"), ==, "infrahub.node.created");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==,
                   json_object_get_string_member (params, "event_id"));
  g_assert_cmpstr (json_object_get_string_member (object, "branch"), ==, "main");
  g_assert_cmpstr (json_object_get_string_member (object, "account_id"), ==, "tester");
  g_assert_true (json_object_has_member (object, "occured_at"));
  payload = json_object_get_object_member (object, "data");
  g_assert_cmpstr (json_object_get_string_member (payload, "kind"), ==, "TestSite");
  g_assert_cmpstr (json_object_get_string_member (payload, "node_id"), ==, site);

  /* the task's log holds the request and the response, secrets masked */
  logs = task_log_text (f, task->id);
  g_test_message ("%s", logs);
  g_assert_nonnull (strstr (logs, "POST http://127.0.0.1:"));
  g_assert_nonnull (strstr (logs, "X-Team: netops"));
  g_assert_nonnull (strstr (logs, "X-Token: ****"));
  g_assert_nonnull (strstr (logs, "webhook-signature: v1,"));
  g_assert_nonnull (strstr (logs, "HTTP 200 OK"));
  g_assert_null (strstr (logs, "token-from-env-789"));
  g_assert_null (strstr (logs, SECRET));
  g_assert_null (strstr (logs, json_object_get_string_member (headers, "webhook-signature") + 10));
}

static const char *
event_branch_of (Fixture    *f,
                 const char *node_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();
  g_autoptr(GPtrArray) events = NULL;
  const char *ids[] = { node_id, NULL };
  static char branch[64];

  filter->node_ids = g_strdupv ((char **) ids);
  events = bough_store_list_events (f->sf.store, filter, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 1);
  g_strlcpy (branch, ((BoughEvent *) g_ptr_array_index (events, 0))->branch, sizeof branch);
  return branch;
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *on_default = NULL;
  g_autofree char *tags_only = NULL;
  g_autofree char *others = NULL;
  g_autofree char *everything = NULL;
  g_autofree char *updates = NULL;
  g_autofree char *inactive = NULL;
  g_autofree char *late = NULL;
  g_autofree char *site = NULL;
  g_autofree char *tag = NULL;

  if (f->receiver.process == NULL)
    return;
  on_default = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "on-default", "/ok",
                               "'event_type': {'value': 'infrahub.node.created'}");
  tags_only = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "tags-only", "/ok",
                              "'event_type': {'value': 'infrahub.node.created'},"
                              " 'node_kind': {'value': 'TestTag'},"
                              " 'branch_scope': {'value': 'all_branches'}");
  others = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "others", "/ok",
                           "'event_type': {'value': 'infrahub.node.created'},"
                           " 'branch_scope': {'value': 'other_branches'}");
  everything = create_webhook (f, BOUGH_WEBHOOK_CUSTOM_KIND, "everything", "/ok",
                               "'branch_scope': {'value': 'all_branches'}");
  updates = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "updates", "/ok",
                            "'event_type': {'value': 'infrahub.node.updated'},"
                            " 'branch_scope': {'value': 'all_branches'}");
  inactive = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "inactive", "/ok",
                             "'active': {'value': false}, 'branch_scope': {'value': 'all_branches'}");

  site = create_site (f, NULL, "main-site");
  g_assert_true (bough_store_create_branch (f->sf.store, "feature", &error));
  g_assert_no_error (error);
  g_free (create_site (f, "feature", "feature-site"));
  tag = make_node (f, NULL, "TestTag", "{'name': {'value': 'red'}}");
  g_test_message ("branch of the agnostic tag's event: %s", event_branch_of (f, tag));
  /* a webhook made now takes none of the events above */
  late = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "late", "/ok",
                         "'branch_scope': {'value': 'all_branches'}");
  dispatch (f);

  /* main-site and the tag (branch-agnostic data counts as the default branch's) */
  g_assert_cmpuint (count_for (f, on_default), ==, 2);
  /* the node kind filter */
  g_assert_cmpuint (count_for (f, tags_only), ==, 1);
  /* feature-site only */
  g_assert_cmpuint (count_for (f, others), ==, 1);
  g_assert_cmpuint (count_for (f, updates), ==, 0);
  g_assert_cmpuint (count_for (f, inactive), ==, 0);
  g_assert_cmpuint (count_for (f, late), ==, 0);
  /* every event after it: three nodes and the branch (and the webhooks made after it) */
  g_assert_cmpuint (count_for (f, everything), >=, 4);

  /* an update reaches the update webhook; the late one takes it too */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->sf.store, NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'changed'}}", site);
    g_autoptr(JsonObject) change = J (json);
    g_autoptr(BoughNode) node = bough_txn_update (txn, "TestSite", change, &error);

    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
    g_assert_no_error (error);
  }
  dispatch (f);
  g_assert_cmpuint (count_for (f, updates), ==, 1);
  g_assert_cmpuint (count_for (f, late), ==, 1);
  g_assert_cmpuint (count_for (f, on_default), ==, 2);
}

/* A dispatcher that dies after enqueueing and before keeping its cursor,
 * and several dispatchers at once, enqueue each delivery once. */
static void
test_exactly_once (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hook = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *other_cursor = g_build_filename (f->sf.dir, "other-cursor", NULL);
  g_autoptr(BoughWebhookDispatcher) second = NULL;
  g_autoptr(BoughWebhookDispatcher) third = NULL;
  g_autoptr(BoughWebhookDispatcher) other = NULL;
  guint enqueued = 0;

  if (f->receiver.process == NULL)
    return;
  hook = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "once", "/ok",
                         "'event_type': {'value': 'infrahub.node.created'}");
  dispatch (f);
  /* a second process, with a cursor of its own */
  other = bough_webhook_dispatcher_new (f->sf.store, settings_new (), other_cursor);
  g_assert_true (bough_webhook_dispatcher_run_once (other, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (f->cursor_path, &saved, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("site-%u", i);

      g_free (create_site (f, NULL, name));
    }
  g_assert_cmpuint (dispatch (f), ==, 3);
  g_assert_cmpuint (count_for (f, hook), ==, 3);
  g_assert_cmpint (bough_webhook_dispatcher_get_cursor (f->dispatcher), >,
                   g_ascii_strtoll (saved, NULL, 10));

  /* the other process goes over the same events */
  g_assert_true (bough_webhook_dispatcher_run_once (other, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_for (f, hook), ==, 3);

  /* a restart that lost the cursor's last move: the same events again */
  g_assert_true (g_file_set_contents (f->cursor_path, saved, -1, &error));
  g_assert_no_error (error);
  second = bough_webhook_dispatcher_new (f->sf.store, settings_new (), f->cursor_path);
  g_assert_true (bough_webhook_dispatcher_run_once (second, &enqueued, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_for (f, hook), ==, 3);
  g_assert_cmpint (bough_webhook_dispatcher_get_cursor (second), ==,
                   bough_webhook_dispatcher_get_cursor (f->dispatcher));

  /* a restart with the cursor kept: nothing again, and new events go on */
  third = bough_webhook_dispatcher_new (f->sf.store, settings_new (), f->cursor_path);
  g_assert_true (bough_webhook_dispatcher_run_once (third, &enqueued, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (enqueued, ==, 0);
  g_free (create_site (f, NULL, "site-after"));
  g_assert_true (bough_webhook_dispatcher_run_once (third, &enqueued, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (enqueued, ==, 1);
  g_assert_cmpuint (count_for (f, hook), ==, 4);

  /* deliveries run once each */
  g_assert_cmpuint (run_tasks (f, g_get_real_time ()), ==, 4);
  {
    g_autoptr(JsonArray) records = receiver_records (&f->receiver);

    g_assert_cmpuint (json_array_get_length (records), ==, 4);
  }
}

/* A receiver that is down: the delivery is retried at growing intervals
 * (not_before), then ends FAILED with every error logged. */
static void
test_receiver_down (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  g_autofree char *logs = NULL;
  g_autoptr(BoughTask) task = NULL;
  guint16 port;
  gint64 now;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u/down", port);
  json = g_strdup_printf ("{'name': {'value': 'down'}, 'url': {'value': '%s'}, 'shared_key': {'value': 'k'},"
                          " 'event_type': {'value': 'infrahub.node.created'}}", url);
  g_free (make_node (f, NULL, BOUGH_WEBHOOK_STANDARD_KIND, json));
  dispatch (f);
  g_free (create_site (f, NULL, "x"));
  g_assert_cmpuint (dispatch (f), ==, 1);

  now = g_get_real_time ();
  g_assert_cmpuint (run_tasks (f, now), ==, 1);
  task = only_task (f);
  g_assert_cmpint (task->state, ==, BOUGH_TASK_SCHEDULED);
  g_assert_cmpint (task->not_before, ==, now + 10 * G_USEC_PER_SEC);
  /* not before its time */
  g_assert_cmpuint (run_tasks (f, now + 9 * G_USEC_PER_SEC), ==, 0);

  now += 10 * G_USEC_PER_SEC;
  g_assert_cmpuint (run_tasks (f, now), ==, 1);
  g_clear_pointer (&task, bough_task_free);
  task = only_task (f);
  g_assert_cmpint (task->state, ==, BOUGH_TASK_SCHEDULED);
  g_assert_cmpint (task->not_before, ==, now + 20 * G_USEC_PER_SEC);

  now += 20 * G_USEC_PER_SEC;
  g_assert_cmpuint (run_tasks (f, now), ==, 1);
  g_clear_pointer (&task, bough_task_free);
  task = only_task (f);
  g_assert_cmpint (task->state, ==, BOUGH_TASK_FAILED);
  g_assert_cmpuint (task->attempts, ==, 3);
  g_assert_nonnull (strstr (task->error_message, "no success after 3 attempts"));
  g_assert_cmpuint (run_tasks (f, now + (gint64) 3600 * G_USEC_PER_SEC), ==, 0);

  logs = task_log_text (f, task->id);
  g_test_message ("%s", logs);
  g_assert_nonnull (strstr (logs, "attempt 1 of 3"));
  g_assert_nonnull (strstr (logs, "attempt 3 of 3"));
  g_assert_nonnull (strstr (logs, "no response: "));
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BoughTask) task = NULL;
  gint64 now;

  if (f->receiver.process == NULL)
    return;
  g_free (create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "busy", "/status/429/45",
                          "'event_type': {'value': 'infrahub.node.created'}"));
  dispatch (f);
  g_free (create_site (f, NULL, "x"));
  dispatch (f);
  now = g_get_real_time ();
  g_assert_cmpuint (run_tasks (f, now), ==, 1);
  task = only_task (f);
  g_assert_cmpint (task->state, ==, BOUGH_TASK_SCHEDULED);
  g_assert_cmpint (task->not_before, ==, now + 45 * G_USEC_PER_SEC);
}

/* Statuses and targets that retrying cannot fix end the task at once. */
static void
test_not_retried (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) tasks = NULL;
  static const char * const expected[] = { "404", "allow_hosts", "cannot run Python transforms" };
  g_autofree char *repo = NULL;
  g_autofree char *query = NULL;
  g_autofree char *transform = NULL;
  g_autofree char *json = NULL;
  g_autofree char *site = NULL;
  guint sent_before;

  if (f->receiver.process == NULL)
    return;
  g_free (create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "gone", "/status/404",
                          "'event_type': {'value': 'infrahub.node.created'}"));
  g_free (make_node (f, NULL, BOUGH_WEBHOOK_STANDARD_KIND,
                       "{'name': {'value': 'metadata'}, 'url': {'value': 'http://169.254.169.254/latest'},"
                       " 'shared_key': {'value': 'k'},"
                       " 'event_type': {'value': 'infrahub.node.created'}}"));
  repo = make_node (f, NULL, "CoreRepository",
                      "{'name': {'value': 'transforms'}, 'location': {'value': 'https://git.example/t.git'}}");
  query = make_node (f, NULL, "CoreGraphQLQuery",
                       "{'name': {'value': 'q'}, 'query': {'value': 'query { InfraDevice { count } }'}}");
  json = g_strdup_printf ("{'name': {'value': 'py'}, 'file_path': {'value': 't.py'},"
                          " 'class_name': {'value': 'T'}, 'query': {'id': '%s'},"
                          " 'repository': {'id': '%s'}}", query, repo);
  transform = make_node (f, NULL, "CoreTransformPython", json);
  g_free (json);
  json = g_strdup_printf ("'event_type': {'value': 'infrahub.node.created'},"
                          " 'transformation': {'id': '%s'}", transform);
  g_free (create_webhook (f, BOUGH_WEBHOOK_CUSTOM_KIND, "custom", "/ok", json));
  /* the webhooks' deliveries of one another's creation, out of the way */
  dispatch (f);
  run_tasks (f, g_get_real_time ());
  {
    g_autoptr(JsonArray) records = receiver_records (&f->receiver);

    sent_before = json_array_get_length (records);
  }

  site = create_site (f, NULL, "x");
  g_assert_cmpuint (dispatch (f), ==, 3);
  g_assert_cmpuint (run_tasks (f, g_get_real_time ()), ==, 3);

  tasks = delivery_tasks (f);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < tasks->len; j++)
        {
          BoughTask *task = g_ptr_array_index (tasks, j);

          g_assert_cmpint (task->state, ==, BOUGH_TASK_FAILED);
          g_assert_cmpuint (task->attempts, ==, 1);
          if (strstr (task->error_message, expected[i]) != NULL)
            found = TRUE;
        }
      g_test_message ("%s", expected[i]);
      g_assert_true (found);
    }
  /* the 404 was sent; the other two never were */
  {
    g_autoptr(JsonArray) records = receiver_records (&f->receiver);

    g_assert_cmpuint (json_array_get_length (records), ==, sent_before + 1);
  }
}

static void
test_deleted_webhook (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hook = NULL;
  g_autoptr(BoughTask) task = NULL;

  if (f->receiver.process == NULL)
    return;
  hook = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "short-lived", "/ok",
                         "'event_type': {'value': 'infrahub.node.created'}");
  dispatch (f);
  g_free (create_site (f, NULL, "x"));
  g_assert_cmpuint (dispatch (f), ==, 1);
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->sf.store, NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s'}", hook);
    g_autoptr(JsonObject) ref = J (json);

    g_assert_true (bough_txn_delete (txn, BOUGH_WEBHOOK_STANDARD_KIND, ref, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (run_tasks (f, g_get_real_time ()), ==, 1);
  task = only_task (f);
  g_assert_cmpint (task->state, ==, BOUGH_TASK_FAILED);
  g_assert_nonnull (strstr (task->error_message, "was deleted"));
  /* and events after the deletion reach nothing */
  g_free (create_site (f, NULL, "y"));
  g_assert_cmpuint (dispatch (f), ==, 0);
}

/* The dispatcher's thread picks up the events of this process's commits. */
static void
test_thread (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hook = NULL;

  if (f->receiver.process == NULL)
    return;
  hook = create_webhook (f, BOUGH_WEBHOOK_STANDARD_KIND, "threaded", "/ok",
                         "'event_type': {'value': 'infrahub.node.created'}");
  g_assert_true (bough_webhook_dispatcher_start (f->dispatcher, &error));
  g_assert_no_error (error);
  g_free (create_site (f, NULL, "a"));
  g_free (create_site (f, NULL, "b"));
  /* no timing asserted: wait as long as it takes */
  while (count_for (f, hook) < 2)
    g_usleep (20000);
  bough_webhook_dispatcher_stop (f->dispatcher);
  g_assert_cmpuint (count_for (f, hook), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/webhooks/dispatch/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("signed-delivery", test_signed_delivery);
  ADD ("filters", test_filters);
  ADD ("exactly-once", test_exactly_once);
  ADD ("receiver-down", test_receiver_down);
  ADD ("retry-after", test_retry_after);
  ADD ("not-retried", test_not_retried);
  ADD ("deleted-webhook", test_deleted_webhook);
  ADD ("thread", test_thread);
#undef ADD

  return g_test_run ();
}
