/* bough-bench-tasks.h: the task queue workload of bough-bench, run as
 * `bough-bench tasks [OPTIONS]`.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int bough_bench_tasks_main (int   argc,
                            char *argv[]);

G_END_DECLS
