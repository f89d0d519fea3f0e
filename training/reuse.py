"""``pytest --train``'s engine: train the run profile's adapter, or reuse it when nothing changed.

Training is skipped when the adapter folder already holds a finished run with the same
fingerprint (config + data hash + base model + mlx-lm version), unless ``retrain``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from plugin.runtime import embedded
from plugin.runtime.adapter_folder import AdapterInfo, read_summary

Say = Callable[[str], None]


def train_or_reuse(
    model: str, model_cache: Path, config_path: Path, retrain: bool, say: Say, retrain_hint: str = "retrain"
) -> AdapterInfo:
    """``retrain_hint`` names the caller's way to force training (the pytest option, a CLI flag)."""
    from mlx_lm import load

    from training import dataset, trainer
    from training.config import load_config
    from training.fingerprint import fingerprint

    cfg = load_config(config_path, {"model": model})
    base = str(embedded.ensure_model(model_cache).path) if model == embedded.MODEL_ID else model
    dataset.ensure_data(cfg, dataset.template_for(cfg.model), say)
    wanted = fingerprint(cfg, base)
    previous = read_summary(cfg.adapter_dir)
    finished = previous.get("result", {}).get("iterations") == cfg.iters
    if not retrain and finished and previous.get("fingerprint") == wanted:
        say(f"reusing {cfg.adapter_dir} (fingerprint {wanted} matches; {retrain_hint} to train again)")
        return AdapterInfo(cfg.adapter_dir, "reused", previous)
    say(f"training {cfg.model} with {config_path.name}: {cfg.iters} iters -> {cfg.adapter_dir}")
    lora_model, tokenizer = load(base)[:2]
    trainer.prepare_model(cfg, lora_model, None)
    trainer.train_lora(cfg, lora_model, tokenizer, model, progress=progress_printer(say), extra_summary={"fingerprint": wanted})
    return AdapterInfo(cfg.adapter_dir, "trained", read_summary(cfg.adapter_dir))


def progress_printer(say: Say) -> Callable[[dict[str, Any]], None]:
    def show(row: dict[str, Any]) -> None:
        if "train_loss" in row:
            say(
                f"iter {row['iteration']:>5}: train loss {row['train_loss']:.3f}, {row['iterations_per_second']:.2f} it/s, "
                f"{row['tokens_per_second']:.0f} tok/s, peak {row['peak_memory']:.2f} GB"
            )
        else:
            say(f"iter {row['iteration']:>5}: val loss {row['val_loss']:.3f} ({row['val_time']:.1f} s)")

    return show
