"""Gate figures as JUnit properties: a small gate run with --junitxml, its XML read back.

The property names and values are what CI readers of the XML depend on: pinned here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from plugin import options
from plugin.report.gates import GateLog, LimitGate, limit_gates

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

GATE_TESTS = """
import pytest
from plugin.diet.scoring import Tally

def test_diet_gate(recipe_gate):
    assert recipe_gate.pass_rate(Tally(n=12, passed=10), 0.4)

def test_diet_gate_missed(recipe_gate):
    assert recipe_gate.pass_rate(Tally(n=12, passed=3), 0.4), "lower bound below the threshold"

@pytest.mark.perf
def test_speed_gates(recipe_gate):
    recipe_gate.record("floors", "linux-2core-cpu")
    assert recipe_gate.limit("tokens_per_s", 12.5, 5, "tokens/s").passed
    assert recipe_gate.limit("peak_memory_gb", 9.25, 8, "GB", "<=").passed, "over the memory ceiling"
"""


def run_gates(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, list[tuple[str, str]]]]:
    """Run the gate tests with --junitxml; the properties of each test case, by test name."""
    pytester.makepyfile(test_gates=GATE_TESTS)
    xml = pytester.path / "junit.xml"
    result = pytester.runpytest("-p", "plugin.plugin", "-p", "no:randomly", options.PROFILE, "cpu", f"--junitxml={xml}", *args)
    cases = ET.parse(xml).getroot().iter("testcase")
    return result, {c.get("name", ""): [(p.get("name", ""), p.get("value", "")) for p in c.iter("property")] for c in cases}


def test_junit_xml_carries_the_gate_figures(pytester: pytest.Pytester) -> None:
    result, props = run_gates(pytester)
    result.assert_outcomes(passed=1, failed=2)
    assert props["test_diet_gate"] == [
        ("profile", "cpu"),
        ("n", "12"),
        ("passed", "10"),
        ("interval_lower", "0.552"),
        ("interval_upper", "0.953"),
        ("threshold", "0.4"),
        ("verdict", "pass"),
    ]
    assert props["test_diet_gate_missed"][-3:] == [("interval_upper", "0.5323"), ("threshold", "0.4"), ("verdict", "FAIL")]
    assert props["test_speed_gates"] == [
        ("profile", "cpu"),
        ("floors", "linux-2core-cpu"),
        ("tokens_per_s.measured", "12.5"),
        ("tokens_per_s.limit", "5"),
        ("tokens_per_s.rule", ">="),
        ("tokens_per_s.unit", "tokens/s"),
        ("tokens_per_s.verdict", "pass"),
        ("peak_memory_gb.measured", "9.25"),
        ("peak_memory_gb.limit", "8"),
        ("peak_memory_gb.rule", "<="),
        ("peak_memory_gb.unit", "GB"),
        ("peak_memory_gb.verdict", "FAIL"),
    ]


def test_measured_gates_table(pytester: pytest.Pytester) -> None:
    result, _ = run_gates(pytester)
    result.stdout.fnmatch_lines(["*- recipe measured gates -*", "2 gates, 1 failed", "report: */reports/gates.md"])
    assert (pytester.path / "reports" / "gates.md").read_text() == (
        "# Measured gates\n\n"
        "2 gates, 1 failed (run profile cpu; hardware floors linux-2core-cpu).\n\n"
        "| test | gate | measured | limit | verdict |\n"
        "|---|---|---:|---:|---|\n"
        "| `test_gates.py::test_speed_gates` | peak_memory_gb | 9.25 GB | <= 8 GB | FAIL |\n"
        "| `test_gates.py::test_speed_gates` | tokens_per_s | 12.5 tokens/s | >= 5 tokens/s | pass |\n"
    )


def test_limit_gates_read_back_what_was_recorded() -> None:
    gates = [LimitGate("a", 1 / 3, 0.25, "x"), LimitGate("b.c", 7.0, 7, "ms", "<")]
    assert limit_gates([("profile", "cpu"), *gates[0].properties(), ("n", 3), *gates[1].properties()]) == gates
    assert [g.passed for g in gates] == [True, False]


def test_a_gate_without_limit_figures_adds_no_row() -> None:
    log = GateLog()
    log.add("t::x", [("profile", "cpu"), ("n", 12), ("passed", 10), ("verdict", "pass")])
    assert log.rows == [] and log.profiles == set()


def test_an_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="gate g: rule must be one of >=, <=, >, <, got '=>'"):
        LimitGate("g", 1, 1, "x", "=>")


def test_a_missed_hardware_floor_names_the_figure_the_limit_and_the_floors() -> None:
    from plugin import hardware_floors

    hardware_floors.gate(LimitGate("tokens_per_s", 12.5, 5, "tokens/s"), "decode tokens/s", "linux-2core-cpu")
    with pytest.raises(AssertionError) as missed:
        hardware_floors.gate(LimitGate("peak_memory_gb", 9.25, 8, "GB", "<="), "training peak memory", "linux-2core-cpu")
    message = "training peak memory: measured 9.25 GB, limit <= 8 GB (hardware floors linux-2core-cpu)"
    assert str(missed.value).splitlines()[0] == message  # below it, pytest's rewriting of plugin modules explains
