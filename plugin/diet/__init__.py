"""The dietary domain: the oracle's public API (ingredients, diets, prompts, recipes, verdicts).

Pure Python (stdlib only; jinja2 lazily for chat templates): no mlx/numpy/pytest, and
nothing is loaded at import time; the lexicon (``plugin/diet/data/*.toml``) is read and
compiled on first use. The CLI is ``python -m plugin.diet`` (see ``plugin.diet.cli``).

Conventions: a diet comes right after the text or item it applies to
(``find_violations(text, diet)``, ``is_forbidden(name, diet)``, ``pantry_line(name, diet)``,
``system_prompt(pantry, diet)``); a whole request travels as one ``Scenario``
(``render_prompt(tokenizer, scenario)``, ``judge(text, scenario)``). ``DIET_CHOICES`` is the
seven diets plus "none".
"""

from __future__ import annotations

from plugin.diet.cli import main
from plugin.diet.errors import InputError, SuiteError
from plugin.diet.lexicon import (
    DIET_CHOICES,
    DIETS,
    NO_DIET,
    Diet,
    Ingredient,
    LexiconError,
    UnknownIngredientError,
    allowed_ingredients,
    canonical,
    forbidden_ingredients,
    ingredients,
    is_forbidden,
    lookup,
    offending_tags,
    surface_forms,
)
from plugin.diet.matching import Mention, Violation, find_violations, mentions
from plugin.diet.prompts import Scenario, build_messages, instruction_2, pantry_line, render_prompt, system_prompt
from plugin.diet.recipe import STAPLES, Recipe, parse_recipe, render_recipe, ungrounded
from plugin.diet.scenarios import gate_scenarios
from plugin.diet.scoring import Tally, Verdict, judge, wilson_interval
from plugin.diet.unverified import Unverified, unverified

__all__ = [
    "DIETS",
    "NO_DIET",
    "DIET_CHOICES",
    "STAPLES",
    "Diet",
    "Ingredient",
    "InputError",
    "LexiconError",
    "Mention",
    "Recipe",
    "Scenario",
    "Tally",
    "Verdict",
    "SuiteError",
    "UnknownIngredientError",
    "Unverified",
    "Violation",
    "allowed_ingredients",
    "build_messages",
    "canonical",
    "find_violations",
    "forbidden_ingredients",
    "gate_scenarios",
    "ingredients",
    "instruction_2",
    "is_forbidden",
    "judge",
    "lookup",
    "main",
    "mentions",
    "offending_tags",
    "pantry_line",
    "parse_recipe",
    "render_prompt",
    "render_recipe",
    "surface_forms",
    "system_prompt",
    "ungrounded",
    "unverified",
    "wilson_interval",
]
