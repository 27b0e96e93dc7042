/* bough-storage-s3.c: the S3-compatible object storage driver: objects are
 * `<prefix><identifier>` in one bucket, reached with PUT, GET, HEAD and
 * DELETE over libsoup, path-style (`endpoint/bucket/key`) or virtual-host
 * (`bucket.endpoint/key`) addressing, each request signed with SigV4
 * (bough-sigv4.c) and carrying x-amz-content-sha256. S3's answers become
 * BOUGH_ERROR errors with a message saying what to check.
 *
 * A request runs synchronously on the caller's thread (request workers,
 * task workers) with its own SoupSession, so nothing is shared between
 * threads but the immutable settings.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-storage"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "bough-error.h"

#include "bough-storage-private.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* how much of an error answer is read to explain it */
#define MAX_ERROR_BODY 65536

typedef struct
{
  char     *scheme;
  char     *host;
  int       port;        /* -1: the scheme's */
  char     *base_path;   /* the endpoint's own path, without a final slash */
  char     *endpoint;    /* for messages */
  char     *bucket;
  char     *region;
  char     *access_key;
  char     *secret_key;
  char     *prefix;
  gboolean  path_style;
  gboolean  verify_tls;
  guint     timeout;
} S3;

static void
s3_free (S3 *s3)
{
  g_free (s3->scheme);
  g_free (s3->host);
  g_free (s3->base_path);
  g_free (s3->endpoint);
  g_free (s3->bucket);
  g_free (s3->region);
  g_free (s3->access_key);
  if (s3->secret_key != NULL)
    memset (s3->secret_key, 0, strlen (s3->secret_key));
  g_free (s3->secret_key);
  g_free (s3->prefix);
  g_free (s3);
}

static GUri *
object_uri (S3         *s3,
            const char *identifier)
{
  g_autofree char *key = g_strconcat (s3->prefix, identifier, NULL);
  g_autofree char *encoded_key = _bough_sigv4_uri_encode (key, TRUE);
  g_autofree char *path = NULL;
  g_autofree char *host = NULL;

  if (s3->path_style)
    {
      g_autofree char *bucket = _bough_sigv4_uri_encode (s3->bucket, FALSE);

      path = g_strdup_printf ("%s/%s/%s", s3->base_path, bucket, encoded_key);
      host = g_strdup (s3->host);
    }
  else
    {
      path = g_strdup_printf ("%s/%s", s3->base_path, encoded_key);
      host = g_strdup_printf ("%s.%s", s3->bucket, s3->host);
    }
  return g_uri_build (G_URI_FLAGS_ENCODED, s3->scheme, NULL, host, s3->port, path, NULL, NULL);
}

char *
_bough_storage_s3_object_url (BoughStorage *self,
                              const char   *identifier)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (self != NULL && g_str_equal (self->driver->name, "s3"), NULL);
  uri = object_uri (self->priv, identifier);
  return g_uri_to_string (uri);
}

static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return TRUE;
}

static char *
amz_date_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y%m%dT%H%M%SZ");
}

/* Builds a signed request for one object and the session to send it with. */
static SoupMessage *
new_request (S3           *s3,
             const char   *method,
             const char   *identifier,
             GBytes       *body,
             SoupSession **session)
{
  g_autoptr(GUri) uri = object_uri (s3, identifier);
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autofree char *payload_hash = NULL;
  g_autofree char *amz_date = amz_date_now ();
  g_autofree char *host = NULL;
  g_auto(BoughSigV4Result) signature = { NULL, };
  GUri *sent = soup_message_get_uri (msg);
  const char *signed_headers[7];
  BoughSigV4Request request = { NULL, };

  /* libsoup sets Host from the URI when the message is made: sign that */
  host = g_strdup (soup_message_headers_get_one (headers, "Host"));
  if (host == NULL)
    {
      host = g_uri_get_port (sent) > 0 ?
             g_strdup_printf ("%s:%d", g_uri_get_host (sent), g_uri_get_port (sent)) :
             g_strdup (g_uri_get_host (sent));
      soup_message_headers_replace (headers, "Host", host);
    }
  payload_hash = body != NULL ? bough_storage_compute_id (body) : g_strdup (EMPTY_SHA256);
  soup_message_headers_replace (headers, "x-amz-content-sha256", payload_hash);
  soup_message_headers_replace (headers, "x-amz-date", amz_date);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);

  signed_headers[0] = "host";
  signed_headers[1] = host;
  signed_headers[2] = "x-amz-content-sha256";
  signed_headers[3] = payload_hash;
  signed_headers[4] = "x-amz-date";
  signed_headers[5] = amz_date;
  signed_headers[6] = NULL;
  request.method = method;
  request.canonical_uri = g_uri_get_path (sent);
  request.query = g_uri_get_query (sent);
  request.headers = signed_headers;
  request.payload_hash = payload_hash;
  request.access_key = s3->access_key;
  request.secret_key = s3->secret_key;
  request.region = s3->region;
  request.service = "s3";
  request.amz_date = amz_date;
  _bough_sigv4_sign (&request, &signature);
  soup_message_headers_replace (headers, "Authorization", signature.authorization);

  if (!s3->verify_tls)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), NULL);
  *session = soup_session_new_with_options ("timeout", s3->timeout,
                                            "user-agent", "bough-server/" PACKAGE_VERSION,
                                            NULL);
  return g_steal_pointer (&msg);
}

/* The text between <tag> and </tag> in S3's XML error body, if any. */
static char *
xml_element (GBytes     *body,
             const char *tag)
{
  g_autofree char *open = g_strdup_printf ("<%s>", tag);
  g_autofree char *close = g_strdup_printf ("</%s>", tag);
  g_autofree char *text = NULL;
  gsize length;
  const char *data;
  const char *start;
  const char *end;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &length);
  if (data == NULL)
    return NULL;
  text = g_strndup (data, MIN (length, MAX_ERROR_BODY));
  start = strstr (text, open);
  if (start == NULL)
    return NULL;
  start += strlen (open);
  end = strstr (start, close);
  if (end == NULL)
    return NULL;
  return g_utf8_make_valid (start, end - start);
}

static void
set_transport_error (S3          *s3,
                     const char  *what,
                     GError      *cause,
                     GError     **error)
{
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
               "S3 %s failed: cannot reach %s: %s", what, s3->endpoint, cause->message);
}

/* Turns an S3 error answer into an error that says what to check. */
static void
set_status_error (S3          *s3,
                  SoupMessage *msg,
                  GBytes      *body,
                  const char  *what,
                  const char  *identifier,
                  GError     **error)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *code = xml_element (body, "Code");
  g_autofree char *message = xml_element (body, "Message");
  g_autofree char *detail = NULL;

  if (code != NULL)
    detail = g_strdup_printf (" (%s%s%s)", code, message != NULL ? ": " : "",
                              message != NULL ? message : "");
  else
    detail = g_strdup_printf (" (HTTP %u %s)", status,
                              soup_message_get_reason_phrase (msg) != NULL ?
                              soup_message_get_reason_phrase (msg) : "");

  if (g_strcmp0 (code, "NoSuchBucket") == 0)
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                 "S3 %s failed: bucket %s does not exist at %s%s", what, s3->bucket, s3->endpoint,
                 detail);
  else if (status == SOUP_STATUS_NOT_FOUND && identifier != NULL && code == NULL)
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "object %s not found", identifier);
  else if (g_strcmp0 (code, "NoSuchKey") == 0)
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "object %s not found", identifier);
  else if (status == SOUP_STATUS_FORBIDDEN || status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                 "S3 %s failed: access to bucket %s at %s refused%s; check storage.s3_access_key, "
                 "storage.s3_secret_key and storage.s3_region", what, s3->bucket, s3->endpoint,
                 detail);
  else if (SOUP_STATUS_IS_REDIRECTION (status))
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                 "S3 %s failed: bucket %s is not served at %s%s; check storage.s3_endpoint, "
                 "storage.s3_region and storage.s3_use_path_style", what, s3->bucket,
                 s3->endpoint, detail);
  else
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                 "S3 %s failed at %s%s", what, s3->endpoint, detail);
}

/* Sends a request and reads its answer whole. */
static GBytes *
send_and_read (S3          *s3,
               const char  *method,
               const char  *identifier,
               GBytes      *body,
               const char  *what,
               guint       *status,
               GError     **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = new_request (s3, method, identifier, body, &session);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) answer = NULL;

  answer = soup_session_send_and_read (session, msg, NULL, &local_error);
  if (answer == NULL)
    {
      set_transport_error (s3, what, local_error, error);
      return NULL;
    }
  *status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (*status))
    {
      set_status_error (s3, msg, answer, what, identifier, error);
      return NULL;
    }
  return g_steal_pointer (&answer);
}

static gboolean
s3_put (BoughStorage  *self,
        const char    *identifier,
        GBytes        *content,
        GError       **error)
{
  g_autoptr(GBytes) answer = NULL;
  guint status;

  answer = send_and_read (self->priv, SOUP_METHOD_PUT, identifier, content, "upload", &status, error);
  return answer != NULL;
}

static GBytes *
s3_get (BoughStorage  *self,
        const char    *identifier,
        GError       **error)
{
  guint status;

  return send_and_read (self->priv, SOUP_METHOD_GET, identifier, NULL, "download", &status, error);
}

static GInputStream *
s3_open (BoughStorage  *self,
         const char    *identifier,
         goffset       *size,
         GError       **error)
{
  S3 *s3 = self->priv;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = new_request (s3, SOUP_METHOD_GET, identifier, NULL, &session);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status;

  stream = soup_session_send (session, msg, NULL, &local_error);
  if (stream == NULL)
    {
      set_transport_error (s3, "download", local_error, error);
      return NULL;
    }
  status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr(GBytes) answer = g_input_stream_read_bytes (stream, MAX_ERROR_BODY, NULL, NULL);

      set_status_error (s3, msg, answer, "download", identifier, error);
      return NULL;
    }
  *size = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  if (soup_message_headers_get_encoding (soup_message_get_response_headers (msg)) !=
      SOUP_ENCODING_CONTENT_LENGTH)
    *size = -1;
  /* the stream reads through the session's connection: keep both alive */
  g_object_set_data_full (G_OBJECT (stream), "bough-s3-session", g_steal_pointer (&session),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (stream), "bough-s3-message", g_steal_pointer (&msg),
                          g_object_unref);
  return g_steal_pointer (&stream);
}

static gboolean
s3_exists (BoughStorage  *self,
           const char    *identifier,
           gboolean      *exists,
           GError       **error)
{
  S3 *s3 = self->priv;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = new_request (s3, SOUP_METHOD_HEAD, identifier, NULL, &session);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint status;

  answer = soup_session_send_and_read (session, msg, NULL, &local_error);
  if (answer == NULL)
    {
      set_transport_error (s3, "lookup", local_error, error);
      return FALSE;
    }
  status = soup_message_get_status (msg);
  /* HEAD answers have no body: a missing bucket looks like a missing key */
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      *exists = FALSE;
      return TRUE;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      set_status_error (s3, msg, NULL, "lookup", NULL, error);
      return FALSE;
    }
  *exists = TRUE;
  return TRUE;
}

static gboolean
s3_remove (BoughStorage  *self,
           const char    *identifier,
           GError       **error)
{
  S3 *s3 = self->priv;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = new_request (s3, SOUP_METHOD_DELETE, identifier, NULL, &session);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint status;

  answer = soup_session_send_and_read (session, msg, NULL, &local_error);
  if (answer == NULL)
    {
      set_transport_error (s3, "delete", local_error, error);
      return FALSE;
    }
  status = soup_message_get_status (msg);
  /* S3 answers 204 for an absent key too; others may say 404 */
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_autofree char *code = xml_element (answer, "Code");

      if (g_strcmp0 (code, "NoSuchBucket") != 0)
        return TRUE;
    }
  set_status_error (s3, msg, answer, "delete", NULL, error);
  return FALSE;
}

static void
s3_finalize (BoughStorage *self)
{
  s3_free (self->priv);
}

static const BoughStorageDriver s3_driver = {
  .name = "s3",
  .put = s3_put,
  .get = s3_get,
  .open = s3_open,
  .exists = s3_exists,
  .remove = s3_remove,
  .finalize = s3_finalize,
};

static gboolean
check_setting (const char  *value,
               const char  *key,
               GError     **error)
{
  if (value != NULL && value[0] != '\0')
    return TRUE;
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
               "the s3 storage driver needs storage.%s", key);
  return FALSE;
}

/* A prefix is a plain relative key part: letters, digits, `-_.` and `/`
 * between non-empty segments other than `.` and `..`. */
static gboolean
prefix_is_valid (const char *prefix)
{
  g_auto(GStrv) segments = NULL;
  guint n;

  for (const char *p = prefix; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_./", *p) == NULL)
      return FALSE;
  segments = g_strsplit (prefix, "/", -1);
  n = g_strv_length (segments);
  for (guint i = 0; i < n; i++)
    {
      /* the last segment may be empty: "objects/" */
      if (segments[i][0] == '\0' && i + 1 < n)
        return FALSE;
      if (g_str_equal (segments[i], ".") || g_str_equal (segments[i], ".."))
        return FALSE;
    }
  return TRUE;
}

/**
 * bough_storage_new_s3:
 * @options: the endpoint, bucket, region, credentials and addressing
 * @error: return location for a #GError
 *
 * Makes an S3 storage; nothing is sent until the first operation.
 *
 * Returns: (transfer full): the storage, or %NULL with @error set
 *   (BOUGH_ERROR_CONFIG for missing or malformed settings)
 */
BoughStorage *
bough_storage_new_s3 (const BoughStorageS3Options *options,
                      GError                     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *path;
  S3 *s3;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_setting (options->endpoint, "s3_endpoint", error) ||
      !check_setting (options->bucket, "s3_bucket", error) ||
      !check_setting (options->region, "s3_region", error) ||
      !check_setting (options->access_key, "s3_access_key", error) ||
      !check_setting (options->secret_key, "s3_secret_key", error))
    return NULL;

  uri = g_uri_parse (options->endpoint, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "storage.s3_endpoint “%s” is not an http:// or https:// address "
                   "(http(s)://host[:port])", options->endpoint);
      return NULL;
    }
  if (strpbrk (options->bucket, "/?#% \t\r\n") != NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "storage.s3_bucket “%s” is not a bucket name", options->bucket);
      return NULL;
    }
  if (!options->use_path_style && strpbrk (options->bucket, "_:") != NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "storage.s3_bucket “%s” cannot be a host name: set storage.s3_use_path_style",
                   options->bucket);
      return NULL;
    }
  if (options->prefix != NULL && !prefix_is_valid (options->prefix))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG,
                   "storage.s3_prefix “%s” may hold only letters, digits, '-', '_', '.' and '/' "
                   "between non-empty segments (no '.' or '..')", options->prefix);
      return NULL;
    }

  s3 = g_new0 (S3, 1);
  s3->scheme = g_strdup (g_uri_get_scheme (uri));
  s3->host = g_strdup (g_uri_get_host (uri));
  s3->port = g_uri_get_port (uri);
  path = g_uri_get_path (uri);
  s3->base_path = g_strdup (path);
  while (s3->base_path[0] != '\0' && g_str_has_suffix (s3->base_path, "/"))
    s3->base_path[strlen (s3->base_path) - 1] = '\0';
  s3->endpoint = g_strdup (options->endpoint);
  s3->bucket = g_strdup (options->bucket);
  s3->region = g_strdup (options->region);
  s3->access_key = g_strdup (options->access_key);
  s3->secret_key = g_strdup (options->secret_key);
  s3->prefix = g_strdup (options->prefix != NULL ? options->prefix : "");
  s3->path_style = options->use_path_style;
  s3->verify_tls = options->verify_tls;
  s3->timeout = options->timeout;
  return _bough_storage_new (&s3_driver, s3);
}
