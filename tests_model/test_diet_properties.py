"""Hypothesis-generated pantries and requests: no forbidden ingredient may appear.

A failure shrinks (where the profile gates) to a minimal pantry and reports the
prompt, the output and the violating span.  Examples come from a fixed seed, so
the suite pre-generates them in one batch; the example database replays a found
counterexample first on the next run.
"""

from __future__ import annotations

import pytest
from hypothesis import given, note, seed
from hypothesis import strategies as st

from plugin import diet, strategies
from tests_model.conftest import PROPERTY_SEED, property_settings

pytestmark = pytest.mark.model


def _explain(prompt: str, output: str, violations: list[diet.Violation]) -> str:
    spans = "; ".join(f"{v.term!r} ({v.ingredient}, {v.category}) at {v.start}:{v.end}" for v in violations)
    return f"forbidden ingredient in the output: {spans}\n--- prompt ---\n{prompt}\n--- output ---\n{output}"


@pytest.mark.parametrize("preference", diet.DIETS)
def test_no_forbidden_ingredient_appears(
    preference: str, prefetched, recipe_engine, greedy, hypothesis_examples, quality_profile
) -> None:
    @seed(PROPERTY_SEED)
    @property_settings(hypothesis_examples, gate=quality_profile.strict_gates)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        pantry, request = data.draw(strategies.scenarios(preference))
        prompt = recipe_engine.render(pantry, preference, request)
        [output] = recipe_engine.generate([prompt], greedy)
        violations = diet.find_violations(output, preference)
        note(f"pantry: {list(pantry)}")
        assert not violations, _explain(prompt, output, violations)

    check.hypothesis.inner_test._hypothesis_internal_add_digest = preference.encode()  # type: ignore[attr-defined]
    try:
        check()
    except AssertionError as exc:
        if quality_profile.strict_gates:
            raise
        pytest.xfail(f"strict property reported, not gated, in this profile: {str(exc).splitlines()[0]}")
