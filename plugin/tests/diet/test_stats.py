"""The gates' arithmetic, against values computed by hand or by scipy-free closed forms."""

from __future__ import annotations

import math

import pytest

from plugin.diet import stats


def test_binomial_tails_sum_to_one() -> None:
    for k in range(0, 13):
        assert stats.binom_cdf(k - 1, 12, 0.7) + stats.binom_sf(k, 12, 0.7) == pytest.approx(1.0)


def test_sign_test_is_exact() -> None:
    assert stats.sign_test_p(8, 0) == 0.5**8
    assert stats.sign_test_p(3, 1) == pytest.approx(5 / 16)  # P(X >= 3 | n=4): (4 + 1) / 16
    assert stats.sign_test_p(0, 5) == 1.0


def test_holm_is_step_down_and_monotone() -> None:
    adjusted = stats.holm({"a": 0.01, "b": 0.04, "c": 0.03})
    assert adjusted == pytest.approx({"a": 0.03, "c": 0.06, "b": 0.06})


def test_paired_results_flag_only_the_degraded_diet() -> None:
    same = [(True, True)] * 30 + [(False, False)] * 2
    dropped = [(True, False)] * 8 + [(True, True)] * 22 + [(False, False)] * 2
    results = {r.diet: r for r in stats.paired_results({"vegan": dropped, "halal": same, "nut-free": same})}
    assert results["vegan"].worse == 8 and results["vegan"].better == 0
    assert results["vegan"].p_holm == pytest.approx(3 * 0.5**8)
    assert results["vegan"].significantly_worse(0.05)
    assert not results["halal"].significantly_worse(0.05)
    diff, low, high = results["vegan"].difference
    assert diff == pytest.approx(-8 / 32) and low < diff < high < 0


def test_absolute_gate_power_matches_the_binomial() -> None:
    needed = stats.min_passes(12, 0.40)
    assert needed == 9  # DEVELOPERS.md: "needs 9/12"
    assert stats.fail_probability(12, needed, 0.65) == pytest.approx(1 - 0.35, abs=0.01)  # "passes 35% of the time"
    rate = stats.detectable_rate(12, needed)
    assert stats.fail_probability(12, needed, rate) == pytest.approx(0.8, abs=1e-6)


def test_paired_detectable_drop_shrinks_with_n() -> None:
    alpha = 0.05 / 8
    drops = [stats.paired_detectable_drop(n, 0.88, alpha) for n in (12, 24, 48)]
    assert drops[0] > drops[1] > drops[2]
    assert stats.paired_power(48, 0.88, drops[2] + 1e-3, alpha) >= 0.8
    assert math.isinf(stats.paired_detectable_drop(4, 0.5, alpha))  # 0.5**2 is never significant
