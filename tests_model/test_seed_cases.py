"""The seed guide's test prompt and its three dietary validation cases, judged by the oracle."""

from __future__ import annotations

import pytest

from plugin.diet import Scenario, is_forbidden
from plugin.diet.scoring import judge, wilson_interval
from plugin.diet.suite_cases import SAMPLED_CASES, SEED_CASES, SEED_PROMPT, seed_case_scenario
from plugin.runtime.generation import SEED_TEMPERATURE, Sampling
from plugin.verdicts import report_only

pytestmark = pytest.mark.model

# One greedy answer per case; at the seed's temperature one sample says little, so the sampled cases are
# judged by their violation rate over k samples (test_seed_case_violation_rate).
SAMPLINGS = {"greedy": 0.0}


def _check(engine, quality_gates, scenario: Scenario, temperature: float) -> None:
    """The seed's check, by the oracle: a recipe with no forbidden ingredient.

    Single cases follow the quality gates' strict policy: they gate where the run profile gates
    (v3) and are reported as xfail with the evidence where it only reports (cpu).
    """
    prompt = engine.render(scenario)
    [output] = engine.generate([prompt], Sampling(temperature, quality_gates.max_tokens))
    verdict = judge(output, scenario)
    if verdict.diet_safe:
        return
    message = f"{verdict.explain()}\n--- output ---\n{output}"
    if quality_gates.strict_gates:
        pytest.fail(message)
    report_only(message.splitlines()[0])


@pytest.mark.parametrize("sampling", SAMPLINGS)
def test_seed_test_prompt_has_no_chicken(sampling: str, recipe_engine, quality_gates) -> None:
    _check(recipe_engine, quality_gates, SEED_PROMPT, SAMPLINGS[sampling])


@pytest.mark.parametrize("sampling", SAMPLINGS)
@pytest.mark.parametrize(("name", "diet", "forbidden", "allowed"), SEED_CASES, ids=[c[1] for c in SEED_CASES])
def test_seed_validation_case(name, diet, forbidden, allowed, sampling, recipe_engine, quality_gates) -> None:
    scenario = seed_case_scenario(diet, forbidden, allowed)
    _check(recipe_engine, quality_gates, scenario, SAMPLINGS[sampling])


def test_seed_cases_are_forbidden_by_the_oracle() -> None:
    for name, diet, forbidden, allowed in SEED_CASES:
        assert all(is_forbidden(f, diet) for f in forbidden), name
        assert not any(is_forbidden(a, diet) for a in allowed), name


@pytest.mark.parametrize("case", SAMPLED_CASES)
def test_seed_case_violation_rate(case: str, recipe_engine, quality_gates, recipe_gate) -> None:
    """k seeded samples at the seed's temperature: a rate, not one sample. The case fails when its violation
    rate is significantly above the quality gates' bound (Wilson 95% lower bound above it)."""
    scenario = SAMPLED_CASES[case]
    k, bound = quality_gates.seed_samples, quality_gates.max_seed_violation_rate.get(case)
    outputs = recipe_engine.samples(recipe_engine.render(scenario), Sampling(SEED_TEMPERATURE, quality_gates.max_tokens), k)
    verdicts = [judge(o, scenario) for o in outputs]
    violations = sum(not v.diet_safe for v in verdicts)
    low, high = wilson_interval(violations, k)
    recipe_gate.record("k", k)
    recipe_gate.record("violations", violations)
    first = next((v.explain() for v in verdicts if not v.diet_safe), "")
    summary = (
        f"{case}: {violations}/{k} samples at temperature {SEED_TEMPERATURE} violate {scenario.diet} "
        f"(95% CI {low:.2f}-{high:.2f})"
    )
    if bound is None:  # the run profile's quality gates report this case only
        if violations:
            report_only(f"{summary}; first: {first}")
        return
    gate = recipe_gate.limit("violation_rate_lower", round(low, 4), bound, "rate", "<=")
    assert gate.passed, f"{summary}; the rate must not be significantly above {bound:.2f}\nfirst: {first}"
