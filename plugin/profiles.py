"""Run profiles: which base model, training config and adapter a run uses.

``v3`` is the seed guide's Phi-3 Mini run (a Mac job); ``cpu`` is the embedded
SmolLM2-135M with a short schedule that fits a 2-core CI box.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plugin.embedded import MODEL_ID as EMBEDDED_MODEL_ID

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Profile:
    name: str
    model: str  # HF id, local path, or EMBEDDED_MODEL_ID
    config: Path  # the LoRA training YAML
    adapter_path: Path  # where training writes and tests load the adapter
    description: str


PROFILES: dict[str, Profile] = {
    "v3": Profile(
        "v3",
        "mlx-community/Phi-3-mini-4k-instruct-4bit",
        ROOT / "training" / "lora_config_v3.yaml",
        ROOT / "models" / "phi3-recipe-lora-v3",
        "seed guide V3: Phi-3 Mini 4-bit, 9000 iters (Apple Silicon)",
    ),
    "cpu": Profile(
        "cpu",
        EMBEDDED_MODEL_ID,
        ROOT / "training" / "lora_config_cpu.yaml",
        ROOT / "adapters" / "smollm2-recipe-lora-cpu",
        "embedded SmolLM2-135M-Instruct, short LoRA schedule (CPU)",
    ),
}


def default_profile(backend: str) -> tuple[str, str]:
    """The profile to use and why, from the detected backend."""
    if backend == "metal":
        return "v3", "Metal GPU available"
    return "cpu", f"no Metal GPU; {backend} backend"


def get(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; choose from {', '.join(sorted(PROFILES))}") from None
