"""The detection vocabulary: everything the oracle can recognise in text, in three layers.

1. the curated lexicon (``data/lexicon.toml``), which is also the pantry vocabulary;
2. curated detection-only forms (``data/detection.toml``): compounds, dish names and corrections;
3. the Open Food Facts ingredients taxonomy (``data/openfoodfacts/vocabulary.tsv``, ODbL).

An earlier layer wins a surface form over a later one. An Open Food Facts food whose name is
already a curated form joins that curated ingredient (its synonyms become extra forms of it), so
the curated verdict holds. Loaded on first use, never at import.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from plugin.diet.lexicon import DATA_DIR, Ingredient, LexiconError, _load_toml, _str_list, inflections, load
from plugin.diet.textnorm import key

DETECTION_PATH = DATA_DIR / "detection.toml"
_FORM_KEYS = frozenset({"tags", "maybe", "why", "exact", "overrides"})
PART = Ingredient("part", "detection", "food", (), (), (), ())  # a cut or part of a food: allowed on its own


@dataclass(frozen=True, slots=True)
class CuratedForm:
    ingredient: Ingredient
    exact: bool  # matched as written only, no inflections
    overrides: bool  # takes a lexicon synonym away from its lexicon ingredient, for detection only


def _curated_forms(path: Path) -> dict[str, CuratedForm]:
    """detection.toml: surface key -> its curated form (one per entry)."""
    data = _load_toml(path)
    forms = data.get("forms")
    if not isinstance(forms, dict):
        raise LexiconError(f"{path}: [forms]: missing or not a table")
    known = load().tags
    out: dict[str, CuratedForm] = {}
    for form, raw in forms.items():
        where = f"{path}: form {form!r}"
        if not isinstance(raw, dict) or set(raw) - _FORM_KEYS or not isinstance(raw.get("why"), str) or not raw["why"]:
            raise LexiconError(f"{where}: needs tags and a non-empty why (allowed keys: {', '.join(sorted(_FORM_KEYS))})")
        tags = _str_list(raw.get("tags", []), path, f"form {form!r}", "tags") if raw.get("tags") else ()
        maybe = _str_list(raw.get("maybe", []), path, f"form {form!r}", "maybe") if raw.get("maybe") else ()
        if unknown := sorted(set(tags + maybe) - known):
            raise LexiconError(f"{where}: unknown tag {unknown[0]!r}")
        exact, overrides = raw.get("exact", False), raw.get("overrides", False)
        for flag, value in (("exact", exact), ("overrides", overrides)):
            if not isinstance(value, bool):
                raise LexiconError(f"{where}: {flag} must be true or false")
        name = key(form)
        out[name] = CuratedForm(Ingredient(name, "detection", "food", (), (), tuple(tags), tuple(maybe)), exact, overrides)
    return out


def _check_override(path: Path, name: str, owner: str | None) -> None:
    """An override may only take a lexicon synonym: a canonical name is a pantry item, whose verdict the lexicon keeps."""
    if owner is None or owner == name:
        what = "not a lexicon synonym" if owner is None else "a lexicon ingredient's own name"
        raise LexiconError(f"{path}: form {name!r}: overrides = true, but the form is {what}")


def _parts(path: Path) -> tuple[str, ...]:
    """detection.toml [parts] words: cuts and parts ("cheeks", "fillets") that refer to a listed food."""
    raw = _load_toml(path).get("parts", {})
    if not isinstance(raw, dict) or set(raw) != {"words"}:
        raise LexiconError(f"{path}: [parts]: needs exactly one key, words")
    return _str_list(raw["words"], path, "parts", "words")


def _add(surface: dict[str, str], form: str, name: str) -> None:
    surface.setdefault(form, name)


@functools.cache
def detection_vocabulary(detection_path: Path = DETECTION_PATH) -> tuple[Mapping[str, str], Mapping[str, Ingredient]]:
    """(surface key -> ingredient name, ingredient name -> Ingredient) over the three layers."""
    from plugin.diet import off_vocabulary

    lex = load()
    surface = dict(lex.surface)
    ingredients: dict[str, Ingredient] = dict(lex.ingredients)
    for name, curated_form in _curated_forms(detection_path).items():
        owner = surface.get(name)
        if curated_form.overrides:
            _check_override(detection_path, name, owner)
        elif owner is not None:
            continue  # the pantry vocabulary already decides this form
        ingredients.setdefault(name, curated_form.ingredient)
        for form in (name,) if curated_form.exact else (name, *inflections(name)):
            if curated_form.overrides and surface.get(form) == owner:
                surface[form] = name  # "brioche buns" too, where the lexicon's synonym owns the plural
            else:
                _add(surface, form, name)
    curated = frozenset(surface)
    for food in off_vocabulary.load():
        name = key(food.name)
        owner = surface.get(name)
        if owner is None:
            owner = name if name not in ingredients else f"{name} ({food.id})"
            ingredients[owner] = Ingredient(owner, "off", "food", (), (), food.tags, food.maybe)
        for form in food.forms:
            if not _extends(form, curated):
                _add(surface, form, owner)
    ingredients[PART.name] = PART
    for word in _parts(detection_path):
        for form in (key(word), *inflections(key(word))):
            owner = surface.get(form)
            if form == key(word) and owner is not None and ingredients[owner].tags == ("off",) and not ingredients[owner].maybe:
                surface[form] = PART.name  # a listed part Open Food Facts names with no verdict ("breasts")
            else:
                _add(surface, form, PART.name)
    return surface, ingredients


def _extends(form: str, curated: frozenset[str]) -> bool:
    """Whether an Open Food Facts form contains a curated form as a longer phrase ("dark chocolate chips").

    Longest match would let such a form take over text the curated entry decides, with Open Food
    Facts' tags; the curated form (and the context rules around it) keep it instead.
    """
    words = form.split()
    return any(
        " ".join(words[i:j]) in curated for i in range(len(words)) for j in range(i + 1, len(words) + 1) if j - i < len(words)
    )
