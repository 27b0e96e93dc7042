/* bough-page.c: BoughPage: the state every page shares (client, branch,
 * time, title, icon, loading), its reload when that state changes or the
 * page is shown, the cancellable of its requests, and its error reports.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include "bough-page-private.h"
#include "bough-window.h"

typedef struct
{
  BoughClient  *client;
  char         *branch;
  char         *at;
  char         *title;
  char         *subtitle;
  char         *icon_name;
  GCancellable *cancellable;
  guint         reload_source;
  gboolean      dirty;
  gboolean      loading;
} BoughPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (BoughPage, bough_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_BRANCH,
  PROP_AT,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_ICON_NAME,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
reload_cb (gpointer user_data)
{
  BoughPage *self = user_data;
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  priv->reload_source = 0;
  priv->dirty = FALSE;
  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  if (priv->client != NULL && BOUGH_PAGE_GET_CLASS (self)->reload != NULL)
    BOUGH_PAGE_GET_CLASS (self)->reload (self, priv->cancellable);
  return G_SOURCE_REMOVE;
}

/**
 * bough_page_queue_reload:
 * @self: a #BoughPage
 *
 * Asks for BoughPageClass.reload: now if the page is shown (from an idle,
 * so that several changes make one reload), else when it is next shown.
 */
void
bough_page_queue_reload (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));

  priv->dirty = TRUE;
  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && priv->reload_source == 0)
    priv->reload_source = g_idle_add (reload_cb, self);
}

static void
bough_page_map (GtkWidget *widget)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (BOUGH_PAGE (widget));

  GTK_WIDGET_CLASS (bough_page_parent_class)->map (widget);
  if (priv->dirty && priv->reload_source == 0)
    priv->reload_source = g_idle_add (reload_cb, widget);
}

static void
bough_page_unmap (GtkWidget *widget)
{
  BoughPage *self = BOUGH_PAGE (widget);
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  /* Work for a page nobody sees stops; it starts again when shown. */
  if (priv->loading && priv->cancellable != NULL)
    {
      g_cancellable_cancel (priv->cancellable);
      priv->dirty = TRUE;
      bough_page_set_loading (self, FALSE);
    }
  g_clear_handle_id (&priv->reload_source, g_source_remove);
  GTK_WIDGET_CLASS (bough_page_parent_class)->unmap (widget);
}

static void
bough_page_dispose (GObject *object)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (BOUGH_PAGE (object));

  g_clear_handle_id (&priv->reload_source, g_source_remove);
  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->client);

  G_OBJECT_CLASS (bough_page_parent_class)->dispose (object);
}

static void
bough_page_finalize (GObject *object)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (BOUGH_PAGE (object));

  g_free (priv->branch);
  g_free (priv->at);
  g_free (priv->title);
  g_free (priv->subtitle);
  g_free (priv->icon_name);

  G_OBJECT_CLASS (bough_page_parent_class)->finalize (object);
}

static void
bough_page_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BoughPage *self = BOUGH_PAGE (object);
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, priv->client);
      break;
    case PROP_BRANCH:
      g_value_set_string (value, priv->branch);
      break;
    case PROP_AT:
      g_value_set_string (value, priv->at);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, priv->subtitle);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, priv->icon_name);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, priv->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_page_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  BoughPage *self = BOUGH_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bough_page_set_client (self, g_value_get_object (value));
      break;
    case PROP_BRANCH:
      bough_page_set_branch (self, g_value_get_string (value));
      break;
    case PROP_AT:
      bough_page_set_at (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      bough_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_SUBTITLE:
      bough_page_set_subtitle (self, g_value_get_string (value));
      break;
    case PROP_ICON_NAME:
      bough_page_set_icon_name (self, g_value_get_string (value));
      break;
    case PROP_LOADING:
      bough_page_set_loading (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_page_class_init (BoughPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bough_page_dispose;
  object_class->finalize = bough_page_finalize;
  object_class->get_property = bough_page_get_property;
  object_class->set_property = bough_page_set_property;
  widget_class->map = bough_page_map;
  widget_class->unmap = bough_page_unmap;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BOUGH_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BRANCH] =
    g_param_spec_string ("branch", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AT] =
    g_param_spec_string ("at", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bough_page_init (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  priv->dirty = TRUE;
}

BoughClient *
bough_page_get_client (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_val_if_fail (BOUGH_IS_PAGE (self), NULL);

  return priv->client;
}

void
bough_page_set_client (BoughPage   *self,
                       BoughClient *client)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));
  g_return_if_fail (client == NULL || BOUGH_IS_CLIENT (client));

  if (g_set_object (&priv->client, client))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
      bough_page_queue_reload (self);
    }
}

const char *
bough_page_get_branch (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_val_if_fail (BOUGH_IS_PAGE (self), NULL);

  return priv->branch;
}

void
bough_page_set_branch (BoughPage  *self,
                       const char *branch)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));

  if (g_strcmp0 (priv->branch, branch) == 0)
    return;
  g_free (priv->branch);
  priv->branch = g_strdup (branch);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRANCH]);
  bough_page_queue_reload (self);
}

/**
 * bough_page_get_at:
 * @self: a #BoughPage
 *
 * Returns: (nullable): the time the window shows the data at, %NULL for now
 */
const char *
bough_page_get_at (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_val_if_fail (BOUGH_IS_PAGE (self), NULL);

  return priv->at;
}

void
bough_page_set_at (BoughPage  *self,
                   const char *at)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));

  if (at != NULL && at[0] == '\0')
    at = NULL;
  if (g_strcmp0 (priv->at, at) == 0)
    return;
  g_free (priv->at);
  priv->at = g_strdup (at);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT]);
  bough_page_queue_reload (self);
}

const char *
bough_page_get_title (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_val_if_fail (BOUGH_IS_PAGE (self), NULL);

  return priv->title;
}

void
bough_page_set_title (BoughPage  *self,
                      const char *title)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));

  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

/**
 * bough_page_get_subtitle:
 * @self: a #BoughPage
 *
 * Returns: (nullable): what the page shows now (a kind, an object), shown
 *   under its title in the header bar
 */
const char *
bough_page_get_subtitle (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_val_if_fail (BOUGH_IS_PAGE (self), NULL);

  return priv->subtitle;
}

void
bough_page_set_subtitle (BoughPage  *self,
                         const char *subtitle)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));

  if (g_strcmp0 (priv->subtitle, subtitle) == 0)
    return;
  g_free (priv->subtitle);
  priv->subtitle = g_strdup (subtitle);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

const char *
bough_page_get_icon_name (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_val_if_fail (BOUGH_IS_PAGE (self), NULL);

  return priv->icon_name;
}

void
bough_page_set_icon_name (BoughPage  *self,
                          const char *icon_name)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));

  if (g_strcmp0 (priv->icon_name, icon_name) == 0)
    return;
  g_free (priv->icon_name);
  priv->icon_name = g_strdup (icon_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

gboolean
bough_page_get_loading (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_val_if_fail (BOUGH_IS_PAGE (self), FALSE);

  return priv->loading;
}

/**
 * bough_page_set_loading:
 * @self: a #BoughPage
 * @loading: whether the page waits for the server
 *
 * Pages set this around their requests: the window shows it, and a page
 * hidden while loading cancels its requests and reloads when shown again.
 */
void
bough_page_set_loading (BoughPage *self,
                        gboolean   loading)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));

  loading = !!loading;
  if (priv->loading == loading)
    return;
  priv->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * bough_page_get_cancellable:
 * @self: a #BoughPage
 *
 * Returns: (transfer none) (nullable): the cancellable of the current reload
 */
GCancellable *
bough_page_get_cancellable (BoughPage *self)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_val_if_fail (BOUGH_IS_PAGE (self), NULL);

  return priv->cancellable;
}

void
bough_page_navigate (BoughPage  *self,
                     const char *argument)
{
  g_return_if_fail (BOUGH_IS_PAGE (self));

  if (BOUGH_PAGE_GET_CLASS (self)->navigate != NULL)
    BOUGH_PAGE_GET_CLASS (self)->navigate (self, argument);
}

/**
 * bough_page_report_error:
 * @self: a #BoughPage
 * @error: what failed
 *
 * Shows @error in the page's window (a toast, and for an unreachable server
 * or an expired session a bar saying what to do). Cancellation is silent.
 */
void
bough_page_report_error (BoughPage    *self,
                         const GError *error)
{
  GtkRoot *root;

  g_return_if_fail (BOUGH_IS_PAGE (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (BOUGH_IS_WINDOW (root))
    bough_window_report_error (BOUGH_WINDOW (root), error);
  else
    g_debug ("page outside a window: %s", error->message);
}

/**
 * bough_page_query_async:
 * @self: a #BoughPage
 * @query: a GraphQL document
 * @variables: (nullable): a JSON object node of variables
 * @callback: called with the reply; finish with bough_client_query_finish()
 *   on the source object (the page's client)
 * @user_data: data for @callback
 *
 * Runs @query with the page's client, on its branch and at its time, with
 * the cancellable of the current reload: what a page's reload does most.
 */
void
bough_page_query_async (BoughPage           *self,
                        const char          *query,
                        JsonNode            *variables,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  BoughPagePrivate *priv = bough_page_get_instance_private (self);

  g_return_if_fail (BOUGH_IS_PAGE (self));
  g_return_if_fail (priv->client != NULL);
  g_return_if_fail (query != NULL);

  bough_client_query_async (priv->client, priv->branch, priv->at, query, variables,
                            priv->cancellable, callback, user_data);
}
