/* test-store-task.c: the task rows of the store: insert and read back,
 * queue order, atomic claims from many threads, leases and heartbeats,
 * retries with not_before, cancellation, reaping and the list filters.
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "test-store-task"

#include "config.h"

#include "store-test-common.h"
#include "store/bough-store-task.h"

#define SECOND G_USEC_PER_SEC

static char *
insert (BoughStore *store,
        const char *title,
        const char *workflow,
        const char *branch,
        guint       max_attempts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTask) task = bough_task_new (title, workflow);

  task->branch = g_strdup (branch);
  task->max_attempts = max_attempts;
  g_assert_true (bough_store_task_insert (store, task, &error));
  g_assert_no_error (error);
  return g_strdup (task->id);
}

static BoughTask *
get (BoughStore *store,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  BoughTask *task = bough_store_task_get (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (task);
  return task;
}

static void
test_insert_get (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BoughTask) task = bough_task_new ("Merge branch b1", "branch-merge");
  g_autoptr(BoughTask) back = NULL;
  g_autoptr(BoughTask) missing = NULL;
  char *tags[] = { "t1", "t2", NULL };

  task->branch = g_strdup ("b1");
  task->account = g_strdup ("acc-1");
  task->parameters = g_strdup ("{\"name\":\"b1\"}");
  task->tags = g_strdupv (tags);
  bough_task_add_related (task, "node-1", "TestSite");
  g_assert_true (bough_store_task_insert (f->store, task, &error));
  g_assert_no_error (error);
  g_assert_nonnull (task->id);

  back = get (f->store, task->id);
  g_assert_cmpstr (back->title, ==, "Merge branch b1");
  g_assert_cmpstr (back->workflow, ==, "branch-merge");
  g_assert_cmpint (back->state, ==, BOUGH_TASK_PENDING);
  g_assert_cmpint (back->conclusion, ==, BOUGH_TASK_CONCLUSION_UNKNOWN);
  g_assert_cmpfloat (back->progress, <, 0);
  g_assert_cmpstr (back->branch, ==, "b1");
  g_assert_cmpstr (back->account, ==, "acc-1");
  g_assert_cmpstr (back->parameters, ==, "{\"name\":\"b1\"}");
  g_assert_cmpstrv (back->tags, tags);
  g_assert_nonnull (back->related);
  g_assert_cmpuint (back->related->len, ==, 1);
  g_assert_cmpstr (((BoughTaskRelated *) back->related->pdata[0])->id, ==, "node-1");
  g_assert_cmpstr (((BoughTaskRelated *) back->related->pdata[0])->kind, ==, "TestSite");
  g_assert_cmpint (back->created_at, >, 0);
  g_assert_cmpuint (back->attempts, ==, 0);

  missing = bough_store_task_get (f->store, "no-such-task", &error);
  g_assert_null (missing);
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
}

static void
test_claim_order (StoreFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = insert (f->store, "a", "noop", NULL, 1);
  g_autofree char *b = insert (f->store, "b", "other", NULL, 1);
  g_autofree char *c = insert (f->store, "c", "noop", NULL, 1);
  const char * const only_other[] = { "other", NULL };
  gint64 now = g_get_real_time ();
  g_autoptr(BoughTask) t1 = NULL;
  g_autoptr(BoughTask) t2 = NULL;
  g_autoptr(BoughTask) t3 = NULL;
  g_autoptr(BoughTask) t4 = NULL;

  t1 = bough_store_task_claim (f->store, "w1", only_other, now, 10 * SECOND, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t1->id, ==, b);
  g_assert_cmpint (t1->state, ==, BOUGH_TASK_RUNNING);
  g_assert_cmpuint (t1->attempts, ==, 1);
  g_assert_cmpstr (t1->worker, ==, "w1");
  g_assert_cmpint (t1->lease_until, ==, now + 10 * SECOND);
  g_assert_cmpint (t1->start_time, ==, now);

  t2 = bough_store_task_claim (f->store, "w1", NULL, now, 10 * SECOND, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t2->id, ==, a);
  t3 = bough_store_task_claim (f->store, "w2", NULL, now, 10 * SECOND, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (t3->id, ==, c);
  t4 = bough_store_task_claim (f->store, "w2", NULL, now, 10 * SECOND, &error);
  g_assert_no_error (error);
  g_assert_null (t4);
}

typedef struct
{
  BoughStore *store;
  GMutex      lock;
  GHashTable *seen;     /* task id → worker name */
  guint       duplicates;
} ClaimRace;

static gpointer
claimer_thread (gpointer data)
{
  ClaimRace *race = data;
  g_autofree char *worker = g_strdup_printf ("w-%p", (void *) g_thread_self ());

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BoughTask) task = bough_store_task_claim (race->store, worker, NULL,
                                                          g_get_real_time (), 60 * SECOND, &error);

      g_assert_no_error (error);
      if (task == NULL)
        break;
      g_mutex_lock (&race->lock);
      if (g_hash_table_contains (race->seen, task->id))
        race->duplicates++;
      g_hash_table_insert (race->seen, g_strdup (task->id), g_strdup (worker));
      g_mutex_unlock (&race->lock);
      g_assert_true (bough_store_task_finish (race->store, task->id, worker, BOUGH_TASK_COMPLETED,
                                              0, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

/* Four threads draining 200 tasks: each task is claimed exactly once. */
static void
test_claim_race (StoreFixture  *f,
                 gconstpointer  data)
{
  ClaimRace race = { f->store, { 0 }, NULL, 0 };
  GThread *threads[4];
  gint64 states[BOUGH_TASK_CANCELLING + 1];
  g_autoptr(GError) error = NULL;

  g_mutex_init (&race.lock);
  race.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < 200; i++)
    g_free (insert (f->store, "n", "noop", NULL, 1));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("claimer", claimer_thread, &race);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (race.duplicates, ==, 0);
  g_assert_cmpuint (g_hash_table_size (race.seen), ==, 200);
  g_assert_true (bough_store_task_count_states (f->store, "noop", states, &error));
  g_assert_no_error (error);
  g_assert_cmpint (states[BOUGH_TASK_COMPLETED], ==, 200);
  g_assert_cmpint (states[BOUGH_TASK_PENDING], ==, 0);
  g_hash_table_destroy (race.seen);
  g_mutex_clear (&race.lock);
}

static void
test_heartbeat_finish (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = insert (f->store, "a", "noop", NULL, 1);
  g_autoptr(BoughTask) claimed = bough_store_task_claim (f->store, "w1", NULL, g_get_real_time (),
                                                         SECOND, &error);
  g_autoptr(BoughTask) back = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  gboolean cancel = TRUE;
  gint64 count = 0;

  g_assert_no_error (error);
  g_assert_true (bough_store_task_heartbeat (f->store, id, "w1", g_get_real_time () + 100 * SECOND,
                                             0.5, &cancel, &error));
  g_assert_no_error (error);
  g_assert_false (cancel);
  back = get (f->store, id);
  g_assert_cmpfloat (back->progress, ==, 0.5);
  g_assert_cmpint (back->lease_until, >, g_get_real_time () + 50 * SECOND);
  g_clear_pointer (&back, bough_task_free);

  /* another worker holds nothing */
  g_assert_false (bough_store_task_heartbeat (f->store, id, "w2", 0, -1, NULL, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (bough_store_task_finish (f->store, id, "w2", BOUGH_TASK_COMPLETED, 0, NULL, NULL,
                                           &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (bough_store_task_finish (f->store, id, "w1", BOUGH_TASK_FAILED, BOUGH_ERROR_CONFLICT,
                                          "merge refused", NULL, &error));
  g_assert_no_error (error);
  back = get (f->store, id);
  g_assert_cmpint (back->state, ==, BOUGH_TASK_FAILED);
  g_assert_cmpint (back->conclusion, ==, BOUGH_TASK_CONCLUSION_FAILURE);
  g_assert_cmpint (back->error_code, ==, BOUGH_ERROR_CONFLICT);
  g_assert_cmpstr (back->error_message, ==, "merge refused");
  g_assert_cmpint (back->end_time, >, 0);
  g_assert_cmpint (back->lease_until, ==, 0);
  logs = bough_store_task_logs (f->store, id, 0, -1, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 1);
  g_assert_cmpstr (((BoughTaskLog *) logs->pdata[0])->message, ==, "merge refused");
  g_assert_cmpstr (((BoughTaskLog *) logs->pdata[0])->severity, ==, "error");

  /* a finished task is not finished twice */
  g_assert_false (bough_store_task_finish (f->store, id, "w1", BOUGH_TASK_COMPLETED, 0, NULL, NULL,
                                           &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
}

static void
test_retry_not_before (StoreFixture  *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = insert (f->store, "a", "noop", NULL, 3);
  gint64 now = g_get_real_time ();
  g_autoptr(BoughTask) t1 = bough_store_task_claim (f->store, "w1", NULL, now, SECOND, &error);
  g_autoptr(BoughTask) t2 = NULL;
  g_autoptr(BoughTask) t3 = NULL;
  g_autoptr(BoughTask) back = NULL;

  g_assert_no_error (error);
  g_assert_true (bough_store_task_retry (f->store, id, "w1", now + 30 * SECOND, "boom", &error));
  g_assert_no_error (error);
  back = get (f->store, id);
  g_assert_cmpint (back->state, ==, BOUGH_TASK_SCHEDULED);
  g_assert_null (back->worker);
  g_assert_cmpint (back->not_before, ==, now + 30 * SECOND);
  /* not before its time */
  t2 = bough_store_task_claim (f->store, "w2", NULL, now + 29 * SECOND, SECOND, &error);
  g_assert_no_error (error);
  g_assert_null (t2);
  t3 = bough_store_task_claim (f->store, "w2", NULL, now + 30 * SECOND, SECOND, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t3);
  g_assert_cmpuint (t3->attempts, ==, 2);
  g_assert_cmpint (t3->start_time, ==, now);
}

static void
test_cancel (StoreFixture  *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pending = insert (f->store, "p", "noop", NULL, 1);
  g_autofree char *running = insert (f->store, "r", "other", NULL, 1);
  const char * const other[] = { "other", NULL };
  g_autoptr(BoughTask) claimed = bough_store_task_claim (f->store, "w1", other, g_get_real_time (),
                                                         60 * SECOND, &error);
  g_autoptr(BoughTask) back = NULL;
  g_autoptr(BoughTask) none = NULL;
  BoughTaskState state;
  gboolean cancel = FALSE;

  g_assert_no_error (error);
  g_assert_cmpstr (claimed->id, ==, running);
  g_assert_true (bough_store_task_cancel (f->store, pending, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, BOUGH_TASK_CANCELLED);
  none = bough_store_task_claim (f->store, "w2", NULL, g_get_real_time (), SECOND, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  g_assert_true (bough_store_task_cancel (f->store, running, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, BOUGH_TASK_CANCELLING);
  g_assert_true (bough_store_task_heartbeat (f->store, running, "w1", g_get_real_time () + SECOND, -1,
                                             &cancel, &error));
  g_assert_no_error (error);
  g_assert_true (cancel);
  g_assert_true (bough_store_task_finish (f->store, running, "w1", BOUGH_TASK_CANCELLED, 0,
                                          "Cancelled", NULL, &error));
  g_assert_no_error (error);
  back = get (f->store, running);
  g_assert_cmpint (back->state, ==, BOUGH_TASK_CANCELLED);

  /* a finished task stays as it is */
  g_assert_true (bough_store_task_cancel (f->store, running, &state, &error));
  g_assert_cmpint (state, ==, BOUGH_TASK_CANCELLED);
  g_assert_false (bough_store_task_cancel (f->store, "no-such-task", &state, &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_NOT_FOUND);
}

static void
test_reap (StoreFixture  *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = insert (f->store, "a", "noop", NULL, 2);
  gint64 now = g_get_real_time ();
  g_autoptr(BoughTask) t1 = bough_store_task_claim (f->store, "w1", NULL, now, SECOND, &error);
  g_autoptr(BoughTask) t2 = NULL;
  g_autoptr(BoughTask) back = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  gint64 count;

  g_assert_no_error (error);
  /* the lease still runs */
  g_assert_cmpint (bough_store_task_reap (f->store, now, SECOND, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (bough_store_task_reap (f->store, now + 2 * SECOND, SECOND, &error), ==, 1);
  g_assert_no_error (error);
  back = get (f->store, id);
  g_assert_cmpint (back->state, ==, BOUGH_TASK_SCHEDULED);
  g_assert_cmpint (back->not_before, ==, now + 3 * SECOND);
  g_clear_pointer (&back, bough_task_free);
  /* the dead worker's late finish is refused */
  g_assert_false (bough_store_task_finish (f->store, id, "w1", BOUGH_TASK_COMPLETED, 0, NULL, NULL,
                                           &error));
  g_assert_error (error, BOUGH_ERROR, BOUGH_ERROR_CONFLICT);
  g_clear_error (&error);

  t2 = bough_store_task_claim (f->store, "w2", NULL, now + 3 * SECOND, SECOND, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t2);
  g_assert_cmpint (bough_store_task_reap (f->store, now + 10 * SECOND, SECOND, &error), ==, 1);
  back = get (f->store, id);
  g_assert_cmpint (back->state, ==, BOUGH_TASK_CRASHED);
  g_assert_cmpint (back->conclusion, ==, BOUGH_TASK_CONCLUSION_FAILURE);
  logs = bough_store_task_logs (f->store, id, 0, -1, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 2);
  g_assert_nonnull (strstr (((BoughTaskLog *) logs->pdata[1])->message, "last attempt"));
}

static void
test_list_filters (StoreFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = insert (f->store, "Merge branch b1", "branch-merge", "b1", 1);
  g_autofree char *b = insert (f->store, "Rebase branch b1", "branch-rebase", "b1", 1);
  g_autofree char *c = insert (f->store, "Merge branch b2", "branch-merge", "b2", 1);
  g_autoptr(BoughTask) related = bough_task_new ("Generate artifact", "artifact");
  const char * const merge[] = { "branch-merge", NULL };
  const char * const ids[] = { a, c, NULL };
  const char * const nodes[] = { "node-9", NULL };
  const BoughTaskState running[] = { BOUGH_TASK_RUNNING };
  BoughTaskFilter filter = { 0, };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(BoughTask) claimed = NULL;
  gint64 count = 0;

  bough_task_add_related (related, "node-9", "TestSite");
  g_assert_true (bough_store_task_insert (f->store, related, &error));
  g_assert_no_error (error);

  filter.limit = -1;
  list = bough_store_task_list (f->store, &filter, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 4);
  /* newest first */
  g_assert_cmpstr (((BoughTask *) list->pdata[0])->id, ==, related->id);
  g_assert_cmpstr (((BoughTask *) list->pdata[3])->id, ==, a);
  g_clear_pointer (&list, g_ptr_array_unref);

  filter.limit = 1;
  filter.offset = 1;
  list = bough_store_task_list (f->store, &filter, &count, &error);
  g_assert_cmpint (count, ==, 4);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((BoughTask *) list->pdata[0])->id, ==, c);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.limit = -1;
  filter.offset = 0;

  filter.branch = "b1";
  list = bough_store_task_list (f->store, &filter, &count, &error);
  g_assert_cmpint (count, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.workflows = merge;
  list = bough_store_task_list (f->store, &filter, &count, &error);
  g_assert_cmpint (count, ==, 1);
  g_assert_cmpstr (((BoughTask *) list->pdata[0])->id, ==, a);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.branch = NULL;
  filter.workflows = NULL;

  filter.ids = ids;
  list = bough_store_task_list (f->store, &filter, &count, &error);
  g_assert_cmpint (count, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.ids = NULL;

  filter.related_ids = nodes;
  list = bough_store_task_list (f->store, &filter, &count, &error);
  g_assert_cmpint (count, ==, 1);
  g_assert_cmpuint (((BoughTask *) list->pdata[0])->related->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.related_ids = NULL;

  filter.q = "rebase";
  list = bough_store_task_list (f->store, &filter, &count, &error);
  g_assert_cmpint (count, ==, 1);
  g_assert_cmpstr (((BoughTask *) list->pdata[0])->id, ==, b);
  g_clear_pointer (&list, g_ptr_array_unref);
  filter.q = NULL;

  claimed = bough_store_task_claim (f->store, "w1", NULL, g_get_real_time (), SECOND, &error);
  g_assert_no_error (error);
  filter.states = running;
  filter.n_states = 1;
  list = bough_store_task_list (f->store, &filter, &count, &error);
  g_assert_cmpint (count, ==, 1);
  g_assert_cmpstr (((BoughTask *) list->pdata[0])->id, ==, claimed->id);
}

static void
test_logs_paged (StoreFixture  *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = insert (f->store, "a", "noop", NULL, 1);
  g_autoptr(GPtrArray) logs = NULL;
  gint64 count = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *m = g_strdup_printf ("step %u", i);

      g_assert_true (bough_store_task_log (f->store, id, "info", m, &error));
      g_assert_no_error (error);
    }
  logs = bough_store_task_logs (f->store, id, 1, 2, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 5);
  g_assert_cmpuint (logs->len, ==, 2);
  g_assert_cmpstr (((BoughTaskLog *) logs->pdata[0])->message, ==, "step 1");
  g_assert_cmpstr (((BoughTaskLog *) logs->pdata[1])->message, ==, "step 2");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, fn) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, fn, store_fixture_teardown)
  ADD ("/store-task/insert-get", test_insert_get);
  ADD ("/store-task/claim-order", test_claim_order);
  ADD ("/store-task/claim-race", test_claim_race);
  ADD ("/store-task/heartbeat-finish", test_heartbeat_finish);
  ADD ("/store-task/retry-not-before", test_retry_not_before);
  ADD ("/store-task/cancel", test_cancel);
  ADD ("/store-task/reap", test_reap);
  ADD ("/store-task/list-filters", test_list_filters);
  ADD ("/store-task/logs-paged", test_logs_paged);
#undef ADD

  return g_test_run ();
}
