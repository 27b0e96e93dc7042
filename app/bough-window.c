/* bough-window.c: BoughWindow: header bar with the primary menu, the
 * "Connect to a Bough server" status page, the about window, and the window
 * size kept in GSettings.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-window-private.h"

struct _BoughWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwStatusPage        *status_page;
  GtkEntry             *server_entry;
};

G_DEFINE_FINAL_TYPE (BoughWindow, bough_window, ADW_TYPE_APPLICATION_WINDOW)

static void
about_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  static const char * const developers[] = { "The Bough authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", widget,
                        "modal", TRUE,
                        "application-icon", BOUGH_APP_ID,
                        "application-name", _("Bough"),
                        "developer-name", _("The Bough authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Model, branch and review your infrastructure data"),
                        "copyright", "© 2026 The Bough authors",
                        "license-type", GTK_LICENSE_APACHE_2_0,
                        "developers", developers,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static gboolean
bough_window_close_request (GtkWindow *window)
{
  BoughWindow *self = BOUGH_WINDOW (window);
  int width;
  int height;

  /* The default size tracks the size the user gave the window. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (bough_window_parent_class)->close_request (window);
}

static void
bough_window_dispose (GObject *object)
{
  BoughWindow *self = BOUGH_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bough_window_parent_class)->dispose (object);
}

static void
bough_window_class_init (BoughWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bough_window_dispose;
  window_class->close_request = bough_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bough/Bough/bough-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, server_entry);

  gtk_widget_class_install_action (widget_class, "win.about", NULL, about_action);
}

static void
bough_window_init (BoughWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BOUGH_APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "server-url", self->server_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
}

/**
 * bough_window_new:
 * @application: (nullable): the application
 *
 * Returns: (transfer floating): a new main window
 */
BoughWindow *
bough_window_new (BoughApplication *application)
{
  g_return_val_if_fail (application == NULL || BOUGH_IS_APPLICATION (application), NULL);

  return g_object_new (BOUGH_TYPE_WINDOW, "application", application, NULL);
}

AdwStatusPage *
_bough_window_get_status_page (BoughWindow *self)
{
  g_return_val_if_fail (BOUGH_IS_WINDOW (self), NULL);

  return self->status_page;
}

GtkEntry *
_bough_window_get_server_entry (BoughWindow *self)
{
  g_return_val_if_fail (BOUGH_IS_WINDOW (self), NULL);

  return self->server_entry;
}
