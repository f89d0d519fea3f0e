"""Loading and validation of the ingredient lexicon and diet definitions.

Both live as TOML data in ``plugin/diet/data`` so that adding an ingredient never
needs a code change. Everything is loaded lazily on first use (and cached), so
``import plugin.diet`` stays cheap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomllib

from plugin.diet.errors import InputError, SuiteError
from plugin.diet.textnorm import key

DATA_DIR = Path(__file__).with_name("data")
LEXICON_PATH = DATA_DIR / "lexicon.toml"
DIETS_PATH = DATA_DIR / "diets.toml"
PANTRY_POLICY_PATH = DATA_DIR / "pantry_policy.toml"

DIETS: tuple[str, ...] = (
    "vegetarian",
    "vegan",
    "pescatarian",
    "gluten-free",
    "dairy-free",
    "nut-free",
    "halal",
)
NO_DIET = "none"
DIET_CHOICES: tuple[str, ...] = DIETS + (NO_DIET,)  # what a user may choose: a diet, or none

_NAME_RE = re.compile(r"[a-z0-9]+(?:[ '-][a-z0-9]+)*")
_INGREDIENT_KEYS = frozenset({"synonyms", "plurals", "contains", "maybe", "display", "not_followed_by"})
_DIET_KEYS = frozenset(
    {
        "policy",
        "forbid",
        "maybe",
        "disputed",
        "forbid_ingredients",
        "maybe_ingredients",
        "allow_ingredients",
        "prompt_forbids",
    }
)
_DIET_TEXT_KEYS = frozenset({"policy", "prompt_forbids"})


class LexiconError(SuiteError, ValueError):
    """The lexicon or diet data file is malformed."""


class UnknownIngredientError(SuiteError, KeyError, ValueError):
    """A name that is neither a canonical ingredient nor a known surface form."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, slots=True)
class Ingredient:
    name: str
    category: str
    display: str
    synonyms: tuple[str, ...]
    plurals: tuple[str, ...]
    contains: tuple[str, ...]
    maybe: tuple[str, ...]
    not_followed_by: tuple[str, ...] = ()

    @property
    def tags(self) -> tuple[str, ...]:
        """Tags the ingredient always carries: its category, then contains."""
        return (self.category,) + self.contains


@dataclass(frozen=True, slots=True)
class Diet:
    name: str
    policy: str  # the definition followed, with its source
    forbid: frozenset[str]
    maybe: frozenset[str]
    disputed: Mapping[str, str]  # maybe tag -> why it is disputed
    forbid_ingredients: frozenset[str]
    maybe_ingredients: frozenset[str]
    allow_ingredients: frozenset[str]
    prompt_forbids: str
    qualifiers: Mapping[str, frozenset[str]]  # qualifiers that clear tags for this diet only ("halal")


@dataclass(frozen=True, slots=True)
class Lexicon:
    ingredients: Mapping[str, Ingredient]
    surface: Mapping[str, str]  # key("Chick Peas") -> "chickpeas"
    diets: Mapping[str, Diet]
    qualifiers: Mapping[str, frozenset[str]]  # "dairy free" -> cleared tags
    tags: frozenset[str]


# --------------------------------------------------------------------------
# plural / singular generation


def _inflect_word(word: str) -> tuple[str, ...]:
    """Regular English plural (or singular, for words already plural)."""
    if len(word) < 3 or not word.isalpha():
        return ()
    if word.endswith("s"):
        if word.endswith(("ss", "us", "is")):
            return ()
        if word.endswith("ies") and len(word) > 4:
            return (word[:-3] + "y",)
        if word.endswith(("oes", "ches", "shes", "xes", "zes")):
            return (word[:-2],)
        return (word[:-1],)
    if word.endswith("y") and word[-2] not in "aeiou":
        return (word[:-1] + "ies",)
    if word.endswith("o"):
        return (word + "s", word + "es")
    if word.endswith(("ch", "sh", "x", "z")):
        return (word + "es",)
    return (word + "s",)


def inflections(form: str) -> tuple[str, ...]:
    """Forms of a (folded, space-joined) surface form with its last word inflected."""
    head, _, last = form.rpartition(" ")
    return tuple(f"{head} {w}" if head else w for w in _inflect_word(last))


# --------------------------------------------------------------------------
# validation helpers


def _fail(path: Path, where: str, message: str) -> LexiconError:
    return LexiconError(f"{path}: {where}: {message}")


def _str_list(value: Any, path: Path, where: str, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, where, f"{field!r} must be a list of non-empty strings")
    return tuple(value)


def _check_tags(tags: Iterable[str], known: frozenset[str], path: Path, where: str) -> None:
    for tag in tags:
        if tag not in known:
            raise _fail(path, where, f"unknown tag {tag!r} (known: {', '.join(sorted(known))})")


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: invalid TOML: {exc}") from None


# --------------------------------------------------------------------------
# ingredients


def _check_table(raw: Any, allowed: frozenset[str], path: Path, where: str) -> None:
    if not isinstance(raw, dict):
        raise _fail(path, where, "value must be a table")
    unknown = set(raw) - allowed
    if unknown:
        raise _fail(path, where, f"unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _parse_ingredient(
    name: str, raw: Any, category: str, displays: Mapping[str, str], tags: frozenset[str], path: Path
) -> Ingredient:
    where = f"ingredient {name!r} in [ingredients.{category}]"
    _check_table(raw, _INGREDIENT_KEYS, path, where)
    if not _NAME_RE.fullmatch(name):
        raise _fail(path, where, "canonical names must be lower-case ASCII words separated by single spaces or hyphens")
    lists = {f: _str_list(raw.get(f, []), path, where, f) for f in _INGREDIENT_KEYS - {"display"}}
    _check_tags(lists["contains"] + lists["maybe"], tags, path, where)
    display = raw.get("display", displays[category])
    if not isinstance(display, str) or not display:
        raise _fail(path, where, "'display' must be a non-empty string")
    return Ingredient(
        name=name,
        category=category,
        display=display,
        synonyms=lists["synonyms"],
        plurals=lists["plurals"],
        contains=lists["contains"],
        maybe=lists["maybe"],
        not_followed_by=tuple(key(w) for w in lists["not_followed_by"]),
    )


def _register(surface: dict[str, str], form: str, name: str, path: Path) -> None:
    k = key(form)
    if not k:
        raise _fail(path, f"ingredient {name!r}", f"surface form {form!r} has no letters")
    owner = surface.setdefault(k, name)
    if owner != name:
        raise _fail(path, f"ingredient {name!r}", f"surface form {form!r} already belongs to {owner!r}")


def _surface_map(ingredients: Mapping[str, Ingredient], path: Path) -> dict[str, str]:
    explicit: dict[str, str] = {}
    for ing in ingredients.values():
        for form in (ing.name, *ing.synonyms, *ing.plurals):
            _register(explicit, form, ing.name, path)
    # Generated inflections never override a listed form; ambiguous ones are dropped.
    generated: dict[str, str | None] = {}
    for form, name in list(explicit.items()):
        for inflected in inflections(form):
            if inflected in explicit:
                continue
            prior = generated.get(inflected, name)
            generated[inflected] = name if prior == name else None
    explicit.update({k: v for k, v in generated.items() if v is not None})
    return explicit


def _load_ingredients(path: Path) -> tuple[dict[str, Ingredient], frozenset[str]]:
    data = _load_toml(path)
    for section in ("categories", "tags", "ingredients"):
        if not isinstance(data.get(section), dict):
            raise _fail(path, f"[{section}]", "missing or not a table")
    displays = data["categories"]
    extra = _str_list(data["tags"].get("extra", []), path, "[tags]", "extra")
    tags = frozenset(displays) | frozenset(extra)
    ingredients: dict[str, Ingredient] = {}
    for category, entries in data["ingredients"].items():
        if category not in displays:
            raise _fail(path, f"[ingredients.{category}]", f"unknown category (known: {', '.join(displays)})")
        for name, raw in entries.items():
            if name in ingredients:
                raise _fail(path, f"ingredient {name!r}", f"defined twice ({ingredients[name].category} and {category})")
            ingredients[name] = _parse_ingredient(name, raw, category, displays, tags, path)
    return ingredients, tags


# --------------------------------------------------------------------------
# diets


def _parse_diet(
    name: str, raw: Any, tags: frozenset[str], names: frozenset[str], qualifiers: Mapping[str, frozenset[str]], path: Path
) -> Diet:
    where = f"diet {name!r}"
    _check_table(raw, _DIET_KEYS, path, where)
    lists = {f: frozenset(_str_list(raw.get(f, []), path, where, f)) for f in _DIET_KEYS - _DIET_TEXT_KEYS - {"disputed"}}
    _check_tags(lists["forbid"] | lists["maybe"], tags, path, where)
    for field in ("forbid_ingredients", "maybe_ingredients", "allow_ingredients"):
        for ing in lists[field]:
            if ing not in names:
                raise _fail(path, f"{where}, {field}", f"unknown ingredient {ing!r}")
    texts = {}
    for field in _DIET_TEXT_KEYS:
        value = raw.get(field)
        if not isinstance(value, str) or not value:
            raise _fail(path, where, f"{field!r} must be a non-empty string")
        texts[field] = value
    disputed = raw.get("disputed", {})
    if not isinstance(disputed, dict) or not all(isinstance(v, str) and v for v in disputed.values()):
        raise _fail(path, where, "'disputed' must be a table of tag = reason")
    if set(disputed) != lists["maybe"]:
        missing = sorted(lists["maybe"] - set(disputed)) or sorted(set(disputed) - lists["maybe"])
        raise _fail(path, where, f"every 'maybe' tag needs a reason under 'disputed', and only those: {missing[0]!r}")
    return Diet(
        name=name,
        policy=texts["policy"],
        forbid=lists["forbid"],
        maybe=lists["maybe"],
        disputed=dict(disputed),
        forbid_ingredients=lists["forbid_ingredients"],
        maybe_ingredients=lists["maybe_ingredients"],
        allow_ingredients=lists["allow_ingredients"],
        prompt_forbids=texts["prompt_forbids"],
        qualifiers=qualifiers,
    )


def _load_diets(path: Path, tags: frozenset[str], names: frozenset[str]) -> tuple[dict[str, Diet], dict[str, frozenset[str]]]:
    data = _load_toml(path)
    raw_diets = data.get("diets")
    if not isinstance(raw_diets, dict):
        raise _fail(path, "[diets]", "missing or not a table")
    if set(raw_diets) != set(DIETS):
        raise _fail(path, "[diets]", f"must define exactly {', '.join(DIETS)}; got {', '.join(raw_diets)}")
    qualifiers = _parse_qualifiers(data.get("qualifiers", {}), tags, path, "[qualifiers]")
    scoped = data.get("diet_qualifiers", {})
    if not isinstance(scoped, dict) or set(scoped) - set(DIETS):
        raise _fail(path, "[diet_qualifiers]", f"must be a table of diets ({', '.join(DIETS)})")
    diets = {
        name: _parse_diet(
            name,
            raw_diets[name],
            tags,
            names,
            _parse_qualifiers(scoped.get(name, {}), tags, path, f"[diet_qualifiers.{name}]"),
            path,
        )
        for name in DIETS
    }
    return diets, qualifiers


def _parse_qualifiers(raw: Any, tags: frozenset[str], path: Path, where: str) -> dict[str, frozenset[str]]:
    if not isinstance(raw, dict):
        raise _fail(path, where, "must be a table of qualifier = [tags]")
    qualifiers: dict[str, frozenset[str]] = {}
    for phrase, cleared in raw.items():
        here = f"{where} qualifier {phrase!r}"
        cleared_tags = frozenset(_str_list(cleared, path, here, "tags"))
        _check_tags(cleared_tags, tags, path, here)
        qualifiers[key(phrase)] = cleared_tags
    return qualifiers


@functools.cache
def load(lexicon_path: Path = LEXICON_PATH, diets_path: Path = DIETS_PATH) -> Lexicon:
    """Load and validate the data files once per process."""
    ingredients, tags = _load_ingredients(lexicon_path)
    surface = _surface_map(ingredients, lexicon_path)
    diets, qualifiers = _load_diets(diets_path, tags, frozenset(ingredients))
    return Lexicon(
        ingredients=ingredients,
        surface=surface,
        diets=diets,
        qualifiers=qualifiers,
        tags=tags,
    )


# --------------------------------------------------------------------------
# public helpers


def check_diet(diet: str) -> str:
    """Return ``diet`` or raise InputError (a ValueError) listing the known diets."""
    if diet not in DIET_CHOICES:
        raise InputError(f"unknown diet {diet!r}; known diets: {', '.join(DIET_CHOICES)}")
    return diet


def canonical(name: str) -> str:
    """Canonical ingredient for any synonym/plural/casing of ``name``."""
    found = load().surface.get(key(name))
    if found is None:
        raise UnknownIngredientError(f"unknown ingredient {name!r} (not in plugin/diet/data/lexicon.toml)")
    return found


def lookup(name: str) -> Ingredient:
    return load().ingredients[canonical(name)]


def ingredients() -> list[Ingredient]:
    """All ingredients, sorted by canonical name."""
    lex = load()
    return [lex.ingredients[n] for n in sorted(lex.ingredients)]


def offending_tags(ingredient: Ingredient, diet: str, strict: bool = False) -> tuple[str, ...]:
    """Tags of ``ingredient`` that break ``diet`` (empty when allowed), most specific first."""
    if check_diet(diet) == NO_DIET:
        return ()
    d = load().diets[diet]
    if ingredient.name in d.allow_ingredients:
        return ()
    bad = d.forbid | d.maybe if strict else d.forbid
    found = [t for t in ingredient.tags if t in bad]
    if strict:
        # "maybe" tags on an ingredient count against anything the diet dislikes
        found += [t for t in ingredient.maybe if t in bad and t not in found]
    if ingredient.name in d.forbid_ingredients or (strict and ingredient.name in d.maybe_ingredients):
        found.append(ingredient.category)
    return tuple(dict.fromkeys(found))


def is_forbidden(ingredient: str | Ingredient, diet: str, strict: bool = False) -> bool:
    ing = ingredient if isinstance(ingredient, Ingredient) else lookup(ingredient)
    return bool(offending_tags(ing, diet, strict))


def forbidden_ingredients(diet: str, strict: bool = False) -> list[str]:
    return [i.name for i in ingredients() if offending_tags(i, diet, strict)]


def allowed_ingredients(diet: str, strict: bool = False) -> list[str]:
    return [i.name for i in ingredients() if not offending_tags(i, diet, strict)]


def surface_forms(name: str) -> list[str]:
    """Every folded surface form (synonyms, plurals) that resolves to ``name``."""
    target = canonical(name)
    return sorted(k for k, v in load().surface.items() if v == target)


# --------------------------------------------------------------------------
# the pantry policy (frozen verdicts for the data generator and scenarios)


@functools.cache
def pantry_policy(path: Path = PANTRY_POLICY_PATH) -> Mapping[str, tuple[frozenset[str], frozenset[str]]]:
    """diet -> (forbidden, disputed) curated pantry items, as frozen in ``pantry_policy.toml``."""
    data = _load_toml(path)
    if set(data) != set(DIETS):
        raise _fail(path, "top level", f"must define exactly {', '.join(DIETS)}")
    names = frozenset(load().ingredients)
    out = {}
    for diet, raw in data.items():
        _check_table(raw, frozenset({"forbidden", "disputed"}), path, f"[{diet}]")
        forbidden, disputed = (frozenset(_str_list(raw.get(k, []), path, f"[{diet}]", k)) for k in ("forbidden", "disputed"))
        if unknown := sorted((forbidden | disputed) - names):
            raise _fail(path, f"[{diet}]", f"unknown ingredient {unknown[0]!r}")
        out[diet] = (forbidden, disputed)
    return out


def pantry_forbidden(name: str, diet: str, strict: bool = False) -> bool:
    """Whether the data generator treats pantry item ``name`` as forbidden for ``diet`` (frozen verdicts)."""
    if check_diet(diet) == NO_DIET:
        return False
    forbidden, disputed = pantry_policy()[diet]
    canon = canonical(name)
    return canon in forbidden or (strict and canon in disputed)
