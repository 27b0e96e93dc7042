/* bough-permission.c: authorization decisions (reference §3.1). An account's permissions are
 * those of the roles of its account groups; object permissions resolve most-specific-wins
 * with OR at equal specificity, an explicit global deny wins. Resolved sets are cached per
 * account and dropped when any account, group, role or permission changes.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-permission"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bough-error.h"
#include "bough-permission.h"

typedef struct
{
  char  *namespace_;
  char  *name;
  char  *action;                /* "any", "view", "create", "update", "delete" */
  guint  decision;
  guint  specificity;
} ObjectRule;

typedef struct
{
  char  *action;
  guint  decision;
} GlobalRule;

struct _BoughPermissions
{
  gint    ref_count;
  GArray *objects;              /* of ObjectRule */
  GArray *globals;              /* of GlobalRule */
  gboolean internal;            /* the server itself: everything */
};

static const char *action_names[] = { "view", "create", "update", "delete" };

/* The kinds whose changes can change what an account may do. */
static const char *watched_kinds[] = {
  "CoreAccount", "CoreAccountGroup", "CoreAccountRole", "CoreGlobalPermission", "CoreObjectPermission",
};

static void
object_rule_clear (gpointer data)
{
  ObjectRule *r = data;

  g_free (r->namespace_);
  g_free (r->name);
  g_free (r->action);
}

static void
global_rule_clear (gpointer data)
{
  g_free (((GlobalRule *) data)->action);
}

/**
 * bough_permissions_new:
 *
 * Returns: (transfer full): a set with no permission: everything refused
 */
BoughPermissions *
bough_permissions_new (void)
{
  BoughPermissions *self = g_new0 (BoughPermissions, 1);

  self->ref_count = 1;
  self->objects = g_array_new (FALSE, TRUE, sizeof (ObjectRule));
  g_array_set_clear_func (self->objects, object_rule_clear);
  self->globals = g_array_new (FALSE, TRUE, sizeof (GlobalRule));
  g_array_set_clear_func (self->globals, global_rule_clear);
  return self;
}

/**
 * bough_permissions_new_super_admin:
 *
 * Returns: (transfer full): the permissions of the server itself, which may
 *   do everything (internal calls, and requests before accounts exist)
 */
BoughPermissions *
bough_permissions_new_super_admin (void)
{
  BoughPermissions *self = bough_permissions_new ();

  self->internal = TRUE;
  return self;
}

BoughPermissions *
bough_permissions_ref (BoughPermissions *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
bough_permissions_unref (BoughPermissions *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_array_unref (self->objects);
  g_array_unref (self->globals);
  g_free (self);
}

static gboolean
is_wildcard (const char *s)
{
  return s == NULL || *s == '\0' || g_str_equal (s, "*");
}

/**
 * bough_permissions_add_object:
 * @self: a set being built (not yet shared between threads)
 * @namespace_: a namespace or `*`
 * @name: a kind name, `*`, or a pattern such as `*Generic`
 * @action: `any`, `view`, `create`, `update` or `delete`
 * @decision: decision bits (#BoughDecision)
 *
 * Adds an object permission.
 */
void
bough_permissions_add_object (BoughPermissions *self,
                              const char       *namespace_,
                              const char       *name,
                              const char       *action,
                              guint             decision)
{
  ObjectRule r;

  g_return_if_fail (self != NULL);

  r.namespace_ = g_strdup (is_wildcard (namespace_) ? "*" : namespace_);
  r.name = g_strdup (is_wildcard (name) ? "*" : name);
  r.action = g_strdup (action == NULL || *action == '\0' ? "any" : action);
  r.decision = decision & 7;
  /* reference §3.1: +1 per field that is not a wildcard, +1 for a decision
   * other than allow_all */
  r.specificity = (!g_str_equal (r.namespace_, "*")) + (!g_str_equal (r.name, "*")) +
                  (!g_str_equal (r.action, "any")) + (r.decision != BOUGH_DECISION_ALLOW_ALL);
  g_array_append_val (self->objects, r);
}

/**
 * bough_permissions_add_global:
 * @self: a set being built
 * @action: a global action such as `super_admin` or `manage_schema`
 * @decision: decision bits (#BoughDecision)
 *
 * Adds a global permission.
 */
void
bough_permissions_add_global (BoughPermissions *self,
                              const char       *action,
                              guint             decision)
{
  GlobalRule r;

  g_return_if_fail (self != NULL);
  g_return_if_fail (action != NULL);

  r.action = g_strdup (action);
  r.decision = decision & 7;
  g_array_append_val (self->globals, r);
}

static gboolean
parse_decision (const char *text,
                guint      *decision)
{
  static const struct { const char *name; guint bits; } names[] = {
    { "deny", BOUGH_DECISION_DENY }, { "allow_default", BOUGH_DECISION_ALLOW_DEFAULT },
    { "allow_other", BOUGH_DECISION_ALLOW_OTHER }, { "allow_all", BOUGH_DECISION_ALLOW_ALL },
    { "allow", BOUGH_DECISION_ALLOW_ALL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i].name))
      {
        *decision = names[i].bits;
        return TRUE;
      }
  return FALSE;
}

/**
 * bough_permissions_add:
 * @self: a set being built
 * @identifier: `global:<action>:<decision>` or
 *   `object:<namespace>:<name>:<action>:<decision>`
 * @error: return location for a #GError
 *
 * Adds a permission given by its identifier (reference §3.1).
 *
 * Returns: %TRUE, or %FALSE with @error set when @identifier is malformed
 */
gboolean
bough_permissions_add (BoughPermissions  *self,
                       const char        *identifier,
                       GError           **error)
{
  g_auto(GStrv) parts = NULL;
  guint n, decision;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (identifier != NULL, FALSE);

  parts = g_strsplit (identifier, ":", -1);
  n = g_strv_length (parts);
  if (n == 3 && g_str_equal (parts[0], "global") && parse_decision (parts[2], &decision))
    {
      bough_permissions_add_global (self, parts[1], decision);
      return TRUE;
    }
  if (n == 5 && g_str_equal (parts[0], "object") && parse_decision (parts[4], &decision) &&
      (g_str_equal (parts[3], "any") || g_strv_contains (action_names, parts[3])))
    {
      bough_permissions_add_object (self, parts[1], parts[2], parts[3], decision);
      return TRUE;
    }
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "Invalid permission identifier \"%s\"", identifier);
  return FALSE;
}

static gboolean
globally_denied (BoughPermissions *self,
                 const char       *action)
{
  for (guint i = 0; i < self->globals->len; i++)
    {
      GlobalRule *r = &g_array_index (self->globals, GlobalRule, i);

      if ((r->decision & BOUGH_DECISION_DENY) != 0 && g_str_equal (r->action, action))
        return TRUE;
    }
  return FALSE;
}

/**
 * bough_permissions_is_super_admin:
 * @self: a permission set
 *
 * Returns: whether @self holds `global:super_admin` (and no deny of it)
 */
gboolean
bough_permissions_is_super_admin (BoughPermissions *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->internal)
    return TRUE;
  if (globally_denied (self, "super_admin"))
    return FALSE;
  for (guint i = 0; i < self->globals->len; i++)
    {
      GlobalRule *r = &g_array_index (self->globals, GlobalRule, i);

      if ((r->decision & BOUGH_DECISION_ALLOW_ALL) != 0 && g_str_equal (r->action, "super_admin"))
        return TRUE;
    }
  return FALSE;
}

static gboolean
name_matches (const char *pattern,
              const char *name)
{
  if (g_str_equal (pattern, "*"))
    return TRUE;
  if (strchr (pattern, '*') != NULL || strchr (pattern, '?') != NULL)
    return g_pattern_match_simple (pattern, name);
  return g_str_equal (pattern, name);
}

/**
 * bough_permissions_object_bits:
 * @self: a permission set
 * @namespace_: the namespace of the kind
 * @name: the name of the kind (without its namespace)
 * @action: the action asked
 *
 * Resolves the object permissions that match: the most specific ones win,
 * OR-ed together when they are equally specific.
 *
 * Returns: the resolved decision bits, 0 when nothing matches
 */
guint
bough_permissions_object_bits (BoughPermissions      *self,
                               const char            *namespace_,
                               const char            *name,
                               BoughPermissionAction  action)
{
  const char *action_name;
  guint best = 0, bits = 0;
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (namespace_ != NULL && name != NULL, 0);
  g_return_val_if_fail (action <= BOUGH_PERMISSION_DELETE, 0);

  if (bough_permissions_is_super_admin (self))
    return BOUGH_DECISION_ALLOW_ALL;
  action_name = action_names[action];
  for (guint i = 0; i < self->objects->len; i++)
    {
      ObjectRule *r = &g_array_index (self->objects, ObjectRule, i);

      if (!g_str_equal (r->action, "any") && !g_str_equal (r->action, action_name))
        continue;
      if (!name_matches (r->namespace_, namespace_) || !name_matches (r->name, name))
        continue;
      if (!found || r->specificity > best)
        {
          best = r->specificity;
          bits = r->decision;
          found = TRUE;
        }
      else if (r->specificity == best)
        bits |= r->decision;
    }
  return bits;
}

/**
 * bough_permissions_allows_object:
 * @self: a permission set
 * @namespace_: the namespace of the kind
 * @name: the name of the kind
 * @action: the action asked
 * @default_branch: whether the action is on the default branch
 *
 * Returns: whether @action is allowed: the resolved bits hold
 *   allow_default on the default branch, allow_other on the others
 */
gboolean
bough_permissions_allows_object (BoughPermissions      *self,
                                 const char            *namespace_,
                                 const char            *name,
                                 BoughPermissionAction  action,
                                 gboolean               default_branch)
{
  guint required = default_branch ? BOUGH_DECISION_ALLOW_DEFAULT : BOUGH_DECISION_ALLOW_OTHER;

  g_return_val_if_fail (self != NULL, FALSE);

  return (bough_permissions_object_bits (self, namespace_, name, action) & required) == required;
}

/**
 * bough_permissions_allows_global:
 * @self: a permission set
 * @action: a global action such as `manage_schema`
 * @default_branch: whether the action is on the default branch
 *
 * An explicit deny of @action wins over everything, super_admin included.
 *
 * Returns: whether @action is allowed
 */
gboolean
bough_permissions_allows_global (BoughPermissions *self,
                                 const char       *action,
                                 gboolean          default_branch)
{
  guint required = default_branch ? BOUGH_DECISION_ALLOW_DEFAULT : BOUGH_DECISION_ALLOW_OTHER;
  guint bits = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (self->internal)
    return TRUE;
  if (globally_denied (self, action))
    return FALSE;
  if (bough_permissions_is_super_admin (self))
    return TRUE;
  for (guint i = 0; i < self->globals->len; i++)
    {
      GlobalRule *r = &g_array_index (self->globals, GlobalRule, i);

      if (g_str_equal (r->action, action))
        bits |= r->decision;
    }
  return (bits & required) == required;
}

const char *
bough_permission_action_to_string (BoughPermissionAction action)
{
  g_return_val_if_fail (action <= BOUGH_PERMISSION_DELETE, NULL);
  return action_names[action];
}

/* ---- resolution from the store ---- */

static const char *
node_string (BoughNode  *node,
             const char *attribute)
{
  const BoughAttributeValue *v = bough_node_get_attribute (node, attribute);

  return v != NULL && v->type == BOUGH_VALUE_STRING ? v->v.string : NULL;
}

static guint
node_decision (BoughNode *node)
{
  const BoughAttributeValue *v = bough_node_get_attribute (node, "decision");

  if (v == NULL)
    return 0;
  if (v->type == BOUGH_VALUE_INT)
    return (guint) (v->v.integer & 7);
  if (v->type == BOUGH_VALUE_DOUBLE)
    return ((guint) v->v.number) & 7;
  if (v->type == BOUGH_VALUE_STRING)
    return ((guint) strtoul (v->v.string, NULL, 10)) & 7;
  return 0;
}

static JsonNode *
ids_node (BoughQueryResult *result)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < result->nodes->len; i++)
    json_array_add_string_element (array, ((BoughNode *) g_ptr_array_index (result->nodes, i))->id);
  json_node_take_array (node, array);
  return node;
}

/* The nodes of @kind linked to one of @peers through @relationship. */
static BoughQueryResult *
query_linked (BoughStore        *store,
              const char        *kind,
              const char        *relationship,
              JsonNode          *peers,
              GError           **error)
{
  g_autoptr(BoughQuery) query = bough_query_new (kind);

  bough_query_add_filter (query, relationship, NULL, BOUGH_FILTER_IDS, peers);
  query->limit = -1;
  query->skip_count = TRUE;
  return bough_store_query (store, query, error);
}

static BoughPermissions *
load_permissions (BoughStore  *store,
                  const char  *account,
                  GError     **error)
{
  g_autoptr(BoughPermissions) self = bough_permissions_new ();
  g_autoptr(BoughQueryResult) roles = NULL;
  g_autoptr(JsonNode) role_ids = NULL;

  if (g_str_equal (account, BOUGH_ACCOUNT_ANONYMOUS))
    {
      g_autoptr(BoughQuery) query = bough_query_new ("CoreAccountRole");
      g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), BOUGH_ROLE_ANONYMOUS);

      bough_query_add_filter (query, NULL, "name", BOUGH_FILTER_VALUE, name);
      query->limit = -1;
      roles = bough_store_query (store, query, error);
    }
  else
    {
      g_autoptr(BoughQueryResult) groups = NULL;
      g_autoptr(JsonNode) account_ids = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonNode) group_ids = NULL;
      JsonArray *array = json_array_new ();

      json_array_add_string_element (array, account);
      json_node_take_array (account_ids, array);
      groups = query_linked (store, "CoreAccountGroup", "members", account_ids, error);
      if (groups == NULL)
        return NULL;
      if (groups->nodes->len == 0)
        return g_steal_pointer (&self);
      group_ids = ids_node (groups);
      roles = query_linked (store, "CoreAccountRole", "groups", group_ids, error);
    }
  if (roles == NULL)
    return NULL;
  if (roles->nodes->len == 0)
    return g_steal_pointer (&self);
  role_ids = ids_node (roles);

  {
    g_autoptr(BoughQueryResult) globals = query_linked (store, "CoreGlobalPermission", "roles", role_ids, error);
    g_autoptr(BoughQueryResult) objects = NULL;

    if (globals == NULL)
      return NULL;
    objects = query_linked (store, "CoreObjectPermission", "roles", role_ids, error);
    if (objects == NULL)
      return NULL;
    for (guint i = 0; i < globals->nodes->len; i++)
      {
        BoughNode *p = g_ptr_array_index (globals->nodes, i);
        const char *action = node_string (p, "action");

        if (action != NULL)
          bough_permissions_add_global (self, action, node_decision (p));
      }
    for (guint i = 0; i < objects->nodes->len; i++)
      {
        BoughNode *p = g_ptr_array_index (objects->nodes, i);
        const char *action = node_string (p, "action");

        bough_permissions_add_object (self, node_string (p, "namespace"), node_string (p, "name"),
                                      action != NULL ? action : "any", node_decision (p));
      }
  }
  return g_steal_pointer (&self);
}

typedef struct
{
  guint64           serial;
  BoughPermissions *permissions;
} CacheEntry;

static void
cache_entry_free (gpointer data)
{
  CacheEntry *e = data;

  bough_permissions_unref (e->permissions);
  g_free (e);
}

/* Bounded: past this many accounts the cache starts afresh. */
#define CACHE_MAX 4096

static GMutex cache_lock;
static GHashTable *cache;       /* "<store address> <account>" → CacheEntry */

static guint64
watched_serial (BoughStore *store)
{
  guint64 serial = 0;

  /* serials only grow and never repeat, so the largest one changes
   * whenever any of the kinds changes */
  for (guint i = 0; i < G_N_ELEMENTS (watched_kinds); i++)
    serial = MAX (serial, bough_store_get_change_serial (store, watched_kinds[i]));
  return serial;
}

/**
 * bough_permissions_for_account:
 * @store: the store
 * @account: (nullable): an account id (a UUID), %BOUGH_ACCOUNT_ANONYMOUS,
 *   or the server itself: %NULL or a name that is not a UUID (the author the
 *   server records for its own writes)
 * @error: return location for a #GError
 *
 * The permissions of @account: those of the roles of its account groups, or
 * those of the anonymous role. Thread-safe; cached per account until an
 * account, group, role or permission changes.
 *
 * Returns: (transfer full): the permissions, or %NULL with @error set when
 *   they cannot be read (callers refuse then)
 */
BoughPermissions *
bough_permissions_for_account (BoughStore  *store,
                               const char  *account,
                               GError     **error)
{
  g_autofree char *key = NULL;
  BoughPermissions *loaded;
  CacheEntry *entry;
  guint64 serial;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Authentication only ever names accounts by their UUID (or as the
   * anonymous caller); any other name is one the server gave itself for
   * its own writes (jobs, tools, tests) */
  if (account == NULL || (!g_uuid_string_is_valid (account) && !g_str_equal (account, BOUGH_ACCOUNT_ANONYMOUS)))
    return bough_permissions_new_super_admin ();

  key = g_strdup_printf ("%p %s", (void *) store, account);
  /* read before loading: a change while loading leaves a stale serial,
   * which the next call sees */
  serial = watched_serial (store);
  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
  entry = g_hash_table_lookup (cache, key);
  if (entry != NULL && entry->serial == serial)
    {
      BoughPermissions *hit = bough_permissions_ref (entry->permissions);

      g_mutex_unlock (&cache_lock);
      return hit;
    }
  g_mutex_unlock (&cache_lock);

  loaded = load_permissions (store, account, error);
  if (loaded == NULL)
    return NULL;

  g_mutex_lock (&cache_lock);
  if (g_hash_table_size (cache) >= CACHE_MAX)
    g_hash_table_remove_all (cache);
  entry = g_new0 (CacheEntry, 1);
  entry->serial = serial;
  entry->permissions = bough_permissions_ref (loaded);
  g_hash_table_replace (cache, g_steal_pointer (&key), entry);
  g_mutex_unlock (&cache_lock);
  return loaded;
}

/**
 * bough_permissions_for_identity:
 * @store: the store
 * @identity: who calls, as authentication found it
 * @error: return location for a #GError
 *
 * The permissions of @identity: everything for the server itself, the
 * anonymous role for an anonymous caller (authentication lets one through
 * only when anonymous access is on), else those of its account.
 *
 * Returns: (transfer full): the permissions, or %NULL with @error set
 */
BoughPermissions *
bough_permissions_for_identity (BoughStore     *store,
                                BoughIdentity  *identity,
                                GError        **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (identity != NULL, NULL);

  if (bough_identity_is_internal (identity))
    return bough_permissions_new_super_admin ();
  if (bough_identity_is_anonymous (identity) || bough_identity_get_account_id (identity) == NULL)
    return bough_permissions_for_account (store, BOUGH_ACCOUNT_ANONYMOUS, error);
  return bough_permissions_for_account (store, bough_identity_get_account_id (identity), error);
}

/* ---- default roles and groups ---- */

static JsonObject *
value_object (const char *value)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "value", value);
  return o;
}

static JsonObject *
int_value_object (gint64 value)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "value", value);
  return o;
}

static JsonArray *
id_list (const char * const *ids)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "id", ids[i]);
      json_array_add_object_element (array, o);
    }
  return array;
}

static char *
create (BoughTxn    *txn,
        const char  *kind,
        JsonObject  *data,
        GError     **error)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(BoughNode) node = bough_txn_create (txn, kind, owned, error);

  return node != NULL ? g_strdup (node->id) : NULL;
}

/* Permissions are unique by what they grant: one made before is reused. */
static char *
upsert (BoughTxn    *txn,
        const char  *kind,
        JsonObject  *data,
        GError     **error)
{
  g_autoptr(JsonObject) owned = data;
  gboolean created = FALSE;
  g_autoptr(BoughNode) node = bough_txn_upsert (txn, kind, owned, &created, error);

  return node != NULL ? g_strdup (node->id) : NULL;
}

static char *
create_global (BoughTxn    *txn,
               const char  *action,
               GError     **error)
{
  JsonObject *d = json_object_new ();

  json_object_set_object_member (d, "action", value_object (action));
  json_object_set_object_member (d, "decision", int_value_object (BOUGH_DECISION_ALLOW_ALL));
  return upsert (txn, "CoreGlobalPermission", d, error);
}

static char *
create_object (BoughTxn    *txn,
               const char  *action,
               guint        decision,
               GError     **error)
{
  JsonObject *d = json_object_new ();

  json_object_set_object_member (d, "namespace", value_object ("*"));
  json_object_set_object_member (d, "name", value_object ("*"));
  json_object_set_object_member (d, "action", value_object (action));
  json_object_set_object_member (d, "decision", int_value_object (decision));
  return upsert (txn, "CoreObjectPermission", d, error);
}

static char *
create_role (BoughTxn            *txn,
             const char          *name,
             const char * const  *permissions,
             GError             **error)
{
  JsonObject *d = json_object_new ();

  json_object_set_object_member (d, "name", value_object (name));
  json_object_set_array_member (d, "permissions", id_list (permissions));
  return create (txn, "CoreAccountRole", d, error);
}

static char *
create_group (BoughTxn            *txn,
              const char          *name,
              const char          *role,
              const char          *member,
              GError             **error)
{
  JsonObject *d = json_object_new ();
  const char *roles[] = { role, NULL };
  const char *members[] = { member, NULL };

  json_object_set_object_member (d, "name", value_object (name));
  json_object_set_array_member (d, "roles", id_list (roles));
  if (member != NULL)
    json_object_set_array_member (d, "members", id_list (members));
  return create (txn, "CoreAccountGroup", d, error);
}

/* Puts @account in the group @group_name unless it is there already. */
static gboolean
ensure_member (BoughStore  *store,
               const char  *group_name,
               const char  *account,
               GError     **error)
{
  g_autoptr(BoughQuery) query = bough_query_new ("CoreAccountGroup");
  g_autoptr(BoughQueryResult) groups = NULL;
  g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), group_name);
  g_autoptr(BoughTxn) txn = NULL;
  g_autoptr(JsonArray) peers = NULL;
  const BoughRelationshipValue *members;
  BoughNode *group;
  const char *ids[] = { account, NULL };

  bough_query_add_filter (query, NULL, "name", BOUGH_FILTER_VALUE, name);
  query->limit = 1;
  groups = bough_store_query (store, query, error);
  if (groups == NULL)
    return FALSE;
  if (groups->nodes->len == 0)
    return TRUE;
  if (!bough_store_fetch_peers (store, NULL, 0, groups->nodes, "members", error))
    return FALSE;
  group = g_ptr_array_index (groups->nodes, 0);
  members = bough_node_get_relationship (group, "members");
  for (guint i = 0; members != NULL && i < members->n_peers; i++)
    if (g_str_equal (members->peers[i].id, account))
      return TRUE;
  txn = bough_store_begin (store, NULL, NULL, error);
  if (txn == NULL)
    return FALSE;
  peers = id_list (ids);
  return bough_txn_relationship_add (txn, group->id, "members", peers, error) &&
         bough_txn_commit (txn, error);
}

/**
 * bough_permissions_init_defaults:
 * @store: an initialized store with the core schema
 * @admin_account: (nullable): id of the account to put in "Super
 *   Administrators"
 * @error: return location for a #GError
 *
 * Creates the default roles and groups of reference §3.1 once: "Super
 * Administrator" (global:super_admin) in "Super Administrators", "General
 * Access" (manage_repositories, manage_schema, merge_proposed_change,
 * object:\*:\*:view:allow_all, object:\*:\*:any:allow_other) in "Infrahub
 * Users", and "Anonymous Access" (object:\*:\*:view:allow_all), the role of
 * anonymous callers when anonymous access is on. When the super
 * administrator role exists already, only puts @admin_account in its group
 * when it is not there.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_permissions_init_defaults (BoughStore  *store,
                                 const char  *admin_account,
                                 GError     **error)
{
  g_autoptr(BoughQuery) query = bough_query_new ("CoreAccountRole");
  g_autoptr(BoughQueryResult) existing = NULL;
  g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), BOUGH_ROLE_SUPER_ADMIN);
  g_autoptr(BoughTxn) txn = NULL;
  g_autofree char *super_admin = NULL, *repos = NULL, *schema = NULL, *proposed = NULL;
  g_autofree char *view = NULL, *any_other = NULL;
  g_autofree char *admin_role = NULL, *general_role = NULL, *anonymous_role = NULL;
  g_autofree char *admins = NULL, *users = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bough_query_add_filter (query, NULL, "name", BOUGH_FILTER_VALUE, name);
  query->limit = 1;
  existing = bough_store_query (store, query, error);
  if (existing == NULL)
    return FALSE;
  if (existing->count > 0)
    return admin_account == NULL || ensure_member (store, BOUGH_GROUP_SUPER_ADMINS, admin_account, error);

  txn = bough_store_begin (store, NULL, NULL, error);
  if (txn == NULL)
    return FALSE;
  if ((super_admin = create_global (txn, "super_admin", error)) == NULL ||
      (repos = create_global (txn, "manage_repositories", error)) == NULL ||
      (schema = create_global (txn, "manage_schema", error)) == NULL ||
      (proposed = create_global (txn, "merge_proposed_change", error)) == NULL ||
      (view = create_object (txn, "view", BOUGH_DECISION_ALLOW_ALL, error)) == NULL ||
      (any_other = create_object (txn, "any", BOUGH_DECISION_ALLOW_OTHER, error)) == NULL)
    return FALSE;
  {
    const char *admin_perms[] = { super_admin, NULL };
    const char *general_perms[] = { repos, schema, proposed, view, any_other, NULL };
    const char *anonymous_perms[] = { view, NULL };

    if ((admin_role = create_role (txn, BOUGH_ROLE_SUPER_ADMIN, admin_perms, error)) == NULL ||
        (general_role = create_role (txn, BOUGH_ROLE_GENERAL_ACCESS, general_perms, error)) == NULL ||
        (anonymous_role = create_role (txn, BOUGH_ROLE_ANONYMOUS, anonymous_perms, error)) == NULL)
      return FALSE;
  }
  if ((admins = create_group (txn, BOUGH_GROUP_SUPER_ADMINS, admin_role, admin_account, error)) == NULL ||
      (users = create_group (txn, BOUGH_GROUP_USERS, general_role, NULL, error)) == NULL)
    return FALSE;
  return bough_txn_commit (txn, error);
}
