/* bough-page-private.h: the class structure of BoughPage, for the pages of
 * this tree only.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-page.h"

G_BEGIN_DECLS

/**
 * BoughPageClass:
 * @reload: loads the page's data for its client, branch and time; runs on
 *   the main thread when the page is shown after any of them changed (or
 *   after bough_page_queue_reload()). Pass @cancellable to every request:
 *   it is cancelled when the state changes again or the page is hidden.
 * @navigate: shows the thing @argument names (a kind, an object id, ...);
 *   called by the window's `win.navigate` action before the page is shown.
 */
struct _BoughPageClass
{
  AdwBinClass parent_class;

  void (*reload)   (BoughPage    *self,
                    GCancellable *cancellable);
  void (*navigate) (BoughPage    *self,
                    const char   *argument);

  gpointer padding[8];
};

G_END_DECLS
