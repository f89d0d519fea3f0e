"""What an adapter was trained from: config, data, base model and mlx-lm version, hashed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from plugin.runtime.backend import package_version
from plugin.runtime.gen_cache import file_digest
from training.config import TrainConfig

# Where the adapter lands and how often progress is printed do not change the weights.
NOT_TRAINING_INPUTS = ("adapter_path", "steps_per_report", "train")
# Keys added after adapters were fingerprinted: left out while unset, so those adapters keep their fingerprint.
LATER_OPTIONAL_KEYS = ("lr_schedule",)


def base_model_identity(model: str) -> str:
    """A local folder is identified by its config and weight sizes; a hub id by its name."""
    path = Path(model)
    if not path.is_dir():
        return model
    parts = [(path / "config.json").read_text()] if (path / "config.json").is_file() else []
    parts += [f"{p.name}:{p.stat().st_size}" for p in sorted(path.glob("*.safetensors"))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def fingerprint(cfg: TrainConfig, base_model: str) -> str:
    config = {
        k: v for k, v in cfg.to_dict().items() if k not in NOT_TRAINING_INPUTS and not (k in LATER_OPTIONAL_KEYS and v is None)
    }
    data = {name: file_digest(cfg.data_dir / name) for name in ("train.jsonl", "valid.jsonl") if (cfg.data_dir / name).is_file()}
    payload = {
        "config": config,
        "data": data,
        "base_model": base_model_identity(base_model),
        "mlx_lm": package_version("mlx-lm"),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:16]
