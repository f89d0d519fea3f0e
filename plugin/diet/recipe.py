"""Parsing, rendering and pantry-grounding of generated recipes.

The fine-tuned model is trained to answer in this shape (seed training guide)::

    Recipe: Tomato Basil Pasta

    Selected ingredients from your pantry:
    - pasta
    - tomato

    Instructions:
    1. Boil pasta according to package directions
    2. ...

The parser is deliberately tolerant (markdown bold/headers, ``*``/``•``/numbered
bullets, any case, extra prose, chat special tokens) because format drift is
measured separately through ``Recipe.problems`` rather than by crashing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from plugin.diet.errors import InputError
from plugin.diet.lexicon import UnknownIngredientError, canonical
from plugin.diet.matching import mentions
from plugin.diet.textnorm import key

# Always allowed without being in the pantry. Salt and pepper are NOT staples:
# the seed's prompts list them as pantry items, so the model must select them.
STAPLES: frozenset[str] = frozenset({"water", "ice"})

TITLE_PREFIX = "Recipe: "
INGREDIENTS_HEADER = "Selected ingredients from your pantry:"
STEPS_HEADER = "Instructions:"

PROBLEM_NO_TITLE = "no title (expected a 'Recipe: <name>' line)"
PROBLEM_NO_INGREDIENTS = "no ingredient section (expected 'Selected ingredients from your pantry:' and '- item' lines)"
PROBLEM_EMPTY_INGREDIENTS = "ingredient section has no items"
PROBLEM_NO_STEPS = "no numbered steps (expected 'Instructions:' and '1. ...' lines)"

_SPECIAL_TOKEN_RE = re.compile(r"<\|[A-Za-z_]+\|>|</s>|<s>")
_BULLET_RE = re.compile(r"^\s*(?:[-*\u2022\u2023\u25e6\u2043+]|(\d+)\s*[.):])\s+(.*)$")
_HEADER_MARK_RE = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS_RE = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_TITLE_RE = re.compile(r"^(?:recipe(?:\s+(?:name|title))?|title)\s*[:\-\u2013\u2014]\s*(.+)$", re.I)
_INGREDIENTS_RE = re.compile(r"^(?:selected\s+|pantry\s+)?ingredients\b", re.I)
_STEPS_RE = re.compile(r"^(?:instructions|directions|steps|method|preparation|procedure)\b", re.I)


@dataclass
class Recipe:
    title: str | None
    ingredients: list[str]
    steps: list[str]
    problems: list[str] = field(default_factory=list)


def _clean(line: str) -> tuple[str, bool]:
    """Strip markdown; report whether the line was styled as a heading."""
    heading = bool(_HEADER_MARK_RE.match(line))
    stripped = _HEADER_MARK_RE.sub("", line).strip()
    plain = _EMPHASIS_RE.sub("", stripped).strip()
    emphasised = plain != stripped and stripped.startswith(("*", "_"))
    return plain, heading or emphasised


def _section(plain: str, styled: bool) -> str | None:
    """'ingredients' / 'steps' when the line is a section header."""
    looks_like_header = styled or plain.endswith(":") or len(plain.split()) <= 2
    if not looks_like_header or len(plain) > 60:
        return None
    if _INGREDIENTS_RE.match(plain):
        return "ingredients"
    if _STEPS_RE.match(plain):
        return "steps"
    return None


@dataclass
class _State:
    title: str | None = None
    fallback_title: str | None = None
    section: str | None = None
    saw_ingredients_header: bool = False
    ingredients: list[str] = field(default_factory=list)
    plain_ingredients: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    numbered: bool = False
    continuing: bool = False  # last line was a step: a wrapped line extends it


def _feed(st: _State, raw: str) -> None:
    if not raw.strip():
        st.continuing = False
        return
    bullet = _BULLET_RE.match(raw)
    plain, styled = _clean(bullet.group(2) if bullet else raw)
    if not plain:
        return
    if not bullet:
        title = _TITLE_RE.match(plain)
        if title and st.title is None:
            st.title = title.group(1).strip()
            return
        section = _section(plain, styled)
        if section:
            st.section, st.continuing = section, False
            st.saw_ingredients_header |= section == "ingredients"
            return
    if st.section == "ingredients":
        if bullet and bullet.group(1) and st.ingredients and not st.numbered:
            st.section = "steps"  # dash-bulleted items then "1." lines: steps header missing
        elif bullet:
            st.numbered = bool(bullet.group(1)) if not st.ingredients else st.numbered
            st.ingredients.append(plain)
            return
        else:
            st.plain_ingredients.append(plain)
            return
    if st.section == "steps":
        if bullet:
            st.steps.append(plain)
            st.continuing = True
        elif st.continuing and st.steps:
            st.steps[-1] = f"{st.steps[-1]} {plain}"
        return
    if styled and st.fallback_title is None and st.section is None:
        st.fallback_title = plain


def parse_recipe(text: str) -> Recipe:
    """Parse a generated recipe; never raises, reports gaps in ``problems``."""
    st = _State()
    for raw in _SPECIAL_TOKEN_RE.sub("\n", text).splitlines():
        _feed(st, raw)
    title = st.title if st.title is not None else st.fallback_title
    items = st.ingredients or st.plain_ingredients
    problems = []
    if not title:
        problems.append(PROBLEM_NO_TITLE)
    if not st.saw_ingredients_header:
        problems.append(PROBLEM_NO_INGREDIENTS)
    elif not items:
        problems.append(PROBLEM_EMPTY_INGREDIENTS)
    if not st.steps:
        problems.append(PROBLEM_NO_STEPS)
    return Recipe(title=title or None, ingredients=items, steps=st.steps, problems=problems)


def render_recipe(recipe: Recipe) -> str:
    """The exact training format; ``parse_recipe(render_recipe(r))`` gives ``r`` back."""
    if not recipe.title or not recipe.title.strip():
        raise InputError("cannot render a recipe without a title")
    for part in [recipe.title, *recipe.ingredients, *recipe.steps]:
        if "\n" in part or "\r" in part or not part.strip():
            raise InputError(f"recipe parts must be non-empty single lines: {part!r}")
    lines = [f"{TITLE_PREFIX}{recipe.title.strip()}", "", INGREDIENTS_HEADER]
    lines += [f"- {item.strip()}" for item in recipe.ingredients]
    lines += ["", STEPS_HEADER]
    lines += [f"{n}. {step.strip()}" for n, step in enumerate(recipe.steps, 1)]
    return "\n".join(lines)


_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _pantry_names(pantry: Sequence[str]) -> set[str]:
    names = set()
    for item in pantry:
        try:
            names.add(canonical(item))
        except UnknownIngredientError:
            names.add(key(item))  # still comparable by folded spelling
    return names


def _grounded(name: str, pantry: set[str]) -> bool:
    if name in pantry or name in STAPLES:
        return True
    # a generic name for a pantry item counts: "chicken" for "chicken breast"
    words = set(name.split())
    return any(words <= set(p.split()) for p in pantry)


def ungrounded(recipe: Recipe, pantry: Sequence[str]) -> list[str]:
    """Selected ingredients that are not in ``pantry`` (canonical names; raw
    text for items the lexicon does not know). STAPLES are always allowed."""
    available = _pantry_names(pantry)
    missing: dict[str, None] = {}
    for item in recipe.ingredients:
        text = _PAREN_RE.sub(" ", item)  # "olive oil (oil)": the display category is not an item
        found = mentions(text)
        if not found and key(text) not in available:
            missing[item.strip()] = None
        for m in found:
            if not _grounded(m.ingredient, available):
                missing[m.ingredient] = None
    return list(missing)
