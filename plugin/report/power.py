"""What the gates can detect, as Markdown lines for the scorecard (exact binomial arithmetic)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from plugin.diet import stats
from plugin.diet.scoring import Tally

POWER = 0.8  # "detects" means: fails with at least this probability


def absolute_lines(tallies: Mapping[str, Tally], lower_bound: float, overall_bound: float) -> list[str]:
    """Per diet: passes needed, the true pass rate below which the gate fails with 80% probability, and the
    probability that an adapter as good as this one's observed rate fails it on a fresh draw."""
    lines = [
        f"| diet | n | needed | detects a true rate below ({POWER:.0%} power) | fails on a fresh draw at this rate |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = [(diet, t, lower_bound) for diet, t in sorted(tallies.items())]
    total = Tally(n=sum(t.n for t in tallies.values()), passed=sum(t.passed for t in tallies.values()))
    rows.append(("all diets", total, overall_bound))
    for diet, tally, bound in rows:
        needed = stats.min_passes(tally.n, bound)
        detect = stats.detectable_rate(tally.n, needed, POWER)
        false_alarm = stats.fail_probability(tally.n, needed, tally.rate())
        lines.append(f"| {diet} | {tally.n} | {needed} | {detect:.0%} | {false_alarm:.1%} at {tally.rate():.0%} |")
    return lines


def paired_lines(results: Sequence[stats.PairedResult], alpha: float) -> list[str]:
    """Per diet: both pass rates, the discordant pairs, the paired difference (95% CI), p-values, the verdict,
    and the smallest drop the gate detects with 80% power at the baseline's pass rate."""
    lines = [
        f"Paired exact sign test on the discordant scenarios, one-sided, Holm across {len(results)} diets, "
        f"family-wise alpha {alpha}.",
        "",
        "| diet | baseline | candidate | worse / better | difference (95% CI) | p | p (Holm) | gate | detects a drop of |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in results:
        diff, low, high = r.difference
        drop = stats.paired_detectable_drop(r.n, r.baseline_passed / r.n if r.n else 0.0, alpha / len(results), POWER)
        verdict = "FAIL" if r.significantly_worse(alpha) else "pass"
        lines.append(
            f"| {r.diet} | {r.baseline_passed}/{r.n} | {r.candidate_passed}/{r.n} | {r.worse} / {r.better} "
            f"| {diff:+.0%} ({low:+.0%} to {high:+.0%}) | {r.p_value:.4f} | {r.p_holm:.4f} | {verdict} "
            f"| {'none' if drop == float('inf') else f'{drop:.0%}'} |"
        )
    lines += ["", f"'detects a drop of': {POWER:.0%} power against a pure drop, at the first Holm step (alpha / diets)."]
    return lines
