"""parse_recipe / render_recipe / ungrounded."""

from __future__ import annotations

import pytest

from plugin.diet import STAPLES, Recipe, parse_recipe, render_recipe, ungrounded
from plugin.diet.recipe import PROBLEM_EMPTY_INGREDIENTS, PROBLEM_NO_INGREDIENTS, PROBLEM_NO_STEPS, PROBLEM_NO_TITLE

SEED_OUTPUT = """Recipe: Tomato Basil Pasta

Selected ingredients from your pantry:
- pasta
- tomato
- onion
- garlic
- olive oil
- salt
- pepper

Instructions:
1. Boil pasta according to package directions
2. While pasta cooks, dice tomato, onion, and garlic
3. Sauté onion and garlic in olive oil until fragrant
4. Add diced tomato and simmer for 10 minutes
5. Season with salt and pepper
6. Toss with cooked pasta and serve<|end|>
"""
SEED_PANTRY = ["tomato", "onion", "garlic", "chicken breast", "olive oil", "pasta", "salt", "pepper"]


def test_parses_seed_expected_output():
    r = parse_recipe(SEED_OUTPUT)
    assert r.title == "Tomato Basil Pasta"
    assert r.ingredients == ["pasta", "tomato", "onion", "garlic", "olive oil", "salt", "pepper"]
    assert len(r.steps) == 6 and r.steps[-1] == "Toss with cooked pasta and serve"
    assert r.problems == []


def test_render_is_the_training_format():
    r = parse_recipe(SEED_OUTPUT)
    assert render_recipe(r) + "<|end|>\n" == SEED_OUTPUT
    assert parse_recipe(render_recipe(r)) == r


def test_tolerant_markdown_and_bullets():
    text = (
        "Sure! Here's a recipe for you.\n\n**Recipe: Spicy Beans**\n\n## Ingredients\n"
        "* 2 cups black beans\n• 1 onion\n+ salt\n\n### Instructions\n1) Rinse the beans\n"
        "2. Fry the onion\n   until soft\n\n3: Season with **salt**\n\nEnjoy your meal!"
    )
    r = parse_recipe(text)
    assert r.title == "Spicy Beans"
    assert r.ingredients == ["2 cups black beans", "1 onion", "salt"]
    assert r.steps == ["Rinse the beans", "Fry the onion until soft", "Season with salt"]
    assert r.problems == []


def test_markdown_header_title_and_case():
    r = parse_recipe("# Lemon Rice\n\nINGREDIENTS:\n- rice\n- lemon\n\nDIRECTIONS:\n1. Cook rice.\n2. Add lemon.")
    assert (r.title, r.ingredients, r.steps, r.problems) == ("Lemon Rice", ["rice", "lemon"], ["Cook rice.", "Add lemon."], [])


def test_missing_steps_header_but_numbered_steps():
    r = parse_recipe("Recipe: Toast\n\nIngredients:\n- bread\n- butter\n\n1. Toast bread\n2. Butter it")
    assert r.ingredients == ["bread", "butter"] and r.steps == ["Toast bread", "Butter it"]
    assert r.problems == []


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("I cannot help with that.", [PROBLEM_NO_TITLE, PROBLEM_NO_INGREDIENTS, PROBLEM_NO_STEPS]),
        ("Recipe: X\n\nIngredients:\n\nInstructions:\n1. Do it", [PROBLEM_EMPTY_INGREDIENTS]),
        ("Recipe: X\n\nIngredients:\n- rice\n\nInstructions:\nJust cook it.", [PROBLEM_NO_STEPS]),
        ("Ingredients:\n- rice\nInstructions:\n1. Cook", [PROBLEM_NO_TITLE]),
        ("", [PROBLEM_NO_TITLE, PROBLEM_NO_INGREDIENTS, PROBLEM_NO_STEPS]),
    ],
)
def test_problems_name_what_is_missing(text, problems):
    assert parse_recipe(text).problems == problems


def test_render_rejects_bad_parts():
    with pytest.raises(ValueError):
        render_recipe(Recipe(title=None, ingredients=["rice"], steps=["cook"]))
    with pytest.raises(ValueError):
        render_recipe(Recipe(title="X", ingredients=["rice\nbeans"], steps=["cook"]))


def test_grounded_seed_recipe():
    assert ungrounded(parse_recipe(SEED_OUTPUT), SEED_PANTRY) == []


def test_ungrounded_items_use_canonical_names():
    r = Recipe(
        "X", ["2 Tomatoes, diced", "scallions", "parmesan cheese", "unobtainium dust", "water", "olive oil (oil)"], ["cook"]
    )
    assert ungrounded(r, ["tomato", "green onion", "olive oil"]) == ["parmesan", "unobtainium dust"]


def test_generic_name_of_pantry_item_is_grounded():
    r = Recipe("X", ["chicken", "salt and pepper"], ["cook"])
    assert ungrounded(r, ["chicken breast", "salt"]) == ["black pepper"]


def test_staples():
    assert {"water", "ice"} <= STAPLES
    assert ungrounded(Recipe("X", ["ice cubes", "boiling water"], ["mix"]), []) == []
