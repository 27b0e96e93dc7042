/* bough-client-private.h: what the tests of BoughClient may see of its
 * inside: how many HTTP requests went to a path, how many websockets it
 * opened and holds; how old a time must be for its schema to be cached
 * for good (a minute) and how often a dropped websocket is opened again
 * (over a minute), so that a test need not wait.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-client.h"

G_BEGIN_DECLS

guint _bough_client_get_request_count   (BoughClient *self,
                                         const char  *path);
void  _bough_client_set_schema_settle_time (BoughClient *self,
                                            GTimeSpan    settle);
void  _bough_client_set_websocket_retries (BoughClient *self,
                                           guint        retries);
guint _bough_client_get_websocket_count (BoughClient *self);
guint _bough_client_get_open_websockets (BoughClient *self);

G_END_DECLS
