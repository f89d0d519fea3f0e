"""plugin.runtime.attention gives MLX's results bit for bit: attention at one and at several query tokens,
softmax and log-sum-exp. Plumbing of the patches on a tiny random Phi-3 with grouped-query attention."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from plugin.runtime.attention import BIT_IDENTICAL_HERE, attention, fast_attention, fast_logsumexp, logsumexp, softmax
from plugin.runtime.tiny import build_tiny_phi3

pytestmark = pytest.mark.skipif(not BIT_IDENTICAL_HERE, reason="measured bit-identical on MLX's x86-64 CPU build only")

HEADS, KV_HEADS, DIM = 9, 3, 64  # the embedded model's attention


@pytest.fixture(scope="module")
def mx() -> Any:
    from plugin.runtime.blas import import_mlx

    return import_mlx()


def _inputs(mx: Any, batch: int, queries: int, keys: int) -> tuple[Any, Any, Any, Any]:
    mx.random.seed(batch * 1000 + queries * 10 + keys)
    q = mx.random.normal((batch, HEADS, queries, DIM))
    k, v = mx.random.normal((batch, KV_HEADS, keys, DIM)), mx.random.normal((batch, KV_HEADS, keys, DIM))
    left_padding = mx.arange(batch) % 3
    causal = mx.arange(keys - queries, keys)[:, None] >= mx.arange(keys)[None]  # (queries, keys)
    mask = causal & (left_padding[:, None, None, None] <= mx.arange(keys))  # (batch, 1, queries, keys)
    return q, k, v, mask


CASES = [(3, 1, 17), (48, 1, 300), (2, 5, 5), (4, 7, 30), (8, 64, 64)]  # (batch, queries, keys)
MASKS = ["none", "boolean", "additive"]


@pytest.mark.parametrize(
    "batch,queries,keys,mask_kind",
    [(*case, kind) for case in CASES for kind in MASKS if kind != "none" or case[1] == 1],  # prefill has a mask
    ids=str,
)
def test_attention_is_mlx_bit_for_bit(mx, batch: int, queries: int, keys: int, mask_kind: str) -> None:
    q, k, v, boolean = _inputs(mx, batch, queries, keys)
    mask = {"none": None, "boolean": boolean, "additive": mx.where(boolean, 0.0, -1e9)}[mask_kind]
    expected = mx.fast.scaled_dot_product_attention(q, k, v, scale=DIM**-0.5, mask=mask)
    for grouped in (True, False):
        got = attention(q, k, v, DIM**-0.5, mask, grouped=grouped)
        assert got is not None and mx.array_equal(got, expected).item(), f"grouped={grouped}"


@pytest.mark.parametrize("length", [1, 7, 300, 49152])
def test_softmax_and_logsumexp_are_mlx_bit_for_bit(mx, length: int) -> None:
    mx.random.seed(length)
    x = mx.random.normal((6, length)) * 8
    x = mx.where(mx.random.uniform(shape=x.shape) < 0.3, -float("inf"), x)  # masked entries, as attention has
    x = mx.concatenate([mx.where(mx.arange(length) == 0, 1.0, x), mx.full((1, length), -float("inf"))])
    assert mx.array_equal(softmax(x[:-1]), mx.softmax(x[:-1], axis=-1, precise=True)).item()
    assert mx.array_equal(logsumexp(x, -1, True), mx.logsumexp(x, axis=-1, keepdims=True), equal_nan=True).item()
    assert mx.array_equal(logsumexp(x, axis=-1), mx.logsumexp(x, axis=-1), equal_nan=True).item()
    assert mx.array_equal(logsumexp(x[:-1]), mx.logsumexp(x[:-1])).item()  # no axis: MLX's own, over everything


def test_a_planted_difference_is_seen(mx) -> None:
    """The comparisons above can fail: the same softmax with ``/ sum`` instead of ``* (1 / sum)`` differs."""
    mx.random.seed(1)
    x = mx.random.normal((64, 300)) * 8
    e = mx.exp(x - mx.max(x, axis=-1, keepdims=True))
    assert not mx.array_equal(e / mx.sum(e, axis=-1, keepdims=True), mx.softmax(x, axis=-1, precise=True)).item()


def test_attention_declines_what_it_does_not_cover(mx) -> None:
    kv = mx.zeros((1, 2, 5, 8))
    same_heads = mx.zeros((1, 2, 1, 8))
    assert attention(same_heads, kv, kv, 1.0, None) is None  # no grouped heads
    half = mx.zeros((1, 4, 1, 8), dtype=mx.float16)
    assert attention(half, kv.astype(mx.float16), kv.astype(mx.float16), 1.0, None) is None
    per_head = mx.ones((1, 4, 1, 5), dtype=mx.bool_)
    assert attention(mx.zeros((1, 4, 1, 8)), kv, kv, 1.0, per_head) is None
    assert attention(mx.zeros((1, 4, 2, 8)), kv, kv, 1.0, "causal") is None  # mlx-lm's string mask


@pytest.fixture(scope="module")
def tiny_gqa(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    from mlx_lm import load

    return load(str(build_tiny_phi3(tmp_path_factory.mktemp("gqa"), seed=3, kv_heads=2)))


def test_patches_are_undone_even_when_nested(tiny_gqa) -> None:
    model, _ = tiny_gqa
    module = sys.modules[type(model).__module__]
    generate = sys.modules["mlx_lm.generate"]
    original_sdpa, original_mx = module.scaled_dot_product_attention, generate.mx
    with fast_attention(model), fast_logsumexp():
        with fast_attention(model), fast_logsumexp():
            assert module.scaled_dot_product_attention is not original_sdpa
            assert generate.mx.logsumexp is logsumexp and generate.mx.array is original_mx.array
        assert module.scaled_dot_product_attention is not original_sdpa and generate.mx is not original_mx
    assert module.scaled_dot_product_attention is original_sdpa and generate.mx is original_mx
