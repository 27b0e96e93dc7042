/* bough-activity-page.c: BoughActivityPage: the activity log. The events
 * (InfrahubEvent) of the window's branch (every branch on the default
 * view) or of one object, newest first: who changed what and when, with
 * the changelog of each node event (attribute old and new values, peers
 * added and removed) and links to the object. New events arrive through
 * the InfrahubEvent subscription; older ones a page at a time. Account
 * ids are shown as the accounts' names.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bough-activity-page.h"
#include "bough-operations.h"
#include "bough-util.h"

#define PAGE_SIZE 50

struct _BoughActivityPage
{
  BoughPage                parent_instance;

  GPtrArray               *events;      /* JsonObject, newest first */
  GPtrArray               *titles;      /* char*, same order */
  GPtrArray               *rows;        /* AdwExpanderRow (the list box owns them), same order */
  GHashTable              *ids;         /* event ids shown */
  GHashTable              *accounts;    /* account id → name */
  GHashTable              *asked;       /* account ids asked for */
  char                    *object;      /* "<kind>/<id>" or NULL for the branch */
  guint                    total;
  gboolean                 live;
  gboolean                 loading_older;
  BoughClientSubscription *sub;

  GtkLabel                *scope_label;
  GtkWidget               *branch_scope_button;
  GtkWidget               *live_icon;
  GtkStack                *stack;
  GtkListBox              *events_list;
  GtkWidget               *older_button;
};

G_DEFINE_FINAL_TYPE (BoughActivityPage, bough_activity_page, BOUGH_TYPE_PAGE)

#define EVENT_FIELDS \
  "__typename id event branch account_id occurred_at level has_children" \
  " primary_node { id kind }" \
  " ... on NodeMutatedEvent { payload }" \
  " ... on BranchCreatedEvent { created_branch }" \
  " ... on BranchMergedEvent { source_branch }" \
  " ... on BranchRebasedEvent { rebased_branch }" \
  " ... on BranchDeletedEvent { deleted_branch }"

static const char events_query[] =
  "query BoughEvents($limit: Int, $offset: Int, $branches: [String!], $nodes: [String!],"
  " $until: DateTime) {"
  " InfrahubEvent(limit: $limit, offset: $offset, branches: $branches, primary_node__ids: $nodes,"
  " until: $until)"
  " { count edges { node { " EVENT_FIELDS " } } } }";

static const char events_subscription[] =
  "subscription BoughEvents($branches: [String!], $nodes: [String!]) {"
  " InfrahubEvent(branches: $branches, primary_node__ids: $nodes) { " EVENT_FIELDS " } }";

/* A changelog value as text: strings as they are, the rest as JSON. */
static char *
value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

/* The object an event is about: "<kind> <label>". */
static char *
event_object_label (JsonObject *event)
{
  JsonObject *payload = bough_jobj (event, "payload");
  JsonObject *primary = bough_jobj (event, "primary_node");
  const char *kind = bough_jstr (payload, "kind");
  const char *label = bough_jstr (payload, "display_label");

  if (kind == NULL)
    kind = bough_jstr (primary, "kind");
  if (label == NULL)
    label = bough_jstr (bough_jobj (payload, "changelog"), "display_label");
  if (label == NULL)
    label = bough_jstr (payload, "node_id");
  if (label == NULL)
    label = bough_jstr (primary, "id");
  return g_strdup_printf ("%s %s", kind ? kind : "", label ? label : "");
}

static char *
event_title (JsonObject *event)
{
  const char *type = bough_jstr (event, "event");
  g_autofree char *object = NULL;

  if (type == NULL)
    return g_strdup (_("Event"));
  if (g_str_has_prefix (type, "infrahub.node."))
    {
      object = event_object_label (event);
      if (g_str_equal (type, "infrahub.node.created"))
        return g_strdup_printf (_("%s created"), object);
      if (g_str_equal (type, "infrahub.node.updated"))
        return g_strdup_printf (_("%s updated"), object);
      if (g_str_equal (type, "infrahub.node.deleted"))
        return g_strdup_printf (_("%s deleted"), object);
    }
  if (g_str_equal (type, "infrahub.branch.created"))
    return g_strdup_printf (_("Branch %s created"),
                            bough_jstr (event, "created_branch") ?: bough_jstr (event, "branch")
                            ?: "");
  if (g_str_equal (type, "infrahub.branch.merged"))
    return g_strdup_printf (_("Branch %s merged"),
                            bough_jstr (event, "source_branch") ?: bough_jstr (event, "branch")
                            ?: "");
  if (g_str_equal (type, "infrahub.branch.rebased"))
    return g_strdup_printf (_("Branch %s rebased"),
                            bough_jstr (event, "rebased_branch") ?: bough_jstr (event, "branch")
                            ?: "");
  if (g_str_equal (type, "infrahub.branch.deleted"))
    return g_strdup_printf (_("Branch %s deleted"),
                            bough_jstr (event, "deleted_branch") ?: bough_jstr (event, "branch")
                            ?: "");
  if (g_str_equal (type, "infrahub.schema.updated"))
    return g_strdup (_("Schema updated"));
  if (g_str_equal (type, "infrahub.group.member_added"))
    return g_strdup (_("Members added to a group"));
  if (g_str_equal (type, "infrahub.group.member_removed"))
    return g_strdup (_("Members removed from a group"));
  return g_strdup (type);
}

static const char *
event_icon (JsonObject *event)
{
  const char *type = bough_jstr (event, "event");

  if (type == NULL)
    return "dialog-information-symbolic";
  if (g_str_has_suffix (type, ".created") || g_str_has_suffix (type, ".member_added"))
    return "list-add-symbolic";
  if (g_str_has_suffix (type, ".deleted") || g_str_has_suffix (type, ".member_removed"))
    return "list-remove-symbolic";
  if (g_str_has_suffix (type, ".merged") || g_str_has_suffix (type, ".rebased"))
    return "media-playlist-consecutive-symbolic";
  return "document-edit-symbolic";
}

static char *
event_subtitle (BoughActivityPage *self,
                JsonObject        *event)
{
  const char *account = bough_jstr (event, "account_id");
  const char *name = account ? g_hash_table_lookup (self->accounts, account) : NULL;
  g_autofree char *when = bough_format_time (bough_jstr (event, "occurred_at"));
  const char *branch = bough_jstr (event, "branch");

  if (name == NULL)
    name = account ? account : _("the server");
  if (branch != NULL)
    return g_strdup_printf (_("by %s · %s · on %s"), name, when, branch);
  return g_strdup_printf (_("by %s · %s"), name, when);
}

static GtkWidget *
change_row (const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
add_changelog (GtkWidget  *expander,
               JsonObject *event)
{
  JsonObject *changelog = bough_jobj (bough_jobj (event, "payload"), "changelog");
  JsonObject *attributes = bough_jobj (changelog, "attributes");
  JsonObject *relationships = bough_jobj (changelog, "relationships");
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (attributes != NULL)
    {
      json_object_iter_init (&iter, attributes);
      while (json_object_iter_next (&iter, &name, &value))
        {
          JsonObject *attribute = bough_jobj (attributes, name);
          g_autofree char *before = NULL;
          g_autofree char *after = NULL;
          g_autofree char *text = NULL;

          if (attribute != NULL)
            {
              before = value_text (json_object_get_member (attribute, "value_previous"));
              after = value_text (json_object_get_member (attribute, "value"));
            }
          if (before == NULL && after == NULL)
            text = g_strdup (_("empty"));
          else if (before == NULL)
            text = g_strdup_printf (_("set to %s"), after);
          else if (after == NULL)
            text = g_strdup_printf (_("%s, now empty"), before);
          else
            text = g_strdup_printf (_("%s → %s"), before, after);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), change_row (name, text));
        }
    }
  if (relationships != NULL)
    {
      json_object_iter_init (&iter, relationships);
      while (json_object_iter_next (&iter, &name, &value))
        {
          JsonObject *relationship = bough_jobj (relationships, name);
          JsonArray *peers = bough_jarr (relationship, "peers");
          g_autoptr(GString) text = g_string_new (NULL);

          for (guint i = 0; peers != NULL && i < json_array_get_length (peers); i++)
            {
              JsonObject *peer = json_array_get_object_element (peers, i);
              const char *label = bough_jstr (peer, "display_label")
                                  ?: bough_jstr (peer, "peer_id") ?: "?";
              const char *status = bough_jstr (peer, "peer_status");

              if (text->len > 0)
                g_string_append (text, ", ");
              if (g_strcmp0 (status, "removed") == 0)
                g_string_append_printf (text, _("%s removed"), label);
              else if (g_strcmp0 (status, "added") == 0)
                g_string_append_printf (text, _("%s added"), label);
              else
                g_string_append (text, label);
            }
          adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), change_row (name, text->str));
        }
    }
}

static GtkWidget *
link_button (const char *icon_name,
             const char *tooltip,
             const char *page,
             const char *argument)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.navigate");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", page, argument);
  return button;
}

static GtkWidget *
event_row (BoughActivityPage *self,
           JsonObject        *event,
           const char        *title)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *subtitle = event_subtitle (self, event);
  JsonObject *primary = bough_jobj (event, "primary_node");
  const char *type = bough_jstr (event, "event");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row),
                               gtk_image_new_from_icon_name (event_icon (event)));
  if (bough_jstr (primary, "id") != NULL && bough_jstr (primary, "kind") != NULL && type != NULL &&
      g_str_has_prefix (type, "infrahub.node."))
    {
      g_autofree char *argument = g_strdup_printf ("%s/%s", bough_jstr (primary, "kind"),
                                                   bough_jstr (primary, "id"));

      if (self->object == NULL)
        adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                     link_button ("document-open-recent-symbolic",
                                                  _("Show the activity of this object"),
                                                  "activity", argument));
      if (!g_str_equal (type, "infrahub.node.deleted"))
        adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                     link_button ("go-next-symbolic", _("Open the object"),
                                                  "object", argument));
    }
  add_changelog (row, event);
  adw_expander_row_set_enable_expansion (
    ADW_EXPANDER_ROW (row), bough_jobj (bough_jobj (event, "payload"), "changelog") != NULL);
  return row;
}

/* ---- accounts ---- */

static void
refresh_subtitles (BoughActivityPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      g_autofree char *subtitle = event_subtitle (self, g_ptr_array_index (self->events, i));

      adw_expander_row_set_subtitle (g_ptr_array_index (self->rows, i), subtitle);
    }
}

static void
accounts_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BoughActivityPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *root;
  JsonArray *edges;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (data == NULL)
    {
      /* Names are a nicety: ids stay when accounts may not be read. */
      g_debug ("accounts: %s", error->message);
      return;
    }
  root = JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  edges = bough_jarr (bough_jobj (root, "CoreAccount"), "edges");
  for (guint i = 0; edges != NULL && i < json_array_get_length (edges); i++)
    {
      JsonObject *node = bough_jobj (json_array_get_object_element (edges, i), "node");
      const char *id = bough_jstr (node, "id");
      const char *name = bough_jstr (node, "display_label");

      if (name == NULL)
        name = bough_jstr (bough_jobj (node, "name"), "value");
      if (id != NULL && name != NULL)
        g_hash_table_replace (self->accounts, g_strdup (id), g_strdup (name));
    }
  refresh_subtitles (self);
}

static void
ask_accounts (BoughActivityPage *self)
{
  g_autoptr(JsonObject) variables = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonArray *ids = json_array_new ();

  for (guint i = 0; i < self->events->len; i++)
    {
      const char *account = bough_jstr (g_ptr_array_index (self->events, i), "account_id");

      if (account != NULL && !g_hash_table_contains (self->asked, account))
        {
          g_hash_table_add (self->asked, g_strdup (account));
          json_array_add_string_element (ids, account);
        }
    }
  if (json_array_get_length (ids) == 0)
    {
      json_array_unref (ids);
      return;
    }
  json_object_set_array_member (variables, "ids", ids);
  node = json_node_init_object (json_node_alloc (), variables);
  bough_client_query_async (bough_page_get_client (BOUGH_PAGE (self)), NULL, NULL,
                            "query BoughAccounts($ids: [ID]) { CoreAccount(ids: $ids) {"
                            " edges { node { id display_label name { value } } } } }",
                            node, bough_page_get_cancellable (BOUGH_PAGE (self)),
                            accounts_loaded_cb, g_object_ref (self));
}

/* ---- events ---- */

static void
update_view (BoughActivityPage *self)
{
  gtk_stack_set_visible_child_name (self->stack, self->events->len > 0 ? "events" : "empty");
  gtk_widget_set_visible (self->older_button, self->events->len < self->total);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "activity.older",
                                 self->events->len < self->total && !self->loading_older);
}

static void
add_event (BoughActivityPage *self,
           JsonObject        *event,
           gboolean           newest)
{
  const char *id = bough_jstr (event, "id");
  char *title;
  GtkWidget *row;

  if (id == NULL || g_hash_table_contains (self->ids, id))
    return;
  g_hash_table_add (self->ids, g_strdup (id));
  title = event_title (event);
  row = event_row (self, event, title);
  if (newest)
    {
      g_ptr_array_insert (self->events, 0, json_object_ref (event));
      g_ptr_array_insert (self->titles, 0, title);
      g_ptr_array_insert (self->rows, 0, row);
      gtk_list_box_prepend (self->events_list, row);
    }
  else
    {
      g_ptr_array_add (self->events, json_object_ref (event));
      g_ptr_array_add (self->titles, title);
      g_ptr_array_add (self->rows, row);
      gtk_list_box_append (self->events_list, row);
    }
}

static void
clear_events (BoughActivityPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->events_list))) != NULL)
    gtk_list_box_remove (self->events_list, child);
  g_ptr_array_set_size (self->events, 0);
  g_ptr_array_set_size (self->titles, 0);
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->ids);
  self->total = 0;
}

static void
events_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BoughActivityPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *events;
  JsonArray *edges;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->loading_older = FALSE;
      bough_page_load_cancelled (BOUGH_PAGE (self));
      return;
    }
  self->loading_older = FALSE;
  bough_page_set_loading (BOUGH_PAGE (self), FALSE);
  if (data == NULL)
    {
      bough_page_report_error (BOUGH_PAGE (self), error);
      update_view (self);
      return;
    }
  events = bough_jobj (JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL,
                 "InfrahubEvent");
  edges = bough_jarr (events, "edges");
  for (guint i = 0; edges != NULL && i < json_array_get_length (edges); i++)
    {
      JsonObject *node = bough_jobj (json_array_get_object_element (edges, i), "node");

      if (node != NULL)
        add_event (self, node, FALSE);
    }
  if (events != NULL && json_object_has_member (events, "count"))
    self->total = MAX ((guint) json_object_get_int_member (events, "count"), self->events->len);
  update_view (self);
  ask_accounts (self);
}

static JsonNode *
scope_variables (BoughActivityPage *self,
                 gboolean           paged)
{
  g_autoptr(JsonObject) variables = json_object_new ();
  const char *branch = bough_page_get_branch (BOUGH_PAGE (self));

  if (self->object != NULL)
    {
      const char *slash = strrchr (self->object, '/');
      JsonArray *nodes = json_array_new ();

      json_array_add_string_element (nodes, slash ? slash + 1 : self->object);
      json_object_set_array_member (variables, "nodes", nodes);
    }
  else if (branch != NULL)
    {
      JsonArray *branches = json_array_new ();

      json_array_add_string_element (branches, branch);
      json_object_set_array_member (variables, "branches", branches);
    }
  if (paged)
    {
      /* Viewing the past: the events up to then. */
      if (bough_page_get_at (BOUGH_PAGE (self)) != NULL)
        json_object_set_string_member (variables, "until", bough_page_get_at (BOUGH_PAGE (self)));
      json_object_set_int_member (variables, "limit", PAGE_SIZE);
      json_object_set_int_member (variables, "offset", self->events->len);
    }
  return json_node_init_object (json_node_alloc (), variables);
}

static void
set_live (BoughActivityPage *self,
          gboolean           live)
{
  self->live = live;
  gtk_widget_set_visible (self->live_icon, live);
}

static void
stop_live (BoughActivityPage *self)
{
  if (self->sub != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sub, self);
      bough_client_subscription_stop (self->sub);
      g_clear_object (&self->sub);
    }
  set_live (self, FALSE);
}

static void
sub_next_cb (BoughClientSubscription *sub,
             JsonNode                *payload,
             BoughActivityPage       *self)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (payload) ? json_node_get_object (payload) : NULL;
  JsonArray *events = bough_jarr (bough_jobj (object, "data"), "InfrahubEvent");
  guint before = self->events->len;

  /* Oldest first: each goes on top of the one before. */
  for (guint i = 0; events != NULL && i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (event != NULL)
        add_event (self, event, TRUE);
    }
  self->total += self->events->len - before;
  update_view (self);
  ask_accounts (self);
}

static void
sub_error_cb (BoughClientSubscription *sub,
              GError                  *error,
              BoughActivityPage       *self)
{
  g_debug ("event subscription failed: %s", error->message);
  g_signal_handlers_disconnect_by_data (sub, self);
  g_clear_object (&self->sub);
  set_live (self, FALSE);
}

static void
sub_active_cb (BoughClientSubscription *sub,
               GParamSpec              *pspec,
               BoughActivityPage       *self)
{
  if (!bough_client_subscription_get_active (sub))
    set_live (self, FALSE);
}

static void
update_scope (BoughActivityPage *self)
{
  const char *branch = bough_page_get_branch (BOUGH_PAGE (self));
  g_autofree char *text = NULL;

  if (self->object != NULL)
    text = g_strdup_printf (_("Events of the object %s"), self->object);
  else if (branch != NULL)
    text = g_strdup_printf (_("Events of the branch %s"), branch);
  else
    text = g_strdup (_("Events of every branch"));
  if (bough_page_get_at (BOUGH_PAGE (self)) != NULL)
    {
      g_autofree char *when = bough_format_time (bough_page_get_at (BOUGH_PAGE (self)));
      g_autofree char *until = g_strdup_printf (_("%s, until %s"), text, when);

      g_free (text);
      text = g_steal_pointer (&until);
    }
  gtk_label_set_text (self->scope_label, text);
  gtk_widget_set_visible (self->branch_scope_button, self->object != NULL);
  bough_page_set_subtitle (BOUGH_PAGE (self), self->object ? self->object : branch);
}

static void
bough_activity_page_reload (BoughPage    *page,
                            GCancellable *cancellable)
{
  BoughActivityPage *self = BOUGH_ACTIVITY_PAGE (page);
  BoughClient *client = bough_page_get_client (page);
  g_autoptr(JsonNode) live_variables = NULL;
  g_autoptr(JsonNode) variables = NULL;

  stop_live (self);
  clear_events (self);
  update_scope (self);
  self->loading_older = FALSE;
  update_view (self);

  /* Subscribe first: an event written meanwhile comes twice, not never. */
  if (bough_page_get_at (page) == NULL)
    {
      live_variables = scope_variables (self, FALSE);
      self->sub = bough_client_subscribe (client, NULL, events_subscription, live_variables);
      g_signal_connect (self->sub, "next", G_CALLBACK (sub_next_cb), self);
      g_signal_connect (self->sub, "error", G_CALLBACK (sub_error_cb), self);
      g_signal_connect (self->sub, "notify::active", G_CALLBACK (sub_active_cb), self);
      set_live (self, TRUE);
    }
  variables = scope_variables (self, TRUE);
  bough_page_set_loading (page, TRUE);
  bough_client_query_async (client, NULL, NULL, events_query, variables, cancellable,
                            events_loaded_cb, g_object_ref (self));
}

static void
bough_activity_page_navigate (BoughPage  *page,
                              const char *argument)
{
  BoughActivityPage *self = BOUGH_ACTIVITY_PAGE (page);

  if (g_strcmp0 (self->object, argument) == 0)
    return;
  g_free (self->object);
  self->object = g_strdup (argument);
  bough_page_queue_reload (page);
}

static void
branch_scope_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BoughActivityPage *self = BOUGH_ACTIVITY_PAGE (widget);

  g_clear_pointer (&self->object, g_free);
  bough_page_queue_reload (BOUGH_PAGE (self));
}

/**
 * bough_activity_page_load_older:
 * @self: a #BoughActivityPage
 *
 * Adds the next page of older events at the bottom.
 */
void
bough_activity_page_load_older (BoughActivityPage *self)
{
  BoughPage *page = BOUGH_PAGE (self);
  g_autoptr(JsonNode) variables = NULL;

  g_return_if_fail (BOUGH_IS_ACTIVITY_PAGE (self));

  if (bough_page_get_client (page) == NULL || self->loading_older ||
      bough_page_get_cancellable (page) == NULL || self->events->len >= self->total)
    return;
  self->loading_older = TRUE;
  update_view (self);
  variables = scope_variables (self, TRUE);
  bough_page_set_loading (page, TRUE);
  bough_client_query_async (bough_page_get_client (page), NULL, NULL, events_query, variables,
                            bough_page_get_cancellable (page), events_loaded_cb,
                            g_object_ref (self));
}

static void
older_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  bough_activity_page_load_older (BOUGH_ACTIVITY_PAGE (widget));
}

/* ---- GObject ---- */

static void
bough_activity_page_unmap (GtkWidget *widget)
{
  BoughActivityPage *self = BOUGH_ACTIVITY_PAGE (widget);
  gboolean was_live = self->sub != NULL;

  stop_live (self);
  GTK_WIDGET_CLASS (bough_activity_page_parent_class)->unmap (widget);
  if (was_live)
    bough_page_queue_reload (BOUGH_PAGE (self));
}

static void
bough_activity_page_dispose (GObject *object)
{
  BoughActivityPage *self = BOUGH_ACTIVITY_PAGE (object);

  stop_live (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOUGH_TYPE_ACTIVITY_PAGE);

  G_OBJECT_CLASS (bough_activity_page_parent_class)->dispose (object);
}

static void
bough_activity_page_finalize (GObject *object)
{
  BoughActivityPage *self = BOUGH_ACTIVITY_PAGE (object);

  g_ptr_array_unref (self->events);
  g_ptr_array_unref (self->titles);
  g_ptr_array_unref (self->rows);
  g_hash_table_unref (self->ids);
  g_hash_table_unref (self->accounts);
  g_hash_table_unref (self->asked);
  g_free (self->object);

  G_OBJECT_CLASS (bough_activity_page_parent_class)->finalize (object);
}

static void
bough_activity_page_class_init (BoughActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BoughPageClass *page_class = BOUGH_PAGE_CLASS (klass);

  object_class->dispose = bough_activity_page_dispose;
  object_class->finalize = bough_activity_page_finalize;
  widget_class->unmap = bough_activity_page_unmap;
  page_class->reload = bough_activity_page_reload;
  page_class->navigate = bough_activity_page_navigate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bough/Bough/bough-activity-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BoughActivityPage, scope_label);
  gtk_widget_class_bind_template_child (widget_class, BoughActivityPage, branch_scope_button);
  gtk_widget_class_bind_template_child (widget_class, BoughActivityPage, live_icon);
  gtk_widget_class_bind_template_child (widget_class, BoughActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BoughActivityPage, events_list);
  gtk_widget_class_bind_template_child (widget_class, BoughActivityPage, older_button);

  gtk_widget_class_install_action (widget_class, "activity.older", NULL, older_action);
  gtk_widget_class_install_action (widget_class, "activity.branch-scope", NULL,
                                   branch_scope_action);
}

static void
bough_activity_page_init (BoughActivityPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bough_page_set_title (BOUGH_PAGE (self), _("Activity"));
  bough_page_set_icon_name (BOUGH_PAGE (self), "document-open-recent-symbolic");

  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->titles = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_ptr_array_new ();
  self->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  set_live (self, FALSE);
  update_scope (self);
  update_view (self);
}

GtkWidget *
bough_activity_page_new (void)
{
  return g_object_new (BOUGH_TYPE_ACTIVITY_PAGE, NULL);
}

guint
bough_activity_page_get_n_events (BoughActivityPage *self)
{
  g_return_val_if_fail (BOUGH_IS_ACTIVITY_PAGE (self), 0);
  return self->events->len;
}

/**
 * bough_activity_page_get_event:
 * @self: a #BoughActivityPage
 * @index: an event shown, 0 being the newest
 *
 * Returns: (transfer none): the event as the server sent it
 */
JsonObject *
bough_activity_page_get_event (BoughActivityPage *self,
                               guint              index)
{
  g_return_val_if_fail (BOUGH_IS_ACTIVITY_PAGE (self), NULL);
  g_return_val_if_fail (index < self->events->len, NULL);
  return g_ptr_array_index (self->events, index);
}

const char *
bough_activity_page_get_event_title (BoughActivityPage *self,
                                     guint              index)
{
  g_return_val_if_fail (BOUGH_IS_ACTIVITY_PAGE (self), NULL);
  g_return_val_if_fail (index < self->titles->len, NULL);
  return g_ptr_array_index (self->titles, index);
}

/**
 * bough_activity_page_dup_event_subtitle:
 * @self: a #BoughActivityPage
 * @index: an event shown, 0 being the newest
 *
 * Returns: (transfer full): who, when and on which branch
 */
char *
bough_activity_page_dup_event_subtitle (BoughActivityPage *self,
                                        guint              index)
{
  g_return_val_if_fail (BOUGH_IS_ACTIVITY_PAGE (self), NULL);
  g_return_val_if_fail (index < self->events->len, NULL);
  return event_subtitle (self, g_ptr_array_index (self->events, index));
}

/**
 * bough_activity_page_get_total:
 * @self: a #BoughActivityPage
 *
 * Returns: how many events the server has for the scope shown
 */
guint
bough_activity_page_get_total (BoughActivityPage *self)
{
  g_return_val_if_fail (BOUGH_IS_ACTIVITY_PAGE (self), 0);
  return self->total;
}

gboolean
bough_activity_page_get_live (BoughActivityPage *self)
{
  g_return_val_if_fail (BOUGH_IS_ACTIVITY_PAGE (self), FALSE);
  return self->live;
}

/**
 * bough_activity_page_get_object:
 * @self: a #BoughActivityPage
 *
 * Returns: (nullable): `<kind>/<id>` of the object whose events are shown,
 *   %NULL for the branch's
 */
const char *
bough_activity_page_get_object (BoughActivityPage *self)
{
  g_return_val_if_fail (BOUGH_IS_ACTIVITY_PAGE (self), NULL);
  return self->object;
}
