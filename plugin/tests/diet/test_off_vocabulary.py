"""The Open Food Facts detection vocabulary: reproducible from the committed taxonomy, and its tags make sense."""

from __future__ import annotations

import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from plugin.diet import off_vocabulary as off
from plugin.diet.textnorm import key
from plugin.paths import ROOT

ANIMAL = off.ANIMAL_TAGS


@pytest.fixture(scope="module")
def entries() -> dict[str, off.Entry]:
    return off.parse(off.SOURCE)


@pytest.fixture(scope="module")
def foods() -> dict[str, off.Food]:
    return {food.id: food for food in off.load()}


# --------------------------------------------------------------------------
# provenance and reproducibility


def test_the_copy_is_the_pinned_upstream_revision() -> None:
    assert off.md5(off.SOURCE) == off.SOURCE_MD5 == "3463c186c14105ba1e747ab799dcfc78"
    assert off.SOURCE.stat().st_size == 2_551_966


def test_the_committed_tsv_is_what_build_produces() -> None:
    assert off.DEFAULT.read_text(encoding="utf-8") == off.build(off.SOURCE)


def test_licence_and_attribution_travel_with_the_data() -> None:
    notice = (off.OFF_DIR / "LICENSE.md").read_text(encoding="utf-8")
    for needed in ("ODbL", "DbCL", off.ATTRIBUTION, off.SOURCE_MD5, "vocabulary.tsv", "share-alike"):
        assert needed in notice
    header = [line for line in off.DEFAULT.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    for needed in ("ODbL", off.ATTRIBUTION, off.SOURCE_MD5, off.BUILD_COMMAND):
        assert any(needed in line for line in header), needed


# --------------------------------------------------------------------------
# the table and the invariants


def test_every_table_key_names_something_in_the_taxonomy(entries: dict[str, off.Entry]) -> None:
    allergens = {
        f"{prop}:{a.strip()}"
        for e in entries.values()
        for prop in ("allergens", "likely_allergens")
        for a in e.properties.get(f"{prop}:en", "").split(",")
        if a.strip()
    }
    unknown = [k for k in off.OFF_TAGS if k not in entries and k not in allergens]
    assert unknown == []
    used = {tag.lstrip("?") for tags in off.OFF_TAGS.values() for tag in tags.split()}
    assert used <= set(off.TAGS)


def test_rows_are_well_formed(foods: dict[str, off.Food]) -> None:
    assert list(foods) == sorted(foods)
    for food in foods.values():
        assert food.forms and list(food.forms) == sorted(set(food.forms))
        assert all(form == key(form) and sum(c.isalpha() for c in form) >= 3 for form in food.forms)
        assert set(food.tags) <= set(off.TAGS) and set(food.maybe) <= set(off.TAGS)
        assert not set(food.tags) & set(food.maybe)


def test_what_off_calls_vegan_carries_no_animal_tag(entries: dict[str, off.Entry], foods: dict[str, off.Food]) -> None:
    vegan = [fid for fid, e in entries.items() if e.properties.get("vegan:en") == "yes" and fid in foods]
    assert len(vegan) > 50
    assert [fid for fid in vegan if (set(foods[fid].tags) | set(foods[fid].maybe)) & ANIMAL] == []


# --------------------------------------------------------------------------
# spot checks (by id; the second test checks the names reach those ids)

TAGGED = {
    "fish": [
        "en:hake",
        "en:sole",
        "en:anglerfish",
        "en:turbot",
        "en:carp",
        "en:perch",
        "en:whiting",
        "en:european-sprat",
        "en:freshwater-bream",
        "en:grouper",
        "en:albacore",
        "en:fish-oil",
        "en:marine-oil",
    ],
    "shellfish": ["en:shellfish", "en:crustacean", "en:mollusc", "en:abalone", "en:snail"],
    "meat": ["en:wild-boar", "en:kangaroo", "en:bresaola", "en:lamb", "en:venison"],
    "pork": ["en:lardon", "en:coppa", "en:pig-cheek", "en:lard", "en:chorizo"],
    "poultry": ["en:chicken-breast", "en:turkey-meat", "en:duck-meat"],
    "dairy": [
        "en:edam",
        "en:fontina",
        "en:havarti",
        "en:taleggio",
        "en:raclette",
        "en:quark",
        "en:skyr",
        "en:kefir",
        "en:milkfat",
        "en:butter",
        "en:ghee",
    ],
    "egg": ["en:egg", "en:egg-yolk", "en:mayonnaise"],
    "honey": ["en:honey", "en:royal-jelly", "en:propolis"],
    "gelatin": ["en:gelatin", "en:pork-gelatin", "en:fish-gelatine"],
    "animal-fat": ["en:lard", "en:suet", "en:beef-fat", "en:duck-fat"],
    "blood": ["en:black-pudding", "en:pigs-blood"],
    "animal-rennet": ["en:animal-based-rennet"],
    "gluten-grain": ["en:wheat-flour", "en:barley", "en:rye", "en:spelt", "en:durum-wheat-semolina", "en:seitan", "en:couscous"],
    "oats": ["en:oat-flakes"],
    "tree-nut": ["en:almond", "en:walnut", "en:hazelnut", "en:cashew-nuts", "en:marzipan"],
    "peanut": ["en:peanut", "en:peanut-butter"],
    "coconut": ["en:coconut-milk"],
    "alcohol": ["en:wine", "en:beer", "en:red-wine", "en:rum"],
    "soy": ["en:tofu", "en:soy-sauce"],
    "sesame": ["en:sesame-seeds", "en:tahini"],
}


@pytest.mark.parametrize(("tag", "fid"), [(tag, fid) for tag, fids in TAGGED.items() for fid in fids])
def test_spot_check_tags(foods: dict[str, off.Food], tag: str, fid: str) -> None:
    assert tag in foods[fid].tags, foods[fid]


@pytest.mark.parametrize(
    ("form", "fid"),
    [("monkfish", "en:anglerfish"), ("sprat", "en:european-sprat"), ("bream", "en:freshwater-bream"), ("lardons", "en:lardon")]
    + [("eggplant", "en:aubergine"), ("bresaola", "en:bresaola"), ("tahini", "en:tahini"), ("milk fat", "en:milkfat")],
)
def test_names_reach_the_food(foods: dict[str, off.Food], form: str, fid: str) -> None:
    assert form in foods[fid].forms


def test_specific_parents_beat_generic_ones(foods: dict[str, off.Food]) -> None:
    assert "pork" not in foods["en:bresaola"].tags  # bresaola is beef
    assert "poultry" not in foods["en:egg"].tags  # an egg is not poultry
    assert "dairy" not in foods["en:cocoa-butter"].tags + foods["en:shea-butter"].tags
    assert "animal-rennet" in foods["en:parmigiano-reggiano"].maybe  # OFF: cheese is vegetarian "maybe"
    assert foods["en:microbial-rennet"].tags == () == foods["en:microbial-rennet"].maybe  # vegan by OFF
    assert "slaughter-product" in foods["en:collagen"].tags  # OFF: not vegetarian, no specific tag
    assert "animal-product" in foods["en:animal-protein"].tags  # OFF: not vegan, vegetarian maybe
    assert "animal-product" in foods["en:wine"].maybe  # OFF: alcohol is vegan "maybe" (fining)
    assert "gluten-grain" in foods["en:bread"].maybe and "gluten-grain" not in foods["en:corn-flour"].tags


PLANT = [
    "en:tomato",
    "en:coconut-milk",
    "en:peanut-butter",
    "en:cocoa-butter",
    "en:aubergine",
    "en:butternut-squash",
    "en:buckwheat",
    "en:nutmeg",
    "en:vegetable-oil",
    "en:soy-milk",
    "en:oat-milk",
    "en:rice-milk",
    "en:almond-flour",
]


@pytest.mark.parametrize("fid", PLANT)
def test_plant_foods_carry_no_animal_tag(foods: dict[str, off.Food], fid: str) -> None:
    assert not (set(foods[fid].tags) | set(foods[fid].maybe)) & ANIMAL, foods[fid]


def test_plant_foods_keep_their_own_tags(foods: dict[str, off.Food]) -> None:
    assert foods["en:butternut-squash"].tags == () == foods["en:butternut-squash"].maybe
    assert foods["en:coconut-milk"].tags == ("coconut",)
    assert foods["en:peanut-butter"].tags == ("peanut",)
    assert "tree-nut" in foods["en:almond-flour"].tags
    assert "gluten-grain" not in foods["en:buckwheat"].tags + foods["en:buckwheat"].maybe
    assert "tree-nut" not in foods["en:nutmeg"].tags + foods["en:nutmeg"].maybe


# --------------------------------------------------------------------------
# parsing rules, on a small taxonomy

TINY = textwrap.dedent(
    """\
    # a comment
    synonyms:en: colour, color

    stopwords:en: and, or

    en: animal

    < en:animal
    en: fish
    fr: poisson
    vegan:en: no
    vegetarian:en: no
    allergens:en: en:fish

    < fr:poisson
    en: Hake, merluza
    fr: merlu

    < en:fish
    fr: cabillaud

    < fr:cabillaud
    en: salt cod\\, dried
    xx: bacalao

    en: plant
    vegan:en: yes
    vegetarian:en: yes

    < en:plant
    < en:fish
    en: fishy plant

    < en:fish
    en: fish-free fish
    vegan:en: yes

    < en:sauce
    en: soy sauce
    allergens:en: en:soybeans
    vegan:en: maybe
    vegetarian:en: maybe

    < en:soy sauce
    en: soy and sesame sauce, ss
    allergens:en: en:sesame-seeds
    """
)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "ingredients.txt"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_parse_resolves_parents_across_languages(tiny: Path) -> None:
    entries = off.parse(tiny)
    assert "en:colour" not in entries and len(entries) == 10  # the synonyms:/stopwords: blocks are no entries
    assert entries["en:hake"].parents == ("en:fish",)  # "< fr:poisson" is the block whose id is en:fish
    assert entries["fr:cabillaud"].parents == ("en:fish",)  # a block without English stays in the graph
    assert entries["en:salt-cod,-dried"].parents == ("fr:cabillaud",)
    assert entries["en:salt-cod,-dried"].names["en"] == ("salt cod, dried",)  # "\\," is a literal comma
    assert entries["en:soy-sauce"].parents == ("en:sauce",)  # unknown parents stay as written


def test_derive_inherits_and_generalises(tiny: Path) -> None:
    foods = {f.id: f for f in off.derive(off.parse(tiny))}
    assert "fr:cabillaud" not in foods  # no English name: no food
    assert foods["en:hake"].name == "Hake" and foods["en:hake"].forms == (
        "hake",
        "hakes",
        "merlu",
        "merluza",
        "merluzas",
    )  # fr: merlu
    assert foods["en:hake"].tags == ("meat", "fish")  # en:animal and en:fish are both in the table
    assert foods["en:salt-cod,-dried"].tags == ("meat", "fish")  # through the French-only block
    assert foods["en:fishy-plant"].tags == ("meat", "fish")  # parents disagree (vegan yes/no): the worse wins
    assert foods["en:fish-free-fish"].tags == ()  # its own "vegan: yes" clears what its parent gives
    assert foods["en:soy-and-sesame-sauce"].tags == ("soy", "sesame")  # allergens add up: it is still a soy sauce
    assert foods["en:soy-and-sesame-sauce"].forms == ("soy and sesame sauce", "soy and sesame sauces")  # "ss" is too short
    assert foods["en:soy-sauce"].maybe == ("slaughter-product",)  # vegetarian maybe, and that explains vegan maybe
    assert foods["en:animal"].tags == ("meat",)
    assert "poisson" in foods["en:fish"].forms  # another language's name of a food with a diet tag


def test_foreign_names_only_where_safe(foods: dict[str, off.Food]) -> None:
    assert "gambas" in foods["en:deep-sea-shrimp"].forms and "kiauliena" in foods["en:pork"].forms
    assert "fenek" in foods["en:rabbit"].forms and "speck" in foods["en:bacon"].forms
    every = {form for food in foods.values() for form in food.forms}
    assert "pain" not in every  # French bread, but an English word of the taxonomy's English text
    assert "ayam" not in every and "kip" not in every  # one short word: too likely an English word by chance
    assert "sole" in every and "vista" not in every  # English; NOT_FOREIGN
    assert "mantequilla" in foods["en:butter"].forms and "pomme de terre" not in every  # only foods with a diet tag


# --------------------------------------------------------------------------
# load, write and the command line


def test_load_reads_only_the_tsv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "vocabulary.tsv"
    copy.write_bytes(off.DEFAULT.read_bytes())
    monkeypatch.setattr(off, "parse", lambda path: pytest.fail("load() parsed the taxonomy"))
    monkeypatch.setattr(off, "SOURCE", tmp_path / "absent.txt")
    assert off.load(copy) == off.load()
    assert len(off.load(copy)) > 4000


def test_write_is_whole_and_0644(tmp_path: Path, foods: dict[str, off.Food]) -> None:
    out = tmp_path / "sub" / "vocabulary.tsv"
    off.write(list(foods.values())[:3], out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert [p.name for p in out.parent.iterdir()] == ["vocabulary.tsv"]
    assert off.load(out) == tuple(list(foods.values())[:3])


def test_check_passes_on_the_committed_tsv() -> None:
    assert off.main(["check"]) == 0


def test_check_flags_a_stale_tsv_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "vocabulary.tsv"
    stale.write_text(off.DEFAULT.read_text(encoding="utf-8").replace("en:hake\thake\tfish", "en:hake\thake\t"), encoding="utf-8")
    assert off.main(["check", "--out", str(stale)]) == 1
    assert off.main(["check", "--out", str(tmp_path / "missing.tsv")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "stale" in err[0] and "missing" in err[1] and off.BUILD_COMMAND in err[0]


def test_build_writes_the_same_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "vocabulary.tsv"
    assert off.main(["build", "--out", str(out)]) == 0
    assert out.read_bytes() == off.DEFAULT.read_bytes()
    assert "foods" in capsys.readouterr().out


def test_missing_source_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert off.main(["build", "--source", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "v.tsv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.txt" in err
    assert not (tmp_path / "v.tsv").exists()


def test_importing_the_module_reads_no_data_file() -> None:
    probe = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == 'open' else None)\n"
        "import plugin.diet.off_vocabulary\n"
        "print('\\n'.join(p for p in opened if not p.endswith(('.py', '.pyc'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
