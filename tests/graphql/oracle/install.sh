#!/bin/sh
# install.sh: installs graphql-js (pinned by package-lock.json) into DEST with npm ci.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
#
# usage: install.sh DEST; exit 0 when DEST/node_modules/graphql is ready, 1 otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dest=$1
mkdir -p "$dest" || exit 1
if [ -f "$dest/node_modules/graphql/package.json" ] && cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm not found" >&2; exit 1; }
cp "$here/package.json" "$here/package-lock.json" "$dest/" || exit 1
npm ci --prefix "$dest" --no-audit --no-fund --loglevel=error >&2 || exit 1
test -f "$dest/node_modules/graphql/package.json"
