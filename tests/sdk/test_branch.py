# test_branch.py: branches through the SDK and infrahubctl against a live
# bough-server: client.branch.create/all/get/validate/merge/rebase/delete,
# data isolated on its branch until merged, the diff as the SDK reads it,
# conflicts blocking a merge until resolved, a schema loaded on a branch
# staying there until merged, the REST endpoints on a branch, and the
# `infrahubctl branch` commands (report included).
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
from datetime import datetime, timezone

import httpx
import pytest
from infrahub_sdk.branch import BranchStatus
from infrahub_sdk.exceptions import BranchNotFoundError, GraphQLError

DIFF_CONFLICTS = """
query Conflicts($branch: String!) {
  DiffTree(branch: $branch) {
    num_conflicts
    nodes {
      uuid
      attributes {
        name
        conflict { uuid base_branch_value diff_branch_value selected_branch }
        properties { property_type conflict { uuid } }
      }
    }
  }
}
"""


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def tag_names(client, branch=None) -> list[str]:
    return sorted(t.name.value for t in client.all(kind="BuiltinTag", branch=branch))


def test_create_all_get(client):
    created = client.branch.create(branch_name="feature/one", description="first", sync_with_git=False)
    assert created.name == "feature/one"
    assert created.description == "first"
    assert created.origin_branch == "main"
    assert created.is_default is False
    assert created.sync_with_git is False
    assert created.has_schema_changes is False
    assert created.status == BranchStatus.OPEN
    assert created.id

    branches = client.branch.all()
    assert set(branches) == {"main", "feature/one"}
    assert [b.name for b in branches.values() if b.is_default] == ["main"]
    assert iso(branches["main"].branched_from) <= iso(created.branched_from)

    got = client.branch.get("feature/one")
    assert got.id == created.id
    assert got.branched_from == created.branched_from
    # the same answer from the branch's own endpoint
    assert client.branch.get("main").is_default is True

    with pytest.raises(BranchNotFoundError):
        client.branch.get("feature/absent")


def test_create_refused(client):
    client.branch.create(branch_name="dup")
    with pytest.raises(GraphQLError, match="dup"):
        client.branch.create(branch_name="dup")
    for bad in ("bad name", "bad~name", "-global-", "trailing/", "a..b"):
        with pytest.raises(GraphQLError, match="name"):
            client.branch.create(branch_name=bad)
    assert set(client.branch.all()) == {"main", "dup"}


def test_create_without_waiting_returns_a_task(client):
    task_id = client.branch.create(branch_name="later", wait_until_completion=False)
    assert isinstance(task_id, str) and task_id
    assert "later" in client.branch.all()
    data = client.execute_graphql(
        query='query($id: String!) { InfrahubTask(ids: [$id]) { count edges { node { id state conclusion branch } } } }',
        variables={"id": task_id},
    )
    assert data["InfrahubTask"]["count"] == 1
    task = data["InfrahubTask"]["edges"][0]["node"]
    assert task == {"id": task_id, "state": "COMPLETED", "conclusion": "success", "branch": "later"}


def test_create_diff(client):
    branch = client.branch.create(branch_name="diffed")
    client.create(kind="BuiltinTag", name="new-tag", branch="diffed").save()
    assert client.create_diff(
        branch="diffed", name="report", from_time=iso(branch.branched_from), to_time=datetime.now(timezone.utc)
    ) is True
    tree = client.get_diff_tree(branch="diffed", name="report")
    assert tree["name"] == "report"
    assert [n["display_label"] for n in tree["nodes"]] == ["new-tag"]
    with pytest.raises(GraphQLError, match="nowhere"):
        client.create_diff(branch="nowhere", name="x", from_time=datetime.now(timezone.utc),
                           to_time=datetime.now(timezone.utc))


def test_data_isolated_until_merge(client):
    client.create(kind="BuiltinTag", name="red", description="main").save()
    client.branch.create(branch_name="work")

    client.create(kind="BuiltinTag", name="green", branch="work").save()
    red = client.get(kind="BuiltinTag", name__value="red", branch="work")
    red.description.value = "changed on work"
    red.save()

    assert tag_names(client) == ["red"]
    assert tag_names(client, branch="work") == ["green", "red"]
    assert client.get(kind="BuiltinTag", name__value="red").description.value == "main"

    diff = {d["display_label"]: d for d in client.get_diff_summary(branch="work")}
    assert diff["green"]["action"] == "ADDED"
    assert diff["green"]["kind"] == "BuiltinTag"
    assert diff["red"]["action"] == "UPDATED"
    [element] = [e for e in diff["red"]["elements"] if e["name"] == "description"]
    assert element["element_type"] == "ATTRIBUTE"
    assert element["summary"]["updated"] == 1

    tree = client.get_diff_tree(branch="work")
    assert tree["base_branch"] == "main" and tree["diff_branch"] == "work"
    assert tree["num_added"] == 1 and tree["num_updated"] == 1 and tree["num_conflicts"] == 0
    assert iso(tree["from_time"]) <= iso(tree["to_time"])

    assert client.branch.validate("work") is True
    assert client.branch.merge("work") is True
    assert tag_names(client) == ["green", "red"]
    assert client.get(kind="BuiltinTag", name__value="red").description.value == "changed on work"

    # a merged branch is read-only
    merged = client.branch.get("work")
    assert merged.status == BranchStatus.MERGED
    with pytest.raises(GraphQLError, match="work"):
        client.create(kind="BuiltinTag", name="late", branch="work").save()


def test_rebase(client):
    branch = client.branch.create(branch_name="behind")
    client.create(kind="BuiltinTag", name="on-main").save()
    assert tag_names(client, branch="behind") == []

    assert client.branch.rebase("behind") is True
    assert tag_names(client, branch="behind") == ["on-main"]
    assert iso(client.branch.get("behind").branched_from) > iso(branch.branched_from)


def test_delete(client):
    client.branch.create(branch_name="doomed")
    client.create(kind="BuiltinTag", name="only-there", branch="doomed").save()
    assert client.branch.delete("doomed") is True
    assert "doomed" not in client.branch.all()
    with pytest.raises(BranchNotFoundError):
        client.branch.get("doomed")
    with pytest.raises(GraphQLError, match="doomed"):
        client.branch.delete("doomed")
    with pytest.raises(GraphQLError, match="main"):
        client.branch.delete("main")
    assert tag_names(client) == []


def test_conflict_blocks_merge_until_resolved(client):
    client.create(kind="BuiltinTag", name="shared", description="base").save()
    client.branch.create(branch_name="fight")

    on_branch = client.get(kind="BuiltinTag", name__value="shared", branch="fight")
    on_branch.description.value = "branch side"
    on_branch.save()
    on_main = client.get(kind="BuiltinTag", name__value="shared")
    on_main.description.value = "main side"
    on_main.save()

    assert client.branch.validate("fight") is False
    with pytest.raises(GraphQLError, match="description"):
        client.branch.merge("fight")
    assert client.get(kind="BuiltinTag", name__value="shared").description.value == "main side"

    data = client.execute_graphql(query=DIFF_CONFLICTS, variables={"branch": "fight"})
    assert data["DiffTree"]["num_conflicts"] == 1
    [node] = data["DiffTree"]["nodes"]
    [attribute] = [a for a in node["attributes"] if a["name"] == "description"]
    conflict = attribute["conflict"] or next(p["conflict"] for p in attribute["properties"] if p["conflict"])
    assert conflict["selected_branch"] is None

    resolved = client.execute_graphql(
        query='mutation($id: String!) { ResolveDiffConflict(data: {conflict_id: $id, selected_branch: DIFF_BRANCH}) { ok } }',
        variables={"id": conflict["uuid"]},
    )
    assert resolved["ResolveDiffConflict"]["ok"] is True
    assert client.branch.validate("fight") is True
    assert client.branch.merge("fight") is True
    assert client.get(kind="BuiltinTag", name__value="shared").description.value == "branch side"


def test_schema_on_branch_stays_until_merge(client, base_schemas):
    client.branch.create(branch_name="schema-work")
    response = client.schema.load(schemas=base_schemas, branch="schema-work")
    assert not response.errors, response.errors

    assert client.branch.get("schema-work").has_schema_changes is True
    on_branch = {n.kind for n in client.schema.all(branch="schema-work", refresh=True).values()}
    on_main = {n.kind for n in client.schema.all(branch="main", refresh=True).values()}
    assert "DcimDevice" in on_branch
    assert "DcimDevice" not in on_main

    client.create(kind="OrganizationManufacturer", name="Juniper", branch="schema-work").save()
    assert client.branch.merge("schema-work") is True
    on_main = {n.kind for n in client.schema.all(branch="main", refresh=True).values()}
    assert "DcimDevice" in on_main
    assert [m.name.value for m in client.all(kind="OrganizationManufacturer")] == ["Juniper"]


def test_rest_endpoints_on_a_branch(client, server):
    client.branch.create(branch_name="rest")
    client.create(kind="BuiltinTag", name="branch-only", branch="rest").save()
    client.create(kind="CoreGraphQLQuery", name="tags", branch="rest",
                  query="query tags { BuiltinTag { count } }").save()

    with httpx.Client(
        base_url=server.address, timeout=30, headers={"X-INFRAHUB-KEY": server.token}
    ) as http:
        for path in ("/api/schema", "/api/schema/summary", "/api/schema/BuiltinTag",
                     "/api/schema/json_schema/BuiltinTag", "/api/menu", "/api/info", "/api/config"):
            answer = http.get(path, params={"branch": "rest"})
            assert answer.status_code == 200, (path, answer.text)
        answer = http.post("/api/query/tags", params={"branch": "rest"}, json={})
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["BuiltinTag"]["count"] == 1
        # the stored query lives on the branch only
        assert http.post("/api/query/tags", json={}).status_code == 404
        answer = http.post("/graphql/rest", json={"query": "{ BuiltinTag { count } }"})
        assert answer.json()["data"]["BuiltinTag"]["count"] == 1

        assert client.branch.delete("rest") is True
        assert http.get("/api/schema", params={"branch": "rest"}).status_code == 400
        assert http.post("/graphql/rest", json={"query": "{ BuiltinTag { count } }"}).status_code in (400, 404)


def test_infrahubctl_branch(infrahubctl, client):
    created = infrahubctl("branch", "create", "cli-branch", "--description", "from the cli")
    assert created.returncode == 0, created.stdout + created.stderr
    assert "created successfully" in created.stdout
    assert client.branch.get("cli-branch").description == "from the cli"

    listed = infrahubctl("branch", "list")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "cli-branch" in listed.stdout and "main" in listed.stdout

    client.create(kind="BuiltinTag", name="from-cli-branch", branch="cli-branch").save()
    report = infrahubctl("branch", "report", "cli-branch", "--update-diff")
    assert report.returncode == 0, report.stdout + report.stderr
    lines = {" ".join(line.split()[:-1]): line.split()[-1] for line in report.stdout.splitlines() if line.strip()}
    assert lines.get("Amount of additions") == "1", report.stdout
    assert lines.get("Amount of conflicts") == "0", report.stdout
    assert lines.get("Git files changed") == "No", report.stdout
    for command in ("validate", "rebase", "merge"):
        result = infrahubctl("branch", command, "cli-branch")
        assert result.returncode == 0, (command, result.stdout + result.stderr)
    assert tag_names(client) == ["from-cli-branch"]

    deleted = infrahubctl("branch", "delete", "cli-branch")
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    assert "cli-branch" not in client.branch.all()

    missing = infrahubctl("branch", "merge", "no-such-branch")
    assert "no-such-branch" in missing.stdout + missing.stderr
