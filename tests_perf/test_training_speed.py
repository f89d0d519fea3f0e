"""Training throughput through the project's trainer vs raw mlx-lm ``train()`` on the same batches."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

import pytest

from plugin import hardware_floors

pytestmark = [pytest.mark.perf, pytest.mark.model, pytest.mark.slow]
STEPS = 2  # every step is timed; the first one's compilation is the same work for both trainers
# The trainers alternate, and each step keeps its fastest round: a single run per side is swung by +-5%
# on the 2 shared CI cores, as wide as the gate's margin. Two rounds measured 0.99-1.12 in five runs and 0.948 in a
# sixth (2026-11-26, a clean CI run); four measured 1.062, 1.025 and 0.972, then 0.947 in a clean CI run
# (2026-11-27, no training code changed), so each side gets six (about 36 s a pair): the fastest of six is the least
# disturbed estimate of each trainer's own cost, and the floor is unchanged.
# Which trainer runs first in a pair matters: with OpenBLAS's AVX-512 kernels (plugin.runtime.blas_preload) raw first
# measured 0.944, 0.960 and 0.962 and ours first 1.007 (2026-11-27, the same code), so the order alternates round by
# round and each trainer runs first in half of its rounds.
ROUNDS = 6
MIN_RATIO = 0.95


def step_seconds(reports: list[dict[str, Any]]) -> dict[int, float]:
    """Seconds of each step, from mlx-lm's token counts and rates, with one report per step."""
    seconds, done = {}, 0
    for report in reports:
        seconds[report["iteration"]] = (report["trained_tokens"] - done) / report["tokens_per_second"]
        done = report["trained_tokens"]
    return seconds


def fastest_steps(runs: list[list[dict[str, Any]]]) -> dict[int, float]:
    timed = [step_seconds(r) for r in runs]
    return {step: min(t[step] for t in timed) for step in timed[0]}


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


def test_training_step_speed_vs_raw_mlx_lm(benchmark, short_config, perf_base_path, perf_floors, floor_gate) -> None:
    raw_runs: list[list[dict[str, Any]]] = []
    our_runs: list[list[dict[str, Any]]] = []
    peaks: list[float] = []

    def raw_round() -> None:
        raw_runs.append(raw_mlx_lm(short_config, perf_base_path))

    def our_round() -> None:
        rows, peak = project_trainer(short_config, perf_base_path)
        our_runs.append(rows)
        peaks.append(peak)

    def raw_on_even_count() -> None:
        # As setup it runs raw first in even rounds; as teardown, after ours in odd ones (ours has counted its run).
        if len(our_runs) % 2 == 0:
            raw_round()

    benchmark.pedantic(our_round, setup=raw_on_even_count, teardown=raw_on_even_count, rounds=ROUNDS, iterations=1)
    assert len(raw_runs) == len(our_runs), "each round runs both trainers"  # one each under --benchmark-disable
    tokens = [[r["trained_tokens"] for r in run] for run in raw_runs + our_runs]
    assert all(t == tokens[0] for t in tokens), f"the trainers saw different batches (tokens per report: {tokens})"
    raw, ours = fastest_steps(raw_runs), fastest_steps(our_runs)
    timed_tokens = tokens[0][-1]
    ours_tps = timed_tokens / sum(ours.values())
    ours_its = len(ours) / sum(ours.values())
    ratio = sum(raw.values()) / sum(ours.values())
    benchmark.extra_info.update(
        {
            "train_it_per_s": round(ours_its, 4),
            "train_tokens_per_s": round(ours_tps, 1),
            "raw_mlx_lm_tokens_per_s": round(timed_tokens / sum(raw.values()), 1),
            "trainer_vs_raw_ratio": round(ratio, 3),
            "peak_memory_gb": round(max(peaks), 3),
            "batch_size": short_config.batch_size,
            "max_seq_length": short_config.max_seq_length,
            **hardware_floors.machine(),
        }
    )
    floor_gate("trainer_vs_raw_ratio", ratio, MIN_RATIO, "x", "training tokens/s, project trainer / raw mlx-lm train()")
    floor_gate("train_it_per_s", ours_its, perf_floors.train_it_per_s, "it/s", "training it/s")
    floor_gate("train_tokens_per_s", ours_tps, perf_floors.train_tokens_per_s, "tokens/s", "training tokens/s")
    floor_gate("peak_memory_gb", max(peaks), perf_floors.max_peak_memory_gb, "GB", "training peak memory", "<=")
