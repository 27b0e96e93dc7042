# test_schema.py: the schema API through the official SDK: read a fresh
# server's schema, load the schema library's base/, check, refuse bad input.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import httpx
import pytest
from infrahub_sdk.exceptions import SchemaNotFoundError
from infrahub_sdk.schema import GenericSchemaAPI, NodeSchemaAPI

BAD_SCHEMA = {
    "version": "1.0",
    "nodes": [
        {
            "name": "Broken",
            "namespace": "Testing",
            "attributes": [{"name": "size", "kind": "Gigantic"}],
        }
    ],
}


def kinds_of(schemas: list[dict]) -> set[str]:
    kinds = set()
    for schema in schemas:
        for element in schema.get("nodes", []) + schema.get("generics", []):
            kinds.add(element["namespace"] + element["name"])
    return kinds


def test_all_on_fresh_server(client):
    schemas = client.schema.all()
    assert isinstance(schemas["BuiltinTag"], NodeSchemaAPI)
    assert isinstance(schemas["CoreNode"], GenericSchemaAPI)
    assert "CoreAccount" in schemas
    tag = schemas["BuiltinTag"]
    assert [a.name for a in tag.attributes if a.name == "name"] == ["name"]


def test_get(client):
    tag = client.schema.get(kind="BuiltinTag")
    assert tag.kind == "BuiltinTag"
    assert tag.human_friendly_id
    with pytest.raises(SchemaNotFoundError):
        client.schema.get(kind="TestingNoSuchKind")


def test_unknown_branch(client):
    with pytest.raises(Exception) as info:
        client.schema.all(branch="no-such-branch")
    if isinstance(info.value, httpx.HTTPStatusError):
        assert info.value.response.status_code == 400


def test_load_base(client, base_schemas):
    expected = kinds_of(base_schemas)
    response = client.schema.load(schemas=base_schemas)
    assert not response.errors
    assert response.schema_updated

    schemas = client.schema.all(refresh=True)
    missing = expected - set(schemas)
    assert not missing, f"loaded kinds absent from /api/schema: {sorted(missing)}"
    assert response.hash == client.schema.cache[client.default_branch].hash

    again = client.schema.load(schemas=base_schemas)
    assert not again.errors
    assert not again.schema_updated
    assert again.hash == response.hash


def test_check(client, base_schemas):
    valid, body = client.schema.check(schemas=base_schemas)
    assert valid
    assert set(body["diff"]["added"]) >= kinds_of(base_schemas)

    client.schema.load(schemas=base_schemas)
    valid, body = client.schema.check(schemas=base_schemas)
    assert valid
    assert body == {"diff": {"added": {}, "changed": {}, "removed": {}}}


def test_load_invalid(client):
    before = client.schema.all()
    response = client.schema.load(schemas=[BAD_SCHEMA])
    assert response.errors
    messages = [e["message"] for e in response.errors["errors"]]
    assert any("Gigantic" in m for m in messages), messages
    assert not response.schema_updated

    valid, body = client.schema.check(schemas=[BAD_SCHEMA])
    assert not valid
    assert "Gigantic" in body["errors"][0]["message"]

    after = client.schema.all(refresh=True)
    assert set(after) == set(before)
    assert "TestingBroken" not in after
