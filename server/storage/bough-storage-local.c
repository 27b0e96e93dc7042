/* bough-storage-local.c: the local object storage driver: one file per
 * object under a directory, `<root>/<first two digits>/<identifier>`.
 *
 * Everything is reached relative to a descriptor of the root opened once,
 * and neither the shard directory nor the object file may be a symbolic
 * link (O_NOFOLLOW): links planted in the storage directory lead nowhere
 * outside it. Writes go to a fresh temporary file (O_EXCL) that is synced,
 * renamed over the object and followed by a sync of the directory, so an
 * acknowledged object survives kill -9 and power loss and a reader never
 * sees half an object.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-storage"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>

#include "bough-error.h"

#include "bough-storage-private.h"

typedef struct
{
  char *path;
  int   root_fd;
} Local;

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *format,
                 ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE, "%s: %s", message, g_strerror (saved_errno));
  return FALSE;
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    {
      g_close (*fd, NULL);
      *fd = -1;
    }
}

/* Opens the shard directory of @identifier; -1 with errno set (ENOENT when
 * absent and !@create). A symbolic link or other non-directory there is
 * refused (ELOOP / ENOTDIR). */
static int
open_shard (Local      *local,
            const char *identifier,
            gboolean    create)
{
  char shard[3] = { identifier[0], identifier[1], '\0' };
  int fd;

  fd = openat (local->root_fd, shard, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT || !create)
    return fd;

  if (mkdirat (local->root_fd, shard, 0700) < 0 && errno != EEXIST)
    return -1;
  /* the new directory entry must survive a crash too */
  if (fsync (local->root_fd) < 0)
    return -1;
  return openat (local->root_fd, shard, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static gboolean
shard_error (Local       *local,
             const char  *identifier,
             GError     **error)
{
  int saved = errno;

  if (saved == ELOOP || saved == ENOTDIR)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "storage directory %s/%.2s is not a plain directory (a symbolic link?): refused",
                   local->path, identifier);
      return FALSE;
    }
  return set_errno_error (error, saved, "cannot open storage directory %s/%.2s", local->path,
                          identifier);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, MIN (length, (gsize) G_MAXSSIZE));

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += written;
      length -= written;
    }
  return TRUE;
}

static gboolean
local_put (BoughStorage  *self,
           const char    *identifier,
           GBytes        *content,
           GError       **error)
{
  Local *local = self->priv;
  int dir_fd = -1;
  int fd = -1;
  g_autofree char *temp = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (content, &length);
  gboolean ok = FALSE;

  dir_fd = open_shard (local, identifier, TRUE);
  if (dir_fd < 0)
    return shard_error (local, identifier, error);

  /* a random name, created exclusively: nothing planted can be reused */
  for (guint attempt = 0; fd < 0 && attempt < 16; attempt++)
    {
      g_free (temp);
      temp = g_strdup_printf (".tmp-%08x%08x", g_random_int (), g_random_int ());
      fd = openat (dir_fd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0 && errno != EEXIST)
        break;
    }
  if (fd < 0)
    {
      set_errno_error (error, errno, "cannot create a file in %s/%.2s", local->path, identifier);
      goto out;
    }

  if (!write_all (fd, data, length))
    {
      set_errno_error (error, errno, "cannot write object %s", identifier);
      goto out;
    }
  if (fsync (fd) < 0)
    {
      set_errno_error (error, errno, "cannot sync object %s", identifier);
      goto out;
    }
  if (g_close (fd, NULL) == FALSE)
    {
      fd = -1;
      set_errno_error (error, errno, "cannot close object %s", identifier);
      goto out;
    }
  fd = -1;
  /* rename() replaces a planted link itself, never its target */
  if (renameat (dir_fd, temp, dir_fd, identifier) < 0)
    {
      set_errno_error (error, errno, "cannot store object %s", identifier);
      goto out;
    }
  g_clear_pointer (&temp, g_free);
  if (fsync (dir_fd) < 0)
    {
      set_errno_error (error, errno, "cannot sync storage directory %s/%.2s", local->path,
                       identifier);
      goto out;
    }
  ok = TRUE;

out:
  close_fd (&fd);
  if (temp != NULL)
    unlinkat (dir_fd, temp, 0);
  close_fd (&dir_fd);
  return ok;
}

/* Opens the object file for reading: a regular file with one link (what
 * put writes), never a symbolic link; -1 with @error set. */
static int
open_object (Local        *local,
             const char   *identifier,
             struct stat  *st,
             GError      **error)
{
  int dir_fd = open_shard (local, identifier, FALSE);
  int fd;
  int saved;

  if (dir_fd < 0)
    {
      if (errno == ENOENT)
        {
          g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "object %s not found", identifier);
          return -1;
        }
      shard_error (local, identifier, error);
      return -1;
    }

  fd = openat (dir_fd, identifier, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  saved = errno;
  close_fd (&dir_fd);
  if (fd < 0)
    {
      if (saved == ENOENT)
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "object %s not found", identifier);
      else if (saved == ELOOP)
        g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                     "object %s is a symbolic link: refused", identifier);
      else
        set_errno_error (error, saved, "cannot open object %s", identifier);
      return -1;
    }

  if (fstat (fd, st) < 0)
    {
      set_errno_error (error, errno, "cannot read object %s", identifier);
      close_fd (&fd);
      return -1;
    }
  /* 0 links: a concurrent put of the same bytes replaced it since open */
  if (!S_ISREG (st->st_mode) || st->st_nlink > 1)
    {
      /* a fifo or device would block or lie; a second link was planted */
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "object %s is not a plain file of the storage: refused", identifier);
      close_fd (&fd);
      return -1;
    }
  /* O_NONBLOCK was only for opening safely */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

static GBytes *
local_get (BoughStorage  *self,
           const char    *identifier,
           GError       **error)
{
  Local *local = self->priv;
  struct stat st;
  int fd = open_object (local, identifier, &st, error);
  g_autofree guint8 *data = NULL;
  gsize done = 0;
  gsize size;

  if (fd < 0)
    return NULL;

  size = st.st_size;
  data = g_malloc (MAX (size, 1));
  while (done < size)
    {
      gssize got = read (fd, data + done, size - done);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        {
          if (got < 0)
            set_errno_error (error, errno, "cannot read object %s", identifier);
          else
            g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                         "object %s is shorter than its size", identifier);
          close_fd (&fd);
          return NULL;
        }
      done += got;
    }
  close_fd (&fd);
  return g_bytes_new_take (g_steal_pointer (&data), size);
}

static GInputStream *
local_open (BoughStorage  *self,
            const char    *identifier,
            goffset       *size,
            GError       **error)
{
  Local *local = self->priv;
  struct stat st;
  int fd = open_object (local, identifier, &st, error);

  if (fd < 0)
    return NULL;
  *size = st.st_size;
  return g_unix_input_stream_new (fd, TRUE);
}

static gboolean
local_exists (BoughStorage  *self,
              const char    *identifier,
              gboolean      *exists,
              GError       **error)
{
  Local *local = self->priv;
  int dir_fd = open_shard (local, identifier, FALSE);
  struct stat st;
  int rc;
  int saved;

  if (dir_fd < 0)
    {
      if (errno == ENOENT)
        {
          *exists = FALSE;
          return TRUE;
        }
      return shard_error (local, identifier, error);
    }
  rc = fstatat (dir_fd, identifier, &st, AT_SYMLINK_NOFOLLOW);
  saved = errno;
  close_fd (&dir_fd);
  if (rc < 0)
    {
      if (saved == ENOENT)
        {
          *exists = FALSE;
          return TRUE;
        }
      return set_errno_error (error, saved, "cannot look up object %s", identifier);
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_STORAGE,
                   "object %s is not a plain file of the storage: refused", identifier);
      return FALSE;
    }
  *exists = TRUE;
  return TRUE;
}

static gboolean
local_remove (BoughStorage  *self,
              const char    *identifier,
              GError       **error)
{
  Local *local = self->priv;
  int dir_fd = open_shard (local, identifier, FALSE);

  if (dir_fd < 0)
    {
      if (errno == ENOENT)
        return TRUE;
      return shard_error (local, identifier, error);
    }
  /* unlinkat() removes a planted link itself, never its target */
  if (unlinkat (dir_fd, identifier, 0) < 0 && errno != ENOENT)
    {
      set_errno_error (error, errno, "cannot delete object %s", identifier);
      close_fd (&dir_fd);
      return FALSE;
    }
  if (fsync (dir_fd) < 0)
    {
      set_errno_error (error, errno, "cannot sync storage directory %s/%.2s", local->path,
                       identifier);
      close_fd (&dir_fd);
      return FALSE;
    }
  close_fd (&dir_fd);
  return TRUE;
}

static void
local_finalize (BoughStorage *self)
{
  Local *local = self->priv;

  close_fd (&local->root_fd);
  g_free (local->path);
  g_free (local);
}

static const BoughStorageDriver local_driver = {
  .name = "local",
  .put = local_put,
  .get = local_get,
  .open = local_open,
  .exists = local_exists,
  .remove = local_remove,
  .finalize = local_finalize,
};

/**
 * bough_storage_new_local:
 * @path: the storage directory, created (mode 0700) when absent
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a storage in @path, or %NULL with @error set
 */
BoughStorage *
bough_storage_new_local (const char *path,
                         GError    **error)
{
  Local *local;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_mkdir_with_parents (path, 0700) < 0)
    {
      set_errno_error (error, errno, "cannot create storage directory %s", path);
      return NULL;
    }
  /* the root itself is the operator's choice and may be a link */
  fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      set_errno_error (error, errno, "cannot open storage directory %s", path);
      return NULL;
    }
  local = g_new0 (Local, 1);
  local->path = g_strdup (path);
  local->root_fd = fd;
  return _bough_storage_new (&local_driver, local);
}
