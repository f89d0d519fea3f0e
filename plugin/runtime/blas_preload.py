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

ENV_VAR = "RECIPE_BLAS"  # a library path, or OFF to keep MLX's bundled reference BLAS
OFF = "off"
HOOK_MODULE = "recipe_blas_preload"  # the name this file's copy has in the venv's site-packages

loaded: str | None = None  # what preload() loaded in this process, for the entry points' report


def requested() -> str:
    """``$RECIPE_BLAS`` as given (stripped): a path, OFF, or '' for the best candidate."""
    return os.environ.get(ENV_VAR, "").strip()


def is_off() -> bool:
    return requested().lower() == OFF


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


def load(path: str) -> None:
    """Load ``path`` with global symbols, so ``libmlx.so``'s ``sgemm_`` resolves to it (OSError if it cannot)."""
    if "mkl" in path:
        # Without intel-openmp, MKL needs the GNU OpenMP runtime shipped with gcc.
        os.environ.setdefault("MKL_THREADING_LAYER", "GNU")
    ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)


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
    except OSError:
        return
    loaded = path
