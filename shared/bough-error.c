/* bough-error.c: the BOUGH_ERROR domain, extended with the input field an
 * error is about.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough"

#include "config.h"

#include "bough-error.h"

/* An extended domain: a validation error can carry the field it is about
 * through g_error_copy() and g_propagate_error(), so that the API can show it
 * next to that field without parsing the message. */
typedef struct
{
  char *field;
} BoughErrorPrivate;

static void
bough_error_private_init (BoughErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
bough_error_private_copy (const BoughErrorPrivate *src,
                          BoughErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
}

static void
bough_error_private_clear (BoughErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (BoughError, bough_error)

/**
 * bough_error_set_field:
 * @error: an error of the %BOUGH_ERROR domain
 * @field: (nullable): the name of the input field (attribute or relationship)
 *   the error is about
 *
 * Records which input field @error is about. Does nothing for errors of
 * other domains.
 */
void
bough_error_set_field (GError     *error,
                       const char *field)
{
  BoughErrorPrivate *priv;

  g_return_if_fail (error != NULL);

  priv = bough_error_get_private (error);
  if (priv == NULL)
    return;
  g_free (priv->field);
  priv->field = g_strdup (field);
}

/**
 * bough_error_get_field:
 * @error: an error
 *
 * Returns: (nullable): the input field @error is about, or %NULL when it is
 *   about no single field or is not of the %BOUGH_ERROR domain
 */
const char *
bough_error_get_field (const GError *error)
{
  BoughErrorPrivate *priv;

  g_return_val_if_fail (error != NULL, NULL);

  priv = bough_error_get_private (error);
  return priv != NULL ? priv->field : NULL;
}
