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
    model: str,
    model_cache: Path,
    config_path: Path,
    retrain: bool,
    say: Say,
    retrain_hint: str = "retrain",
    ranks: int = 1,
) -> AdapterInfo:
    """``retrain_hint`` names the caller's way to force training (the pytest option, a CLI flag).

    ``ranks`` > 1 trains data-parallel on that many local ranks: ``finetune_mlx_v3.py`` under ``mlx.launch``.
    """
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
    on = f" on {ranks} ranks (mlx.launch)" if ranks > 1 else ""
    say(f"training {cfg.model} with {config_path.name}: {cfg.iters} iters{on} -> {cfg.adapter_dir}")
    if ranks > 1:
        launch_training(model, model_cache, config_path, ranks, say)
        return AdapterInfo(cfg.adapter_dir, "trained", read_summary(cfg.adapter_dir))
    lora_model, tokenizer = load(base)[:2]
    trainer.prepare_model(cfg, lora_model, None)
    trainer.train_lora(
        cfg, lora_model, tokenizer, model, progress=progress_printer(say, cfg.iters), extra_summary={"fingerprint": wanted}
    )
    return AdapterInfo(cfg.adapter_dir, "trained", read_summary(cfg.adapter_dir))


def launch_training(model: str, model_cache: Path, config_path: Path, ranks: int, say: Say) -> None:
    """The same training as the command line's, on ``ranks`` local ranks (ring backend); its lines go to ``say``."""
    import sys

    from training.launch import launch
    from training.trainer import TrainingError

    script = Path(__file__).with_name("finetune_mlx_v3.py")
    # --force: in this process --train trains any base model too; the script would stop off Metal without it.
    command = [sys.executable, str(script), "--config", str(config_path), "--model", model, "--warmup-steps", "0", "--force"]
    launcher = ["-n", str(ranks), "--backend", "ring", "--env", f"{embedded.CACHE_ENV}={model_cache}"]
    result = launch(launcher, command, on_line=say)
    if result.exit_code:
        raise TrainingError(result.message() or f"mlx.launch -n {ranks} exited with code {result.exit_code}")


def progress_printer(
    say: Say, iters: int | None = None, clock: Callable[[], float] | None = None
) -> Callable[[dict[str, Any]], None]:
    """One line per report; with ``iters``, the share done and the time left at the pace so far (ETA)."""
    import time

    now = clock or time.monotonic
    started: list[tuple[int, float]] = []  # the first report's (iteration, time): the pace excludes loading

    def eta(iteration: int) -> str:
        if iters is None:
            return ""
        if not started:
            started.append((iteration, now()))
            return f" [{iteration}/{iters}]"
        first, t0 = started[0]
        done = iteration - first
        left = (now() - t0) / done * (iters - iteration) if done > 0 else 0.0
        return f" [{iteration}/{iters}, {100 * iteration / iters:.0f}%, ETA {_minutes(left)}]"

    def show(row: dict[str, Any]) -> None:
        if "train_loss" in row:
            say(
                f"iter {row['iteration']:>5}: train loss {row['train_loss']:.3f}, {row['iterations_per_second']:.2f} it/s, "
                f"{row['tokens_per_second']:.0f} tok/s, peak {row['peak_memory']:.2f} GB{eta(row['iteration'])}"
            )
        else:
            say(f"iter {row['iteration']:>5}: val loss {row['val_loss']:.3f} ({row['val_time']:.1f} s)")

    return show


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"
