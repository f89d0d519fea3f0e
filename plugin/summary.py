"""The terminal summary's recipe sections, kept by a small plugin object registered per session.

It is registered on the controller only (not on xdist workers), so what it writes at the end
(the reports, the GitHub job summary) is written once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin import options, settings, step_summary
from plugin.atomic import write_text
from plugin.report import gates
from plugin.verdicts import is_report_only


class SummaryReporter:
    """Counts report-only verdicts and gate figures as they come in and reports them at the end."""

    name = "recipe-suite-summary"

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.step_summary = step_summary.target()
        self.step_summary_line = ""  # what became of the job summary, for the terminal

    def pytest_configure(self, config: pytest.Config) -> None:
        if self.step_summary and not config.option.help:
            try:
                step_summary.check(self.step_summary)
            except step_summary.StepSummaryError as exc:
                raise pytest.UsageError(str(exc)) from None

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        if is_report_only(report):
            settings.verdicts(self.config).reported_not_gated.append(report.nodeid)
        settings.gates(self.config).add(report.nodeid, list(report.user_properties))

    @pytest.hookimpl(trylast=True)  # after the other plugins' session-end work, before the terminal summary
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.step_summary is None or not (parts := self.step_summary_parts()):
            return
        try:
            step_summary.append(self.step_summary, "\n".join(parts.values()))
        except step_summary.StepSummaryError as exc:
            self.step_summary_line = f"ERROR: {exc}"
            if session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.USAGE_ERROR
            return
        self.step_summary_line = f"appended to ${step_summary.ENV_VAR}: {', '.join(parts)}"

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
            md = card.write(self.report_dir(), settings.verdicts(self.config).reported_not_gated)
            out.append(("recipe scorecard", [*card.terminal_lines(), f"report: {md}"]))
        if (log := settings.gates(self.config)).rows:
            md = self.report_dir() / gates.MARKDOWN
            write_text(md, log.markdown())
            out.append(("recipe measured gates", [f"{len(log.rows)} gates, {log.failed()} failed", f"report: {md}"]))
        if not_gated := settings.verdicts(self.config).reported_not_gated:
            head = f"{len(not_gated)} verdicts reported, not gated, in this run profile (xfail with the evidence; not passes):"
            out.append(("recipe verdicts", [head, *(f"  {nodeid}" for nodeid in not_gated)]))
        if settings.GEN_CACHE in stash:
            stats = stash[settings.GEN_CACHE].stats
            out.append(("recipe generation", [f"generation cache: {stats.hits} hits, {stats.misses} misses"]))
        if self.step_summary_line:
            out.append(("recipe job summary", [self.step_summary_line]))
        return out

    def step_summary_parts(self) -> dict[str, str]:
        """The scorecard and the measured gates as Markdown, as the report folder has them, by name."""
        parts = {}
        if settings.SCORECARD in self.config.stash:
            card = self.config.stash[settings.SCORECARD]
            parts["scorecard"] = card.markdown(chart=None, reported=settings.verdicts(self.config).reported_not_gated)
        if (log := settings.gates(self.config)).rows:
            parts["measured gates"] = log.markdown()
        return parts

    def report_dir(self) -> Path:
        return Path(self.config.rootpath, self.config.getoption(options.REPORT_DIR))
