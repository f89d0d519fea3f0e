"""Fixtures for the model suite: quality gates, scenarios, and one batched generation pass.

Every prompt the suite will need (pass-rate scenarios, the Hypothesis examples, the seed
cases) is generated up front in large batches; the tests then read from the cache.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest
from hypothesis import settings

from plugin import settings as suite_settings
from plugin.diet import DIET_CHOICES, Scenario, stats
from plugin.diet.scenarios import gate_scenarios
from plugin.diet.scoring import Tally, Verdict, judge
from plugin.diet.stats import PairedResult
from plugin.paths import portable
from plugin.quality_gates import QualityGates, load_quality_gates
from plugin.report import power
from plugin.runtime.generation import Sampling


@dataclass(frozen=True)
class Outcome:
    scenario: Scenario
    prompt: str
    output: str
    verdict: Verdict


@pytest.fixture(scope="session")
def quality_gates(recipe_settings) -> QualityGates:
    return load_quality_gates(recipe_settings.run_profile.name)


@pytest.fixture(scope="session")
def greedy(quality_gates) -> Sampling:
    return Sampling(temperature=0.0, max_tokens=quality_gates.max_tokens)


@pytest.fixture(scope="session")
def hypothesis_examples(quality_gates) -> int:
    return quality_gates.examples_for(settings.get_current_profile_name())


def judge_all(engine, sampling: Sampling, scenarios: list[Scenario]) -> list[Outcome]:
    prompts = [engine.render(s) for s in scenarios]
    outputs = engine.generate(prompts, sampling)
    return [Outcome(s, prompt, out, judge(out, s)) for s, prompt, out in zip(scenarios, prompts, outputs)]


def gate_cases(gates: QualityGates) -> list[Scenario]:
    return gate_scenarios(gates.scenarios_per_diet * len(DIET_CHOICES))


def paired_cases(gates: QualityGates) -> list[Scenario]:
    """The gate scenarios and the ones after them, up to the paired gate's n (``gate_scenarios`` keeps its prefix)."""
    return gate_scenarios(gates.paired_scenarios_per_diet * len(DIET_CHOICES))


@pytest.fixture(scope="session")
def prefetched(recipe_engine, baseline_engine, greedy, quality_gates, hypothesis_examples) -> None:
    """Generate every greedy answer the suite needs in one batched pass (a no-op when cached): the same list the
    sharded cache fill generates (``plugin.fill_cache.suite_work``), with the paired gate's further scenarios
    when there is a baseline."""
    from plugin.fill_cache import suite_work

    per_diet = quality_gates.scenarios_per_diet if baseline_engine is None else quality_gates.paired_scenarios_per_diet
    recipe_engine.generate(suite_work(recipe_engine, per_diet, hypothesis_examples).greedy, greedy)


def _tallies(outcomes: list[Outcome]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for i, o in enumerate(outcomes):
        tallies[o.scenario.diet].add(o.verdict, f"scenario {i} ({o.scenario.diet})")
    return tallies


@pytest.fixture(scope="session")
def gate_outcomes(prefetched, recipe_engine, greedy, quality_gates) -> list[Outcome]:
    """The adapter under test on the gate scenarios (from the cache after ``prefetched``)."""
    return judge_all(recipe_engine, greedy, gate_cases(quality_gates))


@pytest.fixture(scope="session")
def paired_results(
    pytestconfig, gate_outcomes, recipe_engine, baseline_engine, greedy, quality_gates
) -> dict[str, PairedResult] | None:
    """Per diet, the adapter under test against --recipe-baseline-adapter on the same scenarios (None without one):
    ``paired_scenarios_per_diet`` of them, the gate scenarios first."""
    if baseline_engine is None:
        return None
    cases = paired_cases(quality_gates)
    candidate = gate_outcomes + judge_all(recipe_engine, greedy, cases[len(gate_outcomes) :])
    baseline = judge_all(baseline_engine, greedy, cases)
    pairs: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for base, cand in zip(baseline, candidate):
        pairs[cand.scenario.diet].append((base.verdict.passed, cand.verdict.passed))
    results = stats.paired_results(pairs)
    from plugin import options

    name = portable(pytestconfig.getoption(options.BASELINE_ADAPTER))
    suite_settings.scorecard(pytestconfig).add_section(
        f"Paired regression gate against the baseline `{name}`", power.paired_lines(results, quality_gates.paired_alpha)
    )
    return {r.diet: r for r in results}


@pytest.fixture(scope="session")
def gate_results(pytestconfig, gate_outcomes, recipe_adapter, compare_engine, greedy, quality_gates) -> dict[str, Tally]:
    """Per-diet tallies of the adapter under test on the gate scenarios, recorded in the scorecard.

    With --recipe-compare-adapter, the other adapter is scored on the same scenarios and shown beside
    it in the scorecard: a report, not a gate.
    """
    cases = [o.scenario for o in gate_outcomes]
    tallies = _tallies(gate_outcomes)
    card = suite_settings.scorecard(pytestconfig)
    card.add_section(
        "Power of the pass-rate gates",
        power.absolute_lines(tallies, quality_gates.min_pass_lower_bound, quality_gates.min_overall_lower_bound),
    )
    name = portable(recipe_adapter.path) if recipe_adapter.path else "base model (no adapter)"  # the report is shared
    for diet, tally in tallies.items():
        card.record("adapter", name, diet, tally)
    if compare_engine is not None:
        from plugin import options

        other = portable(pytestconfig.getoption(options.COMPARE_ADAPTER))
        for diet, tally in _tallies(judge_all(compare_engine, greedy, cases)).items():
            card.record("compare (report only)", other, diet, tally)
    return tallies
