/* bough-store-task.h: the rows of the durable task queue (layout 6): tasks,
 * their logs and the nodes they relate to, kept in the same database as the
 * data. Each call is one short write (or read) transaction; the queue's
 * semantics above the rows (workers, runners, waiting) live in
 * server/tasks/.
 *
 * Claiming is atomic: bough_store_task_claim() picks and marks a ready task
 * in one write transaction, so two workers, in one process or in several,
 * never get the same task. A claimed task carries a lease (lease_until) that
 * its worker renews with bough_store_task_heartbeat(); a task whose lease
 * ran out is taken back by bough_store_task_reap().
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BoughStore BoughStore;

/* The states of reference §8.1, in the API's order. */
typedef enum
{
  BOUGH_TASK_SCHEDULED,   /* waiting for not_before (a retry's backoff) */
  BOUGH_TASK_PENDING,     /* ready to run */
  BOUGH_TASK_RUNNING,
  BOUGH_TASK_COMPLETED,
  BOUGH_TASK_FAILED,
  BOUGH_TASK_CANCELLED,
  BOUGH_TASK_CRASHED,     /* its worker died on the last allowed attempt */
  BOUGH_TASK_PAUSED,
  BOUGH_TASK_CANCELLING,  /* running, asked to stop */
} BoughTaskState;

typedef enum
{
  BOUGH_TASK_CONCLUSION_UNKNOWN,
  BOUGH_TASK_CONCLUSION_FAILURE,
  BOUGH_TASK_CONCLUSION_SUCCESS,
} BoughTaskConclusion;

typedef struct
{
  char *id;
  char *kind;
} BoughTaskRelated;

/* One task row. Times are microseconds since the Unix epoch, 0 when unset;
 * progress is 0..1, or negative when unknown. */
typedef struct
{
  char               *id;
  char               *title;
  char               *workflow;
  BoughTaskState      state;
  BoughTaskConclusion conclusion;
  double              progress;
  char               *parameters;    /* JSON text, nullable */
  char               *branch;        /* nullable */
  char               *account;       /* nullable: who asked for it */
  char              **tags;          /* nullable */
  GPtrArray          *related;       /* of BoughTaskRelated*, nullable */
  gint64              created_at;
  gint64              updated_at;
  gint64              start_time;
  gint64              end_time;
  gint64              not_before;
  guint               attempts;      /* claims so far */
  guint               max_attempts;
  char               *worker;        /* nullable: who holds it */
  gint64              lease_until;
  gboolean            cancel_requested;
  gint                error_code;    /* a BoughError code of the last failure */
  char               *error_message; /* nullable */
  char               *result;        /* JSON text, nullable */
} BoughTask;

typedef struct
{
  gint64  timestamp;
  char   *severity;     /* "info", "warning", "error" */
  char   *message;
} BoughTaskLog;

/* Which tasks bough_store_task_list() returns; every set field must match. */
typedef struct
{
  const char * const *ids;
  const char         *branch;
  const BoughTaskState *states;    /* n_states of them */
  guint               n_states;
  const char * const *workflows;
  const char * const *related_ids;
  const char         *q;           /* substring of the title */
  gint64              offset;
  gint64              limit;       /* -1: all */
} BoughTaskFilter;

const char  *bough_task_state_to_string      (BoughTaskState state);
gboolean     bough_task_state_from_string    (const char    *text,
                                              BoughTaskState *state);
const char  *bough_task_conclusion_to_string (BoughTaskConclusion conclusion);
gboolean     bough_task_state_is_final       (BoughTaskState state);

BoughTask   *bough_task_new                  (const char    *title,
                                              const char    *workflow);
void         bough_task_add_related          (BoughTask     *task,
                                              const char    *id,
                                              const char    *kind);
void         bough_task_free                 (BoughTask     *task);
void         bough_task_log_free             (BoughTaskLog  *log);

/* Inserts @task as PENDING (SCHEDULED when not_before is in the future);
 * sets its id when it has none and its times. A task with a worker is
 * inserted RUNNING, claimed by that worker until its lease_until (a run in
 * the thread that asks for it). */
gboolean     bough_store_task_insert         (BoughStore    *self,
                                              BoughTask     *task,
                                              GError       **error);
/* BOUGH_ERROR_NOT_FOUND for an unknown id */
BoughTask   *bough_store_task_get            (BoughStore    *self,
                                              const char    *id,
                                              GError       **error);
/* Takes the oldest ready task (PENDING or SCHEDULED with not_before <= @now)
 * of @workflows (NULL: any) for @worker: RUNNING, attempts + 1, leased until
 * @now + @lease. %NULL with no error when none is ready. */
BoughTask   *bough_store_task_claim          (BoughStore    *self,
                                              const char    *worker,
                                              const char * const *workflows,
                                              gint64         now,
                                              gint64         lease,
                                              GError       **error);
/* Renews the lease of a task @worker holds and records @progress (negative:
 * kept). FALSE with BOUGH_ERROR_CONFLICT when the worker lost it (reaped,
 * or finished elsewhere). @cancel_requested tells whether it was asked to
 * stop. */
gboolean     bough_store_task_heartbeat      (BoughStore    *self,
                                              const char    *id,
                                              const char    *worker,
                                              gint64         lease_until,
                                              double         progress,
                                              gboolean      *cancel_requested,
                                              GError       **error);
/* Ends a task @worker holds in @state (COMPLETED, FAILED, CANCELLED) with
 * its conclusion, and the error (code and message) or result; the message,
 * when given, is logged. BOUGH_ERROR_CONFLICT when the worker lost it. */
gboolean     bough_store_task_finish         (BoughStore    *self,
                                              const char    *id,
                                              const char    *worker,
                                              BoughTaskState state,
                                              gint           error_code,
                                              const char    *message,
                                              const char    *result,
                                              GError       **error);
/* Gives back a task @worker holds after a failure, to run again at
 * @not_before (SCHEDULED); @message is logged as an error. */
gboolean     bough_store_task_retry          (BoughStore    *self,
                                              const char    *id,
                                              const char    *worker,
                                              gint64         not_before,
                                              const char    *message,
                                              GError       **error);
/* Asks a task to stop: a waiting one becomes CANCELLED at once, a running
 * one CANCELLING (its runner stops at a safe point). @state: what it is
 * now. BOUGH_ERROR_NOT_FOUND for an unknown id; a finished task is left
 * as it is. */
gboolean     bough_store_task_cancel         (BoughStore    *self,
                                              const char    *id,
                                              BoughTaskState *state,
                                              GError       **error);
/* Takes back the running tasks whose lease ended before @now: SCHEDULED
 * again at @now + @backoff when attempts remain, else CRASHED (FAILED
 * conclusion); CANCELLING ones become CANCELLED. Returns how many. */
gint         bough_store_task_reap           (BoughStore    *self,
                                              gint64         now,
                                              gint64         backoff,
                                              GError       **error);
gboolean     bough_store_task_log            (BoughStore    *self,
                                              const char    *id,
                                              const char    *severity,
                                              const char    *message,
                                              GError       **error);
/* Tasks matching @filter, newest first (of BoughTask*, their related nodes
 * filled); @count: how many match in all. */
GPtrArray   *bough_store_task_list           (BoughStore    *self,
                                              const BoughTaskFilter *filter,
                                              gint64        *count,
                                              GError       **error);
/* Logs of a task, oldest first (of BoughTaskLog*); @count: all of them. */
GPtrArray   *bough_store_task_logs           (BoughStore    *self,
                                              const char    *id,
                                              gint64         offset,
                                              gint64         limit,
                                              gint64        *count,
                                              GError       **error);
/* Counts of tasks per state: out[state] for every BoughTaskState. */
gboolean     bough_store_task_count_states   (BoughStore    *self,
                                              const char    *workflow,
                                              gint64        *out,
                                              GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughTask, bough_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoughTaskLog, bough_task_log_free)

G_END_DECLS
