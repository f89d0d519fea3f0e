"""The trainer on a tiny Phi-3: checkpoints, metrics, best adapter, resume, interrupts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plugin.tests.portable_paths import absolute_paths
from training import trainer
from training.config import load_config
from training.finetune_mlx_v3 import main as finetune

SCRIPT = Path(trainer.__file__).with_name("finetune_mlx_v3.py")


def train(config: Path, *extra: str) -> int:
    return finetune(["--config", str(config), "--force", "--warmup-steps", "0", *extra])


def checkpoints(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("[0-9]*_adapters.safetensors"))


def assert_loadable(out: Path, *, killed: bool = False) -> None:
    """Every adapter file loads; temporaries are gone, except after kill -9, which can land mid-write
    (no process can clean up after it): then the next run removes them."""
    import mlx.core as mx

    for file in out.glob("*.safetensors"):
        if not file.name.startswith("."):
            assert mx.load(str(file)), f"{file} is empty"
    if not killed:
        assert not list(out.glob(".*partial*")), "a partial file was left behind"


def test_training_writes_every_artifact(tiny_config, tmp_path: Path) -> None:
    assert train(tiny_config()) == 0
    out = tmp_path / "adapter"
    assert checkpoints(out) == ["0000004_adapters.safetensors", "0000008_adapters.safetensors", "0000012_adapters.safetensors"]
    for name in (
        "adapters.safetensors",
        "best_adapters.safetensors",
        "adapter_config.json",
        "training_config_v3.json",
        "metrics.jsonl",
        "loss_curve.png",
    ):
        assert (out / name).is_file(), name
    rows = trainer.read_metrics(out / trainer.METRICS)
    assert [r["iteration"] for r in rows if r["kind"] == "train"] == list(range(1, 13))
    assert rows[-1] == {**rows[-1], "kind": "val", "iteration": 12}
    summary = json.loads((out / "training_config_v3.json").read_text())
    assert summary["result"]["iterations"] == 12 and summary["fingerprint"]
    assert json.loads((out / "adapter_config.json").read_text())["lora_parameters"]["rank"] == 4
    # The model, data and adapter folder are absolute tmp paths here; what the folder says must not be.
    assert absolute_paths(out, [p.name for p in out.iterdir() if p.suffix in (".json", ".jsonl")]) == []
    assert_loadable(out)


def test_val_batches_zero_trains_without_validation(tiny_config, tmp_path: Path, capsys) -> None:
    assert train(tiny_config(iters=4, val_batches=0)) == 0
    rows = trainer.read_metrics(tmp_path / "adapter" / trainer.METRICS)
    assert [r["kind"] for r in rows] == ["train"] * 4
    assert "val loss n/a" in capsys.readouterr().out


def test_resume_carries_iteration_and_numbering(tiny_config, tmp_path: Path) -> None:
    out = tmp_path / "adapter"
    assert train(tiny_config(iters=8)) == 0
    assert train(tiny_config(iters=16), "--resume-adapter-file", str(out / "0000008_adapters.safetensors")) == 0
    assert checkpoints(out)[-2:] == ["0000012_adapters.safetensors", "0000016_adapters.safetensors"]
    train_iters = [r["iteration"] for r in trainer.read_metrics(out / trainer.METRICS) if r["kind"] == "train"]
    assert train_iters == list(range(1, 17)), "metrics must continue, not restart or repeat"
    assert json.loads((out / trainer.STATE).read_text())["iteration"] == 16
    import mlx.core as mx

    step = mx.load(str(out / "0000016_optimizer.safetensors"))["step"].item()
    assert step == 16, f"Adam's step count is {step}: the optimizer state was not carried over"


def test_resume_past_the_end_is_an_error(tiny_config, tmp_path: Path, capsys) -> None:
    out = tmp_path / "adapter"
    assert train(tiny_config(iters=8)) == 0
    assert train(tiny_config(iters=8), "--resume-adapter-file", str(out / "0000008_adapters.safetensors")) == 2
    assert "nothing left of iters=8" in capsys.readouterr().err


def test_resume_from_unnumbered_file_without_state(tmp_path: Path) -> None:
    lone = tmp_path / "weights.safetensors"
    lone.write_bytes(b"")
    with pytest.raises(ValueError, match="cannot tell its iteration"):
        trainer.resume_iteration(lone)


def _start(config: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, str(SCRIPT), "--config", str(config), "--force", "--warmup-steps", "0"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, f"training ended early:\n{proc.stdout.read() if proc.stdout else ''}"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["sigint", "kill-9"])
def test_interrupt_then_resume_loses_at_most_save_every(tiny_config, tmp_path: Path, sig: signal.Signals) -> None:
    save_every = 5
    config = tiny_config(iters=4000, save_every=save_every, steps_per_eval=1000, batch_size=4)
    out = tmp_path / "adapter"
    proc = _start(config)
    _wait_for(out / "0000010_adapters.safetensors", proc)
    proc.send_signal(sig)
    output, _ = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130, output
        assert "Interrupted. Resume with:" in output and "--resume-adapter-file" in output
    else:
        assert proc.returncode == -signal.SIGKILL
    assert_loadable(out, killed=sig == signal.SIGKILL)
    reached = max(r["iteration"] for r in trainer.read_metrics(out / trainer.METRICS) if r["kind"] == "train")
    state = json.loads((out / trainer.STATE).read_text())
    assert (out / state["checkpoint"]).is_file()
    assert reached - state["iteration"] <= save_every, f"reached {reached}, last checkpoint {state['iteration']}"

    resumed_to = state["iteration"] + 2 * save_every
    assert (
        train(
            tiny_config(iters=resumed_to, save_every=save_every, steps_per_eval=1000, batch_size=4),
            "--resume-adapter-file",
            str(out / state["checkpoint"]),
        )
        == 0
    )
    assert checkpoints(out)[-1] == trainer.checkpoint_name(resumed_to)
    assert not list(out.glob(".*partial*")) and not list(out.glob(".mlx-lm-*")), "the resumed run left temporaries"
    assert_loadable(out)


def test_overfit_detector() -> None:
    detector = trainer.OverfitDetector(patience=3)
    for train_loss, val_loss in [(1.0, 1.0), (0.8, 0.9), (0.6, 0.95), (0.4, 1.0), (0.3, 1.1)]:
        detector.add_train(train_loss)
        detector.add_val(val_loss)
    assert detector.triggered()
    healthy = trainer.OverfitDetector(patience=3)
    for loss in (1.0, 0.9, 0.8, 0.7, 0.6):
        healthy.add_train(loss)
        healthy.add_val(loss)
    assert not healthy.triggered()


def test_config_adapter_dir_is_resolved(tiny_config) -> None:
    cfg = load_config(tiny_config())
    assert cfg.adapter_dir.is_absolute()


@pytest.fixture
def trained(tiny_config, tmp_path: Path) -> Path:
    """An adapter folder after 4 iterations (checkpoint 0000004)."""
    assert train(tiny_config(iters=4)) == 0
    return tmp_path / "adapter"


def _resume(tiny_config, checkpoint: Path, **overrides: object) -> int:
    return train(tiny_config(iters=8, **overrides), "--resume-adapter-file", str(checkpoint))


def test_resume_file_with_unrelated_keys_is_refused(tiny_config, trained: Path, tmp_path: Path, capsys) -> None:
    import mlx.core as mx

    foreign = tmp_path / "0000004_adapters.safetensors"
    mx.save_safetensors(str(foreign), {"not.a.lora.weight": mx.zeros((2, 2))})
    assert _resume(tiny_config, foreign) == 2
    err = capsys.readouterr().err
    assert f"error: {foreign}: does not fit this model and config:" in err and "trained weights missing" in err


def test_resume_file_of_another_rank_is_refused(tiny_config, trained: Path, capsys) -> None:
    checkpoint = trained / "0000004_adapters.safetensors"
    assert _resume(tiny_config, checkpoint, lora_parameters={"rank": 8, "alpha": 8.0, "scale": 8.0}) == 2
    err = capsys.readouterr().err
    assert f"error: {checkpoint}: " in err and "has shape" in err and "lora_parameters.rank=8" in err


@pytest.mark.parametrize("damage", ["truncated", "random-bytes"])
def test_damaged_resume_file_is_one_line_naming_it(tiny_config, trained: Path, tmp_path: Path, capsys, damage: str) -> None:
    good = (trained / "0000004_adapters.safetensors").read_bytes()
    bad = tmp_path / "0000004_adapters.safetensors"
    bad.write_bytes(good[: len(good) // 2] if damage == "truncated" else os.urandom(len(good)))
    assert _resume(tiny_config, bad) == 2
    [line] = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert line.startswith(f"error: {bad}: not a readable adapter checkpoint")


def test_a_new_run_removes_what_a_killed_run_left(tiny_config, trained: Path) -> None:
    (trained / ".mlx-lm-abc123").mkdir()
    (trained / ".adapters.123-deadbeef.partial.safetensors").write_bytes(b"torn")
    assert _resume(tiny_config, trained / "0000004_adapters.safetensors") == 0
    assert not list(trained.glob(".mlx-lm-*")) and not list(trained.glob(".*.partial.*"))


def test_resumed_console_shows_global_iteration_numbers(tiny_config, trained: Path, capsys) -> None:
    capsys.readouterr()
    assert _resume(tiny_config, trained / "0000004_adapters.safetensors") == 0
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)  # rich colours the numbers
    iters = [int(line.split()[0]) for line in plain.splitlines() if "▼" in line or "▲" in line]
    assert iters and min(iters) == 5 and max(iters) == 8, iters


def test_lr_schedule_drives_adam_and_a_resume_continues_it(tiny_config, tmp_path: Path) -> None:
    import mlx.core as mx
    from mlx_lm.tuner.utils import build_schedule

    schedule = {"name": "cosine_decay", "arguments": [1e-3, 8, 1e-5], "warmup": 4, "warmup_init": 1e-6}
    expected = build_schedule(schedule)
    out = tmp_path / "adapter"

    def saved_rate(iteration: int) -> float:
        return mx.load(str(out / f"{iteration:07d}_optimizer.safetensors"))["learning_rate"].item()

    assert train(tiny_config(iters=8, lr_schedule=schedule)) == 0
    # Adam's state after step k holds the rate that step used: the schedule at k - 1.
    assert saved_rate(4) == pytest.approx(expected(mx.array(3)).item())
    assert (
        train(tiny_config(iters=12, lr_schedule=schedule), "--resume-adapter-file", str(out / "0000008_adapters.safetensors"))
        == 0
    )
    # Restarted, the schedule would be back in its warm-up at 12 (its value at step 3).
    assert saved_rate(12) == pytest.approx(expected(mx.array(11)).item())
    assert saved_rate(12) != pytest.approx(expected(mx.array(3)).item())


def test_full_fine_tune_trains_the_top_layers_own_weights(tiny_config, tiny_model: Path, tmp_path: Path) -> None:
    """`fine_tune_type: full` trains the top `num_layers` layers' weights (no LoRA), and a resume takes them."""
    import mlx.core as mx

    top = json.loads((tiny_model / "config.json").read_text())["num_hidden_layers"] - 1
    assert train(tiny_config(iters=4, fine_tune_type="full", num_layers=1)) == 0
    out = tmp_path / "adapter"
    weights = mx.load(str(out / "adapters.safetensors"))
    assert weights and not any("lora" in name for name in weights)
    assert {name.split(".")[2] for name in weights} == {str(top)}, sorted(weights)[:5]
    assert json.loads((out / "adapter_config.json").read_text())["fine_tune_type"] == "full"
    resume = str(out / "0000004_adapters.safetensors")
    assert train(tiny_config(iters=8, fine_tune_type="full", num_layers=1), "--resume-adapter-file", resume) == 0
