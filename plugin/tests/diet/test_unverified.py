"""Unknown foods on ingredient lines are reported as unverified, never silently safe."""

from __future__ import annotations

from plugin.diet import Scenario, judge, unverified

RECIPE = """Recipe: Samphire Rice

Selected ingredients from your pantry:
- rice
- 1 handful samphire, trimmed
- 2 tbsp finely chopped fresh parsley

Instructions:
1. Cook the rice.
2. Stir in the samphire and parsley.
"""


def test_an_unknown_food_on_an_ingredient_line_is_reported_with_its_span() -> None:
    [found] = unverified(RECIPE)
    assert found.term == "samphire" and RECIPE[found.start : found.end] == "samphire"
    assert RECIPE.index("- 1 handful samphire") < found.start


def test_known_foods_quantities_and_steps_are_not_reported() -> None:
    text = "- 2 cups kohlrabi, diced\n- 1 x 400g tin chickpeas, drained\n- salt to taste\n1. Stir in 3 tejpat leaves.\n"
    assert unverified(text) == []  # numbered steps are not ingredient lines


def test_lines_without_a_bullet_or_quantity_are_prose() -> None:
    assert unverified("Serve with samphire.") == []
    assert [u.term for u in unverified("3 tbsp kecap manis")] == ["kecap manis"]


def test_unverified_counts_against_safety_only_in_strict_mode() -> None:
    scenario = Scenario("vegan", ("rice", "samphire", "parsley"), "dinner")
    lenient, strict = judge(RECIPE, scenario), judge(RECIPE, scenario, strict=True)
    assert lenient.diet_safe and [u.term for u in lenient.unverified] == ["samphire"]
    assert not strict.diet_safe and "unverified: 'samphire'" in strict.explain()


def test_no_diet_has_nothing_to_verify() -> None:
    assert judge(RECIPE, Scenario("none", ("rice",), "x")).unverified == ()
