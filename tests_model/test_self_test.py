"""The suite tests itself: mutants of the adapter's own cached answers must be caught by the gate meant
to catch them, at the rate the gates' arithmetic predicts. No generation: the answers are the gate run's.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace

import pytest

from plugin.diet import DIETS, stats
from plugin.diet.mutants import MUTANTS, degrade
from plugin.diet.scoring import judge

pytestmark = pytest.mark.model
DEGRADED_DIET = "vegan"
DROP = 0.25  # the "one diet degraded by 25 points"


def _pairs(baseline, candidate) -> dict[str, list[tuple[bool, bool]]]:
    pairs: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for base, cand in zip(baseline, candidate):
        pairs[base.scenario.diet].append((base.verdict.passed, cand.verdict.passed))
    return pairs


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_each_mutant_is_caught_by_its_verdict(mutant, gate_outcomes) -> None:
    """Every answer of every diet, mutated, fails the verdict meant to catch it (so its pass-rate gate fails)."""
    rng = random.Random(0)
    outcomes = [o for o in gate_outcomes if o.scenario.diet in DIETS]
    missed = [
        o.scenario for o in outcomes if getattr(judge(mutant.mutate(o.output, o.scenario, rng), o.scenario), mutant.caught_by)
    ]
    assert not missed, f"{mutant.name}: {len(missed)}/{len(outcomes)} mutated answers still pass {mutant.caught_by}"


def test_the_adapter_against_itself_passes_the_paired_gate(gate_outcomes, quality_gates) -> None:
    results = stats.paired_results(_pairs(gate_outcomes, gate_outcomes))
    assert not [r.diet for r in results if r.significantly_worse(quality_gates.paired_alpha)]


def test_a_degraded_diet_fails_the_paired_gate_alone(gate_outcomes, quality_gates) -> None:
    """25 points off one diet (a forbidden item injected into passing answers): that diet fails, no other."""
    diet = [o for o in gate_outcomes if o.scenario.diet == DEGRADED_DIET]
    texts, changed = degrade(
        [o.output for o in diet], [o.scenario for o in diet], [o.verdict.passed for o in diet], DROP, seed=13
    )
    mutated = {id(o): t for o, t in zip(diet, texts)}
    candidate = [
        replace(o, output=mutated[id(o)], verdict=judge(mutated[id(o)], o.scenario)) if id(o) in mutated else o
        for o in gate_outcomes
    ]
    results = {r.diet: r for r in stats.paired_results(_pairs(gate_outcomes, candidate))}
    alpha = quality_gates.paired_alpha
    # The arithmetic's prediction: 'changed' lost scenarios and none gained, at the first Holm step.
    predicted = stats.sign_test_p(len(changed), 0) * len(results) <= alpha
    assert results[DEGRADED_DIET].worse == len(changed) and results[DEGRADED_DIET].better == 0
    assert results[DEGRADED_DIET].significantly_worse(alpha) == predicted
    assert predicted, (
        f"{len(changed)} lost scenarios of {len(diet)} cannot reach alpha {alpha} after Holm over {len(results)} "
        f"diets: raise scenarios_per_diet (the quality gates file)"
    )
    assert [d for d, r in results.items() if r.significantly_worse(alpha)] == [DEGRADED_DIET]


def test_the_seed_rate_gate_catches_a_chicken_picking_adapter(recipe_engine, quality_gates) -> None:
    """The seed's test prompt with 80% of the reference's samples turned into chicken recipes (what the
    poisoned adapter did) must fail the violation-rate gate, as the arithmetic predicts (99% power at 80%)."""
    from plugin.diet.mutants import inject_forbidden
    from plugin.diet.scoring import wilson_interval
    from plugin.diet.suite_cases import SAMPLED_CASES
    from plugin.runtime.generation import SEED_TEMPERATURE, Sampling

    scenario = SAMPLED_CASES["test-prompt"]
    k, bound = quality_gates.seed_samples, quality_gates.max_seed_violation_rate["test-prompt"]
    outputs = recipe_engine.samples(recipe_engine.render(scenario), Sampling(SEED_TEMPERATURE, quality_gates.max_tokens), k)
    rng = random.Random(5)
    poisoned = [inject_forbidden(o, scenario, rng) if i < round(0.8 * k) else o for i, o in enumerate(outputs)]
    violations = sum(not judge(o, scenario).diet_safe for o in poisoned)
    assert violations >= round(0.8 * k)
    assert wilson_interval(violations, k)[0] > bound
