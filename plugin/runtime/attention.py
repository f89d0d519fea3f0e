"""Attention, softmax and log-sum-exp for CPU generation: faster, and bit-identical to MLX's own.

- **Grouped decode attention.** At one query token, MLX's CPU attention makes one 1-row matrix product per
  (sequence, query head); the query heads that share a key-value head go into one product instead (a
  third of the BLAS calls, the same dot products).
- **Softmax and log-sum-exp with a compiled exp.** MLX's CPU ``softmax`` and ``logsumexp`` call a scalar
  ``exp`` (9-10 ns an element here); the same arithmetic written as MLX ops puts the exponentials in a
  kernel that ``mx.compile`` builds, which ``plugin.runtime.native_jit`` vectorizes (0.4 ns). Same order of
  operations: the maximum, ``exp(x - max)``, a sum left to right, then ``* (1 / sum)`` (softmax) or
  ``log(sum) + max`` (log-sum-exp).

Each is checked against MLX's own in ``plugin/tests/runtime/test_attention.py``, bit for bit; the generation
benchmark compares every output of a full run as well.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any

from plugin.runtime.blas import import_mlx
from plugin.runtime.native_jit import X86_64

# Measured bit-identical on MLX's x86-64 CPU build, whose vector width is one lane; elsewhere (NEON's four
# lanes sum in another order) the patches below leave MLX's own functions in place.
BIT_IDENTICAL_HERE = X86_64
SDPA = "scaled_dot_product_attention"  # what mlx-lm's model modules import from models.base and call
GENERATE_MODULE = "mlx_lm.generate"  # its batch generator normalizes each step's logits with mx.logsumexp

_compiled: dict[str, Callable[..., Any]] = {}


def _shifted_exp() -> Callable[..., Any]:
    if "exp" not in _compiled:
        mx = import_mlx()
        _compiled["exp"] = mx.compile(lambda x, m: mx.exp(x - m), shapeless=True)  # one trace for every length
    return _compiled["exp"]


def softmax(x: Any) -> Any:
    """``mx.softmax(x, axis=-1, precise=True)`` for float32 on the CPU, bit for bit."""
    mx = import_mlx()
    e = _shifted_exp()(x, mx.max(x, axis=-1, keepdims=True))
    return e * mx.reciprocal(mx.sum(e, axis=-1, keepdims=True))


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:
    """``mx.logsumexp`` over the last axis for float32 on the CPU, bit for bit; any other call goes to MLX's own."""
    mx = import_mlx()
    if axis not in (-1, x.ndim - 1) or x.dtype != mx.float32 or kwargs:
        return mx.logsumexp(x, axis=axis, keepdims=keepdims, **kwargs)
    m = mx.max(x, axis=-1, keepdims=True)
    out = mx.where(mx.isinf(m), m, mx.log(mx.sum(_shifted_exp()(x, m), axis=-1, keepdims=True)) + m)
    return out if keepdims else out.squeeze(-1)


def attention(queries: Any, keys: Any, values: Any, scale: float, mask: Any, grouped: bool = True) -> Any:
    """MLX's CPU attention (the fallback of ``mx.fast.scaled_dot_product_attention``) with the softmax above.

    One query token: the grouped products (``grouped``) or MLX's. Several: MLX's products, its mask and the
    softmax above. Returns None where the result would not be bit-identical (not float32, a quantized
    cache, no grouped heads, a mask that is neither boolean nor float32), and the caller computes it as before.
    """
    mx = import_mlx()
    if not all(isinstance(a, mx.array) and a.dtype == mx.float32 for a in (queries, keys, values)):
        return None
    batch, heads, length, dim = queries.shape
    kv_heads = keys.shape[1]
    if heads == kv_heads or heads % kv_heads:
        return None
    if mask is not None and not (isinstance(mask, mx.array) and mask.dtype in (mx.bool_, mx.float32) and mask.ndim == 4):
        return None
    if mask is not None and (mask.shape[1] != 1 or mask.shape[2] != length):
        return None  # a per-head mask, or one broadcast over the queries
    repeats = heads // kv_heads
    q = queries * mx.array(scale, queries.dtype)
    if length == 1 and grouped:
        q = q.reshape(batch, kv_heads, repeats, dim)
        scores = q @ keys.swapaxes(-1, -2)  # (batch, kv heads, query heads per kv head, keys)
        weights = softmax(_masked(scores, mask))  # a (batch, 1, 1, keys) mask broadcasts as it is
        return (weights @ values).reshape(batch, heads, 1, values.shape[-1])
    q = mx.unflatten(q, 1, (kv_heads, repeats))
    k, v = mx.expand_dims(keys, 2), mx.expand_dims(values, 2)
    scores = q @ k.swapaxes(-1, -2)  # (batch, kv heads, query heads per kv head, queries, keys)
    weights = softmax(_masked(scores, mask if mask is None else mx.expand_dims(mask, 2)))
    return mx.flatten(weights @ v, 1, 2)


def _masked(scores: Any, mask: Any) -> Any:
    mx = import_mlx()
    if mask is None:
        return scores
    if mask.dtype == mx.bool_:  # as MLX: the type's lowest value, not -inf (a fully masked row stays finite)
        return mx.where(mask, scores, mx.array(mx.finfo(scores.dtype).min, scores.dtype))
    return scores + mask


# --- patches, undone when the last user leaves -------------------------------------------------------------

_patch_lock = threading.Lock()
_patched: dict[tuple[str, str], tuple[Any, int]] = {}  # (module, attribute) -> (original, users)


@contextlib.contextmanager
def _patch(module: types.ModuleType, attribute: str, make: Callable[[Any], Any]) -> Iterator[None]:
    key = (module.__name__, attribute)
    with _patch_lock:
        original, users = _patched.get(key, (getattr(module, attribute), 0))
        if users == 0:
            setattr(module, attribute, make(original))
        _patched[key] = (original, users + 1)
    try:
        yield
    finally:
        with _patch_lock:
            original, users = _patched.pop(key)
            if users == 1:
                setattr(module, attribute, original)
            else:
                _patched[key] = (original, users - 1)


@contextlib.contextmanager
def fast_attention(model: Any) -> Iterator[None]:
    """Within the block, ``model``'s module computes attention with ``attention`` where it applies."""
    module = sys.modules.get(type(model).__module__)
    if module is None or not callable(getattr(module, SDPA, None)) or not BIT_IDENTICAL_HERE:
        yield
        return
    with _patch(module, SDPA, _attention_with_fallback):
        yield


def _attention_with_fallback(original: Callable[..., Any]) -> Callable[..., Any]:
    def sdpa(queries: Any, keys: Any, values: Any, cache: Any = None, scale: float = 1.0, mask: Any = None, **kw: Any) -> Any:
        extras = any(value is not None for value in kw.values())  # attention sinks: MLX's own
        out = None if hasattr(cache, "bits") or extras else attention(queries, keys, values, scale, mask)
        return out if out is not None else original(queries, keys, values, cache=cache, scale=scale, mask=mask, **kw)

    sdpa.__wrapped__ = original  # type: ignore[attr-defined]
    return sdpa


class _MlxWithFastLogsumexp(types.ModuleType):
    """``mlx.core`` as mlx-lm's generate module sees it, with ``logsumexp`` above."""

    def __init__(self, mx: types.ModuleType) -> None:
        super().__init__(mx.__name__)
        self._mx = mx
        self.logsumexp = logsumexp

    def __getattr__(self, name: str) -> Any:
        return getattr(self._mx, name)


@contextlib.contextmanager
def fast_logsumexp() -> Iterator[None]:
    """Within the block, mlx-lm's batch generator normalizes each step's logits with ``logsumexp`` above."""
    import_mlx()
    import mlx_lm.generate  # noqa: F401  (the package re-exports a function of the same name)

    if not BIT_IDENTICAL_HERE:
        yield
        return
    with _patch(sys.modules[GENERATE_MODULE], "mx", _MlxWithFastLogsumexp):
        yield
