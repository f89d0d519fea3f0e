"""Per-profile quality gates, read from ``tests_model/profiles/<profile>.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROFILE_DIR = ROOT / "tests_model" / "profiles"
STRICT_MODES = ("report", "gate")


@dataclass(frozen=True)
class QualityProfile:
    scenarios_per_diet: int
    min_pass_lower_bound: float
    min_overall_lower_bound: float
    strict_property: str
    property_examples: dict[str, int]
    max_tokens: int
    batch_size: int

    def examples_for(self, hypothesis_profile: str) -> int:
        return self.property_examples.get(hypothesis_profile, self.property_examples.get("ci", 4))

    @property
    def strict_gates(self) -> bool:
        return self.strict_property == "gate"


def load_quality(profile: str, folder: Path = PROFILE_DIR) -> QualityProfile:
    import yaml

    path = folder / f"{profile}.yaml"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no quality gates for profile {profile!r}")
    raw: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
    names = {f.name for f in fields(QualityProfile)}
    if unknown := sorted(set(raw) - names):
        raise ValueError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(names))})")
    if missing := sorted(names - set(raw)):
        raise ValueError(f"{path}: missing key {missing[0]!r}")
    quality = QualityProfile(**raw)
    for key in ("min_pass_lower_bound", "min_overall_lower_bound"):
        if not 0 <= getattr(quality, key) <= 1:
            raise ValueError(f"{path}: {key} must be between 0 and 1, got {getattr(quality, key)}")
    if quality.strict_property not in STRICT_MODES:
        raise ValueError(f"{path}: strict_property must be one of {', '.join(STRICT_MODES)}, got {quality.strict_property!r}")
    return quality
