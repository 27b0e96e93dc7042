#!/bin/sh
# install.sh: installs s3rver (pinned by package-lock.json) into DEST with npm ci.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
#
# usage: install.sh DEST; exit 0 when DEST/node_modules/s3rver is ready, 1 otherwise.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dest=$1
mkdir -p "$dest" || exit 1
cp "$here/run.mjs" "$dest/run.mjs" || exit 1
if [ -f "$dest/node_modules/s3rver/package.json" ] && cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm not found" >&2; exit 1; }
cp "$here/package.json" "$here/package-lock.json" "$dest/" || exit 1
# HOME may be unusable (GLib tests set it to /dev/null): keep the cache with the install
npm ci --prefix "$dest" --cache "$dest/.npm-cache" --no-audit --no-fund --loglevel=error >&2 || exit 1
test -f "$dest/node_modules/s3rver/package.json"
