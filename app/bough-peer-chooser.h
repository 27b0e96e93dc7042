/* bough-peer-chooser.h: BoughPeerChooser, the input of a relationship in
 * the object forms: the chosen peers, and a popover that searches the
 * peer kind on the server to add one.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

#include "bough-client.h"

G_BEGIN_DECLS

#define BOUGH_TYPE_PEER_CHOOSER (bough_peer_chooser_get_type ())

G_DECLARE_FINAL_TYPE (BoughPeerChooser, bough_peer_chooser, BOUGH, PEER_CHOOSER, GtkBox)

BoughPeerChooser *bough_peer_chooser_new      (BoughClient      *client,
                                               const char       *branch,
                                               const char       *peer_kind,
                                               gboolean          multiple);
void              bough_peer_chooser_add      (BoughPeerChooser *self,
                                               const char       *id,
                                               const char       *label);
void              bough_peer_chooser_clear    (BoughPeerChooser *self);
char            **bough_peer_chooser_get_ids  (BoughPeerChooser *self);
void              bough_peer_chooser_search   (BoughPeerChooser *self,
                                               const char       *text);
GtkListBox       *bough_peer_chooser_get_results (BoughPeerChooser *self);
gboolean          bough_peer_chooser_get_searching (BoughPeerChooser *self);

G_END_DECLS
