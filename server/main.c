/* main.c: entry point of bough-server; options and subcommands only.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-server"

#include "config.h"

#include <glib.h>

int
main (int   argc,
      char *argv[])
{
  g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
  return 0;
}
