/* bough-error.c: the BOUGH_ERROR quark.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough"

#include "config.h"

#include "bough-error.h"

G_DEFINE_QUARK (bough-error-quark, bough_error)
