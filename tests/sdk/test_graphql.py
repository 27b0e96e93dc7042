# test_graphql.py: node operations through the SDK's GraphQL queries
# against a live bough-server holding the schema library's base/: create
# and save, get by id and hfid, all with pagination, filters (attribute and
# relationship), update, upsert, delete, relationship add/remove, and a
# batch of 1,000 creates.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import pytest
from infrahub_sdk.exceptions import GraphQLError, NodeNotFoundError
from infrahub_sdk.timestamp import Timestamp


@pytest.fixture
def loaded(client, base_schemas):
    """The client, once the schema library's base/ is loaded."""
    response = client.schema.load(schemas=base_schemas)
    assert not response.errors, response.errors
    return client


def make(client, kind, **data):
    node = client.create(kind=kind, **data)
    node.save()
    assert node.id
    return node


def test_create_get_by_id_and_hfid(loaded):
    tag = make(loaded, "BuiltinTag", name="blue", description="sky")
    got = loaded.get(kind="BuiltinTag", id=tag.id)
    assert got.id == tag.id
    assert got.name.value == "blue"
    assert got.description.value == "sky"
    assert got.hfid == ["blue"]

    by_hfid = loaded.get(kind="BuiltinTag", hfid=["blue"])
    assert by_hfid.id == tag.id

    maker = make(loaded, "OrganizationManufacturer", name="Juniper")
    assert loaded.get(kind="OrganizationManufacturer", hfid=["Juniper"]).id == maker.id
    # A generic answers with the concrete kind of its members.
    generic = loaded.get(kind="OrganizationGeneric", id=maker.id)
    assert generic.get_kind() == "OrganizationManufacturer"

    with pytest.raises(NodeNotFoundError):
        loaded.get(kind="BuiltinTag", hfid=["no-such-tag"])
    assert loaded.get(kind="BuiltinTag", name__value="nope", raise_when_missing=False) is None


def test_all_with_pagination(loaded):
    names = [f"tag-{i:03d}" for i in range(25)]
    for name in names:
        make(loaded, "BuiltinTag", name=name)

    # A page size smaller than the set makes the SDK walk several pages.
    loaded.pagination_size = 7
    tags = loaded.all(kind="BuiltinTag")
    assert sorted(t.name.value for t in tags) == names
    assert len({t.id for t in tags}) == len(names)

    page = loaded.all(kind="BuiltinTag", offset=5, limit=4)
    assert len(page) == 4
    assert loaded.count(kind="BuiltinTag") == len(names)


def test_filters(loaded):
    cisco = make(loaded, "OrganizationManufacturer", name="Cisco")
    arista = make(loaded, "OrganizationManufacturer", name="Arista")
    ios = make(loaded, "DcimPlatform", name="ios", manufacturer=cisco)
    nxos = make(loaded, "DcimPlatform", name="nxos", manufacturer=cisco)
    eos = make(loaded, "DcimPlatform", name="eos", manufacturer=arista)

    found = loaded.filters(kind="DcimPlatform", name__value="eos")
    assert [p.id for p in found] == [eos.id]

    by_peer = loaded.filters(kind="DcimPlatform", manufacturer__name__value="Cisco")
    assert sorted(p.id for p in by_peer) == sorted([ios.id, nxos.id])

    both = loaded.filters(
        kind="DcimPlatform", name__value="nxos", manufacturer__name__value="Cisco"
    )
    assert [p.id for p in both] == [nxos.id]
    assert loaded.filters(
        kind="DcimPlatform", name__value="eos", manufacturer__name__value="Cisco"
    ) == []

    values = loaded.filters(kind="DcimPlatform", name__values=["ios", "eos"])
    assert sorted(p.name.value for p in values) == ["eos", "ios"]

    by_ids = loaded.filters(kind="DcimPlatform", manufacturer__ids=[arista.id])
    assert [p.id for p in by_ids] == [eos.id]

    # The cardinality-one relationship reads back as the peer.
    platform = loaded.get(kind="DcimPlatform", id=ios.id)
    assert platform.manufacturer.id == cisco.id
    platform.manufacturer.fetch()
    assert platform.manufacturer.peer.name.value == "Cisco"


def test_update(loaded):
    tag = make(loaded, "BuiltinTag", name="red", description="first")
    tag.description.value = "second"
    tag.save()

    got = loaded.get(kind="BuiltinTag", id=tag.id)
    assert got.description.value == "second"
    got.name.value = "crimson"
    got.save()

    again = loaded.get(kind="BuiltinTag", id=tag.id)
    assert again.name.value == "crimson"
    assert again.description.value == "second"
    assert loaded.get(kind="BuiltinTag", hfid=["crimson"]).id == tag.id
    assert loaded.filters(kind="BuiltinTag", name__value="red") == []


def test_upsert(loaded):
    first = loaded.create(kind="BuiltinTag", name="green", description="one")
    first.save(allow_upsert=True)
    assert first.id

    second = loaded.create(kind="BuiltinTag", name="green", description="two")
    second.save(allow_upsert=True)
    assert second.id == first.id

    tags = loaded.filters(kind="BuiltinTag", name__value="green")
    assert [t.id for t in tags] == [first.id]
    assert tags[0].description.value == "two"
    assert loaded.count(kind="BuiltinTag") == 1

    # An upsert of another name creates a new node.
    other = loaded.create(kind="BuiltinTag", name="yellow")
    other.save(allow_upsert=True)
    assert other.id != first.id
    assert loaded.count(kind="BuiltinTag") == 2


def test_delete(loaded):
    keep = make(loaded, "BuiltinTag", name="keep")
    gone = make(loaded, "BuiltinTag", name="gone")
    gone.delete()

    with pytest.raises(NodeNotFoundError):
        loaded.get(kind="BuiltinTag", id=gone.id)
    assert [t.id for t in loaded.all(kind="BuiltinTag")] == [keep.id]


def test_relationship_add_remove(loaded):
    tags = [make(loaded, "BuiltinTag", name=n) for n in ("a", "b", "c")]
    maker = make(loaded, "OrganizationManufacturer", name="Nokia", tags=[tags[0]])

    got = loaded.get(kind="OrganizationManufacturer", id=maker.id)
    assert [p.id for p in got.tags.peers] == [tags[0].id]

    got.tags.add(tags[1])
    got.tags.add(tags[2])
    got.save()
    again = loaded.get(kind="OrganizationManufacturer", id=maker.id)
    assert sorted(p.id for p in again.tags.peers) == sorted(t.id for t in tags)

    again.tags.remove(tags[0])
    again.save()
    last = loaded.get(kind="OrganizationManufacturer", id=maker.id)
    assert sorted(p.id for p in last.tags.peers) == sorted([tags[1].id, tags[2].id])

    # The filter on the many relationship sees the change.
    assert loaded.filters(kind="OrganizationManufacturer", tags__name__value="a") == []
    hits = loaded.filters(kind="OrganizationManufacturer", tags__name__value="b")
    assert [m.id for m in hits] == [maker.id]


def test_relationship_add_remove_mutations(loaded):
    tags = [make(loaded, "BuiltinTag", name=n) for n in ("x", "y")]
    maker = make(loaded, "OrganizationManufacturer", name="Dell")
    # The SDK's add_relationships/remove_relationships send RelationshipAdd
    # and RelationshipRemove.
    maker.add_relationships(relation_to_update="tags", related_nodes=[t.id for t in tags])
    got = loaded.get(kind="OrganizationManufacturer", id=maker.id)
    assert sorted(p.id for p in got.tags.peers) == sorted(t.id for t in tags)

    maker.remove_relationships(relation_to_update="tags", related_nodes=[tags[0].id])
    got = loaded.get(kind="OrganizationManufacturer", id=maker.id)
    assert [p.id for p in got.tags.peers] == [tags[1].id]


def test_batch_of_1000_creates(loaded):
    batch = loaded.create_batch()
    for i in range(1000):
        node = loaded.create(kind="BuiltinTag", name=f"batch-{i:04d}")
        batch.add(task=node.save, node=node)
    ids = set()
    for node, _ in batch.execute():
        assert node.id
        ids.add(node.id)
    assert len(ids) == 1000
    assert loaded.count(kind="BuiltinTag") == 1000
    assert len(loaded.filters(kind="BuiltinTag", name__value="batch-0999")) == 1


def test_branch_read(client):
    branches = client.branch.all()
    assert list(branches) == ["main"]
    main = client.branch.get("main")
    assert main.is_default
    assert main.branched_from
    assert main.status == "OPEN"


def test_get_by_default_filter(loaded):
    # BuiltinTag's default_filter is name__value: a non-UUID id uses it.
    tag = make(loaded, "BuiltinTag", name="violet")
    assert loaded.get(kind="BuiltinTag", id="violet").id == tag.id


def test_one_relationship_update_clear_and_time_travel(loaded):
    cisco = make(loaded, "OrganizationManufacturer", name="Cisco")
    arista = make(loaded, "OrganizationManufacturer", name="Arista")
    platform = make(loaded, "DcimPlatform", name="ios", manufacturer=cisco)
    before = Timestamp()

    node = loaded.get(kind="DcimPlatform", id=platform.id)
    node.manufacturer = arista
    node.save()
    assert loaded.get(kind="DcimPlatform", id=platform.id).manufacturer.id == arista.id
    # The past is still readable with at=.
    past = loaded.get(kind="DcimPlatform", id=platform.id, at=before)
    assert past.manufacturer.id == cisco.id

    node = loaded.get(kind="DcimPlatform", id=platform.id)
    node.manufacturer = None
    node.save()
    assert loaded.get(kind="DcimPlatform", id=platform.id).manufacturer.id is None
    assert loaded.filters(kind="DcimPlatform", manufacturer__name__value="Arista") == []


def test_upsert_by_hfid_with_relationship(loaded):
    arista = make(loaded, "OrganizationManufacturer", name="Arista")
    first = loaded.create(kind="DcimPlatform", name="eos", manufacturer=arista, napalm_driver="eos")
    first.save(allow_upsert=True)
    second = loaded.create(kind="DcimPlatform", name="eos", manufacturer=arista, napalm_driver="eos2")
    second.save(allow_upsert=True)
    assert second.id == first.id
    assert loaded.count(kind="DcimPlatform") == 1
    assert loaded.get(kind="DcimPlatform", id=first.id).napalm_driver.value == "eos2"


def test_generic_include_prefetch(loaded):
    arista = make(loaded, "OrganizationManufacturer", name="Arista")
    make(loaded, "OrganizationProvider", name="Lumen")
    make(loaded, "DcimPlatform", name="eos", manufacturer=arista)

    members = loaded.all(kind="OrganizationGeneric")
    assert sorted((m.get_kind(), m.name.value) for m in members) == [
        ("OrganizationManufacturer", "Arista"), ("OrganizationProvider", "Lumen")]

    got = loaded.get(kind="OrganizationManufacturer", id=arista.id, include=["platform"])
    assert [p.display_label for p in got.platform.peers] == ["eos"]
    eos = loaded.get(kind="DcimPlatform", name__value="eos", prefetch_relationships=True)
    assert eos.manufacturer.peer.name.value == "Arista"


def test_refused_writes_change_nothing(loaded):
    arista = make(loaded, "OrganizationManufacturer", name="Arista")
    make(loaded, "DcimDeviceType", name="7050", manufacturer=arista)
    cases = [
        (lambda: arista.delete(), "mandatory"),
        (lambda: loaded.create(kind="DcimPlatform", name="x",
                               manufacturer={"hfid": ["Nope"]}).save(), "Nope"),
        (lambda: loaded.create(kind="OrganizationManufacturer", name="Arista").save(),
         "already used"),
        (lambda: loaded.create(kind="DcimDeviceType", name="x").save(), "mandatory"),
    ]
    for action, words in cases:
        with pytest.raises(GraphQLError) as info:
            action()
        assert words in info.value.errors[0]["message"]
    assert loaded.count(kind="DcimPlatform") == 0
    assert loaded.count(kind="OrganizationManufacturer") == 1
    assert loaded.count(kind="DcimDeviceType") == 1
    assert loaded.get(kind="OrganizationManufacturer", id=arista.id).name.value == "Arista"
