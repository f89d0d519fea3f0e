"""The CPU greedy schedule (two streams, continuous batching, fast attention) changes no output.

Plumbing on a tiny random Phi-3 with grouped-query attention; the speed is measured on the embedded model in
tests_perf/test_generation_speed.py, which also compares every output there.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import pytest

from plugin.runtime.generation import (
    CPU_GREEDY,
    LEGACY,
    Sampling,
    blas_threads,
    generate_batch,
)
from plugin.runtime.tiny import build_tiny_phi3

PROMPTS = [
    "Recipe: Tomato Basil Pasta",
    "Selected ingredients from your pantry:\n- pasta\n- tomato\n- olive oil",
    "User dietary preference: vegetarian.",
    "Instructions:\n1. Boil pasta according to package directions\n2. Toss with tomato and serve",
    "You are a creative recipe generator",
    "pasta",
    "Respect dietary restrictions - do NOT select meat/fish. Tomato, basil, olive oil.",
]


@pytest.fixture(scope="module")
def tiny_gqa(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    from mlx_lm import load

    return load(str(build_tiny_phi3(tmp_path_factory.mktemp("gqa"), seed=3, kv_heads=2)))


@pytest.mark.parametrize(
    "schedule",
    [CPU_GREEDY, dataclasses.replace(CPU_GREEDY, streams=1), dataclasses.replace(CPU_GREEDY, shortest_first=False)],
    ids=["two-streams", "one-stream", "prompt-order"],
)
def test_schedule_gives_the_legacy_outputs(tiny_gqa, schedule) -> None:
    model, tokenizer = tiny_gqa
    sampling = Sampling(0.0, 24)
    legacy = generate_batch(model, tokenizer, PROMPTS, sampling, 3, schedule=LEGACY)
    # batch 4: two slots per stream for 7 prompts, so finished sequences are replaced mid-batch
    assert generate_batch(model, tokenizer, PROMPTS, sampling, 4, schedule=schedule) == legacy
    assert any(legacy), "the tiny model generated nothing: the comparison would be empty"


def test_continuous_schedule_reports_stats_per_stream(tiny_gqa) -> None:
    model, tokenizer = tiny_gqa
    stats: list[Any] = []
    generate_batch(model, tokenizer, PROMPTS, Sampling(0.0, 8), 4, stats, schedule=CPU_GREEDY)
    assert len(stats) == 2 and sum(s.prompt_tokens for s in stats) > 0


def test_blas_threads_are_restored() -> None:
    from plugin.runtime.generation import _openblas_threads

    control = _openblas_threads()
    if control is None:
        pytest.skip("OpenBLAS is not the loaded BLAS here")
    get, _ = control
    before = get()
    with blas_threads(1):
        assert get() == 1
    assert get() == before


def test_a_failing_stream_stops_the_run_and_raises(tiny_gqa, monkeypatch: pytest.MonkeyPatch) -> None:
    import plugin.runtime.generation as generation

    model, tokenizer = tiny_gqa
    calls = {"n": 0}
    lock = threading.Lock()
    real = generation._PromptQueue.take

    def failing_take(self, n: int):
        with lock:
            calls["n"] += 1
            if calls["n"] == 3:
                raise RuntimeError("planted failure in a stream")
        return real(self, n)

    monkeypatch.setattr(generation._PromptQueue, "take", failing_take)
    with pytest.raises(RuntimeError, match="planted failure"):
        generate_batch(model, tokenizer, PROMPTS, Sampling(0.0, 16), 4, schedule=CPU_GREEDY)


def test_the_cpu_default_is_the_schedule_and_other_backends_keep_the_legacy_path(monkeypatch) -> None:
    from plugin.runtime import backend
    from plugin.runtime.generation import CPU_SAMPLED, default_schedule

    monkeypatch.setattr(backend, "detect_backend_name", lambda: "cpu")
    assert default_schedule(Sampling(0.0)) == CPU_GREEDY
    assert default_schedule(Sampling(0.7)) == CPU_SAMPLED
    monkeypatch.setattr(backend, "detect_backend_name", lambda: "metal")
    assert default_schedule(Sampling(0.0)) == LEGACY


def test_tiny_gqa_really_groups_heads(tiny_gqa) -> None:
    model, _ = tiny_gqa
    attention = model.model.layers[0].self_attn
    assert attention.n_heads == 2 * attention.n_kv_heads


def test_empty_prompt_list(tiny_gqa) -> None:
    model, tokenizer = tiny_gqa
    assert generate_batch(model, tokenizer, [], Sampling(0.0, 8), 4, schedule=CPU_GREEDY) == []
