"""What MLX runs on here: backend, versions and the compute dtype to use."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from plugin.runtime.blas import BlasInfo, ensure_fast_blas, import_mlx


@dataclass(frozen=True)
class Backend:
    name: str  # "metal", "cuda" or "cpu"
    blas: BlasInfo
    mlx_version: str
    mlx_lm_version: str

    @property
    def keeps_quantized(self) -> bool:
        """4-bit kernels are fast on GPUs; on the CPU fp32 is 3-10x faster."""
        return self.name != "cpu"


def package_version(dist: str) -> str:
    """An installed distribution's version, or 'not installed' (the one helper for versions)."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def detect_backend_name() -> str:
    mx = import_mlx()
    if mx.metal.is_available():
        return "metal"
    cuda = getattr(mx, "cuda", None)
    if cuda is not None and cuda.is_available():
        return "cuda"
    return "cpu"


def detect() -> Backend:
    blas = ensure_fast_blas()
    return Backend(detect_backend_name(), blas, package_version("mlx"), package_version("mlx-lm"))
