#!/bin/sh
# run-sdk-tests.sh SOURCE_DIR VENV_DIR BOUGH_SERVER: the meson entry of the
# 'sdk' suite: prepares the virtualenv, then runs the pytest suite against
# bough-server processes it starts. Exit 77 = skipped.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
set -u

src=${1:?usage: run-sdk-tests.sh SOURCE_DIR VENV_DIR BOUGH_SERVER}
venv=${2:?}
server=${3:?}

sh "$src/setup-venv.sh" "$venv" || exit $?

BOUGH_SERVER_BIN=$server
export BOUGH_SERVER_BIN
# The SDK must not pick up a developer's own server or token.
unset INFRAHUB_ADDRESS INFRAHUB_API_TOKEN INFRAHUB_USERNAME INFRAHUB_PASSWORD
cd "$src" || exit 1
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q -rs "$src"
