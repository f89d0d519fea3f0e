"""The GitHub Actions job summary: the session's Markdown reports appended to ``$GITHUB_STEP_SUMMARY``.

Appended, never overwritten: other steps and tools write to the same file. Only the controller
writes it (the plugin registers the summary reporter there alone), so an xdist run adds it once.
"""

from __future__ import annotations

import os
from pathlib import Path

from plugin.atomic import append_text
from plugin.diet.errors import SuiteError

ENV_VAR = "GITHUB_STEP_SUMMARY"


class StepSummaryError(SuiteError, OSError):
    """The job summary file cannot be appended to; the message names the path."""


def target() -> Path | None:
    """The job summary file, or None outside GitHub Actions (unset or empty)."""
    value = os.environ.get(ENV_VAR)
    return Path(value) if value else None


def append(path: Path, text: str) -> None:
    try:
        append_text(path, text)
    except OSError as exc:
        raise StepSummaryError(f"${ENV_VAR}: cannot append to {path} ({exc.strerror or exc})") from None


def check(path: Path) -> None:
    """Fail now, before any test runs, if the summary could not be written at the end."""
    append(path, "")
