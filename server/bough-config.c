/* bough-config.c: the configuration of bough-server (keys, defaults,
 * bough.conf, environment overrides, validation, `config show` output).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-config"

#include "config.h"

#include <string.h>

#include "bough-error.h"

#include "bough-config.h"
#include "storage/bough-storage.h"
#include "webhooks/bough-webhook-guard.h"

typedef enum
{
  KEY_STRING,
  KEY_PATH,
  KEY_INT,
  KEY_SIZE,
  KEY_CHOICE,
  KEY_LISTEN,
} KeyType;

typedef struct
{
  const char         *section;
  const char         *key;
  KeyType             type;
  /* NULL: unset, or derived from main.data_dir by bough_config_resolve() */
  const char         *default_value;
  gint64              min;
  gint64              max;
  const char * const *choices;
  gboolean            secret;
  const char         *doc;
} KeyInfo;

static const char * const database_drivers[] = { "sqlite", NULL };
/* The SQLite driver always runs synchronous=FULL; other modes are accepted
 * once the store takes the setting. */
static const char * const synchronous_modes[] = { "full", NULL };
static const char * const storage_drivers[] = { "local", "s3", NULL };
static const char * const password_costs[] = { "interactive", "moderate", "sensitive", "minimal", NULL };
static const char * const booleans[] = { "false", "true", NULL };
static const char * const log_levels[] = {
  "error", "critical", "warning", "message", "info", "debug", NULL
};

enum {
  KEY_MAIN_DATA_DIR,
  KEY_MAIN_LISTEN,
  KEY_MAIN_ALLOW_ANONYMOUS_ACCESS,
  KEY_DATABASE_DRIVER,
  KEY_DATABASE_PATH,
  KEY_DATABASE_SYNCHRONOUS,
  KEY_WEB_CONCURRENCY,
  KEY_WEB_MAX_BODY_SIZE,
  KEY_WEB_MAX_QUERY_DEPTH,
  KEY_WEB_MAX_QUERY_SIZE,
  KEY_WEB_MAX_PAGE_SIZE,
  KEY_WEB_DEFAULT_PAGE_SIZE,
  KEY_WEB_MAX_QUERY_COST,
  KEY_WEB_MAX_CONNECTIONS,
  KEY_WEB_MAX_HEADER_SIZE,
  KEY_WEB_HEADER_TIMEOUT,
  KEY_WEB_BODY_TIMEOUT,
  KEY_WEB_IDLE_TIMEOUT,
  KEY_WEBSOCKET_MAX_CONNECTIONS,
  KEY_WEBSOCKET_MAX_SUBSCRIPTIONS,
  KEY_WEBSOCKET_MAX_MESSAGE_SIZE,
  KEY_WEBSOCKET_INIT_TIMEOUT,
  KEY_WEBSOCKET_KEEPALIVE_INTERVAL,
  KEY_WEBSOCKET_MIN_INTERVAL,
  KEY_WEBSOCKET_MAX_INTERVAL,
  KEY_WEBHOOKS_ALLOW_HOSTS,
  KEY_WEBHOOKS_TIMEOUT,
  KEY_WEBHOOKS_MAX_ATTEMPTS,
  KEY_WEBHOOKS_RETRY_DELAY,
  KEY_WEBHOOKS_MAX_RETRY_DELAY,
  KEY_WEBHOOKS_POLL_INTERVAL,
  KEY_TASKS_CONCURRENCY,
  KEY_TASKS_POLL_INTERVAL,
  KEY_TASKS_LEASE,
  KEY_TASKS_MAX_ATTEMPTS,
  KEY_TASKS_RETRY_BACKOFF,
  KEY_TASKS_WAIT_TIMEOUT,
  KEY_STORAGE_DRIVER,
  KEY_STORAGE_LOCAL_PATH,
  KEY_STORAGE_MAX_OBJECT_SIZE,
  KEY_STORAGE_S3_ENDPOINT,
  KEY_STORAGE_S3_BUCKET,
  KEY_STORAGE_S3_REGION,
  KEY_STORAGE_S3_ACCESS_KEY,
  KEY_STORAGE_S3_SECRET_KEY,
  KEY_STORAGE_S3_PREFIX,
  KEY_STORAGE_S3_USE_PATH_STYLE,
  KEY_STORAGE_S3_VERIFY_TLS,
  KEY_STORAGE_S3_TIMEOUT,
  KEY_INITIAL_ADMIN_TOKEN,
  KEY_INITIAL_ADMIN_PASSWORD,
  KEY_SECURITY_SECRET_KEY,
  KEY_SECURITY_ACCESS_TOKEN_LIFETIME,
  KEY_SECURITY_REFRESH_TOKEN_LIFETIME,
  KEY_SECURITY_LOGIN_MAX_FAILURES,
  KEY_SECURITY_PASSWORD_COST,
  KEY_LOG_LEVEL,
  N_KEYS
};

static const KeyInfo keys[N_KEYS] = {
  [KEY_MAIN_DATA_DIR] = { "main", "data_dir", KEY_PATH, NULL, 0, 0, NULL, FALSE,
    "Directory holding the database, object storage and deployment id" },
  [KEY_MAIN_LISTEN] = { "main", "listen", KEY_LISTEN, "127.0.0.1:8000", 0, 0, NULL, FALSE,
    "Address the API listens on, HOST:PORT ([ADDR]:PORT for IPv6; port 0 picks a free port)" },
  [KEY_MAIN_ALLOW_ANONYMOUS_ACCESS] = { "main", "allow_anonymous_access", KEY_CHOICE, "false", 0, 0, booleans, FALSE,
    "Whether requests without credentials get read-only access as the anonymous identity (true or false)" },
  [KEY_DATABASE_DRIVER] = { "database", "driver", KEY_CHOICE, "sqlite", 0, 0, database_drivers, FALSE,
    "Store driver" },
  [KEY_DATABASE_PATH] = { "database", "path", KEY_PATH, NULL, 0, 0, NULL, FALSE,
    "SQLite database file (relative paths are under data_dir)" },
  [KEY_DATABASE_SYNCHRONOUS] = { "database", "synchronous", KEY_CHOICE, "full", 0, 0, synchronous_modes, FALSE,
    "SQLite synchronous mode; only full for now, which keeps every acknowledged write through a power loss" },
  [KEY_WEB_CONCURRENCY] = { "web", "concurrency", KEY_INT, "4", 1, 1024, NULL, FALSE,
    "Threads handling API requests (used once request work runs on the thread pool)" },
  [KEY_WEB_MAX_BODY_SIZE] = { "web", "max_body_size", KEY_SIZE, "10485760", 1, G_MAXINT32, NULL, FALSE,
    "Largest request body accepted, in bytes (suffixes k, M, G allowed)" },
  [KEY_WEB_MAX_QUERY_DEPTH] = { "web", "max_query_depth", KEY_INT, "20", 1, 1000, NULL, FALSE,
    "Deepest GraphQL selection accepted (used by the GraphQL API)" },
  [KEY_WEB_MAX_QUERY_SIZE] = { "web", "max_query_size", KEY_SIZE, "262144", 1, G_MAXINT32, NULL, FALSE,
    "Longest GraphQL document accepted, in bytes, suffixes k, M, G allowed (used by the GraphQL API)" },
  [KEY_WEB_MAX_PAGE_SIZE] = { "web", "max_page_size", KEY_INT, "1000", 1, 1000000, NULL, FALSE,
    "Largest page (limit) a list query may ask for (used by the GraphQL API)" },
  [KEY_WEB_DEFAULT_PAGE_SIZE] = { "web", "default_page_size", KEY_INT, "1000", 1, 1000000, NULL, FALSE,
    "Page of a list asked without a limit, top-level or nested (at most max_page_size)" },
  [KEY_WEB_MAX_QUERY_COST] = { "web", "max_query_cost", KEY_INT, "10000000", 1, G_MAXINT64 / 8, NULL, FALSE,
    "Largest estimated cost (node rows x nesting of lists) of a GraphQL query; costlier ones are refused" },
  [KEY_WEB_MAX_CONNECTIONS] = { "web", "max_connections", KEY_INT, "512", 1, 65536, NULL, FALSE,
    "Open client connections at most (websockets included); more are answered 503 and closed" },
  [KEY_WEB_MAX_HEADER_SIZE] = { "web", "max_header_size", KEY_SIZE, "32768", 1024, 65536, NULL, FALSE,
    "Largest request line and headers accepted, in bytes; larger get 431 and the connection closed "
    "(libsoup itself drops the connection past 64k)" },
  [KEY_WEB_HEADER_TIMEOUT] = { "web", "header_timeout", KEY_INT, "10", 1, 3600, NULL, FALSE,
    "Seconds a client has to send a request's headers, from their first byte (or from connecting); "
    "a slower one gets 408 and is disconnected" },
  [KEY_WEB_BODY_TIMEOUT] = { "web", "body_timeout", KEY_INT, "30", 1, 3600, NULL, FALSE,
    "Seconds a request body may stall (no byte received) before the client gets 408 and is disconnected" },
  [KEY_WEB_IDLE_TIMEOUT] = { "web", "idle_timeout", KEY_INT, "60", 1, 86400, NULL, FALSE,
    "Seconds an idle keep-alive connection stays open after its last response" },
  [KEY_WEBSOCKET_MAX_CONNECTIONS] = { "websocket", "max_connections", KEY_INT, "100", 1, 65536, NULL, FALSE,
    "Open graphql-ws websockets at most; more get connection_error and close code 4503" },
  [KEY_WEBSOCKET_MAX_SUBSCRIPTIONS] = { "websocket", "max_subscriptions", KEY_INT, "10", 1, 10000, NULL, FALSE,
    "Subscriptions per websocket at most; a start over the cap gets an error message for its id" },
  [KEY_WEBSOCKET_MAX_MESSAGE_SIZE] = { "websocket", "max_message_size", KEY_SIZE, "65536", 128, 16777216, NULL, FALSE,
    "Largest message a client may send, in bytes; the socket of a larger one is dropped (close code 1009)" },
  [KEY_WEBSOCKET_INIT_TIMEOUT] = { "websocket", "init_timeout", KEY_INT, "10", 1, 3600, NULL, FALSE,
    "Seconds a client has to send connection_init; then the socket closes with code 4408" },
  [KEY_WEBSOCKET_KEEPALIVE_INTERVAL] = { "websocket", "keepalive_interval", KEY_INT, "20", 1, 3600, NULL, FALSE,
    "Seconds between the ka (keep-alive) messages sent to an acknowledged client" },
  [KEY_WEBSOCKET_MIN_INTERVAL] = { "websocket", "min_interval", KEY_INT, "1", 1, 86400, NULL, FALSE,
    "Smallest interval, in seconds, a query subscription may ask for" },
  [KEY_WEBSOCKET_MAX_INTERVAL] = { "websocket", "max_interval", KEY_INT, "86400", 1, 86400, NULL, FALSE,
    "Largest interval, in seconds, a query subscription may ask for" },
  [KEY_WEBHOOKS_ALLOW_HOSTS] = { "webhooks", "allow_hosts", KEY_STRING, NULL, 0, 0, NULL, FALSE,
    "Host names, addresses and networks (10.0.0.0/8, fd00::/8) that webhook deliveries may reach "
    "though they are not public (loopback, private, link-local, metadata), separated by commas; "
    "every other such address is refused" },
  [KEY_WEBHOOKS_TIMEOUT] = { "webhooks", "timeout", KEY_INT, "10", 1, 600, NULL, FALSE,
    "Seconds one webhook delivery attempt may take, from resolving the host to the answer's first KiB" },
  [KEY_WEBHOOKS_MAX_ATTEMPTS] = { "webhooks", "max_attempts", KEY_INT, "5", 1, 100, NULL, FALSE,
    "Attempts of one webhook delivery before it ends failed (network errors, 5xx and 429 are retried)" },
  [KEY_WEBHOOKS_RETRY_DELAY] = { "webhooks", "retry_delay", KEY_INT, "10", 1, 86400, NULL, FALSE,
    "Seconds before the second attempt of a webhook delivery, doubled for each later one" },
  [KEY_WEBHOOKS_MAX_RETRY_DELAY] = { "webhooks", "max_retry_delay", KEY_INT, "600", 1, 86400, NULL, FALSE,
    "Longest wait, in seconds, between attempts of a webhook delivery (a longer Retry-After is honoured up to a day)" },
  [KEY_WEBHOOKS_POLL_INTERVAL] = { "webhooks", "poll_interval", KEY_INT, "2", 1, 3600, NULL, FALSE,
    "Seconds between looks for events written by other processes; events of this process are "
    "dispatched at once" },
  [KEY_TASKS_CONCURRENCY] = { "tasks", "concurrency", KEY_INT, "2", 0, 256, NULL, FALSE,
    "Task worker threads of this process (serve: embedded workers, 0 for none; worker: at least 1)" },
  [KEY_TASKS_POLL_INTERVAL] = { "tasks", "poll_interval", KEY_INT, "500", 10, 600000, NULL, FALSE,
    "Milliseconds an idle worker waits before looking for a task again (new tasks of this process wake it at once)" },
  [KEY_TASKS_LEASE] = { "tasks", "lease", KEY_INT, "60", 1, 86400, NULL, FALSE,
    "Seconds a claimed task stays with its worker without a heartbeat (sent every third of it); "
    "then another worker takes it up again" },
  [KEY_TASKS_MAX_ATTEMPTS] = { "tasks", "max_attempts", KEY_INT, "3", 1, 1000, NULL, FALSE,
    "Runs a task gets (first run, retries after a failure or a dead worker) before it ends FAILED" },
  [KEY_TASKS_RETRY_BACKOFF] = { "tasks", "retry_backoff", KEY_INT, "1000", 0, 3600000, NULL, FALSE,
    "Milliseconds before the first retry of a failed task; doubled for each later one (at most an hour)" },
  [KEY_TASKS_WAIT_TIMEOUT] = { "tasks", "wait_timeout", KEY_INT, "600", 1, 86400, NULL, FALSE,
    "Seconds a request with wait_until_completion waits for its task before it answers with an error "
    "naming the task (the task goes on)" },
  [KEY_STORAGE_DRIVER] = { "storage", "driver", KEY_CHOICE, "local", 0, 0, storage_drivers, FALSE,
    "Object storage driver: local (a directory) or s3 (an S3-compatible service, the s3_* keys)" },
  [KEY_STORAGE_LOCAL_PATH] = { "storage", "local_path", KEY_PATH, NULL, 0, 0, NULL, FALSE,
    "Directory of the local object storage (relative paths are under data_dir)" },
  [KEY_STORAGE_MAX_OBJECT_SIZE] = { "storage", "max_object_size", KEY_SIZE, "10485760", 1, G_MAXINT32, NULL, FALSE,
    "Largest object accepted, in bytes (suffixes k, M, G allowed); uploads are also bounded by "
    "web.max_body_size" },
  [KEY_STORAGE_S3_ENDPOINT] = { "storage", "s3_endpoint", KEY_STRING, NULL, 0, 0, NULL, FALSE,
    "S3 service address, http(s)://host[:port], e.g. https://s3.eu-west-1.amazonaws.com" },
  [KEY_STORAGE_S3_BUCKET] = { "storage", "s3_bucket", KEY_STRING, NULL, 0, 0, NULL, FALSE,
    "S3 bucket holding the objects" },
  [KEY_STORAGE_S3_REGION] = { "storage", "s3_region", KEY_STRING, "us-east-1", 0, 0, NULL, FALSE,
    "S3 region the requests are signed for" },
  [KEY_STORAGE_S3_ACCESS_KEY] = { "storage", "s3_access_key", KEY_STRING, NULL, 0, 0, NULL, FALSE,
    "S3 access key id" },
  [KEY_STORAGE_S3_SECRET_KEY] = { "storage", "s3_secret_key", KEY_STRING, NULL, 0, 0, NULL, TRUE,
    "S3 secret access key (never printed)" },
  [KEY_STORAGE_S3_PREFIX] = { "storage", "s3_prefix", KEY_STRING, NULL, 0, 0, NULL, FALSE,
    "Prefix of every object key in the bucket, e.g. bough/ (letters, digits, '-', '_', '.', '/')" },
  [KEY_STORAGE_S3_USE_PATH_STYLE] = { "storage", "s3_use_path_style", KEY_CHOICE, "false", 0, 0, booleans, FALSE,
    "Address objects as endpoint/bucket/key (true; most self-hosted services) rather than "
    "bucket.endpoint/key (false; AWS)" },
  [KEY_STORAGE_S3_VERIFY_TLS] = { "storage", "s3_verify_tls", KEY_CHOICE, "true", 0, 0, booleans, FALSE,
    "Whether the S3 service's TLS certificate is verified (true or false)" },
  [KEY_STORAGE_S3_TIMEOUT] = { "storage", "s3_timeout", KEY_INT, "60", 0, 3600, NULL, FALSE,
    "Seconds an S3 request may wait for the service (0: no limit)" },
  [KEY_INITIAL_ADMIN_TOKEN] = { "initial", "admin_token", KEY_STRING, NULL, 0, 0, NULL, TRUE,
    "API token of the admin account, created (stored hashed) at first start or db init" },
  [KEY_INITIAL_ADMIN_PASSWORD] = { "initial", "admin_password", KEY_STRING, NULL, 0, 0, NULL, TRUE,
    "Password of the admin account at first start or db init; when unset, a random one is generated and printed once" },
  [KEY_SECURITY_SECRET_KEY] = { "security", "secret_key", KEY_STRING, NULL, 0, 0, NULL, TRUE,
    "Key signing the JWT access and refresh tokens (HS256); when unset, a random key is generated "
    "once and kept in data_dir/secret_key" },
  [KEY_SECURITY_ACCESS_TOKEN_LIFETIME] = { "security", "access_token_lifetime", KEY_INT, "3600", 1, 31536000, NULL, FALSE,
    "Seconds an access token (JWT) stays valid" },
  [KEY_SECURITY_REFRESH_TOKEN_LIFETIME] = { "security", "refresh_token_lifetime", KEY_INT, "2592000", 1, 315360000, NULL, FALSE,
    "Seconds a login session (refresh token) stays valid" },
  [KEY_SECURITY_LOGIN_MAX_FAILURES] = { "security", "login_max_failures", KEY_INT, "5", 1, 1000, NULL, FALSE,
    "Failed logins in a row, per account and per client address, before each further attempt waits "
    "(1 s, doubling per failure, at most 15 min)" },
  [KEY_SECURITY_PASSWORD_COST] = { "security", "password_cost", KEY_CHOICE, "interactive", 0, 0, password_costs, FALSE,
    "Cost of the argon2id hash of new passwords: interactive, moderate, sensitive (libsodium's levels) "
    "or minimal (for tests only: fast and weak)" },
  [KEY_LOG_LEVEL] = { "log", "level", KEY_CHOICE, "message", 0, 0, log_levels, FALSE,
    "Least severe log level printed: error, critical, warning, message, info or debug" },
};

typedef struct
{
  char              *value;
  char              *origin;
  BoughConfigSource  source;
} Value;

struct _BoughConfig
{
  Value  values[N_KEYS];
  char  *file;
  char  *listen_host;
  guint16 listen_port;
};

static int
find_key (const char *section,
          const char *key)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (g_str_equal (keys[i].section, section) && g_str_equal (keys[i].key, key))
      return i;
  return -1;
}

static gboolean
section_exists (const char *section)
{
  for (guint i = 0; i < N_KEYS; i++)
    if (g_str_equal (keys[i].section, section))
      return TRUE;
  return FALSE;
}

static char *
env_name (const KeyInfo *info)
{
  g_autofree char *name = g_strdup_printf ("BOUGH_%s_%s", info->section, info->key);

  return g_ascii_strup (name, -1);
}

static gboolean
parse_size (const char *text,
            gint64      min,
            gint64      max,
            gint64     *out,
            GError    **error)
{
  g_autofree char *digits = g_strstrip (g_strdup (text));
  gsize len = strlen (digits);
  guint64 multiplier = 1;
  guint64 number;

  if (len > 0)
    {
      switch (digits[len - 1])
        {
        case 'k': case 'K': multiplier = 1024; break;
        case 'm': case 'M': multiplier = 1024 * 1024; break;
        case 'g': case 'G': multiplier = 1024 * 1024 * 1024; break;
        default: break;
        }
      if (multiplier != 1)
        digits[len - 1] = '\0';
    }

  if (!g_ascii_string_to_unsigned (digits, 10, 0, G_MAXUINT64 / multiplier, &number, NULL))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "“%s” is not a size in bytes (a number, optionally followed by k, M or G)", text);
      return FALSE;
    }

  number *= multiplier;
  if (number < (guint64) min || number > (guint64) max)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "%s is out of range [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                   text, min, max);
      return FALSE;
    }

  if (out != NULL)
    *out = (gint64) number;
  return TRUE;
}

/**
 * bough_config_parse_listen:
 * @text: an address such as `127.0.0.1:8000`, `localhost:0` or `[::1]:8000`
 * @host: (out) (optional): the host part, without brackets
 * @port: (out) (optional): the port
 * @error: return location for a #GError
 *
 * Splits a listen address into host and port.
 *
 * Returns: %TRUE if @text is a valid address
 */
gboolean
bough_config_parse_listen (const char  *text,
                           char       **host,
                           guint16     *port,
                           GError     **error)
{
  g_autofree char *host_part = NULL;
  const char *port_part;
  guint64 number;

  g_return_val_if_fail (text != NULL, FALSE);

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || end[1] != ':')
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                       "“%s” is not an address of the form [ADDRESS]:PORT", text);
          return FALSE;
        }
      host_part = g_strndup (text + 1, end - text - 1);
      port_part = end + 2;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon == NULL || strchr (text, ':') != colon)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                       "“%s” is not an address of the form HOST:PORT "
                       "(write IPv6 addresses in brackets: [::1]:8000)", text);
          return FALSE;
        }
      host_part = g_strndup (text, colon - text);
      port_part = colon + 1;
    }

  if (host_part[0] == '\0')
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "“%s” has no host (use 0.0.0.0 to listen on every address)", text);
      return FALSE;
    }

  if (!g_ascii_string_to_unsigned (port_part, 10, 0, 65535, &number, NULL))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "“%s” has no valid port (0 to 65535)", text);
      return FALSE;
    }

  if (host != NULL)
    *host = g_steal_pointer (&host_part);
  if (port != NULL)
    *port = (guint16) number;
  return TRUE;
}

/* Checks @value against the key's type; the error message does not name the
 * key, the caller prefixes where the value came from. */
static gboolean
validate_value (const KeyInfo  *info,
                const char     *value,
                GError        **error)
{
  switch (info->type)
    {
    case KEY_STRING:
      return TRUE;

    case KEY_PATH:
      if (value[0] == '\0')
        {
          g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG, "the path is empty");
          return FALSE;
        }
      return TRUE;

    case KEY_INT:
      {
        g_autoptr(GError) local_error = NULL;

        if (!g_ascii_string_to_signed (value, 10, info->min, info->max, NULL, &local_error))
          {
            g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                         "“%s” is not an integer in [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                         value, info->min, info->max);
            return FALSE;
          }
        return TRUE;
      }

    case KEY_SIZE:
      return parse_size (value, info->min, info->max, NULL, error);

    case KEY_CHOICE:
      if (!g_strv_contains (info->choices, value))
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);

          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                       "“%s” is not one of: %s", value, choices);
          return FALSE;
        }
      return TRUE;

    case KEY_LISTEN:
      return bough_config_parse_listen (value, NULL, NULL, error);

    default:
      g_assert_not_reached ();
    }
}

static void
value_set (Value             *value,
           const char        *text,
           BoughConfigSource  source,
           const char        *origin)
{
  g_free (value->value);
  g_free (value->origin);
  value->value = g_strdup (text);
  value->origin = g_strdup (origin);
  value->source = source;
}

/**
 * bough_config_new:
 *
 * Creates a configuration holding only the defaults; the derived paths are
 * filled in by bough_config_resolve().
 *
 * Returns: (transfer full): a new #BoughConfig
 */
BoughConfig *
bough_config_new (void)
{
  BoughConfig *self = g_new0 (BoughConfig, 1);
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "bough", NULL);

  for (guint i = 0; i < N_KEYS; i++)
    value_set (&self->values[i], keys[i].default_value, BOUGH_CONFIG_SOURCE_DEFAULT, NULL);
  value_set (&self->values[KEY_MAIN_DATA_DIR], data_dir, BOUGH_CONFIG_SOURCE_DEFAULT, NULL);

  bough_config_resolve (self);
  return self;
}

void
bough_config_free (BoughConfig *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < N_KEYS; i++)
    {
      g_free (self->values[i].value);
      g_free (self->values[i].origin);
    }
  g_free (self->file);
  g_free (self->listen_host);
  g_free (self);
}

/**
 * bough_config_set:
 * @self: a #BoughConfig
 * @section: a section name, such as `web`
 * @key: a key of @section, such as `concurrency`
 * @value: the value as text; for keys without a default an empty value unsets
 * @source: where @value comes from
 * @origin: (nullable): a more precise origin (file and line, variable name)
 * @error: return location for a #GError
 *
 * Validates @value and stores it unless the key already holds a value from a
 * source of higher precedence (the command line beats the environment, which
 * beats the file, which beats the defaults).
 *
 * Returns: %TRUE if @value is valid for the key
 */
gboolean
bough_config_set (BoughConfig        *self,
                  const char         *section,
                  const char         *key,
                  const char         *value,
                  BoughConfigSource   source,
                  const char         *origin,
                  GError            **error)
{
  const KeyInfo *info;
  int index;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (section != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  index = find_key (section, key);
  if (index < 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "unknown key “%s” in section [%s]", key, section);
      return FALSE;
    }
  info = &keys[index];

  /* An empty value of a key that may be unset unsets it. */
  if (value[0] == '\0' && info->default_value == NULL && info->type == KEY_STRING)
    value = NULL;
  else if (!validate_value (info, value, error))
    return FALSE;

  if (self->values[index].source > source)
    return TRUE;

  value_set (&self->values[index], value, source, origin);
  return TRUE;
}

/* Line number of `[section]` (key == NULL) or of `key=` within it, or 0. */
static guint
find_line (const char *contents,
           const char *section,
           const char *key)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  gboolean in_section = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      gsize len = strlen (line);

      if (line[0] == '[' && len > 1 && line[len - 1] == ']')
        {
          in_section = strncmp (line + 1, section, len - 2) == 0 && strlen (section) == len - 2;
          if (in_section && key == NULL)
            return i + 1;
        }
      else if (in_section && key != NULL && g_str_has_prefix (line, key))
        {
          const char *rest = line + strlen (key);

          while (*rest == ' ' || *rest == '\t')
            rest++;
          if (*rest == '=' || *rest == '[')
            return i + 1;
        }
    }

  return 0;
}

static char *
file_origin (const char *path,
             guint       line)
{
  if (line == 0)
    return g_strdup (path);
  return g_strdup_printf ("%s:%u", path, line);
}

/**
 * bough_config_load_file:
 * @self: a #BoughConfig
 * @path: a GKeyFile such as `bough.conf`
 * @error: return location for a #GError
 *
 * Reads @path. Unknown sections and keys and invalid values are errors naming
 * the file, the line and the key.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_config_load_file (BoughConfig  *self,
                        const char   *path,
                        GError      **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "cannot read configuration file: %s", local_error->message);
      return FALSE;
    }

  if (!g_key_file_load_from_data (keyfile, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "%s: %s", path, local_error->message);
      return FALSE;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_auto(GStrv) names = NULL;

      if (!section_exists (groups[i]))
        {
          g_autofree char *where = file_origin (path, find_line (contents, groups[i], NULL));

          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                       "%s: unknown section [%s]", where, groups[i]);
          return FALSE;
        }

      names = g_key_file_get_keys (keyfile, groups[i], NULL, NULL);
      for (guint j = 0; names[j] != NULL; j++)
        {
          g_autofree char *where = file_origin (path, find_line (contents, groups[i], names[j]));
          g_autofree char *value = NULL;

          if (find_key (groups[i], names[j]) < 0)
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                           "%s: unknown key “%s” in section [%s]", where, names[j], groups[i]);
              return FALSE;
            }

          value = g_key_file_get_string (keyfile, groups[i], names[j], &local_error);
          if (value == NULL ||
              !bough_config_set (self, groups[i], names[j], value,
                                 BOUGH_CONFIG_SOURCE_FILE, where, &local_error))
            {
              g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                           "%s: [%s] %s: %s", where, groups[i], names[j], local_error->message);
              return FALSE;
            }
        }
    }

  g_free (self->file);
  self->file = g_strdup (path);
  return TRUE;
}

/**
 * bough_config_load_environ:
 * @self: a #BoughConfig
 * @envp: (nullable): an environment as from g_get_environ(); %NULL for the
 *   process environment
 * @error: return location for a #GError
 *
 * Applies every `BOUGH_<SECTION>_<KEY>` variable of @envp. Other `BOUGH_`
 * variables are left alone: they belong to tools and tests.
 *
 * Returns: %TRUE if every variable holds a valid value
 */
gboolean
bough_config_load_environ (BoughConfig         *self,
                           const char * const  *envp,
                           GError             **error)
{
  g_auto(GStrv) own_env = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (envp == NULL)
    {
      own_env = g_get_environ ();
      envp = (const char * const *) own_env;
    }

  for (guint i = 0; i < N_KEYS; i++)
    {
      g_autofree char *name = env_name (&keys[i]);
      g_autoptr(GError) local_error = NULL;
      const char *value = g_environ_getenv ((char **) envp, name);

      if (value == NULL)
        continue;

      if (!bough_config_set (self, keys[i].section, keys[i].key, value,
                             BOUGH_CONFIG_SOURCE_ENV, name, &local_error))
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                       "environment variable %s: %s", name, local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

static char *
absolute_path (const char *path,
               const char *relative_to)
{
  if (g_path_is_absolute (path))
    return g_canonicalize_filename (path, NULL);
  return g_canonicalize_filename (path, relative_to);
}

/**
 * bough_config_resolve:
 * @self: a #BoughConfig
 *
 * Makes main.data_dir absolute and derives the paths that default to a place
 * under it (database.path, storage.local_path). Relative paths given for those
 * are taken relative to main.data_dir.
 */
void
bough_config_resolve (BoughConfig *self)
{
  static const struct { guint index; const char *name; } derived[] = {
    { KEY_DATABASE_PATH, "bough.db" },
    { KEY_STORAGE_LOCAL_PATH, "storage" },
  };
  Value *data_dir;
  g_autofree char *absolute = NULL;

  g_return_if_fail (self != NULL);

  data_dir = &self->values[KEY_MAIN_DATA_DIR];
  absolute = absolute_path (data_dir->value, NULL);
  g_free (data_dir->value);
  data_dir->value = g_steal_pointer (&absolute);

  for (guint i = 0; i < G_N_ELEMENTS (derived); i++)
    {
      Value *value = &self->values[derived[i].index];
      g_autofree char *path = NULL;

      if (value->source == BOUGH_CONFIG_SOURCE_DEFAULT)
        path = g_build_filename (data_dir->value, derived[i].name, NULL);
      else
        path = absolute_path (value->value, data_dir->value);
      g_free (value->value);
      value->value = g_steal_pointer (&path);
    }

  g_clear_pointer (&self->listen_host, g_free);
  if (!bough_config_parse_listen (self->values[KEY_MAIN_LISTEN].value,
                                  &self->listen_host, &self->listen_port, NULL))
    g_assert_not_reached ();
}

/**
 * bough_config_load:
 * @config_file: (nullable): the file given with `--config`; it must exist
 * @data_dir: (nullable): the `--data-dir` option
 * @listen: (nullable): the `--listen` option
 * @envp: (nullable): the environment, %NULL for the process environment
 * @error: return location for a #GError
 *
 * Builds the effective configuration: defaults, then the configuration file
 * (@config_file, else `bough.conf` in the data directory when it exists), then
 * the environment, then the command-line options.
 *
 * Returns: (transfer full): the configuration, or %NULL with @error set
 */
BoughConfig *
bough_config_load (const char          *config_file,
                   const char          *data_dir,
                   const char          *listen,
                   const char * const  *envp,
                   GError             **error)
{
  g_autoptr(BoughConfig) self = bough_config_new ();
  g_autofree char *found = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Higher sources first: they decide the data directory, where bough.conf
   * is looked up, and bough_config_set() keeps them over the file's values. */
  if (!bough_config_load_environ (self, envp, error))
    return NULL;

  if (data_dir != NULL &&
      !bough_config_set (self, "main", "data_dir", data_dir,
                         BOUGH_CONFIG_SOURCE_COMMAND_LINE, "--data-dir", error))
    {
      g_prefix_error (error, "--data-dir: ");
      return NULL;
    }

  if (listen != NULL &&
      !bough_config_set (self, "main", "listen", listen,
                         BOUGH_CONFIG_SOURCE_COMMAND_LINE, "--listen", error))
    {
      g_prefix_error (error, "--listen: ");
      return NULL;
    }

  if (config_file == NULL)
    {
      found = g_build_filename (self->values[KEY_MAIN_DATA_DIR].value, "bough.conf", NULL);
      if (g_file_test (found, G_FILE_TEST_IS_REGULAR))
        config_file = found;
    }

  if (config_file != NULL && !bough_config_load_file (self, config_file, error))
    return NULL;

  bough_config_resolve (self);

  /* Limits that only make sense together. */
  if (bough_config_get_int (self, "websocket", "min_interval") >
      bough_config_get_int (self, "websocket", "max_interval"))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "websocket.min_interval (%" G_GINT64_FORMAT ") is greater than "
                   "websocket.max_interval (%" G_GINT64_FORMAT ")",
                   bough_config_get_int (self, "websocket", "min_interval"),
                   bough_config_get_int (self, "websocket", "max_interval"));
      return NULL;
    }

  /* S3 settings are checked now (nothing is sent), so that a server with
   * a broken [storage] section does not start. */
  if (g_strcmp0 (bough_config_get_string (self, "storage", "driver"), "s3") == 0)
    {
      g_autoptr(BoughStorage) storage = bough_storage_new_from_config (self, error);

      if (storage == NULL)
        return NULL;
    }
  {
    g_autoptr(BoughWebhookGuard) guard =
      bough_webhook_guard_new (bough_config_get_string (self, "webhooks", "allow_hosts"), error);

    if (guard == NULL)
      {
        g_prefix_error (error, "webhooks.allow_hosts: ");
        return NULL;
      }
  }
  return g_steal_pointer (&self);
}

/**
 * bough_config_has_key:
 * @section: a section name
 * @key: a key name
 *
 * Returns: whether @section has a key named @key
 */
gboolean
bough_config_has_key (const char *section,
                      const char *key)
{
  g_return_val_if_fail (section != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return find_key (section, key) >= 0;
}

static const Value *
lookup (BoughConfig *self,
        const char  *section,
        const char  *key)
{
  int index = find_key (section, key);

  if (index < 0)
    {
      g_critical ("unknown configuration key [%s] %s", section, key);
      return NULL;
    }
  return &self->values[index];
}

/**
 * bough_config_get_string:
 * @self: a #BoughConfig
 * @section: a section name
 * @key: a key name
 *
 * Returns: (nullable): the value as text, %NULL when unset
 */
const char *
bough_config_get_string (BoughConfig *self,
                         const char  *section,
                         const char  *key)
{
  const Value *value;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  value = lookup (self, section, key);
  return value != NULL ? value->value : NULL;
}

/**
 * bough_config_get_int:
 * @self: a #BoughConfig
 * @section: a section name
 * @key: the name of an integer or size key
 *
 * Returns: the value (sizes in bytes)
 */
gint64
bough_config_get_int (BoughConfig *self,
                      const char  *section,
                      const char  *key)
{
  int index;
  gint64 number = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (section != NULL, 0);
  g_return_val_if_fail (key != NULL, 0);

  index = find_key (section, key);
  g_return_val_if_fail (index >= 0, 0);
  g_return_val_if_fail (keys[index].type == KEY_INT || keys[index].type == KEY_SIZE, 0);

  /* Values were validated when set. */
  if (keys[index].type == KEY_INT)
    number = g_ascii_strtoll (self->values[index].value, NULL, 10);
  else if (!parse_size (self->values[index].value, keys[index].min, keys[index].max, &number, NULL))
    g_assert_not_reached ();

  return number;
}

/**
 * bough_config_get_source:
 * @self: a #BoughConfig
 * @section: a section name
 * @key: a key name
 *
 * Returns: where the key's value came from
 */
BoughConfigSource
bough_config_get_source (BoughConfig *self,
                         const char  *section,
                         const char  *key)
{
  const Value *value;

  g_return_val_if_fail (self != NULL, BOUGH_CONFIG_SOURCE_DEFAULT);

  value = lookup (self, section, key);
  return value != NULL ? value->source : BOUGH_CONFIG_SOURCE_DEFAULT;
}

/**
 * bough_config_get_file:
 * @self: a #BoughConfig
 *
 * Returns: (nullable): the configuration file that was read, if any
 */
const char *
bough_config_get_file (BoughConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->file;
}

const char *
bough_config_get_data_dir (BoughConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->values[KEY_MAIN_DATA_DIR].value;
}

const char *
bough_config_get_listen_host (BoughConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->listen_host;
}

guint16
bough_config_get_listen_port (BoughConfig *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->listen_port;
}

const char *
bough_config_get_database_path (BoughConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->values[KEY_DATABASE_PATH].value;
}

const char *
bough_config_get_storage_path (BoughConfig *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->values[KEY_STORAGE_LOCAL_PATH].value;
}

/**
 * bough_config_get_log_level:
 * @self: a #BoughConfig
 *
 * Returns: the least severe level to print, as a single #GLogLevelFlags bit
 */
GLogLevelFlags
bough_config_get_log_level (BoughConfig *self)
{
  static const GLogLevelFlags levels[] = {
    G_LOG_LEVEL_ERROR, G_LOG_LEVEL_CRITICAL, G_LOG_LEVEL_WARNING,
    G_LOG_LEVEL_MESSAGE, G_LOG_LEVEL_INFO, G_LOG_LEVEL_DEBUG,
  };
  const char *level;

  g_return_val_if_fail (self != NULL, G_LOG_LEVEL_MESSAGE);

  level = self->values[KEY_LOG_LEVEL].value;
  for (guint i = 0; log_levels[i] != NULL; i++)
    if (g_str_equal (log_levels[i], level))
      return levels[i];

  g_assert_not_reached ();
}

const char *
bough_config_source_to_string (BoughConfigSource source)
{
  switch (source)
    {
    case BOUGH_CONFIG_SOURCE_DEFAULT: return "default";
    case BOUGH_CONFIG_SOURCE_FILE: return "file";
    case BOUGH_CONFIG_SOURCE_ENV: return "env";
    case BOUGH_CONFIG_SOURCE_COMMAND_LINE: return "command line";
    default: g_return_val_if_reached (NULL);
    }
}

/**
 * bough_config_to_data:
 * @self: a #BoughConfig
 * @length: (out) (optional): length of the result
 *
 * Renders the effective configuration as a GKeyFile with every key, each
 * preceded by a comment saying what it is and where its value came from.
 * Secrets are not printed: their key is left empty with a note.
 *
 * Returns: (transfer full): the key file text
 */
char *
bough_config_to_data (BoughConfig *self,
                      gsize       *length)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *header = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < N_KEYS; i++)
    {
      const KeyInfo *info = &keys[i];
      const Value *value = &self->values[i];
      g_autofree char *name = env_name (info);
      g_autofree char *comment = NULL;
      g_autofree char *source = NULL;
      gboolean hidden = info->secret && value->value != NULL;

      if (value->origin != NULL)
        source = g_strdup_printf ("%s %s", bough_config_source_to_string (value->source),
                                  value->origin);
      else
        source = g_strdup (bough_config_source_to_string (value->source));

      comment = g_strdup_printf (" %s (env %s)\n source: %s%s%s",
                                 info->doc, name, source,
                                 value->value == NULL ? ", unset" : "",
                                 hidden ? ", value hidden" : "");

      g_key_file_set_string (keyfile, info->section, info->key,
                             hidden || value->value == NULL ? "" : value->value);
      g_key_file_set_comment (keyfile, info->section, info->key, comment, NULL);
    }

  header = g_strdup_printf (" Effective configuration of bough-server %s\n"
                            " configuration file: %s\n"
                            " precedence: default < file < env (BOUGH_<SECTION>_<KEY>) < command line",
                            PACKAGE_VERSION, self->file != NULL ? self->file : "none");
  g_key_file_set_comment (keyfile, NULL, NULL, header, NULL);

  return g_key_file_to_data (keyfile, length, NULL);
}
