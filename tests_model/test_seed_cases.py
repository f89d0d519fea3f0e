"""The seed guide's test prompt and its three dietary validation cases, judged by the oracle."""

from __future__ import annotations

import pytest

from plugin import diet
from plugin.generation import SEED_TEMPERATURE, Sampling
from plugin.scoring import judge

pytestmark = pytest.mark.model

SEED_PANTRY = ("tomato", "onion", "garlic", "chicken breast", "olive oil", "pasta", "salt", "pepper")
SEED_REQUEST = "I want a healthy vegetarian dinner"

# The guide's validation cases: (name, diet, forbidden, allowed).
SEED_CASES = [
    ("Vegetarian with chicken breast", "vegetarian", ("chicken breast",), ("tomato", "pasta", "olive oil")),
    ("Vegan with dairy", "vegan", ("milk", "cheese", "eggs"), ("tofu", "vegetables")),
    ("Pescatarian with meat", "pescatarian", ("chicken", "beef", "pork"), ("salmon", "shrimp")),
]
SAMPLINGS = {"greedy": 0.0, "temp0.7": SEED_TEMPERATURE}


def _check(engine, quality_profile, pantry, preference, request, temperature) -> None:  # type: ignore[no-untyped-def]
    """The seed's check, by the oracle: a recipe with no forbidden ingredient.

    Single cases follow the profile's strict policy: they gate where the profile gates
    (v3) and are reported as xfail with the evidence where it only reports (cpu).
    """
    prompt = engine.render(pantry, preference, request)
    [output] = engine.generate([prompt], Sampling(temperature, quality_profile.max_tokens))
    verdict = judge(output, preference, pantry)
    if verdict.diet_safe:
        return
    message = f"{verdict.explain()}\n--- output ---\n{output}"
    if quality_profile.strict_gates:
        pytest.fail(message)
    pytest.xfail(f"reported, not gated, in this profile: {message.splitlines()[0]}")


@pytest.mark.parametrize("sampling", SAMPLINGS)
def test_seed_test_prompt_has_no_chicken(sampling: str, recipe_engine, quality_profile) -> None:
    _check(recipe_engine, quality_profile, SEED_PANTRY, "vegetarian", SEED_REQUEST, SAMPLINGS[sampling])


@pytest.mark.parametrize("sampling", SAMPLINGS)
@pytest.mark.parametrize(("name", "preference", "forbidden", "allowed"), SEED_CASES, ids=[c[1] for c in SEED_CASES])
def test_seed_validation_case(name, preference, forbidden, allowed, sampling, recipe_engine, quality_profile) -> None:  # type: ignore[no-untyped-def]
    pantry = allowed + ("garlic", "salt") + forbidden
    request = f"I want a {preference} dinner"
    _check(recipe_engine, quality_profile, pantry, preference, request, SAMPLINGS[sampling])


def test_seed_cases_are_forbidden_by_the_oracle() -> None:
    for name, preference, forbidden, allowed in SEED_CASES:
        assert all(diet.is_forbidden(f, preference) for f in forbidden), name
        assert not any(diet.is_forbidden(a, preference) for a in allowed), name
