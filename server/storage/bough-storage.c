/* bough-storage.c: the object storage front: identifiers (content hashes),
 * their validation before any driver sees them, the size limit, and the
 * choice of driver from the configuration.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-storage"

#include "config.h"

#include <string.h>

#include "bough-error.h"

#include "bough-storage-private.h"

BoughStorage *
_bough_storage_new (const BoughStorageDriver *driver,
                    gpointer                  priv)
{
  BoughStorage *self = g_new0 (BoughStorage, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->driver = driver;
  self->priv = priv;
  return self;
}

/**
 * bough_storage_ref:
 * @self: a storage
 *
 * Returns: (transfer full): @self
 */
BoughStorage *
bough_storage_ref (BoughStorage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * bough_storage_unref:
 * @self: (nullable): a storage
 */
void
bough_storage_unref (BoughStorage *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  self->driver->finalize (self);
  g_free (self);
}

/**
 * bough_storage_get_driver_name:
 * @self: a storage
 *
 * Returns: "local" or "s3"
 */
const char *
bough_storage_get_driver_name (BoughStorage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->driver->name;
}

/**
 * bough_storage_get_max_object_size:
 * @self: a storage
 *
 * Returns: the largest object bough_storage_put() accepts, in bytes; 0 for no limit
 */
gint64
bough_storage_get_max_object_size (BoughStorage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_object_size;
}

/**
 * bough_storage_set_max_object_size:
 * @self: a storage
 * @max_object_size: the largest object accepted, in bytes; 0 for no limit
 *
 * Set it before sharing @self between threads.
 */
void
bough_storage_set_max_object_size (BoughStorage *self,
                                   gint64        max_object_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_object_size >= 0);

  self->max_object_size = max_object_size;
}

/**
 * bough_storage_id_is_valid:
 * @identifier: (nullable): text
 *
 * Whether @identifier has the form of an identifier: exactly 64 lowercase
 * hexadecimal digits. Anything else (paths, `..`, encodings, NUL, other
 * lengths) is refused before a driver sees it, so that no identifier can
 * name a place outside the storage.
 *
 * Returns: %TRUE if it does
 */
gboolean
bough_storage_id_is_valid (const char *identifier)
{
  if (identifier == NULL)
    return FALSE;
  for (guint i = 0; i < BOUGH_STORAGE_ID_LENGTH; i++)
    {
      char c = identifier[i];

      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return FALSE;
    }
  return identifier[BOUGH_STORAGE_ID_LENGTH] == '\0';
}

static char *
checksum_hex (GChecksumType  type,
              GBytes        *content)
{
  gsize length;
  gconstpointer data = g_bytes_get_data (content, &length);

  /* g_compute_checksum_for_data() refuses NULL even for 0 bytes */
  return g_compute_checksum_for_data (type, data != NULL ? data : (gconstpointer) "", length);
}

/**
 * bough_storage_compute_id:
 * @content: bytes
 *
 * Returns: (transfer full): the identifier of @content: its SHA-256 in hex
 */
char *
bough_storage_compute_id (GBytes *content)
{
  g_return_val_if_fail (content != NULL, NULL);

  return checksum_hex (G_CHECKSUM_SHA256, content);
}

/**
 * bough_storage_compute_md5:
 * @content: bytes
 *
 * Returns: (transfer full): the MD5 of @content in hex, the `checksum` of the API
 */
char *
bough_storage_compute_md5 (GBytes *content)
{
  g_return_val_if_fail (content != NULL, NULL);

  return checksum_hex (G_CHECKSUM_MD5, content);
}

static gboolean
check_id (const char  *identifier,
          GError     **error)
{
  if (bough_storage_id_is_valid (identifier))
    return TRUE;
  g_set_error_literal (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                       "not a storage identifier (64 lowercase hexadecimal digits)");
  return FALSE;
}

/**
 * bough_storage_put:
 * @self: a storage
 * @content: the bytes to store
 * @error: return location for a #GError
 *
 * Stores @content durably: once this returns, the object survives a crash
 * of the process (local: written to a temporary file, synced, renamed and
 * the directory synced; S3: acknowledged by the service). Storing the same
 * bytes again gives the same identifier.
 *
 * Returns: (transfer full): the identifier, or %NULL with @error set
 *   (BOUGH_ERROR_LIMIT when @content is over the size limit)
 */
char *
bough_storage_put (BoughStorage *self,
                   GBytes       *content,
                   GError      **error)
{
  g_autofree char *identifier = NULL;
  gint64 max;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (content != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  max = self->max_object_size;
  if (max > 0 && (gint64) g_bytes_get_size (content) > max)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT,
                   "object of %" G_GSIZE_FORMAT " bytes is larger than the limit of %"
                   G_GINT64_FORMAT " bytes", g_bytes_get_size (content), max);
      return NULL;
    }
  identifier = bough_storage_compute_id (content);
  if (!self->driver->put (self, identifier, content, error))
    return NULL;
  return g_steal_pointer (&identifier);
}

/**
 * bough_storage_get:
 * @self: a storage
 * @identifier: an identifier
 * @error: return location for a #GError
 *
 * Reads a whole object and checks that its bytes still hash to
 * @identifier (a damaged or planted object is an error, never served).
 *
 * Returns: (transfer full): the content, or %NULL with @error set
 *   (BOUGH_ERROR_NOT_FOUND when absent, BOUGH_ERROR_INVALID for a malformed
 *   identifier)
 */
GBytes *
bough_storage_get (BoughStorage *self,
                   const char   *identifier,
                   GError      **error)
{
  g_autoptr(GBytes) content = NULL;
  g_autofree char *actual = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_id (identifier, error))
    return NULL;
  content = self->driver->get (self, identifier, error);
  if (content == NULL)
    return NULL;
  actual = bough_storage_compute_id (content);
  if (!g_str_equal (actual, identifier))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "object %s is damaged: its content does not match its identifier", identifier);
      return NULL;
    }
  return g_steal_pointer (&content);
}

/**
 * bough_storage_open:
 * @self: a storage
 * @identifier: an identifier
 * @size: (out) (optional): the object's size in bytes, -1 when unknown
 * @error: return location for a #GError
 *
 * Opens an object for reading as a stream, for objects too large to hold in
 * memory. Unlike bough_storage_get() the content is not checked against the
 * identifier; a reader that needs that hashes what it reads.
 *
 * Returns: (transfer full): a stream, or %NULL with @error set
 */
GInputStream *
bough_storage_open (BoughStorage *self,
                    const char   *identifier,
                    goffset      *size,
                    GError      **error)
{
  goffset dummy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_id (identifier, error))
    return NULL;
  return self->driver->open (self, identifier, size != NULL ? size : &dummy, error);
}

/**
 * bough_storage_exists:
 * @self: a storage
 * @identifier: an identifier
 * @exists: (out): whether the object exists
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the answer is known, %FALSE with @error set otherwise
 */
gboolean
bough_storage_exists (BoughStorage *self,
                      const char   *identifier,
                      gboolean     *exists,
                      GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (exists != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *exists = FALSE;
  if (!check_id (identifier, error))
    return FALSE;
  return self->driver->exists (self, identifier, exists, error);
}

/**
 * bough_storage_delete:
 * @self: a storage
 * @identifier: an identifier
 * @error: return location for a #GError
 *
 * Removes an object; removing an absent one succeeds. Identifiers are
 * content hashes: every user of the same bytes shares the object.
 *
 * Returns: %TRUE on success
 */
gboolean
bough_storage_delete (BoughStorage *self,
                      const char   *identifier,
                      GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (identifier, error))
    return FALSE;
  return self->driver->remove (self, identifier, error);
}

/**
 * bough_storage_new_from_config:
 * @config: the configuration (section `[storage]`)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the storage the configuration names, or %NULL
 *   with @error set
 */
BoughStorage *
bough_storage_new_from_config (BoughConfig *config,
                               GError     **error)
{
  const char *driver;
  BoughStorage *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  driver = bough_config_get_string (config, "storage", "driver");
  if (g_strcmp0 (driver, "s3") == 0)
    {
      BoughStorageS3Options options = {
        .endpoint = bough_config_get_string (config, "storage", "s3_endpoint"),
        .bucket = bough_config_get_string (config, "storage", "s3_bucket"),
        .region = bough_config_get_string (config, "storage", "s3_region"),
        .access_key = bough_config_get_string (config, "storage", "s3_access_key"),
        .secret_key = bough_config_get_string (config, "storage", "s3_secret_key"),
        .prefix = bough_config_get_string (config, "storage", "s3_prefix"),
        .use_path_style = g_strcmp0 (bough_config_get_string (config, "storage",
                                                              "s3_use_path_style"), "true") == 0,
        .verify_tls = g_strcmp0 (bough_config_get_string (config, "storage",
                                                          "s3_verify_tls"), "false") != 0,
        .timeout = bough_config_get_int (config, "storage", "s3_timeout"),
      };

      self = bough_storage_new_s3 (&options, error);
    }
  else
    self = bough_storage_new_local (bough_config_get_storage_path (config), error);

  if (self != NULL)
    bough_storage_set_max_object_size (self, bough_config_get_int (config, "storage",
                                                                   "max_object_size"));
  return self;
}
