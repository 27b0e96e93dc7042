/* bough-server.h: BoughServer, one running bough-server: its data directory,
 * store, deployment id and HTTP front.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <libsoup/soup.h>

#include "bough-config.h"
#include "http/bough-http.h"
#include "store/bough-store.h"
#include "tasks/bough-task-queue.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_SERVER (bough_server_get_type ())

G_DECLARE_FINAL_TYPE (BoughServer, bough_server, BOUGH, SERVER, GObject)

BoughServer     *bough_server_new               (BoughConfig   *config);
gboolean         bough_server_start             (BoughServer   *self,
                                                 GError       **error);
void             bough_server_stop              (BoughServer   *self);
BoughConfig     *bough_server_get_config        (BoughServer   *self);
BoughStore      *bough_server_get_store         (BoughServer   *self);
BoughHttpRouter *bough_server_get_router        (BoughServer   *self);
const char      *bough_server_get_deployment_id (BoughServer   *self);
const char      *bough_server_get_uri           (BoughServer   *self);

BoughStore      *bough_server_open_store        (BoughConfig   *config,
                                                 gboolean      *created,
                                                 GError       **error);
BoughTaskQueue  *bough_server_start_tasks       (BoughConfig   *config,
                                                BoughStore    *store,
                                                GError       **error);
gboolean         bough_server_init_database     (BoughConfig   *config,
                                                 gboolean      *created,
                                                 GError       **error);
char            *bough_server_ensure_deployment_id (const char *data_dir,
                                                 GError       **error);

G_END_DECLS
