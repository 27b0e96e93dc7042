/* bough-application.h: BoughApplication, the `bough` desktop client's
 * AdwApplication (app id org.bough.Bough).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BOUGH_TYPE_APPLICATION (bough_application_get_type ())

G_DECLARE_FINAL_TYPE (BoughApplication, bough_application, BOUGH, APPLICATION, AdwApplication)

BoughApplication *bough_application_new (void);

G_END_DECLS
