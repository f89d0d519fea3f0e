"""Batched, deterministic recipe generation through mlx-lm's batch generator.

Greedy generation on the CPU runs the ``CPU_GREEDY`` schedule (issue 13, item 5). No part of it changes a
token, so the generation cache (keyed on model, prompt, temperature and max_tokens only) stays valid:
``tests_perf/test_generation_speed.py`` generates the same prompts with it and, in a subprocess with MLX's
default kernels, with ``LEGACY`` (the path before it), compares every output and gates the speed ratio.

- **Two streams.** MLX runs an op on one thread; only the BLAS calls use both cores, so one stream leaves a
  core idle during all other work. Two MLX CPU streams, one Python thread each, each decode their own batch.
- **One BLAS thread per stream** while they run: two streams on OpenBLAS's two threads each oversubscribe
  the two cores (measured 1.07x over the legacy path instead of 1.4x).
- **Continuous batching.** Each stream keeps ``batch_size / streams`` sequences decoding and prefills a new
  prompt (``prefill_batch_size`` at most at a time) as soon as one finishes, so its batch stays full; both
  streams take prompts from one queue, shortest first, so prefill groups carry little padding and the
  streams finish together.
- **Fast attention** (``plugin.runtime.attention``): decode attention multiplies the query heads of a
  key-value head as one matrix (a third of the BLAS calls), and attention's softmax and the batch generator's
  log-sum-exp put their exponentials in kernels that ``mx.compile`` builds, which ``plugin.runtime.native_jit``
  builds for this machine's vector units, as it does mlx-lm's SwiGLU (96 gate prompts: 113 -> 88 s). Every
  result is bit-identical to MLX's own.
- **OpenBLAS's AVX-512 kernels** where the CPU has them and an inherited ``OPENBLAS_CORETYPE`` held them back
  (``plugin.runtime.blas_preload.core_override``; not a field here: it is chosen when OpenBLAS is loaded):
  80 -> 61 s, the same 96 answers, though products of 1,536 terms round differently in their last bits.

Sampled generation keeps its chunks (``batch_size`` prompts per batch, one seed per chunk, so a run draws
the same samples again); only the fast attention applies there. Off the CPU everything runs as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from plugin.diet import Scenario, render_prompt
from plugin.runtime.attention import fast_attention, fast_logsumexp
from plugin.runtime.blas import import_mlx

SEED_TEMPERATURE = 0.7  # the seed guide's sampling temperature
# Defaults when neither an option nor the quality gates say otherwise (the cpu profile's gates set 96).
DEFAULT_BATCH_SIZE = 16  # sequences generated together (greedy on the CPU: across all streams)
DEFAULT_MAX_TOKENS = 256


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.0  # 0: greedy
    max_tokens: int = DEFAULT_MAX_TOKENS

    @property
    def greedy(self) -> bool:
        return self.temperature == 0.0


@dataclass(frozen=True)
class Schedule:
    """How a batch of prompts is run on the machine. No field changes an output."""

    streams: int = 1  # MLX streams, one thread each, sharing the prompts (continuous only)
    continuous: bool = False  # keep each stream's batch full; False: batch_size prompts per batch, in order
    shortest_first: bool = False  # continuous: take prompts in order of token count
    prefill_batch_size: int | None = None  # continuous: prompts prefilled together at most (None: the batch)
    blas_threads: int | None = None  # BLAS threads while generating (None: leave them)
    fast_attention: bool = False  # plugin.runtime.attention: grouped decode products, softmax/logsumexp compiled


LEGACY = Schedule()  # the path before issue 13: batch_size prompts per batch_generate call
CPU_GREEDY = Schedule(
    streams=2,
    continuous=True,
    shortest_first=True,
    prefill_batch_size=16,
    blas_threads=1,
    fast_attention=True,
)
CPU_SAMPLED = Schedule(fast_attention=True)  # sampled: the same chunks and seeds as before


def default_schedule(sampling: Sampling) -> Schedule:
    from plugin.runtime.backend import detect_backend_name

    if detect_backend_name() != "cpu":
        return LEGACY
    return CPU_GREEDY if sampling.greedy else CPU_SAMPLED


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
    schedule: Schedule | None = None,
) -> list[str]:
    """One completion per rendered prompt, in prompt order; ``stats`` collects mlx-lm's BatchStats."""
    schedule = schedule or default_schedule(sampling)
    if stats is None:
        stats = []
    with _fast_attention(model, schedule.fast_attention):
        if sampling.greedy and schedule.continuous:
            tokens = [tokenizer.encode(p, add_special_tokens=False) for p in prompts]
            ids = _generate_continuous(model, tokenizer, tokens, sampling.max_tokens, batch_size, schedule, stats)
            return [tokenizer.decode(t) for t in ids]
        with blas_threads(schedule.blas_threads):
            return _generate_chunks(model, tokenizer, prompts, sampling, batch_size, stats)


@contextlib.contextmanager
def _fast_attention(model: Any, enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    with fast_attention(model), fast_logsumexp():
        yield


def _generate_chunks(
    model: Any, tokenizer: Any, prompts: Sequence[str], sampling: Sampling, batch_size: int, stats: list[Any]
) -> list[str]:
    """``batch_size`` prompts per ``batch_generate`` call, in order (sampled: one seed per chunk)."""
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
        stats.append(response.stats)
    return outputs


class _PromptQueue:
    """Prompts waiting for a stream, and the finished generations, shared by the streams' threads."""

    def __init__(self, tokens: list[list[int]], shortest_first: bool) -> None:
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i])) if shortest_first else range(len(tokens))
        self._waiting = deque((i, tokens[i]) for i in order)
        self.generated: list[list[int] | None] = [None] * len(tokens)
        self._lock = threading.Lock()

    def take(self, n: int) -> list[tuple[int, list[int]]]:
        with self._lock:
            return [self._waiting.popleft() for _ in range(min(n, len(self._waiting)))]

    def finish(self, index: int, ids: list[int]) -> None:
        self.generated[index] = ids  # one writer per index


def _generate_continuous(
    model: Any,
    tokenizer: Any,
    tokens: list[list[int]],
    max_tokens: int,
    batch_size: int,
    schedule: Schedule,
    stats: list[Any],
) -> list[list[int]]:
    """Greedy token ids per prompt, the prompts shared by ``schedule.streams`` continuously batched streams."""
    import_mlx()
    import mlx_lm.generate  # noqa: F401  (its module-level stream belongs to this thread, not a worker)

    if not tokens:
        return []
    streams = max(1, min(schedule.streams, len(tokens)))
    limit = schedule.blas_threads
    if streams > 1 and limit is not None and _openblas_threads() is None:
        streams = 1  # BLAS threads cannot be limited: two streams would oversubscribe the cores
    _materialize(model)  # a stream may only evaluate its own thread's graphs
    queue = _PromptQueue(tokens, schedule.shortest_first)
    slots = max(1, -(-batch_size // streams))
    prefill = min(slots, schedule.prefill_batch_size or slots)
    with blas_threads(limit):
        _run_threads(streams, lambda stop: _decode_stream(model, tokenizer, queue, slots, prefill, max_tokens, stop, stats))
    generated = queue.generated
    assert all(ids is not None for ids in generated), "a stream stopped before its prompts were generated"
    return [ids or [] for ids in generated]


def _decode_stream(
    model: Any,
    tokenizer: Any,
    queue: _PromptQueue,
    slots: int,
    prefill_batch_size: int,
    max_tokens: int,
    stop: threading.Event,
    stats: list[Any],
) -> None:
    """One thread's stream: keep ``slots`` sequences decoding until the queue is empty (or ``stop``)."""
    mx = import_mlx()
    from mlx_lm.generate import BatchGenerator

    stream = mx.new_stream(mx.default_device())
    try:
        gen = BatchGenerator(
            model,
            stop_tokens=[[t] for t in tokenizer.eos_token_ids],
            completion_batch_size=slots,
            prefill_batch_size=prefill_batch_size,
            stream=stream,
        )
        active: dict[int, tuple[int, list[int]]] = {}  # uid -> (prompt index, generated ids)
        with gen.stats() as batch_stats:
            while not stop.is_set():
                if taken := queue.take(slots - len(active)):
                    uids = gen.insert([ids for _, ids in taken], [max_tokens] * len(taken))
                    active.update({uid: (index, []) for uid, (index, _) in zip(uids, taken)})
                if not active:
                    break
                for response in gen.next_generated():
                    index, ids = active[response.uid]
                    if response.finish_reason != "stop":  # as batch_generate: the stop token is not text
                        ids.append(response.token)
                    if response.finish_reason is not None:
                        del active[response.uid]
                        queue.finish(index, ids)
        gen.close()
        stats.append(batch_stats)
    finally:
        # A stream belongs to its thread: release it here, or MLX aborts at interpreter exit.
        mx.synchronize(stream)
        mx.clear_streams()


def _run_threads(n: int, work: Callable[[threading.Event], None]) -> None:
    """``work(stop)`` in ``n`` threads; the first error stops the others and is raised here."""
    errors: list[BaseException] = []
    stop = threading.Event()

    def run() -> None:
        try:
            work(stop)
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=run, name=f"recipe-generation-{i}") for i in range(n)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:  # an interrupt while waiting: the streams stop at their next step
        stop.set()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


def _materialize(model: Any) -> None:
    """Evaluate the weights (adapters load lazily) and anything a forward pass creates lazily, here."""
    mx = import_mlx()
    from mlx_lm.models.cache import make_prompt_cache

    mx.eval(model.parameters())
    mx.eval(model(mx.array([[0]]), cache=make_prompt_cache(model)))
    mx.synchronize()


# --- BLAS threads -------------------------------------------------------------------------------------------


def _openblas_threads() -> tuple[Callable[[], int], Callable[[int], None]] | None:
    """OpenBLAS's get/set of its thread count, when OpenBLAS is the BLAS loaded with global symbols."""
    import ctypes

    try:
        lib = ctypes.CDLL(None)
        return lib.openblas_get_num_threads, lib.openblas_set_num_threads
    except (OSError, AttributeError):
        return None


@contextlib.contextmanager
def blas_threads(n: int | None) -> Iterator[None]:
    """OpenBLAS on ``n`` threads within the block (no-op for None or another BLAS)."""
    control = _openblas_threads() if n is not None else None
    if control is None or n is None:
        yield
        return
    get, set_ = control
    mx = import_mlx()
    mx.synchronize()  # no BLAS call in flight while the thread count changes
    before = get()
    set_(n)
    try:
        yield
    finally:
        mx.synchronize()
        set_(before)


class RecipeEngine:
    """Cached, batched generation for one base model + adapter."""

    def __init__(self, model: Any, tokenizer: Any, identity: str, cache: Any, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.model, self.tokenizer, self.identity = model, tokenizer, identity
        self.cache, self.batch_size = cache, batch_size
        self.generated_tokens = 0
        self.seconds = 0.0
        self.batch_stats: list[Any] = []  # mlx-lm's BatchStats per batch_generate call

    @classmethod
    def load(cls, base_model_path: str, adapter: Any, cache: Any, batch_size: int) -> RecipeEngine:
        """The base model plus ``adapter`` (a folder, or None for the bare model), keyed in ``cache`` by its identity."""
        from pathlib import Path

        from mlx_lm import load

        from plugin.runtime import gen_cache

        model, tokenizer = load(base_model_path, adapter_path=str(adapter) if adapter else None)[:2]
        identity = gen_cache.identify(Path(base_model_path), adapter, tokenizer.chat_template or "").digest()
        return cls(model, tokenizer, identity, cache, batch_size)

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
