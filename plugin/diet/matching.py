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

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from plugin.diet.detection import PART
from plugin.diet.headnotes import clear_headnote_stories
from plugin.diet.lexicon import NO_DIET, Ingredient, Lexicon, check_diet, load, offending_tags
from plugin.diet.textnorm import TOKEN_RE, Folded, fold

# Characters allowed between the words of a multi-word ingredient, and
# between a qualifier and the ingredient it qualifies: a newline or a comma
# ends the phrase ("- peanut\n- butter" is two items).
_JOIN = r"[ \t\-']+"
_WORD_AFTER = r"(?![^\W_])"
_BOUNDARY = r"[\W_]"  # not a letter or digit: what may come before a mention (the scan pads the text with a space)

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
        # "in place of THE USUAL red wine", "instead of the TRADITIONAL bacon"
        "usual",
        "traditional",
        "classic",
        "customary",
        "typical",
        "each",  # "replace EACH egg with aquafaba"
        "every",
        "your",
        "need",  # "you don't NEED eggs or dairy"
        "refined",  # "no REFINED sugar"
        "roast",  # "mushrooms instead of ROAST pork"
        "roasted",
        "uses",  # "my neighbour never USES wine in hers"
        "used",
        # "Carbonara never HAD cream in it", "has never SEEN an egg", "there hasn't BEEN any ACTUAL meat in it"
        "had",
        "has",
        "seen",
        "been",
        "actual",
        "contained",
        "single",  # "without a single nut in them"
        # "instead of the usual crushed peanuts", "no grated Parmesan": how it is prepared
        "crushed",
        "chopped",
        "toasted",
        "grated",
        "sliced",
        "diced",
        "minced",
        "shredded",
        "melted",
        "ground",
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
        "neither",  # "there is neither egg nor cream in it"
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
        ("takes", "the", "place", "of"),  # "halal beef bacon takes the place of the lardons"
        ("nothing", "with"),  # "No flour, no breadcrumbs, nothing with wheat in it"
        ("take", "the", "place", "of"),
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
        ("hasn", "t"),
        ("hadn", "t"),
        ("haven", "t"),
        ("wasn", "t"),
        ("aren", "t"),
        ("allergic", "to"),  # "my son turned out to be allergic to dairy": what the dish avoids
        ("allergy", "list", "includes"),  # "for my niece, whose allergy list includes coconut"
        ("allergies", "include"),
        ("intolerant", "to"),
        ("contains", "no"),
        ("nothing", "contains"),  # "so nothing here contains wheat"
        ("nothing", "here", "contains"),
        ("nothing", "in", "it", "contains"),
        ("nothing", "comes", "from"),  # "nothing here comes from an animal": what the dish is free of
        ("nothing", "here", "comes", "from"),
        ("instead", "of", "the"),
        ("no", "need", "for"),
        ("stand", "in", "for"),
        ("stands", "in", "for"),
        ("standing", "in", "for"),
        ("not", "a", "fan", "of"),  # "Not a fan of bacon? Try smoked turkey"
        ("none", "of"),  # "with none of the alcohol"
        # who cannot eat it, who does not miss it: "for friends who can't have oats", "nobody misses the rum"
        ("can", "t", "have"),
        ("can", "t", "eat"),
        ("cannot", "have"),
        ("cannot", "eat"),
        ("nobody", "misses"),
        ("no", "one", "misses"),
        ("won", "t", "miss"),
        ("nothing", "to", "do", "with"),  # "buckwheat has nothing to do with wheat"
        ("otherwise", "get", "from"),  # "the depth you would otherwise get from red wine": what it stands in for
    }
)
_NEG_MULTI_LAST = frozenset(phrase[-1] for phrase in _NEG_MULTI)  # the word right before the food
# A word that every negation _is_negated reads holds: a single negation, "out" ("out of"), "instead" and "rather"
# (after "a bottle of"), and one word of each phrase ("place" for "in place of", where "in" is everywhere). The words
# before most mentions hold none ("Chop the"), so one set test replaces the walk.
_NEGATION_WORDS = _NEG_SINGLE | {"out", "instead", "rather"} | {phrase[phrase[0] == "in"] for phrase in _NEG_MULTI}
# Words that directly after an ingredient mean it is absent or replaced.
_SUFFIX_CLEAR = frozenset(
    ["free", "substitute", "alternative", "replacer", "replacement", "analogue", "analog"]
    + ["eater", "eaters", "lover", "lovers", "fisted"]  # "meat-eaters", "ham-fisted": people, not food
    + ["herder", "herders", "herdsman", "herdsmen", "farmer", "farmers", "rancher", "ranchers", "breeder", "breeders"]
    + ["programme", "program", "cycle"]  # "Choose the wholewheat programme": a bread machine's setting
    # "nut allergies", "a nut-allergic son", "gluten intolerance": a condition, not the food
    + ["allergy", "allergies", "allergic", "allergen", "allergens", "intolerance", "intolerances", "intolerant"]
)
# Words a qualifier may skip over: "vegan SHREDDED cheese" but not "vegan pasta WITH cheese".
_NOT_SKIPPABLE = frozenset(
    ["and", "or", "with", "of", "in", "on", "for", "to", "from", "into", "plus", "then", "but", "the", "a", "an"]
)
# Nouns that, right after an ingredient word, make the pair a kitchen tool: "meat pounder",
# "ice cream maker", "butter knife". ("pot" and "pie" are absent: "chicken pot pie" is food.)
_EQUIPMENT = frozenset(
    [
        "pan",
        "pans",
        "glass",
        "glasses",
        "machine",
        "machines",
        "brick",
        "bricks",
        "tin",
        "tins",
        "bag",
        "bags",
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
        "holes",  # "12 muffin holes": a tray's hollows
        "scraper",  # "a coconut scraper"
        "scrapers",
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
        "board",  # "cheese board", "bread board"
        "boards",
        "wire",  # "cheese wire"
        "stand",  # "ham stand"
        "flute",  # "champagne flutes"
        "flutes",
        "coupe",  # "champagne coupes"
        "coupes",
        "basket",  # "fish basket", "bread basket"
        "baskets",
        "setting",  # "the tagliatelle setting" of a pasta machine
        "settings",
        "attachment",  # "the spaghetti attachment"
        "attachments",
        "curler",  # "a butter curler"
        "curlers",
        "jar",  # "the old honey jar" (a jar of honey says "of")
        "jars",
        "grill",  # "the raclette grill"
        "grills",
        "mould",  # "financier moulds", "a jelly mould"
        "moulds",
        "mold",
        "molds",
        "whipper",  # "a cream whipper"
        "whippers",
        "tweezers",  # "fish bone tweezers"
        "pliers",
        "plane",  # "a cheese plane"
        "planes",
        "coddler",  # "egg coddlers"
        "coddlers",
        "stamp",  # "a ravioli stamp", "a bread stamp"
        "stamps",
        "chopper",  # "a nut chopper"
        "choppers",
        "paddle",  # "butter paddles"
        "paddles",
        "muslin",  # "a butter muslin"
        "muslins",
        "stuffer",  # "a sausage stuffer"
        "stuffers",
    ]
)
_CAN_TOOL_RE = re.compile(r"-(?:can|bottle)[ \t]+[^\W_]+[ \t]+([^\W_]+)")
# Tools that one more word of the food's name may stand before: "fish bone tweezers", "a roti jala mould"
_FAR_TOOL_RE = re.compile(r"[ \t]+(?:tweezers|pliers|moulds?|molds?|stamps?)\b(?!-)")
# Words that start a new phrase, not a word of the tool's name: "salmon roe using tweezers", "the marzipan into moulds"
_FAR_TOOL_GAP_STOPS = frozenset(
    ["into", "in", "with", "using", "onto", "on", "from", "for", "and", "or", "to", "by", "inside", "between", "through"]
    + ["the", "a", "an", "some", "each", "your", "them", "it", "their", "its", "off", "over", "under", "at", "then", "out"]
)
# Tools whose noun is also a food's measure or a dish's shape, so only after the food they are made for
_EQUIPMENT_PAIRS = {
    "egg": frozenset(["cup", "cups"]),
    "gravy": frozenset(["boat", "boats"]),
    "bread": frozenset(["bin", "bins"]),  # "keeps for 2 days in a bread bin"
}
_PAIRED_TOOLS = frozenset(w for tools in _EQUIPMENT_PAIRS.values() for w in tools)
# Ingredient words that double as verbs ("Butter the pan", "fish out the bay leaves", "beef up the sauce"),
# and what may follow them when they are verbs.
_VERBABLE = frozenset(
    ["butter", "cream", "flour", "oil", "fish", "milk", "beef", "bread", "crumb", "egg", "scallop", "stuff", "sprinkle"]
    + ["beefs"]  # "the smoked paprika beefs up the flavour"
    + ["lard"]  # "lard the venison with strips of pork fat": threading fat through lean meat
    + ["egg wash", "egg-wash", "mince", "goose"]  # "Egg-wash the samosas", "Mince the garlic", "goose the heat up"
    + ["chuck"]  # "2. Chuck in the onion and pepper": to throw, at the start of a step
)
# Verbable words read as verbs only before these: "Mince the garlic" (not "Mince with onions", a title), "goose it up"
_NARROW_VERBS = {
    "mince": frozenset(["the", "a", "an", "your", "it", "them", "both", "all", "each", "finely", "together"]),
    "goose": frozenset(["the", "it", "them", "things", "everything"]),
}
_UP_AFTER_RE = re.compile(r"(?:[ \t]+[^\W_]+){1,3}?[ \t]+up\b")  # "goose the heat up", "goose it up"
# After "and", a verb takes its object: "make slits in the leg and lard the lamb", "and butter each ramekin"
_AND_VERB_OBJECT = frozenset(["the", "each", "both", "your", "every"])
_VERB_OBJECT = frozenset(
    ["the", "a", "an", "your", "each", "both", "it", "them", "its", "their", "this", "these", "those", "out", "up"]
    + ["generously", "with", "over", "on", "together", "every", "all", "half"]  # "Cream half of it"
    + ["one", "two", "three", "four", "six", "eight", "twelve"]  # "Butter two 20 cm sandwich tins"
)
# Words before a verb use: the start of a step, or an adverb ("lightly butter a dish").
_VERB_LEAD = frozenset(
    ["lightly", "generously", "well", "then", "liberally", "thoroughly", "first", "also", "to"]
    + ["we", "i", "they"]  # "we milk the cobs straight into the pan": a subject before the verb (not "gives you bread")
)
# Phrasal verbs may follow "and": "season well and fish out the thyme", "and beef it up".
_PHRASAL_PARTICLES = frozenset(["out", "up"])
_CLAUSE_START_RE = re.compile(r"(?:^|[.!?;:\n]|\b\d+[.)])[ \t]*(?:[-*•][ \t]*)?$")
# Products named after the animal they come from: "goat's milk", "chicken egg white", "duck eggs".
_ANIMAL_PRODUCTS = frozenset(["dairy", "egg"])
_ANIMALS = frozenset(["meat", "poultry", "pork"])
# Scare quotes mark an imitation: jackfruit "pulled pork", a vegan "honey", nacho "cheese".
_QUOTES = "\"'\u2018\u2019\u201c\u201d"
_DOUBLE_QUOTES = ('"', "\u201c", "\u201d")
# A single quote opened before a mention and closed inside it, a word before its end: "soya 'chicken' pieces" (the
# scan joins words across an apostrophe, for "pigs' trotters"; "'goats' cheese" is a possessive)
_SINGLE_OPENS = frozenset(["'", "\u2018"])
_CLOSED_INSIDE_RE = re.compile(r"[^\W\d_](?<!s)['\u2019][ \t]")
# ... after a plant or its maker's word: "mycoprotein 'chicken' pieces", "plant-based 'chicken' pieces" (not "Granny's
# 'Chicken' stock", "order the 'Cheddar' cheese toastie": a name in quotes, a review's probes found)
_IMITATION_LEADS = frozenset(
    ["vegan", "based", "veggie", "vegetarian", "meatless", "mock", "faux", "fake", "soya", "soy", "free", "vegetable"]
)
_SOURCE_GAP_RE = re.compile(r"(?:'s|s'|s)?[ \t\-]*")
_SOURCE_LIST_GAP_RE = re.compile(r"(?:'s|s')?[ \t]*(?:,|and|or|&)[ \t]*(?:(?:and|or)[ \t]+)?")
# "substitute tofu FOR chicken", "swap oat milk FOR the milk": the object after "for" is replaced.
_SWAP_VERBS = frozenset(["substitute", "substituting", "sub"])
# "the chicken can be replaced with tofu", "chicken, or swap in tofu": the mention itself is the replaced one.
# "where nuts are banned", "eggs aren't allowed": a food the text rules out
_POSTFIX_SWAP_RE = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:(?:(?:can|could|may|might)[ \t]+be|are|is|were|was|get|gets)[ \t]+"
    r"(?:replaced|swapped|substituted|subbed|omitted|left[ \t]+out|banned|forbidden|off[ \t\-]limits"
    r"|not[ \t]+(?:allowed|permitted)(?![ \t]+to\b))"  # not "the milk is not allowed to boil"
    r"|(?:are|is|were|was)n[\u2019']?t[ \t]+(?:allowed|permitted)(?![ \t]+to\b))\b"
)

_OMIT_VERBS = frozenset(["skip", "omit", "avoid", "exclude"])
# Step words that name the dish's own composite, not a listed item: "the sauce" after "soy sauce".
_GENERIC_HEADS = frozenset(
    ["sauce", "dressing", "marinade", "glaze", "paste", "mixture", "batter", "dough", "filling", "topping", "syrup", "curry"]
)
# What a recipe makes in the pan from its list: "the gravy" of a pie whose list has stock, flour and stout.
_OWN_MIXTURES = frozenset(["gravy"])
# What a gravy is made of: without one of them in the text, "the gravy" is bought ("Fry the gravy to the pot.")
_GRAVY_MAKINGS = (
    ("stock", "broth", "flour", "cornstarch", "juices", "wine", "stout", "ale", "bouillon", "roux", "miso")
    + ("curry", "masala", "coconut milk")  # "Mutta Curry": Indian English calls a curry's sauce its gravy
)


def _makes_gravy(ftext: str) -> bool:
    return any(w in ftext for w in _GRAVY_MAKINGS)


# Qualifiers that name a diet, which a title may apply to its dish ("Vegan Mac and Cheese"); plant and meat
# words ("coconut", "beef") qualify only the word right after them.
_NOT_DIET_QUALIFIERS = frozenset(
    ["almond", "cashew", "soy", "soya", "oat", "coconut", "nut", "beef", "chicken", "turkey", "lamb"]
    + ["tofu", "tempeh", "seitan", "jackfruit", "tvp", "banana", "blossom"]
)

# Separators that continue a negated list: "no butter, milk or cream".
_LIST_GAP_RE = re.compile(r"[ \t,/&]*(?:(?:or|nor|and|any|the|a|an|some|even|as[ \t]+well[ \t]+as)[ \t,/&]+)*")

# Comparisons, sizes and shapes name a food without using it: "glossy peaks, like a meringue",
# "until it resembles breadcrumbs", "walnut-sized balls", "the colour of peanut butter".
_COMPARE_WORDS = frozenset(["resembles", "resemble", "resembling", "than", "unlike"])  # "softer than ordinary pasta dough"
# "it isn't trying to be cow's milk", "where the rum would be": what the dish is not, or a food's absent place
_NOT_TRYING_RE = re.compile(r"\b(?:trying|try|tries|pretending|pretend)[ \t]+to[ \t]+be[ \t]+(?:a[ \t]+|an[ \t]+)?$")
# Who reacts to a food is an eater, not a bicarbonate ("the soda reacts to the buttermilk")
_REACTING_PEOPLE = frozenset(
    ["son", "daughter", "nephew", "niece", "husband", "wife", "partner", "he", "she", "i", "kid", "child", "mum", "dad"]
    + ["brother", "sister", "friend", "guest", "boy", "girl", "baby", "toddler", "also", "too"]
)
# "the way you would for a Wiener schnitzel", "just as you would butter": what the reader does with another food
_AS_YOU_WOULD_RE = re.compile(
    r"\b(?:the[ \t]+way|just[ \t]+as|exactly[ \t]+as)[ \t]+you[ \t]+would[ \t]+(?:(?:for|with|do)[ \t]+)?"
    # "the way you would a fillet steak": one describing word after "a" (not "as you would the first salmon fillet")
    r"(?:(?:a|an)[ \t]+(?:[^\W\d_]+[ \t]+)?|the[ \t]+)?$"
)
_WOULD_BE_RE = re.compile(r"[ \t]+would[ \t]+(?:be|have[ \t]+been)\b")  # not "where the egg would go, then crack one in"
_COMPARE_NOUNS = frozenset(
    ["colour", "color", "body", "texture", "consistency", "size", "shape", "look", "thickness"]
    + ["relation", "relative", "relatives", "cousin"]  # "buckwheat is no relation of wheat": kinship, not the food
)
# What a food tastes of is a comparison only with another food ("all the tang of a honey mustard", "the flavour of
# bacon"): "soak up all the flavour of the chicken stock" names this recipe's own stock.
_SMELL_WORDS = frozenset(["smells", "smell", "smelling", "smelt", "smelled", "reminiscent"])
_SEMBLANCE_NOUNS = frozenset(["smell", "aroma", "scent", "impression", "imitation"])
# what gives the likeness ("gives it the sulphury smell of", "does a fair impression of"), or its object ("it", "them")
_SEMBLANCE_GIVERS = frozenset(["gives", "give", "giving", "lends", "lend", "does", "do", "has", "have", "it", "them"])
_TASTE_NOUNS = frozenset(
    ["flavour", "flavours", "flavor", "flavors", "taste", "warmth"]  # "all the flavours of a classic lox bagel"
    + ["pleasure"]  # "all the pleasure of a hazelnut chocolate spread without any hazelnuts"
    + ["tang", "sweetness", "richness", "smokiness", "saltiness", "crunch", "funk", "umami"]
)
# what a food feels like, only after "all the" or "the same": "portobello caps have all the chew of skirt steak" (not
# "for the salty bite of bacon, add 4 rashers", "a bite of Stilton")
_FEEL_NOUNS = frozenset(["chew", "bite", "heft"])
_ANY_ONE = frozenset(["any", "a", "an"])
_NO_BETTER = frozenset(["nothing", "no", "none", "nobody"])
_LIKENED_LEADS = _ANY_ONE | {"as", "based"}  # "as thick as any yolk-based mayonnaise": the mayonnaise too
_AS_AS_WORDS = frozenset(
    ["thin", "fine", "dark", "smooth", "crisp", "soft", "pale", "firm", "rich", "salty", "sweet", "gooey", "creamy", "cheesy"]
    + ["crunchy", "tender", "fluffy", "silky", "thick", "chewy", "sticky", "juicy", "flaky", "hearty", "meaty", "golden"]
    + ["satisfying", "indulgent", "comforting", "moreish", "good", "light", "savoury", "savory", "luscious", "velvety"]
    + ["stiff", "glossy", "airy", "spreadable"]  # "whips up as stiff and glossy as egg whites"
)
# "toppings like bacon", "something like cheese": "like" introducing examples, which are suggestions
_EXAMPLE_HEADS = frozenset(
    ["something", "anything", "things", "such", "toppings", "extras", "ingredients", "foods", "proteins", "options"]
    + ["garnishes", "you", "d", "would", "if", "meats", "cheeses", "fish", "seafood", "nuts", "protein", "sides"]
)
_COMPARE_TO = frozenset(["unrelated", "related", "similar", "akin", "compared", "comparable", "alternative", "closer", "nearer"])
_COMPARE_SKIP = frozenset(
    ["a", "an", "the", "some", "fine", "coarse", "wet", "damp", "soft", "small", "large", "little", "mulled"]
    + ["ordinary", "regular", "normal", "usual", "classic", "traditional", "real"]
)
_SIZED = frozenset(["size", "sized", "shaped"])
_SHAPE_WORDS = frozenset(["shape", "shapes"])
_NOT_FOOD_SUFFIXES = frozenset(["free", "sized", "size", "shaped", "allergy", "allergies", "allergic", "intolerance"])
_SHAPE_LEADS = frozenset(["long", "thin", "fat", "small", "little", "short", "neat", "into", "in", "a", "of", "as"])
_GET_VERBS = frozenset(["get", "expect", "find"])
_COMPARE_SECOND = _GET_VERBS | {"like"}
# not "feel": "If you feel like crispy bacon on top" is a wish for the food
_LOOK_VERBS = frozenset(
    ["look", "looks", "looking", "looked", "resemble", "resembles", "taste", "tastes"]
    + ["eat", "eats", "chew", "chews"]  # "a bracket fungus that really does eat like tender chicken"
)
_TEXTURE_HEADS = frozenset(["curds"])
_DETERMINERS = frozenset(["a", "an", "the", "some"])
# "6 king scallops, roe removed": the food is taken away
_REMOVED = frozenset(["removed", "discarded"])
# "Some cooks add anchovies; we leave them out", "many versions use red wine here; this one doesn't",
# "Most recipes add Marsala; this one uses only coffee", "I used to add pistachios; now I use seeds".
# The subject: "we", "I", "this one", "this plate" (not "this is", "this will": a verb, not a dish)
_CONTRAST_SUBJECT = (
    r"(?:we|i|this[ \t]+(?!(?:is|was|will|would|can|could|should|may|might|must|does|did|do|has|had|makes?|gives?|keeps?)\b)"
    r"[^\W_]+)(?:'d)?[ \t]+"
)
# What this recipe leaves out: "we leave them out", "this one leaves both out", "this version swaps it for salmon"
_NEG_CONTRAST_EXCLUDES = (
    r"(?:leaves?[ \t]+(?:it|them|both|these|those|that)[ \t]+(?:out|off)|don.?t|doesn.?t"
    # "Some people add pancetta; I'd rather not"
    r"|do[ \t]+not|rather[ \t]+(?:not|leave[ \t]+(?:it|them)[ \t]+out|skip|go[ \t]+without)"
    r"|does[ \t]+not|skips?|omits?|swaps?|replaces?|never|has[ \t]+(?:neither|none|no)|switched|swapped"
    r"|keep[ \t]+(?:it|them|mine|ours|things)[ \t]+(?:simple|plain))\b"  # "; I keep them simple"
)
# What this recipe uses: it must name another food ("I use it too", "I use plenty" are the same food)
_NEG_CONTRAST_USES = (
    r"(?:uses?|makes?[ \t]+(?:these|them|mine|ours|it|this|(?:our|my)[ \t]+own)"  # ", so I make these with halal gelatine"
    r"|(?:have|'ve)[ \t]+(?:always[ \t]+)?made[ \t]+(?:these|them|mine|ours|it|this)"  # "; I have made it with vegetable suet"
    # "Many nonnas start this with pancetta; I start with olive oil"
    r"|(?:start|starts|begin|begins)[ \t]+(?:it[ \t]+|this[ \t]+|mine[ \t]+)?with)\b"
)
_NEG_CONTRAST = _CONTRAST_SUBJECT + "(?:" + _NEG_CONTRAST_EXCLUDES + "|" + _NEG_CONTRAST_USES + ")"
# Where the contrast clause opens: "; we ...", ", but I ...", ", which is why we make our own", "; for my husband I use"
_CONTRAST_LEAD = (
    r"[;,(][ \t]*(?:(?:but|so|which[ \t]+is[ \t]+why)[ \t]+)?"
    r"(?:for[ \t]+(?:[^\W_]+(?:['\u2019-][^\W_]+)*[ \t]+){1,4}(?=(?:i|we)\b))?"  # "; for my son's nut allergy we skip them"
)
# "purists will tell you it has no place in a paella, and I agree" (not "..., but I love it")
_NO_PLACE = r"[;,(][^.!?\n;]{0,40}\b(?:it|they)[ \t]+(?:has|have)[ \t]+no[ \t]+place\b(?![^.!?\n;]*\bbut\b)"
# "; nobody can tell", "; no one will notice", "; you won't miss it": the recipe differs and it does not show.
_NOBODY_NOTICES = (
    r"(?:nobody|no[ \t]+one|you[ \t]+won.?t|you.?ll[ \t]+never|you[ \t]+can.?t)\b[^.!?\n;]{0,20}"
    r"\b(?:tell|notices?|noticed|miss|misses|missed|know|knows)\b"
)
# A clause about this recipe itself, set against what came before: "; this (vegan) version gets",
# "; these use only coconut", "; here capers ...", "; now I use" (but not "; we love them").
# "..., but sunflower seeds make a nut-free version just as good": another food makes this recipe's version
# "..., but toasted sunflower seeds make a pesto everyone at the school picnic can eat": one that all can eat
_MAKES_A_VERSION = (
    r"makes?[ \t]+(?:a|an)[ \t]+(?:[^\W_]+(?:-[^\W_]+)*[ \t]+)?(?:version|one|swap|alternative"
    r"|[^\W_]+[ \t]+(?:that[ \t]+)?(?:everyone|anyone|everybody|anybody)(?:[ \t]+[^\W_]+){0,4}[ \t]+can[ \t]+"
    r"(?:eat|enjoy|have|share)\b)"
)
_SELF_CONTRAST = (
    r"(?:(?:this|my|our)[ \t]+(?:[^\W_]+(?:-[^\W_]+)*[ \t]+)?(?:one|version|recipe)[ \t]+[^\W_]+|these[ \t]+[^\W_]+|here\b"
    r"|now[ \t]+(?:i|we)\b"
    r"|at[ \t]+home\b|ours\b|mine\b|[^.!?\n;]{0,90}\b(?:here|instead)\b"  # "; ours uses kelp", "; maple does the job here"
    r"|(?:i|we)[ \t]+[^\W_]+[ \t]+(?:mine|ours)\b"  # "; I brush mine with avocado oil"
    # what takes its part: "; sunflower seeds make it safe", "; paprika and patience do the work", "; pecans stand in"
    r"|[^.!?\n;]{0,60}\b(?:makes?[ \t]+(?:it|this)|keeps?[ \t]+(?:it|this)|stands?[ \t]+in"
    r"|do(?:es)?[ \t]+the[ \t]+(?:same[ \t]+)?(?:work|job|trick)|"
    + _MAKES_A_VERSION
    # "; trout takes their place", "; oyster mushrooms take the coating just as well"
    + r"|takes?[ \t]+(?:their|its|the)[ \t]+place|works?[ \t]+just[ \t]+as[ \t]+well|just[ \t]+as[ \t]+well)\b"
    # "; oat crème fraîche gives the same tang", "; pressed tofu soaks up the same marinade" (not "; it gives the same")
    r"|(?![ \t]*(?:it|they|that|this)\b)[^.!?\n;]{0,60}\b(?:gives?|soaks?[ \t]+up|brings?)[ \t]+(?:it[ \t]+)?the[ \t]+same\b"
    r"|(?:i|we)[ \t]+(?:switched|swapped|changed)\b"  # "My abuela used evaporated milk; I switched to oat milk"
    # another named kind takes its place: "My nan's were made with beef suet; the vegetable kind works as well"
    r"|the[ \t]+[^\W_]+(?:[ \t\-][^\W_]+)?[ \t]+(?:kind|sort|type|variety)\b"
    r"|" + _NOBODY_NOTICES + ")"
)
_EXCLUDED_LATER_RE = re.compile(
    r"[^.!?\n;]{0,100}(?:"
    + _CONTRAST_LEAD
    + _NEG_CONTRAST
    + "|"
    + _NO_PLACE
    # "; mine always uses rice", ", but mine starts with leeks", ", mine always uses rice"
    + r"|(?:;|,[ \t]*but\b|,(?=[ \t]*(?:mine|ours)\b))[ \t]*(?:but[ \t]+)?"
    + _SELF_CONTRAST
    # "(malt vinegar is made from barley, so skip it here)": the reader is told to leave it out
    + r"|[,;][ \t]*so[ \t]+(?:skip|omit|avoid)[ \t]+(?:it|them)(?:[ \t]+(?:here|entirely|altogether|completely))?"
    + r"[ \t]*(?:[).;,]|\n|$|[ \t]+and[ \t]+(?:use|add|swap))"
    + ")"
)
# The same contrast said in the next sentence, with a plain exclusion or a stated start: "Many nonnas start this with
# pancetta. I start with olive oil.", "Most versions add lardons. Mine begins with leeks.", "Most cooks add bacon. We leave
# it out." (not "I use ...", which may go on to use it: "Traditionally it is finished with cream. I use double cream.").
# Read only where the text says "I/we/this one" + such a verb somewhere (the has_exclusion cues).
_NEXT_SENTENCE_CONTRAST_RE = re.compile(
    r"[^.!?\n;]{0,100}[.!?][ \t]+(?:but[ \t]+)?(?:(?:we|i|mine|ours|this[ \t]+(?:one|version|recipe))(?:'d)?[ \t]+"
    r"(?:leave[ \t]+(?:it|them)[ \t]+(?:out|off)|don.?t|doesn.?t|do[ \t]+not|does[ \t]+not|skip|omit|never"
    r"|rather[ \t]+(?:not|leave[ \t]+(?:it|them)[ \t]+out|skip|go[ \t]+without)|switched|swapped|has[ \t]+(?:neither|none|no)"
    r"|(?:start|starts|begin|begins)[ \t]+(?:it[ \t]+|this[ \t]+|mine[ \t]+)?with)\b)"
)
# "Bourguignon is normally braised in red wine. Mine uses pomegranate juice instead": the next sentence's own food,
# which must be another ("I use a whole bottle" is more of the same)
_NEXT_SENTENCE_USES_RE = re.compile(
    r"[^.!?\n;]{0,100}[.!?][ \t]+(?:but[ \t]+)?(?:we|i|mine|ours|this[ \t]+(?:one|version|recipe))[ \t]+"
    r"(?:uses?|makes?[ \t]+(?:it|this|these|them|mine|ours)[ \t]+with)\b"
)


def _next_sentence_substitute(folded: str, start: int, end: int, uses: re.Match[str]) -> re.Match[str] | None:
    """The next sentence's "uses" clause, where it names a substitute (read as a clause after a semicolon)."""
    dot = max(folded.rfind(c, end, uses.end()) for c in ".!?")
    stop = min((i for i in (folded.find(c, uses.end()) for c in ".!?\n;") if i >= 0), default=len(folded))
    # what it stands in for is named again after "instead of", "in place of": not more of the same
    cut = min((i for i in (folded.find(w, uses.end(), stop) for w in _IN_PLACE_WORDS) if i >= 0), default=stop)
    if cut == stop:
        return None  # no "instead", "in place of": "I use a splash of oil to start it off" adds, it swaps nothing
    words = TOKEN_RE.findall(folded, uses.end(), cut)
    if not any(_starts_food(words, k) for k in range(len(words))):
        return None  # "I use a whole bottle instead": no other food
    as_clause = folded[:dot] + ";" + folded[dot + 1 : cut] + " " * (stop - cut) + folded[stop:]  # every offset holds
    return uses if _names_substitute(as_clause, start, end, uses.end()) else None


_IN_PLACE_WORDS = (" instead", " in place of", " takes the place", " take the place", " in lieu", " rather than")


# "The street version is pounded with dried shrimp; this one leaves the shrimp out", "Plenty of restaurants add
# cashew paste; at home I leave the cashews out": the food left out is named, and must be the mention's own
# (not "...; this one leaves the onions out", which says nothing of the shrimp).
_LEAVES_NAMED_OUT_RE = re.compile(
    r"[^.!?\n;]{0,100}[;,][ \t]*(?:(?:but|so)[ \t]+)?(?:(?:at[ \t]+home|here)[ \t]+)?"
    r"(?:we|i|mine|ours|this[ \t]+[^\W_]+)[ \t]+leaves?[ \t]+(?:the[ \t]+|all[ \t]+the[ \t]+)?([^\W_]+)[ \t]+(?:out|off)\b"
)
# "...a proper paella has rabbit in it. This one is all vegetables": the next sentence says what this recipe is made
# of, and names another food (not "This one is all about the rabbit", "This one is all rabbit").
_NEXT_SENTENCE_ALL_RE = re.compile(
    r"[^.!?\n;]{0,200}[.!?][ \t]+(?:this[ \t]+(?:one|version|recipe)|mine|ours)[ \t]+is[ \t]+all[ \t]+(?!about\b)([^\W_]+)"
)
# "Hanoi pho starts with beef bones and fish sauce. This one has neither:": both foods named, then refused outright
_NEXT_SENTENCE_NEITHER_RE = re.compile(
    r"[^.!?\n;]{0,100}[.!?][ \t]+(?:this[ \t]+(?:one|version|recipe)|mine|ours)[ \t]+has[ \t]+(?:neither|none[ \t]+of[ \t]+"
    r"(?:them|these|those|that))[ \t]*(?:[:;,.!?]|$)"
)
_EXCLUSION_VERBS = (
    r"(?:'d)?[ \t]+(?:leaves?|don|doesn|do|does|skips?|omits?|swaps?|replaces?|never|uses?|has|makes?|switched|swapped"
    r"|rather|start|starts|begin|begins|keep|have)\b"
)
# "we leave them out", "I never use", "this version doesn't": one pattern per subject, each opening with its literal
# so re scans for it at C speed (one pattern opening with \b tried every position: 14 us a recipe)
_EXCLUSION_CUE_RES = tuple(
    re.compile(subject + r"(?<!\w" + lead + ")" + rest + _EXCLUSION_VERBS)
    for subject, lead, rest in (("we", "we", ""), ("i", "i", ""), ("this", "this", r"[ \t]+[^\W_]+"))
)
_SELF_CONTRAST_CUE_RE = re.compile(  # literal first: a fast scan
    r"(?:;|,[ \t]*but\b)[ \t]*(?:but[ \t]+)?(?:this|these|here|now|at[ \t]+home|ours|mine|my|our)\b"
    r"|,[ \t]*(?:mine|ours)\b|;[ \t]*(?:i|we)[ \t]+[^\W_]+[ \t]+(?:mine|ours)\b"
    r"|;[^.!?\n;]{0,90}\b(?:here|instead)\b"
    r"|(?:;|,[ \t]*but\b)[^.!?\n;]{0,60}\b(?:makes?[ \t]+(?:it|this)|keeps?[ \t]+(?:it|this)|stands?[ \t]+in"
    r"|do(?:es)?[ \t]+the[ \t]+(?:same[ \t]+)?(?:work|job|trick)|"
    + _MAKES_A_VERSION
    + r"|takes?[ \t]+(?:their|its|the)[ \t]+place|works?[ \t]+just[ \t]+as[ \t]+well|just[ \t]+as[ \t]+well"
    r"|(?:gives?|soaks?[ \t]+up|brings?)[ \t]+(?:it[ \t]+)?the[ \t]+same)\b"
    r"|;[ \t]*(?:i|we)[ \t]+(?:switched|swapped|changed)\b"
    r"|;[ \t]*the[ \t]+[^\W_]+(?:[ \t\-][^\W_]+)?[ \t]+(?:kind|sort|type|variety)\b"
    r"|;[ \t]*"
    + _NOBODY_NOTICES
    + r"|;[^.!?\n;]{0,40}\b(?:it|they)[ \t]+(?:has|have)[ \t]+no[ \t]+place\b"  # "; purists say it has no place in it"
)
_SO_SKIP_CUE_RE = re.compile(r"so (?:skip|omit|avoid)")
_NEXT_SENTENCE_ALL_CUE_RE = re.compile(r"(?:this[ \t]+(?:one|version|recipe)|mine|ours)[ \t]+is[ \t]+all[ \t]+(?!about\b)")
_ATTRIBUTION_RE = re.compile(
    r"(?:\b(?:some|many|most|other)[ \t]+(?:[^\W_]+(?:-[^\W_]+)*[ \t]+)?(?:cooks|people|recipes|versions|chefs|brands|families"
    r"|households)\b"
    # what other cooks and versions do, and what others say: "Roman cooks would drop", "Hawker versions are finished
    # with", "A Roman would tell you", "purists will tell you"
    r"|\b(?:cooks|chefs|purists|versions)\b|\b(?:would|will|d|ll)[ \t]+tell[ \t]+you\b"
    # one cook as a person, not the verb: "Where a French cook would pour in Burgundy"
    r"|\b(?:a|an|every|any)[ \t]+(?:[^\W_]+[ \t]+)?(?:cook|chef)[ \t]+(?:would|will|might|usually|always|often)\b"
    r"|\btraditional(?:ly)?\b|\boriginal\b|\busual(?:ly)?\b|\boften\b|\bclassic\b"
    r"|\b(?:normally|typically|generally|commonly|customarily|conventionally)\b|\bthe[ \t]+(?:[^\W_]+[ \t]+){1,2}version\b"
    r"|\bused[ \t]+to\b|\bconfused[ \t]+with\b"  # a past habit; "not to be confused with"
    r"|\b(?:the|an)[ \t]+old(?:[ \t]+[^\W_]+)?[ \t]+recipes?\b"  # "The old school recipe used beef suet"
    # another cook of the family or street: "Our Kapampangan neighbour makes this with pork cheeks"
    r"|\b(?:my|our|his|her|their)[ \t]+(?:[^\W_]+[ \t]+)?(?:neighbou?rs?|grandmothers?|grandmas?|gran|nan|nana|nonna|abuela"
    r"|mum|mom|mother|father|dad|aunts?|auntie|uncles?|friends?|landlady|in-laws?|mother-in-law)\b"
    # "In Sweden it simmers with salt pork", "In Swansea market these are fried in bacon fat"
    r"|(?<![^\n.!?;|])[ \t]*in[ \t]+(?:[^\W_]+[ \t]+){1,2}?(?:it|they|people|cooks|these|those|everyone)[ \t]"
    # what restaurants, stalls and shops do: "Restaurants finish their dal with ghee"
    r"|\b(?:restaurants?|takeaways?|cafes?|canteens?|vendors?|stalls?|hawkers?|bakeries|delis?|pubs?|caterers?"
    r"|bistros?|brasseries?|trattorias?|tavernas?)\b"
    r"|\b(?:is|are)[ \t]+(?:usually[ \t]+|normally[ \t]+|traditionally[ \t]+|often[ \t]+)?made[ \t]+(?:with|from)\b"
    # what most dishes of the kind or the family's version has: "Most glazed carrots use honey", "Plenty of fish
    # stews start with chorizo", "Ordinary gummy sweets use", "My grandmother always added ham", "my baba's borscht"
    r"|\b(?:most|many|plenty[ \t]+of|lots[ \t]+of|a[ \t]+lot[ \t]+of|ordinary|always|every)\b"
    r"|\b(?:my|our)[ \t]+(?:[^\W_]+[ \t]+){0,2}(?:grand[^\W_]*|granny|gran|nan|nana|nonna|baba|babcia|mother|mum|mom|aunt|auntie"
    r"|abuela|abuelita|oma|yiayia|nonno|nani|dadi|ammi|amma|paati|lola|bubbe|babushka|babcia|teta|halmeoni"
    r"|father|dad|family|childhood)\b)[^.!?\n;]*$"
)
# A warning about products: "check the packet, as some brands blend in wheat", "most supermarket soba
# is cut with wheat". What other products contain is not in this recipe.
_PRODUCT_CAVEAT_RE = re.compile(
    r"\b(?:some|many|most|other)[ \t]+(?:brands|supermarket|shop[ \t\-]bought|store[ \t\-]bought|commercial|packaged"
    r"|ready[ \t\-]made)\b[^.!?\n;:]*$"
    # what ordinary products may contain, right before the food: "since ordinary processed cheese can contain animal rennet"
    r"|\b(?:ordinary|regular|standard|conventional)[ \t]+(?:[^\W_]+[ \t]+){0,3}(?:can|may|might|often|sometimes)[ \t]+"
    r"(?:also[ \t]+)?(?:contain|include|hide)[ \t]+(?:[^\W_]+[ \t]+){0,2}$"
)
# How most products of a kind are made, given as the reason for this recipe's other choice: "I use halal-certified vegan
# marshmallows: most marshmallows are set with pork gelatine" (not "Most gummy bears are set with pork gelatine, which is
# why we love them", "Since most scones are made with butter, I use butter too")
_MOST_ARE_MADE_RE = re.compile(
    r"(?:(?<=:)|\bbecause[ \t]+|\bsince[ \t]+|\bas[ \t]+)[ \t]*most[ \t]+[^\W_]+[ \t]+(?:are|is)[ \t]+"
    r"(?:set|made|thickened|bound|coloured|colored)[ \t]+(?:with|from)[ \t]+$"
)
_OTHER_CHOICE_RE = re.compile(r"\b(?:vegan|vegetarian|agar|plant|halal|kosher|instead|substitute|rather[ \t]+than)\b")
_SAME_HERE_RE = re.compile(r"\b(?:too|also|as[ \t]+well|no[ \t]+exception|so[ \t]+(?:is|are|do|does))\b")
_PRODUCT_CUES = ("brands", "supermarket", "bought", "commercial", "packaged", "ready", "contain", "most ")
# A bare word naming a kind of food may refer to the listed food of that kind: "the meat" after
# "pork belly" (halal), "the rest of the cheese" after Gruyère (vegetarian).
_HYPERNYM_TAGS = {
    "meat": frozenset(["meat", "pork", "poultry"]),
    "fish": frozenset(["fish"]),
    "cheese": frozenset(["animal-rennet"]),
    "gelatine": frozenset(["gelatin"]),
    "gelatin": frozenset(["gelatin"]),
    "broth": frozenset(["meat", "poultry"]),  # "ladle over the broth" after chicken stock
    "stock": frozenset(["meat", "poultry"]),
    "fat": frozenset(["meat", "pork", "poultry", "animal-fat"]),  # "until the fat runs" after bacon
    "crumbs": frozenset(["gluten-grain"]),  # "without pressing the crumbs on" after breadcrumbs
    "pasta": frozenset(["gluten-grain"]),  # "drain the pasta" after "gluten-free penne"
    "noodles": frozenset(["gluten-grain"]),
    "whites": frozenset(["egg"]),  # "whisk the whites to soft peaks" after "6 eggs, separated"
    "claws": frozenset(["shellfish"]),  # "twist off the claws" after "1 cooked lobster"
    "bird": frozenset(["poultry"]),  # "spatchcock the bird" after "1 whole chicken"
    "birds": frozenset(["poultry"]),
}
# Heads that refer only after "the": "the whites" (not "spring onion whites"), "the claws".
_THE_ONLY_HEADS = frozenset(["whites", "claws", "bird", "birds"])
# "the fat" is the fat a listed meat gave off ("fry the bacon until the fat runs"), but not in
# "full-fat milk" or "low-fat": only after a determiner.
_FAT_DETERMINER_RE = re.compile(
    r"\b(?:the|its|their|some|little|any|rendered|excess|layer[ \t]+of)[ \t]+"
    r"(?:(?:hot|melted|smoking|sizzling|remaining|reserved|spare|liquid)[ \t]+)?$"  # "into the hot fat"
)
# "its fat", "their own fat": the fat of the food named just before it.
_POSSESSIVE_FAT_RE = re.compile(r"\b(?:its|their)[ \t]+(?:own[ \t]+)?$")
_OWN_FAT_AFTER_RE = re.compile(r"[ \t]*(?:$|[^\w \t]|(?:and|in|into|from|for|to|until|with|or|on|over|melts|runs|renders)\b)")
# "stand the chops on their fat edge", "the fat side down": the side of a cut, named by its fat
_FAT_SIDE_RE = re.compile(r"[ \t]+(?:edge|edges|side|sides|end|ends|cap|caps|rim)\b")
# "sorghum flour", "chickpea (gram) flour", "jowar (sorghum) flour": flour named after what it is ground from.
_FLOUR_SOURCE_GAP_RE = re.compile(r"[ \t\-]*(?:\([^()\n]{1,40}\)|\))?[ \t\-]*")
# "kingfish steaks", "cauliflower steaks", "steaks of rohu", "steaks from the centre of the cauliflower":
# a steak is a thick slice of whatever it is cut from; only a bare "steak" means beef.
_STEAK_SOURCE_RE = re.compile(r"[ \t]+(?:of|from)\b[^.;:\n]{0,30}?$")
_MEAT_TAGS = frozenset(["meat", "pork", "poultry"])
# "Blitz the oats to a fine flour", "roll into a sausage": the shape or texture a food is made into.
_RESULT_HEADS = frozenset(
    ["flour", "powder", "paste", "crumb", "crumbs", "breadcrumbs", "meal", "butter", "cream", "sausage"]
    + ["snail"]  # "fold into a long strip and coil it into a snail"
)
# Adjacent mentions on one line form one phrase: "pork shoulder steaks", "sheep's milk feta".
_COMPOUND_GAP_RE = re.compile(r"[ \t\-]+")
_POSSESSIVE_GAP_RE = re.compile(r"(?:'s|s'|\u2019s|s\u2019)[ \t]+")
_GAP_CHARS = " \t-'s\u2019"  # what the first two characters of either gap above are made of


def _may_join(ftext: str, end: int, start: int) -> bool:
    """Whether the gap between two mentions may be one of the gaps above: its first two characters say, before any regex
    (most pairs of mentions are words apart: "the chicken and beef")."""
    return ftext[end] in _GAP_CHARS and (start - end == 1 or ftext[end + 1] in _GAP_CHARS)


_PHRASE_LEADS = frozenset(["off", "on", "with"])  # a form that opens with these is no modifier's head


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
        # the longer continuation first, then the empty branch: a trailing boundary check makes the engine back off to
        # this shorter form when needed ("|)" rather than ")?": re's BRANCH is cheaper than a repeat, 4% of a scan)
        return f"(?:{body}{_WORD_AFTER}|)"
    return body


@dataclass(frozen=True, slots=True)
class Matcher:
    pattern: str
    ascii_regex: re.Pattern[str]  # the same pattern in ASCII mode: for ASCII text (most text) it matches the same
    surface: Mapping[str, str]
    ingredients: Mapping[str, Ingredient]
    qualifiers: Mapping[tuple[str, ...], frozenset[str]]
    by_form: Mapping[str, Ingredient]  # surface form -> its ingredient: one lookup per mention


def _build(surface: Mapping[str, str], ingredients: Mapping[str, Ingredient]) -> Matcher:
    # The mention is group 1 after one boundary character (the scan pads the text with a space): a pattern that opens
    # with a character class lets re skip every letter in C, where an opening lookbehind ran the trie at each position.
    pattern = _BOUNDARY + "(" + _trie_pattern(sorted(surface)) + ")" + _WORD_AFTER
    qualifiers = {tuple(k.split()): v for k, v in load().qualifiers.items()}
    return Matcher(
        pattern=pattern,
        ascii_regex=re.compile(pattern, re.ASCII),
        surface=surface,
        ingredients=ingredients,
        qualifiers=qualifiers,
        by_form={form: ingredients[name] for form, name in surface.items()},
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


class _QualifierMap(dict[tuple[str, ...], frozenset[str]]):
    """Qualifier phrase -> the tags it clears, plus every word of every phrase: a mention with none of these
    words before it (most mentions) skips the phrase lookups."""

    def __init__(self, phrases: Mapping[tuple[str, ...], frozenset[str]]) -> None:
        super().__init__(phrases)
        self.words = frozenset(w for phrase in self for w in phrase)


@functools.cache
def _qualifiers_for(diet: str) -> _QualifierMap:
    """The qualifiers that clear tags when judging ``diet``: everyone's plus the diet's own ("halal")."""
    scoped = {tuple(k.split()): v for k, v in load().diets[diet].qualifiers.items()}
    return _QualifierMap({**matcher().qualifiers, **scoped})


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
# "%" joins too: "100% cocoa chocolate" is qualified by "100 cocoa"; so do double quotes: vegetarian "chorizo" sausages.
_PHRASE_BEFORE_REV_RE = re.compile(r"(?:[ \t\-'%\"\u201c\u201d]+[^\W_]+){1,6}")


class _Context:
    """Per-text cache of the words before each mention (nearest first)."""

    def __init__(self, folded: str) -> None:
        self.text = folded
        self._rev = folded[::-1]
        self._cache: dict[int, list[str]] = {}
        self._excludes: bool | None = None
        self.has_product_words = any(w in folded for w in _PRODUCT_CUES)  # "some brands ...": substring tests, no scan
        self.has_brackets = "(" in folded
        self.has_double_quotes = any(q in folded for q in _DOUBLE_QUOTES)  # most texts: no line scan per mention
        # cues of the rarer rules, one substring test per text instead of one per mention
        self.has_leave = "leave" in folded
        self.has_all_the = "all the" in folded
        self.has_classic = any(w in folded for w in _CLASSIC_WORDS)  # "Pine nuts are traditional, but ..."
        self.has_allergy = "allerg" in folded or "intoleran" in folded
        self._other_kind: bool | None = None
        self.claim = " is " in folded and _CLAIM_CUE_RE.search(folded) is not None  # "This one is vegetarian."
        self.blends = False  # a listed forbidden food is followed by "and": "pork and leek sausages" may be one food

    def has_exclusion(self) -> bool:
        """Whether the text says anywhere that it leaves something out ("we leave them out"): one scan per text."""
        if self._excludes is None:
            text = self.text
            self._excludes = (
                bool((";" in text or ", but" in text) and _SELF_CONTRAST_CUE_RE.search(text))
                or any(cue.search(text) is not None for cue in _EXCLUSION_CUE_RES)
                or ", mine" in text  # "some families use bulgur, mine always uses rice"
                or ". mine " in text  # "... braised in red wine. Mine uses pomegranate juice instead of the wine"
                or _SO_SKIP_CUE_RE.search(text) is not None  # "(..., so skip it here)": a literal first, one C scan
                or ", ours" in text
                or (" is all " in text and _NEXT_SENTENCE_ALL_CUE_RE.search(text) is not None)
            )
        return self._excludes

    def has_other_kind(self) -> bool:
        """Whether "the usual kind has" may be said: substring tests, once per text and only when asked."""
        if self._other_kind is None:
            text = self.text
            self._other_kind = "kind" in text or " one" in text or "version" in text or "sort" in text or "type" in text
        return self._other_kind

    def words_before(self, start: int) -> list[str]:
        words = self._cache.get(start)
        if words is None:
            hit = _PHRASE_BEFORE_REV_RE.match(self._rev, len(self.text) - start)
            words = TOKEN_RE.findall(self.text, len(self.text) - hit.end(), start) if hit else []
            words.reverse()  # nearest first
            self._cache[start] = words
        return words


_OUT_OF_LEADS = frozenset(["run", "ran", "re", "are", "running", "is"])  # "if you've run out of pine nuts"


# Words after which "no" is English: "with no", "there's no", "contains no", "little or no".
_NO_LEADS = frozenset(
    ["with", "and", "or", "but", "so", "is", "are", "was", "were", "be", "s", "has", "have", "had", "need", "needs"]
    + ["contains", "containing", "contain", "use", "uses", "add", "adds", "requires", "require", "includes", "want"]
    + ["absolutely", "almost", "virtually", "practically", "zero", "yes", "there", "means", "say", "says", "said"]
    + ["of", "for", "at", "in", "on", "to", "by", "from", "made", "cooked", "baked", "served", "it", "them", "just"]
)


def _is_particle_no(words: list[str]) -> bool:
    """ "Saba no Misoni (Mackerel Simmered in Miso)": a name before "no" makes it the Japanese particle between two names
    (only where an English gloss in brackets follows); the leads above make it a negation."""
    if words[:1] != ["no"] or len(words) < 2:
        return False
    word = words[1]
    return word not in _NO_LEADS and not word.endswith("ly") and not word.isdigit() and len(word) > 1


# Measures that may sit between a negation and the food, with "of": "instead of a splash of brandy".
_MEASURES = frozenset(
    ["splash", "splashes", "glug", "glugs", "dash", "dashes", "drop", "drops", "knob", "knobs", "pinch", "pinches"]
    + ["dollop", "dollops", "spoonful", "spoonfuls", "tablespoon", "tablespoons", "teaspoon", "teaspoons", "tbsp", "tsp"]
    + ["handful", "handfuls", "sprinkle", "sprinkling", "drizzle", "slice", "slices", "rasher", "rashers", "shot"]
    + ["slug", "glass", "cup", "scattering", "grating", "squeeze", "sliver", "slivers", "bit", "bits", "piece", "pieces"]
)
# A bottle is a measure only for a substitution: "instead of a bottle of wine" (not "you don't need a bottle of wine")
_SWAP_MEASURES = frozenset(["bottle", "bottles"])
_MEASURE_SIZES = frozenset(["few", "couple", "little", "good", "generous", "big", "small", "large", "healthy", "quick"])


def _is_negated(words: list[str]) -> bool:
    if _NEGATION_WORDS.isdisjoint(words):
        return False
    if len(words) > 1 and words[0] == "of" and words[1] == "out" and (len(words) == 2 or words[2] in _OUT_OF_LEADS):
        return True  # "Out of pine nuts? Walnuts work": a clause that opens with "out of" names what is missing
    i = 0
    if words and words[0] == "of" and len(words) > 2 and words[1] in _MEASURES:
        # "rather than the usual splash of brandy", "without a few slices of pancetta": a measure of the food
        i = 3 if words[2] in _MEASURE_SIZES else 2
    elif words and words[0] == "of" and len(words) > 2 and words[1] in _SWAP_MEASURES:
        at = 3 if words[2] in _DETERMINERS else 2
        if words[at : at + 2] == ["of", "instead"] or words[at : at + 2] == ["than", "rather"]:
            return True
    lead = i
    while i < len(words) and i < lead + 3 and words[i] in _NEG_FILLER:
        i += 1
    if i < len(words) and words[i] in _NEG_SINGLE:
        # "don't skip the fish sauce", "never omit the anchovies": two negations keep the food
        return not (
            words[i] in _OMIT_VERBS and (words[i + 1 : i + 3] == ["t", "don"] or words[i + 1 : i + 2] in (["never"], ["not"]))
        )
    if i >= len(words) or words[i] not in _NEG_MULTI_LAST:
        return False  # most mentions: no phrase ends right before it
    for size in (2, 3, 4):
        seq = tuple(reversed(words[i : i + size]))
        if len(seq) == size and seq in _NEG_MULTI:
            return True
    return False


# A negation before the omitting word keeps the food: "don't leave out", "never make it without", "isn't ... without"
_DOUBLE_NEGATIVE_RE = re.compile(
    r"(?:\b(?:don|doesn|didn|isn|aren|wasn|can|won|wouldn|shouldn|couldn|mustn)[\u2019']?t|\bnever|\bnot)\b"
    r"[^.!?;:\n,]{0,40}?\b(?:without|leave[ \t]+out|leave[ \t]+off|leaving[ \t]+out|skip|skipping|omit|omitting|forget)\b"
    r"[^.!?;:\n,]*$"
)
_NEGATION_LEADS = ("'t", "\u2019t", "never", "not")


def _is_double_negative(text: str, start: int) -> bool:
    near = text[max(0, start - 90) : start]
    if not any(lead in near for lead in _NEGATION_LEADS):  # a literal scan first: most negations have none before
        return False
    return _DOUBLE_NEGATIVE_RE.search(text, max(0, start - 90), start) is not None


def _glosses_negated_name(ctx: _Context, start: int) -> bool:
    """ "do not add the myeolchi (dried anchovies)": a bracketed gloss right after a negated name is negated with it."""
    text = ctx.text
    opened = text.rfind("(", max(0, start - _GLOSS_LEAD_MAX), start)
    if opened < 1 or text[opened - 1] not in " \t" or ")" in text[opened:start] or "\n" in text[opened:start]:
        return False
    name = ctx.words_before(opened)  # the glossed name, then the words before it
    return len(name) > 1 and _is_negated(name[1:]) and not _is_particle_no(name[1:])


_GLOSS_LEAD_MAX = 25  # a gloss's food comes within a few words of its bracket: "(dried anchovies)"


def _qualifier_clears(qualifiers: _QualifierMap, words: list[str]) -> frozenset[str]:
    """Tags cleared by a qualifier right before the mention (one skippable word allowed)."""
    cleared: frozenset[str] = frozenset()
    if qualifiers.words.isdisjoint(words):
        return cleared
    for skip in (0, 1, 2, 3):  # "vegan SHREDDED cheese", "vegan MOZZARELLA STYLE cheese"
        if skip and (len(words) < skip or words[skip - 1] in _NOT_SKIPPABLE):
            break
        rest = words[skip:]
        for size in (1, 2, 3):
            seq = tuple(reversed(rest[:size]))
            if len(seq) == size and seq in qualifiers:
                cleared |= qualifiers[seq]
    return cleared


# Tools whose name is also a cooking verb, and what follows the verb: "merguez grill beautifully", "halloumi grills well"
_TOOL_VERBS = frozenset(["grill", "press"])
_PAN_SAUCE_RE = re.compile(r"[ \t]+(?:sauce|sauces|juices|gravy)\b")
_HOW_IT_COOKS_RE = re.compile(r"[ \t]+(?:just|well|beautifully|nicely|perfectly|brilliantly|evenly|quickly|better)\b")


def _is_equipment(folded: str, end: int, start: int = -1) -> bool:
    """'meat pounder', 'ice cream maker', 'milk pan': the ingredient names the tool's purpose."""
    nxt = _NEXT_WORD_RE.match(folded, end)
    if nxt is None:  # "a beer-can chicken stand": the stand for a dish named after the can
        tool = _CAN_TOOL_RE.match(folded, end) if folded[end : end + 1] == "-" else None
        return tool is not None and tool.group(1) in _EQUIPMENT
    word = nxt.group(1)
    if word in _EQUIPMENT:
        if word == "pan" and _PAN_SAUCE_RE.match(folded, nxt.end()):
            return False  # "a brandy and cream pan sauce": a sauce made in the pan, of the food
        if word in _TOOL_VERBS and _HOW_IT_COOKS_RE.match(folded, nxt.end()):
            return False  # "slices of merguez grill just as well": the verb, with how it cooks
        return folded[nxt.end() : nxt.end() + 1] != "-"  # "chicken pan-fried in butter": a hyphen makes a verb
    if word in _PAIRED_TOOLS:
        return start >= 0 and word in _EQUIPMENT_PAIRS.get(folded[start:end], ())
    # "fish bone tweezers": one word of its name between (not "salmon roe using tweezers", "marzipan into moulds")
    return word not in _FAR_TOOL_GAP_STOPS and _FAR_TOOL_RE.match(folded, nxt.end()) is not None


def _is_verb(folded: str, start: int, end: int, words: list[str]) -> bool:
    """ "Butter the pan", "lightly flour a board", "fish out the bay leaves": a verb, not a food."""
    if folded[start:end] not in _VERBABLE:
        return False
    if _in_verb_chain(folded, start, end):
        return True
    nxt = _next_word(folded, end)
    if nxt in _ROUGHLY and folded[start:end] == "cream" and _ROUGHLY_PART_RE.match(folded, end):
        # "Cream about half of it with a stick blender": the part it blends (not "Butter roughly two thirds of the filo
        # sheets", which spreads butter on them, a review's probe found)
        nxt = "half"
    if nxt == "and":  # "butter and flour a tin"
        after = _NEXT_WORD_RE.match(folded, end)
        assert after is not None
        second = _NEXT_WORD_RE.match(folded, after.end())
        if not (second and second.group(1) in _VERBABLE):
            return False
        nxt = _next_word(folded, second.end())
    if folded[start:end] == "sprinkle" and nxt in ("in", "over", "on") and _CLAUSE_START_RE.search(folded, 0, start):
        return True  # "2. Sprinkle in the flour and stir"
    if folded[start:end] == "chuck":  # "2. Chuck in the onion" (not a title's "Chuck in a Red Wine Braise", a list line)
        line_start = folded.rfind("\n", 0, start) + 1
        return _STEP_NUMBER_RE.fullmatch(folded, line_start, start) is not None and _CHUCK_VERB_RE.match(folded, end) is not None
    if folded[start:end] == "fish" and folded[max(0, start - 2) : start] == ", " and _FISH_OUT_RE.match(folded, end):
        return True  # "Take off the heat, fish out the vanilla pod" (not "fish up top", "the fish, out of the pan")
    if nxt not in _VERB_OBJECT and not (nxt and nxt.isdigit()):  # "butter 2 ramekins"
        return False
    narrow = _NARROW_VERBS.get(folded[start:end])
    if narrow is not None and (nxt not in narrow or (folded[start:end] == "goose" and not _UP_AFTER_RE.match(folded, end))):
        return False
    if words and words[0] == "and" and (nxt in _PHRASAL_PARTICLES or _next_word(folded, end) in ("it", "them")):
        return True
    if words and words[0] == "and" and folded[start:end] == "cream" and _CREAM_HALF_RE.match(folded, end):
        return True  # "pour in the oat milk and cream half of the soup with a stick blender"
    if nxt == "up" and folded[end - 1] == "s":
        return True  # "the smoked paprika beefs up the flavour": a verb with its subject, no noun reads "beefs up"
    if nxt == "up" and folded[start:end] == "beef" and _beef_up_verb(folded, end, words):
        return True  # "harissa and paprika beef up the flavour", not "brown the beef up to a day ahead"
    if words and words[0] == "and" and nxt in _AND_VERB_OBJECT and _next_word(folded, end) == nxt and _takes_object(folded, end):
        return True  # "... all over the leg and lard the lamb with garlic slivers"
    if nxt in ("it", "them") and folded[max(0, start - 2) : start] == ", ":
        return True  # "Flour each slice, egg it in the beaten eggs": a verb between commas of a breading sequence
    if _CLAUSE_START_RE.search(folded, 0, start) or (words and words[0] in _VERB_LEAD):
        return True
    if nxt in _TOOL_VERB_OBJECTS and _AFTER_TOOL_RE.search(folded, max(0, start - 80), start):
        return True
    return _AFTER_CONDITION_RE.search(folded, max(0, start - 100), start) is not None


# "Chuck" the verb opens a numbered step and throws food in: "3. Chuck in the peppers", "2. Chuck it all in"
_STEP_NUMBER_RE = re.compile(r"[ \t]*\d+[.)][ \t]*")
# ... before what it throws in, not a vessel or a dish the cut goes into ("Chuck in the roasting tin, fat side up")
_VESSELS = (
    r"slow|single|dutch|pot|pan|oven|braise|stew|casserole|piece|whole|red|big|large|roasting|tin|tray|dish|skillet|wok"
    r"|crock|instant|ragu|chilli|chili|marinade|fridge|freezer|bag|sauce|liquid|stock|water"
)
_CHUCK_VERB_RE = re.compile(
    r"[ \t]+(?:in(?:to)?[ \t]+(?:the|a|an|some|your)[ \t]+(?!(?:" + _VESSELS + r")\b)|it\b|them\b|everything\b)"
)
# "fish out the bay leaves", not "fish out the freezer" (the fish, out of the freezer)
_FISH_OUT_RE = re.compile(
    r"[ \t]+out[ \t]+(?:the|a|an|any|all|it|them|your|each|every|both|these|those)\b(?![ \t]+(?:" + _VESSELS + r")\b)"
)


_NEXT_TWO_RE = re.compile(r"[ \t]+[^\W_]+[ \t]+([^\W_]+)")
# "beef up" is a verb before what it strengthens and after its subject, not after "the" or "minced"
_BEEF_UP_OBJECT_RE = re.compile(
    r"[ \t]+up[ \t]+(?:(?:the|a|your|its|their|any|this|that)[ \t]+)?(?:[^\W_]+[ \t]+)?"
    r"(?:flavou?rs?|taste|sauce|stock|broth|soup|stew|gravy|dish|filling|curry|chill?i|body|depth|richness|umami)\b"
)
_WEIGHTS = frozenset(["lbs", "kgs", "grams", "gms", "pounds", "ounces", "kilos"])
_BEEF_NOUN_LEADS = _DETERMINERS | frozenset(["your", "my", "our", "of", "with", "ground", "minced", "diced", "lean"])
_NOT_BEEF_SUBJECTS = _BEEF_NOUN_LEADS | _MEASURES | _WEIGHTS


def _beef_up_verb(folded: str, end: int, words: list[str]) -> bool:
    lead = words[0] if words else ""
    # "Season, beef up the flavour with lime": an instruction in a series, after a comma, has no subject
    series = not lead and folded[end - len("beef") - 2 : end - len("beef")] == ", "
    subject = series or (lead.isalpha() and len(lead) > 2 and lead not in _NOT_BEEF_SUBJECTS)
    participle = lead.endswith(("ed", "ing"))  # "the braising beef up a little", "the shredded beef up the middle"
    return subject and not participle and _BEEF_UP_OBJECT_RE.match(folded, end) is not None


_ROUGHLY = frozenset(["about", "roughly", "around", "approximately"])
_ROUGHLY_PART_RE = re.compile(
    r"[ \t]+[^\W_]+[ \t]+(?:half|a[ \t]+third|a[ \t]+quarter|two[ \t]+thirds|three[ \t]+quarters)[ \t]+of\b"
)
# "and cream half of the soup": blending part of a dish smooth, not "the milk and cream half of the time"
_CREAM_HALF_RE = re.compile(r"[ \t]+half[ \t]+(?:of[ \t]+)?the[ \t]+(?:soup|sauce|mixture|batch|stew|chowder|beans)\b")
# What a verb after "and" may take as its object: a food or part ("lard the lamb", "and lard the joint") or a vessel
# ("and butter each ramekin"); not a time or manner ("whisk the flour and milk the night before", "sear the mushrooms
# and beef the same way", "season the tofu and fish both sides"), where the word is the food joined by "and"
_VERB_VESSELS = frozenset(
    ["tin", "tins", "pan", "pans", "dish", "dishes", "ramekin", "ramekins", "mould", "moulds", "mold", "molds", "tray"]
    + ["trays", "pot", "pots", "cup", "cups", "bowl", "bowls", "slice", "slices", "loaf", "sheet", "sheets", "roast"]
)


def _takes_object(folded: str, end: int) -> bool:
    m = _NEXT_TWO_RE.match(folded, end)
    if m is None:
        return False
    obj = m.group(1)
    return obj in _VERB_VESSELS or obj in detection().by_form or obj.removesuffix("s") in detection().by_form


# "If you want more kick, beef the flavour up", "When hot, butter the pan": the main clause after a condition starts
# with the verb.
_AFTER_CONDITION_RE = re.compile(r"(?:^|[.!?;:\n])[ \t]*(?:if|when|once)\b[^.!?;:\n,]{0,80},[ \t]*$")
# "Using a larding needle, lard the beef": after a clause naming the tool, a verb with a plain object
_AFTER_TOOL_RE = re.compile(r"(?:^|[.!?;:\n])[ \t]*using[ \t]+(?:a|an|the|your)\b[^.!?;:\n,]{0,60},[ \t]*$")
_TOOL_VERB_OBJECTS = frozenset(["the", "each", "your", "both", "every", "it", "them"])
_VERB_SEP = r"(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)"
_VERB_WORD = "(?:" + "|".join(sorted(_VERBABLE)) + ")"
# "flour, egg and bread each escalope", "flour, egg and crumb the chicken": the breading sequence is three verbs
_VERB_CHAIN_RE = re.compile(rf"\b{_VERB_WORD}(?:{_VERB_SEP}{_VERB_WORD})+[ \t]+(?:the|each|every|both|them|it|all|your)\b")


def _in_verb_chain(folded: str, start: int, end: int) -> bool:
    """A verbable word inside a list of verbable words that takes an object, at a clause's start or after "then"."""
    if "," not in folded[max(0, start - 30) : end + 30]:
        return False
    for m in _VERB_CHAIN_RE.finditer(folded, max(0, start - 40), min(len(folded), end + 40)):
        if m.start() <= start and end <= m.end():
            before = folded[max(0, m.start() - 12) : m.start()].split()
            return bool(_CLAUSE_START_RE.search(folded, 0, m.start())) or bool(before and before[-1] in _VERB_LEAD)
    return False


def _is_source_animal(folded: str, i: int, found: list[tuple[int, int, Ingredient]]) -> bool:
    """ "goat's milk", "chicken egg white", "duck eggs": the animal names where the product comes from;
    "sheep's and goat's milk", "cow's or buffalo milk": so does each animal of a list before the product."""
    ing, end = found[i][2], found[i][1]
    while not _ANIMALS.isdisjoint(ing.tags) and i + 1 < len(found):
        nxt = found[i + 1]
        if not _ANIMAL_PRODUCTS.isdisjoint(nxt[2].tags):
            return _SOURCE_GAP_RE.fullmatch(folded, end, nxt[0]) is not None
        if _SOURCE_LIST_GAP_RE.fullmatch(folded, end, nxt[0]) is None:
            return False
        i, ing, end = i + 1, nxt[2], nxt[1]
    return False


_Found = list[tuple[int, int, Ingredient]]
# "press it out on rice-floured baking paper": floured with a flour of no gluten grain (not "a plain- or rice-floured
# surface": either)
_GF_FLOURED_RE = re.compile(
    r"(?<![\w-])(?<!or )(?<!and )(?<!nor )(?:rice|corn|maize|gram|chickpea|buckwheat|potato|tapioca|sorghum)-$"
)


def _floured_with_no_gluten(ftext: str, start: int) -> bool:
    return _GF_FLOURED_RE.search(ftext, max(0, start - 16), start) is not None


# What a dusting of flour goes on: "a floured surface", "floured hands"
_DUSTED = frozenset(["surface", "surfaces", "worktop", "hands", "fingers", "tray", "trays", "board", "counter"])


def _is_dusting(ftext: str, s: int, e: int, found: _Found, lines: _Lines) -> bool:
    """ "a floured surface", "floured hands": a dusting of the flour an ingredient line names; with none listed, the
    dusting is flour of its own."""
    on_tool = _is_equipment(ftext, e, s) or _next_word(ftext, e) in _DUSTED
    return on_tool and any(ftext[f[0] : f[1]].endswith("flour") and lines.listed(f[0]) for f in found)


_IN_STEAKS_BEFORE_RE = re.compile(r"[,;][ \t]*(?:cut[ \t]+)?(?:in|into)[ \t]+$")


def _fish_earlier_on_line(ftext: str, i: int, found: _Found) -> bool:
    """The food a listed line cuts "in steaks" is its fish: the line's foods are all fish, and the last of them ends
    the words before ", in steaks" (not "2 mackerel, 600 g tri-tip, in steaks", an unknown cut between)."""
    line_start = ftext.rfind("\n", 0, found[i][0]) + 1
    earlier = [f for f in found[:i] if f[0] >= line_start]
    if not earlier or any(_SEAFOOD_TAGS.isdisjoint(f[2].tags) for f in earlier):
        return False
    gap = ftext[earlier[-1][1] : found[i][0]]
    return _FISH_GAP_TO_STEAKS_RE.fullmatch(gap) is not None


# ") , in ", ", cut into ": only a gloss's closing bracket between the fish and its cut
_FISH_GAP_TO_STEAKS_RE = re.compile(r"\)?[ \t]*[,;][ \t]*(?:cut[ \t]+)?(?:in|into)[ \t]+")


# "Cut the tuna loin into four thick steaks": the food just named, cut into steaks (sizes and counts between)
_INTO_STEAKS_GAP_RE = re.compile(
    r"(?:[ \t]+(?:loin|loins|fillet|fillets|side|sides|block|piece))?[ \t]+into"
    r"(?:[ \t]+(?:\d+|two|three|four|five|six|eight|thick|thin|large|small|equal|even|neat|cm|inch|inches))*[ \t]+"
)


def _cut_into_steaks(ftext: str, i: int, found: _Found, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """ "Cut the tuna loin into four thick steaks": steaks of the allowed food just named, which a later "the steaks"
    means (not "Add the prawns in with the steaks", "Cut the beef into steaks")."""
    if not i or not _INTO_STEAKS_GAP_RE.fullmatch(ftext, found[i - 1][1], found[i][0]):
        return False
    source = found[i - 1][2]
    if source is PART and i > 1 and _COMPOUND_GAP_RE.fullmatch(ftext, found[i - 2][1], found[i - 1][0]):
        source = found[i - 2][2]  # "the tuna loin into steaks": the part's food
    return _allowed_source(source, offences)


def _allowed_source(source: Ingredient, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """What a steak is cut from: an allowed food that is no meat and no bare part."""
    return source.name not in offences and source is not PART and not _MEAT_TAGS & set(source.tags)


_PLANT_CATEGORIES = frozenset(["vegetable", "legume", "seed", "fruit", "mushroom"])


def _plant_named_before(ftext: str, i: int, found: _Found, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """The food right before it is an allowed plant: "tomato gravy", "sesame gravy" (not "beef gravy", "the meat gravy")."""
    _, pe, prev = found[i - 1]
    plant = prev.name not in offences and prev.category in _PLANT_CATEGORIES  # not "red wine gravy", "cream gravy"
    return plant and _COMPOUND_GAP_RE.fullmatch(ftext, pe, found[i][0]) is not None


# "steak-cut chips", "steak fries": the shape of a potato chip
_FRIES_VERB_AFTER = (  # "the steak fries fast": the verb
    "quickly|fast|in|for|until|till|well|best|better|on|at|a|an|the|nicely|evenly|up|over|under|around|about|hot|beautifully"
)
_STEAK_SHAPE_RE = re.compile(
    r"-cut\b|(?:-|[ \t]+)(?:fries|chips)\b(?![ \t]+(?:" + _FRIES_VERB_AFTER + r")\b)"
)  # not "the steak fries fast"
_GLOSS_BEFORE_RE = re.compile(r"[ \t]*\([^()\n]{1,40}\)[ \t]+$")


def _is_source_flour(ftext: str, i: int, found: _Found, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """ "sorghum flour", "chickpea (gram) flour": ground from an allowed food, not wheat."""
    if not i:
        return False
    ps, pe, prev = found[i - 1]
    return prev.name not in offences and _FLOUR_SOURCE_GAP_RE.fullmatch(ftext, pe, found[i][0]) is not None


# Flatbreads made of one allowed flour: "chickpea flatbread" (socca), "jowar roti", "gram flour flatbread". Leavened
# breads ("corn bread", "potato bread") mix in wheat and are left out.
_FLATBREADS = frozenset(["flatbread", "roti"])
_BREAD_SOURCES = frozenset(
    ["chickpea", "chickpeas", "gram", "besan", "rice", "millet", "jowar", "bajra", "ragi", "teff", "cassava", "sorghum"]
    + ["lentil", "lentils", "makki", "maize", "akki", "nachni", "corn"]
)


def _is_source_bread(words: list[str]) -> bool:
    """The words before it (nearest first) name its one allowed flour: "chickpea (gram) flour flatbread", "makki di roti"."""
    if words[:1] in (["di"], ["ki"], ["ka"]):
        words = words[1:]
    if words[:1] == ["flour"]:
        words = words[1:]
    return bool(words) and words[0] in _BREAD_SOURCES


def _is_cut_from(ftext: str, i: int, found: _Found, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """ "kingfish steaks", "steaks of rohu", "steaks from the cauliflower": a slice of an allowed, non-meat food;
    "4 hilsa (ilish) steaks", "kingfish (surmai) steaks": the food before a bracketed gloss."""
    s, e, _ = found[i]
    glossed = _GLOSS_BEFORE_RE.search(ftext, max(0, s - 48), s) if i and ftext[s - 2 : s - 1] == ")" else None
    if i and _IN_STEAKS_BEFORE_RE.search(ftext, max(0, s - 12), s):  # "600 g white fish (seer or kingfish), in steaks"
        return _fish_earlier_on_line(ftext, i, found)
    if glossed is not None:  # only a fish's gloss: not "fry the onions (until soft) steaks go in next"
        source = next((f[2] for f in reversed(found[:i]) if f[1] == glossed.start()), None)
        if source is None or _SEAFOOD_TAGS.isdisjoint(source.tags):
            return False
    elif i and _COMPOUND_GAP_RE.fullmatch(ftext, found[i - 1][1], s):
        source = found[i - 1][2]
    elif i + 1 < len(found) and _STEAK_SOURCE_RE.match(ftext[e : found[i + 1][0]]):
        source = found[i + 1][2]
    else:
        return False
    return _allowed_source(source, offences)


# "400 ml tin coconut milk, the thick cream at the top spooned off", "Spoon the thick cream from the top of one tin":
# the solid part of a tin of coconut milk (not "1 pint whole milk, the cream on top skimmed off", nor "scatter with
# toasted coconut and add a dollop of cream on the top", a review's probe)
_COCONUT_TIN_RE = re.compile(r"\bcoconut[ \t]+(?:milk|cream)\b")
_CREAM_ON_TOP_RE = re.compile(
    r"[ \t]+(?:at|from|off)[ \t]+(?:the[ \t]+)?top\b"
    r"(?:[ \t]+of[ \t]+((?:[^\W_]+[ \t]+){1,3}?(?:tins?|cans?|cartons?|milk)\b))?"
)


def _is_coconut_top(ftext: str, start: int, end: int) -> bool:
    top = _CREAM_ON_TOP_RE.match(ftext, end)
    if top is None or "coconut" not in ftext:
        return False
    if top.group(1):  # "of one tin", "of the remaining coconut milk"
        return "coconut" in top.group(1) or ("milk" not in top.group(1) and _COCONUT_TIN_RE.search(ftext) is not None)
    return _COCONUT_TIN_RE.search(ftext, ftext.rfind("\n", 0, start) + 1, start) is not None  # the tin named on its line


_FROM_SHELLS_RE = re.compile(r"[ \t]+(?:from|out[ \t]+of)[ \t]+(?:the|their|its)[ \t]+(?:shells?|claws?)\b")


def _is_seafood_flesh(ftext: str, i: int, found: _Found, words: list[str], step: bool) -> bool:
    """ "1 dressed crab (about 200 g brown and white meat)", "1 lobster, claw meat picked": the meat of the seafood
    named before it on its line; in a step, "steam the clams open, then pick out the meat"; "2 young coconuts (buko),
    meat scraped into strips": the flesh of a coconut."""
    if _FROM_SHELLS_RE.match(ftext, found[i][1]) and any(not _SEAFOOD_TAGS.isdisjoint(f[2].tags) for f in found[:i]):
        return True  # "Steam the clams open ... Pick the meat from the shells": the flesh of the shellfish cooked before
    for j in range(i - 1, max(-1, i - 4), -1):  # "crab (brown and WHITE meat)": a word between may be a food form
        prev = found[j][2]
        gap = ftext[found[j][1] : found[i][0]]
        if "\n" in gap or _MEAT_TAGS.intersection(prev.tags) or (";" in gap and _named_after(found, j, i, gap.rfind(";"))):
            # "...; shred the hock and pick out the meat": another mention in a later clause (not "steam the clams open in
            # water; pick out the meat", where the water is in the clams' clause)
            return False
        if gap[-2:] == ", " and "coconut" in ftext[found[j][0] : found[j][1]] and "and" not in gap:
            after = _NEXT_WORD_RE.match(ftext, found[i][1])  # "meat scraped into strips", "meat grated"
            return after is not None and after.group(1).endswith("ed")
        if _SEAFOOD_TAGS.intersection(prev.tags):
            if j == i - 1 and _COMPOUND_GAP_RE.fullmatch(gap):
                return True  # "200 g lobster meat", "the clam meat": the seafood's flesh, named together
            if step and words[:2] == ["the", "out"] and words[2:3] and words[2] in _EXTRACT_VERBS:
                # "Steam the clams open in 200 ml water, then pick out the meat": in the same sentence
                # "...; pick out the meat": a semicolon joins the step's clauses, a full stop ends the sentence
                return not any(c in gap for c in ".:!?") and _OTHER_FOOD_GAP.isdisjoint(TOKEN_RE.findall(gap))
            opened = gap.rfind("(")
            in_bracket = opened > gap.rfind(")")
            # "1 tin tuna (or leftover meat)", "200 g prawns and some leg meat": another food, not the seafood's flesh
            outside = gap[:opened] if in_bracket else gap
            gap_words = TOKEN_RE.findall(gap)
            if (
                not _OTHER_FOOD_GAP.isdisjoint(gap_words)
                or any(c.isdigit() for c in outside)
                or ("and" in gap_words and not in_bracket)  # "(brown and white meat)" is its flesh
            ):
                return False
            return in_bracket or bool(words and words[0] in _FLESH_WORDS)
    return False


def _named_after(found: _Found, j: int, i: int, offset: int) -> bool:
    """Whether a mention between found[j] and found[i] comes after ``offset`` characters of the gap between them."""
    cut = found[j][1] + offset
    return any(found[k][0] > cut for k in range(j + 1, i))


_OTHER_FOOD_GAP = frozenset(["or", "nor", "plus", "leftover", "leftovers", "other", "extra", "any", "some", "also"])


_FLESH_WORDS = frozenset(["white", "brown", "claw", "body", "leg", "tail", "picked"])
_EXTRACT_VERBS = frozenset(["pick", "picking", "lift", "lifting", "scoop", "scooping", "take", "prise", "prize", "pull", "dig"])


def _names_a_kind(ftext: str, start: int, word: str, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """ "mixed beans (kidney, black and pinto)": inside brackets after a food, a word names a kind of
    it when the two make a known food ("kidney beans")."""
    line_start = ftext.rfind("\n", 0, start) + 1
    opened = ftext.rfind("(", line_start, start)
    if opened < 0 or ftext.find(")", opened, start) >= 0:
        return False
    before = TOKEN_RE.findall(ftext[line_start:opened])
    if not before:
        return False
    name = detection().surface.get(f"{word} {before[-1]}")
    return name is not None and name not in offences


# "1 tin each kidney, black and pinto beans": each word of the list names a kind of the head noun at its end
_KIND_LIST_RE = re.compile(r",[ \t]*((?:[^\W_]+[ \t]*,[ \t]*)*[^\W_]+)[ \t]+(?:and|or)[ \t]+([^\W_]+)[ \t]+([^\W_]+)")


def _names_a_listed_kind(ftext: str, end: int, word: str, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """ "kidney, black and pinto beans": the word and every other word of the list make an allowed food with the noun
    that ends it ("kidney beans", "black beans"); "kidney, liver and pinto beans" does not."""
    m = _KIND_LIST_RE.match(ftext, end)
    if m is None:
        return False
    noun = m.group(3)
    surface = detection().surface
    kinds = [word, m.group(2), *TOKEN_RE.findall(m.group(1))]
    for kind in kinds:
        name = surface.get(f"{kind} {noun}")
        if name is None or name in offences:
            return False
    return True


_CREAM_OF_RE = re.compile(r"[ \t]+d[eiu][ \t]+")  # "Crema de Zapallo", "crema di zucca"


def _is_cream_of_dish(ftext: str, i: int, found: _Found, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """ "Crema de Zapallo (Peruvian Squash Soup)": a "cream of" dish named for its vegetable (decision 2), not cream;
    "crema de leche" names a dairy food after "de" and stays."""
    s, e, ing = found[i]
    m = _CREAM_OF_RE.match(ftext, e)
    if m is None or ftext[:s].strip():
        return False  # a dish's name opening the title: "Crema de Zapallo", not "top with crema de rancho" in a step
    if i + 1 < len(found) and found[i + 1][0] == m.end():
        after = offences.get(found[i + 1][2].name, ())
        return not set(after) & set(offences.get(ing.name, ()))
    return True


def _is_participle_before_like(words: list[str], i: int) -> bool:
    """ "just like grilled skirt": a cooking participle between "like" and the food (not "leftovers like roasted
    chicken", which gives examples)."""
    return words[i].endswith("ed") and words[i + 1 : i + 2] == ["like"] and i + 2 < len(words) and words[i + 2] in _LIKENESS_LEADS


_LIKENESS_LEADS = frozenset(["just", "exactly", "much", "rather", "more", "taste", "tastes", "look", "looks"])


# What a stand-in gives "the same" of as the food it replaces: "the same lift as buttermilk"
_LIKENESS_NOUNS = frozenset(
    ["lift", "richness", "flavour", "flavor", "texture", "creaminess", "gloss", "tang", "job", "effect", "colour", "color"]
    + ["consistency", "crunch", "depth", "body", "bite", "chew", "sweetness", "saltiness", "umami", "punch", "silkiness"]
)
# ... unless the sentence then puts both in: "the same richness as butter, but I use a mix of the two"
_BOTH_GO_IN_RE = re.compile(
    r"\b(?:both|each|the[ \t]+two|a[ \t]+mix|a[ \t]+blend|50/50|half[ \t]+and[ \t]+half|together|also|too)\b"
)


def _gives_the_same_as(ftext: str, e: int, words: list[str]) -> bool:
    """ "Soya milk and vinegar give the same lift as buttermilk": what a stand-in gives, compared (not "at the same time
    as prawns", "in the same pan as bacon", nor "the same richness as butter, but I use a mix of the two")."""
    if "same" not in words[2:5] or words[1] not in _LIKENESS_NOUNS:
        return False
    stop = min((i for i in (ftext.find(c, e) for c in ".!?\n") if i >= 0), default=len(ftext))
    return _BOTH_GO_IN_RE.search(ftext, e, stop) is None


def _is_likened(ftext: str, start: int, words: list[str]) -> bool:
    """ "whips up as stiff and glossy as egg whites", "as thick as any yolk-based mayonnaise": a likeness (not "nothing
    makes a crumb as soft and fluffy as buttermilk", "no fat makes pastry as flaky and tender as lard": praise)."""
    if words[:1] == ["based"]:
        words = words[2:]  # "as thick as any yolk-based mayonnaise": the mayonnaise too
    pair = len(words) > 4 and words[0] == "as" and words[2] == "and" and words[4] == "as" and {words[1], words[3]} <= _AS_AS_WORDS
    any_one = len(words) > 3 and words[0] in _ANY_ONE and words[1] == "as" and words[3] == "as" and words[2] in _AS_AS_WORDS
    if not (pair or any_one):
        return False
    clause = max(ftext.rfind(c, 0, start) for c in ".;:!?\n")
    return _NO_BETTER.isdisjoint(TOKEN_RE.findall(ftext, clause + 1, start))


def _is_comparison(words: list[str], head: str) -> bool:
    """ "like a meringue", "resembles breadcrumbs", "the colour of peanut butter", "blitz to a fine
    flour" (sizes: ``_SIZED``), "as thinly as Serrano ham"."""
    if len(words) > 2 and words[0] == "as" and words[2] == "as" and (words[1].endswith("ly") or words[1] in _AS_AS_WORDS):
        return True  # "as thinly as Serrano ham", not "as well as bacon", "as soon as prawns turn pink"
    if len(words) > 2 and words[0] == "would" and words[1] == "you" and words[2] == "as":
        return True  # "cream it with the sugar just as you would dairy butter" (not "as you would with butter": using it)
    if len(words) > 2 and (words[1] in _COMPARE_SECOND or words[2] == "like"):
        if words[0] == "from" and words[1] in _GET_VERBS and "same" in words[2:6]:
            return True  # "the same stickiness you'd get from honey": what another food gives, compared
        at = 1 if words[1] == "like" else 2 if words[2] == "like" else 0
        # "shred it to look like pulled chicken", "it tastes like a gamey chicken": describing words after "look like"
        if at and at + 1 < len(words) and words[at + 1] in _LOOK_VERBS and not _NOT_SKIPPABLE.intersection(words[:at]):
            return True
        if words[1:3] == ["a", "like"] and len(words) > 3 and words[3] in _LOOK_VERBS:
            return True
    i = 0
    while i < len(words) and i < 3 and (words[i] in _COMPARE_SKIP or words[i] == "s" or _is_participle_before_like(words, i)):
        i += 2 if words[i] == "s" else 1  # "like the goat's milk cajeta": a possessive is skipped with its owner
    if i >= len(words):
        return False
    if words[i] in ("to", "into") and i and words[i - 1] in ("a", "an") and head in _RESULT_HEADS:
        return True
    if words[i] in _COMPARE_WORDS:
        return True
    if i and head in _TEXTURE_HEADS and words[i] in ("in", "into") and words[0] not in _DETERMINERS:
        return True  # "cook until set in soft curds": a texture, after a size or softness word
    if words[i] == "to" and i + 1 < len(words) and words[i + 1] in _COMPARE_TO:
        return True  # "unrelated to wheat", "similar to bread"
    if words[i] == "like":
        return not (i + 1 < len(words) and words[i + 1] in _EXAMPLE_HEADS)
    if words[i] != "of" or i + 1 >= len(words):
        return False
    if words[i + 1] == "depth" or words[i + 1] in _FEEL_NOUNS:  # "all the depth of a coq au vin", not "a 2 cm depth of lard"
        return words[i + 2 : i + 4] in (["the", "all"], ["same", "the"])
    if words[i + 1] in _SMELL_WORDS and i == 0:
        return True  # "until it smells of toffee": a smell, not the food (where the text has it, it is named elsewhere)
    if words[i + 1] in _SEMBLANCE_NOUNS and words[0] in ("a", "an") and not _SEMBLANCE_GIVERS.isdisjoint(words[i + 2 : i + 7]):
        # "gives it the sulphury smell of a boiled egg", "does a fair impression of an egg": any one, not this recipe's
        # (not "the aroma of a roast chicken filling the house", "a whiff of anchovy paste")
        return True
    return words[i + 1] in _COMPARE_NOUNS or (words[i + 1] in _TASTE_NOUNS and "the" not in words[:i])


def _is_prose(folded: str, start: int, reading: _Reading) -> bool:
    """Off the list, or in a bracketed aside on it about another food: "4 beef escalopes (bifanas are usually pork;
    we use beef)". An aside about the listed food itself ("200 g ham (many cooks use 300 g ham; we use less)") is
    still that food."""
    if not reading.on_ingredient_line:
        return True
    line_start = folded.rfind("\n", 0, start) + 1
    paren = folded.rfind("(", line_start, start)
    return paren > folded.rfind(")", line_start, start) and folded[start : reading.end] not in folded[line_start:paren]


# "the French almond macarons are a different biscuit altogether": set apart from this recipe's food
_DIFFERENT_AFTER_RE = re.compile(r"(?:[ \t]+[^\W_]+)?[ \t]+(?:is|are)[ \t]+(?:an?[ \t]+)?(?:different|unrelated)\b")


_SENTENCE_STOPS_RE = re.compile(r"[.!?\n]")
_CLASSIC_WORDS = ("traditional", "classic", "usual", "customary", "authentic")
_KEEPS_BOTH_RE = re.compile(r"\b(?:either|both|each|mix|mixture|the[ \t]+classic|the[ \t]+original)\b")
# "Pine nuts are traditional, but toasted sunflower seeds make a pesto that's safe": the food the recipe moves away from
_CLASSIC_BUT_RE = re.compile(
    r"[ \t]+(?:is|are)[ \t]+(?:the[ \t]+)?(?:" + "|".join(_CLASSIC_WORDS) + ")"
    r"(?:[ \t]+(?:choice|one|option|addition|way|thing))?(?:[ \t]+here)?[ \t]*,?[ \t]+but\b"
)


def _classic_but_another(folded: str, start: int, end: int) -> bool:
    """ "Pine nuts are traditional, but toasted sunflower seeds make the pesto" (not "Bacon is classic, but it must be
    smoked", "..., but a little more bacon never hurts"): the food the recipe moves away from, to another it names."""
    but = _CLASSIC_BUT_RE.match(folded, end)
    if but is None or not _names_substitute(folded, start, end, but.end()):
        return False
    # this sentence and the next must not keep it ("a little of each", "For the classic, fry 150 g guanciale")
    stops = [m.end() for m in itertools.islice(_SENTENCE_STOPS_RE.finditer(folded, but.end()), 2)]
    after = folded[but.end() : stops[1] if len(stops) > 1 else len(folded)]
    head = _words_of(folded[start:end])[-1]
    return _KEEPS_BOTH_RE.search(after) is None and re.search(rf"\b{re.escape(head)}\b", after) is None


def _purists_shocked(ftext: str, end: int, words: list[str]) -> bool:
    """ "Valencians would be horrified to see chorizo in a paella, so there isn't any here": the purists' reaction to
    the food in dishes of the kind (not "... to see chorizo in this paella, but we love it", "..., but I add it anyway")."""
    if words[:2] != ["see", "to"] or words[2:3] == [] or words[2] not in _SHOCKED or words[3:5] != ["be", "would"]:
        return False
    place = _IN_ANY_DISH_RE.match(ftext, end)
    if place is None:
        return False
    stop = _SENTENCE_STOPS_RE.search(ftext, place.end())
    return _KEPT_ANYWAY_RE.search(ftext, place.end(), stop.start() if stop else len(ftext)) is None


_IN_ANY_DISH_RE = re.compile(r"[ \t]+in[ \t]+(?:a|an|any|their|your)[ \t]")
_KEPT_ANYWAY_RE = re.compile(r"\b(?:but|anyway|though|although)\b")


def _is_hypothetical(words: list[str]) -> bool:
    """ "the sweetness a Greek cafe would get from honey": what someone else would use, not this recipe ("you'd use",
    "I would add" are suggestions to the reader and stay)."""
    i = 1 if words and words[0] in ("from", "with", "in") else 0
    return len(words) > i + 2 and words[i + 1] == "would" and words[i] in _WOULD_VERBS and words[i + 2] not in _READER_SUBJECTS


_THAT_WHICH = frozenset(["that", "which"])
_QUALITY_NOUNS = frozenset(
    ["depth", "body", "richness", "savouriness", "umami", "flavour", "flavor", "saltiness", "sweetness", "bite", "chew"]
    + ["role", "job", "punch", "kick", "colour", "color", "texture", "heft", "oomph", "backbone", "gloss", "silkiness"]
)
_USUALLY_WOULD_RE = re.compile(r"[ \t]+(?:usually|normally|otherwise|traditionally)[ \t]+would\b")
_WOULD_VERBS = frozenset(["get", "use", "add", "put"])


_READER_SUBJECTS = frozenset(["you", "i", "we", "d", "ll", "one"])
_SHOCKED = frozenset(["horrified", "appalled", "shocked", "scandalised", "scandalized", "aghast", "outraged"])


def _is_excluded_later(folded: str, start: int, end: int) -> bool:
    """ "Some cooks add anchovies; we leave them out": named as what others do, then excluded."""
    later = _EXCLUDED_LATER_RE.match(folded, end)
    if later is not None:
        neg = _EXCLUDED_NEG_RE.match(folded, end)
        if neg is None:
            if not _names_substitute(folded, start, end, later.end()):
                later = None  # "Parmesan is the classic finish, but a generous grating makes it sing": more of the same
        elif _excludes_another(folded, start, end, neg.end()):
            later = None  # "Most carbonara uses guanciale; this pasta skips the cream": what it leaves out is another food
    if later is None and "leave" in folded[end : end + 140]:
        named = _LEAVES_NAMED_OUT_RE.match(folded, end)
        if named is not None and _same_word(named.group(1), _words_of(folded[start:end])[-1]):
            later = named
    if later is None and "neither" in folded[end : end + 140] and _NEXT_SENTENCE_NEITHER_RE.match(folded, end):
        return True  # "X starts with beef bones and fish sauce. This one has neither:" the refusal names them both
    if later is None and " all " in folded[end : end + 240]:
        whole = _NEXT_SENTENCE_ALL_RE.match(folded, end)
        if whole is not None and not _same_word(whole.group(1), _words_of(folded[start:end])[-1]):
            later = whole
    if later is None and (uses := _NEXT_SENTENCE_USES_RE.match(folded, end)) is not None:
        later = _next_sentence_substitute(folded, start, end, uses)
    if later is None and _NEXT_SENTENCE_CONTRAST_RE.match(folded, end) is None:
        return False
    clause_start = max(folded.rfind(c, 0, start) for c in ".!?\n;") + 1
    if _REMOVES_RE.search(folded, clause_start, start) is not None:
        return False  # "Many cooks fish out the anchovies; I'd rather not": what others remove, this one keeps
    if _ATTRIBUTION_RE.search(folded, clause_start, start) is not None:
        return True
    # or said after it, in its clause: "The cheese you'll see in some restaurant versions isn't traditional; ours ..."
    clause_end = min((i for i in (folded.find(c, end) for c in ".!?\n;") if i >= 0), default=len(folded))
    return _ATTRIBUTION_RE.search(folded, end, clause_end) is not None


# "this one leaves the shrimp out", "at home I leave the cashews out": this recipe's cook leaves the food out (not
# "I leave the butter out to soften", "leave the butter out overnight": left out of the fridge)
_LEAVES_BEFORE_RE = re.compile(r"(?:\b(?:i|we|mine|ours)|\bthis[ \t]+[^\W_]+)[ \t]+leaves?[ \t]+(?:all[ \t]+)?(?:the[ \t]+)?$")
# what follows "out"/"off" must end the saying ("leaves the shrimp out.", "out entirely, and uses capers"), not go on
# with where or when ("off the rack", "out on the board", "out until the end") or use it later ("..., then fry it")
_LEFT_OUT_AFTER_RE = re.compile(
    r"[ \t]+(?:out|off)(?:[ \t]+(?:entirely|altogether|completely|here|too))?[ \t]*(?:$|[.;:!?)\n]|(?:,|[ \t]and\b)"
    r"(?![^.!?\n;]*\b(?:then|until|till|later|while|overnight|to|so)\b)"
    r"(?![^.!?\n;]*\b(?:add|fry|fri|crisp|cook|crumble|scatter|sprinkle|stir|fold|toss|serve|use|put|chop|slice|dice|grill)"
    r"[a-z]*[ \t]+(?:it|them)\b))"
)


# "with all the smoky stickiness of grilled eel", "all the gooey comfort of the hazelnut kind": a likeness, named by a
# quality of the food (not "fry in all the fat of the bacon", "all the juices of the roast")
_QUALITY_OF_RE = re.compile(
    r"(?:\bwith[ \t]+|(?<![^\n.!?|])[ \t]*)all[ \t]+the[ \t]+(?:[^\W_]+,?[ \t]+){0,3}"
    r"(?:(?:[^\W_]+ness|comfort|flavou?r|taste|savou?r|charm|appeal|joy|pleasure|satisfaction|indulgence|drama)"
    r"[ \t]+of[ \t]+(?:(?:the|a|an|good|proper|real)[ \t]+)?"
    # a look or a texture only of any one: "All the gloss of a honey glaze" (not "all the crunch of the hazelnut praline")
    r"|(?:gloss|shine|sheen|crunch)[ \t]+of[ \t]+an?[ \t]+)(?:[^\W_]+(?:-[^\W_]+)*[ \t]+){0,2}$"
)
# "a peanut and tree-nut allergy", "a sesame or peanut intolerance": the first food of a pair named as a condition
_ALLERGY_PAIR_RE = re.compile(
    r"[ \t]+(?:and|or)[ \t]+[^\W_]+(?:-[^\W_]+)?[ \t\-]+(?:allergy|allergies|allergic|intolerance|intolerances|intolerant)\b"
)


def _is_quality_of(folded: str, start: int) -> bool:
    """ "with all the ... of", or a sentence opening "All the ... of": a likeness (not "soak up all the stickiness of")"""
    return _QUALITY_OF_RE.search(folded, max(0, start - 90), start) is not None


def _is_left_out(folded: str, start: int, end: int) -> bool:
    if _LEFT_OUT_AFTER_RE.match(folded, end) is None:
        return False
    return _LEAVES_BEFORE_RE.search(folded, max(0, start - 40), start) is not None


def _same_word(word: str, head: str) -> bool:
    """ "shrimp" and "shrimp", "cashews" and "cashew": one food named again."""
    return word.rstrip("s") == head.rstrip("s")


_EXCLUDED_OBJECT_RE = re.compile(
    r"[ \t]+(?:(?:use|add|include|put|need)[ \t]+)?(?:(?:the|a|an|any)[ \t]+)?([^\W_]+)(?:[ \t]+([^\W_]+))?"
)


def _excludes_another(folded: str, start: int, end: int, at: int) -> bool:
    """The exclusion's object is another food: "this pasta skips the cream" (after guanciale), not "we skip the bacon"."""
    m = _EXCLUDED_OBJECT_RE.match(folded, at)
    if m is None:
        return False
    words = [w for w in m.groups() if w]
    if not _starts_food(words, 0):
        return False  # "we leave them out", "this one skips it"
    return not _names_it_again(words, _words_of(folded[start:end])) and words[0] != _words_of(folded[start:end])[-1]


# The same clause with an exclusion ("; we leave them out"), not a self contrast, which must name the substitute
_EXCLUDED_NEG_RE = re.compile(
    r"[^.!?\n;]{0,100}(?:" + _CONTRAST_LEAD + _CONTRAST_SUBJECT + _NEG_CONTRAST_EXCLUDES + "|" + _NO_PLACE + ")"
)
# What others take out of the dish: "Many cooks fish out the anchovies", "Most recipes drain off the bacon fat"
_REMOVES_RE = re.compile(
    r"\b(?:drain|drains|strips?(?![ \t]+of\b)|remove|removes|discard|discards|skim|skims"  # not "a few strips of"
    r"|(?:fish|fishes|pick|picks|lift|lifts|take|takes|leave|leaves)[ \t]+out)\b"
)
# A self contrast about more of the same food names no substitute: ", but it makes this", "; here I stir in a big knob"
_SAME_FOOD_SUBJECTS = frozenset(["it", "that", "they", "them", "extra", "more"])
_SAME_FOOD_MEASURES = _MEASURES | frozenset(
    ["knob", "knobs", "grating", "gratings", "lot", "lots", "amount", "helping", "plenty", "loads"]
)


_REASON_WORDS = frozenset(["so", "because", "since"])
_METHOD_WORDS = frozenset(
    ["pan", "pans", "skillet", "wok", "griddle", "oven", "grill", "barbecue", "charcoal", "tandoor", "smoker", "processor"]
    + ["mixer", "whisk", "blender", "cooker", "mat", "paper", "hours", "minutes", "hour", "fork", "knife", "hand", "hands"]
    + ["heat", "flame", "fire", "steamer", "machine", "fryer", "microwave", "overnight", "longer", "slowly", "plate", "board"]
    + ["skin", "crisp", "crisps", "crisper", "tender", "mashing", "helps"]  # "; here the skin gets really crisp"
)
_CONTRAST_NEGATIONS = frozenset(
    ["doesn", "don", "didn", "isn", "won", "never", "no", "not", "nobody", "without", "skip", "skips", "omit", "omits"]
    + ["leave", "leaves", "neither", "none", "tell", "notice", "notices", "miss", "misses"]
)


def _names_substitute(folded: str, start: int, end: int, stop: int) -> bool:
    """The self-contrast clause after the mention opens with another food, not "it", "extra" or a bare measure, and does
    not name the mention's food again ("I use chorizo too")."""
    sep = max(folded.rfind(";", end, stop), folded.rfind(",", end, stop))
    clause_end = min((i for i in (folded.find(c, stop) for c in ".!?\n;") if i >= 0), default=len(folded))
    words = TOKEN_RE.findall(folded[sep + 1 : clause_end])
    while words and words[0] in ("but", "here", "i", "we"):
        words = words[1:]
    own = _words_of(folded[start:end])
    if not _SAME_FOOD_AGAIN.isdisjoint(words[:6]) or _names_it_again(words, own):
        return False  # "I use it too", "I also add chorizo", "I use plenty of chorizo": more of the same food
    cut = next((k for k, w in enumerate(words) if k and w in _REASON_WORDS), len(words))
    words = words[:cut]  # "; I use tamari so my gluten-free sister can have a piece": the reason is another clause
    if any(p == ("as", "well") and (k == 0 or words[k - 1] != "just") for k, p in enumerate(zip(words[:8], words[1:9]))):
        return False  # ", mine as well"
    if "own" in words[:8] and not any(_starts_food(words, k) for k in range(words.index("own") + 1, len(words))):
        return False  # ", which is why we make our own" names no other food: what goes into it is not said
    # "; you won't miss it", "nobody misses the bacon" say it is gone; "; nobody notices it's there", "nobody noticed when
    # I doubled it" say it is in
    if (
        words[:1] in (["nobody"], ["no"], ["you"])
        and _NOBODY_CLAUSE_RE.match(" ".join(words))
        and _NOT_MISSED_WORDS.isdisjoint(words)
        and not any(_starts_food(words, k) for k in range(len(words)))
    ):
        return False
    if any(words[k + 1 : k + 2] in (["it"], ["them"]) for k, w in enumerate(words[:5]) if w in _WITH_WORDS):
        return False  # "; I love mine with it": the same food again
    if words[:2] in (["it", "is"], ["it", "s"]):  # "; here it is avocado, tomato and a vegan mayo": the food that it is
        return _starts_food([w for w in words[2:5] if w not in _DETERMINERS], 0)
    if words and words[0] in _SAME_FOOD_SUBJECTS:
        return False
    for i, w in enumerate(words):
        if w in _SAME_FOOD_SUBJECTS and w not in ("it", "them", "they", "that") and not _starts_food(words, i + 1):
            return False  # "a little extra", "some more" (not "a little extra queso fresco")
        if (
            w in _SAME_FOOD_MEASURES
            and (
                (words[i + 1 : i + 2] != ["of"] and words[i - 1 : i] != ["every"])  # not the idiom "every bit as good"
                or words[i + 2 : i + 3] in (["it"], ["them"])
            )
        ):
            return False  # "a generous grating makes it sing", "I use plenty", "plenty of it"
    if not _CONTRAST_NEGATIONS.isdisjoint(words):
        return True  # "; mine doesn't", "; ours never has it", "; nobody can tell": the food is left out
    if _METHOD_WORDS.isdisjoint(words):
        return True  # "; maple does the job here": what takes its place
    # a tool, a heat or a time: "; I use a cast-iron pan", "; a hot oven does just as well" change the method, unless
    # another food is named too ("; I fry tofu in a pan")
    return any(words[k] not in own and _starts_real_food(words, k) for k in range(len(words)))


def _starts_real_food(words: list[str], j: int) -> bool:
    """A food opens at ``words[j]``, not a part of one ("; here the skin gets really crisp")."""
    ing = _food_at(words, j)
    return ing is not None and ing is not PART


_SAME_FOOD_AGAIN = frozenset(["too", "also", "included", "likewise"])
_NOBODY_CLAUSE_RE = re.compile(_NOBODY_NOTICES)
# Words that say the food is gone from this version: "you won't miss it", "nobody can tell (the difference)"
_NOT_MISSED_WORDS = frozenset(
    ["tell", "miss", "misses", "missed", "missing", "difference", "without", "instead", "swap", "swapped"]
)
_WITH_WORDS = frozenset(["with", "in", "on", "of"])
# Words before a food in the contrast clause that name it plainly, not another kind: "I use chorizo", "plenty of chorizo"
_PLAIN_LEADS = _DETERMINERS | frozenset(
    ["use", "uses", "add", "adds", "of", "with", "and", "more", "extra", "plain", "is", "s", "are", "has", "have"]
    + ["ordinary", "regular", "real", "proper", "good", "fresh", "lots", "plenty", "start", "starts"]
)


def _names_it_again(words: list[str], own: tuple[str, ...]) -> bool:
    """The clause names the mention's food again, plainly ("I use chorizo as well"), not a kind of it ("a gluten-free soy
    sauce", "beef chorizo")."""
    n = len(own)
    if any(tuple(words[k : k + n]) == own and (k == 0 or words[k - 1] in _PLAIN_LEADS) for k in range(len(words) - n + 1)):
        return True
    # "The dim sum version is filled with roast pork; this one has pork too": its head food, named plainly
    return n > 1 and any(w == own[-1] and (k == 0 or words[k - 1] in _PLAIN_LEADS) for k, w in enumerate(words))


def _starts_food(words: list[str], j: int) -> bool:
    """A known food opens at ``words[j]``: "extra olive oil", "extra queso fresco"."""
    return _food_at(words, j) is not None


def _food_at(words: list[str], j: int) -> Ingredient | None:
    """The food whose form opens at ``words[j]``, its two-word form first ("queso fresco")."""
    if j >= len(words):
        return None
    by_form = detection().by_form
    return by_form.get(" ".join(words[j : j + 2])) or by_form.get(words[j])


# The reason this recipe uses a qualified product: "I use vegetarian Worcestershire sauce, as the usual kind has
# anchovies", "because the regular one contains gelatine". What the other kind has is not in this recipe.
_OTHER_KIND_RE = re.compile(
    r"\b(?:as|because|since)[ \t]+(?:the[ \t]+|most[ \t]+)?(?:usual|regular|ordinary|normal|standard|traditional|classic"
    r"|original|conventional)[ \t]+(?:kind|kinds|one|ones|version|versions|sort|type)[ \t]+(?:has|have|contains?|uses?"
    r"|includes?|is[ \t]+made[ \t]+with|are[ \t]+made[ \t]+with)[ \t]+(?:[^\W_]+[ \t]+){0,2}$"
)


def _is_other_kind(folded: str, start: int) -> bool:
    clause_start = max(folded.rfind(c, 0, start) for c in ".!?\n;:,") + 1
    return _OTHER_KIND_RE.search(folded, clause_start, start) is not None


def _is_product_caveat(folded: str, start: int) -> bool:
    """ "some brands blend in wheat": said of other products, in the mention's own clause."""
    clause_start = max(folded.rfind(c, 0, start) for c in ".!?\n;:") + 1
    if _PRODUCT_CAVEAT_RE.search(folded, clause_start, start) is not None:
        return True
    if _most_are_made_so_another(folded, clause_start, start):
        return True
    # "(check the box: many contain beef extract)": what the products may hold, said as a warning
    return (
        folded[clause_start - 1 : clause_start] == ":"
        and _CHECK_LABEL_RE.search(folded, max(0, clause_start - 30), clause_start) is not None
        and _MANY_CONTAIN_RE.fullmatch(folded, clause_start, start) is not None
    )


def _most_are_made_so_another(folded: str, clause_start: int, start: int) -> bool:
    most = _MOST_ARE_MADE_RE.search(folded, clause_start, start)
    if most is None:
        return False
    sentence = max(folded.rfind(c, 0, most.start()) for c in ".!?\n") + 1
    end = min((i for i in (folded.find(c, start) for c in ".!?\n") if i >= 0), default=len(folded))
    return (
        _OTHER_CHOICE_RE.search(folded, sentence, most.start()) is not None and _SAME_HERE_RE.search(folded, start, end) is None
    )


_CHECK_LABEL_RE = re.compile(r"\bcheck[ \t]+the[ \t]+(?:box|label|labels|packet|pack|jar|ingredients)[ \t]*:$")
_MANY_CONTAIN_RE = re.compile(r"[ \t]*(?:some|many|most)[ \t]+(?:brands[ \t]+)?(?:contain|include|use|have)[ \t]+")


def _is_quoted(folded: str, start: int, end: int, double_quotes: bool = True) -> bool:
    before = folded[start - 1] if start else ""
    after = folded[end] if end < len(folded) else ""
    if before and after and before in _QUOTES and after in _QUOTES:
        return True
    if not double_quotes:
        return False
    # inside a double-quoted phrase on its line: Butternut Squash "Mac and Cheese"
    line_start = folded.rfind("\n", 0, start) + 1
    line_end = folded.find("\n", end)
    tail = folded[end : line_end if line_end >= 0 else len(folded)]
    opened = sum(folded.count(q, line_start, start) for q in _DOUBLE_QUOTES)
    return opened % 2 == 1 and any(q in tail for q in _DOUBLE_QUOTES)


def _is_quoted_imitation(ftext: str, i: int, found: _Found, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """ "soya 'chicken' pieces", "smoked tofu 'bacon' strips": a quoted forbidden word that closes inside the form,
    after a food this diet allows or a word for an imitation."""
    s, e, _ = found[i]
    if ftext[s - 1 : s] not in _SINGLE_OPENS or ftext[s - 2 : s - 1] != " ":
        return False
    closed = _CLOSED_INSIDE_RE.search(ftext, s, e)
    quoted = detection().by_form.get(ftext[s : closed.start() + 1]) if closed else None
    if quoted is None or not offences.get(quoted.name):
        return False  # not "Veggie 'Scotch' Eggs" made with eggs: the quoted word must be the forbidden food
    if i and found[i - 1][1] == s - 2 and not offences.get(found[i - 1][2].name):
        return True  # "mycoprotein 'chicken' pieces", "mushroom 'bacon' strips"
    return _word_before(ftext, s - 1) in _IMITATION_LEADS


class _Lines:
    """Which lines of a text are ingredient lines: a bullet or a quantity first (not a numbered step),
    or any other line inside the ingredient list ("Salt and pepper", "Vegan mayonnaise, to serve").

    Lazy and memoised per line: only lines that hold a mention are ever looked at.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.title_end: int | None = None  # where the title line ends (_title_end), once found
        self._memo: dict[int, bool] = {}
        self._sentence_end: dict[int, int] = {}  # line start -> where the line's second sentence begins
        self._listed_until: dict[int, int] = {}  # line start -> the last position listed on it (-1: none is)

    def _in_list_block(self, start: int, line: str) -> bool:
        """A plain line right under an ingredient line (through other plain lines) is part of the list."""
        while True:
            tail = line.rstrip()[-1:]
            if not start or not tail or tail in ":.!?" or _STEP_LINE_RE.match(line) or _IMPERATIVE_LINE_RE.match(line):
                return False  # a header, a sentence or a step ends the list
            above = self.text.rfind("\n", 0, start - 1) + 1
            known = self._memo.get(above)
            if known is not None:
                return known
            line = self.text[above : start - 1]
            if is_ingredient_line(line):
                return True
            start = above

    def after_sentence(self, pos: int) -> bool:
        """Whether a sentence ends before ``pos`` on its line: "200 g vegan chorizo, crumbled. Fry the chorizo
        until crisp" lists the chorizo once; the second sentence is a step written on the same line."""
        return self._second_sentence(self.text.rfind("\n", 0, pos) + 1) < pos

    def _second_sentence(self, start: int) -> int:
        """Where the second sentence of the line at ``start`` begins (past the text when none does): once per line."""
        first = self._sentence_end.get(start)
        if first is None:
            end = self.text.find("\n", start)
            end = end if end >= 0 else len(self.text)
            first = len(self.text) + 1
            # a one-class scan first: most list lines have no stop, and the sentence regex tries every letter
            if _SENTENCE_STOP_RE.search(self.text, start, end) is not None:
                for m in _SENTENCE_END_RE.finditer(self.text, start, end):
                    # a full stop after a unit ("1 lb. beef") is no sentence end; a semicolon step is ("skin on; brown")
                    if (len(m[1]) >= _SENTENCE_WORD_MIN and m[1] not in _ABBREVIATIONS) or ";" in m[0]:
                        first = m.end()  # the next sentence's first letter
                        break
            self._sentence_end[start] = first
        return first

    def listed(self, pos: int) -> bool:
        """On an ingredient line, before any sentence that follows the listing on the same line."""
        start = self.text.rfind("\n", 0, pos) + 1
        until = self._listed_until.get(start)
        if until is None:  # once per line (a hot path: asked of most mentions), -1 for a line off the list
            until = self._listed_until[start] = self._second_sentence(start) if self._is_list_line(start) else -1
        return pos <= until

    def is_ingredient_line(self, pos: int) -> bool:
        return self._is_list_line(self.text.rfind("\n", 0, pos) + 1)

    def _is_list_line(self, start: int) -> bool:
        flag = self._memo.get(start)
        if flag is None:
            end = self.text.find("\n", start)
            line = self.text[start : end if end >= 0 else len(self.text)]
            flag = self._memo[start] = is_ingredient_line(line) or self._in_list_block(start, line)
        return flag


# "crumbled. Fry", not "1 lb. beef", "2.5"; "60 g panko breadcrumbs; toast the crumbs": a step after a semicolon
_SENTENCE_END_RE = re.compile(
    r"([^\W\d_]+)\)?(?:[.!?][ \t]+(?=[^\W\d_])|;[ \t]+(?=[^\W\d_]{2,}[ \t]+(?:the|them|it|everything)\b))"
)
_SENTENCE_STOP_RE = re.compile(r"[.!?;]")  # what every _SENTENCE_END_RE match holds
_SENTENCE_WORD_MIN = 4  # "tbsp.", "oz.", "pkg." are units, not a sentence's last word
_ABBREVIATIONS = frozenset(["approx", "tbsp", "tbsps", "pkgs"])
_BULLET_LINE_RE = re.compile(r"^[ \t]*[-*\u2022\u2023\u25e6\u2043+][ \t]+")
_STEP_LINE_RE = re.compile(r"^[ \t]*(?:step[ \t]*)?\d+[ \t]*[.):][ \t]+", re.I)
# A step written without a full stop under the list: "Fry the bacon until crisp", "Brown the sausages", a verb
# and then "the"/"them"/"it". List lines that read alike open with a preposition or a quantity ("For the syrup:",
# "Half the butter"), so those words are left out.
_IMPERATIVE_LINE_RE = re.compile(
    r"^[ \t]*(?!(?:for|to|with|from|of|and|or|in|on|at|half|all|most|some|both|rest)\b)[^\W\d_]{2,}[ \t]+"
    r"(?:the|them|it|everything)\b",
    re.I,
)
_QUANTITY_LINE_RE = re.compile(r"^[ \t]*(?:(?:about|approx\.?|approximately|around)[ \t]+)?(?:\d|[\u00bc-\u00be\u2150-\u215e])")
# "For the batter: 140 g plain flour, 4 eggs, 200 ml milk", "For the dashi: a 10 cm piece of kombu and 15 g
# katsuobushi": a sub-list written on one line (a word opener only where no sentence ends the line: "For the
# uninitiated: a Neapolitan ragu is made with pork ribs." is prose).
_INLINE_HEADER = r"^[ \t]*for[ \t]+(?:the[ \t]+)?[^:\n]{1,40}:[ \t]*"
_INLINE_LIST_RE = re.compile(_INLINE_HEADER + r"(?:\d|[\u00bc-\u00be\u2150-\u215e])", re.I)
_INLINE_WORD_LIST_RE = re.compile(_INLINE_HEADER + r"(?:an?|one|two|half)[ \t]", re.I)


def is_ingredient_line(line: str) -> bool:
    """A bulleted line, or one that starts with a quantity, that is not a numbered step."""
    if _STEP_LINE_RE.match(line):
        return False
    return bool(
        _BULLET_LINE_RE.match(line)
        or _QUANTITY_LINE_RE.match(line)
        or _INLINE_LIST_RE.match(line)
        or (_INLINE_WORD_LIST_RE.match(line) and line.rstrip()[-1:] not in ".!?")
    )


def _is_swapped_out(folded: str, start: int, end: int, words: list[str]) -> bool:
    """ "substitute tofu for chicken" (mention after "for"), "chicken can be replaced with tofu", and the
    second pair of "replace the butter with oil and the milk with soya milk"."""
    lead = 1 if words and words[0] in ("the", "a", "an", "some", "any", "your") else 0
    if len(words) > 1 and words[0] in _USUAL_WORDS and words[1] in ("the", "my", "our", "your"):
        lead = 2  # "I swapped the usual milk for olive oil"
    first = words[lead] if len(words) > lead else ""
    if first == "for" and any(w in _SWAP_VERBS for w in words[lead + 1 :]):
        return True
    if len(words) > 2 and words[1] == "for" and words[0] in ("each", "every") and "use" in words[2:]:
        return True  # "use 3 tbsp aquafaba for each egg": a rate of exchange names the replaced food
    if first in _SWAPPED_VERBS and _swapped_for(folded, end, words, lead):
        return True  # "I swapped the ghee my mum uses for coconut oil", "I replaced the rum with apple juice"
    if first == "and" and _SWAP_PAIR_AFTER_RE.match(folded, end):
        clause_start = max(folded.rfind(c, max(0, start - 200), start) for c in ".!?\n;:") + 1
        if _SWAP_PAIR_BEFORE_RE.search(folded, clause_start, start):
            return True
    return folded[end : end + 1] in _AFTER_GAP and _POSTFIX_SWAP_RE.match(folded, end) is not None


_SWAPPED_VERBS = frozenset(["swapped", "replaced", "swap", "replace"])
_USUAL_WORDS = frozenset(["usual", "regular", "ordinary", "normal", "traditional", "classic"])
# "for coconut oil" or "with apple juice" after a few words, in the same clause (not "swapped in", "swapped into")
# ("in my old recipe" is where it was, not "swapped in")
_SWAPPED_FOR_RE = re.compile(
    r"(?![ \t]+(?:into|out)\b|[ \t]+in\b(?![ \t]+(?:my|our|the|this|his|her|their|your)\b))"
    r"(?:[ \t]+[^\W_]+){0,5}?[ \t]+(?:for|with)[ \t]+[^\W_]"
)
_SWAP_DOUBTS = frozenset(["never", "not", "t", "haven", "hasn", "didn", "don", "wouldn"])


def _swapped_for(folded: str, end: int, words: list[str], lead: int) -> bool:
    if not _SWAP_DOUBTS.isdisjoint(words[lead + 1 : lead + 4]):
        return False  # "I haven't swapped the butter for oil", "I never replaced the butter"
    return _SWAPPED_FOR_RE.match(folded, end) is not None


# What can follow a mention before a word that reads it ("chicken, or swap in tofu", "butter-free"): any other
# character (a full stop, a newline, the end) rules out every such rule with one test.
_AFTER_GAP = frozenset([" ", "\t", ",", "-"])


# "replace the butter with oil and THE MILK with soya milk", "swap the cream for yoghurt and the cheese for ...":
# a second object of the same replacing verb, itself followed by "with"/"for".
_SWAP_PAIR_BEFORE_RE = re.compile(
    r"\b(?:replace|replacing|swap|swapping|substitute|substituting)\b[^.!?\n;:]*\b(?:with|for)\b[^.!?\n;:]*\band[ \t]+"
    r"(?:(?:the|a|an|some|any|your)[ \t]+)?$"
)
_SWAP_PAIR_AFTER_RE = re.compile(r"[ \t]+(?:with|for)\b")


_SUFFIX_RE = re.compile(r"(?:[ \t]*-[ \t]*|[ \t]+)([^\W_]+)")


def _suffix_clears(folded: str, end: int) -> bool:
    """ "dairy-free", "walnut-sized", "roe removed": the word after the food clears it (one match for all three)."""
    nxt = _SUFFIX_RE.match(folded, end)
    if nxt is None:
        return False
    word = nxt.group(1)
    if word in _SUFFIX_CLEAR or word in _SIZED or (word in _REMOVED and "-" not in folded[end : nxt.start(1)]):
        return True
    if word in _SHAPE_WORDS and folded[max(0, end - 7) : end] == "sausage" and _word_before(folded, end - 7) in _SHAPE_LEADS:
        return True  # "in long sausage shapes": the shape (not "pasta shapes", which are pasta, or "pork sausage shapes")
    hyphened = folded[end : nxt.start(1)] == "-"  # a tight hyphen: one word with the food
    if hyphened and word == "eating" and folded[nxt.end(1) : nxt.end(1) + 1] == " ":
        return _next_word(folded, nxt.end(1)) not in _EATING_THINGS  # "my meat-eating brother" (not "eating-apples")
    if hyphened and word == "loving":
        return True  # "my dairy-loving nephew": who likes the food, not the food
    if hyphened and word in _LIKENESS:
        return True  # "a toasty, praline-like note", "cheese-ish": like the food, not the food
    if hyphened and word in _COLOUR_WORDS:
        # "wine-red syrup", "caramel-coloured": a colour named after the food (not "Chicken-White Bean Chili",
        # "Beef-Red Wine Stew": a second food)
        after = _NEXT_WORD_RE.match(folded, nxt.end(1))
        return after is None or f"{word} {after.group(1)}" not in detection().by_form
    # "chicken-style pieces", "Jackfruit Curry, Goat-Curry Style": made in the style of the food, not of it
    return "style" in folded[end : end + 30] and _STYLE_RE.match(folded, end) is not None


# What a "chicken-style" product flavours rather than is: "vegan chicken-style seasoning ... the chicken" is chicken
_STYLE_FLAVOURINGS = frozenset(
    ["seasoning", "seasonings", "stock", "powder", "flavour", "flavouring", "flavor", "flavoring", "bouillon", "broth"]
    + ["cube", "cubes", "gravy", "sauce", "granules", "spice", "spices", "rub", "salt", "paste", "marinade"]
)


def _styled_food(ftext: str, end: int) -> bool:
    """ "vegan feta-style block", "vegan chicken-style pieces": a food in the style of another, not a flavouring."""
    style = _STYLE_RE.match(ftext, end)
    return style is not None and _next_word(ftext, style.end()) not in _STYLE_FLAVOURINGS


_LIKENESS = frozenset(["like", "ish", "esque"])
_EATING_THINGS = frozenset(["style", "apple", "apples", "quality", "experience", "season"])
_COLOUR_WORDS = frozenset(["coloured", "colored", "red", "brown", "gold", "golden", "dark", "pink", "yellow", "white"])
# one hyphened word may come between ("goat-curry style"), never a spaced one ("pork belly, chinese style" is pork)
_STYLE_RE = re.compile(r"(?:-[^\W_]+)?(?:[ \t]*-[ \t]*|[ \t]+)style\b")


_NEXT_WORD_RE = re.compile(r"[ \t]+([^\W_]+)")


def _next_word(folded: str, end: int) -> str | None:
    nxt = _NEXT_WORD_RE.match(folded, end)
    return nxt.group(1) if nxt else None


_WORD_BEFORE_RE = re.compile(r"([^\W_]+)[ \t]+$")


def _word_before(folded: str, start: int) -> str | None:
    before = _WORD_BEFORE_RE.search(folded, max(0, start - 20), start)
    return before.group(1) if before else None


# --------------------------------------------------------------------------
# scanning


@functools.cache
def _unicode_regex(pattern: str) -> re.Pattern[str]:
    """Compiled on first non-ASCII text only (about 0.25 s for the detection vocabulary)."""
    return re.compile(pattern)


def _raw_mentions(folded: Folded, m: Matcher) -> list[tuple[int, int, Ingredient]]:
    """(folded start, folded end, ingredient) for every lexicon mention."""
    text = folded.text
    by_form = m.by_form
    found: _Found = []
    # re's Unicode word classes cost about 15% of a scan; ASCII text (the fast path of fold) has no other letters
    accented = folded.starts is not None
    regex = _unicode_regex(m.pattern) if accented else m.ascii_regex
    append = found.append
    # "Put the chicken breast-side down" after "1 halal chicken": one substring test per text, not one per mention (only
    # beside a halal qualifier, whose back-reference the shorter food takes; elsewhere a quoted tofu "chicken" named
    # before would take it: "tofu "chicken" nuggets for the kids ... Start the chicken breast-side down")
    sided = "-side" in text and ("halal" in text or "zabiha" in text)
    for hit in regex.finditer(" " + text):  # the space is the boundary before a mention at the start
        form = hit[1]
        ing = by_form.get(form) or by_form.get(" ".join(TOKEN_RE.findall(form)))
        if ing is None:  # cannot happen for forms built from the surface map
            continue
        # in the padded text the mention follows its one boundary character and ends the match (a lookahead closes
        # the pattern), so in the text it starts where the match does and ends one before
        s, e = hit.span()
        e -= 1
        if accented and form in _ACCENTED:  # "rosé": the accent that folding drops names the wine
            start, end = folded.span(s, e)
            if not folded.original[start:end].isascii():
                ing = by_form.get(_ACCENTED[form], ing)
        if sided and text.startswith("-side", e) and form.endswith(_SIDE_PARTS):
            # "Put the chicken breast-side down": the side it lies on, so the food is the words before the part
            cut = text.rfind(" ", s, e)
            key = text[s:cut].rstrip() if cut > s else ""
            shorter = by_form.get(key) if key else None
            if shorter is not None:
                e, ing = s + len(key), shorter
        if ing.not_followed_by and _next_word(text, e) in ing.not_followed_by and not _is_noun_use(text, s, found):
            continue  # "cream the butter": a verb, not an ingredient
        append((s, e, ing))
    return found


_SIDE_PARTS = (" breast", " breasts", " skin")
# Forms that folding makes ambiguous, and what they are when written with their accent.
_ACCENTED = {"rose": "rose wine"}
# "whip THE cream until", "warm the milk AND cream until": a determiner, or "and" after another food, makes it a noun.
_NOUN_LEAD_RE = re.compile(r"\b(?:the|your|some|of|with|more|extra)[ \t]+$")
_AND_GAP_RE = re.compile(r"[ \t]+and[ \t]+")


def _is_noun_use(text: str, start: int, found: list[tuple[int, int, Ingredient]]) -> bool:
    if _NOUN_LEAD_RE.search(text, max(0, start - 8), start):
        return True
    return bool(found) and _AND_GAP_RE.fullmatch(text, found[-1][1], start) is not None


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


def _bracket_follows(text: str, start: int) -> bool:
    line_end = text.find("\n", start)
    return text.find("(", start, line_end if line_end >= 0 else len(text)) >= 0


_CLAUSE_VERB_AFTER_RE = re.compile(
    r"[ \t]+(?:are|is|was|were|will|would|work|works|make|makes|do|does|can|go|goes|taste|tastes|give|gives)\b"
)


# What undoes a negation after the food: "No sliced ham is complete without mustard" (the ham is in it), "not the diced
# chorizo until the end" (it goes in later)
_NEGATION_UNDONE_RE = re.compile(
    r"(?:[ \t]+[^\W\d_]+){0,2}?[ \t]+(?:is|are)[ \t]+(?:complete|the[ \t]+same|right|finished|proper)[ \t]+without\b"
    r"|[^.,;:!?\n()]{0,30}\buntil\b"
)


# "there is nothing dairy about milkfish", "there is nothing dairy anywhere near it" (not "there's nothing bacon can't
# fix"; nor "Nothing dairy goes in, except a knob at the very end": what goes in later, a review's probes found)
_ABOUT_AFTER_RE = re.compile(r"[ \t]+(?:about|anywhere|whatsoever|at[ \t]+all)\b")
_DISH_SUBJECTS = (["it"], ["this"], ["dish"], ["recipe"], ["pan"], ["one"])
_OWN_NEGATION_CUES = frozenset(["nothing", "any", "near"])  # one set test before the phrases below


def _negated_by_phrase(ftext: str, end: int, words: list[str]) -> bool:
    """ "there is nothing dairy about milkfish", "not from any dairy", "a kosher meat dish, so it never goes near butter"
    (not "my kids never go near anchovies", "not from cream alone")."""
    if words[0] == "nothing":
        return _ABOUT_AFTER_RE.match(ftext, end) is not None
    return words[:3] == ["any", "from", "not"] or (words[:3] == ["near", "goes", "never"] and words[3:4] in _DISH_SUBJECTS)


def _negation_finder(ctx: _Context, found: list[tuple[int, int, Ingredient]]) -> Callable[[int], bool]:
    """Memoised "is mention i negated?" (by its own context or a negated list)."""
    memo: dict[int, bool] = {}

    def own(i: int) -> bool:
        start = found[i][0]
        words = ctx.words_before(start)
        if words and words[0] in _OWN_NEGATION_CUES and _negated_by_phrase(ctx.text, found[i][1], words):
            return True
        if _is_negated(words):
            if _is_double_negative(ctx.text, start) or _NEGATION_UNDONE_RE.match(ctx.text, found[i][1]):
                return False  # "don't leave out the few slices of pancetta", "isn't a trifle without a glug of sherry"
            return not (ctx.has_brackets and _is_particle_no(words) and _bracket_follows(ctx.text, start))
        return ctx.has_brackets and _glosses_negated_name(ctx, start)

    def chained(i: int) -> bool:
        if i <= 0 or _LIST_GAP_RE.fullmatch(ctx.text, found[i - 1][1], found[i][0]) is None:
            return False
        # "If you've run out of sunflower seeds, flaked almonds are lovely here too": after a bare comma, a food that a
        # verb follows opens a clause of its own, not the negated list
        return ctx.text[found[i][0] - 2 : found[i][0]] != ", " or _CLAUSE_VERB_AFTER_RE.match(ctx.text, found[i][1]) is None

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


@dataclass(slots=True)
class _Reading:
    """One mention as read in its own context: what it still offends, and what it can refer to."""

    start: int
    end: int
    ingredient: Ingredient
    remaining: tuple[str, ...]  # offending tags left after the local context; () = allowed
    exempt: bool  # the local context decided it (qualifier, negation, verb, tool, ...): no referent overrides it
    on_ingredient_line: bool | None  # None: not looked up yet (most allowed mentions never need it)
    head: str  # the last word of the mention ("vegetable stock" -> "stock")
    words: tuple[str, ...] = ()  # all its words, for single-word references
    offends: bool = False  # the food itself is forbidden, whatever the context says
    span: tuple[int, int] = (-1, -1)  # what a violation reports: a phrase's offending words and parts
    lead_cleared: bool = False  # a negation or comparison before it cleared it ("no pork sausages", "like pork carnitas")
    not_food: bool = False  # a tool or a verb ("a fish basket", "butter the tin"): no later mention refers to it
    defines: bool = False  # names the allowed version a later bare mention means: 'tofu "feta"', "make a (nut-free) pesto"

    def reported(self) -> tuple[int, int]:
        return self.span if self.span[0] >= 0 else (self.start, self.end)

    def listed(self, lines: _Lines) -> bool:
        if self.on_ingredient_line is None:
            self.on_ingredient_line = lines.listed(self.start)
        return self.on_ingredient_line


@functools.lru_cache(maxsize=4096)
def _words_of(form: str) -> tuple[str, ...]:
    """A mention's words: a few hundred distinct forms make up most mentions, so this is a cache hit."""
    return tuple(form.split())


def _read_mention(
    ftext: str,
    i: int,
    found: list[tuple[int, int, Ingredient]],
    offences: Mapping[str, tuple[str, ...]],
    ctx: _Context,
    negated: Callable[[int], bool],
    qualifiers: _QualifierMap,
    lines: _Lines,
) -> _Reading:
    s, e, ing = found[i]
    bad = offences[ing.name]  # only an offending mention is read in context (find_violations builds the others)
    own = _words_of(ftext[s:e])
    head = own[-1] if own else ""
    reading = _Reading(s, e, ing, bad, False, lines.listed(s), head, own, offends=True)
    if reading.on_ingredient_line and ftext[e : e + 5] == " and ":
        ctx.blends = True  # "6 pork and leek sausages" may be one food: _join_blends looks (few texts)
    words = ctx.words_before(s)
    # the two nearest words, read by many rules below: index tests, not list slices ("" where there is none)
    w0 = words[0] if words else ""
    w1 = words[1] if len(words) > 1 else ""
    after = ftext[e : e + 1]
    spaced = after in _AFTER_GAP  # else no word after it can clear it
    floured = head == "floured"
    if (
        (spaced and not floured and _is_equipment(ftext, e, s))
        or _is_verb(ftext, s, e, words)
        or (floured and spaced and _is_dusting(ftext, s, e, found, lines))
        or (floured and ftext[s - 1 : s] == "-" and _floured_with_no_gluten(ftext, s))
    ):
        reading.remaining, reading.exempt, reading.not_food = (), True, True
        return reading
    if (_is_quoted(ftext, s, e, ctx.has_double_quotes) and not (len(own) > 1 and own[0] in _MATERIAL_LEADS)) or (
        ftext[s - 1 : s] in _SINGLE_OPENS and _is_quoted_imitation(ftext, i, found, offences)
    ):
        reading.remaining, reading.exempt, reading.defines = (), True, True
        return reading
    if head in _BARE_WORD_RULES and len(own) == 1:  # one set test for the few bare words read below
        if head in _TOAST_WORDS and not _is_toast_noun(ftext, s, e, words):
            reading.remaining, reading.exempt, reading.not_food = (), True, True  # "toast the almonds": the verb
            return reading
        if head == "curds" and "into" in words[:4] and _TOFU_INTO_RE.search(ftext, max(0, s - 60), s) is not None:
            reading.remaining, reading.exempt, reading.not_food = (), True, True  # "Crumble the tofu into rough curds": a shape
            return reading
        if head in _CURD_WORDS and not reading.on_ingredient_line and _SOY_CURDS_RE.search(ftext) is not None:
            # "ladle the curds into a mould", "until the curds separate from the whey" after curdling soya milk: tofu
            reading.remaining, reading.exempt = (), True
            return reading
        if head in _COOKED_SUGARS and _SUGAR_CARAMEL_RE.search(ftext) is not None and not _bought_caramel(ftext, s, reading):
            reading.remaining, reading.exempt = (), True  # "cook the sugar to a deep amber caramel": sugar, nothing else
            return reading
        if head == "nut" and ftext[max(0, s - 5) : s] == "only " and _ONLY_NUTMEG_RE.match(ftext, e):
            reading.remaining, reading.exempt, reading.not_food = (), True, True  # "the only nut here is the nutmeg"
            return reading
        if head == "gravy" and len(own) == 1 and i and _plant_named_before(ftext, i, found, offences):
            reading.remaining, reading.exempt = (), True  # "a tangy tomato and sesame gravy": a curry's plant sauce
            return reading
        if head == "gravy" and words[:2] in _THICKEN_LEADS and ftext.find("gravy", 0, s) < 0:
            reading.remaining, reading.exempt = (), True  # not "500 ml beef gravy ... Thicken the gravy": the bought one
            return reading
        if (
            (head == "chicken" and _CHICKEN_FRIED_RE.match(ftext, e))
            or (head == "crackling" and _is_crackling_sound(words))
            or (head in _RIB_WORDS and _is_leaf_rib(ftext, i, found, words))
            or (head in _MERINGUES and _AQUAFABA_FOR_RE.search(ftext, max(0, s - 70), s) is not None)
        ):
            reading.remaining, reading.exempt, reading.not_food = (), True, True  # "Chicken-Fried Steak", "dry and crackling"
            return reading
    if spaced and _suffix_clears(ftext, e):
        reading.remaining, reading.exempt = (), True
        # "nut-free dark chocolate", "walnut-sized": no food, so no later "the nuts" refers to it ("vegan feta-style
        # block" is a food, which "the feta" means)
        suffix = _SUFFIX_RE.match(ftext, e)
        reading.not_food = suffix is not None and suffix.group(1) in _NOT_FOOD_SUFFIXES
        # "vegan feta-style block": the qualified food, which a later "the feta" means
        reading.defines = not reading.not_food and _qualifier_clears(qualifiers, words).issuperset(bad) and _styled_food(ftext, e)
        return reading
    if ing.name == "steak" and _cut_into_steaks(ftext, i, found, offences):
        reading.remaining, reading.exempt, reading.defines = (), True, True
        return reading
    if (
        (ctx.has_exclusion() and _is_prose(ftext, s, reading) and _is_excluded_later(ftext, s, e))
        or (ctx.has_product_words and _is_product_caveat(ftext, s))
        or (ctx.has_other_kind() and _is_other_kind(ftext, s))
        or (len(own) == 1 and _is_source_animal(ftext, i, found))  # not "bone marrow butter"
        or _is_swapped_out(ftext, s, e, words)
        or (ctx.has_brackets and i > 0 and _is_skip_reason(ftext, s, found[i - 1]))
        or (ctx.has_leave and ftext.find("leave", max(0, s - 24), s) >= 0 and _is_left_out(ftext, s, e))
        or (ctx.has_all_the and ftext.find("all the", max(0, s - 90), s) >= 0 and _is_quality_of(ftext, s))
        or (ctx.has_allergy and spaced and _ALLERGY_PAIR_RE.match(ftext, e) is not None)
        or (spaced and _DIFFERENT_AFTER_RE.match(ftext, e) is not None)
        or (ctx.has_classic and spaced and not reading.on_ingredient_line and _classic_but_another(ftext, s, e))
        or (head == "flour" and _is_source_flour(ftext, i, found, offences))
        or (ing.name == "steak" and (_STEAK_SHAPE_RE.match(ftext, e) is not None or _is_cut_from(ftext, i, found, offences)))
        or (ctx.has_brackets and len(own) == 1 and _names_a_kind(ftext, s, head, offences))
        or (after == "," and len(own) == 1 and _names_a_listed_kind(ftext, e, head, offences))
        or (head == "crema" and len(own) == 1 and _is_cream_of_dish(ftext, i, found, offences))
        or (head == "cream" and len(own) == 1 and spaced and _is_coconut_top(ftext, s, e))
        or (
            head == "meat"
            and (len(own) == 1 or own[0] in _FLESH_WORDS)
            and _is_seafood_flesh(ftext, i, found, words, not reading.on_ingredient_line)
        )
    ):
        reading.remaining, reading.exempt = (), True
        return reading
    if ctx.claim and not reading.on_ingredient_line and _claimed_next(ftext, e, bad, qualifiers):
        reading.remaining, reading.exempt = (), True  # "Old recipes had minced meat in them. This one is vegetarian."
        return reading
    if head in _CONTEXT_HEADS:  # one set test for the few heads read below
        if ing.name in _FLATBREADS and _is_source_bread(words):
            reading.remaining, reading.exempt, reading.defines = (), True, True  # "chickpea flatbread": the title's dish
            return reading
        if (
            head in _MADE_DISHES
            and len(own) <= 2
            and i
            and (head != "burgers" or not _MEAT_TAGS.isdisjoint(found[i - 1][2].tags))  # the minced meat, not "the buns"
            and _is_made_for(ftext, words, found[i - 1][1], s)
        ):
            reading.remaining, reading.exempt = (), True  # "150 ml red wine for the gravy": what it is made from decides
            return reading
        if (
            len(own) == 1
            and head in _FOOD_GROUPS
            and (
                _is_eaters_condition(words)
                or (words[:1] == ["if"] and _NO_ISSUE_AFTER_RE.match(ftext, e) is not None)
                or (words[:3] in (["about", "bothered", "not"], ["about", "fussed", "not"]) and ftext[e : e + 1] == "?")
            )
        ):
            reading.remaining, reading.exempt = (), True  # "If you eat dairy, ...", "if dairy isn't an issue": the eaters
            return reading
    if head in _STOCK_AND_OYSTER:  # one set test for the three rules below
        if (
            head in _PLANT_SOURCED
            and len(own) == 1
            and ftext[e : e + 1] in " ("
            and _PLANT_SOURCE_AFTER_RE.match(ftext, e) is not None
        ):
            reading.remaining, reading.exempt, reading.defines = (), True, True  # "4 tbsp dashi (kombu and shiitake)"
            return reading
        if head in _BROTHS and len(own) == 2 and _names_a_plant(own[0], offences):
            reading.remaining, reading.exempt = (), True  # "a roasted tomato and pasilla chilli broth": a plant broth
            return reading
        if head == "oyster" and len(own) == 1 and words[:1] != ["smoked"] and _MUSHROOM_PAIR_RE.match(ftext, e):
            reading.remaining, reading.exempt = (), True  # "250 g mixed oyster and straw mushrooms"
            return reading
    if (
        len(own) == 1
        and words[:1] == ["your"]
        and words[1:3] in _THIS_IS
        and not reading.on_ingredient_line
        and not _names_another_of_its_kind(found, i, offences, bad, negated)
    ):
        # "cook until browned: this is your mince" after a list of mushrooms and lentils: the mixture, named for what it
        # stands for (not "strain into a jar: this is your ghee" after "250 g unsalted butter", nor the leftover roast
        # lamb of a headnote, nor "You'll need 6 good pork sausages" in a sentence: the food itself, reviews found)
        reading.remaining, reading.exempt, reading.defines = (), True, True
        return reading
    if (ing.category in _MEAT_FORM_CATEGORIES or (ing.category == "detection" and not _MEAT_TAGS.isdisjoint(bad))) and _is_shaped(
        words
    ):
        reading.remaining, reading.exempt, reading.defines = (), True, True
        return reading
    # what comes before the mention: it covers the whole phrase
    if (
        negated(i)
        or _is_comparison(words, head)
        or (w0 in _LIKENED_LEADS and _is_likened(ftext, s, words))
        or (w0 == "as" and _gives_the_same_as(ftext, e, words))
        or _is_hypothetical(words)
        or (w0 == "see" and _purists_shocked(ftext, e, words))
    ):
        reading.remaining, reading.exempt, reading.lead_cleared = (), True, True
        return reading
    stand_in = _is_stand_in(ftext, s, e, words) if words else 0
    if stand_in:
        # after "tofu does the paneer's job" a later bare mention means the stand-in; after "mushrooms do the work of the
        # bacon" a later "a rasher of bacon on top" may be the food itself
        reading.remaining, reading.exempt, reading.defines = (), True, stand_in == 1
        return reading
    if spaced and head in _IDIOM_VERBS and _IDIOM_VERBS[head].match(ftext, e) and (not words or words[0] in _SUBJECTS):
        reading.remaining, reading.exempt, reading.not_food = (), True, True  # "Chicken Out Chili", "you chicken out"
        return reading
    if w0 in _EAT_VERBS and (w1 == "who" or words[:3] == ["eat", "can", "who"]):
        reading.remaining, reading.exempt = (), True  # "for those who eat gluten": names the eaters, not a food used
        return reading
    if w0 in _UNQUALIFIED:
        if w1 == "not" and _NOT_ORDINARY_RE.search(ftext, max(0, s - 30), s) is not None:
            reading.remaining, reading.exempt = (), True  # "Use tamari, not ordinary soy sauce": the one refused
            return reading
        reading.exempt = True  # "ordinary butter works the same way": not the vegan butter named before it
        return reading
    if words and not _VERSION_NOUNS.isdisjoint(words) and _is_version_of(ftext, s, words, qualifiers):
        reading.remaining, reading.exempt = (), True  # "My halal take on coq au vin": the dish made to the diet
        return reading
    if (
        spaced
        and len(words) > 1
        and words[0] in _THAT_WHICH
        and words[1] in _QUALITY_NOUNS
        and _USUALLY_WOULD_RE.match(ftext, e) is not None
    ):
        reading.remaining, reading.exempt = (), True  # "the malty depth that beef stock usually would": what it replaces
        return reading
    if spaced and w0 == "with" and _WOULD_AFTER_RE.match(ftext, e) is not None:
        reading.remaining, reading.exempt = (), True  # "with beef it would be a cottage pie": a counterfactual
        return reading
    if (
        "off" in words  # the whole list first (no slice is built), then where it must be: most mentions have neither
        and "off" in words[:3]
        and _LEAVE_OFF_RE.search(ftext, max(0, s - 40), s)
        and not _LATER_AFTER_RE.match(ftext, e)
        and not _is_double_negative(ftext, s)  # "never leave off the butter"
    ):
        reading.remaining, reading.exempt = (), True  # "I leave off the usual cheese": a topping left off
        return reading
    if spaced and w0 == "way" and w1 == "the" and words[2:3] and words[2].endswith("ed") and _WAY_IT_IS_RE.match(ftext, e):
        reading.remaining, reading.exempt = (), True  # "tofu glazed the way pork belly usually is": a comparison
        return reading
    if (spaced and w0 == "the" and w1 == "where" and _WOULD_BE_RE.match(ftext, e)) or (
        (w0 == "be" or w1 == "be") and _NOT_TRYING_RE.search(ftext, max(0, s - 30), s)
    ):
        reading.remaining, reading.exempt = (), True  # "sparkling water where the rum would be", "trying to be cow's milk"
        return reading
    if w0 == "to" and w1 in ("reacts", "react") and len(words) > 2 and words[2] in _REACTING_PEOPLE:
        reading.remaining, reading.exempt = (), True  # "my son reacts to peanuts, so the wok oil is rapeseed": the eater
        return reading
    if "you" in words and "you" in words[:5] and _AS_YOU_WOULD_RE.search(ftext, max(0, s - 50), s) is not None:
        reading.remaining, reading.exempt = (), True  # "crumb the slices the way you would for a Wiener schnitzel"
        return reading
    if spaced and w0 == "as" and _AS_IT_WOULD_RE.match(ftext, e) is not None:
        reading.remaining, reading.exempt = (), True  # "gram flour sets the potatoes just as eggs would": a comparison
        return reading
    if spaced and (w0 == "as" or w1 == "as") and _is_compared_just_as(ftext, i, found, words):
        reading.remaining, reading.exempt = (), True  # "it chars at the edges just as dairy yoghurt does": a comparison
        return reading
    if i and ftext.find(", which", max(0, s - 40), s) >= 0 and _is_refusal_reason(ftext, i, found, offences):
        reading.remaining, reading.exempt = (), True  # "tamari rather than soy sauce, which contains wheat."
        return reading
    cleared = _qualifier_clears(qualifiers, words)
    if not cleared and (w0 == "or" or w1 == "or") and len(words) > 1:
        cleared = _qualified_alternative(ftext, i, found, ctx, qualifiers)
    if ctx.has_brackets and not cleared.issuperset(bad):
        if ftext[e : e + 2] == " (" or ftext[e : e + 1] == "(":
            cleared |= _bracketed_qualifier(ftext, e, qualifiers)
        elif "(" in ftext[max(0, s - _GLOSS_LEAD_MAX) : s]:
            cleared |= _glosses_qualified_name(ctx, s, qualifiers)
    if cleared:
        reading.remaining, reading.exempt = tuple(t for t in bad if t not in cleared), True
        reading.defines = not reading.remaining
    return reading


# The sentence or line ends right here: a reading that needs nothing after the food to say otherwise
_ENDS_HERE = r"[ \t]*(?:[.!]|\n|$)"
# "tamari rather than soy sauce, which contains wheat.", "rather than Parmesan, which uses animal rennet.": the reason
# for refusing a food that carries it itself, the clause ending there (not "Bisto rather than cornflour, which contains
# wheat": cornflour has none, so the wheat is the chosen food's; not "..., which contains wheat, so this one isn't for
# coeliacs")
_WHICH_CONTAINS_GAP_RE = re.compile(r",[ \t]+which[ \t]+(?:contains|has|uses|needs)[ \t]+(?:animal[ \t]+)?")
_REFUSED_LEAD_RE = re.compile(r"\b(?:rather[ \t]+than|instead[ \t]+of)[ \t]+(?:the[ \t]+|an?[ \t]+)?$")
_CLAUSE_END_RE = re.compile(_ENDS_HERE)


def _is_refusal_reason(
    ftext: str, i: int, found: list[tuple[int, int, Ingredient]], offences: Mapping[str, tuple[str, ...]]
) -> bool:
    s, e, ing = found[i]
    start, end, refused = found[i - 1]
    if _WHICH_CONTAINS_GAP_RE.fullmatch(ftext, end, s) is None or _CLAUSE_END_RE.match(ftext, e) is None:
        return False
    if _REFUSED_LEAD_RE.search(ftext, max(0, start - 20), start) is None:
        return False
    # the refused food offends in every way this one does: "soy sauce" (gluten) for "wheat", "Parmesan" for "rennet"
    return set(offences.get(ing.name, ())) <= set(offences.get(refused.name, ()))


_EAT_VERBS = ("eat", "eats")  # "for those who eat gluten", "who can eat dairy": one test before the phrases


# Curds of a text that curdles soya milk are soya curds (tofu in the making).
_CURD_WORDS = frozenset(["curds", "whey"])  # not "curd": Indian curd is yoghurt
# the tofu is what is crumbled into curds of a shape (not "tip it into the curds", "Mash the tofu into goat curds")
_TOFU_INTO_RE = re.compile(
    r"\b(?:crumble|break|mash|scramble|crush|tear)[ \t]+(?:the[ \t]+)?(?:[^\W\d_]+[ \t]+)?tofu[ \t]+(?:up[ \t]+)?into"
    r"[ \t]+(?:(?:rough|roughly|small|large|big|chunky|uneven|irregular|fine|soft|loose|bite-sized?|scrambled|eggy|and)"
    r"[ \t]+){0,3}$"
)
_SOY_CURDS_RE = re.compile(
    r"\bnigari\b|\b(?:soya?[ \t]+milk|soymilk)\b[^.\n]{0,80}\b(?:curdl|coagul|split)"
    r"|\b(?:curdl|coagul)[a-z]*\b[^.\n]{0,60}\b(?:soya?[ \t]+milk|soymilk)\b"
)
# "toast" is a verb ("Toast the bread", "add the rice and toast for a minute") unless a word that only goes before a
# noun comes first ("on toast", "hot buttered toast", "2 slices toast", "float two toasts") or it ends a list item or
# a clause ("scrambled eggs and toast.", "Toast, to serve").
_TOAST_WORDS = frozenset(["toast", "toasts"])
_TOAST_NOUN_LEADS = frozenset(
    ["on", "onto", "of", "with", "the", "hot", "warm", "rye", "sourdough", "white", "brown", "wholemeal", "granary"]
    + ["each", "your", "some", "thick", "thin", "slices", "slice", "two", "three", "four", "six", "more", "cold", "crisp"]
    + ["seeded", "cut", "wholewheat", "multigrain"]
)
# what follows a verb, not the noun: "raise a toast to the cook", "the toast of the party", "let the slices toast under
# the grill", "toast in a dry pan", "so each toasts evenly"
_TOAST_VERB_AFTER = frozenset(["to", "of", "at", "under", "in", "evenly", "until", "for", "the", "them", "it", "lightly"])
_TOAST_PIECES = frozenset(["fingers", "soldiers", "triangles", "slices"])
_TOAST_DRINK_LEADS = (["propose"], ["raise"], ["drink"])
_TOAST_NOUN_AFTER = frozenset([",", ".", ";", ")"])  # "Serve with eggs and toast.", "Toast, to serve" (not a title's end)


# A bare "caramel" of a text that makes it from sugar ("150 g sugar for the caramel", "melt the sugar to a caramel",
# "Melt the sugar in the clay pot") is sugar cooked until it colours, and so is every bare caramel of that text (the
# title's "Crème Caramel"); a dairy caramel names its cream or butter, the bought kinds keep their names ("caramel
# sauce", "toffee", "milk caramel"), and the pantry's "caramel" with no sugar made into it keeps its curated verdict.
_COOKED_SUGARS = frozenset(["caramel"])


def _bought_caramel(ftext: str, s: int, reading: _Reading) -> bool:
    """ "1 x 397 g tin caramel": listed with no sugar on its line, the caramel is a bought one."""
    if not reading.on_ingredient_line:
        return False
    start, end = ftext.rfind("\n", 0, s) + 1, ftext.find("\n", s)
    return "sugar" not in ftext[start : end if end >= 0 else len(ftext)]


_SUGAR_CARAMEL_RE = re.compile(
    r"\bsugar\b[^\n.;]*\b(?:for|to|into)[ \t]+(?:a|an|the)[ \t]+(?:[^\W\d_]+[ \t]+){0,2}caramel\b"  # "sugar for the caramel"
    r"|\bfor[ \t]+the[ \t]+caramel\b[^\n]*\bsugar\b"  # "For the caramel: 150 g sugar"
    # "Melt the sugar in the pot until it turns the colour of strong tea"
    r"|\b(?:melt|cook|heat|boil)[a-z]*[ \t]+(?:the[ \t]+)?(?:[^\W\d_]+[ \t]+)?sugar\b[^\n.]*\b(?:amber|caramel|colour|color)\b"
)
# "Chicken-Fried Steak", "chicken fried steak": a way of frying a steak (not "chicken-fried rice" or "chicken fried rice")
_CHICKEN_FRIED_RE = re.compile(r"(?:-|[ \t]+)fried[ \t]+steaks?\b")
# "until the rice is dry and crackling at the bottom", "the oil starts crackling": the sound, not pork crackling (not
# "roast until crackling forms", "the best bit is crackling")
_CRACKLING_VERB_LEADS = frozenset(["start", "starts", "started", "begins", "keeps", "stops"])
_CRACKLING_SOUND_PAIRS = frozenset(
    ["dry", "crisp", "hot", "sizzling", "popping", "spitting", "bubbling", "hissing", "golden", "blistered"]
)


def _is_crackling_sound(words: list[str]) -> bool:
    if words[:1] == ["and"]:
        return words[1:2] != [] and words[1] in _CRACKLING_SOUND_PAIRS
    return words[:1] != [] and words[0] in _CRACKLING_VERB_LEADS


# The ribs of a leaf: "2 ribs celery", "chard ribs", "peel off 12 leaves, shaving the thick ribs" (not "sticky rhubarb
# ribs", "thick ribs ... serve with kale")
_RIB_WORDS = frozenset(["rib", "ribs"])
_LEAVES = r"(?:celery|chard|kale|cabbages?|lettuces?|collards?|leaf|leaves|bok[ \t]+choy|pak[ \t]+choi)"
_LEAF_RIB_LEADS = frozenset(["thick", "tough", "central", "hard", "woody", "stringy", "fibrous", "their", "its", "stalky"])
_LEAF_AFTER_RE = re.compile(r"[ \t]+(?:of[ \t]+(?:the[ \t]+|each[ \t]+)?)?" + _LEAVES + r"(?![^\W_]|-|[ \t]+(?:salt|seeds?)\b)")
_LEAF_BEFORE_RE = re.compile(r"\b" + _LEAVES + r"\b[^.!?;\n]{0,60}$")
_LEAF_WORD_RE = re.compile(_LEAVES)


def _is_leaf_rib(ftext: str, i: int, found: _Found, words: list[str]) -> bool:
    s, e, _ = found[i]
    if _LEAF_AFTER_RE.match(ftext, e):
        return True  # "2 ribs celery", "the ribs of the chard"
    if words[:1] and _LEAF_WORD_RE.fullmatch(words[0]):
        return True  # "chard ribs", "slice the kale ribs"
    # "peel off 12 leaves, shaving the thick ribs": leaves earlier in the sentence and no meat anywhere in the text
    return (
        words[:1] != []
        and words[0] in _LEAF_RIB_LEADS
        and _LEAF_BEFORE_RE.search(ftext, max(0, s - 80), s) is not None
        and not any(j != i and _MEAT_TAGS & set(ing.tags) for j, (_, _, ing) in enumerate(found))
    )


# "keep the aquafaba for meringues": meringues of the egg-white stand-in (not "100 g caster sugar for meringues")
_MERINGUES = frozenset(["meringue", "meringues"])
_AQUAFABA_FOR_RE = re.compile(
    r"\b(?:aquafaba|chickpea[ \t]+(?:water|brine|liquid))\b[^.;:!?\n]{0,40}\bfor[ \t]+(?:the[ \t]+|your[ \t]+|a[ \t]+)?$"
)

_BARE_WORD_RULES = (
    _TOAST_WORDS | _CURD_WORDS | _COOKED_SUGARS | _RIB_WORDS | _MERINGUES | {"chicken", "crackling", "gravy", "nut"}
)
_ONLY_NUTMEG_RE = re.compile(r"[ \t]+(?:[^\W\d_]+[ \t]+){0,3}?(?:is|was)[ \t]+(?:the[ \t]+|a[ \t]+|some[ \t]+)?nutmeg\b")
# "Thicken the gravy with arrowroot": the gravy this recipe makes, whose makings are named (decision 297)
_THICKEN_LEADS = (["the", "thicken"], ["the", "thickening"], ["your", "thicken"])


# Why a food is left out, in brackets right after it: "Skip the Worcestershire sauce (it contains anchovies)", "no vanilla
# extract (it contains alcohol)" (not "Avoid overmixing the batter (it contains flour)", "never leave out the topping")
_SKIP_REASON_RE = re.compile(r"[ \t]*\((?:it|they|which)?[ \t]*contains?[ \t]+")
_SKIPS_FOOD_RE = re.compile(
    r"\b(?:skip|omit|leave[ \t]+out|avoid|no|without)[ \t]+(?:(?:the|any|a|an)[ \t]+)?"
    r"(?:(?:regular|ordinary|standard|bottled|shop[ \t\-]bought)[ \t]+)?$"
)
# ... unless the clause denies the skip ("There's no reason to skip", "never leave out", "can't skip") or "no" is a
# measure of what is left ("Stir until no glaze (it contains egg) is left")
_SKIP_DENIED_RE = re.compile(
    r"\b(?:no[ \t]+(?:reason|need)|not|never|don't|can't|cannot|wouldn't|won't|dare|until|till|once|when)\b|n't\b"
)


def _is_skip_reason(ftext: str, s: int, before: tuple[int, int, Ingredient]) -> bool:
    """Is the food the bracketed reason a food right before it is skipped ("Skip the Worcestershire sauce (it contains
    anchovies)")?"""
    b_start, b_end, _ = before
    if _SKIP_REASON_RE.fullmatch(ftext, b_end, s) is None:
        return False
    skip = _SKIPS_FOOD_RE.search(ftext, max(0, b_start - 40), b_start)
    if skip is None:
        return False
    clause_start = max(ftext.rfind(c, 0, skip.start()) for c in ".!?\n;:,") + 1
    return _SKIP_DENIED_RE.search(ftext, clause_start, skip.start()) is None


def _is_toast_noun(ftext: str, s: int, e: int, words: list[str]) -> bool:
    # a dish named after its topping ("Prawn toasts", "French toast", "Kaya Toast") only implies its bread (decision 2)
    nxt = _next_word(ftext, e)
    if ftext[s - 1 : s] == "-" or nxt in _TOAST_VERB_AFTER or words[1:2] in _TOAST_DRINK_LEADS:
        return False  # "propose a toast", "raise a toast": a drink
    if ftext[e : e + 1] in _TOAST_NOUN_AFTER or nxt in _TOAST_PIECES:
        return True  # "toast fingers", "toast soldiers"
    return bool(words) and words[0] in _TOAST_NOUN_LEADS


def _clear_bakes_of_cleared_bread(readings: list[_Reading], lines: _Lines) -> None:
    """ "2 slices gluten-free sourdough" ... "pile onto the toast", "Drop Scones" of gluten-free self-raising flour: an
    unlisted toast, scone or roll is made of the text's listed bread or flour, so where that is qualified gluten-free
    and nothing listed is wheat, it is too."""
    bakes = [r for r in readings if r.remaining == ("gluten-grain",) and r.head in _BAKE_HEADS and not r.listed(lines)]
    if not bakes:
        return
    listed = [x for x in readings if x.head in _BREAD_OR_BAKE_HEADS and not x.not_food and x.listed(lines)]
    if any(x.remaining for x in listed) or not any(x.exempt and not x.lead_cleared for x in listed):
        return
    for r in bakes:
        r.remaining = ()


_BAKE_HEADS = _TOAST_WORDS | {"scone", "scones", "roll", "rolls"}
_BREAD_HEADS = frozenset(
    ["bread", "sourdough", "loaf", "baguette", "bagel", "bagels", "muffin", "muffins", "rolls", "brioche", "flour", "mix"]
)
_BREAD_OR_BAKE_HEADS = _BREAD_HEADS | _BAKE_HEADS


_CLAIM_CUE_RE = re.compile(r"(?:this (?:one|version|recipe)|mine|ours) is ")
# the next sentence says this recipe is made to a diet: "Very old recipes had real minced meat in them, and most still
# use shredded kidney fat. This one is vegetarian all the way through."
_NEXT_SENTENCE_CLAIM_RE = re.compile(
    r"[^.!?\n;]{0,200}?[.!?][ \t]+(?:this[ \t]+(?:one|version|recipe)|mine|ours)[ \t]+is[ \t]+"
    r"(?:(?:completely|entirely|totally|fully|wholly|properly|always)[ \t]+)?"
    r"(vegetarian|vegan|meat[ \t-]free|plant[ \t-]based|dairy[ \t-]free|gluten[ \t-]free|nut[ \t-]free|egg[ \t-]free)"
    # the claim is whole: no "-friendly", "if you skip the cheese", "apart from the honey", "enough"
    r"(?:[ \t]+(?:all[ \t]+the[ \t]+way[ \t]+through|through[ \t]+and[ \t]+through|throughout))?[ \t]*[.!](?=\s|$)"
)
# what the mention's sentence must say of the food: other, older or usual recipes ("Very old recipes had ...")
_OLD_RECIPES_RE = re.compile(
    r"\b(?:old|older|earlier|traditional|original|classic)[ \t]+(?:[^\W_]+[ \t]+)?(?:recipes?|versions?)\b"
)


def _claimed_next(ftext: str, end: int, bad: tuple[str, ...], qualifiers: _QualifierMap) -> bool:
    m = _NEXT_SENTENCE_CLAIM_RE.match(ftext, end)
    if m is None:
        return False
    since = max(ftext.rfind(c, 0, end) for c in ".!?\n;") + 1
    if _OLD_RECIPES_RE.search(ftext, since, end) is None and _ATTRIBUTION_RE.search(ftext, since, end) is None:
        return False  # "Top with shaved Parmesan. This one is vegetarian.": said of this recipe's own food
    cleared = qualifiers.get(tuple(m.group(1).replace("-", " ").split()), frozenset())
    return set(bad) <= cleared  # the diet it claims clears what the food offends


_BROTHS = frozenset(["broth", "stock"])
_MUSHROOM_KINDS = (
    r"(?:straw|shiitake|enoki|king|button|chestnut|portobello|porcini|chanterelle|maitake|cremini|wood[ \t]+ear|shimeji)"
)
_MUSHROOM_PAIR_RE = re.compile(
    r"(?:[ \t]*,[ \t]*" + _MUSHROOM_KINDS + r")*[ \t]+(?:and|or|&)[ \t]+" + _MUSHROOM_KINDS + r"[ \t]+mushrooms?\b"
)


def _names_a_plant(word: str, offences: Mapping[str, tuple[str, ...]]) -> bool:
    """ "chilli" in "chilli broth", "mushroom" in "mushroom stock": an allowed food that is no animal."""
    ing = detection().by_form.get(word)
    return ing is not None and ing.name not in offences and not _PLANT_TAGS.isdisjoint(ing.tags)


_PLANT_TAGS = frozenset(["vegetable", "mushroom", "fruit", "herb", "spice", "legume"])
# A stock whose bracket names only plants as its source: "4 tbsp cold dashi (kombu and shiitake)"
_PLANT_SOURCED = _BROTHS | {"dashi"}
_STOCK_AND_OYSTER = _PLANT_SOURCED | {"oyster"}
_PLANT_STOCK_WORD = r"(?:dried[ \t]+)?(?:kombu|konbu|kelp|shiitake|seaweed|vegetables?|mushrooms?)"
_PLANT_SOURCE_AFTER_RE = re.compile(
    r"[ \t]*\((?:made[ \t]+(?:from|with)[ \t]+|from[ \t]+)?"
    + _PLANT_STOCK_WORD
    + r"(?:[ \t]*(?:,|&|/|and|,[ \t]*and)[ \t]*"
    + _PLANT_STOCK_WORD
    + r")*(?:[ \t]+only)?[ \t]*\)"
)


# Dishes a recipe makes from what it names before them: "150 ml red wine for the gravy", "use beef stock for a richer
# gravy", "pork shoulder, cut into cubes for the carnitas", "the juice of 4 lemons for the curd". Those foods carry the
# verdict; the dish word only implies them (decision 2). Dishes whose classic form adds an unnamed forbidden food
# (pesto, custard, mayonnaise) are left out.
_MADE_DISHES = frozenset(["gravy", "carnitas", "curd", "burgers"])  # burgers: decision 384
_FOR_DETERMINERS = frozenset(["the", "a", "your", "my", "our", "this"])


def _is_made_for(ftext: str, words: list[str], prev_end: int, start: int) -> bool:
    """ "for the gravy", "for a richer gravy", right after a food named in the same clause."""
    k = next((n for n in range(3) if words[n : n + 1] and words[n] in _FOR_DETERMINERS), -1)
    if k < 0 or words[k + 1 : k + 2] != ["for"]:
        return False
    gap = ftext[prev_end:start]
    return len(gap) <= 60 and not any(c in gap for c in ".;:!?\n")


# Words naming a whole food group, which a condition on the eaters names as their diet: "If you eat dairy, a spoonful
# of soured cream is lovely" (the soured cream is the food; "If you eat bacon, ..." names a food and stays).
_FOOD_GROUPS = frozenset(["dairy", "meat", "fish", "seafood", "shellfish", "gluten", "nuts", "pork", "eggs", "wheat"])
_EATERS_LEADS = frozenset(["if", "when", "whoever", "anyone"])
_CONTEXT_HEADS = _MADE_DISHES | _FOOD_GROUPS | frozenset(["flatbread", "flatbreads", "roti", "rotis"])


_NO_ISSUE_AFTER_RE = re.compile(
    r"[ \t]+(?:isn['\u2019]t|is[ \t]+not|is[ \t]+no|aren['\u2019]t|are[ \t]+not)[ \t]+(?:an?[ \t]+)?(?:issue|problem|concern)\b"
)


def _is_eaters_condition(words: list[str]) -> bool:
    """ "if you eat", "if you do eat", "if your family eats", "anyone who can eat": the eaters' diet as a condition."""
    if not words or words[0] not in ("eat", "eats"):
        return False
    rest = words[1:4]
    if rest[:1] in (["do"], ["does"], ["can"]):
        rest = words[2:5]
    return (
        len(rest) >= 2
        and rest[0] in ("you", "everyone", "they", "family", "guests", "kids")
        and rest[1] in _EATERS_LEADS
        or (len(rest) >= 3 and rest[1] == "your" and rest[2] in _EATERS_LEADS)
    )


# A quoted name that opens with what it is made of is that material's product, not a plant stand-in for another food:
# 'seitan ("wheat meat")' is wheat, unlike 'jackfruit "pulled pork"' or 'cauliflower "couscous"'.
_MATERIAL_LEADS = frozenset(["wheat", "gluten", "barley", "rye", "spelt"])


# "300 g lemon curd (vegan)", "4 sausages (vegetarian brand)": a diet qualifier in brackets right after the food
_BRACKET_AFTER_RE = re.compile(r"[ \t]*\(([^()\n,;]{1,30})[),;]")
_BRACKET_QUALIFIER_TAIL = frozenset(
    ["brand", "brands", "version", "kind", "type", "variety", "certified", "style", "one", "ones", "product"]
)


# "1 zabiha poussin or small chicken": the alternative after "or", with at most one describing word
_OR_GAP_RE = re.compile(r"[ \t]+or[ \t]+(?:[^\W_]+[ \t]+)?")


def _qualified_alternative(ftext: str, i: int, found: _Found, ctx: _Context, qualifiers: _QualifierMap) -> frozenset[str]:
    """ "1 zabiha poussin or small chicken": a certification qualifier ("halal", "zabiha") covers an alternative of the
    same kind of food. Qualifiers that say what a product lacks ("vegan cheese or cheddar") stay with their own food."""
    s, _, ing = found[i]
    ps, pe, prev = found[i - 1]
    if _OR_GAP_RE.fullmatch(ftext, pe, s) is None or not set(prev.tags) & set(ing.tags):
        return frozenset()
    before = ctx.words_before(ps)
    if not before or before[0] in _global_qualifier_words() or before[0] in _NOT_DIET_QUALIFIERS:
        return frozenset()
    return _qualifier_clears(qualifiers, before)


def _bracketed_qualifier(ftext: str, end: int, qualifiers: _QualifierMap) -> frozenset[str]:
    m = _BRACKET_AFTER_RE.match(ftext, end)
    if m is None:
        return frozenset()
    tokens = TOKEN_RE.findall(m.group(1))
    for n in (2, 1):
        key = tuple(tokens[:n])
        if (
            len(key) == n
            and key in qualifiers
            and key[0] not in _NOT_DIET_QUALIFIERS
            and _BRACKET_QUALIFIER_TAIL.issuperset(tokens[n:])
        ):
            return qualifiers[key]
    return frozenset()


def _glosses_qualified_name(ctx: _Context, start: int, qualifiers: _QualifierMap) -> frozenset[str]:
    """ "1 packet halal-certified jelly crystals (beef gelatine)": a bracketed gloss of a qualified name says what the
    qualified product is made of, so the qualifier covers it (only a short noun phrase: "(pork for the meat-eaters)" is
    a remark)."""
    text = ctx.text
    opened = text.rfind("(", max(0, start - _GLOSS_LEAD_MAX), start)
    if opened < 1 or text[opened - 1] not in " \t" or ")" in text[opened:start] or "\n" in text[opened:start]:
        return frozenset()
    closed = text.find(")", start)
    inside = text[opened + 1 : closed] if 0 <= closed - opened <= _GLOSS_MAX else ""
    if not inside or "," in inside or "\n" in inside:
        return frozenset()
    inside_words = TOKEN_RE.findall(inside)
    if not (_GLOSS_LEADS.isdisjoint(inside_words) and _GLOSS_CONTENT_WORDS.isdisjoint(inside_words)):
        return frozenset()  # "(contains parmesan)", "(may contain egg)", "(pork-based)": what is in it, not its name
    name = ctx.words_before(opened)
    # only a qualifier that makes the food itself acceptable ("halal ... (beef gelatine)"); one that says the product
    # is free of it ("vegan marshmallows (pork gelatine)", "dairy-free chocolate (milk)") is contradicted by the gloss
    if not (qualifiers.words - _NOT_DIET_QUALIFIERS - _global_qualifier_words()).intersection(name[:4]):
        return frozenset()
    return _qualifier_clears(qualifiers, name)


@functools.cache
def _global_qualifier_words() -> frozenset[str]:
    """Words of the qualifiers every diet shares ("vegan", "dairy free", "tofu"): each says what a product lacks."""
    return frozenset(w for phrase in matcher().qualifiers for w in phrase)


_GLOSS_CONTENT_WORDS = frozenset(
    ["contains", "contain", "containing", "may", "made", "has", "have", "includes", "include", "including", "based"]
)


# "my halal take on coq au vin", "a vegan version of shepherd's pie": the dish as this recipe makes it for the diet
_VERSION_OF = (["on", "take"], ["on", "twist"], ["on", "spin"], ["on", "riff"], ["of", "version"], ["of", "rendition"])
_VERSION_LEADS = frozenset(["on", "of"])
_VERSION_NOUNS = frozenset(v[1] for v in _VERSION_OF)
# "with beef it would be a cottage pie", "with cream it'd be heavier": what the dish would be, not what it is
_WOULD_AFTER_RE = re.compile(r"[ \t]+(?:it|this|that)(?:[ \t]+would|['\u2019]d)\b")
# "nobody at our taco night missed the cod", "no one will miss the eggs": what the dish does without
# "I leave off the usual cheese" (not "leave off the bacon until the last 5 minutes", "... if you like")
_LEAVE_OFF_RE = re.compile(r"\bleav(?:e|ing)[ \t]+off[ \t]+(?:the[ \t]+)?(?:(?:usual|customary|traditional)[ \t]+)?$")
_LATER_AFTER_RE = re.compile(
    r"[^.;:!?\n]{0,60}?\b(?:until|till|later|last|end|before[ \t]+serving|at[ \t]+the[ \t]+table|if[ \t]+you|then)\b"
)
# "glazed the way pork belly usually is,": a manner compared, after the participle it describes (not "the way butter is
# rubbed in", "I love the way bacon fat flavours the beans")
_WAY_IT_IS_RE = re.compile(
    r"[ \t]+(?:(?:usually|normally|typically|traditionally|often|always)[ \t]+)?(?:is|are|would[ \t]+be)"
    r"(?=[ \t]*(?:[.,;:!?)\n]|$))"
)
# "just as eggs would.", "as butter does in a roux": the modal ends the comparison (not "as yoghurt would curdle")
_AS_IT_WOULD_RE = re.compile(r"[ \t]+(?:would|do|does|did|could)(?=[ \t]*(?:[.,;:!?)\n]|$)|[ \t]+(?:in|with|here|too)\b)")
# "it chars at the edges just as dairy yoghurt does.": "dairy" or "animal" sets the compared food apart from this
# recipe's, and the modal ends the sentence (not "just as the wine did": that food, cooked earlier; "just as real butter
# does, so I use half and half", "works just as traditional chicken stock would, so use whichever")
_SETTING_APART = frozenset(["dairy", "animal"])
_JUST_AS_BEFORE_RE = re.compile(r"\b(?:just|exactly)[ \t]+as[ \t]+(?:(?:" + "|".join(sorted(_SETTING_APART)) + r")[ \t]+)?$")
_JUST_AS_AFTER_RE = re.compile(r"[ \t]+(?:would|do|does)" + _ENDS_HERE)


def _is_compared_just_as(ftext: str, i: int, found: list[tuple[int, int, Ingredient]], words: list[str]) -> bool:
    """Both mentions of "just as dairy yoghurt does.": the food after the word, and the word itself (a food of its own)."""
    s, e, _ = found[i]
    if words[0] in _SETTING_APART and words[1:2] == ["as"]:
        end = e  # "yoghurt"
    elif words[0] == "as" and ftext[s:e] in _SETTING_APART and i + 1 < len(found) and found[i + 1][0] == e + 1:
        end = found[i + 1][1]  # "dairy", before "yoghurt"
    else:
        return False
    return (
        _JUST_AS_AFTER_RE.match(ftext, end) is not None
        and _JUST_AS_BEFORE_RE.search(ftext, max(0, s - 40), s) is not None
        and not _used_earlier_in_sentence(ftext, i, found)
    )


_PLANT_LEAD_RE = re.compile(r"\b(?:coconut|oat|soy|soya|almond|cashew|vegan|plant-based|dairy-free|rice)[ \t-]+$")


def _used_earlier_in_sentence(ftext: str, i: int, found: list[tuple[int, int, Ingredient]]) -> bool:
    """ "Stir in a knob of real butter ... just as real butter does": the dish's own food, compared with itself (not "thick
    coconut yoghurt ... just as dairy yoghurt does")."""
    s, _, ing = found[i]
    for k in range(i - 1, -1, -1):
        start, end, other = found[k]
        if any(c in ftext[end:s] for c in ".!?\n"):
            return False
        if other.name == ing.name and _PLANT_LEAD_RE.search(ftext, max(0, start - 16), start) is None:
            return True
    return False


# "tofu does the paneer's job", "tempeh takes the bacon's place": the mention names what another food stands in for
_STAND_IN_AFTER_RE = re.compile(r"(?:['\u2019]s|s['\u2019])?[ \t]+(?:job|role|place|part)\b")
_STAND_IN_GAP = frozenset(["'", "\u2019", " ", "s"])
_STAND_IN_VERBS = frozenset(["do", "does", "doing", "did", "take", "takes", "taking", "took", "play", "plays", "playing"])
# Words that make an ingredient word a verb when they come first: "Chicken Out Chili", "the night you chicken out",
# "when you want to wine and dine friends" (not "a bottle of red wine and dinner").
_IDIOM_VERBS = {
    food: re.compile(r"[ \t]+" + after.replace(" ", r"[ \t]+") + r"\b")
    for food, after in (("chicken", "out"), ("wine", "and dine"))
}
_SUBJECTS = frozenset(["i", "you", "we", "they", "he", "she", "t", "never", "to", "might", "may", "will", "ll", "d"])


def _is_version_of(ftext: str, start: int, words: list[str], qualifiers: _QualifierMap) -> bool:
    """ "a vegan version of", "a plant-based take on the classic braised pork belly bun": up to three describing words
    (no "with", "and", ...) between the dish's own version and the food."""
    k = next((k for k in range(4) if words[k : k + 1] and words[k] in _VERSION_LEADS), -1)
    if k < 0 or words[k : k + 2] not in _VERSION_OF:
        return False
    if k and len(words) < k + 5:  # the six words read before a mention may cut the qualifier off: read its clause
        lo = max(0, start - 100)
        cut = max(ftext.rfind(c, lo, start) for c in ".!?;:,\n")
        words = TOKEN_RE.findall(ftext, cut + 1 if cut >= 0 else lo, start)[::-1]
    return (
        words[k : k + 2] in _VERSION_OF
        and len(words) > k + 2
        and words[k + 2] not in _NOT_DIET_QUALIFIERS
        and (_NOT_SKIPPABLE - {"the", "a", "an"}).isdisjoint(words[:k])
        and bool(_qualifier_clears(qualifiers, words[k + 2 :]))
    )


def _is_stand_in(ftext: str, start: int, end: int, words: list[str]) -> int:
    """1: "tofu does the paneer's job" (a later bare mention means the stand-in); 2: "does the work of eggs"; 0: neither."""
    w0 = words[0]
    # "tofu does the paneer's job", "the tofu does paneer's job here"
    lead = 0 if w0 in _STAND_IN_VERBS else 1 if w0 == "the" and len(words) > 1 and words[1] in _STAND_IN_VERBS else -1
    if lead >= 0 and ftext[end : end + 1] in _STAND_IN_GAP:
        after = _STAND_IN_AFTER_RE.match(ftext, end)
        if after is not None and (lead or after.group(0)[:1] in "'\u2019"):
            return 1
    # "coconut cream does the work of dairy", "the lentils do the job the beef mince usually does"
    if _WORK_WORDS.isdisjoint(words):
        return 0
    before = _STAND_IN_BEFORE_RE.search(ftext, max(0, start - 60), start)
    if before is None and _bare_job(ftext, start, end):
        return 2  # "Agar does the job gelatine usually does"
    if before is None:
        what = _DOES_WHAT_RE.search(ftext, max(0, start - 20), start)
        return 2 if what is not None and _WHAT_WOULD_RE.match(ftext, end) is not None else 0
    if before.group(1) is not None:  # "does the work of eggs", not "does the work of crisping the bacon"
        return 0 if _GERUND_RE.search(before.group(1)) else 2
    # "do the job the pancetta usually does", not "does the job the bacon fat needs"
    return 2 if _STAND_IN_DOES_AFTER_RE.match(ftext, end) is not None else 0


_WORK_WORDS = frozenset(["work", "job", "everything", "what"])  # "does what the yolks would"
# "Agar does the job gelatine usually does": no article before the food, so the habit word must say it is the usual one
# (not "Nothing else does the job butter does", "Agar can't do the job gelatine does", "No egg replacer does the job ...")
_BARE_JOB_RE = re.compile(r"(?<!never )(?<!not )(?<!n't )(?<!n\u2019t )\b(?:do|does|did)[ \t]+the[ \t]+(?:same[ \t]+)?job[ \t]+$")
_USUALLY_DOES_RE = re.compile(r"[ \t]+(?:usually|normally|typically|traditionally|otherwise)[ \t]+(?:does|did|do|would)\b")
_NO_SUBJECT_RE = re.compile(r"(?:\b(?:no|nothing|not|never|cannot)\b|n['\u2019]t\b)[^.;:!?\n]*$")  # "didn't quite do"


def _bare_job(ftext: str, start: int, end: int) -> bool:
    job = _BARE_JOB_RE.search(ftext, max(0, start - 30), start)
    if job is None or _USUALLY_DOES_RE.match(ftext, end) is None:
        return False
    return _NO_SUBJECT_RE.search(ftext, max(0, job.start() - 40), job.start()) is None


_STAND_IN_BEFORE_RE = re.compile(
    r"\b(?:do|does|doing|did)[ \t]+the[ \t]+(?:same[ \t]+)?(?:work|job)[ \t]+"
    r"(?:of[ \t]+([^.;:!?\n,()]{0,25})|that[ \t]+(?:the[ \t]+)?|the[ \t]+)$"  # "do the work that eggs usually would"
    # "sunflower seeds do everything pine nuts would" (not "margarine never does everything butter does")
    r"|(?<!never )(?<!not )(?<!n't )(?<!n\u2019t )\b(?:do|does)[ \t]+everything[ \t]+(?:that[ \t]+)?(?:the[ \t]+)?$"
)
# "its sulphurous smell does what the yolks would" (not "let it do what chorizo does best")
_DOES_WHAT_RE = re.compile(r"(?<!never )(?<!not )(?<!n't )(?<!n\u2019t )\b(?:do|does)[ \t]+what[ \t]+(?:the[ \t]+)?$")
_WHAT_WOULD_RE = re.compile(r"[ \t]+(?:usually[ \t]+|normally[ \t]+)?would\b")
_GERUND_RE = re.compile(r"[^\W_]{2,}ing\b")
_STAND_IN_DOES_AFTER_RE = re.compile(
    r"(?:[ \t]+(?:usually|normally|would|typically|often|traditionally|otherwise|always))*[ \t]+(?:does|did|do|would|plays)\b"
)


def _is_shaped(words: list[str]) -> bool:
    """ "shape into 8 sausages", "cut the tofu into lardons": a meat form after "into" is the shape given to food the
    recipe already has, not that food; a later "the sausages" then means these shapes. Only meat forms: "cut into
    tagliatelle" and "press into panko" name what the food is or gets."""
    near = words[:3]
    if "into" not in near:
        return False  # most mentions: one list test
    into = near.index("into")
    # "shape into 8 sausages", "flatten each log into a long tongue" (not "roll each spoonful into a meatball", a review's
    # probe: an article alone leaves the meat form a food)
    lead = words[:into]
    sized = all(w.isdigit() or w in _SHAPE_SIZES or w in _ANY_ONE for w in lead) and not (lead and _ANY_ONE.issuperset(lead))
    return sized and any(w in _SHAPING_VERBS for w in words[into + 1 : into + 4])


# "cook the mushrooms until browned: this is your mince": what the step made is named as the food it stands for
_THIS_IS = (["is", "this"], ["are", "these"], ["becomes", "this"], ["become", "these"], ["now", "is"], ["now", "are"])


def _names_another_of_its_kind(
    found: _Found, i: int, offences: Mapping[str, tuple[str, ...]], bad: tuple[str, ...], negated: Callable[[int], bool]
) -> bool:
    """Does the text name, anywhere and not negated, another food that offends the same way (not the named food itself:
    "this is your mince ... add the mince")?"""
    name = found[i][2].name
    kinds = set(bad) | (_MEAT_TAGS if not _MEAT_TAGS.isdisjoint(bad) else set())  # leftover pork makes a "mince" too
    return any(
        ing.name != name and not kinds.isdisjoint(offences.get(ing.name, ())) and not negated(j)
        for j, (_, _, ing) in enumerate(found)
    )


_SHAPING_VERBS = frozenset(
    ["shape", "shaped", "shaping", "form", "formed", "forming", "roll", "rolled", "rolling", "mould", "moulded"]
    + ["slice", "sliced", "slicing"]  # "400 g firm tofu, sliced into 4 steaks"
    + ["mold", "molded", "divide", "divided", "cut", "pat", "patted", "press", "pressed"]
    + ["coil", "coiled", "coiling"]  # "fold into a long strip and coil it into a snail"
    + ["flatten", "flattened", "stretch", "stretched"]  # "Flatten each log into a long tongue"
)
_MEAT_FORM_CATEGORIES = frozenset(["meat", "pork", "poultry"])
_SHAPE_SIZES = frozenset(["small", "little", "mini", "thin", "thick", "long", "flat", "round", "large", "big", "equal", "even"])


# Words that say a mention is the plain, unqualified food, so it cannot refer to a qualified one named before.
# "Use tamari, not ordinary soy sauce" (not "This is no ordinary chicken soup", "not your normal bread")
_NOT_ORDINARY_RE = re.compile(r",[ \t]*not[ \t]+(?:ordinary|regular|normal|standard)[ \t]+(?:[^\W_]+[ \t]+)?$")
_UNQUALIFIED = frozenset(["ordinary", "regular", "normal", "conventional", "supermarket"])  # "supermarket lamb will do"


def _join_compounds(ftext: str, readings: list[_Reading], qualifiers: _QualifierMap) -> list[_Reading]:
    """Adjacent mentions on one line are one phrase: "pork shoulder steaks", "8 sheets pork gelatine".

    The phrase keeps every offence of its parts and the words a later bare mention may use to
    refer to it ("the cheeks", "the gelatine"); an allowed modifier's words are not kept ("lemon
    chicken" ... "the lemon" is the lemon).
    """
    out: list[_Reading] = []
    for r in readings:
        prev = out[-1] if out else None
        if (
            prev is None
            or prev.end > r.start
            or not _may_join(ftext, prev.end, r.start)
            or not (
                _COMPOUND_GAP_RE.fullmatch(ftext, prev.end, r.start)
                # "6 lamb's kidneys", "pig's trotters": an animal's part, when both still offend (not "goat's milk")
                or (prev.remaining and r.remaining and _POSSESSIVE_GAP_RE.fullmatch(ftext, prev.end, r.start))
            )
            or r.words[0] in _PHRASE_LEADS  # "lift the fillets off the bones": a new phrase, not a compound
        ):
            out.append(r)
            continue
        if r.exempt and len(r.words) == 1 and _FREE_AFTER_RE.match(ftext, r.end):
            # "keeps this gravy gluten-free": said of the food before it, not a compound "gravy gluten"
            freed = qualifiers.get((r.words[0], "free"), frozenset())
            prev.remaining = tuple(t for t in prev.remaining if t not in freed)
            out.append(r)
            continue
        if prev.lead_cleared:
            r.remaining = ()  # what cleared the phrase's first word clears the phrase: "like pork carnitas"
        remaining = tuple(dict.fromkeys(r.remaining + prev.remaining))
        # "zabiha lamb leg", "lamb neck" (halal): the phrase is the lamb (cleared or allowed), not the part, so "the meat" can
        # refer to it
        main = (
            prev
            if (r.ingredient is PART and (prev.offends or prev.ingredient.tags)) or (prev.remaining and not r.remaining)
            else r
        )
        words = tuple(dict.fromkeys((prev.words if prev.offends else ()) + r.words))
        exempt = not remaining and (prev.exempt or r.exempt)
        span = (
            prev.reported()[0] if prev.offends or not r.offends else r.start,
            r.end if r.offends or r.ingredient is PART or not prev.offends else prev.reported()[1],
        )  # neither offends yet: a reference may make the whole phrase offend ("Beef Lasagne")
        out[-1] = _Reading(
            prev.start,
            r.end,
            main.ingredient,
            remaining,
            exempt,
            prev.on_ingredient_line,
            r.head,
            words,
            prev.offends or r.offends,
            span,
            prev.lead_cleared,
            defines=not remaining and (prev.defines or r.defines),
        )
    return out


_FREE_AFTER_RE = re.compile(r"[ \t]*-?[ \t]*free\b")


def _join_blends(ftext: str, out: list[_Reading]) -> None:
    """ "6 pork and leek sausages", "500 g beef and pork mince": on an ingredient line, a meat and another word before
    a product made of ground meat are one food, the product; "the sausages" then refers to the whole of it."""
    for k in range(len(out) - 1, 0, -1):  # from the end: a merge shortens the list behind k only
        r = out[k]
        if r.head in _BROTH_HEADS and len(r.words) <= 2:
            _join_broth_blend(ftext, out, k)
            continue
        if r.head not in _BLEND_HEADS:
            continue
        prev = out[k - 1]
        if (
            not prev.remaining
            or prev.on_ingredient_line is not True
            or not _MEAT_TAGS.intersection(prev.ingredient.tags)
            or len(_words_of(ftext[r.start : r.end])) < 2
            or _AND_GAP_RE.fullmatch(ftext, prev.end, r.start) is None
        ):
            continue
        main = r if r.remaining else prev
        del out[k]
        out[k - 1] = _blend_of(prev, r, main.ingredient, tuple(dict.fromkeys(prev.remaining + r.remaining)))
        out[k - 1].span = (prev.reported()[0], r.end)


def _join_broth_blend(ftext: str, out: list[_Reading], k: int) -> None:
    """ "300 ml anchovy and kelp stock": a listed stock made of a flesh and another food, one food; "add the clams and
    stock" then refers to it. Not a product of the flesh before it ("fish sauce and vegetable stock" are two foods)."""
    r, prev = out[k], out[k - 1]
    if prev.on_ingredient_line is not True or not prev.remaining:  # the gap below keeps r on its line
        return
    gap = _AND_GAP_RE if len(r.words) == 2 else _AND_WORD_GAP_RE
    if _FLESH_TAGS.isdisjoint(prev.remaining) or prev.head in _FLESH_PRODUCT_HEADS or not gap.fullmatch(ftext, prev.end, r.start):
        return
    del out[k]
    out[k - 1] = _blend_of(prev, r, prev.ingredient, prev.remaining)
    out[k - 1].span = prev.reported()


def _blend_of(prev: _Reading, r: _Reading, ingredient: Ingredient, remaining: tuple[str, ...]) -> _Reading:
    """One listed food made of two adjacent mentions ("pork and leek sausages"): the later one's head, both their words."""
    words = tuple(dict.fromkeys(prev.words + r.words))
    return _Reading(prev.start, r.end, ingredient, remaining, False, True, r.head, words, offends=True)


_BROTH_HEADS = frozenset(["stock", "broth"])
_FLESH_PRODUCT_HEADS = frozenset(["sauce", "paste", "oil", "powder", "flakes", "extract", "cube", "cubes", "granules"])
_AND_WORD_GAP_RE = re.compile(r"[ \t]+and[ \t]+[^\W\d_]+[ \t]+")


# What ground meat is made into: the head of "pork and apple sausages", "lamb and mint burgers".
_BLEND_HEADS = frozenset(
    ["sausages", "sausage", "mince", "burgers", "burger", "patties", "meatballs", "bangers", "chipolatas", "sausagemeat"]
)


def _follow_sources(ftext: str, readings: list[_Reading], offences: Mapping[str, tuple[str, ...]], rennet_always: bool) -> None:
    """ "X made with Y", "X from Y": a food whose verdict depends on what it is made of follows what the text says it
    is made of. "Marshmallows made with halal-certified bovine gelatine" and "broth from zabiha lamb bones" are
    allowed; "Reblochon made with animal rennet" takes the rennet's offence, and so does any cheese where the diet
    always forbids the rennet ("Cheddar (made with animal rennet)" for a vegetarian; for strict halal the rennet
    carries it)."""
    ends = [x.end for x in readings]
    done: set[int] = set()
    for at, cue_end in sorted(_source_cues(ftext)):  # only the gaps that hold a cue, in text order
        k = bisect.bisect_right(ends, at) - 1
        if k < 0 or k in done or k + 1 >= len(readings):
            continue
        x, y = readings[k], readings[k + 1]
        gap = ftext[x.end : y.start]
        if y.start < cue_end or len(gap) > _SOURCE_GAP_MAX or x.not_food or y.not_food:
            continue
        done.add(k)
        if gap.lstrip(" \t")[:1] in "(,":
            # "Cheddar (made with animal rennet)", "chicken stock, made from halal chicken": a bracketed source or one
            # after a comma says the same
            gap = gap.lstrip(" \t")[1:]
        words = gap.split()
        thickened = words[:1] == ["thickened"]
        made = words[:1] in (["made"], ["thickened"]) and words[1:2] in (["with"], ["from"], ["using"])
        lead = 2 if made else int(words[:1] == ["from"])
        rest = words[lead:]
        if not lead or any(c in gap for c in _SOURCE_GAP_STOPS) or any(w in _NOT_SKIPPABLE for w in rest):
            continue
        if (
            x.ingredient.name in _FLOUR_THICKENED
            and y.ingredient.name in _GLUTEN_FREE_THICKENERS
            and not y.remaining
            and not any(_is_gluten_word(w) for w in x.words[:-1])  # "stout gravy", "malt vinegar gravy"
        ):
            # "white sauce made with cornflour and milk", "onion gravy thickened with cornflour": only the thickener
            # made it wheat
            x.remaining = tuple(t for t in x.remaining if t != "gluten-grain")
            x.exempt = x.exempt or not x.remaining
            continue
        if thickened:
            continue  # a thickener says nothing else of what the food is made from ("stock thickened with arrowroot")
        if x.remaining and not y.remaining and (y.exempt or y.ingredient.name not in offences):
            said = {_SOURCE_FAMILY.get(t, t) for t in offences.get(y.ingredient.name, ())}
            if set(x.remaining) <= set(x.ingredient.maybe) or {_SOURCE_FAMILY.get(t, t) for t in x.remaining} <= said:
                x.remaining, x.exempt = (), True
        elif not x.remaining and not x.exempt and y.remaining:
            # "Cheddar (made with animal rennet)": any cheese made with it takes the rennet's offence, and a stock, broth
            # or sausage its meat's ("a quick stock made from chicken carcasses"); a bake made with a forbidden food
            # ("Honey cake made with spelt flour", "shortcrust pastry made with lard") is a dish that food carries
            # (decision 2)
            bake = "gluten-grain" in x.ingredient.tags or "gluten-grain" in x.ingredient.maybe
            shared = tuple(
                t
                for t in y.remaining
                if (t in x.ingredient.maybe and not bake)
                or (rennet_always and t == "animal-rennet" and "dairy" in x.ingredient.tags)
            )
            if shared:
                x.remaining, x.offends = shared, True


_SOURCE_GAP_MAX = 50
_SOURCE_CUES = ("from", "made", "thickened")


def _source_cues(ftext: str) -> list[tuple[int, int]]:
    """Where "from", "made" and "thickened" occur (str.find: a C scan per word, cheaper than one alternation)."""
    found = []
    for cue in _SOURCE_CUES:
        at = ftext.find(cue)
        while at >= 0:
            found.append((at, at + len(cue)))
            at = ftext.find(cue, at + 1)
    return found


_GLUTEN_FREE_THICKENERS = frozenset(["cornstarch", "arrowroot", "potato starch", "rice flour", "tapioca"])


def _is_gluten_word(word: str) -> bool:
    ing = detection().by_form.get(word)
    return ing is not None and "gluten-grain" in ing.tags


# sauces that are wheat only by the flour that thickens them (not "soy sauce", "stout gravy": wheat or barley of their own)
_FLOUR_THICKENED = frozenset(["bechamel sauce", "gravy", "onion gravy", "mushroom gravy"])
_SOURCE_GAP_STOPS = frozenset(".,;:!?()\n")
# what a source statement says of the animal: "bovine gelatine" covers the gelatine's meat, pork or poultry
_SOURCE_FAMILY = {"meat": "animal", "poultry": "animal", "pork": "animal"}


def _after_the(ftext: str, start: int) -> bool:
    """ "the noodles", "the gravy": the word "the" right before the mention."""
    return ftext[max(0, start - 4) : start] == "the "


# "the legs and breasts", "the tripe and feet": a part joined to a word after "the" is after "the" too.
_PART_AFTER_THE_RE = re.compile(r"\bthe[ \t]+(?:[^\W\d_]+[ \t]+and[ \t]+)?$")


def _part_after_the(ftext: str, start: int) -> bool:
    """ "the cheeks", "the legs and breasts": a bare part named after "the" (alone or as the second of a pair)."""
    return _after_the(ftext, start) or (
        ftext[max(0, start - 5) : start] == " and " and _PART_AFTER_THE_RE.search(ftext, max(0, start - 30), start) is not None
    )


_DIGIT = r"[\d\u00bc-\u00be\u2150-\u215e]"  # a digit or a vulgar fraction ("½")
_QUANTITY_BEFORE_RE = re.compile(_DIGIT + r"[\d/.,]*[ \t]*(?:[^\W\d_]+[ \t]+)?$")


# A sentence that opens with an amount of the food: "Not vegan? Two eggs work just as well", "2 eggs will do".
_COUNT_OPENS_RE = re.compile(
    r"(?:^|[.!?:;\n])[ \t]*(?:" + _DIGIT + r"[\d/.,]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
    r"|a[ \t]+couple[ \t]+of)[ \t]+(?:[^\W\d_]+[ \t]+)?$"
)


def _counted(ftext: str, start: int) -> bool:
    """A sentence whose subject is an amount of the food ("Two eggs work just as well as the flax"): the food itself, not
    a stand-in named before; "this swap replaces two large eggs" and "the same as 50 g butter" still name the stand-in's
    food."""
    return _COUNT_OPENS_RE.search(ftext, max(0, start - 30), start) is not None


def _after_quantity(ftext: str, start: int) -> bool:
    """ "add 200 g noodles", "2 cups noodles": an amount of its own, so more of the food, not a reference."""
    return _QUANTITY_BEFORE_RE.search(ftext, max(0, start - 16), start) is not None


def _hypernym_referents(ftext: str, r: _Reading, readings: list[_Reading]) -> list[_Reading]:
    """ "the meat", "the cheese", "the fat": the other mentions of that kind of food."""
    # "the grated cheese" is still the bare kind: a form whose ingredient is its head word's
    tags = _HYPERNYM_TAGS.get(r.head) if len(r.words) == 1 or detection().surface.get(r.head) == r.ingredient.name else None
    if not tags:
        return []
    if r.head == "fat" and (
        ftext[r.end : r.end + 1] == "-"
        or not _FAT_DETERMINER_RE.search(ftext, max(0, r.start - 20), r.start)
        or _FAT_SIDE_RE.match(ftext, r.end) is not None
    ):
        return []  # "full-fat milk", "low-fat yoghurt", "stand them on their fat edge": an adjective
    if r.head in _THE_ONLY_HEADS:
        at = r.end - len(r.head)  # the head word itself: "the spring onion whites" is no bare "the whites"
        each = ftext[max(0, at - 5) : at] == "each " and r.head == "bird"  # "Bard each bird with pancetta"
        if not (_after_the(ftext, at) or each) or ftext[r.end : r.end + 3] == " of":  # "the whites of the leeks"
            return []
    if r.head == "noodles":
        if len(r.words) > 1 or _after_quantity(ftext, r.start):
            return []  # "150 g wheat noodles", "add 200 g noodles": a kind, or more noodles, not the listed ones
        # "100 g rice vermicelli" ... "the noodles": the listed noodles of any kind, where there are some
        kinds = [x for x in readings if x is not r and (x.ingredient.name.endswith(_NOODLE_KINDS) or x.head in _NOODLE_KINDS)]
        if kinds:
            return kinds
    found = [
        x
        for x in readings
        # isdisjoint: no set built per reading (this runs over every reading of the text)
        if x is not r and not (tags.isdisjoint(x.ingredient.tags) and tags.isdisjoint(x.ingredient.maybe))
    ]
    if r.head == "whites":  # "3 eggs, separated" ... "the whites": the eggs, not the listed sponge fingers' egg
        found = [x for x in found if x.head in ("egg", "eggs")] or found
    if r.head == "meat" and all(x.ingredient.name == r.ingredient.name for x in found):
        # no meat but the listed crab or lobster: "pick out the white meat" is its flesh
        found += [x for x in readings if not _SEAFOOD_TAGS.isdisjoint(x.ingredient.tags)]
    return found


_SEAFOOD_TAGS = frozenset(["fish", "shellfish"])
_FLESH_TAGS = frozenset(["meat", "pork", "poultry", "fish", "shellfish"])  # what a bare cut ("the fillets") is cut from
_NOT_FLESH_HEADS = frozenset(
    ["stock", "broth", "sauce", "powder", "fat", "gravy", "paste", "oil", "cube", "cubes", "bouillon", "lard", "dripping"]
    + ["gelatine", "gelatin", "flakes", "granules", "extract"]
)
# A part word that is also a tool: "the rack" is a listed meat's, not the rack in the fish kettle under a listed salmon
_TOOL_PARTS = frozenset(["rack"])
_NOODLE_KINDS = ("noodles", "vermicelli", "soba", "udon", "ramen", "somen")


def _clear_unlisted_dishes(ftext: str, readings: list[_Reading], lines: _Lines, title_cleared: frozenset[str]) -> None:
    """A recipe makes its dish from its list, so a dish it names but does not list offends only if
    something listed carries the same offence: a title dish named after a plant ("Black Bean
    Burgers") or only perhaps offending ("Seedy Granola"), and "the cheese sauce" of a recipe whose
    title names the diet ("Vegan Mac and 'Cheese'").
    """
    title_end = _title_end(ftext, lines)
    # a substring test saves a regex per mention in most texts
    makes = "mak" in ftext or "form" in ftext or " to a" in ftext or "into a" in ftext or " is your " in ftext
    title_heads: set[str] = set()  # every word: "Pumpkin Seed Pesto Pasta" names the pesto too
    flour_breads: set[str] = set()
    defined_title: set[str] = set()
    for r in readings:
        if r.start >= title_end:
            break  # readings are in text order
        title_heads.update(r.words)
        if r.defines and not r.remaining:
            defined_title.update(r.words)  # 'Cashew Mac and Cheese' ... "the cheese sauce" is that dish's sauce
            if r.ingredient.name in _FLATBREADS:
                flour_breads.update(r.words)  # a title flatbread named for its flour: "Jowar Bhakri (Sorghum Flatbread)"
    if flour_breads:  # "Everyday bread on my aaji's farm"
        title_heads.update(h[4:] for h in flour_breads if h.startswith("flat"))
    title_words = {w.strip(_QUOTES) for w in title_heads} if title_cleared else set()  # 'Mac and "Cheese"'
    unlisted = [
        r
        for r in readings
        if r.remaining
        and not r.exempt
        and not r.listed(lines)
        and (
            r.start < title_end
            or (title_cleared and r.head in _GENERIC_HEADS and (len(r.words) == 1 or r.words[0] in title_words))
            or (makes and _is_made_here(ftext, r))
            or r.head in title_heads
            or (r.head in _OWN_MIXTURES and len(r.words) == 1 and _after_the(ftext, r.start))
            or (len(r.words) == 2 and r.head in _GENERIC_HEADS and r.words[0] in defined_title)
        )
    ]
    if not unlisted:
        return
    listed = [r for r in readings if r.listed(lines)]
    listed_offences = {t for r in listed for t in r.remaining}
    made_heads: set[str] = set()
    for r in unlisted:  # "Lemon Curd Tart" over its listed eggs and butter: those carry it (decision 2)
        if r.start < title_end and r.ingredient.name in _MADE_DISH_NAMES and set(r.remaining) <= listed_offences:
            r.remaining = ()
        elif (
            r.start < title_end
            and r.words == (r.ingredient.name,)  # "Garlic Naan", not "Cheese Naan" or "Butter Naan" (decision 2)
            and set(r.remaining) <= _MADE_BREADS.get(r.ingredient.name, set()) & listed_offences
            and any(x.ingredient.name.endswith("flour") for x in listed)  # made here, not "shop-bought naan"
        ):
            r.remaining = ()  # "Garlic Naan" over its listed flour, yoghurt and ghee: a bread name (decision 420)
            made_heads.update(r.words)
        elif (
            r.head in _MINCE_SHAPES
            and r.words[0] == r.head
            and any(_is_listed_mince(x) for x in listed)
            and not any(x.head in _MINCE_SHAPES for x in listed)  # not over "4 beef burgers"
        ):
            r.remaining = ()  # "Smash Burgers" over "600 g zabiha beef mince": the shape of the listed mince (decision 226)
            made_heads.update(r.words)
    if len({lines.text.rfind("\n", 0, r.start) for r in listed}) < 3:
        return  # not a whole recipe with an ingredient list
    # title dishes cleared here: "Keep the pesto in a jar" is that dish; "cook each naan" the bread the list makes
    dish_heads: set[str] = set(flour_breads) | made_heads
    # the text names the allowed version later ("shape into 8 sausages", 'tofu "feta"'): the title dish is that
    defined_later = {x.head for x in readings if x.defines and x.start >= title_end}
    # the title names the allowed version of the dish's kind: "Raclette Night with Vegan Cheese"
    title_defined = {t for x in readings if x.defines and x.offends and x.start < title_end for t in x.ingredient.tags}
    misnamed = ("despite" in ftext or "spite" in ftext) and _MISNAMED_RE.search(ftext) is not None
    misnamed_dishes: set[str] = set()
    # "Pork and Fennel Sausages" over a listed pork shoulder: the sausages' meat is that pork (not over hog casings)
    carried = listed_offences | _MEAT_TAGS if any(_is_listed_meat(x) for x in listed) else listed_offences
    for r in unlisted:
        if set(r.remaining) & carried:
            continue
        if r.start < title_end:
            plant_named = r.reported()[0] > r.start  # an allowed food names it: "Beetroot Burgers"
            if (
                plant_named
                or (r.head == "pesto" and _seed_pesto(ftext, readings, r))  # "Sunflower Seed and Basil Pesto"
                or not set(r.remaining) & set(r.ingredient.tags)
                or r.head in defined_later
                or set(r.remaining) <= title_defined
                or misnamed
            ):
                r.remaining = ()
                dish_heads.update(r.words)  # "Pumpkin Seed Pesto Pasta" ... "toss the pesto"
                if misnamed:
                    misnamed_dishes.add(r.ingredient.name)
        elif r.ingredient.name in misnamed_dishes:
            r.remaining = ()  # "Irish Honeycomb ... Despite its name, it contains no bee honeycomb"
        elif _after_the(ftext, r.start) and (
            r.head in dish_heads
            # "the cheese sauce" of 'Vegan Mac and "Cheese"', not "the prawn curry" of "Vegan Chickpea Curry"
            or (
                set(r.remaining) <= title_cleared
                and r.head in _GENERIC_HEADS
                and (len(r.words) == 1 or r.words[0] in title_words)
            )
            or (len(r.words) == 2 and r.head in _GENERIC_HEADS and r.words[0] in defined_title)
        ):
            r.remaining = ()
        elif makes and r.start >= title_end and _is_made_here(ftext, r):
            r.remaining, r.defines = (), True
        elif r.head in _OWN_MIXTURES and len(r.words) == 1 and _after_the(ftext, r.start) and _makes_gravy(ftext):
            r.remaining = ()  # "the stout gives the gravy its depth": the gravy the recipe makes from its list
    if dish_heads:  # the headnote speaks of the title dish: "Sorghum Flatbread" ... "Everyday bread on my aaji's farm"
        note_end = ftext.find("\n", title_end + 1)
        for r in readings:
            if (
                r.remaining
                and title_end < r.start < note_end
                and any(h.endswith(r.head) for h in dish_heads)
                and not r.listed(lines)
            ):
                r.remaining = ()


_NUTS = frozenset(["tree-nut", "peanut"])


def _seed_pesto(ftext: str, readings: list[_Reading], r: _Reading) -> bool:
    """ "Pumpkin Seed and Coriander Pesto": an allowed seed joined by "and" to a pesto named for its herb is what the
    pesto is made of (not "Walnut Pesto", nor "Sesame Seed Crusted Tofu with Walnut Pesto")."""
    if len(r.words) > 2 or any(_names_a_nut(w) for w in r.words[:-1]):
        return False
    return any(
        not x.remaining and x.words[-1:] in (("seed",), ("seeds",)) and _SEED_AND_RE.fullmatch(ftext, x.end, r.start) is not None
        for x in readings
        if x.end <= r.start
    )


_SEED_AND_RE = re.compile(r"[ \t]*(?:and|&|,)[ \t]*")


def _names_a_nut(word: str) -> bool:
    ing = detection().by_form.get(word)
    return ing is not None and not _NUTS.isdisjoint(ing.tags)


def _is_listed_meat(x: _Reading) -> bool:
    return not _MEAT_TAGS.isdisjoint(x.remaining) and x.head not in _NOT_FLESH_HEADS and x.head not in _CASINGS


_CASINGS = frozenset(["casing", "casings", "skins"])


# Title dishes named for how they are made from their list, not for one food: the listed components are the spans.
_MADE_DISH_NAMES = frozenset(
    ["lemon curd", "hollandaise", "carbonara", "gravy", "marshmallows", "zabaglione", "alfredo sauce", "eggnog"]
)
# What a listed mince is shaped into: its verdict is the mince's (decisions 162, 226, 384)
_MINCE_SHAPES = frozenset(["burgers", "burger", "patties", "patty", "koftas", "kofta"])


def _is_listed_mince(x: _Reading) -> bool:
    """A listed mince of meat (not "Quorn mince" or "vegan mince")."""
    return x.head == "mince" and bool(x.on_ingredient_line) and not _MEAT_TAGS.isdisjoint(x.ingredient.tags)


# Breads named for their bake, whose dairy a made-here list carries (their flour is the bread itself: still gluten)
_MADE_BREADS = {"naan": {"dairy"}}


# "Despite its name, it contains no honey": the text says its dish's name is not what is in it.
_MISNAMED_RE = re.compile(r"\b(?:despite|in[ \t]+spite[ \t]+of)[ \t]+(?:its|the|their|his|her)[ \t]+names?\b")
# "blitz ... to make a loose pesto", "strain to make a brown stock": the recipe makes it from its own list.
_MADE_HERE_RE = re.compile(
    r"\b(?:make|makes|making|form|forms|forming)[ \t]+(?:into[ \t]+)?(?:a|an|your)[ \t]+(?:[^\W_]+[ \t]+){0,2}$"
    r"|(?:^|[.!?][ \t]+)(?:this|that)[ \t]+is[ \t]+your[ \t]+$"  # "Simmer ..., then remove the shiitake. This is your dashi."
)
# "simmer into a gravy", "blend with the cashews and oat milk to a silky cheese sauce": what a step turns its food into
_INTO_A_RE = re.compile(r"[ \t](?:to|into)[ \t]+(?:a|an)[ \t]+(?:[^\W_]+[ \t]+){0,2}$")
_TURNING_VERBS = (
    r"\b(?:blend|blended|blending|blitz|blitzed|whizz|whizzed|process|processed|simmer|simmered|simmering|reduce|reduced"
    r"|whisk|whisked|beat|beaten|cook|cooked|bubble|thicken|thickened|stir|stirred|mash|mashed|puree|pureed|emulsify"
    r"|emulsified|turn|turned|work|worked|boil|boiled)\b"
)
_TURNING_VERB_RE = re.compile(_TURNING_VERBS + r"[^.;:!?\n]*$")
_TURNING_VERB_BEFORE_RE = re.compile(  # "simmer into a gravy", "warm until it thickens into a pourable cheese sauce"
    r"\b(?:blend|blitz|whizz|process|simmer|reduce|whisk|beat|cook|bubble|thicken|stir|mash|puree|emulsif(?:y|ie)|turn|work|boil)"
    r"(?:s|es|ed|d|ing)?(?:[ \t]+(?:down|together))?[ \t]*$"
)


def _is_made_here(ftext: str, r: _Reading) -> bool:
    """A bare food the text says it makes ("to make a loose pesto"); a named kind ("a chicken stock") is not bare."""
    if not (len(r.words) == 1 or (len(r.words) == 2 and r.head in _GENERIC_HEADS)):  # "a silky cheese sauce"
        return False
    near = max(0, r.start - 40)
    if _MADE_HERE_RE.search(ftext, near, r.start) is not None:
        return True
    at = _INTO_A_RE.search(ftext, near, r.start)
    if at is None or not _into_made_thing(ftext, r, at):
        return False
    if ftext[at.start() + 1 : at.start() + 3] == "to":  # "blend the cashews and milk to a silky cheese sauce"
        return _TURNING_VERB_RE.search(ftext, max(0, at.start() - 80), at.start()) is not None
    # "simmer into a gravy" makes it; "stir the spices into a yoghurt" puts them in it: "into" right after the verb
    return _TURNING_VERB_BEFORE_RE.search(ftext, max(0, at.start() - 30), at.start()) is not None


# What a step can turn its food into ("simmer into a gravy", "to a silky cheese sauce"), not a bought
# condiment that something is stirred into ("into a little yoghurt", "into a splash of fish sauce")
_INTO_MADE = frozenset(["gravy", "pesto", "caramel", "sauce", "puree", "paste", "dough", "batter", "cream", "butter"])
_INTO_MADE_SAUCES = frozenset(["cheese", "white", "cream", "butter", "pan", "brown"])
_INTO_GAP_STOPS = _MEASURES | _MEASURE_SIZES | {"of"}


def _into_made_thing(ftext: str, r: _Reading, at: re.Match[str]) -> bool:
    if r.head not in _INTO_MADE or (len(r.words) == 2 and r.words[0] not in _INTO_MADE_SAUCES):
        return False
    return _INTO_GAP_STOPS.isdisjoint(ftext[at.start() : r.start].split())


def _follow_definitions(readings: list[_Reading], lines: _Lines) -> None:
    """A later bare mention means the allowed version named before it when nothing listed offends as that food:
    tofu "feta" ... "scatter the feta over"; "to make a loose pesto" ... "toss with the pesto"."""
    _share_listed_qualifier(readings, lines)  # first: the cut it allows defines what a later "the drumsticks" means
    defined: dict[str, int] = {}
    for x in readings:
        if x.defines and x.ingredient.name not in defined:
            defined[x.ingredient.name] = x.start
    if not defined:
        return
    listed_bad = {x.ingredient.name for x in readings if x.remaining and x.listed(lines)}
    for r in readings:
        name = r.ingredient.name
        if (
            r.remaining
            and not r.exempt
            and (len(r.words) == 1 or (len(r.words) == 2 and r.head in _PIECES))  # tofu "bacon" ... "the bacon bits"
            and defined.get(name, len(lines.text)) < r.start
            and name not in listed_bad
            and not r.listed(lines)
            and not _after_genuine(lines.text, r.start)
        ):
            r.remaining = ()


def _share_listed_qualifier(readings: list[_Reading], lines: _Lines) -> None:
    """ "1 kg zabiha chicken thighs and drumsticks": a second cut of the same kind, joined by "and" on an ingredient
    line, shares the qualifier that allowed the first."""
    for first, second in zip(readings, readings[1:]):
        if (
            first.defines
            and not first.remaining
            and second.remaining
            and not second.exempt
            and len(second.words) == 1
            and second.head in _CUTS  # not "vegan butter and cheese": a second food, which the qualifier does not name
            and lines.text[first.end : second.start] == " and "
            and first.ingredient.category == second.ingredient.category
            and second.listed(lines)
        ):
            second.remaining, second.exempt, second.defines = (), True, True


_CUTS = frozenset(
    ["thighs", "drumsticks", "wings", "legs", "breasts", "chops", "shanks", "cutlets", "ribs", "steaks", "fillets", "cheeks"]
)


# Pieces of a food are that food: "the bacon bits", "the chicken pieces" mean the version named before.
_PIECES = frozenset(["bits", "pieces", "chunks", "strips", "cubes", "slices"])


def _title_end(ftext: str, lines: _Lines) -> int:
    """End of the title line, or 0 when the text has no title (one line, an ingredient line or a sentence first)."""
    if ftext is lines.text:  # several passes ask for the text's own title: found once per text
        if lines.title_end is None:
            lines.title_end = _find_title_end(ftext, lines)
        return lines.title_end
    return _find_title_end(ftext, lines)


def _find_title_end(ftext: str, lines: _Lines) -> int:
    first_end = ftext.find("\n")
    first = ftext[:first_end].strip() if first_end > 0 else ""
    if not first or first[-1] in ".!?" or lines.is_ingredient_line(0):
        return 0
    return first_end


_TITLE_RE = re.compile(r"^[ \t]*(?:recipe:[ \t]*)?([^\n]+)")
_TITLE_SIDES_RE = re.compile(r"\bwith\b|\bserved\b|\btopped\b|\bplus\b")  # what a title serves beside its dish
_COMPOSITE_HEADER_RE = re.compile(r"^[ \t]*for[ \t]+(?:the[ \t]+)?([^:\n]{1,40}):", re.I | re.M)
# A line after the first that opens with "for" or a blank: one scan from newline to newline (three substring tests of
# the text, "\nfor", "\n " and "\n\t", cost four times as much: a short needle skips little)
_LATER_LINE_OPENS_RE = re.compile(r"\n(?:for|[ \t])")


def _clear_in_title(ftext: str, readings: list[_Reading], qualifiers: _QualifierMap, lines: _Lines) -> frozenset[str]:
    """A diet named in the title covers the dishes the title names: "Vegan Mac and Cheese". Returns what it clears."""
    title = _TITLE_RE.match(ftext.lstrip("\n"))
    if title is None or not _title_end(ftext.lstrip("\n"), lines):
        return frozenset()
    offset = len(ftext) - len(ftext.lstrip("\n"))
    dish = _TITLE_SIDES_RE.split(title.group(1))[0]  # not the sides
    words = [w for w in TOKEN_RE.findall(dish) if w not in _NOT_DIET_QUALIFIERS]
    if qualifiers.words.isdisjoint(words):
        return frozenset()  # most titles: no qualifier's word, so no phrase lookups
    cleared = frozenset().union(
        *(qualifiers.get(tuple(words[i : i + n]), frozenset()) for n in (1, 2) for i in range(len(words)))
    )
    if not cleared:
        return cleared
    end = offset + title.start(1) + len(dish)
    for r in readings:
        if r.start < end and r.remaining and not r.exempt:
            r.remaining, r.exempt = tuple(t for t in r.remaining if t not in cleared), True
    return cleared


def _judge_composites(ftext: str, readings: list[_Reading], lines: _Lines) -> None:
    """ "For the cheese sauce:" followed by its components: the sauce is what it is made of.

    The composite named in the header is cleared when none of its components (the rest of the
    header line and the ingredient lines under it, up to a blank line or the next header)
    offends; later references to it then follow it.
    """
    if not (ftext.startswith(("for", " ", "\t")) or _LATER_LINE_OPENS_RE.search(ftext)):
        return  # no line can open with "for" (the header regex tries every line start)
    for header in _COMPOSITE_HEADER_RE.finditer(ftext):
        named = [r for r in readings if header.start(1) <= r.start and r.end <= header.end(1)]
        if not named:
            continue
        block_end = ftext.find("\n\n", header.end())
        nxt = _COMPOSITE_HEADER_RE.search(ftext, header.end())
        stop = min(x for x in (block_end if block_end >= 0 else len(ftext), nxt.start() if nxt else len(ftext)))
        components = [r for r in readings if header.end() <= r.start < stop and r.listed(lines)]
        if components and not any(c.remaining for c in components):
            for r in named:
                r.remaining, r.exempt, r.on_ingredient_line = (), False, True
        else:
            for r in named:
                r.on_ingredient_line = True
                if components and r.head in _OWN_MIXTURES and len(r.words) == 1:
                    r.remaining = ()  # "For the gravy: 2 tbsp flour, ...": a generic header; its lines carry it (decision 297)


def _resolve_references(ftext: str, readings: list[_Reading], lines: _Lines) -> None:
    """A bare mention outside the ingredient list takes the verdict of what it refers to.

    "100 g vegan butter" ... "melt the butter": the same ingredient, qualified on its ingredient
    line. "600 ml oat milk" ... "whisk in the milk", "300 g pork sausages" ... "grill the sausages":
    a head word of an ingredient line. The title refers forward to the list like the steps do.
    """
    first_line_end = ftext.find("\n")  # a title's "Sausage" may mean the listed "sausages"
    referring = _referring(ftext, readings, lines, first_line_end)
    if referring:
        refs = _References(ftext, readings, lines, first_line_end)
        for r in referring:
            refs.resolve(r)


def _referring(ftext: str, readings: list[_Reading], lines: _Lines, first_line_end: int) -> list[_Reading]:
    """The mentions whose verdict a referent could change: skip the rest cheaply."""
    live = {w for x in readings if x.remaining for w in x.words}  # an allowed mention can only take an offence
    singular = {w[:-1] for w in live if w[-1:] == "s"}  # "Sausage" (title), "the sliced sausage" after "sausages"
    out = []
    for r in readings:  # a loop, not one comprehension: most readings are allowed and fail the first set tests
        if r.exempt:
            continue
        if r.offends:
            if not (r.listed(lines) or _after_genuine(ftext, r.start) or _diet_waived(ftext, r.start)):
                out.append(r)
            continue
        head = r.head
        if (
            head in live
            or head[:-1] in live
            or head in _HYPERNYM_TAGS
            or (
                head in singular
                and (r.start < first_line_end or _THE_NEAR_RE.search(ftext, max(0, r.start - 20), r.start) is not None)
            )
            or (
                r.ingredient is PART
                and len(r.words) == 1
                and (_part_after_the(ftext, r.start) or _EACH_LEAD_RE.search(ftext, max(0, r.start - 6), r.start))
                and not (head in _VERB_PARTS and _opens_clause(ftext, r.start) and _PART_VERB_AFTER_RE.match(ftext, r.end))
            )  # "the cheeks", "each breast" (not "strip the meat from the bone and chop it")
        ):
            out.append(r)
    return out


# Part words that are also verbs, and what follows the verb: "chop it finely", "joint the chicken"
_VERB_PARTS = frozenset(["chop", "joint"])
_PART_VERB_AFTER_RE = re.compile(r"[ \t]+(?:it|them|the|into|finely|roughly|coarsely|up|everything)\b")
_CLAUSE_OPENING_RE = re.compile(r"(?:^|[,;:.!?\n]|\b(?:and|then|or))[ \t]*$")


def _opens_clause(ftext: str, start: int) -> bool:
    """ "... from the bone and chop it", "Chop it finely": a verb opens its clause (not "slice each chop into strips")."""
    return _CLAUSE_OPENING_RE.search(ftext, max(0, start - 8), start) is not None


_ALTERNATIVE_BEFORE_RE = re.compile(r"\bor[ \t]+$")
# "Vegan 'parmesan' ... a few shavings of real Parmesan work too": the genuine article refers to no plant version
_GENUINE_RE = re.compile(r"\b(?:real|regular|ordinary|normal|actual)[ \t]+$")


# "Tip: if nobody needs them gluten-free, use the same weight of self-raising flour": the diet waived, the food named
# after it is the ordinary one, not the listed gluten-free flour
_DIET_WAIVED_RE = re.compile(
    r"\bif[ \t]+(?:nobody|no[ \t]+one)[ \t]+(?:needs?|is|has)\b[^.!?\n;]*"
    r"\b(?:gluten|wheat|vegan|vegetarian|dairy|nut|halal|coeliac|celiac|allerg)[^.!?\n;]*$"
)


def _diet_waived(ftext: str, start: int) -> bool:
    window = ftext[max(0, start - 100) : start]
    if "nobody" not in window and "no one" not in window:
        return False  # substring tests first: most mentions have none of the cues
    return _DIET_WAIVED_RE.search(window) is not None


def _after_genuine(ftext: str, start: int) -> bool:
    """ "real Parmesan", "ordinary butter": the word before ends in l, r or y before any regex is tried."""
    return start > 4 and ftext[start - 2] in "lry" and _GENUINE_RE.search(ftext, max(0, start - 10), start) is not None


# Another word for the same food, for finding what it refers to.
_SAME_FOOD_HEADS = {"bangers": ("sausages", "sausage"), "banger": ("sausage", "sausages")}


class _References:
    """The readings of one text indexed for finding what a bare mention refers to."""

    def __init__(self, ftext: str, readings: list[_Reading], lines: _Lines, first_line_end: int) -> None:
        self.ftext, self.readings, self.lines, self.first_line_end = ftext, readings, lines, first_line_end
        self.listed_bad: dict[str, list[_Reading]] = {}
        for x in readings:
            if x.offends and not x.not_food and x.listed(lines):
                self.listed_bad.setdefault(x.ingredient.name, []).append(x)
        # built on first need: most references resolve to a listed offending food (listed_bad) first
        self._by_head: dict[str, list[_Reading]] | None = None
        self._by_word: dict[str, list[_Reading]] | None = None

    @property
    def by_head(self) -> dict[str, list[_Reading]]:
        if self._by_head is None:
            self._by_head = {}
            for x in self.readings:
                self._by_head.setdefault(x.head, []).append(x)
        return self._by_head

    @property
    def by_word(self) -> dict[str, list[_Reading]]:
        """ "the chicken" may mean "halal chicken thighs" (phrases only)."""
        if self._by_word is None:
            self._by_word = {}
            for x in self.readings:
                if len(x.words) > 1:
                    for w in x.words:
                        self._by_word.setdefault(w, []).append(x)
        return self._by_word

    @property
    def title_end(self) -> int:
        return _title_end(self.ftext, self.lines)  # found once per text, on first need

    def resolve(self, r: _Reading) -> None:
        if r.head == "fat" and len(r.words) == 1 and not r.offends and self._own_fat(r):
            return
        same = self.listed_bad.get(r.ingredient.name) if r.offends else None
        if r.offends and not same and r.head in _SAME_FOOD_HEADS:  # "Bangers and Mash" over "8 vegetarian sausages"
            kin = _SAME_FOOD_HEADS[r.head]
            same = [x for xs in self.listed_bad.values() for x in xs if x.head in kin]
        if same:
            if self._names_the_listed(r, same):
                r.remaining = ()
            return
        longer = self._word_referents(r) if len(r.words) == 1 else self._phrase_referents(r)
        if not longer or (not r.offends and not any(x.remaining for x in longer)):
            return  # nothing it could refer to would change its verdict
        if r.listed(self.lines):
            return
        own = [x for x in self.by_head[r.head] if x is not r and x.ingredient.name == r.ingredient.name and x.listed(self.lines)]
        if own:  # it refers to its own ingredient on the list ("For the sauce:" ... "the sauce")
            if r.head == "fat":  # "the fat" is the listed "khlii, with its fat"
                r.remaining = next((x.remaining for x in own if x.remaining), ())
            return
        heads = self._heads(r, longer)
        if len(heads) > 1 and len(r.words) == 1 and r.head in _BESIDE_HEADS:
            heads = self._not_named_beside(r, heads)
        if len(heads) > 1 and any(not x.remaining for x in heads):
            # "vegetable stock (or chicken stock if that is what you have)" ... "add the stock": the stock the recipe
            # asks for, not the one it offers instead (which is a violation of its own, decision 3)
            heads = [x for x in heads if not x.remaining or not self._offered_instead(x)]
        if heads:
            referent = next((x for x in heads if x.remaining), heads[0])
            r.remaining = referent.remaining
            if r.ingredient is PART:  # "the cheeks" is the pig cheeks
                r.ingredient = referent.ingredient

    def _offered_instead(self, x: _Reading) -> bool:
        return _ALTERNATIVE_BEFORE_RE.search(self.ftext, max(0, x.start - 12), x.start) is not None

    def _own_fat(self, r: _Reading) -> bool:
        """ "khlii, with 2 tbsp of its fat", "crawfish tails, with their fat": the fat of the food just before it."""
        if _POSSESSIVE_FAT_RE.search(self.ftext, max(0, r.start - 12), r.start) is None:
            return False
        if _OWN_FAT_AFTER_RE.match(self.ftext, r.end) is None:
            return False  # "stand the chops on their fat edge": the fat side of the food, a describing word
        before = [x for x in self.readings if x.end <= r.start and "\n" not in self.ftext[x.end : r.start]]
        owner = max(before, key=lambda x: x.end, default=None)
        if owner is None or not owner.remaining or r.start - owner.end > 40:
            return False
        r.remaining = owner.remaining
        return True

    def _names_the_listed(self, r: _Reading, same: list[_Reading]) -> bool:
        """An offending mention of a listed ingredient whose listed mentions are all cleared."""
        # "the flour" is the listed sorghum flour; "50 g wheat flour" names a food of its own; a title joins
        # the dish's foods ("Pesto Pasta Salad"): it names what is listed; "(in place of eggs)" ... "Two eggs work just
        # as well": counted, the food a negation left out is brought back
        names_it = all(not x.remaining for x in same) and (
            r.start < self.first_line_end or any(_names_no_more(r.words, x.words, x.ingredient.name) for x in same)
        )
        return names_it and not (all(x.lead_cleared for x in same) and _counted(self.ftext, r.start))

    def _word_referents(self, r: _Reading) -> list[_Reading]:
        """What a one-word mention may mean: a longer listed phrase with that word, a hypernym's food, the flesh."""
        if r.head in _GENERIC_HEADS:
            return []  # "the sauce" is the dish's own sauce, not the listed soy sauce
        by_word = self.by_word
        kin = by_word.get(r.head, ()) if r.head != "noodles" or not _after_quantity(self.ftext, r.start) else ()
        if r.head[-1:] == "s" and r.head[:-1] in by_word:  # "both milks"
            kin = [*kin, *by_word[r.head[:-1]]]
        elif (
            not kin
            and r.head + "s" in by_word
            and (r.offends or r.start < self.title_end or _THE_NEAR_RE.search(self.ftext, max(0, r.start - 20), r.start))
        ):  # "Sausage" (title), "the sliced sausage"
            kin = by_word[r.head + "s"]
        longer = [x for x in kin if len(x.words) > 1]
        if (
            longer
            and not r.offends
            and (
                self.ftext[max(0, r.start - 3) : r.start] in ("an ", " a ")
                or (r.start < self.title_end and r.ingredient is not PART)
            )
        ):
            # "with an egg scrambled through" is an egg, not the listed egg noodles it gives a word to; a title's "Coffee"
            # or "Ginger" is the flavour, not the listed coffee liqueur or ginger nut biscuits
            longer = [x for x in longer if x.head in (r.head, r.head + "s") or x.head in _FORM_HEADS]
        if (
            not longer
            or (r.head == "fat" and not any(x.listed(self.lines) for x in longer))
            or (r.head in _HYPERNYM_TAGS and all(x.start < self.title_end for x in longer))
        ):  # "Swiss Cheese Toasts" ... "heaped with cheese": the listed Gruyère, not only the title's cheese
            # "leaving the bacon fat in the pan ... cook the shrimp in the fat": the listed bacon's fat
            longer += _hypernym_referents(self.ftext, r, self.readings)
        # "the fillets" after "2 whole mackerel", "the cutlets" after "pork loin chops": the listed flesh
        # (not "the cutlets" of tofu cut "into cutlets", nor a listed stock or fat)
        # (nor "the heart of this dish", "the hearts of the lettuces": a part "of" something named after it)
        if (
            not longer
            and r.ingredient is PART
            and f"into {r.head}" not in self.ftext[: r.start]
            and self.ftext[r.end : r.end + 4] != " of "
        ):
            flesh = [x for x in self.readings if _is_listed_flesh(x, self.lines)]
            if r.head in _TOOL_PARTS:  # "the rack" of listed baby back ribs, not of a listed salmon
                flesh = [x for x in flesh if not _MEAT_TAGS.isdisjoint(x.ingredient.tags)]
            # "the breasts" after pheasants (allowed) and bacon: whose breasts is unclear, so no verdict
            longer = flesh if all(x.remaining for x in flesh) else []
        if (
            not longer
            and r.offends
            and r.start > self.title_end
            and _EACH_LEAD_RE.search(self.ftext, max(0, r.start - 6), r.start)
        ):
            longer = self._cleared_title_dish(r)
        return longer

    def _not_named_beside(self, r: _Reading, heads: list[_Reading]) -> list[_Reading]:
        """ "tucking the black pudding in among the meat": a food named earlier in the sentence is set beside "the meat",
        so the meat is another listed food (when there is one)."""
        ftext = self.ftext
        since = max(ftext.rfind(c, 0, r.start) for c in ".!?;\n") + 1
        named = {y.ingredient.name for y in self.readings if since <= y.start < r.start}
        return [x for x in heads if x.ingredient.name not in named] or heads

    def _cleared_title_dish(self, r: _Reading) -> list[_Reading]:
        """ "Celeriac Steaks" ... "serve each steak": the title's dish, cleared by what it is made of (its allowed modifier
        is no word of the phrase, so the phrase lookups above miss it). Only after "the"/"each": "a steak" is another."""
        head = r.head
        heads = (head, head + "s", head[:-1]) if head.endswith("s") else (head, head + "s")
        return [
            x
            for h in heads
            for x in self.by_head.get(h, ())
            if x.start < self.title_end and x.exempt and not x.remaining and x.ingredient.name == r.ingredient.name
        ]

    def _phrase_referents(self, r: _Reading) -> list[_Reading]:
        """What a phrase may mean: "the soy sauce" after "gluten-free soy sauce", the listed phrase ending with it."""
        size = len(r.words)
        longer = [x for x in self.by_head.get(r.head, ()) if len(x.words) > size and x.words[-size:] == r.words]
        if not longer and r.offends and r.start < self.first_line_end:
            longer = self._listed_for_title(r)
        if not longer and size == 2 and r.head in _RENDERED:  # "the bacon fat" after "halal beef bacon"
            longer = [x for x in self.by_head.get(r.words[0], ()) if x.listed(self.lines)]
        if not longer and r.head in _HYPERNYM_TAGS:
            longer = _hypernym_referents(self.ftext, r, self.readings)
        if not longer and r.offends and r.start > self.title_end:
            longer = self._cleared_title_word(r)
            if not longer and _EACH_LEAD_RE.search(self.ftext, max(0, r.start - 6), r.start):
                longer = self._cleared_title_dish(r)  # "Gluten-Free Fish Finger Sandwiches" ... "the fish fingers"
        return longer

    def _listed_for_title(self, r: _Reading) -> list[_Reading]:
        """A title's "Soba Noodle Salad" names the listed "100% buckwheat soba noodles" by its food words."""
        named = tuple(self.ftext[slice(*r.reported())].split())
        n = len(named)
        if n >= len(r.words):
            return []
        forms = (named, (*named[:-1], named[-1] + "s"))
        noodles = (*named, "noodles")  # "Cold Soba Salad" names the listed "100% buckwheat soba noodles"
        return [
            x
            for x in self.readings
            if len(x.words) > n and (x.words[-n:] in forms or x.words[-n - 1 :] == noodles) and x.listed(self.lines)
        ]

    def _cleared_title_word(self, r: _Reading) -> list[_Reading]:
        """'Tofu "Fish" Fingers' ... "kids who never touch fish fingers": the title's cleared word names it, on the
        headnote line only, after a comparison or negation ("nothing like", "never"); never a step."""
        title_end = self.title_end
        size = len(r.words)
        longer = [
            x
            for x in self.readings
            if x.start < title_end and not x.remaining and len(x.words) < size and r.words[: len(x.words)] == x.words
        ]
        if longer and not _in_contrasting_headnote(self.ftext, title_end, r):
            return []
        return longer

    def _heads(self, r: _Reading, longer: list[_Reading]) -> list[_Reading]:
        """The referents that decide: the list first; else a title that clears it ("Cauliflower Steaks" ... "brush
        the steaks"); else, in a snippet with no list, the food named before ("roast 4 veal marrow bones and scoop
        out the marrow")."""
        lines = self.lines
        heads = [x for x in longer if x.listed(lines)]
        if not heads and not _ANOTHER_BEFORE_RE.search(self.ftext, max(0, r.start - 30), r.start):
            # the title's dish, not "a grilled steak for the meat-eaters" (an indefinite article brings in another food)
            heads = [x for x in longer if x.start < self.title_end and not x.remaining]
        if heads or _is_equipment(self.ftext, r.end):
            return heads
        if not any(x.listed(lines) for x in self.readings):
            # "the fat", "the rendered fat", "its rendered fat" of the duck legs browned before
            if _after_the(self.ftext, r.start) or (
                r.head == "fat" and _FAT_OF_RE.search(self.ftext, max(0, r.start - 20), r.start)
            ):
                # cleared ones too ("gluten-free penne" ... "the pasta"), but no tool ("the chicken brick" ... "the chicken")
                heads = [x for x in longer if x.end <= r.start and (x.remaining or _used_cleared(self.ftext, x))]
        elif _after_the(self.ftext, r.start) or _THE_NEAR_RE.search(self.ftext, max(0, r.start - 20), r.start):
            # "measure 1.5 litres of the ham stock" ... "simmer the lentils in the stock", "ladle over the boiling
            # broth": made in a step (after the list: the headnote's "my mum simmered the beef broth" is another pot),
            # and the nearest pot before it ("freeze the chicken stock ... make a light stock ... add the hot stock")
            first = min(x.start for x in self.readings if x.listed(lines))
            nearest = max(
                (x for x in self.by_head.get(r.head, ()) if x is not r and x.end <= r.start), key=_start_of, default=None
            )
            if nearest is not None and nearest in longer and nearest.remaining and first < nearest.start:
                heads = [nearest] if _after_the(self.ftext, nearest.start) else []
        return heads


# The form a food is sold in: a title's "Lasagne" is the listed lasagne sheets
_FORM_HEADS = frozenset(
    ["sheets", "sheet", "leaves", "strips", "pieces", "slices", "rounds", "wrappers", "skins", "wraps", "shells", "nests"]
    + ["tubes", "cubes"]
)


# Kinds a sentence can set beside a food it names ("the black pudding in among the meat"), unlike "the fat", which is
# what the food named before gives off ("fry the lardons, then brown the chicken in the fat")
_BESIDE_HEADS = frozenset(["meat", "fish"])
_ANOTHER_BEFORE_RE = re.compile(r"\b(?:a|an|another|some)[ \t]+(?:[^\W_]+[ \t]+)?$")
_EACH_LEAD_RE = re.compile(r"\b(?:the|each|every|both)[ \t]+$")
_FAT_OF_RE = re.compile(r"\b(?:the|its|their)[ \t]+(?:rendered|melted|reserved|leftover|hot|spare)[ \t]+$")
_THE_NEAR_RE = re.compile(r"\bthe[ \t]+(?:[^\W\d_]+[ \t]+)?$")  # "the sliced sausage" after "4 white pork sausages"


def _used_cleared(ftext: str, x: _Reading) -> bool:
    """A cleared food the text uses ("Cook 300 g gluten-free penne"), not one in an aside ("I tried gluten-free
    spaghetti once and hated it") or a tool ("the chicken brick")."""
    cleared = x.exempt or not x.offends  # "Fry 6 rashers of halal turkey bacon": a food the diet allows as named
    return cleared and not x.not_food and _USED_QUANTITY_RE.search(ftext, max(0, x.start - 30), x.start) is not None


_USED_QUANTITY_RE = re.compile(r"\d[^\n.;:!?]{0,25}$")


def _start_of(x: _Reading) -> int:
    return x.start


def _is_listed_flesh(x: _Reading, lines: _Lines) -> bool:
    return not _FLESH_TAGS.isdisjoint(x.ingredient.tags) and x.head not in _NOT_FLESH_HEADS and x.listed(lines)


def _names_no_more(words: tuple[str, ...], listed: tuple[str, ...], name: str = "") -> bool:
    """A later mention adds no food to the listed phrase: "the melted butter" and "buttered rye" are the listed vegan
    butter, "50 g wheat flour" or "plain flour" after "sorghum flour" is a flour of its own."""
    known = {w.removesuffix("s") for w in listed}
    by_form = detection().by_form
    if name and words[-1].removesuffix("s") not in known:
        # "buttered rye": the words after the listed food's own word name what it is on, not another kind of it
        last = max((k for k, w in enumerate(words) if getattr(by_form.get(w), "name", None) == name), default=-1)
        if last >= 0:
            words = words[: last + 1]
    extra = [w for w in words if w.removesuffix("s") not in known]
    if words[-1:] == ("flour",) and not _WHEAT_FLOUR_WORDS.isdisjoint(extra):
        return False
    return not any((ing := by_form.get(w)) is not None and ing is not PART and ing.tags and ing.name != name for w in extra)


# What makes a bare "flour" wheat flour: "plain flour", "strong white flour", "self-raising flour", "00 flour"
_WHEAT_FLOUR_WORDS = frozenset(
    ["plain", "all-purpose", "all", "purpose", "strong", "white", "wholemeal", "wholewheat", "self-raising"]
    + ["self-rising", "raising", "rising", "00", "maida", "atta", "bread", "cake", "pastry", "semolina"]
)


# "Nothing like the fish sticks from the freezer aisle", "kids who never touch fish fingers": the headnote compares
_HEADNOTE_CONTRAST_WORDS = frozenset(
    ["nothing", "never", "not", "unlike", "than", "no", "instead", "without", "t", "rather", "like", "miss", "fooled"]
)


def _in_contrasting_headnote(ftext: str, title_end: int, r: _Reading) -> bool:
    """The mention is on the line right after the title, after a comparison or negation word in that line."""
    if not title_end:
        return False
    note_end = ftext.find("\n", title_end + 1)
    if note_end >= 0 and r.start > note_end:
        return False
    line = ftext[title_end + 1 : r.start]
    if is_ingredient_line(line) or _STEP_LINE_RE.match(line):
        return False
    return not _HEADNOTE_CONTRAST_WORDS.isdisjoint(TOKEN_RE.findall(line))


# What cooking a listed food leaves in the pan is that food: "the bacon fat" is the listed beef bacon's
_RENDERED = frozenset(["fat", "grease", "drippings", "dripping", "juices"])


# A sentence that says the dish meets the diet ("...; agave keeps it vegan", "Naturally gluten-free (unlike flour
# tortillas)", "Dairy-free, but as velvety as the version I made with double cream") names the forbidden food only as
# what the recipe avoids. The claim must be about the dish: the diet word alone at a clause's start or after "it",
# "is", "naturally", ..., and not qualifying a food ("vegan butter"); halal is left out ("make sure the chicken is halal").
_CLAIM_WORDS = {
    "vegan": r"vegan|plant[ \t\-]based",
    "vegetarian": r"vegetarian",
    "pescatarian": r"pescatarian",
    "gluten-free": r"gluten[ \t\-]free",
    "dairy-free": r"dairy[ \t\-]free",
    # "safe for anyone with a nut allergy", "safe for a nut-free school"
    "nut-free": r"nut[ \t\-]free|safe[ \t]+for[ \t]+(?:[^\W_]+[ \t]+){0,3}nut[ \t\-](?:allerg[^\W_]*|free[ \t]+[^\W_]+)",
}
_CLAIM_RES = {
    diet: re.compile(
        r"(?:^[ \t]*|[,;:(][ \t]*|\b(?:it|this|these|they|s|re|is|are|stays|remains|naturally|completely|totally|fully"
        r"|entirely|still|also|100|so|but)[ \t]+)(?:" + words + r")(?=[ \t]*(?:[.,;:!?()]|$|(?:and|but|so|too|yet)\b))"
    )
    for diet, words in _CLAIM_WORDS.items()
}
_CLAIM_CUES = {"vegan": ("vegan", "plant"), "vegetarian": ("vegetarian",), "pescatarian": ("pescatarian",)}
# "... for egg noodles if nobody is gluten-free": a condition on who eats it makes the sentence a suggestion
_SUGGESTION_RE = re.compile(
    r"\b(?:non[ \t\-]?[^\W_]+|if[ \t]+(?:you|nobody|no[ \t]+one)|for[ \t]+those|anyone|serve|serving|offer)\b"
    # "Tamari keeps it gluten-free; if that doesn't matter, ordinary soy sauce works too": the diet made optional
    r"|\b(?:doesn.?t|does[ \t]+not|don.?t|do[ \t]+not)[ \t]+matter\b"
    r"|\b(?:isn.?t|is[ \t]+not|not)[ \t]+(?:a|an)[ \t]+(?:concern|issue|worry)\b"
)


def _clear_in_claims(ftext: str, diet: str, readings: list[_Reading], lines: _Lines) -> None:
    """Forbidden foods named in a prose sentence that says the dish meets the diet are what it avoids."""
    claim = _CLAIM_RES.get(diet)
    cues = _CLAIM_CUES.get(diet, (diet.split("-")[0],))
    if claim is None or not any(c in ftext for c in cues):
        return
    sentences = []  # (start, end, where a purpose clause's claim starts or -1, the cue): found once per text
    for cue in cues:
        at = ftext.find(cue)
        while at >= 0:
            start = max(ftext.rfind(c, 0, at) for c in ".!?\n") + 1
            ends = [i for i in (ftext.find(c, at) for c in ".!?\n") if i >= 0]
            end = min(ends) if ends else len(ftext)
            sentence = ftext[start:end]
            said = claim.search(sentence)
            if said and sentence[said.start() : said.start() + 4] in ("but ", "but\t") and not _LIKENESS_RE.search(sentence):
                said = None  # "Top with hazelnuts, but safe for a nut-free household": only "everything you love about X, but"
            if said and not _STEP_LINE_RE.match(sentence) and not _SUGGESTION_RE.search(sentence):
                # "Swap the couscous for quinoa to make it gluten-free, then scatter with pitta chips": a purpose
                # clause covers only what comes before it
                purpose = start + said.start() if _PURPOSE_RE.search(sentence, 0, said.start()) else -1
                sentences.append((start, end, purpose, at))
            at = ftext.find(cue, end + 1)
    if not sentences:
        return
    title_end = _title_end(ftext, lines)
    for r in readings:
        if r.remaining and r.start >= title_end and not r.listed(lines):
            # "1 sheet puff pastry (vegan); brush it with milk": a claim on the listed food says nothing of the step
            # written after it on the same line
            stepped = lines.is_ingredient_line(r.start)
            for start, end, purpose, cue_at in sentences:
                in_claim = start <= r.start < end and (purpose < 0 or r.start < purpose)
                if in_claim and (not stepped or lines.after_sentence(cue_at)):
                    r.remaining = ()


_PURPOSE_RE = re.compile(r"\bto[ \t]+(?:make|keep)[ \t]+$")
# What a ", but safe for a nut-free school" claim sets itself against: the food it is like, not what it contains
_LIKENESS_RE = re.compile(r"\b(?:love|loves|like|about|taste|tastes|flavour|flavor|all[ \t]+the)\b")


def _clear_title_flavours(ftext: str, readings: list[_Reading], lines: _Lines) -> None:
    """ "Vanilla Panna Cotta": a flavour named in the title is the flavour, not the listed extract."""
    title_end = _title_end(ftext, lines)
    for r in readings:
        if r.start >= title_end:
            break
        if r.remaining and ftext[slice(*r.reported())] in _TITLE_FLAVOURS:
            r.remaining = ()


_TITLE_FLAVOURS = frozenset(["vanilla"])

# A name glossed in brackets by a forbidden food on an ingredient line: "150 g kilka (Baltic sprats)", "2 loukaniko
# (Greek pork sausages)". The name is that food wherever the text uses it ("Fasolada with Loukaniko", "Brown the
# loukaniko"), though the vocabulary does not know it.
_GLOSS_NAME_RE = re.compile(r"([^\W\d_]{3,})[ \t]*\($")  # the word just before the bracket
# the quantity (and a short unit) before the name: the name is the line's whole food, not "groundnut PASTE"
_GLOSS_QUANTITY_RE = re.compile(
    rf"[ \t]*(?:[-*\u2022][ \t]*)?{_DIGIT}[\d\u00bc-\u00be\u2150-\u215e/. \t-]*(?:[^\W\d_]{{1,6}}\.?[ \t]+)?"
)
_GLOSS_MAX = 40  # a gloss is a short noun phrase, not a bracketed remark
_GLOSS_LEADS = frozenset(["with", "or", "and", "in", "from", "not", "no", "see", "use", "about", "plus", "for", "like"])


def _glossed_name(ftext: str, r: _Reading) -> tuple[int, int] | None:
    """Where the unknown name is that the forbidden reading ``r`` glosses in brackets: "2 loukaniko (pork sausages)"."""
    line_start = ftext.rfind("\n", 0, r.start) + 1
    opened = ftext.rfind("(", line_start, r.start)
    closed = ftext.find(")", r.end)
    if opened < 0 or closed < 0 or closed - opened > _GLOSS_MAX or ")" in ftext[opened : r.start]:
        return None
    inside = ftext[opened + 1 : closed]
    if "," in inside or "\n" in inside or inside.split()[0] in _GLOSS_LEADS:
        return None  # a remark or an alternative ("(or butter)"), not a gloss
    name = _GLOSS_NAME_RE.search(ftext, line_start, opened + 1)
    if name is None or _GLOSS_QUANTITY_RE.fullmatch(ftext, line_start, name.start(1)) is None:
        return None
    return name.span(1)


def _follow_glosses(ftext: str, readings: list[_Reading], ctx: _Context, lines: _Lines) -> list[_Reading]:
    """Readings for every use of a name glossed on an ingredient line by a forbidden food. Only the list: a
    title's "Tamagoyaki (Japanese Rolled Omelette)" names a dish, not an ingredient."""
    taken = [(r.start, r.end) for r in readings]
    added: list[_Reading] = []
    for r in [r for r in readings if r.remaining and r.listed(lines)]:
        span = _glossed_name(ftext, r)
        if span is None or any(s < span[1] and span[0] < e for s, e in taken):
            continue  # a known word ("1 tbsp oil (or butter)") is read on its own
        name = ftext[slice(*span)]
        at = ftext.find(name)
        while at >= 0:
            end = at + len(name)
            word = (at == 0 or not ftext[at - 1].isalnum()) and (end == len(ftext) or not ftext[end].isalnum())
            if word and not any(s < end and at < e for s, e in taken) and not _is_negated(ctx.words_before(at)):
                added.append(_Reading(at, end, r.ingredient, r.remaining, False, True, name, (name,), offends=True))
                taken.append((at, end))
            at = ftext.find(name, end)
    return added


# A known meat glossed in brackets by a forbidden meat: "Grill the sucuk (spiced pork sausage)", "the kebab meat (pork
# neck)". The gloss says which meat this one is, so the name (and its other bare uses) offends as the gloss does.
_GLOSS_STOPS = frozenset(
    ["instead", "of", "not", "no", "rather", "than", "unlike", "replacing", "replaces", "or", "and", "with", "like"]
    + ["vs", "versus", "sub", "swap", "for", "use", "without", "free", "minus", "never", "but", "see", "about", "plus"]
)


def _follow_known_glosses(ftext: str, readings: list[_Reading]) -> None:
    for r in readings:
        if not ((r.remaining or (r.offends and not r.exempt)) and _FLESH_TAGS.intersection(r.ingredient.tags)):
            continue
        line_start = ftext.rfind("\n", 0, r.start) + 1
        opened = ftext.rfind("(", line_start, r.start)
        if opened < 0 or ")" in ftext[opened : r.start]:
            continue
        closed = ftext.find(")", r.end)
        if closed < 0 or closed - opened > _GLOSS_MAX or "\n" in ftext[r.end : closed]:
            continue
        before = TOKEN_RE.findall(ftext, opened + 1, r.start)
        after = TOKEN_RE.findall(ftext, r.end, closed)
        if len(before) > 3 or len(after) > 1 or _GLOSS_STOPS.intersection(before) or _GLOSS_STOPS.intersection(after):
            continue
        if not r.remaining:
            _follow_cleared_gloss(ftext, readings, r, line_start, opened)
            continue
        named = next((x for x in readings if x.end <= opened and not ftext[x.end : opened].strip()), None)
        if named is None or named.remaining or named.exempt or not _FLESH_TAGS.intersection(named.ingredient.tags):
            continue
        for x in readings:
            if x.ingredient.name == named.ingredient.name and not x.remaining and not x.exempt and x.words == named.words:
                x.remaining = r.remaining


# the rest of a dish name between its food word and the gloss: "Ayam Penyet (Smashed Fried Chicken)"
_DISH_NAME_REST_RE = re.compile(r"(?:[ \t]+[^\W\d_]+){0,2}[ \t]*")


def _follow_cleared_gloss(ftext: str, readings: list[_Reading], r: _Reading, line_start: int, opened: int) -> None:
    """ "Ayam Penyet (Smashed Fried Chicken)" over "4 halal chicken leg quarters": the gloss's food is the listed, allowed
    one (a reference cleared it), so the foreign word it translates is that food too, here and wherever the text uses it
    ("smash each piece of ayam")."""
    named = next(
        (x for x in readings if line_start <= x.start and x.end <= opened and _DISH_NAME_REST_RE.fullmatch(ftext, x.end, opened)),
        None,
    )
    if named is None or not named.remaining or named.exempt or not set(named.ingredient.tags) & set(r.ingredient.tags):
        return
    for x in readings:
        if x.ingredient.name == named.ingredient.name and x.remaining and not x.exempt and x.words == named.words:
            x.remaining = ()


# A sentence that names the meat's source as halal: "Our butcher is zabiha and we buy all our meat there", "since the
# halal butcher started curing his own beef bacon", "We only buy zabiha chicken". It states the text's meat as halal.
_HALAL_WORD = r"(?:halal|zabiha|zabihah|dhabiha)"
_HALAL_SOURCE_RE = re.compile(
    rf"\b{_HALAL_WORD}(?:[ \t\-]+certified)?[ \t]+butchers?\b"
    rf"|\bbutchers?(?:[ \t]+[^\W_]+){{0,3}}[ \t]+(?:is|are)[ \t]+(?:a[ \t]+)?{_HALAL_WORD}\b"
    rf"|\b(?:we|i)[ \t]+only[ \t]+(?:ever[ \t]+)?(?:buy|use|cook)[ \t]+{_HALAL_WORD}\b"
)


_HALAL_SOURCED = frozenset(["meat", "poultry", "pork"])  # meat of a halal source (pork here only as a "maybe"); not gelatine


def _says_halal_source(ftext: str) -> bool:
    """A halal source stated, not denied: "no halal butcher nearby? supermarket braising steak will do", "the halal
    butcher was shut, so ... (not halal-certified)" and "from the supermarket rather than the halal butcher" name none."""
    if _HALAL_DENIED_RE.search(ftext):
        return False
    return any(
        _NO_SOURCE_BEFORE_RE.search(ftext, max(0, m.start() - 24), m.start()) is None
        and _SOURCE_UNUSED_AFTER_RE.match(ftext, m.end()) is None
        for m in _HALAL_SOURCE_RE.finditer(ftext)
    )


_NO_SOURCE_BEFORE_RE = re.compile(
    r"\b(?:no|not|without|never|isn.?t|there.?s[ \t]+no|rather[ \t]+than|instead[ \t]+of)[ \t]+"
    r"(?:a[ \t]+|an[ \t]+|any[ \t]+|the[ \t]+|my[ \t]+|our[ \t]+)?$"
)
_SOURCE_UNUSED_AFTER_RE = re.compile(r"[ \t]+(?:was|is|were|being)[ \t]+(?:shut|closed|out)\b")
_HALAL_DENIED_RE = re.compile(r"\b(?:not|isn.?t|non|un)[ \t\-]+(?:halal|zabiha)\b")


# the unqualified words but "regular" ("1 kg regular beef mince" says its fat, not its source)
_UNQUALIFIED_BEFORE_RE = re.compile(r"\b(?:" + "|".join(sorted(_UNQUALIFIED - {"regular"})) + r")[ \t]+(?:[^\W_]+[ \t]+)?$")


def _clear_by_halal_source(ftext: str, diet: str, readings: list[_Reading]) -> None:
    """Strict-only meat (meat or poultry not stated as halal) in a text that says its meat comes from a halal butcher.
    What is forbidden outright (pork, blood, alcohol) and other strict-only items (gelatine, shellfish) stay."""
    lenient = _offences(diet, False)
    for r in readings:
        if (
            r.remaining
            and _HALAL_SOURCED.issuperset(r.remaining)
            and r.ingredient.name not in lenient
            # not "an ordinary leg of lamb from the supermarket will do": the unqualified fallback
            and _UNQUALIFIED_BEFORE_RE.search(ftext, max(0, r.start - 30), r.start) is None
        ):
            r.remaining = ()


# Towns that name a food: "my landlady in Bologna", "the market in Gouda". Only capitalised, in prose, after "in"
# or "near" (not "dip in Cheddar": cheeses and wines cooked "in" are left out of the set).
_PLACES = frozenset(
    ["bologna", "gouda", "edam", "roquefort", "wensleydale", "caerphilly", "parma", "bayonne"]
    + ["turkey"]  # "every afternoon tea gathering in Turkey", "a cold meze dish from Turkey"
)
_PLACE_LEAD_RE = re.compile(r"\b(?:in|near|around|visiting|visited|outside|(from|across))[ \t]+$")


def _is_place(folded: Folded, start: int) -> bool:
    """ "in Turkey", "a meze dish from Turkey" (not a title's "Curry From Turkey Leftovers": a title capitalises "From")."""
    lead = _PLACE_LEAD_RE.search(folded.text, max(0, start - 12), start)
    return lead is not None and (lead.group(1) is None or folded.original[folded.span(*lead.span(1))[0]].islower())


# A sub-list's header names the mixture its lines make: "Frangipane: 125 g butter, 125 g sugar, 2 eggs, 125 g ground
# almonds", "For the pastry:" over the lines below it.
_HEADER_RE = re.compile(r"[ \t]*(?:for[ \t]+(?:the[ \t]+)?)?([^:\n]{1,40}):[ \t]*(.*)", re.I)


# Mixtures named for what they are, not for a recipe: the sub-list says what this one is made of
_MIXTURE_HEADS = frozenset(["pastry", "dough", "batter", "crust", "shortcrust"])
# "the frangipane", "the beaten frangipane": the one the sub-list made (not "the bought frangipane")
_THE_MADE_RE = re.compile(r"\bthe[ \t]+(?!(?:bought|ready|readymade|store|jarred|packet|other)\b)(?:[^\W\d_]+[ \t]+)?$")


_RENNET = ("animal-rennet",)
# Sauces whose rennet comes only from a cheese the recipe lists ("Cacio e Pepe" is named for its cheese: not here)
_RENNET_SAUCES = frozenset(["pesto"])


def _names_a_pesto_cheese(ftext: str, x: _Reading) -> bool:
    """A cheese with (perhaps) animal rennet, or one the text calls vegetarian ("vegetarian Italian-style hard cheese");
    not cream cheese or a bare "cheese"."""
    ing = x.ingredient
    if "animal-rennet" in ing.tags or "animal-rennet" in ing.maybe:
        return True
    line_start = ftext.rfind("\n", 0, x.start) + 1
    return ing.name == "cheese" and "vegetarian" in ftext[line_start : x.start]


def _made_pesto_after_the(lines: _Lines, r: _Reading) -> bool:
    return r.ingredient.name in _RENNET_SAUCES and not r.listed(lines) and _after_the(lines.text, r.start)


def _clear_title_rennet(readings: list[_Reading], lines: _Lines, title_end: int) -> None:
    """ "Pesto Genovese" over a list that names its cheese: the dish's name only implies the cheese's rennet, and the
    listed cheese carries the violation (Parmigiano-Reggiano) or clears it (a vegetarian hard cheese)."""
    titled = [r for r in readings if r.start < title_end and r.remaining == _RENNET and r.ingredient.name in _RENNET_SAUCES]
    if (
        titled
        and any(x.ingredient is not PART and x.listed(lines) and _names_a_pesto_cheese(lines.text, x) for x in readings)
        and not any(x.remaining and x.ingredient.name in _RENNET_SAUCES and x.listed(lines) for x in readings)
    ):  # (a listed jar of pesto is what the title names)
        for r in titled:
            r.remaining = ()
        for r in readings:  # "toss with the pesto": the one the list makes, not a listed jar
            if r.start >= title_end and r.remaining == _RENNET and _made_pesto_after_the(lines, r):
                r.remaining = ()


def _judge_sublist_headers(ftext: str, readings: list[_Reading], lines: _Lines) -> None:
    """A header's mixture is what its sub-list makes it, and so is "the frangipane" of the steps: an offence its usual
    recipe has ("frangipane" may hold flour) that none of its own lines carries is not in this one; one it only may have
    ("pastry" may be wheat) that its lines carry ("Pastry: 200 g plain flour, ...") is. A sub-list names at least two
    foods ("Chicken: 500 g, diced" is an ingredient line, not a header), and flesh is never read away."""
    made: dict[str, tuple[int, set[str]]] = {}  # ingredient -> (where its sub-list ends, what its lines carry)
    for r in readings:
        if not (r.remaining or (r.head in _MIXTURE_HEADS and r.ingredient.maybe and not r.exempt)):
            continue
        name = r.ingredient.name
        if name in made:
            if len(r.words) == 1 and r.start > made[name][0] and _THE_MADE_RE.search(ftext, max(0, r.start - 24), r.start):
                _made_of(r, made[name][1])  # "spread the frangipane over the jam" (not "400 g bought frangipane")
            continue
        if ftext.find(":", r.start, r.start + 41) < 0:
            continue  # a header's colon ends its name, at most 40 characters on: most mentions have none after them
        line_start = ftext.rfind("\n", 0, r.start) + 1
        header = _HEADER_RE.match(ftext, line_start)
        if header is None or not header.start(1) <= r.start < header.end(1) or "\n" in ftext[header.start(1) : header.end(1)]:
            continue
        block = _sublist_span(ftext, header, lines)
        if block is None:
            continue
        inside = [x for x in readings if block[0] <= x.start < block[1]]
        if len({x.ingredient.name for x in inside if x.ingredient is not PART}) < 2:
            continue
        carried = {t for x in inside for t in x.remaining}
        if r.head in _OWN_MIXTURES and len(r.words) == 1:
            r.remaining = ()  # "Gravy: 2 tbsp lamb dripping, ...": a generic header; its lines carry it (decision 297)
        else:
            _made_of(r, carried)
        made[name] = (block[1], carried)


def _made_of(r: _Reading, carried: set[str]) -> None:
    kept = tuple(t for t in r.remaining if t in carried or t in _FLESH_TAGS)
    if not r.exempt and r.head in _MIXTURE_HEADS:  # a named product ("teriyaki sauce" over its mirin) keeps its verdict
        kept += tuple(t for t in r.ingredient.maybe if t in carried and t not in kept)
    r.remaining = kept


_SECOND_QUANTITY_RE = re.compile(r",[ \t]*(?:\d|[\u00bc-\u00be\u2150-\u215e])")


def _sublist_span(ftext: str, header: re.Match[str], lines: _Lines) -> tuple[int, int] | None:
    """Where the header's sub-list lies: from the rest of its line (when a quantity opens it and a comma lists more) or
    the line below a header that ends its line, down to a blank line, a numbered step or the next header. A line of
    method inside the block only widens it: what the sub-list may carry is never narrowed by where it stops."""
    rest = header.group(2)
    if rest and not (_QUANTITY_LINE_RE.match(rest) and "," in rest):
        return None
    start = header.start(2) if rest else header.end() + 1
    end = header.end() + 1
    # a sub-list whole on its header's line: two quantities, not wrapped onto the next line with a trailing comma
    whole_line = bool(rest) and _SECOND_QUANTITY_RE.search(rest) is not None and not rest.rstrip().endswith(",")
    while end < len(ftext):
        line_end = ftext.find("\n", end)
        line_end = len(ftext) if line_end < 0 else line_end
        line = ftext[end:line_end]
        if not line.strip() or line.rstrip().endswith(":") or _STEP_LINE_RE.match(line) or _HEADER_RE.fullmatch(line):
            break
        if whole_line and lines.is_ingredient_line(end):
            break  # "For the bechamel: 60 g butter, 50 g cornflour, 800 ml milk": the list lines below are the main list
        end = line_end + 1
    end = min(end, len(ftext))
    return (start, end) if end > start else None


def find_violations(text: str, diet: str, *, strict: bool = False) -> list[Violation]:
    """Mentions of foods that ``diet`` forbids, ordered by position.

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
    if not any(ing.name in offences for _, _, ing in found):
        return []  # nothing forbidden is mentioned, so no reference can make anything a violation
    ctx = _Context(ftext)
    negated = _negation_finder(ctx, found)
    qualifiers = _qualifiers_for(diet)
    lines = _Lines(ftext)
    readings = [
        _read_mention(ftext, i, found, offences, ctx, negated, qualifiers, lines)
        if ing.name in offences
        # most mentions are allowed in themselves: no context to read, only a reference can change that (the hot path of
        # a check, so the reading is built here rather than in a function of its own)
        else _Reading(s, e, ing, (), False, None, own[-1] if (own := _words_of(ftext[s:e])) else "", own)
        for i, (s, e, ing) in enumerate(found)
    ]
    readings = _join_compounds(ftext, readings, qualifiers)
    if ctx.blends:
        _join_blends(ftext, readings)
    if "from" in ftext or "made" in ftext or "thickened" in ftext:
        _follow_sources(ftext, readings, offences, "animal rennet" in _offences(diet, False))
    title_cleared = _clear_in_title(ftext, readings, qualifiers, lines)
    _judge_composites(ftext, readings, lines)
    if ":" in ftext:
        _judge_sublist_headers(ftext, readings, lines)
    _resolve_references(ftext, readings, lines)
    _clear_unlisted_dishes(ftext, readings, lines, title_cleared)
    _follow_definitions(readings, lines)
    if "toast" in ftext or "scone" in ftext or "roll" in ftext:
        _clear_bakes_of_cleared_bread(readings, lines)
    _clear_in_claims(ftext, diet, readings, lines)
    title_end = _title_end(ftext, lines)
    clear_headnote_stories(folded, readings, title_end, lines.is_ingredient_line)
    _clear_title_rennet(readings, lines, title_end)
    if diet == "halal" and strict and ("butcher" in ftext or "only" in ftext) and _says_halal_source(ftext):
        _clear_by_halal_source(ftext, diet, readings)
    if "vanilla" in ftext:
        _clear_title_flavours(ftext, readings, lines)
    if ctx.has_brackets:
        _follow_known_glosses(ftext, readings)
    glossed = _follow_glosses(ftext, readings, ctx, lines) if ctx.has_brackets else []
    if glossed:
        readings = sorted(readings + glossed, key=lambda r: r.start)
    violations = []
    for r in readings:
        if r.remaining:
            start, end = folded.span(*r.reported())
            if text[start].isupper() and ftext[r.start : r.end] in _PLACES and _is_place(folded, r.start):
                continue
            violations.append(Violation(text[start:end], r.ingredient.name, r.remaining[0], start, end))
    return violations
