/* bough-store-json.h: the store's compact JSON writer and reader.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void        _bough_json_append_string     (GString      *out,
                                           const char   *s);
void        _bough_json_append            (GString      *out,
                                           JsonNode     *node);
JsonNode   *_bough_json_read              (const char   *text);

/* A pull reader over JSON text, to decode the store's row texts straight
 * into compact structures without building JSON trees. */
typedef struct
{
  const char *p;
  guint       depth;
} BoughJsonReader;

void        _bough_json_reader_init       (BoughJsonReader *r,
                                           const char   *text);
gboolean    _bough_json_reader_enter_object (BoughJsonReader *r);
int         _bough_json_reader_next_member (BoughJsonReader *r,
                                           char         *name,
                                           gsize         size);
JsonNode   *_bough_json_reader_value      (BoughJsonReader *r);
gboolean    _bough_json_reader_skip       (BoughJsonReader *r);
gboolean    _bough_json_reader_boolean    (BoughJsonReader *r,
                                           gboolean     *value);
gboolean    _bough_json_reader_int        (BoughJsonReader *r,
                                           gint64       *value);
gboolean    _bough_json_reader_string     (BoughJsonReader *r,
                                           char        **value);
char      **_bough_json_read_strv         (const char   *text);

/* Raw slices of JSON text, to compare stored texts member by member without
 * building trees (the store writes one canonical form, so equal bytes are
 * equal values; unequal bytes need a parse to tell). */
typedef struct
{
  const char *name;
  gsize       name_len;
  const char *value;
  gsize       value_len;
} BoughJsonRawMember;

const char *_bough_json_raw_skip          (const char   *p);
gboolean    _bough_json_raw_members       (const char   *text,
                                           gsize         len,
                                           GArray       *out);
const BoughJsonRawMember *
            _bough_json_raw_find          (GArray       *members,
                                           const char   *name);
char       *_bough_json_raw_restamp       (const char   *text,
                                           gint64        stamp);

G_END_DECLS
