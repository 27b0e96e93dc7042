/* test-store-events.c: the events the store writes with the changes they tell (node
 * created/updated/deleted with the changelog, links, group members, branches, schema),
 * none for a change rolled back, and their listing with filters and paging.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "store-test-common.h"
#include "store/bough-store-events.h"
#include "store/bough-store-driver.h"

static BoughNode *
create (BoughStore *store,
        const char *branch,
        const char *kind,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "tester", &error);
  g_autoptr(JsonObject) data = J (json);
  g_autoptr(BoughNode) node = NULL;

  g_assert_no_error (error);
  node = bough_txn_create (txn, kind, data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&node);
}

static void
update (BoughStore *store,
        const char *branch,
        const char *kind,
        const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTxn) txn = bough_store_begin (store, branch, "tester", &error);
  g_autoptr(JsonObject) data = J (json);
  g_autoptr(BoughNode) node = NULL;

  g_assert_no_error (error);
  node = bough_txn_update (txn, kind, data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
}

/* Events of @type (0: any), newest first. */
static GPtrArray *
list (BoughStore     *store,
      BoughEventType  type,
      gint64         *count)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();
  GPtrArray *events;

  if (type != BOUGH_EVENT_NONE)
    {
      gint t = type;
      filter->types = g_array_new (FALSE, FALSE, sizeof (gint));
      g_array_append_val (filter->types, t);
    }
  events = bough_store_list_events (store, filter, count, &error);
  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

static JsonObject *
payload (BoughStore *store,
         BoughEvent *event)
{
  g_autoptr(GError) error = NULL;
  JsonObject *p = bough_store_event_payload (store, event, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static JsonObject *
changelog_attribute (JsonObject *p,
                     const char *name)
{
  JsonObject *changelog = json_object_get_object_member (p, "changelog");
  JsonObject *attributes = json_object_get_object_member (changelog, "attributes");

  return json_object_has_member (attributes, name) ? json_object_get_object_member (attributes, name) : NULL;
}

static void
test_ids (void)
{
  g_autofree char *id = bough_event_id_from_seq (G_GINT64_CONSTANT (1780000000123456), 4242);

  g_assert_true (g_uuid_string_is_valid (id));
  g_assert_cmpint (bough_event_seq_from_id (id), ==, 4242);
  g_assert_cmpint (id[14], ==, '8');
  g_assert_cmpint (bough_event_seq_from_id ("not-a-uuid"), ==, 0);
  /* a random (version 4) UUID names no event */
  g_assert_cmpint (bough_event_seq_from_id ("6f1d2c3b-1111-4222-8333-444455556666"), ==, 0);
  g_assert_cmpstr (bough_event_type_to_string (BOUGH_EVENT_NODE_UPDATED), ==, "infrahub.node.updated");
  g_assert_cmpint (bough_event_type_from_string ("infrahub.group.member_added"), ==,
                   BOUGH_EVENT_GROUP_MEMBER_ADDED);
  g_assert_cmpint (bough_event_type_from_string ("infrahub.nope"), ==, BOUGH_EVENT_NONE);
}

static void
test_node_events (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughNode) site = create (f->store, NULL, "TestSite", "{'name': {'value': 'ams'}}");
  g_autoptr(BoughNode) other = create (f->store, NULL, "TestSite", "{'name': {'value': 'fra'}}");
  g_autofree char *dev_json = g_strdup_printf ("{'name': {'value': 'r1'}, 'site': {'id': '%s'}}", site->id);
  g_autoptr(BoughNode) dev = create (f->store, NULL, "TestDevice", dev_json);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) p = NULL;
  JsonObject *a, *rels, *rel;
  JsonArray *peers;
  BoughEvent *e;
  gint64 count;

  /* created, with the link it made */
  events = list (f->store, BOUGH_EVENT_NODE_CREATED, &count);
  g_assert_cmpint (count, ==, 3);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (e->node_id, ==, dev->id);
  g_assert_cmpstr (e->kind, ==, "TestDevice");
  g_assert_cmpstr (e->branch, ==, "main");
  g_assert_cmpstr (e->account_id, ==, "tester");
  g_assert_cmpint (e->level, ==, 0);
  g_assert_true (g_uuid_string_is_valid (e->id));
  p = payload (f->store, e);
  g_assert_cmpstr (json_object_get_string_member (p, "action"), ==, "created");
  g_assert_cmpstr (json_object_get_string_member (p, "node_id"), ==, dev->id);
  a = changelog_attribute (p, "name");
  g_assert_nonnull (a);
  g_assert_cmpstr (json_object_get_string_member (a, "value"), ==, "r1");
  g_assert_true (json_object_get_null_member (a, "value_previous"));
  g_assert_cmpstr (json_object_get_string_member (a, "value_update_status"), ==, "added");
  g_assert_cmpstr (json_object_get_string_member (a, "kind"), ==, "Text");
  rels = json_object_get_object_member (json_object_get_object_member (p, "changelog"), "relationships");
  rel = json_object_get_object_member (rels, "site");
  g_assert_nonnull (rel);
  peers = json_object_get_array_member (rel, "peers");
  g_assert_cmpuint (json_array_get_length (peers), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (peers, 0), "peer_id"), ==,
                   site->id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (peers, 0), "peer_status"), ==,
                   "added");
  g_clear_pointer (&p, json_object_unref);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* updated: the changed attribute with its previous value, the site moved */
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'edge router'},"
                                             " 'site': {'id': '%s'}}", dev->id, other->id);
    update (f->store, NULL, "TestDevice", json);
  }
  {
    g_autofree char *json = g_strdup_printf ("{'id': '%s', 'description': {'value': 'core router'}}", dev->id);
    update (f->store, NULL, "TestDevice", json);
  }
  events = list (f->store, BOUGH_EVENT_NODE_UPDATED, &count);
  g_assert_cmpint (count, ==, 2);
  e = g_ptr_array_index (events, 0);
  p = payload (f->store, e);
  g_assert_cmpstr (json_object_get_string_member (p, "action"), ==, "updated");
  a = changelog_attribute (p, "description");
  g_assert_cmpstr (json_object_get_string_member (a, "value"), ==, "core router");
  g_assert_cmpstr (json_object_get_string_member (a, "value_previous"), ==, "edge router");
  g_assert_cmpstr (json_object_get_string_member (a, "value_update_status"), ==, "updated");
  /* unchanged attributes are left out of an update's changelog */
  g_assert_null (changelog_attribute (p, "name"));
  g_assert_true (json_array_get_length (json_object_get_array_member (p, "fields")) == 1);
  g_clear_pointer (&p, json_object_unref);
  e = g_ptr_array_index (events, 1);
  p = payload (f->store, e);
  a = changelog_attribute (p, "description");
  g_assert_true (json_object_get_null_member (a, "value_previous"));
  g_assert_cmpstr (json_object_get_string_member (a, "value_update_status"), ==, "added");
  rels = json_object_get_object_member (json_object_get_object_member (p, "changelog"), "relationships");
  peers = json_object_get_array_member (json_object_get_object_member (rels, "site"), "peers");
  g_assert_cmpuint (json_array_get_length (peers), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *peer = json_array_get_object_element (peers, i);
      const char *status = json_object_get_string_member (peer, "peer_status");
      const char *id = json_object_get_string_member (peer, "peer_id");

      if (g_str_equal (status, "added"))
        g_assert_cmpstr (id, ==, other->id);
      else
        {
          g_assert_cmpstr (status, ==, "removed");
          g_assert_cmpstr (id, ==, site->id);
        }
    }
  g_clear_pointer (&p, json_object_unref);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* deleted: the values it had */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "tester", &error);
    g_autofree char *json = g_strdup_printf ("{'id': '%s'}", dev->id);
    g_autoptr(JsonObject) ref = J (json);

    g_assert_true (bough_txn_delete (txn, "TestDevice", ref, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  events = list (f->store, BOUGH_EVENT_NODE_DELETED, &count);
  g_assert_cmpint (count, ==, 1);
  p = payload (f->store, g_ptr_array_index (events, 0));
  g_assert_cmpstr (json_object_get_string_member (p, "action"), ==, "deleted");
  a = changelog_attribute (p, "name");
  g_assert_cmpstr (json_object_get_string_member (a, "value_previous"), ==, "r1");
  g_assert_cmpstr (json_object_get_string_member (a, "value_update_status"), ==, "removed");
}

/* A password hash shows as changed, never its value. */
static void
test_password (StoreFixture  *f,
               gconstpointer  data)
{
  g_autoptr(BoughNode) account = create (f->store, NULL, "CoreAccount",
                                         "{'name': {'value': 'eve'}, 'password': {'value': 'hash-of-secret'}}");
  g_autoptr(GPtrArray) events = list (f->store, BOUGH_EVENT_NODE_CREATED, NULL);
  g_autoptr(JsonObject) p = payload (f->store, g_ptr_array_index (events, 0));
  JsonObject *a = changelog_attribute (p, "password");
  g_autofree char *text = NULL;

  g_assert_cmpstr (json_object_get_string_member (p, "node_id"), ==, account->id);
  g_assert_nonnull (a);
  g_assert_true (json_object_get_null_member (a, "value"));
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), p);
    text = json_to_string (node, FALSE);
  }
  g_assert_null (strstr (text, "hash-of-secret"));
}

/* A Password attribute (a webhook's shared key) likewise. */
static void
test_password_plain (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr(BoughNode) hook = create (f->store, NULL, "CoreStandardWebhook",
                                      "{'name': {'value': 'w'}, 'url': {'value': 'http://127.0.0.1:9/'},"
                                      " 'shared_key': {'value': 'plain-shared-key'}}");
  g_autoptr(GPtrArray) events = list (f->store, BOUGH_EVENT_NODE_CREATED, NULL);
  g_autoptr(JsonObject) p = payload (f->store, g_ptr_array_index (events, 0));
  JsonObject *a = changelog_attribute (p, "shared_key");
  g_autofree char *text = NULL;

  g_assert_cmpstr (json_object_get_string_member (p, "node_id"), ==, hook->id);
  g_assert_nonnull (a);
  g_assert_true (json_object_get_null_member (a, "value"));
  g_assert_cmpstr (json_object_get_string_member (a, "value_update_status"), ==, "added");
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), p);
    text = json_to_string (node, FALSE);
  }
  g_assert_null (strstr (text, "plain-shared-key"));
}

static void
test_rollback (StoreFixture  *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 before, after;

  g_clear_pointer (&events, g_ptr_array_unref);
  events = list (f->store, BOUGH_EVENT_NONE, &before);

  /* a call that fails inside a committed transaction leaves no event */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "tester", &error);
    g_autoptr(JsonObject) good = J ("{'name': {'value': 'ok1'}}");
    g_autoptr(JsonObject) bad = J ("{'name': {'value': 'ok1'}}");
    g_autoptr(BoughNode) n1 = bough_txn_create (txn, "TestSite", good, &error);
    g_autoptr(BoughNode) n2 = NULL;

    g_assert_no_error (error);
    n2 = bough_txn_create (txn, "TestSite", bad, &error);
    g_assert_null (n2);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_UNIQUE);
    g_clear_error (&error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  /* a transaction never committed leaves none */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "tester", &error);
    g_autoptr(JsonObject) good = J ("{'name': {'value': 'gone'}}");
    g_autoptr(BoughNode) n = bough_txn_create (txn, "TestSite", good, &error);

    g_assert_no_error (error);
    g_assert_nonnull (n);
  }
  g_clear_pointer (&events, g_ptr_array_unref);
  events = list (f->store, BOUGH_EVENT_NONE, &after);
  g_assert_cmpint (after, ==, before + 1);
  g_assert_cmpstr (((BoughEvent *) g_ptr_array_index (events, 0))->kind, ==, "TestSite");
}

static void
test_groups (StoreFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughNode) site = create (f->store, NULL, "TestSite", "{'name': {'value': 'ams'}}");
  g_autoptr(BoughNode) parent = create (f->store, NULL, "CoreStandardGroup", "{'name': {'value': 'all'}}");
  g_autofree char *gjson = g_strdup_printf ("{'name': {'value': 'sites'}, 'parent': {'id': '%s'}}", parent->id);
  g_autoptr(BoughNode) group = create (f->store, NULL, "CoreStandardGroup", gjson);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) p = NULL;
  g_autofree char *peers_json = g_strdup_printf ("[{'id': '%s'}]", site->id);
  g_autoptr(JsonArray) peers = JA (peers_json);
  BoughEvent *e;
  JsonArray *members, *ancestors;
  gint64 count;

  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "tester", &error);
    g_assert_true (bough_txn_relationship_add (txn, group->id, "members", peers, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  events = list (f->store, BOUGH_EVENT_GROUP_MEMBER_ADDED, &count);
  g_assert_cmpint (count, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (e->node_id, ==, group->id);
  g_assert_cmpstr (e->kind, ==, "CoreStandardGroup");
  p = payload (f->store, e);
  members = json_object_get_array_member (p, "members");
  g_assert_cmpuint (json_array_get_length (members), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (members, 0), "id"), ==, site->id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (members, 0), "kind"), ==,
                   "TestSite");
  ancestors = json_object_get_array_member (p, "ancestors");
  g_assert_cmpuint (json_array_get_length (ancestors), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ancestors, 0), "id"), ==,
                   parent->id);
  g_clear_pointer (&p, json_object_unref);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* removed from the member's side */
  {
    g_autoptr(BoughTxn) txn = bough_store_begin (f->store, NULL, "tester", &error);
    g_autofree char *gpeers = g_strdup_printf ("[{'id': '%s'}]", group->id);
    g_autoptr(JsonArray) gp = JA (gpeers);

    g_assert_true (bough_txn_relationship_remove (txn, site->id, "member_of_groups", gp, &error));
    g_assert_no_error (error);
    g_assert_true (bough_txn_commit (txn, &error));
  }
  events = list (f->store, BOUGH_EVENT_GROUP_MEMBER_REMOVED, &count);
  g_assert_cmpint (count, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (e->node_id, ==, group->id);
  p = payload (f->store, e);
  members = json_object_get_array_member (p, "members");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (members, 0), "id"), ==, site->id);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* related nodes: the site's own update names the group; the group's
   * update and its member events name the site */
  {
    g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();

    filter->related_ids = g_strsplit (group->id, " ", -1);
    events = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_no_error (error);
    g_assert_cmpint (count, ==, 1);
    e = g_ptr_array_index (events, 0);
    g_assert_cmpint (e->type, ==, BOUGH_EVENT_NODE_UPDATED);
    g_assert_cmpstr (e->node_id, ==, site->id);
    g_clear_pointer (&events, g_ptr_array_unref);
    g_strfreev (filter->related_ids);
    filter->related_ids = g_strsplit (site->id, " ", -1);
    events = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (count, ==, 3);
    for (guint i = 0; i < events->len; i++)
      {
        e = g_ptr_array_index (events, i);
        g_assert_cmpstr (e->node_id, ==, group->id);
      }
  }
}

static void
test_branches_and_schema (StoreFixture  *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughBranch) branch = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) children = NULL;
  g_autoptr(JsonObject) p = NULL;
  g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();
  BoughBranchCreate input = { .name = "feature" };
  BoughEvent *e;
  gint64 count;

  /* the fixture loaded a schema */
  events = list (f->store, BOUGH_EVENT_SCHEMA_UPDATED, &count);
  g_assert_cmpint (count, >=, 1);
  p = payload (f->store, g_ptr_array_index (events, 0));
  g_assert_cmpstr (json_object_get_string_member (p, "branch_name"), ==, "main");
  g_assert_nonnull (json_object_get_string_member (p, "schema_hash"));
  g_clear_pointer (&p, json_object_unref);
  g_clear_pointer (&events, g_ptr_array_unref);

  branch = bough_store_branch_create (f->store, &input, "tester", &error);
  g_assert_no_error (error);
  events = list (f->store, BOUGH_EVENT_BRANCH_CREATED, &count);
  g_assert_cmpint (count, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_cmpstr (e->branch, ==, "feature");
  p = payload (f->store, e);
  g_assert_cmpstr (json_object_get_string_member (p, "branch_name"), ==, "feature");
  g_assert_cmpstr (json_object_get_string_member (p, "branch_id"), ==, branch->id);
  g_assert_false (json_object_get_boolean_member (p, "sync_with_git"));
  g_assert_true (json_object_has_member (p, "proposed_change_id"));
  g_clear_pointer (&p, json_object_unref);
  g_clear_pointer (&events, g_ptr_array_unref);

  {
    g_autoptr(BoughNode) a = create (f->store, "feature", "TestSite", "{'name': {'value': 'b1'}}");
    g_autoptr(BoughNode) b = create (f->store, "feature", "TestSite", "{'name': {'value': 'b2'}}");
  }
  g_assert_true (bough_store_rebase_branch (f->store, "feature", "tester", NULL, NULL, &error));
  g_assert_no_error (error);
  events = list (f->store, BOUGH_EVENT_BRANCH_REBASED, &count);
  g_assert_cmpint (count, ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);

  g_assert_true (bough_store_merge_branch (f->store, "feature", "tester", NULL, NULL, &error));
  g_assert_no_error (error);
  events = list (f->store, BOUGH_EVENT_BRANCH_MERGED, &count);
  g_assert_cmpint (count, ==, 1);
  e = g_ptr_array_index (events, 0);
  g_assert_true (e->has_children);
  g_assert_cmpint (e->level, ==, 0);
  p = payload (f->store, e);
  g_assert_cmpstr (json_object_get_string_member (p, "branch_name"), ==, "feature");
  g_clear_pointer (&p, json_object_unref);

  /* the merge's node events hang under it */
  filter->parent_ids = g_strsplit (e->id, " ", -1);
  children = bough_store_list_events (f->store, filter, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 2);
  for (guint i = 0; i < children->len; i++)
    {
      BoughEvent *c = g_ptr_array_index (children, i);
      g_autoptr(JsonObject) cp = payload (f->store, c);

      g_assert_cmpint (c->type, ==, BOUGH_EVENT_NODE_CREATED);
      g_assert_cmpstr (c->branch, ==, "main");
      g_assert_cmpint (c->level, ==, 1);
      g_assert_cmpstr (c->parent_id, ==, e->id);
      g_assert_nonnull (changelog_attribute (cp, "name"));
    }
  g_clear_pointer (&events, g_ptr_array_unref);

  g_assert_true (bough_store_delete_branch (f->store, "feature", "tester", NULL, NULL, &error));
  g_assert_no_error (error);
  events = list (f->store, BOUGH_EVENT_BRANCH_DELETED, &count);
  g_assert_cmpint (count, ==, 1);
  p = payload (f->store, g_ptr_array_index (events, 0));
  g_assert_cmpstr (json_object_get_string_member (p, "branch_name"), ==, "feature");
}

static void
test_filters (StoreFixture  *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sites = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_node_unref);
  g_autoptr(GPtrArray) all = NULL;
  BoughBranchCreate input = { .name = "other" };
  g_autoptr(BoughBranch) branch = NULL;
  gint64 total, count;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *json = g_strdup_printf ("{'name': {'value': 's%u'}}", i);
      g_ptr_array_add (sites, create (f->store, NULL, "TestSite", json));
    }
  branch = bough_store_branch_create (f->store, &input, "someone", &error);
  g_assert_no_error (error);
  g_ptr_array_add (sites, create (f->store, "other", "TestSite", "{'name': {'value': 'o1'}}"));
  all = list (f->store, BOUGH_EVENT_NONE, &total);
  g_assert_cmpint (total, ==, (gint64) all->len);

  /* paging, newest first and oldest first */
  {
    g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();
    g_autoptr(GPtrArray) page = NULL;

    filter->limit = 3;
    filter->offset = 2;
    page = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_no_error (error);
    g_assert_cmpint (count, ==, total);
    g_assert_cmpuint (page->len, ==, 3);
    for (guint i = 0; i < 3; i++)
      g_assert_cmpint (((BoughEvent *) g_ptr_array_index (page, i))->seq, ==,
                       ((BoughEvent *) g_ptr_array_index (all, i + 2))->seq);
    g_clear_pointer (&page, g_ptr_array_unref);
    filter->ascending = TRUE;
    filter->offset = 0;
    page = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (((BoughEvent *) g_ptr_array_index (page, 0))->seq, ==,
                     ((BoughEvent *) g_ptr_array_index (all, all->len - 1))->seq);
  }
  /* branches, primary nodes, ids, accounts, kinds, time */
  {
    g_autoptr(BoughEventFilter) filter = bough_event_filter_new ();
    g_autoptr(GPtrArray) found = NULL;

    filter->branches = g_strsplit ("other", " ", -1);
    found = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (count, ==, 2);   /* branch created + the site */
    g_clear_pointer (&found, g_ptr_array_unref);
    g_clear_pointer (&filter->branches, g_strfreev);

    filter->node_ids = g_new0 (char *, 3);
    filter->node_ids[0] = g_strdup (((BoughNode *) g_ptr_array_index (sites, 1))->id);
    filter->node_ids[1] = g_strdup (((BoughNode *) g_ptr_array_index (sites, 3))->id);
    found = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (count, ==, 2);
    g_assert_cmpstr (((BoughEvent *) g_ptr_array_index (found, 0))->node_id, ==, filter->node_ids[1]);
    g_clear_pointer (&found, g_ptr_array_unref);
    g_clear_pointer (&filter->node_ids, g_strfreev);

    filter->ids = g_new0 (char *, 2);
    filter->ids[0] = g_strdup (((BoughEvent *) g_ptr_array_index (all, 4))->id);
    found = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (count, ==, 1);
    g_assert_cmpstr (((BoughEvent *) g_ptr_array_index (found, 0))->id, ==, filter->ids[0]);
    g_clear_pointer (&found, g_ptr_array_unref);
    g_clear_pointer (&filter->ids, g_strfreev);
    /* the same seq with another stamp names no event */
    {
      BoughEvent *e4 = g_ptr_array_index (all, 4);

      filter->ids = g_new0 (char *, 2);
      filter->ids[0] = bough_event_id_from_seq (e4->occurred_at + 1, e4->seq);
      found = bough_store_list_events (f->store, filter, &count, &error);
      g_assert_cmpint (count, ==, 0);
      g_clear_pointer (&found, g_ptr_array_unref);
      g_clear_pointer (&filter->ids, g_strfreev);
    }

    filter->account_ids = g_strsplit ("someone", " ", -1);
    found = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (count, ==, 1);
    g_assert_cmpint (((BoughEvent *) g_ptr_array_index (found, 0))->type, ==, BOUGH_EVENT_BRANCH_CREATED);
    g_clear_pointer (&found, g_ptr_array_unref);
    g_clear_pointer (&filter->account_ids, g_strfreev);

    /* node events of kinds one may not see are left out; others stay */
    filter->kinds = g_strsplit ("TestDevice", " ", -1);
    found = bough_store_list_events (f->store, filter, &count, &error);
    for (guint i = 0; i < found->len; i++)
      g_assert_null (((BoughEvent *) g_ptr_array_index (found, i))->kind);
    g_assert_cmpint (count, >=, 2);
    g_clear_pointer (&found, g_ptr_array_unref);
    g_clear_pointer (&filter->kinds, g_strfreev);

    filter->since = ((BoughEvent *) g_ptr_array_index (all, 2))->occurred_at;
    found = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (count, ==, 3);
    g_clear_pointer (&found, g_ptr_array_unref);
    filter->since = 0;
    filter->until = ((BoughEvent *) g_ptr_array_index (all, 2))->occurred_at;
    found = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (count, ==, total - 2);
    g_clear_pointer (&found, g_ptr_array_unref);
    filter->until = 0;

    filter->after_seq = ((BoughEvent *) g_ptr_array_index (all, 1))->seq;
    found = bough_store_list_events (f->store, filter, &count, &error);
    g_assert_cmpint (count, ==, 1);
  }
}

/* A database of layout 6 (before events) gets the events table when opened. */
static void
test_migrate (StoreFixture  *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_clear_pointer (&f->store, bough_store_unref);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE diff_updates; DROP TABLE events; PRAGMA user_version = 6;", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  store_fixture_open (f);
  {
    g_autoptr(BoughNode) site = create (f->store, NULL, "TestSite", "{'name': {'value': 'after'}}");
  }
  events = list (f->store, BOUGH_EVENT_NODE_CREATED, &count);
  g_assert_cmpint (count, ==, 1);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, BOUGH_STORE_DB_VERSION);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  (void) error;
}

static void
watch_cb (gint64   last_seq,
          gpointer user_data)
{
  *(gint64 *) user_data = last_seq;
}

static void
test_watch (StoreFixture  *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 seen = 0;
  guint id = bough_store_add_event_watch (f->store, watch_cb, &seen);
  g_autoptr(BoughNode) site = create (f->store, NULL, "TestSite", "{'name': {'value': 'w'}}");
  gint64 last = bough_store_last_event_seq (f->store, &error);

  g_assert_no_error (error);
  g_assert_cmpint (seen, ==, last);
  g_assert_cmpint (last, >, 0);
  bough_store_remove_event_watch (f->store, id);
  {
    g_autoptr(BoughNode) other = create (f->store, NULL, "TestSite", "{'name': {'value': 'w2'}}");
  }
  g_assert_cmpint (seen, ==, last);
  g_assert_cmpint (bough_store_last_event_seq (f->store, NULL), ==, last + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store-events/ids", test_ids);
  g_test_add ("/store-events/node", StoreFixture, NULL, store_fixture_setup, test_node_events,
              store_fixture_teardown);
  g_test_add ("/store-events/password", StoreFixture, NULL, store_fixture_setup, test_password,
              store_fixture_teardown);
  g_test_add ("/store-events/password-plain", StoreFixture, NULL, store_fixture_setup,
              test_password_plain, store_fixture_teardown);
  g_test_add ("/store-events/rollback", StoreFixture, NULL, store_fixture_setup, test_rollback,
              store_fixture_teardown);
  g_test_add ("/store-events/groups", StoreFixture, NULL, store_fixture_setup, test_groups,
              store_fixture_teardown);
  g_test_add ("/store-events/branches-schema", StoreFixture, NULL, store_fixture_setup,
              test_branches_and_schema, store_fixture_teardown);
  g_test_add ("/store-events/filters", StoreFixture, NULL, store_fixture_setup, test_filters,
              store_fixture_teardown);
  g_test_add ("/store-events/migrate", StoreFixture, NULL, store_fixture_setup, test_migrate,
              store_fixture_teardown);
  g_test_add ("/store-events/watch", StoreFixture, NULL, store_fixture_setup, test_watch,
              store_fixture_teardown);
  return g_test_run ();
}
