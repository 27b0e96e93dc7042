/* bough-object-model.c: BoughObjectModel and BoughObjectItem: a kind's
 * objects, fetched a page at a time when the view first asks for an item
 * of the page.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-app"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-object-model.h"
#include "bough-object-query.h"

/* Page fetches in flight at once. A view scrolled fast asks for pages it
 * has already left: the oldest request is then cancelled (its rows fetch
 * again if they are shown again). */
#define MAX_PENDING_PAGES 3
#define DEFAULT_PAGE_SIZE 100

/* ---- BoughObjectItem ---- */

struct _BoughObjectItem
{
  GObject     parent_instance;

  JsonObject *node;
  JsonObject *metadata;  /* its edge's node_metadata, when asked */
};

G_DEFINE_FINAL_TYPE (BoughObjectItem, bough_object_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_LOADED,
  ITEM_PROP_ID,
  ITEM_PROP_DISPLAY_LABEL,
  N_ITEM_PROPS
};

static GParamSpec *item_properties[N_ITEM_PROPS];

static void
bough_object_item_finalize (GObject *object)
{
  BoughObjectItem *self = BOUGH_OBJECT_ITEM (object);

  g_clear_pointer (&self->node, json_object_unref);
  g_clear_pointer (&self->metadata, json_object_unref);
  G_OBJECT_CLASS (bough_object_item_parent_class)->finalize (object);
}

static void
bough_object_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BoughObjectItem *self = BOUGH_OBJECT_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_LOADED:
      g_value_set_boolean (value, bough_object_item_get_loaded (self));
      break;
    case ITEM_PROP_ID:
      g_value_set_string (value, bough_object_item_get_id (self));
      break;
    case ITEM_PROP_DISPLAY_LABEL:
      g_value_set_string (value, bough_object_item_get_display_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_object_item_class_init (BoughObjectItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bough_object_item_finalize;
  object_class->get_property = bough_object_item_get_property;

  item_properties[ITEM_PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_DISPLAY_LABEL] =
    g_param_spec_string ("display-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ITEM_PROPS, item_properties);
}

static void
bough_object_item_init (BoughObjectItem *self)
{
}

/**
 * bough_object_item_new:
 * @node: (nullable): the object as the server returned it, %NULL for a
 *   placeholder
 *
 * Returns: (transfer full): a new item
 */
BoughObjectItem *
bough_object_item_new (JsonObject *node)
{
  BoughObjectItem *self = g_object_new (BOUGH_TYPE_OBJECT_ITEM, NULL);

  if (node != NULL)
    self->node = json_object_ref (node);
  return self;
}

gboolean
bough_object_item_get_loaded (BoughObjectItem *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_ITEM (self), FALSE);

  return self->node != NULL;
}

static const char *
item_string (BoughObjectItem *self,
             const char      *member)
{
  JsonNode *node;

  if (self->node == NULL)
    return NULL;
  node = json_object_get_member (self->node, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

const char *
bough_object_item_get_id (BoughObjectItem *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_ITEM (self), NULL);

  return item_string (self, "id");
}

/* The object's concrete kind (its GraphQL type name). */
const char *
bough_object_item_get_kind (BoughObjectItem *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_ITEM (self), NULL);

  return item_string (self, "__typename");
}

const char *
bough_object_item_get_display_label (BoughObjectItem *self)
{
  const char *label;

  g_return_val_if_fail (BOUGH_IS_OBJECT_ITEM (self), NULL);

  label = item_string (self, "display_label");
  return label != NULL ? label : item_string (self, "id");
}

/**
 * bough_object_item_get_node:
 * @self: a #BoughObjectItem
 *
 * Returns: (transfer none) (nullable): the object's JSON, %NULL while a
 *   placeholder
 */
JsonObject *
bough_object_item_get_node (BoughObjectItem *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_ITEM (self), NULL);

  return self->node;
}

/**
 * bough_object_item_get_metadata:
 * @self: a #BoughObjectItem
 *
 * Returns: (transfer none) (nullable): the object's `node_metadata`
 *   (`created_at`, `updated_at`), %NULL while a placeholder or when the
 *   server has none
 */
JsonObject *
bough_object_item_get_metadata (BoughObjectItem *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_ITEM (self), NULL);

  return self->metadata;
}

/* ---- BoughObjectModel ---- */

typedef struct
{
  GPtrArray *items;   /* of BoughObjectItem */
  gboolean   loaded;
} Page;

typedef struct
{
  BoughObjectModel *model;        /* unowned */
  guint             page;
  guint             generation;
  gboolean          with_metadata;
  GCancellable     *cancellable;
} Fetch;

struct _BoughObjectModel
{
  GObject           parent_instance;

  BoughClient      *client;
  BoughSchema      *schema;
  BoughNodeSchema  *ns;
  char             *kind;
  char             *branch;
  char             *at;
  char             *search;
  JsonObject       *filters;
  GArray           *order;          /* of BoughObjectOrder, fields owned */
  gboolean          no_metadata;    /* the server refused node_metadata once */
  gboolean          started;        /* reloaded at least once */
  guint             page_size;

  guint             n_items;
  GHashTable       *pages;          /* page number → Page */
  GHashTable       *pending;        /* page number → Fetch (owned by its request) */
  GQueue            pending_order;  /* page numbers, oldest request first */
  guint             generation;
  gboolean          loading;
  GError           *error;
  guint             pages_fetched;
  guint             pages_cancelled;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BoughObjectModel, bough_object_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_COUNT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
order_clear (gpointer data)
{
  BoughObjectOrder *key = data;

  g_free ((char *) key->field);
}

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->cancellable);
  g_free (fetch);
}

static void
set_loading (BoughObjectModel *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Drops the pending request of @page; the Fetch itself is freed by its
 * callback. */
static void
forget_pending (BoughObjectModel *self,
                guint             page)
{
  g_hash_table_remove (self->pending, GUINT_TO_POINTER (page));
  g_queue_remove (&self->pending_order, GUINT_TO_POINTER (page));
}

static void
cancel_all (BoughObjectModel *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Fetch *fetch = value;

      g_cancellable_cancel (fetch->cancellable);
      self->pages_cancelled++;
    }
  g_hash_table_remove_all (self->pending);
  g_queue_clear (&self->pending_order);
}

static void fetch_page (BoughObjectModel *self,
                        guint             page);

/* Whether the order sorts by the metadata, which a server refusing
 * node_metadata cannot do either: then its error is the user's to see. */
static gboolean
order_uses_metadata (BoughObjectModel *self)
{
  for (guint i = 0; i < self->order->len; i++)
    {
      BoughObjectOrder *key = &g_array_index (self->order, BoughObjectOrder, i);

      if (g_str_has_prefix (key->field, "node_metadata__"))
        return TRUE;
    }
  return FALSE;
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;
  BoughObjectModel *self = fetch->model;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *list = NULL;
  JsonNode *node;
  Page *page;
  guint first;
  guint old_n;

  data = bough_client_query_finish (BOUGH_CLIENT (source), result, &errors, &error);
  if (g_cancellable_is_cancelled (fetch->cancellable) || fetch->generation != self->generation)
    {
      fetch_free (fetch);
      return;
    }
  forget_pending (self, fetch->page);
  if (data == NULL && fetch->with_metadata &&
      g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_INVALID) &&
      strstr (error->message, "node_metadata") != NULL &&
      !order_uses_metadata (self))
    {
      /* a server older than node_metadata: ask again without it (each
       * page that asked for it) */
      self->no_metadata = TRUE;
      fetch_page (self, fetch->page);
      fetch_free (fetch);
      return;
    }
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    {
      node = json_object_get_member (json_node_get_object (data), self->kind);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        list = json_node_get_object (node);
    }
  if (list == NULL)
    {
      if (error == NULL)
        error = g_error_new (BOUGH_ERROR, BOUGH_ERROR_INVALID,
                             "The server's answer holds no list of %s", self->kind);
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
      if (fetch->page == 0)
        set_loading (self, FALSE);
      g_signal_emit (self, signals[FAILED], 0, error);
      fetch_free (fetch);
      return;
    }

  self->pages_fetched++;
  g_clear_error (&self->error);
  old_n = self->n_items;
  if (json_object_has_member (list, "count"))
    {
      /* the first page of a (re)load gives the model its length */
      gint64 count = json_object_get_int_member (list, "count");

      self->n_items = (guint) CLAMP (count, 0, G_MAXUINT);
    }

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (fetch->page));
  if (page == NULL)
    {
      page = g_new0 (Page, 1);
      page->items = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (fetch->page), page);
    }
  first = fetch->page * self->page_size;
  node = json_object_get_member (list, "edges");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *edges = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (edges) && i < self->page_size; i++)
        {
          JsonObject *edge = json_array_get_object_element (edges, i);
          JsonNode *object = edge ? json_object_get_member (edge, "node") : NULL;
          JsonNode *metadata = edge ? json_object_get_member (edge, "node_metadata") : NULL;
          BoughObjectItem *item;

          if (object == NULL || !JSON_NODE_HOLDS_OBJECT (object))
            continue;
          item = bough_object_item_new (json_node_get_object (object));
          if (metadata != NULL && JSON_NODE_HOLDS_OBJECT (metadata))
            item->metadata = json_object_ref (json_node_get_object (metadata));
          if (i < page->items->len)
            {
              g_object_unref (g_ptr_array_index (page->items, i));
              g_ptr_array_index (page->items, i) = item;
            }
          else
            g_ptr_array_add (page->items, item);
        }
    }
  page->loaded = TRUE;

  if (fetch->page == 0 && old_n != self->n_items)
    {
      /* the length arrives with the first page: announce it all at once */
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
  else if (first < self->n_items)
    {
      guint n = MIN (page->items->len, self->n_items - first);

      g_list_model_items_changed (G_LIST_MODEL (self), first, n, n);
    }
  if (fetch->page == 0)
    set_loading (self, FALSE);
  fetch_free (fetch);
}

static void
fetch_page (BoughObjectModel *self,
            guint             page)
{
  BoughObjectListQuery list = { 0 };
  g_autofree char *query = NULL;
  Fetch *fetch;

  if (g_hash_table_contains (self->pending, GUINT_TO_POINTER (page)))
    return;
  while (g_queue_get_length (&self->pending_order) >= MAX_PENDING_PAGES)
    {
      guint oldest = GPOINTER_TO_UINT (g_queue_peek_head (&self->pending_order));
      Fetch *old = g_hash_table_lookup (self->pending, GUINT_TO_POINTER (oldest));

      /* page 0 carries the count: never drop it */
      if (oldest == 0)
        {
          g_queue_pop_head (&self->pending_order);
          g_queue_push_tail (&self->pending_order, GUINT_TO_POINTER (0));
          continue;
        }
      g_cancellable_cancel (old->cancellable);
      self->pages_cancelled++;
      forget_pending (self, oldest);
    }

  list.filters = self->filters;
  list.search = self->search;
  list.order = (const BoughObjectOrder *) (gpointer) self->order->data;
  list.n_order = self->order->len;
  list.with_metadata = !self->no_metadata;
  list.offset = (gint64) page * self->page_size;
  list.limit = self->page_size;
  list.with_count = page == 0;
  query = bough_object_query_list (self->ns, &list);

  fetch = g_new0 (Fetch, 1);
  /* no reference: disposing the model cancels its fetches, and a
   * cancelled fetch's callback never looks at the model */
  fetch->model = self;
  fetch->page = page;
  fetch->generation = self->generation;
  fetch->with_metadata = list.with_metadata;
  fetch->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->pending, GUINT_TO_POINTER (page), fetch);
  g_queue_push_tail (&self->pending_order, GUINT_TO_POINTER (page));
  bough_client_query_async (self->client, self->branch, self->at, query, NULL,
                            fetch->cancellable, fetch_done_cb, fetch);
}

static GType
bough_object_model_get_item_type (GListModel *model)
{
  return BOUGH_TYPE_OBJECT_ITEM;
}

static guint
bough_object_model_get_n_items (GListModel *model)
{
  return BOUGH_OBJECT_MODEL (model)->n_items;
}

static gpointer
bough_object_model_get_item (GListModel *model,
                             guint       position)
{
  BoughObjectModel *self = BOUGH_OBJECT_MODEL (model);
  guint number = position / self->page_size;
  guint index = position % self->page_size;
  Page *page;

  if (position >= self->n_items)
    return NULL;
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (number));
  if (page == NULL)
    {
      page = g_new0 (Page, 1);
      page->items = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (number), page);
    }
  if (!page->loaded)
    fetch_page (self, number);
  while (page->items->len <= index)
    g_ptr_array_add (page->items, bough_object_item_new (NULL));
  return g_object_ref (g_ptr_array_index (page->items, index));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = bough_object_model_get_item_type;
  iface->get_n_items = bough_object_model_get_n_items;
  iface->get_item = bough_object_model_get_item;
}

static void
bough_object_model_dispose (GObject *object)
{
  BoughObjectModel *self = BOUGH_OBJECT_MODEL (object);

  cancel_all (self);
  G_OBJECT_CLASS (bough_object_model_parent_class)->dispose (object);
}

static void
bough_object_model_finalize (GObject *object)
{
  BoughObjectModel *self = BOUGH_OBJECT_MODEL (object);

  g_clear_object (&self->client);
  g_clear_pointer (&self->schema, bough_schema_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->branch, g_free);
  g_clear_pointer (&self->at, g_free);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->filters, json_object_unref);
  g_clear_pointer (&self->order, g_array_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (bough_object_model_parent_class)->finalize (object);
}

static void
bough_object_model_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BoughObjectModel *self = BOUGH_OBJECT_MODEL (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bough_object_model_class_init (BoughObjectModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bough_object_model_dispose;
  object_class->finalize = bough_object_model_finalize;
  object_class->get_property = bough_object_model_get_property;

  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BoughObjectModel::failed:
   * @error: what went wrong
   *
   * A page could not be fetched (cancellation is silent).
   */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
bough_object_model_init (BoughObjectModel *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;
  self->filters = json_object_new ();
  self->order = g_array_new (FALSE, FALSE, sizeof (BoughObjectOrder));
  g_array_set_clear_func (self->order, order_clear);
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
  self->pending = g_hash_table_new_full (NULL, NULL, NULL, NULL);
  g_queue_init (&self->pending_order);
}

/**
 * bough_object_model_new:
 * @client: the API client
 * @schema: the schema of the branch shown
 * @kind: a node or generic kind of @schema
 *
 * A model of @kind's objects; empty until bough_object_model_reload().
 *
 * Returns: (transfer full) (nullable): the model, %NULL if @schema has no @kind
 */
BoughObjectModel *
bough_object_model_new (BoughClient *client,
                        BoughSchema *schema,
                        const char  *kind)
{
  BoughObjectModel *self;
  BoughNodeSchema *ns;

  g_return_val_if_fail (BOUGH_IS_CLIENT (client), NULL);
  g_return_val_if_fail (schema != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  ns = bough_schema_lookup (schema, kind);
  if (ns == NULL)
    return NULL;
  self = g_object_new (BOUGH_TYPE_OBJECT_MODEL, NULL);
  self->client = g_object_ref (client);
  self->schema = bough_schema_ref (schema);
  self->ns = ns;
  self->kind = g_strdup (kind);
  return self;
}

BoughSchema *
bough_object_model_get_schema (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), NULL);

  return self->schema;
}

const char *
bough_object_model_get_kind (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), NULL);

  return self->kind;
}

/* Setters change what the next bough_object_model_reload() asks. */
void
bough_object_model_set_branch (BoughObjectModel *self,
                               const char       *branch)
{
  g_return_if_fail (BOUGH_IS_OBJECT_MODEL (self));

  g_free (self->branch);
  self->branch = g_strdup (branch);
}

void
bough_object_model_set_at (BoughObjectModel *self,
                           const char       *at)
{
  g_return_if_fail (BOUGH_IS_OBJECT_MODEL (self));

  g_free (self->at);
  self->at = g_strdup (at);
}

void
bough_object_model_set_search (BoughObjectModel *self,
                               const char       *search)
{
  g_return_if_fail (BOUGH_IS_OBJECT_MODEL (self));

  g_free (self->search);
  self->search = (search != NULL && search[0] != '\0') ? g_strdup (search) : NULL;
}

/**
 * bough_object_model_set_filter:
 * @self: a #BoughObjectModel
 * @argument: a filter argument of the kind's query (`name__value`, ...)
 * @value: (nullable): its value, %NULL to drop the filter
 */
void
bough_object_model_set_filter (BoughObjectModel *self,
                               const char       *argument,
                               JsonNode         *value)
{
  g_return_if_fail (BOUGH_IS_OBJECT_MODEL (self));
  g_return_if_fail (argument != NULL);

  if (value == NULL)
    json_object_remove_member (self->filters, argument);
  else
    json_object_set_member (self->filters, argument, json_node_copy (value));
}

void
bough_object_model_clear_filters (BoughObjectModel *self)
{
  g_return_if_fail (BOUGH_IS_OBJECT_MODEL (self));

  json_object_unref (self->filters);
  self->filters = json_object_new ();
}

static gboolean
order_equal (BoughObjectModel       *self,
             const BoughObjectOrder *order,
             guint                   n_order)
{
  if (self->order->len != n_order)
    return FALSE;
  for (guint i = 0; i < n_order; i++)
    {
      BoughObjectOrder *key = &g_array_index (self->order, BoughObjectOrder, i);

      if (g_strcmp0 (key->field, order[i].field) != 0 ||
          !key->descending != !order[i].descending)
        return FALSE;
    }
  return TRUE;
}

/**
 * bough_object_model_set_order:
 * @self: a #BoughObjectModel
 * @order: (array length=n_order) (nullable): the keys the server sorts by,
 *   ties by id; none for the schema's order_by
 * @n_order: the number of keys
 *
 * Sets the order the server sorts the objects in. A change drops the
 * pages and reloads (the fetches under way are cancelled) once the model
 * has been loaded; before, the first bough_object_model_reload() uses it.
 */
void
bough_object_model_set_order (BoughObjectModel       *self,
                              const BoughObjectOrder *order,
                              guint                   n_order)
{
  g_return_if_fail (BOUGH_IS_OBJECT_MODEL (self));
  g_return_if_fail (n_order == 0 || order != NULL);
  for (guint i = 0; i < n_order; i++)
    g_return_if_fail (order[i].field != NULL);

  if (order_equal (self, order, n_order))
    return;
  g_array_set_size (self->order, 0);
  for (guint i = 0; i < n_order; i++)
    {
      BoughObjectOrder key = { g_strdup (order[i].field), !!order[i].descending };

      g_array_append_val (self->order, key);
    }
  if (self->started)
    bough_object_model_reload (self);
}

guint
bough_object_model_get_n_order (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), 0);

  return self->order->len;
}

/**
 * bough_object_model_get_order:
 * @self: a #BoughObjectModel
 * @index: a key below bough_object_model_get_n_order()
 *
 * Returns: (transfer none): the order's key @index
 */
const BoughObjectOrder *
bough_object_model_get_order (BoughObjectModel *self,
                              guint             index)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), NULL);
  g_return_val_if_fail (index < self->order->len, NULL);

  return &g_array_index (self->order, BoughObjectOrder, index);
}

/**
 * bough_object_model_get_has_metadata:
 * @self: a #BoughObjectModel
 *
 * Returns: %FALSE once the server refused `node_metadata` (then items
 *   have no metadata)
 */
gboolean
bough_object_model_get_has_metadata (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), FALSE);

  return !self->no_metadata;
}

guint
bough_object_model_get_page_size (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), 0);

  return self->page_size;
}

void
bough_object_model_set_page_size (BoughObjectModel *self,
                                  guint             page_size)
{
  g_return_if_fail (BOUGH_IS_OBJECT_MODEL (self));
  g_return_if_fail (page_size > 0);

  self->page_size = page_size;
}

/**
 * bough_object_model_reload:
 * @self: a #BoughObjectModel
 *
 * Cancels every fetch in flight, empties the model and fetches the first
 * page with the count; the model takes its length when it arrives.
 */
void
bough_object_model_reload (BoughObjectModel *self)
{
  guint old_n;

  g_return_if_fail (BOUGH_IS_OBJECT_MODEL (self));

  self->started = TRUE;
  self->generation++;
  cancel_all (self);
  g_hash_table_remove_all (self->pages);
  old_n = self->n_items;
  self->n_items = 0;
  if (old_n > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
  set_loading (self, TRUE);
  fetch_page (self, 0);
}

gboolean
bough_object_model_get_loading (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), FALSE);

  return self->loading;
}

guint
bough_object_model_get_count (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), 0);

  return self->n_items;
}

/* Pages received since the model was made (tests check that a list
 * fetches only what is looked at). */
guint
bough_object_model_get_pages_fetched (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), 0);

  return self->pages_fetched;
}

guint
bough_object_model_get_pages_cancelled (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), 0);

  return self->pages_cancelled;
}

/**
 * bough_object_model_get_error:
 * @self: a #BoughObjectModel
 *
 * Returns: (nullable): why the last fetch failed, %NULL after a success
 */
const GError *
bough_object_model_get_error (BoughObjectModel *self)
{
  g_return_val_if_fail (BOUGH_IS_OBJECT_MODEL (self), NULL);

  return self->error;
}
