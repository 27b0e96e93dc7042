/* bough-connect-page.h: BoughConnectPage, the first page: connect to a
 * server (address, password or API token, saved servers) or open the local
 * workspace.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "bough-client.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_CONNECT_PAGE (bough_connect_page_get_type ())

G_DECLARE_FINAL_TYPE (BoughConnectPage, bough_connect_page, BOUGH, CONNECT_PAGE, AdwBin)

void           bough_connect_page_set_url          (BoughConnectPage *self,
                                                    const char       *url);
void           bough_connect_page_reset            (BoughConnectPage *self);
AdwStatusPage *bough_connect_page_get_status_page  (BoughConnectPage *self);
GtkEditable   *bough_connect_page_get_url_editable (BoughConnectPage *self);
void           bough_connect_page_fill             (BoughConnectPage *self,
                                                    const char       *url,
                                                    const char       *username,
                                                    const char       *password,
                                                    const char       *token);
void           bough_connect_page_connect          (BoughConnectPage *self);
void           bough_connect_page_open_local       (BoughConnectPage *self);
GtkListBox    *bough_connect_page_get_saved_list   (BoughConnectPage *self);
const char    *bough_connect_page_get_error        (BoughConnectPage *self);
gboolean       bough_connect_page_get_busy         (BoughConnectPage *self);

G_END_DECLS
