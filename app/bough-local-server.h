/* bough-local-server.h: BoughLocalServer, the private bough-server of
 * "Open local workspace".
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

#include "bough-client.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_LOCAL_SERVER (bough_local_server_get_type ())

G_DECLARE_FINAL_TYPE (BoughLocalServer, bough_local_server, BOUGH, LOCAL_SERVER, GObject)

BoughLocalServer *bough_local_server_get_default   (void);
char             *bough_local_server_find_binary   (void);
char             *bough_local_server_default_dir   (void);
void              bough_local_server_start_async   (BoughLocalServer     *self,
                                                    const char           *data_dir,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
BoughClient      *bough_local_server_start_finish  (BoughLocalServer     *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
const char       *bough_local_server_get_url       (BoughLocalServer     *self);
gboolean          bough_local_server_get_running   (BoughLocalServer     *self);
void              bough_local_server_stop          (BoughLocalServer     *self);

G_END_DECLS
