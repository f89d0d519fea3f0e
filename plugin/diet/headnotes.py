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

A plain verb in the writer's voice ("I use", "we serve", "I make") takes the story up unless its sentence sets the
told food aside by name, kind or pronoun: "I serve steamed jasmine rice instead", "with no alcohol at all", "this is
the one I make for our meat-free lunch", "half the table doesn't eat fish" (not "I use dripping rather than oil",
"this one is egg-free" of butter, nor the sentence's own object: "at home I use a splash of dry sherry"). A story's
serving ("In Minho every bowl comes with a slice of chourico on top") is the other version's when the next sentence
sets it aside the same way ("I leave it out ... instead"). Round 38 (heldout39 and heldout40, after their score):
their false alarms 12 -> 8 and 9 -> 5 with no labelled span lost on any set; a review's 87 probes, 66 -> 71 right.

Round 42 (motivated by a count on heldout45-48, developed and measured on heldout44 and older): a sentence whose own
clause sets the food aside ("rather than malt vinegar", "not a scrap of chicken", "soy sauce replaces the fish sauce",
"juicy as a beef burger, but these are beetroot") tells how this recipe differs, like a story; and a sentence that
answers a question the headnote asks ("Not cooking for vegans? Tuck two halved prawns into each roll") is an offer. A
headnote-wide version (any "no", "not", "only", "like" anywhere in the headnote) cleared 15 false alarms on those sets,
but a review's probes found it cleared 50 of 78 recipes that affirm the food ("No shortcuts: proper beef stock is the
base", "Only three ingredients: potatoes, onion and bacon fat"); this one clears 4 with none of those leaks. A second
review found two more in it ("Instead of olive oil this uses goose fat", "A raw egg is dropped into each bowl"), both
closed without a verdict changing on any labelled set (curated cases "-r42"). A second step, tuned on heldout45-48,
let praise ("gives", "better", "nothing beats") keep only the foods of its own sentence and its neighbours: it cleared
3 false alarms and 2 false spans in violating recipes, but its review's probes found it cleared 43 of 55 recipes that
praise the told food a sentence later ("Most Roman recipes call for anchovies. For depth, nothing beats a couple of
good fillets."), so it was taken out again: praise anywhere in the headnote keeps every food it names.

Round 43 read the headnote against the recipe's own list (praise or the writer's verb taking a listed stand-in, "not
from cream.", "both off the list", "cook it like a good beef fillet"): 220 -> 192 false alarms on the labelled sets, but
four reviews' probes found every piece clearing recipes that use the food ("The cheese is better with a few crisp
strips of it"), a fresh set 29 of 46, so none was taken (the main README; curated cases "r43" guard them).

Round 49 measured eight readings on the sixty-one labelled sets (339 false alarms on 8,747 compliant recipes) and on six
reviews' fresh probes (480), and took one: praise worded as a comparison or a lack is no departure ("Nothing soaks up
the sauce like a hunk of crusty bread", "Extras like toasted pine nuts", "Kids like a drizzle of honey", "Soup without
crusty bread is just hot water"). It changes no labelled verdict and closes 9 leaks for 1 false alarm on the probes (5
and 0 on the two reviews whose probes never shaped it). The others were turned down (the change on the labelled sets;
then leaks opened for false alarms closed on a review, or closed and opened): family words as story words (-13 on the
labelled sets; 9 leaks for 7, "My husband always adds a splash of fish sauce to the dressing"), a "still" that endorses
only in the writer's voice (-3; 7 for 3), hyphenated words between a departure and its food (-2; 11 for 16, "Nothing
goes with a curry like an ice-cold lager"), a listed stand-in's "gives" read as its own (-11; 21 for 22, "Smoked paprika
gives this one its smokiness, and a small piece poached in the milk first is no bad thing"), prepositions that open no
instruction (-9; 27 for 23, "At the start, the way the trattorias do it, melt three anchovy fillets into the oil"), a
relative's present habit as a serving (no labelled change; 7 leaks closed, 7 false alarms opened: "Dad fries his eggs in
bacon fat every Sunday"; round 50 aimed it at this dish's words: 6 and 11 on a fresh review, curated cases "r50"), and
new endorsements ("never goes amiss", "the rest of us": 12 and 12). Curated cases "r49" guard them.

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
    words: tuple[str, ...]


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
        r"never[ \t]+leaves?[ \t]+(?:it|them)[ \t]+out|never[ \t]+skip" + _W,
        # "We serve them the same way", "I top mine that way": the story's serving taken up
        r"(?:serv|top|finish|eat|make|do|cook|have)"
        + _W
        + r"[ \t]+(?:(?:it|them|mine|ours|these|this)[ \t]+)?(?:the[ \t]+same|that)[ \t]+way",
        r"no[ \t]+substitute|nothing[ \t]+(?:else[ \t]+)?(?:replaces|beats|compares)",
        r"the[ \t]+same[ \t]+(?:treatment|topping|finish)",  # "This one gets the same treatment"
        r"recommend" + _W,
        r"essential|secret|trick|key|must|need|needs|needed|insist" + _W,
        r"makes?[ \t]+(?:it|all[ \t]+the[ \t]+difference|the[ \t]+dish)",
        r"welcome|better|best|beats?|complete",
        r"(?:isn't|is[ \t]+not|wouldn't[ \t]+be|not)[ \t]+[^.!?\n]{0,40}without",
        r"too|also|as[ \t]+well|plus",
    ),
    re.I,
)
# The writer's own verbs ("I use", "we serve") take the story up too, unless their sentence swaps the food for another:
# "at home I use a splash of dry sherry, or apple juice for an alcohol-free pan sauce", "for my coeliac sister I serve
# steamed jasmine rice instead", "this is the one I make for our meat-free Sunday lunch".
_VOICE_RE = re.compile(
    _words(
        r"(?:i|we|i've|we've|i'd|we'd|i'll|we'll|you|mine|ours)[ \t]+(?:(?:always|also|still|never|usually|often|now|too)[ \t]+)?"
        r"(?:do|did|have|had|eat|ate|like|love|serve|served|use|used|add|added|make|made|follow|stick|swear|go|went|want"
        r"|crumble|finish|top|scatter|skip|take|pour|put|grate|drizzle|stir|keep|kept|can't|cannot|won't|will|would)",
    ),
    re.I,
)
# What the writer's version does with the food a story told of: "I serve steamed rice instead", "instead of the lamb",
# "leave it out", "our meat-free lunch", "with no alcohol", "half the table doesn't eat fish". Each must name that food,
# a word for its kind or "it"/"them" (not "I use dripping rather than oil", "this one is egg-free" of butter).
_BARE_INSTEAD_RE = re.compile(r"\binstead[ \t]*(?:[.!?;,:)]|$)")
_SWAP_OBJECT_RE = re.compile(
    r"\b(?:instead[ \t]+of|rather[ \t]+than|in[ \t]+place[ \t]+of|swap(?:s|ped|ping)?(?:[ \t]+out)?|replac(?:e|es|ed|ing)"
    r"|leave[ \t]+out|leaves[ \t]+out|skip(?:s|ped|ping)?|without|no"
    r"|(?:doesn't|don't|does[ \t]+not|do[ \t]+not|can't|won't)[ \t]+eat)"
    r"[ \t]+((?:[^\W\d_]+[ \t]+){0,3}?[^\W\d_]+)"
)
_LEAVE_OUT_RE = re.compile(r"\b(?:leave|leaves|left|leaving)[ \t]+((?:[^\W\d_]+[ \t]+){0,2}?[^\W\d_]+)[ \t]+out\b")
_FREE_RE = re.compile(r"\b([^\W\d_]+)-free\b")
_PRONOUNS = frozenset(["it", "them", "that", "those", "these"])
# The words a diet text uses for a kind of food: "meat-free" covers beef, "no alcohol" covers Marsala.
_KIND_WORDS = {
    "meat": ("meat",),
    "poultry": ("meat", "poultry", "chicken"),
    "pork": ("meat", "pork"),
    "animal-fat": ("meat", "lard"),
    "fish": ("fish", "seafood"),
    "shellfish": ("shellfish", "seafood", "fish"),
    "dairy": ("dairy", "milk", "lactose"),
    "egg": ("egg", "eggs"),
    "gluten-grain": ("gluten", "wheat"),
    "tree-nut": ("nut", "nuts"),
    "peanut": ("nut", "nuts", "peanut", "peanuts"),
    "alcohol": ("alcohol", "booze"),
    "honey": ("honey",),
    "gelatin": ("gelatin", "gelatine"),
}
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
        # "hers has lamb in it, this one is all chickpeas": another cook's version (not "his favourite part")
        r"(?:hers|his|theirs)[ \t]+(?:has|had|is|was|uses|used|contains|contained|comes|came|gets|got)",
        r"tell|says?|said|calls?|called|known|named|means?|meant",
        r"region" + _W,
        r"countr" + _W,
        r"national|local" + _W,
        r"coast" + _W,
        r"village" + _W,
        r"town|city|ways?|house|houses|home|homes|kitchens?|starts?|begins?|built",
    )
)
# A departure that governs the told food in its own clause ("instead of", "rather than", "unlike", "like", "without",
# "no", "never use", "not a scrap of"), then at most four plain words before the food: "rather than malt vinegar", "no
# dried shrimp". A gap that starts a new clause or turns to the stand-in ("instead of olive oil this uses goose fat",
# "we replaced the oil with bacon fat") governs nothing, nor do "no shortcuts" and "without skimping". (A first
# version also read the food as the subject of "is left out / swapped / dropped", which cleared "A raw egg is dropped
# into each bowl"; no case needed it, so it went.)
_GOVERN_RE = re.compile(
    r"\b(?:instead[ \t]+of|rather[ \t]+than|in[ \t]+place[ \t]+of|unlike|like|minus|replac(?:e|es|ed|ing)"
    r"|swap(?:s|ped|ping)?(?:[ \t]+out)?"
    r"|without(?![ \t]+(?:skimping|stinting|losing|sacrificing|forgetting))|omit(?:s|ted|ting)?|stopped[ \t]+using"
    r"|no(?![ \t]+(?:shortage|lack|shortcuts?|skimping))|never[ \t]+(?:use|add|put)s?"
    r"|not[ \t]+a[ \t]+(?:scrap|trace|drop|bit|hint|crumb)[ \t]+of)"
    r"[ \t]+((?:[^\W\d_'\u2019]+[ \t]+){0,4})$"
)
# fmt: off
_GAP_STOPS = frozenset({
    "with", "for", "by", "in", "into", "to", "from", "this", "these", "those", "they", "them", "we", "i", "you",
    "it", "he", "she", "uses", "use", "used", "get", "gets", "got", "is", "are", "was", "were", "has", "have",
    "had", "and", "or", "but", "then", "so", "here", "mine", "ours", "one", "make", "makes", "made"
})
# fmt: on
# "Juicy as a beef burger, but these are beetroot": a compared food, then the sentence turns to this recipe
_TURNS_HERE_RE = re.compile(
    r"\b(?:but|though|whereas)[ \t]+"
    r"(?:(?:here|this[ \t]+one|these|mine|ours)\b|(?:the[ \t]+)?[^\W\d_]+[ \t]+(?:is|are)[ \t]+all\b)"
)
_COMPARED_RE = re.compile(r"\b(?:like|as|than)[ \t]+(?:[^\W\d_]+[ \t]+){0,4}$")
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
_SENTENCE_RE = re.compile(f"[^{re.escape(_SENTENCE_STOP)}]+")


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
    strong = list(_ENDORSE_RE.finditer(note))
    voiced = [(title_end + m.start(), title_end + m.end()) for m in _SENTENCE_RE.finditer(note) if _VOICE_RE.search(m.group())]
    elsewhere = {t for r in readings if r.remaining and not title_end < r.start < list_start for t in r.remaining}
    for r in told:
        if r.start >= list_start:
            break  # readings are in text order
        targets = _targets(r)
        if any(not _free_claim(note, m, targets) for m in strong) or any(_takes_up(ftext, v, r, targets) for v in voiced):
            continue  # the writer takes the story up
        start, end = _sentence(ftext, r.start)
        sentence_start = start
        sentence = _NOTHING_GOES_RE.sub(" ", ftext[start:end])
        if "goes into" in sentence and _CONTRAST_RE.search(sentence):
            sentence = _GOES_INTO_RE.sub(" ", sentence)
        # a colon ends an instruction ("Check the packet: many soba are cut with wheat flour"), not an offer ("Serving
        # tip: many Thai cooks add fish sauce"), so offers are read on the whole sentence and the story after the colon
        colon = ftext.rfind(":", start, r.start)
        if colon >= 0:
            start = colon + 1
        clause = ftext[start:end]
        story = (
            _departs_from(ftext, start, end, r)
            or bool(_STORY_RE.search(clause))
            or _names_someone(folded.original[slice(*folded.span(start, end))])
        )
        offered = _OFFER_RE.search(sentence) and not (story and _swapped_next(ftext, end, list_start, targets))
        if offered or _answers_question(ftext, sentence_start) or _INSTRUCTION_START_RE.match(clause):
            continue
        if not elsewhere.isdisjoint(r.remaining):
            continue
        if story or (_BOUGHT_RE.search(clause) and _AVOID_RE.search(clause)):
            r.remaining = ()


def _departs_from(ftext: str, start: int, end: int, r: Mention) -> bool:
    """Does the food's own clause set it aside? "rather than malt vinegar", "a blend with no dairy", or a comparison
    turning to this recipe ("juicy as a beef burger, but these are beetroot"). A negation elsewhere ("No shortcuts:
    proper beef stock is the base", "This isn't quick, and it ends with a knob of butter") says nothing about the food,
    and neither does one whose gap turns to the stand-in ("instead of olive oil this uses goose fat")."""
    before = ftext[start : r.start]
    governed = _GOVERN_RE.search(before)
    if governed and _GAP_STOPS.isdisjoint(governed.group(1).split()) and not _praises(before, governed, ftext, r, end):
        return True
    return bool(_TURNS_HERE_RE.search(ftext[r.start : end]) and _COMPARED_RE.search(before))


# Praise worded as a comparison or a lack: "Nothing soaks up the gravy like thick-cut crusty bread", "treats like
# chocolate-coated almonds" (examples, not a comparison), "A butty without back bacon is just a sandwich".
_NOTHING_BEFORE_RE = re.compile(r"\b(?:nothing|no[ \t]+one|nobody|nowhere|few[ \t]+things|hardly[ \t]+anything)\b")
# fmt: off
_SUCH_AS_LEADS = frozenset({
    "treats", "things", "extras", "toppings", "bits", "additions", "sides", "snacks", "favourites", "add-ons", "leftovers",
    "ends", "cuts",
    # "Kids like a drizzle of runny honey": the verb
    "kids", "children", "toddlers", "teenagers", "ones", "i", "we", "they", "you", "everyone", "everybody", "guests",
})
# fmt: on
_LACK_IS_LESS_RE = re.compile(r"[^.!?;\n]{0,40}?\b(?:is|are|isn't|aren't)[ \t]+(?:just|only|merely|not|never|nothing)\b")


def _praises(before: str, governed: re.Match[str], ftext: str, r: Mention, end: int) -> bool:
    """Is the departure word that governs the food praise or an example ("Nothing goes with curry like a cold lager",
    "extras like toasted pine nuts", "kids like a drizzle of honey", "soup without crusty bread is just hot water")?"""
    trigger = before[governed.start() : governed.start(1)].split()
    if trigger[0] == "like":
        lead = before[: governed.start()].split()
        nothing_before = _NOTHING_BEFORE_RE.search(before, 0, governed.start()) is not None
        return nothing_before or (bool(lead) and lead[-1] in _SUCH_AS_LEADS)
    if trigger[0] == "without":
        return _LACK_IS_LESS_RE.match(ftext, r.start, end) is not None
    return False


def _answers_question(ftext: str, sentence_start: int) -> bool:
    """Does the sentence answer a question the headnote asks the cook ("Not cooking for vegans? Tuck two halved prawns
    into each roll", "No fish stock? A chicken stock cube does fine")? The answer is an offer however it is worded."""
    return ftext[:sentence_start].rstrip().endswith("?")


def _targets(r: Mention) -> frozenset[str]:
    """The words that name a told food in a swap: its own words, its kinds' words, "it" and "them"."""
    kinds = (w for tag in r.remaining for w in _KIND_WORDS.get(tag, ()))
    return frozenset((*r.words, *kinds)) | _PRONOUNS


def _takes_up(ftext: str, voiced: tuple[int, int], r: Mention, targets: frozenset[str]) -> bool:
    """Does a sentence in the writer's voice take the told food up? Its own object ("at home I use a splash of dry
    sherry, or apple juice for an alcohol-free sauce") only a swap naming it sets aside ("I skip the swirl of cream")."""
    start, end = voiced
    sentence = ftext[start:end]
    if start <= r.start < end:
        objects = _swap_objects(sentence)
        return not any(set(r.words) & set(o.split()) for o in objects)
    return not _swaps(sentence, targets)


def _swap_objects(sentence: str) -> list[str]:
    return [m.group(1) for m in _SWAP_OBJECT_RE.finditer(sentence)] + [m.group(1) for m in _LEAVE_OUT_RE.finditer(sentence)]


def _swaps(sentence: str, targets: frozenset[str]) -> bool:
    """Does the sentence set the told food aside ("I serve rice instead", "leave it out", "our meat-free lunch")?"""
    if _BARE_INSTEAD_RE.search(sentence):
        return True
    objects = _swap_objects(sentence)
    if any(not targets.isdisjoint(o.split()) for o in objects):
        return True
    return any(m.group(1) in targets for m in _FREE_RE.finditer(sentence))


def _free_claim(note: str, match: re.Match[str], targets: frozenset[str]) -> bool:
    """Is an endorsement only "so it is gluten-free", the recipe's own freedom from the told food?"""
    if not match.group(0).startswith("so "):
        return False
    free = _FREE_RE.match(note, match.end() + 1)
    return free is not None and free.group(1) in targets


def _swapped_next(ftext: str, end: int, list_start: int, targets: frozenset[str]) -> bool:
    """Is a story's serving ("Most glazed carrots are finished with butter", "In Minho every bowl comes with a slice of
    chourico on top") the other version's, the next sentence setting it aside (". I leave it out and lay a few smoked
    sardines on the bread instead")?"""
    if end >= list_start:
        return False
    start, stop = _sentence(ftext, end + 1)  # the headnote's last sentence ends at the newline before the list
    return _swaps(ftext[start:stop], targets)


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
