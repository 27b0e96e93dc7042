/* bough-task-workflows.c: the built-in workflows and the test workflows
 * (see bough-task-workflows.h).
 *
 * Copyright 2026 The Bough authors
 * SPDX-License-Identifier: Apache-2.0
 */
#define G_LOG_DOMAIN "bough-tasks"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "bough-error.h"
#include "bough-task-workflows.h"
#include "store/bough-store-branch.h"

/* ---- parameters ---- */

static JsonObject *
task_parameters (BoughTaskRun *run)
{
  const BoughTask *task = bough_task_run_get_task (run);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (task->parameters == NULL || !json_parser_load_from_data (parser, task->parameters, -1, NULL))
    return json_object_new ();
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_object_new ();
  return json_object_ref (json_node_get_object (root));
}

static const char *
param_string (JsonObject *params,
              const char *key)
{
  JsonNode *n = json_object_get_member (params, key);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gint64
param_int (JsonObject *params,
           const char *key,
           gint64      fallback)
{
  JsonNode *n = json_object_get_member (params, key);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return fallback;
  return json_node_get_int (n);
}

static gboolean
check_cancelled (BoughTaskRun  *run,
                 GError       **error)
{
  GError *local_error = NULL;

  if (!g_cancellable_set_error_if_cancelled (bough_task_run_get_cancellable (run), &local_error))
    return TRUE;
  g_propagate_error (error, local_error);
  return FALSE;
}

BoughTask *
bough_task_new_with_params (const char *title,
                            const char *workflow,
                            const char *branch,
                            const char *account,
                            JsonObject *parameters)
{
  BoughTask *task = bough_task_new (title, workflow);

  task->branch = g_strdup (branch);
  task->account = g_strdup (account);
  if (parameters != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, parameters);
      task->parameters = json_to_string (node, FALSE);
    }
  return task;
}

BoughTask *
bough_task_execute (BoughTaskQueue  *queue,
                    BoughStore      *store,
                    BoughTask       *task,
                    gboolean         wait,
                    GError         **error)
{
  g_return_val_if_fail (store != NULL && task != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (queue == NULL)
    return bough_task_queue_run_inline (NULL, store, task, error);
  if (!bough_task_queue_submit (queue, task, error))
    return NULL;
  if (!wait)
    return NULL;
  return bough_task_queue_wait (queue, task->id, -1, error);
}

/* ---- branch operations ---- */

/* The steps of the store's branch operations (BoughProgressFunc), in
 * order: the progress of the task is the share of them done. */
static const char * const steps[] = {
  "diff", "validate", "nodes", "relationships", "schema", "delete", "done",
};

typedef struct
{
  BoughTaskRun *run;
  char         *step;
  guint         done;
  guint         total;
} Progress;

static void
progress_log_step (Progress *p)
{
  g_autofree char *message = NULL;

  if (p->step == NULL || g_str_equal (p->step, "done"))
    return;
  if (p->total > 0)
    message = g_strdup_printf ("%s: %u of %u", p->step, p->done, p->total);
  else
    message = g_strdup_printf ("%s: %u", p->step, p->done);
  bough_task_run_log (p->run, "info", message);
}

/* Called inside the operation's transaction: memory only (see
 * bough_task_run_set_progress()). */
static void
progress_cb (const char *step,
             guint       done,
             guint       total,
             gpointer    user_data)
{
  Progress *p = user_data;
  guint index = 0;

  if (g_strcmp0 (p->step, step) != 0)
    {
      progress_log_step (p);
      g_free (p->step);
      p->step = g_strdup (step);
    }
  p->done = done;
  p->total = total;
  while (index < G_N_ELEMENTS (steps) && g_strcmp0 (steps[index], step) != 0)
    index++;
  if (index < G_N_ELEMENTS (steps))
    bough_task_run_set_progress (p->run, (index + (total > 0 ? (double) done / total : 0)) /
                                         (G_N_ELEMENTS (steps) - 1));
}

typedef gboolean (*BranchOperation) (BoughStore *self, const char *branch, const char *account,
                                     BoughProgressFunc progress, gpointer user_data,
                                     GError **error);

static gboolean
run_branch_operation (BoughTaskRun     *run,
                      BranchOperation   operation,
                      GError          **error)
{
  const BoughTask *task = bough_task_run_get_task (run);
  g_autoptr(JsonObject) params = task_parameters (run);
  const char *branch = param_string (params, "branch");
  Progress p = { run, NULL, 0, 0 };
  gboolean ok;

  if (branch == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "The task names no branch");
      return FALSE;
    }
  /* The last safe point: the operation commits in one transaction or not
   * at all, so a cancellation once it started comes too late. */
  if (!check_cancelled (run, error))
    return FALSE;
  ok = operation (bough_task_run_get_store (run), branch, task->account, progress_cb, &p, error);
  progress_log_step (&p);
  g_free (p.step);
  return ok;
}

static gboolean
run_branch_merge (BoughTaskRun  *run,
                  GError       **error)
{
  return run_branch_operation (run, bough_store_merge_branch, error);
}

static gboolean
run_branch_rebase (BoughTaskRun  *run,
                   GError       **error)
{
  return run_branch_operation (run, bough_store_rebase_branch, error);
}

static gboolean
run_branch_delete (BoughTaskRun  *run,
                   GError       **error)
{
  return run_branch_operation (run, bough_store_delete_branch, error);
}

static gboolean
run_branch_create (BoughTaskRun  *run,
                   GError       **error)
{
  const BoughTask *task = bough_task_run_get_task (run);
  g_autoptr(JsonObject) params = task_parameters (run);
  BoughBranchCreate input = { 0, };
  g_autoptr(BoughBranch) branch = NULL;

  input.name = param_string (params, "name");
  input.description = param_string (params, "description");
  input.origin_branch = param_string (params, "origin_branch");
  input.branched_from = param_int (params, "branched_from", 0);
  input.sync_with_git = json_object_has_member (params, "sync_with_git") &&
                        json_object_get_boolean_member (params, "sync_with_git");
  if (input.name == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "The task names no branch");
      return FALSE;
    }
  branch = bough_store_branch_create (bough_task_run_get_store (run), &input, task->account, error);
  return branch != NULL;
}

/* Result: {"ok": bool, "messages": [..]} */
static gboolean
run_branch_validate (BoughTaskRun  *run,
                     GError       **error)
{
  g_autoptr(JsonObject) params = task_parameters (run);
  const char *branch = param_string (params, "branch");
  g_auto(GStrv) messages = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  GError *local_error = NULL;
  JsonArray *list = json_array_new ();
  gboolean ok;

  if (branch == NULL)
    {
      json_array_unref (list);
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "The task names no branch");
      return FALSE;
    }
  ok = bough_store_validate_branch (bough_task_run_get_store (run), branch, &messages, &local_error);
  if (local_error != NULL)
    {
      json_array_unref (list);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  for (guint i = 0; messages != NULL && messages[i] != NULL; i++)
    {
      json_array_add_string_element (list, messages[i]);
      bough_task_run_log (run, "warning", messages[i]);
    }
  json_object_set_boolean_member (result, "ok", ok);
  json_object_set_array_member (result, "messages", list);
  json_node_set_object (node, result);
  text = json_to_string (node, FALSE);
  bough_task_run_set_result (run, text);
  return TRUE;
}

static gboolean
run_diff_update (BoughTaskRun  *run,
                 GError       **error)
{
  g_autoptr(JsonObject) params = task_parameters (run);
  const char *branch = param_string (params, "branch");
  g_autoptr(BoughDiff) diff = NULL;

  if (branch == NULL)
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_INVALID, "The task names no branch");
      return FALSE;
    }
  if (!check_cancelled (run, error))
    return FALSE;
  /* computing the diff records its conflicts, so that they can be resolved */
  diff = bough_store_diff_branch (bough_task_run_get_store (run), branch, BOUGH_DIFF_FLAGS_NONE, error);
  return diff != NULL;
}

/* ---- test workflows ---- */

/* Appends "<tag> <task id> <worker pid>\n" to the file named by the
 * parameter "file", in one write (O_APPEND): a test counts how often each
 * task ran, across processes. */
static gboolean
record_run (BoughTaskRun  *run,
            JsonObject    *params,
            const char    *tag,
            GError       **error)
{
  const char *file = param_string (params, "file");
  g_autofree char *line = NULL;
  int fd;
  gssize n;

  if (file == NULL)
    return TRUE;
  line = g_strdup_printf ("%s %s %d\n", tag, bough_task_run_get_task (run)->id, (int) getpid ());
  fd = open (file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;

      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s: %s", file, g_strerror (errsv));
      return FALSE;
    }
  n = write (fd, line, strlen (line));
  close (fd);
  if (n != (gssize) strlen (line))
    {
      g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "%s: short write", file);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_test_noop (BoughTaskRun  *run,
               GError       **error)
{
  g_autoptr(JsonObject) params = task_parameters (run);

  return record_run (run, params, "ran", error);
}

/* Sleeps "ms" milliseconds in steps of 10, a safe point each. */
static gboolean
run_test_sleep (BoughTaskRun  *run,
                GError       **error)
{
  g_autoptr(JsonObject) params = task_parameters (run);
  gint64 ms = param_int (params, "ms", 100);

  if (!record_run (run, params, "start", error))
    return FALSE;
  for (gint64 slept = 0; slept < ms; slept += 10)
    {
      if (!check_cancelled (run, error))
        return FALSE;
      bough_task_run_set_progress (run, (double) slept / ms);
      g_usleep (10 * 1000);
    }
  return record_run (run, params, "ran", error);
}

static gboolean
run_test_fail (BoughTaskRun  *run,
               GError       **error)
{
  g_autoptr(JsonObject) params = task_parameters (run);

  if (!record_run (run, params, "ran", error))
    return FALSE;
  g_set_error (error, BOUGH_ERROR, BOUGH_ERROR_FAILED, "test-fail: failing on purpose (attempt %u)",
               bough_task_run_get_task (run)->attempts);
  return FALSE;
}

void
bough_task_workflows_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  bough_task_workflow_register ("branch-create", run_branch_create);
  bough_task_workflow_register ("branch-merge", run_branch_merge);
  bough_task_workflow_register ("branch-rebase", run_branch_rebase);
  bough_task_workflow_register ("branch-delete", run_branch_delete);
  bough_task_workflow_register ("branch-validate", run_branch_validate);
  bough_task_workflow_register ("diff-update", run_diff_update);
  if (g_strcmp0 (g_getenv ("BOUGH_TEST_WORKFLOWS"), "1") == 0)
    {
      bough_task_workflow_register ("test-noop", run_test_noop);
      bough_task_workflow_register ("test-sleep", run_test_sleep);
      bough_task_workflow_register ("test-fail", run_test_fail);
    }
  g_once_init_leave (&done, 1);
}
