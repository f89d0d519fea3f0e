"""Pre-flight checks and estimates before a LoRA run, in the spirit of the seed guide's output."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from training.config import TrainConfig, epochs, steps_per_epoch
from training.jsonl import DataError, read_splits

Say = Callable[[str], None]
# The seed guide's M4 Pro figures, shown beside our own estimate for the v3 profile.
SEED_IT_PER_SEC = (0.4, 0.5)


@dataclass
class DataReport:
    counts: dict[str, int] = field(default_factory=dict)
    family: str = "unknown"
    problems: list[str] = field(default_factory=list)


def check_data(cfg: TrainConfig, markers: tuple[str, ...], family: str, own_data: bool = True) -> DataReport:
    """The splits' counts and format. ``data_counts`` describes the config's own data folder: a user's folder
    (``--data``) is counted, not held to it."""
    report = DataReport(family=family)
    try:
        splits = read_splits(cfg.data_dir)
    except DataError as exc:
        report.problems.append(str(exc))
        return report
    for split, records in splits.items():
        report.counts[split] = len(records)
        expected = cfg.data_counts.get(split) if own_data else None
        if expected is not None and expected != len(records):
            report.problems.append(f"{cfg.data_dir}/{split}.jsonl: {len(records)} samples, config expects {expected}")
        for record in records:
            text = record.data.get("text")
            if text is None:
                continue  # chat-format records are rendered by mlx-lm itself
            if not isinstance(text, str) or not text.strip():
                report.problems.append(f"{record.where}: 'text' is empty or not a string")
                break
            missing = [m for m in markers if m not in text]
            if missing:
                report.problems.append(f"{record.where}: not in {family} format (missing {', '.join(missing)})")
                break
    return report


def print_data(report: DataReport, say: Say) -> None:
    say("📋 Verifying training data...")
    for split, count in report.counts.items():
        say(f"✅ {split.capitalize()}: {count:,} samples")
    if not report.problems:
        say(f"✅ Data format verified ({report.family} format)")


def print_config(cfg: TrainConfig, base_model: str, say: Say, ranks: int = 1) -> None:
    lora = cfg.lora_parameters
    say("🔧 Fine-tuning configuration:")
    say(f"   Base model: {base_model}")
    say(f"   Data: {cfg.data_dir}")
    say(f"   Batch size: {cfg.batch_size}")
    if ranks > 1:
        say(f"   Ranks: {ranks} (mlx.launch), {cfg.batch_size // ranks} samples per rank of the global batch of {cfg.batch_size}")
    say(f"   Learning rate: {cfg.learning_rate:g}")
    say(
        f"   LoRA: rank {lora.rank}, scale {lora.scale:g} (alpha {lora.alpha:g}), "
        f"dropout {lora.dropout:g}, layers {cfg.num_layers}"
    )
    if lora.alpha != lora.scale:
        say(f"   ⚠️  alpha {lora.alpha:g} != scale {lora.scale:g}: mlx-lm uses scale only")
    say(f"   Max seq length: {cfg.max_seq_length}")
    say(f"   Schedule: report every {cfg.steps_per_report}, eval every {cfg.steps_per_eval}, save every {cfg.save_every}")
    say(f"   Adapter path: {cfg.adapter_dir}")
    say(f"   Targets: train loss < {cfg.targets.train_loss}, val loss < {cfg.targets.val_loss}")


def print_schedule(cfg: TrainConfig, train_count: int, say: Say, own_data: bool = True) -> list[str]:
    """Steps per epoch and epochs; returns a warning when the config's claim (about its own data) disagrees."""
    if not train_count:
        return []
    real = epochs(cfg, train_count)
    say("⏱️  Training estimates:")
    say(f"   Steps per epoch: {steps_per_epoch(cfg, train_count):,.0f}")
    say(f"   Total iterations: {cfg.iters:,} ({real:.2f} epochs)")
    if own_data and cfg.epochs is not None and abs(real - cfg.epochs) > 0.01:
        warning = f"config claims {cfg.epochs:g} epochs but iters x batch / train = {real:.2f}"
        say(f"   ⚠️  {warning}")
        return [warning]
    return []


@dataclass(frozen=True)
class WarmUp:
    seconds_per_step: float
    tokens_per_step: float
    peak_memory_gb: float


def measure_warmup(cfg: TrainConfig, model: Any, train_set: Any, steps: int = 3) -> WarmUp:
    """Time forward+backward on real batches, without updating any weight.

    Under ``mlx.launch`` every rank runs it on its share of each global batch and the gradients are
    averaged across the ranks as in training, so the figures are this world size's (tokens: all ranks').
    """
    from mlx.nn.utils import average_gradients
    from mlx_lm.tuner.trainer import default_loss, iterate_batches

    from plugin.runtime.blas import import_mlx

    mx = import_mlx()
    import mlx.nn as nn

    group = mx.distributed.init()
    loss_and_grad = nn.value_and_grad(model, default_loss)
    batches = iterate_batches(train_set, cfg.batch_size, cfg.max_seq_length, loop=True, comm_group=group)

    def step() -> Any:
        (_, ntoks), grads = loss_and_grad(model, *next(batches))
        grads = average_gradients(grads)
        mx.eval(ntoks, grads)
        return ntoks

    step()  # compile and allocate once
    mx.reset_peak_memory()
    tokens, tic = 0.0, time.perf_counter()
    for _ in range(steps):
        tokens += step().item()
    elapsed = time.perf_counter() - tic
    tokens = mx.distributed.all_sum(mx.array(tokens), stream=mx.cpu).item()
    return WarmUp(elapsed / steps, tokens / steps, mx.get_peak_memory() / 1e9)


def print_estimate(cfg: TrainConfig, warm: WarmUp, remaining: int, say: Say, ranks: int = 1) -> None:
    total = warm.seconds_per_step * remaining
    evals = remaining // cfg.steps_per_eval + 1 if cfg.val_batches else 0
    on = f" on {ranks} ranks" if ranks > 1 else ""
    say(f"   Warm-up{on}: {1 / warm.seconds_per_step:.2f} it/s, {warm.tokens_per_step / warm.seconds_per_step:,.0f} tokens/s")
    say(f"   Estimated time{on}: {_duration(total)} for {remaining:,} iterations (+ {evals} validations)")
    say(f"   Peak memory (warm-up): {warm.peak_memory_gb:.2f} GB")


def print_seed_estimate(cfg: TrainConfig, say: Say) -> None:
    slow, fast = (cfg.iters / rate for rate in SEED_IT_PER_SEC)
    say(f"   Seed guide on an M4 Pro: {SEED_IT_PER_SEC[0]}-{SEED_IT_PER_SEC[1]} it/s -> {_duration(fast)} to {_duration(slow)}")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def long_records(cfg: TrainConfig, train_set: Any) -> list[tuple[int, int]]:
    """(1-based line, tokens) of the train records longer than ``max_seq_length`` (tokenizes them once;
    mlx-lm's dataset cache keeps the tokens for training)."""
    found = []
    for i in range(len(train_set)):
        tokens = train_set[i]
        n = len(tokens[0] if isinstance(tokens, tuple) else tokens)
        if n > cfg.max_seq_length:
            found.append((i + 1, n))
    return found


def print_long_records(cfg: TrainConfig, train_set: Any, say: Say) -> None:
    found = long_records(cfg, train_set)
    if not found:
        return
    line, tokens = found[0]
    say(
        f"⚠️  {len(found)} of {len(train_set)} train records are longer than max_seq_length={cfg.max_seq_length} tokens "
        f"(first: {cfg.data_dir / 'train.jsonl'}:{line}, {tokens} tokens); mlx-lm truncates them, so their ends are not "
        "learned. Raise max_seq_length or shorten the records."
    )
