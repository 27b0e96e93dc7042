# test_order.py: the order of infrahub-sdk 1.22+ (Order.by with
# OrderByEntry fields and directions, and the deprecated node_metadata
# form) through client.all(), paged by the SDK, against a live server.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import warnings

import pytest
from infrahub_sdk.enums import OrderDirection
from infrahub_sdk.exceptions import GraphQLError
from infrahub_sdk.types import NodeMetaOrder, Order, OrderByEntry

# more than the SDK's page of 50, so that the listing is read in pages
N_TAGS = 60


@pytest.fixture
def tags(client):
    # made in an order unlike their names', with descriptions that tie
    names = [f"tag{(i * 37) % N_TAGS:02d}" for i in range(N_TAGS)]
    for i, name in enumerate(names):
        client.create(kind="BuiltinTag", name=name, description=f"d{i % 3}").save()
    return names


def names_of(nodes):
    return [node.name.value for node in nodes]


def test_order_by_name(client, tags):
    desc = Order(by=[OrderByEntry(field="name__value", direction=OrderDirection.DESC)])
    asc = Order(by=[OrderByEntry(field="name__value")])
    assert names_of(client.all(kind="BuiltinTag", order=desc)) == sorted(tags, reverse=True)
    assert names_of(client.all(kind="BuiltinTag", order=asc)) == sorted(tags)


def test_order_by_two_fields(client, tags):
    order = Order(
        by=[
            OrderByEntry(field="description__value", direction=OrderDirection.DESC),
            OrderByEntry(field="name__value", direction=OrderDirection.ASC),
        ]
    )
    got = client.all(kind="BuiltinTag", order=order)
    expected = sorted(
        ((f"d{i % 3}", name) for i, name in enumerate(tags)), key=lambda t: (-int(t[0][1]), t[1])
    )
    assert [(node.description.value, node.name.value) for node in got] == expected


def test_order_by_creation(client, tags):
    newest_first = Order(by=[OrderByEntry(field="node_metadata__created_at", direction=OrderDirection.DESC)])
    assert names_of(client.all(kind="BuiltinTag", order=newest_first)) == list(reversed(tags))
    # the deprecated form means the same
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old = Order(node_metadata=NodeMetaOrder(created_at=OrderDirection.DESC))
    assert names_of(client.all(kind="BuiltinTag", order=old)) == list(reversed(tags))
    assert names_of(client.all(kind="BuiltinTag", order=Order(disable=True))) == tags


def test_order_by_change_time(client, tags):
    first = client.get(kind="BuiltinTag", name__value=tags[0])
    first.description.value = "changed"
    first.save()
    latest_first = Order(by=[OrderByEntry(field="node_metadata__updated_at", direction=OrderDirection.DESC)])
    got = names_of(client.all(kind="BuiltinTag", order=latest_first))
    assert got[0] == tags[0]
    assert sorted(got) == sorted(tags)


def test_order_unknown_field(client, tags):
    bad = Order(by=[OrderByEntry(field="colour__value")])
    with pytest.raises(GraphQLError) as info:
        client.all(kind="BuiltinTag", order=bad)
    assert "colour" in str(info.value)
