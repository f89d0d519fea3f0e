"""Each mutant breaks the verdict it is meant to break, on answers in the training format."""

from __future__ import annotations

import random

import pytest

from plugin.diet import DIETS
from plugin.diet.lexicon import pantry_forbidden
from plugin.diet.mutants import MUTANTS, degrade
from plugin.diet.recipe import Recipe, render_recipe
from plugin.diet.scenarios import gate_scenarios
from plugin.diet.scoring import judge


def _compliant(scenario) -> str:
    allowed = [p for p in scenario.pantry if not pantry_forbidden(p, scenario.diet)][:3]
    return render_recipe(Recipe("Pantry Bowl", allowed, ["Cook everything gently.", "Serve warm."], []))


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
@pytest.mark.parametrize("diet", DIETS)
def test_mutant_breaks_its_verdict(mutant, diet: str) -> None:
    scenario = next(s for s in gate_scenarios(48) if s.diet == diet)
    text = _compliant(scenario)
    assert judge(text, scenario).passed, judge(text, scenario).explain()
    mutated = judge(mutant.mutate(text, scenario, random.Random(0)), scenario)
    assert not getattr(mutated, mutant.caught_by), mutated.explain()


def test_degrade_drops_exactly_the_share() -> None:
    scenarios = [s for s in gate_scenarios(96) if s.diet == "vegan"]
    texts = [_compliant(s) for s in scenarios]
    mutated, changed = degrade(texts, scenarios, [True] * len(texts), 0.25, seed=7)
    assert len(changed) == 3
    assert sum(judge(t, s).passed for t, s in zip(mutated, scenarios)) == len(texts) - 3
