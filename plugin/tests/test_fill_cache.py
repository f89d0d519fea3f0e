"""Sharded generation-cache fill (``python -m plugin.fill_cache`` under ``mlx.launch -n 2``) on the tiny Phi-3.

Two ranks write exactly the entries one process writes (same keys, same outputs), each prompt once,
and no torn or temporary file. (pytest-xdist ``-n 2`` verdicts equal to a serial run's are checked in
plugin/tests/test_plugin_compat.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plugin.diet import DIET_CHOICES
from plugin.fill_cache import main as fill_cache
from plugin.runtime.tiny import build_tiny_phi3

PER_DIET = 2


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_phi3(tmp_path_factory.mktemp("tiny-phi3"))


def args(model: Path, cache: Path) -> list[str]:
    return [
        "--recipe-profile",
        "cpu",
        "--recipe-model",
        str(model),
        "--recipe-adapter-path",
        "none",
        "--recipe-gen-cache",
        str(cache),
        "--scenarios-per-diet",
        str(PER_DIET),
        "--max-tokens",
        "8",
    ]


def entries(cache: Path) -> dict[str, dict[str, str]]:
    found = {}
    for path in cache.rglob("*"):
        if path.is_file():
            assert path.suffix == ".json" and not path.name.startswith("."), f"stray file {path}"
            found[path.relative_to(cache).as_posix()] = json.loads(path.read_text(encoding="utf-8"))
    return found


def launch(model: Path, cache: Path, ranks: int = 2) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "training.launch", "-n", str(ranks), "--backend", "ring", "--"] if ranks > 1 else []
    argv += [sys.executable, "-m", "plugin.fill_cache", *args(model, cache)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def expected_work(model: Path) -> tuple[int, int]:
    """Greedy prompts and sampled cases the suite generates with this model (cpu gates, the default Hypothesis profile)."""
    from mlx_lm import load

    from plugin.fill_cache import hypothesis_profile, suite_work
    from plugin.quality_gates import load_quality_gates
    from plugin.runtime.gen_cache import GenCache
    from plugin.runtime.generation import RecipeEngine

    _, tokenizer = load(str(model))[:2]
    work = suite_work(
        RecipeEngine(None, tokenizer, "id", GenCache(None)),
        PER_DIET,
        load_quality_gates("cpu").examples_for(hypothesis_profile(None)),
    )
    return len(work.greedy), len(work.sampled)


@pytest.mark.slow
def test_two_ranks_fill_what_one_fills(tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from plugin.quality_gates import load_quality_gates

    greedy, sampled = expected_work(tiny_model)
    k = load_quality_gates("cpu").seed_samples
    # the gate scenarios, 3 property examples for each of 7 diets, the seed prompt and cases, 7 more golden prompts
    assert greedy > PER_DIET * len(DIET_CHOICES) + 7 * 3 and sampled == 4
    total = greedy + sampled * k
    # One process, started like the ranks are: a fresh interpreter, so nothing of this pytest session (a lexicon
    # or Hypothesis state other tests left behind) can make its draws differ from theirs.
    one = launch(tiny_model, tmp_path / "one", ranks=1)
    assert one.returncode == 0, one.stdout + one.stderr
    assert f"{greedy} of {greedy} greedy prompts, 4 of 4 sampled ({k} samples each): {total} generated, 0 already cached" in (
        one.stdout
    )
    single = entries(tmp_path / "one")
    assert len(single) == total

    result = launch(tiny_model, tmp_path / "two")
    assert result.returncode == 0, result.stdout + result.stderr
    half = greedy - greedy // 2  # rank 0 takes prompts 0, 2, 4, ...
    rank0 = half + 2 * k
    rank1 = greedy // 2 + 2 * k
    assert (
        f"{half} of {greedy} greedy prompts, 2 of 4 sampled ({k} samples each): {rank0} generated, 0 already cached"
        in result.stdout
    )
    assert (
        f"[rank 1] {greedy // 2} of {greedy} greedy prompts, 2 of 4 sampled ({k} samples each): {rank1} generated"
        in result.stdout
    )
    assert entries(tmp_path / "two") == single  # same keys and outputs: each prompt generated once, by one rank

    again = launch(tiny_model, tmp_path / "two")  # warm: nothing left to generate
    assert (
        f"[rank 1] {greedy // 2} of {greedy} greedy prompts, 2 of 4 sampled ({k} samples each): "
        f"0 generated, {rank1} already cached" in again.stdout
    )


def test_options_fail_as_the_suite_options_do(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        fill_cache(["--recipe-adapter-path", "no/such/adapter"])
    assert exit_info.value.code == 2
    assert "error: argument --recipe-adapter-path: adapter folder no/such/adapter does not exist" in capsys.readouterr().err
