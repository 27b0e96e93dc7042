/* bough-api-storage.c: the object storage endpoints (reference §3):
 * GET /api/storage/object/{identifier}, POST /api/storage/upload/content
 * (`{"content": "..."}`) and POST /api/storage/upload/file (multipart, field
 * `file`), each upload answering `{"identifier", "checksum"}` (MD5 hex).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-api"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-json.h"
#include "bough-api-private.h"

#define OBJECT_PREFIX "/api/storage/object/"

/* Answers a storage error in the API's error shape. */
static void
reply_storage_error (BoughHttpRequest *request,
                     GError           *error)
{
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (error->domain == BOUGH_ERROR)
    switch (error->code)
      {
      case BOUGH_ERROR_NOT_FOUND: status = SOUP_STATUS_NOT_FOUND; break;
      case BOUGH_ERROR_INVALID: status = SOUP_STATUS_BAD_REQUEST; break;
      case BOUGH_ERROR_LIMIT: status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE; break;
      default: break;
      }
  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_warning ("object storage: %s", error->message);
  bough_http_request_reply_error (request, status, "%s", error->message);
}

static gboolean
check_storage (BoughApi         *self,
               BoughHttpRequest *request)
{
  if (self->storage != NULL)
    return TRUE;
  bough_http_request_reply_error (request, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                  "The object storage is unavailable (see the server log)");
  return FALSE;
}

/* Uploads need someone who logged in: never the anonymous identity. */
static gboolean
check_uploader (BoughApi         *self,
                BoughHttpRequest *request)
{
  BoughIdentity *identity = bough_auth_get_request_identity (request);

  if (self->auth == NULL || (identity != NULL && !bough_identity_is_anonymous (identity)))
    return TRUE;
  bough_http_request_reply_error (request, SOUP_STATUS_UNAUTHORIZED,
                                  "Authentication is required to upload objects");
  return FALSE;
}

static gboolean
check_size (BoughApi         *self,
            BoughHttpRequest *request,
            GBytes           *content)
{
  gint64 max = bough_storage_get_max_object_size (self->storage);

  if (max <= 0 || (gint64) g_bytes_get_size (content) <= max)
    return TRUE;
  bough_http_request_reply_error (request, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                                  "object of %" G_GSIZE_FORMAT " bytes is larger than the limit of %"
                                  G_GINT64_FORMAT " bytes", g_bytes_get_size (content), max);
  return FALSE;
}

static void
store_and_reply (BoughApi         *self,
                 BoughHttpRequest *request,
                 GBytes           *content)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *identifier = NULL;
  g_autofree char *checksum = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!check_size (self, request, content))
    return;
  identifier = bough_storage_put (self->storage, content, &error);
  if (identifier == NULL)
    {
      reply_storage_error (request, error);
      return;
    }
  checksum = bough_storage_compute_md5 (content);
  root = json_object_new ();
  json_object_set_string_member (root, "identifier", identifier);
  json_object_set_string_member (root, "checksum", checksum);
  node = json_node_init_object (json_node_alloc (), root);
  bough_http_request_reply_json (request, SOUP_STATUS_OK, node);
}

/* GET /api/storage/object/{identifier}: the content. Text is served as
 * text/plain (what the SDK's object_store.get() and the artifact filters
 * read), anything else as application/octet-stream; nosniff keeps a
 * browser from running stored HTML. */
static void
object_work (BoughHttpRequest *request,
             gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = NULL;
  /* libsoup hands over the path already percent-decoded */
  const char *identifier = bough_http_request_get_path (request) + strlen (OBJECT_PREFIX);
  gsize length;
  const char *data;

  if (!check_storage (self, request))
    return;
  /* checked here, before any driver: no path, encoding or NUL gets through */
  if (!bough_storage_id_is_valid (identifier))
    {
      bough_http_request_reply_error (request, SOUP_STATUS_BAD_REQUEST,
                                      "Invalid storage identifier: identifiers are 64 lowercase "
                                      "hexadecimal digits");
      return;
    }
  content = bough_storage_get (self->storage, identifier, &error);
  if (content == NULL)
    {
      if (g_error_matches (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND))
        bough_http_request_reply_error (request, SOUP_STATUS_NOT_FOUND,
                                        "Unable to find the object %s in the storage", identifier);
      else
        reply_storage_error (request, error);
      return;
    }
  data = g_bytes_get_data (content, &length);
  bough_http_request_add_response_header (request, "X-Content-Type-Options", "nosniff");
  bough_http_request_reply_bytes (request, SOUP_STATUS_OK,
                                  g_utf8_validate_len (data != NULL ? data : "", length, NULL) ?
                                  "text/plain; charset=utf-8" : "application/octet-stream",
                                  content);
}

/* POST /api/storage/upload/content: `{"content": "<text>"}`. */
static void
upload_content_work (BoughHttpRequest *request,
                     gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = NULL;
  GBytes *body = bough_http_request_get_body (request);
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  JsonNode *root;
  JsonNode *member;
  const char *text;

  if (!check_uploader (self, request) || !check_storage (self, request))
    return;
  if (length == 0 || !bough_json_parser_load_input (parser, data, length, &error))
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                      "Invalid JSON body: %s",
                                      error != NULL ? error->message : "the body is empty");
      return;
    }
  root = json_parser_get_root (parser);
  member = JSON_NODE_HOLDS_OBJECT (root) ?
           json_object_get_member (json_node_get_object (root), "content") : NULL;
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                      "The body must be an object with a string 'content'");
      return;
    }
  text = json_node_get_string (member);
  content = g_bytes_new (text, strlen (text));
  store_and_reply (self, request, content);
}

/* POST /api/storage/upload/file: multipart/form-data with a part named `file`. */
static void
upload_file_work (BoughHttpRequest *request,
                  gpointer          user_data)
{
  BoughApi *self = user_data;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  const char *content_type = bough_http_request_get_header (request, "content-type");
  GBytes *body = bough_http_request_get_body (request);
  GBytes *file = NULL;

  if (!check_uploader (self, request) || !check_storage (self, request))
    return;
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  if (content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", content_type);
  if (content_type == NULL ||
      !soup_message_headers_get_content_type (headers, NULL) ||
      g_ascii_strcasecmp (soup_message_headers_get_content_type (headers, NULL),
                          "multipart/form-data") != 0)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                      "The body must be multipart/form-data with a field 'file'");
      return;
    }
  multipart = soup_multipart_new_from_message (headers, body);
  if (multipart == NULL)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                      "The multipart/form-data body is malformed");
      return;
    }
  for (int i = 0; i < soup_multipart_get_length (multipart) && file == NULL; i++)
    {
      SoupMessageHeaders *part_headers;
      GBytes *part_body;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;

      if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body))
        continue;
      if (soup_message_headers_get_content_disposition (part_headers, &disposition, &params) &&
          g_ascii_strcasecmp (disposition, "form-data") == 0 &&
          g_strcmp0 (g_hash_table_lookup (params, "name"), "file") == 0)
        file = part_body;
    }
  if (file == NULL)
    {
      bough_http_request_reply_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                      "The multipart/form-data body has no field 'file'");
      return;
    }
  store_and_reply (self, request, file);
}

void
_bough_api_storage_register (BoughApi        *self,
                             BoughHttpRouter *router)
{
  bough_http_router_add_work (router, SOUP_METHOD_GET, OBJECT_PREFIX "*", object_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_POST, "/api/storage/upload/content",
                              upload_content_work, self, NULL);
  bough_http_router_add_work (router, SOUP_METHOD_POST, "/api/storage/upload/file",
                              upload_file_work, self, NULL);
}
