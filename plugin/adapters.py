"""Which adapter a session tests, training it first under ``--train``.

Training is skipped when the adapter folder already holds a finished run with
the same fingerprint (config + data hash + base model + mlx-lm version), unless
``--retrain`` is given.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from plugin.state import RunSettings

SUMMARY_FILE = "training_config_v3.json"


@dataclass
class AdapterInfo:
    path: Path | None
    source: str  # trained, reused, given, profile, or missing
    summary: dict[str, Any] = field(default_factory=dict)
    reason: str = ""

    @property
    def result(self) -> dict[str, Any]:
        return self.summary.get("result", {})


ADAPTER = pytest.StashKey[AdapterInfo]()


def read_summary(path: Path) -> dict[str, Any]:
    file = path / SUMMARY_FILE
    if not file.is_file():
        return {}
    try:
        return json.loads(file.read_text())
    except json.JSONDecodeError as exc:
        raise pytest.UsageError(f"{file}: corrupt training summary ({exc})") from None


def check_base_model(path: Path, settings: RunSettings) -> None:
    """An adapter trained on another base model is an error, not a silent mismatch."""
    config_file = path / "adapter_config.json"
    if not config_file.is_file():
        raise pytest.UsageError(f"{path}: not an adapter folder (no adapter_config.json)")
    trained_on = json.loads(config_file.read_text()).get("model")
    if trained_on and trained_on != settings.model:
        raise pytest.UsageError(
            f"{config_file}: adapter was trained on {trained_on}, but this run's base model is {settings.model}; "
            "pass the matching --model/--profile or another --adapter-path"
        )


def given_adapter(path: Path | str | None, settings: RunSettings) -> AdapterInfo:
    """The adapter to test without --train: --adapter-path (or 'none'), else the profile's."""
    if path == "none":
        return AdapterInfo(None, "none", reason="the bare base model, without an adapter")
    assert not isinstance(path, str)
    source = "given" if path else "profile"
    path = path or settings.profile.adapter_path
    if not (path / "adapters.safetensors").is_file():
        how = "run `pytest --train` (or `make train`), or pass --adapter-path"
        return AdapterInfo(None, "missing", reason=f"no adapter at {path}: {how}")
    check_base_model(path, settings)
    return AdapterInfo(path, source, read_summary(path))


def train_or_reuse(settings: RunSettings, config_path: Path, retrain: bool, say: Callable[[str], None]) -> AdapterInfo:
    from mlx_lm import load

    from plugin import embedded
    from training import dataset, trainer
    from training.config import load_config
    from training.fingerprint import fingerprint

    cfg = load_config(config_path, {"model": settings.model})
    base = str(embedded.ensure_model(settings.model_cache).path) if settings.is_embedded else settings.model
    dataset.ensure_data(cfg, dataset.template_for(cfg.model), say)
    wanted = fingerprint(cfg, base)
    previous = read_summary(cfg.adapter_dir)
    finished = previous.get("result", {}).get("iterations") == cfg.iters
    if not retrain and finished and previous.get("fingerprint") == wanted:
        say(f"reusing {cfg.adapter_dir} (fingerprint {wanted} matches; --retrain to train again)")
        return AdapterInfo(cfg.adapter_dir, "reused", previous)
    say(f"training {cfg.model} with {config_path.name}: {cfg.iters} iters -> {cfg.adapter_dir}")
    model, tokenizer = load(base)[:2]
    trainer.prepare_model(cfg, model, None)
    trainer.train_lora(
        cfg, model, tokenizer, settings.model, progress=_progress_printer(say), extra_summary={"fingerprint": wanted}
    )
    return AdapterInfo(cfg.adapter_dir, "trained", read_summary(cfg.adapter_dir))


def _progress_printer(say: Callable[[str], None]) -> Callable[[dict[str, Any]], None]:
    def show(row: dict[str, Any]) -> None:
        if "train_loss" in row:
            say(
                f"iter {row['iteration']:>5}: train loss {row['train_loss']:.3f}, {row['iterations_per_second']:.2f} it/s, "
                f"{row['tokens_per_second']:.0f} tok/s, peak {row['peak_memory']:.2f} GB"
            )
        else:
            say(f"iter {row['iteration']:>5}: val loss {row['val_loss']:.3f} ({row['val_time']:.1f} s)")

    return show


def summary_lines(info: AdapterInfo) -> list[str]:
    """The terminal summary's training section."""
    if info.path is None:
        return [info.reason]
    r, targets = info.result, info.summary.get("config", {}).get("targets", {})
    lines = [f"adapter: {info.path} ({info.source})"]
    if not r:
        return lines + ["no training metrics recorded with this adapter"]

    def vs(value: float | None, target: float | None) -> str:
        if value is None:
            return "n/a"
        verdict = (
            "" if target is None else (" < " if value < target else " >= ") + f"{target} {'ok' if value < target else 'MISSED'}"
        )
        return f"{value:.3f}{verdict}"

    lines.append(f"final train loss {vs(r.get('final_train_loss'), targets.get('train_loss'))}")
    lines.append(f"final val loss   {vs(r.get('final_val_loss'), targets.get('val_loss'))}")
    lines.append(
        f"{r.get('iterations')} iters at {r.get('iterations_per_second') or 0:.2f} it/s, "
        f"{r.get('tokens_per_second') or 0:.0f} tokens/s, "
        f"peak memory {r.get('peak_memory_gb') or 0:.2f} GB, {r.get('wall_seconds') or 0:.0f} s"
    )
    if r.get("overfitting"):
        lines.append("WARNING: overfitting detected (validation loss rising while training loss falls)")
    return lines


def resolve(config: pytest.Config) -> AdapterInfo:
    """The session's adapter, computed once (training it under --train) and kept in the stash."""
    if ADAPTER in config.stash:
        return config.stash[ADAPTER]
    from plugin import options, state

    settings = state.get(config)
    if config.getoption(options.TRAIN):
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        capture = config.pluginmanager.get_plugin("capturemanager")
        say = (lambda line: reporter.write_line(f"[train] {line}")) if reporter else print
        config_path = config.getoption(options.TRAIN_CONFIG) or settings.profile.config
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            try:
                info = train_or_reuse(settings, config_path, config.getoption(options.RETRAIN), say)
            except (ValueError, FileNotFoundError, RuntimeError) as exc:  # ConfigError, DataError, EmbeddedModelError
                raise pytest.UsageError(f"--train: {exc}") from None
    else:
        info = given_adapter(config.getoption(options.ADAPTER_PATH), settings)
    config.stash[ADAPTER] = info
    return info
