"""Curated oracle cases plus API-level checks for plugin.diet."""

from __future__ import annotations

import subprocess
import sys

import pytest

from plugin import diet
from plugin.diet import (
    DIET_CHOICES,
    DIETS,
    Ingredient,
    LexiconError,
    UnknownIngredientError,
    Violation,
    allowed_ingredients,
    canonical,
    find_violations,
    forbidden_ingredients,
    ingredients,
    is_forbidden,
)
from plugin.diet.lexicon import load
from plugin.paths import ROOT
from plugin.tests.diet.oracle_benchmark import REPORT_PATH, evaluate, expected_violations, load_cases, markdown_table

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_curated(case):
    got = [(v.term, v.ingredient, v.start, v.end) for v in find_violations(case["text"], case["diet"], strict=case["strict"])]
    assert got == expected_violations(case)


def test_curated_cases_cover_every_diet_and_strictness():
    assert len(CASES) >= 150
    assert {c["diet"] for c in CASES} == set(DIETS)
    assert len({c["id"] for c in CASES}) == len(CASES)
    for d in DIETS:
        mine = [c for c in CASES if c["diet"] == d]
        assert any(c["expect"] for c in mine) and any(not c["expect"] for c in mine), d


def test_violation_offsets_index_original_text():
    text = "Straße: add ﬁsh sauce, then CRÈME FRAÎCHE and İstanbul bacon."
    found = find_violations(text, "vegan")
    assert [v.ingredient for v in found] == ["fish sauce", "creme fraiche", "bacon"]
    for v in found:
        assert text[v.start : v.end] == v.term
    assert found == sorted(found, key=lambda v: v.start)


def test_violation_is_frozen_dataclass():
    v = find_violations("bacon", "vegan")[0]
    assert v == Violation("bacon", "bacon", "pork", 0, 5)
    with pytest.raises(AttributeError):
        v.term = "x"  # type: ignore[misc]


def test_category_is_the_offending_tag():
    (pesto,) = find_violations("pesto", "vegan")
    (pesto_nut,) = find_violations("pesto", "nut-free")
    (worcester,) = find_violations("worcestershire sauce", "vegetarian")
    assert (pesto.category, pesto_nut.category, worcester.category) == ("dairy", "tree-nut", "fish")


def test_unknown_diet_lists_known_diets():
    with pytest.raises(ValueError) as err:
        find_violations("bacon", "keto")
    for name in DIET_CHOICES:
        assert name in str(err.value)


def test_none_forbids_nothing():
    assert find_violations("bacon, beer, peanut butter and shrimp", "none") == []
    assert find_violations("bacon", "none", strict=True) == []
    assert forbidden_ingredients("none") == []


def test_empty_and_plain_text():
    for d in DIET_CHOICES:
        assert find_violations("", d) == []
        assert find_violations("Just salt, water and time.", d, strict=True) == []


def test_diet_choices():
    assert DIETS == ("vegetarian", "vegan", "pescatarian", "gluten-free", "dairy-free", "nut-free", "halal")
    assert DIET_CHOICES == DIETS + ("none",)


def test_lexicon_size_and_display_categories():
    ings = ingredients()
    assert len(ings) >= 400
    assert all(isinstance(i, Ingredient) and i.display and i.category for i in ings)
    by_category = {i.category for i in ings}
    for needed in (
        "vegetable",
        "fruit",
        "grain",
        "gluten-grain",
        "legume",
        "tree-nut",
        "peanut",
        "seed",
        "dairy",
        "egg",
        "meat",
        "poultry",
        "pork",
        "fish",
        "shellfish",
        "oil",
        "spice",
        "condiment",
        "sweetener",
        "baking",
        "alcohol",
    ):
        assert needed in by_category


def test_seed_display_categories():
    display = {i.name: i.display for i in ingredients()}
    assert [display[canonical(n)] for n in ("tomato", "garlic", "chicken breast", "olive oil", "pasta", "salt", "pepper")] == [
        "vegetable",
        "vegetable",
        "meat",
        "oil",
        "grain",
        "seasoning",
        "seasoning",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Chick Peas", "chickpeas"),
        ("tomatoes", "tomato"),
        ("AUBERGINE", "eggplant"),
        ("jalapeños", "jalapeno"),
        ("Strawberries", "strawberry"),
        ("scallions", "green onion"),
        ("bay leaves", "bay leaf"),
    ],
)
def test_canonical(name, expected):
    assert canonical(name) == expected


def test_canonical_unknown_is_clear():
    with pytest.raises(UnknownIngredientError) as err:
        canonical("unobtainium")
    assert "unobtainium" in str(err.value)
    assert isinstance(err.value, KeyError) and isinstance(err.value, ValueError)


def test_is_forbidden_and_partitions():
    assert is_forbidden("chicken breast", "vegetarian")
    assert not is_forbidden("salmon", "pescatarian")
    assert is_forbidden("honey", "vegan"), "The Vegan Society excludes honey"
    assert not is_forbidden("sugar", "vegan") and is_forbidden("sugar", "vegan", strict=True), "bone char is disputed"
    assert is_forbidden("peanuts", "nut-free")
    for d in DIET_CHOICES:
        allowed, forbidden = set(allowed_ingredients(d)), set(forbidden_ingredients(d))
        assert not allowed & forbidden
        assert len(allowed | forbidden) == len(ingredients())
        assert forbidden <= set(forbidden_ingredients(d, strict=True))


def test_vegan_is_stricter_than_vegetarian():
    assert set(forbidden_ingredients("vegetarian")) <= set(forbidden_ingredients("vegan"))
    assert set(forbidden_ingredients("pescatarian")) <= set(forbidden_ingredients("vegetarian"))


def test_import_is_light():
    code = (
        "import sys, time; t = time.perf_counter(); import plugin.diet; dt = time.perf_counter() - t; "
        "heavy = [m for m in ('mlx', 'numpy', 'transformers', 'yaml') if m in sys.modules]; "
        "assert not heavy, heavy; assert 'plugin.diet.lexicon' in sys.modules; "
        "assert plugin.diet.find_violations('bacon', 'vegan'); print(dt)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert float(out.stdout) < 0.5


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


LEX_HEAD = '[categories]\nvegetable = "vegetable"\n[tags]\nextra = []\n[ingredients.vegetable]\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('tomato = { colour = "red" }\n', "ingredient 'tomato' in [ingredients.vegetable]: unknown key 'colour'"),
        ('tomato = { contains = ["plutonium"] }\n', "unknown tag 'plutonium'"),
        ('tomato = { synonyms = "tomatoes" }\n', "'synonyms' must be a list"),
        ("Tomato = {}\n", "ingredient 'Tomato'"),
        ('tomato = {}\nroma = { synonyms = ["tomato"] }\n', "already belongs to 'tomato'"),
    ],
)
def test_lexicon_validation_names_file_and_entry(tmp_path, body, message):
    lex = _write(tmp_path, "bad_lexicon.toml", LEX_HEAD + body)
    with pytest.raises(LexiconError) as err:
        load(lex)
    assert "bad_lexicon.toml" in str(err.value) and message in str(err.value)


def test_diet_validation_names_file_and_diet(tmp_path):
    lex = _write(tmp_path, "lex.toml", LEX_HEAD + "tomato = {}\n")
    body = "".join(f'[diets.{d}]\npolicy = "p"\nforbid = []\nprompt_forbids = "x"\n' for d in DIETS if d != "halal")
    diets = _write(tmp_path, "bad_diets.toml", body + '[diets.halal]\npolicy = "p"\nforbid = ["pork"]\nprompt_forbids = "x"\n')
    with pytest.raises(LexiconError) as err:
        load(lex, diets)
    assert "bad_diets.toml" in str(err.value) and "diet 'halal'" in str(err.value) and "'pork'" in str(err.value)


def test_detection_form_validation_names_file_and_form(tmp_path):
    from plugin.diet.detection import _curated_forms

    bad = _write(tmp_path, "bad_detection.toml", '[forms]\n"bitters" = { tags = ["alcohol"], exact = "yes", why = "w" }\n')
    with pytest.raises(LexiconError) as err:
        _curated_forms(bad)
    assert str(err.value) == f"{bad}: form 'bitters': exact must be true or false"


@pytest.mark.parametrize(
    ("form", "what"),
    [("hamburger bun", "a lexicon ingredient's own name"), ("brioche roll", "not a lexicon synonym")],
)
def test_detection_override_must_name_a_lexicon_synonym(tmp_path, form, what):
    from plugin.diet.detection import detection_vocabulary

    bad = _write(tmp_path, "bad_detection.toml", f'[forms]\n"{form}" = {{ tags = [], overrides = true, why = "w" }}\n')
    with pytest.raises(LexiconError) as err:
        detection_vocabulary(bad)
    assert str(err.value) == f"{bad}: form {form!r}: overrides = true, but the form is {what}"


def test_brioche_bun_overrides_the_lexicon_for_detection_only():
    """The lexicon's "hamburger bun" keeps "brioche bun" as a synonym (the pantry is unchanged); detection reads it, and a
    later bare "the buns", as brioche: eggs and butter."""
    assert load().surface["brioche buns"] == "hamburger bun"
    assert [(v.term, v.category) for v in find_violations("4 brioche buns, split. Toast the buns.", "vegan")] == [
        ("brioche buns", "egg"),
        ("buns", "egg"),
    ]
    assert find_violations("4 burger buns, split. Toast the buns.", "vegan") == []


def test_exact_detection_form_has_no_inflections():
    """ "bitters" (cocktail bitters) is alcohol; "bitter", the taste, is no food."""
    assert [v.term for v in find_violations("a few dashes of Angostura bitters, then the bitters again", "halal")] == [
        "Angostura bitters",
        "bitters",
    ]
    assert find_violations("a bitter, smoky mauby drink", "halal") == []


def test_oracle_beats_the_seeds_substring_check():
    results = evaluate()
    oracle, naive = results["oracle (plugin.diet)"], results["naive substring (seed)"]
    for name in (d for d in oracle if d != "all"):
        o, n = oracle[name], naive[name]
        assert o.span_precision >= n.span_precision and o.span_recall >= n.span_recall, name
    assert oracle["all"].span_precision > naive["all"].span_precision + 0.3, "the oracle's edge is the false alarms it avoids"
    assert oracle["all"].case_recall >= naive["all"].case_recall


def test_benchmark_report_is_current():
    """ORACLE_BENCHMARK.md is what the benchmark prints now (regenerate with --write)."""
    table = markdown_table()
    assert REPORT_PATH.read_text(encoding="utf-8") == "# Dietary oracle benchmark\n\n" + table


def test_public_api_exported():
    for name in (
        "DIETS",
        "DIET_CHOICES",
        "find_violations",
        "parse_recipe",
        "render_recipe",
        "build_messages",
        "render_prompt",
        "pantry_line",
        "ungrounded",
        "canonical",
        "ingredients",
        "is_forbidden",
        "allowed_ingredients",
        "forbidden_ingredients",
        "Violation",
        "Recipe",
        "STAPLES",
    ):
        assert hasattr(diet, name), name


# Round 8: prose that says what other cooks (or the family) do, set against this recipe, names what it leaves out.
@pytest.mark.parametrize(
    ("diet", "text"),
    [
        ("vegan", "Most glazed carrots use honey; maple does the job here."),
        ("vegetarian", "Most families make this with beef stock; ours uses kelp instead."),
        ("vegetarian", "My grandmother always added ham; I never do."),
        ("vegan", "My baba's borscht ended with sour cream; this one has neither."),
        ("pescatarian", "Plenty of fish stews start with chorizo; I leave it out."),
        ("gluten-free", "Many cooks blend in soda crackers; I use extra cheese."),
        ("halal", "Ordinary gummy sweets use pork gelatine; these are made with beef gelatine."),
    ],
)
def test_attributed_then_contrasted_prose_is_not_a_violation(diet, text):
    assert find_violations(text, diet) == []


def test_attributed_food_on_an_ingredient_line_still_counts():
    text = "Pea Soup\n1 onion\n200 g ham (many cooks use 300 g ham; we use less)\n1. Simmer."
    assert [v.term for v in find_violations(text, "vegetarian")] == ["ham", "ham"]


@pytest.mark.parametrize(
    ("diet", "text"),
    [
        ("gluten-free", "Entirely oat-free, for the friends who can't have oats."),
        ("halal", "Pour into tall glasses; nobody misses the rum."),
        ("gluten-free", "Despite the name, buckwheat has nothing to do with wheat."),
        ("halal", "Molasses gives the depth you would otherwise get from red wine."),
        ("vegan", "Sweetened with maple syrup only, so there is no refined sugar."),
    ],
)
def test_absence_phrases_clear_the_food(diet, text):
    assert find_violations(text, diet, strict=True) == []


def test_a_name_glossed_by_a_forbidden_food_is_that_food_everywhere():
    text = "Fasolada with Loukaniko\n2 loukaniko (Greek pork sausages), sliced\n1. Brown the loukaniko."
    assert [v.term for v in find_violations(text, "halal")] == ["Loukaniko", "loukaniko", "pork sausages", "loukaniko"]


@pytest.mark.parametrize(
    "text",
    [
        "Tamagoyaki (Rolled Omelette)\n4 eggs\n1. Roll up the tamagoyaki.",  # a title names a dish, not a food
        "200 g groundnut paste (peanut butter)\n1. Stir in the paste.",  # "paste" is part of the line's food
        "1 tbsp oil (or butter)\n1. Heat the oil.",  # an alternative, not a gloss
    ],
)
def test_only_a_listed_name_is_glossed(text):
    found = [v.term.lower() for v in find_violations(text, "vegan")]
    assert not {"tamagoyaki", "paste", "oil"} & set(found)


@pytest.mark.parametrize(
    ("diet", "text"),
    [
        ("nut-free", "Out of pine nuts? Toasted seeds are just as good here."),
        ("nut-free", "If you've run out of pine nuts, use sunflower seeds."),
        ("vegan", "100 g flour, 150 ml plant milk\n1. Dip the florets in the flour and milk batter."),
    ],
)
def test_missing_food_and_plant_milk_are_not_violations(diet, text):
    assert find_violations(text, diet) == []


def test_out_of_the_oven_is_not_out_of_the_food():
    assert [v.term for v in find_violations("Take the bacon out of the pan.", "halal")] == ["bacon"]


def test_the_title_dish_in_a_step_is_the_plant_named_dish():
    text = (
        "Sunflower Seed Pesto\n50 g sunflower seeds\nA bunch of basil\n100 ml olive oil\n"
        "1. Pound the seeds and basil.\n2. Keep the pesto in a jar."
    )
    assert find_violations(text, "nut-free") == []


def test_rendered_fat_is_the_listed_food():
    recipe = "Breakfast Muffins\n4 muffins\n8 rashers {} bacon\n4 eggs\n1. Fry the bacon.\n2. Fry the eggs in the bacon fat."
    assert find_violations(recipe.format("halal beef"), "halal") == []
    assert [v.term for v in find_violations(recipe.format("smoked"), "halal")] == ["smoked bacon", "bacon", "bacon fat"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jamaican Jackfruit Curry, Goat-Curry Style", []),
        ("1 tsp chicken-style seasoning", []),
        ("Pork Belly Chinese Style", ["Pork Belly"]),  # a spaced word between: the pork is the dish
    ],
)
def test_food_style_is_an_imitation(text, expected):
    assert [v.term for v in find_violations(text, "vegan")] == expected


def test_ordinary_food_is_not_the_qualified_one_named_before():
    text = "Shortbread\n200 g vegan butter\n300 g flour\n100 g sugar\nIf you can't find vegan butter, ordinary butter works too."
    assert [v.term for v in find_violations(text, "vegan")] == ["butter"]


@pytest.mark.parametrize(
    ("diet", "text", "term"),
    [
        ("halal", "150 g kabanosy, cut into short lengths", "kabanosy"),
        ("vegan", "2 tbsp niter kibbeh, melted", "niter kibbeh"),
        ("gluten-free", "Serve with slices of rupjmaize.", "rupjmaize"),
        ("pescatarian", "Serve the salmon with a tray of pigs in blankets.", "pigs in blankets"),
        ("vegan", "Heat gently until the curds separate.", "curds"),
        ("halal", "Add the prošek and water.", "prošek"),
    ],
)
def test_round_8_detection_forms(diet, text, term):
    assert [v.term for v in find_violations(text, diet)] == [term]


def test_bean_curd_is_not_milk_curds():
    assert find_violations("200 g bean curd, cubed", "vegan") == []


@pytest.mark.parametrize("text", ['6 vegetarian "chorizo" sausages, sliced', "6 vegetarian \u201cchorizo\u201d sausages, sliced"])
def test_a_qualifier_reaches_over_a_quoted_word(text):
    assert find_violations(text, "pescatarian") == []


@pytest.mark.parametrize(
    ("diet", "text", "expected"),
    [
        ("dairy-free", "250 ml oat cream\nStir the cream into the soup just before serving", []),
        ("halal", "2 tbsp halal beef bacon, chopped\nFry the bacon until it starts to crisp, then add the onion", []),
        ("pescatarian", "4 chicken thighs\nRoast the thighs until the skin is crisp", ["chicken thighs", "thighs"]),
    ],
)
def test_a_step_without_a_full_stop_under_the_list_is_not_listed(diet, text, expected):
    assert [v.term for v in find_violations(text, diet)] == expected


def test_a_list_line_under_the_list_is_still_listed():
    text = "300 g vegan sausages\nFor the syrup: juice of 2 lemons and 100 g sugar"
    assert find_violations(text, "vegan") == []


@pytest.mark.parametrize(
    ("diet", "text", "expected"),
    [
        ("vegan", "200 g smoked tofu, cut into lardons", []),
        ("vegetarian", "Mix the cheese, crumbs and leek, shape into 8 sausages and chill.", []),
        ("vegetarian", "Shape the beef mince into 4 burgers.", ["beef mince", "burgers"]),
        ("gluten-free", "Flour the fillets, dip in egg and press into panko", ["panko"]),
    ],
)
def test_a_meat_form_after_shaping_into_is_a_shape(diet, text, expected):
    assert [v.term for v in find_violations(text, diet)] == expected


def test_a_title_dish_shaped_in_the_steps_is_that_shape():
    text = (
        "Glamorgan Sausages\n150 g Caerphilly cheese, grated\n150 g fresh breadcrumbs\n1 leek, chopped\n"
        "1. Mix everything, shape into 8 sausages and chill.\n2. Fry the sausages until golden."
    )
    assert find_violations(text, "vegetarian") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No eggs? Use 3 tbsp aquafaba for each egg in the batter", []),
        ("Use 1 flax egg for every egg.", []),
        ("Whisk 1 tbsp water into each egg.", ["egg"]),
    ],
)
def test_a_rate_of_exchange_names_the_replaced_food(text, expected):
    assert [v.term for v in find_violations(text, "vegan")] == expected


@pytest.mark.parametrize(
    ("diet", "text"),
    [
        ("vegetarian", "Slice and serve. The traditional sort is made with beef suet; nobody can tell."),
        ("vegan", "Our family pho starts with beef bones and fish sauce; this one has neither."),
        ("dairy-free", "The cheese you'll see in some restaurant versions isn't traditional; ours never had any."),
        ("vegan", "Coconut Fudge, like the goat's milk cajeta of my childhood but vegan"),
    ],
)
def test_what_others_make_is_not_this_recipe(diet, text):
    assert find_violations(text, diet) == []


@pytest.mark.parametrize(
    ("diet", "text", "expected"),
    [
        ("vegetarian", "Add the beef suet; nobody can tell.", ["beef suet"]),
        ("dairy-free", "Grate over the cheese you'll see in the fridge; ours is aged.", ["cheese"]),
    ],
)
def test_without_an_attribution_the_food_stays(diet, text, expected):
    assert [v.term for v in find_violations(text, diet)] == expected


@pytest.mark.parametrize(
    ("diet", "text"),
    [
        ("vegetarian", "If you want more kick, beef the flavour up with smoked paprika."),
        ("dairy-free", "When the pan is hot, butter the base lightly with vegan spread."),
    ],
)
def test_a_verb_after_a_condition_is_not_a_food(diet, text):
    assert find_violations(text, diet) == []


@pytest.mark.parametrize(
    ("diet", "text"),
    [
        ("nut-free", "Traditional ones are topped with flaked almonds; I leave them off."),
        ("vegan", "Many cooks simmer it with salt pork; my version is meat-free."),
    ],
)
def test_more_ways_to_say_this_recipe_leaves_it_out(diet, text):
    assert find_violations(text, diet) == []


@pytest.mark.parametrize(
    ("diet", "text", "term"),
    [
        ("vegetarian", "500 g kingklip fillets, cut into portions", "kingklip fillets"),
        ("dairy-free", "200 g sulguni, grated", "sulguni"),
        ("pescatarian", "200 g linguiça, sliced", "linguiça"),
        ("halal", "Georgian chacha in small glasses after the supra", "chacha"),
        ("vegan", "Mix the mắm tôm with lime juice", "mắm tôm"),
        ("pescatarian", "Thread the boerewors into a coil", "boerewors"),
        ("dairy-free", "Serve with a bowl of raita", "raita"),
        ("gluten-free", "Spread the Vegemite thinly on the toast", "Vegemite"),
        ("vegan", "Filipino Leche Flan", "Leche Flan"),
    ],
)
def test_round_9_detection_forms(diet, text, term):
    assert term in [v.term for v in find_violations(text, diet)]


@pytest.mark.parametrize(
    ("diet", "text"),
    [
        ("halal", "4 thin beef escalopes, pounded (bifanas are usually pork; we use beef)"),
        ("vegetarian", "Every Dutch grandmother's pea soup has rookworst in it; mine gets its smokiness from tofu instead."),
    ],
)
def test_what_others_make_in_an_aside_or_every_kitchen_is_not_this_recipe(diet, text):
    assert find_violations(text, diet) == []


def test_an_ingredient_line_outside_an_aside_still_lists_its_food():
    text = "Pea Soup\n200 g pork ribs, as usual; we use them\n500 g split peas\n1 onion\n1. Simmer."
    assert [v.term for v in find_violations(text, "vegetarian")] == ["pork ribs"]


def test_alligator_pepper_is_a_spice():
    text = "1 tbsp spice (calabash nutmeg, alligator pepper, uda)\n2 scotch bonnets\n1. Add the onion and peppers."
    assert find_violations(text, "vegan") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Drizzle with date syrup; it gives the sweetness a Greek café would get from honey.", []),
        ("If you like it sweeter, you would add honey at the end.", ["honey"]),
    ],
)
def test_what_someone_else_would_use_is_not_used(text, expected):
    assert [v.term for v in find_violations(text, "vegan")] == expected


def test_lard_the_meat_is_a_verb():
    text = "Lard the venison loin with strips of pork fat using a larding needle"
    assert [v.term for v in find_violations(text, "vegetarian")] == ["venison loin", "pork fat"]
    assert [v.term for v in find_violations("200 g lard, diced", "vegetarian")] == ["lard"]


def test_pieces_of_a_defined_food_are_that_food():
    text = '200 g smoked tofu, cut into lardons\nFry the tofu "bacon" until crisp, then fold the bacon bits through the salad'
    assert find_violations(text, "vegan") == []
    assert [v.term for v in find_violations("Fold the bacon bits through the salad", "vegan")] == ["bacon bits"]


def test_a_claim_under_a_condition_on_the_eaters_is_a_suggestion():
    text = "Trade the rice noodles for egg noodles if nobody is gluten-free"
    assert [v.term for v in find_violations(text, "gluten-free")] == ["egg noodles"]


@pytest.mark.parametrize(
    "text", ["Masarepa is pure corn, so nothing here contains wheat.", "Nothing in it contains wheat or barley."]
)
def test_nothing_contains_is_a_negation(text):
    assert find_violations(text, "gluten-free") == []


@pytest.mark.parametrize(
    ("diet", "text", "expected"),
    [
        ("nut-free", "These are coconut macaroons; the French almond macarons are a different biscuit altogether.", []),
        ("vegan", "Soup\nIn Sweden it simmers with a piece of salt pork; my version is meat-free.", []),
        ("vegan", "Soup\nIn the pot it simmers with a piece of salt pork.", ["pork"]),
    ],
)
def test_a_food_set_apart_or_placed_elsewhere_is_not_this_recipe(diet, text, expected):
    assert [v.term for v in find_violations(text, diet)] == expected


@pytest.mark.parametrize(
    ("diet", "text", "expected"),
    [
        ("dairy-free", "Cooking for people who eat dairy? A spoonful of butter stirred in makes it richer", ["butter"]),
        ("gluten-free", "Serve with rice, and with bread for those who eat gluten.", ["bread"]),
    ],
)
def test_who_eats_a_food_names_the_eaters(diet, text, expected):
    assert [v.term for v in find_violations(text, diet)] == expected


@pytest.mark.parametrize(
    ("diet", "strict", "text", "expected"),
    [
        # "beef up" after its subject is a verb; after "the" it is still beef
        ("vegetarian", False, "Smoked paprika and harissa beef up the flavour.", []),
        ("vegetarian", False, "Brown the beef up to a day ahead.", ["beef"]),
        # steaks cut from a named fish are fish; from a named meat they stay meat
        ("pescatarian", False, "Cut the tuna loin into four thick steaks and season.", []),
        ("pescatarian", False, "Cut the beef loin into four thick steaks.", ["beef loin", "steaks"]),
        # a diet-qualified food "in the style of" another is what a later bare mention means; a flavouring is not
        ("vegan", False, "Crumble 100 g vegan feta-style block over it; the feta softens nicely.", []),
        ("vegan", False, "Crumble 100 g feta-style block over it; the feta softens nicely.", ["feta"]),
        # people named after their animals, a comparison with a describing word
        ("vegetarian", False, "In the Gulf, camel herders drink their tea.", []),
        ("halal", True, "It tastes like a gamey chicken.", []),
        # the gravy this text makes: thickened here, or a generic header whose own line names its makings (decision 297)
        ("gluten-free", False, "Thicken the gravy with 2 tbsp plain flour", ["plain flour"]),
        ("gluten-free", False, "Serve with gravy.", ["gravy"]),
        ("gluten-free", False, "Roast Beef\n1 kg beef\n2 potatoes\nFor the gravy: 2 tbsp flour, 400 ml beef stock\n", ["flour"]),
        # "100% buckwheat" soba, and a title that names the listed buckwheat soba noodles
        ("gluten-free", False, "Soba (100% buckwheat), cooked and rinsed", []),
        ("gluten-free", False, "Soba Salad\nServes 2.\n200 g 100% buckwheat soba noodles\n1 carrot\n2 spring onions\n", []),
        ("gluten-free", False, "Soba Salad\nServes 2.\n200 g soba noodles\n1 carrot\n2 onions\n", ["Soba", "soba noodles"]),
        # found in review: participles, "such as" likes, a modal "can", a bought gravy, steaks beside another food
        ("vegetarian", False, "Chop the braising beef up a little smaller.", ["beef"]),
        ("halal", False, "Add a sausage like a mild chorizo.", ["chorizo"]),
        ("halal", False, "The beer can stand at room temperature.", ["beer"]),
        ("vegetarian", False, "Poutine\n500 ml beef gravy\n1 kg chips\n1. Thicken the gravy.", ["beef gravy", "gravy"]),
        ("pescatarian", False, "Cut the swordfish into steaks. Grill the steaks.", []),
        ("vegetarian", False, "Throw the mushrooms in with the steaks.", ["steaks"]),
    ],
)
def test_round_35_contexts(diet, strict, text, expected):
    assert [v.term for v in find_violations(text, diet, strict=strict)] == expected


@pytest.mark.parametrize(
    ("diet", "strict", "text", "expected"),
    [
        # a bread named for its bake over its listed dairy (decision 420); its flour is the bread itself
        ("dairy-free", False, "Garlic Naan\nMakes 6.\n300 g plain flour\n150 g yoghurt\n100 ml milk\n", ["yoghurt", "milk"]),
        ("gluten-free", False, "Garlic Naan\nMakes 6.\n300 g plain flour\n150 g yoghurt\n100 ml milk\n", ["Naan", "plain flour"]),
        # the shape of a listed mince (decisions 162, 226), the flesh of a seafood named with it
        ("halal", True, "Smash Burgers\n600 g zabiha beef mince\n4 buns\nPickles\n1. Stack the burgers.", []),
        ("pescatarian", False, "200 g lobster meat", []),
        ("vegetarian", False, "200 g lobster meat", ["lobster meat"]),
        # the egg wash a listed egg is for is labelled (dev), and so is the dish a listed food is for
        ("vegan", False, "1 egg, beaten, for the egg wash", ["egg", "egg wash"]),
        ("vegan", False, "150 g natural yoghurt, for the keema", ["yoghurt", "keema"]),
        # others' versions, then this one's own food in the next sentence; what takes a food's place
        ("halal", False, "Bourguignon is normally braised in red wine. Mine uses pomegranate juice instead.", []),
        ("halal", False, "Most cooks braise it in red wine. I use a whole bottle.", ["red wine"]),
        # found in review: an instruction then what this cook adds, a chemistry "reacts to", a shop-bought naan
        ("halal", False, "Turn the pork belly often so it colours evenly. We use a little oil.", ["pork belly"]),
        ("dairy-free", False, "The bicarbonate of soda reacts to the buttermilk.", ["buttermilk"]),
        (
            "dairy-free",
            False,
            "Dal with Naan\n250 g urad dal\n50 g butter\n1. Serve with shop-bought naan.",
            ["Naan", "butter", "naan"],
        ),
        ("vegetarian", False, "Burgers\n4 beef burgers\n250 g Quorn mince\n4 buns\n1. Grill.", ["Burgers", "beef burgers"]),
        ("vegan", False, "Make a well in each pizza where the egg would go, then crack one in.", ["egg"]),
        ("dairy-free", False, "Press cling film onto the custard surface.", ["custard"]),
        ("halal", False, "Mushrooms take the place of the bacon.", []),
        ("dairy-free", False, "Restaurants finish the beef with butter; I keep it dairy-free with a splash of oil.", []),
        # a qualified food a step introduces with its quantity is what "the bacon" means
        ("halal", False, "Fry 6 rashers of halal turkey bacon until crisp, then crumble the bacon over.", []),
        # what a food is not, where it would be, what the eater reacts to
        ("vegan", False, "It isn't trying to be cow's milk.", []),
        ("halal", False, "Sparkling water goes where the rum would be.", []),
        ("gluten-free", False, "200 g rice flour\nTip the dough onto a floured surface.", []),
        ("gluten-free", False, "Tip the dough onto a floured surface.", ["floured"]),
        # new names: krill, brocciu, skilandis
        ("vegetarian", False, "1 tbsp fermented krill", ["krill"]),
        ("dairy-free", False, "200 g brocciu", ["brocciu"]),
        ("pescatarian", False, "100 g skilandis, sliced", ["skilandis"]),
    ],
)
def test_round_36_contexts(diet, strict, text, expected):
    assert [v.term for v in find_violations(text, diet, strict=strict)] == expected


@pytest.mark.parametrize(
    ("diet", "strict", "text", "expected"),
    [
        # a substitute that "gives the same" (not "it gives the same"), the eater who reacts, a curry's plant gravy
        ("vegan", False, "Stroganoff usually finishes with soured cream; oat crème fraîche gives the same tang.", []),
        ("vegan", False, "Most recipes use butter; add the same amount of butter.", ["butter", "butter"]),
        ("nut-free", False, "My son reacts to peanuts, so the wok oil is rapeseed.", []),
        ("vegetarian", False, "Eggs fried until blistered, in a tangy tomato and sesame gravy.", []),
        ("vegetarian", False, "Pour over the beef gravy.", ["beef gravy"]),
        # the country, a verb, the way you would for another dish, what this cook skips
        ("vegan", False, "Made for every tea gathering in Turkey.", []),
        ("vegan", False, "Roast the Turkey.", ["Turkey"]),
        ("pescatarian", True, "2. Sprinkle in the flour and stir.", []),
        ("vegetarian", False, "Crumb the slices the way you would for a Wiener schnitzel.", []),
        # found in review: "never skips", a title's "From", wine and cream gravies, "still crackling left"
        ("vegetarian", False, "Nobody skips the bacon at our house.", ["bacon"]),
        ("vegetarian", False, "Curry From Turkey Leftovers\n400 g cooked turkey\n1 onion\n2 tomatoes\n", ["Turkey", "turkey"]),
        # the lead's case is read in the original text, where folding ("ß" -> "ss") has moved the offsets
        ("vegetarian", False, "Straße Food From Turkey\n400 g cooked turkey\n1 onion\n2 tomatoes\n", ["Turkey", "turkey"]),
        ("vegetarian", False, "Sausages with red wine gravy and mash.", ["Sausages", "gravy"]),
        ("halal", False, "Is there still crackling left? Save it for sandwiches.", ["crackling"]),
        ("vegan", False, "Scrape the cobs: milking them gives the broth its sweetness.", []),
        # new names
        ("halal", False, "2 tbsp rendered pig fat, for roasting", ["pig fat"]),
        ("vegan", False, "2 tbsp tuk trey (Cambodian fish sauce)", ["tuk trey", "fish sauce"]),
        ("gluten-free", False, "2 soda farls, split", ["soda farls"]),
    ],
)
def test_round_37_contexts(diet, strict, text, expected):
    assert [v.term for v in find_violations(text, diet, strict=strict)] == expected
