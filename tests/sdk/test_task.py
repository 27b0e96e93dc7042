# test_task.py: tasks through the SDK and infrahubctl against a live
# bough-server: the tasks branch operations leave (client.task.all, filter,
# get with logs, count, wait_for_completion), a merge handed to the queue
# without waiting, cancelled and retried (client.task.cancel and retry, on a
# server without embedded workers), and `infrahubctl task list`.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import json

import pytest
from infrahub_sdk.exceptions import GraphQLError
from infrahub_sdk.task.models import TaskFilter, TaskState

MERGE_LATER = """
mutation {
  BranchMerge(wait_until_completion: false, data: {name: "later"}) { ok task { id } }
}
"""


def test_merge_task(client):
    client.branch.create(branch_name="tasked", sync_with_git=False)
    client.create(kind="BuiltinTag", name="t1", branch="tasked").save()
    assert client.branch.merge("tasked")

    tasks = client.task.all()
    merges = [t for t in tasks if t.workflow == "branch-merge"]
    assert len(merges) == 1
    merge = merges[0]
    assert merge.state == TaskState.COMPLETED
    assert merge.branch == "tasked"
    assert merge.progress == 1.0
    assert any(t.workflow == "branch-create" for t in tasks)

    got = client.task.get(merge.id, include_logs=True, include_actions=True)
    assert got.id == merge.id
    assert got.logs
    assert got.logs[-1].severity == "info"
    assert "done" in got.logs[-1].message
    assert not got.can_cancel
    assert not got.can_retry

    filtered = client.task.filter(
        filter=TaskFilter(workflow=["branch-merge"], state=[TaskState.COMPLETED])
    )
    assert [t.id for t in filtered] == [merge.id]
    assert client.task.count(filters=TaskFilter(branch="tasked")) >= 2
    assert client.task.wait_for_completion(merge.id, interval=1, timeout=5).state == TaskState.COMPLETED


def test_merge_refused_task_failed(client):
    client.create(kind="BuiltinTag", name="shared", description="base").save()
    client.branch.create(branch_name="fight", sync_with_git=False)
    on_branch = client.get(kind="BuiltinTag", name__value="shared", branch="fight")
    on_branch.description.value = "branch side"
    on_branch.save()
    on_main = client.get(kind="BuiltinTag", name__value="shared")
    on_main.description.value = "main side"
    on_main.save()

    # the merge runs as a task; its refusal comes back as the merge's error
    with pytest.raises(GraphQLError, match="description"):
        client.branch.merge("fight")
    [failed] = client.task.filter(
        filter=TaskFilter(workflow=["branch-merge"], branch="fight"), include_logs=True, include_diagnostics=False
    )
    assert failed.state == TaskState.FAILED
    assert failed.logs[-1].severity == "error"
    assert "description" in failed.logs[-1].message
    data = client.execute_graphql(
        query='query($ids: [String]) { InfrahubTask(ids: $ids) { edges { node { conclusion error { status_class message } } } } }',
        variables={"ids": [failed.id]},
    )
    [edge] = data["InfrahubTask"]["edges"]
    assert edge["node"]["conclusion"] == "failure"
    assert "description" in edge["node"]["error"]["message"]


@pytest.mark.parametrize("server_env", [{"BOUGH_TASKS_CONCURRENCY": "0"}])
def test_cancel_and_retry(client, server_env):
    client.branch.create(branch_name="later", sync_with_git=False)
    client.create(kind="BuiltinTag", name="later-tag", branch="later").save()

    answer = client.execute_graphql(query=MERGE_LATER)
    task_id = answer["BranchMerge"]["task"]["id"]
    pending = client.task.get(task_id, include_actions=True)
    assert pending.state == TaskState.PENDING
    assert pending.can_cancel

    assert client.task.cancel(task_id) is True
    cancelled = client.task.get(task_id, include_actions=True)
    assert cancelled.state == TaskState.CANCELLED
    assert cancelled.can_retry
    # never ran: the tag stayed on its branch
    assert [t.name.value for t in client.all(kind="BuiltinTag")] == []

    retried = client.task.retry(task_id)
    assert retried != task_id
    again = client.task.get(retried)
    assert again.state == TaskState.PENDING
    assert again.workflow == "branch-merge"


def test_infrahubctl_task_list(client, infrahubctl):
    client.branch.create(branch_name="listed", sync_with_git=False)
    result = infrahubctl("task", "list", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    listed = json.loads(result.stdout)
    assert any(t["workflow"] == "branch-create" and t["branch"] == "listed" for t in listed)
    assert all(t["state"] in {s.value for s in TaskState} for t in listed)

    table = infrahubctl("task", "list", "--state", "completed")
    assert table.returncode == 0, table.stdout + table.stderr
    assert "branch-create" in table.stdout
