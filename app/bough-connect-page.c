/* bough-connect-page.c: BoughConnectPage: the connect form (address, sign
 * in with a password or an API token), the saved servers (GSettings
 * "servers"; their secrets in the keyring), "Open local workspace", and the
 * check that the credentials work before the window shows the server.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <glib/gi18n.h>

#include "bough-connect-page.h"
#include "bough-error.h"
#include "bough-local-server.h"
#include "bough-secrets.h"

enum {
  METHOD_PASSWORD,
  METHOD_TOKEN,
};

struct _BoughConnectPage
{
  AdwBin                parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  BoughClient          *pending;        /* the client being checked */
  gboolean              pending_remember;
  gboolean              pending_local;

  AdwStatusPage        *status_page;
  AdwEntryRow          *url_row;
  AdwComboRow          *method_row;
  AdwEntryRow          *username_row;
  AdwPasswordEntryRow  *password_row;
  AdwPasswordEntryRow  *token_row;
  GtkSwitch            *remember_switch;
  GtkLabel             *error_label;
  GtkButton            *connect_button;
  GtkButton            *local_button;
  GtkSpinner           *spinner;
  AdwPreferencesGroup  *saved_group;
  GtkListBox           *saved_list;
};

G_DEFINE_FINAL_TYPE (BoughConnectPage, bough_connect_page, ADW_TYPE_BIN)

enum {
  SIGNAL_CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
method_name (guint method)
{
  return method == METHOD_TOKEN ? "token" : "password";
}

static void
set_busy (BoughConnectPage *self,
          gboolean          busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->local_button), !busy);
}

static void
show_error (BoughConnectPage *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
method_changed_cb (BoughConnectPage *self)
{
  gboolean token = adw_combo_row_get_selected (self->method_row) == METHOD_TOKEN;

  gtk_widget_set_visible (GTK_WIDGET (self->username_row), !token);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !token);
  gtk_widget_set_visible (GTK_WIDGET (self->token_row), token);
}

/* ---- saved servers ---- */

static void saved_delete_clicked_cb (GtkButton        *button,
                                     BoughConnectPage *self);

static void
rebuild_saved (BoughConnectPage *self)
{
  g_autoptr(GVariant) servers = g_settings_get_value (self->settings, "servers");
  GVariantIter iter;
  const char *url;
  const char *method;
  const char *username;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->saved_list))) != NULL)
    gtk_list_box_remove (self->saved_list, child);

  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &url, &method, &username))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *subtitle = NULL;

      if (g_str_equal (method, "token"))
        subtitle = g_strdup (_("API token"));
      else
        subtitle = g_strdup_printf (_("Signed in as %s"), username);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), url);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("network-server-symbolic"));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Forget This Server"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Forget This Server"), -1);
      g_signal_connect (remove, "clicked", G_CALLBACK (saved_delete_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "url", g_strdup (url), g_free);
      g_object_set_data_full (G_OBJECT (row), "method", g_strdup (method), g_free);
      g_object_set_data_full (G_OBJECT (row), "username", g_strdup (username), g_free);
      g_object_set_data (G_OBJECT (remove), "row", row);
      gtk_list_box_append (self->saved_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->saved_group),
                          gtk_widget_get_first_child (GTK_WIDGET (self->saved_list)) != NULL);
}

/* Puts @url first in "servers", once per way of signing in. */
static void
remember_server (BoughConnectPage *self,
                 const char       *url,
                 const char       *method,
                 const char       *username,
                 gboolean          keep)
{
  g_autoptr(GVariant) servers = g_settings_get_value (self->settings, "servers");
  GVariantBuilder builder;
  GVariantIter iter;
  const char *u;
  const char *m;
  const char *n;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  if (keep)
    g_variant_builder_add (&builder, "(sss)", url, method, username ? username : "");
  g_variant_iter_init (&iter, servers);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &u, &m, &n))
    if (!(g_str_equal (u, url) && g_str_equal (m, method) &&
          g_str_equal (n, username ? username : "")))
      g_variant_builder_add (&builder, "(sss)", u, m, n);
  g_settings_set_value (self->settings, "servers", g_variant_builder_end (&builder));
  rebuild_saved (self);
}

static void
secret_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!bough_secret_clear_finish (result, &error))
    g_message ("could not remove a secret from the keyring: %s", error->message);
}

static void
saved_delete_clicked_cb (GtkButton        *button,
                         BoughConnectPage *self)
{
  GObject *row = g_object_get_data (G_OBJECT (button), "row");
  g_autofree char *url = g_strdup (g_object_get_data (row, "url"));
  g_autofree char *method = g_strdup (g_object_get_data (row, "method"));
  g_autofree char *username = g_strdup (g_object_get_data (row, "username"));

  bough_secret_clear_async (url, method, username, NULL, secret_cleared_cb, NULL);
  remember_server (self, url, method, username, FALSE);
}

static void
saved_secret_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BoughConnectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = bough_secret_lookup_finish (result, &error);
  gboolean token = adw_combo_row_get_selected (self->method_row) == METHOD_TOKEN;

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (secret == NULL)
    {
      /* Nothing in the keyring: ask for it. */
      gtk_widget_grab_focus (GTK_WIDGET (token ? self->token_row : self->password_row));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (token ? self->token_row : self->password_row), secret);
  bough_connect_page_connect (self);
}

static void
saved_row_activated_cb (BoughConnectPage *self,
                        GtkListBoxRow    *row)
{
  const char *url = g_object_get_data (G_OBJECT (row), "url");
  const char *method = g_object_get_data (G_OBJECT (row), "method");
  const char *username = g_object_get_data (G_OBJECT (row), "username");

  adw_combo_row_set_selected (self->method_row,
                              g_str_equal (method, "token") ? METHOD_TOKEN : METHOD_PASSWORD);
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  show_error (self, NULL);
  set_busy (self, TRUE);
  bough_secret_lookup_async (url, method, username, self->cancellable, saved_secret_cb,
                             g_object_ref (self));
}

/* ---- connecting ---- */

static char *
describe_error (const GError *error,
                gboolean      token)
{
  if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_NETWORK))
    return g_strdup_printf (_("Cannot reach the server. Check the address and that the server "
                              "is running. (%s)"),
                            error->message);
  if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_UNAUTHENTICATED))
    return g_strdup (token ? _("The server refused this API token.")
                           : _("The server refused this username and password."));
  if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION))
    return g_strdup_printf (_("This account may not use the server: %s"), error->message);
  return g_strdup (error->message);
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!bough_secret_store_finish (result, &error))
    g_message ("could not keep the secret in the keyring: %s", error->message);
}

static void
finish_connect (BoughConnectPage *self)
{
  g_autoptr(BoughClient) client = g_steal_pointer (&self->pending);

  set_busy (self, FALSE);
  if (self->pending_remember && !self->pending_local)
    {
      guint method = adw_combo_row_get_selected (self->method_row);
      const char *url = bough_client_get_base_url (client);
      const char *username = method == METHOD_TOKEN ? "" :
        gtk_editable_get_text (GTK_EDITABLE (self->username_row));
      GtkEditable *secret_row = method == METHOD_TOKEN ? GTK_EDITABLE (self->token_row)
                                                       : GTK_EDITABLE (self->password_row);
      const char *secret = gtk_editable_get_text (secret_row);

      remember_server (self, url, method_name (method), username, TRUE);
      bough_secret_store_async (url, method_name (method), username, secret, NULL,
                                secret_stored_cb, NULL);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  g_signal_emit (self, signals[SIGNAL_CONNECTED], 0, client);
}

static void
fail_connect (BoughConnectPage *self,
              const GError     *error)
{
  g_autofree char *text = NULL;

  set_busy (self, FALSE);
  g_clear_object (&self->pending);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = describe_error (error, adw_combo_row_get_selected (self->method_row) == METHOD_TOKEN);
  show_error (self, text);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BoughConnectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data =
    bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);

  if (data == NULL)
    fail_connect (self, error);
  else
    finish_connect (self);
}

/* Credentials are known good only once the server answered a query. */
static void
check_client (BoughConnectPage *self)
{
  bough_client_query_async (self->pending, NULL, NULL, "query { Branch { name } }", NULL,
                            self->cancellable, checked_cb, g_object_ref (self));
}

static void
logged_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BoughConnectPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bough_client_login_finish (BOUGH_CLIENT (source), result, &error))
    fail_connect (self, error);
  else
    finish_connect (self);
}

static void
connect_clicked_cb (BoughConnectPage *self)
{
  bough_connect_page_connect (self);
}

static void
local_started_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BoughConnectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BoughClient *client =
    bough_local_server_start_finish (BOUGH_LOCAL_SERVER (source), result, &error);

  if (client == NULL)
    {
      fail_connect (self, error);
      return;
    }
  g_set_object (&self->pending, client);
  g_object_unref (client);
  check_client (self);
}

static void
local_clicked_cb (BoughConnectPage *self)
{
  bough_connect_page_open_local (self);
}

/* ---- GObject ---- */

static void
bough_connect_page_unroot (GtkWidget *widget)
{
  /* A closed window connects to nothing. */
  bough_connect_page_reset (BOUGH_CONNECT_PAGE (widget));

  GTK_WIDGET_CLASS (bough_connect_page_parent_class)->unroot (widget);
}

static void
bough_connect_page_dispose (GObject *object)
{
  BoughConnectPage *self = BOUGH_CONNECT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_CONNECT_PAGE);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->pending);

  G_OBJECT_CLASS (bough_connect_page_parent_class)->dispose (object);
}

static void
bough_connect_page_class_init (BoughConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bough_connect_page_dispose;
  widget_class->unroot = bough_connect_page_unroot;

  /**
   * BoughConnectPage::connected:
   * @self: the page
   * @client: a client whose credentials the server accepted
   *
   * Emitted when the user connected to a server.
   */
  signals[SIGNAL_CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BOUGH_TYPE_CLIENT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bough/Bough/bough-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, method_row);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, local_button);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, saved_group);
  gtk_widget_class_bind_template_child (widget_class, BoughConnectPage, saved_list);
  gtk_widget_class_bind_template_callback (widget_class, method_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, local_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, saved_row_activated_cb);
}

static void
bough_connect_page_init (BoughConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BOUGH_APP_ID);
  g_settings_bind (self->settings, "server-url", self->url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (self->settings, "changed::servers", G_CALLBACK (rebuild_saved), self);
  rebuild_saved (self);
  method_changed_cb (self);
}

/**
 * bough_connect_page_set_url:
 * @self: a #BoughConnectPage
 * @url: a server address
 *
 * Puts @url in the form (after a sign out, for signing in again).
 */
void
bough_connect_page_set_url (BoughConnectPage *self,
                            const char       *url)
{
  g_return_if_fail (BOUGH_IS_CONNECT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url ? url : "");
}

/**
 * bough_connect_page_reset:
 * @self: a #BoughConnectPage
 *
 * Stops a connection under way and clears the error and the secrets.
 */
void
bough_connect_page_reset (BoughConnectPage *self)
{
  g_return_if_fail (BOUGH_IS_CONNECT_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->pending);
  set_busy (self, FALSE);
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
}

AdwStatusPage *
bough_connect_page_get_status_page (BoughConnectPage *self)
{
  g_return_val_if_fail (BOUGH_IS_CONNECT_PAGE (self), NULL);

  return self->status_page;
}

GtkEditable *
bough_connect_page_get_url_editable (BoughConnectPage *self)
{
  g_return_val_if_fail (BOUGH_IS_CONNECT_PAGE (self), NULL);

  return GTK_EDITABLE (self->url_row);
}

GtkListBox *
bough_connect_page_get_saved_list (BoughConnectPage *self)
{
  g_return_val_if_fail (BOUGH_IS_CONNECT_PAGE (self), NULL);

  return self->saved_list;
}

/**
 * bough_connect_page_fill:
 * @self: a #BoughConnectPage
 * @url: the server's address
 * @username: (nullable): an account, to sign in with a password
 * @password: (nullable): its password
 * @token: (nullable): an API token, to sign in with it instead
 *
 * Fills the form as a user would.
 */
void
bough_connect_page_fill (BoughConnectPage *self,
                         const char       *url,
                         const char       *username,
                         const char       *password,
                         const char       *token)
{
  g_return_if_fail (BOUGH_IS_CONNECT_PAGE (self));
  g_return_if_fail (url != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  adw_combo_row_set_selected (self->method_row, token ? METHOD_TOKEN : METHOD_PASSWORD);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username ? username : "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password ? password : "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), token ? token : "");
}

/**
 * bough_connect_page_connect:
 * @self: a #BoughConnectPage
 *
 * Connects with what the form holds, as the Connect button does.
 */
void
bough_connect_page_connect (BoughConnectPage *self)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  guint method;

  g_return_if_fail (BOUGH_IS_CONNECT_PAGE (self));

  if (self->pending != NULL)
    return;
  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      show_error (self, _("Enter the server’s address, such as http://127.0.0.1:8000."));
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }

  show_error (self, NULL);
  set_busy (self, TRUE);
  self->pending = bough_client_new (url);
  self->pending_remember = gtk_switch_get_active (self->remember_switch);
  self->pending_local = FALSE;
  method = adw_combo_row_get_selected (self->method_row);
  if (method == METHOD_TOKEN)
    {
      bough_client_set_token (self->pending,
                              gtk_editable_get_text (GTK_EDITABLE (self->token_row)));
      check_client (self);
    }
  else
    bough_client_login_async (self->pending,
                              gtk_editable_get_text (GTK_EDITABLE (self->username_row)),
                              gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                              self->cancellable, logged_in_cb, g_object_ref (self));
}

/**
 * bough_connect_page_open_local:
 * @self: a #BoughConnectPage
 *
 * Starts the local workspace's server and connects to it.
 */
void
bough_connect_page_open_local (BoughConnectPage *self)
{
  g_return_if_fail (BOUGH_IS_CONNECT_PAGE (self));

  if (self->pending != NULL)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  self->pending_local = TRUE;
  self->pending_remember = FALSE;
  /* A placeholder until the server is up: a second click waits for it. */
  self->pending = bough_client_new ("http://127.0.0.1");
  bough_local_server_start_async (bough_local_server_get_default (), NULL, self->cancellable,
                                  local_started_cb, g_object_ref (self));
}

/**
 * bough_connect_page_get_error:
 * @self: a #BoughConnectPage
 *
 * Returns: (nullable): the error the page shows, if any
 */
const char *
bough_connect_page_get_error (BoughConnectPage *self)
{
  g_return_val_if_fail (BOUGH_IS_CONNECT_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

/**
 * bough_connect_page_get_busy:
 * @self: a #BoughConnectPage
 *
 * Returns: whether a connection is under way
 */
gboolean
bough_connect_page_get_busy (BoughConnectPage *self)
{
  g_return_val_if_fail (BOUGH_IS_CONNECT_PAGE (self), FALSE);

  return self->pending != NULL;
}
