"""MLX's run-time compiled CPU kernels, built for this machine's vector units (Linux).

MLX compiles each fused element-wise graph (``mx.compile``: mlx-lm's SwiGLU, the softmax of
``plugin.runtime.attention``) when it first runs, with ``g++ -std=c++17 -O3 -fPIC -shared`` and no target
flags. On x86 that leaves its ``exp`` scalar, calling libm's ``fmaf`` six times an element: mlx-lm's
SwiGLU took 14 ns an element here. With the flags below GCC inlines ``exp`` and vectorizes the loop
(0.4 ns an element), and every result stays bit-identical:

- ``-march=native``: the machine's vector units, and its FMA instruction for the ``std::fma`` that MLX
  writes (correctly rounded, as libm's ``fmaf`` is);
- ``-ffp-contract=off``: no other multiply and add fused, so no other rounding changes;
- ``-fno-trapping-math -fno-math-errno``: both sides of MLX's ``select`` may be computed, so the loop has no
  branch (MLX reads no floating-point flag and no ``errno``);
- ``-fno-semantic-interposition -finline-limit=100000``: MLX's ``exp`` template is inlined into the loop.

MLX runs ``g++`` through the shell and caches each kernel by name under ``$TMPDIR/mlx/<version>/cpu``, so a
folder with a ``g++`` that adds the flags goes first on ``PATH``, and ``TMPDIR`` names a cache of its own
(kernels compiled without the flags stay in theirs). Set ``RECIPE_NATIVE_JIT=0`` to turn it off.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ENV_VAR = "RECIPE_NATIVE_JIT"  # "0": MLX compiles as it does by default
ACTIVE_ENV_VAR = "RECIPE_NATIVE_JIT_DIR"  # set once enabled; child processes inherit the set-up
FLAGS = (
    "-march=native",
    "-ffp-contract=off",
    "-fno-trapping-math",
    "-fno-math-errno",
    "-fno-semantic-interposition",
    "-finline-limit=100000",
)
COMPILER = "g++"  # the command MLX's JIT runs
_CHANGED = ("PATH", "TMPDIR")  # what enable() changes; their values before it travel in _SAVED_PREFIX variables
_SAVED_PREFIX = "RECIPE_NATIVE_JIT_SAVED_"
_UNSET = "(unset)"  # an environment value cannot hold a NUL


def enable() -> Path | None:
    """Route MLX's JIT through the flagged compiler; the folder used, or None where it does not apply."""
    if active := os.environ.get(ACTIVE_ENV_VAR):
        return Path(active)
    if os.environ.get(ENV_VAR, "1") == "0" or sys.platform != "linux":
        return None
    compiler = shutil.which(COMPILER)
    if compiler is None:
        return None  # MLX cannot compile either
    root = Path(tempfile.gettempdir()) / f"recipe-mlx-jit-{_digest(compiler)}"
    if not _ready(root, compiler):
        return None
    for name in _CHANGED:
        os.environ.setdefault(_SAVED_PREFIX + name, os.environ.get(name, _UNSET))
    os.environ["PATH"] = f"{root / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ["TMPDIR"] = str(root / "tmp")
    os.environ[ACTIVE_ENV_VAR] = str(root)
    return root


def environ_without() -> dict[str, str]:
    """This process's environment for a child that compiles as MLX does by default (a benchmark's baseline)."""
    env = dict(os.environ)
    for name in _CHANGED:
        saved = env.pop(_SAVED_PREFIX + name, None)
        if saved == _UNSET:
            env.pop(name, None)
        elif saved is not None:
            env[name] = saved
    env.pop(ACTIVE_ENV_VAR, None)
    env[ENV_VAR] = "0"
    return env


def _digest(compiler: str) -> str:
    return hashlib.sha256("\0".join((compiler, *FLAGS)).encode()).hexdigest()[:12]


def _ready(root: Path, compiler: str) -> bool:
    """The wrapper and cache folders exist and the compiler takes the flags (checked once per folder)."""
    wrapper = root / "bin" / COMPILER
    if wrapper.is_file() and (root / "tmp").is_dir():
        return True
    try:
        (root / "tmp").mkdir(parents=True, exist_ok=True)
        if not _flags_work(compiler, root):
            return False
        script = f'#!/bin/sh\nexec "{compiler}" "$@" {" ".join(FLAGS)}\n'
        staged = root / f"{COMPILER}.{os.getpid()}"
        staged.write_text(script)
        staged.chmod(0o755)
        wrapper.parent.mkdir(exist_ok=True)
        staged.replace(wrapper)  # atomic: a concurrent process sees no half-written script
    except OSError:
        return False
    return True


def _flags_work(compiler: str, root: Path) -> bool:
    source = root / f"probe.{os.getpid()}.cpp"
    source.write_text('extern "C" float probe(float x) { return x * 2.0f; }\n')
    try:
        result = subprocess.run(
            [compiler, "-std=c++17", "-O3", "-fPIC", "-shared", str(source), "-o", str(source.with_suffix(".so")), *FLAGS],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        source.unlink(missing_ok=True)
        source.with_suffix(".so").unlink(missing_ok=True)
    return result.returncode == 0
