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


@pytest.mark.slow
def test_train_on_two_ranks_through_mlx_launch(pytester: pytest.Pytester, tiny_model: Path, tiny_config) -> None:
    config = tiny_config(iters=4, batch_size=4, save_every=2, steps_per_eval=2, steps_per_report=2)
    result = run(pytester, tiny_model, config, "--recipe-train-ranks", "2")
    result.stdout.fnmatch_lines(
        [
            "[[]train[]] training * with tiny.yaml: 4 iters on 2 ranks (mlx.launch) -> *adapter",
            "[[]train[]] *Ranks: 2 (mlx.launch), 2 samples per rank of the global batch of 4",
            "[[]train[]] *Done: * on 2 ranks -> *adapter",
            "adapter: *adapter (trained)",
        ]
    )
    assert result.ret == 0
    again = run(pytester, tiny_model, config)  # the same config on 1 rank: the same training, so reused
    again.stdout.fnmatch_lines(["[[]train[]] reusing *adapter (fingerprint * matches; --recipe-retrain to train again)"])


@pytest.mark.slow
def test_train_on_ranks_that_do_not_divide_the_batch(pytester: pytest.Pytester, tiny_model: Path, tiny_config) -> None:
    result = run(pytester, tiny_model, tiny_config(batch_size=3), "--recipe-train-ranks", "2")
    result.stdout.fnmatch_lines(
        ["[[]train[]] *error: *tiny.yaml: batch_size=3 is the global batch and must divide by the 2 ranks*"]
    )
    result.stderr.fnmatch_lines(["ERROR: --train: error: rank * exited with code 2*"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


@pytest.mark.parametrize(
    ("value", "message"),
    [("two", "ranks must be an integer, got 'two'"), ("0", "ranks must be between 1 and 64, got 0")],
    ids=["word", "zero"],
)
def test_train_ranks_option_rejects_bad_values(pytester: pytest.Pytester, value: str, message: str) -> None:
    result = pytester.runpytest("-p", "plugin.plugin", "--recipe-train-ranks", value)
    result.stderr.fnmatch_lines([f"*error: argument --recipe-train-ranks: {message}"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_train_ranks_option_is_in_the_suite_group(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("-p", "plugin.plugin", "--help")
    result.stdout.fnmatch_lines(
        ["recipe model quality suite:", "*--recipe-train-ranks=RECIPE_TRAIN_RANKS*", "*with --train: train*"]
    )
