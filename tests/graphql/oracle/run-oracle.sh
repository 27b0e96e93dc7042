#!/bin/sh
# run-oracle.sh: the meson test comparing Bough's GraphQL core with graphql-js (TAP).
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
#
# usage: run-oracle.sh GQL_TOOL SCHEMA DOCUMENTS_DIR NODE_PREFIX [flags for oracle.mjs]
set -u
here=$(cd "$(dirname "$0")" && pwd)
tool=$1 schema=$2 docs=$3 prefix=$4
shift 4
if ! command -v node >/dev/null 2>&1; then
  echo "1..0 # SKIP node is not installed"
  exit 0
fi
if ! "$here/install.sh" "$prefix" >"$prefix.install.log" 2>&1; then
  echo "1..0 # SKIP graphql-js could not be installed (offline?), see $prefix.install.log"
  exit 0
fi
# oracle.mjs imports 'graphql': resolve it from the install prefix.
cp "$here/oracle.mjs" "$prefix/oracle.mjs"
exec node "$prefix/oracle.mjs" "$tool" "$schema" "$docs" "$@"
