/* bough-webhook-send.c: one HTTP attempt of a webhook delivery.
 *
 * Each attempt runs on the calling thread (a task worker, never a request
 * thread) with a session and main context of its own, so that nothing is
 * shared between threads, and with a deadline covering resolution,
 * connection, the request and the first KiB of the answer: a receiver that
 * trickles its answer cannot hold a worker longer than the timeout. No
 * proxy is used and redirects are not followed: either would let a
 * delivery reach an address the guard never saw.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-webhooks"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "bough-error.h"

#include "bough-webhook-send.h"

typedef struct
{
  GMainContext      *context;
  SoupSession       *session;
  SoupMessage       *msg;
  BoughWebhookGuard *guard;
  char              *host;
  GCancellable      *cancellable;
  GCancellable      *external;
  GError            *guard_error;
  GError            *error;
  GError            *body_error;
  GInputStream      *stream;
  guint8             head[BOUGH_WEBHOOK_RESPONSE_HEAD];
  gsize              head_length;
  guint              timeout;
  gboolean           timed_out;
  gboolean           done;
} Attempt;

static void
attempt_finish (Attempt *attempt,
                GError  *error)
{
  g_assert (attempt->error == NULL);
  attempt->error = error;
  attempt->done = TRUE;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Attempt *attempt = user_data;

  g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &attempt->head_length,
                                  &attempt->body_error);
  attempt->done = TRUE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Attempt *attempt = user_data;
  GError *error = NULL;

  attempt->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (attempt->stream == NULL)
    {
      attempt_finish (attempt, error);
      return;
    }
  g_input_stream_read_all_async (attempt->stream, attempt->head, sizeof attempt->head,
                                 G_PRIORITY_DEFAULT, attempt->cancellable, read_cb, attempt);
}

/* The address a connection really reached, checked before anything is
 * written on it: the resolution checked earlier may have been answered
 * differently this time. */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(GSocketAddress) remote = NULL;

  if (event != G_SOCKET_CLIENT_CONNECTED || attempt->guard_error != NULL)
    return;
  if (G_IS_SOCKET_CONNECTION (connection))
    remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_set_error (&attempt->guard_error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION,
                   "refused to send: the address of the connection to %s is unknown",
                   attempt->host);
      g_cancellable_cancel (attempt->cancellable);
      return;
    }
  if (!bough_webhook_guard_check_address (attempt->guard, attempt->host,
                                          g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)),
                                          &attempt->guard_error))
    g_cancellable_cancel (attempt->cancellable);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* only connected when the webhook turned verification off */
  return TRUE;
}

static void
send_message (Attempt *attempt)
{
  soup_session_send_async (attempt->session, attempt->msg, G_PRIORITY_DEFAULT,
                           attempt->cancellable, sent_cb, attempt);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Attempt *attempt = user_data;
  GError *error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (source), result, &error);
  if (addresses == NULL)
    {
      g_prefix_error (&error, "cannot resolve %s: ", attempt->host);
      attempt_finish (attempt, error);
      return;
    }
  for (GList *l = addresses; l != NULL; l = l->next)
    if (!bough_webhook_guard_check_address (attempt->guard, attempt->host, l->data,
                                            &attempt->guard_error))
      break;
  g_resolver_free_addresses (addresses);
  if (attempt->guard_error != NULL)
    {
      attempt->done = TRUE;
      return;
    }
  send_message (attempt);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Attempt *attempt = user_data;

  attempt->timed_out = TRUE;
  g_cancellable_cancel (attempt->cancellable);
  return G_SOURCE_REMOVE;
}

static void
external_cancelled_cb (GCancellable *external,
                       gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
collect_header_cb (const char *name,
                   const char *value,
                   gpointer    user_data)
{
  g_string_append_printf (user_data, "%s: %s\n", name, value);
}

static BoughWebhookOutcome
error_outcome (const GError *error)
{
  if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_PERMISSION) ||
      g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_INVALID) ||
      error->domain == G_TLS_ERROR)
    return BOUGH_WEBHOOK_OUTCOME_FAIL;
  return BOUGH_WEBHOOK_OUTCOME_RETRY;
}

static BoughWebhookOutcome
status_outcome (guint status)
{
  if (status >= 200 && status < 300)
    return BOUGH_WEBHOOK_OUTCOME_SUCCESS;
  if (status == 429 || status >= 500)
    return BOUGH_WEBHOOK_OUTCOME_RETRY;
  return BOUGH_WEBHOOK_OUTCOME_FAIL;
}

static BoughWebhookResponse *
response_new (BoughWebhookOutcome  outcome,
              GError              *error)
{
  BoughWebhookResponse *response = g_new0 (BoughWebhookResponse, 1);

  response->outcome = outcome;
  response->error = error;
  response->retry_after = -1;
  return response;
}

static GUri *
parse_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;

  uri = g_uri_parse (url != NULL ? url : "", SOUP_HTTP_URI_FLAGS, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "the URL “%s” is invalid: %s", url != NULL ? url : "", local_error->message);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID,
                   "the URL “%s” is not http or https", url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "the URL “%s” has no host", url);
      return NULL;
    }
  return g_steal_pointer (&uri);
}

/**
 * bough_webhook_send:
 * @request: the request
 * @guard: the SSRF guard
 * @timeout: seconds the whole attempt may take
 * @cancellable: (nullable): a #GCancellable
 *
 * Sends @request once, blocking the calling thread. The host must pass
 * @guard both when resolved and once connected.
 *
 * Returns: (transfer full): what happened
 */
BoughWebhookResponse *
bough_webhook_send (BoughWebhookRequest *request,
                    BoughWebhookGuard   *guard,
                    guint                timeout,
                    GCancellable        *cancellable)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) deadline = NULL;
  BoughWebhookResponse *response;
  SoupMessageHeaders *headers;
  const char *content_type = "application/json";
  Attempt attempt = { 0 };
  gulong cancel_handler = 0;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (guard != NULL, NULL);
  g_return_val_if_fail (timeout > 0, NULL);

  uri = parse_url (request->url, &error);
  if (uri == NULL)
    return response_new (BOUGH_WEBHOOK_OUTCOME_FAIL, g_steal_pointer (&error));
  if (g_cancellable_is_cancelled (cancellable))
    return response_new (BOUGH_WEBHOOK_OUTCOME_CANCELLED,
                         g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled"));

  attempt.context = g_main_context_new ();
  g_main_context_push_thread_default (attempt.context);
  attempt.guard = guard;
  attempt.host = g_strdup (g_uri_get_host (uri));
  attempt.timeout = timeout;
  attempt.cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      attempt.external = g_object_ref (cancellable);
      cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (external_cancelled_cb),
                                              g_object_ref (attempt.cancellable), g_object_unref);
    }

  attempt.session = soup_session_new_with_options ("timeout", timeout,
                                                   "idle-timeout", timeout,
                                                   "user-agent", "bough/" PACKAGE_VERSION " ",
                                                   NULL);
  soup_session_set_proxy_resolver (attempt.session, NULL);
  attempt.msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  soup_message_add_flags (attempt.msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_NEW_CONNECTION);
  headers = soup_message_get_request_headers (attempt.msg);
  for (guint i = 0; i < request->headers->len; i++)
    {
      BoughWebhookRequestHeader *header = g_ptr_array_index (request->headers, i);

      if (g_ascii_strcasecmp (header->name, "Content-Type") == 0)
        content_type = header->value;
      else
        soup_message_headers_replace (headers, header->name, header->value);
    }
  soup_message_set_request_body_from_bytes (attempt.msg, content_type, request->body);
  g_signal_connect (attempt.msg, "network-event", G_CALLBACK (network_event_cb), &attempt);
  if (!request->validate_certificates)
    g_signal_connect (attempt.msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);

  deadline = g_timeout_source_new_seconds (timeout);
  g_source_set_callback (deadline, deadline_cb, &attempt, NULL);
  g_source_attach (deadline, attempt.context);

  if (g_hostname_is_ip_address (attempt.host))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (attempt.host);

      if (address != NULL &&
          !bough_webhook_guard_check_address (guard, attempt.host, address, &attempt.guard_error))
        attempt.done = TRUE;
      else
        send_message (&attempt);
    }
  else
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();

      g_resolver_lookup_by_name_async (resolver, attempt.host, attempt.cancellable,
                                       resolved_cb, &attempt);
    }

  while (!attempt.done)
    g_main_context_iteration (attempt.context, TRUE);
  g_source_destroy (deadline);

  if (attempt.guard_error != NULL)
    response = response_new (BOUGH_WEBHOOK_OUTCOME_FAIL, g_steal_pointer (&attempt.guard_error));
  else if (attempt.error != NULL && cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    response = response_new (BOUGH_WEBHOOK_OUTCOME_CANCELLED, g_steal_pointer (&attempt.error));
  else if (attempt.error != NULL &&
           (attempt.timed_out || g_error_matches (attempt.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
    {
      response = response_new (BOUGH_WEBHOOK_OUTCOME_RETRY,
                               g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                            "no answer from %s within %u s", attempt.host, timeout));
      g_clear_error (&attempt.error);
    }
  else if (attempt.error != NULL)
    {
      response = response_new (error_outcome (attempt.error), attempt.error);
      attempt.error = NULL;
    }
  else
    {
      GString *text = g_string_new (NULL);
      SoupMessageHeaders *reply = soup_message_get_response_headers (attempt.msg);
      const char *retry_after = soup_message_headers_get_one (reply, "Retry-After");

      response = response_new (status_outcome (soup_message_get_status (attempt.msg)), NULL);
      response->status = soup_message_get_status (attempt.msg);
      response->reason = g_strdup (soup_message_get_reason_phrase (attempt.msg));
      soup_message_headers_foreach (reply, collect_header_cb, text);
      response->headers = g_string_free (text, FALSE);
      response->body_head = g_bytes_new (attempt.head, attempt.head_length);
      if (retry_after != NULL)
        response->retry_after = bough_webhook_parse_retry_after (retry_after,
                                                                 g_get_real_time () / G_USEC_PER_SEC);
      /* a status is an answer even if its body then stalled */
      g_clear_error (&attempt.body_error);
    }

  if (cancel_handler != 0)
    g_cancellable_disconnect (attempt.external, cancel_handler);
  g_clear_object (&attempt.external);
  if (attempt.stream != NULL)
    {
      g_input_stream_close (attempt.stream, NULL, NULL);
      g_clear_object (&attempt.stream);
    }
  soup_session_abort (attempt.session);
  g_clear_object (&attempt.msg);
  g_clear_object (&attempt.session);
  while (g_main_context_iteration (attempt.context, FALSE))
    ;
  g_main_context_pop_thread_default (attempt.context);
  g_main_context_unref (attempt.context);
  g_clear_object (&attempt.cancellable);
  g_clear_error (&attempt.error);
  g_clear_error (&attempt.guard_error);
  g_clear_error (&attempt.body_error);
  g_free (attempt.host);
  return response;
}

void
bough_webhook_response_free (BoughWebhookResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->reason);
  g_free (response->headers);
  g_clear_pointer (&response->body_head, g_bytes_unref);
  g_clear_error (&response->error);
  g_free (response);
}

/**
 * bough_webhook_response_describe:
 * @response: a response
 *
 * The response as a log shows it: the status line, the headers and the
 * first KiB of the body, or the error.
 *
 * Returns: (transfer full): the text
 */
char *
bough_webhook_response_describe (BoughWebhookResponse *response)
{
  GString *text;

  g_return_val_if_fail (response != NULL, NULL);

  if (response->status == 0)
    return g_strdup_printf ("no response: %s",
                            response->error != NULL ? response->error->message : "unknown error");

  text = g_string_new (NULL);
  g_string_append_printf (text, "HTTP %u %s\n", response->status,
                          response->reason != NULL ? response->reason : "");
  if (response->headers != NULL)
    g_string_append (text, response->headers);
  g_string_append_c (text, '\n');
  if (response->body_head != NULL)
    {
      gsize length;
      const char *body = g_bytes_get_data (response->body_head, &length);
      const char *end = NULL;

      /* cut at a character boundary: the head may end inside one */
      if (g_utf8_validate (body, length, &end) || (gsize) (end - body) + 4 > length)
        g_string_append_len (text, body, end - body);
      else
        g_string_append_printf (text, "(%" G_GSIZE_FORMAT " bytes of binary data)", length);
    }
  return g_string_free (text, FALSE);
}

/**
 * bough_webhook_parse_retry_after:
 * @value: a `Retry-After` header value: seconds or an HTTP date
 * @now: the current time, Unix seconds
 *
 * Returns: the seconds to wait (0 for a date in the past), -1 when @value
 *   is neither
 */
gint64
bough_webhook_parse_retry_after (const char *value,
                                 gint64      now)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) date = NULL;
  guint64 seconds;

  g_return_val_if_fail (value != NULL, -1);

  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds;
  date = soup_date_time_new_from_http_string (text);
  if (date == NULL)
    return -1;
  return MAX (0, g_date_time_to_unix (date) - now);
}

/**
 * bough_webhook_retry_delay:
 * @attempt: the attempt that just failed, from 1
 * @initial: seconds to wait after the first failure
 * @maximum: longest wait between attempts
 * @retry_after: what the receiver asked for, -1 for nothing
 *
 * Exponential backoff: @initial, twice that, four times, ... up to
 * @maximum; a receiver's `Retry-After` is honoured when longer (up to a
 * day, so a mistaken header cannot park a delivery for ever).
 *
 * Returns: seconds to wait before the next attempt
 */
gint64
bough_webhook_retry_delay (guint  attempt,
                           gint64 initial,
                           gint64 maximum,
                           gint64 retry_after)
{
  gint64 delay = MAX (initial, 0);

  g_return_val_if_fail (attempt >= 1, initial);

  for (guint i = 1; i < attempt && delay < maximum; i++)
    delay *= 2;
  delay = MIN (delay, maximum);
  if (retry_after > delay)
    delay = MIN (retry_after, 24 * 3600);
  return delay;
}
