"""The Hypothesis side of the model suite's property tests: their seed, settings and the examples they draw.

``tests_model`` runs the properties; the suite's prefetch and ``plugin.fill_cache`` generate the same examples
ahead of time, found by a dry run with the same seed and settings.
"""

from __future__ import annotations

from typing import Any

from plugin.diet import Scenario

PROPERTY_SEED = 20_240_601


def property_settings(examples: int, gate: bool) -> Any:
    """Each example is a model generation: no deadline, and shrinking only where it gates."""
    from hypothesis import HealthCheck, Phase, settings

    phases = list(Phase) if gate else [Phase.explicit, Phase.reuse, Phase.generate]
    return settings(
        max_examples=examples,
        deadline=None,
        phases=phases,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


def property_scenarios(diet: str, examples: int) -> list[Scenario]:
    """The scenarios the property test will draw, found by a dry run with the same seed."""
    from hypothesis import given, seed, settings
    from hypothesis import strategies as st

    from plugin import strategies

    drawn: list[Scenario] = []

    @seed(PROPERTY_SEED)
    @settings(property_settings(examples, gate=False), database=None)
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        drawn.append(data.draw(strategies.scenarios(diet)))

    collect()
    return drawn
