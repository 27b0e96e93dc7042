/* bough-bench-accounts.h: set-up shared by the in-process GraphQL benches
 * (authz, search): objects made from JSON and accounts holding given
 * permissions. Every failure ends the program.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

#include "store/bough-store.h"

G_BEGIN_DECLS

G_NORETURN void bough_bench_die             (const char          *what,
                                             GError              *error);
char           *bough_bench_create          (BoughTxn            *txn,
                                             const char          *kind,
                                             const char          *json);
char           *bough_bench_make_account    (BoughStore          *store,
                                             const char          *name,
                                             const char * const  *perms_json);
int             bough_bench_compare_doubles (gconstpointer        a,
                                             gconstpointer        b);

G_END_DECLS
