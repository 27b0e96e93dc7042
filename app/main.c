/* main.c: entry point of bough, the desktop client.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BoughApplication) application = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = bough_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
