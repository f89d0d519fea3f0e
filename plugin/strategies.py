"""Hypothesis strategies for pantries, requests and whole scenarios (lexicon-driven, no MLX)."""

from __future__ import annotations

from hypothesis import strategies as st

from plugin import diet
from training.recipes import REQUESTS

DISHES = ("pasta", "stir-fry", "salad", "soup", "curry", "omelette", "tacos", "grain bowl", "bake")


@st.composite
def surface_name(draw: st.DrawFn, name: str) -> str:
    """Mostly the canonical name, else one of its synonyms or plural forms."""
    others = sorted(set(diet.surface_forms(name)) - {name})
    if not others or draw(st.integers(0, 2)):
        return name
    return draw(st.sampled_from(others))


def _pool(preference: str, forbidden: bool) -> list[str]:
    if preference == diet.NO_DIET:
        return [] if forbidden else sorted(i.name for i in diet.ingredients())
    if forbidden:
        return sorted(diet.forbidden_ingredients(preference))
    return sorted(diet.allowed_ingredients(preference, strict=True))


@st.composite
def pantries(draw: st.DrawFn, preference: str, min_size: int = 3, max_size: int = 15) -> tuple[str, ...]:
    """3-15 distinct lexicon items: allowed ones plus, for a real diet, 1-5 forbidden ones."""
    bad_pool = _pool(preference, forbidden=True)
    n_bad = draw(st.integers(1, min(5, max_size - 2))) if bad_pool else 0
    bad = draw(st.lists(st.sampled_from(bad_pool), min_size=n_bad, max_size=n_bad, unique=True)) if n_bad else []
    good_min = max(2, min_size - n_bad)
    good = draw(
        st.lists(st.sampled_from(_pool(preference, forbidden=False)), min_size=good_min, max_size=max_size - n_bad, unique=True)
    )
    names = draw(st.permutations(good + bad))
    return tuple(draw(surface_name(name)) for name in names)


@st.composite
def requests(draw: st.DrawFn, preference: str) -> str:
    template = draw(st.sampled_from(REQUESTS))
    return template.format(diet=preference if preference != diet.NO_DIET else "tasty", dish=draw(st.sampled_from(DISHES)))


@st.composite
def scenarios(draw: st.DrawFn, preference: str) -> tuple[tuple[str, ...], str]:
    return draw(pantries(preference)), draw(requests(preference))
