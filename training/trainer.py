"""LoRA training through mlx-lm's ``trainer.train`` with the suite's own callback.

mlx-lm's trainer numbers iterations from 1 and saves checkpoints non-atomically,
so checkpointing is done here instead: the batch iterator we hand to ``train``
is asked for batch ``k`` only after step ``k-1`` has been evaluated, which is
exactly when a checkpoint of ``k-1`` completed steps can be written.  That keeps
the seed's numbering (``0000500_adapters.safetensors``) across resumes, and every
file is written to a temporary name and renamed, so a kill -9 never leaves a
corrupt adapter.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from plugin.atomic import write_text as atomic_write_text
from plugin.atomic import write_with
from plugin.diet.errors import SuiteError
from plugin.paths import portable
from plugin.report.loss_curve import plot_losses
from plugin.runtime.adapter_folder import (
    ADAPTERS,
    BEST,
    CHECKPOINT_RE,
    CONFIG,
    LOSS_PNG,
    METRICS,
    OPTIMIZER,
    STATE,
    SUMMARY,
    check_base_model,
    checkpoint_name,
)
from plugin.runtime.blas import import_mlx
from training.config import TrainConfig
from training.distributed import max_divergence, world


class TrainingError(SuiteError, ValueError):
    """A training run that cannot start as configured (data, layers, resume point)."""


Progress = Callable[[dict[str, Any]], None]


@dataclass
class TrainResult:
    adapter_dir: str
    start_iteration: int
    iterations: int
    final_train_loss: float | None = None
    final_val_loss: float | None = None
    best_val_loss: float | None = None
    iterations_per_second: float | None = None
    tokens_per_second: float | None = None
    peak_memory_gb: float | None = None
    wall_seconds: float = 0.0
    overfitting: bool = False
    world_size: int = 1  # ranks that trained (mlx.launch); batch_size is the global batch either way
    rank_divergence: float = 0.0  # largest difference of a weight between ranks at the end (0.0: in step)
    warnings: list[str] = field(default_factory=list)


def trainable_weights(model: Any) -> dict[str, Any]:
    """The LoRA weights by name: what an adapter file holds."""
    from mlx.utils import tree_flatten

    return dict(tree_flatten(model.trainable_parameters()))


def save_adapter(path: Path, weights: dict[str, Any]) -> None:
    mx = import_mlx()
    write_with(path, lambda tmp: mx.save_safetensors(str(tmp), weights))


def optimizer_file(adapter_file: Path) -> Path:
    """The Adam state saved beside an adapter checkpoint (``0000500_optimizer.safetensors``)."""
    return adapter_file.with_name(adapter_file.name.replace(ADAPTERS, OPTIMIZER))


def save_checkpoint(out: Path, model: Any, optimizer: Any, iteration: int | None) -> None:
    """Adapter and optimizer state, numbered (when ``iteration`` is given) and as the latest."""
    from mlx.utils import tree_flatten

    weights = trainable_weights(model)
    state = dict(tree_flatten(optimizer.state))
    names = [checkpoint_name(iteration), ADAPTERS] if iteration is not None else [ADAPTERS]
    for name in names:
        save_adapter(out / name, weights)
        save_adapter(optimizer_file(out / name), state)


def restore_optimizer(optimizer: Any, resume_file: Path) -> bool:
    """Continue Adam's moments and step count; without them a resume restarts Adam (a loss bump)."""
    from mlx.utils import tree_unflatten

    file = optimizer_file(resume_file)
    if not file.is_file():
        return False
    optimizer.state = tree_unflatten(list(import_mlx().load(str(file)).items()))
    return True


def resume_iteration(resume_file: Path) -> int:
    """The iteration a checkpoint holds: from its name, else from training_state.json."""
    if m := CHECKPOINT_RE.match(resume_file.name):
        return int(m.group(1))
    state = resume_file.parent / STATE
    if state.is_file():
        try:
            return int(json.loads(state.read_text(encoding="utf-8"))["iteration"])
        except (ValueError, TypeError, KeyError) as exc:
            raise TrainingError(f"{state}: not a training state file ({type(exc).__name__}: {exc})") from None
    raise TrainingError(f"{resume_file}: cannot tell its iteration (not NNNNNNN_adapters.safetensors and no {STATE} beside it)")


def read_metrics(path: Path, up_to: int | None = None) -> list[dict[str, Any]]:
    """Metrics records, skipping a torn last line and anything past ``up_to``."""
    if not path.is_file():
        return []
    rows = []
    for line in path.read_text().splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a write cut short by kill -9
        if up_to is None or row.get("iteration", 0) <= up_to:
            rows.append(row)
    return rows


class OverfitDetector:
    """Flags validation loss rising over ``patience`` evaluations while training loss falls."""

    def __init__(self, patience: int) -> None:
        self.patience = patience
        self.val: list[float] = []
        self.train: list[float] = []

    def add_val(self, loss: float) -> None:
        self.val.append(loss)

    def add_train(self, loss: float) -> None:
        self.train.append(loss)

    def triggered(self) -> bool:
        if len(self.val) <= self.patience or len(self.train) < 2:
            return False
        recent = self.val[-(self.patience + 1) :]
        rising = all(b > a for a, b in zip(recent, recent[1:]))
        return rising and self.train[-1] < self.train[0]


class RecipeCallback:
    """Writes metrics, keeps the best adapter, watches for overfitting, reports progress."""

    def __init__(
        self, cfg: TrainConfig, out: Path, start: int, model: Any, progress: Progress | None, writes: bool = True
    ) -> None:
        self.cfg, self.out, self.start, self.model, self.progress = cfg, out, start, model, progress
        self.writes = writes  # False on the ranks other than 0: they follow the same schedule and write nothing
        self.detector = OverfitDetector(cfg.overfit_patience)
        previous = read_metrics(out / METRICS, up_to=start) if start and writes else []  # a fresh run starts a fresh log
        vals = [r["val_loss"] for r in previous if "val_loss" in r]
        self.best_val = min(vals) if vals else float("inf")
        for row in previous:
            if "val_loss" in row:
                self.detector.add_val(row["val_loss"])
            if "train_loss" in row:
                self.detector.add_train(row["train_loss"])
        if writes:
            atomic_write_text(out / METRICS, "".join(json.dumps(r) + "\n" for r in previous))
        self.last_train: dict[str, Any] = {}
        self.last_val: dict[str, Any] = {}
        self.overfitting = False

    def _record(self, row: dict[str, Any]) -> None:
        # Appended, not rewritten: the file was written whole (atomically) when the run started, and
        # read_metrics skips a torn last line, so a kill -9 mid-append loses at most that line.
        if not self.writes:
            return
        with (self.out / METRICS).open("a") as fh:
            fh.write(json.dumps(row) + "\n")
        if self.progress:
            self.progress(row)

    def on_train_loss_report(self, info: dict[str, Any]) -> None:
        row = {**info, "iteration": info["iteration"] + self.start, "kind": "train"}
        # mlx-lm divides steps_per_report by the time, also for a last, shorter report.
        steps = row["iteration"] - self.last_train.get("iteration", self.start)
        row["iterations_per_second"] = info["iterations_per_second"] * steps / self.cfg.steps_per_report
        self.detector.add_train(row["train_loss"])
        self.last_train = row
        self._record(row)

    def on_val_loss_report(self, info: dict[str, Any]) -> None:
        row = {**info, "iteration": info["iteration"] + self.start, "kind": "val"}
        if self.start and row["iteration"] == self.start and self.detector.val:
            return  # mlx-lm re-validates the checkpoint we resumed from; it is already recorded
        if not self.writes:
            self.last_val = row
            return
        self.last_val = row
        self.detector.add_val(row["val_loss"])
        if row["val_loss"] < self.best_val:
            self.best_val = row["val_loss"]
            save_adapter(self.out / BEST, trainable_weights(self.model))
            row["best"] = True
        if self.detector.triggered() and not self.overfitting:
            self.overfitting = True
            row["overfitting"] = True
        self._record(row)


class CheckpointingBatches:
    """mlx-lm's ``iterate_batches``, saving a checkpoint of ``k`` steps before it hands out batch ``k + 1``.

    Passed to ``train(iterate_batches=...)``: mlx-lm asks for the next training batch only
    after the previous step was evaluated, which is when ``k`` completed steps can be saved.
    """

    def __init__(
        self,
        inner: Callable[..., Iterator[Any]],
        model: Any,
        optimizer: Any,
        cfg: TrainConfig,
        out: Path,
        start: int,
        writes: bool = True,
    ) -> None:
        self.inner, self.model, self.optimizer = inner, model, optimizer
        self.cfg, self.out, self.start, self.writes = cfg, out, start, writes

    def save(self, iteration: int) -> None:
        if not self.writes:
            return  # every rank holds the same weights; rank 0 saves them
        save_checkpoint(self.out, self.model, self.optimizer, iteration)
        atomic_write_text(self.out / STATE, json.dumps({"iteration": iteration, "checkpoint": checkpoint_name(iteration)}))

    def __call__(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        if not kwargs.get("loop"):  # validation batches
            yield from self.inner(*args, **kwargs)
            return
        for local, batch in enumerate(self.inner(*args, **kwargs)):
            done = self.start + local  # steps completed before this batch
            if local and done % self.cfg.save_every == 0:
                self.save(done)
            yield batch


def adapter_config(cfg: TrainConfig, base_model: str) -> dict[str, Any]:
    """mlx-lm's keys plus the base model, written portably: the adapter folder is shared with other machines."""
    lora = {k: v for k, v in asdict(cfg.lora_parameters).items() if k != "keys" or v is not None}
    return {
        "fine_tune_type": cfg.fine_tune_type,
        "num_layers": cfg.num_layers,
        "lora_parameters": lora,
        "base_model": portable(base_model),
        "model": portable(cfg.model),
    }


def load_datasets(cfg: TrainConfig, tokenizer: Any) -> tuple[Any, Any]:
    from mlx_lm.tuner.datasets import CacheDataset, create_dataset

    from training.jsonl import read_splits

    splits = read_splits(cfg.data_dir)
    train, valid = (create_dataset([r.data for r in splits[s]], tokenizer, cfg) for s in ("train", "valid"))
    if len(train) < cfg.batch_size:
        raise TrainingError(f"{cfg.data_dir}/train.jsonl: {len(train)} samples, fewer than batch_size={cfg.batch_size}")
    return CacheDataset(train), CacheDataset(valid)


def prepare_model(cfg: TrainConfig, model: Any, resume_file: Path | None) -> None:
    from mlx_lm.tuner.utils import linear_to_lora_layers

    model.freeze()
    # LoRA's A matrices start random: seeded, so every rank of a data-parallel run (and every rerun) starts alike.
    import_mlx().random.seed(cfg.seed)
    num_layers = len(model.layers) if cfg.num_layers == -1 else cfg.num_layers
    if num_layers > len(model.layers):
        raise TrainingError(f"num_layers={cfg.num_layers} but the model has {len(model.layers)} layers")
    if cfg.fine_tune_type == "full":  # as mlx-lm's lora.py: the top layers' own weights train, no adapter
        for layer in model.layers[-num_layers:]:
            layer.unfreeze()
    else:
        lora = adapter_config(cfg, "")["lora_parameters"]
        linear_to_lora_layers(model, num_layers, lora, use_dora=cfg.fine_tune_type == "dora")
    if resume_file is not None:
        model.load_weights(list(_resume_weights(cfg, model, resume_file).items()), strict=False)


def _resume_weights(cfg: TrainConfig, model: Any, resume_file: Path) -> dict[str, Any]:
    """The checkpoint's weights, after checking they are this model's trainable weights (names and shapes)."""
    from mlx.utils import tree_flatten

    try:
        weights: dict[str, Any] = dict(import_mlx().load(str(resume_file)))
    except (RuntimeError, ValueError, OSError) as exc:
        raise TrainingError(f"{resume_file}: not a readable adapter checkpoint ({exc})") from None
    flat: list[tuple[str, Any]] = tree_flatten(model.trainable_parameters())  # type: ignore[assignment]
    expected = {name: value.shape for name, value in flat}
    missing, unknown = sorted(set(expected) - set(weights)), sorted(set(weights) - set(expected))
    if missing or unknown:
        example = f"missing {missing[0]}" if missing else f"unexpected {unknown[0]}"
        raise TrainingError(
            f"{resume_file}: does not fit this model and config: {len(missing)} trained weights missing, "
            f"{len(unknown)} unexpected ({example}; num_layers={cfg.num_layers}, fine_tune_type={cfg.fine_tune_type})"
        )
    for name, shape in expected.items():
        if tuple(weights[name].shape) != tuple(shape):
            raise TrainingError(
                f"{resume_file}: {name} has shape {tuple(weights[name].shape)}, this config's LoRA needs {tuple(shape)} "
                f"(lora_parameters.rank={cfg.lora_parameters.rank})"
            )
    return weights


def learning_rate(cfg: TrainConfig) -> Any:
    """The config's constant rate, or mlx-lm's schedule; a schedule reads Adam's step, so a resume continues it."""
    if cfg.lr_schedule is None:
        return cfg.learning_rate
    from mlx_lm.tuner.utils import build_schedule

    return build_schedule(cfg.lr_schedule.to_mlx())


def train_lora(
    cfg: TrainConfig,
    model: Any,
    tokenizer: Any,
    base_model: str,
    *,
    resume_file: Path | None = None,
    progress: Progress | None = None,
    extra_summary: dict[str, Any] | None = None,
) -> TrainResult:
    """Train a ``prepare_model``-ed model in place; write adapters, checkpoints, metrics and plots to ``cfg.adapter_dir``.

    Under ``mlx.launch`` every rank calls this with the same config: mlx-lm's ``train`` splits each
    global batch of ``batch_size`` across the ranks and averages their gradients; rank 0 alone writes.
    """
    mx = import_mlx()
    import mlx.optimizers as optim
    from mlx_lm.tuner.trainer import TrainingArgs, iterate_batches, train

    from training.distributed import per_rank_batch

    ranks = world()
    per_rank_batch(cfg, ranks.size, "config")
    out = cfg.adapter_dir
    if ranks.is_main:
        out.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out)
    start = resume_iteration(resume_file) if resume_file else 0
    if start >= cfg.iters:
        raise TrainingError(f"{resume_file} is at iteration {start}; nothing left of iters={cfg.iters}")
    mx.random.seed(cfg.seed + start)
    import numpy as np

    np.random.seed(cfg.seed + start)  # mlx-lm shuffles batches with numpy's global RNG
    train_set, valid_set = load_datasets(cfg, tokenizer)
    if ranks.is_main:
        atomic_write_text(out / CONFIG, json.dumps(adapter_config(cfg, base_model), indent=2))

    optimizer = optim.Adam(learning_rate=learning_rate(cfg))
    if resume_file is not None and not restore_optimizer(optimizer, resume_file):
        warnings.warn(f"{optimizer_file(resume_file)} not found: Adam restarts from zero moments", stacklevel=2)
    callback = RecipeCallback(cfg, out, start, model, progress, writes=ranks.is_main)
    batches = CheckpointingBatches(iterate_batches, model, optimizer, cfg, out, start, writes=ranks.is_main)
    remaining = cfg.iters - start
    # mlx-lm writes its own adapter file on rank 0 only; the other ranks get a scratch folder off the adapter folder.
    with tempfile.TemporaryDirectory(dir=out if ranks.is_main else None, prefix=".mlx-lm-") as scratch:
        args = TrainingArgs(
            batch_size=cfg.batch_size,
            iters=remaining,
            val_batches=cfg.val_batches,
            steps_per_report=cfg.steps_per_report,
            steps_per_eval=cfg.steps_per_eval,
            steps_per_save=remaining + 1,  # checkpoints are ours (atomic, globally numbered)
            max_seq_length=cfg.max_seq_length,
            adapter_file=str(Path(scratch) / ADAPTERS),
            grad_checkpoint=cfg.grad_checkpoint,
        )
        mx.reset_peak_memory()
        tic = time.perf_counter()
        with _global_iteration_numbers(start):
            train(
                model=model,
                optimizer=optimizer,
                train_dataset=train_set,
                val_dataset=valid_set if cfg.val_batches else None,  # val_batches: 0 turns validation off
                args=args,
                iterate_batches=batches,
                training_callback=callback,  # type: ignore[arg-type]
            )
        wall = time.perf_counter() - tic
    _final_validation(cfg, model, valid_set, callback)  # every rank: the validation loss is all-reduced
    divergence = max_divergence(ranks, trainable_weights(model))
    if divergence > 0:
        warnings.warn(
            f"the {ranks.size} ranks ended with different adapter weights (max difference {divergence:g})", stacklevel=2
        )
    if not ranks.is_main:
        return TrainResult(str(out), start, cfg.iters, wall_seconds=wall, world_size=ranks.size, rank_divergence=divergence)
    if cfg.iters % cfg.save_every == 0:
        batches.save(cfg.iters)
    else:
        _save_final(model, optimizer, out, cfg.iters)
    run = {"world_size": ranks.size, "rank_divergence": divergence}
    return summarize(cfg, out, start, base_model, wall, mx.get_peak_memory() / 1e9, extra_summary or {}, run)


@contextlib.contextmanager
def _global_iteration_numbers(start: int) -> Iterator[None]:
    """mlx-lm's console counts from 1 in every run; a resumed run shows the numbers metrics.jsonl has.

    mlx-lm 0.32 offers no hook for this, so its TrainUI is swapped for the length of the call.
    """
    from mlx_lm.tuner import trainer as mlx_trainer

    original = mlx_trainer.TrainUI
    if not start:
        yield
        return

    class GlobalNumbers(original):  # type: ignore[misc, valid-type]
        def report_train(self, it: int, *args: Any) -> None:
            super().report_train(it + start, *args)

        def report_val(self, it: int, *args: Any) -> None:
            super().report_val(it + start, *args)

    mlx_trainer.TrainUI = GlobalNumbers  # type: ignore[misc]
    try:
        yield
    finally:
        mlx_trainer.TrainUI = original  # type: ignore[misc]


def _remove_leftovers(out: Path) -> None:
    """A run killed with -9 leaves mlx-lm's scratch folder and half-written files; a new run owns the folder."""
    import shutil

    for scratch in out.glob(".mlx-lm-*"):
        shutil.rmtree(scratch, ignore_errors=True)
    for partial in out.glob(".*.partial.*"):
        partial.unlink(missing_ok=True)


def _final_validation(cfg: TrainConfig, model: Any, valid_set: Any, callback: RecipeCallback) -> None:
    """mlx-lm's last evaluation runs before the last step; gates need the loss after it."""
    from mlx_lm.tuner.trainer import evaluate

    if not cfg.val_batches or callback.last_val.get("iteration") == cfg.iters:
        return
    model.eval()
    tic = time.perf_counter()
    loss = evaluate(model, valid_set, batch_size=cfg.batch_size, num_batches=cfg.val_batches, max_seq_length=cfg.max_seq_length)
    callback.on_val_loss_report(
        {"iteration": cfg.iters - callback.start, "val_loss": float(loss), "val_time": time.perf_counter() - tic}
    )


def _save_final(model: Any, optimizer: Any, out: Path, iteration: int) -> None:
    save_checkpoint(out, model, optimizer, None)
    atomic_write_text(out / STATE, json.dumps({"iteration": iteration, "checkpoint": ADAPTERS}))


def summarize(
    cfg: TrainConfig,
    out: Path,
    start: int,
    base_model: str,
    wall: float,
    peak_gb: float | None,
    extra: dict[str, Any],
    run: dict[str, Any] | None = None,
) -> TrainResult:
    """Write training_config_v3.json and the loss curve from the run's metrics.jsonl."""
    metrics = read_metrics(out / METRICS)
    train_rows = [r for r in metrics if r.get("kind") == "train"]
    val_rows = [r for r in metrics if "val_loss" in r]
    this_run = [r for r in train_rows if r["iteration"] > start]
    result = TrainResult(
        adapter_dir=str(out),
        start_iteration=start,
        iterations=cfg.iters,
        final_train_loss=train_rows[-1]["train_loss"] if train_rows else None,
        final_val_loss=val_rows[-1]["val_loss"] if val_rows else None,
        best_val_loss=min(r["val_loss"] for r in val_rows) if val_rows else None,
        iterations_per_second=_mean(r["iterations_per_second"] for r in this_run),
        tokens_per_second=_mean(r["tokens_per_second"] for r in this_run),
        peak_memory_gb=peak_gb if peak_gb is not None else max((r["peak_memory"] for r in this_run), default=None),
        wall_seconds=wall,
        overfitting=any(r.get("overfitting") for r in val_rows),
        **(run or {}),
    )
    if result.overfitting:
        result.warnings.append(
            f"overfitting: validation loss rose over {cfg.overfit_patience} evaluations while training loss fell"
        )
    plot_losses(metrics, out / LOSS_PNG, f"{Path(out).name}: LoRA loss")
    summary = {
        "config": {k: portable(v) if isinstance(v, (str, Path)) else v for k, v in cfg.to_dict().items()},
        "base_model": portable(base_model),
        "result": asdict(result) | {"adapter_dir": portable(out)},  # the returned result keeps the local path
        **extra,
    }
    atomic_write_text(out / SUMMARY, json.dumps(summary, indent=2, default=str))
    return result


def _mean(values: Any) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def resume_hint(out: Path) -> str:
    """`` --resume-adapter-file <last checkpoint>``, or nothing before the first checkpoint."""
    state = out / STATE
    if not state.is_file():
        return ""
    return f" --resume-adapter-file {out / json.loads(state.read_text())['checkpoint']}"


def check_same_base(adapter_file: Path, model: str) -> None:
    """Refuse to continue an adapter that was trained on another base model."""
    check_base_model(adapter_file.parent, model, "the config's")
