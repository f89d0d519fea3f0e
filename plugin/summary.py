"""The terminal summary's recipe sections, kept by a small plugin object registered per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin import options, settings
from plugin.verdicts import is_report_only


class SummaryReporter:
    """Counts report-only verdicts as they come in and prints the recipe sections at the end."""

    name = "recipe-suite-summary"

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and is_report_only(report):
            settings.verdicts(self.config).reported_not_gated.append(report.nodeid)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        for title, lines in self.sections():
            terminalreporter.write_sep("-", title)
            for line in lines:
                terminalreporter.write_line(line)

    def sections(self) -> list[tuple[str, list[str]]]:
        from plugin import adapters

        stash, out = self.config.stash, []
        if settings.ADAPTER in stash:
            out.append(("recipe training", adapters.summary_lines(stash[settings.ADAPTER])))
        if settings.SCORECARD in stash:
            card = stash[settings.SCORECARD]
            out.append(("recipe scorecard", [*card.terminal_lines(), f"report: {card.write(self.report_dir())}"]))
        if not_gated := settings.verdicts(self.config).reported_not_gated:
            head = f"{len(not_gated)} verdicts reported, not gated, in this run profile (xfail with the evidence; not passes):"
            out.append(("recipe verdicts", [head, *(f"  {nodeid}" for nodeid in not_gated)]))
        if settings.GEN_CACHE in stash:
            stats = stash[settings.GEN_CACHE].stats
            out.append(("recipe generation", [f"generation cache: {stats.hits} hits, {stats.misses} misses"]))
        return out

    def report_dir(self) -> Path:
        return Path(self.config.rootpath, self.config.getoption(options.REPORT_DIR))
