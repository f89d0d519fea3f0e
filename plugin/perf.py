"""Hardware profiles for the perf gates, and the measurements the benchmarks share."""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROFILES_FILE = ROOT / "tests_perf" / "hardware_profiles.yaml"


@dataclass(frozen=True)
class Floors:
    name: str
    train_it_per_s: float
    train_tokens_per_s: float
    max_peak_memory_gb: float
    gen_tokens_per_s: float


def load_profiles(path: Path = PROFILES_FILE) -> dict[str, Floors]:
    import yaml

    raw = yaml.safe_load(path.read_text())
    fields = set(Floors.__dataclass_fields__) - {"name"}
    out = {}
    for name, values in raw.items():
        if set(values) != fields:
            raise ValueError(f"{path}: profile {name!r} needs exactly {sorted(fields)}, got {sorted(values)}")
        out[name] = Floors(name, **values)
    return out


def detect_profile(backend: str) -> str:
    if sys.platform == "darwin" and backend == "metal":
        return "apple-m4-pro"
    if sys.platform == "linux" and (os.cpu_count() or 0) <= 2:
        return "linux-2core-cpu"
    return "generic-cpu"


def gate(value: float, limit: float, what: str, profile: str, higher_is_better: bool = True) -> None:
    ok = value >= limit if higher_is_better else value <= limit
    sign = ">=" if higher_is_better else "<="
    assert ok, f"{what}: measured {value:.3g}, limit {sign} {limit:g} (perf profile {profile})"


def machine() -> dict[str, Any]:
    return {"platform": platform.platform(), "cpus": os.cpu_count()}


def timed(fn: Any) -> tuple[Any, float]:
    tic = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - tic
