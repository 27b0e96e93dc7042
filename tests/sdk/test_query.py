# test_query.py: stored GraphQL queries through the SDK: a CoreGraphQLQuery
# saved with its read-only fields filled from its text, a broken text
# refused, and client.query_gql_query() running it through /api/query.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import httpx
import pytest
from infrahub_sdk.exceptions import GraphQLError

TAGS_QUERY = """
query tags($name: String!) {
  BuiltinTag(name__value: $name) {
    count
    edges { node { id name { value } } }
  }
}
"""


def test_stored_query(client):
    for name in ("red", "blue"):
        client.create(kind="BuiltinTag", name=name).save()
    query = client.create(kind="CoreGraphQLQuery", name="tags", query=TAGS_QUERY)
    query.save()

    stored = client.get(kind="CoreGraphQLQuery", id=query.id)
    assert stored.models.value == ["BuiltinTag"]
    assert stored.operations.value == [{"name": "tags", "operation": "query"}]
    assert [v["name"] for v in stored.variables.value] == ["name"]
    assert stored.depth.value == 5
    assert stored.height.value == 7

    result = client.query_gql_query(name="tags", variables={"name": "red"})
    assert result["data"]["BuiltinTag"]["count"] == 1
    assert result["data"]["BuiltinTag"]["edges"][0]["node"]["name"]["value"] == "red"

    # by id too
    result = client.query_gql_query(name=query.id, variables={"name": "blue"})
    assert result["data"]["BuiltinTag"]["count"] == 1


def test_stored_query_errors(client):
    broken = client.create(kind="CoreGraphQLQuery", name="broken", query="query { BuiltinTag { count ")
    with pytest.raises(GraphQLError, match="Syntax Error"):
        broken.save()
    invalid = client.create(kind="CoreGraphQLQuery", name="invalid", query="{ BuiltinTag { nosuch } }")
    with pytest.raises(GraphQLError, match="nosuch"):
        invalid.save()
    assert client.all(kind="CoreGraphQLQuery") == []

    with pytest.raises(httpx.HTTPStatusError) as unknown:
        client.query_gql_query(name="no-such-query")
    assert unknown.value.response.status_code == 404

    client.create(kind="CoreGraphQLQuery", name="tags", query=TAGS_QUERY).save()
    with pytest.raises(httpx.HTTPStatusError) as missing:
        client.query_gql_query(name="tags")
    assert missing.value.response.status_code == 422
    assert "$name" in missing.value.response.json()["errors"][0]["message"]

    with pytest.raises(httpx.HTTPStatusError) as group:
        client.query_gql_query(name="tags", variables={"name": "red"}, update_group=True)
    assert group.value.response.status_code == 501
