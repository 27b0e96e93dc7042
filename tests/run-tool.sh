#!/bin/sh
# run-tool.sh: runs a validation tool for a meson test, skipping (exit 77)
# when the tool is not installed.
#   run-tool.sh [--fail-on-warning] TOOL [ARG...]
# --fail-on-warning also fails when the tool prints WARNING on stderr, for
# tools such as flatpak-builder that only warn about unknown keys.
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
fail_on_warning=no
if [ "$1" = "--fail-on-warning" ]; then
  fail_on_warning=yes
  shift
fi
tool=$1
shift
if ! command -v "$tool" >/dev/null 2>&1; then
  echo "$tool is not installed: skipping"
  exit 77
fi
if [ "$fail_on_warning" = no ]; then
  exec "$tool" "$@"
fi
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$tool" "$@" 2>"$err"
rc=$?
cat "$err" >&2
if [ "$rc" -eq 0 ] && grep -q WARNING "$err"; then
  echo "$tool printed a warning" >&2
  rc=1
fi
exit "$rc"
