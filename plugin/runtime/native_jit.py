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
(kernels compiled without the flags stay in theirs). The folder is this user's (mode 700), named after the
compiler, the flags and this CPU (kernels built for one CPU never load on another). Child processes inherit
the set-up, ``TMPDIR`` included; ``environ_without()`` gives a child MLX's default. Set ``RECIPE_NATIVE_JIT=0``
to turn it off (a process started with it also drops an inherited set-up). It applies on x86-64 Linux, where
the bits were compared; where the compiler refuses the flags, nothing changes.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import MutableMapping
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
# Where the bits were compared (plugin/tests/runtime/test_native_jit.py): MLX's x86-64 build, one vector lane.
X86_64 = platform.machine().lower() in ("x86_64", "amd64")
_SAVED_TMPDIR = "RECIPE_NATIVE_JIT_SAVED_TMPDIR"  # TMPDIR before enable(), for environ_without()
_UNSET = "(unset)"  # an environment value cannot hold a NUL
_lock = threading.Lock()
_outcome: dict[str, Path | None] = {}  # "root": the folder in use, or None; set once per process


def enable() -> Path | None:
    """Route MLX's JIT through the flagged compiler; the folder used, or None where it does not apply."""
    if os.environ.get(ENV_VAR, "1") == "0":
        _undo()  # a child of an enabled process inherits PATH and TMPDIR: off means off here too
        return None
    with _lock:
        if "root" not in _outcome:
            _outcome["root"] = _inherited() or _set_up()
        return _outcome["root"]


def active() -> Path | None:
    """The folder in use, without setting anything up."""
    found = os.environ.get(ACTIVE_ENV_VAR)
    return Path(found) if found else None


def environ_without() -> dict[str, str]:
    """This process's environment for a child that compiles as MLX does by default (a benchmark's baseline)."""
    env = dict(os.environ)
    _undo(env)
    env[ENV_VAR] = "0"
    return env


def _undo(env: MutableMapping[str, str] = os.environ) -> None:
    """Take the set-up (this process's or an inherited one) out of ``env``: its PATH entry, TMPDIR as it was."""
    root = env.pop(ACTIVE_ENV_VAR, None)
    saved = env.pop(_SAVED_TMPDIR, None)
    if not root:
        return
    env["PATH"] = os.pathsep.join(e for e in env.get("PATH", "").split(os.pathsep) if e != str(Path(root) / "bin"))
    if saved == _UNSET:
        env.pop("TMPDIR", None)
    elif saved is not None:
        env["TMPDIR"] = saved


def _inherited() -> Path | None:
    """A parent's set-up, if this process inherited one that is still in place."""
    root = active()
    if root is None:
        return None
    in_place = os.environ.get("TMPDIR") == str(root / "tmp")
    if in_place and str(root / "bin") in os.environ.get("PATH", "").split(os.pathsep) and _usable(root):
        return root
    _undo()  # stale (its folder cleaned away, or PATH or TMPDIR changed since): set up afresh
    return None


def _set_up() -> Path | None:
    if sys.platform != "linux" or not X86_64:
        return None
    found = shutil.which(COMPILER)
    if found is None:
        return None  # MLX cannot compile either
    compiler = os.path.abspath(found)
    root = Path(tempfile.gettempdir()) / f"recipe-mlx-jit-{os.getuid()}-{_digest(compiler)}"
    if not _ready(root, compiler):
        return None
    os.environ.setdefault(_SAVED_TMPDIR, os.environ.get("TMPDIR", _UNSET))
    os.environ["PATH"] = os.pathsep.join((str(root / "bin"), os.environ.get("PATH", os.defpath)))
    os.environ["TMPDIR"] = str(root / "tmp")
    os.environ[ACTIVE_ENV_VAR] = str(root)
    return root


def _digest(compiler: str) -> str:
    return hashlib.sha256("\0".join((compiler, *FLAGS, _cpu())).encode()).hexdigest()[:12]


def _cpu() -> str:
    """What -march=native builds for: the CPU's model and feature flags."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return ""
    return "\n".join(sorted({line for line in lines if line.startswith(("model name", "flags"))}))


def _private(root: Path) -> bool:
    """A real folder (not a link), owned by this user and writable by no one else."""
    try:
        info = os.lstat(root)
    except OSError:
        return False
    mine = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
    return mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _usable(root: Path) -> bool:
    """Private, with the wrapper in place and a writable kernel cache."""
    return _private(root) and (root / "bin" / COMPILER).is_file() and os.access(root / "tmp", os.W_OK)


def _ready(root: Path, compiler: str) -> bool:
    """The folder is usable, or is made so here if the compiler takes the flags through the wrapper."""
    if _usable(root):
        return True
    try:
        root.mkdir(mode=0o700, exist_ok=True)
        if not _private(root):  # checked before anything is written or run in it
            return False
        (root / "tmp").mkdir(exist_ok=True)
        (root / "bin").mkdir(exist_ok=True)
        staged = root / f"{COMPILER}.{os.getpid()}.{threading.get_ident()}"
        staged.write_text(f'#!/bin/sh\nexec {shlex.quote(compiler)} "$@" {" ".join(FLAGS)}\n')
        staged.chmod(0o755)
        if not _compiles(staged, root):
            staged.unlink(missing_ok=True)
            return False
        staged.replace(root / "bin" / COMPILER)  # atomic: a concurrent process sees no half-written script
    except OSError:
        return False
    return _usable(root)


def _compiles(wrapper: Path, root: Path) -> bool:
    """The wrapper runs from this folder and builds a shared library as MLX asks (a noexec /tmp fails here)."""
    source = root / f"probe.{os.getpid()}.{threading.get_ident()}.cpp"
    source.write_text('extern "C" float probe(float x) { return x * 2.0f; }\n')
    library = source.with_suffix(".so")
    try:
        result = subprocess.run(
            [str(wrapper), "-std=c++17", "-O3", "-fPIC", "-shared", str(source), "-o", str(library)],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    finally:
        source.unlink(missing_ok=True)
        library.unlink(missing_ok=True)
    return result.returncode == 0
