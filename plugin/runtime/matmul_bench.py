"""MLX fp32 matmul throughput, run as ``python -m plugin.runtime.matmul_bench`` (prints one JSON line).

A subprocess with ``RECIPE_BLAS=off`` measures the bundled reference BLAS, since
the preload cannot be undone inside one process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from plugin.runtime.blas import ENV_VAR, ensure_fast_blas, import_mlx


def matmul_gflops(n: int = 1024, min_seconds: float = 0.5) -> float:
    mx = import_mlx()
    a, b = mx.random.normal((n, n)), mx.random.normal((n, n))
    mx.eval(a, b, a @ b)  # warm up
    runs, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < min_seconds or runs < 2:
        mx.eval(a @ b)
        runs += 1
    return 2 * n**3 * runs / elapsed / 1e9


def measure_in_subprocess(blas: str | None, n: int = 1024) -> dict[str, object]:
    env = dict(os.environ)
    if blas is not None:
        env[ENV_VAR] = blas
    out = subprocess.run(
        [sys.executable, "-m", "plugin.runtime.matmul_bench", str(n)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    info = ensure_fast_blas()
    print(json.dumps({"blas": info.name, "n": n, "gflops": matmul_gflops(n)}))


if __name__ == "__main__":
    main()
