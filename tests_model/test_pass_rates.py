"""Per-diet compliance over fresh scenarios, gated on the Wilson 95% lower bound."""

from __future__ import annotations

import pytest

from plugin.diet import DIET_CHOICES
from plugin.diet.scoring import total_tally

pytestmark = pytest.mark.model


def _gate_message(name: str, tally, limit: float) -> str:
    lo, hi = tally.wilson()
    failures = "\n".join(tally.failures[:5])
    return (
        f"{name}: {tally.passed}/{tally.n} passed ({tally.rate():.0%}, 95% CI {lo:.2f}-{hi:.2f}); "
        f"the lower bound must reach {limit:.2f}\nfirst failures:\n{failures}"
    )


@pytest.mark.parametrize("diet", DIET_CHOICES)
def test_pass_rate(diet: str, gate_results, quality_gates, recipe_gate) -> None:
    tally = gate_results[diet]
    limit = quality_gates.min_pass_lower_bound
    passed = recipe_gate.pass_rate(tally, limit)
    assert tally.n == quality_gates.scenarios_per_diet
    assert passed, _gate_message(diet, tally, limit)


def test_overall_pass_rate(gate_results, quality_gates, recipe_gate) -> None:
    total = total_tally(gate_results.values())
    limit = quality_gates.min_overall_lower_bound
    assert recipe_gate.pass_rate(total, limit), _gate_message("all diets", total, limit)
