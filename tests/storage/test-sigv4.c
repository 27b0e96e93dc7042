/* test-sigv4.c: the S3 driver's SigV4 signing: AWS's published examples,
 * an independent implementation (sigv4-reference.py: Python's hmac and
 * hashlib) on random requests, and the requests the driver really sends
 * (path-style and virtual-host addressing, TLS verification on and off),
 * captured by a server on loopback and verified from the bytes received.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-sigv4"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bough-error.h"
#include "storage/bough-storage-private.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* The examples of "Signature Calculations for the Authorization Header:
 * Transferring Payload in a Single Chunk (AWS Signature Version 4)",
 * Amazon S3 API Reference,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 * (section "Examples: Signature Calculations"): access key
 * AKIAIOSFODNN7EXAMPLE, secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY,
 * bucket examplebucket in us-east-1, 20130524T000000Z. The canonical request
 * hashes (the last line of each example's StringToSign) and signatures
 * below are the ones that page prints. */
#define AWS_ACCESS_KEY "AKIAIOSFODNN7EXAMPLE"
#define AWS_SECRET_KEY "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define AWS_HOST       "examplebucket.s3.amazonaws.com"
#define AWS_DATE       "20130524T000000Z"

typedef struct
{
  const char *name;
  const char *method;
  const char *path;          /* not encoded */
  const char *query;
  const char *extra[5];      /* name, value, ...: headers besides host, x-amz-* */
  const char *payload_hash;
  const char *canonical_hash;
  const char *signed_headers;
  const char *signature;
} AwsExample;

static const AwsExample aws_examples[] = {
  { "GET Object", "GET", "/test.txt", NULL, { "Range", "bytes=0-9", NULL },
    EMPTY_SHA256,
    "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
    "host;range;x-amz-content-sha256;x-amz-date",
    "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41" },
  /* body "Welcome to Amazon S3." */
  { "PUT Object", "PUT", "/test$file.text", NULL,
    { "Date", "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class", "REDUCED_REDUNDANCY", NULL },
    "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
    "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
    "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
    "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd" },
  { "GET Bucket Lifecycle", "GET", "/", "lifecycle", { NULL },
    EMPTY_SHA256,
    "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
    "host;x-amz-content-sha256;x-amz-date",
    "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543" },
  /* the query given out of order: signing sorts it */
  { "GET Bucket (List Objects)", "GET", "/", "prefix=J&max-keys=2", { NULL },
    EMPTY_SHA256,
    "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
    "host;x-amz-content-sha256;x-amz-date",
    "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7" },
};

static void
test_aws_examples (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (aws_examples); i++)
    {
      const AwsExample *ex = &aws_examples[i];
      g_autoptr(GPtrArray) headers = g_ptr_array_new ();
      g_autofree char *uri = _bough_sigv4_uri_encode (ex->path, TRUE);
      g_autofree char *canonical_hash = NULL;
      g_autofree char *expected_sts = NULL;
      g_autofree char *expected_auth = NULL;
      g_auto(BoughSigV4Result) result = { NULL, };
      BoughSigV4Request request = {
        .method = ex->method,
        .canonical_uri = uri,
        .query = ex->query,
        .payload_hash = ex->payload_hash,
        .access_key = AWS_ACCESS_KEY,
        .secret_key = AWS_SECRET_KEY,
        .region = "us-east-1",
        .service = "s3",
        .amz_date = AWS_DATE,
      };

      g_test_message ("%s", ex->name);
      g_ptr_array_add (headers, (gpointer) "Host");
      g_ptr_array_add (headers, (gpointer) AWS_HOST);
      for (guint j = 0; ex->extra[j] != NULL; j += 2)
        {
          g_ptr_array_add (headers, (gpointer) ex->extra[j]);
          g_ptr_array_add (headers, (gpointer) ex->extra[j + 1]);
        }
      g_ptr_array_add (headers, (gpointer) "x-amz-content-sha256");
      g_ptr_array_add (headers, (gpointer) ex->payload_hash);
      g_ptr_array_add (headers, (gpointer) "x-amz-date");
      g_ptr_array_add (headers, (gpointer) AWS_DATE);
      g_ptr_array_add (headers, NULL);
      request.headers = (const char * const *) headers->pdata;

      _bough_sigv4_sign (&request, &result);
      canonical_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, result.canonical_request, -1);
      g_assert_cmpstr (canonical_hash, ==, ex->canonical_hash);
      expected_sts = g_strdup_printf ("AWS4-HMAC-SHA256\n" AWS_DATE "\n20130524/us-east-1/s3/aws4_request\n%s",
                                      ex->canonical_hash);
      g_assert_cmpstr (result.string_to_sign, ==, expected_sts);
      g_assert_cmpstr (result.signed_headers, ==, ex->signed_headers);
      g_assert_cmpstr (result.signature, ==, ex->signature);
      expected_auth = g_strdup_printf ("AWS4-HMAC-SHA256 Credential=" AWS_ACCESS_KEY
                                       "/20130524/us-east-1/s3/aws4_request, SignedHeaders=%s, "
                                       "Signature=%s", ex->signed_headers, ex->signature);
      g_assert_cmpstr (result.authorization, ==, expected_auth);
    }

  /* the payload hash of the PUT example is the body's */
  {
    g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "Welcome to Amazon S3.", -1);

    g_assert_cmpstr (hash, ==, aws_examples[1].payload_hash);
  }
}

/* The GET Object example's canonical request, as the page prints it. */
static void
test_aws_canonical_request (void)
{
  g_auto(BoughSigV4Result) result = { NULL, };
  const char *headers[] = {
    "x-amz-date", AWS_DATE, "Range", "bytes=0-9", "Host", AWS_HOST,
    "x-amz-content-sha256", EMPTY_SHA256, NULL,
  };
  BoughSigV4Request request = {
    .method = "GET", .canonical_uri = "/test.txt", .query = NULL, .headers = headers,
    .payload_hash = EMPTY_SHA256, .access_key = AWS_ACCESS_KEY, .secret_key = AWS_SECRET_KEY,
    .region = "us-east-1", .service = "s3", .amz_date = AWS_DATE,
  };

  _bough_sigv4_sign (&request, &result);
  g_assert_cmpstr (result.canonical_request, ==,
                   "GET\n/test.txt\n\n"
                   "host:examplebucket.s3.amazonaws.com\n"
                   "range:bytes=0-9\n"
                   "x-amz-content-sha256:" EMPTY_SHA256 "\n"
                   "x-amz-date:" AWS_DATE "\n\n"
                   "host;range;x-amz-content-sha256;x-amz-date\n"
                   EMPTY_SHA256);
}

static void
test_encoding (void)
{
  static const struct { const char *in; gboolean slash; const char *out; } cases[] = {
    { "/test$file.text", TRUE, "/test%24file.text" },
    { "a b/c+d=é~_.-", TRUE, "a%20b/c%2Bd%3D%C3%A9~_.-" },
    { "a b/c+d=é~_.-", FALSE, "a%20b%2Fc%2Bd%3D%C3%A9~_.-" },
    { "*!'()", FALSE, "%2A%21%27%28%29" },
  };
  static const struct { const char *in; const char *out; } queries[] = {
    { NULL, "" },
    { "", "" },
    { "lifecycle", "lifecycle=" },
    { "prefix=J&max-keys=2", "max-keys=2&prefix=J" },
    { "b=2&a=2&a=1", "a=1&a=2&b=2" },
    { "k=a%20b&x=%2a", "k=a%20b&x=%2A" },
    { "k=a/b", "k=a%2Fb" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = _bough_sigv4_uri_encode (cases[i].in, cases[i].slash);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *out = _bough_sigv4_canonical_query (queries[i].in);

      g_assert_cmpstr (out, ==, queries[i].out);
    }
}

/* ---- the independent implementation ---- */

/* Runs sigv4-reference.py on @requests (a JSON array); NULL after
 * g_test_skip() when Python cannot run. */
static JsonArray *
run_reference (JsonNode *requests)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = NULL;
  g_autofree char *input = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data;

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed: no independent SigV4 implementation to compare with");
      return NULL;
    }
  script = g_test_build_filename (G_TEST_DIST, "storage", "sigv4-reference.py", NULL);
  input = json_to_string (requests, FALSE);
  stdin_bytes = g_bytes_new (input, strlen (input));
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, python, script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (process, stdin_bytes, NULL, &stdout_bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  data = g_bytes_get_data (stdout_bytes, &length);
  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static JsonNode *
pairs_node (const char * const *pairs)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i += 2)
    {
      JsonArray *pair = json_array_new ();

      json_array_add_string_element (pair, pairs[i]);
      json_array_add_string_element (pair, pairs[i + 1]);
      json_array_add_array_element (array, pair);
    }
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

static JsonNode *
request_node (const char         *method,
              const char         *path,
              const char * const *query,
              const char * const *headers,
              const char         *payload_hash,
              const char         *secret,
              const char         *region,
              const char         *amz_date)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "method", method);
  json_object_set_string_member (object, "path", path);
  json_object_set_member (object, "query", pairs_node (query));
  json_object_set_member (object, "headers", pairs_node (headers));
  json_object_set_string_member (object, "payload_hash", payload_hash);
  json_object_set_string_member (object, "access_key", "AKIDEXAMPLE");
  json_object_set_string_member (object, "secret_key", secret);
  json_object_set_string_member (object, "region", region);
  json_object_set_string_member (object, "service", "s3");
  json_object_set_string_member (object, "amz_date", amz_date);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static char *
random_text (const char *alphabet,
             guint       min,
             guint       max)
{
  guint length = g_test_rand_int_range (min, max + 1);
  GString *text = g_string_new (NULL);
  gsize n = strlen (alphabet);

  for (guint i = 0; i < length; i++)
    g_string_append_c (text, alphabet[g_test_rand_int_range (0, n)]);
  return g_string_free (text, FALSE);
}

/* A random raw query component, escaped the way some client might: fully,
 * or leaving what it considers safe. */
static char *
escape_component (const char *text)
{
  if (g_test_rand_bit ())
    return g_uri_escape_string (text, NULL, TRUE);
  return g_uri_escape_string (text, "!*'()$,:@", TRUE);
}

typedef struct
{
  char      *path;
  char      *query;
  GPtrArray *query_pairs;   /* raw name, value, ..., NULL */
  GPtrArray *headers;       /* name, value, ..., NULL */
  char      *payload_hash;
  char      *secret;
  char      *region;
  char      *amz_date;
  const char *method;
} RandomRequest;

static void
random_request_clear (RandomRequest *r)
{
  g_free (r->path);
  g_free (r->query);
  g_ptr_array_unref (r->query_pairs);
  g_ptr_array_unref (r->headers);
  g_free (r->payload_hash);
  g_free (r->secret);
  g_free (r->region);
  g_free (r->amz_date);
}

static void
random_request_init (RandomRequest *r)
{
  static const char * const methods[] = { "GET", "PUT", "HEAD", "DELETE", "POST" };
  static const char key_chars[] = "abcXYZ019-_.~ /$+=&?%!*'()@:;,";
  GString *query = g_string_new (NULL);
  guint n;

  r->method = methods[g_test_rand_int_range (0, G_N_ELEMENTS (methods))];
  {
    g_autofree char *key = random_text (key_chars, 1, 24);

    /* and sometimes a character outside ASCII */
    r->path = g_strconcat ("/bucket/", key, g_test_rand_bit () ? "é" : "", NULL);
  }

  r->query_pairs = g_ptr_array_new_with_free_func (g_free);
  n = g_test_rand_int_range (0, 4);
  for (guint i = 0; i < n; i++)
    {
      char *name = random_text ("abcdefxyz-_.~!*$", 1, 8);
      char *value = g_test_rand_bit () ? random_text ("abc 019-_.~/$+=?!*'()@:;,", 0, 10) : g_strdup ("");
      g_autofree char *escaped_name = escape_component (name);
      g_autofree char *escaped_value = escape_component (value);

      g_string_append_printf (query, "%s%s=%s", i > 0 ? "&" : "", escaped_name, escaped_value);
      g_ptr_array_add (r->query_pairs, name);
      g_ptr_array_add (r->query_pairs, value);
    }
  g_ptr_array_add (r->query_pairs, NULL);
  r->query = g_string_free (query, FALSE);

  r->payload_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, r->path, -1);
  r->amz_date = g_strdup_printf ("20%02d%02d%02dT%02d%02d%02dZ", g_test_rand_int_range (10, 40),
                                 g_test_rand_int_range (1, 13), g_test_rand_int_range (1, 29),
                                 g_test_rand_int_range (0, 24), g_test_rand_int_range (0, 60),
                                 g_test_rand_int_range (0, 60));
  r->secret = random_text ("ABCdef0123456789/+", 20, 40);
  r->region = g_strdup (g_test_rand_bit () ? "us-east-1" : "eu-central-1");

  r->headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (r->headers, g_strdup (g_test_rand_bit () ? "Host" : "host"));
  g_ptr_array_add (r->headers, g_strdup_printf ("bucket.s3.%s.amazonaws.com", r->region));
  g_ptr_array_add (r->headers, g_strdup ("X-Amz-Content-SHA256"));
  g_ptr_array_add (r->headers, g_strdup (r->payload_hash));
  g_ptr_array_add (r->headers, g_strdup ("x-amz-date"));
  g_ptr_array_add (r->headers, g_strdup (r->amz_date));
  if (g_test_rand_bit ())
    {
      /* spaces to trim and to collapse */
      g_ptr_array_add (r->headers, g_strdup ("X-Amz-Meta-Note"));
      g_ptr_array_add (r->headers, random_text ("ab  \t", 1, 12));
    }
  g_ptr_array_add (r->headers, NULL);
}

static void
test_reference_implementation (void)
{
  const guint n = 200;
  g_autoptr(JsonArray) requests = json_array_new ();
  g_autoptr(JsonNode) requests_node = NULL;
  g_autoptr(JsonArray) expected = NULL;
  RandomRequest *random = g_new0 (RandomRequest, n);

  for (guint i = 0; i < n; i++)
    {
      RandomRequest *r = &random[i];

      random_request_init (r);
      json_array_add_element (requests, request_node (r->method, r->path,
                                                      (const char * const *) r->query_pairs->pdata,
                                                      (const char * const *) r->headers->pdata,
                                                      r->payload_hash, r->secret, r->region,
                                                      r->amz_date));
    }
  requests_node = json_node_init_array (json_node_alloc (), requests);
  expected = run_reference (requests_node);
  if (expected != NULL)
    {
      g_assert_cmpuint (json_array_get_length (expected), ==, n);
      for (guint i = 0; i < n; i++)
        {
          RandomRequest *r = &random[i];
          JsonObject *want = json_array_get_object_element (expected, i);
          g_autofree char *uri = _bough_sigv4_uri_encode (r->path, TRUE);
          g_auto(BoughSigV4Result) result = { NULL, };
          BoughSigV4Request request = {
            .method = r->method, .canonical_uri = uri, .query = r->query,
            .headers = (const char * const *) r->headers->pdata, .payload_hash = r->payload_hash,
            .access_key = "AKIDEXAMPLE", .secret_key = r->secret, .region = r->region,
            .service = "s3", .amz_date = r->amz_date,
          };

          _bough_sigv4_sign (&request, &result);
          if (g_strcmp0 (result.signature, json_object_get_string_member (want, "signature")) != 0)
            g_test_message ("request %u: path “%s” query “%s”", i, r->path, r->query);
          g_assert_cmpstr (result.canonical_request, ==,
                           json_object_get_string_member (want, "canonical_request"));
          g_assert_cmpstr (result.string_to_sign, ==, json_object_get_string_member (want, "string_to_sign"));
          g_assert_cmpstr (result.signature, ==, json_object_get_string_member (want, "signature"));
        }
    }
  for (guint i = 0; i < n; i++)
    random_request_clear (&random[i]);
  g_free (random);
}

/* ---- what the driver sends, checked where it arrives ---- */

typedef struct
{
  char    *method;
  char    *path;
  char    *host;
  char    *content_sha256;
  char    *amz_date;
  char    *authorization;
  GBytes  *body;
} Captured;

static void
captured_free (Captured *c)
{
  g_free (c->method);
  g_free (c->path);
  g_free (c->host);
  g_free (c->content_sha256);
  g_free (c->amz_date);
  g_free (c->authorization);
  g_bytes_unref (c->body);
  g_free (c);
}

typedef struct
{
  GPtrArray  *captured;
  GHashTable *objects;   /* path → GBytes */
} FakeS3;

static void
fake_s3_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  FakeS3 *fake = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *method = soup_server_message_get_method (msg);
  Captured *c = g_new0 (Captured, 1);
  GBytes *stored;

  c->method = g_strdup (method);
  c->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  c->host = g_strdup (soup_message_headers_get_one (headers, "Host"));
  c->content_sha256 = g_strdup (soup_message_headers_get_one (headers, "x-amz-content-sha256"));
  c->amz_date = g_strdup (soup_message_headers_get_one (headers, "x-amz-date"));
  c->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  c->body = soup_message_body_flatten (body);
  g_ptr_array_add (fake->captured, c);

  stored = g_hash_table_lookup (fake->objects, path);
  if (g_str_equal (method, "PUT"))
    {
      g_hash_table_replace (fake->objects, g_strdup (path), g_bytes_ref (c->body));
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (method, "DELETE"))
    {
      g_hash_table_remove (fake->objects, path);
      soup_server_message_set_status (msg, 204, NULL);
    }
  else if (stored == NULL)
    {
      static const char missing[] = "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code>"
                                    "<Message>The specified key does not exist.</Message></Error>";

      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_STATIC, missing,
                                        strlen (missing));
    }
  else
    {
      gsize length;
      gconstpointer data = g_bytes_get_data (stored, &length);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY, data, length);
    }
}

typedef struct
{
  BoughStorage *storage;
  GBytes       *content;
  char         *identifier;
  gboolean      exists_after_put;
  gboolean      exists_after_delete;
  GBytes       *got;
  gboolean      done;
  GError       *error;
} WireRun;

/* The driver is synchronous: it runs here while the main thread serves. */
static gpointer
wire_thread (gpointer data)
{
  WireRun *run = data;

  run->identifier = bough_storage_put (run->storage, run->content, &run->error);
  if (run->identifier != NULL &&
      bough_storage_exists (run->storage, run->identifier, &run->exists_after_put, &run->error) &&
      (run->got = bough_storage_get (run->storage, run->identifier, &run->error)) != NULL &&
      bough_storage_delete (run->storage, run->identifier, &run->error))
    bough_storage_exists (run->storage, run->identifier, &run->exists_after_delete, &run->error);
  g_atomic_int_set (&run->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Resolves every name to 127.0.0.1 (IPv4 only), so that virtual-host
 * addresses such as bucket.s3.test reach the server of the test. */
typedef struct
{
  GResolver parent_instance;
} TestResolver;

typedef struct
{
  GResolverClass parent_class;
} TestResolverClass;

GType test_resolver_get_type (void);
G_DEFINE_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GList *
loopback_or_error (GResolverNameLookupFlags   flags,
                   GError                   **error)
{
  if (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY)
    {
      g_set_error_literal (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no IPv6 here");
      return NULL;
    }
  return g_list_append (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
}

static GList *
test_resolver_lookup_by_name_with_flags (GResolver                 *resolver,
                                         const char                *hostname,
                                         GResolverNameLookupFlags   flags,
                                         GCancellable              *cancellable,
                                         GError                   **error)
{
  return loopback_or_error (flags, error);
}

static GList *
test_resolver_lookup_by_name (GResolver     *resolver,
                              const char    *hostname,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return loopback_or_error (G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT, error);
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                               const char               *hostname,
                                               GResolverNameLookupFlags  flags,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = loopback_or_error (flags, &error);

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static void
test_resolver_lookup_by_name_async (GResolver           *resolver,
                                    const char          *hostname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  test_resolver_lookup_by_name_with_flags_async (resolver, hostname,
                                                 G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                                 cancellable, callback, user_data);
}

static GList *
test_resolver_lookup_finish (GResolver     *resolver,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup_by_name;
  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_finish;
  resolver_class->lookup_by_name_with_flags = test_resolver_lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

typedef struct
{
  SoupServer *server;
  FakeS3      fake;
  guint       port;
} Wire;

static void
wire_start (Wire            *wire,
            GTlsCertificate *certificate)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  wire->server = soup_server_new ("tls-certificate", certificate, NULL);
  wire->fake.captured = g_ptr_array_new_with_free_func ((GDestroyNotify) captured_free);
  wire->fake.objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_bytes_unref);
  soup_server_add_handler (wire->server, NULL, fake_s3_cb, &wire->fake, NULL);
  soup_server_listen_local (wire->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY |
                            (certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0), &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (wire->server);
  wire->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
wire_stop (Wire *wire)
{
  soup_server_disconnect (wire->server);
  g_clear_object (&wire->server);
  g_ptr_array_unref (wire->fake.captured);
  g_hash_table_unref (wire->fake.objects);
}

/* Runs put, exists, get, delete, exists on @storage from another thread
 * while this one serves. */
static void
wire_run (BoughStorage *storage,
          WireRun      *run)
{
  GThread *thread;

  run->storage = storage;
  run->content = g_bytes_new_static ("signed on the wire", 18);
  thread = g_thread_new ("wire", wire_thread, run);
  while (!g_atomic_int_get (&run->done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
}

static void
wire_run_clear (WireRun *run)
{
  g_clear_pointer (&run->identifier, g_free);
  g_clear_pointer (&run->got, g_bytes_unref);
  g_clear_pointer (&run->content, g_bytes_unref);
  g_clear_error (&run->error);
}

/* What the driver sends, path-style or virtual-host: the right method,
 * path and Host, a payload hash that is the hash of the bytes received,
 * and a signature the other implementation computes from what arrived. */
static void
check_wire (gboolean path_style)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) resolver = g_object_new (test_resolver_get_type (), NULL);
  g_autoptr(JsonArray) requests = json_array_new ();
  g_autoptr(JsonNode) requests_node = NULL;
  g_autoptr(JsonArray) expected = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *host = NULL;
  g_autoptr(BoughStorage) storage = NULL;
  Wire wire = { NULL, };
  WireRun run = { NULL, };
  BoughStorageS3Options options = {
    .bucket = "wire-bucket", .region = "eu-west-3", .access_key = "AKIDWIRE",
    .secret_key = "wire/secret+key", .prefix = "bough/objects/", .use_path_style = path_style,
    .verify_tls = TRUE, .timeout = 30,
  };
  static const char * const expected_methods[] = { "PUT", "HEAD", "GET", "DELETE", "HEAD" };

  wire_start (&wire, NULL);
  if (path_style)
    {
      endpoint = g_strdup_printf ("http://127.0.0.1:%u", wire.port);
      host = g_strdup_printf ("127.0.0.1:%u", wire.port);
    }
  else
    {
      /* bucket.s3.test resolves to the loopback through the test resolver */
      g_resolver_set_default (resolver);
      endpoint = g_strdup_printf ("http://s3.test:%u", wire.port);
      host = g_strdup_printf ("wire-bucket.s3.test:%u", wire.port);
    }
  options.endpoint = endpoint;
  storage = bough_storage_new_s3 (&options, &error);
  g_assert_no_error (error);

  wire_run (storage, &run);
  g_resolver_set_default (previous);
  g_assert_no_error (run.error);
  g_assert_true (run.exists_after_put);
  g_assert_true (g_bytes_equal (run.got, run.content));
  g_assert_false (run.exists_after_delete);

  g_assert_cmpuint (wire.fake.captured->len, ==, G_N_ELEMENTS (expected_methods));
  for (guint i = 0; i < wire.fake.captured->len; i++)
    {
      Captured *c = g_ptr_array_index (wire.fake.captured, i);
      g_autofree char *body_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, c->body);
      g_autofree char *path = g_strconcat (path_style ? "/wire-bucket" : "", "/bough/objects/",
                                           run.identifier, NULL);
      const char *headers[] = {
        "host", c->host, "x-amz-content-sha256", c->content_sha256, "x-amz-date", c->amz_date, NULL,
      };

      g_assert_cmpstr (c->method, ==, expected_methods[i]);
      g_assert_cmpstr (c->path, ==, path);
      g_assert_cmpstr (c->host, ==, host);
      /* the payload hash is the hash of the bytes that arrived */
      g_assert_cmpstr (c->content_sha256, ==, body_hash);
      g_assert_nonnull (c->amz_date);
      g_assert_nonnull (c->authorization);
      g_assert_true (g_str_has_prefix (c->authorization, "AWS4-HMAC-SHA256 Credential=AKIDWIRE/"));
      g_assert_nonnull (strstr (c->authorization, "/eu-west-3/s3/aws4_request, "
                                "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="));
      json_array_add_element (requests, request_node (c->method, c->path, NULL, headers, c->content_sha256,
                                                      "wire/secret+key", "eu-west-3", c->amz_date));
    }

  /* each signature verified from what was received, by the other implementation */
  requests_node = json_node_init_array (json_node_alloc (), requests);
  expected = run_reference (requests_node);
  if (expected != NULL)
    for (guint i = 0; i < wire.fake.captured->len; i++)
      {
        Captured *c = g_ptr_array_index (wire.fake.captured, i);
        const char *signature = json_object_get_string_member (json_array_get_object_element (expected, i),
                                                               "signature");

        g_assert_cmpstr (strstr (c->authorization, "Signature=") + strlen ("Signature="), ==, signature);
      }

  wire_run_clear (&run);
  wire_stop (&wire);
}

static void
test_wire_path_style (void)
{
  check_wire (TRUE);
}

static void
test_wire_virtual_host (void)
{
  check_wire (FALSE);
}

/* storage.s3_verify_tls: a self-signed service is refused unless it is off. */
static void
test_wire_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bough-tls-XXXXXX", &error);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert_path = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (dir, "key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char *endpoint = NULL;
  g_autoptr(BoughStorage) strict = NULL;
  g_autoptr(BoughStorage) lenient = NULL;
  Wire wire = { NULL, };
  WireRun run = { NULL, };
  BoughStorageS3Options options = {
    .bucket = "tls-bucket", .region = "us-east-1", .access_key = "AKIDTLS", .secret_key = "tls",
    .use_path_style = TRUE, .verify_tls = TRUE, .timeout = 30,
  };
  int status = 0;

  g_assert_no_error (error);
  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed: no certificate to serve TLS with");
      g_rmdir (dir);
      return;
    }
  {
    const char *argv[] = {
      openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", key_path, "-out", cert_path, "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", NULL,
    };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  wire_start (&wire, certificate);
  endpoint = g_strdup_printf ("https://127.0.0.1:%u", wire.port);
  options.endpoint = endpoint;

  strict = bough_storage_new_s3 (&options, &error);
  g_assert_no_error (error);
  wire_run (strict, &run);
  g_assert_error (run.error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_test_message ("%s", run.error->message);
  g_assert_nonnull (strstr (run.error->message, "cannot reach"));
  g_assert_cmpuint (wire.fake.captured->len, ==, 0);
  wire_run_clear (&run);
  memset (&run, 0, sizeof run);

  options.verify_tls = FALSE;
  lenient = bough_storage_new_s3 (&options, &error);
  g_assert_no_error (error);
  wire_run (lenient, &run);
  g_assert_no_error (run.error);
  g_assert_true (g_bytes_equal (run.got, run.content));
  g_assert_cmpuint (wire.fake.captured->len, ==, 5);
  wire_run_clear (&run);

  wire_stop (&wire);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sigv4/aws-examples", test_aws_examples);
  g_test_add_func ("/sigv4/aws-canonical-request", test_aws_canonical_request);
  g_test_add_func ("/sigv4/encoding", test_encoding);
  g_test_add_func ("/sigv4/reference-implementation", test_reference_implementation);
  g_test_add_func ("/sigv4/wire/path-style", test_wire_path_style);
  g_test_add_func ("/sigv4/wire/virtual-host", test_wire_virtual_host);
  g_test_add_func ("/sigv4/wire/tls", test_wire_tls);

  return g_test_run ();
}
