"""Gate: MLX fp32 matmul with the preloaded BLAS is >= 20x the bundled reference BLAS."""

from __future__ import annotations

import sys

import pytest

from plugin.runtime.matmul_bench import matmul_gflops, measure_in_subprocess

MIN_SPEEDUP = 20.0

pytestmark = [
    pytest.mark.perf,
    pytest.mark.skipif(sys.platform != "linux", reason="the reference-BLAS preload only exists on Linux"),
]


@pytest.fixture(scope="module")
def reference_gflops() -> float:
    result = measure_in_subprocess("off", n=1024)
    assert result["blas"] == "reference"
    return float(result["gflops"])


def test_fast_blas_matmul_gflops(benchmark, reference_gflops: float, recipe_settings, recipe_gate) -> None:
    if recipe_settings.backend.name != "cpu":
        pytest.skip(f"matmuls run on the {recipe_settings.backend.name} GPU, not through BLAS")
    gflops = benchmark.pedantic(matmul_gflops, rounds=3, iterations=1)
    speedup = gflops / reference_gflops
    benchmark.extra_info.update(
        {
            "blas": recipe_settings.backend.blas.name,
            "gflops": round(gflops, 1),
            "reference_gflops": round(reference_gflops, 2),
            "speedup_x": round(speedup, 1),
        }
    )
    assert recipe_gate.limit("speedup_x", speedup, MIN_SPEEDUP, "x").passed, (
        f"matmul {gflops:.1f} GFLOP/s with {recipe_settings.backend.blas.name} is {speedup:.1f}x the reference "
        f"BLAS ({reference_gflops:.2f} GFLOP/s); the gate is >= {MIN_SPEEDUP:.0f}x"
    )
