"""Exact binomial arithmetic for the gates: paired sign tests, Holm's correction, and power.

Stdlib only. Every gate of the suite is a binomial decision, so its power and its false-alarm
probability are sums of binomial terms; nothing here is estimated by simulation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from plugin.diet.scoring import wilson_interval

Z95 = 1.959964


def binom_pmf(k: int, n: int, p: float) -> float:
    if k < 0 or k > n:
        return 0.0
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    return math.comb(n, k) * p**k * (1.0 - p) ** (n - k)


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    return min(1.0, sum(binom_pmf(i, n, p) for i in range(0, min(k, n) + 1)))


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X >= k)."""
    return 1.0 - binom_cdf(k - 1, n, p) if k > 0 else 1.0


def sign_test_p(worse: int, better: int) -> float:
    """One-sided exact McNemar (sign) test on the discordant pairs: P(X >= worse), X ~ Bin(worse + better, 1/2).

    ``worse``: scenarios the baseline passed and the candidate failed; ``better``: the reverse.
    """
    return binom_sf(worse, worse + better, 0.5)


def holm(pvalues: Mapping[str, float]) -> dict[str, float]:
    """Holm-adjusted p-values (step-down, monotone), same keys."""
    order = sorted(pvalues, key=lambda k: pvalues[k])
    m, running, out = len(order), 0.0, {}
    for i, key in enumerate(order):
        running = max(running, min(1.0, (m - i) * pvalues[key]))
        out[key] = running
    return out


def paired_difference_interval(worse: int, better: int, n: int, z: float = Z95) -> tuple[float, float, float]:
    """(difference, low, high) of candidate minus baseline pass rate, Agresti-Min adjusted Wald interval."""
    if n <= 0:
        return 0.0, -1.0, 1.0
    size = n + 2
    p_worse, p_better = (worse + 0.5) / size, (better + 0.5) / size
    diff = p_better - p_worse
    se = math.sqrt(max(0.0, p_worse + p_better - diff**2) / size)
    return (better - worse) / n, max(-1.0, diff - z * se), min(1.0, diff + z * se)


def min_passes(n: int, lower_bound: float) -> int:
    """Fewest passes out of n whose Wilson 95% lower bound reaches ``lower_bound`` (n + 1 if none does)."""
    return next((k for k in range(n + 1) if wilson_interval(k, n)[0] >= lower_bound), n + 1)


def fail_probability(n: int, needed: int, rate: float) -> float:
    """Probability that an absolute gate needing ``needed`` of ``n`` fails when the true pass rate is ``rate``."""
    return binom_cdf(needed - 1, n, rate)


def _bisect(fn, lo: float, hi: float, steps: int = 50) -> float:
    """Largest x in [lo, hi] with fn(x) true, for fn true at lo and monotone."""
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fn(mid) else (lo, mid)
    return lo


def detectable_rate(n: int, needed: int, power: float = 0.8) -> float:
    """The true pass rate below which the absolute gate fails with at least ``power``."""
    if needed <= 0:
        return 0.0
    return _bisect(lambda rate: fail_probability(n, needed, rate) >= power, 0.0, 1.0)


def critical_worse(alpha: float, n_max: int) -> int:
    """Fewest discordant 'worse' pairs (with no 'better' ones) that the sign test calls significant at ``alpha``."""
    return next((b for b in range(1, n_max + 1) if sign_test_p(b, 0) <= alpha), n_max + 1)


def paired_power(n: int, baseline_rate: float, drop: float, alpha: float) -> float:
    """Power of the paired gate against a pure drop: each scenario the baseline passes fails for the
    candidate with probability drop / baseline_rate, and the candidate gains none."""
    if drop <= 0 or baseline_rate <= 0:
        return 0.0
    passes = round(n * baseline_rate)
    needed = critical_worse(alpha, passes)
    return binom_sf(needed, passes, min(1.0, drop / baseline_rate))


def paired_detectable_drop(n: int, baseline_rate: float, alpha: float, power: float = 0.8) -> float:
    """Smallest drop in pass rate the paired gate detects with ``power`` (inf when none is detectable)."""
    if paired_power(n, baseline_rate, baseline_rate, alpha) < power:
        return math.inf
    return _bisect(lambda drop: paired_power(n, baseline_rate, drop, alpha) < power, 0.0, baseline_rate)


@dataclass(frozen=True)
class PairedResult:
    """One diet's paired comparison, candidate against baseline on the same scenarios."""

    diet: str
    n: int
    baseline_passed: int
    candidate_passed: int
    worse: int  # baseline passed, candidate failed
    better: int  # candidate passed, baseline failed
    p_value: float  # one-sided exact sign test
    p_holm: float = 1.0

    @property
    def difference(self) -> tuple[float, float, float]:
        return paired_difference_interval(self.worse, self.better, self.n)

    def significantly_worse(self, alpha: float) -> bool:
        return self.p_holm <= alpha


def paired_results(pairs: Mapping[str, list[tuple[bool, bool]]]) -> list[PairedResult]:
    """Per diet, from (baseline passed, candidate passed) per scenario, with Holm across the diets."""
    raw = {}
    for diet, outcomes in pairs.items():
        worse = sum(b and not c for b, c in outcomes)
        better = sum(c and not b for b, c in outcomes)
        raw[diet] = PairedResult(
            diet,
            len(outcomes),
            sum(b for b, _ in outcomes),
            sum(c for _, c in outcomes),
            worse,
            better,
            sign_test_p(worse, better),
        )
    adjusted = holm({d: r.p_value for d, r in raw.items()})
    return [PairedResult(**{**r.__dict__, "p_holm": adjusted[d]}) for d, r in raw.items()]
