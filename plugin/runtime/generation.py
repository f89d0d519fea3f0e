"""Batched, deterministic recipe generation through mlx-lm's ``batch_generate``."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from plugin.diet import Scenario, render_prompt
from plugin.runtime.blas import import_mlx

SEED_TEMPERATURE = 0.7  # the seed guide's sampling temperature
# Defaults when neither an option nor the quality gates say otherwise.
DEFAULT_BATCH_SIZE = 16  # prompts per batch_generate call
DEFAULT_MAX_TOKENS = 256


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.0  # 0: greedy
    max_tokens: int = DEFAULT_MAX_TOKENS

    @property
    def greedy(self) -> bool:
        return self.temperature == 0.0


def prompt_seed(prompts: Sequence[str]) -> int:
    """A seed derived from the prompts, so sampled runs repeat exactly."""
    digest = hashlib.sha256("\x00".join(prompts).encode()).digest()
    return int.from_bytes(digest[:4], "little")


def generate_batch(
    model: Any,
    tokenizer: Any,
    prompts: Sequence[str],
    sampling: Sampling,
    batch_size: int = DEFAULT_BATCH_SIZE,
    stats: list[Any] | None = None,
) -> list[str]:
    """Generate one completion per rendered prompt, ``batch_size`` at a time."""
    mx = import_mlx()
    from mlx_lm.generate import batch_generate
    from mlx_lm.sample_utils import make_sampler

    outputs: list[str] = []
    for start in range(0, len(prompts), batch_size):
        chunk = list(prompts[start : start + batch_size])
        tokens = [tokenizer.encode(p, add_special_tokens=False) for p in chunk]
        kwargs: dict[str, Any] = {"completion_batch_size": batch_size, "prefill_batch_size": batch_size}
        if not sampling.greedy:
            mx.random.seed(prompt_seed(chunk))
            kwargs["sampler"] = make_sampler(temp=sampling.temperature)
        response = batch_generate(model, tokenizer, tokens, max_tokens=sampling.max_tokens, **kwargs)
        outputs.extend(response.texts)
        if stats is not None:
            stats.append(response.stats)
    return outputs


class RecipeEngine:
    """Cached, batched generation for one base model + adapter."""

    def __init__(self, model: Any, tokenizer: Any, identity: str, cache: Any, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.model, self.tokenizer, self.identity = model, tokenizer, identity
        self.cache, self.batch_size = cache, batch_size
        self.generated_tokens = 0
        self.seconds = 0.0
        self.batch_stats: list[Any] = []  # mlx-lm's BatchStats per batch_generate call

    def _key(self, prompt: str, sampling: Sampling) -> str:
        return self.cache.key(self.identity, prompt, {"temperature": sampling.temperature, "max_tokens": sampling.max_tokens})

    def generate(self, prompts: Sequence[str], sampling: Sampling) -> list[str]:
        """Outputs in prompt order; cache misses are generated together in batches."""
        import time

        keys = [self._key(p, sampling) for p in prompts]
        unique = dict(zip(keys, prompts))  # duplicate prompts are generated once
        found = {k: self.cache.get(k) for k in unique}
        todo = [p for k, p in unique.items() if found[k] is None]
        if todo:
            tic = time.perf_counter()
            outputs = generate_batch(self.model, self.tokenizer, todo, sampling, self.batch_size, self.batch_stats)
            self.seconds += time.perf_counter() - tic
            for prompt, text in zip(todo, outputs):
                key = self._key(prompt, sampling)
                self.cache.put(key, prompt, text)
                found[key] = text
                self.generated_tokens += len(self.tokenizer.encode(text, add_special_tokens=False))
        return [str(found[k]) for k in keys]

    def samples(self, prompt: str, sampling: Sampling, k: int) -> list[str]:
        """``k`` seeded samples of one prompt (sampled together, one batch row each), cached per sample index."""
        import time

        keys = [
            self.cache.key(
                self.identity, prompt, {"temperature": sampling.temperature, "max_tokens": sampling.max_tokens, "sample": i}
            )
            for i in range(k)
        ]
        found = {key: self.cache.get(key) for key in keys}
        todo = [key for key in keys if found[key] is None]
        if todo:
            tic = time.perf_counter()
            outputs = generate_batch(
                self.model, self.tokenizer, [prompt] * len(todo), sampling, self.batch_size, self.batch_stats
            )
            self.seconds += time.perf_counter() - tic
            for key, text in zip(todo, outputs):
                self.cache.put(key, prompt, text)
                found[key] = text
                self.generated_tokens += len(self.tokenizer.encode(text, add_special_tokens=False))
        return [str(found[key]) for key in keys]

    def render(self, scenario: Scenario) -> str:
        """The scenario's prompt in this tokenizer's chat template."""
        return render_prompt(self.tokenizer, scenario)
