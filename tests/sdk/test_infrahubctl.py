# test_infrahubctl.py: infrahubctl's schema commands against bough-server.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
from test_schema import BAD_SCHEMA

import yaml


def test_schema_load_base(infrahubctl, schema_library):
    base = str(schema_library / "base")
    first = infrahubctl("schema", "load", base)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "loaded successfully" in " ".join(first.stdout.split())

    second = infrahubctl("schema", "load", base)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "already up to date" in " ".join(second.stdout.split())


def test_schema_check(infrahubctl, schema_library):
    base = str(schema_library / "base")
    before = infrahubctl("schema", "check", base)
    assert before.returncode == 0, before.stdout + before.stderr
    assert "No diff" not in before.stdout

    assert infrahubctl("schema", "load", base).returncode == 0
    after = infrahubctl("schema", "check", base)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "No diff" in after.stdout


def test_schema_load_invalid(infrahubctl, tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(BAD_SCHEMA))
    result = infrahubctl("schema", "load", str(path))
    assert result.returncode != 0
    assert "Gigantic" in result.stdout + result.stderr


def test_schema_export_round_trip(infrahubctl, schema_library, tmp_path):
    assert infrahubctl("schema", "load", str(schema_library / "base")).returncode == 0
    exported = tmp_path / "export"
    result = infrahubctl("schema", "export", "--directory", str(exported))
    assert result.returncode == 0, result.stdout + result.stderr
    files = sorted(exported.glob("*.yml"))
    assert files, result.stdout
    for path in files:
        assert "!!python" not in path.read_text(), f"{path.name} holds Python objects"

    # What was exported is what the server holds: loading it changes nothing.
    check = infrahubctl("schema", "check", str(exported))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No diff" in check.stdout
    load = infrahubctl("schema", "load", str(exported))
    assert load.returncode == 0, load.stdout + load.stderr
    assert "already up to date" in " ".join(load.stdout.split())
