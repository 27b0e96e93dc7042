# test_malformed.py: malformed requests sent as raw HTTP to a live
# bough-server (broken JSON, broken GraphQL, wrong variable types, unknown
# kinds, a huge body, deep nesting): each gets a clear error in the GraphQL
# error shape, changes nothing, and leaves the server serving.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import json

import httpx
import pytest
from infrahub_sdk.exceptions import GraphQLError

COUNT = "{ BuiltinTag { count } }"
CREATE = 'mutation { BuiltinTagCreate(data: {name: {value: "fresh"}}) { ok object { id } } }'


@pytest.fixture
def http(server, client, base_schemas):
    """An httpx client on the server, once base/ is loaded and one tag exists."""
    assert not client.schema.load(schemas=base_schemas).errors
    client.create(kind="BuiltinTag", name="existing").save()
    with httpx.Client(
        base_url=server.address, timeout=60, headers={"X-INFRAHUB-KEY": server.token}
    ) as h:
        yield h


def post(http, body, path="/graphql/main", **kwargs):
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    return http.post(path, content=body, headers={"content-type": "application/json"}, **kwargs)


def error_of(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["data"] is None
    assert body["errors"], body
    message = body["errors"][0]["message"]
    assert isinstance(message, str) and message
    return body["errors"][0]


def assert_unchanged(http):
    """The server still answers, and holds exactly the one tag it had."""
    response = post(http, {"query": "{ BuiltinTag { count edges { node { name { value } } } } }"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]["BuiltinTag"]
    assert data["count"] == 1
    assert data["edges"][0]["node"]["name"]["value"] == "existing"


@pytest.mark.parametrize("body", [
    b'{"query": "' + CREATE.replace('"', '\\"').encode() + b'"',   # unterminated object
    b"{query: 1}",
    b"",
    b"\xff\xfe{}",
    b'[{"query": "{ __typename }"}]',
    b'{"query": 42}',
    b'{"variables": {}}',
    b'{"query": "{ __typename }", "variables": [1]}',
])
def test_broken_json(http, body):
    error = error_of(post(http, body), 400)
    assert error["extensions"]["code"] == 400
    assert_unchanged(http)


def test_broken_graphql(http):
    for query in ("mutation { BuiltinTagCreate(data: {name: {value: \"x\"}}) { ok ",
                  "mutation { BuiltinTagCreate(data: {name: {value: \"x}}) { ok } }",
                  "{ BuiltinTag { count } } }",
                  "query Q { a } query Q { b }"):
        response = post(http, {"query": query})
        error = error_of(response, 200)
        if "Syntax Error" in error["message"]:
            assert error["locations"][0]["line"] == 1
    assert_unchanged(http)


def test_wrong_variable_types(http):
    mutation = ("mutation ($n: String!) "
                "{ BuiltinTagCreate(data: {name: {value: $n}}) { ok } }")
    for variables in ({"n": 5}, {"n": None}, {}, {"n": ["x"]}):
        error = error_of(post(http, {"query": mutation, "variables": variables}), 200)
        assert "$n" in error["message"]
    # A literal of the wrong type is a validation error.
    error = error_of(post(http, {"query": "{ BuiltinTag(limit: \"ten\") { count } }"}), 200)
    assert "Int" in error["message"]
    # A wrong attribute value type inside the input object.
    bad_value = 'mutation { BuiltinTagCreate(data: {name: {value: 12}}) { ok } }'
    body = post(http, {"query": bad_value}).json()
    assert body["errors"]
    assert_unchanged(http)


def test_unknown_kind(http, client):
    error = error_of(post(http, {"query": "{ NoSuchKind { count } }"}), 200)
    assert "NoSuchKind" in error["message"]
    error = error_of(post(http, {"query": 'mutation { NoSuchKindCreate(data: {name: {value: "x"}}) { ok } }'}), 200)
    assert "NoSuchKindCreate" in error["message"]
    error = error_of(post(http, {"query": "{ BuiltinTag { count nope } }"}), 200)
    assert '"nope"' in error["message"]
    # The SDK turns such an answer into a GraphQLError.
    with pytest.raises(GraphQLError) as info:
        client.execute_graphql(query="{ NoSuchKind { count } }")
    assert "NoSuchKind" in str(info.value)
    assert_unchanged(http)


def test_unknown_branch(http):
    error = error_of(post(http, {"query": CREATE}, path="/graphql/no-such-branch"), 400)
    assert "no-such-branch" in error["message"]
    assert_unchanged(http)


def test_huge_body(http):
    filler = "a" * (64 * 1024 * 1024)
    body = json.dumps({"query": CREATE, "variables": {"x": filler}})
    error = error_of(post(http, body), 413)
    assert "limit" in error["message"]
    huge_query = "{ BuiltinTag { count } }" + " " * (8 * 1024 * 1024) + "# end"
    response = post(http, {"query": huge_query})
    assert response.status_code in (200, 400, 413), response.text
    assert response.json()["errors"]
    assert_unchanged(http)


def test_deep_graphql_nesting(http):
    for depth in (100, 5000):
        query = ("{ BuiltinTag { edges { node { "
                 + "member_of_groups { edges { node { " * depth + "id"
                 + " } } }" * depth + " } } } }")
        error = error_of(post(http, {"query": query}), 200)
        assert "deep" in error["message"]
    nested_value = "{ BuiltinTag(name__values: " + "[" * 10000 + "]" * 10000 + ") { count } }"
    error_of(post(http, {"query": nested_value}), 200)
    assert_unchanged(http)


def test_deep_json_nesting(http):
    deep = "[" * 200000 + "]" * 200000
    body = '{"query": "{ BuiltinTag { count } }", "variables": {"v": ' + deep + "}}"
    error = error_of(post(http, body), 400)
    assert "nesting" in error["message"]

    schema_body = '{"schemas": [' + deep + "]}"
    response = http.post("/api/schema/load?branch=main", content=schema_body,
                         headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert "nesting" in response.text
    assert_unchanged(http)


def test_integer_out_of_range(http):
    # json-glib would wrap 2**64 - 1 to -1 and store it: refused instead.
    body = json.dumps({"query": CREATE, "variables": {"v": 2**64 - 1}})
    error = error_of(post(http, body), 400)
    assert "18446744073709551615" in error["message"]
    assert "64 bits" in error["message"]
    assert_unchanged(http)


def test_failed_mutation_writes_nothing(http):
    # A create breaking the uniqueness of the name, next to one that is
    # fine: the failing field writes nothing and the error names its path.
    query = ('mutation { a: BuiltinTagCreate(data: {name: {value: "existing"}}) { ok } '
             'b: BuiltinTagCreate(data: {name: {value: "other"}}) { ok } }')
    response = post(http, {"query": query})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [e["path"] for e in body["errors"]] == [["a"]]
    assert body["data"]["b"]["ok"] is True
    names = post(http, {"query": "{ BuiltinTag(name__value: \"existing\") { count } }"})
    assert names.json()["data"]["BuiltinTag"]["count"] == 1
