/* bough-bench-search.h: the search workloads of bough-bench (issue #7), run
 * as `bough-bench search [OPTIONS]`.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int bough_bench_search_main (int   argc,
                             char *argv[]);

G_END_DECLS
