"""Verdicts and Wilson intervals."""

from __future__ import annotations

from plugin.diet import Scenario
from plugin.diet.scoring import judge, wilson_interval

REQUEST = "Dinner please"

GOOD = (
    "Recipe: Tofu Rice\n\nSelected ingredients from your pantry:\n- tofu\n- rice\n\n"
    "Instructions:\n1. Cook the rice\n2. Fry the tofu\n"
)


def test_wilson_interval_known_values() -> None:
    lo, hi = wilson_interval(8, 10)
    assert (round(lo, 3), round(hi, 3)) == (0.490, 0.943)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(100, 100)[0] > 0.96


def test_judge_pass_and_failures() -> None:
    assert judge(GOOD, Scenario("vegan", ("tofu", "rice", "bacon"), REQUEST)).passed
    bad = judge(
        GOOD.replace("- tofu", "- bacon").replace("the tofu", "the bacon"), Scenario("vegan", ("tofu", "rice", "bacon"), REQUEST)
    )
    assert not bad.diet_safe and bad.grounded and "bacon" in bad.explain()
    ungrounded = judge(GOOD, Scenario("vegan", ("rice",), REQUEST))
    assert not ungrounded.grounded and ungrounded.ungrounded == ("tofu",)
    chat = judge("Sure! Tofu is great.", Scenario("vegan", ("tofu",), REQUEST))
    assert not chat.format_ok and not chat.diet_safe, "an answer with no recipe is not 'safe'"
