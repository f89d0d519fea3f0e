"""The seed's V3 system prompt, built in ONE place.

Instruction 2 wording: the seed guide only shows the vegetarian prompt
("do NOT select meat/fish for vegetarian recipes"). That sentence is kept
verbatim for vegetarian; other diets get the same sentence with their own
forbidden foods (``prompt_forbids`` in plugin/diet/data/diets.toml), and "none"
says that nothing is restricted. ``seed_verbatim=True`` reproduces the seed's
sentence for every diet, in case the training data used it unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from plugin.diet.errors import InputError
from plugin.diet.lexicon import NO_DIET, check_diet, is_forbidden, load, lookup

SYSTEM_INTRO = "You are a creative recipe generator with access to the user's pantry inventory."
PANTRY_HEADER = "Available ingredients in pantry:"
INSTRUCTION_1 = "1. Based on the user's request, select appropriate ingredients from the available inventory"
SEED_INSTRUCTION_2 = "2. IMPORTANT: Respect dietary restrictions - do NOT select meat/fish for vegetarian recipes"
INSTRUCTION_3 = "3. Generate a complete, practical recipe with clear steps"


def pantry_line(name: str, diet: str) -> str:
    """``- name (display)`` plus ``[FORBIDDEN for diet]`` when the oracle forbids it.

    Raises ValueError (UnknownIngredientError) naming ``name`` if the lexicon
    does not know it: an unknown item could never be marked FORBIDDEN.
    """
    check_diet(diet)
    ing = lookup(name)
    line = f"- {name.strip()} ({ing.display})"
    if diet != NO_DIET and is_forbidden(ing, diet):
        line += f" [FORBIDDEN for {diet}]"
    return line


def instruction_2(diet: str, *, seed_verbatim: bool = False) -> str:
    check_diet(diet)
    if seed_verbatim:
        return SEED_INSTRUCTION_2
    if diet == NO_DIET:
        return "2. IMPORTANT: Respect dietary restrictions - this user has no dietary restrictions"
    forbids = load().diets[diet].prompt_forbids
    return f"2. IMPORTANT: Respect dietary restrictions - do NOT select {forbids} for {diet} recipes"


def system_prompt(pantry: Sequence[str], diet: str, *, seed_verbatim: bool = False) -> str:
    lines = [SYSTEM_INTRO, "", PANTRY_HEADER]
    lines += [pantry_line(item, diet) for item in pantry]
    lines += ["", f"User dietary preference: {diet}", "", "Instructions:"]
    lines += [INSTRUCTION_1, instruction_2(diet, seed_verbatim=seed_verbatim), INSTRUCTION_3]
    return "\n".join(lines)


@dataclass(frozen=True)
class Scenario:
    """What one prompt is made of: the user's diet (or "none"), their pantry and their request."""

    diet: str
    pantry: tuple[str, ...]
    request: str


def build_messages(scenario: Scenario, *, seed_verbatim: bool = False) -> list[dict[str, str]]:
    """System + user chat messages for one generation request."""
    return [
        {"role": "system", "content": system_prompt(scenario.pantry, scenario.diet, seed_verbatim=seed_verbatim)},
        {"role": "user", "content": scenario.request},
    ]


def render_prompt(tokenizer: Any, scenario: Scenario, *, seed_verbatim: bool = False) -> str:
    """Prompt text via the tokenizer's own chat template (duck-typed: any
    object with ``apply_chat_template``; no transformers/mlx import here)."""
    messages = build_messages(scenario, seed_verbatim=seed_verbatim)
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


_PANTRY_LINE = "- "
_DIET_LINE = "User dietary preference: "


def parse_system_prompt(text: str) -> tuple[list[str], str]:
    """Pantry names and the diet back out of a rendered system prompt."""
    pantry: list[str] = []
    diet = ""
    in_pantry = False
    for line in text.splitlines():
        if line == PANTRY_HEADER:
            in_pantry = True
        elif in_pantry and line.startswith(_PANTRY_LINE):
            pantry.append(line[len(_PANTRY_LINE) :].split(" (", 1)[0])
        elif line.startswith(_DIET_LINE):
            diet = line[len(_DIET_LINE) :].strip()
            in_pantry = False
        elif not line.strip():
            in_pantry = in_pantry and not pantry
    if not pantry or not diet:
        raise InputError("not a recipe system prompt: no pantry lines or no 'User dietary preference:' line")
    return pantry, diet
