"""Verdicts, Wilson intervals, quality profiles and the scorecard report."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin import quality
from plugin.scorecard import Scorecard
from plugin.scoring import Tally, judge, wilson_interval

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
    assert judge(GOOD, "vegan", ["tofu", "rice", "bacon"]).passed
    bad = judge(GOOD.replace("- tofu", "- bacon").replace("the tofu", "the bacon"), "vegan", ["tofu", "rice", "bacon"])
    assert not bad.diet_safe and bad.grounded and "bacon" in bad.explain()
    ungrounded = judge(GOOD, "vegan", ["rice"])
    assert not ungrounded.grounded and ungrounded.ungrounded == ("tofu",)
    chat = judge("Sure! Tofu is great.", "vegan", ["tofu"])
    assert not chat.format_ok and not chat.diet_safe, "an answer with no recipe is not 'safe'"


def test_quality_profiles_load() -> None:
    assert quality.load_quality("v3").min_pass_lower_bound == 0.95
    assert quality.load_quality("cpu").strict_property == "report"


def test_quality_profile_errors_name_the_key(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("scenarios_per_diet: 3\nbogus: 1\n")
    with pytest.raises(ValueError, match=r"x\.yaml: unknown key 'bogus'"):
        quality.load_quality("x", tmp_path)


def test_scorecard_side_by_side(tmp_path: Path) -> None:
    card = Scorecard()
    for label, passed in (("adapter", 9), ("compare", 6)):
        tally = Tally(n=10, passed=passed, format_ok=10, grounded=10, diet_safe=passed)
        card.record(label, f"adapters/{label}", "vegan", tally)
    header, rows = card.rows()
    assert header[-1] == "delta pass" and rows == [
        ["vegan", "10", "90%", "0.60-0.98", "100%", "100%", "10", "60%", "0.31-0.83", "100%", "100%", "-30 pts"]
    ]
    report = card.write(tmp_path)
    assert "| vegan | 10 | 90% |" in report.read_text() and (tmp_path / "scorecard.png").stat().st_size > 1000
