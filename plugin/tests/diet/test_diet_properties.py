"""Property tests for the dietary oracle and the recipe format."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plugin.diet import (
    DIET_CHOICES,
    DIETS,
    Recipe,
    allowed_ingredients,
    find_violations,
    forbidden_ingredients,
    mentions,
    parse_recipe,
    render_recipe,
    surface_forms,
)
from plugin.diet.detection import detection_vocabulary
from plugin.diet.matching import _COMPOUND_GAP_RE, _POSSESSIVE_GAP_RE, _may_join

# No violations for any diet, even in strict mode.
COMPLIANT = """Recipe: Simple Rice

Selected ingredients from your pantry:
- rice
- salt
- water

Instructions:
1. Rinse the rice.
2. Boil the water with salt.
3. Simmer, covered, and serve."""

PREFIXES = ["Add ", "Stir in 2 cups ", "Top with 1/2 tsp ", "- ", "1. Fry the ", "Then mix in some "]
SUFFIXES = [" to the pot.", ".", "\n", ", then serve.", " (about 200 g)."]
STYLES = [str, str.capitalize, str.upper, str.title]


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]


def _oracle_forms(name: str) -> list[str]:
    """The lexicon's forms of ``name`` that the detection vocabulary still gives it: not those a detection.toml override
    takes for detection only ("brioche bun", no longer a plain "hamburger bun"; its own test pins what it reads)."""
    owner = detection_vocabulary()[0]
    return [form for form in surface_forms(name) if owner.get(form) == name]


@st.composite
def insertion(draw, pick_names):
    diet = draw(st.sampled_from(DIETS))
    name = draw(st.sampled_from(pick_names(diet)))
    form = draw(st.sampled_from(_oracle_forms(name)))
    styled = draw(st.sampled_from(STYLES))(form)
    sentence = draw(st.sampled_from(PREFIXES)) + styled + draw(st.sampled_from(SUFFIXES))
    at = draw(st.sampled_from(_line_starts(COMPLIANT)))
    text = COMPLIANT[:at] + sentence + "\n" + COMPLIANT[at:]
    return diet, name, text, at, at + len(sentence)


def test_base_recipe_is_compliant():
    for diet in DIET_CHOICES:
        assert find_violations(COMPLIANT, diet, strict=True) == []


@given(insertion(forbidden_ingredients), st.booleans())
def test_inserted_forbidden_ingredient_is_found(case, strict):
    diet, name, text, lo, hi = case
    found = find_violations(text, diet, strict=strict)
    assert any(v.ingredient == name and lo <= v.start < v.end <= hi for v in found), (name, text)


@given(insertion(lambda diet: allowed_ingredients(diet, strict=True)), st.booleans())
def test_inserted_allowed_ingredient_is_never_found(case, strict):
    diet, name, text, _, _ = case
    assert find_violations(text, diet, strict=strict) == [], (name, text)


_PART = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,'()%/-]{0,30}[A-Za-z0-9)%]", fullmatch=True)
_UPART = st.text(st.characters(categories=["Lu", "Ll", "Nd"]), min_size=1, max_size=12)  # any script, letters/digits only


@given(
    st.one_of(_PART, _UPART),
    st.lists(st.one_of(_PART, _UPART), min_size=1, max_size=8),
    st.lists(st.one_of(_PART, _UPART), min_size=1, max_size=8),
)
def test_render_parse_round_trip(title, items, steps):
    recipe = Recipe(title=title.strip(), ingredients=[i.strip() for i in items], steps=[s.strip() for s in steps])
    assert parse_recipe(render_recipe(recipe)) == recipe


@given(st.text(), st.sampled_from(DIET_CHOICES), st.booleans())
def test_arbitrary_unicode_never_raises(text, diet, strict):
    found = find_violations(text, diet, strict=strict)
    assert [v.start for v in found] == sorted(v.start for v in found)
    for v in found:
        assert v.term and text[v.start : v.end] == v.term
    for m in mentions(text):
        assert text[m.start : m.end] == m.term
    parse_recipe(text)


@given(st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz -,.\n'")), max_size=300), st.sampled_from(DIETS))
def test_letters_soup_never_raises(text, diet):
    for v in find_violations(text, diet, strict=True):
        assert text[v.start : v.end] == v.term


@given(st.one_of(st.from_regex(_COMPOUND_GAP_RE, fullmatch=True), st.from_regex(_POSSESSIVE_GAP_RE, fullmatch=True)))
def test_compound_gap_prefilter_admits_every_gap(gap):
    """_join_compounds tries the gap regexes only where _may_join's two-character test lets it: that test must admit every
    gap they match, so a regex widened later without it fails here instead of losing compounds."""
    text = "lamb" + gap + "kidneys"
    assert _may_join(text, 4, 4 + len(gap))
