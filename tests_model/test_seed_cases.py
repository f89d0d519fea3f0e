"""The seed guide's test prompt and its three dietary validation cases, judged by the oracle."""

from __future__ import annotations

import pytest

from plugin.diet import Scenario, is_forbidden
from plugin.diet.scoring import judge
from plugin.runtime.generation import SEED_TEMPERATURE, Sampling
from plugin.verdicts import report_only

pytestmark = pytest.mark.model

SEED_PROMPT = Scenario(
    "vegetarian",
    ("tomato", "onion", "garlic", "chicken breast", "olive oil", "pasta", "salt", "pepper"),
    "I want a healthy vegetarian dinner",
)

# The guide's validation cases: (name, diet, forbidden, allowed).
SEED_CASES = [
    ("Vegetarian with chicken breast", "vegetarian", ("chicken breast",), ("tomato", "pasta", "olive oil")),
    ("Vegan with dairy", "vegan", ("milk", "cheese", "eggs"), ("tofu", "vegetables")),
    ("Pescatarian with meat", "pescatarian", ("chicken", "beef", "pork"), ("salmon", "shrimp")),
]
SAMPLINGS = {"greedy": 0.0, "temp0.7": SEED_TEMPERATURE}


def _check(engine, quality_gates, scenario: Scenario, temperature: float) -> None:
    """The seed's check, by the oracle: a recipe with no forbidden ingredient.

    Single cases follow the quality gates' strict policy: they gate where the run profile gates
    (v3) and are reported as xfail with the evidence where it only reports (cpu).
    """
    prompt = engine.render(scenario)
    [output] = engine.generate([prompt], Sampling(temperature, quality_gates.max_tokens))
    verdict = judge(output, scenario)
    if verdict.diet_safe:
        return
    message = f"{verdict.explain()}\n--- output ---\n{output}"
    if quality_gates.strict_gates:
        pytest.fail(message)
    report_only(message.splitlines()[0])


@pytest.mark.parametrize("sampling", SAMPLINGS)
def test_seed_test_prompt_has_no_chicken(sampling: str, recipe_engine, quality_gates) -> None:
    _check(recipe_engine, quality_gates, SEED_PROMPT, SAMPLINGS[sampling])


@pytest.mark.parametrize("sampling", SAMPLINGS)
@pytest.mark.parametrize(("name", "diet", "forbidden", "allowed"), SEED_CASES, ids=[c[1] for c in SEED_CASES])
def test_seed_validation_case(name, diet, forbidden, allowed, sampling, recipe_engine, quality_gates) -> None:
    scenario = Scenario(diet, allowed + ("garlic", "salt") + forbidden, f"I want a {diet} dinner")
    _check(recipe_engine, quality_gates, scenario, SAMPLINGS[sampling])


def test_seed_cases_are_forbidden_by_the_oracle() -> None:
    for name, diet, forbidden, allowed in SEED_CASES:
        assert all(is_forbidden(f, diet) for f in forbidden), name
        assert not any(is_forbidden(a, diet) for a in allowed), name
