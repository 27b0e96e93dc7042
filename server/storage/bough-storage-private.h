/* bough-storage-private.h: what the object storage front and its drivers
 * share: the driver table, and the SigV4 signer of the S3 driver (exposed
 * for its tests).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include "bough-storage.h"

G_BEGIN_DECLS

/* Each function gets an identifier already checked by
 * bough_storage_id_is_valid(). Absent objects are BOUGH_ERROR_NOT_FOUND. */
typedef struct
{
  const char   *name;
  gboolean    (*put)      (BoughStorage  *self,
                           const char    *identifier,
                           GBytes        *content,
                           GError       **error);
  GBytes     *(*get)      (BoughStorage  *self,
                           const char    *identifier,
                           GError       **error);
  GInputStream *(*open)   (BoughStorage  *self,
                           const char    *identifier,
                           goffset       *size,
                           GError       **error);
  gboolean    (*exists)   (BoughStorage  *self,
                           const char    *identifier,
                           gboolean      *exists,
                           GError       **error);
  gboolean    (*remove)   (BoughStorage  *self,
                           const char    *identifier,
                           GError       **error);
  void        (*finalize) (BoughStorage  *self);
} BoughStorageDriver;

struct _BoughStorage
{
  gatomicrefcount            ref_count;
  const BoughStorageDriver  *driver;
  gint64                     max_object_size;  /* 0: no limit */
  gpointer                   priv;             /* the driver's */
};

BoughStorage *_bough_storage_new (const BoughStorageDriver *driver,
                                  gpointer                  priv);

/* One request to sign with AWS Signature Version 4 (single chunk). */
typedef struct
{
  const char  *method;
  const char  *canonical_uri;   /* the path as sent: already percent-encoded */
  const char  *query;           /* nullable: the raw query string as sent */
  const char * const *headers;  /* name, value, name, value, ..., NULL: the signed headers */
  const char  *payload_hash;    /* hex SHA-256 of the body, or UNSIGNED-PAYLOAD */
  const char  *access_key;
  const char  *secret_key;
  const char  *region;
  const char  *service;
  const char  *amz_date;        /* YYYYMMDDTHHMMSSZ */
} BoughSigV4Request;

typedef struct
{
  char *canonical_request;
  char *string_to_sign;
  char *signature;
  char *signed_headers;
  char *authorization;
} BoughSigV4Result;

void  _bough_sigv4_sign          (const BoughSigV4Request *request,
                                  BoughSigV4Result        *result);
void  _bough_sigv4_result_clear  (BoughSigV4Result        *result);
char *_bough_sigv4_uri_encode    (const char              *text,
                                  gboolean                 keep_slash);
char *_bough_sigv4_canonical_query (const char            *query);

/* The address of an object in an S3 storage (for tests of addressing). */
char *_bough_storage_s3_object_url (BoughStorage *self,
                                    const char   *identifier);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BoughSigV4Result, _bough_sigv4_result_clear)

G_END_DECLS
