/* bough-secrets.h: passwords and API tokens of saved servers in the
 * keyring (libsecret), never in GSettings.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      bough_secret_store_async  (const char           *server,
                                     const char           *kind,
                                     const char           *username,
                                     const char           *secret,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  bough_secret_store_finish (GAsyncResult         *result,
                                     GError              **error);
void      bough_secret_lookup_async (const char           *server,
                                     const char           *kind,
                                     const char           *username,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
char     *bough_secret_lookup_finish (GAsyncResult        *result,
                                      GError             **error);
void      bough_secret_clear_async  (const char           *server,
                                     const char           *kind,
                                     const char           *username,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean  bough_secret_clear_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
