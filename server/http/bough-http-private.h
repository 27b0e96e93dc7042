/* bough-http-private.h: what the files of the HTTP front share: the listener
 * that accepts connections itself to put deadlines and caps on them.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint max_connections;
  gsize max_header_size;
  guint header_timeout;   /* seconds */
  guint body_timeout;     /* seconds without a byte of the body */
  guint idle_timeout;     /* seconds between requests */
} BoughHttpLimits;

typedef struct _BoughHttpFront BoughHttpFront;

BoughHttpFront *_bough_http_front_new          (SoupServer            *server);
void            _bough_http_front_free         (BoughHttpFront        *front);
void            _bough_http_front_set_limits   (BoughHttpFront        *front,
                                                const BoughHttpLimits *limits);
gboolean        _bough_http_front_listen       (BoughHttpFront        *front,
                                                GSocketAddress        *address,
                                                guint16               *port,
                                                GError               **error);
void            _bough_http_front_stop         (BoughHttpFront        *front);
guint           _bough_http_front_get_n_connections (BoughHttpFront   *front);

void            _bough_http_linger             (GIOStream             *stream,
                                                GBytes                *reply);
GBytes         *_bough_http_raw_reply_new      (guint                  status,
                                                const char            *message);

G_END_DECLS
