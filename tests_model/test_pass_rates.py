"""Per-diet compliance over fresh scenarios, gated on the Wilson 95% lower bound."""

from __future__ import annotations

import pytest

from plugin import diet

pytestmark = pytest.mark.model


def _gate_message(name: str, tally, limit: float) -> str:  # type: ignore[no-untyped-def]
    lo, hi = tally.wilson()
    failures = "\n".join(tally.failures[:5])
    return (
        f"{name}: {tally.passed}/{tally.n} passed ({tally.rate():.0%}, 95% CI {lo:.2f}-{hi:.2f}); "
        f"the lower bound must reach {limit:.2f}\nfirst failures:\n{failures}"
    )


@pytest.mark.parametrize("preference", diet.PREFERENCES)
def test_pass_rate(preference: str, gate_results, quality_profile) -> None:
    tally = gate_results[preference]
    assert tally.n == quality_profile.scenarios_per_diet
    limit = quality_profile.min_pass_lower_bound
    assert tally.wilson()[0] >= limit, _gate_message(preference, tally, limit)


def test_overall_pass_rate(gate_results, quality_profile) -> None:
    from plugin.scoring import Tally

    total = Tally()
    for tally in gate_results.values():
        for attr in ("n", "passed", "format_ok", "grounded", "diet_safe"):
            setattr(total, attr, getattr(total, attr) + getattr(tally, attr))
        total.failures += tally.failures
    limit = quality_profile.min_overall_lower_bound
    assert total.wilson()[0] >= limit, _gate_message("all diets", total, limit)


def test_compare_adapter(compare_results, gate_results) -> None:
    if compare_results is None:
        pytest.skip("no --compare-adapter given")
    assert set(compare_results) == set(gate_results)
