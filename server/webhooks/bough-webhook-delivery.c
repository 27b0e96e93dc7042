/* bough-webhook-delivery.c: webhook deliveries as durable tasks.
 *
 * The dispatcher follows the event table from a cursor and enqueues one
 * task per matching webhook and event. A delivery task's id is derived from
 * the webhook and the event, so enqueueing is idempotent: a dispatcher that
 * dies after enqueueing and before moving its cursor, or several processes
 * dispatching the same events, enqueue each delivery once, and the cursor
 * only moves past events whose deliveries are all in the queue, so none is
 * skipped. The dispatcher runs on a thread of its own: request threads only
 * wake it.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-webhooks"

#include "config.h"

#include <string.h>

#include "bough-error.h"

#include "bough-webhook-delivery.h"
#include "bough-webhook-sign.h"

/* Events read per batch by the dispatcher. */
#define DISPATCH_BATCH 200

BoughWebhookSettings *
bough_webhook_settings_new_from_config (BoughConfig  *config,
                                        GError      **error)
{
  g_autoptr(BoughWebhookSettings) settings = g_new0 (BoughWebhookSettings, 1);

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  settings->guard = bough_webhook_guard_new (bough_config_get_string (config, "webhooks", "allow_hosts"),
                                             error);
  if (settings->guard == NULL)
    return NULL;
  settings->timeout = bough_config_get_int (config, "webhooks", "timeout");
  settings->max_attempts = bough_config_get_int (config, "webhooks", "max_attempts");
  settings->retry_delay = bough_config_get_int (config, "webhooks", "retry_delay");
  settings->max_retry_delay = bough_config_get_int (config, "webhooks", "max_retry_delay");
  settings->poll_interval = bough_config_get_int (config, "webhooks", "poll_interval");
  return g_steal_pointer (&settings);
}

void
bough_webhook_settings_free (BoughWebhookSettings *settings)
{
  if (settings == NULL)
    return;
  g_clear_pointer (&settings->guard, bough_webhook_guard_free);
  g_free (settings);
}

/**
 * bough_webhook_delivery_id:
 * @webhook_id: a webhook's id
 * @event_id: an event's id
 *
 * The id of the task delivering @event_id to @webhook_id: a UUID derived
 * from both, the same whoever computes it.
 *
 * Returns: (transfer full): the task id
 */
char *
bough_webhook_delivery_id (const char *webhook_id,
                           const char *event_id)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_return_val_if_fail (webhook_id != NULL, NULL);
  g_return_val_if_fail (event_id != NULL, NULL);

  g_checksum_update (checksum, (const guchar *) "bough webhook delivery", -1);
  g_checksum_update (checksum, (const guchar *) "", 1);
  g_checksum_update (checksum, (const guchar *) webhook_id, strlen (webhook_id) + 1);
  g_checksum_update (checksum, (const guchar *) event_id, -1);
  g_checksum_get_digest (checksum, digest, &length);
  /* version 8 (custom), RFC 9562 variant */
  digest[6] = (digest[6] & 0x0f) | 0x80;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static void
delivery_log (BoughWebhookLogFunc  log_func,
      gpointer             user_data,
      const char          *severity,
      const char          *format,
      ...) G_GNUC_PRINTF (4, 5);

static void
delivery_log (BoughWebhookLogFunc  log_func,
      gpointer             user_data,
      const char          *severity,
      const char          *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (log_func != NULL)
    log_func (severity, message, user_data);
  else
    g_debug ("%s: %s", severity, message);
}

static BoughEvent *
load_event (BoughStore  *store,
            const char  *id,
            GError     **error)
{
  g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();
  g_autoptr(GPtrArray) events = NULL;
  const char *ids[] = { id, NULL };

  filter->ids = g_strdupv ((char **) ids);
  filter->limit = 1;
  filter->skip_count = TRUE;
  events = bough_store_list_events (store, filter, NULL, error);
  if (events == NULL)
    return NULL;
  if (events->len == 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "the event %s does not exist", id);
      return NULL;
    }
  return g_ptr_array_steal_index (events, 0);
}

/**
 * bough_webhook_deliver:
 * @store: the store
 * @settings: the webhook settings
 * @parameters: the delivery task's parameters (JSON: webhook_id, event_id,
 *   message_id)
 * @attempt: this attempt's number, from 1
 * @log_func: (nullable): receives the delivery's log
 * @user_data: data for @log_func
 * @cancellable: (nullable): a #GCancellable
 * @retry_in: (out): with %BOUGH_WEBHOOK_OUTCOME_RETRY, seconds to wait
 *   before the next attempt
 * @error: return location for a #GError, set unless the delivery succeeded
 *
 * Runs one attempt of a delivery task: reads the webhook and the event as
 * they are now, builds and signs the request (the same `webhook-id` on
 * every attempt), sends it, and logs the request (secrets masked) and the
 * response. %BOUGH_WEBHOOK_OUTCOME_RETRY only while attempts remain: the
 * last one that could have been retried ends %BOUGH_WEBHOOK_OUTCOME_FAIL.
 *
 * Returns: what the attempt means for the delivery
 */
BoughWebhookOutcome
bough_webhook_deliver (BoughStore                 *store,
                       const BoughWebhookSettings *settings,
                       const char                 *parameters,
                       guint                       attempt,
                       BoughWebhookLogFunc         log_func,
                       gpointer                    user_data,
                       GCancellable               *cancellable,
                       gint64                     *retry_in,
                       GError                    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) webhooks = NULL;
  g_autoptr(BoughEvent) event = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(JsonNode) payload_node = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BoughWebhookRequest) request = NULL;
  g_autoptr(BoughWebhookResponse) response = NULL;
  g_autofree char *occurred_at = NULL;
  g_autofree char *request_text = NULL;
  g_autofree char *response_text = NULL;
  BoughWebhookEvent delivery_event = { 0 };
  BoughWebhook *webhook;
  JsonObject *params;
  const char *webhook_id;
  const char *event_id;
  const char *message_id;
  const char *why;

  g_return_val_if_fail (store != NULL, BOUGH_WEBHOOK_OUTCOME_FAIL);
  g_return_val_if_fail (settings != NULL, BOUGH_WEBHOOK_OUTCOME_FAIL);
  g_return_val_if_fail (parameters != NULL, BOUGH_WEBHOOK_OUTCOME_FAIL);
  g_return_val_if_fail (retry_in != NULL, BOUGH_WEBHOOK_OUTCOME_FAIL);
  g_return_val_if_fail (error == NULL || *error == NULL, BOUGH_WEBHOOK_OUTCOME_FAIL);

  *retry_in = 0;
  if (!json_parser_load_from_data (parser, parameters, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "the delivery's parameters are not a JSON object");
      return BOUGH_WEBHOOK_OUTCOME_FAIL;
    }
  params = json_node_get_object (json_parser_get_root (parser));
  webhook_id = json_object_get_string_member_with_default (params, "webhook_id", NULL);
  event_id = json_object_get_string_member_with_default (params, "event_id", NULL);
  message_id = json_object_get_string_member_with_default (params, "message_id", NULL);
  if (webhook_id == NULL || event_id == NULL || message_id == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "the delivery's parameters lack webhook_id, event_id or message_id");
      return BOUGH_WEBHOOK_OUTCOME_FAIL;
    }

  webhooks = bough_webhook_load (store, webhook_id, error);
  if (webhooks == NULL)
    return BOUGH_WEBHOOK_OUTCOME_RETRY;
  if (webhooks->len == 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND,
                   "the webhook %s was deleted: nothing was sent", webhook_id);
      return BOUGH_WEBHOOK_OUTCOME_FAIL;
    }
  webhook = g_ptr_array_index (webhooks, 0);
  if (!webhook->active)
    {
      delivery_log (log_func, user_data, "info", "webhook “%s” is no longer active: nothing was sent",
            webhook->name);
      return BOUGH_WEBHOOK_OUTCOME_SUCCESS;
    }
  if (webhook->transformation != NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_UNSUPPORTED,
                   "webhook “%s” posts the output of the Python transform %s, and this server "
                   "cannot run Python transforms yet: nothing was sent",
                   webhook->name, webhook->transformation);
      return BOUGH_WEBHOOK_OUTCOME_FAIL;
    }

  event = load_event (store, event_id, error);
  if (event == NULL)
    return g_error_matches (*error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND)
           ? BOUGH_WEBHOOK_OUTCOME_FAIL : BOUGH_WEBHOOK_OUTCOME_RETRY;
  payload = bough_store_event_payload (store, event, error);
  if (payload == NULL)
    return BOUGH_WEBHOOK_OUTCOME_RETRY;
  payload_node = json_node_init_object (json_node_alloc (), payload);
  occurred_at = bough_store_stamp_to_iso8601 (event->occurred_at);
  delivery_event.id = event->id;
  delivery_event.event = bough_event_type_to_string (event->type);
  delivery_event.occurred_at = occurred_at;
  delivery_event.branch = event->branch;
  delivery_event.account_id = event->account_id;
  delivery_event.payload = payload_node;

  body = bough_webhook_build_body (&delivery_event);
  request = bough_webhook_request_new (webhook, body, message_id,
                                       g_get_real_time () / G_USEC_PER_SEC);
  for (guint i = 0; i < request->warnings->len; i++)
    delivery_log (log_func, user_data, "warning", "%s", (const char *) g_ptr_array_index (request->warnings, i));
  request_text = bough_webhook_request_describe (request);
  delivery_log (log_func, user_data, "info", "attempt %u of %u: %s", attempt, settings->max_attempts,
        request_text);

  response = bough_webhook_send (request, settings->guard, settings->timeout, cancellable);
  response_text = bough_webhook_response_describe (response);
  delivery_log (log_func, user_data, response->outcome == BOUGH_WEBHOOK_OUTCOME_SUCCESS ? "info" : "error",
        "%s", response_text);

  switch (response->outcome)
    {
    case BOUGH_WEBHOOK_OUTCOME_SUCCESS:
      return BOUGH_WEBHOOK_OUTCOME_SUCCESS;

    case BOUGH_WEBHOOK_OUTCOME_CANCELLED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the delivery was cancelled");
      return BOUGH_WEBHOOK_OUTCOME_CANCELLED;

    case BOUGH_WEBHOOK_OUTCOME_RETRY:
    case BOUGH_WEBHOOK_OUTCOME_FAIL:
    default:
      break;
    }

  why = response->error != NULL ? response->error->message : NULL;
  if (response->outcome == BOUGH_WEBHOOK_OUTCOME_RETRY && attempt < settings->max_attempts)
    {
      *retry_in = bough_webhook_retry_delay (attempt, settings->retry_delay,
                                             settings->max_retry_delay, response->retry_after);
      if (why != NULL)
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s; next attempt in %" G_GINT64_FORMAT " s",
                     why, *retry_in);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                     "the receiver answered %u %s; next attempt in %" G_GINT64_FORMAT " s",
                     response->status, response->reason != NULL ? response->reason : "", *retry_in);
      return BOUGH_WEBHOOK_OUTCOME_RETRY;
    }

  if (response->outcome == BOUGH_WEBHOOK_OUTCOME_RETRY)
    {
      if (why != NULL)
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT, "no success after %u attempts: %s",
                     attempt, why);
      else
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT,
                     "no success after %u attempts: the receiver answered %u %s",
                     attempt, response->status, response->reason != NULL ? response->reason : "");
    }
  else if (response->error != NULL)
    g_set_error (error, BOUGH_ERROR,
                 response->error->domain == BOUGH_ERROR ? response->error->code : BOUGH_ERROR_INVALID,
                 "%s (not retried)", why);
  else
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                 "the receiver answered %u %s (not retried)",
                 response->status, response->reason != NULL ? response->reason : "");
  return BOUGH_WEBHOOK_OUTCOME_FAIL;
}

/* ---- the dispatcher ---- */

typedef gboolean (*SubmitFunc) (BoughTask  *task,
                                gpointer    user_data,
                                GError    **error);

struct _BoughWebhookDispatcher
{
  BoughStore           *store;
  BoughWebhookSettings *settings;
  char                 *cursor_path;
  SubmitFunc            submit;
  gpointer              submit_data;

  GMutex                lock;
  GCond                 cond;
  gboolean              wake;
  gboolean              stopping;
  GThread              *thread;
  guint                 watch;

  /* the dispatcher thread's own (or the caller's of run_once) */
  gint64                cursor;
  GPtrArray            *webhooks;
  guint64               serials;
};

static const char * const webhook_kinds[] = {
  BOUGH_WEBHOOK_STANDARD_KIND, BOUGH_WEBHOOK_CUSTOM_KIND,
  "CoreStaticKeyValue", BOUGH_WEBHOOK_ENV_KEY_VALUE_KIND,
};

/**
 * bough_webhook_dispatcher_new:
 * @store: the store
 * @settings: (transfer full): the webhook settings
 * @cursor_path: file keeping the sequence number of the last event
 *   dispatched
 *
 * Returns: (transfer full): a dispatcher, not started
 */
BoughWebhookDispatcher *
bough_webhook_dispatcher_new (BoughStore           *store,
                              BoughWebhookSettings *settings,
                              const char           *cursor_path)
{
  BoughWebhookDispatcher *self;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);
  g_return_val_if_fail (cursor_path != NULL, NULL);

  self = g_new0 (BoughWebhookDispatcher, 1);
  self->store = bough_store_ref (store);
  self->settings = settings;
  self->cursor_path = g_strdup (cursor_path);
  self->cursor = -1;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  return self;
}

void
bough_webhook_dispatcher_free (BoughWebhookDispatcher *self)
{
  if (self == NULL)
    return;
  bough_webhook_dispatcher_stop (self);
  g_clear_pointer (&self->webhooks, g_ptr_array_unref);
  g_clear_pointer (&self->store, bough_store_unref);
  g_clear_pointer (&self->settings, bough_webhook_settings_free);
  g_free (self->cursor_path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

/**
 * bough_webhook_dispatcher_set_submit_func:
 * @self: a dispatcher
 * @func: (nullable): enqueues a delivery task (the task queue's submit),
 *   %NULL to insert it into the store directly
 * @user_data: data for @func
 */
void
bough_webhook_dispatcher_set_submit_func (BoughWebhookDispatcher *self,
                                          SubmitFunc              func,
                                          gpointer                user_data)
{
  g_return_if_fail (self != NULL);

  self->submit = func;
  self->submit_data = user_data;
}

gint64
bough_webhook_dispatcher_get_cursor (BoughWebhookDispatcher *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->cursor;
}

static gboolean
save_cursor (BoughWebhookDispatcher  *self,
             GError                 **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT "\n", self->cursor);
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (self->cursor_path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "cannot keep the webhook dispatcher's position: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_cursor (BoughWebhookDispatcher  *self,
             gint64                   last,
             GError                 **error)
{
  g_autofree char *text = NULL;
  gint64 cursor;

  if (g_file_get_contents (self->cursor_path, &text, NULL, NULL) &&
      g_ascii_string_to_signed (g_strstrip (text), 10, 0, G_MAXINT64, &cursor, NULL))
    {
      /* a database restored from an older backup has fewer events */
      self->cursor = MIN (cursor, last);
      if (self->cursor == cursor)
        return TRUE;
    }
  else
    {
      /* first start: deliveries begin with the events to come */
      self->cursor = last;
    }
  return save_cursor (self, error);
}

static guint64
webhook_serials (BoughStore *store)
{
  guint64 sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (webhook_kinds); i++)
    sum += bough_store_get_change_serial (store, webhook_kinds[i]);
  return sum;
}

static gboolean
reload_webhooks (BoughWebhookDispatcher  *self,
                 GError                 **error)
{
  guint64 serials = webhook_serials (self->store);
  GPtrArray *webhooks = bough_webhook_load (self->store, NULL, error);

  if (webhooks == NULL)
    return FALSE;
  g_clear_pointer (&self->webhooks, g_ptr_array_unref);
  self->webhooks = webhooks;
  self->serials = serials;
  return TRUE;
}

static gboolean
is_webhook_kind (const char *kind)
{
  if (kind == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (webhook_kinds); i++)
    if (g_str_equal (kind, webhook_kinds[i]))
      return TRUE;
  return FALSE;
}

static gboolean
enqueue (BoughWebhookDispatcher  *self,
         BoughWebhook            *webhook,
         BoughEvent              *event,
         GError                 **error)
{
  const char *type = bough_event_type_to_string (event->type);
  g_autofree char *title = g_strdup_printf ("Send %s to webhook %s", type,
                                            webhook->name != NULL ? webhook->name : webhook->id);
  g_autoptr(BoughTask) task = bough_task_new (title, BOUGH_WEBHOOK_WORKFLOW);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message_id = bough_webhook_new_message_id ();
  gboolean ok;

  task->id = bough_webhook_delivery_id (webhook->id, event->id);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "webhook_id");
  json_builder_add_string_value (builder, webhook->id);
  json_builder_set_member_name (builder, "webhook_name");
  json_builder_add_string_value (builder, webhook->name != NULL ? webhook->name : "");
  json_builder_set_member_name (builder, "webhook_kind");
  json_builder_add_string_value (builder, webhook->kind);
  json_builder_set_member_name (builder, "event_id");
  json_builder_add_string_value (builder, event->id);
  json_builder_set_member_name (builder, "event_type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "message_id");
  json_builder_add_string_value (builder, message_id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  task->parameters = json_generator_to_data (generator, NULL);
  task->branch = g_strdup (event->branch);
  task->max_attempts = self->settings->max_attempts;
  bough_task_add_related (task, webhook->id, webhook->kind);
  if (event->node_id != NULL && event->kind != NULL)
    bough_task_add_related (task, event->node_id, event->kind);

  if (self->submit != NULL)
    ok = self->submit (task, self->submit_data, &local_error);
  else
    ok = bough_store_task_insert (self->store, task, &local_error);
  if (!ok)
    {
      g_autoptr(BoughTask) existing = bough_store_task_get (self->store, task->id, NULL);

      /* already enqueued, by an earlier run or another process */
      if (existing != NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * bough_webhook_dispatcher_run_once:
 * @self: a dispatcher
 * @enqueued: (out) (optional): deliveries enqueued
 * @error: return location for a #GError
 *
 * Enqueues the deliveries of every event after the cursor and moves the
 * cursor past them. Called by the dispatcher's thread; tests call it
 * directly on a dispatcher that is not started.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_webhook_dispatcher_run_once (BoughWebhookDispatcher  *self,
                                   guint                   *enqueued,
                                   GError                 **error)
{
  gint64 last;
  guint count = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (enqueued != NULL)
    *enqueued = 0;
  last = bough_store_last_event_seq (self->store, error);
  if (last < 0)
    return FALSE;
  if (self->cursor < 0 && !load_cursor (self, last, error))
    return FALSE;
  if (last <= self->cursor)
    return TRUE;

  if ((self->webhooks == NULL || self->serials != webhook_serials (self->store)) &&
      !reload_webhooks (self, error))
    return FALSE;

  for (;;)
    {
      g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();
      g_autoptr(GPtrArray) events = NULL;

      filter->after_seq = self->cursor;
      filter->ascending = TRUE;
      filter->limit = DISPATCH_BATCH;
      filter->skip_count = TRUE;
      events = bough_store_list_events (self->store, filter, NULL, error);
      if (events == NULL)
        return FALSE;
      if (events->len == 0)
        break;

      for (guint i = 0; i < events->len; i++)
        {
          BoughEvent *event = g_ptr_array_index (events, i);
          const char *type = bough_event_type_to_string (event->type);

          for (guint j = 0; j < self->webhooks->len; j++)
            {
              BoughWebhook *webhook = g_ptr_array_index (self->webhooks, j);

              /* a webhook takes the events that came after it */
              if (event->occurred_at <= webhook->created_at ||
                  !bough_webhook_matches (webhook, type, event->branch, event->kind))
                continue;
              if (!enqueue (self, webhook, event, error))
                return FALSE;
              count++;
            }
          /* events of the other processes' webhook changes: the set read
           * before may be stale from here on */
          if (is_webhook_kind (event->kind) && !reload_webhooks (self, error))
            return FALSE;
        }

      self->cursor = ((BoughEvent *) g_ptr_array_index (events, events->len - 1))->seq;
      if (!save_cursor (self, error))
        return FALSE;
      if (enqueued != NULL)
        *enqueued = count;
      if (events->len < DISPATCH_BATCH)
        break;
    }

  return TRUE;
}

static void
event_watch_cb (gint64   last_seq,
                gpointer user_data)
{
  BoughWebhookDispatcher *self = user_data;

  /* the committing thread, maybe a request's: only wake the dispatcher */
  g_mutex_lock (&self->lock);
  self->wake = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gpointer
dispatcher_thread (gpointer user_data)
{
  BoughWebhookDispatcher *self = user_data;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gint64 deadline = g_get_monotonic_time () + self->settings->poll_interval * G_USEC_PER_SEC;

      g_mutex_lock (&self->lock);
      while (!self->wake && !self->stopping)
        if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
          break;
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      self->wake = FALSE;
      g_mutex_unlock (&self->lock);

      if (!bough_webhook_dispatcher_run_once (self, NULL, &error))
        g_warning ("webhook dispatcher: %s", error->message);
    }
  return NULL;
}

/**
 * bough_webhook_dispatcher_start:
 * @self: a dispatcher
 * @error: return location for a #GError
 *
 * Starts following the events on a thread of its own: at once after each
 * commit of this process that wrote events, every poll interval for those
 * of other processes.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_webhook_dispatcher_start (BoughWebhookDispatcher  *self,
                                GError                 **error)
{
  gint64 last;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->thread == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* the position is settled before any request can write an event */
  last = bough_store_last_event_seq (self->store, error);
  if (last < 0 || (self->cursor < 0 && !load_cursor (self, last, error)))
    return FALSE;

  self->stopping = FALSE;
  self->wake = TRUE;
  self->watch = bough_store_add_event_watch (self->store, event_watch_cb, self);
  self->thread = g_thread_new ("webhook-dispatch", dispatcher_thread, self);
  return TRUE;
}

/**
 * bough_webhook_dispatcher_stop:
 * @self: a dispatcher
 *
 * Stops the thread after the batch in hand. Safe to call more than once.
 */
void
bough_webhook_dispatcher_stop (BoughWebhookDispatcher *self)
{
  g_return_if_fail (self != NULL);

  if (self->thread == NULL)
    return;
  bough_store_remove_event_watch (self->store, self->watch);
  self->watch = 0;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->thread, g_thread_join);
}
