"""Hypothesis strategies for pantries, requests and whole scenarios (lexicon-driven, no MLX)."""

from __future__ import annotations

from hypothesis import strategies as st

from plugin import diet as oracle
from plugin.diet import NO_DIET, Scenario
from plugin.diet.dishes import DISHES, REQUESTS
from plugin.diet.lexicon import pantry_forbidden

DISH_KINDS = tuple(d.kind for d in DISHES)


@st.composite
def surface_name(draw: st.DrawFn, name: str) -> str:
    """Mostly the canonical name, else one of its synonyms or plural forms."""
    others = sorted(set(oracle.surface_forms(name)) - {name})
    if not others or draw(st.integers(0, 2)):
        return name
    return draw(st.sampled_from(others))


def _pool(diet: str, forbidden: bool) -> list[str]:
    """Pantry items by the frozen pantry policy, like the data generator (stable examples, cache hits)."""
    names = sorted(i.name for i in oracle.ingredients())
    if diet == NO_DIET:
        return [] if forbidden else names
    if forbidden:
        return [n for n in names if pantry_forbidden(n, diet)]
    return [n for n in names if not pantry_forbidden(n, diet, strict=True)]


@st.composite
def pantries(draw: st.DrawFn, diet: str, min_size: int = 3, max_size: int = 15) -> tuple[str, ...]:
    """3-15 distinct lexicon items: allowed ones plus, for a real diet, 1-5 forbidden ones."""
    bad_pool = _pool(diet, forbidden=True)
    n_bad = draw(st.integers(1, min(5, max_size - 2))) if bad_pool else 0
    bad = draw(st.lists(st.sampled_from(bad_pool), min_size=n_bad, max_size=n_bad, unique=True)) if n_bad else []
    good_min = max(2, min_size - n_bad)
    good = draw(
        st.lists(st.sampled_from(_pool(diet, forbidden=False)), min_size=good_min, max_size=max_size - n_bad, unique=True)
    )
    names = draw(st.permutations(good + bad))
    return tuple(draw(surface_name(name)) for name in names)


@st.composite
def requests(draw: st.DrawFn, diet: str) -> str:
    template = draw(st.sampled_from(REQUESTS))
    return template.format(diet=diet if diet != NO_DIET else "tasty", dish=draw(st.sampled_from(DISH_KINDS)))


@st.composite
def scenarios(draw: st.DrawFn, diet: str) -> Scenario:
    pantry = draw(pantries(diet))
    return Scenario(diet, pantry, draw(requests(diet)))
