"""Generate prompts with one schedule and time it, as ``python -m plugin.runtime.generation_bench SPEC.json``.

The generation benchmark runs the path before issue 13 here, in a subprocess with the settings of before:
MLX compiles its kernels as it does by default (``native_jit.environ_without``) and OpenBLAS runs the kernels
this process inherited (``blas.environ_with_inherited_kernels``). Neither can be undone inside a process that
has compiled a kernel or loaded OpenBLAS. ``SPEC.json`` holds ``base``, ``adapter`` (or null),
``prompts``, ``batch_size``, ``max_tokens`` and ``schedule`` (``legacy`` or ``default``); one JSON line comes
back with ``seconds`` and ``outputs``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from plugin.runtime import native_jit
from plugin.runtime.blas import environ_with_inherited_kernels, import_mlx

TIMEOUT_S = 1800  # the legacy path takes about 3 minutes for the benchmark's 96 prompts here


def run(spec: dict[str, Any]) -> dict[str, Any]:
    from mlx_lm import load

    from plugin.runtime.generation import LEGACY, Sampling, default_schedule, generate_batch

    model, tokenizer = load(spec["base"], adapter_path=spec["adapter"])[:2]
    sampling = Sampling(0.0, spec["max_tokens"])
    schedule = LEGACY if spec["schedule"] == "legacy" else default_schedule(sampling)
    prompts = spec["prompts"]
    generate_batch(model, tokenizer, prompts[:2], sampling, 2, schedule=schedule)  # warm-up: weights, kernels
    tic = time.perf_counter()
    outputs = generate_batch(model, tokenizer, prompts, sampling, spec["batch_size"], schedule=schedule)
    return {"seconds": time.perf_counter() - tic, "outputs": outputs}


def run_in_subprocess(spec: dict[str, Any], folder: Path) -> dict[str, Any]:
    """``run(spec)`` in a fresh interpreter with MLX's default compiler flags and the inherited BLAS kernels."""
    path = folder / "generation_spec.json"
    path.write_text(json.dumps(spec))
    command = [sys.executable, "-m", "plugin.runtime.generation_bench", str(path)]
    out = subprocess.run(
        command,
        env=environ_with_inherited_kernels(native_jit.environ_without()),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    lines = out.stdout.splitlines()
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"the {spec['schedule']} generation subprocess failed (exit {out.returncode}):\n{out.stderr[-4000:]}")
    return json.loads(lines[-1])


def main() -> None:
    import_mlx()
    print(json.dumps(run(json.loads(Path(sys.argv[1]).read_text()))))


if __name__ == "__main__":
    main()
