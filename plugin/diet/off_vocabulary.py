"""Open Food Facts ingredients taxonomy -> the oracle's detection vocabulary (``vocabulary.tsv``).

The taxonomy (``data/openfoodfacts/ingredients.txt``, ODbL 1.0, see ``LICENSE.md`` there) names
thousands of ingredients with their parents and a few diet properties. ``derive`` turns each entry
with an English name into a ``Food``: its English surface forms (``key``-folded, with regular
inflections), plus other languages' names where they are safe in English text (``_foreign_forms``),
and the oracle tags it always (``tags``) or possibly (``maybe``) carries. Tags come from ONE table
(``OFF_TAGS``) applied to the entry's ancestors and to the allergens OFF records on them, plus
the generic ``animal-product``/``slaughter-product`` for what OFF's (inherited) vegan/vegetarian
verdicts say and no specific tag explains; OFF's "vegan: yes" clears every animal tag.

The TSV is committed and read by ``load`` (fast, cached); ingredients.txt is only read by the
build, never at import time::

    python -m plugin.diet.off_vocabulary build [--source PATH] [--out PATH]
    python -m plugin.diet.off_vocabulary check   # exit 1 when the committed TSV is stale

Stdlib only; from the project it uses just ``textnorm.key`` and ``lexicon.inflections``.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from plugin.diet.lexicon import inflections
from plugin.diet.textnorm import key

# --------------------------------------------------------------------------
# The one table: OFF ids -> oracle tags. A key is an ingredient id (it applies to the entry and
# every descendant) or an allergen as OFF writes it ("allergens:en:milk", "likely_allergens:...").
# Tags are space-separated; a leading "?" makes it a maybe tag (counts only in strict mode).

OFF_TAGS: dict[str, str] = {
    # land animals
    "en:animal": "meat",  # OFF's root for land animals: cattle, pig, sheep, goat, horse, rabbit, kangaroo, offal
    "en:meat": "meat",  # meat cuts, sausages, cured and prepared meat (incl. poultry and pork meat)
    "en:game-animal": "meat",  # deer, wild boar, partridge
    "en:offal": "meat",  # organ meats (under en:animal too; kept in case OFF moves it)
    "en:meat-stock": "meat",  # "meat broth": OFF files it under broth only
    "en:sheeps-casing": "meat",  # sheep gut: under casing only
    "en:raw-minced-beef-steak-with-10%-fat": "meat",  # parentless in OFF
    "en:raw-minced-beef-steak-with-15%-fat": "meat",  # parentless in OFF
    "en:poultry": "poultry",  # chicken, turkey, duck, goose, quail and their meat, fat, stock
    "en:poultry-fond": "poultry",  # chicken/duck/turkey stock for sauce, under fond only
    "en:dehydrated-poultry-fond": "poultry",  # under fond only
    "en:chicken-wing-meat-and-skin": "poultry",  # parentless in OFF
    "en:chicken-meatball": "poultry",  # under meatball only
    "en:pork": "pork",  # the pig and everything cut from it (ham, bacon, lardons, pork gelatin...)
    "en:pork-fat": "pork",  # lard: OFF files it under animal fat only
    "en:pork-sausage": "pork",  # under meat only
    "en:chorizo": "pork",  # "spicy pork sausage" (its own synonym), under meat only
    "en:salami": "?pork",  # mostly pork; beef and poultry salami exist
    "en:pork-protein": "pork",  # under animal protein only (pork collagen protein is its child)
    "de:hydrolysiertes-schweineprotein": "pork",  # "hydrolyzed pork protein" (first name German), under animal protein only
    "en:blood-proteins": "blood",  # under animal protein
    "en:pigs-blood": "blood",  # under animal protein and pork
    "en:chicken-blood": "blood",  # under animal protein and chicken
    "en:black-pudding": "blood",  # blood sausage, under meat only
    "en:black-botifarra": "blood",  # Catalan blood sausage, under meat only
    # water animals
    "en:fish": "fish",  # all finfish, their roe, stock, protein, surimi
    "en:fish-oil": "fish",  # under oil only (OFF gives it the fish allergen too)
    "en:marine-oil": "fish",  # a block apart from fish oil, under oil only
    "en:lumpfish-egg": "fish",  # fish roe that OFF files under egg
    "en:tuna-egg": "fish",  # fish roe that OFF files under egg
    "en:shellfish": "shellfish",  # crustaceans and molluscs (incl. snail, squid, octopus)
    "en:shellfish-fond": "shellfish",  # under fond only
    "en:tenkasu-with-shrimp": "shellfish",  # tempura bits with shrimp, under tenkasu only
    # other animal products
    "en:egg": "egg",  # eggs of any bird and their parts (white, yolk, powder)
    "en:mayonnaise": "egg",  # an egg-yolk emulsion by definition (Codex STAN 168); OFF files it under sauce only
    "en:dashimaki-tamago": "egg",  # rolled omelette, parentless in OFF
    "en:dairy": "dairy",  # milk of any mammal and its products: cheese, butter, cream, whey, yogurt, kefir...
    "en:lactose": "dairy",  # milk sugar, a root in OFF
    "en:milk-minerals": "dairy",  # a root in OFF
    "en:milk-spread": "dairy",  # a root in OFF
    "en:follow-on-milk": "dairy",  # infant formula, parentless in OFF
    "en:ice-cream": "dairy",  # made with milk fat (21 CFR 135.110); parentless in OFF
    "en:cheese-sauce": "dairy",  # under sauce only
    "en:cream-sauce": "dairy",  # under sauce only
    "en:cheese-rind": "dairy",  # under crust only
    "en:butter-biscuit": "dairy",  # under biscuit only
    "en:dill-butter": "dairy",  # under dill only
    "en:salted-butter-caramel": "dairy",  # parentless in OFF
    "en:salted-butter-caramel-sauce": "dairy",  # under caramel sauce only
    "en:milk-coating": "dairy",  # under coating and preparation only
    "en:milk-and-hazelnut-coating": "dairy tree-nut",  # under coating only
    "en:milk-preparation": "dairy",  # under preparation only
    "en:yogurt-coating": "dairy",  # under coating only
    "en:sweet-potato-puree-cooked-with-cream": "dairy",  # parentless in OFF
    "en:lactose-containing-galacto-oligosaccharides": "dairy",  # under galacto-oligosaccharides only
    "en:cheese": "?animal-rennet",  # OFF: vegetarian maybe, for the rennet
    "en:whey": "?animal-rennet",  # OFF: vegetarian maybe: sweet whey comes from rennet cheese-making
    "en:honey": "honey",  # and its floral/origin varieties
    "en:royal-jelly": "honey",  # bee product, a root in OFF
    "en:propolis": "honey",  # bee product, a root in OFF
    "en:white-and-yellow-beeswax": "honey",  # bee product (E901, an additive outside this taxonomy)
    "en:lemon-cake-honey-preparation": "honey",  # under preparation only
    "en:honey-roasted-peanuts": "honey",  # a root in OFF (with the peanut allergen)
    "en:pollen": "?honey",  # sold as food it is bee pollen (OFF's description), but plant pollen exists
    "en:gelatin": "gelatin",  # beef, pork, fish and kosher gelatine
    "en:aspic": "gelatin",  # "meat jelly", set with gelatine or meat stock; a root in OFF
    "en:animal-fat": "animal-fat",  # lard, suet, beef/calf/sheep/poultry fat
    "en:animal-based-rennet": "animal-rennet",  # calf rennet ("microbial rennet" below it is vegan by OFF)
    "en:sheep-rennet": "animal-rennet",  # under coagulating enzyme only
    "en:coagulating-enzyme": "?animal-rennet",  # OFF: vegan/vegetarian maybe, for rennet
    # plants
    "en:wheat": "gluten-grain",  # incl. durum, semolina, einkorn, emmer, couscous, seitan
    "en:barley": "gluten-grain",  # incl. barley malt, flour, flakes
    "en:rye": "gluten-grain",  # incl. rye malt, flakes, flour
    "en:spelt": "gluten-grain",  # incl. farro, grünkern
    "en:triticale": "gluten-grain",  # no allergen in OFF
    "en:khorasan-wheat": "gluten-grain",  # kamut
    "en:malt": "?gluten-grain",  # unqualified malt is barley malt; corn malt is a child
    "en:rye-bread": "gluten-grain",  # under bread only
    "en:wheat-crispbread": "gluten-grain",  # under crispbread only
    "en:wheat-breadcrumbs": "gluten-grain",  # under breadcrumbs only
    "en:durum-wheat-semolina-pasta": "gluten-grain",  # under pasta only
    "en:whole-durum-wheat-semolina-pasta": "gluten-grain",  # under pasta only
    "en:pasta-made-from-wheat-flour": "gluten-grain",  # under pasta only
    "en:udon": "gluten-grain",  # wheat noodles, under noodle only
    "en:bread": "?gluten-grain",  # wheat or rye unless said otherwise
    "en:breadcrumbs": "?gluten-grain",  # ground bread
    "en:pasta": "?gluten-grain",  # durum wheat unless said otherwise
    "en:biscuit": "?gluten-grain",  # wheat flour unless said otherwise
    "en:cake": "?gluten-grain",  # wheat flour unless said otherwise
    "en:pastry": "?gluten-grain",  # wheat flour unless said otherwise
    "en:pizza-dough": "?gluten-grain",  # OFF: pizza base "likely" has gluten
    "en:wafer": "?gluten-grain",  # wheat flour unless said otherwise (starch wafer is a child)
    "en:soba": "?gluten-grain",  # buckwheat noodles, usually cut with wheat
    "en:oat": "oats",  # oat flakes, bran, flour, gluten-free oats
    "en:oat-milk": "oats",  # parentless in OFF
    "en:oat-base": "oats",  # parentless in OFF
    "en:tree-nut": "tree-nut",  # almond, walnut, hazelnut, cashew, pecan, brazil, macadamia, pistachio...
    "en:pine-nuts": "tree-nut",  # OFF files them under seed; FDA lists pine nut among tree nuts
    "en:hazelnut-spread": "tree-nut",  # a root in OFF
    "en:hazelnut-and-cocoa-spread": "tree-nut",  # a root in OFF
    "en:hazelnut-praline": "tree-nut",  # a root in OFF
    "en:hazelnut-coating": "tree-nut",  # under coating only (chocolate and hazelnut coating is its child)
    "en:hazelnut-filling": "tree-nut",  # under filling only
    "en:hazelnut-paste-with-pieces-of-biscuits": "tree-nut",  # a root in OFF
    "en:chestnut-spread": "tree-nut",  # a root in OFF
    "en:caramelized-pecan-nuts": "tree-nut",  # a root in OFF
    "en:almond-pistachio-preparation": "tree-nut",  # under preparation only
    "en:marzipan": "tree-nut",  # almond paste, a root in OFF
    "en:praliné": "tree-nut",  # caramelised hazelnut/almond paste, a root in OFF
    "en:persipan": "?tree-nut",  # apricot/peach kernels (OFF files apricot kernels under tree nut)
    "en:nougat": "?tree-nut",  # usually almonds or hazelnuts
    "en:peanut": "peanut",  # peanut butter, flour, paste
    "en:coconut": "coconut",  # coconut milk, cream, flakes, water
    "en:soya": "soy",  # soya beans and what is made of them
    "en:soy-base": "soy",  # a root in OFF
    "en:sesame": "sesame",  # seeds, paste
    "en:alcohol": "alcohol",  # wine, beer, cider, spirits, liqueurs, ethanol
    "en:mirin": "alcohol",  # sweet rice wine (about 14 % alcohol), under sauce only
    # allergens OFF records on the entry or an ancestor
    "allergens:en:gluten": "gluten-grain",  # wheat, barley, rye, spelt, kamut, emmer, teff (sic) and their flours
    "likely_allergens:en:gluten": "?gluten-grain",  # croutons, sourdough, speculoos, petit-beurre, pizza base
    "allergens:en:milk": "dairy",  # dairy, milk chocolate, white chocolate
    "allergens:en:eggs": "egg",  # egg, egg pasta, omelette, egg lysozyme
    "allergens:en:fish": "fish",  # fish, fish oil, fish gelatine
    "allergens:en:crustaceans": "shellfish",  # crustaceans
    "allergens:en:molluscs": "shellfish",  # molluscs
    "allergens:en:nuts": "tree-nut",  # tree nuts
    "allergens:en:peanuts": "peanut",  # peanuts
    "allergens:en:soybeans": "soy",  # soya beans, soy sauce, tofu, tempeh, soya lecithin
    "allergens:en:sesame-seeds": "sesame",  # sesame, sesame oil, sesame seed bun
}

TAGS: tuple[str, ...] = (
    "meat",
    "poultry",
    "pork",
    "fish",
    "shellfish",
    "egg",
    "dairy",
    "honey",
    "gelatin",
    "animal-fat",
    "blood",
    "insect",
    "animal-rennet",
    "gluten-grain",
    "oats",
    "tree-nut",
    "peanut",
    "coconut",
    "alcohol",
    "soy",
    "sesame",
    "animal-product",
    "slaughter-product",
)
# Tags a vegetarian refuses: what explains OFF's "vegetarian: no".
SLAUGHTER_TAGS = frozenset(
    {
        "meat",
        "poultry",
        "pork",
        "fish",
        "shellfish",
        "gelatin",
        "animal-fat",
        "blood",
        "insect",
        "animal-rennet",
        "slaughter-product",
    }
)
# Tags a vegan refuses: what explains OFF's "vegan: no"; none of them survives OFF's "vegan: yes".
ANIMAL_TAGS = SLAUGHTER_TAGS | {"egg", "dairy", "honey", "animal-product"}

OFF_DIR = Path(__file__).with_name("data") / "openfoodfacts"
SOURCE = OFF_DIR / "ingredients.txt"
DEFAULT = OFF_DIR / "vocabulary.tsv"
SOURCE_MD5 = "3463c186c14105ba1e747ab799dcfc78"  # the committed copy (early-2026 openfoodfacts-server)
ATTRIBUTION = "Open Food Facts contributors, https://world.openfoodfacts.org"
BUILD_COMMAND = "python -m plugin.diet.off_vocabulary build"
MIN_LETTERS = 3  # shorter forms ("ox", "e1") would match inside too much ordinary text
FILE_MODE = 0o644  # mkstemp files are private; the vocabulary is shared

# OFF ranks a vegan/vegetarian value; where several parents disagree the worst one wins.
_RANK = {"yes": 0, "maybe": 1, "no": 2}
_NAME_RE = re.compile(r"([A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?):\s*(.*)")
_PROPERTY_RE = re.compile(r"([\w-]+):([a-z]{2,3}):\s*(.*)")
_PARENT_RE = re.compile(r"<\s*([a-z]{2,3}):\s*(.+)")
_SEPARATORS = re.compile(r"[\s_-]+")
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


class VocabularyError(ValueError):
    """The taxonomy or the TSV cannot be read; the message names the file (and line)."""


@dataclass(frozen=True)
class Entry:
    """One taxonomy block: its names per language, parent ids and ``prop:lang`` properties."""

    id: str
    names: Mapping[str, tuple[str, ...]]
    parents: tuple[str, ...]
    properties: Mapping[str, str]


@dataclass(frozen=True)
class Food:
    id: str
    name: str  # the English canonical name, as OFF writes it
    forms: tuple[str, ...]  # key()-folded English names and their inflections, safe foreign names, sorted
    tags: tuple[str, ...]  # tags the food always carries
    maybe: tuple[str, ...]  # tags it may carry (strict mode only)


# --------------------------------------------------------------------------
# parsing


def tag_id(lang: str, name: str) -> str:
    """OFF-style id: ``en:wild-boar`` for "en: Wild boar" (case, spaces and hyphens do not matter)."""
    return f"{lang.lower()}:{_SEPARATORS.sub('-', name.strip().lower()).strip('-')}"


def _split_names(text: str) -> tuple[str, ...]:
    names = (part.replace("\\,", ",").strip() for part in _UNESCAPED_COMMA.split(text))
    return tuple(n for n in names if n)


@dataclass
class _Block:
    names: dict[str, list[str]]
    parents: list[tuple[str, str]]
    properties: dict[str, str]


def _blocks(path: Path) -> Iterable[_Block]:
    """Raw blocks: runs of non-blank lines (comments ignored), in file order."""
    block: _Block | None = None
    with path.open(encoding="utf-8") as fh:
        for number, raw in enumerate(fh, 1):
            line = raw.strip()
            if line.startswith("#"):
                continue
            if not line:
                if block is not None:
                    yield block
                block = None
                continue
            if block is None:
                block = _Block({}, [], {})
            _add_line(block, line, path, number)
    if block is not None:
        yield block


def _add_line(block: _Block, line: str, path: Path, number: int) -> None:
    if parent := _PARENT_RE.fullmatch(line):
        block.parents.append((parent[1], parent[2]))
    elif prop := _PROPERTY_RE.fullmatch(line):  # before names: "vegan:en: no" is not a name line
        block.properties[f"{prop[1]}:{prop[2]}"] = prop[3].strip()
    elif name := _NAME_RE.fullmatch(line):  # "La: Artocarpus altilis" occurs: languages are case-blind
        block.names.setdefault(name[1].lower(), []).extend(_split_names(name[2]))
    else:
        raise VocabularyError(f"{path}:{number}: not a parent, name or property line: {line[:60]!r}")


def parse(path: Path) -> dict[str, Entry]:
    """Every named block of the taxonomy, by id, with parents resolved to ids across languages."""
    blocks = [b for b in _blocks(path) if b.names]  # the synonyms:/stopwords: lists (and a stray "< en:plant") have none
    ids = [_block_id(b) for b in blocks]
    index = _name_index(blocks, ids)
    entries: dict[str, Entry] = {}
    for block, eid in zip(blocks, ids):
        if eid in entries:  # two blocks, one id (none in this revision): the first one wins
            continue
        parents = tuple(dict.fromkeys(_resolve(index, lang, name) for lang, name in block.parents))
        names = {lang: tuple(dict.fromkeys(ns)) for lang, ns in block.names.items()}
        entries[eid] = Entry(eid, names, parents, dict(block.properties))
    return entries


def _block_id(block: _Block) -> str:
    lang, names = next(iter(block.names.items()))
    return tag_id(lang, names[0])


def _name_index(blocks: Sequence[_Block], ids: Sequence[str]) -> dict[str, str]:
    """(language, name) -> block id, exact and accent-blind; canonical names win over another block's synonym."""
    index: dict[str, str] = {eid: eid for eid in ids}
    for block, eid in zip(blocks, ids):
        for lang, names in block.names.items():
            for name in names:
                index.setdefault(tag_id(lang, name), eid)
    for block, eid in zip(blocks, ids):  # a fallback: "< en:apple purée" names the block "en: apple puree"
        for lang, names in block.names.items():
            for name in names:
                index.setdefault(_blind(lang, name), eid)
    return index


def _blind(lang: str, name: str) -> str:
    return f"~{lang.lower()}:{key(name)}"  # "~" keeps these apart from real ids


def _resolve(index: Mapping[str, str], lang: str, name: str) -> str:
    """A parent reference's block id; ``xx:`` names hold in every language; an unknown one stays as written."""
    for candidate in (tag_id(lang, name), tag_id("xx", name), _blind(lang, name), _blind("xx", name)):
        if candidate in index:
            return index[candidate]
    return tag_id(lang, name)  # OFF's additives live in another taxonomy: "< en:e322i"


# --------------------------------------------------------------------------
# deriving foods


def derive(entries: Mapping[str, Entry]) -> list[Food]:
    """A ``Food`` for every entry with an English name that leaves a form (not "E1104"), sorted by id."""
    graph = _Graph(entries)
    foods = [_food(entry, graph) for eid, entry in sorted(entries.items()) if entry.names.get("en")]
    foreign = _foreign_forms(entries, {food.id: food.tags for food in foods})
    foods = [_with_forms(food, foreign.get(food.id, ())) for food in foods]
    return [food for food in foods if food.forms]


# Other languages' names ("gambas", "ayam", "speck", "kiauliena") reach English recipe text as dish
# and ingredient names. They are added only for foods that carry one of these tags for sure, only in
# Latin script, and only where the name is unambiguous (every entry that has it agrees on these tags),
# is no English word that the taxonomy's English names and descriptions use, and is long enough not
# to be a short English word by chance (``FOREIGN_MIN_LETTERS`` for one word); ``NOT_FOREIGN`` lists
# English words that pass those tests.
FOREIGN_TAGS = frozenset(
    {"meat", "poultry", "pork", "fish", "shellfish", "egg", "dairy", "honey", "gelatin", "animal-fat", "blood"}
    | {"gluten-grain", "tree-nut", "peanut", "alcohol"}
)
FOREIGN_MIN_LETTERS = 5
NOT_FOREIGN = frozenset(
    # English words (or English food words with another meaning) that are a food's name in another language
    ["cedar", "flask", "hindi", "pastel", "reno", "rumba", "saga", "salam", "vista"]
)
_LATIN_FORM = re.compile(r"[a-z][a-z' -]*[a-z]")


def _english_words(entries: Mapping[str, Entry]) -> frozenset[str]:
    """Every word of the taxonomy's English names and English text properties (descriptions, CIQUAL names)."""
    words: set[str] = set()
    for entry in entries.values():
        for name in entry.names.get("en", ()):
            words.update(key(name).split())
        for prop, value in entry.properties.items():
            if prop.endswith(":en") and not prop.startswith(("wikidata", "wikipedia")):
                words.update(key(value).split())
    return frozenset(words)


def _foreign_forms(entries: Mapping[str, Entry], tags: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """food id -> the key()-folded names other languages give it, where they are safe to match in English text."""
    english = _english_words(entries)
    owners: dict[str, list[str]] = {}
    for eid, entry in sorted(entries.items()):
        if eid not in tags:
            continue
        for lang, names in entry.names.items():
            if lang in ("en", "xx"):
                continue
            for name in names:
                owners.setdefault(key(name), []).append(eid)
    out: dict[str, list[str]] = {}
    for form, eids in owners.items():
        kinds = {frozenset(tags[eid]) & FOREIGN_TAGS for eid in eids}
        words = form.split()
        if (
            len(kinds) != 1
            or not next(iter(kinds))
            or not _LATIN_FORM.fullmatch(form)
            or form in NOT_FOREIGN
            or any(w in english for w in words)
            or (len(words) == 1 and len(form) < FOREIGN_MIN_LETTERS)
        ):
            continue
        out.setdefault(eids[0], []).append(form)
    return {eid: tuple(forms) for eid, forms in out.items()}


def _with_forms(food: Food, extra: Iterable[str]) -> Food:
    if not extra:
        return food
    return Food(food.id, food.name, tuple(sorted(set(food.forms) | set(extra))), food.tags, food.maybe)


class _Graph:
    """Ancestors and inherited properties, memoised (the taxonomy is a DAG, but a cycle must not hang us)."""

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self.entries = entries
        self._ancestors: dict[str, frozenset[str]] = {}
        self._nearest: dict[tuple[str, str], frozenset[str]] = {}

    def ancestors(self, eid: str) -> frozenset[str]:
        """The entry and every id above it (unknown parent ids included: they may be in ``OFF_TAGS``)."""
        if eid not in self._ancestors:
            seen = {eid}
            todo = [eid]
            while todo:
                entry = self.entries.get(todo.pop())
                for parent in entry.parents if entry else ():
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._ancestors[eid] = frozenset(seen)
        return self._ancestors[eid]

    def allergens(self, eid: str) -> set[str]:
        """``allergens:en:milk``-style keys of the entry and every ancestor.

        Unlike vegan/vegetarian, a child's own allergens add to its parents' rather than replace them:
        "soy and sesame sauce" lists sesame, and is still a soy sauce.
        """
        found: set[str] = set()
        for aid in self.ancestors(eid):
            entry = self.entries.get(aid)
            for prop in ("allergens", "likely_allergens"):
                value = entry.properties.get(f"{prop}:en", "") if entry else ""
                found.update(f"{prop}:{a.strip()}" for a in value.split(",") if a.strip())
        return found

    def nearest(self, eid: str, prop: str, visiting: frozenset[str] = frozenset()) -> frozenset[str]:
        """The entry's own value of ``prop``, else the nearest value on each parent path (all of them)."""
        cached = self._nearest.get((eid, prop))
        if cached is not None:
            return cached
        entry = self.entries.get(eid)
        if entry is None or eid in visiting:
            return frozenset()
        if prop in entry.properties:
            found = frozenset({entry.properties[prop]})
        else:
            found = frozenset().union(*(self.nearest(p, prop, visiting | {eid}) for p in entry.parents))
        self._nearest[(eid, prop)] = found
        return found


def _food(entry: Entry, graph: _Graph) -> Food:
    names = entry.names["en"]
    tags, maybe = _tags(entry.id, graph)
    return Food(entry.id, names[0], _forms(names), tags, maybe)


def _forms(names: Iterable[str]) -> tuple[str, ...]:
    forms: set[str] = set()
    for name in names:
        folded = key(name)
        forms.add(folded)
        forms.update(inflections(folded))
    return tuple(sorted(f for f in forms if sum(c.isalpha() for c in f) >= MIN_LETTERS))


def _verdict(values: Iterable[str]) -> str | None:
    """OFF's vegan/vegetarian value: the worst of those inherited (a "no" on one path is a "no")."""
    known = [v for v in values if v in _RANK]
    return max(known, key=_RANK.__getitem__) if known else None


def _tags(eid: str, graph: _Graph) -> tuple[tuple[str, ...], tuple[str, ...]]:
    keys = set(graph.ancestors(eid))
    keys.update(graph.allergens(eid))
    tags: set[str] = set()
    maybe: set[str] = set()
    for k in keys:
        for tag in OFF_TAGS.get(k, "").split():
            (maybe if tag.startswith("?") else tags).add(tag.lstrip("?"))
    vegan, vegetarian = (_verdict(graph.nearest(eid, f"{p}:en")) for p in ("vegan", "vegetarian"))
    _generic(tags, maybe, vegan, vegetarian)
    maybe -= tags
    order = {tag: i for i, tag in enumerate(TAGS)}
    return tuple(sorted(tags, key=order.__getitem__)), tuple(sorted(maybe, key=order.__getitem__))


def _generic(tags: set[str], maybe: set[str], vegan: str | None, vegetarian: str | None) -> None:
    """Apply OFF's vegan/vegetarian verdicts: clear animal tags off plant foods, name what no tag explains."""
    if vegan == "yes":  # plant-based by OFF: that beats an ancestor ("microbial rennet" sits under animal rennet)
        tags -= ANIMAL_TAGS
        maybe -= ANIMAL_TAGS
        vegetarian = "yes"  # and an inherited "vegetarian: no" cannot bring a generic tag back
    if vegetarian == "yes":  # settles our doubts ("acid whey" is no rennet whey), not a definite tag (fish roe)
        maybe -= SLAUGHTER_TAGS
    if vegetarian == "no" and not tags & SLAUGHTER_TAGS:
        tags.add("slaughter-product")
    if vegan == "no" and not tags & ANIMAL_TAGS:
        tags.add("animal-product")
    if vegetarian == "maybe" and not (tags | maybe) & SLAUGHTER_TAGS:
        maybe.add("slaughter-product")
    if vegan == "maybe" and not (tags | maybe) & ANIMAL_TAGS:
        maybe.add("animal-product")


# --------------------------------------------------------------------------
# the TSV

COLUMNS = ("id", "name", "tags", "maybe", "forms")


def md5(path: Path) -> str:
    import hashlib  # build-only: OpenSSL's loader is the costliest import here

    return hashlib.md5(path.read_bytes()).hexdigest()


def render(foods: Iterable[Food], source_md5: str = SOURCE_MD5) -> str:
    """The TSV text: a ``#`` header (what, licence, attribution, source, command), then one food per line by id."""
    header = [
        "Detection vocabulary of the dietary oracle, derived from the Open Food Facts ingredients taxonomy.",
        "Licence: Open Database License (ODbL) 1.0, https://opendatacommons.org/licenses/odbl/1-0/ (contents: DbCL 1.0);",
        "a database derived from this one is ODbL too. See LICENSE.md beside this file.",
        f"Attribution: {ATTRIBUTION}",
        f"Source: openfoodfacts-server taxonomies/food/ingredients.txt (copy beside this file), md5 {source_md5}",
        f"Built by: {BUILD_COMMAND} (do not edit by hand; `... check` tells whether it is stale)",
        "Columns: " + "\\t".join(COLUMNS) + " (tags and maybe comma-joined, forms |-joined)",
    ]
    lines = [f"# {line}" for line in header]
    lines += [_row(food) for food in sorted(foods, key=lambda f: f.id)]
    return "\n".join(lines) + "\n"


def _row(food: Food) -> str:
    fields = (food.id, food.name, ",".join(food.tags), ",".join(food.maybe), "|".join(food.forms))
    if any(c in field for field in fields for c in "\t\n\r"):
        raise VocabularyError(f"{food.id}: a tab or newline in a field would break the TSV")
    return "\t".join(fields)


def write(foods: Iterable[Food], path: Path = DEFAULT, source_md5: str = SOURCE_MD5) -> None:
    """Write the TSV atomically (readers see the old file or the new one), mode 0644."""
    _write_atomic(path, render(foods, source_md5))


def _write_atomic(path: Path, text: str) -> None:
    # plugin.atomic does this for the rest of the project, but the diet package imports only itself
    import tempfile  # build-only, and it drags in shutil/lzma: keep the import of this module cheap

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(source: Path = SOURCE) -> str:
    """The TSV text built from ``source`` (what ``build`` writes and ``check`` compares)."""
    return render(derive(parse(source)), md5(source))


@functools.cache
def load(path: Path = DEFAULT) -> tuple[Food, ...]:
    """The foods of a built TSV (never reads ingredients.txt)."""
    foods: list[Food] = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != len(COLUMNS):
                raise VocabularyError(f"{path}:{number}: expected {len(COLUMNS)} tab-separated fields, got {len(fields)}")
            fid, name, tags, maybe, forms = fields
            foods.append(Food(fid, name, forms=_split(forms, "|"), tags=_split(tags, ","), maybe=_split(maybe, ",")))
    return tuple(foods)


def _split(field: str, sep: str) -> tuple[str, ...]:
    return tuple(field.split(sep)) if field else ()


# --------------------------------------------------------------------------
# command line

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    import argparse  # CLI-only: keep the import of this module cheap

    parser = argparse.ArgumentParser(prog="python -m plugin.diet.off_vocabulary", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, helptext in (("build", "write the TSV from the taxonomy"), ("check", "exit 1 if the TSV is not what build writes")):
        cmd = sub.add_parser(name, help=helptext)
        cmd.add_argument("--source", type=Path, default=SOURCE, help=f"taxonomy (default: {SOURCE})")
        cmd.add_argument("--out", type=Path, default=DEFAULT, help=f"TSV (default: {DEFAULT})")
    args = parser.parse_args(argv)
    try:
        text = build(args.source)
    except FileNotFoundError:
        return _fail(f"no such file: {args.source}")
    except (OSError, UnicodeDecodeError, VocabularyError) as exc:
        return _fail(f"cannot read {args.source}: {exc}")
    if args.command == "build":
        _write_atomic(args.out, text)
        print(f"wrote {args.out}: {sum(not line.startswith('#') for line in text.splitlines())} foods")
        return EXIT_OK
    return _check(args.out, text)


def _check(out: Path, text: str) -> int:
    try:
        current = out.read_bytes().decode("utf-8")
    except FileNotFoundError:
        current = None
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read {out}: {exc}")
    if current == text:
        return EXIT_OK
    state = "missing" if current is None else "stale"
    print(f"{out} is {state}: run `{BUILD_COMMAND}`", file=sys.stderr)
    return EXIT_STALE


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
