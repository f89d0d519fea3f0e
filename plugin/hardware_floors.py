"""Hardware floors for the perf gates (``tests_perf/hardware_floors.yaml``), and their gate check.

A set of floors per kind of machine: the minimum training and generation speed and the
maximum peak memory the perf gates accept there.
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugin.diet.errors import InputError
from plugin.paths import HARDWARE_FLOORS_FILE
from plugin.report.gates import LimitGate


@dataclass(frozen=True)
class HardwareFloors:
    name: str
    train_it_per_s: float
    train_tokens_per_s: float
    max_peak_memory_gb: float
    gen_tokens_per_s: float


def load_hardware_floors(path: Path = HARDWARE_FLOORS_FILE) -> dict[str, HardwareFloors]:
    from training.config import load_yaml_mapping

    raw = load_yaml_mapping(path, InputError)
    fields = set(HardwareFloors.__dataclass_fields__) - {"name"}
    out = {}
    for name, values in raw.items():
        if not isinstance(values, dict) or set(values) != fields:
            got = sorted(map(str, values)) if isinstance(values, dict) else type(values).__name__
            raise InputError(f"{path}: floors {name!r} need exactly {sorted(fields)}, got {got}")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values.values()):
            raise InputError(f"{path}: floors {name!r} must all be numbers")
        out[str(name)] = HardwareFloors(str(name), **values)
    return out


def detect_hardware(backend: str) -> str:
    """The name of the floors that fit this machine."""
    if sys.platform == "darwin" and backend == "metal":
        return "apple-m4-pro"
    if sys.platform == "linux" and (os.cpu_count() or 0) <= 2:
        return "linux-2core-cpu"
    return "generic-cpu"


def gate(check: LimitGate, what: str, floors: str) -> None:
    c = check
    assert c.passed, f"{what}: measured {c.measured:.3g} {c.unit}, limit {c.rule} {c.limit:g} {c.unit} (hardware floors {floors})"


def machine() -> dict[str, Any]:
    return {"platform": platform.platform(), "cpus": os.cpu_count()}
