"""The quality gates per run profile (tests_model/quality_gates/*.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.quality_gates import QualityGatesError, load_quality_gates
from plugin.report.scorecard import GatePolicy


def test_quality_gates_load() -> None:
    assert load_quality_gates("v3").min_pass_lower_bound == 0.95
    assert load_quality_gates("cpu").strict_property == "report"


def test_quality_gates_errors_name_the_key(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("scenarios_per_diet: 3\nbogus: 1\n")
    with pytest.raises(QualityGatesError, match=r"x\.yaml: unknown key 'bogus'"):
        load_quality_gates("x", tmp_path)


def test_the_scorecard_shows_each_run_profiles_gates() -> None:
    assert load_quality_gates("cpu").scorecard_policy("cpu") == GatePolicy("cpu", 0.35, 0.79, single_samples_gated=False)
    assert load_quality_gates("v3").scorecard_policy("v3") == GatePolicy("v3", 0.95, 0.95, single_samples_gated=True)


# The reference adapter's pass counts on the cpu gate scenarios (32 per diet), as cpu.yaml records them.
REFERENCE_CPU_PASSES = {"dairy-free": 22, "vegan": 25, "gluten-free": 28, "vegetarian": 28, "pescatarian": 30}
REFERENCE_CPU_PASSES |= {"none": 31, "nut-free": 31, "halal": 32}


def test_cpu_gates_follow_their_arithmetic() -> None:
    """cpu.yaml's claims: the reference's false alarm on a fresh draw <= 5%, and a 25-point drop in one diet
    is significant for the paired gate (8 of 32 lost, Holm over 8 diets)."""
    from plugin.diet import DIET_CHOICES, stats

    gates = load_quality_gates("cpu")
    n = gates.scenarios_per_diet
    assert set(REFERENCE_CPU_PASSES) == set(DIET_CHOICES)
    needed = stats.min_passes(n, gates.min_pass_lower_bound)
    total_n = n * len(REFERENCE_CPU_PASSES)
    total_needed = stats.min_passes(total_n, gates.min_overall_lower_bound)
    keep = 1.0 - stats.fail_probability(total_n, total_needed, sum(REFERENCE_CPU_PASSES.values()) / total_n)
    for passes in REFERENCE_CPU_PASSES.values():
        keep *= 1.0 - stats.fail_probability(n, needed, passes / n)
    assert 1.0 - keep <= 0.05
    lost = -(-n // 4)  # 25 points of n, rounded up
    assert stats.sign_test_p(lost, 0) * len(REFERENCE_CPU_PASSES) <= gates.paired_alpha


def test_the_cpu_paired_gate_detects_a_20_point_drop_in_any_one_diet() -> None:
    """cpu.yaml's claim: at its paired n, a 20-point drop in a single diet fails the gate with >= 80% power at every
    baseline rate the reference shows (Holm's first step: alpha / 8), and 32 per diet would not do it."""
    from plugin.diet import DIET_CHOICES, stats

    gates = load_quality_gates("cpu")
    alpha = gates.paired_alpha / len(DIET_CHOICES)
    for passes in REFERENCE_CPU_PASSES.values():
        rate = passes / gates.scenarios_per_diet
        assert stats.paired_power(gates.paired_scenarios_per_diet, rate, 0.20, alpha) >= 0.80, rate
        assert stats.paired_power(gates.scenarios_per_diet, rate, 0.20, alpha) < 0.80


def test_paired_n_below_the_gate_n_is_refused(tmp_path: Path) -> None:
    from plugin.paths import QUALITY_GATES_DIR

    text = (QUALITY_GATES_DIR / "cpu.yaml").read_text()
    (tmp_path / "x.yaml").write_text(text.replace("paired_scenarios_per_diet: 52", "paired_scenarios_per_diet: 31"))
    message = r"x\.yaml: paired_scenarios_per_diet must be >= scenarios_per_diet \(32\), got 31"
    with pytest.raises(QualityGatesError, match=message):
        load_quality_gates("x", tmp_path)
