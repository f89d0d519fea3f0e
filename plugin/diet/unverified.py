"""Ingredient lines whose food the oracle does not know: *unverified*, never silently safe.

An ingredient line is what the matcher calls one (``matching.is_ingredient_line``): a bulleted line
("- 2 tbsp finely chopped fresh parsley") or one that starts with a quantity ("400 g tin chickpeas,
drained"), outside the numbered steps. After the quantity, unit, size and preparation words are set
aside, a line with no food from the detection vocabulary in it is reported with the span of what is
left: the oracle could not check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from plugin.diet.matching import detection_mentions, is_ingredient_line

# Words that describe amount, size or preparation, never the food itself.
_NOT_FOOD = frozenset(
    [
        "x",
        "a",
        "an",
        "of",
        "the",
        "and",
        "or",
        "to",
        "taste",
        "for",
        "serving",
        "optional",
        "plus",
        "about",
        "few",
        "some",
        "handful",
        "pinch",
        "pinches",
        "dash",
        "dashes",
        "cup",
        "cups",
        "c",
        "tbsp",
        "tbs",
        "tbsps",
        "tablespoon",
        "tablespoons",
        "tsp",
        "tsps",
        "teaspoon",
        "teaspoons",
        "g",
        "gram",
        "grams",
        "kg",
        "kilo",
        "kilos",
        "ml",
        "millilitre",
        "millilitres",
        "milliliter",
        "milliliters",
        "l",
        "litre",
        "litres",
        "liter",
        "liters",
        "oz",
        "ounce",
        "ounces",
        "lb",
        "lbs",
        "pound",
        "pounds",
        "can",
        "cans",
        "tin",
        "tins",
        "jar",
        "jars",
        "packet",
        "packets",
        "pack",
        "packs",
        "package",
        "packages",
        "bag",
        "bags",
        "bunch",
        "bunches",
        "sprig",
        "sprigs",
        "stick",
        "sticks",
        "slice",
        "slices",
        "piece",
        "pieces",
        "clove",
        "cloves",
        "head",
        "heads",
        "stalk",
        "stalks",
        "leaf",
        "leaves",
        "sheet",
        "sheets",
        "block",
        "small",
        "medium",
        "large",
        "big",
        "extra",
        "fresh",
        "freshly",
        "dried",
        "finely",
        "roughly",
        "coarsely",
        "thinly",
        "thickly",
        "chopped",
        "diced",
        "minced",
        "sliced",
        "grated",
        "shredded",
        "crushed",
        "ground",
        "peeled",
        "deseeded",
        "seeded",
        "halved",
        "quartered",
        "trimmed",
        "rinsed",
        "drained",
        "washed",
        "cooked",
        "uncooked",
        "raw",
        "softened",
        "melted",
        "cold",
        "warm",
        "hot",
        "room",
        "temperature",
        "beaten",
        "whisked",
        "sifted",
        "packed",
        "heaped",
        "level",
        "rounded",
        "generous",
        "good",
        "quality",
        "organic",
        "ripe",
        "firm",
        "whole",
        "cut",
        "into",
        "cubes",
        "cube",
        "pieces",
        "strips",
        "wedges",
        "rings",
        "at",
        "least",
        "more",
        "less",
        "divided",
        "plus",
        "extra",
        "garnish",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class Unverified:
    """An ingredient line the oracle could not check; ``text[start:end] == term``."""

    term: str
    start: int
    end: int


def _ingredient_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of every line that reads as an ingredient line."""
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if is_ingredient_line(body):
            lines.append((offset, body))
        offset += len(line)
    return lines


def _food_span(line: str) -> tuple[int, int] | None:
    """The part of an ingredient line that should name a food: words that are not amounts or preparation."""
    head = line.split(",", 1)[0].split("(", 1)[0]  # ", finely chopped", "(optional)"
    words = [m for m in _WORD_RE.finditer(head) if m.group().lower() not in _NOT_FOOD and len(m.group()) > 1]
    if not words:
        return None
    return words[0].start(), words[-1].end()


def unverified(text: str) -> list[Unverified]:
    """Ingredient lines of ``text`` that name no food the detection vocabulary knows."""
    out = []
    for offset, line in _ingredient_lines(text):
        if detection_mentions(line):
            continue
        span = _food_span(line)
        if span is not None:
            start, end = offset + span[0], offset + span[1]
            out.append(Unverified(text[start:end], start, end))
    return out
