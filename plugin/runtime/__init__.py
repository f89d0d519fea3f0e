"""The MLX runtime: BLAS preload, backend, the embedded model, generation and its cache.

The rule of this room: **the optimized BLAS loads before ``mlx.core``.** On Linux the
``mlx-cpu`` wheel links Netlib's reference BLAS, and a faster one only wins if it is loaded
with global symbols before the first ``import mlx.core`` in the process. So no module here
imports ``mlx.core`` at import time: they call ``plugin.runtime.blas.import_mlx()`` (or
``ensure_fast_blas()`` first) when they need it, and entry points call ``ensure_fast_blas()``
before anything else. This package never imports pytest or the pytest layer.
"""
