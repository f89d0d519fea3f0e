"""A tiny random Phi-3 and a small dataset in its format, for fast trainer plumbing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from plugin.diet.chat import PHI3
from plugin.runtime.tiny import build_tiny_phi3
from training.dataset import write_splits

COUNTS = {"train": 24, "valid": 8}


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_phi3(tmp_path_factory.mktemp("tiny-phi3"))


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("data")
    write_splits(out, COUNTS, seed=7, template=PHI3)
    return out


@pytest.fixture
def tiny_config(tmp_path: Path, tiny_model: Path, tiny_data: Path):
    def make(**overrides: object) -> Path:
        values = {
            "model": str(tiny_model),
            "data": str(tiny_data),
            "adapter_path": str(tmp_path / "adapter"),
            "iters": 12,
            "batch_size": 2,
            "learning_rate": 1e-3,
            "num_layers": 2,
            "steps_per_report": 1,
            "steps_per_eval": 4,
            "save_every": 4,
            "val_batches": 2,
            "max_seq_length": 512,
            "data_counts": COUNTS,
            "lora_parameters": {"rank": 4, "alpha": 8.0, "scale": 8.0, "dropout": 0.0},
            **overrides,
        }
        import yaml

        path = tmp_path / "tiny.yaml"
        path.write_text(yaml.safe_dump(values))
        return path

    return make
