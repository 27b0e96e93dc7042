# test_object_store.py: the SDK's object store (client.object_store) against
# Bough: upload() of text answers the identifier and MD5 checksum, get()
# gives the text back, errors surface as the SDK raises them.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import hashlib

import httpx
import pytest
from infrahub_sdk import Config, InfrahubClientSync
from infrahub_sdk.exceptions import AuthenticationError


def test_upload_and_get(client):
    content = "hostname router-1\ninterface eth0\n  description uplink ✓\n"
    answer = client.object_store.upload(content=content)
    data = content.encode("utf-8")
    assert answer["identifier"] == hashlib.sha256(data).hexdigest()
    assert answer["checksum"] == hashlib.md5(data).hexdigest()
    assert client.object_store.get(identifier=answer["identifier"]) == content

    # the same content again: the same object
    assert client.object_store.upload(content=content)["identifier"] == answer["identifier"]


def test_get_absent(client):
    with pytest.raises(httpx.HTTPStatusError) as raised:
        client.object_store.get(identifier="0" * 64)
    assert raised.value.response.status_code == 404
    assert raised.value.response.json()["errors"][0]["extensions"]["code"] == 404


def test_get_refuses_paths(client):
    with pytest.raises(httpx.HTTPStatusError) as raised:
        client.object_store.get(identifier="..%2F..%2Fbough.db")
    assert raised.value.response.status_code in (400, 404)


@pytest.fixture
def server_env():
    return {"BOUGH_MAIN_ALLOW_ANONYMOUS_ACCESS": "true"}


def test_anonymous_reads_but_cannot_upload(client, server):
    identifier = client.object_store.upload(content="public")["identifier"]
    anonymous = InfrahubClientSync(config=Config(address=server.address))
    assert anonymous.object_store.get(identifier=identifier) == "public"
    with pytest.raises((AuthenticationError, httpx.HTTPStatusError)):
        anonymous.object_store.upload(content="nope")
