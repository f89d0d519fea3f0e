"""Load an optimized BLAS before ``mlx.core`` on Linux.

The Linux ``mlx-cpu`` wheel links Netlib's *reference* BLAS (about 6 GFLOP/s
on a 2-core box).  ``libmlx.so`` resolves ``sgemm_`` through the dynamic
linker, so a BLAS loaded earlier with global symbols wins and MLX's matmuls
run about 50x faster.  This only works before the first ``import mlx.core``.

``RECIPE_BLAS`` picks the library: a path, or ``off`` to keep the bundled one
(the perf suite uses ``off`` to measure the reference in a subprocess).
"""

from __future__ import annotations

import ctypes
import glob
import os
import platform
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from plugin.diet.errors import MissingFileError

ENV_VAR = "RECIPE_BLAS"


@dataclass(frozen=True)
class BlasInfo:
    name: str
    path: str | None
    note: str

    def describe(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.name}{where}: {self.note}"


_state: dict[str, BlasInfo] = {}


def _debian_candidates() -> list[str]:
    arch = f"{platform.machine()}-linux-gnu"
    return [
        f"/usr/lib/{arch}/openblas-pthread/libblas.so.3",
        f"/usr/lib/{arch}/libopenblas.so.0",
    ]


def _mkl_candidates() -> list[str]:
    libdir = Path(sysconfig.get_config_var("LIBDIR") or "")
    prefix_lib = Path(sys.prefix) / "lib"
    return sorted({*glob.glob(str(prefix_lib / "libmkl_rt.so*")), *glob.glob(str(libdir / "libmkl_rt.so*"))})


def candidates() -> list[str]:
    """Optimized BLAS libraries to try, best first (OpenBLAS, then MKL)."""
    return [p for p in _debian_candidates() + _mkl_candidates() if os.path.exists(p)]


def _name_of(path: str) -> str:
    if "mkl" in path:
        return "mkl"
    return "openblas-pthread" if "pthread" in path else "openblas"


def _load(path: str) -> BlasInfo:
    if "mkl" in path:
        # Without intel-openmp, MKL needs the GNU OpenMP runtime shipped with gcc.
        os.environ.setdefault("MKL_THREADING_LAYER", "GNU")
    ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    return BlasInfo(_name_of(path), path, "preloaded with global symbols")


def _choose() -> BlasInfo:
    if sys.platform == "darwin":
        return BlasInfo("accelerate", None, "MLX uses Apple Accelerate/Metal")
    if sys.platform != "linux":
        return BlasInfo("bundled", None, f"no preload on {sys.platform}")
    requested = os.environ.get(ENV_VAR, "").strip()
    if requested.lower() == "off":
        return BlasInfo("reference", None, f"bundled Netlib BLAS ({ENV_VAR}=off)")
    if "mlx.core" in sys.modules:
        return BlasInfo("reference", None, "mlx.core was imported before the preload; run scripts/setup.sh")
    if requested:
        if not os.path.exists(requested):
            raise MissingFileError(f"{ENV_VAR}={requested}: no such file")
        return _load(requested)
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
    """Import ``mlx.core`` after the BLAS preload; use instead of a bare import."""
    ensure_fast_blas()
    import mlx.core as mx

    return mx
