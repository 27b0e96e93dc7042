/* test-server.c: BoughServer in process: data directory set-up, deployment
 * id, start and stop, start-up failures.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-server"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bough-error.h"
#include "bough-server.h"

static BoughConfig *
make_config (const char *data_dir)
{
  static const char * const empty_env[] = { NULL };
  g_autoptr(GError) error = NULL;
  BoughConfig *config;

  config = bough_config_load (NULL, data_dir, "127.0.0.1:0", empty_env, &error);
  g_assert_no_error (error);
  return config;
}

static void
test_server_deployment_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "deployment", NULL);
  g_autofree char *path = g_build_filename (dir, "deployment-id", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *corrupt = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  first = bough_server_ensure_deployment_id (dir, &error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (first));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  second = bough_server_ensure_deployment_id (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, second);

  /* A damaged file is reported, not silently replaced: the id is the
   * deployment's identity. */
  g_file_set_contents (path, "not-a-uuid\n", -1, &error);
  g_assert_no_error (error);
  corrupt = bough_server_ensure_deployment_id (dir, &error);
  g_assert_null (corrupt);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_nonnull (g_strstr_len (error->message, -1, path));
}

static void
test_server_init_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "a", "b", NULL);
  g_autoptr(BoughConfig) config = make_config (dir);
  g_autofree char *storage = g_build_filename (dir, "storage", NULL);
  g_autofree char *db = g_build_filename (dir, "bough.db", NULL);
  gboolean created = FALSE;

  g_assert_true (bough_server_init_database (config, &created, &error));
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (storage, G_FILE_TEST_IS_DIR));

  g_assert_true (bough_server_init_database (config, &created, &error));
  g_assert_no_error (error);
  g_assert_false (created);
}

static void
test_server_bad_data_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (g_get_user_data_dir (), "plain-file", NULL);
  g_autoptr(BoughServer) server = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_file_set_contents (file, "", -1, &error);
  g_assert_no_error (error);

  server = bough_server_new (make_config (file));
  g_assert_false (bough_server_start (server, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_nonnull (g_strstr_len (error->message, -1, file));
  g_assert_null (bough_server_get_store (server));
  g_assert_null (bough_server_get_router (server));
  g_assert_null (bough_server_get_uri (server));
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} Pending;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Pending *pending = user_data;

  pending->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                     &pending->error);
  pending->done = TRUE;
}

static void
test_server_start_stop (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "serve", NULL);
  g_autoptr(BoughServer) server = bough_server_new (make_config (dir));
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *url = NULL;
  JsonObject *info;
  Pending pending = { 0 };

  g_assert_true (bough_server_start (server, &error));
  g_assert_no_error (error);
  g_assert_nonnull (bough_server_get_store (server));
  g_assert_true (g_str_has_prefix (bough_server_get_uri (server), "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (bough_server_get_uri (server), ":0"));

  /* The server runs on this thread's main context: ask asynchronously. */
  url = g_strconcat (bough_server_get_uri (server), "/api/info", NULL);
  msg = soup_message_new ("GET", url);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &pending);
  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (pending.error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);

  json_parser_load_from_data (parser, g_bytes_get_data (pending.body, NULL),
                              g_bytes_get_size (pending.body), &error);
  g_assert_no_error (error);
  info = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (info, "deployment_id"), ==,
                   bough_server_get_deployment_id (server));
  g_bytes_unref (pending.body);

  soup_session_abort (session);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  bough_server_stop (server);
  g_assert_null (bough_server_get_store (server));
  g_assert_null (bough_server_get_router (server));
  /* Stopping twice is harmless. */
  bough_server_stop (server);

  g_assert_finalize_object (g_steal_pointer (&server));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/deployment-id", test_server_deployment_id);
  g_test_add_func ("/server/init-database", test_server_init_database);
  g_test_add_func ("/server/bad-data-dir", test_server_bad_data_dir);
  g_test_add_func ("/server/start-stop", test_server_start_stop);

  return g_test_run ();
}
