"""Mutants of real generations, for the suite's self-test: each breaks one thing a gate must catch.

They work on text (a cached generation), so a self-test costs no generation. Stdlib only.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from plugin.diet.errors import InputError
from plugin.diet.lexicon import allowed_ingredients, forbidden_ingredients, pantry_forbidden
from plugin.diet.prompts import Scenario
from plugin.diet.recipe import Recipe, parse_recipe, render_recipe, ungrounded

Mutate = Callable[[str, Scenario, random.Random], str]


def _with(recipe: Recipe, ingredient: str, step: str) -> str:
    """The recipe in the training format with one more ingredient line and one more step."""
    title = recipe.title or "Recipe"
    changed = Recipe(title, [*recipe.ingredients, ingredient], [*recipe.steps, step], [])
    try:
        return render_recipe(changed)
    except InputError:  # a part with a line break: append instead of rendering
        return f"{render_recipe(Recipe(title, [ingredient], [step], []))}"


def forbidden_item(scenario: Scenario, rng: random.Random) -> str:
    """A food the scenario's diet forbids: from its own pantry when it has one (so it stays grounded)."""
    in_pantry = sorted(p for p in scenario.pantry if pantry_forbidden(p, scenario.diet))
    return rng.choice(in_pantry or forbidden_ingredients(scenario.diet))


def inject_forbidden(text: str, scenario: Scenario, rng: random.Random) -> str:
    item = forbidden_item(scenario, rng)
    return _with(parse_recipe(text), item, f"Stir in the {item} and cook for 2 minutes.")


def add_ungrounded(text: str, scenario: Scenario, rng: random.Random) -> str:
    """One more ingredient the diet allows but the pantry lacks (checked: the pantry's names may cover it)."""
    recipe = parse_recipe(text)
    choices = sorted(a for a in allowed_ingredients(scenario.diet) if " " not in a)
    rng.shuffle(choices)
    for item in choices:
        mutated = _with(recipe, item, f"Add the {item} and season to taste.")
        if item in ungrounded(parse_recipe(mutated), list(scenario.pantry)):
            return mutated
    raise InputError(f"no allowed ingredient lies outside this pantry: {scenario.pantry}")


def break_format(text: str, scenario: Scenario, rng: random.Random) -> str:
    """The prose of the answer with no sections: no title, no ingredient list, no steps."""
    recipe = parse_recipe(text)
    return " ".join([*recipe.ingredients, *recipe.steps]) or "I would cook something nice."


def empty_answer(text: str, scenario: Scenario, rng: random.Random) -> str:
    return ""


@dataclass(frozen=True)
class Mutant:
    name: str
    mutate: Mutate
    caught_by: str  # the Verdict field that must turn false: diet_safe, grounded, format_ok


MUTANTS = (
    Mutant("forbidden-item", inject_forbidden, "diet_safe"),
    Mutant("ungrounded-item", add_ungrounded, "grounded"),
    Mutant("broken-format", break_format, "format_ok"),
    Mutant("empty-answer", empty_answer, "format_ok"),
)


def degrade(
    texts: Sequence[str], scenarios: Sequence[Scenario], passed: Sequence[bool], share: float, seed: int
) -> tuple[list[str], list[int]]:
    """Inject a forbidden item into ``share`` of the answers (rounded up), chosen among the passing ones.

    Returns the mutated texts and the indices changed: the pass rate drops by exactly that many
    when enough answers passed.
    """
    rng = random.Random(seed)
    count = math.ceil(share * len(texts) - 1e-9)
    chosen = sorted(rng.sample([i for i, ok in enumerate(passed) if ok], min(count, sum(passed))))
    out = list(texts)
    for i in chosen:
        out[i] = inject_forbidden(texts[i], scenarios[i], rng)
    return out, chosen
