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


@functools.cache
def matcher() -> Matcher:
    lex: Lexicon = load()
    forms = sorted(lex.surface)
    pattern = _WORD_BEFORE + "(?:" + _trie_pattern(forms) + ")" + _WORD_AFTER
    qualifiers = {tuple(k.split()): v for k, v in lex.qualifiers.items()}
    return Matcher(
        regex=re.compile(pattern),
        surface=lex.surface,
        ingredients=lex.ingredients,
        qualifiers=qualifiers,
        qualifier_words=frozenset(w for k in qualifiers for w in k),
    )


@functools.cache
def _offences(diet: str, strict: bool) -> Mapping[str, tuple[str, ...]]:
    """canonical name -> offending tags, for the ingredients ``diet`` rejects."""
    found: dict[str, tuple[str, ...]] = {}
    for name, ing in load().ingredients.items():
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


def _qualifier_clears(m: Matcher, words: list[str]) -> frozenset[str]:
    """Tags cleared by a qualifier right before the mention (one skippable word allowed)."""
    cleared: frozenset[str] = frozenset()
    for skip in (0, 1):
        if skip and (not words or words[0] in _NOT_SKIPPABLE):
            break
        rest = words[skip:]
        for size in (1, 2, 3):
            seq = tuple(reversed(rest[:size]))
            if len(seq) == size and seq in m.qualifiers:
                cleared |= m.qualifiers[seq]
    return cleared


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
    """Every lexicon ingredient mentioned in ``text``, allowed or not."""
    folded = fold(text)
    out = []
    for s, e, ing in _raw_mentions(folded, matcher()):
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
    m = matcher()
    offences = _offences(diet, strict)
    folded = fold(text)
    ftext = folded.text
    found = _raw_mentions(folded, m)
    ctx = _Context(ftext)  # cheap; its caches fill only for forbidden mentions
    negated = _negation_finder(ctx, found)
    violations: list[Violation] = []
    for i, (s, e, ing) in enumerate(found):
        bad = offences.get(ing.name)
        if not bad or _suffix_clears(ftext, e):
            continue
        if negated(i):
            continue
        cleared = _qualifier_clears(m, ctx.words_before(s))
        remaining = [t for t in bad if t not in cleared]
        if not remaining:
            continue
        start, end = folded.span(s, e)
        violations.append(Violation(text[start:end], ing.name, remaining[0], start, end))
    return violations
