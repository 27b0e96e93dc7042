/* bough-store-task.c: the task rows of the store (bough-store-task.h): the
 * state transitions of a task (claim, lease, retry, cancel, reap), each in
 * one short write transaction; the SQL is the driver's.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-store"

#include "config.h"

#include <string.h>

#include "bough-error.h"
#include "bough-store-internal.h"
#include "bough-store-task.h"

#define TD(self) ((self)->driver->tasks)

static const char * const state_names[] = {
  "SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CRASHED", "PAUSED",
  "CANCELLING",
};

const char *
bough_task_state_to_string (BoughTaskState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

gboolean
bough_task_state_from_string (const char     *text,
                              BoughTaskState *state)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_ascii_strcasecmp (text, state_names[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

const char *
bough_task_conclusion_to_string (BoughTaskConclusion conclusion)
{
  switch (conclusion)
    {
    case BOUGH_TASK_CONCLUSION_SUCCESS:
      return "success";
    case BOUGH_TASK_CONCLUSION_FAILURE:
      return "failure";
    case BOUGH_TASK_CONCLUSION_UNKNOWN:
    default:
      return "unknown";
    }
}

gboolean
bough_task_state_is_final (BoughTaskState state)
{
  return state == BOUGH_TASK_COMPLETED || state == BOUGH_TASK_FAILED ||
         state == BOUGH_TASK_CANCELLED || state == BOUGH_TASK_CRASHED;
}

BoughTask *
bough_task_new (const char *title,
                const char *workflow)
{
  BoughTask *task;

  g_return_val_if_fail (title != NULL && workflow != NULL, NULL);

  task = g_new0 (BoughTask, 1);
  task->title = g_strdup (title);
  task->workflow = g_strdup (workflow);
  task->state = BOUGH_TASK_PENDING;
  task->progress = -1;
  task->max_attempts = 1;
  return task;
}

static void
related_free (BoughTaskRelated *related)
{
  g_free (related->id);
  g_free (related->kind);
  g_free (related);
}

void
bough_task_add_related (BoughTask  *task,
                        const char *id,
                        const char *kind)
{
  BoughTaskRelated *related;

  g_return_if_fail (task != NULL && id != NULL);

  if (task->related == NULL)
    task->related = g_ptr_array_new_with_free_func ((GDestroyNotify) related_free);
  related = g_new0 (BoughTaskRelated, 1);
  related->id = g_strdup (id);
  related->kind = g_strdup (kind != NULL ? kind : "");
  g_ptr_array_add (task->related, related);
}

void
bough_task_free (BoughTask *task)
{
  if (task == NULL)
    return;
  g_free (task->id);
  g_free (task->title);
  g_free (task->workflow);
  g_free (task->parameters);
  g_free (task->branch);
  g_free (task->account);
  g_strfreev (task->tags);
  g_clear_pointer (&task->related, g_ptr_array_unref);
  g_free (task->worker);
  g_free (task->error_message);
  g_free (task->result);
  g_free (task);
}

void
bough_task_log_free (BoughTaskLog *log)
{
  if (log == NULL)
    return;
  g_free (log->severity);
  g_free (log->message);
  g_free (log);
}

/* ---- transactions ---- */

static BoughDriverConn *
write_begin (BoughStore  *self,
             GError     **error)
{
  BoughDriverConn *conn = self->driver->writer_acquire (self->db);

  if (!self->driver->begin (conn, error))
    {
      self->driver->writer_release (self->db, conn);
      return NULL;
    }
  return conn;
}

static gboolean
write_end (BoughStore       *self,
           BoughDriverConn  *conn,
           gboolean          ok,
           GError          **error)
{
  if (ok)
    ok = self->driver->commit (conn, error);
  if (!ok)
    self->driver->rollback (conn);
  self->driver->writer_release (self->db, conn);
  return ok;
}

static gboolean
lost_task (const char  *id,
           GError     **error)
{
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT,
               "Task %s is no longer held by this worker", id);
  return FALSE;
}

/* ---- writes ---- */

gboolean
bough_store_task_insert (BoughStore  *self,
                         BoughTask   *task,
                         GError     **error)
{
  BoughDriverConn *conn;
  gint64 now = g_get_real_time ();
  gboolean ok;

  g_return_val_if_fail (self != NULL && task != NULL, FALSE);
  g_return_val_if_fail (task->title != NULL && task->workflow != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (task->id == NULL)
    task->id = g_uuid_string_random ();
  task->created_at = task->updated_at = now;
  if (task->not_before <= 0)
    task->not_before = now;
  task->state = task->not_before > now ? BOUGH_TASK_SCHEDULED : BOUGH_TASK_PENDING;
  task->conclusion = BOUGH_TASK_CONCLUSION_UNKNOWN;
  if (task->max_attempts == 0)
    task->max_attempts = 1;
  task->attempts = 0;
  if (task->worker != NULL)
    {
      /* claimed by its inserter (a run in the asking thread) */
      task->state = BOUGH_TASK_RUNNING;
      task->attempts = 1;
      task->start_time = now;
      if (task->lease_until <= now)
        task->lease_until = now + 60 * G_USEC_PER_SEC;
    }

  conn = write_begin (self, error);
  if (conn == NULL)
    return FALSE;
  ok = TD (self)->insert (conn, task, error);
  return write_end (self, conn, ok, error);
}

BoughTask *
bough_store_task_get (BoughStore  *self,
                      const char  *id,
                      GError     **error)
{
  BoughDriverConn *conn;
  BoughTask *task = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (self != NULL && id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return NULL;
  TD (self)->get (conn, id, &task, &local_error);
  self->driver->reader_release (self->db, conn);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (task == NULL)
    g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Task %s not found", id);
  return task;
}

BoughTask *
bough_store_task_claim (BoughStore          *self,
                        const char          *worker,
                        const char * const  *workflows,
                        gint64               now,
                        gint64               lease,
                        GError             **error)
{
  BoughDriverConn *conn;
  g_autofree char *id = NULL;
  BoughTask *task = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL && worker != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = write_begin (self, error);
  if (conn == NULL)
    return NULL;
  /* The pick and the mark are in one write transaction: another process
   * waits for it, then sees the task taken. */
  ok = TD (self)->pick (conn, workflows, now, &id, error);
  if (ok && id != NULL)
    ok = TD (self)->set_running (conn, id, worker, now, now + lease, error) == 1 &&
         TD (self)->get (conn, id, &task, error);
  if (!write_end (self, conn, ok, error))
    g_clear_pointer (&task, bough_task_free);
  return task;
}

gboolean
bough_store_task_heartbeat (BoughStore  *self,
                            const char  *id,
                            const char  *worker,
                            gint64       lease_until,
                            double       progress,
                            gboolean    *cancel_requested,
                            GError     **error)
{
  BoughDriverConn *conn;
  gboolean cancel = FALSE;
  gint changed;

  g_return_val_if_fail (self != NULL && id != NULL && worker != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = write_begin (self, error);
  if (conn == NULL)
    return FALSE;
  changed = TD (self)->renew (conn, id, worker, g_get_real_time (), lease_until,
                              progress > 1 ? 1 : progress, &cancel, error);
  if (!write_end (self, conn, changed >= 0, error))
    return FALSE;
  if (cancel_requested != NULL)
    *cancel_requested = cancel;
  if (changed == 0)
    return lost_task (id, error);
  return TRUE;
}

gboolean
bough_store_task_finish (BoughStore     *self,
                         const char     *id,
                         const char     *worker,
                         BoughTaskState  state,
                         gint            error_code,
                         const char     *message,
                         const char     *result,
                         GError        **error)
{
  BoughDriverConn *conn;
  BoughTaskConclusion conclusion;
  gint64 now = g_get_real_time ();
  gint changed;
  gboolean ok;

  g_return_val_if_fail (self != NULL && id != NULL && worker != NULL, FALSE);
  g_return_val_if_fail (bough_task_state_is_final (state), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conclusion = state == BOUGH_TASK_COMPLETED ? BOUGH_TASK_CONCLUSION_SUCCESS
             : BOUGH_TASK_CONCLUSION_FAILURE;
  conn = write_begin (self, error);
  if (conn == NULL)
    return FALSE;
  changed = TD (self)->set_state (conn, id, worker, 0, state, conclusion, error_code, message,
                                  result, 0, now, error);
  ok = changed >= 0;
  if (ok && changed == 1 && message != NULL)
    ok = TD (self)->insert_log (conn, id, now,
                                state == BOUGH_TASK_COMPLETED ? "info"
                                : state == BOUGH_TASK_CANCELLED ? "warning" : "error",
                                message, error);
  if (!write_end (self, conn, ok, error))
    return FALSE;
  if (changed == 0)
    return lost_task (id, error);
  return TRUE;
}

gboolean
bough_store_task_retry (BoughStore  *self,
                        const char  *id,
                        const char  *worker,
                        gint64       not_before,
                        const char  *message,
                        GError     **error)
{
  BoughDriverConn *conn;
  gint64 now = g_get_real_time ();
  gint changed;
  gboolean ok;

  g_return_val_if_fail (self != NULL && id != NULL && worker != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = write_begin (self, error);
  if (conn == NULL)
    return FALSE;
  changed = TD (self)->set_state (conn, id, worker, 0, BOUGH_TASK_SCHEDULED,
                                  BOUGH_TASK_CONCLUSION_UNKNOWN, 0, NULL, NULL, not_before, now,
                                  error);
  ok = changed >= 0;
  if (ok && changed == 1 && message != NULL)
    ok = TD (self)->insert_log (conn, id, now, "error", message, error);
  if (!write_end (self, conn, ok, error))
    return FALSE;
  if (changed == 0)
    return lost_task (id, error);
  return TRUE;
}

gboolean
bough_store_task_cancel (BoughStore      *self,
                         const char      *id,
                         BoughTaskState  *state,
                         GError         **error)
{
  BoughDriverConn *conn;
  g_autoptr(BoughTask) task = NULL;
  gint64 now = g_get_real_time ();
  gboolean ok;

  g_return_val_if_fail (self != NULL && id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = write_begin (self, error);
  if (conn == NULL)
    return FALSE;
  ok = TD (self)->get (conn, id, &task, error);
  if (ok)
    {
      gint changed = 0;

      if (task->state == BOUGH_TASK_PENDING || task->state == BOUGH_TASK_SCHEDULED ||
          task->state == BOUGH_TASK_PAUSED)
        changed = TD (self)->set_state (conn, id, NULL,
                                        1u << BOUGH_TASK_PENDING | 1u << BOUGH_TASK_SCHEDULED |
                                        1u << BOUGH_TASK_PAUSED,
                                        BOUGH_TASK_CANCELLED, BOUGH_TASK_CONCLUSION_FAILURE,
                                        BOUGH_ERROR_FAILED, "Cancelled", NULL, 0, now, error);
      else if (task->state == BOUGH_TASK_RUNNING)
        changed = TD (self)->request_cancel (conn, id, now, error);
      ok = changed >= 0;
      if (ok && changed == 1)
        ok = TD (self)->insert_log (conn, id, now, "warning",
                                    task->state == BOUGH_TASK_RUNNING ? "Cancellation requested"
                                    : "Cancelled before it ran", error);
      if (ok && changed == 1)
        task->state = task->state == BOUGH_TASK_RUNNING ? BOUGH_TASK_CANCELLING
                    : BOUGH_TASK_CANCELLED;
    }
  else if (error == NULL || *error == NULL)
    {
      write_end (self, conn, FALSE, NULL);
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND, "Task %s not found", id);
      return FALSE;
    }
  if (!write_end (self, conn, ok, error))
    return FALSE;
  if (state != NULL)
    *state = task->state;
  return TRUE;
}

gint
bough_store_task_reap (BoughStore  *self,
                       gint64       now,
                       gint64       backoff,
                       GError     **error)
{
  BoughDriverConn *conn;
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_task_free);
  gint reaped = 0;
  gboolean ok;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  conn = write_begin (self, error);
  if (conn == NULL)
    return -1;
  ok = TD (self)->expired (conn, now, expired, error);
  for (guint i = 0; ok && i < expired->len; i++)
    {
      BoughTask *task = g_ptr_array_index (expired, i);
      const guint running = 1u << BOUGH_TASK_RUNNING | 1u << BOUGH_TASK_CANCELLING;
      g_autofree char *message = NULL;
      gint changed;

      if (task->state == BOUGH_TASK_CANCELLING)
        {
          message = g_strdup_printf ("Worker %s stopped while cancelling", task->worker);
          changed = TD (self)->set_state (conn, task->id, NULL, running, BOUGH_TASK_CANCELLED,
                                          BOUGH_TASK_CONCLUSION_FAILURE, BOUGH_ERROR_FAILED,
                                          message, NULL, 0, now, error);
        }
      else if (task->attempts < task->max_attempts)
        {
          message = g_strdup_printf ("Worker %s stopped (attempt %u of %u): the task runs again",
                                     task->worker, task->attempts, task->max_attempts);
          changed = TD (self)->set_state (conn, task->id, NULL, running, BOUGH_TASK_SCHEDULED,
                                          BOUGH_TASK_CONCLUSION_UNKNOWN, 0, NULL, NULL,
                                          now + backoff, now, error);
        }
      else
        {
          message = g_strdup_printf ("Worker %s stopped on the last attempt (%u of %u)",
                                     task->worker, task->attempts, task->max_attempts);
          changed = TD (self)->set_state (conn, task->id, NULL, running, BOUGH_TASK_CRASHED,
                                          BOUGH_TASK_CONCLUSION_FAILURE, BOUGH_ERROR_FAILED,
                                          message, NULL, 0, now, error);
        }
      ok = changed >= 0 &&
           (changed == 0 || TD (self)->insert_log (conn, task->id, now, "error", message, error));
      reaped += changed > 0 ? 1 : 0;
    }
  if (!write_end (self, conn, ok, error))
    return -1;
  return reaped;
}

gboolean
bough_store_task_log (BoughStore  *self,
                      const char  *id,
                      const char  *severity,
                      const char  *message,
                      GError     **error)
{
  BoughDriverConn *conn;
  gboolean ok;

  g_return_val_if_fail (self != NULL && id != NULL && severity != NULL && message != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = write_begin (self, error);
  if (conn == NULL)
    return FALSE;
  ok = TD (self)->insert_log (conn, id, g_get_real_time (), severity, message, error);
  return write_end (self, conn, ok, error);
}

/* ---- reads ---- */

GPtrArray *
bough_store_task_list (BoughStore             *self,
                       const BoughTaskFilter  *filter,
                       gint64                 *count,
                       GError                **error)
{
  BoughDriverConn *conn;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_task_free);
  gint64 n = 0;
  gboolean ok;

  g_return_val_if_fail (self != NULL && filter != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return NULL;
  ok = TD (self)->list (conn, filter, &n, out, error);
  self->driver->reader_release (self->db, conn);
  if (!ok)
    return NULL;
  if (count != NULL)
    *count = n;
  return g_steal_pointer (&out);
}

GPtrArray *
bough_store_task_logs (BoughStore  *self,
                       const char  *id,
                       gint64       offset,
                       gint64       limit,
                       gint64      *count,
                       GError     **error)
{
  BoughDriverConn *conn;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) bough_task_log_free);
  gint64 n = 0;
  gboolean ok;

  g_return_val_if_fail (self != NULL && id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return NULL;
  ok = TD (self)->logs (conn, id, offset, limit, &n, out, error);
  self->driver->reader_release (self->db, conn);
  if (!ok)
    return NULL;
  if (count != NULL)
    *count = n;
  return g_steal_pointer (&out);
}

gboolean
bough_store_task_count_states (BoughStore  *self,
                               const char  *workflow,
                               gint64      *out,
                               GError     **error)
{
  BoughDriverConn *conn;
  gboolean ok;

  g_return_val_if_fail (self != NULL && out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  conn = self->driver->reader_acquire (self->db, error);
  if (conn == NULL)
    return FALSE;
  ok = TD (self)->count_states (conn, workflow, out, error);
  self->driver->reader_release (self->db, conn);
  return ok;
}
