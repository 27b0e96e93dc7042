/* bough-task-workflows.h: the workflows built into bough-server (branch
 * create, merge, rebase, delete and validate, diff update, schema load) and
 * the test workflows (test-noop, test-sleep, test-fail: only when the
 * environment has BOUGH_TEST_WORKFLOWS=1), plus the call the API makes to
 * run one as a task and wait for it or not.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bough-task-queue.h"

G_BEGIN_DECLS

void       bough_task_workflows_init   (void);

/* Runs @task: with @queue and @wait, submits it and waits for its end;
 * with @queue and not @wait, submits it and returns %NULL with no error
 * (task->id names it); without @queue, runs it in the calling thread.
 * Returns the ended task (whatever its state) or %NULL with @error. */
BoughTask *bough_task_execute          (BoughTaskQueue *queue,
                                        BoughStore     *store,
                                        BoughTask      *task,
                                        gboolean        wait,
                                        GError        **error);

/* A task of @workflow with its parameters (an object, taken). */
BoughTask *bough_task_new_with_params  (const char     *title,
                                        const char     *workflow,
                                        const char     *branch,
                                        const char     *account,
                                        JsonObject     *parameters);

G_END_DECLS
