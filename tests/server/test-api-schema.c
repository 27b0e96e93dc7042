/* test-api-schema.c: the REST endpoints of a running server: info, config,
 * menu, the schema read endpoints and their shapes, schema load and check
 * (idempotence, the diff, refusals), and bad input changing nothing.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-api-schema"

#include "config.h"

#include "api-test-common.h"

/* Single quotes stand for double quotes, to keep the bodies readable. */
static char *
body (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

static const char site_schema[] =
  "{'schemas': [{'version': '1.0', 'nodes': ["
  "  {'name': 'Site', 'namespace': 'Testing', 'icon': 'mdi:office-building',"
  "   'human_friendly_id': ['name__value'],"
  "   'attributes': [{'name': 'name', 'kind': 'Text', 'unique': true},"
  "                  {'name': 'city', 'kind': 'Text', 'optional': true}]},"
  "  {'name': 'Rack', 'namespace': 'Testing', 'menu_placement': 'TestingSite',"
  "   'attributes': [{'name': 'name', 'kind': 'Text'}]}"
  "]}]}";

static JsonObject *
reply_object (ApiReply *reply,
              guint     status)
{
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (reply->status, ==, status);
  root = api_parse (reply->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static char *
current_hash (ApiFixture *f)
{
  g_auto(ApiReply) reply = { 0 };
  g_autoptr(JsonObject) object = NULL;

  api_request (f, "GET", "/api/schema/summary", NULL, &reply);
  object = reply_object (&reply, SOUP_STATUS_OK);
  return g_strdup (json_object_get_string_member (object, "main"));
}

static JsonObject *
post (ApiFixture *f,
      const char *path,
      const char *text,
      guint       status)
{
  g_auto(ApiReply) reply = { 0 };
  g_autofree char *json = body (text);

  api_request (f, "POST", path, json, &reply);
  return reply_object (&reply, status);
}

/* Posts @text and asserts a refusal with @status whose message holds
 * @needle, and that the stored schema did not change. */
static void
assert_refused (ApiFixture *f,
                const char *path,
                const char *text,
                guint       status,
                const char *needle)
{
  g_auto(ApiReply) reply = { 0 };
  g_autofree char *json = body (text);
  g_autofree char *before = current_hash (f);
  g_autofree char *after = NULL;
  g_autofree char *message = NULL;

  api_request (f, "POST", path, json, &reply);
  message = api_assert_error (&reply, status);
  if (needle != NULL && strstr (message, needle) == NULL)
    g_error ("'%s' not in the message: %s", needle, message);
  after = current_hash (f);
  g_assert_cmpstr (before, ==, after);
}

static void
create_site (ApiFixture *f,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  BoughStore *store = bough_server_get_store (f->server);
  g_autoptr(BoughTxn) txn = bough_store_begin (store, NULL, "tester", &error);
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonObject) value = json_object_new ();
  g_autoptr(BoughNode) node = NULL;

  g_assert_no_error (error);
  json_object_set_string_member (value, "value", name);
  json_object_set_object_member (data, "name", g_steal_pointer (&value));
  node = bough_txn_create (txn, "TestingSite", data, &error);
  g_assert_no_error (error);
  g_assert_true (bough_txn_commit (txn, &error));
  g_assert_no_error (error);
}

static void
load_sites (ApiFixture *f)
{
  g_autoptr(JsonObject) object = post (f, "/api/schema/load", site_schema, SOUP_STATUS_OK);

  g_assert_true (json_object_get_boolean_member (object, "schema_updated"));
}

static void
assert_element_shape (JsonObject *element)
{
  g_assert_nonnull (json_object_get_string_member (element, "name"));
  g_assert_nonnull (json_object_get_string_member (element, "namespace"));
  g_assert_cmpuint (strlen (json_object_get_string_member (element, "hash")), ==, 64);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (element, "attributes")));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (element, "relationships")));
}

static void
test_api_info_config (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) info = { 0 };
  g_auto(ApiReply) config = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) config_object = NULL;

  api_fixture_start (&f, NULL);

  api_request (&f, "GET", "/api/info", NULL, &info);
  object = reply_object (&info, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (object, "deployment_id"), ==,
                   bough_server_get_deployment_id (f.server));
  g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, PACKAGE_VERSION);

  api_request (&f, "GET", "/api/config", NULL, &config);
  config_object = reply_object (&config, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config_object,
                                                                                 "main"),
                                                  "default_branch"), ==, "main");
  g_assert_true (json_object_has_member (config_object, "logging"));
  g_assert_true (json_object_has_member (config_object, "analytics"));
  g_assert_true (json_object_has_member (config_object, "experimental_features"));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (config_object,
                                                                                 "sso"),
                                                  "enabled"));

  api_fixture_stop (&f);
}

static void
test_api_schema_read (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) all = { 0 };
  g_auto(ApiReply) filtered = { 0 };
  g_auto(ApiReply) summary = { 0 };
  g_auto(ApiReply) one = { 0 };
  g_auto(ApiReply) missing = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) summary_object = NULL;
  g_autoptr(JsonObject) filtered_object = NULL;
  g_autoptr(JsonObject) tag = NULL;
  g_autofree char *message = NULL;
  const char * const lists[] = { "nodes", "generics", "profiles", "templates" };
  JsonArray *namespaces;
  gboolean core_seen = FALSE;

  api_fixture_start (&f, NULL);

  api_request (&f, "GET", "/api/schema", NULL, &all);
  object = reply_object (&all, SOUP_STATUS_OK);
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "main")), ==, 64);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *array = json_object_get_array_member (object, lists[l]);

      g_assert_nonnull (array);
      for (guint i = 0; i < json_array_get_length (array); i++)
        assert_element_shape (json_array_get_object_element (array, i));
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "nodes")), >, 10);
  namespaces = json_object_get_array_member (object, "namespaces");
  for (guint i = 0; i < json_array_get_length (namespaces); i++)
    {
      JsonObject *ns = json_array_get_object_element (namespaces, i);

      if (g_str_equal (json_object_get_string_member (ns, "name"), "Core"))
        {
          core_seen = TRUE;
          g_assert_false (json_object_get_boolean_member (ns, "user_editable"));
        }
    }
  g_assert_true (core_seen);

  /* The namespaces filter repeats its parameter, as the SDK sends it. */
  api_request (&f, "GET", "/api/schema?branch=main&namespaces=Builtin&namespaces=Lineage", NULL,
               &filtered);
  filtered_object = reply_object (&filtered, SOUP_STATUS_OK);
  {
    JsonArray *nodes = json_object_get_array_member (filtered_object, "nodes");
    JsonArray *generics = json_object_get_array_member (filtered_object, "generics");

    g_assert_cmpuint (json_array_get_length (nodes), >=, 1);
    g_assert_cmpuint (json_array_get_length (generics), >=, 1);
    gboolean lineage_seen = FALSE;

    for (guint i = 0; i < json_array_get_length (nodes); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (nodes, i),
                                                      "namespace"), ==, "Builtin");
    for (guint i = 0; i < json_array_get_length (generics); i++)
      {
        const char *ns = json_object_get_string_member (json_array_get_object_element (generics,
                                                                                        i),
                                                        "namespace");

        g_assert_true (g_str_equal (ns, "Builtin") || g_str_equal (ns, "Lineage"));
        lineage_seen |= g_str_equal (ns, "Lineage");
      }
    g_assert_true (lineage_seen);
  }

  api_request (&f, "GET", "/api/schema/summary", NULL, &summary);
  summary_object = reply_object (&summary, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (summary_object, "main"), ==,
                   json_object_get_string_member (object, "main"));
  g_assert_cmpuint (strlen (json_object_get_string_member (
                              json_object_get_object_member (summary_object, "nodes"),
                              "BuiltinTag")), ==, 64);

  api_request (&f, "GET", "/api/schema/BuiltinTag", NULL, &one);
  tag = reply_object (&one, SOUP_STATUS_OK);
  assert_element_shape (tag);
  g_assert_cmpstr (json_object_get_string_member (tag, "kind"), ==, "BuiltinTag");
  g_assert_cmpstr (json_object_get_string_member (tag, "hash"), ==,
                   json_object_get_string_member (json_object_get_object_member (summary_object,
                                                                                 "nodes"),
                                                  "BuiltinTag"));

  api_request (&f, "GET", "/api/schema/NoSuchKind", NULL, &missing);
  message = api_assert_error (&missing, SOUP_STATUS_NOT_FOUND);
  g_assert_nonnull (strstr (message, "NoSuchKind"));

  api_fixture_stop (&f);
}

static void
test_api_unknown_branch (void)
{
  ApiFixture f = { 0 };
  const char * const gets[] = {
    "/api/schema?branch=nope", "/api/schema/summary?branch=nope",
    "/api/schema/BuiltinTag?branch=nope", "/api/menu?branch=nope",
  };

  api_fixture_start (&f, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (gets); i++)
    {
      g_auto(ApiReply) reply = { 0 };
      g_autofree char *message = NULL;

      api_request (&f, "GET", gets[i], NULL, &reply);
      message = api_assert_error (&reply, SOUP_STATUS_BAD_REQUEST);
      g_assert_nonnull (strstr (message, "nope"));
    }
  assert_refused (&f, "/api/schema/load?branch=nope", site_schema, SOUP_STATUS_BAD_REQUEST,
                  "nope");
  assert_refused (&f, "/api/schema/check?branch=nope", site_schema, SOUP_STATUS_BAD_REQUEST,
                  "nope");

  api_fixture_stop (&f);
}

static void
test_api_load_idempotent (void)
{
  ApiFixture f = { 0 };
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) diff = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(ApiReply) site = { 0 };
  g_autoptr(JsonObject) site_object = NULL;

  api_fixture_start (&f, NULL);
  before = current_hash (&f);

  first = post (&f, "/api/schema/load", site_schema, SOUP_STATUS_OK);
  g_assert_true (json_object_get_boolean_member (first, "schema_updated"));
  g_assert_cmpstr (json_object_get_string_member (first, "previous_hash"), ==, before);
  g_assert_cmpstr (json_object_get_string_member (first, "hash"), !=, before);
  diff = json_object_ref (json_object_get_object_member (first, "diff"));
  g_assert_true (json_object_has_member (json_object_get_object_member (diff, "added"),
                                         "TestingSite"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "warnings")),
                    ==, 0);
  after = current_hash (&f);
  g_assert_cmpstr (after, ==, json_object_get_string_member (first, "hash"));

  /* The same files again change nothing. */
  second = post (&f, "/api/schema/load", site_schema, SOUP_STATUS_OK);
  g_assert_false (json_object_get_boolean_member (second, "schema_updated"));
  g_assert_cmpstr (json_object_get_string_member (second, "hash"), ==,
                   json_object_get_string_member (second, "previous_hash"));
  g_assert_cmpstr (json_object_get_string_member (second, "hash"), ==, after);

  api_request (&f, "GET", "/api/schema/TestingSite", NULL, &site);
  site_object = reply_object (&site, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (site_object, "icon"), ==, "mdi:office-building");

  api_fixture_stop (&f);
}

static void
test_api_check (void)
{
  ApiFixture f = { 0 };
  g_autoptr(JsonObject) none = NULL;
  g_autoptr(JsonObject) some = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  JsonObject *diff;
  JsonObject *attributes;

  api_fixture_start (&f, NULL);
  load_sites (&f);
  before = current_hash (&f);

  none = post (&f, "/api/schema/check", site_schema, SOUP_STATUS_ACCEPTED);
  diff = json_object_get_object_member (none, "diff");
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (diff, "added")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (diff, "changed")), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (diff, "removed")), ==, 0);

  some = post (&f, "/api/schema/check",
               "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                  " 'namespace': 'Testing',"
               " 'attributes': [{'name': 'status', 'kind': 'Text', 'optional': true}]}]}]}",
               SOUP_STATUS_ACCEPTED);
  diff = json_object_get_object_member (some, "diff");
  attributes = json_object_get_object_member (
    json_object_get_object_member (
      json_object_get_object_member (json_object_get_object_member (diff, "changed"),
                                     "TestingSite"), "changed"), "attributes");
  g_assert_true (json_object_has_member (json_object_get_object_member (attributes, "added"),
                                         "status"));

  /* A check stores nothing. */
  after = current_hash (&f);
  g_assert_cmpstr (before, ==, after);

  api_fixture_stop (&f);
}

static void
test_api_export_keys (void)
{
  ApiFixture f = { 0 };
  g_autoptr(JsonObject) same = NULL;
  g_auto(ApiReply) site = { 0 };
  g_autoptr(JsonObject) site_object = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_auto(ApiReply) site_extra = { 0 };
  g_autoptr(JsonObject) extra_object = NULL;
  JsonArray *attributes;

  api_fixture_start (&f, NULL);
  load_sites (&f);

  /* /api/schema gives every field display=default; what it gives loads back. */
  api_request (&f, "GET", "/api/schema/TestingSite", NULL, &site);
  site_object = reply_object (&site, SOUP_STATUS_OK);
  attributes = json_object_get_array_member (site_object, "attributes");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attributes, 0),
                                                  "display"), ==, "default");

  same = post (&f, "/api/schema/load",
               "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                  " 'namespace': 'Testing',"
               " 'kind': 'TestingSite', 'attributes': [{'name': 'name', 'kind': 'Text',"
               " 'unique': true, 'display': 'default'}]}]}]}",
               SOUP_STATUS_OK);
  g_assert_false (json_object_get_boolean_member (same, "schema_updated"));

  /* The body reaches the schema engine unchanged: it checks the kind and
   * the display value itself. */
  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                  " 'namespace': 'Testing',"
                  " 'kind': 'TestingOther', 'attributes': []}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY, "kind 'TestingOther'");
  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                  " 'namespace': 'Testing',"
                  " 'attributes': [{'name': 'name', 'kind': 'Text', 'display': 'hidden'}]}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid display 'hidden'");

  /* display is a real property: extra is stored and served back. */
  extra = post (&f, "/api/schema/load",
                "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                   " 'namespace': 'Testing', 'kind': 'TestingSite',"
                " 'attributes': [{'name': 'name', 'kind': 'Text', 'unique': true,"
                " 'display': 'extra'}]}]}]}",
                SOUP_STATUS_OK);
  g_assert_true (json_object_get_boolean_member (extra, "schema_updated"));
  api_request (&f, "GET", "/api/schema/TestingSite", NULL, &site_extra);
  extra_object = reply_object (&site_extra, SOUP_STATUS_OK);
  attributes = json_object_get_array_member (extra_object, "attributes");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (attributes, 0),
                                                  "display"), ==, "extra");
  /* Keys of the wrong type are left to the builder to refuse. */
  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                  " 'namespace': 'Testing',"
                  " 'kind': 5, 'attributes': [{'name': 'name', 'kind': 'Text',"
                  " 'display': {}}]}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY, "TestingSite");
  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                  " 'namespace': 'Testing',"
                  " 'attributes': 'none'}], 'extensions': {'nodes': 3}}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY, "attributes");

  api_fixture_stop (&f);
}

static void
test_api_bad_input (void)
{
  ApiFixture f = { 0 };
  const char * const paths[] = { "/api/schema/load", "/api/schema/check" };

  api_fixture_start (&f, NULL);
  load_sites (&f);

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      assert_refused (&f, paths[p], "{'schemas': [", SOUP_STATUS_UNPROCESSABLE_ENTITY, "JSON");
      assert_refused (&f, paths[p], "", SOUP_STATUS_UNPROCESSABLE_ENTITY, "JSON");
      assert_refused (&f, paths[p], "[1, 2]", SOUP_STATUS_UNPROCESSABLE_ENTITY, "schemas");
      assert_refused (&f, paths[p], "{'schemas': {'nodes': []}}",
                      SOUP_STATUS_UNPROCESSABLE_ENTITY, "schemas");
      assert_refused (&f, paths[p], "{'schemas': ['text']}", SOUP_STATUS_UNPROCESSABLE_ENTITY,
                      "schemas[0]");
      /* Wrong types and unknown kinds inside a schema file. */
      assert_refused (&f, paths[p],
                      "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Bad', 'namespace': "
                      "'Testing', 'attributes': [{'name': 'size', 'kind': 'Gigantic'}]}]}]}",
                      SOUP_STATUS_UNPROCESSABLE_ENTITY, "Gigantic");
      assert_refused (&f, paths[p],
                      "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Bad', 'namespace': "
                      "'Testing', 'attributes': [{'name': 'size', 'kind': 'Text', "
                      "'optional': 'maybe'}]}]}]}",
                      SOUP_STATUS_UNPROCESSABLE_ENTITY, "optional");
      assert_refused (&f, paths[p],
                      "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Thing', 'namespace': "
                      "'Core', 'attributes': [{'name': 'name', 'kind': 'Text'}]}]}]}",
                      SOUP_STATUS_UNPROCESSABLE_ENTITY, "Core");
      /* The second file is bad: the first is not applied either. */
      assert_refused (&f, paths[p],
                      "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Fine', 'namespace': "
                      "'Testing', 'attributes': [{'name': 'name', 'kind': 'Text'}]}]},"
                      " {'version': '1.0', 'nodes': [{'name': 'Worse', 'namespace': 'Testing',"
                      " 'attributes': [{'name': 'x', 'kind': 'Text'}]}]}]}",
                      SOUP_STATUS_UNPROCESSABLE_ENTITY, "schemas[1]");
    }

  api_fixture_stop (&f);
}

static void
test_api_refusals (void)
{
  ApiFixture f = { 0 };
  g_autoptr(JsonObject) accepted = NULL;
  g_autoptr(JsonObject) empty_kind = NULL;

  api_fixture_start (&f, NULL);
  load_sites (&f);

  /* Branch support is immutable, data or not. */
  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site', 'namespace': "
                  "'Testing', 'attributes': [{'name': 'city', 'kind': 'Text', 'optional': true,"
                  " 'branch': 'agnostic'}]}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY,
                  "TestingSite.city: changing 'branch' is not supported");

  /* A mandatory attribute without default on a kind without data is fine. */
  empty_kind = post (&f, "/api/schema/load",
                     "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Rack', 'namespace': "
                     "'Testing', 'attributes': [{'name': 'units', 'kind': 'Number'}]}]}]}",
                     SOUP_STATUS_OK);
  g_assert_true (json_object_get_boolean_member (empty_kind, "schema_updated"));

  create_site (&f, "atl1");
  create_site (&f, "ord1");

  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site', 'namespace': "
                  "'Testing', 'attributes': [{'name': 'status', 'kind': 'Text'}]}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY, "TestingSite: the new attribute 'status'");
  assert_refused (&f, "/api/schema/check",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site', 'namespace': "
                  "'Testing', 'attributes': [{'name': 'status', 'kind': 'Text'}]}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY, "2 existing nodes");

  /* Making an attribute mandatory that stored nodes leave empty. */
  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site', 'namespace': "
                  "'Testing', 'attributes': [{'name': 'city', 'kind': 'Text',"
                  " 'optional': false}]}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY,
                  "TestingSite.city: changing 'optional' would break 2 existing nodes");

  /* Removing a kind that has nodes. */
  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site', 'namespace': "
                  "'Testing', 'state': 'absent', 'attributes': []}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY,
                  "TestingSite: cannot remove a kind that has 2 nodes");

  /* Converting stored values is not done yet: refused while data exists. */
  assert_refused (&f, "/api/schema/load",
                  "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                  " 'namespace': 'Testing', 'attributes': [{'name': 'city', 'kind': 'Number',"
                  " 'optional': true}]}]}]}",
                  SOUP_STATUS_UNPROCESSABLE_ENTITY, "TestingSite.city: changing 'kind'");

  /* Removing an attribute is allowed, and the nodes still read. */
  {
    g_autoptr(JsonObject) removed = NULL;
    g_autoptr(BoughQuery) query = bough_query_new ("TestingSite");
    g_autoptr(BoughQueryResult) result = NULL;
    g_autoptr(GError) error = NULL;

    removed = post (&f, "/api/schema/load",
                    "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site',"
                    " 'namespace': 'Testing', 'attributes': [{'name': 'city', 'kind': 'Text',"
                    " 'state': 'absent'}]}]}]}",
                    SOUP_STATUS_OK);
    g_assert_true (json_object_get_boolean_member (removed, "schema_updated"));
    result = bough_store_query (bough_server_get_store (f.server), query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (result->nodes->len, ==, 2);
    g_assert_null (bough_node_get_value (g_ptr_array_index (result->nodes, 0), "city"));
  }

  /* With a default the new attribute is accepted. */
  accepted = post (&f, "/api/schema/load",
                   "{'schemas': [{'version': '1.0', 'nodes': [{'name': 'Site', 'namespace': "
                   "'Testing', 'attributes': [{'name': 'status', 'kind': 'Text',"
                   " 'default_value': 'active'}]}]}]}",
                   SOUP_STATUS_OK);
  g_assert_true (json_object_get_boolean_member (accepted, "schema_updated"));
  {
    g_autoptr(BoughQuery) query = bough_query_new ("TestingSite");
    g_autoptr(BoughQueryResult) result = NULL;
    g_autoptr(GError) error = NULL;
    JsonNode *value;

    result = bough_store_query (bough_server_get_store (f.server), query, &error);
    g_assert_no_error (error);
    value = bough_node_get_value (g_ptr_array_index (result->nodes, 0), "status");
    /* Existing nodes were given the default (the node.attribute.add migration). */
    g_assert_nonnull (value);
    g_assert_cmpstr (json_node_get_string (value), ==, "active");
  }

  api_fixture_stop (&f);
}

static gboolean
strv_node_contains (JsonArray  *array,
                    const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_str_equal (json_array_get_string_element (array, i), value))
      return TRUE;
  return FALSE;
}

static void
test_api_json_schema (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) reply = { 0 };
  g_auto(ApiReply) missing = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *message = NULL;
  JsonObject *properties;
  JsonArray *required;
  JsonNode *city_type;

  api_fixture_start (&f, NULL);
  load_sites (&f);

  api_request (&f, "GET", "/api/schema/json_schema/TestingSite", NULL, &reply);
  object = reply_object (&reply, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "TestingSite");
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "object");
  g_assert_false (json_object_get_boolean_member (object, "additionalProperties"));
  properties = json_object_get_object_member (object, "properties");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (properties,
                                                                                 "name"),
                                                  "type"), ==, "string");
  city_type = json_object_get_member (json_object_get_object_member (properties, "city"), "type");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (city_type));
  g_assert_true (strv_node_contains (json_node_get_array (city_type), "null"));
  g_assert_true (json_object_has_member (properties, "member_of_groups"));
  required = json_object_get_array_member (object, "required");
  g_assert_true (strv_node_contains (required, "name"));
  g_assert_false (strv_node_contains (required, "city"));

  api_request (&f, "GET", "/api/schema/json_schema/TestingNothing", NULL, &missing);
  message = api_assert_error (&missing, SOUP_STATUS_NOT_FOUND);
  g_assert_nonnull (strstr (message, "TestingNothing"));

  api_fixture_stop (&f);
}

static void
test_api_schema_at (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) past = { 0 };
  g_auto(ApiReply) bad = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *at = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *message = NULL;

  api_fixture_start (&f, NULL);
  before = current_hash (&f);
  at = bough_store_stamp_to_iso8601 (bough_store_now (bough_server_get_store (f.server)));
  load_sites (&f);
  after = current_hash (&f);
  g_assert_cmpstr (before, !=, after);

  escaped = g_uri_escape_string (at, NULL, FALSE);
  path = g_strdup_printf ("/api/schema?at=%s", escaped);
  api_request (&f, "GET", path, NULL, &past);
  object = reply_object (&past, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (object, "main"), ==, before);

  api_request (&f, "GET", "/api/schema/summary?at=yesterday-ish", NULL, &bad);
  message = api_assert_error (&bad, SOUP_STATUS_BAD_REQUEST);
  g_assert_nonnull (strstr (message, "at"));

  api_fixture_stop (&f);
}

static JsonObject *
find_item (JsonArray  *items,
           const char *kind)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (item, "kind"), kind))
        return item;
    }
  return NULL;
}

static void
test_api_menu (void)
{
  ApiFixture f = { 0 };
  g_auto(ApiReply) reply = { 0 };
  g_autoptr(JsonObject) menu = NULL;
  JsonObject *sections;
  JsonObject *site;
  JsonObject *rack;

  api_fixture_start (&f, NULL);
  load_sites (&f);

  api_request (&f, "GET", "/api/menu", NULL, &reply);
  menu = reply_object (&reply, SOUP_STATUS_OK);
  sections = json_object_get_object_member (menu, "sections");

  site = find_item (json_object_get_array_member (sections, "object"), "TestingSite");
  g_assert_nonnull (site);
  g_assert_cmpstr (json_object_get_string_member (site, "icon"), ==, "mdi:office-building");
  g_assert_cmpstr (json_object_get_string_member (site, "path"), ==, "/objects/TestingSite");
  g_assert_cmpstr (json_object_get_string_member (site, "label"), ==, "Site");
  /* Placed under its menu_placement, not at the top. */
  g_assert_null (find_item (json_object_get_array_member (sections, "object"), "TestingRack"));
  rack = find_item (json_object_get_array_member (site, "children"), "TestingRack");
  g_assert_nonnull (rack);
  g_assert_cmpstr (json_object_get_string_member (rack, "section"), ==, "object");

  g_assert_nonnull (find_item (json_object_get_array_member (sections, "internal"), "BuiltinTag"));

  api_fixture_stop (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/api-schema/info-config", test_api_info_config);
  g_test_add_func ("/api-schema/read", test_api_schema_read);
  g_test_add_func ("/api-schema/unknown-branch", test_api_unknown_branch);
  g_test_add_func ("/api-schema/load-idempotent", test_api_load_idempotent);
  g_test_add_func ("/api-schema/check", test_api_check);
  g_test_add_func ("/api-schema/bad-input", test_api_bad_input);
  g_test_add_func ("/api-schema/export-keys", test_api_export_keys);
  g_test_add_func ("/api-schema/refusals", test_api_refusals);
  g_test_add_func ("/api-schema/menu", test_api_menu);
  g_test_add_func ("/api-schema/json-schema", test_api_json_schema);
  g_test_add_func ("/api-schema/at", test_api_schema_at);

  return g_test_run ();
}
