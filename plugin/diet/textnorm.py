"""Case/accent folding that keeps a map back to the original text.

Matching runs on a folded copy of the text (lower case, accents stripped,
compatibility characters decomposed), but violations must report offsets into
the ORIGINAL text. ``str.casefold`` and NFKD can change lengths ("ß" -> "ss",
"ﬁ" -> "fi", "é" in NFD is two code points), so the fold is done one
character at a time and every folded character remembers which original
characters produced it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# A word is a run of letters/digits; underscores separate words.
TOKEN_RE = re.compile(r"[^\W_]+")

_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d")
_APOSTROPHES = frozenset("\u2018\u2019\u02bc\u00b4\u0060\uff07")
# Letters that NFKD leaves alone although they are a base letter with a stroke or a ligature:
# "kiełbasa" is kielbasa, "smørrebrød" smorrebrod, "œufs" oeufs.
_NO_DECOMPOSITION = {"\u0142": "l", "\u00f8": "o", "\u0111": "d", "\u00e6": "ae", "\u0153": "oe", "\u0131": "i"}


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Fold one non-ASCII character; may return 0..n characters."""
    if ch in _DASHES:
        return "-"
    if ch in _APOSTROPHES:
        return "'"
    if ch.isspace():
        return " "
    plain = _NO_DECOMPOSITION.get(ch.casefold())
    if plain is not None:
        return plain
    decomposed = unicodedata.normalize("NFKD", ch.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    # casefold of a decomposed char can re-introduce upper/compat forms
    return unicodedata.normalize("NFKD", kept.casefold())


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text plus, when lengths differ, per-character original spans."""

    original: str
    text: str
    starts: tuple[int, ...] | None  # None: ASCII fast path, identity map
    ends: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty folded span [start, end) to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> Folded:
    """Fold ``text`` for matching; ASCII input (the common case) is O(1) extra."""
    if text.isascii():
        return Folded(text, text.lower(), None, None)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        piece = ch.lower() if ch < "\x80" else _fold_char(ch)
        if not piece:
            # a lone combining mark belongs to the previous character's span
            if ends:
                ends[-1] = i + 1
            continue
        for c in piece:
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    return Folded(text, "".join(out), tuple(starts), tuple(ends))


def fold_text(text: str) -> str:
    """Folded text only (no offset map)."""
    return fold(text).text


def key(text: str) -> str:
    """Lookup key for a name: folded words joined by single spaces."""
    return " ".join(TOKEN_RE.findall(fold_text(text)))
