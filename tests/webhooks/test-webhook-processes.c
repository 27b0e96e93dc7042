/* test-webhook-processes.c: webhooks with several processes on one
 * database: `serve` and two `worker` processes all dispatch events and run
 * deliveries, and each event reaches the receiver exactly once.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "webhook-test-common.h"
#include "../test-util.h"

#define TOKEN  "webhook-processes-token-0123456789"
#define SECRET "processes-secret"
#define N_TAGS 24

static char *server_binary;

typedef struct
{
  char     *dir;
  Receiver  receiver;
} Fixture;

static GSubprocessLauncher *
make_launcher (const char *stderr_path)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  static const char * const settings[] = {
    "BOUGH_INITIAL_ADMIN_TOKEN=" TOKEN,
    "BOUGH_SECURITY_PASSWORD_COST=minimal",
    "BOUGH_WEBHOOKS_ALLOW_HOSTS=127.0.0.1",
    "BOUGH_WEBHOOKS_POLL_INTERVAL=1",
    "BOUGH_TASKS_POLL_INTERVAL=50",
    "BOUGH_TASKS_CONCURRENCY=2",
  };

  for (guint i = 0; env[i] != NULL; i++)
    if (!g_str_has_prefix (env[i], "BOUGH_") || g_str_has_prefix (env[i], "BOUGH_SCHEMA_LIBRARY="))
      g_ptr_array_add (kept, env[i]);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    g_ptr_array_add (kept, (gpointer) settings[i]);
  g_ptr_array_add (kept, NULL);
  g_subprocess_launcher_set_environ (launcher, (char **) kept->pdata);
  g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  return g_steal_pointer (&launcher);
}

static GSubprocess *
start_process (Fixture     *f,
               const char  *command,
               char       **out_line)
{
  static guint counter;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = g_strdup_printf ("%s/process-%u.log", f->dir, counter++);
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (log);
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  if (g_str_equal (command, "serve"))
    process = g_subprocess_launcher_spawn (launcher, &error, server_binary, "serve", "--data-dir",
                                           f->dir, "--listen", "127.0.0.1:0", NULL);
  else
    process = g_subprocess_launcher_spawn (launcher, &error, server_binary, command, "--data-dir",
                                           f->dir, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("%s says: %s", command, line);
  if (out_line != NULL)
    *out_line = g_steal_pointer (&line);
  return process;
}

static void
stop_process (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) init = NULL;
  g_autofree char *log = NULL;

  f->dir = g_dir_make_tmp ("bough-webhooks-XXXXXX", &error);
  g_assert_no_error (error);
  log = g_build_filename (f->dir, "db-init.log", NULL);
  launcher = make_launcher (log);
  init = g_subprocess_launcher_spawn (launcher, &error, server_binary, "db", "init", "--data-dir",
                                      f->dir, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (init, NULL, &error));
  g_assert_no_error (error);
  receiver_start (&f->receiver, SECRET);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  receiver_stop (&f->receiver);
  bough_test_remove_tree (f->dir);
  g_free (f->dir);
}

static JsonNode *
graphql (SoupSession *session,
         const char  *base,
         const char  *query)
{
  g_autofree char *url = g_strdup_printf ("%s/graphql", base);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonNode *root;
  gsize length;
  const char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, query);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  text = json_to_string (request, FALSE);
  body = g_bytes_new (text, strlen (text));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_message_headers_append (soup_message_get_request_headers (msg), "X-INFRAHUB-KEY", TOKEN);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  data = g_bytes_get_data (answer, &length);
  g_assert_true (json_parser_load_from_data (parser, data, length, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  if (json_object_has_member (json_node_get_object (root), "errors"))
    g_error ("GraphQL errors: %.*s", (int) length, data);
  return json_node_ref (root);
}

static gint64
task_count (SoupSession *session,
            const char  *base,
            const char  *state)
{
  g_autofree char *query = g_strdup_printf ("{ InfrahubTask(workflow: [\"webhook-send\"]%s%s%s) { count } }",
                                            state != NULL ? ", state: [" : "",
                                            state != NULL ? state : "", state != NULL ? "]" : "");
  g_autoptr(JsonNode) r = graphql (session, base, query);

  return json_object_get_int_member (json_object_get_object_member (json_object_get_object_member (
                                       json_node_get_object (r), "data"), "InfrahubTask"), "count");
}

/* Three processes dispatch the same events and run deliveries: one task
 * and one delivery per event, none twice. */
static void
test_three_processes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GSubprocess) serve = NULL;
  g_autoptr(GSubprocess) worker1 = NULL;
  g_autoptr(GSubprocess) worker2 = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GHashTable) message_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) event_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonArray) records = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autofree char *query = NULL;
  const char *base;

  if (f->receiver.process == NULL)
    return;
  serve = start_process (f, "serve", &line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  base = line + strlen ("listening on ");
  worker1 = start_process (f, "worker", NULL);
  worker2 = start_process (f, "worker", NULL);

  url = receiver_url (&f->receiver, "/ok");
  query = g_strdup_printf ("mutation { CoreStandardWebhookCreate(data: {name: {value: \"shared\"},"
                           " url: {value: \"%s\"}, shared_key: {value: \"" SECRET "\"},"
                           " event_type: {value: \"infrahub.node.created\"}, node_kind: {value: \"BuiltinTag\"}})"
                           " { ok } }", url);
  json_node_unref (graphql (session, base, query));
  for (guint i = 0; i < N_TAGS; i++)
    {
      g_autofree char *create = g_strdup_printf (
        "mutation { BuiltinTagCreate(data: {name: {value: \"tag-%u\"}}) { ok } }", i);

      json_node_unref (graphql (session, base, create));
    }

  /* all delivered, then nothing more to run */
  while (task_count (session, base, "COMPLETED") < N_TAGS)
    {
      g_assert_cmpint (task_count (session, base, "FAILED"), ==, 0);
      g_usleep (50 * 1000);
    }
  /* the dispatchers have gone over every event by now: still one task each */
  g_usleep (2500 * 1000);
  g_assert_cmpint (task_count (session, base, NULL), ==, N_TAGS);

  records = receiver_records (&f->receiver);
  g_assert_cmpuint (json_array_get_length (records), ==, N_TAGS);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      JsonObject *headers = json_object_get_object_member (record, "headers");
      g_autoptr(JsonNode) body = json_from_string (json_object_get_string_member (record, "body"), NULL);

      g_assert_true (json_object_get_boolean_member (record, "verified"));
      g_assert_false (json_object_get_boolean_member (record, "duplicate"));
      g_hash_table_add (message_ids, g_strdup (json_object_get_string_member (headers, "webhook-id")));
      g_hash_table_add (event_ids, g_strdup (json_object_get_string_member (json_node_get_object (body), "id")));
    }
  g_assert_cmpuint (g_hash_table_size (message_ids), ==, N_TAGS);
  g_assert_cmpuint (g_hash_table_size (event_ids), ==, N_TAGS);

  stop_process (worker1);
  stop_process (worker2);
  stop_process (serve);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server_binary = g_test_build_filename (G_TEST_BUILT, "..", "server", "bough-server", NULL);
  g_test_add ("/webhooks/processes/three", Fixture, NULL, fixture_setup, test_three_processes,
              fixture_teardown);

  return g_test_run ();
}
