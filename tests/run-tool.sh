#!/bin/sh
# run-tool.sh: runs a validation tool for a meson test, skipping (exit 77)
# when the tool is not installed.
#   run-tool.sh [--fail-on-warning | --fail-on-stderr] TOOL [ARG...]
# --fail-on-warning also fails when the tool prints WARNING on stderr (for
# flatpak-builder, which only warns about unknown keys); --fail-on-stderr
# fails on any output on stderr (for systemd-analyze verify, which reports
# unknown keys and bad values with exit status 0).
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
mode=exit-status
case "$1" in
  --fail-on-warning) mode=warning; shift ;;
  --fail-on-stderr) mode=stderr; shift ;;
esac
tool=$1
shift
if ! command -v "$tool" >/dev/null 2>&1; then
  echo "$tool is not installed: skipping"
  exit 77
fi
if [ "$mode" = exit-status ]; then
  exec "$tool" "$@"
fi
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$tool" "$@" 2>"$err"
rc=$?
cat "$err" >&2
if [ "$rc" -eq 0 ]; then
  if [ "$mode" = warning ] && grep -q WARNING "$err"; then
    echo "$tool printed a warning" >&2
    rc=1
  elif [ "$mode" = stderr ] && [ -s "$err" ]; then
    echo "$tool printed diagnostics" >&2
    rc=1
  fi
fi
exit "$rc"
