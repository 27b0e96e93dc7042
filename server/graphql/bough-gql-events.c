/* bough-gql-events.c: `InfrahubEvent` (reference §8.2) over the store's events
 * (store/bough-store-events.h). The query answers `{count, edges{node}}`, a node
 * being an `EventNodeInterface` whose concrete type follows the event's type
 * (`NodeMutatedEvent`, `Branch*Event`, `GroupEvent`, `StandardEvent`); the
 * subscription of the same name answers the list of the events written since the
 * websocket's last message that match its filters. Events of nodes whose kind the
 * caller may not view are left out, counts included.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-graphql"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "auth/bough-permission.h"
#include "store/bough-store-events.h"
#include "bough-gql-events.h"

static const char * const type_names[] = {
  "RelatedNode", "EventNodeInterface", "EventNodes", "Events", "InfrahubEventSortOrder",
  "BranchEventTypeFilter", "EventTypeFilter", "InfrahubMutatedAttribute",
  "InfrahubMutatedRelationship", "BranchCreatedEvent", "BranchMergedEvent", "BranchRebasedEvent",
  "BranchDeletedEvent", "NodeMutatedEvent", "GroupEvent", "StandardEvent",
  NULL
};

const char * const *
bough_gql_events_type_names (void)
{
  return type_names;
}

gboolean
bough_gql_events_is_field (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return g_str_equal (name, "InfrahubEvent");
}

typedef struct
{
  BoughGqlSchema *gql;
} Types;

static BoughGqlType *
T (Types      *t,
   const char *name)
{
  BoughGqlType *type = bough_gql_schema_get_type (t->gql, name);

  g_assert (type != NULL);
  return type;
}

static BoughGqlType *
NN (Types        *t,
    BoughGqlType *type)
{
  return bough_gql_schema_non_null (t->gql, type);
}

static BoughGqlType *
LNN (Types        *t,
     BoughGqlType *type)
{
  return bough_gql_schema_list_of (t->gql, bough_gql_schema_non_null (t->gql, type));
}

static BoughGqlType *
add (Types            *t,
     BoughGqlTypeKind  kind,
     const char       *name)
{
  return bough_gql_schema_add_type (t->gql, kind, name, NULL);
}

static BoughGqlField *
field (BoughGqlType *type,
       const char   *name,
       BoughGqlType *field_type)
{
  return bough_gql_type_add_field (type, name, field_type, NULL);
}

static void
arg (BoughGqlField *f,
     const char    *name,
     BoughGqlType  *type,
     const char    *default_value)
{
  bough_gql_args_add (f->args, name, type, default_value, NULL);
}

static void
interface_fields (Types        *t,
                  BoughGqlType *type)
{
  field (type, "id", NN (t, T (t, "String")));
  field (type, "event", NN (t, T (t, "String")));
  field (type, "branch", T (t, "String"));
  field (type, "account_id", T (t, "String"));
  field (type, "occurred_at", NN (t, T (t, "DateTime")));
  field (type, "level", NN (t, T (t, "Int")));
  field (type, "primary_node", T (t, "RelatedNode"));
  field (type, "related_nodes", NN (t, LNN (t, T (t, "RelatedNode"))));
  field (type, "has_children", NN (t, T (t, "Boolean")));
  field (type, "parent_id", T (t, "String"));
}

static BoughGqlType *
event_type (Types        *t,
            BoughGqlType *iface,
            const char   *name)
{
  BoughGqlType *type = add (t, BOUGH_GQL_TYPE_OBJECT, name);

  interface_fields (t, type);
  bough_gql_type_add_interface (type, iface);
  return type;
}

/* The filters of the query and of the subscription. */
static void
filter_args (Types         *t,
             BoughGqlField *f)
{
  BoughGqlType *ids = bough_gql_schema_list_of (t->gql, NN (t, T (t, "String")));

  arg (f, "level", T (t, "Int"), NULL);
  arg (f, "has_children", T (t, "Boolean"), NULL);
  arg (f, "event_type", ids, NULL);
  arg (f, "event_type_filter", T (t, "EventTypeFilter"), NULL);
  arg (f, "primary_node__ids", ids, NULL);
  arg (f, "related_node__ids", ids, NULL);
  arg (f, "parent__ids", ids, NULL);
  arg (f, "branches", ids, NULL);
  arg (f, "account__ids", ids, NULL);
  arg (f, "ids", ids, NULL);
}

/**
 * bough_gql_events_add_types:
 * @gql: the schema being built (with DateTime, GenericScalar and DiffAction)
 * @query: its Query type
 * @subscription: its Subscription type
 *
 * Adds the event types, `Query.InfrahubEvent` and `Subscription.InfrahubEvent`.
 */
void
bough_gql_events_add_types (BoughGqlSchema *gql,
                            BoughGqlType   *query,
                            BoughGqlType   *subscription)
{
  Types tt = { gql };
  Types *t = &tt;
  BoughGqlType *type, *iface;
  BoughGqlField *f;

  g_return_if_fail (gql != NULL && query != NULL && subscription != NULL);

  type = add (t, BOUGH_GQL_TYPE_OBJECT, "RelatedNode");
  field (type, "id", NN (t, T (t, "String")));
  field (type, "kind", NN (t, T (t, "String")));

  iface = add (t, BOUGH_GQL_TYPE_INTERFACE, "EventNodeInterface");
  interface_fields (t, iface);
  field (add (t, BOUGH_GQL_TYPE_OBJECT, "EventNodes"), "node", iface);
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "Events");
  field (type, "edges", NN (t, LNN (t, T (t, "EventNodes"))));
  field (type, "count", NN (t, T (t, "Int")));
  type = add (t, BOUGH_GQL_TYPE_ENUM, "InfrahubEventSortOrder");
  bough_gql_type_add_enum_value (type, "ASC", NULL);
  bough_gql_type_add_enum_value (type, "DESC", NULL);
  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "BranchEventTypeFilter");
  field (type, "branches", NN (t, LNN (t, T (t, "String"))));
  type = add (t, BOUGH_GQL_TYPE_INPUT_OBJECT, "EventTypeFilter");
  field (type, "branch_merged", T (t, "BranchEventTypeFilter"));
  field (type, "branch_rebased", T (t, "BranchEventTypeFilter"));

  type = add (t, BOUGH_GQL_TYPE_OBJECT, "InfrahubMutatedAttribute");
  field (type, "name", NN (t, T (t, "String")));
  field (type, "action", NN (t, T (t, "DiffAction")));
  field (type, "value", T (t, "String"));
  field (type, "kind", NN (t, T (t, "String")));
  field (type, "value_previous", T (t, "String"));
  type = add (t, BOUGH_GQL_TYPE_OBJECT, "InfrahubMutatedRelationship");
  field (type, "name", NN (t, T (t, "String")));
  field (type, "action", NN (t, T (t, "DiffAction")));
  field (type, "peer", NN (t, T (t, "RelatedNode")));

  type = event_type (t, iface, "BranchCreatedEvent");
  field (type, "created_branch", NN (t, T (t, "String")));
  field (type, "payload", NN (t, T (t, "GenericScalar")));
  type = event_type (t, iface, "BranchMergedEvent");
  field (type, "source_branch", NN (t, T (t, "String")));
  field (type, "payload", NN (t, T (t, "GenericScalar")));
  type = event_type (t, iface, "BranchRebasedEvent");
  field (type, "rebased_branch", NN (t, T (t, "String")));
  field (type, "payload", NN (t, T (t, "GenericScalar")));
  type = event_type (t, iface, "BranchDeletedEvent");
  field (type, "deleted_branch", NN (t, T (t, "String")));
  field (type, "payload", NN (t, T (t, "GenericScalar")));
  type = event_type (t, iface, "NodeMutatedEvent");
  field (type, "payload", NN (t, T (t, "GenericScalar")));
  field (type, "attributes", NN (t, LNN (t, T (t, "InfrahubMutatedAttribute"))));
  field (type, "relationships", NN (t, LNN (t, T (t, "InfrahubMutatedRelationship"))));
  type = event_type (t, iface, "GroupEvent");
  field (type, "members", NN (t, LNN (t, T (t, "RelatedNode"))));
  field (type, "ancestors", NN (t, LNN (t, T (t, "RelatedNode"))));
  field (type, "payload", NN (t, T (t, "GenericScalar")));
  type = event_type (t, iface, "StandardEvent");
  field (type, "payload", NN (t, T (t, "GenericScalar")));

  f = field (query, "InfrahubEvent", NN (t, T (t, "Events")));
  arg (f, "limit", T (t, "Int"), NULL);
  arg (f, "offset", T (t, "Int"), NULL);
  filter_args (t, f);
  arg (f, "since", T (t, "DateTime"), NULL);
  arg (f, "until", T (t, "DateTime"), NULL);
  arg (f, "order", T (t, "InfrahubEventSortOrder"), "DESC");

  /* Bough: each message carries the new events that match, oldest first */
  f = bough_gql_type_add_field (subscription, "InfrahubEvent", NN (t, LNN (t, iface)),
                                "The events written since the last message that match the filters");
  filter_args (t, f);

  /* Bough: the tasks of the query of the same name, sent again whenever
   * their answer changes (state, progress, new logs) */
  if (bough_gql_schema_get_type (gql, "Tasks") != NULL)
    {
      BoughGqlField *q = bough_gql_type_get_field (query, "InfrahubTask");

      f = bough_gql_type_add_field (subscription, "InfrahubTask", NN (t, T (t, "Tasks")),
                                    "The tasks that match, sent again whenever they change");
      for (guint i = 0; q != NULL && i < q->args->len; i++)
        {
          BoughGqlField *a = g_ptr_array_index (q->args, i);
          bough_gql_args_add (f->args, a->name, a->type, a->default_value, NULL);
        }
    }
}

/* ---- resolving ---- */

static JsonArray *
arg_array (JsonObject *obj,
           const char *key)
{
  JsonNode *n = obj ? json_object_get_member (obj, key) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static char **
arg_strv (JsonObject *obj,
          const char *key)
{
  JsonArray *a = arg_array (obj, key);
  GPtrArray *out;

  if (a == NULL)
    return NULL;
  out = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *n = json_array_get_element (a, i);
      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        g_ptr_array_add (out, g_strdup (json_node_get_string (n)));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static gboolean
arg_set (JsonObject *obj,
         const char *key)
{
  JsonNode *n = obj ? json_object_get_member (obj, key) : NULL;

  return n != NULL && !JSON_NODE_HOLDS_NULL (n);
}

static gboolean
arg_stamp (JsonObject  *args,
           const char  *key,
           gint64      *out,
           GError     **error)
{
  JsonNode *n = json_object_get_member (args, key);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  *out = bough_store_stamp_from_iso8601 (json_node_get_string (n), error);
  if (*out <= 0)
    {
      g_prefix_error (error, "%s: ", key);
      return FALSE;
    }
  return TRUE;
}

/* The node kinds the caller may view, NULL when all. */
static char **
viewable_kinds (const BoughGqlExecContext *c)
{
  GPtrArray *nodes;
  g_autoptr(GPtrArray) out = NULL;
  gboolean all = TRUE;

  if (c->permissions == NULL || bough_permissions_is_super_admin (c->permissions))
    return NULL;
  nodes = bough_schema_get_nodes (c->schema);
  out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    {
      BoughNodeSchema *ns = g_ptr_array_index (nodes, i);

      if (bough_permissions_allows_object (c->permissions, ns->namespace_, ns->name,
                                           BOUGH_PERMISSION_VIEW, FALSE))
        g_ptr_array_add (out, g_strdup (ns->kind));
      else
        all = FALSE;
    }
  if (all)
    return NULL;
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

static gboolean
fill_filter (const BoughGqlExecContext  *c,
             JsonObject                 *args,
             BoughEventFilter           *filter,
             GError                    **error)
{
  JsonArray *types = arg_array (args, "event_type");
  JsonNode *etf = json_object_get_member (args, "event_type_filter");

  if (arg_set (args, "level"))
    filter->level = json_object_get_int_member (args, "level");
  if (arg_set (args, "has_children"))
    filter->has_children = json_object_get_boolean_member (args, "has_children");
  if (types != NULL)
    {
      filter->types = g_array_new (FALSE, FALSE, sizeof (gint));
      for (guint i = 0; i < json_array_get_length (types); i++)
        {
          gint type = bough_event_type_from_string (json_array_get_string_element (types, i));
          /* a type no event has matches nothing */
          g_array_append_val (filter->types, type);
        }
    }
  if (etf != NULL && JSON_NODE_HOLDS_OBJECT (etf))
    {
      JsonObject *o = json_node_get_object (etf);
      JsonNode *m = json_object_get_member (o, "branch_merged");
      JsonNode *r = json_object_get_member (o, "branch_rebased");

      if (m != NULL && JSON_NODE_HOLDS_OBJECT (m))
        filter->merged_branches = arg_strv (json_node_get_object (m), "branches");
      if (r != NULL && JSON_NODE_HOLDS_OBJECT (r))
        filter->rebased_branches = arg_strv (json_node_get_object (r), "branches");
    }
  filter->node_ids = arg_strv (args, "primary_node__ids");
  filter->related_ids = arg_strv (args, "related_node__ids");
  filter->parent_ids = arg_strv (args, "parent__ids");
  filter->branches = arg_strv (args, "branches");
  filter->account_ids = arg_strv (args, "account__ids");
  filter->ids = arg_strv (args, "ids");
  filter->kinds = viewable_kinds (c);
  (void) error;
  return TRUE;
}

static void
set_string_or_null (JsonObject *obj,
                    const char *key,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, key, value);
  else
    json_object_set_null_member (obj, key);
}

static JsonObject *
related_node (const char *id,
              const char *kind)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "kind", kind ? kind : "");
  return o;
}

static const char *
diff_action (const char *status)
{
  if (g_strcmp0 (status, "added") == 0)
    return "ADDED";
  if (g_strcmp0 (status, "removed") == 0)
    return "REMOVED";
  if (g_strcmp0 (status, "updated") == 0)
    return "UPDATED";
  return "UNCHANGED";
}

/* A value of the changelog as the String fields show it. */
static void
set_value_text (JsonObject *obj,
                const char *key,
                JsonNode   *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    json_object_set_null_member (obj, key);
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    json_object_set_string_member (obj, key, json_node_get_string (value));
  else
    {
      g_autofree char *text = json_to_string (value, FALSE);
      json_object_set_string_member (obj, key, text);
    }
}

static const char *
concrete_type (BoughEventType type)
{
  switch (type)
    {
    case BOUGH_EVENT_NODE_CREATED:
    case BOUGH_EVENT_NODE_UPDATED:
    case BOUGH_EVENT_NODE_DELETED:
      return "NodeMutatedEvent";
    case BOUGH_EVENT_BRANCH_CREATED:
      return "BranchCreatedEvent";
    case BOUGH_EVENT_BRANCH_DELETED:
      return "BranchDeletedEvent";
    case BOUGH_EVENT_BRANCH_MERGED:
      return "BranchMergedEvent";
    case BOUGH_EVENT_BRANCH_REBASED:
      return "BranchRebasedEvent";
    case BOUGH_EVENT_GROUP_MEMBER_ADDED:
    case BOUGH_EVENT_GROUP_MEMBER_REMOVED:
      return "GroupEvent";
    case BOUGH_EVENT_SCHEMA_UPDATED:
    case BOUGH_EVENT_NONE:
    case BOUGH_EVENT_LAST:
    default:
      return "StandardEvent";
    }
}

static gboolean
wants (GHashTable *selected,
       const char *name)
{
  return selected == NULL || g_hash_table_contains (selected, name);
}

/* The values of one event, for its concrete type. */
static JsonObject *
event_values (const BoughGqlExecContext *c,
              BoughEvent                *e,
              GHashTable                *selected)
{
  JsonObject *o = json_object_new ();
  JsonArray *related = json_array_new ();
  g_autoptr(JsonObject) payload = NULL;
  g_autofree char *occurred = bough_store_stamp_to_iso8601 (e->occurred_at);
  gboolean need_payload = wants (selected, "payload") || wants (selected, "attributes") ||
                          wants (selected, "relationships") || wants (selected, "related_nodes") ||
                          wants (selected, "members") || wants (selected, "ancestors") ||
                          wants (selected, "created_branch") || wants (selected, "deleted_branch") ||
                          wants (selected, "source_branch") || wants (selected, "rebased_branch");

  json_object_set_string_member (o, "__typename", concrete_type (e->type));
  json_object_set_string_member (o, "id", e->id);
  json_object_set_string_member (o, "event", bough_event_type_to_string (e->type));
  set_string_or_null (o, "branch", e->branch);
  set_string_or_null (o, "account_id", e->account_id);
  json_object_set_string_member (o, "occurred_at", occurred);
  json_object_set_int_member (o, "level", e->level);
  json_object_set_boolean_member (o, "has_children", e->has_children);
  set_string_or_null (o, "parent_id", e->parent_id);
  if (e->node_id != NULL)
    json_object_set_object_member (o, "primary_node", related_node (e->node_id, e->kind));
  else
    json_object_set_null_member (o, "primary_node");

  if (need_payload)
    payload = bough_store_event_payload (c->store, e, NULL);
  if (payload == NULL)
    payload = json_object_new ();

  switch (e->type)
    {
    case BOUGH_EVENT_NODE_CREATED:
    case BOUGH_EVENT_NODE_UPDATED:
    case BOUGH_EVENT_NODE_DELETED:
      {
        JsonObject *changelog = json_object_has_member (payload, "changelog")
                                ? json_object_get_object_member (payload, "changelog") : NULL;
        JsonObject *attrs = changelog ? json_object_get_object_member (changelog, "attributes") : NULL;
        JsonObject *rels = changelog ? json_object_get_object_member (changelog, "relationships") : NULL;
        JsonArray *attributes = json_array_new ();
        JsonArray *relationships = json_array_new ();
        g_autoptr(GList) anames = attrs ? json_object_get_members (attrs) : NULL;
        g_autoptr(GList) rnames = rels ? json_object_get_members (rels) : NULL;

        for (GList *l = anames; l != NULL; l = l->next)
          {
            JsonObject *a = json_object_get_object_member (attrs, l->data);
            JsonObject *out = json_object_new ();

            json_object_set_string_member (out, "name", l->data);
            json_object_set_string_member (out, "action",
                                           diff_action (json_object_get_string_member (a, "value_update_status")));
            json_object_set_string_member (out, "kind", json_object_get_string_member (a, "kind"));
            set_value_text (out, "value", json_object_get_member (a, "value"));
            set_value_text (out, "value_previous", json_object_get_member (a, "value_previous"));
            json_array_add_object_element (attributes, out);
          }
        for (GList *l = rnames; l != NULL; l = l->next)
          {
            JsonObject *r = json_object_get_object_member (rels, l->data);
            JsonArray *peers = json_object_get_array_member (r, "peers");

            for (guint i = 0; i < json_array_get_length (peers); i++)
              {
                JsonObject *p = json_array_get_object_element (peers, i);
                JsonObject *out = json_object_new ();
                const char *pid = json_object_get_string_member (p, "peer_id");
                const char *pkind = json_object_get_string_member (p, "peer_kind");

                json_object_set_string_member (out, "name", l->data);
                json_object_set_string_member (out, "action",
                                               diff_action (json_object_get_string_member (p, "peer_status")));
                json_object_set_object_member (out, "peer", related_node (pid, pkind));
                json_array_add_object_element (relationships, out);
                json_array_add_object_element (related, related_node (pid, pkind));
              }
          }
        json_object_set_array_member (o, "attributes", attributes);
        json_object_set_array_member (o, "relationships", relationships);
      }
      break;
    case BOUGH_EVENT_GROUP_MEMBER_ADDED:
    case BOUGH_EVENT_GROUP_MEMBER_REMOVED:
      {
        const char *lists[] = { "members", "ancestors" };

        for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
          {
            JsonArray *src = json_object_has_member (payload, lists[k])
                             ? json_object_get_array_member (payload, lists[k]) : NULL;
            JsonArray *out = json_array_new ();

            for (guint i = 0; src != NULL && i < json_array_get_length (src); i++)
              {
                JsonObject *m = json_array_get_object_element (src, i);
                const char *id = json_object_get_string_member (m, "id");
                const char *kind = json_object_get_string_member_with_default (m, "kind", NULL);

                json_array_add_object_element (out, related_node (id, kind));
                if (k == 0)
                  json_array_add_object_element (related, related_node (id, kind));
              }
            json_object_set_array_member (o, lists[k], out);
          }
      }
      break;
    case BOUGH_EVENT_BRANCH_CREATED:
    case BOUGH_EVENT_BRANCH_DELETED:
    case BOUGH_EVENT_BRANCH_MERGED:
    case BOUGH_EVENT_BRANCH_REBASED:
      {
        static const char *keys[] = { "created_branch", "deleted_branch", "source_branch", "rebased_branch" };
        const char *name = json_object_get_string_member_with_default (payload, "branch_name", e->branch);

        json_object_set_string_member (o, keys[e->type - BOUGH_EVENT_BRANCH_CREATED], name);
      }
      break;
    case BOUGH_EVENT_SCHEMA_UPDATED:
    case BOUGH_EVENT_NONE:
    case BOUGH_EVENT_LAST:
    default:
      break;
    }
  json_object_set_array_member (o, "related_nodes", related);
  json_object_set_object_member (o, "payload", g_steal_pointer (&payload));
  return o;
}

/**
 * bough_gql_events_resolve:
 * @context: the execution's context (store, schema, permissions)
 * @name: `InfrahubEvent`
 * @subscription: the Subscription field: the events after
 *   @context's events_after, oldest first, as a list
 * @args: its coerced arguments
 * @selected: (nullable): the field names the selection asks for
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the value the executor completes
 */
JsonNode *
bough_gql_events_resolve (const BoughGqlExecContext *context,
                          const char                *name,
                          gboolean                   subscription,
                          JsonObject                *args,
                          GHashTable                *selected,
                          GError                   **error)
{
  g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();
  g_autoptr(GPtrArray) events = NULL;
  JsonArray *edges;
  JsonNode *out;
  gint64 count = 0;

  g_return_val_if_fail (context != NULL && name != NULL && args != NULL, NULL);
  g_return_val_if_fail (bough_gql_events_is_field (name), NULL);

  if (!fill_filter (context, args, filter, error))
    return NULL;
  if (subscription)
    {
      filter->after_seq = context->events_after;
      filter->upto_seq = context->events_upto;
      filter->ascending = TRUE;
      filter->limit = context->events_limit > 0 ? context->events_limit : -1;
      filter->skip_count = TRUE;
    }
  else
    {
      gint64 limit = arg_set (args, "limit") ? json_object_get_int_member (args, "limit") : 10;
      JsonNode *order = json_object_get_member (args, "order");

      if (limit > BOUGH_GQL_EVENTS_MAX_LIMIT)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                       "The parameter 'limit' can't be above %d", BOUGH_GQL_EVENTS_MAX_LIMIT);
          return NULL;
        }
      filter->limit = MAX (limit, 0);
      filter->offset = arg_set (args, "offset") ? MAX (0, json_object_get_int_member (args, "offset")) : 0;
      filter->ascending = order != NULL && JSON_NODE_HOLDS_VALUE (order) &&
                          g_strcmp0 (json_node_get_string (order), "ASC") == 0;
      /* Infrahub's default window: 180 days back */
      filter->since = bough_store_now (context->store) - G_GINT64_CONSTANT (180) * 24 * 3600 * G_USEC_PER_SEC;
      if (!arg_stamp (args, "since", &filter->since, error) || !arg_stamp (args, "until", &filter->until, error))
        return NULL;
    }

  events = bough_store_list_events (context->store, filter, subscription ? NULL : &count, error);
  if (events == NULL)
    return NULL;
  edges = json_array_new ();
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *values = event_values (context, g_ptr_array_index (events, i), selected);

      if (subscription)
        json_array_add_object_element (edges, values);
      else
        {
          JsonObject *edge = json_object_new ();
          json_object_set_object_member (edge, "node", values);
          json_array_add_object_element (edges, edge);
        }
    }
  out = json_node_new (subscription ? JSON_NODE_ARRAY : JSON_NODE_OBJECT);
  if (subscription)
    json_node_take_array (out, edges);
  else
    {
      JsonObject *page = json_object_new ();

      json_object_set_int_member (page, "count", count);
      json_object_set_array_member (page, "edges", edges);
      json_node_take_object (out, page);
    }
  return out;
}
