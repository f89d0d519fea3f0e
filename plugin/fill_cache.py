"""Fill the generation cache with everything the model suite generates, sharded across ``mlx.launch`` ranks.

    python -m plugin.fill_cache                                          # one process
    python -m training.launch -n 2 -- python -m plugin.fill_cache      # rank r generates prompts r, r+2, ...
    python -m training.launch --hostfile hosts.json -- python -m plugin.fill_cache --recipe-gen-cache /shared/cache

Each rank loads the base model and adapter the suite would test, generates its share of what the suite
generates with them (greedy: the gate scenarios, the Hypothesis property examples of the chosen Hypothesis
profile, the seed guide's cases and the golden prompts; sampled: the seed cases' seeded samples; all at the
quality gates' ``max_tokens``) and writes each output into the content-keyed cache (``plugin.runtime.gen_cache``:
one file per entry, written atomically), so a following ``pytest tests_model`` with the same options finds them
there. Left to the suite: the bare base model's answers for ``test_discrimination`` (8 prompts).  The
ranks need one cache folder: the same machine, or a shared folder on several.  The options carry the
suite's names and meanings; ``--scenarios-per-diet`` and ``--max-tokens`` exist for quick checks
(entries at another ``max_tokens`` are not the ones the suite reads).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plugin import options
from plugin.diet.errors import SuiteError
from plugin.paths import GEN_CACHE_DIR, from_root
from plugin.runtime.blas import ensure_fast_blas
from training import distributed, run_profiles


@dataclass(frozen=True)
class FillArgs:
    run_profile: str | None = None  # None: $RECIPE_PROFILE, else the backend's default, as in the suite
    model: str | None = None  # None: the run profile's
    model_cache: str | None = None
    adapter: Path | str | None = None  # None: the run profile's; options.NO_ADAPTER: the bare base model
    gen_cache: str = GEN_CACHE_DIR
    batch_size: int | None = None  # None: the quality gates'
    scenarios_per_diet: int | None = None  # None: the quality gates'
    max_tokens: int | None = None  # None: the quality gates'
    hypothesis_profile: str | None = None  # None: $HYPOTHESIS_PROFILE, else the suite's default


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m plugin.fill_cache", description=__doc__.splitlines()[0])
    p.add_argument(options.PROFILE, dest="run_profile", type=options.parse_run_profile, help="run profile (as in the suite)")
    p.add_argument(options.MODEL, dest="model", type=options.parse_model, help="base model (default: the run profile's)")
    p.add_argument(options.MODEL_CACHE, dest="model_cache", type=options.parse_dir, help="folder of the converted embedded model")
    p.add_argument(
        options.ADAPTER_PATH,
        dest="adapter",
        type=options.parse_adapter_path,
        help="adapter folder or 'none' (default: the profile's)",
    )
    p.add_argument(options.GEN_CACHE, dest="gen_cache", type=options.parse_dir, default=GEN_CACHE_DIR, help="cache folder")
    p.add_argument(options.GEN_BATCH_SIZE, dest="batch_size", type=options.parse_batch_size, help="prompts per batch")
    p.add_argument("--scenarios-per-diet", type=options.parse_batch_size, help="default: the quality gates'")
    p.add_argument("--max-tokens", type=options.parse_batch_size, help="default: the quality gates' (others: not the suite's)")
    p.add_argument("--hypothesis-profile", help="the property examples of this Hypothesis profile (as in the suite)")
    return p


def resolve_profile(name: str | None) -> run_profiles.RunProfile:
    from plugin.runtime.backend import detect_backend_name

    return run_profiles.get(name or options.run_profile_from_env() or run_profiles.default_run_profile(detect_backend_name())[0])


def base_model_path(model: str, model_cache: str | None, ranks: distributed.World) -> str:
    from plugin.runtime import embedded
    from plugin.runtime.backend import detect

    if model != embedded.MODEL_ID:
        return model
    cache = embedded.cache_dir(model_cache)
    converted = distributed.main_first(ranks, lambda: embedded.ensure_model(cache, quantized=detect().keeps_quantized))
    return str(converted.path)


def adapter_folder(given: Path | str | None, profile: run_profiles.RunProfile) -> Path | None:
    from plugin.runtime.adapter_folder import ADAPTERS, AdapterError, check_files

    if given == options.NO_ADAPTER:
        return None
    path = Path(given or profile.adapter_path)
    if not (path / ADAPTERS).is_file():
        raise AdapterError(f"no adapter at {path}: train it first, or pass {options.ADAPTER_PATH} (none: the bare base model)")
    check_files(path)
    return path


@dataclass(frozen=True)
class SuiteWork:
    """What the model suite generates with one engine: prompts once each, shortest first (a stride shares
    them evenly between ranks)."""

    greedy: list[str]
    sampled: list[str]  # each sampled ``seed_samples`` times at the seed's temperature


def suite_work(engine: Any, scenarios_per_diet: int, property_examples: int) -> SuiteWork:
    from plugin.diet import DIET_CHOICES, DIETS
    from plugin.diet.scenarios import gate_scenarios
    from plugin.diet.suite_cases import GOLDEN, SAMPLED_CASES, SEED_CASES, SEED_PROMPT, seed_case_scenario
    from plugin.properties import property_scenarios

    scenarios = gate_scenarios(scenarios_per_diet * len(DIET_CHOICES))
    for diet in DIETS:
        scenarios += property_scenarios(diet, property_examples)
    scenarios += [SEED_PROMPT, *(seed_case_scenario(d, f, a) for _, d, f, a in SEED_CASES), *GOLDEN]
    return SuiteWork(
        _shortest_first(engine.render(s) for s in scenarios), _shortest_first(engine.render(s) for s in SAMPLED_CASES.values())
    )


def _shortest_first(prompts: Any) -> list[str]:
    return sorted(dict.fromkeys(prompts), key=lambda p: (len(p), p))


def hypothesis_profile(given: str | None) -> str:
    from plugin import hypothesis_profiles

    return given or os.environ.get(hypothesis_profiles.ENV_VAR) or hypothesis_profiles.DEFAULT


def fill(args: FillArgs, say: Any = print) -> int:
    """Generate this rank's share of the suite's generations into the cache; returns how many it generated."""
    from plugin.quality_gates import load_quality_gates
    from plugin.runtime import gen_cache
    from plugin.runtime.generation import SEED_TEMPERATURE, RecipeEngine, Sampling

    ranks = distributed.world()
    profile = resolve_profile(args.run_profile)
    gates = load_quality_gates(profile.name)
    base = base_model_path(args.model or profile.model, args.model_cache, ranks)
    adapter = adapter_folder(args.adapter, profile)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    cache = gen_cache.GenCache(from_root(args.gen_cache))
    engine = RecipeEngine.load(base, adapter, cache, args.batch_size or gates.batch_size)
    work = suite_work(
        engine,
        args.scenarios_per_diet or gates.scenarios_per_diet,
        gates.examples_for(hypothesis_profile(args.hypothesis_profile)),
    )
    greedy, sampled = work.greedy[ranks.rank :: ranks.size], work.sampled[ranks.rank :: ranks.size]
    max_tokens = args.max_tokens or gates.max_tokens
    tic = time.perf_counter()
    engine.generate(greedy, Sampling(temperature=0.0, max_tokens=max_tokens))
    for prompt in sampled:
        engine.samples(prompt, Sampling(SEED_TEMPERATURE, max_tokens), gates.seed_samples)
    generated = cache.stats.misses
    print(
        ranks.tag(
            f"{len(greedy)} of {len(work.greedy)} greedy prompts, {len(sampled)} of {len(work.sampled)} sampled "
            f"({gates.seed_samples} samples each): {generated} generated, {cache.stats.hits} already cached "
            f"({time.perf_counter() - tic:.1f} s)"
        ),
        flush=True,
    )
    distributed.barrier(ranks)
    if ranks.is_main:
        say(f"✅ the model suite's generations for run profile {profile.name} cached in {cache.root} ({ranks.size} ranks)")
    return generated


def main(argv: list[str] | None = None) -> int:
    ensure_fast_blas()
    args = FillArgs(**vars(build_parser().parse_args(argv)))
    ranks = distributed.world()
    distributed.quiet_other_ranks(ranks)
    try:
        fill(args)
    except SuiteError as exc:  # a missing adapter, bad quality gates, a model that cannot be converted
        distributed.print_error(ranks, str(exc))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
