"""The suite must tell a trained adapter from the bare base model."""

from __future__ import annotations

import pytest

from tests_model.conftest import gate_cases, judge_all

pytestmark = pytest.mark.model
N = 8


@pytest.fixture(scope="module")
def bare_engine(pytestconfig, base_model_path):
    from plugin.fixtures import make_engine

    return make_engine(pytestconfig, base_model_path, None)


def test_adapter_beats_the_bare_base_model(
    recipe_adapter, recipe_engine, bare_engine, greedy, quality_gates, recipe_gate
) -> None:
    if recipe_adapter.path is None:
        pytest.skip("this run tests the bare base model itself")
    cases = gate_cases(quality_gates)[:N]
    tuned = sum(o.verdict.passed for o in judge_all(recipe_engine, greedy, cases))
    bare = sum(o.verdict.passed for o in judge_all(bare_engine, greedy, cases))
    recipe_gate.record("n", N)
    gate = recipe_gate.limit("adapter_passes", tuned, bare, "scenarios", ">")  # the limit: the bare model's passes
    assert gate.passed, f"adapter passed {tuned}/{N}, the bare base model {bare}/{N}: the adapter adds nothing"
