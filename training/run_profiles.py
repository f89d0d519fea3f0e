"""Run profiles: which base model, LoRA training config and adapter a run uses.

``v3`` is the seed guide's Phi-3 Mini run (a Mac job); ``cpu`` is the embedded
SmolLM2-135M with a short schedule that fits a 2-core CI box. (Not to be confused with
the quality gates per run profile in ``tests_model/quality_gates/``, the hardware floors
in ``tests_perf/hardware_floors.yaml`` or Hypothesis's settings profiles.)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plugin.diet.errors import InputError
from plugin.paths import ADAPTERS_DIR, MODELS_DIR, TRAINING_DIR
from plugin.runtime.embedded import MODEL_ID as EMBEDDED_MODEL_ID

ENV_VAR = "RECIPE_PROFILE"


@dataclass(frozen=True)
class RunProfile:
    name: str
    model: str  # HF id, local path, or EMBEDDED_MODEL_ID
    config: Path  # the LoRA training YAML
    adapter_path: Path  # the adapter tests load by default (where the shipped or trained one lives)
    description: str


RUN_PROFILES: dict[str, RunProfile] = {
    "v3": RunProfile(
        "v3",
        "mlx-community/Phi-3-mini-4k-instruct-4bit",
        TRAINING_DIR / "lora_config_v3.yaml",
        MODELS_DIR / "phi3-recipe-lora-v3",
        "seed guide V3: Phi-3 Mini 4-bit, 9000 iters (Apple Silicon)",
    ),
    "cpu": RunProfile(
        "cpu",
        EMBEDDED_MODEL_ID,
        TRAINING_DIR / "lora_config_cpu.yaml",
        ADAPTERS_DIR / "smollm2-recipe-lora-cpu",
        "embedded SmolLM2-135M-Instruct, short LoRA schedule (CPU)",
    ),
}


def default_run_profile(backend: str) -> tuple[str, str]:
    """The run profile to use and why, from the detected backend."""
    if backend == "metal":
        return "v3", "Metal GPU available"
    return "cpu", f"no Metal GPU; {backend} backend"


def get(name: str) -> RunProfile:
    try:
        return RUN_PROFILES[name]
    except KeyError:
        raise InputError(f"unknown run profile {name!r}; choose from {', '.join(sorted(RUN_PROFILES))}") from None
