/* test-objects.c: the object views in the real window against a live
 * server holding thousands of objects: a kind's list (paging, search,
 * filter, sorting by a column on the server), an object's page and the jump to a peer, the creation
 * form (required fields, a regex, a uniqueness violation reported by the
 * server at its field), editing, deleting, and search anywhere. Saves
 * screenshots of the list, the detail page and the form.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-objects"

#include "config.h"

#include "bough-objects-private.h"
#include "bough-peer-chooser.h"
#include "bough-window-private.h"
#include "objects-test-common.h"
#include "ui-test-common.h"

#define N_WIDGETS 3000
#define N_SITES   3

typedef struct
{
  TestServer   server;
  BoughClient *client;
  GPtrArray   *site_ids;
  char        *before_data;
  BoughWindow *window;
} Fixture;

static gboolean set_up_n (Fixture *f,
                          guint    n_widgets);

static gboolean
set_up (Fixture *f)
{
  return set_up_n (f, N_WIDGETS);
}

static gboolean
set_up_n (Fixture *f,
          guint    n_widgets)
{
  g_autoptr(JsonNode) tags = NULL;
  g_autoptr(JsonNode) tagged = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autofree char *update = NULL;
  JsonObject *widget;

  memset (f, 0, sizeof *f);
  if (!test_server_start (&f->server, NULL))
    return FALSE;
  f->client = bough_client_new (f->server.url);
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  objects_load_schema (f->client);
  {
    g_autoptr(GDateTime) now = NULL;

    /* a time after the schema, before the data */
    g_usleep (20000);
    now = g_date_time_new_now_utc ();
    f->before_data = g_date_time_format_iso8601 (now);
    g_usleep (20000);
  }
  f->site_ids = objects_load_data (f->client, N_SITES, n_widgets);

  /* w00000 has two tags: a many relationship on its page */
  tags = objects_query (f->client, "mutation {"
                        " t1: BuiltinTagCreate(data: {name: {value: \"red\"}}) { object { id } }"
                        " t2: BuiltinTagCreate(data: {name: {value: \"blue\"}}) { object { id } }"
                        " }", NULL);
  found = objects_query (f->client, "{ TestingWidget(name__value: \"w00000\") {"
                         " edges { node { id } } } }", NULL);
  widget = objects_first_node (found, "TestingWidget");
  update = g_strdup_printf ("mutation { TestingWidgetUpdate(data: {id: \"%s\","
                            " tags: [{id: \"%s\"}, {id: \"%s\"}]}) { ok } }",
                            json_object_get_string_member (widget, "id"),
                            objects_made_id (tags, "t1"), objects_made_id (tags, "t2"));
  tagged = objects_query (f->client, update, NULL);

  f->window = ui_open_window (&f->server);
  return TRUE;
}

static void
tear_down (Fixture *f)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_pointer (&f->site_ids, g_ptr_array_unref);
  g_clear_pointer (&f->before_data, g_free);
  g_clear_object (&f->client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  test_server_stop (&f->server);
}

static BoughObjectsPage *
objects_page (Fixture *f)
{
  return BOUGH_OBJECTS_PAGE (bough_window_get_page (f->window, "objects"));
}

static BoughObjectPage *
object_page (Fixture *f)
{
  return BOUGH_OBJECT_PAGE (bough_window_get_page (f->window, "object"));
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (_bough_window_get_pages_stack (f->window));
}

typedef struct
{
  Fixture    *f;
  guint       count;
  const char *text;
} Want;

static gboolean
list_ready_cb (gpointer data)
{
  Want *want = data;
  BoughObjectModel *model = _bough_objects_page_get_model (objects_page (want->f));

  return model != NULL && !bough_object_model_get_loading (model) &&
         bough_object_model_get_count (model) == want->count &&
         !bough_page_get_loading (BOUGH_PAGE (objects_page (want->f)));
}

static void
wait_list (Fixture *f,
           guint    count)
{
  Want want = { f, count, NULL };

  ui_wait_until (list_ready_cb, &want);
}

static void
open_widgets (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-kind", "s",
                                             "TestingWidget"));
  g_assert_cmpstr (visible_page (f), ==, "objects");
  g_assert_cmpstr (bough_objects_page_get_kind (objects_page (f)), ==, "TestingWidget");
  wait_list (f, N_WIDGETS);
}

static gboolean
object_shown_cb (gpointer data)
{
  Want *want = data;
  BoughObjectPage *page = object_page (want->f);

  return g_strcmp0 (visible_page (want->f), "object") == 0 && _bough_object_page_is_shown (page) &&
         g_strcmp0 (_bough_object_page_get_title (page), want->text) == 0;
}

static void
wait_object (Fixture    *f,
             const char *title)
{
  Want want = { f, 0, title };

  ui_wait_until (object_shown_cb, &want);
}

static gboolean
item_loaded_cb (gpointer data)
{
  Want *want = data;
  GListModel *model = G_LIST_MODEL (_bough_objects_page_get_model (objects_page (want->f)));
  g_autoptr(BoughObjectItem) item = g_list_model_get_item (model, want->count);

  return item != NULL && bough_object_item_get_loaded (item);
}

/* Chooses @title in the "Sort by" dropdown, as the keyboard does. */
static void
select_sort (BoughObjectsPage *page,
             const char       *title)
{
  GtkDropDown *dropdown = _bough_objects_page_get_order_dropdown (page);
  GListModel *choices = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (choices); i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (choices), i), title) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static const char *
selected_sort (BoughObjectsPage *page)
{
  GObject *item = gtk_drop_down_get_selected_item (_bough_objects_page_get_order_dropdown (page));

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static void
test_objects_list (void)
{
  Fixture f;
  BoughObjectsPage *page;
  BoughObjectModel *model;
  GtkColumnView *view;
  GtkAdjustment *adjustment;
  Want last = { &f, N_WIDGETS - 1, NULL };
  g_autoptr(BoughObjectItem) item = NULL;
  guint fetched;

  if (!set_up (&f))
    return;
  open_widgets (&f);
  page = objects_page (&f);
  model = _bough_objects_page_get_model (page);
  view = _bough_objects_page_get_column_view (page);

  /* a label column, the six attributes, the site, created and updated */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_column_view_get_columns (view)), ==, 10);
  ui_screenshot (GTK_WIDGET (f.window), "objects-list");

  /* only the pages around the rows shown are fetched, of 30 */
  fetched = bough_object_model_get_pages_fetched (model);
  g_assert_cmpuint (fetched, <=, 4);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  ui_spin (100);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  /* scrolling to the end fetches the last pages, not the ones between */
  ui_wait_until (item_loaded_cb, &last);
  item = g_list_model_get_item (G_LIST_MODEL (model), N_WIDGETS - 1);
  g_assert_cmpstr (bough_object_item_get_display_label (item), ==, "w02999");
  /* the view may ask for rows on its way down, but nowhere near all 30 pages */
  g_assert_cmpuint (bough_object_model_get_pages_fetched (model), <=, fetched + 10);
  ui_screenshot (GTK_WIDGET (f.window), "objects-list-end");

  /* search: the kind's default filter, substrings */
  gtk_editable_set_text (GTK_EDITABLE (_bough_objects_page_get_search_entry (page)), "w0001");
  wait_list (&f, 10);
  gtk_editable_set_text (GTK_EDITABLE (_bough_objects_page_get_search_entry (page)), "");
  wait_list (&f, N_WIDGETS);

  /* filter by an attribute: "enabled" is the fourth listed */
  gtk_drop_down_set_selected (_bough_objects_page_get_filter_attribute (page), 4);
  gtk_editable_set_text (GTK_EDITABLE (_bough_objects_page_get_filter_value (page)), "true");
  g_signal_emit_by_name (_bough_objects_page_get_filter_value (page), "activate");
  wait_list (&f, N_WIDGETS / 2);
  /* a value the attribute cannot take is refused at the entry */
  gtk_editable_set_text (GTK_EDITABLE (_bough_objects_page_get_filter_value (page)), "maybe");
  g_signal_emit_by_name (_bough_objects_page_get_filter_value (page), "activate");
  wait_list (&f, N_WIDGETS);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_bough_objects_page_get_filter_value (page)),
                                           "error"));
  /* filter by a peer: the site's name, the last choice */
  gtk_drop_down_set_selected (_bough_objects_page_get_filter_attribute (page), 7);
  gtk_editable_set_text (GTK_EDITABLE (_bough_objects_page_get_filter_value (page)), "site-1");
  g_signal_emit_by_name (_bough_objects_page_get_filter_value (page), "activate");
  wait_list (&f, N_WIDGETS / N_SITES);
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (_bough_objects_page_get_model (page)), 0);
  g_assert_cmpstr (bough_object_item_get_display_label (item), ==, "w00001");
  gtk_editable_set_text (GTK_EDITABLE (_bough_objects_page_get_filter_value (page)), "");
  gtk_drop_down_set_selected (_bough_objects_page_get_filter_attribute (page), 0);
  wait_list (&f, N_WIDGETS);

  /* creation order: the widgets were made from the last name down */
  select_sort (page, "Created");
  wait_list (&f, N_WIDGETS);
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (_bough_objects_page_get_model (page)), 0);
  g_assert_cmpstr (bough_object_item_get_display_label (item), ==, "w02999");
  gtk_drop_down_set_selected (_bough_objects_page_get_order_dropdown (page), 0);
  wait_list (&f, N_WIDGETS);
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (_bough_objects_page_get_model (page)), 0);
  g_assert_cmpstr (bough_object_item_get_display_label (item), ==, "w00000");

  tear_down (&f);
}

/* Sorts by the column titled @title, as a click on its header does (a
 * first click sorts ascending, the next one descending). */
static void
sort_column (BoughObjectsPage *page,
             const char       *title,
             GtkSortType       direction)
{
  GtkColumnViewColumn *column = _bough_objects_page_find_column (page, title);

  g_assert_nonnull (column);
  g_assert_nonnull (gtk_column_view_column_get_sorter (column));
  gtk_column_view_sort_by_column (_bough_objects_page_get_column_view (page), column, direction);
}

/* The item at @position once its page has arrived. */
static BoughObjectItem *
loaded_item (Fixture *f,
             guint    position)
{
  Want want = { f, position, NULL };

  ui_wait_until (item_loaded_cb, &want);
  return g_list_model_get_item (G_LIST_MODEL (_bough_objects_page_get_model (objects_page (f))),
                                position);
}

static char *
label_at (Fixture *f,
          guint    position)
{
  g_autoptr(BoughObjectItem) item = loaded_item (f, position);

  return g_strdup (bough_object_item_get_display_label (item));
}

static char *
site_at (Fixture *f,
         guint    position)
{
  g_autoptr(BoughObjectItem) item = loaded_item (f, position);
  JsonObject *site = json_object_get_object_member (bough_object_item_get_node (item), "site");

  return g_strdup (bough_object_get_string (json_object_get_object_member (site, "node"),
                                            "display_label"));
}

static void
assert_label_at (Fixture    *f,
                 guint       position,
                 const char *expected)
{
  g_autofree char *label = label_at (f, position);

  g_assert_cmpstr (label, ==, expected);
}

static void
assert_site_at (Fixture    *f,
                guint       position,
                const char *expected)
{
  g_autofree char *site = site_at (f, position);

  g_assert_cmpstr (site, ==, expected);
}

/* The sort arrows the column view's headers show. */
static guint
count_arrows (GtkWidget *widget)
{
  guint n = 0;

  /* GTK 4.8 draws them as a sort-indicator node of that class */
  if (gtk_widget_has_css_class (widget, "ascending") ||
      gtk_widget_has_css_class (widget, "descending"))
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_arrows (child);
  return n;
}

static void
assert_order (Fixture    *f,
              const char *field,
              gboolean    descending)
{
  GtkWidget *view = GTK_WIDGET (_bough_objects_page_get_column_view (objects_page (f)));

  BoughObjectModel *model = _bough_objects_page_get_model (objects_page (f));
  GtkSorter *view_sorter = gtk_column_view_get_sorter (_bough_objects_page_get_column_view (
    objects_page (f)));

  if (field == NULL)
    {
      g_assert_cmpuint (bough_object_model_get_n_order (model), ==, 0);
      /* no header shows a sort */
      g_assert_cmpint (gtk_sorter_get_order (view_sorter), ==, GTK_SORTER_ORDER_NONE);
      g_assert_cmpuint (count_arrows (view), ==, 0);
      g_assert_cmpuint (gtk_drop_down_get_selected (_bough_objects_page_get_order_dropdown (
        objects_page (f))), ==, 0);
      return;
    }
  g_assert_cmpuint (bough_object_model_get_n_order (model), ==, 1);
  g_assert_cmpstr (bough_object_model_get_order (model, 0)->field, ==, field);
  g_assert_cmpint (bough_object_model_get_order (model, 0)->descending, ==, descending);
  g_assert_cmpint (gtk_sorter_get_order (view_sorter), !=, GTK_SORTER_ORDER_NONE);
  /* one header shows the sort */
  g_assert_cmpuint (count_arrows (view), ==, 1);
  g_assert_cmpint (gtk_toggle_button_get_active (_bough_objects_page_get_order_descending (
    objects_page (f))), ==, descending);
}

typedef struct
{
  const char *name;
  guint       size;
} Sized;

static int
size_descending (gconstpointer a,
                 gconstpointer b)
{
  const Sized *x = a;
  const Sized *y = b;

  return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

typedef struct
{
  Fixture          *f;
  BoughObjectModel *old;
} Replaced;

/* The page reloaded: a new model took the old one's place. */
static gboolean
new_model_cb (gpointer data)
{
  Replaced *replaced = data;
  BoughObjectModel *model = _bough_objects_page_get_model (objects_page (replaced->f));

  return model != NULL && model != replaced->old;
}

static gboolean
list_failed_cb (gpointer data)
{
  BoughObjectModel *model = _bough_objects_page_get_model (objects_page (data));

  return !bough_object_model_get_loading (model) && bough_object_model_get_error (model) != NULL &&
         !bough_page_get_loading (BOUGH_PAGE (objects_page (data)));
}

static void
test_objects_sort (void)
{
  Fixture f;
  BoughObjectsPage *page;
  BoughObjectModel *model;
  GtkAdjustment *adjustment;
  g_autoptr(JsonNode) made = NULL;
  g_autofree char *query = NULL;
  g_autofree Sized *expected = NULL;
  guint n = N_WIDGETS + 1;
  Replaced replaced = { &f, NULL };

  if (!set_up (&f))
    return;
  /* the newest widget: first by name, largest, on site-1 */
  query = g_strdup_printf ("mutation { TestingWidgetCreate(data: {name: {value: \"m-newest\"},"
                           " size: {value: 5000}, site: {id: \"%s\"}}) { ok } }",
                           (char *) g_ptr_array_index (f.site_ids, 1));
  made = objects_query (f.client, query, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.open-kind", "s",
                                             "TestingWidget"));
  wait_list (&f, n);
  page = objects_page (&f);

  /* the schema's order (by name) until a column is sorted */
  assert_order (&f, NULL, FALSE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_bough_objects_page_get_order_descending (
    page))));
  assert_label_at (&f, 0, "m-newest");
  assert_label_at (&f, 1, "w00000");
  /* a column the server cannot sort (a many relationship has none) */
  g_assert_null (_bough_objects_page_find_column (page, "Tags"));

  /* an attribute: ascending, then descending */
  sort_column (page, "Size", GTK_SORT_ASCENDING);
  wait_list (&f, n);
  assert_order (&f, "size__value", FALSE);
  assert_label_at (&f, 0, "w00000");
  assert_label_at (&f, 1, "w00001");
  sort_column (page, "Size", GTK_SORT_DESCENDING);
  wait_list (&f, n);
  assert_order (&f, "size__value", TRUE);
  assert_label_at (&f, 0, "m-newest");
  assert_label_at (&f, 1, "w02999");

  /* deep in the list: scrolled to the end, the smallest */
  model = _bough_objects_page_get_model (page);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (
    _bough_objects_page_get_column_view (page)));
  ui_spin (100);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  assert_label_at (&f, n - 1, "w00000");
  assert_label_at (&f, n / 2, "w01500");
  /* every page in sorted order: none skipped, none repeated */
  expected = g_new0 (Sized, n);
  for (guint i = 0; i < N_WIDGETS; i++)
    {
      g_autofree char *name = g_strdup_printf ("w%05u", i);

      expected[i].name = g_intern_string (name);
      expected[i].size = i;
    }
  expected[N_WIDGETS].name = "m-newest";
  expected[N_WIDGETS].size = 5000;
  qsort (expected, n, sizeof (Sized), size_descending);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = label_at (&f, i);

      g_assert_cmpstr (label, ==, expected[i].name);
    }
  g_test_message ("%u pages fetched for %u objects", bough_object_model_get_pages_fetched (model),
                  n);

  /* a relationship: by the name of the site */
  sort_column (page, "Site", GTK_SORT_ASCENDING);
  wait_list (&f, n);
  assert_order (&f, "site__name__value", FALSE);
  assert_site_at (&f, 0, "site-0");
  assert_site_at (&f, 999, "site-0");
  assert_site_at (&f, 1000, "site-1");
  assert_site_at (&f, 2000, "site-1");
  assert_site_at (&f, 2001, "site-2");
  sort_column (page, "Site", GTK_SORT_DESCENDING);
  wait_list (&f, n);
  assert_order (&f, "site__name__value", TRUE);
  assert_site_at (&f, 0, "site-2");
  assert_site_at (&f, 999, "site-2");
  assert_site_at (&f, 1000, "site-1");
  assert_site_at (&f, n - 1, "site-0");
  ui_spin (100);
  ui_screenshot (GTK_WIDGET (f.window), "objects-sorted");

  /* Created: newest first, then last */
  sort_column (page, "Created", GTK_SORT_DESCENDING);
  wait_list (&f, n);
  assert_order (&f, "node_metadata__created_at", TRUE);
  assert_label_at (&f, 0, "m-newest");
  sort_column (page, "Created", GTK_SORT_ASCENDING);
  wait_list (&f, n);
  assert_label_at (&f, n - 1, "m-newest");

  /* the label column sorts by the attribute naming the objects */
  sort_column (page, "Label", GTK_SORT_DESCENDING);
  wait_list (&f, n);
  assert_order (&f, "name__value", TRUE);
  assert_label_at (&f, 0, "w02999");
  g_assert_cmpstr (selected_sort (page), ==, "Label");
  /* the name column sorts alike, and shows it when it is the one sorted */
  sort_column (page, "Name", GTK_SORT_DESCENDING);
  wait_list (&f, n);
  assert_order (&f, "name__value", TRUE);
  g_assert_cmpstr (selected_sort (page), ==, "Name");
  select_sort (page, "Label");
  wait_list (&f, n);
  assert_order (&f, "name__value", FALSE);
  g_assert_cmpstr (selected_sort (page), ==, "Label");

  /* with the keyboard: the "Sort by" dropdown and the direction button */
  select_sort (page, "Size");
  wait_list (&f, n);
  assert_order (&f, "size__value", FALSE);
  assert_label_at (&f, 0, "w00000");
  gtk_toggle_button_set_active (_bough_objects_page_get_order_descending (page), TRUE);
  wait_list (&f, n);
  assert_order (&f, "size__value", TRUE);
  assert_label_at (&f, 0, "m-newest");

  /* the sort stays for a new time, and for the kind when it is shown again */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *at = g_date_time_format_iso8601 (now);

    /* held, so that a new model cannot take its address */
    replaced.old = g_object_ref (_bough_objects_page_get_model (page));

    bough_window_set_at (f.window, at);
    ui_wait_until (new_model_cb, &replaced);
    g_clear_object (&replaced.old);
    wait_list (&f, n);
    assert_order (&f, "size__value", TRUE);
    assert_label_at (&f, 0, "m-newest");
    bough_window_set_at (f.window, NULL);
    wait_list (&f, n);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.open-kind", "s",
                                             "TestingSite"));
  wait_list (&f, N_SITES);
  assert_order (&f, NULL, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.open-kind", "s",
                                             "TestingWidget"));
  wait_list (&f, n);
  assert_order (&f, "size__value", TRUE);
  assert_label_at (&f, 0, "m-newest");

  /* back to the schema's order (the headers' menu item) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "objects.default-order", NULL));
  wait_list (&f, n);
  assert_order (&f, NULL, FALSE);
  assert_label_at (&f, 0, "m-newest");
  assert_label_at (&f, 1, "w00000");

  /* a field the server refuses: its message on the page, and the list
   * works again in the default order */
  _bough_objects_page_set_order_field (page, "Notes", "notes__no_such_field");
  sort_column (page, "Notes", GTK_SORT_ASCENDING);
  ui_wait_until (list_failed_cb, &f);
  model = _bough_objects_page_get_model (page);
  g_assert_nonnull (_bough_objects_page_get_status_page (page));
  g_assert_cmpstr (adw_status_page_get_description (_bough_objects_page_get_status_page (page)),
                   ==, bough_object_model_get_error (model)->message);
  g_test_message ("refused: %s", bough_object_model_get_error (model)->message);
  select_sort (page, "Default order");
  wait_list (&f, n);
  assert_order (&f, NULL, FALSE);
  g_assert_null (_bough_objects_page_get_status_page (page));
  assert_label_at (&f, 1, "w00000");

  tear_down (&f);
}

static GtkWidget *
find_row (Fixture    *f,
          const char *name)
{
  GtkWidget *row = ui_find_named (_bough_object_page_get_content (object_page (f)), name);

  g_assert_nonnull (row);
  return row;
}

static void
test_objects_detail (void)
{
  Fixture f;
  GtkWidget *row;
  GtkWidget *tags;
  g_autoptr(BoughObjectItem) item = NULL;
  g_autofree char *peer_name = NULL;

  if (!set_up (&f))
    return;
  open_widgets (&f);

  /* activating the first row opens its page */
  g_signal_emit_by_name (_bough_objects_page_get_column_view (objects_page (&f)), "activate", 0);
  wait_object (&f, "w00000");
  item = g_list_model_get_item (G_LIST_MODEL (_bough_objects_page_get_model (objects_page (&f))),
                                0);
  g_assert_cmpstr (bough_object_page_get_id (object_page (&f)), ==,
                   bough_object_item_get_id (item));

  row = find_row (&f, "attribute-size");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "0");
  row = find_row (&f, "attribute-enabled");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "true");
  tags = find_row (&f, "relationship-tags");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (tags)), ==, "2 peers");
  g_assert_nonnull (ui_find_named (_bough_object_page_get_content (object_page (&f)), "metadata"));
  ui_screenshot (GTK_WIDGET (f.window), "object-detail");

  /* the site is a link to its page */
  row = find_row (&f, "relationship-site");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "site-0");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)), ==, "win.navigate");
  g_signal_emit_by_name (row, "activate");
  wait_object (&f, "site-0");
  peer_name = g_strconcat ("attribute-city", NULL);
  row = find_row (&f, peer_name);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "City 0");

  /* from an object to the list of its kind */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (object_page (&f)), "object.show-kind",
                                             NULL));
  g_assert_cmpstr (visible_page (&f), ==, "objects");
  g_assert_cmpstr (bough_objects_page_get_kind (objects_page (&f)), ==, "TestingSite");
  wait_list (&f, N_SITES);

  tear_down (&f);
}

static BoughObjectForm *
find_form (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (BOUGH_IS_OBJECT_FORM (window))
        return BOUGH_OBJECT_FORM (window);
    }
  return NULL;
}

static gboolean
form_idle_cb (gpointer data)
{
  return !_bough_object_form_get_busy (data);
}

static gboolean
flag_cb (gpointer data)
{
  return *(gboolean *) data;
}

static void
destroyed_cb (GtkWidget *widget,
              gboolean  *destroyed)
{
  *destroyed = TRUE;
}

static gboolean
peers_found_cb (gpointer data)
{
  return !bough_peer_chooser_get_searching (data);
}

static void
set_entry (BoughObjectForm *form,
           const char      *name,
           const char      *text)
{
  GtkWidget *input = _bough_object_form_get_input (form, name);

  g_assert_nonnull (input);
  gtk_editable_set_text (GTK_EDITABLE (input), text);
}

static void
test_objects_create (void)
{
  Fixture f;
  BoughObjectForm *form;
  BoughPeerChooser *chooser;
  GtkListBoxRow *result;
  gboolean destroyed = FALSE;
  g_auto(GStrv) ids = NULL;
  GtkWidget *row;

  if (!set_up (&f))
    return;
  open_widgets (&f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (objects_page (&f)), "objects.new", NULL));
  form = find_form ();
  g_assert_nonnull (form);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (form)) == GTK_WINDOW (f.window));
  g_signal_connect (form, "destroy", G_CALLBACK (destroyed_cb), &destroyed);

  /* checked before sending: the required name, the code's regex, a number */
  set_entry (form, "code", "bad");
  set_entry (form, "size", "seven");
  bough_object_form_save (form);
  g_assert_false (_bough_object_form_get_busy (form));
  g_assert_cmpstr (_bough_object_form_get_error (form, "name"), ==, "This field is required");
  g_assert_nonnull (strstr (_bough_object_form_get_error (form, "code"), "regex"));
  g_assert_nonnull (_bough_object_form_get_error (form, "size"));
  g_assert_null (_bough_object_form_get_error (form, "status"));

  /* an error goes when its field changes */
  set_entry (form, "size", "7");
  g_assert_null (_bough_object_form_get_error (form, "size"));
  g_assert_nonnull (_bough_object_form_get_error (form, "code"));

  /* the server refuses a name already used: shown at the name */
  set_entry (form, "name", "w00005");
  set_entry (form, "code", "ABC-12");
  set_entry (form, "size", "7");
  adw_combo_row_set_selected (ADW_COMBO_ROW (_bough_object_form_get_input (form, "status")), 2);
  chooser = BOUGH_PEER_CHOOSER (_bough_object_form_get_input (form, "site"));
  bough_peer_chooser_search (chooser, "site-2");
  ui_wait_until (peers_found_cb, chooser);
  result = gtk_list_box_get_row_at_index (bough_peer_chooser_get_results (chooser), 0);
  g_assert_nonnull (result);
  g_assert_null (gtk_list_box_get_row_at_index (bough_peer_chooser_get_results (chooser), 1));
  g_signal_emit_by_name (bough_peer_chooser_get_results (chooser), "row-activated", result);
  ids = bough_peer_chooser_get_ids (chooser);
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, g_ptr_array_index (f.site_ids, 2));
  ui_screenshot (GTK_WIDGET (form), "object-form");

  bough_object_form_save (form);
  g_assert_true (_bough_object_form_get_busy (form));
  ui_wait_until (form_idle_cb, form);
  g_assert_false (destroyed);
  g_assert_nonnull (_bough_object_form_get_error (form, "name"));
  g_assert_nonnull (strstr (_bough_object_form_get_error (form, "name"), "already used"));
  g_assert_null (_bough_object_form_get_error (form, "code"));
  g_assert_null (_bough_object_form_get_last_toast (form));
  ui_screenshot (GTK_WIDGET (form), "object-form-error");

  /* fixed, it is made and its page opens */
  set_entry (form, "name", "new-widget");
  bough_object_form_save (form);
  ui_wait_until (flag_cb, &destroyed);
  wait_object (&f, "new-widget");
  row = find_row (&f, "attribute-code");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "ABC-12");
  row = find_row (&f, "attribute-status");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Retired");
  row = find_row (&f, "relationship-site");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "site-2");

  /* and the list counts it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.open-kind", "s",
                                             "TestingWidget"));
  wait_list (&f, N_WIDGETS + 1);

  tear_down (&f);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
subtitle_is_cb (gpointer data)
{
  Want *want = data;
  BoughObjectPage *page = object_page (want->f);
  GtkWidget *row = ui_find_named (_bough_object_page_get_content (page), "attribute-size");

  return _bough_object_page_is_shown (page) && row != NULL &&
         g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), want->text) == 0;
}

static gboolean
tags_none_cb (gpointer data)
{
  Fixture *f = data;
  BoughObjectPage *page = object_page (f);
  GtkWidget *row = ui_find_named (_bough_object_page_get_content (page), "relationship-tags");

  return _bough_object_page_is_shown (page) && row != NULL &&
         g_strcmp0 (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "0 peers") == 0;
}

static void
test_objects_edit_delete (void)
{
  Fixture f;
  BoughObjectForm *form;
  AdwMessageDialog *dialog;
  gboolean destroyed = FALSE;
  Want edited = { &f, 0, "999" };
  BoughPeerChooser *chooser;
  GtkListBoxRow *result;
  GtkWidget *tags;

  if (!set_up (&f))
    return;
  open_widgets (&f);
  g_signal_emit_by_name (_bough_objects_page_get_column_view (objects_page (&f)), "activate", 1);
  wait_object (&f, "w00001");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (object_page (&f)), "object.edit", NULL));
  form = find_form ();
  g_assert_nonnull (form);
  g_signal_connect (form, "destroy", G_CALLBACK (destroyed_cb), &destroyed);
  /* the form opens with the object's values */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_bough_object_form_get_input (form,
                                                                                      "name"))),
                   ==, "w00001");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (_bough_object_form_get_input (form,
                                                                                      "size"))),
                   ==, "1");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (_bough_object_form_get_input (form,
                                                                                   "enabled"))));
  set_entry (form, "size", "999");
  /* a tag is added to the peers, not set in their place */
  chooser = BOUGH_PEER_CHOOSER (_bough_object_form_get_input (form, "tags"));
  bough_peer_chooser_search (chooser, "red");
  ui_wait_until (peers_found_cb, chooser);
  result = gtk_list_box_get_row_at_index (bough_peer_chooser_get_results (chooser), 0);
  g_assert_nonnull (result);
  g_signal_emit_by_name (bough_peer_chooser_get_results (chooser), "row-activated", result);
  bough_object_form_save (form);
  ui_wait_until (flag_cb, &destroyed);
  ui_wait_until (subtitle_is_cb, &edited);
  tags = find_row (&f, "relationship-tags");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (tags)), ==, "1 peer");

  /* and removed alone */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (object_page (&f)), "object.edit", NULL));
  form = find_form ();
  g_assert_nonnull (form);
  destroyed = FALSE;
  g_signal_connect (form, "destroy", G_CALLBACK (destroyed_cb), &destroyed);
  chooser = BOUGH_PEER_CHOOSER (_bough_object_form_get_input (form, "tags"));
  bough_peer_chooser_clear (chooser);
  bough_object_form_save (form);
  ui_wait_until (flag_cb, &destroyed);
  ui_wait_until (tags_none_cb, &f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (object_page (&f)), "object.delete", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  /* cancelling changes nothing */
  adw_message_dialog_response (dialog, "cancel");
  ui_spin (50);
  g_assert_cmpstr (visible_page (&f), ==, "object");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (object_page (&f)), "object.delete", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  wait_list (&f, N_WIDGETS - 1);
  g_assert_cmpstr (visible_page (&f), ==, "objects");
  g_assert_cmpstr (_bough_window_get_last_toast (f.window), ==, "“w00001” was deleted");

  tear_down (&f);
}

static void
find_search (GtkWidget            *widget,
             BoughSearchAnywhere **found)
{
  if (BOUGH_IS_SEARCH_ANYWHERE (widget))
    *found = BOUGH_SEARCH_ANYWHERE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && *found == NULL;
       child = gtk_widget_get_next_sibling (child))
    find_search (child, found);
}

static gboolean
search_done_cb (gpointer data)
{
  return !bough_search_anywhere_get_searching (data);
}

static const char *
result_title (BoughSearchAnywhere *search,
              guint                index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (bough_search_anywhere_get_results (search),
                                                      index);

  return row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL;
}

static void
test_objects_search_anywhere (void)
{
  Fixture f;
  BoughSearchAnywhere *search = NULL;
  GtkListBoxRow *row;

  if (!set_up (&f))
    return;
  find_search (GTK_WIDGET (f.window), &search);
  g_assert_nonnull (search);

  /* Ctrl+K opens the popover, wherever the focus is */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (search));
    GtkShortcut *shortcut = NULL;
    g_autofree char *trigger = NULL;
    GtkPopover *popover;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && shortcut == NULL; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_SHORTCUT_CONTROLLER (controller) &&
            g_list_model_get_n_items (G_LIST_MODEL (controller)) > 0)
          {
            shortcut = g_list_model_get_item (G_LIST_MODEL (controller), 0);
            GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

            g_assert_cmpint (gtk_shortcut_controller_get_scope (shortcuts), ==,
                             GTK_SHORTCUT_SCOPE_GLOBAL);
          }
      }
    g_assert_nonnull (shortcut);
    trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
    g_assert_cmpstr (trigger, ==, "<Control>k");
    g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                 GTK_WIDGET (search), NULL));
    popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (gtk_widget_get_first_child (
      GTK_WIDGET (search))));
    ui_spin (50);
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
    g_object_unref (shortcut);
  }

  /* the server's search, labels fetched for the ids it gives */
  bough_search_anywhere_search (search, "site-1");
  g_assert_true (bough_search_anywhere_get_searching (search));
  ui_wait_until (search_done_cb, search);
  g_assert_false (_bough_search_anywhere_get_used_fallback (search));
  g_assert_cmpstr (result_title (search, 0), ==, "site-1");
  g_assert_null (result_title (search, 1));
  /* a popover is a surface of its own */
  ui_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (
    gtk_widget_get_first_child (GTK_WIDGET (search))))), "search-anywhere");
  row = gtk_list_box_get_row_at_index (bough_search_anywhere_get_results (search), 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "TestingSite");
  g_signal_emit_by_name (row, "activate");
  wait_object (&f, "site-1");

  /* a new search replaces the one under way */
  bough_search_anywhere_search (search, "w0004");
  bough_search_anywhere_search (search, "w00042");
  ui_wait_until (search_done_cb, search);
  g_assert_cmpstr (result_title (search, 0), ==, "w00042");
  g_assert_null (result_title (search, 1));

  /* without InfrahubSearchAnywhere: any value, kind by kind */
  _bough_search_anywhere_set_force_fallback (search, TRUE);
  bough_search_anywhere_search (search, "w00042");
  ui_wait_until (search_done_cb, search);
  g_assert_true (_bough_search_anywhere_get_used_fallback (search));
  g_assert_cmpstr (result_title (search, 0), ==, "w00042");
  row = gtk_list_box_get_row_at_index (bough_search_anywhere_get_results (search), 0);
  g_signal_emit_by_name (row, "activate");
  wait_object (&f, "w00042");

  bough_search_anywhere_search (search, "nothing like this");
  ui_wait_until (search_done_cb, search);
  g_assert_null (result_title (search, 0));

  tear_down (&f);
}

/* The list of a past time: empty (the kind did not exist yet) or shown
 * with no objects. */
static gboolean
time_shown_cb (gpointer data)
{
  Fixture *f = data;
  BoughObjectModel *model = _bough_objects_page_get_model (objects_page (f));

  return !bough_page_get_loading (BOUGH_PAGE (objects_page (f))) &&
         (model == NULL || (!bough_object_model_get_loading (model) &&
                            bough_object_model_get_count (model) == 0));
}

static void
test_objects_branch_time (void)
{
  Fixture f;
  g_autoptr(JsonNode) branch = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) errors = NULL;
  ObjectsWait wait = { NULL };

  if (!set_up (&f))
    return;
  /* a widget that exists only on a branch */
  branch = objects_query (f.client, "mutation { BranchCreate(data: {name: \"feature\"},"
                          " wait_until_completion: true) { ok } }", NULL);
  bough_client_query_async (f.client, "feature", NULL,
                            "mutation { TestingWidgetCreate(data:"
                            " {name: {value: \"zz-branch\"}}) { ok } }",
                            NULL, NULL, objects_wait_cb, &wait);
  created = bough_client_query_finish (f.client, objects_wait_result (&wait), &errors, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  open_widgets (&f);
  bough_window_set_branch (f.window, "feature");
  wait_list (&f, N_WIDGETS + 1);
  bough_window_set_branch (f.window, NULL);
  wait_list (&f, N_WIDGETS);

  /* a time before the widgets were made: none, and nothing to create */
  bough_window_set_at (f.window, f.before_data);
  ui_wait_until (time_shown_cb, &f);
  g_assert_nonnull (_bough_objects_page_get_model (objects_page (&f)));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (objects_page (&f)), "objects.new",
                                              NULL) &&
                  find_form () != NULL);
  bough_window_set_at (f.window, NULL);
  wait_list (&f, N_WIDGETS);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (objects_page (&f)), "objects.new", NULL));
  g_assert_nonnull (find_form ());
  gtk_window_destroy (GTK_WINDOW (find_form ()));

  tear_down (&f);
}

/* BOUGH_TEST_LARGE_LIST=100000 runs the list on that many objects: the
 * window stays usable and only the pages looked at are fetched. Loading
 * them takes a while, so the test is opt-in. */
static void
test_objects_large (void)
{
  Fixture f;
  const char *env = g_getenv ("BOUGH_TEST_LARGE_LIST");
  guint64 n = 0;
  BoughObjectModel *model;
  GtkAdjustment *adjustment;
  Want want = { &f, 0, NULL };
  g_autoptr(BoughObjectItem) item = NULL;
  g_autofree char *label = NULL;

  if (env == NULL || !g_ascii_string_to_unsigned (env, 10, 1000, 10000000, &n, NULL))
    {
      g_test_skip ("set BOUGH_TEST_LARGE_LIST to a number of objects (1000 or more) to run it");
      return;
    }
  if (!set_up_n (&f, n))
    return;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.open-kind", "s",
                                             "TestingWidget"));
  wait_list (&f, n);
  model = _bough_objects_page_get_model (objects_page (&f));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (
    _bough_objects_page_get_column_view (objects_page (&f))));
  ui_spin (100);
  for (guint step = 1; step <= 4; step++)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * step / 4);
      want.count = MIN (n - 1, (guint) (n * step / 4));
      ui_wait_until (item_loaded_cb, &want);
    }
  item = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
  label = g_strdup_printf ("w%05u", (guint) n - 1);
  g_assert_cmpstr (bough_object_item_get_display_label (item), ==, label);
  g_test_message ("%u pages fetched, %u cancelled, of %u",
                  bough_object_model_get_pages_fetched (model),
                  bough_object_model_get_pages_cancelled (model),
                  (guint) (n + 99) / 100);
  g_assert_cmpuint (bough_object_model_get_pages_fetched (model), <, 60);
  ui_screenshot (GTK_WIDGET (f.window), "objects-list-large");

  /* sorted by the server, the same: only the pages looked at */
  sort_column (objects_page (&f), "Size", GTK_SORT_DESCENDING);
  wait_list (&f, n);
  model = _bough_objects_page_get_model (objects_page (&f));
  {
    guint before = bough_object_model_get_pages_fetched (model);

    /* asked of the model: GTK 4.8's list warns when its adjustment jumps
     * far right after its model was emptied and filled again */
    for (guint step = 1; step <= 4; step++)
      {
        want.count = MIN (n - 1, (guint) (n * step / 4));
        ui_wait_until (item_loaded_cb, &want);
      }
    g_clear_object (&item);
    item = g_list_model_get_item (G_LIST_MODEL (model), n - 1);
    g_assert_cmpstr (bough_object_item_get_display_label (item), ==, "w00000");
    g_clear_object (&item);
    item = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpstr (bough_object_item_get_display_label (item), ==, label);
    g_assert_cmpuint (bough_object_model_get_pages_fetched (model) - before, <, 60);
  }
  tear_down (&f);
}

int
main (int   argc,
      char *argv[])
{
  gboolean display = ui_test_init (&argc, &argv);

  UI_ADD (display, "/objects/list", test_objects_list);
  UI_ADD (display, "/objects/sort", test_objects_sort);
  UI_ADD (display, "/objects/detail", test_objects_detail);
  UI_ADD (display, "/objects/create", test_objects_create);
  UI_ADD (display, "/objects/edit-delete", test_objects_edit_delete);
  UI_ADD (display, "/objects/search-anywhere", test_objects_search_anywhere);
  UI_ADD (display, "/objects/branch-time", test_objects_branch_time);
  UI_ADD (display, "/objects/large", test_objects_large);
  return g_test_run ();
}
