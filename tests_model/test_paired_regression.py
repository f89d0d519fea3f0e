"""The adapter under test against a baseline adapter on the same scenarios: not significantly worse in any diet.

Run with ``--recipe-baseline-adapter PATH`` (V2, the shipped reference, the last release; ``none`` for
the bare base model). The baseline's generations come from the cache after its first run.
"""

from __future__ import annotations

import pytest

from plugin import options
from plugin.diet import DIET_CHOICES

pytestmark = pytest.mark.model


@pytest.mark.parametrize("diet", DIET_CHOICES)
def test_not_worse_than_baseline(diet: str, paired_results, quality_gates, recipe_gate) -> None:
    if paired_results is None:
        pytest.skip(f"no baseline: pass {options.BASELINE_ADAPTER} to gate against one")
    result = paired_results[diet]
    # The gate's stated power (quality gates file, scorecard) holds at this n only.
    assert result.n == quality_gates.paired_scenarios_per_diet, f"{diet}: {result.n} paired scenarios"
    diff, low, high = result.difference
    recipe_gate.record("n", result.n)
    recipe_gate.record("baseline_passed", result.baseline_passed)
    recipe_gate.record("worse", result.worse)
    recipe_gate.record("better", result.better)
    gate = recipe_gate.limit("p_holm", round(result.p_holm, 6), quality_gates.paired_alpha, "p", ">")
    assert gate.passed, (
        f"{diet}: significantly worse than the baseline: {result.candidate_passed}/{result.n} vs "
        f"{result.baseline_passed}/{result.n}, {result.worse} scenarios lost and {result.better} gained, "
        f"difference {diff:+.0%} (95% CI {low:+.0%} to {high:+.0%}), p = {result.p_value:.4f}, "
        f"Holm-adjusted {result.p_holm:.4f} <= alpha {quality_gates.paired_alpha}"
    )
