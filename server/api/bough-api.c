/* bough-api.c: the REST API's shared parts (branch and schema lookup for a
 * request) and its small endpoints: /api/info, /api/config, /api/menu.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-api"

#include "config.h"

#include <string.h>

#include "bough-api-private.h"

/**
 * bough_api_new:
 * @store: the open store
 * @config: the configuration, which must outlive the API
 * @deployment_id: the deployment id
 *
 * Returns: (transfer full): the REST API of a server
 */
BoughApi *
bough_api_new (BoughStore  *store,
               BoughConfig *config,
               const char  *deployment_id)
{
  BoughApi *self;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (deployment_id != NULL, NULL);

  self = g_new0 (BoughApi, 1);
  self->store = bough_store_ref (store);
  self->config = config;
  self->deployment_id = g_strdup (deployment_id);
  self->graphql = bough_graphql_api_new (store);
  bough_graphql_api_set_limits (self->graphql,
                                bough_config_get_int (config, "web", "max_page_size"),
                                bough_config_get_int (config, "web", "max_query_depth"),
                                bough_config_get_int (config, "web", "max_query_size"));
  bough_graphql_api_set_cost_limits (self->graphql,
                                     bough_config_get_int (config, "web", "default_page_size"),
                                     bough_config_get_int (config, "web", "max_query_cost"));
  g_mutex_init (&self->schema_lock);
  self->ws = _bough_api_ws_new (self);
  {
    g_autoptr(GError) error = NULL;

    self->storage = bough_storage_new_from_config (config, &error);
    if (self->storage == NULL)
      g_warning ("The object storage is unavailable: %s", error->message);
  }
  return self;
}

/**
 * bough_api_free:
 * @self: (nullable): an API
 *
 * Frees the API; the router must not run its work any more
 * (see bough_http_router_drain()).
 */
void
bough_api_free (BoughApi *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->ws, _bough_api_ws_free);
  g_clear_pointer (&self->graphql, bough_graphql_api_unref);
  g_clear_pointer (&self->storage, bough_storage_unref);
  g_clear_pointer (&self->store, bough_store_unref);
  g_free (self->deployment_id);
  g_mutex_clear (&self->schema_lock);
  g_free (self);
}

/* Returns the branch the request names (the default branch when none), or
 * NULL after replying 400 when it does not exist. */
const char *
_bough_api_get_branch (BoughApi         *self,
                       BoughHttpRequest *request)
{
  const char *branch = bough_http_request_get_query (request, "branch");

  if (branch == NULL || branch[0] == '\0')
    branch = BOUGH_DEFAULT_BRANCH;
  if (!bough_store_branch_exists (self->store, branch))
    {
      bough_http_request_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                                      "Branch: %s not found", branch);
      return NULL;
    }
  return branch;
}

/* What the caller of @request may do: its identity's permissions, the
 * server's own when no authentication runs (the API's caller chose that),
 * nothing when they cannot be read. */
BoughPermissions *
_bough_api_request_permissions (BoughApi         *self,
                                BoughHttpRequest *request)
{
  g_autoptr(GError) error = NULL;
  BoughIdentity *identity = bough_auth_get_request_identity (request);
  BoughPermissions *permissions;

  if (identity == NULL)
    return bough_permissions_new_super_admin ();
  permissions = bough_permissions_for_identity (self->store, identity, &error);
  if (permissions == NULL)
    {
      g_warning ("Cannot read the permissions of a request: %s", error->message);
      return bough_permissions_new ();
    }
  return permissions;
}

/* Refuses @request (403, the API's error shape) unless its caller holds the
 * global permission @action on @branch; returns whether it may go on. */
gboolean
_bough_api_require_global (BoughApi         *self,
                           BoughHttpRequest *request,
                           const char       *branch,
                           const char       *action)
{
  g_autoptr(BoughPermissions) permissions = _bough_api_request_permissions (self, request);
  gboolean is_default = g_str_equal (branch, BOUGH_DEFAULT_BRANCH);

  bough_store_get_branch_info (self->store, branch, NULL, &is_default, NULL);
  if (bough_permissions_allows_global (permissions, action, is_default))
    return TRUE;
  bough_http_request_reply_error (request, SOUP_STATUS_FORBIDDEN,
                                  "You do not have the permission global:%s:%s", action,
                                  is_default ? "allow_default" : "allow_other");
  return FALSE;
}

/* Returns the schema of @branch, as of the request's `at` when @with_at
 * (else now), or NULL after replying 400 (bad `at`) or 500. */
BoughSchema *
_bough_api_get_schema (BoughApi         *self,
                       BoughHttpRequest *request,
                       const char       *branch,
                       gboolean          with_at)
{
  g_autoptr(GError) error = NULL;
  const char *at_text = with_at ? bough_http_request_get_query (request, "at") : NULL;
  gint64 at = 0;
  BoughSchema *schema;

  if (at_text != NULL && at_text[0] != '\0')
    {
      at = bough_store_stamp_from_iso8601 (at_text, &error);
      if (at == 0)
        {
          bough_http_request_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                                          "invalid 'at' time: %s", error->message);
          return NULL;
        }
    }

  schema = bough_store_get_schema (self->store, branch, at, &error);
  if (schema == NULL)
    bough_http_request_reply_error (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                    "cannot read the schema of branch %s: %s", branch,
                                    error->message);
  return schema;
}

/* Namespaces users may not define (reference §1.2), Builtin included. */
gboolean
_bough_api_namespace_is_restricted (const char *ns)
{
  static const char * const restricted[] = {
    "Account", "Branch", "Builtin", "Core", "Deprecated", "Diff", "Infrahub", "Internal",
    "Lineage", "Schema", "Profile", "Template",
  };

  for (guint i = 0; i < G_N_ELEMENTS (restricted); i++)
    if (g_strcmp0 (ns, restricted[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
reply_object (BoughHttpRequest *request,
              guint             status,
              JsonObject       *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  bough_http_request_reply_json (request, status, node);
}

static void
info_work (BoughHttpRequest *request,
           gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(JsonObject) root = json_object_new ();

  json_object_set_string_member (root, "deployment_id", self->deployment_id);
  json_object_set_string_member (root, "version", PACKAGE_VERSION);
  reply_object (request, SOUP_STATUS_OK, root);
}

/* The public part of the configuration, in the shape the Infrahub UI and
 * clients read; nothing secret goes here. */
static void
config_work (BoughHttpRequest *request,
             gpointer          user_data)
{
  BoughApi *api = user_data;
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *main_ = json_object_new ();
  JsonObject *logging = json_object_new ();
  JsonObject *remote = json_object_new ();
  JsonObject *analytics = json_object_new ();
  JsonObject *experimental = json_object_new ();
  JsonObject *sso = json_object_new ();

  json_object_set_string_member (main_, "default_branch", BOUGH_DEFAULT_BRANCH);
  json_object_set_boolean_member (main_, "allow_anonymous_access",
                                  api->auth == NULL || bough_auth_get_allow_anonymous (api->auth));
  json_object_set_boolean_member (main_, "telemetry_optout", TRUE);
  json_object_set_null_member (main_, "telemetry_endpoint");
  json_object_set_null_member (main_, "public_url");
  json_object_set_object_member (root, "main", main_);

  json_object_set_boolean_member (remote, "enable", FALSE);
  json_object_set_null_member (remote, "frontend_dsn");
  json_object_set_null_member (remote, "api_server_dsn");
  json_object_set_null_member (remote, "git_agent_dsn");
  json_object_set_object_member (logging, "remote", remote);
  json_object_set_object_member (root, "logging", logging);

  json_object_set_boolean_member (analytics, "enable", FALSE);
  json_object_set_null_member (analytics, "address");
  json_object_set_null_member (analytics, "api_key");
  json_object_set_object_member (root, "analytics", analytics);

  json_object_set_boolean_member (experimental, "graphql_enums", FALSE);
  json_object_set_object_member (root, "experimental_features", experimental);

  json_object_set_array_member (sso, "providers", json_array_new ());
  json_object_set_boolean_member (sso, "enabled", FALSE);
  json_object_set_object_member (root, "sso", sso);

  reply_object (request, SOUP_STATUS_OK, root);
}

typedef struct
{
  BoughNodeSchema *node;
  JsonObject      *item;      /* owned until attached */
  GPtrArray       *children;  /* of MenuEntry* */
  gboolean         attached;
} MenuEntry;

static void
menu_entry_free (MenuEntry *entry)
{
  if (entry->item != NULL)
    json_object_unref (entry->item);
  g_ptr_array_unref (entry->children);
  g_free (entry);
}

static int
compare_menu_entries (gconstpointer a,
                      gconstpointer b)
{
  const MenuEntry *ea = *(MenuEntry * const *) a;
  const MenuEntry *eb = *(MenuEntry * const *) b;
  const char *la = ea->node->label ? ea->node->label : ea->node->kind;
  const char *lb = eb->node->label ? eb->node->label : eb->node->kind;

  return g_utf8_collate (la, lb);
}

static JsonNode *
menu_entry_to_json (MenuEntry *entry,
                    guint      depth)
{
  JsonArray *children = json_array_new ();
  g_autoptr(JsonObject) item = g_steal_pointer (&entry->item);

  g_ptr_array_sort (entry->children, compare_menu_entries);
  for (guint i = 0; i < entry->children->len; i++)
    json_array_add_element (children,
                            menu_entry_to_json (g_ptr_array_index (entry->children, i), depth + 1));
  json_object_set_array_member (item, "children", children);
  return json_node_init_object (json_node_alloc (), item);
}

static MenuEntry *
menu_entry_new (BoughNodeSchema *node)
{
  MenuEntry *entry = g_new0 (MenuEntry, 1);
  JsonObject *item = json_object_new ();
  g_autofree char *path = g_strdup_printf ("/objects/%s", node->kind);

  entry->node = node;
  entry->children = g_ptr_array_new ();
  json_object_set_string_member (item, "identifier", node->kind);
  json_object_set_string_member (item, "namespace", node->namespace_);
  json_object_set_string_member (item, "name", node->name);
  json_object_set_string_member (item, "label", node->label ? node->label : node->name);
  json_object_set_string_member (item, "kind", node->kind);
  json_object_set_string_member (item, "path", path);
  if (node->icon != NULL)
    json_object_set_string_member (item, "icon", node->icon);
  else
    json_object_set_null_member (item, "icon");
  if (node->description != NULL)
    json_object_set_string_member (item, "description", node->description);
  else
    json_object_set_null_member (item, "description");
  json_object_set_string_member (item, "section",
                                 _bough_api_namespace_is_restricted (node->namespace_) ?
                                 "internal" : "object");
  entry->item = item;
  return entry;
}

/* Whether following menu_placement from @entry ends at a root: a cycle of
 * placements would otherwise hide every entry in it. */
static gboolean
placement_reaches_root (GHashTable *entries,
                        MenuEntry  *entry)
{
  guint steps = g_hash_table_size (entries) + 1;

  while (entry != NULL && entry->node->menu_placement != NULL && steps-- > 0)
    entry = g_hash_table_lookup (entries, entry->node->menu_placement);
  return steps > 0;
}

/* Whether the caller may view some node of @node (a node or a generic). */
static gboolean
menu_kind_visible (BoughSchema      *schema,
                   BoughPermissions *permissions,
                   BoughNodeSchema  *node,
                   gboolean          is_default)
{
  g_autoptr(GPtrArray) impl = NULL;

  if (bough_permissions_is_super_admin (permissions))
    return TRUE;
  impl = bough_schema_get_implementors (schema, node->kind);
  for (guint i = 0; i < impl->len; i++)
    {
      BoughNodeSchema *n = g_ptr_array_index (impl, i);

      if (bough_permissions_allows_object (permissions, n->namespace_, n->name, BOUGH_PERMISSION_VIEW,
                                           is_default))
        return TRUE;
    }
  return FALSE;
}

/* The menu tree from the schema: every node and generic with
 * include_in_menu, under the kind its menu_placement names, in two sections
 * (user objects, and the built-in ones). */
static void
menu_work (BoughHttpRequest *request,
           gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(BoughSchema) schema = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *sections = json_object_new ();
  JsonArray *object_section = json_array_new ();
  JsonArray *internal_section = json_array_new ();
  GPtrArray *lists[2];
  g_autoptr(BoughPermissions) permissions = NULL;
  gboolean is_default;
  const char *branch;

  json_object_set_object_member (root, "sections", sections);
  json_object_set_array_member (sections, "object", object_section);
  json_object_set_array_member (sections, "internal", internal_section);

  branch = _bough_api_get_branch (self, request);
  if (branch == NULL)
    return;
  schema = _bough_api_get_schema (self, request, branch, TRUE);
  if (schema == NULL)
    return;

  permissions = _bough_api_request_permissions (self, request);
  is_default = g_str_equal (branch, BOUGH_DEFAULT_BRANCH);
  bough_store_get_branch_info (self->store, branch, NULL, &is_default, NULL);
  entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                   (GDestroyNotify) menu_entry_free);
  roots = g_ptr_array_new ();
  lists[0] = bough_schema_get_generics (schema);
  lists[1] = bough_schema_get_nodes (schema);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        BoughNodeSchema *node = g_ptr_array_index (lists[l], i);

        /* no entry for objects the caller may not view */
        if (node->include_in_menu && !node->is_profile && !node->is_template &&
            menu_kind_visible (schema, permissions, node, is_default))
          g_hash_table_insert (entries, node->kind, menu_entry_new (node));
      }

  {
    GHashTableIter iter;
    MenuEntry *entry;

    g_hash_table_iter_init (&iter, entries);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
      {
        const char *placement = entry->node->menu_placement;
        MenuEntry *parent = placement ? g_hash_table_lookup (entries, placement) : NULL;

        if (parent != NULL && parent != entry && placement_reaches_root (entries, entry))
          g_ptr_array_add (parent->children, entry);
        else
          g_ptr_array_add (roots, entry);
      }
  }

  g_ptr_array_sort (roots, compare_menu_entries);
  for (guint i = 0; i < roots->len; i++)
    {
      MenuEntry *entry = g_ptr_array_index (roots, i);
      gboolean internal = _bough_api_namespace_is_restricted (entry->node->namespace_);

      json_array_add_element (internal ? internal_section : object_section,
                              menu_entry_to_json (entry, 0));
    }

  reply_object (request, SOUP_STATUS_OK, root);
}

/**
 * bough_api_set_auth:
 * @self: an API
 * @auth: (transfer none): the authenticator, which must outlive @self
 *
 * Makes every route but the public ones (login, refresh, info, config)
 * authenticate. Call before bough_api_register().
 */
void
bough_api_set_auth (BoughApi  *self,
                    BoughAuth *auth)
{
  g_return_if_fail (self != NULL);
  self->auth = auth;
}

/**
 * bough_api_set_task_queue:
 * @self: an API
 * @queue: (nullable): the task queue long operations are submitted to
 *
 * Without one, long operations run as tasks in the request's thread.
 */
void
bough_api_set_task_queue (BoughApi       *self,
                          BoughTaskQueue *queue)
{
  g_return_if_fail (self != NULL);
  bough_graphql_api_set_task_queue (self->graphql, queue);
}

/**
 * bough_api_register:
 * @self: an API
 * @router: the router to add the routes to
 *
 * Adds every REST route; their work runs on @router's worker pool.
 */
void
bough_api_register (BoughApi        *self,
                    BoughHttpRouter *router)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (router != NULL);

  if (self->auth != NULL)
    bough_auth_install (self->auth, router);
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/api/info", info_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/api/config", config_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_GET, "/api/menu", menu_work, self, NULL);
  _bough_api_schema_register (self, router);
  _bough_api_graphql_register (self, router);
  _bough_api_query_register (self, router);
  _bough_api_diff_register (self, router);
  _bough_api_storage_register (self, router);
  _bough_api_ws_register (self->ws, router);
}

/**
 * bough_api_get_storage:
 * @self: an API
 *
 * Returns: (transfer none) (nullable): the object storage of the server
 *   (`[storage]` of the configuration), %NULL when it could not be opened
 */
BoughStorage *
bough_api_get_storage (BoughApi *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->storage;
}

/**
 * bough_api_shutdown:
 * @self: an API
 *
 * Ends what the API keeps open beyond a request before the router drains:
 * websocket subscriptions finish their runs in flight, then their sockets
 * close with 1001. Iterates the thread-default main context meanwhile.
 */
void
bough_api_shutdown (BoughApi *self)
{
  g_return_if_fail (self != NULL);

  _bough_api_ws_shutdown (self->ws);
}
