"""Verdicts that a run profile reports without gating on them.

Where the quality gates say ``strict_property: report``, a single-sample check (the seed's
cases, the "not one violation" property) that fails is an xfail carrying the evidence, not
a failure. Such xfails start with ``REPORT_ONLY``; the plugin counts them and prints the
count in the terminal summary, so nobody reads them as passes.
"""

from __future__ import annotations

import pytest

REPORT_ONLY = "reported, not gated, in this run profile"


def report_only(message: str) -> None:
    """End the test as an xfail that says it was reported, not gated."""
    pytest.xfail(f"{REPORT_ONLY}: {message}")


def is_report_only(report: pytest.TestReport) -> bool:
    reason = getattr(report, "wasxfail", "")
    return isinstance(reason, str) and REPORT_ONLY in reason
