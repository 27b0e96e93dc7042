/* main.c: entry point of bough-server; subcommands and their options only,
 * the work is done by BoughConfig and BoughServer.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-server"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib.h>
#include <glib-unix.h>

#include "bough-config.h"
#include "bough-server.h"
#include "tasks/bough-task-workflows.h"
#include "webhooks/bough-webhooks.h"

#define EXIT_USAGE 2

static const char usage_text[] =
  "Usage: bough-server COMMAND [OPTION…]\n"
  "\n"
  "Commands:\n"
  "  serve         Serve the API (creates the database on first start)\n"
  "  worker        Run task workers only, against the database of --data-dir\n"
  "  db init       Create and initialize the database\n"
  "  config show   Print the effective configuration\n"
  "\n"
  "Options:\n"
  "  -h, --help    Show this help\n"
  "  --version     Print the version\n"
  "\n"
  "Run “bough-server COMMAND --help” for the options of a command.\n";

static GLogLevelFlags log_threshold = G_LOG_LEVEL_MESSAGE;

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  /* Lower GLogLevelFlags bits are more severe. */
  if ((log_level & G_LOG_LEVEL_MASK) > log_threshold)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
setup_logging (BoughConfig *config)
{
  log_threshold = bough_config_get_log_level (config);
  if (log_threshold >= G_LOG_LEVEL_INFO)
    g_log_set_debug_enabled (TRUE);
  /* stdout carries only what scripts read (the listening line). */
  g_log_writer_default_set_use_stderr (TRUE);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
}

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("bough-server: %s\n\n%s", message, usage_text);
  return EXIT_USAGE;
}

static int
fail (GError *error)
{
  g_printerr ("bough-server: %s\n", error->message);
  return EXIT_FAILURE;
}

typedef struct
{
  char *config_file;
  char *data_dir;
  char *listen;
} CommonOptions;

static void
common_options_clear (CommonOptions *options)
{
  g_clear_pointer (&options->config_file, g_free);
  g_clear_pointer (&options->data_dir, g_free);
  g_clear_pointer (&options->listen, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CommonOptions, common_options_clear)

/* Parses the options of one subcommand; returns -1 to go on, else an exit code. */
static int
parse_options (const char    *command,
               const char    *summary,
               CommonOptions *options,
               gboolean       with_listen,
               int           *argc,
               char        ***argv)
{
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options->config_file,
      "Configuration file (default: DIR/bough.conf when present)", "FILE" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->data_dir,
      "Data directory (default: the user data directory/bough)", "DIR" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options->listen,
      "Address to listen on (default: 127.0.0.1:8000)", "HOST:PORT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("bough-server %s", command);

  /* --help then reads "Usage: bough-server serve [OPTION…]". */
  g_set_prgname (prgname);

  if (!with_listen)
    entries[2] = (GOptionEntry) { NULL };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    return usage_error ("%s: %s", command, error->message);

  if (*argc > 1)
    return usage_error ("%s: unexpected argument “%s”", command, (*argv)[1]);

  return -1;
}

static BoughConfig *
load_config (CommonOptions  *options,
             GError        **error)
{
  return bough_config_load (options->config_file, options->data_dir, options->listen,
                            NULL, error);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
command_serve (int    argc,
               char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  BoughConfig *config;
  guint sigterm_id;
  guint sigint_id;
  int status;

  status = parse_options ("serve", "Serve the Bough API.", &options, TRUE, &argc, &argv);
  if (status >= 0)
    return status;

  config = load_config (&options, &error);
  if (config == NULL)
    return fail (error);
  setup_logging (config);

  /* Catch the signals before starting: one sent during start-up is then
   * handled as soon as the loop runs, instead of killing the process. */
  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);

  server = bough_server_new (config);
  if (!bough_server_start (server, &error))
    {
      g_source_remove (sigterm_id);
      g_source_remove (sigint_id);
      return fail (error);
    }

  /* Scripts and tests wait for exactly this line. */
  g_print ("listening on %s\n", bough_server_get_uri (server));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  bough_server_stop (server);
  g_message ("stopped");
  return EXIT_SUCCESS;
}

static int
command_worker (int    argc,
                char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughConfig) config = NULL;
  g_autoptr(BoughStore) store = NULL;
  g_autoptr(BoughTaskQueue) queue = NULL;
  g_autoptr(BoughWebhooks) webhooks = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  BoughTaskQueueOptions queue_options;
  guint sigterm_id;
  guint sigint_id;
  int status;

  status = parse_options ("worker", "Run task workers against the database.",
                          &options, FALSE, &argc, &argv);
  if (status >= 0)
    return status;

  config = load_config (&options, &error);
  if (config == NULL)
    return fail (error);
  setup_logging (config);

  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);

  store = bough_server_open_store (config, NULL, &error);
  if (store != NULL)
    {
      bough_task_workflows_init ();
      bough_task_queue_options_from_config (&queue_options, config);
      /* a worker process that runs nothing would only take leases */
      queue_options.concurrency = MAX (queue_options.concurrency, 1);
      queue = bough_task_queue_new (store, &queue_options);
      if (!bough_task_queue_start (queue, &error))
        g_clear_pointer (&queue, bough_task_queue_unref);
      /* deliveries are tasks too, and any process may dispatch them */
      if (queue != NULL && (webhooks = bough_webhooks_start (config, store, queue, &error)) == NULL)
        {
          bough_task_queue_stop (queue);
          g_clear_pointer (&queue, bough_task_queue_unref);
        }
    }
  if (queue == NULL)
    {
      g_source_remove (sigterm_id);
      g_source_remove (sigint_id);
      return fail (error);
    }

  /* Scripts and tests wait for this line. */
  g_print ("worker running %u task threads on %s\n", queue_options.concurrency,
           bough_config_get_database_path (config));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_clear_pointer (&webhooks, bough_webhooks_stop);
  bough_task_queue_stop (queue);
  g_message ("worker stopped after %" G_GUINT64_FORMAT " task runs", bough_task_queue_get_runs (queue));
  return EXIT_SUCCESS;
}

static int
command_db_init (int    argc,
                 char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughConfig) config = NULL;
  gboolean created = FALSE;
  int status;

  status = parse_options ("db init", "Create and initialize the database.",
                          &options, FALSE, &argc, &argv);
  if (status >= 0)
    return status;

  config = load_config (&options, &error);
  if (config == NULL)
    return fail (error);
  setup_logging (config);

  if (!bough_server_init_database (config, &created, &error))
    return fail (error);

  if (created)
    g_print ("initialized the database %s\n", bough_config_get_database_path (config));
  else
    g_print ("the database %s already exists and is initialized; nothing to do\n",
             bough_config_get_database_path (config));
  return EXIT_SUCCESS;
}

static int
command_config_show (int    argc,
                     char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughConfig) config = NULL;
  g_autofree char *data = NULL;
  int status;

  status = parse_options ("config show", "Print the effective configuration.",
                          &options, FALSE, &argc, &argv);
  if (status >= 0)
    return status;

  config = load_config (&options, &error);
  if (config == NULL)
    return fail (error);

  data = bough_config_to_data (config, NULL);
  g_print ("%s", data);
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  const char *command;

  setlocale (LC_ALL, "");

  if (argc < 2)
    return usage_error ("no command given");

  command = argv[1];

  if (g_str_equal (command, "--version") || g_str_equal (command, "-V"))
    {
      g_print ("%s %s\n", "bough-server", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      g_print ("%s", usage_text);
      return EXIT_SUCCESS;
    }

  /* Each subcommand parses argv[N:] with argv[N-1] standing in for argv[0]. */
  if (g_str_equal (command, "serve"))
    return command_serve (argc - 1, argv + 1);

  if (g_str_equal (command, "worker"))
    return command_worker (argc - 1, argv + 1);

  if (g_str_equal (command, "db"))
    {
      if (argc >= 3 && g_str_equal (argv[2], "init"))
        return command_db_init (argc - 2, argv + 2);
      return usage_error ("db: expected a subcommand: init");
    }

  if (g_str_equal (command, "config"))
    {
      if (argc >= 3 && g_str_equal (argv[2], "show"))
        return command_config_show (argc - 2, argv + 2);
      return usage_error ("config: expected a subcommand: show");
    }

  return usage_error ("unknown command “%s”", command);
}
