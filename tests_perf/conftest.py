"""Shared set-up for the perf gates: floors for this machine, the model, a few real batches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from plugin import hardware_floors, options
from plugin.hardware_floors import HardwareFloors, detect_hardware, load_hardware_floors
from plugin.report.gates import FLOORS


@pytest.fixture(scope="session")
def perf_floors(pytestconfig, recipe_settings) -> HardwareFloors:
    name = pytestconfig.getoption(options.PERF_PROFILE) or detect_hardware(recipe_settings.backend.name)
    return load_hardware_floors()[name]


FloorGate = Callable[..., None]


@pytest.fixture
def floor_gate(recipe_gate, perf_floors: HardwareFloors) -> FloorGate:
    """``floor_gate(name, measured, limit, unit, what, rule=">=")``: records the figures as JUnit
    properties, then asserts, naming this machine's hardware floors."""
    recipe_gate.record(FLOORS, perf_floors.name)

    def check(name: str, measured: float, limit: float, unit: str, what: str, rule: str = ">=") -> None:
        hardware_floors.gate(recipe_gate.limit(name, measured, limit, unit, rule), what, perf_floors.name)

    return check


@pytest.fixture(scope="session")
def perf_config(recipe_settings):
    from training.config import load_config

    return load_config(recipe_settings.run_profile.config, {"model": recipe_settings.model})


@pytest.fixture(scope="session")
def perf_base_path(recipe_settings) -> str:
    """The base model folder; the perf suite skips, with the reason, when it cannot be had."""
    from pathlib import Path

    from plugin.runtime import embedded

    if not recipe_settings.is_embedded:
        if not Path(recipe_settings.model).is_dir():
            pytest.skip(f"perf needs a local model folder; {recipe_settings.model} is not one")
        return recipe_settings.model
    try:
        return str(embedded.ensure_model(recipe_settings.model_cache, quantized=recipe_settings.backend.keeps_quantized).path)
    except embedded.EmbeddedModelError as exc:
        pytest.skip(f"cannot load the model: {exc}")


@pytest.fixture(scope="session")
def perf_model(perf_base_path) -> tuple[Any, Any]:
    from mlx_lm import load

    return load(perf_base_path)
