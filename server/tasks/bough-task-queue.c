/* bough-task-queue.c: worker threads, runs, heartbeats, reaping, retries,
 * cancellation and waiting (see bough-task-queue.h).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-tasks"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "bough-config.h"
#include "bough-error.h"
#include "bough-task-queue.h"

#define MAX_BACKOFF (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

struct _BoughTaskRun
{
  gint            ref_count;
  BoughTaskQueue *queue;      /* nullable: an inline run without a queue */
  BoughStore     *store;
  BoughTask      *task;      /* the runner's; valid while the run is active */
  char           *id;
  char           *worker;
  GCancellable   *cancellable;
  GMutex          lock;       /* the fields below */
  double          progress;   /* -1: unknown */
  gboolean        progress_dirty;
  GPtrArray      *pending_logs; /* of BoughTaskLog*: written when the store is free */
  char           *result;
  gboolean        lost;       /* the lease was lost: another worker has the task */
  gboolean        cancel_asked; /* a user asked (not a shutdown) */
  gint64          retry_delay;  /* µs before a retry the workflow asked for, -1: the backoff */
};

struct _BoughTaskQueue
{
  gint                  ref_count;
  BoughStore           *store;
  BoughTaskQueueOptions options;
  char                 *name;        /* host:pid, prefix of the worker names */
  GMutex                lock;        /* the fields below */
  GCond                 wake;        /* new task submitted, or stopping */
  GCond                 finished;    /* a run of this process ended */
  guint64               wake_serial;
  gboolean              stopping;
  gboolean              started;
  GHashTable           *active;      /* task id → BoughTaskRun* */
  GPtrArray            *threads;
  GThread              *maintenance;
  guint64               runs;        /* runs ended by this queue's workers */
};

/* ---- workflows ---- */

static GMutex workflows_lock;
static GHashTable *workflows;  /* name → BoughTaskFunc */

void
bough_task_workflow_register (const char    *workflow,
                              BoughTaskFunc  func)
{
  g_return_if_fail (workflow != NULL && func != NULL);

  g_mutex_lock (&workflows_lock);
  if (workflows == NULL)
    workflows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (workflows, g_strdup (workflow), func);
  g_mutex_unlock (&workflows_lock);
}

static BoughTaskFunc
workflow_lookup (const char *workflow)
{
  BoughTaskFunc func;

  g_mutex_lock (&workflows_lock);
  func = workflows != NULL ? g_hash_table_lookup (workflows, workflow) : NULL;
  g_mutex_unlock (&workflows_lock);
  return func;
}

gboolean
bough_task_workflow_is_known (const char *workflow)
{
  g_return_val_if_fail (workflow != NULL, FALSE);
  return workflow_lookup (workflow) != NULL;
}

/* The names workers claim: only workflows this process can run. */
static char **
workflow_names (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_mutex_lock (&workflows_lock);
  if (workflows != NULL)
    {
      g_hash_table_iter_init (&iter, workflows);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (names, g_strdup (key));
    }
  g_mutex_unlock (&workflows_lock);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* ---- options ---- */

void
bough_task_queue_options_init (BoughTaskQueueOptions *options)
{
  g_return_if_fail (options != NULL);

  options->concurrency = 2;
  options->poll_interval = 500 * 1000;
  options->lease = 60 * G_USEC_PER_SEC;
  options->max_attempts = 3;
  options->retry_backoff = G_USEC_PER_SEC;
  options->wait_timeout = 600 * G_USEC_PER_SEC;
}

void
bough_task_queue_options_from_config (BoughTaskQueueOptions *options,
                                      BoughConfig           *config)
{
  g_return_if_fail (options != NULL && config != NULL);

  bough_task_queue_options_init (options);
  options->concurrency = bough_config_get_int (config, "tasks", "concurrency");
  options->poll_interval = bough_config_get_int (config, "tasks", "poll_interval") * 1000;
  options->lease = bough_config_get_int (config, "tasks", "lease") * G_USEC_PER_SEC;
  options->max_attempts = bough_config_get_int (config, "tasks", "max_attempts");
  options->retry_backoff = bough_config_get_int (config, "tasks", "retry_backoff") * 1000;
  options->wait_timeout = bough_config_get_int (config, "tasks", "wait_timeout") * G_USEC_PER_SEC;
}

/* ---- runs ---- */

static BoughTaskRun *
run_new (BoughTaskQueue *queue,
         BoughStore     *store,
         BoughTask      *task,
         const char     *worker)
{
  BoughTaskRun *run = g_new0 (BoughTaskRun, 1);

  run->ref_count = 1;
  run->queue = queue;
  run->store = bough_store_ref (store);
  run->task = task;
  run->id = g_strdup (task->id);
  run->worker = g_strdup (worker);
  run->cancellable = g_cancellable_new ();
  g_mutex_init (&run->lock);
  run->progress = task->progress;
  run->retry_delay = -1;
  run->pending_logs = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_task_log_free);
  return run;
}

static BoughTaskRun *
run_ref (BoughTaskRun *run)
{
  g_atomic_int_inc (&run->ref_count);
  return run;
}

/* The task itself is the runner's: it frees it. */
static void
run_unref (BoughTaskRun *run)
{
  if (!g_atomic_int_dec_and_test (&run->ref_count))
    return;
  bough_store_unref (run->store);
  g_free (run->id);
  g_free (run->worker);
  g_object_unref (run->cancellable);
  g_ptr_array_unref (run->pending_logs);
  g_free (run->result);
  g_mutex_clear (&run->lock);
  g_free (run);
}

BoughStore *
bough_task_run_get_store (BoughTaskRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->store;
}

const BoughTask *
bough_task_run_get_task (BoughTaskRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->task;
}

GCancellable *
bough_task_run_get_cancellable (BoughTaskRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  return run->cancellable;
}

/* May be called inside a store transaction (a merge's progress): only
 * memory changes here; the heartbeat writes it. */
void
bough_task_run_set_progress (BoughTaskRun *run,
                             double        progress)
{
  g_return_if_fail (run != NULL);

  g_mutex_lock (&run->lock);
  run->progress = CLAMP (progress, 0, 1);
  run->progress_dirty = TRUE;
  g_mutex_unlock (&run->lock);
}

/* Kept until the store is free (the heartbeat, or the end of the run):
 * workflows log from inside their transactions too. */
void
bough_task_run_log (BoughTaskRun *run,
                    const char   *severity,
                    const char   *message)
{
  BoughTaskLog *log;

  g_return_if_fail (run != NULL && severity != NULL && message != NULL);

  log = g_new0 (BoughTaskLog, 1);
  log->timestamp = g_get_real_time ();
  log->severity = g_strdup (severity);
  log->message = g_strdup (message);
  g_mutex_lock (&run->lock);
  g_ptr_array_add (run->pending_logs, log);
  g_mutex_unlock (&run->lock);
}

void
bough_task_run_set_result (BoughTaskRun *run,
                           const char   *json)
{
  g_return_if_fail (run != NULL);

  g_mutex_lock (&run->lock);
  g_free (run->result);
  run->result = g_strdup (json);
  g_mutex_unlock (&run->lock);
}

/* A workflow that knows when trying again makes sense (a webhook
 * receiver's Retry-After, its own backoff) says so; the queue's backoff
 * applies otherwise. The task is still retried only when its error is a
 * retryable one and attempts remain. */
void
bough_task_run_set_retry_delay (BoughTaskRun *run,
                                gint64        delay)
{
  g_return_if_fail (run != NULL);

  g_mutex_lock (&run->lock);
  run->retry_delay = MAX (delay, 0);
  g_mutex_unlock (&run->lock);
}

static void
run_flush_logs (BoughTaskRun *run)
{
  g_autoptr(GPtrArray) logs = NULL;

  g_mutex_lock (&run->lock);
  logs = g_steal_pointer (&run->pending_logs);
  run->pending_logs = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_task_log_free);
  g_mutex_unlock (&run->lock);
  for (guint i = 0; i < logs->len; i++)
    {
      BoughTaskLog *log = g_ptr_array_index (logs, i);
      g_autoptr(GError) error = NULL;

      if (!bough_store_task_log (run->store, run->id, log->severity, log->message, &error))
        g_warning ("Task %s: cannot write a log: %s", run->id, error->message);
    }
}

/* Renews the lease, writes the progress and the pending logs, and learns
 * of a cancellation asked from another process. */
static void
run_heartbeat (BoughTaskRun *run,
               gint64        lease)
{
  g_autoptr(GError) error = NULL;
  gboolean cancel = FALSE;
  double progress;

  g_mutex_lock (&run->lock);
  progress = run->progress_dirty ? run->progress : -1;
  run->progress_dirty = FALSE;
  g_mutex_unlock (&run->lock);
  run_flush_logs (run);
  if (!bough_store_task_heartbeat (run->store, run->id, run->worker,
                                   g_get_real_time () + lease, progress, &cancel, &error))
    {
      if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT) &&
          strstr (error->message, "no longer held") != NULL)
        {
          g_warning ("Task %s: lease lost; stopping its run", run->id);
          g_mutex_lock (&run->lock);
          run->lost = TRUE;
          g_mutex_unlock (&run->lock);
          g_cancellable_cancel (run->cancellable);
        }
      else
        g_warning ("Task %s: heartbeat failed: %s", run->id, error->message);
      return;
    }
  if (cancel)
    {
      g_mutex_lock (&run->lock);
      run->cancel_asked = TRUE;
      g_mutex_unlock (&run->lock);
      g_cancellable_cancel (run->cancellable);
    }
}

static gint64
backoff_for (const BoughTaskQueueOptions *options,
             guint                        attempts)
{
  gint64 backoff = options->retry_backoff;

  for (guint i = 1; i < attempts && backoff < MAX_BACKOFF; i++)
    backoff *= 2;
  return MIN (backoff, MAX_BACKOFF);
}

static gboolean
error_is_retryable (const GError *error)
{
  return error != NULL && error->domain == BOUGH_ERROR &&
         (error->code == BOUGH_ERROR_STORAGE || error->code == BOUGH_ERROR_FAILED);
}

/* Runs @run's workflow and records how it ended. */
static void
run_execute (BoughTaskRun                *run,
             const BoughTaskQueueOptions *options,
             gboolean                     stopping)
{
  BoughTask *task = run->task;
  BoughTaskFunc func = workflow_lookup (task->workflow);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) write_error = NULL;
  gboolean ok = FALSE;
  gboolean lost;
  gboolean cancel_asked;
  gint64 retry_delay;
  g_autofree char *result = NULL;

  if (func == NULL)
    g_set_error (&error, BOUGH_ERROR, BOUGH_ERROR_UNSUPPORTED, "Unknown workflow %s", task->workflow);
  else
    ok = func (run, &error);
  if (!ok && error == NULL)
    g_set_error_literal (&error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "The task failed");

  g_mutex_lock (&run->lock);
  lost = run->lost;
  cancel_asked = run->cancel_asked;
  result = g_strdup (run->result);
  retry_delay = run->retry_delay;
  g_mutex_unlock (&run->lock);
  run_flush_logs (run);

  if (lost)
    {
      g_message ("Task %s ended after its lease was lost; its outcome is dropped", task->id);
      return;
    }
  if (!cancel_asked)
    {
      /* a cancellation asked from here, or from another process: the
       * store's row tells */
      g_autoptr(BoughTask) now = bough_store_task_get (run->store, task->id, NULL);

      cancel_asked = now != NULL && now->cancel_requested;
    }

  if (ok)
    {
      g_autofree char *message = g_strdup_printf ("%s: done", task->title);

      if (cancel_asked)
        bough_task_run_log (run, "warning", "Cancellation came after the work was done");
      run_flush_logs (run);
      bough_store_task_finish (run->store, task->id, run->worker, BOUGH_TASK_COMPLETED, 0,
                               message, result, &write_error);
    }
  else if (g_cancellable_is_cancelled (run->cancellable) && !cancel_asked && stopping)
    bough_store_task_retry (run->store, task->id, run->worker, g_get_real_time (),
                            "The worker stopped; the task runs again", &write_error);
  else if (g_cancellable_is_cancelled (run->cancellable) || cancel_asked)
    bough_store_task_finish (run->store, task->id, run->worker, BOUGH_TASK_CANCELLED,
                             BOUGH_ERROR_FAILED, "Cancelled", NULL, &write_error);
  else if (error_is_retryable (error) && task->attempts < task->max_attempts)
    {
      g_autofree char *message = g_strdup_printf ("Attempt %u of %u failed: %s", task->attempts,
                                                  task->max_attempts, error->message);

      bough_store_task_retry (run->store, task->id, run->worker,
                              g_get_real_time () +
                              (retry_delay >= 0 ? retry_delay : backoff_for (options, task->attempts)),
                              message, &write_error);
    }
  else
    bough_store_task_finish (run->store, task->id, run->worker, BOUGH_TASK_FAILED,
                             error->domain == BOUGH_ERROR ? error->code : BOUGH_ERROR_FAILED,
                             error->message, NULL, &write_error);
  if (write_error != NULL)
    g_warning ("Task %s: cannot record its end: %s", task->id, write_error->message);
}

/* ---- the queue ---- */

BoughTaskQueue *
bough_task_queue_new (BoughStore                  *store,
                      const BoughTaskQueueOptions *options)
{
  BoughTaskQueue *self;
  char host[256] = "localhost";

  g_return_val_if_fail (store != NULL, NULL);

  self = g_new0 (BoughTaskQueue, 1);
  self->ref_count = 1;
  self->store = bough_store_ref (store);
  if (options != NULL)
    self->options = *options;
  else
    bough_task_queue_options_init (&self->options);
  if (self->options.poll_interval <= 0)
    self->options.poll_interval = 500 * 1000;
  if (self->options.lease <= 0)
    self->options.lease = 60 * G_USEC_PER_SEC;
  if (self->options.max_attempts == 0)
    self->options.max_attempts = 1;
  gethostname (host, sizeof host - 1);
  self->name = g_strdup_printf ("%s:%d", host, (int) getpid ());
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  g_cond_init (&self->finished);
  self->active = g_hash_table_new (g_str_hash, g_str_equal);
  self->threads = g_ptr_array_new ();
  return self;
}

BoughTaskQueue *
bough_task_queue_ref (BoughTaskQueue *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bough_task_queue_unref (BoughTaskQueue *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  bough_task_queue_stop (self);
  g_hash_table_destroy (self->active);
  g_ptr_array_unref (self->threads);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  g_cond_clear (&self->finished);
  bough_store_unref (self->store);
  g_free (self->name);
  g_free (self);
}

const BoughTaskQueueOptions *
bough_task_queue_get_options (BoughTaskQueue *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->options;
}

BoughStore *
bough_task_queue_get_store (BoughTaskQueue *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->store;
}

guint64
bough_task_queue_get_runs (BoughTaskQueue *self)
{
  guint64 runs;

  g_return_val_if_fail (self != NULL, 0);
  g_mutex_lock (&self->lock);
  runs = self->runs;
  g_mutex_unlock (&self->lock);
  return runs;
}

static void
queue_add_run (BoughTaskQueue *self,
               BoughTaskRun   *run)
{
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->active, run->id, run);
  g_mutex_unlock (&self->lock);
}

static void
queue_remove_run (BoughTaskQueue *self,
                  BoughTaskRun   *run)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->active, run->id);
  self->runs++;
  g_cond_broadcast (&self->finished);
  g_mutex_unlock (&self->lock);
}

typedef struct
{
  BoughTaskQueue *queue;
  char           *worker;
} WorkerData;

static gpointer
worker_thread (gpointer data)
{
  WorkerData *wd = data;
  BoughTaskQueue *self = wd->queue;
  g_auto(GStrv) names = workflow_names ();

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      BoughTask *task;
      BoughTaskRun *run;
      guint64 serial;
      gboolean stopping;

      g_mutex_lock (&self->lock);
      stopping = self->stopping;
      serial = self->wake_serial;
      g_mutex_unlock (&self->lock);
      if (stopping)
        break;

      task = bough_store_task_claim (self->store, wd->worker, (const char * const *) names,
                                     g_get_real_time (), self->options.lease, &error);
      if (task == NULL)
        {
          gint64 until = g_get_monotonic_time () + self->options.poll_interval;

          /* busy database (another process writes): try again soon */
          if (error != NULL && !g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT))
            g_warning ("Worker %s: cannot claim a task: %s", wd->worker, error->message);
          g_mutex_lock (&self->lock);
          while (!self->stopping && self->wake_serial == serial &&
                 g_cond_wait_until (&self->wake, &self->lock, until))
            ;
          g_mutex_unlock (&self->lock);
          continue;
        }

      run = run_new (self, self->store, task, wd->worker);
      queue_add_run (self, run);
      g_mutex_lock (&self->lock);
      stopping = self->stopping;
      g_mutex_unlock (&self->lock);
      if (stopping)
        g_cancellable_cancel (run->cancellable);
      g_debug ("Worker %s runs task %s (%s)", wd->worker, task->id, task->workflow);
      run_execute (run, &self->options, TRUE);
      queue_remove_run (self, run);
      run_unref (run);
      bough_task_free (task);
    }
  g_free (wd->worker);
  g_free (wd);
  return NULL;
}

/* Heartbeats of the runs of this process, cancellations asked elsewhere,
 * and the reaping of tasks whose worker died (in any process). */
static gpointer
maintenance_thread (gpointer data)
{
  BoughTaskQueue *self = data;
  gint64 beat = MAX (self->options.lease / 3, 10 * 1000);
  gint64 tick = MIN (self->options.poll_interval, beat);
  gint64 next_beat = g_get_monotonic_time () + beat;
  gint64 next_reap = g_get_monotonic_time ();

  for (;;)
    {
      g_autoptr(GPtrArray) runs = g_ptr_array_new ();
      gint64 now = g_get_monotonic_time ();
      gboolean stopping;
      GHashTableIter iter;
      gpointer value;

      g_mutex_lock (&self->lock);
      while (!self->stopping && g_cond_wait_until (&self->wake, &self->lock, now + tick))
        ;
      stopping = self->stopping;
      g_mutex_unlock (&self->lock);
      if (stopping)
        break;

      now = g_get_monotonic_time ();
      if (now >= next_reap)
        {
          g_autoptr(GError) error = NULL;
          gint reaped = bough_store_task_reap (self->store, g_get_real_time (),
                                               self->options.retry_backoff, &error);

          if (reaped < 0 && !g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT))
            g_warning ("Cannot take back the tasks of dead workers: %s", error->message);
          else if (reaped > 0)
            {
              g_message ("Took back %d task(s) whose worker stopped", reaped);
              g_mutex_lock (&self->lock);
              self->wake_serial++;
              g_cond_broadcast (&self->wake);
              g_mutex_unlock (&self->lock);
            }
          next_reap = now + MAX (self->options.poll_interval, beat / 2);
        }

      g_mutex_lock (&self->lock);
      g_hash_table_iter_init (&iter, self->active);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (runs, run_ref (value));
      g_mutex_unlock (&self->lock);

      for (guint i = 0; i < runs->len; i++)
        {
          BoughTaskRun *run = g_ptr_array_index (runs, i);

          if (now >= next_beat)
            run_heartbeat (run, self->options.lease);
          else
            {
              g_autoptr(BoughTask) row = bough_store_task_get (self->store, run->id, NULL);

              if (row != NULL && row->cancel_requested)
                {
                  g_mutex_lock (&run->lock);
                  run->cancel_asked = TRUE;
                  g_mutex_unlock (&run->lock);
                  g_cancellable_cancel (run->cancellable);
                }
            }
          run_unref (run);
        }
      if (now >= next_beat)
        next_beat = now + beat;
    }
  return NULL;
}

gboolean
bough_task_queue_start (BoughTaskQueue  *self,
                        GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  if (self->started)
    {
      g_mutex_unlock (&self->lock);
      return TRUE;
    }
  self->started = TRUE;
  self->stopping = FALSE;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < self->options.concurrency; i++)
    {
      WorkerData *wd = g_new0 (WorkerData, 1);
      GThread *thread;

      wd->queue = self;
      wd->worker = g_strdup_printf ("%s:%u", self->name, i);
      thread = g_thread_try_new ("bough-task-worker", worker_thread, wd, error);
      if (thread == NULL)
        {
          g_free (wd->worker);
          g_free (wd);
          bough_task_queue_stop (self);
          return FALSE;
        }
      g_ptr_array_add (self->threads, thread);
    }
  self->maintenance = g_thread_try_new ("bough-task-beat", maintenance_thread, self, error);
  if (self->maintenance == NULL)
    {
      bough_task_queue_stop (self);
      return FALSE;
    }
  return TRUE;
}

/* Stops the workers: running tasks are cancelled and go back to the queue
 * (another worker runs them again), except those that end first. */
void
bough_task_queue_stop (BoughTaskQueue *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  if (!self->started)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->stopping = TRUE;
  g_cond_broadcast (&self->wake);
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (((BoughTaskRun *) value)->cancellable);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < self->threads->len; i++)
    g_thread_join (g_ptr_array_index (self->threads, i));
  g_ptr_array_set_size (self->threads, 0);
  if (self->maintenance != NULL)
    g_thread_join (g_steal_pointer (&self->maintenance));
  g_mutex_lock (&self->lock);
  self->started = FALSE;
  g_mutex_unlock (&self->lock);
}

gboolean
bough_task_queue_submit (BoughTaskQueue  *self,
                         BoughTask       *task,
                         GError         **error)
{
  g_return_val_if_fail (self != NULL && task != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (task->max_attempts == 0)
    task->max_attempts = self->options.max_attempts;
  if (!bough_store_task_insert (self->store, task, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  self->wake_serial++;
  g_cond_broadcast (&self->wake);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Waits for a task to end (in this process or another). */
BoughTask *
bough_task_queue_wait (BoughTaskQueue  *self,
                       const char      *id,
                       gint64           timeout,
                       GError         **error)
{
  gint64 deadline;
  gint64 poll;

  g_return_val_if_fail (self != NULL && id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (timeout < 0)
    timeout = self->options.wait_timeout;
  deadline = g_get_monotonic_time () + timeout;
  /* a run of this process wakes the waiters at its end; one of another
   * process is seen by polling */
  poll = CLAMP (self->options.poll_interval / 4, 5 * 1000, 200 * 1000);
  for (;;)
    {
      BoughTask *task = bough_store_task_get (self->store, id, error);
      gint64 now;

      if (task == NULL || bough_task_state_is_final (task->state))
        return task;
      bough_task_free (task);
      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT,
                       "Task %s did not finish within %" G_GINT64_FORMAT " s; it goes on: "
                       "follow it with InfrahubTask(ids: [\"%s\"])",
                       id, timeout / G_USEC_PER_SEC, id);
          return NULL;
        }
      g_mutex_lock (&self->lock);
      g_cond_wait_until (&self->finished, &self->lock, MIN (deadline, now + poll));
      g_mutex_unlock (&self->lock);
    }
}

/* Runs @task now in the calling thread (inserted as claimed by it), with
 * the heartbeats of @self when given. Returns the ended task. */
BoughTask *
bough_task_queue_run_inline (BoughTaskQueue  *self,
                             BoughStore      *store,
                             BoughTask       *task,
                             GError         **error)
{
  BoughTaskQueueOptions defaults;
  const BoughTaskQueueOptions *options;
  BoughTaskRun *run;
  static gint counter;

  g_return_val_if_fail (store != NULL && task != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self != NULL)
    options = &self->options;
  else
    {
      bough_task_queue_options_init (&defaults);
      options = &defaults;
    }
  g_free (task->worker);
  task->worker = g_strdup_printf ("inline:%d:%d", (int) getpid (), g_atomic_int_add (&counter, 1));
  if (task->max_attempts == 0)
    task->max_attempts = 1;
  task->lease_until = g_get_real_time () + options->lease;
  if (!bough_store_task_insert (store, task, error))
    return NULL;
  run = run_new (self, store, task, task->worker);
  if (self != NULL)
    queue_add_run (self, run);
  run_execute (run, options, FALSE);
  if (self != NULL)
    queue_remove_run (self, run);
  run_unref (run);
  return bough_store_task_get (store, task->id, error);
}

gboolean
bough_task_queue_cancel (BoughTaskQueue  *self,
                         BoughStore      *store,
                         const char      *id,
                         BoughTaskState  *state,
                         GError         **error)
{
  BoughTaskState now = BOUGH_TASK_PENDING;

  g_return_val_if_fail (store != NULL && id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!bough_store_task_cancel (store, id, &now, error))
    return FALSE;
  if (self != NULL && now == BOUGH_TASK_CANCELLING)
    {
      BoughTaskRun *run;

      /* running here: stop it now rather than at the next check */
      g_mutex_lock (&self->lock);
      run = g_hash_table_lookup (self->active, id);
      if (run != NULL)
        {
          g_mutex_lock (&run->lock);
          run->cancel_asked = TRUE;
          g_mutex_unlock (&run->lock);
          g_cancellable_cancel (run->cancellable);
        }
      g_mutex_unlock (&self->lock);
    }
  if (state != NULL)
    *state = now;
  return TRUE;
}

/* The error an ended task reports: TRUE for a completed one. */
gboolean
bough_task_to_error (const BoughTask  *task,
                     GError          **error)
{
  g_return_val_if_fail (task != NULL, FALSE);

  if (task->state == BOUGH_TASK_COMPLETED)
    return TRUE;
  if (task->state == BOUGH_TASK_CANCELLED)
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "Task %s was cancelled", task->id);
  else if (task->error_message != NULL)
    g_set_error_literal (error, BOUGH_ERROR,
                         task->error_code > 0 ? task->error_code : BOUGH_ERROR_FAILED,
                         task->error_message);
  else
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "Task %s ended %s", task->id,
                 bough_task_state_to_string (task->state));
  return FALSE;
}
