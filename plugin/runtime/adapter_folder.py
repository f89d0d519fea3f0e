"""An adapter folder's file names, and the check that it belongs to the base model in use.

mlx-lm reads ``adapters.safetensors`` and ``adapter_config.json``; the trainer adds numbered
checkpoints, optimizer state, metrics, the loss curve and the seed's summary file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plugin.diet.errors import SuiteError
from plugin.paths import portable

ADAPTERS = "adapters.safetensors"
CONFIG = "adapter_config.json"
OPTIMIZER = "optimizer.safetensors"
BEST = "best_adapters.safetensors"
STATE = "training_state.json"
METRICS = "metrics.jsonl"
LOSS_PNG = "loss_curve.png"
SUMMARY = "training_config_v3.json"  # the seed guide's name for the run summary
CHECKPOINT_RE = re.compile(r"^(\d{7})_adapters\.safetensors$")
# What identifies the trained weights (the generation cache keys on these).
WEIGHT_FILES = (ADAPTERS, CONFIG)


class AdapterError(SuiteError, ValueError):
    """An adapter folder that cannot be used as asked; the message names the file."""


def checkpoint_name(iteration: int) -> str:
    return f"{iteration:07d}_{ADAPTERS}"


def trained_on(folder: Path) -> str | None:
    """The base model an adapter records (``model`` in its config), or None without a config."""
    config = folder / CONFIG
    if not config.is_file():
        return None
    try:
        model = json.loads(config.read_text(encoding="utf-8")).get("model")
    except (ValueError, AttributeError) as exc:
        raise AdapterError(f"{config}: not a valid adapter config ({exc})") from None
    return str(model) if model else None


def check_weights_file(path: Path) -> None:
    """A safetensors file that is whole: its header parses and every tensor lies inside the file."""
    try:
        with path.open("rb") as fh:
            prefix = fh.read(8)
            size = int.from_bytes(prefix, "little") if len(prefix) == 8 else -1
            header = json.loads(fh.read(size)) if 0 < size < 100_000_000 else None
        total = path.stat().st_size
    except (OSError, ValueError) as exc:
        raise AdapterError(f"{path}: not a readable safetensors file ({exc})") from None
    if not isinstance(header, dict):
        raise AdapterError(f"{path}: not a safetensors file (no valid header)")
    ends = [t.get("data_offsets", [0, 0])[1] for k, t in header.items() if k != "__metadata__" and isinstance(t, dict)]
    if any(8 + size + end > total for end in ends):
        raise AdapterError(f"{path}: truncated ({total} bytes, the header promises {8 + size + max(ends)})")


def check_files(folder: Path) -> None:
    """An adapter folder whose files are whole: weights that load and a config that parses."""
    check_weights_file(folder / ADAPTERS)
    trained_on(folder)


def check_base_model(folder: Path, model: str, whose: str, require_config: bool = False) -> None:
    """An adapter trained on another base model is an error, not a silent mismatch.

    ``whose`` names where ``model`` came from ("this run's", "the config's").
    """
    if require_config and not (folder / CONFIG).is_file():
        raise AdapterError(f"{folder}: not an adapter folder (no {CONFIG})")
    recorded = trained_on(folder)
    # Compared portably: new configs record a repo-relative path, older ones this machine's absolute path.
    if recorded and portable(recorded) != portable(model):
        raise AdapterError(f"{folder / CONFIG}: adapter was trained on {recorded}, but {whose} base model is {model}")


@dataclass
class AdapterInfo:
    """The adapter a session tests and where it came from, with its training summary if any."""

    path: Path | None
    source: str  # trained, reused, given, run profile, none, or missing
    summary: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def result(self) -> dict[str, Any]:
        return self.summary.get("result", {})


def read_summary(folder: Path) -> dict[str, Any]:
    """The trainer's run summary (``training_config_v3.json``), or {} when there is none."""
    file = folder / SUMMARY
    if not file.is_file():
        return {}
    try:
        return dict(json.loads(file.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise AdapterError(f"{file}: corrupt training summary ({exc})") from None
