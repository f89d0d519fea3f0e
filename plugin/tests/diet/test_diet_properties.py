"""Property tests for the dietary oracle and the recipe format."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from plugin.diet import (
    DIET_CHOICES,
    DIETS,
    Recipe,
    allowed_ingredients,
    find_violations,
    forbidden_ingredients,
    matching,
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


class _MeetsEverything(frozenset[str]):
    """A set no list of words is disjoint from: with it as the prefilter, _is_negated walks every list."""

    def isdisjoint(self, other: object) -> bool:
        return False


def _negation_word_lists() -> Iterator[list[str]]:
    """The words before a mention, nearest first: up to two short words the branches read in the nearest places ("of
    out", "of bottle ... instead"), then a whole negation phrase (reversed), one word of _is_negated's sets, or nothing;
    and any three of the short words alone."""
    nearest = ["of", "out", "instead", "than", "rather", "bottle", "splash", "few", "the", "a", "run", "don", "t"]
    vocabulary = sorted(
        matching._NEG_SINGLE
        | matching._NEG_FILLER
        | matching._MEASURES
        | matching._SWAP_MEASURES
        | matching._MEASURE_SIZES
        | matching._DETERMINERS
        | matching._OUT_OF_LEADS
        | matching._OMIT_VERBS
        | {"chopped", "onion", "bake"}
    )
    farther = [[], *(list(reversed(phrase)) for phrase in sorted(matching._NEG_MULTI)), *([w] for w in vocabulary)]
    leads = [[], *([a] for a in nearest), *([a, b] for a in nearest for b in nearest)]
    for lead in leads:
        for rest in farther:
            yield lead + rest
    for a, b, c in itertools.product(nearest, repeat=3):
        yield [a, b, c]


def test_negation_prefilter_changes_no_verdict(monkeypatch):
    """_is_negated returns at once where the words before a mention hold none of _NEGATION_WORDS: that set must hold a
    word of every negation the walk finds, so a branch or phrase added later without it fails here (every list below,
    about 36,000: shown failing with "out" dropped from the set)."""
    lists = list(_negation_word_lists())
    with_prefilter = [matching._is_negated(words) for words in lists]
    monkeypatch.setattr(matching, "_NEGATION_WORDS", _MeetsEverything())
    walked = [matching._is_negated(words) for words in lists]
    assert any(walked)  # the lists do reach the negations
    missed = [words for words, a, b in zip(lists, with_prefilter, walked) if a != b]
    assert not missed, f"_NEGATION_WORDS misses the negations of {missed[:5]}"
