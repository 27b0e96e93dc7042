/* test-object-model.c: the GraphQL text of the object views, value
 * conversions, the mapping of server errors to fields, and
 * BoughObjectModel's paging, filters, search, branch and time against a
 * live server holding thousands of objects. Needs no display.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-object-model"

#include "config.h"

#include <libsoup/soup.h>

#include "bough-error.h"
#include "bough-object-model.h"
#include "bough-object-query.h"
#include "objects-test-common.h"

#define N_WIDGETS 3000
#define N_SITES   3

static BoughSchema *
parse_schema (const char *json)
{
  g_autoptr(BoughSchema) core = NULL;
  g_autoptr(BoughSchemaBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *schemas;
  g_autofree char *text = NULL;

  core = bough_schema_new_core (&error);
  g_assert_no_error (error);
  builder = bough_schema_builder_new (core);
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  schemas = json_object_get_array_member (json_node_get_object (root), "schemas");
  text = json_to_string (json_array_get_element (schemas, 0), FALSE);
  bough_schema_builder_add_data (builder, text, -1, "test", &error);
  g_assert_no_error (error);
  return bough_schema_builder_build (builder, &error);
}

static BoughSchema *
parse_test_schema (void)
{
  return parse_schema (objects_test_schema);
}

static void
test_query_text (void)
{
  g_autoptr(BoughSchema) schema = parse_test_schema ();
  BoughNodeSchema *ns = bough_schema_lookup (schema, "TestingWidget");
  g_autoptr(JsonObject) filters = json_object_new ();
  BoughObjectListQuery list = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *create = NULL;
  g_autofree char *del = NULL;

  g_assert_nonnull (ns);
  list.offset = 200;
  list.limit = 100;
  list.with_count = TRUE;
  list.search = "a \"quoted\" word";
  json_object_set_boolean_member (filters, "enabled__value", TRUE);
  list.filters = filters;
  text = bough_object_query_list (ns, &list);
  g_assert_nonnull (strstr (text, "TestingWidget(offset: 200, limit: 100"));
  g_assert_nonnull (strstr (text, "enabled__value: true"));
  /* the kind's default filter takes the search, quotes escaped */
  g_assert_nonnull (strstr (text, "name__value: \"a \\\"quoted\\\" word\""));
  g_assert_nonnull (strstr (text, "partial_match: true"));
  g_assert_nonnull (strstr (text, " count edges"));
  g_assert_nonnull (strstr (text, "site { node { id hfid display_label __typename } }"));
  /* many relationships are no column */
  g_assert_null (strstr (text, "tags"));
  g_assert_null (strstr (text, "order:"));

  detail = bough_object_query_detail (ns, "1234");
  g_assert_nonnull (strstr (detail, "TestingWidget(ids: [\"1234\"])"));
  g_assert_nonnull (strstr (detail, "node_metadata { created_at created_by"));
  g_assert_nonnull (strstr (detail, "tags(limit: 100) { count edges"));
  g_assert_nonnull (strstr (detail, "is_protected"));
  g_assert_nonnull (strstr (detail, "updated_by"));
  {
    g_autofree char *older = bough_object_query_detail_full (ns, "1234", FALSE);

    /* for servers without the newer metadata */
    g_assert_null (strstr (older, "node_metadata"));
    g_assert_null (strstr (older, "updated_by"));
    g_assert_nonnull (strstr (older, "is_protected"));
  }

  create = bough_object_mutation (ns, "Create");
  g_assert_nonnull (strstr (create, "$data: TestingWidgetCreateInput!"));
  g_assert_nonnull (strstr (create, "TestingWidgetCreate(data: $data)"));
  {
    const char *ops[] = { "Add", "Remove", NULL };
    g_autofree char *update = bough_object_mutation_update (ns, ops);

    g_assert_nonnull (strstr (update, "($data: TestingWidgetUpdateInput!,"
                                      " $l0: RelationshipNodesInput!,"
                                      " $l1: RelationshipNodesInput!)"));
    g_assert_nonnull (strstr (update, "TestingWidgetUpdate(data: $data) { ok object { id"));
    g_assert_nonnull (strstr (update, " l0: RelationshipAdd(data: $l0) { ok }"
                                      " l1: RelationshipRemove(data: $l1) { ok } }"));
  }
  del = bough_object_mutation (ns, "Delete");
  g_assert_nonnull (strstr (del, "TestingWidgetDelete(data: $data) { ok }"));
}

/* Order fields of the list's columns, and the text of the order. */
static const char naming_schema[] =
  "{\"schemas\": [{\"version\": \"1.0\", \"nodes\": ["
  "  {\"name\": \"Person\", \"namespace\": \"Testing\","
  "   \"display_label\": \"{{ first__value }} {{ last__value }}\","
  "   \"attributes\": [{\"name\": \"first\", \"kind\": \"Text\"},"
  "                    {\"name\": \"last\", \"kind\": \"Text\"},"
  "                    {\"name\": \"secret\", \"kind\": \"Password\", \"optional\": true}]},"
  "  {\"name\": \"Thing\", \"namespace\": \"Testing\","
  "   \"human_friendly_id\": [\"owner__first__value\", \"serial__value\"],"
  "   \"order_by\": [\"serial__value__desc\"],"
  "   \"attributes\": [{\"name\": \"serial\", \"kind\": \"Text\"}],"
  "   \"relationships\": [{\"name\": \"owner\", \"peer\": \"TestingPerson\","
  "     \"cardinality\": \"one\", \"optional\": false, \"kind\": \"Attribute\"}]},"
  "  {\"name\": \"Blob\", \"namespace\": \"Testing\","
  "   \"attributes\": [{\"name\": \"data\", \"kind\": \"JSON\", \"optional\": true}]},"
  "  {\"name\": \"Link\", \"namespace\": \"Testing\","
  "   \"attributes\": [{\"name\": \"secret\", \"kind\": \"Password\", \"optional\": true}],"
  "   \"relationships\": ["
  "     {\"name\": \"thing\", \"peer\": \"TestingThing\", \"cardinality\": \"one\","
  "      \"optional\": true},"
  "     {\"name\": \"person\", \"peer\": \"TestingPerson\", \"cardinality\": \"one\","
  "      \"optional\": true},"
  "     {\"name\": \"blob\", \"peer\": \"TestingBlob\", \"cardinality\": \"one\","
  "      \"optional\": true},"
  "     {\"name\": \"things\", \"peer\": \"TestingThing\", \"cardinality\": \"many\","
  "      \"optional\": true, \"identifier\": \"link_things\"}]}]}]}";

static void
check_order_field (BoughSchema *schema,
                   const char  *kind,
                   const char  *field,
                   const char  *expected)
{
  g_autofree char *order = bough_object_order_field (schema, bough_schema_lookup (schema, kind),
                                                     field);

  g_assert_cmpstr (order, ==, expected);
}

static void
test_query_order (void)
{
  g_autoptr(BoughSchema) schema = parse_test_schema ();
  g_autoptr(BoughSchema) naming = parse_schema (naming_schema);
  BoughNodeSchema *ns = bough_schema_lookup (schema, "TestingWidget");
  BoughObjectOrder order[] = {
    { "site__name__value", TRUE },
    { BOUGH_OBJECT_ORDER_CREATED, FALSE },
  };
  BoughObjectListQuery list = { 0 };
  g_autofree char *plain = NULL;
  g_autofree char *sorted = NULL;
  g_autofree char *name = NULL;

  g_assert_nonnull (naming);
  /* the list's columns: attributes by their value, a peer by its name */
  check_order_field (schema, "TestingWidget", "size", "size__value");
  check_order_field (schema, "TestingWidget", "status", "status__value");
  check_order_field (schema, "TestingWidget", "site", "site__name__value");
  check_order_field (schema, "TestingWidget", NULL, "name__value");
  check_order_field (schema, "TestingWidget", "tags", NULL);
  check_order_field (schema, "TestingWidget", "nothing", NULL);
  /* the peer's hfid names it when it is an attribute of its own... */
  check_order_field (naming, "TestingLink", "thing", "thing__serial__value");
  /* ...else its display label's first attribute, here in a template */
  check_order_field (naming, "TestingLink", "person", "person__first__value");
  check_order_field (naming, "TestingPerson", NULL, "first__value");
  /* nothing names a blob; a password does not sort */
  check_order_field (naming, "TestingLink", "blob", NULL);
  check_order_field (naming, "TestingLink", "secret", NULL);
  check_order_field (naming, "TestingLink", "things", NULL);
  check_order_field (naming, "TestingBlob", "data", "data__value");
  name = bough_object_naming_attribute (bough_schema_lookup (naming, "TestingThing"));
  /* the hfid's first element is the owner's: order_by decides */
  g_assert_cmpstr (name, ==, "serial");

  list.limit = 100;
  plain = bough_object_query_list (ns, &list);
  g_assert_null (strstr (plain, "order:"));
  g_assert_null (strstr (plain, "node_metadata"));

  list.order = order;
  list.n_order = G_N_ELEMENTS (order);
  list.with_metadata = TRUE;
  sorted = bough_object_query_list (ns, &list);
  g_assert_nonnull (strstr (sorted, "TestingWidget(offset: 0, limit: 100, order: {by: ["
                                    "{field: \"site__name__value\", direction: DESC}, "
                                    "{field: \"node_metadata__created_at\", direction: ASC}]})"));
  g_assert_nonnull (strstr (sorted, " edges { node_metadata { created_at updated_at } node { id"));
}

static void
test_query_values (void)
{
  g_autoptr(BoughSchema) schema = parse_test_schema ();
  BoughNodeSchema *ns = bough_schema_lookup (schema, "TestingWidget");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) number = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) flag = NULL;
  g_autoptr(JsonNode) text = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *cell = NULL;
  g_autoptr(JsonNode) node = NULL;

  number = bough_object_value_from_text (bough_node_schema_get_attribute (ns, "size"), " 42 ",
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (number), ==, 42);
  bad = bough_object_value_from_text (bough_node_schema_get_attribute (ns, "size"), "4x", &error);
  g_assert_null (bad);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
  g_clear_error (&error);
  flag = bough_object_value_from_text (bough_node_schema_get_attribute (ns, "enabled"), "TRUE",
                                       &error);
  g_assert_no_error (error);
  g_assert_true (json_node_get_boolean (flag));
  text = bough_object_value_from_text (bough_node_schema_get_attribute (ns, "name"), "x: y",
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (text), ==, "x: y");

  shown = bough_object_value_to_text (number);
  g_assert_cmpstr (shown, ==, "42");

  node = json_from_string ("{\"status\": {\"value\": \"retired\"}, \"site\": {\"node\":"
                           " {\"id\": \"s1\", \"display_label\": \"site-1\"}}}", &error);
  g_assert_no_error (error);
  cell = bough_object_cell_text (ns, json_node_get_object (node), "status");
  g_assert_cmpstr (cell, ==, "Retired");
  g_free (cell);
  cell = bough_object_cell_text (ns, json_node_get_object (node), "site");
  g_assert_cmpstr (cell, ==, "site-1");
  g_free (cell);
  cell = bough_object_cell_text (ns, json_node_get_object (node), "code");
  g_assert_cmpstr (cell, ==, "");
}

static void
check_error_field (BoughNodeSchema *ns,
                   const char      *json,
                   const char      *field,
                   const char      *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  g_autofree char *found = NULL;
  g_autofree char *shown = NULL;

  g_assert_no_error (error);
  found = bough_object_error_field (ns, json_node_get_object (node));
  g_assert_cmpstr (found, ==, field);
  shown = bough_object_error_message (json_node_get_object (node));
  g_assert_cmpstr (shown, ==, message);
}

static void
test_error_field (void)
{
  g_autoptr(BoughSchema) schema = parse_test_schema ();
  BoughNodeSchema *ns = bough_schema_lookup (schema, "TestingWidget");

  check_error_field (ns,
                     "{\"message\": \"TestingWidget “w1”: name: the value w1 is already used"
                     " by 42\", \"path\": [\"TestingWidgetCreate\"]}",
                     "name", "the value w1 is already used by 42");
  check_error_field (ns,
                     "{\"message\": \"TestingWidget “w1”: attribute 'code' (Text):"
                     " value \\\"x\\\" does not match the regex '^[A-Z]$'\"}",
                     "code", "value \"x\" does not match the regex '^[A-Z]$'");
  check_error_field (ns, "{\"message\": \"boom\", \"extensions\": {\"field\": \"size\"}}",
                     "size", "boom");
  check_error_field (ns, "{\"message\": \"TestingWidget: name__value,site: taken\"}",
                     "name", "taken");
  check_error_field (ns,
                     "{\"message\": \"Permission denied\", \"path\": [\"TestingWidgetCreate\"]}",
                     NULL, "Permission denied");
}

typedef struct
{
  TestServer        server;
  BoughClient      *client;
  BoughSchema      *schema;
  GPtrArray        *site_ids;
  char             *before_data;
  BoughObjectModel *model;
  guint             changes;
  guint             failures;
} Fixture;

static void
changed_cb (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            Fixture    *f)
{
  f->changes++;
}

static void
failed_cb (BoughObjectModel *model,
           const GError     *error,
           Fixture          *f)
{
  f->failures++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!test_server_start (&f->server, NULL))
    return;
  f->client = bough_client_new (f->server.url);
  bough_client_set_token (f->client, TEST_SERVER_TOKEN);
  objects_load_schema (f->client);
  f->schema = objects_fetch_schema (f->client);
  {
    g_autoptr(GDateTime) now = NULL;

    /* a time after the schema, before the data */
    g_usleep (20000);
    now = g_date_time_new_now_utc ();
    f->before_data = g_date_time_format_iso8601 (now);
    g_usleep (20000);
  }
  f->site_ids = objects_load_data (f->client, N_SITES, N_WIDGETS);
  f->model = bough_object_model_new (f->client, f->schema, "TestingWidget");
  g_assert_nonnull (f->model);
  g_signal_connect (f->model, "items-changed", G_CALLBACK (changed_cb), f);
  g_signal_connect (f->model, "failed", G_CALLBACK (failed_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->model != NULL)
    g_assert_finalize_object (f->model);
  g_clear_pointer (&f->site_ids, g_ptr_array_unref);
  g_clear_pointer (&f->before_data, g_free);
  g_clear_pointer (&f->schema, bough_schema_unref);
  g_clear_object (&f->client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  test_server_stop (&f->server);
}

static void
count_failure (guint        *failures,
               const GError *error)
{
  (*failures)++;
}

static gboolean
not_loading (gpointer data)
{
  return !bough_object_model_get_loading (data);
}

static void
reload_and_wait (Fixture *f)
{
  bough_object_model_reload (f->model);
  g_assert_true (bough_object_model_get_loading (f->model));
  objects_wait_until (not_loading, f->model);
  g_assert_null (bough_object_model_get_error (f->model));
}

typedef struct
{
  GListModel *model;
  guint       position;
} ItemWait;

static gboolean
item_loaded (gpointer data)
{
  ItemWait *wait = data;
  g_autoptr(BoughObjectItem) item = g_list_model_get_item (wait->model, wait->position);

  return item != NULL && bough_object_item_get_loaded (item);
}

static BoughObjectItem *
get_loaded_item (Fixture *f,
                 guint    position)
{
  ItemWait wait = { G_LIST_MODEL (f->model), position };

  objects_wait_until (item_loaded, &wait);
  return g_list_model_get_item (G_LIST_MODEL (f->model), position);
}

static void
test_model_paging (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BoughObjectItem) first = NULL;
  g_autoptr(BoughObjectItem) far = NULL;
  g_autoptr(BoughObjectItem) placeholder = NULL;
  g_autoptr(BoughObjectItem) last = NULL;
  guint fetched;

  if (f->client == NULL)
    return;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);
  reload_and_wait (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_WIDGETS);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, N_WIDGETS);
  /* only the first page was fetched for the count */
  g_assert_cmpuint (bough_object_model_get_pages_fetched (f->model), ==, 1);
  g_assert_cmpuint (f->changes, ==, 1);

  first = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_true (bough_object_item_get_loaded (first));
  g_assert_cmpstr (bough_object_item_get_display_label (first), ==, "w00000");
  g_assert_cmpstr (bough_object_item_get_kind (first), ==, "TestingWidget");
  g_assert_nonnull (bough_object_item_get_id (first));

  /* a far item is a placeholder until its page arrives */
  placeholder = g_list_model_get_item (G_LIST_MODEL (f->model), 2950);
  g_assert_false (bough_object_item_get_loaded (placeholder));
  far = get_loaded_item (f, 2950);
  g_assert_cmpstr (bough_object_item_get_display_label (far), ==, "w02950");
  g_assert_cmpuint (bough_object_model_get_pages_fetched (f->model), ==, 2);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), N_WIDGETS));

  /* jumping through many pages at once cancels the requests left behind */
  for (guint p = 5; p < 25; p += 2)
    {
      g_clear_object (&placeholder);
      placeholder = g_list_model_get_item (G_LIST_MODEL (f->model), p * 100);
    }
  g_assert_cmpuint (bough_object_model_get_pages_cancelled (f->model), >=, 5);
  last = get_loaded_item (f, N_WIDGETS - 1);
  g_assert_cmpstr (bough_object_item_get_display_label (last), ==, "w02999");
  fetched = bough_object_model_get_pages_fetched (f->model);
  g_assert_cmpuint (fetched, <, 30);
  g_assert_cmpuint (f->failures, ==, 0);

  /* a reload while pages are in flight cancels them and starts over */
  g_clear_object (&placeholder);
  placeholder = g_list_model_get_item (G_LIST_MODEL (f->model), 1234);
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, N_WIDGETS);
  g_assert_cmpuint (f->failures, ==, 0);
}

static void
test_model_filters (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) yes = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) site = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) site_ids = json_array_new ();
  g_autoptr(BoughObjectItem) item = NULL;

  if (f->client == NULL)
    return;

  json_node_set_boolean (yes, TRUE);
  bough_object_model_set_filter (f->model, "enabled__value", yes);
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, N_WIDGETS / 2);

  json_array_add_string_element (site_ids, g_ptr_array_index (f->site_ids, 1));
  json_node_set_array (site, site_ids);
  bough_object_model_clear_filters (f->model);
  bough_object_model_set_filter (f->model, "site__ids", site);
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, N_WIDGETS / N_SITES);
  item = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_cmpstr (bough_object_item_get_display_label (item), ==, "w00001");
  g_clear_object (&item);

  bough_object_model_clear_filters (f->model);
  bough_object_model_set_search (f->model, "w0001");
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, 10);

  bough_object_model_set_search (f->model, "no such widget");
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, 0);

  /* creation order: the widgets were made from the last name down */
  bough_object_model_set_search (f->model, NULL);
  reload_and_wait (f);
  {
    BoughObjectOrder created = { BOUGH_OBJECT_ORDER_CREATED, FALSE };
    guint changes = f->changes;

    /* a new order drops the pages and reloads by itself */
    bough_object_model_set_order (f->model, &created, 1);
    g_assert_true (bough_object_model_get_loading (f->model));
    g_assert_cmpuint (f->changes, ==, changes + 1);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);
    objects_wait_until (not_loading, f->model);
    g_assert_null (bough_object_model_get_error (f->model));
    /* the same order again changes nothing */
    bough_object_model_set_order (f->model, &created, 1);
    g_assert_false (bough_object_model_get_loading (f->model));
  }
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, N_WIDGETS);
  item = g_list_model_get_item (G_LIST_MODEL (f->model), 0);
  g_assert_cmpstr (bough_object_item_get_display_label (item), ==, "w02999");
  g_assert_nonnull (bough_object_get_string (bough_object_item_get_metadata (item),
                                             "created_at"));
  g_clear_object (&item);
}

static void
test_model_branch_time (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) branch = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) errors = NULL;
  ObjectsWait wait = { NULL };

  if (f->client == NULL)
    return;

  branch = objects_query (f->client, "mutation { BranchCreate(data: {name: \"feature\"},"
                          " wait_until_completion: true) { ok } }", NULL);
  bough_client_query_async (f->client, "feature", NULL,
                            "mutation { TestingWidgetCreate(data:"
                            " {name: {value: \"zz-branch\"}}) { ok } }",
                            NULL, NULL, objects_wait_cb, &wait);
  created = bough_client_query_finish (f->client, objects_wait_result (&wait), &errors, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  bough_object_model_set_branch (f->model, "feature");
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, N_WIDGETS + 1);
  bough_object_model_set_branch (f->model, NULL);
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, N_WIDGETS);

  /* a branch the server does not know: an error, and an empty list */
  bough_object_model_set_branch (f->model, "no-such-branch");
  bough_object_model_reload (f->model);
  objects_wait_until (not_loading, f->model);
  g_assert_nonnull (bough_object_model_get_error (f->model));
  g_assert_cmpuint (f->failures, ==, 1);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, 0);
  bough_object_model_set_branch (f->model, NULL);
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, N_WIDGETS);

  /* before the widgets were loaded there were none */
  bough_object_model_set_at (f->model, f->before_data);
  reload_and_wait (f);
  g_assert_cmpuint (bough_object_model_get_count (f->model), ==, 0);
}

/* The generated queries run on the server as they are, hierarchies
 * included: a city's page names its region, the region's its cities. */
static void
test_query_live (Fixture       *f,
                 gconstpointer  data)
{
  BoughNodeSchema *city = NULL;
  BoughNodeSchema *region = NULL;
  BoughRelationshipSchema *parent;
  BoughObjectListQuery list = { 0 };
  g_autoptr(JsonNode) made = NULL;
  g_autoptr(JsonNode) detail = NULL;
  g_autoptr(JsonNode) listed = NULL;
  g_autoptr(JsonNode) children = NULL;
  g_autofree char *query = NULL;
  g_autofree char *city_id = NULL;
  g_autofree char *region_id = NULL;
  g_autofree char *text = NULL;
  JsonObject *node;

  if (f->client == NULL)
    return;
  city = bough_schema_lookup (f->schema, "TestingCity");
  region = bough_schema_lookup (f->schema, "TestingRegion");
  g_assert_nonnull (city);
  g_assert_nonnull (region);
  parent = bough_node_schema_get_relationship (city, "parent");
  g_assert_true (bough_object_relationship_is_editable (parent));
  g_assert_false (bough_object_relationship_is_editable (bough_node_schema_get_relationship (
    region, "children")));

  made = objects_query (f->client,
                        "mutation { r: TestingRegionCreate(data: {name: {value: \"north\"}})"
                        " { object { id } } }", NULL);
  region_id = g_strdup (objects_made_id (made, "r"));
  query = g_strdup_printf ("mutation { c: TestingCityCreate(data: {name: {value: \"oslo\"},"
                           " parent: {id: \"%s\"}}) { object { id } } }", region_id);
  g_clear_pointer (&made, json_node_unref);
  made = objects_query (f->client, query, NULL);
  city_id = g_strdup (objects_made_id (made, "c"));

  g_clear_pointer (&query, g_free);
  query = bough_object_query_detail (city, city_id);
  detail = objects_query (f->client, query, NULL);
  node = objects_first_node (detail, "TestingCity");
  text = bough_object_cell_text (city, node, "parent");
  g_assert_cmpstr (text, ==, "north");

  g_clear_pointer (&query, g_free);
  query = bough_object_query_detail (region, region_id);
  children = objects_query (f->client, query, NULL);
  node = objects_first_node (children, "TestingRegion");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (node, "children"),
                                               "count"), ==, 1);

  list.limit = 10;
  list.with_count = TRUE;
  g_clear_pointer (&query, g_free);
  query = bough_object_query_list (bough_schema_lookup (f->schema, "TestingPlace"), &list);
  listed = objects_query (f->client, query, NULL);
  node = json_object_get_object_member (json_node_get_object (listed), "TestingPlace");
  g_assert_cmpint (json_object_get_int_member (node, "count"), ==, 2);
}

/* A server older than node_metadata: refuses the field, answers without. */
typedef struct
{
  guint refused;
  guint answered;
} OldServer;

static void
old_server_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  OldServer *old = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *request = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  const char *reply;

  if (strstr (request, "node_metadata") != NULL)
    {
      old->refused++;
      reply = "{\"data\": null, \"errors\": [{\"message\": \"Cannot query field"
              " \\\"node_metadata\\\" on type \\\"EdgedTestingWidget\\\".\"}]}";
    }
  else
    {
      old->answered++;
      reply = "{\"data\": {\"TestingWidget\": {\"count\": 2, \"edges\": ["
              "{\"node\": {\"id\": \"a\", \"display_label\": \"one\"}},"
              "{\"node\": {\"id\": \"b\", \"display_label\": \"two\"}}]}}}";
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, reply,
                                    strlen (reply));
}

static void
test_model_old_server (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughSchema) schema = parse_test_schema ();
  g_autoptr(BoughClient) client = NULL;
  g_autoptr(BoughObjectModel) model = NULL;
  g_autoptr(BoughObjectItem) item = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  OldServer old = { 0 };
  BoughObjectOrder created = { BOUGH_OBJECT_ORDER_CREATED, TRUE };
  guint failures = 0;

  soup_server_add_handler (server, "/graphql", old_server_cb, &old, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  client = bough_client_new (url);
  bough_client_set_token (client, "token");

  model = bough_object_model_new (client, schema, "TestingWidget");
  g_signal_connect_swapped (model, "failed", G_CALLBACK (count_failure), &failures);
  g_assert_true (bough_object_model_get_has_metadata (model));
  bough_object_model_reload (model);
  objects_wait_until (not_loading, model);
  /* refused once, then asked without the metadata */
  g_assert_null (bough_object_model_get_error (model));
  g_assert_cmpuint (failures, ==, 0);
  g_assert_cmpuint (old.refused, ==, 1);
  g_assert_cmpuint (old.answered, ==, 1);
  g_assert_false (bough_object_model_get_has_metadata (model));
  g_assert_cmpuint (bough_object_model_get_count (model), ==, 2);
  item = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpstr (bough_object_item_get_display_label (item), ==, "two");
  g_assert_null (bough_object_item_get_metadata (item));

  /* sorting by the creation time is this server's to refuse: no retry */
  bough_object_model_set_order (model, &created, 1);
  objects_wait_until (not_loading, model);
  g_assert_nonnull (bough_object_model_get_error (model));
  g_assert_cmpuint (failures, ==, 1);
  g_assert_cmpuint (old.refused, ==, 2);
  g_assert_cmpuint (old.answered, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/object-query/text", test_query_text);
  g_test_add_func ("/object-query/values", test_query_values);
  g_test_add_func ("/object-query/order", test_query_order);
  g_test_add_func ("/object-query/error-field", test_error_field);
  g_test_add ("/object-query/live", Fixture, NULL, fixture_set_up, test_query_live,
              fixture_tear_down);
  g_test_add ("/object-model/paging", Fixture, NULL, fixture_set_up, test_model_paging,
              fixture_tear_down);
  g_test_add ("/object-model/filters", Fixture, NULL, fixture_set_up, test_model_filters,
              fixture_tear_down);
  g_test_add_func ("/object-model/old-server", test_model_old_server);
  g_test_add ("/object-model/branch-time", Fixture, NULL, fixture_set_up, test_model_branch_time,
              fixture_tear_down);
  return g_test_run ();
}
