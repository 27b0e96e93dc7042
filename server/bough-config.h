/* bough-config.h: the effective configuration of bough-server, built from
 * defaults, then bough.conf, then BOUGH_<SECTION>_<KEY> environment variables,
 * then the command line, each value remembering where it came from.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * BoughConfigSource:
 * @BOUGH_CONFIG_SOURCE_DEFAULT: the built-in default (or derived from main.data_dir)
 * @BOUGH_CONFIG_SOURCE_FILE: the configuration file
 * @BOUGH_CONFIG_SOURCE_ENV: an environment variable
 * @BOUGH_CONFIG_SOURCE_COMMAND_LINE: a command-line option
 *
 * Where a configuration value came from; later sources override earlier ones.
 */
typedef enum
{
  BOUGH_CONFIG_SOURCE_DEFAULT,
  BOUGH_CONFIG_SOURCE_FILE,
  BOUGH_CONFIG_SOURCE_ENV,
  BOUGH_CONFIG_SOURCE_COMMAND_LINE,
} BoughConfigSource;

typedef struct _BoughConfig BoughConfig;

BoughConfig       *bough_config_new             (void);
void               bough_config_free            (BoughConfig        *self);
BoughConfig       *bough_config_load            (const char         *config_file,
                                                 const char         *data_dir,
                                                 const char         *listen,
                                                 const char * const *envp,
                                                 GError            **error);
gboolean           bough_config_load_file       (BoughConfig        *self,
                                                 const char         *path,
                                                 GError            **error);
gboolean           bough_config_load_environ    (BoughConfig        *self,
                                                 const char * const *envp,
                                                 GError            **error);
gboolean           bough_config_set             (BoughConfig        *self,
                                                 const char         *section,
                                                 const char         *key,
                                                 const char         *value,
                                                 BoughConfigSource   source,
                                                 const char         *origin,
                                                 GError            **error);
void               bough_config_resolve         (BoughConfig        *self);

gboolean           bough_config_has_key         (const char         *section,
                                                 const char         *key);
const char        *bough_config_get_string      (BoughConfig        *self,
                                                 const char         *section,
                                                 const char         *key);
gint64             bough_config_get_int         (BoughConfig        *self,
                                                 const char         *section,
                                                 const char         *key);
BoughConfigSource  bough_config_get_source      (BoughConfig        *self,
                                                 const char         *section,
                                                 const char         *key);
const char        *bough_config_get_file        (BoughConfig        *self);

const char        *bough_config_get_data_dir    (BoughConfig        *self);
const char        *bough_config_get_listen_host (BoughConfig        *self);
guint16            bough_config_get_listen_port (BoughConfig        *self);
const char        *bough_config_get_database_path (BoughConfig      *self);
const char        *bough_config_get_storage_path  (BoughConfig      *self);
GLogLevelFlags     bough_config_get_log_level   (BoughConfig        *self);

char              *bough_config_to_data         (BoughConfig        *self,
                                                 gsize              *length);

gboolean           bough_config_parse_listen    (const char         *text,
                                                 char              **host,
                                                 guint16            *port,
                                                 GError            **error);
const char        *bough_config_source_to_string (BoughConfigSource  source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughConfig, bough_config_free)

G_END_DECLS
