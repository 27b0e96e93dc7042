/* test-config.c: BoughConfig: defaults, precedence of file, environment and
 * command line, validation errors, `config show` output.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-config"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "bough-error.h"
#include "bough-config.h"

static const char * const empty_env[] = { NULL };

/* A data directory inside the per-test isolated XDG directories. */
static char *
make_data_dir (void)
{
  char *dir = g_build_filename (g_get_user_data_dir (), "bough-test", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static char *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_config_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughConfig) config = NULL;
  g_autofree char *expected_dir = g_build_filename (g_get_user_data_dir (), "bough", NULL);
  g_autofree char *expected_db = g_build_filename (expected_dir, "bough.db", NULL);
  g_autofree char *expected_storage = g_build_filename (expected_dir, "storage", NULL);

  config = bough_config_load (NULL, NULL, NULL, empty_env, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (bough_config_get_data_dir (config), ==, expected_dir);
  g_assert_cmpstr (bough_config_get_database_path (config), ==, expected_db);
  g_assert_cmpstr (bough_config_get_storage_path (config), ==, expected_storage);
  g_assert_cmpstr (bough_config_get_listen_host (config), ==, "127.0.0.1");
  g_assert_cmpuint (bough_config_get_listen_port (config), ==, 8000);
  g_assert_cmpstr (bough_config_get_string (config, "database", "driver"), ==, "sqlite");
  g_assert_cmpstr (bough_config_get_string (config, "database", "synchronous"), ==, "full");
  g_assert_cmpstr (bough_config_get_string (config, "storage", "driver"), ==, "local");
  g_assert_cmpint (bough_config_get_int (config, "web", "concurrency"), ==, 4);
  g_assert_cmpint (bough_config_get_int (config, "web", "max_body_size"), ==, 10 * 1024 * 1024);
  g_assert_null (bough_config_get_string (config, "initial", "admin_token"));
  g_assert_null (bough_config_get_string (config, "initial", "admin_password"));
  g_assert_cmpint (bough_config_get_log_level (config), ==, G_LOG_LEVEL_MESSAGE);
  g_assert_null (bough_config_get_file (config));
  g_assert_cmpint (bough_config_get_source (config, "web", "concurrency"), ==,
                   BOUGH_CONFIG_SOURCE_DEFAULT);
  g_assert_true (bough_config_has_key ("web", "max_page_size"));
  g_assert_false (bough_config_has_key ("web", "nope"));
  g_assert_false (bough_config_has_key ("nope", "concurrency"));
}

static void
test_config_precedence (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughConfig) config = NULL;
  g_autofree char *dir = make_data_dir ();
  g_autofree char *file = NULL;
  const char * const envp[] = {
    "BOUGH_WEB_CONCURRENCY=8",
    "BOUGH_MAIN_LISTEN=127.0.0.1:9001",
    "BOUGH_INITIAL_ADMIN_TOKEN=06438eb2-8019-4776-878c-0941b1f1d1ec",
    "BOUGH_SCHEMA_LIBRARY=/not/a/config/key",
    NULL
  };

  file = write_file (dir, "bough.conf",
                     "# found in the data directory\n"
                     "[web]\n"
                     "concurrency = 3\n"
                     "max_page_size = 50\n"
                     "[main]\n"
                     "listen = 0.0.0.0:7000\n"
                     "[log]\n"
                     "level = debug\n");

  config = bough_config_load (NULL, dir, "127.0.0.1:0", envp, &error);
  g_assert_no_error (error);

  /* The file was found in the data directory given on the command line. */
  g_assert_cmpstr (bough_config_get_file (config), ==, file);

  /* file < env */
  g_assert_cmpint (bough_config_get_int (config, "web", "concurrency"), ==, 8);
  g_assert_cmpint (bough_config_get_source (config, "web", "concurrency"), ==,
                   BOUGH_CONFIG_SOURCE_ENV);
  /* default < file */
  g_assert_cmpint (bough_config_get_int (config, "web", "max_page_size"), ==, 50);
  g_assert_cmpint (bough_config_get_source (config, "web", "max_page_size"), ==,
                   BOUGH_CONFIG_SOURCE_FILE);
  g_assert_cmpint (bough_config_get_log_level (config), ==, G_LOG_LEVEL_DEBUG);
  /* file < env < command line */
  g_assert_cmpstr (bough_config_get_string (config, "main", "listen"), ==, "127.0.0.1:0");
  g_assert_cmpuint (bough_config_get_listen_port (config), ==, 0);
  g_assert_cmpint (bough_config_get_source (config, "main", "listen"), ==,
                   BOUGH_CONFIG_SOURCE_COMMAND_LINE);
  g_assert_cmpstr (bough_config_get_data_dir (config), ==, dir);
  /* The initial secrets are read now, for the accounts to use. */
  g_assert_cmpstr (bough_config_get_string (config, "initial", "admin_token"), ==,
                   "06438eb2-8019-4776-878c-0941b1f1d1ec");
  g_assert_cmpint (g_remove (file), ==, 0);
}

static void
test_config_explicit_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughConfig) config = NULL;
  g_autoptr(BoughConfig) missing = NULL;
  g_autofree char *dir = make_data_dir ();
  g_autofree char *in_dir = NULL;
  g_autofree char *other = NULL;
  g_autofree char *absent = g_build_filename (dir, "absent.conf", NULL);
  g_autofree char *db = g_build_filename (dir, "db", "main.sqlite", NULL);
  const char * const envp[] = { "BOUGH_MAIN_DATA_DIR=", NULL };

  in_dir = write_file (dir, "bough.conf", "[web]\nconcurrency=2\n");
  other = write_file (dir, "other.conf",
                      "[main]\n"
                      "data_dir = DATA\n"
                      "[database]\n"
                      "path = db/main.sqlite\n"
                      "[web]\n"
                      "max_body_size = 2M\n");
  /* An empty BOUGH_MAIN_DATA_DIR is an invalid path, not "unset". */
  g_assert_null (bough_config_load (other, NULL, NULL, envp, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
  g_assert_nonnull (g_strstr_len (error->message, -1, "BOUGH_MAIN_DATA_DIR"));
  g_clear_error (&error);

  /* --config wins over DIR/bough.conf, and relative paths in it resolve
   * against the data directory. */
  config = bough_config_load (other, dir, NULL, empty_env, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bough_config_get_file (config), ==, other);
  g_assert_cmpint (bough_config_get_int (config, "web", "concurrency"), ==, 4);
  g_assert_cmpint (bough_config_get_int (config, "web", "max_body_size"), ==, 2 * 1024 * 1024);
  g_assert_cmpstr (bough_config_get_data_dir (config), ==, dir);
  g_assert_cmpstr (bough_config_get_database_path (config), ==, db);

  missing = bough_config_load (absent, dir, NULL, empty_env, &error);
  g_assert_null (missing);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
  g_assert_nonnull (g_strstr_len (error->message, -1, absent));

  g_assert_cmpint (g_remove (in_dir), ==, 0);
  g_assert_cmpint (g_remove (other), ==, 0);
}

typedef struct
{
  const char *contents;
  const char *expected[3];   /* substrings of the error message */
} BadFile;

static void
test_config_bad_file (void)
{
  static const BadFile cases[] = {
    { "[web]\nconcurrency = abc\n", { ":2:", "concurrency", "abc" } },
    { "[web]\n\n\nconcurrency = 0\n", { ":4:", "concurrency", "[1, 1024]" } },
    { "[web]\nmax_body_size = 12X\n", { ":2:", "max_body_size", "12X" } },
    { "[main]\nlisten = localhost\n", { ":2:", "listen", "HOST:PORT" } },
    { "[main]\nlisten = 127.0.0.1:70000\n", { ":2:", "listen", "port" } },
    { "[database]\ndriver = mysql\n", { ":2:", "driver", "sqlite" } },
    { "[database]\nsynchronous = normal\n", { ":2:", "synchronous", "full" } },
    { "[log]\nlevel = loud\n", { ":2:", "level", "debug" } },
    { "[web]\nconcurrency = 2\nmax_rows = 5\n", { ":3:", "unknown key", "max_rows" } },
    { "# comment\n[main]\nlisten = 127.0.0.1:1\n[cache]\nsize = 1\n", { ":4:", "unknown section", "cache" } },
    { "this is not a key file\n", { "bough.conf", NULL, NULL } },
  };
  g_autofree char *dir = make_data_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughConfig) config = NULL;
      g_autofree char *path = write_file (dir, "bough.conf", cases[i].contents);

      config = bough_config_load (NULL, dir, NULL, empty_env, &error);
      g_assert_null (config);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
      g_test_message ("case %u: %s", i, error->message);
      g_assert_true (g_str_has_prefix (error->message, path));
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].expected) && cases[i].expected[j]; j++)
        g_assert_nonnull (g_strstr_len (error->message, -1, cases[i].expected[j]));
      g_assert_cmpint (g_remove (path), ==, 0);
    }
}

static void
test_config_bad_environment (void)
{
  static const struct { const char *env; const char *name; } cases[] = {
    { "BOUGH_WEB_CONCURRENCY=many", "BOUGH_WEB_CONCURRENCY" },
    { "BOUGH_WEB_MAX_PAGE_SIZE=-1", "BOUGH_WEB_MAX_PAGE_SIZE" },
    { "BOUGH_STORAGE_DRIVER=s4", "BOUGH_STORAGE_DRIVER" },
    { "BOUGH_MAIN_LISTEN=[::1]8000", "BOUGH_MAIN_LISTEN" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      const char * const envp[] = { cases[i].env, NULL };

      g_assert_null (bough_config_load (NULL, NULL, NULL, envp, &error));
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
      g_assert_nonnull (g_strstr_len (error->message, -1, cases[i].name));
    }

  /* Values valid alone but not together. */
  {
    g_autoptr(GError) error = NULL;
    const char * const envp[] = { "BOUGH_WEBSOCKET_MIN_INTERVAL=60", "BOUGH_WEBSOCKET_MAX_INTERVAL=30", NULL };

    g_assert_null (bough_config_load (NULL, NULL, NULL, envp, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
    g_assert_nonnull (g_strstr_len (error->message, -1, "websocket.min_interval (60)"));
  }

  /* A bad command-line value names the option. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (bough_config_load (NULL, NULL, "nowhere", empty_env, &error));
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
    g_assert_true (g_str_has_prefix (error->message, "--listen"));
  }
}

static void
test_config_parse_listen (void)
{
  static const struct { const char *text; const char *host; guint port; } good[] = {
    { "127.0.0.1:8000", "127.0.0.1", 8000 },
    { "localhost:0", "localhost", 0 },
    { "0.0.0.0:65535", "0.0.0.0", 65535 },
    { "[::1]:8080", "::1", 8080 },
  };
  static const char * const bad[] = {
    "127.0.0.1", ":8000", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
    "::1:8000", "[::1]8000", "[]:80", "host:80x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *host = NULL;
      guint16 port = 1;

      g_assert_true (bough_config_parse_listen (good[i].text, &host, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (host, ==, good[i].host);
      g_assert_cmpuint (port, ==, good[i].port);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (bough_config_parse_listen (bad[i], NULL, NULL, &error));
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
    }
}

static void
test_config_show (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughConfig) config = NULL;
  g_autoptr(BoughConfig) reloaded = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *dir = make_data_dir ();
  g_autofree char *data = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *shown = NULL;
  const char * const envp[] = {
    "BOUGH_WEB_CONCURRENCY=6",
    "BOUGH_INITIAL_ADMIN_PASSWORD=hunter2-not-shown",
    NULL
  };
  gsize length;

  config = bough_config_load (NULL, dir, NULL, envp, &error);
  g_assert_no_error (error);

  data = bough_config_to_data (config, &length);
  g_assert_nonnull (data);
  g_assert_null (g_strstr_len (data, -1, "hunter2"));

  g_key_file_load_from_data (keyfile, data, length, G_KEY_FILE_KEEP_COMMENTS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_key_file_get_integer (keyfile, "web", "concurrency", NULL), ==, 6);

  comment = g_key_file_get_comment (keyfile, "web", "concurrency", &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (comment, -1, "source: env BOUGH_WEB_CONCURRENCY"));
  g_clear_pointer (&comment, g_free);
  comment = g_key_file_get_comment (keyfile, "web", "max_page_size", &error);
  g_assert_nonnull (g_strstr_len (comment, -1, "source: default"));
  g_clear_pointer (&comment, g_free);
  comment = g_key_file_get_comment (keyfile, "initial", "admin_password", &error);
  g_assert_nonnull (g_strstr_len (comment, -1, "value hidden"));

  /* Every key is shown. */
  g_assert_true (g_key_file_has_key (keyfile, "main", "data_dir", NULL));
  g_assert_true (g_key_file_has_key (keyfile, "database", "path", NULL));
  g_assert_true (g_key_file_has_key (keyfile, "storage", "local_path", NULL));
  g_assert_true (g_key_file_has_key (keyfile, "initial", "admin_token", NULL));
  g_assert_true (g_key_file_has_key (keyfile, "log", "level", NULL));

  /* The output is a valid configuration file giving the same values, the
   * hidden secret aside. */
  shown = write_file (dir, "shown.conf", data);
  reloaded = bough_config_load (shown, NULL, NULL, empty_env, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bough_config_get_int (reloaded, "web", "concurrency"), ==, 6);
  g_assert_cmpint (bough_config_get_source (reloaded, "web", "concurrency"), ==,
                   BOUGH_CONFIG_SOURCE_FILE);
  g_assert_cmpstr (bough_config_get_data_dir (reloaded), ==, dir);
  g_assert_null (bough_config_get_string (reloaded, "initial", "admin_password"));
  g_assert_cmpint (g_remove (shown), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/config/defaults", test_config_defaults);
  g_test_add_func ("/config/precedence", test_config_precedence);
  g_test_add_func ("/config/explicit-file", test_config_explicit_file);
  g_test_add_func ("/config/bad-file", test_config_bad_file);
  g_test_add_func ("/config/bad-environment", test_config_bad_environment);
  g_test_add_func ("/config/parse-listen", test_config_parse_listen);
  g_test_add_func ("/config/show", test_config_show);

  return g_test_run ();
}
