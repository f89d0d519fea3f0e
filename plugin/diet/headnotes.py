"""A recipe's headnote tells a story; the recipe is its list and its steps.

"Valencians will tell you a proper paella has rabbit and snails in it ... This one is all vegetables": the
headnote (the prose between the title and the first ingredient line) names foods the recipe never uses, in
wordings no phrase list foresees. So a forbidden food that only the headnote names, with no offending food of
the same kind in the title, the list, the steps or the notes, is not in the recipe when its sentence tells of
other cooks, places, versions or the past, unless
- the sentence serves, offers or instructs ("traditionally served with", "you can swap", "Don't forget the
  Parmesan"): the policy counts suggestions as violations, however they are told;
- the headnote takes the story up in the writer's voice anywhere ("..., and so do I", "mine is no exception",
  "that's how we still eat it", "the secret is ..."): then the story is this recipe's own;
- the text is in the generator's format ("Recipe: ..."): a model's preamble describes the dish it wrote.

Leaks cost more than false alarms (a verdict must be safe to trust), so the rule is narrow. Re-scored on the
oracle as it was at their first scores, heldout15-17's false alarms on compliant recipes go 21 -> 19, 17 -> 13
and 27 -> 21 with span recall unchanged. A first, broader version (any story sentence without an offer) went
to 11, 11 and 14, but a review found 72 leaks in 105 realistic probes ("Neapolitans finish it with Parmigiano,
and so do I"; "A classic Caesar made the traditional way with anchovies" as a model's preamble); this version
passes all 105. On the tuned sets it loses one labelled violation in 7,769 cases ("my grandmother poured a drop
of palinka into the hole", a tradition its writer counted as part of the recipe).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from plugin.diet.textnorm import Folded


class Mention(Protocol):
    start: int
    remaining: tuple[str, ...]


_W = r"[^\W\d_]*"  # the rest of a word: "swap" + _W is swap, swaps, swapped, swapping


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


# The recipe's own voice taking the food up, anywhere in the headnote: "..., and so do I", "mine is no exception",
# "that's how we still eat it", "the secret is a knob of butter", "I never skip the Parmesan". Any of these keeps
# every food the headnote names.
_ENDORSE_RE = re.compile(
    _words(
        r"so[ \t]+(?:do|did|does|is|it[ \t]+is|should|will|have|has|am)(?![ \t]+(?:not|many|much))",
        r"(?:as|i|we)[ \t]+do",
        r"do[ \t]+(?:the[ \t]+same|too|likewise)",
        r"same[ \t]+here",
        r"no[ \t]+(?:exception|different)",
        r"still",
        r"(?:i|we|i've|we've|i[ \t]+have|we[ \t]+have|have)[ \t]+(?:(?:still|always)[ \t]+)?(?:kept|keep)",
        r"(?:gives?|give|giving)(?![^.;!?\n]{0,40}\b(?:same|without|instead)\b)",  # not the stand-in giving "the same crunch"
        r"(?:habit|tradition)[ \t]+(?:i|we)|started[ \t]+(?:life|out)|began[ \t]+(?:life|as)",
        r"(?:that|this|which|it)(?:'s|[ \t]+is|[ \t]+was)[ \t]+(?:how|the[ \t]+way|what)",
        r"how[ \t]+(?:i|we|my|our)",
        r"the[ \t]+way[ \t]+(?:i|we)",
        r"(?:wouldn't|would[ \t]+not|can't|cannot)[ \t]+(?:have|imagine|resist|do)",
        r"who[ \t]+am[ \t]+i",
        r"(?:they|she|he)(?:'re|'s|[ \t]+are|[ \t]+is|[ \t]+was)[ \t]+right",
        r"never[ \t]+leaves?[ \t]+(?:it|them)[ \t]+out",
        r"recommend" + _W,
        r"essential|secret|trick|key|must|need|needs|needed|insist" + _W,
        r"makes?[ \t]+(?:it|all[ \t]+the[ \t]+difference|the[ \t]+dish)",
        r"welcome|better|best|beats?|complete",
        r"(?:isn't|is[ \t]+not|wouldn't[ \t]+be|not)[ \t]+[^.!?\n]{0,40}without",
        r"(?:i|we|i've|we've|i'd|we'd|i'll|we'll|you|mine|ours)[ \t]+(?:(?:always|also|still|never|usually|often|now|too)[ \t]+)?"
        r"(?:do|did|have|had|eat|ate|like|love|serve|served|use|used|add|added|make|made|follow|stick|swear|go|went|want"
        r"|crumble|finish|top|scatter|skip|take|pour|put|grate|drizzle|stir|keep|kept|can't|cannot|won't|will|would)",
        r"too|also|as[ \t]+well|plus",
    ),
    re.I,
)
# A sentence that tells of other cooks, places, versions or the past; a model's one-line preamble ("A hearty bowl of
# rice and anchovies") tells of none and keeps its violation.
_STORY_RE = re.compile(
    _words(
        r"tradition" + _W,
        r"classic" + _W,
        r"original" + _W,
        r"authentic" + _W,
        r"usual" + _W,
        r"typical" + _W,
        r"often|most|many|some|plenty|other|others|people|folk|cooks|chefs|famil" + _W,
        r"versions?|recipes|restaurants?|shops?|supermarkets?|stalls?|street|hawker" + _W,
        r"vendors?|markets?|takeaways?|canteens?|cafes?|diners?|pubs?",
        r"grandm" + _W,
        r"grandfather|grann(?:y|ies)|nan|nana|mum|mom|mother|father|dad|aunt" + _W,
        r"uncle|friends?|neighbou?rs?|childhood|grew|growing|used[ \t]+to|was|were|had",
        r"nobody|no[ \t-]one",  # "nobody at our taco night missed the cod": the eaters, of a food the recipe does not use
        r"tell|says?|said|calls?|called|known|named|means?|meant",
        r"region" + _W,
        r"countr" + _W,
        r"national|local" + _W,
        r"coast" + _W,
        r"village" + _W,
        r"town|city|ways?|house|houses|home|homes|kitchens?|starts?|begins?|built",
    )
)
# A bought product tells a story only when the sentence turns away from it: "Ordinary soy sauce contains wheat, so I
# season this with tamari instead", "Bottled teriyaki sauce is made with wheat, so make your own" (not "A good bottled
# fish sauce makes a real difference here", a recommendation).
_BOUGHT_RE = re.compile(_words(r"ordinary|regular|bottled|bought|jarred|packet|commercial|brands?|shop|store"))
_AVOID_RE = re.compile(
    _words(
        r"instead|rather|avoid" + _W,
        r"without|(?:wheat|gluten|dairy|nut|egg|meat)[ \t\-]free|(?:your|our|my)[ \t]+own",
        r"so[ \t]+(?:i|we|this|these|it|make|use|buy|choose|check|look)",
    )
)
# An instruction opens its clause: "Add the anchovies", "Then mix in some bacon"; read on the clause after a colon
_INSTRUCTION_START_RE = re.compile(
    r"^[ \t]*(?:\d+[.)][ \t]*)?(?:(?:then|now|next|finally|first|just)[ \t,]+)?[^\W\d_]+[ \t]+(?:the|it|them|a|an|some|with)\b"
)
# A serving suggestion or an offer to the cook stays a violation however it is told.
_OFFER_RE = re.compile(
    _words(
        r"serv" + _W,
        r"eaten|eat|ate|topped|topping|finish" + _W,
        r"comes?[ \t]+with|goes|go[ \t]+with",
        r"with[ \t]+(?:a|an|some)[ \t]+(?:dollop|spoonful|splash|drizzle|handful|glass|bowl"
        r"|basket|slice|wedge|pot|knob|blob|grating|sprinkl" + _W + r"|scatter" + _W + r")",
        r"alongside|sides?|accompan" + _W,
        # how the eaters load their plates: "The kids always pile theirs with sour cream"
        r"(?:pil|load|smother|scatter|sprinkl|dollop|drizzl|spoon|heap|slather|spread)"
        + _W
        + r"[ \t]+(?:[^\W\d_]+[ \t]+){0,2}?(?:with|over|on)",
        r"garnish" + _W,
        r"pair" + _W,
        r"option" + _W,
        r"alternativ" + _W,
        r"if|unless|non[ \t\-]?[^\W\d_]+|meat[ \t\-]?eaters?|grown[ \t\-]?ups?",
        r"you[ \t]+(?:can|could|might|may|will|want|like|prefer|eat|need)|feel[ \t]+free|try",
        r"works?",
        r"just[ \t]+as[ \t]+(?:good|nice|well|tasty)|(?:is|are)[ \t]+fine|will[ \t]+do|perfectly[ \t]+good|shortcut",
        r"makes?[ \t]+(?:a|this|it)|perfect[ \t]+for|difference|everyone[ \t]+else|on[ \t]+top|extra",
        r"don't[ \t]+forget|remember|do[ \t]+what|be[ \t]+sure|make[ \t]+sure|crack" + _W,
    ),
    re.I,
)
# "No fish goes into this one": what goes into no dish is no offer
_NOTHING_GOES_RE = re.compile(
    r"\b(?:no|nothing|never)[ \t]+(?:[^\W\d_]+[ \t]+)?goes\b"
    # "my sister doesn't eat fish": who does not eat it is no offer (but "won't eat a bagel without a schmear" is)
    r"|\b(?:(?:doesn|don|can)[\u2019']?t|does[ \t]+not|do[ \t]+not|cannot)[ \t]+eats?\b(?![^.!?;|\n]*\b(?:without|unless)\b)"
)
# "Ackee usually goes into the pan with salted cod, but ...": the cooking of the usual version, set against this one
# (not "a chunk of pork belly always goes into the pot", an offer when nothing contrasts)
_GOES_INTO_RE = re.compile(r"\bgoes[ \t]+into[ \t]+the[ \t]+(?:pan|pot|wok|oven|dish|mix|batter|dough)\b")
_CONTRAST_RE = re.compile(r"\b(?:but|instead|whereas|though)\b")
_SENTENCE_STOP = ".!?;|\n"


def clear_headnote_stories(
    folded: Folded, readings: Sequence[Mention], title_end: int, is_ingredient_line: Callable[[int], bool]
) -> None:
    """Clear the forbidden foods that only the headnote's story names (see the module's docstring)."""
    ftext = folded.text
    if not title_end or ftext.startswith("recipe:", len(ftext) - len(ftext.lstrip())):
        return  # no title to end the headnote; the generator's own format (its preamble describes the dish)
    told = [r for r in readings if r.remaining and r.start > title_end]
    if not told:
        return
    list_start = _first_list_line(ftext, title_end, is_ingredient_line)
    if list_start < 0 or told[0].start >= list_start:
        return  # no list to set the headnote apart, or no forbidden food before it
    note = ftext[title_end:list_start]
    if _ENDORSE_RE.search(note):
        return
    elsewhere = {t for r in readings if r.remaining and not title_end < r.start < list_start for t in r.remaining}
    for r in told:
        if r.start >= list_start:
            break  # readings are in text order
        start, end = _sentence(ftext, r.start)
        sentence = _NOTHING_GOES_RE.sub(" ", ftext[start:end])
        if "goes into" in sentence and _CONTRAST_RE.search(sentence):
            sentence = _GOES_INTO_RE.sub(" ", sentence)
        # a colon ends an instruction ("Check the packet: many soba are cut with wheat flour"), not an offer ("Serving
        # tip: many Thai cooks add fish sauce"), so offers are read on the whole sentence and the story after the colon
        colon = ftext.rfind(":", start, r.start)
        if colon >= 0:
            start = colon + 1
        clause = ftext[start:end]
        if _OFFER_RE.search(sentence) or _INSTRUCTION_START_RE.match(clause) or not elsewhere.isdisjoint(r.remaining):
            continue
        told_of = _STORY_RE.search(clause) or (_BOUGHT_RE.search(clause) and _AVOID_RE.search(clause))
        if told_of or _names_someone(folded.original[slice(*folded.span(start, end))]):
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


def _sentence(ftext: str, pos: int) -> tuple[int, int]:
    start = max(ftext.rfind(c, 0, pos) for c in _SENTENCE_STOP) + 1
    ends = [i for i in (ftext.find(c, pos) for c in _SENTENCE_STOP) if i >= 0]
    return start, min(ends) if ends else len(ftext)


# A capitalised word inside a sentence names a place, a people or a person: "in Sweden these come with salt pork",
# "the way they make it in Hanoi". The sentence's first word and "I" say nothing.
_NAME_RE = re.compile(r"(?<=[ \t(\"'\u2018\u201c])(?!I\b|I'|I\u2019)[A-Z][^\W\d_]+")


def _names_someone(sentence: str) -> bool:
    return _NAME_RE.search(sentence.strip()) is not None
