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
    # One BatchStats per batch (legacy path) or per stream (the CPU schedule's streams run at the same time,
    # so their rates add up).
    stats = engine.batch_stats
    return {
        "throughput": engine.generated_tokens / seconds,
        "decode_tokens_per_s": sum(s.generation_tps for s in stats),
        "prompt_tokens_per_s": sum(s.prompt_tps for s in stats),
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


# --- the CPU greedy schedule against the path before it (issue 13, item 5) ------------------------------------------

SCHEDULE_PROMPTS = 96  # the cpu profile's batch: both streams full, prompts of every diet
LEGACY_BATCH_SIZE = 16  # the cpu profile's batch size before the schedule
# Measured here: 1.43x and 1.50x with the first schedule; 1.57-1.68x at batch 96; 1.59-1.86x in five runs once the
# kernels MLX compiles at run time are built for the machine (plugin.runtime.native_jit) and attention's softmax
# goes through them. A schedule that falls back to the legacy path measures about 1.0x (+-10% between two runs on a quiet
# machine), so 1.2 separates the two with margin on both sides.
MIN_SCHEDULE_OVER_LEGACY = 1.2
# Where the BLAS preload replaced an inherited kernel pin that held the CPU's AVX-512 units back (this machine's image
# pins OpenBLAS to Haswell; plugin.runtime.blas_preload.core_override), the schedule runs on the AVX-512 kernels and the
# baseline on the inherited ones, as before issue 13: 2.39x and 2.66x measured here. There the 2x is the gate; a
# schedule on the inherited kernels measures 1.59-1.92x and fails it.
MIN_WITH_AVX512_KERNELS = 2.0


@pytest.fixture(scope="module")
def reference_model(perf_base_path, recipe_settings) -> tuple[Any, Any]:
    """The base model with the cpu reference adapter: answers of the length the quality gates generate."""
    from mlx_lm import load

    from training.run_profiles import get

    return load(perf_base_path, adapter_path=str(get("cpu").adapter_path))


def timed_generation(model: Any, tokenizer: Any, prompts: list[str], batch_size: int, schedule: Any) -> tuple[list[str], float]:
    from plugin.quality_gates import load_quality_gates
    from plugin.runtime.generation import Sampling, generate_batch

    sampling = Sampling(0.0, load_quality_gates("cpu").max_tokens)
    tic = time.perf_counter()
    outputs = generate_batch(model, tokenizer, prompts, sampling, batch_size, schedule=schedule)
    return outputs, time.perf_counter() - tic


def legacy_generation(base: str, prompts: list[str], folder: Any) -> tuple[list[str], float]:
    """The path before issue 13, in a subprocess whose MLX compiles its kernels as it does by default."""
    from plugin.quality_gates import load_quality_gates
    from plugin.runtime.generation_bench import run_in_subprocess
    from training.run_profiles import get

    spec = {
        "base": base,
        "adapter": str(get("cpu").adapter_path),
        "prompts": prompts,
        "batch_size": LEGACY_BATCH_SIZE,
        "max_tokens": load_quality_gates("cpu").max_tokens,
        "schedule": "legacy",
    }
    result = run_in_subprocess(spec, folder)
    return result["outputs"], result["seconds"]


def test_cpu_schedule_vs_legacy(benchmark, reference_model, perf_base_path, recipe_settings, floor_gate, tmp_path) -> None:
    """Same prompts, same run: the schedule the suite uses against the path before it; every output identical."""
    from plugin.diet import render_prompt
    from plugin.quality_gates import load_quality_gates
    from plugin.runtime import native_jit
    from plugin.runtime.blas import replaced_core
    from plugin.runtime.generation import Sampling, default_schedule

    if recipe_settings.backend.name != "cpu":
        pytest.skip("the two-stream schedule is the CPU's; other backends run the legacy path")
    model, tokenizer = reference_model
    prompts = [render_prompt(tokenizer, s) for s in gate_scenarios(SCHEDULE_PROMPTS, seed=11)]
    schedule = default_schedule(Sampling(0.0))
    batch_size = load_quality_gates("cpu").batch_size
    forced = replaced_core()
    legacy, legacy_s = legacy_generation(perf_base_path, prompts, tmp_path)
    timed_generation(model, tokenizer, prompts[:2], 2, schedule)  # warm-up: weights, kernels
    fast, fast_s = benchmark.pedantic(
        timed_generation, args=(model, tokenizer, prompts, batch_size, schedule), rounds=1, iterations=1
    )
    tokens = sum(len(tokenizer.encode(text, add_special_tokens=False)) for text in fast)
    changed = [i for i, (a, b) in enumerate(zip(legacy, fast)) if a != b]
    benchmark.extra_info.update(
        {
            "prompts": len(prompts),
            "generated_tokens": tokens,
            "legacy_seconds": round(legacy_s, 1),
            "schedule_seconds": round(fast_s, 1),
            "legacy_tokens_per_s": round(tokens / legacy_s, 1),
            "schedule_tokens_per_s": round(tokens / fast_s, 1),
            "schedule_over_legacy_x": round(legacy_s / fast_s, 2),
            "legacy_batch_size": LEGACY_BATCH_SIZE,
            "batch_size": batch_size,
            "native_jit": native_jit.active() is not None,
            "blas_kernels": (forced or ("", ""))[0] or "as inherited",
            "legacy_blas_kernels": (forced or ("", ""))[1] or "as inherited",
        }
    )
    assert not changed, f"the schedule changed the output of {len(changed)} of {len(prompts)} prompts: {changed[:5]}"
    limit = MIN_WITH_AVX512_KERNELS if forced else MIN_SCHEDULE_OVER_LEGACY
    floor_gate("schedule_over_legacy_x", legacy_s / fast_s, limit, "x", "CPU schedule over the legacy path")
