"""Gate tests record their figures as JUnit properties through one object, the ``recipe_gate`` fixture.

The names and values come from ``plugin.report.gates``; this is the one place that writes them
into a test's ``user_properties`` (what ``--junitxml`` and xdist's reports carry).
"""

from __future__ import annotations

import pytest

from plugin.diet.scoring import Tally
from plugin.report.gates import PROFILE, LimitGate, PassRateGate


class GateRecorder:
    """A test's gates: each check records its figures, then returns what the test asserts on.

    Not pytest's ``record_property`` fixture: it warns on every test under the default
    ``junit_family`` (xunit2), though pytest writes the properties the same way.
    """

    def __init__(self, item: pytest.Item, run_profile: str) -> None:
        self.item = item
        self.record(PROFILE, run_profile)

    def record(self, name: str, value: object) -> None:
        if (name, value) not in self.item.user_properties:
            self.item.user_properties.append((name, value))

    def pass_rate(self, tally: Tally, threshold: float) -> bool:
        """Whether the Wilson 95% lower bound of the pass rate reaches ``threshold``."""
        gate = PassRateGate(tally, threshold)
        self.item.user_properties.extend(gate.properties())
        return gate.passed

    def limit(self, name: str, measured: float, limit: float, unit: str, rule: str = ">=") -> LimitGate:
        gate = LimitGate(name, measured, limit, unit, rule)
        self.item.user_properties.extend(gate.properties())
        return gate
