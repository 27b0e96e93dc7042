/* bough-application.c: BoughApplication: one main window per activation,
 * the command line (`--server URL`, BOUGH_SERVER_URL and BOUGH_TOKEN),
 * application-wide actions and their shortcuts, and stopping the local
 * workspace's server on quit.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-application.h"
#include "bough-local-server.h"
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
  GtkApplication *application = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (application);

  /* Closing the windows lets each keep its size. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (application));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action_cb, NULL, NULL, NULL },
};

static BoughWindow *
ensure_window (BoughApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (bough_window_new (self));
  return BOUGH_WINDOW (window);
}

static void
bough_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (ensure_window (BOUGH_APPLICATION (application))));
}

static int
bough_application_command_line (GApplication            *application,
                                GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *server = NULL;
  const char *token = g_application_command_line_getenv (command_line, "BOUGH_TOKEN");
  BoughWindow *window;

  if (!g_variant_dict_lookup (options, "server", "&s", &server))
    server = g_application_command_line_getenv (command_line, "BOUGH_SERVER_URL");
  if (server != NULL && server[0] == '\0')
    server = NULL;

  window = ensure_window (BOUGH_APPLICATION (application));
  if (server != NULL)
    bough_window_open_server (window, server, token);
  gtk_window_present (GTK_WINDOW (window));
  return EXIT_SUCCESS;
}

static void
bough_application_startup (GApplication *application)
{
  static const char * const quit_accels[] = { "<Control>q", NULL };
  static const char * const close_accels[] = { "<Control>w", NULL };
  static const char * const help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (bough_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay",
                                         help_accels);
}

static void
bough_application_shutdown (GApplication *application)
{
  /* The private server of the local workspace ends with the client. */
  bough_local_server_stop (bough_local_server_get_default ());

  G_APPLICATION_CLASS (bough_application_parent_class)->shutdown (application);
}

static void
bough_application_class_init (BoughApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->activate = bough_application_activate;
  application_class->command_line = bough_application_command_line;
  application_class->startup = bough_application_startup;
  application_class->shutdown = bough_application_shutdown;
}

static void
bough_application_init (BoughApplication *self)
{
  static const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
      N_("Open this server directly (or set BOUGH_SERVER_URL; BOUGH_TOKEN holds an API token)"),
      N_("URL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
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
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/bough/Bough",
                       NULL);
}
