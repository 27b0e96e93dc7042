/* bough-window.c: BoughWindow: the connect page and the main view (sidebar,
 * branch and time selectors, content stack of pages), the window state
 * (client, branch, time) handed to every page, navigation between pages,
 * error reports (toasts and a banner saying what to do), the window's
 * actions and shortcuts, the about window, and the window size kept in
 * GSettings.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-error.h"
#include "bough-objects-page.h"
#include "bough-operations.h"
#include "bough-schema-page.h"
#include "bough-search-anywhere.h"
#include "bough-secrets.h"
#include "bough-window-private.h"

typedef enum
{
  BANNER_NONE,
  BANNER_RETRY,
  BANNER_SIGN_IN,
} BannerAction;

struct _BoughWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  BoughClient          *client;
  char                 *branch;
  char                 *at;
  char                 *kind_page;
  GHashTable           *pages;          /* name → BoughPage (unowned: the stack owns them) */
  GBinding             *title_binding;
  GBinding             *subtitle_binding;
  GBinding             *loading_binding;
  char                 *last_toast;
  guint                 toast_count;
  BannerAction          banner_action;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  BoughConnectPage     *connect_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *content_box;
  AdwWindowTitle       *sidebar_title;
  AdwWindowTitle       *page_title;
  BoughSidebar         *sidebar;
  BoughBranchSelector  *branch_selector;
  BoughTimeSelector    *time_selector;
  GtkSpinner           *spinner;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  GtkRevealer          *time_revealer;
  GtkLabel             *time_label;
  GtkStack             *pages_stack;
};

G_DEFINE_FINAL_TYPE (BoughWindow, bough_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_BRANCH,
  PROP_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hide_banner (BoughWindow *self)
{
  self->banner_action = BANNER_NONE;
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

static void
show_banner (BoughWindow  *self,
             const char   *text,
             const char   *button_label,
             BannerAction  action)
{
  self->banner_action = action;
  gtk_label_set_text (self->banner_label, text);
  gtk_button_set_label (self->banner_button, button_label);
  gtk_button_set_use_underline (self->banner_button, TRUE);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static void
reload_all (BoughWindow *self)
{
  GtkWidget *visible = gtk_stack_get_visible_child (self->pages_stack);

  hide_banner (self);
  bough_page_queue_reload (BOUGH_PAGE (self->sidebar));
  bough_branch_selector_reload (self->branch_selector);
  if (BOUGH_IS_PAGE (visible))
    bough_page_queue_reload (BOUGH_PAGE (visible));
}

static void
banner_button_clicked_cb (BoughWindow *self)
{
  switch (self->banner_action)
    {
    case BANNER_RETRY:
      reload_all (self);
      break;
    case BANNER_SIGN_IN:
      hide_banner (self);
      if (self->client != NULL)
        bough_connect_page_set_url (self->connect_page, bough_client_get_base_url (self->client));
      bough_window_set_client (self, NULL);
      break;
    case BANNER_NONE:
    default:
      hide_banner (self);
    }
}

static void
connect_page_connected_cb (BoughConnectPage *page,
                           BoughClient      *client,
                           BoughWindow      *self)
{
  bough_window_set_client (self, client);
}

static void
pages_stack_visible_child_cb (BoughWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->pages_stack);

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_pointer (&self->subtitle_binding, g_binding_unbind);
  g_clear_pointer (&self->loading_binding, g_binding_unbind);
  if (!BOUGH_IS_PAGE (child))
    return;
  self->title_binding = g_object_bind_property (child, "title", self->page_title, "title",
                                                G_BINDING_SYNC_CREATE);
  self->subtitle_binding = g_object_bind_property (child, "subtitle", self->page_title, "subtitle",
                                                   G_BINDING_SYNC_CREATE);
  self->loading_binding = g_object_bind_property (child, "loading", self->spinner, "spinning",
                                                  G_BINDING_SYNC_CREATE);
  bough_sidebar_select_page (self->sidebar, gtk_stack_get_visible_child_name (self->pages_stack));
}

static void
update_time_banner (BoughWindow *self)
{
  if (self->at == NULL)
    {
      gtk_revealer_set_reveal_child (self->time_revealer, FALSE);
      return;
    }
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (self->at, NULL);
    g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
    g_autofree char *when = local ? g_date_time_format (local, "%x %X %Z") : g_strdup (self->at);
    g_autofree char *text = g_strdup_printf (_("Showing the data as it was at %s. "
                                               "Changes are not possible in the past."),
                                             when);

    gtk_label_set_text (self->time_label, text);
    gtk_revealer_set_reveal_child (self->time_revealer, TRUE);
  }
}

/* ---- actions ---- */

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

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload_all (BOUGH_WINDOW (widget));
}

static void
disconnect_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BoughWindow *self = BOUGH_WINDOW (widget);

  if (self->client != NULL)
    {
      bough_connect_page_set_url (self->connect_page, bough_client_get_base_url (self->client));
      bough_client_logout (self->client);
    }
  bough_window_set_client (self, NULL);
}

static void
navigate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  const char *page;
  const char *argument;

  g_variant_get (parameter, "(&s&s)", &page, &argument);
  bough_window_navigate (BOUGH_WINDOW (widget), page, argument[0] ? argument : NULL);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  bough_window_navigate (BOUGH_WINDOW (widget), g_variant_get_string (parameter, NULL), NULL);
}

static void
open_kind_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BoughWindow *self = BOUGH_WINDOW (widget);

  bough_window_navigate (self, self->kind_page, g_variant_get_string (parameter, NULL));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BoughWindow *self = BOUGH_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
choose_branch_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BoughWindow *self = BOUGH_WINDOW (widget);

  if (self->client != NULL)
    bough_branch_selector_popup (self->branch_selector, FALSE);
}

static void
create_branch_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  BoughWindow *self = BOUGH_WINDOW (widget);

  if (self->client != NULL)
    bough_branch_selector_popup (self->branch_selector, TRUE);
}

static void
choose_time_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BoughWindow *self = BOUGH_WINDOW (widget);

  if (self->client != NULL)
    bough_time_selector_popup (self->time_selector);
}

static void
time_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  bough_window_set_at (BOUGH_WINDOW (widget), NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BoughWindow *self = BOUGH_WINDOW (widget);

  if (self->client == NULL)
    return;
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  bough_sidebar_focus_search (self->sidebar);
}

/* ---- GObject ---- */

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

  g_clear_pointer (&self->title_binding, g_binding_unbind);
  g_clear_pointer (&self->subtitle_binding, g_binding_unbind);
  g_clear_pointer (&self->loading_binding, g_binding_unbind);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_pointer (&self->pages, g_hash_table_unref);

  G_OBJECT_CLASS (bough_window_parent_class)->dispose (object);
}

static void
bough_window_finalize (GObject *object)
{
  BoughWindow *self = BOUGH_WINDOW (object);

  g_free (self->branch);
  g_free (self->at);
  g_free (self->kind_page);
  g_free (self->last_toast);

  G_OBJECT_CLASS (bough_window_parent_class)->finalize (object);
}

static void
bough_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BoughWindow *self = BOUGH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_BRANCH:
      g_value_set_string (value, self->branch);
      break;
    case PROP_AT:
      g_value_set_string (value, self->at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BoughWindow *self = BOUGH_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bough_window_set_client (self, g_value_get_object (value));
      break;
    case PROP_BRANCH:
      bough_window_set_branch (self, g_value_get_string (value));
      break;
    case PROP_AT:
      bough_window_set_at (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_window_class_init (BoughWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bough_window_dispose;
  object_class->finalize = bough_window_finalize;
  object_class->get_property = bough_window_get_property;
  object_class->set_property = bough_window_set_property;
  window_class->close_request = bough_window_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BOUGH_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BRANCH] =
    g_param_spec_string ("branch", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AT] =
    g_param_spec_string ("at", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BOUGH_TYPE_CONNECT_PAGE);
  g_type_ensure (BOUGH_TYPE_SIDEBAR);
  g_type_ensure (BOUGH_TYPE_BRANCH_SELECTOR);
  g_type_ensure (BOUGH_TYPE_TIME_SELECTOR);
  g_type_ensure (BOUGH_TYPE_SEARCH_ANYWHERE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bough/Bough/bough-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, connect_page);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, branch_selector);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, time_selector);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, time_revealer);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, BoughWindow, pages_stack);
  gtk_widget_class_bind_template_callback (widget_class, connect_page_connected_cb);
  gtk_widget_class_bind_template_callback (widget_class, banner_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pages_stack_visible_child_cb);

  gtk_widget_class_install_action (widget_class, "win.about", NULL, about_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL, disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.navigate", "(ss)", navigate_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.open-kind", "s", open_kind_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.choose-branch", NULL, choose_branch_action);
  gtk_widget_class_install_action (widget_class, "win.create-branch", NULL, create_branch_action);
  gtk_widget_class_install_action (widget_class, "win.choose-time", NULL, choose_time_action);
  gtk_widget_class_install_action (widget_class, "win.time-now", NULL, time_now_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "win.choose-branch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.create-branch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                       "win.choose-time", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "win.show-page", "s", "schema");
}

/* The styles and the icon, once per display: without a GtkApplication
 * (tests) nothing else loads them. */
static void
load_display_resources (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), "bough-resources") != NULL)
    return;
  g_object_set_data (G_OBJECT (display), "bough-resources", GINT_TO_POINTER (TRUE));
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/bough/Bough/bough-style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/org/bough/Bough/icons");
}

static void
bough_window_init (BoughWindow *self)
{
  g_autoptr(BoughPage) schema_page = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  load_display_resources (GTK_WIDGET (self));

  self->pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->kind_page = g_strdup ("schema");
  self->settings = g_settings_new (BOUGH_APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_object_bind_property (self, "client", self->sidebar, "client", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "branch", self->sidebar, "branch", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "at", self->sidebar, "at", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "client", self->branch_selector, "client", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "branch", self->branch_selector, "branch",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self, "at", self->time_selector, "at",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  /* The pages every connection has; other views add theirs the same way. */
  schema_page = g_object_ref_sink (BOUGH_PAGE (bough_schema_page_new ()));
  bough_window_add_page (self, "schema", schema_page, TRUE);
  bough_objects_register (self);
  bough_operations_register (self);

  gtk_stack_set_visible_child_name (self->main_stack, "connect");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.disconnect", FALSE);
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

/**
 * bough_window_get_client:
 * @self: a #BoughWindow
 *
 * Returns: (transfer none) (nullable): the client of the server the window shows
 */
BoughClient *
bough_window_get_client (BoughWindow *self)
{
  g_return_val_if_fail (BOUGH_IS_WINDOW (self), NULL);

  return self->client;
}

/**
 * bough_window_set_client:
 * @self: a #BoughWindow
 * @client: (nullable): a client with its credentials, or %NULL for the
 *   connect page
 *
 * Shows the server of @client on its default branch, now; every page gets
 * the client.
 */
void
bough_window_set_client (BoughWindow *self,
                         BoughClient *client)
{
  g_return_if_fail (BOUGH_IS_WINDOW (self));
  g_return_if_fail (client == NULL || BOUGH_IS_CLIENT (client));

  if (self->client == client)
    return;

  hide_banner (self);
  bough_window_set_branch (self, NULL);
  bough_window_set_at (self, NULL);
  g_set_object (&self->client, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.disconnect", client != NULL);

  if (client != NULL)
    {
      adw_window_title_set_subtitle (self->sidebar_title, bough_client_get_base_url (client));
      g_settings_set_string (self->settings, "server-url", bough_client_get_base_url (client));
      gtk_stack_set_visible_child_name (self->main_stack, "main");
      if (gtk_stack_get_visible_child (self->pages_stack) == NULL ||
          gtk_stack_get_visible_child_name (self->pages_stack) == NULL)
        gtk_stack_set_visible_child_name (self->pages_stack, "schema");
    }
  else
    {
      adw_window_title_set_subtitle (self->sidebar_title, NULL);
      gtk_stack_set_visible_child_name (self->main_stack, "connect");
      bough_connect_page_reset (self->connect_page);
    }
}

typedef struct
{
  BoughWindow *self;
  BoughClient *client;
  char        *method;
  char        *username;
} OpenServer;

static void
open_server_free (OpenServer *open)
{
  g_object_unref (open->self);
  g_object_unref (open->client);
  g_free (open->method);
  g_free (open->username);
  g_free (open);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenServer, open_server_free)

/* The saved credentials did not work: the connect page, filled in. */
static void
open_server_failed (OpenServer   *open,
                    const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  bough_window_set_client (open->self, NULL);
  bough_connect_page_fill (open->self->connect_page, bough_client_get_base_url (open->client),
                           open->username, NULL, NULL);
  bough_window_report_error (open->self, error);
}

static void
open_server_logged_in_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(OpenServer) open = user_data;
  g_autoptr(GError) error = NULL;

  if (!bough_client_login_finish (BOUGH_CLIENT (source), result, &error))
    open_server_failed (open, error);
  else
    bough_window_set_client (open->self, open->client);
}

static void
open_server_secret_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(OpenServer) open = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = bough_secret_lookup_finish (result, &error);

  if (secret == NULL)
    {
      /* Nothing kept (or no keyring): try without credentials. */
      g_debug ("no saved secret for %s: %s", bough_client_get_base_url (open->client),
               error ? error->message : "none");
      bough_window_set_client (open->self, open->client);
      return;
    }
  if (g_str_equal (open->method, "token"))
    {
      bough_client_set_token (open->client, secret);
      bough_window_set_client (open->self, open->client);
      return;
    }
  bough_client_login_async (open->client, open->username, secret, NULL, open_server_logged_in_cb,
                            g_steal_pointer (&open));
}

/**
 * bough_window_open_server:
 * @self: a #BoughWindow
 * @url: the server's address
 * @token: (nullable): an API token
 *
 * Connects straight to @url (as `bough --server URL` does), skipping the
 * connect page. Without @token, the credentials saved for @url (a token,
 * or a password to sign in with) are used if the keyring has them.
 * Refused credentials show up as the first request's error.
 */
void
bough_window_open_server (BoughWindow *self,
                          const char  *url,
                          const char  *token)
{
  g_autoptr(BoughClient) client = NULL;
  g_autoptr(GVariant) servers = NULL;
  GVariantIter iter;
  const char *saved_url;
  const char *method;
  const char *username;

  g_return_if_fail (BOUGH_IS_WINDOW (self));
  g_return_if_fail (url != NULL);

  client = bough_client_new (url);
  if (token != NULL && token[0] != '\0')
    {
      bough_client_set_token (client, token);
      bough_window_set_client (self, client);
      return;
    }

  servers = g_settings_get_value (self->settings, "servers");
  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &saved_url, &method, &username))
    if (g_str_equal (saved_url, bough_client_get_base_url (client)))
      {
        OpenServer *open = g_new0 (OpenServer, 1);

        open->self = g_object_ref (self);
        open->client = g_object_ref (client);
        open->method = g_strdup (method);
        open->username = g_strdup (username);
        bough_secret_lookup_async (saved_url, method, username, NULL, open_server_secret_cb, open);
        return;
      }
  bough_window_set_client (self, client);
}

/**
 * bough_window_get_branch:
 * @self: a #BoughWindow
 *
 * Returns: (nullable): the branch the window shows, %NULL for the default one
 */
const char *
bough_window_get_branch (BoughWindow *self)
{
  g_return_val_if_fail (BOUGH_IS_WINDOW (self), NULL);

  return self->branch;
}

void
bough_window_set_branch (BoughWindow *self,
                         const char  *branch)
{
  g_return_if_fail (BOUGH_IS_WINDOW (self));

  if (branch != NULL && branch[0] == '\0')
    branch = NULL;
  if (g_strcmp0 (self->branch, branch) == 0)
    return;
  g_free (self->branch);
  self->branch = g_strdup (branch);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRANCH]);
}

/**
 * bough_window_get_at:
 * @self: a #BoughWindow
 *
 * Returns: (nullable): the time the window shows the data at, %NULL for now
 */
const char *
bough_window_get_at (BoughWindow *self)
{
  g_return_val_if_fail (BOUGH_IS_WINDOW (self), NULL);

  return self->at;
}

void
bough_window_set_at (BoughWindow *self,
                     const char  *at)
{
  g_return_if_fail (BOUGH_IS_WINDOW (self));

  if (at != NULL && at[0] == '\0')
    at = NULL;
  if (g_strcmp0 (self->at, at) == 0)
    return;
  g_free (self->at);
  self->at = g_strdup (at);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT]);
  update_time_banner (self);
}

/**
 * bough_window_add_page:
 * @self: a #BoughWindow
 * @name: the page's name, used by bough_window_navigate()
 * @page: the page
 * @in_sidebar: whether the sidebar lists it (with its title and icon)
 *
 * Adds @page to the content stack; it gets the window's client, branch and
 * time from now on.
 */
void
bough_window_add_page (BoughWindow *self,
                       const char  *name,
                       BoughPage   *page,
                       gboolean     in_sidebar)
{
  g_return_if_fail (BOUGH_IS_WINDOW (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (BOUGH_IS_PAGE (page));
  g_return_if_fail (!g_hash_table_contains (self->pages, name));

  gtk_stack_add_named (self->pages_stack, GTK_WIDGET (page), name);
  g_hash_table_insert (self->pages, g_strdup (name), page);
  g_object_bind_property (self, "client", page, "client", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "branch", page, "branch", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "at", page, "at", G_BINDING_SYNC_CREATE);
  if (in_sidebar)
    bough_sidebar_add_page (self->sidebar, name, page);
}

/**
 * bough_window_get_page:
 * @self: a #BoughWindow
 * @name: a page name
 *
 * Returns: (transfer none) (nullable): the page called @name
 */
BoughPage *
bough_window_get_page (BoughWindow *self,
                       const char  *name)
{
  g_return_val_if_fail (BOUGH_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->pages, name);
}

/**
 * bough_window_navigate:
 * @self: a #BoughWindow
 * @page_name: a page added with bough_window_add_page()
 * @argument: (nullable): what the page should show (a kind, an id, ...)
 *
 * Shows the page, after passing it @argument (BoughPageClass.navigate).
 * The `win.navigate` action (`(ss)`) does the same.
 */
void
bough_window_navigate (BoughWindow *self,
                       const char  *page_name,
                       const char  *argument)
{
  BoughPage *page;

  g_return_if_fail (BOUGH_IS_WINDOW (self));
  g_return_if_fail (page_name != NULL);

  page = g_hash_table_lookup (self->pages, page_name);
  if (page == NULL)
    {
      g_warning ("No page called “%s”", page_name);
      return;
    }
  if (argument != NULL)
    bough_page_navigate (page, argument);
  gtk_stack_set_visible_child (self->pages_stack, GTK_WIDGET (page));
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

/**
 * bough_window_set_kind_page:
 * @self: a #BoughWindow
 * @page_name: a page added with bough_window_add_page()
 *
 * Chooses the page `win.open-kind` (a kind chosen in the sidebar) goes to:
 * the schema browser until a page of objects takes it over.
 */
void
bough_window_set_kind_page (BoughWindow *self,
                            const char  *page_name)
{
  g_return_if_fail (BOUGH_IS_WINDOW (self));
  g_return_if_fail (page_name != NULL);

  g_free (self->kind_page);
  self->kind_page = g_strdup (page_name);
}

/**
 * bough_window_show_toast:
 * @self: a #BoughWindow
 * @message: the text
 *
 * Shows @message in a toast.
 */
void
bough_window_show_toast (BoughWindow *self,
                         const char  *message)
{
  AdwToast *toast;

  g_return_if_fail (BOUGH_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  self->toast_count++;
}

/**
 * bough_window_report_error:
 * @self: a #BoughWindow
 * @error: what failed
 *
 * Shows @error with what to do: an unreachable server or an ended session
 * also get a bar with a Retry or Sign In button. Cancellation is silent.
 */
void
bough_window_report_error (BoughWindow  *self,
                           const GError *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (BOUGH_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("error: %s", error->message);
  if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_NETWORK))
    {
      const char *url = self->client ? bough_client_get_base_url (self->client) : "?";
      g_autofree char *banner = g_strdup_printf (_("Cannot reach the server at %s. Check that it "
                                                   "is running and that this computer is online, "
                                                   "then retry."),
                                                 url);

      show_banner (self, banner, _("_Retry"), BANNER_RETRY);
      text = g_strdup (_("The server is not answering"));
    }
  else if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED))
    {
      show_banner (self, _("Your session has ended or the token is no longer valid. "
                           "Sign in again to continue."),
                   _("_Sign In…"), BANNER_SIGN_IN);
      text = g_strdup (_("Signed out by the server"));
    }
  else if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION))
    text = g_strdup_printf (_("Permission denied: %s. Ask an administrator for this permission."),
                            error->message);
  else
    text = g_strdup (error->message);
  bough_window_show_toast (self, text);
}

AdwStatusPage *
_bough_window_get_status_page (BoughWindow *self)
{
  g_return_val_if_fail (BOUGH_IS_WINDOW (self), NULL);

  return bough_connect_page_get_status_page (self->connect_page);
}

GtkEditable *
_bough_window_get_server_entry (BoughWindow *self)
{
  g_return_val_if_fail (BOUGH_IS_WINDOW (self), NULL);

  return bough_connect_page_get_url_editable (self->connect_page);
}

BoughConnectPage *
_bough_window_get_connect_page (BoughWindow *self)
{
  return self->connect_page;
}

GtkStack *
_bough_window_get_main_stack (BoughWindow *self)
{
  return self->main_stack;
}

GtkStack *
_bough_window_get_pages_stack (BoughWindow *self)
{
  return self->pages_stack;
}

AdwLeaflet *
_bough_window_get_leaflet (BoughWindow *self)
{
  return self->leaflet;
}

BoughSidebar *
_bough_window_get_sidebar (BoughWindow *self)
{
  return self->sidebar;
}

BoughBranchSelector *
_bough_window_get_branch_selector (BoughWindow *self)
{
  return self->branch_selector;
}

BoughTimeSelector *
_bough_window_get_time_selector (BoughWindow *self)
{
  return self->time_selector;
}

const char *
_bough_window_get_last_toast (BoughWindow *self)
{
  return self->last_toast;
}

guint
_bough_window_get_toast_count (BoughWindow *self)
{
  return self->toast_count;
}

const char *
_bough_window_get_banner_text (BoughWindow *self)
{
  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;
  return gtk_label_get_text (self->banner_label);
}
