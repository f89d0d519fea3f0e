"""Quality gates per run profile, read from ``tests_model/quality_gates/<run profile>.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from plugin.diet.errors import SuiteError
from plugin.hypothesis_profiles import DEFAULT as DEFAULT_HYPOTHESIS_PROFILE
from plugin.paths import QUALITY_GATES_DIR
from plugin.report.scorecard import GatePolicy

STRICT_MODES = ("report", "gate")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return _is_int(v) or isinstance(v, float)


_TYPE_CHECKS = {
    "scenarios_per_diet": _is_int,
    "min_pass_lower_bound": _is_number,
    "min_overall_lower_bound": _is_number,
    "strict_property": lambda v: isinstance(v, str),
    "property_examples": lambda v: isinstance(v, dict) and all(isinstance(k, str) and _is_int(n) for k, n in v.items()),
    "paired_alpha": _is_number,
    "paired_scenarios_per_diet": _is_int,
    "seed_samples": _is_int,
    "max_seed_violation_rate": lambda v: isinstance(v, dict) and all(isinstance(k, str) and _is_number(b) for k, b in v.items()),
    "max_tokens": _is_int,
    "batch_size": _is_int,
}


class QualityGatesError(SuiteError, ValueError):
    """A missing or malformed quality gates file; the message names the file and key."""


@dataclass(frozen=True)
class QualityGates:
    scenarios_per_diet: int
    min_pass_lower_bound: float
    min_overall_lower_bound: float
    strict_property: str
    property_examples: dict[str, int]
    paired_alpha: float  # family-wise level of the paired regression gate (Holm across the diets)
    # the paired gate's scenarios per diet (only with a baseline): the gate scenarios and as many more after them
    paired_scenarios_per_diet: int
    seed_samples: int  # samples per seed case at the seed's temperature
    # per seed case: it fails when its violation rate's Wilson lower bound exceeds this; a case not named is reported only
    max_seed_violation_rate: dict[str, float]
    max_tokens: int
    batch_size: int

    def examples_for(self, hypothesis_profile: str) -> int:
        return self.property_examples.get(hypothesis_profile, self.property_examples.get(DEFAULT_HYPOTHESIS_PROFILE, 4))

    @property
    def strict_gates(self) -> bool:
        return self.strict_property == "gate"

    def scorecard_policy(self, run_profile: str) -> GatePolicy:
        return GatePolicy(run_profile, self.min_pass_lower_bound, self.min_overall_lower_bound, self.strict_gates)


def gates_file(run_profile: str, folder: Path = QUALITY_GATES_DIR) -> Path:
    return folder / f"{run_profile}.yaml"


def load_quality_gates(run_profile: str, folder: Path = QUALITY_GATES_DIR) -> QualityGates:
    from training.config import load_yaml_mapping

    path = gates_file(run_profile, folder)
    if not path.is_file():
        raise QualityGatesError(f"{path}: no quality gates for run profile {run_profile!r}")
    raw: dict[str, Any] = load_yaml_mapping(path, QualityGatesError)
    names = {f.name for f in fields(QualityGates)}
    if unknown := sorted(set(raw) - names):
        raise QualityGatesError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(names))})")
    if missing := sorted(names - set(raw)):
        raise QualityGatesError(f"{path}: missing key {missing[0]!r}")
    for f in fields(QualityGates):
        if not _TYPE_CHECKS[f.name](raw[f.name]):
            raise QualityGatesError(f"{path}: {f.name} must be {f.type}, got {raw[f.name]!r}")
    gates = QualityGates(**raw)
    for key in ("min_pass_lower_bound", "min_overall_lower_bound"):
        if not 0 <= getattr(gates, key) <= 1:
            raise QualityGatesError(f"{path}: {key} must be between 0 and 1, got {getattr(gates, key)}")
    for case, bound in gates.max_seed_violation_rate.items():
        if not 0 <= bound < 1:
            raise QualityGatesError(f"{path}: max_seed_violation_rate.{case} must be in [0, 1), got {bound}")
    if gates.paired_scenarios_per_diet < gates.scenarios_per_diet:
        raise QualityGatesError(
            f"{path}: paired_scenarios_per_diet must be >= scenarios_per_diet ({gates.scenarios_per_diet}), "
            f"got {gates.paired_scenarios_per_diet}"
        )
    if not 0 < gates.paired_alpha < 1:
        raise QualityGatesError(f"{path}: paired_alpha must be between 0 and 1 (exclusive), got {gates.paired_alpha}")
    if gates.strict_property not in STRICT_MODES:
        raise QualityGatesError(
            f"{path}: strict_property must be one of {', '.join(STRICT_MODES)}, got {gates.strict_property!r}"
        )
    return gates
