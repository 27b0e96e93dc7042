# tap_report.py: a pytest plugin that reports each test in TAP on file
# descriptor 3, so that meson counts the SDK tests one by one (pytest's own
# output goes to stderr, into the test log).
#
# Copyright 2026 The Bough authors
# SPDX-License-Identifier: Apache-2.0
import os

_out = None
_count = 0


def pytest_configure(config):
    global _out
    _out = os.fdopen(3, "w", buffering=1)


def pytest_collection_modifyitems(session, config, items):
    _out.write(f"1..{len(items)}\n")


def _reason(report):
    if isinstance(report.longrepr, tuple):
        return report.longrepr[2]
    return "skipped"


def pytest_runtest_logreport(report):
    global _count
    # One line per test: its call, or its setup when that did not pass.
    if report.when != "call" and not (report.when == "setup" and not report.passed):
        return
    _count += 1
    if report.passed:
        _out.write(f"ok {_count} - {report.nodeid}\n")
    elif report.skipped:
        _out.write(f"ok {_count} - {report.nodeid} # SKIP {_reason(report)}\n")
    else:
        _out.write(f"not ok {_count} - {report.nodeid}\n")
