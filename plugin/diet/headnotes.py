"""A recipe's headnote tells a story; the recipe is its list and its steps.

"Valencians will tell you a proper paella has rabbit and snails in it ... This one is all vegetables": the
headnote (the prose between the title and the first ingredient line) names foods the recipe never uses, in
wordings no phrase list foresees (history, other cooks' versions, the region's habits, the writer's family).
So a forbidden food that only the headnote names, with no offending food of the same kind anywhere in the
title, the list, the steps or the notes, is not in the recipe when its sentence tells a story (other versions,
other cooks, places, the past, hearsay) and neither offers the food to the cook (a swap, an option, a serving
suggestion, "I add", "as well": the policy counts those as violations) nor gives an instruction. A sentence
that only describes the dish ("A hearty bowl of rice and anchovies", as a model's preamble might) keeps it.

Measured on the first scores of three blind sets, heldout15-17 (scored again with this rule on the oracle as it
was then): false alarms on compliant recipes 21 -> 11, 17 -> 11 and 27 -> 14, span recall unchanged; on the
tuned sets one labelled violation in 7,769 cases is lost ("my grandmother poured a drop of palinka into the
hole", a tradition its writer counted as part of the recipe).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol


class Mention(Protocol):
    start: int
    remaining: tuple[str, ...]


# What makes a headnote sentence offer the food to the cook or say the recipe uses it: a swap, an option, a
# condition on the eaters, an addition ("as well", "extra"), a pairing, and a verb of adding or serving said to
# the cook (at the sentence's or clause's start) or by the writer ("I add", "we use"). A story is told in the
# third person or the past ("Hawker versions are finished with butter", "home cooks add chorizo"); a sentence
# that might be an offer keeps its violation.
_W = r"[^\W\d_]*"
_OFFER_VERBS = (
    r"(?:add|finish|top|serve|scatter|sprinkl|garnish|drizzl|dip|spread|stir|us(?:e|ing)|includ|try|fold|swirl|crumbl|grat"
    r"|toss|throw|put|pile|spoon|dollop|pair|match|offer|pass|bring)" + _W
)
_OFFER_RE = re.compile(
    r"\b(?:swap"
    + _W
    + r"|substitut"
    + _W
    + r"|replac"
    + _W
    + r"|works?|option"
    + _W
    + r"|alternativ"
    + _W
    + r"|you[ \t]+(?:can|could|might|may|will[ \t]+want|want|like|prefer|eat|need)|feel[ \t]+free|if|unless"
    r"|when[ \t]+(?:(?:i'm|i[ \t]+am|we're|we[ \t]+are|you're|you[ \t]+are|cooking|making)[ \t]+)?(?:not|no|for)"
    r"|non[ \t\-]?[^\W\d_]+|meat[ \t\-]?eaters?|grown[ \t\-]?ups?|everyone[ \t]+else"
    r"|sides?|alongside|also|too|plus|extra|as[ \t]+well|dollop"
    r"|with[ \t]+(?:a|some)[ \t]+(?:spoonful|splash|drizzle|handful|sprinkl" + _W + r"|scatter" + _W + r"|slice|wedge|pot)"
    r"|(?:great|good|lovely|delicious|perfect|wonderful|brilliant|nice|best|excellent|fantastic|gorgeous)"
    r"[ \t]+(?:with|alongside|next)"
    r"|go(?:es)?[ \t]+(?:well[ \t]+|nicely[ \t]+|beautifully[ \t]+)?with"
    r"|this[ \t]+(?:one|version|recipe|dish)[ \t]+(?:has|gets|uses|calls|includes|adds)|mine[ \t]+(?:has|gets|uses)"
    r"|(?:i|we|you|i'd|i'll|we'd|we'll)[ \t]+(?:(?:often|always|sometimes|usually|also|then|like[ \t]+to|love[ \t]+to)[ \t]+)?"
    + _OFFER_VERBS
    + r")\b"
    # said to the cook: a verb of adding or serving that opens the sentence or a clause ("Top with feta", "..., then add")
    r"|(?:^|[,:(]|\b(?:then|and|or|just|to))[ \t]*" + _OFFER_VERBS + r"\b(?![ \t]+\d)",
    re.I,
)
# What makes a sentence a story rather than a description of this dish: other versions, other cooks, places and
# shops, the past, hearsay, names, comparisons and what the dish goes without. A sentence with none of these
# ("A hearty dish of rice and anchovies", a model's preamble) describes the recipe and keeps its violation.
_STORY_RE = re.compile(
    r"\b(?:tradition"
    + _W
    + r"|classic"
    + _W
    + r"|original"
    + _W
    + r"|authentic"
    + _W
    + r"|proper|usual"
    + _W
    + r"|typical"
    + _W
    + r"|often|always|every|ways?|kind|style|most|many|some|plenty|other|others|people|folk|cooks"
    r"|chefs?|famil"
    + _W
    + r"|versions?|recipes|restaurants?|shops?|supermarkets?|stalls?|street|hawker"
    + _W
    + r"|vendors?|markets?"
    r"|bought|takeaways?|canteens?|cafes?|diners?|pubs?|grandm" + _W + r"|grandfather|grann(?:y|ies)|nan|nana|mum|mom"
    r"|mother|father|dad|aunt" + _W + r"|uncle|friends?|neighbou?rs?|childhood|grew|growing|used[ \t]+to|was|were|had"
    r"|did|tell|says?|said|calls?|called|known|named|name|means?|meant|like|unlike|instead|rather|without|no|never"
    r"|nothing|neither|nor|not|none|skip"
    + _W
    + r"|leaves?|left|out|gone|went|where|region"
    + _W
    + r"|countr"
    + _W
    + r"|national|local"
    + _W
    + r"|everywhere|anywhere|somewhere|coast"
    + _W
    + r"|village"
    + _W
    + r"|town|city|home)\b"
)
# An instruction is no story: "Add the anchovies.", "Then mix in some bacon", "1. Fry the bacon".
_INSTRUCTION_RE = re.compile(
    r"^[ \t]*(?:\d+[.)][ \t]*)?(?:(?:then|now|next|finally|first|just)[ \t,]+)?(?:add|stir|mix|fry|top|boil|bake|roast|grill"
    r"|cook|heat|put|place|season|serve|sprinkl|scatter|pour|whisk|beat|fold|chop|slice|dice|toss|blend|simmer|brown"
    r"|sear|saute|melt|spread|drizzl|garnish|finish|combin|layer|arrang|cover|marinat|rub|coat|dust|dip|soak|mash|grat"
    r"|crumbl|throw|tip|spoon|pile|fill|stuff|wrap|roll|use|try|swap|replac|substitut|keep|make|let|set|bring|return"
    r"|remov|transfer|drain|rinse|peel|trim|cut|knead|shape|form|line|greas|preheat|warm|steam|poach|braise|stew|smoke"
    r"|char|toast|dress|squeez|crush|grind|blitz|whip|chill|freez|store|cool|sear|glaze|baste|stir-fry)" + _W + r"\b",
    re.I,
)
_SENTENCE_STOP = ".!?;|\n"


def clear_headnote_stories(
    ftext: str, readings: Sequence[Mention], title_end: int, is_ingredient_line: Callable[[int], bool]
) -> None:
    """Clear the forbidden foods that only the headnote's story names (see the module's docstring)."""
    told = [r for r in readings if r.remaining and r.start > title_end]
    if not title_end or not told:
        return
    list_start = _first_list_line(ftext, title_end, is_ingredient_line)
    if list_start < 0 or told[0].start >= list_start:
        return  # no list to set the headnote apart, or no forbidden food before it
    elsewhere = {t for r in readings if r.remaining and not title_end < r.start < list_start for t in r.remaining}
    for r in told:
        if r.start >= list_start:
            break  # readings are in text order
        if elsewhere.isdisjoint(r.remaining) and _is_story(_sentence(ftext, r.start)):
            r.remaining = ()


def _first_list_line(ftext: str, title_end: int, is_ingredient_line: Callable[[int], bool]) -> int:
    """Where the first ingredient line starts, or -1 when the text has none after the title."""
    at = title_end + 1
    while at < len(ftext):
        if ftext[at] != "\n" and is_ingredient_line(at):
            return at
        nl = ftext.find("\n", at)
        if nl < 0:
            return -1
        at = nl + 1
    return -1


def _sentence(ftext: str, pos: int) -> str:
    start = max(ftext.rfind(c, 0, pos) for c in _SENTENCE_STOP) + 1
    ends = [i for i in (ftext.find(c, pos) for c in _SENTENCE_STOP) if i >= 0]
    return ftext[start : min(ends) if ends else len(ftext)]


def _is_story(sentence: str) -> bool:
    return not _INSTRUCTION_RE.match(sentence) and not _OFFER_RE.search(sentence) and bool(_STORY_RE.search(sentence))
