#!/bin/sh
# run-sdk-tests.sh SOURCE_DIR VENV_DIR BOUGH_SERVER: the meson entry of the
# 'sdk' suite: prepares the virtualenv, then runs the pytest suite against
# bough-server processes it starts, reporting each test in TAP (a skipped
# suite is a TAP plan of 0 with the reason).
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
set -u

src=${1:?usage: run-sdk-tests.sh SOURCE_DIR VENV_DIR BOUGH_SERVER}
venv=${2:?}
server=${3:?}

sh "$src/setup-venv.sh" "$venv"
rc=$?
if [ "$rc" -eq 77 ]; then
  echo "1..0 # SKIP the SDK virtualenv could not be set up (no PyPI access?); see the log"
  exit 0
fi
[ "$rc" -eq 0 ] || exit "$rc"

BOUGH_SERVER_BIN=$server
export BOUGH_SERVER_BIN
# The SDK must not pick up a developer's own server or token.
unset INFRAHUB_ADDRESS INFRAHUB_API_TOKEN INFRAHUB_USERNAME INFRAHUB_PASSWORD
cd "$src" || exit 1
# TAP goes to the original stdout through descriptor 3; pytest's report to stderr.
exec 3>&1 1>&2
exec "$venv/bin/python" -m pytest -p no:cacheprovider -p tap_report -rs "$src"
