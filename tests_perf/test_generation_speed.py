"""Generation throughput: a plain sequential ``mlx_lm.generate`` loop vs the project's batched engine."""

from __future__ import annotations

import time
from typing import Any

import pytest

from plugin import perf
from training.evaluate import fresh_scenarios

pytestmark = [pytest.mark.perf, pytest.mark.model, pytest.mark.slow]
PROMPTS = 12
MAX_TOKENS = 48
MIN_BATCHED_OVER_SINGLE = 3.0  # issue gate: batched generation >= 3x single-stream
MIN_ENGINE_OVER_LOOP = 4.0  # issue gate: the engine >= 4x a sequential generate loop


@pytest.fixture(scope="module")
def prompts(perf_model) -> list[str]:  # type: ignore[no-untyped-def]
    from plugin import diet

    _, tokenizer = perf_model
    return [diet.render_prompt(tokenizer, list(s.pantry), s.diet, s.request) for s in fresh_scenarios(PROMPTS, seed=7)]


def sequential_loop(model: Any, tokenizer: Any, prompts: list[str]) -> dict[str, float]:
    from mlx_lm import stream_generate

    generated = prompt_tokens = 0
    tic = time.perf_counter()
    prompt_seconds = 0.0
    for prompt in prompts:
        *_, last = stream_generate(model, tokenizer, prompt, max_tokens=MAX_TOKENS)
        generated += last.generation_tokens
        prompt_tokens += last.prompt_tokens
        prompt_seconds += last.prompt_tokens / last.prompt_tps
    seconds = time.perf_counter() - tic
    return {"tokens_per_s": generated / seconds, "prompt_tokens_per_s": prompt_tokens / prompt_seconds, "seconds": seconds}


def batched_engine(model: Any, tokenizer: Any, prompts: list[str]) -> dict[str, float]:
    from plugin.gen_cache import GenCache
    from plugin.generation import RecipeEngine, Sampling

    engine = RecipeEngine(model, tokenizer, "perf", GenCache(None), batch_size=len(prompts))
    tic = time.perf_counter()
    engine.generate(prompts, Sampling(0.0, MAX_TOKENS))
    seconds = time.perf_counter() - tic
    return {"tokens_per_s": engine.generated_tokens / seconds, "seconds": seconds}


def test_batched_generation_vs_single_stream(benchmark, perf_model, prompts, perf_floors) -> None:  # type: ignore[no-untyped-def]
    import mlx.core as mx

    model, tokenizer = perf_model
    mx.reset_peak_memory()
    single = sequential_loop(model, tokenizer, prompts)
    single_peak = mx.get_peak_memory() / 1e9
    mx.reset_peak_memory()
    batched = benchmark.pedantic(batched_engine, args=(model, tokenizer, prompts), rounds=1, iterations=1)
    batched_peak = mx.get_peak_memory() / 1e9
    speedup = batched["tokens_per_s"] / single["tokens_per_s"]
    benchmark.extra_info.update(
        {
            "single_tokens_per_s": round(single["tokens_per_s"], 2),
            "single_prompt_tokens_per_s": round(single["prompt_tokens_per_s"], 1),
            "batched_tokens_per_s": round(batched["tokens_per_s"], 2),
            "batched_over_single_x": round(speedup, 2),
            "engine_over_sequential_loop_x": round(single["seconds"] / batched["seconds"], 2),
            "single_peak_memory_gb": round(single_peak, 3),
            "batched_peak_memory_gb": round(batched_peak, 3),
            "prompts": len(prompts),
            "max_tokens": MAX_TOKENS,
        }
    )
    p = perf_floors.name
    perf.gate(speedup, MIN_BATCHED_OVER_SINGLE, "batched / single-stream generation tokens/s", p)
    perf.gate(single["seconds"] / batched["seconds"], MIN_ENGINE_OVER_LOOP, "engine speed-up over a sequential generate loop", p)
    perf.gate(single["tokens_per_s"], perf_floors.gen_tokens_per_s, "single-stream generation tokens/s", p)
    perf.gate(batched_peak, perf_floors.max_peak_memory_gb, "batched generation peak memory GB", p, higher_is_better=False)
