/* test-storage.c: the object storage: one conformance test run on both
 * drivers (local directory, and S3 against a real S3-compatible server on
 * loopback), identifier validation, path traversal and planted links in
 * the local directory (RELIABILITY 25), a writer killed with SIGKILL, S3
 * addressing, settings and error messages.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-storage"

#include "config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "bough-error.h"
#include "storage/bough-storage-private.h"

#include "storage-test-common.h"

static S3TestServer s3_server;
static char *self_path;  /* this program, for the killed writer */

typedef enum
{
  DRIVER_LOCAL,
  DRIVER_S3,
} Driver;

typedef struct
{
  char         *dir;      /* a temporary directory: the local root lives in it */
  char         *root;     /* the local storage directory */
  char         *prefix;   /* the S3 key prefix of this test */
  BoughStorage *storage;  /* NULL: the driver is unavailable (S3 without a server) */
} Fixture;

static BoughStorage *
new_s3_storage (const char *prefix,
                GError    **error)
{
  BoughStorageS3Options options = {
    .endpoint = s3_server.endpoint,
    .bucket = s3_server.bucket,
    .region = "us-east-1",
    .access_key = s3_server.access_key,
    .secret_key = s3_server.secret_key,
    .prefix = prefix,
    .use_path_style = TRUE,
    .verify_tls = TRUE,
    .timeout = 60,
  };

  return bough_storage_new_s3 (&options, error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Driver driver = GPOINTER_TO_INT (data);

  f->dir = g_dir_make_tmp ("bough-storage-XXXXXX", &error);
  g_assert_no_error (error);
  f->root = g_build_filename (f->dir, "storage", NULL);
  if (driver == DRIVER_LOCAL)
    {
      f->storage = bough_storage_new_local (f->root, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (bough_storage_get_driver_name (f->storage), ==, "local");
    }
  else if (s3_server.endpoint != NULL)
    {
      /* a prefix per test: content-addressed objects of other tests stay apart */
      f->prefix = g_strdup_printf ("t%08x%08x/", g_random_int (), g_random_int ());
      f->storage = new_s3_storage (f->prefix, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (bough_storage_get_driver_name (f->storage), ==, "s3");
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->storage, bough_storage_unref);
  bough_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->root);
  g_free (f->prefix);
}

static gboolean
have_storage (Fixture *f)
{
  if (f->storage != NULL)
    return TRUE;
  g_test_skip (s3_server.skip_reason);
  return FALSE;
}

/* g_random_*: the killed writer runs outside the test framework */
static GBytes *
random_bytes (gsize length)
{
  guint8 *data = g_malloc (MAX (length, 1));

  for (gsize i = 0; i < length; i++)
    data[i] = g_random_int_range (0, 256);
  return g_bytes_new_take (data, length);
}

static void
assert_stored (BoughStorage *storage,
               const char   *identifier,
               GBytes       *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = bough_storage_get (storage, identifier, &error);
  gboolean exists = FALSE;

  g_assert_no_error (error);
  g_assert_nonnull (got);
  g_assert_true (g_bytes_equal (got, expected));
  g_assert_true (bough_storage_exists (storage, identifier, &exists, &error));
  g_assert_no_error (error);
  g_assert_true (exists);
}

/* ---- conformance: the same test for every driver ---- */

static void
test_roundtrip (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("hello world", 11);
  g_autoptr(GBytes) gone = NULL;
  g_autofree char *identifier = NULL;
  g_autofree char *again = NULL;
  gboolean exists = TRUE;

  if (!have_storage (f))
    return;

  identifier = bough_storage_put (f->storage, content, &error);
  g_assert_no_error (error);
  /* the SHA-256 of the bytes, computed by the storage */
  g_assert_cmpstr (identifier, ==, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  g_assert_true (bough_storage_id_is_valid (identifier));
  assert_stored (f->storage, identifier, content);

  /* the same bytes again: the same object */
  again = bough_storage_put (f->storage, content, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, identifier);
  assert_stored (f->storage, identifier, content);

  g_assert_true (bough_storage_delete (f->storage, identifier, &error));
  g_assert_no_error (error);
  g_assert_true (bough_storage_exists (f->storage, identifier, &exists, &error));
  g_assert_no_error (error);
  g_assert_false (exists);
  gone = bough_storage_get (f->storage, identifier, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);

  /* deleting what is absent succeeds */
  g_assert_true (bough_storage_delete (f->storage, identifier, &error));
  g_assert_no_error (error);
}

static void
test_absent (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GInputStream) stream = NULL;
  const char *absent = "0000000000000000000000000000000000000000000000000000000000000000";
  gboolean exists = TRUE;

  if (!have_storage (f))
    return;

  got = bough_storage_get (f->storage, absent, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_assert_null (got);
  g_clear_error (&error);
  stream = bough_storage_open (f->storage, absent, NULL, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
  g_assert_null (stream);
  g_clear_error (&error);
  g_assert_true (bough_storage_exists (f->storage, absent, &exists, &error));
  g_assert_no_error (error);
  g_assert_false (exists);
}

static void
test_contents (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) large = random_bytes (1024 * 1024 + 17);
  g_autoptr(GBytes) all = NULL;
  guint8 every[512];
  GBytes *objects[3];

  if (!have_storage (f))
    return;

  for (guint i = 0; i < sizeof every; i++)
    every[i] = i % 256;
  all = g_bytes_new (every, sizeof every);
  objects[0] = empty;
  objects[1] = all;
  objects[2] = large;
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      g_autofree char *identifier = bough_storage_put (f->storage, objects[i], &error);
      g_autofree char *expected = bough_storage_compute_id (objects[i]);

      g_assert_no_error (error);
      g_assert_cmpstr (identifier, ==, expected);
      assert_stored (f->storage, identifier, objects[i]);
    }
}

static void
test_stream (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = random_bytes (300 * 1024 + 3);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) read_back = NULL;
  g_autofree char *identifier = NULL;
  goffset size = 0;

  if (!have_storage (f))
    return;

  identifier = bough_storage_put (f->storage, content, &error);
  g_assert_no_error (error);
  stream = bough_storage_open (f->storage, identifier, &size, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stream);
  g_assert_cmpint (size, ==, (goffset) g_bytes_get_size (content));
  g_output_stream_splice (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  read_back = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_bytes_equal (read_back, content));
}

static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) at_limit = random_bytes (1000);
  g_autoptr(GBytes) over = random_bytes (1001);
  g_autofree char *identifier = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *over_id = NULL;
  gboolean exists = TRUE;

  if (!have_storage (f))
    return;

  bough_storage_set_max_object_size (f->storage, 1000);
  g_assert_cmpint (bough_storage_get_max_object_size (f->storage), ==, 1000);
  identifier = bough_storage_put (f->storage, at_limit, &error);
  g_assert_no_error (error);
  refused = bough_storage_put (f->storage, over, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_LIMIT);
  g_assert_null (refused);
  g_clear_error (&error);
  /* nothing of it was stored */
  over_id = bough_storage_compute_id (over);
  g_assert_true (bough_storage_exists (f->storage, over_id, &exists, &error));
  g_assert_no_error (error);
  g_assert_false (exists);
}

/* Malformed identifiers never reach a driver: each is refused as invalid. */
static const char * const bad_ids[] = {
  "",
  "..",
  "../../../etc/passwd",
  "/etc/passwd",
  "b9/../../../../etc/passwd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%2F..%2Fetc%2Fpasswd",
  "B94D27B9934D3E08A52E52D7DA7DABFAC484EFE37A5380EE9088F7ACE2EFCDE9",  /* upper case */
  "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde",   /* 63 */
  "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde90", /* 65 */
  "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde/",
  "../4d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
  "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcd\\9",
  "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9 ",
  " b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
  "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\n",
  "g94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
};

static void
test_invalid_ids (Fixture       *f,
                  gconstpointer  data)
{
  /* an identifier cut by a NUL: 64 characters only if the NUL is ignored */
  static const char with_nul[] = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efc\0e9";

  if (!have_storage (f))
    return;

  g_assert_false (bough_storage_id_is_valid (NULL));
  g_assert_false (bough_storage_id_is_valid (with_nul));
  for (guint i = 0; i <= G_N_ELEMENTS (bad_ids); i++)
    {
      const char *id = i < G_N_ELEMENTS (bad_ids) ? bad_ids[i] : with_nul;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) got = NULL;
      g_autoptr(GInputStream) stream = NULL;
      gboolean exists = TRUE;

      g_test_message ("identifier %u: “%s”", i, id);
      g_assert_false (bough_storage_id_is_valid (id));
      got = bough_storage_get (f->storage, id, &error);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
      g_assert_null (got);
      g_clear_error (&error);
      stream = bough_storage_open (f->storage, id, NULL, &error);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
      g_assert_null (stream);
      g_clear_error (&error);
      g_assert_false (bough_storage_exists (f->storage, id, &exists, &error));
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
      g_assert_false (exists);
      g_clear_error (&error);
      g_assert_false (bough_storage_delete (f->storage, id, &error));
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID);
    }
  g_assert_true (bough_storage_id_is_valid ("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"));
}

typedef struct
{
  BoughStorage *storage;
  guint         seed;
  gboolean      share;     /* half of the objects are the same for all workers */
  guint         failures;
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GError) error = NULL;
      /* workers share half of their contents: concurrent puts of one object */
      g_autofree char *text = g_strdup_printf ("object %u of worker %u", i,
                                               i % 2 || !w->share ? w->seed : 0);
      g_autoptr(GBytes) content = g_bytes_new (text, strlen (text));
      g_autofree char *identifier = bough_storage_put (w->storage, content, &error);
      g_autoptr(GBytes) got = NULL;

      if (identifier == NULL)
        {
          g_printerr ("put: %s\n", error->message);
          w->failures++;
          continue;
        }
      got = bough_storage_get (w->storage, identifier, &error);
      if (got == NULL || !g_bytes_equal (got, content))
        {
          g_printerr ("get: %s\n", error != NULL ? error->message : "other content");
          w->failures++;
        }
    }
  return NULL;
}

static void
test_threads (Fixture       *f,
              gconstpointer  data)
{
  Worker workers[4];
  GThread *threads[G_N_ELEMENTS (workers)];

  if (!have_storage (f))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      /* s3rver's file store is not atomic: a read racing a write of the
       * same key fails there (S3 itself serves either version) */
      workers[i] = (Worker) { f->storage, i + 1,
                              g_str_equal (bough_storage_get_driver_name (f->storage), "local"), 0 };
      threads[i] = g_thread_new ("storage-worker", worker_thread, &workers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (workers[i].failures, ==, 0);
    }
}

/* ---- the local driver: layout, links, damage, crashes ---- */

static char *
object_path (Fixture    *f,
             const char *identifier)
{
  char shard[3] = { identifier[0], identifier[1], '\0' };

  return g_build_filename (f->root, shard, identifier, NULL);
}

static void
test_local_layout (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("layout", 6);
  g_autofree char *identifier = bough_storage_put (f->storage, content, &error);
  g_autofree char *path = NULL;
  g_autofree char *shard = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  struct stat st;
  guint entries = 0;

  g_assert_no_error (error);
  path = object_path (f, identifier);
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 6);
  /* no temporary file is left behind */
  shard = g_path_get_dirname (path);
  dir = g_dir_open (shard, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_cmpstr (name, ==, identifier);
      entries++;
    }
  g_assert_cmpuint (entries, ==, 1);
}

/* A link planted in place of a shard directory leads nowhere: a put is
 * refused and writes nothing into the link's target, a get of an object
 * planted behind it is refused. */
static void
test_local_symlink_shard (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("shard link", 10);
  g_autofree char *identifier = bough_storage_compute_id (content);
  g_autofree char *outside = g_build_filename (f->dir, "outside", NULL);
  g_autofree char *shard = NULL;
  g_autofree char *planted = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GDir) dir = NULL;
  gboolean exists = FALSE;
  char name[3] = { identifier[0], identifier[1], '\0' };

  g_assert_cmpint (g_mkdir (outside, 0700), ==, 0);
  shard = g_build_filename (f->root, name, NULL);
  g_assert_cmpint (symlink (outside, shard), ==, 0);

  stored = bough_storage_put (f->storage, content, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  g_assert_null (stored);
  g_clear_error (&error);
  dir = g_dir_open (outside, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (dir));

  /* an object put there from outside is not served through the link */
  planted = g_build_filename (outside, identifier, NULL);
  g_file_set_contents (planted, "shard link", 10, &error);
  g_assert_no_error (error);
  got = bough_storage_get (f->storage, identifier, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_null (got);
  g_clear_error (&error);
  g_assert_false (bough_storage_exists (f->storage, identifier, &exists, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_false (bough_storage_delete (f->storage, identifier, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_true (g_file_test (planted, G_FILE_TEST_IS_REGULAR));
}

/* A link planted in place of an object: never read through, replaced (not
 * followed) by a put, removed (not its target) by a delete. */
static void
test_local_symlink_object (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("object link", 11);
  g_autofree char *identifier = bough_storage_compute_id (content);
  g_autofree char *secret = g_build_filename (f->dir, "secret", NULL);
  g_autofree char *path = object_path (f, identifier);
  g_autofree char *shard = g_path_get_dirname (path);
  g_autofree char *stored = NULL;
  g_autofree char *secret_after = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GInputStream) stream = NULL;
  gboolean exists = FALSE;

  g_file_set_contents (secret, "top secret", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (shard, 0700), ==, 0);
  g_assert_cmpint (symlink (secret, path), ==, 0);

  got = bough_storage_get (f->storage, identifier, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_null (got);
  g_clear_error (&error);
  stream = bough_storage_open (f->storage, identifier, NULL, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_null (stream);
  g_clear_error (&error);
  g_assert_false (bough_storage_exists (f->storage, identifier, &exists, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_clear_error (&error);

  stored = bough_storage_put (f->storage, content, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, identifier);
  g_file_get_contents (secret, &secret_after, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret_after, ==, "top secret");
  g_assert_false (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
  assert_stored (f->storage, identifier, content);

  /* planted again, then deleted: the link goes, its target stays */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (symlink (secret, path), ==, 0);
  g_assert_true (bough_storage_delete (f->storage, identifier, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (secret, G_FILE_TEST_IS_REGULAR));
}

/* A hard link to a file outside, a fifo, a damaged object: none is served. */
static void
test_local_planted_files (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("planted", 7);
  g_autofree char *identifier = bough_storage_compute_id (content);
  g_autofree char *path = object_path (f, identifier);
  g_autofree char *shard = g_path_get_dirname (path);
  g_autofree char *outside = g_build_filename (f->dir, "outside-file", NULL);
  g_autofree char *stored = NULL;
  g_autoptr(GBytes) got = NULL;

  g_assert_cmpint (g_mkdir_with_parents (shard, 0700), ==, 0);

  /* a hard link, even with the right content */
  g_file_set_contents (outside, "planted", 7, &error);
  g_assert_no_error (error);
  g_assert_cmpint (link (outside, path), ==, 0);
  got = bough_storage_get (f->storage, identifier, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_null (got);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (path), ==, 0);

  /* a fifo: refused at once, never waited on */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  got = bough_storage_get (f->storage, identifier, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_null (got);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (path), ==, 0);

  /* a damaged object: its bytes no longer match its identifier */
  stored = bough_storage_put (f->storage, content, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, "PLANTED", 7, &error);
  g_assert_no_error (error);
  got = bough_storage_get (f->storage, identifier, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_null (got);
}

/* The root may not be a file; a missing root is created. */
static void
test_local_root (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->dir, "a-file", NULL);
  g_autofree char *nested = g_build_filename (f->dir, "a", "b", "c", NULL);
  g_autoptr(BoughStorage) refused = NULL;
  g_autoptr(BoughStorage) created = NULL;

  g_file_set_contents (file, "x", 1, &error);
  g_assert_no_error (error);
  refused = bough_storage_new_local (file, &error);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
  g_assert_null (refused);
  g_clear_error (&error);
  created = bough_storage_new_local (nested, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (nested, G_FILE_TEST_IS_DIR));
}

/* Run as a child (BOUGH_TEST_STORAGE_WRITER=DIR): stores objects forever,
 * printing each identifier once its put returned. */
static int
run_writer (const char *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughStorage) storage = bough_storage_new_local (root, &error);

  g_assert_no_error (error);
  for (guint i = 0;; i++)
    {
      g_autoptr(GBytes) content = random_bytes (64 * 1024 + i);
      g_autofree char *identifier = bough_storage_put (storage, content, &error);

      g_assert_no_error (error);
      g_print ("%s\n", identifier);
    }
  return 0;
}

/* kill -9 during writes: every acknowledged object is whole, and no object
 * file holds anything but the bytes of its identifier. */
static void
test_local_killed_writer (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) root = NULL;
  const char *shard;
  guint objects = 0;

  g_subprocess_launcher_setenv (launcher, "BOUGH_TEST_STORAGE_WRITER", f->root, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  while (acknowledged->len < 20)
    {
      char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_ptr_array_add (acknowledged, line);
    }
  g_subprocess_force_exit (child);  /* SIGKILL, mid-write most likely */
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < acknowledged->len; i++)
    {
      g_autoptr(GBytes) got = bough_storage_get (f->storage, g_ptr_array_index (acknowledged, i),
                                                 &error);

      g_assert_no_error (error);
      g_assert_nonnull (got);
    }
  root = g_dir_open (f->root, 0, &error);
  g_assert_no_error (error);
  while ((shard = g_dir_read_name (root)) != NULL)
    {
      g_autofree char *shard_path = g_build_filename (f->root, shard, NULL);
      g_autoptr(GDir) dir = g_dir_open (shard_path, 0, &error);
      const char *name;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autoptr(GBytes) got = NULL;

          if (g_str_has_prefix (name, ".tmp-"))
            continue;  /* an unfinished write: never an object */
          got = bough_storage_get (f->storage, name, &error);
          g_assert_no_error (error);
          objects++;
        }
    }
  g_assert_cmpuint (objects, >=, acknowledged->len);
}

/* ---- the S3 driver: addressing, settings, errors ---- */

static void
test_s3_addressing (void)
{
  g_autoptr(GError) error = NULL;
  const char *id = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
  BoughStorageS3Options options = {
    .endpoint = "https://s3.eu-west-1.amazonaws.com",
    .bucket = "my-bucket",
    .region = "eu-west-1",
    .access_key = "AKIAIOSFODNN7EXAMPLE",
    .secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    .prefix = "bough/objects/",
    .use_path_style = FALSE,
    .verify_tls = TRUE,
  };
  g_autoptr(BoughStorage) vhost = bough_storage_new_s3 (&options, &error);
  g_autoptr(BoughStorage) path_style = NULL;
  g_autoptr(BoughStorage) with_port = NULL;
  g_autofree char *url1 = NULL;
  g_autofree char *url2 = NULL;
  g_autofree char *url3 = NULL;
  g_autofree char *expected1 = g_strconcat ("https://my-bucket.s3.eu-west-1.amazonaws.com/bough/objects/", id, NULL);
  g_autofree char *expected2 = g_strconcat ("https://s3.eu-west-1.amazonaws.com/my-bucket/bough/objects/", id, NULL);
  g_autofree char *expected3 = g_strconcat ("http://127.0.0.1:9000/base/my-bucket/", id, NULL);

  g_assert_no_error (error);
  url1 = _bough_storage_s3_object_url (vhost, id);
  g_assert_cmpstr (url1, ==, expected1);

  options.use_path_style = TRUE;
  path_style = bough_storage_new_s3 (&options, &error);
  g_assert_no_error (error);
  url2 = _bough_storage_s3_object_url (path_style, id);
  g_assert_cmpstr (url2, ==, expected2);

  options.endpoint = "http://127.0.0.1:9000/base/";
  options.prefix = NULL;
  with_port = bough_storage_new_s3 (&options, &error);
  g_assert_no_error (error);
  url3 = _bough_storage_s3_object_url (with_port, id);
  g_assert_cmpstr (url3, ==, expected3);
}

static void
test_s3_settings (void)
{
  static const struct
  {
    const char *endpoint;
    const char *bucket;
    const char *access_key;
    const char *secret_key;
    const char *prefix;
    gboolean    path_style;
    const char *message;
  } cases[] = {
    { NULL, "b", "a", "s", NULL, TRUE, "s3_endpoint" },
    { "http://h", NULL, "a", "s", NULL, TRUE, "s3_bucket" },
    { "http://h", "b", "", "s", NULL, TRUE, "s3_access_key" },
    { "http://h", "b", "a", NULL, NULL, TRUE, "s3_secret_key" },
    { "ftp://h", "b", "a", "s", NULL, TRUE, "s3_endpoint" },
    { "h:9000", "b", "a", "s", NULL, TRUE, "s3_endpoint" },
    { "http://user:pw@h", "b", "a", "s", NULL, TRUE, "s3_endpoint" },
    { "http://h", "a/b", "a", "s", NULL, TRUE, "s3_bucket" },
    { "http://h", "under_score", "a", "s", NULL, FALSE, "s3_use_path_style" },
    { "http://h", "b", "a", "s", "../up/", TRUE, "s3_prefix" },
    { "http://h", "b", "a", "s", "a//b/", TRUE, "s3_prefix" },
    { "http://h", "b", "a", "s", "/abs/", TRUE, "s3_prefix" },
    { "http://h", "b", "a", "s", "a b/", TRUE, "s3_prefix" },
    { "http://h", "b", "a", "s", "x/./y", TRUE, "s3_prefix" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughStorage) storage = NULL;
      BoughStorageS3Options options = {
        .endpoint = cases[i].endpoint,
        .bucket = cases[i].bucket,
        .region = "us-east-1",
        .access_key = cases[i].access_key,
        .secret_key = cases[i].secret_key,
        .prefix = cases[i].prefix,
        .use_path_style = cases[i].path_style,
      };

      g_test_message ("case %u", i);
      storage = bough_storage_new_s3 (&options, &error);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFIG);
      g_assert_null (storage);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
test_s3_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("errors", 6);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autofree char *closed_endpoint = NULL;
  BoughStorageS3Options options = { NULL, };

  if (s3_server.endpoint == NULL)
    {
      g_test_skip (s3_server.skip_reason);
      return;
    }

  options.endpoint = s3_server.endpoint;
  options.region = "us-east-1";
  options.access_key = s3_server.access_key;
  options.secret_key = s3_server.secret_key;
  options.use_path_style = TRUE;
  options.timeout = 30;

  /* a bucket that does not exist */
  {
    g_autoptr(BoughStorage) storage = NULL;
    g_autofree char *id = NULL;

    options.bucket = "no-such-bucket-for-bough";
    storage = bough_storage_new_s3 (&options, &error);
    g_assert_no_error (error);
    id = bough_storage_put (storage, content, &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
    g_assert_null (id);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "no-such-bucket-for-bough does not exist"));
    g_clear_error (&error);
  }

  /* credentials the service refuses: the message names what to check and
   * never holds the secret */
  if (g_getenv ("BOUGH_TEST_S3_ENDPOINT") == NULL)
    {
      g_autoptr(BoughStorage) storage = NULL;
      g_autofree char *id = NULL;

      options.bucket = s3_server.bucket;
      options.access_key = "AKIAUNKNOWNKEY";
      options.secret_key = "very-secret-value-1234";
      storage = bough_storage_new_s3 (&options, &error);
      g_assert_no_error (error);
      id = bough_storage_put (storage, content, &error);
      g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
      g_assert_null (id);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "refused"));
      g_assert_nonnull (strstr (error->message, "s3_access_key"));
      g_assert_null (strstr (error->message, "very-secret-value-1234"));
      g_clear_error (&error);
      options.access_key = s3_server.access_key;
      options.secret_key = s3_server.secret_key;
    }

  /* nothing listening */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  closed_endpoint = g_strdup_printf ("http://127.0.0.1:%u",
                                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);
  {
    g_autoptr(BoughStorage) storage = NULL;
    g_autoptr(GBytes) got = NULL;

    options.endpoint = closed_endpoint;
    options.bucket = s3_server.bucket;
    storage = bough_storage_new_s3 (&options, &error);
    g_assert_no_error (error);
    got = bough_storage_get (storage, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9",
                             &error);
    g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE);
    g_assert_null (got);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "cannot reach"));
  }
}

/* Objects are stored under the prefix, in the bucket, by key. */
static void
test_s3_keys (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("where am I", 10);
  g_autofree char *identifier = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) raw = NULL;

  if (!have_storage (f))
    return;
  if (g_getenv ("BOUGH_TEST_S3_ENDPOINT") != NULL)
    {
      g_test_skip ("reads the bucket without signing: s3rver only");
      return;
    }

  identifier = bough_storage_put (f->storage, content, &error);
  g_assert_no_error (error);
  /* s3rver serves anonymous reads: fetch the key directly */
  url = g_strdup_printf ("%s/%s/%s%s", s3_server.endpoint, s3_server.bucket, f->prefix, identifier);
  msg = soup_message_new ("GET", url);
  raw = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_bytes_equal (raw, content));
}

int
main (int   argc,
      char *argv[])
{
  const char *writer = g_getenv ("BOUGH_TEST_STORAGE_WRITER");
  int rc;

  if (writer != NULL)
    return run_writer (writer);

  self_path = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  s3_test_server_start (&s3_server);

  for (Driver d = DRIVER_LOCAL; d <= DRIVER_S3; d++)
    {
      const char *name = d == DRIVER_LOCAL ? "local" : "s3";
      static const struct { const char *name; void (*func) (Fixture *, gconstpointer); } tests[] = {
        { "roundtrip", test_roundtrip },
        { "absent", test_absent },
        { "contents", test_contents },
        { "stream", test_stream },
        { "limit", test_limit },
        { "invalid-ids", test_invalid_ids },
        { "threads", test_threads },
      };

      for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
        {
          g_autofree char *path = g_strdup_printf ("/storage/%s/conformance/%s", name, tests[i].name);

          g_test_add (path, Fixture, GINT_TO_POINTER (d), fixture_setup, tests[i].func,
                      fixture_teardown);
        }
    }

  g_test_add ("/storage/local/layout", Fixture, GINT_TO_POINTER (DRIVER_LOCAL), fixture_setup,
              test_local_layout, fixture_teardown);
  g_test_add ("/storage/local/symlink-shard", Fixture, GINT_TO_POINTER (DRIVER_LOCAL), fixture_setup,
              test_local_symlink_shard, fixture_teardown);
  g_test_add ("/storage/local/symlink-object", Fixture, GINT_TO_POINTER (DRIVER_LOCAL), fixture_setup,
              test_local_symlink_object, fixture_teardown);
  g_test_add ("/storage/local/planted-files", Fixture, GINT_TO_POINTER (DRIVER_LOCAL), fixture_setup,
              test_local_planted_files, fixture_teardown);
  g_test_add ("/storage/local/root", Fixture, GINT_TO_POINTER (DRIVER_LOCAL), fixture_setup,
              test_local_root, fixture_teardown);
  g_test_add ("/storage/local/killed-writer", Fixture, GINT_TO_POINTER (DRIVER_LOCAL), fixture_setup,
              test_local_killed_writer, fixture_teardown);
  g_test_add_func ("/storage/s3/addressing", test_s3_addressing);
  g_test_add_func ("/storage/s3/settings", test_s3_settings);
  g_test_add_func ("/storage/s3/errors", test_s3_errors);
  g_test_add ("/storage/s3/keys", Fixture, GINT_TO_POINTER (DRIVER_S3), fixture_setup,
              test_s3_keys, fixture_teardown);

  rc = g_test_run ();
  s3_test_server_stop (&s3_server);
  g_free (self_path);
  return rc;
}
