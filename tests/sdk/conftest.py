# conftest.py: fixtures of the SDK compatibility suite: a bough-server
# started on a free loopback port over a fresh data directory, a client of
# the official infrahub-sdk pointed at it, and the schema library.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import os
import re
import secrets
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from infrahub_sdk import Config, InfrahubClientSync

START_TIMEOUT = 30
STOP_TIMEOUT = 30


class Server:
    """A bough-server whose admin has a random API token and password, both
    given through the environment as an operator would."""

    def __init__(self, binary: str, data_dir: Path, env: dict | None = None):
        self.data_dir = data_dir
        self.token = secrets.token_urlsafe(24)
        self.password = secrets.token_urlsafe(12)
        self.process = subprocess.Popen(
            [binary, "serve", "--data-dir", str(data_dir), "--listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(
                os.environ,
                BOUGH_INITIAL_ADMIN_TOKEN=self.token,
                BOUGH_INITIAL_ADMIN_PASSWORD=self.password,
                **(env or {}),
            ),
        )
        self.address = self._read_address()

    def _read_address(self) -> str:
        # The server prints one line on stdout once it accepts requests.
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not selector.select(timeout=deadline - time.monotonic()):
                break
            line = self.process.stdout.readline()
            if not line:
                break
            match = re.match(r"listening on (http://\S+)", line)
            if match:
                return match.group(1)
        self.process.kill()
        _, err = self.process.communicate()
        raise RuntimeError(f"bough-server did not start: {err}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        self.process.stdout.close()
        self.process.stderr.close()
        return self.process.returncode


@pytest.fixture
def server_env():
    """Extra BOUGH_* settings of the server; tests override this fixture."""
    return {}


@pytest.fixture
def server(tmp_path, server_env):
    """A fresh bough-server per test, stopped with SIGTERM afterwards."""
    binary = os.environ.get("BOUGH_SERVER_BIN")
    if not binary or not os.access(binary, os.X_OK):
        pytest.skip("BOUGH_SERVER_BIN does not name the built bough-server")
    srv = Server(binary, tmp_path / "data", server_env)
    yield srv
    assert srv.stop() == 0, "bough-server did not stop cleanly on SIGTERM"


@pytest.fixture
def client(server):
    """The SDK as the admin, with the API token from the server's config."""
    return InfrahubClientSync(config=Config(address=server.address, api_token=server.token))


@pytest.fixture
def schema_library() -> Path:
    path = os.environ.get("BOUGH_SCHEMA_LIBRARY")
    if not path or not Path(path, "base").is_dir():
        pytest.skip(f"schema library not found (BOUGH_SCHEMA_LIBRARY={path!r})")
    return Path(path)


@pytest.fixture
def base_schemas(schema_library) -> list[dict]:
    """The schema library's base/ files, as the SDK loads them."""
    files = sorted(schema_library.joinpath("base").glob("*.yml"))
    assert files, "base/ holds no schema files"
    return [yaml.safe_load(f.read_text()) for f in files]


@pytest.fixture
def infrahubctl(server):
    """Runs infrahubctl of the virtualenv against the server."""
    binary = Path(sys.executable).parent / "infrahubctl"

    def run(*args: str) -> subprocess.CompletedProcess:
        env = dict(
            os.environ,
            INFRAHUB_ADDRESS=server.address,
            INFRAHUB_API_TOKEN=server.token,
            COLUMNS="200",
        )
        return subprocess.run(
            [str(binary), *args], env=env, capture_output=True, text=True, timeout=300
        )

    return run
