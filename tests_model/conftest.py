"""Fixtures for the model suite: quality gates, scenarios, and one batched generation pass.

Every prompt the suite will need (pass-rate scenarios, the Hypothesis examples, the seed
cases) is generated up front in large batches; the tests then read from the cache.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from plugin import diet, quality, scorecard, strategies
from plugin.generation import Sampling
from plugin.scoring import Tally, Verdict, judge
from training.evaluate import fresh_scenarios

PROPERTY_SEED = 20_240_601


@dataclass(frozen=True)
class Outcome:
    preference: str
    pantry: tuple[str, ...]
    request: str
    prompt: str
    output: str
    verdict: Verdict


@pytest.fixture(scope="session")
def quality_profile(recipe_settings) -> quality.QualityProfile:
    return quality.load_quality(recipe_settings.profile.name)


@pytest.fixture(scope="session")
def greedy(quality_profile) -> Sampling:
    return Sampling(temperature=0.0, max_tokens=quality_profile.max_tokens)


@pytest.fixture(scope="session")
def hypothesis_examples(quality_profile) -> int:
    return quality_profile.examples_for(settings.get_current_profile_name())


def property_settings(examples: int, gate: bool):  # type: ignore[no-untyped-def]
    # Each example is a model generation: no deadline, and shrinking only where it gates.
    phases = list(Phase) if gate else [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(
        max_examples=examples,
        deadline=None,
        phases=phases,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


def property_scenarios(preference: str, examples: int) -> list[tuple[tuple[str, ...], str]]:
    """The scenarios the property test will draw, found by a dry run with the same seed."""
    drawn: list[tuple[tuple[str, ...], str]] = []

    @seed(PROPERTY_SEED)
    @settings(property_settings(examples, gate=False), database=None)
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        drawn.append(data.draw(strategies.scenarios(preference)))

    collect()
    return drawn


def judge_all(engine, sampling: Sampling, cases: list[tuple[str, tuple[str, ...], str]]) -> list[Outcome]:  # type: ignore[no-untyped-def]
    prompts = [engine.render(pantry, pref, request) for pref, pantry, request in cases]
    outputs = engine.generate(prompts, sampling)
    return [
        Outcome(pref, pantry, request, prompt, out, judge(out, pref, pantry))
        for (pref, pantry, request), prompt, out in zip(cases, prompts, outputs)
    ]


def gate_cases(quality_profile) -> list[tuple[str, tuple[str, ...], str]]:  # type: ignore[no-untyped-def]
    n = quality_profile.scenarios_per_diet * len(diet.PREFERENCES)
    return [(s.diet, s.pantry, s.request) for s in fresh_scenarios(n)]


@pytest.fixture(scope="session")
def prefetched(recipe_engine, greedy, quality_profile, hypothesis_examples) -> None:
    """Generate everything the suite needs in one batched pass (a no-op when cached)."""
    cases = gate_cases(quality_profile)
    for pref in diet.DIETS:
        cases += [(pref, pantry, request) for pantry, request in property_scenarios(pref, hypothesis_examples)]
    recipe_engine.generate([recipe_engine.render(p, d, r) for d, p, r in cases], greedy)


def _tallies(outcomes: list[Outcome]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for i, o in enumerate(outcomes):
        tallies[o.preference].add(o.verdict, f"scenario {i} ({o.preference})")
    return tallies


@pytest.fixture(scope="session")
def gate_results(pytestconfig, prefetched, recipe_engine, recipe_adapter, greedy, quality_profile) -> dict[str, Tally]:
    outcomes = judge_all(recipe_engine, greedy, gate_cases(quality_profile))
    tallies = _tallies(outcomes)
    card = scorecard.get(pytestconfig)
    name = str(recipe_adapter.path or "base model (no adapter)")
    for pref, tally in tallies.items():
        card.record("adapter", name, pref, tally)
    return tallies


@pytest.fixture(scope="session")
def compare_results(pytestconfig, compare_engine, greedy, quality_profile, gate_results) -> dict[str, Tally] | None:
    if compare_engine is None:
        return None
    from plugin import options

    tallies = _tallies(judge_all(compare_engine, greedy, gate_cases(quality_profile)))
    card = scorecard.get(pytestconfig)
    for pref, tally in tallies.items():
        card.record("compare", str(pytestconfig.getoption(options.COMPARE_ADAPTER)), pref, tally)
    return tallies
