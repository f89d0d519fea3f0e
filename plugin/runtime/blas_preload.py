"""Where the optimized BLAS is and how it is preloaded: stdlib only, importing nothing of the project.

Two users: ``plugin.runtime.blas`` (the project's entry points) and the virtualenv's start-up
hook, which runs a verbatim copy of this file in *every* interpreter started from the venv
(``plugin.runtime.blas_hook`` installs it). So this module must stay cheap to import, import
no project module (the copy lives outside the repository) and never raise at start-up.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping

ENV_VAR = "RECIPE_BLAS"  # a library path, or OFF to keep MLX's bundled reference BLAS
OFF = "off"
HOOK_MODULE = "recipe_blas_preload"  # the name this file's copy has in the venv's site-packages
# OFF keeps an inherited OPENBLAS_CORETYPE even where it holds this CPU's AVX-512 units back (core_override).
CORE_ENV_VAR = "RECIPE_BLAS_CORE"
OPENBLAS_CORETYPE = "OPENBLAS_CORETYPE"  # OpenBLAS reads it once, when the library is loaded
# The value core_override replaced, exported with the new one so that child processes report it, give it back under
# RECIPE_BLAS_CORE=off and hand it to a benchmark's baseline (plugin.runtime.blas.environ_with_inherited_kernels).
INHERITED_ENV_VAR = "RECIPE_BLAS_CORE_INHERITED"
AVX512_CORE = "SKYLAKEX"
AVX512_CORES = ("SKYLAKEX", "COOPERLAKE", "SAPPHIRERAPIDS")  # OpenBLAS's x86-64 kernel sets that use AVX-512
AVX512_FLAGS = ("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")  # what the SkylakeX kernels use
CPUINFO = "/proc/cpuinfo"

loaded: str | None = None  # what preload() loaded in this process, for the entry points' report


def requested() -> str:
    """``$RECIPE_BLAS`` as given (stripped): a path, OFF, or '' for the best candidate."""
    return os.environ.get(ENV_VAR, "").strip()


def is_off() -> bool:
    return requested().lower() == OFF


def core_off(environ: Mapping[str, str] | None = None) -> bool:
    """``RECIPE_BLAS_CORE=off``: keep the inherited ``OPENBLAS_CORETYPE``."""
    return (os.environ if environ is None else environ).get(CORE_ENV_VAR, "").strip().lower() == OFF


def _debian_candidates() -> list[str]:
    arch = f"{os.uname().machine}-linux-gnu"  # os, not platform: one import less at every start-up
    return [
        f"/usr/lib/{arch}/openblas-pthread/libblas.so.3",
        f"/usr/lib/{arch}/libopenblas.so.0",
    ]


def _mkl_candidates() -> list[str]:
    # Imported here: the start-up hook never searches, and every interpreter start pays for its imports.
    import glob
    import sysconfig
    from pathlib import Path

    libdir = Path(sysconfig.get_config_var("LIBDIR") or "")
    prefix_lib = Path(sys.prefix) / "lib"
    return sorted({*glob.glob(str(prefix_lib / "libmkl_rt.so*")), *glob.glob(str(libdir / "libmkl_rt.so*"))})


def candidates() -> list[str]:
    """Optimized BLAS libraries to try, best first (OpenBLAS, then MKL)."""
    return [p for p in _debian_candidates() + _mkl_candidates() if os.path.exists(p)]


def _first_cpu(cpuinfo: str) -> dict[str, str]:
    """The first processor's ``key: value`` lines of ``/proc/cpuinfo`` (all processors are alike)."""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        if not line.strip():
            if fields:
                break
            continue
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def core_override(
    path: str, environ: dict[str, str] | None = None, cpuinfo: str | None = None, machine: str | None = None
) -> str | None:
    """The kernel set to ask the OpenBLAS at ``path`` for, or None to leave its choice as it is.

    An inherited ``OPENBLAS_CORETYPE`` naming a kernel set without AVX-512 (this machine's image sets
    ``Haswell``, a choice every x86-64 host of a mixed fleet can run) on a CPU that has the AVX-512 units the
    SkylakeX kernels use is replaced by ``SKYLAKEX``: on this project's 2-core AMD EPYC fp32 matmul goes from
    222 to 400 GFLOP/s (1 thread: 127 to 232), and OpenBLAS left to itself picks such kernels here too. The
    CPU's flags are checked first, so the kernels never meet a CPU that lacks their instructions.
    ``RECIPE_BLAS_CORE=off`` keeps the inherited value; an unset or AVX-512 value is never touched.
    """
    env = os.environ if environ is None else environ
    if "mkl" in path or core_off(env):
        return None
    inherited = env.get(OPENBLAS_CORETYPE, "").strip()
    if not inherited or inherited.upper() in AVX512_CORES:
        return None
    if (machine or os.uname().machine) != "x86_64":
        return None
    if cpuinfo is None:
        try:
            with open(CPUINFO, encoding="ascii", errors="replace") as fh:
                cpuinfo = fh.read(65536)  # the first processor's block is well inside
        except OSError:
            return None
    flags = set(_first_cpu(cpuinfo).get("flags", "").split())
    return AVX512_CORE if flags.issuperset(AVX512_FLAGS) else None


def replaced_core(environ: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(kernel set, inherited value) where a preload in this process or a parent replaced ``OPENBLAS_CORETYPE``."""
    env = os.environ if environ is None else environ
    inherited = env.get(INHERITED_ENV_VAR, "").strip()
    current = env.get(OPENBLAS_CORETYPE, "").strip()
    return (current, inherited) if inherited and current.upper() == AVX512_CORE else None


def load(path: str) -> None:
    """Load ``path`` with global symbols, so ``libmlx.so``'s ``sgemm_`` resolves to it (OSError if it cannot).

    OpenBLAS's kernel set goes into the environment first (``core_override``; under ``RECIPE_BLAS_CORE=off`` a
    value a parent replaced is given back); a failed load leaves the environment as it found it.
    """
    if "mkl" in path:
        # Without intel-openmp, MKL needs the GNU OpenMP runtime shipped with gcc.
        os.environ.setdefault("MKL_THREADING_LAYER", "GNU")
    before = {k: os.environ.get(k) for k in (OPENBLAS_CORETYPE, INHERITED_ENV_VAR)}
    if (replaced := replaced_core()) and core_off():
        os.environ[OPENBLAS_CORETYPE] = replaced[1]
        del os.environ[INHERITED_ENV_VAR]
    elif core := core_override(path):
        os.environ[INHERITED_ENV_VAR] = os.environ[OPENBLAS_CORETYPE]
        os.environ[OPENBLAS_CORETYPE] = core  # before the load: OpenBLAS picks its kernels in its constructor
    try:
        ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    except OSError:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        raise


def preload(located: str) -> None:
    """The start-up hook: load ``$RECIPE_BLAS`` or the library the set-up located, unless it is off.

    Silent by design: it runs before every program in the venv, and a missing library only
    means MLX keeps its reference BLAS (the entry points still report and explain that).
    """
    global loaded
    if sys.platform != "linux" or is_off():
        return
    path = requested() or located
    try:
        load(path)
    except Exception:  # noqa: BLE001 -- a start-up hook must never stop an interpreter from starting
        return
    loaded = path
