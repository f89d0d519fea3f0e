"""The plugin beside the pytest plugins our users run: pytest-profiling, -xdist, -randomly, -timeout, --lf/--ff.

Each test runs a small suite in a fresh pytest process (``runpytest_subprocess``: these plugins
load from entry points) whose verdicts come from the real oracle through the plugin's session
state, so a plugin that reorders, reseeds or distributes the tests could change them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin import options
from plugin.report.scorecard import MARKDOWN

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

# Session fixture -> scorecard, and verdicts from the oracle: the shape of tests_model, without the model.
SUITE_CONFTEST = """
import random
import pytest
from plugin import settings
from plugin.diet import find_violations
from plugin.diet.scoring import Tally

TEXTS = {
    "vegan": ["Fry the tofu in olive oil.", "Stir in the butter.", "Add oat milk.", "Top with honey."],
    "halal": ["Brown the lamb.", "Add the bacon.", "Deglaze with wine.", "Season with salt."],
}

@pytest.fixture(scope="session")
def gate_results(pytestconfig):
    tallies = {}
    for diet, texts in TEXTS.items():
        tally = Tally()
        for text in texts:
            ok = not find_violations(text, diet)
            tally.n += 1
            tally.passed += ok
            tally.diet_safe += ok
            tally.format_ok += 1
            tally.grounded += 1
        tallies[diet] = tally
        settings.scorecard(pytestconfig).record("adapter", "adapters/fake", diet, tally)
    return tallies

@pytest.fixture
def noise():
    return random.random()  # pytest-randomly reseeds this per test: verdicts must not depend on it
"""
SUITE_TESTS = """
import pytest

@pytest.mark.parametrize("diet, expected", [("vegan", 2), ("halal", 2)])
def test_pass_count(gate_results, noise, diet, expected):
    assert gate_results[diet].passed == expected

@pytest.mark.parametrize("i", range(6))
def test_filler(i, noise):
    assert 0 <= noise < 1
"""


def _suite(pytester: pytest.Pytester) -> Path:
    pytester.makeconftest(SUITE_CONFTEST)
    pytester.makepyfile(test_suite=SUITE_TESTS)
    return pytester.path / "reports"


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "plugin.plugin", options.REPORT_DIR, "reports", *args)


def test_pytest_profiling_keeps_its_profile_option(pytester: pytest.Pytester) -> None:
    """pytest-profiling owns --profile: both plugins load, and --profile is its, not ours."""
    pytest.importorskip("pytest_profiling")
    _suite(pytester)
    result = _run(pytester, "--profile", options.PROFILE, "cpu")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(["recipe profile: cpu (from --recipe-profile)", "Profiling (from *prof*"])
    assert "is deprecated" not in result.stdout.str()


def test_old_option_name_works_with_a_deprecation_warning(pytester: pytest.Pytester) -> None:
    _suite(pytester)
    result = _run(pytester, "-p", "no:profiling", "--profile", "cpu", "--gen-batch-size=4")
    assert result.ret == 0, result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "recipe profile: cpu (from --recipe-profile)",
            "*PytestDeprecationWarning: --profile is deprecated and goes in the next release; use --recipe-profile",
            "*PytestDeprecationWarning: --gen-batch-size is deprecated and goes in the next release; use --recipe-gen-batch-size",
        ]
    )


def test_every_option_carries_the_prefix() -> None:
    names = [value for key, value in vars(options).items() if key.isupper() and isinstance(value, str)]
    flags = [n for n in names if n.startswith("--")]
    assert flags and all(n.startswith(options.PREFIX) or n == options.TRAIN for n in flags), flags


def test_xdist_same_verdicts_and_one_scorecard(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    reports = _suite(pytester)
    serial = _run(pytester)
    serial.assert_outcomes(passed=8)
    card = (reports / MARKDOWN).read_text(encoding="utf-8")
    (reports / MARKDOWN).unlink()
    parallel = _run(pytester, "-n", "2")
    parallel.assert_outcomes(passed=8)
    assert (reports / MARKDOWN).read_text(encoding="utf-8") == card  # merged from the workers, same figures
    assert parallel.stdout.str().count(f"report: {reports / MARKDOWN}") == 1  # written once, by the controller


@pytest.mark.parametrize("seed", ["1", "2"])
def test_randomly_order_and_seeds_keep_verdicts(pytester: pytest.Pytester, seed: str) -> None:
    pytest.importorskip("pytest_randomly")
    reports = _suite(pytester)
    result = _run(pytester, "-p", "randomly", f"--randomly-seed={seed}")
    result.stdout.fnmatch_lines([f"Using --randomly-seed={seed}"])
    result.assert_outcomes(passed=8)
    assert "| vegan |" in (reports / MARKDOWN).read_text(encoding="utf-8")


def test_timeout_applies(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_timeout")
    _suite(pytester)
    pytester.makepyfile(test_slow="import time\n\ndef test_slow():\n    time.sleep(30)\n")
    result = _run(pytester, "--timeout", "2")
    result.assert_outcomes(passed=8, failed=1)
    result.stdout.fnmatch_lines(["*Timeout*"])


def test_last_failed_and_failed_first(pytester: pytest.Pytester) -> None:
    _suite(pytester)
    pytester.makepyfile(test_broken="def test_broken():\n    assert False\n")
    _run(pytester).assert_outcomes(passed=8, failed=1)
    last = _run(pytester, "--lf")
    last.assert_outcomes(failed=1)
    last.stdout.fnmatch_lines(["run-last-failure: rerun previous 1 failure*"])
    first = _run(pytester, "--ff", "-v")
    first.assert_outcomes(passed=8, failed=1)
    assert first.stdout.str().index("test_broken") < first.stdout.str().index("test_pass_count")


def test_the_suites_own_collection_runs_beside_pytest_profiling() -> None:
    """The whole suite's collection, in a fresh process, with pytest-profiling loaded from its entry point."""
    import os
    import subprocess
    import sys

    from plugin.paths import ROOT

    pytest.importorskip("pytest_profiling")
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "PYTEST_ADDOPTS")}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider", "--snapshot-warn-unused"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "profiling-" in run.stdout  # pytest's header lists it among the active plugins
    assert " tests collected" in run.stdout
