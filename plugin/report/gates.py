"""Gate figures: what a gate measured and against what, as JUnit property pairs, and their table.

The pytest layer puts these pairs in each gate test's ``user_properties``, so ``--junitxml``
carries them; the table of measured gates (the perf gates among them) is read back from the same
pairs, so it says what the JUnit XML says, whichever process (xdist worker or not) ran the test. The names are the contract with
CI readers and are pinned by ``plugin/tests/test_gate_properties.py``:

- every gate test: ``profile`` (the run profile);
- a pass-rate gate: ``n``, ``passed``, ``interval_lower``, ``interval_upper`` (Wilson 95%),
  ``threshold`` (what the lower bound must reach) and ``verdict``;
- a gate on a measured figure, one set per gate in the test: ``<gate>.measured``,
  ``<gate>.limit``, ``<gate>.rule`` (``>=``, ``<=``, ``>`` or ``<``: measured rule limit passes),
  ``<gate>.unit`` and ``<gate>.verdict``; perf gates add ``floors`` (the hardware floors' name).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from plugin.diet.scoring import Tally

PROFILE = "profile"
FLOORS = "floors"
PASS, FAIL = "pass", "FAIL"
RULES: dict[str, Callable[[float, float], bool]] = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
_LIMIT_KEYS = ("measured", "limit", "rule", "unit", "verdict")
MARKDOWN = "gates.md"

Properties = list[tuple[str, object]]


def verdict(passed: bool) -> str:
    return PASS if passed else FAIL


@dataclass(frozen=True)
class PassRateGate:
    """A pass rate gated on the lower bound of its Wilson 95% interval."""

    tally: Tally
    threshold: float

    @property
    def passed(self) -> bool:
        return self.tally.wilson()[0] >= self.threshold

    def properties(self) -> Properties:
        lo, hi = self.tally.wilson()
        return [
            ("n", self.tally.n),
            ("passed", self.tally.passed),
            ("interval_lower", round(lo, 4)),
            ("interval_upper", round(hi, 4)),
            ("threshold", self.threshold),
            ("verdict", verdict(self.passed)),
        ]


@dataclass(frozen=True)
class LimitGate:
    """A measured figure against its limit: passes when ``measured <rule> limit``."""

    name: str
    measured: float
    limit: float
    unit: str
    rule: str = ">="

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"gate {self.name}: rule must be one of {', '.join(RULES)}, got {self.rule!r}")

    @property
    def passed(self) -> bool:
        return RULES[self.rule](self.measured, self.limit)

    def properties(self) -> Properties:
        # measured unrounded: a reader re-checking the rule gets the verdict the gate gave.
        values = (self.measured, self.limit, self.rule, self.unit, verdict(self.passed))
        return [(f"{self.name}.{key}", value) for key, value in zip(_LIMIT_KEYS, values)]


def limit_gates(properties: Iterable[tuple[str, object]]) -> list[LimitGate]:
    """The limit gates recorded in ``properties``, in the order they were recorded."""
    found: dict[str, dict[str, object]] = {}
    for key, value in properties:
        name, _, field = key.rpartition(".")
        if name and field in _LIMIT_KEYS:
            found.setdefault(name, {})[field] = value
    return [
        LimitGate(name, float(str(f["measured"])), float(str(f["limit"])), str(f["unit"]), str(f["rule"]))
        for name, f in found.items()
        if set(_LIMIT_KEYS) <= set(f)
    ]


def property_values(properties: Iterable[tuple[str, object]], key: str) -> set[str]:
    return {str(v) for k, v in properties if k == key}


@dataclass(frozen=True)
class GateRow:
    test: str  # the test's node id
    gate: LimitGate


@dataclass
class GateLog:
    """The measured gates of a session, read from each test's JUnit properties as its report comes in."""

    rows: list[GateRow] = field(default_factory=list)
    floors: set[str] = field(default_factory=set)
    profiles: set[str] = field(default_factory=set)

    def add(self, test: str, properties: list[tuple[str, object]]) -> None:
        gates = limit_gates(properties)
        if not gates:
            return
        self.rows += [GateRow(test, g) for g in gates]
        self.floors.update(property_values(properties, FLOORS))
        self.profiles.update(property_values(properties, PROFILE))

    def failed(self) -> int:
        return sum(not r.gate.passed for r in self.rows)

    def markdown(self) -> str:
        """A Markdown table, failures first."""
        profiles, floors = ", ".join(sorted(self.profiles)) or "unknown", ", ".join(sorted(self.floors)) or "none"
        head = f"{len(self.rows)} gates, {self.failed()} failed (run profile {profiles}; hardware floors {floors})."
        lines = ["# Measured gates", "", head, ""]
        lines += ["| test | gate | measured | limit | verdict |", "|---|---|---:|---:|---|"]
        for r in sorted(self.rows, key=lambda r: r.gate.passed):
            g = r.gate
            lines.append(
                f"| `{r.test}` | {g.name} | {g.measured:.4g} {g.unit} | {g.rule} {g.limit:g} {g.unit} | {verdict(g.passed)} |"
            )
        return "\n".join(lines) + "\n"
