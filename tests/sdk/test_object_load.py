# test_object_load.py: `infrahubctl object load` of data/objects.yml (upserts
# with references by name, by HFID and nested children), read back with
# `infrahubctl object get` and the SDK; loading it twice changes nothing.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import json
from pathlib import Path

import yaml

OBJECTS = Path(__file__).parent / "data" / "objects.yml"


def load_base(infrahubctl, schema_library):
    result = infrahubctl("schema", "load", str(schema_library / "base"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_object_load_and_read_back(infrahubctl, client, schema_library):
    load_base(infrahubctl, schema_library)
    result = infrahubctl("object", "load", str(OBJECTS))
    assert result.returncode == 0, result.stdout + result.stderr

    # infrahubctl reads the objects back, as a list and one by HFID.
    listed = infrahubctl("object", "get", "DcimPlatform", "--output", "json")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    platforms = {p["name"]: p for p in json.loads(listed.stdout)}
    assert sorted(platforms) == ["eos", "ios", "nxos"]
    assert platforms["ios"]["manufacturer"] == "Cisco"
    assert platforms["ios"]["napalm_driver"] == "ios"
    assert platforms["nxos"]["manufacturer"] == "Cisco"
    assert platforms["eos"]["manufacturer"] == "Arista"

    one = infrahubctl("object", "get", "OrganizationManufacturer", "Cisco", "--output", "json")
    assert one.returncode == 0, one.stdout + one.stderr
    cisco = json.loads(one.stdout)
    assert cisco["description"]["value"] == "Cisco Systems"
    assert sorted(p["display_label"] for p in cisco["tags"]["peers"]) == ["core", "edge"]

    filtered = infrahubctl(
        "object", "get", "DcimPlatform",
        "--filter", "manufacturer__name__value=Cisco", "--output", "yaml",
    )
    assert filtered.returncode == 0, filtered.stdout + filtered.stderr
    docs = [d for d in yaml.safe_load_all(filtered.stdout) if d]
    assert sorted(item["name"] for item in docs[0]["spec"]["data"]) == ["ios", "nxos"]

    missing = infrahubctl("object", "get", "DcimPlatform", "junos")
    assert missing.returncode != 0

    # The SDK sees the same graph, both sides of each relationship.
    arista = client.get(kind="OrganizationManufacturer", hfid=["Arista"], include=["platform"])
    assert [p.display_label for p in arista.platform.peers] == ["eos"]
    tags = client.filters(kind="OrganizationManufacturer", tags__name__value="edge")
    assert [m.name.value for m in tags] == ["Cisco"]

    # Object files are upserts: a second load adds nothing.
    counts = {k: client.count(kind=k) for k in
              ("BuiltinTag", "OrganizationManufacturer", "DcimPlatform")}
    assert counts == {"BuiltinTag": 2, "OrganizationManufacturer": 2, "DcimPlatform": 3}
    again = infrahubctl("object", "load", str(OBJECTS))
    assert again.returncode == 0, again.stdout + again.stderr
    assert {k: client.count(kind=k) for k in counts} == counts


def test_object_validate_rejects_unknown_field(infrahubctl, schema_library, tmp_path):
    load_base(infrahubctl, schema_library)
    bad = tmp_path / "bad.yml"
    bad.write_text(yaml.safe_dump({
        "apiVersion": "infrahub.app/v1",
        "kind": "Object",
        "spec": {"kind": "BuiltinTag", "data": [{"name": "x", "colour": "red"}]},
    }))
    result = infrahubctl("object", "load", str(bad))
    assert result.returncode != 0
    assert "colour" in result.stdout + result.stderr
