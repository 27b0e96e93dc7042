/* test-task-queue.c: the task queue of one process (server/tasks/): worker
 * threads and waiting, a wait that times out naming its task, cancelling a
 * running task, a stop giving running tasks back to the queue, retries
 * with backoff until a run succeeds, and runs in the calling thread.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-task-queue"

#include "config.h"

#include "store-test-common.h"
#include "bough-config.h"
#include "tasks/bough-task-queue.h"

static gint unit_flaky_runs;

/* Ends at once with a result. */
static gboolean
unit_quick (BoughTaskRun  *run,
            GError       **error)
{
  bough_task_run_set_progress (run, 0.5);
  bough_task_run_log (run, "info", "halfway");
  bough_task_run_set_result (run, "{\"answer\":42}");
  return TRUE;
}

/* Runs until cancelled (a safe point every millisecond). */
static gboolean
unit_block (BoughTaskRun  *run,
            GError       **error)
{
  GCancellable *cancellable = bough_task_run_get_cancellable (run);

  while (!g_cancellable_set_error_if_cancelled (cancellable, error))
    g_usleep (1000);
  return FALSE;
}

/* Reports a progress, then runs until cancelled. */
static gboolean
unit_progress (BoughTaskRun  *run,
               GError       **error)
{
  bough_task_run_set_progress (run, 0.25);
  return unit_block (run, error);
}

/* Fails twice (a retryable error), then succeeds. */
static gboolean
unit_flaky (BoughTaskRun  *run,
            GError       **error)
{
  if (g_atomic_int_add (&unit_flaky_runs, 1) < 2)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE, "disk hiccup");
      return FALSE;
    }
  return TRUE;
}

/* Refused: not retried. */
static gboolean
unit_refused (BoughTaskRun  *run,
              GError       **error)
{
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT, "refused: 2 open conflicts");
  return FALSE;
}

static BoughTaskQueue *
queue_new (BoughStore *store,
           guint       concurrency)
{
  BoughTaskQueueOptions options;
  BoughTaskQueue *queue;
  g_autoptr(GError) error = NULL;

  bough_task_queue_options_init (&options);
  options.concurrency = concurrency;
  options.poll_interval = 5 * 1000;
  options.retry_backoff = 1000;
  queue = bough_task_queue_new (store, &options);
  g_assert_true (bough_task_queue_start (queue, &error));
  g_assert_no_error (error);
  return queue;
}

static BoughTask *
submit (BoughTaskQueue *queue,
        const char     *workflow,
        guint           max_attempts)
{
  g_autoptr(GError) error = NULL;
  BoughTask *task = bough_task_new (workflow, workflow);

  task->max_attempts = max_attempts;
  g_assert_true (bough_task_queue_submit (queue, task, &error));
  g_assert_no_error (error);
  return task;
}

static void
wait_running (BoughStore *store,
              const char *id)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughTask) task = bough_store_task_get (store, id, &error);

      g_assert_no_error (error);
      if (task->state == BOUGH_TASK_RUNNING)
        return;
      g_assert_cmpint (task->state, ==, BOUGH_TASK_PENDING);
      g_usleep (1000);
    }
}

static void
test_wait (StoreFixture  *f,
           gconstpointer  data)
{
  g_autoptr(BoughTaskQueue) queue = queue_new (f->store, 2);
  g_autoptr(BoughTask) task = submit (queue, "unit-quick", 0);
  g_autoptr(BoughTask) ended = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_logs = 0;

  /* the queue's default */
  g_assert_cmpuint (task->max_attempts, ==, 3);
  ended = bough_task_queue_wait (queue, task->id, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ended->state, ==, BOUGH_TASK_COMPLETED);
  g_assert_cmpfloat (ended->progress, ==, 1.0);
  g_assert_cmpstr (ended->result, ==, "{\"answer\":42}");
  g_assert_true (bough_task_to_error (ended, &error));
  logs = bough_store_task_logs (f->store, task->id, 0, -1, &n_logs, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_logs, ==, 2);
  g_assert_cmpstr (((BoughTaskLog *) logs->pdata[0])->message, ==, "halfway");
  g_assert_cmpstr (((BoughTaskLog *) logs->pdata[1])->message, ==, "unit-quick: done");
  bough_task_queue_stop (queue);
  g_assert_cmpuint (bough_task_queue_get_runs (queue), ==, 1);
}

static void
test_wait_timeout (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(BoughTaskQueue) queue = queue_new (f->store, 0);
  g_autoptr(BoughTask) task = submit (queue, "unit-quick", 1);
  g_autoptr(BoughTask) ended = NULL;
  g_autoptr(GError) error = NULL;

  /* no worker: the task waits, the waiter gives up */
  ended = bough_task_queue_wait (queue, task->id, 20 * 1000, &error);
  g_assert_null (ended);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
  g_assert_nonnull (strstr (error->message, task->id));
  g_clear_error (&error);
  ended = bough_task_queue_wait (queue, "no-such-task", 20 * 1000, &error);
  g_assert_null (ended);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
}

static void
test_cancel_running (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(BoughTaskQueue) queue = queue_new (f->store, 1);
  g_autoptr(BoughTask) task = submit (queue, "unit-block", 1);
  g_autoptr(BoughTask) ended = NULL;
  g_autoptr(GError) error = NULL;
  BoughTaskState state;

  wait_running (f->store, task->id);
  g_assert_true (bough_task_queue_cancel (queue, f->store, task->id, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, BOUGH_TASK_CANCELLING);
  ended = bough_task_queue_wait (queue, task->id, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ended->state, ==, BOUGH_TASK_CANCELLED);
  g_assert_false (bough_task_to_error (ended, &error));
  g_assert_nonnull (strstr (error->message, "cancelled"));
}

/* A running task's progress is seen in its process before its row has it. */
static void
test_live_progress (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(BoughTaskQueue) queue = queue_new (f->store, 1);
  g_autoptr(BoughTask) task = submit (queue, "unit-progress", 1);
  g_autoptr(BoughTask) ended = NULL;
  g_autoptr(GError) error = NULL;
  double progress = -1;

  wait_running (f->store, task->id);
  while (!bough_task_queue_get_live_progress (queue, task->id, &progress))
    g_usleep (1000);
  g_assert_cmpfloat (progress, ==, 0.25);
  g_assert_true (bough_task_queue_cancel (queue, f->store, task->id, NULL, &error));
  g_assert_no_error (error);
  ended = bough_task_queue_wait (queue, task->id, -1, &error);
  g_assert_no_error (error);
  g_assert_false (bough_task_queue_get_live_progress (queue, task->id, &progress));
}

static void
test_stop_requeues (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(BoughTaskQueue) queue = queue_new (f->store, 1);
  g_autoptr(BoughTask) task = submit (queue, "unit-block", 3);
  g_autoptr(BoughTask) back = NULL;
  g_autoptr(GError) error = NULL;

  wait_running (f->store, task->id);
  bough_task_queue_stop (queue);
  back = bough_store_task_get (f->store, task->id, &error);
  g_assert_no_error (error);
  /* given back to the queue, not cancelled: another worker runs it */
  g_assert_cmpint (back->state, ==, BOUGH_TASK_SCHEDULED);
  g_assert_null (back->worker);
}

static void
test_retry_backoff (StoreFixture  *f,
                    gconstpointer  data)
{
  g_autoptr(BoughTaskQueue) queue = queue_new (f->store, 1);
  g_autoptr(BoughTask) flaky = NULL;
  g_autoptr(BoughTask) refused = NULL;
  g_autoptr(BoughTask) ended = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_logs = 0;

  g_atomic_int_set (&unit_flaky_runs, 0);
  flaky = submit (queue, "unit-flaky", 3);
  ended = bough_task_queue_wait (queue, flaky->id, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ended->state, ==, BOUGH_TASK_COMPLETED);
  g_assert_cmpuint (ended->attempts, ==, 3);
  logs = bough_store_task_logs (f->store, flaky->id, 0, -1, &n_logs, &error);
  g_assert_cmpint (n_logs, ==, 3);
  g_assert_nonnull (strstr (((BoughTaskLog *) logs->pdata[0])->message, "Attempt 1 of 3 failed: disk hiccup"));
  g_clear_pointer (&ended, bough_task_free);

  /* a refusal is not retried; its error comes back as it was */
  refused = submit (queue, "unit-refused", 3);
  ended = bough_task_queue_wait (queue, refused->id, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ended->state, ==, BOUGH_TASK_FAILED);
  g_assert_cmpuint (ended->attempts, ==, 1);
  g_assert_false (bough_task_to_error (ended, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "refused: 2 open conflicts");
}

static gboolean
inline_func (BoughTaskRun  *run,
             GError       **error)
{
  gint *calls = bough_task_run_get_user_data (run);

  (*calls)++;
  g_assert_cmpint (bough_task_run_get_task (run)->state, ==, BOUGH_TASK_RUNNING);
  return TRUE;
}

static void
test_inline (StoreFixture  *f,
             gconstpointer  data)
{
  g_autoptr(BoughTask) task = bough_task_new ("inline", "not-a-registered-workflow");
  g_autoptr(BoughTask) unknown = bough_task_new ("unknown", "not-a-registered-workflow");
  g_autoptr(BoughTask) ended = NULL;
  g_autoptr(GError) error = NULL;
  gint calls = 0;

  ended = bough_task_queue_run_func (NULL, f->store, task, inline_func, &calls, &error);
  g_assert_no_error (error);
  g_assert_cmpint (calls, ==, 1);
  g_assert_cmpint (ended->state, ==, BOUGH_TASK_COMPLETED);
  g_assert_cmpuint (ended->attempts, ==, 1);
  g_clear_pointer (&ended, bough_task_free);

  ended = bough_task_queue_run_inline (NULL, f->store, unknown, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ended->state, ==, BOUGH_TASK_FAILED);
  g_assert_nonnull (strstr (ended->error_message, "Unknown workflow"));
}

/* The [tasks] keys: defaults, BOUGH_TASKS_* overrides, limits, config show. */
static void
test_config (void)
{
  g_autoptr(GError) error = NULL;
  const char * const empty[] = { NULL };
  const char * const envp[] = { "BOUGH_TASKS_CONCURRENCY=5", "BOUGH_TASKS_LEASE=7",
                                "BOUGH_TASKS_POLL_INTERVAL=250", "BOUGH_TASKS_MAX_ATTEMPTS=9",
                                "BOUGH_TASKS_RETRY_BACKOFF=30", "BOUGH_TASKS_WAIT_TIMEOUT=11", NULL };
  const char * const bad[] = { "BOUGH_TASKS_POLL_INTERVAL=1", NULL };
  g_autoptr(BoughConfig) defaults = bough_config_load (NULL, NULL, NULL, empty, &error);
  g_autoptr(BoughConfig) config = NULL;
  g_autoptr(BoughConfig) refused = NULL;
  g_autofree char *shown = NULL;
  BoughTaskQueueOptions options;

  g_assert_no_error (error);
  bough_task_queue_options_from_config (&options, defaults);
  g_assert_cmpuint (options.concurrency, ==, 2);
  g_assert_cmpint (options.lease, ==, 60 * G_USEC_PER_SEC);
  g_assert_cmpuint (options.max_attempts, ==, 3);

  config = bough_config_load (NULL, NULL, NULL, envp, &error);
  g_assert_no_error (error);
  bough_task_queue_options_from_config (&options, config);
  g_assert_cmpuint (options.concurrency, ==, 5);
  g_assert_cmpint (options.lease, ==, 7 * G_USEC_PER_SEC);
  g_assert_cmpint (options.poll_interval, ==, 250 * 1000);
  g_assert_cmpuint (options.max_attempts, ==, 9);
  g_assert_cmpint (options.retry_backoff, ==, 30 * 1000);
  g_assert_cmpint (options.wait_timeout, ==, 11 * G_USEC_PER_SEC);
  shown = bough_config_to_data (config, NULL);
  g_assert_nonnull (strstr (shown, "[tasks]"));
  g_assert_nonnull (strstr (shown, "concurrency=5"));

  refused = bough_config_load (NULL, NULL, NULL, bad, &error);
  g_assert_null (refused);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "BOUGH_TASKS_POLL_INTERVAL"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  bough_task_workflow_register ("unit-quick", unit_quick);
  bough_task_workflow_register ("unit-block", unit_block);
  bough_task_workflow_register ("unit-progress", unit_progress);
  bough_task_workflow_register ("unit-flaky", unit_flaky);
  bough_task_workflow_register ("unit-refused", unit_refused);

#define ADD(path, fn) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, fn, store_fixture_teardown)
  ADD ("/task-queue/wait", test_wait);
  ADD ("/task-queue/wait-timeout", test_wait_timeout);
  ADD ("/task-queue/cancel-running", test_cancel_running);
  ADD ("/task-queue/stop-requeues", test_stop_requeues);
  ADD ("/task-queue/live-progress", test_live_progress);
  ADD ("/task-queue/retry-backoff", test_retry_backoff);
  ADD ("/task-queue/inline", test_inline);
#undef ADD
  g_test_add_func ("/task-queue/config", test_config);

  return g_test_run ();
}
