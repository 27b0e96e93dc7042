/* bough-bench-branch.h: the branch workloads of bough-bench (W4, W5, W6,
 * W9, W10), run as `bough-bench branch [OPTIONS]`.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int bough_bench_branch_main (int   argc,
                             char *argv[]);

G_END_DECLS
