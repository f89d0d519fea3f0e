"""plugin.runtime.native_jit: MLX's run-time kernels built with this machine's flags give the same bits."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from plugin.runtime import native_jit

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or shutil.which(native_jit.COMPILER) is None, reason="Linux with g++ only"
)

# SwiGLU as mlx-lm compiles it, and the compiled exp of plugin.runtime.attention, on the same seeded inputs.
PROBE = """
import hashlib
from plugin.runtime.blas import import_mlx
mx = import_mlx()
from mlx_lm.models.activations import swiglu
from plugin.runtime.attention import logsumexp, softmax
mx.random.seed(0)
g, u = mx.random.normal((96, 1536)) * 6, mx.random.normal((96, 1536))
x = mx.random.normal((96, 4099)) * 30
outs = [swiglu(g, u), softmax(x), logsumexp(x)]
mx.eval(outs)
print(hashlib.sha256(b"".join(bytes(memoryview(o)) for o in outs)).hexdigest())
"""


def _probe(env: dict[str, str] | None) -> str:
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_enabled_here_with_the_flags() -> None:
    folder = native_jit.enable()
    assert folder is not None
    wrapper = (folder / "bin" / native_jit.COMPILER).read_text()
    assert all(flag in wrapper for flag in native_jit.FLAGS)


def test_kernels_built_with_the_flags_give_the_same_bits() -> None:
    folder = native_jit.enable()
    assert folder is not None
    native = _probe(None)  # inherits this process's set-up
    plain = _probe(native_jit.environ_without())
    assert native == plain
    assert list((folder / "tmp").rglob("lib*.so")), "no kernel was compiled with the flags"


def test_environ_without_restores_what_enable_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    env = native_jit.environ_without()
    assert env[native_jit.ENV_VAR] == "0" and native_jit.ACTIVE_ENV_VAR not in env
    assert not any(key.startswith("RECIPE_NATIVE_JIT_SAVED_") for key in env)
    assert str(native_jit.enable()) not in env.get("PATH", "") + env.get("TMPDIR", "")


def test_off_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(native_jit.ACTIVE_ENV_VAR, raising=False)
    monkeypatch.setenv(native_jit.ENV_VAR, "0")
    assert native_jit.enable() is None
