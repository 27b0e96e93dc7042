/* bough-tasks-page.h: BoughTasksPage, the task monitor: running and past
 * tasks with their logs, live over the websocket, and their cancellation;
 * BoughTaskItem, one task.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-page-private.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_TASK_ITEM (bough_task_item_get_type ())

G_DECLARE_FINAL_TYPE (BoughTaskItem, bough_task_item, BOUGH, TASK_ITEM, GObject)

const char *bough_task_item_get_id         (BoughTaskItem *self);
const char *bough_task_item_get_title      (BoughTaskItem *self);
const char *bough_task_item_get_state      (BoughTaskItem *self);
const char *bough_task_item_get_conclusion (BoughTaskItem *self);
const char *bough_task_item_get_workflow   (BoughTaskItem *self);
const char *bough_task_item_get_branch     (BoughTaskItem *self);
double      bough_task_item_get_progress   (BoughTaskItem *self);
guint       bough_task_item_get_n_logs     (BoughTaskItem *self);
const char *bough_task_item_get_log        (BoughTaskItem *self,
                                            guint          index,
                                            const char   **severity);

#define BOUGH_TYPE_TASKS_PAGE (bough_tasks_page_get_type ())

G_DECLARE_FINAL_TYPE (BoughTasksPage, bough_tasks_page, BOUGH, TASKS_PAGE, BoughPage)

GtkWidget     *bough_tasks_page_new          (void);
GListModel    *bough_tasks_page_get_tasks    (BoughTasksPage *self);
BoughTaskItem *bough_tasks_page_find         (BoughTasksPage *self,
                                              const char     *id);
BoughTaskItem *bough_tasks_page_get_selected (BoughTasksPage *self);
gboolean       bough_tasks_page_select       (BoughTasksPage *self,
                                              const char     *id);
guint          bough_tasks_page_get_updates  (BoughTasksPage *self);
gboolean       bough_tasks_page_get_live     (BoughTasksPage *self);
GtkWidget     *bough_tasks_page_get_log_list (BoughTasksPage *self);

G_END_DECLS
