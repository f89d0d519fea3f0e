"""`pytest --train` end to end on a tiny Phi-3: trains, reuses on a matching fingerprint, retrains on demand."""

from __future__ import annotations

from pathlib import Path

import pytest

USES_ADAPTER = "def test_uses(recipe_adapter):\n    assert recipe_adapter.path is not None\n"


def run(pytester: pytest.Pytester, tiny_model: Path, config: Path, *extra: str) -> pytest.RunResult:
    pytester.makepyfile(USES_ADAPTER)
    args = [
        "-p",
        "plugin.plugin",
        "--train",
        "--recipe-model",
        str(tiny_model),
        "--recipe-train-config",
        str(config),
        "-s",
        *extra,
    ]
    return pytester.runpytest_subprocess(*args, timeout=300)


def test_train_then_reuse_then_retrain(pytester: pytest.Pytester, tiny_model: Path, tiny_config) -> None:
    config = tiny_config(iters=6, save_every=3, steps_per_eval=3, steps_per_report=3)
    first = run(pytester, tiny_model, config)
    first.stdout.fnmatch_lines(
        [
            "[[]train[]] training * with tiny.yaml: 6 iters -> *adapter",
            "[[]train[]] iter     3: train loss *",
            "*- recipe training -*",
            "adapter: *adapter (trained)",
            "final train loss * 0.6 MISSED",
            "6 iters at * it/s, * tokens/s, peak memory * GB, * s",
        ]
    )
    assert first.ret == 0
    second = run(pytester, tiny_model, config)
    second.stdout.fnmatch_lines(
        ["[[]train[]] reusing *adapter (fingerprint * matches; --recipe-retrain to train again)", "adapter: * (reused)"]
    )
    third = run(pytester, tiny_model, config, "--recipe-retrain")
    third.stdout.fnmatch_lines(["[[]train[]] training * 6 iters *"])


def test_train_with_a_bad_config_is_one_clear_error(pytester: pytest.Pytester, tiny_model: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("iters: many\n")
    result = run(pytester, tiny_model, bad)
    result.stderr.fnmatch_lines(["ERROR: --train: *bad.yaml*: iters must be int, got 'many' (str)"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR
