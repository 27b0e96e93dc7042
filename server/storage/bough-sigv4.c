/* bough-sigv4.c: AWS Signature Version 4 for the S3 driver (the header
 * form, payload in a single chunk): canonical request, string to sign,
 * signing key and Authorization header, with GLib's GChecksum and GHmac.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-storage"

#include "config.h"

#include <string.h>

#include "bough-storage-private.h"

#define ALGORITHM "AWS4-HMAC-SHA256"

/**
 * _bough_sigv4_uri_encode:
 * @text: UTF-8 text
 * @keep_slash: whether `/` stays as is (paths) or is encoded (query parts)
 *
 * Encodes everything but the RFC 3986 unreserved characters as %XX with
 * upper-case digits, as SigV4 requires (GLib's escaping keeps more).
 *
 * Returns: (transfer full): the encoded text
 */
char *
_bough_sigv4_uri_encode (const char *text,
                         gboolean    keep_slash)
{
  GString *out = g_string_sized_new (strlen (text) + 16);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~' ||
          (keep_slash && *p == '/'))
        g_string_append_c (out, *p);
      else
        g_string_append_printf (out, "%%%02X", *p);
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  char *name;
  char *value;
} Pair;

static void
pair_clear (Pair *pair)
{
  g_free (pair->name);
  g_free (pair->value);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *pa = a;
  const Pair *pb = b;
  int c = strcmp (pa->name, pb->name);

  return c != 0 ? c : strcmp (pa->value, pb->value);
}

/* Decodes a query component as sent; a malformed escape is kept as is. */
static char *
decode_component (const char *text,
                  gssize      length)
{
  g_autofree char *part = length < 0 ? g_strdup (text) : g_strndup (text, length);
  char *decoded = g_uri_unescape_string (part, NULL);

  return decoded != NULL ? decoded : g_steal_pointer (&part);
}

/**
 * _bough_sigv4_canonical_query:
 * @query: (nullable): a raw query string, e.g. `prefix=J&max-keys=2` or `lifecycle`
 *
 * Returns: (transfer full): the canonical query string: each name and value
 *   decoded then encoded the SigV4 way, sorted by name then value, a bare
 *   name given an empty value
 */
char *
_bough_sigv4_canonical_query (const char *query)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_auto(GStrv) parts = NULL;
  GString *out = g_string_new (NULL);

  g_array_set_clear_func (pairs, (GDestroyNotify) pair_clear);
  if (query == NULL || query[0] == '\0')
    return g_string_free (out, FALSE);

  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      Pair pair;

      if (parts[i][0] == '\0')
        continue;
      name = decode_component (parts[i], eq != NULL ? eq - parts[i] : -1);
      value = eq != NULL ? decode_component (eq + 1, -1) : g_strdup ("");
      pair.name = _bough_sigv4_uri_encode (name, FALSE);
      pair.value = _bough_sigv4_uri_encode (value, FALSE);
      g_array_append_val (pairs, pair);
    }
  g_array_sort (pairs, compare_pairs);
  for (guint i = 0; i < pairs->len; i++)
    {
      Pair *pair = &g_array_index (pairs, Pair, i);

      g_string_append_printf (out, "%s%s=%s", i > 0 ? "&" : "", pair->name, pair->value);
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  char *name;   /* lower case */
  char *value;  /* trimmed, inner runs of spaces collapsed */
} Header;

static void
header_clear (Header *header)
{
  g_free (header->name);
  g_free (header->value);
}

static int
compare_headers (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const Header *) a)->name, ((const Header *) b)->name);
}

static char *
canonical_header_value (const char *value)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t')
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
hmac_sha256 (const guint8 *key,
             gsize         key_length,
             const char   *data,
             guint8        out[32])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  gsize length = 32;

  g_hmac_update (hmac, (const guchar *) data, strlen (data));
  g_hmac_get_digest (hmac, out, &length);
  g_assert (length == 32);
}

/**
 * _bough_sigv4_sign:
 * @request: what to sign
 * @result: (out caller-allocates): the canonical request, string to sign,
 *   signature, signed header list and Authorization value; clear it with
 *   _bough_sigv4_result_clear()
 *
 * Signs @request with AWS Signature Version 4.
 */
void
_bough_sigv4_sign (const BoughSigV4Request *request,
                   BoughSigV4Result        *result)
{
  g_autoptr(GArray) headers = g_array_new (FALSE, FALSE, sizeof (Header));
  g_autoptr(GString) canonical = g_string_new (NULL);
  g_autoptr(GString) signed_headers = g_string_new (NULL);
  g_autofree char *query = NULL;
  g_autofree char *request_hash = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *secret = NULL;
  char date[9];
  guint8 key[32];
  guint8 signature[32];

  g_return_if_fail (request != NULL);
  g_return_if_fail (result != NULL);
  g_return_if_fail (request->amz_date != NULL && strlen (request->amz_date) == 16);

  memset (result, 0, sizeof *result);
  g_array_set_clear_func (headers, (GDestroyNotify) header_clear);
  for (guint i = 0; request->headers != NULL && request->headers[i] != NULL &&
       request->headers[i + 1] != NULL; i += 2)
    {
      Header header = {
        .name = g_ascii_strdown (request->headers[i], -1),
        .value = canonical_header_value (request->headers[i + 1]),
      };

      g_array_append_val (headers, header);
    }
  g_array_sort (headers, compare_headers);

  query = _bough_sigv4_canonical_query (request->query);
  g_string_append_printf (canonical, "%s\n%s\n%s\n", request->method,
                          request->canonical_uri[0] != '\0' ? request->canonical_uri : "/", query);
  for (guint i = 0; i < headers->len; i++)
    {
      Header *header = &g_array_index (headers, Header, i);

      g_string_append_printf (canonical, "%s:%s\n", header->name, header->value);
      g_string_append_printf (signed_headers, "%s%s", i > 0 ? ";" : "", header->name);
    }
  g_string_append_printf (canonical, "\n%s\n%s", signed_headers->str, request->payload_hash);

  memcpy (date, request->amz_date, 8);
  date[8] = '\0';
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, request->region, request->service);
  request_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical->str, canonical->len);
  result->string_to_sign = g_strdup_printf (ALGORITHM "\n%s\n%s\n%s", request->amz_date, scope,
                                            request_hash);

  /* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
  secret = g_strconcat ("AWS4", request->secret_key, NULL);
  hmac_sha256 ((const guint8 *) secret, strlen (secret), date, key);
  memset (secret, 0, strlen (secret));
  hmac_sha256 (key, sizeof key, request->region, key);
  hmac_sha256 (key, sizeof key, request->service, key);
  hmac_sha256 (key, sizeof key, "aws4_request", key);
  hmac_sha256 (key, sizeof key, result->string_to_sign, signature);
  memset (key, 0, sizeof key);

  {
    GString *hex = g_string_sized_new (64);

    for (guint i = 0; i < sizeof signature; i++)
      g_string_append_printf (hex, "%02x", signature[i]);
    result->signature = g_string_free (hex, FALSE);
  }
  result->canonical_request = g_strdup (canonical->str);
  result->signed_headers = g_strdup (signed_headers->str);
  result->authorization = g_strdup_printf (ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                                           request->access_key, scope, signed_headers->str,
                                           result->signature);
}

void
_bough_sigv4_result_clear (BoughSigV4Result *result)
{
  g_clear_pointer (&result->canonical_request, g_free);
  g_clear_pointer (&result->string_to_sign, g_free);
  g_clear_pointer (&result->signature, g_free);
  g_clear_pointer (&result->signed_headers, g_free);
  g_clear_pointer (&result->authorization, g_free);
}
