/* bough-webhooks.c: outgoing webhooks in a running process (`serve` and
 * `worker`): the `webhook-send` workflow of the task queue and the
 * dispatcher that turns events into its tasks.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-webhooks"

#include "config.h"

#include "bough-error.h"

#include "bough-webhook-delivery.h"
#include "bough-webhooks.h"

struct _BoughWebhooks
{
  BoughWebhookDispatcher *dispatcher;
  BoughTaskQueue         *queue;
  BoughConfig            *config;
};

/* Workflows take no data: the settings of the latest start, read (and
 * copied) by each run, since a run may outlive a restart in tests. */
static GMutex workflow_lock;
static BoughConfig *workflow_config;

static void
run_log_cb (const char *severity,
            const char *message,
            gpointer    user_data)
{
  bough_task_run_log (user_data, severity, message);
}

static gboolean
send_workflow (BoughTaskRun  *run,
               GError       **error)
{
  const BoughTask *task = bough_task_run_get_task (run);
  g_autoptr(BoughWebhookSettings) settings = NULL;
  BoughWebhookOutcome outcome;
  gint64 retry_in = 0;

  g_mutex_lock (&workflow_lock);
  if (workflow_config != NULL)
    settings = bough_webhook_settings_new_from_config (workflow_config, error);
  else
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "webhooks are not set up in this process");
  g_mutex_unlock (&workflow_lock);
  if (settings == NULL)
    return FALSE;
  /* the task's own count, fixed when it was enqueued */
  settings->max_attempts = task->max_attempts;

  outcome = bough_webhook_deliver (bough_task_run_get_store (run), settings, task->parameters,
                                   task->attempts, run_log_cb, run,
                                   bough_task_run_get_cancellable (run), &retry_in, error);
  if (outcome == BOUGH_WEBHOOK_OUTCOME_RETRY && retry_in > 0)
    bough_task_run_set_retry_delay (run, retry_in * G_USEC_PER_SEC);
  return outcome == BOUGH_WEBHOOK_OUTCOME_SUCCESS;
}

static gboolean
submit_cb (BoughTask  *task,
           gpointer    user_data,
           GError    **error)
{
  return bough_task_queue_submit (user_data, task, error);
}

/**
 * bough_webhooks_start:
 * @config: the configuration (`[webhooks]`)
 * @store: the open store
 * @queue: the process's task queue
 * @error: return location for a #GError
 *
 * Registers the delivery workflow and starts the dispatcher; its cursor is
 * kept in the data directory (`webhook-cursor`).
 *
 * Returns: (transfer full): the running webhooks, or %NULL with @error set
 */
BoughWebhooks *
bough_webhooks_start (BoughConfig     *config,
                      BoughStore      *store,
                      BoughTaskQueue  *queue,
                      GError         **error)
{
  g_autoptr(BoughWebhooks) self = NULL;
  g_autofree char *cursor_path = NULL;
  BoughWebhookSettings *settings;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (queue != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  settings = bough_webhook_settings_new_from_config (config, error);
  if (settings == NULL)
    return NULL;

  g_mutex_lock (&workflow_lock);
  workflow_config = config;
  g_mutex_unlock (&workflow_lock);
  bough_task_workflow_register (BOUGH_WEBHOOK_WORKFLOW, send_workflow);

  self = g_new0 (BoughWebhooks, 1);
  self->config = config;
  self->queue = bough_task_queue_ref (queue);
  cursor_path = g_build_filename (bough_config_get_data_dir (config), "webhook-cursor", NULL);
  self->dispatcher = bough_webhook_dispatcher_new (store, settings, cursor_path);
  bough_webhook_dispatcher_set_submit_func (self->dispatcher, submit_cb, self->queue);
  if (!bough_webhook_dispatcher_start (self->dispatcher, error))
    {
      g_prefix_error (error, "cannot start the webhook dispatcher: ");
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * bough_webhooks_stop:
 * @self: (nullable): running webhooks
 *
 * Stops the dispatcher. Deliveries in the queue stay there for the next
 * start, or for another process.
 */
void
bough_webhooks_stop (BoughWebhooks *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&workflow_lock);
  if (workflow_config == self->config)
    workflow_config = NULL;
  g_mutex_unlock (&workflow_lock);
  g_clear_pointer (&self->dispatcher, bough_webhook_dispatcher_free);
  g_clear_pointer (&self->queue, bough_task_queue_unref);
  g_free (self);
}
