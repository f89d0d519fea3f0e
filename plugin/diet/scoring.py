"""Verdicts on one generated recipe, all from the oracle (no MLX here)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from plugin.diet.lexicon import NO_DIET
from plugin.diet.matching import Violation, find_violations
from plugin.diet.prompts import Scenario
from plugin.diet.recipe import parse_recipe, ungrounded
from plugin.diet.unverified import Unverified, unverified


@dataclass(frozen=True)
class Verdict:
    diet: str
    format_ok: bool
    grounded: bool
    diet_safe: bool
    violations: tuple[Violation, ...] = ()
    ungrounded: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    unverified: tuple[Unverified, ...] = ()  # ingredient lines naming no food the oracle knows

    @property
    def passed(self) -> bool:
        """Compliant: a well-formed recipe, from the pantry, with nothing the diet forbids."""
        return self.format_ok and self.grounded and self.diet_safe

    def explain(self) -> str:
        parts = [f"format problems: {'; '.join(self.problems)}"] if self.problems else []
        parts += [
            f"violates {self.diet}: {v.term!r} ({v.ingredient}, {v.category}) at {v.start}:{v.end}" for v in self.violations
        ]
        if self.ungrounded:
            parts.append(f"not in pantry: {', '.join(self.ungrounded)}")
        if self.unverified:
            parts.append(f"unverified: {', '.join(repr(u.term) for u in self.unverified)}")
        return "; ".join(parts) or "ok"


def judge(text: str, scenario: Scenario, *, strict: bool = False) -> Verdict:
    """The verdicts on ``text``, a model's answer to ``scenario``.

    ``strict`` also counts disputed ingredients and unverified ingredient lines against diet
    safety; unverified lines are listed in every mode.
    """
    recipe = parse_recipe(text)
    violations = () if scenario.diet == NO_DIET else tuple(find_violations(text, scenario.diet, strict=strict))
    missing = tuple(ungrounded(recipe, list(scenario.pantry)))
    unknown = () if scenario.diet == NO_DIET else tuple(unverified(text))
    has_recipe = bool(recipe.ingredients)
    return Verdict(
        diet=scenario.diet,
        format_ok=not recipe.problems,
        grounded=has_recipe and not missing,
        # An answer with no recipe is not "safe": it did not do the job.
        diet_safe=has_recipe and not violations and not (strict and unknown),
        violations=violations,
        ungrounded=missing,
        problems=tuple(recipe.problems),
        unverified=unknown,
    )


def wilson_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score 95% interval for a binomial proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Tally:
    n: int = 0
    passed: int = 0
    format_ok: int = 0
    grounded: int = 0
    diet_safe: int = 0
    unverified: int = 0  # verdicts with at least one unverified ingredient line
    failures: list[str] = field(default_factory=list)

    def add(self, verdict: Verdict, label: str = "") -> None:
        self.n += 1
        self.passed += verdict.passed
        self.format_ok += verdict.format_ok
        self.grounded += verdict.grounded
        self.diet_safe += verdict.diet_safe
        self.unverified += bool(verdict.unverified)
        if not verdict.passed:
            self.failures.append(f"{label}: {verdict.explain()}")

    def rate(self, attr: str = "passed") -> float:
        return getattr(self, attr) / self.n if self.n else 0.0

    def wilson(self, attr: str = "passed") -> tuple[float, float]:
        return wilson_interval(getattr(self, attr), self.n)


def total_tally(tallies: Iterable[Tally]) -> Tally:
    """One tally over all of ``tallies`` (the overall pass rate across diets)."""
    total = Tally()
    counts = [f.name for f in fields(Tally) if f.name != "failures"]
    for tally in tallies:
        for attr in counts:
            setattr(total, attr, getattr(total, attr) + getattr(tally, attr))
        total.failures += tally.failures
    return total
