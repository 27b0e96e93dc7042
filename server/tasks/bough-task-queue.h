/* bough-task-queue.h: the task queue of one process: worker threads that
 * claim tasks from the database and run their workflow, the heartbeats
 * that keep their leases, the reaping of tasks whose worker died, retries
 * with backoff, cancellation, and waiting for a task to end.
 *
 * Several processes (`serve` with embedded workers, `worker`) share one
 * queue through the database; the rows and their atomic claims are the
 * store's (store/bough-store-task.h).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

#include "store/bough-store.h"
#include "store/bough-store-task.h"

G_BEGIN_DECLS

typedef struct _BoughTaskQueue BoughTaskQueue;
typedef struct _BoughTaskRun   BoughTaskRun;
typedef struct _BoughConfig    BoughConfig;

/* A workflow: runs one task. Returns FALSE with @error on failure; a
 * failure of BOUGH_ERROR_STORAGE or BOUGH_ERROR_FAILED is retried while
 * attempts remain, any other ends the task FAILED. A run that stops because
 * its cancellable was cancelled returns FALSE with any error. */
typedef gboolean (*BoughTaskFunc) (BoughTaskRun  *run,
                                   GError       **error);

typedef struct
{
  guint  concurrency;      /* worker threads (0: none; inline runs still work) */
  gint64 poll_interval;    /* µs an idle worker waits */
  gint64 lease;            /* µs */
  guint  max_attempts;     /* for tasks submitted without one */
  gint64 retry_backoff;    /* µs before the first retry, doubled after */
  gint64 wait_timeout;     /* µs bough_task_queue_wait() waits by default */
} BoughTaskQueueOptions;

void            bough_task_queue_options_init        (BoughTaskQueueOptions *options);
void            bough_task_queue_options_from_config (BoughTaskQueueOptions *options,
                                                      BoughConfig           *config);

/* The workflows this process can run (a global registry). */
void            bough_task_workflow_register  (const char         *workflow,
                                               BoughTaskFunc       func);
gboolean        bough_task_workflow_is_known  (const char         *workflow);

BoughTaskQueue *bough_task_queue_new          (BoughStore         *store,
                                               const BoughTaskQueueOptions *options);
BoughTaskQueue *bough_task_queue_ref          (BoughTaskQueue     *self);
void            bough_task_queue_unref        (BoughTaskQueue     *self);
const BoughTaskQueueOptions *
                bough_task_queue_get_options  (BoughTaskQueue     *self);
BoughStore     *bough_task_queue_get_store    (BoughTaskQueue     *self);
gboolean        bough_task_queue_start        (BoughTaskQueue     *self,
                                               GError            **error);
void            bough_task_queue_stop         (BoughTaskQueue     *self);

gboolean        bough_task_queue_submit       (BoughTaskQueue     *self,
                                               BoughTask          *task,
                                               GError            **error);
BoughTask      *bough_task_queue_wait         (BoughTaskQueue     *self,
                                               const char         *id,
                                               gint64              timeout,
                                               GError            **error);
BoughTask      *bough_task_queue_run_inline   (BoughTaskQueue     *self,
                                               BoughStore         *store,
                                               BoughTask          *task,
                                               GError            **error);
gboolean        bough_task_queue_cancel       (BoughTaskQueue     *self,
                                               BoughStore         *store,
                                               const char         *id,
                                               BoughTaskState     *state,
                                               GError            **error);
gboolean        bough_task_to_error           (const BoughTask    *task,
                                               GError            **error);
guint64         bough_task_queue_get_runs     (BoughTaskQueue     *self);

/* For workflows */
BoughStore     *bough_task_run_get_store      (BoughTaskRun       *run);
const BoughTask *bough_task_run_get_task      (BoughTaskRun       *run);
GCancellable   *bough_task_run_get_cancellable (BoughTaskRun      *run);
void            bough_task_run_set_progress   (BoughTaskRun       *run,
                                               double              progress);
void            bough_task_run_log            (BoughTaskRun       *run,
                                               const char         *severity,
                                               const char         *message);
void            bough_task_run_set_result     (BoughTaskRun       *run,
                                               const char         *json);
void            bough_task_run_set_retry_delay (BoughTaskRun      *run,
                                               gint64              delay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughTaskQueue, bough_task_queue_unref)

G_END_DECLS
