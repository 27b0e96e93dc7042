# test_hierarchy.py: hierarchies, metadata and stored-query operations through the SDK: the
# schema library's location tree (base/ plus extensions/location_minimal), get() with the
# hierarchy fields included, parent__ids, include_metadata, and a stored query with several
# operations run by name.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import pytest
import yaml


@pytest.fixture
def locations(client, base_schemas, schema_library):
    """The client with the location tree loaded and France > Paris > PAR1 > R1 made."""
    path = schema_library / "extensions" / "location_minimal" / "location_minimal.yml"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    response = client.schema.load(schemas=base_schemas + [yaml.safe_load(path.read_text())])
    assert not response.errors, response.errors
    made = {}
    parent = None
    for kind, name, short in (("LocationCountry", "France", "FR"), ("LocationMetro", "Paris", "PAR"),
                              ("LocationSite", "Paris 1", "PAR1"), ("LocationRack", "R1", "R1")):
        data = {"name": name, "shortname": short}
        if parent is not None:
            data["parent"] = parent
        node = client.create(kind=kind, **data)
        node.save()
        made[short] = node
        parent = node
    return client, made


def test_hierarchy_fields(locations):
    client, made = locations
    site = client.get(kind="LocationSite", id=made["PAR1"].id,
                      include=["parent", "children", "ancestors", "descendants"])
    assert site.parent.id == made["PAR"].id
    assert [peer.id for peer in site.children.peers] == [made["R1"].id]
    assert {peer.id for peer in site.ancestors.peers} == {made["FR"].id, made["PAR"].id}
    assert [peer.id for peer in site.descendants.peers] == [made["R1"].id]

    country = client.get(kind="LocationCountry", id=made["FR"].id, include=["descendants"])
    assert {peer.id for peer in country.descendants.peers} == {made["PAR"].id, made["PAR1"].id, made["R1"].id}

    sites = client.filters(kind="LocationSite", parent__ids=[made["PAR"].id])
    assert [node.id for node in sites] == [made["PAR1"].id]


def test_include_metadata(locations):
    client, made = locations
    rack = client.get(kind="LocationRack", id=made["R1"].id, include_metadata=True)
    metadata = rack.get_node_metadata()
    assert metadata is not None
    assert metadata.created_at and metadata.updated_at
    # the admin's API token made it
    assert metadata.created_by is not None
    assert metadata.created_by.id == client.execute_graphql(query="{ AccountProfile { id } }")["AccountProfile"]["id"]
    assert rack.name.updated_at


def test_stored_query_operations(locations):
    client, made = locations
    text = """
    query countries { LocationCountry { count } }
    query sites($name: String!) { LocationSite(name__value: $name) { count edges { node { id } } } }
    """
    client.create(kind="CoreGraphQLQuery", name="two", query=text).save()
    result = client.query_gql_query(name="two", params={"operation_name": "sites"}, variables={"name": "Paris 1"})
    assert result["data"]["LocationSite"]["edges"][0]["node"]["id"] == made["PAR1"].id
    result = client.query_gql_query(name="two", params={"operation_name": "countries"})
    assert result["data"]["LocationCountry"]["count"] == 1
