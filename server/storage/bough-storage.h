/* bough-storage.h: object storage: one interface over two drivers, a
 * local directory (the default) and S3-compatible services. Objects are
 * addressed by an opaque identifier the storage computes from their content
 * (the SHA-256 of the bytes, in lowercase hex); no caller ever names a path.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <gio/gio.h>

#include "bough-config.h"

G_BEGIN_DECLS

/* The length of an identifier: 64 lowercase hexadecimal digits. */
#define BOUGH_STORAGE_ID_LENGTH 64

/* Thread safe and refcounted: share it between request workers freely. */
typedef struct _BoughStorage BoughStorage;

/* What the S3 driver needs; strings are copied. */
typedef struct
{
  const char *endpoint;        /* http(s)://host[:port], e.g. https://s3.eu-west-1.amazonaws.com */
  const char *bucket;
  const char *region;          /* signing region, e.g. us-east-1 */
  const char *access_key;
  const char *secret_key;
  const char *prefix;          /* nullable: prepended to every key, e.g. "bough/" */
  gboolean    use_path_style;  /* endpoint/bucket/key rather than bucket.endpoint/key */
  gboolean    verify_tls;
  guint       timeout;         /* seconds per request; 0: none */
} BoughStorageS3Options;

BoughStorage *bough_storage_new_local          (const char                  *path,
                                                GError                     **error);
BoughStorage *bough_storage_new_s3             (const BoughStorageS3Options *options,
                                                GError                     **error);
BoughStorage *bough_storage_new_from_config    (BoughConfig                 *config,
                                                GError                     **error);
BoughStorage *bough_storage_ref                (BoughStorage                *self);
void          bough_storage_unref              (BoughStorage                *self);

const char   *bough_storage_get_driver_name    (BoughStorage                *self);
gint64        bough_storage_get_max_object_size (BoughStorage               *self);
void          bough_storage_set_max_object_size (BoughStorage               *self,
                                                gint64                       max_object_size);

gboolean      bough_storage_id_is_valid        (const char                  *identifier);
char         *bough_storage_compute_id         (GBytes                      *content);
char         *bough_storage_compute_md5        (GBytes                      *content);

char         *bough_storage_put                (BoughStorage                *self,
                                                GBytes                      *content,
                                                GError                     **error);
GBytes       *bough_storage_get                (BoughStorage                *self,
                                                const char                  *identifier,
                                                GError                     **error);
GInputStream *bough_storage_open               (BoughStorage                *self,
                                                const char                  *identifier,
                                                goffset                     *size,
                                                GError                     **error);
gboolean      bough_storage_exists             (BoughStorage                *self,
                                                const char                  *identifier,
                                                gboolean                    *exists,
                                                GError                     **error);
gboolean      bough_storage_delete             (BoughStorage                *self,
                                                const char                  *identifier,
                                                GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughStorage, bough_storage_unref)

G_END_DECLS
