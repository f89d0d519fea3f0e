"""Load an optimized BLAS before ``mlx.core`` on Linux.

The Linux ``mlx-cpu`` wheel links Netlib's *reference* BLAS (about 6 GFLOP/s
on a 2-core box).  ``libmlx.so`` resolves ``sgemm_`` through the dynamic
linker, so a BLAS loaded earlier with global symbols wins and MLX's matmuls
run about 50x faster.  This only works before the first ``import mlx.core``.

``RECIPE_BLAS`` picks the library: a path, or ``off`` to keep the bundled one
(the perf suite uses ``off`` to measure the reference in a subprocess).  Where the
libraries are and how one is loaded live in ``blas_preload``, shared with the venv's
start-up hook (``blas_hook``) that does the same in every other python of the venv.
That includes the kernel choice: an inherited ``OPENBLAS_CORETYPE`` that holds a CPU's AVX-512
units back is replaced by the AVX-512 kernels (``blas_preload.core_override``;
``RECIPE_BLAS_CORE=off`` keeps it).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from plugin.diet.errors import MissingFileError
from plugin.runtime import native_jit
from plugin.runtime.blas_preload import (
    CORE_ENV_VAR,
    ENV_VAR,
    HOOK_MODULE,
    INHERITED_ENV_VAR,
    OFF,
    OPENBLAS_CORETYPE,
    candidates,
    is_off,
    load,
    replaced_core,
    requested,
)

__all__ = [
    "CORE_ENV_VAR",
    "ENV_VAR",
    "OFF",
    "BlasInfo",
    "candidates",
    "ensure_fast_blas",
    "environ_with_inherited_kernels",
    "import_mlx",
    "replaced_core",
]


@dataclass(frozen=True)
class BlasInfo:
    name: str
    path: str | None
    note: str

    def describe(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.name}{where}: {self.note}"


_state: dict[str, BlasInfo] = {}


def _name_of(path: str) -> str:
    if "mkl" in path:
        return "mkl"
    return "openblas-pthread" if "pthread" in path else "openblas"


def openblas_core(path: str) -> str | None:
    """The kernel set the OpenBLAS at ``path`` runs (``openblas_get_corename``); None for another BLAS."""
    try:
        corename = ctypes.CDLL(path).openblas_get_corename
    except (OSError, AttributeError):
        return None
    corename.restype = ctypes.c_char_p
    name = corename()
    return name.decode() if name else None


def _kernels(path: str) -> str:
    core = openblas_core(path)
    if core is None:
        return ""
    if forced := replaced_core():
        kept = f"{CORE_ENV_VAR}={OFF} keeps it"
        return f"; {core} kernels (this CPU has AVX-512: inherited {OPENBLAS_CORETYPE}={forced[1]} replaced; {kept})"
    return f"; {core} kernels"


def _load(path: str) -> BlasInfo:
    load(path)
    return BlasInfo(_name_of(path), path, "preloaded with global symbols" + _kernels(path))


def _loaded_at_start_up() -> BlasInfo | None:
    """What the venv's start-up hook (``plugin.runtime.blas_hook``) preloaded, if it ran in this process."""
    path = getattr(sys.modules.get(HOOK_MODULE), "loaded", None)
    if not path:
        return None
    return BlasInfo(_name_of(path), path, "preloaded at interpreter start-up (the venv's hook)" + _kernels(path))


def environ_with_inherited_kernels(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``environ`` (default: this process's) for a child whose OpenBLAS runs the kernels this process inherited."""
    env = dict(os.environ if environ is None else environ)
    if replaced := replaced_core(env):
        env[OPENBLAS_CORETYPE] = replaced[1]
        del env[INHERITED_ENV_VAR]
    env[CORE_ENV_VAR] = OFF
    return env


def _choose() -> BlasInfo:
    if sys.platform == "darwin":
        return BlasInfo("accelerate", None, "MLX uses Apple Accelerate/Metal")
    if sys.platform != "linux":
        return BlasInfo("bundled", None, f"no preload on {sys.platform}")
    if is_off():
        return BlasInfo("reference", None, f"bundled Netlib BLAS ({ENV_VAR}={OFF})")
    if at_start_up := _loaded_at_start_up():
        return at_start_up  # loading it again would change nothing, its kernels included
    if "mlx.core" in sys.modules:
        return BlasInfo("reference", None, "mlx.core was imported before the preload; run scripts/setup.sh")
    if path := requested():
        if not os.path.exists(path):
            raise MissingFileError(f"{ENV_VAR}={path}: no such file")
        return _load(path)
    found = candidates()
    if not found:
        return BlasInfo(
            "reference",
            None,
            "no optimized BLAS found (slow): `apt-get install libopenblas0-pthread` or `pip install mkl`",
        )
    return _load(found[0])


def ensure_fast_blas() -> BlasInfo:
    """Preload the best BLAS once per process; safe to call many times."""
    if "info" not in _state:
        _state["info"] = _choose()
    return _state["info"]


def import_mlx():
    """Import ``mlx.core`` after the BLAS preload (and with ``native_jit`` set up); use instead of a bare import."""
    ensure_fast_blas()
    native_jit.enable()
    import mlx.core as mx

    return mx
