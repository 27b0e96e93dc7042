/* bough-error.h: the one error domain of Bough and its codes.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BOUGH_ERROR (bough_error_quark ())

/**
 * BoughError:
 * @BOUGH_ERROR_FAILED: unexpected failure (a bug or the environment)
 * @BOUGH_ERROR_PARSE: the input text (YAML, JSON, GraphQL) is malformed
 * @BOUGH_ERROR_SCHEMA: a schema is invalid (unknown peer, duplicate name, ...)
 * @BOUGH_ERROR_INVALID: a value or argument is invalid (wrong type, regex, length, ...)
 * @BOUGH_ERROR_NOT_FOUND: a node, kind, branch or other named thing does not exist
 * @BOUGH_ERROR_CONSTRAINT: a data constraint would be violated (mandatory, cardinality, peer kind...)
 * @BOUGH_ERROR_UNIQUE: a uniqueness rule would be violated (unique attribute, constraint, hfid)
 * @BOUGH_ERROR_CONFLICT: a concurrent change got there first; retrying may succeed
 * @BOUGH_ERROR_STORAGE: the storage layer failed (I/O, corruption, driver)
 * @BOUGH_ERROR_PERMISSION: the caller is not allowed to do this
 * @BOUGH_ERROR_UNSUPPORTED: the operation is not supported (e.g. a schema change without migration)
 * @BOUGH_ERROR_CONFIG: the configuration is invalid
 * @BOUGH_ERROR_LIMIT: a configured limit was exceeded
 * @BOUGH_ERROR_NETWORK: the server cannot be reached or is not answering (down,
 *   refused, timed out, 502/503/504); retrying later may succeed
 * @BOUGH_ERROR_UNAUTHENTICATED: the request carries no valid credentials: none
 *   given, a wrong password or token, or an expired session that could not be
 *   refreshed; signing in again is needed
 *
 * Error codes of the %BOUGH_ERROR domain. Errors of SQLite, libgit2 and other
 * libraries are converted into this domain where they leave their subsystem.
 */
typedef enum
{
  BOUGH_ERROR_FAILED,
  BOUGH_ERROR_PARSE,
  BOUGH_ERROR_SCHEMA,
  BOUGH_ERROR_INVALID,
  BOUGH_ERROR_NOT_FOUND,
  BOUGH_ERROR_CONSTRAINT,
  BOUGH_ERROR_UNIQUE,
  BOUGH_ERROR_CONFLICT,
  BOUGH_ERROR_STORAGE,
  BOUGH_ERROR_PERMISSION,
  BOUGH_ERROR_UNSUPPORTED,
  BOUGH_ERROR_CONFIG,
  BOUGH_ERROR_LIMIT,
  BOUGH_ERROR_NETWORK,
  BOUGH_ERROR_UNAUTHENTICATED,
} BoughError;

GQuark bough_error_quark (void);

G_END_DECLS
