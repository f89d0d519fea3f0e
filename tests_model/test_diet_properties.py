"""Hypothesis-generated pantries and requests: no forbidden ingredient may appear.

A failure shrinks (where the run profile's quality gates say gate) to a minimal pantry and reports the
prompt, the output and the violating span.  Examples come from a fixed seed, so
the suite pre-generates them in one batch; the example database replays a found
counterexample first on the next run.
"""

from __future__ import annotations

import pytest
from hypothesis import given, note, seed
from hypothesis import strategies as st

from plugin import strategies
from plugin.diet import DIETS, Violation, find_violations
from plugin.properties import PROPERTY_SEED, property_settings
from plugin.verdicts import report_only

pytestmark = pytest.mark.model


def _explain(prompt: str, output: str, violations: list[Violation]) -> str:
    spans = "; ".join(f"{v.term!r} ({v.ingredient}, {v.category}) at {v.start}:{v.end}" for v in violations)
    return f"forbidden ingredient in the output: {spans}\n--- prompt ---\n{prompt}\n--- output ---\n{output}"


@pytest.mark.parametrize("diet", DIETS)
def test_no_forbidden_ingredient_appears(
    diet: str, prefetched, recipe_engine, greedy, hypothesis_examples, quality_gates
) -> None:
    @seed(PROPERTY_SEED)
    @property_settings(hypothesis_examples, gate=quality_gates.strict_gates)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        scenario = data.draw(strategies.scenarios(diet))
        prompt = recipe_engine.render(scenario)
        [output] = recipe_engine.generate([prompt], greedy)
        violations = find_violations(output, diet)
        note(f"pantry: {list(scenario.pantry)}")
        assert not violations, _explain(prompt, output, violations)

    check.hypothesis.inner_test._hypothesis_internal_add_digest = diet.encode()  # type: ignore[attr-defined]
    try:
        check()
    except AssertionError as exc:
        if quality_gates.strict_gates:
            raise
        report_only(f"strict property: {str(exc).splitlines()[0]}")
