"""Training throughput through the project's trainer vs raw mlx-lm ``train()`` on the same batches."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plugin import hardware_floors

pytestmark = [pytest.mark.perf, pytest.mark.model, pytest.mark.slow]
STEPS = 2  # every step is timed; the first one's compilation is the same work for both trainers
# Both trainers time the same code: mlx-lm's train() loop from a batch in hand to its evaluated step (our callback and
# batch iterator run outside that window), so on an unchanged trainer the ratio is 1 plus noise, and the gate is a test
# of "is ours slower than 0.95x?". The noise is wide on the 2 shared CI cores: a whole run (2 steps) varies by 4-5%
# (sd over 16 runs of both trainers, in each of two series here, 2026-11-27) and 5.4% in a CI run, where
# fastest-of-six-per-step measured 0.947 on unchanged
# code (fastest per step builds a run that never happened from two lucky steps; it failed 22% of relabellings of that
# CI run's ten warm runs). So:
# - the trainers alternate round by round, each running first in half of its rounds (the order moved the ratio by ~4%);
# - each run starts from the same state: the previous run's model collected and MLX's buffer cache emptied (left to
#   themselves, runs alternated fast/slow by ~5% with whichever trainer ran), and no collection inside the window;
# - each trainer's estimate is its fastest whole run: other work only ever slows a run down;
# - one raw run before the rounds takes the process's first, cold run (it would otherwise cost raw one of its six);
# - a ratio under the floor after six rounds is measured again over six more, each side's fastest of all twelve.
# How often it errs, roughly: resampling the measured runs (32 here, 10 from the CI run under the old protocol; the
# code identical on both sides) gives about 1% failures of an unchanged trainer and 91-98% for one 10% slower. That
# figure rests on the noise being skewed (disturbances only slow a run down), which the runs show; with normal noise of
# the same sd a simulation gives 4-8% and 73-82%, and a trainer 5% slower passes most of the time. Resampling cannot
# see past the fastest run measured, so more runs under this protocol (extra_info keeps every one) will tighten it.
# It costs 13 runs (about 3 minutes) and 25 only when the first block is under the floor.
ROUNDS = 6
MIN_RATIO = 0.95


def step_seconds(reports: list[dict[str, Any]]) -> dict[int, float]:
    """Seconds of each step, from mlx-lm's token counts and rates, with one report per step."""
    seconds, done = {}, 0
    for report in reports:
        seconds[report["iteration"]] = (report["trained_tokens"] - done) / report["tokens_per_second"]
        done = report["trained_tokens"]
    return seconds


def run_seconds(reports: list[dict[str, Any]]) -> float:
    return sum(step_seconds(reports).values())


def fastest_run(runs: list[list[dict[str, Any]]]) -> float:
    return min(run_seconds(r) for r in runs)


class Reports:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def on_train_loss_report(self, info: dict[str, Any]) -> None:
        self.rows.append(info)

    def on_val_loss_report(self, info: dict[str, Any]) -> None:
        pass


def _fresh_lora(cfg, perf_base_path: str):
    from mlx_lm import load

    from training.trainer import prepare_model

    model, tokenizer = load(perf_base_path)
    prepare_model(cfg, model, None)
    return model, tokenizer


def raw_mlx_lm(cfg, perf_base_path: str) -> list[dict[str, Any]]:
    import mlx.core as mx
    import mlx.optimizers as optim
    import numpy as np
    from mlx_lm.tuner.trainer import TrainingArgs, train

    from training.trainer import load_datasets

    model, tokenizer = _fresh_lora(cfg, perf_base_path)
    train_set, _ = load_datasets(cfg, tokenizer)
    np.random.seed(cfg.seed)  # the same batch order as the project's trainer
    mx.random.seed(cfg.seed)
    report = Reports()
    with tempfile.TemporaryDirectory() as tmp:
        args = TrainingArgs(
            batch_size=cfg.batch_size,
            iters=STEPS,
            steps_per_report=1,
            steps_per_save=STEPS + 1,
            max_seq_length=cfg.max_seq_length,
            adapter_file=str(Path(tmp) / "a.safetensors"),
        )
        train(
            model=model,
            optimizer=optim.Adam(learning_rate=cfg.learning_rate),
            train_dataset=train_set,
            args=args,
            training_callback=report,
        )
    return report.rows


def project_trainer(cfg, perf_base_path: str) -> tuple[list[dict[str, Any]], float]:
    from plugin.runtime.blas import import_mlx
    from training.trainer import train_lora

    mx = import_mlx()
    rows: list[dict[str, Any]] = []
    model, tokenizer = _fresh_lora(cfg, perf_base_path)
    mx.reset_peak_memory()
    train_lora(cfg, model, tokenizer, perf_base_path, progress=rows.append)
    return [r for r in rows if "train_loss" in r], mx.get_peak_memory() / 1e9


@pytest.fixture(scope="module")
def short_config(perf_config, tmp_path_factory):
    from training import dataset

    dataset.ensure_data(perf_config, dataset.template_for(perf_config.model), say=lambda line: None)
    cfg = dataclasses.replace(
        perf_config,
        iters=STEPS,
        steps_per_report=1,
        steps_per_eval=10_000,
        save_every=10_000,
        val_batches=0,  # validation is not a training step; raw train() gets no validation set either
        adapter_path=str(tmp_path_factory.mktemp("perf-adapter")),
    )
    return cfg


@contextlib.contextmanager
def same_start() -> Iterator[None]:
    """The previous run's model freed and MLX's buffer cache empty before a run; no collection of this long pytest
    session's heap inside it, where it would land in whichever trainer's window it happened to fall."""
    from plugin.runtime.blas import import_mlx

    gc.collect()
    import_mlx().clear_cache()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Alternating:
    """Raw mlx-lm and the project's trainer, run in turn on the same config and batches."""

    def __init__(self, cfg, base_path: str) -> None:
        self.cfg, self.base_path = cfg, base_path
        self.raw: list[list[dict[str, Any]]] = []
        self.ours: list[list[dict[str, Any]]] = []
        self.peaks: list[float] = []

    def run_raw(self) -> None:
        with same_start():
            self.raw.append(raw_mlx_lm(self.cfg, self.base_path))

    def run_ours(self) -> None:
        with same_start():
            rows, peak = project_trainer(self.cfg, self.base_path)
        self.ours.append(rows)
        self.peaks.append(peak)

    def raw_on_even_count(self) -> None:
        # Before ours in even rounds, after it in odd ones (ours has counted its run by then): as pytest-benchmark's
        # setup and teardown around run_ours, each trainer runs first in half of the rounds.
        if len(self.ours) % 2 == 0:
            self.run_raw()

    def one_round(self) -> None:
        self.raw_on_even_count()
        self.run_ours()
        self.raw_on_even_count()

    def ratio(self) -> float:
        return fastest_run(self.raw) / fastest_run(self.ours)


def test_training_step_speed_vs_raw_mlx_lm(benchmark, short_config, perf_base_path, perf_floors, floor_gate) -> None:
    runs = Alternating(short_config, perf_base_path)
    with same_start():
        raw_mlx_lm(short_config, perf_base_path)  # the process's first run is slower (loading, first compilation): not timed
    setup = teardown = runs.raw_on_even_count
    benchmark.pedantic(runs.run_ours, setup=setup, teardown=teardown, rounds=ROUNDS, iterations=1)
    if runs.ratio() < MIN_RATIO:  # measured again before it fails: the fastest of twelve runs a side
        for _ in range(ROUNDS):
            runs.one_round()
    assert len(runs.raw) == len(runs.ours), "each round runs both trainers"
    tokens = [[r["trained_tokens"] for r in run] for run in runs.raw + runs.ours]
    assert all(t == tokens[0] for t in tokens), f"the trainers saw different batches (tokens per report: {tokens})"
    raw, ours, ratio = fastest_run(runs.raw), fastest_run(runs.ours), runs.ratio()
    timed_tokens = tokens[0][-1]
    ours_tps = timed_tokens / ours
    ours_its = STEPS / ours
    benchmark.extra_info.update(
        {
            "train_it_per_s": round(ours_its, 4),
            "train_tokens_per_s": round(ours_tps, 1),
            "raw_mlx_lm_tokens_per_s": round(timed_tokens / raw, 1),
            "trainer_vs_raw_ratio": round(ratio, 3),
            "rounds": len(runs.ours),
            "raw_run_s": [round(run_seconds(r), 3) for r in runs.raw],  # every run, in order: the noise, for calibrating
            "our_run_s": [round(run_seconds(r), 3) for r in runs.ours],
            "peak_memory_gb": round(max(runs.peaks), 3),
            "batch_size": short_config.batch_size,
            "max_seq_length": short_config.max_seq_length,
            **hardware_floors.machine(),
        }
    )
    floor_gate("trainer_vs_raw_ratio", ratio, MIN_RATIO, "x", "training tokens/s, project trainer / raw mlx-lm train()")
    floor_gate("train_it_per_s", ours_its, perf_floors.train_it_per_s, "it/s", "training it/s")
    floor_gate("train_tokens_per_s", ours_tps, perf_floors.train_tokens_per_s, "tokens/s", "training tokens/s")
    floor_gate("peak_memory_gb", max(runs.peaks), perf_floors.max_peak_memory_gb, "GB", "training peak memory", "<=")
