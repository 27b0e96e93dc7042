#!/bin/sh
# setup-venv.sh VENV_DIR: creates (once) the virtualenv the SDK suite runs in,
# with the official infrahub-sdk (and infrahubctl) from PyPI and pytest.
# Exits 77 (a skip for meson) when the environment cannot be built, for
# instance without network access to PyPI.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
set -u

venv=${1:?usage: setup-venv.sh VENV_DIR}
# The version the wire contract (shared/reference/sdk-wire-contract.md) names.
sdk_pin='infrahub-sdk[ctl]==1.23.2'
sdk_fallback='infrahub-sdk[ctl]>=1,<2'
stamp="$venv/.bough-sdk-ready"

if [ -f "$stamp" ] && [ -x "$venv/bin/python" ]; then
  exit 0
fi

python=${PYTHON:-python3}
if ! "$python" -m venv "$venv" >&2; then
  echo "SKIP: cannot create a virtualenv with $python (is python3-venv installed?)" >&2
  exit 77
fi

pip="$venv/bin/python -m pip --disable-pip-version-check --quiet"
if $pip install "$sdk_pin" pytest >&2; then
  installed=$sdk_pin
elif $pip install "$sdk_fallback" pytest >&2; then
  installed=$sdk_fallback
else
  echo "SKIP: pip could not install infrahub-sdk[ctl] and pytest from PyPI" >&2
  exit 77
fi

"$venv/bin/python" -c 'import infrahub_sdk, pytest' >&2 || {
  echo "SKIP: the virtualenv at $venv is unusable" >&2
  exit 77
}
echo "$installed" > "$stamp"
echo "infrahub-sdk ready in $venv ($installed)" >&2
