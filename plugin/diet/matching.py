"""Finding ingredient mentions and dietary violations in free text.

Design:
* All surface forms are compiled into ONE regex shaped like a trie, so the C
  regex engine does the scanning; greedy optional branches give the longest
  match at each position ("peanut butter" beats "peanut", "butternut squash"
  beats "butter"), and explicit word boundaries keep "eggplant" away from
  "egg".
* Matching runs on folded text (see textnorm) and offsets are mapped back.
* Each forbidden mention is then checked against its local context:
  negations ("no", "without", "instead of" ...), a trailing "-free" and
  qualifiers ("vegan", "dairy-free" ...) that clear some tags.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from plugin.diet.lexicon import NO_DIET, Ingredient, Lexicon, check_diet, load, offending_tags
from plugin.diet.textnorm import TOKEN_RE, Folded, fold

# Characters allowed between the words of a multi-word ingredient, and
# between a qualifier and the ingredient it qualifies: a newline or a comma
# ends the phrase ("- peanut\n- butter" is two items).
_JOIN = r"[ \t\-']+"
_WORD_BEFORE = r"(?<![^\W_])"
_WORD_AFTER = r"(?![^\W_])"

# Words that may sit between a negation and the ingredient: "skip THE bacon",
# "do not ADD any cheese", "no ADDED sugar".
_NEG_FILLER = frozenset(
    [
        "the",
        "a",
        "an",
        "any",
        "some",
        "added",
        "extra",
        "more",
        "real",
        "regular",
        "use",
        "using",
        "add",
        "adding",
        "include",
        "including",
        "put",
    ]
)
_NEG_SINGLE = frozenset(
    [
        "no",
        "without",
        "skip",
        "skipping",
        "omit",
        "omitting",
        "omitted",
        "minus",
        "exclude",
        "excluding",
        "avoid",
        "avoiding",
        "not",
        "never",
        "nor",
        "non",
        "hold",
        "sans",
        "replace",
        "replacing",
        "swap",
        "dont",
    ]
)
_NEG_MULTI = frozenset(
    {
        ("instead", "of"),
        ("in", "place", "of"),
        ("free", "of"),
        ("free", "from"),
        ("rather", "than"),
        ("leave", "out"),
        ("leaving", "out"),
        ("left", "out"),
        ("swap", "out"),
        ("don", "t"),
        ("doesn", "t"),
        ("didn", "t"),
        ("won", "t"),
        ("shouldn", "t"),
        ("mustn", "t"),
        ("isn", "t"),
        ("contains", "no"),
        ("instead", "of", "the"),
    }
)
# Words that directly after an ingredient mean it is absent or replaced.
_SUFFIX_CLEAR = frozenset(["free", "substitute", "alternative", "replacer", "replacement", "analogue", "analog"])
# Words a qualifier may skip over: "vegan SHREDDED cheese" but not "vegan pasta WITH cheese".
_NOT_SKIPPABLE = frozenset(
    ["and", "or", "with", "of", "in", "on", "for", "to", "from", "into", "plus", "then", "but", "the", "a", "an"]
)
# Nouns that, right after an ingredient word, make the pair a kitchen tool: "meat pounder",
# "ice cream maker", "butter knife". ("pot" and "pie" are absent: "chicken pot pie" is food.)
_EQUIPMENT = frozenset(
    [
        "pounder",
        "pounders",
        "maker",
        "makers",
        "slicer",
        "slicers",
        "spatula",
        "spatulas",
        "knife",
        "knives",
        "grater",
        "graters",
        "press",
        "presses",
        "thermometer",
        "thermometers",
        "timer",
        "timers",
        "mallet",
        "mallets",
        "frother",
        "frothers",
        "beater",
        "beaters",
        "separator",
        "separators",
        "poacher",
        "poachers",
        "scissors",
        "shears",
        "tongs",
        "kettle",
        "kettles",
        "hammer",
        "hammers",
        "grinder",
        "grinders",
        "cutter",
        "cutters",
        "baller",
        "scoop",
        "scoops",
        "whisk",
        "whisks",
        "cloth",
        "cloths",
        "fork",
        "forks",
        "smoker",
        "smokers",
    ]
)
# Ingredient words that double as verbs ("Butter the pan", "fish out the bay leaves", "beef up the sauce"),
# and what may follow them when they are verbs.
_VERBABLE = frozenset(
    ["butter", "cream", "flour", "oil", "fish", "milk", "beef", "bread", "crumb", "egg", "scallop", "stuff", "sprinkle"]
)
_VERB_OBJECT = frozenset(
    ["the", "a", "an", "your", "each", "both", "it", "them", "its", "their", "this", "these", "those", "out", "up"]
    + ["generously", "with", "over", "on", "together"]
)
# Words before a verb use: the start of a step, or an adverb ("lightly butter a dish").
_VERB_LEAD = frozenset(["lightly", "generously", "well", "then", "liberally", "thoroughly", "first", "and", "or", "also"])
_CLAUSE_START_RE = re.compile(r"(?:^|[.!?;:\n]|\b\d+[.)])[ \t]*(?:[-*•][ \t]*)?$")
# Products named after the animal they come from: "goat's milk", "chicken egg white", "duck eggs".
_ANIMAL_PRODUCTS = frozenset(["dairy", "egg"])
_SOURCE_GAP_RE = re.compile(r"(?:'s|s'|s)?[ \t\-]*")
# "substitute tofu FOR chicken", "swap oat milk FOR the milk": the object after "for" is replaced.
_SWAP_VERBS = frozenset(["substitute", "substituting", "sub"])
# "the chicken can be replaced with tofu", "chicken, or swap in tofu": the mention itself is the replaced one.
_POSTFIX_SWAP_RE = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:can|could|may|might)[ \t]+be[ \t]+(?:replaced|swapped|substituted|subbed|omitted|left[ \t]+out)\b"
)

# Separators that continue a negated list: "no butter, milk or cream".
_LIST_GAP_RE = re.compile(r"[ \t,/&]*(?:(?:or|nor|and|any|the|a|an|some|even)[ \t,/&]+)*")


@dataclass(frozen=True, slots=True)
class Violation:
    """A forbidden ingredient mention; ``text[start:end] == term``."""

    term: str
    ingredient: str
    category: str  # the offending tag, e.g. "dairy" for pesto under vegan
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """Any lexicon ingredient found in text (allowed or not)."""

    term: str
    ingredient: str
    start: int
    end: int


# --------------------------------------------------------------------------
# compiled structures


def _trie_pattern(forms: list[str]) -> str:
    """Regex for a set of space-joined word sequences, shaped as a char trie."""
    trie: dict[str, dict] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, dict]) -> str:
    terminal = "" in node
    branches = [(_JOIN if ch == " " else re.escape(ch)) + _node_pattern(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if terminal:
        # greedy "?" tries the longer continuation first; a trailing boundary
        # check makes the engine back off to this shorter form when needed
        return f"(?:{body}{_WORD_AFTER})?"
    return body


@dataclass(frozen=True, slots=True)
class Matcher:
    regex: re.Pattern[str]
    surface: Mapping[str, str]
    ingredients: Mapping[str, Ingredient]
    qualifiers: Mapping[tuple[str, ...], frozenset[str]]
    qualifier_words: frozenset[str]


def _build(surface: Mapping[str, str], ingredients: Mapping[str, Ingredient]) -> Matcher:
    pattern = _WORD_BEFORE + "(?:" + _trie_pattern(sorted(surface)) + ")" + _WORD_AFTER
    qualifiers = {tuple(k.split()): v for k, v in load().qualifiers.items()}
    return Matcher(
        regex=re.compile(pattern),
        surface=surface,
        ingredients=ingredients,
        qualifiers=qualifiers,
        qualifier_words=frozenset(w for k in qualifiers for w in k),
    )


@functools.cache
def matcher() -> Matcher:
    """The pantry vocabulary (the curated lexicon): what recipes select, ground and synthesise from."""
    lex: Lexicon = load()
    return _build(lex.surface, lex.ingredients)


@functools.cache
def detection() -> Matcher:
    """The detection vocabulary: the curated lexicon, then the curated detection forms, then Open Food Facts.

    Where they share a surface form the curated entry wins (the lexicon over detection.toml over
    Open Food Facts); an Open Food Facts food whose name is a curated form joins that ingredient.
    """
    from plugin.diet.detection import detection_vocabulary

    surface, ingredients = detection_vocabulary()
    return _build(surface, ingredients)


@functools.cache
def _qualifiers_for(diet: str) -> Mapping[tuple[str, ...], frozenset[str]]:
    """The qualifiers that clear tags when judging ``diet``: everyone's plus the diet's own ("halal")."""
    scoped = {tuple(k.split()): v for k, v in load().diets[diet].qualifiers.items()}
    return {**matcher().qualifiers, **scoped}


@functools.cache
def _offences(diet: str, strict: bool) -> Mapping[str, tuple[str, ...]]:
    """ingredient name -> offending tags, for the detection-vocabulary foods ``diet`` rejects."""
    found: dict[str, tuple[str, ...]] = {}
    for name, ing in detection().ingredients.items():
        tags = offending_tags(ing, diet, strict)
        if tags:
            found[name] = tags
    return found


# --------------------------------------------------------------------------
# context rules


# Matched against the REVERSED text from the mention's start, so the regex
# engine walks backwards through the phrase in one anchored, linear match.
_PHRASE_BEFORE_REV_RE = re.compile(r"(?:" + _JOIN + r"[^\W_]+){1,6}")


class _Context:
    """Per-text cache of the words before each mention (nearest first)."""

    def __init__(self, folded: str) -> None:
        self.text = folded
        self._rev = folded[::-1]
        self._cache: dict[int, list[str]] = {}

    def words_before(self, start: int) -> list[str]:
        words = self._cache.get(start)
        if words is None:
            hit = _PHRASE_BEFORE_REV_RE.match(self._rev, len(self.text) - start)
            words = [w[::-1] for w in TOKEN_RE.findall(hit.group())] if hit else []
            self._cache[start] = words
        return words


def _is_negated(words: list[str]) -> bool:
    i = 0
    while i < len(words) and i < 3 and words[i] in _NEG_FILLER:
        i += 1
    if i < len(words) and words[i] in _NEG_SINGLE:
        return True
    for size in (2, 3):
        seq = tuple(reversed(words[i : i + size]))
        if len(seq) == size and seq in _NEG_MULTI:
            return True
    return False


def _qualifier_clears(qualifiers: Mapping[tuple[str, ...], frozenset[str]], words: list[str]) -> frozenset[str]:
    """Tags cleared by a qualifier right before the mention (one skippable word allowed)."""
    cleared: frozenset[str] = frozenset()
    for skip in (0, 1):
        if skip and (not words or words[0] in _NOT_SKIPPABLE):
            break
        rest = words[skip:]
        for size in (1, 2, 3):
            seq = tuple(reversed(rest[:size]))
            if len(seq) == size and seq in qualifiers:
                cleared |= qualifiers[seq]
    return cleared


def _is_equipment(folded: str, end: int) -> bool:
    """ "meat pounder", "ice cream maker": the ingredient names the tool's purpose."""
    return _next_word(folded, end) in _EQUIPMENT


def _is_verb(folded: str, start: int, end: int, words: list[str]) -> bool:
    """ "Butter the pan", "lightly flour a board", "fish out the bay leaves": a verb, not a food."""
    if folded[start:end] not in _VERBABLE:
        return False
    nxt = _next_word(folded, end)
    if nxt == "and":  # "butter and flour a tin"
        after = _NEXT_WORD_RE.match(folded, end)
        assert after is not None
        second = _NEXT_WORD_RE.match(folded, after.end())
        if not (second and second.group(1) in _VERBABLE):
            return False
        nxt = _next_word(folded, second.end())
    if nxt not in _VERB_OBJECT:
        return False
    return bool(_CLAUSE_START_RE.search(folded, 0, start)) or bool(words and words[0] in _VERB_LEAD)


def _is_source_animal(folded: str, ing: Ingredient, end: int, nxt: tuple[int, int, Ingredient] | None) -> bool:
    """ "goat's milk", "chicken egg white", "duck eggs": the animal names where the product comes from."""
    if nxt is None or ing.category not in ("meat", "poultry") or nxt[2].category not in _ANIMAL_PRODUCTS:
        return False
    return _SOURCE_GAP_RE.fullmatch(folded, end, nxt[0]) is not None


def _is_swapped_out(folded: str, end: int, words: list[str]) -> bool:
    """ "substitute tofu for chicken" (mention after "for"), "chicken can be replaced with tofu"."""
    lead = 1 if words and words[0] in ("the", "a", "an", "some", "any", "your") else 0
    if words[lead : lead + 1] == ["for"] and any(w in _SWAP_VERBS for w in words[lead + 1 :]):
        return True
    return _POSTFIX_SWAP_RE.match(folded, end) is not None


_SUFFIX_RE = re.compile(r"(?:[ \t]*-[ \t]*|[ \t]+)([^\W_]+)")


def _suffix_clears(folded: str, end: int) -> bool:
    nxt = _SUFFIX_RE.match(folded, end)
    return bool(nxt and nxt.group(1) in _SUFFIX_CLEAR)


_NEXT_WORD_RE = re.compile(r"[ \t]+([^\W_]+)")


def _next_word(folded: str, end: int) -> str | None:
    nxt = _NEXT_WORD_RE.match(folded, end)
    return nxt.group(1) if nxt else None


# --------------------------------------------------------------------------
# scanning


def _raw_mentions(folded: Folded, m: Matcher) -> list[tuple[int, int, Ingredient]]:
    """(folded start, folded end, ingredient) for every lexicon mention."""
    text = folded.text
    found = []
    for hit in m.regex.finditer(text):
        form = hit.group()
        name = m.surface.get(form) or m.surface.get(" ".join(TOKEN_RE.findall(form)))
        if name is None:  # cannot happen for forms built from the surface map
            continue
        ing = m.ingredients[name]
        if ing.not_followed_by and _next_word(text, hit.end()) in ing.not_followed_by:
            continue  # "cream the butter": a verb, not an ingredient
        found.append((hit.start(), hit.end(), ing))
    return found


def mentions(text: str) -> list[Mention]:
    """Every pantry-vocabulary ingredient mentioned in ``text``, allowed or not."""
    return _mentions(text, matcher())


def detection_mentions(text: str) -> list[Mention]:
    """Every food of the (much larger) detection vocabulary mentioned in ``text``."""
    return _mentions(text, detection())


def _mentions(text: str, m: Matcher) -> list[Mention]:
    folded = fold(text)
    out = []
    for s, e, ing in _raw_mentions(folded, m):
        start, end = folded.span(s, e)
        out.append(Mention(text[start:end], ing.name, start, end))
    return out


def _negation_finder(ctx: _Context, found: list[tuple[int, int, Ingredient]]) -> Callable[[int], bool]:
    """Memoised "is mention i negated?" (by its own context or a negated list)."""
    memo: dict[int, bool] = {}

    def own(i: int) -> bool:
        return _is_negated(ctx.words_before(found[i][0]))

    def chained(i: int) -> bool:
        return i > 0 and _LIST_GAP_RE.fullmatch(ctx.text, found[i - 1][1], found[i][0]) is not None

    def negated(i: int) -> bool:
        # "no butter, milk or cream": a negation runs down a list, so walk
        # back to the head of the list (iteratively: lists can be long)
        chain = [i]
        prev = False
        while i not in memo:
            k = chain[-1]
            if not chained(k):
                break
            if k - 1 in memo:
                prev = memo[k - 1]
                break
            chain.append(k - 1)
        for k in reversed(chain):
            prev = memo[k] if k in memo else (own(k) or prev)
            memo[k] = prev
        return memo[i]

    return negated


def find_violations(text: str, diet: str, *, strict: bool = False) -> list[Violation]:
    """Mentions of ingredients that ``diet`` forbids, ordered by position.

    ``strict`` also reports disputed ingredients (the diets' ``maybe`` lists
    and ingredients that only *may* contain a forbidden tag).
    """
    if check_diet(diet) == NO_DIET or not text:
        return []
    m = detection()
    offences = _offences(diet, strict)
    folded = fold(text)
    ftext = folded.text
    found = _raw_mentions(folded, m)
    ctx = _Context(ftext)  # cheap; its caches fill only for forbidden mentions
    negated = _negation_finder(ctx, found)
    qualifiers = _qualifiers_for(diet)
    # What a qualified first mention cleared ("vegan butter"), inherited by later bare ones ("melt the butter").
    earlier: dict[str, frozenset[str] | None] = {}
    violations: list[Violation] = []
    for i, (s, e, ing) in enumerate(found):
        bad = offences.get(ing.name)
        if not bad or _suffix_clears(ftext, e) or _is_equipment(ftext, e):
            continue
        words = ctx.words_before(s)
        if _is_verb(ftext, s, e, words) or _is_source_animal(ftext, ing, e, found[i + 1] if i + 1 < len(found) else None):
            continue
        if negated(i) or _is_swapped_out(ftext, e, words):
            continue
        cleared = _qualifier_clears(qualifiers, words)
        inherited = earlier.get(ing.name)
        earlier[ing.name] = cleared if ing.name not in earlier or (inherited and cleared) else None
        remaining = [t for t in bad if t not in (cleared or inherited or frozenset())]
        if not remaining:
            continue
        start, end = folded.span(s, e)
        violations.append(Violation(text[start:end], ing.name, remaining[0], start, end))
    return violations
