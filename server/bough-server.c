/* bough-server.c: BoughServer, one running bough-server: it prepares the
 * data directory, opens (and on first start creates) the store, keeps the
 * deployment id, and serves the API through the HTTP front.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-server"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bough-error.h"

#include "api/bough-api.h"
#include "auth/bough-auth.h"
#include "auth/bough-permission.h"
#include "bough-server.h"
#include "tasks/bough-task-workflows.h"
#include "webhooks/bough-webhooks.h"

struct _BoughServer
{
  GObject          parent_instance;

  BoughConfig     *config;
  BoughStore      *store;
  SoupServer      *soup;
  BoughHttpRouter *router;
  BoughApi        *api;
  BoughAuth       *auth;
  BoughTaskQueue  *tasks;
  BoughWebhooks   *webhooks;
  char            *deployment_id;
  char            *uri;
};

G_DEFINE_FINAL_TYPE (BoughServer, bough_server, G_TYPE_OBJECT)

static void
bough_server_dispose (GObject *object)
{
  BoughServer *self = BOUGH_SERVER (object);

  bough_server_stop (self);

  G_OBJECT_CLASS (bough_server_parent_class)->dispose (object);
}

static void
bough_server_finalize (GObject *object)
{
  BoughServer *self = BOUGH_SERVER (object);

  g_clear_pointer (&self->config, bough_config_free);
  g_clear_pointer (&self->deployment_id, g_free);
  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (bough_server_parent_class)->finalize (object);
}

static void
bough_server_class_init (BoughServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bough_server_dispose;
  object_class->finalize = bough_server_finalize;
}

static void
bough_server_init (BoughServer *self)
{
}

/**
 * bough_server_new:
 * @config: (transfer full): the effective configuration
 *
 * Creates a server; nothing is opened before bough_server_start().
 *
 * Returns: (transfer full): a new #BoughServer
 */
BoughServer *
bough_server_new (BoughConfig *config)
{
  BoughServer *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (BOUGH_TYPE_SERVER, NULL);
  self->config = config;
  return self;
}

static gboolean
make_directory (const char  *path,
                GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "cannot create directory %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* The default roles and groups (reference §3.1), with the administrator
 * account, once it exists, in "Super Administrators". */
static gboolean
init_permissions (BoughStore  *store,
                  GError     **error)
{
  g_autoptr(BoughSchema) schema = bough_store_get_schema (store, NULL, 0, error);
  g_autoptr(BoughQuery) query = NULL;
  g_autoptr(BoughQueryResult) admins = NULL;
  g_autoptr(JsonNode) name = NULL;

  if (schema == NULL)
    return FALSE;
  if (bough_schema_lookup (schema, "CoreAccountRole") == NULL)
    return TRUE;
  query = bough_query_new ("CoreAccount");
  name = json_node_init_string (json_node_alloc (), BOUGH_AUTH_ADMIN_ACCOUNT);
  bough_query_add_filter (query, NULL, "name", BOUGH_FILTER_VALUE, name);
  query->limit = 1;
  admins = bough_store_query (store, query, error);
  if (admins == NULL)
    return FALSE;
  return bough_permissions_init_defaults (store, admins->nodes->len > 0
                                         ? ((BoughNode *) g_ptr_array_index (admins->nodes, 0))->id : NULL,
                                         error);
}

/**
 * bough_server_open_store:
 * @config: the configuration
 * @created: (out) (optional): set to whether the database was initialized now
 * @error: return location for a #GError
 *
 * Creates the data directory and the local object storage directory when
 * missing, opens the database and initializes it when it is not yet.
 *
 * Returns: (transfer full): the open store, or %NULL with @error set
 */
BoughStore *
bough_server_open_store (BoughConfig  *config,
                         gboolean     *created,
                         GError      **error)
{
  g_autoptr(BoughStore) store = NULL;
  g_autofree char *db_dir = NULL;
  const char *db_path;
  gboolean initialized_now = FALSE;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db_path = bough_config_get_database_path (config);
  db_dir = g_path_get_dirname (db_path);

  if (!make_directory (bough_config_get_data_dir (config), error) ||
      !make_directory (db_dir, error) ||
      !make_directory (bough_config_get_storage_path (config), error))
    return NULL;

  store = bough_store_open (db_path, error);
  if (store == NULL)
    {
      g_prefix_error (error, "cannot open the database %s: ", db_path);
      return NULL;
    }

  if (!bough_store_is_initialized (store))
    {
      if (!bough_store_initialize (store, error))
        {
          g_prefix_error (error, "cannot initialize the database %s: ", db_path);
          return NULL;
        }
      initialized_now = TRUE;
    }
  /* Every open, so that a database made before accounts gets its admin,
   * and a newly configured initial token is added. */
  {
    g_autofree char *generated = NULL;

    if (!bough_auth_bootstrap (store, config, &generated, error))
      {
        g_prefix_error (error, "cannot create the admin account: ");
        return NULL;
      }
    if (generated != NULL)
      g_printerr ("created the account %s with the generated password: %s\n"
               "(shown once; set initial.admin_password or BOUGH_INITIAL_ADMIN_PASSWORD to choose it)\n",
               BOUGH_AUTH_ADMIN_ACCOUNT, generated);
  }
  /* after the admin account exists, so that it joins its group */
  if (!init_permissions (store, error))
    {
      g_prefix_error (error, "cannot create the default roles and groups: ");
      return NULL;
    }

  if (created != NULL)
    *created = initialized_now;
  return g_steal_pointer (&store);
}

/**
 * bough_server_start_tasks:
 * @config: the configuration (keys of `[tasks]`)
 * @store: the open store
 * @error: return location for a #GError
 *
 * Starts the task queue of this process: `[tasks] concurrency` worker
 * threads (none when 0) and the heartbeats and reaping every process runs.
 *
 * Returns: (transfer full): the running queue, or %NULL with @error set
 */
BoughTaskQueue *
bough_server_start_tasks (BoughConfig  *config,
                          BoughStore   *store,
                          GError      **error)
{
  g_autoptr(BoughTaskQueue) queue = NULL;
  BoughTaskQueueOptions options;

  g_return_val_if_fail (config != NULL && store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bough_task_workflows_init ();
  bough_task_queue_options_from_config (&options, config);
  queue = bough_task_queue_new (store, &options);
  if (!bough_task_queue_start (queue, error))
    return NULL;
  return g_steal_pointer (&queue);
}

/**
 * bough_server_init_database:
 * @config: the configuration
 * @created: (out) (optional): set to whether the database was initialized now
 * @error: return location for a #GError
 *
 * Prepares the data directory as bough_server_start() would, without serving:
 * directories, database and deployment id. Running it again changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_server_init_database (BoughConfig  *config,
                            gboolean     *created,
                            GError      **error)
{
  g_autofree char *deployment_id = NULL;
  g_autoptr(BoughStore) store = NULL;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  store = bough_server_open_store (config, created, error);
  if (store == NULL)
    return FALSE;

  deployment_id = bough_server_ensure_deployment_id (bough_config_get_data_dir (config), error);
  return deployment_id != NULL;
}

/**
 * bough_server_ensure_deployment_id:
 * @data_dir: the data directory
 * @error: return location for a #GError
 *
 * Reads the deployment id kept in @data_dir, creating a random one the first
 * time, so that it stays the same across restarts of the same deployment.
 *
 * Returns: (transfer full): the deployment id (a UUID), or %NULL with @error set
 */
char *
bough_server_ensure_deployment_id (const char  *data_dir,
                                   GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_build_filename (data_dir, "deployment-id", NULL);

  if (g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_strstrip (contents);
      if (!g_uuid_string_is_valid (contents))
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                       "%s does not hold a deployment id (a UUID)", path);
          return NULL;
        }
      return g_steal_pointer (&contents);
    }

  if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "cannot read the deployment id: %s", local_error->message);
      return NULL;
    }
  g_clear_error (&local_error);

  contents = g_uuid_string_random ();
  {
    g_autofree char *line = g_strconcat (contents, "\n", NULL);

    if (!g_file_set_contents_full (path, line, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, &local_error))
      {
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                     "cannot write the deployment id: %s", local_error->message);
        return NULL;
      }
  }

  return g_steal_pointer (&contents);
}

static GSocketAddress *
resolve_listen_address (const char  *host,
                        guint16      port,
                        GError     **error)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  if (address == NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      GList *addresses = g_resolver_lookup_by_name (resolver, host, NULL, error);

      if (addresses == NULL)
        return NULL;
      address = g_object_ref (addresses->data);
      g_resolver_free_addresses (addresses);
    }

  return g_inet_socket_address_new (address, port);
}

/**
 * bough_server_start:
 * @self: a #BoughServer
 * @error: return location for a #GError
 *
 * Opens the store (creating the database on first start), then listens on the
 * configured address. Requests are served by the thread-default main context.
 *
 * Returns: %TRUE once the server accepts requests
 */
gboolean
bough_server_start (BoughServer  *self,
                    GError      **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *host;
  guint16 port;
  gboolean created = FALSE;

  g_return_val_if_fail (BOUGH_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  self->store = bough_server_open_store (self->config, &created, error);
  if (self->store == NULL)
    return FALSE;
  if (created)
    g_message ("created the database %s", bough_config_get_database_path (self->config));

  g_clear_pointer (&self->deployment_id, g_free);
  self->deployment_id = bough_server_ensure_deployment_id (bough_config_get_data_dir (self->config),
                                                           error);
  if (self->deployment_id == NULL)
    goto failed;

  self->soup = soup_server_new ("server-header", "bough/" PACKAGE_VERSION " ", NULL);
  self->router = bough_http_router_new (self->soup);
  bough_http_router_set_max_body_size (self->router,
                                       bough_config_get_int (self->config, "web", "max_body_size"));
  bough_http_router_set_concurrency (self->router,
                                     bough_config_get_int (self->config, "web", "concurrency"));
  bough_http_router_set_connection_limits (self->router,
                                           bough_config_get_int (self->config, "web", "max_connections"),
                                           bough_config_get_int (self->config, "web", "max_header_size"),
                                           bough_config_get_int (self->config, "web", "header_timeout"),
                                           bough_config_get_int (self->config, "web", "body_timeout"),
                                           bough_config_get_int (self->config, "web", "idle_timeout"));
  self->auth = bough_auth_new (self->store, self->config, error);
  if (self->auth == NULL)
    goto failed;
  self->tasks = bough_server_start_tasks (self->config, self->store, error);
  if (self->tasks == NULL)
    goto failed;
  self->webhooks = bough_webhooks_start (self->config, self->store, self->tasks, error);
  if (self->webhooks == NULL)
    goto failed;
  self->api = bough_api_new (self->store, self->config, self->deployment_id);
  bough_api_set_auth (self->api, self->auth);
  bough_api_set_task_queue (self->api, self->tasks);
  bough_api_register (self->api, self->router);

  host = bough_config_get_listen_host (self->config);
  port = bough_config_get_listen_port (self->config);
  address = resolve_listen_address (host, port, &local_error);
  if (address == NULL ||
      !bough_http_router_listen (self->router, address, &port, &local_error))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED,
                   "cannot listen on %s: %s",
                   bough_config_get_string (self->config, "main", "listen"),
                   local_error->message);
      goto failed;
    }

  g_clear_pointer (&self->uri, g_free);
  if (strchr (host, ':') != NULL)
    self->uri = g_strdup_printf ("http://[%s]:%u", host, port);
  else
    self->uri = g_strdup_printf ("http://%s:%u", host, port);

  return TRUE;

failed:
  bough_server_stop (self);
  return FALSE;
}

/**
 * bough_server_stop:
 * @self: a #BoughServer
 *
 * Finishes the requests in flight (iterating the thread-default main
 * context until their replies are written; new ones get 503), then stops
 * listening, drops open connections and closes the store. Safe to call more
 * than once.
 */
void
bough_server_stop (BoughServer *self)
{
  g_return_if_fail (BOUGH_IS_SERVER (self));

  if (self->api != NULL)
    bough_api_shutdown (self->api);
  if (self->router != NULL)
    bough_http_router_drain (self->router);
  g_clear_pointer (&self->router, bough_http_router_free);
  g_clear_pointer (&self->api, bough_api_free);
  /* before the queue: it submits deliveries to it */
  g_clear_pointer (&self->webhooks, bough_webhooks_stop);
  /* after the requests: none waits for a task any more */
  if (self->tasks != NULL)
    bough_task_queue_stop (self->tasks);
  g_clear_pointer (&self->tasks, bough_task_queue_unref);
  g_clear_pointer (&self->auth, bough_auth_free);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->store, bough_store_unref);
}

BoughConfig *
bough_server_get_config (BoughServer *self)
{
  g_return_val_if_fail (BOUGH_IS_SERVER (self), NULL);

  return self->config;
}

/**
 * bough_server_get_store:
 * @self: a #BoughServer
 *
 * Returns: (nullable) (transfer none): the store while the server runs
 */
BoughStore *
bough_server_get_store (BoughServer *self)
{
  g_return_val_if_fail (BOUGH_IS_SERVER (self), NULL);

  return self->store;
}

/**
 * bough_server_get_router:
 * @self: a #BoughServer
 *
 * Returns: (nullable) (transfer none): the router while the server runs, for
 *   the API subsystems to add their routes
 */
BoughHttpRouter *
bough_server_get_router (BoughServer *self)
{
  g_return_val_if_fail (BOUGH_IS_SERVER (self), NULL);

  return self->router;
}

const char *
bough_server_get_deployment_id (BoughServer *self)
{
  g_return_val_if_fail (BOUGH_IS_SERVER (self), NULL);

  return self->deployment_id;
}

/**
 * bough_server_get_uri:
 * @self: a #BoughServer
 *
 * Returns: (nullable): `http://HOST:PORT` with the real port, once started
 */
const char *
bough_server_get_uri (BoughServer *self)
{
  g_return_val_if_fail (BOUGH_IS_SERVER (self), NULL);

  return self->uri;
}
