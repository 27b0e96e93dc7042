/* bough-application.c: BoughApplication: one main window per activation,
 * application-wide actions and their shortcuts.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-application.h"
#include "bough-window.h"

struct _BoughApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (BoughApplication, bough_application, ADW_TYPE_APPLICATION)

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb, NULL, NULL, NULL },
};

static void
bough_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (bough_window_new (BOUGH_APPLICATION (application)));

  gtk_window_present (window);
}

static void
bough_application_startup (GApplication *application)
{
  static const char * const quit_accels[] = { "<Control>q", NULL };
  static const char * const close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (bough_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
}

static void
bough_application_class_init (BoughApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->activate = bough_application_activate;
  application_class->startup = bough_application_startup;
}

static void
bough_application_init (BoughApplication *self)
{
}

/**
 * bough_application_new:
 *
 * Returns: (transfer full): the application
 */
BoughApplication *
bough_application_new (void)
{
  return g_object_new (BOUGH_TYPE_APPLICATION,
                       "application-id", BOUGH_APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/bough/Bough",
                       NULL);
}
