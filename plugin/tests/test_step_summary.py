"""The GitHub Actions job summary: the scorecard and the measured gates appended to $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import pytest

from plugin import options
from plugin.step_summary import ENV_VAR
from plugin.tests.test_gate_properties import GATE_TESTS

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

SCORECARD_TEST = """
from plugin import settings
from plugin.diet.scoring import Tally

def test_scored(pytestconfig):
    tally = Tally(n=4, passed=3, format_ok=4, grounded=4, diet_safe=3)
    settings.scorecard(pytestconfig).record("adapter", "adapters/fake", "vegan", tally)
"""
EARLIER = "## Written by an earlier step\n"
GATES_TABLE = """\
# Measured gates

2 gates, 1 failed (run profile cpu; hardware floors linux-2core-cpu).

| test | gate | measured | limit | verdict |
|---|---|---:|---:|---|
| `test_gates.py::test_speed_gates` | peak_memory_gb | 9.25 GB | <= 8 GB | FAIL |
| `test_gates.py::test_speed_gates` | tokens_per_s | 12.5 tokens/s | >= 5 tokens/s | pass |
"""


def suite(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_gates=GATE_TESTS, test_scorecard=SCORECARD_TEST)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "plugin.plugin", "-p", "no:randomly", options.PROFILE, "cpu", *args)


def test_scorecard_and_measured_gates_are_appended(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = pytester.path / "step_summary.md"
    summary.write_text(EARLIER)
    monkeypatch.setenv(ENV_VAR, str(summary))
    suite(pytester)
    result = run(pytester)
    result.stdout.fnmatch_lines(["*- recipe job summary -*", "appended to $GITHUB_STEP_SUMMARY: scorecard, measured gates"])
    text = summary.read_text()
    assert text.startswith(EARLIER + "# Recipe model scorecard\n\n- **adapter**: `adapters/fake`\n")
    assert "| vegan | 4 | 75% | 0.30-0.95 | 100% | 100% | 0 | FAIL |\n" in text  # lower bound under the cpu gate's 0.40
    assert "\n## Gated and reported verdicts (run profile cpu)\n" in text
    assert "Chart: `scorecard.png` in the report folder.\n" in text and "![" not in text
    assert text.endswith("\n" + GATES_TABLE)
    assert text.count("# Recipe model scorecard") == 1 and text.count("# Measured gates") == 1


def test_a_second_run_appends_again(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = pytester.path / "step_summary.md"
    monkeypatch.setenv(ENV_VAR, str(summary))
    suite(pytester)
    run(pytester)
    first = summary.read_text()
    run(pytester)
    assert summary.read_text() == first + first


def test_written_once_under_xdist(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the controller appends: workers that wrote too would repeat the table."""
    pytest.importorskip("xdist")
    summary = pytester.path / "step_summary.md"
    monkeypatch.setenv(ENV_VAR, str(summary))
    suite(pytester)
    result = pytester.runpytest_subprocess("-p", "plugin.plugin", "-p", "no:randomly", options.PROFILE, "cpu", "-n", "2")
    result.assert_outcomes(passed=2, failed=2)
    text = summary.read_text()
    assert text.count("# Measured gates") == 1 and text.endswith(GATES_TABLE)


def test_nothing_is_written_without_figures(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = pytester.path / "step_summary.md"
    monkeypatch.setenv(ENV_VAR, str(summary))
    pytester.makepyfile("def test_ok():\n    pass\n")
    result = run(pytester)
    assert summary.read_text() == "" and "recipe job summary" not in result.stdout.str()


def test_without_the_variable_nothing_is_written(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    suite(pytester)
    result = run(pytester)
    assert "recipe job summary" not in result.stdout.str()
    assert sorted(p.name for p in pytester.path.iterdir() if p.suffix == ".md") == []


def test_an_unwritable_summary_is_a_usage_error_at_start(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = pytester.mkdir("a_folder")
    monkeypatch.setenv(ENV_VAR, str(folder))
    suite(pytester)
    result = run(pytester)
    result.stderr.fnmatch_lines([f"ERROR: $GITHUB_STEP_SUMMARY: cannot append to {folder} (Is a directory)"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR and "collected" not in result.stdout.str()


def test_a_summary_that_goes_away_is_an_error_at_the_end(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = pytester.mkdir("gone")
    monkeypatch.setenv(ENV_VAR, str(gone / "summary.md"))
    suite(pytester)
    pytester.makepyfile(test_zz_remove=f"import shutil\ndef test_remove():\n    shutil.rmtree({str(gone)!r})\n")
    result = run(pytester, "-k", "not missed and not speed")
    message = f"ERROR: $GITHUB_STEP_SUMMARY: cannot append to {gone / 'summary.md'} (No such file or directory)"
    result.stdout.fnmatch_lines(["*- recipe job summary -*", message])
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.assert_outcomes(passed=3)


def test_this_suites_own_inner_runs_do_not_see_the_variable() -> None:
    """The root conftest hides it from every test (and the pytest runs they start), so a CI run of
    this suite does not append the fake suites' figures to its real job summary."""
    import os

    assert ENV_VAR not in os.environ


def test_reported_verdicts_are_listed_with_the_scorecard(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = pytester.path / "step_summary.md"
    monkeypatch.setenv(ENV_VAR, str(summary))
    reported = "from plugin.verdicts import report_only\ndef test_reported():\n    report_only('vegan: bacon at 3:8')\n"
    pytester.makepyfile(test_scorecard=SCORECARD_TEST, test_seed=reported)
    run(pytester)
    head = "This run reported 1 verdicts without gating on them (xfail with the evidence; not passes):"
    listed = f"{head}\n\n- `test_seed.py::test_reported`\n"
    assert listed in summary.read_text() and listed in (pytester.path / "reports" / "scorecard.md").read_text()
