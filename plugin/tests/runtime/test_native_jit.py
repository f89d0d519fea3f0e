"""plugin.runtime.native_jit: MLX's run-time kernels built with this machine's flags give the same bits."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from typing import Any

import pytest

from plugin.runtime import native_jit

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or not native_jit.X86_64 or shutil.which(native_jit.COMPILER) is None,
    reason="x86-64 Linux with g++ only",
)


@pytest.fixture
def folder() -> Any:
    """The set-up in use: where it applies, a set-up that quietly stayed off fails here."""
    if os.environ.get(native_jit.ENV_VAR) == "0":
        pytest.skip(f"{native_jit.ENV_VAR}=0")
    found = native_jit.enable()
    assert found is not None, f"{native_jit.COMPILER} refused {' '.join(native_jit.FLAGS)}, or the temp folder is unusable"
    return found


# SwiGLU as mlx-lm compiles it (forward and the backward pass training runs), and the compiled exp of
# plugin.runtime.attention, on the same seeded inputs.
PROBE = """
import hashlib
from plugin.runtime.blas import import_mlx
mx = import_mlx()
from mlx_lm.models.activations import swiglu
from plugin.runtime.attention import logsumexp, softmax
mx.random.seed(0)
g, u = mx.random.normal((96, 1536)) * 6, mx.random.normal((96, 1536))
x = mx.random.normal((96, 4099)) * 30
_, grads = mx.vjp(swiglu, [g, u], [mx.random.normal((96, 1536))])
outs = [swiglu(g, u), *grads, softmax(x), logsumexp(x, axis=-1)]
mx.eval(outs)
print(hashlib.sha256(b"".join(bytes(memoryview(o)) for o in outs)).hexdigest())
"""


def _probe(env: dict[str, str] | None) -> str:
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_enabled_here_with_the_flags(folder) -> None:
    wrapper = (folder / "bin" / native_jit.COMPILER).read_text()
    assert all(flag in wrapper for flag in native_jit.FLAGS)
    assert native_jit.active() == folder and os.environ["TMPDIR"] == str(folder / "tmp")


def test_kernels_built_with_the_flags_give_the_same_bits(folder) -> None:
    native = _probe(None)  # inherits this process's set-up
    plain = _probe(native_jit.environ_without())
    assert native == plain
    assert list((folder / "tmp").rglob("lib*.so")), "no kernel was compiled with the flags"


def test_environ_without_undoes_the_set_up(folder) -> None:
    env = native_jit.environ_without()
    assert env[native_jit.ENV_VAR] == "0" and native_jit.ACTIVE_ENV_VAR not in env
    assert str(folder / "bin") not in env["PATH"].split(os.pathsep)
    saved = os.environ[native_jit._SAVED_TMPDIR]
    assert env.get("TMPDIR", native_jit._UNSET) == saved and saved != str(folder / "tmp")


def test_off_switch_also_drops_an_inherited_set_up(folder, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PATH", "TMPDIR", native_jit.ACTIVE_ENV_VAR, native_jit._SAVED_TMPDIR):
        monkeypatch.setenv(name, os.environ[name])  # restored after the test, whatever enable() does
    monkeypatch.setenv(native_jit.ENV_VAR, "0")
    assert native_jit.enable() is None
    assert native_jit.active() is None and str(folder / "bin") not in os.environ["PATH"].split(os.pathsep)
    assert os.environ.get("TMPDIR") != str(folder / "tmp")


def test_the_comparison_sees_a_planted_fast_math(folder, tmp_path) -> None:
    """The bit comparison above can fail: the same kernels built with -ffast-math give other bits."""
    compiler = shutil.which(native_jit.COMPILER, path=native_jit.environ_without()["PATH"])
    (tmp_path / "bin").mkdir()
    (tmp_path / "tmp").mkdir()
    wrapper = tmp_path / "bin" / native_jit.COMPILER
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(str(compiler))} "$@" -march=native -ffast-math -finline-limit=100000\n')
    wrapper.chmod(0o755)
    env = native_jit.environ_without()
    env.update(PATH=f"{tmp_path / 'bin'}{os.pathsep}{env['PATH']}", TMPDIR=str(tmp_path / "tmp"))
    assert _probe(env) != _probe(native_jit.environ_without())
