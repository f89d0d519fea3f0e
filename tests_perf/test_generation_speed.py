"""Generation throughput: a plain sequential ``mlx_lm`` loop vs the project's batched engine.

Both run recipe-length generations of the same kind of prompt. Single-stream decode speed
and the loop's end-to-end throughput come from 4 prompts; the engine gets 24 at once.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from plugin.diet.scenarios import gate_scenarios

pytestmark = [pytest.mark.perf, pytest.mark.model, pytest.mark.slow]
SEQUENTIAL_PROMPTS = 4
BATCHED_PROMPTS = 24
MAX_TOKENS = 128
MIN_BATCHED_OVER_SINGLE = 3.0  # batched decode tokens/s >= 3x single-stream
# The engine's end-to-end tokens/s over a sequential generate loop. A batch path that fell back to one prompt at a
# time gives about 1x; on this machine the ratio measured 3.4-5.0x across runs (the loop's speed moves with the
# machine's state more than the engine's), so 2.5 separates the two failure modes with margin on both sides.
MIN_ENGINE_OVER_LOOP = 2.5


@pytest.fixture(scope="module")
def prompts(perf_model) -> list[str]:
    from plugin.diet import render_prompt

    _, tokenizer = perf_model
    return [render_prompt(tokenizer, s) for s in gate_scenarios(BATCHED_PROMPTS, seed=7)]


def sequential_loop(model: Any, tokenizer: Any, prompts: list[str]) -> dict[str, float]:
    from mlx_lm import stream_generate

    generated = prompt_tokens = 0
    prompt_seconds = decode_seconds = 0.0
    tic = time.perf_counter()
    for prompt in prompts:
        *_, last = stream_generate(model, tokenizer, prompt, max_tokens=MAX_TOKENS)
        generated += last.generation_tokens
        prompt_tokens += last.prompt_tokens
        prompt_seconds += last.prompt_tokens / last.prompt_tps
        decode_seconds += last.generation_tokens / last.generation_tps
    seconds = time.perf_counter() - tic
    return {
        "throughput": generated / seconds,
        "decode_tokens_per_s": generated / decode_seconds,
        "prompt_tokens_per_s": prompt_tokens / prompt_seconds,
    }


def batched_engine(model: Any, tokenizer: Any, prompts: list[str]) -> dict[str, float]:
    from plugin.runtime.gen_cache import GenCache
    from plugin.runtime.generation import RecipeEngine, Sampling

    engine = RecipeEngine(model, tokenizer, "perf", GenCache(None), batch_size=len(prompts))
    tic = time.perf_counter()
    engine.generate(prompts, Sampling(0.0, MAX_TOKENS))
    seconds = time.perf_counter() - tic
    [stats] = engine.batch_stats
    return {
        "throughput": engine.generated_tokens / seconds,
        "decode_tokens_per_s": stats.generation_tps,
        "prompt_tokens_per_s": stats.prompt_tps,
    }


def test_batched_generation_vs_single_stream(benchmark, perf_model, prompts, perf_floors, floor_gate) -> None:
    import mlx.core as mx

    model, tokenizer = perf_model
    mx.reset_peak_memory()
    single = sequential_loop(model, tokenizer, prompts[:SEQUENTIAL_PROMPTS])
    single_peak = mx.get_peak_memory() / 1e9
    mx.reset_peak_memory()
    batched = benchmark.pedantic(batched_engine, args=(model, tokenizer, prompts), rounds=1, iterations=1)
    batched_peak = mx.get_peak_memory() / 1e9
    decode_x = batched["decode_tokens_per_s"] / single["decode_tokens_per_s"]
    engine_x = batched["throughput"] / single["throughput"]
    benchmark.extra_info.update(
        {
            "single_tokens_per_s": round(single["decode_tokens_per_s"], 2),
            "single_prompt_tokens_per_s": round(single["prompt_tokens_per_s"], 1),
            "sequential_loop_tokens_per_s": round(single["throughput"], 2),
            "batched_tokens_per_s": round(batched["decode_tokens_per_s"], 2),
            "batched_prompt_tokens_per_s": round(batched["prompt_tokens_per_s"], 1),
            "engine_tokens_per_s": round(batched["throughput"], 2),
            "batched_over_single_x": round(decode_x, 2),
            "engine_over_sequential_loop_x": round(engine_x, 2),
            "single_peak_memory_gb": round(single_peak, 3),
            "batched_peak_memory_gb": round(batched_peak, 3),
            "batch_size": len(prompts),
            "max_tokens": MAX_TOKENS,
        }
    )
    floor_gate("batched_over_single_x", decode_x, MIN_BATCHED_OVER_SINGLE, "x", "batched / single-stream decode tokens/s")
    floor_gate(
        "engine_over_sequential_loop_x", engine_x, MIN_ENGINE_OVER_LOOP, "x", "engine tokens/s over a sequential generate loop"
    )
    floor_gate(
        "single_tokens_per_s",
        single["decode_tokens_per_s"],
        perf_floors.gen_tokens_per_s,
        "tokens/s",
        "single-stream decode tokens/s",
    )
    floor_gate(
        "batched_peak_memory_gb", batched_peak, perf_floors.max_peak_memory_gb, "GB", "batched generation peak memory", "<="
    )
