/* bough-api.h: the REST API under /api (reference §3): info, config, the
 * schema endpoints and the menu, served on the router's worker pool.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "auth/bough-auth.h"
#include "bough-config.h"
#include "http/bough-http.h"
#include "store/bough-store.h"
#include "storage/bough-storage.h"
#include "tasks/bough-task-queue.h"

G_BEGIN_DECLS

typedef struct _BoughApi BoughApi;

BoughApi *bough_api_new      (BoughStore      *store,
                              BoughConfig     *config,
                              const char      *deployment_id);
void      bough_api_free     (BoughApi        *self);
void      bough_api_set_auth (BoughApi        *self,
                              BoughAuth       *auth);
void      bough_api_set_task_queue (BoughApi  *self,
                                    BoughTaskQueue *queue);
void      bough_api_register (BoughApi        *self,
                              BoughHttpRouter *router);
void      bough_api_shutdown (BoughApi        *self);
BoughStorage *bough_api_get_storage (BoughApi     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughApi, bough_api_free)

G_END_DECLS
